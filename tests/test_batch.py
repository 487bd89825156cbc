"""``asylumdocs batch``: many cases, one report, every case folder complete or absent.

Each test builds real cases (fictional data) and asserts what the user gets: the case
folders and their files, the text of the DOCX, report.csv row by row, summary.txt, the
exit status; with --pdf, the number of LibreOffice runs and the PDFs' text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest
import yaml

from conftest import dead_pid, killed_conversion, process_running, require_tool, run_cli
from docassemble_asylum.batch import engine, inputs
from docassemble_asylum.render.docx import docx_text
from pinned_examples import pinned_example_text

TODAY = "2026-04-28"
FILES = ["manifest.json", "recours-cnda.docx", "summary.docx"]

@pytest.fixture(autouse=True)
def english_messages():
    """In-process calls speak English here, whatever the machine's locale (the CLI runs get --lang)."""
    from docassemble_asylum.i18n import language

    with language("en"):
        yield



def example_data() -> dict:
    return yaml.safe_load(pinned_example_text("cnda-appeal"))


def case_named(family_name: str, **changes) -> dict:
    data = example_data()
    data["applicant"]["family_name"] = family_name
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        node[last] = value
    return data


def write_jsonl(path: Path, lines: list) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n")
    return path


def read_report(out: Path) -> list[dict]:
    raw = (out / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for spreadsheets"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def batch(*args: str, lang: str = "en", env: dict | None = None):
    return run_cli("batch", "cnda-appeal", *args, "--today", TODAY, "--lang", lang, env=env)


def flatten(data, prefix: str = "") -> dict[str, str]:
    """Answers -> CSV columns (dotted paths, list indexes)."""
    cells: dict[str, str] = {}
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            cells.update(flatten(value, path + "."))
        elif isinstance(value, bool):
            cells[path] = "oui" if value else "non"
        else:
            cells[path] = "" if value is None else str(value)
    return cells


# --- JSONL: good cases built, bad ones reported, exit 1 ------------------------------------


def test_jsonl_builds_good_cases_and_reports_bad_ones(tmp_path):
    bad_date = case_named("Martin", decision__date="2026-02-30")
    cases = write_jsonl(
        tmp_path / "cases.jsonl",
        [
            {"case_id": "dossier-A", **case_named("Haddad")},
            {"case_id": "dossier-B", **bad_date},
            "",
            "{this is not json",
            {**case_named("Nguyễn Văn")},
        ],
    )
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["dossier-A", "line-0005", "report.csv", "summary.txt"]
    for folder in ("dossier-A", "line-0005"):
        assert sorted(p.name for p in (out / folder).iterdir()) == FILES
        assert stat.S_IMODE((out / folder).stat().st_mode) == 0o700
    assert "HADDAD" in docx_text((out / "dossier-A" / "recours-cnda.docx").read_bytes())
    assert "NGUYỄN VĂN" in docx_text((out / "line-0005" / "recours-cnda.docx").read_bytes())

    rows = read_report(out)
    assert [(r["case_id"], r["status"]) for r in rows] == [
        ("dossier-A", "built"),
        ("dossier-B", "failed"),
        ("line-0004", "failed"),
        ("line-0005", "built"),
    ]
    assert rows[0]["files"] == "recours-cnda.docx;summary.docx;manifest.json"
    assert rows[0]["messages"] == ""
    assert "(decision.date): not a valid date" in rows[1]["messages"]
    assert "2026-02-30" not in rows[1]["messages"], "messages never repeat the values"
    assert rows[2]["messages"] == "Line 4 is not valid JSON (at character 2)."

    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "2 cases built" in summary and "2 cases failed" in summary
    assert "dossier-B\n  The answers have 1 problem; nothing was written:\n    - “Contested Ofpra decision › Date of the Ofpra decision” (decision.date)" in summary
    # Printed: counts and the failed ids, never their problems (which can quote the case).
    assert result.stdout == "\n".join(
        [
            "asylumdocs batch — Appeal to the CNDA",
            f"Cases read from: {cases}",
            f"Documents in: {out.resolve()} (one folder per case)",
            "",
            "2 cases built",
            "2 cases failed",
            "",
            "Failed cases (nothing was written for them; fix the answers and run them again):",
            "  dossier-B",
            "  line-0004",
            "",
            f"The problems of each failed case: {out.resolve() / 'summary.txt'}",
            "",
            f"Every case, with the files written or the problems found: {out.resolve() / 'report.csv'}",
            "",
        ]
    )
    # not a terminal: plain progress lines, one per case
    assert "[1/4] dossier-A: built" in result.stderr
    assert "[2/4] dossier-B: FAILED" in result.stderr


def test_summary_in_french(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", [case_named("Haddad"), case_named("Martin", decision__date="2026-02-30")])
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--jobs", "1", lang="fr")
    assert result.returncode == 1
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "1 dossier prêt" in summary
    assert "1 dossier en échec" in summary
    assert "Dossiers en échec" in summary
    assert read_report(out)[1]["status"] == "failed", "report statuses stay machine-readable"


def test_all_built_exits_zero_and_jobs_give_the_same_files(tmp_path):
    lines = [{"case_id": f"c{i}", **case_named(f"Nom{i}")} for i in range(6)]
    cases = write_jsonl(tmp_path / "cases.jsonl", lines)
    one, two = tmp_path / "one", tmp_path / "two"
    assert batch(str(cases), "--out", str(one), "--jobs", "1").returncode == 0
    assert batch(str(cases), "--out", str(two), "--jobs", "2").returncode == 0
    assert [r["case_id"] for r in read_report(two)] == [f"c{i}" for i in range(6)], "input order"
    for i in range(6):
        for name in FILES:
            assert (one / f"c{i}" / name).read_bytes() == (two / f"c{i}" / name).read_bytes()


# --- CSV ------------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ";") -> Path:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter=delimiter, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_one_column_per_answer_path(tmp_path):
    first = flatten(case_named("Haddad"))
    first["exhibits.0.translated"] = "non"
    first["applicant.lives_overseas"] = "Oui"
    first["case_id"] = "Dossier Éloïse/1"
    second = flatten(case_named("Martin"))
    second["applicant.date_of_birth"] = "17/08/1994"  # a spreadsheet's date: refused, named
    second["exhibits.2.title"] = ""  # an empty cell is an answer not given
    assert "exhibits.0.title" in first and "applicant.other_names.1" in first
    cases = write_csv(tmp_path / "cases.csv", [first, second])
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--jobs", "1")
    assert result.returncode == 1, result.stderr
    rows = read_report(out)
    assert [(r["case_id"], r["status"]) for r in rows] == [("Dossier-Eloise-1", "built"), ("row-0003", "failed")]
    assert "(applicant.date_of_birth): not a valid date" in rows[1]["messages"]
    text = docx_text((out / "Dossier-Eloise-1" / "recours-cnda.docx").read_bytes())
    assert "HADDAD" in text
    assert "Convocation de la police d’Idlib du 5\u00a0mars 2024" in text  # the French letter is typeset
    assert "Samira Hadad, سميرة حداد" in text
    summary_text = docx_text((out / "Dossier-Eloise-1" / "summary.docx").read_bytes())
    assert "Copie de l'attestation de demande d'asile" in summary_text
    assert not (out / "row-0003").exists()


def test_csv_yes_no_answers_and_empty_cells():
    from docassemble_asylum.models.cnda_appeal import CndaAppeal

    header = ["case_id", "applicant.lives_overseas", "exhibits.0.title", "exhibits.0.translated", "exhibits.1.title", "exhibits.2.title", "hearing_language"]
    columns = inputs.parse_header(header, CndaAppeal)
    assert [c.boolean for c in columns] == [False, True, False, True, False, False, False]
    answers = inputs.csv_answers(columns, ["x", "Oui", "Pièce A", "non", "", "Pièce C", "non"], row=2)
    assert answers == {
        "applicant": {"lives_overseas": True},
        "exhibits": [{"title": "Pièce A", "translated": False}, {"title": "Pièce C"}],
        "hearing_language": "non",  # a text answer keeps the word
    }


def test_csv_bad_header_is_refused_before_anything_is_written(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("applicant,applicant.family_name,exhibits.0.title,exhibits.title,a..b\nx,y,z,w,v\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out))
    assert result.returncode == 1
    assert "The header of the CSV file has 3 problems" in result.stderr
    assert "“applicant” and “applicant.family_name”" in result.stderr
    assert "“exhibits”: its columns mix list positions" in result.stderr
    assert "“a..b”: an empty part" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_csv_not_utf8_is_explained(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_bytes("applicant.family_name;facts\nHaddad;Né à Idlib\n".encode("cp1252"))
    result = batch(str(cases), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "CSV UTF-8" in result.stderr


# --- a folder of answers files --------------------------------------------------------------


def test_folder_of_answers_files(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "haddad.yaml").write_text(yaml.safe_dump(case_named("Haddad"), allow_unicode=True), encoding="utf-8")
    (folder / "martin.json").write_text(json.dumps(case_named("Martin"), ensure_ascii=False), encoding="utf-8")
    (folder / "broken.yml").write_text("applicant:\n  family_name: A\n  family_name: B\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(str(folder), "--out", str(out))
    assert result.returncode == 1
    rows = {r["case_id"]: r for r in read_report(out)}
    assert sorted(rows) == ["broken", "haddad", "martin"]
    assert rows["haddad"]["status"] == rows["martin"]["status"] == "built"
    assert rows["broken"]["status"] == "failed"
    assert "“family_name” is given twice (line 3)" in rows["broken"]["messages"]
    assert "MARTIN" in docx_text((out / "martin" / "recours-cnda.docx").read_bytes())


# --- refusals before anything is written ------------------------------------------------------


def test_existing_case_folders_need_force(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}, {"case_id": "b", **case_named("Martin")}])
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "mine.txt").write_text("keep me", encoding="utf-8")
    result = batch(str(cases), "--out", str(out))
    assert result.returncode == 1
    assert "already holds 1 of these cases" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a"], "nothing written, not even the report"
    assert (out / "a" / "mine.txt").read_text(encoding="utf-8") == "keep me"

    result = batch(str(cases), "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "a").iterdir()) == FILES
    # A second run without --force is refused (the cases and the report exist) …
    assert batch(str(cases), "--out", str(out)).returncode == 1
    # … and a batch of other cases into the same folder is refused because of the report.
    other = write_jsonl(tmp_path / "other.jsonl", [{"case_id": "c", **case_named("Nguyen")}])
    refused = batch(str(other), "--out", str(out))
    assert refused.returncode == 1 and "report of an earlier batch" in refused.stderr
    assert not (out / "c").exists()


def test_duplicate_case_ids_are_refused(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "same", **case_named("A")}, {"case_id": "same", **case_named("B")}])
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out))
    assert result.returncode == 1
    assert "“same”: line 1 and line 2" in result.stderr
    assert not out.exists()


def test_unknown_input_kind_and_empty_input(tmp_path):
    other = tmp_path / "cases.txt"
    other.write_text("x", encoding="utf-8")
    result = batch(str(other), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "give a JSONL file" in result.stderr
    empty = write_jsonl(tmp_path / "empty.jsonl", ["", ""])
    result = batch(str(empty), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "No case found" in result.stderr
    assert not (tmp_path / "out").exists()



def paths_that_cannot_be_used(folder):
    """A file where a folder is expected (``afile``) and two symbolic links that point at
    each other (``loop-a``, ``loop-b``): paths no batch can read from or write to."""
    (folder / "afile").write_text("x", encoding="utf-8")
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")

def test_a_cases_path_that_cannot_be_looked_at_is_one_message(tmp_path):
    """A name too long was a traceback (pathlib's is_dir raised); a file in the path or a
    loop of links said "does not exist"."""
    paths_that_cannot_be_used(tmp_path)
    long = tmp_path / ("z" * 300 + ".jsonl")
    from docassemble_asylum.errors import printable

    shown = printable(str(long))  # shortened, with "…"
    assert shown.endswith("…")
    out = tmp_path / "out"
    for path, lang, expected in (
        (long, "en", f"Error: The cases file {shown} cannot be read (the path is too long).\n"),
        (long, "fr", f"Erreur : Le fichier des dossiers {shown} ne peut pas être lu (le chemin est trop long).\n"),
        (tmp_path / "afile" / "x.jsonl", "en", f"Error: The cases file {tmp_path / 'afile' / 'x.jsonl'} cannot be read (a part of the path is a file, not a folder).\n"),
        (tmp_path / "loop-a", "en", f"Error: The cases file {tmp_path / 'loop-a'} cannot be read (a loop of symbolic links).\n"),
        (tmp_path / "missing.jsonl", "en", f"Error: The cases file {tmp_path / 'missing.jsonl'} does not exist.\n"),
    ):
        result = batch(str(path), "--out", str(out), lang=lang)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)
    assert not out.exists()


def test_an_out_that_cannot_hold_the_cases_is_one_message(tmp_path):
    """``batch --out``: a name too long, a file in the path and a loop of links were
    tracebacks; a link to nothing ended in "the report cannot be written (No such file...)"."""
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}])
    paths_that_cannot_be_used(tmp_path)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    long = tmp_path / ("w" * 300)
    from docassemble_asylum.errors import printable  # at most 300 characters printed, then "…"

    before = sorted(p.name for p in tmp_path.iterdir())
    for out, lang, expected in (
        (long, "en", f"Error: The name {printable(str(long))} is too long; nothing was written. Choose a shorter name.\n"),
        (tmp_path / "afile" / "x", "fr", f"Erreur : Une partie du chemin {tmp_path / 'afile' / 'x'} est un fichier, pas un dossier ; rien n'a été écrit.\n"),
        (tmp_path / "loop-a", "en", f"Error: {tmp_path / 'loop-a'} goes through a symbolic link that loops; nothing was written.\n"),
        (tmp_path / "dangling", "en", f"Error: A folder of {tmp_path / 'dangling'} does not exist or cannot hold files; nothing was written.\n"),
    ):
        result = batch(str(cases), "--out", str(out), lang=lang)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    "value, expected",
    [("Dossier Éloïse/1", "Dossier-Eloise-1"), ("../../etc", "etc"), ("report.csv", "case-report.csv"), ("  ", ""), ("سميرة", "")],
)
def test_case_ids_are_safe_folder_names(value, expected):
    assert inputs.safe_case_id(value) == expected


