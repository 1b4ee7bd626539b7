"""Line breaking and type details on WeasyPrint's boxes: no stranded words, nothing past the box."""

from __future__ import annotations

import random
import re

import pytest
from PIL import Image

from pressroom import build
from pressroom.check.verify import PdfReport, words
from pressroom.cli import main
from pressroom.layout import render, typeset, weasy
from pressroom.report import collect_warnings

from .boxes import MM, bottom, columns, content_area, find, left, page_box, right, text_of, top, walk
from .checks import EPS, balance_fault, justified_lines, past_the_box, short_lines
from .conftest import FIXTURES

#: Words written for these tests (irrigation and farming), not taken from the seed or the fixtures.
WORDS = (
    "أعلنت وزارة الزراعة والموارد المائية عن برنامج جديد لتحديث شبكات الري في القرى الجنوبية "
    "ويهدف المشروع إلى تقليل الفاقد من المياه وتحسين إنتاجية المحاصيل الشتوية والصيفية معاً "
    "وقال المهندس المسؤول إن الفلاحين شاركوا في تصميم القنوات الفرعية منذ البداية وإن التمويل "
    "يأتي من صندوق التنمية الإقليمية بالتعاون مع البلديات والجمعيات التعاونية المحلية ويشمل "
    "تدريب الشباب على صيانة المضخات وقراءة عدادات الاستهلاك الشهرية وتسجيل النتائج إلكترونياً"
).split()
#: Runs that bidi.py puts in spans of their own (numbers, percentages, Latin words, codes).
RUNS = ("30%", "1,500", "2024", "12.5%", "FAO", "GPS", "ISO-9001", "New Delhi", "٤٥٠", "7.25",
        "(40%)", "1,200,000", "Wi-Fi", "2030،")


def _paragraph(rng: random.Random, density: float) -> str:
    words = []
    for index in range(rng.randint(12, 70)):
        if index and rng.random() < density:
            words.append(rng.choice(RUNS))
        else:
            words.append(rng.choice(WORDS))
    return " ".join(words) + "."


def _lay_out(write_article, workspace, body: str, **front: str):
    source = write_article(body, **front)
    return build.typeset_article(build.context(source, workspace), build.load(source))


def test_a_paragraph_ending_in_a_footnote_call_ends_on_its_last_line(workspace, write_article):
    """The check knows a paragraph's last line when the paragraph calls a note at its end (the
    note's text is set inside the paragraph, floated to the page's foot, and the line shows the
    call's number): "winters building¹." was taken for a line mid-paragraph, a stranded word."""
    document = _lay_out(write_article, workspace, (
        "يروي سكان المنطقة حكايات كثيرة عن الماضي والحاضر، ويأملون في مستقبل أفضل لأبنائهم "
        "وبناتهم في القرى البعيدة عن المدن، ويقولون إن الطريق طويل. وقالوا ذلك أمس[^1].\n\n"
        "[^1]: في لقاء مع الكاتب في بيت أحدهم في القرية.\n"))
    lines = justified_lines(document)
    assert [text_of(line).replace("\u2009", " ").replace("\u2060", "").split()[-2:]
            for *_, line, last, _ in lines if last] == [["أمس", "١."]]  # (U+2060: the end mark's joiner)
    assert [last for *_, last, _ in lines] == [False] * (len(lines) - 1) + [True]


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_paragraphs_have_no_stranded_words(seed, workspace, write_article):
    """Many seeded paragraphs, indented, with numbers, percentages and Latin runs: every line of a
    justified paragraph but its last fills at least half the column; nothing leaves it."""
    rng = random.Random(seed)
    body = "\n\n".join(_paragraph(rng, 0.25) for _ in range(45))
    document = _lay_out(write_article, workspace, body, lang="ar")
    lines = justified_lines(document)
    assert len(lines) > 150
    assert short_lines(document) == []
    assert past_the_box(document) == []


@pytest.mark.parametrize("run", ["30%", "1,500", "FAO", "New Delhi"])
def test_text_before_a_run_that_fits_only_without_its_space(run, workspace, write_article):
    """The root cause, cornered: the same indented paragraph at 40 widths a pixel apart, so that
    at some of them the words before ``run`` fit the first line only without the space after
    them (about 4 px). WeasyPrint 70 alone then keeps the first word alone on the line."""
    words = WORDS[:9]
    paragraph = f"{' '.join(words)} {run} {' '.join(WORDS[9:20])}."
    css = workspace.layouts / "magazine" / "print.css"
    rules = "".join(f".body p:nth-of-type({k + 2}) {{ width: calc(100% - {k}px); }}\n"
                    for k in range(40))
    css.write_text(css.read_text(encoding="utf-8") + rules, encoding="utf-8")
    body = "\n\n".join(["مقدمة قصيرة."] + [paragraph] * 40)
    document = _lay_out(write_article, workspace, body, lang="ar")
    lines = justified_lines(document)
    firsts = [line for _, text, line, _, _ in lines if text.startswith(words[0])
              and text_of(line).startswith(words[0])]
    assert len(firsts) == 40
    assert short_lines(document) == []


