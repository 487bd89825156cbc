"""Programs on real pseudo-terminals, as the tests drive asylumdocs the way a person at a terminal does.

One place for what the terminal tests each wrote alike: ``python -m docassemble_asylum``
with this interpreter under pexpect, the guided interview's environment (its trace on,
UTF-8, a dumb terminal, no passphrase from the environment unless a test gives one), the
terminal's size, and how long each ``expect()`` waits.

That wait is about the machine's load, not about the program: on CI's two shared cores a
child can take many seconds just to start (Python, pydantic, babel), and the old per-file
timeouts (20 to 60 seconds) failed tests whose program was right, leaving their children on
their pseudo-terminals. Each ``expect()`` waits 180 seconds, or the number of seconds in the
environment variable ``ASYLUMDOCS_TEST_EXPECT_TIMEOUT`` (raise it on a slower machine): a
program that really stalls still fails its test, only later.

Tests spawn through the ``terminal`` fixture (tests/conftest.py), a ``Terminals``: it closes
every child it spawned at the test's end, passed or failed (``close(force=True)``: the
child is hung up, then killed), so that none is left running.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXPECT_TIMEOUT_VARIABLE = "ASYLUMDOCS_TEST_EXPECT_TIMEOUT"
DEFAULT_EXPECT_TIMEOUT = 180.0
PROMPT = "\r\n> "  # the interview waits for an answer
INTERVIEW_ENV = {"ASYLUMDOCS_INTERVIEW_TRACE": "1", "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "dumb"}


def expect_timeout() -> float:
    """Seconds each ``expect()`` waits: ``ASYLUMDOCS_TEST_EXPECT_TIMEOUT`` or the default."""
    value = os.environ.get(EXPECT_TIMEOUT_VARIABLE, "")
    return float(value) if value.strip() else DEFAULT_EXPECT_TIMEOUT


def interview_env(passphrase: str | None = None) -> dict[str, str]:
    """This environment for the interview: its trace on, UTF-8, a dumb terminal; the
    passphrase given (an encrypted file otherwise asks for it at the terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "ASYLUMDOCS_PASSPHRASE"}
    env.update(INTERVIEW_ENV)
    if passphrase is not None:
        env["ASYLUMDOCS_PASSPHRASE"] = passphrase
    return env


class Terminals:
    """The pseudo-terminals of one test (the ``terminal`` fixture); ``close_all`` at its end."""

    def __init__(self) -> None:
        self.children: list = []

    def spawn(self, program: str, args: list[str], *, cwd: Path | None = None, env: dict | None = None,
              dimensions: tuple[int, int] = (40, 250)):
        """``program args`` on a new pseudo-terminal of ``dimensions`` (rows, columns);
        ``env`` defaults to ``interview_env()``."""
        import pexpect

        child = pexpect.spawn(program, args, cwd=None if cwd is None else str(cwd), env=interview_env() if env is None else env,
                              encoding="utf-8", timeout=expect_timeout(), dimensions=dimensions)
        self.children.append(child)
        # The programs read whole lines or turn echo off before their prompt: no need to wait before typing.
        child.delaybeforesend = None
        return child

    def asylumdocs(self, *args: str, **options):
        """``python -m docassemble_asylum args`` with this interpreter (options as ``spawn``)."""
        return self.spawn(sys.executable, ["-m", "docassemble_asylum", *args], **options)

    def interview(self, procedure: str, lang: str, today: str, *args: str, **options):
        """The guided interview: ``build procedure --lang lang --today today args`` without ``--answers``."""
        return self.asylumdocs("build", procedure, "--lang", lang, "--today", today, *args, **options)

    def close_all(self) -> None:
        """Close every child, killing any still running; the first failure to do so is raised."""
        failures = []
        for child in self.children:
            try:
                child.close(force=True)
            except Exception as exc:  # noqa: BLE001  (the others are closed all the same)
                failures.append(exc)
        if failures:
            raise failures[0]