# --- streaming, processes, progress -----------------------------------------------------------


def test_input_is_streamed_not_read_ahead(tmp_path):
    """Memory stays flat: at the first result only a bounded window of cases was read."""
    pulled = 0

    def endless():
        nonlocal pulled
        for number in range(1, 2001):
            pulled += 1
            yield inputs.Case(number, f"line-{number:04d}", "jsonl", number, b"{broken")

    seen: list[int] = []
    first_seen_at: list[int] = []

    def on_result(result):
        if not first_seen_at:
            first_seen_at.append(pulled)
        seen.append(1)

    import datetime as dt

    settings = engine.Settings("cnda-appeal", tmp_path / "out", dt.date(2026, 4, 28), "en")
    engine.run(endless(), settings, jobs=2, size=4, on_result=on_result)
    assert len(seen) == 2000
    assert first_seen_at[0] <= (2 * 2 + 1) * 4, f"{first_seen_at[0]} cases read before the first result"


def test_default_jobs_is_the_available_cores():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert engine.default_jobs() == expected


def test_progress_bar_on_a_terminal():
    from docassemble_asylum.batch.report import Progress

    stream = io.StringIO()
    with Progress(3, interactive=True, stream=stream) as progress:
        for status in ("built", "failed", "built"):
            progress.advance(engine.CaseResult("x", status))
    output = stream.getvalue()
    assert "3/3" in output and "1 failed" in output
    assert "[1/3]" not in output


