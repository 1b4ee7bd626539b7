"""Kerning folded into glyph copies: glyphs stay put, widths match the fonts, pdf.js reads words."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pydyf
import pytest
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom import build
from pressroom.check import fidelity
from pressroom.check.verify import PdfReport
from pressroom.check.verify import words as text_words
from pressroom.pdf import finish, glyphfold
from pressroom.pdf.editions import EDITIONS

from .conftest import FIXTURES, SEED_MD, SEED_WARNINGS

ROOT = Path(__file__).resolve().parent.parent
PDFJS = ROOT / "bench" / "pdfjs"
SCHOOLS = FIXTURES / "arabic-schools.md"
SPACE, MARK, KASHIDA = 3, 9, 14  # in the synthetic font below
WIDTHS = {SPACE: 220.0, MARK: 0.0, 10: 300.0, 11: 450.0, 12: 180.0, 13: 700.0, KASHIDA: 185.0}


def _font(units_per_em: int = 1000, glyph_count: int = 100) -> glyphfold.FontFold:
    return glyphfold.FontFold(widths=dict(WIDTHS), blank={SPACE}, glyph_count=glyph_count,
                              units_per_em=units_per_em, kashidas={KASHIDA})


def _origins(items, font: glyphfold.FontFold) -> list[tuple[int, float]]:
    """(original code, x) of every glyph drawn, copies expanded into the glyphs they draw (in
    the order they were drawn before), with the widths /W gets."""
    x, placed = 0.0, []
    for kind, value in items:
        if kind == "n":
            x -= value
        elif kind == "g":
            parts = sorted(font.parts_of(int(value)), key=lambda part: part[1])
            placed += [(code, x + dx * 1000 / font.units_per_em) for code, dx in parts]
            x += font.width(int(value))
    placed.append((-1, x))  # where the pen ends: the next array starts there
    return placed


ITEMS = st.lists(st.one_of(
    st.tuples(st.just("g"), st.sampled_from(sorted(WIDTHS))),
    st.tuples(st.just("n"), st.floats(-900, 900, allow_nan=False).map(lambda v: round(v, 5))),
    st.tuples(st.just("b"), st.just(0)),
), max_size=40)


@settings(max_examples=400, deadline=None)
@given(ITEMS, st.sampled_from([1000, 2048, 1200]))
def test_folding_keeps_every_glyph_in_place(items, units_per_em):
    """Any kerning, fonts of any units per em: each glyph where it was, with the widths /W holds
    (whole numbers, as pdfium reads them), and numbers PDF can parse."""
    font = _font(units_per_em)
    folded = glyphfold.fold_items(items, font)
    before, after = _origins(items, font), _origins(folded, font)
    assert [g for g, _ in before] == [g for g, _ in after]
    assert all(abs(a - b) < 1e-6 for (_, a), (_, b) in zip(before, after, strict=True))
    assert [i for i in items if i[0] == "b"] == [i for i in folded if i[0] == "b"], "borders stay"
    for _, units in font.copies:  # /W as the font program has it: hmtx units, in 1/1000 em
        assert isinstance(font.width_of(units), int)
        assert abs(font.width_of(units) - units * 1000 / units_per_em) <= 0.5
    written = glyphfold.unparse_tj([i for i in folded if i[0] != "b"])
    numbers = re.sub(rb"<[0-9a-f]*>", b" ", written[1:-4]).split()
    assert all(re.fullmatch(rb"-?[0-9]+(\.[0-9]+)?", n) for n in numbers), written


def test_copies_stop_at_the_last_glyph_id():
    font = _font(glyph_count=glyphfold.MAX_GLYPH_ID)
    assert font.copy_of(11, 200.0) == (glyphfold.MAX_GLYPH_ID, 200), "id 65534: 65535 glyphs"
    assert font.copy_of(11, 201.0) is None
    assert font.copy_of(11, 200.0) == (glyphfold.MAX_GLYPH_ID, 200), "an existing copy is reused"


def test_tucked_tail_is_folded_and_the_word_gaps_made_one_space():
    """A glyph tucked 0.3 em under the next; a 0.8 em justified gap; a gap kerned to nothing."""
    font = _font()
    folded = glyphfold.fold_items(
        [("g", 10), ("n", 0.0), ("g", 11), ("n", 298.0), ("g", 12),  # tucked tail
         ("n", -300.0), ("g", SPACE), ("n", -280.0), ("g", 13),  # loose line: 800 of gap
         ("n", 200.0), ("g", SPACE), ("g", 10)],  # 20 of gap
        font)
    copies = {copy: (parts[0][0], font.width_of(units)) for (parts, units), copy in font.copies.items()}
    glyphs = [int(v) for k, v in folded if k == "g"]
    assert [copies.get(g, (g,))[0] for g in glyphs] == [10, 11, 12, SPACE, 13, SPACE, 10]
    assert copies[glyphs[1]] == (11, 152.0), "the copy advances 450 - 298: no number left"
    assert folded[:3] == [("g", 10), ("n", 0.0), ("g", glyphs[1])] and folded[3] == ("g", glyphs[2])
    x = [at for _, at in _origins(folded, font)]
    assert x[4] - (x[2] + copies[glyphs[2]][1]) == pytest.approx(glyphfold.ONE_SPACE)
    assert x[6] - (x[4] + copies[glyphs[4]][1]) == pytest.approx(glyphfold.NARROW_TARGET)
    assert x[3] == _origins(
        [("g", 10), ("n", 0.0), ("g", 11), ("n", 298.0), ("g", 12), ("n", -300.0), ("g", SPACE)],
        _font())[3][1], "the space stays where it was"


def test_a_kashida_inside_a_word_is_drawn_with_its_letter():
    """The kashida before a letter in the array (after it in reading order) joins it, so no
    reader finds a tatweel in the word; one at a word's edge (typed in the source) stays."""
    font = _font()
    items = [("g", 10), ("n", 0.0), ("g", KASHIDA), ("n", 0.0), ("g", 11), ("n", 0.0),
             ("g", SPACE), ("g", KASHIDA), ("g", 12), ("n", -20.0), ("g", 13)]
    folded = glyphfold.fold_items(items, font)
    glyphs = [int(v) for k, v in folded if k == "g"]
    assert glyphs[0] == 10 and glyphs[2:5] == [SPACE, KASHIDA, 12]
    assert font.parts_of(glyphs[1]) == ((11, 185), (KASHIDA, 0))
    assert font.bases()[glyphs[1]] == 11 and font.width(glyphs[1]) == 185 + 450
    assert [code for code, _ in _origins(items, font)] == [code for code, _ in _origins(folded, font)]


