"""Body figures at column tops or bottoms, never after the end mark; body lines on one baseline
grid across the columns of a page; the last page's columns balanced (issue 13, items 2 and 4)."""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pressroom import build
from pressroom.check import fidelity
from pressroom.check.verify import PdfReport
from pressroom.cli import main
from pressroom.layout import figures, weasy
from pressroom.project import Project
from pressroom.report import collect_warnings

from .checks import faults
from .conftest import FIXTURES, ROOT, SEED_WARNINGS

PT = 96 / 72  # CSS px per point
LINE = 10.5 * 1.55 * PT  # the magazine layout's body line (tokens.css: --line)
GRID = FIXTURES / "figures-grid.md"
#: Articles this code was not written against (every body figure, heading and quote they hold),
#: and one written after it, with a figure that does not fit below its text on page 1.
OTHERS = [*sorted((ROOT / "content").glob("*.md")), FIXTURES / "figures-many.md",
          # with figures set across the columns: wide, then column and bleeding ones after it
          FIXTURES / "figures-mixed.md", FIXTURES / "figures-bleed.md",
          # written after that code, never tuned on: an interview, a table, a pull quote
          FIXTURES / "figures-interview.md"]
#: Pull quotes, tables, lists and sidebars, whose rules, padding and smaller type must not move
#: the text after them off the grid (issue 13, item 4).
ELEMENTS = FIXTURES / "elements.md"


def _columns(source: Path, project: Project) -> list[weasy.Column]:
    with collect_warnings():
        document = build.typeset_article(build.context(source, project), build.load(source))
    return weasy.columns(document)


@pytest.fixture(scope="module")
def laid_out(project: Project) -> dict[str, list[weasy.Column]]:
    return {path.name: _columns(path, project) for path in [GRID, *OTHERS, ELEMENTS]}


def _figures(columns: list[weasy.Column]) -> list[tuple[weasy.Column, int, weasy.Block]]:
    return [(column, index, block) for column in columns
            for index, block in enumerate(column.blocks) if block.tag == "figure"]


def test_the_fixtures_have_body_figures_headings_and_quotes(laid_out):
    tags = [block.tag for column in laid_out[GRID.name] for block in column.blocks]
    assert tags.count("figure") == 2 and "blockquote" in tags and "h3" in tags
    assert any(a == "h2" and b == "h3" for a, b in pairwise(tags))  # stacked headings
    assert _figures(laid_out["kazakhstan-peacekeeping.md"])  # the seed's second photo


@pytest.mark.parametrize("name", [GRID.name, *(p.name for p in OTHERS)])
def test_body_figures_sit_at_a_column_top_or_bottom(laid_out, name):
    for column, index, figure in _figures(laid_out[name]):
        at_top = index == 0 and abs(figure.border_top - column.top) < 1
        at_bottom = index == len(column.blocks) - 1 and abs(figure.border_bottom - column.bottom) < LINE / 2
        assert at_top or at_bottom, (name, column.page, figure.attributes.get("data-src"),
                                     figure.border_top - column.top, column.bottom - figure.border_bottom)


@pytest.mark.parametrize("name", [GRID.name, *(p.name for p in OTHERS)])
def test_nothing_follows_the_end_mark(laid_out, name):
    flow = [block for column in laid_out[name] for block in column.blocks]
    ends = [i for i, block in enumerate(flow) if "end" in block.attributes.get("class", "").split()]
    assert ends, name
    assert all(block.tag != "figure" for block in flow[ends[-1]:]), name
    assert all("end" in flow[i].attributes.get("class", "") for i in range(ends[0], len(flow))), name


#: Measured and kept so that a fix shows (strict). (figures-many.md's page 1 ended its first
#: column a line and a half short before the photo heading the next, until a paragraph after a
#: photo in the text was indented as one after a paragraph: figures.number_blocks.) Since a hole
#: is no longer filled with a paragraph's first line alone (figures._leaves_no_widow, orphans:
#: what print.css asks of WeasyPrint), figures-many.md's page 1 ends a column a line short above
#: the photo heading the next, where that line closed it alone.
KNOWN_SHORT_BEFORE_FIGURE: dict[str, list[int]] = {"figures-many.md": [0]}


