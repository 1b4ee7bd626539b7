"""Batches of generated articles → wall time, CPU and peak memory, as ratios measured in one run.

    python bench/batch.py [--sizes 60,300] [--skip plain,one,all,cluster,noop,one@300,…]

The articles are tests/corpus/generate.py's (numbers, dates, Latin runs, quotes, figures — a
quarter of them missing, drawn as placeholders), built as the print edition into a throw-away
project, every build with --force. For each size, whole processes, one after the other:
  plain    plain WeasyPrint, one process: HTML(...).write_pdf() of the HTML our layout makes of
           each article, with the edition's page stylesheet and image options, fonts and photos
           served as the same bytes (a URL fetcher over files) — no isolated fontconfig, no
           figure placement passes, no finishing, no records, no atomic write;
  one      make_pdf.py --jobs 1 (one worker process);
  all      make_pdf.py --jobs N, N = every core (goal on 2 cores: ≤ 0.6 of one).
At the first size also: cluster, the same batch on a LocalCluster of N one-thread worker
processes on 127.0.0.1, warmed up (pressroom imported on each, as on a cluster already in
use), over one (goal ≤ 0.7); noop, a rerun with nothing to build (goal < 3 s for 60 articles).
Peak memory is the resident memory of the whole process tree (the command, its fork server and
workers), sampled every 50 ms; goal: the same for the largest size as for the smallest (±15%),
and seconds per article flat as the batch grows.

Nothing here is asserted; read the numbers. The machine's load (printed with each line) moves
absolute times: on a machine busy with other sessions, Linux shares the CPU between sessions,
not processes, so the wall-time ratios say little there; CPU seconds say what idle cores would give.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plain import plain_jobs, remove_pages  # noqa: E402  (bench/, this script's folder)

from tests.corpus import generate  # noqa: E402


def project(folder: Path, articles: Path, count: int) -> Path:
    """``folder`` made a project whose content/ holds the first ``count`` generated articles."""
    for name in ("layouts", "fonts", "images"):
        if not (folder / name).exists():
            shutil.copytree(ROOT / name, folder / name)
    content = folder / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    for path in sorted(articles.iterdir())[:count]:
        shutil.copy(path, content / path.name)
    return folder


def timed(folder: Path, command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak resident MiB of the process tree, CPU seconds of the tree) of one
    command run in ``folder`` (each process's CPU as last sampled)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCE_DATE_EPOCH", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    tree = psutil.Process(process.pid)
    peak = 0.0
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
    elapsed = time.perf_counter() - started
    errors = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed: {errors[-800:]}")
    return elapsed, peak, sum(cpu.values())


def pressroom(folder: Path, *args: str) -> tuple[float, float, float]:
    return timed(folder, [sys.executable, str(ROOT / "make_pdf.py"), "-q", *args])


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def line(name: str, size: int, result: tuple[float, float, float], *extra: str) -> None:
    seconds, peak, cpu = result
    print(f"  {name:<8} {size:>4} articles: {seconds:7.1f} s ({seconds / size:.2f} s/article), "
          f"CPU {cpu:6.0f} s, peak {peak:5.0f} MiB{''.join(', ' + e for e in extra if e)}, {load()}",
          flush=True)


def ratio(done: dict[str, tuple[float, float, float]], run: str, base: str, goal: str = "") -> str:
    """``run``'s wall time over ``base``'s (and CPU seconds, which a busy machine moves less)."""
    if run not in done or base not in done:
        return ""
    (wall, _, cpu), (base_wall, _, base_cpu) = done[run], done[base]
    if run == "cluster":  # its workers' CPU is not in the command's process tree
        return f"{run}/{base} ×{wall / base_wall:.2f} {goal}".rstrip()
    return f"{run}/{base} ×{wall / base_wall:.2f} {goal} (CPU ×{cpu / base_cpu:.2f})".replace("  ", " ")


def cluster_run(folder: Path, workers: int) -> tuple[float, float, float]:
    import importlib

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as cluster, \
            Client(cluster, set_as_default=False) as client:
        client.run(importlib.import_module, "pressroom.build")  # a cluster already in use
        return pressroom(folder, "--force", "--scheduler", cluster.scheduler_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,300")
    parser.add_argument("--skip", default="", help="parts to leave out: plain,one,all,cluster,noop; "
                        "PART@SIZE: only at that size")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(n) for n in args.sizes.split(",")]
    cores = len(os.sched_getaffinity(0))
    print(f"generated articles, print edition, {cores} cores, {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        articles = Path(tmp) / "articles"
        generate.main([str(articles), "--count", str(max(sizes))])
        folder = Path(tmp) / "project"
        alls: dict[int, tuple[float, float, float]] = {}
        for size in sizes:
            project(folder, articles, size)
            done: dict[str, tuple[float, float, float]] = {}
            # the smallest size: the baselines first; the larger: the batch on every core first
            first = size == sizes[0]
            for part in ("plain", "one", "all", "cluster", "noop") if first else ("all", "one", "plain"):
                if part in skip or f"{part}@{size}" in skip:
                    continue
                if part == "plain":
                    shutil.rmtree(Path(tmp) / "plain", ignore_errors=True)
                    listing = plain_jobs(folder, Path(tmp) / "plain")
                    try:
                        done[part] = timed(folder, [sys.executable, str(ROOT / "bench" / "plain.py"),
                                                    str(listing)])
                    finally:
                        remove_pages(listing)  # not in the records
                    line(part, size, done[part], "plain WeasyPrint, one process")
                elif part == "one":
                    line(part, size, done.setdefault(part, pressroom(folder, "--force", "--jobs", "1")),
                         "make_pdf.py --jobs 1")
                elif part == "all":
                    alls[size] = done[part] = pressroom(folder, "--force", "--jobs", str(cores))
                    line(part, size, done[part], f"make_pdf.py --jobs {cores}")
                elif part == "cluster":
                    done[part] = cluster_run(folder, cores)
                    line(part, size, done[part], f"LocalCluster, {cores} one-thread workers "
                         "(CPU and memory: the command's side only)")
                else:
                    pressroom(folder)  # a record for every article (if the cluster's run was skipped)
                    line(part, size, pressroom(folder), "a rerun with nothing to build (goal < 3 s for 60)")
            said = [ratio(done, "all", "one", "(goal ≤ 0.6)"), ratio(done, "cluster", "one", "(goal ≤ 0.7)"),
                    ratio(done, "one", "plain"), ratio(done, "all", "plain")]
            print(f"  {size} articles: " + "; ".join(filter(None, said)), flush=True)
        if len(alls) > 1:
            small, large = min(alls), max(alls)
            print(f"  --jobs {cores}: peak memory {large} over {small} articles "
                  f"×{alls[large][1] / alls[small][1]:.2f} (goal 0.85–1.15); seconds per article "
                  f"×{(alls[large][0] / large) / (alls[small][0] / small):.2f} (goal: flat)")


if __name__ == "__main__":
    main()
