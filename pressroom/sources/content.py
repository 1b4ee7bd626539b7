"""Markdown with YAML front matter → Article (markdown-it-py; raw HTML and stray syntax warned about
and left out; straight double quotes in Arabic-script text set as guillemets)."""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import html as html_text
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from pressroom.errors import ContentError
from pressroom.layout.links import anchor_name, is_live, shown
from pressroom.model import (
    Article,
    Block,
    Cell,
    Definition,
    Definitions,
    Figure,
    Footnote,
    Heading,
    List,
    ListItem,
    Paragraph,
    Quote,
    Sidebar,
    Table,
)
from pressroom.report import in_line_order, warn
from pressroom.sources import rawhtml, tex

#: Front-matter keys and what each becomes; anything else is warned about.
FRONT_MATTER_KEYS = ("title", "deck", "byline", "lang", "section", "publication", "date", "source",
                     "keywords", "original")

#: Other tools' names for a front-matter key (Pandoc, Jekyll, Hugo), read as that key.
ALIASES = {"author": "byline", "subtitle": "deck"}

#: The ``::: name`` blocks the layout sets; any other name is warned about.
CONTAINERS = ("pull", "sidebar")

_MARKDOWN = (
    # raw HTML is parsed so that it can be left out with a warning: never rendered, never printed
    MarkdownIt("commonmark", {"html": True, "typographer": False})
    .enable(["table", "strikethrough"])
    .use(attrs_plugin)
    .use(footnote_plugin)
    # every ``::: name`` is parsed, so that an unknown name is warned about, not printed
    .use(container_plugin, "block", validate=lambda params, *_: bool(params.strip()))
    # "Term" then ": definition" (a glossary)
    .use(deflist_plugin)
    # $…$ (and $$…$$) as Pandoc reads it: no space inside either dollar, no digit right after the
    # closing one, so that "$5 and $10", "$3.50, or $4" and "$5-$10" stay prices (tex.py)
    .use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
         double_inline=True)
)


def _formula(token: Token) -> tex.Formula:
    """The formula of a math token (``$…$``), read once."""
    if "formula" not in token.meta:
        token.meta = {**(token.meta or {}), "formula": tex.formula(token.content)}
    return token.meta["formula"]


for _kind in ("math_inline", "math_inline_double"):
    _MARKDOWN.add_render_rule(_kind, lambda _self, tokens, index, *_: _formula(tokens[index]).html)
# Every link reaches _contain, which says what it leaves as text (markdown-it would silently
# leave only javascript:, vbscript:, file: and data: unparsed).
_MARKDOWN.validateLink = lambda url: True

#: What a {…} after a link, a code span or a figure's image may set; anything else is dropped
#: with a warning (style would restyle the page, rel="attachment" would attach a file).
LINK_ATTRIBUTES = ("href", "title", "id")  # href and title come from Markdown's own syntax
CODE_ATTRIBUTES = ("id",)
FIGURE_ATTRIBUTES = ("src", "alt", "title", "id", "class", "credit", "focus")
#: The classes a figure may carry: those the layouts define, nocrop (never cropped to fit the room
#: a page leaves: layout/figures.py), crop (cropped to fit a page as the author accepts: said as a
#: note, not a warning, so that --strict passes), row (set beside the photo before it: _figures)
#: and portrait (a lead photo set in a column beside the text, as a portrait photo is unmarked).
FIGURE_CLASSES = ("bleed", "wide", "nocrop", "crop", "row", "portrait")
#: What {focus=…} may say: where a cropped photo is kept (its object-position's vertical part).
FOCUS_WORDS = {"top": "0%", "center": "50%", "centre": "50%", "middle": "50%", "bottom": "100%"}
_FOCUS_PERCENT = re.compile(r"(?:100|[1-9]?[0-9](?:\.[0-9]+)?)%")
_ID = re.compile(r"\w[\w.:-]{0,99}")
#: A footnote call or definition markdown-it left as text: its note is missing or misplaced.
#: (A label holds no "[": "[^a[^a[^a…" unclosed was read again from each "[^", quadratic.)
_STRAY_NOTE = re.compile(r"\s?\[\^[^\]\s\[]+\]:?")
_PULL_MARK = "{.pull}"
#: What marks a table to be set across the columns: {.wide} on the line after its last row, or
#: after a blank line (as a row of its own, "| {.wide} |", too).
_TABLE_MARK = re.compile(r"\|?\s*\{\s*\.wide\s*\}\s*\|?")
#: A footnote's call ("[^1]") or inline note ("^[…]") in a ``::: name title``'s title.
_NOTE_IN_TITLE = re.compile(r"\[\^[^\]\s\[]+\]|\^\[")
#: An attribute list ({#id}, {.class}, {key=value}) where markdown-it's attrs reads none (after
#: a heading's or a paragraph's text): raw syntax, left out with a warning. (No space before it
#: in the pattern: a long run of spaces was read again from each of them, quadratic.)
_ATTRIBUTE = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|[^\s{}]+))"
_ATTRIBUTES_AT_END = re.compile(rf"\{{{_ATTRIBUTE}(?:\s+{_ATTRIBUTE})*\}}$")
#: One never closed: "## عنوان {#sec", "![a](b.jpg){.wide" (the line's end before its "}").
_OPEN_ATTRIBUTES_AT_END = re.compile(rf"\{{{_ATTRIBUTE}(?:\s+{_ATTRIBUTE})*\s*$")
#: What follows an image's syntax to its line's end when it opens an attribute list never closed.
_OPEN_BRACE = re.compile(r"\{[^{}\n]*(?=\n|$)")
#: A table cell holding only a number (digits of any script, separators, sign, percent).
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER = re.compile(rf"[-+\u2212]?[{_DIGIT}]+(?:[.,\u066b\u066c][{_DIGIT}]+)*\s*[%\u066a]?")


def is_number(text: str) -> bool:
    """Whether a table cell's text is only a number (set in a column of aligned figures)."""
    return bool(text) and _NUMBER.fullmatch(text) is not None


#: What PyYAML calls the constructs a writer opens and may forget to close, and what closes them.
_OPENED = {"a flow sequence": ("a '[' list", "[]"), "a flow mapping": ("a '{' mapping", "{}"),
           "a quoted scalar": ("a quoted text", "")}


