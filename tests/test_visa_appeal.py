"""The appeal against a visa refusal to the commission: deadline vectors, the French letter
(DOCX and PDF), the summary, bad input, the deadline command, and the start from a
reunification answers file.

The deadline is 30 days from the notification (CESEDA D.312-4, RULES.md §5); whether a
day 30 on a weekend or holiday is extended is not settled, so the safe day is then the
working day before it and the result ``uncertain``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.deadlines import visa
from docassemble_asylum.deadlines.common import DeadlineInputError
from docassemble_asylum.i18n import language
from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests import procedure_cases
from tests.conftest import run_cli
from tests.procedure_cases import write_case
from tests.test_deadline_cli import invoke
import visa_appeal_cases
from pinned_examples import EXAMPLE_DAY, pinned_example_text

D = dt.date
LETTER = "recours-commission-refus-visa.docx"
TODAY = "2026-12-04"


def example_data() -> dict:
    return procedure_cases.example_data("visa-appeal")


def build(tmp_path: Path, data: dict, *extra: str, lang: str = "en", today: str = TODAY):
    return procedure_cases.build("visa-appeal", tmp_path, data, *extra, lang=lang, today=today)


def appeal(notified: dt.date, today: dt.date | None = None):
    with language("en"):
        return visa.compute_appeal(notified, today)


# --- deadline vectors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "last", "safe", "certainty"),
    [
        # Tuesday 24 November 2026 + 30 days = Thursday 24 December 2026, a working day
        (D(2026, 11, 24), D(2026, 12, 24), D(2026, 12, 24), "verified"),
        # notified on a Saturday: the period runs all the same; day 30 is Monday 28 December
        (D(2026, 11, 28), D(2026, 12, 28), D(2026, 12, 28), "verified"),
        # day 30 on Christmas (Friday 25 December): aim for Thursday 24 December, uncertain
        (D(2026, 11, 25), D(2026, 12, 25), D(2026, 12, 24), "uncertain"),
        # day 30 on a Sunday (8 March 2026): aim for Friday 6 March
        (D(2026, 2, 6), D(2026, 3, 8), D(2026, 3, 6), "uncertain"),
        # day 30 on Easter Monday (6 April 2026): back over Sunday and Saturday to Friday 3 April
        (D(2026, 3, 7), D(2026, 4, 6), D(2026, 4, 3), "uncertain"),
        # 31 days in January: 2 January + 30 = 1 February 2027 (Monday)
        (D(2027, 1, 2), D(2027, 2, 1), D(2027, 2, 1), "verified"),
    ],
)
def test_appeal_deadline_vectors(notified, last, safe, certainty):
    result = appeal(notified)
    assert (result.kind, result.last_day, result.safe_day, result.certainty.value) == ("visa_appeal", last, safe, certainty)
    assert result.details["implicit_rejection_if_received_on_safe_day"] == visa.cal.add_months(safe, 2).isoformat()


def test_a_day_thirty_on_a_holiday_is_said_unsettled():
    result = appeal(D(2026, 11, 25))
    assert (
        "Friday 25 December 2026 is not a working day (public holiday: Noël), and whether this period is then extended is "
        "not settled: aim for the working day before it, Thursday 24 December 2026."
    ) in result.steps


def test_the_silence_of_the_commission_is_dated_from_its_receipt():
    result = appeal(D(2026, 11, 24))
    assert result.steps[-1] == (
        "If the commission does not answer within 2 months of receiving the appeal, the appeal is rejected (implicit "
        "rejection). Received on Thursday 24 December 2026, that would be on Wednesday 24 February 2027; the date on the "
        "acknowledgement of receipt is the one that counts."
    )


def test_a_notification_before_the_rule_is_a_user_error():
    with language("en"), pytest.raises(DeadlineInputError) as caught:
        visa.compute_appeal(D(2022, 12, 30), None, labels={"notified": "--notified"})
    assert str(caught.value) == "--notified: the rules of this tool start on Sunday 1 January 2023: an earlier date cannot be computed."


# --- the deadline command --------------------------------------------------------------------


def test_deadline_command_json_contract_and_ics(capsys, tmp_path):
    body, event = procedure_cases.deadline_with_calendar(capsys, tmp_path, "visa-appeal", "--notified", "2026-11-25", "--today", "2026-12-01")
    assert (body["kind"], body["last_day"], body["safe_day"], body["certainty"]) == ("visa_appeal", "2026-12-25", "2026-12-24", "uncertain")
    assert body["steps"][0] == (
        "The appeal must be made within 30 days of the notification of the refusal — CESEDA, art. D.312-4; period "
        "computation: CPC, art. 641: Wednesday 25 November 2026 + 30 days = Friday 25 December 2026."
    )
    assert (body["passed"], body["safe_day_passed"]) == (False, False)
    assert event.decoded("dtstart") == D(2026, 12, 24)
    assert str(event["summary"]).startswith("Appeal against a visa refusal (commission)")


def test_deadline_command_in_french_and_exit_3_once_passed(capsys):
    code, out, err = invoke(capsys, "deadline", "visa-appeal", "--notified", "2026-11-24", "--today", "2026-12-28", "--lang", "fr")
    assert code == 3
    assert "Dernier jour (le recours doit parvenir à la commission) : jeudi 24 décembre 2026" in out
    assert "le recours est tardif. La commission peut le rejeter comme tardif" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "Missing option '--notified'."),
        (["--notified", "24/11/2026"], 1, "Error: --notified: not a valid date: write it as YYYY-MM-DD, for example 2026-03-02.\n"),
        (["--notified", "2026-12-10", "--today", "2026-12-04"], 1, "Error: --notified: this date is after today (Friday 4 December 2026).\n"),
    ],
)
def test_deadline_command_bad_input(capsys, args, code, message):
    status, out, err = invoke(capsys, "deadline", "visa-appeal", *args, "--lang", "en")
    assert (status, out) == (code, "")
    assert err == message if code == 1 else message in err
    assert "Traceback" not in err


# --- the letter and the summary --------------------------------------------------------------


def test_letter_has_every_mandatory_mention(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    for fact in (
        # the sender, the commission, the way it is sent
        "Farid RAHIMI",
        "N° de dossier Ofpra : 24-11-04567",
        "Autres noms ou graphies : فرید رحیمی",
        "Commission de recours contre les décisions de refus de visa d'entrée en France",
        "BP 83609",
        "44036 Nantes Cedex 1",
        "Lettre recommandée avec demande d'avis de réception",
        # the refusal: consulate, date, reference, notification
        "Objet : recours contre la décision de refus de visa de long séjour (réunification familiale) du 20 novembre 2026, "
        "référence TEH-2026-004512",
        "du 20 novembre 2026 (référence TEH-2026-004512 ; Ambassade de France à Téhéran) refusant les visas de long séjour "
        "sollicités au titre de la réunification familiale par Laila SADAT, Omid RAHIMI et Yasin RAHIMI. Cette décision a été notifiée le 24 novembre 2026.",
        "Je soussigné Farid RAHIMI, réfugié statutaire par décision du 18 septembre 2025 (dossier Ofpra n° 24-11-04567), forme",
        # each refused member
        "Conjointe (mariage), née le 30 juillet 1989 à Herat (Afghanistan) / هرات, de nationalité afghane ; demande de visa "
        "déposée le 6 octobre 2026.",
        "Enfant du couple, né le 15 mars 2010 à Hérat (Afghanistan), de nationalité afghane ; demande de visa déposée le 6 octobre 2026.",
        "Enfant de la personne protégée (union précédente), né le 1er septembre 2009 à Kaboul (Afghanistan)",
        # the grounds, one by one: the refusal's words, the argument, the answer or the part to complete
        "Sur le lien familial",
        "La décision retient : « Les documents produits ne permettent pas d'établir le lien familial allégué. »",
        "Laila Sadat est mon épouse depuis le 10 mai 2008 ; Omid est notre fils.",
        "Sur les actes d'état civil",
        "font foi en application de l'article 47 du code civil",
        "[À compléter : les actes contestés, leur légalisation ou vérification, et pourquoi ils sont authentiques]",
        "l'article 8 de la convention européenne de sauvegarde des droits de l'homme",
        "l'intérêt supérieur des enfants (article 3-1 de la convention internationale des droits de l'enfant)",
        # the evidence, the request, the signature, the enclosures
        "Preuves du lien familial",
        "Acte de mariage du 10 mai 2008 (avec traduction)",
        "Relevés de transferts d'argent vers l'Iran (2024-2026)",
        "je vous demande d'admettre le présent recours et de recommander aux ministres compétents d'accorder les visas de "
        "long séjour sollicités.",
        "Fait à Rennes, le 4 décembre 2026",
        "Copie de la décision de refus de visa (référence TEH-2026-004512) du 20 novembre 2026 et de sa notification",
        "Copie de la décision accordant la protection internationale (dossier Ofpra n° 24-11-04567, décision du 18 septembre 2025)",
    ):
        assert typeset(fact) in text, fact
    assert "» ." not in text and "». »" not in text


def test_summary_in_english_gives_the_deadline_the_address_status_and_the_next_step_by_title(tmp_path):
    result, out = build(tmp_path, example_data())
    facts = (
        "Appeal against a visa refusal — summary sheet",
        "For Farid RAHIMI, against the refusal TEH-2026-004512 of Friday 20 November 2026",
        "The letter has parts to complete, marked “[À compléter : …]”: write them in French before sending.",
        "Last day: Thursday 24 December 2026",
        "Certainty: verified (follows directly from a sourced rule)",
        "This address is not confirmed by an official page (unverified): the refusal notice says where to appeal, and it prevails.",
        "The civil-status documents are contested — to complete in the letter",
        "Without an answer within 2 months of the day the commission receives the appeal, it is rejected; received on "
        "Thursday 24 December 2026, that would be on Wednesday 24 February 2027.",
        "the next step is the “Application to the administrative court against a visa refusal”",
    )
    summary = procedure_cases.assert_summary_says(result, out, "en", facts)
    assert "asylumdocs" not in summary.replace("Prepared with asylumdocs", "")
    assert result.stdout.endswith("Last day: Thursday 24 December 2026\n")


def test_summary_in_french(tmp_path):
    result, out = build(tmp_path, example_data(), lang="fr")
    facts = (
        "Recours contre un refus de visa — fiche récapitulative",
        "Dernier jour : jeudi 24 décembre 2026",
        "Cette adresse n'est pas confirmée par une page officielle (non vérifiée)",
        "l'étape suivante est la « Requête au tribunal administratif contre un refus de visa »",
    )
    procedure_cases.assert_summary_says(result, out, "fr", facts)


def test_every_ground_answered_leaves_nothing_to_complete(tmp_path):
    data = example_data()
    data["grounds"][1]["answer"] = "Les actes ont été légalisés par le ministère des affaires étrangères afghan."
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "[À compléter" not in docx_text((out / LETTER).read_bytes())
    assert "parts to complete" not in docx_text((out / "summary.docx").read_bytes())


def test_a_late_appeal_is_built_with_the_warning_of_what_it_means(tmp_path):
    data = example_data()
    data["signature"]["date"] = "2026-12-28"
    result, out = build(tmp_path, data, today="2026-12-28")
    assert result.returncode == 0, result.stderr
    late = (
        "Today (Monday 28 December 2026) is after the last day (Thursday 24 December 2026): the appeal is late. The commission "
        "may reject it as out of time, and the tribunal cannot then examine the refusal itself."
    )
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "The last day (Thursday 24 December 2026) has passed. Get legal advice at once (a lawyer, an association)." in summary
    assert late in summary
    assert late in result.stdout
    assert (out / LETTER).is_file()


def test_pdf_text_has_the_mandatory_mentions(tmp_path):
    result, out = build(tmp_path, example_data(), "--pdf")
    procedure_cases.assert_pdf_says(
        result,
        out,
        "recours-commission-refus-visa.pdf",
        (
            "Commission de recours contre les décisions de refus de visa d'entrée en France BP 83609 44036 Nantes Cedex 1",
            "Lettre recommandée avec demande d'avis de réception",
            "référence TEH-2026-004512",
            "Cette décision a été notifiée le 24 novembre 2026.",
            "Sur le lien familial",
            "Sur les actes d'état civil",
            "[À compléter : les actes contestés",
            "Fait à Rennes, le 4 décembre 2026",
            "(signature)",
        ),
    )


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "lang", "message"),
    [
        (
            lambda d: d["refusal"].update(notified_on="2026-10-05", date="2026-10-02"),
            "en",
            "“Visa refusal › Date the refusal was notified” (section “Refusal”): the refusal cannot be notified before the "
            "visa application was lodged (“Family members whose visa was refused no. 1 › Date the visa application was lodged "
            "at the consulate (empty if not yet)”, in the section “Family”).",
        ),
        (
            lambda d: d["refusal"].update(notified_on="2026-10-05", date="2026-10-02"),
            "fr",
            "« Refus de visa › Date de notification du refus » (partie « Refus ») : le refus ne peut pas être notifié avant "
            "le dépôt de la demande de visa (« Membres de la famille dont le visa a été refusé n° 1 › Date du dépôt de la "
            "demande de visa au consulat (vide si pas encore) », dans la partie « Famille »).",
        ),
        (
            lambda d: d["refusal"].update(notified_on="2026-11-19"),
            "en",
            "“Visa refusal › Date the refusal was notified” (section “Refusal”): the refusal cannot be notified before it was "
            "decided (“Visa refusal › Date of the refusal decision”, in the section “Refusal”).",
        ),
        (
            lambda d: d["members"][0].pop("visa_application_date"),
            "en",
            "“Family members whose visa was refused no. 1 › Date the visa application was lodged at the consulate (empty if not "
            "yet)” (section “Family”): this answer is required: the refused visa was applied for on a date.",
        ),
        (
            lambda d: d["grounds"].append({"ground": "other"}),
            "en",
            "“Grounds of the refusal no. 3 › The ground as the refusal words it” (section “Grounds”): this answer is required "
            "for another ground: copy it from the refusal.",
        ),
        (
            lambda d: d["refusal"].update(notified_on="2026-12-10"),
            "en",
            "“Visa refusal › Date the refusal was notified” (section “Refusal”): this date is in the future.",
        ),
        (
            lambda d: d["grounds"][0].update(ground="fraud"),
            "en",
            "(section “Grounds”): choose one of: 'link_not_proven', 'documents_contested', 'identity_not_established', "
            "'not_eligible', 'public_order', 'incomplete_file' or 'other'.",
        ),
    ],
)
def test_bad_answers_name_the_question_and_write_nothing(tmp_path, change, lang, message):
    data = example_data()
    change(data)
    result, out = build(tmp_path, data, lang=lang)
    procedure_cases.assert_refused(result, out, message)


# --- from a reunification answers file -------------------------------------------------------


REUNIFICATION_DAY = EXAMPLE_DAY["reunification"]  # the refusals are 3 days old that day


def reunification_with_refusals() -> dict:
    return visa_appeal_cases.reunification_with_refusals(pinned_example_text("reunification"), REUNIFICATION_DAY)


def rest_of_the_appeal() -> dict:
    return visa_appeal_cases.rest_of_the_appeal(REUNIFICATION_DAY)


def test_from_reunification_takes_the_protected_person_the_refused_members_and_the_shared_refusal():
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.reunification import PROCEDURE as REUNIFICATION

    given = REUNIFICATION.model.model_validate(reunification_with_refusals())
    reused = get("visa-appeal").answers_from(reunification_with_refusals(), Path("r.yaml"))
    assert sorted(reused) == ["members", "protected_person", "refusal"]
    assert [m["given_names"] for m in reused["members"]] == ["Laila", "Omid"]
    assert reused["refusal"] == {"notified_on": "2026-11-20", "consulate": "Ambassade de France à Téhéran"}
    assert reused["protected_person"] == given.protected_person.model_dump(mode="json")


def test_from_reunification_without_a_recorded_refusal_takes_the_members_who_applied():
    from docassemble_asylum.procedures import get

    data = yaml.safe_load(pinned_example_text("reunification"))
    reused = get("visa-appeal").answers_from(data, Path("r.yaml"))
    assert [m["given_names"] for m in reused["members"]] == ["Laila", "Omid", "Yasin"]
    assert reused["refusal"] == {"consulate": "Ambassade de France à Téhéran"}


@pytest.mark.parametrize("encrypted", [False, True])
def test_build_visa_appeal_from_a_reunification_file(tmp_path, monkeypatch, encrypted):
    source = write_case(tmp_path, reunification_with_refusals(), "reunification.yaml")
    if encrypted:
        from docassemble_asylum import crypto

        sealed = tmp_path / "reunification.yaml.age"
        sealed.write_bytes(crypto.encrypt_bytes(source.read_bytes(), passphrase="correct horse battery staple"))
        source.unlink()
        source = sealed
        monkeypatch.setenv("ASYLUMDOCS_PASSPHRASE", "correct horse battery staple")
    result, out = procedure_cases.build_from("visa-appeal", tmp_path, source, rest_of_the_appeal(), today="2026-11-23")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("(référence TEH-2026-004512 ; Ambassade de France à Téhéran) refusant les visas de long séjour") in text
    assert typeset("par Laila SADAT et Omid RAHIMI. Cette décision a été notifiée le 20 novembre 2026.") in text
    assert "Yasin" not in text and "Zahra" not in text
    # without --from the same rest is not an appeal: the protected person and the family are missing
    alone = run_cli(
        "build", "visa-appeal", "--answers", str(tmp_path / "rest.yaml"), "--out", str(tmp_path / "alone"), "--today", "2026-11-23", "--lang", "en"
    )
    assert alone.returncode == 1
    assert "“Protected person” (section “Protected person”): this answer is required." in alone.stderr


def test_from_a_file_of_another_procedure_is_refused(tmp_path):
    other = write_case(tmp_path, yaml.safe_load(pinned_example_text("cnda-legal-aid")), "aj.yaml")
    rest = write_case(tmp_path, rest_of_the_appeal(), "rest.yaml")
    out = tmp_path / "out"
    result = run_cli("build", "visa-appeal", "--from", str(other), "--answers", str(rest), "--out", str(out), "--today", TODAY, "--lang", "fr")
    assert result.returncode == 1
    assert result.stderr == (
        f"Erreur : --from : {other} n'est pas un fichier de réponses complet de « Réunification familiale ». "
        "Vérifiez-le avec asylumdocs check.\n"
    )
    assert not out.exists()


def test_guided_appeal_from_a_reunification_file_asks_only_the_refusal(tmp_path, monkeypatch):
    from docassemble_asylum.procedures import get
    from docassemble_asylum.questions.runner import run_interview
    from tests.test_question_sets import Scripted

    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")
    reused = get("visa-appeal").answers_from(reunification_with_refusals(), tmp_path / "r.yaml")
    example = {**reunification_with_refusals(), **rest_of_the_appeal(), "members": reused["members"]}
    terminal = Scripted("visa-appeal", "en", example=example)
    answers, _data = run_interview(
        get("visa-appeal"), lang="en", today=D(2026, 11, 23), terminal=terminal, prefill=(reused, tmp_path / "r.yaml")
    )
    assert f"Starting from {tmp_path / 'r.yaml'}: " in "\n".join(terminal.out)
    asked = [line.split(" ")[1] for line in terminal.out if line.startswith("@ask ")]
    assert not [path for path in asked if path.startswith(("protected_person.", "members", "refusal.notified_on", "refusal.consulate"))]
    assert "refusal.date" in asked and "refusal.reference" in asked
    assert answers.refusal.reference == "TEH-2026-004512"
    assert [m.given_names for m in answers.members] == ["Laila", "Omid"]


# --- example, schema, check, batch ------------------------------------------------------------


def test_example_builds_without_today(tmp_path):
    example = run_cli("example", "visa-appeal")
    assert example.returncode == 0, example.stderr
    case = tmp_path / "example.yaml"
    case.write_text(example.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "visa-appeal", "--answers", str(case), "--out", str(out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", LETTER, "summary.docx"]
    assert "has passed" not in result.stdout
    check = run_cli("check", "visa-appeal", "--answers", str(case), "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["deadline"]["passed"] is False


# --- the reunification points to the appeal while it is open --------------------------------


@pytest.mark.parametrize(("today", "open_"), [("2026-12-20", True), ("2026-12-21", False)])
def test_reunification_summary_points_to_the_appeal_by_title_and_the_command_line_by_command(tmp_path, today, open_):
    # Laila's and Omid's refusal notified on Friday 20 November 2026: day 30 is Sunday 20 December,
    # so the appeal is aimed at Friday 18 December; the pointer stays until the last day has passed.
    data = reunification_with_refusals()
    case = write_case(tmp_path, data, "reunification.yaml")
    out = tmp_path / "out"
    result = run_cli("build", "reunification", "--answers", str(case), "--out", str(out), "--today", today, "--lang", "en")
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    pointer = (
        "A visa refusal was notified: the appeal to the commission must arrive by Friday 18 December 2026. Prepare the "
        "“Appeal against a visa refusal (commission)”: the family is already answered."
    )
    command = (
        "Next step: a visa refusal was notified, appeal by Friday 18 December 2026: asylumdocs build visa-appeal --from "
        "ANSWERS_FILE --out FOLDER"
    )
    assert (pointer in summary) is open_
    assert "asylumdocs build" not in summary
    assert (command in result.stdout) is open_


def test_reunification_without_a_refusal_points_nowhere(tmp_path):
    case = write_case(tmp_path, yaml.safe_load(pinned_example_text("reunification")), "reunification.yaml")
    out = tmp_path / "out"
    result = run_cli("build", "reunification", "--answers", str(case), "--out", str(out), "--today", "2026-11-23", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert "visa-appeal" not in result.stdout
    assert "Un refus de visa a été notifié" not in docx_text((out / "summary.docx").read_bytes())
