"""Markdown + front matter → Article: fields, blocks, figures, and errors that name file and line."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pressroom.check.verify import PdfReport
from pressroom.cli import main
from pressroom.errors import ContentError
from pressroom.model import Figure, Heading, List, Paragraph, Quote, Sidebar, Table
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


def test_raw_html_is_left_out_with_a_warning_and_its_text_kept(write_article, expect_warnings):
    """Issue 13: raw syntax is never printed. The author's HTML tags are left out (never set as
    markup, never printed as text), the words between them kept, and the line named."""
    expect_warnings(r"article\.md:5: raw HTML <b>, <img> is not supported: left out \(the text between",
                    r"article\.md:7: raw HTML <script> is not supported: left out$",
                    r"article\.md:11: raw HTML <div> is not supported: lines 11–13 left out$")
    article = content.load(write_article(
        'نص <b>عريض</b> و<img src="/etc/passwd"> آخر.\n\n<script>alert(1)</script>\n\n'
        "<!-- ملاحظة للمحرر: تحقق من الأرقام -->\n\n<div>\nفقرة داخل وسم\n</div>\n\nالأخيرة."))
    first, last = article.blocks
    assert (first.text, last.text) == ("نص عريض و آخر.", "الأخيرة.")
    for block in article.blocks:
        assert "<b" not in block.html and "<img" not in block.html and "&lt;" not in block.html
    assert not any("ملاحظة" in t or "alert" in t for t in article.text_blocks())


def test_markdown_in_the_front_matter_is_not_printed(write_article, expect_warnings, tmp_path, workspace):
    """A title or deck with Markdown ("*ثلاث روايات*", `code`, a link) printed its syntax: the text
    it marks is kept, the syntax left out, and the key's line named; an escaped asterisk and a
    lone one stay; --strict fails."""
    expect_warnings(r"article\.md:2: 'title' is text, not Markdown: its Markdown syntax is left out",
                    r"article\.md:3: 'deck' is text, not Markdown")
    source = write_article("نص.", title="'رفّ الأسبوع: *ثلاث روايات* و`كود`'",
                           deck="'[رابط](https://example.org) و**قوي** و2\\*3 ونجمة*'", byline="سلمى*")
    article = content.load(source)
    assert (article.title, article.deck, article.byline) == (
        "رفّ الأسبوع: ثلاث روايات وكود", "رابط وقوي و2*3 ونجمة*", "سلمى*")
    pdf = tmp_path / "strict.pdf"
    assert main([str(source), "-o", str(pdf), "--strict"]) == 1
    assert not pdf.exists()


def test_raw_html_edge_cases_neither_print_nor_lose_text_unsaid(write_article, expect_warnings):
    """A hostile review's cases: text between two comments of one block, a comment never closed
    (inline: the rest of its paragraph; at a line's start: everything after it), a script's and a
    style's content inline, a line break, a word break, and prose in angle brackets."""
    expect_warnings(r"article\.md:7: text after an HTML comment on its line is left out: put the",
                    r"article\.md:9: raw HTML <script>, <style> is not supported",
                    r"article\.md:12: an HTML comment opened here is never closed: the rest of its",
                    r"article\.md:15: an HTML comment opened here is never closed: lines 15–17 left out")
    article = content.load(write_article(
        "أول<br>ثانٍ و<wbr>معاً، كتب إلى <editor> و<Ahmed Ali>.\n\n"
        "<!-- a --> جملة مهمة من المقال. <!-- b -->\n\n"
        "نص <script>alert(1)</script> و<style>body{color:red}</style> بعده.\n\n"
        "فقرة فيها\nتعليق <!-- سري: راجع الأرقام\nبقيته.\n\n<!-- لم يغلق\n\nالأخيرة."))
    first, script, cut = article.blocks
    assert first.text == "أول\nثانٍ ومعاً، كتب إلى <editor> و<Ahmed Ali>."
    assert "<br />" in first.html and "&lt;editor&gt;" in first.html
    assert " ".join(script.text.split()) == "نص و بعده."
    assert "alert" not in script.html and "color" not in script.html
    assert cut.text == "فقرة فيها\nتعليق" and "سري" not in cut.html


def test_unknown_key_warns_with_line(write_article, expect_warnings):
    expect_warnings(r"article\.md:3: unknown front-matter key 'colour'")
    article = content.load(write_article("نص.", colour="أحمر"))
    assert article.title == "عنوان تجريبي"


def test_a_misspelt_key_is_told_the_key_meant_and_layout_where_it_is_chosen(write_article,
                                                                            expect_warnings):
    """"autor" is close to author (read as the byline, so listed); a layout is no front-matter
    key: the warning says where it is chosen."""
    expect_warnings(r"article\.md:3: unknown front-matter key 'autor' ignored \(did you mean "
                    r"'author'\? known: .*author \(as byline\), subtitle \(as deck\)\)",
                    r"article\.md:4: unknown front-matter key 'layout' ignored \(.*--layout NAME\)")
    article = content.load(write_article("نص.", autor="ليلى حداد", layout="pocket"))
    assert article.byline == ""


def test_other_tools_names_for_byline_and_deck(write_article, tmp_path):
    """Pandoc's, Jekyll's and Hugo's ``author`` (one or a list) and ``subtitle``."""
    article = content.load(write_article("نص.", author="[ليلى حداد, سامر يوسف]", subtitle="سطر تحت العنوان"))
    assert (article.byline, article.deck) == ("ليلى حداد، سامر يوسف", "سطر تحت العنوان")
    english = content.load(write_article("Text.", name="en.md", lang="en", author="[Ann Lee, Bo Chen]"))
    assert english.byline == "Ann Lee, Bo Chen"


def test_an_alias_beside_its_key_is_a_warning_and_the_key_wins(write_article, expect_warnings):
    expect_warnings(r"article\.md:4: front-matter key 'author' ignored: 'byline' is given")
    article = content.load(write_article("نص.", byline="ليلى حداد", author="سامر يوسف"))
    assert article.byline == "ليلى حداد"


@pytest.mark.parametrize(("front", "message"), [
    ("author: {name: x}", "'author' must be text or a list of names"),
    ("author: [1, 2]", "'author' must be text or a list of names"),
    ("subtitle: [a, b]", "'subtitle' must be text"),
])
def test_an_alias_that_is_not_text_is_an_error_naming_it_and_its_line(tmp_path, front, message):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: x\n{front}\n---\nنص\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)) as error:
        content.load(path)
    assert error.value.line == 3


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty file", None),
        ("---\ntitle: x\n", "never closed", 1),
        ("---\ntitle: [unclosed\n---\nنص\n", "not valid YAML", 2),
        # a '[' or a quote never closed: said on its line, not where PyYAML notices it
        ("---\ntitle: x\nbyline: [سارة\ndate: 2026-01-01\n---\nنص\n",
         "a '[' list is opened here and never closed (expected ',' or ']', but got ':' on line 4)", 3),
        ('---\ntitle: x\nbyline: "سارة\ndate: 2026-01-01\nlang: ar\n---\nنص\n',
         "a quoted text is opened here and never closed", 3),
        ("---\ntitle: x\nkeywords: {a: 1\ndate: 2026-01-01\n---\nنص\n",
         "a '{' mapping is opened here and never closed", 3),
        ('---\ntitle: x\nbyline: "سارة\n---\nنص\n',  # on the last line
         "a quoted text is opened here and never closed (found unexpected end of stream)", 3),
        # a list that is closed, with a fault inside: said where the fault is
        ("---\ntitle: x\nkeywords: [a,\n  b: c: d,\n  e]\n---\nنص\n",
         "not valid YAML: expected ',' or ']', but got ':'", 4),
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


