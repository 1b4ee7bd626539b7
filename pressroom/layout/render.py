"""Article + layout → HTML string (Jinja2: strict undefined, autoescape on)."""

from __future__ import annotations

import functools
import re
import unicodedata
from html import unescape
from itertools import pairwise
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from pressroom import __version__
from pressroom.errors import LayoutError
from pressroom.layout import tables
from pressroom.layout.bidi import ZERO_WIDTH_SPACE, escaped, isolate_runs, other_direction, sub_text
from pressroom.layout.images import ResolvedImage
from pressroom.model import Article, Definitions, Figure, Heading, List, Paragraph, Quote, Sidebar, Table

TEMPLATE = "article.html.j2"
#: Templates every layout may import (``{% from "blocks.html.j2" import block_html with context %}``:
#: the article's blocks as HTML); a file of the same name in the layout's folder wins.
LIBRARY = Path(__file__).resolve().parent.parent / "templates"

_ADDRESS = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"                              # URLs
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"         # e-mail addresses
)
#: Where an address may break: after a slash (``//`` as one), before a dot, an ``@`` or a hyphen
#: (not one that follows another such mark, "xn--", nor the address's last character), so that no
#: line ends on a dot read as the sentence's full stop ("…soil-life." above "example.org") or on a
#: hyphen read as the word's (Chicago breaks before a dot or hyphen; before a single slash too,
#: where this breaks after it, as most web typesetting does).
_BREAK_AT = re.compile(r"(//|/)(?=.)|(?<=[^./@\-])([.@\-])(?=.)")
#: Punctuation after an address that ends the sentence, not the address: left outside its
#: left-to-right span, so that an Arabic comma after a URL stays on the URL's reading side.
_TRAILING = ".,:;!?'’)»\u060c\u061b\u061f"
#: What ``keep_last_words`` puts after the space between the last two words, to forbid a line
#: break there: a word joiner, invisible and extracted by no reader (a no-break
#: space is extracted as such, and pypdf then misorders the Arabic around it). Spelt as an
#: entity so that ``release_last_words`` finds exactly those (the source's own are characters).
WORD_JOINER = "&#x2060;"
KEPT_SPACE = " " + WORD_JOINER
#: Before the end mark (an inline block after the closing block's text): a word joiner, as a
#: character (``release_last_words`` takes out only the entities), so that the mark is never
#: left alone on a line of its own (the last word goes with it).
END_JOINER = "\u2060"

#: The space between a number and the currency sign after it ("10 $", "25–60 €"): no line breaks
#: there (a word joiner after it), so that the sign never starts a line alone (a narrow table
#: cell set "25–60" above "$").
_SIGN_AFTER_NUMBER = re.compile(r"(?<=[0-9\u0660-\u0669\u06F0-\u06F9]) (?=[$€£¥₪](?!\w))")

#: The space between a number and the unit after it ("5 مل", "10 كم", "120 ملغ", "6–8 ساعات",
#: "5 kg"): no line break there (a word joiner after it, as after a number before its sign), so
#: that a narrow table heading never sets "5" at a line's end and "مل" on the next. Units are
#: whole words: Arabic abbreviations and units of measure and time, and SI symbols.
_UNIT_AFTER_NUMBER = re.compile(
    r"(?<=[0-9\u0660-\u0669\u06F0-\u06F9]) (?=(?:"
    r"مل|ملغ|مغ|ملم|مم|سم|م|كم|كغ|كلغ|غ|غم|ل|لتر|لترات|كيلو|كيلوغرام|كيلومتر|كيلومترات|متر|أمتار"
    r"|غرام|غرامات|طن|أطنان|دقيقة|دقائق|ساعة|ساعات|يوم|أيام|درجة|درجات|واط|كيلوواط|ميغاواط|هكتار"
    r"|mg|ml|mL|g|kg|km|m|cm|mm|l|L|t|h|min|s|°C|°F|W|kW|MW|GB|MB|TB|kB)"
    r"(?![\w\u0600-\u06FF]))")

