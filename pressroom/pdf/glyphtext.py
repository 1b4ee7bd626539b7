"""A font's own tables (cmap + GSUB) → the text each glyph stands for, for the PDF's ToUnicode maps.

WeasyPrint maps each glyph to the text of the first cluster it was seen in, so a kashida glyph that
Amiri inserts inside a word picks up a neighbouring letter (الخبرة → الخخبرة), and a lam-alef
ligature maps to the two letters "لا", which right-to-left readers then reverse. Here the text of
every glyph is derived from the font instead:

* a glyph the cmap reaches stands for its code point (base letters preferred to presentation forms);
* a glyph a single or alternate substitution reaches stands for what its source glyph stands for
  (contextual forms: init, medi, fina, swashes…);
* a ligature stands for its components; an Arabic ligature that has a Unicode presentation form is
  mapped to it (لا → U+FEFB), one character that no reader reorders and NFKC turns back into letters;
* a multiple substitution's first glyph carries the text; the glyphs it adds (kashida, dots) and
  glyphs that only draw tatweel stand for one tatweel (U+0640): elongation, not letters. Mapping
  them to nothing would be truer, but pdfium then reads garbage or breaks the word (measured).
  Inside a word glyphfold.py draws such a kashida together with its letter, as one glyph that
  reads as the letter, so no reader finds a tatweel there ("لـكن" could not be searched for).
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

from fontTools.ttLib import TTFont

TATWEEL = "\u0640"


def _presentation_forms() -> dict[str, str]:
    """Multi-letter Arabic text → its presentation-form ligature (the isolated form preferred)."""
    forms: dict[str, str] = {}
    for start, end in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF)):
        for point in range(start, end + 1):
            char = chr(point)
            name = unicodedata.name(char, "")
            decomposed = unicodedata.normalize("NFKC", char)
            ligature = len(decomposed) > 1 and "LIGATURE" in name and " " not in decomposed
            if ligature and (decomposed not in forms or "ISOLATED" in name):
                forms[decomposed] = char
    return forms


PRESENTATION_FORMS = _presentation_forms()


def _substitutions(font: TTFont):
    """(single, multiple, ligature) substitutions of every GSUB lookup, extensions unwrapped."""
    single: list[tuple[str, str]] = []
    multiple: list[tuple[str, list[str]]] = []
    ligature: list[tuple[list[str], str]] = []
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return single, multiple, ligature
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, subtable = subtable.ExtSubTable.LookupType, subtable.ExtSubTable
            if kind == 1:
                single += subtable.mapping.items()
            elif kind == 3:
                single += [(k, v) for k, values in subtable.alternates.items() for v in values]
            elif kind == 2:
                multiple += subtable.mapping.items()
            elif kind == 4:
                for first, ligatures in subtable.ligatures.items():
                    ligature += [([first, *lig.Component], lig.LigGlyph) for lig in ligatures]
    return single, multiple, ligature


def _closure(font: TTFont) -> dict[str, str]:
    cmap = font.getBestCmap() or {}
    text: dict[str, str] = {}
    # Base code points before presentation forms, so that a shared glyph reads as the base letter.
    for point, name in sorted(cmap.items(), key=lambda kv: (0xFB50 <= kv[0] <= 0xFEFF, kv[0])):
        text.setdefault(name, chr(point))
    single, multiple, ligature = _substitutions(font)
    for _ in range(8):  # substitutions chain (isol → fina → swash…): repeat until nothing changes
        before = len(text)
        for source, target in single:
            if source in text and target not in text:
                text[target] = text[source]
        for source, targets in multiple:
            if source in text:
                for index, target in enumerate(targets):
                    text.setdefault(target, text[source] if index == 0 else TATWEEL)
        for components, target in ligature:
            if target not in text and all(c in text for c in components):
                text[target] = "".join(text[c] for c in components)
        if len(text) == before:
            break
    return text


def _reader_safe(text: str) -> str:
    if text and not text.strip(TATWEEL):
        return TATWEEL
    return PRESENTATION_FORMS.get(text, text)


def glyph_texts(data: bytes, index: int = 0) -> dict[int, str]:
    """Glyph id → the text it stands for, from the font file's bytes."""
    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    ids = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    return {ids[name]: _reader_safe(value) for name, value in _closure(font).items() if name in ids}


class GlyphTexts:
    """glyph_texts, read once per font file for whoever holds this object (a build's context,
    or a process that builds many articles and keeps one): never process-wide. Safe to share
    between threads; the maps it returns are not to be changed."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, int], dict[int, str]] = {}
        self._lock = threading.Lock()
        self._held: dict[tuple[str, str, int, int], Any] = {}

    def held(self, kind: str, data: bytes, index: int, make: Callable[[], Any]) -> Any:
        """What ``make`` reads from the font (``kind``: kashida.py's outlines…), made once per
        font file and thread for whoever holds this object, like the maps (``make``'s object
        is this thread's alone: fontTools' lazy tables are not for two threads)."""
        key = (kind, hashlib.sha256(data).hexdigest(), index, threading.get_ident())
        with self._lock:
            found = self._held.get(key)
        if found is None:
            found = make()
            with self._lock:
                found = self._held.setdefault(key, found)
        return found

    def __call__(self, data: bytes, index: int = 0) -> dict[int, str]:
        key = (hashlib.sha256(data).hexdigest(), index)
        with self._lock:
            found = self._read.get(key)
        if found is None:
            found = glyph_texts(data, index)  # outside the lock: two threads may both read it
            with self._lock:
                found = self._read.setdefault(key, found)
        return found
