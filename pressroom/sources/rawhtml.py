"""Raw HTML in an article's Markdown tokens → left out (never rendered, never printed), said."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.common.html_blocks import block_names
from markdown_it.token import Token

from pressroom.report import warn

#: One whole HTML comment: an author's note, left out without a word.
_COMMENT = re.compile(r"<!--(?:(?!-->).)*?-->", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
#: HTML's element names: a tag of another name ("<editor>", "<Ahmed Ali>") is prose, kept as text.
ELEMENTS = frozenset(block_names) | frozenset((
    "a abbr area audio b bdi bdo big blink br button canvas cite code data datalist del dfn em "
    "embed font i iframe img input ins kbd label map mark marquee math meter noscript object "
    "output picture portal progress q rp rt ruby s samp script select slot small span strike "
    "strong style sub sup svg template textarea time tt u var video wbr image").split())
#: Elements whose content is not text (left out with them when inline).
_NOT_TEXT = ("script", "style", "textarea", "noscript", "template", "svg", "math", "iframe",
             "object")
#: A photo in HTML (its warning says how a photo is written instead).
_PHOTO_TAG = re.compile(r"<(?:img|figure|picture)\b", re.IGNORECASE)
PHOTO_HINT = " (a photo is written ![caption](src){credit=\"…\"} on a line of its own)"
#: Elements markdown-it's html blocks run to the closing tag of (or to the end of the file).
_RUN_TO_CLOSE = ("script", "style", "pre", "textarea")


def only_comments(html: str) -> bool:
    """Whether ``html`` holds nothing but whole comments (and white space)."""
    return not _COMMENT.sub("", html).strip()


def shown(html: str) -> str:
    """An HTML tag as said in a warning: its name (``<img>``), or its first characters."""
    tag = _TAG.match(html.lstrip())
    return f"<{tag.group(2).lower()}>" if tag else repr(html.strip()[:20])


def block_warning(html: str, first: int | None, last: int | None) -> str | None:
    """What to say of an HTML block markdown-it read from line ``first`` to ``last``: None for
    comments alone; that it is left out, with its lines, and when it was never closed."""
    if only_comments(html):
        return None
    lines = f"lines {first}–{last}" if first is not None and last is not None and last > first \
        else ""
    text = html.lstrip()
    tag = _TAG.match(text)
    name = tag.group(2).lower() if tag else ""
    unclosed = (text.startswith("<!--") and "-->" not in text) or (
        name in _RUN_TO_CLOSE and not tag.group(1) and f"</{name}" not in text.lower())
    if unclosed:
        what = "an HTML comment" if text.startswith("<!--") else f"raw HTML <{name}>"
        return f"{what} opened here is never closed: {lines or 'its line'} left out (to the end)"
    if text.startswith("<!--"):
        return ("text after an HTML comment on its line is left out" + (f" ({lines})" if lines else "")
                + ": put the comment on a line of its own")
    return (f"raw HTML {shown(html)} is not supported: {lines + ' ' if lines else ''}left out"
            + (PHOTO_HINT if _PHOTO_TAG.search(html) else ""))


def drop_inline(tokens: list[Token], path: Path, first_line: int) -> None:
    """In every inline token: the author's HTML tags left out with a warning naming the file and
    the tag's line (the text between them kept; a script's or style's content left out with
    it), ``<br>`` set as a line break, ``<wbr>`` and comments dropped silently, a tag whose name
    is no HTML element's (``<editor>``) kept as text, and a comment never closed left out with
    the rest of its paragraph."""
    for token in tokens:
        if token.type == "inline" and token.children:
            start = token.map[0] + first_line if token.map else None
            token.children = _kept(token.children, path, start, _opens_comment(token.content))


def _opens_comment(source: str) -> bool:
    """Whether an inline's source opens a comment it never closes ("<!--" as written: not
    "\\<!--" or "&lt;!--", which are text)."""
    return any("-->" not in source[m.end():] for m in re.finditer(r"(?<!\\)<!--", source))


def _kept(children: list[Token], path: Path, line: int | None, unclosed: bool = False
          ) -> list[Token]:
    out: list[Token] = []
    said: dict[int | None, list[str]] = {}
    inside = ""  # the element whose content is left out with it
    opened: tuple[int | None, str] = (None, "")  # where and what
    cut = False  # after a comment never closed
    open_tags: list[str] = []  # links and emphases open in ``out``, innermost last
    offset = 0
    for child in children:
        at = None if line is None else line + offset
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
        if cut:
            if child.nesting == -1 and open_tags and open_tags[-1] == child.tag:
                open_tags.pop()  # (the end of a link or an emphasis whose start is kept)
                out.append(child)
            continue
        if inside:
            tag = _TAG.match(child.content) if child.type == "html_inline" else None
            if tag and tag.group(1) and tag.group(2).lower() == inside:
                inside = ""
            continue
        if child.type == "html_inline":
            content = child.content.strip()
            tag = _TAG.match(content)
            name = tag.group(2).lower() if tag else ""
            if only_comments(content) or name == "wbr":
                continue
            if tag and name not in ELEMENTS:
                out.append(_text(child, child.content))  # prose in angle brackets
                continue
            if name == "br":
                child.type, child.content, child.tag = "hardbreak", "", "br"
                out.append(child)
                continue
            said.setdefault(at, []).append(shown(content))
            if name in _NOT_TEXT and not tag.group(1) and not content.endswith("/>"):
                inside, opened = name, (at, f"raw HTML <{name}>")
            continue
        if unclosed and child.type == "text" and "<!--" in child.content:
            before = child.content[:child.content.index("<!--")]
            if before.strip():
                out.append(_text(child, before))
            warn("an HTML comment opened here is never closed: the rest of its paragraph left out",
                 path, at)
            cut = True
            continue
        if child.children:
            child.children = _kept(child.children, path, at)
        if child.nesting == 1:
            open_tags.append(child.tag)
        elif child.nesting == -1 and open_tags:
            open_tags.pop()
        out.append(child)
    if inside:  # never closed: the rest of the paragraph went with it
        said[opened[0]].remove(f"<{inside}>")
        said = {at: tags for at, tags in said.items() if tags}
        warn(f"{opened[1]} opened here is never closed: the rest of its paragraph left out", path,
             opened[0])
    for at, tags in said.items():
        warn(f"raw HTML {', '.join(dict.fromkeys(tags))} is not supported: left out (the text "
             "between tags kept; write &lt; for a '<' in the text)"
             + (PHOTO_HINT if {"<img>", "<figure>", "<picture>"} & set(tags) else ""), path, at)
    return out


def _text(token: Token, content: str) -> Token:
    token.type, token.content, token.children = "text", content, None
    return token
