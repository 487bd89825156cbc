"""The last day to request legal aid for an appeal to the CNDA (RULES.md §2, §0).

Python API (what ``asylumdocs deadline cnda-legal-aid`` and the legal-aid request call)::

    from docassemble_asylum.deadlines import cnda, cnda_legal_aid

    result = cnda_legal_aid.compute(cnda.CndaInputs(notified=date(2026, 3, 2), today=None))
    result.last_day, result.safe_day, result.details["appeal_last_day"]

The inputs are the CNDA appeal's (``cnda.CndaInputs``) without the legal-aid dates: the
same three ways of notification, read by the appeal's own engine
(``cnda.read_notification``), so that the two deadlines never disagree on N.

1. N, the notification date, as for the appeal (online: both readings of the 15 days).
2. Last day = N + 15 days (``cnda.legal_aid`` request_days): a period in days, not a
   délai franc, and never extended to the next working day (CE 13 Nov 2023 n° 467595).
   When it is a Saturday, Sunday or holiday, the safe day is the working day before it.
3. The appeal period the request suspends: the appeal's own result (``cnda.compute``
   without legal aid) is shown, with its last and safe days.
4. Notified on or after the reform date (``cnda.reform_2026``): whether a request still
   suspends a period that may now be that short (art. 67(7) ranges) is unknown, so the result is
   ``unverified``, the safe day is no later than the appeal's safe day, and the advice
   is to request legal aid at once without counting on the suspension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines import cnda, cnda_transition
from docassemble_asylum.deadlines.common import (
    DeadlineInputError,
    InputProblem,
    N_,
    _,
    optional_version,
    rule_version,
    today_warnings,
)
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date
from docassemble_asylum.rules.schema import Certainty

KIND = "cnda_legal_aid"


def check_inputs(inputs: cnda.CndaInputs) -> list[InputProblem]:
    """The appeal's checks of the notification; legal-aid dates have no place here."""
    problems = cnda.check_inputs(inputs)
    for name in ("legal_aid_requested", "legal_aid_decision_notified"):
        if getattr(inputs, name) is not None:
            problems.append(InputProblem(name, N_("not for the legal-aid request itself: it is what this computes.")))
    return problems


def compute(inputs: cnda.CndaInputs, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    """The legal-aid request deadline; ``DeadlineInputError`` (a ``UserError``) if the inputs are inconsistent."""
    problems = check_inputs(inputs)
    if problems:
        raise DeadlineInputError(problems, labels)
    field = next(name for name in cnda.NOTIFICATION_FIELDS if getattr(inputs, name) is not None)
    t, notified, notified_alt, online = cnda.read_notification(inputs, labels)

    version = t.cite(rule_version("cnda.legal_aid", notified, field, labels))
    days = int(version.value["request_days"])
    last = cal.days_after(notified, days)
    t.step(
        _(
            "Legal aid must be requested within {days} days of the notification — {article}: {start} + {days} days = {end} "
            "(not a délai franc)."
        ).format(days=days, article=version.caption, start=format_date(notified), end=format_date(last))
    )
    candidates = [_safe(t, last)]
    if online and notified_alt != notified:
        alternative = cal.days_after(notified_alt, days)
        online_rule = t.use(rule_version("cnda.online_notification", inputs.posted_online, field, labels))
        t.step(
            _("Read as posting + {alt} days (notification on {date}), the last day to request legal aid is {last}.").format(
                alt=online_rule.value["alternative_days"], date=format_date(notified_alt), last=format_date(alternative)
            )
        )
        candidates.append(_safe(t, alternative, write=False))

    appeal = cnda.compute(replace(inputs, today=None), labels)
    t.step(
        _(
            "The appeal period this request suspends: without legal aid, the appeal must be sent by {last} "
            "(safe day {safe})."
        ).format(last=format_date(appeal.last_day), safe=format_date(appeal.safe_day))
    )
    t.step(
        _(
            "A request made in time suspends the appeal period: the time that remained runs again from the notification "
            "of the legal-aid decision. A request after the last day has no effect on it."
        )
    )
    reform = optional_version("cnda.reform_2026", notified)
    if reform is not None:
        t.use(reform)
        candidates.append(appeal.safe_day)
        # The range depends on the kind of decision (art. 67(7) of the regulation, cnda.reform_2026).
        span = cnda_transition.regulation_range(inputs.procedure)
        t.step(
            _(
                "Notified on or after {reform} (reform of June 2026): the appeal period may now be {range}; to be safe, "
                "request legal aid and prepare the appeal by the appeal's safe day, {safe}."
            ).format(reform=format_date(reform.effective_from), range=span, safe=format_date(appeal.safe_day))
        )
        t.warn(
            _(
                "Decision notified on or after {reform}: whether a legal-aid request still suspends the appeal period, which "
                "may now be {range}, is not known (unverified). Request legal aid now, and do not rely on the "
                "suspension: aim to send the appeal by {safe}, the appeal's safe day."
            ).format(reform=format_date(reform.effective_from), range=span, safe=format_date(appeal.safe_day))
        )
        if not inputs.stated_period:
            # RULES.md §0: the period printed on the decision is the one that binds (R.421-5 CJA).
            t.warn(
                _(
                    "Read the “voies et délais de recours” section of the decision and enter the period printed there "
                    "({where}): that period applies. Until it is entered, aim for the safe day ({safe})."
                ).format(where=(labels or {}).get("stated_period", "--stated-period"), safe=format_date(appeal.safe_day))
            )
    safe = min(candidates)
    if safe != last:
        t.step(_("Safe day (the earliest reading): {date}.").format(date=format_date(safe)))
    office = t.cite(rule_version("legal_aid.office", notified, field, labels)).value
    t.warn(
        _(
            "Send the request so that it arrives by the last day: by fax to {fax} (the simplest; keep the transmission "
            "report), by registered post with acknowledgement of receipt, or in person: {address}. Not by e-mail."
        ).format(fax=office["fax"], address=", ".join([office["name"], office["office"], *office["lines"]]))
    )
    result = t.result(
        KIND,
        last,
        safe,
        inputs.today,
        notified=notified.isoformat(),
        procedure=inputs.procedure,
        reform="yes" if reform is not None else "no",
        appeal_last_day=appeal.last_day.isoformat(),
        appeal_safe_day=appeal.safe_day.isoformat(),
    )
    if reform is not None:
        result.certainty = Certainty.weakest(result.certainty, Certainty.unverified)
    today_warnings(
        result,
        late=_(
            "Today ({today}) is after the last day to request legal aid ({last}): a request now no longer suspends the "
            "appeal period. The appeal itself may still be in time: see the appeal's last day, and get legal advice at once."
        ),
    )
    return result


def _safe(t, last: dt.date, *, write: bool = True) -> dt.date:
    """The day to aim for: ``last`` itself, or the working day before it (the period is never extended)."""
    if cal.is_working_day(last):
        return last
    target = cal.roll_back(last)
    if write:
        t.step(
            _(
                "{day} is not a working day, and this period is not extended to the next one: aim for the working day "
                "before it, {target} (a fax can still be sent on the last day)."
            ).format(day=format_date(last), target=format_date(target))
        )
    return target
