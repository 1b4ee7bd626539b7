"""Page-layout checks on the seed as WeasyPrint lays it out: boxes, columns, opener, margins."""

from __future__ import annotations

import pytest

from pressroom import build

from .boxes import (
    MM,
    bottom,
    classes,
    columns,
    content_area,
    find,
    left,
    margin_texts,
    page_box,
    pseudo,
    right,
    text_of,
    top,
    walk,
)

EPS = 0.5  # CSS px


def _visible(page):
    """Block and line boxes in the page area (glyph ink above a line box is not overflow)."""
    skip = {"PageBox", "MarginBox", "TextBox", "InlineBox"}
    for box in walk(page_box(page).children[0]):
        if type(box).__name__ not in skip and box.width and box.height:
            yield box


def _bleeding(page) -> set[int]:
    """ids of the boxes inside figures marked to bleed (allowed past the margins)."""
    return {id(b) for figure in find(page, "figure", "bleed") for b in walk(figure)}


def overflowing(document) -> list:
    """(page number, box) for every block or line box outside its page's content area; a
    photo marked to bleed may reach the sheet's edge plus the 3 mm print bleed, no further."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        x0, y0, x1, y1 = content_area(page)
        bleeding = _bleeding(page)
        sheet = page_box(page)
        for box in _visible(page):
            if id(box) in bleeding:
                edge_left = sheet.position_x - 3 * MM
                edge_right = sheet.position_x + sheet.margin_width() + 3 * MM
                inside = edge_left - EPS <= left(box) and right(box) <= edge_right + EPS
            else:
                inside = x0 - EPS <= left(box) and right(box) <= x1 + EPS
            if not (inside and y0 - EPS <= top(box) and bottom(box) <= y1 + EPS):
                found.append((number, box))
    return found


def test_the_lead_photo_bleeds_to_the_trim_and_beyond(seed_document):
    """{.bleed} on the seed's lead photo: both edges 3 mm past the trim (page 1 is a left page)."""
    page = seed_document.pages[0]
    (figure,) = find(page, "figure", "bleed")
    (image,) = [b for b in walk(figure) if b.element_tag == "img"]
    sheet = page_box(page)
    assert left(image) == pytest.approx(sheet.position_x - 3 * MM, abs=0.5)
    assert right(image) == pytest.approx(sheet.position_x + sheet.margin_width() + 3 * MM, abs=0.5)


def test_nothing_overflows_the_content_area(seed_document):
    assert overflowing(seed_document) == []


def test_overflow_check_catches_a_wide_title(workspace, write_article):
    """The check above can fail: a title wider than the page is caught."""
    css = workspace.layouts / "magazine" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.title { width: 250mm; }\n", encoding="utf-8")
    source = write_article("نص.")
    document = build.typeset_article(build.context(source, workspace), build.load(source))
    assert [type(box).__name__ for _, box in overflowing(document)][:1] == ["BlockBox"]


def test_nothing_overflows_its_column(seed_document):
    for page in seed_document.pages:
        for column in columns(page):
            for box in walk(column):
                if box is column or not box.width:
                    continue
                assert left(column) - EPS <= left(box) and right(box) <= right(column) + EPS, box


def test_first_column_is_the_right_hand_one(seed_document):
    for page in seed_document.pages:
        cols = columns(page)
        assert len(cols) == 2
        first, second = cols
        assert left(first) > right(second), "right-to-left: the flow starts in the right column"
        assert cols[0].children, "the right column is not empty"


def test_subheading_is_never_last_in_a_column(seed_document):
    headings = 0
    for page in seed_document.pages:
        for column in columns(page):
            for index, child in enumerate(column.children):
                if child.element_tag in ("h2", "h3"):
                    headings += 1
                    assert index < len(column.children) - 1, f"'{text_of(child)}' ends a column"
                    following = column.children[index + 1]
                    assert following.element_tag == "p", "a sub-heading is followed by its text"
    assert headings == 1


def test_figures_are_whole_on_one_page_and_column(seed_document):
    seen = []
    for number, page in enumerate(seed_document.pages, start=1):
        for figure in find(page, "figure"):
            parts = [b.element_tag if b.element_tag != "p" else "credit" for b in figure.children]
            seen.append((number, figure.element.get("data-src").rsplit("/", 1)[-1], parts))
            for part in figure.children:
                if "bleed" not in classes(figure):
                    assert left(figure) - EPS <= left(part) and right(part) <= right(figure) + EPS
                assert top(figure) - EPS <= top(part) and bottom(part) <= bottom(figure) + EPS
            holder = [c for c in columns(page) if any(b is figure for b in walk(c))]
            assert holder or "lead" in classes(figure), "a body figure sits inside one column"
    assert seen == [
        (1, "180816-Z-BT406-0647_edit.jpg", ["img"]),
        (2, "180817-Z-ID851-1004-edit.jpg", ["img", "credit"]),
    ]


