"""Helpers for page-layout tests: walk WeasyPrint's laid-out boxes (CSS px, 96 per inch)."""

from __future__ import annotations

from collections.abc import Iterator

from pressroom.layout import weasy
from pressroom.layout.weasy import page_box

MM = 96 / 25.4  # CSS px per millimetre


def walk(box) -> Iterator:
    """The box and all its descendants, depth first, in document order."""
    return weasy.walk(box)


def classes(box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get"):
        return set()
    return set((element.get("class") or "").split())


def find(page, tag: str | None = None, cls: str | None = None) -> list:
    """Block-level boxes of a page made by elements with this tag and/or class."""
    return [b for b in walk(page_box(page))
            if (tag is None or b.element_tag == tag) and (cls is None or cls in classes(b))
            and type(b).__name__ not in ("TextBox", "LineBox", "InlineBox")]


def pseudo(box, kind: str) -> list:
    """The ::before or ::after boxes inside ``box``."""
    return [b for b in walk(box) if b.element_tag.endswith(f"::{kind}")]


def text_of(box) -> str:
    return "".join(b.text for b in walk(box) if type(b).__name__ == "TextBox")


def left(box) -> float:
    return box.position_x + box.margin_left


def right(box) -> float:
    return box.position_x + box.margin_width() - box.margin_right


def top(box) -> float:
    return box.position_y + box.margin_top


def bottom(box) -> float:
    return box.position_y + box.margin_height() - box.margin_bottom


def content_area(page) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the page's content area."""
    pb = page_box(page)
    x, y = pb.content_box_x(), pb.content_box_y()
    return x, y, x + pb.width, y + pb.height


def columns(page) -> list:
    """The column boxes of the page's multi-column body, in flow order."""
    return [b for b in walk(page_box(page)) if getattr(b, "is_column", False)]


def margin_texts(page) -> dict[str, str]:
    """Text of each page-margin box (@top-left…), by its at-keyword."""
    return {b.at_keyword: text_of(b) for b in page_box(page).children
            if type(b).__name__ == "MarginBox"}
