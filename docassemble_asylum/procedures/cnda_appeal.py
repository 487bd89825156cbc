"""The appeal to the CNDA: validation, deadline, the French draft and the user's summary.

``render_context`` is the one function that turns answers into what the template shows;
the CLI and the docassemble package both call it.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.cnda_appeal import CndaAppeal, Decision
from docassemble_asylum.procedures.base import Problem, Procedure, other_answer
from docassemble_asylum.procedures.outputs import letter, summary_sheet
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.render.placeholders import placeholder
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render import french
from docassemble_asylum.render.letter import identity
from docassemble_asylum.render.summary import (
    Section,
    Summary,
    deadline_section,
    deadline_warnings,
    footer,
)
from docassemble_asylum.rules import rulebook

LETTER = "recours-cnda.docx"


def notification_date(answers: CndaAppeal) -> dt.date | None:
    """The date the notification is deemed made: what the deadline engine starts from."""
    return deemed_notification(answers.decision)


def deemed_notification(decision: Decision) -> dt.date | None:
    """The date the notification of ``decision`` is deemed made (legal-aid request and appeal alike)."""
    n = decision.notification
    return {"postal": n.received_on, "uncollected": n.notice_date}.get(n.method) or n.first_read_on or n.posted_online_on


def decision_problems(decision: Decision, today: dt.date) -> list[Problem]:
    """The Ofpra decision and its notification: the answers each way of notification needs, dates in order.

    Shared with the legal-aid request (procedures/cnda_legal_aid.py), which holds the same facts.
    """
    problems: list[Problem] = []
    n = decision.notification
    required = {"postal": "received_on", "uncollected": "notice_date", "online": "posted_online_on"}[n.method]
    if getattr(n, required) is None:
        problems.append(Problem(("decision", "notification", required), N_("this answer is required for this kind of notification.")))
    if n.first_read_on is not None and n.method != "online":
        problems.append(Problem(("decision", "notification", "first_read_on"), N_("only for a decision notified online.")))
    for name in ("received_on", "notice_date", "posted_online_on", "first_read_on"):
        value = getattr(n, name)
        if value is None:
            continue
        if value > today:
            problems.append(Problem(("decision", "notification", name), N_("this date is in the future.")))
        if value < decision.date:
            problems.append(
                Problem(("decision", "notification", name), N_("this date is before “{other}” ({other_path})."), other_answer(CndaAppeal, "decision", "date"))
            )
    if n.posted_online_on and n.first_read_on and n.first_read_on < n.posted_online_on:
        problems.append(
            Problem(
                ("decision", "notification", "first_read_on"),
                N_("the decision cannot have been read before it was posted online (“{other}”, {other_path})."),
                other_answer(CndaAppeal, "decision", "notification", "posted_online_on"),
            )
        )
    if decision.date > today:
        problems.append(Problem(("decision", "date"), N_("this date is in the future.")))
    return problems


def notification_inputs(decision: Decision) -> dict:
    """The notification as the inputs of the CNDA deadline engine (``cnda.CndaInputs``)."""
    n = decision.notification
    return {
        "notified": n.received_on if n.method == "postal" else None,
        "uncollected_notice": n.notice_date if n.method == "uncollected" else None,
        "posted_online": n.posted_online_on if n.method == "online" else None,
        "first_read": n.first_read_on if n.method == "online" else None,
        "procedure": decision.procedure,
        "stated_period": decision.stated_period or None,
    }


def notification_sentence(decision: Decision, first_person: bool = False) -> str:
    """How the decision was notified, in French, for the letters (the appeal's, the legal-aid request's)."""
    n = decision.notification
    deemed = deemed_notification(decision)
    subject = "Cette décision m'a été notifiée" if first_person else "Cette décision a été notifiée"
    if n.method == "online":
        sentence = f"Cette décision a été mise à disposition sur l'espace numérique Ofpra le {date_fr(n.posted_online_on)}"
        if n.first_read_on:
            return sentence + f" et consultée pour la première fois le {date_fr(n.first_read_on)}."
        return sentence + "."
    if n.method == "uncollected":
        return f"Le pli recommandé contenant cette décision a été présenté le {date_fr(deemed)} (avis de passage)."
    return f"{subject} le {date_fr(deemed)}."


def consistency(answers: CndaAppeal, today: dt.date) -> list[Problem]:
    problems = decision_problems(answers.decision, today)
    aid = answers.legal_aid
    if aid.status != "not_requested" and aid.requested_on is None:
        problems.append(Problem(("legal_aid", "requested_on"), N_("this answer is required when legal aid was requested.")))
    if aid.requested_on and aid.requested_on > today:
        problems.append(Problem(("legal_aid", "requested_on"), N_("this date is in the future.")))
    if aid.requested_on and aid.decision_notified_on and aid.decision_notified_on < aid.requested_on:
        problems.append(
            Problem(
                ("legal_aid", "decision_notified_on"),
                N_("the legal-aid decision cannot be notified before the request (“{other}”, {other_path})."),
                other_answer(CndaAppeal, "legal_aid", "requested_on"),
            )
        )
    if aid.status in ("granted", "refused") and aid.decision_notified_on is None:
        problems.append(Problem(("legal_aid", "decision_notified_on"), N_("this answer is required once legal aid was decided.")))
    if answers.filed_by == "lawyer" and answers.lawyer is None:
        problems.append(Problem(("lawyer",), N_("the lawyer's name and bar are needed when the lawyer files the appeal.")))
    if answers.applicant.date_of_birth >= answers.decision.date:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the decision.")))
    if answers.signature.date < answers.decision.date:
        problems.append(Problem(("signature", "date"), N_("the appeal cannot be signed before the decision (“{other}”, {other_path})."), other_answer(CndaAppeal, "decision", "date")))
    return problems


def compute_deadline(answers: CndaAppeal, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import cnda

    aid = answers.legal_aid
    return cnda.compute(
        cnda.CndaInputs(
            **notification_inputs(answers.decision),
            legal_aid_requested=aid.requested_on if aid.status != "not_requested" else None,
            legal_aid_decision_notified=aid.decision_notified_on if aid.status != "not_requested" else None,
            overseas=answers.applicant.lives_overseas,
            today=today,
        )
    )


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split("\n")) for p in text.split("\n\n") if p.strip()]


def render_context(answers: CndaAppeal) -> dict:
    """Everything the French draft shows, as plain values (strings, lists, dicts)."""
    a, d = answers.applicant, answers.decision
    designation = french.agree("Le requérant", a.sex)
    court = rulebook()["cnda.address"].at(d.date).value
    notification = notification_sentence(d)
    if d.outcome == "subsidiary_protection_granted":
        sentence = (
            f"{designation} conteste la décision n° {d.number} du {date_fr(d.date)} par laquelle le directeur général de "
            "l'Office français de protection des réfugiés et apatrides lui a accordé le bénéfice de la protection "
            "subsidiaire mais a refusé de lui reconnaître la qualité de réfugié."
        )
        requests = [
            "annuler la décision du directeur général de l'Ofpra en tant qu'elle refuse de reconnaître la qualité de réfugié ;",
            "reconnaître la qualité de réfugié.",
        ]
    else:
        sentence = (
            f"{designation} conteste la décision n° {d.number} du {date_fr(d.date)} par laquelle le directeur général de "
            "l'Office français de protection des réfugiés et apatrides a rejeté sa demande d'asile."
        )
        requests = [
            "annuler la décision du directeur général de l'Ofpra ;",
            "reconnaître la qualité de réfugié ;",
            "à titre subsidiaire, accorder le bénéfice de la protection subsidiaire.",
        ]
    aid = answers.legal_aid
    legal_aid = {
        "not_requested": f"{designation} n'a pas sollicité le bénéfice de l'aide juridictionnelle.",
        "requested": f"{designation} a sollicité le bénéfice de l'aide juridictionnelle le {date_fr(aid.requested_on)}"
        + (f" (demande n° {aid.reference})" if aid.reference else "")
        + (f" ; la décision lui a été notifiée le {date_fr(aid.decision_notified_on)}." if aid.decision_notified_on else ", demande en cours d'instruction."),
        "granted": f"{designation} bénéficie de l'aide juridictionnelle (demande du {date_fr(aid.requested_on)}"
        + (f", n° {aid.reference}" if aid.reference else "")
        + (f", décision notifiée le {date_fr(aid.decision_notified_on)}" if aid.decision_notified_on else "")
        + ").",
        "refused": f"L'aide juridictionnelle sollicitée le {date_fr(aid.requested_on)} a été refusée"
        + (f" (décision notifiée le {date_fr(aid.decision_notified_on)})" if aid.decision_notified_on else "")
        + ".",
    }[aid.status]
    exhibits = [{"number": 1, "title": f"Décision de l'Ofpra n° {d.number} du {date_fr(d.date)} (décision attaquée)", "translation": "sans objet"}]
    for index, exhibit in enumerate(answers.exhibits, start=2):
        exhibits.append({"number": index, "title": exhibit.title, "translation": "oui" if exhibit.translated else "non"})
    grounds = [
        {"heading": g.heading, "paragraphs": _paragraphs(g.text) or [placeholder("développer ce moyen")]} for g in answers.grounds
    ] or [
        {"heading": "Sur les craintes de persécution (article 1er, A, 2 de la convention de Genève)", "paragraphs": [placeholder("développer ce moyen")]},
        {"heading": "À titre subsidiaire, sur la protection subsidiaire (article L. 512-1 du CESEDA)", "paragraphs": [placeholder("développer ce moyen")]},
    ]
    lawyer = None
    if answers.filed_by == "lawyer" and answers.lawyer is not None:
        bar = french.agree("avocat au barreau de", answers.lawyer.sex) + f" {answers.lawyer.bar}"
        lawyer = {"line": f"Maître {answers.lawyer.name}, {bar}"}
        signatory = {"line": f"Pour {a.full_name}, Maître {answers.lawyer.name}, {bar}"}
    else:
        signatory = {"line": a.full_name}
    return {
        "applicant": {
            **identity(a, a.address, a.phone, a.email),
            "ofpra_file_number": a.ofpra_file_number,
            "designation": designation,
        },
        "court": {"name": court["name"], "lines": court["lines"]},
        "decision": {
            "number": d.number,
            "date": date_fr(d.date),
            "sentence": sentence,
            "notification_sentence": notification,
        },
        "legal_aid": legal_aid,
        "facts": _paragraphs(answers.facts),
        "grounds": grounds,
        "requests": requests,
        "hearing_language": answers.hearing_language,
        "exhibits": exhibits,
        "lawyer": lawyer,
        "signatory": signatory,
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date)},
    }


def unfinished(answers: CndaAppeal, today: dt.date) -> list[Unfinished]:
    """The parts of the draft left "[À compléter]" (highlighted), each with the question that fills it."""
    parts: list[Unfinished] = []
    if not answers.grounds:
        parts.append(Unfinished(("grounds",), N_("No ground is written: the draft has the two usual headings with nothing under them.")))
    for index, ground in enumerate(answers.grounds):
        if not ground.text.strip():
            parts.append(Unfinished(("grounds", index, "text"), N_("This ground has a heading but no argument.")))
    return parts


def legal_aid_still_open(answers: CndaAppeal, today: dt.date) -> DeadlineResult | None:
    """The legal-aid request's deadline when none was made and it is still open: the next step to point to."""
    from docassemble_asylum.deadlines import cnda, cnda_legal_aid

    if answers.legal_aid.status != "not_requested":
        return None
    result = cnda_legal_aid.compute(
        cnda.CndaInputs(**notification_inputs(answers.decision), overseas=answers.applicant.lives_overseas, today=today)
    )
    return None if result.passed else result