def test_credit_sits_against_its_photo(seed_document):
    page = seed_document.pages[1]
    (figure,) = find(page, "figure")
    image, credit = figure.children
    assert text_of(credit) == "رقيب براين كالهون/الحرس الوطني الأمريكي"
    assert 0 <= top(credit) - bottom(image) < 3 * MM, "directly under the photo"
    assert credit.style["font_size"] < 8 * 96 / 72, "small type: under 8 pt"


def test_opener_comes_before_the_body(seed_document):
    page = seed_document.pages[0]
    order = [top(find(page, cls=c)[0]) for c in ("masthead", "kicker", "title", "deck", "byline")]
    (lead,) = find(page, "figure")
    body_top = min(top(c) for c in columns(page))
    assert order == sorted(order)
    assert order[-1] < top(lead) < bottom(lead) <= body_top + EPS
    # (the invisible word joiner keeps the title's last two words on one line: render.py)
    assert text_of(find(page, cls="title")[0]).replace("\u2060", "") == "التزام كازاخستان بالسلام"


def test_running_header_from_page_two_and_arabic_folios(seed_document):
    first, *rest = seed_document.pages
    assert margin_texts(first) == {"@bottom-left": "١"}, "page 1 (a left page): folio only"
    assert rest
    for number, page in enumerate(rest, start=2):
        texts = margin_texts(page)
        folio = "٠١٢٣٤٥٦٧٨٩"[number]
        header = texts.get("@top-right") or texts.get("@top-left")
        assert header in ("التزام كازاخستان بالسلام", "يونيباث")
        assert folio in (texts.get("@bottom-right"), texts.get("@bottom-left"))


@pytest.mark.parametrize(("index", "side"), [(0, "left"), (1, "right")])
def test_mirrored_margins(seed_document, index, side):
    """Right-bound: page 1 is a left page, its binding (inner, wider) margin on the right."""
    page = page_box(seed_document.pages[index])
    inner, outer = (page.margin_right, page.margin_left) if side == "left" else (
        page.margin_left, page.margin_right)
    assert inner == pytest.approx(20 * MM) and outer == pytest.approx(16 * MM)
    assert margin_texts(seed_document.pages[index]).get(f"@bottom-{side}")


def test_paragraph_indent_is_on_the_right(seed_document):
    checked = 0
    for page in seed_document.pages:
        for paragraph in find(page, "p"):
            if "end" in classes(paragraph) or not paragraph.children:
                continue
            line = paragraph.children[0]
            boxes = list(walk(line))
            marker = pseudo(line, "before")
            if not marker:
                continue
            checked += 1
            (spacer,) = marker
            assert right(spacer) == pytest.approx(right(paragraph), abs=1), "indent at the right"
            words = [b for b in boxes if type(b).__name__ == "TextBox"]
            assert max(right(w) for w in words) <= left(spacer) + EPS
    assert checked >= 8


def test_end_mark_after_last_paragraph(seed_document):
    ends = [p for page in seed_document.pages for p in find(page, "p", "end")]
    (end,) = ends
    # its last two words bound (render.keep_paragraph_end), a word joiner keeps the mark with them
    assert text_of(end).endswith("وجنود \u2060التحالف.\u2060")
    (mark,) = pseudo(end, "after")
    assert mark.width > 0 and not text_of(mark), "a drawn mark, not a character in the text"


def test_no_widows_or_orphans(seed_document):
    """A paragraph broken across columns or pages leaves at least two lines on each side."""
    fragments: dict[int, list[int]] = {}
    for page in seed_document.pages:
        for column in columns(page):
            for child in column.children:
                if child.element_tag == "p":
                    lines = sum(type(b).__name__ == "LineBox" for b in child.children)
                    fragments.setdefault(id(child.element), []).append(lines)
    broken = {key: parts for key, parts in fragments.items() if len(parts) > 1}
    assert broken, "the seed breaks some paragraphs across columns"
    for parts in broken.values():
        assert min(parts) >= 2, parts


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_without_a_publication_every_page_after_the_first_has_a_running_head(tmp_path, project, layout):
    """No `publication:` in the front matter: the verso's running head is the title, as the
    recto's (a tester's recipe and interview had empty heads on every pocket page 3)."""
    source = tmp_path / "no-publication.md"
    source.write_text("---\ntitle: مطبخ الجدات\nlang: ar\n---\n\n" + "".join(
        f"فقرة رقم {n} عن وصفات البيت القديمة والتوابل التي تحفظها الجدات في أوعية الفخار الصغيرة "
        "قرب النافذة، وعن مواسم التجفيف والتخليل التي تجمع العائلة كل خريف.\n\n" for n in range(90)),
        encoding="utf-8")
    document = build.typeset_article(build.context(source, project, layout=layout), build.load(source))
    assert len(document.pages) >= 4
    for page in document.pages[1:]:
        heads = {v for k, v in margin_texts(page).items() if k.startswith("@top")}
        assert {h.replace("\u2060", "") for h in heads} == {"مطبخ الجدات"}, (layout, heads)
