"""Laid-out pages → the HTML they were laid out from, as files a browser opens from disk (--html)."""

from __future__ import annotations

import html as htmllib
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pressroom import build
from pressroom.errors import ToolkitError
from pressroom.layout.images import SCHEME
from pressroom.pdf import editions
from pressroom.project import Project

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


def check_target(target: Path, project: Project, inputs: list[Path | None], *,
                 folder: bool = False) -> None:
    """Refuse, before anything is built, an --html target that cannot take the HTML: a file
    that is not .html (for an issue, anything but a folder), an input, an existing non-HTML
    file."""
    if folder:
        if target.suffix.lower() in (".html", ".htm") or (target.exists() and not target.is_dir()):
            raise ToolkitError("--html of an issue names a folder (front.html and one file per "
                               "article are written there)", target)
        return
    if target.suffix.lower() not in (".html", ".htm"):
        raise ToolkitError("--html names the .html file to write", target)
    _replaceable(target, project, inputs)


def _replaceable(target: Path, project: Project, inputs: list[Path | None]) -> None:
    build.check_output(target, project, inputs, pdf=False)
    if target.is_file() and not target.read_bytes()[:512].lstrip().lower().startswith(
            (b"<!doctype html", b"<html")):
        raise ToolkitError("exists and is not HTML: not replaced", target)


def write_issue(folder: Path, front: str, front_ctx: build.Context, articles: list[tuple[Path, str]],
                contexts: list[build.Context], link_prefix: str) -> list[Path]:
    """An issue's HTML, as laid out, in ``folder``: ``front.html`` (the cover and the contents,
    whose entries open the articles' files) and ``NN-<article>.html`` for each article in the
    issue's order. Every file is checked before any is written; returns them."""
    names = [f"{number:02d}-{source.stem}.html" for number, (source, _) in enumerate(articles, 1)]
    targets = [folder / "front.html", *(folder / name for name in names)]
    for target in targets:
        _replaceable(target, front_ctx.project, [source for source, _ in articles])
    front = re.sub(re.escape(link_prefix) + r"(\d+)",
                   lambda m: quote(names[int(m[1])]) if int(m[1]) < len(names) else m[0], front)
    pages = [for_browser(front, front_ctx, targets[0])]
    pages += [for_browser(html, ctx, target)
              for (_, html), ctx, target in zip(articles, contexts, targets[1:], strict=True)]
    for target, page in zip(targets, pages, strict=True):
        build.write_atomically(target, page.encode("utf-8"))
    return targets
