"""Load a question set, expand its shared blocks, and resolve every path to the model's.

The resolved form (``Interview``) is what the terminal runner asks and what the
docassemble generator should read (``load("cnda-appeal").model_dump()``):

- includes are expanded: a block's questions appear in place, with ids
  ``<include id>.<question id>`` and fields under the include's prefix;
- every ``field`` is an absolute path in the answers model; items of a repeated group
  are written with an index variable, as docassemble does: the group ``exhibits`` has
  ``index: i`` and its questions fill ``exhibits[i].title``; a nested group uses ``j``,
  then ``k``; a group over plain values fills ``applicant.other_names[i]`` itself;
- every ``when`` is absolute too, and already includes the conditions of its section and
  of the includes around it (the condition of a group's own questions does not repeat the
  group's condition: they are only asked inside the group);
- ``default_from`` and the names of ``suggest`` are absolute.

Paths in the YAML are relative to their scope: the set (absolute), an include's
``prefix``, or the item of the enclosing group. ``root.`` at the start of a name in a
``when`` or ``default_from`` makes it absolute from anywhere.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from docassemble_asylum import yamlio
from docassemble_asylum.questions import conditions
from docassemble_asylum.questions.schema import (
    Block,
    Checkpoint,
    Choice,
    Derived,
    Include,
    Question,
    QuestionSet,
    QuestionType,
    Scalar,
)

INDEX_VARIABLES = "ijklmn"


class QuestionSetError(ValueError):
    """A question set or block that cannot be used; the message names the file."""


class ResolvedQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    section: str
    field: str
    type: QuestionType
    label: str
    help: str = ""
    choices: tuple[Choice, ...] = ()
    when: str | None = None
    default: Scalar | None = None
    default_from: str | None = None
    suggest: str | None = None
    required: bool = True
    # Groups only.
    index: str | None = None
    min: int = 0
    max: int | None = None
    item_label: str = ""
    add_label: str = ""
    another_label: str = ""
    questions: tuple[ResolvedQuestion, ...] = ()
    source: str = ""
    # In a group's item: the index variable of that group when the previous item's answer
    # is the suggested answer (the group's carry_over), else None.
    carry_from: str | None = None

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def walk(self) -> Iterator[ResolvedQuestion]:
        yield self
        for child in self.questions:
            yield from child.walk()


class ResolvedSection(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    intro: str = ""
    when: str | None = None
    questions: tuple[ResolvedQuestion, ...]


class Interview(BaseModel):
    model_config = ConfigDict(frozen=True)

    procedure: str
    title: str
    short_title: str
    intro: str = ""
    sections: tuple[ResolvedSection, ...]
    derived: tuple[Derived, ...] = ()
    functions: dict[str, str] = {}
    checkpoints: tuple[Checkpoint, ...] = ()

    def questions(self) -> Iterator[ResolvedQuestion]:
        """Every question, groups and their questions included, in the order asked."""
        for section in self.sections:
            for question in section.questions:
                yield from question.walk()

    def by_field(self) -> dict[str, list[ResolvedQuestion]]:
        out: dict[str, list[ResolvedQuestion]] = {}
        for q in self.questions():
            out.setdefault(q.field, []).append(q)
        return out


# ---------------------------------------------------------------- files


def interviews_dir() -> Path:
    from docassemble_asylum.resources import interviews_dir as shipped

    return shipped()


def question_set_paths(folder: Path | None = None) -> dict[str, Path]:
    """procedure name -> its question set file."""
    folder = folder or interviews_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yml"))}


def _read(path: Path, schema):
    try:
        raw = yamlio.load_path(path)
    except yamlio.YamlError as exc:
        raise QuestionSetError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise QuestionSetError(f"{path.name}: cannot be read ({exc.strerror})") from None
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in error["loc"] if p not in ("question", "include"))
            lines.append(f"  {loc or '(top)'}: {error['msg']}")
        raise QuestionSetError(f"{path.name}: not a valid {schema.__name__}:\n" + "\n".join(lines)) from None


def load_file(path: Path) -> QuestionSet:
    """The question set as written (validated by the schema), includes not expanded."""
    return _read(Path(path), QuestionSet)


def load_block(path: Path) -> Block:
    return _read(Path(path), Block)


# ---------------------------------------------------------------- resolution


def join(scope: str, relative: str) -> str:
    if relative == ".":
        return scope
    return f"{scope}.{relative}" if scope else relative


def _absolute(scope: str, name: str) -> str:
    if name.startswith("root."):
        return name[len("root."):]
    return join(scope, name)


def _resolve_condition(scope: str, text: str | None) -> str | None:
    if text is None:
        return None
    return conditions.rename(text, lambda name: _absolute(scope, name))


class _Resolver:
    def __init__(self, folder: Path, source: str):
        self.folder = folder
        self.source = source
        self.section = ""

    def entries(self, entries, scope: str, id_prefix: str, when: str | None, depth: int, stack: tuple[str, ...]):
        out: list[ResolvedQuestion] = []
        for entry in entries:
            if isinstance(entry, Include):
                out += self.include(entry, scope, id_prefix, when, depth, stack)
            else:
                out.append(self.question(entry, scope, id_prefix, when, depth, stack))
        return out

    def include(self, entry: Include, scope, id_prefix, when, depth, stack):
        path = (self.folder / entry.include).resolve()
        if entry.include in stack:
            raise QuestionSetError(f"{self.source}: blocks include each other: {' -> '.join((*stack, entry.include))}")
        if not path.is_file():
            raise QuestionSetError(f"{self.source}: included block {entry.include} does not exist")
        block = load_block(path)
        known = {e.id for e in block.questions if isinstance(e, Question)}
        unknown = set(entry.skip) - known
        if unknown:
            raise QuestionSetError(f"{self.source}: skip names no question of {entry.include}: {', '.join(sorted(unknown))}")
        inner_scope = join(scope, entry.prefix) if entry.prefix else scope
        include_id = entry.id or (entry.prefix.split(".")[-1] if entry.prefix else block.block)
        inner_when = conditions.conjunction(when, _resolve_condition(scope, entry.when))
        kept = [e for e in block.questions if not (isinstance(e, Question) and e.id in entry.skip)]
        outer_source = self.source
        self.source = f"{entry.include} (from {outer_source})"
        try:
            return self.entries(kept, inner_scope, f"{id_prefix}{include_id}.", inner_when, depth, (*stack, entry.include))
        finally:
            self.source = outer_source

    def question(self, q: Question, scope, id_prefix, when, depth, stack) -> ResolvedQuestion:
        field = join(scope, q.field)
        if not field:
            raise QuestionSetError(f"{self.source}: question {q.id} has field '.' outside a group")
        resolved_when = conditions.conjunction(when, _resolve_condition(scope, q.when))
        default_from = _absolute(scope, q.default_from) if q.default_from else None
        suggest = _resolve_condition(scope, q.suggest)
        children: tuple[ResolvedQuestion, ...] = ()
        index = None
        if q.type == "group":
            if depth >= len(INDEX_VARIABLES):
                raise QuestionSetError(f"{self.source}: groups nested too deeply at {q.id}")
            index = INDEX_VARIABLES[depth]
            item_scope = f"{field}[{index}]"
            children = tuple(self.entries(q.questions, item_scope, f"{id_prefix}{q.id}.", None, depth + 1, stack))
            carried = {join(item_scope, name) for name in q.carry_over}
            unknown = carried - {child.field for child in children}
            if unknown:
                raise QuestionSetError(f"{self.source}: {q.id}: carry_over names no question of the item: {', '.join(sorted(unknown))}")
            children = tuple(c.model_copy(update={"carry_from": index}) if c.field in carried else c for c in children)
        return ResolvedQuestion(
            id=f"{id_prefix}{q.id}",
            section=self.section,
            field=field,
            type=q.type,
            label=q.label,
            help=q.help,
            choices=tuple(q.choices),
            when=resolved_when,
            default=q.default,
            default_from=default_from,
            suggest=suggest,
            required=q.required,
            index=index,
            min=q.min,
            max=q.max,
            item_label=q.item_label,
            add_label=q.add_label,
            another_label=q.another_label,
            questions=children,
            source=self.source,
        )


def resolve(question_set: QuestionSet, folder: Path, source: str = "") -> Interview:
    resolver = _Resolver(folder, source or f"{question_set.procedure}.yml")
    sections = []
    section_ids: set[str] = set()
    for section in question_set.sections:
        if section.id in section_ids:
            raise QuestionSetError(f"{resolver.source}: two sections have the id {section.id}")
        section_ids.add(section.id)
        resolver.section = section.id
        questions = resolver.entries(section.questions, "", "", section.when, 0, ())
        sections.append(
            ResolvedSection(id=section.id, title=section.title, intro=section.intro, when=section.when, questions=tuple(questions))
        )
    interview = Interview(
        procedure=question_set.procedure,
        title=question_set.title,
        short_title=question_set.short_title,
        intro=question_set.intro,
        sections=tuple(sections),
        derived=tuple(question_set.derived),
        functions=dict(question_set.functions),
        checkpoints=tuple(question_set.checkpoints),
    )
    seen_ids: set[str] = set()
    by_field: dict[str, list[ResolvedQuestion]] = {}
    for question in interview.questions():
        if question.id in seen_ids:
            raise QuestionSetError(f"{resolver.source}: two questions have the id {question.id}")
        seen_ids.add(question.id)
        by_field.setdefault(question.field, []).append(question)
        for key, text in (("when", question.when), ("suggest", question.suggest)):
            for function in conditions.functions_called(text) if text else []:
                if function not in interview.functions:
                    raise QuestionSetError(f"{resolver.source}: {question.id}: {key} calls {function}(), not declared under functions:")
    for field, questions in by_field.items():
        # One field, several questions: only with conditions (e.g. the lawyer's e-mail, required,
        # and an association's, optional), each asked in its own case.
        if len(questions) > 1 and not all(q.when for q in questions):
            raise QuestionSetError(
                f"{resolver.source}: {', '.join(q.id for q in questions)} all fill {field}: give each a when"
            )
    _check_checkpoints(interview, resolver.source)
    return interview


def _check_checkpoints(interview: Interview, source: str) -> None:
    """Each checkpoint names questions (or a group) of this set: a misspelt path must not
    silently never bring its verdict."""
    import re

    fields = {re.sub(r"\[[a-z]\]", "", q.field): q for q in interview.questions()}
    for checkpoint in interview.checkpoints:
        named = [*checkpoint.after, *(c.field for c in checkpoint.changed_by)]
        for name in named:
            if name not in fields:
                raise QuestionSetError(f"{source}: checkpoint {checkpoint.id}: {name} is the field of no question")
        if checkpoint.after_item is not None and not (
            checkpoint.after_item in fields and fields[checkpoint.after_item].is_group
        ):
            raise QuestionSetError(f"{source}: checkpoint {checkpoint.id}: after_item {checkpoint.after_item} is not a group")


def load_path(path: Path) -> Interview:
    path = Path(path)
    question_set = load_file(path)
    if question_set.procedure != path.stem:
        raise QuestionSetError(f"{path.name}: procedure is {question_set.procedure!r}, the file name says {path.stem!r}")
    return resolve(question_set, path.parent, path.name)


@functools.cache
def load(procedure: str) -> Interview:
    """The resolved question set of a procedure (cached)."""
    paths = question_set_paths()
    if procedure not in paths:
        raise QuestionSetError(f"no question set for {procedure} in {interviews_dir()}")
    return load_path(paths[procedure])
