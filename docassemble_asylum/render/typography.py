"""French typography for every text that reaches a French document, whatever its medium.

Why edits and not a rewritten string: a Word paragraph is split into runs (a bold label,
the user's answer, a field), and the rules look across them ("N° de dossier" in one run,
" : " in the next). So ``analyse`` returns what to change as positions in the original
text — a character replaced, a text inserted before a position, a hyphen that must not
break, characters to set in superscript — and each medium applies what it can carry:

- ``docx_pass`` (DOCX): everything; protected hyphens become ``w:noBreakHyphen`` (a copy
  into an online form still gives "-"), ordinals a ``w:vertAlign`` superscript run;
- ``plain`` (e-mail body): the spaces and apostrophes, ordinals in plain letters, no U+2011;
- ``winansi`` (PDF form with Helvetica): U+202F is not in WinAnsi, so it becomes U+00A0.

The rules (Imprimerie nationale's lexicon): U+202F before ; ! ? and inside « »; U+00A0
before : , after "n°", "art.", "M.", "Mme", "Me" and between a number and its unit or
month; ’ between two letters; article references written "L. 531-42". The rules never
change letters or words and never delete: a text already correct is left as it is
(the pass is idempotent). URLs and e-mail addresses are left untouched, and so are
times ("9:30"), ratios ("3:1") and text without French punctuation spacing to add.

The PyPI library ``french-typo`` was considered (ENGINEERING.md) and not used: it maps a
string to a string (and marks ordinals with HTML ``<sup>``), while the DOCX needs
positions to work across Word runs and to emit run properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
SPACES = " " + NBSP + NNBSP

# Spans no rule may touch: addresses a reader copies.
_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>«»]*[^\s<>«».,;:!?)]"  # URLs (a final . or ; is punctuation)
    # The lookbehinds make each word tried from its start only: without them a long
    # unbroken word (a pasted identifier) took quadratic time (found by the fuzzer).
    r"|(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w.-])[\w-]+\.(?:fr|com|org|net|eu|gouv\.fr)(?:/[^\s]*)?\b"  # bare domains (ofpra.gouv.fr)
)

_UNITS = (
    "€|%|‰|\\$|£|km|m|cm|mm|kg|g|h|min|s|Mo|Ko|Go|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "jours?|mois|ans?|années?|semaines?|heures?|minutes?|euros?|pages?|enfants?|ex\\."
)
_NUMBER_UNIT = re.compile(rf"(?<![\w.,-])\d+(?:[,.]\d+|er|re)?( )(?:{_UNITS})(?!\w)")
_TIME = re.compile(r"(?<![\w])\d{1,2}[ \u00a0]h( )\d{2}(?!\w)")  # 9 h 30: the space after h
# A French phone number, "01 48 18 43 11" or "+33 1 48 18 43 11": never broken across lines.
_PHONE = re.compile(r"(?<![\w+])(?:\+33[ \u00a0]\d|0\d)(?:[ \u00a0]\d{2}){4}(?!\w)")
_THOUSANDS = re.compile(r"(?<![\w.,-])\d{1,3}(?:( )\d{3})+(?![\w-])")
_AFTER_ABBREVIATION = re.compile(r"(?:(?<![\w.])(?:[nN]°|art\.|Art\.)|(?<![\w.])(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Mes|Dr)(?= (?![a-zà-öø-ÿ])[^\W\d_]))( ?)(?=\S)")  # before a name (any script)
_ARTICLE = re.compile(r"(?<![\w.])([LRD])(\.?)([ \u00a0]?)(?=\d{3}-\d)")
_COLON = re.compile(r"(?<=[^\s:/])([ \u00a0\u202f]*):(?=\s|$|[«\"])")
_HIGH = re.compile(r"(?<=[^\s;!?])([ \u00a0\u202f]*)(?=[;!?](?:\s|$|[»\"),.!?]))")
_ENTITY = re.compile(r"&#?\w+$")  # "&amp;" typed as text: its ";" is not punctuation
_OPEN = re.compile(r"«([ \u00a0\u202f]*)(?=\S)")
_CLOSE = re.compile(r"(?<=\S)([ \u00a0\u202f]*)»")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_NUMBERED = re.compile(r"(?<![\w-])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])")
_ORDINAL = re.compile(r"(?<![\w,.-])(?:1(er|re|ers|res)|[2-9]\d*(e|es)|1\d+(e|es))(?!\w)")


@dataclass
class Edits:
    """What to change, as positions in the original text."""

    replace: dict[int, str] = field(default_factory=dict)  # index -> new character
    insert: dict[int, str] = field(default_factory=dict)  # index -> text put before it
    no_break_hyphens: set[int] = field(default_factory=set)
    superscript: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.replace or self.insert or self.no_break_hyphens or self.superscript)


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(text)]


def analyse(text: str) -> Edits:
    """The French typographic edits of ``text`` (a paragraph: rules look across runs)."""
    edits = Edits()
    spans = _protected(text)

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in spans)

    def space(match: re.Match, group: int, wanted: str, adjacent: str = "end") -> None:
        """The group is the spaces (maybe none) that must end (or start) with ``wanted``:
        the one next to the sign is replaced, or ``wanted`` inserted when there is none."""
        start, end = match.span(group)
        if not free(start) or not free(max(start, end - 1)):
            return
        if end > start:  # a space is there: replace the one next to the sign unless right
            at = end - 1 if adjacent == "end" else start
            if text[at] != wanted and text[at] != NNBSP:
                edits.replace.setdefault(at, wanted)
        else:
            edits.insert.setdefault(start, wanted)

    for match in _ARTICLE.finditer(text):
        if not free(match.start()):
            continue
        dot_at, space_at = match.start(2), match.start(3)
        if not match.group(2):
            edits.insert.setdefault(dot_at, ".")
        if match.group(3):
            if match.group(3) != NBSP:
                edits.replace.setdefault(space_at, NBSP)
        else:
            edits.insert[space_at] = edits.insert.get(space_at, "") + NBSP
    for match in _AFTER_ABBREVIATION.finditer(text):
        space(match, 1, NBSP)
    for match in _TIME.finditer(text):
        space(match, 1, NBSP)
    for match in _NUMBER_UNIT.finditer(text):
        space(match, 1, NBSP)
    for match in _PHONE.finditer(text):
        for at in (match.start() + i for i, c in enumerate(match.group(0)) if c == " "):
            if free(at):
                edits.replace.setdefault(at, NBSP)
    for match in _THOUSANDS.finditer(text):
        for group_start in (m.start() for m in re.finditer(" ", match.group(0))):
            at = match.start() + group_start
            if free(at):
                edits.replace.setdefault(at, NNBSP)
    for match in _COLON.finditer(text):
        if free(match.end() - 1):
            space(match, 1, NBSP)
    for match in _HIGH.finditer(text):
        if free(match.end()) and not _ENTITY.search(text[max(0, match.start() - 12) : match.start()]):
            space(match, 1, NNBSP)
    for match in _OPEN.finditer(text):
        space(match, 1, NNBSP, adjacent="start")
    for match in _CLOSE.finditer(text):
        space(match, 1, NNBSP)
    for match in _APOSTROPHE.finditer(text):
        if free(match.start()):
            edits.replace.setdefault(match.start(), "’")
    for match in _NUMBERED.finditer(text):
        if free(match.start()):
            edits.no_break_hyphens.update(match.start() + i for i, c in enumerate(match.group(0)) if c == "-")
    for match in _ORDINAL.finditer(text):
        if free(match.start()):
            suffix = next(g for g in match.groups() if g)
            edits.superscript.update(range(match.end() - len(suffix), match.end()))
    return edits


def apply(text: str, edits: Edits, *, hyphen: str = "-") -> str:
    """``text`` with the edits; a protected hyphen becomes ``hyphen`` (plain media: "-")."""
    out = []
    for i, char in enumerate(text):
        out.append(edits.insert.get(i, ""))
        char = edits.replace.get(i, char)
        out.append(hyphen if i in edits.no_break_hyphens else char)
    out.append(edits.insert.get(len(text), ""))
    return "".join(out)


def plain(text: str) -> str:
    """French typography for a plain-text medium (e-mail body): no U+2011, no superscript."""
    return "\n".join(apply(line, analyse(line)) for line in text.split("\n"))


def winansi(text: str) -> str:
    """For a PDF form field in Helvetica (WinAnsi): U+00A0 and ’ exist there, U+202F does not."""
    return plain(text).replace(NNBSP, NBSP)
