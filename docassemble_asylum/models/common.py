"""Blocks shared by every procedure: text cleaning, dates, a person, an address, exhibits.

Cleaning happens here, once, when answers enter the product (ENGINEERING.md): NFC,
characters that XML 1.0 forbids removed (they damage unrelated text in a DOCX), line
breaks kept only in long texts. Everything downstream can trust the strings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PlainValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from docassemble_asylum.i18n import N_

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
# Line breaks for Python (str.splitlines) and for e-mail headers, not only \n and \r:
# NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR broke a Subject header (found by fuzzing).
_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def clean_line(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = _LINE_BREAKS.sub(" ", value)
    value = _XML_INVALID.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_block(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", value).replace("\u2029", "\n\n"))
    value = _XML_INVALID.sub("", value)
    lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


# The form of a date: YYYY-MM-DD, ASCII digits only (\d would take other scripts' digits).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD (or a real date): no timestamps, no '3/2/26', no 2026-02-30.

    Two errors: ``date_parsing`` when the text is not written YYYY-MM-DD, and
    ``date_not_in_calendar`` when it is but names a day that does not exist (2026-02-30,
    2026-13-01): the user must fix the day or the month, not the way it is written.
    """
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "not a date")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_not_in_calendar", "this day does not exist in the calendar") from None
    raise PydanticCustomError("date_parsing", "not a valid date")


Line = Annotated[str, BeforeValidator(clean_line)]
"""One line of text, cleaned; may be empty."""
# Lengths as StringConstraints on the str itself (the cleaning validator wraps it and runs
# first): given as Field(...) they become generic "too_short"/"too_long" errors, shown to
# the user as "too few items: at least 1 are needed" for a text.
def visible(value: str) -> str:
    """A name made only of invisible characters (U+200B ZERO WIDTH SPACE, U+2060 WORD
    JOINER, U+FEFF, a soft hyphen: Unicode's format characters) prints as nothing: it is
    empty. Format characters are kept inside a real name (ZWNJ and ZWJ matter in Persian
    and Arabic spellings); only a name with nothing else is refused."""
    if value and all(unicodedata.category(character) == "Cf" or character.isspace() for character in value):
        raise PydanticCustomError("string_too_short", "this answer cannot be empty", {"min_length": 1})
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(visible), BeforeValidator(clean_line)]


def file_number(value: str) -> str:
    """An Ofpra file number has digits: '?', 'unknown' or 'voir dossier' would be printed
    as the reference of a letter and lose it in Ofpra's mail (nothing links it to the file)."""
    if not any("0" <= character <= "9" for character in value):
        raise PydanticCustomError("file_number", "an Ofpra file number has digits")
    return value


FileNumber = Annotated[
    str, StringConstraints(min_length=1, max_length=40), AfterValidator(visible), AfterValidator(file_number), BeforeValidator(clean_line)
]
"""An Ofpra file number (for example 25-04-12345): one line with digits in it."""
Block = Annotated[str, StringConstraints(max_length=200_000), BeforeValidator(clean_block)]
"""Long text (an account of facts): paragraphs kept."""
Day = Annotated[dt.date, BeforeValidator(iso_date)]


class BirthYear(dt.date):
    """A birth date known only by its year, as many refugees' documents give it.

    It is a date (1 January of that year) so that every comparison still works ("born
    before the decision"); it is written as the year alone ("1990", "né en 1990"), saved as
    "1990" in an answers file, and an age is reached on an unknown day of the year
    (eligibility/ages.py makes the anniversary a window over the whole year).
    """

    def __new__(cls, year: int):
        return super().__new__(cls, year, 1, 1)

    def __reduce__(self):
        return (BirthYear, (self.year,))

    def __repr__(self) -> str:
        return f"BirthYear({self.year})"

    def isoformat(self) -> str:
        return f"{self.year:04d}"

    __str__ = isoformat

    def strftime(self, fmt: str) -> str:
        return self.isoformat()  # never a day or a month that nobody knows


# The year alone: four ASCII digits.
YEAR = re.compile(r"[0-9]{4}")


