"""A table across the columns (a tester's finding): a 7-column table of phrases was set in one
magazine column, set closer, and split: every phrase wrapped to three or four lines. Marked
{.wide} after its last row, or needing more than a column (tables.spans), it now stands between
two bodies as a wide figure does, across both columns; a table of short cells stays in its
column. Asserted on the pages (its box, the columns above and below it) and on what every reader
extracts (its rows in order, each row's cells together)."""

from __future__ import annotations

import re

import pytest

from pressroom import build
from pressroom.check.verify import words
from pressroom.layout import tables, weasy
from pressroom.report import collect_warnings

from .boxes import bottom, columns, content_area, find, top, walk
from .checks import EPS
from .test_search import INVISIBLE, reader_texts
from .test_tables import STANDINGS

#: Seven columns: a city, a project and an expert's note in words, four quantities.
TRANSPORT = "\n".join("| " + " | ".join(row) + " |" for row in (
    ("المدينة", "المشروع", "الطول", "الكلفة", "المدة", "الركاب يومياً", "ملاحظات الخبراء"),
    ("---", "---", "--:", "--:", "--:", "--:", "---"),
    ("الرياض", "مترو من ست خطوط تغطي المدينة", "176 كم", "22.5 مليار", "10 سنوات", "3,600,000",
     "أكبر مشروع مترو بني دفعة واحدة"),
    ("دبي", "مترو آلي بلا سائق على خطين", "90 كم", "7.6 مليار", "4 سنوات", "600,000",
     "نموذج في الالتزام بالمواعيد والكلفة"),
    ("القاهرة", "الخط الثالث للمترو وتوسعاته", "41 كم", "4.2 مليار", "12 سنة", "1,500,000",
     "تأخر بسبب الآثار المكتشفة تحت المدينة"),
    ("الدوحة", "مترو بثلاثة خطوط قبل كأس العالم", "76 كم", "36 مليار", "6 سنوات", "150,000",
     "ركاب أقل من المتوقع خارج المباريات"),
    ("تونس", "الشبكة الحديدية السريعة للضواحي", "86 كم", "1.9 مليار", "15 سنة", "70,000",
     "لم يكتمل منها إلا خط واحد حتى اليوم"))) + "\n"
CITIES = ("الرياض", "دبي", "القاهرة", "الدوحة", "تونس")
PARAGRAPH = ("بدأت المدن العربية الكبرى خلال العقد الماضي مشروعات نقل عام طموحة، من القطارات الخفيفة "
             "إلى الحافلات السريعة، وتفاوتت نتائجها بين مدينة وأخرى تفاوتاً كبيراً في الكلفة والمدة "
             "والأثر، ويقول خبراء النقل إن المقارنة بين هذه المشروعات تكشف ما ينجح وما يتعثر.")


def _body(table: str) -> str:
    return "\n\n".join([PARAGRAPH] * 3) + "\n\n" + table + "\n" + "\n\n".join([PARAGRAPH] * 4) + "\n"


def _typeset(path, workspace, layout: str):
    with collect_warnings() as said:
        document = build.typeset_article(build.context(path, workspace, layout=layout),
                                         build.load(path))
    return document, list(said)


def _table(document):
    (table,) = [t for page in document.pages for t in find(page, "table")
                if type(t).__name__ == "TableBox"]
    page = next(p for p in document.pages if any(b is table for b in walk(weasy.page_box(p))))
    return page, table


@pytest.mark.parametrize("mark", ["{.wide}\n", "\n{.wide}\n", "| {.wide} |\n"])
def test_wide_after_a_table_marks_it(write_article, mark):
    path = write_article("نص.\n\n" + STANDINGS + mark + "\nنص بعده.\n", lang="ar")
    with collect_warnings() as said:
        article = build.load(path)
    (table,) = [b for b in article.blocks if type(b).__name__ == "Table"]
    assert table.wide and len(table.rows) == 5 and not list(said)
    assert [b.text for b in article.blocks if type(b).__name__ == "Paragraph"] == ["نص.", "نص بعده."]


def test_which_tables_span_the_columns(write_article):
    transport, standings = (next(b for b in build.load(write_article(t, name=f"{n}.md", lang="ar")).blocks
                                 if type(b).__name__ == "Table")
                            for n, t in (("a", TRANSPORT), ("b", STANDINGS)))
    assert tables.spans(transport)  # phrases in seven columns: more than a column holds
    assert not tables.spans(standings)  # eight columns of short cells: one column, set closer


@pytest.mark.parametrize("mark", ["", "{.wide}\n"])
def test_a_table_of_phrases_is_set_across_the_magazine_columns(workspace, write_article, mark,
                                                               tmp_path):
    path = write_article(_body(TRANSPORT + mark), lang="ar")
    document, said = _typeset(path, workspace, "magazine")
    assert not said, said
    page, table = _table(document)
    x0, _, x1, _ = content_area(page)
    assert table.border_width() == pytest.approx(x1 - x0, abs=1)  # across both columns
    assert not any(b is table for c in columns(page) for b in walk(c))  # in no column
    above = [c for c in columns(page) if bottom(c) <= top(table) + EPS and c.children]
    below = [c for c in columns(page) if top(c) >= bottom(table) - EPS and c.children]
    assert len(above) == 2 and len(below) == 2  # the text in two columns above it and below it
    cells = [c for c in find(page, "td") if type(c).__name__ == "TableCellBox"]
    rows = len(CITIES)
    lines = sum(len(list(weasy.line_boxes(c))) for c in cells)
    assert lines <= len(cells) + rows, lines  # a phrase on one line, or two at most once a row
    assert weasy.wide_tables(document) == [] and weasy.overfull_cells(document) == []
    out = tmp_path / "transport.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace)
    for reader, pages in reader_texts(out).items():
        text = INVISIBLE.sub("", " ".join(pages))
        at = [text.find(city) for city in CITIES]
        assert all(a >= 0 for a in at) and at == sorted(at), (reader, at)  # rows in order
        for city, note in zip(CITIES, ("دفعة", "بالمواعيد", "الآثار", "المباريات", "اليوم"), strict=True):
            row = text[text.find(city):]
            nxt = min((row.find(c) for c in CITIES if c != city and row.find(c) > 0), default=len(row))
            assert note in words(row[:nxt]), (reader, city)  # each row's cells read together
        heading = text.find("يومياً")  # (a heading of it: pypdf reads "ملاحظات" with a lam-alef form)
        assert 0 <= heading < at[0], reader  # the header before the rows


def test_a_table_of_short_cells_stays_in_its_column(workspace, write_article):
    path = write_article(_body(STANDINGS), lang="ar")
    document, _ = _typeset(path, workspace, "magazine")
    page, table = _table(document)
    (column,) = [c for c in columns(page) if any(b is table for b in walk(c))]
    assert table.border_width() <= column.width + EPS


def test_the_pocket_edition_sets_a_wide_table_as_wide_as_its_column(workspace, write_article):
    path = write_article(_body(TRANSPORT + "{.wide}\n"), lang="ar")
    document, said = _typeset(path, workspace, "pocket")
    assert not said, said
    page, table = _table(document)
    x0, _, x1, _ = content_area(page)
    assert table.border_width() == pytest.approx(x1 - x0, abs=1)
    assert weasy.wide_tables(document) == []
    assert re.search("ملاحظات", "".join(b.text for b in walk(table) if type(b).__name__ == "TextBox"))
