"""Huge articles → build time and peak memory: one 50,000-character paragraph, 2,000 paragraphs.

    python bench/huge.py

Each article is generated (Arabic words, deterministic), built by `make_pdf.py` in its own
process, and reported with its page count; the progress lines show that nothing hangs.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("في عام أرسلت كازاخستان قوات للمشاركة بعثة دولية لحفظ السلام خارج حدود الاتحاد "
         "السوفياتي السابق ووصل الجنود إلى العراق 2003 UNIFIL").split()


def paragraph(rng: random.Random, length: int) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < length:
        out.append(rng.choice(WORDS))
    return " ".join(out) + "."


def article(title: str, paragraphs: list[str]) -> str:
    return f"---\ntitle: {title}\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def main() -> int:
    rng = random.Random(1)
    cases = {
        "one 50,000-character paragraph": article("فقرة طويلة جدا", [paragraph(rng, 50_000)]),
        "2,000 paragraphs": article("ألفا فقرة", [paragraph(rng, 300) for _ in range(2000)]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases.items():
            source = Path(tmp) / "huge.md"
            source.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, "make_pdf.py", str(source), "-o",
                                        f"{tmp}/huge.pdf", "-v"], cwd=ROOT,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            _, status, usage = os.wait4(process.pid, 0)
            out, err = process.stdout.read(), process.stderr.read()
            progress = sum(line.startswith("progress:") for line in err.splitlines())
            print(f"{name}: {len(text):,} characters, {time.perf_counter() - start:.1f} s, "
                  f"peak {usage.ru_maxrss / 1024:.0f} MiB, exit {os.waitstatus_to_exitcode(status)}"
                  f", {progress} progress lines; {out.strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
