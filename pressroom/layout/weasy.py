"""WeasyPrint 70 and pydyf internals → the questions pressroom asks of them, each shape checked.

This is the one module that touches what WeasyPrint does not document: its box tree, its fonts
and their tables, the content streams and resource names it writes, pydyf's object references,
its sRGB profile, the text of its log messages, and the fontconfig behind its font
configuration. Every accessor checks the shape it expects and raises
``WeasyPrintContractError`` naming the broken assumption instead of skipping what it does not
recognise, so that an upgrade fails loudly; ``tests/test_weasy_contract.py`` holds one test per
accessor. Public API (``HTML``, ``CSS``, ``Document``, ``Attachment``, the URL fetcher) is
re-exported from here too, so the rest of the package imports WeasyPrint through one door.
"""

from __future__ import annotations

import copy
import inspect
import linecache
import logging
import math
import os
import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from math import inf
from pathlib import Path
from xml.sax.saxutils import escape

# isort: off
from pressroom.layout import libraries  # noqa: F401  (first: WeasyPrint opens its C libraries on import)
# isort: on
import cffi
import pydyf
import weasyprint
from weasyprint import CSS as CSS  # the public API, re-exported: one door to WeasyPrint
from weasyprint import HTML as HTML
from weasyprint import Attachment as Attachment
from weasyprint import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block as _block_layout
from weasyprint.layout import column as _column_layout
from weasyprint.layout import inline as _inline
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.layout.percent import percentage as _percentage
from weasyprint.logger import LOGGER as _WEASY_LOGGER
from weasyprint.logger import PROGRESS_LOGGER as _PROGRESS_LOGGER
from weasyprint.text import ffi as _text_ffi
from weasyprint.text import line_break as _line_break
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data
from weasyprint.urls import URLFetcher as URLFetcher
from weasyprint.urls import URLFetcherResponse as URLFetcherResponse

from pressroom import report, scratch
from pressroom.errors import ToolkitError
from pressroom.stopping import held

VERSION = weasyprint.__version__


class WeasyPrintContractError(ToolkitError):
    """WeasyPrint (or pydyf) no longer has the shape pressroom was written against."""

    def __init__(self, assumption: str, found: str) -> None:
        super().__init__(f"WeasyPrint {VERSION} broke an assumption: {assumption}: {found}")
        self.assumption = assumption


def _require(condition: object, assumption: str, found: str) -> None:
    if not condition:
        raise WeasyPrintContractError(assumption, found)


def _kind(value: object) -> str:
    return type(value).__name__


# --- fonts: a font configuration that sees the project's fonts only ---------------------------

_FC = cffi.FFI()
_FC.cdef("""
    typedef struct _FcConfig FcConfig;
    typedef unsigned char FcChar8;
    typedef int FcBool;
    FcConfig * FcConfigCreate (void);
    FcBool FcConfigParseAndLoadFromMemory (FcConfig *config, const FcChar8 *buffer, FcBool complain);
    FcBool FcConfigBuildFonts (FcConfig *config);
    void FcConfigDestroy (FcConfig *config);
""")


@cache
def _fontconfig():
    """fontconfig, as WeasyPrint loads it (the same shared object: opened again by name)."""
    for name in ("libfontconfig.so.1", "libfontconfig-1", "fontconfig-1", "fontconfig",
                 "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            return _FC.dlopen(name)
        except OSError:
            continue
    raise WeasyPrintContractError("weasyprint.text.ffi.fontconfig", "libfontconfig not found")


def fontconfig_file(fonts: Path, cache_dir: Path) -> str:
    """A fontconfig configuration that knows the fonts in ``fonts`` and no others."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>\n  <dir>{escape(str(fonts.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir))}</cachedir>\n</fontconfig>\n"
    )


class _IsolatedFontConfiguration(FontConfiguration):
    """WeasyPrint's FontConfiguration, given a fontconfig configuration built from our XML
    instead of the one FONTCONFIG_FILE names (so nothing process-wide changes).

    Mirrors ``FontConfiguration.__init__`` of WeasyPrint 70 with FcInitLoadConfigAndFonts()
    replaced; the contract test checks that __init__ still does only that."""

    def __init__(self, xml: str) -> None:
        lib, weasy_ffi = _fontconfig(), _text_ffi.ffi
        config = lib.FcConfigCreate()
        _require(config != _FC.NULL, "FcConfigCreate()", "returned NULL")
        if not (lib.FcConfigParseAndLoadFromMemory(config, xml.encode("utf-8"), True)
                and lib.FcConfigBuildFonts(config)):
            lib.FcConfigDestroy(config)
            raise WeasyPrintContractError("FcConfigParseAndLoadFromMemory()",
                                          "the isolated configuration was refused")
        self._config = weasy_ffi.cast("FcConfig *", int(_FC.cast("uintptr_t", config)))
        self.font_map = weasy_ffi.gc(_text_ffi.pangoft2.pango_ft2_font_map_new(),
                                     _text_ffi.gobject.g_object_unref)
        _text_ffi.pangoft2.pango_fc_font_map_set_config(
            weasy_ffi.cast("PangoFcFontMap *", self.font_map), self._config)
        _text_ffi.fontconfig.FcConfigDestroy(self._config)  # the font map keeps a reference
        # WeasyPrint copies @font-face files into _folder (a "weasyprint-*" folder when None) and
        # removes it when the configuration goes; ours is named for this process, so that the
        # next run removes it if this one is killed first
        with held():  # no signal between the folder's creation and its removal's registration
            self._folder = scratch.make_folder("fonts")
            weakref.finalize(self, scratch.remove, self._folder)
        self.strut_layouts = {}
        self.font_features = {}
        #: split_first_line's answers with this configuration's fonts (see _split_first_line)
        self.pressroom_lines = MeasuredLines()

    def add_font_face(self, rule_descriptors, url_fetcher):
        """WeasyPrint's, and the lines measured so far forgotten when a face was added (WeasyPrint
        copies each face it adds into the folder once: a rule it had already seen adds nothing)."""
        before = _entries(self._folder)
        result = super().add_font_face(rule_descriptors, url_fetcher)
        if _entries(self._folder) != before:
            self.pressroom_lines.clear()
        return result


def _entries(folder: Path | None) -> int:
    try:
        return len(os.listdir(folder)) if folder is not None else 0
    except OSError:
        return -1


#: What WeasyPrint 70's FontConfiguration.__init__ sets, which the isolated one sets too.
FONT_CONFIGURATION_FIELDS = ("_config", "font_map", "_folder", "strut_layouts", "font_features")


@contextmanager
def isolated_font_config(fonts: Path) -> Iterator[FontConfiguration]:
    """A WeasyPrint font configuration that sees the fonts in ``fonts`` and no system font.

    fontconfig reads FONTCONFIG_FILE only when it loads its default configuration; here the
    configuration is made from memory, so no environment variable is touched and two builds in
    two threads each get their own."""
    _require(set(FONT_CONFIGURATION_FIELDS) == set(_init_assignments()),
             "FontConfiguration.__init__", f"sets {sorted(_init_assignments())}")
    with scratch.temporary_folder("fc") as tmp:
        yield _IsolatedFontConfiguration(fontconfig_file(fonts, tmp / "cache"))


@cache
def _init_assignments() -> tuple[str, ...]:
    source = inspect.getsource(FontConfiguration.__init__)
    return tuple(sorted(set(re.findall(r"self\.(\w+) =", source))))


# --- the box tree -----------------------------------------------------------------------------

def page_box(page) -> boxes.PageBox:
    """The laid-out page's box (``Page._page_box``)."""
    box = getattr(page, "_page_box", None)
    _require(isinstance(box, boxes.PageBox), "Page._page_box", f"expected a PageBox, found {_kind(box)}")
    return box


