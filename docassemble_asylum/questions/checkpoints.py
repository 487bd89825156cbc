"""Early verdicts in the guided interview: bad news at once, never premature.

A question set declares its checkpoints (``checkpoints:``, see schema.py): after which
questions (or after each item of a repeated group) a verdict can be decided, the
procedure's function that decides it with the procedure's own rules
(``procedures/early_verdicts.py``), and the later answers that can still change it. Here
the interview asks for the verdict after every step and says it:

- as soon as its facts are in, when it is bad news (a passed or close day, a member who
  is not eligible) or when the verdict always speaks (a family member's eligibility);
- as *provisional*, with what could change it, while one of the answers that can change
  it is still to come (a question that applies and is not answered, a group that still
  takes items) and the procedure does not say the verdict is settled whatever they are;
  so a "too late" is never said as final while a later answer could undo it;
- again when it changes (a legal-aid request in time), and when a provisional bad news
  becomes final.

The terminal runner prints the lines (``Checkpoints.lines``); with
``ASYLUMDOCS_INTERVIEW_TRACE=1`` each verdict is preceded by
``@verdict <checkpoint id>[<item>] provisional|final``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docassemble_asylum.questions import gettext as _
from docassemble_asylum.questions.fields import split
from docassemble_asylum.questions.loader import Interview
from docassemble_asylum.questions.schema import Checkpoint
from docassemble_asylum.questions.state import Node, State, get, present, put

_INDEX = re.compile(r"\[[a-z]\]")


@dataclass(frozen=True)
class Said:
    """A verdict as it was last said: its words, and whether it was bad news, provisional."""

    words: tuple[str, ...]
    bad: bool
    provisional: bool


@dataclass(frozen=True)
class Early:
    """A verdict to say now: its lines, and what the trace line says of it."""

    key: str
    provisional: bool
    bad: bool
    lines: tuple[str, ...]


def field_of(node: Node) -> str:
    """The question's field without index variables (``members.relationship``), as checkpoints name it."""
    return _INDEX.sub("", node.question.field)


@functools.cache
def _function(target: str) -> Callable[..., Any]:
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


class Checkpoints:
    def __init__(self, interview: Interview, today: dt.date):
        self.interview = interview
        self.today = today
        self.said: dict[tuple[str, int | None], Said] = {}

    def due(self, state: State) -> list[Early]:
        """The verdicts to say after the last step (none when nothing new is known)."""
        if not self.interview.checkpoints:
            return []
        nodes = state.walk()
        answers = state.output()
        out = []
        for checkpoint in self.interview.checkpoints:
            ready = self.ready(checkpoint, state, nodes)
            for item in ready:
                early = self.verdict(checkpoint, item, *self.answered_items(checkpoint, answers, ready, item), nodes)
                if early is not None:
                    out.append(early)
        return out

    @staticmethod
    def answered_items(checkpoint: Checkpoint, answers: dict, ready: list[int | None], item: int | None) -> tuple[dict, int | None]:
        """For an item's verdict: the answers with only the items whose questions are all
        answered (an item being answered does not count yet), and the item's place among them."""
        if checkpoint.after_item is None or item is None:
            return answers, item
        path = tuple(split(checkpoint.after_item))
        items = get(answers, path)
        kept = copy.deepcopy(answers)
        put(kept, path, [items[index] for index in ready])
        return kept, ready.index(item)

    def ready(self, checkpoint: Checkpoint, state: State, nodes: list[Node]) -> list[int | None]:
        """None when the checkpoint's facts are in; for ``after_item``, each item whose questions are all answered."""
        if checkpoint.after_item is None:
            return [None] if any(present(state.answers, tuple(split(name))) for name in checkpoint.after) else []
        group = tuple(split(checkpoint.after_item))
        items = get(state.answers, group) if any(n.kind == "group" and n.path == group for n in nodes) else None
        if not isinstance(items, list):
            return []
        unfinished = {
            node.path[len(group)]
            for node in nodes
            if len(node.path) > len(group) and node.path[: len(group)] == group
            and ((node.kind == "ask" and not node.answered) or node.kind == "add")
        }
        return [index for index in range(len(items)) if index not in unfinished]

    def pending(self, checkpoint: Checkpoint, nodes: list[Node]) -> list[str]:
        """The reasons of the answers still to come that can change the verdict (each once)."""
        reasons: list[str] = []
        for change in checkpoint.changed_by:
            for node in nodes:
                if field_of(node) != change.field:
                    continue
                waiting = (node.kind == "ask" and not node.answered) or node.kind == "add"
                if waiting and _(change.reason) not in reasons:
                    reasons.append(_(change.reason))
        return reasons

    def verdict(self, checkpoint: Checkpoint, item: int | None, answers: dict, place: int | None, nodes: list[Node]) -> Early | None:
        key = (checkpoint.id, item)
        reasons = self.pending(checkpoint, nodes)
        found = _function(checkpoint.verdict)(answers, self.today, final=not reasons, item=place)
        before = self.said.get(key)
        if found is None:
            self.said.pop(key, None)  # (an answer changed back: said again when it comes back)
            return None
        provisional = bool(reasons) and not found.settled
        words = (found.text, *found.details)
        now = Said(words, found.bad, provisional)
        if before is None:
            if not (found.bad or found.always):
                return None  # good news is said only when it replaces bad news, or always speaks
        elif before.words == words and before.provisional == provisional:
            return None
        elif before.words == words and not (before.bad and before.provisional):
            self.said[key] = now  # the same good news, now final: nothing new to say
            return None
        self.said[key] = now
        return Early(
            f"{checkpoint.id}" + (f"[{item}]" if item is not None else ""),
            provisional,
            found.bad,
            tuple(self.render(checkpoint, item, found, reasons if provisional else [])),
        )

    def render(self, checkpoint: Checkpoint, item: int | None, found, reasons: list[str]) -> list[str]:
        what = _(checkpoint.label)
        if item is not None:
            what = f"{what} {item + 1}"
        if found.about:
            what = f"{what} ({found.about})"
        mark = "⚠" if found.bad else "✓"
        headline = _("{what} (provisional): {verdict}") if reasons else _("{what}: {verdict}")
        lines = [f"  {mark} " + headline.format(what=what, verdict=found.text)]
        lines += [f"      - {detail}" for detail in found.details]
        if reasons:
            lines.append("    " + _("This may still change with your next answers:"))
            lines += [f"      • {reason}" for reason in reasons]
        return lines
