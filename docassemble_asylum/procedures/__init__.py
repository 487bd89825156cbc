"""The procedures asylumdocs builds documents for, one module each.

A procedure module exposes ``PROCEDURE``, an instance of ``procedures.base.Procedure``.
"""

from __future__ import annotations

import importlib
import importlib.util

from docassemble_asylum.procedures.base import Procedure

MODULES = {
    "cnda-appeal": "docassemble_asylum.procedures.cnda_appeal",
    "reexamination": "docassemble_asylum.procedures.reexamination",
    "interview-notice": "docassemble_asylum.procedures.interview_notice",
    "reunification": "docassemble_asylum.procedures.reunification",
}


def available() -> list[str]:
    return [name for name, module in MODULES.items() if importlib.util.find_spec(module) is not None]


def get(name: str) -> Procedure:
    return importlib.import_module(MODULES[name]).PROCEDURE
