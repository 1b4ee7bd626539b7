"""Laid-out document + its images + the edition → print warnings (resolution, colour)."""

from __future__ import annotations

from pathlib import Path

from .editions import Edition
from .images import ResolvedImage
from .report import note, warn
from .weasy import Document, placed_images

PRINT_PPI = 300


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
