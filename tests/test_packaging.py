"""The wheel carries everything: templates, rule data, catalogs, examples.

Built from this checkout, installed into a brand-new virtual environment, and run from
a folder outside the repository, so that nothing can be found by accident in the source
tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("docassemble_asylum-*.whl")
    return found


def test_wheel_contains_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "docassemble_asylum/templates/letters/cnda_appeal.docx",
        "docassemble_asylum/templates/letters/summary.docx",
        "docassemble_asylum/rules/data/calendar/public_holidays.yaml",
        "docassemble_asylum/rules/data/cnda/appeal_period.yaml",
        "docassemble_asylum/examples/cnda-appeal.yaml",
        "docassemble_asylum/locale/fr/LC_MESSAGES/core.mo",
    ):
        assert required in names, required
    # every template and rule file of the checkout is in the wheel
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and path.suffix in {".docx", ".pdf", ".yaml"}:
            assert f"docassemble_asylum/templates/{path.relative_to(ROOT / 'templates')}" in names
    for path in (ROOT / "docassemble_asylum" / "rules" / "data").rglob("*.yaml"):
        assert f"docassemble_asylum/{path.relative_to(ROOT / 'docassemble_asylum')}" in names


def test_installed_wheel_builds_from_outside_the_repository(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=900)
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    clean_env["ASYLUMDOCS_LANG"] = "en"
    exe = env_dir / "bin" / "asylumdocs"
    example = subprocess.run([str(exe), "example", "cnda-appeal", "--today", "2026-04-28"], cwd=work, env=clean_env, capture_output=True, text=True)
    assert example.returncode == 0, example.stderr
    (work / "case.yaml").write_text(example.stdout, encoding="utf-8")
    built = subprocess.run(
        [str(exe), "build", "cnda-appeal", "--answers", "case.yaml", "--out", "out", "--today", "2026-04-28"],
        cwd=work,
        env=clean_env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    # the installed code, not the checkout, did the work
    where = subprocess.run(
        [str(python), "-c", "import docassemble_asylum, sys; print(docassemble_asylum.__file__)"],
        cwd=work,
        env=clean_env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in where.stdout
    # the question sets ship too: the guided interview can start from the wheel
    loaded = subprocess.run(
        [str(python), "-c", "from docassemble_asylum.questions import loader; print(len(list(loader.load('reunification').questions())))"],
        cwd=work,
        env=clean_env,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert int(loaded.stdout) > 20
    from docassemble_asylum.render.docx import docx_text

    text = docx_text((work / "out" / "recours-cnda.docx").read_bytes())
    assert "Cour nationale du droit d’asile" in text  # the French letter is typeset
    assert "Samira Leïla HADDAD" in text