def type_area_foot(page) -> float:
    """Where the page's flow ends (CSS px from the page's top): its content box's foot, or the
    top of its footnote area when it holds footnotes (``boxes.FootnoteAreaBox``)."""
    box = page_box(page)
    foot = box.content_box_y() + box.height
    for child in children(box):
        if isinstance(child, boxes.FootnoteAreaBox) and children(child):
            foot = min(foot, child.position_y)
    return foot


def children(box) -> list:
    """A box's children (``ParentBox.children``; other boxes have none); an absolutely
    positioned child stands in its parent's list as a placeholder, which is seen through."""
    if not isinstance(box, boxes.ParentBox):
        _require(isinstance(box, boxes.Box), "boxes.Box", f"expected a box, found {_kind(box)}")
        return []
    found = getattr(box, "children", None)
    _require(isinstance(found, (list, tuple)), "ParentBox.children",
             f"expected a list, found {_kind(found)}")
    return [_placed(child) for child in found]


def _placed(child):
    """The box an ``AbsolutePlaceholder`` holds (``AbsolutePlaceholder._box``), else the child."""
    if not isinstance(child, AbsolutePlaceholder):
        return child
    box = getattr(child, "_box", None)
    _require(isinstance(box, boxes.Box), "AbsolutePlaceholder._box",
             f"expected a box, found {_kind(box)}")
    return box


def walk(box) -> Iterator:
    """The box and all its descendants, depth first, in document order."""
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def placed_images(document: Document) -> list[tuple[str, float, float]]:
    """(``src``, placed width and height in inches) of every ``<img>`` on every page, in order."""
    found = []
    for page in document.pages:
        for box in walk(page_box(page)):
            if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img":
                element = getattr(box, "element", None)
                _require(hasattr(element, "get"), "ReplacedBox.element",
                         f"expected an HTML element, found {_kind(element)}")
                width, height = box.width, box.height
                _require(isinstance(width, (int, float)) and isinstance(height, (int, float)),
                         "ReplacedBox.width/height", f"expected CSS px, found {width!r}, {height!r}")
                found.append((element.get("src", ""), width / 96, height / 96))
    return found


def character_lefts(box) -> list[tuple[str, float]]:
    """Each character of a laid-out text box (first line) with the left edge (CSS px, on the
    page) of the glyph that draws it, as WeasyPrint draws it: Pango's runs of the box's first
    line, left to right, each glyph's width added, each glyph's cluster giving its character
    (``draw.text.draw_first_line`` walks them so). WeasyPrint drops a box's Pango layout after
    the layout and remakes it to draw (``TextBox.pango_layout.reactivate(style)``, then
    ``.get_first_line()``, then ``.deactivate()``); so is it remade here. A character drawn by
    no glyph of its own (inside a ligature, an invisible mark) gets the place of the one before
    it in the text (the first: of the first drawn); characters past the first line, none."""
    _require(isinstance(box, boxes.TextBox), "boxes.TextBox", f"expected a text box, found {_kind(box)}")
    layout = getattr(box, "pango_layout", None)
    _require(isinstance(layout, _line_break.Layout), "TextBox.pango_layout",
             f"expected a Layout, found {_kind(layout)}")
    layout.reactivate(box.style)
    try:
        line, end = layout.get_first_line()
        text = layout.text
        _require(isinstance(text, str), "Layout.text", f"expected a str, found {_kind(text)}")
        if end is not None:
            text = text.encode()[:end].decode()
        starts = {}  # byte offset → character index
        offset = 0
        for index, char in enumerate(text):
            starts[offset] = index
            offset += len(char.encode())
        lefts: dict[int, float] = {}
        pen = 0
        run = line.runs[0]
        while run != _text_ffi.ffi.NULL:
            item, run = run.data, run.next
            glyphs = item.glyphs
            for i in range(glyphs.num_glyphs):
                index = starts.get(item.item.offset + glyphs.log_clusters[i])
                if index is not None and index not in lefts:
                    lefts[index] = box.position_x + pen * _text_ffi.FROM_UNITS
                pen += glyphs.glyphs[i].geometry.width
    finally:
        layout.deactivate()
    if not lefts:
        return []
    found, last = [], lefts[min(lefts)]
    for index, char in enumerate(text):
        last = lefts.get(index, last)
        found.append((char, last))
    return found


#: Characters that join or part the letters around them and that Pango draws with no glyph
#: (an empty one, which WeasyPrint writes as a number: nothing reaches the text layer).
JOINERS = "\u200c\u200d"


def joiners(document: Document) -> dict[int, list[tuple[float, float, str]]]:
    """Page index → (x, baseline y, character) of every zero-width non-joiner or joiner drawn
    on it, in CSS px on the page: x is the left edge of the empty glyph Pango gave it
    (``character_lefts``), where the pen stands when WeasyPrint writes it."""
    found: dict[int, list[tuple[float, float, str]]] = {}
    for number, page in enumerate(document.pages):
        for box in walk(page_box(page)):
            text = getattr(box, "text", None)
            if not isinstance(box, boxes.TextBox) or not isinstance(text, str) \
                    or not any(char in text for char in JOINERS):
                continue
            baseline = getattr(box, "baseline", None)
            _require(isinstance(baseline, (int, float)), "TextBox.baseline",
                     f"expected the baseline's offset from the box's top, found {baseline!r}")
            found.setdefault(number, []).extend(
                (x, box.position_y + baseline, char) for char, x in character_lefts(box)
                if char in JOINERS)
    return found


@cache
def _translate_ignores_floats() -> bool:
    return "ignore_floats" in inspect.signature(boxes.Box.translate).parameters


def realign_rtl_justified_lines(page) -> None:
    """Put back justified right-to-left lines that WeasyPrint 70 shifts left by one space.

    When such a line ends where an inline element begins (a link, emphasis, a number run), the
    space before the element is stripped from the line's last box, and that box is left one
    space too far left: past the column's left edge, with a gap that is not in the text between
    it and its neighbour (or, alone on its line, one space short of the right edge). Moving that
    last box back by the overshoot closes both.
    """
    _require(_translate_ignores_floats(), "Box.translate(ignore_floats=)", "no such parameter")
    stack = [page_box(page)]
    while stack:
        box = stack.pop()
        if not isinstance(box, boxes.LineBox):
            stack.extend(reversed(children(box)))
            continue
        style = box.style
        try:
            direction, align = style["direction"], style["text_align_all"]
        except KeyError as exc:
            raise WeasyPrintContractError("LineBox.style", f"no {exc.args[0]!r} property") from None
        if direction == "rtl" and align == "justify" and box.children:
            overshoot = box.position_x - min(child.position_x for child in box.children)
            if overshoot > 0.01:
                box.children[-1].translate(dx=overshoot, ignore_floats=True)


#: (CSS px.) Baselines closer than this are one already.
_SAME_BASELINE = 0.01


