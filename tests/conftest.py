"""Shared test helpers.

System tools (pdftotext, soffice…) are optional on a developer's machine with only
Python: tests that need one skip with the reason. Under CI (CI=true) they are installed
by .ci/run, and a missing tool FAILS instead of skipping, so CI can never pass by
skipping the checks of what a person sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pinned_examples import pinned_example_text

ROOT = Path(__file__).resolve().parent.parent


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install poppler-utils / libreoffice-writer-nogui)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {name}: {message}")
        pytest.skip(message)
    return path


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m docassemble_asylum`` as a user would, with this interpreter."""
    full_env = {**os.environ, "ASYLUMDOCS_LANG": "en", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def example_answers(tmp_path):
    """Write a procedure's bundled example to a file and return its path."""

    def write(procedure: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"{procedure}.yaml")
        path.write_text(pinned_example_text(procedure), encoding="utf-8")
        return path

    return write


@pytest.fixture
def terminal():
    """Spawns programs on pseudo-terminals (tests/terminal_session.py); each child is
    closed with force at the test's end, passed or failed, so none is left hanging."""
    pytest.importorskip("pexpect")
    from terminal_session import Terminals

    terminals = Terminals()
    yield terminals
    terminals.close_all()


def process_running(pid: int) -> bool:
    """The tests' own reading of /proc (not the product's): the process exists and is no zombie."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


KILLED_IN_A_CONVERSION = r"""
import os, signal, sys, tempfile
from pathlib import Path
from docassemble_asylum.render import pdf_convert

tempfile.tempdir = sys.argv[1]
parent = Path(sys.argv[2]) if len(sys.argv) > 2 else None
with pdf_convert.private_scratch(parent) as scratch:
    (scratch / "docx").mkdir()
    (scratch / "docx" / "recours-cnda.docx").write_bytes(b"clear text of a case")
    os.kill(os.getpid(), signal.SIGKILL)  # killed during the conversion: nothing can clean up
"""


def killed_conversion(temporary: Path, parent: Path | None = None) -> list[str]:
    """Run a conversion's scratch folder in a process killed with SIGKILL; the names it left."""
    before = set(os.listdir(parent or temporary))
    args = [sys.executable, "-c", KILLED_IN_A_CONVERSION, str(temporary)] + ([str(parent)] if parent else [])
    result = subprocess.run(args, capture_output=True, timeout=60)
    assert result.returncode == -9, result.stderr
    return sorted(set(os.listdir(parent or temporary)) - before)