def test_lists_bulleted_numbered_and_nested_one_level(write_article, expect_warnings):
    expect_warnings(r"article\.md:9: lists are nested one level deep only")
    article = content.load(write_article(
        "- أول\n- ثانٍ\n  1. فرعي أ\n  2. فرعي ب\n     - أعمق\n- ثالث\n\n4. أربعة\n5. خمسة\n"))
    bullets, numbers = article.blocks
    assert isinstance(bullets, List) and not bullets.ordered and bullets.line == 5
    assert [i.text for i in bullets.items] == ["أول", "ثانٍ", "ثالث"]
    sub = bullets.items[1].sublist
    assert sub is not None and sub.ordered and [i.text for i in sub.items] == ["فرعي أ", "فرعي ب", "أعمق"]
    assert numbers.ordered and numbers.start == 4 and numbers.text == "أربعة خمسة"


def test_table_header_rows_and_numeric_columns(write_article):
    article = content.load(write_article(
        "| البند | قبل | بعد |\n|---|---|--:|\n| الطلاب | 1,500 | ٢٠٪ |\n| المدارس | *عشر* | 12.5 |\n"))
    (table,) = article.blocks
    assert isinstance(table, Table) and table.line == 5
    assert [c.text for c in table.header] == ["البند", "قبل", "بعد"]
    assert [[c.text for c in row] for row in table.rows] == [["الطلاب", "1,500", "٢٠٪"],
                                                            ["المدارس", "عشر", "12.5"]]
    assert [c.numeric for c in table.header] == [False, False, True]  # "عشر" is a word
    assert table.rows[0][1].numeric and table.rows[1][2].align == "right"
    assert "<em>عشر</em>" in table.rows[1][1].html


