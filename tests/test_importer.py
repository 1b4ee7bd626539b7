"""Scraped text → Article: the seed's parts, the line rules, and the Markdown round trip."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.model import Article, Heading, List, Paragraph
from pressroom.sources import content, importer


def test_seed_parts(seed_txt):
    article = importer.load(seed_txt)
    assert article.title == "التزام كازاخستان بالسلام"
    assert article.deck.startswith("البلاد تبعث قوات")
    assert article.byline == "سلطنات بيرديكيفا"
    assert article.lang == "ar"
    headings = [b.text for b in article.blocks if isinstance(b, Heading)]
    assert headings == ["بروز الكازاخيين كحفظة سلام"]
    first, second = article.figures
    assert first.src.endswith("180816-Z-BT406-0647_edit.jpg") and not first.credit
    assert second.src.endswith("180817-Z-ID851-1004-edit.jpg")
    assert second.credit == "رقيب براين كالهون/الحرس الوطني الأمريكي"
    assert not any("التعليقات مغلقة" in t for t in article.text_blocks())
    assert sum(isinstance(b, Paragraph) for b in article.blocks) == 13


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("رقيب براين كالهون/الحرس الوطني الأمريكي", True),
        ("تصوير: أحمد علي", True),
        ("صورة: وزارة الدفاع", True),
        ("Photo by Jane Doe", True),
        ("Photo: U.S. Army", True),
        ("رويترز", True),
        ("AFP/Getty Images", True),
        ("وكالة الأنباء الكازاخستانية", True),
        ("جنود حفظ السلام الكازاخيون خلال تدريب في ألماتي.", False),
        ("بروز الكازاخيين كحفظة سلام", False),
        ("في عام 2003، أرسلت كازاخستان قوات للمشاركة في أول بعثة دولية لحفظ السلام.", False),
    ],
)
def test_credit_rule(line, credit):
    assert importer.looks_like_credit(line) is credit


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("بروز الكازاخيين كحفظة سلام", True),
        ("The road ahead", True),
        ("وقال نائب وزير الدفاع، تالغات مختاروف، أن هذه القوات المدربة تدريباً جيدا.", False),
        ("سطر قصير ينتهي بنقطة.", False),
        ("سؤال قصير؟", False),
    ],
)
def test_heading_rule(line, heading):
    assert importer.looks_like_heading(line) is heading


@pytest.mark.parametrize("line", ["التعليقات مغلقة.", "Comments are closed.", "اقرأ أيضاً"])
def test_boilerplate(line):
    assert importer.is_boilerplate(line)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("كتب: أحمد علي", "أحمد علي"),
        ("بقلم: سعاد الخطيب", "سعاد الخطيب"),
        ("بقلم سعاد الخطيب", "سعاد الخطيب"),
        ("كتبت: ليلى حسن", "ليلى حسن"),
        ("إعداد: فريق التحرير", "فريق التحرير"),
        ("By Jane Doe", "Jane Doe"),
        ("Written by John Smith", "John Smith"),
    ],
)
def test_byline_lead_in_word_is_left_out(tmp_path, line, byline):
    """The word that marks a byline is not printed before the names: the layout sets the names
    in the byline's place; "كتب: أحمد علي" read as if "كتب" were a name."""
    path = tmp_path / "a.txt"
    path.write_text(f"عنوان المقال\n{line}\nفقرة أولى طويلة بما يكفي لتكون فقرة حقيقية من فقرات "
                    "المقال، تنتهي بنقطة.\n", encoding="utf-8")
    article, decisions = importer.parse(path.read_text(encoding="utf-8"), path)
    assert (article.byline, article.deck) == (byline, "")
    # the import report says the word was left out
    (said,) = [importer.describe(d) for d in decisions if d.kind == "byline"]
    assert said.startswith(f"byline: {byline} ({line.removesuffix(byline).strip()!r} left out)")
    # the third line, after a deck, too
    path.write_text(f"عنوان المقال\nمقدمة قصيرة\n{line}\nفقرة أولى طويلة بما يكفي لتكون فقرة "
                    "حقيقية من فقرات المقال، تنتهي بنقطة.\n", encoding="utf-8")
    assert importer.load(path).byline == byline
    md = tmp_path / "a.md"
    md.write_text(importer.to_markdown(importer.load(path)), encoding="utf-8")
    assert content.load(md).byline == byline