def test_a_percent_is_drawn_after_its_number_and_a_sign_before_it():
    """"-35%" in an Arabic line is drawn "%35-": the marks, the sign, the digits, then the
    percent sign, each glyph where it was; then, for poppler, a right-to-left mark just left of
    each sign (it read "5-" and "35  %" with the spaces before the sign), reached by moves back."""
    font = _font()
    font.texts.update({10: "%", 11: "3", 12: "5", 13: "-"})
    items = [("g", 10), ("n", -20.0), ("g", 11), ("g", 12), ("n", 5.0), ("g", 13)]
    marked = glyphfold._mark_ltr_run(items, font, followed=True)
    before, after = _origins(items, font)[:-1], _origins(marked, font)[:-1]
    assert [code for code, _ in after] == [13, 11, 12, 10]
    assert sorted(after, key=lambda placed: placed[1]) == before
    texts = [font.copy_texts().get(int(v)) for k, v in marked if k == "g"]
    assert texts == [glyphfold.LTR_MARK, glyphfold.RTL_MARK, None, glyphfold.RTL_MARK, None, None,
                     None, glyphfold.RTL_MARK]
    pen, marks, drawn = 0.0, [], False
    for kind, value in marked:
        if kind == "n":
            assert value > 0 or not drawn, "after the first glyph, no move forward (a space)"
            pen -= value
        else:
            if font.copy_texts().get(int(value)) == glyphfold.RTL_MARK:
                marks.append(pen)
            drawn = drawn or int(value) in font.texts
            pen += font.width(int(value))
    assert marks[1:] == [945 - glyphfold.MARK_OFFSET, 0 - glyphfold.MARK_OFFSET]


