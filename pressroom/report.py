"""Warnings from every stage → one log, counted so that --strict can refuse the build."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from . import weasy
from .errors import display_path, where

LOGGER = logging.getLogger("pressroom")


def warn(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log a warning that names the file (and line) it is about."""
    LOGGER.warning("%s%s", where(path, line), message)


NOTE = 25  # between INFO and WARNING: shown by default, never counted as a warning
logging.addLevelName(NOTE, "NOTE")


def note(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log something every user should read once, which is not a problem (not a warning)."""
    LOGGER.log(NOTE, "%s%s", where(path, line), message)


def info(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Log progress or a decision worth knowing about (shown with -v)."""
    LOGGER.info("%s%s", where(path, line), message)


class WarningCollector(logging.Handler):
    """Keeps every warning logged during a build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


#: Something that hears every record of pressroom's and WeasyPrint's loggers logged by the code
#: it was given to (the build running in this thread); False drops the record.
Listener = Callable[[logging.LogRecord], bool]

_LISTENERS: ContextVar[tuple[Listener, ...]] = ContextVar("pressroom_listeners", default=())


class _Dispatch(logging.Filter):
    """Hands each record to the listeners of the build that logged it, innermost first.

    Installed once, at import, on the loggers themselves; which listeners it calls is per thread
    (a context variable), so builds in two threads never see each other's records and nothing
    is added to or removed from a global logger while builds run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return all(listener(record) for listener in reversed(_LISTENERS.get()))


_DISPATCH = _Dispatch()
for _name in (LOGGER.name, weasy.LOGGER_NAME, weasy.PROGRESS_LOGGER_NAME):
    logging.getLogger(_name).addFilter(_DISPATCH)


@contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Call ``listener`` with every record this thread logs to pressroom's or WeasyPrint's loggers
    (progress included, when its logger is enabled) while the block runs."""
    token = _LISTENERS.set((*_LISTENERS.get(), listener))
    try:
        yield
    finally:
        _LISTENERS.reset(token)


@contextmanager
def collect_warnings(source: Path | None = None, layout: Path | None = None) -> Iterator[list[str]]:
    """Collect the warnings this thread logs, pressroom's and WeasyPrint's; WeasyPrint's, which
    name no file, are said of ``source`` with ``layout`` (by the innermost collector)."""
    prefix = where(source) + (f"layout {display_path(layout)}: " if layout else "")
    messages: list[str] = []

    def hear(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        if record.name == weasy.LOGGER_NAME and not getattr(record, "pressroom_named", False):
            if weasy.is_environment_note(record):  # about the machine, not the document: -v only
                record.levelno, record.levelname = logging.INFO, "INFO"
                return LOGGER.isEnabledFor(logging.INFO)
            record.msg = f"{prefix}{record.getMessage()}"
            record.args = ()
            record.pressroom_named = True
        messages.append(record.getMessage())
        return True

    with listen(hear):
        yield messages
