"""Walking a generated interview on a real docassemble server, as a person in a browser.

Each screen is answered from an answers file (the procedure's bundled example): a
docassemble form names each input after its variable (base64, ``safeid``), so the
walker decodes the name, reads the value at that path of the answers, and fills the
input as a person would (radio buttons by their value, dates through the date input,
yes/no buttons). Documents are downloaded with the browser's session cookie.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

MISSING = object()
SCREEN_TIMEOUT = 90  # seconds for one screen under load (assembling documents is the slowest)


def safeid(text: str) -> str:
    """docassemble's name for a variable in a form (docassemble.base.functions.safeid)."""
    return base64.b64encode(text.encode("utf-8")).decode().replace("=", "")


def from_safeid(text: str) -> str | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def lookup(answers: dict, name: str) -> Any:
    """The value at ``family.members[0].name`` in an answers dict, or MISSING."""
    current: Any = answers
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", name):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(current, list) or index >= len(current):
                return MISSING
            current = current[index]
        else:
            if not isinstance(current, dict) or part not in current:
                return MISSING
            current = current[part]
    return current


def model_default(model, name: str) -> Any:
    """The model's default for ``exhibits[2].translated`` when optional (what a file leaving it out means), or MISSING."""
    from docassemble_asylum.questions.fields import UnknownField, field_ref

    counter = iter("ijklmn")
    template = re.sub(r"\[\d+\]", lambda _m: f"[{next(counter)}]", name)
    try:
        ref = field_ref(model, template)
    except UnknownField:
        return MISSING
    return MISSING if ref.required else ref.empty_value()


class WalkError(AssertionError):
    """The server showed something a person could not get past (an error, a refused answer)."""


@dataclass
class Screen:
    number: int
    heading: str
    variables: list[str]
    screenshot: Path | None = None


@dataclass
class Walk:
    procedure: str
    lang: str
    screens: list[Screen] = field(default_factory=list)
    final_text: str = ""
    problems_text: str = ""
    documents: dict[str, bytes] = field(default_factory=dict)

    @property
    def headings(self) -> list[str]:
        return [screen.heading for screen in self.screens]


