"""Answers for the notice telling Ofpra that the applicant will be accompanied (L.531-15 CESEDA).

The companion is a discriminated union on ``kind`` (``lawyer`` or ``association``): each
kind asks only what Ofpra needs to identify that kind of companion, and a typo in
``kind`` is refused with the two choices rather than guessed.

Rules that need the rule data or today's date (the association list, an interview in the
past, the bar of a lawyer, the applicant's consent) live in the procedure's consistency
check, so that their messages can say exactly what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from docassemble_asylum.errors import rule_error
from docassemble_asylum.i18n import N_
from docassemble_asylum.models.attached_files import AttachedFile
from docassemble_asylum.models.common import Address, Answers, BirthDate, Day, FileNumber, Line, Name, clean_line

# ASCII only: an accented address cannot be written in a plain mail header (RFC 5322).
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
# "09:30:00" too: a time as the answers of another file are read back (``build --from``).
_TIME = re.compile(r"([01]?\d|2[0-3])\s*[:hH]\s*([0-5]\d)?(?::00)?")


def _email(value: str) -> str:
    # Only what a mail header can carry safely: one address, no display name, no spaces.
    if not _EMAIL.fullmatch(value):
        raise rule_error(N_("not a valid e-mail address: write only the address, for example accueil@example.org."))
    return value


def _time(value: Any) -> Any:
    """'09:00', '9:00', '9h', '14h30' -> a time. Why the int check: YAML reads an unquoted 9:30 as 570."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise rule_error(N_('write the time between quotes, for example "09:30".'))
    if isinstance(value, str):
        match = _TIME.fullmatch(clean_line(value))
        if match:
            return dt.time(int(match.group(1)), int(match.group(2) or 0))
    raise rule_error(N_('not a valid time: write it as HH:MM, for example "09:30".'))


def _optional_email(value: str) -> str:
    return _email(value) if value else value


Email = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=254), AfterValidator(_email)]
OptionalEmail = Annotated[str, BeforeValidator(clean_line), Field(max_length=254), AfterValidator(_optional_email)]
Time = Annotated[dt.time, BeforeValidator(_time)]


class Applicant(Answers):
    family_name: Name = Field(title=N_("Family name"))
    given_names: Name = Field(title=N_("Given names"))
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex (for the French grammar of the letter)"))
    date_of_birth: BirthDate = Field(title=N_("Date of birth"))
    ofpra_file_number: FileNumber = Field(title=N_("Ofpra file number"))

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name.upper()}"


class Interview(Answers):
    date: Day = Field(title=N_("Date of the interview"))
    time: Time = Field(title=N_("Time of the interview (HH:MM)"))
    mode: Literal["in_person", "videoconference"] = Field(
        "in_person", title=N_("How the interview takes place (in_person, videoconference)")
    )
    place: Line = Field(
        "",
        title=N_("Place of the interview, as written on the convocation (for a videoconference: where the applicant connects from, if stated)"),
    )
    procedure: Literal["normal", "accelerated"] = Field(title=N_("Procedure stated on the convocation (normal, accelerated)"))
    convocation_email: Email = Field(title=N_("E-mail address given on the convocation for the companion's notice"))


class LawyerCompanion(Answers):
    kind: Literal["lawyer"] = Field(title=N_("Kind of companion (lawyer, association)"))
    name: Name = Field(title=N_("Lawyer's name"))
    # Optional (answers files written before it still load): without it the letter uses a neutral wording.
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex (for the French grammar of the letter)"))
    # Checked in the procedure (not required here) so that a missing bar gets its own message.
    bar: Line = Field("", title=N_("Bar (barreau) of the lawyer"))
    address: Address = Field(title=N_("Lawyer's address"))
    phone: Name = Field(title=N_("Lawyer's phone"))
    email: Email = Field(title=N_("Lawyer's e-mail"))


class AssociationCompanion(Answers):
    kind: Literal["association"] = Field(title=N_("Kind of companion (lawyer, association)"))
    name: Name = Field(title=N_("Representative's name"))
    # Optional (answers files written before it still load): without it the letter uses a neutral wording.
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex (for the French grammar of the letter)"))
    association: Name = Field(title=N_("Association"))
    # Optional (answers files written before it still load); the guided interview asks it.
    # Its own name (not ``address``): a lawyer's address must not pass for the association's when
    # the kind is changed in the guided interview.
    association_address: Address | None = Field(None, title=N_("Association's postal address"))
    email: OptionalEmail = Field("", title=N_("Representative's e-mail"))
    phone: Line = Field("", title=N_("Representative's phone"))
    association_not_listed_confirmed: bool = Field(
        False,
        title=N_("I have checked on Ofpra's current list that this association is authorised"),
    )


Companion = Annotated[Union[LawyerCompanion, AssociationCompanion], Field(discriminator="kind")]


class InterpreterWishes(Answers):
    language: Name = Field(title=N_("Language in which the applicant wishes to be heard (in French, e.g. arabe)"))
    # Written by answers files before ``chosen_sex`` existed: it still loads and means the
    # interpreter request (``InterviewNotice`` moves it there); the question set no longer asks it.
    same_gender: bool = Field(False, title=N_("The applicant wishes an interpreter of the same gender"))


class ChosenSex(Answers):
    """The applicant's request that the protection officer and/or the interpreter be of a
    chosen sex (RULES.md §4, ex-L.723-6 CESEDA). Ofpra grants it as far as possible when it
    is linked to the grounds of the application: the letter requests, it never asserts a right."""

    officer: bool = Field(False, title=N_("The applicant asks for a protection officer of the chosen sex"))
    interpreter: bool = Field(False, title=N_("The applicant asks for an interpreter of the chosen sex"))
    # None: "of the same sex" as the applicant (what ``interpreter.same_gender`` meant).
    sex: Literal["female", "male"] | None = Field(None, title=N_("Chosen sex for the officer and the interpreter (female, male)"))
    reason: Line = Field(
        "",
        title=N_("Reason for the request, in one sentence (linked to the grounds of the application, e.g. sexual violence)"),
    )

    @property
    def requested(self) -> bool:
        return self.officer or self.interpreter


class InterviewNotice(Answers):
    applicant: Applicant = Field(title=N_("Asylum applicant"))
    interview: Interview = Field(title=N_("Interview (from the convocation)"))
    companion: Companion = Field(title=N_("Companion at the interview"))
    interpreter: InterpreterWishes = Field(title=N_("Interpreter"))
    chosen_sex: ChosenSex = Field(default_factory=ChosenSex, title=N_("Choice of the sex of the protection officer and the interpreter"))
    applicant_consents: bool = Field(title=N_("The applicant agrees to be accompanied at the interview"))
    attachments: list[AttachedFile] = Field(
        default_factory=list, max_length=20, title=N_("Files to attach to the e-mail (the convocation first)")
    )
    # The letter's "Paris, le 1er avril 2026"; when empty, the city of the lawyer or of the
    # association (an older file without the association's address: "Le 1er avril 2026").
    signature_place: Line = Field("", title=N_("Place of signature"))

    @model_validator(mode="after")
    def _same_gender_is_the_interpreter_request(self) -> "InterviewNotice":
        """An older file's ``interpreter.same_gender: true`` is the interpreter request of ``chosen_sex``."""
        if self.interpreter.same_gender and not self.chosen_sex.interpreter:
            self.chosen_sex = self.chosen_sex.model_copy(update={"interpreter": True})
        return self
