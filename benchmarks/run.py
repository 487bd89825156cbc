"""asylumdocs benchmarks: one command, one table (issues 2 and 8).

    python benchmarks/run.py            # full run (a few minutes: 500-case batches, LibreOffice)
    python benchmarks/run.py --quick    # fewer repeats and cases, for a quick look

Every figure is a ratio (or a difference) against a baseline measured in the same run,
on the same machine, interleaved with it: absolute times on a shared machine mean little.
Times are medians of the repeats.

(a) one CNDA appeal DOCX in-process (render_context + render_docx: sandbox, strict,
    autoescape, reproducible ZIP) vs bare docxtpl rendering the same template with the
    same context; plus, for information, a whole case (validate, deadline, letter,
    summary sheet, manifest) against the same bare render.
(b) filling the family-situation form (render/pdf_form.fill: the form prepared once per
    process, render/pdf_form_prepared.py) vs bare pypdf filling the same fields
    (update_page_form_field_values, auto_regenerate=False); for information, the plain
    fill (pdf_form.fill_plain, the form parsed for each fill) and the preparation itself.
(c) N CNDA appeals with ``asylumdocs batch --jobs 2`` (a whole process: start-up,
    validation, deadline, letter + summary sheet + manifest, atomic publication,
    report) vs N sequential bare docxtpl renders of the letter in one process; peak
    memory of the batch for N/5 and N cases (flat = the input is streamed).
(d) DOCX -> PDF per document: ``batch --pdf --jobs 2`` minus ``batch --jobs 2`` on the
    same cases, per DOCX, vs one LibreOffice invocation per document (warm profile).
(e) ``asylumdocs --help`` and ``asylumdocs deadline cnda --notified 2026-03-02 --json``
    as whole processes vs ``python -c pass``.

Results are also written to benchmarks/results/latest.json (ignored by git).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-04-28"
FAMILY_NAMES = ["Haddad", "Martin", "Nguyen", "Petrov", "Diallo", "Okafor", "Rahimi", "Kovač", "Ferreira", "Yılmaz"]


@dataclass
class Row:
    measure: str
    ours: str
    baseline: str
    figure: str
    goal: str = ""
    met: str = ""


def log(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def ratio_row(measure: str, ours: float, base: float, goal: float | None, fmt=ms) -> Row:
    figure = ours / base
    return Row(
        measure,
        fmt(ours),
        fmt(base),
        f"{figure:.2f}×",
        f"≤ {goal}×" if goal is not None else "",
        ("yes" if figure <= goal else "NO") if goal is not None else "",
    )


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "asylumdocs"
    return [str(script)] if script.exists() else [sys.executable, "-m", "docassemble_asylum"]


def cli_env() -> dict:
    return {**os.environ, "ASYLUMDOCS_LANG": "en"}


# --- cases ---------------------------------------------------------------------------------


def example() -> dict:
    from docassemble_asylum.procedures import get

    from docassemble_asylum import yamlio

    return yamlio.loads(get("cnda-appeal").example_text(dt.date.fromisoformat(TODAY)))


def case(number: int) -> dict:
    data = copy.deepcopy(example())
    data["applicant"]["family_name"] = f"{FAMILY_NAMES[number % len(FAMILY_NAMES)]}"
    data["applicant"]["ofpra_file_number"] = f"25-04-{10000 + number}"
    data["decision"]["number"] = f"2026-{100000 + number}"
    return data


def write_cases(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps({"case_id": f"case-{number:05d}", **case(number)}, ensure_ascii=False) + "\n")
    return path


def contexts(count: int) -> list[dict]:
    """The letter's render context of each case (computed once, outside the timings)."""
    from docassemble_asylum.procedures import cnda_appeal, get

    spec = get("cnda-appeal")
    today = dt.date.fromisoformat(TODAY)
    return [cnda_appeal.render_context(spec.validate(case(n), today)) for n in range(count)]


def declared_template(procedure: str, filename: str) -> Path:
    """The template a procedure declares for one of its documents."""
    from docassemble_asylum.procedures import get
    from docassemble_asylum.resources import templates_dir

    return templates_dir() / get(procedure).document(filename).template_path


def appeal_template() -> Path:
    from docassemble_asylum.procedures import cnda_appeal

    return declared_template("cnda-appeal", cnda_appeal.LETTER)