def test_two_marks_after_a_closing_quote_read_with_their_letter():
    """"مجانيٌّ”" drawn left to right: the quote, the two marks, then the letter. pdf.js takes the
    quote for a left-to-right letter and the marks for its own: the first mark reads as a letter
    mark and both marks, the second as a letter mark alone (one each, pypdf set a letter mark
    between the two marks, which NFKC cannot put back in order); same ink, same places."""
    font = _font()
    quote, tanween, shadda, ya = 10, 11, 12, 13
    font.widths.update({tanween: 0.0, shadda: 0.0})
    font.texts.update({quote: "\u201d", tanween: "\u064c", shadda: "\u0651", ya: "\u064a"})
    items = [("g", quote), ("g", tanween), ("g", shadda), ("g", ya)]
    out = glyphfold._marks_after_neutrals(items, font)
    texts = [glyphfold._text(font, int(v)) for k, v in out if k == "g"]
    assert texts == ["\u201d", glyphfold.ARABIC_MARK, glyphfold.ARABIC_MARK + "\u064c\u0651",
                     glyphfold.ARABIC_MARK, "\u064a"]
    assert [code for code, _ in _origins(out, font) if code in (quote, tanween, shadda, ya)] == \
        [quote, tanween, shadda, ya]


@pytest.mark.parametrize(("drawn", "read"), [
    ("0-1", "1-0"), ("2+90", "90+2"), ("2015-2014", "2014-2015"), ("%7.25", "7.25%"),
    ("2.3+", "+2.3"), ("1,500", "1,500"), ("2019/10", "2019/10"), ("%٣٥", "٣٥%"),
    ("CTF-150", "CTF-150"), ("3M", "3M")])
def test_a_number_run_is_written_in_reading_order(drawn, read):
    """A number run of an Arabic line is drawn by the bidi algorithm with its numbers left to
    right and what is around them right to left; its glyphs are written in reading order."""
    order = glyphfold._reading_order(list(drawn))
    assert "".join(drawn[i] for i in order) == read


def test_tj_arrays_are_written_back_without_empty_strings_numbers_byte_for_byte():
    raw = b"<08dc>0<088e>0<>-131.64285714285714<0003>-125<08aa>"
    items = glyphfold.parse_tj(raw)
    assert glyphfold.unparse_tj(items) == b"[<08dc> 0 <088e> 0 -131.64285714285714 <0003> -125 <08aa>] TJ"


def _seed_fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for name, font in page.Resources.Font.items():
            yield page, name, font


def _used_codes(page: pikepdf.Page, name: str) -> set[int]:
    codes, current = set(), None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "Tf":
            current = str(operands[0])
        elif str(operator) == "TJ" and current == name:
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    codes.update(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    return codes


def _w(cidfont) -> dict[int, float]:
    widths, items, i = {}, list(cidfont.W), 0
    while i < len(items):
        for offset, width in enumerate(items[i + 1]):
            widths[int(items[i]) + offset] = float(width)
        i += 2
    return widths


def _to_unicode(font) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
            for code, text in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]*)>", cmap)}


def _copy_of(program: TTFont, gid: int) -> int | None:
    """The glyph a glyph copies (a composite of one component: at 0, 0, or moved for a mark
    placed on its letter or a raised glyph drawn on the baseline), or the letter a kashida is
    merged into (its first component, the kashidas from 0 on), if it is one."""
    glyph = program["glyf"][program.getGlyphOrder()[gid]]
    if not glyph.isComposite():
        return None
    first, *rest = glyph.components
    if rest:
        kashidas = ("uni0640" in c.glyphName or "glyph" in c.glyphName for c in rest)
        return program.getGlyphID(first.glyphName) if rest[0].x == 0 and all(kashidas) else None
    return program.getGlyphID(first.glyphName)


