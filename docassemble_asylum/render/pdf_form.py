"""Filling PDF forms so that every viewer shows the values (ENGINEERING.md, "PDF forms").

What this module guarantees, and why:

- pypdf writes the appearance streams itself (``auto_regenerate=False``), the only filler
  measured to show é ç œ « » and multi-line text in strict viewers; NeedAppearances is
  never the delivery mechanism (poppler then shows blank fields).
- Checkboxes and radio buttons are set by their OWN on-state, read from the widget's
  ``/AP /N`` (``/Yes``, ``/On``, ``/Oui``…): an unknown name would silently uncheck the
  box, so it is an error here. They are set directly, not through pypdf, which would
  write the radio group's value as a string.
- Nothing is silently cut. A value longer than its box (its width, its lines, or its
  ``/MaxLen``) goes in full to an addendum page, and the box says where to find it.
  Multi-line text is wrapped here, with the font's metrics, so that the number of lines
  that fit is known before pypdf draws them.
- A value the field's font cannot show is refused before filling (``FontCoverageError``):
  the caller substitutes the person's own Latin spelling or asks for it. After filling,
  every appearance stream is checked for a ``?`` that was not in the value: the
  substitution pypdf makes for an unencodable character can never reach the user.
- Flattening (optional) is pikepdf's ``flatten_annotations("all")`` on the pypdf-filled
  file; pypdf's own flatten loses the selected radio button.
- Reproducible bytes: fixed document information and a content-derived /ID (qpdf's
  deterministic ID), so identical answers give an identical file.
- Two fills, one result: ``fill`` fills the form prepared once per process
  (``pdf_form_prepared.py``); ``fill_plain`` parses it for each fill and is the reference
  the prepared fill is checked against, byte for byte. Both decide what to write in one
  place (``_plan``) and finish in one place (``_finish``: annex pages, page numbers,
  flattening and the save are pikepdf's, on the filled form).

This module holds no user-facing messages: errors carry the field name and the kind of
problem, and the caller words them in the user's language.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterable, Sequence, Mapping
from dataclasses import dataclass, field
from typing import Any

FF_READONLY = 1
FF_REQUIRED = 1 << 1
FF_MULTILINE = 1 << 12
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16
FF_COMBO = 1 << 17
FF_COMB = 1 << 24

# The Latin standard fonts and the bottom / top of their FontBBox (Adobe AFM files): the
# vertical extent pypdf's generator uses to place lines (leading = top - bottom).
STANDARD_FONTS = {
    "Helvetica": (-225, 931),
    "Helvetica-Bold": (-228, 962),
    "Helvetica-Oblique": (-225, 931),
    "Helvetica-BoldOblique": (-228, 962),
    "Times-Roman": (-218, 898),
    "Times-Bold": (-218, 935),
    "Times-Italic": (-217, 883),
    "Times-BoldItalic": (-218, 921),
    "Courier": (-250, 805),
    "Courier-Bold": (-250, 801),
    "Courier-Oblique": (-250, 805),
    "Courier-BoldOblique": (-250, 801),
}
_DA_FONT = re.compile(r"/([^\s/()<>\[\]]+)\s+([-+\d.]+)\s+Tf")
_TJ_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", re.S)
FIXED_PDF_DATE = "D:20000101000000+00'00'"


class FormError(ValueError):
    """A problem with the form or the values given to it; ``kind`` says which."""

    def __init__(self, kind: str, field: str = "", detail: str = ""):
        self.kind = kind
        self.field = field
        self.detail = detail
        super().__init__(f"{kind}: {field} {detail}".strip())


class FontCoverageError(FormError):
    """The field's font cannot show some characters of the value (Arabic, Cyrillic…)."""

    def __init__(self, field: str, characters: str):
        super().__init__("font_coverage", field, characters)
        self.characters = characters


@dataclass(frozen=True)
class FieldInfo:
    """One terminal field of an AcroForm, as ``asylumdocs form fields`` lists it."""

    name: str
    kind: str  # text, checkbox, radio, choice, signature, button
    on_states: tuple[str, ...] = ()
    max_length: int | None = None
    multiline: bool = False
    comb: bool = False
    readonly: bool = False
    required: bool = False
    pages: tuple[int, ...] = ()
    tooltip: str = ""
    font: str = ""
    font_size: float = 0.0
    options: tuple[str, ...] = ()
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    margin: float = 1.0

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.kind,
            "on_states": list(self.on_states),
            "max_length": self.max_length,
            "multiline": self.multiline,
            "readonly": self.readonly,
            "required": self.required,
            "pages": [p + 1 for p in self.pages],
            "tooltip": self.tooltip,
            "font": self.font,
            "font_size": self.font_size,
            "options": list(self.options),
        }


