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
from dataclasses import dataclass, field
from html import unescape
from itertools import pairwise

from pressroom.layout.weasy import Block, Column

#: The attribute that numbers the top-level blocks of the body, and the offset of a split part.
BLOCK = "data-b"
OFFSET = "data-o"
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*?)(/?)>")
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]")
_VOID = {"img", "br", "hr", "wbr", "input", "meta", "source", "col", "area"}
_BODY = '<div class="body">'
#: Distances closer than this (CSS px) are the same.
EPSILON = 1.0


def _split_body(html: str) -> tuple[str, list[str], str] | None:
    """(before, top-level blocks of the body, after), or None without a body."""
    start = html.find(_BODY)
    if start < 0:
        return None
    start += len(_BODY)
    depth, blocks, begin = 0, [], None
    for match in _TAG.finditer(html, start):
        closing, name, _, selfclosing = match.groups()
        name = name.lower()
        if name in _VOID or selfclosing:
            continue
        if closing:
            if depth == 0:  # the body's own </div>
                return html[:start], blocks, html[match.start():]
            depth -= 1
            if depth == 0:
                blocks.append(html[begin:match.end()])
        else:
            if depth == 0:
                begin = match.start()
            depth += 1
    return None


def number_blocks(html: str) -> str:
    """The HTML with each top-level block of the body numbered (``data-b``); unchanged on the page."""
    parts = _split_body(html)
    if parts is None:
        return html
    before, blocks, after = parts
    numbered = [_with_attribute(block, f'{BLOCK}="{index}"') for index, block in enumerate(blocks)]
    return before + "\n" + "\n".join(numbered) + "\n" + after


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
    """Where each body figure goes (block, offset, "top"/"bottom") and its padding (CSS px)."""

    html: str  # numbered by number_blocks
    anchors: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    pads: dict[int, float] = field(default_factory=dict)

    def blocks(self) -> tuple[str, list[str], str]:
        parts = _split_body(self.html)
        assert parts is not None
        return parts

    def figures(self) -> list[int]:
        """The body's figures (block numbers); none without a body this module recognises."""
        if _split_body(self.html) is None:
            return []
        return [i for i, block in enumerate(self.blocks()[1]) if _tag_name(block) == "figure"]

    def key(self) -> tuple:
        """What the HTML depends on: equal keys, equal HTML."""
        return tuple(sorted(self.anchors.items())), tuple(sorted(self.pads.items()))

    def copy(self) -> Placement:
        return Placement(self.html, dict(self.anchors), dict(self.pads))

    def render(self) -> str:
        """The HTML with every figure where ``anchors`` puts it, padded by ``pads``."""
        before, blocks, after = self.blocks()
        figures = {i: _figure(blocks[i], self.anchors.get(i, (0, 0, ""))[2], self.pads.get(i, 0.0))
                   for i in self.figures()}
        at: dict[int, list[tuple[int, int]]] = {}
        for figure, (block, offset, _) in sorted(self.anchors.items()):
            at.setdefault(block, []).append((offset, figure))
        out = []
        for index, block in enumerate(blocks):
            if index in figures and index in self.anchors:
                continue
            if index in figures:
                block = figures[index]
            inserted = sorted(at.get(index, []))
            starts = [figures[f] for offset, f in inserted if offset <= 0]
            inside = [(offset, figures[f]) for offset, f in inserted if offset > 0]
            out.extend(starts)
            out.append(_split_paragraph(block, inside) if inside else block)
        return before + "\n" + "\n".join(out) + "\n" + after


def _figure(block: str, where: str, pad: float) -> str:
    classes = f" at-{where}" if where else ""
    match = re.match(r'<figure class="([^"]*)"', block)
    if match:
        block = f'<figure class="{match[1]}{classes}"{block[match.end():]}'
    if pad > 0.01:
        block = _with_attribute(block, f'style="padding-bottom: {pad:.3f}px"')
    return block


def _split_paragraph(block: str, cuts: list[tuple[int, str]]) -> str:
    """A top-level ``<p>`` cut before its ``offset``-th non-space character for each (offset,
    HTML) in ``cuts``, the HTML put between the parts; a cut past its end goes after it."""
    opening = re.match(r"<p\b([^>]*)>", block)
    if not opening or not block.endswith("</p>"):
        return "\n".join([block] + [html for _, html in cuts])
    attributes = opening[1]
    classes = re.search(r'class="([^"]*)"', attributes)
    own = classes[1].split() if classes else []
    rest = re.sub(r'\s*class="[^"]*"', "", attributes)
    rest = re.sub(rf'\s*{OFFSET}="[^"]*"', "", rest)
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
            current.extend(f"</{name}>" for name, _ in reversed(stack))
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
        out.append(f"<p{cls}{rest}{where}>{html}</p>")
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


def misplaced(columns: list[Column], line: float) -> dict[int, str]:
    """Body figure (block number) → why it is misplaced: "mid-column" or "after the end"."""
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


