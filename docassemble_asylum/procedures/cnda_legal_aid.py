"""The request for legal aid to the CNDA's legal-aid office: validation, deadline, the French letter, the summary.

What the applicant does first after a negative Ofpra decision (RULES.md §2): a letter
saying « je demande l'aide juridictionnelle », within 15 days of the notification, which
suspends the appeal period. The decision and its notification are the CNDA appeal's
facts, checked and read by the appeal's own functions (``procedures/cnda_appeal.py``).
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.cnda_legal_aid import CndaLegalAid
from docassemble_asylum.procedures.base import Problem, Procedure
from docassemble_asylum.models.cnda_appeal import Decision
from docassemble_asylum.procedures import early_verdicts
from docassemble_asylum.procedures.cnda_appeal import decision_problems, deemed_notification, notification_inputs, notification_sentence
from docassemble_asylum.procedures.early_verdicts import Verdict
from docassemble_asylum.procedures.outputs import deadline_summary_sheet, letter
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.letter import identity
from docassemble_asylum.render.summary import Section, Summary, deadline_section, deadline_warnings, footer
from docassemble_asylum.rules import rulebook

LETTER = "demande-aide-juridictionnelle-cnda.docx"


def consistency(answers: CndaLegalAid, today: dt.date) -> list[Problem]:
    problems = decision_problems(answers.decision, today)
    if answers.has_lawyer and answers.lawyer is None:
        problems.append(Problem(("lawyer",), N_("the lawyer's name and bar are needed when a lawyer accepted to act.")))
    if answers.appeal_already_sent and answers.appeal_sent_on is None:
        problems.append(Problem(("appeal_sent_on",), N_("this answer is required when the appeal was already sent.")))
    sent = answers.appeal_sent_on
    if sent is not None and not answers.appeal_already_sent:
        problems.append(Problem(("appeal_sent_on",), N_("only for an appeal already sent.")))
    if sent is not None and sent > today:
        problems.append(Problem(("appeal_sent_on",), N_("this date is in the future.")))
    if sent is not None and sent < answers.decision.date:
        problems.append(
            Problem(("appeal_sent_on",), N_("this date is before the date of the decision ({date})."), {"date": answers.decision.date})
        )
    if answers.applicant.date_of_birth >= answers.decision.date:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the decision.")))
    if answers.signature.date < answers.decision.date:
        problems.append(
            Problem(("signature", "date"), N_("the request cannot be signed before the decision ({date})."), {"date": answers.decision.date})
        )
    return problems


def compute_deadline(answers: CndaLegalAid, today: dt.date | None) -> DeadlineResult:
    return deadline_for(answers.decision, answers.applicant.lives_overseas, today)


def deadline_for(decision: Decision, overseas: bool, today: dt.date | None) -> DeadlineResult:
    """The last day to request legal aid from its facts (the whole case, or the answers so far)."""
    from docassemble_asylum.deadlines import cnda, cnda_legal_aid

    inputs = cnda.CndaInputs(**notification_inputs(decision), overseas=overseas, today=today)
    from docassemble_asylum.errors import field_label

    # the summary names the question for the printed period, never an option name
    return cnda_legal_aid.compute(inputs, {"stated_period": field_label(CndaLegalAid, ("decision", "stated_period"))[0]})


def early_deadline(answers: dict, today: dt.date, *, final: bool, item: int | None = None) -> Verdict | None:
    """The last day to request legal aid as soon as the notification date is typed
    (checkpoint of ``interviews/cnda-legal-aid.yml``)."""
    from docassemble_asylum.errors import UserError

    decision = early_verdicts.part(Decision, answers.get("decision"))
    if decision is None or deemed_notification(decision) is None:
        return None
    applicant = answers.get("applicant")
    overseas = isinstance(applicant, dict) and applicant.get("lives_overseas") is True
    try:
        result = deadline_for(decision, overseas, today)
    except UserError:  # dates not in order yet: the question's own check says so
        return None
    return early_verdicts.deadline_verdict(result, final)


def _office(answers: CndaLegalAid) -> dict:
    return rulebook()["legal_aid.office"].at(answers.decision.date).value


def letter_context(answers: CndaLegalAid, today: dt.date) -> dict:
    """Everything the French letter shows, as plain values (strings, lists, dicts)."""
    a, d = answers.applicant, answers.decision
    office = _office(answers)
    decision_line = f"décision n° {d.number} du {date_fr(d.date)}"
    if d.outcome == "subsidiary_protection_granted":
        what = (
            "par laquelle le directeur général de l'Office français de protection des réfugiés et apatrides m'a accordé "
            "le bénéfice de la protection subsidiaire mais a refusé de me reconnaître la qualité de réfugié"
        )
    else:
        what = "par laquelle le directeur général de l'Office français de protection des réfugiés et apatrides a rejeté ma demande d'asile"
    paragraphs = [
        "Par la présente, je demande l'aide juridictionnelle pour contester devant la Cour nationale du droit d'asile "
        f"la {decision_line} {what}.",
        notification_sentence(d, first_person=True),
    ]
    if answers.appeal_already_sent:
        paragraphs.append(f"J'ai adressé mon recours à la Cour le {date_fr(answers.appeal_sent_on)}.")
    else:
        paragraphs.append("Je souhaite former un recours contre cette décision devant la Cour nationale du droit d'asile.")
    if answers.has_lawyer and answers.lawyer is not None:
        lawyer = answers.lawyer
        bar = french.agree("avocat au barreau de", lawyer.sex)
        # « la désigner » / « le désigner »; unknown sex: the name again, never a split form
        ask = french.by_sex(lawyer.sex, "je vous demande de la désigner", "je vous demande de le désigner", f"je vous demande de désigner Maître {lawyer.name}")
        paragraphs.append(
            f"Maître {lawyer.name}, {bar} {lawyer.bar}, a accepté de m'assister au titre de l'aide juridictionnelle : {ask}."
        )
    else:
        paragraphs.append("Je n'ai pas choisi d'avocat : je vous demande de m'en désigner un.")
    paragraphs.append("Vous trouverez ci-joint une copie de la décision de l'Ofpra.")
    return {
        "applicant": {**identity(a, a.address, a.phone, a.email), "ofpra_file_number": a.ofpra_file_number},
        "office": {"name": office["name"], "office": office["office"], "lines": office["lines"]},
        "subject": f"demande d'aide juridictionnelle — recours contre la {decision_line} de l'Ofpra",
        "salutation": "Madame, Monsieur,",
        "paragraphs": paragraphs,
        "closing": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "enclosures": [f"Copie de la décision de l'Ofpra n° {d.number} du {date_fr(d.date)}"],
        "decision": {"number": d.number, "date": date_fr(d.date)},
        "signature": {"place": answers.signature.place, "date": date_fr(answers.signature.date), "name": a.full_name},
    }


def summary(answers: CndaLegalAid, deadline: DeadlineResult) -> Summary:
    office = _office(answers)
    d = answers.decision
    sheet = Summary(
        title=gettext("Legal-aid request to the CNDA — summary sheet"),
        subtitle=gettext("For {name}, against Ofpra decision no. {number} of {date}").format(
            name=answers.applicant.full_name, number=d.number, date=format_date(d.date)
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    sheet.sections.append(deadline_section(deadline, gettext("Deadline: when the legal-aid request must arrive")))
    # The appeal's last and safe days and the suspension are steps of the calculation above
    # (« Comment la date a été calculée »): said once there, not again here (review F-38).
    appeal = Section(gettext("After the request"))
    appeal.bullets += [
        gettext("Keep the legal-aid decision and its envelope: the date of its notification will be needed for the appeal."),
        gettext("A refusal of legal aid can be contested within 15 days before the president of the court."),
        gettext("Then prepare the appeal itself with the lawyer (“Appeal to the CNDA”): the decision and its notification are already answered."),
    ]
    sheet.sections.append(appeal)
    how = Section(gettext("Where and how to send it"))
    how.paragraphs.append(", ".join([office["name"], office["office"], *office["lines"]]))
    how.bullets += [
        gettext("By fax: {fax} (the simplest; keep the transmission report).").format(fax=office["fax"]),
        gettext("Or by registered post with acknowledgement of receipt, several days before the last day, or in person."),
        gettext("Not by e-mail, and not through Télérecours citoyen."),
        gettext("Sign the letter before sending it."),
    ]
    sheet.sections.append(how)
    enclose = Section(gettext("What to enclose"))
    enclose.bullets.append(
        gettext("A copy of the Ofpra decision no. {number} of {date}.").format(number=d.number, date=format_date(d.date))
    )
    sheet.sections.append(enclose)
    return sheet


PROCEDURE = Procedure(
    name="cnda-legal-aid",
    title=N_("Legal-aid request to the CNDA"),
    model=CndaLegalAid,
    consistency=consistency,
    outputs=(
        letter(LETTER, "cnda_legal_aid.docx", N_("Legal-aid request (French letter, to sign)"), letter_context),
        deadline_summary_sheet(summary, compute_deadline),
    ),
    deadline=compute_deadline,
    rules="legal_aid",
    catalog="legal_aid",
    # An appeal's answers hold the same applicant and decision (build cnda-legal-aid --from).
    reuses={"cnda-appeal": ("applicant", "decision")},
)
