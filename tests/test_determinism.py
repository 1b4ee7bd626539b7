"""Same input → same bytes on any machine: with or without HarfBuzz's subsetter, at any time of day."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

from pressroom.layout import weasy
from pressroom.pdf import fontdates, fontform

from .conftest import ROOT, SEED_MD

#: A build in a process of its own, as on a machine without libharfbuzz-subset0 (WeasyPrint then
#: subsets with fontTools; argv[6] = "harfbuzz": as WeasyPrint finds this machine) and with the
#: clock stopped at argv[3]; argv[4] = "raw" leaves the fonts as the subsetter saved them (to
#: show that the tests can fail). It prints how many fonts fontTools subset.
RUNNER = """
import sys, time
sys.path.insert(0, sys.argv[5])
clock = float(sys.argv[3])
time.time = lambda: clock
import weasyprint.pdf.fonts
if sys.argv[6] != "harfbuzz":
    weasyprint.pdf.fonts.harfbuzz_subset = None
calls = []
fonttools_subset = weasyprint.pdf.fonts.Font._fonttools_subset
def counted(self, *args):
    calls.append(self.family)
    return fonttools_subset(self, *args)
weasyprint.pdf.fonts.Font._fonttools_subset = counted
if sys.argv[4] == "raw":
    import pressroom.pdf.fontdates, pressroom.pdf.fontform
    pressroom.pdf.fontdates.remove_clock = lambda pdf: None
    pressroom.pdf.fontform.one_form = lambda pdf: None
    pressroom.pdf.fontform.same_glyph_ids = lambda pdf: None
