"""The strict schema of a question set (``interviews/<procedure>.yml``) and of a shared block.

Question sets are data: the terminal interview asks them, and the docassemble package is
generated from them. Unknown keys are errors (a misspelt ``requried:`` must not vanish).
Texts are English message ids, translated through the ``questions`` gettext domain.

A question set::

    procedure: cnda-appeal            # = the file name, a procedure of procedures/MODULES
    title: Appeal to the CNDA         # text
    intro: ...                        # text, optional
    functions:                        # optional: functions conditions may call
      not_latin: docassemble_asylum.questions.predicates:not_latin
    derived:                          # what is never asked because it follows from answers
      - name: competent prefecture    # what it is (not translated)
        from: [registration.department, registration.date]   # model paths (lists implicit)
        by: docassemble_asylum.prefectures                    # what computes it
        field: some.path              # optional: when the value is a field of the model
        compute: module:function      # required with a required field: f(answers dict) -> value
    sections:
      - id: decision                  # identifier
        title: Decision               # text, short: shown as "[Décision 3/7]"
        intro: ...                    # text, optional, shown when the section starts
        when: <condition>             # optional, applies to all its questions
        questions: [<question or include>, ...]

A question::

    - id: received_on                 # identifier, unique in its scope
      field: decision.notification.received_on   # model path, relative to the scope
      type: date                      # text | long_text | date | time | yes_no | choice
                                      # | number | file | group
                                      # (file: a path in the terminal, an upload on
                                      # docassemble; the answer is the file's name or path)
      label: On what date ...?        # text
      help: ...                       # text, optional
      choices:                        # choice only: value = the model's value, label = text
        - {value: postal, label: By registered letter}
      when: decision.notification.method == "postal"   # condition on earlier answers
      default: today                  # a literal, or "today" for a date
      default_from: applicant.address.city             # or: another answer as suggestion
      suggest: overseas_postal_code(address.postal_code, address.country)
                                      # or: an expression of the condition language whose
                                      # value is the suggested answer (None: no suggestion),
                                      # for what follows from earlier answers but must be
                                      # confirmed (never set without asking)
      required: true                  # false: Enter leaves it empty (the model's default)

A repeated group (a list in the model) adds::

      type: group
      field: exhibits                 # the list
      item_label: Exhibit             # text: "Exhibit 2"
      add_label: Do you want to list documents ...?    # text, optional (asked if min: 0)
      another_label: Add another document?             # text, optional
      carry_over: [family_name, consulate]   # optional: answers of an item offered as the
                                      # suggested answers of the next item (fields relative
                                      # to the item: a household's shared facts)
      min: 0                          # the first `min` items come without the add question
      max: 50                         # optional
      questions: [...]                # fields relative to the item; for a list of plain
                                      # values (other names): one question with field: .

An include (``blocks/<name>.yml`` holds ``block: <name>`` and ``questions:``)::

    - include: blocks/person.yml
      prefix: applicant               # fields (and names in when) of the block go under it
      id: applicant                   # optional: id prefix of its questions (default: the
                                      # prefix's last name, else the block's name)
      when: <condition>               # optional, added to each of its questions
      skip: [other_names]             # optional: block questions left out

Early verdicts (``checkpoints:``, optional; paths absolute, lists without indexes)::

    checkpoints:
      - id: appeal_deadline
        label: Deadline to appeal            # text: what the verdict is about
        after: [decision.notification.received_on]   # or after_item: members (each item)
        verdict: docassemble_asylum.procedures.cnda_appeal:early_deadline
        changed_by:                         # later answers that can still change it
          - {field: legal_aid.status, reason: legal aid (a request in time suspends the period)}

Scopes: field paths and the names of ``when``/``default_from``/``suggest`` are relative to the
scope (the set, an include's prefix, the item of the enclosing group); ``root.`` makes a
name absolute. Conditions are parsed by ``conditions.py`` (never eval'd). One field may
be filled by several questions only if each has a ``when`` (a lawyer's e-mail and an
association's). ``loader.py`` resolves all this into absolute paths (``exhibits[i].title``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from docassemble_asylum.questions import conditions

IDENTIFIER = r"[a-z][a-z0-9_]*"
FIELD_PATH = rf"{IDENTIFIER}(?:\.{IDENTIFIER})*"
QuestionType = Literal["text", "long_text", "date", "time", "yes_no", "choice", "number", "file", "group"]
TRANSLATABLE_KEYS = ("title", "short_title", "intro", "label", "help", "item_label", "add_label", "another_label", "reason")

Identifier = Annotated[str, Field(pattern=rf"^{IDENTIFIER}$")]
FieldPath = Annotated[str, Field(pattern=rf"^(?:{FIELD_PATH}|\.)$")]
Prefix = Annotated[str, Field(pattern=rf"^(?:{FIELD_PATH})?$")]
Text = Annotated[str, Field(min_length=1)]
Scalar = str | bool | int | float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_condition(value: str | None) -> str | None:
    if value is not None:
        try:
            conditions.parse(value)
        except conditions.ConditionError as exc:
            raise ValueError(str(exc)) from None
    return value


class Choice(_Strict):
    value: Scalar
    label: Text


class Question(_Strict):
    """One question, or (``type: group``) a repeated group of questions."""

    id: Identifier
    # Dotted path in the procedure's answers model, relative to the scope (the set, the
    # include's prefix, or the item of the enclosing group). "." = the item itself, for a
    # group over a list of plain values (other names).
    field: FieldPath
    type: QuestionType
    label: Text
    help: str = ""
    choices: list[Choice] = Field(default_factory=list)
    when: str | None = None
    # A literal default, or "today" for a date; default_from: the answer to another field.
    default: Scalar | None = None
    default_from: str | None = None
    # An expression (conditions.py) whose value is the suggested answer, asked and confirmed.
    suggest: str | None = None
    required: bool = True
    # Groups only.
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=1)
    item_label: str = ""
    add_label: str = ""
    another_label: str = ""
    carry_over: list[FieldPath] = Field(default_factory=list)
    questions: list[Entry] = Field(default_factory=list)

    @field_validator("when")
    @classmethod
    def _when(cls, value: str | None) -> str | None:
        return _check_condition(value)

    @field_validator("suggest")
    @classmethod
    def _suggest(cls, value: str | None) -> str | None:
        return _check_condition(value)

    @field_validator("default_from")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(rf"(?:root\.)?{FIELD_PATH}", value):
            raise ValueError("default_from must be a field path")
        return value

    @model_validator(mode="after")
    def _by_type(self) -> Question:
        is_group = self.type == "group"
        if self.type == "choice":
            if len(self.choices) < 2:
                raise ValueError("a choice question needs at least two choices")
            values = [c.value for c in self.choices]
            if len(set(map(repr, values))) != len(values):
                raise ValueError("choice values must be different")
        elif self.choices:
            raise ValueError("choices are only for type: choice")
        if is_group:
            if not self.questions:
                raise ValueError("a group needs its questions")
            if not self.item_label:
                raise ValueError("a group needs an item_label (e.g. 'Exhibit')")
            if self.max is not None and self.max < self.min:
                raise ValueError("max must be at least min")
            if self.default is not None or self.default_from is not None or self.suggest is not None:
                raise ValueError("a group has no default")
            if self.field == ".":
                raise ValueError("a group needs a field")
            scalar_items = [q for q in self.questions if isinstance(q, Question) and q.field == "."]
            if scalar_items and len(self.questions) != 1:
                raise ValueError("a group over plain values (field: .) has exactly one question")
        else:
            if self.questions:
                raise ValueError("questions are only for type: group")
            group_keys = {"min", "max", "item_label", "add_label", "another_label", "carry_over"} & self.model_fields_set
            if group_keys:
                raise ValueError(f"{', '.join(sorted(group_keys))}: only for type: group")
        if self.default == "today" and self.type != "date":
            raise ValueError("default: today is only for dates")
        if sum(x is not None for x in (self.default, self.default_from, self.suggest)) > 1:
            raise ValueError("give one of default, default_from and suggest")
        return self


class Include(_Strict):
    """The questions of a shared block (``interviews/blocks/*.yml``) under a field prefix."""

    include: Annotated[str, Field(pattern=r"^blocks/[a-z0-9_-]+\.ya?ml$")]
    prefix: Prefix = ""
    id: Identifier | None = None
    when: str | None = None
    skip: list[Identifier] = Field(default_factory=list)

    @field_validator("when")
    @classmethod
    def _when(cls, value: str | None) -> str | None:
        return _check_condition(value)


def _entry_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "include" if "include" in value else "question"
    return "include" if isinstance(value, Include) else "question"


Entry = Annotated[
    Annotated[Question, Tag("question")] | Annotated[Include, Tag("include")],
    Discriminator(_entry_kind),
]
Question.model_rebuild()


class Section(_Strict):
    id: Identifier
    title: Text
    intro: str = ""
    when: str | None = None
    questions: list[Entry] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _when(cls, value: str | None) -> str | None:
        return _check_condition(value)


class Derived(_Strict):
    """A value the interview never asks because it follows from other answers.

    ``name`` says what it is; ``from`` the fields it follows from; ``by`` what computes it
    (a module, a rule file). When the value is a field of the answers model, ``field``
    names it (no question may ask it) and ``compute`` ("module:function", called with the
    answers so far as a dict) fills it in.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Text
    from_: list[Annotated[str, Field(pattern=rf"^{FIELD_PATH}$")]] = Field(alias="from", min_length=1)
    by: Text
    field: Annotated[str, Field(pattern=rf"^{FIELD_PATH}$")] | None = None
    compute: Annotated[str, Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")] | None = None


class ChangedBy(_Strict):
    """A later answer that can change an early verdict: its field (a question's, or a
    repeated group's: the items still to add) and, in words, why (a text, translated)."""

    field: Annotated[str, Field(pattern=rf"^{FIELD_PATH}$")]
    reason: Text


class Checkpoint(_Strict):
    """A verdict said as soon as its facts are in (``questions/checkpoints.py``).

    ``after``: the questions (model paths) whose answer brings the verdict, or
    ``after_item``: a repeated group, the verdict of each item once its questions are
    answered. ``verdict``: "module:function" of the procedure, computing it with the
    procedure's own rules from the answers so far. ``changed_by``: the later answers that
    can still change it; while one of them is still to come the verdict is said as
    provisional, with their reasons. ``label``: what the verdict is about (a text).
    """

    id: Identifier
    label: Text
    after: list[Annotated[str, Field(pattern=rf"^{FIELD_PATH}$")]] = Field(default_factory=list)
    after_item: Annotated[str, Field(pattern=rf"^{FIELD_PATH}$")] | None = None
    verdict: Annotated[str, Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")]
    changed_by: list[ChangedBy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_trigger(self) -> Checkpoint:
        if bool(self.after) == (self.after_item is not None):
            raise ValueError("a checkpoint needs either after (questions) or after_item (a group)")
        return self


# A title that fits docassemble's top bar on one line (tools/make_docassemble.py): at
# 1200 px the bar's titles of 56 and 57 characters (about 500 px in a 20 px sans) wrapped;
# 32 characters stay under 340 px even in the wide DejaVu Sans.
SHORT_TITLE_MAX = 32


class QuestionSet(_Strict):
    procedure: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    title: Text
    # For the top bar of the docassemble interview; the full title heads the first screen.
    short_title: Annotated[str, Field(min_length=1, max_length=SHORT_TITLE_MAX)]
    intro: str = ""
    sections: list[Section] = Field(min_length=1)
    derived: list[Derived] = Field(default_factory=list)
    # Verdicts said during the interview, as soon as their facts are in (questions/checkpoints.py).
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    # Functions conditions may call: name -> "module:function" (see conditions.py).
    functions: dict[Identifier, Annotated[str, Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")]] = Field(default_factory=dict)


class Block(_Strict):
    """A shared block: questions written once, included with a field prefix."""

    block: Identifier
    description: str = ""  # for developers; not shown, not translated
    questions: list[Entry] = Field(min_length=1)
