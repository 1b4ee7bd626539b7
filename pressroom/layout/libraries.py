"""WeasyPrint's import → its C libraries opened without a compiler run for each name it guesses.

WeasyPrint 70 (weasyprint/text/ffi.py) opens Pango, GObject, HarfBuzz (and its optional
subsetter and vector painter), fontconfig and PangoFT2 by trying, in turn, the names each has on
Windows, macOS and Linux. cffi opens a name directly, and when that fails asks
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p``, then ``gcc`` and then ``ld``:
on a Linux machine every Windows- or macOS-style name (three per library before its Linux name,
six for a library that is not there) costs a compiler and a linker run — about a third of the
import's CPU and wall time here.

Importing this module imports WeasyPrint with ``find_library`` answered from the system's
library cache only (``ldconfig -p``, run once): a library is still found under its Linux name
(opened directly, as the dynamic loader finds it: LD_LIBRARY_PATH, the cache, the system's
folders) or under another version in the cache, and a name that is not there fails at once.
Where that is not enough — the import fails because a library is only found the slow way — the
attempt is forgotten and WeasyPrint is imported again with its own search, untouched. Elsewhere
than Linux nothing is changed.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import io
import os
import re
import struct
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType


@functools.cache
def _library_cache() -> bytes:
    """``ldconfig -p``: the dynamic loader's cache, listed once (empty where there is none)."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env={"LC_ALL": "C", "LANG": "C"}, check=False, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return b""


def cached_library(name: str) -> str | None:
    """``ctypes.util.find_library(name)`` as its first step answers it on Linux (the same
    pattern: ``lib<name>.<anything>`` for this machine's ABI), from the cache listed once."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")
    found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), _library_cache())
    return os.fsdecode(found.group(1)) if found else None


@contextlib.contextmanager
def _find_library(answer: Callable[[str], str | None]) -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = answer
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _forget(before: set[str]) -> None:
    for name in [n for n in sys.modules if n not in before and n.partition(".")[0] == "weasyprint"]:
        del sys.modules[name]


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, its libraries found without guessing through a compiler where
    that is enough (Linux), with WeasyPrint's own search otherwise."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    before = set(sys.modules)
    said = io.StringIO()  # WeasyPrint prints its installation help before it gives up
    try:
        with warnings.catch_warnings(record=True) as warned, _find_library(cached_library), \
                contextlib.redirect_stdout(said):
            warnings.simplefilter("always")
            import weasyprint
    except OSError:
        _forget(before)  # found only the slow way (or not at all): WeasyPrint searches, and says
        import weasyprint

        return weasyprint
    for found in warned:  # said as the import would have said them
        warnings.warn_explicit(found.message, found.category, found.filename, found.lineno,
                               module=_module_of(found.filename))
    return weasyprint


def _module_of(filename: str) -> str:
    """The module name warnings' filters match for a file of WeasyPrint."""
    path = os.path.normpath(filename)
    parts = path.split(os.sep)
    if "weasyprint" in parts:
        parts = parts[len(parts) - 1 - parts[::-1].index("weasyprint"):]
        return ".".join(parts).removesuffix(".py").removesuffix(".__init__")
    return os.path.splitext(os.path.basename(path))[0]


weasyprint = import_weasyprint()
