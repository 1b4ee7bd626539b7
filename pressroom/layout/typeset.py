"""HTML → laid-out document → PDF bytes (WeasyPrint, sandboxed fetcher, project fonts only)."""

from __future__ import annotations

import mimetypes
import os
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pressroom.errors import FontError, display_path
from pressroom.layout import cssdiag, weasy
from pressroom.layout.images import SCHEME
from pressroom.layout.weasy import CSS, HTML, Document, URLFetcher, URLFetcherResponse
from pressroom.project import is_file, is_inside
from pressroom.report import REFUSED, warn


class SandboxFetcher(URLFetcher):
    """Serves WeasyPrint only files inside the allowed folders and data: URLs; nothing remote."""

    def __init__(self, roots: tuple[Path, ...], source: Path | None = None,
                 project: Path | None = None, fonts: Path | None = None,
                 images: Path | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data", SCHEME), allow_redirects=False)
        self.roots = roots
        self.source = source
        # pressroom://project/…, pressroom://source/…, pressroom://images/… (an images/ that is
        # a link elsewhere) and pressroom://fonts/… (the layouts' @font-face: the publication's
        # fonts/, or the package's)
        self.aliases = {"project": project, "source": source.parent if source else None,
                        "fonts": fonts, "images": images}
        self.served: dict[str, bytes] = {}

    def serve(self, files: dict[str, bytes]) -> None:
        """Answer these URLs with these bytes: the photos as images.py checked them."""
        self.served.update(files)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self.served:
            return URLFetcherResponse(url, self.served[url])
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = None
        if parts.scheme == SCHEME and self.aliases.get(parts.netloc) is not None:
            path = self.aliases[parts.netloc] / unquote(parts.path.lstrip("/"))
        elif parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path))
        if path is not None and is_inside(path, self.roots):
            if is_file(path):
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": kind})
            # the project's, but not there: a stylesheet, a font or a picture the layout names
            warn(f"no file {display_path(path)}: the layout names it ({url})", self.source)
            raise ValueError(f"{REFUSED}: {url}")
        warn(f"refused to load {url}: only the project's files can be used", self.source)
        raise ValueError(f"{REFUSED}: {url}")


class _WarmFonts:
    """Font configurations kept for the layouts of one thread (see warm_fonts)."""

    def __init__(self, stack: ExitStack) -> None:
        self.pid = os.getpid()  # a forked worker makes its own
        self.stack = stack
        self.configs: dict[Path, object] = {}


_WARM: ContextVar[_WarmFonts | None] = ContextVar("pressroom_warm_fonts", default=None)


@contextmanager
def warm_fonts() -> Iterator[None]:
    """While the block runs, the layouts of this thread share one font configuration per fonts
    folder (loaded once: a watching process's), closed when it ends. Whoever holds it ends the
    block when the fonts or the layouts change (@font-face rules add to a configuration)."""
    with ExitStack() as stack:
        token = _WARM.set(_WarmFonts(stack))
        try:
            yield
        finally:
            _WARM.reset(token)


def warm_configuration(fonts: Path) -> object | None:
    """The font configuration of ``fonts`` that this thread's warm_fonts block keeps, once a
    layout made it; None outside such a block or before."""
    warm = _WARM.get()
    if warm is None or warm.pid != os.getpid():
        return None
    return warm.configs.get(fonts.resolve())


@contextmanager
def isolated_fonts(fonts: Path) -> Iterator:
    """A WeasyPrint font configuration that cannot see any system font."""
    if not any(fonts.glob("*.[ot]tf")):
        raise FontError("no .ttf or .otf font in the fonts folder", fonts)
    warm = _WARM.get()
    if warm is not None and warm.pid == os.getpid():
        key = fonts.resolve()
        if key not in warm.configs:
            warm.configs[key] = warm.stack.enter_context(weasy.isolated_font_config(fonts))
        yield warm.configs[key]
        return
    with weasy.isolated_font_config(fonts) as font_config:
        yield font_config


#: The CSS namer of each laid-out document, for the styles WeasyPrint computes as it draws.
_NAMERS: weakref.WeakKeyDictionary[Document, cssdiag.Namer] = weakref.WeakKeyDictionary()


def layout(html: str, base: Path, fonts: Path, fetcher: SandboxFetcher,
           extra_css: str = "", template: Path | None = None, **options) -> Document:
    """Lay out and paginate the HTML, with an edition's stylesheet after the layout's (and
    WeasyPrint's image options, which it reads while loading images). WeasyPrint's warnings
    about the layout's CSS name the file and line to fix, and so does one about a font family
    that fonts/ does not have (cssdiag.py); ``template``: the one ``html`` came from."""
    color_profiles: dict = {}
    weasy.keep_words_before_inline_elements()
    weasy.draw_justified_text_as_measured()
    weasy.truncate_margins_at_column_tops()
    weasy.balance_columns_above_footnotes()
    namer = cssdiag.Namer(html, base, template)
    with isolated_fonts(fonts) as font_config, namer.listening() as sheets:
        cssdiag.check_font_families(sheets, fonts)
        cssdiag.check_tokens(sheets)
        cssdiag.check_running_heads(sheets)
        stylesheets = [CSS(string=extra_css, base_url=base.as_uri() + "/", url_fetcher=fetcher,
                           font_config=font_config, color_profiles=color_profiles)
                       ] if extra_css else []
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        document = document.render(font_config=font_config, stylesheets=stylesheets,
                                   color_profiles=color_profiles, **options)
    for page in document.pages:
        weasy.realign_rtl_justified_lines(page)
        weasy.share_heading_baselines(page)
        # a bookmark is a heading's words: without the word joiners that keep its lines' last
        # words together (render.keep_particles), which a viewer's outline would hold
        page.bookmarks = [(level, label.replace(_WORD_JOINER, ""), *rest)
                          for level, label, *rest in page.bookmarks]
    _NAMERS[document] = namer
    return document


_WORD_JOINER = "\u2060"


def to_pdf(document: Document, finisher=None, **options) -> bytes:
    """Write a laid-out document as PDF bytes (no ID unless the options give one: no clock)."""
    options.setdefault("pdf_identifier", False)
    namer = _NAMERS.get(document)
    with namer.listening() if namer else nullcontext():
        return document.write_pdf(finisher=finisher, **options)
