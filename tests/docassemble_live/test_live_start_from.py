"""On a real docassemble server: a visa appeal started from the user's reunification session.

Issue 20: on docassemble, an interview that can start from another's answers
(``Procedure.reuses``) offers, on its first screen, the logged-in user's finished sessions of
the related interview; the chosen one's answers go through ``Procedure.answers_from`` (the
mapping of ``build --from``) and are not asked again. Here a user registers (docassemble lists
the sessions of a logged-in user only), walks the reunification to its documents (French),
starts a visa appeal, picks that session, sees the answers it gave, answers the rest, and gets
the documents of ``asylumdocs build visa-appeal --from reunification.yaml --answers rest.yaml``
on the same day. The same two screens are then shown in English (screenshots of both
languages under ``ASYLUMDOCS_DA_ARTIFACTS``: ``start-from-*.png``).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from live_fixtures import URL, artifacts, browser, requires_server, within_deadline  # noqa: F401 (fixtures)

import visa_appeal_cases

# selenium is in the server's environment only (.ci/docassemble-server); elsewhere the module is skipped, as
# the other real-server tests are (requires_server).
By = pytest.importorskip("selenium.webdriver.common.by", reason="selenium: the real-server tests run in .ci/docassemble-server").By


pytestmark = requires_server

TITLE = {"fr": "« Réunification familiale »", "en": "“Family reunification”"}
GIVEN = {"fr": "réponses viennent de votre session « Réunification familiale » : elles ne sont pas redemandées.",
         "en": "answers come from your session of “Family reunification”: they are not asked again."}
AFRESH = {"fr": "Commencer sans les réponses d'une session précédente", "en": "Start afresh, without the answers of an earlier session"}


def curly(text: str) -> str:
    """docassemble's Markdown writes typographic apostrophes (d'une -> d’une); selenium gives a
    no-break space as a space."""
    return text.replace("'", "’").replace("\u00a0", " ")


def paris_today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def reunification_with_refusals(today: dt.date) -> dict:
    """The bundled reunification as of today, two members' visas refused three days ago."""
    from docassemble_asylum.procedures import get

    return visa_appeal_cases.reunification_with_refusals(get("reunification").example_text(today), today)


rest_of_the_appeal = visa_appeal_cases.rest_of_the_appeal


def register(driver, url: str) -> None:
    """A new account on the server (registration is open by default), logged in at once."""
    password = "Aa1!" + secrets.token_hex(12)
    driver.delete_all_cookies()
    driver.get(f"{url}/user/register")
    driver.find_element(By.ID, "email").send_keys(f"asylumdocs-{secrets.token_hex(6)}@example.com")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "retype_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[name=submit]").click()
    driver.get(f"{url}/user/profile")
    assert "sign-in" not in driver.current_url and "login" not in driver.current_url, driver.current_url


def radios(walker, variable: str) -> list[tuple[str, object]]:
    """(label, element) of each radio button of ``variable`` on the screen."""
    found = []
    name = walker.inputs.get(variable)
    for radio in walker.driver.find_elements(By.CSS_SELECTOR, f"#daform input[type=radio][name='{name}']"):
        label = walker.driver.find_elements(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']")
        found.append(((label[0].text if label else "").strip(), label[0] if label else radio))
    return found


def cli_build_from(lang: str, source: dict, rest: dict, today: dt.date, folder: Path) -> dict[str, bytes]:
    from docassemble_asylum import yamlio

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "reunification.yaml").write_text(yamlio.dumps(source), encoding="utf-8")
    (folder / "rest.yaml").write_text(yamlio.dumps(rest), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "build", "visa-appeal", "--from", "reunification.yaml", "--answers",
         "rest.yaml", "--out", "out", "--today", today.isoformat(), "--lang", lang],
        cwd=folder, capture_output=True, text=True, timeout=600, env={**os.environ, "ASYLUMDOCS_LANG": lang},
    )
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_bytes() for path in (folder / "out").iterdir()}


@pytest.fixture(scope="module")
def walker(browser, artifacts):
    from live_walk import Walker

    return Walker(browser, URL, artifacts)


