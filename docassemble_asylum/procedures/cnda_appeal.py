"""The appeal to the CNDA: validation, deadline, the French draft and the user's summary.

``render_context`` is the one function that turns answers into what the template shows;
the CLI and the docassemble package both call it.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.cnda_appeal import CndaAppeal, Decision, LegalAid
from docassemble_asylum.procedures import early_verdicts
from docassemble_asylum.procedures.early_verdicts import Verdict
from docassemble_asylum.procedures import cnda_appeal_letter as appeal_letter
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
    caveat_lines,
    deadline_section,
    deadline_warnings,
    footer,
    day_lines,
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
    if decision.application_lodged_on is not None and decision.application_lodged_on > today:
        problems.append(Problem(("decision", "application_lodged_on"), N_("this date is in the future.")))
    lodged = decision.application_lodged_on
    if lodged is not None and lodged > decision.date:
        problems.append(
            Problem(
                ("decision", "application_lodged_on"),
                N_("the asylum application cannot have been lodged after the decision that answers it (“{other}”, {other_path})."),
                other_answer(CndaAppeal, "decision", "date"),
            )
        )
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
        "application_lodged": decision.application_lodged_on,
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
    if aid.decided_on and aid.requested_on and aid.decided_on < aid.requested_on:
        problems.append(
            Problem(
                ("legal_aid", "decided_on"),
                N_("the legal-aid decision cannot be made before the request (“{other}”, {other_path})."),
                other_answer(CndaAppeal, "legal_aid", "requested_on"),
            )
        )
    if aid.decided_on and aid.decision_notified_on and aid.decision_notified_on < aid.decided_on:
        problems.append(
            Problem(
                ("legal_aid", "decision_notified_on"),
                N_("the legal-aid decision cannot be notified before it was made (“{other}”, {other_path})."),
                other_answer(CndaAppeal, "legal_aid", "decided_on"),
            )
        )
    if aid.decided_on and aid.decided_on > today:
        problems.append(Problem(("legal_aid", "decided_on"), N_("this date is in the future.")))
    rep = answers.representative
    if is_minor(answers) and rep is None:
        problems.append(
            Problem(
                ("representative",),
                N_("the applicant is under 18 on the date of signature: say who represents them (a parent, the administrateur ad hoc, or not known yet)."),
            )
        )
    if rep is not None and not is_minor(answers):
        problems.append(Problem(("representative",), N_("only for an applicant under 18 on the date of signature.")))
    if rep is not None and rep.kind != "not_known_yet" and not rep.name:
        problems.append(Problem(("representative", "name"), N_("this answer is required for a parent or an administrateur ad hoc.")))
    if answers.filed_by == "lawyer" and answers.lawyer is None:
        problems.append(Problem(("lawyer",), N_("the lawyer's name and bar are needed when the lawyer files the appeal.")))
    if answers.applicant.date_of_birth >= answers.decision.date:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the decision.")))
    if answers.signature.date < answers.decision.date:
        problems.append(Problem(("signature", "date"), N_("the appeal cannot be signed before the decision (“{other}”, {other_path})."), other_answer(CndaAppeal, "decision", "date")))
    return problems


def compute_deadline(answers: CndaAppeal, today: dt.date | None) -> DeadlineResult:
    return deadline_for(answers.decision, answers.legal_aid, answers.applicant.lives_overseas, today)


def deadline_for(decision: Decision, aid: LegalAid, overseas: bool, today: dt.date | None) -> DeadlineResult:
    """The appeal's deadline from its facts (the whole case, or the answers so far: ``early_deadline``)."""
    from docassemble_asylum.deadlines import cnda

    return cnda.compute(
        cnda.CndaInputs(
            **notification_inputs(decision),
            legal_aid_requested=aid.requested_on if aid.status != "not_requested" else None,
            legal_aid_decision_notified=aid.decision_notified_on if aid.status != "not_requested" else None,
            overseas=overseas,
            today=today,
        ),
        labels=deadline_labels(),
    )