def bare_docxtpl(context: dict) -> bytes:
    """What a script using docxtpl alone would do: load the template, render, save."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(appeal_template()))
    document.render(context, autoescape=True)  # autoescape: the same document (it costs nothing)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- (a) one DOCX in-process ---------------------------------------------------------------


def bench_docx(repeats: int) -> list[Row]:
    from docassemble_asylum.procedures import cnda_appeal, get
    from docassemble_asylum.procedures.base import BuildOptions
    from docassemble_asylum.render.docx import render_docx

    log("(a) one CNDA appeal DOCX in-process")
    spec = get("cnda-appeal")
    today = dt.date.fromisoformat(TODAY)
    raw = case(0)
    answers = spec.validate(raw, today)
    context = cnda_appeal.render_context(answers)
    template = appeal_template()

    def ours():
        return render_docx(template, cnda_appeal.render_context(answers))

    def whole_case():
        checked = spec.validate(raw, today)
        return spec.build_outputs(checked, BuildOptions(today=today, lang="en"), b"benchmark")

    def base():
        return bare_docxtpl(context)

    for warm in (ours, whole_case, base):
        warm()
    times: dict[str, list[float]] = {"ours": [], "case": [], "base": []}
    for _ in range(repeats):
        for key, function in (("base", base), ("ours", ours), ("case", whole_case)):
            start = time.perf_counter()
            function()
            times[key].append(time.perf_counter() - start)
    return [
        ratio_row("(a) CNDA appeal DOCX in-process vs bare docxtpl", median(times["ours"]), median(times["base"]), 1.3),
        ratio_row("    whole case (letter + summary + manifest) vs bare letter", median(times["case"]), median(times["base"]), None),
    ]


# --- (b) the family-situation form ------------------------------------------------------------


def form_values(fields) -> tuple[dict, dict]:
    """Values that fit their boxes: (for pdf_form.fill, for bare pypdf)."""
    ours: dict = {}
    bare: dict = {}
    samples = ["Élise", "Haddad", "Idlib (Syrie)", "12/03/1990", "Mère", "Lyon", "Française"]
    for number, info in enumerate(fields):
        if info.kind == "checkbox" and info.on_states:
            ours[info.name] = True
            bare[info.name] = f"/{info.on_states[0]}"
        elif info.kind == "radio" and info.on_states:
            ours[info.name] = info.on_states[0]
            bare[info.name] = f"/{info.on_states[0]}"
        elif info.kind == "text" and not info.readonly:
            value = "Première ligne\nSeconde ligne" if info.multiline else samples[number % len(samples)]
            if info.max_length:
                value = value[: info.max_length]
            ours[info.name] = value
            bare[info.name] = value
    return ours, bare


def bench_form(repeats: int) -> list[Row]:
    measure = "(b) family-situation form, prepared, vs bare pypdf"
    try:
        from docassemble_asylum.procedures import reunification
        from docassemble_asylum.render import pdf_form, pdf_form_prepared

        path = declared_template("reunification", reunification.FORM)
        if not path.exists():
            raise FileNotFoundError
    except (ImportError, FileNotFoundError):
        return [Row(measure, "n/a", "n/a", "n/a (form not yet available)", "≤ 0.3×")]
    log("(b) family-situation form")
    template = path.read_bytes()
    ours_values, bare_values = form_values(pdf_form.read_fields(template))

    def ours():
        return pdf_form.fill(template, ours_values).data

    def plain():
        return pdf_form.fill_plain(template, ours_values).data

    def prepare():
        return pdf_form_prepared.PreparedForm(template)

    def base():
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(template)))
        for page in writer.pages:
            writer.update_page_form_field_values(page, bare_values, auto_regenerate=False)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    if pdf_form_prepared.prepared(template) is None:
        return [Row(measure, "n/a", "n/a", "n/a (the form is not prepared: see pdf_form_prepared.NotSupported)", "≤ 0.3×", "NO")]
    if ours() != plain():
        raise SystemExit("(b): the prepared fill and the plain fill differ")
    base()
    times: dict[str, list[float]] = {"ours": [], "base": [], "plain": [], "prepare": []}
    for _ in range(repeats):
        for key, function in (("base", base), ("ours", ours), ("plain", plain), ("prepare", prepare)):
            start = time.perf_counter()
            function()
            times[key].append(time.perf_counter() - start)
    return [
        ratio_row(measure + f" ({len(ours_values)} fields)", median(times["ours"]), median(times["base"]), 0.3),
        ratio_row("    plain fill (form parsed for each fill) vs bare pypdf", median(times["plain"]), median(times["base"]), None),
        ratio_row("    preparing the form (once per process) vs bare pypdf", median(times["prepare"]), median(times["base"]), None),
    ]


# --- memory of a process tree ------------------------------------------------------------------


class TreeMemory:
    """Samples the resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid = pid
        self.interval = interval
        self.peak_total = 0
        self.peak_root = 0
        self.cpu_ticks: dict[int, int] = {}  # last utime + stime seen, per process of the tree
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            try:
                total, root = self._sample()
            except OSError:
                total, root = 0, 0
            self.peak_total = max(self.peak_total, total)
            self.peak_root = max(self.peak_root, root)
            self._stop.wait(self.interval)

    def _sample(self) -> tuple[int, int]:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        ticks: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * self._page
            ticks[int(entry)] = int(fields[11]) + int(fields[12])
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for child, parent in parents.items():
                if parent in tree and child not in tree:
                    tree.add(child)
                    grew = True
        for pid in tree:
            if pid in ticks:
                self.cpu_ticks[pid] = ticks[pid]
        return sum(rss.get(p, 0) for p in tree), rss.get(self.pid, 0)

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the tree as last sampled (a process's last 50 ms may be missed)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")


def run_batch(cases: Path, out: Path, *extra: str, sample: bool = False) -> tuple[float, TreeMemory | None]:
    command = [*cli_command(), "batch", "cnda-appeal", str(cases), "--out", str(out), "--today", TODAY, *extra]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid) if sample and Path("/proc").is_dir() else None
    if memory:
        memory.__enter__()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    if memory:
        memory.__exit__()
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    return elapsed, memory


