"""Seed article → build times and peak memory, as ratios against plain WeasyPrint in the same run.

    python bench/bench.py [--runs 7] [SOURCE]

Whole process, median of --runs runs each, alternating the commands so that both see the same
machine load:
  plain      plain WeasyPrint (bench/plain.py) on the HTML our layout produces for SOURCE, with
             the edition's page stylesheet and image options, and the same fonts and photos
             (served as the same bytes by a URL fetcher); its own fontconfig, no finishing;
  pressroom  `python make_pdf.py SOURCE -o … --force` (load, render, isolated fonts, layout,
             text-layer repair, records, atomic write).
Both PDFs' sizes are printed: the same document, so they should be close.
In one process, it also times our finishing steps alone, inside the print edition's finishing
stage on the same laid-out document. Nothing here is asserted; read the ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plain import plain_jobs, remove_pages  # noqa: E402  (bench/, this script's folder)

from pressroom import build  # noqa: E402
from pressroom.pdf.glyphtext import GlyphTexts  # noqa: E402
from pressroom.project import Project  # noqa: E402


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one whole process (run in ``cwd``)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def in_process(source: Path, runs: int) -> tuple[float, float]:
    """Median seconds of the print edition's finishing stage (build.finish_pdf: WeasyPrint's
    write_pdf with our finisher), and of our finishing steps inside it (timed from the first
    step to the last: they also make the file smaller, which speeds the write)."""
    logging.disable(logging.WARNING)
    ctx, article = build.context(source, Project(ROOT)), build.load(source)
    document = build.typeset_article(ctx, article)
    writes, finishes = [], []
    for _ in range(runs):
        clock: list[float] = []

        def tick(job, document, pdf, clock=clock) -> None:
            clock.append(time.perf_counter())

        steps = (tick, *ctx.edition.finishing, tick)
        timed = dataclasses.replace(  # fonts read afresh, as in a new process
            ctx, edition=dataclasses.replace(ctx.edition, finishing=steps), glyph_texts=GlyphTexts())
        start = time.perf_counter()
        build.finish_pdf(timed, article, document)
        writes.append(time.perf_counter() - start)
        finishes.append(clock[1] - clock[0])
    return statistics.median(writes), statistics.median(finishes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path,
                        default=ROOT / "content" / "kazakhstan-peacekeeping.md")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        listing = plain_jobs(ROOT, Path(tmp), [args.source])
        plain_pdf, ours_pdf = Path(tmp) / f"{args.source.stem}.pdf", Path(tmp) / "pressroom.pdf"
        try:
            commands = {
                "plain": [sys.executable, str(ROOT / "bench" / "plain.py"), str(listing)],
                "pressroom": [sys.executable, "make_pdf.py", "-q", "--force", str(args.source), "-o",
                              str(ours_pdf)],
            }
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
            for command in commands.values():  # warm the caches once
                run(command)
            for _ in range(args.runs):
                for name, command in commands.items():
                    results[name].append(run(command))
        finally:
            remove_pages(listing)
        sizes = {"plain": plain_pdf.stat().st_size, "pressroom": ours_pdf.stat().st_size}
    seconds = {n: statistics.median(t for t, _ in r) for n, r in results.items()}
    memory = {n: statistics.median(m for _, m in r) for n, r in results.items()}
    write, finishing = in_process(args.source, args.runs)
    print(f"source: {args.source.relative_to(ROOT)}; {args.runs} runs each, medians")
    print(f"{'':10} {'seconds':>8} {'peak MiB':>9} {'PDF KB':>7}")
    for name in commands:
        print(f"{name:10} {seconds[name]:8.2f} {memory[name]:9.0f} {sizes[name] / 1000:7.0f}")
    print(f"pressroom / plain WeasyPrint: time ×{seconds['pressroom'] / seconds['plain']:.2f}, "
          f"memory ×{memory['pressroom'] / memory['plain']:.2f}")
    print(f"finishing (text-layer repair, boxes, intents, XMP): {finishing * 1000:.0f} ms of a "
          f"{write * 1000:.0f} ms write_pdf, {finishing / seconds['pressroom']:.1%} of the build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
