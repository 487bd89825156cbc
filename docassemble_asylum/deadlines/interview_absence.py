"""When to tell Ofpra that the applicant cannot attend the interview, or will be late (RULES.md §4).

Python API::

    from docassemble_asylum.deadlines import interview_absence

    result = interview_absence.compute(interview=date(2026, 5, 11), today=None)
    # last_day 2026-05-11 (the interview's day, before its time); safe_day 2026-05-07
    # (the working day before: Friday 8 May is a holiday)

No text sets a period (rule ``absence.notice``): the letter must reach Ofpra before the
interview, as early as possible. ``last_day`` is the interview's day; ``safe_day`` the day
``days_before_aim`` before it, moved earlier to a working day (never later: the period
counts backwards).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.common import N_, DeadlineInputError, InputProblem, Trace, _, rule_version, today_warnings
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date

KIND = "interview_absence"


def compute(interview: dt.date, today: dt.date | None = None, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    if interview is None:
        raise DeadlineInputError([InputProblem("interview", N_("the date of the interview is missing."))], labels)
    t = Trace()
    version = t.use(rule_version("absence.notice", interview, "absence", labels))
    last = cal.days_before(interview, int(version.value["days_before_last"]))
    aim = cal.days_before(interview, int(version.value["days_before_aim"]))
    t.step(_("Interview at Ofpra: {date}.").format(date=format_date(interview)))
    t.step(
        _("No text sets a period: Ofpra must be told before the interview, as early as possible — {article}.").format(
            article=version.caption
        )
    )
    t.step(_("Aim for the working day before the interview ({date}), earlier if you can.").format(date=format_date(aim)))
    safe = t.roll(aim, backwards=True)
    result = t.result(KIND, last, safe, today, interview=interview.isoformat())
    today_warnings(
        result,
        late=_(
            "Today ({today}) is after the day of the interview ({last}). Send the letter at once anyway, with the "
            "documents that justify the absence."
        ),
    )
    return result
