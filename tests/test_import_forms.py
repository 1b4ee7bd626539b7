"""Scraped forms that were lost, printed raw or made sub-headings: a linked headline holding a logo,
reference-style and escaped images, a table written with bars and no rule under its header.

Each case is what the importer gives (blocks, figures, what it said) and, built as it is, what
the PDF's text holds.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pressroom.check.verify import PdfReport
from pressroom.model import Table
from pressroom.sources import importer

from .conftest import FIXTURES
from .test_import_pieces import A, B, _parse
from .test_importer_cases import HEAD_AR, LONG_AR, P0_AR, blocks_of
from .test_importer_e2e import _inside, _project_copy, _run
from .test_pdf import has_phrase

#: Photos with a copy in images/ (a build never fetches).
STADIUM = "https://x.example/2024/demo-solar-rows.jpg"
CROWD = "https://x.example/2024/demo-railway-station.jpg"
LOGO = "https://x.example/static/logo.png"
HEADLINE = "The Derby Ends in a Draw at Last"
DECK = "A late goal saves the visitors in front of a full stadium"
P_EN = "The match started slowly, with both teams cautious for most of the first half."
P2_EN = "The home side pressed after the break, and the visitors held on until the end."


def _parse_text(text: str) -> tuple:
    article, decisions = importer.parse(text, Path("case.txt"))
    return article, decisions


# --- 1. a linked headline holding a logo --------------------------------------------------------
@pytest.mark.parametrize("title_line", [
    f"[![logo]({LOGO}) {HEADLINE}](https://x.example/article)",
    f"[{HEADLINE} ![logo]({LOGO})](https://x.example/article)",
    f"[![]({LOGO})  {HEADLINE}](https://x.example/a_(b))",
], ids=["logo-first", "logo-last", "no-alt-brackets-in-link"])
def test_a_linked_headline_holding_a_logo_is_the_title(title_line):
    """It was left out whole as a malformed image: the deck became the title."""
    article, decisions = _parse_text(f"{title_line}\n{DECK}\nBy Jane Doe\n{P_EN}\n{P2_EN}\n")
    assert (article.title, article.deck, article.byline) == (HEADLINE, DECK, "Jane Doe")
    assert article.figures == ()
    said = [(d.kind, d.text) for d in decisions]
    assert ("title", HEADLINE) in [(k, importer._unlink(t)) for k, t in said]
    assert [t for k, t in said if k == "boilerplate" and LOGO in t], said
    assert not [d for d in decisions if d.kind == "left out"]


def test_a_logo_inside_a_link_in_a_paragraph_keeps_the_link_s_text():
    got, figures, said = _parse(f"وقال المدرب إن [![شعار]({LOGO}) النادي الأهلي](https://x.example/c) "
                                "سيعود أقوى في الموسم المقبل.")
    assert got == [("p", "وقال المدرب إن النادي الأهلي سيعود أقوى في الموسم المقبل.")]
    assert (figures, said) == ([], set())


def test_a_site_s_logo_and_name_above_the_title_is_furniture():
    """A masthead ("[logo Site](/)"), too short for a headline, is not taken for the title."""
    article, _ = _parse_text(f"[![]({LOGO}) Goal News](https://x.example/)\n{HEADLINE}\n"
                                     f"{DECK}\nBy Jane Doe\n{P_EN}\n{P2_EN}\n")
    assert (article.title, article.deck) == (HEADLINE, DECK)
    assert article.figures == ()


# --- 2. reference-style and escaped images ------------------------------------------------------
def _with_definitions(body: str, definitions: str) -> tuple:
    return _parse_text(f"{HEAD_AR}{P0_AR}\n{body}\n{LONG_AR}\n{definitions}")


@pytest.mark.parametrize(("line", "definition", "caption"), [
    ("![الملعب قبل المباراة][stadium]", f"[stadium]: {A}", "الملعب قبل المباراة"),
    ("![الملعب قبل المباراة][Stadium Photo]", f'[stadium   photo]: <{A}> "the stadium"',
     "الملعب قبل المباراة"),
    ("![ملعب][]", f"[ملعب]: {A}", "ملعب"),
    ("![ملعب]", f"[ملعب]: {A}", "ملعب"),
    (f"[![ملعب][s]]({B})", f"[s]: {A}", "ملعب"),
], ids=["full", "label-case-spaces-title", "collapsed", "shortcut", "linked"])
def test_a_reference_image_is_resolved_with_its_definition(line, definition, caption):
    article, decisions = _with_definitions(line, definition)
    assert [(f.src, f.caption) for f in article.figures] == [(A, caption)]
    assert blocks_of(article)[-1] == ("p", LONG_AR)  # the definition is not printed
    assert not [d for d in decisions if d.kind == "left out"]
    assert not any("[" in t or "]:" in t for t in article.text_blocks())


def test_a_line_like_a_definition_without_an_address_is_text():
    article, _ = _with_definitions("[ملاحظة]: مهم", "")
    assert "[ملاحظة]: مهم" in article.text_blocks()


def test_a_reference_image_with_no_definition_is_left_out_said_with_its_line():
    article, decisions = _with_definitions("![الملعب][nowhere]", "")
    assert article.figures == () and blocks_of(article) == [("p", P0_AR), ("p", LONG_AR)]
    (said,) = [d for d in decisions if d.kind == "left out"]
    assert said.line == 5 and "[nowhere]" in said.unsure and "defined nowhere" in said.unsure


def test_a_reference_image_inside_text_is_left_out_and_reference_links_keep_their_text():
    article, _ = _with_definitions("وقال المدرب ![شعار][logo] إن [الفريق][team] سيعود أقوى.",
                                   f"[logo]: {LOGO}\n[team]: https://x.example/team")
    assert blocks_of(article)[1] == ("p", "وقال المدرب إن الفريق سيعود أقوى.")


@pytest.mark.parametrize("line", [f"![الملعب قبل المباراة\\]({A})", f"!\\[الملعب قبل المباراة]({A})",
                                  f"\\![الملعب قبل المباراة]({A})", f"!\\[الملعب قبل المباراة\\]({A})"],
                         ids=["closing", "opening", "bang", "both"])
def test_an_escaped_image_is_a_photo_never_raw_nor_a_sub_heading(line):
    got, figures, _ = _parse(line)
    assert (got, figures) == ([("fig", "الملعب قبل المباراة", "")], [A])


def test_an_escaped_image_inside_text_is_left_out():
    got, figures, said = _parse(f"وقال المدرب ![شعار\\]({LOGO}) إن الفريق سيعود أقوى.")
    assert (got, figures, said) == ([("p", "وقال المدرب إن الفريق سيعود أقوى.")], [], {5})


def test_an_escaped_bracket_in_an_alt_text_is_kept():
    got, _, _ = _parse(f"![جنود \\[يسار\\] في الملعب]({A})")
    assert got == [("fig", "جنود [يسار] في الملعب", "")]


def test_reference_and_escaped_images_built_as_they_are(workspace, monkeypatch, expect_warnings):
    """Built without import: the undefined one a warning naming file:line, no raw syntax printed."""
    expect_warnings(r"refs\.txt:7: left out: !\[شعار\]\[nowhere\]")
    monkeypatch.chdir(workspace.root)
    scraped = workspace.root / "refs.txt"
    scraped.write_text(f"{HEAD_AR}{P0_AR}\n![الملعب][s]\nتصوير: أحمد علي\n![شعار][nowhere]\n"
                       f"![المدرجات\\]({STADIUM})\nتصوير: سامر خليل\n{LONG_AR}\n[s]: {CROWD}\n",
                       encoding="utf-8")
    assert _run([str(scraped), "-o", str(workspace.root / "out.pdf")])[0] == 0
    text = "\n".join(PdfReport(workspace.root / "out.pdf").text_pypdf())
    assert has_phrase(text, "الملعب") and has_phrase(text, "المدرجات")
    assert not [raw for raw in ("![", "](", "][", "]:", "\\", "nowhere") if raw in text]


# --- 3. a table written with bars and no rule ---------------------------------------------------
ROWS = ["Team | Played | Points", "Reds | 10 | 22", "Blues | 10 | 19", "Greens | 9 | 15"]


def test_bar_lines_of_the_same_shape_are_a_table_said_as_unsure():
    article, decisions = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n" + "\n".join(ROWS)
                                     + f"\n{P2_EN}\n")
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert [c.text for c in table.header] == ["Team", "Played", "Points"]
    assert [[c.text for c in row] for row in table.rows] == [["Reds", "10", "22"], ["Blues", "10", "19"],
                                                             ["Greens", "9", "15"]]
    assert [c.numeric for c in table.header] == [False, True, True]
    (said,) = [d for d in decisions if d.kind == "table"]
    assert said.line == 5 and said.unsure
    assert blocks_of_text(article) == [P_EN, P2_EN]


def blocks_of_text(article) -> list[str]:
    return [b.text for b in article.blocks if not isinstance(b, Table)]


@pytest.mark.parametrize(("lines", "why"), [
    (ROWS[:1], "a single bar line"),
    (["Team | Played | Points", "Reds | 10"], "rows of different shapes"),
    (["Facebook | Twitter | Email", "Share | Print | Save"], "share buttons"),
])
def test_bar_lines_that_are_no_table(lines, why):
    article, _ = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n" + "\n".join(lines)
                             + f"\n{P2_EN}\n")
    assert not [b for b in article.blocks if isinstance(b, Table)], why


def test_a_bar_table_reads_back_from_markdown(tmp_path):
    from pressroom.sources import content

    article, _ = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n" + "\n".join(ROWS) + f"\n{P2_EN}\n")
    written = tmp_path / "derby.md"
    written.write_text(importer.to_markdown(article), encoding="utf-8")
    (read,) = [b for b in content.load(written).blocks if isinstance(b, Table)]
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert (read.header, read.rows) == (table.header, table.rows)


def test_markdown_image_syntax_that_is_no_image_is_left_out_said(write_article, expect_warnings):
    """In Markdown too: "![x][ref]" with no definition and "![x\\](…)" printed as they are."""
    from pressroom.sources import content

    expect_warnings(r"article\.md:7: !\[صورة\]\[nowhere\]: an image's syntax that is no image",
                    r"article\.md:9: !\[صورة\]\(https://x\.example/a\.jpg\): an image's syntax",
                    r"article\.md:11: !\[x\]\[nope\]: an image's syntax")
    path = write_article(f"{P0_AR}\n\n![صورة][nowhere]\n\n![صورة\\](https://x.example/a.jpg)\n\n"
                         "نص ![x][nope] آخر.\n\n![ملعب][s]\n\n[s]: https://x.example/s.jpg\n")
    article = content.load(path)
    assert [b.text for b in article.blocks if not hasattr(b, "src")] == [P0_AR, "نص  آخر."]
    assert [f.src for f in article.figures] == ["https://x.example/s.jpg"]


# --- 4. photos side by side: one figure, a row -------------------------------------------------
def _rows(document) -> list[list[tuple[float, float, float, float]]]:
    """Each row figure's photos as laid out: (x, y, width, height) of each <img>, in order."""
    from weasyprint.formatting_structure import boxes

    from pressroom.layout import weasy

    found = []
    for page in document.pages:
        for box in weasy.walk(weasy.page_box(page)):
            if box.element_tag == "figure" and "row" in (box.element.get("class") or "").split():
                found.append([(b.border_box_x(), b.border_box_y(), b.border_width(), b.border_height())
                              for b in weasy.walk(box) if isinstance(b, boxes.ReplacedBox)])
    return found


