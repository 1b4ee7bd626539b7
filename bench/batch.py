"""Batches of seed-sized articles → wall time and peak memory ratios, in one run.

    python bench/batch.py [--articles 60] [--growth 30,100,300] [--memory 30,300] [--skip cluster,…]

Each article is the seed with its own title and its paragraphs in another order (so no two are
the same document), built as the print edition into a throw-away project, every run with
--force. Reported, as ratios measured in this one run (the machine's load, printed before and
after each part, moves absolute times; other users of the machine move them most):
  jobs        --jobs 2 over --jobs 1 on --articles articles (goal on 2 cores: ≤ 0.6);
  cluster     a two-worker LocalCluster on 127.0.0.1 (one thread each) over --jobs 1 (≤ 0.7);
  memory      peak resident memory of the whole process tree (sampled every 50 ms) for the
              largest --memory batch over the smallest (goal: within ±15%);
  growth      seconds per article with --jobs 2 as the batch grows (goal: flat);
  noop        a rerun with nothing to build (goal: under 3 s for 60 articles).
Nothing here is asserted; read the numbers. On a machine busy with other work the wall-time
ratios say little (Linux shares the CPU between sessions, not processes, when it is full): the
CPU seconds of --jobs 2 over --jobs 1, halved, are what two idle cores would give.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "kazakhstan-peacekeeping.md"


def project(folder: Path, count: int) -> Path:
    """A project with ``count`` seed-sized articles in content/."""
    for name in ("layouts", "fonts", "images"):
        if not (folder / name).exists():
            shutil.copytree(ROOT / name, folder / name)
    content = folder / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    text = SEED.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    front = re.sub(r"^original:.*\n", "", front + "\n", flags=re.M).rstrip("\n")
    paragraphs = body.strip().split("\n\n")
    for n in range(count):
        order = paragraphs[:2] + random.Random(n).sample(paragraphs[2:], len(paragraphs) - 2)
        title = re.sub(r'^title: "?(.*?)"?$', rf'title: "\1 {n}"', front, count=1, flags=re.M)
        (content / f"a{n:04d}.md").write_text(f"{title}\n---\n\n" + "\n\n".join(order) + "\n",
                                              encoding="utf-8")
    return folder


def timed(folder: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, peak resident MiB of the process tree) of one batch; the CPU seconds
    of the tree (every process's last sample) are kept in CPU[-1]."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "make_pdf.py"), "-q", *args], cwd=folder,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    tree = psutil.Process(process.pid)
    cpu: dict[int, float] = {}
    while process.poll() is None:
        total = 0
        try:
            for each in [tree, *tree.children(recursive=True)]:
                with each.oneshot():
                    total += each.memory_info().rss
                    times = each.cpu_times()
                    cpu[each.pid] = times.user + times.system
        except psutil.Error:
            pass
        peak = max(peak, total / 2**20)
        time.sleep(0.05)
    CPU.append(sum(cpu.values()))
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"bench: make_pdf.py {' '.join(args)} failed: {process.stderr.read()[-500:]}")
    return elapsed, peak


CPU: list[float] = []


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--growth", default="30,100,300")
    parser.add_argument("--memory", default="30,300")
    parser.add_argument("--skip", default="", help="parts to leave out: jobs,cluster,memory,growth,noop")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        folder = project(Path(tmp), args.articles)
        print(f"{args.articles} seed-sized articles, {os.cpu_count()} cores, {load()}")
        one = None
        if "jobs" not in skip or "cluster" not in skip:
            one, _ = timed(folder, "--force", "--jobs", "1")
            one_cpu = CPU[-1]
            print(f"  --jobs 1: {one:.1f} s ({one / args.articles:.2f} s/article), "
                  f"CPU {one_cpu:.0f} s, {load()}")
        if "jobs" not in skip:
            two, _ = timed(folder, "--force", "--jobs", "2")
            print(f"  --jobs 2: {two:.1f} s; ratio {two / one:.2f} (goal ≤ 0.6), CPU {CPU[-1]:.0f} s "
                  f"(×{CPU[-1] / one_cpu:.2f} of --jobs 1: what two idle cores would give is about "
                  f"{CPU[-1] / one_cpu / 2:.2f}), {load()}")
        if "noop" not in skip:
            noop, _ = timed(folder)
            print(f"  rerun with nothing to build: {noop:.2f} s (goal < 3 s), {load()}")
        if "cluster" not in skip:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                              dashboard_address=None, silence_logs=50) as cluster:
                remote, _ = timed(folder, "--force", "--scheduler", cluster.scheduler_address)
            print(f"  LocalCluster, 2 workers: {remote:.1f} s; ratio {remote / one:.2f} over --jobs 1 "
                  f"(goal ≤ 0.7), {load()}")
        if "memory" not in skip:
            sizes = [int(n) for n in args.memory.split(",")]
            peaks = []
            for size in sizes:
                seconds, peak = timed(project(folder, size), "--force", "--jobs", "2")
                peaks.append(peak)
                print(f"  {size} articles --jobs 2: peak {peak:.0f} MiB (process tree), {seconds:.1f} s, "
                      f"{load()}")
            print(f"  peak memory {sizes[-1]} over {sizes[0]}: {peaks[-1] / peaks[0]:.2f} (goal 0.85–1.15)")
        if "growth" not in skip:
            for size in (int(n) for n in args.growth.split(",")):
                seconds, _ = timed(project(folder, size), "--force", "--jobs", "2")
                print(f"  {size} articles --jobs 2: {seconds / size:.2f} s/article, {load()}")


if __name__ == "__main__":
    main()
