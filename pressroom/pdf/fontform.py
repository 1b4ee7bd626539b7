"""Embedded TrueType programs → one form, whichever subsetter made them (HarfBuzz's or fontTools').

WeasyPrint subsets each font with HarfBuzz's subsetter (the system package libharfbuzz-subset0)
where it is installed and with fontTools where it is not. The two keep the same glyphs, advances
and cmap, but not the same summary tables: fontTools recomputes the bounding box in 'head', the
extents in 'hhea' and the maxima in 'maxp' for the glyphs kept, prunes the code page ranges of
'OS/2' and the empty mark glyph sets of 'GDEF', and writes 'name' in an order of its own, where
HarfBuzz keeps the whole font's values — so the same article built on two machines differed. Each
program is rewritten by fontTools the same way whatever it came from: the summaries recomputed
from the glyphs as stored (no outline, advance or side bearing changes, so nothing is drawn
elsewhere), the ranges pruned as fontTools' subsetter prunes them, the OpenType layout tables,
which no PDF reader uses (the glyphs are shaped already), left out, and head.modified set to
head.created (fontdates.py). A program fontTools cannot read is left as it was.

The glyph ids differ too where a composite glyph the document draws has components after the
last glyph it draws: HarfBuzz numbers them right after that glyph, fontTools keeps their ids (with
empty glyphs between), and the text layer's glyph copies, added after the last id, got other ids
with them. same_glyph_ids numbers them as HarfBuzz does, before the text layer.
"""

from __future__ import annotations

import io
import itertools
import logging
import struct
from dataclasses import dataclass

import pydyf
from fontTools.ttLib import TTFont, TTLibError

from pressroom.layout.weasy import resolve
from pressroom.pdf.fontdates import without_clock

LOGGER = logging.getLogger("pressroom")
#: What shaping reads and a PDF reader does not: each subsetter prunes them its own way.
LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS", "BASE", "JSTF", "MATH", "morx", "mort", "kerx", "feat")


def canonical(program: bytes) -> bytes:
    """The TrueType program in the one form described above; ``program`` itself when it is no
    TrueType program fontTools can read (a CFF one: fontdates.py still takes its clock out).
    The outlines and metrics are copied as they are (re-encoding them took 0.5 s a build)."""
    try:
        font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)
        if not {"glyf", "loca", "head", "hhea", "hmtx", "maxp"} <= set(font.reader.keys()):
            return program
        for tag in LAYOUT_TABLES:
            if tag in font:
                del font[tag]
        for tag in sorted(font.reader.keys()):
            if tag not in ("glyf", "loca", "hmtx") and tag in font:
                font[tag]  # read, so that fontTools writes it its own way
        head = font["head"]
        head.modified = head.created
        if "OS/2" in font:
            font["OS/2"].recalcUnicodeRanges(font, pruneOnly=True)
            if font["OS/2"].version >= 1:  # the code page ranges came with version 1
                font["OS/2"].recalcCodePageRanges(font, pruneOnly=True)
        _summarise(font, _glyphs(font))
        out = io.BytesIO()
        font.save(out)
    except (TTLibError, AssertionError, KeyError, ValueError, struct.error, RecursionError) as exc:
        LOGGER.info("font program left as it was: %s", exc)
        return program
    return out.getvalue()


@dataclass(frozen=True)
class _Glyph:
    """What the summaries need of one glyph, read from its header: its contours (negative: a
    composite), bounding box, points (a simple glyph's) and components (a composite's)."""

    contours: int
    box: tuple[int, int, int, int]
    points: int = 0
    components: tuple[int, ...] = ()


_MORE, _WORDS, _SCALE, _XY_SCALE, _TWO_BY_TWO = 0x20, 0x01, 0x08, 0x40, 0x80


