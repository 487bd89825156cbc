"""Fill French translations into a catalog from a YAML file of {msgid: msgstr} (translator's aid).

``python tools/fill_po.py DOMAIN translations.yaml`` sets each listed msgstr, then run
``python tools/i18n.py --domain DOMAIN`` to recompile. Plural entries take a list.
"""

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    domain, source = sys.argv[1], Path(sys.argv[2])
    table = yaml.safe_load(source.read_text(encoding="utf-8"))
    path = ROOT / "docassemble_asylum" / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr", domain=domain)
    missing = []
    for msgid, msgstr in table.items():
        key = msgid
        message = catalog.get(key)
        if message is None:
            # plural messages are keyed by their singular id
            matches = [m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid]
            message = matches[0] if matches else None
        if message is None:
            missing.append(msgid)
            continue
        message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_lineno=False)
    for msgid in missing:
        print(f"not in catalog: {msgid!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
