"""Messages speak in words, not in answers-file syntax.

No catalogue entry (English message id or French translation) contains a field path
(``companion.association_not_listed_confirmed``) or an answers-file instruction
(``...: true``); a rule message that refers to another answer names that question and the
part of the interview where it is asked, never its path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from docassemble_asylum.errors import translate_error
from docassemble_asylum.i18n import language

LOCALE = Path(__file__).resolve().parent.parent / "docassemble_asylum" / "locale"
# A dotted path of the answers (two names, one with an underscore or an item number), or a
# YAML answer "name: true".
FIELD_PATH = re.compile(r"\b[a-z]+(?:_[a-z]+)*(?:\.[0-9]+)?\.[a-z]+(?:_[a-z]+)+\b|\b[a-z]+_[a-z_]+\.[a-z]+\b|\b[a-z_]+: (?:true|false)\b")
# Where a path is the syntax the user writes: the header of a CSV batch names its columns by path.
SYNTAX_ON_PURPOSE = ("The header of the CSV file has",)


def _entries():
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in (*ids, *strings):
                if text and not any(str(i).startswith(SYNTAX_ON_PURPOSE) for i in ids):
                    yield f"{path.parent.parent.name}/{path.name}", text


def test_no_catalogue_entry_speaks_in_field_paths():
    found = [(where, text) for where, text in _entries() if FIELD_PATH.search(text)]
    assert found == []


def test_the_scan_finds_the_old_association_message():
    old = "If the association is authorised, add the answer companion.association_not_listed_confirmed: true to build the notice anyway"
    assert FIELD_PATH.search(old)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "the appeal cannot be signed before the decision (“Contested Ofpra decision › Date of the Ofpra decision”, in the section “Decision”)."),
        ("fr", "le recours ne peut pas être signé avant la décision (« Décision de l'Ofpra contestée › Date de la décision de l'Ofpra », dans la partie « Décision »)."),
    ],
)
def test_a_rule_names_the_other_question_and_its_part(lang, expected):
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import other_answer

    spec = get("cnda-appeal")
    msgid = "the appeal cannot be signed before the decision (“{other}”, {other_path})."
    with language(lang):
        ctx = other_answer(spec.model, "decision", "date")
        assert ctx["other_path"] == "decision.date"  # kept for machine outputs (check --json)
        shown = translate_error({"type": "asylum_rule", "msg": msgid, "ctx": {"msgid": msgid, **ctx}})
    assert shown == expected
    assert "decision.date" not in shown


def test_every_rule_message_of_every_procedure_renders_without_a_path():
    """Each rule message that refers to another answer, with each such answer of its procedure."""
    import docassemble_asylum.procedures as procedures
    from docassemble_asylum.procedures import available, get
    from docassemble_asylum.questions import loader

    sources = "\n".join(p.read_text(encoding="utf-8") for p in Path(procedures.__file__).parent.glob("*.py"))
    msgids = set()
    for match in re.finditer(r'N_\(\s*((?:"[^"]*"\s*)+)\)', sources):
        text = "".join(re.findall(r'"([^"]*)"', match.group(1)))
        if "{other_path}" in text:
            msgids.add(text)
    assert len(msgids) >= 10
    for procedure in available():
        if procedure not in loader.question_set_paths():
            continue
        fields = [q.field.replace("[i]", ".0").replace("[j]", ".0") for q in loader.load(procedure).questions() if q.type == "date"]
        for lang in ("en", "fr"):
            with language(lang):
                for msgid in msgids:
                    for field in fields:
                        shown = translate_error({"type": "asylum_rule", "msg": msgid, "ctx": {"msgid": msgid, "other": "X", "other_path": field}})
                        assert field not in shown and "{" not in shown, shown
                        assert "une réponse précédente" not in shown and "an earlier answer" not in shown, (procedure, field)