def test_a_byline_without_its_lead_in_word_is_kept_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("عنوان المقال\nمقدمة قصيرة\nBynum Kitchener\nفقرة أولى طويلة بما يكفي لتكون "
                    "فقرة حقيقية من فقرات المقال، تنتهي بنقطة.\n", encoding="utf-8")
    assert importer.load(path).byline == "Bynum Kitchener"


@pytest.mark.parametrize("word", ["كتب:", "By:", "بقلم"])
def test_a_byline_word_without_a_name_is_dropped(tmp_path, word):
    """"كتب:" alone on its line was printed as the byline ":" (the colon taken for the name)."""
    path = tmp_path / "a.txt"
    path.write_text(f"عنوان المقال\nمقدمة قصيرة\n{word}\nفقرة أولى طويلة بما يكفي لتكون فقرة "
                    "حقيقية من فقرات المقال، تنتهي بنقطة.\n", encoding="utf-8")
    article, decisions = importer.parse(path.read_text(encoding="utf-8"), path)
    assert (article.deck, article.byline) == ("مقدمة قصيرة", "")
    assert [d.text for d in decisions if d.kind == "boilerplate"] == [word]


def test_caption_then_credit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "عنوان\nمقدمة\nكاتب\nفقرة أولى طويلة بما يكفي لتكون فقرة حقيقية من فقرات المقال.\n"
        "![](https://example.org/p.jpg)\nجنود خلال تدريب في ألماتي.\nتصوير: أحمد علي\n"
        "فقرة ثانية.\n",
        encoding="utf-8",
    )
    figure = importer.load(path).figures[0]
    assert (figure.caption, figure.credit) == ("جنود خلال تدريب في ألماتي.", "تصوير: أحمد علي")


@pytest.mark.parametrize(("line", "caption", "credit"), [
    ("الصورة: عمّال نظافة يستريحون في ظلّ جسر خلال الظهيرة (تصوير: حسن داود)",
     "عمّال نظافة يستريحون في ظلّ جسر خلال الظهيرة", "تصوير: حسن داود"),
    ("صورة: سوق الخضار في ساعات الصباح الأولى - رويترز", "سوق الخضار في ساعات الصباح الأولى", "رويترز"),
    ("Photo: Street sweepers rest under a bridge at noon (Hassan Daoud/Reuters)",
     "Street sweepers rest under a bridge at noon", "Hassan Daoud/Reuters"),
    # a label and a credit alone, or a name before the credit: the whole line is the credit
    ("الصورة: وزارة الدفاع", "", "الصورة: وزارة الدفاع"),
    ("Photo: John Doe - Reuters", "", "Photo: John Doe - Reuters"),
])
def test_a_photo_label_before_a_caption_ending_with_its_credit(tmp_path, line, caption, credit):
    """"الصورة: <caption> (تصوير: X)" was taken whole for the credit: the caption printed as one."""
    path = tmp_path / "a.txt"
    path.write_text(
        "عنوان\nمقدمة\nكاتب\nفقرة أولى طويلة بما يكفي لتكون فقرة حقيقية من فقرات المقال.\n"
        f"![](https://example.org/p.jpg)\n{line}\nفقرة ثانية طويلة بما يكفي لتكون فقرة من فقرات المقال.\n",
        encoding="utf-8",
    )
    figure = importer.load(path).figures[0]
    assert (figure.caption, figure.credit) == (caption, credit)


def _without_lines(blocks):
    return [dataclasses.replace(b, line=None) for b in blocks]


def test_markdown_round_trip(seed_txt, tmp_path):
    scraped = importer.load(seed_txt)
    md = tmp_path / "seed.md"
    md.write_text(importer.to_markdown(scraped), encoding="utf-8")
    again = content.load(md)
    assert (again.title, again.deck, again.byline, again.lang) == (
        scraped.title, scraped.deck, scraped.byline, scraped.lang)
    assert _without_lines(again.blocks) == _without_lines(scraped.blocks)