def birth_date(value: Any) -> dt.date:
    """A full date as ``iso_date`` reads it, or the year alone ("1990", or 1990 from a CSV cell)."""
    if isinstance(value, BirthYear):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return BirthYear(value)
    if isinstance(value, str) and YEAR.fullmatch(value.strip()) and int(value) >= 1000:
        return BirthYear(int(value))
    try:
        return iso_date(value)
    except PydanticCustomError as exc:
        if exc.type == "date_parsing":
            raise PydanticCustomError("birth_date_parsing", "not a valid date of birth") from None
        raise


def born_after(value: Any, today: dt.date) -> bool:
    """Whether a date of birth (a full date, or the year alone) is after ``today``: nobody is
    born in the future, and a year is after today only once the whole year is (the terminal
    and the docassemble glue refuse such an answer on its own screen)."""
    try:
        born = birth_date(value)
    except (PydanticCustomError, ValueError, TypeError):
        return False  # not a date of birth at all: its own type says what it accepts
    if isinstance(born, BirthYear):
        return born.year > today.year
    return born > today


def _birth_date_text(value: dt.date) -> str:
    return value.isoformat()


BirthDate = Annotated[
    dt.date,
    PlainValidator(birth_date),
    PlainSerializer(_birth_date_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": "^[0-9]{4}$"},
            ],
            "description": "YYYY-MM-DD, or the year alone (YYYY) when only the year of birth is known.",
        }
    ),
]
"""A date of birth: YYYY-MM-DD, or the year alone when the documents give only the year."""


class Answers(BaseModel):
    """Base of every answers model: unknown keys are errors (a typo must not vanish)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, validate_default=True)


class Address(Answers):
    street: Name = Field(title=N_("Street and number"))
    complement: Line = Field("", title=N_("Address complement (c/o, building, flat)"))
    postal_code: Name = Field(title=N_("Postal code"))
    city: Name = Field(title=N_("City"))
    country: Name = Field("France", title=N_("Country"))

    @property
    def lines(self) -> list[str]:
        lines = [self.street]
        if self.complement:
            lines.append(self.complement)
        lines.append(f"{self.postal_code} {self.city}")
        if self.country.strip().lower() != "france":
            lines.append(self.country)
        return lines


class Person(Answers):
    family_name: Name = Field(title=N_("Family name"))
    given_names: Name = Field(title=N_("Given names"))
    other_names: list[Name] = Field(default_factory=list, title=N_("Other names or spellings"))
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex"))
    date_of_birth: BirthDate = Field(title=N_("Date of birth"))
    place_of_birth: Name = Field(title=N_("Place of birth (city, country)"))
    nationality: Name = Field(title=N_("Nationality"))

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name.upper()}"

    @property
    def civility(self) -> str:
        return {"female": "Madame", "male": "Monsieur"}.get(self.sex or "", "Madame, Monsieur")


class Exhibit(Answers):
    title: Name = Field(title=N_("Exhibit (what it is)"))
    translated: bool = Field(False, title=N_("A French translation is attached"))


class LetterExhibit(Exhibit):
    """An exhibit of a bordereau with a "translation" column: a document already in French
    needs none ("sans objet"), which "non" would not say."""

    in_french: bool = Field(False, title=N_("The document is already in French"))

    @property
    def translation_note(self) -> str:
        if self.in_french:
            return "sans objet (document en français)"
        return "oui" if self.translated else "non"


class Lawyer(Answers):
    name: Name = Field(title=N_("Lawyer's name"))
    # Optional (answers files written before it still load): without it the letter uses a neutral wording.
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex (for the French grammar of the letter)"))
    bar: Name = Field(title=N_("Bar (barreau)"))
    address: Address | None = Field(None, title=N_("Lawyer's address"))
    email: Line = Field("", title=N_("Lawyer's e-mail"))
    phone: Line = Field("", title=N_("Lawyer's phone"))


class Signature(Answers):
    place: Name = Field(title=N_("Place of signature"))
    date: Day = Field(title=N_("Date of signature"))
