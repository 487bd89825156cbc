"""``--lang`` works wherever a user types it (README: "Every command takes --lang fr|en").

Before the root group and the sub-groups took the option, ``asylumdocs --lang en deadline …``
and ``asylumdocs deadline --lang en reexamination …`` were refused by click ("No such
option"). The environment says French here, so an English message proves the option was
read, wherever it stands on the line.
"""

from __future__ import annotations

import click
import pytest

from docassemble_asylum.i18n import language
from fuzz_support import run_in_process

BAD_DAY_EN = "Error: --registered: not a valid date: this day does not exist in the calendar (check the day and the month).\n"
BAD_DAY_FR = "Erreur : --registered : date invalide : ce jour n'existe pas dans le calendrier (vérifiez le jour et le mois).\n"
NO_ANSWERS_EN = "Error: The answers file missing.yaml does not exist.\n"
NO_PREFECTURE_EN = "Error: No department found: give a department number (14, 2A, 971), its name in French or a postal code.\n"
NO_CASE_FILE_EN = "Error: The file missing.age does not exist.\n"
NO_SHRED_TARGET_EN = "Error: missing does not exist.\n"


@pytest.fixture(autouse=True)
def french_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASYLUMDOCS_LANG", "fr")
    monkeypatch.chdir(tmp_path)
    with language("fr"):  # whatever the commands set is undone after each test
        yield


def invoke(*argv: str) -> tuple[int, str, str]:
    result = run_in_process(list(argv))
    return result.code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "en", "deadline", "reexamination", "--registered", "2026-13-01"],
        ["deadline", "--lang", "en", "reexamination", "--registered", "2026-13-01"],
        ["deadline", "reexamination", "--lang", "en", "--registered", "2026-13-01"],
        ["deadline", "reexamination", "--registered", "2026-13-01", "--lang", "en"],
    ],
    ids=["before-deadline", "before-reexamination", "after-reexamination", "at-the-end"],
)
def test_deadline_takes_lang_at_every_position(argv):
    assert invoke(*argv) == (1, "", BAD_DAY_EN)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--lang", "en", "check", "cnda-appeal", "--answers", "missing.yaml"], NO_ANSWERS_EN),
        (["check", "--lang", "en", "cnda-appeal", "--answers", "missing.yaml"], NO_ANSWERS_EN),
        (["check", "cnda-appeal", "--answers", "missing.yaml", "--lang", "en"], NO_ANSWERS_EN),
        (["--lang", "en", "build", "cnda-appeal", "--answers", "missing.yaml", "--out", "out"], NO_ANSWERS_EN),
        (["build", "--lang", "en", "cnda-appeal", "--answers", "missing.yaml", "--out", "out"], NO_ANSWERS_EN),
        (["--lang", "en", "prefecture", "zzzz"], NO_PREFECTURE_EN),
        (["prefecture", "zzzz", "--lang", "en"], NO_PREFECTURE_EN),
        (["--lang", "en", "case", "decrypt", "missing.age", "--out", "clear.yaml"], NO_CASE_FILE_EN),
        (["case", "--lang", "en", "decrypt", "missing.age", "--out", "clear.yaml"], NO_CASE_FILE_EN),
        (["case", "decrypt", "--lang", "en", "missing.age", "--out", "clear.yaml"], NO_CASE_FILE_EN),
        (["case", "--lang", "en", "shred", "missing", "--yes"], NO_SHRED_TARGET_EN),
    ],
)
def test_other_commands_take_lang_before_and_after_their_name(argv, message):
    assert invoke(*argv) == (1, "", message)


def test_the_last_lang_on_the_line_wins():
    assert invoke("--lang", "en", "deadline", "--lang", "fr", "reexamination", "--registered", "2026-13-01") == (1, "", BAD_DAY_FR)
    assert invoke("--lang", "fr", "deadline", "reexamination", "--registered", "2026-13-01", "--lang", "en") == (1, "", BAD_DAY_EN)


def test_without_lang_the_environment_decides():
    assert invoke("deadline", "reexamination", "--registered", "2026-13-01") == (1, "", BAD_DAY_FR)


def _every_command(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    yield path, group
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _every_command(command, ctx, (*path, name))
        else:
            yield (*path, name), command


def test_every_group_and_command_declares_lang():
    from docassemble_asylum.cli import cli

    ctx = click.Context(cli)
    found = {path: command for path, command in _every_command(cli, ctx)}
    # the walk reaches the sub-groups' commands (not only the top level)
    assert {("deadline", "reexamination"), ("case", "shred"), ("form", "fill"), ("example",)} <= set(found)
    missing = [" ".join(path) or "asylumdocs" for path, command in found.items() if "--lang" not in {o for p in command.params for o in p.opts}]
    assert missing == []