def test_footnotes_leave_the_text_and_keep_their_order(write_article):
    article = content.load(write_article(
        "جملة أولى[^b] وثانية^[ملاحظة *مضمنة*].\n\nفقرة أخرى[^a].\n\n[^a]: الثالثة.\n[^b]: الأولى.\n"))
    first, second = article.blocks
    assert first.text == "جملة أولى وثانية." and second.text == "فقرة أخرى."
    assert [n.text for n in article.footnotes] == ["الأولى.", "ملاحظة مضمنة", "الثالثة."]
    assert first.html.count('<span class="footnote">') == 2 and "<em>مضمنة</em>" in first.html
    assert article.footnotes[0].line == 10
    assert article.text_blocks()[-3:] == ("الأولى.", "ملاحظة مضمنة", "الثالثة.")
    assert "الأولى." not in article.text_blocks(figures=False)


def test_pull_quotes_and_sidebars(write_article):
    article = content.load(write_article(
        "> اقتباس عادي\n\n> اقتباس بارز\n> {.pull}\n\n::: pull\nوآخر\n:::\n\n"
        "::: sidebar في أرقام\nنص الإطار.\n\n- بند\n:::\n"))
    plain, pull, other, sidebar = article.blocks
    assert plain == Quote("اقتباس عادي", "اقتباس عادي", 5)
    assert pull.pull and pull.text == "اقتباس بارز" and "{" not in pull.html
    assert other.pull and other.text == "وآخر"
    assert isinstance(sidebar, Sidebar) and sidebar.title == "في أرقام"
    assert [type(b).__name__ for b in sidebar.blocks] == ["Paragraph", "List"]
    assert sidebar.text == "في أرقام نص الإطار. بند"


def test_wide_and_bleed_figures(write_article):
    article = content.load(write_article("نص.\n\n![أ](images/a.jpg){.wide}\n\n![ب](images/b.jpg){.bleed}\n"))
    assert [(f.wide, f.bleed) for f in article.figures] == [(True, False), (False, True)]


@pytest.mark.parametrize(("body", "message", "line"), [
    ("نص[^9] هنا.", r"footnote \[\^9\] has no text: left out", 5),
    ("نص.\n\n[^x]: لا أحد يناديها.", r"footnote \[\^x\] is never called in the text", 7),
    ("نص[^1] ثم[^1].\n\n[^1]: مرة.", r"footnote \[\^1\] is called more than once", 5),
    ("::: note\nنص\n:::", r"unknown block '::: note' \(known: pull, sidebar\)", 5),
    ("نص.\n\n::: sidebar إطار\nنص الإطار.\n\nفقرة بعده.", r"'::: sidebar' is never closed", 7),
    ("| أ | ب | ج |\n|---|---|---|\n| 1 | 2 |", r"a table row has 2 cells, its header 3: the last 1 "
     r"left empty", 7),
    ("```\ncode\n```", r"Markdown fence is not supported here: left out", 5),
    ("    code", r"Markdown code block is not supported here: left out", 5),
    ("نص.\n\n---\n\nنص.", r"Markdown hr is not supported here: left out", 7),
    ("- بند\n\n  > اقتباس", r"a list item holds a blockquote", 7),
    ("- بند\n- [ ] لم يُنجز", r"a task list's check box '\[ \]' is not supported", 6),
    ("1. [X] أُنجز", r"a task list's check box '\[X\]' is not supported", 5),
    ("## عنوان[^1]\n\n[^1]: نص.", r"a footnote in a heading is not supported", 5),
])
def test_unsupported_constructs_warn_with_file_and_line(write_article, expect_warnings, body, message, line):
    expect_warnings(rf"article\.md:{line}: {message}")
    article = content.load(write_article(body))
    if not article.blocks:  # all it held was left out
        expect_warnings(r"article\.md:4: the article has no body")
    printed = " ".join(article.text_blocks()) + " ".join(getattr(b, "html", "") for b in article.blocks)
    assert not re.search(r"\[\^|:::|```|^---$|\[[ xX]\]", printed), printed