def test_escaping_round_trip(tmp_path):
    tricky = ["1. ليست قائمة", "- ولا هذه", "نجمة * و_شرطة_ و[قوسان] و<وسم>", "---", "# ليس عنواناً"]
    source = tmp_path / "t.txt"
    source.write_text("عنوان\nمقدمة\nكاتب\n" + "\n".join(t + " في جملة طويلة بما يكفي." for t in tricky),
                      encoding="utf-8")
    md = tmp_path / "t.md"
    md.write_text(importer.to_markdown(importer.load(source)), encoding="utf-8")
    assert [b.text for b in content.load(md).blocks] == [t + " في جملة طويلة بما يكفي." for t in tricky]


def test_markup_lookalikes_round_trip_exactly(tmp_path):
    """Lines that Markdown would read as markup, entities or YAML trouble come back as written."""
    title = 'عنوان "مقتبس" \\ مع \x07 جرس'
    tricky = ["---", "***", "- ولا هذه", "1. ليست قائمة", "# ليس عنواناً", "AT&amp;T و 5 &lt; 6",
              "&copy; 2019", "<b>وسم</b>", "نجمة * و_شرطة_ و[قوسان]", "::: sidebar ليس إطاراً",
              ":::pull", "~~ليس مشطوباً~~", "| ليس | جدولاً |", "حاشية[^1] و^[ليست حاشية]",
              "ليست معادلة $E = mc^2$ ولا $x$", ": ليس تعريفاً", "US$5 and US$ 10"]
    article = Article(title=title, path=tmp_path / "t.txt", blocks=tuple(
        Paragraph(t, t) for t in tricky))
    md = tmp_path / "t.md"
    md.write_text(importer.to_markdown(article), encoding="utf-8")
    again = content.load(md)
    assert again.title == title
    assert [b.text for b in again.blocks] == tricky


def test_a_scraped_list_reads_back_as_the_same_list(tmp_path):
    """Bulleted and numbered lines become lists, written as Markdown lists that read back the
    same (numbered from the first item's number)."""
    source = tmp_path / "t.txt"
    source.write_text("عنوان\nمقدمة\nكاتب\nفقرة أولى طويلة بما يكفي لتكون فقرة من فقرات المقال.\n"
                      "• بند أول\n• بند * ثانٍ\n٤. رابعاً\n٥. خامساً\nفقرة أخيرة طويلة بما يكفي.\n",
                      encoding="utf-8")
    article = importer.load(source)
    lists = [b for b in article.blocks if isinstance(b, List)]
    assert [(x.ordered, x.start, x.item_texts) for x in lists] == [
        (False, 1, ("بند أول", "بند * ثانٍ")), (True, 4, ("رابعاً", "خامساً"))]
    md = tmp_path / "t.md"
    md.write_text(importer.to_markdown(article), encoding="utf-8")
    again = [b for b in content.load(md).blocks if isinstance(b, List)]
    assert [(x.ordered, x.start, x.item_texts) for x in again] == [
        (x.ordered, x.start, x.item_texts) for x in lists]


def test_a_scraped_text_with_no_body_is_a_warning(tmp_path, expect_warnings):
    """A title and share buttons only: said, naming the file (``--strict`` fails the build)."""
    expect_warnings(r"t\.txt: no body: nothing after the title")
    source = tmp_path / "t.txt"
    source.write_text("عنوان فقط\nشارك على فيسبوك · شارك على إكس\n", encoding="utf-8")
    assert importer.load(source).blocks == ()


def test_lists_side_by_side_and_from_zero_read_back_apart(tmp_path):
    """A maintainer's review: two numbered lists in a row stay two (written with the other
    delimiter, which Markdown reads as a new list), and a list may start at 0."""
    source = tmp_path / "t.txt"
    source.write_text("عنوان\nمقدمة\nكاتب\nفقرة أولى طويلة بما يكفي لتكون فقرة من فقرات المقال.\n"
                      "0. صفر\n1. واحد\n2. اثنان\n1. أول\n2. ثانٍ\n1. مرة ثالثة\n2. والأخير\n"
                      "فقرة أخيرة طويلة بما يكفي.\n", encoding="utf-8")
    article = importer.load(source)
    lists = [(x.start, x.item_texts) for x in article.blocks if isinstance(x, List)]
    assert lists == [(0, ("صفر", "واحد", "اثنان")), (1, ("أول", "ثانٍ")), (1, ("مرة ثالثة", "والأخير"))]
    md = tmp_path / "t.md"
    md.write_text(importer.to_markdown(article), encoding="utf-8")
    assert [(x.start, x.item_texts) for x in content.load(md).blocks if isinstance(x, List)] == lists


