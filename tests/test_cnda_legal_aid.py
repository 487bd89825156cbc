"""The legal-aid request to the CNDA: deadline vectors, the French letter, the summary, bad input, the CLI.

The deadline is 15 days from the notification (RULES.md §2): not a délai franc and never
extended to the next working day; N is read by the CNDA appeal's own engine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.deadlines import cnda, cnda_legal_aid
from docassemble_asylum.deadlines.common import DeadlineInputError
from docassemble_asylum.i18n import language
from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests.conftest import run_cli
from tests.test_deadline_cli import invoke
from pinned_examples import pinned_example_text

D = dt.date


def example_data() -> dict:
    from docassemble_asylum.procedures import get

    return yaml.safe_load(pinned_example_text("cnda-legal-aid"))


def write_case(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(tmp_path: Path, data: dict, *extra: str, lang: str = "en", today: str = "2026-03-05"):
    case = write_case(tmp_path, data)
    out = tmp_path / "out"
    result = run_cli("build", "cnda-legal-aid", "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang, *extra)
    return result, out


def compute(**kwargs):
    with language("en"):
        return cnda_legal_aid.compute(cnda.CndaInputs(**kwargs))


# --- deadline vectors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "last", "safe", "certainty", "appeal_last"),
    [
        # received Monday 2 March: + 15 days = Tuesday 17 March; the appeal (1 month, délai franc) 3 April
        ({"notified": D(2026, 3, 2)}, D(2026, 3, 17), D(2026, 3, 17), "verified", "2026-04-03"),
        # uncollected letter: the avis de passage counts, the same way
        ({"uncollected_notice": D(2026, 3, 2)}, D(2026, 3, 17), D(2026, 3, 17), "verified", "2026-04-03"),
        # online, never read: N = posted + 15 (17 March) or posted + 14 (16 March): both readings
        ({"posted_online": D(2026, 3, 2)}, D(2026, 4, 1), D(2026, 3, 31), "uncertain", "2026-04-20"),
        # online, read within the 15 days: that day is N, one reading only (appeal: 6 April is Easter Monday)
        ({"posted_online": D(2026, 3, 2), "first_read": D(2026, 3, 5)}, D(2026, 3, 20), D(2026, 3, 20), "verified", "2026-04-07"),
        # day 15 on a Saturday: NOT extended to Monday 23 March; aim for Friday 20 March
        ({"notified": D(2026, 3, 6)}, D(2026, 3, 21), D(2026, 3, 20), "verified", "2026-04-07"),
        # day 15 on Ascension Thursday (14 May 2026): not extended; aim for Wednesday 13 May
        ({"notified": D(2026, 4, 29)}, D(2026, 5, 14), D(2026, 5, 13), "verified", "2026-06-01"),
    ],
)
def test_deadline_vectors(inputs, last, safe, certainty, appeal_last):
    result = compute(**inputs)
    assert (result.kind, result.last_day, result.safe_day, result.certainty.value) == ("cnda_legal_aid", last, safe, certainty)
    assert result.details["appeal_last_day"] == appeal_last
    assert result.details["reform"] == "no"


def test_day_fifteen_on_a_weekend_is_said_not_extended():
    result = compute(notified=D(2026, 3, 6))
    assert (
        "Saturday 21 March 2026 is not a working day, and this period is not extended to the next one: aim for the "
        "working day before it, Friday 20 March 2026 (a fax can still be sent on the last day)."
    ) in result.steps
    assert not any("extended to the next working day" in step for step in result.steps)


@pytest.mark.parametrize(("procedure", "safe"), [("normal", D(2026, 6, 24)), ("accelerated", D(2026, 6, 15))])
def test_after_the_reform_unverified_with_the_appeals_safe_day(procedure, safe):
    # notified Wednesday 10 June 2026: request by 25 June; the appeal may be as short as 14 (or 5) days
    result = compute(notified=D(2026, 6, 10), procedure=procedure)
    appeal = cnda.compute(cnda.CndaInputs(notified=D(2026, 6, 10), procedure=procedure))
    assert result.last_day == D(2026, 6, 25)
    assert result.certainty.value == "unverified"
    assert result.safe_day == appeal.safe_day == safe
    assert result.details["appeal_safe_day"] == safe.isoformat()
    assert result.details["reform"] == "yes"
    # the regulation's range for this kind of decision (art. 67(7), rule data; review F-09)
    span = {"normal": "between 2 weeks and 1 month", "accelerated": "between 5 and 10 days"}[procedure]
    shown = {"normal": "Wednesday 24 June 2026", "accelerated": "Monday 15 June 2026"}
    assert any(
        f"whether a legal-aid request still suspends the appeal period, which may now be {span}, is not known "
        "(unverified). Request legal aid now, and do not rely on the suspension" in w
        for w in result.warnings
    )
    # the period printed on the decision binds: the user is asked to read it and enter it (review F-10)
    assert (
        "Read the “voies et délais de recours” section of the decision and enter the period printed there "
        f"(--stated-period): that period applies. Until it is entered, aim for the safe day ({shown[procedure]})."
    ) in result.warnings


def test_after_the_reform_with_the_printed_period_no_request_to_read_it():
    result = compute(notified=D(2026, 6, 10), procedure="normal", stated_period="1 month")
    assert not any(w.startswith("Read the “voies et délais de recours”") for w in result.warnings)


def test_how_to_send_comes_from_the_rule_data():
    result = compute(notified=D(2026, 3, 2))
    assert (
        "Send the request so that it arrives by the last day: by fax to 01 48 18 43 11 (the simplest; keep the transmission "
        "report), by registered post with acknowledgement of receipt, or in person: Cour nationale du droit d'asile, "
        "Bureau d'aide juridictionnelle, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex. Not by e-mail."
    ) in result.warnings


def test_the_inputs_are_the_appeals_and_checked_the_same_way():
    with pytest.raises(DeadlineInputError) as error, language("en"):
        cnda_legal_aid.compute(cnda.CndaInputs(notified=D(2026, 3, 2), posted_online=D(2026, 3, 2)))
    assert str(error.value) == "notified and posted_online cannot be used together: the decision was notified in one way only."
    with pytest.raises(DeadlineInputError) as error, language("en"):
        cnda_legal_aid.compute(cnda.CndaInputs(notified=D(2026, 3, 2), legal_aid_requested=D(2026, 3, 4)))
    assert str(error.value) == "legal_aid_requested: not for the legal-aid request itself: it is what this computes."


# --- the command ---------------------------------------------------------------------------


def test_deadline_command_json_contract_and_ics(capsys, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    path = tmp_path / "aj.ics"
    code, out, err = invoke(
        capsys, "deadline", "cnda-legal-aid", "--posted-online", "2026-03-02", "--today", "2026-03-10", "--json",
        "--ics", str(path), "--lang", "en",
    )
    assert code == 0
    body = json.loads(out)
    assert set(body) == {"kind", "last_day", "safe_day", "certainty", "steps", "sources", "warnings", "today", "passed", "safe_day_passed"}
    assert (body["kind"], body["last_day"], body["safe_day"], body["certainty"]) == ("cnda_legal_aid", "2026-04-01", "2026-03-31", "uncertain")
    assert body["steps"][0] == "The decision was posted in the Ofpra online account on Monday 2 March 2026."
    assert err == f"Calendar event written to {path}.\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    event = next(iter(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == D(2026, 3, 31)
    assert str(event["summary"]).startswith("Legal-aid request to the CNDA")


def test_deadline_command_text_in_french_and_exit_3_once_passed(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda-legal-aid", "--notified", "2026-03-06", "--today", "2026-03-23", "--lang", "fr")
    assert code == 3
    assert "Dernier jour pour demander l'aide juridictionnelle (non prorogé) : samedi 21 mars 2026" in out
    assert "Date sûre (visez celle-ci) : vendredi 20 mars 2026" in out
    assert "une demande ne suspend plus le délai de recours" in out


def test_deadline_command_bad_input_names_the_option(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda-legal-aid", "--notified", "2026-03-06", "--uncollected-notice", "2026-03-06", "--lang", "en")
    assert (code, out) == (1, "")
    assert err == (
        "Error: --notified and --uncollected-notice cannot be used together: the decision was "
        "notified in one way only.\n"
    )


# --- the documents -------------------------------------------------------------------------


def test_example_builds_the_letter_with_every_mandatory_mention(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["demande-aide-juridictionnelle-cnda.docx", "manifest.json", "summary.docx"]
    text = docx_text((out / "demande-aide-juridictionnelle-cnda.docx").read_bytes())
    for fact in (
        # sender and identity
        "Samira Leïla HADDAD\n12 rue des Lilas\nchez l'association Accueil & Droits\n93100 Montreuil",
        "N° de dossier Ofpra : 25-04-12345",
        "Date et lieu de naissance\n17 août 1994 à Idlib (Syrie)",
        "Nationalité\nsyrienne",
        # the office, from the rule data
        "Cour nationale du droit d'asile\nBureau d'aide juridictionnelle\n35 rue Cuvier\n93558 Montreuil-sous-Bois Cedex",
        # the request, the decision, its notification, the wish to appeal, the lawyer
        "Par la présente, je demande l'aide juridictionnelle pour contester devant la Cour nationale du droit d'asile la "
        "décision n° 2026-000123 du 24 février 2026 par laquelle le directeur général de l'Office français de protection "
        "des réfugiés et apatrides a rejeté ma demande d'asile.",
        "Cette décision m'a été notifiée le 2 mars 2026.",
        "Je souhaite former un recours contre cette décision devant la Cour nationale du droit d'asile.",
        "Maître Claire Martin, avocate au barreau de Seine-Saint-Denis, a accepté de m'assister au titre de l'aide "
        "juridictionnelle : je vous demande de la désigner.",
        # signature, then the enclosed decision
        "Fait à Montreuil, le 5 mars 2026\nSamira Leïla HADDAD\n(signature)",
        "Pièce jointe :\nCopie de la décision de l'Ofpra n° 2026-000123 du 24 février 2026",
    ):
        assert typeset(fact) in text, fact  # the letter is French: typeset
    assert "{{" not in text and "{%" not in text
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "Last day: Tuesday 17 March 2026" in summary
    assert "The appeal period this request suspends: without legal aid, the appeal must be sent by Friday 3 April 2026 (safe day Friday 3 April 2026)." in summary
    assert "By fax: 01 48 18 43 11 (the simplest; keep the transmission report)." in summary
    assert "Not by e-mail, and not through Télérecours citoyen." in summary
    assert "A copy of the Ofpra decision no. 2026-000123 of Tuesday 24 February 2026." in summary
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["procedure"] == "cnda-legal-aid"


SAID_ONCE = {
    "en": [
        "without legal aid, the appeal must be sent by Friday 3 April 2026",
        "the time that remained runs again from the notification of the legal-aid decision",
    ],
    "fr": [
        "sans aide juridictionnelle, le recours doit être envoyé au plus tard le vendredi 3 avril 2026",
        "le temps qui restait court à nouveau à compter de la notification de la décision d’aide juridictionnelle",
    ],
}
AFTER_THE_REQUEST = {
    "en": [
        "After the request",
        "Keep the legal-aid decision and its envelope: the date of its notification will be needed for the appeal.",
        "A refusal of legal aid can be contested within 15 days before the president of the court.",
    ],
    "fr": [
        "Après la demande",
        "Conservez la décision d’aide juridictionnelle et son enveloppe : la date de sa notification servira pour le recours.",
        "Un refus d’aide juridictionnelle peut être contesté dans les 15 jours devant le président de la Cour.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_says_the_appeal_period_and_its_suspension_once(tmp_path, lang):
    """Review F-38: a section « Le délai de recours qu'elle suspend » repeated two steps of
    « Comment la date a été calculée ». The steps keep them; the section keeps what is new."""
    result, out = build(tmp_path, example_data(), lang=lang)
    assert result.returncode == 0, result.stderr
    summary = " ".join(docx_text((out / "summary.docx").read_bytes()).split())

    def written(text: str) -> str:  # the French sheet is typeset; spaces of any kind made one
        return " ".join((typeset(text) if lang == "fr" else text).split())

    for said in SAID_ONCE[lang]:
        assert summary.lower().count(written(said).lower()) == 1, said
    assert "qu’elle suspend" not in summary and "The appeal period it suspends" not in summary
    for line in AFTER_THE_REQUEST[lang]:
        assert written(line) in summary, line


def test_online_notification_no_lawyer_and_appeal_sent_in_french(tmp_path):
    data = example_data()
    data["decision"]["notification"] = {"method": "online", "posted_online_on": "2026-03-02", "first_read_on": "2026-03-04"}
    data.update(has_lawyer=False, lawyer=None, appeal_already_sent=True, appeal_sent_on="2026-03-05")
    result, out = build(tmp_path, data, lang="fr")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "demande-aide-juridictionnelle-cnda.docx").read_bytes())
    assert typeset("Cette décision a été mise à disposition sur l'espace numérique Ofpra le 2 mars 2026 et consultée pour la première fois le 4 mars 2026.") in text
    assert typeset("J'ai adressé mon recours à la Cour le 5 mars 2026.") in text
    assert typeset("Je n'ai pas choisi d'avocat : je vous demande de m'en désigner un.") in text
    summary = docx_text((out / "summary.docx").read_bytes())
    assert typeset("Demande d'aide juridictionnelle à la CNDA — fiche récapitulative") in summary
    assert typeset("Dernier jour : jeudi 19 mars 2026") in summary


@pytest.mark.parametrize(
    ("mutate", "lang", "expected"),
    [
        (
            lambda d: d["decision"]["notification"].update(method="uncollected"),
            "en",
            "“Contested Ofpra decision › Notification of the decision › Date of the postal notice (avis de passage)” "
            "(section “Decision”): this answer is required for this kind of notification.",
        ),
        (
            lambda d: d["decision"]["notification"].update(received_on="2026-03-09"),
            "fr",
            "« Décision de l'Ofpra contestée › Notification de la décision › Date de réception du courrier recommandé » "
            "(partie « Décision ») : cette date est dans le futur.",
        ),
        (
            lambda d: d.update(lawyer=None),
            "en",
            "“Lawyer” (section “Lawyer”): the lawyer's name and bar are needed when a lawyer accepted to act.",
        ),
        (
            lambda d: d.update(appeal_already_sent=True),
            "fr",
            "« Date d'envoi du recours » (partie « Recours ») : cette réponse est obligatoire lorsque le recours a déjà été envoyé.",
        ),
    ],
)
def test_bad_answers_get_one_clear_message_naming_the_question(tmp_path, mutate, lang, expected):
    data = example_data()
    mutate(data)
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    header = "Error: The answers have 1 problem; nothing was written:" if lang == "en" else "Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :"
    assert result.stderr.startswith(header)
    assert expected in result.stderr
    assert not out.exists()


def test_example_schema_and_check(tmp_path):
    example = run_cli("example", "cnda-legal-aid")
    assert example.returncode == 0 and example.stdout.startswith("# Fictional case")
    schema = json.loads(run_cli("schema", "cnda-legal-aid").stdout)
    assert set(schema["required"]) == {"applicant", "decision", "signature"}
    case = write_case(tmp_path, example_data())
    check = run_cli("check", "cnda-legal-aid", "--answers", str(case), "--json", "--today", "2026-03-05")
    assert check.returncode == 0, check.stderr
    body = json.loads(check.stdout)
    assert body["valid"] is True
    assert (body["deadline"]["last_day"], body["deadline"]["kind"]) == ("2026-03-17", "cnda_legal_aid")


def test_batch_builds_each_case(tmp_path):
    cases = tmp_path / "cases.jsonl"
    late = example_data()
    late["decision"]["notification"]["method"] = "uncollected"
    cases.write_text(json.dumps(example_data()) + "\n" + json.dumps(late) + "\n", encoding="utf-8")
    result = run_cli("batch", "cnda-legal-aid", str(cases), "--out", str(tmp_path / "out"), "--today", "2026-03-05")
    assert result.returncode == 1
    folders = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir())
    assert len(folders) == 1
    assert (tmp_path / "out" / folders[0] / "demande-aide-juridictionnelle-cnda.docx").is_file()
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8")
    assert "decision.notification.notice_date" in report


def test_pdf_text_has_the_mandatory_mentions(tmp_path):
    from tests.test_pdf_convert import normalise, pdf_text

    result, out = build(tmp_path, example_data(), "--pdf")
    if result.returncode != 0 and "LibreOffice" in result.stderr:
        pytest.skip("LibreOffice is not installed")
    assert result.returncode == 0, result.stderr
    # the list bullet is a private-use glyph in pdftotext's output: leave it out
    text = " ".join(w for w in normalise(pdf_text(out / "demande-aide-juridictionnelle-cnda.pdf")).split() if w not in ("\uf0b7", "•"))
    for fact in (
        "je demande l'aide juridictionnelle",
        "Samira Leïla HADDAD",
        "décision n° 2026-000123 du 24 février 2026",
        "Pièce jointe : Copie de la décision de l'Ofpra n° 2026-000123 du 24 février 2026",
        "Fait à Montreuil, le 5 mars 2026",
        "(signature)",
    ):
        assert normalise(typeset(fact)) in text, fact  # the letter is French: typeset


# --- the appeal starts from the legal-aid answers ------------------------------------------


APPEAL_REST = {
    "facts": "Je suis née à Idlib.\n",
    "hearing_language": "arabe",
    "legal_aid": {"status": "requested", "requested_on": "2026-03-05"},
    "signature": {"place": "Montreuil", "date": "2026-03-06"},
}


def test_build_cnda_appeal_from_a_legal_aid_file(tmp_path):
    legal_aid = write_case(tmp_path, example_data(), "legal-aid.yaml")
    rest = write_case(tmp_path, APPEAL_REST, "rest.yaml")
    out = tmp_path / "out"
    result = run_cli(
        "build", "cnda-appeal", "--from", str(legal_aid), "--answers", str(rest), "--out", str(out), "--today", "2026-03-06", "--lang", "en"
    )
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "recours-cnda.docx").read_bytes())
    assert "Samira Leïla HADDAD" in text
    assert typeset("décision n° 2026-000123 du 24 février 2026 par laquelle le directeur général") in text
    # legal aid requested in time: the admissibility plea states the notification, once (review F-38)
    assert typeset("La décision attaquée a été notifiée le 2 mars 2026.") in text
    # without --from, the same rest is not an appeal: the applicant and the decision are missing
    alone = run_cli("check", "cnda-appeal", "--answers", str(rest), "--today", "2026-03-06", "--lang", "en")
    assert alone.returncode == 1
    assert "“Applicant” (section “Applicant”): this answer is required." in alone.stderr


def test_from_a_file_of_another_kind_is_refused_clearly(tmp_path):
    rest = write_case(tmp_path, APPEAL_REST, "rest.yaml")
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--from", str(rest), "--answers", str(rest), "--out", str(out), "--today", "2026-03-06", "--lang", "fr")
    assert result.returncode == 1
    assert result.stderr == (
        f"Erreur : --from : {rest} n'est pas un fichier de réponses complet de « Demande d'aide juridictionnelle à la CNDA ». "
        "Vérifiez-le avec asylumdocs check.\n"
    )
    assert not out.exists()


def test_guided_appeal_from_a_legal_aid_file_does_not_ask_the_decision_again(tmp_path, monkeypatch):
    from tests.test_question_sets import Scripted, _run

    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")  # the "@ask path" lines the scripted terminal reads

    terminal = Scripted("cnda-appeal", "en")
    from docassemble_asylum.procedures import get

    reused = get("cnda-appeal").answers_from(example_data(), tmp_path / "aj.yaml")
    assert sorted(reused) == ["applicant", "decision"]
    answers, _data = _run("cnda-appeal", terminal, prefill=(reused, tmp_path / "aj.yaml"))
    asked = [line.split(" ")[1] for line in terminal.out if line.startswith("@ask ")]
    # 25: the decision's answers include the day the application was lodged (None: unknown).
    assert f"Starting from {tmp_path / 'aj.yaml'}: 25 answers already given." in terminal.out
    assert not [path for path in asked if path.startswith(("decision.", "applicant."))]
    assert "facts" in asked and "hearing_language" in asked
    assert answers.decision.number == "2026-000123" and answers.applicant.family_name == "Haddad"


# --- the appeal points to the legal-aid request while it is open ----------------------------


def appeal_without_legal_aid() -> dict:
    from docassemble_asylum.procedures import get

    data = yaml.safe_load(pinned_example_text("cnda-appeal"))
    data["legal_aid"] = {"status": "not_requested"}
    data["signature"]["date"] = "2026-03-10"
    return data


@pytest.mark.parametrize(("today", "open_"), [("2026-03-17", True), ("2026-03-18", False)])
def test_appeal_summary_points_to_the_legal_aid_request_within_15_days(tmp_path, today, open_):
    case = write_case(tmp_path, appeal_without_legal_aid())
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", today, "--lang", "en")
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    pointer = (
        "Legal aid (aide juridictionnelle) can still be requested until Tuesday 17 March 2026 (15 days after the "
        "notification, never extended; aim for Tuesday 17 March 2026). A request in time suspends the appeal period. "
        "Prepare the “Legal-aid request to the CNDA” first."
    )
    command = (
        "Next step: legal aid can still be requested until Tuesday 17 March 2026: asylumdocs build cnda-legal-aid "
        "--from ANSWERS_FILE --out FOLDER"
    )
    assert (pointer in summary) is open_
    assert "asylumdocs" not in summary.replace("Prepared with asylumdocs", "")  # the sheet never names a command
    assert (command in result.stdout) is open_


def test_build_cnda_legal_aid_from_an_appeal_file(tmp_path):
    appeal = write_case(tmp_path, appeal_without_legal_aid(), "appeal.yaml")
    rest = write_case(tmp_path, {"has_lawyer": False, "signature": {"place": "Montreuil", "date": "2026-03-10"}}, "rest.yaml")
    out = tmp_path / "out"
    result = run_cli(
        "build", "cnda-legal-aid", "--from", str(appeal), "--answers", str(rest), "--out", str(out), "--today", "2026-03-10", "--lang", "en"
    )
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "demande-aide-juridictionnelle-cnda.docx").read_bytes())
    assert typeset("la décision n° 2026-000123 du 24 février 2026") in text and "Samira Leïla HADDAD" in text


def test_a_lawyer_of_unknown_sex_is_asked_for_by_name(tmp_path):
    # review F-11: without the lawyer's sex, neither « le » nor « la »: the name again
    data = example_data()
    data["lawyer"].pop("sex", None)
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / "demande-aide-juridictionnelle-cnda.docx").read_bytes())
    assert typeset(
        "Maître Claire Martin, du barreau de Seine-Saint-Denis, a accepté de m'assister au titre de l'aide juridictionnelle : "
        "je vous demande de désigner Maître Claire Martin."
    ) in text


def test_the_summary_after_the_reform_gives_the_range_and_asks_for_the_printed_period(tmp_path):
    # review F-09, F-10: notified 2 December 2026, a normal-procedure rejection
    data = example_data()
    data["decision"]["date"] = "2026-11-25"
    data["decision"]["notification"] = {"method": "postal", "received_on": "2026-12-02"}
    data["signature"]["date"] = "2026-12-04"
    for lang, expected in (
        ("en", (
            "which may now be between 2 weeks and 1 month, is not known (unverified)",
            "Read the “voies et délais de recours” section of the decision and enter the period printed there",
        )),
        ("fr", (
            "qui peut désormais être compris entre 2 semaines et 1 mois (non vérifié)",
            "Lisez la rubrique « voies et délais de recours » de la décision et indiquez le délai qui y est imprimé",
        )),
    ):
        (tmp_path / lang).mkdir()
        result, out = build(tmp_path / lang, data, lang=lang, today="2026-12-05")
        assert result.returncode == 0, result.stderr
        summary = docx_text((out / "summary.docx").read_bytes())
        for text in expected:
            assert (typeset(text) if lang == "fr" else text) in summary, text
        assert "5 to 14" not in summary and "5 à 14" not in summary