# --- reading a form ---------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_pypdf():
    """pypdf logs its repairs ("invalid pdf header"…) to stderr: the caller reports problems itself."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _reader(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            reader.trailer["/Root"]  # noqa: B018 - forces the parse of a broken file here
        return reader
    except (PdfReadError, ValueError, OSError, KeyError) as exc:
        raise FormError("not_a_pdf", detail=str(exc)) from None


def _walk(kids: Iterable, parent: str, inherited: dict) -> Iterable[tuple[str, Any, list, dict]]:
    for ref in kids:
        obj = ref.get_object()
        partial = obj.get("/T")
        name = f"{parent}.{partial}" if parent and partial else str(partial or parent)
        attrs = dict(inherited)
        for key in ("/FT", "/Ff", "/DA", "/MaxLen", "/Q", "/Opt"):
            if key in obj:
                attrs[key] = obj[key]
        children = [k.get_object() for k in obj.get("/Kids", [])]
        sub_fields = [k for k in children if "/T" in k]
        widgets = [k for k in children if "/T" not in k] or ([] if children else [obj])
        if sub_fields:
            yield from _walk(sub_fields, name, attrs)
        if widgets:
            yield name, obj, widgets, attrs


def _page_index(pages) -> dict[int, int]:
    where: dict[int, int] = {}
    for number, page in enumerate(pages):
        for annot in page.get("/Annots", []) or []:
            if hasattr(annot, "idnum"):
                where[annot.idnum] = number
    return where


def _margin(widget) -> float:
    """The inner margin pypdf's appearance generator uses (border width × style factor)."""
    bs = widget.get("/BS") or {}
    width = float(bs.get("/W", 1))
    mk = widget.get("/MK") or {}
    if not mk.get("/BC"):
        width = 0.0
    factor = 2 if bs.get("/S") in ("/B", "/I") else 1
    return width * factor


def _describe(name: str, obj, widgets: list, attrs: dict, pages: dict[int, int]) -> FieldInfo:
    ft = attrs.get("/FT")
    flags = int(attrs.get("/Ff", 0))
    if ft == "/Tx":
        kind = "text"
    elif ft == "/Btn":
        kind = "button" if flags & FF_PUSHBUTTON else "radio" if flags & FF_RADIO else "checkbox"
    elif ft == "/Ch":
        kind = "choice"
    elif ft == "/Sig":
        kind = "signature"
    else:
        kind = "unknown"
    on_states: list[str] = []
    for widget in widgets:
        normal = (widget.get("/AP") or {}).get("/N")
        if normal is not None and hasattr(normal, "keys") and kind in ("checkbox", "radio"):
            for key in normal.keys():
                state = str(key).lstrip("/")
                if state != "Off" and state not in on_states:
                    on_states.append(state)
    da = str(attrs.get("/DA", ""))
    match = None
    for match in _DA_FONT.finditer(da):
        pass
    options = []
    for option in attrs.get("/Opt", []) or []:
        option = option.get_object() if hasattr(option, "get_object") else option
        options.append(str(option[0] if isinstance(option, list) else option))
    first = widgets[0]
    rect = tuple(float(v) for v in first.get("/Rect", (0, 0, 0, 0)))
    widget_pages = sorted({pages[w.indirect_reference.idnum] for w in widgets if w.indirect_reference and w.indirect_reference.idnum in pages})
    max_length = attrs.get("/MaxLen")
    return FieldInfo(
        name=name,
        kind=kind,
        on_states=tuple(on_states),
        max_length=int(max_length) if max_length is not None else None,
        multiline=bool(flags & FF_MULTILINE) and kind == "text",
        comb=bool(flags & FF_COMB) and kind == "text",
        readonly=bool(flags & FF_READONLY),
        required=bool(flags & FF_REQUIRED),
        pages=tuple(widget_pages),
        tooltip=str(obj.get("/TU", "")),
        font=match.group(1) if match else "",
        font_size=float(match.group(2)) if match else 0.0,
        options=tuple(options),
        rect=(min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])),
        margin=_margin(first),
    )


def _fields_of(root, pages) -> list[tuple[FieldInfo, Any, list]]:
    acro = root.get("/AcroForm")
    if acro is None:
        return []
    acro = acro.get_object()
    where = _page_index(pages)
    found = []
    for name, obj, widgets, attrs in _walk(acro.get("/Fields", []), "", {}):
        found.append((_describe(name, obj, widgets, attrs, where), obj, widgets))
    return found


