"""Answers for the appeal against a visa refusal to the Commission de recours contre les
décisions de refus de visa d'entrée en France (CESEDA, art. D.312-4; RULES.md §5).

The protected person and the family members are the reunification's own models, not
copies: a reunification answers file holds the same facts under the same names, so that
the appeal can start from it (``build visa-appeal --from reunification.yaml``) and ask
only what the refusal adds. The refusal is one decision for the family here (one
consulate, one date of notification that starts the 30 days); several references can be
written in its reference answer.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Answers, Block, Day, Exhibit, Line, Name, Signature
from docassemble_asylum.models.reunification import FamilyMember, ProtectedPerson

Ground = Literal[
    "link_not_proven",
    "documents_contested",
    "identity_not_established",
    "not_eligible",
    "public_order",
    "incomplete_file",
    "other",
]
GROUNDS: tuple[str, ...] = get_args(Ground)


class VisaRefusal(Answers):
    consulate: Name = Field(title=N_("Consulate or embassy that refused the visa"))
    date: Day = Field(title=N_("Date of the refusal decision"))
    reference: Name = Field(title=N_("Reference of the refusal decision"))
    notified_on: Day = Field(title=N_("Date the refusal was notified"))


class RefusalGround(Answers):
    ground: Ground = Field(
        title=N_(
            "Ground of refusal (link_not_proven, documents_contested, identity_not_established, not_eligible, "
            "public_order, incomplete_file, other)"
        )
    )
    stated_as: Line = Field("", title=N_("The ground as the refusal words it"))
    answer: Block = Field("", title=N_("The answer to this ground (in French)"))


class VisaAppeal(Answers):
    protected_person: ProtectedPerson = Field(title=N_("Protected person"))
    members: list[FamilyMember] = Field(min_length=1, max_length=40, title=N_("Family members whose visa was refused"))
    refusal: VisaRefusal = Field(title=N_("Visa refusal"))
    grounds: list[RefusalGround] = Field(min_length=1, max_length=12, title=N_("Grounds of the refusal"))
    evidence: list[Exhibit] = Field(default_factory=list, max_length=60, title=N_("Evidence of the family link"))
    signature: Signature = Field(title=N_("Signature"))
