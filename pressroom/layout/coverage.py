"""An article's text and the font files of fonts/ → a warning for each character none of them draws.

The build's fontconfig knows only fonts/ (and its subfolders), so a character that no font there
has (a subscript "₂" in "CO₂", an emoji, a Chinese name) is drawn as the font's empty box.
WeasyPrint says so as it draws, without the article's line; this says it first, once per
character, with the line of the source that holds it, and WeasyPrint's own warning about the
same characters of an article is then said only with -v (``said_already``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from pressroom.layout.cssdiag import font_files, font_programs
from pressroom.model import Article
from pressroom.report import warn

#: Characters drawn as no glyph (spaces, line breaks, bidi and joining controls, the zero-width
#: space the layout puts after "/" in addresses): no font needs them.
_NOT_DRAWN = ("Zs", "Zl", "Zp", "Cc", "Cf")
#: Default-ignorable characters that are not format characters (variation selectors, the
#: combining grapheme joiner, Hangul fillers…): shaped away, never drawn as a box.
_IGNORABLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
                        "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
_NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)"', re.S)
#: The front-matter keys whose values the layouts draw (the rest — keywords, source… — only
#: go to the PDF's metadata).
_DRAWN_KEYS = ("title", "deck", "byline", "section", "publication")


def _drawn(char: str) -> bool:
    return unicodedata.category(char) not in _NOT_DRAWN and not _IGNORABLE.match(char)


@cache
def _file_characters(path: Path, stamp: tuple[int, int]) -> frozenset[int]:
    """The code points one font file's cmaps map (every font of a collection)."""
    found: set[int] = set()
    for font in font_programs(path):
        try:
            found |= set(font.getBestCmap() or {})
        except Exception:  # fontTools' many errors: an unreadable font draws nothing
            pass
        finally:
            font.close()
    return frozenset(found)


def characters_in(fonts: Path) -> frozenset[int]:
    """Every code point some font file of ``fonts`` draws."""
    return frozenset().union(*(_file_characters(path, stamp) for path, stamp in font_files(fonts)))


def missing_characters(article: Article, fonts: Path) -> list[str]:
    """The characters of the article's text that no font of ``fonts`` draws, in text order."""
    drawn = characters_in(fonts)
    missing: dict[str, None] = {}
    for text in article.text_blocks():
        for char in text:
            if ord(char) not in drawn and _drawn(char):
                missing.setdefault(char)
    return list(missing)


def _line_of(source: str, char: str) -> int | None:
    """The first line of ``source`` that draws ``char`` (written, or as an HTML entity): in the
    front matter, only the values the layouts draw."""
    forms = re.compile(re.escape(char) + rf"|&#x0*{ord(char):x};|&#0*{ord(char)};", re.I)
    lines = source.splitlines()
    front = len(lines) > 1 and lines[0].strip() == "---"
    for number, line in enumerate(lines, 1):
        if front and number > 1 and line.strip() == "---":
            front = False
            continue
        if front and not line.lstrip().startswith(tuple(f"{key}:" for key in _DRAWN_KEYS)):
            continue
        if forms.search(line):
            return number
    return None


def check_coverage(article: Article, fonts: Path) -> None:
    """Warn, naming the article's file and line, about each character no font of fonts/ draws."""
    missing = missing_characters(article, fonts)
    if not missing:
        return
    try:
        source = article.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = ""
    for char in missing:
        name = unicodedata.name(char, "")
        warn(f"U+{ord(char):04X} {char!r}{f' ({name})' if name else ''} is in no font of "
             f"{fonts.name}/: drawn as an empty box; add a font that has it or write it otherwise",
             article.path, _line_of(source, char))


def said_already(message: str, source: Path | None) -> bool:
    """True for WeasyPrint's warning about characters no font draws, heard while ``source`` is
    built, when ``source`` is an article (``.md`` or ``.txt``) that writes each of them: the
    article's build named them already (check_coverage runs on every article it lays out). Not
    for an issue's manifest or cover, which check_coverage does not read."""
    found = _NOTDEF.search(message)
    source = Path(source) if source is not None else None
    if not found or source is None or source.suffix.lower() not in (".md", ".txt"):
        return False
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return all(char in text for char in found[1] if _drawn(char))
