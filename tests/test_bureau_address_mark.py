"""The Bureau's unconfirmed address in both letters to it (review F-40): one convention.

The rule data marks the Bureau des familles de réfugiés' address ``unverified``. The
reunification cover letter and the bureau-letter both go to it: each prints, under the
address, the same placeholder, highlighted in yellow as every part left to complete, and
lists it among the unfinished parts (build, summary, ``check --json``). Read back from the
DOCX text and its highlighted runs.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.docx_highlight import highlighted_in_docx
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import EXAMPLE_DAY, pinned_example_text
from tests.conftest import run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARK = "[À compléter : adresse à vérifier avant l'envoi, non confirmée par une page officielle]"
ADDRESS_END = "11 rue de la Maison Blanche\n44036 Nantes Cedex 1\n"
LETTERS = {"reunification": "lettre-bureau-des-familles.docx", "bureau-letter": "lettre-bureau-familles-refugies.docx"}
UNFINISHED_EN = (
    "The Bureau's address is not confirmed by an official page: check it on a letter from the Bureau before sending, "
    "then remove the highlighted mention under it."
)
UNFINISHED_FR = (
    "L'adresse du Bureau n'est pas confirmée par une page officielle : vérifiez-la sur un courrier du Bureau avant "
    "l'envoi, puis retirez la mention surlignée qui la suit."
)


def build(tmp_path: Path, procedure: str, lang: str = "en"):
    case = tmp_path / f"{procedure}.yaml"
    case.write_text(pinned_example_text(procedure), encoding="utf-8")
    out = tmp_path / f"{procedure}-{lang}"
    day = EXAMPLE_DAY[procedure].isoformat()
    result = run_cli("build", procedure, "--answers", str(case), "--out", str(out), "--today", day, "--lang", lang)
    assert result.returncode == 0, result.stderr
    return result, out, case


def mark_paragraph_runs(data: bytes) -> list:
    """The runs of the paragraph holding the mark: their properties show how it is drawn."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for paragraph in root.iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))
        if text.startswith("[À"):
            return paragraph.findall(f"{{{W}}}r")
    raise AssertionError("no paragraph with the mark")


@pytest.mark.parametrize("procedure", sorted(LETTERS))
def test_both_letters_carry_the_same_highlighted_mark_under_the_address(tmp_path, procedure):
    _, out, _ = build(tmp_path, procedure)
    data = (out / LETTERS[procedure]).read_bytes()
    assert typeset(ADDRESS_END + MARK + "\n") in docx_text(data)
    assert "".join(highlighted_in_docx(data)) == typeset(MARK)
    # one convention: the yellow highlight, never the old red italics
    for run in mark_paragraph_runs(data):
        properties = run.find(f"{{{W}}}rPr")
        assert properties is not None and properties.find(f"{{{W}}}highlight").get(f"{{{W}}}val") == "yellow"
        italic = properties.find(f"{{{W}}}i")
        assert italic is None or italic.get(f"{{{W}}}val") in ("0", "false")
        assert properties.find(f"{{{W}}}color") is None


@pytest.mark.parametrize("procedure", sorted(LETTERS))
def test_the_mark_is_listed_among_the_unfinished_parts(tmp_path, procedure):
    result, out, case = build(tmp_path, procedure)
    assert f"  • {UNFINISHED_EN}" in result.stdout.splitlines()
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "Unfinished parts: complete them before sending\n" in summary and UNFINISHED_EN in summary
    day = EXAMPLE_DAY[procedure].isoformat()
    check = run_cli("check", procedure, "--answers", str(case), "--json", "--today", day)
    assert check.returncode == 0, check.stderr
    assert {"field": None, "question": None, "message": UNFINISHED_EN} in json.loads(check.stdout)["unfinished"]
    fr = run_cli("check", procedure, "--answers", str(case), "--today", day, "--lang", "fr")
    assert f"  • {UNFINISHED_FR}" in fr.stdout.splitlines()
