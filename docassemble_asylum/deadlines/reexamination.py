"""The last day to lodge a re-examination request with Ofpra (RULES.md §0 and §3).

Python API::

    from docassemble_asylum.deadlines import reexamination

    result = reexamination.compute(registered=date(2026, 4, 3), today=None)
    # last_day 2026-04-11 (registration + 8 days), safe_day 2026-04-10 (a Friday)
    reexamination.check_inputs(registered, today)   # [InputProblem], never raises

``last_day`` = registration at the prefecture + the period of
``reexamination.filing_period`` (8 days; the day of registration does not count, CPC art.
641; certainty ``inference``). Whether a last day on a Saturday, Sunday or holiday is
extended is uncertain, so it is not extended: ``safe_day`` is the last day itself or the
previous working day (the request is posted, the postmark counts), and the result's
certainty is then ``uncertain``. From 12 June 2026 the
rule's version is ``unverified`` and the result says to check the convocation and the
prefecture's instructions. A registration after ``today`` is accepted (a planned
convocation), with a warning: the dates hold only if the registration happens that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.common import N_, DeadlineInputError, InputProblem, Trace, _, rule_version, today_warnings
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date
from docassemble_asylum.rules.schema import Certainty

KIND = "reexamination"


def check_inputs(registered: dt.date | None, today: dt.date | None = None) -> list[InputProblem]:
    """Problems with the inputs (only a missing registration date: a planned one is fine)."""
    if registered is None:
        return [InputProblem("registered", N_("the date of the registration at the prefecture is missing."))]
    return []


def compute(registered: dt.date, today: dt.date | None = None, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    problems = check_inputs(registered, today)
    if problems:
        raise DeadlineInputError(problems, labels)
    t = Trace()
    version = t.use(rule_version("reexamination.filing_period", registered, "registered", labels))
    days = int(version.value["days"])
    last = cal.days_after(registered, days)
    t.step(_("New registration at the prefecture: {date}.").format(date=format_date(registered)))
    t.step(
        _("{start} + {days} days = {end} (the day of registration does not count) — {article}.").format(
            start=format_date(registered), days=days, end=format_date(last), article=version.caption
        )
    )
    if cal.is_working_day(last):
        t.step(_("{day} is a working day.").format(day=format_date(last)))
        safe = last
    else:
        t.step(
            _(
                "Whether a period ending on a Saturday, Sunday or holiday is extended is uncertain here: the last day "
                "is not moved, and the request should be posted on the last working day before it."
            )
        )
        safe = t.roll(last, backwards=True)
        t.certainties.append(Certainty.uncertain)  # RULES.md §3: the extension is UNCERTAIN, so is this last day
    if version.certainty is Certainty.unverified:
        t.warn(
            _(
                "Registered on or after {date}: the French rule after the reform of June 2026 (EU “subsequent "
                "application”) was not found, so the 8-day computation is unverified. Check the convocation and the "
                "prefecture's instructions."
            ).format(date=format_date(version.effective_from))
        )
    address = t.cite(rule_version("reexamination.ofpra_address", registered, "registered", labels)).value
    t.warn(
        _(
            "Send the request by registered post (the postmark counts) to {address}. At a “pôle France asile”, the "
            "request is lodged with the Ofpra agent on the day of registration or on the date in the convocation."
        ).format(address=", ".join([address["name"], *address["lines"]]))
    )
    if today is not None and registered > today:
        t.warn(
            _(
                "The registration ({date}) is after today ({today}): these dates assume it takes place that day, and "
                "the request cannot be lodged before it. Compute again if the date changes."
            ).format(date=format_date(registered), today=format_date(today))
        )
    result = t.result(KIND, last, safe, today, registered=registered.isoformat())
    today_warnings(result)
    return result
