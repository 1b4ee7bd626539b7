"""Content streams → the same, with the font set again where pypdf would join inline boxes.

WeasyPrint writes a line's inline boxes (inline code, a struck-out phrase, a span; an italic
phrase before the slanted faces were in fonts/) one array each, in reading order, each moved left
of the one before by a ``Tm``. pypdf joins the characters of every array it reads until a font
change (``Tf``) or a new line, and reverses a right-to-left run as one: three Arabic boxes in one
font came out last first ("عبارة مائلة طويلةوهذه فقرة ثانية فيها" for "وهذه فقرة ثانية فيها
*عبارة مائلة طويلة* ثم"), where a bold box, drawn in another font, read right. The same ``Tf``
again before each right-to-left array that goes on from another of its line in that font ends
pypdf's run there; the other readers, and the pages drawn, are unchanged by it
(tests/test_inline_runs.py)."""

from __future__ import annotations

import pydyf

from pressroom.layout.weasy import content_streams, text_matrix_position, tf_resource, tj_operand
from pressroom.pdf.glyphfold import EmbeddedFont, FontFold, bidi_classes, parse_tj

#: How far apart (PDF units) two baselines may be and still be one line.
SAME_LINE = 0.5


def _direction(tj: bytes, fold: FontFold | None) -> str:
    """"rtl" for a TJ array that draws more right-to-left letters than left-to-right letters and
    digits, "ltr" for one that draws more of those, "neutral" for one of spaces, marks or
    punctuation, "" for one that draws nothing (or in a font not folded)."""
    if fold is None:
        return ""
    items = parse_tj(tj)
    if not any(kind == "g" for kind, _ in items):
        return ""
    classes = bidi_classes(items, fold)
    rtl = sum(kind in ("R", "AL") for kind in classes)
    ltr = sum(kind in ("L", "EN", "AN") for kind in classes)
    return "rtl" if rtl > ltr else "ltr" if ltr else "neutral"


def refont_rtl_arrays(pdf: pydyf.PDF, fonts: dict[bytes, EmbeddedFont]) -> None:
    """Repeat the current ``Tf`` before every TJ array that goes on from another on the same
    baseline, in the same text object and font, when one of the two is right-to-left and
    neither left-to-right (see the module's docstring; a number or a Latin run of the line
    changes pypdf's direction, which ends its run there already)."""
    for stream in content_streams(pdf):
        items: list[object] = []
        font_line: bytes | None = None
        fold: FontFold | None = None
        y: float | None = None
        previous: tuple[float, str] | None = None  # the last array since the Tf: baseline, direction
        for item in stream.stream:
            if item == b"BT":
                previous = None
            resource = tf_resource(item)
            if resource is not None:
                font_line, previous = item, None
                font = fonts.get(resource)
                fold = font.fold if font is not None else None
            moved = text_matrix_position(item)
            if moved is not None:
                y = moved[1]
            tj = tj_operand(item)
            direction = _direction(tj, fold) if tj is not None and font_line is not None else ""
            if direction:
                if previous is not None and y is not None and abs(previous[0] - y) <= SAME_LINE \
                        and "ltr" not in (previous[1], direction) and "rtl" in (previous[1], direction):
                    items.append(font_line)
                previous = (y, direction) if y is not None else None
            items.append(item)
        stream.stream = items
