"""PDF (+ its source) → per article, the word spaces of justified body lines relative to the
natural space (the font's space advance at that size), and the kashidas per line.

    python bench/wordspace.py PDF [--source SOURCE] [--json]

How lines and spaces are measured: pressroom/check/wordspace.py. ``--source``: an issue manifest
(each article on its own pages) or the article the PDF was built from. Nothing is asserted
here (tests/test_kashida.py holds the goals); read the share of justified body lines whose every
word space is under 1.5× natural.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.check.wordspace import LOOSE, articles, measure, summary  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--source", type=Path, help="the article or issue manifest it was built from")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    report = {name: summary(measure(args.pdf, pages)) for name, pages in articles(args.pdf, args.source)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    for name, result in report.items():
        share = result["share_under"]
        ratio, kashidas = result["space_ratio"], result["kashidas_per_line"]
        print(f"{name}: {result['lines']} justified body lines, "
              f"{'-' if share is None else f'{share:.1%}'} with every word space < {LOOSE}× natural; "
              f"spaces × natural: median {ratio['median']}, p90 {ratio['p90']}, max {ratio['max']}; "
              f"kashidas per line: mean {kashidas['mean']}, max {kashidas['max']}")
        print("   spaces by ratio: " + ", ".join(f"{k} {v}" for k, v in ratio["buckets"].items())
              + "; lines by kashidas: " + ", ".join(f"{k}: {v}" for k, v in kashidas["counts"].items()))
    return 0




if __name__ == "__main__":
    sys.exit(main())
