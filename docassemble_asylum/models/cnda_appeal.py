"""Answers for the appeal to the CNDA against an Ofpra decision (R.532-6 / R.532-7 CESEDA)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import (
    Address,
    Answers,
    Block,
    Day,
    FileNumber,
    Lawyer,
    LetterExhibit,
    Line,
    Name,
    Person,
    Signature,
)


class Applicant(Person):
    address: Address = Field(title=N_("Address for correspondence"))
    ofpra_file_number: FileNumber = Field(title=N_("Ofpra file number"))
    phone: Line = Field("", title=N_("Phone"))
    email: Line = Field("", title=N_("E-mail"))
    lives_overseas: bool = Field(False, title=N_("Lives in an overseas department or territory"))


class Notification(Answers):
    method: Literal["postal", "uncollected", "online"] = Field(
        title=N_("How the decision was notified (postal, uncollected, online)")
    )
    received_on: Day | None = Field(None, title=N_("Date the registered letter was received"))
    notice_date: Day | None = Field(None, title=N_("Date of the postal notice (avis de passage)"))
    posted_online_on: Day | None = Field(None, title=N_("Date the decision was posted in the Ofpra online account"))
    first_read_on: Day | None = Field(None, title=N_("Date the decision was first read online"))


class Decision(Answers):
    number: Name = Field(title=N_("Number of the Ofpra decision"))
    date: Day = Field(title=N_("Date of the Ofpra decision"))
    outcome: Literal["rejection", "subsidiary_protection_granted"] = Field(
        "rejection", title=N_("What Ofpra decided (rejection, or subsidiary protection instead of refugee status)")
    )
    procedure: Literal["normal", "accelerated", "inadmissibility", "implicit_withdrawal", "reexamination_rejected"] = Field(
        "normal", title=N_("Kind of decision (normal, accelerated procedure, inadmissibility)")
    )
    notification: Notification = Field(title=N_("Notification of the decision"))
    stated_period: Line = Field(
        "", title=N_("Appeal period printed on the decision (“voies et délais de recours”), e.g. 1 month or 15 days")
    )
    # The June 2026 reform (RULES.md §0.1): the EU regulation governs applications lodged
    # from 12 June 2026. Optional: answers files written before it still load; empty = unknown.
    application_lodged_on: Day | None = Field(None, title=N_("Date the asylum application was lodged (empty if unknown)"))


class LegalAid(Answers):
    status: Literal["not_requested", "requested", "granted", "refused"] = Field(
        "not_requested", title=N_("Legal aid (aide juridictionnelle)")
    )
    requested_on: Day | None = Field(None, title=N_("Date legal aid was requested"))
    request_proof: Line = Field("", title=N_("Proof of the date of the legal-aid request (e.g. fax transmission report)"))
    decided_on: Day | None = Field(None, title=N_("Date of the legal-aid decision"))
    decision_notified_on: Day | None = Field(None, title=N_("Date the legal-aid decision was notified"))
    designated_lawyer: Line = Field("", title=N_("Lawyer designated under legal aid"))
    # Optional (answers files written before it still load): without it the letters use a neutral wording.
    designated_lawyer_sex: Literal["female", "male", "other"] | None = Field(
        None, title=N_("Sex of the designated lawyer (for the French grammar of the letter)")
    )
    reference: Line = Field("", title=N_("Legal-aid file number"))


class Ground(Answers):
    heading: Name = Field(title=N_("Heading of the ground"))
    text: Block = Field("", title=N_("Argument"))


class DecisionReason(Answers):
    """One reason Ofpra gave for its decision, and the applicant's answer to it (point by point)."""

    reason: Block = Field(min_length=1, title=N_("Reason given in the Ofpra decision"))
    answer: Block = Field("", title=N_("Answer to this reason"))


AppealExhibit = LetterExhibit  # the appeal's exhibits, as the re-examination's


class Representative(Answers):
    """Who signs for a minor applicant (CNDA page "déposer mon recours")."""

    kind: Literal["parent", "ad_hoc_administrator", "not_known_yet"] = Field(
        title=N_("Legal representative of the minor applicant (parent, administrateur ad hoc, not known yet)")
    )
    name: Line = Field("", title=N_("Name of the legal representative"))
    sex: Literal["female", "male", "other"] | None = Field(None, title=N_("Sex of the legal representative (for the French grammar)"))


class CndaAppeal(Answers):
    applicant: Applicant = Field(title=N_("Applicant"))
    decision: Decision = Field(title=N_("Contested Ofpra decision"))
    facts: Block = Field(min_length=1, title=N_("The applicant's account of the facts"))
    decision_reasons: list[DecisionReason] = Field(default_factory=list, title=N_("Reasons of the Ofpra decision, answered point by point"))
    grounds: list[Ground] = Field(default_factory=list, title=N_("Grounds (legal arguments)"))
    hearing_language: Name = Field(title=N_("Language in which the applicant wishes to be heard"))
    legal_aid: LegalAid = Field(default_factory=LegalAid, title=N_("Legal aid"))
    exhibits: list[AppealExhibit] = Field(default_factory=list, title=N_("Exhibits (besides the contested decision)"))
    filed_by: Literal["applicant", "lawyer"] = Field("applicant", title=N_("Who signs and files the appeal"))
    lawyer: Lawyer | None = Field(None, title=N_("Lawyer"))
    representative: Representative | None = Field(None, title=N_("Legal representative of the minor applicant"))
    signature: Signature = Field(title=N_("Signature"))
