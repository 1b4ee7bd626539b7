"""The article data model: frozen dataclasses, parsed once at load and read by every stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ckb", "dv"})
#: Languages that write extended Arabic-Indic digits (۰۱۲…۹, U+06F0–U+06F9), not Arabic's ٠١٢…٩.
PERSIAN_DIGIT_LANGUAGES = frozenset({"fa", "ur", "ps"})
#: Languages that write Arabic-Indic digits (٠١٢…٩, U+0660–U+0669): Arabic and Sorani Kurdish
#: (Hebrew, Yiddish, Uyghur, Sindhi and Dhivehi, right to left too, number in 0–9 here).
ARABIC_DIGIT_LANGUAGES = frozenset({"ar", "ckb"})


def counter_style(lang: str) -> str:
    """The CSS counter style (one WeasyPrint predefines) a language numbers its folios, list
    items, footnotes and an issue's page labels in: "persian" for Persian, Urdu and Pashto,
    "arabic-indic" for Arabic and Sorani Kurdish, "decimal" otherwise."""
    primary = lang.split("-")[0].lower()
    if primary in PERSIAN_DIGIT_LANGUAGES:
        return "persian"
    return "arabic-indic" if primary in ARABIC_DIGIT_LANGUAGES else "decimal"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: plain text for checks, inline HTML (already escaped) for the page.
    ``lead_in``: a body paragraph wholly in bold (an interview's question, a lead-in), or a
    question after its asker's name in bold ("**الاسم:** سؤال؟"), which the layouts keep with the
    first lines of the text after it, as a sub-heading."""

    text: str
    html: str
    line: int | None = None
    lead_in: bool = False
    formula: bool = False  # a formula set apart ($$…$$ on lines of its own: sources/tex.py)


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside the article body (level 2 or 3)."""

    text: str
    level: int = 2
    line: int | None = None


@dataclass(frozen=True)
class Quote:
    """A block quotation; a pull quote (``pull``) is set off in the display face."""

    text: str
    html: str
    line: int | None = None
    pull: bool = False


@dataclass(frozen=True)
class Footnote:
    """A footnote: its call sits in the text, its text at the foot of the page."""

    text: str
    html: str
    line: int | None = None
    #: The (rows, columns) of each table it holds, set as its text: counted by the limits.
    tables: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ListItem:
    """One item of a list, with at most one list nested in it."""

    text: str
    html: str
    sublist: List | None = None


@dataclass(frozen=True)
class List:
    """A bulleted or numbered list (``start``: the first item's number)."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    line: int | None = None

    @property
    def text(self) -> str:
        return " ".join(self.item_texts)

    @property
    def item_texts(self) -> tuple[str, ...]:
        """Each item's text, nested items after their item's, in reading order."""
        parts: list[str] = []
        for item in self.items:
            parts.append(item.text)
            if item.sublist is not None:
                parts += item.sublist.item_texts
        return tuple(p for p in parts if p)


@dataclass(frozen=True)
class Definition:
    """A term of a definition list (a glossary) and its definitions, each a paragraph."""

    term: str
    term_html: str
    texts: tuple[str, ...]
    htmls: tuple[str, ...]


@dataclass(frozen=True)
class Definitions:
    """A definition list: terms, each with the definitions under it (Markdown's "Term" then
    ": definition" lines)."""

    items: tuple[Definition, ...]
    line: int | None = None

    @property
    def text(self) -> str:
        return " ".join(self.item_texts)

    @property
    def item_texts(self) -> tuple[str, ...]:
        """Each term, then its definitions, in reading order."""
        return tuple(t for item in self.items for t in (item.term, *item.texts) if t)


@dataclass(frozen=True)
class Cell:
    """A table cell; ``numeric`` cells hold a number and are set with aligned figures."""

    text: str
    html: str
    align: str = ""  # "left", "right" or "center" when the Markdown asks for it
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A table with one header row."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    line: int | None = None
    wide: bool = False  # set across the columns ({.wide} after it; layout/tables.spans)

    @property
    def text(self) -> str:
        return " ".join(self.row_texts)

    @property
    def row_texts(self) -> tuple[str, ...]:
        """Each row's text, the header's first (a table split across columns repeats it)."""
        rows = (" ".join(c.text for c in row if c.text) for row in (self.header, *self.rows))
        return tuple(r for r in rows if r)


@dataclass(frozen=True)
class Figure:
    """A photo with its caption and credit, as three separate fields."""

    src: str
    caption: str = ""
    credit: str = ""
    line: int | None = None
    bleed: bool = False  # the layout may run it off the page edges (into the print bleed)
    anchor: str = ""  # its id ({#name}), which links in the article may point to
    wide: bool = False  # spans every column of the body
    nocrop: bool = False  # never cropped to fit the room a page leaves (figures._span_crop)
    crop: bool = False  # cropped to fit a page as the author accepts ({.crop}): a note, not a warning
    #: where a crop keeps the photo ({focus=top|center|bottom|N%}: the CSS object-position's
    #: vertical part); "" for the default: a portrait photo keeps its top, another its centre
    focus: str = ""
    portrait: bool = False  # a lead photo set in a column beside the text ({.portrait})
    #: The photos set beside this one, in order, each with its own credit (their captions are
    #: only their images' descriptions): a row, one figure with one caption (this one's).
    row: tuple[Figure, ...] = ()

    @property
    def photos(self) -> tuple[Figure, ...]:
        """This photo and those in its row, in order."""
        return (self, *self.row)

    @property
    def credits(self) -> tuple[str, ...]:
        """Each photo's credit, in order (a row's, or this one's alone)."""
        return tuple(photo.credit for photo in self.photos)


@dataclass(frozen=True)
class Sidebar:
    """A boxed sidebar: a title and its own blocks, set apart from the article's flow."""

    title: str
    blocks: tuple[Block, ...]
    line: int | None = None

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.title, *(b.text for b in self.blocks)) if t)

    @property
    def parts(self) -> int:
        """How many pieces it stacks (paragraphs, each list item, each table row, a figure as
        four): with its text's length, what a layout judges its height by."""
        count = 0
        for block in self.blocks:
            if isinstance(block, (List, Definitions)):
                count += len(block.item_texts)
            elif isinstance(block, Table):
                count += len(block.row_texts)
            else:
                count += 4 if isinstance(block, Figure) else 1
        return count


