"""Demo issue → build times with one process and with two, and against the same issue laid out
as one plain WeasyPrint document, as ratios measured in the same run.

    python bench/issue.py [--runs 3] [ISSUE.yaml]

Whole processes, median of --runs runs each, the commands alternated so that they see the same
machine load:
  jobs 1     `python make_pdf.py ISSUE --jobs 1` (every article laid out in the one process);
  jobs 2     `python make_pdf.py ISSUE --jobs 2` (articles laid out in two worker processes);
  one doc    `python bench/issue.py --plain ISSUE`: every article's HTML from our layout put in
             one document (each article from a new page) and written by WeasyPrint alone — no
             cover, contents, stamping, finishing or assembly.
Nothing here is asserted; read the ratios (the goal for jobs 2 / jobs 1 on two cores: ≤ 0.65).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (bench/bench.py, beside this script: whole-process timing)

DEMO = ROOT / "content" / "issues" / "afaq-2024-03.yaml"


def plain(manifest_path: Path, output: Path) -> None:
    """The issue's articles as one WeasyPrint document, written without our finishing."""
    import logging

    from weasyprint import HTML

    from pressroom import build
    from pressroom.project import Project
    from pressroom.sources import manifest

    logging.disable(logging.WARNING)
    project = Project(ROOT)
    issue = manifest.load(manifest_path, project)
    fetcher = build.fetcher_for(project, issue.articles[0].source)
    head, bodies = "", []
    for entry in issue.articles:
        ctx, article = build.context(entry.source, project), build.load(entry.source)
        html = build.render_html(ctx, article, build.resolve_images(ctx, article))
        fetcher.serve(ctx.fetcher.served)  # the photos, as the article's build serves them
        head = head or html[: html.index("<body>")]
        body = html[html.index("<body>") + len("<body>"): html.rindex("</body>")]
        bodies.append(re.sub(r"^\s*<article", '<article style="break-before: page"', body, count=1))
    document = f"{head}<body>{''.join(bodies)}</body></html>"
    folder = project.layouts / build.DEFAULT_LAYOUT
    HTML(string=document, base_url=folder.as_uri() + "/", url_fetcher=fetcher).write_pdf(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    if args.plain:
        plain(args.manifest.resolve(), out / "plain.pdf")
        return 0
    python = sys.executable
    commands = {
        "jobs 1": [python, "make_pdf.py", str(args.manifest), "-o", str(out / "j1.pdf"), "--jobs", "1", "-q"],
        "jobs 2": [python, "make_pdf.py", str(args.manifest), "-o", str(out / "j2.pdf"), "--jobs", "2", "-q"],
        "one doc": [python, "bench/issue.py", "--plain", str(args.manifest)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            seconds, mib = run(command)
            times[name].append(seconds)
            memory[name].append(mib)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.manifest.name}: {args.runs} runs each, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    for name in commands:
        print(f"  {name:8} {median[name]:6.2f} s   peak {max(memory[name]):6.0f} MiB")
    print(f"  jobs 2 / jobs 1  = {median['jobs 2'] / median['jobs 1']:.2f}   (goal ≤ 0.65 on 2 cores)")
    print(f"  jobs 1 / one doc = {median['jobs 1'] / median['one doc']:.2f}")
    print(f"  jobs 2 / one doc = {median['jobs 2'] / median['one doc']:.2f}")
    same = (out / "j1.pdf").read_bytes() == (out / "j2.pdf").read_bytes()
    print(f"  jobs 1 and jobs 2 wrote the same bytes: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
