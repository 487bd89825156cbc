"""Every generated interview is read by docassemble's own parser, strictly.

Strictly: anything docassemble only logs (an unknown key, for instance) fails the test,
as an error would. The meta-tests at the end show the harness catches what it claims to.
"""

from __future__ import annotations

import textwrap

import pytest
from da_fixtures import installed, offline, requires_docassemble  # noqa: F401 (fixtures)
from offline import ROOT, address, procedures

pytestmark = requires_docassemble
PROCEDURES = procedures()


def test_every_procedure_with_a_question_set_has_an_interview():
    from docassemble_asylum.procedures import available

    question_sets = {p.stem for p in (ROOT / "interviews").glob("*.yml")}
    assert set(PROCEDURES) == {name for name in available() if name in question_sets}
    assert "cnda-appeal" in PROCEDURES


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_interview_loads_strictly(offline, procedure):
    interview = offline.load(address(procedure))
    ids = {str(getattr(q, "id", "")) for q in interview.questions_list}
    for lang in ("fr", "en"):
        assert f"{lang} problems" in ids and f"{lang} intro" in ids
        assert f"{lang} documents" in ids or f"{lang} documents 1" in ids


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_model_fields_do_not_collide_with_docassemble_objects(offline, procedure):
    """A model field named like a DAObject attribute would be that attribute, not an answer."""
    from docassemble.base.util import DAObject

    from docassemble_asylum.questions import loader
    from docassemble_asylum.questions.fields import split

    taken = {name for name in dir(DAObject) if not name.startswith("__")}
    for question in loader.load_path(ROOT / "interviews" / f"{procedure}.yml").questions():
        for part in split(question.field):
            assert part.startswith("[") or part not in taken, f"{question.field}: {part} is a docassemble attribute"


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_top_level_names_do_not_shadow_docassemble(offline, procedure):
    """``applicant``, ``facts``… must not hide a docassemble function or special variable."""
    import docassemble.base.util as util

    from docassemble_asylum.questions import loader

    offline.setup()
    parse = offline._STATE["parse"]
    special = set(parse.get_initial_dict()) | set(getattr(util, "__all__", dir(util)))
    names = {q.field.split(".")[0].split("[")[0] for q in loader.load_path(ROOT / "interviews" / f"{procedure}.yml").questions()}
    assert not names & special


def test_generator_refuses_every_daobject_attribute(offline, monkeypatch):
    """tools/make_docassemble.py keeps its own list (it runs without docassemble): it must be complete."""
    import importlib

    from docassemble.base.util import DAObject

    monkeypatch.syspath_prepend(str(ROOT))
    tool = importlib.import_module("tools.make_docassemble")
    public = {name for name in dir(DAObject) if not name.startswith("_")}
    assert public <= tool.RESERVED_ATTRIBUTES


def test_glue_registers_the_core_filters(offline):
    import docassemble.asylum.glue  # noqa: F401
    from docassemble.base.jinja import registered_jinja_filters

    from docassemble_asylum.render.filters import FILTERS

    assert set(FILTERS) <= set(registered_jinja_filters)


# ---------------------------------------------------------------- the harness is strict


@pytest.fixture
def scratch_package(tmp_path, monkeypatch):
    """A throwaway docassemble package (docassemble.asylumscratch) holding one interview."""
    import sys

    folder = tmp_path / "docassemble" / "asylumscratch"
    (folder / "data" / "questions").mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))  # the docassemble namespace package grows with sys.path

    def write(text: str) -> str:
        (folder / "data" / "questions" / "x.yml").write_text(textwrap.dedent(text), encoding="utf-8")
        sys.modules.pop("docassemble.asylumscratch", None)
        return "docassemble.asylumscratch:data/questions/x.yml"

    yield write
    sys.modules.pop("docassemble.asylumscratch", None)


def test_harness_fails_on_an_unknown_key(offline, scratch_package):
    name = scratch_package(
        """
        question: Hello
        fieldz:
          - Name: user_name
        """
    )
    with pytest.raises(Exception) as found:
        offline.load(name)
    assert "fieldz" in str(found.value) or "fields" in str(found.value)


def test_harness_fails_on_a_mako_error(offline, scratch_package):
    name = scratch_package(
        """
        mandatory: True
        question: Hello ${ user_name
        field: seen
        """
    )
    with pytest.raises(Exception):
        session = offline.Session(name)
        session.next()


def test_harness_fails_on_a_missing_template(offline, scratch_package):
    name = scratch_package(
        """
        mandatory: True
        question: Documents
        attachment:
          name: Letter
          filename: letter
          docx template file: no_such_template.docx
          valid formats: [docx]
        """
    )
    with pytest.raises(Exception) as found:
        offline.Session(name).next()
    assert "no_such_template" in str(found.value)