EMPTY_TEXTS = (glyphfold.RTL_MARK, glyphfold.ARABIC_MARK, glyphfold.LTR_MARK, glyphfold.EDGE_TEXT)


def test_seed_copies_are_real_glyphs_with_the_widths_pdf_a_asks_for(seed_pdf):
    """Every glyph drawn has the same advance in /W as in the embedded font (PDF/A 6.2.11.5);
    the copies are the font's last glyphs, each a composite of its original that reads as it (or
    an empty glyph that reads as a bidi mark or a run's edge, see mark_runs)."""
    pdf, copies = pikepdf.open(seed_pdf), 0
    for page, name, font in _seed_fonts(pdf):
        cidfont = font.DescendantFonts[0]
        program = TTFont(io.BytesIO(cidfont.FontDescriptor.FontFile2.read_bytes()))
        order, upem, widths = program.getGlyphOrder(), program["head"].unitsPerEm, _w(cidfont)
        texts = _to_unicode(font)
        for code in _used_codes(page, name):
            advance = program["hmtx"][order[code]][0] * 1000 / upem
            assert widths[code] == pytest.approx(advance, abs=0.5), (name, code)
        first, marks = len(order), 0
        while first:
            base = _copy_of(program, first - 1)
            if base is None and texts.get(first - 1) in EMPTY_TEXTS:
                advance = program["hmtx"][order[first - 1]][0]
                assert advance == widths[first - 1] == (texts[first - 1] == glyphfold.EDGE_TEXT)
                assert program["glyf"][order[first - 1]].numberOfContours == 0, "draws nothing"
                marks += 1
            elif base is None or base >= first - 1:
                break
            first -= 1
        for gid in range(first, len(order)):
            if texts[gid] not in EMPTY_TEXTS:
                assert texts[gid] == texts[_copy_of(program, gid)], (name, gid)
                part = program["glyf"][order[gid]].components[0]
                assert widths[gid] != widths[_copy_of(program, gid)] or (part.x, part.y) != (0, 0), \
                    "a copy differs by its advance or by where it draws (a raised glyph)"
        copies += len(order) - first
        assert marks <= len(EMPTY_TEXTS), "one empty glyph of each kind per font"
    assert copies > 20, "the seed's ر, و and loose lines give copies"


def _pdfjs_moves(pdf: pikepdf.Pdf) -> tuple[list[float], list[float]]:
    """Within each TJ array, as pdf.js measures them (thousandths of an em): the moves from one
    inked glyph's end to the next one's start, and the same across exactly one space."""
    moves, gaps = [], []
    for page, name, font in _seed_fonts(pdf):
        widths, texts = _w(font.DescendantFonts[0]), _to_unicode(font)
        current = None
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                current = str(operands[0])
            if str(operator) != "TJ" or current != name:
                continue
            pen, end, spaces, marks = 0.0, None, 0, 0
            for item in operands[0]:
                if not isinstance(item, pikepdf.String):
                    pen -= float(item)
                    continue
                data = bytes(item)
                for code in (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)):
                    text = texts.get(code, "")
                    if text.isspace():
                        spaces += 1
                    elif widths.get(code, 0) == 0 or (text and unicodedata.category(text[0]) == "Mn"):
                        marks += 1  # a mark: pdf.js sets a combining mark on its letter
                    else:
                        if end is not None and spaces == 0 and marks == 0:
                            moves.append(pen - end)
                        elif end is not None and spaces == 1 and marks == 0:
                            gaps.append(pen - end)
                        end, spaces, marks = pen + widths[code], 0, 0
                    pen += widths.get(code, 0)
    return moves, gaps


