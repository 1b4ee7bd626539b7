"""PDF (+ its source) → per article, the word spaces of justified body lines relative to the
natural space, and the kashidas (elongated joins) per line (bench/wordspace.py prints them).

Read from the PDF itself: every TJ array is placed (Tm, cm, Form XObjects), each glyph at its
origin with its advance from the embedded font program. A word space is the distance between
two neighbouring inked glyphs of a line with a space glyph between them, measured from the end
of the first one's natural advance to the second one's origin; the natural space is the font's
space advance at that size (Amiri at 10.5 pt: 3.07 pt). A glyph copy that glyphfold.py widened
over a gap (a one-component composite) is measured with its original's advance; an elongated
letter (a composite drawing the letter shifted right, the elongation at its left: a kashida,
the font's own or the justification's) with the letter where it stands, so an elongation never
counts as space.

Justified body lines: lines set mostly in the body font at the body size (the most common on
the article's pages), reaching the column's left and right edges (the right one less at most
two ems: a paragraph's indented first line), with a word space wider than natural or a kashida.
A paragraph's last line does not reach its far edge (it is not justified), headings and captions
are in another face or size. ``--source``: an issue manifest (each article on its own pages,
from the issue's bookmarks) or the article the PDF was built from (its name). Nothing here is
asserted (tests/test_kashida.py holds the goals); read the share of lines whose every word
space is under 1.5× natural.
"""

from __future__ import annotations

import io
import itertools
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

#: The goal: every word space of a line under this many natural spaces.
LOOSE = 1.5
#: Word-space ratio buckets reported (upper bounds).
BUCKETS = (1.0, 1.25, 1.5, 2.0, 3.0, float("inf"))
#: How far (pt) a line's end may be from its column's edge and still reach it.
EDGE = 0.75


@dataclass
class FontInfo:
    """What one embedded font tells about its codes: advance (/W), natural advance, text."""

    name: str
    widths: dict[int, float]
    natural: dict[int, float]  # code → the advance of what it reads as, where it stands
    inked: set[int]
    elongated: dict[int, float]  # letter drawn with an elongation at its left → its length
    texts: dict[int, str]

    def width(self, code: int) -> float:
        return self.widths.get(code, self.widths.get(-1, 0.0))


@dataclass
class Glyph:
    x: float  # origin, pt
    y: float  # baseline, pt
    advance: float  # natural advance, pt
    size: float
    font: FontInfo
    code: int

    @property
    def text(self) -> str:
        return self.font.texts.get(self.code, "")


