"""The re-examination request to Ofpra: the law's conditions, the deadline, the French letter, the summary.

Three things here protect the person more than anything else:

- L.531-42 CESEDA as the case law reads it (CE 26 January 2018 n° 397611; the CNDA's
  definition): an element is new if it occurred after the final decision, if the person
  could only learn of it afterwards, if a real situation of vulnerability prevented raising
  it, or if it is new evidence of a fact already invoked. Each element states its head
  (``head_of`` infers it for answers written before the heads existed); an old element
  under none of them is refused here, naming the heads, instead of producing a letter
  Ofpra would declare inadmissible.
- The prefecture of the new registration is derived from the department through the
  dated table (``prefectures.py``), never typed.
- The 8-day period comes from ``deadlines.reexamination`` (rule data), with the safe
  posting day; a request built after the last day still gets its documents, with the
  warning at the top of the summary sheet.

``render_context`` is the one function that turns answers into what the letter shows; the
CLI and the docassemble package both call it.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines import cnda_transition
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.french_calendar import add_months
from docassemble_asylum.i18n import N_, born_fr, format_date, gettext, ngettext
from docassemble_asylum.models.reexamination import Reexamination
from docassemble_asylum.prefectures import DepartmentQueryError, Prefecture, find_department, prefecture_for
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.procedures.base import Problem, Procedure, other_answer
from docassemble_asylum.procedures.outputs import letter, summary_sheet
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render import french
from docassemble_asylum.render.letter import identity
from docassemble_asylum.render.summary import (
    Section,
    Summary,
    certainty_label,
    deadline_section,
    deadline_warnings,
    footer,
    sources_lines,
)
from docassemble_asylum.rules import Certainty, rulebook

LETTER = "demande-reexamen.docx"
TEMPLATE = "reexamination.docx"
L531_42 = "L.531-42 CESEDA"


# --- the law's conditions --------------------------------------------------------------------


def _is_after_decision(day: dt.date | None, decision: dt.date) -> bool:
    """L.531-42: 'intervenus après la date de la décision définitive' — the day itself is not after."""
    return day is not None and day > decision


def consistency(answers: Reexamination, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    decision = answers.final_decision.date
    registered = answers.registration.date
    if answers.applicant.date_of_birth >= decision:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the final decision.")))
    if decision > today:
        problems.append(Problem(("final_decision", "date"), N_("this date is in the future.")))
    if registered < decision:
        problems.append(
            Problem(
                ("registration", "date"),
                N_("the new registration cannot be before the final decision (“{other}”, {other_path})."),
                other_answer(Reexamination, "final_decision", "date"),
            )
        )
    first = _first_rule_day()
    if registered < first:
        problems.append(
            Problem(
                ("registration", "date"),
                N_("the rules of this tool start on {date}: an earlier registration cannot be handled."),
                {"date": first},
            )
        )
    try:
        find_department(answers.registration.department, partial=False)
    except DepartmentQueryError as exc:
        problems.append(Problem(("registration", "department"), exc.msgid, exc.ctx))
    if not answers.new_elements:
        problems.append(
            Problem(
                ("new_elements",),
                N_(
                    "a re-examination needs at least one new element: a fact or a document that arose, or that you "
                    "learned of, after the final decision (L.531-42 CESEDA)."
                ),
            )
        )
    for index, element in enumerate(answers.new_elements):
        problems += _element_problems(index, element, decision, today, len(answers.exhibits))
    if answers.signature.date < registered:
        problems.append(
            Problem(
                ("signature", "date"),
                N_("the request cannot be signed before the new registration (“{other}”, {other_path})."),
                other_answer(Reexamination, "registration", "date"),
            )
        )
    return problems


def head_of(element, decision: dt.date) -> str | None:
    """The head under which ``element`` is new: the one given, or, in answers written before
    the heads existed, the one its dates imply (a later fact; an old fact learned of later).
    ``None``: an old fact with no head, which is not new (refused in ``consistency``)."""
    if element.head is not None:
        return element.head
    if _is_after_decision(element.occurred_on, decision):
        return "occurred_after"
    if element.learned_on is not None:
        return "learned_after"
    return None


NO_HEAD = N_(
    "this element dates from before the final decision (“{other}”, {other_path}). It is new only under one of these "
    "heads: you could only learn of it after that decision (give the date you learned of it); a real situation of "
    "vulnerability (sexual orientation, sexual violence, trauma…) prevented you from raising it (explain it); or it is "
    "new evidence of a fact already invoked (give the date you obtained it) (L.531-42 CESEDA; CE 26 January 2018, "
    "n° 397611)."
)


def _element_problems(index: int, element, decision: dt.date, today: dt.date, exhibit_count: int) -> list[Problem]:
    where = ("new_elements", index)
    decision_answer = other_answer(Reexamination, "final_decision", "date")
    problems: list[Problem] = []
    if element.occurred_on > today:
        problems.append(Problem((*where, "occurred_on"), N_("this date is in the future.")))
    if element.learned_on is not None:
        if element.learned_on > today:
            problems.append(Problem((*where, "learned_on"), N_("this date is in the future.")))
        if element.learned_on < element.occurred_on:
            problems.append(
                Problem(
                    (*where, "learned_on"),
                    N_("you cannot have learned of it before it happened (“{other}”, {other_path})."),
                    other_answer(Reexamination, *where, "occurred_on"),
                )
            )
    head = head_of(element, decision)
    if head is None:
        problems.append(Problem((*where, "head"), NO_HEAD, decision_answer))
    elif head == "occurred_after":
        if not _is_after_decision(element.occurred_on, decision):
            problems.append(
                Problem(
                    (*where, "head"),
                    N_(
                        "this element happened before the final decision (“{other}”, {other_path}), not after it: "
                        "choose the head that applies (learned of later, a situation of vulnerability, or new evidence "
                        "of a fact already invoked), or correct the date."
                    ),
                    decision_answer,
                )
            )
    elif head == "learned_after":
        problems += _learned_after_problems(where, element, decision, decision_answer)
    elif head == "vulnerability":
        if not element.vulnerability:
            problems.append(
                Problem(
                    (*where, "vulnerability"),
                    N_(
                        "explain the situation of vulnerability that prevented you from raising this element before the "
                        "final decision: without it, the element is not new."
                    ),
                )
            )
    else:  # new_evidence
        problems += _new_evidence_problems(where, element, decision, today, decision_answer)
    for position, number in enumerate(element.exhibits):
        if number > exhibit_count:
            problems.append(
                Problem(
                    (*where, "exhibits", position),
                    N_("there is no exhibit no. {number}: the list of exhibits has {count}."),
                    {"number": number, "count": exhibit_count},
                )
            )
    return problems


def _learned_after_problems(where: tuple, element, decision: dt.date, decision_answer: dict) -> list[Problem]:
    if element.learned_on is None:
        return [
            Problem(
                (*where, "learned_on"),
                N_(
                    "give the date you learned of this element: it is new under this head only if you could learn of it "
                    "only after the final decision (“{other}”, {other_path}) (L.531-42 CESEDA)."
                ),
                decision_answer,
            )
        ]
    if not _is_after_decision(element.learned_on, decision):
        return [
            Problem(
                (*where, "learned_on"),
                N_(
                    "you learned of this element before the final decision (“{other}”, {other_path}): it is not new in "
                    "the sense of L.531-42 CESEDA and cannot support a re-examination. Remove it, or correct the date."
                ),
                decision_answer,
            )
        ]
    if not element.why_not_before:
        return [
            Problem(
                (*where, "why_not_before"),
                N_(
                    "explain why this element could not be produced before the final decision (“{other}”, {other_path}) "
                    "(L.531-42 CESEDA)."
                ),
                decision_answer,
            )
        ]
    return []


def _new_evidence_problems(where: tuple, element, decision: dt.date, today: dt.date, decision_answer: dict) -> list[Problem]:
    obtained = element.evidence_obtained_on
    if obtained is None:
        return [
            Problem(
                (*where, "evidence_obtained_on"),
                N_(
                    "give the date you obtained this evidence: new evidence of a fact already invoked counts only if "
                    "the evidence itself is new, obtained after the final decision (“{other}”, {other_path})."
                ),
                decision_answer,
            )
        ]
    if obtained > today:
        return [Problem((*where, "evidence_obtained_on"), N_("this date is in the future."))]
    if not _is_after_decision(obtained, decision):
        return [
            Problem(
                (*where, "evidence_obtained_on"),
                N_(
                    "you obtained this evidence before the final decision (“{other}”, {other_path}): it is not new "
                    "evidence and cannot support a re-examination. Remove it, or correct the date."
                ),
                decision_answer,
            )
        ]
    return []


def _first_rule_day() -> dt.date:
    """The first registration day every rule this procedure needs has a version for."""
    book = rulebook()
    keys = ("reexamination.filing_period", "reexamination.ofpra_address", "prefectures.asylum_registration")
    return max(min(v.effective_from for v in book[key].versions) for key in keys)


# --- derived facts ---------------------------------------------------------------------------


def registration_prefecture(answers: Reexamination) -> Prefecture:
    """The competent prefecture, from the department, under the table in force on the registration day."""
    match = find_department(answers.registration.department, partial=False)
    return prefecture_for(match.code, answers.registration.date)


def compute_deadline(answers: Reexamination, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import reexamination

    return reexamination.compute(answers.registration.date, today)


def _ofpra(answers: Reexamination) -> dict:
    return rulebook()["reexamination.ofpra_address"].at(answers.registration.date).value


# --- the French letter -----------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split("\n")) for p in text.split("\n\n") if p.strip()]


def _exhibit_refs(numbers: list[int]) -> str:
    unique = sorted(dict.fromkeys(numbers))
    if not unique:
        return ""
    listed = ", ".join(f"n° {n}" for n in unique)
    return ("Pièce justificative : " if len(unique) == 1 else "Pièces justificatives : ") + listed + " (voir le bordereau)."


def _decision_sentence(answers: Reexamination) -> tuple[str, str]:
    d = answers.final_decision
    if d.authority == "cnda":
        reference = f"décision de la Cour nationale du droit d'asile n° {d.number} du {date_fr(d.date)}"
        sentence = (
            "Ma précédente demande d'asile a été définitivement rejetée : la Cour nationale du droit d'asile a rejeté "
            f"mon recours par sa décision n° {d.number} du {date_fr(d.date)}."
        )
    else:
        reference = f"décision du directeur général de l'Ofpra n° {d.number} du {date_fr(d.date)}"
        sentence = (
            "Ma précédente demande d'asile a été rejetée par la décision du directeur général de l'Office français "
            f"de protection des réfugiés et apatrides n° {d.number} du {date_fr(d.date)}, devenue définitive."
        )
    return reference, sentence


HEAD_TITLES = {
    "occurred_after": "fait intervenu après la décision définitive",
    "learned_after": "fait dont je n'ai pu avoir connaissance qu'après la décision définitive",
    "vulnerability": "fait antérieur que je n'ai pas pu invoquer en raison d'une situation de vulnérabilité",
    "new_evidence": "élément de preuve nouveau d'un fait déjà invoqué",
}
SIGNIFICANCE = (
    "Cet élément augmente de manière significative la probabilité que je justifie des conditions requises pour "
    "prétendre à une protection (article L.531-42 du CESEDA) : "
)
SIGNIFICANCE_PLACEHOLDER = (
    "[À compléter : en quoi cet élément rend plus probable que vous ayez besoin d'une protection, par exemple le "
    "risque qu'il montre en cas de retour]"
)


def _first_and_rest(text: str, lead: str) -> list[str]:
    """``lead`` (ending with a colon) in a paragraph of its own, then the paragraphs of ``text``.

    The user's own words are kept as typed, in paragraphs of their own: after a colon French
    wants a small letter, which the tool must not write for them."""
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return []
    return [lead.rstrip(), *paragraphs]


def _novelty(head: str, element, decision: dt.date) -> list[str]:
    """The element's head in the words of the law (L.531-42) and of the case law."""
    occurred, decided = date_fr(element.occurred_on), date_fr(decision)
    reason = "Cet élément n'a pas pu être produit auparavant pour la raison suivante : "
    if head == "occurred_after":
        text = (
            f"Date : {occurred}. Ce fait est intervenu après la décision définitive du {decided} (article L.531-42 du "
            "CESEDA) : il n'a donc pas pu être examiné lors de ma précédente demande."
        )
        if element.learned_on is not None and element.learned_on != element.occurred_on:
            text += f" J'en ai eu connaissance le {date_fr(element.learned_on)}."
        return [text, *_first_and_rest(element.why_not_before, reason)]
    if head == "learned_after":
        return [
            # The applicant states the facts; "il est avéré" is the judge's word (CE Mjekiqi), not the applicant's.
            f"Date : {occurred}. Je n'ai appris ce fait que le {date_fr(element.learned_on)}, après la décision définitive "
            f"du {decided} ; je ne pouvais pas le connaître auparavant (article L.531-42 du CESEDA).",
            *_first_and_rest(element.why_not_before, reason),
        ]
    if head == "vulnerability":
        return [
            *_first_and_rest(
                element.vulnerability,
                f"Date : {occurred}. Ce fait est antérieur à la décision définitive du {decided}, mais une situation "
                "réelle de vulnérabilité ne m'a pas permis de l'invoquer lors de ma précédente demande : ",
            ),
            "Selon la définition retenue par la Cour nationale du droit d'asile, constituent des éléments nouveaux les "
            "faits antérieurs que le demandeur n'a pas pu invoquer en raison d'une situation réelle de vulnérabilité, "
            "notamment liée à son orientation sexuelle, à des violences sexuelles ou à un traumatisme.",
        ]
    return [
        f"Ce fait, survenu le {occurred}, a déjà été invoqué lors de ma précédente demande ; l'élément de preuve que je "
        f"produis est nouveau : je ne l'ai obtenu que le {date_fr(element.evidence_obtained_on)}, après la décision "
        f"définitive du {decided}. Un élément de preuve nouveau, postérieur à la décision définitive, constitue un "
        "élément nouveau au sens de l'article L.531-42 du CESEDA (CE, 26 janvier 2018, n° 397611).",
        *_first_and_rest(element.why_not_before, reason),
    ]


