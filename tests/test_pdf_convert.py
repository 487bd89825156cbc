"""DOCX -> PDF with LibreOffice: what a reader of the PDF sees, and the traps of soffice.

The end-to-end tests look at the PDFs as a person would: the text poppler extracts
(accents and an Arabic name included), the fonts (all embedded, or a printer or the
court's viewer substitutes them), and page 1 rendered to an image that must not be blank.
The unit tests run a fake ``soffice`` to pin the traps: exit 0 with nothing written, an
empty PDF, a hung process, one process for many files, a private profile each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.output import OutputFile, process_alive
from docassemble_asylum.render import pdf_convert
from docassemble_asylum.render.typography import plain as typeset
from conftest import dead_pid, killed_conversion, process_running, require_tool, run_cli
from pinned_examples import pinned_example_text

TODAY = "2026-04-28"
ARABIC_NAME = "سميرة حداد"


@pytest.fixture(autouse=True)
def english_messages():
    """In-process calls speak English here, whatever the machine's locale (the CLI runs get --lang)."""
    from docassemble_asylum.i18n import language

    with language("en"):
        yield


# --- helpers: what a reader sees ----------------------------------------------------------

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad]")


def normalise(text: str) -> str:
    """NFKC (Arabic presentation forms -> letters), no bidi controls, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _BIDI_CONTROLS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table as dicts, columns cut where its header's dashes say."""
    tool = require_tool("pdffonts")
    lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    header, dashes, *rows = lines
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
    names = [header[a:b].strip() or header[a:].split()[0] for a, b in spans]
    return [{name: row[a:b].strip() for name, (a, b) in zip(names, spans)} for row in rows if row.strip()]


def page_ink(path: Path, page: int = 1) -> float:
    """Share of non-white pixels of a page rendered by pdftoppm (PPM: trivially parsed)."""
    tool = require_tool("pdftoppm")
    ppm = subprocess.run([tool, "-f", str(page), "-l", str(page), "-r", "30", str(path)], capture_output=True, check=True).stdout
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    assert fields, "pdftoppm did not write a PPM image"
    width, height = int(fields[1]), int(fields[2])
    pixels = ppm[fields.end() :]
    assert len(pixels) == width * height * 3
    dark = sum(1 for i in range(0, len(pixels), 3) if min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200)
    return dark / (width * height)


