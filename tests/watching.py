"""Helpers for the watch and preview tests: a small publication, and a watch run as a process."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import ROOT

PARAGRAPH = ("يقرأ الأطفال في المكتبة الصغيرة كل مساء، ويكتب المعلمون قصصا جديدة عن القرية "
             "والنهر والحقول التي تمتد حتى الأفق البعيد. ")


def article(title: str, paragraphs: int, word: str = "") -> str:
    """A small Arabic article: ``paragraphs`` paragraphs (about six fill a page), ``word`` in the first."""
    body = "\n\n".join([f"{word} {PARAGRAPH * 3}".strip()] + [PARAGRAPH * 3] * (paragraphs - 1))
    return f"---\ntitle: {title}\nbyline: فريق التحرير\ndate: 2024-03-01\n---\n\n{body}\n"


def publication(root: Path) -> Path:
    """A publication folder with the project's layouts and fonts, and an empty content/."""
    for name in ("layouts", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    (root / "content").mkdir()
    (root / "images").mkdir()
    return root


def _interruptible() -> None:
    """In the child, before it starts: Ctrl-C (SIGINT) does what it does in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Running:
    """make_pdf.py run as a process in ``folder`` (its own temporary folder), its stdout and
    stderr read line by line as they come."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.folder = folder
        self.tmp = folder / ".tmp"
        self.tmp.mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(self.tmp), "PYTHONUNBUFFERED": "1"}
        # as from a terminal: a test run started in the background (CI's `cmd &`, nohup) ignores
        # SIGINT and its children inherit that, and the watch keeps a signal its caller ignores
        self.process = subprocess.Popen([sys.executable, str(ROOT / "make_pdf.py"), *args], cwd=folder,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding="utf-8", preexec_fn=_interruptible)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, text: str, timeout: float = 120, stream: str | None = None) -> str:
        """The next line (of ``stream``, or either) that holds ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                name, line = self.lines.get(timeout=min(1.0, max(deadline - time.monotonic(), 0.01)))
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append((name, line))
            if text in line and (stream is None or name == stream):
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s; seen: {self.seen}")

    def stop(self, timeout: float = 60) -> int:
        """Ctrl-C, and the exit code."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        time.sleep(0.2)  # the readers take the last lines
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
