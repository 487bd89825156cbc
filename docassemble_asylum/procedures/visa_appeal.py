"""The appeal against a visa refusal to the Commission de recours contre les décisions de
refus de visa d'entrée en France: validation, deadline, the French letter, the summary.

RULES.md §5, "Visa refusal, step by step" (1): a mandatory prior appeal, by registered
letter with acknowledgement, within 30 days of the notification of the refusal
(CESEDA D.312-4), with the refusal, its grounds answered one by one and the proofs of the
family link. The protected person and the family are the reunification's facts: the
appeal starts from a reunification answers file (``build visa-appeal --from``), and
only the refusal, its grounds and the evidence are asked.

A late appeal is built all the same (the summary and the command line say what being
late means); a refusal notified before the visa application was lodged is an error
naming both questions.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.reunification import Reunification
from docassemble_asylum.models.visa_appeal import VisaAppeal
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.procedures.base import Problem, Procedure, other_answer
from docassemble_asylum.procedures.outputs import letter, summary_sheet
from docassemble_asylum.procedures.reunification import PROTECTION_FR, _agreed, _relationship_fr
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.summary import Section, Summary, deadline_section, deadline_warnings, footer, day_lines, sending_section
from docassemble_asylum.rules import rulebook

LETTER = "recours-commission-refus-visa.docx"

# The placeholder the letter shows where the user must still write (highlighted by the letters' layer).
TO_COMPLETE = "[À compléter : {what}]"

GROUND_LABELS = {
    "link_not_proven": N_("The family link is not proven"),
    "documents_contested": N_("The civil-status documents are contested"),
    "identity_not_established": N_("The identity is not established"),
    "not_eligible": N_("The conditions of family reunification are not met"),
    "public_order": N_("A threat to public order"),
    "incomplete_file": N_("The file is incomplete"),
    "other": N_("Another ground"),
}

# French headings and the standard argument for each ground (the user's own answer follows it).
GROUND_FR = {
    "link_not_proven": (
        "Sur le lien familial",
        "Le lien familial est établi par les pièces produites : les actes d'état civil et les éléments de possession "
        "d'état (photographies, échanges de messages, relevés d'appels, transferts d'argent, témoignages). La possession "
        "d'état peut établir la filiation (articles 311-1 et 311-2 du code civil).",
    ),
    "documents_contested": (
        "Sur les actes d'état civil",
        "Les actes d'état civil produits, établis dans les formes usitées dans le pays où ils ont été dressés, font foi en "
        "application de l'article 47 du code civil. Il appartient à l'administration qui les conteste d'établir qu'ils sont "
        "irréguliers, falsifiés ou que les faits qu'ils déclarent ne correspondent pas à la réalité ; la décision ne le "
        "démontre pas.",
    ),
    "identity_not_established": (
        "Sur l'identité",
        "L'identité des membres de ma famille est établie par les documents produits (passeports, actes de naissance, "
        "documents d'identité), qui concordent entre eux.",
    ),
    "not_eligible": (
        "Sur les conditions de la réunification familiale",
        "Les conditions posées par l'article L.561-2 du code de l'entrée et du séjour des étrangers et du droit d'asile sont "
        "remplies pour chacun des membres de ma famille désignés ci-dessus.",
    ),
    "public_order": (
        "Sur la menace pour l'ordre public",
        "La décision n'indique aucun fait précis et établi de nature à caractériser une menace pour l'ordre public au sens "
        "de l'article L.561-3 du code de l'entrée et du séjour des étrangers et du droit d'asile.",
    ),
    "incomplete_file": (
        "Sur le caractère incomplet du dossier",
        "Les pièces dont l'absence a été relevée sont jointes au présent recours.",
    ),
    "other": ("Sur le motif de refus", ""),
}
PLACEHOLDER_FOR = {
    "link_not_proven": "les pièces qui établissent le lien familial de chaque membre, et ce qu'elles montrent",
    "documents_contested": "les actes contestés, leur légalisation ou vérification, et pourquoi ils sont authentiques",
    "identity_not_established": "les documents qui établissent l'identité de chaque membre",
    "not_eligible": "la condition que la décision dit manquer, et pourquoi elle est remplie",
    "public_order": "les faits que vise la décision, et pourquoi ils ne caractérisent pas une menace",
    "incomplete_file": "les pièces manquantes, désormais jointes",
    "other": "la réponse à ce motif, avec les pièces qui la prouvent",
}


# --- consistency ---------------------------------------------------------------------------


def consistency(answers: VisaAppeal, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    refusal = answers.refusal
    for loc, day in ((("refusal", "date"), refusal.date), (("refusal", "notified_on"), refusal.notified_on), (("signature", "date"), answers.signature.date)):
        if day > today:
            problems.append(Problem(loc, N_("this date is in the future.")))
    if refusal.notified_on < refusal.date:
        problems.append(
            Problem(
                ("refusal", "notified_on"),
                N_("the refusal cannot be notified before it was decided (“{other}”, {other_path})."),
                other_answer(VisaAppeal, "refusal", "date"),
            )
        )
    person = answers.protected_person
    if person.protection_granted_on < person.asylum_application_date:
        problems.append(
            Problem(
                ("protected_person", "protection_granted_on"),
                N_("protection cannot have been granted before the asylum application (“{other}”, {other_path})."),
                other_answer(VisaAppeal, "protected_person", "asylum_application_date"),
            )
        )
    for index, member in enumerate(answers.members):
        at = ("members", index)
        if member.relationship is None:
            problems.append(Problem((*at, "relationship"), N_("this answer is required.")))
        applied = member.visa_application_date
        if applied is None:
            problems.append(Problem((*at, "visa_application_date"), N_("this answer is required: the refused visa was applied for on a date.")))
            continue
        if applied > today:
            problems.append(Problem((*at, "visa_application_date"), N_("this date is in the future.")))
        if refusal.notified_on < applied:
            problems.append(
                Problem(
                    ("refusal", "notified_on"),
                    N_("the refusal cannot be notified before the visa application was lodged (“{other}”, {other_path})."),
                    other_answer(VisaAppeal, *at, "visa_application_date"),
                )
            )
        elif refusal.date < applied:
            problems.append(
                Problem(
                    ("refusal", "date"),
                    N_("the refusal cannot be decided before the visa application was lodged (“{other}”, {other_path})."),
                    other_answer(VisaAppeal, *at, "visa_application_date"),
                )
            )
    for index, ground in enumerate(answers.grounds):
        if ground.ground == "other" and not ground.stated_as:
            problems.append(Problem(("grounds", index, "stated_as"), N_("this answer is required for another ground: copy it from the refusal.")))
    if answers.signature.date < refusal.notified_on:
        problems.append(
            Problem(
                ("signature", "date"),
                N_("the appeal cannot be signed before the refusal was notified (“{other}”, {other_path})."),
                other_answer(VisaAppeal, "refusal", "notified_on"),
            )
        )
    return problems


# --- from a reunification answers file -----------------------------------------------------


def from_reunification(given: Reunification) -> dict:
    """What a reunification file gives the appeal: the protected person, the members whose
    visa was refused (all members with a visa application if none is marked refused), and
    the refusal's consulate and notification when the refused members share them."""
    dumped = given.model_dump(mode="json")
    refused = [i for i, m in enumerate(given.members) if m.visa_refusal_notified_on is not None]
    chosen = refused or [i for i, m in enumerate(given.members) if m.visa_application_date is not None]
    answers: dict = {"protected_person": dumped["protected_person"]}
    if chosen:
        answers["members"] = [dumped["members"][i] for i in chosen]
    refusal: dict = {}
    notified = {given.members[i].visa_refusal_notified_on for i in refused}
    if len(notified) == 1:
        refusal["notified_on"] = notified.pop().isoformat()
    consulates = {given.members[i].consulate for i in chosen}
    if len(consulates) == 1 and "" not in consulates:
        refusal["consulate"] = consulates.pop()
    if refusal:
        answers["refusal"] = refusal
    return answers