#: The spaces around the dash of a spaced range of numbers ("1990 – 1999", "٢٠٢١ – ٢٠٢٣"): no
#: line break at either (a word joiner after each), so that a line never ends before the dash
#: nor starts with it.
_SPACED_RANGE = re.compile(
    r"(?<=[0-9\u0660-\u0669\u06F0-\u06F9]) (?=[\u2013\u2014-] [0-9\u0660-\u0669\u06F0-\u06F9])"
    r"|(?<=[0-9\u0660-\u0669\u06F0-\u06F9] [\u2013\u2014-]) (?=[0-9\u0660-\u0669\u06F0-\u06F9])")

#: The space between a weekday and the day's number after it ("الأربعاء 12", "Wednesday 12"): no
#: line break there either (a word joiner after it, as after a number before its sign), so that a
#: narrow table cell never sets the day above its date. Arabic weekdays with their article (and a
#: conjunction or preposition before it: "والخميس 13"; "أحد" alone is "one"), English ones whole.
_WEEKDAY_BEFORE_DAY = re.compile(
    r"(?<![\w\u0600-\u06FF])(?:(?:[\u0648\u0641\u0628\u0644]?\u0627\u0644|\u0644\u0644)"
    r"(?:\u0623\u062d\u062f|[\u0627\u0625]\u062b\u0646\u064a\u0646|\u062b\u0644\u0627\u062b\u0627\u0621"
    r"|\u0623\u0631\u0628\u0639\u0627\u0621|\u062e\u0645\u064a\u0633|\u062c\u0645\u0639\u0629|\u0633\u0628\u062a)"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
    r"[ \u00a0](?=[0-9\u0660-\u0669\u06F0-\u06F9])")

#: Words the layout prints itself, by language.
STRINGS = {
    "ar": {"missing": "الصورة غير متوفرة", "photo": "صورة", "contents": "في هذا العدد",
           "issue": "العدد", "cover": "الغلاف", "contents_label": "المحتويات"},
    "en": {"missing": "Image not available", "photo": "Photo", "contents": "In this issue",
           "issue": "Issue", "cover": "Cover", "contents_label": "Contents"},
    "fa": {"missing": "تصویر در دسترس نیست", "photo": "عکس", "contents": "در این شماره",
           "issue": "شماره", "cover": "جلد", "contents_label": "فهرست"},
    "ur": {"missing": "تصویر دستیاب نہیں", "photo": "تصویر", "contents": "اس شمارے میں",
           "issue": "شمارہ", "cover": "سرورق", "contents_label": "فہرست"},
}


def words(lang: str) -> dict[str, str]:
    """The layout's own words in ``lang`` (its primary subtag, any case), English when it has none."""
    return STRINGS.get(lang.split("-")[0].lower(), STRINGS["en"])


def library() -> list[str]:
    """The names of the templates every layout may import (LIBRARY)."""
    return sorted(p.name for p in LIBRARY.glob("*.j2"))


def available_layouts(layouts: Path) -> list[str]:
    """Names of the folders under layouts/ that hold an article template."""
    if not layouts.is_dir():
        return []
    return sorted(p.parent.name for p in layouts.glob(f"*/{TEMPLATE}"))


def layout_folder(layouts: Path, name: str) -> Path:
    """The folder of layout ``name``, or a LayoutError listing the ones there are."""
    folder = layouts / name
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / TEMPLATE).is_file():
        names = ", ".join(available_layouts(layouts)) or "none"
        raise LayoutError(f"unknown layout {name!r} (available: {names})", layouts)
    return folder


def breakable_addresses(html: str) -> str:
    """URLs and e-mail addresses in ``html`` with a zero-width space after each ``/`` (``//``
    as one) and before each ``. @ -`` (_BREAK_AT), so that a line may break there, without a
    hyphen, instead of leaving the whole address to the next line and wide word gaps on this
    one (not after a hyphen, where a line may break by Unicode's rules: a word joiner after it).
    Each address is put in a ``<span class="address">`` that the layout sets left to
    right, so that the ``/`` ending a broken line, or the ``.`` starting the next, stays at its
    piece's end or start instead of moving to the line's far end as a neutral character of a
    right-to-left line would."""
    def allow(text: str) -> str:
        core = text.rstrip(_TRAILING)
        broken = _BREAK_AT.sub(lambda m: m[1] + ZERO_WIDTH_SPACE if m[1] else ZERO_WIDTH_SPACE + m[2], core)
        broken = broken.replace("-", "-" + SPACE_JOINER)  # (not after it: Pango's own break)
        return f'<span class="address">{escaped(broken)}</span>{escaped(text[len(core):])}'

    return sub_text(html, _ADDRESS, allow)