def replace(placement: Placement, columns: list[Column]) -> bool:
    """Move each misplaced figure to the nearest column top or bottom and pad every figure to
    whole lines; False when nothing changed."""
    line = body_line(columns)
    if line <= 0:
        return False
    changed = False
    where: dict[int, tuple[int, Block]] = {}
    for c, column in enumerate(columns):
        for block in column.blocks:
            if block.tag == "figure" and BLOCK in block.attributes:
                number = int(block.attributes[BLOCK])
                where.setdefault(number, (c, block))
                natural = block.border_bottom - block.border_top - placement.pads.get(number, 0.0)
                pad = round(math.ceil(natural / line - 0.01) * line - natural, 3)
                if abs(pad - placement.pads.get(number, 0.0)) > 0.01:
                    placement.pads[number] = pad
                    changed = True
    located = spots(columns)
    last_text = max((c for (c, _), s in located.items()), default=0)
    for number, why in misplaced(columns, line).items():
        c, block = where[number]
        if why == "after the end":
            c = min(c, last_text)
        target = _target(columns, located, c, block, line, prefer_top=why == "after the end")
        if target is not None and target != placement.anchors.get(number):
            placement.anchors[number] = target
            changed = True
    for number, target in _holes(columns, located, line).items():
        if target != placement.anchors.get(number):
            placement.anchors[number] = target
            changed = True
    return changed


def _holes(columns: list[Column], located: dict[tuple[int, int], Spot],
           line: float) -> dict[int, tuple[int, int, str]]:
    """Figures heading a column after a column left short by whole lines (the figure did not fit
    below its text there): each moved on by as many lines as the hole holds, so that the text
    after it fills the hole and it heads the column again."""
    found = {}
    for c in range(1, len(columns)):
        before, column = columns[c - 1], columns[c]
        if not before.blocks or not column.blocks:
            continue
        figure = column.blocks[0]
        if figure.tag != "figure" or BLOCK not in figure.attributes:
            continue
        lines = int((before.bottom - before.blocks[-1].bottom + EPSILON) // line)
        if lines < 1:
            continue
        flow = _body_lines(column)
        body = [n for n, (block, _) in enumerate(flow) if block is not figure]
        # only lines of paragraphs move up: a heading kept with its text may be what left the hole
        if len(body) > lines and all(flow[n][0].tag == "p" for n in body[:lines + 1]):
            anchor = _anchor(located.get((c, body[lines])))
            if anchor is not None:
                found[int(figure.attributes[BLOCK])] = (*anchor, "top")
    return found


def _target(columns: list[Column], located: dict[tuple[int, int], Spot], c: int, figure: Block,
            line: float, prefer_top: bool) -> tuple[int, int, str] | None:
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
    if bottom is None and c + 1 < len(columns) and top is not None:
        bottom = _anchor(located.get((c + 1, 0)))  # the whole rest of the column fits above it
    up = figure.top - column.top
    down = column.bottom - figure.bottom
    if top is not None and (prefer_top or bottom is None or up <= down):
        return (*top, "top")
    if bottom is not None:
        return (*bottom, "bottom")
    return None


# --- the last page ----------------------------------------------------------------------------

def imbalance(columns: list[Column]) -> float:
    """How much lower one column of the last page ends than another (CSS px)."""
    if not columns:
        return 0.0
    last = [c for c in columns if c.page == columns[-1].page]
    ends = [max(b.border_bottom for b in c.blocks) if c.blocks else c.top for c in last]
    return max(ends) - min(ends)


def rebalanced(placement: Placement, columns: list[Column]) -> list[Placement]:
    """Other placements for a figure heading a column of the last page when the page's columns
    end more than two lines apart: the top of the page's first column (the text then runs on
    below it into the next column), and the top of the column before the page (the text it
    pushes on fills the last page); none when the page balances."""
    line = body_line(columns)
    if not columns or line <= 0 or imbalance(columns) <= 2 * line + EPSILON:
        return []
    page = columns[-1].page
    first = next(c for c, column in enumerate(columns) if column.page == page)
    located = spots(columns)
    tops = [_anchor(located.get((first, 0)))]
    if first > 0:
        tops.append(_anchor(located.get((first - 1, 0))))
    found = []
    for c, column in enumerate(columns[first:], first):
        block = column.blocks[0] if column.blocks else None
        if block is None or block.tag != "figure" or BLOCK not in block.attributes:
            continue
        for target, top in enumerate(tops):
            if top is None or (target == 0 and c == first):
                continue
            moved = placement.copy()
            moved.anchors[int(block.attributes[BLOCK])] = (*top, "top")
            found.append(moved)
        break
    return found


def quality(columns: list[Column]) -> tuple[int, int, float]:
    """How far a layout is from the goal, smaller better: misplaced figures, columns left short
    before a figure, the last page's imbalance in lines."""
    line = body_line(columns)
    if line <= 0:
        return (0, 0, 0.0)
    return (len(misplaced(columns, line)), len(_holes(columns, spots(columns), line)),
            round(imbalance(columns) / line, 1))
