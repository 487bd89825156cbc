"""docxtpl's rendering, with the work that does not depend on the answers done once per
template instead of once per document.

``DocxTemplate.render`` + ``save`` re-reads the template's ZIP, parses its 18 XML parts,
runs ``patch_xml`` (a dozen regular expressions over the whole body), compiles the
Jinja source, then re-serialises and re-compresses every part, although only the body,
the headers and the footers change from one case to the next. That was 20 ms of the
23 ms a letter took (benchmarks/run.py (a), (c)).

A ``PreparedTemplate`` runs docxtpl's own steps on the template once (``patch_xml``, the
``<w:p`` split of ``render_xml_part``, the Jinja compilation, python-docx's save of the
unchanged parts) and, per document, only the steps that depend on the context, in
docxtpl's order and with docxtpl's own functions: Jinja render, the ``{_{`` unescaping,
``resolve_listing``, ``fix_tables``, the ``docPr`` renumbering from 1000, python-docx's
serialisation of the changed parts. The new parts are compressed as ``zipfile`` does
(zlib default level, raw deflate) and put in place of the old ones; every other ZIP
entry is copied byte for byte. The result is the same file, byte for byte, as
``docx.render_with_docxtpl`` (tests/test_docx_prepared.py checks it for every template
with real contexts).

What docxtpl does that this does not (the product's templates use none of it: a
template that would need it is rendered by docxtpl itself, see ``supported``): Jinja
in the core properties or footnotes, pictures or media replaced, subdocuments.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

HEADER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders
FIRST_DOCPR_ID = 1000  # docxtpl's render_init


class NotSupported(Exception):
    """The template uses a docxtpl feature this module does not reproduce."""


@dataclass(frozen=True)
class _Part:
    member: str  # ZIP member name (word/document.xml)
    source: str  # the Jinja source after patch_xml and the <w:p split
    template: Any  # its compiled form
    encoding: str  # headers and footers keep their declared encoding


@dataclass(frozen=True)
class _Entry:
    name: str
    local: bytes  # local file header + compressed data, as python-docx wrote them
    central: bytes  # central directory record (offset patched when written)


class PreparedTemplate:
    def __init__(self, data: bytes, jinja_env, prepare_properties):
        from docx.opc.oxml import serialize_part_xml
        from docxtpl import DocxTemplate

        self._serialize = serialize_part_xml
        doc = DocxTemplate(io.BytesIO(data))
        doc.render_init()
        self._doc = doc  # for docxtpl's pure helpers (resolve_listing, fix_tables)
        document = doc.docx
        for prop in CORE_PROPERTIES:
            value = getattr(document.core_properties, prop) or ""
            if "{" in value:
                raise NotSupported("Jinja in the core properties")
            # render_properties sets each of them, rendered (a text without Jinja is itself):
            # a property the template lacks becomes an empty element.
            setattr(document.core_properties, prop, value)
        if any(part.content_type == FOOTNOTES_TYPE for part in document.part.package.parts):
            raise NotSupported("footnotes")
        prepare_properties(document.core_properties)

        self.body = self._compile("word/document.xml", doc.patch_xml(doc.get_xml()), jinja_env, "utf-8")
        self.headers_footers: list[_Part] = []
        for uri in (HEADER_URI, FOOTER_URI):
            for _key, part in doc.get_headers_footers(uri):
                xml = doc.get_part_xml(part)
                self.headers_footers.append(
                    self._compile(part.partname.membername, doc.patch_xml(xml), jinja_env, doc.get_headers_footers_encoding(xml))
                )
        # The document element without its body: each render gets a copy and its own body
        # (docxtpl's map_tree replaces the body of the document element).
        root = document.element
        self._root = copy.deepcopy(root)
        body = self._root.body
        for child in list(body):
            body.remove(child)

        styles = document.part._styles_part  # the part python-docx saves styles.xml from
        self._styles = (styles.partname.membername, copy.deepcopy(styles.element))
        buffer = io.BytesIO()
        document.save(buffer)  # the unchanged parts exactly as python-docx writes them
        self._entries, self._comment = _read_entries(buffer.getvalue())
        names = {entry.name for entry in self._entries}
        missing = {self.body.member, *(p.member for p in self.headers_footers)} - names
        if missing:
            raise NotSupported(f"parts not found in the saved package: {sorted(missing)}")

    @staticmethod
    def _compile(member: str, patched: str, jinja_env, encoding: str) -> _Part:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)  # as render_xml_part
        return _Part(member, source, jinja_env.from_string(source), encoding)

    # ------------------------------------------------------------------ one document

    def render(self, context: dict[str, Any], finish=None, restyle=None) -> bytes:
        """``finish`` (the typographic layer) is applied to each rendered part's tree, as
        ``docx.render_with_docxtpl`` applies it after docxtpl's render. ``restyle`` may
        change a copy of the styles part (the document's language); it returns True when
        it did, and that part is then written anew, as python-docx would."""
        from lxml import etree

        replaced: dict[str, bytes] = {}
        tree = self._doc.fix_tables(self._render_part(self.body, context))
        if finish is not None:
            finish(tree)
        number = FIRST_DOCPR_ID
        for element in tree.xpath("//wp:docPr", namespaces=_nsmap()):
            number += 1
            element.attrib["id"] = str(number)
        root = copy.deepcopy(self._root)
        root.replace(root.body, tree)
        replaced[self.body.member] = self._serialize(root)
        for part in self.headers_footers:
            xml = self._render_part(part, context).encode(part.encoding)
            # docxtpl loads the new XML into an XmlPart, which python-docx serialises on save.
            element = etree.fromstring(xml, _xml_parser())
            if finish is not None:
                finish(element)
            replaced[part.member] = self._serialize(element)
        if restyle is not None:
            member, styles = self._styles[0], copy.deepcopy(self._styles[1])
            if restyle(styles):
                replaced[member] = self._serialize(styles)
        return _write_zip(self._entries, self._comment, replaced)

    def _render_part(self, part: _Part, context: dict[str, Any]) -> str:
        from jinja2 import TemplateError

        try:
            xml = part.template.render(context)
        except TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                first = max(exc.lineno - 4, 0)
                exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in part.source.splitlines()[first : first + 7]]
            raise
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self._doc.resolve_listing(xml)


def _nsmap():
    import docx.oxml.ns

    return docx.oxml.ns.nsmap


def _xml_parser():
    from docx.oxml.parser import oxml_parser

    return oxml_parser


# --- ZIP: copy the unchanged entries, replace the others -------------------------------------

_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # local file header, before the name
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # central directory record, before the name
_END = struct.Struct("<4sHHHHIIH")


def _read_entries(data: bytes) -> tuple[list[_Entry], bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    end = data.rfind(b"PK\x05\x06")
    _sig, _d1, _d2, _n1, count, size, start, comment_length = _END.unpack_from(data, end)
    if count != len(infos):
        raise NotSupported("unexpected ZIP layout")
    entries = []
    position = start
    for info in infos:
        head = _CENTRAL.unpack_from(data, position)
        if head[0] != b"PK\x01\x02" or head[4] != zipfile.ZIP_DEFLATED or head[3] & 0x08:
            raise NotSupported("unexpected ZIP entry")
        name_length, extra_length, comment = head[10], head[11], head[12]
        central = data[position : position + _CENTRAL.size + name_length + extra_length + comment]
        position += len(central)
        offset = info.header_offset
        local_head = _LOCAL.unpack_from(data, offset)
        local_end = offset + _LOCAL.size + local_head[9] + local_head[10] + info.compress_size
        entries.append(_Entry(info.filename, data[offset:local_end], central))
    return entries, data[end + _END.size : end + _END.size + comment_length]


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile
    return compressor.compress(data) + compressor.flush()


def _write_zip(entries: list[_Entry], comment: bytes, replaced: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    directory = []
    for entry in entries:
        offset = out.tell()
        central = bytearray(entry.central)
        data = replaced.get(entry.name)
        if data is None:
            out.write(entry.local)
        else:
            packed = _deflate(data)
            crc = zlib.crc32(data)
            head = _LOCAL.unpack_from(entry.local)
            local = bytearray(entry.local[: _LOCAL.size + head[9] + head[10]])
            struct.pack_into("<III", local, 14, crc, len(packed), len(data))
            out.write(local)
            out.write(packed)
            struct.pack_into("<III", central, 16, crc, len(packed), len(data))
        struct.pack_into("<I", central, 42, offset)
        directory.append(bytes(central))
    start = out.tell()
    for record in directory:
        out.write(record)
    size = out.tell() - start
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(directory), len(directory), size, start, len(comment)))
    out.write(comment)
    return out.getvalue()
