"""Unfinished parts: what a draft still leaves to complete, declared once per procedure.

A draft may be built before everything is known (a period is running): the parts left
out are written as placeholders ("[À compléter…]", ``render/placeholders.py``), which
every DOCX shows highlighted (``render/docx_highlight.py``). So that they are not
overlooked, the procedure also says which they are, from the answers:
``Procedure(unfinished=...)``, a function ``(answers, today) -> list[Unfinished]``. Each
names the question that would fill it (by its location in the model, shown as its label)
and says what is missing in the user's language. From that one declaration:

- ``build`` lists them on the terminal after the files (``terminal_lines``);
- the summary sheet opens with them, before the deadline (``opens_with_unfinished``,
  applied by ``Procedure`` to its summary sheet);
- ``check --json`` reports ``unfinished``, a list (empty when nothing is missing) of
  ``{"field", "question", "message"}``, for every procedure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from docassemble_asylum.errors import field_label
from docassemble_asylum.i18n import gettext


@dataclass(frozen=True)
class Unfinished:
    """A part of a draft left to complete: the question that would fill it, and why it matters.

    ``loc`` is the question's location in the procedure's model (``("grounds", 0, "text")``),
    or ``()`` for a part no answer fills (an address the rule data marks unverified: it is
    checked, not answered); ``msgid`` an English message id (``N_``), formatted with ``ctx``.
    """

    loc: tuple[Any, ...]
    msgid: str
    ctx: dict[str, Any] = field(default_factory=dict)

    def detail(self, model: type[BaseModel]) -> dict:
        """``{"field", "question", "message"}``: the field path (for machines), the question's
        label and the message, both in the user's language."""
        message = gettext(self.msgid).format(**self.ctx)
        if not self.loc:
            return {"field": None, "question": None, "message": message}
        label, path = field_label(model, self.loc)
        return {"field": path, "question": label, "message": message}


Declaration = Callable[[Any, dt.date], list[Unfinished]]


def terminal_lines(details: list[dict]) -> list[str]:
    """What ``build`` (and ``check``) print: a heading, then one line per part."""
    if not details:
        return []
    lines = [gettext("Unfinished parts (highlighted in the draft), to complete before sending:")]
    lines += ["  • " + _line(d) for d in details]
    return lines


def _line(detail: dict) -> str:
    if detail["question"] is None:
        return detail["message"]
    return gettext("{message} (question: “{question}”)").format(message=detail["message"], question=detail["question"])


def summary_section(details: list[dict]):
    from docassemble_asylum.render.summary import Section

    section = Section(gettext("Unfinished parts: complete them before sending"))
    section.paragraphs.append(gettext("These parts of the draft are highlighted in yellow. Complete each one, or answer the question again and build the draft again:"))
    section.bullets += [_line(d) for d in details]
    return section


def opens_with_unfinished(outputs: tuple, model: type[BaseModel], declaration: Declaration) -> tuple:
    """The outputs with the summary sheet's context opening with the unfinished parts (when any),
    before its first section (the deadline)."""
    from docassemble_asylum.procedures.outputs import SHEET, SUMMARY, Document
    from docassemble_asylum.render.summary import open_with

    def wrap(document: Document) -> Document:
        original = document.context

        def context(answers: Any, today: dt.date) -> dict:
            found = original(answers, today)
            details = [part.detail(model) for part in declaration(answers, today)]
            if details:
                open_with(found, summary_section(details))
            return found

        context.__doc__ = original.__doc__
        context.__wrapped__ = original  # type: ignore[attr-defined]
        return dataclasses.replace(document, context=context)

    return tuple(
        wrap(o) if isinstance(o, Document) and o.kind == SHEET and o.filename == SUMMARY else o for o in outputs
    )
