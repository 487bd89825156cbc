"""No table row of a letter is cut across two pages (the practitioner's review found an
exhibit's line of the CNDA appeal's bordereau split between pages 2 and 3)."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from conftest import run_cli
from pinned_examples import EXAMPLE_DAY, pinned_example_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LETTERS = {"cnda-appeal": "recours-cnda.docx", "reexamination": "demande-reexamen.docx", "cnda-legal-aid": "demande-aide-juridictionnelle-cnda.docx"}


@pytest.mark.parametrize("procedure", sorted(LETTERS))
def test_every_row_of_every_table_is_kept_whole(procedure, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(pinned_example_text(procedure), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--answers", str(answers), "--out", str(out), "--today", str(EXAMPLE_DAY[procedure]))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO((out / LETTERS[procedure]).read_bytes())) as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    rows = body.iter(f"{W}tr")
    kept = [row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows]
    assert len(kept) >= 5 and all(kept), kept
