"""Figures' image references → files in the project, fully decoded, limited and made printable;
placeholders for missing or broken ones."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from pressroom.errors import ImageError
from pressroom.limits import DEFAULT_LIMITS, MEGA, Limits
from pressroom.model import Article, Figure
from pressroom.project import Project, is_file, is_inside, is_readable
from pressroom.report import info, note, warn


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
    data: bytes = field(default=b"", repr=False, compare=False)  # what WeasyPrint is served


#: The URL scheme of files the build may read: pressroom://project/… and pressroom://source/….
SCHEME = "pressroom"


def url_for(path: Path, project: Project, source: Path) -> str:
    """The path-independent URL of a file inside the project or the source's folder."""
    resolved = path.resolve()
    for name, root in (("project", project.root.resolve()), ("source", source.resolve().parent),
                       ("images", project.images.resolve())):  # images/ may lie elsewhere
        if root in resolved.parents:
            return f"{SCHEME}://{name}/{quote(resolved.relative_to(root).as_posix())}"
    raise ImageError(f"image {path} is outside the project", source)


def resolve(article: Article, project: Project,
            limits: Limits = DEFAULT_LIMITS) -> dict[Figure, ResolvedImage]:
    """Find, decode and measure every figure's image; warn (naming file and line) when one is
    missing or broken; refuse one over a limit."""
    roots = project.readable_roots(article.path)
    found: dict[Figure, ResolvedImage] = {}
    for figure in article.photos:  # (each photo of a row too)
        path = _locate(figure, article.path, project, roots)
        found[figure] = (_load(path, figure, article.path, url_for(path, project, article.path),
                               limits) if path else ResolvedImage(None))
        if not figure.credit:
            warn(f"photo {figure.src} has no credit", article.path, figure.line)
    return found


def candidates(src: str, source: Path, project: Project) -> list[Path]:
    """The files a figure's ``src`` may name, in the order they are looked for (a web address:
    its copy in images/; another scheme: none)."""
    parts = urlsplit(src.strip())
    if parts.scheme in ("http", "https"):
        name = Path(unquote(parts.path)).name
        return [project.images / name] if name else []
    if parts.scheme and len(parts.scheme) > 1:
        return []
    relative = Path(src.strip())
    found = [relative] if relative.is_absolute() else [source.parent / relative, project.root / relative]
    # a path written outside the readable folders is never looked at on disk (nor said to be
    # there or not): only those written inside them are candidates
    written = (*project.readable_roots(source), project.content, project.images, source.parent)
    return [path for path in found if is_inside(path, written, follow_links=False)]


def local_copy(src: str, project: Project) -> Path | None:
    """The copy in images/ of a photo named by a web address (its file name), when there is one."""
    parts = urlsplit(src.strip())
    name = Path(unquote(parts.path)).name if parts.scheme in ("http", "https") else ""
    return project.images / name if name and is_file(project.images / name) else None


def _locate(figure: Figure, source: Path, project: Project, roots: tuple[Path, ...]) -> Path | None:
    src = figure.src.strip()
    parts = urlsplit(src)
    if parts.scheme in ("http", "https"):
        name = Path(unquote(parts.path)).name
        local = local_copy(src, project)
        if local is not None:
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
    # a path outside the project is said so whether or not a file is there: the warnings never
    # tell which files outside exist (nothing outside is even looked for)
    named = candidates(src, source, project)
    inside = [c for c in named if is_readable(c, roots)]
    for candidate in inside:
        if is_file(candidate):
            return candidate.resolve()
    if len(inside) < len(named) or not named:  # (written inside, a link leads out)
        warn(f"image {src} lies outside the project's content and images: placeholder drawn",
             source, figure.line)
    else:
        warn(f"image {src} not found: placeholder drawn", source, figure.line)
    return None


def _load(path: Path, figure: Figure, source: Path, url: str, limits: Limits) -> ResolvedImage:
    """Read and fully decode one photo: over a limit is an error; an image that does not decode
    (cut short, damaged, not an image) is a placeholder with a warning."""
    src = figure.src
    size = path.stat().st_size
    if size > limits.image_bytes:
        raise ImageError(f"image {src} is {size:,} bytes, over the limit of "
                         f"{limits.image_bytes / MEGA:g} MB (--max-image-megabytes raises it)",
                         source, figure.line)
    data = path.read_bytes()
    try:
        with strict_pillow(limits.image_pixels):
            placed = decode(data, limits.image_pixels)
    except _TooManyPixels as exc:
        raise ImageError(f"image {src} {exc}, over the limit of {limits.image_pixels / MEGA:g} "
                         "megapixels (--max-image-megapixels raises it)", source, figure.line) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageError(f"image {src} has more pixels than the limit of "
                         f"{limits.image_pixels / MEGA:g} megapixels (--max-image-megapixels "
                         "raises it)", source, figure.line) from None
    except Exception as exc:  # a hostile file may make any decoder raise anything
        reason = ("not a JPEG, PNG, TIFF, WebP, GIF or BMP image"
                  if isinstance(exc, UnidentifiedImageError)
                  else str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)
        warn(f"image {src} cannot be decoded ({reason}): placeholder drawn", source, figure.line)
        return ResolvedImage(None)
    if placed.trailing:
        note(f"image {src}: {placed.trailing} bytes after the end of the image left out",
             source, figure.line)
    elif placed.converted_from:
        info(f"image {src}: {placed.converted_from} re-encoded as {placed.mode}", source,
             figure.line)
    return ResolvedImage(path, url, placed.width, placed.height, placed.mode, placed.data)


