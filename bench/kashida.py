"""Kashida justification → what it costs a build, as ratios measured in the same run.

    python bench/kashida.py [--runs 5] [SOURCE]

Whole process, median of --runs runs each, the commands alternated so that both see the same
machine load:
  spaces     `python make_pdf.py SOURCE --force` in a copy of the project whose layout says
             `--justify: spaces` (WeasyPrint's justification only);
  kashida    the same in the project as it is (`--justify: kashida`).
In one process, it also times the pass alone (kashida.Justifier: reading the box tree, choosing
the joins, drawing the copies; the fonts' copies are written by glyphfold.py either way) against
the whole build. Nothing here is asserted; the goal is under +25% of the build.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (bench/bench.py, beside this script: whole-process timing)
from pressroom import build  # noqa: E402
from pressroom.pdf import kashida  # noqa: E402
from pressroom.project import Project  # noqa: E402


def spaces_copy(folder: Path) -> Path:
    """A copy of the project (layouts, fonts, images) whose layout justifies with spaces only."""
    for name in ("layouts", "fonts", "images"):
        shutil.copytree(ROOT / name, folder / name)
    tokens = folder / "layouts" / "magazine" / "tokens.css"
    text = tokens.read_text(encoding="utf-8")
    if "--justify: kashida;" not in text:
        raise SystemExit("bench: layouts/magazine/tokens.css sets no --justify: kashida")
    tokens.write_text(text.replace("--justify: kashida;", "--justify: spaces;"), encoding="utf-8")
    return folder


def in_process(source: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds of a whole build and of the kashida pass inside it, and the kashidas drawn."""
    logging.disable(logging.WARNING)
    spent: list[float] = []
    drawn: list[int] = []
    original_init, original_call = kashida.Justifier.__init__, kashida.Justifier.__call__

    def init(self, *args, **kwargs) -> None:
        start = time.perf_counter()
        original_init(self, *args, **kwargs)
        spent.append(time.perf_counter() - start)

    def call(self, *args, **kwargs) -> None:
        start = time.perf_counter()
        original_call(self, *args, **kwargs)
        spent.append(time.perf_counter() - start)
        drawn.append(self.kashidas)

    kashida.Justifier.__init__, kashida.Justifier.__call__ = init, call
    builds, passes = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(runs):
                spent.clear()
                start = time.perf_counter()
                build.build(source, Path(tmp) / "out.pdf", project=Project(ROOT))
                builds.append(time.perf_counter() - start)
                passes.append(sum(spent))
    finally:
        kashida.Justifier.__init__, kashida.Justifier.__call__ = original_init, original_call
    return statistics.median(builds), statistics.median(passes), drawn[-1] if drawn else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path,
                        default=ROOT / "content" / "kazakhstan-peacekeeping.md")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = args.source.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        copy = spaces_copy(Path(tmp) / "spaces")
        commands = {
            "spaces": ([sys.executable, str(ROOT / "make_pdf.py"), "-q", "--force", str(source), "-o",
                        f"{tmp}/spaces.pdf"], copy),
            "kashida": ([sys.executable, str(ROOT / "make_pdf.py"), "-q", "--force", str(source), "-o",
                         f"{tmp}/kashida.pdf"], ROOT),
        }
        results: dict[str, list[float]] = {name: [] for name in commands}
        for command, cwd in commands.values():  # warm the caches once
            run(command, cwd)
        for _ in range(args.runs):
            for name, (command, cwd) in commands.items():
                results[name].append(run(command, cwd)[0])
    seconds = {name: statistics.median(times) for name, times in results.items()}
    whole, alone, drawn = in_process(source, args.runs)
    print(f"source: {source.name}; {args.runs} runs each, medians")
    for name, value in seconds.items():
        print(f"{name:8} {value:6.2f} s")
    print(f"kashida / spaces: time ×{seconds['kashida'] / seconds['spaces']:.3f}")
    print(f"the pass alone: {alone * 1000:.0f} ms of a {whole * 1000:.0f} ms build in one process "
          f"({alone / whole:.1%}), {drawn} kashidas")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