def _glyphs(font: TTFont) -> list[_Glyph | None]:
    """Each glyph id's header (None: an empty glyph), from 'glyf' and 'loca' as stored."""
    count, glyf, loca = font["maxp"].numGlyphs, font.reader["glyf"], font.reader["loca"]
    if font["head"].indexToLocFormat == 0:
        offsets = [2 * v for v in struct.unpack(f">{count + 1}H", loca[:2 * (count + 1)])]
    else:
        offsets = list(struct.unpack(f">{count + 1}L", loca[:4 * (count + 1)]))
    glyphs: list[_Glyph | None] = []
    for start, end in itertools.pairwise(offsets):
        data = glyf[start:end]
        if len(data) < 10 or not struct.unpack(">h", data[:2])[0]:
            glyphs.append(None)
            continue
        contours, *box = struct.unpack(">5h", data[:10])
        if contours > 0:
            (last,) = struct.unpack(">H", data[8 + 2 * contours:10 + 2 * contours])
            glyphs.append(_Glyph(contours, tuple(box), points=last + 1))
            continue
        components, at, flags = [], 10, _MORE
        while flags & _MORE:
            flags, index = struct.unpack(">HH", data[at:at + 4])
            components.append(index)
            at += 4 + (4 if flags & _WORDS else 2)
            at += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        glyphs.append(_Glyph(contours, tuple(box), components=tuple(components)))
    return glyphs


def _metrics(font: TTFont, count: int) -> list[tuple[int, int]]:
    """Each glyph id's (advance, left side bearing), from 'hmtx' as stored."""
    data, long = font.reader["hmtx"], font["hhea"].numberOfHMetrics
    pairs = [(advance, lsb) for advance, lsb in struct.iter_unpack(">Hh", data[:4 * long])]
    rest = struct.unpack(f">{count - long}h", data[4 * long:4 * long + 2 * (count - long)])
    return pairs + [(pairs[-1][0], lsb) for lsb in rest]


def _summarise(font: TTFont, glyphs: list[_Glyph | None]) -> None:
    """The bounding box and flag bit 1 of 'head', the extents of 'hhea' and the maxima of 'maxp'
    recomputed from the glyphs as stored, as fontTools' maxp.recalc and hhea.recalc do."""
    head, hhea, maxp = font["head"], font["hhea"], font["maxp"]
    metrics = _metrics(font, len(glyphs))

    def composite(index: int, depth: int) -> tuple[int, int, int]:
        points = contours = 0
        deepest = depth
        for component in glyphs[index].components:
            base = glyphs[component] if component < len(glyphs) else None
            if base is None:
                continue
            if base.contours > 0:
                points, contours = points + base.points, contours + base.contours
            elif depth < 16:  # a deeper or circular composite is no font fontTools writes
                more_points, more_contours, nested = composite(component, depth + 1)
                points, contours = points + more_points, contours + more_contours
                deepest = max(deepest, nested)
        return points, contours, deepest

    boxes = [(index, glyph) for index, glyph in enumerate(glyphs) if glyph is not None]
    sides = [(metrics[index], glyph.box) for index, glyph in boxes]
    head.xMin, head.yMin = (min(g.box[k] for _, g in boxes) if boxes else 0 for k in (0, 1))
    head.xMax, head.yMax = (max(g.box[k] for _, g in boxes) if boxes else 0 for k in (2, 3))
    if all(lsb == box[0] for (_, lsb), box in sides):
        head.flags |= 0x2
    else:
        head.flags &= ~0x2
    hhea.advanceWidthMax = max((advance for advance, _ in metrics), default=0)
    hhea.minLeftSideBearing = min((lsb for (_, lsb), _ in sides), default=0)
    hhea.minRightSideBearing = min((advance - lsb - (box[2] - box[0]) for (advance, lsb), box in sides),
                                   default=0)
    hhea.xMaxExtent = max((lsb + box[2] - box[0] for (_, lsb), box in sides), default=0)
    simple = [glyph for _, glyph in boxes if glyph.contours > 0]
    composites = [(index, glyph) for index, glyph in boxes if glyph.contours < 0]
    maxp.maxPoints = max((g.points for g in simple), default=0)
    maxp.maxContours = max((g.contours for g in simple), default=0)
    values = [composite(index, 1) for index, _ in composites]
    maxp.maxCompositePoints = max((v[0] for v in values), default=0)
    maxp.maxCompositeContours = max((v[1] for v in values), default=0)
    maxp.maxComponentElements = max((len(g.components) for _, g in composites), default=0)
    maxp.maxComponentDepth = max((v[2] for v in values), default=0)