# --- the reunification points here ---------------------------------------------------------


def open_appeal(answers: Reunification, today: dt.date) -> DeadlineResult | None:
    """The appeal's deadline for the earliest visa refusal a reunification records, while it
    is still open: the next step its summary and its command line point to."""
    from docassemble_asylum.deadlines import visa

    notified = [m.visa_refusal_notified_on for m in answers.members if m.visa_refusal_notified_on is not None]
    if not notified or min(notified) > today:
        return None
    result = visa.compute_appeal(min(notified), today)
    return None if result.passed else result


def next_step_warnings(answers: Reunification, today: dt.date) -> list[str]:
    """For the reunification's summary sheet: the next step by its title (never a command:
    the sheet is also shown on docassemble)."""
    result = open_appeal(answers, today)
    if result is None:
        return []
    return [
        gettext(
            "A visa refusal was notified: the appeal to the commission must arrive by {date}. Prepare the “{title}”: the "
            "family is already answered."
        ).format(date=format_date(result.safe_day), title=gettext(PROCEDURE.title))
    ]


def next_step_lines(answers: Reunification, today: dt.date) -> list[str]:
    """For the reunification's command line: the next step by its command."""
    result = open_appeal(answers, today)
    if result is None:
        return []
    return [
        gettext("Next step: a visa refusal was notified, appeal by {date}: asylumdocs build visa-appeal --from {file} --out FOLDER").format(
            date=format_date(result.safe_day), file=gettext("ANSWERS_FILE")
        )
    ]