def early_deadline(answers: dict, today: dt.date, *, final: bool, item: int | None = None) -> Verdict | None:
    """The appeal's deadline as soon as the notification date is typed (checkpoint of
    ``interviews/cnda-appeal.yml``): the legal aid not answered yet counts as not
    requested, and the question set names it as what can still change the verdict."""
    from docassemble_asylum.errors import UserError

    decision = early_verdicts.part(Decision, answers.get("decision"))
    if decision is None or deemed_notification(decision) is None:
        return None
    aid = early_verdicts.part(LegalAid, answers.get("legal_aid")) or LegalAid()
    applicant = answers.get("applicant")
    overseas = isinstance(applicant, dict) and applicant.get("lives_overseas") is True
    try:
        result = deadline_for(decision, aid, overseas, today)
    except UserError:  # dates not in order yet: the question's own check says so
        return None
    return early_verdicts.deadline_verdict(result, final)


def deadline_labels() -> dict[str, str]:
    """The engine's inputs named as the answers' questions (a summary never shows an option name)."""
    from docassemble_asylum.errors import field_label

    label, _path = field_label(CndaAppeal, ("decision", "stated_period"))
    return {"stated_period": label}


def removal_paragraphs(deadline: DeadlineResult) -> list[str]:
    """The deadline's warnings that say the appeal may not protect against removal (cnda_transition)."""
    from docassemble_asylum.deadlines import cnda_transition

    reading = deadline.additions.get("non_suspensive")
    if not reading:
        return []
    notified = dt.date.fromisoformat(deadline.details["removal_from"])
    found = cnda_transition.non_suspensive(deadline.details["procedure"], _lodged(deadline), notified)
    return cnda_transition.non_suspensive_warnings(found) if found else []


def _lodged(deadline: DeadlineResult) -> dt.date | None:
    value = deadline.additions.get("application_lodged")
    return dt.date.fromisoformat(value) if value else None


def non_suspensive_context(decision: Decision, designation: str) -> dict | None:
    """The render context's flag: the appeal may not protect against removal, and how it reads.

    ``reading``: "former_rule" (CESEDA L.542-2, application lodged before 12 June 2026),
    "art_68_3" (EU regulation, lodged on or after) or "both" (lodging day unknown).
    ``stay_request_paragraph``: the optional French paragraph asking the court to allow the
    applicant to stay (art. 68(3) readings only; unverified, to be highlighted in the draft).
    """
    from docassemble_asylum.deadlines import cnda_transition

    notified = deemed_notification(decision)
    if notified is None:
        return None
    found = cnda_transition.non_suspensive(decision.procedure, decision.application_lodged_on, notified)
    if found is None:
        return None
    paragraph = found.paragraph_fr(designation)
    return {
        "reading": found.reading,
        "stay_request_paragraph": paragraph,
        # A placeholder before the optional request, so that the draft shows it highlighted
        # and the unfinished parts name it (render/placeholders.py).
        "optional_mark": placeholder(
            "demande facultative, à conserver ou à retirer avec l'avocat ; la forme de cette demande en droit "
            "français n'est pas confirmée"
        )
        if paragraph
        else None,
    }


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split("\n")) for p in text.split("\n\n") if p.strip()]


def _quoted(paragraphs: list[str]) -> list[str]:
    """The applicant's own words, quoted as such (« on the first paragraph, » on the last)."""
    if not paragraphs:
        return paragraphs
    quoted = list(paragraphs)
    quoted[0] = "« " + quoted[0]
    quoted[-1] = quoted[-1] + " »"
    return quoted


RESERVATION = (
    "{designation} produira un mémoire complémentaire et se réserve de présenter tous autres moyens à produire, "
    "déduire ou suppléer, au besoin même d'office."
)


