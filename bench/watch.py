"""Warm rebuilds by `make_pdf.py watch` against cold builds, as ratios measured in the same run.

    python bench/watch.py [--runs 3] [--no-issue]

In a copy of the project (content/, images/, layouts/, fonts/), alternating so that both see
the same machine load, medians of --runs each:
  seed, cold   `python make_pdf.py content/kazakhstan-peacekeeping.md -o cold.pdf` (a whole
               process; its PDF and build record removed first, so that it builds);
  seed, warm   one `make_pdf.py watch content/kazakhstan-peacekeeping.md -o warm.pdf` process:
               from the edit of layouts/magazine/tokens.css (the title size, one point larger
               each run: a size not built before) to the new PDF on disk (its file replaced);
  issue, cold  `python make_pdf.py content/issues/afaq-2024-03.yaml -o cold.pdf`;
  issue, warm  its watch, from an edit of one article (content/newsroom-ai.md) to the new PDF,
               checking from the watch's line that only that article was laid out again.
Nothing here is asserted but that; read the ratios (the goal for the seed: ≤ 0.4).
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = "content/kazakhstan-peacekeeping.md"
ISSUE = "content/issues/afaq-2024-03.yaml"
EDITED = "content/newsroom-ai.md"
TOKENS = "layouts/magazine/tokens.css"


def copy_project(into: Path) -> Path:
    for name in ("content", "images", "layouts", "fonts"):
        shutil.copytree(ROOT / name, into / name, symlinks=True)
    return into


def cold(project: Path, source: str, output: Path) -> float:
    """Seconds of one whole `make_pdf.py SOURCE -o OUTPUT` process that builds."""
    output.unlink(missing_ok=True)
    shutil.rmtree(output.parent / ".pressroom-build", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "make_pdf.py"), "-q", source, "-o", str(output)],
                   cwd=project, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


class Watch:
    """A `make_pdf.py watch` process and its output lines."""

    def __init__(self, project: Path, source: str, output: Path) -> None:
        self.output = output
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "make_pdf.py"), "watch", source, "-o", str(output)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.line("watching", 600)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self, text: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return line
        raise SystemExit(f"bench: the watch said no line with {text!r} in {timeout} s")

    def rebuild(self, edit) -> tuple[float, str]:
        """Seconds from ``edit()`` to the new PDF on disk, and the watch's line about it."""
        before = self.output.stat()
        started = time.perf_counter()
        edit()
        while True:
            try:
                now = self.output.stat()
                if (now.st_ino, now.st_mtime_ns) != (before.st_ino, before.st_mtime_ns):
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        return seconds, self.line("rebuilt")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(60)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bench_seed(project: Path, runs: int) -> tuple[list[float], list[float]]:
    tokens = project / TOKENS
    watch = Watch(project, SEED, project / "out" / "warm.pdf")
    colds, warms = [], []
    try:
        for run in range(runs):
            colds.append(cold(project, SEED, project / "out" / "cold.pdf"))
            # a size not built before in this run: nothing a warm process kept is this build's
            old, new = f"--size-title: {30 + run}pt;", f"--size-title: {31 + run}pt;"
            seconds, _ = watch.rebuild(lambda old=old, new=new: replace_in(tokens, old, new))
            warms.append(seconds)
    finally:
        watch.stop()
    return colds, warms


def bench_issue(project: Path, runs: int) -> tuple[list[float], list[float]]:
    article = project / EDITED
    words = ["محرر الليل أمام", "محرر الليلة أمام"]
    watch = Watch(project, ISSUE, project / "out" / "issue-warm.pdf")
    colds, warms = [], []
    try:
        for run in range(runs):
            colds.append(cold(project, ISSUE, project / "out" / "issue-cold.pdf"))
            old, new = words[run % 2], words[(run + 1) % 2]
            seconds, line = watch.rebuild(lambda old=old, new=new: replace_in(article, old, new))
            again = re.search(r"laid out again: ([^;]*);", line)
            if not again or again[1] != Path(EDITED).name:
                raise SystemExit(f"bench: an edit to {EDITED} laid out more than it: {line}")
            warms.append(seconds)
    finally:
        watch.stop()
    return colds, warms


def report(name: str, colds: list[float], warms: list[float]) -> None:
    cold_s, warm_s = statistics.median(colds), statistics.median(warms)
    print(f"{name}: cold {cold_s:.2f} s, warm rebuild {warm_s:.2f} s, ratio ×{warm_s / cold_s:.2f} "
          f"(cold {', '.join(f'{c:.2f}' for c in colds)}; warm {', '.join(f'{w:.2f}' for w in warms)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-issue", action="store_true", help="only the seed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-watch-") as tmp:
        project = copy_project(Path(tmp))
        print(f"load before: {os.getloadavg()[0]:.1f}; {args.runs} runs each, medians")
        report("seed after a tokens.css edit", *bench_seed(project, args.runs))
        if not args.no_issue:
            report(f"demo issue after an edit to {Path(EDITED).name} (only it laid out again)",
                   *bench_issue(project, args.runs))
        print(f"load after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
