"""No personal data in errors; private files (issue 9).

- A failing build or check (bad dates, unknown keys, broken YAML, impossible dates, a
  person's name typed into a choice, a text too long, a list where a text goes…) names
  fields in its messages, never the values of the case: the test looks for every printed
  answer of the example (names, numbers, addresses, narrative words) in stderr.
  Words that the messages themselves use (labels such as "décision") are learnt from
  the same failure with the answers replaced by markers, and not counted.
- Outputs are 0600 in 0700 folders whatever the umask; so are decrypted files.
"""

from __future__ import annotations

import copy
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fuzz_support import (
    NotBuildable,
    buildable_procedures,
    get_path,
    is_date_text,
    leaves,
    probe,
    run_in_process,
    set_path,
)
from pinned_examples import pinned_example_text

WORD = re.compile(r"[^\W_]{5,}|\d[\d\-\s]{3,}\d", re.UNICODE)


def _probe_or_skip(name):
    try:
        return probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))


def _personal_values(info) -> list[str]:
    return [get_path(info.example, p) for p in sorted(info.printed, key=str) if isinstance(get_path(info.example, p), str)]


def _failures(info) -> dict[str, object]:
    """Ways to make the example fail, each a function raw -> raw or bytes."""
    values = _personal_values(info)
    dates = [p for p, v in leaves(info.example) if is_date_text(v)]
    text_paths = sorted(info.printed, key=str)
    choices = [p for p in info.text_paths if p not in info.printed]

    def bad_dates(raw):
        for path in dates:
            set_path(raw, path, "2026-02-30")
        return raw

    def future_dates(raw):
        for path in dates:
            set_path(raw, path, "2099-01-01")
        return raw

    def unknown_keys(raw):
        raw["unexpected_answer"] = values[:3]
        for path in text_paths[:2]:
            get_path(raw, path[:-1])[f"{path[-1]}_typo"] = get_path(raw, path) if len(path) > 1 else None
        return raw

    def name_in_a_choice(raw):
        for path in choices:
            set_path(raw, path, values[0] + " " + values[-1])
        return raw

    def too_long(raw):
        for path in text_paths[:6]:
            set_path(raw, path, (str(get_path(raw, path)) + " ") * 400)
        return raw

    def list_instead_of_text(raw):
        for path in text_paths[:6]:
            set_path(raw, path, [get_path(raw, path), {"nested": get_path(raw, path)}])
        return raw

    def broken_yaml(raw):
        return (yaml.safe_dump(raw, allow_unicode=True) + "broken: [unclosed\n").encode()

    def duplicate_key(raw):
        text = yaml.safe_dump(raw, allow_unicode=True)
        first = text.splitlines()[0]
        return (text + first + "\n").encode()

    def tab_in_narrative(raw):
        text = yaml.safe_dump(raw, allow_unicode=True)
        return text.replace("\n", "\n\t", 1).encode()

    return {
        "bad_dates": bad_dates,
        "future_dates": future_dates,
        "unknown_keys": unknown_keys,
        "name_in_a_choice": name_in_a_choice,
        "too_long": too_long,
        "list_instead_of_text": list_instead_of_text,
        "broken_yaml": broken_yaml,
        "duplicate_key": duplicate_key,
        "tab_in_narrative": tab_in_narrative,
    }


def _markers(info) -> dict:
    raw = copy.deepcopy(info.example)
    for index, path in enumerate(sorted(info.printed, key=str)):
        set_path(raw, path, f"Zq{index}xQz")
    return raw


