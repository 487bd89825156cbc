"""``asylumdocs deadline``: the public contract (JSON, text, exit statuses, errors, --ics)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys

import pytest

from docassemble_asylum.cli import cli
from docassemble_asylum.commands.runner import run
from docassemble_asylum.i18n import gettext, language

# L532-1 is linked to the part of the CESEDA holding articles L532-1 to L532-15 (its own id unknown).
CESEDA = "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042772360/"
REACH_EN = (
    "The last day is the last day to SEND the appeal: the court counts the date it was sent. Keep the proof of "
    "sending: the receipt of the registered letter (with acknowledgement of receipt), the fax transmission report (fax "
    "01 48 18 44 20; a faxed appeal must be signed by the hearing at the latest), or the receipt of a filing in person "
    "at Cour nationale du droit d'asile, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex. Older guidance counted the "
    "day the appeal arrived: send it several days before if you can, but never give up on the last day."
)


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process as ``asylumdocs`` does; (exit status, stdout, stderr)."""
    with language("fr"):  # restored afterwards: --lang must not leak into other tests
        code = run(cli, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def error_line(message: str, lang: str) -> str:
    with language(lang):
        return gettext("Error: {message}").format(message=message) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def test_cnda_json_contract(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--today", "2026-03-10", "--json", "--lang", "en")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "kind": "cnda_appeal",
        "last_day": "2026-04-03",
        "safe_day": "2026-04-03",
        "certainty": "verified",
        "steps": [
            "Notification: the registered letter was received on Monday 2 March 2026.",
            "Period: 1 month from the notification — CESEDA, art. L.532-1.",
            "Monday 2 March 2026 + 1 month = Thursday 2 April 2026 (months run “de quantième à quantième”: to the same day number).",
            "Délai franc: the day of expiry does not count either, so the last day is the next day: Friday 3 April 2026.",
            "Friday 3 April 2026 is a working day.",
        ],
        "sources": [
            {"title": "Code de l'entrée et du séjour des étrangers et du droit d'asile (Légifrance), article L532-1 (articles L532-1 à L532-15)", "url": CESEDA},
            {
                "title": "Recours devant la Cour nationale du droit d'asile (service-public.fr F2675)",
                "url": "https://www.service-public.gouv.fr/particuliers/vosdroits/F2675",
            },
            {
                "title": "Cour nationale du droit d'asile, « Déposer mon recours » (cnda.fr redirige vers paris.cour-administrative-appel.fr)",
                "url": "https://paris.cour-administrative-appel.fr/cour-nationale-du-droit-d-asile",
            },
        ],
        "warnings": [REACH_EN],
        "today": "2026-03-10",
        "passed": False,
        "safe_day_passed": False,
        # Additions of the June 2026 reform (nothing to say before it).
        "application_lodged": None,
        "former_rule": None,
        "former_rule_last_day": None,
        "non_suspensive": None,
        "stay_request_day": None,
    }


def test_cnda_json_legal_aid(capsys):
    code, out, _ = invoke(
        capsys, "deadline", "cnda", "--notified", "2026-03-02", "--legal-aid-requested", "2026-03-12",
        "--legal-aid-decision-notified", "2026-04-20", "--today", "2026-04-21", "--json", "--lang", "fr",
    )
    body = json.loads(out)
    assert code == 0
    assert (body["last_day"], body["safe_day"], body["certainty"]) == ("2026-05-12", "2026-05-11", "uncertain")
    assert any("À vérifier avec l'avocat ou le bureau d'aide juridictionnelle (BAJ)." in step for step in body["steps"])
    assert "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000037398437" in [s["url"] for s in body["sources"]]


def test_cnda_late_legal_aid_request_needs_no_decision_date(capsys):
    # RULES.md §8: requested on day 16 after notification 2026-03-02 -> no suspension, 2026-04-03.
    code, out, err = invoke(
        capsys, "deadline", "cnda", "--notified", "2026-03-02", "--legal-aid-requested", "2026-03-18",
        "--today", "2026-03-20", "--json", "--lang", "en",
    )
    body = json.loads(out)
    assert (code, err) == (0, "")
    assert (body["last_day"], body["safe_day"]) == ("2026-04-03", "2026-04-03")
    assert any("does not suspend the appeal period" in step for step in body["steps"])
    assert body["warnings"][0].startswith("The legal-aid request was made after the 15 days following the notification")


def test_cnda_legal_aid_errors_are_reported_together(capsys):
    code, out, err = invoke(
        capsys, "deadline", "cnda", "--notified", "2026-05-02", "--legal-aid-requested", "2026-05-03", "--today", "2026-04-20", "--lang", "en",
    )
    assert (code, out) == (1, "")
    assert "--notified: this date is after today (Monday 20 April 2026)." in err
    assert "--legal-aid-requested and --legal-aid-decision-notified go together" in err


def test_cnda_json_reform_without_stated_period(capsys):
    code, out, _ = invoke(capsys, "deadline", "cnda", "--notified", "2026-07-01", "--procedure", "accelerated", "--today", "2026-07-02", "--json", "--lang", "en")
    body = json.loads(out)
    assert code == 0
    assert (body["last_day"], body["safe_day"], body["certainty"]) == ("2026-08-03", "2026-07-06", "unverified")
    assert "--stated-period" in body["warnings"][0]


def test_cnda_json_stated_period(capsys):
    code, out, _ = invoke(capsys, "deadline", "cnda", "--notified", "2026-07-01", "--stated-period", "15 days", "--today", "2026-07-02", "--json")
    body = json.loads(out)
    assert (body["last_day"], body["safe_day"], body["certainty"]) == ("2026-07-17", "2026-07-17", "inference")


def test_cnda_online_json(capsys):
    code, out, _ = invoke(capsys, "deadline", "cnda", "--posted-online", "2026-03-10", "--today", "2026-03-20", "--json")
    assert (json.loads(out)["last_day"], json.loads(out)["safe_day"]) == ("2026-04-27", "2026-04-27")
    code, out, _ = invoke(capsys, "deadline", "cnda", "--posted-online", "2026-03-10", "--first-read", "2026-03-13", "--today", "2026-03-20", "--json")
    assert json.loads(out)["last_day"] == "2026-04-14"
    code, out, _ = invoke(capsys, "deadline", "cnda", "--uncollected-notice", "2026-01-20", "--today", "2026-01-21", "--json")
    assert json.loads(out)["last_day"] == "2026-02-23"


def test_reexamination_json(capsys):
    code, out, err = invoke(capsys, "deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--json", "--lang", "en")
    body = json.loads(out)
    assert (code, err) == (0, "")
    assert (body["kind"], body["last_day"], body["safe_day"], body["certainty"]) == ("reexamination", "2026-04-11", "2026-04-10", "uncertain")


def test_reexamination_planned_registration_is_computed_with_a_warning(capsys):
    code, out, err = invoke(capsys, "deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-03-30", "--json", "--lang", "en")
    body = json.loads(out)
    assert (code, err) == (0, "")
    assert (body["last_day"], body["safe_day"], body["passed"]) == ("2026-04-11", "2026-04-10", False)
    assert (
        "The registration (Friday 3 April 2026) is after today (Monday 30 March 2026): these dates assume it takes "
        "place that day, and the request cannot be lodged before it. Compute again if the date changes."
    ) in body["warnings"]
    code, out, _ = invoke(capsys, "deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--json", "--lang", "en")
    assert not [w for w in json.loads(out)["warnings"] if "is after today" in w]


def test_interview_notice_json(capsys):
    code, out, _ = invoke(
        capsys, "deadline", "interview-notice", "--interview", "2026-05-21", "--procedure", "accelerated", "--today", "2026-05-01", "--json"
    )
    body = json.loads(out)
    assert (code, body["kind"], body["last_day"], body["safe_day"], body["certainty"]) == (0, "interview_notice", "2026-05-17", "2026-05-15", "verified")


# --- text ----------------------------------------------------------------------------------


def test_cnda_text_in_french(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda", "--notified", "2025-01-31", "--today", "2025-02-10", "--lang", "fr")
    assert (code, err) == (0, "")
    assert out == (
        "Recours devant la CNDA\n"
        "\n"
        "Dernier jour pour envoyer le recours : lundi 3 mars 2025\n"
        "Date sûre (visez celle-ci) : lundi 3 mars 2025\n"
        "Certitude : vérifiée (découle directement d'une règle sourcée)\n"
        "\n"
        "Avertissements :\n"
        "  ! Le dernier jour est le dernier jour pour ENVOYER le recours : la Cour retient la date d'envoi. Gardez la "
        "preuve de l'envoi : le récépissé de la lettre recommandée (avec accusé de réception), le rapport de transmission "
        "de la télécopie (au 01 48 18 44 20 ; un recours envoyé par télécopie doit être signé au plus tard à l'audience), "
        "ou le récépissé d'un dépôt sur place, Cour nationale du droit d'asile, 35 rue Cuvier, 93558 Montreuil-sous-Bois "
        "Cedex. D'anciennes indications retenaient le jour d'arrivée du recours : envoyez-le plusieurs jours avant si "
        "vous le pouvez, mais ne renoncez jamais le dernier jour.\n"
        "\n"
        "Comment la date a été calculée :\n"
        "  - Notification : le pli recommandé a été reçu le vendredi 31 janvier 2025.\n"
        "  - Délai : 1 mois à compter de la notification — CESEDA, art. L.532-1.\n"
        "  - vendredi 31 janvier 2025 + 1 mois = vendredi 28 février 2025 (les mois se comptent de quantième à quantième : "
        "jusqu'au même numéro de jour).\n"
        "  - Le 31 n'existe pas dans ce mois : le délai expire le dernier jour du mois.\n"
        "  - Délai franc : le jour de l'échéance ne compte pas non plus, le dernier jour est donc le lendemain : samedi 1er mars 2025.\n"
        "  - samedi 1er mars 2025 n'est pas un jour ouvré (samedi, puis dimanche) : le délai est prorogé au premier jour ouvré suivant, lundi 3 mars 2025.\n"
        "\n"
        "Sources :\n"
        f"  - Code de l'entrée et du séjour des étrangers et du droit d'asile (Légifrance), article L532-1 (articles L532-1 à L532-15) — {CESEDA}\n"
        "  - Recours devant la Cour nationale du droit d'asile (service-public.fr F2675) — "
        "https://www.service-public.gouv.fr/particuliers/vosdroits/F2675\n"
        "  - Cour nationale du droit d'asile, « Déposer mon recours » (cnda.fr redirige vers "
        "paris.cour-administrative-appel.fr) — https://paris.cour-administrative-appel.fr/cour-nationale-du-droit-d-asile\n"
        "  - Code du travail (Légifrance), article L3133-1 — "
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006902611\n"
        "  - Jours fériés et ponts dans le secteur privé (service-public.fr F2405) — "
        "https://www.service-public.gouv.fr/particuliers/vosdroits/F2405\n"
    )


def test_reexamination_text_in_french(capsys):
    code, out, _ = invoke(capsys, "deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--lang", "fr")
    assert code == 0
    lines = out.splitlines()
    assert lines[:5] == [
        "Demande de réexamen à l'Ofpra",
        "",
        "Dernier jour (date légale, non prorogée) : samedi 11 avril 2026",
        "Date sûre (visez celle-ci) : vendredi 10 avril 2026",
        "Certitude : incertaine (la règle elle-même n'est pas fixée : visez la date sûre)",
    ]


def test_interview_notice_text_in_english(capsys):
    code, out, _ = invoke(capsys, "deadline", "interview-notice", "--interview", "2026-04-14", "--today", "2026-04-01", "--lang", "en")
    assert code == 0
    assert out.splitlines()[:5] == [
        "Notice to Ofpra (lawyer or association at the interview)",
        "",
        "Latest day to give notice: Tuesday 7 April 2026",
        "Safe day (aim for this one): Tuesday 7 April 2026",
        "Certainty: verified (follows directly from a sourced rule)",
    ]


# --- exit statuses -------------------------------------------------------------------------


def test_passed_exits_3_and_still_prints_the_whole_json(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--today", "2026-04-04", "--json", "--lang", "en")
    body = json.loads(out)
    assert code == 3 and err == ""
    assert body["passed"] is True and body["safe_day_passed"] is True
    assert body["last_day"] == "2026-04-03" and len(body["steps"]) == 5
    assert body["warnings"][0] == (
        "Today (Saturday 4 April 2026) is after the last day (Friday 3 April 2026): the deadline has passed. "
        "Get legal advice at once (a lawyer, an association)."
    )


def test_passed_exits_3_in_text_mode(capsys):
    code, out, _ = invoke(capsys, "deadline", "reexamination", "--registered", "2026-03-03", "--today", "2026-03-12", "--lang", "fr")
    assert code == 3
    assert "  ! Aujourd'hui (jeudi 12 mars 2026) est après le dernier jour (mercredi 11 mars 2026) : le délai est dépassé." in out


def test_today_on_the_last_day_is_not_passed(capsys):
    code, _, _ = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--today", "2026-04-03", "--json")
    assert code == 0


def test_safe_day_passed_warns_but_exits_0(capsys):
    code, out, _ = invoke(capsys, "deadline", "interview-notice", "--interview", "2026-05-21", "--procedure", "accelerated", "--today", "2026-05-16", "--json", "--lang", "en")
    body = json.loads(out)
    assert code == 0 and body["safe_day_passed"] is True and body["passed"] is False
    assert body["warnings"][0].startswith("Today (Saturday 16 May 2026) is after the safe day (Friday 15 May 2026)")


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--notified", "2026-03-02", "--posted-online", "2026-03-01"],
            "--notified and --posted-online cannot be used together: the decision was notified in one way only.",
        ),
        (
            ["--notified", "2026-03-02", "--uncollected-notice", "2026-03-01"],
            "--notified and --uncollected-notice cannot be used together: the decision was notified in one way only.",
        ),
        (
            ["--notified", "2026-03-02", "--first-read", "2026-03-03"],
            "--first-read only goes with --posted-online (a decision posted in the Ofpra online account).",
        ),
        (
            ["--notified", "2026-03-02", "--legal-aid-requested", "2026-03-03"],
            "--legal-aid-requested and --legal-aid-decision-notified go together: give both. While the legal-aid "
            "decision has not been notified, the appeal period is suspended.",
        ),
        (
            ["--notified", "2026-03-02", "--legal-aid-decision-notified", "2026-03-03"],
            "--legal-aid-decision-notified needs --legal-aid-requested: the date legal aid was requested.",
        ),
        (
            [],
            "the notification date is missing: give --notified, --posted-online or --uncollected-notice.",
        ),
        (
            ["--posted-online", "2026-03-10", "--first-read", "2026-03-09"],
            "--first-read cannot be earlier than --posted-online: the decision cannot have been read before it was posted online.",
        ),
        (
            ["--notified", "2026-03-02", "--legal-aid-requested", "2026-03-12", "--legal-aid-decision-notified", "2026-03-11"],
            "--legal-aid-decision-notified cannot be earlier than --legal-aid-requested: the legal-aid decision cannot "
            "have been notified before legal aid was requested.",
        ),
        (
            ["--notified", "2026-05-02"],
            "--notified: this date is after today (Monday 20 April 2026).",
        ),
        (
            ["--notified", "2026-03-02", "--stated-period", "soon"],
            "--stated-period: write the period printed on the decision as a number and a unit, for example “1 month” or “15 days”.",
        ),
    ],
)
def test_cnda_user_errors(capsys, args, message):
    code, out, err = invoke(capsys, "deadline", "cnda", *args, "--today", "2026-04-20", "--lang", "en")
    assert (code, out) == (1, "")
    assert err == error_line(message, "en")
    assert "Traceback" not in err