def test_the_seed_has_no_stranded_words(seed_document):
    assert short_lines(seed_document) == []
    assert past_the_box(seed_document) == []


def test_the_line_breaking_fix_refuses_a_changed_weasyprint(monkeypatch):
    """The wrapper is installed over WeasyPrint 70's own function only, never over another."""
    monkeypatch.setattr(weasy._inline, "split_first_line", lambda *args: None)
    with pytest.raises(weasy.WeasyPrintContractError, match="split_first_line"):
        weasy.keep_words_before_inline_elements()


# --- type details (issue 13 item 5) -----------------------------------------------------------

TYPE_DETAILS = FIXTURES / "type-details.md"
PT = 96 / 72  # CSS px per point


def _stages(source, project, html_change=None):
    """The article laid out through build's stages, its HTML changed first when asked."""
    ctx = build.context(source, project)
    article = build.load(source)
    resolved = build.resolve_images(ctx, article)
    html = build.render_html(ctx, article, resolved)
    if html_change:
        html = html_change(html)
    return build.lay_out(ctx, article, html, resolved)


def _lines_of(document, cls: str) -> list[str]:
    (block,) = find(document.pages[0], cls=cls)
    return [" ".join(re.sub("[\u2060\u061c]", "", text_of(line)).split())
            for line in block.children if type(line).__name__ == "LineBox"]


@pytest.fixture(scope="module")
def details(project):
    with collect_warnings():
        return _stages(TYPE_DETAILS, project)


def test_title_and_deck_do_not_end_with_a_lone_word(details, project):
    for cls in ("title", "deck"):
        lines = _lines_of(details, cls)
        assert len(lines) >= 2 and len(lines[-1].split()) >= 2, (cls, lines)
    assert weasy.overfull_lines(details, ("title", "deck")) == []
    # the fixture is a real case: without the joined last words, both end with one word alone
    with collect_warnings():
        loose = _stages(TYPE_DETAILS, project, render.release_last_words)
    assert [len(_lines_of(loose, cls)[-1].split()) for cls in ("title", "deck")] == [1, 1]


def test_a_title_ending_in_a_range_keeps_it_whole(workspace, write_article):
    """A title from the corpus generator: left to WeasyPrint it broke inside "2008–2014"; its
    numbers, in spans of their own (bidi.py), are not broken at the dash, and the last two words
    are kept together."""
    source = write_article("نص.", title='"بالأرقام: إعادة التدوير بين 2008–2014"', lang="ar")
    kept = _lines_of(_stages(source, workspace), "title")
    loose = _lines_of(_stages(source, workspace, render.release_last_words), "title")
    assert loose[-1] == "2008–2014"
    assert kept[-1].split()[-2:] == ["بين", "2008–2014"]


def test_last_words_too_wide_together_are_left_to_break(workspace, write_article):
    """Joined, the last two words of this title would not fit one line: they are let go."""
    title = "The Internationalization Counterrevolutionaries"
    source = write_article("Text.", title=f"Notes on {title}", lang="en")
    document = _stages(source, workspace)
    assert _lines_of(document, "title")[-1] == "Counterrevolutionaries"
    assert weasy.overfull_lines(document, ("title",)) == []
    # the first layout, with the two words joined, did overflow
    ctx = build.context(source, workspace)
    article = build.load(source)
    html = build.render_html(ctx, article, build.resolve_images(ctx, article))
    assert render.KEPT_SPACE in html
    joined = typeset.layout(html, ctx.folder, workspace.fonts, ctx.fetcher)
    assert weasy.overfull_lines(joined, ("title",)) != []


def test_addresses_break_after_a_slash_or_before_a_dot_without_a_hyphen(details):
    """An address's line ends after a slash, or its next line starts with the
    dot, at or hyphen it broke before; never a line ending on a dot (read as a full stop)."""
    lines = [text_of(line) for _, text, line, _, _ in justified_lines(details)
             if "maintenance-team" in re.sub("[\u200b\u2060]", "", text)]
    pieces = []  # each line's pieces of an address, as written
    for _, text, line, _, _ in justified_lines(details):
        if "maintenance-team" in re.sub("[\u200b\u2060]", "", text):
            pieces += [text_of(box).replace("\u200b", "") for box in walk(line)
                       if "address" in ((getattr(box, "element", None) is not None
                                        and box.element.get("class")) or "").split()
                       and type(box).__name__ == "InlineBox"]
    assert len(lines) >= 3
    ends = [piece[-1] for piece in pieces[:-1]]
    starts = [piece[0] for piece in pieces[1:]]
    assert sum(end == "/" or start in ".@-" for end, start in zip(ends, starts, strict=True)) >= 2, pieces
    assert not any(end in ".@-" for end in ends), pieces
    assert not any("\u2010" in line or "\u00ad" in line for line in lines), "no hyphen added"
    assert short_lines(details) == []
    assert past_the_box(details) == []