def test_seed_has_no_move_that_pdfjs_reads_as_a_break(seed_pdf):
    """pdf.js ends a text item at a move left of 0.2 em and spaces letters 0.1 em apart; it cuts
    a line at word gaps over 0.6 em or under 0.1 em (pdfjs-dist 4.10, evaluator.js)."""
    moves, gaps = _pdfjs_moves(pikepdf.open(seed_pdf))
    assert len(moves) > 2000 and len(gaps) > 500
    assert [m for m in moves if not -200 < m < 102] == []
    assert [g for g in gaps if not 102 < g <= 600] == []


def _images(project, fold: bool) -> list:
    """The seed's pages at 200 dpi (pdfium), laid out afresh: WeasyPrint's second write of one
    document differs from its first."""
    import pypdfium2

    step = finish.text_layer if fold else finish.text_layer_unfolded
    edition = dataclasses.replace(EDITIONS["print"], finishing=(step,))
    ctx, article = build.context(SEED_MD, project, variant=edition), build.load(SEED_MD)
    pdf = pypdfium2.PdfDocument(build.finish_pdf(ctx, article, build.typeset_article(ctx, article)))
    return [page.render(scale=200 / 72).to_pil().convert("L") for page in pdf]


def _justify_with_spaces(project) -> None:
    """Set the layout's ``--justify`` token to ``spaces``: kashidas (kashida.py) move glyphs on
    purpose (tests/test_kashida.py)."""
    tokens = project.layouts / "magazine" / "tokens.css"
    text = tokens.read_text(encoding="utf-8")
    assert "--justify: kashida;" in text
    tokens.write_text(text.replace("--justify: kashida;", "--justify: spaces;"), encoding="utf-8")


def test_folding_keeps_the_page_images(workspace, expect_warnings, monkeypatch):
    """The same pixels with and without the copies (both with tidied TJ arrays, see fold_streams;
    justified with spaces only), but for antialiasing where a kashida overlaps its letter: a
    merged pair is filled once, not twice (a glyph moved by a tenth of a point changes its edges
    by far more)."""

    expect_warnings(*SEED_WARNINGS)
    _justify_with_spaces(workspace)
    _without_mark_moves(monkeypatch)
    for before, after in zip(_images(workspace, False), _images(workspace, True), strict=True):
        assert _same_pixels(before, after)


def _without_mark_moves(monkeypatch) -> None:
    """Marks placed by their copies' outlines and raised glyphs drawn on the baseline stay where
    they were, but from another origin, which a renderer rounds to its pixel grid: they are
    compared at a finer grid (test_moved_marks_keep_their_place)."""
    monkeypatch.setattr(glyphfold, "_marks_in_place", lambda items, font: items)
    monkeypatch.setattr(glyphfold, "_clusters_together", lambda items, font: items)
    monkeypatch.setattr(glyphfold, "_raised", lambda *args: None)


def _same_pixels(before, after) -> bool:
    """Equal but for the antialiasing of kashidas merged into their letters (see above)."""
    from PIL import ImageChops

    histogram = ImageChops.difference(before, after).histogram()
    return sum(histogram[48:]) == 0 and sum(histogram[1:]) < 400


@pytest.mark.skipif(shutil.which("node") is None or not (PDFJS / "node_modules").is_dir(),
                    reason="pdf.js is measured only where Node and `npm install` in bench/pdfjs are")
@pytest.mark.parametrize("source", [SEED_MD, SCHOOLS], ids=["seed", "schools"])
def test_pdfjs_goal(source, seed_pdf, tmp_path, project):
    pdf = seed_pdf
    if source != SEED_MD:
        pdf = tmp_path / "article.pdf"
        build.build(source, pdf, project=project)
    done = subprocess.run(["node", str(PDFJS / "extract.mjs"), str(pdf)], capture_output=True,
                          text=True, timeout=300, check=True)
    score = fidelity.score("pdf.js", json.loads(done.stdout), build.load(source))
    assert score.failures(fidelity.GOALS["pdf.js"]) == []


