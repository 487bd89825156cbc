"""The draft application to the Tribunal administratif de Nantes against the commission's
rejection of a visa appeal: validation, deadline, the French draft, the summary.

RULES.md §5, "Visa refusal, step by step" (3): against the commission's explicit
rejection, or its implicit rejection (silence for two months from its receipt of the
appeal), within two months (``deadlines/visa.py``). The draft gives the facts, the
grounds as headings to complete (marked « [À compléter : …] »: the legal argument is a
lawyer's work), the conclusions (annulment; injunction to issue the visa or to
re-examine, L.911-1 CJA; costs, L.761-1 CJA) and the exhibits. The summary says that a
référé-suspension is an option to discuss with a lawyer, and that it needs this main
application filed.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.french_calendar import add_months
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.visa_tribunal import VisaTribunal
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.procedures.base import Problem, Procedure, other_answer
from docassemble_asylum.procedures.outputs import deadline_summary_sheet, letter
from docassemble_asylum.procedures.reunification import PROTECTION_FR, _agreed
from docassemble_asylum.procedures.visa_appeal import TO_COMPLETE, _member, _paragraphs
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.placeholders import placeholder
from docassemble_asylum.render.summary import Section, Summary, deadline_section, deadline_warnings, footer, sending_section
from docassemble_asylum.rules import rulebook

LETTER = "requete-tribunal-administratif-nantes.docx"

# The ground of the refusal, as the heading of the ground that contests it.
GROUND_HEADINGS = {
    "link_not_proven": "Sur l'erreur d'appréciation du lien familial",
    "documents_contested": "Sur la méconnaissance de l'article 47 du code civil (force probante des actes d'état civil)",
    "identity_not_established": "Sur l'erreur d'appréciation de l'identité",
    "not_eligible": "Sur la méconnaissance de l'article L.561-2 du code de l'entrée et du séjour des étrangers et du droit d'asile",
    "public_order": "Sur l'erreur d'appréciation de la menace pour l'ordre public",
    "incomplete_file": "Sur le caractère prétendument incomplet du dossier",
    "other": "Sur le motif tiré de ce que",
}


def consistency(answers: VisaTribunal, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    c, refusal = answers.commission, answers.refusal
    at = ("commission",)
    for loc, day in (
        (("refusal", "date"), refusal.date),
        (("refusal", "notified_on"), refusal.notified_on),
        ((*at, "appeal_sent_on"), c.appeal_sent_on),
        ((*at, "received_on"), c.received_on),
        ((*at, "rejection_date"), c.rejection_date),
        ((*at, "rejection_notified_on"), c.rejection_notified_on),
        ((*at, "reasons_requested_on"), c.reasons_requested_on),
        (("signature", "date"), answers.signature.date),
    ):
        if day is not None and day > today:
            problems.append(Problem(loc, N_("this date is in the future.")))

    def before(loc: tuple, day, other: tuple, other_day, msgid: str) -> None:
        if day is not None and other_day is not None and day < other_day:
            problems.append(Problem(loc, msgid, other_answer(VisaTribunal, *other)))

    before(("refusal", "notified_on"), refusal.notified_on, ("refusal", "date"), refusal.date,
           N_("the refusal cannot be notified before it was decided (“{other}”, {other_path})."))
    before((*at, "appeal_sent_on"), c.appeal_sent_on, ("refusal", "date"), refusal.date,
           N_("the appeal cannot be sent before the refusal (“{other}”, {other_path})."))
    before((*at, "received_on"), c.received_on, (*at, "appeal_sent_on"), c.appeal_sent_on,
           N_("the commission cannot receive the appeal before it was sent (“{other}”, {other_path})."))
    if c.rejection == "explicit":
        for name in ("rejection_date", "rejection_notified_on"):
            if getattr(c, name) is None:
                problems.append(Problem((*at, name), N_("this answer is required for an explicit rejection.")))
        before((*at, "rejection_date"), c.rejection_date, (*at, "received_on"), c.received_on,
               N_("the commission cannot reject the appeal before receiving it (“{other}”, {other_path})."))
        before((*at, "rejection_notified_on"), c.rejection_notified_on, (*at, "rejection_date"), c.rejection_date,
               N_("the rejection cannot be notified before it was decided (“{other}”, {other_path})."))
        for name in ("reasons_requested_on",):
            if getattr(c, name) is not None:
                problems.append(Problem((*at, name), N_("only for an implicit rejection.")))
        if c.routes_stated != "unknown":
            problems.append(Problem((*at, "routes_stated"), N_("only for an implicit rejection.")))
    else:
        for name in ("rejection_date", "rejection_notified_on"):
            if getattr(c, name) is not None:
                problems.append(Problem((*at, name), N_("only for an explicit rejection.")))
        before((*at, "reasons_requested_on"), c.reasons_requested_on, (*at, "received_on"), c.received_on,
               N_("the reasons cannot be asked for before the commission received the appeal (“{other}”, {other_path})."))
    if answers.has_lawyer and answers.lawyer is None:
        problems.append(Problem(("lawyer",), N_("the lawyer's name and bar are needed when a lawyer represents the applicant.")))
    return problems


def compute_deadline(answers: VisaTribunal, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import visa
    from docassemble_asylum.errors import field_label

    c = answers.commission
    labels = {
        "rejection_notified": field_label(VisaTribunal, ("commission", "rejection_notified_on"))[0],
        "commission_received": field_label(VisaTribunal, ("commission", "received_on"))[0],
        "routes_stated": field_label(VisaTribunal, ("commission", "routes_stated"))[0],
    }
    if c.rejection == "explicit":
        inputs = visa.TribunalInputs(rejection_notified=c.rejection_notified_on, today=today)
    else:
        inputs = visa.TribunalInputs(
            commission_received=c.received_on, routes_stated=c.routes_stated, today=today, reasons_requested=c.reasons_requested_on
        )
    return visa.compute_tribunal(inputs, labels=labels)


def _tribunal(answers: VisaTribunal):
    return rulebook()["visa.tribunal_address"].at(answers.commission.received_on)


def _contested(answers: VisaTribunal, deadline: DeadlineResult) -> str:
    c, refusal = answers.commission, answers.refusal
    if c.rejection == "explicit":
        which = f"la décision du {date_fr(c.rejection_date)}, notifiée le {date_fr(c.rejection_notified_on)},"
    else:
        born = dt.date.fromisoformat(deadline.details["implicit_rejection"])
        which = f"la décision implicite née le {date_fr(born)}"
    return (
        f"{which} par laquelle la commission de recours contre les décisions de refus de visa d'entrée en France a rejeté le "
        f"recours formé contre la décision du {date_fr(refusal.date)} (référence {refusal.reference} ; {refusal.consulate}) "
        "refusant la délivrance de visas de long séjour au titre de la réunification familiale"
    )


def _acting_for(answers: VisaTribunal) -> str:
    """In what capacity the protected person acts, and the family members who are parties.

    An adult cannot be represented « au nom de » without a mandate: each adult member is a
    co-applicant acting in their own name; the protected person's own children under 18 on
    the date of the application are represented by their parent (« représentant légal »).
    Other minors (a partner's child) are named as before, for the lawyer to settle."""
    from docassemble_asylum.eligibility.ages import age_years_months

    person, signed = answers.protected_person, answers.signature.date
    minors, adults, others = [], [], []
    for member in answers.members:
        minor = age_years_months(member.date_of_birth, signed)[0] < 18
        own_child = member.relationship in ("child", "child_of_one_parent") and member.whose_child == "protected_person"
        if minor and own_child:
            minors.append(member.letter_name)
        elif minor:
            others.append(member.letter_name)
        else:
            adults.append(member)
    capacity = "agissant en son nom propre"
    if minors:
        children = "son enfant mineur" if len(minors) == 1 else "ses enfants mineurs"
        quality = french.by_sex(
            person.sex,
            f"en qualité de représentante légale de {children}",
            f"en qualité de représentant légal de {children}",
            f"exerçant l'autorité parentale sur {children}",
        )
        capacity += f" et {quality} {french.and_list(minors)}"
    if others:
        capacity += f" et au nom de {french.and_list(others)}"
    for member in adults:
        born = french.agree("né", member.sex)
        capacity += (
            f" ; {member.letter_name}, {born} le {date_fr(member.date_of_birth)} à {member.letter_place_of_birth}, de "
            f"nationalité {member.nationality}, agissant en son nom propre"
        )
    return capacity


def _reasons_answer_day(requested: dt.date) -> dt.date:
    """The last day for the commission to give the reasons asked for on ``requested`` (one month, L.232-4 CRPA)."""
    months = int(rulebook()["visa.implicit_rejection"].at(requested).value["reasons_answer_months"])
    return add_months(requested, months)


def _unreasoned_ground(requested: dt.date | None, signed: dt.date) -> str:
    """The external-legality ground on the missing reasons of the implicit rejection (L.232-4 CRPA).

    An implicit decision is not unlawful for want of reasons; it becomes so only when the
    reasons, asked for, are not given within the month (``visa.implicit_rejection``). Before
    that month has run at the date of the application, the ground is a placeholder to
    complete once it has (highlighted like every placeholder)."""
    if requested is None:
        return "La décision implicite de rejet n'est pas motivée."
    answer = _reasons_answer_day(requested)
    if signed <= answer:
        return placeholder(f"après le {date_fr(answer)}, motifs communiqués ou non")
    return (
        f"Les motifs de cette décision, demandés le {date_fr(requested)}, n'ont pas été communiqués dans le délai d'un mois "
        "prévu par l'article L.232-4 du code des relations entre le public et l'administration : la décision est entachée "
        "d'un défaut de motivation."
    )


def letter_context(answers: VisaTribunal, today: dt.date) -> dict:
    """Everything the French draft shows, as plain values (strings, lists, dicts)."""
    deadline = compute_deadline(answers, today)
    person, refusal, c = answers.protected_person, answers.refusal, answers.commission
    tribunal = _tribunal(answers).value
    status = _agreed(PROTECTION_FR[person.protection], person.sex)
    members = [_member(m) for m in answers.members]
    names = french.and_list([m["name"] for m in members])
    contested = _contested(answers, deadline)
    also = f" (autres noms ou graphies : {', '.join(person.other_names)})" if person.other_names else ""
    applicant = (
        f"{person.letter_name}{also}, {french.agree('né', person.sex)} le {date_fr(person.date_of_birth)} à "
        f"{person.place_of_birth}, de nationalité {person.nationality}, {status} (dossier Ofpra n° {person.ofpra_file_number}), "
        f"demeurant {', '.join(person.address.lines)}, {_acting_for(answers)}"
    )
    represented = ""
    if answers.has_lawyer and answers.lawyer is not None:
        lawyer = answers.lawyer
        counsel = french.by_sex(lawyer.sex, "Ayant pour avocate", "Ayant pour avocat", "Ayant pour conseil")
        represented = f"{counsel} Maître {lawyer.name}, {french.agree('avocat au barreau de', lawyer.sex)} {lawyer.bar}"
    facts = [
        f"{person.letter_name} a obtenu la protection internationale par décision du {date_fr(person.protection_granted_on)}, "
        f"sur une demande d'asile introduite le {date_fr(person.asylum_application_date)}.",
        f"Les membres de sa famille ({names}) ont sollicité des visas de long séjour au titre de la réunification familiale "
        "(articles L.561-2 et suivants du code de l'entrée et du séjour des étrangers et du droit d'asile).",
        f"Par une décision du {date_fr(refusal.date)} (référence {refusal.reference} ; {refusal.consulate}), notifiée le "
        f"{date_fr(refusal.notified_on)}, ces visas ont été refusés.",
        f"Le recours administratif préalable obligatoire a été adressé à la commission de recours contre les décisions de refus "
        f"de visa d'entrée en France le {date_fr(c.appeal_sent_on)} ; la commission l'a reçu le {date_fr(c.received_on)}.",
    ]
    if c.rejection == "explicit":
        facts.append(f"La commission a rejeté ce recours par une décision du {date_fr(c.rejection_date)}, notifiée le {date_fr(c.rejection_notified_on)}.")
    else:
        facts.append(
            f"La commission a gardé le silence pendant plus de deux mois : une décision implicite de rejet est née le "
            f"{date_fr(dt.date.fromisoformat(deadline.details['implicit_rejection']))}."
        )
        if c.reasons_requested_on:
            facts.append(
                f"Les motifs de cette décision implicite ont été demandés le {date_fr(c.reasons_requested_on)} (article L.232-4 du "
                "code des relations entre le public et l'administration)."
            )
    facts += _paragraphs(answers.facts)
    external = [TO_COMPLETE.format(what="insuffisance de motivation, vice de procédure, le cas échéant")]
    if c.rejection == "implicit":
        external.insert(0, _unreasoned_ground(c.reasons_requested_on, answers.signature.date))
    internal = []
    for ground in answers.grounds:
        heading = GROUND_HEADINGS[ground.ground]
        if ground.ground == "other":
            heading = f"{heading} « {ground.stated_as} »"
        paragraphs = []
        if ground.stated_as and ground.ground != "other":
            paragraphs.append(f"Le refus retient : « {ground.stated_as.rstrip('.')} ».")
        paragraphs.append(TO_COMPLETE.format(what="l'erreur commise, établie par les pièces produites"))
        internal.append({"heading": heading, "paragraphs": paragraphs})
    internal.append(
        {
            "heading": "Sur la méconnaissance de l'article 8 de la convention européenne de sauvegarde des droits de l'homme et des libertés fondamentales",
            "paragraphs": [TO_COMPLETE.format(what="l'atteinte au droit au respect de la vie familiale")],
        }
    )
    if any(m.relationship in ("child", "child_of_one_parent") for m in answers.members):
        internal.append(
            {
                "heading": "Sur la méconnaissance de l'article 3-1 de la convention internationale des droits de l'enfant",
                "paragraphs": [TO_COMPLETE.format(what="l'intérêt supérieur des enfants")],
            }
        )
    conclusions = [
        f"annuler {contested} ;",
        "enjoindre au ministre de l'intérieur de délivrer les visas de long séjour sollicités dans un délai de quinze jours à "
        "compter de la notification du jugement à intervenir, ou, à défaut, de réexaminer les demandes dans le même délai "
        "(article L.911-1 du code de justice administrative) ;",
        "mettre à la charge de l'État la somme de " + TO_COMPLETE.format(what="montant")
        + " euros au titre de l'article L.761-1 du code de justice administrative.",
    ]
    exhibits = []
    if c.rejection == "explicit":
        exhibits.append(f"Décision de la commission du {date_fr(c.rejection_date)} et sa notification (décision attaquée)")
    else:
        exhibits.append(f"Recours adressé à la commission le {date_fr(c.appeal_sent_on)} et accusé de réception du {date_fr(c.received_on)}")
    if c.rejection == "explicit":
        exhibits.append(f"Recours adressé à la commission le {date_fr(c.appeal_sent_on)} et accusé de réception")
    if c.reasons_requested_on:
        exhibits.append(f"Demande de communication des motifs du {date_fr(c.reasons_requested_on)}")
    exhibits += [
        f"Décision de refus de visa du {date_fr(refusal.date)} (référence {refusal.reference}) et sa notification",
        f"Décision accordant la protection internationale (dossier Ofpra n° {person.ofpra_file_number})",
        f"{person.residence_document_fr[0].capitalize()} (recto verso)",
    ]
    exhibits += [e.title + (" (avec traduction)" if e.translated else "") for e in answers.evidence]
    return {
        "tribunal": {"name": tribunal["name"], "lines": tribunal["lines"]},
        "applicant": applicant,
        "represented": represented,
        "contested": contested[0].upper() + contested[1:],
        "facts": facts,
        "members": members,
        "external": external,
        "internal": internal,
        "conclusions": conclusions,
        "exhibits": exhibits,
        "signature": {
            "place": answers.signature.place,
            "date": date_fr(answers.signature.date),
            "name": f"Maître {answers.lawyer.name}" if answers.has_lawyer and answers.lawyer else person.letter_name,
        },
        "reference": refusal.reference,
        "sender": {"full_name": person.letter_name},
    }


def summary(answers: VisaTribunal, deadline: DeadlineResult) -> Summary:
    c = answers.commission
    address = _tribunal(answers)
    sheet = Summary(
        title=gettext("Application to the administrative court against a visa refusal — summary sheet"),
        subtitle=gettext("For {name}, against the commission's rejection of the appeal on the refusal {reference}").format(
            name=answers.protected_person.full_name, reference=answers.refusal.reference
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    sheet.warnings.append(
        gettext(
            "This is a draft: its grounds are marked “[À compléter : …]”. Have it completed and checked by a lawyer (legal aid "
            "is possible) before filing it."
        )
    )
    sheet.sections.append(deadline_section(deadline, gettext("Deadline: when the application must reach the tribunal")))
    sheet.sections.append(
        sending_section(
            gettext("Where and how to file it"),
            address,
            gettext("This address is not confirmed by an official page (unverified): check it on the tribunal's website or on the commission's decision."),
            [
                # Télérecours is compulsory for a lawyer (R.414-1 CJA); Télérecours citoyen is for unrepresented people.
                gettext("The lawyer files the application through Télérecours (compulsory for lawyers, article R.414-1 of the CJA).")
                if answers.has_lawyer and answers.lawyer is not None
                else gettext("Online through Télérecours citoyen, or by registered post with acknowledgement of receipt, or at the tribunal's registry."),
                gettext("Enclose the contested decision (or, for an implicit rejection, the appeal and its acknowledgement of receipt) and the exhibits, listed and numbered."),
                gettext("Sign the application."),
            ],
        )
    )
    urgent = Section(gettext("The urgent procedure (référé-suspension)"))
    urgent.paragraphs.append(
        gettext(
            "If the separation is urgent, a référé-suspension can ask the judge to suspend the rejection quickly. It is an "
            "option to discuss with a lawyer: it needs urgency and a serious doubt about the decision's legality, and it can "
            "only be made with or after this main application, filed."
        )
    )
    sheet.sections.append(urgent)
    if c.rejection == "implicit":
        reasons = Section(gettext("The reasons of the implicit rejection"))
        if c.reasons_requested_on:
            reasons.paragraphs.append(
                gettext("The reasons were asked for on {date}: keep the commission's answer and add it to the file.").format(
                    date=format_date(c.reasons_requested_on)
                )
            )
        else:
            reasons.paragraphs.append(
                gettext(
                    "Ask the commission for the reasons of its implicit rejection (article L.232-4 of the CRPA), before the last "
                    "day: it must give them within a month, and the period to go to the tribunal is then extended until two "
                    "months after they are given."
                )
            )
        sheet.sections.append(reasons)
    return sheet


def unfinished(answers: VisaTribunal, today: dt.date) -> list[Unfinished]:
    """A draft: its legal grounds are always headings to complete (highlighted), with a lawyer;
    the ground on the reasons waits until the month to give them has run."""
    parts = [
        Unfinished(
            ("grounds",),
            N_("The legal grounds of the application are headings to complete, with a lawyer (the places are highlighted)."),
        )
    ]
    c = answers.commission
    requested = c.reasons_requested_on
    if c.rejection == "implicit" and requested and answers.signature.date <= _reasons_answer_day(requested):
        parts.append(
            Unfinished(
                ("commission", "reasons_requested_on"),
                N_(
                    "The commission still has time to give the reasons of its implicit rejection: say whether it gave them "
                    "once the month has run (the place is highlighted)."
                ),
            )
        )
    return parts


PROCEDURE = Procedure(
    name="visa-tribunal",
    title=N_("Application to the administrative court against a visa refusal"),
    model=VisaTribunal,
    consistency=consistency,
    outputs=(
        letter(LETTER, "visa_tribunal.docx", N_("Application to the Tribunal administratif de Nantes (French draft, to complete)"), letter_context),
        deadline_summary_sheet(summary, compute_deadline),
    ),
    deadline=compute_deadline,
    rules="visa",
    catalog="visa",
    # A visa appeal's answers hold the family, the refusal and its grounds (build visa-tribunal --from).
    reuses={"visa-appeal": ("protected_person", "members", "refusal", "grounds", "evidence")},
    unfinished=unfinished,
)
