"""Figures' image references → files in the project, measured; placeholders for missing ones."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from .errors import ImageError
from .model import Article, Figure
from .project import Project, is_inside
from .report import info, warn

#: Pixel count above which an image is refused (a decompression bomb, not a photo).
MAX_PIXELS = 200_000_000


@dataclass(frozen=True)
class ResolvedImage:
    """Where a figure's photo is on disk and how big it is; ``path`` None means placeholder."""

    path: Path | None
    width: int = 0
    height: int = 0
    mode: str = ""  # Pillow's: "RGB", "CMYK", "L"…

    @property
    def url(self) -> str:
        return self.path.as_uri() if self.path else ""

    @property
    def ratio(self) -> float:
        """Height over width (placeholders use 2:3)."""
        return self.height / self.width if self.width else 2 / 3


def resolve(article: Article, project: Project) -> dict[Figure, ResolvedImage]:
    """Find and measure every figure's image; warn (naming file and line) when one is missing."""
    roots = project.readable_roots(article.path)
    found: dict[Figure, ResolvedImage] = {}
    for figure in article.figures:
        path = _locate(figure, article.path, project, roots)
        found[figure] = _measure(path, figure, article.path) if path else ResolvedImage(None)
        if not figure.credit:
            warn(f"photo {figure.src} has no credit", article.path, figure.line)
    return found


def _locate(figure: Figure, source: Path, project: Project, roots: tuple[Path, ...]) -> Path | None:
    src = figure.src.strip()
    parts = urlsplit(src)
    if parts.scheme in ("http", "https"):
        name = Path(unquote(parts.path)).name
        local = project.images / name
        if name and local.is_file():
            info(f"{src}: using the local copy {local.relative_to(project.root)}", source,
                 figure.line)
            return local
        warn(f"image {src} is remote and there is no local copy in images/: placeholder drawn",
             source, figure.line)
        return None
    if parts.scheme and len(parts.scheme) > 1:
        warn(f"image {src}: only files in the project can be placed: placeholder drawn",
             source, figure.line)
        return None
    relative = Path(unquote(src))
    candidates = [relative] if relative.is_absolute() else [
        source.parent / relative, project.root / relative]
    for candidate in candidates:
        if candidate.is_file():
            if is_inside(candidate, roots):
                return candidate.resolve()
            warn(f"image {src} lies outside the project's content and images: placeholder drawn",
                 source, figure.line)
            return None
    warn(f"image {src} not found: placeholder drawn", source, figure.line)
    return None


def _measure(path: Path, figure: Figure, source: Path) -> ResolvedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                mode = image.mode
                if width * height > MAX_PIXELS:
                    raise ImageError(f"image {path.name} is too large ({width}×{height} px)",
                                     source, figure.line)
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageError(f"image {figure.src} cannot be read: {exc}", source, figure.line) from None
    return ResolvedImage(path, width, height, mode)
