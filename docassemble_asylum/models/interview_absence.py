"""Answers for the letter telling Ofpra that the applicant cannot attend the interview, or will
be late, and asking for a new date (issue 20).

The applicant and the interview are the interview notice's own models (the same facts, read
from the same convocation): ``build interview-absence --from notice.yaml`` takes them as they
are, and nothing is defined twice. What is new here is the absence, who can be reached, and
the documents that justify it (attached to the e-mail by the notice's machinery).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.attached_files import AttachedFile
from docassemble_asylum.models.common import Address, Answers, Block, Line
from docassemble_asylum.models.interview_notice import Applicant, Email, Interview, OptionalEmail, Time


class Absence(Answers):
    kind: Literal["absent", "late"] = Field(title=N_("The applicant cannot attend, or will be late (absent, late)"))
    # Only when late: the time the applicant expects to arrive (HH:MM).
    arrival: Time | None = Field(None, title=N_("Time at which the applicant expects to arrive (HH:MM)"))
    reason: Literal["medical", "other"] = Field(title=N_("Reason (medical, other)"))
    explanation: Block = Field(
        min_length=1, title=N_("The reason, in a few sentences (in French, as the letter will say it)")
    )
    certificate: bool = Field(False, title=N_("A medical certificate is among the documents sent"))


class Contact(Answers):
    address: Address = Field(title=N_("Applicant's postal address (for Ofpra's reply)"))
    phone: Line = Field("", title=N_("Applicant's phone"))
    email: OptionalEmail = Field("", title=N_("Applicant's e-mail"))


class InterviewAbsence(Answers):
    applicant: Applicant = Field(title=N_("Asylum applicant"))
    interview: Interview = Field(title=N_("Interview (from the convocation)"))
    absence: Absence = Field(title=N_("Absence from the interview"))
    contact: Contact = Field(title=N_("How Ofpra can reach the applicant"))
    send_to: Email = Field(title=N_("Ofpra's e-mail address given on the convocation"))
    attachments: list[AttachedFile] = Field(
        default_factory=list, max_length=20, title=N_("Supporting documents to attach (the convocation first, then the certificate)")
    )
    signature_place: Line = Field("", title=N_("Place of signature"))
