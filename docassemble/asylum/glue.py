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
    "asylum_report",
    "asylum_shown",
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
