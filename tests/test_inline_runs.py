"""Inline boxes of an Arabic line (italics, code, struck-out words, bold, links) → read in order."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest

from pressroom import build
from pressroom.check import fidelity
from pressroom.layout import render
from pressroom.layout.render import spaces_inside

from .conftest import FIXTURES
from .test_search import reader_texts

#: Written after runsapart.py, never tuned on: a book column with Arabic and French titles in
#: italics, bold names, a link, a number, in both layouts.
COLUMN = FIXTURES / "book-column.md"
#: Inline boxes in one font on one line (code, struck-out text; italics had that font too until
#: the slanted faces came), the case pypdf read last box first, and a bold italic phrase.
INLINE = ("وهذه فقرة فيها `كود سطري` ثم كلام عادي بعده، ثم ~~نص مشطوب هنا~~ ثم كلام آخر، ثم"
          " [رابط إلى موقع](https://example.org) ثم نهاية الفقرة، وفقرة تبدأ بكلام ثم **غامق فيه"
          " *مائل غامق* ثم غامق** ثم *مائل* ثم عادي جدا.")


def _article(tmp_path, body: str):
    source = tmp_path / "inline.md"
    source.write_text(f"---\ntitle: تجربة\nbyline: فريق\nlang: ar\ndate: 2025-01-01\n---\n\n{body}\n",
                      encoding="utf-8")
    return source


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_every_reader_reads_the_inline_boxes_in_order(tmp_path, project, layout):
    """Every reader (pypdf read "عبارة مائلة طويلةوهذه فقرة فيها" before this) meets its goal on
    the column, in order where its goal is in order, and pypdf reads every word in order."""
    article = build.load(COLUMN)
    pdf = tmp_path / "column.pdf"
    build.build(COLUMN, pdf, project=project, layout=layout)
    for reader, pages in reader_texts(pdf).items():
        score = fidelity.score(reader, pages, article)
        assert not score.failures(fidelity.GOALS[reader]), (reader, score.failures(fidelity.GOALS[reader]),
                                                            score.out_of_order[:5])
        if reader == "pypdf":
            assert score.words_in_order == 1.0, score.out_of_order[:5]


def test_pypdf_reads_a_line_of_boxes_in_one_font_in_order(tmp_path, project):
    source = _article(tmp_path, INLINE)
    pdf = tmp_path / "inline.pdf"
    build.build(source, pdf, project=project)
    text = reader_texts(pdf)["pypdf"]
    score = fidelity.score("pypdf", text, build.load(source))
    assert score.words_in_order == 1.0, "\n".join(text)


def _pages(pdf) -> list[bytes]:
    document = pypdfium2.PdfDocument(str(pdf))
    return [page.render(scale=1).to_pil().tobytes() for page in document]


def _without_repeated_fonts(pdf, out) -> int:
    """``pdf`` with every Tf that sets the font and size already set in its text object left
    out, written to ``out``; how many were."""
    left_out = 0
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            kept, current = [], None
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "BT":
                    current = None
                if name == "Tf":
                    font = (str(operands[0]), float(operands[1]))
                    if font == current:
                        left_out += 1
                        continue
                    current = font
                kept.append((operands, operator))
            page.Contents = document.make_stream(pikepdf.unparse_content_stream(kept))
        document.save(out)
    return left_out


def test_the_font_set_again_changes_no_pixel(tmp_path, project):
    """The repeated Tf draws nothing: the pages are the same pixels without it."""
    source = _article(tmp_path, INLINE)
    pdf, without = tmp_path / "inline.pdf", tmp_path / "without.pdf"
    build.build(source, pdf, project=project)
    assert _without_repeated_fonts(pdf, without) >= 1
    assert _pages(pdf) == _pages(without)


#: Written after render.spaces_inside (a hostile review's cases): a number, a space alone, then
#: italics or bold; a bold word, a space, then a number or italics.
GLUED = ("بدأت الخطة في عام 2027 *بكلفة* كبيرة، وألغت المحكمة في 2031 **الحكم** السابق، وفي"
         " **عام** 2025 بدأت، وهي **مهمة** *جدا* للدولة، وفي 2029 ***تقرير*** مفصل.")


def test_a_space_alone_between_two_inline_boxes_is_read(tmp_path, project, monkeypatch):
    """pypdf and pdf.js read "2027بكلفة", "عام2025", "مهمةجدا": WeasyPrint draws no box of spaces
    alone between two inline elements. Moved into the emphasis, it is drawn and read; a line
    that is not justified is the same pixels (Amiri's faces have one space width)."""
    source = _article(tmp_path, GLUED)
    pdf, before = tmp_path / "glued.pdf", tmp_path / "before.pdf"
    build.build(source, pdf, project=project)
    article = build.load(source)
    for reader, pages in reader_texts(pdf).items():
        score = fidelity.score(reader, pages, article)
        assert score.numbers == (4, 4) and not score.not_found, (reader, score.not_found, pages)
    # each case a paragraph's one (unjustified) line: the same pixels without the move (in a
    # justified line the moved space takes its share of the stretch, which the lost one did not)
    lines = _article(tmp_path, "\n\n".join(part.strip(" ،.") + "." for part in GLUED.split("،")))
    build.build(lines, pdf, project=project)
    monkeypatch.setattr(render, "spaces_inside", lambda html: html)
    build.build(lines, before, project=project)
    assert _pages(pdf) == _pages(before)
    assert reader_texts(pdf)["pypdf"] != reader_texts(before)["pypdf"]


#: A space alone before (or after) a link, inline code or struck-out words, which stays outside
#: them (moved in, it was underlined, set in code's face or struck through): pypdf and pdf.js read
#: "2029تقريرا". Long enough for justified lines, some breaking at such a space. And a space alone
#: between two runs (a raised digit after a sign: "40% ³", which they read "40%³").
DECORATED = ("نشرت الهيئة في 2029 [تقريرا](https://example.org/r) مفصلا، وكتبت 2030 `كودا` جديدا، وألغت"
             " في 2031 ~~الحكم~~ السابق، وهي **سنة** [حافلة](https://example.org/s) بالأحداث، ثم راجعت"
             " [الوثيقة](https://example.org/d) 2032 مرة أخرى، وأضافت 45% [من الموارد](https://example.org/m)"
             " إلى 12 `خادما` و 7 ~~مدارس~~ و 300 [كلمة](https://example.org/k) و 400 [جملة](https://example.org/j)"
             " و 500 `سطر` حتى نهاية الفقرة الطويلة التي تمتد على أسطر عدة مضبوطة، وبلغت النسبة 40% ³ هنا.")


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_space_alone_before_a_link_code_or_strike_is_read(tmp_path, project, monkeypatch, layout):
    """Every reader reads the words on either side of such a space apart (pypdf and pdf.js read
    "2029تقريرا", "2030كودا", "سنةحافلة", "الوثيقة2032", "40%³"), and the pages are the same pixels as
    when WeasyPrint did not draw it, justified lines (kashidas) included."""
    source = _article(tmp_path, DECORATED)
    pdf, before = tmp_path / "decorated.pdf", tmp_path / "before.pdf"
    build.build(source, pdf, project=project, layout=layout)
    article = build.load(source)
    for reader, pages in reader_texts(pdf).items():
        score = fidelity.score(reader, pages, article)
        assert not score.not_found, (reader, score.not_found, pages)
        if reader != "poppler":  # (its column order is its own: the last line may go elsewhere)
            assert score.words_in_order == 1.0, (reader, score.out_of_order[:5])
            assert score.numbers == (12, 12), (reader, score.misplaced_numbers)
    monkeypatch.setattr(render, "_SPACE_BETWEEN", re.compile(r"(?!)"))
    build.build(source, before, project=project, layout=layout)
    assert _pages(pdf) == _pages(before)
    assert reader_texts(pdf)["pypdf"] != reader_texts(before)["pypdf"]


def test_spaces_go_into_the_emphasis_after_or_before():
    assert spaces_inside('<span class="ltr">2027</span> <em>بكلفة</em>') == \
        '<span class="ltr">2027</span><em> بكلفة</em>'
    assert spaces_inside('<strong>عام</strong> <span class="ltr">2025</span>') == \
        '<strong>عام </strong><span class="ltr">2025</span>'
    assert spaces_inside('<strong>مهمة</strong> <em>جدا</em>') == '<strong>مهمة</strong><em> جدا</em>'
    assert spaces_inside('<span class="ltr">2029</span> <em><strong>تقرير</strong></em>') == \
        '<span class="ltr">2029</span><em><strong> تقرير</strong></em>', "into the innermost"
    for stays in ('<span class="ltr">2029</span> <a href="x">تقريرا</a>',  # underlined, or
                  '<span class="ltr">2030</span> <code>كودا</code>',  # in code's face, or
                  '<span class="ltr">2031</span> <s>الحكم</s>',  # struck through, it showed
                  '<a href="x">تقريرا</a> <span class="ltr">2029</span>'):
        # outside, after a word joiner, which has WeasyPrint draw it (and breaks no line)
        assert spaces_inside(stays) == stays.replace("> <", ">\u2060 <")
    beside_text = 'كلمة <em>أخرى</em> و<span class="ltr">12</span> ثم'
    assert spaces_inside(beside_text) == beside_text