def _element_context(number: int, element, decision: dt.date) -> dict:
    head = head_of(element, decision)
    paragraphs = _paragraphs(element.description) + _novelty(head, element, decision)
    significance = _paragraphs(element.significance)
    if significance:
        paragraphs += _first_and_rest(element.significance, SIGNIFICANCE)
    else:
        paragraphs.append(SIGNIFICANCE + SIGNIFICANCE_PLACEHOLDER)
    refs = _exhibit_refs(element.exhibits)
    if refs:
        paragraphs.append(refs)
    return {"number": number, "head": head, "title": HEAD_TITLES[head], "paragraphs": paragraphs}


def request_documents(answers: Reexamination) -> list[dict]:
    """The request's own documents (Ofpra's form, the attestation), lettered A, B… from rule data."""
    return list(rulebook()["reexamination.request_file"].at(answers.registration.date).value["documents"])


def _addressee(answers: Reexamination) -> dict:
    return rulebook()["reexamination.addressee"].at(answers.registration.date).value


def render_context(answers: Reexamination) -> dict:
    """Everything the French letter shows, as plain values (strings, lists, dicts)."""
    a, d, r = answers.applicant, answers.final_decision, answers.registration
    prefecture = registration_prefecture(answers)
    ofpra = _ofpra(answers)
    addressee = _addressee(answers)
    documents = request_documents(answers)
    reference, decision_sentence = _decision_sentence(answers)
    if prefecture.france_asile:
        delivery = f"Remise à l'agent de l'Ofpra — {prefecture.prefecture}, {prefecture.city}"
    else:
        delivery = "Lettre recommandée avec demande d'avis de réception"
    soussigne, ne = french.agree("Je soussigné", a.sex), french.agree("né", a.sex)
    language_sentence = french.by_sex(
        a.sex,
        f"Je souhaite être entendue en {answers.language}.",
        f"Je souhaite être entendu en {answers.language}.",
        f"Je souhaite que mon entretien se déroule en {answers.language}.",
    )
    interview_sentence = french.by_sex(
        a.sex,
        "Je demande expressément à être entendue par un officier de protection lors d'un entretien personnel,",
        "Je demande expressément à être entendu par un officier de protection lors d'un entretien personnel,",
        "Je demande expressément un entretien personnel avec un officier de protection,",
    ) + (
        " afin d'exposer de vive voix ces éléments nouveaux et de répondre à vos questions : l'Office pouvant "
        "statuer sur la recevabilité de ma demande sans entretien (article L.531-42 du CESEDA), cet entretien est "
        "essentiel à l'examen de ma situation."
    )
    by_key = {doc["key"]: doc for doc in documents}
    form, attestation = by_key["form"], by_key["attestation"]
    statement = (
        "La présente lettre est la déclaration écrite qui accompagne le formulaire de demande de réexamen de l'Ofpra, "
        f"que j'ai complété et signé (pièce {form['letter']}), et la copie de mon attestation de demande d'asile "
        f"(pièce {attestation['letter']}). J'y indique par écrit, conformément à l'article L.531-42 du CESEDA, les "
        "faits et les éléments nouveaux qui justifient un nouvel examen de ma demande d'asile."
    )
    titles = {"attestation": f"{attestation['title']} (enregistrement du {date_fr(r.date)})"}
    exhibits = [
        {"number": doc["letter"], "title": titles.get(doc["key"], doc["title"]), "translation": "sans objet"}
        for doc in documents
    ] + [
        {"number": str(i), "title": e.title, "translation": e.translation_note}
        for i, e in enumerate(answers.exhibits, start=1)
    ]
    return {
        "applicant": {
            **identity(a, a.address, a.phone, a.email),
            "ofpra_file_number": a.ofpra_file_number,
            "agdref_number": a.agdref_number,
        },
        "ofpra": {"name": ofpra["name"], "lines": list(ofpra["lines"])},
        "addressee": {"salutation": addressee["salutation"], "closing": " ".join(addressee["closing"].split())},
        "delivery": delivery,
        "reference": reference,
        "introduction": (
            f"{soussigne} {a.full_name}, {ne} {born_fr(a.date_of_birth)} à {a.place_of_birth}, de nationalité "
            f"{a.nationality}, ai l'honneur de solliciter le réexamen de ma demande d'asile, en application des "
            "articles L. 531-41 et L. 531-42 du code de l'entrée et du séjour des étrangers et du droit d'asile (CESEDA)."
        ),
        "statement": statement,
        "decision": {"sentence": decision_sentence},
        "registration": {
            "date": date_fr(r.date),
            "prefecture": prefecture.prefecture,
            "city": prefecture.city,
            "sentence": (
                f"Ma demande de réexamen a été enregistrée le {date_fr(r.date)} par {_office_phrase(prefecture)}, en "
                "application de l'article R. 531-35 du CESEDA, pour le département où je réside "
                f"({prefecture.department_name}, {prefecture.department})."
            ),
        },
        "elements": [_element_context(i, e, d.date) for i, e in enumerate(answers.new_elements, start=1)],
        "interview_sentence": interview_sentence,
        "language_sentence": language_sentence,
        "exhibits": exhibits,
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date)},
    }


