"""A summary's section heading never ends a page on its own (issue 16).

The heading was kept with the next paragraph, but that paragraph (the section's certainty
line) was not kept with the first bullet: the re-examination summary, in French, on
5 December 2026, ended page 2 with "Ce que le réexamen change pour vous" and its certainty
line, and the text of the section began on page 3.
"""

from __future__ import annotations

import io
import subprocess

from docx import Document

from conftest import require_tool, run_cli


def _page_texts(pdf) -> list[str]:
    tool = require_tool("pdftotext")
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_the_reexamination_heading_starts_the_page_with_its_first_bullet(tmp_path):
    require_tool("soffice")
    example = run_cli("example", "reexamination", "--today", "2026-12-05")
    assert example.returncode == 0, example.stderr
    answers = tmp_path / "answers.yaml"
    answers.write_text(example.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "build", "reexamination", "--answers", str(answers), "--out", str(out),
        "--today", "2026-12-05", "--lang", "fr", "--pdf",
    )
    assert result.returncode == 0, result.stderr
    pages = _page_texts(out / "summary.pdf")
    holding = [page for page in pages if "Ce que le réexamen change pour vous" in page]
    assert len(holding) == 1
    page = holding[0]
    assert "Si l’Ofpra déclare la demande irrecevable" in page, "the heading is on a page without its text"


def test_the_last_line_before_a_sections_bullets_keeps_with_the_first_bullet(tmp_path):
    """Every summary, whatever the procedure: the paragraph just before a section's first
    bullet is kept with the next paragraph, as the heading itself is."""
    example = run_cli("example", "reexamination", "--today", "2026-12-05")
    answers = tmp_path / "answers.yaml"
    answers.write_text(example.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "reexamination", "--answers", str(answers), "--out", str(out), "--today", "2026-12-05")
    assert result.returncode == 0, result.stderr
    document = Document(io.BytesIO((out / "summary.docx").read_bytes()))
    paragraphs = document.paragraphs
    checked = 0
    for before, after in zip(paragraphs, paragraphs[1:]):
        bullet_after = after.style.name == "List Bullet"
        bullet_before = before.style.name == "List Bullet"
        own_marker = before.paragraph_format.left_indent is not None  # a bullet with its own marker
        if bullet_after and not bullet_before and not own_marker and before.text.strip():
            assert before.paragraph_format.keep_with_next, before.text
            checked += 1
    assert checked >= 4
