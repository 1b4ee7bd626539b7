"""Justified right-to-left lines → part of their widened word spaces given to kashidas: joins
elongated with the font's own tatweel, each drawn by a copy of the letter before it that reads
as that letter, so the page keeps its line widths and the text layer its words.

WeasyPrint justifies a line by widening its word spaces only (``TextBox.justification_spacing``):
a loose Arabic line shows gaps of two or three spaces. Arabic typography lengthens the joins
between letters instead. This pass runs on WeasyPrint's TJ arrays before glyphfold.py folds them:

* In each justified right-to-left line whose ``--justify`` is ``kashida`` (the layouts' token;
  unset means kashida too), the extra width beyond ``KEEP`` of a natural space per word space is
  the kashidas' budget. A paragraph's last line is never touched.
* The joins that may take a kashida are found per word, with ALREQ's order of preference
  (``site_class``): after seen and sad, before a final heh, teh marbuta or dal, before a final
  alef, lam, kaf or tah, before a medial beh-like letter followed by reh or yeh, before a final
  waw, ain, qaf or feh, before any other final letter, then between medial letters. Never inside
  a glyph (lam-alef and the font's other ligatures are one glyph), never beside a mark, never
  where the font already put a kashida or moved the letters apart, never across a run, and only
  where both letters' outlines meet the tatweel's stroke at the join (``_meets``): a join the
  font draws off the baseline (Amiri's stacked forms) is left alone.
* One kashida per word, in the best places of the line, each as long as the others; a second in
  a word only when one per word would be longer than ``LONGEST``. Whatever the kashidas do not
  take stays in the spaces, equally.
* A kashida is drawn by a composite copy of the letter before the join (glyphfold.FontFold):
  the letter shifted right by the elongation, and at its left the font's tatweel (of its
  lengths, the closest; Amiri has several) scaled horizontally to the elongation. The copy's
  advance is the letter's plus the elongation, in hmtx and /W alike; its ToUnicode text is the
  letter's, so no U+0640 appears in extracted text. The glyphs after it in the array move with
  it, the spaces give the same width back, and each other array of the line (a number run, an
  emphasis) moves by what was added before it: every line keeps its exact ends.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pydyf
from fontTools.pens.pointInsidePen import PointInsidePen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from pressroom.layout import weasy
from pressroom.layout.cssdiag import JUSTIFY_VALUES
from pressroom.layout.weasy import Document, UsedFont
from pressroom.pdf.glyphfold import EmbeddedFont, FontFold, Imported, parse_tj, unparse_tj
from pressroom.pdf.glyphtext import TATWEEL

#: The ``--justify`` values: kashidas first, or WeasyPrint's spaces only (cssdiag.py warns of
#: any other).
KASHIDA, SPACES = JUSTIFY_VALUES
#: How much wider than natural (a share of the space) a word space stays before kashidas take
#: the rest.
KEEP = 0.3
#: Kashida lengths, in ems of the line's text: the length aimed at, the shortest worth drawing,
#: and the longest before a word gets a second one (or the spaces keep the rest).
AIM = 0.5
SHORTEST = 0.1
LONGEST = 0.9
#: A composite's scale must stay under 2 (F2Dot14).
MAX_SCALE = 1.95
#: The spaces justification widens (WeasyPrint 70: word-spacing on these).
STRETCHED = (" ", "\u00a0")

# Letters by how they join (Unicode ArabicShaping.txt): right-joining ones join only the letter
# before them; dual-joining ones (every other Arabic letter but hamza) both sides.
_RIGHT_JOINING = set("\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648\u0671\u0672"
                     "\u0673\u0675\u0676\u0677\u06c0\u06c3\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca"
                     "\u06cb\u06cd\u06cf\u06d2\u06d3\u06d5\u06ee\u06ef") \
    | {chr(c) for c in range(0x0688, 0x069A)}
_NON_JOINING = set("\u0621\u0674\u06fd\u06fe")
SEEN_SAD = set("\u0633\u0634\u0635\u0636\u069a\u069b\u069c\u069d\u069e")
HEH_TEH_DAL = set("\u0647\u0629\u06c1\u06c3\u06d5\u062f\u0630\u0688\u0689\u068a")
ALEF_LAM_KAF_TAH = set("\u0627\u0623\u0625\u0622\u0671\u0644\u0643\u06a9\u06af\u0637\u0638")
BEH_LIKE = set("\u0628\u062a\u062b\u0646\u064a\u0649\u0626\u067e\u06cc\u0679\u067b\u067e")
REH_YEH = set("\u0631\u0632\u0698\u064a\u0649\u06cc")
WAW_AIN_QAF_FEH = set("\u0648\u0624\u0639\u063a\u0642\u0641\u06a4")
ALEFS = set("\u0627\u0623\u0625\u0622\u0671")
LAM = "\u0644"


def joining(char: str) -> str:
    """"D" (dual), "R" (right) or "U" (none) for a character."""
    if not ("\u0620" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\u08a0" <= char <= "\u08ff"):
        return "U"
    if char in _RIGHT_JOINING:
        return "R"
    if char in _NON_JOINING or not char.isalpha():
        return "U"
    return "D"


def site_class(after: str, before: str, final: bool, next_letter: str) -> int | None:
    """Where a join ranks for a kashida (0 best), None where it must take none. ``after`` is the
    letter before the join in reading order (its copy draws the kashida), ``before`` the one
    after it, ``final`` when that one ends the word, ``next_letter`` the one after that."""
    if after == LAM and before in ALEFS:
        return None
    if after in SEEN_SAD:
        return 0
    if final and before in HEH_TEH_DAL:
        return 1
    if final and before in ALEF_LAM_KAF_TAH:
        return 2
    if not final and before in BEH_LIKE and next_letter in REH_YEH:
        return 3
    if final and before in WAW_AIN_QAF_FEH:
        return 4
    if final:
        return 5
    return 6


@dataclass
class Slot:
    """One glyph of a line: where its code is (array, item), where it is drawn (CSS px)."""

    array: int
    item: int
    code: int
    x: float
    text: str


@dataclass
class Array:
    """One TJ array of a line: its stream line, its font and size, its items."""

    stream: pydyf.Stream
    index: int
    font: EmbeddedFont | None
    size: float  # CSS px
    items: list[tuple[str, float]]
    segment: int  # the Tm it is drawn after (several arrays follow one Tm around a raised mark)
    inserts: dict[int, float] = field(default_factory=dict)  # item → a number to put around it


@dataclass
class Segment:
    """The arrays drawn after one ``Tm``: its stream line and position."""

    stream: pydyf.Stream
    index: int
    x: float


@dataclass
class Site:
    word: int
    rank: int
    slot: Slot  # the letter whose copy draws the kashida


class FontShapes:
    """A font's own outlines (the whole font, not the subset): where joins meet, and its
    tatweel glyphs."""

    def __init__(self, used: UsedFont, texts: dict[int, str]) -> None:
        self.font = TTFont(io.BytesIO(used.data), fontNumber=used.index, lazy=True)
        self.tatweel_ids = sorted(gid for gid, text in texts.items() if text == TATWEEL)
        self.order = self.font.getGlyphOrder()
        self.glyphs = self.font.getGlyphSet()
        self.units_per_em = self.font["head"].unitsPerEm
        self._inside: dict[tuple[int, int, int], bool] = {}

    @cached_property
    def tatweels(self) -> list[tuple[int, int, Imported]]:
        """(glyph id, advance, the glyph to import) of every tatweel the font draws with a
        width of its own and a low stroke on the baseline, shortest first."""
        found = []
        hmtx = self.font["hmtx"]
        for gid in self.tatweel_ids:
            name = self.order[gid]
            advance, _ = hmtx[name]
            if advance <= 0:
                continue
            recording = DecomposingRecordingPen(self.glyphs)
            self.glyphs[name].draw(recording)
            pen = TTGlyphPen(None)
            recording.replay(pen)
            glyph = pen.glyph()
            glyph.recalcBounds(None)
            if not glyph.numberOfContours or glyph.yMin < -0.1 * self.units_per_em \
                    or glyph.yMax > 0.15 * self.units_per_em:
                continue
            found.append((gid, advance, Imported(glyph, advance, glyph.xMin)))
        return sorted(found, key=lambda t: (t[1], t[0]))

    @cached_property
    def stroke(self) -> tuple[int, int] | None:
        """The height band (bottom, top) the tatweels' stroke has in common."""
        if not self.tatweels:
            return None
        return max(t[2].glyph.yMin for t in self.tatweels), min(t[2].glyph.yMax for t in self.tatweels)

    def inside(self, gid: int, x: int, y: int) -> bool:
        key = (gid, x, y)
        if key not in self._inside:
            pen = PointInsidePen(self.glyphs, (x, y))
            self.glyphs[self.order[gid]].draw(pen)
            self._inside[key] = pen.getResult()
        return self._inside[key]

    def meets(self, left: int, right: int) -> bool:
        """True when glyph ``left`` reaches its advance's end, and glyph ``right`` its origin,
        with ink across the tatweel's stroke: a join on the baseline that a tatweel continues."""
        band = self.stroke
        if band is None or left >= len(self.order) or right >= len(self.order):
            return False
        low, high = band
        points = [(d, height) for d in (1, max(2, self.units_per_em // 50))
                  for height in ((low + high) // 2, low + (high - low) // 4)]
        advance = self.font["hmtx"][self.order[left]][0]
        return all(self.inside(left, advance - d, height) for d, height in points) \
            and all(self.inside(right, d, height) for d, height in points)


class Justifier:
    """The pass for one document: which lines to touch (from its box tree) and the fonts' own
    shapes. Called by glyphfold.fold_text with WeasyPrint's PDF objects and embedded fonts."""

    def __init__(self, document: Document, used: dict[bytes, UsedFont],
                 texts: Callable[[bytes, int], dict[int, str]]) -> None:
        self.lines = [line for line in weasy.justified_lines(document)
                      if line.direction == "rtl" and line.justify in ("", KASHIDA) and not line.last]
        self.used = used
        self.texts = texts
        self._shapes: dict[bytes, FontShapes | None] = {}
        self.kashidas = 0  # drawn in the last run (for the tests and the bench)

    def shapes(self, font: EmbeddedFont) -> FontShapes | None:
        name = font.type0["BaseFont"]
        if name not in self._shapes:
            used = self.used.get(name)
            shapes = None
            if used is not None and used.data and not used.bitmap and font.fold is not None:
                def make(used: UsedFont = used) -> FontShapes:
                    return FontShapes(used, self.texts(used.data, used.index))

                held = getattr(self.texts, "held", None)  # a GlyphTexts keeps them between builds
                shapes = held("kashida", used.data, used.index, make) if held else make()
            self._shapes[name] = shapes
        return self._shapes[name]

    def __call__(self, pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont]) -> None:
        self.kashidas = 0
        if not self.lines:
            return
        streams = weasy.page_streams(pdf)
        by_page: dict[int, list[weasy.JustifiedLine]] = {}
        for line in self.lines:
            by_page.setdefault(line.page, []).append(line)
        for page, lines in by_page.items():
            if page < len(streams):
                self._page(streams[page], lines, fonts)

    def _page(self, stream: pydyf.Stream, lines: list[weasy.JustifiedLine],
              fonts: dict[bytes, EmbeddedFont]) -> None:
        segments: list[Segment] = []
        arrays: list[tuple[float, Array]] = []  # (baseline, array)
        font, size, y = None, 0.0, None
        for index, item in enumerate(stream.stream):
            resource = weasy.tf_resource(item)
            if resource is not None:
                font, size = fonts.get(resource), weasy.font_size(item)
                continue
            moved = weasy.text_matrix_position(item)
            if moved is not None:
                segments.append(Segment(stream, index, moved[0]))
                y = moved[1]
                continue
            operand = weasy.tj_operand(item)
            if operand is not None and segments and y is not None:
                arrays.append((y, Array(stream, index, font, size, parse_tj(operand), len(segments) - 1)))
        for line in lines:
            inside = [(baseline, array) for baseline, array in arrays
                      if line.left - 1 <= segments[array.segment].x <= line.right + 1]
            mine = [array for baseline, array in inside if abs(baseline - line.baseline) < ON_BASELINE]
            # a footnote call (smaller, raised) moves with the words around it, or the number
            # before it was drawn over it ("1,500" moved left under its call, "١1,500")
            riders = [array for baseline, array in inside if ON_BASELINE <= abs(baseline - line.baseline)
                      <= RIDING * array.size and array.size < SMALLER * line_size(mine)]
            if mine:
                self._line(line, mine, segments, riders)

    def _line(self, line: weasy.JustifiedLine, arrays: list[Array], segments: list[Segment],
              riders: list[Array] = ()) -> None:
        slots: list[Slot] = []
        pens: dict[int, float] = {}
        for number, array in enumerate(arrays):
            pen = pens.get(array.segment, segments[array.segment].x)
            fold = array.font.fold if array.font is not None else None
            scale = array.size / 1000
            for item, (kind, value) in enumerate(array.items):
                if kind == "n":
                    pen -= value * scale
                    continue
                code = int(value)
                text = fold.texts.get(code, "") if fold is not None else ""
                slots.append(Slot(number, item, code, pen, text))
                pen += (fold.width(code) if fold is not None else 0) * scale
            pens[array.segment] = pen
        # every space gives width back but one where a fallback font takes over within a run
        # (a bracket the font lacks): readers rebuild words from the gap there (pdf.js, poppler);
        # nor a space drawn alone between two inline boxes (its own text object: the only array
        # after its Tm; render.spaces_inside has it drawn for the readers), which keeps the width
        # it had when WeasyPrint did not draw it: the page stays the same pixels
        per_segment = Counter(array.segment for array in arrays)
        alone = {number for number, array in enumerate(arrays) if per_segment[array.segment] == 1} \
            - {slot.array for slot in slots if slot.text not in STRETCHED}
        spaces = [slot for slot in slots if slot.text in STRETCHED and slot.array not in alone
                  and not _at_font_change(slot, arrays)]
        if not spaces:
            return
        space_width = max(arrays[s.array].font.fold.width(s.code) * arrays[s.array].size / 1000
                          for s in spaces)
        em = max(array.size for array in arrays)
        extra = line.spacing * len(spaces)
        budget = extra - len(spaces) * KEEP * space_width
        if budget < SHORTEST * em:
            return
        sites = self._sites(slots, arrays)
        chosen = choose(sites, budget, em)
        if not chosen:
            return
        moves: list[tuple[int, float, float]] = []  # (array, x, how far what follows moves)
        for site, length in chosen:
            added = self._elongate(site.slot, arrays[site.slot.array], length)
            if added:
                moves.append((site.slot.array, site.slot.x, added))
        used = sum(added for _, _, added in moves)
        if not used:
            return
        self.kashidas += len(moves)
        share = used / len(spaces)  # what each space gives back (CSS px)
        for space in spaces:
            array = arrays[space.array]
            array.inserts[space.item] = share * 1000 / array.size
            moves.append((space.array, space.x, -share))
        for array in arrays:
            items = []
            for item, entry in enumerate(array.items):
                # half before the space and half after it, as WeasyPrint's spacing is
                if item in array.inserts:
                    items.append(("n", array.inserts[item] / 2))
                items.append(entry)
                if item in array.inserts:
                    items.append(("n", array.inserts[item] / 2))
            array.stream.stream[array.index] = unparse_tj(items)
        own = {array.segment for array in arrays}
        for number in sorted(own | {array.segment for array in riders}):
            segment = segments[number]
            shift = sum(delta for index, position, delta in moves
                        if arrays[index].segment != number and position < segment.x)
            if shift:
                segment.stream.stream[segment.index] = weasy.moved_text_matrix(
                    segment.stream.stream[segment.index], shift)

    def _sites(self, slots: list[Slot], arrays: list[Array]) -> list[Site]:
        """Every join of the line that may take a kashida (see the module's doc)."""
        words: list[list[Slot]] = [[]]
        for slot in slots:
            if slot.text.isspace() or (words[-1] and words[-1][-1].array != slot.array):
                words.append([])
            if not slot.text.isspace():
                words[-1].append(slot)
        sites = []
        for number, word in enumerate(words):
            array = arrays[word[0].array] if word else None
            fold = array.font.fold if array is not None and array.font is not None else None
            if fold is None or any(slot.text == TATWEEL and fold.width(slot.code) > 0 for slot in word):
                continue  # the font lengthened a join of it already
            letters = [slot for slot in word if fold.inked(slot.code)]
            for position in range(1, len(letters)):
                rank = self._rank(letters, position, array)
                if rank is not None:
                    sites.append(Site(number, rank, letters[position]))
        return sites

    def _rank(self, letters: list[Slot], position: int, array: Array) -> int | None:
        """The rank of the join between ``letters[position - 1]`` (drawn first: the letter after
        the join in reading order) and ``letters[position]``, None when it takes no kashida."""
        left, right = letters[position - 1], letters[position]
        fold = array.font.fold
        if right.item != _next_glyph_item(array.items, left.item):
            return None  # something between them: a mark or dots of the right one, drawn first
        if any(array.items[i][1] for i in range(left.item + 1, right.item)):
            return None  # the font moved them apart (kerning, an attachment)
        if len(left.text) != 1 or len(right.text) != 1:
            return None
        if joining(right.text) != "D" or joining(left.text) not in ("D", "R"):
            return None
        before = _previous_glyph_item(array.items, left.item)
        after = _next_glyph_item(array.items, right.item)
        for index in (before, after):  # a vowel mark beside either letter
            if index is not None and _is_mark(fold.texts.get(int(array.items[index][1]), "")):
                return None
        rank = site_class(right.text, left.text, position == 1,
                          letters[position - 2].text if position >= 2 else "")
        if rank is None:
            return None
        shapes = self.shapes(array.font)
        if shapes is None or not shapes.meets(left.code, right.code):
            return None
        return rank

    def _elongate(self, slot: Slot, array: Array, length: float) -> float:
        """Draw the letter of ``slot`` with a kashida of about ``length`` CSS px at its left;
        the width it added (CSS px), 0 when it could not."""
        fold: FontFold = array.font.fold
        shapes = self.shapes(array.font)
        units = math.floor(length / array.size * fold.units_per_em)
        tatweels = shapes.tatweels if shapes is not None else []
        if units < 1 or not tatweels:
            return 0.0
        parts = self._stroke(fold, tatweels, units)
        if parts is None:
            return 0.0
        base = slot.code
        copied = fold.merged([(base, units), *parts], fold.width(base) + fold.width_of(units))
        if copied is None:
            return 0.0
        code, width = copied
        array.items[slot.item] = ("g", code)
        return (width - fold.width(base)) * array.size / 1000


    @staticmethod
    def _stroke(fold: FontFold, tatweels: list[tuple[int, int, Imported]], units: int) -> list | None:
        """The parts drawing a kashida ``units`` long: the font's tatweel whose length is the
        closest, scaled horizontally at the join's left end (at offset 0, so that no renderer
        scales the offset too); a kashida more than MAX_SCALE times the longest tatweel is that
        tatweel unscaled as often as needed after a scaled one. None when the glyph ids run out."""
        gid, advance, glyph = min(tatweels, key=lambda t: abs(math.log(units / t[1])))
        repeats = 0
        if units / advance >= MAX_SCALE:
            gid, advance, glyph = tatweels[-1]
            repeats = math.floor(units / advance - 0.5)  # the scaled one: 0.5 to 1.5 tatweels
        imported = fold.imported(("tatweel", gid), glyph)
        if imported is None:
            return None
        rest = units - repeats * advance
        parts: list = [(imported, 0, round(rest / advance * 16384) / 16384)]
        parts += [(imported, rest + k * advance) for k in range(repeats)]
        return parts


#: How far (in its own size) the baseline of a smaller array may be from its justified line's for
#: it to move with the line's words: a footnote call, raised a quarter of an em.
RIDING = 0.5
#: (Points.) An array whose baseline is this close to the line's is the line's own.
ON_BASELINE = 0.01
#: A rider is smaller than the line's text: at most this share of its size (a call is set at about
#: two thirds; a word of the line in another face is not a rider).
SMALLER = 0.95


def line_size(arrays: list[Array]) -> float:
    """The largest size of a line's arrays (CSS px), 0 for none."""
    return max((array.size for array in arrays), default=0.0)


def _at_font_change(slot: Slot, arrays: list[Array]) -> bool:
    """True for a glyph at the end of its array where the next array of its run (no Tm between)
    is in another font, or at the start where the previous one is."""
    array = arrays[slot.array]
    neighbours = []
    if _previous_glyph_item(array.items, slot.item) is None and slot.array > 0:
        neighbours.append(arrays[slot.array - 1])
    if _next_glyph_item(array.items, slot.item) is None and slot.array + 1 < len(arrays):
        neighbours.append(arrays[slot.array + 1])
    return any(other.segment == array.segment and other.font is not array.font for other in neighbours)


def _is_mark(text: str) -> bool:
    """True for a vowel or other combining mark (a font's dots, drawn apart, read as tatweel)."""
    return bool(text) and all(unicodedata.category(char) in ("Mn", "Me") for char in text)


def _next_glyph_item(items: list[tuple[str, float]], index: int) -> int | None:
    for i in range(index + 1, len(items)):
        if items[i][0] == "g":
            return i
    return None


def _previous_glyph_item(items: list[tuple[str, float]], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        if items[i][0] == "g":
            return i
    return None


def _spread(count: int) -> list[int]:
    """0..count-1 in an order that spreads the first ones across the range (bit reversal)."""
    bits = max(1, (count - 1).bit_length())
    order = sorted(range(1 << bits), key=lambda i: int(f"{i:0{bits}b}"[::-1], 2))
    return [i for i in order if i < count]


def choose(sites: list[Site], budget: float, em: float) -> list[tuple[Site, float]]:
    """The sites to elongate, each with its length (CSS px): one per word in the words' best
    places, ranked by ALREQ's preference and spread over the line, as many as make each about
    AIM ems; a second one in a word only when one per word would be longer than LONGEST."""
    best: dict[int, list[Site]] = {}
    for site in sites:
        best.setdefault(site.word, []).append(site)
    for word in best.values():
        word.sort(key=lambda s: s.rank)
    firsts = [word[0] for word in best.values()]
    seconds = [word[1] for word in best.values() if len(word) > 1]
    if not firsts:
        return []

    def ordered(candidates: list[Site]) -> list[Site]:
        out = []
        for rank in sorted({s.rank for s in candidates}):
            same = sorted((s for s in candidates if s.rank == rank), key=lambda s: s.word)
            out += [same[i] for i in _spread(len(same))]
        return out

    count = max(1, min(len(firsts), round(budget / (AIM * em))))
    picked = ordered(firsts)[:count]
    if budget / len(picked) > LONGEST * em and seconds:
        more = min(len(seconds), math.ceil(budget / (LONGEST * em)) - len(picked))
        picked += ordered(seconds)[:max(0, more)]
    length = min(budget / len(picked), LONGEST * em)
    if length < SHORTEST * em:
        count = max(1, int(budget / (SHORTEST * em)))
        picked, length = picked[:count], budget / count
        if length < SHORTEST * em:
            return []
    return [(site, length) for site in picked]