def share_heading_baselines(page) -> None:
    """Put the last lines of a table's heading row on one baseline.

    The layouts set heading cells on the row's foot (``th { vertical-align: bottom }``), so that
    a heading wrapped to two lines ends beside a one-line one. A line that holds a glyph the
    cell's face lacks (Noto Kufi Arabic has no ( ) / % ²: Amiri draws them) is taller, and its
    cell's baseline stood a pixel above its neighbours': pypdf and pdf.js then read two headings
    as one word ("المنطقةالمساحة"). Each such cell's content is moved down onto the lowest
    baseline of the row (by less than half a line, into the cell's bottom padding).
    """
    _require(_translate_ignores_floats(), "Box.translate(ignore_floats=)", "no such parameter")
    stack = [page_box(page)]
    while stack:
        box = stack.pop()
        if not isinstance(box, boxes.TableRowBox):
            stack.extend(children(box))
            continue
        lasts = []
        for cell in children(box):
            if isinstance(cell, boxes.TableCellBox) and cell.element_tag == "th" \
                    and cell.style["vertical_align"] == "bottom":
                lines = [line for line in walk(cell) if isinstance(line, boxes.LineBox)]
                if lines:
                    lasts.append((cell, lines[-1]))
        if len(lasts) < 2:
            continue
        lowest = max(line.position_y + line.baseline for _, line in lasts)
        for cell, line in lasts:
            drop = lowest - (line.position_y + line.baseline)
            if _SAME_BASELINE < drop < line.height / 2:  # (half a line apart or more: not a pixel's slip)
                for child in children(cell):
                    child.translate(dy=drop, ignore_floats=True)


# --- line breaking: no first word stranded before an inline element ---------------------------

_SPLIT_FIRST_LINE = _line_break.split_first_line
_SPLIT_FIRST_LINE_PARAMETERS = ("text", "style", "context", "max_width", "justification_spacing",
                                "is_line_start", "minimum")


#: The computed properties WeasyPrint 70's ``split_first_line`` (and _split_first_line) may read
#: (its Layout's setup and text, the font description and features, hyphenation, word breaking):
#: with the text, the width, the spacing, the two flags and the font configuration, they decide
#: its answer (tests/test_weasy_contract.py checks that it reads no other).
LINE_STYLE_PROPERTIES = (
    "white_space", "font_size", "font_family", "font_style", "font_stretch", "font_weight",
    "font_variant_caps", "font_variation_settings", "font_kerning", "font_variant_ligatures",
    "font_variant_position", "font_variant_numeric", "font_variant_alternates",
    "font_variant_east_asian", "font_feature_settings", "font_language_override", "lang",
    "direction", "text_decoration_line", "word_spacing", "letter_spacing", "overflow_wrap",
    "word_break", "tab_size", "hyphens", "hyphenate_character", "hyphenate_limit_chars",
    "hyphenate_limit_zone")
#: At most this many characters of text (the keys: the text left of a paragraph from each of its
#: lines on) are kept per font configuration, then what it measured is forgotten: a paragraph's
#: keys grow with the square of its length.
LINE_CACHE_CHARACTERS = 20_000_000


class MeasuredLines(dict):
    """A font configuration's measured lines (key → split_first_line's answer), and the
    characters of text their keys hold."""

    characters = 0

    def keep(self, key: tuple, answer: tuple) -> None:
        if self.characters + len(key[0]) > LINE_CACHE_CHARACTERS:
            self.clear()
        self[key] = answer
        self.characters += len(key[0])

    def clear(self) -> None:
        super().clear()
        self.characters = 0


def _split_first_line(text: str, style, context, max_width: float | None,
                      justification_spacing: float, is_line_start: bool = True,
                      minimum: bool = False) -> tuple:
    """``_measure_first_line``, its answer kept by the font configuration (ours), keyed by what
    decides it: a text measured at a width in a style once is not measured again (WeasyPrint
    balances columns by laying their text out several times, figure placement lays the article
    out again, and a warm process lays out mostly the same text after an edit). The answer's
    Layout is given as a copy: it holds no Pango object (WeasyPrint deactivates it before
    returning it and makes its Pango layout again to draw), and whoever gets it may change it."""
    lines = getattr(style.font_config, "pressroom_lines", None)
    key = None
    if isinstance(lines, MeasuredLines):
        try:
            key = (text, max_width, justification_spacing, is_line_start, minimum,
                   tuple(_frozen(style[name]) for name in LINE_STYLE_PROPERTIES))
            found = lines.get(key)
        except TypeError:  # a value that cannot be a key (none of WeasyPrint 70's): measured
            key = found = None
        if found is not None:
            return (copy.copy(found[0]), *found[1:])
    result = _measure_first_line(text, style, context, max_width, justification_spacing,
                                 is_line_start, minimum)
    if key is not None and _deactivated(result[0]):
        lines.keep(key, (copy.copy(result[0]), *result[1:]))
    return result


def _frozen(value):
    """A computed value as a key (text-decoration-line is a set, some values are lists)."""
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(item) for item in value)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _deactivated(layout) -> bool:
    """Whether a Layout holds no Pango object (as WeasyPrint 70 returns it)."""
    return not any(hasattr(layout, name) for name in ("layout", "style", "language"))


def _measure_first_line(text: str, style, context, max_width: float | None,
                        justification_spacing: float, is_line_start: bool = True,
                        minimum: bool = False) -> tuple:
    """WeasyPrint's ``split_first_line``, except that words followed only by spaces are kept
    whole when the words fit the width (see ``keep_words_before_inline_elements``)."""
    result = _SPLIT_FIRST_LINE(text, style, context, max_width, justification_spacing,
                               is_line_start, minimum)
    if (result[2] is None or max_width is None or style["white_space"] != "normal"
            or not text.endswith(" ")):
        return result
    words = text.rstrip(" ")
    first_line = text.encode()[:result[1]].decode(errors="ignore").strip(" ")
    if not words or " " in first_line:
        return result  # the stranding keeps exactly one word
    layout = _line_break.create_layout(words, style, context, max_width, justification_spacing)
    line, index = layout.get_first_line()
    fits = index is None and _line_break.line_size(line, style)[0] <= max_width
    layout.deactivate()
    if not fits:
        return result
    return _SPLIT_FIRST_LINE(text, style, context, None, justification_spacing, is_line_start,
                             minimum)


def keep_words_before_inline_elements() -> None:
    """Stop WeasyPrint 70 from stranding one word on a line before an inline element.

    A text box that ends in a space before an inline element (a number or Latin run in its own
    span — bidi.py —, a link, emphasis) is measured by ``split_first_line`` with that trailing
    space. When the words fit the rest of the line but words plus space do not, WeasyPrint
    decides the text "can't be split earlier" and keeps only its first word: a line of one word
    in mid-paragraph, the rest on the next line. Pango has said the text fits (a trailing space
    hangs at a line's end) and WeasyPrint's caller drops that space anyway. The wrapper handles
    exactly that case (collapsing white space, a first line of one word, a text ending in
    spaces whose words fit) by returning the whole text, as WeasyPrint does when the space fits
    too; any other text gets WeasyPrint's own answer. (The paragraph indent, a ``::before``
    inline block, only moved widths into that window of one space.) Installed once; the
    answers are kept by the font configuration (``_split_first_line``).
    """
    if _inline.split_first_line is _split_first_line:
        return
    parameters = tuple(inspect.signature(_SPLIT_FIRST_LINE).parameters)
    _require(parameters == _SPLIT_FIRST_LINE_PARAMETERS,
             "weasyprint.text.line_break.split_first_line" + str(_SPLIT_FIRST_LINE_PARAMETERS),
             str(parameters))
    _require(_inline.split_first_line is _SPLIT_FIRST_LINE,
             "weasyprint.layout.inline uses text.line_break.split_first_line",
             repr(_inline.split_first_line))
    _inline.split_first_line = _split_first_line


# --- justified text: drawn with the kerning it was measured with -------------------------------

_REACTIVATE = _line_break.Layout.reactivate
#: The characters WeasyPrint stretches to justify (text.line_break.Layout.set_text), as UTF-8.
_STRETCHED = (b" ", "\u00a0".encode())