# --- with --pdf: one LibreOffice run for many cases -------------------------------------------


def logging_soffice(directory: Path, log: Path, drop: str = "") -> Path:
    """A ``soffice`` that logs its arguments, runs the real one, and may lose one PDF."""
    real = require_tool("soffice")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "soffice"
    path.write_text(
        f"""#!{sys.executable}
import json, pathlib, subprocess, sys
args = sys.argv[1:]
with open({str(log)!r}, "a") as handle:
    handle.write(json.dumps(args) + "\\n")
status = subprocess.call([{real!r}, *args])
if {drop!r}:
    outdir = pathlib.Path(args[args.index("--outdir") + 1])
    for pdf in outdir.glob("*{drop}*.pdf"):
        pdf.unlink()
sys.exit(status)
""",
        encoding="utf-8",
    )
    path.chmod(0o755)
    return path


def test_pdf_batch_converts_many_cases_in_one_libreoffice_run(tmp_path):
    log = tmp_path / "soffice.log"
    program = logging_soffice(tmp_path / "bin", log)
    names = ["Haddad", "Martin", "Nguyen", "Petrov"]
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n.lower(), **case_named(n)} for n in names])
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--pdf", "--jobs", "1", env={"ASYLUMDOCS_SOFFICE": str(program)})
    assert result.returncode == 0, result.stderr + result.stdout
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(runs) == 1, "one LibreOffice run for the 4 cases"
    assert sum(1 for a in runs[0] if a.endswith(".docx")) == 8
    for name in names:
        folder = out / name.lower()
        assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "recours-cnda.docx", "recours-cnda.pdf", "summary.docx", "summary.pdf"]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert [f["name"] for f in manifest["files"]] == ["recours-cnda.docx", "recours-cnda.pdf", "summary.docx", "summary.pdf"]
        text = _pdf_text(folder / "recours-cnda.pdf")
        assert name.upper() in text  # each case got its own PDF, not a neighbour's


