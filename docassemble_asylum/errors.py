"""User errors versus bugs, and pydantic's English errors turned into the user's language.

Like copier: a ``UserError`` is the user's to fix (one clear message, exit status 1, no
traceback); anything else is a bug and keeps its traceback. Messages name the question
(its label, and the section of the guided interview that asks it), never the value the
user typed, so that an error that ends up in a log or a bug report carries no personal
data. The field path appears only in machine outputs (``field`` of ``check --json``, a
batch's ``report.csv``): ``detail_with_path``.

An answer the procedure does not know (``extra_forbidden``) is the one case where the
path itself comes from the user: a misplaced line ``Haddad: …`` makes a person's name a
key. Its message names the group it is in (by label and path, the tool's words) and says
"an answer that this procedure does not know"; the key itself appears only in the
machine output (``field`` of ``check --json``), with its control characters escaped and
its length capped (``printable``), for the lawyer who edits the file.

A ``UserError`` from validation also carries ``details``: one dict per problem with the
field path, the question's label and the message, for ``check --json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from docassemble_asylum.i18n import N_, format_date, gettext, translate

EXIT_USER_ERROR = 1
EXIT_DEADLINE_PASSED = 3


# Bidirectional overrides and isolates: they reorder what follows them on a terminal line.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str, limit: int = 300) -> str:
    """``text`` (a path, a case id…) safe to print on a terminal: control characters
    (escape sequences, bells, carriage returns) and bidirectional controls written as
    ``\\x1b`` / ``\\u202e``, and at most ``limit`` characters (then "…")."""
    import unicodedata

    out = []
    for character in text:
        code = ord(character)
        if unicodedata.category(character) == "Cc":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif character in _BIDI_CONTROLS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(character)
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class UserError(Exception):
    """A problem the user can fix. ``problems`` are already in the user's language."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str, problems: Sequence[str] = (), details: Sequence[dict] = ()):
        self.message = message
        self.problems = list(problems)
        # {"field": path, "question": label, "message": ...} per problem, when known.
        self.details = list(details)
        super().__init__(self.render())

    def render(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


# Pydantic error type -> message id (translated when shown). Placeholders come from ctx.
_MESSAGES = {
    "missing": N_("this answer is required."),
    "extra_forbidden": N_("this answer is not expected here (check its spelling, or remove it)."),
    "date_parsing": N_("not a valid date: write it as YYYY-MM-DD, for example 2026-03-02."),
    "date_from_datetime_parsing": N_("not a valid date: write it as YYYY-MM-DD, for example 2026-03-02."),
    "date_from_datetime_inexact": N_("not a valid date: write it as YYYY-MM-DD, for example 2026-03-02."),
    "date_type": N_("not a valid date: write it as YYYY-MM-DD, for example 2026-03-02."),
    # Written YYYY-MM-DD, but no such day (2026-02-30, 2026-13-01): models/common.py iso_date.
    "date_not_in_calendar": N_("not a valid date: this day does not exist in the calendar (check the day and the month)."),
    # A date of birth (models/common.py birth_date): the year alone is accepted too.
    "birth_date_parsing": N_("not a valid date: write it as YYYY-MM-DD, for example 1990-03-02, or the year alone (1990) when only the year is known."),
    "date_future": N_("this date is in the future."),
    "date_past": N_("this date is in the past."),
    "string_type": N_("text is expected here."),
    "string_too_short": N_("this answer cannot be empty."),
    "file_number": N_("an Ofpra file number is written with digits (for example 25-04-12345): copy it from a letter of Ofpra."),
    "string_too_long": N_("this answer is too long (at most {max_length} characters)."),
    "string_pattern_mismatch": N_("this answer does not have the expected form."),
    "bool_type": N_("answer yes or no (true or false)."),
    "bool_parsing": N_("answer yes or no (true or false)."),
    "int_type": N_("a whole number is expected here."),
    "int_parsing": N_("a whole number is expected here."),
    "int_from_float": N_("a whole number is expected here."),
    "greater_than_equal": N_("the number must be at least {ge}."),
    "less_than_equal": N_("the number must be at most {le}."),
    "enum": N_("choose one of: {expected}."),
    "literal_error": N_("choose one of: {expected}."),
    "list_type": N_("a list of answers is expected here."),
    "too_short": N_("too few items: at least {min_length} are needed."),
    "too_long": N_("at most {max_length} items are allowed."),
    "dict_type": N_("a group of answers is expected here."),
    "model_type": N_("a group of answers is expected here."),
    "model_attributes_type": N_("a group of answers is expected here."),
    "union_tag_invalid": N_("choose one of: {expected_tags}."),
    "union_tag_not_found": N_("this group needs its '{discriminator}' answer."),
}


# pydantic's reason (in its ctx) when a well-formed date names no real day or month.
_OUT_OF_RANGE = "value is outside expected range"


def _format_ctx_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return format_date(value)
    return value


def translate_error(error: dict) -> str:
    """One pydantic error dict -> a sentence in the current language."""
    kind = error["type"]
    ctx = {k: _format_ctx_value(v) for k, v in (error.get("ctx") or {}).items()}
    if kind in ("date_parsing", "date_from_datetime_parsing") and _OUT_OF_RANGE in str(ctx.get("error", "")):
        kind = "date_not_in_calendar"  # pydantic's own date type: "day value is outside expected range"
    if "other_path" in ctx:
        # A message shown to a person names the other question and where it is, never its path.
        ctx["other_path"] = where_asked(str(ctx["other_path"]))
    if kind in _MESSAGES:
        template = translate(_MESSAGES[kind])
    elif kind.startswith("asylum"):
        # Our own rule errors: the message template is itself a message id.
        msgid = (error.get("ctx") or {}).get("msgid")
        template = translate(msgid) if msgid else error["msg"]
    else:
        template = error["msg"]
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def where_asked(path: str, model: type | None = None) -> str:
    """Where the question that fills ``path`` ("decision.date", "members.0.date_of_birth") is
    asked, in words: "in the section “Decision”"."""
    section = section_of(path, model)
    if section is None:
        return translate(N_("an earlier answer"))
    return translate(N_("in the section “{section}”")).format(section=section)


def section_of(path: str, model: type | None = None) -> str | None:
    """The title, in the user's language, of the section of the guided interview that asks
    the question filling ``path`` (or, for a group such as "applicant", its first question):
    in the question set of the procedure whose answers ``model`` describes when there is one,
    else in the first question set that asks it. None when no question set asks it."""
    import re

    if not path:
        return None
    try:
        from docassemble_asylum.questions import gettext as question_text
        from docassemble_asylum.questions import loader

        procedures = list(loader.question_set_paths())
        if model is not None:
            from docassemble_asylum.procedures import available, get

            own = [name for name in available() if name in procedures and get(name).model is model]
            procedures = own + [name for name in procedures if name not in own]
        wanted = path.split(".")
        for inside in (False, True):  # the question itself first, then a question inside the group
            for procedure in procedures:
                interview = loader.load(procedure)
                titles = {section.id: section.title for section in interview.sections}
                for question in interview.questions():
                    parts = re.sub(r"\[[a-z]\]", ".#", question.field).split(".")
                    if len(parts) < len(wanted) or (len(parts) > len(wanted)) != inside:
                        continue
                    if all(p == w or (p == "#" and w.isdigit()) for p, w in zip(parts, wanted)):
                        return question_text(titles[question.section])
    except Exception:  # noqa: BLE001 - a message must be shown even if a question set cannot be read
        pass
    return None


def field_label(model: type | None, loc: Sequence[Any]) -> tuple[str, str]:
    """(label in the user's language, dotted path) for a location inside ``model``.

    A discriminated union (a lawyer OR an association) puts its tag in the location
    ("companion.lawyer.email"): the tag selects the member model and is not a label.
    """
    path = ".".join(str(part) for part in loc)
    labels: list[str] = []
    candidates: list[type] = [model] if model is not None else []
    for part in loc:
        if isinstance(part, int):
            if labels:
                # "Family members no. 1" in English, "n° 1" in French (review F-35).
                labels[-1] = gettext("{label} no. {number}").format(label=labels[-1], number=part + 1)
            continue
        if len(candidates) > 1:
            tagged = [m for m in candidates if _has_tag(m, part)]
            if tagged:
                candidates = tagged[:1]
                continue
        owner = next((m for m in candidates if part in getattr(m, "model_fields", {})), None)
        if owner is None:
            candidates = []
            labels.append(str(part))
            continue
        info = owner.model_fields[part]
        labels.append(translate(info.title) if info.title else str(part))
        candidates = _inner_models(info.annotation)
    return " › ".join(labels), path


def _has_tag(model: type, tag: str) -> bool:
    from typing import Literal, get_args, get_origin

    for info in getattr(model, "model_fields", {}).values():
        if get_origin(info.annotation) is Literal and tag in get_args(info.annotation):
            return True
    return False


def _inner_models(annotation: Any) -> list[type]:
    from typing import get_args

    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return [annotation]
    found: list[type] = []
    for arg in get_args(annotation):
        found.extend(m for m in _inner_models(arg) if m not in found)
    return found


def validation_problems(model: type, exc) -> list[str]:
    """Every problem of a pydantic ValidationError, as "« label » (section « S »): message"."""
    return [detail_text(detail, model) for detail in validation_details(model, exc)]


def validation_details(model: type, exc) -> list[dict]:
    """Every problem of a pydantic ValidationError: {"field", "question", "message", "path"}.

    ``field`` is the whole path (for machines); ``path`` and ``question`` what a message
    shows: for an unknown answer, those of the group it is in (module docstring).
    """
    details = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        if error["type"] == "extra_forbidden" and loc:
            field = printable(".".join(str(part) for part in loc), 200)
            label, path = field_label(model, loc[:-1])
            message = translate(_UNKNOWN_ANSWER if path else _UNKNOWN_TOP_ANSWER)
            details.append({"field": field, "question": label or None, "message": message, "path": path})
            continue
        label, path = field_label(model, loc)
        details.append({"field": path, "question": label, "message": translate_error(error), "path": path})
    return details


def detail_text(detail: dict, model: type | None = None) -> str:
    """One problem as the terminal shows it: "“label” (section “Decision”): message", the
    question by its label and the section of the guided interview that asks it (so that a
    lawyer editing the file finds it too), never the field path; the message alone when
    it belongs to no question. ``model``: the procedure's answers model, whose question set
    gives the section."""
    if not detail.get("question"):
        return detail["message"]
    section = section_of(detail.get("path") or "", model)
    if section is None:
        return gettext("“{label}”: {message}").format(label=detail["question"], message=detail["message"])
    return gettext("“{label}” (section “{section}”): {message}").format(
        label=detail["question"], section=section, message=detail["message"]
    )


def detail_with_path(detail: dict) -> str:
    """One problem for a machine output a lawyer reads beside the answers file (a batch's
    ``report.csv`` and ``summary.txt``): "“label” (path): message"."""
    if detail.get("path"):
        return gettext("“{label}” ({path}): {message}").format(label=detail["question"], path=detail["path"], message=detail["message"])
    return detail["message"]


def detail_on_screen(detail: dict) -> str:
    """One problem as a screen of the web interview shows it: "« label » : message".

    Never the field path: the person on the web never sees an answers file, and the screen
    puts a change button beside each answer."""
    if detail.get("question"):
        return gettext("“{label}”: {message}").format(label=detail["question"], message=detail["message"])
    return detail["message"]


_UNKNOWN_ANSWER = N_("this group holds an answer that this procedure does not know (check the spelling of its name, or remove it).")
_UNKNOWN_TOP_ANSWER = N_("the answers hold an answer that this procedure does not know (check the spelling of its name, or remove it).")


def rule_error(msgid: str, **ctx: Any):
    """A validation error raised by a model validator, translated when shown.

    Use ``raise rule_error(N_("... {date} ..."), date=...)`` inside validators.
    """
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("asylum_rule", msgid, {"msgid": msgid, **ctx})
