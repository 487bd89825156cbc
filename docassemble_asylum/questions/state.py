"""Where an interview stands: the answers so far, and the questions that apply to them.

The answers are kept exactly as an answers file holds them (a nested dict of JSON
values), so saving is writing them out and resuming is reading them back. Everything
else is recomputed from them by ``walk``: which questions apply (their ``when`` holds),
which are answered (their field is present, even as an empty value), which groups still
take items. Answers to questions that no longer apply (after a correction) are removed,
so the file never carries an answer the procedure would reject as out of place.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from docassemble_asylum.questions import conditions
from docassemble_asylum.questions.fields import FieldRef, bind, field_ref, model_of, split
from docassemble_asylum.questions.loader import Interview, ResolvedQuestion, ResolvedSection

Path_ = tuple[str | int, ...]
_MISSING = object()


@dataclass
class Node:
    """One step of the interview for the current answers.

    ``ask``: a question at a concrete path; ``group``: a repeated group (its list);
    ``add``: the offer to add an item to an open group.
    """

    kind: str
    question: ResolvedQuestion
    path: Path_
    bindings: dict[str, int]
    section: ResolvedSection
    position: int  # of the top-level question in its section (1-based)
    total: int  # applicable top-level questions in the section
    items: tuple[tuple[ResolvedQuestion, int], ...] = ()  # enclosing groups and item numbers (0-based)
    answered: bool = False
    first: bool = False  # add: the group has no list yet
    end: int = 0  # group: index after its last node in the walk


def get(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return _MISSING
            data = data[part]
        else:
            if not isinstance(data, dict) or part not in data:
                return _MISSING
            data = data[part]
    return data


def present(data: Any, path: Path_) -> bool:
    return get(data, path) is not _MISSING


def put(data: dict, path: Path_, value: Any) -> None:
    for index, part in enumerate(path[:-1]):
        following = path[index + 1]
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(data) <= part:
                data.append({})
            if not isinstance(data[part], (dict, list)):
                data[part] = empty
            data = data[part]
        else:
            if not isinstance(data.get(part), (dict, list)):
                data[part] = empty
            data = data[part]
    last = path[-1]
    if isinstance(last, int):
        while len(data) <= last:
            data.append(None)
    data[last] = value


def remove(data: Any, path: Path_) -> bool:
    parent = get(data, path[:-1]) if len(path) > 1 else data
    last = path[-1]
    if isinstance(last, int):
        if isinstance(parent, list) and last < len(parent):
            del parent[last]
            return True
    elif isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    return False


def _drop_empty_parents(data: dict, path: Path_) -> None:
    """After a removal, drop dicts left empty on the way (``lawyer: {}`` must not stay)."""
    for cut in range(len(path) - 1, 0, -1):
        parent = get(data, path[:cut])
        if isinstance(parent, dict) and not parent and not isinstance(path[cut - 1], int):
            remove(data, path[:cut])
        else:
            break


def ordered(value: Any, annotation: Any) -> Any:
    """The answers with keys in the model's field order (a stable, readable file)."""
    model = model_of(annotation)
    if model is not None and isinstance(value, dict):
        out = {}
        for name, info in model.model_fields.items():
            if name in value:
                out[name] = ordered(value[name], info.annotation)
        for name in value:
            if name not in out:
                out[name] = value[name]
        return out
    from docassemble_asylum.questions.fields import list_item

    item = list_item(annotation)
    if item is not None and isinstance(value, list):
        return [ordered(v, item) for v in value]
    return value