def yaml_problem(exc: yaml.YAMLError, first_line: int) -> tuple[str, int | None]:
    """PyYAML's error as (a problem, the file line it is on; ``first_line``: the file line of
    the YAML's first). A '[', '{' or quote never closed is said on the line that opened it:
    PyYAML notices it lines later, at the next key or the end ("byline: [" was said to be wrong
    on the line after it). Never closed: a quote open at the end, or a bracket with fewer
    closing ones after it than opening ones (a closed list with a fault inside is said where
    the fault is)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, opened = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    what, pair = _OPENED.get(context.removeprefix("while parsing ").removeprefix("while scanning "),
                             (None, ""))
    if what and opened is not None and opened.buffer is not None:
        rest = opened.buffer[opened.index:]
        if (rest.count(pair[0]) > rest.count(pair[1])) if pair else "end of stream" in problem:
            found = (f" on line {mark.line + first_line}"
                     if mark is not None and mark.line != opened.line else "")
            return f"{what} is opened here and never closed ({problem}{found})", opened.line + first_line
    return problem, mark.line + first_line if mark is not None else None


#: U+FFFC, an object replacement character: a pasted image's or formula's place, which is nothing.
_OBJECT = "\ufffc"


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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _OBJECT in text:  # (the layout holds formulas' places with it: render.set_aside)
        count, line = text.count(_OBJECT), text[: text.index(_OBJECT)].count("\n") + 1
        warn(f"{count} object replacement character{'s' if count > 1 else ''} (U+FFFC), which "
             "stand for nothing in text: left out", path, line)
        text = text.replace(_OBJECT, "")
    return text


#: What the body may not hold: control characters (NUL, which Markdown prints as "�", escape…;
#: a tab and a line's end aside) and the bidi overrides LRO and RLO (U+202D, U+202E), which set
#: the text after them reversed on the page ("Trojan source"); the embeddings and marks stay.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e]")


def _without_unprintable(body: str, path: Path, first_line: int) -> str:
    """The body without _UNPRINTABLE characters, said once with the line of the first."""
    found = _UNPRINTABLE.search(body)
    if found is None:
        return body
    count = len(_UNPRINTABLE.findall(body))
    names = ", ".join(sorted({f"U+{ord(c):04X}" for c in _UNPRINTABLE.findall(body)})[:4])
    warn(f"{count} control or bidi override character{'s' if count > 1 else ''} ({names}), which "
         "print nothing or set the text after them reversed: left out", path,
         first_line + body.count("\n", 0, found.start()))
    return _UNPRINTABLE.sub("", body)


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
        problem, line = yaml_problem(exc, 2)
        raise ContentError(f"front matter is not valid YAML: {problem}", path, line or 1) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds dates itself and lets their errors out: "date: 2019-02-30"
        raise ContentError(f"front matter has an impossible value: {exc}", path, 2) from None
    if not isinstance(data, dict):
        raise ContentError("front matter must be a mapping of 'key: value' lines", path, 2)
    body = "\n".join(lines[index + 1 :])
    return data, body, index + 2


def key_line(text: str, key: str) -> int | None:
    """The line of a front-matter key, for messages."""
    return _key_lines(text).get(key)


@functools.lru_cache(maxsize=4)
def _key_lines(text: str) -> dict[str, int]:
    """Each key's first line, read once per text (a front matter of thousands of unknown keys,
    each said with its line, rescanned the file for each: quadratic)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        key, colon, _ = line.partition(":")
        if colon:
            lines.setdefault(key, number)
    return lines


#: The front-matter strings set as text on the page, where Markdown is not read.
PLAIN_KEYS = ("title", "deck", "byline", "section", "publication")
#: Inline Markdown as CommonMark reads it (emphasis, code, links, escapes; no raw HTML, which
#: stays text), for what a front-matter string would print as syntax.
_INLINE = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["strikethrough"])
_TAGS = re.compile(r"<[^>]*>")


def _without_markdown(value: str, key: str, path: Path, text: str) -> str:
    """A front-matter string without the inline Markdown it holds ("رفّ الأسبوع: *ثلاث روايات*"
    printed its asterisks): the text the syntax marks, with a warning naming the key's line. An
    image's syntax, closed or not, is its alt text (no photo is placed there)."""
    value = _without_images(value, key, path, text)
    if not value or not any(c in value for c in "*_`[~\\"):
        return value
    plain = html_text.unescape(_TAGS.sub("", _INLINE.renderInline(value))).strip()
    if plain != value:
        warn(f"'{key}' is text, not Markdown: its Markdown syntax is left out (write \\* for an "
             "asterisk)", path, key_line(text, key))
    return plain or value


def _without_images(value: str, key: str, path: Path, text: str) -> str:
    """A front-matter string with each image's syntax in it (``![alt](address)``, or one never
    closed: _IMAGE_SYNTAX) as its alt text, said with the key's line."""
    if "![" not in value:
        return value
    plain = _IMAGE_SYNTAX.sub(lambda found: found.group(1), value)
    if plain != value:
        written = _IMAGE_SYNTAX.search(value).group()  # type: ignore[union-attr]
        warn(f"'{key}' is text: an image's syntax in it ({shown(written)}) is left out, its alt text "
             "kept (a photo goes on a line of its own in the body)", path, key_line(text, key))
    return plain


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


def _aliased(meta: dict, alias: str, path: Path, text: str) -> dict:
    """``meta`` with ``alias`` read as the key it names (``author: [A, B]`` as "A، B"), unless that
    key is given too, which wins (a warning says so)."""
    key, value = ALIASES[alias], meta[alias]
    meta = {k: v for k, v in meta.items() if k != alias}
    if meta.get(key) not in (None, ""):
        warn(f"front-matter key {alias!r} ignored: {key!r} is given", path, key_line(text, alias))
        return meta
    names = alias == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value)
    if names:
        arabic = str(meta.get("lang") or "ar").split("-")[0] == "ar"
        value = ("، " if arabic else ", ").join(v.strip() for v in value)
    elif value is not None and (not isinstance(value, (str, int, float)) or isinstance(value, bool)):
        kind = "text or a list of names" if alias == "author" else "text"
        raise ContentError(f"'{alias}' must be {kind}", path, key_line(text, alias))
    meta[key] = value
    return meta


def load(path: Path) -> Article:
    """Read a Markdown article with YAML front matter."""
    text = read_text(path)
    meta, body, body_line = split_front_matter(text, path)
    for key in list(meta):
        if key in ALIASES:
            meta = _aliased(meta, str(key), path, text)
        elif key not in FRONT_MATTER_KEYS:
            warn(f"unknown front-matter key {key!r} ignored ({_known_keys(str(key))})", path,
                 key_line(text, str(key)))
    fields = {k: _as_text(meta.get(k), k, path, text) for k in FRONT_MATTER_KEYS
              if k not in ("date", "keywords")}
    fields.update({k: _without_markdown(fields[k], k, path, text) for k in PLAIN_KEYS})
    if not fields["title"]:
        raise ContentError("the article has no title (front matter 'title:')", path, 1)
    lang = fields["lang"] or "ar"
    body = _without_unprintable(body, path, body_line)
    blocks, footnotes = parse_article_body(body, path, body_line, quote_marks(lang))
    blocks = _one_lead_in_kept(blocks)
    article = Article(
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
        blocks=blocks,
        footnotes=footnotes,
    )
    if not article.has_body:
        warn("the article has no body (no text, figure or table after the front matter): only its "
             "title and front matter are printed", path, body_line)
    return article


def _known_keys(key: str) -> str:
    """What to say of an unknown front-matter key: the key meant, when it is close to one, and
    the keys known."""
    if key == "layout":
        return "the layout is chosen on the command line: --layout NAME"
    names = FRONT_MATTER_KEYS + tuple(ALIASES)
    meant = difflib.get_close_matches(key.lower(), names, n=1, cutoff=0.75)
    known = ", ".join(FRONT_MATTER_KEYS + tuple(f"{a} (as {k})" for a, k in ALIASES.items()))
    return (f"did you mean {meant[0]!r}? " if meant else "") + f"known: {known}"


def _as_keywords(value: Any, path: Path, text: str) -> tuple[str, ...]:
    """``keywords:`` as a YAML list or one comma-separated line."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.replace("،", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ContentError("'keywords' must be a list of words", path, key_line(text, "keywords"))
    return tuple(str(v).strip() for v in value if str(v).strip())


def _take_out(state: StateCore, pattern: re.Pattern[str], key: str, said: Callable[[str], str]) -> None:
    """Take what ``pattern`` finds out of the text markdown-it left, noting each (as ``said``
    gives it, with its line) under ``state.env[key]`` for a warning."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text" and pattern.search(child.content):
                for stray in pattern.findall(child.content):
                    state.env.setdefault(key, []).append((said(stray), token.map[0] if token.map else 0))
                child.content = pattern.sub("", child.content)


