"""Issue 19: the provisional form gains the Bureau's questionnaire; its annex pages stand alone.

The filled PDF is read back with pdftotext (what a person sees) and pypdf (the field
values and the sworn declarations that are no fields): every overflowing section points
to its annex point, every annex page names the protected person and their Ofpra number,
"Page X / Y" counts every page of the final PDF, and the last annex page has the
signature line. With one child the form has no annex and says "Page 5 / 5".
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from family_cases import overflowing_case
from tests.test_reunification import build, example, pdftotext


def _six_children() -> dict:
    """Six children, a former union, and observations longer than their box."""
    data = overflowing_case(("2011-02-11", "2012-03-12", "2013-04-13"))
    data["marital_situation"]["other_unions"] = [
        {
            "spouse_name": "Mariam Karimi",
            "kind": "customary_or_religious_marriage",
            "began_on": "2004-03-12",
            "ended_by": "divorce",
            "ended_on": "2007-11-02",
        }
    ]
    return data


def _one_child() -> dict:
    data = example()
    data["members"] = data["members"][:2]
    del data["not_requested"]
    return data


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    result, out = build(tmp_path_factory.mktemp("six"), _six_children(), lang="fr")
    assert result.returncode == 0, result.stderr
    return out / "formulaire-situation-familiale.pdf"


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    result, out = build(tmp_path_factory.mktemp("one"), _one_child(), lang="fr")
    assert result.returncode == 0, result.stderr
    return out / "formulaire-situation-familiale.pdf"


def _fields(path) -> dict:
    """Field values with the no-break spaces of French typography read as spaces."""
    return {name: (str(f.get("/V")).replace("\u00a0", " ") if f.get("/V") is not None else None) for name, f in PdfReader(str(path)).get_fields().items()}


def _pages(path) -> list[str]:
    return pdftotext(path).split("\f")[:-1]


def test_page_x_of_y_counts_every_page_of_the_final_pdf(six, one):
    for path in (six, one):
        count = len(PdfReader(str(path)).pages)
        pages = _pages(path)
        assert len(pages) == count
        for number, text in enumerate(pages, start=1):
            assert re.findall(r"Page \d+ / \d+", text) == [f"Page {number} / {count}"]
    assert len(PdfReader(str(one)).pages) == 5
    assert len(PdfReader(str(six)).pages) == 7


def test_every_annex_page_names_the_person_and_the_last_has_the_signature_line(six):
    pages = _pages(six)
    annex = [p for p in pages if p.lstrip().startswith("Annexe au formulaire de situation familiale")]
    assert len(annex) == 2
    for text in annex:
        assert "Personne protégée : Farid Rahimi — dossier Ofpra n° 24-11-04567" in text.replace("\u00a0", " ")
    assert "Fait à Rennes, le 20 novembre 2026\nSignature de la personne protégée :" in annex[-1].replace("\u00a0", " ")
    assert "Signature de la personne protégée :" not in annex[0]


def test_each_overflowing_section_points_to_its_annex_point(six):
    text = pdftotext(six).replace("\u00a0", " ")
    # children 5 and 6 are annex points 1 and 2; the children section says so
    assert "Suite : voir l’annexe, points 1 à 2." in text
    assert "1. Enfant n° 5" in text and "2. Enfant n° 6" in text
    # the observations and the visa references overflow their boxes: points 3 and 4
    assert "[Suite : annexe, point 3]" in text and "3. Observations" in text
    assert "[Suite : annexe, point 4]" in text and "4. Demandes de visa (références)" in text
    fields = _fields(six)
    assert fields["children_more"] == "Suite : voir l’annexe, points 1 à 2."
    assert fields["parents_more"] in (None, "")


def test_the_bureaus_questionnaire_sections_are_filled(one):
    text = pdftotext(one).replace("\u00a0", " ")
    assert "« FORMULAIRE à renseigner par le/la réfugié(e), bénéficiaire de la protection subsidiaire ou apatride »" in text
    fields = _fields(one)
    assert fields["users1_arrival_date"] == "22/01/2024"
    assert fields["users1_ofpra_number__5"] == "24-11-04567"
    assert fields["visa_references"] == "Laila SADAT — FRA1TH20260000101 — déposée le 6 octobre 2026\nOmid RAHIMI — FRA1TH20260000102 — déposée le 6 octobre 2026"
    assert (fields["contact_name"], fields["contact_city"], fields["contact_country"], fields["contact_phones"]) == (
        "Hossein Sadat",
        "Mashhad",
        "Iran",
        "+98 900 000 0000",
    )
    assert fields["marital_current"] == "Mariage civil"
    # the members left out of the request: the two not listed here, and the ineligible mother is gone with them
    assert fields["not_requested"] in (None, "")


def test_members_not_requested_and_previous_unions_are_listed_with_the_reason(six):
    fields = _fields(six)
    assert fields["marital_other_unions"] == "Mariam Karimi — Mariage coutumier ou religieux — depuis le 12 mars 2004 — divorce le 2 novembre 2007"
    assert fields["not_requested"] == (
        "Zahra AHMADI — Mère — 20 janvier 1961 — ne remplit pas les conditions de la réunification familiale (voir le rapport "
        "d’éligibilité)\nKarim Rahimi — frère (majeur) — 9 août 1990 — frère majeur d’un réfugié majeur, hors du champ de la "
        "réunification familiale"
    )


def test_the_sworn_declarations_are_printed_never_filled(one):
    text = pdftotext(one).replace("\u00a0", " ")
    assert "Je déclare sur l’honneur ne pas vivre en France en état de polygamie." in text
    assert "Je déclare sur l’honneur respecter les principes essentiels" in text
    # no field holds them: nothing the tool fills can tick or complete them
    reader = PdfReader(str(one))
    names = set(reader.get_fields())
    assert not [n for n in names if "declar" in n.lower() and "ofpra" not in n.lower()]
    page5 = reader.pages[4]
    tooltips = [str(a.get_object().get("/TU", "")) for a in page5.get("/Annots", [])]
    assert not [t for t in tooltips if "honneur" in t]
