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

Two repairs ride along. Every TJ array drawn with a Type0 font is written back without
WeasyPrint's empty strings, after which pdfium misplaced the rest of a line. And where a
character is in no font, WeasyPrint gives the font its own encoding, which pypdf cannot read (3%
of an article's words, measured); such a font gets stand-ins for the missing glyphs (.notdef,
drawn as before) and goes back to Identity-H. A font that cannot take copies (CFF or variable
outlines, a CIDSet, an encoding of another shape, or a program fontTools cannot rebuild) is left
as WeasyPrint wrote it.
"""

from __future__ import annotations

import bisect
import io
import itertools
import logging
import math
import re
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pydyf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from pressroom.layout.bidi import reads_left_to_right
from pressroom.layout.weasy import (
    content_streams,
    font_resource_name,
    is_text_rise,
    page_streams,
    resolve,
    text_matrix_position,
    tf_resource,
    tj_operand,
)
from pressroom.pdf.glyphtext import TATWEEL

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
#: Strong right-to-left, zero-width, and skipped by pdf.js and by searches: drawn (as an empty
#: glyph) where a number or a Latin run of an Arabic line meets the words after it.
RTL_MARK = "\u200f"
#: How far left of a run that mark is drawn (thousandths of an em): poppler orders what it finds
#: at one place by accident, and a hair's breadth puts the mark first.
MARK_OFFSET = 10
#: Left-to-right for pypdf (neither in its neutral nor in its right-to-left ranges), invisible,
#: skipped by pdf.js: before a run of Arabic-Indic digits, which pypdf reads as neutral, so it
#: reversed them with the Arabic around them ("٢٠١٩" → "٩١٠٢") and scrambled the words after.
LTR_MARK = "\u180e"
#: Strong right-to-left for pypdf too (it reads U+200F as neutral), zero-width, skipped by pdf.js.
ARABIC_MARK = "\u061c"
#: The text of the empty glyph drawn beside the space at each end of an Arabic run that meets
#: another run of its line (see mark_runs): an Arabic letter mark (so no reader takes it for a
#: letter or a word of its own, and searches skip it) and a space. pdf.js keeps a space only
#: between two glyphs of one text item; a glyph whose text starts with a space is a space to it.
EDGE_TEXT = "\u061c "
#: The edge glyph's text at the right end of an Arabic run of a left-to-right document, where a
#: Latin run comes after it in the line (right of it): poppler reads such a page's lines left to
#: right and each right-to-left section of a line backwards, so the space at the section's right
#: end came first and the Latin word after it was glued to the Arabic one ("المقبلNetflix"); a
#: left-to-right mark before the space ends the section there.
LTR_PAGE_EDGE_TEXT = "\u061c\u200e "
#: The text of the edge glyph a number run draws at its left before a footnote call (_edge_at_left):
#: a right-to-left mark, which ends the number's run for poppler there (with EDGE_TEXT, it took
#: the space into the run: "30 %" for "30%[^1]"), and a space.
CALL_EDGE_TEXT = "\u200f "
#: The last glyph id a TrueType font can have (numGlyphs is 16 bits), and the last two-byte code.
MAX_GLYPH_ID = 0xFFFE
#: Tables that fontTools would copy unchanged although they hold one entry per glyph, and that
#: a renderer can do without (hinting device metrics).
_STALE_TABLES = ("hdmx", "LTSH")
#: Fonts whose glyphs cannot simply be copied (variations, CFF outlines).
_UNFOLDABLE_TABLES = ("gvar", "HVAR", "VVAR", "CFF ", "CFF2")

LOGGER = logging.getLogger("pressroom")
_ELEMENT = re.compile(rb"<([0-9a-fA-F]*)>|(-?(?:\d+\.?\d*|\.\d+)(?:[eE]-?\d+)?)")
_CIDCHAR = re.compile(rb"<([0-9a-fA-F]{4})> (\d+)")


#: A glyph drawn with others in one composite: (its code, its x offset in font units), and for
#: a kashida stretched to a join's length (kashida.py), its horizontal scale (under 2), and for
#: a raised mark (see _raised), its scale (1.0) and y offset in font units.
Part = tuple[int, int] | tuple[int, int, float] | tuple[int, int, float, int]


@dataclass(frozen=True)
class Imported:
    """A glyph of the whole font that the subset lacks, added for copies to draw (kashida.py)."""

    glyph: Glyph  # simple, without instructions
    units: int  # its advance
    lsb: int


@dataclass
class FontFold:
    """One embedded font as the content streams use it (two-byte codes, each its glyph id), and
    the glyphs to add to it: stand-ins for WeasyPrint's missing glyphs, then the copies."""

    widths: dict[int, float]  # code → advance, from /W
    blank: set[int]  # spaces: justification lives around them
    glyph_count: int  # the font program's own glyphs
    units_per_em: int = 1000
    #: codes WeasyPrint gave characters no font has (after the whole font's glyphs, so usually past
    #: the subset's last glyph id: the ids between get empty glyphs)
    missing: list[int] = field(default_factory=list)
    #: glyphs that draw only elongation (kashida, tatweel): merged into the letter they extend
    kashidas: set[int] = field(default_factory=set)
    texts: dict[int, str] = field(default_factory=dict, repr=False)  # code → its ToUnicode text
    #: (parts, units) → the copy's code; the first part is the glyph the copy reads as
    copies: dict[tuple[tuple[Part, ...], int], int] = field(default_factory=dict)
    #: (text, units) → the code of an empty glyph that reads as the text (see mark_runs)
    empties: dict[tuple[str, int], int] = field(default_factory=dict)
    #: (code, text) → a copy of the glyph of code, same ink and advance, that reads as text
    labelled: dict[tuple[int, str], int] = field(default_factory=dict)
    #: a key naming a glyph of the whole font → (its code here, the glyph): see ``imported``
    imports: dict[object, tuple[int, Imported]] = field(default_factory=dict)
    _parts: dict[int, tuple[Part, ...]] = field(default_factory=dict, repr=False)
    _advances: dict[int, int] = field(default_factory=dict, repr=False)  # copy → its /W
    #: copies of marks drawn where the kerning around them put them (see _marks_in_place): still
    #: marks, not inked letters
    placed: set[int] = field(default_factory=set, repr=False)
    #: bases() and copy_texts() as last computed, with the sizes they were computed at (copies,
    #: empty glyphs and labelled copies are only ever added, or all forgotten at once)
    _memo: dict[str, tuple[tuple[int, int, int], dict[int, int] | dict[int, str]]] = field(
        default_factory=dict, repr=False)

    def _remembered(self, name: str, compute: Callable[[], dict]) -> dict:
        state = (len(self.copies), len(self.empties), len(self.labelled))
        if name not in self._memo or self._memo[name][0] != state:
            self._memo[name] = (state, compute())
        return self._memo[name][1]

    @property
    def first_copy(self) -> int:
        return self.missing[-1] + 1 if self.missing else self.glyph_count

    def _next_code(self) -> int | None:
        code = self.first_copy + len(self.copies) + len(self.empties) + len(self.labelled) \
            + len(self.imports)
        return code if code <= MAX_GLYPH_ID else None

    def parts_of(self, code: int) -> tuple[Part, ...]:
        """What a code draws: itself, or a copy's glyphs."""
        return self._parts.get(code, ((code, 0),))

    def copy_of(self, code: int, advance: float) -> tuple[int, int] | None:
        """A copy of the glyph of ``code`` (itself maybe a copy) advancing by about ``advance``
        (thousandths of an em): its code and the advance written in /W (a whole number: pdfium
        reads /W as integers); None when the advance would be nothing or the glyph ids run out."""
        return self._copy(self.parts_of(code), advance)

    def merged(self, parts: list[Part], advance: float) -> tuple[int, int] | None:
        """A copy drawing several glyphs at once, read as the first: like ``copy_of``."""
        return self._copy(tuple(parts), advance)

    def _copy(self, parts: tuple[Part, ...], advance: float) -> tuple[int, int] | None:
        units = round(advance * self.units_per_em / 1000)
        key = (parts, units)
        if key not in self.copies:
            code = self._next_code()
            if not 1 <= units <= 0xFFFF or code is None:
                return None
            self.copies[key] = code
            self._parts[code], self._advances[code] = parts, self.width_of(units)
        return self.copies[key], self.width_of(units)

    def mark(self, code: int) -> bool:
        """A glyph of the font that draws over another and advances by nothing (a harakah)."""
        return code < self.glyph_count and code not in self.blank and code not in self.kashidas \
            and self.widths.get(code, 0) == 0

    def placed_mark(self, code: int, dx: int, advance: float, dy: int = 0) -> tuple[int, int] | None:
        """A copy of a mark drawn ``dx`` font units from the pen (and ``dy`` up) and advancing by
        ``advance`` (at least the least /W can say): like ``copy_of``."""
        part: Part = (code, dx, 1.0, dy) if dy else (code, dx)
        copied = self._copy((part,), max(advance, self.width_of(1)))
        if copied is not None:
            self.placed.add(copied[0])
        return copied

    def moved_mark(self, code: int, dx: int) -> tuple[int, int] | None:
        """A copy of a mark (or of a placed one) with its outline ``dx`` font units further right,
        advancing as it does (at least the least /W can say): like ``copy_of``."""
        parts = tuple((part[0], part[1] + dx, *part[2:]) for part in self.parts_of(code))
        copied = self._copy(parts, max(self.width(code), self.width_of(1)))  # type: ignore[arg-type]
        if copied is not None:
            self.placed.add(copied[0])
        return copied

    def imported(self, key: object, glyph: Imported) -> int | None:
        """The code of ``glyph`` (from the whole font, named by ``key``) added to the program
        for copies to draw as a part, never drawn by itself; None when the glyph ids run out."""
        if key not in self.imports:
            code = self._next_code()
            if code is None:
                return None
            self.imports[key] = (code, glyph)
            self._advances[code] = self.width_of(glyph.units)
        return self.imports[key][0]

    def empty(self, text: str, advance: bool = False, units: int | None = None) -> int | None:
        """The code of an empty glyph that reads as ``text`` and advances by nothing, or (with
        ``advance``) by the least /W can say, or by ``units`` font units; None when the glyph ids
        run out."""
        key = (text, units if units is not None else
               max(1, round(self.units_per_em / 1000)) if advance else 0)
        if key not in self.empties:
            code = self._next_code()
            if code is None:
                return None
            self.empties[key] = code
            self._parts[code], self._advances[code] = (), self.width_of(key[1])
        return self.empties[key]

    def has_empty(self, text: str, advance: bool = False) -> int | None:
        """The code of the empty glyph ``empty(text, advance)`` gives, None when there is none
        yet (none is made)."""
        return self.empties.get((text, max(1, round(self.units_per_em / 1000)) if advance else 0))

    def labelled_copy(self, code: int, text: str, mark: bool = False) -> int | None:
        """A copy of the glyph of ``code``, drawn and advancing the same, that reads as ``text``;
        None when its advance is no whole number of font units or the glyph ids run out.
        ``mark``: the glyph may be a mark, which draws without advancing."""
        key = (code, text)
        drawn = self.inked(code) or (mark and code not in self.blank and bool(self.parts_of(code))
                                     and code not in self.empties.values())
        if not drawn:  # a missing glyph (no outline to copy), a space or (unless asked) a mark
            return None
        if key not in self.labelled:
            width = self.width(code)
            units = self.units(width)
            new = self._next_code()
            if units is None or new is None or self.width_of(units) != width:
                return None
            self.labelled[key] = new
            self._parts[new], self._advances[new] = self.parts_of(code), width
        return self.labelled[key]

    def glyphs(self) -> list[tuple[int, tuple[Part, ...], int]]:
        """(code, parts, units) of every glyph to add after the missing ones, by code."""
        added = [(code, parts, units) for (parts, units), code in self.copies.items()]
        added += [(code, (), units) for (_, units), code in self.empties.items()]
        added += [(new, self._parts[new], self.units(self._advances[new]) or 0)
                  for new in self.labelled.values()]
        return sorted(added)

    def copy_texts(self) -> dict[int, str]:
        """Code → text of the empty glyphs and the labelled copies (the other copies read as what
        they copy: ``bases``). Not to be changed: it is kept until a glyph is added."""
        return self._remembered("texts", self._copy_texts)

    def _copy_texts(self) -> dict[int, str]:
        texts = {code: text for (text, _), code in self.empties.items()}
        texts.update({code: text for (_, text), code in self.labelled.items()})
        return texts

    def inked(self, code: int) -> bool:
        """A glyph that draws and advances: not a space, a mark or a missing glyph."""
        if code in self._parts:
            return bool(self._parts[code]) and code not in self.placed
        return code < self.glyph_count and code not in self.blank and self.widths.get(code, 0) > 0

    def width(self, code: int) -> float:
        """The advance of a code, copies included (thousandths of an em)."""
        return self._advances.get(code, self.widths.get(code, 0))

    def units(self, thousandths: float) -> int | None:
        """Thousandths of an em as whole font units, None when they are not whole."""
        value = thousandths * self.units_per_em / 1000
        return round(value) if abs(value - round(value)) < 1e-6 else None

    def width_of(self, units: int) -> int:
        return round(units * 1000 / self.units_per_em)

    def bases(self) -> dict[int, int]:
        """Copy's code → the code of the glyph it reads as. Not to be changed: it is kept until a
        glyph is added (it was built again for each glyph looked up, a sixth of the finishing)."""
        return self._remembered("bases", self._bases)

    def _bases(self) -> dict[int, int]:
        bases = {copy: parts[0][0] for (parts, _), copy in self.copies.items() if parts}
        bases.update({new: self._parts[new][0][0] for new in self.labelled.values() if self._parts[new]})
        return bases

    def forget_copies(self) -> None:
        self._memo.clear()
        self.copies.clear()
        self.empties.clear()
        self.labelled.clear()
        self.imports.clear()
        self._parts.clear()
        self._advances.clear()
        self.placed.clear()

    def changes_program(self) -> bool:
        return bool(self.copies or self.empties or self.labelled or self.imports or self.missing)


def parse_tj(array: bytes) -> list[tuple[str, float]]:
    """A TJ array's inside → [("g", code) | ("n", number)], two-byte codes, empty strings dropped."""
    items: list[tuple[str, float]] = []
    for match in _ELEMENT.finditer(array):
        if match.group(1) is not None:
            hexes = match.group(1)
            items += [("g", int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4)]
        else:
            items.append(("n", Number(match.group(2))))
    return items


def bidi_classes(items: list[tuple[str, float]], fold: FontFold) -> list[str]:
    """The bidi class of each character the glyphs of ``items`` (a parsed TJ array) read as in
    the font's ToUnicode, in the order drawn: a copy reads as its original, an empty glyph as
    nothing."""
    bases = fold.bases()
    return [unicodedata.bidirectional(char) for kind, value in items if kind == "g"
            for char in fold.texts.get(bases.get(int(value), int(value)), "")]


