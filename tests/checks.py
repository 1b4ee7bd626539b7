"""Layout checks on a laid-out article's WeasyPrint boxes, shared by the tests (no tests here)."""

from __future__ import annotations

import dataclasses
import re

from weasyprint import Document

from pressroom.layout import figures, outcome, weasy
from pressroom.layout.weasy import Block, Column

from . import boxes

#: Orphans and widows (print.css): the lines a paragraph keeps on each side of a break.
KEPT = 2
#: The most space (body lines) left between a figure and the text above it (holes_above_figures):
#: its line of space, and a line more.
HOLE = 2
EPS = 0.5  # CSS px


def _line(columns: list[Column]) -> float:
    """The body line: the commonest step between the baselines of a paragraph's lines."""
    steps: dict[float, int] = {}
    for column in columns:
        for block in column.blocks:
            if block.tag == "p":
                for a, b in zip(block.lines, block.lines[1:], strict=False):
                    step = round(b.baseline - a.baseline, 1)
                    steps[step] = steps.get(step, 0) + 1
    return max(steps, key=steps.__getitem__)


def _end(column: Column) -> float:
    return max((block.border_bottom for block in column.blocks), default=column.top)


def _part(block: Block) -> tuple[str | None, str | None]:
    """Which part of which top-level block this is (a paragraph cut by a figure has several)."""
    return block.attributes.get("data-b"), block.attributes.get("data-o")


def _body_line(columns: list[Column]) -> float | None:
    """The body line (_line), or None when no paragraph has two lines to measure it by."""
    if not any(len(b.lines) > 1 for c in columns for b in c.blocks if b.tag == "p"):
        return None
    return _line(columns)


def _lines_height(block: Block, count: int, from_end: bool) -> float:
    lines = block.lines[-count:] if from_end else block.lines[:count]
    return lines[-1].bottom - lines[0].top


def _unit_leaving_the_end(first: Column, second: Column, line: float) -> float:
    """The least the first column can give the second from its end."""
    last = first.blocks[-1]
    if last.tag != "p":
        return last.bottom - last.top
    goes_on = bool(second.blocks) and _part(second.blocks[0]) == _part(last)
    if goes_on and len(last.lines) > KEPT:
        return line
    if not goes_on and len(last.lines) >= 2 * KEPT:
        return KEPT * line
    before = first.blocks[-2] if len(first.blocks) > 1 else None
    top = before.top if before is not None and figures.heads(before) else last.top
    return _end(first) - top


def _unit_leaving_the_start(first: Column, second: Column, line: float) -> float:
    """The least the second column can give the first from its start; a block that is not a
    paragraph with the top margin it has in mid-column (a line: a pull quote's, a box's, a
    table's, a heading's), which the head of a column truncates."""
    head = second.blocks[0]
    return _least_from_the_start(first, second, line) + (line if head.tag != "p" else 0.0)


def _least_from_the_start(first: Column, second: Column, line: float) -> float:
    head = second.blocks[0]
    if head.tag == "p" and not figures.heads(head):
        came_on = bool(first.blocks) and _part(first.blocks[-1]) == _part(head)
        if came_on and len(head.lines) > KEPT:
            return line
        if not came_on and len(head.lines) >= 2 * KEPT:
            return KEPT * line
        return _with_introduced(second.blocks, 0) - head.top
    if figures.heads(head):  # with what follows it: another heading, then its first lines (all
        blocks = list(second.blocks)  # of a paragraph that ends in the column and is too short
        n = 0                         # to leave KEPT lines on either side of a break)
        while n + 1 < len(blocks) and figures.heads(blocks[n]):
            n += 1
        after = blocks[n]
        whole = after is not blocks[-1] and len(after.lines) < 2 * KEPT
        bottom = (after.top + _lines_height(after, KEPT, from_end=False) if after.tag == "p"
                  and after.lines and not whole else _with_introduced(blocks, n))
        return bottom - head.top
    return head.bottom - head.top