@pytest.mark.parametrize(("line", "menu"), [
    ("الرئيسية | أخبار | محليات | رياضة | اقتصاد", True),
    ("Home › News › Local", True),
    ("الرئيسية » رياضة » كرة القدم", True),
    ("Home | World | Middle East | Business", True),
    ("| البند | القيمة | الملاحظة |", False),          # a table's row
    ("12 | 11 | 2025", False),                         # numbers
    ("الأهلي 2 | الزمالك 1 | الإسماعيلي 0", False),     # scores
    ("قال الوزير | إن الخطة بدأت. | وأضاف", False),     # a sentence's stop
    ("غزة | تقرير خاص", False),                        # two items: a headline's kicker
    ("الحكومة تقر الموازنة | أخبار | الجزيرة", False),  # a page's title tag: its headline
    ("a" + " " * 50_000 + "b", False),                 # (linear: this took 26 s)
])
def test_a_sites_menu_or_breadcrumb(line, menu):
    assert importer._menu(line) is menu


def test_lines_like_a_menu_in_the_article_are_kept():
    """Only above the title is a menu looked for: a byline, scores or a list of names in bars
    after it are the article's (they were dropped, --strict silent)."""
    text = ("Derby ends level after a late equaliser\n"
            "The visitors scored in the last minute to deny the home side a first win.\n"
            "Jane Doe | Reuters | London\n"
            "Salah | Hassan | Omar\nThe match was played in front of a full stadium.\n")
    article, decisions = importer.parse(text, Path("derby.txt"))
    assert article.byline == "Jane Doe | Reuters | London"
    assert "Salah | Hassan | Omar" in " ".join(article.text_blocks())
    assert not [d for d in decisions if d.kind == "boilerplate"]


def test_a_menu_above_the_title_leaves_the_head_as_it_was():
    """A page copied with its site menu first: the menu was the title (its last item alone on the
    title's second line, and the running head), the headline the deck, the byline a sub-heading."""
    head = "سيول تغمر الوادي وتقطع الطريق الدولي\nالدفاع المدني ينقذ 37 شخصاً\nكتب: محمود الصالح\n"
    body = "شهد الوادي سيولاً مفاجئة بعد أمطار غزيرة استمرت ساعات، ما أدى إلى إغلاق الطريق.\n"
    for menu in ("الرئيسية | أخبار | محليات | رياضة", "Home › News › Local"):
        article, decisions = importer.parse(f"{menu}\n{head}{body}", Path("menu.txt"))
        assert (article.title, article.deck, article.byline) == (
            "سيول تغمر الوادي وتقطع الطريق الدولي", "الدفاع المدني ينقذ 37 شخصاً", "محمود الصالح")
        assert [d.text for d in decisions if d.kind == "boilerplate"] == [menu]


def test_links_in_the_head_keep_their_text():
    """A title, deck or byline holding a link reached the front matter, so the page, as raw
    syntax; a headline copied as one link was dropped as a line of links."""
    text = ("[سيول تغمر الوادي الكبير](https://x.org/a)\nالدفاع المدني ينقذ [37 شخصاً](https://x.org/b)\n"
            "كتب: [محمود الصالح](https://x.org/author)\n"
            "شهد الوادي سيولاً مفاجئة بعد أمطار غزيرة استمرت ساعات، ما أدى إلى إغلاق الطريق.\n")
    article, _ = importer.parse(text, Path("links.txt"))
    assert (article.title, article.deck, article.byline) == (
        "سيول تغمر الوادي الكبير", "الدفاع المدني ينقذ 37 شخصاً", "محمود الصالح")
    for furniture in ("[الرئيسية](https://x.org/)", "[Subscribe to our newsletter](https://x.org/s)",
                      "[Skip to main content](#main)", "[تابعونا على تويتر](https://x.org/t)"):
        menu, _ = importer.parse(f"{furniture}\n{text}", Path("links.txt"))
        assert menu.title == "سيول تغمر الوادي الكبير", furniture