def _format(value: float) -> bytes:
    """A PDF real (never an exponent)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


class Number(float):
    """A TJ number that remembers how it was written, to be written back byte for byte."""

    raw: bytes

    def __new__(cls, raw: bytes | float) -> Number:
        number = super().__new__(cls, float(raw))
        number.raw = raw if isinstance(raw, bytes) else _format(float(raw))
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
        out.append(value.raw if isinstance(value, Number) else _format(value))
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
    items = _clusters_together(_marks_in_place(merge_kashidas(items, font), font), font)
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(items):
        kind, value = items[i]
        out.append((kind, value))
        i += 1
        if kind != "g" or not font.inked(int(value)):
            continue
        glyph, width = int(value), font.width(int(value))
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
                if rest:
                    out.append(("n", rest))
                i = after
            continue
        if following not in font.blank:
            continue
        # a word gap: what pdf.js measures runs from this glyph's end to the next inked glyph
        word, gap, mark = after + 1, font.width(following) - kern, False
        while word < len(items) and not (items[word][0] == "g" and font.inked(int(items[word][1]))):
            between, amount = items[word]
            if between == "g" and int(amount) in font.blank:
                break
            mark |= between == "g"
            if between == "n":
                gap -= amount
            elif between == "g":
                gap += font.width(int(amount))
            word += 1
        if word == len(items) or not font.inked(int(items[word][1])):
            continue  # the line ends, or a second space comes first
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


def _marks_in_place(items: list[tuple[str, float]], font: FontFold) -> list[tuple[str, float]]:
    """Each mark that kerning moves onto its letter and back ([214 ً -214 ا]) drawn as a copy
    of itself already in place, so no number follows it.

    pdfium reads a move to the right of half a space after a glyph as a word gap: the tanween of
    "جندياً" came out as "جنديا ً", and poppler, which saw the mark left of its letter, glued it
    to the next word ("ًكازاخ"). See _placed."""
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(items):
        kind, value = items[i]
        if kind == "g" and font.mark(int(value)):
            placed = _placed(out, items, i, font)
            if placed is not None:
                i = placed
                continue
        out.append((kind, value))
        i += 1
    return out


def _clusters_together(items: list[tuple[str, float]], font: FontFold) -> list[tuple[str, float]]:
    """Two or more marks on one letter ("كرسيٍّ", "الرِّق") drawn with no move between them: each
    mark that kerning moved away from the next one is a copy with its outline where it was, and
    the whole font units of the moves go before the first mark (what rounding leaves stays).

    poppler took a move left between two marks for the end of a word: "كرس ٍ" and "يّ" came out
    apart, on lines of their own, and the word after was glued on ("خشبيٍّصغير")."""
    unit = 1000 / font.units_per_em

    def is_mark(item: tuple[str, float]) -> bool:
        return item[0] == "g" and (font.mark(int(item[1])) or int(item[1]) in font.placed)

    out: list[tuple[str, float]] = []
    i = 0
    while i < len(items):
        if not is_mark(items[i]):
            out.append(items[i])
            i += 1
            continue
        last = i
        while (k := _next_glyph(items, last + 1)) < len(items) and is_mark(items[k]):
            last = k
        cluster = items[i:last + 1]
        wholes = [round(v / unit) * unit if kind == "n" else 0.0 for kind, v in cluster]
        if not any(wholes):
            out += cluster
            i = last + 1
            continue
        moved: list[tuple[str, float]] = []
        for index, (kind, value) in enumerate(cluster):
            if kind == "n":
                if value - wholes[index]:
                    moved.append(("n", value - wholes[index]))
                continue
            shift = round(sum(wholes[index + 1:]) / unit)
            copied = font.moved_mark(int(value), shift) if shift else None
            if shift and copied is None:
                moved = []
                break
            if copied is None:
                moved.append((kind, value))
                continue
            moved.append(("g", copied[0]))
            if copied[1] != font.width(int(value)):
                moved.append(("n", copied[1] - font.width(int(value))))
        if not moved:
            out += cluster
        else:
            whole = sum(wholes)
            if out and out[-1][0] == "n":
                out[-1] = ("n", out[-1][1] + whole)
            else:
                out.append(("n", whole))
            out += moved
        i = last + 1
    return out


def _placed(out: list[tuple[str, float]], items: list[tuple[str, float]], i: int, font: FontFold,
            dy: int = 0) -> int | None:
    """Put the mark ``items[i]`` (after ``out``, which may end with the number before it) into
    ``out`` as a copy that ends where the glyph after it starts (the letter it sits on, in
    right-to-left text), its outline drawn where the numbers put the mark (and ``dy`` font units
    up); the index of that glyph, or None when the mark ends its array, nothing moves it, or no
    copy can be made.

    The copy advances by the least /W can say; its outline is offset by whole font units, and
    what rounding leaves (under half a unit) stays a number after it, which no reader takes for
    a gap. Every glyph stays where it was."""
    numbered = bool(out) and out[-1][0] == "n"
    before = out[-1][1] if numbered else 0.0
    j, after = i + 1, 0.0
    while j < len(items) and items[j][0] == "n":
        after += items[j][1]
        j += 1
    if j == len(items) or items[j][0] != "g":
        return None  # the last glyph of its array (or line)
    if not (before or after or dy):
        return None
    unit = 1000 / font.units_per_em
    dx = round((after + unit) / unit)  # from the copy's origin, one unit before the next glyph
    copied = font.placed_mark(int(items[i][1]), dx, unit, dy)
    if copied is None:
        return None
    code, width = copied
    out[len(out) - numbered:] = [("n", before + dx * unit)] if before + dx * unit else []
    out.append(("g", code))
    rest = after + width - dx * unit
    if abs(rest) > 1e-9:
        out.append(("n", rest))
    return j


def merge_kashidas(items: list[tuple[str, float]], font: FontFold) -> list[tuple[str, float]]:
    """Draw each kashida inside a word together with the letter it extends, as one glyph that
    reads as that letter.

    Amiri lengthens joins by inserting kashida glyphs (in لكن, الخبرة); every reader then finds a
    tatweel in the word ("لـكن") and a search for the word fails. No ToUnicode entry of the
    kashida itself works in every reader (an empty one breaks the word in pdfium), so the glyph
    disappears into a composite: the letter after it in the array (the one before it in reading
    order, whose join it lengthens) at its offset, then the kashida. A kashida at the edge of a
    word (a tatweel typed before a space, "لـ 572") stays as it is: it reads as a tatweel, as in
    the source. Only offsets that are whole font units are merged, so nothing moves."""
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(items):
        kind, value = items[i]
        previous = next((item for item in reversed(out) if item[0] != "n"), None)
        if kind != "g" or int(value) not in font.kashidas or previous is None \
                or previous[0] != "g" or int(previous[1]) in font.blank:
            out.append((kind, value))
            i += 1
            continue
        parts, pen, j, whole = [], 0.0, i, True
        while j < len(items) and items[j][0] == "g" and int(items[j][1]) in font.kashidas:
            offset = font.units(pen)
            whole &= offset is not None
            parts.append((int(items[j][1]), offset or 0))
            pen += font.width(int(items[j][1]))
            j += 1
            while j < len(items) and items[j][0] == "n":
                pen -= items[j][1]
                j += 1
        letter = int(items[j][1]) if j < len(items) and items[j][0] == "g" else None
        offset = font.units(pen)
        advance = pen + font.width(letter) if letter is not None else 0.0
        merged = None
        if whole and offset is not None and letter is not None and font.inked(letter) \
                and letter not in font.kashidas:
            merged = font.merged([(letter, offset), *parts], advance)
        if merged is None:
            out.append((kind, value))
            i += 1
            continue
        code, width = merged
        out.append(("g", code))
        if width != advance:
            out.append(("n", width - advance))  # what rounding left over, as kerning
        i = j + 1
    return out


def _widths(w_array) -> dict[int, float]:
    """A CIDFont /W array (both forms) → CID → width."""
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
    """A Type0 font's PDF objects, and how to fold its kerning (None: its TJ arrays are only
    tidied)."""

    type0: pydyf.Dictionary
    cidfont: pydyf.Dictionary
    program: pydyf.Stream | None
    fold: FontFold | None


def _missing_codes(encoding: pydyf.Stream, glyph_count: int) -> list[int] | None:
    """The codes WeasyPrint's own encoding sends to .notdef (its glyphs missing from the font),
    or None when that encoding is not "every glyph itself, then a run of missing ones after the
    font's"."""
    missing = []
    for code, cid in _CIDCHAR.findall(b"\n".join(encoding.stream)):
        code, cid = int(code, 16), int(cid)
        if code < glyph_count and cid == code:
            continue
        if code < glyph_count or cid != 0:
            return None
        missing.append(code)
    missing.sort()
    return missing if not missing or missing == list(range(missing[0], missing[0] + len(missing))) \
        else None


def _foldable(obj: pydyf.Dictionary, pdf: pydyf.PDF, texts: dict[int, str]) -> EmbeddedFont:
    cidfont = resolve(pdf, resolve(pdf, obj["DescendantFonts"])[0])
    descriptor = resolve(pdf, cidfont["FontDescriptor"])
    plain = EmbeddedFont(obj, cidfont, None, None)
    encoding = resolve(pdf, obj.get("Encoding"))
    if (cidfont.get("Subtype") != "/CIDFontType2" or "FontFile2" not in descriptor
            or cidfont.get("CIDToGIDMap") != "/Identity" or "CIDSet" in descriptor
            or not (encoding == "/Identity-H" or isinstance(encoding, pydyf.Stream))):
        return plain
    program = resolve(pdf, descriptor["FontFile2"])
    try:
        font = TTFont(io.BytesIO(b"".join(program.stream)), lazy=True)
        if "glyf" not in font or any(tag in font for tag in _UNFOLDABLE_TABLES):
            return plain
        glyph_count, units_per_em = font["maxp"].numGlyphs, font["head"].unitsPerEm
    except Exception:
        return plain  # fontTools raises many kinds; such a font is left alone
    missing = _missing_codes(encoding, glyph_count) if isinstance(encoding, pydyf.Stream) else []
    if missing is None:
        return plain
    widths = _widths(cidfont["W"])
    for code in missing:  # drawn as CID 0 until now, so with its advance
        widths[code] = widths.get(0, widths.get(code, 0))
    fold = FontFold(widths=widths, glyph_count=glyph_count,
                    blank={g for g, text in texts.items() if text.isspace()},
                    units_per_em=units_per_em, missing=missing,
                    kashidas={g for g, text in texts.items() if text == TATWEEL}, texts=texts)
    return EmbeddedFont(obj, cidfont, program, fold)


def embedded_fonts(pdf: pydyf.PDF, to_unicode: dict[bytes, dict[int, str]]) -> dict[bytes, EmbeddedFont]:
    """Resource name (WeasyPrint uses the font's hash) → its Type0 font, ready to fold if it can be.

    ``to_unicode`` gives, per BaseFont, each glyph's text (to know the spaces)."""
    fonts: dict[bytes, EmbeddedFont] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        base_font = obj["BaseFont"]
        fonts[font_resource_name(base_font)] = _foldable(obj, pdf, to_unicode.get(base_font, {}))
    return fonts


def fold_text(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont], fold: bool = True,
              rtl: bool = False,
              first: Callable[[pydyf.PDF, dict[bytes, EmbeddedFont]], None] | None = None) -> None:
    """Fold every content stream's TJ arrays and put the copies into their fonts; ``first``
    rewrites WeasyPrint's arrays before that (kashida.py), with copies of its own. The joiners
    tag_joiners marked are drawn as empty glyphs that read as them (_joiners_drawn).

    A font whose program fontTools cannot rebuild is left unfolded (the streams are folded
    again without it), so a build never fails here."""
    if fold:
        fallbacks_in_reading_order(pdf, fonts)
    saved = {id(obj): list(obj.stream) for obj in content_streams(pdf)}
    while True:
        if fold and first is not None:
            first(pdf, fonts)
        fold_streams(pdf, fonts, fold)
        if fold:
            mark_runs(pdf, fonts, rtl)
        programs, failed = {}, []
        for name, font in fonts.items():
            if font.fold is None or not font.fold.changes_program():
                continue
            try:
                programs[name] = program_with_copies(font)
            except Exception as exc:
                LOGGER.info("glyph copies left out of font %s: %s", name.decode(), exc)
                failed.append(name)
        if not failed:
            break
        for obj in pdf.objects:
            if id(obj) in saved:
                obj.stream = list(saved[id(obj)])
        for name, font in fonts.items():
            if font.fold is not None:
                font.fold.forget_copies()
            if name in failed:
                font.fold = None
    for name, program in programs.items():
        _commit_copies(fonts[name], program)


#: How a TJ number standing for a joiner's empty glyph is written once tag_joiners found it:
#: WeasyPrint writes every empty glyph (a default-ignorable character) as "0.0"; these are zero
#: too, so a stream that keeps one draws the same.
_JOINER_RAW = {"\u200c": b"0.00", "\u200d": b"0.000"}
#: How far (in ems of its line) an empty glyph may be from the place the box tree gives its
#: character: the pen measured along WeasyPrint's array drifts from Pango's (its numbers are
#: whole thousandths of an em, cut, not rounded: 0.08 px over an A5 line); joiners and empty
#: glyphs are paired in order along their line, one each (_pair_joiners).
_JOINER_NEAR = 0.3
#: (Thousandths of an em.) The width of the empty glyph of a joiner that ends its array, drawn
#: after a move back by as much, so that it ends where the pen was (_joiners_drawn).
JOINER_END_WIDTH = 150
#: How far apart (CSS px) two baselines may be and be one.
_SAME_BASELINE = 0.05


def tag_joiners(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont],
                joiners: dict[int, list[tuple[float, float, str]]]) -> None:
    """Before fold_text: mark the empty glyph of each zero-width non-joiner (U+200C) and
    joiner (U+200D) in WeasyPrint's arrays (``joiners``: page index → x, baseline, character,
    from ``weasy.joiners``), found where the box tree says it is drawn, before anything moves:
    Pango draws these characters with no glyph and WeasyPrint writes a number instead, so
    "می‌گوید" and "چای‌خانه‌های" read "میگوید", "چایخانههای" in every reader (the page drew
    them parted) and no search for the word found it."""
    streams = page_streams(pdf) if joiners else []
    for number, stream in enumerate(streams):
        wanted = joiners.get(number)
        if not wanted:
            continue
        empties: list[tuple[int, int, float, float, float]] = []  # (line, item, x, y, em) of each
        arrays: dict[int, list[tuple[str, float]]] = {}
        fold: FontFold | None = None
        matrix, size, pen, y = b"", 0.0, 0.0, 0.0
        for index, item in enumerate(stream.stream):
            resource = tf_resource(item)
            if resource is not None:
                embedded = fonts.get(resource)
                fold, size = (embedded.fold if embedded else None), float(item.split()[-2])
                continue
            moved = text_matrix_position(item)
            if moved is not None:
                matrix, (pen, y) = item, moved
                continue
            operand = tj_operand(item)
            if operand is None or fold is None:
                continue
            scale = _scale(matrix, size)
            arrays[index] = items = parse_tj(operand)
            for position, (kind, value) in enumerate(items):
                if kind == "n" and getattr(value, "raw", b"") == b"0.0":
                    empties.append((index, position, pen, y, 1000 * scale))
                pen += (-value if kind == "n" else fold.width(int(value))) * scale
        taken = _pair_joiners(wanted, empties)
        for w, e in taken.items():
            index, position = empties[e][:2]
            arrays[index][position] = ("n", Number(_JOINER_RAW[wanted[w][2]]))
        for index in {empties[e][0] for e in taken.values()}:
            stream.stream[index] = unparse_tj(arrays[index])


def _pair_joiners(wanted: list[tuple[float, float, str]],
                  empties: list[tuple[int, int, float, float, float]]) -> dict[int, int]:
    """Each joiner (x, baseline, character) paired with an empty glyph (line, item, x, y, em)
    of its baseline within _JOINER_NEAR em, in order along the line (both sorted by x), each
    used once: in O(n log n), so that a paragraph of stacked joiners costs what its letters do
    (comparing every joiner with every empty glyph took minutes and gigabytes)."""
    order = sorted(range(len(empties)), key=lambda e: empties[e][3])
    heights = [empties[e][3] for e in order]
    lines: dict[float, list[int]] = {}
    for w, (_, baseline, _) in enumerate(wanted):
        lines.setdefault(baseline, []).append(w)
    taken: dict[int, int] = {}
    used: set[int] = set()
    for baseline, ws in lines.items():
        low = bisect.bisect_right(heights, baseline - _SAME_BASELINE)
        high = bisect.bisect_left(heights, baseline + _SAME_BASELINE)
        near = sorted((e for e in order[low:high] if e not in used), key=lambda e: empties[e][2])
        j = 0
        for w in sorted(ws, key=lambda w: wanted[w][0]):
            x = wanted[w][0]
            while j < len(near) and empties[near[j]][2] <= x - _JOINER_NEAR * empties[near[j]][4]:
                j += 1
            if j < len(near) and abs(empties[near[j]][2] - x) < _JOINER_NEAR * empties[near[j]][4]:
                taken[w] = near[j]
                used.add(near[j])
                j += 1
    return taken


def _joiners_drawn(items: list[tuple[str, float]], font: FontFold) -> list[tuple[str, float]]:
    """Each joiner tag_joiners found drawn as an empty glyph that reads as the joiner alone,
    where it stands (zero advance): pdfium, poppler and pypdf read "می‌گوید" and "چای‌خانه".

    pdf.js skips every glyph whose text ends with a format character, so it still reads
    "میگوید" (a limit of pdf.js: check names it). A letter's copy reading as the joiner and the
    letter ("\u200cگ") would reach pdf.js, but no text of one glyph reads right in both pypdf,
    which keeps a glyph's text as written, and the others, which read it as drawn (right to
    left: "گ\u200c"); a second character after the joiner, an invisible mark, reached every
    reader and broke pdfium's own search.

    A joiner that ends its array (the array's right end, touching a Latin word or a number
    drawn as a text object of its own: "PDF‌ها", "2020‌ها") is an empty glyph JOINER_END_WIDTH
    wide, drawn after a move back by its width: pdfium adds a space between two text objects
    when the next starts further from the end of the last glyph before than a share of the
    wider of the two glyphs there (GenerateSpace), and with a joiner of no width before a
    run's mark of no width that share was nothing: it read "PDF ‌ها"."""
    joined = {raw: char for char, raw in _JOINER_RAW.items()}
    ending = [False] * len(items)  # no glyph after it in its array
    glyph_after = False
    for i in range(len(items) - 1, -1, -1):
        ending[i] = not glyph_after
        glyph_after = items[i][0] == "g" or (glyph_after and items[i][0] != "b")
    out: list[tuple[str, float]] = []
    for i, (kind, value) in enumerate(items):
        char = joined.get(getattr(value, "raw", b"")) if kind == "n" else None
        last = char is not None and ending[i]
        code = (font.empty(char, units=round(JOINER_END_WIDTH * font.units_per_em / 1000)) if last
                else font.empty(char)) if char is not None else None
        if last and code is not None:
            out.append(("n", font.width(code)))
        out.append(("g", code) if code is not None else (kind, value))
    return out


def fallbacks_in_reading_order(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont]) -> None:
    """Write the font runs of each right-to-left line drawn as one piece in reading order.

    Where a font lacks a character, WeasyPrint draws it with the next font of the family list, in
    the same text object: one Tm, then a Tf and a TJ array per font, left to right. Noto Kufi
    Arabic, the display face, has no ":" "." "(" "«" or "%", so a heading "الحكومة: الدعم قادم" was
    three arrays, "قادم الدعم" first. pypdf ends its run at each Tf and writes the runs in the
    order drawn ("الدعم قادم:الحكومة"); pdf.js lists them in that order too. Here the arrays of
    such a line, when they hold right-to-left letters and no left-to-right letter or digit
    (bidi.py gives those spans of their own), are written last first, each with its Tf and a Tm
    at the x where it was drawn: the same glyphs at the same places.

    A raised mark (a shadda, drawn under a text rise in an array of its own) is part of its
    font's run: "مطبخ جدّتي: وصفة" was cut at the shadda, "تي" went with ":" and "وصفة" and
    "جدّ" came after them, so pypdf, poppler and pdf.js read "تي: وصفة مطبخ جدّ" and no search
    found "جدّتي"."""
    for stream in content_streams(pdf):
        items = stream.stream
        out: list = []
        position = 0
        font_line: bytes | None = None
        rise = b"0 Ts"
        while position < len(items):
            item = items[position]
            if tf_resource(item) is not None:
                font_line = item
            if is_text_rise(item):
                rise = item
            moved = text_matrix_position(item)
            if moved is None:
                out.append(item)
                position += 1
                continue
            end = position + 1
            while end < len(items) and (tf_resource(items[end]) is not None
                                        or tj_operand(items[end]) is not None
                                        or is_text_rise(items[end])):
                end += 1
            while end > position + 1 and is_text_rise(items[end - 1]):
                end -= 1  # a rise after the run's last array is for what follows
            pieces = _font_runs(items[position + 1:end], font_line, fonts, rise)
            line = _last_first(item, moved[0], pieces, _placed_anew(items, end)) if pieces else None
            for run in items[position + 1:end]:
                if is_text_rise(run):
                    rise = run
            for run in items[position + 1:end]:
                if tf_resource(run) is not None:
                    font_line = run
            if line is not None and font_line is not None:
                # what follows is drawn in the font set last, which may come after the last
                # array (a Tf before a Ts: a title's words after its guillemet were drawn with
                # the fallback face's glyph ids, and vanished)
                line[-1] = font_line
            out += line if line is not None else items[position:end]
            position = end
        stream.stream = out


