"""A PDF file from anywhere → its first pages for the readers, within limits; any damage → one line."""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

from pressroom.errors import ContentError

MB = 1 << 20

#: Keys that lead from a page to other pages or to the document, never to what draws the page.
_AWAY = frozenset({"/Parent", "/P", "/Dest", "/D", "/A", "/PA", "/Next", "/First", "/Last", "/Prev",
                   "/StructParent", "/StructParents", "/Thumb", "/B", "/Popup", "/IRT"})
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


@dataclass(frozen=True)
class Limits:
    """How much of a PDF `check` reads: pages, decoded bytes of any one stream, seconds in all."""

    pages: int = 2000
    stream_mb: int = 32
    seconds: float = 120.0

    def pypdf_configuration(self) -> dict[str, int]:
        """pypdf's own limits, set to ours (only those this pypdf knows)."""
        size = self.stream_mb * MB
        wanted = {
            "zlib_maximum_output_length": size, "lzw_maximum_output_length": size,
            "run_length_maximum_output_length": size, "array_based_stream_maximum_output_length": size,
            "jbig2_maximum_output_length": size, "brotli_maximum_output_length": size,
            "image_maximum_buffer_size": size,
            "maximum_declared_stream_length": max(size, 75_000_000),
            # A TJ array per line: the toolkit itself writes 200,000 elements for a 200,000-letter word.
            "array_maximum_element_count": 1_000_000,
        }
        known = {f.name for f in dataclasses.fields(pypdf.Configuration)}
        return {k: v for k, v in wanted.items() if k in known}


DEFAULT_LIMITS = Limits()


#: Seconds between the alarm's repeats, once the time is up (see _alarm).
ALARM_REPEAT = 0.25


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that no reader's `except Exception` swallows it."""