@dataclass
class Line:
    page: int
    y: float
    glyphs: list[Glyph] = field(default_factory=list)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries (two-byte codes)."""
    texts: dict[int, str] = {}
    tokens = cmap.replace(b"[", b" [ ").replace(b"]", b" ] ").split()
    mode, i = None, 0

    def hexa(token: bytes) -> bytes:
        return bytes.fromhex(token.strip(b"<>").decode())

    while i < len(tokens):
        token = tokens[i]
        if token in (b"beginbfchar", b"beginbfrange"):
            mode = token
        elif token in (b"endbfchar", b"endbfrange"):
            mode = None
        elif mode == b"beginbfchar" and token.startswith(b"<"):
            texts[int.from_bytes(hexa(token), "big")] = hexa(tokens[i + 1]).decode("utf-16-be", "replace")
            i += 1
        elif mode == b"beginbfrange" and token.startswith(b"<"):
            first, last = (int.from_bytes(hexa(t), "big") for t in tokens[i:i + 2])
            if tokens[i + 2] == b"[":
                end = tokens.index(b"]", i + 3)
                for offset, value in enumerate(tokens[i + 3:end]):
                    texts[first + offset] = hexa(value).decode("utf-16-be", "replace")
                i = end
            else:
                start = int.from_bytes(hexa(tokens[i + 2]), "big")
                for offset in range(last - first + 1):
                    texts[first + offset] = chr(start + offset)
                i += 2
        i += 1
    return texts


def _w(array) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for code in range(first, int(items[i + 1]) + 1):
                widths[code] = float(items[i + 2])
            i += 3
    return widths


def _arabic_letters(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c) == "Lo" and "ARABIC" in unicodedata.name(c, "")
                              for c in text)


def _stroke(glyph, units_per_em: int) -> bool:
    """True for a glyph drawn as a low horizontal stroke on the baseline (a kashida)."""
    if not glyph.numberOfContours:
        return False
    return glyph.yMin > -0.1 * units_per_em and glyph.yMax < 0.15 * units_per_em \
        and glyph.xMax - glyph.xMin > glyph.yMax - glyph.yMin


def font_info(font: pikepdf.Dictionary, cache: dict) -> FontInfo | None:
    """A Type0 font with an embedded TrueType program (what this toolkit writes), else None."""
    key = font.objgen if font.is_indirect else id(font)
    if key in cache:
        return cache[key]
    info = None
    if font.get("/Subtype") == "/Type0":
        cid = font.DescendantFonts[0]
        program = cid.FontDescriptor.get("/FontFile2")
        widths = _w(cid.get("/W", []))
        widths[-1] = float(cid.get("/DW", 1000))
        texts = _to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
        natural, inked, elongated = {}, set(), {}
        if program is not None:
            tt = TTFont(io.BytesIO(program.read_bytes()))
            order, glyf, hmtx = tt.getGlyphOrder(), tt["glyf"], tt["hmtx"]
            scale = 1000 / tt["head"].unitsPerEm
            for code in range(len(order)):
                name = order[code]
                glyph = glyf[name]
                advance = hmtx[name][0]
                if glyph.numberOfContours:
                    inked.add(code)
                if glyph.isComposite():
                    first = glyph.components[0]
                    first_advance = hmtx[first.glyphName][0]
                    if len(glyph.components) == 1 and not (first.x or first.y) \
                            and not hasattr(first, "transform") and first_advance:
                        advance = first_advance  # a copy widened over a gap, or the same
                    elif len(glyph.components) > 1 and first.x > 0 and not first.y and first_advance \
                            and _arabic_letters(texts.get(code, "")) \
                            and all(_stroke(glyf[c.glyphName], tt["head"].unitsPerEm) and c.x < first.x
                                    for c in glyph.components[1:]):
                        advance = first.x + first_advance  # a letter, elongated at its left
                        elongated[code] = first.x * 1000 / tt["head"].unitsPerEm
                natural[code] = advance * scale
        info = FontInfo(str(font.get("/BaseFont", "")), widths, natural, inked, elongated, texts)
    cache[key] = info
    return info


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """m × n for PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def page_glyphs(page: pikepdf.Page, number: int, cache: dict) -> list[Glyph]:
    """Every glyph a page draws (in Form XObjects too), placed in default user space."""
    glyphs: list[Glyph] = []

    def walk(contents, resources, ctm: list[float], depth: int) -> None:
        fonts = resources.get("/Font", {}) if resources is not None else {}
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        stack: list[list[float]] = []
        tm = [1, 0, 0, 1, 0, 0]
        line = [1, 0, 0, 1, 0, 0]
        font, size, rise = None, 0.0, 0.0
        for operands, operator in pikepdf.parse_content_stream(contents):
            op = str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm":
                ctm = _multiply([float(v) for v in operands], ctm)
            elif op == "BT":
                tm, line = [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0]
            elif op == "Tm":
                tm = line = [float(v) for v in operands]
            elif op in ("Td", "TD"):
                line = tm = _multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], line)
            elif op == "Tf":
                entry = fonts.get(str(operands[0])) if hasattr(fonts, "get") else None
                font = font_info(entry, cache) if entry is not None else None
                size = float(operands[1])
            elif op == "Ts":
                rise = float(operands[0])
            elif op in ("TJ", "Tj"):
                items = operands[0] if op == "TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        for i in range(0, len(raw) - 1, 2):
                            code = raw[i] << 8 | raw[i + 1]
                            matrix = _multiply(tm, ctm)
                            if font is not None:
                                x = matrix[4]
                                y = matrix[5] + rise * matrix[3]
                                scale = abs(matrix[0]) * size / 1000
                                glyphs.append(Glyph(x, y, font.natural.get(code, font.width(code)) * scale,
                                                    abs(matrix[0]) * size, font, code))
                                advance = font.width(code) * size / 1000
                            else:
                                advance = 0.0
                            tm = _multiply([1, 0, 0, 1, advance, 0], tm)
                    else:
                        tm = _multiply([1, 0, 0, 1, -float(item) * size / 1000, 0], tm)
            elif op == "Do" and depth < 8:
                xobject = xobjects.get(str(operands[0])) if hasattr(xobjects, "get") else None
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), depth + 1)

    walk(page.obj, page.obj.get("/Resources"), [1, 0, 0, 1, 0, 0], 0)
    return glyphs


def lines_of(glyphs: list[Glyph], page: int) -> list[Line]:
    """Glyphs grouped by baseline (a raised or lowered glyph joins the line it sits on), each
    baseline cut where its glyphs leave a gap of more than 1.5 em with no space in it (two
    columns share baselines)."""
    kept = sorted((g for g in glyphs if g.code in g.font.inked or g.text.isspace()), key=lambda g: -g.y)
    rows: list[list[Glyph]] = []
    for glyph in kept:
        if rows and abs(rows[-1][0].y - glyph.y) <= 0.25 * max(glyph.size, rows[-1][0].size):
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        y = Counter(round(g.y, 1) for g in row).most_common(1)[0][0]
        current = Line(page, y)
        end = None
        for glyph in row:
            if end is not None and glyph.x - end > 1.5 * glyph.size and not glyph.text.isspace():
                lines.append(current)
                current = Line(page, y)
            current.glyphs.append(glyph)
            if not glyph.text.isspace():
                end = glyph.x + glyph.advance if end is None else max(end, glyph.x + glyph.advance)
        lines.append(current)
    return lines


def _advancing(glyph: Glyph) -> bool:
    return glyph.code in glyph.font.inked and glyph.advance > 0.01