_TAG_OR_TEXT = re.compile(r"<[^<>]*>|[^<]+|<")
#: Inline elements whose spaces are not the text's own word spaces: a footnote's text (set at
#: the page's foot: a quote ending with a call had its note's last words joined), code (whose
#: text bidi.py rewrites, the joiner turned into a character no release could take out) and a
#: formula (sources/tex.py: one word, which a joiner inside left alone on the paragraph's last line).
_NOT_WORD_SPACES = re.compile(r'<(code)\b|<(span)\b[^>]*\bclass="(?:footnote|math)\b')


def _word_spaces(html: str) -> list[int]:
    """Where the spaces between the words of ``html`` are: outside tags, footnotes and code."""
    found: list[int] = []
    skipped, depth = "", 0
    for match in _TAG_OR_TEXT.finditer(html):
        piece = match.group()
        if skipped:
            name = re.match(r"</?([A-Za-z0-9]+)", piece)
            if name and name.group(1).lower() == skipped:
                depth += -1 if piece.startswith("</") else 1
                skipped = skipped if depth else ""
        elif piece.startswith("<"):
            opened = _NOT_WORD_SPACES.match(piece)
            if opened:
                skipped, depth = (opened.group(1) or opened.group(2)).lower(), 1
        else:
            found += [match.start() + offset for offset, char in enumerate(piece) if char == " "]
    return found


def keep_last_words(text: str | Markup, lang: str = "") -> Markup:
    """``text`` (three words or more; HTML when it is Markup, a pull quote's) with no line break
    allowed between its last two words, so that a title, a deck or a pull quote never ends with
    one word alone on its line (WeasyPrint 70 has no ``text-wrap: balance``). A dash or slash
    inside them ("2008–2014") is left alone: bidi.py puts such a run in a span of its own, which
    the layout keeps whole (``.title .ltr``); nor two words of a run in the other direction
    ("فريق Desert Riders": _inside_a_run). With ``lang``, no line ends on a function word of
    that language either (``keep_particles``)."""
    html = str(text) if isinstance(text, Markup) else str(escape(text))
    spaces = _word_spaces(html)
    if len(spaces) >= 2:
        words = [_plain(piece) for piece in (html[:spaces[-2]], html[spaces[-2] + 1:spaces[-1]],
                                              html[spaces[-1] + 1:])]
        if all(word.strip() for word in words) and not _inside_a_run(html, spaces[-1], _minority(html, lang)):
            html = f"{html[:spaces[-1]]}{KEPT_SPACE}{html[spaces[-1] + 1:]}"
    return keep_particles(Markup(html), lang) if lang else Markup(html)


#: Short function words a line of display type must not end on (a preposition, a conjunction or
#: a particle: "…من سيوة إلى" above the place it goes to), by the language's primary subtag:
#: ``keep_particles`` binds each to the word after it. Not Urdu's postpositions, which follow
#: their noun. In an Arabic text only Arabic words are bound (a Latin phrase in it is a run of
#: its own, bidi.py, which a joiner inside would cut in two, drawn in the wrong order).
PARTICLES = {
    "ar": frozenset("من إلى الى في على عن مع و أو او ثم بين حتى منذ عند لدى نحو ضد دون عبر "
                    "لا لم لن قد أن إن ان كي بل أم لكن هل ومن وإلى وفي وعلى وعن ومع ولا وبين "
                    "وحتى ومنذ".split()),
    "fa": frozenset("از به در با و که تا برای بر یا بی بین".split()),
    "en": frozenset("a an the of to in on at by for from with and or but nor as into onto via "
                    "&".split()),
}
#: What may stand before or after a function word and still leave it one (an opening bracket or
#: quote before it).
_OPENING = "(«\"“‘'[«"
#: A word after a function word longer than this (characters) is not bound to it: an address or
#: a long compound, which the pair could not fit in a narrow column.
_BOUND_MAX = 16


def _language(lang: str) -> str:
    return (lang or "").split("-")[0].lower()


def _plain(html: str) -> str:
    """The text of ``html``: tags left out, entities read."""
    return unescape(_TAG_OR_TEXT.sub(lambda m: "" if m.group().startswith("<") else m.group(), html))


