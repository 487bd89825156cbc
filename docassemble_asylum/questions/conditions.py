"""The small condition language of question sets (``when:``), parsed here, never eval'd.

A condition reads earlier answers by their model field path and compares them with
literal values::

    decision.notification.method == "online"
    legal_aid.status in ["granted", "refused"]
    not applicant.lives_overseas and count(exhibits) > 0

Grammar (lowest precedence first)::

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") operand)?
    operand := NAME | STRING | NUMBER | "true" | "false" | "null"
             | "[" [operand ("," operand)*] "]" | "count(" NAME ")" | "(" expr ")"
             | FUNCTION "(" [operand ("," operand)*] ")"

A NAME is a dotted field path (``decision.date``); in a resolved question set it may
carry index variables (``members[i].relationship``, see loader.py). A bare NAME is true
when the answer is truthy. An answer not given yet is ``null``. ``<``/``>`` compare
numbers, or strings (ISO dates compare correctly as strings); with ``null`` or mixed
types they are false. ``count(NAME)`` is the number of items of a repeated group
(0 when not answered). Other functions are those a question set declares under
``functions:`` (name -> "module:function"); they receive the answers' JSON values
(dates as "YYYY-MM-DD" strings, None when not answered) and return a value.

``to_python`` writes a condition as a Python expression for docassemble (``show if``,
``if:``): names go through a rename function, literals become Python literals.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

NAME_RE = r"[A-Za-z_][A-Za-z0-9_]*(?:\[[a-z]\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[[a-z]\])?)*"
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>""" + NAME_RE + r""")
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null", "count"}
_LITERALS = {"true": True, "false": False, "null": None}


class ConditionError(ValueError):
    """A condition that does not parse; the message says where."""


# ---------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Name:
    path: str


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class ListOf:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Count:
    name: Name


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Any, ...]


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= in "not in"
    left: Any
    right: Any


# ---------------------------------------------------------------- parser


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"cannot read the condition at character {pos + 1}: {text[pos:pos + 20]!r}")
        kind = match.lastgroup
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        out.append((kind, value, start))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str, int] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[0] in ("op", "keyword") and token[1] in values

    def take(self, value: str) -> None:
        if not self.at(value):
            self.fail(f"expected {value!r}")
        self.pos += 1

    def fail(self, message: str):
        token = self.peek()
        where = f"at character {token[2] + 1}" if token else "at the end"
        raise ConditionError(f"{message} {where} of {self.text!r}")

    def parse(self):
        if not self.tokens:
            raise ConditionError("empty condition")
        node = self.expr()
        if self.peek() is not None:
            self.fail("unexpected text")
        return node

    def expr(self):
        operands = [self.and_()]
        while self.at("or"):
            self.pos += 1
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def and_(self):
        operands = [self.not_()]
        while self.at("and"):
            self.pos += 1
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def not_(self):
        if self.at("not"):
            self.pos += 1
            return Not(self.not_())
        return self.compare()

    def compare(self):
        left = self.operand()
        if self.at("==", "!=", "<", "<=", ">", ">=", "in"):
            op = self.peek()[1]
            self.pos += 1
            return Compare(op, left, self.operand())
        if self.at("not") and self.peek(1) is not None and self.peek(1)[1] == "in":
            self.pos += 2
            return Compare("not in", left, self.operand())
        return left

    def operand(self):
        token = self.peek()
        if token is None:
            self.fail("expected a value")
        kind, value, _ = token
        if kind == "string":
            self.pos += 1
            return Literal(re.sub(r"\\(.)", r"\1", value[1:-1]))
        if kind == "number":
            self.pos += 1
            return Literal(float(value) if "." in value else int(value))
        if kind == "name":
            self.pos += 1
            following = self.peek()
            if following is not None and following[1] == "(" and "." not in value and "[" not in value:
                self.pos += 1
                args = []
                while not self.at(")"):
                    args.append(self.operand())
                    if not self.at(")"):
                        self.take(",")
                self.take(")")
                return Call(value, tuple(args))
            return Name(value)
        if kind == "keyword" and value in _LITERALS:
            self.pos += 1
            return Literal(_LITERALS[value])
        if kind == "keyword" and value == "count":
            self.pos += 1
            self.take("(")
            inner = self.peek()
            if inner is None or inner[0] != "name":
                self.fail("count() takes a field name")
            self.pos += 1
            self.take(")")
            return Count(Name(inner[1]))
        if self.at("("):
            self.pos += 1
            node = self.expr()
            self.take(")")
            return node
        if self.at("["):
            self.pos += 1
            items = []
            while not self.at("]"):
                items.append(self.operand())
                if not self.at("]"):
                    self.take(",")
            self.take("]")
            return ListOf(tuple(items))
        self.fail("expected a value")


@functools.lru_cache(maxsize=4096)
def parse(text: str):
    """The syntax tree of a condition, or ConditionError."""
    return _Parser(text).parse()


# ---------------------------------------------------------------- queries


def names(text: str) -> list[str]:
    """Every field path a condition reads, in order of appearance, without repeats."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, Name):
            if node.path not in found:
                found.append(node.path)
        elif isinstance(node, Count):
            walk(node.name)
        elif isinstance(node, Call):
            for item in node.args:
                walk(item)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, BoolOp):
            for item in node.operands:
                walk(item)
        elif isinstance(node, Compare):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ListOf):
            for item in node.items:
                walk(item)

    walk(parse(text))
    return found


