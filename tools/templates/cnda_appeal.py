"""Template of the appeal to the CNDA (recours-cnda.docx), R.532-6 / R.532-7 CESEDA."""

from tools.templates.docx_kit import rows_never_split, bullets_block, footer_text, heading, identity_table, keep_with_next, lines_block, new_document, para, paragraphs_block, sender_block, set_widths, signature_block, tag

OUTPUT = "cnda_appeal.docx"


def build():
    doc = new_document()
    sender_block(doc, "applicant", "N° de dossier Ofpra : {{ applicant.ofpra_file_number }}")
    lines_block(doc, "court.lines", align="right", bold_first="court.name")
    para(doc, "")
    para(doc, "{{ signature.place }}, le {{ signature.date }}", align="right")
    para(doc, "")
    para(doc, "RECOURS", bold=True, align="center", size=14, space_after=0)
    para(
        doc,
        "contre la décision du directeur général de l'Office français de protection des réfugiés et apatrides "
        "n° {{ decision.number }} du {{ decision.date }}",
        align="center",
    )
    para(doc, "")

    heading(doc, 'I. Identité {{ "du requérant"|agree(applicant.sex) }}', level=2)
    identity_table(doc)
    # the minor's legal representative, the lawyer (address, phone, e-mail, election of domicile)
    paragraphs_block(doc, "representation")

    heading(doc, "II. Décision attaquée", level=2)
    para(doc, "{{ decision.sentence }}", align="justify")
    # Left out when section III (admissibility after legal aid) states the notification.
    tag(doc, "if decision.notification_sentence")
    para(doc, "{{ decision.notification_sentence }}", align="justify")
    tag(doc, "endif")
    para(doc, "{{ decision.exhibit }}", align="justify")

    heading(doc, "III. {{ legal_aid.heading }}", level=2)
    paragraphs_block(doc, "legal_aid.paragraphs")

    heading(doc, "IV. Exposé des faits", level=2)
    para(doc, "{{ facts_intro }}", align="justify")
    tag(doc, "for paragraph in facts")
    para(doc, "{{ paragraph }}", align="justify", italic=True)
    tag(doc, "endfor")

    heading(doc, "V. Discussion", level=2)
    tag(doc, "if reasons")
    keep_with_next(para(doc, "Sur les motifs de la décision attaquée", bold=True))
    tag(doc, "for reason in reasons")
    keep_with_next(para(doc, "Motif n° {{ reason.number }} : l'Office a retenu que", italic=True))
    keep_with_next(para(doc, "{{ reason.quote }}", align="justify", italic=True))
    paragraphs_block(doc, "reason.paragraphs")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "for ground in grounds")
    keep_with_next(para(doc, "{{ ground.heading }}", bold=True))
    paragraphs_block(doc, "ground.paragraphs")
    tag(doc, "endfor")
    para(doc, "{{ reservation }}", align="justify")
    # Optional (art. 68(3) of the EU regulation: an appeal that may not suspend removal):
    # the request to remain until the court rules, offered highlighted for the lawyer to keep
    # or remove; its French form is not confirmed (rule cnda.non_suspensive).
    tag(doc, "if non_suspensive and non_suspensive.stay_request_paragraph")
    keep_with_next(para(doc, "{{ non_suspensive.optional_mark }}", align="justify"))
    para(doc, "{{ non_suspensive.stay_request_paragraph }}", align="justify")
    tag(doc, "endif")

    heading(doc, "VI. Par ces motifs", level=2)
    para(doc, "{{ applicant.designation }} demande à la Cour nationale du droit d'asile de :")
    bullets_block(doc, "requests")
    keep_with_next(para(doc, ""))
    keep_with_next(
        para(doc, '{{ applicant.designation }} souhaite être {{ "entendu (requérant)"|agree(applicant.sex) }} en {{ hearing_language }}.')
    )
    # The signature right after the conclusions and the language, kept with them on one page;
    # the bordereau follows.
    signature_block(doc, "signatory.line", kept=True)

    heading(doc, "VII. Bordereau des pièces", level=2)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    for cell, text in zip(head, ("N°", "Pièce", "Traduction jointe")):
        cell.paragraphs[0].add_run(text).bold = True
    loop = table.add_row().cells
    loop[0].paragraphs[0].add_run("{%tr for exhibit in exhibits %}")
    body = table.add_row().cells
    body[0].paragraphs[0].add_run("{{ exhibit.number }}")
    body[1].paragraphs[0].add_run("{{ exhibit.title }}")
    body[2].paragraphs[0].add_run("{{ exhibit.translation }}")
    end = table.add_row().cells
    end[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(table, (1.2, 10.6, 4.8))
    rows_never_split(table)
    footer_text(doc, "Recours CNDA — {{ applicant.full_name }} — décision n° {{ decision.number }}")
    return doc