def _glyphs(layout) -> list[tuple[object, bool]]:
    """Each glyph of a Layout's first line, left to right (``PangoGlyphInfo``), and whether it
    draws a character that justification stretches (a space)."""
    ffi = _text_ffi.ffi
    line = _text_ffi.pango.pango_layout_get_line_readonly(layout.layout, 0)
    if line == ffi.NULL:
        return []
    text = layout.text.encode()
    found = []
    run = line.runs
    while run != ffi.NULL:
        item = ffi.cast("PangoGlyphItem *", run.data)
        run = run.next
        glyphs = item.glyphs
        for i in range(glyphs.num_glyphs):
            start = item.item.offset + glyphs.log_clusters[i]
            found.append((glyphs.glyphs[i], any(text.startswith(space, start) for space in _STRETCHED)))
    return found


def _reactivate(layout, style) -> None:
    """WeasyPrint's ``Layout.reactivate`` (the box's Pango layout, remade to be drawn), each
    glyph but the stretched spaces then given the advance and offsets it was measured with.

    WeasyPrint 70 justifies a text box by letter spacing on each of its spaces, set only when the
    box is drawn; Pango then shapes every word as an item of its own, and kerning between a space
    and the word after it is lost. Amiri kerns an initial kaf over the space before it (0.24 em:
    "درجة كل"): the box was measured with that kerning and was drawn 0.24 em wider, the wide
    gap before the kaf and the overshoot into the box beside it (an inline number or Latin
    run: "0.4–0.5درجة", glued) or past the column's edge. The glyphs of the box's text as it
    was measured (shaped whole, no justification) are the same glyphs in the same order: their
    advances and offsets are put back, the spaces keep their stretch, and the box is drawn as
    wide as it was laid out. (Pango's single-paragraph mode, which ``draw_first_line`` sets and
    which would shape the line again, is set first; it changes nothing for a line with no line
    break in it, the only ones mended.)"""
    _REACTIVATE(layout, style)
    if not layout.justification_spacing or "\n" in layout.text:
        return
    pango = _text_ffi.pango
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    measured = _line_break.Layout(style, 0)
    pango.pango_layout_set_single_paragraph_mode(measured.layout, True)
    try:
        measured.set_text(layout.text)
        drawn, kept = _glyphs(layout), _glyphs(measured)
        if [info.glyph for info, _ in drawn] != [info.glyph for info, _ in kept]:
            return  # shaped otherwise: drawn as Pango has it
        for (info, stretched), (measured_info, _) in zip(drawn, kept, strict=True):
            if not stretched:
                info.geometry.width = measured_info.geometry.width
                info.geometry.x_offset = measured_info.geometry.x_offset
                info.geometry.y_offset = measured_info.geometry.y_offset
    finally:
        measured.deactivate()  # (its Pango layout freed on every path)


def draw_justified_text_as_measured() -> None:
    """Draw each justified text box with the kerning it was laid out with (see _reactivate).
    Installed once."""
    if _line_break.Layout.reactivate is _reactivate:
        return
    parameters = tuple(inspect.signature(_REACTIVATE).parameters)
    _require(parameters == ("self", "style"), "weasyprint.text.line_break.Layout.reactivate(self, style)",
             str(parameters))
    source = inspect.getsource(_REACTIVATE)
    _require("set_text(self.text, justify=True)" in source,
             "Layout.reactivate sets the text justified", "no such call")
    _require("word_spacing += self.justification_spacing" in inspect.getsource(_line_break.Layout.set_text)
             and "pango_attr_letter_spacing_new" in inspect.getsource(_line_break.Layout.set_text),
             "Layout.set_text justifies by letter spacing on spaces", "no such attribute")
    _line_break.Layout.reactivate = _reactivate


# --- column tops: no margin above the block that starts a column -------------------------------

_BLOCK_RESOLVE = _block_layout.resolve_percentages
_BLOCK_BOX_LAYOUT = _block_layout.block_box_layout
#: Set while WeasyPrint measures the block that would start the next column (see below).
_MEASURING: ContextVar[bool] = ContextVar("pressroom_measuring_next_box", default=False)


def _block_resolve_percentages(box, containing_block, *args, **kwargs) -> None:
    """WeasyPrint's ``resolve_percentages`` as block layout calls it, then the top margin of a
    block at the top of a column box truncated to zero (unless ``margin-break: keep``), except
    while the column balancing measures that block for the column before (_block_box_layout)."""
    _BLOCK_RESOLVE(box, containing_block, *args, **kwargs)
    if (not _MEASURING.get() and getattr(containing_block, "is_column", False)
            and box.position_y <= containing_block.content_box_y() + 0.01
            and box.style["margin_break"] != "keep" and box.margin_top != "auto"):
        box.margin_top = 0


def _block_box_layout(context, box, bottom_space, *args, **kwargs) -> tuple:
    """WeasyPrint's ``block_box_layout``; a column box laid out with no room (``bottom_space``
    inf) is column balancing measuring "the minimum size needed to render the next box" in the
    column before (column.columns_layout), and that box is measured as it would stand there,
    after the column's text: with its top margin (not truncated as at a column's top), and a
    figure, which avoids breaks inside, whole (with no room, WeasyPrint cut it after its first
    part, the photo without its caption). Measured short, a figure seemed to fit the space
    left in the column before (less than 1 px lost: not counted), and the balancing grew the
    columns by another column's lost space, a whole figure, past the page: the last page's
    columns stood at full height, the text in the first, a figure mid-column (issue 13)."""
    if bottom_space != inf or not getattr(box, "is_column", False) or _MEASURING.get():
        return _BLOCK_BOX_LAYOUT(context, box, bottom_space, *args, **kwargs)
    token = _MEASURING.set(True)
    try:
        measured = _BLOCK_BOX_LAYOUT(context, box, bottom_space, *args, **kwargs)
        new_box, resume_at = measured[0], measured[1]
        skip_stack = args[0] if args else kwargs.get("skip_stack")
        first = next((child for child in new_box.children if child.is_in_normal_flow()),
                     None) if new_box is not None else None
        index = next(iter(skip_stack)) if skip_stack else 0
        if (first is not None and resume_at and resume_at.get(index) is not None
                and next(iter(resume_at)) == index
                and first.element_tag == "figure"
                and first.style["break_inside"] in ("avoid", "avoid-column", "avoid-page")):
            # a figure cut inside, which it avoids: measured again with all the room it needs
            # (a figure only: measured whole, a sidebar made the columns grow past the least
            # height that holds them, economy-household's wide photo pushed on to a page 3)
            _block_layout.remove_placeholders(context, [new_box], [], [])
            measured = _BLOCK_BOX_LAYOUT(context, box, -inf, *args, **kwargs)
        return measured
    finally:
        _MEASURING.reset(token)


#: column.columns_layout's measure of the next box: imported from .block when it runs, so the
#: module's attribute, wrapped, is what it calls.
_MEASURE_CALL = re.compile(r"from \.block import[^)]*block_box_layout.*?"
                           r"block_box_layout\(\s*context, column_box, inf,", re.S)


