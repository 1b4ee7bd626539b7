"""A build's resource limits → their defaults, the checks of an article's size, paragraphs and
words, and the guard that stops layout at the page limit."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pressroom import report
from pressroom.errors import ContentError
from pressroom.model import Article, Block, Figure, Sidebar, Table

MEGA = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How far one build may go; the command line's --max-… options raise them."""

    pages: int = 500  # pages one article may lay out to
    image_pixels: int = 100 * MEGA  # pixels in one photo (a decompression bomb has billions)
    image_bytes: int = 100 * MEGA  # bytes in one photo's file
    #: A long feature is 50–150 KB of UTF-8; 2 MB is several hundred pages.
    article_bytes: int = 2 * MEGA
    #: The title, the deck, a caption or one paragraph: about 40 columns of text.
    paragraph_chars: int = 100_000
    #: Longer than any word or sensible URL; a shorter one wider than the column is broken by
    #: the layout (overflow-wrap: anywhere), never drawn off the page.
    word_chars: int = 1_000
    #: A table's rows (header aside): a long results table is a hundred; each row is laid out,
    #: split and its header repeated, so thousands cost minutes before the page limit stops them.
    table_rows: int = 200
    #: A table's columns: a wide results table has a dozen; more are unreadable in a column or
    #: on a page, each cell a word or two wide (and each cell is laid out, row by row).
    table_columns: int = 20
    #: A photo's credit: a name and an agency, a licence with its address; one of 1,700 words
    #: ran over its page.
    credit_chars: int = 300
    #: Photos in one article (a row's each): each is decoded, placed and moved by the placement.
    figures: int = 50


DEFAULT_LIMITS = Limits()

#: The option that raises each limit, for messages (cli.py defines them).
OPTIONS = {"article_bytes": "--max-article-bytes", "paragraph_chars": "--max-paragraph-chars",
           "word_chars": "--max-word-chars", "table_rows": "--max-table-rows",
           "table_columns": "--max-table-columns", "credit_chars": "--max-credit-chars",
           "figures": "--max-figures"}


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a source that is not a regular file (a device or a pipe never ends) or is larger
    than the limit, before reading it."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise ContentError("no such file", path) from None
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", path) from None
    if stat.S_ISDIR(status.st_mode):
        raise ContentError("is a folder, not an article", path)
    if not stat.S_ISREG(status.st_mode):
        raise ContentError("is not a regular file", path)
    if status.st_size > limits.article_bytes:
        raise ContentError(f"the article is {status.st_size:,} bytes, over the limit of "
                           f"{limits.article_bytes:,} ({OPTIONS['article_bytes']} raises it)", path)


def check_article(article: Article, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a paragraph (or title, deck, caption…) or a word longer than the limits, a table
    of more rows, an article of more photos."""
    _check_blocks(article, limits)
    for text, line in _texts(article):
        word = max(text.split(), key=len, default="")
        if len(word) > limits.word_chars:
            raise ContentError(f"a word of {len(word):,} characters ({word[:24]}…), over the "
                               f"limit of {limits.word_chars:,} ({OPTIONS['word_chars']} raises "
                               "it)", article.path, line or _line_of(article.path, word))
        if len(text) > limits.paragraph_chars:
            raise ContentError(f"a paragraph of {len(text):,} characters, over the limit of "
                               f"{limits.paragraph_chars:,} ({OPTIONS['paragraph_chars']} "
                               "raises it)", article.path, line or _line_of(article.path, text))


def _check_blocks(article: Article, limits: Limits) -> None:
    """Refuse a table of more rows than ``limits.table_rows`` or more columns than
    ``limits.table_columns`` (a footnote's too, set as its text), a photo's credit longer than
    ``limits.credit_chars`` and the photo past ``limits.figures``, each named by its line."""
    photos = 0
    for block in _all_blocks(article.blocks):
        if isinstance(block, Table):
            _check_table(len(block.rows), len(block.header), article.path, block.line, limits)
        if isinstance(block, Figure):
            photos += 1 + len(block.row)
            if photos > limits.figures:
                raise ContentError(f"more than {limits.figures:,} photos in the article, the limit "
                                   f"({OPTIONS['figures']} raises it)", article.path, block.line)
            for photo in block.photos:
                if len(photo.credit) > limits.credit_chars:
                    raise ContentError(f"a photo's credit of {len(photo.credit):,} characters, over "
                                       f"the limit of {limits.credit_chars:,} "
                                       f"({OPTIONS['credit_chars']} raises it)", article.path,
                                       photo.line)
    for note in article.footnotes:
        for rows, columns in note.tables:
            _check_table(rows, columns, article.path, note.line, limits)


def _check_table(rows: int, columns: int, path: Path, line: int | None, limits: Limits) -> None:
    if rows > limits.table_rows:
        raise ContentError(f"a table of {rows:,} rows, over the limit of {limits.table_rows:,} "
                           f"({OPTIONS['table_rows']} raises it)", path, line)
    if columns > limits.table_columns:
        raise ContentError(f"a table of {columns:,} columns, over the limit of "
                           f"{limits.table_columns:,} ({OPTIONS['table_columns']} raises it)",
                           path, line)


def _all_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """The blocks and those inside sidebars."""
    for block in blocks:
        yield block
        if isinstance(block, Sidebar):
            yield from _all_blocks(block.blocks)


def _texts(article: Article) -> list[tuple[str, int | None]]:
    """Every text the page shows, with its line when the model knows it."""
    texts = [(getattr(article, key), None)
             for key in ("section", "publication", "title", "deck", "byline")]
    for block in article.blocks:
        if isinstance(block, Figure):
            texts += [(block.caption, block.line), *((text, photo.line) for photo in block.photos
                                                      for text in (photo.credit, photo.src))]
        else:
            texts.append((block.text, block.line))
    texts += [(note.text, note.line) for note in article.footnotes]
    return [(text, line) for text, line in texts if text]


def _line_of(path: Path, text: str) -> int | None:
    """The line of the source where ``text`` (or its start) is written."""
    try:
        source = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    for probe in (text[:200], text[:40], text[:8]):
        where = source.find(probe)
        if where >= 0:
            return source.count("\n", 0, where) + 1
    return None


def too_many_pages(limit: int, source: Path | None) -> ContentError:
    """The one-line error of an article that lays out to more than ``limit`` pages."""
    return ContentError(f"the article lays out to more than {limit} pages, the limit "
                        "(--max-pages raises it)", source)


@contextmanager
def page_limit(limit: int, source: Path | None = None) -> Iterator[None]:
    """Stop WeasyPrint's layout as soon as it starts page ``limit + 1`` (a ContentError), so
    that a runaway article costs the time of ``limit`` pages, not of all of them. It listens to
    WeasyPrint's progress (it announces each page just before laying it out) in this thread
    only: a build in another thread has its own limit."""

    def guard(record: logging.LogRecord) -> bool:
        kind, page = report.progress(record) or ("", 0)
        if kind == "page" and page > limit:
            raise too_many_pages(limit, source)
        return True

    with report.listen(guard, progress=True):
        yield