def read_fields(data: bytes) -> list[FieldInfo]:
    """Every terminal field, in reading order (page, then top to bottom, left to right)."""
    reader = _reader(data)
    infos = [info for info, _, _ in _fields_of(reader.trailer["/Root"], reader.pages)]
    return sorted(infos, key=lambda f: (f.pages[0] if f.pages else 10**6, -f.rect[3], f.rect[0]))


# --- fonts: what a field can show, and how wide it is -------------------------------------------


@dataclass
class _FontMetrics:
    """Widths and vertical extent of a field's font, for wrapping and fit checks."""

    base_font: str
    font_dict: Any = None
    widths: dict[int, float] = field(default_factory=dict)
    ascent: float = 931.0
    descent: float = -225.0
    _pypdf_font: Any = None

    @classmethod
    def of(cls, acro, font_resource: str) -> "_FontMetrics":
        fonts = ((acro.get("/DR") or {}).get("/Font") or {}) if acro is not None else {}
        font_dict = fonts.get(f"/{font_resource}")
        font_dict = font_dict.get_object() if font_dict is not None else None
        base = str(font_dict.get("/BaseFont", "/Helvetica")).lstrip("/") if font_dict is not None else "Helvetica"
        metrics = cls(base_font=base, font_dict=font_dict)
        if base in STANDARD_FONTS:
            metrics.descent, metrics.ascent = (float(v) for v in STANDARD_FONTS[base])
            return metrics
        if font_dict is not None and "/Widths" in font_dict:
            first = int(font_dict.get("/FirstChar", 0))
            metrics.widths = {first + i: float(w) for i, w in enumerate(font_dict["/Widths"])}
        descriptor = font_dict.get("/FontDescriptor") if font_dict is not None else None
        if descriptor is not None and "/FontBBox" in descriptor.get_object():
            bbox = [float(v) for v in descriptor.get_object()["/FontBBox"]]
            metrics.descent, metrics.ascent = bbox[1], bbox[3]
        return metrics

    def width(self, text: str, size: float) -> float:
        if self.base_font in STANDARD_FONTS:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            return stringWidth(text, self.base_font, size)
        if self.widths:
            encoded = text.encode("cp1252", "replace")
            return sum(self.widths.get(b, 1000.0) for b in encoded) * size / 1000
        return len(text) * 0.75 * size  # unknown font: over-estimate, so that text goes to the addendum rather than off the box

    def can_show(self, text: str) -> str:
        """The characters of ``text`` this font cannot show ('' when all can)."""
        if self.font_dict is not None and self._pypdf_font is not False:
            try:
                if self._pypdf_font is None:
                    from pypdf.generic._font import Font  # pypdf >= 6: the same check its generator makes

                    self._pypdf_font = Font.from_font_resource(self.font_dict)
                if self._pypdf_font.can_encode(text):
                    return ""
            except Exception:  # noqa: BLE001 - older pypdf or an odd font: fall back to the simple rule
                self._pypdf_font = False
        # Standard fonts with a Latin encoding: Windows-1252 is what every viewer shows.
        missing = []
        for char in text:
            if char in "\n\r":
                continue
            try:
                char.encode("cp1252")
            except UnicodeEncodeError:
                if char not in missing:
                    missing.append(char)
        return "".join(missing)


def coverage_checker(template: bytes):
    """``check(field_name, text)`` → the characters that field's font cannot show ('' if none).

    ``check(None, text)`` answers for the addendum pages (Helvetica). Lets a caller find
    every value that needs a Latin spelling before anything is filled.
    """
    reader = _reader(template)
    root = reader.trailer["/Root"]
    acro = root.get("/AcroForm")
    acro = acro.get_object() if acro is not None else None
    fonts: dict[str, _FontMetrics] = {}
    by_field = {info.name: info.font or "Helv" for info, _, _ in _fields_of(root, reader.pages)}
    addendum = _FontMetrics(base_font="Helvetica")

    def check(name: str | None, text: str) -> str:
        if name is None:
            return addendum.can_show(text)
        font = by_field.get(name, "Helv")
        metrics = fonts.get(font) or fonts.setdefault(font, _FontMetrics.of(acro, font))
        return metrics.can_show(text)

    return check


def wrap(text: str, metrics: _FontMetrics, size: float, width: float) -> list[str]:
    """Greedy wrapping by words (a word longer than the line is cut between characters)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if metrics.width(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            if metrics.width(word, size) > width and len(word) > 1:
                pieces = _cut_word(word, metrics, size, width)
                lines.extend(pieces[:-1])
                word = pieces[-1]
            current = word
        lines.append(current)
    return lines


def _cut_word(word: str, metrics: _FontMetrics, size: float, width: float) -> list[str]:
    """A word wider than the line, cut between characters into pieces that each fit.

    Every font measured here has additive widths (no kerning), so each character is
    measured once: measuring every prefix made a 100,000-character word take hours.
    """
    char_width: dict[str, float] = {}
    pieces: list[str] = []
    start, used = 0, 0.0
    for index, char in enumerate(word):
        w = char_width.get(char)
        if w is None:
            w = char_width[char] = metrics.width(char, size)
        if used + w > width and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += w
    pieces.append(word[start:])
    return pieces


@dataclass
class _Box:
    """The space pypdf's generator gives a field's text (same arithmetic as pypdf 7)."""

    info: FieldInfo
    metrics: _FontMetrics

    @property
    def size(self) -> float:
        return self.info.font_size or 12.0

    @property
    def text_width(self) -> float:
        return (self.info.rect[2] - self.info.rect[0]) - 4 * max(self.info.margin, 1)

    def lines_that_fit(self) -> int:
        height = (self.info.rect[3] - self.info.rect[1]) - 2 * self.info.margin
        size = self.size
        leading = (self.metrics.ascent - self.metrics.descent) / 1000 * size
        first_baseline = height + self.info.margin - self.metrics.ascent * size / 1000
        bottom = self.info.margin - self.metrics.descent * size / 1000 * 0.9
        if first_baseline < bottom:
            return 0
        return int((first_baseline - bottom) // leading) + 1


# --- filling -----------------------------------------------------------------------------------


@dataclass
class AddendumSection:
    heading: str
    lines: list[str]


@dataclass
class FilledForm:
    data: bytes
    overflowed: list[str] = field(default_factory=list)
    """Fields whose full value is on the addendum."""
    addendum_pages: int = 0


POINTER_SINGLE = "Voir l’annexe, point {n}."  # French typography as typography.winansi writes it
POINTER_MULTI = "[Suite\u00a0: annexe, point {n}]"


def _fit(value: str, box: _Box, number: int) -> tuple[str, bool]:
    """The text the box shows, and whether the full value must go to the addendum."""
    info = box.info
    too_long = info.max_length is not None and len(value) > info.max_length
    if info.multiline:
        lines = wrap(value, box.metrics, box.size, box.text_width)
        capacity = box.lines_that_fit()
        joined = "\n".join(lines)
        if not too_long and len(lines) <= capacity and (info.max_length is None or len(joined) <= info.max_length):
            return joined, False
        pointer = POINTER_MULTI.format(n=number)
        kept = lines[: max(capacity - 1, 0)]
        shown = "\n".join([*kept, pointer])
        while kept and info.max_length is not None and len(shown) > info.max_length:
            kept.pop()
            shown = "\n".join([*kept, pointer])
        return shown, True
    if "\n" not in value and not too_long and box.metrics.width(value, box.size) <= box.text_width:
        return value, False
    return POINTER_SINGLE.format(n=number), True


def _keep_typed_values(fields: dict, shown_text: dict[str, str], typed: dict[str, str]) -> None:
    """A multi-line field's value is the text as given; only its appearance is wrapped
    (and a no-break space drawn as a space, see ``fill``).

    pypdf draws a multi-line appearance line by line from the value it is given, so it
    is given the wrapped text; the value is then set back to the text itself: the
    line breaks of the wrapping must not become part of what a lawyer edits (a viewer
    that redraws the field wraps it again to its own metrics).
    """
    from pypdf.generic import NameObject, TextStringObject

    for name, text in typed.items():
        if shown_text[name] == text:
            continue
        _info, obj, widgets = fields[name]
        for holder in (obj, *widgets):
            holder = holder.get_object()
            if "/V" in holder or holder is obj.get_object():
                holder[NameObject("/V")] = TextStringObject(text)


def _button_state(info: FieldInfo, value) -> str:
    """The state a checkbox or radio group is set to: one of its own on-states, or ``Off``."""
    if info.kind == "checkbox":
        if not isinstance(value, bool):
            raise FormError("checkbox_needs_bool", info.name)
        if value and not info.on_states:
            raise FormError("no_on_state", info.name)
        return info.on_states[0] if value else "Off"
    if value in (None, False, ""):
        return "Off"
    if str(value) not in info.on_states:
        raise FormError("unknown_choice", info.name, ", ".join(info.on_states))
    return str(value)


def _set_button(obj, widgets: list, chosen: str) -> None:
    from pypdf.generic import NameObject

    obj[NameObject("/V")] = NameObject(f"/{chosen}")
    for widget in widgets:
        normal = (widget.get("/AP") or {}).get("/N") or {}
        state = f"/{chosen}" if f"/{chosen}" in normal else "/Off"
        widget[NameObject("/AS")] = NameObject(state)
        if widget is not obj and "/T" not in widget and "/V" in widget:
            widget[NameObject("/V")] = NameObject(f"/{chosen}")


def _question_marks_added(widgets: list, shown: str) -> bool:
    """True when an appearance stream shows more '?' than the value has (an unencodable character).

    pypdf writes ``?`` for a character the font cannot encode. Literal strings (simple
    8-bit fonts, the case of standard fonts) are checked; hex strings of 16-bit fonts are
    not, since their bytes are glyph ids.
    """
    for widget in widgets:
        normal = (widget.get("/AP") or {}).get("/N")
        if normal is not None and hasattr(normal, "get_data") and _marks_added(normal.get_object().get_data(), shown):
            return True
    return False


def _marks_added(stream: bytes, shown: str) -> bool:
    return sum(s.count(b"?") for s in _TJ_STRING.findall(stream)) > shown.count("?")


@dataclass
class _Plan:
    """What a fill writes, decided before any PDF object is touched (the plain and the
    prepared fill share it, so that they cannot differ in what they show or refuse)."""

    buttons: dict[str, str]
    """Checkbox and radio fields → the state chosen (an on-state name, or ``Off``)."""
    drawn: dict[str, str]
    """Text and choice fields → the text their appearance shows."""
    typed: dict[str, str]
    """Fields whose value is not the drawn text (see ``_keep_typed_values``)."""
    overflowed: list[str]
    addendum: list[AddendumSection]


def _plan(
    infos: Mapping[str, FieldInfo],
    metrics_of,
    values: Mapping[str, Any],
    sections: Iterable[AddendumSection],
    labels: Mapping[str, str],
    typeset,
) -> _Plan:
    """``metrics_of(font_resource)`` → the ``_FontMetrics`` of a field's font."""
    unknown = sorted(set(values) - set(infos))
    if unknown:
        raise FormError("unknown_field", unknown[0], f"({len(unknown)} unknown)")
    addendum = [AddendumSection(typeset(s.heading), [typeset(line) for line in s.lines]) for s in sections]
    plan = _Plan({}, {}, {}, [], addendum)
    ordered = sorted(values, key=lambda n: (infos[n].pages[:1] or (10**6,), -infos[n].rect[3], infos[n].rect[0]))
    for name in ordered:
        value = values[name]
        info = infos[name]
        if info.kind in ("checkbox", "radio"):
            plan.buttons[name] = _button_state(info, value)
            continue
        if info.kind not in ("text", "choice"):
            raise FormError("unsupported_field", name, info.kind)
        text = "" if value is None else str(value)
        if info.kind == "text":  # a choice's value must stay one of its options
            text = typeset(text)
        metrics = metrics_of(info.font or "Helv")
        missing = metrics.can_show(text)
        if missing:
            raise FontCoverageError(name, missing)
        shown, spilled = (text, False) if info.kind == "choice" else _fit(text, _Box(info, metrics), len(addendum) + 1)
        if spilled:
            plan.overflowed.append(name)
            addendum.append(AddendumSection(typeset(labels.get(name, name)), text.split("\n")))
        # pypdf encodes U+00A0 for Helvetica through a table whose order changes from run to
        # run (the form's bytes were not reproducible): the appearance is drawn with a space,
        # which looks the same, and the value keeps its no-break space.
        drawn = shown.replace("\u00a0", " ")
        kept = text if info.multiline and not spilled else shown
        if kept != drawn:
            plan.typed[name] = kept
        plan.drawn[name] = drawn
    return plan


