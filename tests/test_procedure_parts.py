"""Every procedure is complete, every part belongs to one, and file names stay with their owner.

``tools/procedure_parts.py`` is run on the repository, and on a copy of it with a
temporary procedure (``demo``) that has every part: removing any one part, or the
registry entry, is reported with a message that names what is missing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))

from tools import procedure_parts  # noqa: E402
from tools.procedure_parts import Registry, problems, stray_names  # noqa: E402

PKG = "docassemble_asylum"

# The parts of the temporary procedure, as files of the copy (path -> content).
DEMO_FILES = {
    f"{PKG}/procedures/demo.py": "PROCEDURE = None\n",
    "interviews/demo.yml": "title: Demo\n",
    f"{PKG}/models/demo.py": "class Demo: ...\n",
    f"{PKG}/examples/demo.yaml": "applicant: {}\n",
    f"{PKG}/rules/data/demo/period.yaml": "key: demo.period\n",
    f"{PKG}/locale/demo.sources": f"# The demo procedure.\n{PKG}/models/demo.py\n{PKG}/procedures/demo*.py\n",
    f"{PKG}/locale/fr/LC_MESSAGES/demo.po": "",
    f"{PKG}/locale/en/LC_MESSAGES/demo.po": "",
    "templates/letters/demo.docx": "",
    "tools/templates/demo.py": '"""Template of the demo letter (demo.docx)."""\n\nOUTPUT = "demo.docx"\n',
    "docassemble/asylum/data/questions/demo.yml": "",
}
README_ENTRY = "**`demo`** — a procedure that exists only in this test.\n\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The parts of the repository the check reads, copied once."""
    root = tmp_path_factory.mktemp("pristine")
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")
    for folder in ("interviews", PKG, "templates", "tools/templates", "tools/forms", "docassemble/asylum"):
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    shutil.copy(ROOT / "README.md", root / "README.md")
    return root


@pytest.fixture
def repo(pristine, tmp_path) -> Path:
    """A copy of the repository with every part of the ``demo`` procedure."""
    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    for path, text in DEMO_FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    readme = root / "README.md"
    heading = "## The procedures\n\n"
    readme.write_text(readme.read_text(encoding="utf-8").replace(heading, heading + README_ENTRY), encoding="utf-8")
    return root


def demo_procedure(**changes):
    import dataclasses

    from pydantic import create_model

    from docassemble_asylum.procedures.base import Procedure
    from docassemble_asylum.procedures.outputs import letter, summary_sheet

    def context(answers, today):
        return {}

    model = create_model("Demo", __module__=f"{PKG}.models.demo")
    spec = Procedure(
        name="demo",
        title="Demo",
        model=model,
        consistency=lambda answers, today: [],
        outputs=(letter("demo.docx", "demo.docx", "Demo letter", context), summary_sheet(context)),
        rules="demo",
        catalog="demo",
    )
    return dataclasses.replace(spec, **changes)


def with_demo(spec=None) -> Registry:
    current = Registry.current()
    return Registry(
        {**current.procedures, "demo": spec or demo_procedure()},
        {**current.modules, "demo": f"{PKG}.procedures.demo"},
        current.shared,
    )


# ------------------------------------------------------------------ the repository


def test_every_procedure_of_the_repository_has_all_its_parts_and_every_part_has_a_procedure():
    assert problems() == []


def test_no_document_name_or_template_outside_its_procedure_and_template_script():
    assert stray_names() == []


def test_the_check_reads_the_registry(monkeypatch):
    """A registered procedure taken out of the registry leaves its parts orphaned."""
    from docassemble_asylum import procedures

    monkeypatch.setattr(procedures, "MODULES", {k: v for k, v in procedures.MODULES.items() if k != "interview-notice"})
    found = problems()
    orphan = "of no registered procedure and no shared part"
    assert f"interviews/interview-notice.yml: question set {orphan}" in found
    assert f"{PKG}/examples/interview-notice.yaml: example {orphan}" in found
    assert f"{PKG}/models/interview_notice.py: model {orphan}" in found
    assert f"{PKG}/rules/data/interview/: rule folder {orphan}" in found
    assert f"{PKG}/locale/interview.sources: catalog {orphan}" in found
    assert f"templates/letters/interview_notice.docx: template {orphan}" in found
    assert f"tools/templates/interview_notice.py: template script {orphan}" in found
    assert f"README.md: **`interview-notice`**: README section (“The procedures”) {orphan}" in found


# ------------------------------------------------------------------ a temporary procedure


def test_a_temporary_procedure_with_every_part_is_complete(repo):
    assert problems(repo, with_demo()) == []
    assert stray_names(repo, with_demo()) == []


@pytest.mark.parametrize(
    "removed, message",
    [
        (f"{PKG}/procedures/demo.py", f"demo: no procedure module ({PKG}/procedures/demo.py)"),
        ("interviews/demo.yml", "demo: no question set (interviews/demo.yml)"),
        (f"{PKG}/models/demo.py", f"demo: no model ({PKG}/models/demo.py)"),
        (f"{PKG}/examples/demo.yaml", f"demo: no example ({PKG}/examples/demo.yaml)"),
        (f"{PKG}/rules/data/demo/period.yaml", f"demo: no rule in its rule folder ({PKG}/rules/data/demo/)"),
        (f"{PKG}/locale/demo.sources", f"demo: no catalog ({PKG}/locale/demo.sources)"),
        (f"{PKG}/locale/fr/LC_MESSAGES/demo.po", f"demo: no fr catalog ({PKG}/locale/fr/LC_MESSAGES/demo.po)"),
        ("templates/letters/demo.docx", "demo: no template for demo.docx (templates/letters/demo.docx)"),
        ("tools/templates/demo.py", "demo: no generator script in tools/templates/ writes the template letters/demo.docx"),
        (
            "docassemble/asylum/data/questions/demo.yml",
            "demo: no generated docassemble interview (python tools/make_docassemble.py) "
            "(docassemble/asylum/data/questions/demo.yml)",
        ),
    ],
)
def test_removing_one_part_of_a_procedure_is_reported(repo, removed, message):
    (repo / removed).unlink()
    assert problems(repo, with_demo()) == [message]


