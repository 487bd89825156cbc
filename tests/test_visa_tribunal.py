"""The draft application to the Tribunal administratif de Nantes against the commission's
rejection of a visa appeal: deadline vectors (explicit and implicit rejections, weekends
and holidays, the acknowledgement's routes of appeal), the deadline command, the French
draft (DOCX and PDF), the summary, bad input, the start from a visa-appeal file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.deadlines import visa
from docassemble_asylum.i18n import language
from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from tests import procedure_cases
from tests.conftest import run_cli
from tests.procedure_cases import write_case
from tests.test_deadline_cli import invoke
from pinned_examples import pinned_example_text

D = dt.date
LETTER = "requete-tribunal-administratif-nantes.docx"
TODAY = "2026-12-04"


def example_data() -> dict:
    return procedure_cases.example_data("visa-tribunal")


def build(tmp_path: Path, data: dict, *extra: str, lang: str = "en", today: str = TODAY):
    return procedure_cases.build("visa-tribunal", tmp_path, data, *extra, lang=lang, today=today)


def tribunal(**kwargs):
    with language("en"):
        return visa.compute_tribunal(visa.TribunalInputs(**kwargs))


# --- deadline vectors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "last", "safe", "certainty"),
    [
        # explicit, notified Monday 2 March 2026: 2 May (Saturday), délai franc 3 May (Sunday) -> Monday 4 May
        ({"rejection_notified": D(2026, 3, 2)}, D(2026, 5, 4), D(2026, 5, 4), "verified"),
        # explicit, 10 March: 10 May (Sunday), délai franc -> Monday 11 May, a working day
        ({"rejection_notified": D(2026, 3, 10)}, D(2026, 5, 11), D(2026, 5, 11), "verified"),
        # explicit, 13 March: franc day 14 May is Ascension Thursday -> Friday 15 May
        ({"rejection_notified": D(2026, 3, 13)}, D(2026, 5, 15), D(2026, 5, 15), "verified"),
        # explicit, 31 December: 28 February (no 31st), franc -> Monday 1 March 2027
        ({"rejection_notified": D(2026, 12, 31)}, D(2027, 3, 1), D(2027, 3, 1), "verified"),
        # implicit: received 3 September 2026 -> rejected 3 November -> 3 January 2027 (Sunday), franc Monday 4 January
        ({"commission_received": D(2026, 9, 3), "routes_stated": "yes"}, D(2027, 1, 4), D(2027, 1, 4), "inference"),
        # implicit, received 13 March: rejected 13 May -> franc day 14 July (Bastille Day) -> Wednesday 15 July
        ({"commission_received": D(2026, 3, 13), "routes_stated": "yes"}, D(2026, 7, 15), D(2026, 7, 15), "inference"),
        # implicit, no routes on the acknowledgement: one year from the rejection; aim for the 2 months
        ({"commission_received": D(2026, 9, 3), "routes_stated": "no"}, D(2027, 11, 3), D(2027, 1, 4), "inference"),
        # not known: the 2 months, with the warning
        ({"commission_received": D(2026, 9, 3)}, D(2027, 1, 4), D(2027, 1, 4), "inference"),
    ],
)
def test_tribunal_deadline_vectors(inputs, last, safe, certainty):
    result = tribunal(**inputs)
    assert (result.kind, result.last_day, result.safe_day, result.certainty.value) == ("visa_tribunal", last, safe, certainty)


def test_implicit_rejection_steps_say_the_receipt_and_the_year():
    result = tribunal(commission_received=D(2026, 9, 3), routes_stated="no")
    assert result.steps[0].startswith(
        "The commission received the appeal on Thursday 3 September 2026; without an answer, the appeal is rejected on "
        "Tuesday 3 November 2026 (2 months later)"
    )
    assert (
        "The acknowledgement of receipt did not state the routes of appeal: the 2 months do not run, and a reasonable time "
        "applies, in principle one year from the rejection: Wednesday 3 November 2027. Do not count on it: aim for Monday 4 "
        "January 2027."
    ) in result.steps
    assert result.details["implicit_rejection"] == "2026-11-03"
    assert any("référé-suspension" in w and "main application" in w for w in result.warnings)
    assert any("article L.232-4 of the CRPA" in w for w in result.warnings)


def test_an_implicit_rejection_not_yet_born_is_said():
    result = tribunal(commission_received=D(2026, 11, 20), today=D(2026, 12, 4))
    assert (
        "The commission can still answer until Wednesday 20 January 2027: the implicit rejection is born on that day, and the "
        "application to the tribunal is made after it."
    ) in result.warnings


# --- the deadline command --------------------------------------------------------------------


def test_deadline_command_json_contract_and_ics(capsys, tmp_path):
    body, event = procedure_cases.deadline_with_calendar(
        capsys, tmp_path, "visa-tribunal", "--commission-received", "2026-09-03", "--routes-stated", "no", "--today", "2026-12-04"
    )
    assert (body["kind"], body["last_day"], body["safe_day"], body["certainty"]) == ("visa_tribunal", "2027-11-03", "2027-01-04", "inference")
    assert event.decoded("dtstart") == D(2027, 1, 4)
    assert str(event["summary"]).startswith("Application to the administrative court against a visa refusal")


def test_deadline_command_in_french_and_exit_3_once_passed(capsys):
    code, out, err = invoke(capsys, "deadline", "visa-tribunal", "--rejection-notified", "2026-03-02", "--today", "2026-05-05", "--lang", "fr")
    assert code == 3
    assert "Dernier jour (la requête doit parvenir au tribunal) : lundi 4 mai 2026" in out
    assert "le délai est franc, le dernier jour est donc le lendemain, le dimanche 3 mai 2026" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Error: --rejection-notified: give --rejection-notified (an explicit rejection) or --commission-received (no answer from the commission).\n"),
        (
            ["--rejection-notified", "2026-03-02", "--commission-received", "2026-01-02"],
            "Error: --rejection-notified: give either --rejection-notified (an explicit rejection) or --commission-received (no "
            "answer from the commission), not both.\n",
        ),
        (
            ["--rejection-notified", "2026-03-02", "--routes-stated", "yes"],
            "Error: --routes-stated: only for an implicit rejection (with --commission-received).\n",
        ),
        (
            ["--commission-received", "2026-12-10", "--today", "2026-12-04"],
            "Error: --commission-received: this date is after today (Friday 4 December 2026).\n",
        ),
    ],
)
def test_deadline_command_bad_input(capsys, args, message):
    code, out, err = invoke(capsys, "deadline", "visa-tribunal", *args, "--lang", "en")
    assert (code, out) == (1, "")
    assert err.replace("--rejection-notified: give", "give", 1) == message.replace("--rejection-notified: give", "give", 1)


# --- the draft and the summary ---------------------------------------------------------------


def test_draft_has_every_mandatory_mention(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    for fact in (
        "REQUÊTE INTRODUCTIVE D'INSTANCE",
        "Tribunal administratif de Nantes",
        "6 allée de l'Île-Gloriette",
        "BP 24111",
        "44041 Nantes Cedex 01",
        "Farid RAHIMI (autres noms ou graphies : فرید رحیمی), né le 12 avril 1986 à Hérat (Afghanistan), de nationalité afghane, "
        "réfugié statutaire (dossier Ofpra n° 24-11-04567)",
        # the spouse is a co-applicant in her own name; the children are minors represented by their father (F-20)
        "agissant en son nom propre et en qualité de représentant légal de ses enfants mineurs Omid RAHIMI et Yasin RAHIMI ; "
        "Laila SADAT, née le 30 juillet 1989 à Herat (Afghanistan) / هرات, de nationalité afghane, agissant en son nom propre",
        "Ayant pour avocate Maître Hélène Garnier, avocate au barreau de Nantes",
        "La décision implicite née le 3 novembre 2026 par laquelle la commission de recours contre les décisions de refus de visa "
        "d'entrée en France a rejeté le recours formé contre la décision du 10 août 2026 (référence TEH-2026-002871 ; Ambassade "
        "de France à Téhéran)",
        "la commission l'a reçu le 3 septembre 2026",
        "Les motifs de cette décision implicite ont été demandés le 10 novembre 2026",
        "A. Sur la légalité externe",
        "B. Sur la légalité interne",
        "Sur l'erreur d'appréciation du lien familial",
        "Sur la méconnaissance de l'article 47 du code civil",
        "[À compléter : l'erreur commise, établie par les pièces produites]",
        "Sur la méconnaissance de l'article 8 de la convention européenne",
        "Sur la méconnaissance de l'article 3-1 de la convention internationale des droits de l'enfant",
        "III. Par ces motifs",
        "enjoindre au ministre de l'intérieur de délivrer les visas de long séjour sollicités",
        "ou, à défaut, de réexaminer les demandes dans le même délai (article L.911-1 du code de justice administrative)",
        "mettre à la charge de l'État la somme de [À compléter : montant] euros au titre de l'article L.761-1 du code de justice administrative.",
        "Bordereau des pièces",
        "Pièce n° 1 : Recours adressé à la commission le 31 août 2026 et accusé de réception du 3 septembre 2026",
        "Pièce n° 8 : Photographies de famille (2008-2024)",
        "Maître Hélène Garnier",
    ):
        assert typeset(fact) in text, fact


def test_explicit_rejection_draft_and_summary(tmp_path):
    data = example_data()
    data["commission"] = {
        "appeal_sent_on": "2026-08-31",
        "received_on": "2026-09-03",
        "rejection": "explicit",
        "rejection_date": "2026-10-20",
        "rejection_notified_on": "2026-10-26",
    }
    data["facts"] = ""
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("La décision du 20 octobre 2026, notifiée le 26 octobre 2026, par laquelle la commission") in text
    assert typeset("Pièce n° 1 : Décision de la commission du 20 octobre 2026 et sa notification (décision attaquée)") in text
    assert "implicite" not in text
    summary = docx_text((out / "summary.docx").read_bytes())
    # 26 October + 2 months = 26 December (Saturday), franc 27 (Sunday) -> Monday 28 December 2026
    assert "Last day: Monday 28 December 2026" in summary
    assert "Certainty: verified (follows directly from a sourced rule)" in summary
    assert "The reasons of the implicit rejection" not in summary


@pytest.mark.parametrize(
    ("lang", "facts"),
    [
        (
            "en",
            (
                "Application to the administrative court against a visa refusal — summary sheet",
                "This is a draft: its grounds are marked “[À compléter : …]”.",
                "Last day: Monday 4 January 2027",
                "Certainty: inference (an application of sourced rules: check it)",
                "This address is not confirmed by an official page (unverified)",
                "The urgent procedure (référé-suspension)",
                "it can only be made with or after this main application, filed.",
                "The reasons were asked for on Tuesday 10 November 2026",
            ),
        ),
        (
            "fr",
            (
                "Requête au tribunal administratif contre un refus de visa — fiche récapitulative",
                "Dernier jour : lundi 4 janvier 2027",
                "La procédure d'urgence (référé-suspension)",
                "Cette adresse n'est pas confirmée par une page officielle (non vérifiée)",
            ),
        ),
    ],
)
def test_summary_in_english_and_french(tmp_path, lang, facts):
    result, out = build(tmp_path, example_data(), lang=lang)
    procedure_cases.assert_summary_says(result, out, lang, facts)


def test_without_routes_on_the_acknowledgement_the_year_is_the_last_day(tmp_path):
    data = example_data()
    data["commission"]["routes_stated"] = "no"
    data["commission"].pop("reasons_requested_on")
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "Last day: Wednesday 3 November 2027" in summary
    assert "Safe day (aim for this one): Monday 4 January 2027" in summary
    assert "Ask the commission for the reasons of its implicit rejection (article L.232-4 of the CRPA)" in summary


def test_pdf_text_has_the_mandatory_mentions(tmp_path):
    result, out = build(tmp_path, example_data(), "--pdf")
    procedure_cases.assert_pdf_says(
        result,
        out,
        "requete-tribunal-administratif-nantes.pdf",
        (
            "REQUÊTE INTRODUCTIVE D'INSTANCE",
            "Tribunal administratif de Nantes 6 allée de l'Île-Gloriette BP 24111 44041 Nantes Cedex 01",
            "La décision implicite née le 3 novembre 2026",
            "[À compléter : montant]",
            "article L.911-1 du code de justice administrative",
            "Bordereau des pièces",
        ),
    )


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "lang", "message"),
    [
        (
            lambda d: d["commission"].update(rejection="explicit", routes_stated="unknown", reasons_requested_on=None),
            "en",
            "“Appeal to the commission › Date of the commission's rejection” (section “Commission”): this answer is required "
            "for an explicit rejection.",
        ),
        (
            lambda d: d["commission"].update(received_on="2026-08-30"),
            "en",
            "“Appeal to the commission › Date the commission received the appeal (acknowledgement of receipt)” "
            "(section “Commission”): the commission cannot receive the appeal before it was sent (“Appeal to the commission › "
            "Date the appeal to the commission was sent”, in the section “Commission”).",
        ),
        (
            lambda d: d["commission"].update(rejection_date="2026-10-20"),
            "fr",
            "« Recours à la commission › Date du rejet de la commission » (partie « Commission ») : seulement pour un rejet explicite.",
        ),
        (
            lambda d: d.update(has_lawyer=True, lawyer=None),
            "en",
            "“Lawyer” (section “Lawyer”): the lawyer's name and bar are needed when a lawyer represents the applicant.",
        ),
    ],
)
def test_bad_answers_name_the_question_and_write_nothing(tmp_path, change, lang, message):
    data = example_data()
    change(data)
    result, out = build(tmp_path, data, lang=lang)
    procedure_cases.assert_refused(result, out, message)


# --- from a visa-appeal answers file, example -------------------------------------------------


def test_build_from_a_visa_appeal_file(tmp_path):
    appeal = write_case(tmp_path, yaml.safe_load(pinned_example_text("visa-appeal")), "visa-appeal.yaml")
    rest = {
        "commission": {"appeal_sent_on": "2026-12-04", "received_on": "2026-12-07", "rejection": "implicit", "routes_stated": "yes"},
        "signature": {"place": "Rennes", "date": "2027-02-15"},
    }
    result, out = procedure_cases.build_from("visa-tribunal", tmp_path, appeal, rest, today="2027-02-15")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("contre la décision du 20 novembre 2026 (référence TEH-2026-004512 ; Ambassade de France à Téhéran)") in text
    assert typeset("La décision implicite née le 7 février 2027") in text
    assert typeset("Acte de mariage du 10 mai 2008 (avec traduction)") in text
    # 7 February + 2 months = 7 April 2027, délai franc 8 April (Thursday)
    assert result.stdout.endswith("Last day: Thursday 8 April 2027\n")


def test_example_builds_without_today(tmp_path):
    example = run_cli("example", "visa-tribunal")
    assert example.returncode == 0, example.stderr
    case = tmp_path / "example.yaml"
    case.write_text(example.stdout, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "visa-tribunal", "--answers", str(case), "--out", str(out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", LETTER, "summary.docx"]
    check = run_cli("check", "visa-tribunal", "--answers", str(case), "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["deadline"]["passed"] is False


# --- the reasons of the implicit rejection (L.232-4 CRPA; review F-05, F-06) -------------------


def test_reasons_asked_for_less_than_a_month_ago_leave_the_ground_to_complete(tmp_path):
    # asked for on 10 November 2026, application signed on 4 December: the commission has until 10 December
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset("[À compléter : après le 10 décembre 2026, motifs communiqués ou non]") in text
    assert "n'ont pas été communiqués" not in text
    assert "The commission still has time to give the reasons of its implicit rejection" in result.stdout + result.stderr


def test_reasons_not_given_within_the_month_become_a_ground(tmp_path):
    data = example_data()
    data["signature"]["date"] = "2026-12-11"
    result, out = build(tmp_path, data, today="2026-12-11")
    assert result.returncode == 0, result.stderr
    text = docx_text((out / LETTER).read_bytes())
    assert typeset(
        "Les motifs de cette décision, demandés le 10 novembre 2026, n'ont pas été communiqués dans le délai d'un mois "
        "prévu par l'article L.232-4 du code des relations entre le public et l'administration : la décision est "
        "entachée d'un défaut de motivation."
    ) in text
    assert "motifs communiqués ou non" not in text


def test_reasons_already_asked_for_extend_the_period_and_the_day_shown_is_safe(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    assert (
        "The reasons were asked for on Tuesday 10 November 2026, within the period of appeal: the commission must give "
        "them by Thursday 10 December 2026, and the period to go to the tribunal is extended until two months after they "
        "are given (article L.232-4 of the CRPA). The day shown, Monday 4 January 2027, is therefore a safe day: file the "
        "application by then all the same."
    ) in summary
    assert "Ask the commission for the reasons" not in summary
    (tmp_path / "fr").mkdir()
    result, out = build(tmp_path / "fr", example_data(), lang="fr")
    summary = docx_text((out / "summary.docx").read_bytes())
    assert typeset(
        "Les motifs ont été demandés le mardi 10 novembre 2026, dans le délai de recours : la commission doit les "
        "communiquer au plus tard le jeudi 10 décembre 2026, et le délai pour saisir le tribunal est prorogé jusqu'à deux "
        "mois après leur communication (article L.232-4 du CRPA). Le jour indiqué, lundi 4 janvier 2027, est donc une "
        "date sûre : par prudence, déposez quand même la requête au plus tard ce jour-là."
    ) in summary
    assert typeset("Demandez à la commission les motifs") not in summary


def test_reasons_asked_for_after_the_period_do_not_extend_it():
    result = tribunal(commission_received=D(2026, 9, 3), routes_stated="yes", reasons_requested=D(2027, 1, 5))
    assert (
        "The reasons were asked for on Tuesday 5 January 2027, after the period of appeal: the period to go to the "
        "tribunal is not extended (article L.232-4 of the CRPA)."
    ) in result.warnings
    assert result.last_day == D(2027, 1, 4)


def test_a_lawyer_files_through_telerecours(tmp_path):
    # review F-21: Télérecours is compulsory for a lawyer (R.414-1 CJA); Télérecours citoyen is for the unrepresented
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "The lawyer files the application through Télérecours (compulsory for lawyers, article R.414-1 of the CJA)." in summary
    assert "Télérecours citoyen" not in summary
    (tmp_path / "fr").mkdir()
    result, out = build(tmp_path / "fr", example_data(), lang="fr")
    summary = docx_text((out / "summary.docx").read_bytes())
    assert typeset("L'avocat dépose la requête par Télérecours (obligatoire pour les avocats, article R.414-1 du CJA).") in summary
    data = example_data()
    data["has_lawyer"] = False
    data.pop("lawyer")
    (tmp_path / "alone").mkdir()
    result, out = build(tmp_path / "alone", data)
    assert result.returncode == 0, result.stderr
    summary = docx_text((out / "summary.docx").read_bytes())
    assert "Online through Télérecours citoyen, or by registered post with acknowledgement of receipt" in summary