class Walker:
    """One browser, one interview session at a time."""

    def __init__(self, driver, url: str, artifacts: Path):
        self.driver = driver
        self.url = url
        self.artifacts = artifacts
        self.uploads: Path | None = None  # the folder of the files an answer names (set by ``walk``)

    # ------------------------------------------------------------ pages

    def start(self, procedure: str, fresh: bool = True) -> None:
        """A new session of the interview: as a new anonymous visitor (``fresh``), or, keeping the
        browser's cookies (a logged-in user), a new session beside the user's others."""
        if fresh:
            self.driver.delete_all_cookies()
            self.driver.get(f"{self.url}/interview?i=docassemble.asylum:data/questions/{procedure}.yml&reset=1")
        else:
            self.driver.get(f"{self.url}/interview?i=docassemble.asylum:data/questions/{procedure}.yml&new_session=1")
        self.wait_for_screen()

    def wait_for_screen(self) -> None:
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            try:
                ready = self.driver.execute_script("return document.readyState") == "complete"
                if ready and self.driver.find_elements(By.CSS_SELECTOR, "#daform, .da-page-header, h1"):
                    if not self.driver.find_elements(By.CSS_SELECTOR, "#daSpinner:not([style*='none'])"):
                        return
            except StaleElementReferenceException:
                pass
            time.sleep(0.2)
        raise WalkError(f"no screen after {SCREEN_TIMEOUT} s: {self.page_text()[:2000]}")

    def page_text(self) -> str:
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except NoSuchElementException:
            return self.driver.page_source[:4000]

    def heading(self) -> str:
        found = self.driver.find_elements(By.CSS_SELECTOR, "#daquestion h1, h1")
        return found[0].text.strip() if found else ""

    def concrete_names(self) -> dict[str, str]:
        """Input name -> concrete variable (``other_names[i]`` is ``other_names[0]`` here): the form's ``_varnames``."""
        import json

        found = self.driver.find_elements(By.CSS_SELECTOR, "#daform input[name=_varnames]")
        if not found:
            return {}
        mapping = json.loads(from_safeid(found[0].get_attribute("value") or "") or "{}")
        return {key: from_safeid(value) or value for key, value in mapping.items()}

    def form_variables(self) -> list[str]:
        """The variables the current screen asks, decoded from the form's input names, in order."""
        names: list[str] = []
        self.inputs: dict[str, str] = {}  # variable -> input name
        concrete = self.concrete_names()
        for element in self.driver.find_elements(By.CSS_SELECTOR, "#daform [name]"):
            raw = element.get_attribute("name") or ""
            decoded = concrete.get(raw) or from_safeid(raw)
            if decoded:
                self.inputs.setdefault(decoded, raw)
            if decoded and re.fullmatch(r"[A-Za-z_][\w.\[\]'\"]*", decoded) and decoded not in names:
                names.append(decoded)
        return names

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def error_shown(self) -> str:
        """A refused answer's message, or docassemble's error page, if the screen shows one."""
        texts = [e.text.strip() for e in self.driver.find_elements(By.CSS_SELECTOR, ".da-has-error, .invalid-feedback, .alert-danger") if e.text.strip()]
        if "Error" in self.driver.title or self.driver.find_elements(By.CSS_SELECTOR, ".da-error-page, #da-retry"):
            texts.append(self.page_text()[:3000])
        return "\n".join(texts)

    # ------------------------------------------------------------ answering

    def click_button(self, name: str, value: str) -> bool:
        for button in self.driver.find_elements(By.CSS_SELECTOR, f"#daform button[name='{self.inputs.get(name, safeid(name))}']"):
            if button.get_attribute("value") in (value, safeid(value)):
                # A long screen (the answers an earlier session gave) puts it below the fold,
                # where headless Chromium refuses a pointer click: scrolled to first.
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
                button.click()
                return True
        return False

    def choose_radio(self, name: str, value: str | None) -> None:
        if value is None:
            return
        for radio in self.driver.find_elements(By.CSS_SELECTOR, f"#daform input[type=radio][name='{self.inputs.get(name, safeid(name))}']"):
            if radio.get_attribute("value") in (value, safeid(value)):
                label = self.driver.find_elements(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']")
                (label[0] if label else radio).click()
                return
        raise WalkError(f"{name}: no choice {value!r} on the screen")

    def fill(self, name: str, value: Any) -> None:
        inputs = self.driver.find_elements(By.CSS_SELECTOR, f"#daform [name='{self.inputs.get(name, safeid(name))}']")
        kinds = {(e.tag_name, e.get_attribute("type")) for e in inputs}
        if ("input", "radio") in kinds:
            if isinstance(value, bool):
                value = "True" if value else "False"
            self.choose_radio(name, None if value in (None, "") else str(value))
            return
        target = next(e for e in inputs if e.get_attribute("type") != "hidden")
        if target.get_attribute("type") == "file":
            self.upload(name, target, value)
            return
        text = "" if value is None else (value.isoformat() if isinstance(value, dt.date) else str(value))
        if target.get_attribute("type") == "date":
            self.driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                target, text,
            )
            return
        target.clear()
        if text:
            target.send_keys(text)

    def upload(self, name: str, target, value: Any) -> None:
        """A ``file`` question: the file the answer names, from the walk's folder of files, chosen
        in the browser's file input as a person picks it (the name the server keeps is its name)."""
        if self.uploads is None or not isinstance(value, str):
            raise WalkError(f"{name}: a file to upload, but the walk has no folder of files for {value!r}")
        path = (self.uploads / value).resolve()
        if not path.is_file():
            raise WalkError(f"{name}: the file {path} to upload does not exist")
        target.send_keys(str(path))

    def submit(self) -> None:
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "#daform button[type=submit]:not([name])")
        if not buttons:
            buttons = self.driver.find_elements(By.CSS_SELECTOR, "#daform button[type=submit]")
        buttons[0].click()

    def answer(self, variables: list[str], answers: dict, lang: str, counts: dict[str, int], model=None) -> None:
        """Answer the current screen from the answers, as a person reading the file would."""
        for raw_name in variables:
            name = raw_name
            if name == "asylum_lang":
                if self.click_button(name, lang):
                    return
                self.choose_radio(name, lang)
                continue
            if name in ("asylum_intro_seen",):
                if not self.click_button(name, "True"):
                    self.submit()
                return
            if name == "asylum_problems_reviewed":
                raise WalkError(f"the answers were refused by the whole-case check: {self.page_text()[:3000]}")
            name = self.concrete(name, counts)
            for suffix in (".there_are_any", ".there_is_another"):
                if name.endswith(suffix):
                    list_name = name[: -len(suffix)]
                    listed = lookup(answers, list_name)
                    have = 0 if suffix == ".there_are_any" else counts.get(list_name, 0) + 1
                    wanted = isinstance(listed, list) and len(listed) > have
                    if not self.click_button(raw_name, "True" if wanted else "False"):
                        raise WalkError(f"{name}: no yes/no buttons")
                    if wanted and suffix == ".there_is_another":
                        counts[list_name] = counts.get(list_name, 0) + 1  # the next item
                    return
            value = lookup(answers, name)
            if value is MISSING and model is not None:
                value = model_default(model, name)  # the file leaves it out: what the file means
            if value is MISSING:
                continue  # left as the screen offers it (its suggestion, or empty)
            self.fill(raw_name, value)
        self.submit()

    @staticmethod
    def concrete(name: str, counts: dict[str, int]) -> str:
        """``members[i].children[j].name`` with the item being asked: counts[list] is its index."""
        while True:
            found = re.search(r"\[([ijklmn])\]", name)
            if not found:
                return name
            list_name = name[: found.start()]
            name = f"{list_name}[{counts.get(list_name, 0)}]{name[found.end():]}"

    # ------------------------------------------------------------ a whole interview

    def change_from_review(self, variable: str) -> str:
        """Press the "Change"/"Modifier" button of ``variable`` on a review screen; the heading of the screen it opens.

        docassemble writes each review button as ``a.da-review-action`` whose ``data-action`` is
        the base64 of the action's JSON, naming the variable to ask again.
        """
        import json

        for link in self.driver.find_elements(By.CSS_SELECTOR, "a.da-review-action"):
            encoded = link.get_attribute("data-action") or ""
            try:
                action = json.loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(action, dict) and action.get("action") == variable:
                before = self.driver.find_element(By.ID, "daform")
                # The review lists every answer and the button may be far below the fold, where
                # headless Chromium refuses a pointer click: the page's own handler is run instead.
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link)
                self.wait_for_change(before)
                return self.heading()
        raise WalkError(f"no change button for {variable} on this screen: {self.page_text()[:1500]}")

    def walk(
        self, procedure: str, lang: str, answers: dict, model=None, max_screens: int = 300, screenshots: bool = True,
        on_problems=None, uploads: Path | None = None, fresh: bool = True, on_screen=None,
    ) -> Walk:
        """Answer every screen until the documents; ``on_problems(walker, walk)`` handles the whole-case problems screen.

        ``uploads``: the folder of the files the answers name (``attachments[0].file``), as an
        answers file's paths are relative to its folder. ``fresh``: see ``start``.
        ``on_screen(walker, walk, variables)``: answers a screen itself when it returns True
        (leaving the browser on the next screen).
        """
        walk = Walk(procedure, lang)
        self.uploads = uploads
        counts: dict[str, int] = {}
        self.start(procedure, fresh)
        for number in range(max_screens):
            problem = self.error_shown()
            if problem:
                shot = self.screenshot(f"{procedure}-{lang}-{number:03d}-error")
                raise WalkError(f"{procedure} ({lang}), screen {number}: {problem} (screenshot {shot})")
            variables = self.form_variables()
            screen = Screen(number, self.heading(), variables)
            walk.screens.append(screen)
            if screenshots:
                screen.screenshot = self.screenshot(f"{procedure}-{lang}-{number:03d}")
            if self.is_documents_screen():
                walk.final_text = self.page_text()
                walk.documents = self.download_documents()
                return walk
            if not variables:
                raise WalkError(f"{procedure} ({lang}), screen {number}: nothing to answer: {self.page_text()[:2000]}")
            if on_problems is not None and "asylum_problems_reviewed" in variables:
                walk.problems_text = self.page_text()
                on_problems(self, walk)  # leaves the browser on another screen
                continue
            before = self.driver.find_element(By.ID, "daform")
            if on_screen is not None and on_screen(self, walk, variables):
                self.wait_for_change(before)
                continue
            self.answer(variables, answers, lang, counts, model)
            self.wait_for_change(before)
        raise WalkError(f"{procedure} ({lang}): no documents after {max_screens} screens")

    def wait_for_change(self, before) -> None:
        """Until the screen answered is replaced (docassemble swaps the page's content), then drawn."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        from selenium.common.exceptions import TimeoutException

        try:
            WebDriverWait(self.driver, SCREEN_TIMEOUT).until(expected_conditions.staleness_of(before))
        except TimeoutException:
            page = self.artifacts / "stuck-screen.html"
            page.write_text(self.driver.page_source, encoding="utf-8")
            raise WalkError(
                f"the screen did not change {SCREEN_TIMEOUT} s after it was answered (variables {self.form_variables()}; "
                f"page saved as {page}): {self.page_text()[:1500]}"
            ) from None
        self.wait_for_screen()

    def document_links(self) -> dict[str, str]:
        links = {}
        for anchor in self.driver.find_elements(By.CSS_SELECTOR, "a[href]"):
            href = anchor.get_attribute("href") or ""
            match = re.search(r"/uploadedfile/[^?#]*?([^/?#]+\.(?:docx|pdf))(?:[?#]|$)", href)
            if match and match.group(1) not in links:
                links[match.group(1)] = href
        return links

    def is_documents_screen(self) -> bool:
        return bool(self.document_links())

    def download_documents(self) -> dict[str, bytes]:
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        files = {}
        for name, href in self.document_links().items():
            request = urllib.request.Request(href, headers={"Cookie": cookies})
            with urllib.request.urlopen(request, timeout=SCREEN_TIMEOUT) as response:  # 127.0.0.1 only
                files[name] = response.read()
            (self.artifacts / "documents").mkdir(exist_ok=True)
        return files
