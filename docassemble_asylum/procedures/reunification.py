"""Family reunification: validation, eligibility per member, and the whole packet.

Facts flow one way: answers → consistency problems (dates in order, what each
relationship needs, letters the PDF form cannot show) → one verdict per member
(``eligibility/reunification.py``) → the packet:

- ``formulaire-situation-familiale.pdf``: the provisional family-situation form, filled
  from ``templates/forms/family_situation.mapping.yaml`` (only eligible and uncertain
  members; an uncertain one carries a red "à vérifier" line);
- ``lettre-bureau-des-familles.docx``: the French cover letter to the Bureau des familles
  de réfugiés (its unverified address followed by a highlighted mark, an unfinished part);
- ``pieces-a-reunir.docx``, ``calendrier.docx``, ``eligibilite.docx`` and
  ``summary.docx``: checklists, timeline, eligibility report and summary sheet, in the
  user's language (``procedures/reunification_packet.py``).

``form_data`` and ``letter_context`` are the only places that turn answers into what the
documents show; the CLI and a docassemble interview both call them.
"""

from __future__ import annotations

import datetime as dt
import functools

from docassemble_asylum.eligibility.reunification import evaluate
from docassemble_asylum.eligibility.result import MemberVerdict
from docassemble_asylum.errors import field_label
from docassemble_asylum.i18n import N_, gettext
from docassemble_asylum.models.reunification import (
    CHILD_RELATIONSHIPS,
    RELATIONSHIPS,
    UNION_RELATIONSHIPS,
    FamilyMember,
    Reunification,
)
from docassemble_asylum.procedures import reunification_packet as packet
from docassemble_asylum.procedures.base import Problem, Procedure
from docassemble_asylum.procedures.early_verdicts import Verdict
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.rules.schema import Certainty
from docassemble_asylum.procedures.outputs import SUMMARY, form, letter, sheet, summary_sheet
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.placeholders import placeholder
from docassemble_asylum.resources import form_template
from docassemble_asylum.rules import rulebook

FORM = "formulaire-situation-familiale.pdf"
LETTER = "lettre-bureau-des-familles.docx"
FORM_TEMPLATE = "family_situation.pdf"
FORM_MAPPING = "family_situation.mapping.yaml"

# French wordings for the form and the letter (documents for the authorities are French).
RELATIONSHIP_FR = {
    "spouse": "Conjoint (mariage)",  # the words in french.WORDS agree with the member's sex
    "civil_partner": "Partenaire de PACS",
    "partner": "Concubin",
    "child": "Enfant du couple",
    "parent": "Père ou mère",
    "sibling": "Frère ou sœur",
    "other": "Autre",
}
ONE_PARENT_FR = {"protected_person": "Enfant de la personne protégée (union précédente)", "partner": "Enfant du conjoint (union précédente)"}
MARITAL_FR = {
    "single": "Célibataire",
    "married": "Marié",  # agreed with the person's sex by _agreed()
    "civil_partnership": "Pacsé",
    "divorced": "Divorcé",
    "widowed": "Veuf",
}
RESIDENCE_DOCUMENT_FR = {"residence_card": "Carte de séjour ou de résident", "receipt": "Récépissé", "none": "Aucun à ce jour"}
CUSTODY_FR = {
    "sole_filiation": "Filiation établie à l'égard d'un seul parent",
    "other_parent_deceased": "Autre parent décédé",
    "other_parent_deprived": "Autre parent déchu de l'autorité parentale",
    "custody_judgment": "Garde confiée par une juridiction étrangère",
    "none_of_these": "Aucune de ces situations",
}
PROTECTION_FR = {
    "refugee": "réfugié statutaire",
    "subsidiary_protection": "bénéficiaire de la protection subsidiaire",
    "stateless": "apatride reconnu",
}
OTHER_PARENT_PLACEHOLDER = placeholder("nom")
# The Bureau's address (rule reunification.bureau_address) is not confirmed by an official
# page: both letters to the Bureau carry this mark under it, highlighted as every part left
# to complete, and list it among the unfinished parts (``unverified_address``).
UNVERIFIED_ADDRESS_MARK = placeholder("adresse à vérifier avant l'envoi, non confirmée par une page officielle")
CAUTION_FR = (
    "À VÉRIFIER AVANT L'ENVOI : éligibilité incertaine pour cette personne (voir le rapport d'éligibilité) ; "
    "demandez conseil."
)


# --- consistency ---------------------------------------------------------------------------


