"""Laid-out columns → body figures moved to column tops and bottoms, their heights on the line grid.

WeasyPrint has no page floats, so a body figure stays where the flow drops it: in mid-column, or
after the article's end mark. ``Placement`` reads where each figure fell (weasy.columns) and
writes the HTML again with the figure moved before the line that starts its column (or after
the one that ends the column above its bottom), splitting the paragraph there when the column
starts inside one: the first half keeps its last line justified, the second half has no indent.
Each figure is also padded to a whole number of body lines, so that the text below it stays on
the grid the other column keeps. Positions are kept as (block, character) in the HTML as first
rendered, so every pass writes from that HTML, never from an earlier pass's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from itertools import pairwise

from pressroom.layout import weasy
from pressroom.layout.preflight import PRINT_PPI
from pressroom.layout.weasy import Block, Column, Document, Span

#: Sub-headings, kept with the lines of text after them.
_HEADINGS = ("h2", "h3", "h4")
#: The class of a paragraph wholly in bold (an interview's question, a lead-in: content.py),
#: which the layouts keep with the text after it as a sub-heading.
LEAD_IN = "lead-in"
#: The attribute that numbers the top-level blocks of the body, and the offset of a split part.
BLOCK = "data-b"
OFFSET = "data-o"
#: A top-level paragraph that follows a paragraph in the first HTML: the layouts indent it.
INDENTED = "data-i"
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*?)(/?)>")
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]")
_VOID = {"img", "br", "hr", "wbr", "input", "meta", "source", "col", "area"}
_BODY = '<div class="body">'
_BETWEEN = re.compile(r'\s*(<figure\b|<div class="spanned")')
_REOPEN = re.compile(r"\s*" + re.escape(_BODY))
#: An offset past the end of any block: a figure anchored there comes after the block.
_AFTER = 10**9
#: Distances closer than this (CSS px) are the same.
EPSILON = 1.0
#: The lines a paragraph keeps on either side of a break (the layouts' orphans and widows).
KEPT = 2


def _split_body(html: str) -> tuple[str, list[str], str] | None:
    """(before, top-level blocks of the body, after), or None without a body. A figure set
    across the columns stands between two bodies (``</div> <figure…> <div class="body">``):
    it is one of the blocks, and the bodies around it are read as one."""
    start = html.find(_BODY)
    if start < 0:
        return None
    position, blocks = start + len(_BODY), []
    while True:
        tag = _TAG.search(html, position)
        if tag is None:
            return None
        if tag.group(1):  # a body's own </div>
            between = _BETWEEN.match(html, tag.end())
            if between:
                end = _element_end(html, between.start(1))
                reopened = _REOPEN.match(html, end) if end is not None else None
                if reopened:
                    blocks.append(html[between.start(1):end])
                    position = reopened.end()
                    continue
            return html[:start + len(_BODY)], blocks, html[tag.start():]
        end = _element_end(html, tag.start())
        if end is None:
            return None
        blocks.append(html[tag.start():end])
        position = end


def _element_end(html: str, start: int) -> int | None:
    """Where the element whose opening tag is at ``start`` ends."""
    depth = 0
    for match in _TAG.finditer(html, start):
        closing, name, _, selfclosing = match.groups()
        if name.lower() in _VOID or selfclosing:
            if depth == 0:
                return match.end()
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return match.end()
    return None


def spans_columns(block: str) -> bool:
    """A figure marked wide or bleed, or a table's .spanned box (tables.spans): set across the
    columns, between two bodies."""
    match = re.match(r'<(figure|div)\b[^>]*?\bclass="([^"]*)"', block)
    return bool(match) and bool({"wide", "bleed"} & set(match[2].split()) if match[1] == "figure"
                                else "spanned" in match[2].split())


def _wrapped(block: str) -> str:
    """A block as it stands in the HTML: a spanning figure closes the body and opens another."""
    return f"</div>\n{block}\n{_BODY}" if spans_columns(block) else block


def _join(blocks: list[str]) -> str:
    return "\n" + "\n".join(blocks) + "\n"


def number_blocks(html: str) -> str:
    """The HTML with each top-level block of the body numbered (``data-b``), and each paragraph
    that follows a paragraph marked indented (``data-i``), as ``p + p`` indents it, a figure
    between them or not (the figures are moved to column tops and feet, and the paragraph after
    one goes on from the paragraph before it); not a lead-in (an interview's question in bold;
    not one ending in a colon, class introduces, indented as any) nor the paragraph after one,
    set flush as a sub-heading and its text are (a question was indented after an answer and
    flush after a photo or a list, its answer indented).

    The layouts indent a top-level paragraph by that mark, not by ``p + p``, so that moving the
    figures keeps every paragraph's first line as it was measured: a figure moved out from
    before a paragraph gave it an indent, and the line cut for that figure no longer held its
    last word ("كل" was left alone at a column's foot)."""
    parts = _split_body(html)
    if parts is None:
        return html
    before, blocks, after = parts
    numbered = []
    text_before = ""  # the tag of the last block that is not a figure ("lead-in": such a p)
    for index, block in enumerate(blocks):
        tag = _tag_name(block)
        if tag == "p" and "lead-in" in _classes(block) and "introduces" not in _classes(block):
            tag = "lead-in"
        block = _with_attribute(block, f'{BLOCK}="{index}"')
        if tag == "p" and text_before == "p":
            block = _with_attribute(block, INDENTED)
        numbered.append(_wrapped(block))
        text_before = text_before if tag == "figure" else tag
    return before + _join(numbered) + after


def _with_attribute(block: str, attribute: str) -> str:
    end = block.index(">")
    return f"{block[:end]} {attribute}{block[end:]}"


def _tag_name(block: str) -> str:
    match = _TAG.match(block)
    return match.group(2).lower() if match else ""


def _count(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


@dataclass
class Placement:
    """Where each body figure goes (block, offset, "top"/"bottom"), its padding (CSS px), the
    side of the page a bleeding one is on ("left"/"right"), and the bottom margin (CSS px) of
    a block whose height is not whole lines, so that what follows it is back on the grid."""

    html: str  # numbered by number_blocks
    anchors: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    pads: dict[int, float] = field(default_factory=dict)
    sides: dict[int, str] = field(default_factory=dict)
    gaps: dict[int, float] = field(default_factory=dict)
    #: the top margin (CSS px) of a figure at a page's foot, down to the foot
    drops: dict[int, float] = field(default_factory=dict)
    #: the space below each such block before it was given a margin (not part of the key)
    natural: dict[int, float] = field(default_factory=dict)
    #: figures that end a column ("after") or start one ("before") whatever the columns' balance
    #: (a forced column break): rebalanced's, for the last page
    breaks: dict[int, str] = field(default_factory=dict)
    #: a column break forced in the text (block → the offset of the part that starts a column,
    #: 0 for the whole block): rebalanced's, for a last page whose text WeasyPrint left unbalanced
    cuts: dict[int, int] = field(default_factory=dict)
    #: the last resort of a figure across the columns that falls after the end mark, or with all
    #: the text after it fitting above it: closing the article at the last page's foot, where
    #: the top of that page, tried first, fails (not part of the key)
    closing: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: the height (CSS px) the lead photo is cut to, around its centre, so that the lines a last
    #: page would hold alone come back (trimmed); None: as the layout sets it
    lead: float | None = None
    #: the lead photo's height (CSS px) as the layout sets it, untrimmed (not part of the key)
    untrimmed: float = 0.0
    #: the height (CSS px) a photo set across the columns is cropped to (by clipping, its image
    #: whole: object-fit: cover), to fit the foot of a page (_span_crop)
    crops: dict[int, float] = field(default_factory=dict)
    #: each figure's photo height (CSS px) as the layout sets it, uncropped (not part of the key)
    photos: dict[int, float] = field(default_factory=dict)
    #: the height (CSS px) a body photo on the page before the last is cut to, around its centre,
    #: so that the lines a last page would hold alone come back where no lead photo can (trimmed)
    trims: dict[int, float] = field(default_factory=dict)

    def blocks(self) -> tuple[str, list[str], str]:
        parts = _split_body(self.html)
        assert parts is not None
        return parts

    def figures(self) -> list[int]:
        """The body's figures (block numbers); none without a body this module recognises."""
        if _split_body(self.html) is None:
            return []
        return [i for i, block in enumerate(self.blocks()[1]) if _tag_name(block) == "figure"]

    def spanning(self) -> set[int]:
        """The figures set across the columns (wide or bleed)."""
        blocks = self.blocks()[1] if _split_body(self.html) is not None else []
        return {i for i in self.figures() if spans_columns(blocks[i])}

    def bleeding(self) -> set[int]:
        blocks = self.blocks()[1] if _split_body(self.html) is not None else []
        return {i for i in self.spanning() if "bleed" in _classes(blocks[i])}

    def direction(self) -> str:
        match = re.search(r'<html\b[^>]*\bdir="(\w+)"', self.html)
        return match[1] if match else "ltr"

    def key(self) -> tuple:
        """What the HTML depends on: equal keys, equal HTML."""
        return (*(tuple(sorted(d.items()))
                  for d in (self.anchors, self.pads, self.sides, self.gaps, self.drops,
                            self.breaks, self.cuts, self.crops, self.trims)), self.lead)

    def copy(self) -> Placement:
        return Placement(self.html, dict(self.anchors), dict(self.pads), dict(self.sides),
                         dict(self.gaps), dict(self.drops), dict(self.natural), dict(self.breaks),
                         dict(self.cuts), dict(self.closing), self.lead, self.untrimmed,
                         dict(self.crops), dict(self.photos), dict(self.trims))

    def in_order(self) -> dict[int, tuple[int, int, str]]:
        """``anchors`` with the figures in their source order: a figure whose anchor would put
        it before a figure that comes earlier in the text goes right after that one (heading
        the column or page that follows it, where the earlier one closes the one before).
        Figures moved one by one from one layout to the next may otherwise overtake each other
        (an earlier, taller one pushed on to the next page, a later one moved up to a top)."""
        spanning = self.spanning()
        anchors = dict(self.anchors)
        previous: tuple[int, int, int] | None = None
        last = -1  # the figure before
        for figure in self.figures():
            if figure in anchors:
                block, offset, where = anchors[figure]
                here = (block, offset, _rank(figure in spanning, where))
            else:
                here = (figure, 0, -1)  # where it stands in the text
            if previous is not None and here < previous:
                block, offset = previous[:2] if previous[2] >= 0 else (previous[0], _AFTER)
                here = (block, offset, _rank(figure in spanning, "top"))
                anchors[figure] = (block, offset, "top")
                if here < previous:  # one across the columns heads the page the other heads a
                    # column of: the other closes the page before instead
                    anchors[last] = (block, offset, "bottom")
            previous, last = here, figure
        return anchors

    def floor(self, figure: int, moves: dict[int, tuple[int, int, str]] | None = None
              ) -> tuple[int, int, int] | None:
        """Where the figure before ``figure`` in the text stands (block, offset, rank): an
        anchor that comes before it would set ``figure`` out of order, and ``in_order`` would
        put it right after that one instead of where it was meant to go. ``moves``: anchors
        about to replace the placement's (a pass's); None for the first figure."""
        earlier = [f for f in self.figures() if f < figure]
        if not earlier:
            return None
        previous = earlier[-1]
        anchors = {**self.in_order(), **(moves or {})}
        if previous not in anchors:
            return (previous, 0, -1)  # where it stands in the text
        block, offset, where = anchors[previous]
        return (block, offset, _rank(previous in self.spanning(), where))

    def render(self) -> str:
        """The HTML with every figure where ``anchors`` puts it, padded by ``pads``."""
        before, blocks, after = self.blocks()
        anchors = self.in_order()
        spanning = self.spanning()
        figures = {i: _wrapped(_figure(blocks[i], anchors.get(i, (0, 0, ""))[2],
                                       self.pads.get(i, 0.0), self.sides.get(i, ""),
                                       self.drops.get(i), self.breaks.get(i, ""),
                                       # (cropped only at a page's foot, where it did not fit
                                       # or is dropped to: lifted; a column's alone in its
                                       # column: _alone)
                                       self.crops.get(i) if anchors.get(i, ())[2:] == ("bottom",)
                                       or i in self.drops or i not in spanning else None,
                                       self.trims.get(i)))
                   for i in self.figures()}
        # several figures before one line: those closing the column or page above first (a
        # column's, then one across the columns at the page's foot), then those heading the
        # next (one across the columns, heading the page, then a column's)
        at: dict[int, list[tuple[int, int, int]]] = {}
        for figure, (block, offset, where) in sorted(anchors.items()):
            at.setdefault(block, []).append((offset, _rank(figure in spanning, where), figure))
        out = []
        for index, block in enumerate(blocks):
            if index in figures and index in anchors:
                continue
            if index in figures:
                block = figures[index]
            elif index in self.gaps:
                block = _with_style(block, f"margin-bottom: {self.gaps[index]:.3f}px")
            if index not in figures:
                block = _wrapped(block)  # (a table across the columns: between two bodies)
            # (in source order: in_order keeps the ranks so, but where it sends a column's
            # figure to close the page before one across the columns, that figure may share
            # its spot with earlier ones ranked after it, which it must not overtake)
            inserted = sorted(at.get(index, []), key=lambda item: (item[0], item[2]))
            cut = self.cuts.get(index)
            heads = [f for offset, rank, f in inserted if cut is not None and rank == 3
                     and (offset <= 0 if cut <= 0 else offset == cut)]
            if heads:  # a column's figure heads the column the forced break starts: the break
                # before it, not between it and the text (which went on to the next column)
                figures[heads[0]] = _with_style(figures[heads[0]], "break-before: column")
                cut = None
            starts = [figures[f] for offset, _, f in inserted if offset <= 0]
            inside = [(offset, figures[f]) for offset, _, f in inserted if offset > 0]
            if cut is not None and cut <= 0:
                block = _with_style(block, "break-before: column")
            elif cut is not None:
                inside = sorted([*inside, (cut, "")], key=lambda item: item[0])
            out.extend(starts)
            html = _split_paragraph(block, inside) if inside else block
            if cut is not None and cut > 0 and f' {OFFSET}="{cut}"' in html:
                part = html.rindex("<p", 0, html.index(f' {OFFSET}="{cut}"'))
                html = html[:part] + _with_style(html[part:], "break-before: column")
            out.append(html)
        return _trimmed_lead(before, self.lead, self.untrimmed) + _join(out) + after


def _trimmed_lead(html: str, height: float | None, untrimmed: float) -> str:
    """``html`` with the lead photo cut to ``height`` (CSS px) around its centre, the height it
    had said on its figure (``data-untrimmed``, for preflight.lead_photo_fits)."""
    if height is None:
        return html
    match = re.search(r'<figure\b[^>]*\bclass="(?:[^"]*\s)?lead[\s"][^>]*>\s*<img\b', html)
    if match is None:
        return html
    figure = html.rindex("<figure", 0, match.end())
    image = html.rindex("<img", 0, match.end())
    style = f"height: {height:.3f}px; max-height: {height:.3f}px; object-fit: cover"
    return (html[:figure] + _with_attribute(html[figure:image], f'data-untrimmed="{untrimmed:.3f}"')
            + _with_style(html[image:], style))


def _keeps_order(anchor: tuple[int, int] | None, where: str, spanning: bool,
                 floor: tuple[int, int, int] | None) -> tuple[int, int] | None:
    """``anchor``, or None when a figure put there (``where``: "top"/"bottom") would come
    before the figure before it (``floor``: Placement.floor)."""
    if anchor is None or floor is None or (*anchor, _rank(spanning, where)) >= floor:
        return anchor
    return None


def _rank(spanning: bool, where: str) -> int:
    """The order of figures anchored before one line: those closing the column or page above
    first (a column's, then one across the columns at the page's foot), then those heading the
    next (one across the columns, heading the page, then a column's)."""
    return int(spanning) if where == "bottom" else 2 + (not spanning)


def _classes(block: str) -> list[str]:
    match = re.match(r'<[a-zA-Z][\w-]*\b[^>]*?\bclass="([^"]*)"', block)
    return match[1].split() if match else []


def _with_style(block: str, declaration: str) -> str:
    """The block's opening tag with ``declaration`` added to its style attribute (or a new one)."""
    end = block.index(">")
    opening = block[:end]
    match = re.search(r'\sstyle="([^"]*)"', opening)
    if match:
        style = match[1].rstrip().rstrip(";")
        opening = f'{opening[:match.start(1)]}{style}; {declaration}{opening[match.end(1):]}'
        return opening + block[end:]
    return f'{opening} style="{declaration}"{block[end:]}'


def _figure(block: str, where: str, pad: float, side: str = "", drop: float | None = None,
            forced: str = "", crop: float | None = None, trim: float | None = None) -> str:
    classes = (f" at-{where}" if where else "") + (f" on-{side}" if side else "") \
        + (" cropped" if crop is not None else "")  # (not for a trim: it fits where it is)
    match = re.match(r'<figure class="([^"]*)"', block)
    if match:
        block = f'<figure class="{match[1]}{classes}"{block[match.end():]}'
    if pad > 0.01:
        block = _with_style(block, f"padding-bottom: {pad:.3f}px")
    if drop is not None:
        block = _with_style(block, f"margin-top: {drop:.3f}px")
    if forced == "page":  # (one across the columns that ends its page: the text after it on the next)
        block = _with_style(block, "break-after: page")
    elif forced:
        block = _with_style(block, f"break-{forced}: column")
    if crop is None and trim is not None:  # (trimmed: not cropped for a page's foot)
        block, crop = _with_attribute(block, "data-trimmed"), trim
    if crop is not None:  # the photo clipped to that height around its centre, its image whole
        image = re.search(r"<img\b", block)
        if image:
            block = block[:image.start()] + _with_style(
                block[image.start():], f"height: {crop:.3f}px; object-fit: cover")
    return block


def _split_paragraph(block: str, cuts: list[tuple[int, str]]) -> str:
    """A top-level ``<p>`` cut before its ``offset``-th non-space character for each (offset,
    HTML) in ``cuts``, the HTML put between the parts; a cut past its end goes after it."""
    opening = re.match(r"<p\b([^>]*)>", block)
    if not opening or not block.endswith("</p>"):
        return "\n".join([block] + [html for _, html in cuts])
    # one cut per offset, with all that goes there in order: two figures at one place (one
    # closing a column, the next heading the one after) were cut apart once, the second set
    # after the paragraph's end
    merged: list[tuple[int, str]] = []
    for offset, html in sorted(cuts, key=lambda cut: cut[0]):
        if merged and merged[-1][0] == offset:
            merged[-1] = (offset, "\n".join(h for h in (merged[-1][1], html) if h))
        else:
            merged.append((offset, html))
    cuts = merged
    attributes = opening[1]
    classes = re.search(r'class="([^"]*)"', attributes)
    own = classes[1].split() if classes else []
    rest = re.sub(r'\s*class="[^"]*"', "", attributes)
    rest = re.sub(rf'\s*{OFFSET}="[^"]*"', "", rest)
    unindented = re.sub(rf"\s*{INDENTED}\b", "", rest)  # (a part after the first goes on a line)
    inner = block[opening.end():-len("</p>")]
    parts: list[tuple[str, int]] = []  # (inner HTML, its starting offset)
    stack: list[tuple[str, str]] = []  # open inline tags: (name, opening tag)
    current, count, start = [], 0, 0
    pending = [offset for offset, _ in cuts]
    for token in _TOKEN.findall(inner):
        if token.startswith("<"):
            tag = _TAG.match(token)
            if tag:
                closing, name, _, selfclosing = tag.groups()
                if closing and stack:
                    stack.pop()
                elif not closing and not selfclosing and name.lower() not in _VOID:
                    stack.append((name, token))
            current.append(token)
            continue
        char = unescape(token) if token.startswith("&") else token
        if pending and not char.isspace() and count == pending[0]:
            # the part ends with its last word: not with the space before the cut, nor with the
            # inline elements opened just before it (a number's or a Latin run's span), which
            # the next part opens again; left, they made its last line end in a space that
            # justification widened (short of the column's edge, and kashida.py spread it apart)
            kept = len(stack)
            while current and (current[-1].isspace() or (kept and current[-1] == stack[kept - 1][1])):
                kept -= not current.pop().isspace()
            current.extend(f"</{name}>" for name, _ in reversed(stack[:kept]))
            parts.append(("".join(current), start))
            current, start = [opening for _, opening in stack], count
            pending.pop(0)
        current.append(token)
        count += _count(char)
    parts.append(("".join(current), start))
    out, figures = [], [html for _, html in cuts]
    for index, (html, offset) in enumerate(parts):
        names = [c for c in own if c != "end"] if index < len(parts) - 1 else list(own)
        if index < len(parts) - 1:
            names.append("split")
        if index > 0:
            names.append("cont")
        cls = f' class="{" ".join(names)}"' if names else ""
        where = f' {OFFSET}="{offset}"' if index else ""
        out.append(f"<p{cls}{rest if index == 0 else unindented}{where}>{html}</p>")
        if index < len(parts) - 1:
            out.append(figures[index])
    out.extend(figures[len(parts) - 1:])  # cuts past the paragraph's end
    return "\n".join(out)


# --- reading a layout -------------------------------------------------------------------------

@dataclass(frozen=True)
class Spot:
    """A line of the laid-out body and where its text starts in the first HTML."""

    block: int
    offset: int
    first: bool  # the block's first line
    tag: str


def body_line(columns: list[Column]) -> float:
    """The body's line pitch: the commonest distance between baselines of a paragraph's lines."""
    steps: Counter[float] = Counter()
    for column in columns:
        for block in column.blocks:
            if block.tag == "p":
                for a, b in pairwise(block.lines):
                    steps[round(b.baseline - a.baseline, 2)] += 1
    return steps.most_common(1)[0][0] if steps else 0.0


def spots(columns: list[Column]) -> dict[tuple[int, int], Spot]:
    """(column index, line index in the column) → the line's place in the first HTML."""
    seen: dict[tuple[str, str], int] = {}
    found = {}
    for c, column in enumerate(columns):
        n = 0
        for block in column.blocks:
            if BLOCK not in block.attributes or block.tag == "figure":
                n += len(block.lines)
                continue
            key = (block.attributes[BLOCK], block.attributes.get(OFFSET, "0"))
            for line in block.lines:
                before = seen.get(key)
                offset = int(key[1]) + (before or 0)
                found[(c, n)] = Spot(int(key[0]), offset, before is None and key[1] == "0", block.tag)
                seen[key] = (before or 0) + _count(line.text)
                n += 1
    return found


def _body_lines(column: Column) -> list[tuple[Block, int]]:
    found = []
    for block in column.blocks:
        for index in range(len(block.lines)):
            found.append((block, index))
    return found


def _anchor(spot: Spot | None) -> tuple[int, int] | None:
    if spot is None:
        return None
    if spot.first:
        return spot.block, 0
    if spot.tag == "p":
        return spot.block, spot.offset
    return None


@dataclass(frozen=True)
class Laid:
    """What placement reads of a layout: its columns, and the figures set across them."""

    columns: list[Column]
    spans: list[Span]
    pages: int
    #: each page's type area foot (CSS px): where a column that ends a page could have gone on
    #: (WeasyPrint ends a column box with what it holds, short of the foot when the block after it
    #: did not fit there)
    feet: tuple[float, ...] = ()
    #: the lead photo's height (CSS px) as set, 0.0 without one
    lead: float = 0.0
    #: each body figure's photo (block number → its width and height, CSS px), as placed
    photos: dict[int, tuple[float, float]] = field(default_factory=dict)
    #: the foot of the opener (its margin box, CSS px) on the first page, 0.0 without one
    opener: float = 0.0
    #: each body figure's image: its own width and height in pixels, where known
    pixels: dict[int, tuple[int, int]] = field(default_factory=dict)


def read(document: Document) -> Laid:
    feet = tuple(weasy.type_area_foot(page) for page in document.pages)
    lead = next((f.photo[3] - f.photo[1] for f in weasy.placed_figures(document)  # (not one
                 # heading the body's first column, render.portrait_lead: a body figure, untrimmed)
                 if "lead" in f.attributes.get("class", "").split() and BLOCK not in f.attributes),
                0.0)
    photos = {int(f.attributes[BLOCK]): (f.photo[2] - f.photo[0], f.photo[3] - f.photo[1])
              for f in weasy.placed_figures(document) if BLOCK in f.attributes}
    opener = next((box.position_y + box.margin_height()
                   for box in weasy.walk(weasy.page_box(document.pages[0]))
                   if "opener" in getattr(getattr(box, "element", None), "attrib", {}).get(
                       "class", "").split()), 0.0) if document.pages else 0.0
    pixels = {int(f.attributes[BLOCK]): f.pixels for f in weasy.placed_figures(document)
              if BLOCK in f.attributes and f.pixels is not None}
    # (a table across the columns, tables.spans, is not placed: it stays where the text sets it)
    spans = [span for span in weasy.spanning(document, BLOCK) if span.block.tag == "figure"]
    return Laid(weasy.columns(document), spans, len(document.pages), feet,
                lead=lead, photos=photos, opener=opener, pixels=pixels)


def side(page: int, direction: str) -> str:
    """The side of the spread a page (from 0) is on: a right-to-left document starts on a left page."""
    first, second = ("left", "right") if direction == "rtl" else ("right", "left")
    return first if page % 2 == 0 else second


def misplaced(columns: list[Column], line: float) -> dict[int, str]:
    """Body figure in a column (block number) → why it is misplaced: "mid-column" or "after the end"."""
    found: dict[int, str] = {}
    ended = False
    for column in columns:
        for index, block in enumerate(column.blocks):
            if "end" in block.attributes.get("class", "").split():
                ended = True
            if block.tag != "figure" or BLOCK not in block.attributes:
                continue
            number = int(block.attributes[BLOCK])
            if ended:
                found[number] = "after the end"
            elif not ((index == 0 and block.border_top <= column.top + EPSILON)
                      or (index == len(column.blocks) - 1
                          and block.border_bottom >= column.bottom - line / 2)):
                found[number] = "mid-column"
    return found


def _end(columns: list[Column]) -> tuple[int, float] | None:
    """(page, bottom) of the end mark's paragraph."""
    found = None
    for column in columns:
        for block in column.blocks:
            if "end" in block.attributes.get("class", "").split():
                found = (column.page, block.bottom)
    return found


def _text(columns: list[Column], page: int, above: float | None = None,
          below: float | None = None) -> bool:
    """Whether a line of the body lies on ``page`` above ``above`` or below ``below``."""
    for column in columns:
        if column.page != page:
            continue
        for block in column.blocks:
            for line in block.lines:
                if (above is not None and line.bottom <= above + EPSILON) or \
                        (below is not None and line.top >= below - EPSILON):
                    return True
    return False


def misplaced_spans(laid: Laid, line: float, direction: str = "") -> dict[int, str]:
    """Figure set across the columns (block number) → why it is misplaced: "after the end",
    "mid-page" (text above and below it, or below the opener), or "wrong side" (a bleeding one
    laid out for the other side of the spread; ``direction`` "": read from its class)."""
    found: dict[int, str] = {}
    end = _end(laid.columns)
    for span in laid.spans:
        block = span.block
        number = int(block.attributes[BLOCK])
        classes = block.attributes.get("class", "").split()
        at_top = block.border_top <= span.top + line + EPSILON and not _text(
            laid.columns, span.page, above=block.border_top)
        last = not _text(laid.columns, span.page, below=block.border_bottom)
        at_bottom = last and block.border_bottom >= span.bottom - line / 2
        if end is not None and (span.page, block.border_top) > (end[0], end[1] - EPSILON) \
                and not (span.page == end[0] and last):  # closing the article at its foot: the
            found[number] = "after the end"  # last resort (Placement.closing), counted by quality
        elif not (at_top or at_bottom):
            found[number] = "mid-page"
        elif "bleed" in classes:
            expected = side(span.page, direction) if direction else ""
            if (expected and f"on-{expected}" not in classes) or not any(
                    c in classes for c in ("on-left", "on-right")):
                found[number] = "wrong side"
    return found


def unplaced(laid: Laid, direction: str) -> dict[int, str]:
    """Body figures (block numbers) not at a column's top or foot (a page's, when set across
    the columns) → why: "mid-column", "mid-page", "after the end"."""
    line = body_line(laid.columns)
    if line <= 0:
        return {}
    found = misplaced(laid.columns, line)
    found.update((n, why) for n, why in misplaced_spans(laid, line, direction).items()
                 if why != "wrong side")
    return found


def replace(placement: Placement, laid: Laid, one_at_a_time: bool = False) -> bool:
    """Move each misplaced figure to the nearest column top or bottom (page top or bottom for
    one set across the columns), pad every figure to whole lines, put a bleeding figure on the
    side of the page it is on, and give a block that leaves the text below it off the grid the
    bottom margin that puts it back; False when nothing changed. ``one_at_a_time``: move only
    the misplaced figure that comes first (moving one moves the text the others are placed by:
    where they all move at once, they may chase each other from pass to pass)."""
    columns = laid.columns
    line = body_line(columns)
    if line <= 0:
        return False
    changed = False
    where: dict[int, tuple[int, Block]] = {}
    padded = dict(placement.pads)  # as the figures were laid out
    direction = placement.direction()
    spanned = {int(span.block.attributes[BLOCK]): span for span in laid.spans}
    figures = [(c, block) for c, column in enumerate(columns) for block in column.blocks
               if block.tag == "figure" and BLOCK in block.attributes]
    for c, block in figures + [(-1, span.block) for span in laid.spans]:
        number = int(block.attributes[BLOCK])
        where.setdefault(number, (c, block))
        natural = block.border_bottom - block.border_top - placement.pads.get(number, 0.0)
        pad = round(math.ceil(natural / line - 0.01) * line - natural, 3)
        if number in placement.crops:
            pad = 0.0  # cropped to end at its page's foot: nothing below it to keep on the grid
        if abs(pad - placement.pads.get(number, 0.0)) > 0.01:
            placement.pads[number] = pad
            changed = True
    for number in placement.bleeding() & spanned.keys():
        wanted = side(spanned[number].page, direction)
        if placement.sides.get(number) != wanted:
            placement.sides[number] = wanted
            changed = True
    located = spots(columns)
    last_text = max((c for (c, _), s in located.items()), default=0)
    moves: dict[int, tuple[int, int, str]] = {}
    end = _end(columns)
    drops: dict[int, Span] = {}
    in_columns = misplaced(columns, line)
    paged: set[int] = set()  # figures across the columns that end their page (_last_blocks)
    across = {n: why for n, why in misplaced_spans(laid, line).items() if why != "wrong side"}
    for number in sorted(in_columns.keys() | across.keys()):  # in source order: each kept after
        floor = placement.floor(number, moves)                # the one before, wherever it goes
        if number in in_columns:
            c, block = where[number]
            if in_columns[number] == "after the end":
                c = min(c, last_text)
            target = _target(columns, located, c, block, line,
                             prefer_top=in_columns[number] == "after the end", floor=floor)
        else:
            why, span = across[number], spanned[number]
            page = min(span.page, end[0]) if why == "after the end" and end else span.page
            block, sent = span.block, placement.anchors.get(number)
            if span.page == page and not _text(columns, span.page, below=block.border_bottom) and (
                    (sent and sent[2] == "bottom") or not any(
                        b.tag != "figure" and b.top < block.border_top for column in columns
                        if column.page == span.page for b in column.blocks)):
                # nothing under it: down to the page's foot, once all else holds (also one under
                # the figures heading a page that holds no text: kitchen-bread.md's pocket page 3,
                # a column's photo heading it, the wide one 15 px short of the foot)
                if number in placement.crops and _grown(placement, number, span):
                    changed = True  # (cropped for that foot: grown to it instead, no hole above)
                    continue
                drops[number] = span
                continue
            ending: list[int] = []
            target = _span_target(laid, located, page, span, line,
                                  prefer_top=why == "after the end" or bool(sent and sent[2] == "bottom"),
                                  floor=floor, ending=ending)
            if ending and target is not None and target[2] == "bottom":
                paged.add(number)
            closing = _span_target(laid, located, page, span, line, None, floor, closing=True)
            if closing is not None and closing[1] == _AFTER:
                placement.closing[number] = closing
        if target is not None and target != placement.anchors.get(number):
            moves[number] = target
    holes = _holes(laid, located, line)
    holes.update(_opener_page(laid, located, line))
    for c, block in figures:
        number = int(block.attributes[BLOCK])
        sent = placement.anchors.get(number)
        if sent and sent[2] == "bottom" and number not in holes and number not in in_columns \
                and c > 0 and block is columns[c].blocks[0]:
            # sent to the foot of the column before, it did not fit there: with less text above
            target = _column_foot(laid, located, c - 1, block, line)
            if target is not None:
                holes[number] = target
    for number, (_, height) in laid.photos.items():
        if number not in placement.crops and number not in placement.trims:
            placement.photos[number] = height
    crops: dict[int, tuple[float, float]] = {}  # figure → (its photo's height, its pad)
    for number, span in spanned.items():
        sent = placement.anchors.get(number)
        ending = []
        cropped = _span_crop(placement, laid, located, span, line, padded.get(number, 0.0),
                             placement.floor(number, moves), ending)
        if cropped is not None:  # too tall for the room the page before leaves, which the text
            target, crops[number] = cropped  # after it cannot fill: cropped to that room
            paged.update(ending)
        elif number in placement.crops and _heads_page(laid, span, line):
            # cropped for a page's foot, heading the next after all: whole again, padded to whole
            # lines (what moves it from there is decided on the next pass)
            whole = span.block.border_bottom - span.block.border_top - padded.get(number, 0.0) \
                + placement.photos.get(number, 0.0) - placement.crops.pop(number)
            placement.pads[number] = round(math.ceil(whole / line - 0.01) * line - whole, 3)
            changed, target = True, None
        elif sent and sent[2] == "bottom" and _heads_page(laid, span, line):
            # sent to the foot of the page before, it did not fit there: with less text above
            target = _span_target(laid, located, span.page - 1, span, line, prefer_top=None)
        else:
            target = _span_hole(laid, located, span, line, partial=True)
            if target is None and sent and sent[2] == "bottom":
                target = _span_foot_fill(laid, located, span, line)
                if target is not None and placement.breaks.get(number) == "page":
                    paged.add(number)  # (still before the last blocks, which make the last page)
        if target is not None:
            holes[number] = target
    for number, target in holes.items():
        if target != moves.get(number, placement.anchors.get(number)) or (
                number in crops and crops[number][0] != placement.crops.get(number)):
            moves[number] = target
    # a figure moved on to fill the hole beside it (the column before is on its page) heads its
    # column by a forced column break: where the run of columns ends on the page, WeasyPrint
    # balances them, at the least height that holds the text, with the figure then mid-column
    forced = {number for number in holes if number in moves and number not in spanned
              and _beside(columns, where[number][0])}
    if one_at_a_time and moves:  # the first in the flow: the others move with what it moves
        def flow(number: int) -> tuple[int, float]:
            c, block = where[number]
            return (spanned[number].page if c < 0 else columns[c].page, block.top)
        first = min(moves, key=flow)
        moves = {first: moves[first]}
    for number, target in moves.items():
        placement.anchors[number] = target
        if number in crops:
            placement.crops[number], placement.pads[number] = crops[number]
        elif target[2] != "bottom":
            placement.crops.pop(number, None)  # (set at a page's top, it has the room it needs)
        placement.breaks.pop(number, None)
        if number in forced:
            placement.breaks[number] = "before"
        placement.drops.pop(number, None)
        changed = True
    for number in paged:
        if placement.breaks.get(number) != "page":
            placement.breaks[number] = "page"
            changed = True
    for number, gap in _off_grid(columns, line, placement.natural).items():
        if abs(gap - placement.gaps.get(number, -1.0)) > 0.01:
            placement.gaps[number] = gap
            changed = True
    if not changed:
        for number, span in drops.items():
            room = span.bottom - span.block.border_bottom - 0.5
            if room > 0:
                placement.drops[number] = round(span.block.border_top - span.block.top + room, 3)
                changed = True
    return changed


def _grown(placement: Placement, number: int, span: Span) -> bool:
    """A photo across the columns cropped to close its page (_span_crop) that ends above the
    page's foot with nothing under it (the text it was measured below went after it, before the
    last blocks: _last_blocks): its crop grown by the room left down to the foot, so that it
    closes the page without a hole above it, where a drop would leave one; False when there is
    no room to grow into, or not without passing its natural height (uncropped, it would stop
    short of the foot again: dig-diary.md's thickened photo; it is dropped there instead)."""
    room = span.bottom - span.block.border_bottom - 0.5
    grown = placement.crops[number] + room
    if room < 1 or grown >= placement.photos.get(number, math.inf) - EPSILON:
        return False  # (past its natural height: dropped to the foot as it is, as before)
    placement.crops[number] = round(grown, 3)
    return True


#: Blocks whose own lines keep to the grid (body lines) or that are padded to whole lines
#: (figures): the text after them is off the grid only if they were. Not headings: a line in
#: two faces (a Latin word in an Arabic display face) is taller than the body's.
_ON_GRID = ("p", "figure")
#: How much (CSS px) the text after a block that touches it may be drawn up onto the grid, into
#: the leading above its first line, instead of down to the next line: a heading set in a face
#: whose lines are a little taller than the body's (an English heading in Noto Kufi's Latin
#: fallback, 1.4 px) would otherwise be followed by most of a blank line.
PULL = 3.0


def _off_grid(columns: list[Column], line: float,
              natural: dict[int, float] | None = None) -> dict[int, float]:
    """Block (number) → the bottom margin (CSS px) that brings the block after it in its column
    back onto the column's grid of body lines: a table, quote, sidebar or list that starts on
    the grid but whose rules, padding or smaller type add up to a part of a line. ``natural``:
    the space below each block before any was given (the least margin above it is taken);
    filled in for blocks seen for the first time. Blocks already on the grid are left out."""
    natural = {} if natural is None else natural
    found = {}
    for column in columns:
        for before, block in pairwise(column.blocks):
            if before.tag in _ON_GRID or BLOCK not in before.attributes:
                continue
            if not _on_grid(before.border_top - column.top, line, ABOVE):
                continue  # off the grid above: what put it there is put right first
            number = int(before.attributes[BLOCK])
            space = natural.setdefault(number, block.border_top - before.border_bottom)
            off = (before.border_bottom - column.top + space) % line
            if _on_grid(off, line):
                wanted = space
            elif abs(space) < 0.25 and off <= PULL:
                wanted = -off  # a heading a little taller than its line, touching its text
            else:
                wanted = space + line - off
            if abs(wanted - (block.border_top - before.border_bottom)) > 0.25:
                found[number] = round(wanted, 3)
    return found


#: How far (CSS px) a block may start off the grid and still set the text after it back on the
#: grid: the parts of a pixel that blocks on the grid by _on_grid's measure leave (a pull quote
#: 0.17 px long, a heading 0.15) add up, and a sidebar 0.32 px off after them was left alone,
#: with the text after it 3.6 pt off the other column's lines (display-punctuation).
ABOVE = 1.0


def _on_grid(distance: float, line: float, within: float = 0.25) -> bool:
    off = distance % line
    return off < within or line - off < within


def _first_text(columns: list[Column], located: dict[tuple[int, int], Spot],
                c: int) -> tuple[int, int] | None:
    """Where the first line of column ``c`` that is not a figure's starts; before the whole
    block when that line goes on a list, table or sidebar, which is not cut."""
    for n, (block, _) in enumerate(_body_lines(columns[c])):
        if block.tag != "figure":
            spot = located.get((c, n))
            anchor = _anchor(spot)
            return anchor if anchor is not None or spot is None else (spot.block, 0)
    return None


def _span_target(laid: Laid, located: dict[tuple[int, int], Spot], page: int, span: Span,
                 line: float, prefer_top: bool | None,
                 floor: tuple[int, int, int] | None = None, closing: bool = False,
                 ending: list[int] | None = None) -> tuple[int, int, str] | None:
    """The top of ``page`` (before the text that starts it; not below the opener) or its bottom
    (after as much of the text as its columns hold above the figure), whichever is nearer and
    does not come before the figure before it (``floor``: Placement.floor); ``prefer_top``
    None: its bottom only. When all the text left fits above it, its bottom is after the end
    mark: only with ``closing``, the article then closed by the figure at the page's foot;
    without, and where the top is not to be had either (a figure before it there), before the
    last blocks of the text (_last_blocks), which go on to the next page (a page break forced
    after the figure): ``ending`` is then given the figure's number."""
    columns = laid.columns
    on_page = [c for c, column in enumerate(columns) if column.page == page and column.blocks]
    if not on_page:
        return None
    first = on_page[0]
    text_top = columns[first].top
    figure = span.block
    top = _first_text(columns, located, first) if text_top <= span.top + EPSILON else None
    top = _with_heading(columns, top)
    height = figure.border_bottom - figure.border_top + line  # with the line of space above
    room = columns[first].count * (span.bottom - text_top - height)  # what the columns hold above it
    bottom, used, tail, widowed = None, 0.0, None, False
    flow = []  # (column, line index, how much of the page's text ends with the line)
    for c in range(first, len(columns)):  # the page's text, and what follows it
        column = columns[c]
        for n, (block, i) in enumerate(_body_lines(column)):
            if block.tag != "figure":
                flow.append((c, n, used + block.lines[i].bottom - column.top))
        used += max((b.bottom for b in column.blocks), default=column.top) - column.top
    if room > line:
        past = [(c, n) for c, n, ends in flow if ends > room + EPSILON]
        for k, spot in enumerate(past):
            found = located.get(spot)
            bottom = _anchor(found)
            if bottom is None and found is not None and found.tag != "p":
                bottom = (found.block, 0)  # before the whole of a list, table or box, not after it
            if bottom is not None:
                if len(past) - k <= WIDOW_LINES and not closing and prefer_top is not None \
                        and columns[first].count > 1:
                    # the text left after it would be a last page of a line or two: the last
                    # blocks make that page instead (in one column, where the page's foot is
                    # less sure, figures.trimmed brings such lines back)
                    tail = _last_blocks(columns, located, flow)
                    bottom, widowed = (None, True) if tail is not None else (bottom, False)
                break
        else:  # all the text left fits above it: after the last line, closing the article;
            # else before the last blocks, which make the next page, the last
            last = located.get(flow[-1][:2]) if flow and closing else None
            bottom = (last.block, _AFTER) if last is not None else None
            if not closing and prefer_top is not None:
                tail = _last_blocks(columns, located, flow)
    bottom = _with_heading(columns, bottom)  # (at the foot: the heading goes on with its text)
    top = _keeps_order(top, "top", True, floor)
    bottom = _keeps_order(bottom, "bottom", True, floor)
    if bottom is None and tail is not None and (top is None or widowed):
        # (the top kept for another figure, or the foot that leaves a line or two after it)
        bottom = _keeps_order(_with_heading(columns, tail), "bottom", True, floor)
        if bottom is not None and ending is not None:
            ending.append(int(figure.attributes[BLOCK]))
    if prefer_top is None:  # the foot only
        return None if bottom is None else (*bottom, "bottom")
    up = figure.border_top - text_top if span.page == page else math.inf
    down = span.bottom - figure.border_bottom if span.page == page else math.inf
    if top is not None and (prefer_top or bottom is None or up <= down):
        return (*top, "top")
    if bottom is not None:
        return (*bottom, "bottom")
    return None



#: The lines of text the last blocks hold that a figure across the columns closing the page
#: before the last is put before (_last_blocks): two on either side of the columns' break…
LAST_LINES = 2 * KEPT
#: … and the least a hole above such a figure leaves after it (_span_foot_fill): more than a
#: widow page (widow_page).
LEAST_LAST = 3


def _last_blocks(columns: list[Column], located: dict[tuple[int, int], Spot],
                 flow: list[tuple[int, int, float]], least: int = LAST_LINES) -> tuple[int, int] | None:
    """Where the last whole blocks of ``flow`` (the text left, (column, line index, …)) start
    that hold at least ``least`` lines (a paragraph, or a quote or box with the paragraph after
    it): a figure across the columns put before them at a page's foot, when all that text
    would fit above it, leaves them to make a last page and does not close the article below
    its end mark. None when no more than those blocks are left."""
    for count, (c, n, _) in enumerate(reversed(flow[1:]), 1):
        spot = located.get((c, n))
        if count >= least and spot is not None and spot.first:
            return spot.block, 0
    return None


def _with_heading(columns: list[Column], anchor: tuple[int, int] | None) -> tuple[int, int] | None:
    """``anchor``, before the headings that come right before its block when it is a block's
    start: a figure put there heads the page (or closes the one before), and a heading left
    before it would end the page before, apart from its text, or stand alone above the figure
    (a list or table that goes on from that page starts there)."""
    if anchor is None or anchor[1] != 0:
        return anchor
    tags = {int(b.attributes[BLOCK]): "h" if heads(b) else b.tag
            for c in columns for b in c.blocks if BLOCK in b.attributes}
    block = probe = anchor[0]
    while probe > 0:  # over the figures between (this one's own place, or one set across the
        probe -= 1    # columns, which no column holds): a heading before them heads that text
        tag = tags.get(probe, "figure")
        if tag == "h":
            block = probe
        elif tag != "figure":
            break
    return (block, 0)


def _heads_page(laid: Laid, span: Span, line: float) -> bool:
    """Whether a figure across the columns heads a page after the first, no text above it."""
    return span.page > 0 and span.block.border_top <= span.top + line + EPSILON \
        and not _text(laid.columns, span.page, above=span.block.border_top)


def _room_before(laid: Laid, span: Span, line: float) -> tuple[list[Column], float, int] | None:
    """The last row of columns on the page before ``span``'s, that page's type area foot, and
    the whole lines those columns leave at it (a column's figure may fill one and leave the other
    short), less the line of space the figure would take above it; None without such a row."""
    before = [c for c in laid.columns if c.page == span.page - 1 and c.blocks]
    if not before:
        return None
    last = [c for c in before if abs(c.top - before[-1].top) < EPSILON]
    foot = laid.feet[span.page - 1] if span.page - 1 < len(laid.feet) else span.bottom
    # (not a column's left before one that a figure heads: the text after the figure across the
    # columns comes after that figure, not into it; _holes' to fill, when it can be)
    lines = sum(max(0, int((foot - max(b.bottom for b in c.blocks) + EPSILON) // line) - 1)
                for c, after in zip(last, [*last[1:], None], strict=True)
                if after is None or after.blocks[0].tag != "figure")
    return last, foot, lines


def _short_before(laid: Laid, span: Span, line: float) -> bool:
    """Whether a figure across the columns heads a page after a page whose last row of columns
    leaves more than KEPT whole lines in each column and room below them (less the line of space
    above it) for at least CROP_LEAST of the figure: it would close that page with less text
    above it, or cropped (_span_crop), and the text after it did not fill it (else _span_hole).
    Counted by quality with the holes: such a page may be filled by half or more (short_pages
    does not count it)."""
    if not _heads_page(laid, span, line):
        return False
    room = _room_before(laid, span, line)
    if room is None:
        return False
    last, foot, _ = room
    ends = [max(b.bottom for b in c.blocks) for c in last]
    height = span.block.border_bottom - span.block.border_top
    return foot - max(ends) > (KEPT + 1) * line and foot - max(ends) - line >= CROP_LEAST * height


def _span_hole(laid: Laid, located: dict[tuple[int, int], Spot], span: Span,
               line: float, partial: bool = False) -> tuple[int, int, str] | None:
    """A figure heading a page after a page whose text stops short of its foot by whole lines
    (the figure did not fit below it there): moved on by the text those lines hold, so that
    the text after it fills the page before and it heads its page again (when that text is
    too short to fill it, as much as evens the columns above where the figure did not fit).
    ``partial``: when no count of lines from those the hole holds on can be moved (a table or
    a box that is not cut starts after fewer), the most that can, fewer than the hole holds:
    the hole then narrowed, not left whole (replace's; quality counts the holes that fill)."""
    columns, figure = laid.columns, span.block
    if span.page == 0 or figure.border_top > span.top + line + EPSILON \
            or _text(columns, span.page, above=figure.border_top):
        return None
    room = _room_before(laid, span, line)
    if room is None:
        return None
    last, _, lines = room
    if lines < 1:
        return None
    after = [(c, n) for c, column in enumerate(columns)
             if column.page > span.page or (column.page == span.page
                                             and column.top >= figure.border_bottom - EPSILON)
             for n, (block, _) in enumerate(_body_lines(column)) if block.tag != "figure"]
    flow = [_body_lines(columns[c])[n] for c, n in after]

    def first_fill(counts: range, fits: Callable[[int], bool] = lambda k: True
                   ) -> tuple[int, int, str] | None:
        """The figure's place after the first count of those lines that moves no figure, leaves
        no heading without its lines and no widow (and ``fits``)."""
        for k in counts:
            moved = [block for block, _ in flow[:k]]
            if any(b.tag == "figure" for b in moved) or not _all_kept(moved) or not fits(k) \
                    or not _leaves_no_widow(columns, after[k][0], *flow[k]):
                continue
            anchor = _anchor(located.get(after[k]))
            if anchor is not None:
                return (*anchor, "top")
        return None

    def fits(k: int) -> bool:
        """Whether the text before line ``k`` of ``after``, when it holds a paragraph introducing
        the block after it (which it then takes whole: _all_kept), is no taller than the hole's
        lines and two more (the hole's are counted less one, and a heading's margins): taller, it
        would not fit there and would leave the figure mid-page below what goes on (a list, not
        cut, after "…قبل أن تصل إلى الصنبور:", desal-plant.md, magazine). By height, not lines:
        a table's cells are lines side by side. (Other text may be more than the hole holds:
        the passes after it settle where the figure goes.)"""
        if not any(introduces(block) for block, _ in flow[:k]):
            return True
        height = 0.0
        for c in dict.fromkeys(c for c, _ in after[:k]):
            moved = [flow[j] for j in range(k) if after[j][0] == c]
            height += max(b.lines[i].bottom for b, i in moved) - min(b.lines[i].top for b, i in moved)
        return height <= (lines + 2) * line + EPSILON

    if len(after) > lines:  # those lines, or more, with no heading left without its lines
        # (economy-household's pocket page 2 ended with one)
        found = first_fill(range(lines, len(after)), fits)
        return found if found is not None or not partial else first_fill(range(lines - 1, 0, -1))
    # the text after it is too short to fill the page: as much of it as evens the columns of
    # the row before it (balanced above where the figure did not fit)
    longest = max(max(b.bottom for b in c.blocks) for c in last if c.blocks)
    even = sum(int((longest - max(b.bottom for b in c.blocks) + EPSILON) // line)
               for c in last if c.blocks)
    return first_fill(range(min(even, len(after) - 1), 0, -1))


def _column_foot(laid: Laid, located: dict[tuple[int, int], Spot], c: int, figure: Block,
                 line: float) -> tuple[int, int, str] | None:
    """The foot of column ``c`` for ``figure``, which heads the next column because it did not
    fit below the text there: before the first line that leaves it no room, or before an earlier
    one so that no heading is left without its lines and no paragraph's last line alone after
    it. A column that ends its page ends at the type area's foot."""
    columns = laid.columns
    column = columns[c]
    foot = column.bottom
    if (c + 1 == len(columns) or columns[c + 1].page > column.page) and column.page < len(laid.feet) \
            and not any(s.page == column.page and s.block.top >= column.top for s in laid.spans):
        foot = max(foot, laid.feet[column.page])
    height = figure.border_bottom - figure.border_top + line  # with the line of space above
    flow = [(n, block, i) for n, (block, i) in enumerate(_body_lines(column)) if block.tag != "figure"]
    first = next((k for k, (_, block, i) in enumerate(flow)
                  if block.lines[i].bottom > foot - height + EPSILON), None)
    for k in range(first or 0, 0, -1):
        n, block, i = flow[k]
        above = [b for _, b, _ in flow[:k]]
        if not _all_kept(above) \
                or not _leaves_no_widow(columns, c, block, i):
            continue
        anchor = _anchor(located.get((c, n)))
        if anchor is not None:
            return (*anchor, "bottom")
    return None



def dropped(placement: Placement, laid: Laid) -> list[Placement]:
    """A column's figure that ends its column a line or less above the column's foot, the
    block after it too tall for that line (a table, a heading with its lines: elements-010.md,
    magazine), dropped to the foot by its top margin: a line of space more above it (no more
    than checks' HOLE), none below. A figure alone in its column is left as it is. One
    placement with every such figure dropped; none when there is no such figure."""
    columns = laid.columns
    line = body_line(columns)
    if line <= 0:
        return []
    moved = placement.copy()
    found = misplaced(columns, line)
    for column in columns:
        if not column.blocks:
            continue
        block = column.blocks[-1]
        if block.tag != "figure" or BLOCK not in block.attributes \
                or found.get(int(block.attributes[BLOCK])) != "mid-column":
            continue
        room = column.bottom - block.border_bottom - 0.5
        if 0 < room <= line + EPSILON and len(column.blocks) > 1:
            # (the top margin that sets it so: the margins above it collapse into one)
            above = block.border_top - column.blocks[-2].border_bottom
            moved.drops[int(block.attributes[BLOCK])] = round(above + room, 3)
    return [moved] if moved.key() != placement.key() else []


def _sent(placement: Placement, number: int, anchor: tuple[int, int, str]) -> Placement:
    """A copy of ``placement`` with figure ``number`` at ``anchor``, the break, crop and drop it
    had where it stood forgotten."""
    moved = placement.copy()
    moved.anchors[number] = anchor
    for table in (moved.breaks, moved.crops, moved.drops):
        table.pop(number, None)
    return moved


def floored(placement: Placement, laid: Laid) -> list[Placement]:
    """Each figure across the columns set mid-page with nothing under it (its page's text all
    above it, more than half a line short of the foot) dropped to the page's foot by its top
    margin, or, cropped to close that page, its crop grown into the room (_grown): as replace
    does, once all else holds, to one sent to a foot (here whatever its anchor), which passes
    that move two other figures to and fro from pass to pass never reach (elements-022's pocket
    page 3: its bleeding photo 38 px above the foot). One placement with every such figure so;
    none when there is none."""
    line = body_line(laid.columns)
    if line <= 0:
        return []
    mid_page = {n for n, why in misplaced_spans(laid, line).items() if why == "mid-page"}
    moved = placement.copy()
    for span in laid.spans:
        number = int(span.block.attributes[BLOCK])
        room = span.bottom - span.block.border_bottom - 0.5
        if number not in mid_page:
            continue
        mid_page.discard(number)  # (a photo split across two pages: its first part, as before)
        if room <= 0 or _text(laid.columns, span.page, below=span.block.border_bottom):
            continue
        if number in moved.crops and _grown(moved, number, span):
            continue
        moved.drops[number] = round(span.block.border_top - span.block.top + room, 3)
    return [moved] if moved.key() != placement.key() else []


def closed(placement: Placement, laid: Laid) -> list[Placement]:
    """Each figure across the columns misplaced in ``laid`` (mid-page, after the end mark) that
    could close the article at its last page's foot (Placement.closing, as replace finds it
    from this layout) put there: uncropped, as cropped, then one that falls on a page after
    the end mark's cropped to the room below the end there, within _span_crop's limits
    (elements-009.md, pocket: the last photo, after the last paragraph, set before it below a
    column's photo heading the page, where it fits below that paragraph; elements-014.md,
    pocket: 7 px too tall for the room below the last line)."""
    probe = placement.copy()
    probe.closing = {}
    replace(probe, laid)
    later = placement.figures()
    line, end = body_line(laid.columns), _end(laid.columns)
    ending = next((int(b.attributes[BLOCK]) for c in laid.columns for b in c.blocks
                   if "end" in b.attributes.get("class", "").split() and BLOCK in b.attributes), None)
    if end is not None and ending is not None and line > 0:  # (one on a page after the end
        # mark's, which replace may not send there: the figure before it closes its page)
        for number, why in misplaced_spans(laid, line).items():
            if why == "after the end" and number not in probe.closing and any(
                    s.page > end[0] for s in laid.spans if int(s.block.attributes[BLOCK]) == number):
                probe.closing[number] = (ending, _AFTER, "bottom")
    # (only the last figures: one before another would take it after the end mark too)
    probe.closing = {n: a for n, a in probe.closing.items()
                     if all(f in probe.closing for f in later if f > n)}
    if not probe.closing:
        return []
    moved = placement.copy()
    moved.anchors.update(probe.closing)
    for number in probe.closing:
        moved.breaks.pop(number, None)
        moved.drops.pop(number, None)
    whole = moved.copy()
    for number in probe.closing:
        if whole.crops.pop(number, None) is not None:
            whole.pads.pop(number, None)
    fitted = whole.copy()  # each that falls on a page after the end mark's, cropped to the room
    # below it (_span_crop's limits; by a pixel, unpadded, where only its pad does not fit)
    for span in laid.spans:
        number = int(span.block.attributes[BLOCK])
        if number not in probe.closing or end is None or span.page <= end[0] \
                or number not in laid.photos or end[0] >= len(laid.feet) \
                or "nocrop" in span.block.attributes.get("class", "").split():
            continue
        width, photo = laid.photos[number]
        natural = placement.photos.get(number, photo)
        other = span.block.border_bottom - span.block.border_top - placement.pads.get(number, 0.0) \
            - photo  # its credit and caption
        height = round(min(laid.feet[end[0]] - end[1] - line - 0.5 - other, natural - EPSILON), 3)
        if max(CROP_LEAST * natural, width / CROP_FLATTEST) <= height:
            fitted.crops[number], fitted.pads[number] = height, 0.0
    return [p for p in (whole, moved, fitted) if p.key() != placement.key()]


#: The most lines of the article's end tried after a figure that falls after the end mark,
#: heading the page after (ended).
ENDED_LINES = 2 * LAST_LINES


def ended(placement: Placement, laid: Laid) -> list[Placement]:
    """Each figure across the columns that falls after the end mark on a page after it (the
    last in the text, too tall for the end mark's page) put heading that page with the last
    lines of the article after it, from LEAST_LAST lines up to ENDED_LINES, cut where no
    heading is left without its lines nor a paragraph's line alone (elements-009.md, magazine:
    the last photo alone on a page after the end). The figure before it keeps its place
    (Placement.floor)."""
    columns = laid.columns
    line = body_line(columns)
    end = _end(columns)
    if line <= 0 or end is None:
        return []
    located = spots(columns)
    flow = [(c, n, block, i) for c, column in enumerate(columns)
            for n, (block, i) in enumerate(_body_lines(column)) if block.tag != "figure"]
    found: list[Placement] = []
    for number, why in misplaced_spans(laid, line).items():
        span = next(s for s in laid.spans if int(s.block.attributes[BLOCK]) == number)
        if why != "after the end" or span.page <= end[0]:
            continue
        floor = placement.floor(number)
        seen: set[tuple[int, int]] = set()
        for count in range(KEPT, min(ENDED_LINES, len(flow) - 1) + 1):
            c, n, block, i = flow[-count]
            if not _all_kept([b for _, _, b, _ in flow[-count:]]) \
                    or not _leaves_no_widow(columns, c, block, i):
                continue
            anchor = _keeps_order(_with_heading(columns, _anchor(located.get((c, n)))), "top", True,
                                  floor)
            if anchor is None or anchor in seen:
                continue
            seen.add(anchor)
            moved = placement.copy()
            moved.anchors[number] = (*anchor, "top")
            moved.breaks.pop(number, None)
            moved.drops.pop(number, None)
            moved.closing.pop(number, None)
            if moved.crops.pop(number, None) is not None:
                moved.pads.pop(number, None)
            found.append(moved)
    return found


def recombined(placement: Placement, misplaced_in: set[int],
               tried: list[tuple[Placement, set[int]]]) -> list[Placement]:
    """For each figure misplaced in ``placement`` (``misplaced_in``), the placement with that
    figure anchored where another tried layout (placement, its misplaced figures) set it well,
    the others kept: passes that move every figure at once may swing two figures in turn, one
    placed in each layout and never both (elements-010.md, pocket: the first figure heading its
    page drops the second below a pull quote, the second put back moves the first)."""
    found: list[Placement] = []
    keys = {placement.key()}
    for number in sorted(misplaced_in):
        for other, bad in tried:
            anchor = other.in_order().get(number)
            if number in bad or anchor is None or anchor == placement.anchors.get(number):
                continue
            moved = placement.copy()
            moved.anchors[number] = anchor
            moved.pads[number] = other.pads.get(number, moved.pads.get(number, 0.0))
            if number in other.sides:  # (a bleeding one: the side of the page it was set on)
                moved.sides[number] = other.sides[number]
            moved.breaks.pop(number, None)
            moved.drops.pop(number, None)
            if moved.key() not in keys:
                keys.add(moved.key())
                found.append(moved)
    return found


def footed(placement: Placement, laid: Laid) -> list[Placement]:
    """Other placements for a column's figure that heads a column after one left short (it did
    not fit below the text there: a hole) while a figure after it in the text falls after the
    end mark, is left mid-column (below it in the last column: test_watch's market article in an
    issue), or heads a column after one left short too: the figure at the foot of the column
    before, with less text above it (_column_foot), and the next figure heading the column after
    it, anchored at the same line (the one closes the column, the other heads the next, the text
    between them follows that one). Moving the first on to fill its hole (_holes) sends the text
    after it onto the column it heads, and the next figure, which cannot head that column
    before it, after the end mark or onto a page of its own (generated-000 and -001 of the
    corpus, pocket: two photos half a page tall in the last pages). None (an empty list) when no
    figure after the end mark or mid-column nor any hole is left."""
    columns = laid.columns
    line = body_line(columns)
    if line <= 0:
        return []
    located = spots(columns)
    holes = _holes(laid, located, line)
    ended = {n for n, why in misplaced(columns, line).items() if why == "after the end"}
    ended |= {n for n, why in misplaced_spans(laid, line).items() if why == "after the end"}
    # (or left mid-column: in the last column, below the one heading it, the foot of a column
    # the text goes on after)
    stuck = {n for n, why in misplaced(columns, line).items() if why == "mid-column"}
    order = placement.figures()
    found: list[Placement] = []
    for c in range(1, len(columns)):
        figure = columns[c].blocks[0] if columns[c].blocks else None
        if figure is None or figure.tag != "figure" or BLOCK not in figure.attributes \
                or not columns[c - 1].blocks:
            continue
        number = int(figure.attributes[BLOCK])
        later = [f for f in order if f > number]
        if not later or not ({later[0]} & (ended | stuck | holes.keys()) or number in holes):
            continue
        foot = _column_foot(laid, located, c - 1, figure, line)
        if foot is None or _keeps_order(foot[:2], "bottom", False, placement.floor(number)) is None:
            continue
        moved = placement.copy()
        moved.anchors[number] = foot
        moved.anchors[later[0]] = (*foot[:2], "top")
        for figure_number in (number, later[0]):
            moved.breaks.pop(figure_number, None)
            moved.crops.pop(figure_number, None)
            moved.drops.pop(figure_number, None)
        if moved.key() != placement.key():
            found.append(moved)
    return found

#: The most space (body lines) an art director leaves between a figure across the columns at a
#: page's foot and the text above it: its line of space and one more (_foot_gap)…
FOOT_GAP = 2
#: … and the tallest a photo is grown into such a hole (its height to its width: _grown).
GROW_TALLEST = 0.75


def _foot_gap(laid: Laid, span: Span, line: float) -> float:
    """The space (CSS px) between a figure across the columns and the lowest text above it on its
    page (its top margin when it heads the page): a figure dropped to the page's foot (drops)
    leaves it empty across the columns."""
    figure = span.block
    above = [max(b.border_bottom for b in column.blocks) for column in laid.columns
             if column.page == span.page and column.blocks and column.bottom <= figure.top + EPSILON]
    return figure.border_top - max(above, default=figure.top)


def _gapped(laid: Laid, line: float) -> list[Span]:
    """The figures across the columns left more than FOOT_GAP lines below the text above them."""
    return [span for span in laid.spans if _foot_gap(laid, span, line) > FOOT_GAP * line + EPSILON]


#: CSS pixels (WeasyPrint's unit) in an inch.
CSS_PX_PER_INCH = 96


def lifted(placement: Placement, laid: Laid) -> list[Placement]:
    """Other placements for a figure across the columns dropped to a page's foot (drops) with a
    hole of more than FOOT_GAP lines above it, across the columns, that no text fills (the text
    after it makes the next page: _last_blocks): its photo grown into the hole (clipped around its
    centre, object-fit: cover, as _span_crop crops) up to GROW_TALLEST of its width, then the
    figure heading that page instead, the text after it below it. A figure heading its page under
    another (a page of photos, elements-007's magazine page 2), dropped to the foot, is grown
    only. quality counts such holes."""
    columns = laid.columns
    line = body_line(columns)
    if line <= 0:
        return []
    located = spots(columns)
    found: list[Placement] = []
    for span in _gapped(laid, line):
        figure = span.block
        number = int(figure.attributes[BLOCK])
        sent = placement.anchors.get(number)
        if not sent or number not in placement.drops:
            continue  # (one heading its page under another, dropped from it: grown only)
        gap = _foot_gap(laid, span, line) - line  # (its line of space kept)
        if sent[2] != "bottom":  # (under a figure, whose bottom margin is that line: all of it)
            gap += line + placement.pads.get(number, 0.0)
        if number in laid.photos and "nocrop" not in figure.attributes.get("class", "").split():
            width, photo = laid.photos[number]
            tallest = max(placement.photos.get(number, photo), GROW_TALLEST * width)
            if number in laid.pixels:
                # (never grown past print's resolution: past the image's height at that width,
                # object-fit: cover scales it up, which it may only while its height keeps
                # PRINT_PPI: elements-014's magazine photo, and oil-mill-photos.md's bleed one,
                # were grown to 282 ppi)
                across, down = laid.pixels[number]
                tallest = min(tallest, max(width * down / across, down / PRINT_PPI * CSS_PX_PER_INCH))
            height = round(min(photo + gap, tallest), 3)
            if height > photo + 0.5:
                grown = placement.copy()
                pad = placement.pads.get(number, 0.0)
                grown.crops[number], grown.pads[number] = height, 0.0
                grown.drops[number] = round(placement.drops[number] - (height - photo) + pad, 3)
                found.append(grown)
        if sent[2] != "bottom":
            continue
        top = _span_target(laid, located, span.page, span, line, prefer_top=True,
                           floor=placement.floor(number))
        if top is not None and top[2] == "top":
            moved = placement.copy()
            moved.anchors[number] = top
            for changes in (moved.breaks, moved.crops, moved.drops):
                changes.pop(number, None)
            found.append(moved)
    return [moved for moved in found if moved.key() != placement.key()]


def refilled(placement: Placement, laid: Laid) -> list[Placement]:
    """Another placement for each figure across the columns sent to the foot of a page that did
    not fit there and heads the next page after that page's text stopped well short
    (_short_before): heading the next page after the text after it that fills the page before
    (_span_hole). Sent to the foot with less text above each pass, it may go back and forth
    between two places that both fail (a column's figure in the columns above it, which
    WeasyPrint cannot balance as the lines are counted: elements-016's magazine page 2)."""
    line = body_line(laid.columns)
    if line <= 0:
        return []
    located = spots(laid.columns)
    found = []
    for span in laid.spans:
        number = int(span.block.attributes[BLOCK])
        sent = placement.anchors.get(number)
        if not sent or sent[2] != "bottom" or not _short_before(laid, span, line):
            continue
        target = _span_hole(laid, located, span, line, partial=True)
        if target is None or _keeps_order(target[:2], "top", True, placement.floor(number)) is None:
            continue
        moved = placement.copy()
        moved.anchors[number] = target
        for changes in (moved.breaks, moved.crops, moved.drops):
            changes.pop(number, None)
        found.append(moved)
    return found


def headed(placement: Placement, laid: Laid) -> list[Placement]:
    """Other placements for a figure across the columns left below a hole at its page's foot
    (_gapped) that cannot head that page because the figure before it in the text, a column's,
    is on the page too: that figure closing the page before, at the foot of its last column
    (after as much of that column's text as leaves it room: _column_foot; else heading that
    column alone, its photo cropped to the column's height around its centre, object-fit: cover,
    down to CROP_LEAST of it and no flatter than CROP_FLATTEST), and the figure across the columns
    heading its page, anchored at the same line: the one layout that keeps the figures' order
    with the page headed (stage-review.md, magazine: the column's photo and the wide one had
    page 2 to themselves, a hole of 6.7 lines above the wide one, the last paragraphs on page 3).
    None (an empty list) when no such figure is left, or the page before has no column for it."""
    columns = laid.columns
    line = body_line(columns)
    if line <= 0:
        return []
    located = spots(columns)
    order = placement.figures()
    found: list[Placement] = []
    gapped = _gapped(laid, line)
    for span in gapped + [s for s in laid.spans if s not in gapped and _short_before(laid, s, line)]:
        number = int(span.block.attributes[BLOCK])
        earlier = [f for f in order if f < number]
        page = span.page if span in gapped else span.page - 1  # the page it is to head
        if page < 1 or not earlier:
            continue
        previous = earlier[-1]
        on_page = [(c, b) for c, column in enumerate(columns) if column.page == page and (
                       page < span.page or column.bottom <= span.block.top + EPSILON) for b in column.blocks
                   if b.tag == "figure" and BLOCK in b.attributes]
        if [int(b.attributes[BLOCK]) for _, b in on_page] != [previous]:
            continue  # (the figure before it is not that page's only column figure above it)
        figure = on_page[0][1]
        before = [c for c, column in enumerate(columns) if column.page == page - 1 and column.blocks]
        if not before or any(s.page == page - 1 for s in laid.spans):
            continue
        c = before[-1]
        moved = placement.copy()
        foot = _column_foot(laid, located, c, figure, line)
        if foot is None:  # taller than the column leaves below any of its text: alone in it,
            if not _beside(columns, c):  # the text before it in the column beside
                continue
            anchor = _first_text(columns, located, c)
            room = (laid.feet[page - 1] if page - 1 < len(laid.feet) else columns[c].bottom) \
                - columns[c].top
            if anchor is None or not _alone(moved, laid, figure, room):
                continue
            foot = (*anchor, "bottom")
        else:
            moved.crops.pop(previous, None)
        if _keeps_order(foot[:2], "bottom", False, placement.floor(previous)) is None:
            continue
        moved.anchors[previous] = foot
        moved.breaks.pop(previous, None)
        if _beside(columns, c) and foot[:2] == _first_text(columns, located, c):
            moved.breaks[previous] = "before"  # (the page's run of columns ends: balanced)
        moved.anchors[number] = (*foot[:2], "top")
        for changes in (moved.breaks, moved.crops, moved.drops):
            changes.pop(number, None)
        moved.drops.pop(previous, None)
        if moved.key() != placement.key():
            found.append(moved)
    return found


def _alone(moved: Placement, laid: Laid, figure: Block, room: float) -> bool:
    """Whether a column's ``figure`` fits a column of ``room`` CSS px alone, unpadded (nothing
    follows it there), its photo cropped around its centre where it must be (object-fit: cover,
    down to CROP_LEAST of its height as the layout sets it, no flatter than CROP_FLATTEST, not
    one marked ``nocrop``): when it does, ``moved`` gets that height (crops) and no padding."""
    number = int(figure.attributes[BLOCK])
    if number not in laid.photos:
        return False
    width, photo = laid.photos[number]
    natural = moved.photos.get(number, photo)
    other = figure.border_bottom - figure.border_top - moved.pads.get(number, 0.0) - photo
    height = min(round(room - other - 0.5, 3), natural)  # (its caption and credit kept)
    if height < max(CROP_LEAST * natural, width / CROP_FLATTEST) or (
            height < natural and "nocrop" in figure.attributes.get("class", "").split()):
        return False
    moved.crops[number], moved.pads[number] = height, 0.0
    moved.photos.setdefault(number, photo)
    return True


def opened(placement: Placement, laid: Laid) -> list[Placement]:
    """Another placement for a body that starts on the page after the opener's though that page
    leaves 2 × KEPT lines or more (_opener_page), where no figure is what sent it on (a table or
    box that did not fit there, rail-diary.md, magazine): the body's first column figure closing
    the opener's page alone in its last column (cropped to it where it must be: _alone), a
    column break forced before it, when the text before it fits the columns before that one;
    and that figure heading the page's first column alone, a column break forced after it, when
    all the text fits the columns after it, the lead photo trimmed by the lines it needs for
    that (TRIM_LINES at most, down to TRIM_LEAST of it, as figures.trimmed trims it); and, when
    all the text fits the opener's page, that figure heading the next page before the last
    blocks of KEPT lines or more (_last_blocks), its one column holding no figure beside the
    text (pocket). None (an empty list) when none holds."""
    columns = laid.columns
    line = body_line(columns)
    if not columns or line <= 0 or columns[0].page == 0 or laid.opener <= 0 or not laid.feet:
        return []
    room = int((laid.feet[0] - laid.opener + EPSILON) // line) * line
    count = columns[0].count
    if room < 2 * KEPT * line:
        return []
    blocks = {int(b.attributes[BLOCK]): b for column in columns for b in column.blocks
              if BLOCK in b.attributes and OFFSET not in b.attributes}
    spanning = placement.spanning()
    figures = [n for n in placement.figures() if n in blocks and n not in spanning]
    if not figures or any(n < figures[0] for n in spanning):
        return []
    number = figures[0]
    found = []
    parts = [b for column in columns for b in column.blocks if BLOCK in b.attributes
             and b.tag != "figure"]  # (a paragraph's parts on either side of a break too)
    text = sum(b.bottom - b.top for b in parts if int(b.attributes[BLOCK]) < number)
    after = blocks.get(number + 1)
    moved = placement.copy()
    if count > 1 and text <= (count - 1) * room and after is not None and after.tag != "figure" \
            and number + 1 not in spanning and _alone(moved, laid, blocks[number], room):
        moved.anchors[number] = (number + 1, 0, "bottom")
        moved.breaks[number] = "before"
        found.append(moved)
    # or heading its first column alone, all the text in the next ones, the lead photo trimmed
    # by the lines (TRIM_LINES at most, as figures.trimmed trims it) that they need: an article
    # of one page (credits-scraped.txt: its one photo after all its text, a line more than a
    # column of page 1 holds)
    first = min((n for n, b in blocks.items() if b.tag != "figure"), default=None)
    whole = sum(b.bottom - b.top for b in parts)
    lines = max(0, math.ceil((whole - (count - 1) * room) / (max(1, count - 1) * line) - 0.01))
    moved = placement.copy()
    if count < 2 or (lines and (placement.lead is not None
                                or laid.lead - lines * line < TRIM_LEAST * laid.lead)):
        lines = TRIM_LINES + 1  # (one column, already trimmed, or none to trim: no room to be had)
    if first is not None and lines <= TRIM_LINES \
            and _alone(moved, laid, blocks[number], room + (lines - 1) * line):  # (the line of
        # space under it kept: WeasyPrint keeps a margin before a forced column break)
        if lines:
            moved.lead, moved.untrimmed = round(laid.lead - lines * line, 3), laid.lead
        moved.anchors[number] = (first, 0, "top")
        moved.breaks[number] = "after"
        found.append(moved)
    # or, all the text fitting the opener's page, heading the next page before the last blocks
    # (KEPT lines or more): the one-column pocket layout, where it cannot stand beside the text
    # (station-brief.md: its one photo after its three short paragraphs)
    located = spots(columns)
    flow = [(c, n, 0.0) for c, column in enumerate(columns)
            for n, (block, _) in enumerate(_body_lines(column)) if block.tag != "figure"]
    last = _with_heading(columns, _last_blocks(columns, located, flow, KEPT)) \
        if flow and whole <= count * room else None
    if last is not None:
        moved = placement.copy()
        moved.anchors[number] = (*last, "top")
        for changes in (moved.breaks, moved.crops):
            changes.pop(number, None)
        found.append(moved)
    for moved in found:
        moved.drops.pop(number, None)
    return [moved for moved in found if moved.key() != placement.key()]


#: A photo set across the columns is cropped to the room a page leaves at its foot down to this
#: share of its height as the layout sets it (an art director's least crop of a photo)…
CROP_LEAST = 0.6
#: … and to no flatter a strip than this (its width to its height).
CROP_FLATTEST = 3.0


def _span_crop(placement: Placement, laid: Laid, located: dict[tuple[int, int], Spot], span: Span,
               line: float, pad: float, floor: tuple[int, int, int] | None = None,
               ending: list[int] | None = None) -> tuple[tuple[int, int, str], tuple[float, float]] | None:
    """A figure across the columns that heads a page because it did not fit below the text of
    the page before, which it leaves less than half filled (short_pages) or well short
    (_short_before), where the text after
    it is too short to fill the room that page leaves (_span_hole's lines): at that page's foot
    after the same text (and as much of the text after it as evens the columns above it:
    _span_hole), its photo cropped to the room down to the foot (clipped around its centre:
    object-fit: cover, its caption and credit kept under it; not padded to whole lines: nothing
    follows it on its page); when the text after it would be a last page of fewer than
    LEAST_LAST lines, before the last blocks (_last_blocks) instead, which make that page: its
    number is then added to ``ending`` (the caller forces a page break after it). (Its anchor,
    (its photo's height, the figure's pad)); ``pad``: the
    padding it was laid out with. None when it would fit uncropped, is marked ``nocrop``, or
    would be cropped below CROP_LEAST of its photo's height or flatter than CROP_FLATTEST, or
    when that anchor would set it out of order (``floor``: Placement.floor)."""
    columns, figure = laid.columns, span.block
    number = int(figure.attributes[BLOCK])
    if "nocrop" in figure.attributes.get("class", "").split() or number not in laid.photos \
            or not _heads_page(laid, span, line) or not (half_empty(laid, span.page - 1)
                                                         or _short_before(laid, span, line)):
        return None
    room = _room_before(laid, span, line)
    if room is None:
        return None
    last, foot, lines = room
    ends = [max(b.bottom for b in c.blocks) for c in last]
    below = [c for c, column in enumerate(columns) if column.page > span.page or (
        column.page == span.page and column.top >= figure.border_bottom - EPSILON)]
    after = sum(1 for c in below for block, _ in _body_lines(columns[c]) if block.tag != "figure")
    if not below or after > lines:
        return None  # the text after it fills that room (_span_hole), at its natural size
    width, photo = laid.photos[number]
    natural = placement.photos.get(number, photo)
    other = figure.border_bottom - figure.border_top - pad - photo  # its credit and caption
    # below the run of columns (which may end below its text) and the line of space above it,
    # to the foot; a line less than it was cropped to when it was cropped so and did not fit
    room = foot - max(ends + [c.bottom for c in last]) - line - 0.5
    height = round(room - other, 3)
    if height >= placement.crops.get(number, math.inf) - EPSILON:
        height = round(placement.crops[number] - line, 3)
    if height >= natural - EPSILON or height < max(CROP_LEAST * natural, width / CROP_FLATTEST):
        return None
    # after the same text, or with as much of the text after it as evens the columns above it,
    # in whole blocks (a paragraph cut there was measured where it followed the figure, without
    # its indent: with it, its part before the figure could end in one word)
    moved = _span_hole(laid, located, span, line)
    start = moved[:2] if moved and moved[1] == 0 else _first_text(columns, located, below[0])
    if after < LEAST_LAST and ending is not None:
        # the text after it would be a last page of a line or two: the last blocks before it
        # go after it too, onto that page (a page break after it: _last_blocks)
        before = [c for c, column in enumerate(columns) if column.page == span.page - 1]
        flow = [(c, n, 0.0) for c in [*before, *below] for n, (block, _) in enumerate(_body_lines(columns[c]))
                if block.tag != "figure"]
        tail = _last_blocks(columns, located, flow)
        if tail is not None:
            start = tail
            ending.append(number)
    anchor = _keeps_order(_with_heading(columns, start), "bottom", True, floor)
    if anchor is None:
        return None
    return (*anchor, "bottom"), (height, 0.0)


def _beside(columns: list[Column], c: int) -> bool:
    """Whether column ``c`` has a column before it on its page, in the same run of columns."""
    return c > 0 and columns[c - 1].page == columns[c].page \
        and abs(columns[c - 1].top - columns[c].top) < EPSILON


def _holes(laid: Laid, located: dict[tuple[int, int], Spot],
           line: float) -> dict[int, tuple[int, int, str]]:
    """Figures heading a column after a column left short by whole lines (the figure did not fit
    below its text there): each moved on by as many lines as the hole holds, so that the text
    after it fills the hole and it heads the column again. A column that ends its page, with
    nothing set across the columns below it, is short of the page's foot."""
    columns = laid.columns
    found = {}
    for c in range(1, len(columns)):
        before, column = columns[c - 1], columns[c]
        if not before.blocks or not column.blocks:
            continue
        figure: Block | None = column.blocks[0]
        if figure.tag != "figure" or BLOCK not in figure.attributes:
            continue
        number = int(figure.attributes[BLOCK])
        foot = before.bottom
        if column.page > before.page and before.page < len(laid.feet) and not any(
                span.page == before.page and span.block.top >= before.top for span in laid.spans):
            foot = max(foot, laid.feet[before.page])
        lines = int((foot - before.blocks[-1].bottom + EPSILON) // line)
        if lines < 1:
            continue
        anchor = _fill(columns, located, c, figure, lines, foot - before.blocks[-1].bottom,
                       onward=half_empty(laid, before.page))
        if anchor is not None:
            found[number] = (*anchor, "top")
    return found


def _fill(columns: list[Column], located: dict[tuple[int, int], Spot], c: int,
          figure: Block | None, lines: int, room: float, onward: bool = False) -> tuple[int, int] | None:
    """Where a figure goes (heading column ``c``, or closing the page before it) so that the
    text of column ``c`` after it (``figure`` left out; None: none there) fills a hole of
    ``lines`` whole lines, ``room`` CSS px, before it. A figure alone in column ``c`` takes that
    text from the column beside it (the run's columns balanced with the figure the tallest
    block); ``onward``, from the next column heading the next page too (the text after it sent
    on past it: a tall portrait photo alone on its page left the page before it 76% empty;
    only for a page more than half empty: a hole of a line or two on the opener's page, filled
    so, sent the opener's text on with it)."""
    if figure is not None and [id(b) for b in columns[c].blocks] == [id(figure)] \
            and c + 1 < len(columns) \
            and (_beside(columns, c + 1) or (onward and columns[c + 1].page > columns[c].page)) \
            and columns[c + 1].blocks and columns[c + 1].blocks[0].tag != "figure":
        c, figure = c + 1, None
    flow = _body_lines(columns[c])
    body = [n for n, (block, _) in enumerate(flow) if block is not figure]
    # only lines of paragraphs move up: a heading kept with its text may be what left the hole
    if len(body) > lines and all(flow[n][0].tag == "p" for n in body[:lines]):
        if _leaves_no_widow(columns, c, *flow[body[lines]], orphans=True):
            return _anchor(located.get((c, body[lines])))
        # one line fewer in the hole, or as few as leave no widow
        return _partial_fill(columns, flow, body, located, c, lines - 1)
    if body and c + 1 < len(columns) and all(
            flow[n][0].tag == "p" and "end" not in flow[n][0].attributes.get("class", "").split()
            for n in body):
        # all the column's text fits the hole (and more text follows it): the figure after
        # that text, heading the next column
        return _first_text(columns, located, c + 1)
    # a table, list, box, quote or heading after it: as much as fits the hole, measured by
    # height (its lines do not say it: a table's cells, a heading's margin), ending with no
    # heading left without its lines
    return _fill_by_height(columns, located, c, figure, room)


def _span_foot_fill(laid: Laid, located: dict[tuple[int, int], Spot], span: Span,
                    line: float) -> tuple[int, int, str] | None:
    """A figure across the columns that closes its page (nothing below it there) under a row
    of columns whose last ends whole lines short of the row's foot, the text after it on the
    next page: moved on by the lines of that text that fill the hole (the column's figures
    heading that page left out)."""
    columns, figure = laid.columns, span.block
    if _text(columns, span.page, below=figure.border_bottom):
        return None
    row = [c for c, column in enumerate(columns) if column.page == span.page
           and column.bottom <= figure.top + EPSILON and column.blocks]
    after = [c for c, column in enumerate(columns) if column.page > span.page]
    if not row or not after:
        return None
    last = columns[row[-1]]
    room = last.bottom - last.blocks[-1].bottom
    if int((room + EPSILON) // line) < KEPT:
        return None
    text = [located[(c, n)] for c in after for n, (block, _) in enumerate(_body_lines(columns[c]))
            if block.tag != "figure" and (c, n) in located]
    for c in after[:2]:  # (a column holding nothing but a figure: the one beside it)
        blocks = columns[c].blocks
        if not blocks or all(b.tag == "figure" for b in blocks):
            continue
        if blocks[0].tag == "figure":
            return None  # text under a figure heading that column: it moves the figure too
        for lines in range(int((room + EPSILON) // line), KEPT - 1, -1):
            anchor = _fill(columns, located, c, None, lines, room - (
                int((room + EPSILON) // line) - lines) * line)
            # (not leaving the text after it a last page of a line or two: _last_blocks)
            if anchor is not None and sum(
                    (spot.block, spot.offset) >= anchor
                    for spot in text) >= LEAST_LAST:
                return (*anchor, "bottom")
        return None
    return None


def _opener_page(laid: Laid, located: dict[tuple[int, int], Spot],
                 line: float) -> dict[int, tuple[int, int, str]]:
    """The column figures that come before the text the opener's page would hold (in the
    source), when the body starts on a later page though that page leaves 2 × KEPT lines or
    more below the opener (WeasyPrint sends the whole run of columns on when a figure in its
    first columns fits none of them there): each moved on to where that text ends (before the
    line, or the list, table or box, that would not fit), heading the column it starts."""
    columns = laid.columns
    if not columns or columns[0].page == 0 or laid.opener <= 0 or not laid.feet:
        return {}
    room = int((laid.feet[0] - laid.opener + EPSILON) // line) * line
    if room < 2 * KEPT * line:
        return {}
    capacity, used = columns[0].count * room, 0.0
    for c, column in enumerate(columns):
        above = column.top  # (the text's height in the column: its figures left out)
        for n, (block, i) in enumerate(_body_lines(column)):
            if block.tag == "figure":
                above += block.bottom - block.top if i == len(block.lines) - 1 else 0.0
                continue
            if used + block.lines[i].bottom - above <= capacity + EPSILON:
                continue
            spot = located.get((c, n))
            anchor = _anchor(spot) or ((spot.block, 0) if spot is not None else None)
            anchor = _with_heading(columns, anchor)
            if anchor is None:
                return {}
            figures = {int(b.attributes[BLOCK]) for column in columns for b in column.blocks
                       if b.tag == "figure" and BLOCK in b.attributes}
            return {number: (*anchor, "top") for number in sorted(figures) if number < anchor[0]}
        used += max((b.bottom for b in column.blocks), default=column.top) - above
    return {}


def _fill_by_height(columns: list[Column], located: dict[tuple[int, int], Spot], c: int,
                    figure: Block | None, room: float) -> tuple[int, int] | None:
    """Where ``figure``, heading column ``c`` (None: alone in the column before it), goes so
    that the most of the blocks after it that fits a hole of ``room`` CSS px (at the foot of the
    column before) fills it, measured by the height they take where they stand (a table, list,
    box or pull quote whole, with its top margin; a paragraph by its lines): whole blocks and
    paragraph lines, a heading only with two lines of its text, no other figure, no paragraph
    cut with one line alone after the figure.
    All of the column's blocks only when more text follows in the next column, none of it the
    end mark's: the figure then comes right after them, heading that column."""
    column = columns[c]
    flow = [(n, block, i) for n, (block, i) in enumerate(_body_lines(column)) if block is not figure]
    if not flow:
        return None
    start = flow[0][1].top  # the first block's margin box: its top margin comes with it
    for k in range(len(flow), 0, -1):
        _, last, i_last = flow[k - 1]
        moved = [block for _, block, _ in flow[:k]]
        if any(b.tag == "figure" for b in moved) or not _all_kept(moved):
            continue
        ends = last.border_bottom if i_last == len(last.lines) - 1 else last.lines[i_last].bottom
        if ends - start > room + EPSILON:
            continue
        if k == len(flow):  # all of it: right after the column's last block
            if c + 1 == len(columns) or any(
                    "end" in b.attributes.get("class", "").split() for b in moved):
                continue
            following = columns[c + 1].blocks[0] if columns[c + 1].blocks else None
            if following is not None and BLOCK in following.attributes and \
                    following.attributes[BLOCK] == last.attributes.get(BLOCK):
                anchor = _first_text(columns, located, c + 1)  # (it goes on there)
            else:
                anchor = (int(last.attributes[BLOCK]), _AFTER) if BLOCK in last.attributes else None
        else:
            n, block, i = flow[k]
            if not _leaves_no_widow(columns, c, block, i):
                continue
            anchor = _anchor(located.get((c, n)))
        if anchor is not None:
            return anchor
    return None


def heads(block: Block) -> bool:
    """Whether ``block`` heads the text after it and is kept with its first lines: a sub-heading,
    or a paragraph wholly in bold (``LEAD_IN``)."""
    return block.tag in _HEADINGS or (
        block.tag == "p" and LEAD_IN in block.attributes.get("class", "").split())


#: The class of a paragraph ending in a colon (render.introduces): it introduces the block after it.
INTRODUCES = "introduces"


def _next_in_flow(laid: Laid, c: int, n: int) -> tuple[Block | None, bool]:
    """The block a reader meets after block ``n`` of column ``c`` (None at the text's end), and
    whether a page break or a figure set across the columns comes between them (a column break
    of a row of columns side by side is none)."""
    columns = laid.columns
    column = columns[c]
    if n + 1 < len(column.blocks):
        return column.blocks[n + 1], False
    later = next((d for d in columns[c + 1:] if d.blocks), None)
    if later is None:
        return None, False
    if later.page != column.page:
        return later.blocks[0], True
    across = any(s.page == column.page and column.top < s.block.top < later.top
                 for s in laid.spans)
    return later.blocks[0], across


def parted(laid: Laid) -> list[tuple[int, Block]]:
    """(page from 0, paragraph) for each paragraph that introduces the block after it (ending in
    a colon: render.introduces, class INTRODUCES; a short one before a quote or a table is a
    lead-in, which ``heads`` keeps as a heading) parted from that block by a figure (in its
    column, or set across the columns) or a page break: "…قبل أن تصل إلى الصنبور:" closing a page,
    its list after the wide photo heading the next. A column break between two columns side by
    side (a balanced page's) is no parting: the reader's eye goes on across."""
    found = []
    for c, column in enumerate(laid.columns):
        for n, block in enumerate(column.blocks):
            if not introduces(block) or heads(block):
                continue
            after, broken = _next_in_flow(laid, c, n)
            if after is None or after.attributes.get(BLOCK) == block.attributes.get(BLOCK):
                continue  # (the text's end, or the paragraph going on)
            if broken or after.tag == "figure":
                found.append((column.page, block))
    return found


def _introduced_at(laid: Laid) -> list[tuple[int, int]]:
    """(introducing paragraph, the block it introduces), block numbers, for each parting."""
    found = []
    for _, block in parted(laid):
        number = int(block.attributes[BLOCK])
        following = sorted(int(b.attributes[BLOCK]) for c in laid.columns for b in c.blocks
                           if BLOCK in b.attributes and b.tag != "figure"
                           and int(b.attributes[BLOCK]) > number)
        if following:
            found.append((number, following[0]))
    return found


def introduced(placement: Placement, laid: Laid) -> list[Placement]:
    """Other placements for a figure that parts an introducing paragraph from the block it
    introduces (parted): the figure put before that paragraph instead (and the headings before
    it: _with_heading), heading the page or column with the paragraph after it, or closing the
    one before with the paragraph on the next with its block. None when no figure is anchored
    between them."""
    found = []
    spanning = placement.spanning()
    for paragraph, block in _introduced_at(laid):
        anchor = _with_heading(laid.columns, (paragraph, 0))
        assert anchor is not None
        moved = placement.copy()
        for number, (at, offset, where) in placement.in_order().items():
            if not (paragraph < at <= block or (at == paragraph and offset > 0)):
                continue
            kept = _keeps_order(anchor, where, number in spanning, moved.floor(number))
            if kept is None:
                continue
            moved.anchors[number] = (*kept, where)
            for changes in (moved.breaks, moved.crops, moved.drops):
                changes.pop(number, None)
        if moved.key() != placement.key():
            found.append(moved)
    return found


def _paragraph_parts(laid: Laid) -> dict[int, list[tuple[int, list[int]]]]:
    """Each paragraph laid out in parts (cut around a figure or by a forced column break):
    block number → its parts in order, each (its offset, the offset of each of its lines)."""
    parts: dict[int, dict[int, list[int]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for column in laid.columns:
        for block in column.blocks:
            if block.tag != "p" or BLOCK not in block.attributes:
                continue
            key = (int(block.attributes[BLOCK]), int(block.attributes.get(OFFSET, "0")))
            lines = parts.setdefault(key[0], {}).setdefault(key[1], [])
            for line in block.lines:
                lines.append(key[1] + seen.get(key, 0))
                seen[key] = seen.get(key, 0) + _count(line.text)
    return {number: sorted(split.items()) for number, split in parts.items() if len(split) > 1}


def lone_parts(laid: Laid) -> list[tuple[int, int, int]]:
    """(block, the offset of the cut that made it, the offset that cut goes to instead) for each
    part of a paragraph cut in two around a figure that holds fewer than KEPT lines, an orphan
    above the figure or a widow below it (the layouts' orphans and widows hold no longer: to
    WeasyPrint the parts are two paragraphs). The cut goes before the paragraph for an orphan,
    KEPT lines before its end for a widow (before the paragraph when it has fewer than 2 KEPT)."""
    found = []
    for number, split in _paragraph_parts(laid).items():
        every = [offset for _, lines in split for offset in lines]
        first, last = split[0], split[-1]
        if 0 < len(first[1]) < KEPT:
            found.append((number, split[1][0], 0))
        elif 0 < len(last[1]) < KEPT:
            found.append((number, last[0], every[-KEPT] if len(every) >= 2 * KEPT else 0))
    return found


def kept_lines(placement: Placement, laid: Laid) -> list[Placement]:
    """The placement with each figure whose anchor cuts a paragraph into a part of fewer than
    KEPT lines (lone_parts) anchored where the cut leaves none: before the paragraph, or KEPT
    lines before its end; none when no figure makes such a part (a forced column break, which
    rebalanced sets, is left to it) or the move would set a figure out of order."""
    moved = placement.copy()
    spanning = placement.spanning()
    for number, offset, instead in lone_parts(laid):
        # (all the figures at that cut go together, in the order they stand there: one across
        # the columns heading the page, a column's heading a column after it)
        there = sorted((figure, where) for figure, (block, at, where) in placement.in_order().items()
                       if block == number and at == offset)
        if not there or _keeps_order((number, instead), there[0][1], there[0][0] in spanning,
                                     moved.floor(there[0][0])) is None:
            continue
        for figure, where in there:
            moved.anchors[figure] = (number, instead, where)
            for changes in (moved.breaks, moved.drops):
                changes.pop(figure, None)
    return [moved] if moved.key() != placement.key() else []


def _all_kept(moved: list[Block]) -> bool:
    """Whether every heading in ``moved`` (a lead-in by its last line there) is ``_kept_with``."""
    return all(_kept_with(moved, i) for i, b in enumerate(moved)
               if (heads(b) or introduces(b)) and (i + 1 == len(moved) or moved[i + 1] is not b))


def introduces(block: Block) -> bool:
    """Whether ``block`` is a paragraph that introduces the block after it (INTRODUCES: ending in
    a colon), which text moved past a figure keeps with that block as a heading is (parted)."""
    return block.tag == "p" and INTRODUCES in block.attributes.get("class", "").split()


def _kept_with(moved: list[Block], i: int) -> bool:
    """Whether the heading ``moved[i]`` goes with two lines of the block after it (all of it
    when shorter), or with another heading that does."""
    after = moved[i + 1:]
    if not after:
        return False
    if heads(after[0]):
        return True  # (checked in its turn)
    return len([b for b in after if b is after[0]]) >= min(2, len(after[0].lines))


def _leaves_no_widow(columns: list[Column], c: int, block: Block, i: int, orphans: bool = False) -> bool:
    """Whether a figure put before line ``i`` of ``block`` (in column ``c``) leaves at least
    two lines of its paragraph after it (KEPT, the layouts' widows, which no longer hold the
    two paragraphs it is cut into), counting those the paragraph has in the next column;
    ``orphans``: and at least two before it, counting those in the column before (a hole is not
    filled, nor a page balanced, with a paragraph's first line alone: _fill, _partial_fill,
    _balance_point; elsewhere an orphan so is left to
    kept_lines, which the layout's quality weighs: required everywhere, it sent traffic-law.md's
    magazine page 2 off the grid)."""
    if i == 0:
        return True
    part = (block.attributes.get(BLOCK), block.attributes.get(OFFSET))
    after, before = len(block.lines) - i, i
    if c + 1 < len(columns) and columns[c + 1].blocks and block is columns[c].blocks[-1]:
        following = columns[c + 1].blocks[0]
        if (following.attributes.get(BLOCK), following.attributes.get(OFFSET)) == part:
            after += len(following.lines)
    if c > 0 and columns[c - 1].blocks and block is columns[c].blocks[0]:
        preceding = columns[c - 1].blocks[-1]
        if (preceding.attributes.get(BLOCK), preceding.attributes.get(OFFSET)) == part:
            before += len(preceding.lines)
    return after >= KEPT and (before >= KEPT or not orphans)


def _partial_fill(columns: list[Column], flow: list[tuple[Block, int]], body: list[int],
                  located: dict[tuple[int, int], Spot], c: int, lines: int) -> tuple[int, int] | None:
    """Where the figure heading column ``c`` goes so that the most of the text after it that
    fits a hole of ``lines`` lines fills it: whole blocks and paragraph lines, a heading only
    with two lines of its text (all of it when shorter), no other figure, and no paragraph cut
    with one line alone after the figure."""
    for k in range(min(lines, len(body) - 1), 0, -1):
        moved = [flow[n][0] for n in body[:k]]
        if any(b.tag == "figure" for b in moved) or not _all_kept(moved):
            continue
        if not _leaves_no_widow(columns, c, *flow[body[k]], orphans=True):
            continue
        anchor = _anchor(located.get((c, body[k])))
        if anchor is not None:
            return anchor
    return None


def _target(columns: list[Column], located: dict[tuple[int, int], Spot], c: int, figure: Block,
            line: float, prefer_top: bool,
            floor: tuple[int, int, int] | None = None) -> tuple[int, int, str] | None:
    """The top of column ``c`` or its bottom, whichever is nearer to where ``figure`` fell and
    does not come before the figure before it (``floor``: Placement.floor)."""
    column = columns[c]
    lines = _body_lines(column)
    top = None
    for n, (block, _) in enumerate(lines):
        if block is not figure:
            top = _anchor(located.get((c, n)))
            break
    height = figure.border_bottom - figure.border_top + line  # with the line of space above
    bottom = None
    for n, (block, i) in enumerate(lines):
        if block is figure:
            continue
        position = block.lines[i].bottom
        if block.top > figure.top:
            position -= figure.bottom - figure.top
        if position > column.bottom - height + EPSILON:
            bottom = _anchor(located.get((c, n)))
            break
    heads = next((block for block, _ in lines if block is not figure), None)
    if bottom is None and c + 1 < len(columns) and (top is not None or (
            heads is not None and heads.tag == "figure")):  # (another figure heads the column)
        bottom = _anchor(located.get((c + 1, 0)))  # the whole rest of the column fits above it
    bottom = _with_heading(columns, bottom)  # (at the foot: the heading goes on with its text)
    top = _keeps_order(top, "top", False, floor)
    bottom = _keeps_order(bottom, "bottom", False, floor)
    up = figure.top - column.top
    down = column.bottom - figure.bottom
    if top is not None and (prefer_top or bottom is None or up <= down):
        return (*top, "top")
    if bottom is not None:
        return (*bottom, "bottom")
    return None


# --- the last page ----------------------------------------------------------------------------

def _last_columns(columns: list[Column]) -> list[Column]:
    """The last page's columns of the last multi-column box on it."""
    return [c for c in columns if c.page == columns[-1].page and abs(c.top - columns[-1].top) < EPSILON]


def _balanced_over(last: list[Column]) -> int:
    """How many columns the last page's run is balanced over: all its columns, also those
    WeasyPrint left without a box (the third of three, all the text in two), unless it is
    filled column by column (``column-fill: auto``: the columns it filled)."""
    return max(last[0].count, len(last)) if last[0].balanced else len(last)


def _row_imbalance(row: list[Column], count: int) -> float:
    """How much lower one column of a balanced run ends than another (CSS px), over ``count``
    columns: one left without a box ends at its top."""
    ends = [max(b.border_bottom for b in c.blocks) if c.blocks else c.top for c in row]
    ends += [row[0].top] * (count - len(row))
    return max(ends) - min(ends)


def _span_rows(columns: list[Column], spans: list[Span]) -> list[tuple[list[int], Span]]:
    """The runs of columns (indices) that end above a figure across the columns on its page,
    other than the last page's, each with that figure: WeasyPrint balances the text before such
    a figure as it balances a last page, and a column's figure it cannot split may leave one
    column short."""
    rows: list[tuple[list[int], Span]] = []
    last = {id(c) for c in _last_columns(columns)}
    for span in spans:
        above = [c for c, column in enumerate(columns) if column.page == span.page
                 and column.bottom <= span.block.top + EPSILON]
        if not above:
            continue
        row = [c for c in above if abs(columns[c].top - columns[above[-1]].top) < EPSILON]
        if (len(row) > 1 or columns[row[0]].count > 1) and all(row != r for r, _ in rows) \
                and not any(id(columns[c]) in last for c in row):
            rows.append((row, span))
    return rows


def _uneven(columns: list[Column], spans: list[Span], line: float) -> list[tuple[list[int], Span, float]]:
    """The runs of columns balanced above a figure across the columns (_span_rows) whose columns
    end more than KEPT lines apart (WeasyPrint's own balance of text leaves them within that),
    with that figure and how far apart (CSS px): a column left short above the figure."""
    found = []
    for row, span in _span_rows(columns, spans):
        apart = _row_imbalance([columns[c] for c in row], max(columns[row[0]].count, len(row)))
        if apart > KEPT * line + EPSILON:
            found.append((row, span, apart))
    return found


def imbalance(columns: list[Column], spans: list[Span] | None = None) -> float:
    """How much lower one column of the last page ends than another (CSS px); a column left
    without a box ends at its top. With ``spans`` (the figures across the columns), also how
    far apart the columns of each run balanced above one end, where that is more than KEPT
    lines (_uneven)."""
    if not columns:
        return 0.0
    last = _last_columns(columns)
    return _row_imbalance(last, _balanced_over(last)) + sum(
        apart for _, _, apart in _uneven(columns, spans or [], body_line(columns)))


def rebalanced(placement: Placement, laid: Laid, above_spans: bool = False) -> list[Placement]:
    """Other placements for the figures in the columns of the last page when the page's columns
    end more than two lines apart: each such figure at the top of the page's second column or at
    the bottom of its first, with as much text before it as balances the page's columns (however
    many: a figure in the first column takes its height from the text there; at the head of the
    second, it adds to that column's), a column break forced beside it (alone in the first
    column when it is taller than that column's share of the text); at the top of the page's
    first column (the text then runs on below it into the next column), and at the top of the
    column before the page (the text it pushes on fills the last page); none when the page
    balances. ``above_spans``: the same for the figures of each run of columns that WeasyPrint
    balances above a figure across the columns instead (_uneven), where a column's figure it
    cannot split leaves one column short (five-cafes' magazine page 2 ended its second column
    11 lines above its first, over its wide photo); there, at the top of the run's first
    column, the figure across the columns below made whole again (_uncropped)."""
    columns = laid.columns
    line = body_line(columns)
    if not columns or line <= 0:
        return []
    located = spots(columns)
    found: list[Placement] = []
    seen = {placement.key()}

    def add(number: int, target: tuple[int, int] | None, where: str, forced: str = "",
            span: Span | None = None) -> None:
        # not before the figure before it: in_order would set it right after that one instead,
        # with the column break meant for its own place, and the passes are few
        # (tribute-calligrapher's last photo was also tried at the foot of a column above the
        # photo before it, and at the top of the column before the page)
        target = _keeps_order(target, where, False, placement.floor(number))
        if target is None:
            return
        moved = placement.copy()
        moved.anchors[number] = (*target, where)
        moved.breaks.pop(number, None)
        if forced:
            moved.breaks[number] = forced
        if span is not None:
            _uncropped(moved, span, line)
        if moved.key() not in seen:
            seen.add(moved.key())
            found.append(moved)

    # (the run's first column, the column after its last, how many columns it is balanced over,
    # the tops a figure is tried at, whether a column break is tried in its text)
    runs: list[tuple[int, int, int, list[tuple[int, int] | None], bool]] = []
    last = _last_columns(columns)
    if not above_spans and _row_imbalance(last, _balanced_over(last)) > 2 * line + EPSILON:
        first = next(c for c, column in enumerate(columns) if column is last[0])
        tops = [_anchor(located.get((first, 0)))]
        if first > 0:
            tops.append(_anchor(located.get((first - 1, 0))))
        runs.append((first, len(columns), _balanced_over(last), tops, True))
    below: dict[int, Span] = {}  # a run's first column → the figure across the columns below it
    for row, span, _ in _uneven(columns, laid.spans, line) if above_spans else []:
        runs.append((row[0], row[-1] + 1, max(columns[row[0]].count, len(row)),
                     [_anchor(located.get((row[0], 0)))], False))
        below[row[0]] = span
    headed = _after_heading(columns)
    for first, end, count, tops, text in runs:
        span = below.get(first)
        if count > 1 and text:  # the text itself, a column break forced where it balances the
            flow, total = _page_text(columns, first, None, end)  # columns (the rest balanced
            for share in (total / count, (total + line) / count, (total - line) / count):  # over
                target = _cut_point(columns, flow, located, share, headed)  # the others)
                if target is not None:
                    moved = placement.copy()
                    moved.cuts = {target[0]: target[1]}
                    if moved.key() not in seen:
                        seen.add(moved.key())
                        found.append(moved)
        for c, column in enumerate(columns[first:end], first):
            for block in column.blocks:
                if block.tag != "figure" or BLOCK not in block.attributes:
                    continue
                number, height = int(block.attributes[BLOCK]), block.bottom - block.top
                if count > 1:  # the figure where it balances the columns
                    flow, total = _page_text(columns, first, block, end)
                    share = (total + height) / count  # each column's, the figure's included
                    add(number, _balance_point(columns, flow, located, share, headed), "top", "before",
                        span)
                    if share > height:
                        add(number, _balance_point(columns, flow, located, share - height, headed),
                            "bottom", "after", span)
                    else:  # taller than its share: alone in the first column, the text in the next
                        add(number, _first_text(columns, located, first), "top", "after", span)
                for target, top in enumerate(tops):
                    if not (target == 0 and c == first and block is column.blocks[0]):
                        add(number, top, "top", span=span)
    return found


def backed(placement: Placement, laid: Laid) -> list[Placement]:
    """When the last page's columns end more than two lines apart: each figure across the
    columns of that page at the top or the foot of the page before (_span_target, in order
    after the figure before it), the text it pushes on filling the last page (saj-bread.md's
    magazine page 3 held a wide photo and a row set after their text, beside 5 lines)."""
    columns = laid.columns
    line = body_line(columns)
    last = _last_columns(columns)
    if line <= 0 or not last or last[0].page == 0 \
            or _row_imbalance(last, _balanced_over(last)) <= 2 * line + EPSILON:
        return []
    page = last[0].page
    located = spots(columns)
    found, seen = [], {placement.key()}
    for span in laid.spans:
        if span.page != page:
            continue
        number = int(span.block.attributes[BLOCK])
        for prefer in (True, None):
            target = _span_target(laid, located, page - 1, span, line, prefer,
                                  floor=placement.floor(number))
            moved = _sent(placement, number, target) if target is not None else None
            if moved is not None and moved.key() not in seen:
                seen.add(moved.key())
                found.append(moved)
    return found


def _uncropped(placement: Placement, span: Span, line: float) -> None:
    """``placement`` with the figure across the columns of ``span`` whole again (uncropped, padded
    to whole lines, not dropped), where it was cropped to the room a run of columns above it left
    at a page's foot: balancing that run changes the room (the passes crop it, drop it to the foot
    or grow it into the hole again from where it then falls)."""
    number = int(span.block.attributes[BLOCK])
    if number not in placement.crops:
        return
    natural = placement.photos.get(number)
    cropped = placement.crops.pop(number)
    placement.drops.pop(number, None)
    if natural is not None:
        whole = span.block.border_bottom - span.block.border_top - placement.pads.get(number, 0.0) \
            - cropped + natural
        placement.pads[number] = round(math.ceil(whole / line - 0.01) * line - whole, 3)


def _page_text(columns: list[Column], first: int, moved: Block | None,
               end: int | None = None) -> tuple[list[tuple[int, int, float]], float]:
    """The lines of text from column ``first`` on (to column ``end``, not included: None, the
    last), each (column, line index in it, how much of the page's content ends with it,
    ``moved`` left out), and all of that content."""
    flow, before = [], 0.0
    for c in range(first, len(columns) if end is None else end):
        column = columns[c]
        for n, (block, i) in enumerate(_body_lines(column)):
            if block.tag != "figure":
                bottom = block.lines[i].bottom
                above = moved.bottom - moved.top \
                    if moved is not None and moved in column.blocks and moved.bottom <= bottom else 0
                flow.append((c, n, before + bottom - column.top - above))
        before += max((b.bottom for b in column.blocks), default=column.top) - column.top
        if moved is not None and moved in column.blocks:
            before -= moved.bottom - moved.top
    return flow, before


def _after_heading(columns: list[Column]) -> set[int]:
    """The blocks (numbers) that come right after a heading: a column break or a figure before
    one would leave the heading alone at a column's foot."""
    return {int(b.attributes[BLOCK]) + 1 for c in columns for b in c.blocks
            if BLOCK in b.attributes and heads(b)}


def _cut_point(columns: list[Column], flow: list[tuple[int, int, float]],
               located: dict[tuple[int, int], Spot], height: float,
               headed: set[int] = frozenset()) -> tuple[int, int] | None:
    """Where a forced column break leaves as much text before it as comes nearest ``height``:
    before a block (not one right after a heading: ``headed``), or inside a paragraph with two
    lines of it on either side (the two parts are two paragraphs: the layout's orphans and
    widows no longer hold them)."""
    best: tuple[float, tuple[int, int]] | None = None
    for k, (c, n, _) in enumerate(flow):
        block, i = _body_lines(columns[c])[n]
        if i != 0 and not (block.tag == "p" and 2 <= i <= len(block.lines) - 2):
            continue
        anchor = _anchor(located.get((c, n)))
        if anchor is None or (anchor[1] == 0 and anchor[0] in headed):
            continue
        distance = abs((flow[k - 1][2] if k else 0.0) - height)
        if best is None or distance < best[0]:
            best = (distance, anchor)
    return best[1] if best else None


def _balance_point(columns: list[Column], flow: list[tuple[int, int, float]],
                   located: dict[tuple[int, int], Spot], height: float,
                   headed: set[int] = frozenset()) -> tuple[int, int] | None:
    """Where the line starts that follows as much text as comes nearest ``height``, or the
    nearest after it that a figure can be put before (not right after a heading: ``headed``;
    not before a paragraph's last line, which would stand alone after it, nor after its first:
    _leaves_no_widow, orphans)."""
    if height <= 0 or not flow:
        return None
    ends = [0.0] + [ends for _, _, ends in flow[:-1]]
    k = min(range(len(flow)), key=lambda k: (abs(ends[k] - height), k))
    for c, n, _ in flow[k:]:
        anchor = _anchor(located.get((c, n)))
        if anchor is not None and not (anchor[1] == 0 and anchor[0] in headed) \
                and _leaves_no_widow(columns, c, *_body_lines(columns[c])[n], orphans=True):
            return anchor
    return None


def short_pages(laid: Laid) -> int:
    """Pages before the last whose body is less than half filled (the opener's page counts from
    where its body starts; a page with no body at all counts)."""
    return sum(half_empty(laid, page) for page in range(laid.pages - 1))


def filled(laid: Laid, page: int) -> tuple[float, float]:
    """How much of ``page``'s body area (CSS px of height) its body fills, and that area: from
    where the body starts on it (the content box's top, below the opener on the first page) to
    the type area's foot above its footnotes (laid.feet; a column that ends below it, its foot).
    Filled: each row of columns to the border box of its columns' last blocks (a block's bottom
    margin is space, not print), counted as one column (their sum over how many a row sets
    side by side), and each figure set across the columns with its margins (the line of space
    above it is part of setting it). The one measure of a page's fill: figures.quality's
    (short_pages) and the tests' (tests/checks.half_empty_pages)."""
    columns = [c for c in laid.columns if c.page == page]
    spans = [s for s in laid.spans if s.page == page]
    foot = list(laid.feet[page:page + 1])
    if not columns and not spans:
        return 0.0, 0.0
    start = min([c.top for c in columns] + [s.block.top for s in spans])
    bottom = max([c.bottom for c in columns] + [s.bottom for s in spans] + foot)
    per_row = max(1, sum(1 for c in columns if abs(c.top - columns[0].top) < EPSILON)) if columns else 1
    body = sum(max(b.border_bottom for b in c.blocks) - c.top for c in columns if c.blocks) / per_row
    body += sum(s.block.bottom - s.block.top for s in spans)
    return body, bottom - start


def half_empty(laid: Laid, page: int) -> bool:
    """Whether the body fills less than half of ``page``'s body area (filled); a page with no
    body at all counts."""
    body, area = filled(laid, page)
    return area <= 0 or body < 0.5 * area


#: The most body lines of text a last page may hold alone and still count as a widow page
#: (widow_page; figures.quality avoids it, trimmed and carried bring such lines back, pulled moves
#: a figure beside them back): three, not two, since a remnant of three lines
#: (checks.remnant_page) was kept as good as any, and the crop that closes a page with a wide
#: photo (_span_crop) left relay-altitude.md a page 3 of three lines and the first line of their
#: paragraph alone above the photo.
WIDOW_LINES = 3


def _text_on_last(laid: Laid) -> list[Block]:
    return [b for c in laid.columns if c.page == laid.pages - 1 for b in c.blocks if b.tag != "figure"]


def last_figures(laid: Laid) -> list[int]:
    """The body figures (block numbers) set on the last page, in its columns or across them."""
    last = laid.pages - 1
    found = [int(b.attributes[BLOCK]) for c in laid.columns if c.page == last for b in c.blocks
             if b.tag == "figure" and BLOCK in b.attributes]
    return found + [int(s.block.attributes[BLOCK]) for s in laid.spans
                    if s.page == last and BLOCK in s.block.attributes]


def widow_page(laid: Laid) -> bool:
    """Whether the last page holds no more than WIDOW_LINES lines of body text and nothing else,
    or beside a column's figure on a page of columns: the end of a paragraph turned onto
    a page of its own, alone or beside a photo (a column's photo and two lines, the rest of
    village-railway.md's magazine page 2 empty: the photo fills no page). A last page of figures
    and no text is none: a figure after the end mark (misplaced)."""
    last = laid.pages - 1
    if last < 1:
        return False
    lines = sum(len(b.lines) for b in _text_on_last(laid))
    if not last_figures(laid):
        return lines <= WIDOW_LINES
    # (beside a column's figure on a page of columns side by side, the others left all but empty
    # beside it; in one column, the pocket's, a photo as wide as the text with the last lines
    # under it fills its page as far as it goes, as an article's last page may end, and a photo
    # across the columns heading the last page over its last lines is an ending the placement
    # makes on purpose (_last_blocks); a last page of figures and no text: one after the end
    # mark, misplaced)
    across = max([c.count for c in laid.columns if c.page == last] or [1])
    beside = any(b.tag == "figure" for c in laid.columns if c.page == last for b in c.blocks)
    return beside and across > 1 and 0 < lines <= WIDOW_LINES


#: The most body lines per column a last page of columns side by side may hold, its columns
#: counted together, and still be a thin page (thin_page): WIDOW_LINES each, six on a page of two.
THIN_LINES = WIDOW_LINES


def thin_page(laid: Laid) -> bool:
    """Whether the last page, a page of two columns or more, holds no more than THIN_LINES body
    lines per column, its columns counted together, a figure on it counted as the lines its
    height takes: a handful of lines (2 + 2, 3 + 2) turned onto a page of their own, which
    widow_page (WIDOW_LINES of text on the page, whatever its columns) does not see. Measured on
    the body line by height (last_page_lines), so that a table, a quote or a heading counts as
    the lines it takes (tests/checks.thin_last_page measures so)."""
    last = laid.pages - 1
    on_last = [c for c in laid.columns if c.page == last]
    line = body_line(laid.columns)
    if last < 1 or not on_last or line <= 0 or max(c.count for c in on_last) < 2 \
            or not _text_on_last(laid):
        return False
    return last_page_lines(laid, figures=True) <= THIN_LINES * max(c.count for c in on_last)


def last_page_lines(laid: Laid, figures: bool = False) -> int:
    """The body lines of text the last page's columns hold, counted together, measured as
    thin_page measures them: each column by height, from its top to its last block of text's
    border box, less the figures above that (with their margins), in whole body lines (a table,
    a quote or a heading counts as the lines it takes). ``figures``: and the lines the page's
    figures take, a column's in its column, one across the columns in each of them."""
    line = body_line(laid.columns)
    if line <= 0:
        return 0
    last = laid.pages - 1
    lines = 0
    for column in laid.columns:
        if column.page != last or not column.blocks:
            continue
        text = [b for b in column.blocks if b.tag != "figure"]
        photos = [b for b in column.blocks if b.tag == "figure"]
        if text:
            end = max(b.border_bottom for b in text)
            lines += round((end - column.top - sum(b.bottom - b.top for b in photos if b.top < end))
                           / line)
        if figures:
            lines += sum(round((b.bottom - b.top) / line) for b in photos)
    if figures:
        count = max([c.count for c in laid.columns if c.page == last] or [1])
        lines += count * sum(round((s.block.bottom - s.block.top) / line)
                             for s in laid.spans if s.page == last)
    return lines


def thin(laid: Laid) -> bool:
    """Whether the last page is a widow page (widow_page) or a thin page of columns (thin_page)."""
    return widow_page(laid) or thin_page(laid)


#: How many body lines the lead photo may give up, at most, to bring back the lines a last page
#: would hold alone (trimmed), and the least share of its height it keeps.
TRIM_LINES = 4
TRIM_LEAST = 0.75


def trimmed(placement: Placement, laid: Laid) -> list[Placement]:
    """When the layout ends with a widow page (widow_page): the placement with the lead photo
    cut, around its centre, by one whole body line more each time (up to TRIM_LINES, keeping at
    least TRIM_LEAST of its height), so that the text before the last page moves up by as much
    and takes the lines that page holds alone back. An art director trims the opener's photo
    rather than turn a page for a line or two; a figure of the body would not do: those lines
    follow the end of a full page, and a figure moved on to make room for them would follow the
    end mark. Without a lead photo (or once it is trimmed), the tallest body photo on the page
    before the last is trimmed so instead: the text of that page moves up by as much. None when
    there is no such photo, or it is already trimmed."""
    line = body_line(laid.columns)
    if not thin(laid) or line <= 0:
        return []
    found = []
    if laid.lead > 0 and placement.lead is None:
        for lines in range(1, TRIM_LINES + 1):
            height = round(laid.lead - lines * line, 3)
            if height < TRIM_LEAST * laid.lead:
                break
            moved = placement.copy()
            moved.lead, moved.untrimmed = height, laid.lead
            found.append(moved)
    on_page = {int(b.attributes[BLOCK]) for c in laid.columns if c.page == laid.pages - 2
               for b in c.blocks if b.tag == "figure" and BLOCK in b.attributes}
    on_page |= {int(s.block.attributes[BLOCK]) for s in laid.spans if s.page == laid.pages - 2}
    photos = [(height, number) for number, (_, height) in laid.photos.items()
              if number in on_page and number not in placement.crops]
    if placement.trims or not photos:
        return found
    tallest, number = max(photos)
    for lines in range(1, TRIM_LINES + 1):
        height = round(tallest - lines * line, 3)
        if height < TRIM_LEAST * tallest:
            break
        moved = placement.copy()
        moved.trims[number] = height
        found.append(moved)
    return found


#: How many body lines a photo across the columns closing the page before a thin last page may
#: grow by, at most (thickened).
THICKEN_LINES = 4


def thickened(placement: Placement, laid: Laid) -> list[Placement]:
    """When the layout ends with a thin page (thin_page) after a page that a figure across the
    columns closes at its foot: the placement with that figure set after fewer lines of the
    text above it each time (their last lines, from a block's start, with the headings before
    it, or a paragraph cut with KEPT lines on either side: _span_crop's anchor), and its photo
    grown by the whole body lines the text set after it takes from each column of the row above
    it, by its height, balanced (clipped around its centre, object-fit: cover, as lifted grows
    one; up to THICKEN_LINES, no taller than GROW_TALLEST of its width unless it was so tall as
    laid out), so that the last page gains those lines and holds the end of the text in fuller
    columns. The lines brought back above it instead would leave
    the figure below the end mark (closing: the text after it is the last page's), and the page
    before has no room for them: an art director gives the photo the room rather than turn a
    page for a handful of lines. None when there is no such figure (or it is marked
    ``nocrop``)."""
    columns = laid.columns
    line = body_line(columns)
    last = laid.pages - 1
    if line <= 0 or not thin_page(laid):
        return []
    located = spots(columns)
    headed = _after_heading(columns)
    found = []
    for span in laid.spans:
        figure = span.block
        number = int(figure.attributes[BLOCK])
        above = [c for c, column in enumerate(columns) if column.page == span.page
                 and column.blocks and column.bottom <= figure.top + EPSILON]
        if span.page != last - 1 or number not in laid.photos or not above \
                or "nocrop" in figure.attributes.get("class", "").split() \
                or any(c.page == span.page and c.top >= figure.border_bottom - EPSILON
                       for c in columns):
            continue  # (not closing the page before the last below text)
        row = [c for c in above if abs(columns[c].top - columns[above[-1]].top) < EPSILON]
        flow = [(c, n) for c in row for n, (block, _) in enumerate(_body_lines(columns[c]))
                if block.tag != "figure"]
        width, photo = laid.photos[number]
        tallest = max(photo, GROW_TALLEST * width)
        grows: set[int] = set()
        for at in range(len(flow) - 1, 0, -1):  # (not before the row's first line: no change)
            c, n = flow[at]
            block, i = _body_lines(columns[c])[n]
            if i != 0 and not (block.tag == "p" and i >= KEPT and _leaves_no_widow(columns, c, block, i)):
                continue
            anchor = _anchor(located.get((c, n)))
            if anchor is None or (anchor[1] == 0 and anchor[0] in headed):
                continue
            anchor = _with_heading(columns, anchor)
            first = at  # (the headings before it go with it)
            while first > 0 and heads(_body_lines(columns[flow[first - 1][0]])[flow[first - 1][1]][0]):
                first -= 1
            # the text set after it (its height, a table's or a box's as the lines it takes),
            # shared by the columns of the row, balanced: the photo grows by the whole lines that
            # leaves each of them
            c, n = flow[first]
            block, i = _body_lines(columns[c])[n]
            top = block.lines[i].top if i else block.border_top
            moved = sum(max(b.border_bottom for b in columns[d].blocks)
                        - (top if d == c else columns[d].top) for d in row if d >= c)
            lines = int(moved / len(row) / line + 0.25)
            height = round(photo + lines * line - EPSILON, 3)
            if lines > THICKEN_LINES or height > tallest + EPSILON:
                break
            anchor = _keeps_order(anchor, "bottom", True, placement.floor(number))
            if lines < 1 or lines in grows or anchor is None:
                continue
            grows.add(lines)
            grown = placement.copy()
            grown.photos.setdefault(number, placement.photos.get(number, photo))
            grown.anchors[number] = (*anchor, "bottom")
            grown.crops[number] = height
            grown.drops.pop(number, None)
            found.append(grown)
    return [grown for grown in found if grown.key() != placement.key()]


def pulled(placement: Placement, laid: Laid) -> list[Placement]:
    """When the last page holds a figure beside a handful of lines of text (thin: a column's
    photo and the last two lines, the rest of the page empty, village-railway.md's magazine
    page 2): that figure moved back to the page before, heading each of its columns in turn (one
    across the columns: heading that page) or closing its last column (that page), so that the
    text it displaces there fills the last page instead. The text cannot come back above it: the
    page before is full. None when the last page is not thin or holds no figure."""
    columns = laid.columns
    line = body_line(columns)
    last = laid.pages - 1
    if line <= 0 or last < 1 or not thin(laid):
        return []
    before = [c for c, column in enumerate(columns) if column.page == last - 1 and column.blocks]
    if not before:
        return []
    located = spots(columns)
    spanning = placement.spanning()
    boxes = {int(b.attributes[BLOCK]): b for c in columns if c.page == last for b in c.blocks
             if b.tag == "figure" and BLOCK in b.attributes}
    boxes.update({int(s.block.attributes[BLOCK]): s.block for s in laid.spans
                  if s.page == last and BLOCK in s.block.attributes})
    found = []
    for number in last_figures(laid):
        wide = number in spanning
        tops = before[:1] if wide else before
        spots_at = [(_anchor(located.get((c, 0))), "top", None) for c in tops]
        foot = _column_foot(laid, located, before[-1], boxes[number], line)
        if foot is not None:
            spots_at.append((foot[:2], "bottom", None))
        if not wide and laid.feet and len(before) > 1:  # or alone in the page's last column,
            # cropped to it where it must be (_alone), the text there going on to the last page
            column = columns[before[-1]]
            # (the line of space under it kept: WeasyPrint keeps a margin before a forced
            # column break)
            spots_at.append((_anchor(located.get((before[-1], 0))), "top",
                             laid.feet[column.page] - column.top - line))
        for at, where, alone in spots_at:
            at = _keeps_order(at, where, wide, placement.floor(number))
            if at is None:
                continue
            moved = _sent(placement, number, (*at, where))
            if alone is not None:
                if not _alone(moved, laid, boxes[number], alone):
                    continue
                moved.breaks[number] = "after"
            if moved.key() != placement.key():
                found.append(moved)
    return found


def carried(placement: Placement, laid: Laid) -> list[Placement]:
    """When the layout still ends with a widow page (widow_page) and no photo can be trimmed to
    take its lines back (trimmed: an article without a photo, generated-006 of the corpus in
    the pocket layout): the placement with a column break forced in the last column of the page
    before, before as few of its last lines as give the last page more than WIDOW_LINES, at most
    WIDOW_LINES (the page before then ends that much short, no more than a page that ends before
    a paragraph of three lines kept whole may; at most KEPT, a last page of one line, the
    closing note of generated-006 in the pocket layout, could never be given the three it
    needs since WIDOW_LINES is 3), with the heading they follow if they follow one (a question
    kept with its answer's lines): before a block that does not follow a heading, or in a paragraph
    with KEPT of its lines on either side. The lines of the last page's paragraph come with the
    end of the one before rather than alone: what an art director does when the text cannot be
    tightened by a line or two without spacing its words visibly closer than the rest. None
    when there is no such place (a figure or a heading in the way, a paragraph too short)."""
    columns = laid.columns
    line = body_line(columns)
    if not widow_page(laid) or line <= 0:
        return []
    alone = sum(len(b.lines) for b in _text_on_last(laid))
    before = [c for c, column in enumerate(columns) if column.page == laid.pages - 2 and column.blocks]
    if not before:
        return []
    c = before[-1]
    located = spots(columns)
    headed = _after_heading(columns)
    lines = _body_lines(columns[c])
    for n in range(len(lines) - 1, 0, -1):  # (not before the column's first line: no change)
        block, i = lines[n]
        moved = len(lines) - n
        # (a heading goes on with the lines it heads, uncounted: a question and its answer's
        # two lines, the answer alone cannot leave the question)
        if sum(1 for b, _ in lines[n:] if not heads(b)) > WIDOW_LINES or block.tag == "figure":
            break
        if moved + alone <= WIDOW_LINES:
            continue
        if i != 0 and not (block.tag == "p" and i >= KEPT and _leaves_no_widow(columns, c, block, i)):
            continue
        anchor = _anchor(located.get((c, n)))
        if anchor is None or (anchor[1] == 0 and anchor[0] in headed):
            continue
        carry = placement.copy()
        carry.cuts = {**placement.cuts, anchor[0]: anchor[1]}
        return [carry] if carry.key() != placement.key() else []
    return []

def closing(laid: Laid) -> int:
    """Figures across the columns that close the article at its last page's foot, below the
    end mark (misplaced_spans lets them be, as a last resort)."""
    end = _end(laid.columns)
    if end is None:
        return 0
    return sum(1 for span in laid.spans
               if span.page == end[0] and span.block.border_top > end[1] - EPSILON)


#: Where quality() holds the widow page, the thin page and the last page's imbalance.
WIDOW = 3
THIN = 6
IMBALANCE = 8


def no_worse(quality: tuple, than: tuple) -> bool:
    """Whether a layout's quality is no worse than ``than``'s in any slot before the last page's
    imbalance but the widow and the thin page's (what growing a photo for a thin page may not
    trade for them: figures.thickened)."""
    return all(q <= t for n, (q, t) in enumerate(zip(quality[:IMBALANCE], than[:IMBALANCE], strict=True))
               if n not in (WIDOW, THIN))


def same_ends(quality: tuple, than: tuple) -> bool:
    """Whether a layout's quality leaves no more pages half empty than ``than``'s, no widow or
    thin last page it has not, and no page more (what dropping a figure to a page's foot may not
    trade for placing it: floored)."""
    return quality[0] <= than[0] and quality[WIDOW] <= than[WIDOW] and quality[THIN] <= than[THIN] \
        and quality[-1] <= than[-1]


def quality(laid: Laid, direction: str) -> tuple[int, int, int, bool, int, int, bool, int, float, int, int]:
    """How far a layout is from the goal, smaller better: pages left more than half empty
    (half_empty), misplaced figures, figures closing the article below its end mark, a widow
    page (widow_page), pages left well short before a figure across the columns that heads the
    next page and would close them (_short_before: such a page may be filled by half or more,
    and is then no half-empty page, but its text stops half way down before a blank; counted
    apart from the holes below, which a layout that closes that page with the figure may have
    more of: obit-physicist.md's page 2, the wide photo heading page 3 over the last paragraph,
    was kept over the one with the photo closing page 2, whose columns above it were uneven,
    and the passes from that one never came), columns left short before a figure (heading the
    next column, or the next page when set across the columns: _span_hole, _span_foot_fill; or
    below a hole at a page's foot: _gapped; runs of columns uneven above one: _uneven; an
    introducing paragraph parted from its block: parted), a thin
    last page of columns that is no widow page (thin_page: 2 + 2 lines, after the holes, which
    a layout bringing its lines back may leave: thickened), blocks
    leaving the text after them off the grid and paragraphs cut around a figure into a part of
    a line (lone_parts: after the thin page, which essay-letters.md, magazine, was otherwise
    given for one orphan), the last page's imbalance in lines (IMBALANCE);
    then, between layouts equal in all that, photos cropped (the natural size first), then
    pages (a last page of one line is no better balanced than the page before it)."""
    columns = laid.columns
    line = body_line(columns)
    cropped = sum("cropped" in s.block.attributes.get("class", "").split() for s in laid.spans)
    if line <= 0:
        return (0, 0, 0, False, 0, 0, False, 0, 0.0, cropped, laid.pages)
    located = spots(columns)
    short = [_short_before(laid, span, line) for span in laid.spans]
    holes = len(_holes(laid, located, line)) + sum(
        not left and (_span_hole(laid, located, span, line) is not None
                      or _span_foot_fill(laid, located, span, line) is not None)
        for span, left in zip(laid.spans, short, strict=True)) \
        + len(_gapped(laid, line)) + len(_uneven(columns, laid.spans, line)) + len(parted(laid))
    return (short_pages(laid), len(misplaced(columns, line)) + len(misplaced_spans(laid, line, direction)),
            closing(laid), widow_page(laid), sum(short), holes, thin_page(laid) and not widow_page(laid),
            len(_off_grid(columns, line, {})) + len(lone_parts(laid)),
            round(imbalance(columns, laid.spans) / line, 1), cropped, laid.pages)