def test_pdf_batch_case_without_its_pdf_fails_alone_and_is_absent(tmp_path):
    log = tmp_path / "soffice.log"
    program = logging_soffice(tmp_path / "bin", log, drop="0000001-recours")  # martin is case 1
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n, **case_named(n.title())} for n in ("haddad", "martin", "nguyen")])
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--pdf", "--jobs", "2", env={"ASYLUMDOCS_SOFFICE": str(program)})
    assert result.returncode == 1
    rows = {r["case_id"]: r for r in read_report(out)}
    assert rows["martin"]["status"] == "failed"
    assert rows["martin"]["messages"] == "LibreOffice did not write the PDF of: recours-cnda.docx."
    assert not (out / "martin").exists(), "complete or absent"
    for name in ("haddad", "nguyen"):
        assert rows[name]["status"] == "built"
        assert (out / name / "recours-cnda.pdf").read_bytes().startswith(b"%PDF-")
    # 2 workers, one shared run each, plus one retry of martin's letter alone
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(runs) == 3
    assert [sum(1 for a in run if a.endswith(".docx")) for run in runs].count(1) == 1
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no staging left behind"


def _pdf_text(path: Path) -> str:
    import subprocess

    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


# --- encrypted answers files in a folder ----------------------------------------------------

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def sealed_cases():
    """The example case encrypted once with PASSPHRASE and once with another passphrase
    (scrypt costs about a second each: made once for the module)."""
    from docassemble_asylum import crypto

    clear = yaml.safe_dump(case_named("Haddad"), allow_unicode=True).encode()
    return {
        "good": crypto.encrypt_bytes(clear, passphrase=PASSPHRASE),
        "other": crypto.encrypt_bytes(clear, passphrase="another passphrase"),
    }


def _key_pair(tmp_path: Path):
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n", encoding="utf-8")
    return key, identity.to_public()