def _metrics_cache(acro):
    fonts: dict[str, _FontMetrics] = {}

    def metrics_of(font: str) -> _FontMetrics:
        return fonts.get(font) or fonts.setdefault(font, _FontMetrics.of(acro, font))

    return metrics_of


@dataclass(frozen=True)
class _Finishing:
    """What is done to the filled form as a whole, the same way whichever fill filled it."""

    annex: bytes | None  # the addendum's pages (render_addendum), appended after the form
    page_label: str  # "Page {page} / {pages}" on every page of the final PDF ('' for none)
    flatten: bool


def _finishing(plan: _Plan, title: str, header: str, closing: Sequence[str], page_label: str, flatten: bool, typeset) -> _Finishing:
    annex = None
    if plan.addendum:
        annex = render_addendum(
            plan.addendum, title, header=typeset(header), closing=[typeset(line) for line in closing], numbered=not page_label
        )
    return _Finishing(annex, page_label, flatten)


@dataclass(frozen=True)
class FillOptions:
    """What a fill does besides writing the values, the same for the prepared and the plain fill.

    ``sections`` are extra addendum sections (e.g. family members beyond the form's slots),
    numbered first; a text too long for its box becomes the next section, headed with its
    label from ``labels`` (the field name otherwise).

    Annex pages that stand alone: ``addendum_header`` (who the form is about) is printed on
    every annex page, ``addendum_closing`` (a signature line) after the last section, and
    ``page_label`` (``"Page {page} / {pages}"``) is stamped on every page of the final PDF,
    form and annex pages together, once the number of annex pages is known.

    ``french``: the values and the addendum get French typography as Helvetica (WinAnsi)
    can show it (render/typography.py ``winansi``: U+00A0 and ’, no U+202F, no superscript).
    """

    sections: Iterable[AddendumSection] = ()
    labels: Mapping[str, str] | None = None
    addendum_title: str = "Annexe au formulaire"
    addendum_header: str = ""
    addendum_closing: Sequence[str] = ()
    page_label: str = ""
    flatten: bool = False
    french: bool = True

    def __post_init__(self):
        # Read by both fills when the prepared one falls back: never a one-shot iterator.
        object.__setattr__(self, "sections", tuple(self.sections))

    def typeset(self):
        return _typeset if self.french else (lambda text: text)

    def finishing(self, plan: _Plan) -> _Finishing:
        return _finishing(
            plan, self.addendum_title, self.addendum_header, self.addendum_closing, self.page_label, self.flatten, self.typeset()
        )


