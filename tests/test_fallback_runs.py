"""Lines drawn in more than one font, table rows and list items: read in order by every reader."""

from __future__ import annotations

import re
import shutil
import unicodedata

import pytest

from pressroom import build
from pressroom.check import fidelity
from pressroom.report import collect_warnings

from .boxes import bottom, find, left, top, walk
from .conftest import FIXTURES
from .test_search import built_texts

#: Written after the fix, never tuned on: a title, sub-headings, a pull quote and a box title in
#: the display face (Noto Kufi Arabic has no ":" "!" "?" "«" "»", so WeasyPrint draws them with
#: Amiri inside the line), a table whose rows are numbers only, list items ending "(32 لاعبا).".
INTERVIEW = FIXTURES / "display-punctuation.md"
#: The article that showed the faults: a table with an Arabic first column and a header row of
#: years, list items ending "(71%).", a heading "الحكومة: الدعم قادم", a box split from its title.
HOUSEHOLD = FIXTURES / "economy-household.md"
#: Written after that, in another register (health): a title whose first line ends with an em
#: dash, which Noto Kufi lacks, so that its second line was drawn in the font the first one
#: ended with once its runs were reordered (every reader read "هل نحن مستعدون؟" as mojibake).
HEAT = FIXTURES / "health-heat.md"
SOURCES = {"interview": INTERVIEW, "household": HOUSEHOLD, "heat": HEAT}

#: What each reader must give, in order, after bidi controls are dropped and spaces collapsed.
#: (household's pull quote ends with its last two words on their line, render.keep_last_words:
#: "القادم." was alone there; and its first line no longer ends on "إلى", render.keep_particles.)
#: pdfium mirrors brackets and guillemets in right-to-left text (a limit of its own, reported
#: by `check`), so its lines are the ones without them.
EXPECTED = {
    "interview": {
        "all": ["والجمهور: هل ما زال غاضبا؟", "بطاقة: عادل الشامي", "لماذا قبلت المهمة الآن؟",
                "الموسم المباريات الفوز نسبة الفوز", "2022-2023 14 5 36%", "2024-2025 9 6 67%",
                "اللاعب الذي يخاف الخطأ لن يصنع شيئا!"],
        "pypdf": ["المدرب الجديد: «لا أعد بالبطولة،", "أعد بالعمل!»", "لكل اللاعبين (32 لاعبا)."],
        "pdf.js": ["المدرب الجديد: «لا أعد بالبطولة،", "أعد بالعمل!»", "لكل اللاعبين (32 لاعبا)."],
    },
    "household": {
        "all": ["الحكومة: الدعم قادم", "البند 2019 2024 التغير", "إيجار شقة غرفتين 150 250 67%",
                "نحن لا نعيش، نحن نؤجل الحياة", "إلى الشهر القادم."],
        "pypdf": ["أو أقل (71%).", "البقال (54%)."],
        "pdf.js": ["أو أقل (71%).", "البقال (54%)."],
    },
    "heat": {
        "all": ["من الأكثر عرضة؟", "ما الذي يمكن فعله؟", "الحر لا يقتل فجأة، بل يقتل بصمت، وغالبا"],
    },
}
#: Lines the first page must hold whole (the running heads of later pages repeat the title).
TITLE_LINES = {"heat": ["موجات الحر تطرق أبواب المدن —", "هل نحن مستعدون؟"],
               "interview": ["أعد بالعمل!»"]}
#: poppler orders each line by its own rules (a table's cells one per line, the colon of a
#: heading before its space); its words are searched for by test_search.py, not its lines.
READERS = ["pdfium", "pypdf", "pdf.js"]


@pytest.fixture(scope="module")
def texts(tmp_path_factory, project) -> dict[str, dict[str, list[str]]]:
    return built_texts(tmp_path_factory, project, SOURCES)


def _plain(text: str) -> str:
    text = re.sub("[\u200e\u200f\u061c\u180e\u2063\u202a-\u202e\r]", "", text)
    text = re.sub("\ufefb", "لا", text)  # pdf.js keeps Noto Kufi's lam-alef presentation form
    return re.sub(r"[ \t]+", " ", text)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("article", SOURCES)