def test_folder_builds_encrypted_answers_files_too(tmp_path, sealed_cases):
    import pyrage

    key, public = _key_pair(tmp_path)
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "haddad.yaml.age").write_bytes(sealed_cases["good"])  # as `case encrypt` writes it
    (folder / "martin.json").write_text(json.dumps(case_named("Martin"), ensure_ascii=False), encoding="utf-8")
    clear = yaml.safe_dump(case_named("Nguyen"), allow_unicode=True).encode()
    (folder / "nguyen.age").write_bytes(pyrage.encrypt(clear, [public]))  # for a key
    (folder / "petrov.yml.age").write_bytes(sealed_cases["other"])  # another passphrase
    (folder / "scan.pdf.age").write_bytes(b"age-encryption.org/v1\nnot an answers file")  # not a case
    out = tmp_path / "out"
    env = {"ASYLUMDOCS_PASSPHRASE": PASSPHRASE, "ASYLUMDOCS_IDENTITY": str(key)}
    result = batch(str(folder), "--out", str(out), "--jobs", "2", env=env)
    assert result.returncode == 1, result.stderr
    rows = read_report(out)
    assert [(r["case_id"], r["status"]) for r in rows] == [
        ("haddad", "built"),
        ("martin", "built"),
        ("nguyen", "built"),
        ("petrov", "failed"),
    ]
    assert rows[3]["messages"] == f"Cannot decrypt {folder / 'petrov.yml.age'}: wrong passphrase (or the file was damaged)."
    assert "HADDAD" in docx_text((out / "haddad" / "recours-cnda.docx").read_bytes())
    assert "NGUYEN" in docx_text((out / "nguyen" / "recours-cnda.docx").read_bytes())
    assert sorted(p.name for p in (out / "haddad").iterdir()) == FILES
    assert not list(out.rglob("*.yaml")), "no clear copy of an encrypted case"
    # The manifest records the clear answers' digest, as `build --answers FILE.age` does.
    import hashlib

    manifest = json.loads((out / "haddad" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_sha256"] == hashlib.sha256(yaml.safe_dump(case_named("Haddad"), allow_unicode=True).encode()).hexdigest()


def test_encrypted_files_without_their_key_are_refused_before_anything_is_written(tmp_path, sealed_cases):
    import pyrage

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml.age").write_bytes(sealed_cases["good"])
    (folder / "b.yaml.age").write_bytes(sealed_cases["good"])
    (folder / "c.yaml").write_text(yaml.safe_dump(case_named("Martin"), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    no_keys = {"ASYLUMDOCS_PASSPHRASE": "", "ASYLUMDOCS_IDENTITY": ""}
    # No terminal (stdin is a pipe) and no ASYLUMDOCS_PASSPHRASE: refused, nothing written.
    result = run_cli("batch", "cnda-appeal", str(folder), "--out", str(out), "--today", TODAY, "--lang", "en", env=no_keys, input="")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: 2 answers files in {folder} are encrypted with a passphrase, and there is no terminal to ask it; "
        "nothing was written. Run the batch in a terminal (the passphrase is asked once for the whole batch), "
        "or set the environment variable ASYLUMDOCS_PASSPHRASE."
    )
    assert not out.exists()
    # Encrypted for a key, and no ASYLUMDOCS_IDENTITY: refused the same way.
    (folder / "a.yaml.age").write_bytes(pyrage.encrypt(b"facts: x\n", [_key_pair(tmp_path)[1]]))
    result = run_cli("batch", "cnda-appeal", str(folder), "--out", str(out), "--today", TODAY, "--lang", "fr", env=no_keys, input="")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Erreur : 1 fichier de réponses est chiffré pour une clé, pas avec une phrase de passe (a.yaml.age) ; rien n'a été écrit. "
        "Indiquez le fichier de la clé privée dans la variable d'environnement ASYLUMDOCS_IDENTITY, puis relancez le lot."
    )
    assert not out.exists()


def test_passphrase_is_asked_once_for_the_whole_batch(tmp_path, sealed_cases, terminal):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("a.yaml.age", "b.yaml.age", "c.yaml.age"):
        (folder / name).write_bytes(sealed_cases["good"])
    (folder / "d.yaml.age").write_bytes(sealed_cases["other"])
    out = tmp_path / "out"
    env = {**os.environ, "ASYLUMDOCS_LANG": "en", "ASYLUMDOCS_PASSPHRASE": "", "ASYLUMDOCS_IDENTITY": ""}
    child = terminal.asylumdocs("batch", "cnda-appeal", str(folder), "--out", str(out), "--today", TODAY, "--jobs", "2", env=env, dimensions=(24, 80))
    child.expect_exact(f"Passphrase for the 4 encrypted answers files of {folder}: ")
    child.sendline("a typo")
    child.expect_exact("This passphrase does not open a.yaml.age; try again.")
    child.expect_exact(f"Passphrase for the 4 encrypted answers files of {folder}: ")
    child.sendline(PASSPHRASE)
    rest = child.read()
    child.close()
    assert child.exitstatus == 1, rest
    assert "Passphrase" not in rest, "asked once, never again while the cases are built"
    rows = read_report(out)
    assert [(r["case_id"], r["status"]) for r in rows] == [("a", "built"), ("b", "built"), ("c", "built"), ("d", "failed")]
    assert rows[3]["messages"] == f"Cannot decrypt {folder / 'd.yaml.age'}: wrong passphrase (or the file was damaged)."


def test_a_case_kept_clear_and_encrypted_is_refused(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "haddad.yaml").write_text(yaml.safe_dump(case_named("Haddad"), allow_unicode=True), encoding="utf-8")
    (folder / "haddad.yaml.age").write_bytes(b"age-encryption.org/v1\n")
    out = tmp_path / "out"
    result = batch(str(folder), "--out", str(out))
    assert result.returncode == 1
    assert (
        "“haddad”: file haddad.yaml and file haddad.yaml.age, the same case clear and encrypted: keep only one of them in the folder"
        in result.stderr
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "name, is_case, stem",
    [
        ("haddad.yaml", True, "haddad"),
        ("haddad.yaml.age", True, "haddad"),
        ("haddad.YML.AGE", True, "haddad"),
        ("haddad.json.age", True, "haddad"),
        ("haddad.age", True, "haddad"),
        ("scan.pdf.age", False, None),
        ("notes.txt", False, None),
        (".age", False, None),
        (".yaml.age", False, None),
    ],
)
def test_which_files_of_a_folder_are_cases(name, is_case, stem):
    assert inputs.is_answers_file_name(name) is is_case
    if stem is not None:
        assert inputs.case_stem(name) == stem


# --- folders batch creates, and the PDF staging folder ---------------------------------------


def test_folders_batch_creates_are_private(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}])
    out = tmp_path / "new" / "nested" / "out"
    result = batch(str(cases), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "new", tmp_path / "new" / "nested", out, out / "a"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for name in ("report.csv", "summary.txt", "a/recours-cnda.docx"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name


def _blank_pdf(path: Path) -> Path:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path)
    return path


def staging_soffice(directory: Path, log: Path, *, hang: bool = False) -> Path:
    """A fake ``soffice`` that records where its inputs, profile and TMPDIR are (and their
    modes), then writes a blank PDF per input, or hangs (to be killed)."""
    directory.mkdir(parents=True, exist_ok=True)
    blank = _blank_pdf(directory / "blank.pdf")
    path = directory / "soffice"
    path.write_text(
        f"""#!{sys.executable}
import json, os, pathlib, shutil, stat, sys, time
args = sys.argv[1:]
inputs = [pathlib.Path(a) for a in args if a.endswith(".docx")]
scratch = inputs[0].parent.parent
profile = next(a for a in args if a.startswith("-env:UserInstallation=")).split("file://", 1)[1]
record = {{"pid": os.getpid(), "scratch": str(scratch), "mode": stat.S_IMODE(scratch.stat().st_mode),
          "docx_mode": stat.S_IMODE(inputs[0].parent.stat().st_mode), "profile": profile, "tmpdir": os.environ.get("TMPDIR")}}
with open({str(log)!r}, "a") as handle:
    handle.write(json.dumps(record) + "\\n")
if {hang!r}:
    time.sleep(120)
outdir = pathlib.Path(args[args.index("--outdir") + 1])
for docx in inputs:
    shutil.copy({str(blank)!r}, outdir / (docx.stem + ".pdf"))
""",
        encoding="utf-8",
    )
    path.chmod(0o755)
    return path



def test_pdf_staging_is_private_inside_the_output_folder_and_removed(tmp_path):
    log = tmp_path / "soffice.log"
    program = staging_soffice(tmp_path / "bin", log)
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n, **case_named(n.title())} for n in ("haddad", "martin")])
    out = tmp_path / "out"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    # What a batch and a build killed during a conversion leave: removed by the next run.
    out.mkdir(mode=0o700)
    stale = killed_conversion(temporary, out)
    stale_build = killed_conversion(temporary)
    assert len(stale) == 2 and len(stale_build) == 2, (stale, stale_build)
    # The user's own hidden folder with a name like the old scratch names, made by a
    # process that is gone: never ours to delete.
    mine = out / f".asylumdocs-pdf-{dead_pid()}-x1y2z3"
    mine.mkdir()
    result = batch(
        str(cases), "--out", str(out), "--pdf", "--jobs", "1",
        env={"ASYLUMDOCS_SOFFICE": str(program), "TMPDIR": str(temporary)},
    )
    assert result.returncode == 0, result.stderr
    (run,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    scratch = Path(run["scratch"])
    assert scratch.parent == out.resolve() and scratch.name.startswith(".asylumdocs-pdf.partial-"), scratch
    assert run["mode"] == 0o700 and run["docx_mode"] == 0o700
    assert Path(run["profile"]).parent == scratch, "LibreOffice's profile is in the same private folder"
    assert Path(run["tmpdir"]).parent == scratch, "and so are LibreOffice's temporary files"
    assert not scratch.exists(), "removed after the run"
    assert sorted(p.name for p in out.iterdir()) == [mine.name, "haddad", "martin", "report.csv", "summary.txt"]
    assert list(temporary.iterdir()) == []


def test_pdf_staging_left_by_a_killed_batch_is_removed_by_the_next(tmp_path):
    import signal
    import subprocess
    import time

    log = tmp_path / "soffice.log"
    hanging = staging_soffice(tmp_path / "hang", log, hang=True)
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n, **case_named(n.title())} for n in ("haddad", "martin")])
    out = tmp_path / "out"
    env = {**os.environ, "ASYLUMDOCS_LANG": "en", "ASYLUMDOCS_SOFFICE": str(hanging)}
    child = subprocess.Popen(
        [sys.executable, "-m", "docassemble_asylum", "batch", "cnda-appeal", str(cases), "--out", str(out), "--pdf", "--jobs", "2", "--today", TODAY],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(log.read_text().splitlines() if log.exists() else []) < 2:
            time.sleep(0.1)
        runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert len(runs) == 2, "two workers, each in its LibreOffice run"
        os.killpg(child.pid, signal.SIGKILL)  # a kill or a power cut: nothing can clean up
        child.wait(timeout=30)
    finally:
        with contextlib_suppress():
            os.killpg(child.pid, signal.SIGKILL)
        for run in [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []:
            with contextlib_suppress():
                os.kill(run["pid"], signal.SIGKILL)  # soffice runs in its own session
    left = sorted(p.name for p in out.iterdir() if p.name.startswith(".asylumdocs-pdf.partial-"))
    markers = sorted(p for p in out.iterdir() if p.name.startswith(".asylumdocs-pdf.lock-"))
    assert len(left) == 2 and len(markers) == 2, (left, markers)
    assert all(stat.S_IMODE((out / name).stat().st_mode) == 0o700 for name in left)
    # The workers are gone (they die with the batch): the next batch removes their folders.
    workers = [int(marker.read_text().split()[3]) for marker in markers]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(process_running(pid) for pid in workers):
        time.sleep(0.1)
    program = staging_soffice(tmp_path / "bin", tmp_path / "again.log")
    result = batch(str(cases), "--out", str(out), "--pdf", "--force", "--jobs", "1", env={"ASYLUMDOCS_SOFFICE": str(program)})
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []



def contextlib_suppress():
    import contextlib

    return contextlib.suppress(ProcessLookupError, PermissionError, OSError)


# --- the report is what is on disk (issue 14) -------------------------------------------------


def in_process(*args: str):
    """The batch in this process (``--jobs 1``), so that a test can break a step of it."""
    from fuzz_support import run_in_process

    return run_in_process(["batch", "cnda-appeal", *args, "--jobs", "1", "--today", TODAY, "--lang", "en"])


NOT_AS_PUBLISHED = (
    "Its folder does not hold the documents written for it (they were changed, removed or replaced while "
    "the batch ran, possibly by another case's): build this case again."
)


def test_a_case_is_built_only_if_its_folder_holds_what_was_published(tmp_path, monkeypatch):
    """Whatever crosses two cases (ids like ``haddad`` and ``haddad.old-2024-11``), the
    report checks each folder against the manifest its case published."""
    from docassemble_asylum import output

    real_publish = output.publish

    def crossing_publish(out_dir, files, force=False):
        if out_dir.name == "haddad.old-2024-11":  # its documents land in haddad's folder
            real_publish(out_dir.parent / "haddad", files, force=True)
            return [out_dir / item.name for item in files]
        if out_dir.name == "martin":  # its folder stays empty
            out_dir.mkdir(mode=0o700)
            return [out_dir / item.name for item in files]
        return real_publish(out_dir, files, force=force)

    monkeypatch.setattr(output, "publish", crossing_publish)
    ids = ["haddad", "haddad.old-2024-11", "martin", "nguyen"]
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": i, **case_named(i.split(".")[0].title())} for i in ids])
    out = tmp_path / "out"
    result = in_process(str(cases), "--out", str(out))
    assert result.code == 1, result.stderr
    rows = read_report(out)
    # haddad was right when its result came, and replaced afterwards: the final check sees it.
    assert [(r["case_id"], r["status"], r["files"], r["messages"]) for r in rows] == [
        ("haddad", "failed", "", NOT_AS_PUBLISHED),
        ("haddad.old-2024-11", "failed", "", NOT_AS_PUBLISHED),
        ("martin", "failed", "", NOT_AS_PUBLISHED),
        ("nguyen", "built", "recours-cnda.docx;summary.docx;manifest.json", ""),
    ]
    assert "[2/4] haddad.old-2024-11: FAILED" in result.stderr and "[3/4] martin: FAILED" in result.stderr
    assert "1 case built\n3 cases failed\n" in result.stdout
    assert "  haddad\n  haddad.old-2024-11\n  martin\n" in result.stdout


def test_after_an_interruption_the_report_counts_the_folders_completed(tmp_path, monkeypatch):
    """Ctrl-C: results still on their way are lost, not the cases their workers published."""
    from docassemble_asylum.batch import engine as engine_module

    real_run = engine_module.run

    def interrupted_run(cases, settings, *, on_result, **options):
        received = []

        def first_two(result):
            received.append(result)
            if len(received) <= 2:
                on_result(result)

        real_run(cases, settings, on_result=first_two, **options)
        raise KeyboardInterrupt

    monkeypatch.setattr(engine_module, "run", interrupted_run)
    lines = [{"case_id": f"c{i}", **case_named(f"Nom{i}")} for i in range(5)]
    lines[3] = {"case_id": "c3", **case_named("Nom3", decision__date="2026-02-30")}  # fails: no folder
    cases = write_jsonl(tmp_path / "cases.jsonl", lines)
    out = tmp_path / "out"
    (out / "c4").mkdir(parents=True)  # an earlier folder of c4, replaced by this batch
    result = in_process(str(cases), "--out", str(out), "--force")
    assert result.code == 130
    rows = read_report(out)
    assert [(r["case_id"], r["status"]) for r in rows] == [("c0", "built"), ("c1", "built"), ("c2", "built"), ("c4", "built")]
    assert rows[2]["files"] == "recours-cnda.docx;summary.docx;manifest.json"
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "4 cases built\n0 cases failed\n1 case was not processed (the batch was interrupted).\n" in summary
    # The terminal shows the counts too (it showed only "Aborted.", untranslated).
    assert "4 cases built\n0 cases failed\n1 case was not processed (the batch was interrupted).\n" in result.stdout
    assert result.stderr.endswith("\nAborted.\n")
    (out / "report.csv").unlink()
    (out / "summary.txt").unlink()
    from fuzz_support import run_in_process

    french = run_in_process(["batch", "cnda-appeal", str(cases), "--out", str(out), "--force", "--jobs", "1", "--today", TODAY, "--lang", "fr"])
    assert french.code == 130
    assert "4 dossiers prêts\n0 dossier en échec\n1 dossier n'a pas été traité (le lot a été interrompu).\n" in french.stdout
    assert french.stderr.endswith("\nInterrompu.\n")


def test_a_complete_folder_older_than_the_batch_is_not_counted(tmp_path):
    from docassemble_asylum.batch import on_disk

    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}])
    out = tmp_path / "out"
    assert batch(str(cases), "--out", str(out), "--jobs", "1").returncode == 0
    manifest = json.loads((out / "a" / "manifest.json").read_text(encoding="utf-8"))
    later = (out / "a" / "manifest.json").stat().st_mtime_ns + 1
    assert on_disk.built_by_this_batch(out / "a", manifest["input_sha256"], later) is None
    assert on_disk.built_by_this_batch(out / "a", "0" * 64, 0) is None, "built from other answers"
    assert on_disk.built_by_this_batch(out / "a", manifest["input_sha256"], 0) == FILES[1:] + FILES[:1]
    (out / "a" / "extra.txt").write_text("x", encoding="utf-8")
    assert on_disk.complete(out / "a") is None


