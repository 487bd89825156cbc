"""Babel extractor for question sets: every text a volunteer sees, with its line.

``tools/i18n.py`` calls ``extract_question_set(path)`` for the ``.yml`` files listed in
``locale/questions.sources``. Texts are the values of the keys in
``schema.TRANSLATABLE_KEYS`` (titles, labels, help, group phrases) and choice labels,
wherever they appear; the comment tells translators which question a text belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from docassemble_asylum.questions.schema import TRANSLATABLE_KEYS

Message = tuple[str, int, str, list[str]]


def _display_name(path: Path) -> str:
    """The path relative to the repository (stable whatever the working directory)."""
    path = Path(path).resolve()
    for parent in path.parents:
        if (parent / "pyproject.toml").is_file():
            return path.relative_to(parent).as_posix()
    return f"interviews/{path.name}" if path.parent.name != "blocks" else f"interviews/blocks/{path.name}"


def extract_question_set(path: Path) -> Iterator[Message]:
    path = Path(path)
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    if root is None:
        return
    name = _display_name(path)
    top = ""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value in ("procedure", "block") and isinstance(value, yaml.ScalarNode):
                top = value.value
    yield from _walk(root, name, top, None)


def _walk(node, filename: str, top: str, owner: str | None) -> Iterator[Message]:
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, filename, top, owner)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    ident = keys.get("id")
    here = ident.value if isinstance(ident, yaml.ScalarNode) else owner
    is_choice = "value" in keys and "label" in keys and "type" not in keys
    for key_node, value in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key in TRANSLATABLE_KEYS and isinstance(value, yaml.ScalarNode) and value.value.strip():
            if is_choice:
                choice_value = keys["value"].value if isinstance(keys["value"], yaml.ScalarNode) else "?"
                comment = f"{top}: {owner or '?'} — choice {choice_value}"
            else:
                comment = f"{top}: {here + ' — ' if here else ''}{key}"
            yield filename, value.start_mark.line + 1, value.value, [comment]
        elif isinstance(value, (yaml.MappingNode, yaml.SequenceNode)):
            yield from _walk(value, filename, top, here)
