"""Template of the letter telling Ofpra that the applicant cannot attend the interview, or will be late (issue 20).

The sentences come from the render context (procedures/interview_absence.py) because the
same text is the body of the e-mail. The layout is the interview notice's (a letter to Ofpra
sent by e-mail), with its own heading for the documents and its own footer.
"""

from tools.templates.interview_notice import email_letter

OUTPUT = "interview_absence.docx"


def build():
    return email_letter("Pièces justificatives jointes au courriel :", "Absence à l'entretien Ofpra — dossier n° {{ reference_number }}")
