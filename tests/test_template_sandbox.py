"""Templates are sandboxed, and values are never templates (issue 9).

A template is code: if one were ever edited by someone malicious (or pulled from a
compromised copy), it must not reach Python internals. The answers are data: a value
that looks like Jinja or Word XML must print as typed.
"""

from __future__ import annotations

import io

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from docassemble_asylum.render.docx import docx_text, jinja_env, render_docx
from docassemble_asylum.render.typography import plain as typeset

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__ }}",
    "{{ [].__class__.__base__.__subclasses__() }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ x.__init__.__globals__ }}",
    "{{ x.__dict__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ x.format.__self__ }}",
    "{{ '{0.__class__}'.format(x) }}",
    "{{ '%s' % x.__class__ }}",
    "{{ items.append(1) }}{{ items }}",
    "{{ mapping.update({'a': 1}) }}",
    "{{ mapping.clear() }}",
    "{{ x|attr('__class__') }}",
    "{{ (x|attr('__class__')).__mro__ }}",
    "{{ range(10**9)|list }}",
]

LEAKS = ("<class", "subclasses", "<module", "<built-in", "function ", "os.", "uid=", "__", "mappingproxy")


def _context():
    return {"x": "text", "items": [1, 2], "mapping": {"k": "v"}}


@pytest.mark.parametrize("source", ESCAPES)
def test_templates_cannot_reach_python_internals(source):
    env = jinja_env()
    context = _context()
    try:
        rendered = env.from_string(source).render(context)
    except (SecurityError, UndefinedError, OverflowError, TypeError):
        rendered = None  # refused: what we want
    if rendered is not None:
        # Anything that did render must not show Python's insides.
        for leak in LEAKS:
            assert leak not in rendered, (source, rendered[:300])
    assert context == _context(), "the immutable sandbox let a template change the context"


def test_the_environment_is_sandboxed_strict_and_autoescaped():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = jinja_env()
    assert isinstance(env, ImmutableSandboxedEnvironment)
    assert env.undefined is StrictUndefined
    assert env.autoescape is True or callable(env.autoescape) and env.autoescape("x.xml")
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render({})
    assert env.from_string("{{ v }}").render({"v": "<w:p>&"}) == "&lt;w:p&gt;&amp;"


def _docx_template(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_malicious_docx_template_is_refused_without_leaking(tmp_path):
    from docassemble_asylum.render.docx import TemplateError as RenderTemplateError

    template = tmp_path / "evil.docx"
    template.write_bytes(_docx_template("Before", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "After"))
    with pytest.raises(RenderTemplateError) as caught:
        render_docx(template, {})
    assert isinstance(caught.value.__cause__, SecurityError)
    assert "unsafe" in str(caught.value)
    assert "<class" not in str(caught.value)


def test_a_malicious_docx_template_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    template = tmp_path / "evil.docx"
    template.write_bytes(
        _docx_template(
            "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}",
            "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "') }}",
        )
    )
    from docassemble_asylum.render.docx import TemplateError as RenderTemplateError

    with pytest.raises(RenderTemplateError):
        render_docx(template, {})
    assert not marker.exists()


VALUES = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "{%p if True %}",
    "{{ ''.__class__.__mro__ }}",
    "<w:p><w:r><w:t>injected</w:t></w:r></w:p>",
    "</w:t></w:r></w:p>",
    "Dupont & Fils <select> &amp; \"q\" 'a'",
    "« œ » مرحبا 𝔘",
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_with_template_or_xml_syntax_prints_literally(value, tmp_path):
    template = tmp_path / "letter.docx"
    template.write_bytes(_docx_template("Nom : {{ name }}", "Fin"))
    data = render_docx(template, {"name": value})
    text = docx_text(data)
    # The letter is French: the typographic layer spaces the punctuation, nothing else.
    assert [line for line in text.splitlines() if line] == [typeset(f"Nom : {value}"), "Fin"]
    assert "49" not in text or "49" in value
    assert "injected" not in text.replace(typeset(value), "")


def test_values_print_literally_in_every_procedures_real_letters(tmp_path):
    """Through the real templates of every procedure (the fuzzer does this with random values)."""
    import copy

    import yaml

    from fuzz_support import NotBuildable, accepted_with, buildable_procedures, docx_texts, get_path, probe, run_in_process

    value = "{{ 7*7 }} {% if true %}x{% endif %} <w:t>&</w:t>"
    checked = 0
    for name in buildable_procedures():
        try:
            info = probe(name)
        except NotBuildable:
            continue
        raw = accepted_with(name, copy.deepcopy(info.example), {p: value for p in info.printed}, info.today)
        hostile = [p for p in info.printed if get_path(raw, p) == value]
        answers = tmp_path / f"{name}.yaml"
        answers.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        out = tmp_path / name
        result = run_in_process(["build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg])
        assert result.code == 0, result.stderr
        shown = "\n".join(docx_texts(out).values())
        assert shown.count(value) >= len(hostile) > 0, name
        checked += 1
    if not checked:
        pytest.skip("no procedure builds its example yet")
