"""English summary sheets say in English what French documents say in French (review F-34, F-35).

The rule data's captions and the prefecture table's notes are written in French for the
French documents; each has its English form beside it in the data (``article_en``, a note's
``en``), required by the schema, and an English summary prints that form. The French
documents keep the French one. Question paths in English messages number a repeated group
"no. 2", as English writes it ("n° 2" in French).
"""

from __future__ import annotations

import re

import pytest

from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import available
from docassemble_asylum.render.typography import plain as typeset
from docassemble_asylum.rules.loader import data_root, load_rulebook
from tests.test_french_documents import FRENCH_SHEETS, build, paragraphs, parts


def sheet_text(procedure: str, lang: str) -> dict[str, str]:
    """The text of each summary sheet (summary, timeline, eligibility report, checklist) of the example."""
    files = build(procedure, lang)
    return {
        name: "\n".join(line for member in parts(data) for line in paragraphs(data, member))
        for name, data in files.items()
        if name in FRENCH_SHEETS
    }


def _french_texts() -> list[str]:
    """Every French caption and prefecture note that has an English form of its own."""
    book = load_rulebook(data_root())
    texts = [" ".join(v.article.split()) for rule in book for v in rule.versions if v.article != v.article_en]
    for entry in book["prefectures.asylum_registration"].current.value.values():
        texts += [note["fr"] for note in entry.get("user_notes", [])]
    return texts


@pytest.mark.parametrize("procedure", sorted(available()))
def test_english_sheets_print_no_french_caption_or_note(procedure):
    french = _french_texts()
    assert len(french) > 40
    for name, text in sheet_text(procedure, "en").items():
        assert [caption for caption in french if caption in text] == [], name
        # A repeated group's number in a question path ("Family members no. 2 › …").
        assert not re.search(r"n° \d+ ›|n° \d+”", text), name


@pytest.mark.parametrize(
    ("procedure", "sheet", "lines"),
    [
        (
            "reexamination",
            "summary.docx",
            [
                "(the day of registration does not count) — CESEDA, art. R.531-36; period computation: CPC, art. 641.",
                "Note: The Manche is served by the Calvados prefecture, in Caen (14).",
                "Certainty of this category: inference",
            ],
        ),
        (
            "visa-tribunal",
            "summary.docx",
            [
                "CRPA, art. L.231-4 (two months' silence on an administrative appeal means rejection); CRPA, art. L.112-3, "
                "L.112-6 and R.112-5 (acknowledgement of receipt stating the means of appeal and their periods)",
                "— CJA, art. R.421-1 and R.421-2; CJA, art. R.312-18 (jurisdiction of the administrative tribunal of Nantes)",
            ],
        ),
        ("visa-appeal", "summary.docx", ["— CESEDA, art. D.312-4; period computation: CPC, art. 641:", "Proof of the visa applications."]),
        ("reunification", "calendrier.docx", ["Rule: CESEDA, art. D.312-4; period computation: CPC, art. 641 — certainty: verified"]),
        ("interview-notice", "summary.docx", ["to be held in Arabic (“arabe (syrien)” in the letter)."]),
        ("cnda-appeal", "summary.docx", ["(question: “Grounds (legal arguments) no. 2 › Argument”)"]),
    ],
)
def test_english_sheets_say_it_in_english(procedure, sheet, lines):
    text = sheet_text(procedure, "en")[sheet]
    for line in lines:
        assert line in text, line


def test_french_sheets_keep_the_french_caption_and_note():
    text = sheet_text("reexamination", "fr")["summary.docx"]
    assert typeset("(le jour de l'enregistrement ne compte pas) — CESEDA, art. R. 531-36 ; computation du délai : CPC, art. 641.") in text
    assert "La Manche relève de la préfecture du Calvados, à Caen (14)." in text
    assert "to be held in" not in sheet_text("interview-notice", "fr")["summary.docx"]


def test_an_eligible_member_with_an_unsettled_point_is_said_once():
    """"…rests on a point that is not settled: Bring the custody judgment … is not settled" (F-35)."""
    text = sheet_text("reunification", "en")["summary.docx"]
    line = next(line for line in text.splitlines() if "Yasin RAHIMI" in line and "eligible" in line)
    assert line.startswith("⚠ Yasin RAHIMI (child of a previous union) is eligible, with one point to check. Bring the custody judgment")
    assert line.count("not settled") == 1


@pytest.mark.parametrize(("lang", "expected"), [("en", "Family members no. 2 › Given names"), ("fr", "Membres de la famille n° 2 › Prénoms")])
def test_a_repeated_group_is_numbered_the_way_each_language_writes_it(lang, expected):
    from docassemble_asylum.errors import field_label
    from docassemble_asylum.models.reunification import Reunification

    with language(lang):
        label, path = field_label(Reunification, ("members", 1, "given_names"))
    assert (label, path) == (expected, "members.1.given_names")