def _stray_notes(state: StateCore) -> None:
    """Take out the footnote calls markdown-it left as text (there is no such note), noting them
    for a warning; runs before escaped characters join the text, so ``\\[^1]`` stays."""
    _take_out(state, _STRAY_NOTE, "stray_notes", lambda stray: stray.strip().rstrip(":"))


_MARKDOWN.core.ruler.before("text_join", "stray_notes", _stray_notes)

#: The quotation marks an article's straight double quotes ("…", typed or scraped) are set as,
#: by its language: guillemets in the Arabic script's languages. A single quote stays as
#: written (an apostrophe: "O'Brien").
QUOTES = {"ar": "«»", "fa": "«»", "ur": "«»", "ps": "«»", "ku": "«»"}
_STRAIGHT = '"'


def quote_marks(lang: str) -> str:
    """The opening and closing marks straight double quotes are set as in ``lang`` ('' none)."""
    return QUOTES.get(lang.split("-")[0], "")


def _curl(pieces: list[str], marks: str) -> list[str]:
    """Pieces of one paragraph's text with their straight double quotes as ``marks``, opening
    and closing in turn across the pieces; as written when their number is odd (which is which
    cannot be told) or there are no marks."""
    if not marks or sum(piece.count(_STRAIGHT) for piece in pieces) % 2:
        return pieces
    out, opening = [], True
    for piece in pieces:
        parts = piece.split(_STRAIGHT)
        text = [parts[0]]
        for part in parts[1:]:
            text += [marks[0] if opening else marks[1], part]
            opening = not opening
        out.append("".join(text))
    return out


def curled(text: str, lang: str) -> str:
    """A line of plain text (a scraped paragraph) with its straight double quotes curled (_curl)."""
    return _curl([text], quote_marks(lang))[0]


