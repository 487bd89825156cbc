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


# ---------------------------------------------------------------- one block per variable


def _question_blocks(path: Path) -> list[tuple[str, dict]]:
    """(language, block) for every question block of a generated interview."""
    import yaml

    found, lang = [], "all"  # blocks before any `default language:` are for every language
    for block in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        if not isinstance(block, dict):
            continue
        lang = block.get("default language", lang)
        if "question" in block:
            found.append((lang, block))
    return found


def _variables_defined(block: dict) -> list[str]:
    names = [entry["no label"] for entry in block.get("fields") or [] if "no label" in entry]
    names += [block[key] for key in ("field", "yesno", "noyes", "continue button field") if key in block]
    return names


def _when_of(condition: str) -> tuple[str, dict[str, str]]:
    """The question-set condition inside a block's ``if: asylum_when(target, 'cond', ...)``."""
    call = ast.parse(condition, mode="eval").body
    assert isinstance(call, ast.Call) and getattr(call.func, "id", "") == "asylum_when", f"if: {condition!r} is not asylum_when(...)"
    keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg == "functions"}
    return ast.literal_eval(call.args[1]), keywords.get("functions", {})


def _could_both_hold(first: str, second: str) -> bool:
    """Whether some answers make both conditions true (every value they compare, every function result)."""
    import itertools

    from docassemble_asylum.questions import conditions

    paths = sorted(set(conditions.names(first)) | set(conditions.names(second)))
    candidates = {path: [None, True, False] for path in paths}
    for text in (first, second):
        for path, literal in conditions.literals_compared(text):
            candidates[path].append(literal)
    functions = sorted(set(conditions.functions_called(first)) | set(conditions.functions_called(second)))
    for values in itertools.product(*(candidates[p] for p in paths)):
        lookup = dict(zip(paths, values)).get
        for results in itertools.product((True, False), repeat=len(functions)):
            called = {name: (lambda *_args, _r=result: _r) for name, result in zip(functions, results)}
            if conditions.evaluate(first, lookup, called) and conditions.evaluate(second, lookup, called):
                return True
    return False


def _overlapping_definitions(path: Path) -> list[str]:
    from collections import defaultdict

    defined: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for lang, block in _question_blocks(path):
        for name in _variables_defined(block):
            defined[lang, name].append(block)
    problems = []
    for (lang, name), blocks in sorted(defined.items()):
        if len(blocks) < 2:
            continue
        ids = [b.get("id") for b in blocks]
        if any("if" not in b for b in blocks):
            problems.append(f"{path.stem} ({lang}): {name} is defined by {ids}, not all with an if:")
            continue
        whens = [_when_of(b["if"])[0] for b in blocks]
        for (i, a), (j, b) in _pairs(list(enumerate(whens))):
            if _could_both_hold(a, b):
                problems.append(f"{path.stem} ({lang}): {name}: {ids[i]} and {ids[j]} can both apply ({a!r}, {b!r})")
    return problems


def _pairs(items):
    import itertools

    return itertools.combinations(items, 2)


def test_every_variable_is_asked_by_one_block_at_a_time():
    """docassemble asks the LAST block defining a variable unless an if: rules it out.

    Two blocks for one variable (a lawyer's name, a representative's name) must have
    conditions no answers can make true together.
    """
    paths = sorted((ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml"))
    assert paths
    problems = [line for path in paths for line in _overlapping_definitions(path)]
    assert not problems, "\n".join(problems)


def test_the_one_block_check_catches_overlaps(tmp_path):
    sample = tmp_path / "sample.yml"
    sample.write_text(
        "default language: en\n---\nid: a\nquestion: A\nfields:\n- no label: x.name\n"
        "if: asylum_when(asylum_answers, 'x.kind == \"lawyer\"')\n---\n"
        "id: b\nquestion: B\nfields:\n- no label: x.name\n"
        "if: asylum_when(asylum_answers, 'x.kind in [\"lawyer\", \"association\"]')\n---\n"
        "id: c\nquestion: C\nfields:\n- no label: x.phone\n---\nid: d\nquestion: D\nfields:\n- no label: x.phone\n"
        "if: asylum_when(asylum_answers, 'x.kind == \"lawyer\"')\n",
        encoding="utf-8",
    )
    assert _overlapping_definitions(sample) == [
        "sample (en): x.name: a and b can both apply ('x.kind == \"lawyer\"', 'x.kind in [\"lawyer\", \"association\"]')",
        "sample (en): x.phone is defined by ['c', 'd'], not all with an if:",
    ]


def test_a_review_change_is_processed_after_the_language_is_set():
    """A "Change" on the problems screen is an action: processed after set_language, or its screen is English."""
    import yaml

    for path in sorted((ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml")):
        initial = [b for b in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(b, dict) and b.get("initial")]
        assert [b["code"] for b in initial] == ["set_language(asylum_lang)\nprocess_action()\n"], path.stem


GENERATED = ROOT / "docassemble" / "asylum" / "data" / "questions"


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*.yml")), ids=lambda p: p.stem)
def test_the_top_bar_title_fits_one_line_and_is_typeset_in_french(path):
    """The top bar shows ``title`` (and ``short title`` on a phone). At 1200 px the French titles
    of 56 and 57 characters wrapped (about 500 px in a 20 px sans); the bound of
    ``SHORT_TITLE_MAX`` (32) characters stays under 340 px even in the wide DejaVu Sans.
    The full title stays in the browser tab and heads the first screen."""
    import yaml

    from docassemble_asylum.questions.schema import SHORT_TITLE_MAX

    metadata = next(iter(yaml.safe_load_all(path.read_text(encoding="utf-8"))))["metadata"]
    for key in ("title", "short title", "tab title"):
        assert set(metadata[key]) == {"fr", "en"}, key
        assert "'" not in metadata[key]["fr"], (key, metadata[key]["fr"])
    assert metadata["short title"] == metadata["title"]
    for lang in ("fr", "en"):
        assert 0 < len(metadata["title"][lang]) <= SHORT_TITLE_MAX, metadata["title"][lang]
        assert len(metadata["tab title"][lang]) >= len(metadata["title"][lang])
    intro = next(block for block in yaml.safe_load_all(path.read_text(encoding="utf-8")) if block and block.get("id") == "fr intro")
    assert metadata["tab title"]["fr"].replace("’", "'") == intro["question"].replace("’", "'")


def test_the_interview_notice_title_reads_as_a_french_title():
    import yaml

    path = GENERATED / "interview-notice.yml"
    metadata = next(iter(yaml.safe_load_all(path.read_text(encoding="utf-8"))))["metadata"]
    assert metadata["title"] == {"fr": "Accompagnement à l’entretien", "en": "Notice of a companion"}
    assert metadata["tab title"]["fr"] == "Information de l’Ofpra d’un accompagnement à l’entretien"


def test_a_question_set_without_a_short_enough_title_is_refused():
    from pydantic import ValidationError

    from docassemble_asylum.questions.schema import QuestionSet

    base = {"procedure": "demo", "title": "Demo", "sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "field": "q", "type": "text", "label": "Q"}]}]}
    with pytest.raises(ValidationError, match="short_title"):
        QuestionSet.model_validate(base)
    with pytest.raises(ValidationError, match="at most 32 characters"):
        QuestionSet.model_validate({**base, "short_title": "x" * 33})
    assert QuestionSet.model_validate({**base, "short_title": "x" * 32}).short_title == "x" * 32