def test_lines_read_in_order(texts, article, reader):
    """A heading with a colon was "الدعم قادم:الحكومة" in pypdf and pdf.js (each font's part of
    the line in the order drawn), a table header "البند20192024التغير", a row of numbers
    "2023-2022145%36", a list item's end "أقل (71%.)"."""
    if reader not in texts[article]:
        pytest.skip(f"{reader} is not installed here (pdf.js: Node and `npm install` in bench/pdfjs)")
    lines = {line.strip() for page in texts[article][reader] for line in _plain(page).split("\n")}
    joined = "\n".join(lines)
    wanted = EXPECTED[article]["all"] + EXPECTED[article].get(reader, [])
    assert [w for w in wanted if w not in joined] == []
    first_page = {line.strip() for line in _plain(texts[article][reader][0]).split("\n")}
    titles = [t for t in TITLE_LINES.get(article, []) if reader != "pdfium" or "»" not in t]
    assert [t for t in titles if t not in first_page] == []


@pytest.mark.parametrize("reader", ["pdfium", "pypdf"])
@pytest.mark.parametrize("article", ["interview", "household"])
def test_goals_hold(texts, article, reader):
    """Every number between its source neighbours: a list item's last number is followed by the
    next item's marker, and a table split across columns repeats its header, neither of which
    the source has between them."""
    score = fidelity.score(reader, texts[article][reader], build.load(SOURCES[article]))
    assert score.failures(fidelity.GOALS[reader]) == []
    assert score.numbers[0] == score.numbers[1]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_box_keeps_its_title_with_its_text(project, layout):
    """The household article's box title ended the right-hand column, its text at the head of
    the next one: a box's title goes where its first lines go."""
    with collect_warnings():
        document = build.typeset_article(build.context(HOUSEHOLD, project, layout=layout),
                                         build.load(HOUSEHOLD))
    found = []
    for number, page in enumerate(document.pages):
        for box in find(page, "p", "sidebar-title"):
            aside = next(b for b in find(page, "aside", "sidebar") if box in list(walk(b)))
            after = [b for b in aside.children if b is not box and type(b).__name__ != "TextBox"
                     and top(b) >= bottom(box) - 0.5]
            found.append((number, box, after))
    assert len(found) == 1
    _, title, after = found[0]
    assert after, "the box's title is alone, its text elsewhere"
    first = after[0]
    assert abs(left(first) - left(title)) < 20 and 0 <= top(first) - bottom(title) < 20


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_short_table_is_not_split(project, layout):
    """The interview's table of three rows was split after its first row, its header repeated
    over the other two in the next column: a table of six rows or fewer stays whole."""
    with collect_warnings():
        document = build.typeset_article(build.context(INTERVIEW, project, layout=layout),
                                         build.load(INTERVIEW))
    pieces = [box for page in document.pages for box in find(page, "table")
              if type(box).__name__ == "TableBox"]
    assert len(pieces) == 1
    assert len([row for row in walk(pieces[0]) if getattr(row, "element_tag", "") == "tr"]) == 4


def test_a_title_drawn_in_two_faces_keeps_every_word(tmp_path, project):
    """figures-interview's title, "«الخبز لا ينتظر أحداً»: حوار مع خبازة الحي": WeasyPrint draws
    the guillemets and colon with Amiri and the words after a text rise (Ts) without a Tf of their
    own; written last first, the run ended in Amiri, and those words were drawn with Amiri's
    glyph ids: gone from the page and from every reader (the words are found elsewhere in the
    article, so no search missed them)."""
    import pypdfium2

    pdf = tmp_path / "interview.pdf"
    with collect_warnings():
        build.build(FIXTURES / "figures-interview.md", pdf, project=project)
    document = pypdfium2.PdfDocument(pdf)
    try:
        lines = document[0].get_textpage().get_text_range().splitlines()
    finally:
        document.close()
    # (its lines: "مع" goes to the next line with the word after it, render.keep_particles)
    title = " ".join(_plain(line) for line in lines[:6] if "حوار" in line or "خبازة" in line)
    found = fidelity.search_words(title)
    assert {"الخبز", "لا", "ينتظر", "أحداً", "حوار", "مع"} <= found, title


