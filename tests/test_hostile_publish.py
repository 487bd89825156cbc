"""Publication under hostile conditions (issue 14): nothing of the user's lost, no case crossed.

Each test is the regression test of one observed failure of the publication path
(``output.py``, ``build``, ``form fill``, ``case``, ``--ics``): look-alike hidden
folders beside ``--out``, look-alike case ids in a batch, two builds racing to the same
new folder, a file created in ``--out`` during a build, inputs inside ``--out``,
``--out`` / ``--ics`` that are links, FIFOs, unwritable or impossible paths, a full disk
and a full standard output. Every refusal is one clear message, exit 1, nothing
half-written and nothing of the user's touched (compared byte for byte).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import dead_pid
from fuzz_support import (
    assert_complete_case_folder,
    buildable_procedures,
    docx_texts,
    killed_publication,
    leftovers,
    norm,
    probe,
    run_in_process,
)

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "templates" / "forms" / "family_situation.pdf"
ALREADY = "Error: The folder {path} already contains files: choose another --out, or add --force to replace it.\n"


def _info():
    name = "cnda-appeal" if "cnda-appeal" in buildable_procedures() else buildable_procedures()[0]
    return probe(name)


def _answers(tmp_path: Path, family_name: str | None = None, name: str = "answers.yaml") -> Path:
    """The procedure's example, with the applicant's family name changed (read back from the DOCX)."""
    import yaml

    info = _info()
    data = yaml.safe_load(info.example_yaml())
    if family_name is not None:
        data["applicant"]["family_name"] = family_name
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _build_args(answers: Path, out: Path, *extra: str) -> list[str]:
    info = _info()
    return ["build", info.name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg, "--lang", "en", *extra]


def _tree(path: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under ``path`` (itself included): content hash and mode."""
    found = {}
    for root, dirs, files in os.walk(path):
        for name in [".", *dirs, *files]:
            full = Path(root) / name if name != "." else Path(root)
            info = os.lstat(full)
            digest = hashlib.sha256(full.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else "dir"
            found[str(full.relative_to(path))] = (digest, stat.S_IMODE(info.st_mode))
    return found


def _lookalike(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "mes-notes.txt").write_text(f"the user's own folder {name}", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "draft.docx").write_bytes(os.urandom(300))
    return folder


def _family_names(folder: Path) -> str:
    return norm("\n".join(docx_texts(folder).values()))


# --- 1. look-alike hidden folders beside --out ------------------------------------------------


@pytest.mark.parametrize("existing", [True, False], ids=["refused-build", "new-folder"])
def test_lookalike_hidden_folders_beside_out_are_never_touched(tmp_path, existing):
    """Issue 14.1: recovery recognises only what asylumdocs created, never a name pattern."""
    work = tmp_path / "work"
    work.mkdir()
    out = work / "case"
    dead = dead_pid()
    names = [".case.old-2025-05-01", ".case.partial-1999-x", f".case.old-{dead}-y", f".case.partial-{dead}-z", f".case.lock-{'a' * 32}"]
    # A real leftover of a killed build of the same folder, which must still be tidied up.
    killed = killed_publication(out, ["recours-cnda.docx"])
    assert killed and not set(killed) & set(names), killed
    for name in names[:-1]:
        _lookalike(work, name)
    (work / names[-1]).write_text("the user's own file with a marker-like name", encoding="utf-8")
    if existing:
        out.mkdir()
        (out / "notes.txt").write_text("kept", encoding="utf-8")
        out_before = _tree(out)
    before = {name: _tree(work / name) for name in names[:-1]}
    marker_like = (work / names[-1]).read_bytes()
    answers = _answers(tmp_path, "Haddad")
    result = run_in_process(_build_args(answers, out))
    if existing:
        assert (result.code, result.stderr) == (1, ALREADY.format(path=out))
        assert _tree(out) == out_before
    else:
        assert result.code == 0, result.stderr
        assert_complete_case_folder(out)
        assert "HADDAD" in _family_names(out)
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == sorted(names), "the killed build's leftover is gone, only it"
    assert {name: _tree(work / name) for name in names[:-1]} == before
    assert (work / names[-1]).read_bytes() == marker_like


def test_an_empty_marker_like_file_of_the_user_is_kept(tmp_path):
    """Issue 14.1, a variant: an empty ``.case.lock-<32 hex digits>`` readable by others is not
    a marker of a build killed before writing it (those are created private): it was deleted."""
    work = tmp_path / "work"
    work.mkdir()
    users = work / f".case.lock-{'b' * 32}"
    users.write_bytes(b"")
    os.chmod(users, 0o644)
    ours = work / f".case.lock-{'c' * 32}"  # a build killed between creating its marker and writing it
    ours.write_bytes(b"")
    os.chmod(ours, 0o600)
    result = run_in_process(_build_args(_answers(tmp_path, "Haddad"), work / "case"))
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == [users.name, "case"]
    assert stat.S_IMODE(os.lstat(users).st_mode) == 0o644 and users.read_bytes() == b""


# --- 2. look-alike case ids in a batch --------------------------------------------------------


def test_batch_case_ids_that_extend_each_other_get_their_own_documents(tmp_path):
    """Issue 14.2: ``haddad`` and ``haddad.old-2024-11`` (and a crafted ``x.partial-3999999-z``)
    each get exactly their own case's documents, even with a killed earlier batch's leftovers."""
    import yaml

    info = _info()
    example = yaml.safe_load(info.example_yaml())
    people = {"haddad": "Quennell", "haddad.old-2024-11": "Ovrashko", "x": "Xylander", "x.partial-3999999-z": "Zubrowski"}
    cases = tmp_path / "cases.jsonl"
    lines = []
    for case_id, family in people.items():
        data = json.loads(json.dumps(example))
        data["applicant"]["family_name"] = family
        lines.append(json.dumps({"case_id": case_id, **data}, ensure_ascii=False))
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    # An earlier batch was killed while staging these two cases: their hidden leftovers wait beside.
    killed_publication(out / "haddad.old-2024-11", ["recours-cnda.docx", "summary.docx"])
    killed_publication(out / "x.partial-3999999-z", ["recours-cnda.docx", "summary.docx"])
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "batch", info.name, str(cases), "--out", str(out), "--jobs", "1", "--today", info.today_arg],
        env={**os.environ, "ASYLUMDOCS_LANG": "en"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert sorted(p.name for p in out.iterdir()) == sorted([*people, "report.csv", "summary.txt"])
    for case_id, family in people.items():
        assert_complete_case_folder(out / case_id)
        text = _family_names(out / case_id)
        assert norm(family) in text, case_id
        others = [norm(name) for other, name in people.items() if other != case_id]
        assert not any(name in text for name in others), (case_id, "holds another case's documents")


# --- 3. two builds racing to the same new --out ---------------------------------------------

# The real CLI in a child process whose first staged file waits until every racer has staged
# one (so that all have passed the "destination is free" check), or until a "go" file exists.
RACER = r"""
import os, sys, time
from pathlib import Path
from docassemble_asylum import output

barrier, me, expected = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
real_write, waited = output.write_private, []
def write_private(path, data):
    if not waited:
        waited.append(True)
        (barrier / f"ready-{me}").touch()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if len(list(barrier.glob("ready-*"))) >= expected or (barrier / "go").exists():
                break
            time.sleep(0.02)
    real_write(path, data)
output.write_private = write_private
from docassemble_asylum.cli import main
main(sys.argv[4:])
"""


def _racer(barrier: Path, me: str, expected: int, args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RACER, str(barrier), me, str(expected), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ASYLUMDOCS_LANG": "en"},
    )


def test_two_concurrent_builds_to_the_same_new_out_exactly_one_wins(tmp_path):
    """Issue 14.3: without --force the second publication must not replace the first."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    out = tmp_path / "case"
    racers = {
        family: _racer(barrier, family, 2, _build_args(_answers(tmp_path, family, f"{family}.yaml"), out))
        for family in ("Quennell", "Karimova")
    }
    outcomes = {family: (child.wait(timeout=600), *child.communicate()) for family, child in racers.items()}
    codes = sorted(code for code, _, _ in outcomes.values())
    assert codes == [0, 1], outcomes
    winner = next(family for family, (code, _, _) in outcomes.items() if code == 0)
    loser = next(family for family, (code, _, _) in outcomes.items() if code == 1)
    assert outcomes[loser][2] == ALREADY.format(path=out)
    assert outcomes[loser][1] == ""
    assert_complete_case_folder(out)
    names = _family_names(out)
    assert norm(winner) in names and norm(loser) not in names
    assert leftovers(tmp_path) == [], "the losing build's staging folder is removed"


def test_a_file_created_in_out_during_a_build_is_kept(tmp_path):
    """Issue 14.3: the destination that appeared meanwhile (with the user's file) is not replaced."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    out = tmp_path / "case"
    child = _racer(barrier, "build", 2, _build_args(_answers(tmp_path, "Haddad"), out))
    deadline = time.monotonic() + 300
    while not (barrier / "ready-build").exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    out.mkdir()
    (out / "notes.txt").write_bytes(b"written by the user while the build ran")
    (barrier / "go").touch()
    code = child.wait(timeout=300)
    stdout, stderr = child.communicate()
    assert (code, stdout, stderr) == (1, "", ALREADY.format(path=out))
    assert sorted(os.listdir(out)) == ["notes.txt"]
    assert (out / "notes.txt").read_bytes() == b"written by the user while the build ran"
    assert leftovers(tmp_path) == []


def test_no_replace_rename_without_the_native_call_still_refuses(tmp_path, monkeypatch):
    """The fallback where renameat2 / renamex_np are missing: a reservation, never a replacement."""
    from docassemble_asylum import safe_files

    monkeypatch.setattr(safe_files, "_native", [None])
    source = tmp_path / "staging"
    source.mkdir()
    (source / "a.docx").write_bytes(b"new")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_bytes(b"mine")
    empty = tmp_path / "empty"
    empty.mkdir()
    for target in (taken, empty):
        with pytest.raises(FileExistsError):
            safe_files.rename_no_replace(source, target)
    assert (taken / "mine.txt").read_bytes() == b"mine" and os.listdir(empty) == []
    safe_files.rename_no_replace(source, tmp_path / "new")
    assert (tmp_path / "new" / "a.docx").read_bytes() == b"new" and not source.exists()
    one, other = tmp_path / "one.pdf", tmp_path / "other.pdf"
    one.write_bytes(b"1")
    other.write_bytes(b"2")
    with pytest.raises(FileExistsError):
        safe_files.rename_no_replace(one, other)
    assert other.read_bytes() == b"2"
    safe_files.rename_no_replace(one, tmp_path / "third.pdf")
    assert (tmp_path / "third.pdf").read_bytes() == b"1"


# --- 4. form fill --out -----------------------------------------------------------------------


def _values(tmp_path: Path) -> Path:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"users1_name_first": "Samira"}), encoding="utf-8")
    return values


