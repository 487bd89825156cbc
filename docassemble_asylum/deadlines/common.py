"""What the deadline computations share: messages, rule look-ups, periods, steps, problems.

Messages are English ids translated through ``docassemble_asylum.i18n``; their French
lives in the ``deadlines`` catalog domain (``locale/deadlines.sources``), merged with the
others at run time.

Nothing here imports more than the standard library at module level except the rule
loader (pydantic) and the calendar: ``asylumdocs deadline`` must start fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import N_, format_date, translate
from docassemble_asylum.i18n import gettext as _
from docassemble_asylum.i18n import ngettext
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import Certainty, NoVersionInForce, RuleVersion


__all__ = [
    "N_",
    "DeadlineInputError",
    "InputProblem",
    "Period",
    "Trace",
    "_",
    "certainty_label",
    "describe_day",
    "ngettext",
    "parse_period",
    "rule_version",
]


# --- certainty -----------------------------------------------------------------------------

CERTAINTY_LABELS = {
    Certainty.verified: N_("verified (follows directly from a sourced rule)"),
    Certainty.inference: N_("inference (an application of sourced rules: check it)"),
    Certainty.uncertain: N_("uncertain (the rule itself is unsettled: aim for the safe day)"),
    Certainty.unverified: N_("unverified (not confirmed from an official text: check it)"),
}


def certainty_label(certainty: Certainty | str) -> str:
    return translate(CERTAINTY_LABELS[Certainty(certainty)])


# --- problems with the inputs --------------------------------------------------------------


@dataclass(frozen=True)
class InputProblem:
    """An inconsistency in the inputs of a computation, located at one input.

    ``field`` is the name of the input (a field of ``CndaInputs``, or ``registered`` /
    ``interview`` / ``procedure``); ``msgid`` an English message id (translated when
    shown). In ``ctx``, dates are ``dt.date`` (formatted when shown) and a string that is
    the name of an input is shown through the same labels as ``field``. Callers with their own models map
    ``field`` to their own location and can reuse ``msgid``/``ctx`` as they are.
    """

    field: str
    msgid: str
    ctx: Mapping[str, Any] = field(default_factory=dict)

    def message(self, labels: Mapping[str, str] | None = None) -> str:
        """The message alone; dates formatted, input names shown through ``labels``."""
        labels = labels or {}
        values = {}
        for key, value in self.ctx.items():
            if isinstance(value, dt.date):
                value = format_date(value)
            elif isinstance(value, str):
                value = labels.get(value, value)
            values[key] = value
        return _(self.msgid).format(**values)

    def render(self, labels: Mapping[str, str] | None = None) -> str:
        """``label: message`` in the user's language (labels: input name -> what the user typed).

        A message that already names its own input is shown without the prefix.
        """
        if self.field in self.ctx.values():
            return self.message(labels)
        label = (labels or {}).get(self.field, self.field)
        return _("{label}: {message}").format(label=label, message=self.message(labels))


class DeadlineInputError(UserError):
    """The inputs cannot give a deadline. A ``UserError``: one clean message, exit status 1.

    ``no_version``: set when the cause is a day before every version of a rule
    (``rule_version``), so that a procedure can name the answer holding that day by its
    question (procedures/base.py ``rules_gap``) instead of the engine's input name.
    """

    def __init__(self, problems: list[InputProblem], labels: Mapping[str, str] | None = None, no_version: NoVersionInForce | None = None):
        self.input_problems = list(problems)
        self.no_version = no_version
        rendered = [p.render(labels) for p in problems]
        if len(rendered) == 1:
            super().__init__(rendered[0])
        else:
            header = ngettext(
                "The dates have {count} problem:", "The dates have {count} problems:", len(rendered)
            ).format(count=len(rendered))
            super().__init__(header, rendered)


def future_problems(values: Mapping[str, dt.date | None], today: dt.date | None) -> list[InputProblem]:
    """Every past event given as a date after ``today``."""
    if today is None:
        return []
    return [
        InputProblem(name, N_("this date is after today ({date})."), {"date": today})
        for name, value in values.items()
        if value is not None and value > today
    ]


# --- rules ---------------------------------------------------------------------------------


HORIZON = dt.date(2100, 12, 31)
"""No deadline is computed from a date after this: rules checked today say nothing of then,
and month arithmetic near year 9999 would overflow."""


def rule_version(key: str, day: dt.date, input_field: str, labels: Mapping[str, str] | None = None) -> RuleVersion:
    """The version of rule ``key`` in force on ``day``; a user error for a day before every version."""
    if day > HORIZON:
        raise DeadlineInputError(
            [InputProblem(input_field, N_("this date is too far in the future to compute a deadline (after {date})."), {"date": HORIZON})],
            labels,
        )
    rule = rulebook()[key]
    try:
        return rule.at(day)
    except NoVersionInForce as exc:
        raise DeadlineInputError(
            [
                InputProblem(
                    input_field,
                    N_("the rules of this tool start on {date}: an earlier date cannot be computed."),
                    {"date": exc.first},
                )
            ],
            labels,
            no_version=exc,
        ) from None


def optional_version(key: str, day: dt.date) -> RuleVersion | None:
    """The version in force on ``day``, or None when ``day`` is before the rule took effect."""
    try:
        return rulebook()[key].at(day)
    except LookupError:
        return None


# --- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A legal period: whole months (de quantième à quantième), then days."""

    months: int = 0
    days: int = 0

    @classmethod
    def from_value(cls, value: Mapping[str, Any]) -> "Period":
        return cls(months=int(value.get("months", 0)), days=int(value.get("days", 0)))

    def __add__(self, other: "Period") -> "Period":
        return Period(self.months + other.months, self.days + other.days)

    def after(self, start: dt.date) -> dt.date:
        return cal.days_after(cal.add_months(start, self.months), self.days)

    def describe(self) -> str:
        parts = []
        if self.months:
            parts.append(ngettext("{n} month", "{n} months", self.months).format(n=self.months))
        if self.days or not parts:
            parts.append(ngettext("{n} day", "{n} days", self.days).format(n=self.days))
        return " + ".join(parts)