def fill(template: bytes, values: Mapping[str, Any], **options: Any) -> FilledForm:
    """Fill ``template`` with ``values`` (field name → text, bool for a checkbox, on-state for
    a radio); ``options`` are those of ``FillOptions``.

    The form is prepared once per process (``pdf_form_prepared.py``): the same file, byte
    for byte, as ``fill_plain`` gives, which the prepared fill falls back to for what it does
    not reproduce.
    """
    from docassemble_asylum.render.pdf_form_prepared import prepared

    chosen = FillOptions(**options)
    form = prepared(template)
    if form is not None:
        filled = form.fill(values, chosen)
        if filled is not None:
            return filled
    return _fill_plain(template, values, chosen)


def fill_plain(template: bytes, values: Mapping[str, Any], **options: Any) -> FilledForm:
    """``fill`` with pypdf alone, the form parsed again for each fill: the reference the
    prepared fill is checked against, and its fallback."""
    return _fill_plain(template, values, FillOptions(**options))


def _fill_plain(template: bytes, values: Mapping[str, Any], options: FillOptions) -> FilledForm:
    from pypdf import PdfWriter

    reader = _reader(template)
    writer = PdfWriter(clone_from=reader)
    root = writer.root_object
    acro = root.get("/AcroForm")
    acro = acro.get_object() if acro is not None else None
    fields = {info.name: (info, obj, widgets) for info, obj, widgets in _fields_of(root, writer.pages)}
    plan = _plan(
        {name: found[0] for name, found in fields.items()}, _metrics_cache(acro), values, options.sections, options.labels or {},
        options.typeset(),
    )
    for name, chosen in plan.buttons.items():
        _set_button(fields[name][1], fields[name][2], chosen)
    per_page: dict[int, dict[str, str]] = {}
    for name, drawn in plan.drawn.items():
        for page in fields[name][0].pages or (0,):
            per_page.setdefault(page, {})[name] = drawn
    with _quiet_pypdf():
        for page_number, page_values in sorted(per_page.items()):
            writer.update_page_form_field_values(writer.pages[page_number], page_values, auto_regenerate=False)
    writer.set_need_appearances_writer(False)
    _keep_typed_values(fields, plan.drawn, plan.typed)
    for name, shown in plan.drawn.items():
        if _question_marks_added(fields[name][2], shown):
            raise FontCoverageError(name, "?")
    finishing = options.finishing(plan)
    buffer = io.BytesIO()
    writer.write(buffer)
    return _finish(buffer.getvalue(), plan, finishing)