def test_cnda_user_error_in_french(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--posted-online", "2026-03-01", "--lang", "fr")
    assert (code, out) == (1, "")
    assert err == error_line(
        "--notified et --posted-online ne peuvent pas être utilisés ensemble : la décision a été notifiée d'une seule façon.", "fr"
    )


# Issue 14: a consistency message names the options it is about, never the date given to
# another option (a date of the case). Pinned in both languages.
CONSISTENCY = [
    (
        ["--posted-online", "2026-03-10", "--first-read", "2026-03-09"],
        "--first-read cannot be earlier than --posted-online: the decision cannot have been read before it was posted online.",
        "la date de --first-read ne peut pas précéder celle de --posted-online : la décision ne peut pas avoir été consultée "
        "avant sa mise à disposition en ligne.",
    ),
    (
        ["--notified", "2026-03-02", "--legal-aid-requested", "2026-03-12", "--legal-aid-decision-notified", "2026-03-11"],
        "--legal-aid-decision-notified cannot be earlier than --legal-aid-requested: the legal-aid decision cannot have "
        "been notified before legal aid was requested.",
        "la date de --legal-aid-decision-notified ne peut pas précéder celle de --legal-aid-requested : la décision d'aide "
        "juridictionnelle ne peut pas avoir été notifiée avant la demande.",
    ),
    (
        ["--notified", "2026-03-10", "--legal-aid-requested", "2026-03-08", "--legal-aid-decision-notified", "2026-03-11"],
        "--legal-aid-requested cannot be earlier than --notified: legal aid for the appeal cannot be requested before the "
        "Ofpra decision was notified.",
        "la date de --legal-aid-requested ne peut pas précéder celle de --notified : l'aide juridictionnelle pour le recours "
        "ne peut pas être demandée avant la notification de la décision de l'Ofpra.",
    ),
    (
        ["--uncollected-notice", "2026-03-10", "--legal-aid-requested", "2026-03-08", "--legal-aid-decision-notified", "2026-03-11"],
        "--legal-aid-requested cannot be earlier than --uncollected-notice: legal aid for the appeal cannot be requested "
        "before the Ofpra decision was notified.",
        "la date de --legal-aid-requested ne peut pas précéder celle de --uncollected-notice : l'aide juridictionnelle pour "
        "le recours ne peut pas être demandée avant la notification de la décision de l'Ofpra.",
    ),
    (
        ["--posted-online", "2026-03-10", "--legal-aid-requested", "2026-03-08", "--legal-aid-decision-notified", "2026-03-11"],
        "--legal-aid-requested cannot be earlier than --posted-online: legal aid for the appeal cannot be requested "
        "before the Ofpra decision was notified.",
        "la date de --legal-aid-requested ne peut pas précéder celle de --posted-online : l'aide juridictionnelle pour "
        "le recours ne peut pas être demandée avant la notification de la décision de l'Ofpra.",
    ),
]


@pytest.mark.parametrize(("args", "english", "french"), CONSISTENCY)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cnda_consistency_messages_name_the_options_not_their_dates(capsys, args, english, french, lang):
    code, out, err = invoke(capsys, "deadline", "cnda", *args, "--today", "2026-04-20", "--lang", lang)
    assert (code, out) == (1, "")
    assert err == error_line(english if lang == "en" else french, lang)
    for value in args[1::2]:
        assert value not in err and "mars" not in err and "March" not in err


def test_several_errors_are_listed(capsys):
    code, _, err = invoke(
        capsys, "deadline", "cnda", "--posted-online", "2026-03-10", "--first-read", "2026-03-09", "--today", "2026-03-09", "--lang", "en"
    )
    assert code == 1
    assert err == error_line(
        "The dates have 2 problems:\n"
        "  - --first-read cannot be earlier than --posted-online: the decision cannot have been read before it was posted online.\n"
        "  - --posted-online: this date is after today (Monday 9 March 2026).",
        "en",
    )


def test_malformed_date(capsys):
    code, _, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-02-30", "--lang", "en")
    assert code == 1
    with language("en"):
        no_such_day = gettext(
            "{option}: not a valid date: this day does not exist in the calendar (check the day and the month)."
        ).format(option="--notified")
        bad_form = gettext("{option}: not a valid date: write it as YYYY-MM-DD, for example 2026-03-02.").format(option="--notified")
    assert err == error_line(no_such_day, "en")
    code, _, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-2-3", "--lang", "en")
    assert (code, err) == (1, error_line(bad_form, "en"))
    code, _, err = invoke(capsys, "deadline", "reexamination", "--registered", "2026-4-3", "--lang", "en")
    assert code == 1 and "--registered" in err


def test_unknown_procedure_is_a_usage_error(capsys):
    code, _, err = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--procedure", "fast")
    assert code == 2 and "--procedure" in err


def test_help_lists_the_three_deadlines(capsys):
    code, out, _ = invoke(capsys, "deadline", "--help")
    assert code == 0
    for name in ("cnda", "reexamination", "interview-notice"):
        assert name in out


# --- --ics ---------------------------------------------------------------------------------


def test_ics_event_on_the_safe_day_with_alarms(capsys, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    path = tmp_path / "cnda.ics"
    code, out, err = invoke(
        capsys, "deadline", "cnda", "--notified", "2026-03-02", "--legal-aid-requested", "2026-03-12",
        "--legal-aid-decision-notified", "2026-04-20", "--today", "2026-04-21", "--json", "--ics", str(path), "--lang", "fr",
    )
    assert code == 0
    assert json.loads(out)["safe_day"] == "2026-05-11"  # stdout stays pure JSON
    assert err == f"Événement de calendrier écrit dans {path}.\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == dt.date(2026, 5, 11)
    assert event.decoded("dtend") == dt.date(2026, 5, 12)
    assert str(event["summary"]) == "Recours devant la CNDA : date sûre (dernier jour le mardi 12 mai 2026)"
    description = str(event["description"])
    assert "Dernier jour : mardi 12 mai 2026" in description
    assert "Certitude : incertaine" in description
    alarms = [c for c in event.walk("VALARM")]
    assert sorted(a.decoded("trigger") for a in alarms) == [dt.timedelta(days=-3), dt.timedelta(days=-1)]
    assert all(str(a["action"]) == "DISPLAY" for a in alarms)


def test_ics_is_reproducible_and_replaces_its_own_event(capsys, tmp_path):
    path = tmp_path / "r.ics"
    args = ("deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--ics", str(path), "--lang", "en")
    code, out, _ = invoke(capsys, *args)
    first = path.read_bytes()
    assert code == 0 and out.startswith(f"Calendar event written to {path}.\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)
    invoke(capsys, *args)
    assert path.read_bytes() == first and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    other = ("deadline", "reexamination", "--registered", "2026-05-04", "--today", "2026-05-04", "--ics", str(path), "--lang", "en")
    assert invoke(capsys, *other)[0] == 0
    assert b"DTSTART;VALUE=DATE:20260512" in path.read_bytes()  # the event of the new computation
    assert b"DTSTART;VALUE=DATE:20260410" in first


@pytest.mark.parametrize("content", [b"applicant:\n  family_name: Haddad\n", b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\n", b""])
def test_ics_never_replaces_a_file_it_did_not_write(capsys, tmp_path, content):
    path = tmp_path / "answers.yaml"
    path.write_bytes(content)
    args = ("deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--ics", str(path))
    code, out, err = invoke(capsys, *args, "--lang", "en")
    assert (code, out) == (1, "")
    assert err == error_line(
        f"{path} exists and is not a calendar event written by asylumdocs: give another file name (nothing was written).", "en"
    )
    assert path.read_bytes() == content
    code, _, err = invoke(capsys, *args, "--lang", "fr")
    assert code == 1 and "n'est pas un événement de calendrier écrit par asylumdocs" in err


def test_ics_into_a_folder_is_a_user_error(capsys, tmp_path):
    code, _, err = invoke(capsys, "deadline", "interview-notice", "--interview", "2026-04-14", "--today", "2026-04-01", "--ics", str(tmp_path), "--lang", "en")
    assert code == 1
    assert err == error_line(f"{tmp_path} is a folder: give a file name for the calendar event.", "en")


# --- the real entry point, and start-up ----------------------------------------------------


def test_entry_point_exit_status_3():
    env = {**os.environ, "ASYLUMDOCS_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "deadline", "cnda", "--notified", "2026-03-02", "--today", "2026-05-01", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 3
    assert json.loads(done.stdout)["passed"] is True


def test_deadline_imports_stay_light():
    code = (
        "import sys\n"
        "from docassemble_asylum.commands.runner import run\n"
        "from docassemble_asylum.cli import cli\n"
        "import docassemble_asylum.commands.deadline\n"
        "assert 'docassemble_asylum.deadlines.cnda' not in sys.modules\n"
        "status = run(cli, ['deadline', 'cnda', '--notified', '2026-03-02', '--today', '2026-03-03', '--json'])\n"
        "heavy = sorted(m for m in ('icalendar', 'docx', 'docxtpl', 'jinja2', 'pypdf', 'pikepdf', 'rich', 'holidays') if m in sys.modules)\n"
        "print(status, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "0 []"


def test_a_date_beyond_the_horizon_is_a_clean_error(capsys):
    code, out, err = invoke(capsys, "deadline", "cnda", "--notified", "9999-12-20", "--today", "9999-12-25", "--lang", "en")
    assert code == 1
    assert "this date is too far in the future to compute a deadline (after Friday 31 December 2100)." in err
    assert "Traceback" not in err