# --- the user's summary sheet ----------------------------------------------------------------


def summary(answers: Reexamination, deadline: DeadlineResult, context: dict) -> Summary:
    book = rulebook()
    registered = answers.registration.date
    prefecture = registration_prefecture(answers)
    filing = book["reexamination.filing_period"].at(registered)
    sheet = Summary(
        title=gettext("Re-examination request — summary sheet"),
        subtitle=gettext("For {name}, after final decision no. {number} of {date}").format(
            name=answers.applicant.full_name, number=answers.final_decision.number, date=format_date(answers.final_decision.date)
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    if prefecture.france_asile:
        sheet.warnings.append(_pole_sentence(prefecture))
    if deadline.today is not None and registered > deadline.today:
        sheet.warnings.append(
            gettext("The registration date ({date}) is after today: the letter says the registration took place; check it again after the appointment.").format(
                date=format_date(registered)
            )
        )
    reform = book["cnda.reform_2026"].current
    shortest = reform.value["minimum_days"]["inadmissibility"]
    if registered >= reform.effective_from:
        # Ofpra decides after the registration: a registration after the reform date means a decision under it.
        sheet.warnings.append(
            gettext(
                "Ofpra's decision on this request will come under the reform of June 2026 (decisions notified from {date}): "
                "if it declares the request inadmissible, the period to appeal to the CNDA may be as short as {days} days. "
                "Read the decision as soon as it arrives."
            ).format(date=format_date(reform.effective_from), days=shortest)
        )
    elif add_months(registered, 1) >= reform.effective_from:
        # Ofpra's decision comes after the registration: within a month, it may fall under the reform.
        sheet.warnings.append(
            gettext(
                "Ofpra's decision on this request may be notified on or after {date} (reform of June 2026): if it declares "
                "the request inadmissible, the period to appeal to the CNDA may be as short as {days} days. Read the "
                "decision as soon as it arrives."
            ).format(date=format_date(reform.effective_from), days=shortest)
        )
    if prefecture.certainty.value in ("unverified", "uncertain"):
        sheet.warnings.append(
            gettext("The competent prefecture for {department} is not confirmed by an official text: check it against your convocation.").format(
                department=prefecture.department_label
            )
        )
    if prefecture.shortened_periods:
        sheet.warnings.append(
            gettext("In {department}, some asylum periods are shorter (R.591-12-1 CESEDA): check the period on your convocation.").format(
                department=prefecture.department_label
            )
        )

    sheet.sections.append(
        deadline_section(
            deadline,
            gettext("Deadline: {days} days from the registration to send the request to Ofpra").format(days=filing.value["days"]),
        )
    )

    ofpra = _ofpra(answers)
    completion = book["reexamination.completion_period"].at(registered)
    how = Section(gettext("Where and how to send it"))
    how.paragraphs.append(", ".join([ofpra["name"], *ofpra["lines"]]))
    if prefecture.france_asile:
        how.bullets.append(_pole_sentence(prefecture))
        how.bullets.append(
            gettext(
                "If you are told to post it instead: registered post with acknowledgement of receipt, on {safe} at the "
                "latest (the postmark counts; the last day is {last})."
            ).format(safe=format_date(deadline.safe_day), last=format_date(deadline.last_day))
        )
    else:
        how.bullets += [
            gettext("Send it by registered post with acknowledgement of receipt (lettre recommandée avec avis de réception) and keep the proof of posting."),
            gettext("The date of the postmark counts: post it on {safe} at the latest (the last day is {last}).").format(
                safe=format_date(deadline.safe_day), last=format_date(deadline.last_day)
            ),
        ]
    how.bullets += [
        gettext(
            "The request itself is Ofpra's re-examination form, handed to you at the prefecture with the asylum "
            "application certificate: complete it and sign it. This letter is the written statement that accompanies it."
        ),
        gettext("Sign the letter and enclose the documents in the order of the list: the form (A), the copy of the certificate (B), then the numbered exhibits."),
        gettext(
            "If Ofpra finds the file incomplete, it gives you {days} days to complete it (R.531-37 CESEDA); if you do "
            "not, Ofpra may close the request. Send a complete file at once to avoid that risk."
        ).format(days=completion.value["days"]),
    ]
    sheet.sections.append(how)

    where = Section(gettext("Your new registration"))
    where.paragraphs.append(
        gettext("Registered on {date} by {prefecture}, competent for {department}.").format(
            date=format_date(registered), prefecture=prefecture.place, department=prefecture.department_label
        )
    )
    where.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(prefecture.certainty)))
    where.bullets += [gettext("Note: {note}").format(note=note) for note in prefecture.shown_notes]
    where.bullets += sources_lines(list(prefecture.sources))
    sheet.sections.append(where)

    sheet.sections.append(_elements_section(answers))

    enclose = Section(gettext("What to enclose"))
    enclose.bullets += _request_document_lines(answers)
    numbered = [item for item in context["exhibits"] if item["number"].isdigit()]
    for item, exhibit in zip(numbered, answers.exhibits):
        if exhibit.in_french:
            line = gettext("{number}. {title} (in French)")
        elif exhibit.translated:
            line = gettext("{number}. {title} — translation attached")
        else:
            line = gettext("{number}. {title} — translation to attach")
        enclose.bullets.append(line.format(number=item["number"], title=item["title"]))
    enclose.bullets.append(
        gettext("A French translation of every document in another language (a sworn translator for civil-status and judicial documents).")
    )
    sheet.sections.append(enclose)

    sheet.sections.append(_next_steps(registered))
    sheet.sections.append(_consequences(registered))
    return sheet


