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

from pressroom.errors import ContentError
from pressroom.layout.links import anchor_name, is_live, shown
from pressroom.model import Article, Block, Figure, Heading, Paragraph, Quote
from pressroom.report import warn

#: Front-matter keys and what each becomes; anything else is warned about.
FRONT_MATTER_KEYS = ("title", "deck", "byline", "lang", "section", "publication", "date", "source",
                     "keywords", "original")

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(attrs_plugin)
# Every link reaches _contain, which says what it leaves as text (markdown-it would silently
# leave only javascript:, vbscript:, file: and data: unparsed).
_MARKDOWN.validateLink = lambda url: True

#: What a {…} after a link, a code span or a figure's image may set; anything else is dropped
#: with a warning (style would restyle the page, rel="attachment" would attach a file).
LINK_ATTRIBUTES = ("href", "title", "id")  # href and title come from Markdown's own syntax
CODE_ATTRIBUTES = ("id",)
FIGURE_ATTRIBUTES = ("src", "alt", "title", "id", "class", "credit")
#: The classes the layouts define for figures.
FIGURE_CLASSES = ("bleed",)
_ID = re.compile(r"\w[\w.:-]{0,99}")


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


def key_line(text: str, key: str) -> int | None:
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
    raise ContentError(f"'{key}' must be text", path, key_line(text, key))


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
            f"'date' must be YYYY-MM-DD, not {value!r}", path, key_line(text, "date")
        ) from None


def load(path: Path) -> Article:
    """Read a Markdown article with YAML front matter."""
    text = read_text(path)
    meta, body, body_line = split_front_matter(text, path)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(FRONT_MATTER_KEYS)
            warn(f"unknown front-matter key {key!r} ignored (known: {known})", path,
                 key_line(text, str(key)))
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
        raise ContentError("'keywords' must be a list of words", path, key_line(text, "keywords"))
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_body(body: str, path: Path, first_line: int = 1) -> tuple[Block, ...]:
    """Markdown body → blocks; lines in messages count from the top of the file."""
    tokens = _MARKDOWN.parse(body)
    _contain(tokens, path, first_line)
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


def _figure_image(inline: Token) -> Token | None:
    """The image of a paragraph that holds only an image (a figure), else None."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _figure(inline: Token, path: Path, line: int | None) -> Figure | None:
    """A paragraph holding only an image is a figure: alt → caption, {credit="…"} → credit."""
    image = _figure_image(inline)
    if image is None:
        return None
    classes = str(image.attrs.get("class", "")).split()
    caption = _MARKDOWN.renderer.renderInlineAsText(image.children or [], _MARKDOWN.options, {})
    src = str(image.attrs.get("src", ""))
    return Figure(
        src=src if "://" in src else unquote(src),
        caption=caption.strip() or str(image.attrs.get("alt", "")).strip(),
        credit=re.sub(r"\\(.)", r"\1", str(image.attrs.get("credit", ""))).strip(),
        line=line,
        bleed="bleed" in classes,
        anchor=str(image.attrs.get("id", "")),
    )


def _contain(tokens: list[Token], path: Path, first_line: int) -> None:
    """Keep only allowed attributes, and only links that are http(s), mailto or an #anchor
    declared in the article; the rest becomes text, each with a warning naming file:line."""
    ids: set[str] = set()
    for token in tokens:
        if token.type != "inline":
            continue
        line = token.map[0] + first_line if token.map else None
        figure = _figure_image(token)
        for child in token.children or []:
            if child is figure:
                _keep(child, FIGURE_ATTRIBUTES, "figure", path, line)
                wrong = [c for c in str(child.attrs.get("class", "")).split() if c not in FIGURE_CLASSES]
                if wrong:
                    warn(f"figure class {' '.join('.' + c for c in wrong)} dropped (known: "
                         f"{', '.join('.' + c for c in FIGURE_CLASSES)})", path, line)
                    kept = [c for c in str(child.attrs["class"]).split() if c in FIGURE_CLASSES]
                    child.attrs["class"] = " ".join(kept)
            elif child.type == "link_open":
                _keep(child, LINK_ATTRIBUTES, "link", path, line)
            elif child.type == "code_inline":
                _keep(child, CODE_ATTRIBUTES, "code", path, line)
            elif child.type == "image":  # set as text later (with a warning of its own)
                child.attrs = {k: v for k, v in child.attrs.items() if k in ("src", "alt")}
            if "id" in child.attrs:
                name = str(child.attrs.pop("id"))
                if not _ID.fullmatch(name) or name in ids:
                    why = "is used twice" if name in ids else "is not a name (letters, digits, -_.:)"
                    warn(f"id {shown(name)!r} dropped: it {why}", path, line)
                else:
                    ids.add(name)
                    child.attrs["id"] = name
    for token in tokens:
        if token.type == "inline" and token.children:
            line = token.map[0] + first_line if token.map else None
            token.children = _live_links(token.children, ids, path, line)


def _keep(token: Token, allowed: tuple[str, ...], what: str, path: Path, line: int | None) -> None:
    """Drop the attributes of ``token`` that are not ``allowed``, with a warning."""
    dropped = [key for key in token.attrs if key not in allowed]
    for key in dropped:
        del token.attrs[key]
    if dropped:
        warn(f"{what} attribute{'s' if len(dropped) > 1 else ''} {', '.join(map(str, dropped))} "
             f"dropped (allowed: {', '.join(a for a in allowed if a not in ('href', 'src'))})",
             path, line)


def _live_links(children: list[Token], ids: set[str], path: Path, line: int | None) -> list[Token]:
    """The inline tokens with every link that may not be live turned into its text."""
    kept: list[Token] = []
    dropping = False
    for child in children:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            anchor = anchor_name(href)
            if anchor is not None and anchor not in ids:
                warn(f"link to #{shown(anchor)} kept as text: the article has no such id "
                     "(set one with {#name})", path, line)
                dropping = True
                continue
            if anchor is None and not is_live(href):
                warn(f"link to {shown(unquote(href))!r} kept as text: only http(s), mailto and #anchors "
                     "in the article become links", path, line)
                dropping = True
                continue
        elif child.type == "link_close" and dropping:
            dropping = False
            continue
        kept.append(child)
    return kept


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