def test_a_missing_glyph_keeps_the_page_and_mends_pypdf(write_article, workspace, expect_warnings,
                                                        monkeypatch):
    """A character no font has: WeasyPrint writes its own encoding, which pypdf cannot read (3% of
    the words); the font goes back to Identity-H with a .notdef stand-in, drawn as before."""
    import pypdfium2

    expect_warnings(r"article\.md:2: U\+2603 '☃' \(SNOWMAN\) is in no font of fonts/")
    source = write_article("## عنوان ☃ فرعي\n\nأرسلت كازاخستان قوات للمشاركة في عملية حرية العراق، "
                           "وعادت ☃ محملة بالخبرة بعد سنوات من الخدمة في جميع أنحاء العالم.\n\n"
                           "> قال ☃ القائد إن الجنود تلقوا تدريبا جيدا.",
                           date="2024-01-01", title="عنوان ☃ المقال", deck="☃ مقدمة المقال")
    folded, plain = workspace.root / "folded.pdf", workspace.root / "plain.pdf"
    _justify_with_spaces(workspace)
    build.build(source, folded, project=workspace)
    monkeypatch.setattr(glyphfold, "fold_text", lambda pdf, fonts, fold=True, rtl=False, first=None: None)
    build.build(source, plain, project=workspace)
    assert {str(f.Encoding) for _, _, f in _seed_fonts(pikepdf.open(folded))} == {"/Identity-H"}
    texts = PdfReport(folded).texts()
    for reader in texts:
        score = fidelity.score(reader, texts[reader], build.load(source))
        assert score.words_found == 1.0, reader
    for before, after in zip(pypdfium2.PdfDocument(plain), pypdfium2.PdfDocument(folded), strict=True):
        images = [page.render(scale=200 / 72).to_pil().convert("L") for page in (before, after)]
        assert _same_pixels(*images)


def test_rebuilt_program_keeps_every_table_readable():
    """A font with vertical metrics and a per-glyph hinting table, two copies and a missing glyph."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = [".notdef", "space", "a", "b"]
    builder = FontBuilder(2048, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({32: "space", 97: "a", 98: "b"})
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        if name != "space":
            pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((500, 700)), pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=1800, descent=-400)
    builder.setupVerticalMetrics({name: (2048, 100) for name in order})
    builder.setupVerticalHeader(ascent=1024, descent=-1024)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    font = builder.font
    font["LTSH"] = newTable("LTSH")
    font["LTSH"].version, font["LTSH"].yPels = 0, {name: 1 for name in order}
    data = io.BytesIO()
    font.save(data)

    fold = glyphfold.FontFold(widths={0: 293, 1: 293, 2: 293, 3: 293, 6: 250}, blank={1},
                              glyph_count=4, units_per_em=2048, missing=[6])
    assert fold.copy_of(2, 400.0) == (7, 400) and fold.copy_of(3, 100.0) == (8, 100)
    embedded = glyphfold.EmbeddedFont(None, None, pydyf.Stream([data.getvalue()]), fold)
    rebuilt = TTFont(io.BytesIO(glyphfold.program_with_copies(embedded)))
    rebuilt.ensureDecompiled()
    assert rebuilt["maxp"].numGlyphs == 9 and "LTSH" not in rebuilt
    assert len(rebuilt["vmtx"].metrics) == 9
    assert [_copy_of(rebuilt, gid) for gid in range(4, 9)] == [None, None, 0, 2, 3]
    assert [rebuilt["hmtx"][rebuilt.getGlyphOrder()[gid]][0] for gid in (6, 7, 8)] == [512, 819, 205]
    assert (rebuilt["maxp"].maxComponentDepth, rebuilt["maxp"].maxCompositePoints) == (1, 3)


def test_a_font_that_cannot_be_rebuilt_is_left_unfolded(write_article, workspace, monkeypatch):
    """If fontTools fails on a program, the build still succeeds, without copies in any stream."""
    def fail(font):
        raise ValueError("cannot rebuild")

    monkeypatch.setattr(glyphfold, "program_with_copies", fail)
    source = write_article("أرسلت كازاخستان قوات للمشاركة في عملية حرية العراق.", date="2024-01-01")
    out = workspace.root / "out.pdf"
    build.build(source, out, project=workspace)
    pdf = pikepdf.open(out)
    for page, name, font in _seed_fonts(pdf):
        program = TTFont(io.BytesIO(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()))
        assert max(_used_codes(page, name)) < len(program.getGlyphOrder()), name
    words = set(text_words(PdfReport(out).texts()["pdfium"][0]))
    assert {"للمشاركة", "حرية"} <= words


def test_justification_gaps_are_cut_below_what_pypdf_reads_as_a_space():
    """pypdf adds a space at a gap of half a space, after what it has read: in right-to-left
    text, at the run's far end ("و 24"). The gap is cut in steps; the pen ends where it did."""
    fold = glyphfold.FontFold(widths={3: 292.0, 10: 500.0}, blank={3}, glyph_count=20)
    items = [("g", 10), ("n", 1), ("n", -247), ("n", 76.5), ("g", 3), ("n", 76.5), ("n", -30)]
    cut = glyphfold._gaps_for_pypdf(items, fold)
    assert [i for i in cut if i[0] == "g"] == [("g", 10), ("g", 3)]
    assert all(-v <= 0.4 * 292 for k, v in cut if k == "n")
    assert sum(v for k, v in cut if k == "n") == pytest.approx(sum(v for k, v in items if k == "n"))
    assert ("n", -30) in cut, "a small gap stays as it is"