def test_a_number_drawn_in_two_faces_reads_in_order(workspace, write_article, tmp_path):
    """"2024/2025" in the display face is three arrays (Noto Kufi has digits but no "/", which
    Amiri draws): pdfium read each part on its own and the parts last first, "2025 2024/", in a
    title, a heading and a table's heading; the body (Amiri alone: one array) read right. poppler
    read "20252024/" there: each part of the number had the mark that ends a number's run for it
    on its left (glyphfold._goes_on), which cut the number in two ("1,200" was "200 1,")."""
    from pressroom.check.verify import PdfReport

    path = write_article("## حصاد 2024/2025 في القرى\n\nنص قصير عن موسم 2024/2025 في القرى.\n\n"
                         "| الصنف | موسم 2024/2025 فقط |\n|---|---|\n| القمح | 412,5 |\n",
                         title="موسم 2024/2025 الزراعي في السهول", date="2026-01-01")
    out = tmp_path / "season.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace)
    texts = PdfReport(out).texts(pdfjs=True)
    for reader in ("pdfium", "pypdf", "poppler", "pdf.js"):
        if reader in texts:
            text = _plain("\n".join(texts[reader]))
            assert text.count("2024/2025") == 4, (reader, text)
            assert "2025 2024" not in text and "20252024" not in text, (reader, text)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_raised_mark_before_a_glyph_of_another_face_keeps_its_word(workspace, write_article, tmp_path,
                                                                        layout):
    """A shadda is drawn raised, in an array of its own after a text rise; with a colon, an
    ellipsis or an exclamation mark later on the line (Amiri's, in a Noto Kufi title or heading),
    the runs written last first were cut at the rise: "مطبخ جدّتي: وصفة" read "تي: وصفة مطبخ جدّ"
    in pypdf, poppler and pdf.js, "جدّ تي" in pdfium, and no search found "جدّتي"."""
    from pressroom.check.verify import PdfReport

    lines = ["في مطبخ جدّتي: وصفة الخبز", "الحُبّ… ثم الصبر", "قالت الأمُّ: كلُّ شيءٍ بوقته!"]
    path = write_article("\n\n".join(f"## {line}\n\nنص قصير تحت العنوان." for line in lines[1:]),
                         title=f'"{lines[0]}"', date="2026-01-01")
    out = tmp_path / "kitchen.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    texts = PdfReport(out).texts(pdfjs=True)
    assert {"pdfium", "pypdf"} <= set(texts)
    for reader, pages in texts.items():
        found = fidelity.search_words(_plain("\n".join(pages)))
        for line in lines:
            assert set(fidelity.search_words(line)) <= found, (reader, line, pages[0][:200])
        if reader != "poppler":  # poppler sets a colon and its space its own way; pdfium a space before it
            text = unicodedata.normalize("NFKC", " ".join(_plain("\n".join(pages)).split()))
            for words in ("مطبخ جدّتي ?: وصفة", "الأمُّ ?: كلُّ"):  # marks in canonical order
                assert re.search(unicodedata.normalize("NFKC", words), text), (reader, words, text)