def functions_called(text: str) -> list[str]:
    found: list[str] = []

    def walk(node):
        if isinstance(node, Call):
            if node.function not in found:
                found.append(node.function)
            for item in node.args:
                walk(item)
        elif isinstance(node, (Not,)):
            walk(node.operand)
        elif isinstance(node, BoolOp):
            for item in node.operands:
                walk(item)
        elif isinstance(node, Compare):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ListOf):
            for item in node.items:
                walk(item)

    walk(parse(text))
    return found


def literals_compared(text: str) -> Iterator[tuple[str, Any]]:
    """(field path, literal) for every ``name == literal`` / ``name in [..]``: to check choices."""

    def walk(node):
        if isinstance(node, Compare):
            left, right = node.left, node.right
            if isinstance(right, Name) and not isinstance(left, Name):
                left, right = right, left
            if isinstance(left, Name):
                if isinstance(right, Literal):
                    yield left.path, right.value
                elif isinstance(right, ListOf):
                    for item in right.items:
                        if isinstance(item, Literal):
                            yield left.path, item.value
        elif isinstance(node, Not):
            yield from walk(node.operand)
        elif isinstance(node, BoolOp):
            for item in node.operands:
                yield from walk(item)

    yield from walk(parse(text))


# ---------------------------------------------------------------- rewriting


def _source(node, rename: Callable[[str], str], python: bool) -> str:
    def lit(value):
        if python:
            return repr(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(value)

    def go(n, parent_prec: int) -> str:
        if isinstance(n, Name):
            return rename(n.path)
        if isinstance(n, Literal):
            return lit(n.value)
        if isinstance(n, ListOf):
            return "[" + ", ".join(go(i, 9) for i in n.items) + "]"
        if isinstance(n, Count):
            return f"len({rename(n.name.path)})" if python else f"count({rename(n.name.path)})"
        if isinstance(n, Call):
            return f"{n.function}(" + ", ".join(go(i, 9) for i in n.args) + ")"
        if isinstance(n, Not):
            text, prec = "not " + go(n.operand, 3), 3
        elif isinstance(n, BoolOp):
            prec = 1 if n.op == "or" else 2
            text = f" {n.op} ".join(go(i, prec + 1) for i in n.operands)
        elif isinstance(n, Compare):
            prec = 4
            text = f"{go(n.left, 5)} {n.op} {go(n.right, 5)}"
        else:  # pragma: no cover - every node kind is handled above
            raise TypeError(n)
        return f"({text})" if prec < parent_prec else text

    return go(node, 0)


def rename(text: str, function: Callable[[str], str]) -> str:
    """The same condition with every field path replaced by ``function(path)``."""
    return _source(parse(text), function, python=False)


def to_python(text: str, function: Callable[[str], str] = lambda path: path) -> str:
    """A Python expression for docassemble; ``function`` maps field paths to its variable names."""
    return _source(parse(text), function, python=True)


def conjunction(*conditions: str | None) -> str | None:
    """``a and b`` of the given conditions (None ones ignored), each kept whole."""
    present = [c for c in conditions if c]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return _source(BoolOp("and", tuple(parse(c) for c in present)), lambda p: p, python=False)


# ---------------------------------------------------------------- evaluation


def _ordered(op: str, left: Any, right: Any) -> bool:
    numbers = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return False
    if not ((isinstance(left, numbers) and isinstance(right, numbers)) or (isinstance(left, str) and isinstance(right, str))):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def evaluate(text: str, lookup: Callable[[str], Any], functions: dict[str, Callable[..., Any]] | None = None) -> bool:
    """Evaluate against answers; ``lookup(path)`` gives an answer or None when not given."""
    return bool(value_of(text, lookup, functions))


def value_of(text: str, lookup: Callable[[str], Any], functions: dict[str, Callable[..., Any]] | None = None) -> Any:
    """The expression's value itself (an answer, a function's result, a comparison's truth):
    what a ``suggest:`` offers, None when there is nothing to suggest yet."""

    def value(node):
        if isinstance(node, Name):
            return lookup(node.path)
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, ListOf):
            return [value(i) for i in node.items]
        if isinstance(node, Count):
            found = lookup(node.name.path)
            return len(found) if isinstance(found, list) else 0
        if isinstance(node, Call):
            if not functions or node.function not in functions:
                raise ConditionError(f"unknown function {node.function}()")
            return functions[node.function](*(value(i) for i in node.args))
        if isinstance(node, Not):
            return not truth(node.operand)
        if isinstance(node, BoolOp):
            if node.op == "and":
                return all(truth(i) for i in node.operands)
            return any(truth(i) for i in node.operands)
        if isinstance(node, Compare):
            left, right = value(node.left), value(node.right)
            if node.op == "==":
                return left == right
            if node.op == "!=":
                return left != right
            if node.op in ("in", "not in"):
                inside = isinstance(right, list) and left in right
                return inside if node.op == "in" else not inside
            return _ordered(node.op, left, right)
        raise TypeError(node)  # pragma: no cover

    def truth(node) -> bool:
        return bool(value(node))

    return value(parse(text))
