"""The guided interview's first question: start from the related procedure's answers file.

Issue 20: a visa-refusal appeal and a letter to the Bureau start from a reunification file,
a letter for an absence from an interview-notice file, an appeal to the CNDA from a
legal-aid request's file: clear or ``.age`` (the passphrase asked at the terminal). What is
taken is what ``build --from`` takes (``Procedure.answers_from``, one mapping), and none of
it is asked again. Driven through a real pseudo-terminal, in French and in English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli

pexpect = pytest.importorskip("pexpect")

from docassemble_asylum.procedures import get  # noqa: E402
from pinned_examples import EXAMPLE_DAY, pinned_example_text  # noqa: E402
from terminal_session import PROMPT  # noqa: E402

PASSPHRASE = "correct horse battery staple"
QUESTION = {
    "en": "This interview can start from the answers file of “{title}” (clear or encrypted .age): nothing already "
    "answered there is asked again.\r\nType the path of that file, or press Enter to start without it.\r\n"
    "  (the path of the file, from the current folder)",
    "fr": "Cet entretien peut partir du fichier de réponses de la démarche « {title} » (en clair ou chiffré .age) : rien "
    "de ce qui y est déjà répondu n’est redemandé.\r\nTapez le chemin de ce fichier, ou appuyez sur Entrée pour "
    "commencer sans lui.\r\n  (le chemin du fichier, à partir du dossier courant)",
}
TITLES = {
    ("en", "reunification"): "Family reunification",
    ("fr", "reunification"): "Réunification familiale",
    ("en", "interview-notice"): "Notice to Ofpra of a companion at the interview",
    ("fr", "interview-notice"): "Information à l'Ofpra de la présence d'un accompagnant à l'entretien",
    ("en", "cnda-legal-aid"): "Legal-aid request to the CNDA",
    ("fr", "cnda-legal-aid"): "Demande d'aide juridictionnelle à la CNDA",
}


def _spawn(terminal, procedure: str, lang: str, *args: str, cwd: Path):
    """The interview of ``procedure`` on the day of its example, no passphrase in the environment."""
    return terminal.interview(procedure, lang, EXAMPLE_DAY[procedure].isoformat(), *args, cwd=cwd)


def _source(tmp_path: Path, source: str) -> Path:
    path = tmp_path / f"{source}.yaml"
    path.write_text(pinned_example_text(source), encoding="utf-8")
    return path


def _first_question(child, lang: str, source: str) -> None:
    child.expect(rf"@from {source}\r\n")
    child.expect_exact(PROMPT)
    assert QUESTION[lang].format(title=TITLES[(lang, source)]) in child.before.replace("\u202f", " ").replace("\u00a0", " ")


def _leaves(data, prefix: str = "") -> set[str]:
    """The answers' paths as the trace writes them (``members[0].given_names``)."""
    if isinstance(data, dict):
        return set().union(*(_leaves(v, f"{prefix}.{k}" if prefix else k) for k, v in data.items())) if data else {prefix}
    if isinstance(data, list):
        return set().union(*(_leaves(v, f"{prefix}[{i}]") for i, v in enumerate(data))) if data else {prefix}
    return {prefix}


def _leaf_values(data, prefix: str = "") -> dict:
    if isinstance(data, dict) and data:
        return {k: v for key, value in data.items() for k, v in _leaf_values(value, f"{prefix}.{key}" if prefix else key).items()}
    if isinstance(data, list) and data:
        return {k: v for i, value in enumerate(data) for k, v in _leaf_values(value, f"{prefix}[{i}]").items()}
    return {prefix: data if not isinstance(data, (dict, list)) else None}


def _stop_at_first_ask(child) -> str:
    child.expect(r"@(?:ask|add) (\S+) ")  # a question, or whether the list goes on
    first = child.match.group(1)
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    return first


