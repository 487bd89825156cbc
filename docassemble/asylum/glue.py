# pre-load
"""The thin layer between a docassemble interview and the asylumdocs core.

The generated interviews (``data/questions/<procedure>.yml``) import this module
(``modules: [docassemble.asylum.glue]``) and call only the ``asylum_*`` functions below.
Everything of substance happens in the core, exactly as for the command line:

- answers are collected into the same nested dict as an answers file, with the same
  conventions as the terminal interview (``questions/state.py``): an optional question left
  empty stores the model's default, a group answered "no" stores an empty list;
- conditions (``when:``) are evaluated by the core's own evaluator, not translated;
- one answer is checked by its model field's pydantic type, the whole case by
  ``Procedure.validate`` (types, then the procedure's consistency rules), with the same
  translated messages as the command line;
- deadlines and verdicts come from the procedure's ``report()`` and ``report_lines()``;
- a procedure that can start from another's answers (``Procedure.reuses``) offers, on its
  first screen, the logged-in user's finished sessions of that interview; the chosen one's
  answers go through ``Procedure.answers_from`` (the mapping of ``build --from``) and set the
  variables their questions would have set, so they are not asked again;
- each attachment gets the context the CLI renders, from the procedure's declaration of
  its outputs (``docassemble_asylum/procedures/outputs.py``): a DOCX gets every value
  wrapped in ``raw()`` so that docassemble hands lists and dicts to the template as they
  are; a PDF form gets the values the CLI fills it with.

The ``# pre-load`` line above makes a server import this module at start-up, so the
core's Jinja filters are registered before any template is assembled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docassemble.base.util import (
    get_language,
    raw,
    register_jinja_filter,
    validation_error,
)


__all__ = [
    "asylum_check",
    "asylum_check_answer",
    "asylum_copy",
    "asylum_default",
    "asylum_derive",
    "asylum_document_applies",
    "asylum_document_context",
    "asylum_document_title",
    "asylum_early",
    "asylum_emails",
    "asylum_escape",
    "asylum_language",
    "asylum_present",
    "asylum_put",
    "asylum_related_choices",
    "asylum_related_sessions",
    "asylum_report",
    "asylum_shown",
    "asylum_start_from",
    "asylum_suggest",
    "asylum_today",
    "asylum_when",
    "asylum_year",
]

TIMEZONE = "Europe/Paris"


# ------------------------------------------------------------------ language and values


def asylum_language() -> str:
    """The core's language for the interview's current language (French unless English)."""
    return "en" if str(get_language() or "").lower().startswith("en") else "fr"


def _language():
    from docassemble_asylum.i18n import language

    return language(asylum_language())


def asylum_today() -> dt.date:
    """Today in France: the day deadlines are counted from."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def plain(value: Any) -> Any:
    """A docassemble value as an answers file holds it (dates as YYYY-MM-DD, lists as lists)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    uploaded = _uploaded_name(value)
    if uploaded is not None:
        return uploaded
    if isinstance(value, dt.datetime):  # DADateTime too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    elements = getattr(value, "elements", None)
    if isinstance(elements, list):  # DAList
        return [plain(item) for item in elements]
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return str(value)


def _uploaded_name(value: Any) -> str | None:
    """An upload (a ``file`` question: docassemble's DAFileList of one DAFile, or a DAFile): the
    name of the file, as the letter lists it. The file itself stays in docassemble's storage."""
    elements = getattr(value, "elements", None)
    if isinstance(elements, list) and len(elements) == 1:
        value = elements[0]
    filename = getattr(value, "filename", None)
    if isinstance(filename, str) and hasattr(value, "number"):
        return filename
    return None


def _procedure(name: str):
    from docassemble_asylum.procedures import get

    return get(name)


def _ref(procedure: str, template: str):
    from docassemble_asylum.questions.fields import field_ref

    return field_ref(_procedure(procedure).model, template)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What a real docassemble server stores for an optional radio left unselected: the browser
# posts nothing, the form's ``_empties`` list makes the server post the text "None"
# (docassemble/webapp/interview/views.py), and a plain radio keeps that text. docassemble's
# offline parser gives None; no choice of ours has the value "None".
_SERVER_EMPTY_CHOICE = "None"


def _unanswered(procedure: str, template: str, value: Any) -> bool:
    """An optional question left empty, as the terminal and both docassemble paths give it."""
    if _empty(value):
        return True
    return value == _SERVER_EMPTY_CHOICE and _ref(procedure, template).kind == "literal"


# ------------------------------------------------------------------ collecting answers


def asylum_put(procedure: str, answers: dict, template: str, value: Any, optional: bool = False, **bindings: int) -> None:
    """Store one answer at its field path (``exhibits[i].title`` with ``i=0``).

    An optional question left empty stores the model's default, as the terminal
    interview does; a group stores its list (empty when the user said no).
    """
    from docassemble_asylum.questions.fields import bind
    from docassemble_asylum.questions.state import put

    value = plain(value)
    if optional and _unanswered(procedure, template, value):
        ref = _ref(procedure, template)
        if ref.required:
            return  # the whole-case check says it is missing, as the CLI does
        value = ref.empty_value()
    put(answers, bind(template, bindings), value)


def _function(target: str):
    import importlib

    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def asylum_when(answers: dict, condition: str, functions: dict[str, str] | None = None, **bindings: int) -> bool:
    """A question set's ``when:`` against the answers so far (the core's own evaluator).

    ``functions``: the functions the condition calls, as the question set declares them
    (name -> "module:function").
    """
    from docassemble_asylum.questions import conditions

    called = {name: _function(target) for name, target in (functions or {}).items()}
    return conditions.evaluate(condition, _lookup(answers, bindings), called)


def asylum_default(answers: dict, template: str, **bindings: int) -> str:
    """The answer to another field, offered as a default (``default_from``)."""
    from docassemble_asylum.questions.fields import bind
    from docassemble_asylum.questions.state import _MISSING, get

    found = get(answers, bind(template, bindings))
    if found is _MISSING or found is None:
        return ""
    if isinstance(found, bool):
        return "True" if found else "False"
    return str(found)


def asylum_suggest(answers: dict, expression: str, functions: dict[str, str] | None = None, **bindings: int) -> str:
    """A question's ``suggest:`` (the core's evaluator) as a field's default: "True"/"False" for
    a yes/no, the text otherwise, "" when nothing is suggested. The user still confirms it."""
    from docassemble_asylum.questions import conditions

    called = {name: _function(target) for name, target in (functions or {}).items()}
    found = conditions.value_of(expression, _lookup(answers, bindings), called)
    if found is None:
        return ""
    if isinstance(found, bool):
        return "True" if found else "False"
    return str(found)


def _lookup(answers: dict, bindings: dict):
    from docassemble_asylum.questions.fields import bind
    from docassemble_asylum.questions.state import _MISSING, get

    def lookup(name: str) -> Any:
        try:
            path = bind(name, bindings)
        except KeyError:
            return None
        found = get(answers, path)
        return None if found is _MISSING else found

    return lookup


def asylum_copy(answers: dict) -> dict:
    """A copy of the answers so far, to try an item's conditions without touching them."""
    import copy

    return copy.deepcopy(answers)


def asylum_present(answers: dict, template: str, **bindings: int) -> bool:
    from docassemble_asylum.questions.fields import bind
    from docassemble_asylum.questions.state import present

    return present(answers, bind(template, bindings))


def _question(procedure: str, template: str):
    """The question of the procedure's question set that fills this field (the first, if several)."""
    from docassemble_asylum.questions import loader

    interview = _QUESTION_SETS.get(procedure)
    if interview is None:
        interview = _QUESTION_SETS[procedure] = loader.load(procedure)
    return next((q for q in interview.questions() if q.field == template and not q.is_group), None)


_QUESTION_SETS: dict[str, Any] = {}


def asylum_shown(answers: dict, template: str, procedure: str | None = None, **bindings: int) -> str:
    """An answer as the problems screen shows it, in the interview's language (escaped for Markdown).

    As the terminal's review shows it (``runner.show_value``): a choice's label, not its
    keyword; a date written out, not YYYY-MM-DD; yes/no.
    """
    from docassemble_asylum.questions.fields import bind
    from docassemble_asylum.questions.runner import show_value
    from docassemble_asylum.questions.state import _MISSING, get

    found = get(answers, bind(template, bindings))
    if found is _MISSING or found is None or found == "":
        return "—"
    question = _question(procedure, template) if procedure else None
    with _language():
        if question is not None:
            return asylum_escape(show_value(question, found))
        if isinstance(found, bool):
            from docassemble_asylum.i18n import gettext

            return gettext("yes") if found else gettext("no")
    return asylum_escape(found)


def asylum_derive(answers: dict, field: str, compute: str, sources: list[str]) -> None:
    """A derived field of the answers (question set ``derived:`` with ``field`` and ``compute``)."""
    import importlib

    from docassemble_asylum.questions.fields import split
    from docassemble_asylum.questions.state import present, put, remove

    if not all(present(answers, tuple(split(name))) for name in sources):
        return
    module, function = compute.split(":")
    value = getattr(importlib.import_module(module), function)(answers)
    path = tuple(split(field))
    if value is None:
        remove(answers, path)
    else:
        put(answers, path, value)


# ------------------------------------------------------------------ starting from a related session

AFRESH = "afresh"
"""The choice that declines the earlier sessions (a session id is never this word)."""

COMPLETE = "asylum_complete"
"""The items' completion attribute, as tools/make_docassemble.py declares its lists."""


def asylum_interview(procedure: str) -> str:
    """The docassemble name of a procedure's generated interview."""
    return f"docassemble.asylum:data/questions/{procedure}.yml"


def asylum_related_sessions(procedure: str) -> list[list[str]]:
    """``[value, label]`` for each of the user's sessions of a related interview this one can
    start from (``Procedure.reuses``), newest first; ``[]`` when there is none.

    docassemble lists a user's sessions (``interview_list``) only for a user who is logged in;
    an anonymous session gets ``[]`` and starts afresh. A session is offered only when its
    answers give this procedure something through ``Procedure.answers_from`` (the mapping of
    ``build --from``): a session not finished (its model refuses the answers) is not.
    """
    from docassemble.base.util import interview_list

    spec = _procedure(procedure)
    found: list[tuple[Any, str, str]] = []
    for source in spec.reuses:
        next_id = None
        while True:
            listed = interview_list(filename=asylum_interview(source), include_dict=True, next_id=next_id)
            if listed is None:  # not logged in
                return []
            sessions, next_id = listed
            for info in sessions:
                given = _given(spec, (info.get("dict") or {}).get("asylum_answers"), source)
                if given:
                    found.append((_utc(info.get("utc_modtime")), f"{source}:{info['session']}", _session_label(source, given, info)))
            if next_id is None:
                break
    found.sort(key=lambda item: item[0], reverse=True)
    return [[value, label] for _when, value, label in found]


def asylum_related_choices(related: list[list[str]]) -> list[list[str]]:
    """The first screen's choices: the earlier sessions, then starting afresh."""
    from docassemble_asylum.i18n import gettext

    with _language():
        return [*related, [AFRESH, gettext("Start afresh, without the answers of an earlier session")]]


def _given(spec, answers: Any, source: str) -> dict | None:
    """What a session's answers give this procedure (``answers_from``), or None."""
    from pathlib import Path

    from docassemble_asylum.errors import UserError

    if not isinstance(answers, dict):
        return None
    try:
        return spec.answers_from(answers, Path(asylum_interview(source)))
    except UserError:
        return None


def _utc(value: Any) -> dt.datetime:
    """docassemble's ``utc_modtime`` (naive, in UTC) as an aware datetime; the epoch if absent."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _person(given: dict) -> str:
    """The person the given answers are about (the first group of answers with names)."""
    for value in given.values():
        if isinstance(value, dict) and value.get("family_name"):
            return " ".join(str(part) for part in (value.get("given_names"), value.get("family_name")) if part)
    return ""


def _session_label(source: str, given: dict, info: dict) -> str:
    """"“Family reunification”: Reza SADAT, last changed on Friday 4 December 2026 at 14:05"."""
    from zoneinfo import ZoneInfo

    from docassemble_asylum.i18n import format_date, gettext

    with _language():
        title = gettext(_procedure(source).title)
        when = _utc(info.get("utc_modtime")).astimezone(ZoneInfo(TIMEZONE))
        label = gettext("“{title}”: {person}, last changed on {day} at {time}").format(
            title=title, person=_person(given), day=format_date(when.date()), time=when.strftime("%H:%M")
        )
    return asylum_escape(label)


def asylum_start_from(procedure: str, choice: str, objects: dict[str, Any]) -> str:
    """Pre-fill the interview's variables from the chosen session's answers; the Markdown of the
    screen that lists them ("" when the user started afresh).

    The chosen session's answers (``get_session_variables``) go through ``answers_from``, the
    one mapping ``build --from`` uses; then, as the terminal takes a related file
    (``runner.take_answers``), the core's ``State`` keeps the answers to questions that apply,
    each passing its own question's check, and closes a list when something after it is
    already answered. Each kept answer becomes the variable its question would have set, so
    docassemble does not ask it; an open list still asks whether there is another item, and an
    item's questions the session did not answer are asked.

    ``objects``: the interview's top-level objects (``protected_person``, ``members``…), which
    the generated ``objects`` block creates.
    """
    from docassemble.base.util import get_session_variables

    if not choice or choice == AFRESH:
        return ""
    source, _, session = choice.partition(":")
    spec = _procedure(procedure)
    if source not in spec.reuses:
        return ""
    variables = get_session_variables(asylum_interview(source), session, simplify=False)
    given = _given(spec, (variables or {}).get("asylum_answers"), source)
    if not given:
        return ""
    state, kept = _kept_answers(procedure, given)
    for node in state.walk():
        if node.kind == "group" and node.answered:
            _fill_list(objects, state, node)
        elif node.kind == "ask" and node.path in kept:
            _define(objects, procedure, node, kept[node.path])
    return _given_text(procedure, source, state, kept)


def _kept_answers(procedure: str, given: dict):
    """The core's interview state on the given answers, and ``{path: value}`` of the answers
    kept (each valid for its own question), as ``runner.take_answers`` keeps them."""
    import copy

    from pydantic import ValidationError

    from docassemble_asylum.questions import loader
    from docassemble_asylum.questions.state import State, get

    state = State(loader.load(procedure), _procedure(procedure).model, copy.deepcopy(given))
    kept: dict[tuple, Any] = {}
    refused: list[tuple] = []
    for node in state.walk():  # (drops the answers of questions that do not apply)
        if node.kind != "ask" or not node.answered:
            continue
        value = get(state.answers, node.path)
        try:
            if value is None and node.question.required:
                raise ValueError  # a required question needs a value
            state.ref(node.question, node.bindings).validate(value)
        except (ValidationError, ValueError):
            refused.append(node.path)  # asked, with its own check
            continue
        kept[node.path] = value
    for path in refused:
        state.delete(path)
    state.infer_closed()
    return state, kept


def _holder(objects: dict[str, Any], path: tuple) -> Any:
    """The docassemble object that holds the answer at ``path`` (created when missing, as
    the generated code's ``initializeAttribute`` creates it)."""
    from docassemble.base.util import DAObject

    current = objects[path[0]]
    for part in path[1:-1]:
        current = current[part] if isinstance(part, int) else current.initializeAttribute(part, DAObject)
    return current


def _fill_list(objects: dict[str, Any], state, node) -> None:
    """A list the answers give: its items, whether there are any, and, for a list closed by a
    later answer, that there is no other (as the terminal closes it)."""
    from docassemble.base.util import DAList, DAObject
    from docassemble_asylum.questions.state import get

    items = get(state.answers, node.path)
    scalar = node.question.questions[0].field == f"{node.question.field}[{node.question.index}]"
    if len(node.path) == 1:
        listed = objects[node.path[0]]
    else:
        kind = DAList if scalar else DAList.using(object_type=DAObject, complete_attribute=COMPLETE)
        listed = _holder(objects, node.path).initializeAttribute(node.path[-1], kind)
    for value in items:
        if scalar:
            listed.append(value)
        else:
            listed.appendObject()
    listed.there_are_any = bool(items)
    if node.path in state.closed or not items:
        listed.there_is_another = False


def _define(objects: dict[str, Any], procedure: str, node, value: Any) -> None:
    """One answer as the variable its question sets (a date as docassemble's date; a date of
    birth as the screen's two fields: which the documents give, then the date or the year)."""
    from docassemble.base.util import as_datetime, define

    from docassemble_asylum.questions.runner import takes_year

    path = node.path
    if isinstance(path[-1], int):
        return  # an item of a list of plain values: the list holds it (_fill_list)
    question = node.question
    if question.type == "date" and isinstance(value, str):
        if takes_year(_ref(procedure, question.field)):
            known, year = _year_variables(path[-1])
            only_year = len(value) == 4
            _set(objects, path[:-1] + (known,), "year" if only_year else "date")
            if only_year:
                _set(objects, path[:-1] + (year,), int(value))
                return
        value = as_datetime(value)
    if len(path) == 1 and path[0] not in objects:
        define(path[0], value)
    else:
        _set(objects, path, value)


def _set(objects: dict[str, Any], path: tuple, value: Any) -> None:
    setattr(_holder(objects, path), path[-1], value)


def _year_variables(name: str) -> tuple[str, str]:
    """The date-of-birth screen's own variables next to ``name`` (tools/make_docassemble.py
    ``year_variables``): which the documents give, and the year alone."""
    return f"asylum_{name}_known", f"asylum_{name}_year"


def _given_text(procedure: str, source: str, state, kept: dict) -> str:
    """Markdown: how many answers the session gave, then each (its question's label and the
    answer, as the problems screen shows them)."""
    from docassemble_asylum.i18n import gettext, ngettext
    from docassemble_asylum.questions import gettext as question_text
    from docassemble_asylum.questions.runner import show_value

    with _language():
        count = len(kept)
        lines = [
            asylum_escape(
                ngettext(
                    "{count} answer comes from your session of “{title}”: it is not asked again.",
                    "{count} answers come from your session of “{title}”: they are not asked again.",
                    count,
                ).format(count=count, title=gettext(_procedure(source).title))
            ),
            "",
        ]
        for node in state.walk():
            if node.kind != "ask" or node.path not in kept:
                continue
            where = "".join(f"{question_text(group.item_label)} {number + 1} › " for group, number in node.items)
            label = asylum_escape(where + question_text(node.question.label))
            lines.append(f"* **{label}**{_colon()}{asylum_escape(show_value(node.question, kept[node.path]))}")
    return "\n".join(lines) + "\n"


def _colon() -> str:
    """French puts a (no-break) space before a colon, as the problems screen does."""
    return "\u00a0: " if asylum_language() == "fr" else ": "


# ------------------------------------------------------------------ validation


def asylum_check_answer(procedure: str, template: str, value: Any, optional: bool = False) -> bool:
    """``validation code`` of one question: the field's own pydantic type, translated messages."""
    from pydantic import ValidationError

    from docassemble_asylum.errors import translate_error

    value = plain(value)
    if optional and _unanswered(procedure, template, value):
        return True
    ref = _ref(procedure, template)
    with _language():
        try:
            ref.validate(value)
        except ValidationError as exc:
            messages = [translate_error(e) for e in exc.errors(include_url=False, include_input=False)] or [str(exc)]
            validation_error(" ".join(messages))
        if template.rsplit(".", 1)[-1] == "date_of_birth" and _after_today(value):
            # Nobody is born after today: refused on its own screen, as the terminal does
            # (a procedure's rule about it would only come after the last question).
            validation_error(translate_error({"type": "date_future"}))
    return True


def _after_today(value: Any) -> bool:
    """A date of birth after today: a full date, or a year after this one (``born_after``)."""
    from docassemble.base.util import defined, value as interview_value

    from docassemble_asylum.models.common import born_after

    today = interview_value("asylum_day") if defined("asylum_day") else asylum_today()
    return born_after(value, today)


def asylum_year(value: Any) -> str:
    """The year of a date of birth known only by its year, as an answers file holds it
    ("1990"); docassemble's integer field gives 1990 (empty: "", as an optional field)."""
    if _empty(value):
        return ""
    try:
        return f"{int(value):04d}"
    except (TypeError, ValueError):
        return str(value)  # the field's type check says what is wrong with it


def asylum_check(procedure: str, answers: dict, today: dt.date) -> dict:
    """The whole case through ``Procedure.validate``: ``{"ok", "header", "problems"}``.

    The header and problems are the command line's, in the interview's language, each
    problem naming its question by its label only (never the field path the command line
    adds for the answers file's reader).
    """
    from docassemble_asylum.errors import UserError, detail_on_screen

    with _language():
        try:
            _procedure(procedure).validate(answers, today)
        except UserError as exc:
            if exc.details and len(exc.details) == len(exc.problems):
                return {"ok": False, "header": exc.message, "problems": [detail_on_screen(d) for d in exc.details]}
            return {"ok": False, "header": exc.message, "problems": list(exc.problems)}
    return {"ok": True, "header": "", "problems": []}


# ------------------------------------------------------------------ deadlines and verdicts


def asylum_escape(text: Any) -> str:
    """Plain text shown through docassemble's Markdown: no markup is interpreted."""
    out = str(text).replace("\\", "\\\\")
    for char in "*_`[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def _source_line(source: dict) -> str:
    from docassemble_asylum.i18n import gettext

    title = asylum_escape(source.get("title", ""))
    url = str(source.get("url", ""))
    return gettext("Source: {title} — {url}").format(title=title, url=f"<{url}>" if url else "")


def _report_part(value: dict, lines: list[str]) -> None:
    from docassemble_asylum.i18n import gettext
    from docassemble_asylum.deadlines.common import certainty_label

    if value.get("certainty"):
        lines.append("* " + asylum_escape(gettext("Certainty: {label}").format(label=certainty_label(value["certainty"]))))
    if value.get("steps"):
        lines.append("* " + asylum_escape(gettext("How it was computed:")))
        lines += ["    * " + asylum_escape(step) for step in value["steps"]]
    lines += ["* " + asylum_escape(gettext("Warning: {text}").format(text=w)) for w in value.get("warnings") or []]
    lines += ["* " + _source_line(s) for s in value.get("sources") or [] if isinstance(s, dict)]


def asylum_report(procedure: str, answers: dict, today: dt.date) -> str:
    """Markdown: the unfinished parts of the drafts, the procedure's deadlines and verdicts, how
    they were reached, and their sources (what ``build`` prints, and more)."""
    from docassemble_asylum.procedures.unfinished import terminal_lines

    spec = _procedure(procedure)
    with _language():
        model = spec.validate(answers, today)
        lines: list[str] = []
        # The parts of a draft left to complete, as `build` prints them before the deadline.
        unfinished = terminal_lines(spec.unfinished_parts(model, today))
        if unfinished:
            lines += ["**" + asylum_escape(unfinished[0]) + "**", ""]
            lines += ["* " + asylum_escape(line.removeprefix("  • ")) for line in unfinished[1:]]
        if spec.report_lines is not None:
            for line in spec.report_lines(model, today):
                if line.startswith("  - "):  # a reason under the line before
                    lines.append("* " + asylum_escape(line[4:]))
                else:
                    lines += ["", "**" + asylum_escape(line) + "**", ""]
            lines.append("")
        report = spec.report(model, today) if spec.report is not None else {}
        for value in report.values():
            parts = value if isinstance(value, list) else [value]
            for part in parts:
                if isinstance(part, dict) and any(k in part for k in ("steps", "sources", "warnings", "certainty")):
                    if part.get("name"):  # one of several (a family member): say whose
                        lines += ["", "**" + asylum_escape(part["name"]) + "**", ""]
                    _report_part(part, lines)
        return "\n".join(lines).strip() + "\n"


def asylum_early(procedure: str, answers: dict, today: dt.date, said: dict) -> str:
    """Markdown: the verdicts the answers so far already decide (the question set's
    checkpoints, ``questions/checkpoints.py``), as the terminal says them, provisional
    while a later answer can change them; "" when there is nothing new to say.

    ``said`` remembers what was said; the interview's code rebuilds it from empty on
    every pass (it replays the answers in order), so each verdict comes at the same step.
    The lists in ``answers`` are complete (a group's list is stored once gathered), so
    they are taken as closed: a member's verdict comes once the list of members is done.
    """
    import copy

    from docassemble_asylum.questions import loader
    from docassemble_asylum.questions.checkpoints import Checkpoints
    from docassemble_asylum.questions.state import State

    interview = loader.load(procedure)
    if not interview.checkpoints:
        return ""
    checkpoints = Checkpoints(interview, today)
    checkpoints.said = said
    with _language():
        state = State(interview, _procedure(procedure).model, copy.deepcopy(answers))
        state.closed = {node.path for node in state.walk() if node.kind == "group" and node.answered}
        lines: list[str] = []
        for early in checkpoints.due(state):
            for line in early.lines:
                text = line.strip()
                if text.startswith(("- ", "• ")):
                    lines.append("* " + asylum_escape(text[2:]))
                else:
                    lines += ["", asylum_escape(text), ""]
        return "\n".join(lines).strip()


# ------------------------------------------------------------------ documents


def asylum_emails(procedure: str, answers: dict, today: dt.date) -> str:
    """Markdown: the e-mails the CLI writes as .eml files, to send from the person's mailbox."""
    from docassemble_asylum.email_message import typeset
    from docassemble_asylum.i18n import gettext

    spec = _procedure(procedure)
    lines: list[str] = []
    with _language():
        model = spec.validate(answers, today)
        for email in spec.emails:
            fields = email.fields(model, today)
            fields["subject"], fields["body"] = typeset(fields["subject"], fields["body"], fields.get("language", "fr"))
            lines += [
                "**" + asylum_escape(gettext("E-mail to send, with {document} attached").format(document=email.attachment)) + "**",
                "",
                "* " + asylum_escape(gettext("To: {address}").format(address=fields["to"])),
                "* " + asylum_escape(gettext("Subject: {subject}").format(subject=fields["subject"])),
                "",
            ]
            lines += ["> " + asylum_escape(line) if line else ">" for line in fields["body"].rstrip("\n").split("\n")]
            lines.append("")
        uploaded = [item.file for item in getattr(model, spec.attachments, [])] if spec.attachments else []
        if uploaded:
            # The command line attaches these files to the .eml; this server only shows the e-mail.
            lines += [
                asylum_escape(
                    gettext(
                        "The files you uploaded ({names}) are listed in the letter but not attached for you here: "
                        "attach them yourself to the e-mail, with the letter, when you send it."
                    ).format(names=", ".join(uploaded))
                ),
                "",
            ]
    return "\n".join(lines)


def asylum_document_title(procedure: str, filename: str) -> str:
    from docassemble_asylum.i18n import gettext

    with _language():
        return gettext(_procedure(procedure).document(filename).title)


class JinjaDict(dict):
    """A dict whose keys are also attributes, as plain Jinja reads ``{{ applicant.full_name }}``.

    docassemble's Jinja environment (``DAEnvironment.getattr``) does not fall back from
    an attribute to a key as plain Jinja does, so ``{{ applicant.full_name }}`` on a dict
    is undefined there. A dict subclass keeps everything else as in the CLI: truth value,
    length, iteration, ``items()``; and, as in plain Jinja, a key named like a dict method
    (``items``…) gives the method when read as an attribute.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def jinja_value(value: Any) -> Any:
    if isinstance(value, dict):
        return JinjaDict((key, jinja_value(item)) for key, item in value.items())
    if isinstance(value, list):
        return [jinja_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(jinja_value(item) for item in value)
    return value


def asylum_document_context(procedure: str, filename: str, answers: dict, today: dt.date) -> dict:
    """The attachment's ``code:``: the CLI's context for this document, each value in ``raw()``.

    ``raw()`` stops docassemble from turning lists and dicts into their ``str()``;
    ``jinja_value`` gives dicts the attribute access plain Jinja has (see ``JinjaDict``).
    """
    from docassemble_asylum.procedures.outputs import FORM, filled_values, render_document

    from docassemble_asylum.render.delivery import on_server

    spec = _procedure(procedure)
    found = spec.document(filename)
    with _language(), on_server():  # the summary words "how to send it" for this screen (no .eml here)
        model = spec.validate(answers, today)
        if found.kind == FORM:
            # field name -> text, True/False for a checkbox (docassemble writes Yes/No): read
            # back from the CLI's filled form, so each box shows what the CLI shows there
            return filled_values(render_document(found, model, today))
        context = found.context(model, today)
    from docassemble_asylum.render.docx import LANGUAGE_KEY

    fields = {key: raw(jinja_value(value)) for key, value in context.items()}
    # Not in raw(): docassemble hands it to the template as text, and _typeset_after reads it.
    fields[TYPOGRAPHY_KEY] = context.get(LANGUAGE_KEY, "fr")
    return fields


def asylum_document_applies(procedure: str, filename: str, answers: dict, today: dt.date) -> bool:
    """Whether the CLI writes this document for these answers (some are written only in some cases)."""
    from docassemble_asylum.procedures.outputs import applies

    spec = _procedure(procedure)
    found = spec.document(filename)
    if found.when is None:
        return True
    with _language():
        return applies(found, spec.validate(answers, today), today)


TYPOGRAPHY_KEY = "asylum_document_language"
"""The attachment field that tells ``_typeset_after`` a document is one of ours, and its language."""


def _typeset_after(render):
    """docxtpl's ``render`` followed by the core's finishing pass, for our documents (French
    typography for a French document, the placeholders' highlight for every one).

    docassemble renders an attachment's DOCX itself (``DocxTemplate.render``); the command
    line renders the same template and then runs the typographic layer over the result
    (``render.docx.typeset_rendered``). Wrapping ``render`` gives docassemble's document the
    same text; a template of another package (no ``TYPOGRAPHY_KEY``) is left untouched.
    """

    def render_then_typeset(self, context, *args, **kwargs):
        result = render(self, context, *args, **kwargs)
        language = context.get(TYPOGRAPHY_KEY) if hasattr(context, "get") else None
        if language is not None:
            from docassemble_asylum.render.docx import LANGUAGE_KEY, typeset_rendered

            typeset_rendered(self, {LANGUAGE_KEY: str(language)})
        return result

    render_then_typeset.asylum_typesets = True
    return render_then_typeset


def _typeset_docassemble_documents() -> None:
    from docxtpl import DocxTemplate

    if not getattr(DocxTemplate.render, "asylum_typesets", False):
        DocxTemplate.render = _typeset_after(DocxTemplate.render)


def _register_filters() -> None:
    from docassemble_asylum.render.filters import FILTERS

    for name, function in FILTERS.items():
        register_jinja_filter(name, function)  # refuses (loudly) a name docassemble already uses


_register_filters()
_typeset_docassemble_documents()
