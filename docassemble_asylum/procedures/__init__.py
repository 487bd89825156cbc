"""The procedures asylumdocs builds documents for, one module each.

A procedure module exposes ``PROCEDURE``, an instance of ``procedures.base.Procedure``,
which declares its outputs (``procedures/outputs.py``) and where its other parts live.
Every part of the repository belongs to one procedure of ``MODULES`` or to one of the
shared parts of ``SHARED``: ``tools/procedure_parts.py`` checks both ways (the tests run
it), so adding a procedure is adding one entry in each place its table lists.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from docassemble_asylum.procedures.base import Procedure
from docassemble_asylum.procedures.outputs import SHEET, SHEET_TEMPLATE, template_path

MODULES = {
    "cnda-appeal": "docassemble_asylum.procedures.cnda_appeal",
    "cnda-legal-aid": "docassemble_asylum.procedures.cnda_legal_aid",
    "reexamination": "docassemble_asylum.procedures.reexamination",
    "interview-notice": "docassemble_asylum.procedures.interview_notice",
    "interview-absence": "docassemble_asylum.procedures.interview_absence",
    "reunification": "docassemble_asylum.procedures.reunification",
    "visa-appeal": "docassemble_asylum.procedures.visa_appeal",
    "bureau-letter": "docassemble_asylum.procedures.bureau_letter",
    "visa-tribunal": "docassemble_asylum.procedures.visa_tribunal",
}


@dataclass(frozen=True)
class SharedParts:
    """The parts that belong to no one procedure."""

    rules: tuple[str, ...]  # folders of rules/data/
    catalogs: tuple[str, ...]  # catalog domains (locale/<domain>.sources)
    question_blocks: str  # the folder of interviews/ with the blocks question sets include
    models: tuple[str, ...]  # modules of models/
    code: tuple[str, ...]  # modules of procedures/ besides the procedures' own
    templates: tuple[str, ...]  # files of templates/ (as a document's ``template_path``)


SHARED = SharedParts(
    rules=("calendar", "prefectures"),
    catalogs=("core", "deadlines", "questions", "docassemble", "batch", "security"),
    question_blocks="blocks",
    models=("common", "attached_files"),
    code=("base", "outputs", "unfinished", "early_verdicts"),
    templates=(template_path(SHEET, SHEET_TEMPLATE),),
)


def available() -> list[str]:
    return [name for name, module in MODULES.items() if importlib.util.find_spec(module) is not None]


def get(name: str) -> Procedure:
    return importlib.import_module(MODULES[name]).PROCEDURE