@pytest.mark.parametrize(
    ("procedure", "source", "lang"),
    [("visa-appeal", "reunification", "en"), ("bureau-letter", "reunification", "fr"), ("cnda-appeal", "cnda-legal-aid", "en")],
)
def test_the_first_question_starts_from_a_clear_related_file(procedure, source, lang, tmp_path, terminal):
    related = _source(tmp_path, source)
    save = tmp_path / "answers.yaml"
    child = _spawn(terminal, procedure, lang, "--out", str(tmp_path / "out"), "--save", str(save), cwd=tmp_path)
    _first_question(child, lang, source)
    child.sendline(related.name)  # from the current folder
    given = get(procedure).answers_from(yaml.safe_load(related.read_text(encoding="utf-8")), related)  # what build --from takes
    child.expect(r"(Starting from|Reprise des réponses de) (\S+) ?: (\d+) (answers already given|réponses déjà données)\.")
    assert child.match.group(2) == related.name
    first = _stop_at_first_ask(child)
    assert first not in _leaves(given), first  # nothing the file gave is asked again
    saved = yaml.safe_load(save.read_text(encoding="utf-8"))
    # Every answer kept is the file's (defaults of questions that do not apply are left out),
    # and every answer the file gave with a value is kept.
    kept = _leaf_values({key: saved[key] for key in given})
    offered = _leaf_values(given)
    assert kept.items() <= offered.items()
    assert {path for path, value in offered.items() if value not in (None, "")} - set(kept) <= {
        p for p in offered if p.endswith("whose_child")  # asked only for a child: kept out for a spouse
    }


def test_the_first_question_opens_an_encrypted_file_with_its_passphrase(tmp_path, terminal):
    related = _source(tmp_path, "interview-notice")
    encrypted = tmp_path / "notice.yaml.age"
    made = run_cli("case", "encrypt", str(related), "--out", str(encrypted), env={"ASYLUMDOCS_PASSPHRASE": PASSPHRASE}, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    related.unlink()
    save = tmp_path / "answers.yaml"
    child = _spawn(terminal, "interview-absence", "fr", "--out", str(tmp_path / "out"), "--save", str(save), cwd=tmp_path)
    _first_question(child, "fr", "interview-notice")
    child.sendline(str(encrypted))
    child.expect_exact(f"Phrase de passe pour {encrypted}: ")
    child.sendline("wrong one")
    child.expect_exact("Phrase de passe incorrecte, réessayez.")
    child.expect_exact(f"Phrase de passe pour {encrypted}: ")
    child.sendline(PASSPHRASE)
    child.expect_exact(f"Reprise des réponses de {encrypted}")
    assert PASSPHRASE not in child.before  # typed without echo
    first = _stop_at_first_ask(child)
    assert not first.startswith(("applicant.", "interview.")), first
    notice = yaml.safe_load(pinned_example_text("interview-notice"))
    saved = yaml.safe_load(save.read_text(encoding="utf-8"))
    assert saved["interview"]["convocation_email"] == notice["interview"]["convocation_email"]
    assert saved["applicant"]["family_name"] == notice["applicant"]["family_name"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_file_of_another_procedure_is_refused_and_asked_again(lang, tmp_path, terminal):
    wrong = _source(tmp_path, "visa-appeal")
    child = _spawn(terminal, "cnda-appeal", lang, "--out", str(tmp_path / "out"), cwd=tmp_path)
    _first_question(child, lang, "cnda-legal-aid")
    child.sendline(wrong.name)
    child.expect_exact(PROMPT)
    expected = {
        "en": [
            "  ✗ visa-appeal.yaml is not a complete answers file of “Legal-aid request to the CNDA” (asylumdocs check says what is missing).",
            "  Type the path of another file, or press Enter to start without it.",
        ],
        "fr": [
            "  ✗ visa-appeal.yaml n’est pas un fichier de réponses complet de la démarche « Demande d'aide juridictionnelle à la CNDA » "
            "(asylumdocs check indique ce qui manque).",
            "  Tapez le chemin d’un autre fichier, ou appuyez sur Entrée pour commencer sans fichier.",
        ],
    }[lang]
    shown = [line.replace("\u202f", " ").replace("\u00a0", " ") for line in child.before.splitlines()]
    assert shown[-2:] == expected
    child.sendline("missing.yaml")
    child.expect_exact(PROMPT)
    assert "✗" in child.before and "missing.yaml" in child.before
    child.sendline("")  # start without a file: the first question of the set
    assert _stop_at_first_ask(child) == "applicant.family_name"
    assert not (tmp_path / "out").exists()


def test_a_procedure_with_no_related_file_asks_nothing_first(tmp_path, terminal):
    child = _spawn(terminal, "reunification", "en", "--out", str(tmp_path / "out"), cwd=tmp_path)
    index = child.expect([r"@from ", r"@ask (\S+) "])
    assert index == 1
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