def test_no_reader_extracts_the_invisible_breaks(project, tmp_path):
    out = tmp_path / "details.pdf"
    with collect_warnings():
        build.build(TYPE_DETAILS, out, project=project)
    texts = PdfReport(out).texts()
    assert {"pdfium", "pypdf"} <= set(texts)
    for reader, pages in texts.items():
        text = "".join(pages)
        assert "\u200b" not in text and "\u2060" not in text, reader
        assert "مزارعو الوادي يعيدون الحياة إلى" in text, reader
        # the bidi marks between the parts of an address (glyphfold.py) are skipped, as searches do
        text = re.sub("[\u200e\u200f\u061c\u2063\u202a-\u202e]", "", text)
        if reader == "poppler":  # it sets each part of a split address as a word of its own, and
            # may take a line's first part to a line of its own: each word is found
            assert {"villages", "water", "loss", "survey", "irrigation", "ministry"} <= set(words(text))
            continue
        assert "villages/water-loss-survey.pdf" in text, reader
        assert "irrigation-ministry.example.gov" in text, reader


def test_punctuation_after_an_address_stays_on_its_reading_side(workspace, write_article):
    """An Arabic comma or full stop after a URL or an address follows it in reading order: to
    its left in a right-to-left line, not inside its left-to-right piece."""
    source = write_article("تُنشر الصور على https://example.org/gallery، ويمكن الكتابة إلى "
                           "desk@example.net. وتصل الردود خلال يومين.", lang="ar")
    (paragraph,) = [box for box in walk(_stages(source, workspace).pages[0]._page_box)
                    if type(box).__name__ == "BlockBox" and box.element_tag == "p"
                    and "desk@" in text_of(box).replace("\u200b", "")]
    texts = [b for b in walk(paragraph) if type(b).__name__ == "TextBox"]
    for address, mark in (("gallery", "،"), ("example.net", ".")):
        (piece,) = [b for b in texts if b.text.replace("\u200b", "").endswith(address)]
        (after,) = [b for b in texts if b.text.startswith(mark)]
        assert right(after) <= left(piece) + EPS, (address, mark)


def test_a_query_string_reads_left_to_right_on_every_line(workspace, write_article):
    """An address's "&" belongs to it: split there (the text was matched between its entities),
    the end of "…?year=2020&lang=ar" was set as three right-to-left runs: "ar=lang&year=2020".
    On every line, the address's pieces read left to right as written."""
    url = "https://maps.example.org/search?q=water&lang=ar&page=2&year=2024"
    source = write_article("يمكن الاطلاع على الخريطة الكاملة للمشروع وعلى تقارير الفرق الميدانية "
                           f"عبر الرابط {url} أو عبر مكتب البلدية في وسط المدينة. "
                           "وكتب أحد السكان لصحيفة O'Brien & Sons أن العمل استغرق أسبوعين.", lang="ar")
    page = _stages(source, workspace).pages[0]._page_box
    lines = [box for box in walk(page) if type(box).__name__ == "LineBox"]
    pieces = []
    for line in lines:
        parts = sorted((b for b in walk(line) if type(b).__name__ == "TextBox"
                        and b.text.replace("\u200b", "") and b.text.replace("\u200b", "") in url), key=left)
        if parts:
            pieces.append("".join(b.text.replace("\u200b", "") for b in parts))
    assert "".join(pieces) == url, pieces
    out = workspace.root / "query.pdf"
    build.build(source, out, project=workspace)
    texts = PdfReport(out).texts()
    for reader in ("pdfium", "pypdf"):  # poppler: a known limit (README, "Text layer")
        pages = texts[reader]
        # the bidi marks between a run's parts (glyphfold.py) dropped, as searches do
        assert "O'Brien & Sons" in re.sub("[\u200e\u200f\u061c\u2063]", "", "\n".join(pages)), reader


def test_credits_are_legible(details, seed_document):
    credits = [b for doc in (details, seed_document) for page in doc.pages
               for b in find(page, cls="credit")]
    assert credits
    for credit in credits:
        assert credit.style["font_size"] >= 7 * PT - 0.01
        assert credit.style["font_family"][0] == "Amiri"


