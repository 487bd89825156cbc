"""`asylumdocs build reunification`: the whole packet, checked as a reader sees it.

Values are read back from the filled PDF's fields and from ``pdftotext``; DOCX text comes
from ``render.docx.docx_text``. Error messages are pinned in English and French.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests.conftest import ROOT, require_tool, run_cli
from pinned_examples import pinned_example_text

TODAY = "2026-11-23"
PACKET = [
    "calendrier.docx",
    "eligibilite.docx",
    "formulaire-situation-familiale.pdf",
    "lettre-bureau-des-familles.docx",
    "manifest.json",
    "pieces-a-reunir.docx",
    "summary.docx",
]


def example() -> dict:
    return yaml.safe_load(pinned_example_text("reunification"))


def build(tmp_path: Path, data: dict, *, lang: str = "en", today: str = TODAY, name: str = "out"):
    case = tmp_path / f"{name}.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / name
    result = run_cli("build", "reunification", "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang)
    return result, out


def pdftotext(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def fields(path: Path) -> dict:
    return {name: f.get("/V") for name, f in PdfReader(str(path)).get_fields().items()}


def text(out: Path, name: str) -> str:
    return docx_text((out / name).read_bytes())


@pytest.fixture(scope="module")
def packet(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("packet")
    result, out = build(tmp, example())
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def packet_fr(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("packet_fr")
    result, out = build(tmp, example(), lang="fr")
    assert result.returncode == 0, result.stderr
    return out


def test_the_example_builds_the_whole_packet(packet):
    assert sorted(p.name for p in packet.iterdir()) == PACKET
    manifest = json.loads((packet / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["procedure"] == "reunification"
    assert sorted(f["name"] for f in manifest["files"]) == [n for n in PACKET if n != "manifest.json"]


def test_the_form_has_only_the_members_who_can_apply(packet):
    form = packet / "formulaire-situation-familiale.pdf"
    values = fields(form)
    assert values["users1_name_last"] == "RAHIMI" and values["users1_name_first"] == "Farid"
    assert values["users1_protection_type"] == "/refugie"
    assert (values["users1_protection_date"], values["users1_asylum_application_date"]) == ("18/09/2025", "05/02/2024")
    assert values["users1_address_line_one"] == "8 rue des Tanneurs, chez l’association Accueil & Droits"  # typeset for WinAnsi
    assert values["users1_name_full__3"] == "Farid Rahimi" and values["users1_ofpra_number__4"] == "24-11-04567"
    # the spouse: her place of birth in the Latin spelling she gave (the form's font has no Arabic letters)
    assert (values["spouses1_name_last"], values["spouses1_birth_place"]) == ("SADAT", "Herat (Afghanistan)")
    assert (values["spouses1_union_date"], values["spouses1_relationship"]) == ("10/05/2008", "Conjointe (mariage)")
    assert values["spouses1_declared_to_ofpra_yes"] == "/Yes" and values["spouses1_declared_to_ofpra_no"] == "/Off"
    # three children: the couple's two, then the son of a first union with his custody judgment
    assert [values[f"children{n}_name_first"] for n in (1, 2, 3)] == ["Omid", "Sara", "Yasin"]
    assert values["children3_custody"] == "Garde confiée par une juridiction étrangère — Tribunal de la famille de Hérat (Afghanistan) — 20/05/2016"
    assert values["children2_visa_application_date"] in (None, "")
    assert values["children4_name_first"] in (None, "") and values["parents1_name_last"] in (None, "")
    seen = pdftotext(form)
    assert "Herat (Afghanistan)" in seen and "Kouy-e Tolab, Mashhad" in seen and "Tribunal de la famille de Hérat" in seen
    # the mother cannot come: she is left out of the members requested, and listed only among those not requested
    assert not [name for name, value in values.items() if value == "AHMADI" or value == "Zahra"]
    assert values["not_requested"].replace("\u00a0", " ").startswith(
        "Zahra AHMADI — Mère — 20 janvier 1961 — ne remplit pas les conditions de la réunification familiale"
    )
    assert "?" not in seen and "MODÈLE PROVISOIRE" in seen


def test_the_cover_letter_to_the_bureau(packet, packet_fr):
    letter = text(packet, "lettre-bureau-des-familles.docx")
    assert typeset(
        "Ministère de l'Intérieur\nDirection générale des étrangers en France\nSous-direction des visas\n"
        "Bureau des familles de réfugiés\n11 rue de la Maison Blanche\n44036 Nantes Cedex 1\n"
        "[À compléter : adresse à vérifier avant l'envoi, non confirmée par une page officielle]"
    ) in letter
    assert typeset("Farid RAHIMI\n8 rue des Tanneurs\nchez l'association Accueil & Droits\n35000 Rennes") in letter
    assert typeset("Rennes, le 20 novembre 2026") in letter
    assert typeset("Réfugié statutaire depuis le 18 septembre 2025 (demande d'asile introduite le 5 février 2024)") in letter
    # the members who can apply: the Latin spelling first for the Bureau, the original script kept after it
    assert typeset("Laila SADAT\nConjointe (mariage)\n30 juillet 1989, Herat (Afghanistan) / هرات\nAmbassade de France à Téhéran\ndéposée le 6 octobre 2026") in letter
    assert typeset("Sara RAHIMI\nEnfant du couple\n14 février 2008, Hérat (Afghanistan)\nAmbassade de France à Téhéran\nà déposer") in letter
    assert typeset("Yasin RAHIMI\nEnfant de la personne protégée (union précédente)\n1er septembre 2009, Kaboul (Afghanistan)") in letter
    assert "Zahra" not in letter
    # the letter encloses what the checklist tells the refugee to send the Bureau (review F-22)
    assert typeset(
        "la copie recto verso de ma carte de résident ;\n"
        "un justificatif de mon adresse actuelle ;\n"
        "mon attestation de droits à l'assurance maladie (sécurité sociale) ;\n"
        "ma dernière attestation de paiement de la CAF mentionnant les personnes à ma charge ;\n"
        "la copie du formulaire simplifié annexé à la décision de l'Ofpra m'accordant la protection ;\n"
    ) in letter
    checklist = text(packet_fr, "pieces-a-reunir.docx")
    for sent in ("attestation de droits", "attestation de paiement de la CAF", "formulaire simplifié"):
        assert sent in checklist
    assert typeset("Yasin est mon fils, né d'une première union") in letter
    assert "{{" not in letter and "{%" not in letter


def test_checklists_per_member_who_can_apply(packet, packet_fr):
    sheet = text(packet, "pieces-a-reunir.docx")
    for who in ("Laila SADAT (wife)", "Omid RAHIMI (child of the couple)", "Sara RAHIMI (child of the couple)", "Yasin RAHIMI (child of a previous union)"):
        assert f"Visa file of {who}" in sheet
    assert "Zahra" not in sheet
    assert sheet.count("☐ 2 identity photos in the EU format.") == 4
    assert sheet.count("☐ The visa fee: 99 € per person, paid in local currency") == 4
    assert "☐ Marriage certificate, with a sworn translation." in sheet
    # Omid has no passport: the letter explaining why replaces it
    omid = sheet.split("Visa file of Omid RAHIMI")[1].split("Visa file of")[0]
    assert "☐ No passport: a letter explaining why one cannot be obtained" in omid and "A passport valid" not in omid
    yasin = sheet.split("Visa file of Yasin RAHIMI")[1]
    assert "☐ The foreign custody judgment, with a sworn translation" in yasin
    assert "☐ Your Ofpra file number (24-11-04567) or CNDA reference" in sheet
    assert "Proof of the family link (éléments de possession d'état)" in sheet and "☐ Screenshots of call histories." in sheet
    assert "What you send to the Bureau des familles de réfugiés" in sheet
    assert "☐ A double-sided copy of your residence permit, or of your receipt (récépissé)." in sheet
    assert "This address is not confirmed by an official page: check it on the Bureau's letter." in sheet
    assert "Rule: amount published by Réfugié.info (any exemption not verified) — certainty: unverified: not confirmed from an official text; check it" in sheet
    fr = text(packet_fr, "pieces-a-reunir.docx")
    assert typeset("Dossier de visa de Laila SADAT (épouse)") in fr
    assert typeset("☐ Les frais de visa : 99 € par personne, payés en monnaie locale") in fr


def test_timeline(packet):
    sheet = text(packet, "calendrier.docx")
    assert "Sara RAHIMI (child of the couple): not yet applied. Apply as soon as possible, on Friday 12 February 2027 at the latest." in sheet
    assert "Laila SADAT (wife): applied on Tuesday 6 October 2026." in sheet
    assert "within 30 days of the notification of the refusal, to: Commission de recours contre les décisions de refus de visa d'entrée en France, BP 83609, 44036 Nantes Cedex 1" in sheet
    assert "Without an answer within 2 months, the appeal is rejected; then the Tribunal administratif de Nantes can be seized within 2 months." in sheet
    assert "Travel to France within the validity of the visa" in sheet
    assert "Within 2 months of arrival, go to the prefecture to be registered and ask for a residence permit." in sheet
    assert "Source: Code de l'entrée et du séjour des étrangers et du droit d'asile (Légifrance), article D312-4" in sheet


def test_timeline_counts_the_30_days_of_a_refusal(tmp_path):
    data = example()
    data["members"][0]["visa_refusal_notified_on"] = "2026-11-05"  # + 30 days = Saturday 5 December
    data["members"][3]["visa_refusal_notified_on"] = "2026-10-20"  # + 30 days = Thursday 19 November: passed
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    sheet = text(out, "calendrier.docx")
    assert (
        "Laila SADAT (wife): refusal notified on Thursday 5 November 2026: day 30 is Saturday 5 December 2026. "
        "It is not a working day: send the appeal by Friday 4 December 2026.\n"
    ) in sheet
    assert (
        "Yasin RAHIMI (child of a previous union): refusal notified on Tuesday 20 October 2026: day 30 is "
        "Thursday 19 November 2026. That day has passed: get legal advice at once."
    ) in sheet
    # The summary sheet (read first) says it too, before anything else of the kind.
    summary = text(out, "summary.docx")
    assert (
        "Appeal to the CRRV — Laila SADAT (wife): refusal notified on Thursday 5 November 2026: day 30 is Saturday "
        "5 December 2026. It is not a working day: send the appeal by Friday 4 December 2026."
    ) in summary
    assert "Appeal to the CRRV — Yasin RAHIMI (child of a previous union): refusal notified on" in summary


def test_eligibility_report(packet, packet_fr):
    report = text(packet, "eligibilite.docx")
    assert "Zahra AHMADI (mother): not eligible" in report
    assert "Left out of the form and of the checklists." in report
    assert "Only a minor refugee can be joined by parents, brothers and sisters; the protected person is an adult." in report
    assert "Sara RAHIMI (child of the couple): eligible\nNo visa application yet: assessed as if it were made on Monday 23 November 2026." in report
    assert "The visa application must be made on Friday 12 February 2027 at the latest." in report
    assert "Certainty: verified: follows directly from a sourced rule" in report
    assert "Source: Conseil d'État, avis du 29 juin 2023, n° 472495 (rechercher le numéro sur conseil-etat.fr) — https://www.conseil-etat.fr" in report
    assert "What this report cannot check" in report
    fr = text(packet_fr, "eligibilite.docx")
    assert typeset("Zahra AHMADI (mère) : non éligible") in fr
    assert typeset("Réunification familiale — rapport d'éligibilité") in fr


def test_summary_sheet_in_the_users_language(packet, packet_fr):
    en = text(packet, "summary.docx")
    assert en.lstrip("\n").startswith("Family reunification — summary sheet\nFor Farid RAHIMI, Ofpra file no. 24-11-04567")
    assert "⚠ Sara RAHIMI (child of the couple): the visa application must be made on Friday 12 February 2027 at the latest." in en
    assert "⚠ The form shows the Latin spelling of: Family members no. 1 › Place of birth (city, country)" in en
    assert "⚠ The family-situation form here is a provisional model" in en
    assert "Zahra AHMADI (mother): not eligible" in en
    assert "formulaire-situation-familiale.pdf: the family-situation form (provisional model), filled" in en
    fr = text(packet_fr, "summary.docx")
    assert fr.lstrip("\n").startswith(typeset("Réunification familiale — fiche récapitulative\nPour Farid RAHIMI, dossier Ofpra n° 24-11-04567"))
    assert typeset("⚠ Sara RAHIMI (enfant du couple) : la demande de visa doit être déposée le vendredi 12 février 2027 au plus tard.") in fr
    assert "Qui peut vous rejoindre" in fr


def test_an_uncertain_member_is_in_the_form_with_a_visible_caution(tmp_path):
    data = example()
    data["members"][0]["union_date"] = data["protected_person"]["asylum_application_date"]
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    form = out / "formulaire-situation-familiale.pdf"
    assert fields(form)["spouses1_name_last"] == "SADAT"
    assert "À VÉRIFIER AVANT L’ENVOI : éligibilité incertaine pour cette personne" in pdftotext(form)  # U+00A0 drawn as a space
    assert fields(form)["children1_caution"] in (None, "")
    summary = text(out, "summary.docx")
    assert "⚠ Eligibility of Laila SADAT (wife) is uncertain: get advice before sending" in summary
    assert "⚠ Eligibility uncertain: get advice before applying" in text(out, "pieces-a-reunir.docx")
    assert "Laila SADAT" in text(out, "lettre-bureau-des-familles.docx")


def test_no_member_can_apply_gives_no_form_and_no_letter(tmp_path):
    data = example()
    data["members"] = [data["members"][4]]
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["calendrier.docx", "eligibilite.docx", "manifest.json", "summary.docx"]
    assert "⚠ No family member can apply for reunification: no form or letter was prepared." in text(out, "summary.docx")


def test_more_children_than_the_form_has_room_for_go_to_its_addendum(tmp_path):
    data = example()
    child = data["members"][1]
    for n, name in enumerate(("Nadia", "Rostam", "Bahar"), start=1):
        extra = copy.deepcopy(child)
        extra["given_names"] = name
        extra["date_of_birth"] = f"201{n}-01-0{n}"
        data["members"].append(extra)
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    form = out / "formulaire-situation-familiale.pdf"
    assert fields(form)["children4_name_first"] == "Nadia"
    seen = pdftotext(form)
    assert "Annexe au formulaire de situation familiale (modèle provisoire)" in seen
    assert "1. Enfant n° 5" in seen and "2. Enfant n° 6" in seen
    assert "Prénoms : Rostam" in seen and "Prénoms : Bahar" in seen


# --- bad input: clean messages naming the field --------------------------------------------------


def _no_relationship(data):
    del data["members"][1]["relationship"]


def _birth_after_visa(data):
    data["members"][1]["date_of_birth"] = "2026-10-07"


def _marriage_in_future(data):
    data["members"][0]["union_date"] = "2026-12-01"


def _grant_before_application(data):
    data["protected_person"]["protection_granted_on"] = "2024-01-31"


BAD = {
    "no_relationship": (
        _no_relationship,
        "“Family members no. 2 › Relationship to the protected person” (section “Family”): the relationship to the protected "
        "person is missing: choose one of spouse, civil_partner, partner, child, child_of_one_parent, parent, sibling, other.",
        "« Membres de la famille n° 2 › Lien avec la personne protégée » (partie « Famille ») : le lien avec la personne "
        "protégée manque : choisissez parmi spouse, civil_partner, partner, child, child_of_one_parent, parent, sibling, other.",
    ),
    "birth_after_visa": (
        _birth_after_visa,
        "“Family members no. 2 › Date of birth” (section “Family”): this date is after “Family members no. 2 › Date the visa "
        "application was lodged at the consulate (empty if not yet)” (in the section “Family”).",
        "« Membres de la famille n° 2 › Date de naissance » (partie « Famille ») : cette date est postérieure à « Membres de "
        "la famille n° 2 › Date du dépôt de la demande de visa au consulat (vide si pas encore) » (dans la partie « Famille »).",
    ),
    "marriage_in_future": (
        _marriage_in_future,
        "“Family members no. 1 › Date of the marriage or PACS, or start of the common life” (section “Family”): this date is in the future.",
        "« Membres de la famille n° 1 › Date du mariage ou du PACS, ou du début de la vie commune » (partie « Famille ») : cette "
        "date est dans le futur.",
    ),
    "grant_before_application": (
        _grant_before_application,
        "“Protected person › Date protection was granted” (section “Protected person”): protection cannot have been "
        "granted before the asylum application (“Protected person › Date the asylum (or statelessness) application was lodged”, "
        "in the section “Protected person”).",
        "« Personne protégée › Date d'octroi de la protection » (partie « Personne protégée ») : la protection ne peut "
        "pas avoir été accordée avant la demande d'asile (« Personne protégée › Date d'introduction de la demande d'asile (ou "
        "d'apatridie) », dans la partie « Personne protégée »).",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_bad_input_gets_one_clean_message_naming_the_field(tmp_path, case, lang):
    mutate, english, french = BAD[case]
    data = example()
    mutate(data)
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 1
    if lang == "en":
        assert result.stderr == f"Error: The answers have 1 problem; nothing was written:\n  - {english}\n"
    else:
        assert result.stderr == f"Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :\n  - {french}\n"
    assert not out.exists()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_name_page_5_cannot_print_is_reported_at_its_own_question(tmp_path, lang):
    """A previous spouse's name and a family member not requested are written in the
    Bureau's sections of page 5, which are composed from several answers: the message names
    the answer the form cannot print, not the whole list of family members."""
    data = example()
    data["marital_situation"]["other_unions"] = [
        {"spouse_name": "Мариам Каримова", "kind": "civil_marriage", "ended_by": "divorce", "ended_on": "2007-11-02"}
    ]
    data["not_requested"][0]["full_name"] = "کریم رحیمی"
    result, out = build(tmp_path, data, lang=lang)
    expected = {
        "en": "Error: The answers have 2 problems; nothing was written:\n"
        "  - “Current marital situation › Previous unions, and any other spouse no. 1 › Name of the spouse or partner” "
        "(section “The Bureau's questionnaire”): the PDF form cannot print a letter of this answer "
        "(U+041C CYRILLIC CAPITAL LETTER EM…): write this answer in Latin letters that the form can print.\n"
        "  - “Family members not requested no. 1 › Name of the family member not requested” (section “The Bureau's questionnaire”): "
        "the PDF form cannot print a letter of this answer (U+06A9 ARABIC LETTER KEHEH…): write this answer in Latin "
        "letters that the form can print.\n",
        "fr": "Erreur : Les réponses comportent 2 problèmes ; rien n'a été écrit :\n"
        "  - « Situation matrimoniale actuelle › Unions précédentes, et tout autre conjoint n° 1 › Nom du conjoint ou du "
        "partenaire » (partie « Le questionnaire du Bureau ») : le formulaire PDF ne peut pas imprimer une lettre "
        "de cette réponse (U+041C CYRILLIC CAPITAL LETTER EM…) : écrivez cette réponse en lettres latines que le "
        "formulaire peut imprimer.\n"
        "  - « Membres de la famille non demandés n° 1 › Nom du membre de la famille non demandé » (partie « Le questionnaire du Bureau ») "
        ": le formulaire PDF ne peut pas imprimer une lettre de cette réponse (U+06A9 ARABIC LETTER KEHEH…) : écrivez "
        "cette réponse en lettres latines que le formulaire peut imprimer.\n",
    }[lang]
    assert (result.returncode, result.stderr) == (1, expected)
    assert not out.exists()
    # in Latin letters, the form prints them on page 5
    data["marital_situation"]["other_unions"][0]["spouse_name"] = "Mariam Karimova"
    data["not_requested"][0]["full_name"] = "Karim Rahimi"
    result, out = build(tmp_path, data, name="fixed")
    assert result.returncode == 0, result.stderr
    values = fields(out / "formulaire-situation-familiale.pdf")
    assert values["marital_other_unions"].startswith("Mariam Karimova — Mariage civil")
    assert "Karim Rahimi — frère (majeur)" in values["not_requested"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_name_the_form_cannot_show_asks_for_its_latin_spelling(tmp_path, lang):
    data = example()
    data["members"][1]["given_names"] = "امید"
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 1
    expected = {
        "en": "  - “Family members no. 2 › Given names” (section “Family”): the PDF form cannot print a letter of this answer "
        "(U+0627 ARABIC LETTER ALEF…): add its spelling in Latin letters that the form can print (as in the passport) in "
        "“Family members no. 2 › Spelling in Latin letters (as in the passport) › Given names in Latin letters”.\n",
        "fr": "  - « Membres de la famille n° 2 › Prénoms » (partie « Famille ») : le formulaire PDF ne peut pas imprimer une "
        "lettre de cette réponse (U+0627 ARABIC LETTER ALEF…) : ajoutez sa graphie en lettres latines que le formulaire peut "
        "imprimer (comme sur le passeport) dans « Membres de la famille n° 2 › Graphie en lettres latines (comme sur le "
        "passeport) › Prénoms en lettres latines ».\n",
    }[lang]
    assert result.stderr.endswith(expected)
    assert "امید" not in result.stderr  # messages name fields, never the values typed
    # with the Latin spelling, the form shows it and the letter keeps the original
    data["members"][1]["latin_spelling"] = {"given_names": "Omid"}
    result, out = build(tmp_path, data, name="fixed")
    assert result.returncode == 0, result.stderr
    assert fields(out / "formulaire-situation-familiale.pdf")["children1_name_first"] == "Omid"
    assert "امید RAHIMI" in text(out, "lettre-bureau-des-familles.docx")
    assert "Family members no. 2 › Given names" in text(out, "summary.docx")


def test_an_ineligible_member_may_have_letters_the_form_cannot_show(tmp_path):
    data = example()
    data["members"][4]["given_names"] = "زهرا"  # the mother is not in the form: nothing to spell
    result, _ = build(tmp_path, data)
    assert result.returncode == 0, result.stderr


# --- in process: flattening, reproducibility, the template --------------------------------------


def _answers(data=None):
    from docassemble_asylum.procedures import get

    spec = get("reunification")
    return spec, spec.validate(data or example(), dt.date.fromisoformat(TODAY))


def test_the_form_can_be_flattened_and_every_file_is_reproducible(tmp_path):
    from docassemble_asylum.procedures.base import BuildOptions

    spec, answers = _answers()
    options = BuildOptions(today=dt.date.fromisoformat(TODAY), lang="en")
    first = {f.name: f.data for f in spec.build_outputs(answers, options, b"x")}
    second = {f.name: f.data for f in spec.build_outputs(answers, options, b"x")}
    assert first == second
    flat = {f.name: f.data for f in spec.build_outputs(answers, BuildOptions(today=options.today, lang="en", extra={"flatten": True}), b"x")}
    with pikepdf.open(io.BytesIO(flat["formulaire-situation-familiale.pdf"])) as pdf:
        assert "/AcroForm" not in pdf.Root
    path = tmp_path / "flat.pdf"
    path.write_bytes(flat["formulaire-situation-familiale.pdf"])
    seen = pdftotext(path)
    for value in ("RAHIMI", "Farid", "24-11-04567", "Herat (Afghanistan)", "10/05/2008", "Ambassade de France à Téhéran", "Yasin"):
        assert value in seen, value


HOSTILE = "Dupont & Fils <select> \"q\" 'a' « œ » سميرة Привет {{ 7*7 }}"


def test_the_cover_letter_template_takes_hostile_text_and_needs_only_its_context():
    from docxtpl import DocxTemplate

    from docassemble_asylum.eligibility.reunification import evaluate
    from docassemble_asylum.procedures.reunification import letter_context
    from docassemble_asylum.render.docx import render_docx
    from docassemble_asylum.resources import letter_template

    data = example()
    data["protected_person"]["address"]["complement"] = HOSTILE
    data["members"][0]["consulate"] = HOSTILE
    data["observations"] = HOSTILE + "\n\n" + HOSTILE
    from docassemble_asylum.models.reunification import Reunification

    answers = Reunification.model_validate(data)  # the letter only: Arabic and Cyrillic are fine in a DOCX
    context = letter_context(answers, evaluate(answers, dt.date.fromisoformat(TODAY)), dt.date.fromisoformat(TODAY))
    template = letter_template("reunification_cover_letter.docx")
    assert DocxTemplate(str(template)).get_undeclared_template_variables() == set(context)
    data_bytes = render_docx(template, context)
    with zipfile.ZipFile(io.BytesIO(data_bytes)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                etree.fromstring(archive.read(name), etree.XMLParser(recover=False))
    seen = docx_text(data_bytes)
    assert seen.count(typeset(HOSTILE)) == 4  # a French letter: typeset, nothing else changed
    assert "{%" not in seen.replace(typeset(HOSTILE), "")


def test_the_letter_template_is_what_its_script_writes():
    sys.path.insert(0, str(ROOT))
    from tools.make_templates import render
    from tools.templates import reunification_cover_letter

    assert (ROOT / "templates" / "letters" / reunification_cover_letter.OUTPUT).read_bytes() == render(reunification_cover_letter)


def test_the_reunification_catalog_is_complete_and_keeps_every_placeholder():
    from babel.messages.pofile import read_po

    result = subprocess.run([sys.executable, "tools/i18n.py", "--check", "--domain", "reunification"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    catalog = read_po((ROOT / "docassemble_asylum/locale/fr/LC_MESSAGES/reunification.po").open("rb"))
    placeholder = re.compile(r"\{[a-z_]+\}")
    for message in catalog:
        if message.id:
            assert sorted(placeholder.findall(message.id)) == sorted(placeholder.findall(message.string)), message.id


def test_build_flatten_option_gives_a_form_whose_text_a_person_sees(tmp_path, example_answers):
    from tests.conftest import require_tool, run_cli

    pdftotext = require_tool("pdftotext")
    import subprocess

    case = example_answers("reunification")
    out = tmp_path / "flat"
    result = run_cli("build", "reunification", "--answers", str(case), "--out", str(out), "--flatten", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    form = out / "formulaire-situation-familiale.pdf"
    assert not PdfReader(form).get_fields()  # flattened: no fields left to edit
    text = subprocess.run([pdftotext, str(form), "-"], capture_output=True, text=True, check=True).stdout
    assert "modèle provisoire" in text.lower()
