"""SIGINT, SIGTERM and SIGHUP → a Stopped exception where the run is, held back while a temporary
file is created or removed, so that every cleanup block gets to run."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.process import BaseProcess

#: The signals that stop a run (those that can be caught; SIGKILL's leftovers go on the next run).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))

#: Seconds that stopped worker processes get to clean up before they are killed (and swept).
WORKER_GRACE = 10.0


class Stopped(SystemExit):
    """A signal asked this run to stop. A SystemExit (exit code 128 + the signal's number), so
    that a worker process stopped between two tasks ends quietly too."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum

    def __reduce__(self) -> tuple[type, tuple[int]]:  # sent back from a worker process
        return (Stopped, (self.signum,))

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class _State:
    installed = False  # our handler is in place (this process runs pressroom's command line)
    raised = False  # Stopped has been raised once: later signals do not cut the cleanup short
    holding = 0  # depth of held() blocks in the main thread (a worker between tasks: 1)
    pending: int | None = None  # the signal that came, while held or once raised


def _on_signal(signum: int, frame: object) -> None:
    if _State.raised or _State.pending is not None:
        return
    _State.pending = signum
    if not _State.holding:
        _State.raised = True
        raise Stopped(signum)


def _install() -> dict[int, object]:
    saved = {}
    for signum in SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            saved[signum] = signal.signal(signum, _on_signal)
    _State.installed, _State.raised, _State.pending = True, False, None
    return saved


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """While a command runs, each catchable signal that ends it raises Stopped — once. A signal
    the caller ignores (nohup) stays ignored. Only in the main thread (elsewhere: nothing)."""
    if threading.current_thread() is not threading.main_thread() or _State.installed:
        yield
        return
    saved = _install()
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)
        _State.installed = False


@contextmanager
def held() -> Iterator[None]:
    """Hold a stopping signal back for the time of the block (a temporary folder or file being
    created and handed to its cleanup, or removed); it is raised as Stopped when the block ends.

    Held in Python's handler rather than with pthread_sigmask: a process-wide signal is taken by
    any thread that does not block it (an issue build has a few), and CPython then runs the
    handler in the main thread all the same."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _State.holding += 1
    try:
        yield
    finally:
        _State.holding -= 1
        if not _State.holding and _State.pending is not None and not _State.raised:
            _State.raised = True
            raise Stopped(_State.pending)


def requested() -> int | None:
    """The signal that asked this run to stop, if one came (a library that catches the exception
    it raised, such as a file watcher that turns it into KeyboardInterrupt, loses no signal)."""
    return _State.pending


def worker_init() -> None:
    """The initializer of a worker process: signals stop it as they stop a run, but between
    two tasks they are only noted (it is then waiting for work on a queue it shares with the
    others, and would leave them a lock held); the next task stops at once."""
    _install()
    _State.holding = 1


@contextmanager
def task() -> Iterator[None]:
    """A worker process's task: where a signal raises Stopped (none is started once stopped)."""
    if _State.pending is not None:
        raise Stopped(_State.pending)
    _State.holding -= 1
    try:
        yield
    finally:
        _State.holding += 1


def stop_workers(workers: Iterable[BaseProcess], timeout: float = WORKER_GRACE) -> None:
    """Stop worker processes (a pool's, after its shutdown(wait=False, cancel_futures=True)):
    SIGTERM, on which each cleans up as a run does and takes no other task; SIGKILL for any
    still there ``timeout`` seconds later; then what dead ones left is swept. Never waits longer."""
    from pressroom import scratch  # scratch holds signals with this module

    workers = [worker for worker in workers if worker.is_alive()]
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(deadline - time.monotonic(), 0))
        if worker.is_alive():
            worker.kill()
            worker.join()
    scratch.sweep_temporary()
