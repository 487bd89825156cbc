"""One reader for rule files and answers files (YAML, and JSON for answers).

Why our own loader: PyYAML silently keeps the last of two duplicate keys (a rule or an
answer could be overwritten without anyone noticing) and turns ``2026-02-30`` into a
crash inside the parser instead of a message about the field. Here duplicates are an
error with their line, and dates stay strings so that pydantic validates them and names
the field.

Only what JSON can hold is accepted (text, numbers, yes/no, null, lists, groups whose
keys are text), plus explicit ``!!timestamp`` dates: ``!!binary`` would carry bytes past
the text cleaning (a NUL or a BEL inside a name), ``!!set`` has no order (documents that
differ from one run to the next), ``!!omap``/``!!pairs`` and any other tag (``!!python/…``
included) mean something an answers file never needs. Every refusal is a ``YamlError``
whose ``kind`` says what went wrong, so that the caller can word it for the user. The
same holds for JSON (``json_loads``): a repeated key is refused as in YAML, nesting is
capped at ``MAX_DEPTH`` levels and an integer longer than Python converts is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

# Deeper than any answers file or rule file (a case is 4 or 5 levels deep); deep enough
# never to refuse a real file, shallow enough that nothing after reading can overflow.
MAX_DEPTH = 100

SYNTAX = "syntax"
DUPLICATE = "duplicate"
TYPE = "type"  # a value of a kind JSON cannot hold (!!binary, !!set, an unknown tag…)
KEY_TYPE = "key_type"  # a key that is not text (1:, yes:, null:)
DEPTH = "depth"  # nested more than MAX_DEPTH levels
NUMBER = "number"  # an integer with more digits than Python converts


class YamlError(ValueError):
    """A file is not valid YAML/JSON, or repeats a key, or holds what answers cannot.

    ``line`` is 1-based when known; ``key`` is the repeated key; ``kind`` one of the
    constants above.
    """

    def __init__(self, problem: str, line: int | None = None, key: str | None = None, kind: str = SYNTAX):
        self.problem = problem
        self.line = line
        self.key = key
        self.kind = DUPLICATE if key is not None else kind
        self.column: int | None = None  # JSON syntax errors: 1-based character of the line
        super().__init__(problem if line is None else f"{problem} (line {line})")


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            raise YamlError("a key is not text", key_node.start_mark.line + 1, kind=KEY_TYPE)
        if key in mapping:
            raise YamlError("duplicate key", key_node.start_mark.line + 1, key=key)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _refuse(loader: _StrictLoader, *args: Any):
    node = args[-1]
    raise YamlError("a value of a kind answers cannot hold", node.start_mark.line + 1, kind=TYPE)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
for _tag in ("binary", "set", "omap", "pairs"):
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
_StrictLoader.add_constructor(None, _refuse)  # any other tag: !!python/object, !custom…
# Timestamps stay strings: pydantic parses them and reports bad dates against the field.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _StrictLoader.yaml_implicit_resolvers.copy().items()
}


def loads(text: str) -> Any:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise YamlError(str(exc.problem or "invalid YAML"), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None
    except RecursionError:
        raise YamlError("nested too deep", kind=DEPTH) from None
    except ValueError:
        # int() of thousands of digits (sys.get_int_max_str_digits): the only ValueError
        # a safe constructor lets through.
        raise YamlError("a number has too many digits", kind=NUMBER) from None
    _check_depth(data)
    return data


def load_path(path: Path) -> Any:
    return loads(Path(path).read_text(encoding="utf-8"))


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise YamlError("duplicate key", key=key)
        mapping[key] = value
    return mapping


def _json_constant(name: str) -> Any:
    raise YamlError(f"{name} is not a number", kind=TYPE)  # NaN, Infinity: not JSON


def json_loads(text: str) -> Any:
    """JSON with the YAML reader's rules: duplicates, depth and huge integers refused."""
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant)
    except YamlError:
        raise
    except json.JSONDecodeError as exc:
        error = YamlError(exc.msg, exc.lineno)
        error.column = exc.colno
        raise error from None
    except RecursionError:
        raise YamlError("nested too deep", kind=DEPTH) from None
    except ValueError:  # an integer of thousands of digits
        raise YamlError("a number has too many digits", kind=NUMBER) from None
    _check_depth(data)
    return data


def nesting_depth(data: Any, limit: int = MAX_DEPTH) -> int:
    """How many lists and groups are nested in ``data`` (a text is 0, ``{"a": 1}`` is 1).

    Stops at ``limit + 1``. Iterative, and each shared list or group is measured once
    (YAML aliases can make a small file a huge tree); a list that contains itself
    (``&a [*a]``) counts as deeper than ``limit``.
    """
    if not isinstance(data, (dict, list)):
        return 0
    done: dict[int, int] = {}
    active = {id(data)}
    stack: list[list[Any]] = [[data, iter(_children(data)), 0]]
    while stack:
        frame = stack[-1]
        pushed = False
        for child in frame[1]:
            if not isinstance(child, (dict, list)):
                continue
            key = id(child)
            if key in done:
                frame[2] = max(frame[2], done[key])
                continue
            if key in active or len(stack) >= limit:
                return limit + 1
            active.add(key)
            stack.append([child, iter(_children(child)), 0])
            pushed = True
            break
        if pushed:
            continue
        stack.pop()
        active.discard(id(frame[0]))
        done[id(frame[0])] = frame[2] + 1
        if stack:
            stack[-1][2] = max(stack[-1][2], frame[2] + 1)
    return done[id(data)]


def _children(node: dict | list):
    return node.values() if isinstance(node, dict) else node


def _check_depth(data: Any) -> None:
    if nesting_depth(data) > MAX_DEPTH:
        raise YamlError("nested too deep", kind=DEPTH)


def dumps(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