_LEFT_TO_RIGHT = ("L", "EN", "AN")
_RIGHT_TO_LEFT = ("R", "AL")


#: Languages written right to left (primary subtags).
_RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "ckb", "dv"}


def _minority(html: str, lang: str) -> tuple[str, ...]:
    """The bidi classes of the direction other than the text's: its language's, else its first
    strong letter's (as ``dir="auto"`` reads it) — the runs bidi.py cuts out of the text."""
    code = _language(lang)
    if not code:
        first = next((k for k in map(unicodedata.bidirectional, _plain(html))
                      if k in ("L", *_RIGHT_TO_LEFT)), "L")
        return _LEFT_TO_RIGHT if first in _RIGHT_TO_LEFT else _RIGHT_TO_LEFT
    return _LEFT_TO_RIGHT if code in _RTL_LANGUAGES else _RIGHT_TO_LEFT


def _inside_a_run(html: str, space: int, minority: tuple[str, ...]) -> bool:
    """Whether the space at ``space`` stands between two words of a run in the text's other
    direction ("Desert Riders" in an Arabic title): bidi.py makes such a run one span, and a
    joiner after the space cut it in two, each drawn on its own and in the text's order
    ("Riders Desert")."""
    before, after = _plain(html[:space]).rstrip(), _plain(html[space + 1:]).lstrip(" \u2060")
    return bool(before and after and unicodedata.bidirectional(before[-1]) in minority
                and unicodedata.bidirectional(after[0]) in minority)


def keep_particles(text: str | Markup, lang: str) -> Markup:
    """``text`` (HTML when it is Markup) with no line break allowed after a short function word
    of ``lang`` (PARTICLES): each such word goes to the next line with the word after it, so
    that a title, a deck, a heading, a pull quote or a caption never ends a line on "من" or
    "إلى", "of" or "and". The space stays a space, and the same joiner as ``keep_last_words``'
    (KEPT_SPACE) forbids the break: readers extract the space and nothing else, and
    ``release_last_words`` lets these go too."""
    html = str(text) if isinstance(text, Markup) else str(escape(text))
    words = PARTICLES.get(_language(lang))
    spaces = _word_spaces(html)
    if not words or not spaces:
        return Markup(html)
    bounds, minority = [-1, *spaces, len(html)], _minority(html, lang)
    out, last = [], 0
    for i, space in enumerate(spaces, start=1):
        before = _plain(html[bounds[i - 1] + 1:space]).strip().lstrip(_OPENING)
        after = _plain(html[space + 1:bounds[i + 1]]).strip()
        if before.lower() not in words or not after or len(after) > _BOUND_MAX \
                or html.startswith(WORD_JOINER, space + 1) or _inside_a_run(html, space, minority):
            continue
        out += [html[last:space], KEPT_SPACE]
        last = space + 1
    return Markup("".join([*out, html[last:]]))


def release_last_words(html: str) -> str:
    """The HTML without ``keep_last_words``' joins: for a pair too wide for its line."""
    return html.replace(KEPT_SPACE, " ").replace(WORD_JOINER, "")


#: What ``keep_paragraph_end`` puts after the space between a paragraph's last two words: the same
#: invisible word joiner, as a character, which ``release_last_words`` (for a title's pair too wide
#: for its line) leaves alone.
PARAGRAPH_JOINER = "\u2060"
#: The last two words (with what closes them) kept together only when no longer than this
#: (characters): less than half of the magazine's column, so that the line before, which gives
#: its last word, never ends under half the column (checks.short_lines).
PARAGRAPH_END_MAX = 30
#: …and no wider than this (ems of the text's size, as the body faces draw its characters:
#: _width), so that the pair fits the narrowest line a body paragraph, list item, definition or
#: sidebar's paragraph has in the layouts (the magazine's column is 22.5 em, a list item's or a
#: sidebar's line about 20: tests/test_runts.py measures them): 28 letters as wide as "ڪ" or
#: "ﷲ" did not fit the pocket's line, 118 mm, and were broken inside a word.
PARAGRAPH_END_EMS = 15.0
#: The body faces (fonts/), whose advances measure a pair; a character none has counts 1 em.
_BODY_FACES = ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Slanted.ttf", "Amiri-BoldSlanted.ttf")
_FALLBACK_FACES = ("NotoSansMath-Regular.ttf",)


