"""A procedure built from answers in a test, as a user runs it (``asylumdocs build``).

One place for what the tests of the visa appeal, the tribunal draft and the Bureau letter
each wrote alike: the pinned example, a private answers file, a build in a language on a day.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pinned_examples import pinned_example_text
from tests.conftest import run_cli


def example_data(procedure: str) -> dict:
    return yaml.safe_load(pinned_example_text(procedure))


def write_case(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(procedure: str, tmp_path: Path, data: dict, *extra: str, lang: str, today: str):
    """``build PROCEDURE --answers case.yaml --out out``: the completed process and the folder."""
    case = write_case(tmp_path, data)
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang, *extra)
    return result, out
