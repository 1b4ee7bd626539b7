"""PDF (+ its source article) → every reader's scores, pdf.js included when Node has it.

    python bench/readers.py [PDF] [--source SOURCE]

The same scores as `make_pdf.py check`, plus pdf.js (Firefox's reader) when `node` is installed
and `npm install` has been run in bench/pdfjs (pdf.js is not needed to build or test). pdf.js's
text items are joined in the order it gives them, as its text layer lays them out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom import build  # noqa: E402
from pressroom.check import fidelity  # noqa: E402
from pressroom.check.verify import PdfReport  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path,
                        default=ROOT / "build" / "kazakhstan-peacekeeping.pdf")
    parser.add_argument("--source", type=Path,
                        default=ROOT / "content" / "kazakhstan-peacekeeping.md")
    args = parser.parse_args()
    article = build.load(args.source)
    report = PdfReport(args.pdf)
    texts = report.texts(pdfjs=True)
    for reader, found in texts.items():
        score = fidelity.score(reader, found, article)
        ok, total = score.numbers or (0, 0)
        failures = score.failures(fidelity.GOALS.get(reader))
        verdict = "goal met" if not failures else "BELOW: " + "; ".join(failures)
        print(f"{reader:8} in order {score.words_in_order:6.1%}  found {score.words_found:6.1%}"
              f"  numbers {ok}/{total}  {verdict}")
    for reader, why in report.skipped.items():
        print(f"{reader}: skipped: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