@functools.cache
def _advances() -> dict[int, float]:
    """Each character's advance (ems) in the body faces, the widest face's (bold is wider), then
    in the fallback faces for those the body faces lack; read once."""
    # (imported here: cssdiag imports WeasyPrint, which a batch with nothing to build must not,
    # and record.shared_key imports this module)
    from pressroom.layout.cssdiag import font_programs
    from pressroom.project import PACKAGED  # (the package's fonts: what the layouts name)

    widths: dict[int, float] = {}
    for names in (_FALLBACK_FACES, _BODY_FACES):  # (the body faces' widths win)
        found: dict[int, float] = {}
        for name in names:
            for font in font_programs(PACKAGED / "fonts" / name):
                metrics, units = font["hmtx"], font["head"].unitsPerEm
                for code, glyph in (font.getBestCmap() or {}).items():
                    found[code] = max(found.get(code, 0.0), metrics[glyph][0] / units)
                font.close()
        widths.update(found)
    return widths


def _width(text: str) -> float:
    """How wide ``text`` is at most, in ems, its characters unshaped (a joined Arabic form is no
    wider than the letter alone, a ligature no wider than its letters)."""
    advances = _advances()
    return sum(0.0 if unicodedata.category(char) in ("Cf", "Mn") else advances.get(ord(char), 1.0)
               for char in text)
#: A word: text between spaces that holds a letter or a digit (a quote or a dash alone is none).
_WORDY = re.compile(r"\w")


#: The end of a group of digits before the space inside a number written in groups ("+961 1 234
#: 567", "1 234 567"): bidi.py keeps such a number one run, whole on its line, so the number is one
#: word here (a joiner between its groups cut the run in two, read out of order by pdfium and pypdf).
_GROUPED = re.compile(r"\d$")
#: A slash between two letters ("شباط/فبراير"), where a line may break too: not in the last pair
#: (delivery-riders.md ended a paragraph on "يناير:" alone after "كانون الثاني/").
_SLASH_IN_WORD = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")
#: A footnote's text, set at the page's foot: no part of the word its call follows.
_NOTE = re.compile(r'<span\b[^>]*\bclass="footnote"[^>]*>(?:[^<]|<(?!/?span\b)[^>]*>)*</span>')


def keep_paragraph_end(text: str | Markup, direction: str) -> Markup:
    """``text`` (a body paragraph's, list item's or caption's HTML) with no line break allowed
    between its last two words, nor before what follows them between spaces (a closing quote or dash set
    apart), so that the paragraph never ends with one word alone on its line (a runt). The
    space stays a space, a word joiner after it (PARAGRAPH_JOINER): readers extract the space
    alone. Short paragraphs too: one of two lines ending on one word is the plainest runt, and
    its first line, which gives a word, takes the stretch in kashidas (kashida.py) or spaces.
    Left as it is: a pair longer than PARAGRAPH_END_MAX or wider than PARAGRAPH_END_EMS (which
    no line could hold whole: it was broken inside a word); one that holds an address (URLs and
    e-mail addresses break at their own places, breakable_addresses) or a word in the other
    direction than the paragraph's (a Latin run of an Arabic paragraph: bidi.py makes it a span
    of its own, which a joiner beside it would part from the line's order). ``direction``: the
    article's; a paragraph wholly in the other one (bidi.other_direction) is read in its own."""
    html = str(text) if isinstance(text, Markup) else str(escape(text))
    spaces = _word_spaces(html)
    if len(spaces) < 2:
        return Markup(html)
    bounds = [-1, *spaces, len(html)]
    tokens = [_plain(_NOTE.sub("", html[bounds[i] + 1:bounds[i + 1]])) for i in range(len(bounds) - 1)]
    grouped = {i for i, token in enumerate(tokens)
               if i and _GROUPED.search(tokens[i - 1]) and token[:1].isdigit()}
    wordy = [i for i, token in enumerate(tokens) if _WORDY.search(token) and i not in grouped]
    if len(wordy) < 2:
        return Markup(html)
    first = wordy[-2]
    pair = " ".join(token for token in tokens[first:] if token.strip()).strip()
    own = other_direction(html, direction) or direction
    against = ("L",) if own == "rtl" else _RIGHT_TO_LEFT
    # (a formula is a left-to-right span of its own, set aside from bidi.py's runs: no run to cut)
    letters = _plain(_FORMULA.sub("", _NOTE.sub("", html[bounds[first] + 1:])))
    if len(pair) > PARAGRAPH_END_MAX or _width(pair) > PARAGRAPH_END_EMS or _ADDRESS.search(pair) \
            or "@" in pair \
            or any(unicodedata.bidirectional(char) in against for char in letters):
        return Markup(html)
    joined = [space for k, space in enumerate(spaces) if k >= first and k + 1 not in grouped]
    out, last = [], 0
    for space in joined:
        out += [html[last:space], " ", PARAGRAPH_JOINER]
        last = space + 1
    head = "".join(out[:1])
    tail = sub_text("".join([*out[1:], html[last:]]), _SLASH_IN_WORD, lambda slash: slash + PARAGRAPH_JOINER)
    return Markup(head + tail)