def _other(*loc) -> dict:
    """Another answer named by its label and path: messages name fields, never the values typed."""
    label, path = field_label(Reunification, loc)
    return {"other": label, "other_path": path}



def consistency(answers: Reunification, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    person = answers.protected_person
    pp = ("protected_person",)
    for name in ("asylum_application_date", "protection_granted_on", "date_of_birth"):
        if getattr(person, name) > today:
            problems.append(Problem((*pp, name), N_("this date is in the future.")))
    if person.protection_granted_on < person.asylum_application_date:
        problems.append(
            Problem(
                (*pp, "protection_granted_on"),
                N_("protection cannot have been granted before the asylum application (“{other}”, {other_path})."),
                _other(*pp, "asylum_application_date"),
            )
        )
    if person.date_of_birth >= person.asylum_application_date:
        problems.append(
            Problem((*pp, "date_of_birth"), N_("this date must be before “{other}” ({other_path})."), _other(*pp, "asylum_application_date"))
        )
    arrival = person.date_of_arrival_in_france
    if arrival is not None:
        if arrival > today:
            problems.append(Problem((*pp, "date_of_arrival_in_france"), N_("this date is in the future.")))
        if arrival < person.date_of_birth:
            problems.append(
                Problem((*pp, "date_of_arrival_in_france"), N_("this date is before “{other}” ({other_path})."), _other(*pp, "date_of_birth"))
            )
    needs_marital = any(m.relationship in ("parent", "sibling") for m in answers.members)
    if needs_marital and person.marital_status is None:
        problems.append(Problem((*pp, "marital_status"), N_("this answer is required when parents or brothers and sisters are listed.")))
    if answers.signature.date > today:
        problems.append(Problem(("signature", "date"), N_("this date is in the future.")))
    for index, member in enumerate(answers.members):
        problems += _member_problems(answers, index, member, today)
    if not problems:
        problems += form_font_problems(answers, today)
    return problems


def _member_problems(answers: Reunification, index: int, member: FamilyMember, today: dt.date) -> list[Problem]:
    at = ("members", index)
    problems: list[Problem] = []
    relationship = member.relationship
    if relationship is None:
        problems.append(
            Problem(
                (*at, "relationship"),
                N_("the relationship to the protected person is missing: choose one of {choices}."),
                {"choices": ", ".join(RELATIONSHIPS)},
            )
        )
    if member.date_of_birth > today:
        problems.append(Problem((*at, "date_of_birth"), N_("this date is in the future.")))
    visa = member.visa_application_date
    if visa is not None:
        if visa > today:
            problems.append(Problem((*at, "visa_application_date"), N_("this date is in the future: leave it empty if the visa application has not been made yet.")))
        if member.date_of_birth > visa:
            problems.append(Problem((*at, "date_of_birth"), N_("this date is after “{other}” ({other_path})."), _other(*at, "visa_application_date")))
        if visa < answers.protected_person.protection_granted_on:
            problems.append(
                Problem(
                    (*at, "visa_application_date"),
                    N_("a reunification visa can only be applied for once protection was granted (“{other}”, {other_path})."),
                    _other("protected_person", "protection_granted_on"),
                )
            )
    refused = member.visa_refusal_notified_on
    if refused is not None:
        if visa is None:
            problems.append(Problem((*at, "visa_application_date"), N_("this answer is required when a visa refusal is given.")))
        elif refused < visa:
            problems.append(
                Problem(
                    (*at, "visa_refusal_notified_on"),
                    N_("a refusal cannot be notified before the visa application (“{other}”, {other_path})."),
                    _other(*at, "visa_application_date"),
                )
            )
        if refused > today:
            problems.append(Problem((*at, "visa_refusal_notified_on"), N_("this date is in the future.")))
    union = member.union_date
    if relationship in UNION_RELATIONSHIPS:
        if union is None:
            problems.append(Problem((*at, "union_date"), N_("this answer is required for a spouse, civil partner or partner.")))
        else:
            if union > today:
                problems.append(Problem((*at, "union_date"), N_("this date is in the future.")))
            if union < member.date_of_birth:
                problems.append(Problem((*at, "union_date"), N_("this date is before the person's date of birth.")))
        if relationship == "partner" and member.common_life_stable is None:
            problems.append(Problem((*at, "common_life_stable"), N_("this answer is required for an unmarried partner.")))
    elif union is not None and relationship is not None:
        problems.append(Problem((*at, "union_date"), N_("only for a spouse, civil partner or partner.")))
    if relationship in (*CHILD_RELATIONSHIPS, "sibling") and member.marital_status is None:
        problems.append(Problem((*at, "marital_status"), N_("this answer is required for a child, a brother or a sister.")))
    if relationship == "child_of_one_parent":
        if member.one_parent_basis is None:
            problems.append(Problem((*at, "one_parent_basis"), N_("this answer is required for a child of one parent.")))
        if member.one_parent_basis == "custody_judgment" and member.custody_judgment is None:
            problems.append(Problem((*at, "custody_judgment"), N_("this answer is required when custody was given by a foreign court.")))
    if member.custody_judgment is not None and member.custody_judgment.date > today:
        problems.append(Problem((*at, "custody_judgment", "date"), N_("this date is in the future.")))
    if not member.applying_now and not member.not_applying_reason.strip():
        problems.append(
            Problem(
                (*at, "not_applying_reason"),
                N_("this answer is required when “{other}” is no ({other_path})."),
                _other(*at, "applying_now"),
            )
        )
    if relationship == "sibling" and member.in_parents_care is None:
        problems.append(Problem((*at, "in_parents_care"), N_("this answer is required for a brother or a sister.")))
    return problems


# --- the family-situation form ---------------------------------------------------------------


@functools.cache
def _template_bytes() -> bytes:
    return form_template(FORM_TEMPLATE).read_bytes()


def _mapping():
    from docassemble_asylum.forms.mapping import load_mapping

    return load_mapping(form_template(FORM_MAPPING))


def _relationship_fr(member: FamilyMember) -> str:
    if member.relationship == "child_of_one_parent":
        return ONE_PARENT_FR[member.whose_child]
    if member.relationship == "parent" and member.sex in ("female", "male"):
        return {"female": "Mère", "male": "Père"}[member.sex]
    if member.relationship == "sibling" and member.sex in ("female", "male"):
        return {"female": "Sœur", "male": "Frère"}[member.sex]
    return _agreed(RELATIONSHIP_FR.get(member.relationship or "other", "Autre"), member.sex)


def other_parent_missing(member: FamilyMember) -> bool:
    """A child of a previous union whose other parent the answers do not give: the Bureau's
    questionnaire asks each child's other parent (section I), and a child "of a previous
    union" with none reads as a union left out. Not when filiation is established to one
    parent only: that child has no other parent in law."""
    return (
        member.relationship == "child_of_one_parent"
        and not member.other_parent.strip()
        and member.one_parent_basis != "sole_filiation"
    )


def _other_parent_fr(member: FamilyMember) -> str:
    """The « — autre parent : X » after a child's link on the form; the highlighted placeholder
    when a child of a previous union has none (listed by ``unfinished``)."""
    if member.other_parent.strip():
        return f" — autre parent : {member.other_parent.strip()}"
    if other_parent_missing(member):
        return f" — autre parent : {OTHER_PARENT_PLACEHOLDER}"
    return ""


def _agreed(word: str, sex: str | None) -> str:
    """The French word agreeing with the person's sex (render/french.py), or as it is."""
    return french.agree(word, sex) if word in french.WORDS else word


def form_data(answers: Reunification, verdicts: list[MemberVerdict]) -> dict:
    """What the mapping file can point at: the answers, plus French wordings under ``computed``."""
    person = answers.protected_person
    pp = person.model_dump()
    pp["computed"] = {
        "marital_status": _agreed(MARITAL_FR.get(person.marital_status or "", ""), person.sex),
        "residence_document": RESIDENCE_DOCUMENT_FR[person.residence_document],
    }
    groups: dict[str, list] = {"spouses": [], "children": [], "parents": [], "siblings": []}
    for verdict in verdicts:
        if not verdict.requested:
            continue
        member = answers.members[verdict.index]
        item = member.model_dump()
        item["_path"] = ["members", verdict.index]
        item["computed"] = {
            "relationship": _relationship_fr(member),
            "marital_status": _agreed(MARITAL_FR.get(member.marital_status or "", ""), member.sex),
            "custody": CUSTODY_FR.get(member.one_parent_basis or "", "") if member.relationship == "child_of_one_parent" else "",
            "caution": CAUTION_FR if verdict.verdict.value == "uncertain" else "",
            "other_parent": _other_parent_fr(member),
        }
        group = {
            "spouse": "spouses",
            "civil_partner": "spouses",
            "partner": "spouses",
            "child": "children",
            "child_of_one_parent": "children",
            "parent": "parents",
            "sibling": "siblings",
        }[member.relationship]
        groups[group].append(item)
    return {
        "protected_person": pp,
        **groups,
        "observations": answers.observations,
        "signature": answers.signature.model_dump(),
        "contact_abroad": answers.contact_abroad.model_dump() if answers.contact_abroad else None,
        # Under "computed": wordings built from several answers (no single answer to point at).
        "bureau": {"computed": bureau_sections(answers, verdicts)},
    }


UNION_KIND_FR = {
    "civil_marriage": "Mariage civil",
    "customary_or_religious_marriage": "Mariage coutumier ou religieux",
    "civil_partnership": "PACS ou partenariat",
    "cohabitation": "Concubinage",
}
UNION_END_FR = {"divorce": "divorce", "death": "décès", "separation": "séparation", "not_ended": "union en cours"}
NOT_ELIGIBLE_FR = "ne remplit pas les conditions de la réunification familiale (voir le rapport d'éligibilité)"


def _printable_name(member: FamilyMember, index: int) -> str:
    """The member's name as the form can print it; a name it cannot print (reported at the
    member's own name fields, or left out with an ineligible member) is never written as "?"."""
    name = member.latin_full_name
    if _coverage_checker()(None, name):
        return f"Membre n° {index + 1} de la liste (nom à écrire en lettres latines)"
    return name


def bureau_sections(answers: Reunification, verdicts: list[MemberVerdict], sources: dict | None = None) -> dict:
    """The Bureau's questionnaire sections as the form shows them (French, one line per item).

    ``sources``, when given, receives for each section the answers written in it, as
    (location in the answers, text): a letter the form cannot print is then reported at
    the very answer that has it (``form_font_problems``), not at the section."""
    sources = {} if sources is None else sources

    def answer(section: str, loc: tuple, text: str) -> str:
        sources.setdefault(section, []).append((loc, text))
        return text

    references = []
    for verdict in verdicts:
        member = answers.members[verdict.index]
        if not verdict.requested:
            continue
        reference = member.visa_application_reference
        reference = answer("visa_references", ("members", verdict.index, "visa_application_reference"), reference) if reference else ""
        parts = [_printable_name(member, verdict.index), reference or "référence non indiquée"]
        parts.append(f"déposée le {date_fr(member.visa_application_date)}" if member.visa_application_date else "à déposer")
        references.append(" — ".join(parts))
    situation = answers.marital_situation
    unions = []
    for number, union in enumerate(situation.other_unions):
        parts = [answer("other_unions", ("marital_situation", "other_unions", number, "spouse_name"), union.spouse_name), UNION_KIND_FR[union.kind]]
        if union.began_on:
            parts.append(f"depuis le {date_fr(union.began_on)}")
        end = UNION_END_FR[union.ended_by]
        parts.append(f"{end} le {date_fr(union.ended_on)}" if union.ended_on and union.ended_by != "not_ended" else end)
        unions.append(" — ".join(parts))
    not_requested = []
    for verdict in verdicts:
        if verdict.requested:
            continue
        member = answers.members[verdict.index]
        if verdict.included:
            reason = answer("not_requested", ("members", verdict.index, "not_applying_reason"), verdict.not_applying_reason)
        else:
            reason = NOT_ELIGIBLE_FR
        name = _printable_name(member, verdict.index)
        not_requested.append(" — ".join([name, _relationship_fr(member), date_fr(member.date_of_birth), reason]))
    for number, other in enumerate(answers.not_requested):
        born = date_fr(other.date_of_birth) if other.date_of_birth else "date de naissance non indiquée"
        written = [answer("not_requested", ("not_requested", number, key), getattr(other, key)) for key in ("full_name", "link")]
        reason = answer("not_requested", ("not_requested", number, "reason"), other.reason)
        not_requested.append(" — ".join([*written, born, reason]))
    return {
        "visa_references": "\n".join(references),
        "current_union": UNION_KIND_FR.get(situation.current_union_kind or "", ""),
        "other_unions": "\n".join(unions),
        "not_requested": "\n".join(not_requested),
    }


def _resolved_form(answers: Reunification, verdicts: list[MemberVerdict]):
    from docassemble_asylum.forms.mapping import plan, resolve

    return resolve(plan(_mapping(), form_data(answers, verdicts)), _coverage_checker())


@functools.cache
def _coverage_checker():
    from docassemble_asylum.render.pdf_form import coverage_checker

    return coverage_checker(_template_bytes())


def form_font_problems(answers: Reunification, today: dt.date) -> list[Problem]:
    """Answers the PDF form's font cannot show and for which no Latin spelling was given."""
    from docassemble_asylum.forms.messages import letter_name

    problems = []
    verdicts = evaluate(answers, today)
    for item in _resolved_form(answers, verdicts).problems:
        if item.source is None:
            located = _answers_not_printable(answers, verdicts, item.field)
            if located:
                for loc, characters in located:
                    problems.append(
                        Problem(
                            loc,
                            N_("the PDF form cannot print a letter of this answer ({letter}): write this answer in Latin letters that the form can print."),
                            {"letter": letter_name(characters)},
                        )
                    )
                continue
        loc = item.source or ("members",)
        if item.latin_source is not None:
            label, _ = field_label(Reunification, item.latin_source)
            problems.append(
                Problem(
                    loc,
                    N_(
                        "the PDF form cannot print a letter of this answer ({letter}): add its spelling in Latin letters "
                        "that the form can print (as in the passport) in “{latin_label}”."
                    ),
                    {"latin_label": label, "letter": letter_name(item.characters)},
                )
            )
        else:
            problems.append(
                Problem(
                    loc,
                    N_("the PDF form cannot print a letter of this answer ({letter}): write this answer in Latin letters that the form can print."),
                    {"letter": letter_name(item.characters)},
                )
            )
    return problems


def _answers_not_printable(answers: Reunification, verdicts: list[MemberVerdict], field: str) -> list[tuple[tuple, str]]:
    """For a field the form fills with one of the Bureau's sections (page 5): each answer
    written in it that the field's font cannot print, with the characters it cannot print."""
    rule = _mapping().fields.get(field)
    prefix = "bureau.computed."
    if rule is None or not rule.value_paths[0].startswith(prefix):
        return []
    sources: dict = {}
    bureau_sections(answers, verdicts, sources)
    check = _coverage_checker()
    found = []
    for loc, text in sources.get(rule.value_paths[0][len(prefix) :], []):
        missing = check(field, text)
        if missing:
            found.append((loc, missing))
    return found


def form_context(answers: Reunification, today: dt.date) -> dict:
    """What the form is filled with (``render.pdf_form.fill``'s arguments): only included members."""
    from docassemble_asylum.render.pdf_form import AddendumSection

    mapping = _mapping()
    resolved = _resolved_form(answers, evaluate(answers, today))
    if resolved.problems:  # consistency() reports these first; reaching here is a bug
        raise RuntimeError(f"unresolved font coverage for {[p.field for p in resolved.problems]}")
    labels = {name: rule.label for name, rule in mapping.fields.items()}
    person = answers.protected_person
    person_name = resolved.values.get("users1_name_full__2") or person.latin_full_name
    for group in mapping.groups:
        for n in range(1, group.slots + 1):
            title = group.title.format(n=n)
            labels.update((group.prefix.format(n=n) + suffix, f"{title} — {rule.label}") for suffix, rule in group.fields.items())
    return {
        "values": resolved.values,
        "sections": [AddendumSection(heading, lines) for heading, lines in resolved.sections],
        "labels": labels,
        "addendum_title": mapping.addendum_title,
        "addendum_header": mapping.addendum_header.format(name=person_name, ofpra=person.ofpra_file_number),
        "addendum_closing": [
            line.format(place=answers.signature.place, date=date_fr(answers.signature.date)) for line in mapping.addendum_closing
        ],
        "page_label": mapping.page_label,
    }


def latin_labels(answers: Reunification, verdicts: list[MemberVerdict]) -> list[str]:
    """The labels of the answers the form shows in their Latin spelling."""
    resolved = _resolved_form(answers, verdicts)
    return [field_label(Reunification, part.source)[0] for part in resolved.latin_used if part.source]


# --- the cover letter --------------------------------------------------------------------------


def letter_context(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date) -> dict:
    person = answers.protected_person
    bureau = rulebook()["reunification.bureau_address"].at(today)
    members = []
    for verdict in verdicts:
        if not verdict.requested:
            continue
        member = answers.members[verdict.index]
        members.append(
            {
                "name": member.letter_name,
                "link": _relationship_fr(member),
                "birth": f"{date_fr(member.date_of_birth)}, {member.letter_place_of_birth}",
                "consulate": member.consulate or member.country_of_residence,
                "visa": _visa_text(member),
            }
        )
    protection = _agreed(PROTECTION_FR[person.protection], person.sex)
    opening = (
        f"{protection[0].upper()}{protection[1:]} depuis le {date_fr(person.protection_granted_on)} (demande d'asile introduite "
        f"le {date_fr(person.asylum_application_date)}), je sollicite la réunification familiale au bénéfice des membres de ma "
        "famille désignés ci-dessous, qui ont déposé ou vont déposer une demande de visa de long séjour auprès des autorités "
        "consulaires françaises :"
    )
    enclosures = [
        "le formulaire relatif à ma situation familiale, complété et signé ;",
        f"la copie de la décision m'accordant la protection (dossier Ofpra n° {person.ofpra_file_number}) ;",
        *bureau_enclosures(answers, today),
        *member_enclosures(answers, verdicts),
        "les éléments de possession d'état établissant les liens familiaux (photographies, échanges de messages, historiques "
        "d'appels, justificatifs d'envois d'argent, témoignages).",
    ]
    observations = [" ".join(p.split("\n")) for p in answers.observations.split("\n\n") if p.strip()]
    contact = " — ".join(x for x in (person.phone, person.email) if x)
    return {
        "sender": {
            "full_name": person.letter_name,
            "address_lines": person.address.lines,
            "contact": contact,
            "ofpra_file_number": person.ofpra_file_number,
        },
        "bureau": {
            "lines": bureau.value["lines"],
            "unverified": UNVERIFIED_ADDRESS_MARK if address_unconfirmed(bureau) else "",
        },
        "place_date": f"{answers.signature.place}, le {date_fr(answers.signature.date)}",
        "opening": opening,
        "members": members,
        "enclosures": enclosures,
        "observations": observations,
    }


def address_unconfirmed(version) -> bool:
    """Whether the Bureau's address (a version of rule ``reunification.bureau_address``) is not confirmed."""
    return version.certainty in (Certainty.unverified, Certainty.uncertain)


def unverified_address(version) -> list[Unfinished]:
    """The unfinished part of a letter sent to an unconfirmed Bureau address (no question fills
    it: the address is checked on a letter from the Bureau, then the mark removed)."""
    if not address_unconfirmed(version):
        return []
    return [
        Unfinished(
            (),
            N_(
                "The Bureau's address is not confirmed by an official page: check it on a letter from the Bureau before "
                "sending, then remove the highlighted mention under it."
            ),
        )
    ]


def _visa_text(member: FamilyMember) -> str:
    # The reference is in the enclosures (a long number does not fit the table's column).
    return f"déposée le {date_fr(member.visa_application_date)}" if member.visa_application_date else "à déposer"


# The letter's words for the documents the checklist tells the protected person to send the
# Bureau (rule reunification.bureau_documents): the letter and the checklist list the same.
BUREAU_ENCLOSURE = {
    "proof_of_address": "un justificatif de mon adresse actuelle ;",
    "social_security_certificate": "mon attestation de droits à l'assurance maladie (sécurité sociale) ;",
    "caf_statement": "ma dernière attestation de paiement de la CAF mentionnant les personnes à ma charge ;",
}
SIMPLIFIED_FORM_STATUSES = ("married", "civil_partnership", "divorced")


def bureau_enclosures(answers: Reunification, today: dt.date) -> list[str]:
    """The protected person's own documents the letter encloses, as the checklist lists them."""
    person = answers.protected_person
    items = rulebook()["reunification.bureau_documents"].at(today).value["items"]
    lines = []
    if "residence_permit_copy" in items:
        held = person.residence_document_fr[0]
        mine = "mon titre de séjour ou de mon récépissé" if " ou " in held else ("ma " if held.startswith("carte") else "mon ") + held
        lines.append(f"la copie recto verso de {mine} ;")
    lines += [BUREAU_ENCLOSURE[item] for item in items if item in BUREAU_ENCLOSURE]
    try:
        rulebook()["reunification.ofpra_simplified_form"].at(today)
    except LookupError:
        return lines
    if person.marital_status in SIMPLIFIED_FORM_STATUSES:
        lines.append("la copie du formulaire simplifié annexé à la décision de l'Ofpra m'accordant la protection ;")
    return lines


ONE_PARENT_ENCLOSURE = {
    "other_parent_deceased": "l'acte de décès de l'autre parent de {name}, avec sa traduction assermentée ;",
    "other_parent_deprived": "la décision retirant l'autorité parentale à l'autre parent de {name}, avec sa traduction assermentée ;",
}


def member_enclosures(answers: Reunification, verdicts: list[MemberVerdict]) -> list[str]:
    """The documents about each requested member that the letter encloses (only those the answers show)."""
    lines = []
    references = []
    for verdict in verdicts:
        if not verdict.requested:
            continue
        member = answers.members[verdict.index]
        judgment = member.custody_judgment
        if member.relationship == "child_of_one_parent" and member.one_parent_basis == "custody_judgment" and judgment:
            lines.append(
                f"le jugement de garde de {member.letter_name} ({judgment.court}, {date_fr(judgment.date)}), avec sa traduction "
                "assermentée ;"
            )
        elif member.relationship == "child_of_one_parent" and member.one_parent_basis in ONE_PARENT_ENCLOSURE:
            lines.append(ONE_PARENT_ENCLOSURE[member.one_parent_basis].format(name=member.letter_name))
        if member.visa_application_date and member.visa_application_reference:
            references.append(f"{member.letter_name} : n° {member.visa_application_reference}")
    if references:
        lines.append("la preuve du dépôt de chaque demande de visa (" + " ; ".join(references) + ") ;")
    return lines


# --- the procedure -----------------------------------------------------------------------------


def any_included(answers: Reunification, today: dt.date) -> bool:
    """Whether a member can apply and applies now: only then are the form, the cover letter and the checklists written."""
    return any(v.requested for v in evaluate(answers, today))


def cover_letter_context(answers: Reunification, today: dt.date) -> dict:
    return letter_context(answers, evaluate(answers, today), today)


def _sheet_context(make):
    def context(answers: Reunification, today: dt.date) -> dict:
        return make(answers, evaluate(answers, today), today).as_context()

    return context


def summary_context(answers: Reunification, today: dt.date) -> dict:
    """The summary sheet, with the listing of the packet's files."""
    verdicts = evaluate(answers, today)
    included = any(v.requested for v in verdicts)
    latin: list[str] = []
    before: list[str] = []
    if included:
        latin = latin_labels(answers, verdicts)
        before = [FORM, LETTER]
    described = {
        FORM: gettext("the family-situation form (provisional model), filled"),
        LETTER: gettext("the cover letter to the Bureau des familles de réfugiés (French, to sign)"),
    }
    listing = [(name, described.get(name, "")) for name in before]
    if included:
        listing.append((packet.CHECKLISTS, gettext("the documents to gather, member by member")))
    listing.append((packet.TIMELINE, gettext("the steps and their dates")))
    listing.append((packet.REPORT, gettext("the eligibility of each member, with reasons and sources")))
    listing.append((SUMMARY, gettext("this summary sheet")))
    from docassemble_asylum.procedures import visa_appeal  # (it reads this module's French words)

    made = packet.summary(answers, verdicts, today, latin, listing)
    made.warnings += visa_appeal.next_step_warnings(answers, today)  # a notified refusal: the appeal, by its title
    return made.as_context()


PREVIOUS_UNION_CHECK = N_(
    "a child of a previous union is declared (“{member}”), and no previous union: if the protected person was in a union "
    "before (marriage, divorce, death, separation), give it here (section 9 of the form); an incomplete declaration can "
    "lead to a refusal. If the child was not born of a union, nothing is missing."
)


def warning_details(answers: Reunification) -> list[dict]:
    """``check``'s warnings (the answers can be built): ``{"field", "question", "message"}``,
    the question named by its label (its field path for machines), no value of the case."""
    index = packet.child_of_previous_union_alone(answers)
    if index is None:
        return []
    label, path = field_label(Reunification, ("marital_situation", "other_unions"))
    member = field_label(Reunification, ("members", index))[0]
    return [{"field": path, "question": label, "message": gettext(PREVIOUS_UNION_CHECK).format(member=member)}]


def unfinished(answers: Reunification, today: dt.date) -> list[Unfinished]:
    """What the form and the letter leave highlighted: the other parent of a child of a
    previous union, and the Bureau's unconfirmed address (only when they are written)."""
    verdicts = evaluate(answers, today)
    parts = []
    if any(v.requested for v in verdicts):
        parts += unverified_address(rulebook()["reunification.bureau_address"].at(today))
    for verdict in verdicts:
        if verdict.requested and other_parent_missing(answers.members[verdict.index]):
            parts.append(
                Unfinished(
                    ("members", verdict.index, "other_parent"),
                    N_("The form does not name the other parent of this child of a previous union (the place is highlighted)."),
                )
            )
    return parts


def report(answers: Reunification, today: dt.date) -> dict:
    return {"members": [v.to_json() for v in evaluate(answers, today)], "warnings": warning_details(answers)}


VERDICT_LABELS = {
    "eligible": N_("eligible"),
    "not_eligible": N_("not eligible"),
    "uncertain": N_("uncertain"),
}


def report_lines(answers: Reunification, today: dt.date) -> list[str]:
    from docassemble_asylum.eligibility.reunification import relationship_label

    lines = []
    for verdict in evaluate(answers, today):
        lines.append(
            gettext("{name} ({relationship}): {verdict}").format(
                name=verdict.name,
                relationship=relationship_label(verdict.relationship, answers.members[verdict.index].sex).text(),
                verdict=gettext(VERDICT_LABELS[verdict.verdict.value]),
            )
        )
        lines += [f"  - {text}" for text in verdict.reason_texts()]
        if verdict.certainty is not Certainty.verified:  # as the eligibility report says it
            lines.append("  - " + gettext("Certainty: {label}").format(label=packet.certainty_label(verdict.certainty)))
    from docassemble_asylum.procedures import visa_appeal

    for warning in warning_details(answers):
        lines.append(gettext("Warning: {message} (question: “{question}”)").format(**warning))
    return lines + visa_appeal.next_step_lines(answers, today)  # the command line only: the command of the next step


def early_member_verdict(answers: dict, today: dt.date, *, final: bool, item: int | None = None) -> Verdict | None:
    """A family member's eligibility right after that member's questions (checkpoint of
    ``interviews/reunification.yml``), by the same rules as the report (``evaluate``) on
    the protected person and the members answered so far: a member added later can still
    change it (a brother or sister comes only with a parent, only one spouse is admitted),
    which the question set names."""
    from docassemble_asylum.eligibility.reunification import relationship_label
    from docassemble_asylum.models.reunification import ProtectedPerson
    from docassemble_asylum.procedures import early_verdicts

    person = early_verdicts.part(ProtectedPerson, answers.get("protected_person"))
    items = answers.get("members")
    if person is None or item is None or not isinstance(items, list) or item >= len(items):
        return None
    members: list[FamilyMember] = []
    position = None
    for index, data in enumerate(items):
        member = early_verdicts.part(FamilyMember, data)
        if member is None:  # this member's questions are not all answered yet
            if index == item:
                return None
            continue
        if index == item:
            position = len(members)
        members.append(member)
    case = Reunification.model_construct(protected_person=person, members=members)
    try:
        verdict = evaluate(case, today)[position]
    except (LookupError, ValueError):  # answers the whole case's checks will name (dates out of order)
        return None
    details = verdict.reason_texts()
    if verdict.certainty is not Certainty.verified:
        details.append(gettext("Certainty: {label}").format(label=packet.certainty_label(verdict.certainty)))
    about = "{name}, {relationship}".format(
        name=verdict.name, relationship=relationship_label(verdict.relationship, members[position].sex).text()
    )
    return Verdict(
        gettext(VERDICT_LABELS[verdict.verdict.value]) + ".",
        tuple(details),
        bad=verdict.verdict.value != "eligible",
        about=about,
        always=True,
    )


PROCEDURE = Procedure(
    name="reunification",
    title=N_("Family reunification"),
    model=Reunification,
    consistency=consistency,
    outputs=(
        form(FORM, FORM_TEMPLATE, N_("Family-situation form (provisional model), filled"), form_context, when=any_included),
        letter(
            LETTER,
            "reunification_cover_letter.docx",
            N_("Cover letter to the Bureau des familles de réfugiés (French, to sign)"),
            cover_letter_context,
            when=any_included,
        ),
        sheet(packet.CHECKLISTS, N_("the documents to gather, member by member"), _sheet_context(packet.checklists), when=any_included),
        sheet(packet.TIMELINE, N_("the steps and their dates"), _sheet_context(packet.timeline)),
        sheet(packet.REPORT, N_("the eligibility of each member, with reasons and sources"), _sheet_context(packet.eligibility_report)),
        summary_sheet(summary_context),
    ),
    report=report,
    report_lines=report_lines,
    unfinished=unfinished,
    rules="reunification",
    catalog="reunification",
)
