"""No summary sheet ends with a page holding one line of its sources (review F-33).

A section's bullets end with its sources ("Source : …", "Règle : … — certitude : …"). Without
keep-with-next, LibreOffice carried the last of them alone onto a page of its own (the
reunification timeline, the CNDA-appeal summary, the eligibility report). The sheet template
(tools/templates/summary.py) keeps each sources block together and with the line before it.

Each sheet of the examples is converted to PDF and read page by page (pdftotext): a page
whose text is one paragraph of the DOCX, a sources line, fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import require_tool, run_cli
from pinned_examples import pinned_example_text
from tests.test_french_documents import FRENCH_SHEETS, paragraphs
from tests.test_question_sets import TODAY

SOURCE_PREFIX = re.compile(r"^(Source|Règle|Rule)\s?:")
FOOTER = re.compile(r"^(Préparé avec|Prepared with) asylumdocs|^page \d+ / \d+$")


def squeeze(text: str) -> str:
    """Text compared without its layout: no spaces (wrapped lines, no-break spaces), no bullet glyph."""
    text = text.replace("\u2011", "-").replace("\uf0b7", "").replace("•", "")
    return re.sub(r"\s+", "", text)


def page_bodies(pdf: Path) -> list[str]:
    """Each page's text without the footer (the disclaimer and "page X / Y")."""
    tool = require_tool("pdftotext")
    text = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return ["\n".join(line for line in page.splitlines() if line.strip() and not FOOTER.match(line.strip())) for page in pages if page.strip()]


def lone_source_pages(docx: Path, pdf: Path) -> list[tuple[int, str]]:
    """(page number, its text) of every page that holds nothing but one sources line."""
    items = [p for p in paragraphs(docx.read_bytes(), "word/document.xml")]
    found = []
    for number, body in enumerate(page_bodies(pdf), start=1):
        alone = [item for item in items if squeeze(item) == squeeze(body)]
        if alone and SOURCE_PREFIX.match(alone[0]):
            found.append((number, body))
    return found


def _sara_applied(raw: dict) -> None:
    next(m for m in raw["members"] if m["given_names"] == "Sara")["visa_application_date"] = "2026-10-06"


def _without(given_names: str):
    def drop(raw: dict) -> None:
        raw["members"] = [m for m in raw["members"] if m["given_names"] != given_names]

    return drop


# Families of the reunification example whose sheets, before the sources were kept together,
# ended with one sources line alone on their last page (found by building variants of it):
# the eligibility report in French, the timeline in English.
VARIANTS = {
    "example": [],
    "sara-applied-no-mother": [_sara_applied, _without("Zahra")],
    "sara-applied-no-yasin": [_sara_applied, _without("Yasin")],
}


def build_with_pdf(tmp_path: Path, procedure: str, lang: str, variant: str = "example") -> Path:
    require_tool("soffice")
    raw = yaml.safe_load(pinned_example_text(procedure))
    for change in VARIANTS[variant]:
        change(raw)
    case = tmp_path / f"{procedure}.yaml"
    case.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / f"{procedure}-{lang}"
    result = run_cli("build", procedure, "--answers", str(case), "--out", str(out), "--today", TODAY[procedure], "--lang", lang, "--pdf")
    assert result.returncode == 0, result.stderr
    return out


def test_the_check_sees_a_page_holding_one_source_line(tmp_path):
    """The reading itself: a page whose only text is a "Source : …" paragraph is found."""
    from docx import Document

    line = "Source : Code de procédure civile (Légifrance), article 641 — https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006411002"
    document = Document()
    document.add_paragraph("Première page")
    document.add_page_break()
    document.add_paragraph(line)
    docx = tmp_path / "sheet.docx"
    document.save(docx)
    require_tool("soffice")
    from docassemble_asylum.render.pdf_convert import convert

    (pdf,) = convert([docx], tmp_path / "pdf")
    assert [number for number, _ in lone_source_pages(docx, pdf)] == [2]


@pytest.mark.parametrize(
    ("procedure", "variant", "lang"),
    [
        ("reunification", "example", "fr"),
        ("reunification", "sara-applied-no-mother", "fr"),
        ("reunification", "sara-applied-no-yasin", "en"),
        ("cnda-appeal", "example", "fr"),
    ],
)
def test_no_sheet_page_holds_a_lone_source_line(tmp_path, procedure, variant, lang):
    out = build_with_pdf(tmp_path, procedure, lang, variant)
    sheets = sorted(name for name in FRENCH_SHEETS if (out / name).exists())
    assert sheets
    found = {name: lone_source_pages(out / name, (out / name).with_suffix(".pdf")) for name in sheets}
    assert {name: pages for name, pages in found.items() if pages} == {}