def word_spaces(line: Line) -> list[float]:
    """Each word space of the line, as a multiple of its natural space."""
    inked = sorted((g for g in line.glyphs if _advancing(g)), key=lambda g: g.x)
    spaces = sorted((g for g in line.glyphs if g.text.isspace() and g.text), key=lambda g: g.x)
    ratios = []
    for before, after in itertools.pairwise(inked):
        end = before.x + before.advance
        inside = [s for s in spaces if end - 0.5 <= s.x <= after.x + 0.01]
        if not inside:
            continue
        natural = max(s.font.natural.get(s.code, s.font.width(s.code)) * s.size / 1000 for s in inside)
        if natural > 0:
            ratios.append((after.x - end) / natural)
    return ratios


@dataclass
class Measured:
    """One justified body line: its word spaces (× natural) and its kashidas."""

    page: int
    spaces: list[float]
    kashidas: int


def justified_body_lines(lines: list[Line]) -> list[Measured]:
    """The lines of an article's pages that are justified body text (see the module's doc)."""
    letters = Counter((g.font.name, round(g.size, 2)) for line in lines for g in line.glyphs
                      if _advancing(g) and _arabic_letters(g.text))
    if not letters:
        letters = Counter((g.font.name, round(g.size, 2)) for line in lines for g in line.glyphs
                          if _advancing(g))
    if not letters:
        return []
    (body_font, body_size), _ = letters.most_common(1)[0]
    body = []
    for line in lines:
        inked = [g for g in line.glyphs if _advancing(g)]
        if not inked:
            continue
        share = sum((g.font.name, round(g.size, 2)) == (body_font, body_size) for g in inked) / len(inked)
        if share > 0.5:
            body.append((line, min(g.x for g in inked), max(g.x + g.advance for g in inked)))
    lefts = Counter((line.page, round(left * 2) / 2) for line, left, _ in body)
    rights = Counter((line.page, round(right * 2) / 2) for line, _, right in body)
    column_lefts = {key for key, count in lefts.items() if count >= 3}
    column_rights = {key for key, count in rights.items() if count >= 3}
    em = body_size
    found = []
    for line, left, right in body:
        at_left = any(p == line.page and abs(left - x) <= EDGE for p, x in column_lefts)
        at_right = any(p == line.page and -EDGE <= x - right <= 2 * em + EDGE and x > left + 10 * em
                       for p, x in column_rights)
        if not (at_left and at_right):
            continue
        spaces = word_spaces(line)
        kashidas = sum(g.code in g.font.elongated for g in line.glyphs)
        if kashidas or any(r > 1.02 for r in spaces):
            found.append(Measured(line.page, spaces, kashidas))
    return found


def pdf_lines(pdf: Path, pages: range | None = None) -> list[Line]:
    """Every line of the PDF's pages (or of ``pages``), as lines_of groups them."""
    cache: dict = {}
    with pikepdf.open(pdf) as document:
        lines = []
        for number, page in enumerate(document.pages):
            if pages is None or number in pages:
                lines += lines_of(page_glyphs(page, number, cache), number)
        return lines


def measure(pdf: Path, pages: range | None = None) -> list[Measured]:
    """The justified body lines of the PDF's pages (or of ``pages``)."""
    cache: dict = {}
    with pikepdf.open(pdf) as document:
        lines = []
        for number, page in enumerate(document.pages):
            if pages is None or number in pages:
                lines += lines_of(page_glyphs(page, number, cache), number)
        return justified_body_lines(lines)


def summary(measured: list[Measured]) -> dict:
    """The share of lines whose every word space is under LOOSE× natural, the distribution of
    all word spaces, and kashidas per line."""
    spaces = [r for m in measured for r in m.spaces]
    good = sum(all(r < LOOSE for r in m.spaces) for m in measured)
    buckets, low = {}, 0.0
    for high in BUCKETS:
        label = f"<{high:g}" if high != float("inf") else f">={low:g}"
        buckets[label] = sum(low <= r < high for r in spaces) if low else sum(r < high for r in spaces)
        low = high
    kashidas = [m.kashidas for m in measured]
    return {
        "lines": len(measured),
        "share_under": round(good / len(measured), 4) if measured else None,
        "spaces": len(spaces),
        "space_ratio": {
            "median": round(statistics.median(spaces), 3) if spaces else None,
            "p90": round(statistics.quantiles(spaces, n=10)[-1], 3) if len(spaces) > 1 else None,
            "max": round(max(spaces), 3) if spaces else None,
            "buckets": buckets,
        },
        "kashidas_per_line": {
            "mean": round(statistics.mean(kashidas), 2) if kashidas else None,
            "max": max(kashidas) if kashidas else None,
            "counts": dict(sorted(Counter(kashidas).items())),
        },
    }


def articles(pdf: Path, source: Path | None) -> list[tuple[str, range | None]]:
    """(name, page indexes) of each article in the PDF."""
    if source is not None and source.suffix.lower() in (".yaml", ".yml"):
        from pressroom import issue
        from pressroom.project import Project
        from pressroom.sources import manifest

        parts = issue.article_pages(pdf, manifest.load(source, Project.find(source.parent)))
        return [(article.path.stem if article.path else article.title, pages) for article, pages in parts]
    return [((source or pdf).stem, None)]
