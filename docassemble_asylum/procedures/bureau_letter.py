"""The letter to the Bureau des familles de réfugiés: validation, the French letter, the summary.

RULES.md §5: after the visa applications the Bureau sends the protected person a
family-situation form; when it does not arrive, or when the protected person moves, a
simple letter to the Bureau's address says so, with the references of the visa
applications. There is no legal deadline: the summary advises sending it at once, and
telling Ofpra of a new address first. The Bureau's address is ``unverified`` (rule
``reunification.bureau_address``): the summary says so, and the letter carries under it the
reunification letter's highlighted mark, listed among the unfinished parts.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.bureau_letter import BureauLetter
from docassemble_asylum.models.reunification import Reunification
from docassemble_asylum.procedures.base import Problem, Procedure, other_answer
from docassemble_asylum.procedures.outputs import letter, summary_sheet
from docassemble_asylum.procedures.reunification import (
    PROTECTION_FR,
    UNVERIFIED_ADDRESS_MARK,
    _agreed,
    _relationship_fr,
    address_unconfirmed,
    unverified_address,
)
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.summary import Section, Summary, footer, sending_section, sources_lines
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import Certainty

LETTER = "lettre-bureau-familles-refugies.docx"


def consistency(answers: BureauLetter, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    if not answers.form_not_received and not answers.new_address:
        problems.append(
            Problem(
                ("form_not_received",),
                N_("the letter needs a reason: this answer, or “{other}” ({other_path}), must be yes."),
                other_answer(BureauLetter, "new_address"),
            )
        )
    if answers.new_address and answers.previous_address is None:
        problems.append(Problem(("previous_address",), N_("this answer is required for a new address: the Bureau knows the previous one.")))
    if not answers.new_address:
        for name in ("previous_address", "ofpra_informed_on"):
            if getattr(answers, name) is not None:
                problems.append(Problem((name,), N_("only for a new address.")))
    for loc, day in ((("ofpra_informed_on",), answers.ofpra_informed_on), (("signature", "date"), answers.signature.date)):
        if day is not None and day > today:
            problems.append(Problem(loc, N_("this date is in the future.")))
    for index, member in enumerate(answers.members):
        applied = member.visa_application_date
        if applied is not None and applied > today:
            problems.append(Problem(("members", index, "visa_application_date"), N_("this date is in the future.")))
    return problems


def from_reunification(given: Reunification) -> dict:
    """What a reunification file gives the letter: the protected person, and the members
    who applied for a visa (every member if none has yet)."""
    dumped = given.model_dump(mode="json")
    applied = [i for i, m in enumerate(given.members) if m.visa_application_date is not None]
    return {"protected_person": dumped["protected_person"], "members": [dumped["members"][i] for i in applied or range(len(given.members))]}


def _bureau(answers: BureauLetter):
    return rulebook()["reunification.bureau_address"].at(answers.signature.date)


def letter_context(answers: BureauLetter, today: dt.date) -> dict:
    """Everything the French letter shows, as plain values (strings, lists, dicts)."""
    person = answers.protected_person
    version = _bureau(answers)
    bureau = version.value
    status = _agreed(PROTECTION_FR[person.protection], person.sex)
    signed = french.agree("Je soussigné", person.sex)
    consulates = sorted({m.consulate for m in answers.members if m.consulate})
    at = f"poste consulaire : {', '.join(consulates)} ; " if consulates else ""
    several = len(answers.members) > 1
    paragraphs = [
        f"{signed} {person.letter_name}, {status} (dossier Ofpra n° {person.ofpra_file_number}), ai engagé une procédure de "
        "réunification familiale. "
        + ("Les membres de ma famille désignés ci-dessous ont déposé leurs demandes" if several else "Le membre de ma famille désigné ci-dessous a déposé sa demande")
        + f" de visa de long séjour ({at}références : {answers.visa_references})."
    ]
    if answers.form_not_received:
        paragraphs.append(
            "À ce jour, je n'ai pas reçu le formulaire de situation familiale que votre bureau adresse à la personne "
            "protégée. Je vous remercie de bien vouloir me l'adresser à l'adresse figurant en tête de la présente lettre, "
            "afin que je puisse vous le retourner complété avec les pièces demandées."
        )
    if answers.new_address and answers.previous_address is not None:
        informed = (
            f"J'en ai informé l'Office français de protection des réfugiés et apatrides le {date_fr(answers.ofpra_informed_on)}."
            if answers.ofpra_informed_on
            else "J'en informe également l'Office français de protection des réfugiés et apatrides."
        )
        paragraphs.append(
            f"Je vous informe de ma nouvelle adresse postale : {', '.join(person.address.lines)}. Mon ancienne adresse était : "
            f"{', '.join(answers.previous_address.lines)}. Je vous remercie d'adresser désormais tout courrier à ma nouvelle "
            f"adresse. {informed}"
        )
    if answers.form_not_received and answers.new_address:
        subject = "formulaire de situation familiale non reçu et changement d'adresse"
    elif answers.form_not_received:
        subject = "formulaire de situation familiale non reçu"
    else:
        subject = "changement d'adresse"
    enclosures = [f"Copie recto verso {person.residence_document_fr[1]}", "Copie des reçus de dépôt des demandes de visa"]
    if answers.new_address:
        enclosures.insert(1, "Justificatif de la nouvelle adresse")
    references = [f"N° de dossier Ofpra : {person.ofpra_file_number}", f"Demandes de visa : {answers.visa_references}"]
    if answers.bureau_reference:
        references.append(f"N° DCE : {answers.bureau_reference}")
    return {
        "sender": {
            "full_name": person.letter_name,
            "address_lines": person.address.lines,
            "contact": " — ".join(x for x in (person.phone, person.email) if x),
        },
        "references": references,
        "bureau": {"lines": bureau["lines"], "unverified": UNVERIFIED_ADDRESS_MARK if address_unconfirmed(version) else ""},
        "subject": f"réunification familiale — {subject}",
        "salutation": "Madame, Monsieur,",
        "paragraphs": paragraphs,
        "members": [
            {
                "name": m.letter_name,
                "detail": f"{_relationship_fr(m)}, {french.agree('né', m.sex)} le {date_fr(m.date_of_birth)} à {m.letter_place_of_birth}"
                + (f" ; demande de visa déposée le {date_fr(m.visa_application_date)}" if m.visa_application_date else ""),
            }
            for m in answers.members
        ],
        "closing": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "enclosures": enclosures,
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date), "name": person.letter_name},
    }


def summary(answers: BureauLetter, today: dt.date) -> Summary:
    address = _bureau(answers)
    sheet = Summary(
        title=gettext("Letter to the Bureau des familles de réfugiés — summary sheet"),
        subtitle=gettext("For {name}, Ofpra file no. {number}").format(
            name=answers.protected_person.full_name, number=answers.protected_person.ofpra_file_number
        ),
        footer=footer(),
    )
    if answers.new_address and answers.ofpra_informed_on is None:
        sheet.warnings.append(
            gettext("Tell Ofpra your new address first (through your online account or by letter): the Bureau and Ofpra must have the same address.")
        )
    when = Section(gettext("When to send it"))
    when.paragraphs.append(gettext("There is no legal deadline: send it as soon as possible, the family's visa files wait for the Bureau's form."))
    if answers.new_address:
        when.bullets.append(
            gettext("Ofpra was told of the new address on {date}.").format(date=format_date(answers.ofpra_informed_on))
            if answers.ofpra_informed_on
            else gettext("Ofpra does not know the new address yet: tell it before, or at the same time.")
        )
    sheet.sections.append(when)
    sheet.sections.append(
        sending_section(
            gettext("Where and how to send it"),
            address,
            gettext("This address is not confirmed by an official page (unverified): check it on a letter from the Bureau."),
            [gettext("By post; a registered letter with acknowledgement of receipt keeps a proof."), gettext("Sign the letter, and keep a copy.")],
            named=False,
        )
    )
    enclose = Section(gettext("What to enclose"))
    enclose.bullets.append(gettext("A copy of the residence permit or receipt (both sides)."))
    if answers.new_address:
        enclose.bullets.append(gettext("A proof of the new address."))
    enclose.bullets.append(gettext("Copies of the receipts of the visa applications."))
    sheet.sections.append(enclose)
    if answers.form_not_received:
        then = Section(gettext("When the form arrives"))
        then.paragraphs.append(
            gettext("Complete it, sign it and send it back with its documents (the family reunification packet lists them).")
        )
        sheet.sections.append(then)
    sources = Section(gettext("Sources"))
    sources.bullets += sources_lines(address.references)
    sheet.sections.append(sources)
    return sheet


def summary_context(answers: BureauLetter, today: dt.date) -> dict:
    return summary(answers, today).as_context()


def report(answers: BureauLetter, today: dt.date) -> dict:
    """No deadline to report: where the letter goes, how sure that address is, and its sources."""
    address = _bureau(answers)
    return {
        "bureau_address": {
            "lines": list(address.value["lines"]),
            "certainty": address.certainty.value,
            "sources": [{"title": r.title, "url": r.url} for r in address.references],
        }
    }


def report_lines(answers: BureauLetter, today: dt.date) -> list[str]:
    lines = [gettext("No legal deadline: send the letter as soon as possible.")]
    if _bureau(answers).certainty is not Certainty.verified:
        lines.append(gettext("The Bureau's address is not confirmed by an official page (unverified): check it on a letter from the Bureau."))
    if answers.new_address and answers.ofpra_informed_on is None:
        lines.append(gettext("Tell Ofpra your new address first (through your online account or by letter): the Bureau and Ofpra must have the same address."))
    return lines


def unfinished(answers: BureauLetter, today: dt.date) -> list[Unfinished]:
    """The mark under the Bureau's address while it is unconfirmed (the same as the reunification letter's)."""
    return unverified_address(_bureau(answers))


PROCEDURE = Procedure(
    name="bureau-letter",
    title=N_("Letter to the Bureau des familles de réfugiés"),
    model=BureauLetter,
    consistency=consistency,
    outputs=(
        letter(LETTER, "bureau_letter.docx", N_("Letter to the Bureau des familles de réfugiés (French, to sign)"), letter_context),
        summary_sheet(summary_context),
    ),
    report=report,
    report_lines=report_lines,
    unfinished=unfinished,
    catalog="visa",
    # A reunification file holds the protected person and the family (build bureau-letter --from).
    reuses={"reunification": from_reunification},
)
