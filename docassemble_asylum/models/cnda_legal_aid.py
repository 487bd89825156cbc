"""Answers for the request for legal aid to the CNDA's legal-aid office (loi n° 91-647, art. 9-4).

The applicant and the Ofpra decision (with its notification) are the CNDA appeal's own
models, not copies: a legal-aid answers file holds the same facts under the same names,
so that the appeal can start from it (``build cnda-appeal --from``).
"""

from __future__ import annotations

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.cnda_appeal import Applicant, Decision
from docassemble_asylum.models.common import Answers, Day, Lawyer, Signature


class CndaLegalAid(Answers):
    applicant: Applicant = Field(title=N_("Applicant"))
    decision: Decision = Field(title=N_("Contested Ofpra decision"))
    has_lawyer: bool = Field(False, title=N_("A lawyer accepted to act under legal aid"))
    lawyer: Lawyer | None = Field(None, title=N_("Lawyer"))
    appeal_already_sent: bool = Field(False, title=N_("The appeal was already sent to the court"))
    appeal_sent_on: Day | None = Field(None, title=N_("Date the appeal was sent"))
    signature: Signature = Field(title=N_("Signature"))
