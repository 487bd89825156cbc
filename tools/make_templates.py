"""Write every DOCX template of templates/letters/ from its script in tools/templates/.

``python tools/make_templates.py`` rewrites them; ``--check`` fails if a committed
template differs from what its script produces (the tests run it), so the scripts stay
the single source of the templates.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docassemble_asylum.render.docx import normalise_zip  # noqa: E402


def template_modules():
    for path in sorted((ROOT / "tools" / "templates").glob("*.py")):
        if path.stem in {"__init__", "docx_kit"}:
            continue
        module = importlib.import_module(f"tools.templates.{path.stem}")
        if hasattr(module, "OUTPUT"):
            yield module


def render(module) -> bytes:
    buffer = io.BytesIO()
    module.build().save(buffer)
    return normalise_zip(buffer.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for module in template_modules():
        target = ROOT / "templates" / "letters" / module.OUTPUT
        data = render(module)
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(ROOT)}")
    for name in stale:
        print(f"{name} is stale: run python tools/make_templates.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