def png_not_blank(path: Path, tmp_path: Path) -> None:
    """pdftoppm -png at 50 dpi; with Pillow the PNG itself is checked for ink."""
    tool = require_tool("pdftoppm")
    prefix = tmp_path / "page"
    subprocess.run([tool, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        gray = image.convert("L")
        histogram = gray.histogram()
        dark = sum(histogram[:200])
        assert dark / (gray.width * gray.height) > 0.005, "page 1 renders blank"


def example_data() -> dict:
    from docassemble_asylum.procedures import get

    return yaml.safe_load(pinned_example_text("cnda-appeal"))


def accented_case() -> dict:
    data = example_data()
    data["applicant"]["given_names"] = "Samira Leïla Anaïs"
    data["applicant"]["other_names"] = ["Samira Hadad", ARABIC_NAME]
    data["applicant"]["place_of_birth"] = "Idlib (Syrie)"
    data["facts"] = (
        "Ma sœur et moi avons fui « de nuit » après l'arrestation de notre frère.\n\n"
        "Le réseau « Accueil & Droits » m'a hébergée à Montreuil."
    )
    return data


def write_case(directory: Path, data: dict, name: str = "case.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def fake_soffice(directory: Path, body: str) -> Path:
    """An executable ``soffice`` in ``directory`` running ``body`` (Python) with sys.argv."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "soffice"
    path.write_text(f"#!{sys.executable}\nimport os, sys, time, pathlib, json\n" + textwrap.dedent(body), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def no_soffice_env(tmp_path: Path) -> dict:
    """An environment whose PATH has no LibreOffice (but still the tools tests need)."""
    empty = tmp_path / "bin-without-libreoffice"
    empty.mkdir(exist_ok=True)
    return {"PATH": str(empty), "ASYLUMDOCS_SOFFICE": ""}


# --- without LibreOffice --------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "--pdf needs LibreOffice"),
        ("fr", "--pdf a besoin de LibreOffice"),
    ],
)
def test_pdf_without_libreoffice_fails_before_anything_is_written(tmp_path, lang, expected):
    case = write_case(tmp_path, example_data())
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", TODAY, "--lang", lang, "--pdf", env=no_soffice_env(tmp_path))
    assert result.returncode == 1
    assert expected in result.stderr
    assert pdf_convert.INSTALL_COMMAND in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_build_without_pdf_needs_no_libreoffice(tmp_path):
    case = write_case(tmp_path, example_data())
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", TODAY, env=no_soffice_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "recours-cnda.docx", "summary.docx"]


def test_batch_pdf_without_libreoffice_fails_before_anything_is_written(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(example_data(), ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", "cnda-appeal", str(cases), "--out", str(out), "--today", TODAY, "--pdf", env=no_soffice_env(tmp_path))
    assert result.returncode == 1
    assert pdf_convert.INSTALL_COMMAND in result.stderr
    assert not out.exists()


def test_ensure_available_names_the_variable_when_it_is_wrong(tmp_path, monkeypatch):
    from docassemble_asylum.errors import UserError

    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(UserError, match="ASYLUMDOCS_SOFFICE"):
        pdf_convert.ensure_available()


# --- end to end with LibreOffice -------------------------------------------------------------


@pytest.fixture(scope="module")
def built_with_pdf(tmp_path_factory):
    require_tool("soffice")
    tmp_path = tmp_path_factory.mktemp("pdf")
    case = write_case(tmp_path, accented_case())
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", TODAY, "--lang", "en", "--pdf")
    assert result.returncode == 0, result.stderr
    return case, out


def test_pdf_build_writes_one_pdf_per_docx_listed_in_the_manifest(built_with_pdf):
    _, out = built_with_pdf
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "recours-cnda.docx",
        "recours-cnda.pdf",
        "summary.docx",
        "summary.pdf",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["name"]: f["sha256"] for f in manifest["files"]}
    for name in ("recours-cnda.pdf", "summary.pdf"):
        data = (out / name).read_bytes()
        assert data.startswith(b"%PDF-")
        assert listed[name] == hashlib.sha256(data).hexdigest()
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600


def test_pdf_text_has_the_accents_and_the_arabic_name(built_with_pdf):
    _, out = built_with_pdf
    text = normalise(pdf_text(out / "recours-cnda.pdf"))
    for fact in (
        "Samira Leïla Anaïs HADDAD",
        ARABIC_NAME,
        "17 août 1994 à Idlib (Syrie)",
        "Ma sœur et moi avons fui « de nuit » après l'arrestation de notre frère.",
        "Le réseau « Accueil & Droits » m'a hébergée à Montreuil.",
        "Cour nationale du droit d'asile",
        "24 février 2026",
    ):
        assert normalise(typeset(fact)) in text, fact  # the letter is French: typeset
    summary = normalise(pdf_text(out / "summary.pdf"))
    assert "Appeal to the CNDA — summary sheet" in summary
    assert "Samira Leïla Anaïs Haddad" in summary or "Samira Leïla Anaïs HADDAD" in summary


def test_pdf_fonts_are_all_embedded(built_with_pdf):
    _, out = built_with_pdf
    for name in ("recours-cnda.pdf", "summary.pdf"):
        fonts = pdf_fonts(out / name)
        assert fonts, f"{name}: no fonts listed"
        not_embedded = [f["name"] for f in fonts if f["emb"] != "yes"]
        assert not not_embedded, f"{name}: fonts not embedded: {not_embedded}"


def test_pdf_page_one_is_not_blank(built_with_pdf, tmp_path):
    _, out = built_with_pdf
    for name in ("recours-cnda.pdf", "summary.pdf"):
        ink = page_ink(out / name)
        assert 0.005 < ink < 0.5, f"{name}: page 1 has {ink:.1%} ink"
    png_not_blank(out / "recours-cnda.pdf", tmp_path)


def _processes_mentioning(text: str) -> list[int]:
    """The live processes (no zombies) whose command line mentions ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command and process_running(int(entry.name)):
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the processes in /proc")
def test_build_pdf_killed_during_the_conversion_takes_libreoffice_with_it(tmp_path):
    """Issue 14: SIGKILL of ``build --pdf`` (nothing can clean up) must not leave LibreOffice
    running on the case's clear text: every process of that profile is gone in seconds."""
    require_tool("soffice")
    case = write_case(tmp_path, accented_case())
    temporary = tmp_path / "tmp"  # the scratch folder, hence the profile, is in here
    temporary.mkdir()
    env = {**os.environ, "ASYLUMDOCS_LANG": "en", "TMPDIR": str(temporary)}
    build = subprocess.Popen(
        [sys.executable, "-m", "docassemble_asylum", "build", "cnda-appeal", "--answers", str(case),
         "--out", str(tmp_path / "out"), "--today", TODAY, "--pdf"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _processes_mentioning(f"-env:UserInstallation=file://{temporary}"):
            assert build.poll() is None, "the build ended before LibreOffice was seen"
            time.sleep(0.02)
        time.sleep(0.3)  # LibreOffice is starting (soffice.bin forked by its launcher)
        assert _processes_mentioning(f"-env:UserInstallation=file://{temporary}"), "LibreOffice never started"
        build.kill()
        build.wait(timeout=30)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _processes_mentioning(str(temporary)):
            time.sleep(0.05)
        survivors = _processes_mentioning(str(temporary))
    finally:
        for pid in _processes_mentioning(str(temporary)):
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
    assert survivors == [], "LibreOffice outlived the killed build"
    assert not (tmp_path / "out").exists()


def test_pdfs_are_reproducible(built_with_pdf, tmp_path):
    case, out = built_with_pdf
    again = tmp_path / "again"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(again), "--today", TODAY, "--lang", "en", "--pdf")
    assert result.returncode == 0, result.stderr
    for name in ("recours-cnda.pdf", "summary.pdf", "manifest.json"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_add_pdfs_keeps_order_and_other_files(tmp_path):
    require_tool("soffice")
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions
    import datetime as dt

    spec = get("cnda-appeal")
    answers = spec.validate(accented_case(), dt.date(2026, 4, 28))
    files = spec.render(answers, BuildOptions(today=dt.date(2026, 4, 28), lang="en"))
    files.append(OutputFile("notes.txt", b"not converted"))
    result = pdf_convert.add_pdfs(files)
    assert [f.name for f in result] == ["recours-cnda.docx", "recours-cnda.pdf", "summary.docx", "summary.pdf", "notes.txt"]
    assert result[1].description and "PDF" in result[1].description
    assert ARABIC_NAME in normalise(pdf_text(_save(tmp_path, result[1])))


def _save(directory: Path, item: OutputFile) -> Path:
    path = directory / item.name
    path.write_bytes(item.data)
    return path


# --- the traps of soffice, with a fake one -------------------------------------------------


def _inputs(tmp_path: Path, *names: str) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(b"PK fake docx")
        paths.append(path)
    return paths


def test_one_process_for_all_files_with_its_own_profile(tmp_path, monkeypatch):
    log = tmp_path / "calls.jsonl"
    program = fake_soffice(
        tmp_path / "bin",
        f"""
        args = sys.argv[1:]
        with open({str(log)!r}, "a") as handle:
            handle.write(json.dumps(args) + "\\n")
        outdir = pathlib.Path(args[args.index("--outdir") + 1])
        for name in args[args.index("--outdir") + 2:]:
            (outdir / (pathlib.Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.7 fake")
        """,
    )
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    paths = _inputs(tmp_path, "a.docx", "b.docx", "c.docx")
    pdfs = pdf_convert.convert(paths, tmp_path / "out", timeout=30)
    assert [p.name for p in pdfs] == ["a.pdf", "b.pdf", "c.pdf"]
    pdf_convert.convert(paths[:1], tmp_path / "out", timeout=30)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(calls) == 2, "one soffice process per convert() call"
    assert sum(1 for a in calls[0] if a.endswith(".docx")) == 3
    profiles = [next(a for a in call if a.startswith("-env:UserInstallation=file:///")) for call in calls]
    assert profiles[0] != profiles[1], "each process has its own profile"
    assert "--headless" in calls[0]
    for profile in profiles:
        assert not Path(profile.split("file://", 1)[1]).exists(), "the profile is deleted afterwards"


def test_exit_zero_without_pdf_is_an_error(tmp_path, monkeypatch):
    program = fake_soffice(tmp_path / "bin", 'print("Error: source file could not be loaded", file=sys.stderr)\n')
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    with pytest.raises(pdf_convert.ConversionError, match=r"did not write the PDF of: a\.docx, b\.docx"):
        pdf_convert.convert(_inputs(tmp_path, "a.docx", "b.docx"), tmp_path / "out", timeout=30)


def test_empty_pdf_is_an_error_and_a_stale_one_is_not_reused(tmp_path, monkeypatch):
    program = fake_soffice(
        tmp_path / "bin",
        """
        args = sys.argv[1:]
        outdir = pathlib.Path(args[args.index("--outdir") + 1])
        (outdir / "a.pdf").write_bytes(b"")
        """,
    )
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.pdf").write_bytes(b"%PDF-1.7 stale, from an earlier run")
    produced = pdf_convert.convert_available(_inputs(tmp_path, "a.docx", "b.docx"), out, timeout=30)
    assert produced == [None, None]
    with pytest.raises(pdf_convert.ConversionError, match=r"a\.docx, b\.docx"):
        pdf_convert.convert(_inputs(tmp_path, "a.docx", "b.docx"), out, timeout=30)


def test_a_hung_soffice_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    program = fake_soffice(
        tmp_path / "bin",
        f"""
        import subprocess
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        pathlib.Path({str(pids)!r}).write_text(f"{{os.getpid()}} {{child.pid}}")
        time.sleep(60)
        """,
    )
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    started = time.monotonic()
    with pytest.raises(pdf_convert.ConversionError, match="within 2 seconds"):
        pdf_convert.convert(_inputs(tmp_path, "a.docx"), tmp_path / "out", timeout=2)
    assert time.monotonic() - started < 20
    for pid in map(int, pids.read_text().split()):
        # the whole process group was killed, the grandchild included
        deadline = time.monotonic() + 5
        while process_running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not process_running(pid), f"process {pid} survived the time limit"



def test_failing_soffice_gives_its_exit_status(tmp_path, monkeypatch):
    program = fake_soffice(tmp_path / "bin", 'print("boom", file=sys.stderr)\nsys.exit(81)\n')
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    with pytest.raises(pdf_convert.ConversionError, match="exit status 81"):
        pdf_convert.convert(_inputs(tmp_path, "a.docx"), tmp_path / "out", timeout=30)


def test_a_program_that_cannot_be_started_says_why(tmp_path, monkeypatch):
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/nonexistent/interpreter\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(program))
    with pytest.raises(pdf_convert.ConversionError) as caught:
        pdf_convert.convert(_inputs(tmp_path, "a.docx"), tmp_path / "out", timeout=30)
    assert caught.value.message == "LibreOffice could not be started (No such file or directory)."


def test_inputs_with_the_same_stem_are_refused(tmp_path):
    first = _inputs(tmp_path, "a.docx")[0]
    other = tmp_path / "other"
    other.mkdir()
    second = other / "a.docx"
    second.write_bytes(b"x")
    with pytest.raises(ValueError):
        pdf_convert.convert([first, second], tmp_path / "out", timeout=30)


def test_normalise_pdf_fixes_the_varying_bytes():
    import io

    import pikepdf

    def sample(date: str, ident: bytes) -> bytes:
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.docinfo["/CreationDate"] = date
        pdf.trailer["/ID"] = pikepdf.Array([pikepdf.String(ident), pikepdf.String(ident)])
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()

    one = sample("D:20261123184403Z", b"0123456789abcdef")
    two = sample("D:20270101000000Z", b"fedcba9876543210")
    assert one != two
    assert pdf_convert.normalise_pdf(one) == pdf_convert.normalise_pdf(two)


def test_build_pdf_when_libreoffice_writes_nothing_leaves_nothing(tmp_path):
    program = fake_soffice(tmp_path / "bin", 'print("Error: source file could not be loaded", file=sys.stderr)\n')
    case = write_case(tmp_path, example_data())
    out = tmp_path / "out"
    result = run_cli(
        "build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", TODAY, "--pdf",
        env={"ASYLUMDOCS_SOFFICE": str(program)},
    )
    assert result.returncode == 1
    assert "LibreOffice did not write the PDF of: recours-cnda.docx, summary.docx." in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists(), "complete or absent"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")], "no staging left behind"


# --- where the clear-text copies live -------------------------------------------------------


def _recording_soffice(tmp_path: Path, log: Path) -> Path:
    """Records its inputs' folder, profile and TMPDIR (with modes); writes blank PDFs."""
    import pikepdf

    blank = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(blank)
    return fake_soffice(
        tmp_path / "bin",
        f"""
        import shutil, stat
        args = sys.argv[1:]
        inputs = [pathlib.Path(a) for a in args if a.endswith(".docx")]
        profile = next(a for a in args if a.startswith("-env:UserInstallation=")).split("file://", 1)[1]
        scratch = inputs[0].parent.parent
        tmpdir = os.environ["TMPDIR"]
        pathlib.Path(tmpdir, "lu123.tmp").write_bytes(b"LibreOffice's own temporary file")
        with open({str(log)!r}, "a") as handle:
            handle.write(json.dumps({{"scratch": str(scratch), "mode": stat.S_IMODE(scratch.stat().st_mode), "profile": profile, "tmpdir": tmpdir}}) + "\\n")
        outdir = pathlib.Path(args[args.index("--outdir") + 1])
        for docx in inputs:
            shutil.copy({str(blank)!r}, outdir / (docx.stem + ".pdf"))
        """,
    )



def test_build_pdf_stages_in_a_private_folder_of_its_own_and_removes_only_its_leftovers(tmp_path, monkeypatch):
    import tempfile

    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(_recording_soffice(tmp_path, log)))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    # Left by a build killed (SIGKILL) during a conversion: its folder and its marker.
    left = killed_conversion(temporary)
    assert len(left) == 2 and left[0].startswith(".asylumdocs-pdf.lock-") and left[1].startswith(".asylumdocs-pdf.partial-"), left
    assert left[0].rsplit("-", 1)[1] == left[1].rsplit("-", 1)[1], "one token names both"
    lookalikes = _lookalike_scratch_folders(temporary)

    old_umask = os.umask(0)
    try:
        files = [OutputFile("a.docx", b"PK a"), OutputFile("b.docx", b"PK b")]
        result = pdf_convert.add_pdfs(files)
    finally:
        os.umask(old_umask)
    assert [item.name for item in result] == ["a.docx", "a.pdf", "b.docx", "b.pdf"]
    (call,) = [json.loads(line) for line in log.read_text().splitlines()]
    scratch = Path(call["scratch"])
    assert scratch.parent == temporary and scratch.name.startswith(".asylumdocs-pdf.partial-")
    assert call["mode"] == 0o700, "private whatever the umask"
    assert Path(call["profile"]).parent == scratch
    assert Path(call["tmpdir"]).parent == scratch
    assert not scratch.exists(), "deleted after the conversion"
    assert sorted(p.name for p in temporary.iterdir()) == lookalikes
    _assert_untouched(temporary, lookalikes)


def _lookalike_scratch_folders(folder: Path) -> list[str]:
    """The user's own folders whose names look like scratch names (the old ones, made by a
    process that is gone; the new ones, with a marker that holds no token of ours)."""
    dead = dead_pid()
    forged = "0" * 32
    names = [f"asylumdocs-pdf-{dead}-k1ll3d", f".asylumdocs-pdf-{dead}-pr0f1l", ".asylumdocs-pdf.partial-mine", f".asylumdocs-pdf.partial-{forged}"]
    for name in names:
        (folder / name).mkdir()
        (folder / name / "notes.txt").write_text("the user's own notes", encoding="utf-8")
    (folder / f".asylumdocs-pdf.lock-{forged}").write_text(f"written by someone else {dead}\n")
    return sorted([*names, f".asylumdocs-pdf.lock-{forged}"])


def _assert_untouched(folder: Path, names: list[str]) -> None:
    for name in names:
        if not name.startswith(".asylumdocs-pdf.lock-"):
            assert (folder / name / "notes.txt").read_text(encoding="utf-8") == "the user's own notes", name


def test_the_users_folders_named_like_scratch_folders_are_never_deleted(tmp_path, monkeypatch):
    """Issue 14: a conversion removes only what a marker with its random token proves ours,
    never a folder for its name and a process id that is not running."""
    import tempfile

    monkeypatch.setenv("ASYLUMDOCS_SOFFICE", str(_recording_soffice(tmp_path, tmp_path / "calls.jsonl")))
    temporary, out = tmp_path / "tmp", tmp_path / "out"
    temporary.mkdir()
    out.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    in_temporary, in_out = _lookalike_scratch_folders(temporary), _lookalike_scratch_folders(out)
    result = pdf_convert.add_pdfs([OutputFile("a.docx", b"PK a")])
    assert [item.name for item in result] == ["a.docx", "a.pdf"]
    with pdf_convert.private_scratch(out):
        pass
    assert pdf_convert.remove_stale_scratch(out) == []
    assert sorted(p.name for p in temporary.iterdir()) == in_temporary
    assert sorted(p.name for p in out.iterdir()) == in_out
    _assert_untouched(temporary, in_temporary)
    _assert_untouched(out, in_out)


def test_a_running_conversion_keeps_its_scratch_folder_while_another_starts(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pdf_convert.private_scratch() as first:
        (first / "docx").mkdir()
        with pdf_convert.private_scratch() as second:
            assert second != first
            assert (first / "docx").is_dir(), "a live conversion's folder is locked by its marker"
        assert not second.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_scratch_folder_is_not_taken_for_a_build_leftover_nor_the_reverse(tmp_path):
    """A batch's case can be called asylumdocs-pdf: its publication and the conversions'
    scratch folders have markers of different kinds."""
    from docassemble_asylum.output import recover_interrupted

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    left = killed_conversion(temporary, tmp_path)
    assert len(left) == 2, left
    recover_interrupted(tmp_path / "asylumdocs-pdf")  # a build of the case asylumdocs-pdf
    assert sorted(os.listdir(tmp_path)) == sorted([*left, "tmp"])
    assert pdf_convert.remove_stale_scratch(tmp_path) == [tmp_path / left[1]]
    assert sorted(os.listdir(tmp_path)) == ["tmp"]


def test_private_scratch_in_a_given_folder_is_hidden_and_private(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old_umask = os.umask(0o022)
    try:
        with pdf_convert.private_scratch(out) as scratch:
            assert scratch.parent == out and scratch.name.startswith(".asylumdocs-pdf.partial-")
            assert stat.S_IMODE(scratch.stat().st_mode) == 0o700
            (scratch / "docx").mkdir()
        assert not scratch.exists()
        assert list(out.iterdir()) == [], "its marker goes with it"
        with pdf_convert.private_scratch(tmp_path / "missing") as scratch:
            assert scratch.parent == Path(__import__("tempfile").gettempdir()), "no such folder: the temporary folder"
    finally:
        os.umask(old_umask)


def test_a_zombie_process_counts_as_gone(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while process_running(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    # Exited but not reaped yet: a zombie, which os.kill(pid, 0) still finds.
    assert not process_alive(child.pid)
    child.wait()
    assert not process_alive(child.pid)
    assert process_alive(os.getpid())


# --- every procedure's documents, through LibreOffice -------------------------------------------

EXAMPLE_DAY = {"interview-notice": "2026-03-06", "reexamination": "2026-03-06", "reunification": "2026-11-23"}


_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")


def _squeezed(text: str) -> str:
    """Text without spaces or hyphens: pdftotext joins a word cut at a hyphen across two
    lines ("L.531-" + "42" gives "L.53142") and a URL can break anywhere."""
    return re.sub(r"[\s\-\u2010\u2011]+", "", normalise(text))


def _header_footer_lines(data: bytes) -> list[str]:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    lines = []
    for section in document.sections:
        for part in (section.header, section.footer):
            lines += [p.text for p in part.paragraphs if p.text.strip()]
    return lines


@pytest.mark.parametrize("procedure", sorted(EXAMPLE_DAY))
def test_every_docx_of_every_procedure_becomes_a_pdf_with_its_text(procedure, tmp_path):
    """What the DOCX says, the PDF says: every paragraph, fonts embedded, page one inked.

    Compared without spaces and hyphens, with the page headers and footers taken out of
    the PDF's text (a paragraph running over a page has the footer in its middle), and
    right-to-left runs left out (pdftotext gives them in visual order): what remains of
    each paragraph must be found as it is.
    """
    from docassemble_asylum.render.docx import docx_text

    require_tool("soffice")
    answers = tmp_path / "answers.yaml"
    answers.write_text(pinned_example_text(procedure), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "build", procedure, "--answers", str(answers), "--out", str(out), "--today", EXAMPLE_DAY[procedure], "--pdf"
    )
    assert result.returncode == 0, result.stderr
    documents = sorted(out.glob("*.docx"))
    assert len(documents) >= 2
    listed = {f["name"] for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]}
    for docx in documents:
        pdf = docx.with_suffix(".pdf")
        assert pdf.name in listed and pdf.read_bytes().startswith(b"%PDF-"), pdf.name
        data = docx.read_bytes()
        shown = _squeezed(pdf_text(pdf))
        repeated = _header_footer_lines(data)
        for line in repeated:
            if re.fullmatch(r"page \d+ / \d+", line):
                # The footer's PAGE / NUMPAGES fields, filled by LibreOffice: "page k / n" on every page.
                from pypdf import PdfReader

                count = len(PdfReader(str(pdf)).pages)
                for number in range(1, count + 1):
                    assert f"page{number}/{count}" in shown, f"{pdf.name}: no 'page {number} / {count}'"
                    # Exactly that text: a page may begin with a number ("3. Nouvel enregistrement"),
                    # which squeezed text glues to the footer before it ("page1/33.Nouvel").
                    shown = shown.replace(f"page{number}/{count}", "|")
                continue
            assert _squeezed(line) in shown, f"{pdf.name}: header or footer {line!r} is not in the PDF"
            shown = shown.replace(_squeezed(line), "|")
        checked = 0
        for line in docx_text(data).splitlines():
            if line in repeated:
                continue  # checked above
            for piece in _RIGHT_TO_LEFT.split(line):
                piece = _squeezed(piece).strip("()")
                if len(piece) >= 3:
                    assert piece in shown, f"{pdf.name}: {piece[:120]!r} is not in the PDF"
                    checked += 1
        assert checked >= 10, pdf.name
        assert [f["name"] for f in pdf_fonts(pdf) if f["emb"] != "yes"] == [], pdf.name
        assert 0.003 < page_ink(pdf) < 0.5, pdf.name
