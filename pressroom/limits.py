"""A build's resource limits → their defaults, and the guard that stops layout at the page limit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import report, weasy
from .errors import ContentError

MEGA = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How far one build may go; the command line's --max-… options raise them."""

    pages: int = 500  # pages one article may lay out to
    image_pixels: int = 100 * MEGA  # pixels in one photo (a decompression bomb has billions)
    image_bytes: int = 100 * MEGA  # bytes in one photo's file


DEFAULT_LIMITS = Limits()


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
        kind, page = weasy.progress(record) or ("", 0)
        if kind == "page" and page > limit:
            raise too_many_pages(limit, source)
        return True

    with report.listen(guard, progress=True):
        yield
