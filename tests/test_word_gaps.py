"""Every word space of a justified Arabic line is drawn as wide as the line's others, the spaces
beside a number or a Latin run (an inline box of its own: bidi.py) and before a word the font
kerns over the space before it (Amiri's initial kaf) too (weasy._reactivate).

Measured on the PDF: each glyph placed from its TJ array (pressroom.check.wordspace), a word
space the distance from the end of the glyph left of a space glyph to the origin of the inked
glyph right of it. The end is the glyph's origin plus its natural advance; a glyph the font kerns
over the space after it (Amiri's initial kaf reaches over it by design: its natural end lies past
the space glyph) ends where the space glyph is drawn less the line's usual lead of a space glyph
over the end of the glyph before it (half the stretch). pdfium's char boxes are not used: their
widths are not the glyphs' advances (Amiri's ة: 4.03 pt for an advance of 3.79 at 10 pt). Before
the fix, the space after "0.4–0.5" in "بمعدل 0.4–0.5 درجة كل" measured 1.21 pt among spaces of
3.63 (pocket layout).
"""

from __future__ import annotations

import itertools
import shutil
import statistics
from collections import Counter
from pathlib import Path

import pytest

from pressroom import build
from pressroom.check import wordspace
from pressroom.project import Project
from pressroom.report import collect_warnings

from .conftest import FIXTURES, ROOT

#: (pt) How far a line's word spaces may be apart.
TOLERANCE = 0.3
#: (pt) How far a line's inked ends may be from its column's edges and still be justified.
EDGE = 0.75
#: Climate science, with numbers and Latin runs mid-line, and words that start with a kaf after
#: a word that ends in ة or ه (the spaces Amiri kerns: "درجة كل", "هامشه كاملاً").
ARTICLE = """---
title: حرارة الخليج
lang: ar
date: 2026-11-30
---

لكن هامش الأمان ليس بلا حدود. فحرارة سطح البحر في الخليج ترتفع بمعدل 0.4–0.5 درجة كل عقد منذ 1982،
أي أسرع من المتوسط العالمي بنحو مرتين. وبحسب نموذج نشرته مجلة Global Change Biology عام 2022، قد
يفقد الخليج هامشه كاملاً بين 2060 و2080 في أسوأ السيناريوهات (SSP5-8.5).

ويقيس فريق من جامعة KAUST الحرارة في 14 كتلة مرجانية كل أسبوع، وقد سجل 35.5 كأعلى قراءة في صيف 2023
كانت الأعلى منذ بدء القياس. ويقول الباحثون إن Acropora كانت أول ما ابيض من الشعاب، تلتها أنواع أخرى
بعد 3 أسابيع كاملة من الحر الشديد.

وفي تقرير صدر عن منظمة NOAA في 2024 كتب العلماء أن 77 بالمئة من شعاب العالم تعرضت لإجهاد حراري، وأن
الخليج كان من أقل المناطق تضرراً بفضل تكيف مرجانه مع مياه تبلغ حرارتها 36 درجة كل صيف تقريباً.
"""


