"""Reads every rule file once, validates it, and serves rules by key.

A rule file's key is its path under ``data/`` with dots (``cnda/appeal_period.yaml`` is
``cnda.appeal_period``), so a key cannot be defined twice in two files, and the key
written inside the file must match it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from docassemble_asylum import yamlio
from docassemble_asylum.rules.schema import Rule


class RuleFileError(ValueError):
    """A rule file the product refuses to use; the message names the file and the problem."""


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(file)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def parse_rule_file(path: Path, expected_key: str | None = None) -> Rule:
    try:
        data = yamlio.load_path(path)
    except yamlio.YamlError as exc:
        detail = f"duplicate key {exc.key!r}" if exc.key else exc.problem
        where = f" at line {exc.line}" if exc.line else ""
        raise RuleFileError(f"{path.name}: {detail}{where}") from None
    if not isinstance(data, dict):
        raise RuleFileError(f"{path.name}: a rule file must be a mapping")
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        raise RuleFileError(f"{path.name}: {_describe(exc)}") from None
    if expected_key is not None and rule.key != expected_key:
        raise RuleFileError(f"{path.name}: key {rule.key!r} does not match its path ({expected_key!r})")
    return rule


class _LazyRules(Mapping[str, Rule]):
    """Rule files parsed and validated the first time their key is read.

    The shipped rule book is read this way so that a command that needs five rules does
    not parse every file (``asylumdocs deadline`` must start fast). The keys (from the
    paths) and the digest (from the bytes) are known at once; a malformed file is refused,
    with the same message, when its rule is first used. The tests validate every shipped
    file eagerly (``load_rulebook(data_root())``), so none reaches users unchecked.
    """

    def __init__(self, paths: dict[str, Path]):
        self._paths = paths
        self._parsed: dict[str, Rule] = {}

    def __getitem__(self, key: str) -> Rule:
        rule = self._parsed.get(key)
        if rule is None:
            rule = self._parsed[key] = parse_rule_file(self._paths[key], expected_key=key)
        return rule

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


@dataclass(frozen=True)
class RuleBook:
    rules: Mapping[str, Rule]
    digest: str = ""
    """SHA-256 of every rule file: recorded in each manifest, so an output names its rules."""

    def __getitem__(self, key: str) -> Rule:
        try:
            return self.rules[key]
        except KeyError:
            raise KeyError(f"no rule named {key!r}") from None

    def __iter__(self):
        return iter(self.rules.values())

    def keys(self) -> Iterable[str]:
        return self.rules.keys()


def load_rulebook(root: Path, *, lazy: bool = False) -> RuleBook:
    """Every rule file under ``root``, validated now (or, with ``lazy``, when first used)."""
    paths: dict[str, Path] = {}
    digest = hashlib.sha256()
    for path in sorted(Path(root).rglob("*.yaml")):
        key = ".".join(path.relative_to(root).with_suffix("").parts)
        paths[key] = path
        digest.update(key.encode() + b"\0" + path.read_bytes() + b"\0")
    if not paths:
        raise RuleFileError(f"no rule file under {root}")
    if lazy:
        return RuleBook(_LazyRules(paths), digest.hexdigest())
    rules = {key: parse_rule_file(path, expected_key=key) for key, path in paths.items()}
    return RuleBook(rules, digest.hexdigest())


def data_root() -> Path:
    return Path(str(resources.files("docassemble_asylum.rules") / "data"))


@functools.cache
def rulebook() -> RuleBook:
    """The rules shipped with this version, loaded once per process (each file when first used)."""
    return load_rulebook(data_root(), lazy=True)
