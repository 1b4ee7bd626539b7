"""Tables set as print tables: words given the width numbers do not need, quantities aligned on
their decimal separator, a number kept with its unit and a spaced range with its dash."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pypdfium2
import pytest

from pressroom import build
from pressroom.check.verify import words
from pressroom.layout import tables, weasy
from pressroom.layout.weasy import line_boxes
from pressroom.model import Cell, Table
from pressroom.report import collect_warnings

from .boxes import find, walk
from .conftest import FIXTURES
from .test_search import INVISIBLE, reader_texts

#: An 8-column standings table (the tester's football column): two-word team names beside seven
#: columns of one- and two-digit numbers under one-word headings.
STANDINGS = ("| المركز | الفريق | لعب | فوز | تعادل | خسارة | له/عليه | النقاط |\n"
             "|--:|---|--:|--:|--:|--:|--:|--:|\n"
             "| 1 | Raja CA | 30 | 20 | 7 | 3 | 55/22 | 67 |\n"
             "| 2 | RS Berkane | 30 | 16 | 7 | 7 | 40/29 | 55 |\n"
             "| 3 | FUS Rabat | 30 | 13 | 10 | 7 | 38/31 | 49 |\n"
             "| 4 | Hassania Agadir | 30 | 11 | 9 | 10 | 33/35 | 42 |\n"
             "| 5 | MAS Fès | 30 | 10 | 8 | 12 | 30/38 | 38 |\n")
#: The seven columns of tests/fixtures/airline-punctuality.md (written after the code): headings
#: side by side over numbers, decimal columns padded right of their numbers beside a column of
#: distances. Set 1 mm apart, pypdf read "الإلغاءالتغير" and "+2.93,210".
AIRPORTS = "\n".join(line for line in (FIXTURES / "airline-punctuality.md").read_text(encoding="utf-8")
                     .splitlines() if line.startswith("|")) + "\n"
TEAMS = ("Raja CA", "RS Berkane", "FUS Rabat", "Hassania Agadir", "MAS Fès")
#: Doses with a unit (the tester's health column): a column of "7.5 مل" and "10 مل", a heading
#: with "5 مل" after a slash, a dash for none.
DOSES = ("| الوزن | الجرعة (شراب 120 ملغ/5 مل) | الفاصل |\n|---|--:|---|\n"
         "| 5 كغ | 3 مل | كل 6 ساعات |\n| 12 كغ | 7.5 مل | كل 6 ساعات |\n"
         "| 16 كغ | 10 مل | كل 8 ساعات |\n| 20 كغ | 12.5 مل | كل 8 ساعات |\n| 40 كغ | — | لا يعطى |\n")
UNITS = ("مل", "ملغ", "كغ", "ساعات", "كم")


def _typeset(path: Path, workspace, layout: str, change=None):
    ctx = build.context(path, workspace, layout=layout)
    article = build.load(path)
    resolved = build.resolve_images(ctx, article)
    html = build.render_html(ctx, article, resolved)
    with collect_warnings():
        return build.lay_out(ctx, article, change(html) if change else html, resolved)


def _hidden(box) -> bool:
    return box.style["visibility"] != "visible"


def _cells(document, tag: str = "td") -> list[tuple[str, list[str]]]:
    """(text, the text of each line) of every table cell of ``tag``, marks and joiners out."""
    found = []
    for page in document.pages:
        for cell in find(page, tag=tag):
            if type(cell).__name__ != "TableCellBox":
                continue
            lines = [re.sub("[\u2060\u061c]", "", "".join(
                b.text for b in walk(line) if type(b).__name__ == "TextBox" and not _hidden(b))).strip()
                for line in line_boxes(cell)]
            found.append((" ".join(lines), lines))
    return found


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_dense_table_sets_its_team_names_on_one_line(workspace, write_article, layout, tmp_path):
    """The standings table wrapped "Hassania Agadir" and "RS Berkane" to two lines while its
    number columns, as wide as their headings, left room: a table of six columns or more is set
    closer (tables.dense) and every name is on one line, nothing past its cell or column; every
    reader still reads each cell as words of its own (set 1 mm apart, pypdf glued two)."""
    path = write_article("فقرة قبل الجدول.\n\n" + STANDINGS + "\nفقرة بينهما.\n\n" + AIRPORTS
                         + "\nفقرة بعده.\n")
    out = tmp_path / "standings.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    for reader, pages in reader_texts(out).items():
        found = set(words(INVISIBLE.sub("", " ".join(pages))))
        wanted = {"المركز", "الفريق", "لعب", "فوز", "تعادل", "خسارة", "النقاط", "Agadir", "Berkane",
                  "55", "22", "67", "16", "7", "12", "38", "الإلغاء", "التغير", "210", "420"}
        assert wanted <= found, (reader, wanted - found)
    document = _typeset(path, workspace, layout)
    names = [lines for text, lines in _cells(document) if text in TEAMS]
    assert len(names) == len(TEAMS) and all(len(lines) == 1 for lines in names), names
    standings = {c.strip() for row in STANDINGS.splitlines()[2:] for c in row.strip("|").split("|")}
    assert all(len(lines) == 1 for text, lines in _cells(document) if text in standings)
    assert weasy.wide_tables(document) == [] and weasy.overfull_cells(document) == []
    if layout == "magazine":  # without the closer setting, the names wrap in a magazine column
        loose = _typeset(path, workspace, layout,
                         lambda h: h.replace(' class="short dense"', ' class="short"'))
        assert any(len(lines) > 1 for text, lines in _cells(loose) if text in TEAMS)


def _integer_ends(pdf: Path, unit: str) -> dict[str, float]:
    """Each number before ``unit`` on the table's page, as pdfium reads it: the right end (pt,
    loose character box) of its integer part's last digit and of its last character."""
    document = pypdfium2.PdfDocument(str(pdf))
    ends: dict[str, float] = {}
    for page in document:
        text_page = page.get_textpage()
        count = text_page.count_chars()
        chars = [text_page.get_text_range(i, 1) for i in range(count)]
        text = "".join(c if len(c) == 1 else "\ufffd" for c in chars)
        marks = "\\s\u061c\u180e\u200e\u200f\u2060"
        for match in re.finditer(rf"(?<![0-9.])([0-9]+)(\.[0-9]+)?[{marks}]*{unit}(?!\w)", text):
            integer = text_page.get_charbox(match.end(1) - 1, loose=True)[2]
            last = text_page.get_charbox((match.end(2) if match[2] else match.end(1)) - 1, loose=True)[2]
            ends[match[1] + (match[2] or "")] = (integer, last)
    return ends


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_quantities_align_on_their_decimal_separator(workspace, write_article, layout, tmp_path):
    """"10 مل" under "7.5 مل" was set flush right, its "0" under the "5": each number now ends
    its integer part where the others do (a hidden pad of ".0" right of it, tables.decimal_pads),
    and no reader extracts the pad."""
    path = write_article("فقرة قبل الجدول.\n\n" + DOSES + "\nفقرة بعده.\n")
    out = tmp_path / "doses.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    ends = _integer_ends(out, "مل")
    assert {"3", "7.5", "10", "12.5"} <= set(ends), ends
    integers = [ends[n][0] for n in ("3", "7.5", "10", "12.5")]
    assert max(integers) - min(integers) < 0.3, ends
    # aligned on the separator, not on the last digit: "7.5" reaches past "10" by ".5"
    assert ends["7.5"][1] - ends["10"][1] > 2, ends
    for reader, pages in reader_texts(out).items():
        flat = re.sub(r"\s+", " ", INVISIBLE.sub("", " ".join(pages)).replace("\u2060", ""))
        for number in ("3", "7.5", "10", "12.5"):
            assert re.search(rf"(?<![0-9.]){re.escape(number)} مل", flat), (reader, number, flat)
        assert not re.search(r"\.0|0\.|10\.", flat.replace("7.5", "").replace("12.5", "")), (reader, flat)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_number_keeps_its_unit_and_a_range_its_dash(workspace, write_article, layout):
    """"(شراب 120 ملغ/5 مل)" in a narrow heading was set "…ملغ/5" above "مل)"; a spaced range
    "1990 – 1999" could end a line before its dash: no line of a narrow cell now ends with a
    number whose unit starts the next, nor before or after a range's dash."""
    table = ("| السنة | الحدث | المسافة |\n|---|---|--:|\n"
             "| 1990 – 1999 | عقد الطريق الطويل عبر الصحراء الكبرى | 10 كم |\n"
             "| 2000 – 2009 | عقد الطريق الساحلي | 120 كم |\n")
    path = write_article("فقرة قبل الجدول.\n\n" + DOSES + "\n" + table + "\nفقرة بعده.\n")

    def parted(document) -> list[list[str]]:
        found = []
        for tag in ("th", "td"):
            for _, lines in _cells(document, tag):
                for line, after in itertools.pairwise(lines):
                    unit = re.search(r"[0-9]$", line) and after.split(" ")[0].rstrip(")") in UNITS
                    dash = re.search(r"[0-9] ?[\u2013-]?$", line) and re.match(r"[\u2013-]? ?[0-9]", after)
                    if unit or dash:
                        found.append(lines)
        return found

    width = {"magazine": "60%", "pocket": "40%"}[layout]  # about 50 mm, a narrow column
    narrow = lambda html: re.sub(r"(<table[^>]*)>", rf'\1 style="width: {width}">', html)  # noqa: E731
    document = _typeset(path, workspace, layout, narrow)
    assert parted(document) == []
    heads = [lines for text, lines in _cells(document, "th") if "شراب" in text]
    assert heads and any(line.endswith("5 مل)") for line in heads[0]), heads
    unjoined = _typeset(path, workspace, layout, lambda h: narrow(h.replace("\u2060", "")))
    assert parted(unjoined), "without the joiners a number is parted from its unit or dash"


