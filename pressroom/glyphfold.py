"""WeasyPrint's TJ arrays → the same glyphs at the same places, spaced so that readers which rebuild
words from glyph positions (pdf.js, poppler) see each word whole and each gap as one space.

WeasyPrint draws a line as one TJ array: glyph ids, with a number wherever HarfBuzz or the
justification moved the next glyph away from the font's advance. pdf.js (measured with
pdfjs-dist 4.10) reads those moves as text structure:

* a move left of more than 0.2 em ends its text item; Amiri tucks the tail of ر and و under the
  next letter by 0.3 em, so "للمشاركة" came out as "للمشار" and "كة" at the two ends of the line;
* a gap over 0.1 em between letters is a space: "حرية" came out as "حر ية";
* a word gap over 0.6 em, or under 0.1 em (Amiri's initial kaf reaches back over the space), cuts
  the line into one item per word, which it lists left to right: the words of a loose
  right-to-left line came out in reverse order;
* a space, then a mark (drawn before its letter in right-to-left text), then a gap reads as two
  spaces: "جنديا ً".

Each such move is folded into the advance of the inked glyph before it: that glyph is drawn with
a copy of itself whose advance is its own plus the move, and the number goes (or, for a word gap,
shrinks to what reads as one space). A copy is a one-component composite glyph added to the
embedded font program, with its advance in hmtx and the same value in /W, so the two stay
consistent (PDF/A requires it), and its ToUnicode text is its original's. Every glyph is drawn
exactly where it was (page images are compared in the tests); only what a reader can infer
between glyphs changes. pypdf and pdfium read the same text as before (measured).
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass, field

import pydyf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

#: Kerning (thousandths of an em) worth folding: pdf.js splits words at jumps left of 200 and
#: spaces them at gaps over 102; pypdf adds a space at numbers as wide as half a space.
FOLD_LEFT = 100
FOLD_RIGHT = -50
#: A gap between words wider than this (0.6 em) makes pdf.js cut the line into one text item per
#: word, which it then lists left to right; such gaps are narrowed to ONE_SPACE as it measures them.
WIDE_GAP = 560
ONE_SPACE = 420
#: A space, then a mark (drawn before its letter in right-to-left text), then a gap of more than
#: 0.1 em reads as two spaces in pdf.js ("جنديا ً"): such gaps are narrowed to MARK_GAP.
MARK_GAP = 45
#: A space whose gap the font kerns away (Amiri's initial kaf reaches over it) makes pdf.js end
#: the text item there too: gaps under NARROW_GAP are widened to NARROW_TARGET as it measures them.
NARROW_GAP = 130
NARROW_TARGET = 220

MAX_GLYPH_ID = 0xFFFF  # two-byte codes (Identity-H) and TrueType glyph ids

_TJ = re.compile(rb"^\[(.*)\] TJ$", re.S)
_TF = re.compile(rb"^/(\S+) \S+ Tf$")
_ELEMENT = re.compile(rb"<([0-9a-fA-F]*)>|(-?(?:\d+\.?\d*|\.\d+)(?:[eE]-?\d+)?)")


@dataclass
class FontFold:
    """One embedded font: its widths, its glyphs' texts and the copies made of its glyphs."""

    widths: dict[int, float]
    blank: set[int]  # spaces: justification lives around them
    first_free: int  # the first glyph id after the font's own
    units_per_em: int = 1000
    copies: dict[tuple[int, int], int] = field(default_factory=dict)  # (glyph, advance) → copy

    def copy_of(self, glyph: int, advance: float) -> tuple[int, float] | None:
        """A copy of ``glyph`` advancing by about ``advance`` (thousandths of an em): its glyph
        id and its exact advance, which is whole font units; None when glyph ids run out."""
        units = round(advance * self.units_per_em / 1000)
        key = (glyph, units)
        if key not in self.copies:
            if self.first_free + len(self.copies) > MAX_GLYPH_ID or units < 1:
                return None
            self.copies[key] = self.first_free + len(self.copies)
        return self.copies[key], self.width_of(units)

    def inked(self, glyph: int) -> bool:
        """A glyph that draws and advances: neither a space nor a zero-width mark."""
        return glyph not in self.blank and self.widths.get(glyph, 0) > 0

    def width_of(self, units: int) -> float:
        return units * 1000 / self.units_per_em

    def bases(self) -> dict[int, int]:
        """Copy glyph id → the glyph it copies."""
        return {copy: glyph for (glyph, _), copy in self.copies.items()}