def test_a_mark_before_a_sign_pdfjs_knows_keeps_its_text_whole(workspace, write_article, tmp_path):
    """Only before a sign pdf.js takes for a left-to-right letter ("…" "—" "”") does a word's
    last mark read after a letter mark of its own (which pypdf then gives inside the word); before
    "!" "." "،" "»", which pdf.js knows, pypdf's text keeps the word whole."""
    from pressroom.check.verify import PdfReport

    path = write_article("قال حقاً! ثم قال جداً، ثم «كثيراً» ثم أيضاً. ثم قليلاً… نص.", date="2026-01-01")
    out = tmp_path / "signs.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace)
    texts = PdfReport(out).texts(pdfjs=True)
    pypdf = "\n".join(texts["pypdf"])
    for word in ("حقاً", "جداً", "كثيراً", "أيضاً"):
        assert word in pypdf, (word, pypdf)
    assert "قليلا\u061cً" in pypdf, pypdf  # the cost, said in the README
    if "pdf.js" in texts:
        found = fidelity.search_words(_plain("\n".join(texts["pdf.js"])))
        assert {"حقاً", "جداً", "كثيراً", "أيضاً", "قليلاً"} <= found, texts["pdf.js"]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_superscript_of_the_fallback_face_stays_in_its_word(workspace, write_article, tmp_path, layout):
    """Noto Kufi has no "²" "³" (nor "(" ")"): in a table's heading "الحجم (م³)" they are Amiri's,
    the "³" a span of its own (bidi.py). The run "الحجم (م", its two faces written last first,
    ended with a Tm back at its right end, which placed nothing before the span's own Tm: pypdf
    read the move there and back as a space, "(م ³)", and no search found "م3" (nor "كم2" in
    "(كم²)"); the same units in the body (Amiri alone) read whole. And poppler read the title's
    "1,200" (Amiri's ",") as "200 1,": no search found "1" or "200"."""
    from pressroom.check.verify import PdfReport

    body = ("تمتد الغابة على مساحة واسعة، ويقاس خشبها بالمتر المكعب كل عام منذ عقود طويلة.\n\n"
            "## أرقام الغابة (كم²)\n\nنص قصير تحت العنوان عن الأشجار.\n\n"
            "| الموسم | الحجم (م³) | المساحة (هكتار) |\n|--:|--:|--:|\n"
            "| الأول | 18,500 | 40 |\n| الثاني | 21,000 | 42 |\n")
    path = write_article(body, title="غابة مساحتها 1,200 كم² في الجنوب", date="2026-01-01")
    out = tmp_path / "forest.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    texts = PdfReport(out).texts(pdfjs=True)
    assert {"pdfium", "pypdf"} <= set(texts)
    for reader, pages in texts.items():
        text = _plain("\n".join(pages))
        assert {"م3", "كم2", "1", "200", "الحجم", "أرقام", "الغابة"} <= fidelity.search_words(text), \
            (reader, text)
        if reader in ("pypdf", "pdf.js"):  # pdfium mirrors brackets, poppler has its own order
            assert "الحجم (م³)" in text and "أرقام الغابة (كم²)" in text, (reader, text)
    score = fidelity.score("pypdf", texts["pypdf"], build.load(path))
    assert score.failures(fidelity.GOALS["pypdf"]) == [] and score.numbers[0] == score.numbers[1]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_percent_of_the_fallback_face_keeps_its_number_apart(workspace, write_article, tmp_path, layout):
    """Noto Kufi has digits but no "%": in a title, a heading or a table's heading "50%" is Amiri's
    "%" drawn left of Noto Kufi's "50", two arrays and nothing to end the number's run at its
    left for poppler, which took the space there into the run and read the word after it glued
    to the number: "ما وراء 50% من الإنجاز" was "ما وراء %50من الإنجاز" and no search found "50"
    (the body, one face, read "50% من"); a "+" drawn right of the number, "فاتورة +30% في", was
    "%30+في". pdfium read both signs on the wrong side, "%50", "%30+", and pypdf and pdf.js
    too, which took the two faces' arrays in the order drawn."""
    from pressroom.check.verify import PdfReport

    body = ("نص قصير عن الإنجاز بلغ 50% من الهدف في العام الماضي.\n\n"
            "## نسبة 40% من الأسر\n\nنص قصير تحت العنوان.\n\n"
            "## فاتورة +30% في شهر واحد\n\nنص قصير آخر.\n\n"
            "| البند | النسبة 20% فقط |\n|---|---|\n| الأول | 12 |\n")
    path = write_article(body, title='"ما وراء 50% من الإنجاز ثم 35% من الهدف"', date="2026-01-01")
    out = tmp_path / "percent.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    texts = PdfReport(out).texts(pdfjs=True)
    assert {"pdfium", "pypdf"} <= set(texts)
    assert "poppler" in texts or shutil.which("pdftotext") is None  # (poppler is optional)
    for reader, pages in texts.items():
        text = _plain("\n".join(pages))
        assert {"50", "35", "40", "20", "من", "فقط"} <= fidelity.search_words(text), (reader, text)
        for number in ("50", "35", "40", "20"):
            # the number, whole, its sign on either side, and a space before the next word
            assert re.search(f"(?<![0-9])(%{number}|{number}%)\\s+(من|فقط)", text), (reader, number, text)
    for reader in texts:  # pypdf and pdf.js read "%50", "%30+" (the parts as drawn) until
        text = _plain("\n".join(texts[reader]))  # numberorder.numbers_in_reading_order
        assert re.search("وراء\\s+50%\\s+من\\s+الإنجاز", text), (reader, text)
        # (poppler puts "فاتورة" on a line of its own in the pocket layout, before as after)
        assert re.search("(?<![0-9])\\+30%\\s+في", text), (reader, text)