def _side_by_side(row: list[tuple[float, float, float, float]], rtl: bool) -> bool:
    """One top, one height, in reading order from the start side, none over another."""
    ordered = sorted(row, key=lambda r: -r[0] if rtl else r[0])
    return (len({round(r[1]) for r in row}) == 1 and max(r[3] for r in row) - min(r[3] for r in row) < 1.5
            and ordered == row and all(
                (a[0] >= b[0] + b[2]) if rtl else (b[0] >= a[0] + a[2]) for a, b in itertools.pairwise(row)))


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_markdown_row_is_one_figure_set_side_by_side(workspace, write_article, layout):
    """Photos on one line, and photos marked {.row} on the lines after one: one figure each, its
    photos laid out side by side (one top, one height, the first on the reading side), each credit
    under its photo and the caption once; the placement sees one figure box for each row."""
    from pressroom import build
    from pressroom.layout import figures, weasy
    from pressroom.sources import content

    text = " ".join([P0_AR] * 3)
    path = write_article(
        f"{text}\n\n![الملعب قبل المباراة](images/demo-cover.jpg){{credit=\"تصوير: خالد\"}} "
        f"![](images/demo-solar-rows.jpg){{credit=\"رويترز\"}}\n\n{text}\n\n{text}\n\n"
        "![](images/demo-library-box.jpg){credit=\"تصوير: سامر\"}\n"
        "![قراء صغار في المكتبة](images/demo-library-children.jpg){.row credit=\"تصوير: ليلى\"}\n"
        f"![](images/demo-railway-station.jpg){{.row credit=\"أ ف ب\"}}\n\n{text}\n\n{LONG_AR}\n\n{text}\n")
    article = content.load(path)
    assert [(len(f.photos), f.caption, f.credits) for f in article.figures] == [
        (2, "الملعب قبل المباراة", ("تصوير: خالد", "رويترز")),
        (3, "قراء صغار في المكتبة", ("تصوير: سامر", "تصوير: ليلى", "أ ف ب"))]
    document = build.typeset_article(build.context(path, workspace, layout=layout), article)
    rows = _rows(document)
    assert [len(row) for row in rows] == [2, 3] and all(_side_by_side(row, rtl=True) for row in rows), rows
    assert len(weasy.placed_figures(document)) == 2  # one figure box a row
    assert len(figures.read(document).photos) == 1  # the body's row (the first is the lead)
    pdf = workspace.root / "rows.pdf"
    with _inside(workspace.root):
        assert _run([str(path), "-o", str(pdf), "--layout", layout])[0] == 0
    text = "\n".join(PdfReport(pdf).text_pypdf())
    for said in ("الملعب قبل المباراة", "قراء صغار في المكتبة", "تصوير: خالد", "رويترز", "تصوير: سامر",
                 "تصوير: ليلى", "أ ف ب"):
        assert has_phrase(text, said), said
    assert text.count("المكتبة") == 1