def _typeset(text: str) -> str:
    from docassemble_asylum.render.typography import winansi

    return winansi(text)


def _stamp_page_numbers(pdf, label: str, opened: contextlib.ExitStack) -> None:
    """``label`` with {page} and {pages} at the foot of every page (the total known only now).

    The stamps are reportlab pages laid over each page as pikepdf's ``add_overlay`` lays
    them (the page's own drawing kept in its own graphics state), under a fixed name:
    ``add_overlay`` draws a random one, and the file would change from run to run.
    ``opened`` keeps their file open until the document is saved (qpdf copies a foreign
    stream's data when it writes it)."""
    import pikepdf
    from reportlab.pdfgen import canvas

    total = len(pdf.pages)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for number, page in enumerate(pdf.pages, start=1):
        box = [float(v) for v in page.mediabox]
        width = box[2] - box[0]
        c.setPageSize((width, box[3] - box[1]))
        c.setFont("Helvetica", 7.5)
        c.drawRightString(width - 40, 16, label.format(page=number, pages=total))
        c.showPage()
    c.save()
    overlay = opened.enter_context(pikepdf.open(io.BytesIO(buffer.getvalue())))
    for page, stamp in zip(pdf.pages, overlay.pages):
        # add_overlay's steps, with a fixed resource name (add_overlay draws a random one)
        xobjects = page.Resources.get("/XObject") or {}
        name = next(f"/PageNumber{n}" for n in range(len(xobjects) + 1) if f"/PageNumber{n}" not in xobjects)
        form = stamp.as_form_xobject()
        page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
        placement = page.calc_form_xobject_placement(form, pikepdf.Name(name), pikepdf.Rectangle(*page.mediabox))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n")
        page.contents_add(placement)
        page.contents_coalesce()


HIGHLIGHT_RGB = b"1 1 0"  # yellow, as the DOCX drafts highlight theirs (render/docx_highlight.py)


def _field_name(annotation) -> str:
    parts = []
    node = annotation
    while node is not None:
        if "/T" in node:
            parts.append(str(node.T))
        node = node.get("/Parent")
    return ".".join(reversed(parts))


def _highlight_placeholders(pdf, drawn: Mapping[str, str]) -> None:
    """A placeholder ("[À compléter…]", ``render/placeholders.py``) in a filled field gets a
    yellow background behind its own words, as the DOCX drafts show theirs: a part left to
    complete cannot go unseen, on screen, printed or flattened.

    The rectangles are measured on the appearance stream pypdf drew (its ``Td`` moves and
    ``Tf`` size, one ``Tj`` per drawn line) with the field font's widths, and drawn before
    the text, after the field's background. Both fills end in ``_finish``: they get the
    same marks."""
    import pikepdf

    from docassemble_asylum.render.placeholders import placeholder_spans

    wanted = {name: text for name, text in drawn.items() if placeholder_spans(text)}
    if not wanted:
        return
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            name = _field_name(annotation)
            if name not in wanted or "/AP" not in annotation or "/N" not in annotation.AP:
                continue
            stream = annotation.AP.N
            if not isinstance(stream, pikepdf.Stream):
                continue
            rects = _placeholder_rects(stream, wanted[name])
            if not rects:
                continue
            data = stream.read_bytes()
            marks = b"".join(b"q %s rg %.3f %.3f %.3f %.3f re f Q\n" % (HIGHLIGHT_RGB, *rect) for rect in rects)
            at = data.find(b"/Tx BMC")
            at = data.index(b"\n", at) + 1 if at >= 0 else 0
            stream.write(data[:at] + marks + data[at:])


