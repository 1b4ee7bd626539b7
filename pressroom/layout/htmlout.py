"""An article → the HTML its layout produced, as a file a browser opens from disk (--html)."""

from __future__ import annotations

import html as htmllib
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pressroom import build
from pressroom.errors import ToolkitError
from pressroom.layout.images import SCHEME
from pressroom.limits import DEFAULT_LIMITS, Limits
from pressroom.pdf import editions
from pressroom.project import Project
from pressroom.report import NOTE, listen

_LINK = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>", re.I)
_HREF = re.compile(r"\bhref=\"([^\"]*)\"", re.I)
_INTERNAL = re.compile(SCHEME + r"://(\w+)/([^\"')\s>]+)")
_FILE_URL = re.compile(r"file://(/[^\"')\s>]*)")


#: For the browser only (print ignores it): a page-wide column with room for what bleeds.
SCREEN = ("/* a browser's view only */\n@media screen { html { background: #e6e2dc; } "
          "body { box-sizing: border-box; max-width: 190mm; margin: 0 auto; padding: 20mm 24mm; "
          "background: #fff; } }\n")


def _relative(path: Path, folder: Path) -> str:
    """``path`` as a URL relative to ``folder`` (a file: URL when there is no relative way)."""
    try:
        return quote(Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix())
    except ValueError:  # another drive
        return path.resolve().as_uri()


def for_browser(html: str, ctx: build.Context, target: Path) -> str:
    """The layout's HTML with every URL a browser can follow from ``target``'s folder: the
    layout's stylesheets linked by relative path (those that name pressroom:// files, such as
    the fonts, written inline with those URLs made relative), photos and fonts by relative path,
    and the edition's page CSS (bleed, marks) in a <style> at the end of the head."""
    here = target.parent
    aliases = {name: folder for name, folder in ctx.fetcher.aliases.items() if folder is not None}

    def local(text: str) -> str:
        def internal(match: re.Match[str]) -> str:
            root = aliases.get(match[1])
            return _relative(root / unquote(match[2]), here) if root else match[0]

        text = _INTERNAL.sub(internal, text)
        return _FILE_URL.sub(lambda m: _relative(Path(unquote(m[1])), here), text)

    def link(match: re.Match[str]) -> str:
        href = _HREF.search(match[0])
        if href is None or urlsplit(htmllib.unescape(href[1])).scheme:
            return local(match[0])
        sheet = ctx.folder / unquote(htmllib.unescape(href[1]))
        text = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
        if f"{SCHEME}://" in text:
            css = local(text)
            css = re.sub(r"url\(([^)\"']+)\)", r'url("\1")', css)
            return f"<style>/* {ctx.folder.name}/{sheet.name} */\n{css}</style>"
        return match[0].replace(href[0], f'href="{_relative(sheet, here)}"')

    html = _LINK.sub(link, html)
    html = local(html)
    page_css = local(editions.page_css(ctx.edition, ctx.profile.path if ctx.profile else None))
    return html.replace("</head>", f"<style>/* the {ctx.edition.name} edition */\n{page_css}\n"
                        f"{SCREEN}</style>\n</head>", 1)


def write(source: Path, target: Path, project: Project, *, layout: str, variant: str,
          output_intent: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Write the HTML the layout makes of ``source`` to ``target`` (atomically), for a browser.
    What the build itself says about the article is not said twice."""
    if target.suffix.lower() not in (".html", ".htm"):
        raise ToolkitError("--html names the .html file to write", target)
    build.check_output(target, project, [source, output_intent], pdf=False)
    if target.is_file() and not target.read_bytes()[:512].lstrip().lower().startswith(
            (b"<!doctype html", b"<html")):
        raise ToolkitError("exists and is not HTML: not replaced", target)
    with listen(lambda record: record.levelno < NOTE):
        article = build.load(source, limits)
        ctx = build.context(source, project, layout=layout, variant=variant,
                            output_intent=output_intent, limits=limits)
        html = build.render_html(ctx, article, build.resolve_images(ctx, article))
    build.write_atomically(target, for_browser(html, ctx, target).encode("utf-8"))