Block = Paragraph | Heading | Quote | Figure | List | Definitions | Table | Sidebar


@dataclass(frozen=True)
class Article:
    """One article, whatever format it came from."""

    title: str
    path: Path
    deck: str = ""
    byline: str = ""
    lang: str = "ar"
    section: str = ""
    publication: str = ""
    date: dt.date | None = None
    source: str = ""
    keywords: tuple[str, ...] = ()
    original: str = ""  # the scraped text this article was imported from, beside it
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    footnotes: tuple[Footnote, ...] = ()  # in the order of their calls

    @property
    def direction(self) -> str:
        """'rtl' or 'ltr', from the language's primary subtag."""
        return "rtl" if self.lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    @property
    def counter_style(self) -> str:
        """The digits its folios, list items and footnotes are numbered in (counter_style)."""
        return counter_style(self.lang)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in reading order."""
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    @property
    def photos(self) -> tuple[Figure, ...]:
        """Every photo, in reading order: each figure's, and those in its row after it."""
        return tuple(photo for figure in self.figures for photo in figure.photos)

    @property
    def has_body(self) -> bool:
        """Whether anything is set after the opener: a figure, a table, or a letter or digit."""
        return any(isinstance(b, (Figure, Table)) for b in self.blocks) or any(
            ch.isalnum() for b in self.blocks for ch in b.text)

    def text_blocks(self, figures: bool = True) -> tuple[str, ...]:
        """The article's text in reading order (what a reader of the PDF should get); without
        the figures' captions and credits and the footnotes if ``figures`` is false."""
        parts = [self.section, self.title, self.deck, self.byline]
        for block in self.blocks:
            if isinstance(block, Figure):
                parts += [block.caption, *block.credits] if figures else []
            elif isinstance(block, (List, Definitions)):
                parts += block.item_texts  # each item after its marker, which the layout adds
            elif isinstance(block, Table):
                parts += block.row_texts
            else:
                parts.append(block.text)
        parts += [note.text for note in self.footnotes] if figures else []
        return tuple(p for p in parts if p)

    def caption_texts(self) -> tuple[str, ...]:
        """Each figure's caption and credit: the layout places them (beside their figure), not
        the text flow."""
        return tuple(t for b in self.blocks if isinstance(b, Figure) for t in (b.caption, *b.credits) if t)
