"""Fixtures of the real-server tests: a docassemble server driven by headless Chromium.

Not a conftest.py, as in tests/docassemble/: the other test modules import the top-level
``tests/conftest.py`` as ``conftest``. Test modules import these fixtures and set
``pytestmark = requires_server``.

The tests here need a running docassemble web application with this package installed:
``ASYLUMDOCS_DA_URL`` (e.g. ``http://127.0.0.1:8085``) says where. Without it they are
skipped, with that reason. Screenshots and downloaded documents go under
``ASYLUMDOCS_DA_ARTIFACTS`` (default: a folder in the system's temporary directory),
never into the checkout.

``ASYLUMDOCS_DA_WALKS`` chooses the walks: ``all`` (every interview in French and in
English, the default) or ``budget`` (every interview in French, one in English, chosen by
the day of the year so that every interview is walked in English over a few runs).

``ASYLUMDOCS_DA_DEADLINE`` (a Unix time; CI sets it) bounds the run: a test that would end
after it, by what that test took beside pytest in CI, is skipped with that reason instead of
started, so that the whole CI run keeps within its time however busy the machine is. The
walks start at a different interview each day, so that a walk skipped for time one day is
walked on the next.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

URL = os.environ.get("ASYLUMDOCS_DA_URL", "").rstrip("/")
CHROMIUM = os.environ.get("ASYLUMDOCS_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ASYLUMDOCS_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1200,1400",
)


requires_server = pytest.mark.skipif(
    not URL, reason="no docassemble server: set ASYLUMDOCS_DA_URL (.ci/docassemble-server starts one and sets it)"
)


def registered() -> tuple[str, ...]:
    """Every procedure the package registers: a new procedure is walked without a change here."""
    from docassemble_asylum.procedures import MODULES

    return tuple(MODULES)


PROCEDURES = registered()


def paris_today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def walks_wanted(day: dt.date | None = None) -> list[tuple[str, str]]:
    """(procedure, language) pairs of this run (ASYLUMDOCS_DA_WALKS: all, or budget), from a
    different procedure each day: under a deadline (live_fixtures.within_deadline) the walks a
    busy day leaves out are not always the same ones."""
    first = (day or dt.date.today()).timetuple().tm_yday % len(PROCEDURES)
    today_first = PROCEDURES[first:] + PROCEDURES[:first]
    if os.environ.get("ASYLUMDOCS_DA_WALKS", "all") == "budget":
        return [(today_first[0], "en")] + [(p, "fr") for p in today_first]  # the one English walk first
    return [(p, lang) for p in today_first for lang in ("fr", "en")]


# Seconds each real-server test took in a from-scratch CI run, beside pytest on 2 cores
# (5 December 2026), rounded up: what the deadline reserves before starting it. A new
# procedure's walk reserves the longest.
SECONDS_BESIDE_PYTEST = {
    "reunification": 260, "visa-tribunal": 160, "visa-appeal": 160, "cnda-appeal": 150,
    "reexamination": 135, "bureau-letter": 100, "cnda-legal-aid": 70, "interview-notice": 60,
    "interview-absence": 55, "change-keeps-french": 60, "start-from": 260,
}


def within_deadline(test: str) -> None:
    """Skip ``test`` if, started now, it would end after ``ASYLUMDOCS_DA_DEADLINE``."""
    deadline = os.environ.get("ASYLUMDOCS_DA_DEADLINE")
    if not deadline:
        return
    seconds = SECONDS_BESIDE_PYTEST.get(test, max(SECONDS_BESIDE_PYTEST.values()))
    left = float(deadline) - time.time()
    if seconds > left:
        pytest.skip(f"CI time budget: {test} takes about {seconds} s and {max(left, 0):.0f} s are left before the run's deadline")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("ASYLUMDOCS_DA_ARTIFACTS") or Path(tempfile.gettempdir()) / "asylumdocs-docassemble-live")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system's packages, with a new empty profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="asylumdocs-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
