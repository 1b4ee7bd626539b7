"""The kept layout's faults the figure placement could not mend → warnings naming file:line."""

from __future__ import annotations

from pathlib import Path

from pressroom.layout import figures
from pressroom.model import Article, Figure
from pressroom.report import warn


def figure_order(laid: figures.Laid) -> list[int]:
    """The body's figures (block numbers, in their source order) in the order a reader meets
    them: page by page, top down, a row of columns in the flow's order before what is set below
    it across the columns (the one measure of the warning and of tests/checks.figure_order)."""
    items = [(column.page, column.top, n, [int(b.attributes[figures.BLOCK]) for b in column.blocks
                                          if b.tag == "figure" and figures.BLOCK in b.attributes])
             for n, column in enumerate(laid.columns)]
    items += [(span.page, span.block.border_top, -1, [int(span.block.attributes[figures.BLOCK])])
              for span in laid.spans if figures.BLOCK in span.block.attributes]
    return [number for *_, numbers in sorted(items, key=lambda item: item[:3]) for number in numbers]


def out_of_order(order: list[int]) -> dict[int, int]:
    """Each figure (block number) a reader meets before a figure that comes earlier in the text
    → the first such earlier figure (the one it overtook)."""
    found = {}
    for n, figure in enumerate(order):
        overtaken = [earlier for earlier in order[n + 1:] if earlier < figure]
        if overtaken:
            found[figure] = min(overtaken)
    return found


def _pages_of(laid: figures.Laid) -> dict[int, int]:
    """Each body figure (block number) → the page (from 0) it is set on."""
    pages = {int(b.attributes[figures.BLOCK]): column.page for column in laid.columns
             for b in column.blocks if b.tag == "figure" and figures.BLOCK in b.attributes}
    pages.update({int(span.block.attributes[figures.BLOCK]): span.page for span in laid.spans
                  if figures.BLOCK in span.block.attributes})
    return pages


def _closing(laid: figures.Laid, page: int) -> int | None:
    """The figure set across the columns (block number) that closes ``page``: the lowest one on
    it, no column of text starting below it; None when there is none."""
    spans = [s for s in laid.spans if s.page == page and figures.BLOCK in s.block.attributes]
    if not spans:
        return None
    lowest = max(spans, key=lambda s: s.block.bottom)
    if any(c.page == page and c.top > lowest.block.top for c in laid.columns):
        return None
    return int(lowest.block.attributes[figures.BLOCK])


def say(laid: figures.Laid, article: Article, source: Path) -> None:
    """Warn about what the kept layout could not do well, by the layout's own measures
    (figures.half_empty, figures.thin), naming the figure's source line where one is involved:
    a page after the opener's, not the last, more than half empty (the first figure on it);
    a figure a reader meets before one that comes earlier in the text (the one set too early);
    a last page holding only a handful of lines (the first figure beside them on it, else the
    figure set across the columns that closes the page before, if any). Nothing for pages without a body."""
    if not article.blocks or not any(column.blocks for column in laid.columns):
        return  # no body (an issue's own pages: cover, contents, the folios over its articles)
    lead = article.figures[0] if article.figures else None
    body = [b for b in article.blocks if isinstance(b, Figure) and b is not lead]
    pages = _pages_of(laid)
    # block numbers in source order ↔ the body's figures, when the page sets the article's own
    numbers = sorted(pages)
    named = dict(zip(numbers, body, strict=True)) if len(numbers) == len(body) else {}

    def line(number: int | None) -> int | None:
        return named[number].line if number in named else None

    def photo(number: int) -> str:
        return f"photo {named[number].src}" if number in named else "a photo"

    for page in range(1, laid.pages - 1):
        if figures.half_empty(laid, page):
            body_px, area = figures.filled(laid, page)
            empty = 1 - body_px / area if area > 0 else 1.0
            on_page = sorted(n for n, p in pages.items() if p == page)
            first = on_page[0] if on_page else None
            holding = f", which holds {photo(first)}" if first is not None else ""
            warn(f"page {page + 1} is {empty:.0%} empty and is not the article's last page"
                 f"{holding} (the layout found no better)", source, line(first))
    for figure, earlier in sorted(out_of_order(figure_order(laid)).items()):
        at = f" (line {line(earlier)})" if line(earlier) is not None else ""
        warn(f"{photo(figure)} is set before {photo(earlier)}{at}, which comes earlier in the "
             "text (the layout found no better)", source, line(figure))
    if figures.thin(laid):
        last = laid.pages - 1
        before = _closing(laid, last - 1)
        beside = figures.last_figures(laid)  # (a figure on it fills no page: counted apart)
        if beside:
            after = f" beside {photo(beside[0])}"
            named_by = beside[0]
        else:
            after = f" after {photo(before)} closing page {last}" if before in named else ""
            named_by = before
        # (as the layout measured it, which it ranked by; beside a figure, by height, a line or two
        # may round to none: then the lines themselves)
        lines = figures.last_page_lines(laid) or sum(len(b.lines) for c in laid.columns
                                                     if c.page == last for b in c.blocks
                                                     if b.tag != "figure")
        warn(f"the last page ({last + 1}) holds only {lines} lines of text{after} "
             "(the layout found no better)", source, line(named_by))