def _with_introduced(blocks: tuple[Block, ...] | list[Block], n: int) -> float:
    """The bottom of ``blocks[n]`` moved whole, and, when it is a paragraph introducing the block
    after it (ending in a colon: figures.parted), of that block's first KEPT lines (all of it
    when shorter), which go with it: "…يريد أن يبدأ:" and its list (garden-roofs.md, pocket)."""
    block = blocks[n]
    if not figures.introduces(block) or n + 1 >= len(blocks):
        return block.bottom
    after = blocks[n + 1]
    if after.tag == "figure" or not after.lines or len(after.lines) <= KEPT:
        return after.bottom
    return after.top + _lines_height(after, KEPT, from_end=False)


def balance_fault(columns: list[Column]) -> str | None:
    """Why the last page's columns are not balanced, or None."""
    rows: dict[tuple[int, int], list[Column]] = {}
    for column in columns:
        rows.setdefault((column.page, round(column.top)), []).append(column)
    last = rows[(columns[-1].page, round(columns[-1].top))]
    if len(last) < 2:  # all of it in one column: right only in one column, or for one block
        (only,) = last
        alone = len(only.blocks) == 1 and (only.blocks[0].tag != "p"
                                           or len(only.blocks[0].lines) < 2 * KEPT)
        if max(len(row) for row in rows.values()) > 1 and not alone:
            return "the last page's text is all in its first column"
        return None
    line = _line(columns)
    first, second = last[0], last[1]
    if not first.blocks:
        return "the first column of the last page is empty"
    if not second.blocks:
        tall = first.blocks[-1]
        return None if len(first.blocks) == 1 and tall.tag == "figure" else (
            "the second column of the last page is empty")
    difference = _end(first) - _end(second)
    if abs(difference) <= KEPT * line + 1:
        return None
    unit = (_unit_leaving_the_end(first, second, line) if difference > 0
            else _unit_leaving_the_start(first, second, line))
    if unit >= abs(difference) - 1:
        return None  # moving it would leave them as far apart
    longer = "first" if difference > 0 else "second"
    return (f"the {longer} column of the last page ends {abs(difference) / line:.1f} lines lower "
            f"than the other, and {unit / line:.1f} lines could change columns")


def short_columns(document: Document) -> list[str]:
    """Where a row of columns before the last leaves its last column short that what follows
    could fill: ending more than two body lines above the first column of the row (the fullest)
    when the block that would come into it next fits there (the next column's first lines, a
    heading with the two lines kept with it, a table… with its top margin, which a column's head
    truncates, or the last block's bottom margin where it is larger; a figure heading the next
    column or page is no such block: the text after it may come before it, so the first block
    after the figures that head what follows is measured, in the column after theirs when they
    stand alone in theirs); or leaves a column of the row empty (WeasyPrint makes no box for
    it). (A page of the one-column pocket layout may still end a few lines short
    before a figure that heads the next: not checked.)"""
    columns = weasy.columns(document)
    rows: dict[tuple[int, int], list[int]] = {}
    for n, column in enumerate(columns):
        rows.setdefault((column.page, round(column.top)), []).append(n)
    found = []
    for (page, _), row in list(rows.items())[:-1]:
        last = columns[row[-1]]
        following = _after_figures(columns[row[-1] + 1:])
        if following is not None and len(row) < last.count and last.blocks:
            found.append(f"page {page + 1}: a column of the row is left empty, and "
                         "the text goes on after it")  # (WeasyPrint makes no box for it)
            continue
        if len(row) < 2 or following is None or not last.blocks:
            continue
        line = _line(columns)
        room = _end(columns[row[0]]) - _end(last)
        if room <= KEPT * line + 1:
            continue
        # (with the space between: the next block's top margin, counted, or the last block's
        # bottom margin where it is larger, a pull quote's two lines)
        margin = last.blocks[-1].bottom - last.blocks[-1].border_bottom
        unit = _unit_leaving_the_start(last, following, line) + max(
            0.0, margin - (line if following.blocks[0].tag != "p" else 0.0))
        if unit <= room + 1:
            found.append(f"page {page + 1}: a column ends {room / line:.1f} lines short, and the "
                         f"{unit / line:.1f} lines that follow would fit there")
    return found


