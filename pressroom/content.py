"""Markdown with YAML front matter → Article (markdown-it-py, raw HTML off)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from .errors import ContentError
from .model import Article, Block, Figure, Heading, Paragraph, Quote
from .report import warn

#: Front-matter keys and what each becomes; anything else is warned about.
FRONT_MATTER_KEYS = ("title", "deck", "byline", "lang", "section", "publication", "date", "source",
                     "keywords", "original")

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(attrs_plugin)


def read_text(path: Path) -> str:
    """Read a UTF-8 source file, turning every failure into a ContentError naming it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError("no such file", path) from None
    except IsADirectoryError:
        raise ContentError("is a folder, not an article", path) from None
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(f"not UTF-8 text (byte {exc.start})", path, line) from None
    if not text.strip():
        raise ContentError("empty file", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 1
    index = next((i for i, line in enumerate(lines) if i and line.strip() in ("---", "...")), 0)
    if not index:
        raise ContentError("front matter opened with '---' on line 1 is never closed", path, 1)
    raw = "\n".join(lines[1:index])
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"front matter is not valid YAML: {problem}", path, line) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds dates itself and lets their errors out: "date: 2019-02-30"
        raise ContentError(f"front matter has an impossible value: {exc}", path, 2) from None
    if not isinstance(data, dict):
        raise ContentError("front matter must be a mapping of 'key: value' lines", path, 2)
    body = "\n".join(lines[index + 1 :])
    return data, body, index + 2


def _key_line(text: str, key: str) -> int | None:
    """The line of a front-matter key, for messages."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _as_text(value: Any, key: str, path: Path, text: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ContentError(f"'{key}' must be text", path, _key_line(text, key))


def _as_date(value: Any, path: Path, text: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ContentError(
            f"'date' must be YYYY-MM-DD, not {value!r}", path, _key_line(text, "date")
        ) from None


def load(path: Path) -> Article:
    """Read a Markdown article with YAML front matter."""
    text = read_text(path)
    meta, body, body_line = split_front_matter(text, path)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(FRONT_MATTER_KEYS)
            warn(f"unknown front-matter key {key!r} ignored (known: {known})", path,
                 _key_line(text, str(key)))
    fields = {k: _as_text(meta.get(k), k, path, text) for k in FRONT_MATTER_KEYS
              if k not in ("date", "keywords")}
    if not fields["title"]:
        raise ContentError("the article has no title (front matter 'title:')", path, 1)
    lang = fields["lang"] or "ar"
    return Article(
        title=fields["title"],
        path=path,
        deck=fields["deck"],
        byline=fields["byline"],
        lang=lang,
        section=fields["section"],
        publication=fields["publication"],
        date=_as_date(meta.get("date"), path, text),
        source=fields["source"],
        keywords=_as_keywords(meta.get("keywords"), path, text),
        original=fields["original"],
        blocks=parse_body(body, path, body_line),
    )


def _as_keywords(value: Any, path: Path, text: str) -> tuple[str, ...]:
    """``keywords:`` as a YAML list or one comma-separated line."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.replace("،", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ContentError("'keywords' must be a list of words", path, _key_line(text, "keywords"))
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_body(body: str, path: Path, first_line: int = 1) -> tuple[Block, ...]:
    """Markdown body → blocks; lines in messages count from the top of the file."""
    tokens = _MARKDOWN.parse(body)
    blocks: list[Block] = []
    in_quote = 0
    for index, token in enumerate(tokens):
        line = token.map[0] + first_line if token.map else None
        if token.type == "blockquote_open":
            in_quote += 1
        elif token.type == "blockquote_close":
            in_quote -= 1
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            blocks.append(Heading(_plain(inline), max(2, min(int(token.tag[1]), 3)), line))
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            figure = _figure(inline, path, line)
            if figure is not None:
                blocks.append(figure)
            elif in_quote:
                blocks.append(Quote(_plain(inline), _inline_html(inline, path, line), line))
            else:
                blocks.append(Paragraph(_plain(inline), _inline_html(inline, path, line), line))
        elif token.type in ("fence", "code_block", "hr"):
            warn(f"Markdown {token.type.replace('_', ' ')} is not supported here: left out",
                 path, line)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            warn("Markdown lists are set as plain paragraphs: their bullets or numbers are "
                 "dropped", path, line)
    return tuple(blocks)


def _figure(inline: Token, path: Path, line: int | None) -> Figure | None:
    """A paragraph holding only an image is a figure: alt → caption, {credit="…"} → credit."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) != 1 or children[0].type != "image":
        return None
    image = children[0]
    for key in image.attrs:
        if key not in ("src", "alt", "credit", "title", "class"):
            warn(f"unknown figure attribute {key!r} ignored (known: credit, .bleed)", path, line)
    classes = str(image.attrs.get("class", "")).split()
    for cls in classes:
        if cls != "bleed":
            warn(f"unknown figure class {cls!r} ignored (known: .bleed)", path, line)
    caption = _MARKDOWN.renderer.renderInlineAsText(image.children or [], _MARKDOWN.options, {})
    src = str(image.attrs.get("src", ""))
    return Figure(
        src=src if "://" in src else unquote(src),
        caption=caption.strip(),
        credit=re.sub(r"\\(.)", r"\1", str(image.attrs.get("credit", ""))).strip(),
        line=line,
        bleed="bleed" in classes,
    )


def _plain(inline: Token) -> str:
    return _MARKDOWN.renderer.renderInlineAsText(inline.children or [], _MARKDOWN.options, {}).strip()


def _inline_html(inline: Token, path: Path, line: int | None) -> str:
    for child in inline.children or []:
        if child.type == "image":
            warn("an image inside a paragraph is not placed; put it on a line of its own",
                 path, line)
            child.type = "text"
            child.content = _MARKDOWN.renderer.renderInlineAsText(
                child.children or [], _MARKDOWN.options, {})
            child.children = None
    return _MARKDOWN.renderer.render(inline.children or [], _MARKDOWN.options, {}).strip()
