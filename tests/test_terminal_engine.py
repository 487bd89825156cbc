"""The guided interview's conveniences, each driven through a real pseudo-terminal.

``?`` shows a question's help and is never an answer; ``<`` goes back one question with
the answer kept; a choice is taken by its French words with or without accents; a yes/no
question refuses "1"; a date typed in no offered form is refused with the forms the prompt
offered, and a date of birth takes the year alone; the review screen pages to the terminal's height and a list item is removed only
after a confirmation; the resume command printed at Ctrl-C runs as printed from another
folder. ``ASYLUMDOCS_INTERVIEW_TRACE=1`` tells the test which question is on screen.
"""

from __future__ import annotations

import re
import sys

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

from pinned_examples import EXAMPLE_DAY, pinned_example_text  # noqa: E402
from terminal_session import PROMPT  # noqa: E402


def _at(child, path: str) -> str:
    """Wait for the question at ``path`` and its prompt; the text shown for it."""
    child.expect(r"@ask (\S+) \S+ \S+\r\n")
    assert child.match.group(1) == path, (path, child.match.group(1))
    child.expect_exact(PROMPT)
    return child.before


def _defaults_until(child, step: str) -> None:
    """Enter at each question and "non" at each "add another?" (what the example leaves to the
    model's defaults), until the trace line ``step`` (a pattern); it is matched first."""
    while child.expect([step, r"@ask \S+ \S+ \S+\r\n", r"@add \S+ \d+\r\n"]) != 0:
        add = "@add" in child.after
        child.expect_exact(PROMPT)
        child.sendline("non" if add else "")


def test_help_back_french_choices_and_dates(tmp_path, terminal):
    save = tmp_path / "answers.yaml"
    child = terminal.interview("reunification", "fr", "2026-11-23", "--out", str(tmp_path / "out"), "--save", str(save), cwd=tmp_path, dimensions=(40, 250))
    child.expect_exact("Tapez ? puis Entrée à toute question pour son aide, ou < puis Entrée pour revenir à la question précédente")
    shown = _at(child, "protected_person.family_name")
    assert re.search(r"\[Question 1 sur environ \d+ · Personne protégée 1/\d+\] Nom de famille", shown)
    child.sendline("Haddad")
    _at(child, "protected_person.given_names")
    # ? shows the help and asks the same question again: it is not an answer.
    child.sendline("?")
    child.expect_exact("Tous les prénoms, dans l'ordre des documents officiels.")
    child.expect_exact("tapez < pour revenir à la question précédente.")
    child.expect_exact(PROMPT)
    assert "@ask" not in child.before
    # < goes back to the family name, with the answer typed kept (Enter keeps it).
    child.sendline("<")
    shown = _at(child, "protected_person.family_name")
    assert "Réponse actuelle : Haddad (Entrée pour la garder)." in shown
    child.sendline("")
    shown = _at(child, "protected_person.given_names")
    assert "Question 2 sur environ" in shown
    child.sendline("Amina")
    child.expect(r"@add protected_person.other_names 0\r\n")
    child.expect_exact(PROMPT)
    child.sendline("1")  # next to numbered choices, "1" is not a yes
    child.expect_exact("✗ répondez oui ou non.")
    child.expect_exact(PROMPT)
    child.sendline("Non")
    shown = _at(child, "protected_person.sex")
    assert "1. Féminin" in shown
    child.sendline("Feminin")  # the French label, without its accent, capitalised
    shown = _at(child, "protected_person.date_of_birth")
    assert "(date : JJ/MM/AAAA ou AAAA-MM-JJ, ou l'année seule si seule l'année est connue)" in shown
    child.sendline("12.03.1990")
    child.expect_exact(
        "✗ date invalide : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 02/03/1990, ou l'année seule (1990) si seule l'année est connue."
    )
    child.expect_exact(PROMPT)
    child.sendline("2027")  # a year after today's (2026-11-23): nobody is born in the future
    child.expect_exact("✗ cette date est dans le futur.")
    child.expect_exact(PROMPT)
    child.sendline("1990")  # only the year is known
    _at(child, "protected_person.place_of_birth")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = yaml.safe_load(save.read_text(encoding="utf-8"))
    assert saved["protected_person"]["family_name"] == "Haddad"
    assert saved["protected_person"]["given_names"] == "Amina"
    assert saved["protected_person"]["sex"] == "female"
    assert saved["protected_person"]["date_of_birth"] == "1990"
    assert saved["protected_person"]["other_names"] == []