from pressroom.cli import main
code = main([sys.argv[1], "-o", sys.argv[2], "--variant", "archive", "-q"])
print(len(calls))
sys.exit(code)
"""


def _build(out: Path, clock: float, mode: str = "fixed", subsetter: str = "fonttools",
           source: Path = SEED_MD) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-c", RUNNER, str(source), str(out), str(clock), mode,
                           str(ROOT), subsetter], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    used = int(done.stdout.split()[-1])
    assert (used > 0) == (subsetter == "fonttools"), f"fontTools subset {used} fonts"
    return out.read_bytes()


def _build_without_harfbuzz_subset(out: Path, clock: float, mode: str = "fixed") -> bytes:
    return _build(out, clock, mode)


def _needs_harfbuzz_subset() -> None:
    if not weasy.has_harfbuzz_subsetter():
        pytest.skip("HarfBuzz's subsetter (libharfbuzz-subset0) is not installed: one way only")


#: Built both ways: the seed, and an article whose bold Kufi heading draws composite glyphs whose
#: components come after the last glyph it draws (HarfBuzz's subsetter numbers them right after
#: it, fontTools' keeps their ids: the text layer's glyph copies, added after the last id, then
#: had other ids too).
BOTH_WAYS = [SEED_MD, ROOT / "content" / "solar-desert.md"]


@pytest.mark.parametrize("source", BOTH_WAYS, ids=lambda p: p.stem)
def test_the_same_bytes_with_harfbuzz_subset_and_without(tmp_path, source):
    """Built where WeasyPrint subsets its fonts with HarfBuzz and where it subsets them with
    fontTools, a day apart: the same file (fontform.py)."""
    _needs_harfbuzz_subset()
    with_harfbuzz = _build(tmp_path / "a.pdf", 1_700_000_000.0, subsetter="harfbuzz", source=source)
    assert with_harfbuzz == _build(tmp_path / "b.pdf", 1_700_086_400.0, source=source)


@pytest.mark.parametrize("source", BOTH_WAYS, ids=lambda p: p.stem)
def test_the_subsetters_would_show_without_fontform(tmp_path, source):
    """The same two builds, the fonts left as each subsetter saved them (no clock either way:
    the fontTools build at HarfBuzz's time): they differ."""
    _needs_harfbuzz_subset()
    with_harfbuzz = _build(tmp_path / "a.pdf", 1_700_000_000.0, "raw", subsetter="harfbuzz", source=source)
    assert with_harfbuzz != _build(tmp_path / "b.pdf", 1_700_000_000.0, "raw", source=source)


def test_only_the_glyph_ids_would_show_without_same_glyph_ids(tmp_path, monkeypatch):
    """solar-desert.md with the summaries made one but the glyph ids left as fontTools gives
    them: the two builds differ still (so the test above needs same_glyph_ids too)."""
    _needs_harfbuzz_subset()
    source = BOTH_WAYS[1]
    with_harfbuzz = _build(tmp_path / "a.pdf", 1_700_000_000.0, subsetter="harfbuzz", source=source)
    runner = RUNNER.replace("from pressroom.cli import main", "import pressroom.pdf.fontform\n"
                            "pressroom.pdf.fontform.same_glyph_ids = lambda pdf: None\n"
                            "from pressroom.cli import main")
    monkeypatch.setattr(sys.modules[__name__], "RUNNER", runner)
    assert with_harfbuzz != _build(tmp_path / "b.pdf", 1_700_000_000.0, source=source)


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


def _saved(font: TTFont) -> bytes:
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _with_strings_reversed(program: bytes) -> bytes:
    """The program with its 'name' strings stored last first, as HarfBuzz writes them (fontTools
    writes them in the order of their records); the table's checksum left stale."""
    font = TTFont(io.BytesIO(program))
    offset, length = font.reader.tables["name"].offset, font.reader.tables["name"].length
    table = program[offset:offset + length]
    count, strings = struct.unpack(">HH", table[2:6])
    records = [list(struct.unpack(">6H", table[6 + 12 * i:18 + 12 * i])) for i in range(count)]
    pool, data = {}, b""
    for record in reversed(records):
        text = table[strings + record[5]:strings + record[5] + record[4]]
        if text not in pool:
            pool[text] = len(data)
            data += text
    for record in records:
        record[5] = pool[table[strings + record[5]:strings + record[5] + record[4]]]
    rebuilt = table[:6] + b"".join(struct.pack(">6H", *r) for r in records) + data
    assert len(rebuilt) == length and rebuilt != table
    return program[:offset] + rebuilt + program[offset + length:]


def test_one_form_whatever_the_subsetter_kept(monkeypatch):
    """Amiri subset by fontTools, and the same subset with what HarfBuzz's subsetter keeps of
    the whole font (its bounding box, extents and maxima, its code page ranges, its mark glyph
    sets) and its strings stored as it stores them: one program, drawing the same glyphs."""
    pruned = _subset_at(1_700_000_000.0, monkeypatch)
    whole = TTFont(ROOT / "fonts" / "Amiri-Regular.ttf")
    kept = TTFont(io.BytesIO(pruned))
    for tag, fields in (("head", ("xMin", "yMin", "xMax", "yMax")),
                        ("hhea", ("advanceWidthMax", "minLeftSideBearing", "minRightSideBearing",
                                  "xMaxExtent")),
                        ("maxp", ("maxPoints", "maxContours", "maxCompositePoints",
                                  "maxComponentElements", "maxComponentDepth")),
                        ("OS/2", ("ulCodePageRange1", "ulCodePageRange2"))):
        for name in fields:
            setattr(kept[tag], name, getattr(whole[tag], name))
    gdef = kept["GDEF"].table  # the mark glyph sets kept, empty, as HarfBuzz keeps them
    gdef.Version = 0x00010002
    gdef.MarkGlyphSetsDef = otTables.MarkGlyphSetsDef()
    gdef.MarkGlyphSetsDef.MarkSetTableFormat = 1
    gdef.MarkGlyphSetsDef.Coverage = [otTables.Coverage(), otTables.Coverage()]
    for coverage in gdef.MarkGlyphSetsDef.Coverage:
        coverage.glyphs = []
    gdef.MarkGlyphSetsDef.MarkSetCount = 2
    harfbuzz_like = _with_strings_reversed(_saved(kept))
    assert harfbuzz_like != pruned
    one = fontform.canonical(pruned)
    assert fontform.canonical(harfbuzz_like) == one
    assert fontform.canonical(one) == one, "idempotent"
    before, after = TTFont(io.BytesIO(pruned)), TTFont(io.BytesIO(one), checkChecksums=2)
    assert after.getGlyphOrder() == before.getGlyphOrder()
    assert after["hmtx"].metrics == before["hmtx"].metrics
    assert after.getBestCmap() == before.getBestCmap()
    for name in before.getGlyphOrder():
        old, new = before["glyf"][name], after["glyf"][name]
        assert old.getCoordinates(before["glyf"])[0] == new.getCoordinates(after["glyf"])[0], name
        assert [getattr(old, k, None) for k in ("xMin", "yMin", "xMax", "yMax")] == \
            [getattr(new, k, None) for k in ("xMin", "yMin", "xMax", "yMax")], name
    assert after["head"].modified == after["head"].created


def test_one_form_leaves_other_data_alone():
    for data in (b"", b"%PDF-1.7", b"\x00\x01\x00\x00" + b"\0" * 2, b"wOFF" + b"\0" * 40):
        assert fontform.canonical(data) is data