HEAD_LINES = {
    "occurred_after": N_("Element {number}: a fact that happened on {date}, after the final decision."),
    "learned_after": N_("Element {number}: a fact of {date} that you could only learn of on {learned}, after the final decision."),
    "vulnerability": N_(
        "Element {number}: a fact of {date}, known before the final decision, that a situation of vulnerability "
        "prevented you from raising."
    ),
    "new_evidence": N_(
        "Element {number}: new evidence, obtained on {obtained}, of a fact already invoked (of {date})."
    ),
}


def _elements_section(answers: Reexamination) -> Section:
    """Each element under its head, with the certainty of that head (rule data)."""
    decision = answers.final_decision.date
    heads = rulebook()["reexamination.new_element_heads"].at(answers.registration.date)
    section = Section(gettext("Your new elements (L.531-42 CESEDA)"))
    for number, element in enumerate(answers.new_elements, start=1):
        head = head_of(element, decision)
        section.bullets.append(
            gettext(HEAD_LINES[head]).format(
                number=number,
                date=format_date(element.occurred_on),
                learned=format_date(element.learned_on) if element.learned_on else "",
                obtained=format_date(element.evidence_obtained_on) if element.evidence_obtained_on else "",
            )
        )
        if head == "vulnerability":
            certainty = Certainty(heads.value[head]["certainty"])
            section.bullets.append(
                gettext(
                    "Certainty of this category: {label}. It rests on the CNDA's definition and practitioners' reading, not "
                    "on the words of L.531-42 CESEDA: Ofpra may not accept it, so explain the vulnerability precisely "
                    "and enclose what supports it (a medical certificate, an association's attestation)."
                ).format(label=certainty_label(certainty))
            )
    section.bullets += sources_lines(list(heads.references))
    return section


