"""Scraped forms that were lost, printed raw or made sub-headings: a linked headline holding a logo,
reference-style and escaped images, a table written with bars and no rule under its header.

Each case is what the importer gives (blocks, figures, what it said) and, built as it is, what
the PDF's text holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.check.verify import PdfReport
from pressroom.model import Table
from pressroom.sources import importer

from .test_import_pieces import A, B, _parse
from .test_importer_cases import HEAD_AR, LONG_AR, P0_AR, blocks_of
from .test_importer_e2e import _run
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