ENDED = ("ظل العازف صامتاً. ثم عاد لاحقاً، وقال إن الأمر انتهى تقريباً: لا شيء بعد. "
         "دفعنا مئة دولاراً... ثم بقينا وحدنا مساءً، وكان الجو هادئاً (جداً) وممتعاً! "
         "وجلس العازف على كرسيٍّ خشبيٍّ صغير قرب عازف الرِّق، وتابع الجمهور بصمتٍ تامٍّ. "
         "ورقم الدفاع المدنيّ 125 والإسعاف 140، وقيل إنّ 1 من كل 5 اتصالات يتأخر.")


def test_a_word_ending_in_marks_reads_whole(write_article, workspace, monkeypatch):
    """A word's last mark is drawn right after the full stop, comma or colon that ends the word,
    and pdfium's line bidi set it after the stop ("صامتا.ً"): an empty Arabic letter mark between
    them keeps it with its letter. Two marks on one letter ("كرسيٍّ") were drawn with a move
    between them, which poppler took for a word's end ("كرس ٍ", "خشبيٍّصغير"): the moves now go
    before the first mark. A word ending in a mark before a number ("المدنيّ 125") had the edge
    glyph of its run drawn between its letter and the mark ("المدني ّ"): it goes before both.
    Every reader finds each such word; without either change one does not."""
    source = write_article(ENDED, date="2024-01-01")
    marked, plain, apart = (workspace.root / f"{name}.pdf" for name in ("marked", "plain", "apart"))
    build.build(source, marked, project=workspace)
    wanted = set(fidelity.source_words(build.load(source)))
    texts = PdfReport(marked).texts()
    for reader, pages in texts.items():
        assert wanted - fidelity.search_words("\n".join(pages)) == set(), reader
    with monkeypatch.context() as patched:
        patched.setattr(glyphfold, "_marks_after_neutrals", lambda items, fold: items)
        build.build(source, plain, project=workspace)
    missed = wanted - fidelity.search_words("\n".join(PdfReport(plain).texts()["pdfium"]))
    assert {"صامتاً", "لاحقاً", "تقريباً", "دولاراً", "مساءً"} <= missed
    if "poppler" in texts:
        monkeypatch.setattr(glyphfold, "_clusters_together", lambda items, fold: items)
        build.build(source, apart, project=workspace)
        missed = wanted - fidelity.search_words("\n".join(PdfReport(apart).texts()["poppler"]))
        assert {"كرسيٍّ", "الرِّق"} & missed