def unfinished(answers: Reexamination, today: dt.date) -> list[Unfinished]:
    """The elements whose significance is left "[À compléter : …]" (highlighted) in the letter."""
    return [
        Unfinished(
            ("new_elements", index, "significance"),
            N_("The letter does not say yet why this element makes protection more likely (the place is highlighted)."),
        )
        for index, element in enumerate(answers.new_elements)
        if not _paragraphs(element.significance)
    ]


def _request_document_lines(answers: Reexamination) -> list[str]:
    letters = {doc["key"]: doc["letter"] for doc in request_documents(answers)}
    return [
        gettext("{letter}. Ofpra's re-examination form, completed and signed").format(letter=letters["form"]),
        gettext("{letter}. A copy of your asylum application certificate (attestation de demande d'asile)").format(
            letter=letters["attestation"]
        ),
    ]


def _consequences(registered: dt.date) -> Section:
    """What the person risks (RULES.md §3, §0.1): the right to remain, reception, the appeal that does not protect."""
    version = rulebook()["reexamination.consequences"].at(registered)
    articles = version.value
    section = Section(gettext("What a re-examination changes for you"))
    section.bullets += [
        gettext(
            "If Ofpra declares the request inadmissible, your right to remain in France ends with that decision "
            "({article} CESEDA), even if you appeal to the CNDA: you can then be ordered to leave France."
        ).format(article=articles["right_to_remain"]),
        gettext(
            "A second re-examination request, after this one, gives no right to remain at all ({article} CESEDA)."
        ).format(article=articles["right_to_remain"]),
        gettext(
            "The material reception conditions (allowance, accommodation) may be refused to a person who asks for a "
            "re-examination ({article} CESEDA)."
        ).format(article=articles["reception_conditions"]),
    ]
    references = list(version.references)
    if registered >= cnda_transition.lodged_from():
        # A subsequent application lodged under the Regulation (art. 79(3)): art. 68 governs removal.
        stay = rulebook()["cnda.non_suspensive"].at(registered)
        section.bullets += [
            gettext(
                "Your request was registered on or after {date}: if Ofpra declares it inadmissible, the appeal to the CNDA "
                "does not by itself protect you from removal (EU regulation 2024/1348, art. 68). You must ask the court, "
                "in the appeal or separately, to allow you to stay in France until it rules, within a period that may be "
                "as short as {days} days from the notification. The French form of that request was not verified: see "
                "a lawyer at once."
            ).format(date=format_date(cnda_transition.lodged_from()), days=stay.value["request_min_days"]),
            gettext("Certainty of this request: {label}").format(label=certainty_label(stay.certainty)),
            gettext(
                "Former rule (applications lodged before {date}), as a safety net, to check: if you are ordered to "
                "leave France, challenge that order before the tribunal administratif at once and ask it to suspend "
                "the removal until the CNDA rules ({article} CESEDA and following)."
            ).format(date=format_date(cnda_transition.lodged_from()), article=articles["suspension"]),
        ]
        references += [ref for ref in stay.references if ref not in references]
    else:
        section.bullets.append(
            gettext(
                "The appeal to the CNDA against an inadmissibility decision does not by itself stop a removal: if you are "
                "ordered to leave France, challenge that order before the tribunal administratif at once and ask it to "
                "suspend the removal until the CNDA rules ({article} CESEDA and following). Get legal advice without delay."
            ).format(article=articles["suspension"])
        )
    section.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(version.certainty)))
    section.bullets += sources_lines(references)
    return section