def test_a_procedure_without_its_readme_section_is_reported(repo):
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(README_ENTRY, ""), encoding="utf-8")
    assert problems(repo, with_demo()) == [
        "demo: no section in the README's “The procedures” (a paragraph opening with **`demo`**)"
    ]


def test_a_procedure_module_missing_from_its_catalog_is_reported(repo):
    (repo / PKG / "locale" / "demo.sources").write_text(f"{PKG}/models/demo.py\n", encoding="utf-8")
    assert problems(repo, with_demo()) == [
        f"demo: {PKG}/procedures/demo.py is not in its catalog ({PKG}/locale/demo.sources)"
    ]


def test_a_procedure_that_declares_no_documents_is_reported_and_its_template_orphaned(repo):
    assert problems(repo, with_demo(demo_procedure(outputs=()))) == [
        "demo: no documents declared (Procedure.outputs)",
        "templates/letters/demo.docx: template of no registered procedure and no shared part",
        "tools/templates/demo.py: template script of no registered procedure and no shared part",
    ]


def test_a_procedure_that_declares_no_catalog_is_reported(repo):
    found = problems(repo, with_demo(demo_procedure(catalog="")))
    assert found == [
        "demo: no catalog domain declared (Procedure.catalog)",
        f"{PKG}/locale/demo.sources: catalog of no registered procedure and no shared part",
    ]


def test_an_email_must_attach_a_declared_document(repo):
    from docassemble_asylum.procedures.outputs import Email

    spec = demo_procedure()
    spec = demo_procedure(outputs=(*spec.outputs, Email("demo.eml", "other.docx", "Demo e-mail", lambda a, t: {})))
    assert problems(repo, with_demo(spec)) == [
        "demo: the e-mail demo.eml attaches other.docx, which is not declared before it"
    ]


def test_parts_without_a_registry_entry_are_each_reported(repo):
    orphan = "of no registered procedure and no shared part"
    assert problems(repo, Registry.current()) == [
        f"interviews/demo.yml: question set {orphan}",
        f"{PKG}/models/demo.py: model {orphan}",
        f"{PKG}/examples/demo.yaml: example {orphan}",
        f"{PKG}/rules/data/demo/: rule folder {orphan}",
        f"{PKG}/locale/demo.sources: catalog {orphan}",
        f"{PKG}/procedures/demo.py: procedure module {orphan}",
        f"templates/letters/demo.docx: template {orphan}",
        f"tools/templates/demo.py: template script {orphan}",
        f"docassemble/asylum/data/questions/demo.yml: generated docassemble interview {orphan}",
        f"README.md: **`demo`**: README section (“The procedures”) {orphan}",
    ]


def test_a_folder_of_question_blocks_must_be_the_shared_one(repo):
    (repo / "interviews" / "parts").mkdir()
    assert problems(repo, with_demo()) == [
        "interviews/parts/: folder of question blocks of no registered procedure and no shared part"
    ]


# ------------------------------------------------------------------ names in the source


def test_a_document_name_is_reported_outside_its_owners(repo):
    (repo / PKG / "commands" / "extra.py").write_text('NAME = "demo.docx"\n\nTEMPLATE = "letters/demo.docx"\n', encoding="utf-8")
    (repo / "tools" / "templates" / "other.py").write_text('"""Not the demo letter\'s script: recours-cnda.docx."""\n', encoding="utf-8")
    assert stray_names(repo, with_demo()) == [
        f"{PKG}/commands/extra.py:1: names 'demo.docx', which only its procedure's modules and template script may name",
        f"{PKG}/commands/extra.py:3: names 'demo.docx', which only its procedure's modules and template script may name",
        f"{PKG}/commands/extra.py:3: names 'letters/demo.docx', which only its procedure's modules and template script may name",
        "tools/templates/other.py:1: names 'recours-cnda.docx', which only its procedure's modules and template script may name",
    ]


def test_a_procedure_may_name_its_files_in_its_modules_and_template_script(repo):
    (repo / PKG / "procedures" / "demo_packet.py").write_text('LETTER = "demo.docx"  # summary.docx too\n', encoding="utf-8")
    assert stray_names(repo, with_demo()) == []
    # …but not another procedure's
    (repo / PKG / "procedures" / "demo_packet.py").write_text('OTHER = "recours-cnda.docx"\n', encoding="utf-8")
    assert stray_names(repo, with_demo()) == [
        f"{PKG}/procedures/demo_packet.py:1: names 'recours-cnda.docx', which only its procedure's modules and template script may name"
    ]


def test_the_tool_exits_1_and_lists_the_problems(capsys, repo):
    assert procedure_parts.main(repo, Registry.current()) == 1
    assert "interviews/demo.yml: question set of no registered procedure and no shared part\n" in capsys.readouterr().err
    assert procedure_parts.main(repo, with_demo()) == 0
    assert capsys.readouterr().err == ""