def test_links_with_brackets_inside_keep_their_text():
    """A link's text holding brackets in pairs, or its address round brackets twice nested, was
    no link to the importer: its syntax reached the page (--strict silent)."""
    text = ("[Storm [live] floods the coastal towns](https://x.example/storm)\n"
            "A deck with a link to [the river agency](https://x.example/a_(b_(c))) and more\n"
            "By Jane Doe\nThe river rose on [Tuesday [local time]](https://x.example/t) night.\n")
    article, _ = importer.parse(text, Path("links.txt"))
    assert (article.title, article.deck) == ("Storm [live] floods the coastal towns",
                                             "A deck with a link to the river agency and more")
    assert article.text_blocks()[-1] == "The river rose on Tuesday [local time] night."


def test_a_markdown_table_in_the_page_is_a_table(tmp_path):
    """A page's Markdown table: each row was a sub-heading and "|---|---|" printed."""
    from pressroom.model import Table

    text = ("سيول تغمر الوادي\nالدفاع المدني ينقذ العالقين\nأحمد علي\n"
            "شهد الوادي سيولاً مفاجئة بعد أمطار غزيرة استمرت ساعات، ما أدى إلى إغلاق الطريق.\n"
            "| البلدة | المنازل | السكان \\| المنقولون |\n|:--|--:|:-:|\n"
            "| [الوادي](https://x.org/w) | 120 | 800 |\n"
            "| السهل | 45 |\nوقال السكان إن التحذير جاء متأخراً.\n")
    article, decisions = importer.parse(text, Path("flood.txt"))
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert [c.text for c in table.header] == ["البلدة", "المنازل", "السكان | المنقولون"]
    assert [[c.text for c in row] for row in table.rows] == [["الوادي", "120", "800"], ["السهل", "45", ""]]
    assert [c.align for c in table.header] == ["left", "right", "center"]
    assert [c.numeric for c in table.header] == [False, True, True]
    assert ("table", "2 rows of 3 columns") in [(d.kind, d.text) for d in decisions]
    written = tmp_path / "flood.md"
    written.write_text(importer.to_markdown(article), encoding="utf-8")
    (read,) = [b for b in content.load(written).blocks if isinstance(b, Table)]
    assert read.header == table.header and read.rows == table.rows
    assert article.text_blocks() == content.load(written).text_blocks()


def test_text_after_a_photo_that_starts_with_an_exclamation_bracket_is_kept():
    """"![chart](…) ![Important] prices rose…": the second "![" opens no image (no "](" after
    it), so the rest of the line is text, kept after the photo (it was left out whole as a
    malformed image); and "![x](<… with space.jpg>)" is that address, not "%3C…%3E"."""
    head = ("Prices rise again\nShops feel the pressure as costs climb\nBy Jane Doe\n"
            "Prices rose by 3 percent.\n")
    article, _ = importer.parse(head + "![chart](https://x.example/c.png) ![Important] bread rose "
                                "fastest, and rents followed.\nRates may rise.\n", Path("stray.txt"))
    assert [f.src for f in article.figures] == ["https://x.example/c.png"]
    assert "Important bread rose fastest, and rents followed." in article.text_blocks()
    angled, _ = importer.parse(head + "![x](<https://x.example/with space.jpg>)\nRates may rise.\n",
                               Path("angle.txt"))
    assert [f.src for f in angled.figures] == ["https://x.example/with%20space.jpg"]


def test_related_headlines_after_a_label_above_the_furniture_are_left_out(tmp_path):
    """"اقرأ أيضاً" then three headlines, then only the comments' notice: all three are the
    site's links, not the article's last sub-heading and paragraph (a tester's scraped report
    printed two after its agency line); mid-article, the label takes its one headline and the
    article goes on. Straight quotes in a scraped Arabic paragraph are guillemets."""
    article, _ = importer.parse(
        "حريق يلتهم غابة في الشمال\n\nالنيران تمتد إلى ثلاثة هكتارات\n\n"
        "اندلع حريق كبير صباح الأحد في غابة قرب القرية، وقال مسؤول \"لم تسجل إصابات\" حتى الآن.\n\n"
        "اقرأ أيضاً\nموجة حر جديدة تضرب المنطقة\n\n"
        "وتواصل فرق الإطفاء عملها في المنطقة منذ ساعات الفجر الأولى بمساندة طائرتين.\n\n"
        "(رويترز)\n\nاقرأ أيضاً\nموجة حر جديدة تضرب المنطقة الأسبوع المقبل\n"
        "وزارة الزراعة تطلق حملة تشجير في الجنوب\nالدفاع المدني يحذر من إشعال النار\n\n"
        "التعليقات مغلقة.\n", Path("fire.txt"))
    texts = [block.text for block in article.blocks]
    assert texts == ["اندلع حريق كبير صباح الأحد في غابة قرب القرية، وقال مسؤول «لم تسجل إصابات» حتى الآن.",
                     "وتواصل فرق الإطفاء عملها في المنطقة منذ ساعات الفجر الأولى بمساندة طائرتين.",
                     "(رويترز)"]
    assert all(isinstance(block, Paragraph) for block in article.blocks)


