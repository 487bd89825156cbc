"""Filling a PDF form with the work that does not depend on the answers done once per form.

``pdf_form.fill_plain`` parses the whole form for every fill (pypdf's ``clone_from`` reads
and copies its ~500 objects), looks each font up and parses it again for every field,
and writes every object out again, although a fill changes only the fields' values and
their appearance streams. That was most of the time the family-situation form took
(benchmarks/run.py (b)).

A ``PreparedForm`` does, once per form:

- what ``fill_plain`` does before filling (pypdf's clone, ``NeedAppearances`` false),
  written out once: the *base* file every fill starts from;
- for each text widget, the arguments pypdf's appearance generator computes from the
  widget (its box, border, font, size, colour, alignment, flags), captured from pypdf's
  own ``TextStreamAppearance.from_text_annotation`` rather than computed again here.

and, for each fill, only what depends on the values: the same plan as the plain fill
(``pdf_form._plan``: overflow to the annex, font coverage, typography), each text field's
appearance stream drawn by pypdf's own ``TextStreamAppearance`` with the captured
arguments, the buttons' states, and the changed objects written as an incremental update
after the base (the same object numbers, so the base is copied as it is). Both fills then
end in ``pdf_form._finish`` (annex pages, page numbers, flattening, qpdf's deterministic
save), which writes the document from its objects, not from the bytes it was given: the
result is the same file, byte for byte, as ``fill_plain`` gives (tests/test_family_form_prepared.py
checks it, with the example and with overflowing values).

What this does not reproduce, and leaves to the plain fill (``NotSupported`` when the form
is prepared, ``None`` from ``fill`` for a value): choice fields, widgets without an
appearance stream or outside every page, a font missing from the form's resources, a
value pypdf would draw with another font than the field's own.

The prepared forms are kept per process, by the SHA-256 of the form's bytes: a form file
that changes is a new form, prepared again.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docassemble_asylum.render import pdf_form
from docassemble_asylum.render.pdf_form import FilledForm, FontCoverageError

KEPT_FORMS = 8  # prepared forms kept per process (the product has one; `form fill` may see others)
# Keys of the old /AP /N that pypdf's generator does not copy to the new stream.
_NOT_COPIED = {"/BBox", "/Length", "/Subtype", "/Type", "/Filter", "/Resources"}


class NotSupported(Exception):
    """The form uses something this module does not reproduce: the plain fill fills it."""


@dataclass(frozen=True)
class _Appearance:
    """One text widget: what pypdf's generator draws besides the text, and the stream's dictionary."""

    stream: int  # object number of its /AP /N stream (replaced, as pypdf replaces it)
    drawer: Any  # the TextStreamAppearance pypdf made for it: the layout it draws the text in
    border: bytes  # what is drawn before the text (background, border)
    font: Any
    options: dict  # font_name, font_size, font_color, is_multiline, alignment, is_comb, max_length
    head: bytes  # the stream's dictionary entries but /Length, serialised

    def data(self, text: str) -> bytes:
        return self.border + self.drawer._generate_appearance_stream_data(text, [], self.font, **self.options)

    def serialised(self, data: bytes) -> bytes:
        return b"<<\n" + self.head + b"/Length %d\n>>\nstream\n" % len(data) + data + b"\nendstream"


@dataclass(frozen=True)
class _Field:
    info: pdf_form.FieldInfo
    number: int  # the field dictionary's object number
    widgets: tuple[int, ...]  # its widget annotations' object numbers
    appearances: tuple[_Appearance, ...] = ()  # text fields
    states: tuple[frozenset, ...] = ()  # buttons: the states of each widget's /AP /N


class PreparedForm:
    """One form, prepared: ``fill`` gives ``pdf_form.fill_plain``'s file for the same arguments."""

    def __init__(self, template: bytes):
        from pypdf import PdfReader, PdfWriter

        with pdf_form._quiet_pypdf():
            writer = PdfWriter(clone_from=pdf_form._reader(template))
            writer.set_need_appearances_writer(False)
            buffer = io.BytesIO()
            writer.write(buffer)
            self._base = buffer.getvalue()
            # The objects as written (the writer's own, numbered as in the base); only the
            # trailer is read back.
            self._trailer = _entries(PdfReader(io.BytesIO(self._base)).trailer, {"/Prev"})
            self._base_xref = int(self._base[self._base.rindex(b"startxref") + 9 :].split()[0])
            acro = writer.root_object.get("/AcroForm")
            if acro is None:
                raise NotSupported("no form")
            acro = acro.get_object()
            self._metrics_of = pdf_form._metrics_cache(acro)
            self._objects: dict[int, Any] = {}
            found = pdf_form._fields_of(writer.root_object, writer.pages)
            if not found:
                raise NotSupported("no fields")
            names = {info.name for info, _, _ in found}
            pages = {ref.idnum: page for page in writer.pages for ref in page.get("/Annots", []) or [] if hasattr(ref, "idnum")}
            fonts: dict[str, tuple] = {}  # font resource name -> (name, pypdf Font), parsed once
            self._fields: dict[str, _Field] = {}
            for info, obj, widgets in found:
                number = self._keep(obj)
                widget_numbers = tuple(self._keep(w) for w in widgets)
                appearances: tuple[_Appearance, ...] = ()
                if info.kind == "choice":
                    raise NotSupported("choice field")
                if str(obj.get("/T")) != info.name and str(obj.get("/T")) in names:
                    # pypdf also fills a field whose partial name is the name given
                    raise NotSupported("a partial name that is another field's name")
                if info.kind == "text":
                    appearances = tuple(self._appearance(acro, obj, w, pages, fonts) for w in widgets)
                states = ()
                if info.kind in ("checkbox", "radio"):
                    states = tuple(frozenset(((w.get("/AP") or {}).get("/N") or {}).keys()) for w in widgets)
                self._fields[info.name] = _Field(info, number, widget_numbers, appearances, states)
            self._fixed: dict[tuple[int, frozenset], bytes] = {}
            self._infos = {name: field.info for name, field in self._fields.items()}

    # ------------------------------------------------------------------ preparation

    def _keep(self, obj) -> int:
        reference = obj.indirect_reference
        if reference is None:
            raise NotSupported("a field that is not an indirect object")
        self._objects[reference.idnum] = obj
        return reference.idnum

    def _appearance(self, acro, field, widget, pages, fonts) -> _Appearance:
        from pypdf.generic import IndirectObject
        from pypdf.generic._appearance_stream import BaseStreamAppearance, TextStreamAppearance
        from pypdf.generic._color import DeviceGray

        number = widget.indirect_reference.idnum
        if widget.get("/Subtype") != "/Widget" or number not in pages:
            raise NotSupported("a widget on no page")
        parent = widget if "/FT" in widget and "/T" in widget else widget.get("/Parent")
        if parent is None or parent.get_object().indirect_reference != field.indirect_reference:
            raise NotSupported("a widget pypdf would attach to another field")
        normal = widget.get("/AP", {}).get("/N") if isinstance(widget.get("/AP"), dict) else None
        raw_normal = widget["/AP"].raw_get("/N") if normal is not None else None
        if not isinstance(raw_normal, IndirectObject) or not hasattr(normal, "get_data"):
            raise NotSupported("a text widget without an appearance stream of its own")
        resources = normal.raw_get("/Resources") if "/Resources" in normal else None
        if isinstance(resources, IndirectObject) or (resources is not None and isinstance(resources.raw_get("/Font"), IndirectObject)):
            raise NotSupported("appearance resources shared between widgets")  # pypdf would change them

        captured: dict = {}

        class Capture(TextStreamAppearance):
            """pypdf's own computation of the generator's arguments, recorded."""

            def __init__(self, layout=None, text="", selection=None, font=None, font_resource=None, **options):
                captured.update(layout=dataclasses.replace(layout), font=font, font_resource=font_resource, options=options)
                super().__init__(layout, text, selection, font, font_resource, **options)

            @staticmethod
            def _find_annotation_font_resource(font_name, annotation, acro_form, text):
                # pypdf parses the font again for every widget; its glyph maps, again for every
                # drawing: both depend on the font alone (a widget's own /DR aside).
                found = TextStreamAppearance._find_annotation_font_resource
                if annotation.get_inherited("/DR", None) is not None:
                    return found(font_name, annotation, acro_form, text)
                if font_name not in fonts:
                    name, font = found(font_name, annotation, acro_form, "")
                    fonts[font_name] = (name, _font_with_maps(font))
                name, font = fonts[font_name]
                return (name, font) if font.can_encode(text) else found(font_name, annotation, acro_form, text)

        da_before = widget.get("/DA")
        dr_fonts = ((acro.get("/DR") or {}).get("/Font") or {}).keys()
        try:
            probe = Capture.from_text_annotation(None, pages[number], False, acro, field, widget)
        except Exception as exc:  # noqa: BLE001 - pypdf would need the writer (a font to add): not reproduced
            raise NotSupported(f"appearance not captured: {type(exc).__name__}") from None
        options = captured["options"]
        if widget.get("/DA") != da_before or options["font_name"] not in dr_fonts:
            raise NotSupported("pypdf changes the field's font")
        if not isinstance(getattr(captured["font_resource"], "indirect_reference", None), IndirectObject):
            raise NotSupported("a font that is no object of the form")
        drawer = TextStreamAppearance.__new__(TextStreamAppearance)
        drawer._layout = probe._layout  # as the generator left it (no border colour: no border width)
        appearance = _Appearance(
            stream=raw_normal.idnum,
            drawer=drawer,
            border=BaseStreamAppearance(dataclasses.replace(captured["layout"]))._ap_stream_data,
            font=captured["font"],
            options={**options, "font_color": options.get("font_color") or DeviceGray()},
            head=_entries(probe, {"/Length"}),
        )
        # What pypdf draws, drawn here: the same bytes, for the field's value and for text
        # that takes the generator's other paths (accents, parentheses, several lines).
        sample = "Élise (née) « ça »\nSeconde ligne"
        reference = TextStreamAppearance(
            dataclasses.replace(captured["layout"]), sample, [], captured["font"], captured["font_resource"], **options
        )
        if appearance.data(str(field.get("/V", ""))) != probe.get_data() or appearance.data(sample) != reference.get_data():
            raise NotSupported("appearance not reproduced")
        return appearance

    # ------------------------------------------------------------------ one fill

    def fill(self, values: Mapping[str, Any], options: pdf_form.FillOptions) -> FilledForm | None:
        """``pdf_form.fill``'s result, or None when a value needs what is not reproduced here."""
        from pypdf.generic import NameObject, TextStringObject

        plan = pdf_form._plan(self._infos, self._metrics_of, values, options.sections, options.labels or {}, options.typeset())
        entries: dict[int, dict[str, Any]] = {}  # object number -> the entries a fill sets
        streams: dict[int, bytes] = {}  # object number -> the new appearance stream

        def has_value(number: int) -> bool:
            return "/V" in entries.get(number, ()) or "/V" in self._objects[number]

        for name, chosen in plan.buttons.items():  # as pdf_form._set_button
            field = self._fields[name]
            entries.setdefault(field.number, {})["/V"] = NameObject(f"/{chosen}")
            for number, states in zip(field.widgets, field.states):
                entries.setdefault(number, {})["/AS"] = NameObject(f"/{chosen}" if f"/{chosen}" in states else "/Off")
                if number != field.number and "/T" not in self._objects[number] and "/V" in self._objects[number]:
                    entries[number]["/V"] = NameObject(f"/{chosen}")
        for name, drawn in plan.drawn.items():  # as pypdf's update_page_form_field_values
            field = self._fields[name]
            entries.setdefault(field.number, {})["/V"] = TextStringObject(drawn)
            for appearance in field.appearances:
                if not appearance.font.can_encode(drawn):
                    return None  # pypdf would look for another font (and change /DA)
                data = appearance.data(drawn)
                if pdf_form._marks_added(data, drawn):
                    raise FontCoverageError(name, "?")
                streams[appearance.stream] = appearance.serialised(data)
        for name, text in plan.typed.items():  # as pdf_form._keep_typed_values
            if plan.drawn[name] == text:
                continue
            field = self._fields[name]
            for number in (field.number, *field.widgets):
                if has_value(number) or number == field.number:
                    entries.setdefault(number, {})["/V"] = TextStringObject(text)
        finishing = options.finishing(plan)
        return pdf_form._finish(self._updated(entries, streams), plan, finishing)

    def _updated(self, entries: Mapping[int, dict], streams: Mapping[int, bytes]) -> bytes:
        """The base with the changed objects appended as an incremental update (PDF 32000 §7.5.6)."""
        out = io.BytesIO()
        out.write(self._base)
        offsets = {}
        for number in sorted({*entries, *streams}):
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n" % number)
            if number in streams:
                out.write(streams[number])
            else:
                out.write(self._dictionary(number, entries[number]))
            out.write(b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n")
        numbers = sorted(offsets)
        start = 0
        while start < len(numbers):
            end = start
            while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
                end += 1
            out.write(b"%d %d\n" % (numbers[start], end - start + 1))
            for number in numbers[start : end + 1]:
                out.write(b"%010d 00000 n \n" % offsets[number])
            start = end + 1
        out.write(b"trailer\n<<\n" + self._trailer + b"/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (self._base_xref, xref))
        return out.getvalue()

    def _dictionary(self, number: int, changed: dict) -> bytes:
        """An object of the base with ``changed`` entries: its other entries serialised once."""
        key = (number, frozenset(changed))
        fixed = self._fixed.get(key)
        if fixed is None:
            fixed = self._fixed.setdefault(key, _entries(self._objects[number], set(changed)))
        out = io.BytesIO()
        out.write(b"<<\n")
        out.write(fixed)
        for name, value in changed.items():
            out.write(name.encode() + b" ")
            value.write_to_stream(out)
            out.write(b"\n")
        out.write(b">>")
        return out.getvalue()


def _entries(dictionary, without: set) -> bytes:
    """A dictionary's entries as pypdf writes them (``DictionaryObject.write_to_stream``)."""
    out = io.BytesIO()
    for key, value in dictionary.items():
        if key not in without:
            key.write_to_stream(out)
            out.write(b" ")
            value.write_to_stream(out)
            out.write(b"\n")
    return out.getvalue()


def _font_with_maps(font):
    """The font with its glyph maps computed once (pypdf's generator asks for them per field)."""
    maps = font._get_typographic_maps()
    kept = copy.copy(font)
    kept._get_typographic_maps = lambda: maps
    return kept


_prepared: OrderedDict[bytes, PreparedForm | None] = OrderedDict()
_lock = threading.Lock()


def prepared(template: bytes) -> PreparedForm | None:
    """The form prepared once per process, or None when it uses what this module does not
    reproduce (or is no form pypdf can read: the plain fill then says why)."""
    key = hashlib.sha256(template).digest()
    with _lock:
        if key in _prepared:
            _prepared.move_to_end(key)
            return _prepared[key]
    try:
        form: PreparedForm | None = PreparedForm(template)
    except Exception:  # noqa: BLE001 - NotSupported, or a file pypdf reads badly: the plain fill fills it or says why
        form = None
    with _lock:
        _prepared[key] = form
        while len(_prepared) > KEPT_FORMS:
            _prepared.popitem(last=False)
    return form