def render_context(answers: CndaAppeal, today: dt.date | None = None) -> dict:
    """Everything the French draft shows, as plain values (strings, lists, dicts).

    The letter is in the third person throughout (the applicant or the lawyer files it); the
    applicant's own account is introduced as such and quoted. Legal-aid dates come from the
    deadline engine's result (``compute_deadline``)."""
    a, d = answers.applicant, answers.decision
    designation = french.agree("Le requérant", a.sex)
    court = rulebook()["cnda.address"].at(d.date).value
    notification = notification_sentence(d)
    refugee = french.agree("la qualité de réfugié", a.sex)
    if d.outcome == "subsidiary_protection_granted":
        sentence = (
            f"{designation} conteste la décision n° {d.number} du {date_fr(d.date)} par laquelle le directeur général de "
            "l'Office français de protection des réfugiés et apatrides lui a accordé le bénéfice de la protection "
            f"subsidiaire mais a refusé de lui reconnaître {refugee}."
        )
        requests = [
            f"annuler la décision n° {d.number} du {date_fr(d.date)} du directeur général de l'Ofpra en tant qu'elle refuse de "
            f"lui reconnaître {refugee} ;",
            f"lui reconnaître {refugee}.",
        ]
    else:
        sentence = (
            f"{designation} conteste la décision n° {d.number} du {date_fr(d.date)} par laquelle le directeur général de "
            "l'Office français de protection des réfugiés et apatrides a rejeté sa demande d'asile."
        )
        requests = [
            f"annuler la décision n° {d.number} du {date_fr(d.date)} du directeur général de l'Ofpra ;",
            f"lui reconnaître {refugee} ;",
            "à titre subsidiaire, lui accorder le bénéfice de la protection subsidiaire.",
        ]
    exhibits = appeal_letter.exhibits(answers)
    numbers = appeal_letter.exhibit_numbers(exhibits)
    legal_aid = appeal_letter.admissibility(answers, compute_deadline(answers, today), numbers, designation)
    reasons = [
        {
            "number": index,
            "quote": "« " + " ".join(_paragraphs(r.reason)) + " »",
            "paragraphs": _paragraphs(r.answer) or [placeholder("réponse à ce motif")],
        }
        for index, r in enumerate(answers.decision_reasons, start=1)
    ]
    grounds = [
        {"heading": g.heading, "paragraphs": _paragraphs(g.text) or [placeholder("développer ce moyen")]} for g in answers.grounds
    ] or [
        {"heading": "Sur les craintes de persécution (article 1er, A, 2 de la convention de Genève)", "paragraphs": [placeholder("développer ce moyen")]},
        {"heading": "À titre subsidiaire, sur la protection subsidiaire (article L. 512-1 du CESEDA)", "paragraphs": [placeholder("développer ce moyen")]},
    ]
    representation = (
        appeal_letter.minor_paragraphs(answers)
        + appeal_letter.lawyer_paragraphs(answers, designation)
        + appeal_letter.designated_lawyer_paragraphs(answers)
    )
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
            # Said once: in the admissibility plea when it opens with it (review F-38), else here.
            "notification_sentence": "" if legal_aid.get("states_notification") else notification,
            "exhibit": f"La décision attaquée est jointe au présent recours (pièce n° {numbers['decision']}).",
        },
        "legal_aid": legal_aid,
        "facts_intro": f"{designation} expose les faits dans ses propres termes :",
        "facts": _quoted(_paragraphs(answers.facts)),
        "reasons": reasons,
        "grounds": grounds,
        "reservation": RESERVATION.format(designation=designation),
        "requests": requests,
        "hearing_language": answers.hearing_language,
        "exhibits": [{k: e[k] for k in ("number", "title", "translation")} for e in exhibits],
        "representation": representation,
        "signatory": {"line": appeal_letter.signatory(answers)},
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date)},
        "non_suspensive": non_suspensive_context(d, designation),
    }


def unfinished(answers: CndaAppeal, today: dt.date) -> list[Unfinished]:
    """The parts of the draft left "[À compléter]" (highlighted), each with the question that fills it."""
    parts: list[Unfinished] = []
    if not answers.grounds:
        parts.append(Unfinished(("grounds",), N_("No ground is written: the draft has the two usual headings with nothing under them.")))
    for index, ground in enumerate(answers.grounds):
        if not ground.text.strip():
            parts.append(Unfinished(("grounds", index, "text"), N_("This ground has a heading but no argument.")))
    for index, reason in enumerate(answers.decision_reasons):
        if not reason.answer.strip():
            parts.append(Unfinished(("decision_reasons", index, "answer"), N_("This reason of the Ofpra decision has no answer yet.")))
    lawyer = answers.lawyer if answers.filed_by == "lawyer" else None
    if lawyer is not None:
        for name, msgid in (
            ("address", N_("The lawyer's postal address is missing (the court writes to the office where domicile is elected).")),
            ("phone", N_("The lawyer's phone number is missing.")),
            ("email", N_("The lawyer's e-mail address is missing.")),
        ):
            if not getattr(lawyer, name):
                parts.append(Unfinished(("lawyer", name), msgid))
    rep = answers.representative
    if rep is not None and (rep.kind == "not_known_yet" or not rep.name):
        parts.append(
            Unfinished(("representative", "name"), N_("The minor's legal representative is not known yet: their name and signature are missing."))
        )
    stay = non_suspensive_context(answers.decision, "")
    if stay is not None and stay["stay_request_paragraph"]:
        parts.append(
            Unfinished(
                ("decision", "procedure"),
                N_(
                    "The appeal may not stop a removal: the draft offers a request to remain in France until the court "
                    "rules (highlighted). Keep it or remove it with a lawyer: its form in French law is not confirmed."
                ),
            )
        )
    return parts


