"""Definition lists and formulas between dollars: read, set on the page, or warned about naming
file:line — never printed as raw syntax (issue 13); dollar amounts stay dollar amounts."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from markupsafe import Markup

from pressroom import build
from pressroom.check.verify import PdfReport
from pressroom.cli import main
from pressroom.layout import render, weasy
from pressroom.layout.coverage import characters_in
from pressroom.model import Definitions
from pressroom.report import collect_warnings
from pressroom.sources import content, tex

from .boxes import MM, find, left, right, text_of, walk
from .checks import faults
from .conftest import FIXTURES

EPS = 0.5



def _strict_fails(source: Path, tmp_path: Path, capsys, where: str = "") -> str:
    """``--strict`` on ``source``: exit 1, one error line (naming ``where``, "a.md:2: "), no
    traceback, nothing written; the error output."""
    capsys.readouterr()
    strict = tmp_path / "strict.pdf"
    assert main([str(source), "-o", str(strict), "--strict"]) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and where in errors[0], err
    assert "Traceback" not in err and not strict.exists()
    return errors[0]

def _flat(text: str) -> str:
    """Extracted text without bidi controls, joiners and runs of spaces, for substring checks."""
    return re.sub(r"\s+", " ", re.sub(r"[\u061c\u180e\u200b-\u200f\u2060-\u2069]", "", text))


# -- definition lists ----------------------------------------------------------------------------

def test_a_definition_list_is_read_as_terms_and_their_definitions(write_article):
    source = write_article("فقرة قبلها.\n\nالتضخم\n: ارتفاع عام في الأسعار.\n: يقاس سنوياً.\n\n"
                           "الركود\n:   تراجع *النشاط* الاقتصادي.\n\nفقرة بعدها.")
    blocks = content.load(source).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Definitions", "Paragraph"]
    glossary = blocks[1]
    assert isinstance(glossary, Definitions) and glossary.line == 7
    assert [(i.term, i.texts) for i in glossary.items] == [
        ("التضخم", ("ارتفاع عام في الأسعار.", "يقاس سنوياً.")),
        ("الركود", ("تراجع النشاط الاقتصادي.",))]
    assert glossary.items[1].htmls == ("تراجع <em>النشاط</em> الاقتصادي.",)
    assert glossary.item_texts == ("التضخم", "ارتفاع عام في الأسعار.", "يقاس سنوياً.", "الركود",
                                   "تراجع النشاط الاقتصادي.")


def test_what_a_definition_holds_that_the_layout_does_not_set_is_a_warning(write_article,
                                                                           expect_warnings):
    expect_warnings(r"article\.md:8: a definition holds a bullet list, which is not supported there")
    source = write_article("المصطلح\n: تعريفه.\n\n    - بند داخل التعريف\n")
    (glossary,) = content.load(source).blocks
    assert [(i.term, i.texts) for i in glossary.items] == [("المصطلح", ("تعريفه.",))]


# -- formulas and dollars ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Tickets cost $5 and $10 at the door.",
    "A coffee costs $3.50, or $4 with milk.",
    "Rooms go for $5-$10 a night, $20,000 to $30,000 a year.",
    "Prices ran from US$5 and US$ 10 to $12.",
    "It was $5.$ Then $6.",
    "Escaped: \\$x$ stays.",
])
def test_dollar_amounts_never_turn_into_formulas(write_article, text):
    source = write_article(text, lang="en")
    (paragraph,) = content.load(source).blocks
    assert "math" not in paragraph.html
    assert paragraph.text == text.replace("\\$", "$")


@pytest.mark.parametrize("text", [
    "كلف $5 و$ 10 في المتجر.",
    "السعر $5، والضريبة$ 2.",
    "كان $5،$ ثم صار $6؛$ ثم $7.",
    "قيمة $x پ$ هنا.",
])
def test_arabic_between_dollars_is_text_never_a_formula(write_article, text):
    """An Arabic (or Persian, Urdu) letter between two dollars, or Arabic punctuation after a
    price, was a left-to-right formula ("5 و"), its dollars gone, unsaid."""
    source = write_article(text)
    (paragraph,) = content.load(source).blocks
    assert "math" not in paragraph.html
    assert paragraph.text == text


def test_a_simple_formula_is_set_left_to_right_without_its_dollars(write_article):
    source = write_article("المعادلة $E = mc^2$ والمجموع $x_1 + x_2$ والأس $a^{n+1} - b_{ij}$.")
    (paragraph,) = content.load(source).blocks
    assert "$" not in paragraph.text + paragraph.html
    assert paragraph.text == "المعادلة E = mc² والمجموع x1 + x2 والأس an+1 − bij."
    assert re.findall(r'<span class="math whole" dir="ltr">(.*?)</span>', paragraph.html) == [
        "E = mc²", 'x<sub class="figures">1</sub> + x<sub class="figures">2</sub>',
        "a<sup>n+1</sup> − b<sub>ij</sub>"]


def test_a_formula_in_a_heading_or_caption_is_its_text(write_article):
    """Headings and captions are set as text: a formula there is its text, never its dollars
    (markdown-it's text of them left the formula out: "منحنى  البياني")."""
    source = write_article("## قانون $E = mc^2$\n\n![منحنى $y = x^2$ البياني](images/curve.jpg)"
                           '{credit="تصوير: س"}\n\nنص.')
    heading, figure, _ = content.load(source).blocks
    assert (heading.text, figure.caption) == ("قانون E = mc²", "منحنى y = x² البياني")


def test_a_formula_in_a_caption_or_a_box_title_is_its_signs_or_warned_about(write_article,
                                                                           expect_warnings):
    """A TeX sign is its character there too; an unknown command is left out with a warning."""
    expect_warnings(r"article\.md:7: the formula \$\\alpha \\nosuch\$ holds a TeX command the "
                    r"layout does not know \(\\nosuch\): left out")
    source = write_article('![الزاوية $\\beta$ هنا](images/a.jpg){credit="س"}\n\n'
                           "::: sidebar الرمز $\\alpha \\nosuch$\nنص الإطار.\n:::\n")
    figure, box = content.load(source).blocks
    assert (figure.caption, box.title) == ("الزاوية β هنا", "الرمز α")


@pytest.mark.parametrize(("markdown", "printed"), [
    ("المساحة $\\pi r^2$ هنا.", "πr²"),
    ("المجموع $\\sum_{i=1}^n x_i$ هنا.", "∑i=1n xi"),
    ("النسبة $\\frac{a}{b}$ و$\\frac{a+1}{2b}$ هنا.", "a/b و(a+1)/(2b)"),
    ("المجموع $\\frac{n(n+1)}{2}$ و$\\sqrt{\\frac{G M}{r}}$ هنا.", "n(n+1)/2 و√(G M/r)"),
    ("السطران $a = b \\\\ c = d$ هنا.", "a = b c = d"),  # a line break: a space
    ("الجذر $\\sqrt{2}$ و$\\sqrt{x+1}$ و$\\sqrt[3]{8}$ هنا.", "√2 و√(x+1) و∛8"),
    ("المتباينة $\\alpha \\le \\beta$ و$x^\\alpha$ هنا.", "α ≤ β وxα"),
    ("الدالة $\\sin x \\cdot \\left( \\frac12 \\right)$ هنا.", "sin x · ( 1/2 )"),
])
def test_tex_commands_are_set_as_their_signs(write_article, markdown, printed):
    """``\\pi`` π, ``\\le`` ≤ (pylatexenc's table), a fraction a/b with brackets where needed,
    a root √x: no backslash on the page, no warning (the conftest fails the test on any)."""
    (paragraph,) = content.load(write_article(markdown)).blocks
    assert printed in paragraph.text
    assert "\\" not in paragraph.text + paragraph.html and "$" not in paragraph.text + paragraph.html


@pytest.mark.parametrize(("markdown", "said", "printed"), [
    ("الأثر $\\nosuch{x} + 1$ هنا.", r"\(\\nosuch\): left out", "x + 1"),
    ("الأثر $a \\nosuch$ هنا.", r"\(\\nosuch\): left out", "الأثر a هنا"),
    # what pylatexenc's table holds but is no sign: \href crashed it (two arguments, read as one),
    # \today printed the build's date, \maketitle a title page's "[NO \title GIVEN]", and
    # \textbackslash a backslash (review of the day)
    ("الرابط $\\href{http://x.y}{z}$ هنا.", r"\(\\href\): left out", "الرابط http://x.yz هنا"),
    ("التاريخ $\\today$ هنا.", r"\(\\today\): left out", "التاريخ هنا"),
    ("العنوان $\\maketitle x$ هنا.", r"\(\\maketitle\): left out", "العنوان x هنا"),
    ("الشرطة $\\textbackslash a$ هنا.", r"\(\\textbackslash\): left out", "الشرطة a هنا"),
])
def test_an_unknown_tex_command_is_left_out_with_a_warning(write_article, expect_warnings, markdown,
                                                           said, printed):
    expect_warnings(rf"article\.md:5: the formula .* holds a TeX command the layout does not know {said}")
    (paragraph,) = content.load(write_article(markdown)).blocks
    assert printed in re.sub(" +", " ", paragraph.text) and "nosuch" not in paragraph.text + paragraph.html
    assert not re.findall(r"[\\{}]|NO|20", paragraph.text + paragraph.html)  # nor a date


@pytest.mark.parametrize(("markdown", "problem", "printed"), [
    ("النسبة $a & \\pi$ هنا.", r"'&'", "a & π"),
    ("الأس $x^$ هنا.", r"'\^' without what it raises", "x^"),
    ("القوس $x^{2$ هنا.", r"a '\{' never closed", "x^2"),
    ("الأس $x^{\\alpha$ هنا.", r"a '\{' never closed", "x^α"),
    ("الدليل $a_{}$ هنا.", r"'_' with nothing to lower", "a_"),
    ("الأس $a^{ }$ هنا.", r"'\^' with nothing to raise", "a^"),
])
def test_a_formula_the_layout_cannot_set_is_a_warning_naming_its_line(write_article, expect_warnings,
                                                                       markdown, problem, printed):
    """Printed as written but for its commands (their signs) and its groups' braces."""
    expect_warnings(rf"article\.md:5: the formula .* holds {problem}.*, which the layout cannot set")
    source = write_article(markdown)
    (paragraph,) = content.load(source).blocks
    assert printed in paragraph.text and "$" not in paragraph.text + paragraph.html


def test_a_formula_on_lines_of_its_own_is_set_apart(write_article, expect_warnings):
    expect_warnings(r"article\.md:13: the formula \$\$\\sum_\{i\} x_i & y\$\$ holds '&'")
    source = write_article("قانون نيوتن:\n\n$$\nF = ma\n$$\n\nحيث القوة.\n\n$$\n\\sum_{i} x_i & y\n$$\n")
    blocks = content.load(source).blocks
    assert [(type(b).__name__, getattr(b, "formula", None), b.text) for b in blocks] == [
        ("Paragraph", False, "قانون نيوتن:"), ("Paragraph", True, "F = ma"),
        ("Paragraph", False, "حيث القوة."), ("Paragraph", True, "∑_i x_i & y")]


def test_strict_fails_on_a_formula_the_layout_cannot_set(workspace, write_article, tmp_path, capsys,
                                                         expect_warnings, monkeypatch):
    expect_warnings(r"article\.md:5: the formula")
    monkeypatch.chdir(workspace.root)
    source = write_article("النسبة $\\frac{a}{b} \\nosuch$ هنا.")
    out = tmp_path / "strict.pdf"
    assert main([str(source), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "article.md:5: the formula $\\frac{a}{b} \\nosuch$ holds a TeX command" in err
    assert not out.exists()


# -- on the page ---------------------------------------------------------------------------------

def test_a_long_formula_may_break_and_keeps_to_its_column(write_article, workspace):
    """A short formula is kept on one line; a long one, kept whole, ran past its column."""
    terms = " + ".join(f"a_{{{n}}} x^{{{n}}}" for n in range(1, 16))
    source = write_article(f"المجموع ${terms}$ طويل جداً، وهو مثال لا يتسع له سطر واحد من العمود.")
    with collect_warnings():
        document = build.typeset_article(build.context(source, workspace), build.load(source))
    (paragraph,) = [b for page in document.pages for b in find(page, "p") if "المجموع" in text_of(b)]
    assert len([b for b in walk(paragraph) if type(b).__name__ == "LineBox"]) >= 2
    ink = [b for b in walk(paragraph) if type(b).__name__ == "TextBox" and b.text.strip()]
    assert all(left(b) >= left(paragraph) - EPS and right(b) <= right(paragraph) + EPS for b in ink)
    assert faults(document).get("past_the_box") is None



ARABIC = """تبدأ القصة بسؤال بسيط عن الطاقة التي يحملها جسم ساكن، وقد أجاب عنه أينشتاين بالمعادلة
$E = mc^2$ التي صارت أشهر معادلة في القرن العشرين، ثم جاء من بعده علماء كثيرون فوسّعوا الفكرة
وطبّقوها على الذرة والنجوم والمفاعلات، حتى صار الحديث عن الطاقة حديثاً عن المادة نفسها.

وفي الجبر المدرسي يتعلم الطالب أن مجموع جذري المعادلة $x_1 + x_2$ يساوي سالب المعامل الأوسط
مقسوماً على المعامل الأول، وأن $a^{n+1}$ هو العدد مضروباً في نفسه مرة بعد مرة، وهي قواعد قديمة
يعرفها المعلمون منذ قرون ويكررونها في كل فصل.

المصطلح
: تعريف المصطلح هنا، وهو سطر يشرح الكلمة بلغة بسيطة يفهمها القارئ غير المتخصص.

الكتلة
: مقدار ما في الجسم من مادة، وتقاس بالكيلوغرام.
: لا تتغير بتغير المكان، بخلاف الوزن.

""" + "\n\n".join(
    f"فقرة رقم {n} من المقال تشرح فكرة أخرى من أفكار الفيزياء الحديثة بلغة سهلة، وتذكر أمثلة من "
    "الحياة اليومية كالمصباح والسيارة والقطار، ثم تعود إلى المعادلة الأولى لتربط بين الأمثلة كلها."
    for n in range(1, 9))

ENGLISH = """Tickets cost $5 and $10 at the door, and a coffee costs $3.50. The famous relation
$E = mc^2$ links mass and energy, the sum $x_1 + x_2$ of the roots is easy to find, and
$a^{n+1}$ is $a$ times itself again and again.

Mass
: The amount of matter in a body, measured in kilograms.

Weight
: The force of gravity on a body; it changes from place to place.

""" + "\n\n".join(
    f"Paragraph {n} of the article explains another idea of modern physics in plain words, with "
    "everyday examples such as lamps, cars and trains, and comes back to the first relation."
    for n in range(1, 9))


@pytest.fixture(scope="module", params=["magazine", "pocket"])
def layout(request):
    return request.param


@pytest.fixture(scope="module")
def built(tmp_path_factory, project, layout):
    """Each article (Arabic, English) laid out and built in ``layout``: its boxes and texts."""
    folder = tmp_path_factory.mktemp(f"syntax-{layout}")
    results = {}
    for lang, body in (("ar", ARABIC), ("en", ENGLISH)):
        source = folder / f"{lang}.md"
        source.write_text(f"---\ntitle: {'تجربة' if lang == 'ar' else 'A test'}\nlang: {lang}\n"
                          f"date: 2024-03-01\n---\n\n{body}\n", encoding="utf-8")
        with collect_warnings() as warnings:
            document = build.typeset_article(build.context(source, project, layout=layout),
                                             build.load(source))
            out = folder / f"{lang}.pdf"
            build.build(source, out, project=project, layout=layout)
        assert not [w for w in warnings if "warning" in w.lower()], warnings
        results[lang] = (document, PdfReport(out).texts())
    return results


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_raw_syntax_reaches_the_page(built, lang):
    _, texts = built[lang]
    for reader, pages in texts.items():
        text = _flat(" ".join(pages))
        assert "mc^2" not in text and "x_1" not in text and "$E" not in text, reader
        assert not re.search(r"(^|\s): \S", text), (reader, "a definition's colon")
    pdfium = _flat(" ".join(texts["pdfium"]))
    assert "E = mc²" in pdfium
    if lang == "en":  # prices kept as written
        assert "$5 and $10" in pdfium and "$3.50" in pdfium


@pytest.mark.parametrize("reader", ["pdfium", "pypdf", "poppler"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_formulas_read_in_order(built, lang, reader):
    """Digits raised or lowered are on the line's baseline (¹ ² ³ characters, the font's
    numerator and denominator figures): lowered boxes of their own were read "2 + x1x" by pdfium
    in an Arabic line, "x1 + x 2" by pypdf, on lines apart by poppler."""
    _, texts = built[lang]
    if reader not in texts:
        pytest.skip(f"{reader} is not installed here")
    text = _flat(" ".join(texts[reader]))
    assert "E = mc²" in text
    assert "x1 + x2" in text, re.findall(r".{8}x.?1.{0,8}", text)


#: (article, reader) where a raised or lowered part with letters ("a^{n+1}": a <sup> box raised
#: off the line's baseline, the font having no such letters) is not read where it stands: in an
#: Arabic line pdfium sets "n+1" and "a" apart and poppler puts it on a line of its own; in an
#: English one pdfium reads "a n+1", a space between.
KNOWN_LETTERS_OUT_OF_ORDER = {("ar", "pdfium"), ("ar", "poppler"), ("en", "pdfium")}


@pytest.mark.parametrize("reader", ["pdfium", "pypdf", "poppler"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_raised_letters_read_in_order(built, lang, reader, request):
    if reader not in built[lang][1]:
        pytest.skip(f"{reader} is not installed here")
    if (lang, reader) in KNOWN_LETTERS_OUT_OF_ORDER:
        request.applymarker(pytest.mark.xfail(strict=True, reason="KNOWN_LETTERS_OUT_OF_ORDER"))
    _, texts = built[lang]
    text = _flat(" ".join(texts[reader]))
    assert "an+1" in text, re.findall(r".{8}n\+1.{0,8}", text)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_terms_and_definitions_in_reading_order(built, lang):
    _, texts = built[lang]
    words = (["المصطلح", "تعريف المصطلح هنا", "الكتلة", "مقدار ما في الجسم", "لا تتغير بتغير المكان"]
             if lang == "ar" else ["Mass", "The amount of matter", "Weight", "The force of gravity"])
    for reader in ("pdfium", "pypdf"):
        flow = _flat(" ".join(texts[reader]))
        positions = [flow.find(w) for w in words]
        assert -1 not in positions and positions == sorted(positions), (reader, positions)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_terms_in_the_display_face_definitions_indented_on_the_reading_side(built, lang, layout):
    document, _ = built[lang]
    terms = [b for page in document.pages for b in find(page, "dt")]
    definitions = [b for page in document.pages for b in find(page, "dd")]
    assert [text_of(t) for t in terms] == (["المصطلح", "الكتلة"] if lang == "ar" else ["Mass", "Weight"])
    assert len(definitions) == (3 if lang == "ar" else 2)
    display = {"magazine": "Noto Kufi Arabic", "pocket": "Amiri"}[layout]  # tokens.css --font-display
    assert all(t.style["font_family"][0] == display and t.style["font_weight"] == 700 for t in terms)
    for term in terms:
        definition = next(d for d in definitions if d.position_y > term.position_y)
        texts = [b for b in walk(definition) if type(b).__name__ == "TextBox"]
        term_texts = [b for b in walk(term) if type(b).__name__ == "TextBox"]
        if lang == "ar":  # the reading side is the right: indented from the term's start
            assert max(right(t) for t in texts) < max(right(t) for t in term_texts) - 2 * MM
            assert abs(right(definition) - right(term)) < EPS
        else:
            assert min(left(t) for t in texts) > min(left(t) for t in term_texts) + 2 * MM


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_pages_hold_with_a_glossary_and_formulas(built, lang):
    """On the baseline grid (the paragraphs after the list share the other column's lines),
    balanced, nothing past the type area, no stranded word."""
    document, _ = built[lang]
    assert len(weasy.columns(document)) >= 2
    assert faults(document) == {}


def test_raised_and_lowered_parts(built):
    """Figures in the font's numerator and denominator forms, on the line's baseline; letters
    raised in a smaller size."""
    document, _ = built["ar"]
    (paragraph,) = [b for page in document.pages for b in find(page, "p") if "الجبر" in text_of(b)]
    boxes = [b for b in walk(paragraph) if type(b).__name__ == "TextBox"]
    x = next(b for b in boxes if b.text.strip().startswith("x") and b.element_tag == "span")
    lowered = [b for b in boxes if b.element_tag == "sub"]
    assert [b.text for b in lowered] == ["1", "2"]
    assert all(abs(b.baseline + b.position_y - x.baseline - x.position_y) < 0.01
               and dict(b.style["font_feature_settings"]) == {"dnom": 1} for b in lowered)
    (raised,) = [b for b in boxes if b.element_tag == "sup"]
    base = boxes[boxes.index(raised) - 1]  # "a"
    assert raised.text == "n+1" and raised.style["font_size"] < 0.8 * base.style["font_size"]
    assert raised.baseline + raised.position_y < base.baseline + base.position_y - 1


def test_a_table_markdown_does_not_read_is_a_warning_naming_its_line(write_article, expect_warnings):
    """A table whose header has a cell more than its row of dashes is no table to Markdown: its
    pipes were printed as text, unsaid; a body row's cells past the header's were dropped."""
    expect_warnings(r"article\.md:5: a table's header has 3 cells and the row of dashes under it 2",
                    r"article\.md:9: a table needs a row of dashes under its header",
                    r"article\.md:16: a table row has 3 cells, its header 2: the last 1 left out")
    source = write_article("| أ | ب | ج |\n|---|---|\n| 1 | 2 |\n\n| أ | ب |\n| 1 | 2 |\n\n"
                           "نص.\n\n| أ | ب |\n|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 |\n")
    blocks = content.load(source).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "Paragraph", "Table"]
    assert [c.text for c in blocks[-1].rows[0]] == ["1", "2"]


def test_braces_nested_too_deep_are_a_warning_not_a_crash(workspace, write_article, tmp_path, capsys,
                                                          expect_warnings, monkeypatch):
    """1500 nested braces (spaced: a word of 3000 would be refused) were read by 1500 nested
    calls: a RecursionError, an "internal error" in the build and a traceback in ``check
    --source``."""
    expect_warnings(r"article\.md:5: the formula .* holds braces nested more than \d+ deep")
    monkeypatch.chdir(workspace.root)
    source = write_article("الصيغة $" + "{ " * 1500 + "x" + " }" * 1500 + "$ هنا.")
    out = tmp_path / "deep.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    assert main(["check", str(out), "--source", str(source)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "internal error" not in captured.out + captured.err


def test_a_table_in_a_quote_is_read_without_a_warning(write_article, expect_warnings):
    """The quote's "> " was counted as a cell: a correct table warned "a table row has 3 cells,
    its header 2" (and failed --strict); a row with a cell too many still warns."""
    expect_warnings(r"article\.md:15: a table row has 3 cells, its header 2: the last 1 left out")
    source = write_article("> | أ | ب |\n> |---|---|\n> | 1 | 2 |\n\n"
                           "> > | ج | د |\n> > |---|---|\n> > | 3 | 4 |\n\n"
                           ">  | هـ | و |\n>  |---|---|\n>  | 5 | 6 | 7 |\n")
    blocks = content.load(source).blocks
    assert [type(b).__name__ for b in blocks] == ["Table", "Table", "Table"]
    assert [[c.text for c in row] for b in blocks for row in b.rows] == [["1", "2"], ["3", "4"],
                                                                         ["5", "6"]]


def test_a_formula_on_lines_of_its_own_in_a_footnote_is_kept(write_article, expect_warnings):
    """A ``$$…$$`` in a footnote was dropped while the warning said "a footnote holds a math, set
    as its text only"."""
    expect_warnings(r"article\.md:9: a footnote holds a formula on lines of its own \(\$\$…\$\$\): "
                    r"set in the note's text, not apart",
                    r"article\.md:13: a footnote holds a bulleted list, set as its text only")
    source = write_article("نص[^1] وآخر[^2].\n\n[^1]: حاشية فيها:\n\n    $$\n    x^2 + 1\n    $$\n\n"
                           "[^2]: حاشية ثانية:\n\n    - بند\n")
    article = content.load(source)
    assert [n.text for n in article.footnotes] == ["حاشية فيها: x² + 1", "حاشية ثانية: بند"]
    assert '<span class="math whole" dir="ltr">x² + 1</span>' in article.footnotes[0].html


def test_a_table_markdown_does_not_read_in_a_definition_is_a_warning(write_article, expect_warnings):
    """A definition's paragraph written as a broken table printed its pipes, unsaid."""
    expect_warnings(r"article\.md:6: a table's header has 3 cells and the row of dashes under it 2")
    source = write_article("المصطلح\n: | أ | ب | ج |\n  |---|---|\n")
    (glossary,) = content.load(source).blocks
    assert isinstance(glossary, Definitions) and len(glossary.items) == 1


def test_an_object_replacement_character_cannot_misplace_the_formulas(write_article,
                                                                     expect_warnings):
    """Formulas are set aside behind U+FFFC while the text is cut into runs: one in the text
    itself put them back in the wrong places, or left them unset aside, unsaid."""
    expect_warnings(r"article\.md:5: 2 object replacement characters \(U\+FFFC\).*: left out")
    source = write_article("قبل \ufffc ثم $a^n$ و\ufffc $b_i$ بعد.")
    (paragraph,) = content.load(source).blocks
    assert "\ufffc" not in paragraph.text + paragraph.html
    html = str(render.environment(source.parent, "rtl").filters["runs"](
        Markup('قبل \ufffc ثم <span class="math whole" dir="ltr">a<sup>n</sup></span> و\ufffc '
               '<span class="math whole" dir="ltr">b<sub>i</sub></span> بعد.')))
    assert "\ufffc" not in html
    formulas = re.findall(r'<span class="math whole" dir="ltr">(.*?)</span>', html)
    assert formulas == ["a<sup>n</sup>", "b<sub>i</sub>"]
    assert html.index("ثم") < html.index("a<sup>") < html.index("b<sub>") < html.index("بعد")


def test_an_articles_warnings_come_in_the_order_of_their_lines(write_article, expect_warnings):
    """Inline formulas were read first, then footnotes, then blocks: warnings came out line 10,
    then 12, 5 and 8."""
    expect_warnings(r"article\.md:5: a table needs", r"article\.md:8: Markdown code",
                    r"article\.md:10: the formula", r"article\.md:12: a footnote holds a bulleted")
    source = write_article("| أ | ب |\n| 1 | 2 |\n\n    رمز\n\nنص[^1] $a \\nosuch$.\n\n"
                           "[^1]: حاشية:\n\n    - بند\n")
    with collect_warnings() as warnings:
        content.load(source)
    assert [int(re.search(r"article\.md:(\d+):", w)[1]) for w in warnings] == [5, 8, 10, 12]


def test_a_market_report_not_tuned_on_reads_as_written(write_article, expect_warnings):
    """Written after the fixes above, in another register (a used-books market): prices in Arabic
    stay prices, a table in a quote is read unsaid, a footnote's $$…$$ and a definition written as
    a broken table are said, in the order of their lines."""
    expect_warnings(r"article\.md:16: the formula \$\$r_\{\} = p\^\\gamma\$\$ holds '_' with nothing",
                    r"article\.md:16: a footnote holds a formula on lines of its own",
                    r"article\.md:21: a table's header has 3 cells and the row of dashes under it 2")
    source = write_article(
        "تباع الرواية بـ $3 أو$ 4 حسب حالتها، والمجلدات القديمة بـ $12؛$ أما النادرة فأغلى.\n\n"
        "> | الصنف | السعر |\n> |---|---|\n> | رواية | 3 |\n> | مجلد | 12 |\n\n"
        "يقدّر أحد الباعة ربحه بالعلاقة $r = p_{b} - p_{a}$ تقريباً[^1].\n\n"
        "[^1]: حيث:\n\n    $$\n    r_{} = p^\\gamma\n    $$\n\n"
        "المصطلح\n: | أ | ب | ج |\n  |---|---|\n")
    with collect_warnings() as warnings:
        article = content.load(source)
    assert [int(re.search(r"article\.md:(\d+):", w)[1]) for w in warnings] == [16, 16, 21]
    prices, table, formula, glossary = article.blocks
    assert prices.text == ("تباع الرواية بـ $3 أو$ 4 حسب حالتها، والمجلدات القديمة بـ $12؛$ أما "
                           "النادرة فأغلى.") and "math" not in prices.html
    assert [[c.text for c in row] for row in table.rows] == [["رواية", "3"], ["مجلد", "12"]]
    assert "r = pb − pa" in formula.text
    assert article.footnotes[0].text == "حيث: r_ = p^γ"  # (no backslash, no brace printed)
    assert isinstance(glossary, Definitions)


#: Readers whose goals `check` finds loan-interest.md's magazine PDF below (strict, so that a fix
#: or a new fault shows): pdfium reads the letters of "P(1 + r)^n" and "r_m" apart
#: (KNOWN_LETTERS_OUT_OF_ORDER), 98.4% of the words in order, 7 of 8 numbers in place.
KNOWN_LOAN_BELOW_GOALS = {"pdfium"}


def test_check_s_verdict_on_the_formulas_fixture(tmp_path, project, capsys):
    source = FIXTURES / "loan-interest.md"
    pdf = tmp_path / "loan.pdf"
    with collect_warnings():
        build.build(source, pdf, project=project)
    capsys.readouterr()
    code = main(["check", str(pdf), "--source", str(source)])
    failed = set(re.findall(r"^FAIL (\w[\w.]*):", capsys.readouterr().out, re.M))
    assert failed == KNOWN_LOAN_BELOW_GOALS and code == (1 if failed else 0), failed


# -- image syntax Markdown would print as it is ----------------------------------------------

#: Markdown a reader must never see on the page.
RAW = ("![", "](", "[^", ":::", "{.", "**", "|")

BROKEN_IMAGES = {
    # written, [(each block's kind, its text or its photo)], the warnings
    "a space in the address": (
        '![السوق](images/demo-solar rows.jpg){credit="x"}', [("Figure", "images/demo-solar rows.jpg")],
        r"article\.md:5: !\[السوق\]\(images/demo-solar rows\.jpg\).*: a photo's address holds spaces"),
    "a space, in a sentence": (
        "نص ![صورة](images/a b.jpg) بعده.", [("Paragraph", "نص صورة بعده.")],
        r"article\.md:5: .*a photo's address holds spaces",
        r"article\.md:5: an image inside a paragraph is not placed"),
    "never closed": (
        "![التعليق](images/x.jpg", [],
        r"article\.md:5: !\[التعليق\]\(images/x\.jpg: an image's syntax that is never closed"),
    "never closed, in a sentence": (
        "نص قبلها ![التعليق](images/x.jpg", [("Paragraph", "نص قبلها")],
        r"article\.md:5: .*never closed"),
    "a title never closed": (
        '![التعليق](images/x.jpg "عنوان', [], r"article\.md:5: .*never closed"),
    "an angle bracket never closed": (
        "![التعليق](<images/x y.jpg)", [], r"article\.md:5: .*never closed"),
    "brackets never closed in the alt": (
        "![أ [ب](x.jpg)", [("Paragraph", "أ ب")],
        r"article\.md:5: an image's '!\[' with no '\]' after it: left out",
        r"article\.md:5: link to 'x\.jpg' kept as text"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_IMAGES))
def test_image_syntax_markdown_would_print_is_read_or_left_out_and_said(case, write_article,
                                                                        expect_warnings):
    written, expected, *warnings = BROKEN_IMAGES[case]
    expect_warnings(*warnings)
    blocks = content.load(write_article(written + "\n\nنص أخير.")).blocks
    got = [(type(b).__name__, b.src if type(b).__name__ == "Figure" else b.text) for b in blocks]
    assert got == [*expected, ("Paragraph", "نص أخير.")]
    for block in blocks:
        for text in (getattr(block, "text", ""), getattr(block, "html", ""), getattr(block, "caption", "")):
            assert not [raw for raw in RAW if raw in text], text


def test_image_syntax_that_is_text_stays_text(write_article):
    """A code span's image syntax is its text; a title in quotes and one level of parentheses
    in an address are Markdown's own: nothing said."""
    blocks = content.load(write_article(
        "`![a](b c)`\n\n![أ](images/x(1).jpg \"عنوان\"){credit=\"x\"}")).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Figure"]
    assert blocks[0].html == "<code>![a](b c)</code>" and blocks[1].src == "images/x(1).jpg"


def test_broken_image_syntax_reaches_no_page_and_strict_fails(here_workspace, tmp_path, capsys,
                                                             expect_warnings):
    expect_warnings(r"a\.md:7: .*a photo's address holds spaces", r"a\.md:9: .*never closed",
                    r"a\.md:11: an image's '!\[' with no", r"a\.md:11: link to 'x\.jpg' kept as text")
    shutil.copy(here_workspace.images / "demo-solar-rows.jpg", here_workspace.images / "solar rows.jpg")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\nنص أول.\n\n"
                      "![الألواح](images/solar rows.jpg){credit=\"تصوير: أ\"}\n\n"
                      "نص ثانٍ ![التعليق](images/x.jpg\n\n![أ [ب](x.jpg)\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    for line in (7, 9, 11):
        assert f"a.md:{line}: " in err, err
    text = " ".join(PdfReport(out).text_pdfium())
    assert "الألواح" in _flat(text) and "نص ثانٍ" in _flat(text)
    assert not [raw for raw in RAW if raw in text], text
    assert "--strict" in _strict_fails(source, tmp_path, capsys, "a.md:7: ")


@pytest.fixture
def here_workspace(workspace, monkeypatch):
    monkeypatch.chdir(workspace.root)
    return workspace


def test_a_credit_holding_markdown_and_unprintable_characters_reach_no_page(here_workspace, tmp_path,
                                                                          capsys, expect_warnings):
    """A credit is text: "تصوير: **أحمد**" printed its asterisks, a link its brackets. A NUL
    was printed as "�" (said only as a glyph no font has, without a line), and an RLO (U+202E)
    in a caption set the words after it reversed: left out, said with the first one's line."""
    expect_warnings(r"a\.md:9: a photo's credit is text, not Markdown: its syntax is left out",
                    r"a\.md:5: 3 control or bidi override characters \(U\+0000, U\+202E\)")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\nنص \x00 أول.\n\nنص \u202eمقلوب\u202c ثانٍ.\n\n"
                      "![تعليق \u202eالصورة](images/demo-solar-rows.jpg)"
                      "{credit=\"تصوير: **أحمد** [الوكالة](https://e.org)\"}\n\nنص أخير.\n",
                      encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    capsys.readouterr()
    text = " ".join(PdfReport(out).text_pdfium())
    assert "تصوير: أحمد الوكالة" in _flat(text) and "نص مقلوب ثانٍ" in _flat(text), text
    assert not [raw for raw in (*RAW, "\ufffd", "\u202e", "\x00") if raw in text], text
    _strict_fails(source, tmp_path, capsys)


def test_html_tags_in_a_credit_are_left_out_and_said(tmp_path, expect_warnings):
    """{credit="AP <b>x</b>"}: HTML is never interpreted nor printed, in a credit as in the
    text; a tag that names no HTML element ("<editor>") is prose, kept."""
    expect_warnings(r"a\.md:5: a photo's credit is text, not HTML: its tags are left out")
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\n![تعليق](images/x.jpg)"
                      "{credit=\"تصوير: <b>أحمد</b> <a href='https://e.org'>رويترز</a> <editor>\"}\n\n"
                      "نص.\n", encoding="utf-8")
    (figure,) = build.load(source).figures
    assert figure.credit == "تصوير: أحمد رويترز <editor>"


def test_an_entity_or_a_comment_in_a_credit_reaches_no_page_as_a_tag(tmp_path, expect_warnings):
    """"*تصوير* &lt;b&gt;…": Markdown's entities became tags after the tags were left out, and
    a comment was printed (review of the day): both left out, said."""
    expect_warnings(r"a\.md:5: a photo's credit is text, not Markdown",
                    r"a\.md:5: a photo's credit is text, not HTML")
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\n![تعليق](images/x.jpg)"
                      "{credit=\"*تصوير* &lt;b&gt;أحمد&lt;/b&gt; <!-- سر --> الوكالة\"}\n\nنص.\n",
                      encoding="utf-8")
    (figure,) = build.load(source).figures
    assert figure.credit == "تصوير أحمد الوكالة"


# -- leftovers of the hostile review (issue 13, point 1) -----------------------------------------

def test_image_syntax_beside_a_code_span_is_read_or_left_out_and_said(write_article, expect_warnings):
    """A paragraph holding a code span was skipped whole: its image syntax with a space in the
    address, or never closed, printed raw, unsaid. The code span's own syntax stays its text."""
    expect_warnings(r"article\.md:5: .*a photo's address holds spaces",
                    r"article\.md:5: an image inside a paragraph is not placed",
                    r"article\.md:7: !\[ب\]\(images/x\.jpg: an image's syntax that is never closed")
    paragraphs = content.load(write_article(
        "نص `كود` و ![أ](images/a b.jpg) بعده.\n\nنص `![a](b c)` ثانٍ ![ب](images/x.jpg\n")).blocks
    assert [p.text for p in paragraphs] == ["نص كود و أ بعده.", "نص ![a](b c) ثانٍ"]
    assert paragraphs[1].html == "نص <code>![a](b c)</code> ثانٍ"


@pytest.mark.parametrize(("markdown", "spans"), [
    ("`a` ![x](y z) `b`", [(0, 3), (14, 17)]),
    ("``a ` b`` c `", [(0, 9)]),
    ("\\`a` `b`", [(3, 6)]),
    ("`" * 5000, []),
])
def test_code_spans_are_found_as_commonmark_reads_them(markdown, spans):
    assert content._code_spans(markdown) == spans


def test_image_syntax_in_the_title_or_deck_reaches_no_page(here_workspace, tmp_path, capsys,
                                                          expect_warnings):
    """A title's or deck's image syntax (a space in the address, never closed) was printed as
    written: its alt text is kept, said with the key's line; --strict fails, writing nothing."""
    expect_warnings(r"a\.md:2: 'title' is text: an image's syntax in it \(!\[صورة\]\(images/a b\.jpg\)\)",
                    r"a\.md:3: 'deck' is text: an image's syntax in it \(!\[رسم\]\(images/x\.jpg\)")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان ![صورة](images/a b.jpg) هنا\ndeck: موجز ![رسم](images/x.jpg\n"
                      "---\n\nنص أول.\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    text = _flat(" ".join(PdfReport(out).text_pdfium()))
    assert "عنوان صورة هنا" in text and "موجز رسم" in text, text
    assert not [raw for raw in (*RAW, "](", "images/") if raw in text], text
    capsys.readouterr()
    _strict_fails(source, tmp_path, capsys, "a.md:2: ")


def test_an_attribute_list_never_closed_is_read_or_left_out_and_said(write_article, expect_warnings):
    """"![a](b.jpg){.wide" printed "{.wide" beside the photo's alt text (the photo not placed);
    a heading's "{#id" printed as written: read as if closed where it is an attribute list, else
    left out; each said with its line."""
    expect_warnings(r"article\.md:5: attributes \{\.wide are never closed \(no '\}' after them\): "
                    r"read as if closed",
                    r"article\.md:7: attributes \{\.wide credit=\"أ are never closed .*: left out",
                    r"article\.md:9: attributes \{#sec are never closed .*: left out",
                    r"article\.md:11: attributes \{\.pull are never closed .*: left out")
    blocks = content.load(write_article(
        "![السوق](images/demo-solar-rows.jpg){.wide\n\n![الواجهة](images/x.jpg){.wide credit=\"أ\n\n"
        "## عنوان فرعي {#sec\n\nفقرة أخيرة {.pull\n")).blocks
    assert [(type(b).__name__, getattr(b, "wide", None), getattr(b, "text", None) or b.caption)
            for b in blocks] == [("Figure", True, "السوق"), ("Figure", False, "الواجهة"),
                                 ("Heading", None, "عنوان فرعي"), ("Paragraph", None, "فقرة أخيرة")]


def test_an_attribute_list_never_closed_reaches_no_page(here_workspace, tmp_path, capsys,
                                                        expect_warnings):
    expect_warnings(r"a\.md:5: attributes \{\.wide credit=x are never closed .*: read as if closed",
                    r"a\.md:7: attributes \{#sec are never closed")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\n![الألواح](images/demo-solar-rows.jpg){.wide credit=x\n\n"
                      "## عنوان فرعي {#sec\n\nنص أخير.\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    text = _flat(" ".join(PdfReport(out).text_pdfium()))
    assert "الألواح" in text and "عنوان فرعي" in text, text
    assert not [raw for raw in ("{", "}", "#sec", ".wide") if raw in text], text
    capsys.readouterr()
    _strict_fails(source, tmp_path, capsys)


@pytest.mark.parametrize(("source", "text", "html"), [
    # an escaped brace was counted as the group's end: "x^{}}" printed
    ("x^{\\}}", "x}", "x<sup>}</sup>"),
    ("\\{a\\}_{\\{b\\}}", "{a}{b}", "{a}<sub>{b}</sub>"),
])
def test_an_escaped_brace_in_a_group_is_its_sign(source, text, html):
    formula = tex.formula(source)
    assert (formula.text, formula.problem) == (text, "")
    assert formula.html == f'<span class="math whole" dir="ltr">{html}</span>'


@pytest.mark.parametrize("written", ["$\\text{}$", "${}$", "${ }$", "$\\text{ }$"])
def test_a_formula_that_draws_nothing_is_left_out_and_said(write_article, expect_warnings, written):
    """"$\\text{}$" and "${}$" printed their braces as an "empty formula"."""
    expect_warnings(r"article\.md:5: the formula .* draws nothing: left out")
    (paragraph,) = content.load(write_article(f"قبل {written} بعد.")).blocks
    assert re.sub(" +", " ", paragraph.text) == "قبل بعد."
    assert not re.findall(r"[\\{}$]", paragraph.text + paragraph.html)


def test_every_sign_of_a_formula_is_drawn_by_a_font_of_the_layouts(project):
    """Each command of pylatexenc's table is a sign some font of fonts/ draws, or none: no
    formula draws an empty box (ℏ ℘ ℧ ◃ ℃ were .notdef boxes, warned about as any character)."""
    drawn = characters_in(project.fonts)
    db = tex._latex_signs()[0]
    names = {spec.macroname for spec in db.iter_macro_specs()}
    assert len(names) > 500
    signs = {name: tex.sign(name) for name in names}
    assert not {name: sign for name, sign in signs.items()
                if sign and any(ord(c) not in drawn and unicodedata.category(c) not in ("Zs", "Cf")
                                for c in sign)}
    assert signs["hslash"] == "ħ" and signs["textcelsius"] == "°C" and signs["mho"] is None


def test_a_sign_no_font_draws_is_drawn_as_its_like_or_left_out_and_said(here_workspace, tmp_path,
                                                                       expect_warnings):
    expect_warnings(r"a\.md:5: the formula \$\\hslash \\wp \\mho \\triangleleft \\textcelsius\$ holds "
                    r"a sign no font of the layouts draws \(\\mho\): left out")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\nالرموز $\\hslash \\wp \\mho \\triangleleft "
                      "\\textcelsius$ هنا.\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0  # (a .notdef box is a warning of its own)
    report = PdfReport(out)
    assert "ħ𝓅 ◁ °C" in _flat(" ".join(report.text_pypdf()))  # (pdfium reads "C°𝓅 ◁ ħ")
    for text in (_flat(" ".join(report.text_pdfium())), _flat(" ".join(report.text_pypdf()))):
        assert all(c in text for c in "ħ𝓅◁°C") and not [c for c in "ℏ℘℧◃℃\ufffd" if c in text], text


def test_bidi_embeddings_and_isolates_in_a_credit_are_left_out_and_said(here_workspace, tmp_path,
                                                                      capsys, expect_warnings):
    """An RLI…PDI or RLE…PDF around a credit's Latin name set "AP / Reuters" as "Reuters / AP"
    on the page, unsaid (the overrides U+202D/U+202E were already left out, said)."""
    expect_warnings(r"a\.md:5: a photo's credit holds 4 bidi embedding or isolate characters "
                    r"\(U\+202B, U\+202C, U\+2067, U\+2069\), which reorder its words: left out")
    source = here_workspace.content / "a.md"
    source.write_text("---\ntitle: عنوان\n---\n\n![تعليق](images/demo-solar-rows.jpg)"
                      "{credit=\"تصوير: \u2067AP / Reuters\u2069 و\u202bأحمد علي\u202c\"}\n\nنص أخير.\n",
                      encoding="utf-8")
    (figure,) = build.load(source).figures
    assert figure.credit == "تصوير: AP / Reuters وأحمد علي"
    out = tmp_path / "a.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    text = _flat(" ".join(PdfReport(out).text_pypdf()))
    assert "AP / Reuters" in text, text
    capsys.readouterr()
    _strict_fails(source, tmp_path, capsys, "a.md:5: ")