def test_a_row_mark_with_no_photo_before_it_is_said(write_article, expect_warnings):
    from pressroom.sources import content

    expect_warnings(r"article\.md:7: a photo marked \{\.row\} with no photo before it")
    path = write_article(f"{P0_AR}\n\n![](images/demo-cover.jpg){{.row credit=\"رويترز\"}}\n\n{LONG_AR}\n")
    assert [len(f.photos) for f in content.load(path).figures] == [1]


def test_a_row_reads_back_from_the_imported_markdown(tmp_path):
    from pressroom.sources import content

    article, _ = _parse_text(f"{HEAD_AR}{P0_AR}\n[![]({A})](https://x.example/g1) [![]({B})](https://x.example/g2)\n"
                             f"المدرجات قبل السباق وبعده\nتصوير: عمر الزين\n{LONG_AR}\n")
    (row,) = article.figures
    assert (row.caption, row.credits, [p.src for p in row.photos]) == (
        "المدرجات قبل السباق وبعده", ("تصوير: عمر الزين",) * 2, [A, B])
    written = tmp_path / "row.md"
    written.write_text(importer.to_markdown(article), encoding="utf-8")
    (read,) = content.load(written).figures
    assert (read.caption, read.credits, [p.src for p in read.photos]) == (
        row.caption, row.credits, [p.src for p in row.photos])