@pytest.mark.parametrize("name", [GRID.name, *(p.name for p in OTHERS)])
def test_no_column_is_left_short_before_a_figure(laid_out, name):
    """A figure that did not fit below its text leaves no hole: the paragraph after it fills
    the column it did not fit in (a heading after it, kept with its text, may leave one)."""
    columns = laid_out[name]
    short = [before.page for before, column in pairwise(columns)
             if len(column.blocks) > 1 and column.blocks[0].tag == "figure" and before.blocks
             and column.blocks[1].tag == "p" and before.bottom - before.blocks[-1].bottom >= LINE]
    assert short == KNOWN_SHORT_BEFORE_FIGURE.get(name, []), (name, short)


def test_the_part_of_a_paragraph_before_a_figure_ends_with_its_last_word(laid_out):
    """A paragraph cut by a figure (or a forced column break) ends its first part with its last
    word: cut before a number's or a Latin run's span, it kept the space before it and the span,
    empty, so that its last line, justified, ended a space short of the column's edge (and
    kashidas spread that space out, moving the line's end: solar-desert's URL)."""
    parts = [(name, block.lines[-1].text) for name, columns in laid_out.items()
             for column in columns for block in column.blocks
             if "split" in block.attributes.get("class", "").split() and block.lines]
    assert parts  # solar-desert and the figure fixtures are cut by their figures
    for name, text in parts:
        assert text == text.rstrip(), (name, text[-40:])


def test_a_heading_that_starts_a_column_sits_at_its_top(laid_out):
    """WeasyPrint 70 kept a heading's top margin at the head of a column: a blank line there,
    the column's text a line lower than the text beside it (weasy.truncate_margins_at_column_tops)."""
    heads = [(name, column.page, column.blocks[0]) for name, columns in laid_out.items()
             for column in columns if column.blocks and column.blocks[0].tag in ("h2", "h3")]
    assert heads  # figures-mixed has two, solar-desert one (not vacuous)
    for name, page, heading in heads:
        column = next(c for c in laid_out[name] if heading in c.blocks)
        assert abs(heading.border_top - column.top) < 0.5, (name, page, heading.lines[0].text)


def _body_baselines(column: weasy.Column) -> list[float]:
    return [line.baseline for block in column.blocks if block.tag == "p" for line in block.lines]


@pytest.mark.parametrize("name", [GRID.name, *(p.name for p in OTHERS), ELEMENTS.name])
def test_body_lines_share_baselines_across_the_columns_of_a_page(laid_out, name):
    pages: dict[int, list[weasy.Column]] = {}
    for column in laid_out[name]:
        pages.setdefault(column.page, []).append(column)
    for page, columns in pages.items():
        baselines = [_body_baselines(column) for column in columns]
        reference = min(b[0] for b in baselines if b)
        for number, column in enumerate(baselines):
            off = [round(b - reference - round((b - reference) / LINE) * LINE, 2) for b in column]
            assert all(abs(o) <= 0.5 * PT for o in off), (name, page, number, off)


@pytest.mark.parametrize("name", [GRID.name, *(p.name for p in OTHERS)])
def test_the_last_page_ends_with_balanced_columns(laid_out, name):
    columns = laid_out[name]
    last = [column for column in columns if column.page == columns[-1].page]
    ends = [max(block.border_bottom for block in column.blocks) for column in last if column.blocks]
    assert len(ends) == len(last) == 2, name
    longer = last[ends.index(max(ends))]
    # the columns end within two lines of each other, or the longer one holds a photo alone
    # (taller than all the text left: nothing can be moved to balance it)
    alone = [block.tag for block in longer.blocks] == ["figure"]
    assert max(ends) - min(ends) <= 2 * LINE + 1 or alone, (name, ends)