def test_an_unknown_blocks_title_is_set_before_its_text(write_article, expect_warnings):
    """``::: box عنوان``: the box is not set, its title and text are, as paragraphs."""
    expect_warnings(r"article\.md:5: unknown block '::: box' .*its title first")
    article = content.load(write_article("::: box عنوان **الإطار**\nنص.\n:::\n\nفقرة."))
    assert article.text_blocks()[1:] == ("عنوان الإطار", "نص.", "فقرة.")  # (after the title)
    assert "<strong>الإطار</strong>" in article.blocks[0].html


def test_an_article_with_no_body_is_a_warning(write_article, expect_warnings):
    """Front matter and nothing after it (or only an HTML comment): said, naming the line where
    the body would start; --strict makes it an error."""
    expect_warnings(r"article\.md:4: the article has no body", r"other\.md:4: the article has no body",
                    r"blank\.md:4: the article has no body")
    assert content.load(write_article("")).blocks == ()
    assert content.load(write_article("<!-- لاحقاً -->", name="other.md")).blocks == ()
    # nothing a reader sees: a no-break space, a joiner, an empty pull quote, sidebar, heading
    content.load(write_article("&nbsp;\n\n\u200c\n\n> {.pull}\n\n::: sidebar\n:::\n\n## \n",
                               name="blank.md"))


def test_stray_attributes_and_a_sidebars_markdown_title_are_not_printed(write_article, expect_warnings):
    """An attribute list where none is read ("## عنوان {#sec}", "فقرة {.wide}") is left out with
    a warning; a sidebar's title is Markdown read as text (its HTML left out, said)."""
    expect_warnings(r"article\.md:5: attributes \{#sec\} are not read here",
                    r"article\.md:7: attributes \{.wide\} are not read here",
                    r"article\.md:9: attributes \{.pull\} are not read here",
                    r"article\.md:12: raw HTML <b> is not supported")
    article = content.load(write_article(
        "## عنوان {#sec}\n\nفقرة {.wide}\n\n- بند {.pull}\n- آخر\n\n"
        "::: sidebar **مهم** <b>وسم</b> [رابط](https://example.org)\nنص الإطار.\n:::\n"))
    heading, paragraph, items, box = article.blocks
    assert (heading.text, paragraph.text, items.item_texts) == ("عنوان", "فقرة", ("بند", "آخر"))
    assert box.title == "مهم وسم رابط"


def test_a_task_lists_items_keep_their_text(write_article, expect_warnings):
    """Only a box that starts an item's text is taken out: "[x]" later in it, a link that starts
    it, or an escaped one ("\\[ ]") is the author's; an item left empty is left out, said."""
    expect_warnings(r"article\.md:5: a task list's check box '\[x\]'",
                    r"article\.md:6: a task list's check box '\[ \]'",
                    r"article\.md:6: an empty list item is left out",
                    r"article\.md:9: an empty list item is left out")
    article = content.load(write_article(
        "- [x] أُنجز [x] مرة\n- [ ]\n- [رابط](https://example.org) بعده\n- [ ]لصيق\n-\n"
        "- \\[ ] مهرب\n"))
    (items,) = article.blocks
    assert items.item_texts == ("أُنجز [x] مرة", "رابط بعده", "[ ]لصيق", "[ ] مهرب")
    assert len(items.items) == 4  # (no empty bullet printed)