#: One font's arrays in a text object's run: (its Tf line, size, font, its lines: the TJ arrays and
#: the Ts lines between them, starting with the rise its first array is drawn with when the run
#: holds a rise).
Piece = tuple[bytes, float, "FontFold", list[bytes]]


def _font_runs(run: list, font_line: bytes | None, fonts: dict[bytes, EmbeddedFont],
               rise: bytes = b"0 Ts") -> list[Piece] | None:
    """The pieces of a text object's run of Tf, TJ and Ts lines, one per Tf: None unless
    there are two or more, in fonts that can be measured."""
    pieces: list[Piece] = []
    raised = any(is_text_rise(item) for item in run)
    for item in run:
        if tf_resource(item) is not None:
            font_line = item
            embedded = fonts.get(tf_resource(font_line))
            if embedded is None or embedded.fold is None:
                return None
            pieces.append((font_line, float(font_line.split()[-2]), embedded.fold,
                           [rise] if raised else []))
            continue
        if is_text_rise(item):
            rise = item
            if pieces:
                pieces[-1][3].append(item)
            continue
        if not pieces:  # arrays before the run's first Tf: in the font set before it
            embedded = fonts.get(tf_resource(font_line)) if font_line is not None else None
            if embedded is None or embedded.fold is None:
                return None
            pieces.append((font_line, float(font_line.split()[-2]), embedded.fold,
                           [rise] if raised else []))
        pieces[-1][3].append(item)
    pieces = [piece for piece in pieces if any(tj_operand(line) is not None for line in piece[3])]
    return pieces if len(pieces) > 1 else None


def _placed_anew(items: list, end: int) -> bool:
    """True when what comes after ``items[:end]`` sets a text matrix of its own (Tm) before it
    draws anything (TJ), or nothing is drawn after it in its text object."""
    for item in items[end:]:
        if text_matrix_position(item) is not None or item == b"ET":
            return True
        if tj_operand(item) is not None:
            return False
    return True


def _last_first(matrix: bytes, x: float, pieces: list[Piece], placed_anew: bool = False
                ) -> list[bytes] | None:
    """The lines drawing ``pieces`` (left to right from ``x`` under the Tm line ``matrix``) last
    first, or None when they are not one right-to-left run. Unless ``placed_anew`` (what follows
    sets its own Tm: ``_placed_anew``), they end with a Tm at the run's right end, where the pen
    was after them as WeasyPrint wrote them: a Tm that places nothing made pypdf read a space
    where the pen went there and back ("(م³)" in a Noto Kufi table heading, the "(" Amiri's and
    the "³" a span of its own, was read "(م ³)")."""
    kinds = {kind for _, _, fold, lines in pieces for line in lines if tj_operand(line) is not None
             for kind in bidi_classes(parse_tj(tj_operand(line)), fold)}
    if not kinds & {"R", "AL"} or kinds & {"L", "EN", "AN", "LRE", "LRO", "LRI"}:
        return None
    words = matrix.split()
    placed = []
    for font_line, size, fold, lines in pieces:
        scale = _scale(matrix, size)
        if not scale > 0:
            return None
        placed.append((font_line, b" ".join([*words[:4], _format(x), words[5], b"Tm"]), lines))
        x += sum(-v if k == "n" else fold.width(int(v)) for line in lines if tj_operand(line) is not None
                 for k, v in parse_tj(tj_operand(line))) * scale
    out = [line for font_line, tm, lines in reversed(placed) for line in (tm, font_line, *lines)]
    # what follows (an array after a Ts, with no Tm of its own) starts where the run ended, in
    # the font and under the rise it ended with
    end = [] if placed_anew else [b" ".join([*words[:4], _format(x), words[5], b"Tm"])]
    rises = [line for line in placed[-1][2] if is_text_rise(line)]
    return [*out, *end, *rises[-1:], placed[-1][0]]


def fold_streams(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont], fold: bool = True) -> None:
    """Rewrite every TJ of every content stream drawn with a Type0 font, folding kerning into
    glyph copies where the font allows it.

    A line is folded as a whole even where WeasyPrint splits it into several TJ arrays around a
    raised mark (``Ts``). Every such TJ is written back without WeasyPrint's empty strings
    (``<>``, before each word gap): pdfium misplaces whatever a line draws after such an array (a
    raised mark, the rest of the word: "متراً" by 0.5 pt, measured), poppler and the PDF
    specification do not. ``fold=False`` does only that, for comparisons."""
    for obj in content_streams(pdf):
        current: EmbeddedFont | None = None
        line: list[int] = []  # indices of the TJ arrays of one line, only Ts between them
        rise, size = 0.0, 0.0
        rises: dict[int, float] = {}  # TJ index → the text rise it is drawn with
        leading: list[int] = []  # the Ts lines just before a line's first array
        for index, item in enumerate([*obj.stream, b""]):
            if current is not None and tj_operand(item) is not None:
                line.append(index)
                rises[index] = rise
                continue
            if is_text_rise(item):
                rise = float(item.split()[0])
                if not line:
                    leading.append(index)
                continue
            if line:
                fold_of = current.fold if fold else None
                if fold_of is not None and size and any(rises[i] for i in line):
                    _raised(obj.stream, line, rises, fold_of, size, leading)
                _fold_line(obj.stream, line, fold_of)
                line = []
            leading = []
            resource = tf_resource(item)
            if resource is not None:
                current, size = fonts.get(resource), float(item.split()[-2])


#: How far apart (user space, points) the baselines of two arrays may be for them to be one line:
#: the cells of a table row whose numbers carry a letter mark of another font (bidi.py) sit a
#: tenth of a point higher than the words beside them, and pypdf ran a header row together
#: ("البند20192024التغير") when each cell was taken for a line of its own.
SAME_LINE = 0.25


def _same_line(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) <= SAME_LINE)


#: How far (in its own ems) the baseline of a smaller array without Arabic letters may be from its
#: line's: a footnote call (or another superscript or subscript) raised beside the words of its
#: line is part of the line (a call was taken for a line of its own, so the runs around it were
#: not marked: poppler read "عقدين ١.ويعزو", pdf.js "عقدين١. ويعزو"). Words in another size
#: beside a line (a contents entry's title beside its folio) stay lines of their own.
RAISED = 0.5


def _in_line(line_y: float | None, line_em: float, y: float | None, em: float, tj: bytes,
             fold: FontFold) -> bool:
    """True when the array ``tj`` at ``y`` in ``em`` belongs to the line at ``line_y`` in
    ``line_em``."""
    if _same_line(line_y, y):
        return True
    return (line_y is not None and y is not None and 0 < em < 0.95 * line_em
            and abs(y - line_y) <= RAISED * em and not _direction(tj, fold)[0])


#: How far apart (in ems) two arrays of a line may be and still be one run drawn in two faces.
TOUCHING = 0.02


def _goes_on(line: list, position: int, directions: list[tuple[int, int]],
             extents: dict[int, tuple[float, float, float]]) -> bool:
    """True when the array at ``position`` of ``line`` continues the run of the array before it
    in the line: that one has no right-to-left letters and ends where this one starts (a number
    drawn in two faces, its parts written left to right)."""
    if not position or directions[position - 1][0]:
        return False
    before, index = line[position - 1][0], line[position][0]
    if before not in extents or index not in extents:
        return False
    return abs(extents[index][0] - extents[before][1]) <= TOUCHING * extents[index][2]


def _after_sign(line: list, position: int, directions: list[tuple[int, int]],
                extents: dict[int, tuple[float, float, float]]) -> bool:
    """True when the array at ``position`` of ``line`` draws digits or letters and goes on from
    an array of neutral glyphs alone that starts its run (the run's first part, drawn left of
    it: a sign the display face lacks, read after the number, "%" of "50%")."""
    return (0 < position < len(line) and bool(directions[position][1])
            and not any(directions[position - 1])
            and _goes_on(line, position, directions, extents)
            and not _goes_on(line, position - 1, directions, extents))


def _before_number(line: list, position: int, directions: list[tuple[int, int]],
                   extents: dict[int, tuple[float, float, float]]) -> bool:
    """True when the array at ``position`` of ``line`` draws neutral glyphs alone and starts where
    a number or Latin run of the line ends, and no such run goes on from its right end (not the
    "," of "1,200"): a sign read before the number, drawn on its right ("+" of "+12%", written
    before or after the number)."""
    index = line[position][0]
    if any(directions[position]) or index not in extents:
        return False
    left, right, em = extents[index]

    def touching(a: float, b: float) -> bool:
        return abs(a - b) <= TOUCHING * em

    runs = [line[i][0] for i in range(len(line))
            if i != position and directions[i][1] and not directions[i][0] and line[i][0] in extents]
    return any(touching(extents[i][1], left) for i in runs) and not any(
        touching(extents[i][0], right) for i in runs)


#: The dashes of a range or a score (hyphen-minus, hyphen, figure, en and em dash, minus).
_DASH_GLYPHS = frozenset("-\u2010\u2012\u2013\u2014\u2212")


def _spaced_dash(line: list, position: int, directions: list[tuple[int, int]], fold: FontFold,
                 items: list[tuple[str, float]], stream: list) -> bool:
    """True when the array at ``position`` of ``line`` (``items``) draws a dash with spaces around
    it and nothing else, between two runs of digits alone: the dash of a range with spaces
    around it, "٢٠٢١ – ٢٠٢٣", "1990 – 1999" (bidi.py sets each number as a run of its own)."""
    if not 0 < position < len(line) - 1 or any(directions[position]):
        return False
    texts = [_text(fold, int(value)) for kind, value in items if kind == "g"]
    inked = [t for t in texts if t.strip()]
    if len(inked) != 1 or inked[0] not in _DASH_GLYPHS or not any(t.isspace() for t in texts):
        return False

    def digits_only(at: int) -> bool:
        index, other = line[at][0], line[at][1]
        drawn = [_text(other, int(value)) for kind, value in parse_tj(tj_operand(stream[index]))
                 if kind == "g"]
        return any(_is_digit(t) for t in drawn) and all(
            _is_digit(t) or not t.strip() or t in _JOINERS or unicodedata.category(t[:1]) == "Cf"
            for t in drawn)

    return digits_only(position - 1) and digits_only(position + 1)


