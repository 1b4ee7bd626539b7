"""WeasyPrint's PDF objects → a repaired text layer (ToUnicode from the fonts' own tables)."""

from __future__ import annotations

import unicodedata

import pydyf
from weasyprint import Document
from weasyprint.text.fonts import get_hb_object_data

from .glyphtext import glyph_texts

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


def repaired_mapping(font_data: bytes, index: int, weasyprint_map: dict[int, str]) -> dict[int, str]:
    """WeasyPrint's glyph → text map, corrected from the font wherever the font can tell.

    Brackets are the exception: in right-to-left text the font draws "(" with the glyph of ")".
    WeasyPrint maps that glyph to the character it was first drawn for — "(" in an Arabic
    article — which pypdf, poppler and pdf.js read right, and pdfium (which mirrors by itself)
    reads mirrored; the font's own ")" would please pdfium alone (measured). So the
    first-drawn character is kept for mirrored pairs.
    """
    derived = glyph_texts(font_data, index)
    mapping = {}
    for glyph, text in weasyprint_map.items():
        better = derived.get(glyph, text)
        if len(text) == len(better) == 1 and unicodedata.mirrored(text) and unicodedata.mirrored(better):
            better = text
        mapping[glyph] = better
    return mapping


def repair_text_layer(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: rewrite every Type0 font's ToUnicode map from its font file."""
    fonts = {font.name: font for font in document.fonts.values()}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        font = fonts.get(obj.get("BaseFont"))
        reference = obj.get("ToUnicode")
        if font is None or font.bitmap or reference is None:
            continue
        stream = pdf.objects[int(reference.split()[0])]
        original = get_hb_object_data(font.hb_face)
        stream.stream = to_unicode_cmap(repaired_mapping(original, font.index, font.to_unicode))