def test_a_tall_lead_photo_is_cropped_to_fit_with_a_warning(workspace, write_article,
                                                            expect_warnings):
    Image.new("RGB", (900, 2400), (120, 140, 90)).save(workspace.images / "tall-tower.png")
    source = write_article(
        '![برج المياه القديم](images/tall-tower.png){credit="تصوير: هالة يوسف"}\n\n'
        + "\n\n".join(" ".join(WORDS[i:i + 40]) + "." for i in range(0, 80, 20)), lang="ar")
    # (a portrait photo, unmarked: the band, cropped keeping its top; tests/test_portrait_lead.py)
    expect_warnings(r"lead photo tall-tower\.png is taller than page 1 allows: cropped to "
                    r"\d+ × 120 mm keeping its top.*", r"tall-tower\.png is \d+ ppi")
    document = _stages(source, workspace)
    page = document.pages[0]
    (image,) = [b for b in walk(page_box(page)) if b.element_tag == "img"]
    assert image.height <= 120 * MM + EPS
    assert image.width == pytest.approx(content_area(page)[2] - content_area(page)[0], abs=1)
    (figure,) = find(page, "figure")
    assert bottom(figure) <= content_area(page)[3] + EPS
    assert past_the_box(document) == []


def test_a_tall_lead_photo_marked_crop_is_cropped_with_a_note_and_strict_passes(
        workspace, write_article, expect_warnings, monkeypatch, capsys):
    """{.crop}: the author accepts the crop; it is said as a note, not a warning, so --strict
    builds (a tester's portrait openers could never pass --strict)."""
    Image.new("RGB", (3000, 8000), (90, 120, 140)).save(workspace.images / "tall-mast.png")
    body = "\n\n".join(" ".join(WORDS[i:i + 40]) + "." for i in range(0, 80, 20))
    source = write_article('![برج المياه القديم](images/tall-mast.png){credit="تصوير: هالة يوسف" .crop}'
                           "\n\n" + body, lang="ar")
    monkeypatch.chdir(workspace.root)
    out = workspace.root / "crop.pdf"
    assert main([str(source), "-o", str(out), "--strict"]) == 0, capsys.readouterr().err
    said = capsys.readouterr().err
    assert re.search(r"note: .*article\.md:\d+: lead photo tall-mast\.png is taller than page 1 "
                     r"allows: cropped", said), said
    assert "warning" not in said and out.exists()
    unmarked = write_article('![برج المياه القديم](images/tall-mast.png){credit="تصوير: هالة يوسف"}'
                             "\n\n" + body, name="unmarked.md", lang="ar")
    expect_warnings(r"unmarked\.md:\d+: lead photo tall-mast\.png is taller than page 1 allows")
    assert main([str(unmarked), "-o", str(workspace.root / "no.pdf"), "--strict"]) == 1
    assert "mark it {.crop} to accept that" in capsys.readouterr().err
    assert not (workspace.root / "no.pdf").exists()


def test_a_lead_photo_that_fits_gives_no_warning(workspace, write_article):
    Image.new("RGB", (3000, 2000), (120, 140, 90)).save(workspace.images / "wide-field.png")
    source = write_article('![حقول القمح](images/wide-field.png){credit="تصوير: هالة يوسف"}\n\n'
                           "نص قصير.", lang="ar")
    document = _stages(source, workspace)
    (image,) = [b for b in walk(page_box(document.pages[0])) if b.element_tag == "img"]
    assert image.height / image.width == pytest.approx(2 / 3, abs=0.01)


def _column_fill(page) -> list[float]:
    """How far down the page each column's content reaches (0: none, 1: the page's foot)."""
    *_, y1 = content_area(page)
    fills = []
    for column in columns(page):
        reach = max((bottom(child) for child in column.children), default=top(column))
        fills.append((reach - top(column)) / (y1 - top(column)))
    return fills


def test_pages_after_the_opener_are_full_and_the_last_one_balanced(workspace, write_article):
    rng = random.Random(7)
    blocks = []
    for section in range(12):
        blocks.append("## " + " ".join(rng.sample(WORDS, 3)))
        blocks += [_paragraph(rng, 0.15) for _ in range(rng.randint(2, 4))]
        if section == 1:
            blocks.append('![قناة فرعية](images/180817-Z-ID851-1004-edit.jpg)'
                          '{credit="تصوير: هالة يوسف"}')
    document = _lay_out(write_article, workspace, "\n\n".join(blocks), lang="ar")
    pages = document.pages
    assert len(pages) >= 3
    for number, page in enumerate(pages[1:-1], start=2):
        fills = _column_fill(page)
        assert sum(fills) / len(fills) >= 0.5, (number, fills)
    # balanced as test_balance.py measures it: two lines apart at most, or as near as the
    # paragraphs' orphans and widows and the headings kept with their text allow (phone numbers
    # and codes kept whole moved this article's last heading to the balance point: four lines
    # apart, and either way a heading and its two lines would leave them as far apart)
    assert len(_column_fill(pages[-1])) == 2
    fault = balance_fault(weasy.columns(document))
    assert fault is None, fault
