"""The strict shape of a rule file.

Modelled on OpenFisca parameters (values keyed by the date they took effect, each with
its sources and the day someone last checked it) but with a schema that refuses a value
without a source, so that no rule can enter the product unreferenced.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

# Who a note is for. Text for maintainers (why a value is what it is, a correction of a
# source, what to update when) must never reach a document; text for the user may. A rule
# file says which at every level: ``maintainer_note`` on a version, ``maintainer_notes`` /
# ``user_notes`` inside a value (an entry of a table). A bare ``note`` or ``notes`` inside a
# value is refused, so that no one can add a note without saying who reads it.
MAINTAINER_KEYS = frozenset({"maintainer_note", "maintainer_notes"})
AMBIGUOUS_KEYS = frozenset({"note", "notes"})


def _without_maintainer_notes(value: Any, where: str, found: list[str]) -> Any:
    """``value`` with every maintainer note taken out (into ``found``); bare notes refused."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            here = f"{where}.{key}" if where else str(key)
            if key in AMBIGUOUS_KEYS:
                raise ValueError(
                    f"{here}: say who the note is for: maintainer_notes (never shown) or user_notes (shown to the user)"
                )
            if key in MAINTAINER_KEYS:
                notes = [item] if isinstance(item, str) else item
                if not isinstance(notes, list) or not all(isinstance(n, str) and n.strip() for n in notes):
                    raise ValueError(f"{here}: a maintainer note is a text, or a list of texts")
                found += [" ".join(n.split()) for n in notes]
                continue
            kept[key] = _without_maintainer_notes(item, here, found)
        return kept
    if isinstance(value, list):
        return [_without_maintainer_notes(item, f"{where}.{i}", found) for i, item in enumerate(value)]
    return value


class Certainty(str, Enum):
    """How sure the law is. Ordered from surest to least sure (see ``weakest``)."""

    verified = "verified"
    inference = "inference"
    uncertain = "uncertain"
    unverified = "unverified"

    @property
    def rank(self) -> int:
        return list(Certainty).index(self)

    @staticmethod
    def weakest(*values: "Certainty") -> "Certainty":
        return max(values, key=lambda c: c.rank)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Reference(_Strict):
    """A source. ``link: unverified`` says the URL is the best one found but not the
    article's own page in force (a whole code or a section whose article id could not be
    found, or the id of an older version of the article); ``link_note`` then tells
    maintainers what was found and what to replace. Neither is shown to users."""

    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://\S+$")
    link: Literal["unverified"] | None = None
    link_note: str | None = None

    @model_validator(mode="after")
    def _unverified_link_has_a_note(self) -> "Reference":
        if (self.link is None) != (self.link_note is None):
            raise ValueError("link: unverified and link_note go together (say what to replace)")
        if _WHOLE_TEXT.match(self.url) and self.link is None:
            # A reference to a rule points at the article (codes/article_lc/LEGIARTI…); a
            # whole code or law is accepted only as a marked stopgap.
            raise ValueError(
                "this Légifrance link opens a whole code or law: link the article itself "
                "(https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI...), or mark it link: unverified with a link_note"
            )
        return self


# A Légifrance address of a whole code or a whole law (not one of its articles).
_WHOLE_TEXT = re.compile(r"^https://www\.legifrance\.gouv\.fr/(codes/(texte_lc|id)/LEGITEXT\d{12}|loda/id/JORFTEXT\d{12})/?$")


class RuleVersion(_Strict):
    """One value of a rule and the period during which it applies."""

    value: Any
    effective_from: dt.date
    effective_until: dt.date | None = None
    article: str = Field(min_length=2)
    """The caption (articles and what they say), in French: French documents print it."""
    article_en: str = Field(min_length=2)
    """The same caption in English, for English summaries. Required, so that no rule can be
    added whose caption an English reader would get in French (review F-34)."""
    references: list[Reference] = Field(min_length=1)
    checked_on: dt.date
    certainty: Certainty
    maintainer_note: str | None = None
    """For maintainers only (why, from where, what to update): never shown to a user."""
    _value_maintainer_notes: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _split_notes(cls, data: Any, handler: Any) -> "RuleVersion":
        # Maintainer notes inside the value are taken out of it, so that no code reading
        # ``value`` can put them in a document; they stay readable through ``maintainer_notes``.
        found: list[str] = []
        if isinstance(data, dict) and "value" in data:
            data = {**data, "value": _without_maintainer_notes(data["value"], "value", found)}
        version = handler(data)
        version._value_maintainer_notes = tuple(found)
        return version

    @property
    def maintainer_notes(self) -> tuple[str, ...]:
        """Every maintainer text of this version: its own note and those of its value's entries."""
        own = (" ".join(self.maintainer_note.split()),) if self.maintainer_note else ()
        return own + self._value_maintainer_notes

    @property
    def caption(self) -> str:
        """The caption in the language of the text being written (``i18n.current_language``)."""
        from docassemble_asylum.i18n import current_language

        return self.article_en if current_language() == "en" else self.article

    @field_validator("article_en")
    @classmethod
    def _english_spacing(cls, value: str) -> str:
        # English puts no space before ; : ! ? (the French caption does).
        if re.search(r"\s[;:!?]", value):
            raise ValueError("an English caption has no space before ; : ! or ?")
        return value

    @field_validator("effective_from", "effective_until", "checked_on", mode="before")
    @classmethod
    def _iso_only(cls, value: Any) -> Any:
        # A date must be written YYYY-MM-DD: refuse 2026-2-3, timestamps and numbers.
        if value is None or isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError("a date must be written YYYY-MM-DD")
        return dt.date.fromisoformat(value)

    @model_validator(mode="after")
    def _ordered(self) -> "RuleVersion":
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError("effective_until is before effective_from")
        return self

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)


class NoVersionInForce(LookupError):
    """No version of rule ``key`` is in force on ``day`` (before ``first``, its oldest).

    A LookupError for the callers that only ask whether a rule applies; the procedures
    turn it into a user error naming the date question (procedures/base.py), so that a
    decision dated 2005 is a message, at ``check`` as at ``build``, not a traceback.
    """

    def __init__(self, key: str, day: dt.date, first: dt.date):
        self.key, self.day, self.first = key, day, first
        super().__init__(f"rule {key} has no version in force on {day.isoformat()}")


class Rule(_Strict):
    """A named legal rule with its successive versions, newest last."""

    key: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    title: str = Field(min_length=3)
    versions: list[RuleVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> "Rule":
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        for before, after in zip(ordered, ordered[1:]):
            if before.effective_until is None or before.effective_until >= after.effective_from:
                raise ValueError(
                    f"versions overlap: the one from {before.effective_from} must end before {after.effective_from}"
                )
        return self

    def at(self, day: dt.date) -> RuleVersion:
        """The version in force on ``day``; the newest one when none covers that day yet.

        A day before every version is an error: the product must not apply a rule to a
        period it does not know.
        """
        for version in self.versions:
            if version.applies_on(day):
                return version
        latest = max(self.versions, key=lambda v: v.effective_from)
        if day > latest.effective_from:
            return latest
        raise NoVersionInForce(self.key, day, min(v.effective_from for v in self.versions))

    @property
    def current(self) -> RuleVersion:
        return max(self.versions, key=lambda v: v.effective_from)
