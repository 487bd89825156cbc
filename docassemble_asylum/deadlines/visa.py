"""The deadlines after a visa refusal (RULES.md §5, "Visa refusal, step by step").

Python API (what ``asylumdocs deadline visa-appeal|visa-tribunal`` and the procedures call)::

    from docassemble_asylum.deadlines import visa

    visa.compute_appeal(date(2026, 11, 2), today=None)
    visa.compute_tribunal(visa.TribunalInputs(rejection_notified=date(2026, 3, 2)))
    visa.compute_tribunal(visa.TribunalInputs(commission_received=date(2026, 3, 2), routes_stated="no"))

1. The appeal to the Commission de recours contre les décisions de refus de visa
   (``reunification.crrv_period``): 30 days from the notification of the refusal, the day
   of notification not counted (CPC art. 641). Whether a day 30 on a weekend or holiday is
   extended is not settled for this appeal: the safe day is the working day before it,
   and the result is then ``uncertain``. Shown too: the day the commission's silence
   becomes a rejection if it receives the appeal on the safe day (2 months).
2. The application to the Tribunal administratif de Nantes (``visa.tribunal_period``):
   2 months, a délai franc, extended to the next working day (CE n° 438152), from the
   notification of the explicit rejection; or from the implicit rejection, born 2 months
   after the commission RECEIVED the appeal (``visa.implicit_rejection``, an inference).
   Against an implicit rejection the 2 months run only if the acknowledgement of receipt
   stated the routes of appeal; otherwise a reasonable time of one year applies: the
   last day is then that year's end, the safe day still the 2 months' (never count on
   the year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.common import (
    DeadlineInputError,
    InputProblem,
    N_,
    Trace,
    _,
    describe_day,
    future_problems,
    rule_version,
    today_warnings,
)
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date
from docassemble_asylum.rules.schema import Certainty, RuleVersion

APPEAL = "visa_appeal"
TRIBUNAL = "visa_tribunal"

RoutesStated = Literal["yes", "no", "unknown"]


# --- the appeal to the commission ----------------------------------------------------------


def compute_appeal(notified: dt.date, today: dt.date | None, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    """Last day for the appeal to the commission; ``DeadlineInputError`` for a notification after today."""
    problems = future_problems({"notified": notified}, today)
    if problems:
        raise DeadlineInputError(problems, labels)
    t = Trace()
    rule = t.use(rule_version("reunification.crrv_period", notified, "notified", labels))
    days = int(rule.value["days"])
    last = cal.days_after(notified, days)
    t.step(
        _(
            "The appeal must be made within {days} days of the notification of the refusal — {article}: {start} + {days} "
            "days = {end}."
        ).format(days=days, article=rule.caption, start=format_date(notified), end=format_date(last))
    )
    safe = last
    if not cal.is_working_day(last):
        safe = cal.roll_back(last)
        t.certainties.append(Certainty.uncertain)
        t.use(rule_version("calendar.public_holidays", last, "notified", labels), certainty=False)
        t.step(
            _(
                "{day} is not a working day ({reason}), and whether this period is then extended is not settled: aim for "
                "the working day before it, {target}."
            ).format(day=format_date(last), reason=describe_day(last), target=format_date(safe))
        )
    silence = int(rule.value["silence_months"])
    rejection = cal.add_months(safe, silence)
    t.step(
        _(
            "If the commission does not answer within {months} months of receiving the appeal, the appeal is rejected "
            "(implicit rejection). Received on {received}, that would be on {rejection}; the date on the acknowledgement "
            "of receipt is the one that counts."
        ).format(months=silence, received=format_date(safe), rejection=format_date(rejection))
    )
    t.warn(
        _(
            "Send the appeal by registered letter with acknowledgement of receipt, early enough for it to arrive by the "
            "last day, and keep the proof of posting and the acknowledgement."
        )
    )
    result = t.result(
        APPEAL,
        last,
        safe,
        today,
        notified=notified.isoformat(),
        implicit_rejection_if_received_on_safe_day=rejection.isoformat(),
    )
    today_warnings(result, late=late_appeal_warning())
    return result


def late_appeal_warning() -> str:
    """What a late appeal means (``{today}`` and ``{last}`` are filled by ``today_warnings``)."""
    return _(
        "Today ({today}) is after the last day ({last}): the appeal is late. The commission may reject it as out of time, "
        "and the tribunal cannot then examine the refusal itself. Check the date of notification, and whether the refusal "
        "stated the period and the address of the appeal (if not, the period may not have started); a new visa "
        "application remains possible. Get legal advice at once."
    )


# --- the application to the tribunal -------------------------------------------------------


@dataclass(frozen=True)
class TribunalInputs:
    rejection_notified: dt.date | None = None  # an explicit rejection, notified on
    commission_received: dt.date | None = None  # or: the day the commission received the appeal
    routes_stated: RoutesStated = "unknown"  # the acknowledgement of receipt stated the routes of appeal
    today: dt.date | None = None
    reasons_requested: dt.date | None = None  # the reasons of the implicit rejection were asked for on (L.232-4 CRPA)


def check_tribunal_inputs(inputs: TribunalInputs) -> list[InputProblem]:
    given = [name for name in ("rejection_notified", "commission_received") if getattr(inputs, name) is not None]
    if len(given) != 1:
        return [
            InputProblem(
                "rejection_notified",
                N_("give either {explicit} (an explicit rejection) or {implicit} (no answer from the commission), not both."),
                {"explicit": "rejection_notified", "implicit": "commission_received"},
            )
            if given
            else InputProblem(
                "rejection_notified",
                N_("give {explicit} (an explicit rejection) or {implicit} (no answer from the commission)."),
                {"explicit": "rejection_notified", "implicit": "commission_received"},
            )
        ]
    problems = future_problems({name: getattr(inputs, name) for name in given}, inputs.today)
    if inputs.rejection_notified is not None and inputs.routes_stated != "unknown":
        problems.append(
            InputProblem("routes_stated", N_("only for an implicit rejection (with {implicit})."), {"implicit": "commission_received"})
        )
    return problems


def _reasons_warning(t: Trace, requested: dt.date | None, last: dt.date, safe: dt.date, implicit: RuleVersion) -> None:
    """What to do about the reasons of an implicit rejection (L.232-4 CRPA, ``visa.implicit_rejection``).

    Asked for within the period of appeal, they must be given within a month and the period
    is extended until two months after they are given: the day shown stays a SAFE day, not
    the legal last one. Not asked for yet: the user is told to ask for them."""
    if requested is None:
        t.warn(
            _(
                "Ask the commission for the reasons of the implicit rejection (article L.232-4 of the CRPA) before the last "
                "day: it must give them within a month, and the period to go to the tribunal is then extended until two "
                "months after they are given."
            )
        )
    elif requested <= last:
        answer = cal.add_months(requested, int(implicit.value["reasons_answer_months"]))
        t.warn(
            _(
                "The reasons were asked for on {requested}, within the period of appeal: the commission must give them by "
                "{answer}, and the period to go to the tribunal is extended until two months after they are given "
                "(article L.232-4 of the CRPA). The day shown, {safe}, is therefore a safe day: file the application by "
                "then all the same."
            ).format(requested=format_date(requested), answer=format_date(answer), safe=format_date(safe))
        )
    else:
        t.warn(
            _(
                "The reasons were asked for on {requested}, after the period of appeal: the period to go to the tribunal is "
                "not extended (article L.232-4 of the CRPA)."
            ).format(requested=format_date(requested))
        )


def compute_tribunal(inputs: TribunalInputs, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    """Last day to file the application with the tribunal; ``DeadlineInputError`` for inconsistent inputs."""
    problems = check_tribunal_inputs(inputs)
    if problems:
        raise DeadlineInputError(problems, labels)
    t = Trace()
    explicit = inputs.rejection_notified is not None
    start_field = "rejection_notified" if explicit else "commission_received"
    start_day = inputs.rejection_notified if explicit else inputs.commission_received
    period = t.use(rule_version("visa.tribunal_period", start_day, start_field, labels))
    months = int(period.value["months"])
    details: dict[str, str] = {"rejection": "explicit" if explicit else "implicit"}
    if explicit:
        start = inputs.rejection_notified
        t.step(_("The commission's rejection was notified on {date}: the period starts then.").format(date=format_date(start)))
    else:
        implicit = t.use(rule_version("visa.implicit_rejection", inputs.commission_received, start_field, labels))
        start = cal.add_months(inputs.commission_received, int(implicit.value["silence_months"]))
        details["implicit_rejection"] = start.isoformat()
        t.step(
            _(
                "The commission received the appeal on {received}; without an answer, the appeal is rejected on {rejection} "
                "({months} months later) — {article}."
            ).format(
                received=format_date(inputs.commission_received),
                rejection=format_date(start),
                months=implicit.value["silence_months"],
                article=implicit.caption,
            )
        )
    expiry = cal.add_months(start, months)
    franc = cal.franc_last_day(expiry)
    t.step(
        _(
            "{months} months from {start} (de quantième à quantième) end on {expiry}; the period is a délai franc, so the "
            "last day is the day after, {franc} — {article}."
        ).format(months=months, start=format_date(start), expiry=format_date(expiry), franc=format_date(franc), article=period.caption)
    )
    two_months = t.roll(franc)
    last, safe = two_months, two_months
    if not explicit:
        implicit = rule_version("visa.implicit_rejection", inputs.commission_received, start_field, labels)
        year = cal.add_months(start, int(implicit.value["reasonable_time_months"]))
        if inputs.routes_stated == "yes":
            t.step(_("The acknowledgement of receipt stated the routes of appeal: the {months} months apply.").format(months=months))
        elif inputs.routes_stated == "no":
            last = year
            t.step(
                _(
                    "The acknowledgement of receipt did not state the routes of appeal: the {months} months do not run, and a "
                    "reasonable time applies, in principle one year from the rejection: {year}. Do not count on it: aim for "
                    "{safe}."
                ).format(months=months, year=format_date(year), safe=format_date(safe))
            )
        else:
            t.step(
                _(
                    "Whether the acknowledgement of receipt stated the routes of appeal is not known: if it did, the last day "
                    "is {safe}; if not (or if there was no acknowledgement), a reasonable time of in principle one year "
                    "applies, until {year}. Aim for {safe}."
                ).format(safe=format_date(safe), year=format_date(year))
            )
            t.warn(
                _(
                    "Look at the commission's acknowledgement of receipt: whether it stated the routes and periods of appeal "
                    "decides whether the last day is {safe} or, in principle, {year}."
                ).format(safe=format_date(safe), year=format_date(year))
            )
        details["reasonable_time_last_day"] = year.isoformat()
        if inputs.today is not None and inputs.today < start:
            t.warn(
                _(
                    "The commission can still answer until {rejection}: the implicit rejection is born on that day, and the "
                    "application to the tribunal is made after it."
                ).format(rejection=format_date(start))
            )
        _reasons_warning(t, inputs.reasons_requested, last, safe, implicit)
    t.warn(
        _(
            "An urgent application (référé-suspension) is possible, but only with or after the main application: discuss it "
            "with a lawyer."
        )
    )
    result = t.result(TRIBUNAL, last, safe, inputs.today, start=start.isoformat(), routes_stated=inputs.routes_stated, **details)
    today_warnings(result)
    return result
