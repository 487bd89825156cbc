"""One YAML reader for rule files and answers files.

Why our own loader: PyYAML silently keeps the last of two duplicate keys (a rule or an
answer could be overwritten without anyone noticing) and turns ``2026-02-30`` into a
crash inside the parser instead of a message about the field. Here duplicates are an
error with their line, and dates stay strings so that pydantic validates them and names
the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlError(ValueError):
    """A file is not valid YAML, or repeats a key. ``line`` is 1-based when known."""

    def __init__(self, problem: str, line: int | None = None, key: str | None = None):
        self.problem = problem
        self.line = line
        self.key = key
        super().__init__(problem if line is None else f"{problem} (line {line})")


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise YamlError("unhashable key", key_node.start_mark.line + 1) from None
        if key in mapping:
            raise YamlError("duplicate key", key_node.start_mark.line + 1, key=str(key))
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Timestamps stay strings: pydantic parses them and reports bad dates against the field.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _StrictLoader.yaml_implicit_resolvers.copy().items()
}


def loads(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise YamlError(str(exc.problem or "invalid YAML"), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None


def load_path(path: Path) -> Any:
    return loads(Path(path).read_text(encoding="utf-8"))


def dumps(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
