"""A procedure built from answers in a test, as a user runs it (``asylumdocs build``).

One place for what the tests of the visa appeal, the tribunal draft and the Bureau letter
each wrote alike: the pinned example, a private answers file, a build in a language on a day,
what a refused build leaves (``assert_refused``), the summary sheet's and a PDF's words
(``assert_summary_says``, ``assert_pdf_says``), and the ``deadline`` command's JSON and calendar
(``deadline_with_calendar``).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from pinned_examples import pinned_example_text
from tests.conftest import run_cli


def example_data(procedure: str) -> dict:
    return yaml.safe_load(pinned_example_text(procedure))


def write_case(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_from(procedure: str, tmp_path: Path, source: Path, rest: dict, *, today: str, lang: str = "en"):
    """``build PROCEDURE --from SOURCE --answers rest.yaml --out out``: the completed process and the folder."""
    answers = write_case(tmp_path, rest, "rest.yaml")
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--from", str(source), "--answers", str(answers), "--out", str(out), "--today", today, "--lang", lang)
    return result, out


def build(procedure: str, tmp_path: Path, data: dict, *extra: str, lang: str, today: str):
    """``build PROCEDURE --answers case.yaml --out out``: the completed process and the folder."""
    case = write_case(tmp_path, data)
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang, *extra)
    return result, out


def assert_refused(result, out: Path, message: str) -> None:
    """A build refused for its answers: exit 1, ``message`` on stderr, no traceback, nothing written."""
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def assert_pdf_says(result, out: Path, name: str, facts) -> None:
    """The PDF ``name`` of a ``build --pdf`` holds each of ``facts`` (typeset as the letters
    are, list bullets aside); the test is skipped where LibreOffice is not installed."""
    from docassemble_asylum.render.typography import plain as typeset
    from tests.test_pdf_convert import normalise, pdf_text

    if result.returncode != 0 and "LibreOffice" in result.stderr:
        pytest.skip("LibreOffice is not installed")
    assert result.returncode == 0, result.stderr
    text = " ".join(w for w in normalise(pdf_text(out / name)).split() if w not in ("\uf0b7", "•"))
    for fact in facts:
        assert normalise(typeset(fact)) in text, fact


def deadline_with_calendar(capsys, tmp_path: Path, procedure: str, *args: str):
    """``deadline PROCEDURE ARGS --json --ics FILE --lang en``, which must succeed: its JSON (the
    contract's keys checked) and its calendar event (the file 0600 and announced on stderr).
    Skipped where icalendar is not installed."""
    icalendar = pytest.importorskip("icalendar")
    from tests.test_deadline_cli import invoke

    path = tmp_path / "deadline.ics"
    code, out, err = invoke(capsys, "deadline", procedure, *args, "--json", "--ics", str(path), "--lang", "en")
    assert code == 0
    body = json.loads(out)
    assert set(body) == {"kind", "last_day", "safe_day", "certainty", "steps", "sources", "warnings", "today", "passed", "safe_day_passed"}
    assert err == f"Calendar event written to {path}.\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    return body, next(iter(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")))


def assert_summary_says(result, out: Path, lang: str, facts) -> str:
    """A build that succeeded, whose summary sheet holds each of ``facts`` (in French, typeset
    as the sheet is: no-break spaces, « »); its text, for further checks."""
    from docassemble_asylum.render.docx import docx_text
    from docassemble_asylum.render.typography import plain as typeset

    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    for fact in facts:
        assert (typeset(fact) if lang == "fr" else fact) in summary, fact
    return summary
