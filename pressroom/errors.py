"""Errors a build can stop with, each naming the file (and line) it is about; one-line usage errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import NoReturn

#: The folder paths are shown from, when not the working folder (``shown_from``).
_SHOWN_FROM: ContextVar[Path | None] = ContextVar("shown_from", default=None)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (the usage is for --help)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


class ToolkitError(Exception):
    """A problem that makes a correct PDF impossible; the CLI prints it as one line."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return f"{where(self.path, self.line)}{self.message}"

    def __reduce__(self):
        # whole, through a worker process's pickle (the default would keep the message only)
        return type(self), (self.message, self.path, self.line)


class ContentError(ToolkitError):
    """The article source cannot be read or understood."""


class LayoutError(ToolkitError):
    """The layout (templates, stylesheets) is missing or broken."""


class FontError(ToolkitError):
    """A font cannot be loaded, or a font outside fonts/ would be used."""


class ImageError(ToolkitError):
    """An image exists but cannot be decoded."""


class OutputError(ToolkitError):
    """The PDF cannot be written where it was asked for."""


class StrictError(ToolkitError):
    """A warning was raised while --strict was on."""


def where(path: Path | str | None, line: int | None = None) -> str:
    """Return the 'file:line: ' prefix of a message ('' when there is no file)."""
    if path is None:
        return ""
    shown = display_path(path)
    return f"{shown}:{line}: " if line else f"{shown}: "


def display_path(path: Path | str) -> str:
    """Show a path relative to the working folder when it lies inside it."""
    text = str(path)
    if "://" in text:
        return text
    here = (_SHOWN_FROM.get() or Path.cwd()).resolve()
    # as named (a link shows as itself, `a/../b` as `b`), else where it leads
    for candidate in (Path(os.path.abspath(text)), Path(path).resolve()):
        try:
            return str(candidate.relative_to(here))
        except ValueError:
            continue
    return text


@contextmanager
def shown_from(folder: Path | None) -> Iterator[None]:
    """Paths shown relative to ``folder`` instead of the working folder (a cluster's worker
    names files as the command that sent it the article would)."""
    token = _SHOWN_FROM.set(folder)
    try:
        yield
    finally:
        _SHOWN_FROM.reset(token)
