"""The docassemble package, checked without docassemble (main environment).

- the generated interviews (docassemble/asylum/data/questions/) are those the question
  sets and catalogs produce today (``python tools/make_docassemble.py`` refreshes them);
- their French blocks are French (every text has a French translation);
- the core package never imports docassemble (it must stay usable and testable without it);
- ``docassemble`` stays a namespace package, and every interview offers documents.

The interviews themselves are run by docassemble's own code in tests/docassemble/
(docassemble environment, ``.ci/docassemble-env``).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tests.conftest import ROOT


def make_docassemble():
    return importlib.import_module("tools.make_docassemble")


def test_generated_interviews_are_up_to_date():
    problems = make_docassemble().run(check=True, allow_untranslated=True)
    assert not problems, "\n".join(problems)


def test_generated_interviews_are_translated():
    """A French block with an English text would show English to French users."""
    tool = make_docassemble()
    missing = {}
    for procedure in tool.procedures():
        _blocks, lacking = tool.Generator(procedure).blocks()
        if lacking:
            missing[procedure] = sorted(lacking)
    summary = "; ".join(f"{name}: {len(ids)} texts, e.g. {ids[:3]}" for name, ids in missing.items())
    assert not missing, f"no French translation (python tools/i18n.py, then fill in the msgstr): {summary}"


def test_every_procedure_with_a_question_set_has_a_generated_interview():
    tool = make_docassemble()
    names = set(tool.procedures())
    assert "cnda-appeal" in names
    generated = {p.stem for p in (ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml")}
    assert generated == names


def test_every_generated_interview_offers_the_procedures_documents():
    from docassemble_asylum.procedures import get

    for path in (ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml"):
        documents = get(path.stem).documents
        assert documents, f"{path.stem}: its procedure declares no documents"
        text = path.read_text(encoding="utf-8")
        for document in documents:
            assert f"{document.format} template file: {document.template_path}" in text
            assert (ROOT / "templates" / document.template_path).is_file()


def test_docassemble_is_a_namespace_package():
    assert not (ROOT / "docassemble" / "__init__.py").exists()
    assert (ROOT / "docassemble" / "asylum" / "__init__.py").is_file()


def _docassemble_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def is_docassemble(name: str | None) -> bool:
        return bool(name) and (name == "docassemble" or name.startswith("docassemble."))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{path}:{node.lineno} import {a.name}" for a in node.names if is_docassemble(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and is_docassemble(node.module):
            found.append(f"{path}:{node.lineno} from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__", "find_spec") and isinstance(node.args[0].value, str):
                if is_docassemble(node.args[0].value):
                    found.append(f"{path}:{node.lineno} {name}({node.args[0].value!r})")
    return found


def test_core_never_imports_docassemble():
    files = sorted((ROOT / "docassemble_asylum").rglob("*.py"))
    assert len(files) > 20
    found = [line for path in files for line in _docassemble_imports(path)]
    assert not found, "the core imports docassemble:\n" + "\n".join(found)


def test_the_import_check_catches_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import docassemble.base.util\nfrom docassemble.base import parse\nimport importlib\n"
        "importlib.import_module('docassemble.base.util')\nimport docassemble_asylum\n",
        encoding="utf-8",
    )
    assert len(_docassemble_imports(sample)) == 3


@pytest.mark.parametrize("name", ["glue.py", "__init__.py"])
def test_docassemble_package_modules_compile(name):
    source = (ROOT / "docassemble" / "asylum" / name).read_text(encoding="utf-8")
    compile(source, name, "exec")
