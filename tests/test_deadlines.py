"""The deadline engine: every worked example of RULES.md §8, and the edge cases around them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from docassemble_asylum.deadlines import cnda, interview_notice, reexamination
from docassemble_asylum.deadlines.common import DeadlineInputError, Period, parse_period
from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import format_date, language
from docassemble_asylum.rules import Certainty, load_rulebook
from docassemble_asylum.rules.loader import data_root

D = dt.date.fromisoformat
VERIFIED, INFERENCE, UNCERTAIN, UNVERIFIED = (
    Certainty.verified,
    Certainty.inference,
    Certainty.uncertain,
    Certainty.unverified,
)
# L532-1 is linked to the part of the CESEDA holding articles L532-1 to L532-15 (its own id unknown).
CESEDA = "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042772360/"
F2675 = "https://www.service-public.gouv.fr/particuliers/vosdroits/F2675"
LOI_91_647 = "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000037398437"  # its art. 9-4, 2019-2024
REEXAMINATION_SECTION = "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042801800/"
CPC_641 = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006411002"
OFPRA_PAGE = "https://ofpra.gouv.fr/dossier/prise-en-compte-des-vulnerabilites/je-souhaite-etre-accompagne-en-entretien"


def appeal(lang: str = "en", **inputs) -> "cnda.DeadlineResult":
    values = {k: (D(v) if isinstance(v, str) and k not in ("procedure", "stated_period") else v) for k, v in inputs.items()}
    with language(lang):
        return cnda.compute(cnda.CndaInputs(**values))


def urls(result) -> list[str]:
    return [ref.url for ref in result.sources]


# --- RULES.md §8: CNDA ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "last_day"),
    [
        ("2026-03-02", "2026-04-03"),
        ("2025-01-31", "2025-03-03"),  # 28 Feb + 1 = 1 Mar, a Saturday -> Monday
        ("2025-02-28", "2025-03-31"),
        ("2025-10-07", "2025-11-10"),
        ("2025-06-13", "2025-07-15"),  # 14 July
    ],
)
def test_rules_examples_postal(notified, last_day):
    result = appeal(notified=notified)
    assert (result.last_day, result.safe_day, result.certainty) == (D(last_day), D(last_day), VERIFIED)
    assert result.kind == "cnda_appeal"
    assert CESEDA in urls(result) and F2675 in urls(result)


def test_rules_example_uncollected_letter():
    result = appeal(uncollected_notice="2026-01-20")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-02-23"), D("2026-02-23"), VERIFIED)
    assert result.steps[0] == (
        "Notification: the registered letter was not collected; the date of the postal notice (avis de passage) "
        "counts: Tuesday 20 January 2026."
    )


def test_rules_example_online_read():
    result = appeal(posted_online="2026-03-10", first_read="2026-03-13")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-14"), D("2026-04-14"), VERIFIED)
    assert result.details["notified"] == "2026-03-13"


def test_rules_example_online_never_read_both_readings_agree():
    result = appeal(posted_online="2026-03-10")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-27"), D("2026-04-27"), VERIFIED)
    assert "Read as posting + 14 days (notification on Tuesday 24 March 2026), the last day is the same." in result.steps
    assert result.details["notified"] == "2026-03-25"


def test_rules_example_legal_aid_on_day_16_has_no_effect():
    result = appeal(notified="2026-03-02", legal_aid_requested="2026-03-18", legal_aid_decision_notified="2026-04-20")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-03"), D("2026-04-03"), VERIFIED)
    assert result.details["legal_aid"] == "late"
    assert any("does not suspend the appeal period" in w for w in result.warnings)
    assert LOI_91_647 in urls(result)


def test_rules_example_legal_aid_suspends():
    result = appeal(notified="2026-03-02", legal_aid_requested="2026-03-12", legal_aid_decision_notified="2026-04-20")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-05-12"), D("2026-05-11"), UNCERTAIN)
    assert result.details["legal_aid"] == "suspended"
    assert "Time remaining when legal aid was requested: 21 days (from Thursday 12 March 2026 to the expiry on Thursday 2 April 2026)." in result.steps
    assert LOI_91_647 in urls(result)


def test_rules_example_legal_aid_steps_in_french():
    result = appeal("fr", notified="2026-03-02", legal_aid_requested="2026-03-12", legal_aid_decision_notified="2026-04-20")
    assert result.steps[-2] == (
        "Selon la façon de compter le temps restant (à un jour près), le dernier jour serait l'un des jours suivants : lundi 11 "
        "mai 2026, mardi 12 mai 2026, mercredi 13 mai 2026. Le dernier jour affiché (mardi 12 mai 2026) correspond à la "
        "lecture principale ; la date sûre (lundi 11 mai 2026), à la plus précoce. À vérifier avec l'avocat ou le bureau "
        "d'aide juridictionnelle (BAJ)."
    )
    assert result.steps[-1] == "Date sûre (la lecture la plus précoce) : lundi 11 mai 2026."
    assert (
        "Il recommence à courir à compter de la notification de la décision d'aide juridictionnelle le lundi 20 avril 2026 : "
        "lundi 20 avril 2026 + 21 jours = lundi 11 mai 2026." in result.steps
    )


# --- steps, in French and English ----------------------------------------------------------


def test_steps_in_french():
    result = appeal("fr", notified="2025-01-31")
    assert result.steps == [
        "Notification : le pli recommandé a été reçu le vendredi 31 janvier 2025.",
        "Délai : 1 mois à compter de la notification — CESEDA, art. L.532-1.",
        "vendredi 31 janvier 2025 + 1 mois = vendredi 28 février 2025 (les mois se comptent de quantième à quantième : "
        "jusqu'au même numéro de jour).",
        "Le 31 n'existe pas dans ce mois : le délai expire le dernier jour du mois.",
        "Délai franc : le jour de l'échéance ne compte pas non plus, le dernier jour est donc le lendemain : samedi 1er mars 2025.",
        "samedi 1er mars 2025 n'est pas un jour ouvré (samedi, puis dimanche) : le délai est prorogé au premier jour ouvré suivant, lundi 3 mars 2025.",
    ]
    assert result.warnings[-1].startswith("Le dernier jour est le dernier jour pour ENVOYER le recours : la Cour retient la date d'envoi.")
    assert "01 48 18 44 20" in result.warnings[-1]
    assert "35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex" in result.warnings[-1]


def test_steps_in_english():
    result = appeal("en", notified="2025-06-13")
    assert result.steps == [
        "Notification: the registered letter was received on Friday 13 June 2025.",
        "Period: 1 month from the notification — CESEDA, art. L.532-1.",
        "Friday 13 June 2025 + 1 month = Sunday 13 July 2025 (months run “de quantième à quantième”: to the same day number).",
        "Délai franc: the day of expiry does not count either, so the last day is the next day: Monday 14 July 2025.",
        "Monday 14 July 2025 is not a working day (public holiday: Fête nationale): the period is extended to the next working day, Tuesday 15 July 2025.",
    ]
    assert result.warnings == [
        "The last day is the last day to SEND the appeal: the court counts the date it was sent. Keep the proof of "
        "sending: the receipt of the registered letter (with acknowledgement of receipt), the fax transmission report (fax "
        "01 48 18 44 20; a faxed appeal must be signed by the hearing at the latest), or the receipt of a filing in person "
        "at Cour nationale du droit d'asile, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex. Older guidance counted the "
        "day the appeal arrived: send it several days before if you can, but never give up on the last day."
    ]


def test_the_holiday_rule_is_cited_only_when_a_day_was_skipped():
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F2405" not in urls(appeal(notified="2026-03-02"))
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F2405" in urls(appeal(notified="2025-06-13"))
    assert appeal(notified="2026-03-02").steps[-1] == "Friday 3 April 2026 is a working day."


# --- edge cases: calendar ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "last_day", "why"),
    [
        ("2024-01-31", "2024-03-01", "leap year: 31 Jan + 1 month = 29 Feb, + 1 = 1 Mar (Friday)"),
        ("2024-01-30", "2024-03-01", "30 Jan + 1 month = 29 Feb"),
        ("2023-01-31", "2023-03-01", "not a leap year: 28 Feb + 1 = 1 Mar (Wednesday)"),
        ("2024-02-29", "2024-04-02", "29 Mar + 1 = Sat 30 Mar, Sunday, Easter Monday 1 Apr"),
        ("2026-03-05", "2026-04-07", "E = Easter Sunday 5 Apr, L = Easter Monday"),
        ("2026-04-13", "2026-05-15", "L = Ascension, Thursday 14 May"),
        ("2026-04-23", "2026-05-26", "Saturday, Sunday, Whit Monday 25 May"),
        ("2026-10-10", "2026-11-12", "L = 11 November (Wednesday)"),
        ("2026-11-24", "2026-12-28", "L = Christmas (Friday), then the weekend"),
        ("2025-12-31", "2026-02-02", "31 Jan 2026 is a Saturday: L = Sunday 1 Feb -> Monday"),
        ("2026-06-13", "2026-07-15", "L = 14 July 2026 (Tuesday); reform: see below"),
        ("2025-03-31", "2025-05-02", "31 Mar + 1 month = 30 Apr, + 1 = 1 May (holiday)"),
    ],
)
def test_calendar_edge_cases(notified, last_day, why):
    assert appeal(notified=notified).last_day == D(last_day), why


def test_easter_monday_step():
    result = appeal("fr", notified="2026-03-05")
    assert result.steps[-1] == "lundi 6 avril 2026 n'est pas un jour ouvré (jour férié : Lundi de Pâques) : le délai est prorogé au premier jour ouvré suivant, mardi 7 avril 2026."


def test_leap_year_step_mentions_the_missing_day():
    result = appeal(notified="2024-01-31")
    assert "Day 31 does not exist in that month: the period expires on the last day of the month." in result.steps
    assert not any("does not exist" in s for s in appeal(notified="2025-02-28").steps)


# --- edge cases: online notification --------------------------------------------------------


def test_first_read_after_day_15_changes_nothing():
    result = appeal(posted_online="2026-03-10", first_read="2026-03-30")
    assert (result.last_day, result.safe_day) == (D("2026-04-27"), D("2026-04-27"))
    assert result.details["notified"] == "2026-03-25"
    assert (
        "First read on Monday 30 March 2026, after the 15 days following posting: that reading changes nothing." in result.steps
    )


def test_first_read_on_day_15_is_the_notification():
    result = appeal(posted_online="2026-03-10", first_read="2026-03-25")
    assert result.details["notified"] == "2026-03-25"
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-27"), D("2026-04-27"), VERIFIED)


def test_the_two_readings_of_15_days_differ():
    # posted + 15 = Tue 17 Mar -> 17 Apr -> Sat 18 Apr -> Mon 20 Apr;
    # posted + 14 = Mon 16 Mar -> 16 Apr -> Fri 17 Apr.
    result = appeal(posted_online="2026-03-02")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-20"), D("2026-04-17"), UNCERTAIN)
    assert (
        "Counting the 15 days after posting is uncertain: read as posting + 14 days, the notification is on Monday "
        "16 March 2026 and the last day Friday 17 April 2026." in result.steps
    )


def test_first_read_within_14_days_is_certain():
    result = appeal(posted_online="2026-03-02", first_read="2026-03-05")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-07"), D("2026-04-07"), VERIFIED)


# --- edge cases: legal aid -----------------------------------------------------------------


def test_legal_aid_on_day_15_exactly_suspends():
    # N + 15 = 17 Mar (not a délai franc); remaining 17 Mar -> 2 Apr = 16 days; 20 Apr + 16 = 6 May, + 1 = 7 May.
    result = appeal(notified="2026-03-02", legal_aid_requested="2026-03-17", legal_aid_decision_notified="2026-04-20")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-05-07"), D("2026-05-06"), UNCERTAIN)
    assert result.details["legal_aid"] == "suspended"


def test_legal_aid_readings_are_rolled_forward_each():
    # remaining 2 Mar -> 2 Apr from a request on 2 Mar: 31 days; decision 1 Apr + 31 = 2 May (Sat) + 1 = Sun 3 May.
    result = appeal(notified="2026-03-02", legal_aid_requested="2026-03-02", legal_aid_decision_notified="2026-04-01")
    assert result.last_day == D("2026-05-04")  # Sunday -> Monday
    assert result.safe_day == D("2026-05-04")  # Saturday -> Monday as well: the readings agree here
    assert result.certainty is UNCERTAIN


def test_legal_aid_decision_pending_assumes_today():
    result = appeal(notified="2026-03-02", legal_aid_requested="2026-03-12", today="2026-03-20")
    # 20 Mar + 21 days = 10 Apr, + 1 = Sat 11 Apr -> Mon 13 Apr; the -1 reading is Fri 10 Apr.
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-04-13"), D("2026-04-10"), UNCERTAIN)
    assert result.details["legal_aid"] == "pending"
    assert not result.passed
    assert any("has not been notified yet" in w for w in result.warnings)


def test_legal_aid_decision_before_the_request_is_a_user_error():
    inputs = cnda.CndaInputs(notified=D("2026-03-02"), legal_aid_requested=D("2026-03-12"), legal_aid_decision_notified=D("2026-03-10"))
    problems = cnda.check_inputs(inputs)
    assert [(p.field, p.msgid) for p in problems] == [
        (
            "legal_aid_decision_notified",
            "{a} cannot be earlier than {b}: the legal-aid decision cannot have been notified before legal aid was requested.",
        ),
    ]
    assert problems[0].ctx == {"a": "legal_aid_decision_notified", "b": "legal_aid_requested"}
    with language("en"), pytest.raises(UserError) as info:
        cnda.compute(inputs)
    assert info.value.render() == (
        "legal_aid_decision_notified cannot be earlier than legal_aid_requested: the legal-aid decision cannot have been "
        "notified before legal aid was requested."
    )
    with language("fr"), pytest.raises(DeadlineInputError) as info:
        cnda.compute(inputs, labels={"legal_aid_decision_notified": "--legal-aid-decision-notified", "legal_aid_requested": "--legal-aid-requested"})
    assert info.value.render() == (
        "la date de --legal-aid-decision-notified ne peut pas précéder celle de --legal-aid-requested : la décision d'aide "
        "juridictionnelle ne peut pas avoir été notifiée avant la demande."
    )


def test_legal_aid_request_before_the_notification_is_a_user_error():
    problems = cnda.check_inputs(cnda.CndaInputs(notified=D("2026-03-02"), legal_aid_requested=D("2026-02-20")))
    assert [p.field for p in problems] == ["legal_aid_requested"]


def test_legal_aid_request_during_the_15_days_before_an_online_reading():
    # Requested after posting but before the deemed notification: the whole period remains.
    result = appeal(posted_online="2026-03-02", legal_aid_requested="2026-03-12", legal_aid_decision_notified="2026-04-20")
    assert "Time remaining when legal aid was requested: 31 days (from Tuesday 17 March 2026 to the expiry on Friday 17 April 2026)." in result.steps
    assert result.certainty is UNCERTAIN
    assert result.last_day == D("2026-05-22")  # 20 Apr + 31 = 21 May (Thu), + 1 = Fri 22 May
    assert result.safe_day < result.last_day


# --- edge cases: inputs --------------------------------------------------------------------


def test_first_read_before_posting_is_a_user_error():
    with language("en"), pytest.raises(UserError) as info:
        appeal(posted_online="2026-03-10", first_read="2026-03-09")
    assert info.value.render() == "first_read cannot be earlier than posted_online: the decision cannot have been read before it was posted online."


def test_notification_in_the_future_is_a_user_error():
    with language("en"), pytest.raises(UserError) as info:
        appeal(notified="2026-03-02", today="2026-03-01")
    assert info.value.render() == "notified: this date is after today (Sunday 1 March 2026)."


def test_several_problems_are_listed():
    with language("en"), pytest.raises(DeadlineInputError) as info:
        appeal(notified="2026-03-02", posted_online="2026-03-01", first_read="2026-02-01", today="2026-03-01")
    assert info.value.render() == (
        "The dates have 3 problems:\n"
        "  - notified and posted_online cannot be used together: the decision was notified in one way only.\n"
        "  - first_read cannot be earlier than posted_online: the decision cannot have been read before it was posted online.\n"
        "  - notified: this date is after today (Sunday 1 March 2026)."
    )
    assert [p.field for p in info.value.input_problems] == ["posted_online", "first_read", "notified"]


def test_check_inputs_never_raises_and_names_fields():
    problems = cnda.check_inputs(cnda.CndaInputs(first_read=D("2026-03-01"), procedure="quick", stated_period="soon"))
    assert [p.field for p in problems] == ["notified", "first_read", "procedure", "stated_period"]
    assert cnda.check_inputs(cnda.CndaInputs(notified=D("2026-03-02"), legal_aid_requested=D("2026-03-03"))) == []
    assert [p.field for p in cnda.check_inputs(cnda.CndaInputs(notified=D("2026-03-02"), legal_aid_requested=D("2026-03-03")), require_legal_aid_decision=True)] == ["legal_aid_requested"]


def test_a_date_before_the_rules_is_a_user_error():
    with language("en"), pytest.raises(UserError) as info:
        appeal(notified="2020-01-15")
    assert info.value.render() == "notified: the rules of this tool start on Saturday 1 May 2021: an earlier date cannot be computed."


# --- overseas ------------------------------------------------------------------------------


def test_overseas_adds_an_unverified_month_and_keeps_the_safe_day_without_it():
    result = appeal(notified="2026-03-02", overseas=True)
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-05-04"), D("2026-04-03"), UNVERIFIED)
    assert "Without the overseas month (not confirmed), the last day would be Friday 3 April 2026." in result.steps


def test_overseas_is_two_months_de_quantieme_a_quantieme():
    result = appeal(notified="2025-01-31", overseas=True)
    assert (result.last_day, result.safe_day) == (D("2025-04-01"), D("2025-03-03"))


# --- the June 2026 reform ------------------------------------------------------------------


def test_notified_the_day_before_the_reform():
    result = appeal(notified="2026-06-07")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-07-08"), D("2026-07-08"), VERIFIED)
    assert result.details["reform"] == "no"


def test_reform_normal_decision_safe_day_is_n_plus_14():
    result = appeal(notified="2026-06-08")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-07-09"), D("2026-06-22"), UNVERIFIED)
    assert result.warnings[0].startswith("Decision notified on or after Monday 8 June 2026: the appeal period changed")
    assert "--stated-period" in result.warnings[0]
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F2232" in urls(result)


def test_reform_accelerated_safe_day_is_n_plus_5():
    result = appeal(notified="2026-07-01", procedure="accelerated")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-08-03"), D("2026-07-06"), UNVERIFIED)


def test_reform_safe_day_moves_to_the_previous_working_day():
    # 9 Jul + 5 = Tue 14 July (holiday) -> Mon 13 July.
    result = appeal("fr", notified="2026-07-09", procedure="inadmissibility")
    assert (result.last_day, result.safe_day) == (D("2026-08-10"), D("2026-07-13"))
    assert "mardi 14 juillet 2026 n'est pas un jour ouvré (jour férié : Fête nationale) : le jour ouvré qui le précède est lundi 13 juillet 2026." in result.steps
    # 21 Jun + 14 = Sunday 5 July -> Friday 3 July.
    assert appeal(notified="2026-06-21").safe_day == D("2026-07-03")


def test_reform_with_a_stated_period():
    result = appeal(notified="2026-07-01", stated_period="15 jours")
    assert (result.last_day, result.safe_day, result.certainty) == (D("2026-07-17"), D("2026-07-17"), INFERENCE)
    assert not any("--stated-period" in w for w in result.warnings)
    # Lodged before 12 June 2026: no art. 68(3) reading (which would make it unverified, see below).
    month = appeal(notified="2026-07-01", stated_period="1 month", procedure="accelerated", application_lodged="2026-03-02")
    assert (month.last_day, month.safe_day, month.certainty) == (D("2026-08-03"), D("2026-08-03"), INFERENCE)
    ten = appeal(notified="2026-07-01", stated_period="10 days")  # 11 Jul (Sat) + 1 = Sun 12 -> Mon 13
    assert (ten.last_day, ten.safe_day) == (D("2026-07-13"), D("2026-07-13"))


def test_reform_with_legal_aid_keeps_the_suspension_in_the_safe_day():
    result = appeal(notified="2026-07-01", legal_aid_requested="2026-07-03", legal_aid_decision_notified="2026-08-03")
    # Safe: N + 14 = 15 Jul; remaining from 3 Jul: 12 days; 3 Aug + 12 = Sat 15 Aug (holiday too) -> Fri 14 Aug.
    assert result.safe_day == D("2026-08-14")
    assert result.certainty is UNVERIFIED


def test_reform_legal_aid_after_the_shortest_period():
    result = appeal(notified="2026-07-01", procedure="accelerated", legal_aid_requested="2026-07-10", legal_aid_decision_notified="2026-08-03")
    assert result.safe_day == D("2026-07-06")


@pytest.mark.parametrize(
    ("posted", "procedure", "last_day", "safe_day"),
    [
        # Deemed notified 16 Jun (posted + 15) or 15 Jun (posted + 14): 15 Jun + 14 = Mon 29 Jun.
        ("2026-06-01", "normal", "2026-07-17", "2026-06-29"),
        # 17 Jun or 16 Jun: 16 Jun + 14 = Tue 30 Jun.
        ("2026-06-02", "normal", "2026-07-20", "2026-06-30"),
        # 18 Jun or 17 Jun: 17 Jun + 5 = Mon 22 Jun.
        ("2026-06-03", "accelerated", "2026-07-20", "2026-06-22"),
    ],
)
def test_reform_online_posting_safe_day_counts_from_the_earlier_reading(posted, procedure, last_day, safe_day):
    result = appeal(posted_online=posted, procedure=procedure, today="2026-06-10")
    assert (result.last_day, result.safe_day, result.certainty) == (D(last_day), D(safe_day), UNVERIFIED)
    with language("en"):
        alt, safe = format_date(D(posted) + dt.timedelta(days=14)), format_date(D(safe_day))
    assert any(step.startswith(f"Read as posting + 14 days (notification on {alt}), the shortest period gives") for step in result.steps)
    assert result.steps[-1] == f"Safe day (the earliest reading): {safe}."


def test_reform_online_posting_read_on_time_has_one_reading():
    result = appeal(posted_online="2026-06-01", first_read="2026-06-09", today="2026-06-10")
    assert (result.last_day, result.safe_day) == (D("2026-07-10"), D("2026-06-23"))
    assert not any("the shortest period gives" in step for step in result.steps)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("1 month", Period(months=1)),
        ("1 mois", Period(months=1)),
        ("un mois", Period(months=1)),
        ("2 months", Period(months=2)),
        ("15 days", Period(days=15)),
        ("15 jours", Period(days=15)),
        ("15 jours francs", Period(days=15)),
        ("10 days", Period(days=10)),
        ("5 Days", Period(days=5)),
        ("2 weeks", Period(days=14)),
        ("quinze jours", Period(days=15)),
    ],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "soon", "0 days", "15", "days", "1 year", "100 days", "4 months"])
def test_parse_period_refuses(text):
    with pytest.raises(ValueError):
        parse_period(text)


# --- today ---------------------------------------------------------------------------------


def test_today_after_the_safe_day_warns():
    result = appeal(notified="2026-03-02", overseas=True, today="2026-04-10")
    assert not result.passed and result.safe_day_passed
    assert result.warnings[0] == (
        "Today (Friday 10 April 2026) is after the safe day (Friday 3 April 2026): act today; the last day is Monday 4 May 2026."
    )


def test_today_after_the_last_day_has_passed():
    result = appeal(notified="2026-03-02", today="2026-04-04")
    assert result.passed
    assert result.warnings[0].startswith("Today (Saturday 4 April 2026) is after the last day (Friday 3 April 2026)")
    assert not appeal(notified="2026-03-02", today="2026-04-03").passed


# --- the rules come from the data ----------------------------------------------------------


def test_the_computation_reads_the_rule_data(tmp_path, monkeypatch):
    from docassemble_asylum import french_calendar
    from docassemble_asylum.deadlines import common

    root = tmp_path / "data"
    shutil.copytree(data_root(), root)
    path = root / "cnda" / "appeal_period.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("months: 1", "months: 2"), encoding="utf-8")
    path = root / "interview" / "notice_period.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("normal: 7", "normal: 10"), encoding="utf-8")
    book = load_rulebook(root)
    monkeypatch.setattr(common, "rulebook", lambda: book)
    monkeypatch.setattr(french_calendar, "rulebook", lambda: book)
    assert appeal(notified="2026-03-02").last_day == D("2026-05-04")
    assert interview_notice.compute(D("2026-04-14")).last_day == D("2026-04-04")


# --- re-examination ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "last_day", "safe_day"),
    [
        ("2026-03-03", "2026-03-11", "2026-03-11"),
        ("2026-04-03", "2026-04-11", "2026-04-10"),  # Saturday: post on Friday
        ("2026-05-06", "2026-05-14", "2026-05-13"),  # Ascension
        ("2026-03-29", "2026-04-06", "2026-04-03"),  # Easter Monday, Sunday, Saturday -> Friday
        ("2025-12-24", "2026-01-01", "2025-12-31"),  # New Year's Day
    ],
)
def test_reexamination(registered, last_day, safe_day):
    with language("en"):
        result = reexamination.compute(D(registered))
    # RULES.md §3: whether a day 8 on a non-working day is extended is uncertain, so the
    # result is uncertain exactly when the safe day differs from the last day.
    expected = INFERENCE if safe_day == last_day else Certainty.uncertain
    assert (result.last_day, result.safe_day, result.certainty) == (D(last_day), D(safe_day), expected)
    assert result.kind == "reexamination"
    assert REEXAMINATION_SECTION in urls(result) and CPC_641 in urls(result)
    assert any("201 rue Carnot, 94136 Fontenay-sous-Bois Cedex" in w for w in result.warnings)


def test_reexamination_steps_in_french():
    with language("fr"):
        result = reexamination.compute(D("2026-04-03"))
    assert result.steps[0] == "Nouvel enregistrement en préfecture : vendredi 3 avril 2026."
    assert result.steps[1] == (
        "vendredi 3 avril 2026 + 8 jours = samedi 11 avril 2026 (le jour de l'enregistrement ne compte pas) — "
        "CESEDA, art. R.531-36 ; computation du délai : CPC, art. 641."
    )
    assert result.steps[-1] == "samedi 11 avril 2026 n'est pas un jour ouvré (samedi) : le jour ouvré qui le précède est vendredi 10 avril 2026."


def test_reexamination_after_the_reform_is_unverified():
    with language("en"):
        before = reexamination.compute(D("2026-06-11"))
        after = reexamination.compute(D("2026-06-12"))
    assert before.certainty is INFERENCE and not any("June 2026" in w for w in before.warnings)
    assert (after.last_day, after.safe_day, after.certainty) == (D("2026-06-20"), D("2026-06-19"), UNVERIFIED)
    assert after.warnings[0].startswith("Registered on or after Friday 12 June 2026")


def test_reexamination_passed():
    with language("en"):
        result = reexamination.compute(D("2026-03-03"), today=D("2026-03-12"))
    assert result.passed and result.warnings[0].startswith("Today (Thursday 12 March 2026) is after the last day")


# --- interview notice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interview", "procedure", "last_day", "safe_day"),
    [
        ("2026-04-14", "normal", "2026-04-07", "2026-04-07"),
        ("2026-05-21", "accelerated", "2026-05-17", "2026-05-15"),  # Sunday -> Friday
        ("2026-04-13", "normal", "2026-04-06", "2026-04-03"),  # Easter Monday -> Friday
        ("2026-05-18", "accelerated", "2026-05-14", "2026-05-13"),  # Ascension -> Wednesday
        ("2026-07-21", "normal", "2026-07-14", "2026-07-13"),  # 14 July
    ],
)
def test_interview_notice(interview, procedure, last_day, safe_day):
    with language("en"):
        result = interview_notice.compute(D(interview), procedure)
    assert (result.last_day, result.safe_day, result.certainty) == (D(last_day), D(safe_day), VERIFIED)
    assert result.kind == "interview_notice"
    assert OFPRA_PAGE in urls(result)


def test_interview_notice_steps_in_french():
    with language("fr"):
        result = interview_notice.compute(D("2026-05-21"), "accelerated")
    assert result.steps == [
        "Entretien à l'Ofpra : jeudi 21 mai 2026 (procédure accélérée).",
        "jeudi 21 mai 2026 − 4 jours = dimanche 17 mai 2026 : l'Ofpra demande à être prévenu au moins 4 jours avant — "
        "CESEDA, art. L.531-15 (accompagnement) ; délai indiqué par la page de l'Ofpra.",
        "Le délai se compte à rebours : un jour non ouvré est avancé, jamais reporté.",
        "dimanche 17 mai 2026 n'est pas un jour ouvré (dimanche, puis samedi) : le jour ouvré qui le précède est vendredi 15 mai 2026.",
    ]


def test_interview_notice_late():
    with language("en"):
        result = interview_notice.compute(D("2026-04-14"), "normal", today=D("2026-04-09"))
    assert result.passed
    assert result.warnings[0] == (
        "Today (Thursday 9 April 2026) is after the last day to give notice (Tuesday 7 April 2026). Send the notice "
        "anyway, at once: a late notice does not forbid the accompaniment."
    )


def test_interview_notice_refuses_an_unknown_procedure():
    assert [p.field for p in interview_notice.check_inputs(D("2026-04-14"), "inadmissibility")] == ["procedure"]
    with language("en"), pytest.raises(UserError, match=r"^procedure: choose one of: normal, accelerated\.$"):
        interview_notice.compute(D("2026-04-14"), "inadmissibility")


# --- the JSON contract of a result ---------------------------------------------------------


def test_to_json_shape():
    body = appeal(notified="2026-03-02", today="2026-03-10").to_json()
    # The published keys first, unchanged; the reform's keys are additions after them.
    assert list(body) == [
        "kind", "last_day", "safe_day", "certainty", "steps", "sources", "warnings", "today", "passed", "safe_day_passed",
        "application_lodged", "former_rule", "former_rule_last_day", "non_suspensive", "stay_request_day",
    ]
    assert body["kind"] == "cnda_appeal"
    assert (body["last_day"], body["safe_day"], body["certainty"]) == ("2026-04-03", "2026-04-03", "verified")
    assert all(set(s) == {"title", "url"} for s in body["sources"])
    assert len({s["url"] for s in body["sources"]}) == len(body["sources"])


# --- properties over many dates ------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from docassemble_asylum import french_calendar as cal  # noqa: E402

DAYS = st.dates(min_value=dt.date(2022, 5, 2), max_value=dt.date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(notified=DAYS, overseas=st.booleans(), procedure=st.sampled_from(["normal", "accelerated", "inadmissibility"]))
def test_cnda_properties(notified, overseas, procedure):
    with language("en"):
        result = cnda.compute(cnda.CndaInputs(notified=notified, overseas=overseas, procedure=procedure))
    expiry = cal.add_months(notified, 2 if overseas else 1)
    assert cal.is_working_day(result.last_day)
    assert expiry < result.last_day <= expiry + dt.timedelta(days=5)
    assert notified < result.safe_day <= result.last_day
    assert cal.is_working_day(result.safe_day)
    assert (result.safe_day == result.last_day) == (not overseas and notified < dt.date(2026, 6, 8))


@settings(max_examples=200, deadline=None)
@given(posted=DAYS, read_after=st.none() | st.integers(min_value=0, max_value=40))
def test_online_properties(posted, read_after):
    first_read = None if read_after is None else posted + dt.timedelta(days=read_after)
    with language("en"):
        result = cnda.compute(cnda.CndaInputs(posted_online=posted, first_read=first_read))
    assert result.safe_day <= result.last_day
    if read_after is not None and read_after <= 14:
        assert result.details["notified"] == first_read.isoformat()
    else:
        assert result.details["notified"] == (posted + dt.timedelta(days=15)).isoformat()


@settings(max_examples=200, deadline=None)
@given(day=DAYS, procedure=st.sampled_from(["normal", "accelerated"]))
def test_reexamination_and_interview_properties(day, procedure):
    with language("en"):
        filing = reexamination.compute(day)
        notice = interview_notice.compute(day, procedure)
    assert filing.last_day == day + dt.timedelta(days=8)
    assert cal.is_working_day(filing.safe_day) and filing.last_day - dt.timedelta(days=6) <= filing.safe_day <= filing.last_day
    assert notice.last_day == day - dt.timedelta(days=7 if procedure == "normal" else 4)
    assert cal.is_working_day(notice.safe_day) and notice.safe_day <= notice.last_day
