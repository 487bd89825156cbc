"""Field paths of an answers model: find a field's type, validate one answer by it.

A path template is a dotted path whose list items carry an index variable
(``exhibits[i].title``); a concrete path is a tuple of keys and item numbers
(``("exhibits", 1, "title")``), as pydantic's error locations are.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from dataclasses import dataclass
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[a-z]\])*)")


def split(template: str) -> list[str]:
    """``a.b[i].c`` -> ``["a", "b", "[i]", "c"]``."""
    parts: list[str] = []
    for piece in template.split("."):
        match = _PART.fullmatch(piece)
        if not match:
            raise ValueError(f"not a field path: {template!r}")
        parts.append(match.group(1))
        parts += re.findall(r"\[[a-z]\]", match.group(2))
    return parts


def bind(template: str, bindings: dict[str, int]) -> tuple[str | int, ...]:
    """The concrete path of a template for the given item numbers (0-based)."""
    out: list[str | int] = []
    for part in split(template):
        if part.startswith("["):
            out.append(bindings[part[1:-1]])
        else:
            out.append(part)
    return tuple(out)


def dotted(path: tuple[str | int, ...]) -> str:
    """("exhibits", 1, "title") -> "exhibits[1].title"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without Annotated and Optional, whether None is allowed)."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
            if len(args) < len(get_args(annotation)):
                annotation = Union[tuple(args)]
        return annotation, optional


def members(annotation: Any) -> list[Any]:
    """The alternatives of a union (each unwrapped), or the type itself."""
    base, _ = _unwrap(annotation)
    if get_origin(base) in (Union, types.UnionType):
        out = []
        for arg in get_args(base):
            out += members(arg)
        return out
    return [base]


def kind(annotation: Any) -> str:
    """str, bool, number, date, time, literal, list, model, union or other: what question type fits."""
    kinds = {_kind(m) for m in members(annotation)}
    if len(kinds) == 1:
        return kinds.pop()
    return "union"


def _kind(base: Any) -> str:
    if get_origin(base) is Literal:
        return "literal"
    if get_origin(base) is list:
        return "list"
    if isinstance(base, type):
        if issubclass(base, BaseModel):
            return "model"
        if issubclass(base, bool):
            return "bool"
        if issubclass(base, (int, float)):
            return "number"
        if issubclass(base, dt.datetime):
            return "other"
        if issubclass(base, dt.date):
            return "date"
        if issubclass(base, dt.time):
            return "time"
        if issubclass(base, str):
            return "str"
    return "other"


def literal_values(annotation: Any) -> tuple[Any, ...]:
    values: list[Any] = []
    for member in members(annotation):
        if get_origin(member) is Literal:
            values += [v for v in get_args(member) if v not in values]
    return tuple(values)


def allows_none(annotation: Any) -> bool:
    return _unwrap(annotation)[1]


def list_item(annotation: Any) -> Any | None:
    base, _ = _unwrap(annotation)
    if get_origin(base) is list:
        return get_args(base)[0]
    return None


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The model of a field holding one model (optional or not); None for a union of models."""
    found = models_of(annotation)
    return found[0] if len(found) == 1 else None


def models_of(annotation: Any) -> list[type[BaseModel]]:
    """Every model a field may hold: one, or the alternatives of a union (companion: lawyer | association)."""
    found = [m for m in members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    return found if len(found) == len(members(annotation)) else []


def full_annotation(info: FieldInfo) -> Any:
    """The field's type with its constraints and validators (what pydantic checks)."""
    if info.metadata:
        return Annotated[(info.annotation, *info.metadata)]
    return info.annotation


@dataclass(frozen=True)
class FieldRef:
    template: str
    annotation: Any
    info: FieldInfo | None  # None for an item of a list
    parent: type[BaseModel] | None
    # For a path through a union of models: (template of the union field, the member taken).
    branches: tuple[tuple[str, type[BaseModel]], ...] = ()
    merged: tuple[FieldRef, ...] = ()

    @property
    def required(self) -> bool:
        if self.merged:
            return any(r.required for r in self.merged)
        return self.info is None or self.info.is_required()

    @property
    def kind(self) -> str:
        return kind(self.annotation)

    @property
    def adapter(self) -> TypeAdapter:
        return _adapter(self.annotation)

    def empty_value(self) -> Any:
        """What an unanswered optional question stores: the model's default, as JSON."""
        if self.required:
            raise ValueError(f"{self.template} has no default")
        source = self.merged[0] if self.merged else self
        return self.adapter.dump_python(source.info.get_default(call_default_factory=True), mode="json")

    def validate(self, value: Any) -> Any:
        """The JSON form of a valid answer, as an answers file holds it; raises ValidationError.

        The normalised form is kept when the field accepts it back (dates, cleaned text);
        otherwise what was typed (a time "09:30" is dumped as "09:30:00", which the time
        field of an answers file does not read).
        """
        parsed = self.adapter.validate_python(value)
        dumped = self.adapter.dump_python(parsed, mode="json")
        try:
            if self.adapter.validate_python(dumped) == parsed:
                return dumped
        except ValueError:
            pass
        return value