#: Built in a three-column copy of the magazine layout: the demo's article whose last page has
#: a column photo, and fixtures with several column photos and one set across the columns.
THREE_COLUMNS = [ROOT / "content" / "neighbourhood-libraries.md", FIXTURES / "figures-many.md",
                 FIXTURES / "figures-mixed.md"]
#: Of those, the ones whose last page is known to end with its three columns further apart
#: than two lines (strict, so that a fix shows). figures-many.md's page 2 ended its last column 8
#: lines short until a paragraph cut for a figure kept the indent it was measured with; it ends
#: its columns 9 and 4 lines apart again (633, 720 and 525 px) since a paragraph after a photo in
#: the text is indented (figures.number_blocks): its lines moved, the last page's balance did not
#: follow in three columns (two columns, the layouts' own, are balanced: test_balance).
KNOWN_THREE_UNBALANCED: set[str] = {"figures-many.md"}
#: Written after the placement's code, never tuned on: an obituary (a register no other fixture
#: has), four photos (the first the lead), sub-headings, one heading a column.
TRIBUTE = FIXTURES / "tribute-calligrapher.md"


def test_a_fixture_written_after_the_code_has_its_figures_placed_and_no_page_left_short(project):
    """tribute-calligrapher.md: no warning, every body photo at a column's top or foot, nothing
    after the end mark, and the columns of every page before the last end within two lines of
    each other. Its last photo was sent to the foot of a column above the photo before it (out
    of order: set right after that one, heading the next column alone, with the column break
    meant for it), and a column break forced before the text its figure headed a column of
    pushed that text on: page 2 held a column with only that photo, page 3 five lines."""
    with collect_warnings() as warnings:
        document = build.typeset_article(build.context(TRIBUTE, project), build.load(TRIBUTE))
    assert list(warnings) == []
    columns = weasy.columns(document)
    photos = _figures(columns)
    assert len(photos) == 3
    for column, index, figure in photos:
        at_top = index == 0 and abs(figure.border_top - column.top) < 1
        at_bottom = index == len(column.blocks) - 1 and abs(figure.border_bottom - column.bottom) < LINE / 2
        assert at_top or at_bottom, (column.page, figure.border_top - column.top)
    flow = [block for column in columns for block in column.blocks]
    assert "end" in flow[-1].attributes.get("class", "").split()
    for page in range(columns[-1].page):
        ends = [max(b.bottom for b in c.blocks) for c in columns if c.page == page and c.blocks]
        assert ends and max(ends) - min(ends) <= 2 * LINE + 1, (page, ends)


