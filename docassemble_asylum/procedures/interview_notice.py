"""The notice to Ofpra that the applicant will be accompanied at the interview (L.531-15 CESEDA).

Three outputs from one wording: the French letter (DOCX), the same text as the body of a
ready-to-send e-mail (``.eml``, the letter attached, to the convocation's address), and
the summary sheet in the user's language with the latest day and the safe day.

What the law and Ofpra's page say, and how it shapes the code (RULES.md §4):
- Ofpra asks to be told "dans la mesure du possible" 7 days (4 in accelerated procedure)
  before the interview. That is a request, not a bar: a late notice is still built, the
  e-mail apologises for the delay, and the summary explains that the companion may still
  come. An interview already past, however, makes the notice pointless: a clean error.
- Ofpra grants no postponement at the companion's request, so nothing here ever asks for
  one (a test checks the outputs for that wording).
- Only associations authorised by Ofpra may send a representative. The list shipped is
  unverified: an unknown name is refused with the known names and a way to go on, which
  leaves a warning on the summary sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.email_message import letter_email
from docassemble_asylum.i18n import N_, born_fr, current_language, format_date, gettext, language_name_in_english
from docassemble_asylum.models.interview_notice import AssociationCompanion, InterviewNotice, LawyerCompanion
from docassemble_asylum.procedures.base import Problem, Procedure
from docassemble_asylum.procedures.early_verdicts import Verdict
from docassemble_asylum.procedures.outputs import Email, deadline_summary_sheet, letter, pdf_name
from docassemble_asylum.procedures.unfinished import Unfinished
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.letter import agree
from docassemble_asylum.render.placeholders import placeholder
from docassemble_asylum.render import french
from docassemble_asylum.render.summary import Section, Summary, caveat_lines, certainty_label, deadline_section, footer, sources_lines
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import RuleVersion

LETTER = "accompagnement-entretien-ofpra.docx"
EMAIL = "accompagnement-entretien-ofpra.eml"
ASSOCIATIONS = "interview.authorised_associations"
NOTICE_PERIOD = "interview.notice_period"
ASSOCIATION_LEAD_TIME = "interview.association_lead_time"
CONFIRMATION = "companion.association_not_listed_confirmed"


# --- the list of authorised associations ---------------------------------------------------

_ARTICLES = re.compile(r"^(?:l'|la |le |les |association )+")


def _normalise(name: str) -> str:
    """Compare association names as people type them: no accents, case, articles or punctuation."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    text = _ARTICLES.sub("", text.strip())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def associations_rule(interview_day: dt.date) -> RuleVersion:
    """The list in force on the day of the interview (the authorisation must hold then)."""
    return rulebook()[ASSOCIATIONS].at(interview_day)


def listed_association(name: str, interview_day: dt.date) -> str | None:
    """The listed name that ``name`` designates, or None when it is not on the list."""
    wanted = _normalise(name)
    for item in associations_rule(interview_day).value["associations"]:
        for candidate in (item["name"], *item.get("aliases", [])):
            if _normalise(candidate) == wanted:
                return item["name"]
    return None


def list_source(version: RuleVersion) -> str:
    """Where the list asylumdocs knows comes from, in the user's language: the decision in force,
    or, once it has lapsed (R.531-13: three years), the last known one and its end."""
    if version.value.get("decision"):
        return version.value["decision"]
    return gettext("last known list: {decision}, lapsed on {date} unless renewed").format(
        decision=version.value["lapsed"], date=format_date(dt.date.fromisoformat(version.value["lapsed_on"]))
    )


def known_association_names(interview_day: dt.date) -> list[str]:
    return [item["name"] for item in associations_rule(interview_day).value["associations"]]


# --- consistency ---------------------------------------------------------------------------


