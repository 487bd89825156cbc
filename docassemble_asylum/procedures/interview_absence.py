"""The letter telling Ofpra that the applicant cannot attend the interview (or will be late),
with the reason, the request for a new date and the supporting documents (issue 20).

Sent like the interview notice: a French letter (DOCX), the same text as a ready-to-send
e-mail (``.eml``) to the address on the convocation with the letter (its PDF with ``--pdf``)
and the user's documents attached, and a summary sheet in the user's language.

What shapes it (rules ``absence.notice`` and ``absence.consequences``):
- No text sets a period: the letter must reach Ofpra before the interview, as early as
  possible; the day to aim for is the working day before.
- Ofpra need not grant a new date: the letter asks, and the summary says to attend unless
  Ofpra confirms the change. An unjustified absence lets Ofpra decide on the file or close
  it; after the June 2026 reform, possibly an implicit withdrawal with a short appeal
  period (unverified), which the summary says with its certainty.
- A medical reason with no certificate among the documents is allowed (it may follow),
  with a warning: without it Ofpra may not accept the absence as justified.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.email_message import letter_email
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.interview_absence import InterviewAbsence
from docassemble_asylum.procedures.base import Problem, Procedure
from docassemble_asylum.procedures.interview_notice import _date_fr, _time_fr, enclosures
from docassemble_asylum.procedures.outputs import Email, deadline_summary_sheet, letter
from docassemble_asylum.render import french
from docassemble_asylum.render.summary import Section, Summary, caveat_lines, certainty_label, deadline_section, deadline_warnings, footer, sources_lines
from docassemble_asylum.rules import rulebook

LETTER = "absence-entretien-ofpra.docx"
EMAIL = "absence-entretien-ofpra.eml"
CONSEQUENCES = "absence.consequences"
OFPRA_ADDRESS = "reexamination.ofpra_address"  # Ofpra's postal address (one rule for every letter to it)


# --- consistency ---------------------------------------------------------------------------


def consistency(answers: InterviewAbsence, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    a, i, absence = answers.applicant, answers.interview, answers.absence
    if i.date < today:
        problems.append(
            Problem(
                ("interview", "date"),
                N_(
                    "the interview date is before today ({date}): this letter announces an absence before the interview. "
                    "After it, write to Ofpra at once to explain why the applicant could not attend."
                ),
                {"date": today},
            )
        )
    if a.date_of_birth >= i.date:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the interview.")))
    if i.mode == "in_person" and not i.place:
        problems.append(Problem(("interview", "place"), N_("this answer is required for an interview in person (copy it from the convocation).")))
    if absence.kind == "late" and absence.arrival is None:
        problems.append(Problem(("absence", "arrival"), N_("give the time at which the applicant expects to arrive.")))
    if absence.kind == "late" and absence.arrival is not None and absence.arrival <= i.time:
        problems.append(Problem(("absence", "arrival"), N_("this time must be after the time of the interview.")))
    if absence.kind == "absent" and absence.arrival is not None:
        problems.append(Problem(("absence", "arrival"), N_("only when the applicant will be late.")))
    return problems


def missing_certificate(answers: InterviewAbsence) -> bool:
    return answers.absence.reason == "medical" and not answers.absence.certificate


# --- deadline ------------------------------------------------------------------------------


def compute_deadline(answers: InterviewAbsence, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import interview_absence

    return interview_absence.compute(answers.interview.date, today)


# --- the French letter and e-mail ----------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def letter_context(answers: InterviewAbsence, today: dt.date) -> dict:
    """The French letter as plain values; the e-mail body is made of the same sentences."""
    a, i, absence, contact = answers.applicant, answers.interview, answers.absence, answers.contact
    sex = a.sex
    when = f"le {_date_fr(i.date, weekday=True)} à {_time_fr(i.time)}"
    if i.mode == "videoconference":
        where = " par visioconférence" + (f" (lieu de connexion : {i.place})" if i.place else "")
    else:
        where = f" ({i.place})"
    intro = (
        f"{french.agree('Je soussigné', sex)} {a.full_name}, {french.agree('né', sex)} le {_date_fr(a.date_of_birth)}, "
        f"dossier Ofpra n° {a.ofpra_file_number}, ai reçu une convocation à un entretien personnel prévu {when}{where}."
    )
    if absence.kind == "absent":
        announce = "Je vous informe que je ne pourrai pas me présenter à cet entretien."
        cause = "Cette absence est due"
        request = (
            "Je vous prie de bien vouloir me convoquer à une nouvelle date d'entretien. Je reste à la disposition "
            "de l'Office et me présenterai à la nouvelle convocation."
        )
    else:
        announce = f"Je vous informe que je ne pourrai arriver à cet entretien qu'avec du retard, vers {_time_fr(absence.arrival)}."
        cause = "Ce retard est dû"
        request = (
            "Je vous prie de bien vouloir me recevoir à mon arrivée ou, si cela n'est pas possible, me convoquer à une "
            "nouvelle date d'entretien."
        )
    reason = f"{cause} à une raison médicale :" if absence.reason == "medical" else f"{cause} à la raison suivante :"
    paragraphs = [intro, announce, reason, *_paragraphs(absence.explanation), request]
    listed = enclosures(answers)
    if missing_certificate(answers):
        paragraphs.append("Je vous transmettrai le certificat médical dès que possible.")
    elif absence.reason == "medical":
        paragraphs.append("Je joins à ce courriel le certificat médical qui l'atteste.")
    ways = [f"au {contact.phone}"] if contact.phone else []
    ways += [f"par courriel à l'adresse {contact.email}"] if contact.email else []
    ways.append("par courrier à l'adresse ci-dessus")
    paragraphs.append(f"Vous pouvez me joindre {', '.join(ways[:-1])} ou {ways[-1]}." if len(ways) > 1 else f"Vous pouvez me joindre {ways[0]}.")
    office = rulebook()[OFPRA_ADDRESS].at(today).value
    place = answers.signature_place or contact.address.city
    sender = [a.full_name, f"Dossier Ofpra n° {a.ofpra_file_number}", *contact.address.lines]
    sender += [f"Tél. : {contact.phone}"] if contact.phone else []
    sender += [f"Courriel : {contact.email}"] if contact.email else []
    what = "impossibilité de me présenter à l'entretien personnel" if absence.kind == "absent" else "retard à l'entretien personnel"
    return {
        "sender": {"lines": sender},
        "recipient": {"lines": [office["name"], *office["lines"], f"Par courriel : {answers.send_to}"]},
        "date_line": f"{place}, le {_date_fr(today)}",
        "subject": f"{what} et demande de nouvelle date" if absence.kind == "absent" else what,
        "reference": f"dossier Ofpra n° {a.ofpra_file_number} — {a.full_name} — entretien du {_date_fr(i.date)} à {_time_fr(i.time)}",
        "reference_number": a.ofpra_file_number,
        "salutation": "Madame, Monsieur,",
        "paragraphs": paragraphs,
        "enclosures": listed,
        "closing": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "signature": {"lines": [a.full_name]},
        "email_subject": (
            f"Dossier Ofpra n° {a.ofpra_file_number} — "
            + ("absence" if absence.kind == "absent" else "retard")
            + f" à l'entretien du {_date_fr(i.date)}"
        ),
    }


def email_fields(answers: InterviewAbsence, today: dt.date) -> dict:
    """The e-mail to the convocation's address, from the applicant (the letter and documents attached)."""
    context = letter_context(answers, today)
    return letter_email(context, to=answers.send_to, to_name="Ofpra", sender=answers.contact.email)