def _rtl_mark_before_dash(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """``items`` (a spaced dash, _spaced_dash) with the empty glyph that reads as RTL_MARK drawn
    just left of the dash (MARK_OFFSET), the pen back there after it: left of the space before
    the dash, where the number drawn left of it ends, _split_for_pdfium takes it for that
    number's mark."""
    mark = fold.empty(RTL_MARK)
    at = next((i for i, (kind, value) in enumerate(items)
               if kind == "g" and _text(fold, int(value)) in _DASH_GLYPHS), None)
    if mark is None or at is None:
        return items
    return [*items[:at], ("n", MARK_OFFSET), ("g", mark), ("n", fold.width(mark) - MARK_OFFSET), *items[at:]]


def _rtl_mark_first(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """``items`` with the empty glyph that reads as RTL_MARK drawn first, just left of where the
    array starts (MARK_OFFSET), the pen back there after it."""
    mark = fold.empty(RTL_MARK)
    if mark is None:
        return items
    return [("n", MARK_OFFSET), ("g", mark), ("n", fold.width(mark) - MARK_OFFSET), *items]


def _arabic_digits_only(items: list[tuple[str, float]], fold: FontFold) -> bool:
    """True when a run's only numbers or letters are Arabic-Indic digits (٢٠١٩) or extended
    Arabic-Indic ones (۲۰۱۹), which pypdf reads as neutral."""
    bases = fold.bases()
    chars = {char for kind, value in items if kind == "g"
             for char in fold.texts.get(bases.get(int(value), int(value)), "")
             if unicodedata.bidirectional(char) in ("L", "EN", "AN", "R", "AL")}
    return any(unicodedata.bidirectional(char) == "AN" or char in _PERSIAN_DIGITS for char in chars) \
        and all(unicodedata.bidirectional(char) == "AN" or char in _PERSIAN_DIGITS for char in chars)


#: Extended Arabic-Indic digits (Persian, Urdu): European numbers to the bidi algorithm (EN, where
#: ٠–٩ are AN), and neutral to pypdf like ٠–٩, so a run of them needs the mark ٠–٩ need.
_PERSIAN_DIGITS = frozenset("\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9")


def _lettered(tj: bytes, fold: FontFold) -> bool:
    """True when a TJ array draws a left-to-right letter (not only digits and signs)."""
    return "L" in bidi_classes(parse_tj(tj), fold)


def _direction(tj: bytes, fold: FontFold) -> tuple[int, int]:
    """(right-to-left letters, left-to-right letters and digits) a TJ array draws."""
    classes = bidi_classes(parse_tj(tj), fold)
    return (sum(kind in ("R", "AL") for kind in classes),
            sum(kind in ("L", "EN", "AN") for kind in classes))


#: How many lines back (mark_runs) a table cell's first line looks for its row's cells before it:
#: the row's line, then the cell before's lines below its first (its words wrapped, two lines).
ROW_LINES = 3


def _number_run_alone(stream: list, lines: list, number: int) -> bool:
    """True when line ``number`` of ``lines`` (mark_runs) draws a number run alone, not in the
    order it is read ("12,500–15,000" drawn "15,000–12,500", "35%" drawn "%35": no letter, its
    reading order not the drawing's, _reading_order), and the lines written before and after it
    draw Arabic letters.

    Such is the first line of a table cell whose range wraps before its words ("12,500–15,000
    درهم شهرياً"): WeasyPrint writes a row cell by cell, each cell's lines in turn, so the range's
    line follows the cell before's last line, not its row's baseline, and was taken for a line
    of a left-to-right paragraph; its glyphs were written as drawn and every reader but poppler
    read "15,000–12,500". A number run in an Arabic paragraph is drawn right to left (bidi.py
    starts it with an Arabic letter mark) and is read so. (A line of numbers alone in an English
    paragraph of an Arabic article, drawn left to right, would have Latin lines around it and stay
    as it was: not measured.)"""
    line = lines[number][2]
    texts = []
    for index, fold, _ in line:
        bases = fold.bases()
        text = [fold.texts.get(bases.get(int(value), int(value)), "")
                for kind, value in parse_tj(tj_operand(stream[index])) if kind == "g"]
        if any(unicodedata.bidirectional(char) in ("L", "R", "AL") for t in text for char in t):
            return False
        texts.append(text)
    if not any(_reading_order(text) != list(range(len(text))) for text in texts):
        return False
    neighbours = [lines[n][2] for n in (number - 1, number + 1) if 0 <= n < len(lines)]
    return bool(neighbours) and all(
        any(_direction(tj_operand(stream[index]), fold)[0] for index, fold, _ in other)
        for other in neighbours)


def mark_runs(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont], rtl: bool = False) -> None:
    """Mark where the runs of a right-to-left line meet, for the readers that lose the space there.

    bidi.py gives every number and Latin run of an Arabic line a text object of its own, written
    in reading order, so each run starts left of the one before it. Two readers then glued a
    number to a word ("في عام2003", "40من"), and no search found either:

    * pdf.js ends its text item wherever the next glyph starts to the left, and keeps a space
      only between two glyphs of one item: the space at a run's end went. An empty glyph that
      reads as EDGE_TEXT (a letter mark and a space) is drawn inside that space, touching the
      run's letters, so the item carries the space itself.
    * poppler rebuilds the line from its glyphs, reads it from the right and takes everything
      that is not a right-to-left letter as one left-to-right run — the space on the far side of
      "40" included: "سيعمل  40من". An empty glyph that reads as RTL_MARK (strong right-to-left,
      skipped by pdf.js) just left of the run ends it there.

    pdfium and pypdf read the marks as bidi marks, which searches and fidelity.py ignore. Only
    the lines of right-to-left paragraphs are touched: lines whose runs are written leftwards, or
    with more right-to-left letters than left-to-right ones (a line of one run)."""
    for stream in content_streams(pdf):
        lines: list[tuple[float | None, float, list[tuple[int, FontFold, float | None]]]] = []
        origins: dict[int, _Origin] = {}  # each array's Tm line (its own or continued) and size
        baselines: dict[int, tuple[float | None, float]] = {}  # each array's baseline and em
        current: EmbeddedFont | None = None
        size, pen, font_line = 0.0, None, b""
        x = y = matrix = None
        for index, item in enumerate(stream.stream):
            resource = tf_resource(item)
            if resource is not None:
                current, size, font_line = fonts.get(resource), float(item.split()[-2]), item
                continue
            moved = text_matrix_position(item)
            if moved is not None:
                (x, y), matrix, pen = moved, item, moved[0]
                continue
            if current is None or current.fold is None or tj_operand(item) is None:
                continue
            if any(kind == "g" for kind, _ in parse_tj(tj_operand(item))):
                # an array that draws nothing (a bidi mark of another font: "[ 0 ] TJ") is no
                # neighbour: the cells on either side of it are
                em = 1000 * _scale(matrix, size) if matrix is not None else size
                if not lines or not _in_line(lines[-1][0], lines[-1][1], y, em, tj_operand(item),
                                             current.fold):
                    lines.append((y, em, []))
                lines[-1][2].append((index, current.fold, x))
                baselines[index] = (y, em)
            if matrix is not None and pen is not None:
                origins[index] = _Origin(matrix, size, pen, x is not None, font_line)
                advance = sum(-v if k == "n" else current.fold.width(int(v))
                              for k, v in parse_tj(tj_operand(item)))
                pen += advance * _scale(matrix, size)
            x = None  # a second array without a Tm continues where the first ended
        pieces: dict[int, list[bytes]] = {}
        signed: dict[int, tuple[FontFold, _Origin]] = {}  # number runs: their marks (_marks_apart)
        before_joiner: set[int] = set()  # number runs before a joiner (_ltr_mark_apart)
        joined: set[int] = set()  # number runs the array before touches (_sign_apart)
        #: a number and the Latin words after it, written in reading order: where its number's part
        #: starts (_number_first)
        reordered: dict[int, float] = {}
        #: the Latin part of such a run drawn in two faces: where its number's part starts, on the
        #: page (_latin_part_ends)
        latin_parts: dict[int, float] = {}
        for number, (_, _, line) in enumerate(lines):
            directions = [_direction(tj_operand(stream.stream[index]), fold) for index, fold, _ in line]
            # the arrays raised (or lowered) off the line's baseline, the largest type's: a call
            baseline = max((baselines[index] for index, _, _ in line), key=lambda b: b[1])[0]
            raised = [not _same_line(baseline, baselines[index][0]) for index, _, _ in line]
            starts = [x for _, _, x in line if x is not None]
            leftwards = len(starts) > 1 and all(a > b for a, b in itertools.pairwise(starts))
            # (a line without Arabic letters whose arrays are written leftwards is a row of
            # number cells in a right-to-left table: read right to left, cell by cell)
            # (nor is a line of a number run alone between Arabic lines, the first line of a
            # table cell: see _number_run_alone)
            alone = rtl and not leftwards and _number_run_alone(stream.stream, lines, number)
            # (a table cell's such first line: its row's cells before it, on its baseline, are
            # written just before the cell before's lines below it (two at most here); it is
            # parted from them as from a cell next to it, below. Without the mark and space,
            # poppler read "–12,50015,000". Not a line of another column on the same baseline,
            # written a column of lines before: poppler then read "1990–1993." as "–19901993")
            in_row = alone and any(_same_line(lines[n][0], lines[number][0])
                                   for n in range(max(0, number - ROW_LINES), number))
            if not (rtl and leftwards) and not alone \
                    and (not any(r for r, _ in directions) or not (
                    leftwards or sum(r for r, _ in directions) > sum(ltr for _, ltr in directions))):
                # a left-to-right line: its runs are written left to right; pdfium still reads it
                # right to left in a right-to-left document
                if rtl and not any(r for r, _ in directions) and all(i in origins for i, _, _ in line):
                    pieces.update(_split_for_pdfium(stream.stream, [(i, f, origins[i]) for i, f, _ in line]))
                continue
            group: list[tuple[int, FontFold, _Origin]] = []  # left-to-right arrays in a row
            extents = {index: _extent(stream.stream[index], fold, origins[index])
                       for index, fold, _ in line if index in origins}
            if len(line) == 1 and directions[0][0]:  # a line of one array, an agency's credit
                index, fold, _ = line[0]
                spaced = _letters_spaced(parse_tj(tj_operand(stream.stream[index])), fold)
                stream.stream[index] = unparse_tj(spaced)
            for position, ((index, fold, _), (rtl_letters, ltr)) in enumerate(
                    zip(line, directions, strict=True)):
                items = parse_tj(tj_operand(stream.stream[index]))
                if rtl_letters:
                    after = line[position + 1] if position < len(line) - 1 else None
                    call = after is not None and raised[position + 1] and not directions[position + 1][0]
                    items = _marks_after_neutrals(_edges(
                        _neutral_for_pypdf(_marks_after_neutrals(items, fold), fold),
                        fold, position > 0, after is not None,
                        call and _space_at_right(tj_operand(stream.stream[after[0]]), after[1]),
                        right_text=EDGE_TEXT if rtl else LTR_PAGE_EDGE_TEXT), fold)
                    if position < len(line) - 1:
                        items = _gaps_for_pypdf(items, fold)
                    if call and _arabic_digits_only(called := parse_tj(tj_operand(stream.stream[after[0]])),
                                                    after[1]) and sum(
                            kind == "g" and after[1].inked(int(value)) for kind, value in called) > 1:
                        # pypdf reads Arabic-Indic digits as neutral and reversed a call of two
                        # ("٠١"); the mark that starts its run, which the call cannot start with
                        mark = fold.empty(LTR_MARK)
                        items = [*items, ("g", mark)] if mark is not None else items
                elif ltr and raised[position]:
                    items = _mark_raised_run(items, fold)
                elif ltr:
                    # followed by words, or by punctuation alone (the full stop of "و2019." ending
                    # a paragraph: poppler and pdfium read it with the number, "و.2019")
                    # (not the part of a run drawn in two faces that goes on from the part left of
                    # it: "1,200" in Noto Kufi is "1", Amiri's "," and "200", and a mark left of
                    # "200" cut the number in two for poppler, which read "200 1,")
                    # (but the part that goes on from a sign the display face lacks, drawn left
                    # of it and read after it: "50%" in Noto Kufi is Amiri's "%" left of "50".
                    # The mark left of "50" parts them, so that poppler reads "50" and then the
                    # sign on its side, "50%", as it does when one face draws both)
                    number_first = _number_first(items, fold)
                    latin_end = None
                    if number_first is not None:
                        latin_end, reordered[index] = number_first
                    elif index in origins and (part := _latin_part_ends(items, fold)) is not None:
                        latin_parts[index] = origins[index].x + part * _scale(origins[index].matrix,
                                                                               origins[index].size)
                    items = _mark_ltr_run(items, fold, _after_sign(line, position, directions, extents) or (
                        not _goes_on(line, position, directions, extents) and (
                            any(r for r, _ in directions[position + 1:])
                            or (position < len(line) - 1 and not any(directions[position + 1])))),
                        latin_end=latin_end)
                    after = line[position + 1] if position < len(line) - 1 else None
                    if after is not None and raised[position + 1] and not raised[position] \
                            and not directions[position + 1][0] \
                            and _space_at_right(tj_operand(stream.stream[after[0]]), after[1]):
                        items = _edge_at_left(items, fold)
                    if index in origins:
                        signed[index] = (fold, origins[index])
                    previous = line[position - 1][0] if position else None
                    if previous in extents and index in extents and abs(
                            extents[previous][0] - extents[index][1]) < TOUCHING * extents[index][2]:
                        joined.add(index)  # a letter or a sign joined to it on its right: "ب٣٠٪"
                    if index in origins and position < len(line) - 1 and _ends_with_joiner(
                            stream.stream[line[position + 1][0]], line[position + 1][1]):
                        before_joiner.add(index)
                elif 0 < position < len(line) - 1 and _spaces_only(items, fold):
                    items = _space_read(items, fold)
                else:
                    items = _neutrals_right_to_left(items, fold)
                    if _after_sign(line, position + 1, directions, extents) and (
                            any(r for r, _ in directions[position + 2:])
                            or (position < len(line) - 2 and not any(directions[position + 2]))):
                        # the sign drawn left of the number it follows: the mark that ends the
                        # number's run for poppler, at the run's left, the sign's (without it
                        # poppler took the space left of the sign into the run and read the
                        # next word glued to it: "ما وراء 50% من" was "%50من")
                        items = _rtl_mark_first(items, fold)
                    elif _before_number(line, position, directions, extents):
                        # a sign drawn right of the number it comes before ("+" of "+12%"): the
                        # mark left of it parts it from the number (poppler read "و+12%" "و12+%")
                        items = _rtl_mark_first(items, fold)
                    elif _spaced_dash(line, position, directions, fold, items, stream.stream):
                        # the dash of a range with spaces around it ("٢٠٢١ – ٢٠٢٣"): poppler read
                        # it with the number drawn left of it, "٢٠٢١ ٢٠٢٣ –"; a mark just left of
                        # the dash parts the two
                        items = _rtl_mark_before_dash(items, fold)
                if not rtl and (rtl_letters or not ltr):
                    items = _drawn_mirrored(items, fold)
                if (rtl_letters or not ltr) and position and raised[position - 1] \
                        and directions[position - 1][1]:
                    # the mark a raised run cannot start with (_mark_raised_run), at its left, a
                    # hair left of it: where the run starts, poppler set it before the run or after
                    # by accident, and read the call glued to the word after it ("الوزير ١إن")
                    mark = fold.empty(RTL_MARK)
                    items = [*items, ("n", MARK_OFFSET), ("g", mark), ("n", -MARK_OFFSET)] \
                        if mark is not None else items
                before = line[position - 1][0] if position else None
                others = [e for i, e in extents.items() if i not in (before, index)]
                apart = (before in extents and index in extents and _apart(
                    extents[before], extents[index], others)) or (position == 0 and in_row)
                # a cell of a table row, or a list's marker, with nothing but a gap between it and
                # the array before: pypdf ran the two together, and two Arabic cells in the wrong
                # order. A mark it reads as left to right ends the run before, then a space. (No
                # glyph may read as a lone space: pdfium takes the font's space width from it.)
                if apart and not rtl_letters:
                    mark, separator = fold.empty(LTR_MARK), fold.empty(EDGE_TEXT)
                    if mark is not None and separator is not None:
                        # with the mark the run starts with, left of it (_mark_ltr_run): drawn
                        # before that move, poppler dropped the "1" of a cell's "10 سنوات"
                        lead = next((i for i, (kind, _) in enumerate(items) if kind != "n"), 0)
                        items = [*items[:lead], ("g", mark), ("g", separator), *items[lead:]]
                elif apart:
                    mark, separator = fold.empty(LTR_MARK), fold.empty(EDGE_TEXT)
                    if mark is not None and separator is not None:
                        after_arabic = bool(directions[position - 1][0])
                        # after the edge glyph a mark drawn first in the array has before it
                        # (_marks_after_neutrals: a move back, then the edge, at most after one
                        # move of its own): before it, poppler set a cell's last word's tanween
                        # apart, "فجر ᠎اً"
                        edge = fold.has_empty(EDGE_TEXT, advance=True)
                        lead = next((i + 1 for i, (kind, value) in enumerate(items[:3])
                                     if kind == "g" and int(value) == edge), 0)
                        items = [*items[:lead], *([("g", mark)] if after_arabic else []), *items[lead:],
                                 ("g", separator)]
                stream.stream[index] = unparse_tj(items)
                if group and apart:
                    pieces.update(_split_for_pdfium(stream.stream, group, reordered, latin_parts))
                    group = []
                order = [i for i, _, _ in line]
                if group and raised[order.index(group[0][0])] != raised[position]:
                    # a footnote call right after a number ("بلغ 1,500[^1] متر"): split for pdfium
                    # as one run with the number, the call went to the line's start and the line
                    # broke after the number; each is a run of its own, as after a word
                    while group and not directions[order.index(group[-1][0])][1]:
                        group.pop()
                    pieces.update(_split_for_pdfium(stream.stream, group, reordered, latin_parts))
                    group = []
                if not rtl_letters and index in origins and (
                        ltr or group or (_after_sign(line, position + 1, directions, extents)
                                         and not _lettered(stream.stream[line[position + 1][0]],
                                                           line[position + 1][1]))):
                    # (a sign the display face lacks, drawn left of the number it follows and
                    # written before it, "%" of "3.1%": a piece of the number's run, which
                    # _split_for_pdfium writes in reading order, or pypdf and pdf.js read "%3.1")
                    group.append((index, fold, origins[index]))
                if group and (rtl_letters or index not in origins or position == len(line) - 1):
                    while group and not directions[[i for i, _, _ in line].index(group[-1][0])][1]:
                        group.pop()  # neutral arrays after the run stay with the Arabic
                    pieces.update(_split_for_pdfium(stream.stream, group, reordered, latin_parts))
                    group = []
        for index, (fold, origin) in signed.items():
            if index not in pieces:  # a run not split for pdfium (those draw their marks apart)
                mark = None
                if index in before_joiner:
                    items, mark = _without_ltr_mark(parse_tj(tj_operand(stream.stream[index])), fold)
                    stream.stream[index] = unparse_tj(items)
                pieces[index] = _marks_apart(stream.stream, index, fold, origin) \
                    or (_sign_apart(stream.stream, index, fold, origin)
                        if mark is None and index in joined else None) \
                    or [stream.stream[index]]
                if mark is not None:
                    pieces[index] = _ltr_mark_apart(stream.stream[index], mark, fold, origin) + pieces[index]
                    pieces.update(_without_own_tm(stream.stream, index))
        for index in sorted(pieces, reverse=True):
            stream.stream[index:index + 1] = pieces[index]


#: What pypdf (7.1) reads as neither left-to-right nor right-to-left (it keeps such characters in
#: the run they are in); any other character outside its right-to-left ranges starts a
#: left-to-right run, « » [ ] among them. A glyph whose text is two characters or more is neutral.
_PYPDF_NEUTRAL = (("\x00", "\x2f"), ("\x3a", "\x40"), ("\u0660", "\u066d"), ("\u06f0", "\u06f9"),
                  ("\u2000", "\u206f"), ("\u20a0", "\u21ff"))
_PYPDF_RTL = (("\u0590", "\u08ff"), ("\ufb1d", "\ufdff"), ("\ufe70", "\ufeff"))
#: The bidi classes of the characters that are neutral to the bidi algorithm (and so take the
#: direction of the Arabic around them in pdfium, pdf.js and poppler).
_NEUTRAL_CLASSES = ("ON", "ES", "ET", "CS", "WS", "BN")


def _pypdf_ltr(text: str) -> bool:
    """True when pypdf reads ``text`` (one glyph's) as a left-to-right letter."""
    return len(text) == 1 and not any(a <= text <= b for a, b in _PYPDF_NEUTRAL + _PYPDF_RTL)


def _neutral_for_pypdf(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A right-to-left run's array with each punctuation glyph that pypdf takes for a
    left-to-right letter (« » [ ] ‹ ›, neutral to the bidi algorithm) drawn by a copy that reads
    as an Arabic letter mark and the same character.

    pypdf reverses each right-to-left run of a line as a whole, and writes the runs in the order
    drawn (left to right): a guillemet cut an Arabic line into pieces written in the wrong order
    ("قال «المتحدث» إن" lost "قال"). A glyph whose text is two characters is neutral to pypdf,
    so the line stays one run; the mark is one searches and fidelity.py skip, and it is strong
    right-to-left, as the Arabic around the glyph is for the other readers. The mark comes first:
    pdf.js skips a glyph whose text ends with a format character (U+061C is one), and lost every
    guillemet when it came last; poppler then reads "قال: «لن" with the guillemet before the
    colon ("قال« :لن"), which no search minds."""
    bases = fold.bases()
    out = []
    for kind, value in items:
        if kind == "g":
            text = fold.texts.get(bases.get(int(value), int(value)), "")
            if text and _pypdf_ltr(text) and unicodedata.bidirectional(text) in _NEUTRAL_CLASSES \
                    and not text.isspace():
                copy = fold.labelled_copy(int(value), ARABIC_MARK + text)
                if copy is not None:
                    value = copy
        out.append((kind, value))
    return out


#: Separators that join two digits into one number for the bidi algorithm (W4: a single common
#: separator between two Arabic or two European numbers), and Arabic's own decimal and thousands
#: separators (themselves Arabic numbers).
_JOINERS = ",.:/\u00a0\u066b\u066c"


def _is_digit(text: str) -> bool:
    return bool(text) and all(char.isdigit() for char in text)


def _drawn_as_read(text: list[str]) -> bool:
    """A run with a letter, or one that bidi.py set left to right (a phone number)."""
    return any(unicodedata.bidirectional(char) == "L" for t in text for char in t) \
        or reads_left_to_right("".join(text))


def _reading_order(text: list[str], latin_end: int | None = None) -> list[int]:
    """The glyphs of a run of an Arabic line (``text``: each one's, as drawn, left to right), in
    reading order.

    A run that reads left to right (bidi.reads_left_to_right: a letter, as in UNIFIL or CTF-150,
    or groups of digits parted by spaces, as in a phone number) is laid out left to right as
    written (bidi.py gives it dir="ltr"). Any other number run starts
    with an Arabic letter mark (bidi.py), so its digits are Arabic numbers: each number (digits,
    with single separators between them: 1,500, 2019/10, 3.5) is drawn left to right, and
    everything else between and around the numbers (a sign, a percent sign, the hyphen of a
    score or a range) right to left with the Arabic around it: "1-0" is drawn "0-1", "90+2"
    "2+90", "35%" "%35", "-5" "5-". Reading order is then the pieces of the drawing, last first.

    A number and the Latin words after it ("128 GB", "11 22H2": ``latin_end``, the count of the
    glyphs drawn left of the number's part, _number_first) is drawn so too, its Latin part as
    one piece on the left: the number's part in reading order, then the Latin part as drawn."""
    if latin_end is not None:
        return [latin_end + i for i in _pieces_last_first(text[latin_end:])] + list(range(latin_end))
    if _drawn_as_read(text) or not any(_is_digit(t) for t in text):
        return list(range(len(text)))
    return _pieces_last_first(text)


def _pieces_last_first(text: list[str]) -> list[int]:
    """The glyphs of a number run drawn by the bidi algorithm (``text``, as drawn), in reading
    order: each number (digits with single separators between them) as drawn, every other glyph
    a piece of its own, the pieces last first (_reading_order)."""
    pieces: list[list[int]] = []
    for index, glyph in enumerate(text):
        joined = pieces and glyph in _JOINERS and _is_digit(text[pieces[-1][-1]]) \
            and index + 1 < len(text) and _is_digit(text[index + 1])
        number = _is_digit(glyph) and pieces and (
            _is_digit(text[pieces[-1][-1]]) or (text[pieces[-1][-1]] in _JOINERS and len(pieces[-1]) > 1))
        if joined or number:
            pieces[-1].append(index)
        else:
            pieces.append([index])
    return [index for piece in reversed(pieces) for index in piece]


#: How WeasyPrint writes the empty glyph of a default-ignorable character (an Arabic letter mark
#: bidi.py puts in a run, a joiner): a number of no width, written with a decimal point.
_EMPTY_RAW = (b"0.0", b"-0.0")


def _scan_marked(items: list[tuple[str, float]], fold: FontFold
                 ) -> tuple[list[str], list[float], list[int]] | None:
    """An array's glyphs' texts, where each starts (thousandths of an em from the array's
    start), and the empty glyphs bidi.py's marks are written as (how many glyphs are drawn left
    of each); None when the array holds anything but glyphs and numbers."""
    texts: list[str] = []
    xs: list[float] = []
    empties: list[int] = []
    bases = fold.bases()
    pen = 0.0
    for kind, value in items:
        if kind == "g":
            texts.append(fold.texts.get(bases.get(int(value), int(value)), ""))
            xs.append(pen)
            pen += fold.width(int(value))
        elif kind == "n":
            if getattr(value, "raw", b"") in _EMPTY_RAW:
                empties.append(len(texts))
            pen -= value
        else:
            return None
    return texts, xs, empties


def _latin_part_ends(items: list[tuple[str, float]], fold: FontFold) -> float | None:
    """Where the number's part of a number and the Latin words after it starts (thousandths of an
    em from the array's start), when the array holds a part of the run with the mark bidi.py puts
    right of its Latin part (_number_first), not the whole run: the Latin part and the mark right
    of it, or the number's part with the mark at its left (a pull quote's "9 km" is Amiri's "km",
    the mark, a space and "9" in the display face, and the mark that starts the run an array of
    its own). None when the array holds no such mark."""
    scanned = _scan_marked(items, fold)
    if scanned is None:
        return None
    texts, xs, empties = scanned
    for end in empties:
        if end < len(texts) and not _is_digit(texts[end]) \
                and (any(unicodedata.bidirectional(char) == "L" for t in texts[:end] for char in t)
                     or (end == 0 and any(_is_digit(t) for t in texts))) \
                and not any(unicodedata.bidirectional(char) in ("L", "R", "AL")
                            for t in texts[end:] for char in t):
            return xs[end]
    return None


def _number_first(items: list[tuple[str, float]], fold: FontFold) -> tuple[int, float] | None:
    """For the array of a number and the Latin words after it (bidi._words_marked: "128 GB",
    "13 Ventura", "11 22H2"), the count of its glyphs drawn left of the number's part (the Latin
    part, read last) and where the number's part starts (thousandths of an em from the array's
    start). None for any other array.

    The bidi algorithm draws such a run "GB 128", which a run read left to right draws just so
    ("ISO 9001"); bidi.py tells them apart with two marks (an Arabic letter mark, its
    LATIN_PART_MARK), which WeasyPrint writes as numbers of no width (_EMPTY_RAW): one starts the
    run, drawn at its right end, one starts its Latin part, drawn right of that part, with only
    digits, spaces and signs right of it."""
    scanned = _scan_marked(items, fold)
    if scanned is None:
        return None
    texts, xs, empties = scanned
    if len(texts) not in empties:  # no mark at the right end: not a run bidi.py marked so
        return None
    for end in empties:
        if 0 < end < len(texts) and not _is_digit(texts[end]) \
                and any(unicodedata.bidirectional(char) == "L" for t in texts[:end] for char in t) \
                and not any(unicodedata.bidirectional(char) == "L" for t in texts[end:] for char in t):
            return end, xs[end]
    return None


def _marks_apart(stream: list, index: int, fold: FontFold, origin: _Origin) -> list[bytes] | None:
    """A number run's array with the right-to-left marks drawn between its glyphs for poppler
    (a sign's, _mark_ltr_run) taken out and drawn each as a text object of its own after it,
    where it was: pdfium, which skips a text object that draws nothing wide, read "-5" as "5-"
    with the mark between the sign and the digits. None when it has no such mark."""
    items = parse_tj(tj_operand(stream[index]))
    inked = [i for i, (kind, value) in enumerate(items) if kind == "g" and fold.inked(int(value))]
    if not inked or not _scale(origin.matrix, origin.size) > 0:
        return None
    kept: list[tuple[str, float]] = []
    apart: list[tuple[int, float]] = []
    pen = 0.0
    for i, (kind, value) in enumerate(items):
        if kind == "g" and inked[0] < i < inked[-1] and _text(fold, int(value)) == RTL_MARK \
                and not fold.width(int(value)):
            apart.append((int(value), pen))
            continue
        kept.append((kind, value))
        pen += -value if kind == "n" else fold.width(int(value))
    if not apart:
        return None
    lines = [unparse_tj(kept)]
    for code, x in apart:
        lines += _drawn([(code, x)], fold, origin)
    return lines + _resumed(stream, index, fold, origin)


def _sign_apart(stream: list, index: int, fold: FontFold, origin: _Origin) -> list[bytes] | None:
    """A number run's array whose last glyphs are a sign drawn left of its digits ("٣٠٪", "35%":
    _mark_ltr_run writes them in reading order, digits first), with the sign (and the marks
    drawn for it) as a text object of its own after the digits, its mark first, where they were.

    pdfium takes each TJ for a text object, puts a line's objects in the order of their first
    glyphs and adds a space between two of them unless the last glyph of the one before ends
    where the next one starts: the run's last glyph was its sign, at its far left, and a letter
    joined to the run on its right came out apart ("ب٣٠٪" read "ب ٣٠٪", "و4%" "و 4%"). As two
    objects, the sign's ends where the digits start and the digits' where the letter starts.
    pypdf and pdf.js read the objects in the order written, poppler the glyphs where they are.
    None when the array does not end so."""
    items = parse_tj(tj_operand(stream[index]))
    placed: list[tuple[int, float]] = []  # (code, x) of each glyph, in the order drawn
    ends: list[int] = []  # where each glyph's item is
    pen = 0.0
    for i, (kind, value) in enumerate(items):
        if kind == "n":
            pen -= value
        else:
            placed.append((int(value), pen))
            ends.append(i)
            pen += fold.width(int(value))
    inked = [i for i, (code, _) in enumerate(placed) if fold.inked(code)]
    if len(inked) < 2 or not _scale(origin.matrix, origin.size) > 0:
        return None
    end = max(x + fold.width(code) for code, x in placed)
    reaching = [i for i in inked if abs(placed[i][1] + fold.width(placed[i][0]) - end) < MARK_OFFSET]
    if not reaching or reaching[-1] == inked[-1]:
        return None
    head, tail = items[:ends[reaching[-1]] + 1], placed[reaching[-1] + 1:]
    left = min(x for code, x in placed[:reaching[-1] + 1] if fold.inked(code))
    if any(x + fold.width(code) > left + MARK_OFFSET for code, x in tail if fold.inked(code)) \
            or any(not fold.inked(code) and _text(fold, code) != RTL_MARK for code, _ in tail):
        return None  # (a sign drawn among the digits, not left of them all; or an edge glyph there)
    tail.sort(key=lambda glyph: glyph[1])  # the marks left of the sign first: it ends the object
    return [unparse_tj(head), *_drawn(tail, fold, origin), *_resumed(stream, index, fold, origin)]


def _ends_with_joiner(item: bytes, fold: FontFold) -> bool:
    """True when an array's last glyph (its right end) is a joiner's (_joiners_drawn): the
    Arabic word after a run starts with it ("۱۳۶۰‌ها", "۵۰‌درصد")."""
    operand = tj_operand(item)
    glyphs = [int(value) for kind, value in parse_tj(operand) if kind == "g"] if operand else []
    return bool(glyphs) and _text(fold, glyphs[-1]) in ("\u200c", "\u200d")


def _without_ltr_mark(items: list[tuple[str, float]], fold: FontFold
                      ) -> tuple[list[tuple[str, float]], int | None]:
    """A run's array without the LTR_MARK it starts with (_mark_ltr_run), and that mark's code
    (None, and the array as it was, when it has none)."""
    first = next((i for i, (kind, _) in enumerate(items) if kind == "g"), None)
    if first is None or _text(fold, int(items[first][1])) != LTR_MARK or fold.width(int(items[first][1])):
        return items, None
    return items[:first] + items[first + 1:], int(items[first][1])


def _ltr_mark_apart(item: bytes, mark: int, fold: FontFold, origin: _Origin) -> list[bytes]:
    """The LTR_MARK of a number run followed by a joiner (its Arabic word glued to its left:
    "۱۳۶۰‌ها", "۵۰‌درصد"), drawn as a text object of its own before the run, at the run's right
    end, then the run's Tm again. pypdf reads the marks in the order drawn, and needs it before
    the run's Arabic-Indic digits (it reads them as neutral and reversed them); drawn at the
    run's left, poppler read it between the number and the joiner ("۱۳۶۰‏᠎‌ها":
    no search found the word); at its right, poppler reads it on the far side of the number,
    and pdfium skips a text object that draws nothing wide. (The run's own Tm line goes: from it
    to the mark, pypdf read a space before the mark.)"""
    pen, right = 0.0, 0.0
    for kind, value in parse_tj(tj_operand(item)):
        if kind == "n":
            pen -= value
        else:
            pen += fold.width(int(value))
            right = max(right, pen)
    words = origin.matrix.split()
    back = b" ".join([*words[:4], _format(origin.x), words[5], b"Tm"])
    return [*_drawn([(mark, right)], fold, origin), back]


def _edge_at_left(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A number run's array (drawn in reading order) with the edge glyph (EDGE_TEXT) drawn last,
    at the left of all it inks, the pen back where it was after it: the space before a footnote
    call after the number ("بلغ 1,500[^1] متر"), which the call draws on its right and pypdf and
    pdf.js read after its digit ("1,500١"), as a word's edge glyph gives it after a word."""
    edge = fold.empty(CALL_EDGE_TEXT, advance=True)
    if edge is None:
        return items
    pen, left = 0.0, math.inf
    for kind, value in items:
        if kind == "n":
            pen -= value
        elif kind == "g":
            if fold.inked(int(value)):
                left = min(left, pen)
            pen += fold.width(int(value))
    if left == math.inf:
        return items
    # left of the marks drawn a hair left of the run's signs (_mark_ltr_run), or poppler read
    # the space inside the number: "30 %"
    start = left - 2 * MARK_OFFSET - fold.width(edge)
    return [*items, ("n", pen - start), ("g", edge), ("n", start + fold.width(edge) - pen)]


def _space_at_right(tj: bytes, fold: FontFold) -> bool:
    """True when an array's last glyph, right of all it inks, is a space."""
    glyphs = [int(value) for kind, value in parse_tj(tj) if kind == "g"]
    return bool(glyphs) and glyphs[-1] in fold.blank and any(fold.inked(code) for code in glyphs)


def _mark_raised_run(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A number run raised (or lowered) off the baseline of an Arabic line, a footnote call (the
    layout draws a space and the article's digits, "\u2009١", smaller and raised), in reading
    order as ``_mark_ltr_run`` draws the line's other runs, but starting with its first digit.

    pdfium takes an array on a baseline of its own for a new line unless its first glyph is as
    wide as twice the raise ("الوفيات\r\n١. ويعزو المرتبطة…", with an invisible mark or a move
    first). So the marks that start the line's other runs are drawn by the runs on either side
    (mark_runs): the left-to-right mark pypdf needs before Arabic-Indic digits (it reversed
    "١٢") at the end of the array before, the edge glyph pdf.js needs at the run's right by the
    word there, the right-to-left mark poppler needs on its left by the run after it."""
    inked = [i for i, (kind, value) in enumerate(items) if kind == "g" and fold.inked(int(value))]
    if not inked:
        return items
    run, spaces = items[:inked[-1] + 1], items[inked[-1] + 1:]  # the spaces stay at its right
    marked = _mark_ltr_run(run, fold, followed=False, marks_first=False)
    if not marked or marked[0][0] != "g":
        return items  # drawn from a point right of its start (a sign, a percent): left as it was
    back = _advance(marked, fold) - _advance(run, fold)
    return [*marked, *([("n", back)] if abs(back) > 1e-9 else []), *spaces]


def _advance(items: list[tuple[str, float]], fold: FontFold) -> float:
    """How far an array moves the pen (thousandths of an em)."""
    return sum(-v if k == "n" else fold.width(int(v)) for k, v in items)


def _mark_ltr_run(items: list[tuple[str, float]], fold: FontFold, followed: bool,
                  marks_first: bool = True, latin_end: int | None = None) -> list[tuple[str, float]]:
    """A number or Latin run of an Arabic line, drawn in reading order (``_reading_order``:
    readers that take a run's glyphs as they come, pypdf and pdf.js, then give "1-0", "90+2",
    "35%" and "-5", not "0-1", "2+90", "%35" and "5-"), and marked for poppler (RTL_MARK just
    left of its numbers when words follow, or when something it reads after them is drawn left
    of them) and pypdf (LTR_MARK first when the run is read starting with a sign or is only
    Arabic-Indic digits: pypdf reads those as neutral, and added them to the Arabic before)."""
    bases = fold.bases()
    glyphs, pen = [], 0.0  # (code, x) of each glyph
    for kind, value in items:
        if kind == "n":
            pen -= value
        elif kind == "g":
            glyphs.append((int(value), pen))
            pen += fold.width(int(value))
        else:
            return items
    if not glyphs:
        return items
    text = [fold.texts.get(bases.get(code, code), "") for code, _ in glyphs]
    order = _reading_order(text, latin_end)
    lettered = _drawn_as_read(text)  # a Latin run, a phone number: drawn as read
    digits = [i for i in range(len(glyphs)) if _is_digit(text[i])]
    anchor = digits[0] if digits and not lettered else 0  # a number run's leftmost digit
    first = text[order[0]]
    ltr_mark = fold.empty(LTR_MARK) if marks_first and ((first and not first[0].isalnum())
                                                        or _arabic_digits_only(items, fold)) else None
    rtl_mark = fold.empty(RTL_MARK) if marks_first and (followed or anchor > 0) else None
    out: list[tuple[str, float]] = []
    pen = 0.0

    def draw(code: int, x: float) -> None:
        nonlocal pen
        if x != pen:
            out.append(("n", pen - x))
        out.append(("g", code))
        pen = x + fold.width(code)

    start = glyphs[anchor][1] - MARK_OFFSET
    if ltr_mark is not None:  # pypdf starts a left-to-right run there
        draw(ltr_mark, glyphs[order[0]][1] if order[0] != anchor else start)
    if rtl_mark is not None:  # poppler ends the number's run there (first in the array: pdfium
        draw(rtl_mark, start)  # read "1-0" as "0\u200f1-" with the mark between its pieces)
    # poppler reads a run's digits and the signs beside them ("+", "-", "%") as one left-to-right
    # run, with the spaces left of it, in the order drawn: "5-" for "-5", "35  %" (the spaces
    # before the sign) for "35%". A mark just left of each sign drawn left of the digits or right
    # after them parts them, and the sign reads on its side. Each is drawn where the pen goes
    # back past it: a move forward between the glyphs is a space to pypdf ("( 71%)") and pdfium
    sign_mark = fold.empty(RTL_MARK) if marks_first and not lettered and digits else None
    signs = sorted((glyphs[i][1] - MARK_OFFSET for i, t in enumerate(text)
                    if sign_mark is not None and t and not _is_digit(t) and not t.isspace()
                    and t not in _JOINERS and (i == 0 or _is_digit(text[i - 1]))), reverse=True)
    if latin_end is not None and marks_first:
        # a number and the Latin words after it: poppler read "GB 128" as one left-to-right run,
        # as drawn; a mark just left of the number's part (its space) parts the two, and it
        # reads the number first, from the right
        sign_mark = fold.empty(RTL_MARK)
        after = next((i for i in range(latin_end, len(text)) if not text[i].isspace()), latin_end)
        signs = [glyphs[after][1] - MARK_OFFSET] if sign_mark is not None else []

    def back_to(x: float) -> None:
        """The marks the pen passes going back from where it is to ``x``, right to left."""
        for mark_x in [m for m in signs if x <= m < pen]:
            draw(sign_mark, mark_x)
            signs.remove(mark_x)

    for index in order:
        back_to(glyphs[index][1])
        draw(*glyphs[index])
    back_to(-math.inf)
    if out and out[0][0] == "n" and out[0][1] < 0:
        # a run drawn from a point right of its start ("71%": Amiri sets the sign on the
        # left): the move there, cut in steps pypdf reads as no space ("( 71%)" after a bracket)
        out[:1] = _gaps_for_pypdf(out[:1], fold)
    return out


#: Text of the invisible glyphs that place the pieces of a split run for pdfium (_split_for_pdfium):
#: strong left-to-right for pdfium (so a piece reads as one left-to-right segment with it),
#: neutral to pypdf, skipped by searches.
PIECE_MARK = "\u200e"
#: The text of those marks around a space or a sign between two words of letters of the run
#: ("Street theatre", "solar.example"): invisible and neutral to poppler, pypdf and pdfium (pdf.js
#: drops most and keeps the others at a word's end, before its space), since there the letters on
#: both sides keep pdfium's direction left to right, and the mark stands between two words.
#: poppler chooses a page's direction by counting its left-to-right and right-to-left
#: characters: it counted every PIECE_MARK (about three a Latin word) and read the first page of
#: an Arabic article with an English paragraph left to right, gluing numbers to the words beside
#: them ("لمشاهدة4,500امتلأت"). Beside digits ("2-1" was read "1-2", "CTF-150" "CTF150-"),
#: between letters and digits, and at the run's ends the marks stay PIECE_MARK. (Not U+2060 or
#: U+200B: the build puts those in the HTML as joins and breaks, and no reader may give them.)
JOIN_MARK = "\u2063"
#: The text of the marks that start a piece and reach over its first glyph (all but the last
#: piece's, see _split_for_pdfium): strong right-to-left for pdfium and poppler, neutral to pypdf.
PIECE_RTL_MARK = RTL_MARK
#: (Thousandths of an em.) How far apart the pieces of a split run start, as pdfium sorts them;
#: how wide the marks that start and end them are; how far an invisible glyph and a visible one
#: beside it overlap, so that poppler takes them for two words that touch (it starts a word where
#: a glyph goes back more than 0.2 em) and pypdf reads no space between (it adds one where an
#: array moves by 0.95 of a space: Amiri's is 292, Noto Kufi's 340); how far left of a piece's
#: first glyph the invisible glyph before it starts at least (PIECE_DUPLICATE: poppler takes a
#: glyph drawn within a tenth of an em of the start of the one before for a duplicate of it);
#: and how far left of the run's first glyph the first piece starts (PIECE_BEFORE: within
#: pdfium's tolerance for a gap after a neighbour that is not a space, a bracket or a quote).
PIECE_STEP = 1
PIECE_MARK_WIDTH = 120
PIECE_OVERLAP = 210
PIECE_DUPLICATE = 110
PIECE_BEFORE = 20
#: The width of the invisible glyph that starts the left part of a pair (_pair_for_pdfium): less
#: than pdfium's tolerance for a gap between two text objects (a fifth of the wider glyph).
PAIR_MARK_WIDTH = 30


def _text(fold: FontFold, code: int) -> str:
    """What a code reads as (copies and empty glyphs included)."""
    texts = fold.copy_texts()
    return texts[code] if code in texts else fold.texts.get(fold.bases().get(code, code), "")


#: Signs that pdfium's bidi (CFX_BidiChar) takes for weak left-to-right characters, as it takes
#: digits, where a bracket is neutral: drawn in one piece right after a closing bracket (")/" of
#: "n(n+1)/2", ")+" of "f(x)+1") or right before an opening one ("/(" of "S/(S+G)"), the two were
#: two segments of a piece that pdfium reads as right-to-left (its start marks) and so backwards
#: ("n(n+1/)2", "S(/S+G)"). Such a sign is a piece of its own ("S", _split_for_pdfium). (After
#: a space, ") - 1", pdfium still reads "-) 1": as a piece of its own there, the sign was read
#: with two spaces after it by pypdf, and pdf.js moved the space before it after it: measured,
#: not adopted.)
_PDFIUM_WEAK_SIGNS = ("CS", "ES", "ET")


def _sign_by_bracket(before: str, text: str, after: str) -> bool:
    """True when ``text`` (a glyph's, between those of the glyphs ``before`` and ``after`` it in
    reading order) is a sign pdfium takes for weak right after a closing bracket or right before
    an opening one (_PDFIUM_WEAK_SIGNS)."""
    return bool(text) and unicodedata.bidirectional(text[0]) in _PDFIUM_WEAK_SIGNS and (
        unicodedata.category(before[-1:] or " ") == "Pe" or unicodedata.category(after[:1] or " ") == "Ps")


def _is_fraction(fold: FontFold, glyphs: list[tuple[int, float]]) -> bool:
    """True when the glyphs of a piece read as a vulgar fraction (½ ¼ ⅓…), spaces before it aside."""
    text = "".join(_text(fold, code) for code, _ in glyphs).lstrip()
    return bool(text) and all(unicodedata.decomposition(char).startswith("<fraction>") for char in text)


def _pdfium_class(text: str) -> str:
    """How pdfium's bidi (CFX_BidiChar) classes a glyph's text: L, W (digits), R or N."""
    kind = unicodedata.bidirectional(text[0]) if text else ""
    return {"L": "L", "EN": "W", "AN": "W", "R": "R", "AL": "R"}.get(kind, "N")


@dataclass
class _Origin:
    """Where a TJ array starts: the Tm line in force, the font size, the x it starts at and
    whether the Tm line is its own."""

    matrix: bytes
    size: float
    x: float
    own: bool
    font: bytes = b""  # its Tf line


def _scale(matrix: bytes, size: float) -> float:
    """Text space thousandths of an em → user space x, for a ``1 0 0 ±1 e f Tm`` line."""
    words = matrix.split()
    if len(words) != 7 or float(words[1]) or float(words[2]):
        return 0.0
    return float(words[0]) * size / 1000


def _extent(item: bytes, fold: FontFold, origin: _Origin) -> tuple[float, float, float]:
    """(left, right, em) of what a TJ array draws, in user space."""
    scale = _scale(origin.matrix, origin.size)
    advance = sum(-v if k == "n" else fold.width(int(v)) for k, v in parse_tj(tj_operand(item)))
    return origin.x, origin.x + advance * scale, 1000 * scale


def _apart(a: tuple[float, float, float], b: tuple[float, float, float],
           others: list[tuple[float, float, float]]) -> bool:
    """True when two arrays of a line are side by side with half an em or more between them and
    nothing else of the line there (table cells, a list's marker and its text; not a run that
    WeasyPrint cut in two)."""
    left, right = (a, b) if a[0] < b[0] else (b, a)
    gap = right[0] - left[1]
    return gap >= 0.5 * min(a[2], b[2]) and not any(
        o[0] < right[0] and o[1] > left[1] for o in others)


def _drawn(placed: list[tuple[int, float]], fold: FontFold, origin: _Origin) -> list[bytes]:
    """A text object drawing each (code, x) of ``placed`` at x (thousandths of an em from the
    array's origin): its Tm line, at the first, and its TJ array."""
    out: list[tuple[str, float]] = []
    pen = placed[0][1]
    for code, x in placed:
        if abs(x - pen) > 1e-9:
            out.append(("n", pen - x))
        out.append(("g", code))
        pen = x + fold.width(code)
    words = origin.matrix.split()
    x0 = origin.x + placed[0][1] * _scale(origin.matrix, origin.size)
    return [b" ".join([*words[:4], _format(x0), words[5], b"Tm"]), unparse_tj(out)]


def _resumed(stream: list, index: int, fold: FontFold, origin: _Origin) -> list[bytes]:
    """A Tm line at the end of array ``index``, when what follows it continues from there."""
    after = stream[index + 1] if index + 1 < len(stream) else b"ET"
    if text_matrix_position(after) is not None or after == b"ET":
        return []
    advance = sum(-v if k == "n" else fold.width(int(v)) for k, v in parse_tj(tj_operand(stream[index])))
    words = origin.matrix.split()
    x = origin.x + advance * _scale(origin.matrix, origin.size)
    return [b" ".join([*words[:4], _format(x), words[5], b"Tm"])]


def _pair_for_pdfium(stream: list, pieces: list[_Piece], marks: dict[int, list[float]]
                     ) -> dict[int, list[bytes]] | None:
    """A run of digits and letters that touch (5G, 128GB, IP67, L2), for pdfium: its right part
    drawn as it was, its left part as a text object of its own that starts, with a narrow
    invisible glyph, just left of the run's right end, so that pdfium takes the right part first
    and its reversal puts the two back in order, with no space between; and that ends with an
    invisible glyph reaching the run's end, drawn from just left of the run after a move back, so
    that pdfium adds no space before a letter joined to the run ("و5G" read "و 5G"; poppler ended
    its line at such a glyph started inside the run, and takes this one for a line of its own).
    Poppler reads the two parts as one word and pypdf as written (left part first). None when
    the right part is too narrow to start the left part inside it."""
    (index, fold, origin, _, left_glyphs), (_, _, _, _, right_glyphs) = pieces
    scale = _scale(origin.matrix, origin.size)
    right_start = right_glyphs[0][1]
    end = right_glyphs[-1][1] + fold.width(right_glyphs[-1][0])
    start_mark = fold.empty(PIECE_MARK, units=round(PAIR_MARK_WIDTH * fold.units_per_em / 1000))
    if start_mark is None or end - fold.width(start_mark) - 1 <= right_start:
        return None
    at = end - fold.width(start_mark) - 1
    trail_at = left_glyphs[0][1] - PIECE_BEFORE
    trail = fold.empty(PIECE_MARK, units=round((end - trail_at) * fold.units_per_em / 1000))
    if trail is None:
        return None

    lines = [*_drawn([(start_mark, at), *left_glyphs, (trail, trail_at)], fold, origin),
             *_drawn(right_glyphs, fold, origin)]
    mark = fold.empty(RTL_MARK) if marks.get(index) else None
    for x in marks.get(index, []) if mark is not None else []:
        lines += _drawn([(mark, (x - origin.x) / scale)], fold, origin)
    lines += _resumed(stream, index, fold, origin)
    return {index: lines, **_without_own_tm(stream, index)}


def _without_own_tm(stream: list, index: int) -> dict[int, list[bytes]]:
    """The run's own Tm line (before its first array), dropped, when its pieces are drawn from
    text objects that start elsewhere: pypdf measures the first piece's start from it, and read
    a space where that start is right of it by more than a space ("و 90+6", "و 5G" with the
    Arabic letter joined to the run)."""
    if index and text_matrix_position(stream[index - 1]) is not None:
        return {index - 1: []}
    return {}


def _split_for_pdfium(stream: list, group: list[tuple[int, FontFold, _Origin]],
                      reordered: dict[int, float] | None = None,
                      latin_parts: dict[int, float] | None = None) -> dict[int, list[bytes]]:
    """The TJ arrays of ``group`` (one Latin run of an Arabic line: CTF-150, 4G, a URL, an
    e-mail address, "New York"; or a whole line without Arabic, in a right-to-left document),
    each redrawn as one text object per piece that pdfium's bidi sees as one segment: stream
    index → the lines that replace it. Nothing when the group is one piece already.

    pdfium reads a right-to-left document's lines right to left (/Direction /R2L): it puts a
    line's text objects in the order of their start points, cuts the line into segments where
    the direction of its characters changes (letters, digits, everything else) and lists the
    segments last first: "https://solar.example.org" came out "org.example.solar://https",
    "CTF-150" "150-CTF". Here each piece is its own text object, written in reading order
    (pypdf reads them as drawn), every glyph exactly where it was; what changes is where each
    object starts: an invisible glyph (PIECE_MARK) just left of the group's left end, a hair
    further right for each earlier piece, stretches to the piece's first glyph, so that pdfium
    sorts the pieces last first and its reversal puts them back in order. Each piece ends with
    another invisible glyph that reaches the start of the piece pdfium takes next (the first
    piece: the end of the group, from left of the group after a move back), so that pdfium adds
    no space between them.

    poppler takes a line's words by their left ends and ends the line at a word that starts more
    than half an em left of the end of the word before it: every invisible word that reaches over
    the run starts left of its first glyph, so that the line ends before the run if anywhere
    (started inside the run, they cut "PM2.5", "H5N1" and "+961 1 345 210" apart).

    ``reordered``: the arrays of a number and the Latin words after it, written in reading order
    by _mark_ltr_run ("128" then "GB", drawn "GB 128"), whose glyphs keep that order, with where
    their number's part starts; ``latin_parts``: the arrays of such a run's Latin part where the
    run is drawn in two faces (_latin_part_ends), with where its number's part starts on the page:
    its glyphs are put in reading order here."""
    reordered = reordered or {}
    latin_parts = latin_parts or {}
    glyphs: list[_Glyph] = []  # in reading order
    marks: dict[int, list[float]] = {}  # array → where its poppler marks are (_mark_ltr_run)
    edges: dict[int, list[tuple[int, float]]] = {}  # array → its call's edge glyph (_edge_at_left)
    for index, fold, origin in group:
        if not _scale(origin.matrix, origin.size) > 0:
            return {}
        pen = 0.0
        for kind, value in parse_tj(tj_operand(stream[index])):
            if kind == "n":
                pen -= value
                continue
            code = int(value)
            text = _text(fold, code)
            if text == RTL_MARK:
                marks.setdefault(index, []).append(origin.x + pen * _scale(origin.matrix, origin.size))
            else:
                glyphs.append(_Glyph(index, fold, origin, code, pen, text))
            pen += fold.width(code)
    if any(_pdfium_class(g.text) == "L" for g in glyphs):
        # a Latin run reads left to right as drawn, whatever the order of the glyphs in an array
        # (WeasyPrint wrote "9 " of "Pixel 9a" with the space, drawn first, after the 9); the
        # arrays stay in the order written, which is the reading order
        # (but for a number and the Latin words after it, written in reading order: "GB 128")
        written = {id(g): n for n, g in enumerate(glyphs)}
        glyphs.sort(key=lambda g: ([i for i, _, _ in group].index(g.index),
                                   written[id(g)] if g.index in reordered else g.x))
        # the edge glyph a run draws at its left before a footnote call (_edge_at_left), read
        # after the run: sorted first, pypdf and pdf.js read "Penguin Books[^2]" as "Books٢",
        # the call glued to the word, and as the last piece pdfium broke the line there; drawn
        # after the pieces, as a text object of its own, where it was
        for g in glyphs:
            if g.text == CALL_EDGE_TEXT:
                edges.setdefault(g.index, []).append((g.code, g.x))
        glyphs = [g for g in glyphs if g.text != CALL_EDGE_TEXT]
        parts = [latin_parts[i] for i, _, _ in group if i in latin_parts]
        if len(group) > 1 and parts:
            glyphs = _number_then_latin(glyphs, parts[0])
    elif len(group) > 1:
        # numbers that WeasyPrint cut into several arrays (at the hyphen of 2013-2019), each
        # drawn on its own: in reading order again (as _mark_ltr_run orders one array)
        glyphs = _leading_ltr_mark(glyphs)
    return _pieces_for_pdfium(stream, group, glyphs, marks, edges)


def _number_then_latin(glyphs: list[_Glyph], start: float) -> list[_Glyph]:
    """The glyphs of a number and the Latin words after it drawn in two faces (several arrays:
    _latin_part_ends), in reading order: those drawn from ``start`` on (the number's part, on the
    page) last first as a number run's (_pieces_last_first), then the Latin part as drawn. As
    they were when the number's part holds a letter."""
    def x(g: _Glyph) -> float:
        return g.origin.x + g.x * _scale(g.origin.matrix, g.origin.size)

    drawn = sorted(glyphs, key=x)
    number = [g for g in drawn if x(g) >= start - 1e-6]
    latin = [g for g in drawn if x(g) < start - 1e-6]
    if not number or not latin or any(unicodedata.bidirectional(c) in ("L", "R", "AL")
                                      for g in number for c in g.text):
        return glyphs
    return [number[i] for i in _pieces_last_first([g.text for g in number])] + latin


class _Glyph(NamedTuple):
    """A glyph of a run split for pdfium (_split_for_pdfium)."""

    index: int  # its array's stream index
    fold: FontFold
    origin: _Origin
    code: int
    x: float  # where it is drawn, thousandths of an em from the array's start
    text: str


class _Piece(NamedTuple):
    """One piece of a run split for pdfium: glyphs of one array that pdfium's bidi sees as one
    segment, drawn as a text object of its own (_split_for_pdfium)."""

    index: int  # its array's stream index
    fold: FontFold
    origin: _Origin
    cls: str  # how pdfium classes its glyphs (_pdfium_class): L, W, R, N, or S (a sign by a bracket)
    glyphs: list[tuple[int, float]]  # (code, x) of each, x in thousandths of an em from the array's start

    def absolute(self, units: float) -> float:
        """Thousandths of an em from the array's start → user space x."""
        return self.origin.x + units * _scale(self.origin.matrix, self.origin.size)

    def relative(self, x: float) -> float:
        """User space x → thousandths of an em from the array's start."""
        return (x - self.origin.x) / _scale(self.origin.matrix, self.origin.size)

    @property
    def end(self) -> float:
        """Where its last glyph ends (thousandths of an em from the array's start)."""
        return self.glyphs[-1][1] + self.fold.width(self.glyphs[-1][0])


def _pieces(glyphs: list[_Glyph]) -> list[_Piece]:
    """A run's glyphs in reading order (_split_for_pdfium) cut into pieces: a new piece wherever
    the array or pdfium's class changes, a separator inside a number staying in the number's
    piece (_inside_number) and the LTR_MARK that starts the run going with its first number."""
    lead_mark = bool(glyphs) and glyphs[0].text == LTR_MARK
    pieces: list[_Piece] = []
    for k, (index, fold, origin, code, pen, text) in enumerate(glyphs):
        cls = _pdfium_class(text) if text and text != LTR_MARK else None
        if cls == "N" and _sign_by_bracket(glyphs[k - 1].text if k else "", text,
                                           glyphs[k + 1].text if k + 1 < len(glyphs) else ""):
            cls = "S"
        if _inside_number(glyphs, k):
            # (a separator inside a number, "12,500", "2.5": pdfium reads the number whole in one
            # piece; cut at it, the pieces of a range "12,500–15,000" went right from each
            # number's first digits, no longer drawn leftwards, and the invisible glyphs reaching
            # over them from the run's left made poppler set the range on lines of its own,
            # "–12,50015,000")
            cls = pieces[-1].cls
        if pieces and pieces[-1].index == index and cls in (None, pieces[-1].cls):
            pieces[-1].glyphs.append((code, pen))
        elif k == 1 and lead_mark and pieces[0].index == index and cls is not None:
            # (the LTR_MARK that starts the run goes with its first number: a piece of its own,
            # drawn just left of the number, the pieces were not drawn leftwards and poppler set
            # "٣–٢" on lines of its own; with a run cut into arrays, pdf.js read
            # "٢٠٢١ – ٢٠٢٣" as "٢٠٢١٢٠٢٣ –")
            pieces[0] = pieces[0]._replace(cls=cls, glyphs=[*pieces[0].glyphs, (code, pen)])
        else:
            pieces.append(_Piece(index, fold, origin, cls or "N", [(code, pen)]))
    return pieces


def _worth_splitting(pieces: list[_Piece]) -> bool:
    """True when pdfium would read the pieces of a run in another order than their own: two
    pieces or more, one of Latin letters or of numbers pdfium does not keep in order, and no two
    pieces of one class in a row."""
    # pdfium keeps a number in order when only single separators join its parts (1,500 3.5
    # 2019/10; a sign or a percent sign around it too), not two numbers (2013-2019, 21.2 × 14.2,
    # +962 6 577 8870), and only in one array: "2024/2025" in Noto Kufi, which has no "/" (Amiri
    # draws it), is three, which it read last first ("2025 2024/")
    numbers = [k for k, piece in enumerate(pieces) if piece.cls == "W"]
    apart = bool(numbers) and (len({piece.index for piece in pieces[numbers[0]:numbers[-1] + 1]}) > 1 or any(
        piece.cls == "N" and (len(piece.glyphs) > 1 or _text(piece.fold, piece.glyphs[0][0]) not in _JOINERS)
        for piece in pieces[numbers[0]:numbers[-1]]))
    # a vulgar fraction after a number ("1½", drawn left to right: bidi.py), a neutral that pdfium
    # set on the Arabic side of it ("½1")
    apart = apart or any(a.cls == "W" and b.cls == "N" and _is_fraction(b.fold, b.glyphs)
                         for a, b in itertools.pairwise(pieces))
    return len(pieces) >= 2 and any(piece.cls == "L" or (piece.cls == "W" and apart) for piece in pieces) \
        and not any(a.cls == b.cls for a, b in itertools.pairwise(pieces))


@dataclass
class _Placing:
    """Where the pieces of a run split for pdfium start, as pdfium sorts them (user space x)."""

    starts: list[float]  # each piece's text object's
    firsts: list[float]  # each piece's first glyph that draws
    lasts: list[float]  # where each piece ends
    right: float  # the run's right end
    unit: float  # a thousandth of an em
    #: the pieces drawn right to left in reading order (a number run of an Arabic line: "90+6" is
    #: drawn "6+90"): pdfium's order is the order drawn, so each piece starts at its own first
    #: glyph, with no invisible glyph reaching over the others. Reaching over them from one place
    #: at the run's left, the marks overlapped the pieces, and poppler, which starts a new line at a
    #: word that starts more than half an em before the end of the word left of it, set them on
    #: lines of their own ("و90+6" read "6" above "2 و+90")
    leftwards: bool

    @classmethod
    def of(cls, pieces: list[_Piece]) -> _Placing:
        count = len(pieces)
        left = min(piece.absolute(piece.glyphs[0][1]) for piece in pieces)
        right = max(piece.absolute(piece.end) for piece in pieces)
        unit = min(_scale(piece.origin.matrix, piece.origin.size) for piece in pieces)
        # pdfium's order: last piece first, every start left of the run's first glyph
        starts = [left - (PIECE_BEFORE + k * PIECE_STEP) * unit for k in range(count)]
        # (a piece's first glyph that draws: not the LTR_MARK a number's piece may start with,
        # drawn a hair left of its digits, where the dash before it in the drawing may end)
        firsts = [piece.absolute(next((x for code, x in piece.glyphs if _text(piece.fold, code) != LTR_MARK),
                                      piece.glyphs[0][1])) for piece in pieces]
        lasts = [piece.absolute(piece.end) for piece in pieces]
        leftwards = all(firsts[k + 1] < firsts[k] and lasts[k + 1] <= firsts[k] + 5 * unit
                        for k in range(count - 1))
        if leftwards:
            starts = [firsts[k] - (PIECE_MARK_WIDTH + 2 * k + 1)
                      * _scale(piece.origin.matrix, piece.origin.size) for k, piece in enumerate(pieces)]
        return cls(starts, firsts, lasts, right, unit, leftwards)

    def marks_moved(self, marks: dict[int, list[float]]) -> dict[int, list[float]]:
        """poppler's marks (_mark_ltr_run) left of the piece they were left of, start mark
        included, when the pieces are drawn leftwards."""
        if not self.leftwards:
            return marks
        return {index: [next((self.starts[k] - MARK_OFFSET * self.unit for k in range(len(self.starts))
                              if self.starts[k] <= x < self.lasts[k]), x) for x in xs]
                for index, xs in marks.items()}


def _mark_of(fold: FontFold, thousandths: float, text: str = PIECE_MARK) -> int | None:
    """An empty glyph that reads as ``text``, about ``thousandths`` of an em wide."""
    return fold.empty(text, units=round(thousandths * fold.units_per_em / 1000))


def _joins(pieces: list[_Piece]) -> set[int]:
    """The pieces that are a space or a sign between two words of letters ("Street theatre",
    "solar.example"); beside digits, or at the run's ends, pdfium needs the marks' direction
    ("2-1" read "1-2")."""
    return {k for k in range(1, len(pieces) - 1)
            if pieces[k].cls == "N" and pieces[k - 1].cls == pieces[k + 1].cls == "L"}


def _placed_piece(k: int, pieces: list[_Piece], placing: _Placing, joins: set[int]
                  ) -> list[tuple[int, float]] | None:
    """Piece ``k`` of a run as (code, x) to draw: its start mark (and the lead that reaches its
    first glyph), its glyphs, and its end mark (the first piece also a trail to the run's end);
    None when the glyph ids run out.

    pdfium takes a text object's first and last glyphs' widths for how far its neighbours may be
    above or below it and still be on its line, so the glyphs there are narrow; it drops a glyph
    drawn within 0.07 em of another of the same code, so no two are alike; poppler starts a new
    word at a glyph drawn within 0.1 em of the one before, so none is. pdfium lists the pieces
    last first: a piece's start mark and lead come after it, before the end mark of the piece
    after it, which alone sets pdfium's direction left to right for that piece (as the end mark
    of the first piece and the start mark of the last do for the run). The start mark and lead
    read right to left (PIECE_RTL_MARK, neutral to pypdf), so that each mark that reads left to
    right is matched: pdfium reads a line of a left-to-right document right to left only when it
    has as many right-to-left runs as left-to-right ones (a phone number and a date split in an
    Arabic line came out last first), and poppler counts them for the page."""
    count = len(pieces)
    piece = pieces[k]
    fold, glyphs = piece.fold, piece.glyphs

    def between(*ks: int, text: str = PIECE_MARK) -> str:
        """The text of a mark beside pieces ``ks``: JOIN_MARK beside a space or a sign between
        two words of letters, else ``text``."""
        return JOIN_MARK if joins.intersection(ks) else text

    start_text = PIECE_MARK if k == count - 1 else between(k, k + 1, text=PIECE_RTL_MARK)
    end_text = PIECE_MARK if k == 0 else between(k - 1, k)
    start_mark = _mark_of(fold, PIECE_MARK_WIDTH + 2 * k + 1, start_text)
    end_mark = _mark_of(fold, PIECE_MARK_WIDTH + 2 * k + 2, end_text)
    # pdf.js skips the marks (format characters) and reads a space that starts a text item as
    # nothing, so it lost a piece that is only a space ("ISO9001"): the lead that reaches it
    # carries one (or its start mark, when it has none). In the start mark, two characters wide
    # as one, the space is half a mark on from the mark, and poppler took the lead after it for
    # a duplicate and started a word at it, inside the run ("+" and "800 200 300")
    spaced = " " if all(code in fold.blank for code, _ in glyphs) else ""
    if start_mark is None or end_mark is None:
        return None
    at = piece.relative(placing.starts[k])
    first, last = glyphs[0][1], piece.end
    reached = at + fold.width(start_mark)
    placed: list[tuple[int, float]]
    if not placing.leftwards and first + PIECE_OVERLAP - reached >= 1:  # reaching over the first
        # poppler takes a glyph drawn within 0.1 em of the start of the one before for a
        # duplicate, and starts a word at it and at the glyph after it ("S" "treet"): the lead
        # starts that far left of the first glyph at least
        lead_at = min(reached, first - PIECE_DUPLICATE)
        lead = _mark_of(fold, first + PIECE_OVERLAP - lead_at, between(
            k, k + 1, text=PIECE_MARK if k == count - 1 else PIECE_RTL_MARK) + spaced)
        if lead is None:
            return None
        placed = [(start_mark, at), (lead, lead_at)]
    else:
        if spaced:
            start_mark = _mark_of(fold, PIECE_MARK_WIDTH + 2 * k + 1, start_text + spaced)
            if start_mark is None:
                return None
        placed = [(start_mark, at)]
    placed += glyphs
    trail_at = last - PIECE_OVERLAP if placing.leftwards else piece.relative(placing.starts[-1]) - PIECE_STEP
    rest = piece.relative(placing.right) - fold.width(end_mark) - trail_at
    if k == 0 and rest >= 1:  # on to the end of the group
        trail = _mark_of(fold, rest, between(k))
        if trail is None:
            return None
        placed.append((trail, trail_at))
    reach = piece.relative(placing.right if k == 0 else placing.starts[k - 1])
    placed.append((end_mark, reach - fold.width(end_mark)))
    return placed


def _pieces_for_pdfium(stream: list, group: list[tuple[int, FontFold, _Origin]], glyphs: list[_Glyph],
                       marks: dict[int, list[float]], edges: dict[int, list[tuple[int, float]]]
                       ) -> dict[int, list[bytes]]:
    """The pieces of _split_for_pdfium, from the run's glyphs in reading order: stream index →
    the lines that replace it (then each array's ``edges``, then poppler's ``marks``); empty
    when the run is one piece already."""
    pieces = _pieces(glyphs)
    if not _worth_splitting(pieces):
        return {}
    if len(pieces) == 2 and pieces[0].index == pieces[1].index \
            and {pieces[0].cls, pieces[1].cls} == {"L", "W"}:
        pair = _pair_for_pdfium(stream, pieces, marks)
        if pair is not None:
            return pair
    placing = _Placing.of(pieces)
    marks = placing.marks_moved(marks)
    lines: dict[int, list[bytes]] = {index: [] for index, _, _ in group}
    ordered: list[bytes] = []  # every piece's lines in reading order, fonts set where they change
    font = group[0][2].font
    joins = _joins(pieces)

    def draw(index: int, origin: _Origin, drawn: list[bytes]) -> None:
        nonlocal font
        lines[index] += drawn
        ordered.extend(([origin.font] if origin.font != font else []) + drawn)
        font = origin.font

    for k, piece in enumerate(pieces):
        placed = _placed_piece(k, pieces, placing, joins)
        if placed is None:
            return {}
        draw(piece.index, piece.origin, _drawn(placed, piece.fold, piece.origin))
    for index, fold, origin in group:
        if index in edges:
            draw(index, origin, _drawn(edges[index], fold, origin))
    for index, fold, origin in group:
        # poppler's marks (_mark_ltr_run), each a text object of its own after the pieces: in a
        # piece, reaching them would take a jump that pypdf reads as a space ("L 2")
        mark = fold.empty(RTL_MARK) if index in marks else None
        if mark is None:
            continue
        scale = _scale(origin.matrix, origin.size)
        draw(index, origin, [line for x in marks[index]
                             for line in _drawn([(mark, (x - origin.x) / scale)], fold, origin)])
    indices = [index for index, _, _ in group]
    if len(group) > 1 and all(i in indices or text_matrix_position(stream[i]) is not None
                              or tf_resource(stream[i]) is not None
                              for i in range(indices[0], indices[-1] + 1)):
        # nothing but positions and fonts between the arrays: every piece in reading order (for
        # pypdf), the font of the last array set again after them
        lines = {index: [] for index in indices}
        lines[indices[0]] = ordered + ([group[-1][2].font] if font != group[-1][2].font else [])
    for index, fold, origin in group:  # what follows an array continues where it ended
        lines[index] += _resumed(stream, index, fold, origin)
    if placing.leftwards:
        lines.update(_without_own_tm(stream, group[0][0]))
    return lines


def _inside_number(glyphs: list[_Glyph], k: int) -> bool:
    """True when glyph ``k`` of a run in reading order (_split_for_pdfium) is a single separator
    between two digits of one array ("," of "12,500", "." of "2.5"), or a digit after one."""
    def joiner(j: int) -> bool:
        return 0 < j < len(glyphs) - 1 and glyphs[j].text in _JOINERS \
            and _is_digit(glyphs[j - 1].text) and _is_digit(glyphs[j + 1].text) \
            and glyphs[j - 1].index == glyphs[j].index == glyphs[j + 1].index

    return joiner(k) or (_is_digit(glyphs[k].text) and joiner(k - 1))


def _leading_ltr_mark(glyphs: list[_Glyph]) -> list[_Glyph]:
    """The glyphs of a number run that WeasyPrint cut into several arrays (_split_for_pdfium), in
    reading order, with the LTR_MARK of the array that the reading starts in first and the other
    arrays' left out.

    _mark_ltr_run puts that mark first in each array of Arabic-Indic digits (pypdf reads them as
    neutral and starts its left-to-right run at the mark), drawn just left of the digits. Sorted
    with the glyphs by where they are drawn, the first number's mark came after its digits: a
    range of a display face, "٣–٢" in Noto Kufi around Amiri's dash, or one with spaces around
    its dash, "٢٠٢١ – ٢٠٢٣", was read by pypdf with its first number reversed at the start of the
    line ("١٢٠٢ الفترة – ٢٠٢٣"). One mark before the run serves the whole run (the dash and the
    digits after it are neutral to pypdf and stay in its run); another, between pieces drawn in
    other fonts, would be a piece of its own. The marks draw nothing: the page is the same."""
    marks = [g for g in glyphs if g.text == LTR_MARK]
    # the space that parts a table cell from the one before (mark_runs: an empty glyph that reads
    # as EDGE_TEXT, first in the cell's first array): sorted with the glyphs, it came after the
    # cell's first number, and pypdf and pdf.js read the cells glued ("الأولى٢٠٢١ – ٢٠٢٣")
    head: list[_Glyph] = []
    for g in glyphs:
        if g.index != glyphs[0].index or g.text not in (LTR_MARK, EDGE_TEXT):
            break
        if g.text == EDGE_TEXT:
            head.append(g)
    headed = {id(g) for g in head}
    rest = sorted((g for g in glyphs if g.text != LTR_MARK and id(g) not in headed),
                  key=lambda g: g.origin.x + g.x * _scale(g.origin.matrix, g.origin.size))
    rest = [rest[i] for i in _reading_order([g.text for g in rest])]
    lead = [next((m for m in marks if m.index == rest[0].index), marks[0])] if marks and rest else []
    return lead + head + rest


def _edges(items: list[tuple[str, float]], fold: FontFold, right: bool, left: bool,
           spaced_left: bool = False, right_text: str = EDGE_TEXT) -> list[tuple[str, float]]:
    """A right-to-left run's array with its edges marked, where another run of its line comes
    before it (drawn at its ``right``) and after it (at its ``left``).

    At each end, an edge glyph inside the space there, touching the letters (taken back at once
    at the right end, drawn in the space's stead at the left). And when the run's first drawn
    glyph (at its left) is a space or a full stop, an empty Arabic letter mark before it: pypdf
    reads such neutral characters into the run it is in, and handed them to the number before
    the run ("يتجاوز9."); it reads the edge glyph's two characters as one neutral one. Nothing
    else moves. ``spaced_left``: the run after it draws the space between them (a footnote call
    drawn as a space and digits)."""
    glyphs = [i for i, (kind, _) in enumerate(items) if kind == "g"]
    inked = [i for i in glyphs if fold.inked(int(items[i][1]))]
    if not inked:
        return items
    first, last = inked[0], inked[-1]
    # the marks drawn before the first letter (and the letter mark before them) are that
    # letter's: the edge goes before them, not between them and their letter ("المدني ّ")
    for k in range(first - 1, -1, -1):
        kind, value = items[k]
        if kind == "g" and not (fold.mark(int(value)) or int(value) in fold.placed
                                or _text(fold, int(value)) == ARABIC_MARK):
            break
        if kind == "g":
            first = k
    out = list(items)
    edge = fold.empty(EDGE_TEXT, advance=True)
    right_edge = fold.empty(right_text, advance=True)
    if right_edge is not None and right and any(int(items[i][1]) in fold.blank for i in glyphs if i > last):
        out[last + 1:last + 1] = [("g", right_edge), ("n", fold.width(right_edge))]
    if edge is not None and left and (spaced_left or any(int(items[i][1]) in fold.blank
                                                         for i in glyphs if i < first)):
        out[first:first] = [("n", fold.width(edge)), ("g", edge)]
    bases = fold.bases()
    text = fold.texts.get(bases.get(int(items[glyphs[0]][1]), int(items[glyphs[0]][1])), "")
    if text and unicodedata.bidirectional(text[0]) not in ("R", "AL", "NSM"):  # a mark reads with its letter
        mark = fold.empty(ARABIC_MARK)
        if mark is not None:
            out.insert(0, ("g", mark))
    return out


def _spaces_only(items: list[tuple[str, float]], fold: FontFold) -> bool:
    """True when an array draws spaces and nothing else."""
    glyphs = [int(value) for kind, value in items if kind == "g"]
    return bool(glyphs) and all(code in fold.blank for code in glyphs)


def _space_read(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """An array of a right-to-left line that draws only the space between two of its runs (a
    number and a link, inline code or struck-out words after it: render.spaces_inside has it
    drawn) with each space an empty glyph of the same advance that reads as EDGE_TEXT.

    pdf.js drops a space that is the only thing of a text item (it keeps a space only between
    two glyphs of one item) and read "2029تقريرا"; a glyph whose text starts with a letter mark
    is no space to it. Nothing moves."""
    out: list[tuple[str, float]] = []
    for kind, value in items:
        if kind == "g" and int(value) in fold.blank:
            units = fold.units(fold.width(int(value)))
            edge = fold.empty(EDGE_TEXT, units=units) if units else None
            if edge is not None:
                value = edge
        out.append((kind, value))
    return out


def _neutrals_right_to_left(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """An array of a right-to-left line that draws only neutral glyphs (the ")." after a number:
    "أقل (71%).") with an empty Arabic letter mark first, when it draws two glyphs or more.

    pypdf keeps neutral characters in the order drawn, left to right, unless a right-to-left
    character started the run: ".)" came out after the number. After the mark it reverses them,
    as every other reader does from the line's direction; searches skip the mark."""
    inked = [i for i, (kind, value) in enumerate(items) if kind == "g" and fold.inked(int(value))]
    if len(inked) < 2:
        # a guillemet of its own (one the display face lacks, drawn with Amiri in a title): pypdf
        # took it for a left-to-right letter and read the title's runs last first ("»X 5 نجمة«")
        return _neutral_for_pypdf(items, fold)
    items = _neutral_for_pypdf(items, fold)
    first = int(items[inked[0]][1])
    text = _text(fold, first)
    if len(text) == 1:  # pdf.js skips the empty mark: a letter mark in the glyph's own text
        copy = fold.labelled_copy(first, ARABIC_MARK + text)
        if copy is not None:
            items[inked[0]] = ("g", copy)
    mark = fold.empty(ARABIC_MARK)
    return [("g", mark), *items] if mark is not None else items


#: Each paired punctuation character that a font draws with its pair's glyph in right-to-left
#: text (Bidi_Mirrored), and that pair.
_MIRRORS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _drawn_mirrored(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A right-to-left array of a left-to-right document with each bracket, brace or guillemet
    drawn by a copy that reads as the character it was drawn for: the pair of the glyph's own.

    In right-to-left text the font draws "(" with the glyph of ")". In an English article (where
    finish.py maps such a glyph to its own character, for its English lines) the Arabic
    paragraph's "(وهو الثالث)" came out ")وهو الثالث(" in pypdf, poppler and pdf.js, which read
    a glyph's text as written; and when the Arabic came first, the English lines' brackets came
    out so (a glyph has one text in the ToUnicode map). pdfium, which mirrors what it reads right
    to left, still reads them mirrored, as in an Arabic article."""
    out = []
    for kind, value in items:
        if kind == "g":
            text = _text(fold, int(value))
            if text and text[-1] in _MIRRORS and (len(text) == 1 or text[:-1] == ARABIC_MARK):
                copy = fold.labelled_copy(int(value), text[:-1] + _MIRRORS[text[-1]])
                value = copy if copy is not None else value
        out.append((kind, value))
    return out


def _letters_spaced(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A right-to-left line whose words are single letters ("أ ف ب", an agency's credit) with an
    empty Arabic letter mark drawn at the end of its first letter, as part of that word.

    poppler joins the words of a line without spaces when every word is one character and the gaps
    between them are alike (it takes such a line for letters spaced out: "أفب", and no search
    found "أ", "ف" or "ب"); a word of two characters (the letter and the mark, which searches
    skip) makes it measure the gaps as word spaces. The other readers read the mark with the
    letter, or skip it."""
    words: list[list[int]] = [[]]  # the inked glyphs of each word, by index in items
    for i, (kind, value) in enumerate(items):
        if kind != "g":
            continue
        if int(value) in fold.blank:
            words.append([])
        elif fold.inked(int(value)):
            words[-1].append(i)
    words = [word for word in words if word]
    if len(words) < 2 or any(len(word) != 1 for word in words):
        return items
    mark = fold.empty(ARABIC_MARK)
    if mark is None:
        return items
    after = words[0][0] + 1
    return [*items[:after], ("g", mark), *items[after:]]


def _marks_after_neutrals(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A right-to-left array with an empty Arabic letter mark drawn between a neutral glyph and a
    mark that follows it.

    A mark is drawn before its letter in right-to-left text, so the mark of a word's last letter
    comes right after the full stop, comma or colon that ends the word ("صامتاً." is drawn ". ً ا…").
    pdfium's line bidi classes the mark as neutral, keeps it with the stop, and set it after the
    stop: "صامتا.ً" (no search finds the word). After a strong right-to-left mark, the mark goes
    with its letter; pdf.js skips the mark, and the other readers and searches ignore it. A mark
    drawn first in its array (on the last letter of a line's last word) gets an edge glyph (a
    letter mark and a space) before it: pdf.js added the mark to the text item it had, the line
    above ("لم يتحقّق.ً" and "الطوارئ أوّلا")."""
    out: list[tuple[str, float]] = []
    previous = ""
    relabelled: dict[int, int] = {}  # position → the copy drawn there instead (see below)
    for position, (kind, value) in enumerate(items):
        if kind == "g" and position in relabelled:
            value = relabelled[position]
        elif kind == "g":
            text = _text(fold, int(value))
            if text and unicodedata.category(text[0]) == "Mn" and (
                    not previous or unicodedata.bidirectional(previous[-1]) not in ("R", "AL", "NSM")):
                if previous:
                    mark = fold.empty(ARABIC_MARK)
                    out += [("g", mark)] if mark is not None else []
                    others = []  # the marks drawn right after it, on the same letter
                    for later, (later_kind, later_value) in enumerate(items[position + 1:], position + 1):
                        if later_kind != "g":
                            continue
                        later_text = _text(fold, int(later_value))
                        if not later_text or unicodedata.category(later_text[0]) != "Mn":
                            break
                        others.append((later, int(later_value), later_text))
                    if _pdfjs_left_to_right(previous[-1]):
                        # pdf.js skips the empty mark, takes "…" "—" "”" for left-to-right
                        # letters and the mark for one of theirs: "جداً…" read "جدا…ً". The
                        # mark reads after a letter mark of its own. The cost: pypdf, which
                        # keeps a glyph's text whole, gives "جدا؜ً…" (an invisible mark inside
                        # the word, which searches that skip bidi marks do not mind). Two marks
                        # ("مجانيٌّ”"): the first reads as the letter mark and both marks, the
                        # second as a letter mark alone; one each, pypdf set a letter mark
                        # between the two ("مهمّ؜ٌ", which NFKC cannot put back in order)
                        texts = [ARABIC_MARK + text + "".join(t for _, _, t in others),
                                 *[ARABIC_MARK] * len(others)]
                        codes = [int(value), *[code for _, code, _ in others]]
                        copies = [fold.labelled_copy(code, label, mark=True)
                                  for code, label in zip(codes, texts, strict=True)]
                        if all(copy is not None for copy in copies):
                            value = copies[0]
                            relabelled.update({later: copy for (later, _, _), copy
                                               in zip(others, copies[1:], strict=True)})
                else:
                    # first in its array: pdf.js adds a mark (Mn) to the text item it has, the
                    # line before; a glyph it reads as text and that advances (by a hair, taken
                    # back first) starts the line's own item
                    edge = fold.empty(EDGE_TEXT, advance=True)
                    out += [("n", fold.width(edge)), ("g", edge)] if edge is not None else []
            previous = text or previous
        out.append((kind, value))
    return out


def _pdfjs_left_to_right(char: str) -> bool:
    """A neutral character that pdf.js (4.10) classes as a left-to-right letter: its bidi knows
    Latin-1, Hebrew and Arabic, and calls every other character L ("…", "—", "“", "•")."""
    code = ord(char)
    return (code > 0xFF and unicodedata.bidirectional(char) in _NEUTRAL_CLASSES
            and not any(a <= code <= b for a, b in ((0x590, 0x5F4), (0x600, 0x8AC), (0xFB50, 0xFDFF),
                                                     (0xFE70, 0xFEFF))))


def _gaps_for_pypdf(items: list[tuple[str, float]], fold: FontFold) -> list[tuple[str, float]]:
    """A right-to-left array with each justification gap cut into steps that pypdf reads as no
    space (under 0.95 of half a space each), when another run comes after it on its line.

    pypdf adds a space at the first such gap of an array, but after what it has read so far,
    which in right-to-left text is the run's far (left) end: "و24" read as "و 24". The space
    glyph beside the gap is read where it stands, so no word loses its space; the pen, and so
    every glyph, stays where it was."""
    widths = [fold.width(code) for code in fold.blank if fold.width(code) > 0]
    if not widths:
        return items
    step = 0.4 * min(widths)
    out: list[tuple[str, float]] = []
    for kind, value in items:
        if kind == "n" and -value > step:
            out += [("n", part) for part in _steps(value, step)]
        else:
            out.append((kind, value))
    return out


def _steps(value: float, most: float) -> list[float]:
    """``value`` cut into steps of at most ``most``: equal ones, each a multiple of 1/1024, and a
    last one a little shorter, so that a reader adding them up one by one lands on ``value``
    exactly: every glyph after the move is drawn where it was."""
    pieces = math.ceil(abs(value) / (0.99 * most))
    base = math.copysign(math.ceil(abs(value) / pieces * 1024) / 1024, value)
    return [*[base] * (pieces - 1), value - base * (pieces - 1)]


def _raised(stream: list, line: list[int], rises: dict[int, float], fold: FontFold,
            size: float, leading: list[int]) -> None:
    """Draw a line's raised glyphs (WeasyPrint writes each in a TJ array of its own, under a text
    rise) on the baseline, as copies whose outline is raised by as much, so the line is one array;
    a raised mark is placed as in _marks_in_place too.

    pdfium takes a text rise for a new line or a gap once it is a quarter of a letter's width: a
    40 pt title's shadda came out as "غيّ ر" (raised 0.23 em), and a running head's on a line of
    its own; poppler split a body line's tanween raised by 0.05 em from its word ("دورا ًأكبر").
    The rise, in font units, is rounded to a whole unit (0.02 pt at 40 pt, 0.007 pt in the body).
    ``leading`` are the Ts lines before the line's first array: set to 0 when that array was
    raised (the line now draws on its baseline from its start). Nothing changes when a copy
    cannot be made."""
    first, last = line[0], line[-1]
    merged: list[tuple[str, float]] = []
    lifted: dict[int, int] = {}  # index in merged → the rise of that glyph, in font units
    for index in line:
        items = parse_tj(tj_operand(stream[index]))
        if rises[index]:
            dy = round(rises[index] * fold.units_per_em / size)
            lifted.update({len(merged) + k: dy for k, (kind, _) in enumerate(items) if kind == "g"})
        merged += items
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(merged):
        kind, value = merged[i]
        if i not in lifted:
            out.append((kind, value))
            i += 1
            continue
        code, dy = int(value), lifted[i]
        if fold.mark(code):
            placed = _placed(out, merged, i, fold, dy)
            if placed is not None:
                i = placed
                continue
        parts = tuple((*part, *((1.0,) if len(part) == 2 else ()), dy)[:4] for part in fold.parts_of(code))
        if any(len(part) != 4 or part[3] != dy for part in parts):
            return  # a copy already raised or scaled: left as WeasyPrint wrote it
        width = fold.width(code)
        copied = fold.merged(list(parts), max(width, fold.width_of(1)))
        if copied is None:
            return
        out += [("g", copied[0])] + ([("n", copied[1] - width)] if copied[1] != width else [])
        i += 1
    stream[first] = unparse_tj(out)
    for index in range(first + 1, last + 1):
        stream[index] = b""  # the other arrays, and the rises between them
    for index in leading:
        stream[index] = b"0 Ts"
    line[:] = [first]


def _fold_line(stream: list, indices: list[int], fold: FontFold | None) -> None:
    """Fold one line's TJ arrays (``stream[i]`` for i in ``indices``) in place."""
    items: list[tuple[str, float]] = []
    for index in indices:
        if items:
            items.append(("b", 0))  # the border between two arrays
        items += parse_tj(tj_operand(stream[index]))
    if fold is not None:
        items = fold_items(_joiners_drawn(items, fold), fold)
    arrays: list[list[tuple[str, float]]] = [[]]
    for item in items:
        if item[0] == "b":
            arrays.append([])
        else:
            arrays[-1].append(item)
    for index, array in zip(indices, arrays, strict=True):
        stream[index] = unparse_tj(array)


def _outline(glyf, name: str) -> tuple[int, tuple[int, int, int, int], int, int]:
    """(number of contours, bounds, points, contours drawn) of a glyph, read from its raw data
    unless it is a composite, without expanding (and so recompiling) simple glyphs."""
    glyph = glyf.glyphs[name]
    raw = getattr(glyph, "data", None)
    if raw is not None and not raw:
        return 0, (0, 0, 0, 0), 0, 0
    if raw is not None:
        contours = struct.unpack(">h", raw[:2])[0]
        bounds = struct.unpack(">4h", raw[2:10])
        if contours > 0:
            last = struct.unpack(">H", raw[10 + 2 * (contours - 1):12 + 2 * (contours - 1)])[0]
            return contours, bounds, last + 1, contours
    glyph = glyf[name]
    if not glyph.numberOfContours:
        return 0, (0, 0, 0, 0), 0, 0
    coordinates, ends, _ = glyph.getCoordinates(glyf)
    return (glyph.numberOfContours, (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax),
            len(coordinates), len(ends))


def _depth(glyf, name: str) -> int:
    """How deep a glyph's components nest (0 for a simple glyph)."""
    glyph = glyf[name]
    if not glyph.isComposite():
        return 0
    return 1 + max(_depth(glyf, component.glyphName) for component in glyph.components)


def _compose(composite: Glyph, parts: list[tuple[str, int]], glyf, maxp) -> tuple[int, int, int, int] | None:
    """Make ``composite`` draw each (glyph name, x offset) of ``parts``, raise maxp's composite
    limits for it, and return its bounds (None when nothing in it draws: it stays empty)."""
    components, boxes, points, drawn, depth = [], [], 0, 0, 0
    for base, dx, *rest in parts:
        contours, bounds, base_points, base_drawn = _outline(glyf, base)
        if not contours:
            continue
        xscale = rest[0] if rest else 1.0
        dy = rest[1] if len(rest) > 1 else 0
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = base, dx, dy, 0
        if xscale != 1.0:  # a horizontal scale only (kashida.py): offsets are never scaled at dx 0
            component.transform = [[xscale, 0.0], [0.0, 1.0]]
        components.append(component)
        boxes.append((math.floor(bounds[0] * xscale) + dx, bounds[1] + dy,
                      math.ceil(bounds[2] * xscale) + dx, bounds[3] + dy))
        points, drawn = points + base_points, drawn + base_drawn
        depth = max(depth, 1 + (_depth(glyf, base) if contours < 0 else 0))
    if not components:
        return None
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
           max(b[3] for b in boxes))
    composite.numberOfContours = -1
    composite.components = components
    composite.xMin, composite.yMin, composite.xMax, composite.yMax = box
    maxp.maxComponentElements = max(maxp.maxComponentElements, len(components))
    maxp.maxComponentDepth = max(maxp.maxComponentDepth, depth)
    maxp.maxCompositePoints = max(maxp.maxCompositePoints, points)
    maxp.maxCompositeContours = max(maxp.maxCompositeContours, drawn)
    return box


def program_with_copies(font: EmbeddedFont) -> bytes:
    """The font program with each copy added as a composite of its original (or, for a kashida
    merged into its letter, of its parts).

    Nothing the copies cannot change is recomputed (bounding boxes of existing glyphs): a copy
    has its parts' bounds, and maxp and hhea are raised by hand."""
    fold = font.fold
    tt = TTFont(io.BytesIO(b"".join(font.program.stream)), recalcTimestamp=False,
                recalcBBoxes=False)  # same input, same bytes
    order = tt.getGlyphOrder()
    glyf, hmtx, maxp, hhea = tt["glyf"], tt["hmtx"], tt["maxp"], tt["hhea"]
    vmtx = tt.get("vmtx")
    names: list[str] = []

    def add(name: str, parts: list[tuple[str, int]], units: int) -> None:
        """A glyph drawing each (glyph, x offset) of ``parts`` (none: an empty glyph), advancing
        by ``units``."""
        composite = Glyph()  # an empty glyph stays empty
        base = parts[0][0] if parts else order[0]
        box = _compose(composite, parts, glyf, maxp)
        if not parts:
            lsb = 0
        elif box is None or len(parts) == 1:
            # the original's own, moved with its outline (a renderer places the outline by it)
            lsb = hmtx.metrics[base][1] + parts[0][1]
        else:
            lsb = box[0]
        if box is not None:
            hhea.minRightSideBearing = min(hhea.minRightSideBearing, units - box[2])
        names.append(name)
        glyf.glyphs[name] = composite
        hmtx.metrics[name] = (units, lsb)
        hhea.advanceWidthMax = max(hhea.advanceWidthMax, units)
        if vmtx is not None:
            vmtx.metrics[name] = vmtx.metrics[base]

    notdef = order[0]
    for code in range(fold.glyph_count, fold.missing[0] if fold.missing else 0):
        names.append(f"{notdef}.unused{code}")  # ids nothing draws, before the missing ones
        glyf.glyphs[names[-1]] = Glyph()
        hmtx.metrics[names[-1]] = (0, 0)
        if vmtx is not None:
            vmtx.metrics[names[-1]] = (0, 0)
    for code in fold.missing:  # .notdef, where WeasyPrint's own encoding drew it for these codes
        add(f"{notdef}.missing{code}", [(notdef, 0)],
            round(fold.widths.get(code, 0) * fold.units_per_em / 1000))
    named = dict(enumerate(order))
    imported_codes = {}
    for code, imported in fold.imports.values():  # in the font before the copies that draw them
        named[code] = imported_codes[code] = f"imported{code}"
        glyf.glyphs[named[code]] = imported.glyph
        hmtx.metrics[named[code]] = (imported.units, imported.lsb)
        hhea.advanceWidthMax = max(hhea.advanceWidthMax, imported.units)
        hhea.minLeftSideBearing = min(hhea.minLeftSideBearing, imported.lsb)
        maxp.maxPoints = max(maxp.maxPoints, len(imported.glyph.coordinates))
        maxp.maxContours = max(maxp.maxContours, imported.glyph.numberOfContours)
        if vmtx is not None:
            vmtx.metrics[named[code]] = vmtx.metrics[notdef]
    for copy, parts, units in sorted([*fold.glyphs(), *((code, None, 0) for code in imported_codes)]):
        if parts is None:
            names.append(imported_codes[copy])
            continue
        name = f"{named[parts[0][0]]}.fold{copy}" if parts else f"empty.mark{copy}"
        add(name, [(named[code], *rest) for code, *rest in parts], units)
    for tag in _STALE_TABLES:
        if tag in tt:
            del tt[tag]
    tt.setGlyphOrder(order + names)
    glyf.glyphOrder = order + names
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


def _w_array(widths: dict[int, float]) -> pydyf.Array:
    """CID → width as a /W array of runs (``first [w w …]``)."""
    array, last = pydyf.Array(), None
    for cid in sorted(widths):
        if last is None or cid != last + 1:
            array += [cid, pydyf.Array()]
        width = widths[cid]
        array[-1].append(int(width) if float(width).is_integer() else width)
        last = cid
    return array


def _commit_copies(font: EmbeddedFont, program: bytes) -> None:
    """Put the rebuilt program and the new glyphs' widths into the PDF objects; where WeasyPrint
    had written its own encoding for missing glyphs, the font is Identity-H again (pypdf reads
    that encoding's codes as garbage: 3% of an article's words, measured)."""
    font.program.stream = [program]
    if "Length1" in font.program.extra:
        font.program.extra["Length1"] = len(program)
    fold = font.fold
    widths = dict(fold.widths)  # the missing codes with the advance they were drawn with
    if fold.missing:
        widths.update(dict.fromkeys(range(fold.glyph_count, fold.missing[0]), 0))
    widths.update({code: fold.width(code) for code, _, _ in fold.glyphs()})
    widths.update({code: fold.width(code) for code, _ in fold.imports.values()})
    font.cidfont["W"] = _w_array(widths)
    if fold.missing:
        font.type0["Encoding"] = "/Identity-H"