_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "a": 1, "an": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "dix": 10, "ten": 10, "quinze": 15, "fifteen": 15,
    "trente": 30, "thirty": 30,
}
_UNITS = {
    "day": "days", "days": "days", "jour": "days", "jours": "days", "j": "days", "d": "days",
    "week": "weeks", "weeks": "weeks", "semaine": "weeks", "semaines": "weeks",
    "month": "months", "months": "months", "mois": "months", "m": "months",
}
_PERIOD = re.compile(r"^\s*(?P<number>\d{1,3}|[a-z]+)\s*(?P<unit>[a-z]+)\.?(?:\s+(?:francs?|calendaires?|calendar|clear))?\s*$")


def parse_period(text: str) -> Period:
    """'1 month', '15 days', '1 mois', '15 jours', '2 weeks', 'un mois'… -> Period.

    Raises ValueError for anything else, and for a period of zero or more than 3 months.
    """
    match = _PERIOD.match((text or "").lower().replace("\u00a0", " "))
    if not match:
        raise ValueError(text)
    number, unit = match["number"], _UNITS.get(match["unit"])
    count = int(number) if number.isdigit() else _NUMBER_WORDS.get(number)
    if unit is None or count is None:
        raise ValueError(text)
    period = {"days": Period(days=count), "weeks": Period(days=7 * count), "months": Period(months=count)}[unit]
    if period.months + period.days == 0 or period.months > 3 or period.days > 92:
        raise ValueError(text)
    return period


# --- days ----------------------------------------------------------------------------------

_WEEKEND = {"saturday": N_("Saturday"), "sunday": N_("Sunday")}


def describe_day(day: dt.date) -> str:
    """Why ``day`` is not a working day ('samedi', 'jour férié (Fête nationale)'), or ''."""
    reason = cal.why_not_working(day)
    if reason is None:
        return ""
    if reason in _WEEKEND:
        return _(_WEEKEND[reason])
    return _("public holiday: {name}").format(name=reason)


@dataclass
class Trace:
    """Collects what a computation used: steps, sources, certainties, warnings."""

    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    certainties: list[Certainty] = field(default_factory=list)
    versions: list[RuleVersion] = field(default_factory=list)

    def step(self, text: str) -> None:
        self.steps.append(text)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def use(self, version: RuleVersion, *, certainty: bool = True) -> RuleVersion:
        """Cite ``version``; with ``certainty`` its certainty also bounds the result's."""
        if version not in self.versions:
            self.versions.append(version)
        if certainty:
            self.certainties.append(version.certainty)
        return version

    def cite(self, version: RuleVersion) -> RuleVersion:
        return self.use(version, certainty=False)

    def roll(self, day: dt.date, *, backwards: bool = False) -> dt.date:
        """Roll ``day`` to a working day (forwards, art. 642 CPC; or backwards), writing the step."""
        target = cal.roll_back(day) if backwards else cal.roll_forward(day)
        if target == day:
            self.step(_("{day} is a working day.").format(day=format_date(day)))
            return day
        step = -1 if backwards else 1
        reasons, current = [], day
        while current != target:
            reasons.append(describe_day(current))
            current += dt.timedelta(days=step)
        # "Saturday, then Sunday": the days passed over, in the order they are passed.
        said = _(", then ").join(reasons)
        if backwards:
            text = _("{day} is not a working day ({reasons}): the working day before it is {target}.")
        else:
            text = _("{day} is not a working day ({reasons}): the period is extended to the next working day, {target}.")
        self.step(text.format(day=format_date(day), reasons=said, target=format_date(target)))
        self.use(rulebook()["calendar.public_holidays"].at(day))
        return target

    def result(self, kind: str, last_day: dt.date, safe_day: dt.date, today: dt.date | None, **details: str) -> DeadlineResult:
        certainty = Certainty.weakest(Certainty.verified, *self.certainties)
        result = DeadlineResult(
            kind=kind,
            last_day=last_day,
            safe_day=safe_day,
            certainty=certainty,
            steps=list(self.steps),
            warnings=list(self.warnings),
            today=today,
            details={k: v for k, v in details.items() if v is not None},
        )
        seen: set[str] = set()
        for version in self.versions:
            # One line per address: the same code cited by two rules is listed once.
            fresh = [ref for ref in version.references if ref.url not in seen]
            seen.update(ref.url for ref in fresh)
            result.add_sources(fresh)
        return result


def today_warnings(result: DeadlineResult, late: str | None = None) -> None:
    """Add the warnings that depend on ``result.today`` (after the safe day, after the last day)."""
    today = result.today
    if today is None:
        return
    if result.passed:
        text = late or _("Today ({today}) is after the last day ({last}): the deadline has passed. Get legal advice at once (a lawyer, an association).")
        result.warnings.insert(0, text.format(today=format_date(today), last=format_date(result.last_day)))
    elif result.safe_day_passed:
        result.warnings.insert(
            0,
            _("Today ({today}) is after the safe day ({safe}): act today; the last day is {last}.").format(
                today=format_date(today), safe=format_date(result.safe_day), last=format_date(result.last_day)
            ),
        )


def join_dates(days: Iterable[dt.date]) -> str:
    return ", ".join(format_date(d) for d in days)
