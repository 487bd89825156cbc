"""Answers for family reunification (réunification familiale, L.561-2 / L.582-5 CESEDA).

One protected person (refugee, subsidiary protection, or recognised stateless person)
and the family members they want to be joined by. The model only checks types; what
depends on several answers or on today's date (a union after the asylum application, a
birth date after the visa application, the conditions of the law) is checked in
``procedures/reunification.py`` and ``eligibility/``, so that each message can name the
exact field.

Why a ``latin_spelling`` block: the provisional family-situation form (and most official
PDF forms) use a font that cannot show Arabic or Cyrillic letters. The person's own Latin
spelling (as in the passport or the Ofpra documents) is what goes into such a form; the
original spelling stays in the DOCX letters. Spellings are never guessed by the tool.

Why ``relationship`` may be missing in the model: its absence is reported by the
procedure with the list of choices and what each means, a more useful message than the
generic "this answer is required".
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Address, Answers, Block, Day, FileNumber, Line, Name, Person, Signature

Relationship = Literal["spouse", "civil_partner", "partner", "child", "child_of_one_parent", "parent", "sibling", "other"]
RELATIONSHIPS: tuple[str, ...] = get_args(Relationship)
UNION_RELATIONSHIPS = ("spouse", "civil_partner", "partner")
CHILD_RELATIONSHIPS = ("child", "child_of_one_parent")

MaritalStatus = Literal["single", "married", "civil_partnership", "divorced", "widowed"]
OneParentBasis = Literal["sole_filiation", "other_parent_deceased", "other_parent_deprived", "custody_judgment", "none_of_these"]


class LatinSpelling(Answers):
    family_name: Line = Field("", title=N_("Family name in Latin letters"))
    given_names: Line = Field("", title=N_("Given names in Latin letters"))
    place_of_birth: Line = Field("", title=N_("Place of birth in Latin letters"))


def latin_first(latin: str, original: str) -> str:
    """``Herat (Afghanistan) / هرات``: the Latin spelling first, for a French office that
    files and searches in Latin letters; the person's own spelling after it, never lost.
    A slash rather than parentheses: a parenthesis next to right-to-left text is mirrored
    or left alone at a line end by the bidirectional algorithm (seen in LibreOffice)."""
    if not latin or latin == original:
        return original
    return f"{latin} / {original}"


class LatinSpelled:
    """What a person with a ``latin_spelling`` block shows in a French letter."""

    latin_spelling: LatinSpelling

    @property
    def latin_full_name(self) -> str:
        family = self.latin_spelling.family_name or self.family_name
        given = self.latin_spelling.given_names or self.given_names
        return f"{given} {family.upper()}"

    @property
    def letter_name(self) -> str:
        return latin_first(self.latin_full_name, self.full_name)

    @property
    def letter_place_of_birth(self) -> str:
        return latin_first(self.latin_spelling.place_of_birth, self.place_of_birth)


class ProtectedPerson(LatinSpelled, Person):
    latin_spelling: LatinSpelling = Field(
        default_factory=LatinSpelling, title=N_("Spelling in Latin letters (as in the passport or Ofpra documents)")
    )
    marital_status: MaritalStatus | None = Field(
        None, title=N_("Marital status (single, married, civil_partnership, divorced, widowed)")
    )
    ofpra_file_number: FileNumber = Field(title=N_("Ofpra file number"))
    protection: Literal["refugee", "subsidiary_protection", "stateless"] = Field(
        title=N_("Protection granted (refugee, subsidiary_protection, stateless)")
    )
    asylum_application_date: Day = Field(title=N_("Date the asylum (or statelessness) application was lodged"))
    protection_granted_on: Day = Field(title=N_("Date protection was granted"))
    residence_document: Literal["residence_card", "receipt", "none"] = Field(
        title=N_("Residence document held (residence_card, receipt, none)")
    )
    address: Address = Field(title=N_("Address in France"))
    phone: Line = Field("", title=N_("Phone"))
    email: Line = Field("", title=N_("E-mail"))
    date_of_arrival_in_france: Day | None = Field(None, title=N_("Date of arrival in France"))
    bureau_reference: Line = Field("", title=N_("Reference given by the Bureau des familles de réfugiés (n° DCE), if any"))

    @property
    def residence_document_fr(self) -> tuple[str, str]:
        """The document held as a list of exhibits names it, bare and after "de" ("carte de
        résident", "de la carte de résident"): never "titre de séjour ou récépissé" when the
        answers say which. A refugee's card is a carte de résident, a beneficiary of
        subsidiary protection's a carte de séjour pluriannuelle."""
        if self.residence_document == "receipt":
            return "récépissé", "du récépissé"
        if self.residence_document == "residence_card":
            if self.protection == "refugee":
                return "carte de résident", "de la carte de résident"
            if self.protection == "subsidiary_protection":
                return "carte de séjour pluriannuelle", "de la carte de séjour pluriannuelle"
            return "titre de séjour", "du titre de séjour"
        return "titre de séjour ou récépissé", "du titre de séjour ou du récépissé"


class CustodyJudgment(Answers):
    court: Name = Field(title=N_("Court that gave custody (name, city, country)"))
    date: Day = Field(title=N_("Date of the custody judgment"))


class FamilyMember(LatinSpelled, Person):
    latin_spelling: LatinSpelling = Field(
        default_factory=LatinSpelling, title=N_("Spelling in Latin letters (as in the passport)")
    )
    relationship: Relationship | None = Field(
        None,
        title=N_("Relationship to the protected person"),
        description="spouse, civil_partner, partner (unmarried), child (of the couple), "
        "child_of_one_parent (previous union), parent, sibling, other",
    )
    marital_status: MaritalStatus | None = Field(
        None, title=N_("Marital status (single, married, civil_partnership, divorced, widowed)")
    )
    union_date: Day | None = Field(None, title=N_("Date of the marriage or PACS, or start of the common life"))
    union_place: Line = Field("", title=N_("Place of the marriage or PACS"))
    common_life_stable: bool | None = Field(
        None, title=N_("Stable and continuous common life before the asylum application")
    )
    whose_child: Literal["protected_person", "partner"] = Field(
        "protected_person", title=N_("Child of (protected_person, partner)")
    )
    one_parent_basis: OneParentBasis | None = Field(
        None,
        title=N_(
            "Why this child may come with one parent (sole_filiation, other_parent_deceased, "
            "other_parent_deprived, custody_judgment, none_of_these)"
        ),
    )
    custody_judgment: CustodyJudgment | None = Field(None, title=N_("Foreign custody judgment"))
    in_parents_care: bool | None = Field(None, title=N_("In the effective charge of the parents"))
    country_of_residence: Name = Field(title=N_("Country of residence"))
    address_of_residence: Line = Field("", title=N_("Address of residence"))
    consulate: Line = Field("", title=N_("French consulate where the visa is applied for"))
    declared_to_ofpra: bool | None = Field(None, title=N_("Declared to Ofpra during the asylum application"))
    has_passport: bool | None = Field(None, title=N_("Has a valid passport"))
    visa_application_date: Day | None = Field(
        None, title=N_("Date the visa application was lodged at the consulate (empty if not yet)")
    )
    visa_refusal_notified_on: Day | None = Field(None, title=N_("Date a visa refusal was notified"))
    visa_application_reference: Line = Field("", title=N_("Reference of the visa application (France-Visas number)"))
    other_parent: Line = Field("", title=N_("For a child: the other parent's name"))
    applying_now: bool = Field(True, title=N_("Applying for reunification now"))
    not_applying_reason: Block = Field("", title=N_("Why this family member is not applying now"))


PreviousUnionKind = Literal["civil_marriage", "customary_or_religious_marriage", "civil_partnership", "cohabitation"]


class PreviousUnion(Answers):
    """A union other than the current one: ended (divorce, death) or still going on (another spouse)."""

    spouse_name: Name = Field(title=N_("Name of the spouse or partner"))
    kind: PreviousUnionKind = Field(
        title=N_("Kind of union (civil_marriage, customary_or_religious_marriage, civil_partnership, cohabitation)")
    )
    began_on: Day | None = Field(None, title=N_("Date the union began"))
    ended_by: Literal["divorce", "death", "separation", "not_ended"] = Field(
        title=N_("How the union ended (divorce, death, separation, not_ended)")
    )
    ended_on: Day | None = Field(None, title=N_("Date the union ended"))


class MaritalSituation(Answers):
    """Section II of the Bureau's questionnaire: the current marital situation in detail."""

    current_union_kind: PreviousUnionKind | None = Field(
        None,
        title=N_("Kind of the current union (civil_marriage, customary_or_religious_marriage, civil_partnership, cohabitation)"),
    )
    other_unions: list[PreviousUnion] = Field(
        default_factory=list, max_length=20, title=N_("Previous unions, and any other spouse")
    )


class ContactAbroad(Answers):
    """The Bureau's "répondant": the person abroad it can reach about the family."""

    full_name: Line = Field("", title=N_("Contact person abroad: name"))
    city: Line = Field("", title=N_("Contact person abroad: city"))
    country: Line = Field("", title=N_("Contact person abroad: country"))
    phones: Line = Field("", title=N_("Contact person abroad: phones"))
    email: Line = Field("", title=N_("Contact person abroad: e-mail"))


class NotRequestedMember(Answers):
    """Section III of the Bureau's questionnaire: a family member for whom nothing is asked."""

    full_name: Name = Field(title=N_("Name of the family member not requested"))
    link: Name = Field(title=N_("Family link"))
    date_of_birth: Day | None = Field(None, title=N_("Date of birth"))
    reason: Name = Field(title=N_("Why reunification is not requested for this person"))



class Reunification(Answers):
    protected_person: ProtectedPerson = Field(title=N_("Protected person"))
    members: list[FamilyMember] = Field(min_length=1, max_length=40, title=N_("Family members"))
    observations: Block = Field("", title=N_("Observations for the Bureau des familles de réfugiés"))
    marital_situation: MaritalSituation = Field(default_factory=MaritalSituation, title=N_("Current marital situation"))
    contact_abroad: ContactAbroad | None = Field(None, title=N_("Contact person abroad (répondant)"))
    not_requested: list[NotRequestedMember] = Field(
        default_factory=list, max_length=40, title=N_("Family members not requested")
    )
    signature: Signature = Field(title=N_("Signature"))