def test_a_three_column_layout_places_every_figure_and_fills_its_last_page(
        workspace: Project, monkeypatch, capsys, expect_warnings):
    """The placement does not assume two columns (issue 13): in the magazine layout with
    ``--columns: 3``, no photo is left unplaced, each column photo heads or ends its column, and
    the last page's three columns end within two lines of each other (or the longest holds a
    photo alone); the demo issue built in it warns of nothing but the seed's uncredited photo.
    A column WeasyPrint leaves empty has no box: balanced as if the page had two,
    neighbourhood-libraries' last page had its text and photo in two columns, the third empty."""
    three = workspace.layouts / "three"
    shutil.copytree(workspace.layouts / "magazine", three)
    tokens = (three / "tokens.css").read_text(encoding="utf-8")
    assert "--columns: 2;" in tokens
    (three / "tokens.css").write_text(tokens.replace("--columns: 2;", "--columns: 3;"), encoding="utf-8")
    for source in THREE_COLUMNS:
        with collect_warnings() as warnings:
            document = build.typeset_article(build.context(source, workspace, layout="three"),
                                             build.load(source))
        assert not [w for w in warnings if "could not be set" in w], (source.name, list(warnings))
        columns = weasy.columns(document)
        assert {column.count for column in columns} == {3}, source.name
        for column, index, figure in _figures(columns):
            at_top = index == 0 and abs(figure.border_top - column.top) < 1
            at_bottom = index == len(column.blocks) - 1 \
                and abs(figure.border_bottom - column.bottom) < LINE / 2
            assert at_top or at_bottom, (source.name, column.page, figure.border_top - column.top)
        last = [column for column in columns if column.page == columns[-1].page
                and abs(column.top - columns[-1].top) < 1]
        ends = [max(block.border_bottom for block in column.blocks) for column in last]
        ends += [last[0].top] * (3 - len(last))  # the columns left empty
        longest = last[ends.index(max(ends))]
        alone = [block.tag for block in longest.blocks] == ["figure"]
        assert (max(ends) - min(ends) <= 2 * LINE + 1 or alone) != (
            source.name in KNOWN_THREE_UNBALANCED), (source.name, ends)
    # the demo issue in that layout: no warning but the seed's photo without a credit
    shutil.copytree(ROOT / "content", workspace.content, dirs_exist_ok=True)
    monkeypatch.chdir(workspace.root)
    expect_warnings(*SEED_WARNINGS)
    capsys.readouterr()
    issue = Path("content", "issues", "afaq-2024-03.yaml")
    assert main([str(issue), "-o", "build/three.pdf", "--layout", "three", "--jobs", "1"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert len(said) == 1 and re.search(SEED_WARNINGS[0], said[0]), said


def test_two_figures_placed_at_one_point_of_a_paragraph_both_stand_there():
    """One figure closing a column and the next heading the column after, both anchored where
    that column starts inside a paragraph: the paragraph is cut there once, the two figures
    between its parts in that order (--html writes this HTML). The second was set after the
    paragraph's end, mid-column (the corpus's generated-002, once its columns balanced)."""
    html = figures.number_blocks(
        '<html dir="rtl"><body><div class="body">\n<p>أول ثان ثالث رابع خامس</p>\n'
        '<figure class="photo"><img src="a.jpg"></figure>\n'
        '<figure class="photo"><img src="b.jpg"></figure>\n<p class="end">آخر</p>\n</div></body></html>')
    placement = figures.Placement(html)
    placement.anchors = {1: (0, 6, "bottom"), 2: (0, 6, "top")}  # before ثالث
    flow = re.findall(r'<p[^>]*>[^<]*</p>|<figure class="[^"]*"|<img src="\w', placement.render())
    assert flow == ['<p class="split" data-b="0">أول ثان</p>',
                    '<figure class="photo at-bottom"', '<img src="a',
                    '<figure class="photo at-top"', '<img src="b',
                    '<p class="cont" data-b="0" data-o="6">ثالث رابع خامس</p>',
                    '<p class="end" data-b="3" data-i>آخر</p>']


def test_a_paragraph_keeps_its_indent_wherever_the_figures_go():
    """A paragraph after a paragraph in the first HTML, a figure between them or not, is marked
    indented, and keeps the mark wherever the figures go; a part of a paragraph after a cut is
    not. (Unmarked after a figure, a paragraph was set flush once the figure had moved to a
    column's top: a tester's travel piece, three paragraphs flush among indented ones.) By p + p, a
    figure moved out from before a paragraph gave it an indent it had been measured without, and
    the line cut for the figure lost its last word to a line of its own ("كل", a scraped report;
    figures-many, harbour-nets and museum-clay in the pocket layout, obit-physicist's magazine
    page 2: checks.short_lines now counts a cut part's last line)."""
    html = figures.number_blocks(
        '<html dir="rtl"><body><div class="body">\n<p>أول</p>\n<h2>عنوان</h2>\n<p>ثان</p>\n'
        '<figure class="photo"><img src="a.jpg"></figure>\n<p>ثالث رابع خامس</p>\n'
        '<ul><li>بند</li></ul>\n<p class="end">آخر</p>\n</div></body></html>')
    marked = re.findall(r'<p\b[^>]*>', html)
    assert marked == ['<p data-b="0">', '<p data-b="2">', '<p data-b="4" data-i>',
                      '<p class="end" data-b="6">']
    assert '<p data-b="1" data-i>' in figures.number_blocks(
        '<html><body><div class="body">\n<p>أ</p>\n<p>ب</p>\n</div></body></html>')
    placement = figures.Placement(html)
    placement.anchors = {3: (4, 4, "top")}  # before رابع (the 4th character not a space)
    parts = re.findall(r'<p\b[^>]*>[^<]*</p>', placement.render())
    assert '<p class="split" data-b="4" data-i>ثالث</p>' in parts
    assert '<p class="cont" data-b="4" data-o="4">رابع خامس</p>' in parts


@pytest.mark.parametrize("source", [FIXTURES / "figures-many.md", FIXTURES / "figures-mixed.md"],
                         ids=lambda path: path.stem)
def test_a_paragraph_after_a_figure_in_the_text_is_indented_where_the_figure_moved(project, source):
    """On the pages: every paragraph whose block before it in the text, figures aside, is a
    paragraph starts its first line with the indent, on the reading side; the others (after a
    heading, a list, the opening) start flush. Both fixtures hold paragraphs after photos that
    placement moves to column tops and feet."""
    with collect_warnings():
        document = build.typeset_article(build.context(source, project), build.load(source))
    first: dict[int, tuple[str, object]] = {}  # block number → (tag, its first box)
    for page in document.pages:
        for box in weasy.walk(weasy.page_box(page)):
            element = getattr(box, "element", None)
            number = element.get(figures.BLOCK) if element is not None and hasattr(element, "get") \
                else None
            if number is not None and type(box).__name__ == "BlockBox" \
                    and box.element_tag in ("p", "figure", "h2", "h3", "ul", "ol", "blockquote"):
                first.setdefault(int(number), (box.element_tag, box))
    checked = after_figure = 0
    text_before = ""
    for number in sorted(first):
        tag, box = first[number]
        if tag == "p" and box.children and "end" not in (box.element.get("class") or ""):
            marker = [b for b in weasy.walk(box.children[0]) if b.element_tag.endswith("::before")]
            indented = bool(marker) and marker[0].width > 5
            assert indented == (text_before == "p"), (source.name, number, text_before)
            checked += 1
            after_figure += first.get(number - 1, ("", None))[0] == "figure" and text_before == "p"
        text_before = text_before if tag == "figure" else tag
    assert checked >= 10 and after_figure >= 2, (checked, after_figure)


@pytest.fixture(scope="module")
def grid_texts(tmp_path_factory, project):
    out = tmp_path_factory.mktemp("grid") / "grid.pdf"
    build.build(GRID, out, project=project)
    return PdfReport(out).texts()


@pytest.mark.parametrize("reader", ["pypdf", "poppler"])
def test_moved_figures_and_cut_paragraphs_keep_the_text_layers_goals(grid_texts, reader):
    """A paragraph cut where a figure now heads a column still reads whole, in order."""
    if reader not in grid_texts:
        pytest.skip("poppler's pdftotext is not installed")
    score = fidelity.score(reader, grid_texts[reader], build.load(GRID))
    assert score.failures(fidelity.GOALS[reader]) == []
    assert score.words_found == 1.0


def test_pdfium_finds_every_word_of_the_moved_layout(grid_texts):
    """pdfium finds every word with no defect; its order goal is not asserted here: it reads
    three words of a paragraph running from one column to the next out of order on this
    fixture, with or without the figures moved (the same 99.4% on main before this change)."""
    score = fidelity.score("pdfium", grid_texts["pdfium"], build.load(GRID))
    assert score.words_found == 1.0 and not score.defects


#: Articles whose text ended with a line or two alone on a page of their own (figures.widow_page)
#: in one layout, and the pages they now take: each lead photo trimmed by whole lines. The last,
#: a film review, was written after that code to end so, and never tuned on.
WIDOWED = [(FIXTURES / "other-direction.md", "magazine", 1),
           (FIXTURES / "other-direction-en.md", "pocket", 1),
           (ROOT / "content" / "neighbourhood-libraries.md", "pocket", 2),
           (FIXTURES / "film-review.md", "pocket", 2)]


@pytest.mark.parametrize(("source", "layout", "pages"), WIDOWED, ids=lambda v: getattr(v, "name", v))
def test_the_lines_a_last_page_would_hold_alone_come_back(source, layout, pages, tmp_path, capsys):
    """Issue 13, item 5: no article ends with a page of one or two lines when its lead photo can
    give them room: the photo is cut around its centre by whole body lines (a quarter of its
    height at most), the text before the last page moves up by as much, and those lines come
    back. The build says nothing of it (the photo is not taller than page 1 allows: no warning,
    even under --strict), and pdfium still finds every word."""
    out = tmp_path / "out.pdf"
    assert main([str(source), "-o", str(out), "--layout", layout, "--strict", "-q"]) == 0
    assert [line for line in capsys.readouterr().err.splitlines()
            if line.startswith(("warning", "error"))] == []
    report = PdfReport(out)
    assert report.pages == pages, (source.name, layout, report.pages)
    score = fidelity.score("pdfium", report.texts()["pdfium"], build.load(source))
    assert score.words_found == 1.0


def _placed_in(placement: figures.Placement) -> list[int]:
    """The body's figures (block numbers) in the order the rendered HTML holds them."""
    return [int(n) for n in re.findall(r'<figure\b[^>]*\bdata-b="(\d+)"', placement.render())]


def test_figures_sent_to_one_spot_are_rendered_in_source_order():
    """Figures that Placement.in_order sends to one spot (each put right after the one before it
    in the text) keep their source order in the HTML, though a column's figure among them is
    sent to close the page before a figure across the columns that follows it: ranked first at
    that spot, it overtook the wide photo before it in the text (the tester's pocket photo essay
    set its column photos from source lines 25 and 35 before the photos of lines 19 and 29)."""
    blocks = ['<p>أول</p>', '<figure class="wide"><img src="a.jpg"></figure>', '<p>ثان</p>',
              '<figure class=""><img src="b.jpg"></figure>', '<p>ثالث</p>',
              '<figure class="bleed"><img src="c.jpg"></figure>', '<p>رابع</p>',
              '<figure class=""><img src="d.jpg"></figure>', '<p>خامس</p>']
    placement = figures.Placement(figures.number_blocks(
        '<html dir="rtl"><body><div class="body">' + "".join(blocks) + "</div></body></html>"))
    assert placement.figures() == [1, 3, 5, 7] and placement.spanning() == {1, 5}
    # the wide photo sent to head the page of the last paragraph; the others, anchored before
    # it, follow it there (in_order): the column photo before the bleed one closing the page above
    placement.anchors = {1: (8, 0, "top"), 3: (4, 0, "top"), 5: (4, 0, "bottom"), 7: (6, 0, "top")}
    assert {f: a[0] for f, a in placement.in_order().items()} == {1: 8, 3: 8, 5: 8, 7: 8}
    assert placement.in_order()[3][2] == "bottom"
    assert _placed_in(placement) == [1, 3, 5, 7]


#: Its body (a lead photo, then the tall one after the second section).
BODY = (
    '![الطريق إلى المدينة القديمة عند الفجر](images/demo-railway-'
    'station.jpg){credit="تصوير: سلمى الحداد"}\n'
    '\n'
    'وصلنا إلى المدينة مع أول ضوء الصباح، والضباب ما زال يغطي الوادي الذي '
    'تقوم عليه البيوت الحجرية. كان السائق يعرف الطريق جيدا، فتوقف بنا عند '
    'باب السوق القديم حيث يجتمع الباعة قبل أن تشتد حركة الناس. وفي المقهى '
    'الصغير عند الزاوية، قدم لنا صاحبه الشاي بالنعناع وحكى عن أجداده الذين '
    'بنوا هذا الحي قبل قرون.\n'
    '\n'
    'وتمتد الأزقة الضيقة من السوق إلى الجامع الكبير، وتتفرع منها دروب لا '
    'يعرفها إلا أهلها. وفي كل منعطف باب خشبي منقوش، ونافذة صغيرة تطل على '
    'فناء مزروع بالياسمين. ويقول الدليل إن عدد البيوت القديمة التي ما زالت '
    'مأهولة يقارب ثلاثمئة بيت، وإن البلدية رممت نصفها خلال العقد الماضي.\n'
    '\n'
    '## السوق المسقوف\n'
    '\n'
    'يبدأ السوق المسقوف عند البوابة الشرقية ويمتد قرابة كيلومتر واحد تحت '
    'أقواس حجرية عالية. وتصطف على جانبيه دكاكين النحاسين والعطارين وباعة '
    'الأقمشة، ولكل حرفة جزء من السوق لا تتعداه. وقال لنا أحد النحاسين إنه '
    'ورث الدكان عن أبيه، وإن أبناءه لا يريدون أن يتعلموا الصنعة لأنها لا '
    'تكفي لإعالة أسرة.\n'
    '\n'
    'وفي منتصف السوق خان قديم تحول إلى مركز للحرف اليدوية، يتعلم فيه الشباب'
    ' النسيج والخزف والخط العربي. وتشرف على المركز جمعية أهلية تمولها '
    'تبرعات المغتربين من أبناء المدينة، وقد تخرج منه حتى اليوم أكثر من مئتي'
    ' حرفي وحرفية.\n'
    '\n'
    '![مئذنة الجامع الكبير كما تبدو من سطح الخان '
    'القديم](images/minaret.jpg){credit="تصوير: سلمى الحداد"}\n'
    '\n'
    'ونصعد إلى سطح الخان عبر درج حجري ضيق، فتنكشف المدينة كلها أمامنا: '
    'القباب والمآذن والأسطح المتلاصقة، وخلفها الجبال التي تحيط بالوادي من '
    'ثلاث جهات. ويقول الحارس إن الزوار يأتون إلى هنا عند الغروب لالتقاط '
    'الصور، وإن السطح يزدحم في أيام الصيف حتى يضطر إلى إغلاقه.\n'
    '\n'
    'ويحكي الحارس أن المئذنة الكبرى بنيت على ثلاث مراحل، وأن كل مرحلة تحمل '
    'طراز عصرها في الزخرفة والحجر. وقد تضررت المئذنة في زلزال قبل نصف قرن، '
    'ثم أعيد بناء جزئها الأعلى بالحجارة نفسها بعد أن جمعها أهل المدينة من '
    'الأزقة حجرا حجرا.\n'
    '\n'
    '## المطبخ المحلي\n'
    '\n'
    'ولا تكتمل زيارة المدينة من دون الجلوس إلى مائدة أهلها. ففي المساء '
    'دعانا صاحب المقهى إلى بيته، حيث أعدت زوجته طبقا من البرغل باللحم '
    'والحمص، وقدمت معه خبزا خرج لتوه من التنور. وقالت إن الوصفة لم تتغير '
    'منذ أيام جدتها، وإن السر في الصبر لا في التوابل.\n'
    '\n'
    'وفي الصباح التالي زرنا سوق الخضار الذي يقام كل خميس عند ضفة النهر. '
    'ويأتي الفلاحون من القرى المجاورة بما حصدوه من تين وعنب ورمان، ويفرشون '
    'بضاعتهم على الأرض فوق أكياس من الخيش. والأسعار هنا أقل من نصف أسعار '
    'المدينة، والمساومة جزء من متعة الشراء.\n'
    '\n'
    '## قبل الرحيل\n'
    '\n'
    'وفي اليوم الأخير مشينا على طول السور القديم الذي يحيط بالمدينة من '
    'جهتها الغربية. ويبلغ طوله نحو ثلاثة كيلومترات، وتتخلله سبعة أبراج ما '
    'زال أربعة منها قائمة. ومن أعلى البرج الشمالي يمكن رؤية الطريق الذي '
    'جئنا منه، متعرجا بين الحقول والبساتين.\n'
    '\n'
    'وحين ودعنا صاحب المقهى عند باب السوق، أوصانا أن نعود في الربيع حين '
    'تزهر أشجار اللوز على سفوح الجبال. وقال إن المدينة لا تكشف نفسها للزائر'
    ' من المرة الأولى، وإن من يعود إليها يرى في كل مرة شيئا لم يره من قبل.\n'
    '\n'
)



#: A travel article written for the fill of a page before a tall portrait photo (not from the
#: fixtures: its photo is made by the test), the photo after the second section.
TRAVEL = ("---\ntitle: \"رحلة إلى مدينة المآذن\"\ndeck: \"ثلاثة أيام بين الأزقة القديمة والأسواق المسقوفة\"\n"
          "byline: \"سلمى الحداد\"\nlang: \"ar\"\n---\n\n" + BODY)


@pytest.mark.parametrize("layout", ["pocket", "magazine"])
def test_a_tall_photo_alone_on_its_page_takes_the_text_after_it_into_the_page_before(
        project, tmp_path, layout, expect_warnings):
    """A portrait photo (800 × 2100) alone on its pocket page, cropped to a page, its text sent on
    to the page after it: the page before it ended after a section of five lines, 76% empty
    (half_empty_pages), for figures._holes only took text from a column beside the photo's. The
    text after it now comes from the next page (figures._fill, onward): every page but the last
    is filled, the photo heads page 3 and nothing follows the end mark."""
    (tmp_path / "images").mkdir()
    shutil.copy(ROOT / "images" / "demo-railway-station.jpg", tmp_path / "images")
    photo = Image.new("RGB", (800, 2100), (180, 150, 110))
    draw = ImageDraw.Draw(photo)
    for y in range(0, 2100, 60):
        draw.rectangle((100, y, 700, y + 30), fill=(120 + y % 100, 90, 60))
    photo.save(tmp_path / "images" / "minaret.jpg", quality=85, dpi=(300, 300))
    source = tmp_path / "travel.md"
    source.write_text(TRAVEL, encoding="utf-8")
    # (its pixels at their placed size; cropped to a pocket page, which is what it is for)
    expect_warnings(r"photo minaret\.jpg is \d+ ppi at its placed size",
                    *[r"photo images/minaret\.jpg is taller than a page allows"][:layout == "pocket"])
    document = build.typeset_article(build.context(source, project, layout=layout), build.load(source))
    laid = figures.read(document)
    assert [p for p in range(laid.pages - 1) if figures.half_empty(laid, p)] == [], layout
    # (known, strict: the pocket page 2 ends on a paragraph's first line above the photo,
    # checks.lone_lines, which faults() holds since 2026-12-02; the cut before that paragraph
    # leaves a hole the layout counts first: test_balance.KNOWN_LONE_LINES)
    assert set(faults(document)) == ({"lone_lines"} if layout == "pocket" else set()), layout


#: A paragraph ending in a colon right before its list, under a heading that falls at the foot of
#: page 1's second column, the list's wide photo heading page 2 (written by an editor, not tuned on).
INTRODUCED = FIXTURES / "desal-plant.md"


def test_a_paragraph_that_introduces_a_list_is_not_parted_from_it_by_a_wide_photo(project):
    """desal-plant.md, magazine: "…قبل أن تصل إلى الصنبور:" ended page 1 under its heading, its list
    after the wide photo heading page 2. The photo now heads page 2 above the heading, the
    paragraph and its list, on one page with nothing between them (figures.introduced)."""
    with collect_warnings():
        document = build.typeset_article(build.context(INTRODUCED, project), build.load(INTRODUCED))
    columns = weasy.columns(document)
    flow = [(column.page, block) for column in columns for block in column.blocks]
    at = next(n for n, (_, b) in enumerate(flow) if "introduces" in b.attributes.get("class", "").split())
    (page, intro), (list_page, listed) = flow[at], flow[at + 1]
    assert listed.tag == "ol" and list_page == page, (page, list_page, listed.tag)
    wide = [s for s in weasy.spanning(document, figures.BLOCK) if s.page == page]
    assert all(s.block.border_bottom <= intro.top + 1 or s.block.top >= listed.bottom - 1
               for s in wide), "a wide photo between the paragraph and its list"
    assert wide and wide[0].block.border_top < min(c.top for c in columns if c.page == page) + 1