def truncate_margins_at_column_tops() -> None:
    """Truncate the top margin of a block that starts a column.

    CSS Fragmentation truncates margins adjoining an unforced break; WeasyPrint 70 does so only
    at the top of a page, and only for a child of the root, so a sub-heading that starts a
    column keeps its margin there: a blank line at the head of the column, its text a line
    lower than the text beside it. The block at the top of any column box now loses its top
    margin: after a column or page break, and in the first column of a run of columns below a
    figure set across them (whose own bottom margin spaces them, as it does the text in the
    column beside); ``margin-break: keep`` keeps it. Installed once."""
    if _block_layout.resolve_percentages is _block_resolve_percentages:
        return
    _require(_block_layout.resolve_percentages is _BLOCK_RESOLVE
             and _BLOCK_RESOLVE.__module__ == "weasyprint.layout.percent",
             "weasyprint.layout.block uses percent.resolve_percentages",
             repr(_block_layout.resolve_percentages))
    _require("is_column" in inspect.getsource(_column_layout._create_column_box),
             "weasyprint.layout.column marks its column boxes is_column", "no is_column")
    _require(_block_layout.block_box_layout is _BLOCK_BOX_LAYOUT,
             "weasyprint.layout.block.block_box_layout is WeasyPrint's own",
             repr(_block_layout.block_box_layout))
    _require(_MEASURE_CALL.search(inspect.getsource(_column_layout.columns_layout)),
             "weasyprint.layout.column measures the next box with block_box_layout(…, column_box, inf, …)",
             "no such call")
    _block_layout.resolve_percentages = _block_resolve_percentages
    _block_layout.block_box_layout = _block_box_layout



#: WeasyPrint's own columns_layout, and the test that stops a run of columns from growing past
#: the page's foot as it balances them (the footnote area's height left out of that foot).
_COLUMNS_LAYOUT = _column_layout.columns_layout
_GROWN_PAST = "                if height > max_height:\n"
_GROWN_PAST_FOOTNOTES = (
    "                if height > max_height - (last_footnotes_height - footnote_area_heights[0]):\n"
    "                    max_height -= last_footnotes_height - footnote_area_heights[0]\n")


#: The final render of a run's columns giving up when a column cannot be drawn on the page (the
#: whole run goes on to the next page), and the same, first taking back the footnotes of the
#: columns it drew and drops.
_DROPPED = "            if new_child is None:\n                columns = []\n"
_DROPPED_WITH_FOOTNOTES = ("            if new_child is None:\n"
                           "                remove_placeholders(context, columns, [], [])\n"
                           "                columns = []\n")


_PATCHED_NAME = "<pressroom: weasyprint.layout.column.columns_layout, balanced above the footnotes>"


def balance_columns_above_footnotes() -> None:
    """Balance a run of columns that ends on a page holding footnotes above them.

    WeasyPrint 70 renders the columns once at the page's height less the footnote area (it
    re-renders when footnotes appear), then balances them by growing their height, step by
    step, up to the page's height less the space below the body — leaving the footnote area
    out: a run whose footnotes take the last lines it would need is grown into them, overflows
    the page and is sent whole to the next one (elements.md: with its wide photo heading page 2,
    page 1's text, which calls a footnote, left the opener's page without a line of body). The
    height it grows to now stops above the footnotes.

    And when a column of the run's final render cannot be drawn on the page, WeasyPrint drops
    the columns it drew before it (the run goes on to the next page) but kept the footnotes
    they called laid out on this page: a note at the foot of a page its call is not on, laid
    out again on the next page with its call, where the trial renders of the columns had not
    measured it, and moved on from there to an empty footnote area until it crashed (an
    IndexError in _report_footnotes: generated article 33, magazine, in one layout of the figure
    placement). The dropped columns' footnotes are now taken back first, as WeasyPrint does for
    every other box it drops (remove_placeholders).

    Installed once, by rewriting those two places in WeasyPrint's own function (each is checked
    to be there, once)."""
    if _block_layout.columns_layout is not _COLUMNS_LAYOUT:
        return
    source = inspect.getsource(_COLUMNS_LAYOUT)
    _require(source.count(_GROWN_PAST) == 1 and "last_footnotes_height = (" in source
             and "footnote_area_heights = [" in source,
             "weasyprint.layout.column.columns_layout grows balanced columns to max_height, "
             "knowing the footnote area's heights", "no such test")
    _require(_column_layout.columns_layout is _COLUMNS_LAYOUT,
             "weasyprint.layout.column.columns_layout is WeasyPrint's own",
             repr(_column_layout.columns_layout))
    _require(source.count(_DROPPED) == 1 and "remove_placeholders" in source.split(_DROPPED)[0],
             "weasyprint.layout.column.columns_layout drops the columns it drew when one cannot be",
             "no such test")
    # WeasyPrint's own source, with that one test changed, compiled under a name of its own whose
    # text linecache holds (a traceback shows its lines, inspect.getsource reads it); its globals
    # are a copy of column.py's, taken now: a later patch of a name there does not reach it
    patched = source.replace(_GROWN_PAST, _GROWN_PAST_FOOTNOTES).replace(_DROPPED, _DROPPED_WITH_FOOTNOTES)
    linecache.cache[_PATCHED_NAME] = (len(patched), None, patched.splitlines(True), _PATCHED_NAME)
    namespace = dict(vars(_column_layout))
    exec(compile(patched, _PATCHED_NAME, "exec"), namespace)
    _column_layout.columns_layout = _block_layout.columns_layout = namespace["columns_layout"]


def overfull_lines(document: Document, classes: tuple[str, ...]) -> list[str]:
    """The text of every line, in blocks of these classes, that reaches past its block's content
    box (by more than half a CSS px)."""
    found = []
    for page in document.pages:
        for box in walk(page_box(page)):
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or not hasattr(element, "get"):
                continue
            if not set((element.get("class") or "").split()) & set(classes):
                continue
            x0, x1 = box.content_box_x(), box.content_box_x() + box.width
            for line in children(box):
                texts = [b for b in walk(line) if isinstance(b, boxes.TextBox)]
                if texts and (min(b.position_x for b in texts) < x0 - 0.5
                              or max(b.position_x + b.width for b in texts) > x1 + 0.5):
                    found.append("".join(b.text for b in texts))
    return found


@dataclass(frozen=True)
class WideTable:
    """A table drawn wider than the box that holds it (a column): its page (from 0), which of
    the document's tables it is (from 0, in order; the parts of a table split across columns
    are one) and by how much (CSS px) it reaches past that box, on either side."""

    page: int
    index: int
    excess: float


def _tables_in(box, holder) -> Iterator[tuple[object, object]]:
    """(table box, the block that holds its wrapper) under ``box``, in document order."""
    for child in children(box):
        if isinstance(child, boxes.TableBox):
            yield child, holder
        if isinstance(child, boxes.ParentBox):
            inner = child if (isinstance(child, boxes.BlockContainerBox)
                              and not getattr(child, "is_table_wrapper", False)) else holder
            yield from _tables_in(child, inner)


def wide_tables(document: Document) -> list[WideTable]:
    """Every table part that reaches past the content box of the block holding it (a column, the
    body, a sidebar) by more than half a CSS px: its cells' least widths (words, numbers kept
    whole) add up to more than that box has, and WeasyPrint draws it over what is beside it."""
    found = []
    for number, index, table, holder in _numbered_tables(document):
        left, right = holder.content_box_x(), holder.content_box_x() + holder.width
        x0 = table.border_box_x()
        excess = max(left - x0, x0 + table.border_width() - right)
        if excess > _PAST:
            found.append(WideTable(number, index, excess))
    return found


#: How far (CSS px) a table or a cell's text may reach past its box before it is drawn over
#: what is beside it: half a pixel, a rounding's slip.
_PAST = 0.5


def _numbered_tables(document: Document) -> Iterator[tuple[int, int, object, object]]:
    """(page from 0, which of the document's tables from 0, table box, the block holding it) for
    every table part: the parts of a table split across columns or pages share its number."""
    numbers: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for table, holder in _tables_in(page_box(page), page_box(page)):
            key = id(getattr(table, "element", None))
            yield number, numbers.setdefault(key, len(numbers)), table, holder