def _curled_quotes(state: StateCore) -> None:
    """Straight double quotes in each paragraph's text (not code, not a formula) as the
    language's marks (``state.env["quotes"]``): _curl over its text pieces."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            texts = [child for child in token.children if child.type == "text"]
            for child, text in zip(texts, _curl([c.content for c in texts], state.env.get("quotes", "")),
                                   strict=True):
                child.content = text


_MARKDOWN.core.ruler.before("text_join", "curled_quotes", _curled_quotes)


#: An image's syntax markdown-it left as text: a reference-style image whose label is defined
#: nowhere (``![x][ref]``), or one whose brackets were escaped (``![x\\](…)``).
_STRAY_IMAGE = re.compile(r"!\[[^\[\]\n]*\](?:\[[^\[\]\n]*\]|\([^()\s]*\))")


def _stray_images(state: StateCore) -> None:
    """Take out the images' syntax markdown-it left as text (raw syntax is never printed),
    noting it for a warning; runs after escaped characters join the text. An image's ``![``
    with no ``]`` after it in its text (``![a [b](x.jpg)``: the rest read as a link) loses its
    ``![``, said too."""
    _take_out(state, _STRAY_IMAGE, "stray_images", lambda stray: stray)
    for token in state.tokens:
        for child in token.children or [] if token.type == "inline" else []:
            if child.type == "text" and "![" in child.content[child.content.rfind("]") + 1:]:
                cut = child.content.rfind("]") + 1
                child.content = child.content[:cut] + child.content[cut:].replace("![", "")
                state.env.setdefault("open_images", []).append(token.map[0] if token.map else 0)


#: An image's syntax as written in a paragraph's source: ``![alt](address`` — one level of
#: brackets in the alt text, of parentheses in the address — to its ``)`` or the line's end,
#: then an attribute list if one follows. Linear: each alternative starts with a character of
#: its own, and a match ends at the first character that can close it.
_IMAGE_SYNTAX = re.compile(r"(?<!\\)!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
                           r"\(((?:[^()\n]|\([^()\n]*\))*)(\)?)(\{[^{}\n]*\})?")


def _is_image(text: str) -> bool:
    """Whether ``text`` (one image's syntax) is read by Markdown as an image."""
    children = _MARKDOWN.parseInline(text, {"probe": True})[0].children or []
    return any(child.type == "image" for child in children)


#: A run of backticks, which opens a code span or closes one of its length.
_BACKTICKS = re.compile(r"`+")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code spans of a paragraph's source are ((start, end), in order): a run of
    backticks to the next run of the same length, as CommonMark reads them (a run escaped by a
    backslash opens none). Each run is looked up once: linear but for the sort."""
    runs = [(found.start(), found.end()) for found in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        if start and text[start - 1] == "\\":
            index += 1
            continue
        same = by_length[end - start]
        after = bisect.bisect_right(same, index)
        if after == len(same):
            index += 1
            continue
        spans.append((start, runs[same[after]][1]))
        index = same[after] + 1
    return spans


def _in_code(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the text from ``start`` to ``end`` overlaps one of the code ``spans``."""
    at = bisect.bisect_right(spans, (end, end)) - 1  # the last span starting before ``end``
    return at >= 0 and spans[at][1] > start


def _broken_images(state: StateCore) -> None:
    """An image's syntax Markdown would print as it is (raw syntax is never printed): one whose
    address holds spaces (``![a](images/my photo.jpg)``) is read as the image, its address as
    if written ``<images/my photo.jpg>``; one never closed (``![a](images/x.jpg`` to the line's
    end), or unreadable so, is left out. Each noted for a warning with its line. Runs before
    the inline rules read the paragraphs' text; the syntax inside a code span is its text, left
    as it is (a paragraph holding one was skipped whole: its broken images printed)."""
    if state.env.get("probe"):  # (_is_image asking: as Markdown reads it)
        return
    for token in state.tokens:
        if token.type != "inline" or "![" not in token.content:
            continue
        pieces, last = [], 0
        code = _code_spans(token.content) if "`" in token.content else []
        for found in _IMAGE_SYNTAX.finditer(token.content):
            if found.group(1).endswith("\\") or _in_code(code, found.start(), found.end()):
                continue  # (escaped brackets: _stray_images says them)
            line = (token.map[0] if token.map else 0) + token.content.count("\n", 0, found.start())
            written, end = _closed_attributes(found, token.content, line, state.env)
            if _is_image(written):
                if end != found.end():
                    pieces += [token.content[last:found.start()], written]
                    last = end
                continue
            pieces += [token.content[last:found.start()], _readable(written, line, state.env)]
            last = end
        if pieces:
            token.content = "".join(pieces) + token.content[last:]


def _closed_attributes(found: re.Match[str], content: str, line: int, env: dict) -> tuple[str, int]:
    """An image's syntax (``found`` in ``content``) and where it ends, its attribute list closed
    when it is never closed ("![a](b.jpg){.wide" to the line's end: read as if closed when it is
    one, else left out), noted for a warning."""
    opened = None if found.group(4) else _OPEN_BRACE.match(content, found.end())
    if opened is None:
        return found.group(), found.end()
    closed = found.group() + opened.group().rstrip() + "}"
    children = _MARKDOWN.parseInline(closed, {"probe": True})[0].children or []
    read = len(children) == 1 and children[0].type == "image"
    env.setdefault("open_attributes", []).append((opened.group().strip(), line, read))
    return closed if read else found.group(), opened.end()


def _readable(written: str, line: int, env: dict) -> str:
    """What stands for an image's syntax Markdown does not read: the image, its address between
    <…>, when that reads (spaces in it), else nothing; noted for a warning."""
    alt, address, closed, attributes = _IMAGE_SYNTAX.match(written).groups()  # type: ignore[union-attr]
    spaced = f"![{alt}](<{address.strip()}>){attributes or ''}"
    readable = closed and address.strip() and not any(c in address for c in "<>\"'")
    if readable and _is_image(spaced):
        env.setdefault("spaced_images", []).append((written, line))
        return spaced
    env.setdefault("broken_images", []).append((written, line))
    return ""


_MARKDOWN.core.ruler.after("text_join", "stray_images", _stray_images)
_MARKDOWN.core.ruler.before("inline", "broken_images", _broken_images)


def parse_body(body: str, path: Path, first_line: int = 1) -> tuple[Block, ...]:
    """Markdown body → blocks; lines in messages count from the top of the file."""
    return parse_article_body(body, path, first_line)[0]


def parse_article_body(body: str, path: Path, first_line: int = 1, quotes: str = ""
                       ) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
    """Markdown body → (blocks, footnotes in the order of their calls); straight double quotes
    set as ``quotes`` (opening and closing marks: QUOTES), when given."""
    with in_line_order():  # (inline formulas are read first, footnotes before the blocks)
        return _Parser(body, path, first_line, quotes).parse()


#: A numbered list's marker written in Arabic-Indic (or Persian) digits, "١. " or "١- " (the dash
#: as Arabic writers number a list), or in Western digits with a dash, "1- ", before a letter:
#: CommonMark reads only "1." and "1)" (the line was set as a paragraph, its number as text). At
#: most three digits: "١٩٩٠- بدأت" opens a paragraph on a year.
_NUMBERED = re.compile(r"^([ \t]*(?:>[ \t]*)*)(?:([\u0660-\u0669]{1,3}|[\u06f0-\u06f9]{1,3})[.)]|"
                       r"([\u0660-\u0669]{1,3}|[\u06f0-\u06f9]{1,3}|[0-9]{1,3})[ \t]?-)"
                       r"(?=[ \t]+[^\W\d_])", re.MULTILINE)


def _numbered_lists(body: str) -> str:
    """The body with each _NUMBERED marker written as CommonMark reads it ("1. "): the list is
    numbered in the article's digits by the layout."""
    return _NUMBERED.sub(lambda found: f"{found[1]}{int(found[2] or found[3])}.", body)


class _Parser:
    """One body's tokens → blocks; every construct the layout does not set is warned about."""

    def __init__(self, body: str, path: Path, first_line: int, quotes: str = "") -> None:
        body = _numbered_lists(body)
        self.path, self.first_line, self.body = path, first_line, body
        self.source_lines = body.split("\n")  # (the body's lines, as written)
        self.env: dict[str, Any] = {"quotes": quotes}
        self.tokens = _MARKDOWN.parse(body, self.env)
        rawhtml.drop_inline(self.tokens, path, first_line)
        _contain(self.tokens, path, first_line)
        _formulas(self.tokens, path, first_line)
        self.notes: dict[int, Footnote] = {}  # by markdown-it's footnote id
        self.called: list[Footnote] = []
        self.in_note = False

    def parse(self) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
        for stray, line in self.env.get("stray_notes", []):
            self.warn(f"footnote {stray} has no text: left out", line + self.first_line)
        for stray, line in self.env.get("stray_images", []):
            self.warn(f"{shown(stray)}: an image's syntax that is no image (a reference whose "
                      "'[label]: address' line is missing, or escaped brackets): left out",
                      line + self.first_line)
        for written, line in self.env.get("spaced_images", []):
            self.warn(f"{shown(written)}: a photo's address holds spaces: read as if written "
                      "between <…> (write it so, or each space as %20)", line + self.first_line)
        for written, line in self.env.get("broken_images", []):
            self.warn(f"{shown(written)}: an image's syntax that is never closed (no ')' after its "
                      "address) or cannot be read: left out", line + self.first_line)
        for written, line, read in self.env.get("open_attributes", []):
            self.warn(f"attributes {shown(written)} are never closed (no '}}' after them): "
                      + ("read as if closed" if read else "left out"), line + self.first_line)
        for line in sorted(set(self.env.get("open_images", []))):
            self.warn("an image's '![' with no ']' after it: left out", line + self.first_line)
        tokens = self.tokens
        end = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
        self._read_notes(end)
        blocks = self._blocks(0, end, "")
        self._unused_definitions()
        return tuple(blocks), tuple(self.called)

    # -- helpers -------------------------------------------------------------------------------
    def line(self, token: Token) -> int | None:
        return token.map[0] + self.first_line if token.map else None

    def warn(self, message: str, line: int | None) -> None:
        warn(message, self.path, line)

    def _close(self, start: int) -> int:
        """The index of the token closing the one at ``start``."""
        depth = 0
        for index in range(start, len(self.tokens)):
            depth += self.tokens[index].nesting
            if depth == 0:
                return index
        return len(self.tokens) - 1

    def _children(self, start: int, end: int) -> list[tuple[int, int]]:
        """(open, close) of each top-level token between ``start`` and ``end`` (exclusive)."""
        spans, index = [], start
        while index < end:
            close = self._close(index) if self.tokens[index].nesting == 1 else index
            spans.append((index, close))
            index = close + 1
        return spans

    # -- footnotes -----------------------------------------------------------------------------
    def _read_notes(self, start: int) -> None:
        """The footnotes' texts, from the block markdown-it gathers at the end."""
        tokens, index = self.tokens, start
        while index < len(tokens):
            token = tokens[index]
            if token.type == "footnote_open":
                close = self._close(index)
                lines = [self.line(t) for t in tokens[index:close] if t.map]
                first = lines[0] if lines else None
                self.in_note = True
                pairs = []  # (text, HTML) of its paragraphs and formulas, in order
                for part in tokens[index:close]:
                    if part.type == "inline":
                        pairs.append(self._inline(part, first))
                    elif part.type.startswith("math_block"):  # $$…$$: set in the note's line
                        formula = _formula(part)
                        for said in _formula_problems(formula, "$$") if formula.text.strip() else ():
                            self.warn(said, self.line(part) or first)
                        if formula.text.strip():
                            pairs.append((formula.text, formula.html))
                texts, htmls = [t for t, _ in pairs], [h for _, h in pairs]
                self.in_note = False
                for other in tokens[index + 1:close]:
                    if other.type.startswith("math_block"):
                        self.warn("a footnote holds a formula on lines of its own ($$…$$): set in "
                                  "the note's text, not apart", self.line(other) or first)
                    elif other.type not in ("paragraph_open", "paragraph_close", "inline",
                                            "footnote_anchor"):
                        kind = other.type.removesuffix("_open")
                        self.warn(f"a footnote holds a {_KIND_NAMES.get(kind, kind.replace('_', ' '))}, "
                                  "set as its text only", first)
                        break
                tables = tuple(_table_size(tokens, at, self._close(at)) for at in range(index, close)
                               if tokens[at].type == "table_open")
                self.notes[token.meta["id"]] = Footnote(" ".join(texts), " ".join(htmls),
                                                        lines[0] if lines else None, tables)
                index = close
            index += 1

    def _unused_definitions(self) -> None:
        refs = self.env.get("footnotes", {}).get("refs", {})
        for label, number in refs.items():
            if number == -1:  # defined, never called
                self.warn(f"footnote [^{label.lstrip(':')}] is never called in the text: left out",
                          self._definition_line(label.lstrip(":")))

    def _definition_line(self, label: str) -> int | None:
        """markdown-it drops an uncalled definition: its line, found in the source."""
        for number, text in enumerate(self.body.split("\n")):
            if text.lstrip().startswith(f"[^{label}]:"):
                return number + self.first_line
        return None

    # -- blocks --------------------------------------------------------------------------------
    def _blocks(self, start: int, end: int, context: str) -> list[Block]:
        """Blocks between two token indexes; ``context``: "quote", "pull" or "sidebar"."""
        blocks: list[Block] = []
        tokens = self.tokens
        for first, last in self._children(start, end):
            token = tokens[first]
            line = self.line(token)
            kind = token.type
            if kind == "heading_open":
                if any(c.type == "footnote_ref" for c in tokens[first + 1].children or []):
                    self.warn("a footnote in a heading is not supported: left out", line)
                _stray_attributes(tokens[first + 1], self.path, line)
                blocks.append(Heading(_plain(tokens[first + 1]), max(2, min(int(token.tag[1]), 3)), line))
            elif (kind == "paragraph_open" and blocks and isinstance(blocks[-1], Table)
                  and _TABLE_MARK.fullmatch(tokens[first + 1].content.strip())):
                blocks[-1] = replace(blocks[-1], wide=True)  # {.wide} on a line after its table
            elif kind == "paragraph_open":
                blocks += self._paragraph(tokens[first + 1], line, context)
            elif kind == "blockquote_open":
                pull = self._pull_mark(first, last)
                blocks += self._blocks(first + 1, last, "pull" if pull or context == "pull" else "quote")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self._list(first, last, 0))
            elif kind == "table_open":
                blocks.append(self._table(first, last))
            elif kind == "dl_open":
                definitions = self._definitions(first, last)
                blocks += [definitions] if definitions.items else []
            elif kind == "math_block":
                blocks += self._formula_block(token, line)
            elif kind == "container_block_open":
                blocks += self._container(first, last, context)
            elif kind == "html_block":
                said = rawhtml.block_warning(token.content, line,
                                             token.map[1] - 1 + self.first_line if token.map else None)
                if said:  # (comments alone, an author's notes, are left out unsaid)
                    self.warn(said, line)
            elif kind in ("fence", "code_block", "hr"):
                self.warn(f"Markdown {kind.replace('_', ' ')} is not supported here: left out", line)
            elif kind not in ("footnote_block_open",):
                self.warn(f"Markdown {kind.removesuffix('_open').replace('_', ' ')} is not supported "
                          "here: left out", line)
        return blocks

    def _paragraph(self, inline: Token, line: int | None, context: str) -> list[Block]:
        figures = _figures(inline, self.path, line)
        if figures:
            if context == "sidebar" or context in ("quote", "pull"):
                self.warn("a figure inside a quote or sidebar is not placed: its caption is set as text",
                          line)
                return [Paragraph(f.caption, str(escape(f.caption)), line) for f in figures if f.caption]
            return figures
        said = _not_a_table(inline.content)
        if said:
            self.warn(said, line)
        text, html = self._inline(inline, line)
        if not text.strip() and not html.strip() and inline.children is not None and not any(
                c.type != "text" for c in inline.children):
            return []  # (only syntax left out: an image's that is no image, said)
        if context in ("quote", "pull"):
            return [Quote(text, html, line, pull=context == "pull")]
        return [Paragraph(text, html, line, lead_in=not context and (
            _wholly_strong(inline) or _named_question(inline, text)))]

    def _pull_mark(self, first: int, last: int) -> bool:
        """Whether a quote's last paragraph ends with ``{.pull}`` (removed from its text)."""
        inlines = [t for t in self.tokens[first:last] if t.type == "inline"]
        if not inlines or not inlines[-1].children:
            return False
        children = inlines[-1].children
        while children and children[-1].type in ("softbreak", "hardbreak"):
            children.pop()
        if not children or children[-1].type != "text":
            return False
        text = children[-1].content.rstrip()
        if not text.endswith(_PULL_MARK):
            return False
        children[-1].content = text.removesuffix(_PULL_MARK).rstrip()
        while children and (children[-1].type in ("softbreak", "hardbreak")
                            or (children[-1].type == "text" and not children[-1].content)):
            children.pop()
        return True

    def _container(self, first: int, last: int, context: str) -> list[Block]:
        token = self.tokens[first]
        line = self.line(token)
        name, _, title = token.info.strip().partition(" ")
        if self.tokens[last].markup == "":  # markdown-it runs a block never closed to the end
            self.warn(f"'::: {name}' is never closed (no ':::' line after it): everything after it "
                      "is set inside it", line)
        if name == "pull":
            return self._blocks(first + 1, last, "pull")
        if name == "sidebar" and context != "sidebar":
            inner = self._blocks(first + 1, last, "sidebar")
            return [Sidebar(_plain(self._title(title, line)), tuple(inner), line)]
        if name == "sidebar":
            self.warn("a sidebar inside a sidebar is set as part of it", line)
        else:
            self.warn(f"unknown block '::: {name}' (known: {', '.join(CONTAINERS)}): its text is set "
                      "as plain paragraphs" + (", its title first" if title.strip() else ""), line)
            if title.strip():
                text, html = self._inline(self._title(title, line), line)
                return [Paragraph(text, html, line), *self._blocks(first + 1, last, context)]
        return self._blocks(first + 1, last, context)

    def _title(self, title: str, line: int | None) -> Token:
        """A ``::: name title``'s title, one line of text: Markdown and HTML in it read, never
        printed; a footnote's call in it is left out, said (its note then said never called)."""
        if _NOTE_IN_TITLE.search(title):
            self.warn("a footnote in a block's title is not supported: left out", line)
        inline = Token("inline", "", 0, map=[0, 1] if line else None, content=title.strip(),
                       children=_MARKDOWN.parseInline(title.strip())[0].children)
        rawhtml.drop_inline([inline], self.path, line or 0)
        _formulas([inline], self.path, line or 0)
        return inline

    def _list(self, first: int, last: int, depth: int) -> List:
        token = self.tokens[first]
        line = self.line(token)
        items: list[ListItem] = []
        for item_open, item_close in self._children(first + 1, last):
            texts, htmls, nested = [], [], []
            said = False  # (something it held left out, with a warning)
            for child, child_close in self._children(item_open + 1, item_close):
                kind = self.tokens[child].type
                child_line = self.line(self.tokens[child])
                if kind == "paragraph_open":
                    inline = self.tokens[child + 1]
                    if _figures(inline, self.path, child_line):
                        self.warn("a figure inside a list is not placed: left out", child_line)
                        said = True
                        continue
                    box = _take_task_box(inline) if not texts else None
                    if box is not None:
                        self.warn(f"a task list's check box '{box}' is not supported: left out",
                                  child_line)
                    text, html = self._inline(inline, child_line)
                    texts.append(text)
                    htmls.append(html)
                elif kind in ("bullet_list_open", "ordered_list_open"):
                    nested.append(self._list(child, child_close, depth + 1))
                else:
                    self.warn(f"a list item holds a {kind.removesuffix('_open').replace('_', ' ')}, "
                              "which is not supported there: left out", child_line)
                    said = True
            if not any(text.strip() for text in texts) and not nested:
                if not said:  # (an empty bullet or number was printed)
                    self.warn("an empty list item is left out", self.line(self.tokens[item_open]))
                continue
            if depth and nested:
                self.warn("lists are nested one level deep only: deeper items are set at the level "
                          "above", nested[0].line)
                items.append(ListItem(" ".join(texts), "<br>".join(htmls)))
                items += [i for sub in nested for i in sub.items]
                continue
            sublist = nested[0] if nested else None
            if len(nested) > 1:
                sublist = List(tuple(i for sub in nested for i in sub.items), nested[0].ordered,
                               nested[0].start, nested[0].line)
            items.append(ListItem(" ".join(texts), "<br>".join(htmls), sublist))
        start = int(token.attrs.get("start", 1)) if token.type == "ordered_list_open" else 1
        return List(tuple(items), token.type == "ordered_list_open", start, line)

    def _definitions(self, first: int, last: int) -> Definitions:
        """A definition list: each term (``dt``) with the paragraphs of its definitions (``dd``)."""
        items: list[Definition] = []
        term: tuple[str, str] | None = None
        texts: list[str] = []
        htmls: list[str] = []

        def close() -> None:
            if term is not None and (term[0].strip() or any(t.strip() for t in texts)):
                items.append(Definition(term[0], term[1], tuple(texts), tuple(htmls)))

        for child, child_close in self._children(first + 1, last):
            token = self.tokens[child]
            if token.type == "dt_open":
                close()
                inline = self.tokens[child + 1]
                term, texts, htmls = self._inline(inline, self.line(token)), [], []
                continue
            for inner, _ in self._children(child + 1, child_close):  # a dd's blocks
                kind = self.tokens[inner].type
                inner_line = self.line(self.tokens[inner])
                if kind == "paragraph_open":
                    said = _not_a_table(self.tokens[inner + 1].content)
                    if said:
                        self.warn(said, inner_line)
                    text, html = self._inline(self.tokens[inner + 1], inner_line)
                    if text.strip():
                        texts.append(text)
                        htmls.append(html)
                else:
                    self.warn(f"a definition holds a {kind.removesuffix('_open').replace('_', ' ')}, "
                              "which is not supported there: left out", inner_line)
        close()
        return Definitions(tuple(items), self.line(self.tokens[first]))

    def _formula_block(self, token: Token, line: int | None) -> list[Block]:
        """``$$…$$`` on lines of their own: a formula set apart, centred (or its source, with a
        warning, when the layout cannot set it)."""
        formula = _formula(token)
        if not formula.text.strip() and not formula.unknown:
            self.warn("an empty formula ($$ $$) is left out", line)
            return []
        for said in _formula_problems(formula, "$$"):
            self.warn(said, line)
        if not formula.text.strip():
            return []
        return [Paragraph(formula.text, formula.html, line, formula=True)]

    def _table(self, first: int, last: int) -> Table:
        line = self.line(self.tokens[first])
        rows: list[tuple[Cell, ...]] = []
        header: tuple[Cell, ...] = ()
        row: list[Cell] = []
        wide = mark = False
        for index in range(first, last):
            token = self.tokens[index]
            if mark and token.type != "tr_open":
                continue  # (the {.wide} line after the last row, read as a row of its own)
            if token.type == "tr_open":
                row = []
                mark = bool(header and token.map and _TABLE_MARK.fullmatch(
                    self.source_lines[token.map[0]].strip()))
                wide = wide or mark
                if header and token.map and not mark:  # (a body row's cells past the header's are dropped)
                    written = _cells(self.source_lines[token.map[0]])
                    if written > len(header):
                        self.warn(f"a table row has {written} cells, its header {len(header)}: "
                                  f"the last {written - len(header)} left out", self.line(token))
                    elif written < len(header):
                        self.warn(f"a table row has {written} cells, its header {len(header)}: "
                                  f"the last {len(header) - written} left empty", self.line(token))
            elif token.type in ("th_open", "td_open"):
                inline = self.tokens[index + 1]
                text, html = self._inline(inline, self.line(inline) or line)
                style = str(token.attrs.get("style", ""))
                align = style.removeprefix("text-align:") if style.startswith("text-align:") else ""
                row.append(Cell(text, html, align, is_number(text)))
            elif token.type == "tr_close":
                if header:
                    rows.append(tuple(row))
                else:
                    header = tuple(row)
        # a column of numbers has its heading aligned with them
        numeric = [any(r[i].text for r in rows) and all(r[i].numeric for r in rows if r[i].text)
                   for i in range(len(header))]
        header = tuple(replace(c, numeric=n) for c, n in zip(header, numeric, strict=True))
        return Table(header, tuple(rows), line, wide=wide)

    # -- inline --------------------------------------------------------------------------------
    def _inline(self, inline: Token, line: int | None) -> tuple[str, str]:
        """(plain text, inline HTML): footnote calls become the notes themselves in the HTML (the
        layout floats them to the foot of the page); calls of missing notes are warned about and
        left out of both."""
        _stray_attributes(inline, self.path, line)
        return _plain(inline), self._html(inline, line)

    def _html(self, inline: Token, line: int | None) -> str:
        children = []
        for child in inline.children or []:
            if child.type == "footnote_ref":
                note = self.notes.get(child.meta["id"])
                label = child.meta.get("label") or "^[…]"
                if self.in_note:
                    self.warn("a footnote inside a footnote is not supported: left out", line)
                elif note is None:
                    self.warn(f"footnote [^{label}] has no text: left out", line)
                elif child.meta.get("subId", 0) or note in self.called:
                    self.warn(f"footnote [^{label}] is called more than once: only its first call is "
                              "set", line)
                else:
                    self.called.append(note)
                    marker = Token("html_inline", "", 0)
                    marker.content = f'<span class="footnote">{note.html}</span>'
                    children.append(marker)
                continue
            children.append(child)
        inline.children = children
        return _inline_html(inline, self.path, line)


#: Readable names of markdown-it's block tokens, for warnings.
_KIND_NAMES = {"math_block": "formula", "bullet_list": "bulleted list", "ordered_list": "numbered list",
               "blockquote": "quote", "fence": "code block", "code_block": "code block",
               "hr": "rule (---)", "heading": "heading", "table": "table"}


#: A task list item's check box (GitHub's "- [ ] to do", "- [x] done") at the start of its text.
_TASK_BOX = re.compile(r"\[[ xX]\](?=[ \t]|$)[ \t]*")


def _one_lead_in_kept(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Of lead-ins in a row (questions asked one after another), only the last is kept with the
    text after it: kept each with the next, forty questions in a row were one chain taller than a
    column, and the column before it was left with a line."""
    return tuple(replace(block, lead_in=False)
                 if isinstance(block, Paragraph) and block.lead_in and isinstance(after, Paragraph)
                 and after.lead_in else block
                 for block, after in zip(blocks, [*blocks[1:], None], strict=False))


#: A line written as a table's row: between pipes ("| أ | ب |").
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
#: The row of dashes under a table's header ("|---|:--:|"), its pipes at the ends optional.
_DASH_ROW = re.compile(r"^\s*(?:\|\s*)?:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
#: What a line of a table in a quote or a list begins with before its first cell: its
#: indentation and quote markers ("> > | أ |").
_ROW_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*")


def _table_size(tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """(body rows, columns) of the table between ``first`` and ``last``."""
    rows = [sum(t.type in ("th_open", "td_open") for t in tokens[start:end])
            for start, end in _rows(tokens, first, last)]
    return max(len(rows) - 1, 0), max(rows, default=0)


def _rows(tokens: list[Token], first: int, last: int) -> list[tuple[int, int]]:
    """(tr_open, tr_close) of each row between ``first`` and ``last``."""
    opens = [i for i in range(first, last) if tokens[i].type == "tr_open"]
    closes = [i for i in range(first, last) if tokens[i].type == "tr_close"]
    return list(zip(opens, closes, strict=False))


def _cells(row: str) -> int:
    """How many cells a table's row (a line of the source, as written) has."""
    row = _ROW_PREFIX.sub("", row)
    return len(re.split(r"(?<!\\)\|", row.strip().strip("|")))


def _not_a_table(content: str) -> str:
    """What is wrong with a paragraph written as a table that Markdown did not read as one (its
    pipes were printed, unsaid), or ''."""
    rows = content.split("\n")
    if len(rows) < 2 or not all(_TABLE_ROW.match(row) or _DASH_ROW.match(row) for row in rows):
        return ""
    if not _DASH_ROW.match(rows[1]):
        return "a table needs a row of dashes under its header (| --- | --- |): set as text"
    return (f"a table's header has {_cells(rows[0])} cells and the row of dashes under it "
            f"{_cells(rows[1])}: not read as a table, set as text")


#: The longest an interview's question after its asker's name may be (characters) to be kept
#: with its answer: a longer one is a paragraph of its own, which may end a column.
QUESTION_MOST = 300
_QUESTION_END = re.compile(r"[؟?][»”\")\]]*$")


def _named_question(inline: Token, text: str) -> bool:
    """Whether a paragraph is an interview's question after its asker's name in bold
    ("**مروان الحسيني:** كيف بدأت؟"): it starts with a bold span ending with a colon and ends
    with a question mark, short (QUESTION_MOST). Like one wholly in bold, it heads its answer."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if not children or children[0].type != "strong_open" or len(text) > QUESTION_MOST:
        return False
    close = next((n for n, c in enumerate(children) if c.type == "strong_close"), len(children))
    named = [c.content for c in children[1:close] if c.type == "text"]  # the name, ending with ":"
    asked = [c for c in children[close + 1:] if c.type == "text"]  # the question, after the name
    return bool(named) and named[-1].rstrip().endswith((":", "：")) and bool(asked) \
        and bool(_QUESTION_END.search(text.strip()))


def _wholly_strong(inline: Token) -> bool:
    """Whether a paragraph's only content is one bold span (``**…**``, spaces around it aside):
    an interview's question, a lead-in, which heads the text after it as a sub-heading does. A
    paragraph with anything else beside it (a word, a footnote call, a second bold span) is not."""
    children = [c for c in inline.children or []
                if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
    if len(children) < 3 or children[0].type != "strong_open" or children[-1].type != "strong_close":
        return False
    depth = 0
    for child in children[:-1]:
        depth += child.nesting if child.type in ("strong_open", "strong_close") else 0
        if depth == 0:
            return False  # the first span closes before the end: another follows
    return _plain(inline).strip() != ""


def _take_task_box(inline: Token) -> str | None:
    """The check box that starts a list item's first paragraph, taken out of it (no layout draws
    one: printed, it was raw syntax, "[x]" beside the bullet), or None."""
    first = (inline.children or [None])[0]
    if first is None or first.type != "text":
        return None
    box = _TASK_BOX.match(first.content)
    if box is None or not inline.content.startswith(box.group().strip()):
        return None  # (none, or escaped: "\\[ ]" is the author's text)
    first.content = first.content[box.end():]
    inline.content = inline.content[box.end():] if inline.content.startswith(box.group()) else inline.content
    return box.group().strip()


def _figure_images(inline: Token) -> list[Token]:
    """The images of a paragraph that holds only images (one figure each: "![](a)![](b)" on one
    line, or on lines of their own), else []."""
    children = [c for c in inline.children or [] if not (
        (c.type == "text" and not c.content.strip()) or c.type == "softbreak")]
    return children if children and all(c.type == "image" for c in children) else []


#: The most photos one row sets side by side; more start another row (35 in one were drawn
#: with negative widths: none was printed).
ROW_MOST = 4


def _figures(inline: Token, path: Path, line: int | None) -> list[Figure]:
    """A paragraph holding only images is that many figures (see _figure), each on its line;
    photos on one line, and a photo marked ``{.row}`` with the photo before it, are one figure,
    a row (_row), of ROW_MOST photos at most."""
    images = _figure_images(inline)
    rows: list[list[Figure]] = []
    breaks, last = 0, -1  # (the line of the last image)
    for child in inline.children or [] if images else []:
        breaks += child.type == "softbreak"
        if child.type != "image":
            continue
        figure = _figure(child, path, None if line is None else line + breaks)
        marked = "row" in str(child.attrs.get("class", "")).split()
        if rows and (breaks == last or marked) and len(rows[-1]) < ROW_MOST:
            rows[-1].append(figure)
        else:
            if marked and rows and len(rows[-1]) == ROW_MOST:
                warn(f"a photo marked {{.row}} after a row of {ROW_MOST}: it starts another row (a row "
                     f"holds {ROW_MOST} photos at most)", path, figure.line)
            elif marked:
                warn("a photo marked {.row} with no photo before it in its paragraph: set alone (put "
                     "it on the line after the photo it goes beside)", path, figure.line)
            rows.append([figure])
        last = breaks
    return [photos[0] if len(photos) == 1 else _row(photos, path) for photos in rows]


def row_caption(alts: list[str]) -> str:
    """The one caption of a row of photos from their alt texts, those given, in order: each after
    the one before, with a semicolon (Arabic "؛" in Arabic text) where that one does not end like
    a sentence ("السوق قبل الافتتاح؛ الواجهات بعد الترميم")."""
    caption = ""
    for alt in (" ".join(alt.split()) for alt in alts):
        if alt and caption:
            stop = caption.rstrip("\"'”»)").endswith((".", "!", "?", "؟", "…"))
            arabic = re.search(r"[\u0600-\u06ff]", caption[-1:] + alt[:1])
            caption += " " if stop else ("؛ " if arabic else "; ")
        caption += alt
    return caption


def _row(photos: list[Figure], path: Path) -> Figure:
    """Photos side by side, one figure: the first one's, the others in its row, each with its
    own credit; its caption the photos' alt texts (those given, in order); set across the
    columns when one of them is marked {.wide} (or {.bleed}: a row does not run into the bleed,
    said); never cropped (nocrop: the placement crops a figure's first photo only)."""
    first = photos[0]
    if any(photo.bleed for photo in photos):
        warn("a row of photos does not run into the bleed: set across the columns (.wide)", path,
             first.line)
    return replace(first, caption=row_caption([photo.caption for photo in photos]),
                   bleed=False, wide=any(photo.wide or photo.bleed for photo in photos), nocrop=True,
                   anchor=next((photo.anchor for photo in photos if photo.anchor), ""),
                   row=tuple(replace(photo, bleed=False, wide=False, anchor="") for photo in photos[1:]))


def _figure(image: Token, path: Path, line: int | None) -> Figure:
    """An image alone in its paragraph (or with other images only) is a figure: alt → caption,
    {credit="…"} → credit."""
    classes = str(image.attrs.get("class", "")).split()
    caption = _shown_text(image.children or [])
    src = str(image.attrs.get("src", ""))
    return Figure(
        src=src if "://" in src else unquote(src),
        caption=caption.strip() or str(image.attrs.get("alt", "")).strip(),
        credit=_credit(str(image.attrs.get("credit", "")), path, line),
        line=line,
        bleed="bleed" in classes,
        wide="wide" in classes,
        nocrop="nocrop" in classes,
        crop="crop" in classes,
        anchor=str(image.attrs.get("id", "")),
        focus=_focus(str(image.attrs.get("focus", "")), path, line),
        portrait="portrait" in classes,
    )


def _focus(written: str, path: Path, line: int | None) -> str:
    """{focus=…}: top, center (centre, middle), bottom or a percentage of the photo's height from
    its top (0%–100%), as an object-position's vertical part; anything else dropped, said."""
    value = written.strip().lower()
    if not value or _FOCUS_PERCENT.fullmatch(value):
        return value
    if value in FOCUS_WORDS:
        return FOCUS_WORDS[value]
    warn(f"focus={shown(written)!r} dropped (known: top, center, bottom or a percentage of the "
         "photo's height from its top, 0%–100%)", path, line)
    return ""


#: An HTML tag in a photo's credit (an element's name: "<editor>" is prose, kept), a comment
#: (one never closed: to the credit's end).
_CREDIT_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
_CREDIT_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def _credit(written: str, path: Path, line: int | None) -> str:
    """A photo's credit: text, not Markdown (printed, "تصوير: **أحمد**" showed its asterisks)
    nor HTML ("AP <b>x</b>" showed its tags, an entity "&lt;b&gt;" too): its syntax left out,
    its text kept, with a warning; ``\\"`` and other escapes as the characters they escape."""
    credit = plain = re.sub(r"\\(.)", r"\1", written).strip()
    if any(c in written for c in "*_`[~"):
        plain = html_text.unescape(_TAGS.sub("", _INLINE.renderInline(written))).strip()
        if plain != credit:
            warn(f"a photo's credit is text, not Markdown: its syntax is left out ({shown(credit)!r} is "
                 f"set as {shown(plain)!r}; write \\* for an asterisk)", path, line)
    text = re.sub(r"\s+", " ", _CREDIT_TAG.sub(lambda m: "" if m[1].lower() in rawhtml.ELEMENTS else m[0],
                                              _CREDIT_COMMENT.sub("", plain))).strip()
    if text != plain:
        warn(f"a photo's credit is text, not HTML: its tags are left out ({shown(plain)!r} is "
             f"set as {shown(text)!r})", path, line)
    return _without_embeddings(text, path, line)


#: The bidi embeddings and isolates (LRE, RLE, PDF; LRI, RLI, FSI, PDI), which the body may hold
#: (bidi.py reads them) but which reorder a credit's few words silently: a credit is one line of
#: names, set in the article's direction, each Latin name a run of its own.
_EMBEDDINGS = re.compile("[\u202a-\u202c\u2066-\u2069]")


def _without_embeddings(credit: str, path: Path, line: int | None) -> str:
    """A photo's credit without _EMBEDDINGS, said with a warning."""
    found = _EMBEDDINGS.findall(credit)
    if not found:
        return credit
    names = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    warn(f"a photo's credit holds {len(found)} bidi embedding or isolate character"
         f"{'s' if len(found) > 1 else ''} ({names}), which reorder its words: left out", path, line)
    return " ".join(_EMBEDDINGS.sub("", credit).split())


def _contain(tokens: list[Token], path: Path, first_line: int) -> None:
    """Keep only allowed attributes, and only links that are http(s), mailto or an #anchor
    declared in the article; the rest becomes text, each with a warning naming file:line."""
    ids: set[str] = set()
    for token in tokens:
        if token.type != "inline":
            continue
        line = token.map[0] + first_line if token.map else None
        figures = [id(image) for image in _figure_images(token)]
        for child in token.children or []:
            if id(child) in figures:
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


def _stray_attributes(inline: Token, path: Path, line: int | None) -> None:
    """Leave out, with a warning, an attribute list the attrs plugin did not read ("## عنوان
    {#sec}", "فقرة {.wide}", "- بند {.pull}"), or one never closed ("## عنوان {#sec"): raw
    syntax is never printed."""
    # at the end of the text, where an attribute list is written, and as such in the source (an
    # escaped "\\{…\\}" is text, as import writes braces; "{x=1}" inside a sentence is prose)
    source = inline.content.rstrip()
    last = (inline.children or [None])[-1]
    for pattern, said in ((_ATTRIBUTES_AT_END, "are not read here (only after a figure's image, a "
                                               "link or a code span)"),
                          (_OPEN_ATTRIBUTES_AT_END, "are never closed (no '}' after them)")):
        at_end = pattern.search(source)
        if at_end is None or source[:at_end.start()].endswith("\\") or last is None \
                or last.type != "text":
            continue
        found = pattern.search(last.content.rstrip())
        if found is None:
            continue
        last.content = last.content[:found.start()].rstrip()
        warn(f"attributes {found.group().strip()} {said}: left out (write \\{{ to keep the "
             "braces)", path, line)
        return


def _plain(inline: Token) -> str:
    return _shown_text(inline.children or []).strip()


def _shown_text(children: list[Token]) -> str:
    """Inline tokens as the text they show: markdown-it's, with each formula's text (which it
    leaves out)."""
    children = [Token("text", "", 0, content=_formula(c).text) if c.type.startswith("math_inline")
                else c for c in children]
    return _MARKDOWN.renderer.renderInlineAsText(children, _MARKDOWN.options, {})


def _formula_problems(formula: tex.Formula, dollars: str) -> list[str]:
    """What a warning says of a formula: the TeX commands left out of it, or why the layout cannot
    set it."""
    written = f"the formula {dollars}{shown(formula.source)}{dollars}"
    if formula.problem == tex.EMPTY:
        return [f"{written} draws nothing: left out"]
    if formula.problem:
        return [f"{written} holds {formula.problem}, which the layout cannot set: printed as written "
                "(TeX commands as their signs), without its dollars (write \\$ for a dollar sign)"]
    undrawn = [command for command in formula.unknown if tex.undrawn(command)]
    unknown = [command for command in formula.unknown if command not in undrawn]
    said = [f"{written} holds a TeX command the layout does not know ({', '.join(unknown)}): "
            "left out"] if unknown else []
    return said + ([f"{written} holds a sign no font of the layouts draws ({', '.join(undrawn)}): "
                    "left out"] if undrawn else [])


def _formulas(tokens: list[Token], path: Path, first_line: int) -> None:
    """Read every ``$…$`` markdown-it found: prices it took for a formula ("US$5 and US$ 10")
    and Arabic text ("كلف $5 و$ 10") back to text; a formula the layout cannot set ("&", a brace
    never closed) said with a warning naming its line (its source is printed, left to right, never
    its dollars), and so is a TeX command it does not know (left out: never printed raw)."""
    for token in tokens:
        if token.type != "inline":
            continue
        line = token.map[0] + first_line if token.map else None
        children = [c for child in token.children or [] for c in (child, *(child.children or []))]
        for child in children:  # (an image's alt text, a caption, holds its own)
            if not child.type.startswith("math_inline"):
                continue
            if tex.is_text(child.content):
                child.type, child.content = "text", child.markup + child.content + child.markup
                continue
            for said in _formula_problems(_formula(child), child.markup):
                warn(said, path, line)


def _inline_html(inline: Token, path: Path, line: int | None) -> str:
    for child in inline.children or []:
        if child.type == "image":
            warn("an image inside a paragraph is not placed; put it on a line of its own",
                 path, line)
            child.type = "text"
            child.content = _shown_text(child.children or [])
            child.children = None
    return _MARKDOWN.renderer.render(inline.children or [], _MARKDOWN.options, {}).strip()
