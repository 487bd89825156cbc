"""The letter to the Bureau des familles de réfugiés: the French letter (DOCX and PDF), the
summary (no deadline, the advice, the unverified address), bad input, and the start from a
reunification answers file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests import procedure_cases
from tests.conftest import run_cli
from tests.procedure_cases import write_case
from pinned_examples import pinned_example_text

LETTER = "lettre-bureau-familles-refugies.docx"
TODAY = "2026-12-04"


def example_data() -> dict:
    return procedure_cases.example_data("bureau-letter")


def build(tmp_path: Path, data: dict, *extra: str, lang: str = "en", today: str = TODAY):
    return procedure_cases.build("bureau-letter", tmp_path, data, *extra, lang=lang, today=today)


def test_letter_has_every_mandatory_mention(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    for fact in (
        "Farid RAHIMI",
        "N° de dossier Ofpra : 24-11-04567",
        "Demandes de visa : FRA1TE20260001234, FRA1TE20260001235",
        "Bureau des familles de réfugiés",
        "11 rue de la Maison Blanche",
        "44036 Nantes Cedex 1",
        "Objet : réunification familiale — formulaire de situation familiale non reçu et changement d'adresse",
        "Je soussigné Farid RAHIMI, réfugié statutaire (dossier Ofpra n° 24-11-04567), ai engagé une procédure de réunification "
        "familiale. Les membres de ma famille désignés ci-dessous ont déposé leurs demandes de visa de long séjour (poste "
        "consulaire : Ambassade de France à Téhéran ; références : FRA1TE20260001234, FRA1TE20260001235).",
        "Laila SADAT — Conjointe (mariage), née le 30 juillet 1989 à Herat (Afghanistan) ; demande de visa déposée le 6 octobre 2026",
        "je n'ai pas reçu le formulaire de situation familiale que votre bureau adresse à la personne protégée",
        "Je vous informe de ma nouvelle adresse postale : 14 rue de la Paix, 44000 Nantes. Mon ancienne adresse était : 8 rue des "
        "Tanneurs, chez l'association Accueil & Droits, 35000 Rennes.",
        "J'en ai informé l'Office français de protection des réfugiés et apatrides le 1er décembre 2026.",
        "Fait à Nantes, le 4 décembre 2026",
        "Justificatif de la nouvelle adresse",
    ):
        assert typeset(fact) in text, fact


def test_address_only_letter_has_no_form_request(tmp_path):
    data = example_data()
    data["form_not_received"] = False
    data.pop("ofpra_informed_on")
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("Objet : réunification familiale — changement d'adresse") in text
    assert "formulaire de situation familiale" not in text
    assert typeset("J'en informe également l'Office français de protection des réfugiés et apatrides.") in text
    summary = docx_text((out / "summary.docx").read_bytes())
    assert (
        "Tell Ofpra your new address first (through your online account or by letter): the Bureau and Ofpra must have the "
        "same address."
    ) in summary
    assert "When the form arrives" not in summary


def test_form_only_letter_has_no_address_paragraph(tmp_path):
    data = example_data()
    data["new_address"] = False
    for name in ("previous_address", "ofpra_informed_on"):
        data.pop(name)
    result, out = build(tmp_path, data, lang="fr")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("Objet : réunification familiale — formulaire de situation familiale non reçu") in text
    assert "nouvelle adresse" not in text and "Justificatif" not in text
    summary = docx_text((out / "summary.docx").read_bytes())
    assert typeset("Quand le formulaire arrive") in summary


@pytest.mark.parametrize(
    ("lang", "facts"),
    [
        (
            "en",
            (
                "Letter to the Bureau des familles de réfugiés — summary sheet",
                "There is no legal deadline: send it as soon as possible, the family's visa files wait for the Bureau's form.",
                "Ofpra was told of the new address on Tuesday 1 December 2026.",
                "This address is not confirmed by an official page (unverified): check it on a letter from the Bureau.",
                "Source: Réfugié.info, fiche « La réunification familiale » — https://refugies.info",
            ),
        ),
        (
            "fr",
            (
                "Il n'y a pas de délai légal : envoyez-la dès que possible",
                "Cette adresse n'est pas confirmée par une page officielle (non vérifiée)",
            ),
        ),
    ],
)
def test_summary_says_no_deadline_and_the_address_is_unverified(tmp_path, lang, facts):
    result, out = build(tmp_path, example_data(), lang=lang)
    procedure_cases.assert_summary_says(result, out, lang, facts)


def test_pdf_text_has_the_mandatory_mentions(tmp_path):
    result, out = build(tmp_path, example_data(), "--pdf")
    procedure_cases.assert_pdf_says(
        result,
        out,
        "lettre-bureau-familles-refugies.pdf",
        (
            "Bureau des familles de réfugiés 11 rue de la Maison Blanche 44036 Nantes Cedex 1",
            "Demandes de visa : FRA1TE20260001234, FRA1TE20260001235",
            "je n'ai pas reçu le formulaire de situation familiale",
            "Fait à Nantes, le 4 décembre 2026",
            "(signature)",
        ),
    )


@pytest.mark.parametrize(
    ("change", "lang", "message"),
    [
        (
            lambda d: d.update(form_not_received=False, new_address=False, previous_address=None, ofpra_informed_on=None),
            "en",
            "“The Bureau's family-situation form was not received” (section “Letter”): the letter needs a reason: this answer, "
            "or “The protected person has a new postal address” (in the section “Letter”), must be yes.",
        ),
        (
            lambda d: d.pop("previous_address"),
            "fr",
            "« Ancienne adresse postale » (partie « Lettre ») : cette réponse est obligatoire pour une nouvelle adresse : le "
            "Bureau connaît l'ancienne.",
        ),
        (
            lambda d: d.update(ofpra_informed_on="2026-12-09"),
            "en",
            "“Date Ofpra was told of the new address” (section “Letter”): this date is in the future.",
        ),
        (
            lambda d: d.pop("visa_references"),
            "en",
            "“References of the visa applications” (section “Letter”): this answer is required.",
        ),
    ],
)
def test_bad_answers_name_the_question_and_write_nothing(tmp_path, change, lang, message):
    data = example_data()
    change(data)
    result, out = build(tmp_path, data, lang=lang)
    procedure_cases.assert_refused(result, out, message)


# --- from a reunification answers file -------------------------------------------------------


def test_build_from_a_reunification_file_takes_the_members_who_applied(tmp_path):
    source = write_case(tmp_path, yaml.safe_load(pinned_example_text("reunification")), "reunification.yaml")
    rest = {
        "visa_references": "FRA1TE20260001234",
        "form_not_received": True,
        "new_address": False,
        "signature": {"place": "Rennes", "date": "2026-11-23"},
    }
    result, out = procedure_cases.build_from("bureau-letter", tmp_path, source, rest, today="2026-11-23")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    for name in ("Laila SADAT", "Omid RAHIMI", "Yasin RAHIMI"):
        assert name in text
    assert "Sara" not in text and "Zahra" not in text  # no visa application yet
    assert typeset("8 rue des Tanneurs") in text


def test_guided_letter_from_a_reunification_file_asks_only_the_letter(tmp_path, monkeypatch):
    import datetime as dt

    from docassemble_asylum.procedures import get
    from docassemble_asylum.questions.runner import run_interview
    from tests.test_question_sets import Scripted

    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")
    reunification = yaml.safe_load(pinned_example_text("reunification"))
    reused = get("bureau-letter").answers_from(reunification, tmp_path / "r.yaml")
    rest = {"visa_references": "FRA1TE20260001234", "form_not_received": True, "new_address": False,
            "signature": {"place": "Rennes", "date": "2026-11-23"}}
    terminal = Scripted("bureau-letter", "en", example={**reunification, **rest, "members": reused["members"]})
    answers, _data = run_interview(get("bureau-letter"), lang="en", today=dt.date(2026, 11, 23), terminal=terminal, prefill=(reused, tmp_path / "r.yaml"))
    asked = [line.split(" ")[1] for line in terminal.out if line.startswith("@ask ")]
    assert not [path for path in asked if path.startswith(("protected_person.", "members"))]
    assert "visa_references" in asked and "form_not_received" in asked
    assert answers.visa_references == "FRA1TE20260001234"


def test_example_builds_without_today(tmp_path):
    example = run_cli("example", "bureau-letter")
    assert example.returncode == 0, example.stderr
    case = tmp_path / "example.yaml"
    case.write_text(example.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "bureau-letter", "--answers", str(case), "--out", str(out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [LETTER, "manifest.json", "summary.docx"]
    check = run_cli("check", "bureau-letter", "--answers", str(case), "--json")
    assert check.returncode == 0, check.stderr
    body = json.loads(check.stdout)
    assert body["valid"] is True
    assert body["bureau_address"]["certainty"] == "unverified"
    assert body["bureau_address"]["lines"][-2:] == ["11 rue de la Maison Blanche", "44036 Nantes Cedex 1"]
    assert result.stdout.endswith(
        "No legal deadline: send the letter as soon as possible.\n"
        "The Bureau's address is not confirmed by an official page (unverified): check it on a letter from the Bureau.\n"
    )