def _table(*rows: tuple[str, ...]) -> Table:
    cell = lambda text: Cell(text, text, "", False)  # noqa: E731
    header = tuple(cell(f"h{i}") for i in range(len(rows[0])))
    return Table(header, tuple(tuple(map(cell, r)) for r in rows), 1)


def test_decimal_pads_fill_what_a_number_lacks():
    pads = tables.decimal_pads(_table(("10 مل", "+٨٫٨٪", "Raja"), ("7.5 مل", "−٢٦٫٥٪", "RS"),
                                      ("—", "+٢٠٪", "x"), ("12.25 مل", "٣٫١٪", "y")))
    assert [row[0] for row in pads] == [".00", "0", "", ""]
    assert [row[1] for row in pads] == ["", "", "٫٠", ""]
    assert [row[2] for row in pads] == ["", "", "", ""]
    # a column with a cell that does not open with a number is left as written
    assert tables.decimal_pads(_table(("10",), ("7.5",), ("نحو 3",))) == [[""], [""], [""]]
    # thousands are no decimal part
    assert tables.decimal_pads(_table(("1,250",), ("980",))) == [[""], [""]]
    # a decimal comma is a decimal part, and the pad says it with the column's own separator
    assert tables.decimal_pads(_table(("1,25",), ("7",), ("12,5",))) == [[""], [",00"], ["0"]]
    assert tables.decimal_pads(_table(("1,250,5",), ("3",))) == [[""], [",0"]]