# --- NEW: a swimming championship page, written after the code worked, never tuned on ------------
#: A results page as a sports site's scraper leaves it: a linked headline holding the site's logo
#: as its first line, "بقلم:" byline, date, share buttons, a reference-style photo whose
#: definition closes the page (with a title), its credit, a sub-heading, a results table written
#: with bars and no rule, two linked photos side by side with their caption and a bracketed
#: "name/organisation" credit, "اقرأ أيضاً", a photo whose closing bracket is escaped, a
#: reference-style badge defined nowhere (line 24), tags, comments closed.
SWIM = FIXTURES / "swim-finals-scraped.txt"
SWIM_TITLE = "ختام بطولة السباحة: أرقام جديدة في حوض الخمسين متراً"
#: (caption, each photo's copy in images/, each photo's credit)
SWIM_FIGURES = [
    ("ليان حداد لحظة لمس الجدار في نهاية السباق", ("demo-library-children.jpg",), ("تصوير: عمر الزين",)),
    ("المدرجات قبل السباق الأخير وبعده", ("demo-solar-rows.jpg", "demo-railway-crossing.jpg"),
     ("تصوير: عمر الزين/المسبح",) * 2),
    ("الجهاز الفني للمنتخب المضيف", ("demo-newsroom-desk.jpg",), ("الصورة: الاتحاد العربي للسباحة",))]
