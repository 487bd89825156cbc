"""Eligibility rules: who may benefit from a procedure, member by member, with sources.

``reunification.evaluate(answers, today)`` returns one ``MemberVerdict`` per family member
(``eligible``, ``not_eligible`` or ``uncertain``), with its reasons in the reader's
language, the rules it rests on and their certainty.
"""

from docassemble_asylum.eligibility.result import MemberVerdict, Reason, Verdict

__all__ = ["MemberVerdict", "Reason", "Verdict"]
