"""Does a question set match its procedure's answers model? (used by the meta-tests)

``problems(interview, model)`` lists, in plain English for developers:

- a question whose field does not exist in the model, or whose type does not fit the
  field (a date question on a text field, choices that differ from the model's values);
- a required model field (no default) that no question asks and that is not ``derived``;
  inside an optional block or a list item that is asked, its required fields too;
- an optional question (``required: false``) on a field without a default;
- a ``when`` or ``default_from`` that reads a field no earlier question asks, or compares
  a choice with a value it does not offer;
- a ``derived`` entry that names a missing field, or a derived field that is asked;
- a group whose min/max contradicts the model's list constraints.
"""

from __future__ import annotations

import importlib

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ValidationError

from docassemble_asylum.questions import conditions
from docassemble_asylum.questions.fields import (
    UnknownField,
    choose,
    field_ref,
    field_refs,
    list_item,
    models_of,
    literal_values,
    model_of,
    required_paths,
    split,
)
from docassemble_asylum.questions.loader import Interview, ResolvedQuestion

TYPE_KINDS = {
    "text": {"str"},
    "long_text": {"str"},
    "date": {"date"},
    "time": {"time"},
    "yes_no": {"bool"},
    "number": {"number"},
    "file": {"str"},
    "choice": {"literal", "str"},
    "group": {"list"},
}


def _lenient_exists(model: type[BaseModel], dotted_path: str) -> bool:
    """A dotted path through nested models and lists (list items need no index here)."""
    annotation = model
    for part in dotted_path.split("."):
        while list_item(annotation) is not None:
            annotation = list_item(annotation)
        holder = next((m for m in models_of(annotation) if part in m.model_fields), None)
        if holder is None:
            return False
        annotation = holder.model_fields[part].annotation
    return True


def _containers(template: str) -> list[str]:
    """Every prefix of a path that may be a model: ``a.b[i].c`` -> ``a``, ``a.b[i]``."""
    parts = split(template)
    out = []
    text = ""
    for part in parts[:-1]:
        text = text + part if part.startswith("[") or not text else f"{text}.{part}"
        out.append(text)
    return out


def problems(interview: Interview, model: type[BaseModel]) -> list[str]:
    found: list[str] = []
    questions = list(interview.questions())
    asked = {q.field for q in questions}
    derived_fields = {d.field for d in interview.derived if d.field}

    covered: set[tuple[str, tuple]] = set()  # (field, union members chosen on the way)
    # Each question: its field exists and fits its type.
    for q in questions:
        where = f"{q.id} ({q.field})"
        try:
            ref = choose(field_refs(model, q.field), _assumed(q.when))
        except UnknownField as exc:
            found.append(f"{where}: no such field in {model.__name__}: {exc}")
            continue
        for reading in ref.merged or (ref,):
            covered.add((q.field, reading.branches))
        field_kind = ref.kind
        if field_kind not in TYPE_KINDS[q.type]:
            found.append(f"{where}: a {q.type} question cannot fill a field of kind {field_kind}")
            continue
        if q.type == "choice":
            offered = [c.value for c in q.choices]
            allowed = literal_values(ref.annotation)
            if field_kind == "literal" and set(map(repr, offered)) != set(map(repr, allowed)):
                found.append(f"{where}: choices {offered} differ from the model's values {list(allowed)}")
        if q.type == "group":
            item = list_item(ref.annotation)
            scalar = q.questions and q.questions[0].field == f"{q.field}[{q.index}]"
            if model_of(item) is None and not scalar:
                found.append(f"{where}: the items are plain values: the group needs one question with field: .")
            if model_of(item) is not None and scalar:
                found.append(f"{where}: the items are groups of answers, not plain values")
            if ref.info is not None:
                for constraint in ref.info.metadata:
                    if isinstance(constraint, MinLen) and q.min < constraint.min_length:
                        found.append(f"{where}: min {q.min} is below the model's minimum {constraint.min_length}")
                    if isinstance(constraint, MaxLen) and (q.max is None or q.max > constraint.max_length):
                        found.append(f"{where}: max {q.max} is above the model's maximum {constraint.max_length}")
        if not q.required and ref.required and q.default is None:
            found.append(f"{where}: optional question, but the field has no default")
        if q.default is not None and q.default != "today":
            try:
                ref.validate(q.default)
            except ValidationError as exc:
                found.append(f"{where}: default {q.default!r} is not valid: {exc.errors()[0]['msg']}")
        if q.field in derived_fields:
            found.append(f"{where}: this field is derived: the interview must not ask it")

    # Conditions and default_from read answers asked before.
    found += _order_problems(interview)

    # Required fields are asked or derived, in the model and in every block that is asked
    # (for a union of models, each member's required fields, asked in that member's case).
    containers: dict[str, list[type[BaseModel]]] = {"": [model]}
    for field in asked:
        for prefix in _containers(field):
            try:
                held = models_of(field_ref(model, prefix).annotation)
            except UnknownField:
                continue
            if held:
                containers[prefix] = held
    for container, held in sorted(containers.items()):
        for member in held:
            for path in required_paths(member):
                full = f"{container}.{path}" if container else path
                if full in derived_fields:
                    continue
                if len(held) == 1:
                    ok = full in asked
                else:
                    ok = any(f == full and any(b == (container, member) for b in branches) for f, branches in covered)
                if not ok:
                    case = f" (when it is a {member.__name__})" if len(held) > 1 else ""
                    found.append(f"{full}: required by {model.__name__}{case} but never asked (and not derived)")

    # Derived entries.
    for item in interview.derived:
        for name in item.from_:
            if not _lenient_exists(model, name):
                found.append(f"derived {item.name!r}: from {name}: no such field in {model.__name__}")
        if item.field:
            try:
                ref = field_ref(model, item.field)
            except UnknownField as exc:
                found.append(f"derived {item.name!r}: {exc}")
                continue
            if ref.required and not item.compute:
                found.append(f"derived {item.name!r}: {item.field} is required: give compute")
        if item.compute:
            module, function = item.compute.split(":")
            try:
                getattr(importlib.import_module(module), function)
            except (ImportError, AttributeError):
                found.append(f"derived {item.name!r}: compute {item.compute} cannot be imported")
    for name, target in interview.functions.items():
        module, function = target.split(":")
        try:
            getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):
            found.append(f"function {name}: {target} cannot be imported")
    return found


