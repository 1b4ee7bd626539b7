"""Article + layout → HTML string (Jinja2: strict undefined, autoescape on)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from pressroom import __version__
from pressroom.errors import LayoutError
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
_BREAK_AFTER = re.compile(r"(//|[/.@\-])(?=.)")
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
    """URLs and e-mail addresses in ``html`` with a zero-width space after each ``/ . @ -``
    (``//`` as one), so that a line may break there, without a hyphen, instead of leaving
    the whole address to the next line and wide word gaps on this one. Each address is put in
    a ``<span class="address">`` that the layout sets left to right, so that the ``-`` or ``@``
    ending a broken line stays at the end of its piece instead of moving to the line's far end
    as a neutral character of a right-to-left line would."""
    def allow(text: str) -> str:
        core = text.rstrip(_TRAILING)
        broken = _BREAK_AFTER.sub(rf"\1{ZERO_WIDTH_SPACE}", core)
        return f'<span class="address">{escaped(broken)}</span>{escaped(text[len(core):])}'

    return sub_text(html, _ADDRESS, allow)


_TAG_OR_TEXT = re.compile(r"<[^<>]*>|[^<]+|<")
#: Inline elements whose spaces are not the text's own word spaces: a footnote's text (set at
#: the page's foot: a quote ending with a call had its note's last words joined) and code (whose
#: text bidi.py rewrites, the joiner turned into a character no release could take out).
_NOT_WORD_SPACES = re.compile(r'<(code)\b|<(span)\b[^>]*\bclass="footnote"')


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


def keep_last_words(text: str | Markup) -> Markup:
    """``text`` (three words or more; HTML when it is Markup, a pull quote's) with no line break
    allowed between its last two words, so that a title, a deck or a pull quote never ends with
    one word alone on its line (WeasyPrint 70 has no ``text-wrap: balance``). A dash or slash
    inside them ("2008–2014") is left alone: bidi.py puts such a run in a span of its own, which
    the layout keeps whole (``.title .ltr``)."""
    html = str(text) if isinstance(text, Markup) else str(escape(text))
    spaces = _word_spaces(html)
    if len(spaces) < 2:
        return Markup(html)
    words = [_TAG_OR_TEXT.sub(lambda m: "" if m.group().startswith("<") else m.group(), piece)
             for piece in (html[:spaces[-2]], html[spaces[-2] + 1:spaces[-1]], html[spaces[-1] + 1:])]
    if not all(word.strip() for word in words):
        return Markup(html)
    return Markup(f"{html[:spaces[-1]]}{KEPT_SPACE}{html[spaces[-1] + 1:]}")


def release_last_words(html: str) -> str:
    """The HTML without ``keep_last_words``' joins: for a pair too wide for its line."""
    return html.replace(KEPT_SPACE, " ").replace(WORD_JOINER, "")


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
        html = spaces_inside(isolate_runs(html, direction)) if isolate else html
        return Markup(put_back(breakable_addresses(html), formulas))

    def own_direction(value: str) -> Markup:
        other = other_direction(str(value), direction) if isolate else None
        return Markup(f' dir="{other}"' if other else "")

    env.filters["runs"] = runs
    env.globals["joiner"] = Markup(END_JOINER)
    env.filters["own_direction"] = own_direction
    env.filters["keep_last_words"] = keep_last_words
    return env


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
    )
    figures = article.figures
    lead = figures[0] if figures else None
    body = [b for b in article.blocks if b is not lead]
    return fill(env, folder, TEMPLATE, article=article, images=images, lead=lead, body=body,
                end_block=end_block(body), in_issue=in_issue)


def end_block(body: list) -> object | None:
    """The block the end mark closes: the body's last block of the article's own text,
    whatever it is (paragraph, quote, list, table, sidebar); not a figure, a heading or a pull
    quote (display type repeating the text), which the text before them closes."""
    text = [b for b in body if not isinstance(b, (Figure, Heading)) and not (isinstance(b, Quote) and b.pull)]
    return text[-1] if text else None
