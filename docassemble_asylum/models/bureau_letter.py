"""Answers for the letter to the Bureau des familles de réfugiés (RULES.md §5): its
family-situation form did not arrive, and/or the protected person has a new postal
address.

The protected person and the family members are the reunification's own models: a
reunification answers file gives them (``build bureau-letter --from``), and only the
letter's own facts are asked.
"""

from __future__ import annotations

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Address, Answers, Day, Line, Name, Signature
from docassemble_asylum.models.reunification import FamilyMember, ProtectedPerson


class BureauLetter(Answers):
    protected_person: ProtectedPerson = Field(title=N_("Protected person"))
    members: list[FamilyMember] = Field(min_length=1, max_length=40, title=N_("Family members who applied for a visa"))
    visa_references: Name = Field(title=N_("References of the visa applications"))
    bureau_reference: Line = Field("", title=N_("Reference given by the Bureau (DCE number), if any"))
    form_not_received: bool = Field(title=N_("The Bureau's family-situation form was not received"))
    new_address: bool = Field(title=N_("The protected person has a new postal address"))
    previous_address: Address | None = Field(None, title=N_("Previous postal address"))
    ofpra_informed_on: Day | None = Field(None, title=N_("Date Ofpra was told of the new address"))
    signature: Signature = Field(title=N_("Signature"))