@dataclass(frozen=True)
class OverfullCell:
    """A table cell whose text is drawn past its cell (a run kept on one line, wider than the
    cell WeasyPrint gave it): its page (from 0), which of the document's tables it is (from 0,
    as ``WideTable``), its text and by how much (CSS px) it reaches past the cell's padding box."""

    page: int
    index: int
    text: str
    excess: float


def overfull_cells(document: Document) -> list[OverfullCell]:
    """Every table cell whose text reaches past its padding box by more than half a CSS px,
    over the cell beside it: WeasyPrint sizes a table's columns on its cells' words, but a run
    kept on one line (``white-space: nowrap``) can be wider than the column it gets."""
    found = []
    for number, index, table, _ in _numbered_tables(document):
        for cell in walk(table):
            if not isinstance(cell, boxes.TableCellBox):
                continue
            left = cell.padding_box_x()  # into its padding is not over the next cell
            right = left + cell.padding_left + cell.width + cell.padding_right
            texts = [box for box in walk(cell) if isinstance(box, boxes.TextBox) and box.text.strip()]
            if not texts:
                continue
            excess = max(max(left - box.position_x, box.position_x + box.width - right) for box in texts)
            if excess > _PAST:
                element = getattr(cell, "element", None)
                text = "".join(element.itertext()) if element is not None else ""
                found.append(OverfullCell(number, index, text, excess))
    return found


# --- fonts as WeasyPrint used them --------------------------------------------------------------

@dataclass(frozen=True)
class UsedFont:
    """A font WeasyPrint drew with: its PDF name, its whole file and the text it mapped."""

    name: bytes  # the BaseFont, b"/HASH+Family-Style"
    bitmap: bool
    index: int  # the face's index in its file (collections)
    data: bytes  # the font file WeasyPrint loaded (not the subset)
    to_unicode: dict[int, str]  # glyph id → the text WeasyPrint saw it drawn for


def document_fonts(document: Document) -> dict[bytes, UsedFont]:
    """BaseFont → the font, for every font the written PDF uses (``document.fonts`` and
    ``Font.hb_face``/``to_unicode``/``index``/``bitmap``/``name``; read inside a finisher)."""
    fonts = getattr(document, "fonts", None)
    _require(isinstance(fonts, dict), "Document.fonts", f"expected a dict, found {_kind(fonts)}")
    used = {}
    for font in fonts.values():
        missing = [a for a in ("name", "bitmap", "index", "hb_face", "to_unicode")
                   if not hasattr(font, a)]
        _require(not missing, "pdf.fonts.Font", f"no attribute {', '.join(missing)}")
        _require(isinstance(font.name, bytes) and font.name.startswith(b"/"), "Font.name",
                 f"expected b'/HASH+Name', found {font.name!r}")
        _require(isinstance(font.to_unicode, dict), "Font.to_unicode",
                 f"expected a dict, found {_kind(font.to_unicode)}")
        data = get_hb_object_data(font.hb_face) if not font.bitmap else b""
        _require(isinstance(data, bytes), "get_hb_object_data(Font.hb_face)",
                 f"expected bytes, found {_kind(data)}")
        first = used.get(font.name)
        if first is not None:  # fonts of one file share a name: WeasyPrint writes the first,
            # with every one's glyphs (build_fonts_dictionary)
            used[font.name] = UsedFont(first.name, first.bitmap, first.index, first.data,
                                       {**first.to_unicode, **font.to_unicode})
            continue
        used[font.name] = UsedFont(font.name, bool(font.bitmap), int(font.index), data,
                                   font.to_unicode)
    return used


def type0_font(fonts: dict[bytes, UsedFont], type0: pydyf.Dictionary) -> tuple[UsedFont, bytes]:
    """The font a Type0 font dictionary was written for, and its ToUnicode reference (WeasyPrint
    writes one Type0 font per font it drew with, named after it, always with a ToUnicode map)."""
    font = fonts.get(type0.get("BaseFont"))
    _require(font is not None, "Type0 BaseFont is a Document.fonts name",
             f"{type0.get('BaseFont')!r} is not among {sorted(fonts)}")
    reference = type0.get("ToUnicode")
    _require(isinstance(reference, bytes), "Type0 /ToUnicode", f"expected a reference, found {reference!r}")
    return font, reference


def font_resource_name(base_font: bytes | str) -> bytes:
    """The name a content stream's ``Tf`` uses for the Type0 font whose BaseFont is
    ``base_font``: WeasyPrint names both after the font's hash (``/HASH+Family`` → ``HASH``)."""
    name = base_font.decode() if isinstance(base_font, bytes) else str(base_font)
    match = re.fullmatch(r"/?([A-Z]{6})\+\S+", name)
    _require(match, "Type0 BaseFont", f"expected /HASH+Name, found {name!r}")
    return match.group(1).encode()


# --- content streams --------------------------------------------------------------------------

_TJ = re.compile(rb"^\[(.*)\] TJ$", re.S)
_TF = re.compile(rb"^/(\S+) \S+ Tf$")


def content_streams(pdf: pydyf.PDF) -> list[pydyf.Stream]:
    """Every stream whose operators WeasyPrint keeps as a list of lines (``Stream.stream``)."""
    objects = getattr(pdf, "objects", None)
    _require(isinstance(objects, list), "pydyf.PDF.objects", f"expected a list, found {_kind(objects)}")
    return [obj for obj in objects if isinstance(obj, pydyf.Stream) and isinstance(obj.stream, list)]


def tj_operand(item: object) -> bytes | None:
    """The inside of a ``[…] TJ`` line, or None when ``item`` is another operator."""
    if not (isinstance(item, bytes) and item.endswith(b"] TJ")):
        return None
    match = _TJ.match(item)
    _require(match, "content stream TJ", f"expected one '[…] TJ' per line, found {item[:40]!r}")
    return match.group(1)


def tf_resource(item: object) -> bytes | None:
    """The font resource name of a ``/NAME size Tf`` line, or None for another operator."""
    if not (isinstance(item, bytes) and item.endswith(b" Tf")):
        return None
    match = _TF.match(item)
    _require(match, "content stream Tf", f"expected '/NAME size Tf', found {item[:40]!r}")
    return match.group(1)


_TM = re.compile(rb"^(?:\S+ ){4}(\S+) (\S+) Tm$")


def text_matrix_position(item: object) -> tuple[float, float] | None:
    """The position (x, y) set by an ``a b c d e f Tm`` line, or None for another operator."""
    if not (isinstance(item, bytes) and item.endswith(b" Tm")):
        return None
    match = _TM.match(item)
    _require(match, "content stream Tm", f"expected 'a b c d e f Tm', found {item[:40]!r}")
    return float(match.group(1)), float(match.group(2))


def is_text_rise(item: object) -> bool:
    """True for a ``N Ts`` line (WeasyPrint splits a line's TJ around a raised mark)."""
    return isinstance(item, bytes) and item.endswith(b" Ts")


# --- references -------------------------------------------------------------------------------

_REFERENCE = re.compile(rb"(\d+) 0 R")


def object_number(reference: bytes) -> int:
    """The object number of a pydyf reference (``b"12 0 R"``)."""
    match = _REFERENCE.fullmatch(reference) if isinstance(reference, bytes) else None
    _require(match, "pydyf reference", f"expected b'N 0 R', found {reference!r}")
    return int(match.group(1))