# --- the summary sheet ---------------------------------------------------------------------


def summary(answers: InterviewAbsence, deadline: DeadlineResult) -> Summary:
    a, i = answers.applicant, answers.interview
    sheet = Summary(
        title=gettext("Absence from the Ofpra interview — summary sheet"),
        subtitle=gettext("For {name}, Ofpra file no. {number}: interview on {date} at {time}").format(
            name=a.full_name, number=a.ofpra_file_number, date=format_date(i.date), time=_time_fr(i.time).replace(" ", "\u00a0")
        ),
        footer=footer(),
    )
    sheet.warnings += deadline_warnings(deadline)
    if missing_certificate(answers):
        sheet.warnings.append(
            gettext(
                "The reason is medical but no medical certificate is among the documents: Ofpra may not accept the "
                "absence as justified. Ask a doctor for a certificate and send it as soon as possible (the letter says "
                "it will follow)."
            )
        )
    sheet.sections.append(deadline_section(deadline, gettext("When to send the letter")))

    version = rulebook()[CONSEQUENCES].at(i.date)
    after = Section(gettext("What Ofpra may do"))
    after.bullets.append(
        gettext(
            "Ofpra is not bound to grant a new date. Unless Ofpra confirms in writing that the interview is moved, the "
            "applicant should attend on the date of the convocation if at all possible."
        )
    )
    after.bullets.append(
        gettext(
            "Without a legitimate reason for the absence, Ofpra may decide on the file without an interview, or even close "
            "the examination of the application."
        )
    )
    if version.value.get("implicit_withdrawal"):
        after.bullets.append(
            gettext(
                "If the asylum application was lodged on or after 12 June 2026 (the EU regulation's rules), an unjustified "
                "absence may also lead to an implicit withdrawal of the application, against which the appeal period may be "
                "as short as {low} to {high} days. This is not verified against the French text: read any letter from Ofpra "
                "at once and get advice."
            ).format(low=version.value["appeal_days_min"], high=version.value["appeal_days_max"])
        )
    after.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(version.certainty)))
    after.bullets += sources_lines(version.references)
    sheet.sections.append(after)

    how = Section(gettext("How to send it"))
    how.bullets += how_to_send(answers)
    how.bullets.append(gettext("Keep a copy of the e-mail as sent: it proves that Ofpra was told before the interview."))
    sheet.sections.append(how)
    return sheet


