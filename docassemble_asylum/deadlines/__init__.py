"""Deadlines computed from the rule data, each with its reasoning, sources and certainty."""

from docassemble_asylum.deadlines.result import DeadlineResult

__all__ = ["DeadlineResult"]
