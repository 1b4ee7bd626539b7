"""Markdown + front matter → Article: fields, blocks, figures, and errors that name file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.errors import ContentError
from pressroom.model import Figure, Heading, Paragraph, Quote
from pressroom.sources import content

from .conftest import SEED_MD


def test_seed_article_fields():
    article = content.load(SEED_MD)
    assert article.title == "التزام كازاخستان بالسلام"
    assert article.deck.startswith("البلاد تبعث قوات للمشاركة")
    assert article.byline == "سلطنات بيرديكيفا"
    assert (article.lang, article.direction) == ("ar", "rtl")
    assert article.section == "حفظ السلام"
    assert article.date == dt.date(2019, 10, 1)
    assert article.source.startswith("https://")
    assert article.keywords == ("كازاخستان", "حفظ السلام", "الأمم المتحدة")
    assert article.original == "originals/kazakhstan-peacekeeping.txt"


def test_seed_blocks():
    article = content.load(SEED_MD)
    kinds = [type(b).__name__ for b in article.blocks]
    assert kinds.count("Paragraph") == 13
    assert [b.text for b in article.blocks if isinstance(b, Heading)] == ["بروز الكازاخيين كحفظة سلام"]
    assert article.figures == (
        Figure("images/180816-Z-BT406-0647_edit.jpg", "", "", article.figures[0].line, bleed=True),
        Figure("images/180817-Z-ID851-1004-edit.jpg", "",
               "رقيب براين كالهون/الحرس الوطني الأمريكي", article.figures[1].line),
    )
    assert all("التعليقات مغلقة" not in text for text in article.text_blocks())


def test_figure_paragraph_heading_quote_and_lines(write_article):
    path = write_article(
        "فقرة *أولى* مع [رابط](https://example.org).\n\n"
        '![شرح الصورة](images/x.jpg){credit="تصوير: فلان"}\n\n'
        "## عنوان فرعي\n\n"
        "> اقتباس قصير\n",
        deck="مقدمة",
    )
    article = content.load(path)
    first, figure, heading, quote = article.blocks
    assert isinstance(first, Paragraph)
    assert first.text == "فقرة أولى مع رابط."
    assert "<em>أولى</em>" in first.html and 'href="https://example.org"' in first.html
    assert first.line == 6  # four front-matter lines, one blank line, then the body
    assert figure == Figure("images/x.jpg", "شرح الصورة", "تصوير: فلان", 8)
    assert heading == Heading("عنوان فرعي", 2, 10)
    assert isinstance(quote, Quote) and quote.text == "اقتباس قصير"


def test_raw_html_is_text_not_markup(write_article):
    article = content.load(write_article('<script>alert(1)</script> <img src="/etc/passwd">'))
    (paragraph,) = article.blocks
    assert "<script>" not in paragraph.html and "&lt;script&gt;" in paragraph.html
    assert "<img" not in paragraph.html


def test_unknown_key_warns_with_line(write_article, expect_warnings):
    expect_warnings(r"article\.md:3: unknown front-matter key 'colour'")
    article = content.load(write_article("نص.", colour="أحمر"))
    assert article.title == "عنوان تجريبي"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty file", None),
        ("---\ntitle: x\n", "never closed", 1),
        ("---\ntitle: [unclosed\n---\nنص\n", "not valid YAML", 2),
        ("---\n- a list\n---\nنص\n", "must be a mapping", 2),
        ("---\ndeck: بلا عنوان\n---\nنص\n", "no title", 1),
        ("---\ntitle: x\ndate: yesterday\n---\n", "'date' must be YYYY-MM-DD", 3),
        ("---\ntitle: {a: 1}\n---\n", "'title' must be text", 2),
        ("---\ntitle: x\ndate: 2019-02-30\n---\n", "impossible value", 2),
    ],
)
def test_bad_front_matter(tmp_path, text, message, line):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content.load(path)
    assert message in caught.value.message
    assert caught.value.path == path and caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: " if line else f"{path}: ")


def test_not_utf8_names_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(b"---\ntitle: ok\n---\ncaf\xe9\n")
    with pytest.raises(ContentError, match="not UTF-8") as caught:
        content.load(path)
    assert caught.value.line == 4


def test_missing_file(tmp_path):
    with pytest.raises(ContentError, match="no such file"):
        content.load(tmp_path / "nope.md")


def test_lists_warn_that_their_markers_go(write_article, expect_warnings):
    expect_warnings(r"article\.md:5: Markdown lists are set as plain paragraphs")
    article = content.load(write_article("1. واحد\n2. اثنان\n"))
    assert [b.text for b in article.blocks] == ["واحد", "اثنان"]
