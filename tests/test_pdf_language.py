"""Every PDF declares the language it is written in (review F-42): screen readers read /Lang.

LibreOffice writes the catalogue's /Lang from the DOCX's default language (its default run
properties' ``w:lang``): the templates say fr-FR (tools/templates/docx_kit.py), and an
English summary sheet is given en-GB when it is rendered (render/docx.py).
"""

from __future__ import annotations

import email
import email.policy
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import require_tool, run_cli
from pinned_examples import pinned_example_text
from tests.test_question_sets import TODAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_language(data: bytes) -> str:
    return str(PdfReader(io.BytesIO(data)).trailer["/Root"].get("/Lang"))


def docx_language(data: bytes) -> str:
    from lxml import etree

    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    return styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val")


def build(tmp_path: Path, procedure: str, lang: str, *, pdf: bool) -> Path:
    case = tmp_path / f"{procedure}-{lang}.yaml"
    case.write_text(pinned_example_text(procedure), encoding="utf-8")
    out = tmp_path / f"{procedure}-{lang}"
    args = ["build", procedure, "--answers", str(case), "--out", str(out), "--today", TODAY[procedure], "--lang", lang]
    result = run_cli(*args, *(["--pdf"] if pdf else []))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_docx_declares_its_language(tmp_path, lang):
    out = build(tmp_path, "interview-notice", lang, pdf=False)
    assert docx_language((out / "accompagnement-entretien-ofpra.docx").read_bytes()) == "fr-FR"  # a letter is French
    assert docx_language((out / "summary.docx").read_bytes()) == {"fr": "fr-FR", "en": "en-GB"}[lang]


def test_french_pdfs_and_the_pdf_sent_by_email_declare_french_and_english_sheets_english(tmp_path):
    require_tool("soffice")
    french = build(tmp_path, "interview-notice", "fr", pdf=True)
    for name in ("accompagnement-entretien-ofpra.pdf", "summary.pdf"):
        assert pdf_language((french / name).read_bytes()) == "fr-FR", name
    message = email.message_from_bytes((french / "accompagnement-entretien-ofpra.eml").read_bytes(), policy=email.policy.default)
    attached = [part.get_content() for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(attached) == 1 and pdf_language(attached[0]) == "fr-FR"

    english = build(tmp_path, "interview-notice", "en", pdf=True)
    assert pdf_language((english / "summary.pdf").read_bytes()) == "en-GB"
    assert pdf_language((english / "accompagnement-entretien-ofpra.pdf").read_bytes()) == "fr-FR"