def _run_failure(info, make, raw, tmp_path, lang, command="build", extra=()) -> str:
    data = make(copy.deepcopy(raw))
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(data if isinstance(data, bytes) else yaml.safe_dump(data, allow_unicode=True).encode())
    args = [command, info.name, "--answers", str(answers), "--today", info.today_arg, "--lang", lang, *extra]
    if command == "build":
        args += ["--out", str(tmp_path / "out")]
    result = run_in_process(args)
    assert result.code == 1, (make.__name__, result.code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    return result.stderr


def _debug_flag() -> list[str]:
    from docassemble_asylum.commands.build import build

    return ["--debug"] if any("--debug" in p.opts for p in build.params) else []


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", buildable_procedures())
def test_failing_builds_do_not_print_the_case(name, lang, tmp_path):
    info = _probe_or_skip(name)
    values = _personal_values(info)
    assert len(values) >= 5
    checked = 0
    for kind, make in _failures(info).items():
        for command, extra in (("build", _debug_flag()), ("check", [])):
            baseline = _run_failure(info, make, _markers(info), tmp_path, lang, command, extra)
            stderr = _run_failure(info, make, info.example, tmp_path, lang, command, extra)
            message_words = set(WORD.findall(baseline.lower()))
            leaked = []
            for value in values:
                if len(value) >= 4 and value.lower() in stderr.lower():
                    leaked.append(value)
                    continue
                for word in WORD.findall(value.lower()):
                    if word not in message_words and word in stderr.lower():
                        leaked.append(f"{word} (from {value[:40]!r})")
            assert leaked == [], f"{kind} ({command}, {lang}) shows answers of the case:\n{stderr}"
            checked += 1
    assert checked == 2 * len(_failures(info))


def test_text_length_errors_speak_of_text():
    """An empty or too long name is reported as such, not as "at least 1 item(s)"."""
    from pydantic import ValidationError

    from docassemble_asylum.errors import validation_problems
    from docassemble_asylum.i18n import language
    from docassemble_asylum.models.common import Person

    with pytest.raises(ValidationError) as caught:
        Person(family_name=" \x00 ", given_names="x" * 300, date_of_birth="1990-01-01", place_of_birth="A", nationality="B")
    with language("en"):
        problems = validation_problems(Person, caught.value)
    assert "“Family name”: this answer cannot be empty." in problems, problems
    assert "“Given names”: this answer is too long (at most 200 characters)." in problems, problems
    assert not any("item(s)" in p for p in problems), problems


# --- file modes -------------------------------------------------------------------------------


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(os.lstat(p).st_mode) for p in [folder, *sorted(folder.rglob("*"))]}


def _with_umask(args, env=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "ASYLUMDOCS_LANG": "en", **(env or {})},
        cwd=cwd,
        preexec_fn=lambda: os.umask(0),
    )


@pytest.mark.parametrize("name", buildable_procedures())
def test_outputs_are_private_whatever_the_umask(name, tmp_path):
    info = _probe_or_skip(name)
    answers = tmp_path / "answers.yaml"
    answers.write_text(info.example_yaml(), encoding="utf-8")
    out = tmp_path / "new" / "nested" / "out"
    result = _with_umask(["build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg])
    assert result.returncode == 0, result.stderr
    for relative, mode in _modes(out).items():
        path = out / relative
        expected = 0o700 if path.is_dir() else 0o600
        assert mode == expected, (relative, oct(mode))
    # Folders asylumdocs had to create on the way are private too.
    assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "nested").st_mode) == 0o700


def test_decrypted_and_encrypted_files_are_private_whatever_the_umask(tmp_path):
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n")
    clear = tmp_path / "answers.yaml"
    clear.write_text("facts: x\n")
    result = _with_umask(["case", "encrypt", str(clear), "--recipient", str(identity.to_public())])
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "answers.yaml.age").st_mode) == 0o600
    back = tmp_path / "sub" / "back.yaml"
    result = _with_umask(["case", "decrypt", str(tmp_path / "answers.yaml.age"), "--identity", str(key), "--out", str(back)])
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(back).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(back.parent).st_mode) == 0o700


