"""No maintainer's note of a rule file ever reaches what a user reads.

A rule file's ``maintainer_note`` (on a version) and ``maintainer_notes`` (in an entry of a
value) explain a value to the next maintainer: a correction of a machine-translated source,
why an article was read one way. Printed in a letter or a summary they confuse the person
and look careless to the authority (the re-examination summary used to print "Correction :
la traduction automatique de la source écrit « Handle »…" for the Manche). This test builds
every procedure's example in both languages and looks up every department's prefecture,
as text and JSON, and searches every output for every maintainer sentence.
"""

from __future__ import annotations

import email
import functools
import re
import shutil
import subprocess
import unicodedata
from email import policy
from pathlib import Path

import pytest

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.rules.loader import data_root, load_rulebook
from conftest import ROOT, run_cli
from pinned_examples import EXAMPLE_DAY, pinned_example_text


def _normal(text: str) -> str:
    """Typography and line breaks set aside: no-break spaces, curly apostrophes, spacing."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def _sentences(note: str) -> list[str]:
    """The whole sentences of a note, long enough not to match ordinary wording (a clause
    alone can coincide with what the procedure says in its own words)."""
    parts = re.split(r"(?<=[.!?])\s+", _normal(note))
    return [p.rstrip(".") for p in parts if len(p) >= 40]


@functools.cache
def _catalog_texts() -> str:
    """Every message the code itself shows (msgids and French msgstrs), normalised."""
    from babel.messages.pofile import read_po

    texts = []
    for path in sorted((ROOT / "docassemble_asylum" / "locale").glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                for text in (message.id, message.string):
                    texts += [text] if isinstance(text, str) else list(text or ())
    return "\n".join(_normal(t) for t in texts if t)


def maintainer_sentences() -> list[str]:
    """Each distinctive sentence of a maintainer note, except one that quotes a message the
    code shows on its own (the note on Ofpra's notice period repeats "a late notice does not
    forbid the accompaniment", which the procedure says through gettext): finding it in an
    output proves nothing."""
    book = load_rulebook(data_root())
    found = []
    for rule in book:
        for version in rule.versions:
            for note in version.maintainer_notes:
                found += _sentences(note)
    shown = _catalog_texts()
    return sorted({s for s in found if s not in shown})


def output_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".docx":
        return docx_text(data)
    if path.suffix == ".pdf":
        tool = shutil.which("pdftotext")
        if tool is None:
            return ""
        return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    if path.suffix == ".eml":
        message = email.message_from_bytes(data, policy=policy.default)
        parts = [str(message["subject"] or "")]
        for part in message.walk():
            if part.get_content_type().startswith("text/"):
                parts.append(part.get_content())
            elif part.get_filename() and part.get_filename().endswith(".docx"):
                parts.append(docx_text(part.get_payload(decode=True)))
        return "\n".join(parts)
    return data.decode("utf-8", errors="replace")


def leaked(text: str, sentences: list[str]) -> list[str]:
    plain = _normal(text)
    return [s for s in sentences if s in plain]


def test_the_shipped_rules_have_maintainer_notes_to_look_for():
    sentences = maintainer_sentences()
    assert len(sentences) > 40
    assert any("la traduction automatique de la source écrit « Handle »" in s for s in sentences)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("procedure", sorted(EXAMPLE_DAY))
def test_no_maintainer_note_in_any_output_of_any_procedure(procedure, lang, tmp_path):
    sentences = maintainer_sentences()
    answers = tmp_path / "answers.yaml"
    answers.write_text(pinned_example_text(procedure), encoding="utf-8")
    out = tmp_path / "out"
    day = EXAMPLE_DAY[procedure].isoformat()
    built = run_cli("build", procedure, "--answers", str(answers), "--out", str(out), "--today", day, "--lang", lang)
    assert built.returncode == 0, built.stderr
    checked = run_cli("check", procedure, "--answers", str(answers), "--today", day, "--lang", lang)
    checked_json = run_cli("check", procedure, "--answers", str(answers), "--today", day, "--json")
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert files
    found = {p.name: leaked(output_text(p), sentences) for p in files}
    found["check"] = leaked(checked.stdout + checked.stderr + built.stdout + built.stderr, sentences)
    found["check --json"] = leaked(checked_json.stdout, sentences)
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_maintainer_note_in_any_prefecture_lookup(lang):
    from click.testing import CliRunner

    from docassemble_asylum.cli import cli
    from docassemble_asylum.prefectures import department_codes

    sentences = maintainer_sentences()
    runner = CliRunner()
    found = {}
    for code in department_codes():
        for extra in ([], ["--json"]):
            result = runner.invoke(cli, ["prefecture", *extra, "--lang", lang, code])
            assert result.exit_code == 0, result.output
            hits = leaked(result.output, sentences)
            if hits:
                found[(code, *extra)] = hits
    assert found == {}