def is_minor(answers: CndaAppeal) -> bool:
    """Under 18 on the day the appeal is signed: a parent or an administrateur ad hoc signs it."""
    from docassemble_asylum.eligibility.ages import age_years_months

    return age_years_months(answers.applicant.date_of_birth, answers.signature.date)[0] < 18


def legal_aid_still_open(answers: CndaAppeal, today: dt.date) -> DeadlineResult | None:
    """The legal-aid request's deadline when none was made and it is still open: the next step to point to."""
    from docassemble_asylum.deadlines import cnda, cnda_legal_aid

    if answers.legal_aid.status != "not_requested":
        return None
    result = cnda_legal_aid.compute(
        cnda.CndaInputs(**notification_inputs(answers.decision), overseas=answers.applicant.lives_overseas, today=today)
    )
    return None if result.passed else result


def _designated_lawyer_warning(name: str, sex: str | None) -> str:
    """A lawyer designated under legal aid normally prepares and files the appeal (CNDém@t,
    for lawyers only, RULES.md §2): two parallel filings, or none, is the risk to avoid."""
    if sex == "female":
        text = gettext(
            "A lawyer was designated under legal aid (Maître {name}): contact her at once; she normally files the appeal "
            "(through CNDém@t). File it yourself only in agreement with her, or if she cannot be reached before the safe day."
        )
    elif sex == "male":
        text = gettext(
            "A lawyer was designated under legal aid (Maître {name}): contact him at once; he normally files the appeal "
            "(through CNDém@t). File it yourself only in agreement with him, or if he cannot be reached before the safe day."
        )
    else:
        text = gettext(
            "A lawyer was designated under legal aid (Maître {name}): contact Maître {name} at once; the lawyer normally "
            "files the appeal (through CNDém@t). File it yourself only in agreement with the lawyer, or if the lawyer cannot "
            "be reached before the safe day."
        )
    return text.format(name=name)


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
    rep = answers.representative
    if rep is not None and (rep.kind == "not_known_yet" or not rep.name):
        sheet.warnings.append(
            gettext(
                "The applicant is a minor and no legal representative is known yet. The appeal must be signed by a parent, "
                "or, for an unaccompanied minor, by an administrateur ad hoc, whom the public prosecutor (procureur de la "
                "République) appoints: ask for the appointment now (the association, the child's social worker or the "
                "prefecture can alert the prosecutor). Do not wait for it to prepare the appeal: the period is running."
            )
        )
    designated = appeal_letter.designated_lawyer(answers)
    if designated:
        sheet.warnings.append(_designated_lawyer_warning(designated, answers.legal_aid.designated_lawyer_sex))
    removal = removal_paragraphs(deadline)
    section = deadline_section(deadline, gettext("Deadline: the last day to send the appeal"))
    said = {gettext("Warning: {text}").format(text=text) for text in removal}
    section.bullets = [bullet for bullet in section.bullets if bullet not in said]
    sheet.sections.append(section)
    if removal:
        # Said in its own section, right after the deadline, and pointed to from the top of
        # the sheet: never a reassuring word on removal.
        heading = gettext("The appeal may not protect against removal")
        sheet.warnings.append(
            gettext("{heading}: read that section below and see a lawyer at once.").format(heading=heading)
        )
        stay = Section(heading)
        stay.paragraphs += removal
        sheet.sections.append(stay)
    status = deadline.details.get("legal_aid")
    aid_answers = answers.legal_aid
    if status == "pending":
        pending = Section(gettext("Legal aid requested, no decision yet"))
        pending.paragraphs.append(
            gettext(
                "Legal aid was requested on {date} and no decision has been notified yet: the appeal period is suspended, "
                "and the draft says so. As soon as the legal-aid decision is notified, enter the date of its notification "
                "and build the draft again: the real last day is computed from it."
            ).format(date=format_date(aid_answers.requested_on))
        )
        sheet.sections.append(pending)
    elif status == "suspended" and aid_answers.status == "refused":
        refused = Section(gettext("Legal aid refused"))
        refused.paragraphs.append(
            gettext(
                "Legal aid was refused (decision notified on {date}). The refusal can be contested before the president "
                "of the CNDA within 15 days of its notification. The appeal period ran again from that notification: "
                "the last day above counts from it, whether or not the refusal is contested."
            ).format(date=format_date(aid_answers.decision_notified_on))
        )
        sheet.sections.append(refused)
    if legal_aid is not None:
        aid = Section(gettext("Legal aid can still be requested"))
        if deadline.details.get("reform") == "yes":
            # After the June 2026 reform, whether a request still suspends a period that may
            # now be a few days (art. 67(7) ranges) was not found (RULES.md §0, §2): never promise the suspension.
            text = gettext(
                "Legal aid (aide juridictionnelle) can still be requested until {date} (15 days after the notification, never "
                "extended; aim for {safe}). Whether a request still suspends the appeal period since the reform of June 2026 "
                "is not confirmed (unverified): request legal aid now, and do not count on the suspension: aim for the "
                "appeal's safe day. Prepare the “Legal-aid request to the CNDA” first."
            )
        else:
            text = gettext(
                "Legal aid (aide juridictionnelle) can still be requested until {date} (15 days after the notification, never "
                "extended; aim for {safe}). A request in time suspends the appeal period. Prepare the “Legal-aid request to "
                "the CNDA” first."
            )
        aid.paragraphs.append(text.format(date=format_date(legal_aid.last_day), safe=format_date(legal_aid.safe_day)))
        sheet.sections.append(aid)
    how = Section(gettext("Where and how to send it"))
    how.paragraphs.append(", ".join([court["name"], *court["lines"]]))
    how.bullets += [
        gettext("Send the appeal by the last day at the latest and keep the proof of sending: registered post with acknowledgement of receipt, fax, or filing in person. Send it several days before if you can."),
        gettext("By fax: {fax} (keep the transmission report), then send the original by post.").format(fax=court["fax"]),
        gettext("Lawyers can file online through CNDém@t."),
        gettext("Write the facts and the grounds in French, complete the sections marked [À compléter], then sign."),
    ]
    sheet.sections.append(how)
    enclose = Section(gettext("What to enclose"))
    enclose.bullets += [f"{e['number']}. {e['title']}" for e in context["exhibits"]]
    enclose.bullets.append(gettext("A French translation of every document in another language (a sworn translator for civil-status and judicial documents)."))
    if not appeal_letter.identity_or_asylum_document_listed(e["title"] for e in context["exhibits"]):
        enclose.bullets.append(
            gettext(
                "Suggested, if not listed yet: a copy of an identity document (passport, identity card) or of the asylum "
                "document (attestation de demande d'asile), added to the exhibits."
            )
        )
    sheet.sections.append(enclose)
    return sheet


def letter_context(answers: CndaAppeal, today: dt.date) -> dict:
    return render_context(answers, today)


def summary_context(answers: CndaAppeal, today: dt.date) -> dict:
    return summary(answers, compute_deadline(answers, today), render_context(answers, today), legal_aid_still_open(answers, today)).as_context()


def report_lines(answers: CndaAppeal, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    lines = deadline_warnings(result)
    former_rule = result.additions.get("former_rule")
    if former_rule:
        from docassemble_asylum.deadlines.cnda_transition import former_rule_label

        lines.append(gettext("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
        lines.append(
            gettext("Last day under the former one-month period ({label}): {date}").format(
                label=former_rule_label(former_rule), date=format_date(result.last_day)
            )
        )
        lines += caveat_lines(result)
    else:
        lines += day_lines(result)
    lines += removal_paragraphs(result)
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
    deadline=compute_deadline,
    report_lines=report_lines,
    rules="cnda",
    catalog="cnda",
    # A legal-aid request holds the same applicant and the same decision (build cnda-appeal --from).
    reuses={"cnda-legal-aid": ("applicant", "decision")},
    unfinished=unfinished,
)
