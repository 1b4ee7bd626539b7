"""HTML → laid-out document → PDF bytes (WeasyPrint, sandboxed fetcher, project fonts only)."""

from __future__ import annotations

import mimetypes
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from weasyprint import CSS, HTML, Document
from weasyprint.formatting_structure.boxes import Box, LineBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import FontError
from .images import SCHEME
from .project import is_file, is_inside
from .report import warn


class SandboxFetcher(URLFetcher):
    """Serves WeasyPrint only files inside the allowed folders and data: URLs; nothing remote."""

    def __init__(self, roots: tuple[Path, ...], source: Path | None = None,
                 project: Path | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data", SCHEME), allow_redirects=False)
        self.roots = roots
        self.source = source
        self.aliases = {"project": project, "source": source.parent if source else None}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = None
        if parts.scheme == SCHEME and self.aliases.get(parts.netloc) is not None:
            path = self.aliases[parts.netloc] / unquote(parts.path.lstrip("/"))
        elif parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path))
        if path is not None and is_inside(path, self.roots) and is_file(path):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": kind})
        warn(f"refused to load {url}: only the project's files can be used", self.source)
        raise ValueError(f"refused by the sandbox: {url}")


def fontconfig_file(fonts: Path, cache: Path) -> str:
    """A fontconfig configuration that knows the project's fonts and no others."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>\n  <dir>{escape(str(fonts.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(cache))}</cachedir>\n</fontconfig>\n"
    )


@contextmanager
def isolated_fonts(fonts: Path) -> Iterator[FontConfiguration]:
    """A WeasyPrint font configuration that cannot see any system font."""
    if not any(fonts.glob("*.[ot]tf")):
        raise FontError("no .ttf or .otf font in the fonts folder", fonts)
    with tempfile.TemporaryDirectory(prefix="pressroom-fc-") as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(fontconfig_file(fonts, Path(tmp) / "cache"), encoding="utf-8")
        saved = {k: os.environ.get(k) for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")}
        os.environ["FONTCONFIG_FILE"] = str(conf)
        os.environ["FONTCONFIG_PATH"] = tmp
        try:
            font_config = FontConfiguration()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        yield font_config


def layout(html: str, base: Path, fonts: Path, fetcher: SandboxFetcher,
           extra_css: str = "", **options) -> Document:
    """Lay out and paginate the HTML, with an edition's stylesheet after the layout's (and
    WeasyPrint's image options, which it reads while loading images)."""
    color_profiles: dict = {}
    with isolated_fonts(fonts) as font_config:
        stylesheets = [CSS(string=extra_css, base_url=base.as_uri() + "/", url_fetcher=fetcher,
                           font_config=font_config, color_profiles=color_profiles)
                       ] if extra_css else []
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        document = document.render(font_config=font_config, stylesheets=stylesheets,
                                   color_profiles=color_profiles, **options)
    for page in document.pages:
        _realign_rtl_justified_lines(page._page_box)
    return document


def _realign_rtl_justified_lines(box: Box) -> None:
    """Put back justified right-to-left lines that WeasyPrint 70 shifts left by one space.

    When such a line ends where an inline element begins (a link, emphasis, a number run), the
    space before the element is stripped from the line's last box, and that box is left one
    space too far left: past the column's left edge, with a gap that is not in the text between
    it and its neighbour (or, alone on its line, one space short of the right edge). Moving that
    last box back by the overshoot closes both.
    """
    if isinstance(box, LineBox):
        style = box.style
        if style["direction"] == "rtl" and style["text_align_all"] == "justify" and box.children:
            overshoot = box.position_x - min(child.position_x for child in box.children)
            if overshoot > 0.01:
                box.children[-1].translate(dx=overshoot, ignore_floats=True)
        return
    for child in getattr(box, "children", ()):
        _realign_rtl_justified_lines(child)


def to_pdf(document: Document, finisher=None, **options) -> bytes:
    """Write a laid-out document as PDF bytes (no ID unless the options give one: no clock)."""
    options.setdefault("pdf_identifier", False)
    return document.write_pdf(finisher=finisher, **options)