def parse_tj(array: bytes) -> list[tuple[str, float]]:
    """A TJ array's inside → [("g", glyph id) | ("n", number)], two-byte glyph ids."""
    items: list[tuple[str, float]] = []
    for match in _ELEMENT.finditer(array):
        if match.group(1) is not None:
            hexes = match.group(1)
            items += [("g", int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4)]
        else:
            items.append(("n", Number(match.group(2))))
    return items


class Number(float):
    """A TJ number that remembers how it was written, to be written back byte for byte."""

    raw: bytes

    def __new__(cls, raw: bytes | float) -> Number:
        number = super().__new__(cls, float(raw))
        number.raw = raw if isinstance(raw, bytes) else repr(float(raw)).encode()
        return number


def unparse_tj(items: list[tuple[str, float]]) -> bytes:
    """The inverse of parse_tj, runs of glyphs joined in one hex string."""
    out, glyphs = [], []
    for kind, value in items:
        if kind == "g":
            glyphs.append(f"{int(value):04x}")
            continue
        if glyphs:
            out.append(b"<" + "".join(glyphs).encode() + b">")
            glyphs = []
        out.append(value.raw if isinstance(value, Number) else Number(value).raw)
    if glyphs:
        out.append(b"<" + "".join(glyphs).encode() + b">")
    return b"[" + b" ".join(out) + b"] TJ"


def _next_glyph(items: list[tuple[str, float]], start: int) -> int:
    """Index of the first glyph or array border at or after ``start`` (len(items) when none)."""
    while start < len(items) and items[start][0] == "n":
        start += 1
    return start


def fold_items(items: list[tuple[str, float]], font: FontFold) -> list[tuple[str, float]]:
    """Fold kerning between two inked glyphs into the first one's advance, and the part of a
    justified word gap beyond what readers take for one space."""
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(items):
        kind, value = items[i]
        out.append((kind, value))
        i += 1
        if kind != "g" or not font.inked(int(value)):
            continue
        glyph, width = int(value), font.widths[int(value)]
        after = _next_glyph(items, i)  # WeasyPrint writes a number (often 0) after every glyph
        if after == len(items) or items[after][0] != "g":
            continue
        kern = sum(number for _, number in items[i:after])
        following = int(items[after][1])
        if font.inked(following):
            copied = font.copy_of(glyph, width - kern) if kern >= FOLD_LEFT or kern <= FOLD_RIGHT else None
            if copied is not None:
                copy, advance = copied
                out[-1] = ("g", copy)
                rest = advance - (width - kern)  # what rounding left over, as kerning
                if abs(rest) > 0.001:
                    out.append(("n", rest))
                i = after
            continue
        if following not in font.blank:
            continue
        # a word gap: what pdf.js measures runs from this glyph's end to the next inked glyph
        word, gap, mark = after + 1, font.widths.get(following, 0) - kern, False
        while word < len(items) and not (items[word][0] == "g" and font.inked(int(items[word][1]))):
            between, amount = items[word]
            if between == "g" and int(amount) in font.blank:
                break
            mark |= between == "g"
            if between == "n":
                gap -= amount
            elif between == "g":
                gap += font.widths.get(int(amount), 0)
            word += 1
        if word == len(items) or items[word][0] != "g" or not font.inked(int(items[word][1])):
            continue
        # after a space and a mark pdf.js adds a second space for any gap over 0.1 em
        if mark:
            target = MARK_GAP if gap > 2 * MARK_GAP else None
        else:
            target = ONE_SPACE if gap > WIDE_GAP else NARROW_TARGET if gap < NARROW_GAP else None
        copied = font.copy_of(glyph, width + gap - target) if target is not None else None
        if copied is not None:
            # widen the glyph over the extra gap and take it back before the space, which stays put
            copy, advance = copied
            out[-1] = ("g", copy)
            out.append(("n", kern + advance - width))
            i = after
    return out


def _resolve(pdf: pydyf.PDF, value):
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _widths(w_array) -> dict[int, float]:
    """A CIDFont /W array (both forms) → glyph id → width."""
    widths: dict[int, float] = {}
    items = list(w_array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], (list, pydyf.Array)):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for glyph in range(first, int(items[i + 1]) + 1):
                widths[glyph] = float(items[i + 2])
            i += 3
    return widths


@dataclass
class EmbeddedFont:
    """A Type0 font's PDF objects, and how to fold its kerning."""

    type0: pydyf.Dictionary
    cidfont: pydyf.Dictionary
    program: pydyf.Stream
    fold: FontFold


def embedded_fonts(pdf: pydyf.PDF, to_unicode: dict[bytes, dict[int, str]]) -> dict[bytes, EmbeddedFont]:
    """Resource name (WeasyPrint uses the font's hash) → its TrueType Type0 font, ready to fold.

    ``to_unicode`` gives, per BaseFont, each glyph's text (to know the spaces)."""
    fonts: dict[bytes, EmbeddedFont] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        cidfont = _resolve(pdf, _resolve(pdf, obj["DescendantFonts"])[0])
        descriptor = _resolve(pdf, cidfont["FontDescriptor"])
        if cidfont.get("Subtype") != "/CIDFontType2" or "FontFile2" not in descriptor:
            continue
        if cidfont.get("CIDToGIDMap") != "/Identity" or "CIDSet" in descriptor:
            continue
        program = _resolve(pdf, descriptor["FontFile2"])
        base_font = obj["BaseFont"]
        texts = to_unicode.get(base_font, {})
        widths = _widths(cidfont["W"])
        name = base_font.lstrip(b"/" if isinstance(base_font, bytes) else "/")
        name = name.decode() if isinstance(name, bytes) else name
        count, units_per_em = _font_size(program)
        fold = FontFold(widths=widths,
                        blank={g for g, text in texts.items() if text.isspace() or not text},
                        first_free=count, units_per_em=units_per_em)
        fonts[name.split("+")[0].encode()] = EmbeddedFont(obj, cidfont, program, fold)
    return fonts


def _font_size(program: pydyf.Stream) -> tuple[int, int]:
    """(glyph count, units per em) of an embedded TrueType program."""
    font = TTFont(io.BytesIO(b"".join(program.stream)), lazy=True)
    return font["maxp"].numGlyphs, font["head"].unitsPerEm


def fold_streams(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont], fold: bool = True) -> None:
    """Rewrite every TJ of every content stream, folding kerning into glyph copies.

    A line is folded as a whole even where WeasyPrint splits it into several TJ arrays around a
    raised mark (``Ts``). Every TJ is written back without WeasyPrint's empty strings (``<>``,
    before each word gap): pdfium misplaces whatever a line draws after such an array (a raised
    mark, the rest of the word: "متراً" by 0.5 pt, measured), poppler and the PDF specification do
    not. ``fold=False`` does only that, for comparisons."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or not isinstance(obj.stream, list):
            continue
        current: EmbeddedFont | None = None
        line: list[int] = []  # indices of the TJ arrays of one line, only Ts between them
        for index, item in enumerate([*obj.stream, b""]):
            if isinstance(item, bytes) and item.endswith(b"] TJ") and current is not None:
                line.append(index)
                continue
            if isinstance(item, bytes) and item.endswith(b" Ts"):
                continue
            if line:
                _fold_line(obj.stream, line, current.fold if fold else None)
                line = []
            if isinstance(item, bytes) and item.endswith(b" Tf"):
                match = _TF.match(item)
                current = fonts.get(match.group(1)) if match else None


def _fold_line(stream: list, indices: list[int], fold: FontFold | None) -> None:
    """Fold one line's TJ arrays (``stream[i]`` for i in ``indices``) in place."""
    items: list[tuple[str, float]] = []
    for index in indices:
        match = _TJ.match(stream[index])
        if match is None:
            return
        if items:
            items.append(("b", 0))  # the border between two arrays
        items += parse_tj(match.group(1))
    if fold is not None:
        items = fold_items(items, fold)
    arrays: list[list[tuple[str, float]]] = [[]]
    for item in items:
        if item[0] == "b":
            arrays.append([])
        else:
            arrays[-1].append(item)
    for index, array in zip(indices, arrays, strict=True):
        stream[index] = unparse_tj(array)


def _header(glyph: Glyph) -> tuple[int, tuple[int, int, int, int]]:
    """(number of contours, bounds) of a glyph, read from its raw data when it was not expanded."""
    raw = getattr(glyph, "data", None)
    if raw is not None:
        return (struct.unpack(">h", raw[:2])[0], struct.unpack(">4h", raw[2:10])) if raw else (0, (0,) * 4)
    if not glyph.numberOfContours:
        return 0, (0, 0, 0, 0)
    return glyph.numberOfContours, (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)


def _depth(glyf, name: str) -> int:
    """How deep a glyph's components nest (0 for a simple glyph)."""
    glyph = glyf[name]
    if not glyph.isComposite():
        return 0
    return 1 + max(_depth(glyf, component.glyphName) for component in glyph.components)


def add_copies(font: EmbeddedFont) -> None:
    """Put the folded glyph copies into the font program, /W and nothing else.

    The program is rebuilt without recomputing what the copies cannot change (bounding boxes of
    existing glyphs): a copy has its original's bounds, and maxp and hhea are raised by hand."""
    if not font.fold.copies:
        return
    data = b"".join(font.program.stream)
    tt = TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)  # same input, same bytes
    order = tt.getGlyphOrder()
    glyf, hmtx, maxp, hhea = tt["glyf"], tt["hmtx"], tt["maxp"], tt["hhea"]
    names = []
    for (glyph, units), copy in sorted(font.fold.copies.items(), key=lambda kv: kv[1]):
        base = order[glyph]
        name = f"{base}.fold{copy}"
        composite = Glyph()  # an empty glyph stays empty
        contours, bounds = _header(glyf.glyphs[base])
        if contours:
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = base, 0, 0, 0
            composite.numberOfContours = -1
            composite.components = [component]
            composite.xMin, composite.yMin, composite.xMax, composite.yMax = bounds
            maxp.maxComponentElements = max(maxp.maxComponentElements, 1)
            depth = 1 + (_depth(glyf, base) if contours < 0 else 0)
            maxp.maxComponentDepth = max(maxp.maxComponentDepth, depth)
        names.append(name)
        glyf.glyphs[name] = composite
        hmtx.metrics[name] = (units, hmtx.metrics[base][1])
        hhea.advanceWidthMax = max(hhea.advanceWidthMax, units)
    tt.setGlyphOrder(order + names)
    glyf.glyphOrder = order + names
    out = io.BytesIO()
    tt.save(out)
    program = out.getvalue()
    font.program.stream = [program]
    if "Length1" in font.program.extra:
        font.program.extra["Length1"] = len(program)
    widths = font.cidfont["W"]
    for (_, units), copy in sorted(font.fold.copies.items(), key=lambda kv: kv[1]):
        width = font.fold.width_of(units)
        widths.extend([copy, pydyf.Array([int(width) if width.is_integer() else round(width, 3)])])
