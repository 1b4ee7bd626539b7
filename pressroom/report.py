"""Warnings from every stage → one log, counted so that --strict can refuse the build."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
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


class _NameTheFiles(logging.Filter):
    """WeasyPrint's messages name no file: prefix them with the article and the layout."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and not getattr(record, "pressroom_named", False):
            if weasy.is_environment_note(record):
                record.levelno, record.levelname = logging.INFO, "INFO"
                return LOGGER.isEnabledFor(logging.INFO)
            record.msg = f"{self.prefix}{record.getMessage()}"
            record.args = ()
            record.pressroom_named = True
        return True



@contextmanager
def collect_warnings(source: Path | None = None, layout: Path | None = None) -> Iterator[list[str]]:
    """Collect the warnings of pressroom and of WeasyPrint (said of ``source`` with ``layout``)."""
    collector = WarningCollector()
    weasy_logger = logging.getLogger(weasy.LOGGER_NAME)
    prefix = where(source) + (f"layout {display_path(layout)}: " if layout else "")
    naming = _NameTheFiles(prefix)
    weasy_logger.addFilter(naming)
    for logger in (LOGGER, weasy_logger):
        logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        weasy_logger.removeFilter(naming)
        for logger in (LOGGER, weasy_logger):
            logger.removeHandler(collector)
