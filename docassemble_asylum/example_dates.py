"""The bundled example answers as of any day: what ``asylumdocs example PROCEDURE`` prints.

Each file in ``examples/`` tells a fictional case as of its reference day (``STORIES``):
on that day its deadlines are ahead, its children are minors, its interview is to come.
Printed as of another day, the case must tell the same story, or a new user's first
build would say that the deadline has passed. So every date of the case — the YAML dates
(``"2026-03-02"``) and the dates written in its texts (``le 5 mars 2024``) — moves by the
same number of days: the gaps between events, and so the ages and the periods, stay.

Moving by whole days can still change the outcome: a last day that lands on a Sunday or
a public holiday becomes uncertain, an interview falls on a Saturday, a reform starts to
apply. So the story is moved to end on the requested day, else one day earlier, two days
earlier… and the first version is kept whose outcome is the stored example's on its
reference day (``outcome``, computed by the procedure itself: the certainty of each
deadline, nothing passed, whether the last day is a working day, each family member's
verdict) and whose key dates (``Story.working_days``: a decision, an interview, a
registration) are working days. The tests check that one is found for every day of a
year, weekends and holidays included.

The reference days are chosen so that the stories stay in one legal regime from now on:
the re-examination example is told after the reform of June 2026, and the CNDA example
states the period printed on the decision, which is used before and after that reform.

On its reference day an example is printed as stored, byte for byte. Tests that pin an
example's dates and texts load it as of a fixed day (``asylumdocs example P --today D``,
``Procedure.example_text(D)``): the same day always gives the same text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

# How many days before the requested day the story may end, at most.
MAX_LAG = 21
# The days an example can be asked for: the stories are told from 2026 (their earliest
# events need rules that start in 2021) and their deadlines must stay within the rules'
# horizon (deadlines.common.HORIZON, 2100).
FIRST_DAY = dt.date(2026, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)

# The outcome of a case: these keys of the procedure's ``report`` (``check --json``),
# wherever they appear. Dates, steps and texts are left out: they move with the story.
OUTCOME_KEYS = frozenset(
    {
        "kind",
        "certainty",
        "passed",
        "safe_day_passed",
        "late",
        "verdict",
        "relationship",
        "deadline_close",
        "assessed_at_visa_application",
        "france_asile",
    }
)


@dataclass(frozen=True)
class Story:
    reference_day: dt.date
    # Dotted paths of dates that are working days in real life ("*" for each item of a list).
    working_days: tuple[str, ...] = ()


STORIES: dict[str, Story] = {
    "cnda-appeal": Story(dt.date(2026, 4, 28), ("decision.date", "decision.notification.received_on")),
    # Told after the reform of June 2026: from then on the request's deadline is unverified.
    "cnda-legal-aid": Story(dt.date(2026, 12, 4), ("decision.date", "decision.notification.received_on")),
    "reexamination": Story(dt.date(2026, 12, 4), ("registration.date",)),
    "interview-notice": Story(dt.date(2026, 3, 6), ("interview.date",)),
    "interview-absence": Story(dt.date(2026, 4, 8), ("interview.date",)),
    "reunification": Story(dt.date(2026, 11, 23), ("protected_person.protection_granted_on", "members.*.visa_application_date")),
    "visa-appeal": Story(dt.date(2026, 12, 4), ("refusal.date", "refusal.notified_on", "members.*.visa_application_date")),
    "bureau-letter": Story(dt.date(2026, 12, 4), ("members.*.visa_application_date", "ofpra_informed_on")),
    "visa-tribunal": Story(dt.date(2026, 12, 4), ("refusal.date", "commission.appeal_sent_on", "commission.received_on")),
}

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_FRENCH_DATE = re.compile(r"\b(1er|[1-9]|[12]\d|3[01]) (" + "|".join(FRENCH_MONTHS) + r") (\d{4})\b")


def reference_day(procedure: str) -> dt.date:
    """The day the stored example is told as of (its dates are those of that day)."""
    return STORIES[procedure].reference_day


def stored_text(procedure: str) -> str:
    from docassemble_asylum.resources import example_file

    return example_file(procedure).read_text(encoding="utf-8")


def example_text(procedure: str, today: dt.date) -> str:
    """The example of ``procedure`` as of ``today``: a case that builds that day, with the same story.

    A day outside FIRST_DAY..LAST_DAY is a user error (``--today`` names it).
    """
    if not FIRST_DAY <= today <= LAST_DAY:
        from docassemble_asylum.errors import UserError
        from docassemble_asylum.i18n import format_date, gettext

        raise UserError(
            gettext("--today: an example can be given for a day from {first} to {last}.").format(
                first=format_date(FIRST_DAY), last=format_date(LAST_DAY)
            )
        )
    found = find_lag(procedure, today)
    return shift_text(stored_text(procedure), (today - reference_day(procedure)).days - (found or 0))


def find_lag(procedure: str, today: dt.date) -> int | None:
    """How many days before ``today`` the moved story ends (0: on ``today``); None if no day fits.

    None happens before a reform the story was written after (the re-examination example
    is told after the reform of June 2026: before it, its deadline was an inference from
    sourced rules, not unverified); the example is then moved to end on ``today`` all the
    same.
    """
    story = STORIES[procedure]
    if today == story.reference_day:
        return 0
    text, wanted = _reference(procedure)
    shift = (today - story.reference_day).days
    for lag in range(MAX_LAG + 1):
        answers = _load(shift_text(text, shift - lag))
        try:
            if not all(_is_working_day(day) for day in _dates_at(answers, story.working_days)):
                continue
            if outcome(procedure, answers, today) == wanted:
                return lag
        except LookupError:  # a date before the rules (the public holidays of its year)
            continue
    return None


@functools.cache
def _reference(procedure: str) -> tuple[str, tuple | None]:
    """(the stored example, its outcome on its reference day)."""
    text = stored_text(procedure)
    return text, outcome(procedure, _load(text), reference_day(procedure))


def outcome(procedure: str, raw: dict, today: dt.date) -> tuple | None:
    """The story's outcome as of ``today`` (see ``OUTCOME_KEYS``); None if the answers do not validate."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.procedures import get

    spec = get(procedure)
    try:
        answers = spec.validate(raw, today)
    except UserError:
        return None
    report = spec.report(answers, today) if spec.report else {}
    return tuple(_outcome_items(report, ()))