def consistency(answers: InterviewNotice, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    a, i, c = answers.applicant, answers.interview, answers.companion
    if i.date < today:
        problems.append(
            Problem(
                ("interview", "date"),
                N_("the interview date is before today ({date}): a notice can no longer be sent for it."),
                {"date": today},
            )
        )
    if a.date_of_birth >= i.date:
        problems.append(Problem(("applicant", "date_of_birth"), N_("this date must be before the date of the interview.")))
    if i.mode == "in_person" and not i.place:
        problems.append(Problem(("interview", "place"), N_("this answer is required for an interview in person (copy it from the convocation).")))
    if not answers.applicant_consents:
        problems.append(
            Problem(
                ("applicant_consents",),
                N_("the applicant must agree to be accompanied: the notice can only be sent with their consent."),
            )
        )
    chosen = answers.chosen_sex
    # An older file's interpreter request (``interpreter.same_gender``) had no reason: it still builds.
    if (chosen.officer or (chosen.interpreter and not answers.interpreter.same_gender)) and not chosen.reason:
        problems.append(
            Problem(
                ("chosen_sex", "reason"),
                N_("give the reason for the request in one sentence: Ofpra grants it when it is linked to the grounds of the application (for example sexual violence)."),
            )
        )
    if isinstance(c, LawyerCompanion) and not c.bar:
        problems.append(
            _CompanionProblem(
                ("companion", "bar"),
                N_("a lawyer must give the bar (barreau) where they are registered: Ofpra identifies the lawyer by it."),
                member=LawyerCompanion,
            )
        )
    if isinstance(c, AssociationCompanion):
        if not c.email and not c.phone:
            problems.append(
                _CompanionProblem(
                    ("companion", "email"),
                    N_("give the representative's e-mail or phone, so that Ofpra can reach them."),
                    member=AssociationCompanion,
                )
            )
        if listed_association(c.association, i.date) is None and not c.association_not_listed_confirmed:
            problems.append(
                _CompanionProblem(
                    # The confirmation question is where this is settled (not the association's name).
                    tuple(CONFIRMATION.split(".")),
                    N_(
                        "this association is not on the list of associations authorised by Ofpra that asylumdocs knows "
                        "({decision}; unverified, the current list may differ). Known names: {names}. If the association "
                        "is authorised (check Ofpra's current list), answer yes to the question asking whether you have "
                        "checked it, to build the notice anyway; the summary sheet will carry a warning."
                    ),
                    {
                        "decision": list_source(associations_rule(i.date)),
                        "names": ", ".join(known_association_names(i.date)),
                    },
                    member=AssociationCompanion,
                )
            )
    return problems


class _CompanionProblem(Problem):
    """A problem inside the companion, labelled through the model of the companion's kind.

    The generic labelling follows the first model of a union; the companion is a union of
    two models, so the label is taken from the one that applies.
    """

    def __init__(self, loc, msgid, ctx=None, *, member):
        super().__init__(loc, msgid, ctx or {})
        object.__setattr__(self, "member", member)

    def detail(self, model) -> dict:
        """The label of the precise question (“Companion at the interview › Representative's e-mail”),
        in ``check --json`` as on stderr (``render`` reads this)."""
        from docassemble_asylum.errors import field_label

        detail = super().detail(model)
        head = field_label(model, self.loc[:1])[0]
        label = field_label(self.member, self.loc[1:])[0]
        return {**detail, "question": f"{head} › {label}"}


# --- deadline ------------------------------------------------------------------------------


def compute_deadline(answers: InterviewNotice, today: dt.date | None) -> DeadlineResult:
    from docassemble_asylum.deadlines import interview_notice

    return interview_notice.compute(answers.interview.date, answers.interview.procedure, today)


def early_lateness(answers: dict, today: dt.date, *, final: bool, item: int | None = None) -> Verdict | None:
    """A late notice said as soon as the interview's date is typed (checkpoint of
    ``interviews/interview-notice.yml``). The procedure is asked after the date: until it
    is given, the notice is computed for each procedure, and it is late for sure only
    when it is late for every one of them (the accelerated procedure asks for less time)."""
    from docassemble_asylum.deadlines import interview_notice
    from docassemble_asylum.errors import UserError

    interview = answers.get("interview")
    if not isinstance(interview, dict) or not isinstance(interview.get("date"), str):
        return None
    try:
        day = dt.date.fromisoformat(interview["date"])
        given = interview.get("procedure")
        kinds = [given] if given in interview_notice.PROCEDURES else list(interview_notice.PROCEDURES)
        results = [interview_notice.compute(day, kind, today) for kind in kinds]
    except (ValueError, UserError):  # an interview already past: the question's own check says so
        return None
    late = [r for r in results if is_late(r)]
    if late and len(late) == len(results) and len(results) > 1:
        latest = max(r.last_day for r in results)
        return Verdict(
            gettext("the notice is late whatever the procedure: the latest day to send it was {date}. It can still be sent, and says politely that it is late.").format(
                date=format_date(latest)
            ),
            settled=True,
        )
    if late and final:
        return Verdict(
            gettext("the notice is late: the latest day to send it was {date}. It can still be sent, and says politely that it is late.").format(
                date=format_date(late[0].last_day)
            )
        )
    if late:
        return Verdict(
            gettext("the notice looks late: in the normal procedure, the latest day to send it was {date}.").format(
                date=format_date(late[0].last_day)
            )
        )
    first = min(results, key=lambda r: r.safe_day)
    if first.today is not None and first.today > first.safe_day:
        text = (
            gettext("the recommended day ({safe}) has passed: send the notice today; the latest day is {last}.")
            if final
            else gettext("the recommended day ({safe}) looks passed: send the notice today; the latest day looks to be {last}.")
        )
        return Verdict(text.format(safe=format_date(first.safe_day), last=format_date(first.last_day)))
    if first.safe_day != first.last_day:
        text = (
            gettext("the latest day to send the notice is {last}; the recommended day (a working day) is {safe}.")
            if final
            else gettext("the latest day to send the notice looks to be {last}; the recommended day (a working day) is {safe}.")
        )
        return Verdict(text.format(last=format_date(first.last_day), safe=format_date(first.safe_day)), bad=False)
    text = gettext("the latest day to send the notice is {date}.") if final else gettext("the latest day to send the notice looks to be {date}.")
    return Verdict(text.format(date=format_date(first.last_day)), bad=False)


def notice_days(answers: InterviewNotice) -> int:
    return rulebook()[NOTICE_PERIOD].at(answers.interview.date).value["days_before"][answers.interview.procedure]


def is_late(deadline: DeadlineResult) -> bool:
    return deadline.today is not None and deadline.today > deadline.last_day


# --- the French letter and e-mail ----------------------------------------------------------


def _date_fr(day: dt.date, weekday: bool = False) -> str:
    """'1er avril 2026' / 'mercredi 1er avril 2026' (the letter is French whatever the user's language)."""
    return format_date(day, lang="fr") if weekday else date_fr(day)


def _time_fr(value: dt.time) -> str:
    return f"{value.hour} h {value.minute:02d}"


# The chosen sex of the officer and the interpreter as the letter writes it (None: the
# applicant's own sex, what the older ``interpreter.same_gender`` asked).
CHOSEN_SEX_FR = {"female": "de sexe féminin", "male": "de sexe masculin", None: "du même sexe"}


def _sentence(text: str) -> str:
    """The user's one sentence as the end of the letter's sentence: with its full stop."""
    text = text.strip()
    return text if text[-1:] in ".!?…" else text + "."


def render_context(answers: InterviewNotice, today: dt.date, late: bool) -> dict:
    """The French letter as plain values; the e-mail body is made of the same sentences."""
    a, i, c, w = answers.applicant, answers.interview, answers.companion, answers.interpreter
    sex = a.sex
    person = f"{agree(sex, 'Mme ', 'M. ', '')}{a.full_name}"
    when = f"le {_date_fr(i.date, weekday=True)} à {_time_fr(i.time)}"
    if i.mode == "videoconference":
        where = " par visioconférence" + (f" (lieu de connexion : {i.place})" if i.place else "")
    else:
        where = f" ({i.place})"

    if isinstance(c, LawyerCompanion):
        capacity = french.agree("En ma qualité d'avocat au barreau de", c.sex) + f" {c.bar}"
        bar_line = french.agree("Avocat au barreau de", c.sex) + f" {c.bar}"
        sender = [f"Maître {c.name}", bar_line, *c.address.lines, f"Tél. : {c.phone}", f"Courriel : {c.email}"]
        signature = [f"Maître {c.name}", bar_line]
        contact = f"Vous pouvez me joindre au {c.phone} ou par courriel à l'adresse {c.email}."
        legal_basis = (
            "Cet accompagnement est prévu par l'article L. 531-15 du code de l'entrée et du séjour des étrangers "
            "et du droit d'asile."
        )
    else:
        # A listed association is named as the list writes it ("cimade" -> "La Cimade").
        association = listed_association(c.association, i.date) or c.association
        capacity = french.agree("En ma qualité de représentant de l'association", c.sex) + f" {association}"
        sender = [c.name, f"Association {association}", *(c.association_address.lines if c.association_address else [])]
        sender += [f"Tél. : {c.phone}"] if c.phone else []
        sender += [f"Courriel : {c.email}"] if c.email else []
        signature = [c.name, french.agree("Représentant de l'association", c.sex) + f" {association}"]
        ways = [f"au {c.phone}"] if c.phone else []
        ways += [f"par courriel à l'adresse {c.email}"] if c.email else []
        contact = f"Vous pouvez me joindre {' ou '.join(ways)}."
        legal_basis = (
            "Cet accompagnement est prévu par l'article L. 531-15 du code de l'entrée et du séjour des étrangers "
            "et du droit d'asile ; l'association est habilitée par le directeur général de l'Office en application "
            "de l'article R. 531-13 du même code."
        )
        if authorisation_unchecked(answers):
            # The last list asylumdocs knows has lapsed (R.531-13: three years): the letter must not
            # assert an authorisation nobody checked; the part is highlighted and listed as unfinished.
            legal_basis += " " + placeholder(
                "vérifiez avant l'envoi que l'association et son représentant figurent sur la liste en vigueur de "
                "l'Ofpra, puis retirez cette mention"
            )

    wish = french.by_sex(
        sex,
        f"{person} souhaite être entendue en {w.language}",
        f"{person} souhaite être entendu en {w.language}",
        f"{person} souhaite que l'entretien se déroule en {w.language}",
    )
    interpreter = french.by_sex(sex, "à être assistée d'un interprète", "à être assisté d'un interprète", "l'assistance d'un interprète")
    chosen = answers.chosen_sex
    of_sex = CHOSEN_SEX_FR[chosen.sex]
    if chosen.officer:
        # Ofpra grants it "dans la mesure du possible": a request, never a right asserted.
        who = "un officier de protection et un interprète" if chosen.interpreter else "un officier de protection"
        sex_request = f", et demande, dans la mesure du possible, que l'entretien soit mené par {who} {of_sex}."
    elif chosen.interpreter:
        sex_request = f", et demande, dans la mesure du possible, {interpreter} {of_sex}."
    else:
        sex_request = "."
    own_address = c.address if isinstance(c, LawyerCompanion) else c.association_address
    place = answers.signature_place or (own_address.city if own_address else "")
    paragraphs = [
        f"{capacity}, je vous informe que j'accompagnerai {person}, {french.agree('né', sex)} {born_fr(a.date_of_birth)}, "
        f"dossier Ofpra n° {a.ofpra_file_number}, lors de son entretien personnel prévu {when}{where}.",
        legal_basis,
        f"{person} a donné son accord à cet accompagnement.",
        wish + sex_request,
    ]
    if chosen.requested and chosen.reason:
        paragraphs.append(f"Cette demande est liée aux motifs de la demande d'asile : {_sentence(chosen.reason)}")
    if late:
        days = notice_days(answers)
        paragraphs.append(
            "Je vous prie de bien vouloir excuser le caractère tardif de cette information, qui vous parvient "
            f"moins de {days} jours avant l'entretien ; je vous remercie par avance de bien vouloir en tenir compte."
        )
    paragraphs.append(contact)
    return {
        "sender": {"lines": sender},
        "recipient": {
            "lines": ["Office français de protection des réfugiés et apatrides (Ofpra)", f"Par courriel : {i.convocation_email}"]
        },
        "date_line": f"{place}, le {_date_fr(today)}" if place else f"Le {_date_fr(today)}",
        "subject": "information de la présence d'un accompagnant à l'entretien personnel",
        "reference": f"dossier Ofpra n° {a.ofpra_file_number} — {a.full_name} — entretien du {_date_fr(i.date)} à {_time_fr(i.time)}",
        "reference_number": a.ofpra_file_number,
        "salutation": "Madame, Monsieur,",
        "paragraphs": paragraphs,
        "closing": (
            "Je vous remercie de bien vouloir en prendre note et vous prie d'agréer, Madame, Monsieur, "
            "l'expression de mes salutations distinguées."
        ),
        "signature": {"lines": signature},
        "enclosures": enclosures(answers),
        "email_subject": f"Dossier Ofpra n° {a.ofpra_file_number} — accompagnement à l'entretien du {_date_fr(i.date)}",
    }


def enclosures(answers) -> list[str]:
    """The user's files attached to the e-mail, as the letter lists them (the convocation first):
    "Convocation à l'entretien (convocation.pdf)", or the file's name alone."""
    import posixpath

    listed = []
    for item in answers.attachments:
        name = posixpath.basename(item.file.replace("\\", "/"))
        listed.append(f"{item.description} ({name})" if item.description else name)
    return listed


def email_fields(answers: InterviewNotice, today: dt.date) -> dict:
    """The e-mail to the convocation's address, from the companion (the letter is attached to it)."""
    context = letter_context(answers, today)
    return letter_email(context, to=answers.interview.convocation_email, to_name="Ofpra", sender=answers.companion.email)


# --- the summary sheet ---------------------------------------------------------------------


def how_to_send(address: str) -> list[str]:
    """Sending the notice: the ready ``.eml`` the command line writes, or, on a docassemble server
    (render/delivery.py), the e-mail its documents screen shows, to write with the letter attached."""
    from docassemble_asylum.render.delivery import emails_as_files

    if emails_as_files():
        return [
            gettext(
                "Send it by e-mail to the address given on the convocation: {email}. The file {eml} is ready: open it "
                "with your mail program, check it, and send it from the companion's mailbox (in Thunderbird: Message › "
                "Edit as New Message)."
            ).format(email=address, eml=EMAIL),
            gettext(
                "The letter {docx} is attached to the e-mail (its PDF, {pdf}, when PDFs were made too), with the files "
                "listed in it. Keep a copy of the e-mail as sent."
            ).format(docx=LETTER, pdf=pdf_name(LETTER)),
        ]
    return [
        gettext(
            "Send it by e-mail to the address given on the convocation: {email}, from the companion's mailbox. The "
            "documents screen gives the e-mail's subject and text: copy them into a new message."
        ).format(email=address),
        gettext(
            "Attach the letter {docx} (or its PDF) to the e-mail, with the files listed in it. Keep a copy of the "
            "e-mail as sent."
        ).format(docx=LETTER),
    ]



def _language_shown(typed: str) -> str:
    """The interview language as the summary names it: as typed (in French, for the letter)
    in a French summary; in English, its English name with the letter's words after it, or
    those words quoted when the name is not one CLDR knows."""
    if current_language() != "en":
        return typed
    english = language_name_in_english(typed)
    if english is None:
        return gettext("“{typed}” (the language as the letter writes it)").format(typed=typed)
    return gettext("{english} (“{typed}” in the letter)").format(english=english, typed=typed)


def summary(answers: InterviewNotice, deadline: DeadlineResult) -> Summary:
    a, i, c = answers.applicant, answers.interview, answers.companion
    sheet = Summary(
        title=gettext("Notice to Ofpra of a companion at the interview — summary sheet"),
        subtitle=gettext("For {name}, Ofpra file no. {number}: interview on {date} at {time}").format(
            name=a.full_name, number=a.ofpra_file_number, date=format_date(i.date), time=_time_fr(i.time).replace(" ", "\u00a0")
        ),
        footer=footer(),
    )
    days = notice_days(answers)
    if is_late(deadline):
        sheet.warnings.append(
            gettext(
                "The notice is late: the latest day to send it was {date}. Ofpra asks to be told “as far as possible” "
                "{days} days before the interview; a late notice does not forbid the companion from attending. Send "
                "it today: the e-mail apologises for the delay."
            ).format(date=format_date(deadline.last_day), days=days)
        )
    elif deadline.today is not None and deadline.today > deadline.safe_day:
        sheet.warnings.append(
            gettext("The recommended day ({safe}) has passed: send the notice today; the latest day is {last}.").format(
                safe=format_date(deadline.safe_day), last=format_date(deadline.last_day)
            )
        )
    if isinstance(c, AssociationCompanion) and listed_association(c.association, i.date) is None:
        sheet.warnings.append(
            gettext(
                "The association “{name}” is not on the list of authorised associations that asylumdocs knows; you "
                "confirmed that it is authorised. Check it on Ofpra's current list before sending: only a representative "
                "of an authorised association may accompany the applicant."
            ).format(name=c.association)
        )

    sheet.sections.append(deadline_section(deadline, gettext("When to send the notice")))

    how = Section(gettext("How to send it"))
    how.bullets += [
        *how_to_send(i.convocation_email),
        gettext(
            "Ofpra does not move an interview because the companion cannot attend: if the companion cannot come, the "
            "interview takes place without them, and the applicant must attend in any case."
        ),
    ]
    lead = rulebook()[ASSOCIATION_LEAD_TIME].at(i.date)
    how.bullets.append(
        gettext(
            "Associations often need more notice than Ofpra to send a representative: {association}, for example, asks "
            "to be contacted at least {days} days before the interview, with the convocation. Contact the association "
            "as early as you can."
        ).format(association=lead.value["association"], days=lead.value["days_before"])
    )
    how.bullets += sources_lines(lead.references)
    sheet.sections.append(how)

    if isinstance(c, AssociationCompanion):
        version = associations_rule(i.date)
        listed = listed_association(c.association, i.date)
        section = Section(gettext("Authorised associations"))
        if listed:
            section.paragraphs.append(
                gettext("“{name}” is on the list of authorised associations that asylumdocs knows ({decision}).").format(
                    name=listed, decision=list_source(version)
                )
            )
        section.paragraphs.append(
            gettext(
                "This list must be checked: it was compiled from earlier decisions of Ofpra's director, not from the "
                "decision in force, and authorisations last three years. Check Ofpra's current list before the interview."
            )
        )
        if not version.value.get("decision"):
            section.paragraphs.append(
                gettext(
                    "The authorisations of the {decision} lasted three years and ended on {date}; no renewal is known to "
                    "asylumdocs, so the letter cites no decision. Ask the association for Ofpra's current list and check "
                    "that it and its representative are on it."
                ).format(decision=version.value["lapsed"], date=format_date(dt.date.fromisoformat(version.value["lapsed_on"])))
            )
        section.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(version.certainty)))
        section.bullets.append(
            gettext(
                "The representative must also be approved: the association gives Ofpra the names of its representatives "
                "(article R.531-13 CESEDA)."
            )
        )
        section.bullets += sources_lines(version.references)
        sheet.sections.append(section)

    interpreter = Section(gettext("Interpreter and protection officer"))
    interpreter.bullets.append(
        gettext("The notice asks for the interview of {name} to be held in {language}.").format(
            name=a.full_name, language=_language_shown(answers.interpreter.language)
        )
    )
    chosen = answers.chosen_sex
    if chosen.requested:
        # Words that need no agreement in either language: "de sexe féminin", "who are women".
        of_sex = {
            "female": gettext("who are women"),
            "male": gettext("who are men"),
            None: gettext("of the applicant's own sex"),
        }[chosen.sex]
        if chosen.officer and chosen.interpreter:
            asked = gettext("It asks, as far as possible, for a protection officer and an interpreter {sex}.")
        elif chosen.officer:
            asked = gettext("It asks, as far as possible, for a protection officer {sex}.")
        else:
            asked = gettext("It asks, as far as possible, for an interpreter {sex}.")
        interpreter.bullets.append(asked.format(sex=of_sex))
        interpreter.bullets.append(
            gettext(
                "Ofpra grants this request as far as it can when it is linked to the grounds of the application (for "
                "example sexual violence); it is not guaranteed."
            )
        )
    sheet.sections.append(interpreter)
    return sheet