def test_what_looks_like_markup_but_is_text_stays_text(write_article, expect_warnings):
    """A maintainer's review: "&lt;!--" and "\\<!--" are text, as the warnings advise; braces
    inside a sentence are prose; an unclosed inline script or comment cuts its paragraph and
    says so, with no stray closing tag left in the HTML."""
    expect_warnings(r"article\.md:7: an HTML comment opened here is never closed",
                    r"article\.md:9: raw HTML <script> opened here is never closed: the rest")
    article = content.load(write_article(
        "الرمز &lt;!-- و\\<!-- يبدأ تعليقاً، وحل المعادلة {x=1} ثم تابع.\n\n"
        "نص <!-- ملاحظة [رابط](https://example.org) و**غامق** بعد\n\n"
        "نص <script>x = 1 وبقية الفقرة\n"))
    text, cut, script = article.blocks
    assert text.text == "الرمز <!-- و<!-- يبدأ تعليقاً، وحل المعادلة {x=1} ثم تابع."
    assert (cut.text, cut.html, script.text) == ("نص", "نص", "نص")


def test_a_paragraph_wholly_in_bold_is_a_lead_in(write_article):
    """An interview's question (a body paragraph whose only content is one bold span) is marked
    lead_in, which the layouts keep with the text after it; a bold span beside other words, two
    spans, a footnote call, or a bold paragraph in a quote or a box is not."""
    path = write_article("**كيف بدأت الحكاية؟**\n\nجئت بديلاً لحارس مرض.\n\n"
                         " **سؤال على\nسطرين؟** \n\n"
                         "**الاسم:** هالة\n\n**سؤال** **آخر**\n\n**سؤال بحاشية؟**[^1]\n\n"
                         "> **قول مقتبس**\n\n::: sidebar بطاقة\n**في الصندوق**\n:::\n\n"
                         "- **في قائمة**\n\n[^1]: حاشية.\n")
    blocks = content.load(path).blocks
    kept = [b.text for b in blocks if isinstance(b, Paragraph) and b.lead_in]
    assert [" ".join(t.split()) for t in kept] == ["كيف بدأت الحكاية؟", "سؤال على سطرين؟"]
    assert not any(getattr(b, "lead_in", False) for s in blocks if isinstance(s, Sidebar) for b in s.blocks)


def test_a_question_after_its_askers_name_in_bold_is_a_lead_in(write_article):
    """"**مروان الحسيني:** كيف بدأت؟" heads its answer as a question wholly in bold does (a
    tester's interview left such questions at column feet, their answers in the next); a bold
    label before a statement, a long question, or one in a box is not."""
    path = write_article("**مروان الحسيني:** كيف بدأت؟\n\n**فائق الموصلي:** لم أبدأ، وجدت نفسي في الورشة.\n\n"
                         "**Q:** And the wood?\n\n**A:** Walnut, mostly.\n\n"
                         "**سؤال:** " + "كلمة " * 70 + "أليس كذلك؟\n\n"
                         "**الاسم:** هل «هالة»؟»\n\nجواب.\n\n**تحديث** هل تفتح المدارس غداً؟\n\nنعم.\n\n"
                         "::: sidebar بطاقة\n**في الصندوق:** لماذا؟\n:::\n")
    blocks = content.load(path).blocks
    kept = [b.text for b in blocks if isinstance(b, Paragraph) and b.lead_in]
    assert kept == ["مروان الحسيني: كيف بدأت؟", "Q: And the wood?", "الاسم: هل «هالة»؟»"]


def test_of_lead_ins_in_a_row_only_the_last_is_kept_with_the_text(write_article):
    """Kept each with the next, forty questions in a row were one chain taller than a column
    (a hostile review: the column before was left with one line); only the question the answer
    follows is kept with it."""
    questions = "\n\n".join(f"**السؤال رقم {n}؟**" for n in range(40))
    blocks = content.load(write_article(f"مقدمة.\n\n{questions}\n\nالجواب.\n\n**وأخيراً؟**\n\nنعم.\n")).blocks
    kept = [b.text for b in blocks if isinstance(b, Paragraph) and b.lead_in]
    assert kept == ["السؤال رقم 39؟", "وأخيراً؟"]


