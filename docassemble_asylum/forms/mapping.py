"""Which answer goes into which PDF field: data, not code.

A mapping file sits next to its form (``templates/forms/<form>.mapping.yaml``) and says,
for every field, where its value comes from in the *form data* a procedure prepares
(plain dicts and lists: the answers, plus a ``computed`` block of French wordings). When
the official family-situation form is obtained, mapping it is a new PDF and a new
mapping file; no code changes. ``asylumdocs form fields`` lists a PDF's field names,
types and on-states to help write one.

Groups repeat a block of fields over a list (``children1_…``, ``children2_…``): items
beyond the form's slots are not dropped, they become addendum sections.

A text value the field's font cannot show (Arabic, Cyrillic…) is replaced by the
``latin`` spelling the mapping names, which the user gave; without one, the value is
reported as a problem located at the answer it came from, never written as ``?``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docassemble_asylum import yamlio


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Paths = str | list[str]


class FieldRule(_Strict):
    """How one PDF field is filled.

    ``value`` is a path into the form data, or a list of paths joined with ``join``.
    ``latin`` gives, part by part, the path of the Latin spelling to use when the field's
    font cannot show that part (``null`` for a part that has none).
    """

    value: Paths
    join: str = " "
    latin: Paths | list[str | None] | None = None
    upper: bool = False
    format: str | None = None
    checked_when: Any = None
    choices: dict[str, str] | None = None
    label: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "FieldRule":
        if self.checked_when is not None and self.choices is not None:
            raise ValueError("a field is a checkbox (checked_when) or a radio group (choices), not both")
        if self.latin is not None and len(self.latin_paths) != len(self.value_paths):
            raise ValueError("latin must give one path (or null) per value path")
        return self

    @property
    def value_paths(self) -> list[str]:
        return [self.value] if isinstance(self.value, str) else list(self.value)

    @property
    def latin_paths(self) -> list[str | None]:
        if self.latin is None:
            return [None] * len(self.value_paths)
        return [self.latin] if isinstance(self.latin, str) else list(self.latin)

    @property
    def kind(self) -> str:
        if self.checked_when is not None:
            return "checkbox"
        if self.choices is not None:
            return "radio"
        return "text"


class Group(_Strict):
    """A block of fields repeated for each item of a list in the form data."""

    items: str
    slots: int = Field(ge=1)
    prefix: str = Field(pattern=r"\{n\}")
    title: str = Field(pattern=r"\{n\}")
    fields: dict[str, FieldRule]
    more_field: str | None = None
    """A field of the form that says where the items beyond the slots are (annex points)."""
    more_text: str = "Suite : voir l'annexe, points {first} à {last}."
    more_text_one: str = "Suite : voir l'annexe, point {first}."


class FormMapping(_Strict):
    form: str
    status: str
    date_format: str = "%d/%m/%Y"
    addendum_title: str = "Annexe au formulaire"
    addendum_header: str = ""
    """Printed on every annex page: ``{name}`` and ``{ofpra}`` (who the form is about)."""
    addendum_closing: list[str] = Field(default_factory=list)
    """Lines after the last annex section (``{place}``, ``{date}``), then a signature box."""
    page_label: str = ""
    """Stamped on every page of the filled PDF, annex included: ``{page}`` and ``{pages}``."""
    unmapped: list[str] = Field(default_factory=list)
    """Fields of the PDF deliberately left for the person (a signature box, a stamp)."""
    fields: dict[str, FieldRule]
    groups: list[Group] = Field(default_factory=list)

    def pdf_field_names(self) -> set[str]:
        names = set(self.fields)
        names.update(group.more_field for group in self.groups if group.more_field)
        for group in self.groups:
            for n in range(1, group.slots + 1):
                names.update(group.prefix.format(n=n) + suffix for suffix in group.fields)
        return names


class MappingError(ValueError):
    """A mapping file the product refuses (a bug in the shipped data, not the user's)."""


@functools.cache
def load_mapping(path: Path) -> FormMapping:
    try:
        return FormMapping.model_validate(yamlio.load_path(path))
    except (yamlio.YamlError, ValidationError) as exc:
        raise MappingError(f"{Path(path).name}: {exc}") from None


# --- resolving values ----------------------------------------------------------------------

_MISSING = object()


def _get(data: Any, path: str) -> Any:
    current = data
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part, _MISSING)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is _MISSING:
            raise MappingError(f"the form data has no {path!r}")
        if current is None:
            return None
    return current


