"""An article's text and the font files of fonts/ → a warning for each character none of them draws.

The build's fontconfig knows only fonts/, so a character that no file there has (a subscript
"₂" in "CO₂", an emoji, a CJK name) is drawn as the font's empty box and read back as nothing
useful; nothing else would say so. Each such character is named once, with the first line of the
source that holds it.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from pressroom.layout.cssdiag import font_files
from pressroom.model import Article
from pressroom.report import warn

#: The characters this build (this thread's context) has warned about: WeasyPrint's own warning
#: about them (".notdef glyph rendered…", without a line) is then said only with -v.
_WARNED: ContextVar[frozenset[str]] = ContextVar("pressroom_coverage_warned", default=frozenset())
_NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)"', re.S)

#: Characters drawn as no glyph (spaces, line breaks, bidi and joining controls, the zero-width
#: space the layout puts after "/" in addresses): no font needs them.
_NOT_DRAWN = ("Zs", "Zl", "Zp", "Cc", "Cf")


@cache
def _file_characters(path: Path, stamp: tuple[int, int]) -> frozenset[int]:
    """The code points one font file's cmap maps (none when fontTools cannot read it)."""
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # fontTools' many errors: an unreadable font draws nothing (it fails later)
        return frozenset()


def characters_in(fonts: Path) -> frozenset[int]:
    """Every code point some font file of ``fonts`` draws."""
    return frozenset().union(*(_file_characters(path, stamp) for path, stamp in font_files(fonts)))


def missing_characters(article: Article, fonts: Path) -> list[str]:
    """The characters of the article's text that no font of ``fonts`` draws, in text order."""
    drawn = characters_in(fonts)
    missing: dict[str, None] = {}
    for text in article.text_blocks():
        for char in text:
            if ord(char) not in drawn and unicodedata.category(char) not in _NOT_DRAWN:
                missing.setdefault(char)
    return list(missing)


def _line_of(source: str, char: str) -> int | None:
    at = source.find(char)
    return source.count("\n", 0, at) + 1 if at >= 0 else None


def check_coverage(article: Article, fonts: Path) -> None:
    """Warn, naming the article's file and line, about each character no font of fonts/ draws."""
    missing = missing_characters(article, fonts)
    _WARNED.set(frozenset(missing))
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


def said_already(message: str) -> bool:
    """True for WeasyPrint's warning about characters no font draws when this build has named
    each of them already (with its line)."""
    found = _NOTDEF.search(message)
    warned = _WARNED.get()
    return bool(found and warned) and all(
        char in warned for char in found[1] if unicodedata.category(char) not in _NOT_DRAWN)