def test_a_footnote_in_a_blocks_title_is_said(write_article, expect_warnings):
    """A call in a sidebar's or an unknown block's title vanished without a word (its note was
    then said never called, which was all a writer was told)."""
    expect_warnings(r"article\.md:5: a footnote in a block's title is not supported: left out",
                    r"article\.md:11: a footnote in a block's title is not supported: left out",
                    r"article\.md:11: unknown block '::: box'",
                    r"article\.md:15: footnote \[\^1\] is never called",
                    r"article\.md:16: footnote \[\^2\] is never called")
    article = content.load(write_article("::: sidebar إطار[^1]\nنص.\n:::\n\nفقرة.\n\n"
                                         "::: box عنوان[^2]\nنص آخر.\n:::\n\n"
                                         "[^1]: الأولى.\n[^2]: الثانية."))
    assert article.blocks[0].title == "إطار" and "[^" not in " ".join(article.text_blocks())


def test_thousands_of_unknown_keys_are_said_in_linear_time(write_article, expect_warnings):
    """Each unknown key's line was found by rescanning the file: 10,000 keys took 20 s."""
    expect_warnings(r"unknown front-matter key")
    front = {f"k{n}": "x" for n in range(3000)}
    content.load(write_article("نص.", **front))
    assert content.key_line("a: 1\nb: 2\na: 3\n", "a") == 1 and content.key_line("a: 1", "c") is None


@pytest.mark.parametrize(("lang", "opened", "closed"), [("ar", "«", "»"), ("fa", "«", "»"), ("en", '"', '"')])
def test_straight_double_quotes_are_set_as_the_languages_marks(tmp_path, lang, opened, closed):
    """Straight quotes typed or scraped into an Arabic-script article are guillemets (a tester's
    scraped report printed "لم تسجل أي إصابات بشرية" in straight quotes); across emphasis, in
    turn; code, an apostrophe and a paragraph with an odd number of them are left as written.
    In English they stay as written."""
    source = tmp_path / "quotes.md"
    source.write_text(f"---\ntitle: اقتباس\nlang: {lang}\n---\n\n"
                      'قال المسؤول "لم تسجل أي إصابات بشرية" ثم أضاف "نحن **بخير** الآن" عن شركة '
                      "O'Brien و`\"x\"`.\n\nعلامة واحدة \" تبقى.\n\n"
                      '> "كلام منقول" في اقتباس.\n', encoding="utf-8")
    first, odd, quote = content.load(source).blocks
    assert first.text == (f"قال المسؤول {opened}لم تسجل أي إصابات بشرية{closed} ثم أضاف {opened}نحن "
                          f"بخير الآن{closed} عن شركة O'Brien و\"x\".")
    assert odd.text == 'علامة واحدة " تبقى.'
    assert quote.text == f"{opened}كلام منقول{closed} في اقتباس."


@pytest.mark.parametrize(("written", "start"), [
    ("١. أول\n٢. ثانٍ\n٣. ثالث", 1),
    ("٣- أول\n٤- ثانٍ\n٥- ثالث", 3),
    ("۱) أول\n۲) ثانٍ\n۳) ثالث", 1),
    ("1- أول\n2- ثانٍ\n3- ثالث", 1),
])
def test_a_list_numbered_in_arabic_digits_or_with_dashes_is_a_numbered_list(write_article, written,
                                                                             start):
    """"١. أول" and "١- أول", as Arabic is written, were a paragraph holding their numbers (CommonMark
    reads "1." only); a year starting a paragraph is no number of a list, nor a range."""
    _, numbered, year, numbers = content.load(write_article(
        f"مقدمة.\n\n{written}\n\n١٩٩٠- بدأت الحرب.\n\n10- 15 مليوناً.")).blocks
    assert isinstance(numbered, List) and numbered.ordered and numbered.start == start
    assert [item.text for item in numbered.items] == ["أول", "ثانٍ", "ثالث"]
    assert (year.text, numbers.text) == ("١٩٩٠- بدأت الحرب.", "10- 15 مليوناً.")


def test_a_list_numbered_in_arabic_digits_is_set_as_one(workspace, write_article, tmp_path,
                                                        monkeypatch):
    monkeypatch.chdir(workspace.root)
    source = write_article("مقدمة.\n\n١- أول البنود\n٢- ثاني البنود\n\nخاتمة.")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out), "-q"]) == 0
    text = " ".join(" ".join(re.sub(r"[\u061c\u200e\u200f\u2066-\u2069]", "", page).split())
                    for page in PdfReport(out).text_pypdf())
    assert "١- أول" not in text and "٢- ثاني" not in text, text
    assert re.search(r"١\.?\s*أول البنود", text) and re.search(r"٢\.?\s*ثاني البنود", text), text