# --- (c) batch of N -----------------------------------------------------------------------------


def bench_batch(count: int, repeats: int, work: Path) -> list[Row]:
    log(f"(c) {count} CNDA appeals: asylumdocs batch --jobs 2 vs {count} bare docxtpl renders")
    cases = write_cases(work / f"cases-{count}.jsonl", count)
    small_count = max(1, count // 5)
    small = write_cases(work / f"cases-{small_count}.jsonl", small_count)
    prepared = contexts(count)
    bare_docxtpl(prepared[0])
    ours, base, peaks, ours_cpu, base_cpu = [], [], [], [], []
    for repeat in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        for context in prepared:
            bare_docxtpl(context)
        base.append(time.perf_counter() - start)
        base_cpu.append(time.process_time() - cpu)
        out = work / f"batch-{count}-{repeat}"
        elapsed, memory = run_batch(cases, out, "--jobs", "2", sample=True)
        ours.append(elapsed)
        if memory:
            ours_cpu.append(memory.cpu_seconds)
        if memory:
            peaks.append((memory.peak_total, memory.peak_root))
        shutil.rmtree(out, ignore_errors=True)
        log(f"    repeat {repeat + 1}/{repeats}: batch {elapsed:.1f} s, bare {base[-1]:.1f} s")
    _, small_memory = run_batch(small, work / f"batch-{small_count}", "--jobs", "2", sample=True)
    shutil.rmtree(work / f"batch-{small_count}", ignore_errors=True)
    rows = [
        ratio_row(f"(c) {count} appeals, batch --jobs 2 vs {count} bare renders", median(ours), median(base), 0.6, secs),
        Row(f"    per case: batch (2 workers) vs bare render", ms(median(ours) / count), ms(median(base) / count), ""),
    ]
    if ours_cpu:
        rows.append(
            Row(
                "    CPU time, all batch processes vs bare renders",
                secs(median(ours_cpu)),
                secs(median(base_cpu)),
                f"{median(ours_cpu) / median(base_cpu):.2f}×",
                "",
            )
        )
    if peaks and small_memory:
        big_total = max(total for total, _ in peaks)
        big_root = max(root for _, root in peaks)
        rows.append(
            Row(
                f"(c) peak memory, {small_count} vs {count} cases (all processes)",
                f"{big_total / 2**20:.0f} MB",
                f"{small_memory.peak_total / 2**20:.0f} MB",
                f"{big_total / small_memory.peak_total:.2f}×",
                "flat (≈ 1×)",
                "yes" if big_total / small_memory.peak_total <= 1.25 else "NO",
            )
        )
        rows.append(
            Row(
                f"    peak memory of the main process, {small_count} vs {count}",
                f"{big_root / 2**20:.0f} MB",
                f"{small_memory.peak_root / 2**20:.0f} MB",
                f"{big_root / small_memory.peak_root:.2f}×",
                "",
            )
        )
    return rows


# --- (d) DOCX -> PDF ---------------------------------------------------------------------------------


def bench_pdf(count: int, single_docs: int, repeats: int, work: Path) -> list[Row]:
    from docassemble_asylum.render import pdf_convert

    measure = f"(d) DOCX→PDF per document, batch of {count} vs 1 soffice per document"
    program = pdf_convert.find_program()
    if program is None:
        return [Row(measure, "n/a", "n/a", "n/a (LibreOffice is not installed)", "≤ 0.25×")]
    log(f"(d) DOCX -> PDF: batch of {count} cases with and without --pdf, {single_docs} single conversions")
    cases = write_cases(work / f"pdf-cases-{count}.jsonl", count)
    with_pdf, without = [], []
    docx_dir = None
    for repeat in range(repeats):
        out = work / f"pdf-off-{repeat}"
        without.append(run_batch(cases, out, "--jobs", "2")[0])
        if docx_dir is None:
            docx_dir = out
        else:
            shutil.rmtree(out, ignore_errors=True)
        out = work / f"pdf-on-{repeat}"
        with_pdf.append(run_batch(cases, out, "--jobs", "2", "--pdf")[0])
        shutil.rmtree(out, ignore_errors=True)
        log(f"    repeat {repeat + 1}/{repeats}: with --pdf {with_pdf[-1]:.1f} s, without {without[-1]:.1f} s")
    documents = sorted(docx_dir.glob("*/*.docx"))
    per_document = (median(with_pdf) - median(without)) / len(documents)

    # Baseline: one soffice per document, on a warm profile (the most favourable case for it).
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-profile-"))
    single = []
    try:
        out = work / "single-pdf"
        out.mkdir()
        chosen = documents[: single_docs + 1]
        for number, document in enumerate(chosen):
            start = time.perf_counter()
            subprocess.run(
                [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out / str(number)), str(document)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
                timeout=300,
            )
            if number:  # the first one warms the profile up and is not counted
                single.append(time.perf_counter() - start)
        # For information: pdf_convert.convert on every DOCX in one call, in this process.
        staged = work / "staged"
        staged.mkdir()
        copies = []
        for number, document in enumerate(documents):
            copy_path = staged / f"{number:05d}-{document.name}"
            shutil.copyfile(document, copy_path)
            copies.append(copy_path)
        start = time.perf_counter()
        pdf_convert.convert(copies, work / "one-call")
        one_call = (time.perf_counter() - start) / len(copies)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return [
        ratio_row(measure, per_document, median(single), 0.25),
        Row(f"    one convert() call for all {len(documents)} DOCX (1 process)", ms(one_call), ms(median(single)), f"{one_call / median(single):.2f}×"),
    ]


# --- (e) start-up -------------------------------------------------------------------------------------


def bench_cli(repeats: int) -> list[Row]:
    log("(e) command start-up")
    base_command = [sys.executable, "-c", "pass"]
    commands = {
        "asylumdocs --help": [*cli_command(), "--help"],
        "asylumdocs deadline cnda --notified 2026-03-02 --json": [*cli_command(), "deadline", "cnda", "--notified", "2026-03-02", "--json"],
    }

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    for command in [base_command, *commands.values()]:
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in ["base", *commands]}
    for _ in range(repeats):
        times["base"].append(timed(base_command))
        for name, command in commands.items():
            times[name].append(timed(command))
    base = median(times["base"])
    rows = []
    for name in commands:
        extra = median(times[name]) - base
        rows.append(Row(f"(e) {name} vs python -c pass", ms(median(times[name])), ms(base), f"+{extra:.3f} s", "≤ +0.25 s", "yes" if extra <= 0.25 else "NO"))
    return rows