def compact_glyph_ids(program: bytes, used: int) -> bytes:
    """The program with the glyphs after glyph id ``used`` (the last one the document draws) that
    its composites draw as components numbered right after it, in their order, and no other glyph
    after it: HarfBuzz's subsetter numbers them so, where fontTools' keeps their ids and fills the
    ids between with empty glyphs. ``program`` itself when the two agree already (or fontTools
    cannot read it). Only ids no content stream uses change, so nothing else in the PDF does."""
    try:
        font = TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False)
        if not {"glyf", "loca", "head", "hhea", "hmtx", "maxp"} <= set(font.reader.keys()):
            return program
        glyphs = _glyphs(font)
        drawn = [index for index in range(min(used + 1, len(glyphs)))]
        kept: set[int] = set()
        pending = [index for index in drawn if glyphs[index] is not None]
        while pending:
            glyph = glyphs[pending.pop()]
            for component in glyph.components if glyph is not None else ():
                if used < component < len(glyphs) and component not in kept:
                    kept.add(component)
                    pending.append(component)
        tail = sorted(kept)
        if len(glyphs) == len(drawn) + len(tail) and tail == list(range(len(drawn), len(glyphs))):
            return program
        order = font.getGlyphOrder()
        glyf = font["glyf"]
        for index, glyph in enumerate(glyphs):
            if glyph is not None and glyph.contours < 0:
                glyf[order[index]]  # read: its components are written by name, so by new id
        new_order = [order[index] for index in drawn] + [order[index] for index in tail]
        for name in set(order) - set(new_order):
            del glyf.glyphs[name]
            for tag in ("hmtx", "vmtx"):
                if tag in font:
                    del font[tag].metrics[name]
        for tag in (*LAYOUT_TABLES, "hdmx", "LTSH", "VDMX"):  # tables by glyph id
            if tag in font:
                del font[tag]
        font.setGlyphOrder(new_order)
        glyf.glyphOrder = new_order
        out = io.BytesIO()
        font.save(out)
    except (TTLibError, AssertionError, KeyError, ValueError, struct.error) as exc:
        LOGGER.info("font program left as it was: %s", exc)
        return program
    return out.getvalue()


def same_glyph_ids(pdf: pydyf.PDF) -> None:
    """Every Type0 font's TrueType program with its glyph ids as HarfBuzz's subsetter gives them
    (compact_glyph_ids): before the text layer adds glyphs after the last id (glyphfold.py)."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        cidfont = resolve(pdf, resolve(pdf, obj["DescendantFonts"])[0])
        descriptor = resolve(pdf, cidfont["FontDescriptor"])
        if "FontFile2" not in descriptor or "W" not in cidfont or cidfont.get("CIDToGIDMap") != "/Identity":
            continue
        codes = _flat(cidfont["W"])
        if not codes:
            continue
        stream = resolve(pdf, descriptor["FontFile2"])
        data = b"".join(stream.stream)
        fixed = compact_glyph_ids(data, max(codes))
        if fixed is not data:
            stream.stream = [fixed]
            if "Length1" in stream.extra:
                stream.extra["Length1"] = len(fixed)


def _flat(w_array) -> list[int]:
    """The CIDs a /W array gives widths for (both of its forms)."""
    items, cids, i = list(w_array), [], 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], (list, pydyf.Array)):
            cids += range(first, first + len(items[i + 1]))
            i += 2
        else:
            cids += range(first, int(items[i + 1]) + 1)
            i += 3
    return cids


def one_form(pdf: pydyf.PDF) -> None:
    """Every embedded TrueType program of ``pdf`` in its canonical form (its Length1 with it)."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/FontDescriptor":
            continue
        if "FontFile2" not in obj:
            continue
        stream = resolve(pdf, obj["FontFile2"])
        data = b"".join(stream.stream)
        fixed = canonical(data)
        if fixed is data:
            fixed = without_clock(data)
        if fixed is not data:
            stream.stream = [fixed]
            if "Length1" in stream.extra:
                stream.extra["Length1"] = len(fixed)