def _outcome_items(value: Any, path: tuple):
    if isinstance(value, dict):
        if "last_day" in value and "safe_day" in value:
            # The shape of the reasoning: a last day on a weekend or a holiday adds steps
            # (moved, or "whether it is extended is uncertain") even where the certainty
            # does not change (already unverified).
            last, safe = dt.date.fromisoformat(value["last_day"]), dt.date.fromisoformat(value["safe_day"])
            yield (*path, "last_day is a working day"), _is_working_day(last)
            yield (*path, "safe_day is last_day"), safe == last
        for key in sorted(value):
            if key in OUTCOME_KEYS:
                yield (*path, key), value[key]
            else:
                yield from _outcome_items(value[key], (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _outcome_items(item, (*path, index))


def shift_text(text: str, days: int) -> str:
    """``text`` with every ISO date and every French long date ("1er mars 2026") moved by ``days``."""
    if days == 0:
        return text
    step = dt.timedelta(days=days)

    def iso(match: re.Match) -> str:
        return (dt.date(*(int(part) for part in match.groups())) + step).isoformat()

    def french(match: re.Match) -> str:
        from docassemble_asylum.i18n import format_date_fr

        day = 1 if match[1] == "1er" else int(match[1])
        return format_date_fr(dt.date(int(match[3]), FRENCH_MONTHS.index(match[2]) + 1, day) + step)

    return _FRENCH_DATE.sub(french, _ISO_DATE.sub(iso, text))


def _load(text: str) -> dict:
    from docassemble_asylum import yamlio

    return yamlio.loads(text)


def _dates_at(data: Any, paths: tuple[str, ...]):
    for path in paths:
        yield from _walk(data, path.split("."))


def _walk(data: Any, parts: list[str]):
    if not parts:
        if data is not None:
            yield data if isinstance(data, dt.date) else dt.date.fromisoformat(str(data))
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for item in data if isinstance(data, list) else []:
            yield from _walk(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest)


def _is_working_day(day: dt.date) -> bool:
    from docassemble_asylum.french_calendar import is_working_day

    return is_working_day(day)