# --- deadline ------------------------------------------------------------------------------


def compute_deadline(answers: VisaAppeal, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import visa

    return visa.compute_appeal(answers.refusal.notified_on, today, labels=_labels())


def _labels() -> dict[str, str]:
    from docassemble_asylum.errors import field_label

    return {"notified": field_label(VisaAppeal, ("refusal", "notified_on"))[0]}


def _commission(answers: VisaAppeal):
    return rulebook()["reunification.crrv_address"].at(answers.refusal.notified_on)


# --- the letter ----------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _member(member) -> dict:
    born = french.agree("né", member.sex)
    return {
        "name": member.letter_name,
        "birth": f"{born} le {date_fr(member.date_of_birth)} à {member.letter_place_of_birth}",
        "nationality": member.nationality,
        "link": _relationship_fr(member),
        "applied": f"demande de visa déposée le {date_fr(member.visa_application_date)}" if member.visa_application_date else "",
    }


def ground_blocks(answers: VisaAppeal) -> list[dict]:
    blocks = []
    for ground in answers.grounds:
        heading, argument = GROUND_FR[ground.ground]
        paragraphs = []
        if ground.stated_as:
            end = "" if ground.stated_as.endswith((".", "!", "?", "…")) else "."
            paragraphs.append(f"La décision retient : « {ground.stated_as} »{end}")
        if argument:
            paragraphs.append(argument)
        own = _paragraphs(ground.answer)
        paragraphs += own or [TO_COMPLETE.format(what=PLACEHOLDER_FOR[ground.ground])]
        blocks.append({"heading": heading, "paragraphs": paragraphs})
    return blocks


def enclosures(answers: VisaAppeal) -> list[str]:
    refusal = answers.refusal
    person = answers.protected_person
    items = [
        f"Copie de la décision de refus de visa (référence {refusal.reference}) du {date_fr(refusal.date)} et de sa notification",
        "Copie de la décision accordant la protection internationale "
        f"(dossier Ofpra n° {person.ofpra_file_number}, décision du {date_fr(person.protection_granted_on)})",
        f"Copie recto verso {person.residence_document_fr[1]}",
        "Justificatifs des demandes de visa (formulaires et reçus de dépôt)",
    ]
    items += [e.title + (" (avec traduction)" if e.translated else "") for e in answers.evidence]
    return items


def letter_context(answers: VisaAppeal, today: dt.date) -> dict:
    """Everything the French letter shows, as plain values (strings, lists, dicts)."""
    person, refusal = answers.protected_person, answers.refusal
    commission = _commission(answers).value
    status = _agreed(PROTECTION_FR[person.protection], person.sex)
    signed = french.agree("Je soussigné", person.sex)
    members = [_member(m) for m in answers.members]
    several = len(members) > 1
    names = french.and_list([m["name"] for m in members])
    opening = (
        f"{signed} {person.letter_name}, {status} par décision du {date_fr(person.protection_granted_on)} (dossier Ofpra "
        f"n° {person.ofpra_file_number}), forme le présent recours contre la décision du {date_fr(refusal.date)} "
        f"(référence {refusal.reference} ; {refusal.consulate}) refusant "
        + ("les visas de long séjour sollicités" if several else "le visa de long séjour sollicité")
        + f" au titre de la réunification familiale par {names}. Cette décision a été notifiée le {date_fr(refusal.notified_on)}."
    )
    facts = [
        opening,
        f"J'ai demandé l'asile en France le {date_fr(person.asylum_application_date)}. "
        + ("Les membres de ma famille désignés ci-dessous ont" if several else "Le membre de ma famille désigné ci-dessous a")
        + " sollicité un visa de long séjour au titre de la réunification familiale (articles L.561-2 et suivants du code de "
        "l'entrée et du séjour des étrangers et du droit d'asile).",
    ]
    if all(m.declared_to_ofpra for m in answers.members):
        facts.append(
            ("Ils ont été déclarés" if several else "Ce membre de ma famille a été déclaré")
            + " à l'Office français de protection des réfugiés et apatrides lors de ma demande d'asile."
        )
    general = (
        "Le refus porte en outre une atteinte disproportionnée au droit au respect de la vie familiale garanti par "
        "l'article 8 de la convention européenne de sauvegarde des droits de l'homme et des libertés fondamentales"
    )
    if any(m.relationship in ("child", "child_of_one_parent") for m in answers.members):
        general += ", et méconnaît l'intérêt supérieur des enfants (article 3-1 de la convention internationale des droits de l'enfant)"
    return {
        "sender": {
            "full_name": person.letter_name,
            "address_lines": person.address.lines,
            "ofpra_file_number": person.ofpra_file_number,
            "other_names": ", ".join(person.other_names),
            "contact": " — ".join(x for x in (person.phone, person.email) if x),
        },
        "commission": {"name": commission["name"], "lines": commission["lines"]},
        "subject": (
            "recours contre la décision de refus de visa de long séjour (réunification familiale) du "
            f"{date_fr(refusal.date)}, référence {refusal.reference}"
        ),
        "salutation": "Madame la Présidente, Monsieur le Président,",
        "facts": facts,
        "members": members,
        "grounds": ground_blocks(answers),
        "general": general + ".",
        "evidence": [e.title + (" (avec traduction)" if e.translated else "") for e in answers.evidence]
        or [TO_COMPLETE.format(what="les pièces qui prouvent le lien familial")],
        "conclusion": (
            "Pour ces motifs, je vous demande d'admettre le présent recours et de recommander aux ministres compétents "
            + ("d'accorder les visas de long séjour sollicités." if several else "d'accorder le visa de long séjour sollicité.")
        ),
        "closing": "Je vous prie d'agréer, Madame la Présidente, Monsieur le Président, l'expression de ma considération distinguée.",
        "enclosures": enclosures(answers),
        "refusal": {"reference": refusal.reference, "date": date_fr(refusal.date)},
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date), "name": person.letter_name},
    }