def test_resume_command_runs_as_printed_from_elsewhere(tmp_path, terminal):
    work = tmp_path / "work"
    elsewhere = tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    child = terminal.interview("reunification", "en", "2026-11-23", "--out", "out", "--save", "answers.yaml", cwd=work, dimensions=(40, 60))
    child.expect_exact("Your answers are saved in")
    intro = child.before
    _at(child, "protected_person.family_name")
    child.sendline("Haddad")
    _at(child, "protected_person.given_names")
    child.sendintr()
    child.expect_exact("To continue where you stopped, run:\r\n  ")
    before = intro + child.before
    child.expect(r"([^\r\n]+)\r\n")
    command = child.match.group(1)
    child.expect(pexpect.EOF)
    # Text is wrapped at word boundaries to the terminal's 60 columns; the command stays whole.
    lines = [line for line in before.split("\r\n") if line and not line.startswith("@") and not line.startswith("> ")]
    assert max(len(line) for line in lines) <= 59, max(lines, key=len)
    assert "Type each answer and press Enter. Press Enter alone to keep" in lines, lines[:8]
    assert len(command) > 60
    # Absolute paths, the program as started (python -m here, as `asylumdocs` may not be on PATH).
    assert str(work / "answers.yaml") in command and str(work / "out") in command
    assert command.startswith(f"{sys.executable} -m docassemble_asylum build reunification")
    again = terminal.spawn("/bin/sh", ["-c", "exec " + command], cwd=elsewhere, dimensions=(40, 120))
    again.expect_exact(f"Resuming from {work / 'answers.yaml'}: 1 answer already given.")
    _at(again, "protected_person.given_names")
    again.sendintr()
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 130
    assert not (elsewhere / "answers.yaml").exists()


# Starts the rest of its command line with SIGINT ignored, as a wrapper script's `trap '' INT`
# or a non-interactive shell's `command &` do: the program inherits it ignored.
CTRL_C_IGNORED = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"


def test_ctrl_c_stops_an_interview_started_with_ctrl_c_ignored(tmp_path, terminal):
    save = tmp_path / "answers.yaml"
    command = [sys.executable, "-m", "docassemble_asylum", "build", "reunification", "--lang", "en", "--today", "2026-11-23",
               "--out", str(tmp_path / "out"), "--save", str(save)]
    child = terminal.spawn(sys.executable, ["-c", CTRL_C_IGNORED, *command], cwd=tmp_path)
    _at(child, "protected_person.family_name")
    child.sendline("Haddad")
    _at(child, "protected_person.given_names")
    child.sendintr()
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        pytest.fail("Ctrl-C did not stop the interview; it shows:\n" + child.before[-2000:])
    child.close()
    assert child.exitstatus == 130, child.before
    stopped = child.before.split("\r\n")
    assert stopped[-4:-1] == [
        f"Interview stopped. Your answers are saved in {save}.",
        "To continue where you stopped, run:",
        f"  {sys.executable} -m docassemble_asylum build reunification --out {tmp_path / 'out'} --resume {save} --lang en --today 2026-11-23",
    ], stopped
    assert yaml.safe_load(save.read_text(encoding="utf-8"))["protected_person"]["family_name"] == "Haddad"


def test_review_pages_and_removal_is_confirmed(tmp_path, terminal):
    answers = tmp_path / "answers.yaml"
    answers.write_text(pinned_example_text("reunification"), encoding="utf-8")
    answers.chmod(0o600)
    members = len(yaml.safe_load(answers.read_text(encoding="utf-8"))["members"])
    today = EXAMPLE_DAY["reunification"].isoformat()
    child = terminal.interview("reunification", "fr", today, "--out", str(tmp_path / "out"), "--resume", str(answers), cwd=tmp_path, dimensions=(24, 120))
    _defaults_until(child, r"@review\r\n")
    listing = ""
    pages = 0
    while True:
        child.expect_exact(PROMPT)
        listing += child.before
        if "@more" not in child.before:
            break
        assert "(suite : Entrée pour voir les réponses suivantes" in child.before
        shown = [line for line in child.before.split("\r\n") if line and not line.startswith("@")]
        assert len(shown) <= 24, len(shown)  # one screen at a time
        pages += 1
        child.sendline("")
    assert pages >= 2
    assert "-- Famille --" in listing and "-- Personne protégée --" in listing
    number = re.search(r"@line (\d+) members\r\n", listing).group(1)
    child.sendline(number)
    child.expect_exact(PROMPT)
    child.sendline("1")
    child.expect(r"Supprimer Membre de la famille 1 \([^)]+\) et toutes ses réponses \? \(oui ou non\)")
    child.expect_exact(PROMPT)
    child.sendline("non")
    child.expect_exact("Rien n’a été supprimé.")
    child.expect(r"@review\r\n")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert len(saved["members"]) == members


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2", "male"), ("male", "male"), ("féminin", "female"), ("Feminin", "female"), (" FÉMININ ", "female"), ("Autre", "other")],
)
def test_a_choice_is_taken_by_number_french_words_or_keyword(typed, value):
    from docassemble_asylum.i18n import language
    from docassemble_asylum.questions import loader
    from docassemble_asylum.questions.typed import choice

    sex = next(q for q in loader.load("reunification").questions() if q.field == "protected_person.sex")
    with language("fr"):
        assert choice(sex.choices, typed) == value


