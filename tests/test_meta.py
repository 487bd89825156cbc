"""Completeness checks on the project itself: catalogs, templates, rules.

Like sqlite-utils' documentation tests: they fail when something was added without its
translation, its template script, or its source.
"""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.conftest import ROOT
from pinned_examples import pinned_example_text


def test_catalogs_are_fresh_and_fully_translated():
    result = subprocess.run([sys.executable, "tools/i18n.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_templates_match_their_scripts():
    result = subprocess.run([sys.executable, "tools/make_templates.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_shipped_rule_has_sources_and_a_check_date():
    from docassemble_asylum.rules import rulebook

    book = rulebook()
    assert len(list(book.keys())) >= 10
    for rule in book:
        for version in rule.versions:
            assert version.references, rule.key
            assert all(r.url.startswith("https://") for r in version.references), rule.key
            assert version.checked_on.year >= 2024, rule.key


def test_cnda_template_needs_only_what_the_context_gives():
    from docxtpl import DocxTemplate

    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.cnda_appeal import render_context
    from docassemble_asylum.render.docx import jinja_env
    from docassemble_asylum.resources import letter_template

    spec = get("cnda-appeal")
    answers = spec.model.model_validate(yaml.safe_load(pinned_example_text("cnda-appeal")))
    # With the renderer's environment: the templates use its filters (agree, date_fr…).
    needed = DocxTemplate(str(letter_template("cnda_appeal.docx"))).get_undeclared_template_variables(jinja_env=jinja_env())
    assert needed == set(render_context(answers))


def test_core_never_imports_docassemble():
    offenders = []
    for path in (ROOT / "docassemble_asylum").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import docassemble ", "import docassemble.", "from docassemble ", "from docassemble.")):
                offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []


def test_help_lists_every_command_and_each_has_help():
    from click.testing import CliRunner

    from docassemble_asylum.cli import COMMANDS, cli

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.list_commands(None):
        assert name in result.output
        sub = CliRunner().invoke(cli, [name, "-h"])
        assert sub.exit_code == 0, (name, sub.output)
        assert "Usage:" in sub.output
    assert set(cli.list_commands(None)) <= set(COMMANDS)