def test_control_characters_in_scraped_text_are_left_out_and_said(workspace, monkeypatch, capsys,
                                                                  expect_warnings):
    """A scrape's control characters (a bell, an escape) were dropped silently: left out, said
    with the line of the first; --strict fails, writing nothing."""
    expect_warnings(r"s\.txt:5: left out: 3 control or bidi formatting characters or escape sequences "
                    r"\(U\+0007, U\+001B\), which print nothing")
    monkeypatch.chdir(workspace.root)
    scraped = workspace.root / "s.txt"
    scraped.write_text("عنوان المقال\nمقدمة المقال القصيرة\nبقلم كاتب\n\nفقرة \x07أولى طويلة بما يكفي "
                       "لتكون فقرة.\n\nفقرة \x1bثانية\x07 طويلة بما يكفي لتكون فقرة.\n", encoding="utf-8")
    article = importer.load(scraped)
    assert [b.text for b in article.blocks] == ["فقرة أولى طويلة بما يكفي لتكون فقرة.",
                                                "فقرة ثانية طويلة بما يكفي لتكون فقرة."]
    out = workspace.root / "strict.pdf"
    assert main([str(scraped), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "s.txt:5: " in err and "Traceback" not in err and not out.exists()


def test_escape_sequences_and_bidi_controls_in_scraped_text_are_left_out_whole(tmp_path):
    """A terminal's colour code left "[31m" on the page once its escape was dropped; a credit line
    wrapped in a right-to-left override (U+202E … U+202C) was read as a sub-heading."""
    path = tmp_path / "a.txt"
    path.write_text(
        "عنوان\nمقدمة\nكاتب\nفقرة أولى فيها \x1b[31mلون\x1b[0m وكلمة \u2066Latin\u2069 طويلة بما يكفي.\n"
        "![](https://example.org/p.jpg)\n\u202eتصوير: أحمد علي\u202c\n"
        "فقرة ثانية طويلة بما يكفي لتكون فقرة من فقرات المقال.\n", encoding="utf-8")
    article, decisions = importer.parse(path.read_text(encoding="utf-8"), path)
    assert article.blocks[0].text == "فقرة أولى فيها لون وكلمة Latin طويلة بما يكفي."
    assert article.figures[0].credit == "تصوير: أحمد علي"
    said = [d for d in decisions if d.kind == "left out"]
    assert [(d.line, d.text.split()[0]) for d in said] == [(4, "6")]


def test_a_breadcrumb_after_the_date_line_is_dropped_not_a_sub_heading(tmp_path):
    """"الرئيسية | اقتصاد | أسواق" after a "نُشر في …" line was made a sub-heading and printed."""
    path = tmp_path / "a.txt"
    path.write_text("عنوان المقال عن السوق\nمقدمة قصيرة للمقال عن السوق\nبقلم: سارة علي\n"
                    "نُشر في 3 آذار/مارس 2026\nالرئيسية | اقتصاد | أسواق\n"
                    "فقرة أولى طويلة بما يكفي لتكون فقرة حقيقية من فقرات المقال، تنتهي بنقطة.\n",
                    encoding="utf-8")
    article, decisions = importer.parse(path.read_text(encoding="utf-8"), path)
    assert not [b for b in article.blocks if isinstance(b, Heading)]
    assert [(d.line, d.kind) for d in decisions if "الرئيسية" in d.text] == [(5, "boilerplate")]