def resolve(pdf: pydyf.PDF, value):
    """A pydyf object, following a reference (``b"12 0 R"``) when it is one."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        number = object_number(value)
        _require(number < len(pdf.objects) and getattr(pdf.objects[number], "number", None) == number,
                 "pydyf.PDF.objects[N]", f"object {number} is not at index {number}")
        return pdf.objects[number]
    return value


def xmp_packet(pdf: pydyf.PDF) -> pydyf.Stream:
    """The XMP metadata stream WeasyPrint writes for PDF/A and PDF/X (``/Metadata``)."""
    reference = pdf.catalog.get("Metadata")
    _require(reference is not None, "PDF catalog /Metadata", "no XMP packet written")
    stream = resolve(pdf, reference)
    _require(isinstance(stream, pydyf.Stream) and isinstance(stream.stream, list),
             "PDF catalog /Metadata", f"expected a stream of lines, found {_kind(stream)}")
    return stream


# --- the sRGB profile -------------------------------------------------------------------------

@cache
def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships (and uses for its own PDF/A output intents)."""
    try:
        data = files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()
    except OSError as exc:
        raise WeasyPrintContractError("weasyprint/pdf/sRGB2014.icc", str(exc)) from None
    _require(data[36:40] == b"acsp" and data[16:20] == b"RGB ", "weasyprint/pdf/sRGB2014.icc",
             "not an RGB ICC profile")
    return data


# --- log messages -----------------------------------------------------------------------------

LOGGER_NAME = "weasyprint"
PROGRESS_LOGGER_NAME = "weasyprint.progress"
progress = report.progress  # read by the CLI before this module (and WeasyPrint) is imported
#: WeasyPrint's warning about the machine's HarfBuzz, not about the document.
_ENVIRONMENT_NOTE = "instead of HarfBuzz-Subset"


def check_loggers() -> None:
    """The loggers pressroom listens to are WeasyPrint's."""
    _require(_WEASY_LOGGER.name == LOGGER_NAME, "weasyprint.logger.LOGGER",
             f"named {_WEASY_LOGGER.name!r}")
    _require(_PROGRESS_LOGGER.name == PROGRESS_LOGGER_NAME, "weasyprint.logger.PROGRESS_LOGGER",
             f"named {_PROGRESS_LOGGER.name!r}")


#: The functions of ``weasyprint.css`` that parse one stylesheet (or style attribute) and log
#: what they ignore in it, each with the stylesheet's URL in a local named ``base_url``.
_CSS_PARSERS = ("preprocess_stylesheet", "preprocess_declarations")
_CSS_POSITION = re.compile(r"\bat (\d+):(\d+)\b")


def css_position(record: logging.LogRecord) -> tuple[int, int] | None:
    """The ``LINE:COL`` a WeasyPrint CSS warning gives ("Ignored `x: y` at 42:14, …"), if any."""
    match = _CSS_POSITION.search(record.getMessage())
    return (int(match[1]), int(match[2])) if match else None


def css_warning_url() -> str | None:
    """While WeasyPrint logs a warning about a stylesheet it is parsing, the URL of that
    stylesheet (the ``base_url`` of ``weasyprint.css``'s parsing functions on the stack); None
    when the warning comes from elsewhere (a var() substitution, checked while styles are
    computed, names no stylesheet). Called from a logging listener, in the logging thread."""
    frame = inspect.currentframe()
    while frame is not None:
        code = frame.f_code
        if code.co_name in _CSS_PARSERS and frame.f_globals.get("__name__", "").startswith("weasyprint.css"):
            url = frame.f_locals.get("base_url")
            _require(url is None or isinstance(url, str), f"weasyprint.css.{code.co_name}(base_url)",
                     f"expected a URL, found {_kind(url)}")
            return url
        frame = frame.f_back
    return None


def is_environment_note(record: logging.LogRecord) -> bool:
    """True for WeasyPrint's warning that it subsets fonts without HarfBuzz-Subset."""
    return _ENVIRONMENT_NOTE in str(record.msg)


# --- columns: where blocks and their lines fell -------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One line box: its top, bottom and baseline (CSS px, from the page's top) and its text."""

    top: float
    bottom: float
    baseline: float
    text: str


@dataclass(frozen=True)
class Block:
    """The part of one top-level block of a multi-column box that fell in one column."""

    tag: str
    attributes: dict[str, str]
    top: float  # the margin box's top and bottom
    bottom: float
    border_top: float  # the border box's
    border_bottom: float
    lines: tuple[Line, ...]  # every line box inside it, in order


@dataclass(frozen=True)
class Column:
    """One column box of a multi-column body: its page (from 0), top and bottom, its blocks,
    how many columns its run of columns has side by side (``columns:``; WeasyPrint makes no box
    for a column left empty: the last page's third of three may be missing), and whether the
    run is balanced where it ends (``column-fill: balance``) or filled column by column."""

    page: int
    top: float
    bottom: float
    blocks: tuple[Block, ...]
    count: int = 1
    balanced: bool = True


def line_boxes(box) -> Iterator:
    """The line boxes a block sets, in order: a line box inside another's inline-block (a list
    item's ``::before`` marker, an end mark set as an inline-block) is part of that line, not a
    line of its own, and an outside ``::marker`` is set beside its item's first line."""
    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, boxes.LineBox):
            if not str(current.element_tag or "").endswith("::marker"):
                yield current
            continue
        stack.extend(reversed(children(current)))


def _lines(box) -> tuple[Line, ...]:
    found = []
    for inner in line_boxes(box):
        baseline = getattr(inner, "baseline", None)
        _require(isinstance(baseline, (int, float)), "LineBox.baseline",
                 f"expected the baseline's offset from the line's top, found {baseline!r}")
        text = "".join(b.text for b in walk(inner) if isinstance(b, boxes.TextBox))
        found.append(Line(inner.position_y, inner.position_y + inner.height,
                          inner.position_y + baseline, text))
    return tuple(found)


def columns(document: Document) -> list[Column]:
    """Every column box (``Box.is_column``, made by ``columns:``) of every page, in flow order,
    with the top-level blocks that fell in each and their lines."""
    found = []
    for number, page in enumerate(document.pages):
        for parent in walk(page_box(page)):
            count = 0
            for box in children(parent):
                if not getattr(box, "is_column", False):
                    continue
                count = count or _column_count(parent, box)
                blocks = [_block(child) for child in children(box)]
                found.append(Column(number, box.position_y, box.position_y + box.height,
                                    tuple(blocks), count, parent.style["column_fill"] == "balance"))
    return found


def _column_count(multicol, column) -> int:
    """How many columns the multi-column box sets side by side: its width holds that many of
    its column boxes' width with the gaps between them (column.columns_layout's arithmetic)."""
    gap = multicol.style["column_gap"]
    gap = multicol.style["font_size"] if gap == "normal" else _percentage(gap, multicol.style,
                                                                          multicol.width)
    _require(isinstance(gap, (int, float)) and isinstance(column.width, (int, float))
             and isinstance(multicol.width, (int, float)),
             "a multi-column box's width, column gap and its column boxes' width in px",
             f"{multicol.width!r}, {gap!r}, {column.width!r}")
    return max(1, round((multicol.width + gap) / (column.width + gap)))


@dataclass(frozen=True)
class Span:
    """A block set across the columns, between two multi-column boxes (a wide figure): its page
    (from 0), the top and bottom of the page's area (the bottom above any footnotes) and the
    block, as ``columns`` reads blocks."""

    page: int
    top: float
    bottom: float
    block: Block


