"""Legal rules as dated, sourced data: one YAML file per rule under ``data/``."""

from docassemble_asylum.rules.loader import RuleBook, RuleFileError, load_rulebook, rulebook
from docassemble_asylum.rules.schema import Certainty, Reference, Rule, RuleVersion

__all__ = [
    "Certainty",
    "Reference",
    "Rule",
    "RuleBook",
    "RuleFileError",
    "RuleVersion",
    "load_rulebook",
    "rulebook",
]
