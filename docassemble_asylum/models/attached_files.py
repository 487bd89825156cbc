"""A file the user attaches to an e-mail to Ofpra (the convocation first, a certificate…).

The model holds the path and how the letter lists the file; the file itself is read and
checked by ``docassemble_asylum.attachments`` before anything is written.
"""

from __future__ import annotations

from pydantic import Field

from docassemble_asylum.i18n import N_
from docassemble_asylum.models.common import Answers, Line, Name


class AttachedFile(Answers):
    file: Name = Field(title=N_("File to attach (its path, from the folder of the answers file)"))
    description: Line = Field("", title=N_("What it is, as the letter lists it (in French, e.g. Convocation à l'entretien)"))
