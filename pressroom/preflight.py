"""Laid-out document + its images + the edition → print warnings (resolution, colour)."""

from __future__ import annotations

from pathlib import Path

from weasyprint import Document

from .editions import Edition
from .images import ResolvedImage
from .report import note, warn

PRINT_PPI = 300


def placed_images(document: Document) -> list[tuple[str, float, float]]:
    """(image URL, placed width and height in inches) for every photo on every page."""
    found = []
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()))
            if box.element_tag == "img" and "Replaced" in type(box).__name__:
                found.append((box.element.get("src", ""), box.width / 96, box.height / 96))
    return found


def check(document: Document, images: list[ResolvedImage], edition: Edition, source: Path) -> None:
    """Warn about photos under 300 ppi in print, and say once that RGB photos are fine in PDF/X-4."""
    if not edition.cmyk:
        return
    by_url = {image.url: image for image in images if image.path}
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
    if any(image.mode not in ("CMYK", "L", "1") for image in by_url.values()):
        note("photos are RGB: PDF/X-4 allows that, the printer converts them with the output "
             "intent", source)