def test_form_fill_out_is_never_overwritten_without_force_and_is_written_atomically(tmp_path, monkeypatch):
    """Issue 14.4: an existing --out is refused without --force; with it, replaced all at once, 0600."""
    values = _values(tmp_path)
    out = tmp_path / "filled.pdf"
    out.write_bytes(b"the lawyer's earlier, annotated version")
    args = ["form", "fill", str(FORM), "--values", str(values), "--out", str(out), "--lang", "en"]
    refused = run_in_process(args)
    assert (refused.code, refused.stdout) == (1, "")
    assert refused.stderr == f"Error: {out} already exists: choose another --out, or add --force to replace it.\n"
    assert out.read_bytes() == b"the lawyer's earlier, annotated version"
    # The disk fills up while the new version is written: the old one is still whole.
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    failed = run_in_process([*args, "--force"])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert (failed.code, failed.stdout) == (1, "")
    assert failed.stderr == f"Error: There is no space left on the disk for {out}; nothing was written. Free some space and try again.\n"
    assert out.read_bytes() == b"the lawyer's earlier, annotated version"
    assert sorted(os.listdir(tmp_path)) == ["filled.pdf", "values.json"]
    old_mask = os.umask(0)
    try:
        replaced = run_in_process([*args, "--force"])
    finally:
        os.umask(old_mask)
    assert replaced.code == 0, replaced.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["filled.pdf", "values.json"]


