"""WeasyPrint's PDF objects → the finished PDF: repaired text layer, viewer preferences, boxes,
colour spaces and metadata that each edition promises."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pydyf

from pressroom.errors import OutputError
from pressroom.layout.weasy import (
    Document,
    document_fonts,
    joiners,
    resolve,
    srgb_profile,
    type0_font,
    xmp_packet,
)
from pressroom.pdf import fontdates, fontform, glyphfold, kashida, numberorder, runsapart
from pressroom.pdf.glyphtext import GlyphTexts, glyph_texts
from pressroom.pdf.metatext import xml_safe

_CMAP_HEAD = [
    b"/CIDInit /ProcSet findresource begin",
    b"12 dict begin",
    b"begincmap",
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    b"/CMapName /Adobe-Identity-UCS def",
    b"/CMapType 2 def",
    b"1 begincodespacerange",
    b"<0000> <ffff>",
    b"endcodespacerange",
]
_CMAP_TAIL = [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]


def to_unicode_cmap(mapping: dict[int, str]) -> list[bytes]:
    """A ToUnicode CMap program for glyph id → text."""
    lines = list(_CMAP_HEAD)
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            lines.append(f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    return lines + _CMAP_TAIL


def repaired_mapping(font_data: bytes, index: int, weasyprint_map: dict[int, str],
                     texts: Callable[[bytes, int], dict[int, str]] = glyph_texts,
                     rtl: bool = True) -> dict[int, str]:
    """WeasyPrint's glyph → text map, corrected from the font wherever the font can tell.

    Brackets are the exception in a right-to-left document (``rtl``): in right-to-left text the
    font draws "(" with the glyph of ")". WeasyPrint maps that glyph to the character it was
    first drawn for — "(" in an Arabic article — which pypdf, poppler and pdf.js read right, and
    pdfium (which mirrors by itself) reads mirrored; the font's own ")" would please pdfium alone
    (measured). So the first-drawn character is kept for mirrored pairs there. In a left-to-right
    document the glyph keeps its own character, for its English lines, and glyphfold.py draws the
    brackets of its right-to-left lines with copies that read as the characters they were drawn
    for (the first-drawn one made one of the two read mirrored).
    """
    derived = texts(font_data, index)
    mapping = {}
    for glyph, text in weasyprint_map.items():
        better = derived.get(glyph, text)
        if rtl and len(text) == len(better) == 1 and unicodedata.mirrored(text) \
                and unicodedata.mirrored(better):
            better = text
        mapping[glyph] = better
    return mapping


def repair_text_layer(document: Document, pdf: pydyf.PDF, fold: bool = True,
                      texts: Callable[[bytes, int], dict[int, str]] = glyph_texts,
                      rtl: bool = False) -> None:
    """WeasyPrint finisher: give justified Arabic lines kashidas (kashida.py, where the layout's
    ``--justify`` asks for them) and fold kerning into glyph copies (glyphfold.py; ``fold=False``
    does neither, only tidies the TJ arrays), then rewrite every Type0 font's ToUnicode map from
    its font file (read by ``texts``: a build's GlyphTexts reads each font once), copies mapped
    like their originals."""
    fonts = document_fonts(document)
    fontform.same_glyph_ids(pdf)  # the copies go after the last glyph: the same ids either way
    maps: dict[bytes, tuple[bytes, dict[int, str]]] = {}  # BaseFont → (ToUnicode ref, map)
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        font, reference = type0_font(fonts, obj)
        maps[obj["BaseFont"]] = reference, repaired_mapping(font.data, font.index, font.to_unicode,
                                                            texts, rtl=rtl)
    embedded = glyphfold.embedded_fonts(pdf, {name: mapping for name, (_, mapping) in maps.items()})
    if fold:
        glyphfold.tag_joiners(pdf, embedded, joiners(document))
    glyphfold.fold_text(pdf, embedded, fold=fold, rtl=rtl,
                        first=kashida.Justifier(document, fonts, texts))
    if fold:
        numberorder.numbers_in_reading_order(pdf, embedded)
        runsapart.refont_rtl_arrays(pdf, embedded)
    folds = {font.type0["BaseFont"]: font.fold for font in embedded.values() if font.fold}
    for name, (reference, mapping) in maps.items():
        fold = folds.get(name)
        for copy, base in fold.bases().items() if fold else ():
            if base in mapping:
                mapping[copy] = mapping[base]
        mapping.update(fold.copy_texts() if fold else {})
        resolve(pdf, reference).stream = to_unicode_cmap(mapping)


MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class OutputProfile:
    """The CMYK profile of the print condition and its name in the output intent."""

    path: Path
    name: str


@dataclass
class Finishing:
    """The WeasyPrint finisher of one build: its edition's finishing steps, in order, with
    what they need to know about the article."""

    steps: tuple[Step, ...]
    direction: str
    doc_id: str  # 32 hex digits, from the input
    bleed_mm: float = 0.0
    profile: OutputProfile | None = None
    xmp: dict[str, str | list[str]] = field(default_factory=dict)
    glyph_texts: GlyphTexts = field(default_factory=GlyphTexts)  # each font's tables, read once

    def __call__(self, document: Document, pdf: pydyf.PDF) -> None:
        for step in self.steps:
            step(self, document, pdf)


#: One finishing step: (the build's Finishing, the document, WeasyPrint's PDF objects) → None.
Step = Callable[[Finishing, Document, pydyf.PDF], None]


def text_layer(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """Fold kerning into glyph copies and rewrite every ToUnicode map (repair_text_layer)."""
    repair_text_layer(document, pdf, texts=job.glyph_texts, rtl=job.direction == "rtl")


def text_layer_unfolded(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """The ToUnicode repair without folding (TJ arrays only tidied): for comparisons."""
    repair_text_layer(document, pdf, fold=False, texts=job.glyph_texts)


def viewer_preferences(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """Reading direction and spreads (set_viewer_preferences)."""
    set_viewer_preferences(pdf, job.direction)


def embedded_fonts(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """Refuse a font whose program is not in the file (require_embedded_fonts); the programs in
    one form whichever subsetter made them (fontform.py), with no clock in them (fontdates.py:
    fontTools stamps one where HarfBuzz-Subset is missing)."""
    require_embedded_fonts(pdf)
    fontform.one_form(pdf)
    fontdates.remove_clock(pdf)


def bleed_boxes(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """BleedBox = TrimBox grown by the edition's bleed (set_bleed_boxes)."""
    set_bleed_boxes(pdf, job.bleed_mm)


def srgb_default(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """DeviceRGB means sRGB (default_rgb_is_srgb)."""
    default_rgb_is_srgb(pdf)


def output_intent(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """The output intent named after, and carrying, the build's profile (name_output_intent)."""
    name_output_intent(pdf, job.profile)


def xmp(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """The XMP packet WeasyPrint writes for PDF/A and PDF/X, made reproducible (finish_xmp)."""
    finish_xmp(pdf, job.doc_id, job.xmp)


def unique_attachments(job: Finishing, document: Document, pdf: pydyf.PDF) -> None:
    """List each associated file once (WeasyPrint lists each twice)."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(list(dict.fromkeys(pdf.catalog["AF"])))


def set_viewer_preferences(pdf: pydyf.PDF, direction: str) -> None:
    """Right-to-left reading and spreads as a bound publication shows them (page 1 alone)."""
    preferences = pydyf.Dictionary({"Direction": "/R2L" if direction == "rtl" else "/L2R"})
    pdf.catalog["ViewerPreferences"] = preferences
    pdf.catalog["PageLayout"] = "/TwoPageRight"


def _pages(pdf: pydyf.PDF):
    return [o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"]


def set_bleed_boxes(pdf: pydyf.PDF, bleed_mm: float) -> None:
    """BleedBox = TrimBox grown by the bleed (WeasyPrint's is the whole sheet, marks included)."""
    bleed = bleed_mm * MM
    for page in _pages(pdf):
        llx, lly, urx, ury = (float(v) for v in page["TrimBox"])
        page["BleedBox"] = pydyf.Array([round(llx - bleed, 4), round(lly - bleed, 4),
                                        round(urx + bleed, 4), round(ury + bleed, 4)])


def default_rgb_is_srgb(pdf: pydyf.PDF) -> None:
    """Give DeviceRGB (WeasyPrint's colours, RGB photos) an sRGB meaning, as PDF/X-4 asks."""
    stream = pydyf.Stream([srgb_profile()], pydyf.Dictionary({"N": 3}), compress=True)
    pdf.add_object(stream)
    space = pydyf.Array(["/ICCBased", stream.reference])
    seen: set[int] = set()
    for page in _pages(pdf):
        resources = resolve(pdf, page.get("Resources"))
        if not isinstance(resources, pydyf.Dictionary) or id(resources) in seen:
            continue
        seen.add(id(resources))
        spaces = resolve(pdf, resources.get("ColorSpace"))
        if not isinstance(spaces, pydyf.Dictionary):
            spaces = pydyf.Dictionary()
            resources["ColorSpace"] = spaces
        spaces["DefaultRGB"] = space


def name_output_intent(pdf: pydyf.PDF, profile: OutputProfile | None) -> None:
    """Name the output condition (WeasyPrint writes the CSS profile's name) and embed the
    profile's own bytes (WeasyPrint re-serialises it to twice its size)."""
    name = profile.name if profile else ""
    for intent in pdf.catalog.get("OutputIntents", []):
        intent = resolve(pdf, intent)
        if profile is not None:
            stream = resolve(pdf, intent["DestOutputProfile"])
            data = profile.path.read_bytes()
            if stream.compress and "Filter" not in stream.extra:
                # compressed once per process (pydyf would compress it at each of its two
                # serialisations, each build): the same bytes, keys in pydyf's order
                stream.extra["Filter"] = "/FlateDecode"
                stream.compress, data = False, _deflated(data)
            stream.stream = [data]
        intent["OutputConditionIdentifier"] = pydyf.String(name or "Custom")
        intent["OutputCondition"] = pydyf.String(name or "Custom")
        intent["Info"] = pydyf.String(name or "Custom")
        if name.startswith("FOGRA"):
            intent["RegistryName"] = pydyf.String("http://www.color.org")


@lru_cache(maxsize=4)
def _deflated(data: bytes) -> bytes:
    """``data`` compressed as pydyf compresses a stream (zlib, level 9)."""
    compressor = zlib.compressobj(level=9)
    return compressor.compress(data) + compressor.flush()


def require_embedded_fonts(pdf: pydyf.PDF) -> None:
    """Every font program must be in the file (a print and archive promise)."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/FontDescriptor" and not any(
                key in obj for key in ("FontFile", "FontFile2", "FontFile3")):
            name = obj.get("FontName", b"?")
            raise OutputError(f"font {name!r} is not embedded")


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def finish_xmp(pdf: pydyf.PDF, doc_id: str, extra: dict[str, str | list[str]]) -> None:
    """Make the XMP packet reproducible and add what archivists look for."""
    stream = xmp_packet(pdf)
    packet = b"".join(line if isinstance(line, bytes) else str(line).encode()
                      for line in stream.stream)
    stable = str(uuid.UUID(doc_id))
    packet = _DOCUMENT_ID.sub(f"xmp.did:{stable}".encode(), packet)
    if extra:
        packet = packet.replace(b"</rdf:RDF>", _xmp_description(extra) + b"</rdf:RDF>", 1)
    stream.stream = [xml_safe(packet.decode("utf-8", "replace")).encode("utf-8")]


def _xmp_description(extra: dict[str, str | list[str]]) -> bytes:
    parts = ['<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">']
    if extra.get("language"):
        parts.append(f"<dc:language><rdf:Bag><rdf:li>{escape(str(extra['language']))}</rdf:li>"
                     "</rdf:Bag></dc:language>")
    if extra.get("source"):
        parts.append(f"<dc:source>{escape(str(extra['source']))}</dc:source>")
    if extra.get("date"):
        parts.append(f"<dc:date><rdf:Seq><rdf:li>{escape(str(extra['date']))}</rdf:li>"
                     "</rdf:Seq></dc:date>")
    if extra.get("publisher"):
        parts.append(f"<dc:publisher><rdf:Bag><rdf:li>{escape(str(extra['publisher']))}</rdf:li>"
                     "</rdf:Bag></dc:publisher>")
    if extra.get("keywords"):
        items = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in extra["keywords"])
        parts.append(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
    parts.append("</rdf:Description>")
    return "".join(parts).encode("utf-8")


def iso(moment: dt.datetime) -> str:
    """W3C date-time, as WeasyPrint's metadata wants it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
