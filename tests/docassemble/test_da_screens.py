"""Screens of the generated interviews that the walk alone does not check (docassemble's own code).

- a field two questions can fill (a lawyer's or a representative's name, the place of an
  interview in person or by videoconference) is asked by the question whose condition
  holds, not by the last one defined;
- a date of birth after today is refused on its own screen, with the terminal's message;
- the problems screen shows answers in the interview's language: a choice's label, a date
  written out, not the stored keyword or YYYY-MM-DD; it lists a field two questions can fill
  once, under the question that was asked, with French spacing before the colon.
"""

from __future__ import annotations

import copy

import pytest
from da_fixtures import installed, offline, requires_docassemble  # noqa: F401 (fixtures)
from offline import ROOT, TODAY, address
from pinned_examples import pinned_example_text

pytestmark = requires_docassemble


def example(procedure: str) -> dict:
    """The bundled example as of the day the offline walks use (tests/pinned_examples.py)."""
    from docassemble_asylum import yamlio

    return yamlio.loads(pinned_example_text(procedure))


def as_representative_by_videoconference() -> dict:
    answers = example("interview-notice")
    answers["interview"]["mode"] = "videoconference"
    answers["interview"]["place"] = "Préfecture de Lyon"
    answers["companion"] = {
        "kind": "association", "name": "Karim Benali", "association": "La Cimade",
        "association_address": {"street": "64 rue Clisson", "complement": "", "postal_code": "75013", "city": "Paris", "country": "France"},
        "email": "k.benali@association.example", "phone": "06 00 00 00 00",
    }
    return answers


@pytest.mark.parametrize(
    ("answers", "asked", "never"),
    [
        (example("interview-notice"), {"place", "lawyer_name", "lawyer_phone", "lawyer_email"},
         {"videoconference_place", "representative_name", "representative_phone", "representative_email"}),
        (as_representative_by_videoconference(), {"videoconference_place", "representative_name", "representative_phone", "representative_email"},
         {"place", "lawyer_name", "lawyer_phone", "lawyer_email"}),
    ],
    ids=["lawyer-in-person", "representative-by-videoconference"],
)
def test_a_shared_field_is_asked_by_the_question_whose_condition_holds(offline, answers, asked, never):
    from docassemble_asylum.procedures import get

    walk = offline.walk(address("interview-notice"), answers, "fr", TODAY["interview-notice"], model=get("interview-notice").model)
    ids = {screen.id.removeprefix("fr ") for screen in walk.steps}
    assert asked <= ids
    assert not ids & never