def test_batch_outputs_are_private_whatever_the_umask(tmp_path):
    from docassemble_asylum.cli import COMMANDS, _available

    if not _available(COMMANDS["batch"][0]):
        pytest.skip("asylumdocs batch is not in this tree yet")
    name = next((n for n in buildable_procedures() if _safe_probe(n)), None)
    if name is None:
        pytest.skip("no procedure builds its example yet")
    info = probe(name)
    cases = tmp_path / "cases"
    cases.mkdir()
    for index in range(2):
        (cases / f"c{index}.yaml").write_text(info.example_yaml(), encoding="utf-8")
    out = tmp_path / "new" / "nested" / "batch"
    result = _with_umask(["batch", name, str(cases), "--out", str(out), "--jobs", "1", "--today", info.today_arg])
    assert result.returncode == 0, result.stderr
    for relative, mode in _modes(out).items():
        path = out / relative
        assert mode == (0o700 if path.is_dir() else 0o600), (relative, oct(mode))
    # Folders the batch had to create on the way are private too.
    assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "nested").st_mode) == 0o700


def _safe_probe(name) -> bool:
    try:
        probe(name)
    except NotBuildable:
        return False
    return True


# --- batch: what it prints, and ASYLUMDOCS_DEBUG ------------------------------------------------


def test_batch_prints_no_value_of_the_cases(tmp_path):
    """A consistency problem's details (which other answer it contradicts) go to the private
    report files the user asked for; stdout and stderr, which often end up in a log, carry
    the counts and the case ids only (and no message quotes a date of the case anyway)."""
    import json

    data = yaml.safe_load(pinned_example_text("cnda-appeal"))
    data["decision"]["notification"]["received_on"] = "2026-02-20"  # before the decision
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"case_id": "dossier-7", **data}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    for lang, shown in (("en", "“Contested Ofpra decision › Date of the Ofpra decision”"), ("fr", "« Décision de l'Ofpra contestée › Date de la décision de l'Ofpra »")):
        result = subprocess.run(
            [sys.executable, "-m", "docassemble_asylum", "batch", "cnda-appeal", str(cases), "--out", str(out),
             "--today", "2026-04-28", "--lang", lang, "--force"],
            capture_output=True, text=True, timeout=300, env={**os.environ, "ASYLUMDOCS_LANG": lang},
        )
        assert result.returncode == 1, result.stderr
        summary = (out / "summary.txt").read_text(encoding="utf-8")
        assert shown in summary, "the report the user asked for gives the problem in full"
        printed = result.stdout + result.stderr
        assert "dossier-7" in printed
        assert str(out / "summary.txt") in result.stdout, "the printed summary points to the report"
        for value in (shown, "2026", "Haddad", "HADDAD", "Samira"):
            assert value not in printed, (value, printed)


def test_debug_variable_shows_where_without_any_value(monkeypatch, capsys):
    from docassemble_asylum.batch import engine, inputs
    from docassemble_asylum.i18n import language

    def parse_birth(text):
        raise KeyError(f"Haddad {text}")

    def render_case():
        try:
            parse_birth("1994-08-17")
        except KeyError as exc:
            raise ValueError("Samira Leïla, Montreuil") from exc

    try:
        render_case()
    except ValueError as exc:
        error = exc
    case = inputs.Case(0, "dossier-7", "jsonl", 1, b"{}")
    with language("en"):
        monkeypatch.delenv("ASYLUMDOCS_DEBUG", raising=False)
        quiet = engine._failed(case, error)
        assert capsys.readouterr().err == ""
        monkeypatch.setenv("ASYLUMDOCS_DEBUG", "1")
        result = engine._failed(case, error)
    err = capsys.readouterr().err
    assert result.messages == quiet.messages == [
        "Internal error (ValueError): this is a bug in asylumdocs; please report it, without the case's data."
    ]
    lines = err.splitlines()
    assert lines[0] == "asylumdocs: internal error in case dossier-7 (ASYLUMDOCS_DEBUG; messages and values left out):"
    assert "KeyError" in lines and "ValueError" in lines, err
    assert any(line.endswith("in parse_birth") and "test_privacy.py" in line for line in lines), err
    assert any(line.endswith("in render_case") for line in lines), err
    for value in ("Haddad", "1994", "Samira", "Montreuil", "raise KeyError"):
        assert value not in err, (value, err)
