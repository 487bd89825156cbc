"""Verdicts said during the guided interview, as soon as their facts are in.

A question set declares a checkpoint (``checkpoints:`` in ``interviews/<procedure>.yml``,
run by ``questions/checkpoints.py``); the function it names lives in the procedure's
module and computes the verdict with the procedure's own rules (its deadline or
eligibility functions), from the answers given so far: never a copy of a rule. The
function is called as ``f(answers, today, final=..., item=...)``: ``answers`` the answers
file so far (a dict), ``final`` True when no later answer can change the verdict (else
the wording says "looks"), ``item`` for an ``after_item`` checkpoint the item's place in
the group, whose list in ``answers`` holds only the items already answered in full (an
item being answered does not count yet). It returns a ``Verdict``, or None while the answers do not make one yet.

This module holds what those functions share: the verdict itself, reading a part of the
answers through its model, and the words of a deadline verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date, gettext, ngettext

CLOSE_DAYS = 7
"""A last day within a week of today is said at once as bad news ("act now"): a product
choice, not law, so that a volunteer does not go on with the questions unaware."""


@dataclass(frozen=True)
class Verdict:
    """An early verdict, in the user's language.

    ``bad``: bad news (a passed or close day, an ineligible member), said at once; good
    news is said when it replaces bad news said before, or when the checkpoint always
    speaks (a family member's eligibility). ``settled``: the answers still to come cannot
    change it (e.g. a notice late whatever the procedure), so it is not provisional.
    ``about``: what it is about, when the checkpoint's label is not enough (a member's name).
    ``always``: said even when it is good news (a family member's eligibility, right after
    that member's questions).
    """

    text: str
    details: tuple[str, ...] = ()
    bad: bool = True
    settled: bool = False
    about: str = ""
    always: bool = False


def part(model: type[BaseModel], data: Any) -> Any:
    """``data`` (a part of the answers so far) read through ``model``; None while it is not complete."""
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def deadline_verdict(result: DeadlineResult, final: bool) -> Verdict:
    """A deadline said early: passed, the safe day passed, close, or only the day.

    Not final: "looks passed", "looks to be", so that a later answer (a legal-aid request
    in time, the first reading online) can change it without having said "too late".
    """
    today = result.today
    last, safe = format_date(result.last_day), format_date(result.safe_day)
    if today is None:
        return Verdict(gettext("the last day is {date}.").format(date=last) if final else
                       gettext("the last day looks to be {date}.").format(date=last), bad=False)
    if today > result.last_day:
        if final:
            return Verdict(gettext("the last day ({date}) has passed. Get legal advice at once (a lawyer, an association).").format(date=last))
        return Verdict(gettext("the last day ({date}) looks passed.").format(date=last))
    if today > result.safe_day:
        if final:
            return Verdict(gettext("the safe day ({safe}) has passed; the last day is {date}: act today.").format(safe=safe, date=last))
        return Verdict(gettext("the safe day ({safe}) looks passed; the last day looks to be {date}: act today.").format(safe=safe, date=last))
    left = (result.last_day - today).days
    if left == 0:
        if final:
            return Verdict(gettext("the last day is today ({date}): act now.").format(date=last))
        return Verdict(gettext("the last day looks to be today ({date}): act now.").format(date=last))
    if left <= CLOSE_DAYS:
        if final:
            return Verdict(
                ngettext("the last day is {date}: {days} day left, act now.", "the last day is {date}: {days} days left, act now.", left).format(
                    date=last, days=left
                )
            )
        return Verdict(
            ngettext(
                "the last day looks to be {date}: {days} day left, act now.",
                "the last day looks to be {date}: {days} days left, act now.",
                left,
            ).format(date=last, days=left)
        )
    if result.safe_day != result.last_day:  # the earlier reading comes first, as on the summary sheet
        if final:
            return Verdict(gettext("the safe day (aim for this one) is {safe}; the last day is {date}.").format(safe=safe, date=last), bad=False)
        return Verdict(
            gettext("the safe day (aim for this one) looks to be {safe}; the last day looks to be {date}.").format(safe=safe, date=last), bad=False
        )
    if final:
        return Verdict(gettext("the last day is {date}.").format(date=last), bad=False)
    return Verdict(gettext("the last day looks to be {date}.").format(date=last), bad=False)