def _placeholder_rects(stream, text: str) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) behind each placeholder piece of ``text`` (the drawn lines)."""
    import pikepdf
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from docassemble_asylum.render.placeholders import placeholder_spans

    fonts = (stream.get("/Resources") or {}).get("/Font") or {}
    base, size, x, y = "Helvetica", 12.0, 0.0, 0.0
    origins = []  # (x, y, base font, size) of each drawn line, in order
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "Tf":
            font = fonts.get(str(operands[0]))
            base = str(font.get("/BaseFont", "/Helvetica")).lstrip("/") if font is not None else "Helvetica"
            size = float(operands[1])
        elif op == "BT":
            x = y = 0.0
        elif op == "Td":
            x, y = x + float(operands[0]), y + float(operands[1])
        elif op == "Tj":
            origins.append((x, y, base, size))
    lines = text.split("\n")
    if len(lines) != len(origins) or any(origin[2] not in STANDARD_FONTS for origin in origins):
        return []
    rects = []
    start = 0
    spans = placeholder_spans(text)
    for line, (x, y, base, size) in zip(lines, origins):
        end = start + len(line)
        for first, last in spans:
            a, b = max(first, start), min(last, end)
            if a >= b:
                continue
            descent, ascent = STANDARD_FONTS[base]
            left = x + stringWidth(line[: a - start], base, size)
            width = stringWidth(line[a - start : b - start], base, size)
            rects.append((left, y + descent * size / 1000, width, (ascent - descent) * size / 1000))
        start = end + 1
    return rects


def render_addendum(
    sections: list[AddendumSection], title: str, *, header: str = "", closing: Sequence[str] = (), numbered: bool = True
) -> bytes:
    """Numbered sections on A4 pages (Helvetica; reproducible: reportlab's invariant mode).

    ``header`` under the title of every page (an annex page read alone still says whose it
    is); ``closing`` lines and a signature box after the last section; ``numbered``: the
    annex's own page numbers (off when the caller stamps the whole document's)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    width, height = A4
    left, right, top, bottom = 50, width - 50, height - 60, 50
    body = 10
    leading = 13.5
    metrics = _FontMetrics(base_font="Helvetica")
    blocks: list[tuple[str, str]] = []  # (font, text)
    for number, section in enumerate(sections, start=1):
        blocks.append(("Helvetica-Bold", f"{number}. {section.heading}"))
        for line in section.lines:
            for piece in wrap(line, metrics, body, right - left - 12):
                blocks.append(("Helvetica", piece))
        blocks.append(("", ""))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    page = 0
    y = 0.0

    def start_page() -> float:
        nonlocal page
        if page:
            c.showPage()
        page += 1
        c.setFont("Helvetica-Bold", 13)
        c.drawString(left, height - 45, title)
        if numbered:
            c.setFont("Helvetica", 8)
            c.drawRightString(right, 25, f"{title} — page {page}")
        if header:
            c.setFont("Helvetica", 9)
            c.drawString(left, height - 60, header)
            return top - 14
        return top

    y = start_page()
    for font, text in blocks:
        if y < bottom + leading:
            y = start_page()
        if font:
            c.setFont(font, body)
            indent = 0 if font.endswith("Bold") else 12
            c.drawString(left + indent, y, text)
            if stringWidth(text, font, body) > right - left - indent + 1:
                raise FormError("addendum_overflow", detail=text[:20])
        y -= leading
    if closing:
        box = 40
        if y < bottom + leading * len(closing) + box + 8:
            y = start_page()
        c.setFont("Helvetica", body)
        for line in closing:
            c.drawString(left, y, line)
            y -= leading
        c.rect(left, y - box + 8, 220, box, stroke=1, fill=0)
    c.save()
    return buffer.getvalue()


def _finish(data: bytes, plan: _Plan, finishing: _Finishing) -> FilledForm:
    """The annex pages, the page numbers, the flattening if asked (pikepdf), then fixed
    metadata and /ID: the same input, the same bytes. Both fills end here, so that what
    they hand over (the filled form) is all that could make them differ."""
    import pikepdf

    with contextlib.ExitStack() as opened:
        pdf = opened.enter_context(pikepdf.open(io.BytesIO(data)))
        acro = pdf.Root.get("/AcroForm")
        if acro is not None:
            acro.NeedAppearances = False
        annex_pages = 0
        if finishing.annex is not None:
            annex = opened.enter_context(pikepdf.open(io.BytesIO(finishing.annex)))
            annex_pages = len(annex.pages)
            pdf.pages.extend(annex.pages)
        _highlight_placeholders(pdf, plan.drawn)
        if finishing.page_label:
            _stamp_page_numbers(pdf, finishing.page_label, opened)
        if finishing.flatten:
            pdf.flatten_annotations("all")
            acro = pdf.Root.get("/AcroForm")
            if acro is not None and len(acro.get("/Fields", [])) == 0:
                del pdf.Root.AcroForm
        info = pdf.docinfo
        for key in list(info.keys()):
            if key in ("/CreationDate", "/ModDate"):
                info[key] = pikepdf.String(FIXED_PDF_DATE)
        info[pikepdf.Name.Producer] = pikepdf.String("asylumdocs (pypdf, pikepdf)")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return FilledForm(out.getvalue(), plan.overflowed, annex_pages)
