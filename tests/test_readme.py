"""What README.md promises a new user: its first command, its commands table, its paths.

The first command used to pin ``--today 2026-04-28`` (the example's dates were fixed),
failed when run a second time (``out/cnda`` existed) and left ``case.yaml`` untracked
in the repository; the commands table was split in two by a blank line and did not list
``case``; the README named files the repository does not have.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PASSED = re.compile(r"has passed|est dépassé|est passé")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def first_command() -> str:
    """The command under ``# 1.`` in the README's first shell block."""
    block = re.search(r"```sh\n(.*?)```", README, re.S)[1]
    lines = block.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("# 1."))
    return lines[index + 1]


def installed_asylumdocs() -> str:
    """The asylumdocs of the environment running the tests (the README's .venv in CI)."""
    candidate = Path(sys.executable).parent / "asylumdocs"
    found = str(candidate) if candidate.exists() else shutil.which("asylumdocs")
    if found is None:
        pytest.fail("asylumdocs is not installed in the environment running the tests (pip install -e '.[test]')")
    return found


# --- the first command ------------------------------------------------------------------------


def test_the_first_command_needs_no_today_and_installs_then_runs_the_example():
    command = first_command()
    assert "--today" not in command
    steps = command.split(" && ")
    assert steps[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -q ."]
    assert any(step.startswith(".venv/bin/asylumdocs example cnda-appeal") for step in steps)
    assert any(step.startswith(".venv/bin/asylumdocs build cnda-appeal") for step in steps)


def test_the_first_command_runs_twice_and_leaves_the_repository_clean(tmp_path):
    """In a fresh clone, with the installed asylumdocs in place of the install steps: two
    runs in a row succeed, the deadline is ahead, and ``git status`` shows nothing new."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=300)
    steps = [step for step in first_command().split(" && ") if not step.startswith(("python3 -m venv", ".venv/bin/pip "))]
    script = " && ".join(steps).replace(".venv/bin/asylumdocs", installed_asylumdocs())
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "ASYLUMDOCS_LANG": "en"}
    env.pop("PYTHONPATH", None)
    written = []
    for _ in range(2):
        run = subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert not PASSED.search(run.stdout + run.stderr), run.stdout
        folder = Path(re.search(r"^Documents written to (.+):$", run.stdout, re.M)[1])
        assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "recours-cnda.docx", "summary.docx"]
        written.append(folder)
    assert written[0] != written[1]
    assert all(scratch in folder.parents for folder in written)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored"], cwd=clone, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_the_second_command_runs_the_tests():
    block = re.search(r"```sh\n(.*?)```", README, re.S)[1]
    lines = block.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("# 2."))
    assert lines[index + 1] == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"


# --- the commands table -----------------------------------------------------------------------


def test_the_commands_table_is_one_table_listing_every_command():
    from docassemble_asylum.cli import COMMANDS

    section = _section("Commands")
    lines = section.splitlines()
    rows = [i for i, line in enumerate(lines) if line.startswith("|")]
    assert rows == list(range(rows[0], rows[-1] + 1)), "a blank or other line splits the commands table"
    commands = [re.match(r"\| `asylumdocs ([a-z-]+(?: [a-z]+)?)", lines[i]) for i in rows[2:]]
    assert all(commands), [lines[i] for i, match in zip(rows[2:], commands) if not match]
    listed = {match[1].split()[0] for match in commands}
    assert listed == set(COMMANDS)
    assert {"case encrypt", "case decrypt", "case shred", "form fields", "form fill"} <= {match[1] for match in commands}


def test_the_commands_section_names_every_procedure_and_every_deadline():
    """The "Procedures:" line listed five of the nine procedures a new user can build."""
    from docassemble_asylum.commands.deadline import deadline
    from docassemble_asylum.procedures import MODULES

    section = _section("Commands")
    line = " ".join(section[section.index("\nProcedures: ") :].split("\n\n")[0].split("Every command")[0].split())
    assert re.findall(r"`([a-z-]+)`", line) == list(MODULES)
    row = next(text for text in section.splitlines() if text.startswith("| `asylumdocs deadline "))
    assert set(re.match(r"\| `asylumdocs deadline ([^ `]+)", row)[1].split("\\|")) == set(deadline.commands)


def test_the_readme_gives_the_distribution_name():
    name = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    assert f"The distribution is `{name}`" in " ".join(README.split())


# --- paths ------------------------------------------------------------------------------------


def repository_paths(text: str) -> list[str]:
    """The repository paths the README names, in backticks (each word of a command too) or as
    link targets: a word with a slash whose first part is a top-level entry of the
    repository or a folder of the package (written from the root, or flagged), or a
    top-level file. Outputs (``out/cnda/…``), options and URLs are not repository paths."""
    top = {p.name for p in ROOT.iterdir() if p.name not in {".git", ".venv"} and not p.name.endswith(".egg-info")}
    package = {p.name for p in (ROOT / "docassemble_asylum").iterdir() if p.is_dir() and p.name != "__pycache__"}
    files = {name for name in top if (ROOT / name).is_file()}
    found = []
    for match in re.finditer(r"`([^`\n]+)`|\]\(([^)\s]+)\)", text):
        for word in (match[1] or match[2]).split():
            word = word.strip("\"'(),;")
            if "://" in word or word.startswith(("-", "/", "$", "~")):
                continue
            if ("/" in word and word.split("/")[0] in top | package) or word in files:
                found.append(word)
    return found


def _exists(path: str) -> bool:
    pattern = re.sub(r"<[^>]+>", "*", path.rstrip("/"))
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    return (ROOT / pattern).exists()


def test_every_repository_path_the_readme_names_exists():
    paths = repository_paths(README)
    # the detector sees the README's paths (and not its outputs or options)
    assert {"tools/make_docassemble.py", "templates/forms/family_situation.mapping.yaml", ".ci/run", "pyproject.toml"} <= set(paths)
    assert not any(path.startswith(("out/", "--")) for path in paths)
    assert [path for path in paths if not _exists(path)] == []


def test_the_path_detector_flags_what_does_not_exist():
    text = "Run `python tools/nope.py`, see [this](docs/missing.md), `render/docx.py`, `out/cnda/summary.docx`, `--out DIR`."
    paths = repository_paths(text)
    assert paths == ["tools/nope.py", "docs/missing.md", "render/docx.py"]
    assert [path for path in paths if not _exists(path)] == paths