MARKED = ("أرسلت كازاخستان جندياً وضابطاً ومهندساً عسكرياً، وذكّر الوزير بأنّ عمّان استقبلت وفداً "
          "كبيراً وقدّمت تدريباً جيداً لمئة وعشرين متدرباً خلال العام الماضي.")


def test_raised_and_kerned_marks_read_in_their_words(write_article, workspace, monkeypatch):
    """WeasyPrint draws a raised glyph under a text rise, in an array of its own, and moves a
    mark onto its letter and back with kerning ([214 ً -214 ا]): pdfium took a 40 pt title's
    shadda for a gap ("غيّ ر"), pdfium and poppler split "جنديا ً", and poppler glued a tanween
    to the next word. Every reader now finds each such word whole; without the two moves some
    do not (so the test can fail)."""
    source = write_article(MARKED, date="2024-01-01", title="كيف غيّر مشروع صغير حياة أسرة")
    moved, plain = workspace.root / "moved.pdf", workspace.root / "plain.pdf"
    build.build(source, moved, project=workspace)
    _without_mark_moves(monkeypatch)
    build.build(source, plain, project=workspace)
    wanted = set(fidelity.source_words(build.load(source)))
    for reader, pages in PdfReport(moved).texts().items():
        assert wanted - fidelity.search_words("\n".join(pages)) == set(), reader
    missed = {reader: wanted - fidelity.search_words("\n".join(pages))
              for reader, pages in PdfReport(plain).texts().items()}
    assert missed["pdfium"], "the old way split some of them"


@pytest.mark.parametrize("text", [MARKED, ENDED], ids=["kerned", "clustered"])
def test_moved_marks_keep_their_place(text, write_article, workspace, monkeypatch):
    """The marks moved above are drawn where they were: at 400 dpi every pixel of the page is
    within one pixel of the old page's (a renderer rounds a glyph's origin to its grid)."""
    import numpy
    import pypdfium2

    source = write_article(text, date="2024-01-01", title="كيف غيّر مشروع صغير حياة أسرة")
    moved, plain = workspace.root / "moved.pdf", workspace.root / "plain.pdf"
    build.build(source, moved, project=workspace)
    _without_mark_moves(monkeypatch)
    build.build(source, plain, project=workspace)
    old, new = (numpy.asarray(pypdfium2.PdfDocument(pdf)[0].render(scale=400 / 72).to_pil().convert("L"),
                              dtype=numpy.int16) for pdf in (plain, moved))
    near = numpy.full(old.shape, 255, dtype=numpy.int16)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near = numpy.minimum(near, abs(numpy.roll(old, (dy, dx), axis=(0, 1)) - new))
    assert (old != new).any(), "the marks were moved (or the test compares nothing)"
    assert int(near.max()) < 48


def test_joiners_pair_in_order_along_their_line_each_glyph_once():
    """glyphfold._pair_joiners: each joiner gets the empty glyph of its baseline nearest in line
    order, none twice, none of another line or farther than _JOINER_NEAR em; a paragraph of a
    thousand stacked joiners (a hostile article) pairs them all."""
    em = 10.0
    empties = [(0, i, x, 700.0, em) for i, x in enumerate((100.0, 150.0, 200.0))]
    empties += [(1, 0, 150.0, 680.0, em), (2, 0, 400.0, 700.0, em)]
    wanted = [(151.0, 700.0, "\u200c"), (99.0, 700.0, "\u200c"), (150.5, 680.0, "\u200d"),
              (300.0, 700.0, "\u200c")]
    assert glyphfold._pair_joiners(wanted, empties) == {1: 0, 0: 1, 2: 3}
    stacked = [(0, i, 100.0, 700.0, em) for i in range(1000)]
    assert len(glyphfold._pair_joiners([(100.0, 700.0, "\u200c")] * 1000, stacked)) == 1000