def answer_until(offline, session, answers: dict, lang: str, wanted: str, model):
    for _ in range(200):
        screen = session.next()
        if wanted in screen.variables or screen.id == wanted:
            return screen
        session.answer(offline.answers_for(session, screen, answers, lang, model))
    pytest.fail(f"no screen asking {wanted}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_birth_date_after_today_is_refused_on_its_screen(offline, lang):
    from docassemble_asylum.errors import translate_error
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get

    procedure = "interview-notice"
    session = offline.Session(address(procedure))
    session.set("asylum_today_override", TODAY[procedure])
    screen = answer_until(offline, session, example(procedure), lang, "applicant.date_of_birth", get(procedure).model)
    known, year = "applicant.asylum_date_of_birth_known", "applicant.asylum_date_of_birth_year"
    assert screen.variables == [known, "applicant.date_of_birth", year]
    assert screen.shown_if == [None, (known, "date"), (known, "year")]
    with pytest.raises(offline.ValidationRefused) as refused:
        session.answer({known: "date", "applicant.date_of_birth": offline.as_datetime("2026-04-02")})  # the day after "today"
    with language(lang):
        assert str(refused.value) == translate_error({"type": "date_future"})
    with pytest.raises(offline.ValidationRefused) as refused:
        session.answer({known: "year", year: 2027})  # a year after today's: refused the same way
    with language(lang):
        assert str(refused.value) == translate_error({"type": "date_future"})
    session.answer({known: "year", year: 2026})  # this year: accepted
    session.answer({known: "date", "applicant.date_of_birth": offline.as_datetime("2026-04-01")})  # today itself: accepted


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_problems_screen_shows_labels_and_dates_in_the_interviews_language(offline, lang):
    import datetime as dt

    from docassemble_asylum.i18n import format_date, language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.questions import gettext

    procedure = "interview-notice"
    answers = copy.deepcopy(example(procedure))
    answers["interview"]["date"] = "2026-03-20"  # valid alone; before "today", the case is not
    session = offline.Session(address(procedure))
    session.set("asylum_today_override", TODAY[procedure])
    screen = answer_until(offline, session, answers, lang, f"{lang} problems", get(procedure).model)
    assert screen.id == f"{lang} problems"

    def shown(field: str) -> str:
        return session.eval(f"asylum_shown(asylum_answers, {field!r}, procedure={procedure!r})")

    with language(lang):
        assert shown("applicant.sex") == gettext("Female")
        assert shown("interview.mode") == gettext("In person")
        assert shown("interview.date") == format_date(dt.date(2026, 3, 20))
        assert shown("chosen_sex.officer") == gettext("yes")


class _Upload:
    """What a ``file`` question gives the glue: docassemble's DAFileList of one DAFile (their attributes)."""

    def __init__(self, filename: str):
        self.elements = [type("DAFile", (), {"number": 7, "filename": filename})()]


def test_an_uploaded_file_is_listed_and_the_documents_screen_says_it_is_not_attached(offline):
    """On docassemble the attachments are uploads: the letter lists them by name; the glue shows the
    e-mail's text only, so the documents screen asks to attach them by hand (README)."""
    from docassemble.asylum import glue

    from docassemble_asylum.i18n import gettext, language

    assert glue.plain(_Upload("convocation.pdf")) == "convocation.pdf"
    answers = example("interview-notice")
    answers["attachments"] = [{"file": glue.plain(_Upload("convocation.pdf")), "description": "Convocation à l'entretien"}]
    session = offline.Session(address("interview-notice"))
    session.next()  # the first screen: the interview's modules and language are set up
    with session._context():
        shown = glue.asylum_emails("interview-notice", answers, TODAY["interview-notice"])
        lang = glue.asylum_language()
    with language(lang):
        note = gettext(
            "The files you uploaded ({names}) are listed in the letter but not attached for you here: attach them "
            "yourself to the e-mail, with the letter, when you send it."
        ).format(names="convocation.pdf")
    assert glue.asylum_escape(note) in shown
    assert "convocation.pdf" in shown.split(note[:20])[0]  # the e-mail's body lists it too


def test_the_problems_screen_shows_a_year_only_birth_date_and_changes_it_on_its_screen(offline):
    """A year alone is shown as the year (never "1 January"), and its "Change" asks the date-of-birth
    screen again (its first field: which the documents give), where the full date can be given."""
    from docassemble_asylum.procedures import get

    procedure = "interview-notice"
    answers = copy.deepcopy(example(procedure))
    answers["applicant"]["date_of_birth"] = "1994"
    answers["interview"]["date"] = "2026-03-20"  # before "today": the problems screen
    session = offline.Session(address(procedure))
    session.set("asylum_today_override", TODAY[procedure])
    screen = answer_until(offline, session, answers, "fr", "fr problems", get(procedure).model)
    assert screen.id == "fr problems"
    assert session.eval("asylum_answers")["applicant"]["date_of_birth"] == "1994"
    assert session.eval("asylum_shown(asylum_answers, 'applicant.date_of_birth', procedure='interview-notice')") == "1994"
    offered = {name for item in session.status.question.fields for name in getattr(item, "data", [])}
    assert "applicant.asylum_date_of_birth_known" in offered
    assert "applicant.date_of_birth" not in offered


def review_entries_shown(session, procedure: str, lang: str) -> dict[str, list[str]]:
    """Field -> the buttons' texts the problems screen shows for it: each entry of the generated
    ``review`` whose ``show if`` holds in this session (docassemble's own condition)."""
    import yaml


    path = ROOT / "docassemble" / "asylum" / "data" / "questions" / f"{procedure}.yml"
    block = next(b for b in yaml.safe_load_all(path.read_text(encoding="utf-8")) if b and b.get("id") == f"{lang} problems")
    shown: dict[str, list[str]] = {}
    for entry in block["review"]:
        if session.eval(entry["show if"]):
            shown.setdefault(entry["field"], []).append(entry["button"].split("${", 1)[0])
    return shown


@pytest.mark.parametrize(
    ("answers", "label"),
    [(example("interview-notice"), "Place of the interview"), (as_representative_by_videoconference(), "Where does the applicant connect from?")],
    ids=["in-person", "by-videoconference"],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_problems_screen_lists_a_shared_field_once_under_the_question_asked(offline, answers, label, lang):
    """The interview's place is one field filled by two questions (in person, by videoconference):
    the problems screen lists it once, under the question that was asked, never also under the
    other (a real server showed "D'où la personne se connecte-t-elle ?" for an interview in person).
    French puts a no-break space before the colon, as the letters do."""
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.questions import gettext, loader


    procedure = "interview-notice"
    answers = copy.deepcopy(answers)
    answers["interview"]["date"] = "2026-03-20"  # valid alone; before "today", the case is not
    session = offline.Session(address(procedure))
    session.set("asylum_today_override", TODAY[procedure])
    screen = answer_until(offline, session, answers, lang, f"{lang} problems", get(procedure).model)
    assert screen.id == f"{lang} problems"

    interview = loader.load_path(ROOT / "interviews" / f"{procedure}.yml")
    assert label in {q.label for q in interview.questions() if q.field == "interview.place"}
    with language(lang):
        expected = f"**{gettext(label)}**" + ("\u00a0: " if lang == "fr" else ": ")
    shown = review_entries_shown(session, procedure, lang)
    assert shown["interview.place"] == [expected]
    assert all(len(buttons) == 1 for buttons in shown.values()), {f: b for f, b in shown.items() if len(b) > 1}
