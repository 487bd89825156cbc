"""The shape every procedure shares, and the one pipeline they all go through.

Facts flow one way: answers file -> pydantic model -> consistency rules (dates in order,
conditions of the law) -> rules (deadlines, eligibility) -> render context -> files.
``build_outputs`` is the single place where that happens, for the CLI, batches and
docassemble alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

from pydantic import BaseModel, ValidationError

from docassemble_asylum.answers_file import read_answers_file  # noqa: F401 - where callers look for it
from docassemble_asylum.deadlines.common import DeadlineInputError
from docassemble_asylum.errors import UserError, detail_text, field_label, translate_error, validation_details
from docassemble_asylum.i18n import N_, gettext
from docassemble_asylum.output import OutputFile, manifest
from docassemble_asylum.procedures.outputs import Document, Email, Output, attach_pdfs, render_outputs
from docassemble_asylum.rules.schema import NoVersionInForce


@dataclass(frozen=True)
class Problem:
    """A consistency problem found after type validation, located at a field."""

    loc: tuple[Any, ...]
    msgid: str
    ctx: dict[str, Any] = field(default_factory=dict)

    def render(self, model: type[BaseModel]) -> str:
        return detail_text(self.detail(model), model)

    def detail(self, model: type[BaseModel]) -> dict:
        """{"field", "question", "message", "path"}: for ``check --json`` and for ``render``."""
        label, path = field_label(model, self.loc)
        message = translate_error({"type": "asylum_rule", "msg": self.msgid, "ctx": {"msgid": self.msgid, **self.ctx}})
        return {"field": path, "question": label, "message": message, "path": path}


@dataclass
class BuildOptions:
    today: dt.date
    lang: str = "fr"
    extra: dict[str, Any] = field(default_factory=dict)


def deadline_report(deadline: Callable[[Any, dt.date], Any], answers: Any, today: dt.date) -> dict:
    """``check --json``'s report of a procedure whose only finding is its deadline."""
    return {"deadline": deadline(answers, today).to_json()}


def deadline_report_lines(deadline: Callable[[Any, dt.date], Any], answers: Any, today: dt.date) -> list[str]:
    """What ``check`` and ``build`` print of such a deadline: its warnings, then the last and safe days."""
    from docassemble_asylum.render.summary import day_lines, deadline_warnings

    result = deadline(answers, today)
    return deadline_warnings(result) + day_lines(result)


