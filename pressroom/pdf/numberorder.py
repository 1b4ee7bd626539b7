"""Content streams → the same, with the arrays of a number run drawn in two faces ("50%") in reading order."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

import pydyf

from pressroom.layout.bidi import reads_left_to_right
from pressroom.layout.weasy import content_streams, text_matrix_position, tf_resource, tj_operand
from pressroom.pdf.glyphfold import (
    EmbeddedFont,
    _format,
    _is_digit,
    _placed_anew,
    _reading_order,
    _same_line,
    _scale,
    _text,
    parse_tj,
)


def numbers_in_reading_order(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont]) -> None:
    """After glyphfold.fold_text (its mark_runs): write the arrays of a number run drawn in two
    faces in reading order.

    Noto Kufi Arabic, the display face, has digits but no "%" "." "/" (Amiri draws them): in a
    title, a heading or a table's heading, "50%" is Amiri's "%" drawn left of Noto Kufi's "50",
    an array per face, left to right ("3.1%" four: mark_runs then draws "3", "." and "1" as
    text objects of their own for pdfium, glyphfold._split_for_pdfium, and leaves the "%" first).
    A run of one face is drawn in reading order (glyphfold._mark_ltr_run); these arrays were not,
    and pypdf and pdf.js, which take a line's arrays as they come, read "%50", "%3.1", "و+%12".
    Here the arrays of such a run (text objects in a row on one baseline, their glyphs digits and
    signs, no letter, each within half an em of the next) are written in the order
    glyphfold._reading_order reads their glyphs, each with a Tm at the x where it was drawn and
    its own Tf: the same glyphs at the same places. A run whose arrays do not each hold one piece
    of the reading, in order ("1,200" as "1", Amiri's "," and "200" is read as written), is left
    as it is."""
    for stream in content_streams(pdf):
        items = stream.stream
        groups: list[_TmGroup] = []
        font_line: bytes | None = None
        position = 0
        while position < len(items):
            item = items[position]
            moved = text_matrix_position(item)
            if moved is None:
                if tf_resource(item) is not None:
                    font_line = item
                position += 1
                continue
            end = position + 1
            while end < len(items) and (tf_resource(items[end]) is not None
                                        or tj_operand(items[end]) is not None):
                end += 1
            start_font = font_line
            for line in items[position + 1:end]:
                if tf_resource(line) is not None:
                    font_line = line
            groups.append(_TmGroup(position, end, item, moved,
                                   _drawn_arrays(item, moved, items[position + 1:end], start_font, fonts),
                                   font_line))
            position = end
        replaced: dict[int, tuple[int, list[bytes]]] = {}
        first = 0
        while first < len(groups):
            last = first
            while last + 1 < len(groups) and groups[last + 1].start == groups[last].end \
                    and not _letters(groups[last], ("R", "AL")) \
                    and not _letters(groups[last + 1], ("R", "AL")) \
                    and _same_line(groups[last].moved[1], groups[last + 1].moved[1]):
                last += 1
            run = groups[first:last + 1]
            # (not a piece of a run with Latin letters that _split_for_pdfium drew in pieces:
            # the "0" and " + " of "v(t) = v0 + at" were read "+ 0")
            if not any(_letters(group, ("L", "R", "AL")) for group in run) \
                    and _placed_anew(items, run[-1].end):
                lines = _run_in_reading_order(run)
                if lines is not None:
                    replaced[run[0].start] = (run[-1].end, lines)
            first = last + 1
        if replaced:
            out: list = []
            position = 0
            while position < len(items):
                if position in replaced:
                    position, lines = replaced[position]
                    out += lines
                else:
                    out.append(items[position])
                    position += 1
            stream.stream = out


@dataclass
class _Drawn:
    """A TJ array as numbers_in_reading_order sees it: its Tf and TJ lines, where it starts, its
    em (user space) and its glyphs that read as something, (left, right, text)."""

    font_line: bytes
    tj: bytes
    x: float
    em: float
    glyphs: list[tuple[float, float, str]]


@dataclass
class _TmGroup:
    """A Tm line and the Tf and TJ lines after it: where they are in the stream, the Tm, its
    position, the arrays (None when a font cannot be measured) and the font in force after it."""

    start: int
    end: int
    matrix: bytes
    moved: tuple[float, float]
    arrays: list[_Drawn] | None
    font_after: bytes | None


def _drawn_arrays(matrix: bytes, moved: tuple[float, float], run: list, font_line: bytes | None,
                  fonts: dict[bytes, EmbeddedFont]) -> list[_Drawn] | None:
    """The arrays of ``run`` (Tf and TJ lines under the Tm line ``matrix``), or None."""
    arrays: list[_Drawn] = []
    x = moved[0]
    for line in run:
        if tf_resource(line) is not None:
            font_line = line
            continue
        embedded = fonts.get(tf_resource(font_line)) if font_line is not None else None
        if embedded is None or embedded.fold is None:
            return None
        fold, size = embedded.fold, float(font_line.split()[-2])
        scale = _scale(matrix, size)
        if not scale > 0:
            return None
        glyphs, pen = [], 0.0
        for kind, value in parse_tj(tj_operand(line)):
            if kind == "n":
                pen -= value
                continue
            text, width = _text(fold, int(value)), fold.width(int(value))
            if text.strip() and not all(unicodedata.category(c) == "Cf" for c in text):
                glyphs.append((x + pen * scale, x + (pen + width) * scale, text))
            pen += width
        arrays.append(_Drawn(font_line, line, x, 1000 * scale, glyphs))
        x += pen * scale
    return arrays


def _letters(group: _TmGroup, kinds: tuple[str, ...]) -> bool:
    """True when a Tm group draws a letter of one of the bidi classes ``kinds``, or cannot be
    measured."""
    return group.arrays is None or any(
        unicodedata.bidirectional(c) in kinds
        for array in group.arrays for _, _, text in array.glyphs for c in text)


#: How far apart (in ems) two glyphs of a number run drawn in pieces may be (a space between them),
#: and how far apart they are at least when a space parts them.
RUN_GAP = 0.5
SPACED = 0.15


def _run_in_reading_order(run: list[_TmGroup]) -> list[bytes] | None:
    """The lines drawing the arrays of ``run`` (Tm groups in a row, numbers_in_reading_order) in
    reading order, each with a Tm where it was drawn and its Tf, then the font in force after
    the run; None when there is nothing to do or the run is not one number run."""
    units = [(group, array) for group in run for array in group.arrays or []]
    read = [(number, k) for number, (_, array) in enumerate(units) for k in range(len(array.glyphs))]
    # (a run of one face is drawn in reading order already: _mark_ltr_run, _split_for_pdfium)
    if len({tf_resource(array.font_line) for _, array in units if array.glyphs}) < 2 \
            or not any(_is_digit(units[n][1].glyphs[k][2]) for n, k in read):
        return None
    drawn = sorted(range(len(read)), key=lambda i: (units[read[i][0]][1].glyphs[read[i][1]][0], i))
    em = max(array.em for _, array in units)
    boxes = [units[read[i][0]][1].glyphs[read[i][1]] for i in drawn]
    if any(b[0] - a[1] > RUN_GAP * em for a, b in itertools.pairwise(boxes)):
        return None  # apart: cells of a table's row, not one run
    # (a phone number is drawn as read: its groups are parted by spaces, which are no glyphs here)
    spaced = "".join((" " if a is not None and b[0] - a[1] > SPACED * em else "") + b[2]
                     for a, b in zip([None, *boxes[:-1]], boxes, strict=True))
    if reads_left_to_right(spaced):
        return None
    order = [drawn[i] for i in _reading_order([box[2] for box in boxes])]
    if order == sorted(order):
        return None  # written in reading order already
    rank = {read[glyph]: place for place, glyph in enumerate(order)}
    keys: list[float] = []  # arrays that read as nothing go with the array before them
    for number, (_, array) in enumerate(units):
        places = [rank[(number, k)] for k in range(len(array.glyphs))]
        if places != list(range(places[0], places[0] + len(places))) if places else False:
            return None  # an array holding two pieces of the reading, or one backwards
        keys.append(places[0] if places else (keys[-1] + 0.5 if keys else -1))
    out: list[bytes] = []
    for number in sorted(range(len(units)), key=lambda n: (keys[n], n)):
        group, array = units[number]
        words = group.matrix.split()
        out += [b" ".join([*words[:4], _format(array.x), words[5], b"Tm"]), array.font_line, array.tj]
    return [*out, *([run[-1].font_after] if run[-1].font_after is not None else [])]