#: The blocks whose last words are kept together: the opener's, and pull quotes.
KEPT_BLOCKS = ("title", "deck", "pull")


#: Inline elements a space between two boxes may go into: emphasis only, set in the faces of one
#: family, all of one space width, undecorated (not a link's underline, code's face or a strike
#: through it, which a moved space changed on the page), and not the runs bidi.py makes.
_INLINE = r"(?:em|strong|b|i)"
_SPACE_BEFORE = re.compile(rf"(</span>|</{_INLINE}>)([ \u00a0]+)((?:<{_INLINE}\b[^>]*>)+)")
_SPACE_AFTER = re.compile(rf"((?:</{_INLINE}>)+)([ \u00a0]+)(?=<span\b)")
#: A space still alone between two inline boxes once those are moved (before or after a link,
#: inline code or struck-out words, whose decoration a space moved into them would show).
_SPACE_BETWEEN = re.compile(r"(</[a-z]+>)([ \u00a0]+)(?=<[a-z])")
#: What goes before such a space: a word joiner (invisible, read by no reader, and no break
#: before a space: the break after it stays).
SPACE_JOINER = "\u2060"


def spaces_inside(html: str) -> str:
    """``html`` with the spaces alone between two inline boxes moved into one of them when it is
    emphasis (_INLINE): the start of the emphasis after a run or a span ("2027 *بكلفة*"), else
    the end of the one before it ("**عام** 2025"). WeasyPrint draws no text box of spaces alone
    between two inline elements, so no space was written between them and pypdf and pdf.js read
    "2027بكلفة", "عام2025"; inside a box of letters the space is drawn, the same width (in a
    justified line it takes its share of the stretch, as the others do). Before or after a
    link, code or struck-out words it stays where it is (moved in, it was underlined, set in
    code's face or struck through), after a word joiner (_SPACE_BETWEEN): a box of a joiner and a
    space is not spaces alone, so WeasyPrint draws it, in a text object of its own (the joiner
    draws nothing, reads as nothing and keeps the break after the space), where
    glyphfold._space_read makes pdf.js keep it and kashida.py leaves its width alone."""
    html = _SPACE_BEFORE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), html)
    html = _SPACE_AFTER.sub(lambda m: m.group(2) + m.group(1), html)
    return _SPACE_BETWEEN.sub(lambda m: m.group(1) + SPACE_JOINER + m.group(2), html)


#: A formula (sources/tex.py): a left-to-right span of its own, which bidi.py's runs and the
#: address breaks leave alone (its letters, digits and operators in the order written).
_FORMULA = re.compile(r'<span class="math(?: whole)?" dir="ltr">.*?</span>', re.DOTALL)
#: What stands for a formula while the rest is cut into runs: a neutral character (bidi class ON,
#: in no run of bidi.py), as a formula is between the words around it.
_HELD = "\ufffc"


def set_aside(html: str) -> tuple[str, list[str]]:
    """``html`` with each formula replaced by _HELD, and the formulas, in order. A _HELD in the
    text itself stands for nothing (sources/content.py leaves it out of a source, with a warning):
    it is left out here too, or the formulas would be put back in wrong places (or not set aside)."""
    html = html.replace(_HELD, "")
    formulas = _FORMULA.findall(html)
    return (_FORMULA.sub(_HELD, html) if formulas else html), formulas


