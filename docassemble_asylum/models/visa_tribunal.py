"""Answers for the application to the Tribunal administratif de Nantes against the
commission's rejection of a visa appeal (RULES.md §5, "Visa refusal, step by step" (3)).

The protected person, the family, the refusal and its grounds are the visa appeal's own
models: a visa-appeal answers file gives them (``build visa-tribunal --from``). What is
new is the commission's answer: an explicit rejection (dated, notified) or its silence
(the day it received the appeal, and whether its acknowledgement stated the routes of
appeal).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Answers, Block, Day, Exhibit, Lawyer, Signature
from docassemble_asylum.models.reunification import FamilyMember, ProtectedPerson
from docassemble_asylum.models.visa_appeal import RefusalGround, VisaRefusal


class CommissionAnswer(Answers):
    appeal_sent_on: Day = Field(title=N_("Date the appeal to the commission was sent"))
    received_on: Day = Field(title=N_("Date the commission received the appeal (acknowledgement of receipt)"))
    rejection: Literal["explicit", "implicit"] = Field(title=N_("The commission's answer (explicit, implicit)"))
    rejection_date: Day | None = Field(None, title=N_("Date of the commission's rejection"))
    rejection_notified_on: Day | None = Field(None, title=N_("Date the commission's rejection was notified"))
    routes_stated: Literal["yes", "no", "unknown"] = Field(
        "unknown", title=N_("The acknowledgement of receipt stated the routes and periods of appeal (yes, no, unknown)")
    )
    reasons_requested_on: Day | None = Field(None, title=N_("Date the reasons of the implicit rejection were asked for"))


class VisaTribunal(Answers):
    protected_person: ProtectedPerson = Field(title=N_("Protected person"))
    members: list[FamilyMember] = Field(min_length=1, max_length=40, title=N_("Family members whose visa was refused"))
    refusal: VisaRefusal = Field(title=N_("Visa refusal"))
    grounds: list[RefusalGround] = Field(min_length=1, max_length=12, title=N_("Grounds of the refusal"))
    commission: CommissionAnswer = Field(title=N_("Appeal to the commission"))
    facts: Block = Field("", title=N_("Other facts (in French)"))
    evidence: list[Exhibit] = Field(default_factory=list, max_length=60, title=N_("Evidence of the family link"))
    has_lawyer: bool = Field(False, title=N_("A lawyer represents the applicant"))
    lawyer: Lawyer | None = Field(None, title=N_("Lawyer"))
    signature: Signature = Field(title=N_("Signature"))