@dataclass
class Deadline:
    """When reading must stop."""

    seconds: float
    started: float = dataclasses.field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return max(0.0, self.seconds - (time.monotonic() - self.started))

    def check(self) -> None:
        """Stop between pages when the time is up (where no alarm can: outside the main thread)."""
        if not self.remaining():
            raise _OutOfTime


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt whatever runs (between two Python steps) after ``seconds``, in the main thread."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, stop)
    # again every quarter second until cleared: an exception raised while Python runs a
    # finalizer (a reader's object collected just then) is printed and dropped, not raised
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), ALARM_REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def one_line(exc: BaseException) -> str:
    """An exception's message on one short line (its type when it has none)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


@contextmanager
def reading(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[None]:
    """Read ``path`` inside: pypdf's limits set to ``limits``, a time cap, and every failure of a
    reader (damage, garbage, a limit reached, the time up) one ContentError naming the file."""
    try:
        with pypdf.apply_configuration(**limits.pypdf_configuration()), _alarm(limits.seconds):
            yield
    except ContentError:
        raise
    except _OutOfTime:
        raise ContentError(f"still reading after {limits.seconds:g} s, stopped "
                           "(--max-seconds raises the cap)", path) from None
    except LimitReachedError as exc:
        raise ContentError(f"beyond a reading limit: {one_line(exc)} (--max-stream-mb raises the "
                           f"cap of {limits.stream_mb} MB a stream)", path) from None
    except MemoryError:
        raise ContentError("too large to read in memory", path) from None
    except RecursionError:
        raise ContentError("not a readable PDF: objects nested too deeply", path) from None
    except Exception as exc:  # a reader's parser failing on hostile bytes: any error at all
        raise ContentError(f"not a readable PDF: {one_line(exc)}", path) from None


def open_reader(path: Path) -> pypdf.PdfReader:
    """A pypdf reader over the open file (read as needed, not all at once), decrypted when the
    file opens without a password."""
    if not path.is_file():
        raise ContentError("no such file" if not path.exists() else "not a file", path)
    handle = path.open("rb")
    try:
        reader = pypdf.PdfReader(handle)
        opened = reader.decrypt("") if reader.is_encrypted else True
    except DependencyError as exc:
        handle.close()
        if "AES" in str(exc):
            raise ContentError("encrypted with AES, which needs the 'cryptography' package "
                               "(pip install cryptography)", path) from None
        raise
    except BaseException:
        handle.close()
        raise
    weakref.finalize(reader, handle.close)
    if not opened:
        raise ContentError("encrypted: it needs a password, and check reads only PDFs that "
                           "open without one", path)
    return reader


def first_pages(reader: pypdf.PdfReader, limit: int, path: Path | None = None
                ) -> tuple[list[pypdf.PageObject], int]:
    """The first ``limit`` pages (with inherited resources and boxes) and the page count, without
    walking the rest of the page tree (pypdf's ``reader.pages`` reads every page first)."""
    root = reader.trailer["/Root"].get_object()
    tree = root.get("/Pages")
    tree_node = tree.get_object() if tree is not None else None
    if not isinstance(tree_node, DictionaryObject):
        raise ContentError("not a readable PDF: it has no page tree", path)
    pages: list[pypdf.PageObject] = []
    more = False
    stack: list[tuple[PdfObject, dict[str, PdfObject], int]] = [(tree, {}, 0)]
    seen: set[object] = set()
    while stack:
        ref, inherited, depth = stack.pop()
        node = ref.get_object()
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(node)
        if not isinstance(node, DictionaryObject) or not node or key in seen or depth > 64:
            continue
        seen.add(key)
        if "/Kids" in node and node.get("/Type") != "/Page":
            passed = {**inherited, **{k: node[k] for k in _INHERITED if k in node}}
            kids = node["/Kids"].get_object()
            if isinstance(kids, ArrayObject):
                stack.extend((kid, passed, depth + 1) for kid in reversed(kids))
            continue
        if len(pages) == limit:
            more = True
            break
        page = pypdf.PageObject(reader, ref if isinstance(ref, IndirectObject) else None)
        page.update(node)
        for name, value in inherited.items():
            page.setdefault(pypdf.generic.NameObject(name), value)
        pages.append(page)
    count = len(pages)
    if more:
        declared = tree_node.get("/Count")
        count = max(int(declared) if isinstance(declared, int) else 0, count + 1)
    return pages, count


def guard_streams(pages: list[pypdf.PageObject], limits: Limits = DEFAULT_LIMITS,
                  deadline: Deadline | None = None, path: Path | None = None) -> int:
    """Decode every stream that draws these pages (contents, fonts, forms, patterns, appearances;
    not image pixels, which no text reader decodes) under pypdf's limits, so that no reader after
    this one meets a stream that inflates past the cap. Returns how many streams were decoded."""
    seen: set[tuple[int, int]] = set()
    decoded = 0
    for page in pages:
        if deadline is not None:
            deadline.check()
        todo: list[tuple[PdfObject, int]] = [(value, 0) for key, value in page.items() if key not in _AWAY]
        while todo:
            item, depth = todo.pop()
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                item = item.get_object()
            if depth > 32:
                continue
            if isinstance(item, DictionaryObject):
                if item.get("/Type") in ("/Page", "/Pages") or item.get("/Subtype") == "/Image":
                    continue
                if isinstance(item, StreamObject) and "/Filter" in item:
                    _measure(item, limits, path)
                    decoded += 1
                todo += [(value, depth + 1) for key, value in item.items() if key not in _AWAY]
            elif isinstance(item, ArrayObject):
                todo += [(value, depth + 1) for value in item]
    return decoded



def _measure(stream: StreamObject, limits: Limits, path: Path | None) -> None:
    """Decode a stream and drop the result (pypdf stops at the cap, holding no more than it)."""
    try:
        decode_stream_data(stream)
    except LimitReachedError:
        where = f"object {stream.indirect_reference.idnum}" if stream.indirect_reference else "a stream"
        raise ContentError(f"{where} inflates past {limits.stream_mb} MB: not read "
                           "(--max-stream-mb raises the cap)", path) from None
