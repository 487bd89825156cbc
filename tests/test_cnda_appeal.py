"""The CNDA appeal end to end: answers file -> French draft + summary + manifest.

Assertions are on what a reader sees: the text extracted from the generated DOCX.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests.conftest import run_cli
from pinned_examples import pinned_example_text


def example_data() -> dict:
    return yaml.safe_load(pinned_example_text("cnda-appeal"))


def write_case(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(tmp_path: Path, data: dict, *extra: str, lang: str = "en", today: str = "2026-04-28"):
    case = write_case(tmp_path, data)
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang, *extra)
    return result, out


def test_example_builds_a_complete_draft(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "recours-cnda.docx", "summary.docx"]
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    # identity, birth, nationality, address (R.532-6)
    for fact in (
        "Samira Leïla HADDAD",
        "17 août 1994 à Idlib (Syrie)",
        "syrienne",
        "12 rue des Lilas, chez l'association Accueil & Droits, 93100 Montreuil",
        "N° de dossier Ofpra : 25-04-12345",
        "Samira Hadad, سميرة حداد",
    ):
        assert typeset(fact) in text, fact
    # the court's address comes from the rule data
    assert typeset("Cour nationale du droit d'asile\n35 rue Cuvier\n93558 Montreuil-sous-Bois Cedex") in text
    # the contested decision, what is asked, the language, legal aid
    assert typeset("décision n° 2026-000123 du 24 février 2026 par laquelle le directeur général") in text
    # the notification is stated once, by the admissibility plea after legal aid (review F-38)
    assert typeset("La décision attaquée a été notifiée le 2 mars 2026.") in text
    assert typeset("annuler la décision n° 2026-000123 du 24 février 2026 du directeur général de l'Ofpra ;\nlui reconnaître la qualité de réfugiée ;\nà titre subsidiaire, lui accorder le bénéfice de la protection subsidiaire.") in text
    assert typeset("La requérante souhaite être entendue en arabe.") in text
    assert typeset("a sollicité le bénéfice de l'aide juridictionnelle le 12 mars 2026 (demande n° BAJ-2026-0456 ; pièce n° 3)") in text
    assert typeset("Par une décision du 15 avril 2026, notifiée le 20 avril 2026 (pièce n° 2)") in text
    # facts, paragraph by paragraph; grounds with headings to complete
    assert typeset("Je suis née à Idlib le 17 août 1994. J'ai enseigné huit ans dans une école primaire.\nLe 8 mars 2024") in text
    assert typeset("Sur les craintes de persécution (article 1er A 2 de la convention de Genève)\nLa requérante craint avec raison") in text
    assert typeset("À titre subsidiaire, sur la protection subsidiaire (article L.512-1 du CESEDA)\n[À compléter : développer ce moyen]") in text
    # numbered exhibits starting with the contested decision
    assert typeset("1\nDécision de l'Ofpra n° 2026-000123 du 24 février 2026 (décision attaquée)\nsans objet") in text
    assert typeset("4\nConvocation de la police d'Idlib du 5 mars 2024\noui") in text
    assert typeset("6\nCopie de l'attestation de demande d'asile\nsans objet (document en français)") in text
    # place, date, signature by the applicant
    assert typeset("Fait à Montreuil, le 28 avril 2026\nSamira Leïla HADDAD") in text
    assert "{{" not in text and "{%" not in text


def test_summary_sheet_shows_the_deadline_with_its_reasoning(tmp_path):
    result, out = build(tmp_path, example_data(), lang="en")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "summary.docx").read_bytes())
    # legal aid requested on day 10 suspends; remaining time runs from 20 April (RULES.md §8)
    assert "Last day: Tuesday 12 May 2026" in text
    assert "Safe day (aim for this one): Monday 11 May 2026" in text
    assert "Certainty: uncertain" in text
    assert "35 rue Cuvier" in text and "01 48 18 44 20" in text
    assert "1. Décision de l'Ofpra n° 2026-000123 du 24 février 2026 (décision attaquée)" in text
    fr = build(tmp_path / "fr", example_data(), lang="fr")[1]
    text_fr = docx_text((fr / "summary.docx").read_bytes())
    assert typeset("Dernier jour : mardi 12 mai 2026") in text_fr
    assert typeset("Date sûre (visez celle-ci) : lundi 11 mai 2026") in text_fr


def test_manifest_lists_files_with_their_hashes(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["procedure"] == "cnda-appeal"
    assert manifest["input_sha256"] == hashlib.sha256((tmp_path / "case.yaml").read_bytes()).hexdigest()
    listed = {f["name"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == {"recours-cnda.docx", "summary.docx"}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert len(manifest["rules_digest"]) == 64


def test_outputs_are_private(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    for path in out.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_hostile_values_print_literally(tmp_path):
    data = example_data()
    data["applicant"]["family_name"] = "Dupont & Fils <b> « œuvre »"
    data["applicant"]["given_names"] = "{{ 7*7 }} عبد الله"
    data["facts"] = "Texte avec {% for x in y %} et <w:p> & ' \" ; caractère\x07 de contrôle."
    data["exhibits"][0]["title"] = "Pièce {{ applicant }} & co"
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    assert typeset("{{ 7*7 }} عبد الله DUPONT & FILS <B> « ŒUVRE »") in text
    assert typeset("Texte avec {% for x in y %} et <w:p> & ' \" ; caractère de contrôle.") in text
    assert typeset("Pièce {{ applicant }} & co") in text
    assert "49" not in text.split("Fait à")[0].split("RECOURS")[0]


def test_lawyer_signs_when_the_lawyer_files(tmp_path):
    data = example_data()
    data["filed_by"] = "lawyer"
    data["lawyer"] = {"name": "Claire Martin", "bar": "Seine-Saint-Denis"}
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    # The lawyer's sex is not given: a neutral wording, never a masculine default.
    assert "Représentée par Maître Claire Martin, du barreau de Seine-Saint-Denis" in text
    assert "Pour Samira Leïla HADDAD, Maître Claire Martin, du barreau de Seine-Saint-Denis" in text
    data["lawyer"]["sex"] = "female"
    result, out = build(tmp_path, data, "--force")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    assert "Représentée par Maître Claire Martin, avocate au barreau de Seine-Saint-Denis" in text
    assert "Pour Samira Leïla HADDAD, Maître Claire Martin, avocate au barreau de Seine-Saint-Denis" in text


def test_subsidiary_protection_granted_asks_for_refugee_status_only(tmp_path):
    data = example_data()
    data["decision"]["outcome"] = "subsidiary_protection_granted"
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    assert "lui a accordé le bénéfice de la protection subsidiaire mais a refusé" in text
    assert "à titre subsidiaire, accorder" not in text


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    first, out = build(tmp_path, example_data())
    assert first.returncode == 0
    before = (out / "recours-cnda.docx").read_bytes()
    data = example_data()
    data["hearing_language"] = "dari"
    second, _ = build(tmp_path, data)
    assert second.returncode == 1
    assert "already contains files" in second.stderr and "--force" in second.stderr
    assert (out / "recours-cnda.docx").read_bytes() == before
    third, _ = build(tmp_path, data, "--force")
    assert third.returncode == 0, third.stderr
    assert "entendue en dari." in docx_text((out / "recours-cnda.docx").read_bytes())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_check_prints_deadline_json(tmp_path):
    case = write_case(tmp_path, example_data())
    result = run_cli("check", "cnda-appeal", "--answers", str(case), "--json", "--today", "2026-04-28")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["valid"] is True
    assert body["deadline"]["last_day"] == "2026-05-12"
    assert body["deadline"]["safe_day"] == "2026-05-11"
    assert list((tmp_path).iterdir()) == [case]


def test_schema_and_example_commands():
    schema = run_cli("schema", "cnda-appeal")
    assert schema.returncode == 0
    body = json.loads(schema.stdout)
    assert set(body["required"]) >= {"applicant", "decision", "facts", "hearing_language", "signature"}
    assert body["additionalProperties"] is False
    example = run_cli("example", "cnda-appeal", "--today", "2026-04-28")
    assert example.stdout.startswith("# Fictional case")
    assert yaml.safe_load(example.stdout) == example_data()


@pytest.mark.parametrize(
    ("mutate", "lang", "expected"),
    [
        (
            lambda d: d["applicant"].update(date_of_birth="2026-02-30"),
            "en",
            "“Applicant › Date of birth” (section “Applicant”): not a valid date: this day does not exist in the calendar (check the day and the month).",
        ),
        (
            lambda d: d["applicant"].update(date_of_birth="2026-02-30"),
            "fr",
            "« Personne requérante › Date de naissance » (partie « Personne requérante ») : date invalide : ce jour n'existe pas dans le calendrier (vérifiez le jour et le mois).",
        ),
        (
            lambda d: d["applicant"].pop("nationality"),
            "en",
            "“Applicant › Nationality” (section “Applicant”): this answer is required.",
        ),
        (
            lambda d: d["decision"]["notification"].update(received_on="2026-05-02"),
            "en",
            "“Contested Ofpra decision › Notification of the decision › Date the registered letter was received” "
            "(section “Decision”): this date is in the future.",
        ),
        (
            lambda d: d["decision"].update(
                notification={"method": "online", "posted_online_on": "2026-03-10", "first_read_on": "2026-03-09"}
            ),
            "en",
            "“Contested Ofpra decision › Notification of the decision › Date the decision was first read online” "
            "(section “Decision”): the decision cannot have been read before it was posted online (“Contested Ofpra decision › Notification of the decision › Date the decision was posted in the Ofpra online account”, in the section “Decision”).",
        ),
        (
            lambda d: d["legal_aid"].update(decision_notified_on="2026-03-11", decided_on=None),
            "en",
            "“Legal aid › Date the legal-aid decision was notified” (section “Legal aid”): "
            "the legal-aid decision cannot be notified before the request (“Legal aid › Date legal aid was requested”, in the section “Legal aid”).",
        ),
        (
            lambda d: d["legal_aid"].update(decision_notified_on="2026-03-11", decided_on=None),
            "fr",
            "« Aide juridictionnelle › Date de notification de la décision d'aide juridictionnelle » (partie « Aide juridictionnelle ») : "
            "la décision d'aide juridictionnelle ne peut pas être notifiée avant la demande (« Aide juridictionnelle › Date de la demande d'aide juridictionnelle », dans la partie « Aide juridictionnelle »).",
        ),
        (
            lambda d: d["applicant"].update(ofpra_file_number="?"),
            "en",
            "“Applicant › Ofpra file number” (section “Applicant”): an Ofpra file number is written with digits "
            "(for example 25-04-12345): copy it from a letter of Ofpra.",
        ),
        (
            lambda d: d["applicant"].update(ofpra_file_number="inconnu"),
            "fr",
            "« Personne requérante › Numéro de dossier Ofpra » (partie « Personne requérante ») : un numéro de dossier Ofpra s'écrit "
            "avec des chiffres (par exemple 25-04-12345) : recopiez-le d'un courrier de l'Ofpra.",
        ),
        (
            lambda d: d.update(filed_by="lawyer"),
            "en",
            "“Lawyer” (section “Signature”): the lawyer's name and bar are needed when the lawyer files the appeal.",
        ),
        (
            lambda d: d.update(favourite_colour="blue"),
            "en",
            "the answers hold an answer that this procedure does not know (check the spelling of its name, or remove it).",
        ),
    ],
)
def test_bad_answers_get_one_clear_message_and_nothing_is_written(tmp_path, mutate, lang, expected):
    data = example_data()
    mutate(data)
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    header = "Error: The answers have 1 problem; nothing was written:" if lang == "en" else "Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :"
    assert result.stderr.startswith(header)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_malformed_file_names_the_line(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("applicant:\n  family_name: [Haddad\n", encoding="utf-8")
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.returncode == 1
    assert f"Error: The answers file {case} cannot be read: it is not valid YAML (line 3)." in result.stderr
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("hearing_language: arabe\nhearing_language: dari\n", encoding="utf-8")
    result = run_cli("check", "cnda-appeal", "--answers", str(duplicate), "--lang", "fr")
    assert result.returncode == 1
    assert "la réponse « hearing_language » est donnée deux fois (ligne 2)" in result.stderr


def test_reproducible_docx(tmp_path):
    first, out1 = build(tmp_path / "a", example_data())
    second, out2 = build(tmp_path / "b", example_data())
    assert first.returncode == second.returncode == 0
    for name in ("recours-cnda.docx", "summary.docx"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()


def test_build_past_the_last_day_still_builds_and_warns(tmp_path):
    result, out = build(tmp_path, example_data(), today="2026-05-13")
    assert result.returncode == 0, result.stderr
    assert "The last day (Tuesday 12 May 2026) has passed. Get legal advice at once" in result.stdout
    summary = docx_text((out / "summary.docx").read_bytes())
    assert summary.splitlines()[3].startswith("⚠ The last day (Tuesday 12 May 2026) has passed.")