SWIM_TABLE = [["السباق", "الفائز", "الزمن"], ["200 م حرة فتيات", "ليان حداد", "2:04.18"],
              ["100 م فراشة فتيان", "كريم منصور", "55.62"], ["400 م متنوع فتيان", "يوسف البنا", "4:31.07"]]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_swim_finals_imported_and_built(tmp_path, layout):
    from pressroom.sources.content import load

    root = _project_copy(tmp_path)
    with _inside(root):
        code, said, err = _run(["import", str(SWIM)])
        assert (code, err) == (0, ""), err
        md = root / "content" / "swim-finals-scraped.md"
        article = load(md)
        code, _, err = _run([str(md), "-o", str(root / "out.pdf"), "--layout", layout])
        assert code == 0, err
    assert (article.title, article.byline) == (SWIM_TITLE, "نادين العمري")
    assert [(f.caption, tuple(Path(p.src).name for p in f.photos), f.credits) for f in article.figures] \
        == SWIM_FIGURES
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert [[c.text for c in table.header], *([c.text for c in row] for row in table.rows)] == SWIM_TABLE
    assert f"{SWIM}:24: left out: ![شارة البطولة][badge]" in said
    assert f"{SWIM}:11: table: 3 rows of 3 columns  (unsure:" in said
    text = "\n".join(PdfReport(root / "out.pdf").text_pypdf())
    assert not [raw for raw in ("![", "](", "][", "]:", "\\", "|", "http", "شعار", "badge", "شارة")
                if raw in text]
    assert has_phrase(text, SWIM_TITLE)
    for caption, _, credits in SWIM_FIGURES:
        assert has_phrase(text, caption) and all(has_phrase(text, credit) for credit in credits)
    # the row's one credit line is said once, not under each of its two photos ("المسبح" is
    # in the text once more)
    assert text.count("عمر الزين/المسبح") == 1
    for row in SWIM_TABLE:
        assert all(has_phrase(text, cell) for cell in row), row


# --- what a hostile reading of the above found --------------------------------------------------
def test_a_blank_line_ends_a_bar_table():
    """Two bar lines, a blank line, a third: a table of two lines (the third is text), not three
    lines from two paragraphs."""
    article, _ = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n" + "\n".join(ROWS[:2])
                             + f"\n\n{ROWS[2]}\n{P2_EN}\n")
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [["Reds", "10", "22"]]


def test_a_list_of_sources_that_nothing_refers_to_is_text():
    """"[1]: https://…" under "Sources:" with no "[x][1]" in the text is a visible list, kept; a
    line of a "[" and 100,000 characters is read at once (the label's pattern backtracked: 20,000
    took 7 s)."""
    article, decisions = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\nSources:\n"
                                     "[1]: https://who.int/report-2024.pdf\n[2]: https://uni.example.edu/s\n")
    assert blocks_of_text(article)[-2:] == ["[1]: https://who.int/report-2024.pdf",
                                            "[2]: https://uni.example.edu/s"]
    assert not [d for d in decisions if d.kind == "reference"]
    article, _ = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n[" + "a" * 100_000 + "\n")
    assert any(len(text) > 100_000 for text in blocks_of_text(article))


def test_a_row_holds_four_photos_at_most(write_article):
    """Ten photos on one line: rows of 4, 4 and 2 (thirty-five in one row were drawn with
    negative widths, none printed); the same from a scraped line."""
    from pressroom.sources import content
    line = "".join(f'![](images/p{n}.jpg){{credit="c{n}"}}' for n in range(10))
    figures = content.load(write_article(line + "\n")).blocks
    assert [len(f.photos) for f in figures] == [4, 4, 2]
    assert [p.credit for f in figures for p in f.photos] == [f"c{n}" for n in range(10)]
    photos = " ".join(f"![](https://x.example/p{n}.jpg)" for n in range(10))
    scraped, _ = _parse_text(f"{HEADLINE}\n{DECK}\nBy Jane Doe\n{P_EN}\n{photos}\n{P2_EN}\n")
    assert [len(f.photos) for f in scraped.blocks if hasattr(f, "photos")] == [4, 4, 2]


@pytest.mark.parametrize("head", ["{HEADLINE}\n{DECK}\n", "{HEADLINE}\n"])
def test_a_table_right_after_the_head_is_a_table_not_the_byline(head):
    """A Markdown table on the line after the deck (or the title) was taken as the byline, its
    row of dashes and its rows as sub-headings: its bars printed. The body starts there."""
    article, _ = _parse_text(head.format(HEADLINE=HEADLINE, DECK=DECK)
                             + "| Team | Points |\n|---|--:|\n| Reds | 22 |\n\n" + f"{P_EN}\n")
    assert article.byline == "" and article.deck == ("" if head.count("\n") == 1 else DECK)
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in (table.header, *table.rows)] == [["Team", "Points"],
                                                                             ["Reds", "22"]]
    assert blocks_of_text(article) == [P_EN]