@pytest.mark.parametrize(("typed", "value"), [("oui", True), ("O", True), ("y", True), ("Yes", True), ("non", False), ("N", False), ("no", False), ("1", None), ("0", None), ("true", None)])
def test_yes_no_words(typed, value):
    from docassemble_asylum.questions.typed import yes_no

    assert yes_no(typed) is value


def test_an_unknown_choice_says_what_to_type():
    from docassemble_asylum.i18n import language
    from docassemble_asylum.questions import loader
    from docassemble_asylum.questions.typed import choice

    sex = next(q for q in loader.load("reunification").questions() if q.field == "protected_person.sex")
    with language("fr"), pytest.raises(ValueError) as refused:
        choice(sex.choices, "4")
    assert str(refused.value) == "tapez le numéro de votre choix (de 1 à 3) ou ses mots tels qu’affichés."


def test_no_choice_label_writes_agreement_with_parentheses():
    """"Marié(e)": agreement is never written "(e)" (STYLE.md); a label is worded neutrally."""
    from docassemble_asylum.i18n import language
    from docassemble_asylum.questions import gettext, loader

    found = []
    with language("fr"):
        for procedure in loader.question_set_paths():
            for question in loader.load(procedure).questions():
                for text in [question.label, *(c.label for c in question.choices)]:
                    if re.search(r"\((e|s|es|ne)\)", gettext(text)):
                        found.append((procedure, gettext(text)))
    assert found == []


def test_the_next_family_member_is_offered_the_previous_members_household_facts(tmp_path, terminal):
    data = yaml.safe_load(pinned_example_text("reunification"))
    first = data["members"][0]
    partial = {"protected_person": data["protected_person"], "members": [first]}
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(partial, allow_unicode=True), encoding="utf-8")
    answers.chmod(0o600)
    today = EXAMPLE_DAY["reunification"].isoformat()
    child = terminal.interview("reunification", "fr", today, "--out", str(tmp_path / "out"), "--resume", str(answers), cwd=tmp_path, dimensions=(40, 120))
    _defaults_until(child, r"@add members 1\r\n")
    child.expect_exact(PROMPT)
    child.sendline("oui")
    shown = _at(child, "members[1].family_name")
    assert f"Réponse proposée : {first['family_name']} (Entrée pour l'accepter)." in shown
    child.sendline("")  # accepted as is
    offered = {}
    for _step in range(60):
        index = child.expect([r"@ask (\S+) \S+ \S+\r\n", r"@add \S+ \d+\r\n"])
        path = child.match.group(1) if index == 0 else ""
        child.expect_exact(PROMPT)
        # an optional answer's suggestion also says how to leave it empty
        found = re.search(r"Réponse proposée : ([^\r\n]*?) \(Entrée pour l'accepter(?:, ou tapez - pour la laisser vide)?\)\.", child.before)
        if path.startswith("members[1]."):
            offered[path.split(".", 1)[1]] = found.group(1) if found else None
        if path == "members[1].consulate":
            break
        name = path.split(".", 1)[1] if path.startswith("members[1].") else ""
        value = data["members"][1].get(name)  # the example's second member answers the rest
        if index == 1:
            child.sendline("non")
        elif found or value in (None, ""):
            child.sendline("")
        elif isinstance(value, bool):
            child.sendline("oui" if value else "non")
        else:
            child.sendline(str(value))
    for name in ("nationality", "country_of_residence", "address_of_residence", "consulate"):
        assert offered[name] == first[name], (name, offered)
    assert offered["given_names"] is None  # not a shared fact
    child.sendintr()
    child.expect(pexpect.EOF)
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["members"][1]["family_name"] == first["family_name"]


def test_free_text_that_lands_in_french_documents_says_so_with_an_example():
    from docassemble_asylum.i18n import language
    from docassemble_asylum.questions import gettext, loader

    checked = []
    for procedure in loader.question_set_paths():
        for question in loader.load(procedure).questions():
            if question.type == "text" and question.field.rsplit(".", 1)[-1] in ("nationality", "country", "country_of_residence"):
                checked.append(question.field)
                assert "French" in question.help and "for example" in question.help, (procedure, question.id)
                with language("fr"):
                    assert "par exemple" in gettext(question.help), (procedure, question.id)
    assert "members[i].country_of_residence" in checked and "applicant.nationality" in checked