# --- the table ----------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = Row("measure", "ours", "baseline", "ratio", "goal", "met")
    cells = [list(asdict(header).values())] + [list(asdict(row).values()) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header.__dict__))]
    lines = []
    for number, line in enumerate(cells):
        lines.append(" | ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
        if number == 0:
            lines.append("-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def machine() -> str:
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"Python {platform.python_version()}, {cores} cores, load average {load}, {platform.platform()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and cases (a rough look, not the reported numbers)")
    parser.add_argument("--only", help="comma-separated parts to run: a,b,c,d,e")
    args = parser.parse_args()
    parts = set((args.only or "a,b,c,d,e").split(","))
    if args.quick:
        settings = {"docx": 10, "form": 10, "batch": (100, 1), "pdf": (20, 3, 1), "cli": 5}
    else:
        settings = {"docx": 40, "form": 20, "batch": (500, 3), "pdf": (50, 6, 3), "cli": 15}
    print(f"asylumdocs benchmarks ({'quick' if args.quick else 'full'}): {machine()}", file=sys.stderr)
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="asylumdocs-bench-") as tmp:
        work = Path(tmp)
        if "a" in parts:
            rows += bench_docx(settings["docx"])
        if "b" in parts:
            rows += bench_form(settings["form"])
        if "c" in parts:
            rows += bench_batch(*settings["batch"], work)
        if "d" in parts:
            rows += bench_pdf(*settings["pdf"], work)
        if "e" in parts:
            rows += bench_cli(settings["cli"])
    text = table(rows)
    summary = f"{machine()}; {'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s"
    print(text)
    print(summary)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(
        json.dumps({"machine": summary, "rows": [asdict(row) for row in rows]}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