@pytest.mark.parametrize("umask, pdf", [(0o000, False), (0o277, False), (0o277, True)], ids=["umask-000", "umask-277", "umask-277-pdf"])
def test_batch_files_are_private_whatever_the_umask(tmp_path, umask, pdf):
    """Under umask 0277 a file made 0600 came out 0400 (the report) and a folder 0700 came
    out 0500: LibreOffice's scratch folders were not writable (without root)."""
    import subprocess

    if pdf:
        require_tool("soffice")
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n, **case_named(n.title())} for n in ("haddad", "martin")])
    out = tmp_path / "new" / "out"
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "batch", "cnda-appeal", str(cases), "--out", str(out), "--jobs", "2", "--today", TODAY, "--lang", "en", *(["--pdf"] if pdf else [])],
        capture_output=True, text=True, timeout=300, umask=umask,
    )
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "new", out, out / "haddad", out / "martin"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [out / "report.csv", out / "summary.txt", *(out / "haddad").iterdir(), *(out / "martin").iterdir()]
    assert len(files) == (12 if pdf else 8)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert [r["status"] for r in read_report(out)] == ["built", "built"]


class FullDisk:
    """``os`` as the report module sees it, with a disk that fills up at the first fsync."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def fsync(fd):
        import errno

        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_the_report_is_written(tmp_path, monkeypatch):
    from docassemble_asylum.batch import report

    monkeypatch.setattr(report, "os", FullDisk())
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}])
    out = tmp_path / "out"
    result = in_process(str(cases), "--out", str(out))
    assert result.code == 1
    assert result.stderr.endswith(
        f"Error: The batch report cannot be written in {out} (no space left on the device); nothing half-written was left. "
        "The cases built so far are complete in their folders: make room, then run the batch again with --force.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["a"], "no .report.csv.partial left"
    assert sorted(p.name for p in (out / "a").iterdir()) == FILES


def test_stdout_on_a_full_device(tmp_path):
    import subprocess

    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": "a", **case_named("Haddad")}])
    out = tmp_path / "out"
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "docassemble_asylum", "batch", "cnda-appeal", str(cases), "--out", str(out), "--jobs", "1", "--today", TODAY, "--lang", "en"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=300, env={**os.environ, "ASYLUMDOCS_LANG": "en"},
        )
    assert result.returncode == 1
    assert result.stderr == (
        "[1/1] a: built\n"
        f"Error: The summary could not be printed (no space left on the device); it is in {out.resolve() / 'summary.txt'}.\n"
    )
    assert [r["status"] for r in read_report(out)] == ["built"]
    # In French, the reason too (the system's own text is English).
    with open("/dev/full", "w") as full:
        french = subprocess.run(
            [sys.executable, "-m", "docassemble_asylum", "batch", "cnda-appeal", str(cases), "--out", str(out), "--force", "--jobs", "1", "--today", TODAY, "--lang", "fr"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=300,
        )
    assert french.returncode == 1
    assert french.stderr.splitlines()[-1] == (
        f"Erreur : Le récapitulatif n'a pas pu être affiché (plus de place sur le périphérique) ; il se trouve dans {out.resolve() / 'summary.txt'}."
    )


def test_a_case_the_disk_refuses_fails_alone(tmp_path, monkeypatch):
    import errno

    from docassemble_asylum import output

    real_publish = output.publish

    def full_for_martin(out_dir, files, force=False):
        if out_dir.name == "martin":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_publish(out_dir, files, force=force)

    monkeypatch.setattr(output, "publish", full_for_martin)
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"case_id": n, **case_named(n.title())} for n in ("haddad", "martin", "nguyen")])
    out = tmp_path / "out"
    result = in_process(str(cases), "--out", str(out))
    assert result.code == 1
    rows = read_report(out)
    assert [(r["case_id"], r["status"], r["messages"]) for r in rows] == [
        ("haddad", "built", ""),
        ("martin", "failed", "This case could not be built: no space left on the device. Nothing was written for it."),
        ("nguyen", "built", ""),
    ]
    assert sorted(p.name for p in out.iterdir()) == ["haddad", "nguyen", "report.csv", "summary.txt"]
    for name in ("haddad", "nguyen"):
        assert sorted(p.name for p in (out / name).iterdir()) == FILES