def test_form_fill_out_never_follows_a_symbolic_link(tmp_path):
    """Issue 14.4 and 14.9: a dangling link is not followed (its target is not created)."""
    values = _values(tmp_path)
    target = tmp_path / "elsewhere" / "created.pdf"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "filled.pdf"
    link.symlink_to(target)
    for extra in ([], ["--force"]):
        result = run_in_process(["form", "fill", str(FORM), "--values", str(values), "--out", str(link), "--lang", "en", *extra])
        assert (result.code, result.stdout) == (1, "")
        assert result.stderr == (
            f"Error: {link} is a symbolic link: give --out a real folder or file (symbolic links are not followed; nothing was written).\n"
        )
        assert not target.exists() and os.readlink(link) == str(target)


# --- 5. inputs inside --out --------------------------------------------------------------------


def test_out_that_holds_the_answers_file_is_refused_even_with_force(tmp_path):
    """Issue 14.5: ``--answers dir/case.yaml --out dir --force`` deleted the answers."""
    folder = tmp_path / "dir"
    folder.mkdir()
    answers = _answers(folder, "Haddad", "case.yaml")
    (folder / "old-letter.docx").write_bytes(b"previous")
    before = _tree(folder)
    for out in (folder, tmp_path / "." / "dir", tmp_path / "dir" / ".." / "dir"):
        result = run_in_process(_build_args(answers, out, "--force"))
        assert (result.code, result.stdout) == (1, "")
        assert result.stderr == (
            f"Error: {out} would be written or replaced, and it holds {answers}, which this command reads or saves: "
            "choose another --out (nothing was written).\n"
        )
    assert _tree(folder) == before


