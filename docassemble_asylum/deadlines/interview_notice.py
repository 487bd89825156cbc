"""The latest day to tell Ofpra that a lawyer or an association will attend the interview (RULES.md §4).

Python API::

    from docassemble_asylum.deadlines import interview_notice

    result = interview_notice.compute(interview=date(2026, 5, 21), procedure="accelerated", today=None)
    # last_day 2026-05-17 (interview - 4 calendar days, a Sunday), safe_day 2026-05-15
    interview_notice.check_inputs(interview, procedure)   # [InputProblem], never raises

``last_day`` = interview − the number of days of ``interview.notice_period`` for the
procedure (7 normal, 4 accelerated), in calendar days. The period counts backwards, so a
last day on a Saturday, Sunday or holiday is never extended: ``safe_day`` moves to the
previous working day. Ofpra asks for the notice "dans la mesure du possible": a late
notice does not forbid the accompaniment, which the result says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.common import (
    N_,
    DeadlineInputError,
    InputProblem,
    Trace,
    _,
    rule_version,
    today_warnings,
)
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date

KIND = "interview_notice"
PROCEDURES = ("normal", "accelerated")
PROCEDURE_LABELS = {"normal": N_("normal procedure"), "accelerated": N_("accelerated procedure")}


def check_inputs(interview: dt.date | None, procedure: str = "normal") -> list[InputProblem]:
    problems = []
    if interview is None:
        problems.append(InputProblem("interview", N_("the date of the interview is missing.")))
    if procedure not in PROCEDURES:
        problems.append(InputProblem("procedure", N_("choose one of: {choices}."), {"choices": ", ".join(PROCEDURES)}))
    return problems


def compute(
    interview: dt.date,
    procedure: str = "normal",
    today: dt.date | None = None,
    labels: Mapping[str, str] | None = None,
) -> DeadlineResult:
    problems = check_inputs(interview, procedure)
    if problems:
        raise DeadlineInputError(problems, labels)
    t = Trace()
    version = t.use(rule_version("interview.notice_period", interview, "interview", labels))
    days = int(version.value["days_before"][procedure])
    last = cal.days_before(interview, days)
    t.step(
        _("Interview at Ofpra: {date} ({procedure}).").format(date=format_date(interview), procedure=_(PROCEDURE_LABELS[procedure]))
    )
    t.step(
        _("{start} − {days} days = {end}: Ofpra asks to be told at least {days} days before — {article}.").format(
            start=format_date(interview), days=days, end=format_date(last), article=version.caption
        )
    )
    t.step(_("The period counts backwards: a day that is not a working day moves earlier, never later."))
    safe = t.roll(last, backwards=True)
    t.warn(
        _(
            "Ofpra asks for this notice “as far as possible”: a late notice does not forbid the accompaniment, but no "
            "postponement is granted at the companion's request. Send it by e-mail to the address on the convocation."
        )
    )
    t.warn(_("In detention or at the border this notice may not apply (uncertain since 2019)."))
    result = t.result(KIND, last, safe, today, interview=interview.isoformat(), procedure=procedure)
    today_warnings(
        result,
        late=_(
            "Today ({today}) is after the last day to give notice ({last}). Send the notice anyway, at once: a late "
            "notice does not forbid the accompaniment."
        ),
    )
    return result