def _spaces_project(root: Path) -> Project:
    """A copy of the project whose layouts set ``--justify: spaces`` (no kashida)."""
    for name in ("layouts", "fonts", "images"):
        shutil.copytree(ROOT / name, root / name)
    for tokens in (root / "layouts").glob("*/tokens.css"):
        text = tokens.read_text(encoding="utf-8")
        tokens.write_text(text.replace("--justify: kashida;", "--justify: spaces;"), encoding="utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[tuple[str, str], Path]:
    """(article, justification) → the article built in the pocket layout."""
    out = tmp_path_factory.mktemp("word-gaps")
    article = out / "reef-heat.md"
    article.write_text(ARTICLE, encoding="utf-8")
    spaces = _spaces_project(out / "spaces")
    built = {}
    for source in (article, FIXTURES / "chess-olympiad.md"):
        for justify, where in (("kashida", project), ("spaces", spaces)):
            pdf = out / f"{source.stem}-{justify}.pdf"
            with collect_warnings():
                build.build(source, pdf, project=where, layout="pocket")
            built[source.stem, justify] = pdf
    return built


def _run(glyph: wordspace.Glyph) -> bool:
    """A digit or a Latin letter: a glyph of a number or Latin run."""
    return any(c.isascii() and c.isalnum() for c in glyph.text)


def word_gaps(line: wordspace.Line) -> list[tuple[float, wordspace.Glyph, wordspace.Glyph, bool]]:
    """Each word space of the line (pt), with the inked glyphs left and right of it, and whether
    the font kerns the left one over the space (an Arabic letter whose natural end lies past
    where the space glyph is drawn; a number or Latin run is shaped apart from the spaces around
    it, and the space glyph of the box beside it may start inside its last glyph)."""
    inked = sorted((g for g in line.glyphs if g.code in g.font.inked and g.advance > 0.01), key=lambda g: g.x)
    spaces = sorted((g for g in line.glyphs if g.text.isspace()), key=lambda g: g.x)
    found = []  # (left, right, the space glyph between, kerned over it)
    for left, right in itertools.pairwise(inked):
        between = [s for s in spaces if left.x < s.x < right.x]
        if between:
            kerned = not _run(left) and left.x + left.advance > between[0].x + 0.01
            found.append((left, right, between[0], kerned))
    # a space glyph is drawn this far right of the end of the glyph before it (half the stretch)
    leads = [space.x - (left.x + left.advance) for left, _, space, kerned in found if not kerned]
    lead = statistics.median(leads) if leads else 0.0
    return [(right.x - (space.x - lead if kerned else left.x + left.advance), left, right, kerned)
            for left, right, space, kerned in found]


def _columns(pdf: Path) -> list[tuple[wordspace.Line, float, float, float, float]]:
    """Each line of three word spaces or more: its inked left and right ends, and its page's
    column edges (the ends most of the page's lines share)."""
    lines = [line for line in wordspace.pdf_lines(pdf) if len(word_gaps(line)) >= 3]
    ends = {}
    for line in lines:
        inked = [g for g in line.glyphs if g.code in g.font.inked and g.advance > 0.01]
        ends[id(line)] = (min(g.x for g in inked), max(g.x + g.advance for g in inked))
    lefts = Counter((line.page, round(ends[id(line)][0])) for line in lines)
    rights = Counter((line.page, round(ends[id(line)][1])) for line in lines)
    found = []
    for line in lines:
        column_left = max(((p, x) for p, x in lefts if p == line.page), key=lefts.__getitem__)[1]
        column_right = max(((p, x) for p, x in rights if p == line.page), key=rights.__getitem__)[1]
        found.append((line, *ends[id(line)], column_left, column_right))
    return found


def justified_lines(pdf: Path) -> list[wordspace.Line]:
    """The body lines that reach both edges of their page's column (a paragraph's last line and
    the title do not)."""
    return [line for line, left, right, column_left, column_right in _columns(pdf)
            if abs(left - column_left) <= EDGE + 0.5 and abs(right - column_right) <= EDGE + 0.5]


def test_no_line_reaches_past_its_column(pdfs):
    """A text box drawn wider than it was laid out reaches past the column's edge when it ends
    the line (the justified lines below are those that end at the edges)."""
    for pdf in pdfs.values():
        past = [(line.y, round(left - column_left, 2), round(right - column_right, 2))
                for line, left, right, column_left, column_right in _columns(pdf)
                if left < column_left - EDGE - 0.5 or right > column_right + EDGE + 0.5]
        assert not past, f"{pdf.name}: lines past the column (baseline, left, right overshoot): {past}"


@pytest.mark.parametrize("justify", ["kashida", "spaces"])
@pytest.mark.parametrize("article", ["reef-heat", "chess-olympiad"])
def test_word_spaces_of_a_justified_line_are_equal(pdfs, article: str, justify: str):
    lines = justified_lines(pdfs[article, justify])
    assert len(lines) >= 4
    beside_runs = kerned_over = 0
    for line in lines:
        gaps = word_gaps(line)
        typical = statistics.median(width for width, _, _, _ in gaps)
        uneven = [(round(width, 2), left.text + "|" + right.text) for width, left, right, _ in gaps
                  if abs(width - typical) > TOLERANCE]
        assert not uneven, f"line at {line.y:.1f} pt: spaces of {typical:.2f} pt, but {uneven}"
        beside_runs += sum(_run(left) != _run(right) for _, left, right, _ in gaps[1:-1])
        kerned_over += sum(kerned for _, _, _, kerned in gaps)
    # the lines hold number and Latin runs mid-line, each with a word space on either side
    assert beside_runs >= 6
    if article == "reef-heat":  # and spaces the font kerns ("درجة كل")
        assert kerned_over >= 2