_ADAPTERS: dict[int, tuple[Any, TypeAdapter]] = {}


def _adapter(annotation: Any) -> TypeAdapter:
    key = id(annotation)
    cached = _ADAPTERS.get(key)
    if cached is None or cached[0] is not annotation:
        cached = (annotation, TypeAdapter(annotation))
        _ADAPTERS[key] = cached
    return cached[1]


class UnknownField(LookupError):
    pass


@functools.lru_cache(maxsize=4096)
def field_refs(model: type[BaseModel], template: str) -> tuple[FieldRef, ...]:
    """Every way a path template can be read in ``model``: one, or one per union member crossed."""
    states: list[tuple[Any, FieldInfo | None, type[BaseModel] | None, tuple]] = [(model, None, None, ())]
    walked: list[str] = []
    for part in split(template):
        here = ".".join(walked).replace(".[", "[")
        following = []
        for annotation, info, parent, branches in states:
            if part.startswith("["):
                item = list_item(annotation)
                if item is not None:
                    following.append((item, None, None, branches))
                continue
            choices = models_of(annotation)
            for current in choices:
                if part in current.model_fields:
                    taken = branches + ((here, current),) if len(choices) > 1 else branches
                    following.append((full_annotation(current.model_fields[part]), current.model_fields[part], current, taken))
        if not following:
            if part.startswith("["):
                raise UnknownField(f"{here or template} is not a list, but {template} uses it as one")
            raise UnknownField(f"{template}: {here or model.__name__} has no field {part!r}")
        states = following
        walked.append(part)
    return tuple(FieldRef(template, a, i, p, b) for a, i, p, b in states)


def _merge(refs: list[FieldRef]) -> FieldRef:
    annotations: list[Any] = []
    for ref in refs:
        if all(ref.annotation is not a for a in annotations):
            annotations.append(ref.annotation)
    annotation = annotations[0] if len(annotations) == 1 else Union[tuple(annotations)]
    first = refs[0]
    return FieldRef(first.template, annotation, first.info, first.parent, (), tuple(refs))


def _branch_matches(container: str, member: type[BaseModel], lookup: Callable[[str], Any], asked: str) -> bool:
    """A union member fits the answers if each of its one-value fields (a tag) agrees with them.

    The tag being asked itself does not count: changing ``companion.kind`` must stay possible.
    """
    for name, info in member.model_fields.items():
        values = literal_values(info.annotation)
        path = f"{container}.{name}" if container else name
        if len(values) == 1 and path != asked:
            given = lookup(path)
            if given is not None and given != values[0]:
                return False
    return True


def choose(refs: tuple[FieldRef, ...], lookup: Callable[[str], Any]) -> FieldRef:
    """The reading of a path that fits the answers (``lookup(template)``), or all readings merged."""
    if len(refs) == 1:
        return refs[0]
    asked = refs[0].template
    kept = [r for r in refs if all(_branch_matches(c, m, lookup, asked) for c, m in r.branches)] or list(refs)
    return kept[0] if len(kept) == 1 else _merge(kept)


def field_ref(model: type[BaseModel], template: str, lookup: Callable[[str], Any] | None = None) -> FieldRef:
    """The field a path template names in ``model``, or UnknownField saying where it breaks.

    Through a union of models (a discriminated ``companion``), ``lookup`` gives the answers
    that pick the member (``companion.kind``); without it every member's reading is merged.
    """
    return choose(field_refs(model, template), lookup or (lambda _path: None))


def is_union_tag(model: type[BaseModel], template: str) -> bool:
    """The field that says which member of a union of models applies (``companion.kind``)."""
    refs = field_refs(model, template)
    return len(refs) > 1 and all(len(literal_values(r.annotation)) == 1 for r in refs)


def normalize_loc(model: type[BaseModel], loc: tuple) -> tuple:
    """A pydantic error location without the tags of unions (``companion.lawyer.email`` -> ``companion.email``)."""
    out: list[Any] = []
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            annotation = list_item(annotation) or annotation
            out.append(part)
            continue
        choices = models_of(annotation)
        holder = next((m for m in choices if part in m.model_fields), None)
        if holder is None:
            if len(choices) > 1:
                continue  # a union's tag
            out.append(part)
            annotation = None
            continue
        out.append(part)
        annotation = holder.model_fields[part].annotation
    return tuple(out)


def required_paths(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[str]:
    """Every field of ``model`` that must be given (no default), nested models included.

    A required nested model contributes its own required fields instead of itself (for a
    union of models, the required fields of every member); list and optional fields have
    defaults and are not listed.
    """
    out: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        if not info.is_required():
            continue
        inner = models_of(info.annotation)
        if inner and not allows_none(info.annotation) and depth < 8:
            for member in inner:
                out += [p for p in required_paths(member, path, depth + 1) if p not in out]
        else:
            out.append(path)
    return out