def summary(answers: CndaAppeal, deadline: DeadlineResult, context: dict, legal_aid: DeadlineResult | None = None) -> Summary:
    court = rulebook()["cnda.address"].at(answers.decision.date).value
    sheet = Summary(
        title=gettext("Appeal to the CNDA — summary sheet"),
        subtitle=gettext("For {name}, against Ofpra decision no. {number} of {date}").format(
            name=answers.applicant.full_name, number=answers.decision.number, date=format_date(answers.decision.date)
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    sheet.sections.append(deadline_section(deadline, gettext("Deadline: when the appeal must reach the court")))
    if legal_aid is not None:
        aid = Section(gettext("Legal aid can still be requested"))
        aid.paragraphs.append(
            gettext(
                "Legal aid (aide juridictionnelle) can still be requested until {date} (15 days after the notification, never "
                "extended; aim for {safe}). A request in time suspends the appeal period. Prepare the “Legal-aid request to "
                "the CNDA” first."
            ).format(date=format_date(legal_aid.last_day), safe=format_date(legal_aid.safe_day))
        )
        sheet.sections.append(aid)
    how = Section(gettext("Where and how to send it"))
    how.paragraphs.append(", ".join([court["name"], *court["lines"]]))
    how.bullets += [
        gettext("The appeal must REACH the court by the last day: send it by registered post with acknowledgement of receipt several days before, or file it in person."),
        gettext("By fax: {fax} (keep the transmission report), then send the original by post.").format(fax=court["fax"]),
        gettext("Lawyers can file online through CNDém@t."),
        gettext("Write the facts and the grounds in French, complete the sections marked [À compléter], then sign."),
    ]
    sheet.sections.append(how)
    enclose = Section(gettext("What to enclose"))
    enclose.bullets += [f"{e['number']}. {e['title']}" for e in context["exhibits"]]
    enclose.bullets.append(gettext("A French translation of every document in another language (a sworn translator for civil-status and judicial documents)."))
    sheet.sections.append(enclose)
    return sheet


def letter_context(answers: CndaAppeal, today: dt.date) -> dict:
    return render_context(answers)


def summary_context(answers: CndaAppeal, today: dt.date) -> dict:
    return summary(answers, compute_deadline(answers, today), render_context(answers), legal_aid_still_open(answers, today)).as_context()


def report(answers: CndaAppeal, today: dt.date) -> dict:
    return {"deadline": compute_deadline(answers, today).to_json()}


def report_lines(answers: CndaAppeal, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    lines = deadline_warnings(result)
    lines.append(gettext("Last day: {date}").format(date=format_date(result.last_day)))
    if result.safe_day != result.last_day:
        lines.append(gettext("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
    aid = legal_aid_still_open(answers, today)
    if aid is not None:
        # The command line only (docassemble shows the summary, which names the procedure by its title).
        lines.append(
            gettext("Next step: legal aid can still be requested until {date}: asylumdocs build cnda-legal-aid --from {file} --out FOLDER").format(
                date=format_date(aid.last_day), file=gettext("ANSWERS_FILE")
            )
        )
    return lines


PROCEDURE = Procedure(
    name="cnda-appeal",
    title=N_("Appeal to the CNDA"),
    model=CndaAppeal,
    consistency=consistency,
    outputs=(
        letter(LETTER, "cnda_appeal.docx", N_("Appeal draft (French, to complete and sign)"), letter_context),
        summary_sheet(summary_context),
    ),
    report=report,
    report_lines=report_lines,
    rules="cnda",
    catalog="cnda",
    # A legal-aid request holds the same applicant and the same decision (build cnda-appeal --from).
    reuses={"cnda-legal-aid": ("applicant", "decision")},
    unfinished=unfinished,
)