@dataclass(frozen=True)
class Procedure:
    name: str
    title: str  # message id, translated when shown
    model: type[BaseModel]
    # (answers, today) -> problems the model's types cannot see
    consistency: Callable[[Any, dt.date], list[Problem]]
    # its documents and e-mails, in the order they are written (``procedures/outputs.py``)
    outputs: tuple[Output, ...]
    # (answers, today) -> a JSON-able report printed by ``check --json`` (deadlines, verdicts)
    report: Callable[[Any, dt.date], dict] | None = None
    # (answers, today) -> lines printed by ``check`` in the user's language
    report_lines: Callable[[Any, dt.date], list[str]] | None = None
    # (answers, today) -> its deadline (a ``DeadlineResult``), for a procedure that has one:
    # without ``report`` or ``report_lines`` of its own, it reports that deadline alone
    # (``deadline_report``, ``deadline_report_lines``), the same way in every procedure.
    deadline: Callable[[Any, dt.date], Any] | None = None
    # Where its other parts live (read by the completeness test, tests/test_procedure_parts.py):
    # its folder of rules in rules/data/ (None: it has no rules of its own), its catalog domain.
    rules: str | None = None
    catalog: str = ""
    # The answers another procedure's file gives this one (``build --from FILE``): source
    # procedure -> top-level answers taken as they are (the same facts, the same models),
    # or a function (the source's validated answers) -> answers, for a selection of them.
    reuses: dict[str, tuple[str, ...] | Callable[[Any], dict]] = field(default_factory=dict)
    # (answers, today) -> the parts its drafts leave to complete (``procedures/unfinished.py``):
    # listed by ``build``, first on the summary sheet, and in ``check --json``.
    unfinished: Callable[[Any, dt.date], list] | None = None
    # The top-level answer listing files to attach to its e-mails (``models/attached_files.py``),
    # read by ``load_attachments`` before anything is written; None: it attaches none.
    attachments: str | None = None

    def __post_init__(self) -> None:
        if self.deadline is not None:
            if self.report is None:
                object.__setattr__(self, "report", functools.partial(deadline_report, self.deadline))
            if self.report_lines is None:
                object.__setattr__(self, "report_lines", functools.partial(deadline_report_lines, self.deadline))
        if self.unfinished is not None:
            from docassemble_asylum.procedures.unfinished import opens_with_unfinished

            object.__setattr__(self, "outputs", opens_with_unfinished(self.outputs, self.model, self.unfinished))

    def unfinished_parts(self, answers: Any, today: dt.date) -> list[dict]:
        """``{"field", "question", "message"}`` for each part left to complete ([] when none, or
        for a procedure that declares none)."""
        if self.unfinished is None:
            return []
        return [part.detail(self.model) for part in self.unfinished(answers, today)]

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(o for o in self.outputs if isinstance(o, Document))

    @property
    def emails(self) -> tuple[Email, ...]:
        return tuple(o for o in self.outputs if isinstance(o, Email))

    def document(self, filename: str) -> Document:
        for found in self.documents:
            if found.filename == filename:
                return found
        raise LookupError(f"{self.name} has no document {filename}")

    def render(self, answers: Any, options: BuildOptions) -> list[OutputFile]:
        """Output files (documents, e-mails and summary, manifest excluded), from the declaration."""
        return render_outputs(
            self.outputs,
            answers,
            options.today,
            flatten=bool(options.extra.get("flatten")),
            attachments=options.extra.get("attachments", ()),
        )

    def load_attachments(self, answers: Any, base: Path | None, replaced: Path | None = None) -> tuple:
        """The files the answers name to attach, read and checked (``attachments.load``): a
        ``UserError`` naming each bad one's question. ``base``: the answers file's folder;
        ``replaced``: the folder the build may replace, which must not hold one of them."""
        if self.attachments is None:
            return ()
        from docassemble_asylum import attachments

        return attachments.load(self.model, answers, self.attachments, base, replaced)

    def example_text(self, today: dt.date) -> str:
        """The bundled fictional example as of ``today``: its dates moved so that it builds that day."""
        from docassemble_asylum.example_dates import example_text

        return example_text(self.name, today)

    def json_schema(self) -> dict:
        return self.model.model_json_schema()

    def answers_from(self, raw: Any, path: Path) -> dict:
        """The answers of another procedure's file (``--from``) that this one reuses.

        The file must be a complete answers file of one of the procedures in ``reuses``
        (its model accepts it); only the declared answers are taken from it.
        """
        from docassemble_asylum.procedures import get

        for source, names in self.reuses.items():
            try:
                given = get(source).model.model_validate(raw)
            except ValidationError:
                continue
            if callable(names):
                return names(given)
            # As validated (defaults included), so that nothing the file implied is asked again.
            dumped = given.model_dump(mode="json")
            return {name: dumped[name] for name in names if dumped.get(name) is not None}
        titles = ", ".join(gettext(get(source).title) for source in self.reuses)
        if not titles:
            raise UserError(gettext("--from: “{title}” cannot start from another procedure's answers.").format(title=gettext(self.title)))
        raise UserError(
            gettext("--from: {path} is not a complete answers file of “{titles}”. Check it with asylumdocs check.").format(
                path=path, titles=titles
            )
        )

    def validate(self, raw: Any, today: dt.date) -> BaseModel:
        """Raw answers -> model, or a UserError listing every problem in the user's language."""
        if not isinstance(raw, dict):
            raise UserError(gettext("The answers file must contain a group of answers (a YAML mapping)."))
        try:
            answers = self.model.model_validate(raw)
        except ValidationError as exc:
            details = validation_details(self.model, exc)
            raise UserError(_problem_header(len(details)), [detail_text(d, self.model) for d in details], details) from None
        try:
            found = self.consistency(answers, today)
        except NoVersionInForce as exc:
            raise rules_gap(self.model, answers, exc) from None
        except DeadlineInputError as exc:
            raise (rules_gap(self.model, answers, exc.no_version) if exc.no_version else exc) from None
        if found:
            # (the text from ``render``, which a procedure's own Problem may refine)
            details = [p.detail(self.model) for p in found]
            raise UserError(_problem_header(len(found)), [p.render(self.model) for p in found], details)
        return answers

    def build_outputs(
        self,
        answers: BaseModel,
        options: BuildOptions,
        input_bytes: bytes,
        postprocess: Callable[[list[OutputFile]], list[OutputFile]] | None = None,
    ) -> list[OutputFile]:
        """The case's files, manifest last. ``postprocess`` adds derived files (PDFs) before the manifest."""
        from docassemble_asylum.rules import rulebook

        try:
            files = self.render(answers, options)
        except NoVersionInForce as exc:
            raise rules_gap(self.model, answers, exc) from None
        except DeadlineInputError as exc:
            raise (rules_gap(self.model, answers, exc.no_version) if exc.no_version else exc) from None
        if postprocess is not None:
            files = postprocess(files)
            # An e-mail attaches the PDF of its letter when there is one (``--pdf``), not the editable DOCX.
            files = attach_pdfs(self.outputs, answers, options.today, files, options.extra.get("attachments", ()))
        files.append(
            manifest(
                files,
                procedure=self.name,
                input_sha256=hashlib.sha256(input_bytes).hexdigest(),
                rules_digest=rulebook().digest,
                attachments=options.extra.get("attachments", ()),
            )
        )
        return files


def other_answer(model: type[BaseModel], *loc: Any) -> dict[str, str]:
    """``{other}`` and ``{other_path}`` of a message that refers to another answer: its
    label and path, never its value (a date of the case in stderr ends up in logs)."""
    label, path = field_label(model, loc)
    return {"other": label, "other_path": path}


def rules_gap(model: type[BaseModel], answers: BaseModel, exc: NoVersionInForce) -> UserError:
    """A date before the first version of a rule, as a problem of the date question.

    The rule only knows the day it was asked about; the question is the answer holding
    that day (the first one in the answers' order), named by its label. A day no answer
    holds (``--today``) is said without a question.
    """
    msgid = N_("the rules of this tool start on {date}: an earlier date cannot be handled.")
    loc = _date_answer(answers, exc.day, ())
    if loc is None:
        message = translate_error({"type": "asylum_rule", "msg": msgid, "ctx": {"msgid": msgid, "date": exc.first}})
        detail = {"field": None, "question": None, "message": message, "path": ""}
    else:
        detail = Problem(loc, msgid, {"date": exc.first}).detail(model)
    return UserError(_problem_header(1), [detail_text(detail, model)], [detail])


def _date_answer(value: Any, day: dt.date, loc: tuple) -> tuple | None:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found = _date_answer(getattr(value, name), day, (*loc, name))
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _date_answer(item, day, (*loc, index))
            if found is not None:
                return found
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value == day:
        return loc
    return None


def _problem_header(count: int) -> str:
    from docassemble_asylum.i18n import ngettext

    return ngettext(
        "The answers have {count} problem; nothing was written:",
        "The answers have {count} problems; nothing was written:",
        count,
    ).format(count=count)
