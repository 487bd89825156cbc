"""Answers for a re-examination request to Ofpra after a final rejection (L.531-41, L.531-42 CESEDA).

What the cover letter needs (RULES.md §3): identity with every other name or spelling
(Ofpra matches files by name), the former Ofpra file number and the AGDREF number, the
final decision, the date and department of the new registration, each new element with
its dates and why it could not be produced before, the numbered exhibits, the language,
the address for correspondence, place and date of signature.

The prefecture of the new registration is deliberately NOT an answer: it is derived from
the department through the dated table (``docassemble_asylum.prefectures``), so a letter
cannot name a prefecture that is not the competent one. The conditions of the law
(L.531-42: an element is new only if it arose, or became known, after the final
decision) are checked in ``procedures/reexamination.py``, where the dates can be compared.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Address, Answers, Block, Day, FileNumber, LetterExhibit, Line, Name, Person, Signature


class Applicant(Person):
    address: Address = Field(title=N_("Address for correspondence"))
    ofpra_file_number: FileNumber = Field(title=N_("Former Ofpra file number"))
    agdref_number: Name = Field(title=N_("AGDREF number (on the asylum application certificate)"))
    phone: Line = Field("", title=N_("Phone"))
    email: Line = Field("", title=N_("E-mail"))


class FinalDecision(Answers):
    authority: Literal["ofpra", "cnda"] = Field(
        title=N_("Who took the final decision (ofpra if it was not appealed, cnda after an appeal)")
    )
    date: Day = Field(title=N_("Date of the final decision"))
    number: Name = Field(title=N_("Number of the final decision"))


class Registration(Answers):
    date: Day = Field(title=N_("Date of the new registration at the prefecture"))
    department: Name = Field(
        title=N_("Department where you live, which decides the competent prefecture (its number, e.g. 14, 2A, 971, or its name)")
    )


ExhibitNumber = Annotated[int, Field(ge=1)]


Head = Literal["occurred_after", "learned_after", "vulnerability", "new_evidence"]
"""Why an element is new (CE 26 January 2018 n° 397611; CNDA): it occurred after the final
decision; the applicant could only learn of it afterwards; it was known before but a real
situation of vulnerability prevented raising it; or it is new evidence of a fact already
invoked. Absent in answers files written before the heads existed: the procedure infers it
from ``occurred_on`` / ``learned_on`` (``procedures/reexamination.head_of``)."""


class NewElement(Answers):
    description: Block = Field(min_length=1, title=N_("The new element (what it is)"))
    head: Head | None = Field(
        None,
        title=N_(
            "Why this element is new (occurred_after, learned_after, vulnerability or new_evidence)"
        ),
    )
    occurred_on: Day = Field(title=N_("Date the element happened"))
    learned_on: Day | None = Field(None, title=N_("Date you learned of it (needed if it happened before the final decision)"))
    why_not_before: Block = Field("", title=N_("Why it could not be produced before the final decision"))
    vulnerability: Block = Field(
        "",
        title=N_(
            "The situation of vulnerability that prevented you from raising it before (sexual orientation, "
            "sexual violence, trauma…)"
        ),
    )
    evidence_obtained_on: Day | None = Field(None, title=N_("Date you obtained this new evidence"))
    significance: Block = Field(
        "", title=N_("Why it makes it significantly more likely that you qualify for protection")
    )
    exhibits: list[ExhibitNumber] = Field(default_factory=list, title=N_("Numbers of the exhibits that prove it"))


class Reexamination(Answers):
    applicant: Applicant = Field(title=N_("Applicant"))
    final_decision: FinalDecision = Field(title=N_("Final decision on the previous application"))
    registration: Registration = Field(title=N_("New registration at the prefecture"))
    # At least one is needed; checked with a message that explains L.531-42 (procedures/reexamination.py).
    new_elements: list[NewElement] = Field(
        default_factory=list, title=N_("New elements"), json_schema_extra={"minItems": 1}
    )
    exhibits: list[LetterExhibit] = Field(default_factory=list, title=N_("Exhibits (numbered in this order)"))
    language: Name = Field(title=N_("Language in which you wish to be interviewed by Ofpra"))
    signature: Signature = Field(title=N_("Signature"))