def _text(value: Any, rule: FieldRule, date_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(rule.format or date_format)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _location(base: tuple, path: str) -> tuple | None:
    """Where in the answers a path's value came from; None for the product's own wording."""
    parts = path.split(".")
    if "computed" in parts:
        return None
    return (*base, *(int(p) if p.isdigit() else p for p in parts))


@dataclass
class Part:
    """One piece of a text value: its text, where it came from, and its Latin spelling."""

    text: str
    source: tuple | None = None
    latin: str = ""
    latin_source: tuple | None = None


@dataclass
class Planned:
    """The value planned for one field."""

    field: str
    kind: str
    value: Any = None
    label: str = ""
    parts: list[Part] = field(default_factory=list)
    join: str = " "
    upper: bool = False

    def compose(self, pick: Callable[[Part], str]) -> str:
        text = self.join.join(pick(part) for part in self.parts)
        return text.upper() if self.upper else text


@dataclass
class Plan:
    fields: dict[str, Planned] = field(default_factory=dict)
    overflow: list[tuple[str, list[Planned]]] = field(default_factory=list)
    """Group items beyond the slots: (addendum heading, their values with labels)."""


def _resolve(name: str, rule: FieldRule, data: Any, base: tuple, date_format: str) -> Planned:
    paths = rule.value_paths
    if rule.kind == "checkbox":
        return Planned(name, "checkbox", _get(data, paths[0]) == rule.checked_when, rule.label)
    if rule.kind == "radio":
        raw = _get(data, paths[0])
        return Planned(name, "radio", rule.choices.get(str(raw)) if raw is not None else None, rule.label)
    parts = []
    for path, latin_path in zip(paths, rule.latin_paths):
        text = _text(_get(data, path), rule, date_format)
        if not text:
            continue
        latin = _text(_get(data, latin_path), rule, date_format) if latin_path else ""
        parts.append(Part(text, _location(base, path), latin, _location(base, latin_path) if latin_path else None))
    planned = Planned(name, "text", None, rule.label, parts, rule.join, rule.upper)
    planned.value = planned.compose(lambda part: part.text)
    return planned


def plan(mapping: FormMapping, data: Mapping[str, Any]) -> Plan:
    """Every field's value from ``data``; group items beyond the slots go to ``overflow``."""
    result = Plan()
    for name, rule in mapping.fields.items():
        result.fields[name] = _resolve(name, rule, data, (), mapping.date_format)
    for group in mapping.groups:
        items = _get(data, group.items) or []
        for number, item in enumerate(items, start=1):
            base = tuple(item.get("_path", ())) if isinstance(item, Mapping) else ()
            planned = [
                _resolve(group.prefix.format(n=number) + suffix, rule, item, base, mapping.date_format)
                for suffix, rule in group.fields.items()
            ]
            if number <= group.slots:
                result.fields.update((p.field, p) for p in planned)
            else:
                result.overflow.append((group.title.format(n=number), planned))
        beyond = len(items) - group.slots
        if group.more_field and beyond > 0:
            # The annex numbers the overflowing items first, group after group, in this order.
            last = len(result.overflow)
            first = last - beyond + 1
            text = (group.more_text if beyond > 1 else group.more_text_one).format(first=first, last=last)
            result.fields[group.more_field] = Planned(group.more_field, "text", text, "", [Part(text)])
    return result


@dataclass
class CoverageProblem:
    """A part of a value the form's font cannot show, and the answers to fix."""

    field: str
    source: tuple | None
    latin_source: tuple | None
    characters: str


@dataclass
class Resolved:
    values: dict[str, Any]
    sections: list[tuple[str, list[str]]]
    latin_used: list[Part]
    problems: list[CoverageProblem]


def resolve(the_plan: Plan, check: Callable[[str | None, str], str]) -> Resolved:
    """Choose, part by part, the original or the Latin spelling the field's font can show.

    ``check(field_or_None, text)`` returns the characters a field (None: the addendum)
    cannot show.
    """
    out = Resolved({}, [], [], [])

    def choose(planned: Planned, where: str | None) -> str | None:
        ok = True

        def pick(part: Part) -> str:
            nonlocal ok
            missing = check(where, part.text)
            if not missing:
                return part.text
            if part.latin and not check(where, part.latin):
                if part not in out.latin_used:
                    out.latin_used.append(part)
                return part.latin
            ok = False
            if not any(p.source == part.source and p.field == planned.field for p in out.problems):
                out.problems.append(CoverageProblem(planned.field, part.source, part.latin_source, missing))
            return ""

        text = planned.compose(pick)
        return text if ok else None

    for name, planned in the_plan.fields.items():
        if planned.kind == "text":
            chosen = choose(planned, name)
            if chosen is not None:
                out.values[name] = chosen
        else:
            out.values[name] = planned.value
    for heading, items in the_plan.overflow:
        lines = []
        for planned in items:
            if planned.kind == "checkbox":
                if planned.value and planned.label:
                    lines.append(planned.label)
            elif planned.kind == "text" and planned.value:
                chosen = choose(planned, None)
                if chosen is not None:
                    lines.append(f"{planned.label} : {chosen}")
        out.sections.append((heading, lines))
    return out
