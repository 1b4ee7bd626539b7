"""Hostile long lines → the time the scraped-text importer and the Markdown loader take to read
them, at two lengths: a ratio near the lengths' ratio (×10) is linear, far above it quadratic.

    python bench/hostile_lines.py [--chars 100000]

Each line is one piece of syntax repeated (image, link, tag, table bar, emphasis, credit…),
unclosed, so that a pattern that backtracks or rescans meets its worst case: the lines of
tests/test_fuzz.py (HOSTILE; test_hostile_lines_are_read_in_linear_time asserts the ratio).
Measured before the fixes (100,000 characters): "[^a" repeated 21 s in the Markdown loader
(×70 for ×10 the length), "![a](b", 40,000 spaces, "c)" 25 s in the importer (×18 for ×4).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pressroom.errors import ContentError
from pressroom.sources import content, importer
from tests.test_fuzz import HOSTILE


def hostile_line(case: tuple[str, str, str], chars: int) -> str:
    """A hostile line of about ``chars`` characters: its head, its unit repeated, its tail."""
    head, unit, tail = case
    return head + (unit * (chars // len(unit) + 1))[:chars] + tail


def _scraped(text: str, folder: Path) -> None:
    importer.parse(f"عنوان\n\n{text}\n\nنص.", folder / "x.txt")


def _markdown(text: str, folder: Path) -> None:
    path = folder / "x.md"
    path.write_text(f"---\ntitle: عنوان\n---\n\n{text}\n", encoding="utf-8")
    content.load(path)


READERS: dict[str, Callable[[str, Path], None]] = {"scraped": _scraped, "markdown": _markdown}


def seconds(reader: Callable[[str, Path], None], text: str, folder: Path) -> float:
    """The time ``reader`` takes on ``text`` (an error, a refusal, counts as read)."""
    start = time.perf_counter()
    with contextlib.suppress(ContentError):
        reader(text, folder)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        for reader_name, reader in READERS.items():
            for name, case in HOSTILE.items():
                short = seconds(reader, hostile_line(case, args.chars // 10), Path(tmp))
                long = seconds(reader, hostile_line(case, args.chars), Path(tmp))
                print(f"{reader_name:8} {name:24} {args.chars // 10:>8,}: {short:6.3f} s  "
                      f"{args.chars:>8,}: {long:6.3f} s  ×{long / max(short, 1e-3):.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
