"""A warm process's last figure placement → a rebuild with one layout pass in its way, checked beside it.

A build with body figures lays its article out twice at least (build.lay_out): the natural
layout, which says where the figures fell, then the layout with each figure moved from there
(its "first placement"), and more only when that one still misplaces one. A watch rebuilding
after a small edit mostly gets the same first placement as last time. So a warm process that
remembers it (``Placements``) lays out that placement at once, while a forked copy of itself
lays out the natural layout and works out the first placement from it, as a cold build would.
When the two agree, what the parent laid out is exactly what the cold build lays out, and the
natural layout's warnings, sent back by the copy, are said where a cold build says them: the
PDF is the cold build's, byte for byte, one pass sooner. When they do not agree (or the copy
fails), the copy's first placement is laid out (or the build starts again, as a cold one), so
a wrong guess costs only the core it ran on. Linux only (fork), and only with a second core.

The parent is mostly done before the copy (a natural layout is slower than one from a placement),
so it goes on, while it waits, with what the build does next to the document it laid out (its
finishing: ``ahead``), its log kept; when the guess holds, the build takes that result and its
log (``finish``) where it would have done that work itself: the same bytes, said in the same order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import select
import signal
import sys
import time
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pressroom.errors import ToolkitError
from pressroom.layout import figures, render, typeset
from pressroom.report import info, listen

#: A first placement (figures.Placement, its HTML the one it starts from), None when the
#: natural layout has nothing to move or pad (it is then the result).
First = figures.Placement | None
#: The natural layout of a build: numbered HTML → (its document, whether the last words of its
#: title or deck were released, the first placement).
Natural = Callable[[str], tuple[Any, bool, First]]
#: The passes from a first placement: placement → the document they keep.
Passes = Callable[[figures.Placement], Any]
#: What the build does next with a laid-out document (done ahead, while the copy works).
Ahead = Callable[[Any], Any]
T = TypeVar("T")

#: The copy gets at least this long, and this many times the parent's passes, to answer.
PATIENCE_S = 20.0
PATIENCE_FACTOR = 6.0


@dataclass
class _Last:
    released: bool
    first: First
    fonts: object  # the warm font configurations it was laid out with (typeset.warm_fonts)


class Placements:
    """How the last layout of each source began, for the next one of this process to try."""

    def __init__(self) -> None:
        self._last: dict[tuple, _Last] = {}
        self.kept = 0  # rebuilds whose guess the natural layout confirmed
        self.missed = 0  # rebuilds whose guess it did not
        self.ahead = 0  # rebuilds whose next step was done while the copy worked, and used
        # a laid-out document → what ``ahead`` made of it, and what that logged
        self._done: weakref.WeakKeyDictionary[Any, tuple[Any, list[logging.LogRecord]]] = \
            weakref.WeakKeyDictionary()

    @staticmethod
    def _key(ctx) -> tuple:
        return (ctx.source.resolve(), ctx.folder.resolve(), ctx.edition.name, ctx.in_issue)

    def remember(self, ctx, released: bool, first: First) -> None:
        self._last[self._key(ctx)] = _Last(released, first and first.copy(),
                                           typeset.warm_configuration(ctx.project.fonts))

    def forget(self) -> None:
        self._last.clear()

    def lay_out(self, ctx, article, html: str, natural: Natural, passes: Passes,
                ahead: Ahead | None = None) -> Any | None:
        """The laid-out document of ``html`` (numbered), as a cold build lays it out, when the
        last placement could be tried beside the natural layout; None when it could not be,
        and the caller lays it out itself (then ``remember``). ``ahead``: the build's next step
        with the document, done while the copy still works (``finish`` gives its result)."""
        last = self._last.get(self._key(ctx))
        fonts = typeset.warm_configuration(ctx.project.fonts)
        if last is None or last.first is None or fonts is None or last.fonts is not fonts \
                or not _can_fork():
            return None
        guess = last.first.copy()  # tried on this build's HTML (an article edit changes it)
        guess.html = render.release_last_words(html) if last.released else html
        tried = guess.copy()  # the passes change ``guess``
        child = _Copy(lambda: _natural_answer(natural, html))
        try:
            started = time.perf_counter()
            heard: list[logging.LogRecord] = []
            try:
                with listen(_keep(heard)):
                    document = passes(guess)
            except ToolkitError:
                document = None  # said again, in order, by the build that follows
            if ahead is not None and document is not None and not child.ready():
                self._ahead(document, ahead)
            answer = child.answer(PATIENCE_S + PATIENCE_FACTOR * (time.perf_counter() - started))
        finally:
            child.end()
        if answer is None:
            return None
        released, first, records = answer
        if first is None:
            return None  # no figures after all: the natural layout is the result, laid out again
        _replay(records)
        self._last[self._key(ctx)] = _Last(released, first.copy(), fonts)
        if document is not None and released == last.released and first == tried:
            self.kept += 1
            _replay(heard)
            info("figures placed as in the last build (its natural layout, beside, agreed): "
                 "one layout pass saved", article.path)
            return document
        self.missed += 1
        if document is not None:
            self._done.pop(document, None)
        return passes(first)

    def _ahead(self, document: Any, ahead: Ahead) -> None:
        """``ahead(document)``, its log kept; a failure is forgotten (the build that follows
        does that step again, and fails where a cold build fails, saying what it says)."""
        records: list[logging.LogRecord] = []
        try:
            with listen(_keep(records)):
                value = ahead(document)
        except Exception:
            return
        self._done[document] = (value, records)

    def finish(self, document: Any, step: Callable[[], T]) -> T:
        """What ``step`` gives for ``document``: the result of the ``ahead`` done with it while
        the copy worked, its log said now (where ``step`` would say it), or ``step()``."""
        done = self._done.pop(document, None)
        if done is None:
            return step()
        self.ahead += 1
        value, records = done
        _replay(records)
        return value


def _can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except OSError:
        return False


def _keep(into: list[logging.LogRecord]) -> Callable[[logging.LogRecord], bool]:
    """A listener that keeps every record (its message made final) and lets none through."""
    def keep(record: logging.LogRecord) -> bool:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        into.append(record)
        return False

    return keep


def _replay(records: list[logging.LogRecord]) -> None:
    """Log again, here, what was kept: to the listeners of the build that runs now."""
    for record in records:
        logging.getLogger(record.name).handle(record)


def _natural_answer(natural: Natural, html: str) -> tuple[bool, First, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    with listen(_keep(records)):
        _, released, first = natural(html)
    return released, first, records


class _Copy:
    """A forked copy of this process that runs ``work`` and sends back what it returns."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        # the parent's objects frozen across the fork: the copy's collections never walk them
        # (which would copy every page they are on), the parent's take them back at once
        gc.freeze()
        try:
            with warnings.catch_warnings():  # Python 3.12 frowns on forking with threads: the
                warnings.simplefilter("ignore", DeprecationWarning)  # copy uses none of theirs
                self.pid = os.fork()
        finally:
            if os.getpid() == parent:
                gc.unfreeze()
        if self.pid == 0:  # the copy: nothing of the parent's is cleaned up or flushed here
            try:
                os.close(read)
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends it
                    for signum in (signal.SIGTERM, signal.SIGHUP):
                        signal.signal(signum, signal.SIG_DFL)
                    data = pickle.dumps(("ok", work()))
                except BaseException:
                    data = pickle.dumps(("failed", None))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self.read = read
        self.done = False

    def ready(self) -> bool:
        """Whether the copy has sent its answer (or ended) already."""
        return bool(select.select([self.read], [], [], 0)[0])

    def answer(self, patience: float) -> Any | None:
        """What the copy sent, None when it failed or did not answer in ``patience`` seconds."""
        chunks = []
        deadline = time.monotonic() + patience
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read], [], [], left)[0]:
                return None
            chunk = os.read(self.read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.waitpid(self.pid, 0)
        self.done = True
        try:
            status, value = pickle.loads(b"".join(chunks))
        except Exception:
            return None
        return value if status == "ok" else None

    def end(self) -> None:
        """Stop the copy if it still runs (never waited for longer)."""
        os.close(self.read)
        if not self.done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.done = True