def how_to_send(answers: InterviewAbsence) -> list[str]:
    """Sending the letter: the ready ``.eml`` the command line writes, or, on a docassemble server
    (render/delivery.py), the e-mail its documents screen shows, to write with the files attached."""
    from docassemble_asylum.render.delivery import emails_as_files

    names = ", ".join(enclosures(answers))
    certificate_announced = answers.absence.reason == "medical" and answers.absence.certificate
    if emails_as_files():
        first = gettext(
            "Send it by e-mail to the address given on the convocation: {email}. The file {eml} is ready: open it with "
            "your mail program, check it, and send it (in Thunderbird: Message › Edit as New Message)."
        ).format(email=answers.send_to, eml=EMAIL)
        if answers.attachments:
            return [first, gettext("The letter and the documents you listed are attached to the e-mail: {names}.").format(names=names)]
        if certificate_announced:
            return [
                first,
                gettext(
                    "The letter says that the medical certificate is attached, and no file is attached yet: attach the "
                    "certificate (and the convocation) to the e-mail before sending it."
                ),
            ]
        return [first, gettext("No document is attached besides the letter: attach the convocation and the proof of the reason if you have them.")]
    first = gettext(
        "Send it by e-mail to the address given on the convocation: {email}. The documents screen gives the e-mail's "
        "subject and text: copy them into a new message."
    ).format(email=answers.send_to)
    if answers.attachments:
        return [first, gettext("Attach to the e-mail the letter {docx} (or its PDF) and the documents you listed: {names}.").format(docx=LETTER, names=names)]
    if certificate_announced:
        return [
            first,
            gettext(
                "The letter says that the medical certificate is attached: attach to the e-mail the letter {docx} (or its "
                "PDF), the certificate and the convocation."
            ).format(docx=LETTER),
        ]
    return [first, gettext("Attach the letter {docx} (or its PDF) to the e-mail, with the convocation and the proof of the reason if you have them.").format(docx=LETTER)]


# --- the procedure -------------------------------------------------------------------------


def report(answers: InterviewAbsence, today: dt.date) -> dict:
    result = compute_deadline(answers, today)
    return {"deadline": result.to_json(), "certificate_missing": missing_certificate(answers)}


def report_lines(answers: InterviewAbsence, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    lines = [gettext("Send the letter before the interview ({date}), as early as possible.").format(date=format_date(result.last_day))]
    lines.append(gettext("Day to aim for (a working day): {date}").format(date=format_date(result.safe_day)))
    if missing_certificate(answers):
        lines.append(gettext("Warning: the reason is medical but no medical certificate is among the documents."))
    return lines + caveat_lines(result)


PROCEDURE = Procedure(
    name="interview-absence",
    title=N_("Letter to Ofpra: absence from the interview"),
    model=InterviewAbsence,
    consistency=consistency,
    outputs=(
        letter(LETTER, "interview_absence.docx", N_("Letter to Ofpra (French, attached to the e-mail)"), letter_context),
        Email(EMAIL, LETTER, N_("The same letter as an e-mail ready to send"), email_fields),
        deadline_summary_sheet(summary, compute_deadline),
    ),
    report=report,
    report_lines=report_lines,
    rules="absence",
    catalog="absence",
    # The interview notice holds the same applicant and interview (build interview-absence --from).
    reuses={"interview-notice": ("applicant", "interview")},
    attachments="attachments",
)
