"""The re-examination request to Ofpra: the law's conditions, the deadline, the French letter, the summary.

Three things here protect the person more than anything else:

- L.531-42 CESEDA: a re-examination is admissible only on elements that arose after the
  final decision, or that the person could only learn of afterwards. An element dated
  before the decision without a later "became known" date and a reason is refused here,
  with the explanation, instead of producing a letter Ofpra would declare inadmissible.
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

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.french_calendar import add_months
from docassemble_asylum.i18n import N_, format_date, gettext, ngettext
from docassemble_asylum.models.reexamination import Reexamination
from docassemble_asylum.prefectures import DepartmentQueryError, Prefecture, find_department, prefecture_for
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
from docassemble_asylum.rules import rulebook

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


def _element_problems(index: int, element, decision: dt.date, today: dt.date, exhibit_count: int) -> list[Problem]:
    where = ("new_elements", index)
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
    if not _is_after_decision(element.occurred_on, decision):
        if element.learned_on is None:
            problems.append(
                Problem(
                    (*where, "learned_on"),
                    N_(
                        "this element dates from before the final decision (“{other}”, {other_path}). It is new only if you "
                        "learned of it after that decision (L.531-42 CESEDA): give the date you learned of it."
                    ),
                    other_answer(Reexamination, "final_decision", "date"),
                )
            )
        elif not _is_after_decision(element.learned_on, decision):
            problems.append(
                Problem(
                    (*where, "learned_on"),
                    N_(
                        "you learned of this element before the final decision (“{other}”, {other_path}): it is not new in "
                        "the sense of L.531-42 CESEDA and cannot support a re-examination. Remove it, or correct the date."
                    ),
                    other_answer(Reexamination, "final_decision", "date"),
                )
            )
        if not element.why_not_before and (element.learned_on is None or _is_after_decision(element.learned_on, decision)):
            problems.append(
                Problem(
                    (*where, "why_not_before"),
                    N_(
                        "explain why this element could not be produced before the final decision (“{other}”, {other_path}) "
                        "(L.531-42 CESEDA)."
                    ),
                    other_answer(Reexamination, "final_decision", "date"),
                )
            )
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


def _element_context(number: int, element, decision: dt.date) -> dict:
    paragraphs = _paragraphs(element.description)
    occurred = date_fr(element.occurred_on)
    if _is_after_decision(element.occurred_on, decision):
        novelty = (
            f"Date : {occurred}. Cet élément est postérieur à la décision définitive du {date_fr(decision)} : "
            "il n'a donc pas pu être examiné lors de ma précédente demande."
        )
        if element.learned_on is not None and element.learned_on != element.occurred_on:
            novelty += f" J'en ai eu connaissance le {date_fr(element.learned_on)}."
    else:
        novelty = (
            f"Date : {occurred}. Je n'en ai eu connaissance que le {date_fr(element.learned_on)}, soit après la "
            f"décision définitive du {date_fr(decision)}."
        )
    paragraphs.append(novelty)
    reasons = _paragraphs(element.why_not_before)
    if reasons:
        # The user's own words, as typed, in paragraphs of their own (not after a colon,
        # where French would want a small letter the tool must not write for them).
        paragraphs.append("Cet élément n'a pas pu être produit auparavant pour la raison suivante :")
        paragraphs += reasons
    refs = _exhibit_refs(element.exhibits)
    if refs:
        paragraphs.append(refs)
    return {"number": number, "paragraphs": paragraphs}


def render_context(answers: Reexamination) -> dict:
    """Everything the French letter shows, as plain values (strings, lists, dicts)."""
    a, d, r = answers.applicant, answers.final_decision, answers.registration
    prefecture = registration_prefecture(answers)
    ofpra = _ofpra(answers)
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
    exhibits = [
        {"number": str(i), "title": e.title, "translation": "oui" if e.translated else "non"}
        for i, e in enumerate(answers.exhibits, start=1)
    ] or [{"number": "—", "title": "Aucune pièce jointe", "translation": "sans objet"}]
    return {
        "applicant": {
            **identity(a, a.address, a.phone, a.email),
            "ofpra_file_number": a.ofpra_file_number,
            "agdref_number": a.agdref_number,
        },
        "ofpra": {"name": ofpra["name"], "lines": list(ofpra["lines"])},
        "delivery": delivery,
        "reference": reference,
        "introduction": (
            f"{soussigne} {a.full_name}, {ne} le {date_fr(a.date_of_birth)} à {a.place_of_birth}, de nationalité "
            f"{a.nationality}, ai l'honneur de solliciter le réexamen de ma demande d'asile, en application des "
            "articles L. 531-41 et L. 531-42 du code de l'entrée et du séjour des étrangers et du droit d'asile (CESEDA)."
        ),
        "decision": {"sentence": decision_sentence},
        "registration": {
            "date": date_fr(r.date),
            "prefecture": prefecture.prefecture,
            "city": prefecture.city,
            "sentence": (
                f"Ma demande de réexamen a été enregistrée le {date_fr(r.date)} par la préfecture compétente pour mon "
                f"département de résidence, {prefecture.department_label} : {prefecture.place} "
                "(article R. 531-35 du CESEDA)."
            ),
        },
        "elements": [_element_context(i, e, d.date) for i, e in enumerate(answers.new_elements, start=1)],
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
    if add_months(registered, 1) >= reform.effective_from:
        # Ofpra's decision comes after the registration: within a month, it may fall under the reform.
        sheet.warnings.append(
            gettext(
                "Ofpra's decision on this request may be notified on or after {date} (reform of June 2026): if it declares "
                "the request inadmissible, the period to appeal to the CNDA may be as short as {days} days. Read the "
                "decision as soon as it arrives."
            ).format(date=format_date(reform.effective_from), days=reform.value["minimum_days"]["inadmissibility"])
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
        gettext("Sign the letter and enclose the exhibits in the order of the list."),
        gettext("If Ofpra finds the request incomplete, you have {days} days to complete it (R.531-37 CESEDA).").format(
            days=completion.value["days"]
        ),
    ]
    sheet.sections.append(how)

    where = Section(gettext("Your new registration"))
    where.paragraphs.append(
        gettext("Registered on {date} by {prefecture}, competent for {department}.").format(
            date=format_date(registered), prefecture=prefecture.place, department=prefecture.department_label
        )
    )
    where.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(prefecture.certainty)))
    where.bullets += [gettext("Note: {note}").format(note=note) for note in prefecture.notes]
    where.bullets += sources_lines(list(prefecture.sources))
    sheet.sections.append(where)

    elements = Section(gettext("Your new elements (L.531-42 CESEDA)"))
    for number, element in enumerate(answers.new_elements, start=1):
        if _is_after_decision(element.occurred_on, answers.final_decision.date):
            text = gettext("Element {number}: happened on {date}, after the final decision.")
        else:
            text = gettext("Element {number}: happened on {date}, learned of on {learned}, after the final decision.")
        elements.bullets.append(
            text.format(number=number, date=format_date(element.occurred_on), learned=format_date(element.learned_on or element.occurred_on))
        )
    sheet.sections.append(elements)

    enclose = Section(gettext("What to enclose"))
    for item, exhibit in zip(context["exhibits"], answers.exhibits):
        line = gettext("{number}. {title} — translation attached") if exhibit.translated else gettext("{number}. {title}")
        enclose.bullets.append(line.format(number=item["number"], title=item["title"]))
    enclose.bullets.append(
        gettext("A French translation of every document in another language (a sworn translator for civil-status and judicial documents).")
    )
    sheet.sections.append(enclose)

    sheet.sections.append(_next_steps(registered))
    return sheet


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
        ngettext(
            "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the period is {months} month from the notification of that decision (L.532-1 CESEDA).",
            "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the period is {months} months from the notification of that decision (L.532-1 CESEDA).",
            months,
        ).format(months=months),
        gettext(
            "For a decision notified from {date}, the period may be much shorter (the EU regulation allows as little as "
            "{days} days against an inadmissibility decision; the French text was not found): read the period printed on "
            "the decision (“voies et délais de recours”) and act at once."
        ).format(date=format_date(reform_version.effective_from), days=reform_version.value["minimum_days"]["inadmissibility"]),
    ]
    references = []
    for version in (examination, appeal, reform_version):
        for ref in version.references:
            if ref not in references:
                references.append(ref)
    section.bullets += sources_lines(references)
    return section


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
)