def _block(child) -> Block:
    element = getattr(child, "element", None)
    attributes = dict(element.attrib) if hasattr(element, "attrib") else {}
    top = child.position_y
    return Block(child.element_tag, attributes, top, top + child.margin_height(),
                 top + child.margin_top, top + child.margin_top + child.border_height(), _lines(child))


def spanning(document: Document, attribute: str) -> list[Span]:
    """Every block box carrying the HTML attribute ``attribute`` that is in no column box, in
    document order, with its page's area."""
    found = []
    for number, page in enumerate(document.pages):
        box = page_box(page)
        top = box.content_box_y()
        bottom = top + box.height
        in_columns: set[int] = set()
        for inner in walk(box):
            if isinstance(inner, boxes.FootnoteAreaBox) and children(inner):
                bottom = min(bottom, inner.position_y)
            if getattr(inner, "is_column", False):
                in_columns.update(id(b) for b in walk(inner))
        for inner in walk(box):
            element = getattr(inner, "element", None)
            if (isinstance(inner, boxes.BlockBox) and id(inner) not in in_columns
                    and hasattr(element, "attrib") and attribute in element.attrib
                    and not (element.tag or "").endswith("::before")):
                found.append(Span(number, top, bottom, _block(inner)))
    return found


@dataclass(frozen=True)
class PlacedFigure:
    """A ``<figure>``'s photo as placed: its page (from 0), the figure's HTML attributes, the
    photo's left, top, right and bottom and the sheet's (the trim: the page box's margin box),
    in CSS px of the page, and the image's own width and height in pixels (None when WeasyPrint
    has no raster image for it), and the photo's ``max-height`` (CSS px; inf when it has none)."""

    page: int
    attributes: dict[str, str]
    photo: tuple[float, float, float, float]
    sheet: tuple[float, float, float, float]
    pixels: tuple[int, int] | None = None
    max_height: float = math.inf


def placed_figures(document: Document) -> list[PlacedFigure]:
    """Every ``<figure>`` holding an ``<img>``, in document order."""
    found = []
    for number, page in enumerate(document.pages):
        box = page_box(page)
        sheet = (box.position_x, box.position_y, box.position_x + box.margin_width(),
                 box.position_y + box.margin_height())
        for figure in walk(box):
            if figure.element_tag != "figure" or not isinstance(figure, boxes.BlockBox):
                continue
            image = next((b for b in walk(figure) if isinstance(b, boxes.ReplacedBox)), None)
            if image is None:
                continue
            x, y = image.border_box_x(), image.border_box_y()
            element = getattr(figure, "element", None)
            attributes = dict(element.attrib) if hasattr(element, "attrib") else {}
            replacement = getattr(image, "replacement", None)
            size = (getattr(replacement, "width", None), getattr(replacement, "height", None))
            pixels = size if all(isinstance(v, int) and v > 0 for v in size) else None
            most = getattr(image, "max_height", math.inf)
            found.append(PlacedFigure(number, attributes,
                                      (x, y, x + image.border_width(), y + image.border_height()),
                                      sheet, pixels,
                                      float(most) if isinstance(most, int | float) else math.inf))
    return found


def has_harfbuzz_subsetter() -> bool:
    """True when WeasyPrint found HarfBuzz's subsetting library (libharfbuzz-subset); without
    it, fonts are subset by fontTools and a build takes about ×1.35 as long."""
    _require(hasattr(_text_ffi, "harfbuzz_subset"), "weasyprint.text.ffi.harfbuzz_subset",
             "no such attribute")
    return _text_ffi.harfbuzz_subset is not None


# --- justified lines: where WeasyPrint stretched word spaces -----------------------------------

@dataclass(frozen=True)
class JustifiedLine:
    """A line whose word spaces WeasyPrint widened (``TextBox.justification_spacing``): its page
    (from 0), baseline and left and right ends (CSS px, as the content stream's ``Tm`` has them),
    the space each word space got (CSS px), its direction, the ``--justify`` custom property in
    force there ("" when the layout sets none), and whether it is its paragraph's last line
    (``text-align-last: justify``; a paragraph cut where a column starts, class ``split``,
    goes on)."""

    page: int
    baseline: float
    left: float
    right: float
    spacing: float
    direction: str
    justify: str
    last: bool


def custom_property(style, name: str) -> str:
    """A custom property's value (``--name``) as one word, "" when unset (WeasyPrint keeps them
    in the computed style as ``__name``, a tuple of tokens)."""
    try:
        tokens = style["__" + name.lstrip("-").replace("-", "_")]
    except KeyError:
        return ""
    if tokens is None:  # invalid where it is computed (a var() of no token, or a cycle): unset,
        return ""       # as CSS has it; the stylesheet's warning names its line
    _require(isinstance(tokens, (tuple, list)), f"style['--{name}']",
             f"expected a tuple of tokens, found {_kind(tokens)}")
    return "".join(str(getattr(token, "value", "")) for token in tokens
                   if getattr(token, "type", "") != "whitespace").strip()


def justified_lines(document: Document) -> list[JustifiedLine]:
    """Every line of every page that justification widened (see JustifiedLine)."""
    lines = []  # (page, line box, its paragraph's element)
    for number, page in enumerate(document.pages):
        lines += [(number, box, getattr(box, "element", None)) for box in walk(page_box(page))
                  if isinstance(box, boxes.LineBox)]
    last_of = {id(element): index for index, (_, _, element) in enumerate(lines)}
    found = []
    for index, (number, box, element) in enumerate(lines):
        texts = [b for b in walk(box) if isinstance(b, boxes.TextBox)]
        spacing = max((getattr(b, "justification_spacing", None) for b in texts), default=0)
        _require(isinstance(spacing, (int, float)), "TextBox.justification_spacing",
                 f"expected CSS px, found {spacing!r}")
        if spacing <= 0:
            continue
        baseline = getattr(box, "baseline", None)
        _require(isinstance(baseline, (int, float)), "LineBox.baseline",
                 f"expected the baseline's offset from the line's top, found {baseline!r}")
        split = "split" in str(element.get("class", "") if hasattr(element, "get") else "").split()
        found.append(JustifiedLine(number, box.position_y + baseline, box.position_x,
                                   box.position_x + box.width, float(spacing), box.style["direction"],
                                   custom_property(box.style, "justify"),
                                   element is not None and last_of[id(element)] == index and not split))
    return found


_TF_SIZE = re.compile(rb"^/\S+ (\S+) Tf$")


def font_size(item: bytes) -> float:
    """The size of a ``/NAME size Tf`` line (for a line tf_resource names)."""
    match = _TF_SIZE.match(item)
    _require(match, "content stream Tf", f"expected '/NAME size Tf', found {item[:40]!r}")
    return float(match.group(1))


def moved_text_matrix(item: bytes, dx: float) -> bytes:
    """An ``a b c d e f Tm`` line with its position moved right by ``dx``."""
    match = re.fullmatch(rb"((?:\S+ ){4})(\S+)( \S+ Tm)", item)
    _require(match, "content stream Tm", f"expected 'a b c d e f Tm', found {item[:40]!r}")
    x = f"{float(match.group(2)) + dx:.6f}".rstrip("0").rstrip(".")
    return match.group(1) + x.encode() + match.group(3)


def page_streams(pdf: pydyf.PDF) -> list[pydyf.Stream]:
    """Each page's content stream, in page order (WeasyPrint writes one per page)."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
            stream = resolve(pdf, obj.get("Contents"))
            _require(isinstance(stream, pydyf.Stream) and isinstance(stream.stream, list),
                     "Page /Contents", f"expected one stream of lines, found {_kind(stream)}")
            found.append(stream)
    return found
