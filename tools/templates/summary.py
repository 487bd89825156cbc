"""The summary sheet for the user: generic, every string comes from the context.

The sheet is in the user's language, so the template holds no words of its own; each
procedure fills ``summary`` through ``docassemble_asylum.render.summary``.
"""

from docx.shared import Cm

from tools.templates.docx_kit import footer_text, keep_with_next, new_document, para, tag

OUTPUT = "summary.docx"


def _bullet(doc, *, own_marker: bool, kept: bool) -> None:
    """One bullet: its own marker ("☐ …", "2. …") or the List Bullet's, kept whole, and kept
    with the next one when ``kept``."""
    if own_marker:
        item = para(doc, "{{ item.text }}")
        item.paragraph_format.left_indent = Cm(0.63)  # where List Bullet puts its text
    else:
        item = para(doc, "{{ item.text }}", style="List Bullet")
    if kept:
        keep_with_next(item, together=True)
    else:
        item.paragraph_format.keep_together = True


def build():
    doc = new_document(font="Liberation Sans", size=10)
    para(doc, "{{ summary.title }}", bold=True, size=16)
    para(doc, "{{ summary.subtitle }}", italic=True)
    tag(doc, "for warning in summary.warnings")
    keep_with_next(para(doc, "⚠ {{ warning }}", bold=True, color=(0xB0, 0x00, 0x00)), together=True)
    tag(doc, "endfor")
    tag(doc, "for section in summary.sections")
    keep_with_next(para(doc, "{{ section.heading }}", bold=True, size=12, space_after=2))
    tag(doc, "for paragraph in section.paragraphs")
    # The last paragraph before a section's bullets (its certainty line, say) stays with the
    # first bullet, so that a heading and its opening lines never end a page on their own.
    tag(doc, "if loop.last and section.bullets")
    keep_with_next(para(doc, "{{ paragraph }}"), together=True)
    tag(doc, "else")
    para(doc, "{{ paragraph }}").paragraph_format.keep_together = True
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "for item in section.bullets")
    # ``item.kept``: the next bullet is a sources line (render/summary.py SourceLine), so this
    # one keeps with it: a sources block and the line it documents move to a page together,
    # and no page is left holding a single sources line (review F-33).
    for kept in (True, False):
        tag(doc, ("if" if kept else "elif") + f" item.own_marker and {'' if kept else 'not '}item.kept")
        _bullet(doc, own_marker=True, kept=kept)
    for kept in (True, False):
        tag(doc, "elif " + ("item.kept" if kept else "true"))
        _bullet(doc, own_marker=False, kept=kept)
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endfor")
    footer_text(doc, "{{ summary.footer }}", page_label="{{ summary.page_label }}")
    return doc