def test_out_that_holds_the_save_file_is_refused_before_any_question(tmp_path):
    folder = tmp_path / "dir"
    info = _info()
    result = run_in_process(["build", info.name, "--out", str(folder), "--save", str(folder / "answers.yaml"), "--force", "--lang", "en"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {folder} would be written or replaced, and it holds {folder / 'answers.yaml'}, which this command reads or saves: "
        "choose another --out (nothing was written).\n"
    )
    assert not folder.exists()


@pytest.mark.parametrize("with_answers", [True, False], ids=["answers-file", "interview"])
def test_out_that_holds_the_from_file_is_refused_before_anything(tmp_path, with_answers):
    """Issue 14.5, ``--from``: ``--from dir/legal-aid.yaml --out dir --force`` deleted the
    related procedure's answers file (and the interview asked its questions first)."""
    import datetime as dt

    from docassemble_asylum.procedures import get

    day = dt.date(2026, 4, 28)
    folder = tmp_path / "dir"
    folder.mkdir()
    related = folder / "legal-aid.yaml"
    related.write_text(get("cnda-legal-aid").example_text(day), encoding="utf-8")
    (folder / "old-letter.docx").write_bytes(b"previous")
    answers = tmp_path / "appeal.yaml"
    answers.write_text(get("cnda-appeal").example_text(day), encoding="utf-8")
    before = _tree(folder)
    extra = ["--answers", str(answers)] if with_answers else []
    args = ["build", "cnda-appeal", *extra, "--from", str(related), "--out", str(folder), "--force", "--today", day.isoformat()]
    result = run_in_process([*args, "--lang", "en"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {folder} would be written or replaced, and it holds {related}, which this command reads or saves: "
        "choose another --out (nothing was written).\n"
    )
    french = run_in_process([*args, "--lang", "fr"])
    assert (french.code, french.stdout) == (1, "")
    assert french.stderr == (
        f"Erreur : {folder} serait écrit ou remplacé, or il contient {related}, que cette commande lit ou enregistre : "
        "choisissez un autre --out (rien n'a été écrit).\n"
    )
    assert _tree(folder) == before


def _absence_with_attachment(where: Path, file: str) -> str:
    """interview-absence's example as of its pinned day, attaching ``file`` (from ``where``)."""
    from pinned_examples import pinned_example_text

    (where / file).parent.mkdir(parents=True, exist_ok=True)
    (where / file).write_bytes(b"%PDF-1.4 the convocation as scanned by the volunteer")
    return pinned_example_text("interview-absence") + f"attachments:\n  - file: {file}\n    description: Convocation\n"


ATTACHMENT_INSIDE = {
    "en": "this file is inside the --out folder, which the build would replace: move it elsewhere or choose another --out (nothing was written).",
    "fr": "ce fichier se trouve dans le dossier --out, qui serait remplacé : déplacez-le ailleurs ou choisissez un autre --out (rien n’a été écrit).",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_file_to_attach_inside_out_is_refused_even_with_force(tmp_path, lang):
    """Issue 14.5, files to attach: ``--out dir --force`` with ``dir/convocation.pdf`` to attach
    deleted the scan (left only inside the e-mail); the problem names the question, not the path."""
    from pinned_examples import EXAMPLE_DAY

    folder = tmp_path / "dir"
    answers = tmp_path / "absence.yaml"
    answers.write_text(_absence_with_attachment(tmp_path, "dir/convocation.pdf"), encoding="utf-8")
    (folder / "old-letter.docx").write_bytes(b"previous")
    before = _tree(folder)
    day = EXAMPLE_DAY["interview-absence"].isoformat()
    result = run_in_process(["build", "interview-absence", "--answers", str(answers), "--out", str(folder), "--force", "--today", day, "--lang", lang])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1].endswith(ATTACHMENT_INSIDE[lang]), result.stderr
    assert "convocation.pdf" not in result.stderr
    assert _tree(folder) == before


def test_a_batch_case_s_file_to_attach_inside_its_own_folder_is_refused_with_force(tmp_path):
    """The same in a batch: the case fails alone, its folder and scan are kept."""
    import yaml

    from pinned_examples import EXAMPLE_DAY

    out = tmp_path / "out"
    raw = yaml.safe_load(_absence_with_attachment(tmp_path, "out/haddad/convocation.pdf"))
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"case_id": "haddad", **raw}, ensure_ascii=False) + "\n", encoding="utf-8")
    before = _tree(out / "haddad")
    day = EXAMPLE_DAY["interview-absence"].isoformat()
    result = run_in_process(["batch", "interview-absence", str(cases), "--out", str(out), "--force", "--jobs", "1", "--today", day, "--lang", "en"])
    assert result.code == 1, (result.stdout, result.stderr)
    assert _tree(out / "haddad") == before
    import csv

    with open(out / "report.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["case_id"], row["status"], row["files"]) for row in rows] == [("haddad", "failed", "")]
    assert rows[0]["messages"].endswith(ATTACHMENT_INSIDE["en"]), rows[0]["messages"]


def test_a_save_file_with_a_name_too_long_is_refused_before_any_question(tmp_path):
    """``build --save <a name of 300 characters>`` was a traceback when the interview started."""
    info = _info()
    save = tmp_path / ("s" * 300 + ".yaml")
    for lang, expected in (
        ("en", f"Error: The name {save} is too long; nothing was written. Choose a shorter name.\n"),
        ("fr", f"Erreur : Le nom {save} est trop long ; rien n'a été écrit. Choisissez un nom plus court.\n"),
    ):
        result = run_in_process(["build", info.name, "--out", str(tmp_path / "out"), "--save", str(save), "--lang", lang])
        assert (result.code, result.stderr) == (1, expected)
        assert "Question 1 of about" not in result.stdout and "Question 1 sur" not in result.stdout  # refused before the first question
    assert sorted(os.listdir(tmp_path)) == []


def test_form_fill_values_are_read_as_an_answers_file_is(tmp_path):
    """Issue 14, ``form fill --values``: a duplicate key was accepted (the last one won), a
    JSON nested 100,000 deep was a traceback (RecursionError)."""
    out = tmp_path / "filled.pdf"
    duplicate = tmp_path / "duplicate.json"
    duplicate.write_text('{"users1_name_first": "Samira", "users1_name_first": "Leila"}', encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    for values, lang, expected in (
        (duplicate, "en", f"Error: The answers file {duplicate} cannot be read: an answer is given twice.\n"),
        (deep, "fr", f"Erreur : Le fichier de réponses {deep} ne peut pas être lu : ses réponses sont imbriquées sur plus de 100 niveaux.\n"),
    ):
        result = run_in_process(["form", "fill", str(FORM), "--values", str(values), "--out", str(out), "--lang", lang])
        assert (result.code, result.stdout, result.stderr) == (1, "", expected)
    assert not out.exists()


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["form", "fill", str(FORM), "--values", "/dev/zero", "--out", "{out}"],
         "Error: /dev/zero is not a regular file (a device, a pipe or a socket): give an answers file.\n"),
        (["form", "fill", "/dev/zero", "--values", "{values}", "--out", "{out}"],
         "Error: /dev/zero is not a regular file (a FIFO, a device or a socket): give the path of an ordinary file.\n"),
        (["form", "fields", "/dev/zero"], "Error: /dev/zero is not a regular file (a FIFO, a device or a socket): give the path of an ordinary file.\n"),
    ],
    ids=["values", "form-to-fill", "form-to-list"],
)
def test_form_inputs_that_never_end_are_refused_at_once(tmp_path, argv, expected):
    """``/dev/zero`` as a form or as its values was read until memory was gone."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    out = tmp_path / "filled.pdf"
    values = _values(tmp_path)
    args = [arg.format(out=out, values=values) for arg in argv]
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *args, "--lang", "en"], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)
    assert not out.exists()


def test_form_fill_out_that_is_an_input_is_refused(tmp_path):
    values = _values(tmp_path)
    before = values.read_bytes()
    result = run_in_process(["form", "fill", str(FORM), "--values", str(values), "--out", str(values), "--force", "--lang", "en"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {values} is a file this command reads or saves: choose another --out (nothing was written).\n"
    assert values.read_bytes() == before


def test_batch_cases_inside_a_case_folder_it_would_replace_is_refused(tmp_path):
    info = _info()
    example = _answers(tmp_path, "Haddad").read_text(encoding="utf-8")
    import yaml

    out = tmp_path / "out"
    (out / "haddad").mkdir(parents=True)
    cases = out / "haddad" / "cases.jsonl"
    cases.write_text(json.dumps({"case_id": "haddad", **yaml.safe_load(example)}) + "\n", encoding="utf-8")
    before = _tree(out)
    result = run_in_process(["batch", info.name, str(cases), "--out", str(out), "--force", "--today", info.today_arg, "--lang", "en"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {out / 'haddad'} would be written or replaced, and it holds {cases}, which this command reads or saves: "
        "choose another --out (nothing was written).\n"
    )
    assert _tree(out) == before


# --- 8. case encrypt / decrypt --out: private folders whatever the umask ----------------------


def test_case_encrypt_and_decrypt_create_private_folders_at_umask_000(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYLUMDOCS_PASSPHRASE", "correct horse battery staple")
    clear = _answers(tmp_path, "Haddad")
    old_mask = os.umask(0)
    try:
        encrypted = run_in_process(["case", "encrypt", str(clear), "--out", str(tmp_path / "a" / "b" / "c" / "case.yaml.age"), "--lang", "en"])
        decrypted = run_in_process(
            ["case", "decrypt", str(tmp_path / "a" / "b" / "c" / "case.yaml.age"), "--out", str(tmp_path / "d" / "e" / "case.yaml"), "--lang", "en"]
        )
    finally:
        os.umask(old_mask)
    assert encrypted.code == 0, encrypted.stderr
    assert decrypted.code == 0, decrypted.stderr
    for folder in ("a", "a/b", "a/b/c", "d", "d/e"):
        assert stat.S_IMODE(os.stat(tmp_path / folder).st_mode) == 0o700, folder
    for file in ("a/b/c/case.yaml.age", "d/e/case.yaml"):
        assert stat.S_IMODE(os.stat(tmp_path / file).st_mode) == 0o600, file
    assert (tmp_path / "d" / "e" / "case.yaml").read_bytes() == clear.read_bytes()


# --- 9. --ics: no link followed, no FIFO opened -----------------------------------------------

ICS = ["deadline", "reexamination", "--registered", "2026-04-03", "--today", "2026-04-03", "--lang", "en", "--ics"]


def test_ics_never_follows_a_dangling_symbolic_link(tmp_path):
    target = tmp_path / "created-elsewhere.ics"
    link = tmp_path / "event.ics"
    link.symlink_to(target)
    result = run_in_process([*ICS, str(link)])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {link} is a symbolic link: give the path of a real file (symbolic links are not followed).\n"
    assert not target.exists() and os.readlink(link) == str(target)


def test_ics_on_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "event.ics"
    os.mkfifo(fifo)
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *ICS, str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,  # the old code waited forever for a writer
        env={**os.environ, "ASYLUMDOCS_LANG": "en"},
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Error: {fifo} is not a regular file (a FIFO, a device or a socket): give the path of an ordinary file.\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert time.monotonic() - start < 60


# --- 14. --out paths that cannot be written, a full disk, a full stdout ---------------------


def _hostile_out(kind: str, tmp_path: Path, monkeypatch) -> tuple[Path, str]:
    """``--out`` of one kind, and the message expected (after "Error: ")."""
    if kind == "symlink-to-folder":
        real = tmp_path / "real"
        real.mkdir()
        out = tmp_path / "link"
        out.symlink_to(real)
        return out, f"{out} is a symbolic link: give --out a real folder or file (symbolic links are not followed; nothing was written)."
    if kind == "dangling-symlink":
        out = tmp_path / "link"
        out.symlink_to(tmp_path / "would-be-created")
        return out, f"{out} is a symbolic link: give --out a real folder or file (symbolic links are not followed; nothing was written)."
    if kind == "current-folder":
        monkeypatch.chdir(tmp_path)
        return Path("."), ". is the current folder, the home folder or a folder above them: give --out a new folder of its own (nothing was written)."
    if kind == "unwritable-parent":
        if os.geteuid() == 0:
            pytest.skip("root writes in read-only folders")
        parent = tmp_path / "locked"
        parent.mkdir(mode=0o500)
        return parent / "case", f"{parent / 'case'} cannot be written (permission denied); nothing was written."
    if kind == "name-too-long":
        out = tmp_path / ("x" * 240)
        return out, f"The name {out} is too long; nothing was written. Choose a shorter name."
    if kind == "path-too-long":
        out = tmp_path / "/".join(["y" * 200] * 25)
        return out, f"The name {out} is too long; nothing was written. Choose a shorter name."
    if kind == "under-a-file":
        (tmp_path / "a-file").write_text("x")
        out = tmp_path / "a-file" / "case"
        return out, f"A part of {out} is a file, not a folder; nothing was written."
    if kind == "in-proc":
        if not Path("/proc/self").exists():
            pytest.skip("no /proc on this system")
        out = Path("/proc/asylumdocs-hostile-test")
        return out, f"A folder of {out} does not exist or cannot hold files; nothing was written."
    raise AssertionError(kind)


KINDS = ["symlink-to-folder", "dangling-symlink", "current-folder", "unwritable-parent", "name-too-long", "path-too-long", "under-a-file", "in-proc"]


@pytest.mark.parametrize("kind", KINDS)
def test_out_that_cannot_be_written_is_one_clear_message(tmp_path, monkeypatch, kind):
    answers = _answers(tmp_path, "Haddad")
    work = tmp_path / "work"
    work.mkdir()
    out, message = _hostile_out(kind, work, monkeypatch)
    before = _tree(work)
    for extra in ([], ["--force"]):
        result = run_in_process(_build_args(answers, out, *extra))
        assert (result.code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n"), extra
        assert _tree(work) == before, "nothing written, nothing of the user's removed"
    if kind in ("symlink-to-folder", "dangling-symlink"):
        assert not (work / "would-be-created").exists()


def test_disk_full_during_a_build_removes_the_staging_folder(tmp_path, monkeypatch):
    from docassemble_asylum import output

    answers = _answers(tmp_path, "Haddad")
    work = tmp_path / "work"
    work.mkdir()
    real_write, count = output.write_private, [0]

    def write_private(path, data):
        count[0] += 1
        if count[0] == 2:
            real_write(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(path, data)

    monkeypatch.setattr(output, "write_private", write_private)
    out = work / "case"
    result = run_in_process(_build_args(answers, out))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == f"Error: There is no space left on the disk for {out}; nothing was written. Free some space and try again.\n"
    assert os.listdir(work) == []


def test_stdout_to_dev_full_is_a_message_not_a_traceback(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    answers = _answers(tmp_path, "Haddad")
    out = tmp_path / "case"
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "docassemble_asylum", *_build_args(answers, out)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            env={**os.environ, "ASYLUMDOCS_LANG": "en"},
        )
    assert result.returncode == 1
    assert result.stderr == "Error: the output could not be written to standard output (no space left on the device).\n"
    assert_complete_case_folder(out)  # the documents themselves were written before the report


@pytest.mark.parametrize(
    "env_lang, expected",
    [
        ("en", "Error: the output could not be written to standard output (no space left on the device).\n"),
        ("fr", "Erreur : la sortie n'a pas pu être écrite sur la sortie standard (plus de place sur le périphérique).\n"),
    ],
)
@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["deadline", "--help"]])
def test_help_and_version_to_dev_full_speak_the_environment_s_language(argv, env_lang, expected):
    """--help and --version stop before any --lang is read: their message was French whatever the locale."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "docassemble_asylum", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "ASYLUMDOCS_LANG": env_lang},
        )
    assert (result.returncode, result.stderr) == (1, expected)


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "Error: {out} cannot be written (the file is larger than this disk or this account allows); nothing was written.\n"),
        ("fr", "Erreur : {out} ne peut pas être écrit (le fichier dépasse la taille que permettent ce disque ou ce compte) ; rien n'a été écrit.\n"),
    ],
)
def test_a_file_size_limit_is_a_message_in_the_user_s_language(tmp_path, lang, expected):
    """A write refused with EFBIG (``ulimit -f``): the reason was the system's English text."""
    import resource

    answers = _answers(tmp_path, "Haddad")
    out = tmp_path / "case"

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))  # Python ignores SIGXFSZ: writes fail with EFBIG

    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *_build_args(answers, out)[:-2], "--lang", lang],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_files,
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected.format(out=out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"], "nothing half-written"