# --- the summary sheet ---------------------------------------------------------------------


def summary(answers: VisaAppeal, deadline: DeadlineResult, today: dt.date) -> Summary:
    refusal = answers.refusal
    address = _commission(answers)
    sheet = Summary(
        title=gettext("Appeal against a visa refusal — summary sheet"),
        subtitle=gettext("For {name}, against the refusal {reference} of {date}").format(
            name=answers.protected_person.full_name, reference=refusal.reference, date=format_date(refusal.date)
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    if deadline.passed:
        sheet.warnings.append(deadline.warnings[0])
    if any(not g.answer for g in answers.grounds) or not answers.evidence:
        sheet.warnings.append(
            gettext("The letter has parts to complete, marked “[À compléter : …]”: write them in French before sending.")
        )
    sheet.sections.append(deadline_section(deadline, gettext("Deadline: when the appeal must reach the commission")))
    sheet.sections.append(
        sending_section(
            gettext("Where and how to send it"),
            address,
            gettext("This address is not confirmed by an official page (unverified): the refusal notice says where to appeal, and it prevails."),
            [
                gettext("By registered letter with acknowledgement of receipt. Keep the proof of posting and the acknowledgement: its date starts the commission's two months."),
                gettext("Sign the letter, and keep a copy of everything you send."),
                gettext("Answer each ground of the refusal: the commission examines the file as it is sent."),
            ],
        )
    )
    answered = Section(gettext("The grounds answered"))
    answered.bullets += [
        gettext(GROUND_LABELS[g.ground]) + ("" if g.answer else " — " + gettext("to complete in the letter")) for g in answers.grounds
    ]
    sheet.sections.append(answered)
    enclose = Section(gettext("What to enclose"))
    enclose.bullets += [
        gettext("A copy of the refusal decision and of its notification."),
        gettext("A copy of the decision granting protection, and of the residence permit or receipt (both sides)."),
        gettext("Proof of the visa applications."),
    ]
    enclose.bullets += [e.title for e in answers.evidence]
    sheet.sections.append(enclose)
    after = Section(gettext("After sending"))
    silence = rulebook()["reunification.crrv_period"].at(refusal.notified_on).value["silence_months"]
    after.paragraphs.append(
        gettext(
            "Without an answer within {months} months of the day the commission receives the appeal, it is rejected; received "
            "on {received}, that would be on {date}."
        ).format(
            months=silence,
            received=format_date(deadline.safe_day),
            date=format_date(dt.date.fromisoformat(deadline.details["implicit_rejection_if_received_on_safe_day"])),
        )
    )
    after.bullets += [
        gettext(
            "Against the commission's rejection, explicit or implicit, the next step is the “Application to the administrative "
            "court against a visa refusal” (Tribunal administratif de Nantes, within two months): get help from a lawyer."
        ),
        gettext("If the commission recommends granting the visa, the consulate issues it; keep in touch with the family."),
    ]
    sheet.sections.append(after)
    return sheet


def summary_context(answers: VisaAppeal, today: dt.date) -> dict:
    return summary(answers, compute_deadline(answers, today), today).as_context()


def report_lines(answers: VisaAppeal, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    lines = deadline_warnings(result)
    if result.passed:
        lines.append(result.warnings[0])
    lines += day_lines(result)
    return lines


def unfinished(answers: VisaAppeal, today: dt.date) -> list[Unfinished]:
    """The parts of the letter left "[À compléter : …]" (highlighted): unanswered grounds, no evidence."""
    parts = [
        Unfinished(("grounds", index, "answer"), N_("This ground of the refusal has no answer yet (the place is highlighted)."))
        for index, ground in enumerate(answers.grounds)
        if not _paragraphs(ground.answer)
    ]
    if not answers.evidence:
        parts.append(Unfinished(("evidence",), N_("No evidence of the family link is listed yet (the place is highlighted).")))
    return parts


PROCEDURE = Procedure(
    name="visa-appeal",
    title=N_("Appeal against a visa refusal (commission)"),
    model=VisaAppeal,
    consistency=consistency,
    outputs=(
        letter(LETTER, "visa_appeal.docx", N_("Appeal to the visa refusal commission (French letter, to sign)"), letter_context),
        summary_sheet(summary_context),
    ),
    deadline=compute_deadline,
    report_lines=report_lines,
    rules="visa",
    catalog="visa",
    # A reunification file holds the protected person and the family (build visa-appeal --from).
    reuses={"reunification": from_reunification},
    unfinished=unfinished,
)