class State:
    def __init__(self, interview: Interview, model: type[BaseModel], answers: dict | None = None):
        self.interview = interview
        self.model = model
        self.answers: dict = answers if answers is not None else {}
        self.closed: set[Path_] = set()  # groups the user said were complete

    # ------------------------------------------------------------ fields

    def ref(self, question: ResolvedQuestion, bindings: dict[str, int] | None = None) -> FieldRef:
        """The field a question fills, read through the union member its answers chose."""
        return field_ref(self.model, question.field, lambda template: self.lookup(template, bindings or {}))

    def lookup(self, template: str, bindings: dict[str, int]) -> Any:
        try:
            path = bind(template, bindings)
        except KeyError:
            return None
        value = get(self.answers, path)
        return None if value is _MISSING else value

    @functools.cached_property
    def functions(self) -> dict[str, Callable[..., Any]]:
        out = {}
        for name, target in self.interview.functions.items():
            module, function = target.split(":")
            out[name] = getattr(importlib.import_module(module), function)
        return out

    def suggested(self, expression: str, bindings: dict[str, int]) -> Any:
        """The value of a question's ``suggest:`` on the answers so far (None: nothing to suggest)."""
        return conditions.value_of(expression, lambda name: self.lookup(name, bindings), self.functions)

    def applies(self, when: str | None, bindings: dict[str, int]) -> bool:
        if not when:
            return True
        return conditions.evaluate(when, lambda name: self.lookup(name, bindings), self.functions)

    def set(self, path: Path_, value: Any) -> None:
        put(self.answers, path, value)
        self.derive()

    def delete(self, path: Path_) -> None:
        if remove(self.answers, path):
            _drop_empty_parents(self.answers, path)

    def derive(self) -> None:
        """Fill the derived fields that are part of the answers (``derived: field + compute``)."""
        for item in self.interview.derived:
            if not (item.field and item.compute):
                continue
            if not all(present(self.answers, tuple(split(name))) for name in item.from_):
                continue
            module, function = item.compute.split(":")
            compute: Callable[[dict], Any] = getattr(importlib.import_module(module), function)
            value = compute(self.answers)
            path = tuple(split(item.field))
            if value is None:
                self.delete(path)
            else:
                put(self.answers, path, value)

    # ------------------------------------------------------------ the walk

    def walk(self, prune: bool = True, all_closed: bool = False) -> list[Node]:
        """The interview's steps for the current answers, in order.

        With ``prune``, answers to questions that do not apply are removed (unless another
        question that applies fills the same field), and the walk is done again until
        nothing changes: a removed answer may turn other conditions off.
        """
        for _round in range(50):
            nodes: list[Node] = []
            dropped: list[Path_] = []
            for section in self.interview.sections:
                applicable: list[ResolvedQuestion] = []
                for question in section.questions:
                    if self.applies(question.when, {}):
                        applicable.append(question)
                    else:
                        dropped.append(bind(question.field, {}))
                for position, question in enumerate(applicable, start=1):
                    self._walk_question(question, {}, section, position, len(applicable), (), nodes, dropped, all_closed)
            if not prune:
                return nodes
            kept = {node.path for node in nodes}
            removable = [p for p in dropped if p not in kept and present(self.answers, p)]
            if not removable:
                return nodes
            for path in removable:
                self.delete(path)
        raise RuntimeError("the conditions of the question set do not settle")  # pragma: no cover

    def _walk_question(self, question, bindings, section, position, total, items, nodes, dropped, all_closed):
        path = bind(question.field, bindings)
        common = dict(bindings=dict(bindings), section=section, position=position, total=total, items=items)
        if not question.is_group:
            nodes.append(Node("ask", question, path, answered=present(self.answers, path), **common))
            return
        value = get(self.answers, path)
        found = isinstance(value, list)
        if value is not _MISSING and not found:
            dropped.append(path)  # not a list: asked again
        header = Node("group", question, path, answered=found, **common)
        nodes.append(header)
        scalar = question.questions[0].field == question.field + f"[{question.index}]"
        if found:
            for number in range(len(value)):
                inner = {**bindings, question.index: number}
                inner_items = (*items, (question, number))
                if scalar:
                    child = question.questions[0]
                    nodes.append(
                        Node("ask", child, path + (number,), answered=value[number] is not None,
                             **{**common, "bindings": inner, "items": inner_items})
                    )
                    continue
                for child in question.questions:
                    if self.applies(child.when, inner):
                        self._walk_question(child, inner, section, position, total, inner_items, nodes, dropped, all_closed)
                    else:
                        dropped.append(bind(child.field, inner))
        count = len(value) if found else 0
        is_open = not found or (path not in self.closed and not all_closed)
        if is_open and (question.max is None or count < question.max):
            nodes.append(Node("add", question, path, first=not found, **common))
        header.end = len(nodes)

    def next_step(self) -> Node | None:
        for node in self.walk():
            if node.kind == "add" or (node.kind == "ask" and not node.answered):
                return node
        return None

    def infer_closed(self) -> None:
        """After a resume: a group is complete if something after it was already answered."""
        nodes = self.walk(all_closed=True)
        answered = [i for i, n in enumerate(nodes) if n.kind == "ask" and n.answered]
        last = answered[-1] if answered else -1
        for node in nodes:
            if node.kind == "group" and node.answered and node.end <= last:
                self.closed.add(node.path)

    def node_for(self, loc: Path_, nodes: list[Node] | None = None) -> Node | None:
        """The question that can fix a problem located at ``loc`` (a pydantic location)."""
        nodes = nodes if nodes is not None else self.walk(prune=False)
        loc = tuple(loc)
        for node in nodes:
            if node.kind in ("ask", "group") and node.path == loc:
                return node
        for cut in range(len(loc), 0, -1):
            for node in nodes:
                if node.kind == "ask" and node.path[:cut] == loc[:cut]:
                    return node
        return None

    def output(self) -> dict:
        return ordered(self.answers, self.model)