class StartFrom:
    """Answers the two new screens: picks the reunification session (or stops after them)."""

    def __init__(self, lang: str, person: str):
        self.lang = lang
        self.person = person
        self.offered: list[str] = []
        self.given_text = ""
        self.after: list[str] | None = None  # the variables of the first screen after them

    def __call__(self, walker, walk, variables) -> bool:
        if "asylum_start_choice" in variables:
            walker.screenshot(f"start-from-{self.lang}-offer")
            choices = radios(walker, "asylum_start_choice")
            self.offered = [curly(label) for label, _element in choices]
            chosen = [element for label, element in choices if self.person in label]
            assert len(chosen) == 1, self.offered
            chosen[0].click()
            walker.submit()
            return True
        if "asylum_started_seen" in variables:
            walker.screenshot(f"start-from-{self.lang}-given")
            self.given_text = curly(walker.page_text())
            # The list is long: its Continue button is below the fold, where headless Chromium
            # refuses a pointer click (docassemble scrolls smoothly); the page's handler is run.
            button = walker.driver.find_element(By.CSS_SELECTOR, "#daform button[type=submit]")
            walker.driver.execute_script("arguments[0].click();", button)
            return True
        if self.given_text and self.after is None:
            self.after = list(variables)
        return False


def test_a_visa_appeal_starts_from_the_users_reunification_session(walker, artifacts, browser):
    within_deadline("start-from")
    from docassemble_asylum.procedures import get
    from docassemble_asylum.render.docx import docx_text

    today = paris_today()
    source = reunification_with_refusals(today)
    person = source["protected_person"]
    name = f"{person['given_names']} {person['family_name']}"
    given = get("visa-appeal").answers_from(source, Path("reunification.yaml"))
    register(browser, URL)
    walker.walk("reunification", "fr", source, model=get("reunification").model, fresh=False, screenshots=False)

    # French: the whole appeal, from the session
    start = StartFrom("fr", name)
    everything = {**source, **rest_of_the_appeal(today), "members": given["members"]}
    walk = walker.walk("visa-appeal", "fr", everything, model=get("visa-appeal").model, fresh=False, on_screen=start)
    if paris_today() != today:
        pytest.skip("the day changed in Paris during the walk; run again")
    assert start.offered[-1] == curly(AFRESH["fr"]), start.offered
    assert [label for label in start.offered if TITLE["fr"] in label and name in label] == start.offered[:1], start.offered
    assert curly(GIVEN["fr"]) in start.given_text, start.given_text[:2000]
    for fact in (person["family_name"], "Laila", "Omid", "Ambassade de France à Téhéran"):
        assert fact in start.given_text, fact
    assert "Yasin" not in start.given_text  # a member whose visa was not refused is not in the appeal
    asked = [variable for screen in walk.screens for variable in screen.variables]
    assert not [v for v in asked if v.startswith(("protected_person.", "members")) or v in ("refusal.notified_on", "refusal.consulate")], asked
    assert "refusal.reference" in asked

    cli = cli_build_from("fr", source, rest_of_the_appeal(today), today, artifacts / "cli-visa-appeal-from-session")
    folder = artifacts / "server-visa-appeal-from-session"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for file_name, data in walk.documents.items():
        (folder / file_name).write_bytes(data)
    docx = sorted(n for n in cli if n.endswith(".docx"))
    assert docx and sorted(n for n in walk.documents if n.endswith(".docx")) == docx
    for file_name in docx:
        assert docx_text(walk.documents[file_name]) == docx_text(cli[file_name]), f"{file_name}: the server's text differs from the CLI's"

    # English: the same two screens, then the first question is one the session did not answer
    start = StartFrom("en", name)
    with pytest.raises(StopWalk):
        walker.walk("visa-appeal", "en", everything, model=get("visa-appeal").model, fresh=False, on_screen=stop_after(start))
    assert start.offered[-1] == curly(AFRESH["en"]) and TITLE["en"] in start.offered[0] and name in start.offered[0], start.offered
    assert curly(GIVEN["en"]) in start.given_text, start.given_text[:2000]
    assert start.after and not [v for v in start.after if v.startswith(("protected_person.", "members"))], start.after


class StopWalk(Exception):
    pass


def stop_after(start: StartFrom):
    """``start``, then stop the walk at the first screen after the two new ones."""

    def on_screen(walker, walk, variables):
        if start(walker, walk, variables):
            return True
        if start.after is None:
            return False  # (the language, before the two screens)
        walker.screenshot(f"start-from-{start.lang}-first-question")
        raise StopWalk

    return on_screen