def _office_phrase(prefecture: Prefecture) -> str:
    """« la préfecture du Calvados, à Caen, compétente » or « le pôle territorial …, à Cergy, compétent »."""
    name = prefecture.prefecture[:1].lower() + prefecture.prefecture[1:]
    feminine = name.startswith(("préfecture", "sous-préfecture"))
    article, competent = ("la", "compétente") if feminine else ("le", "compétent")
    return f"{article} {name}, à {prefecture.city}, {competent}"


def _pole_sentence(prefecture: Prefecture) -> str:
    return gettext(
        "In {department} the registration takes place at a pôle France asile: hand the request and the exhibits to the "
        "Ofpra agent there on the day of registration, or on the date given in the convocation (R.531-36 CESEDA), "
        "instead of posting them."
    ).format(department=prefecture.department_label)


def _next_steps(registered: dt.date) -> Section:
    book = rulebook()
    examination = book["reexamination.preliminary_examination"].at(registered)
    appeal = book["cnda.appeal_period"].at(registered)
    reform = book["cnda.reform_2026"]
    reform_version = reform.current
    months = int(appeal.value.get("months", 1))
    section = Section(gettext("What happens next"))
    section.bullets += [
        gettext(
            "Ofpra first decides whether the request is admissible, within {days} days (R.531-38 CESEDA; the "
            "service-public.fr page says 7 days). It can declare it inadmissible without an interview."
        ).format(days=examination.value["days"]),
        gettext("If the request is admissible, Ofpra examines it in the accelerated procedure."),
    ]
    references = []
    if registered >= cnda_transition.lodged_from():
        section.bullets += _appeal_under_regulation(reform_version, months)
        versions = (examination, cnda_transition.transition_version(), reform_version, appeal)
    else:
        section.bullets += _appeal_before_regulation(appeal, reform_version, months)
        versions = (examination, appeal, reform_version)
    for version in versions:
        for ref in version.references:
            if ref not in references:
                references.append(ref)
    section.bullets += sources_lines(references)
    return section


