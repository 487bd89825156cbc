"""Template of the re-examination request to Ofpra (demande-reexamen.docx), L.531-41 / L.531-42 CESEDA.

The letter is the written statement that accompanies Ofpra's own re-examination form
(RULES.md §3): the bordereau lists that form and the attestation first, lettered A and B,
then the user's numbered exhibits. Salutation and closing come from rule data
(``reexamination.addressee``). Content from RULES.md §3: identity (with other names and spellings), former Ofpra file
number, AGDREF number, the final decision, the new registration and its (derived)
prefecture, each new element with its date and why it is new, the language, the address
for correspondence, the numbered exhibits (bordereau), signature. Every sentence that
depends on the answers is built in ``procedures/reexamination.render_context``; the
template only lays them out.
"""

from docx.shared import Cm

from tools.templates.docx_kit import rows_never_split, footer_text, heading, keep_with_next, lines_block, new_document, para, paragraphs_block, runs, sender_block, set_widths, signature_block, tag

OUTPUT = "reexamination.docx"


def build():
    doc = new_document()
    sender_block(
        doc,
        "applicant",
        "Ancien n° de dossier Ofpra : {{ applicant.ofpra_file_number }}",
        "N° AGDREF : {{ applicant.agdref_number }}",
    )
    lines_block(doc, "ofpra.lines", align="right", bold_first="ofpra.name")
    para(doc, "")
    para(doc, "{{ signature.place }}, le {{ signature.date }}", align="right")
    para(doc, "{{ delivery }}", bold=True)
    runs(
        doc,
        ("Objet : ", {"bold": True}),
        "demande de réexamen de ma demande d'asile : déclaration accompagnant le formulaire de l'Ofpra "
        "(articles L.531-41 et L.531-42 du CESEDA)",
    )
    runs(doc, ("Références : ", {"bold": True}), "ancien dossier Ofpra n° {{ applicant.ofpra_file_number }} — AGDREF n° {{ applicant.agdref_number }} — {{ reference }}")
    para(doc, "")
    para(doc, "{{ addressee.salutation }}")
    para(doc, "{{ introduction }}", align="justify")
    para(doc, "{{ statement }}", align="justify")

    heading(doc, "1. Identité", level=2)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("Nom", "{{ applicant.family_name }}"),
        ("Prénoms", "{{ applicant.given_names }}"),
        ("Autres noms ou graphies", "{{ applicant.other_names }}"),
        ("Date et lieu de naissance", "{{ applicant.birth }}"),
        ("Nationalité", "{{ applicant.nationality }}"),
        ("Ancien n° de dossier Ofpra", "{{ applicant.ofpra_file_number }}"),
        ("N° AGDREF", "{{ applicant.agdref_number }}"),
        ("Adresse pour la correspondance", "{{ applicant.address_inline }}"),
    ):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(5.5), Cm(11.1)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    rows_never_split(table)

    heading(doc, "2. Décision définitive sur ma précédente demande", level=2)
    para(doc, "{{ decision.sentence }}", align="justify")

    heading(doc, "3. Nouvel enregistrement en préfecture", level=2)
    para(doc, "{{ registration.sentence }}", align="justify")

    heading(doc, "4. Éléments nouveaux", level=2)
    para(
        doc,
        "J'invoque les éléments nouveaux suivants au sens de l'article L.531-42 du CESEDA, tel qu'interprété par le "
        "Conseil d'État (CE, 26 janvier 2018, n° 397611) et la Cour nationale du droit d'asile : faits intervenus après "
        "la décision définitive, faits dont je n'ai pu avoir connaissance qu'après celle-ci, faits que je n'ai pas pu "
        "invoquer en raison d'une situation de vulnérabilité, éléments de preuve nouveaux. Chacun est présenté sous le "
        "titre qui lui correspond :",
        align="justify",
    )
    tag(doc, "for element in elements")
    keep_with_next(para(doc, "Élément nouveau n° {{ element.number }} : {{ element.title }}", bold=True, space_after=2))
    paragraphs_block(doc, "element.paragraphs")
    tag(doc, "endfor")
    para(
        doc,
        "Ces éléments nouveaux augmentent de manière significative la probabilité que je justifie des conditions "
        "requises pour prétendre à une protection (article L.531-42 du CESEDA).",
        align="justify",
    )

    heading(doc, "5. Demande", level=2)
    para(
        doc,
        "Je vous demande en conséquence de déclarer ma demande de réexamen recevable et, après examen, de me "
        "reconnaître la qualité de réfugié ou, à défaut, de m'accorder le bénéfice de la protection subsidiaire.",
        align="justify",
    )
    para(doc, "{{ interview_sentence }}", align="justify")
    para(doc, "{{ language_sentence }}")
    para(doc, "Adresse pour toute correspondance : {{ applicant.address_inline }}.")
    para(doc, "{{ addressee.closing }}", align="justify")

    signature_block(doc, "applicant.full_name")

    heading(doc, "Bordereau des pièces", level=2)
    para(
        doc,
        "Pièces A et B : les pièces de la demande elle-même ; pièces numérotées : les justificatifs des éléments "
        "nouveaux.",
        align="justify",
    )
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("N°", "Pièce", "Traduction jointe")):
        cell.paragraphs[0].add_run(text).bold = True
    table.add_row().cells[0].paragraphs[0].add_run("{%tr for exhibit in exhibits %}")
    body = table.add_row().cells
    body[0].paragraphs[0].add_run("{{ exhibit.number }}")
    body[1].paragraphs[0].add_run("{{ exhibit.title }}")
    body[2].paragraphs[0].add_run("{{ exhibit.translation }}")
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(table, (1.2, 10.6, 4.8))  # the grid too: LibreOffice ignores cell widths alone
    rows_never_split(table)

    footer_text(doc, "Demande de réexamen — {{ applicant.full_name }} — ancien dossier Ofpra n° {{ applicant.ofpra_file_number }}")
    return doc