def put_back(html: str, formulas: list[str]) -> str:
    """The formulas ``set_aside`` took out, back in their places."""
    if not formulas:
        return html
    pieces = html.split(_HELD)
    return "".join(p + (formulas[i] if i < len(formulas) else "") for i, p in enumerate(pieces))


def environment(folder: Path, direction: str, isolate: bool = True) -> jinja2.Environment:
    """The Jinja2 environment of a layout: strict, autoescaping, with the ``runs`` filter that
    isolates numbers and Latin runs in right-to-left text (bidi.py) and lets addresses break,
    ``own_direction`` (` dir="ltr"` for a paragraph wholly in the other direction, an English
    quote in an Arabic article: its last line and indent on its own start side) and
    ``keep_last_words``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([folder, LIBRARY]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )

    def runs(value: str) -> Markup:
        html = value if isinstance(value, Markup) else escape(value)
        html, formulas = set_aside(str(html))
        html = sub_text(html, _SIGN_AFTER_NUMBER, lambda space: space + END_JOINER)
        html = sub_text(html, _UNIT_AFTER_NUMBER, lambda space: space + END_JOINER)
        html = sub_text(html, _SPACED_RANGE, lambda space: space + END_JOINER)
        html = sub_text(html, _WEEKDAY_BEFORE_DAY, lambda day: escaped(day) + END_JOINER)
        html = spaces_inside(isolate_runs(html, direction)) if isolate else html
        return Markup(put_back(breakable_addresses(html), formulas))

    def own_direction(value: str) -> Markup:
        other = other_direction(str(value), direction) if isolate else None
        return Markup(f' dir="{other}"' if other else "")

    env.filters["runs"] = runs
    env.filters["decimal_pads"] = tables.decimal_pads
    env.tests["dense_table"] = lambda b: isinstance(b, Table) and tables.dense(b)
    env.globals["joiner"] = Markup(END_JOINER)
    env.filters["own_direction"] = own_direction
    @jinja2.pass_context
    def kept_last_words(context: jinja2.runtime.Context, value: str) -> Markup:
        return keep_last_words(value, _context_lang(context, direction))

    @jinja2.pass_context
    def kept_particles(context: jinja2.runtime.Context, value: str) -> Markup:
        return keep_particles(value, _context_lang(context, direction))

    env.filters["keep_last_words"] = kept_last_words
    env.filters["keep_paragraph_end"] = lambda value: keep_paragraph_end(value, direction)
    env.filters["keep_particles"] = kept_particles
    return env


def _context_lang(context: jinja2.runtime.Context, direction: str) -> str:
    """The language of what a template sets: its article's, else its issue's; Arabic or English
    by the direction when neither says."""
    for name in ("article", "issue"):
        lang = getattr(context.get(name), "lang", None)
        if isinstance(lang, str) and lang:
            return lang
    return "ar" if direction == "rtl" else "en"


def fill(env: jinja2.Environment, folder: Path, template: str, **context) -> str:
    """Render one of the layout's templates; template errors become LayoutErrors naming it."""
    try:
        return env.get_template(template).render(version=__version__, strings=STRINGS, **context)
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(f"template error: {exc.message}", exc.filename or folder,
                          exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        if exc.name != template:  # one the template imports or includes
            raise LayoutError(f"template error: no template {exc.name} in the layout's folder nor "
                              f"among those every layout may import ({', '.join(library())})",
                              folder / template) from None
        raise LayoutError(f"the layout has no {exc.name}", folder) from None
    except jinja2.TemplateError as exc:
        raise LayoutError(f"template error: {exc}", folder / template) from None


#: A photo this much taller than wide, or more, is a portrait: a crop keeps its top, and as the lead
#: photo it is set in a column beside the text (one not marked {.wide} or {.bleed}).
PORTRAIT = 1.1


def is_portrait(image: ResolvedImage | None) -> bool:
    """Whether a found photo is a portrait one (PORTRAIT times as tall as wide, or more)."""
    return bool(image and image.path and image.width and image.height >= PORTRAIT * image.width)


def portrait_lead(lead: Figure, image: ResolvedImage | None) -> bool:
    """Whether the lead photo may be set as a portrait one (a layout's own way: the pocket edition
    sets it narrower than the text, centred; the magazine, only where it is marked {.portrait},
    heads the body's first column with it, the text beside it — unmarked, the figure placement
    left pages short around it on generated articles): marked {.portrait}, or a portrait photo
    not marked {.wide} or {.bleed} (which ask for the opener's band across the page)."""
    return not lead.bleed and not lead.row and (lead.portrait or (not lead.wide and is_portrait(image)))


def focus(figure: Figure, image: ResolvedImage | None) -> str:
    """Where a crop keeps ``figure``'s photo, as an object-position's vertical part: the author's
    {focus=…}, else its top third for a portrait photo (a face stays in), else its centre."""
    return figure.focus or ("0%" if is_portrait(image) else "50%")


def render(article: Article, images: dict[Figure, ResolvedImage], folder: Path, *,
           isolate: bool = True, in_issue: str = "") -> str:
    """Fill the layout's template with the article (``isolate``: see bidi.py; off only to
    compare; ``in_issue``: "recto" or "verso", the side an article of an issue starts on —
    the issue stamps running heads and folios on its pages)."""
    env = environment(folder, article.direction, isolate)
    env.tests.update(
        figure=lambda b: isinstance(b, Figure),
        heading=lambda b: isinstance(b, Heading),
        quote=lambda b: isinstance(b, Quote),
        paragraph=lambda b: isinstance(b, Paragraph),
        list=lambda b: isinstance(b, List),
        definitions=lambda b: isinstance(b, Definitions),
        table=lambda b: isinstance(b, Table),
        sidebar=lambda b: isinstance(b, Sidebar),
        introducing=introduces,
        spanning_table=lambda b: isinstance(b, Table) and tables.spans(b),
        portrait_lead=lambda b: isinstance(b, Figure) and portrait_lead(b, images.get(b)),
    )
    env.filters["focus"] = lambda fig: focus(fig, images.get(fig))
    figures = article.figures
    lead = figures[0] if figures else None
    body = [b for b in article.blocks if b is not lead]
    kept = kept_introductions(body)
    env.tests["kept_introduction"] = lambda b: id(b) in kept
    return fill(env, folder, TEMPLATE, article=article, images=images, lead=lead, body=body,
                end_block=end_block(body), in_issue=in_issue)


#: What ends a paragraph that introduces the block after it: a colon (Arabic text uses the same
#: one; the full-width one of East Asian text too), before any closing quote or bracket.
_INTRODUCING = re.compile(r"[:\uff1a][\s\"'”’»)\]]*$")


#: An introducing paragraph this long (characters) or shorter is made a lead-in (kept_introductions):
#: under three lines of the magazine's column, which its orphans and widows (2 and 2) never let
#: split, so that it is whole, as a heading is, wherever the layout puts it (a longer one was cut
#: across two columns, its first part a "heading" alone at the column's foot: checks.lone_headings).
INTRODUCING_WHOLE = 150


def introduces(block: object) -> bool:
    """Whether ``block`` is a paragraph ending in a colon ("…قالت المحكمة:", "as follows:"): it
    introduces what comes after it (a quote, a list, a table), which it must not be parted
    from by a column or a page break."""
    return isinstance(block, Paragraph) and bool(_INTRODUCING.search(block.text))


def kept_introductions(body: list) -> set[int]:
    """The ids of the body's short paragraphs (INTRODUCING_WHOLE) ending in a colon right before a
    quote (not a pull quote) or a table: made lead-ins, which the figure placement keeps with the
    block after them as it keeps a heading (figures.heads). WeasyPrint's column balancing alone
    parted them: the break between two balanced columns fell right after "…قالت المحكمة:"
    (tests/test_type_details.py), though the layouts ask ``break-after: avoid``. Not before a
    list, which WeasyPrint kept with the paragraph before it, and which, made a lead-in's text,
    sent a photo of delivery-riders.md (pocket) from its page's top to mid-page."""
    return {id(block) for block, after in pairwise(body)
            if introduces(block) and len(block.text) <= INTRODUCING_WHOLE
            and (isinstance(after, Table) or (isinstance(after, Quote) and not after.pull))}


def end_block(body: list) -> object | None:
    """The block the end mark closes: the body's last block of the article's own text,
    whatever it is (paragraph, quote, list, table, sidebar); not a figure, a heading or a pull
    quote (display type repeating the text), which the text before them closes."""
    text = [b for b in body if not isinstance(b, (Figure, Heading)) and not (isinstance(b, Quote) and b.pull)]
    return text[-1] if text else None
