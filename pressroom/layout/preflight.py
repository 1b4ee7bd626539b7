"""Laid-out document + its images → the print edition's warnings (resolution, colour, tables)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pressroom.layout.images import ResolvedImage
from pressroom.layout.render import focus
from pressroom.layout.weasy import Document, overfull_cells, placed_figures, placed_images, wide_tables
from pressroom.model import Article, Figure, Sidebar, Table
from pressroom.report import note, warn

PRINT_PPI = 300

#: One preflight check: (laid-out document, the article's resolved photos, source) → None.
Check = Callable[[Document, list[ResolvedImage], Path], None]


def _found(images: list[ResolvedImage]) -> dict[str, ResolvedImage]:
    return {image.url: image for image in images if image.path}


def photo_resolution(document: Document, images: list[ResolvedImage], source: Path) -> None:
    """Warn about photos under 300 ppi at their placed size."""
    by_url = _found(images)
    for url, width, height in placed_images(document):
        image = by_url.get(url)
        if image is None or width <= 0 or height <= 0:
            continue
        # a photo cropped to fill its box (object-fit: cover) is enlarged along its short side
        ppi = min(image.width / width, image.height / height)
        if ppi < PRINT_PPI:
            warn(f"photo {image.path.name} is {ppi:.0f} ppi at its placed size "
                 f"({width * 25.4:.0f} × {height * 25.4:.0f} mm); print wants {PRINT_PPI}",
                 source)


def rgb_photos(document: Document, images: list[ResolvedImage], source: Path) -> None:
    """Say once that RGB photos are fine in PDF/X-4 (the printer converts them)."""
    if any(image.mode not in ("CMYK", "L", "1") for image in _found(images).values()):
        note("photos are RGB: PDF/X-4 allows that, the printer converts them with the output "
             "intent", source)


#: A lead photo's crop that keeps this share of its height (or width) or more is said as a note,
#: not a warning: a sliver off a photo set about to its shape.
CROP_SLIVER = 0.9


def kept_where(position: str) -> str:
    """Where a crop keeps a photo, in words (its object-position's vertical part)."""
    return {"0%": "keeping its top", "50%": "around its centre",
            "100%": "keeping its bottom"}.get(position, f"around {position} of its height from its top")


def _shown(box: tuple[float, float], pixels: tuple[int, int]) -> tuple[float, str]:
    """The share of a photo of ``pixels`` (width, height) that a box of ``box`` (width, height)
    filled by it (object-fit: cover) shows, and along which side it is cut ("height", "width")."""
    (width, height), (across, tall) = box, pixels
    if height / width <= tall / across:
        return height / width * across / tall, "height"
    return width / height * tall / across, "width"


def lead_photo_fits(document: Document, lead: Figure | None, image: ResolvedImage | None,
                    source: Path) -> None:
    """Warn when the lead photo (not one marked to bleed, which is cropped by design) was taller
    than page 1 allows and the layout cropped it to its maximum height, saying where the crop
    keeps it (its focus: a portrait's top) and how much of it shows; a note when it is marked
    {.crop} (the author accepts it) or loses a sliver only (CROP_SLIVER)."""
    if lead is None or lead.bleed or image is None or not image.path or not image.width:
        return
    for figure in placed_figures(document):
        if "lead" not in figure.attributes.get("class", "").split():
            continue
        left, top, right, bottom = figure.photo
        # (trimmed by the figure placement to bring back a last page's lines: as it was set)
        width, height = (right - left) / 96, float(figure.attributes.get("data-untrimmed", bottom - top)) / 96
        if width <= 0 or height <= 0:
            return
        share, side = _shown((width, height), (image.width, image.height))
        if share < 0.99:
            where = kept_where(focus(lead, image)) if side == "height" else "around its centre"
            say = note if lead.crop or share >= CROP_SLIVER else warn
            say(f"lead photo {image.path.name} is {'taller' if side == 'height' else 'wider'} than "
                f"page 1 allows: cropped to {width * 25.4:.0f} × {height * 25.4:.0f} mm {where}, "
                f"{share:.0%} of its {side} shown"
                + ("" if say is note else " (mark it {.crop} to accept that, {focus=top|center|"
                   "bottom} to say what it keeps, {.portrait} to set it beside the text)"),
                source, lead.line)
        return


def body_photos_fit(document: Document, body: list[Figure], source: Path,
                    images: dict[Figure, ResolvedImage] | None = None) -> None:
    """Warn about each body photo taller, at its width, than the layout lets a page hold (its
    ``max-height``, ``--figure-max-height``: the type area less room for the caption): it is
    cropped to that height around its focus (a portrait's top) rather than split across two
    pages; a note when it is marked {.crop} (the author accepts it), as for the lead photo."""
    placed = [p for p in placed_figures(document)
              if "lead" not in p.attributes.get("class", "").split()]
    for figure in body:
        found = next((p for p in placed if p.attributes.get("data-src") == figure.src), None)
        if found is None:
            continue
        placed.remove(found)
        left, _, right, _ = found.photo
        if found.pixels is None or found.max_height == math.inf:
            continue
        width = right - left
        if width * found.pixels[1] / found.pixels[0] > found.max_height + 0.5:
            share = found.max_height / (width * found.pixels[1] / found.pixels[0])
            where = kept_where(focus(figure, (images or {}).get(figure)))
            say = note if figure.crop else warn  # {.crop}: the author accepts the crop
            say(f"photo {figure.src} is taller than a page allows: cropped to "
                f"{_mm(width):.0f} × {_mm(found.max_height):.0f} mm {where}, {share:.0%} of its "
                "height shown"
                + ("" if figure.crop else " (mark it {.crop} to accept that)"), source, figure.line)


def body_photos_bleed(document: Document, body: list[Figure], source: Path) -> None:
    """Warn about each body photo marked {.bleed} that does not run off both sides of its page
    (a layout without the rules for it, a photo inside a sidebar): it is set in the type area."""
    bleeding = [f for f in body if f.bleed]
    placed = [p for p in placed_figures(document)
              if "bleed" in p.attributes.get("class", "").split()
              and "lead" not in p.attributes.get("class", "").split()]
    for figure in bleeding:
        found = next((p for p in placed if p.attributes.get("data-src") == figure.src), None)
        if found is None:  # a missing photo: its placeholder was warned about
            continue
        placed.remove(found)
        left, _, right, _ = found.photo
        if left > found.sheet[0] + 0.5 or right < found.sheet[2] - 0.5:
            warn(f"photo {figure.src} is marked {{.bleed}} but this layout sets it inside the page "
                 "(a body photo bleeds only outside sidebars, in a layout that styles figure.bleed)",
                 source, figure.line)


def _tables(blocks) -> list[Table]:
    """The article's tables in the order the page sets them (a sidebar's among them)."""
    found = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        elif isinstance(block, Sidebar):
            found.extend(_tables(block.blocks))
    return found


def _mm(px: float) -> float:
    """CSS px (96 to the inch) in millimetres."""
    return px * 25.4 / 96


def tables_fit(document: Document, article: Article, source: Path) -> None:
    """Warn about each table wider than its column (once, at its widest part): its words and
    numbers, which are never broken, need more than the column has, and it is drawn over the
    text beside it; or else with a cell's text drawn past its cell, over the cell beside it (a run
    kept on one line). Named by its line when the page sets the article's tables (not a layout's
    own)."""
    tables = _tables(article.blocks)
    widest: dict[int, tuple[float, int]] = {}
    for part in wide_tables(document):
        if part.excess > widest.get(part.index, (0.0, 0))[0]:
            widest[part.index] = (part.excess, part.page)
    for index, (excess, page) in sorted(widest.items()):
        line = tables[index].line if len(tables) > index else None
        warn(f"table wider than its column by {_mm(excess):.0f} mm on page {page + 1}: it "
             "is drawn over the text beside it (fewer columns, shorter headings or numbers)",
             source, line)
    said = set(widest)
    for cell in overfull_cells(document):
        if cell.index in said:
            continue  # one warning a table: its widest part, or its first cell drawn past its cell
        said.add(cell.index)
        line = tables[cell.index].line if len(tables) > cell.index else None
        text = " ".join("".join(c for c in cell.text if unicodedata.category(c) != "Cf").split())
        warn(f"table cell \"{text}\" wider than its cell by "
             f"{max(1, round(_mm(cell.excess)))} mm on page {cell.page + 1}: it is drawn over "
             "the cell beside it (fewer columns, shorter words or numbers)", source, line)


def check(document: Document, images: list[ResolvedImage], checks: tuple[Check, ...],
          source: Path) -> None:
    """Run an edition's preflight checks on its laid-out pages."""
    for run in checks:
        run(document, images, source)
