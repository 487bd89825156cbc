"""Same answers, same version: byte-identical files, so a lawyer can diff two drafts (issue 9).

Two builds in separate processes, with different hash seeds, time zones and clocks
(more than a second apart), must give the same bytes for every file: DOCX letters and
summary sheets, PDF forms, e-mails, the manifest. The manifest records the SHA-256 of
the answers file exactly as it is on disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fuzz_support import NotBuildable, assert_complete_case_folder, buildable_procedures, probe


def _probe_or_skip(name):
    try:
        return probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))


def _build(args: list[str], *, seed: str, tz: str) -> None:
    env = {**os.environ, "ASYLUMDOCS_LANG": "en", "PYTHONHASHSEED": seed, "TZ": tz}
    result = subprocess.run([sys.executable, "-m", "docassemble_asylum", *args], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("name", buildable_procedures())
def test_two_builds_are_byte_identical(name, tmp_path):
    info = _probe_or_skip(name)
    answers = tmp_path / "answers.yaml"
    answers.write_text(info.example_yaml(), encoding="utf-8")
    common = ["build", name, "--answers", str(answers), "--today", info.today_arg]
    _build([*common, "--out", str(tmp_path / "first")], seed="1", tz="UTC")
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    _build([*common, "--out", str(tmp_path / "second")], seed="2", tz="Pacific/Kiritimati")
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert sorted(first) == sorted(second)
    different = [n for n in first if first[n] != second[n]]
    assert different == [], f"not reproducible: {different}"
    manifest = assert_complete_case_folder(tmp_path / "first")
    assert manifest["input_sha256"] == hashlib.sha256(answers.read_bytes()).hexdigest()
    kinds = {Path(n).suffix for n in first}
    print(f"\n[reproducible] {name}: {sorted(first)} identical")
    assert ".docx" in kinds


@pytest.mark.parametrize("name", buildable_procedures())
def test_docx_have_fixed_timestamps_and_metadata(name, tmp_path):
    from docassemble_asylum.render.docx import FIXED_ZIP_TIME

    info = _probe_or_skip(name)
    answers = tmp_path / "answers.yaml"
    answers.write_text(info.example_yaml(), encoding="utf-8")
    _build(["build", name, "--answers", str(answers), "--today", info.today_arg, "--out", str(tmp_path / "out")], seed="0", tz="UTC")
    for path in sorted((tmp_path / "out").glob("*.docx")):
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            assert {i.date_time for i in archive.infolist()} == {FIXED_ZIP_TIME}, path.name
            core = archive.read("docProps/core.xml").decode()
            assert "2000-01-01T00:00:00Z" in core, path.name
            # No user name or host of the machine that built it.
            assert "<dc:creator>asylumdocs</dc:creator>" in core and "<cp:lastModifiedBy>asylumdocs</cp:lastModifiedBy>" in core, path.name


def test_the_manifest_hashes_the_input_file_exactly(tmp_path):
    """The same answers as YAML and as JSON are two inputs: two hashes, the same letters."""
    import yaml

    name = next((n for n in buildable_procedures() if _buildable(n)), None)
    if name is None:
        pytest.skip("no procedure builds its example yet")
    info = probe(name)
    as_yaml = tmp_path / "answers.yaml"
    as_yaml.write_text(info.example_yaml(), encoding="utf-8")
    as_json = tmp_path / "answers.json"
    as_json.write_text(json.dumps(yaml.safe_load(info.example_yaml()), ensure_ascii=False), encoding="utf-8")
    from fuzz_support import run_in_process

    for path in (as_yaml, as_json):
        out = tmp_path / f"out-{path.suffix[1:]}"
        result = run_in_process(["build", name, "--answers", str(path), "--out", str(out), "--today", info.today_arg])
        assert result.code == 0, result.stderr
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert manifest["procedure"] == name and manifest["tool_version"]
    yaml_files, json_files = _files(tmp_path / "out-yaml"), _files(tmp_path / "out-json")
    assert {n: b for n, b in yaml_files.items() if n != "manifest.json"} == {n: b for n, b in json_files.items() if n != "manifest.json"}
    assert yaml_files["manifest.json"] != json_files["manifest.json"]


def test_pdf_conversion_is_reproducible(tmp_path):
    """--pdf: the PDFs LibreOffice makes are normalised too (skipped without LibreOffice)."""
    from conftest import require_tool

    require_tool("soffice")
    name = next((n for n in buildable_procedures() if _buildable(n)), None)
    if name is None:
        pytest.skip("no procedure builds its example yet")
    info = probe(name)
    answers = tmp_path / "answers.yaml"
    answers.write_text(info.example_yaml(), encoding="utf-8")
    common = ["build", name, "--answers", str(answers), "--today", info.today_arg, "--pdf"]
    _build([*common, "--out", str(tmp_path / "first")], seed="1", tz="UTC")
    time.sleep(1.1)
    _build([*common, "--out", str(tmp_path / "second")], seed="2", tz="Asia/Kolkata")
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert any(n.endswith(".pdf") for n in first)
    assert [n for n in first if first[n] != second.get(n)] == []


def _buildable(name) -> bool:
    try:
        probe(name)
    except NotBuildable:
        return False
    return True
