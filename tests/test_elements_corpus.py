"""Generated articles holding every element (tests/corpus/elements.py, never tuned on) laid out in
both layouts: no raw syntax, no warning but what a check also finds, and every check of
test_balance (issue 13) — the known faults listed, strict, so that a fix shows."""

from __future__ import annotations

import re

import pytest

from pressroom import build
from pressroom.layout import weasy
from pressroom.project import Project
from pressroom.report import listen

from . import boxes
from .checks import faults
from .conftest import ROOT
from .corpus import elements

SEEDS = range(20)
LAYOUTS = ("magazine", "pocket")
#: What checks.faults finds on each generated article known to fail (seed, layout): strict.
KNOWN_FAULTS: dict[tuple[int, str], set[str]] = {
    # (elements-000, magazine: its page 2 was half empty, a line of a paragraph alone on page 3;
    # the cut that leaves none (figures.kept_lines) gave a layout with no page half empty, which
    # figures.quality puts first, two photos across the columns mid-page)
    (0, "magazine"): {"unplaced"},
    # (tables.decimal_pads, session tabletext: the pads of its second table's decimal columns
    # widen them, its headings wrap to two lines and the table grows 17 px (212.4 to 229.4);
    # page 2's second column then ends 2.5 px off the grid. Placement's, not tuned here.)
    (2, "magazine"): {"off_grid"},
    (9, "magazine"): {"short_columns"},
    (9, "pocket"): {"after_the_end"},
    (14, "pocket"): {"after_the_end", "short_before_figures", "lone_lines"},
    # (checks.lone_last_words: the last piece of an address alone on its paragraph's last line,
    # "12" of a list item's http://example.org/en/press/2021/05/12, "press@example.org.": an
    # address breaks at its own places and is not bound to the word before it,
    # render.keep_paragraph_end, which binds every other last pair of these articles)
    (10, "magazine"): {"lone_last_words"},
    (11, "magazine"): {"lone_last_words"},
    (17, "pocket"): {"lone_last_words"},
}
#: Markdown a reader must never see on the page.
RAW = re.compile(r"\||\[\^|:::|!\[|\]\(|\{\.|\*\*|\$")
#: Warnings a check also stands for (a figure it could not place; a page more than half empty,
#: figures out of source order, a thin last page: WARNED), or that say what the layout
#: does by design (the pocket layout sets a body photo marked .bleed inside the page; a tall
#: lead photo is cropped to page 1, a tall body photo to a page).
EXPECTED = re.compile(r"could not be set at|is marked \{\.bleed\} but this layout|taller than page 1"
                      r"|is taller than a page allows"
                      r"|is \d+% empty and is not the article's last page|which comes earlier in the text"
                      r"|the last page \(\d+\) holds only")
#: The kept layout's faults the build warns about (outcome.py), by the check that finds each:
#: warned exactly where that check finds it (a known fault, KNOWN_FAULTS), never elsewhere.
WARNED = {"half_empty_pages": re.compile(r"page (\d+) is \d+% empty and is not the article's last page"),
          "figure_order": re.compile(r"which comes earlier in the text"),
          "thin": re.compile(r"the last page \((\d+)\) holds only")}


@pytest.mark.corpus
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_an_article_of_every_element_is_laid_out_whole(seed, layout, tmp_path):
    generated = elements.article(seed)
    (tmp_path / "images").symlink_to(ROOT / "images")
    source = tmp_path / generated.name
    source.write_text(generated.text, encoding="utf-8")
    said: list[str] = []
    with listen(lambda record: said.append(record.getMessage())
                if record.name.startswith("pressroom") else None):
        document = build.typeset_article(build.context(source, Project(ROOT), layout=layout),
                                         build.load(source))
    text = " ".join(boxes.text_of(weasy.page_box(page)) for page in document.pages)
    assert not RAW.findall(text), (generated.name, layout, RAW.findall(text))
    assert [line for line in said if not EXPECTED.search(line)] == [], (generated.name, layout)
    found = faults(document)
    assert set(found) == KNOWN_FAULTS.get((seed, layout), set()), (generated.name, layout, found)
    half_empty = [int(m[1]) for line in said if (m := WARNED["half_empty_pages"].search(line))]
    assert half_empty == found.get("half_empty_pages", []), (generated.name, layout, said)
    assert any(WARNED["figure_order"].search(line) for line in said) == ("figure_order" in found), \
        (generated.name, layout, said)
    thin = [int(m[1]) for line in said if (m := WARNED["thin"].search(line))]
    assert bool(thin) == bool({"widow_page", "thin_last_page"} & set(found)), (generated.name, layout, said)
