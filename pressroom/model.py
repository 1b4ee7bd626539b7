"""The article data model: frozen dataclasses, parsed once at load and read by every stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ckb", "dv"})


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: plain text for checks, inline HTML (already escaped) for the page."""

    text: str
    html: str
    line: int | None = None


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside the article body (level 2 or 3)."""

    text: str
    level: int = 2
    line: int | None = None


@dataclass(frozen=True)
class Quote:
    """A block quotation."""

    text: str
    html: str
    line: int | None = None


@dataclass(frozen=True)
class Figure:
    """A photo with its caption and credit, as three separate fields."""

    src: str
    caption: str = ""
    credit: str = ""
    line: int | None = None
    bleed: bool = False  # the layout may run it off the page edges (into the print bleed)
    anchor: str = ""  # its id ({#name}), which links in the article may point to


Block = Paragraph | Heading | Quote | Figure


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

    @property
    def direction(self) -> str:
        """'rtl' or 'ltr', from the language's primary subtag."""
        return "rtl" if self.lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in reading order."""
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    def text_blocks(self, figures: bool = True) -> tuple[str, ...]:
        """The article's text in reading order (what a reader of the PDF should get); without
        the figures' captions and credits if ``figures`` is false."""
        parts = [self.section, self.title, self.deck, self.byline]
        for block in self.blocks:
            if isinstance(block, Figure):
                parts += [block.caption, block.credit] if figures else []
            else:
                parts.append(block.text)
        return tuple(p for p in parts if p)

    def figure_texts(self) -> tuple[str, ...]:
        """Each figure's caption and credit: the layout places figures, not the text flow."""
        return tuple(t for b in self.blocks if isinstance(b, Figure) for t in (b.caption, b.credit) if t)