def _appeal_under_regulation(reform_version, months: int) -> list[str]:
    """A request registered from 12 June 2026 is a subsequent application under the Regulation
    (art. 79(3)): its inadmissibility is appealed within the short EU range (art. 67(7)(a)),
    which leads; the month of L.532-1 is shown only as the former rule that does not apply."""
    days = reform_version.value["minimum_days"]["inadmissibility"]
    return [
        gettext(
            "Your re-examination request was registered on or after {date}: EU regulation 2024/1348 applies to it. If Ofpra "
            "declares it inadmissible, the period to appeal to the CNDA may be only {days} days ({range} under the "
            "regulation; the French text was not found). Read the period printed on the decision (“voies et délais de "
            "recours”) and act within {days} days."
        ).format(
            date=format_date(cnda_transition.lodged_from()),
            days=days,
            range=cnda_transition.regulation_range("inadmissibility"),
        ),
        gettext("Certainty of this period: {label}").format(label=certainty_label(reform_version.certainty)),
        ngettext(
            "The former rule ({months} month from the notification, L.532-1 CESEDA) does not apply to your request.",
            "The former rule ({months} months from the notification, L.532-1 CESEDA) does not apply to your request.",
            months,
        ).format(months=months),
    ]


def _appeal_before_regulation(appeal, reform_version, months: int) -> list[str]:
    """A request registered before 12 June 2026: the verified month, then the shorter period a
    decision notified after the reform may carry."""
    return [
        ngettext(
            "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the period is {months} month from the notification of that decision (L.532-1 CESEDA).",
            "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the period is {months} months from the notification of that decision (L.532-1 CESEDA).",
            months,
        ).format(months=months),
        gettext("Certainty of this period: {label}").format(label=certainty_label(appeal.certainty)),
        gettext(
            "For a decision notified from {date}, the period may be much shorter (the EU regulation allows as little as "
            "{days} days against an inadmissibility decision; the French text was not found): read the period printed on "
            "the decision (“voies et délais de recours”) and act at once."
        ).format(date=format_date(reform_version.effective_from), days=reform_version.value["minimum_days"]["inadmissibility"]),
        gettext("Certainty of this period: {label}").format(label=certainty_label(reform_version.certainty)),
    ]