def _after_figures(columns: list[Column]) -> Column | None:
    """The first of ``columns`` that holds a block other than the figures heading the run,
    without those figures; None when there is no such column."""
    for column in columns:
        blocks = list(column.blocks)
        while blocks and blocks[0].tag == "figure":
            blocks.pop(0)
        if blocks:
            return dataclasses.replace(column, blocks=blocks)
    return None


def _measured(document: Document) -> tuple[list[Column], list[weasy.Span], float] | None:
    """What the page checks measure by: the body's columns, the blocks set across them (with
    their pages), and the body line; None when no paragraph has two lines to measure it by."""
    columns = weasy.columns(document)
    line = _body_line(columns)
    if line is None:
        return None
    return columns, weasy.spanning(document, "data-b"), line


def short_pages(document: Document) -> list[str]:
    """Where a page before the last whose body ends in one column (the pocket layout) stops
    short of its type area's foot (above its footnotes) by more than two whole body lines (as
    short_columns allows a row of columns) that the block coming next would fill: the next
    page's first lines, a heading with the two lines kept with it (a paragraph of three lines or
    fewer whole: orphans and widows keep it so), a table with its top margin, with the footnotes
    those lines call (_notes_called: they would come back with them to that page's foot)
    (a figure heading the next page is no such block: the text after it may come before it,
    unless that text is one block, all that is left; nor the first lines of a last page that,
    moved back, would leave it a widow page: figures.carried). The foot is counted in whole
    lines from the column's top, on the grid: a type area that is not a whole number of lines
    (the pocket layout's is 28.7) leaves the same part of a line at the foot of every page."""
    measured = _measured(document)
    if measured is None:
        return []  # (no body line to measure by)
    columns, spans, line = measured
    found = []
    for n, last in enumerate(columns[:-1]):
        following = columns[n + 1]
        beside = [c for c in columns if c.page == last.page and abs(c.top - last.top) < 1]
        if following.page == last.page or len(beside) > 1 or not last.blocks or any(
                s.page == last.page and s.block.top >= last.top for s in spans):
            continue  # (a figure across the columns below it ends the page)
        if following.blocks and following.blocks[0].tag == "figure":
            if following is columns[-1] and len(following.blocks) <= 2:
                continue  # all the text left is one block after it: before it, the figure would
                # follow the end mark
            following = dataclasses.replace(following, blocks=following.blocks[1:])
        if not following.blocks:
            continue
        foot = weasy.type_area_foot(document.pages[last.page])
        # (below the last block's margin: the next block's may be larger, not smaller)
        room = int((foot - last.top + 1) // line) * line - (last.blocks[-1].bottom - last.top)
        unit = _unit_leaving_the_start(last, following, line)  # (with its top margin)
        # (and with the footnotes those lines call, which go with them to this page's foot)
        notes = _notes_called(document, following.page, following.top, following.top + unit,
                              onto=last.page)
        if following is columns[-1] and _end(following) - following.top <= room + 1 and any(
                s.page == following.page and s.block.top < following.top for s in spans):
            continue  # all the text left is after a figure across the columns heading the next
            # page, and all of it fits: before it, that figure would follow the end mark
        if following is columns[-1] and not any(b.tag == "figure" for b in following.blocks) \
                and _end(following) - following.top - unit <= figures.WIDOW_LINES * line + 1:
            continue  # those lines back would leave the last page a widow page (figures.carried
            # forced them on: a question with its answer's first lines, as a heading with its)
        if room > KEPT * line + 1 and unit + notes <= room + 1:
            found.append(f"page {last.page + 1}: ends {room / line:.1f} lines short, and the "
                         f"{unit / line:.1f} lines that follow would fit there")
    return found


def _notes_called(document: Document, page: int, top: float, bottom: float, onto: int) -> float:
    """The height (CSS px) the footnotes called by the lines of ``page`` between ``top`` and
    ``bottom`` (a page of one column) take at the foot of page ``onto``, if those lines moved
    there: their boxes in ``page``'s footnote area, and that area's own space (its rule, its
    padding) when ``onto`` holds no footnote yet. A paragraph with a note does not come back to
    a page whose foot has room for its lines but not for its note."""
    box = weasy.page_box(document.pages[page])
    calls = {id(b.element) for b in boxes.walk(box)
             if str(b.element_tag).endswith("::footnote-call") and top - EPS <= b.position_y < bottom - EPS}
    areas = [c for c in box.children if type(c).__name__ == "FootnoteAreaBox" and c.children]
    if not calls or not areas:
        return 0.0
    notes = areas[0].children
    height = sum(note.margin_height() for note in notes if id(note.element) in calls)
    target = weasy.page_box(document.pages[onto])
    if height and not any(type(c).__name__ == "FootnoteAreaBox" and c.children for c in target.children):
        height += areas[0].margin_height() - sum(note.margin_height() for note in notes)
    return height


def short_before_figures(document: Document) -> list[int]:
    """Pages (from 1) whose last row of columns stops more than two body lines short of the type
    area's foot in every column (a line more: the space above a figure) when a figure set across
    the columns heads the next page, and the room there, less that line, holds the figure at
    figures.CROP_LEAST of its height: the figure would close that page with less text above it,
    or cropped as an art director would (figures._span_crop), and what follows it did not fill
    the page either (which may be filled half or more: half_empty_pages does not see it)."""
    measured = _measured(document)
    if measured is None:
        return []  # (no body line to measure by)
    columns, spans, line = measured
    found = []
    for span in spans:
        page = span.page
        if page == 0 or any(c.page == page and c.blocks and c.top < span.block.border_top - 1
                            for c in columns):
            continue  # not heading its page: text above it
        before = [c for c in columns if c.page == page - 1 and c.blocks]
        if not before or any(s.page == page - 1 and s.block.top >= before[-1].top for s in spans):
            continue  # (a figure across the columns below them ends that page)
        row = [c for c in before if abs(c.top - before[-1].top) < 1]
        room = weasy.type_area_foot(document.pages[page - 1]) - max(_end(c) for c in row)
        height = span.block.border_bottom - span.block.border_top
        if room > (KEPT + 1) * line + 1 and room - line >= figures.CROP_LEAST * height:
            found.append(page)
    return found


def lone_headings(document: Document) -> list[str]:
    """Sub-headings, and paragraphs wholly in bold (an interview's questions, lead-ins:
    figures.heads), not followed in their column by the text they head: the last block of their
    column (at a column's or a page's foot, their text in the next column or page, or below a
    figure set across the columns there), or followed by a figure (a column's photo at its foot,
    or heading it), or by one line of a paragraph that goes on in the next column (a heading
    keeps two with it). A heading right after another counts with the one it comes before. And
    a paragraph that introduces the block after it (ending in a colon: figures.parted) parted
    from it by a page break or a figure (not by the column break of a balanced row)."""
    found = [f"page {page + 1}: '{block.lines[-1].text if block.lines else ''}' is parted from "
             "what it introduces" for page, block in figures.parted(figures.read(document))]
    parts = weasy.columns(document)
    for index, column in enumerate(parts):
        blocks = column.blocks
        for n, block in enumerate(blocks):
            if not figures.heads(block):
                continue
            after = next((b for b in blocks[n + 1:] if not figures.heads(b)), None)
            text = block.lines[0].text if block.lines else ""
            if after is None or after.tag == "figure":
                found.append(f"page {column.page + 1}: '{text}' is followed by "
                             f"{'a figure' if after is not None else 'the end of its column'}")
            elif after is blocks[-1] and len(after.lines) == 1 and _goes_on(after, parts[index + 1:]):
                found.append(f"page {column.page + 1}: '{text}' is followed by one line")
    return found


def _goes_on(block: Block, later: list[Column]) -> bool:
    """Whether the rest of ``block`` (a paragraph cut at its column's foot) heads the next column."""
    key = block.attributes.get("data-b")
    return key is not None and bool(later) and bool(later[0].blocks) \
        and later[0].blocks[0].attributes.get("data-b") == key


def figure_order(document: Document) -> list[int]:
    """The body's figures (block numbers, in their source order) in the order a reader meets
    them: page by page, top down, a row of columns right to left (the flow's order) before
    what is set below it across the columns. Measured as the build measures it for its warning
    (outcome.figure_order), so that the warning says what this sees."""
    return outcome.figure_order(figures.read(document))


def after_the_end(document: Document) -> list[int]:
    """Body figures (block numbers) that a reader meets after the end mark ■: in a column after
    the end mark's in the flow (the next column of its row, whichever side of the page it is
    on: the left one in a right-to-left article, the right one in a left-to-right one), below
    its line in its column, or (set across the columns) below that line on its page, or on a
    page after it."""
    columns = weasy.columns(document)
    ends = [(column.page, round(column.top), n, block.lines[-1].bottom if block.lines else block.bottom)
            for n, column in enumerate(columns) for block in column.blocks
            if "end" in block.attributes.get("class", "").split()]
    assert ends, "no end mark"
    page, top, ended, bottom = ends[-1]
    found = [int(b.attributes["data-b"]) for n, c in enumerate(columns) for b in c.blocks
             if b.tag == "figure" and "data-b" in b.attributes
             and ((c.page, round(c.top), n) > (page, top, ended)
                  or (n == ended and b.border_top > bottom - 1))]
    found += [int(s.block.attributes["data-b"]) for s in weasy.spanning(document, "data-b")
              if (s.page, s.block.border_top) > (page, bottom - 1)]
    return sorted(found)


def holes_above_figures(document: Document) -> list[tuple[int, float]]:
    """(page from 1, body lines) for each body figure pushed down from the text above it by more
    than HOLE body lines (its top margin, or the space left between the lowest text above it on
    its page and its border box: a figure set across the columns at a page's foot with a hole
    across both columns above it, which no text fills; a column's figure at a column's foot
    below a hole in that column); a figure heading its page or column, its top margin above it
    too. The other checks read border boxes: such a hole counts as filled there."""
    columns = weasy.columns(document)
    line = _body_line(columns)
    if line is None:
        return []  # (no body line to measure by)
    found = []
    for span in weasy.spanning(document, "data-b"):
        figure = span.block
        if figure.tag != "figure":
            continue
        above = [_end(c) for c in columns if c.page == span.page and c.blocks
                 and c.bottom <= figure.top + 1]
        gap = figure.border_top - max(above, default=figure.top)
        if gap > HOLE * line + 1:
            found.append((span.page + 1, round(gap / line, 1)))
    for column in columns:
        for n, figure in enumerate(column.blocks):
            if figure.tag != "figure":
                continue
            gap = figure.border_top - (column.blocks[n - 1].border_bottom if n else figure.top)
            if gap > HOLE * line + 1:
                found.append((column.page + 1, round(gap / line, 1)))
    return sorted(found)


def half_empty_pages(document: Document) -> list[int]:
    """Pages (from 1) after the opener and before the last whose body area (down to the type
    area's foot above the footnotes) is less than half filled by the body: its columns' text
    and figures, and the figures set across them. Measured as the layout measures its own
    pages (figures.half_empty), so that the layout sees what this sees."""
    laid = figures.read(document)
    return [page + 1 for page in range(1, laid.pages - 1) if figures.half_empty(laid, page)]


def bodiless_opener(document: Document) -> bool:
    """Whether the body starts on a page after the opener's though the opener leaves at least
    2 × KEPT body lines free above the first page's type area foot (the first page then holds
    the opener alone, above a blank; a pocket opener leaves a little more than two lines, which
    the grid and the first paragraph's orphans do not always take)."""
    laid = figures.read(document)
    if not laid.columns or laid.columns[0].page == 0 or laid.opener <= 0:
        return False
    return laid.feet[0] - laid.opener >= 2 * KEPT * _line(laid.columns)


def off_grid(columns: list[Column]) -> list[tuple[int, int, float]]:
    """(page, column, CSS px) for each column whose paragraphs' lines are off the baselines of
    the page's first body line by more than half a point, on pages of two columns or more
    (issue 13, item 4: the lines of a page's columns share baselines)."""
    pages: dict[int, list[Column]] = {}
    for column in columns:
        pages.setdefault(column.page, []).append(column)
    if all(len(on_page) < 2 for on_page in pages.values()):
        return []
    line = _line(columns)
    found = []
    for page, on_page in pages.items():
        baselines = [[ln.baseline for b in c.blocks if b.tag == "p" for ln in b.lines] for c in on_page]
        if sum(1 for b in baselines if b) < 2:
            continue
        reference = min(b[0] for b in baselines if b)
        for number, column in enumerate(baselines):
            offs = [(b - reference) - round((b - reference) / line) * line for b in column]
            worst = max(offs, key=abs, default=0.0)
            if abs(worst) > 0.5 * 96 / 72:
                found.append((page + 1, number + 1, round(worst, 2)))
    return found


#: A last page holding no more than this many lines, all of one paragraph, is a page turned for a
#: remnant (remnant_page; figures.widow_page counts WIDOW_LINES lines of any blocks).
REMNANT_LINES = 3


def remnant_page(document: Document) -> list[int]:
    """The last page (from 1; [] when it is no such page) when all the text it holds is one
    paragraph's, REMNANT_LINES lines or fewer: its last lines, or the whole of a short one (its
    parts in two columns, or cut by a forced break, counted as one); no figure in its columns or
    across them, no other block but a pull quote (which repeats the text: night-market's pocket
    page 4 holds one above such a paragraph). A page turned for a short remnant, as
    figures.widow_page sees one of WIDOW_LINES lines of any blocks."""
    laid = figures.read(document)
    last = laid.pages - 1
    if last < 1 or any(span.page == last for span in laid.spans):
        return []
    blocks = [block for column in laid.columns if column.page == last for block in column.blocks
              if not (block.tag == "blockquote" and "pull" in block.attributes.get("class", "").split())]
    paragraphs = {block.attributes.get("data-b", id(block)) for block in blocks}
    if len(paragraphs) != 1 or any(block.tag != "p" for block in blocks):
        return []
    return [last + 1] if sum(len(block.lines) for block in blocks) <= REMNANT_LINES else []


#: The most body lines per column the last page of a run of columns side by side may hold, all
#: its columns counted together, and still be a thin page (thin_last_page): three, as a page of
#: one column holding three lines is a widow page (figures.WIDOW_LINES), so six on a page of two.
THIN_LINES = 3


def thin_last_page(document: Document) -> list[int]:
    """The last page (from 1; [] when it is no such page) when it is a page of two columns or
    more that holds no more than THIN_LINES body lines per column, its columns counted together
    (2 + 2 lines beside each other, 3 + 2), a figure on it (in a column or across them) counted
    as the lines its height takes: a handful of lines turned onto a page of their own, which
    figures.widow_page (three lines on the page, whatever its columns) and remnant_page (one
    paragraph's) do not see; or when it holds a column's figure beside no more than THIN_LINES
    lines of text on a page of columns (a column's photo and the last two lines, the rest of the page
    empty: village-railway.md, magazine, before figures.pulled; in one column a photo as wide as
    the text, with the last lines under it, fills the page as far as it goes). Lines are measured by height
    on the body line (a column from its top to its last block of text's border box, less the
    figures above it, rounded to whole lines), so that a table, a quote or a heading counts as
    the lines it takes; a page of one column without a figure (the pocket layout: widow_page
    sees it) is none, and so is a page of figures without text (after_the_end sees them)."""
    measured = _measured(document)
    if measured is None:
        return []
    columns, spans, line = measured
    last = len(document.pages) - 1
    on_last = [c for c in columns if c.page == last]
    across = [s for s in spans if s.page == last]
    if last < 1 or not (on_last or across):
        return []
    count = max([c.count for c in on_last] or [1])
    text = photos = 0
    for column in on_last:
        words = [b for b in column.blocks if b.tag != "figure"]
        figures_in = [b for b in column.blocks if b.tag == "figure"]
        if words:
            end = max(b.border_bottom for b in words)
            text += round((end - column.top - sum(b.bottom - b.top for b in figures_in
                                                  if b.top < end)) / line)
        photos += sum(round((b.bottom - b.top) / line) for b in figures_in)
    photos += count * sum(round((s.block.bottom - s.block.top) / line) for s in across)
    if photos and not text:
        return []  # (figures alone after the text: after_the_end)
    beside = any(b.tag == "figure" for c in on_last for b in c.blocks)  # (a column's)
    if beside and text <= THIN_LINES and count >= 2:
        return [last + 1]
    return [last + 1] if count >= 2 and text + photos <= THIN_LINES * count else []


# --- line breaking (issue 13, item 3) ------------------------------------------------------------


def natural_width(line) -> float:
    """A line's width before justification: its text without the added word spacing, and its
    inline blocks (the paragraph indent, the end mark)."""
    width = 0.0
    for box in boxes.walk(line):
        kind = type(box).__name__
        if kind == "TextBox":
            spaces = box.text.count(" ") + box.text.count("\u00a0")
            width += box.width - (getattr(box, "justification_spacing", 0) or 0) * spaces
        elif kind in ("InlineBlockBox", "InlineReplacedBox"):
            width += box.margin_width()
    return width


def justified_lines(document: Document):
    """(page number, paragraph text, line, is the paragraph's last line, column width) for
    every line of every justified paragraph fragment, in order."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in boxes.walk(weasy.page_box(page)):
            if (type(box).__name__ != "BlockBox" or box.element_tag != "p"
                    or box.style["text_align_all"] != "justify"):
                continue
            lines = [c for c in box.children if type(c).__name__ == "LineBox"]
            whole = _text_without_notes(box.element).strip()
            # a paragraph's part cut before a figure or a column break (figures.py): its last
            # line is no paragraph's last ("كل" alone closed a column before the photo heading
            # the next, the paragraph going on after it)
            cut = "split" in (box.element.get("class") or "").split()
            for index, line in enumerate(lines):
                ends = index == len(lines) - 1 and not cut and _ends_paragraph(line, whole)
                found.append((number, whole, line, ends, box.width))
    return found


def _text_without_notes(element) -> str:
    """An element's text without its footnotes' (a note is set in the paragraph that calls it,
    and floated to the page's foot)."""
    if "footnote" in (element.get("class") or "").split():
        return element.tail or ""
    return (element.text or "") + "".join(_text_without_notes(child) for child in element) \
        + (element.tail or "")


#: What a line shows that its paragraph's text does not: the letter mark of a number's run, and a
#: footnote's call (its number, after a thin space): digits are left out of the comparison.
_NOT_COMPARED = re.compile(r"[\s\u061c\u2009\d]")


def _ends_paragraph(line, whole: str) -> bool:
    return _NOT_COMPARED.sub("", whole).endswith(_NOT_COMPARED.sub("", boxes.text_of(line)))


def short_lines(document: Document) -> list[tuple[int, str, float]]:
    """(page, line text, natural width / column) of every non-last line under half the column."""
    return [(page, boxes.text_of(line), round(natural_width(line) / width, 2))
            for page, _, line, last, width in justified_lines(document)
            if not last and natural_width(line) < width / 2]


def _shown_text(box) -> str:
    """The text a line shows, without footnote calls (the note's number after a thin space)."""
    if getattr(box, "element_tag", "").endswith("::footnote-call"):
        return ""
    if type(box).__name__ == "TextBox":
        return box.text
    return "".join(_shown_text(child) for child in getattr(box, "children", ()))


def _words(text: str) -> list[str]:
    """The words of ``text``: what stands between spaces and holds a letter or a digit (a closing
    quote or full stop glued to a word is part of it; a dash or a quote between spaces is none)."""
    return [token for token in text.split() if any(char.isalnum() for char in token)]


def lone_last_words(document: Document) -> list[tuple[int, str]]:
    """(page, the line's text) of every paragraph's last line that holds one word alone (a runt)
    though its paragraph has more: the last line of a justified paragraph, and of a list item
    (set ragged, but read the same) and of a photo's caption. A paragraph of one word is none."""
    found = []
    for page, whole, line, last, _ in justified_lines(document):
        if last and len(_words(_shown_text(line))) == 1 and len(_words(whole)) > 1:
            found.append((page, _shown_text(line).strip()))
    for number, page in enumerate(document.pages, start=1):
        for box in boxes.walk(weasy.page_box(page)):
            if type(box).__name__ != "BlockBox" or box.element_tag not in ("li", "figcaption"):
                continue
            lines = [c for c in box.children if type(c).__name__ == "LineBox"]
            if len(lines) > 1 and len(_words(_shown_text(lines[-1]))) == 1:
                found.append((number, _shown_text(lines[-1]).strip()))
    return found


def lone_lines(document: Document) -> list[tuple[int, str]]:
    """(page, the line's text) of every part of a paragraph parted by a column or page break, or
    cut around a figure, that holds fewer than KEPT lines: an orphan at a column's foot or a widow
    at its head. print.css forbids them (orphans, widows: 2) but a paragraph figures.py cuts in
    two is two paragraphs to WeasyPrint, each free to be one line."""
    parts: dict[str, list[tuple[int, Block]]] = {}
    for column in weasy.columns(document):
        for block in column.blocks:
            if block.tag == "p" and block.attributes.get("data-b") is not None and block.lines:
                parts.setdefault(block.attributes["data-b"], []).append((column.page + 1, block))
    return [(page, " ".join(block.lines[0].text.split())) for split in parts.values() if len(split) > 1
            for page, block in split if len(block.lines) < KEPT]


def past_the_box(document: Document) -> list[tuple[int, str]]:
    """Lines reaching past their page's content box or their column."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        x0, y0, x1, y1 = boxes.content_area(page)
        for column in boxes.columns(page):
            for line in (b for b in boxes.walk(column) if type(b).__name__ == "LineBox"):
                ink = [b for b in boxes.walk(line) if type(b).__name__ == "TextBox"]
                if not ink:
                    continue
                lo, hi = min(boxes.left(b) for b in ink), max(boxes.right(b) for b in ink)
                outside = lo < max(x0, boxes.left(column)) - EPS or hi > min(x1, boxes.right(column)) + EPS
                if outside or boxes.top(line) < y0 - EPS or boxes.bottom(line) > y1 + EPS:
                    found.append((number, boxes.text_of(line)))
    return found


def faults(document: Document) -> dict[str, object]:
    """What each check of this module finds on one laid-out article, by the check's name (those
    that find nothing left out): what test_the_last_page_is_balanced_and_no_page_before_it_half_empty
    asserts, for articles laid out elsewhere (test_issue_balance.py: inside an issue)."""
    columns = weasy.columns(document)
    order = figure_order(document)
    laid = figures.read(document)
    found = {
        "balance_fault": balance_fault(columns),
        "half_empty_pages": half_empty_pages(document),
        "short_columns": [int(said.split()[1].rstrip(":")) for said in short_columns(document)],
        "off_grid": off_grid(columns),
        "widow_page": figures.widow_page(laid),
        "remnant_page": remnant_page(document),
        "thin_last_page": thin_last_page(document),
        "bodiless_opener": bodiless_opener(document),
        "unplaced": figures.unplaced(laid, "rtl"),
        "short_pages": [int(said.split()[1].rstrip(":")) for said in short_pages(document)],
        "short_before_figures": short_before_figures(document),
        "holes_above_figures": [page for page, _ in holes_above_figures(document)],
        "lone_headings": lone_headings(document),
        "figure_order": order if order != sorted(order) else [],
        "after_the_end": after_the_end(document),
        "short_lines": short_lines(document),  # issue 13, item 3: no stranded word
        "lone_last_words": lone_last_words(document),  # nor a paragraph ending on one word
        "lone_lines": lone_lines(document),  # nor a line of a paragraph alone beside a figure
        "past_the_box": past_the_box(document),
    }
    return {name: said for name, said in found.items() if said}
