"""Same input → same bytes on any machine: with or without HarfBuzz's subsetter, at any time of day."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from pressroom.pdf import fontdates

from .conftest import ROOT, SEED_MD

#: A build in a process of its own, as on a machine without libharfbuzz-subset0 (WeasyPrint then
#: subsets with fontTools) and with the clock stopped at argv[3]; argv[4] = "raw" leaves the
#: clock fontTools stamps in the fonts (to show that the test can fail).
RUNNER = """
import sys, time
sys.path.insert(0, sys.argv[5])
clock = float(sys.argv[3])
time.time = lambda: clock
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None
calls = []
fonttools_subset = weasyprint.pdf.fonts.Font._fonttools_subset
def counted(self, *args):
    calls.append(self.family)
    return fonttools_subset(self, *args)
weasyprint.pdf.fonts.Font._fonttools_subset = counted
if sys.argv[4] == "raw":
    import pressroom.pdf.fontdates
    pressroom.pdf.fontdates.remove_clock = lambda pdf: None
from pressroom.cli import main
code = main([sys.argv[1], "-o", sys.argv[2], "--variant", "archive", "-q"])
print(len(calls))
sys.exit(code)
"""


def _build_without_harfbuzz_subset(out: Path, clock: float, mode: str = "fixed") -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-c", RUNNER, str(SEED_MD), str(out), str(clock), mode,
                           str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 0, "the fontTools subsetter was not used"
    return out.read_bytes()


def test_archive_rebuilds_are_identical_without_harfbuzz_subset(tmp_path):
    """Two builds a day apart on a machine where WeasyPrint subsets with fontTools."""
    first = _build_without_harfbuzz_subset(tmp_path / "a.pdf", 1_700_000_000.0)
    second = _build_without_harfbuzz_subset(tmp_path / "b.pdf", 1_700_086_400.0)
    assert first == second


def test_the_clock_would_show_without_fontdates(tmp_path):
    """The same two builds, the fonts left as fontTools saved them: they differ (head.modified)."""
    first = _build_without_harfbuzz_subset(tmp_path / "a.pdf", 1_700_000_000.0, "raw")
    second = _build_without_harfbuzz_subset(tmp_path / "b.pdf", 1_700_086_400.0, "raw")
    assert first != second


def _subset_at(clock: float, monkeypatch) -> bytes:
    """Amiri subset by fontTools as WeasyPrint does, saved with the clock at ``clock``."""
    monkeypatch.setattr("time.time", lambda: clock)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    font = TTFont(ROOT / "fonts" / "Amiri-Regular.ttf")
    subsetter = subset.Subsetter(subset.Options(retain_gids=True, passthrough_tables=True,
                                                ignore_missing_glyphs=True))
    subsetter.populate(gids=[0, 5, 10, 300])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def test_without_clock_sets_modified_to_created_with_valid_checksums(monkeypatch):
    early, late = _subset_at(1_600_000_000.0, monkeypatch), _subset_at(1_700_000_000.0, monkeypatch)
    assert early != late
    fixed = fontdates.without_clock(early)
    assert fixed == fontdates.without_clock(late)
    assert fontdates.without_clock(fixed) is fixed, "idempotent"
    font = TTFont(io.BytesIO(fixed), checkChecksums=2)  # raises on a wrong table checksum
    assert font["head"].modified == font["head"].created == TTFont(io.BytesIO(early))["head"].created
    whole = sum(int.from_bytes(fixed[i:i + 4].ljust(4, b"\0"), "big") for i in range(0, len(fixed), 4))
    assert whole % 2**32 == 0xB1B0AFBA, "checkSumAdjustment makes the whole font sum to the magic"


def test_without_clock_leaves_other_data_alone():
    for data in (b"", b"%PDF-1.7", b"\x00\x01\x00\x00" + b"\0" * 2, b"wOFF" + b"\0" * 40):
        assert fontdates.without_clock(data) is data
