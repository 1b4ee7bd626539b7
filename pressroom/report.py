"""Warnings from every stage → one log, counted so that --strict can refuse the build."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from pressroom.errors import display_path, where

LOGGER = logging.getLogger("pressroom")
#: WeasyPrint's loggers, named here so that logging is set up without importing WeasyPrint (a
#: run with nothing to build never does); tests/test_batch.py checks they are pressroom.layout.weasy's.
WEASY_LOGGER_NAME = "weasyprint"
WEASY_PROGRESS_LOGGER_NAME = "weasyprint.progress"
_PAGE = re.compile(r"Creating layout - Page (\d+)")
_WRITING = "Creating PDF"


def progress(record: logging.LogRecord) -> tuple[str, int] | None:
    """A WeasyPrint progress record → ("page", number laid out) or ("pdf", 0) when writing starts.

    Here, not in pressroom.layout.weasy: WeasyPrint logs progress while it is being imported."""
    message = record.getMessage()
    page = _PAGE.search(message)
    if page:
        return "page", int(page[1])
    if _WRITING in message:
        return "pdf", 0
    return None


def warn(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log a warning that names the file (and line) it is about (the line also kept on the record,
    ``source_line``, for ``in_line_order``)."""
    LOGGER.warning("%s%s", where(path, line), message, extra={"source_line": line})


#: What the sandbox fetcher's refusals say (it warns first, naming the article).
REFUSED = "refused by the sandbox"

NOTE = 25  # between INFO and WARNING: shown by default, never counted as a warning
logging.addLevelName(NOTE, "NOTE")


def note(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log something every user should read once, which is not a problem (not a warning)."""
    LOGGER.log(NOTE, "%s%s", where(path, line), message)


def info(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log progress or a decision worth knowing about (shown with -v)."""
    LOGGER.info("%s%s", where(path, line), message)


class WarningCollector(logging.Handler):
    """Keeps every warning logged while it is installed, but WeasyPrint's notes about the
    machine (no HarfBuzz subsetter: fontTools subsets instead, with the same bytes, fontform.py),
    which say nothing of a document."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        if record.name.partition(".")[0] == WEASY_LOGGER_NAME:
            from pressroom.layout import weasy  # imported already: it logged

            if weasy.is_environment_note(record):
                return
        self.messages.append(record.getMessage())


#: Something that hears every record of pressroom's and WeasyPrint's loggers logged by the code
#: it was given to (the build running in this thread); False drops the record.
Listener = Callable[[logging.LogRecord], bool]

_LISTENERS: ContextVar[tuple[Listener, ...]] = ContextVar("pressroom_listeners", default=())


_PROGRESS = logging.getLogger(WEASY_PROGRESS_LOGGER_NAME)


class _Dispatch(logging.Filter):
    """Hands each record to the listeners of the build that logged it, innermost first.

    Installed once, at import, on the loggers themselves; which listeners it calls is per thread
    (a context variable), so builds in two threads never see each other's records and nothing
    is added to or removed from a global logger while builds run."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.progress_listeners = 0  # builds listening to WeasyPrint's progress, all threads
        self.progress_level: int | None = None  # the level it had before they enabled it

    def filter(self, record: logging.LogRecord) -> bool:
        heard = all(listener(record) for listener in reversed(_LISTENERS.get()))
        # progress enabled only for listeners goes no further than them
        return heard and not (record.name == _PROGRESS.name and self.progress_level is not None)

    def hear_progress(self, change: int) -> None:
        """Count the builds that listen to progress; the logger is enabled while there are some
        (a level is process-wide: counted under a lock, put back by the last one)."""
        with self.lock:
            self.progress_listeners += change
            if self.progress_listeners == 1 and change > 0 and not _PROGRESS.isEnabledFor(logging.INFO):
                self.progress_level = _PROGRESS.level
                _PROGRESS.setLevel(logging.INFO)
            elif self.progress_listeners == 0 and self.progress_level is not None:
                _PROGRESS.setLevel(self.progress_level)
                self.progress_level = None


_DISPATCH = _Dispatch()
for _name in (LOGGER.name, WEASY_LOGGER_NAME, WEASY_PROGRESS_LOGGER_NAME):
    logging.getLogger(_name).addFilter(_DISPATCH)


@contextmanager
def in_line_order() -> Iterator[None]:
    """Hold back the warnings this thread logs to pressroom's logger while the block runs, then
    log them in the order of the lines they name (stably; those naming none first)."""
    held: list[logging.LogRecord] = []

    def hold(record: logging.LogRecord) -> bool:
        if record.name == LOGGER.name and record.levelno >= logging.WARNING:
            held.append(record)
            return False
        return True

    try:
        with listen(hold):
            yield
    finally:
        for record in sorted(held, key=lambda r: getattr(r, "source_line", None) or 0):
            LOGGER.handle(record)


@contextmanager
def listen(listener: Listener, *, progress: bool = False) -> Iterator[None]:
    """Call ``listener`` with every record this thread logs to pressroom's or WeasyPrint's loggers
    while the block runs; with ``progress``, WeasyPrint's progress records too (which nobody
    else hears unless they enabled that logger themselves)."""
    if progress:
        _DISPATCH.hear_progress(+1)
    token = _LISTENERS.set((*_LISTENERS.get(), listener))
    try:
        yield
    finally:
        _LISTENERS.reset(token)
        if progress:
            _DISPATCH.hear_progress(-1)


@contextmanager
def collect_warnings(source: Path | None = None, layout: Path | None = None) -> Iterator[list[str]]:
    """Collect the warnings this thread logs, pressroom's and WeasyPrint's; WeasyPrint's, which
    name no file, are said of ``source`` with ``layout`` (by the innermost collector)."""
    prefix = where(source) + (f"layout {display_path(layout)}: " if layout else "")
    messages: list[str] = []

    def hear(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        if record.name == WEASY_LOGGER_NAME and not getattr(record, "pressroom_named", False):
            from pressroom.layout import coverage, weasy  # imported already: they logged

            if weasy.is_environment_note(record) or REFUSED in record.getMessage() \
                    or coverage.said_already(record.getMessage(), source):
                # about the machine, not the document, or a refusal the sandbox (or a character
                # that no font draws the coverage check) warned of: -v only
                record.levelno, record.levelname = logging.INFO, "INFO"
                return LOGGER.isEnabledFor(logging.INFO)
            record.msg = f"{prefix}{record.getMessage()}"
            record.args = ()
            record.pressroom_named = True
            if record.levelno > logging.WARNING:
                # WeasyPrint's "errors" (a missing #anchor, an image or stylesheet it could not
                # load) are what it left out of a PDF it still wrote: warnings, which --strict refuses
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        messages.append(record.getMessage())
        return True

    with listen(hear):
        yield messages


@contextmanager
def said_once(layouts: Path) -> Iterator[None]:
    """While the block runs, a warning about a layout's file (its messages begin with its path)
    is said once: the articles of an issue share the layout, and each would say it again."""
    prefix = f"{display_path(layouts)}/"
    said: set[str] = set()

    def hear(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if not message.startswith(prefix):
            return True
        if message in said:
            return False
        said.add(message)
        return True

    with listen(hear):
        yield