def letter_context(answers: Reexamination, today: dt.date) -> dict:
    return render_context(answers)


def summary_context(answers: Reexamination, today: dt.date) -> dict:
    return summary(answers, compute_deadline(answers, today), render_context(answers)).as_context()


# --- check ---------------------------------------------------------------------------------


def report(answers: Reexamination, today: dt.date) -> dict:
    prefecture = registration_prefecture(answers)
    return {"deadline": compute_deadline(answers, today).to_json(), "prefecture": prefecture.to_json()}


def report_lines(answers: Reexamination, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    prefecture = registration_prefecture(answers)
    lines = deadline_warnings(result)
    lines += [
        gettext("Last day: {date}").format(date=format_date(result.last_day)),
        gettext("Safe posting day: {date}").format(date=format_date(result.safe_day)),
        gettext("Competent prefecture: {prefecture} (for {department})").format(
            prefecture=prefecture.place, department=prefecture.department_label
        ),
        gettext("Certainty: {label}").format(label=certainty_label(prefecture.certainty)),
    ]
    if prefecture.france_asile:
        lines.append(_pole_sentence(prefecture))
    return lines


PROCEDURE = Procedure(
    name="reexamination",
    title=N_("Re-examination request"),
    model=Reexamination,
    consistency=consistency,
    outputs=(
        letter(LETTER, TEMPLATE, N_("Re-examination request to Ofpra (French, to sign)"), letter_context),
        summary_sheet(summary_context),
    ),
    report=report,
    report_lines=report_lines,
    rules="reexamination",
    catalog="reexamination",
    unfinished=unfinished,
)
