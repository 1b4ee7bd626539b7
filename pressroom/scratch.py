"""Temporary folders and .part files → named by their process; once it is dead, the next run removes them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pressroom.stopping import held

#: pressroom-<kind>-<machine>-<pid>-<random>, in the temporary folder.
_FOLDER = re.compile(r"^pressroom-[a-z]+-([0-9a-f]{8})-(\d+)-\w+$")
#: .<output name>.pressroom-<machine>-<pid>-<random>.part, beside the output.
_PART = re.compile(r"^\..+\.pressroom-([0-9a-f]{8})-(\d+)-\w+\.part$")

def _machine() -> str:
    """This machine and process namespace, so that a pid is only judged where it means something
    (a temporary folder or an output folder may be shared with other machines or containers)."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{zlib.crc32(f'{socket.gethostname()}/{namespace}'.encode()):08x}"


def _owner() -> str:
    return f"{_machine()}-{os.getpid()}"


def alive(pid: int) -> bool:
    """Whether a process with this id runs here (another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _stale(name: str, pattern: re.Pattern[str]) -> bool:
    found = pattern.match(name)
    return bool(found) and found[1] == _machine() and not alive(int(found[2]))


def sweep_temporary(folder: Path | None = None) -> list[Path]:
    """Remove the temporary folders of pressroom processes of this machine that are dead (killed
    by a signal nobody can catch); never those of a running process. Returns what went."""
    folder = Path(folder or tempfile.gettempdir())
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        if entry.name.startswith("pressroom-") and _stale(entry.name, _FOLDER):
            shutil.rmtree(entry.path, ignore_errors=True)
            gone.append(Path(entry.path))
    return gone


def sweep_parts(folder: Path) -> list[Path]:
    """Remove the .part files that dead pressroom processes of this machine left in ``folder``."""
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        if entry.name.endswith(".part") and _stale(entry.name, _PART):
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            gone.append(Path(entry.path))
    return gone


#: The folders this process made and has not removed yet, with the process's id (a forked
#: worker starts with a copy of its parent's, which are not its own to remove).
_MADE: dict[Path, int] = {}


def make_folder(kind: str) -> Path:
    """A new folder in the temporary folder, named for this process (stale ones are swept first);
    removed by ``remove``, or at the end of the ``removing_made_folders`` block around it. Call
    it inside ``held()`` together with what takes the folder over (see temporary_folder), so that
    no signal comes between the two."""
    sweep_temporary()
    path = Path(tempfile.mkdtemp(prefix=f"pressroom-{kind}-{_owner()}-"))
    _MADE[path] = os.getpid()
    return path


def remove(path: Path) -> None:
    """Remove a folder of ours, with no signal cutting it short."""
    with held():
        shutil.rmtree(path, ignore_errors=True)
        _MADE.pop(path, None)


@contextmanager
def removing_made_folders() -> Iterator[None]:
    """At the end of the block (a command, a worker's task), however it ends, remove the folders
    this process made in it and still has: WeasyPrint's font folder otherwise waits for its
    font configuration to be collected, at the latest for the interpreter's exit, after the
    signal handlers are gone (and a worker process exits without running atexit)."""
    before = set(_MADE)
    try:
        yield
    finally:
        for path, pid in list(_MADE.items()):
            if pid == os.getpid() and path not in before:
                remove(path)


@contextmanager
def temporary_folder(kind: str) -> Iterator[Path]:
    """A folder of this process for the time of the block. A signal that comes while it is
    made is raised once the finally below owns it."""
    path = None
    try:
        with held():
            path = make_folder(kind)
        yield path
    finally:
        if path is not None:
            remove(path)


def part_file(output: Path) -> tuple[int, str]:
    """An open temporary file beside ``output`` (fd, path), named for this process; the stale
    ones of dead processes in that folder are removed first. Call it inside ``held()``, with
    what removes the file on failure taking it over (see build.write_atomically)."""
    sweep_parts(output.parent)
    return tempfile.mkstemp(prefix=f".{output.name}.pressroom-{_owner()}-", suffix=".part",
                            dir=output.parent)