@dataclass(frozen=True)
class Decoded:
    """What a photo's file becomes in the PDF: its bytes (cut at the image's end, or a
    normalized re-encoding), size and mode, and what was done to it."""

    data: bytes
    width: int
    height: int
    mode: str
    trailing: int = 0  # bytes cut after the end of a JPEG
    converted_from: str = ""  # format and mode before normalization


class _TooManyPixels(Exception):
    pass


#: The formats photos are placed from (Pillow's names; its JPEG reader also reads cameras' MPO):
#: the decoders of the other forty-odd formats Pillow knows are never run on an article's files.
PHOTO_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP")
#: Modes WeasyPrint draws as they look (it turns 1 and P into RGB, and keeps transparency).
_DRAWN_AS_IS = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})
#: Modes whose JPEG data WeasyPrint embeds as it is (DCTDecode), inverted Adobe CMYK included.
_JPEG_AS_IS = frozenset({"L", "RGB", "CMYK"})


def decode(data: bytes, max_pixels: int) -> Decoded:
    """Verify and fully decode an image (under ``strict_pillow``), then give the bytes to place:
    a JPEG's own bytes up to its end marker, other images as they are when WeasyPrint draws
    their mode correctly, else the pixels converted (16-bit and float grey → 8-bit grey,
    CMYK → a CMYK JPEG, the rest → RGB or RGBA) and re-encoded, the same bytes for the same
    input."""
    # Pillow's own bomb check is off for the probe, which reads only the header: the limit is
    # checked here, before anything is decoded, and the error can give the size.
    with pixel_limit(None), Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as probe:
        width, height = probe.size
        if width * height > max_pixels:
            raise _TooManyPixels(f"is {width}×{height} pixels")
        probe.verify()
    with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
        if image.format in ("JPEG", "MPO") and image.mode in _JPEG_AS_IS:
            # At 1/8 scale libjpeg still reads every coefficient: a cut file still fails.
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
            end = jpeg_end(data)
            kept = data[:end] if end else data
            return Decoded(kept, width, height, image.mode, trailing=len(data) - len(kept))
        image.load()
        if image.mode in _DRAWN_AS_IS:
            return Decoded(data, width, height, image.mode)
        converted = _normalized(image)
        return Decoded(_encoded(converted), converted.width, converted.height, converted.mode,
                       converted_from=f"{image.format or 'image'} {image.mode}")


def _normalized(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)  # WeasyPrint would have; the new bytes drop EXIF
    mode = image.mode
    if mode.startswith("I"):  # 16-bit grey (I;16, I;16B…) and 32-bit integer, read as 16-bit
        return image.convert("I").point(lambda v: v * (1 / 257) + 0.5).convert("L")
    if mode == "F":  # floating-point grey: 0.0 is black, 1.0 white
        return image.point(lambda v: v * 255 + 0.5).convert("L")
    if mode == "CMYK":
        return image
    if mode == "La":
        return image.convert("LA")
    alpha = "A" in mode or "a" in mode or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB")


def _encoded(image: Image.Image) -> bytes:
    """Deterministic bytes: no metadata, no clock; PNG (WeasyPrint re-compresses it), or JPEG
    for CMYK, which PNG cannot hold."""
    out = io.BytesIO()
    if image.mode == "CMYK":
        image.save(out, format="JPEG", quality=95, subsampling=0)
    else:
        image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def jpeg_end(data: bytes) -> int | None:
    """Where a JPEG's data ends (just after its EOI marker), found by walking its segments and
    entropy-coded data; None when it has no end."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            continue
        if pos + 2 > size:
            return None
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2:
            return None
        pos += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker but RSTn and FF00
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= size:
                    return None
                following = data[pos + 1]
                if following == 0 or 0xD0 <= following <= 0xD7:
                    pos += 2
                elif following == 0xFF:
                    pos += 1
                else:
                    break
    return None


#: Pillow's settings (MAX_IMAGE_PIXELS, LOAD_TRUNCATED_IMAGES) and Python's warning filters are
#: process-wide, and a build changes them while it checks photos and while WeasyPrint decodes
#: them (layout and write). Whoever changes them holds this lock until they are put back, so a
#: build in another thread waits instead of decoding under another build's limits (re-entrant:
#: the settings nest within one build).
PILLOW_SETTINGS = threading.RLock()


@contextmanager
def strict_pillow(max_pixels: int) -> Iterator[None]:
    """Pillow as image checks need it: a decompression bomb warning is an error (at the
    limit, not Pillow's own), and a cut-short file fails instead of decoding as grey
    (WeasyPrint switches that on for the whole process)."""
    with PILLOW_SETTINGS:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            with pixel_limit(max_pixels), warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


@contextmanager
def pixel_limit(max_pixels: int | None) -> Iterator[None]:
    """Pillow's decompression-bomb limit set to the build's (WeasyPrint decodes the photos
    again, and a raised limit must hold there too), under PILLOW_SETTINGS."""
    with PILLOW_SETTINGS:
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved
