"""Which prefecture registers an asylum or re-examination application, found from a department.

Why a module of its own: the re-examination letter names the prefecture of the new
registration, and a wrong prefecture in a letter to Ofpra is an error the person cannot
see. So the prefecture is never typed: it is derived from the department through the
dated, sourced table of ``rules/data/prefectures/asylum_registration.yaml`` (RULES.md §6),
and every entry keeps its own certainty (the overseas entries are unverified, the Manche
entry corrects an error of the source).

A department can be given as its code (``14``, ``2A``, ``971``), its French name written
any way people write it (accents, hyphens, apostrophes and case ignored, ``St`` for
``Saint``), or a postal code (its prefix, from ``prefectures/departments.yaml``). What
cannot be resolved raises ``DepartmentQueryError``, whose message never repeats the query
(privacy: the query may be an address) but may suggest department names, which are public.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docassemble_asylum.i18n import N_, translate
from docassemble_asylum.rules import Certainty, Reference, rulebook

TABLE_KEY = "prefectures.asylum_registration"
DEPARTMENTS_KEY = "prefectures.departments"

MatchedBy = Literal["code", "name", "postal_code"]

# Sentence fragments: shown after a field label (answers) or capitalised (command line).
UNKNOWN = N_("no department found: give a department number (14, 2A, 971), its name in French or a postal code.")
UNKNOWN_SUGGEST = N_(
    "no department found: give a department number (14, 2A, 971), its name in French or a postal code. "
    "Did you mean: {suggestions}?"
)
AMBIGUOUS = N_("several departments match: {candidates}. Give the department number or its full name.")
NOT_COVERED = N_(
    "this postal code belongs to {territory}, which is not one of the departments covered "
    "(metropolitan France, Guadeloupe, Martinique, Guyane, La Réunion, Mayotte)."
)
POSTAL_CAUTION = N_(
    "Found from the postal code: check that this is your department (a few communes near a "
    "departmental border have a neighbouring department's postal code)."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _UserNote(_Strict):
    """A note shown to the user, in both languages: the English one is required, so that an
    English summary never prints a French sentence (review F-34)."""

    fr: str = Field(min_length=5)
    en: str = Field(min_length=5)


class _Entry(_Strict):
    """One line of the table; a typo in the data file is an error, not a silent default."""

    name: str = Field(min_length=2)
    prefecture: str = Field(min_length=5)
    city: str = Field(min_length=2)
    seat: str = Field(pattern=r"^(\d{2}|2[AB]|97[1-6])$")
    certainty: Certainty
    france_asile: bool = False
    shortened_periods: bool = False
    # Shown to the user; an entry's maintainer_notes never reach this model (rules/schema.py).
    user_notes: list[_UserNote] = Field(default_factory=list)


class _Department(_Strict):
    name: str = Field(min_length=2)
    postal_prefixes: list[str] = Field(min_length=1)


class _Departments(_Strict):
    departments: dict[str, _Department]
    not_covered: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Prefecture:
    """The competent prefecture for one department, with what the user must be told about it."""

    department: str
    department_name: str
    prefecture: str
    city: str
    seat: str
    certainty: Certainty
    notes: tuple[str, ...]
    """The notes in French (the machine outputs' form: ``prefecture --json``)."""
    notes_en: tuple[str, ...]
    france_asile: bool
    shortened_periods: bool
    sources: tuple[Reference, ...]
    effective_from: dt.date
    checked_on: dt.date

    @property
    def department_label(self) -> str:
        return f"{self.department_name} ({self.department})"

    @property
    def place(self) -> str:
        """'Préfecture du Calvados, Caen (14)'."""
        return f"{self.prefecture}, {self.city} ({self.seat})"

    @property
    def shown_notes(self) -> tuple[str, ...]:
        """The notes in the language of the text being written."""
        from docassemble_asylum.i18n import current_language

        return self.notes_en if current_language() == "en" else self.notes

    def to_json(self) -> dict:
        return {
            "department": self.department,
            "department_name": self.department_name,
            "prefecture": self.prefecture,
            "city": self.city,
            "seat": self.seat,
            "certainty": self.certainty.value,
            "france_asile": self.france_asile,
            "notes": list(self.notes),
            "sources": [{"title": r.title, "url": r.url} for r in self.sources],
            "effective_from": self.effective_from.isoformat(),
            "checked_on": self.checked_on.isoformat(),
        }


@dataclass(frozen=True)
class Match:
    code: str
    matched_by: MatchedBy


class DepartmentQueryError(LookupError):
    """A department query that resolves to no department, or to several.

    ``kind`` is ``unknown``, ``ambiguous`` or ``not_covered``; ``codes`` are the matching
    departments (ambiguous) or the close matches to suggest (unknown).
    """

    def __init__(self, kind: str, codes: tuple[str, ...] = (), territory: str | None = None):
        self.kind = kind
        self.codes = codes
        self.territory = territory
        super().__init__(kind)

    @property
    def msgid(self) -> str:
        if self.kind == "ambiguous":
            return AMBIGUOUS
        if self.kind == "not_covered":
            return NOT_COVERED
        return UNKNOWN_SUGGEST if self.codes else UNKNOWN

    @property
    def ctx(self) -> dict[str, str]:
        """Placeholders of ``msgid``: public department names, never the query."""
        labels = ", ".join(department_label(code) for code in self.codes)
        return {"candidates": labels, "suggestions": labels, "territory": self.territory or ""}

    def message(self) -> str:
        """The problem in the current language, without the query itself."""
        return translate(self.msgid).format(**self.ctx)


def normalise(text: str) -> str:
    """'Côtes-d'Armor', 'cotes d armor', 'COTES DARMOR' -> 'cotesdarmor'; 'St' -> 'saint'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    tokens = [t for t in re.split(r"[^a-z0-9]+", plain) if t]
    tokens = [{"st": "saint", "ste": "sainte"}.get(t, t) for t in tokens]
    if tokens and tokens[0] in {"departement", "dept", "dep", "dpt"}:
        tokens = tokens[1:]
        while tokens and tokens[0] in {"du", "de", "des", "d", "la", "l"}:
            tokens = tokens[1:]
    return "".join(tokens)


@functools.cache
def _departments() -> _Departments:
    return _Departments.model_validate(rulebook()[DEPARTMENTS_KEY].current.value)


@functools.cache
def _names() -> dict[str, str]:
    """Normalised name -> code, with a few everyday aliases."""
    names = {normalise(d.name): code for code, d in _departments().departments.items()}
    names.setdefault("reunion", "974")
    names.setdefault("belfort", "90")
    return names


def department_codes() -> list[str]:
    return list(_departments().departments)


def department_name(code: str) -> str:
    return _departments().departments[code].name


def department_label(code: str) -> str:
    """'Calvados (14)'."""
    return f"{department_name(code)} ({code})"


def _postal(code: str) -> Match:
    data = _departments()
    for prefix in sorted(data.not_covered, key=len, reverse=True):
        if code.startswith(prefix):
            raise DepartmentQueryError("not_covered", territory=data.not_covered[prefix])
    candidates = [
        (len(prefix), dept)
        for dept, entry in data.departments.items()
        for prefix in entry.postal_prefixes
        if code.startswith(prefix)
    ]
    if not candidates:
        raise DepartmentQueryError("unknown")
    return Match(max(candidates)[1], "postal_code")


def find_department(query: str, *, partial: bool = True) -> Match:
    """The department a code, a name or a postal code designates.

    ``partial`` accepts a unique part of a name ('Calva', 'Armor'); answers files use
    ``partial=False`` so that a letter only ever names a department the user spelled out.
    """
    key = normalise(query or "")
    departments = _departments().departments
    if not key:
        raise DepartmentQueryError("unknown")
    if re.fullmatch(r"2[ab]", key):
        return Match(key.upper(), "code")
    if key.isdigit():
        if len(key) <= 3:
            code = key.zfill(2)
            if code == "20":
                raise DepartmentQueryError("ambiguous", ("2A", "2B"))
            if code in departments:
                return Match(code, "code")
            raise DepartmentQueryError("unknown")
        if len(key) in (4, 5):
            # A spreadsheet often drops the leading zero of 01000.
            return _postal(key.zfill(5))
        raise DepartmentQueryError("unknown")
    names = _names()
    if key in names:
        return Match(names[key], "name")
    contained = sorted({code for name, code in names.items() if len(key) >= 3 and key in name}, key=_order)
    if len(contained) > 1:
        raise DepartmentQueryError("ambiguous", tuple(contained))
    if len(contained) == 1:
        if partial:
            return Match(contained[0], "name")
        raise DepartmentQueryError("unknown", tuple(contained))
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.7)
    return_codes = tuple(dict.fromkeys(names[name] for name in close))
    raise DepartmentQueryError("unknown", return_codes)


def _order(code: str) -> tuple:
    return (float(code.replace("2A", "20.1").replace("2B", "20.2")), code)


def prefecture_for(code: str, day: dt.date | None = None) -> Prefecture:
    """The competent prefecture for department ``code`` under the table in force on ``day``."""
    rule = rulebook()[TABLE_KEY]
    version = rule.current if day is None else rule.at(day)
    entry = _Entry.model_validate(version.value[code])
    return Prefecture(
        department=code,
        department_name=entry.name,
        prefecture=entry.prefecture,
        city=entry.city,
        seat=entry.seat,
        certainty=entry.certainty,
        notes=tuple(note.fr for note in entry.user_notes),
        notes_en=tuple(note.en for note in entry.user_notes),
        france_asile=entry.france_asile,
        shortened_periods=entry.shortened_periods,
        sources=tuple(version.references),
        effective_from=version.effective_from,
        checked_on=version.checked_on,
    )


def all_prefectures(day: dt.date | None = None) -> dict[str, Prefecture]:
    rule = rulebook()[TABLE_KEY]
    version = rule.current if day is None else rule.at(day)
    return {code: prefecture_for(code, day) for code in version.value}


def lookup(query: str, day: dt.date | None = None, *, partial: bool = True) -> tuple[Prefecture, Match]:
    match = find_department(query, partial=partial)
    return prefecture_for(match.code, day), match