# --- the procedure -------------------------------------------------------------------------


def letter_context(answers: InterviewNotice, today: dt.date) -> dict:
    return render_context(answers, today, is_late(compute_deadline(answers, today)))


def report(answers: InterviewNotice, today: dt.date) -> dict:
    result = compute_deadline(answers, today)
    return {"deadline": result.to_json(), "late": is_late(result)}


def report_lines(answers: InterviewNotice, today: dt.date) -> list[str]:
    result = compute_deadline(answers, today)
    lines = [gettext("Latest day to send the notice: {date}").format(date=format_date(result.last_day))]
    if result.safe_day != result.last_day:
        lines.append(gettext("Recommended day (a working day): {date}").format(date=format_date(result.safe_day)))
    if is_late(result):
        lines.append(gettext("The latest day has passed: the notice can still be sent, and says politely that it is late."))
    return lines + caveat_lines(result)


def authorisation_unchecked(answers: InterviewNotice) -> bool:
    """An association companion, while the last list asylumdocs knows has lapsed and nobody
    said they checked Ofpra's current one: the letter cannot assert the authorisation."""
    c = answers.companion
    if not isinstance(c, AssociationCompanion) or c.association_not_listed_confirmed:
        return False
    return not associations_rule(answers.interview.date).value.get("decision")


def unfinished(answers: InterviewNotice, today: dt.date) -> list[Unfinished]:
    if not authorisation_unchecked(answers):
        return []
    return [
        Unfinished(
            tuple(CONFIRMATION.split(".")),
            N_(
                "the letter says the association is authorised by Ofpra, and the last list asylumdocs knows has lapsed: "
                "check Ofpra's current list (the association and its representative), then remove the highlighted "
                "mention."
            ),
        )
    ]


PROCEDURE = Procedure(
    name="interview-notice",
    title=N_("Notice to Ofpra of a companion at the interview"),
    model=InterviewNotice,
    consistency=consistency,
    outputs=(
        letter(LETTER, "interview_notice.docx", N_("Notice to Ofpra (French letter, attached to the e-mail)"), letter_context),
        Email(EMAIL, LETTER, N_("The same notice as an e-mail ready to send"), email_fields),
        deadline_summary_sheet(summary, compute_deadline),
    ),
    report=report,
    report_lines=report_lines,
    unfinished=unfinished,
    rules="interview",
    catalog="interview",
    attachments="attachments",
)
