"""Figures' image references → files in the project, measured; placeholders for missing ones."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from .errors import ImageError
from .model import Article, Figure
from .project import Project, is_file, is_inside
from .report import info, warn

#: Pixel count above which an image is refused (a decompression bomb, not a photo).
MAX_PIXELS = 200_000_000


@dataclass(frozen=True)
class ResolvedImage:
    """Where a figure's photo is on disk and how big it is; ``path`` None means placeholder.

    ``url`` names the file without saying where the project lies on disk (WeasyPrint names
    image objects after it, so an absolute file URL would make the PDF's bytes depend on the
    checkout's folder); the sandboxed fetcher serves it.
    """

    path: Path | None
    url: str = ""
    width: int = 0
    height: int = 0
    mode: str = ""  # Pillow's: "RGB", "CMYK", "L"…


#: The URL scheme of files the build may read: pressroom://project/… and pressroom://source/….
SCHEME = "pressroom"


def url_for(path: Path, project: Project, source: Path) -> str:
    """The path-independent URL of a file inside the project or the source's folder."""
    resolved = path.resolve()
    for name, root in (("project", project.root.resolve()), ("source", source.resolve().parent)):
        if root in resolved.parents:
            return f"{SCHEME}://{name}/{quote(resolved.relative_to(root).as_posix())}"
    raise ImageError(f"image {path} is outside the project", source)


def resolve(article: Article, project: Project) -> dict[Figure, ResolvedImage]:
    """Find and measure every figure's image; warn (naming file and line) when one is missing."""
    roots = project.readable_roots(article.path)
    found: dict[Figure, ResolvedImage] = {}
    for figure in article.figures:
        path = _locate(figure, article.path, project, roots)
        found[figure] = (_measure(path, figure, article.path, url_for(path, project, article.path))
                         if path else ResolvedImage(None))
        if not figure.credit:
            warn(f"photo {figure.src} has no credit", article.path, figure.line)
    return found


def _locate(figure: Figure, source: Path, project: Project, roots: tuple[Path, ...]) -> Path | None:
    src = figure.src.strip()
    parts = urlsplit(src)
    if parts.scheme in ("http", "https"):
        name = Path(unquote(parts.path)).name
        local = project.images / name
        if name and is_file(local):
            if not is_inside(local, roots):
                warn(f"image {src}: its copy images/{name} leads outside the project: "
                     "placeholder drawn", source, figure.line)
                return None
            info(f"{src}: using the local copy images/{name} (builds never fetch)", source,
                 figure.line)
            return local.resolve()
        warn(f"image {src} is remote and there is no local copy in images/: placeholder drawn",
             source, figure.line)
        return None
    if parts.scheme and len(parts.scheme) > 1:
        warn(f"image {src}: only files in the project can be placed: placeholder drawn",
             source, figure.line)
        return None
    relative = Path(src)
    candidates = [relative] if relative.is_absolute() else [
        source.parent / relative, project.root / relative]
    for candidate in candidates:
        if is_file(candidate):
            if is_inside(candidate, roots):
                return candidate.resolve()
            warn(f"image {src} lies outside the project's content and images: placeholder drawn",
                 source, figure.line)
            return None
    warn(f"image {src} not found: placeholder drawn", source, figure.line)
    return None


def _measure(path: Path, figure: Figure, source: Path, url: str) -> ResolvedImage:
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
    return ResolvedImage(path, url, width, height, mode)
