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
"""

from __future__ import annotations

import os
import shutil
import tempfile
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