def _assumed(when: str | None):
    """What a condition takes for granted (``a == "x"`` joined by ``and``): it picks union members."""
    known: dict[str, object] = {}

    def walk(node):
        if isinstance(node, conditions.BoolOp) and node.op == "and":
            for item in node.operands:
                walk(item)
        elif isinstance(node, conditions.Compare) and node.op == "==":
            if isinstance(node.left, conditions.Name) and isinstance(node.right, conditions.Literal):
                known[node.left.path] = node.right.value

    if when:
        walk(conditions.parse(when))
    return known.get


def _order_problems(interview: Interview) -> list[str]:
    found: list[str] = []
    by_field: dict[str, ResolvedQuestion] = {}
    for q in interview.questions():
        reads = []
        if q.when:
            reads += [(name, "when") for name in conditions.names(q.when)]
        if q.default_from:
            reads.append((q.default_from, "default_from"))
        if q.suggest:
            reads += [(name, "suggest") for name in conditions.names(q.suggest)]
        for name, key in reads:
            earlier = by_field.get(name)
            if key == "when" and name == q.field:
                # Its own answer: a question no longer asked in a case keeps an answer an
                # older answers file gives (``... or legal_aid.decision_notified_on != null``).
                continue
            if earlier is None:
                found.append(f"{q.id}: {key} reads {name}, which no earlier question asks")
                continue
        if q.when:
            for name, value in conditions.literals_compared(q.when):
                earlier = by_field.get(name)
                if earlier is None:
                    continue
                if earlier.type == "choice" and value not in [c.value for c in earlier.choices]:
                    found.append(f"{q.id}: when compares {name} with {value!r}, which is not one of its choices")
                if earlier.type == "yes_no" and value not in (True, False):
                    found.append(f"{q.id}: when compares the yes/no answer {name} with {value!r}")
        for name in conditions.names(q.when) if q.when else []:
            earlier = by_field.get(name)
            if earlier is not None and earlier.type == "group" and f"count({name})" not in q.when:
                found.append(f"{q.id}: when reads the group {name}: use count({name})")
        by_field[q.field] = q
    return found


def translatable_texts(interview: Interview) -> list[tuple[str, str]]:
    """(where, message id) for every text the interview shows."""
    out = [("title", interview.title), ("short_title", interview.short_title)]
    if interview.intro:
        out.append(("intro", interview.intro))
    for section in interview.sections:
        out.append((f"section {section.id}", section.title))
        if section.intro:
            out.append((f"section {section.id} intro", section.intro))
    for q in interview.questions():
        for key in ("label", "help", "item_label", "add_label", "another_label"):
            text = getattr(q, key)
            if text:
                out.append((f"{q.id} {key}", text))
        for choice in q.choices:
            out.append((f"{q.id} choice {choice.value}", choice.label))
    return out
