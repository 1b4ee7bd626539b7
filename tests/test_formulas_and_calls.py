"""Formulas with brackets, raised digits after a space, number runs drawn in two faces and numbers
before a footnote call: drawn in order on the page and read in order by every reader."""

from __future__ import annotations

import re
import unicodedata

import pytest

from pressroom import build
from pressroom.check import fidelity
from pressroom.check.verify import PdfReport
from pressroom.layout.bidi import isolate_runs
from pressroom.report import collect_warnings

from .conftest import FIXTURES

READERS = ("pdfium", "pypdf", "poppler", "pdf.js")


def _plain(text: str) -> str:
    """A reader's text without bidi marks, NFKC (as a search sees it), spaces collapsed."""
    text = re.sub("[\u200e\u200f\u061c\u180e\u2063\u202a-\u202e\u2066-\u2069\r]", "", text)
    return re.sub(r"[ \t]+", " ", unicodedata.normalize("NFKC", text))


def _reads_or_known(text: str, reader: str, wanted: str, table: str, misread: str | None) -> None:
    """Assert that ``reader``'s ``text`` has the pattern ``wanted``; or, for a case the KNOWN_*
    ``table`` lists (``misread`` given), that it still has ``misread`` and not ``wanted``: a case
    mended must leave its table, as a strict expected failure would."""
    if misread is None:
        assert re.search(wanted, text), (reader, wanted, text)
    else:
        assert not re.search(wanted, text), f"{reader} now reads {wanted}: out of {table}"
        assert re.search(misread, text), (reader, misread, text)


def _texts(workspace, write_article, tmp_path, body: str, title: str, layout: str = "magazine"
           ) -> tuple[dict[str, str], object]:
    path = write_article(body, title=title, date="2026-01-01")
    out = tmp_path / "article.pdf"
    with collect_warnings():
        build.build(path, out, project=workspace, layout=layout)
    texts = PdfReport(out).texts(pdfjs=True)
    assert {"pdfium", "pypdf"} <= set(texts)
    return {reader: _plain("\n".join(pages)) for reader, pages in texts.items()}, build.load(path)


def test_a_bracket_is_part_of_a_formula_only_beside_its_operands():
    """"f(x)" and "(a+b)²" are formulas (one run set left to right); a bracket around a code, an
    acronym or a range alone is not, and keeps the runs it had."""
    def spans(text: str) -> list[str]:
        return re.findall(r'<span class="ltr[^"]*"(?: dir="ltr")?>\u061c?([^<]*)</span>',
                          isolate_runs(text, "rtl"))

    assert spans("قال إن f(x) = 2x + 1 دالة") == ["f(x) = 2x + 1"]
    assert spans("وإن (a+b)² = c صحيحة") == ["(a+b)² = c"]
    assert spans("وإن g(t) تتغير و(x+1)(x-1) هنا") == ["g(t)", "x+1", "x-1"]
    assert spans("القوة (CTF-150) وحلف (WHO) بين (2009-2010)") == ["CTF-150", "WHO", "2009-2010"]
    assert spans("يساوي n(n+1)/2، و (a+b)/c ثم f(x). ثم (a+b).") == ["n(n+1)/2", "(a+b)/c", "f(x)", "a+b"]
    assert spans("عام 2025 ³ و ٢٠٢٥ ٣ و CO ²") == ["2025 ³", "٢٠٢٥ ٣", "CO ²"]
    assert spans("بلغت 40% ³ هنا") == ["40%", "³"]  # after a sign: two words, as before
    assert spans("مؤشره 70/(1.75)² أي و 2(x+1) = 4 و (1.75)² هنا") == ["70/(1.75)²", "2(x+1) = 4",
                                                                      "1.75", "²"]
    # a raised digit is kept on its number's line ("2024" ended one, "³" began the next)
    assert '<span class="ltr whole">\u061c2024 ³</span>' in isolate_runs("بعام 2024 ³، و", "rtl")


#: A closing bracket with a sign after it inside a formula ("n(n+1)/2", "f(x)/2", "f(x)+1"): the
#: page and pypdf, poppler and pdf.js have it in order; pdfium read the two as one piece backwards
#: ("n(n+1/)2"; on main, where the page drew "2/n(n+1)", so did pdf.js), until the sign became a
#: piece of its own (glyphfold._PDFIUM_WEAK_SIGNS). (Drawn as pieces of their own, the brackets
#: mended it too, but poppler then lost the letters around them: "()+1" for "f(x)+1".)
KNOWN_BRACKET_THEN_SIGN: set[str] = set()


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_formulas_with_brackets_read_in_order(workspace, write_article, tmp_path, layout):
    """"f(x) = 2x + 1" and "(a+b)² = c" in an Arabic paragraph were drawn "1 + 2x = (x)f" and
    "c = ²(a+b)" (each operand and bracket a run of its own, the runs right to left) and read so;
    now drawn and read as written (pdf.js drops the spaces around an operator, as it does in
    "x² + y²": the formula is still in order)."""
    body = ("قال المعلم إن الدالة f(x) = 2x + 1 تعطي قيمة واحدة لكل مدخل، وإن المتطابقة "
            "(a+b)² = c صحيحة هنا، وإن g(t) تتغير مع الزمن.\n\nومجموع الأعداد الأولى n(n+1)/2 "
            "كما برهنه الطلاب، وقيمة f(x)+1 أكبر من f(x)/2 دائما.\n")
    texts, _ = _texts(workspace, write_article, tmp_path, body, "دوال ومعادلات", layout)
    for reader, text in texts.items():
        assert re.search(r"f\(x\) ?= ?2x ?\+ ?1(?![0-9])", text), (reader, text)
        assert re.search(r"\(a\+b\)2 ?= ?c(?![a-z])", text), (reader, text)  # ² after NFKC
        assert "g(t)" in text, (reader, text)
        for formula, misread in (("n(n+1)/2", "n(n+1/)2"), ("f(x)+1", "f(x+)1"), ("f(x)/2", "f(x/)2")):
            _reads_or_known(text, reader, re.escape(formula), "KNOWN_BRACKET_THEN_SIGN",
                            re.escape(misread) if reader in KNOWN_BRACKET_THEN_SIGN else None)
        if reader != "poppler":  # poppler sets a line's runs apart, each in order, its own way
            assert re.search(r"الدالة f\(x\) ?= ?2x ?\+ ?1\s+تعطي", text), (reader, text)
            assert re.search(r"المتطابقة \(a\+b\)2 ?= ?c\s+صحيحة", text), (reader, text)
            assert re.search(r"وإن g\(t\)\s+تتغير", text), (reader, text)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_raised_digit_after_a_space_stays_apart(workspace, write_article, tmp_path, layout):
    """"2025 ³" (a heading in the display face and the body): the space between the number and
    the raised digit was a text box of its own, which WeasyPrint does not draw, and pypdf and
    pdf.js read "2025³", "20253" to a search (and "٢٠٢٥٣" for "٢٠٢٥ ٣")."""
    body = ("## المساحة عام 2025 ³\n\nبلغت المساحة عام 2025 ³ نحو مئة هكتار، وفي عام ٢٠٢٤ ٢ "
            "أقل من ذلك بقليل.\n")
    texts, article = _texts(workspace, write_article, tmp_path, body, "مساحات الغابات", layout)
    for reader, text in texts.items():
        assert "20253" not in text and "٢٠٢٤٢" not in text, (reader, text)
        assert {"2025", "٢٠٢٤", "المساحة", "نحو", "أقل"} <= fidelity.search_words(text), (reader, text)
        if reader != "poppler":  # poppler orders a line's runs its own way
            assert text.count("عام 2025 3") == 2 and "عام ٢٠٢٤ ٢ أقل" in text, (reader, text)
    for reader in ("pdfium", "pypdf"):
        score = fidelity.score(reader, [texts[reader]], article)
        assert score.numbers[0] == score.numbers[1], (reader, score.misplaced_numbers)


#: A sign after a letter ("و+12%": the "+" is the Arabic run's, bidi.py gives a sign a span only
#: after a space) on a line of one face (the pocket layout sets its title and headings in Amiri):
#: pdfium read "و+ 12%" (so on main before), until the number's sign became a text object of its
#: own (glyphfold._sign_apart). Giving the sign to the number's span instead made every reader but
#: pdf.js read "و +12%" and "كوفيد -19" (measured, not adopted).
KNOWN_SIGN_AFTER_LETTER: set[tuple[str, str]] = set()


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_number_in_two_faces_reads_in_order(workspace, write_article, tmp_path, layout):
    """Noto Kufi has digits but no "%": in a title or a heading "50%" is Amiri's "%" drawn left
    of Noto Kufi's "50", an array per face; pypdf and pdf.js read them in the order drawn, "%50",
    and "و+12%" as "و+%12". Every reader now reads them as written."""
    body = ("## ارتفاع 40% في عام واحد\n\nنص قصير تحت العنوان.\n\n"
            "## فاتورة و+30% في شهر\n\nنص قصير آخر.\n")
    texts, _ = _texts(workspace, write_article, tmp_path, body,
                      '"ما وراء 50% من الإنجاز و+12% أيضا"', layout)
    for reader, text in texts.items():
        for line in ("وراء 50% من الإنجاز", "ارتفاع 40% في"):
            # (poppler puts a heading's first word on a line of its own in the pocket layout)
            assert re.search(line.replace(" ", "\\s+"), text), (reader, line, text)
        known = (reader, layout) in KNOWN_SIGN_AFTER_LETTER
        for line in ("و\\+12%\\s+أيضا", "و\\+30%\\s+في"):
            _reads_or_known(text, reader, line, "KNOWN_SIGN_AFTER_LETTER",
                            line.replace("\\+", "\\+ ") if known else None)


#: Letters joined to a number whose sign is drawn on its left (Arabic-Indic digits and "٪", as a
#: price column writes them, and 0–9 with "%"), in running text and in a paragraph of them (an
#: article full of them failed `check`: pdfium read "ب ٣٠٪", "و 4%", "و+ 12%").
GLUED_SIGNS = ("ارتفع سعر الخبز ب٣٠٪ هذا العام وانخفض سعر الزيت ب٥٪ فقط، وزادت الأجور ل١٢٫٥٪ من"
               " الموظفين، وبقيت الكلفة بين ٢٪ و٤٪ للعائلات، وزاد النقل و+12% ثم و4% ثم ول35% في"
               " المدن الكبرى.")


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_letter_joined_to_a_number_with_its_sign_on_the_left(workspace, write_article, tmp_path,
                                                               layout):
    """Every reader reads each such word whole: pdfium put a space between the letter and the
    number ("ب ٣٠٪"), since the run's last glyph drawn, its sign, ends far left of the letter."""
    texts, _ = _texts(workspace, write_article, tmp_path, GLUED_SIGNS, "أسعار السوق", layout)
    for reader, text in texts.items():
        for word in ("ب٣٠٪", "ب٥٪", "ل١٢٫٥٪", "و٤٪", r"و\+12%", "و4%", "ول35%"):
            assert re.search(f"(^|\\s){word}(\\s|،|$)", text), (reader, word, text)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_number_before_a_footnote_call(workspace, write_article, tmp_path, layout):
    """"بلغ 1,500[^1] طن": pdfium set the call first on its line and broke the line after the
    number (the number and the call were split for it as one run), pypdf and pdf.js read
    "1,500١", and `check` took the call between the number and its word for a number out of
    place. Each reader now gives the number, the call and the word, in that order, and every
    number is in place."""
    body = ("بلغ الإنتاج في الموسم الماضي 1,500[^1] طن من القمح، وارتفعت الكلفة 30%[^2] من "
            "الدخل، وقال المزارعون[^3] إن الموسم المقبل أفضل.\n\n"
            "[^1]: بحسب وزارة الزراعة.\n[^2]: تقدير أولي.\n[^3]: في اجتماع الاتحاد.\n")
    texts, article = _texts(workspace, write_article, tmp_path, body, "موسم القمح", layout)
    for reader, text in texts.items():
        assert re.search(r"1,500\s+١\s+طن", text), (reader, text)
        # (poppler read "٢من" and "٣إن": the mark that ends the call's run for it was drawn
        # where the call starts, and it set it on either side by accident)
        assert re.search(r"30%\s+٢\s+من", text), (reader, text)
        assert re.search(r"المزارعون\s+٣\s+إن", text), (reader, text)
        if reader in fidelity.GOALS and reader != "poppler":
            score = fidelity.score(reader, [texts[reader]], article)
            assert score.failures(fidelity.GOALS[reader]) == [], (reader, score.misplaced_numbers)
            assert score.numbers[0] == score.numbers[1], (reader, score.misplaced_numbers)


def test_a_footnote_call_is_no_number_out_of_place(tmp_path):
    """`check` compares with the source's text, which has no calls: a call read after its number
    is no misplaced number, in the article's own digits; a number read elsewhere still is."""
    source = tmp_path / "calls.md"
    notes = "".join(f"[^{n}]: حاشية رقم {n}.\n" for n in range(1, 12))
    calls = "".join(f" كلمة[^{n}]" for n in range(2, 12))
    source.write_text(f"---\ntitle: حواش\n---\n\nبلغ 1,500[^1] طن من القمح{calls}.\n\n{notes}",
                      encoding="utf-8")
    article = build.load(source)
    assert fidelity.call_words(article) == {"١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩", "١٠", "١١"}
    body = "بلغ 1,500 ١ طن من القمح" + "".join(f" كلمة {n}" for n in "٢٣٤٥٦٧٨٩") + " كلمة ١٠ كلمة ١١."
    notes_read = "\n".join(f"{n}. حاشية رقم {n}." for n in range(1, 12))
    placed, total = fidelity.score("pypdf", [f"حواش\n{body}\n{notes_read}"], article).numbers
    assert placed == total == 13  # 1 and 500, and each note's number
    astray = body.replace("1,500 ١ طن", "١ طن 1,500")
    assert fidelity.score("pypdf", [f"حواش\n{astray}\n{notes_read}"], article).numbers == (11, 13)


#: Written after the fixes above, in other registers: a school laboratory's report (formulas with
#: brackets, units, signs, raised digits after a space, calls after numbers; it showed
#: "n(n+1)/2" drawn "2/n(n+1)" and a raised digit left alone at a line's start, mended) and a
#: central bank's bulletin (a title "3.1% … +2.4%" in the display face, which pypdf and pdf.js
#: read "%3.1", "%2.4 +", mended; formulas, a table of signed changes, calls after percentages)
#: and a health report (dosage formulas, "70/(1.75)²", which a number starting it left out of the
#: formulas: drawn and read "70/ ²(1.75)" by pdfium, mended). And an engineering report written
#: after all of that and never tuned on ("M = w(L/2)²/2", "d(x) = k(x³ - 2Lx² + L³x)", "F = m × g",
#: "-7", "و+52", "2026 ¹", calls after numbers and percentages, a title in two faces). And a
#: sports column written after pdfium's reading of a sign beside a bracket was mended on
#: "n(n+1)/2" ("(W+0.5D)/G", "xG(t)-xGA(t)", "P(k)/P(n)": mended there too; it showed the sign
#: before an opening bracket, "S/(S+G)" read "S(/S+G)", mended).
WRITTEN_AFTER = {name: FIXTURES / f"{name}.md"
                 for name in ("chem-lab", "econ-bulletin", "health-dose", "bridge-load", "league-stats")}
#: Formulas every reader but poppler gives as written (poppler reads "xG(t)-xGA(t" in both layouts,
#: its last bracket elsewhere: not looked into).
FORMULAS = {"league-stats": ("(W+0.5D)/G", "xG(t)-xGA(t)", "P(k)/P(n)", "S/(S+G)")}
#: What a reader still misses there (words not found, numbers out of place). (pdfium read "بين 2%
#: و4%." (a footnote) as "و 4%", a letter joined to a number run whose sign is drawn on its left,
#: until the sign became a text object of its own: glyphfold._sign_apart.)
KNOWN_WRITTEN_AFTER: dict[tuple[str, str], tuple[set[str], set[str]]] = {}


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
@pytest.mark.parametrize("name", WRITTEN_AFTER)
def test_articles_written_after_read_right(tmp_path, project, name, layout):
    """Every reader finds every word; pdfium, pypdf and pdf.js place every number (`check`'s
    goals) but for KNOWN_WRITTEN_AFTER; their titles read in order."""
    out = tmp_path / f"{name}.pdf"
    with collect_warnings():
        build.build(WRITTEN_AFTER[name], out, project=project, layout=layout)
    article = build.load(WRITTEN_AFTER[name])
    texts = PdfReport(out).texts(pdfjs=True)
    assert {"pdfium", "pypdf"} <= set(texts)
    wanted = fidelity.source_words(article)
    for reader, pages in texts.items():
        not_found, misplaced = KNOWN_WRITTEN_AFTER.get((name, reader), (set(), set()))
        score = fidelity.score(reader, pages, article)
        assert len(wanted) > 150 and set(score.not_found) == not_found, (reader, score.not_found)
        if reader != "poppler":  # (poppler's column order is its own: held to words found)
            assert {a.word for a in score.misplaced_numbers} == misplaced, (reader, score.misplaced_numbers)
            assert score.words_in_order >= fidelity.GOALS[reader].words, reader
    title = {"chem-lab": ("87% و+4% في", "المردود إلى"), "econ-bulletin": ("إلى 3.1% والنمو", "+2.4% في"),
             "health-dose": ("تصيب 31.5% من", "و+6% من"), "bridge-load": ("يتحمل 3,400 طن", "تزيد 18% على"),
             "league-stats": ("كيف تقرأ أرقام", "في نصف الموسم")}
    for reader in ("pdfium", "pypdf", "pdf.js"):
        if reader in texts:
            text = " ".join(_plain("\n".join(texts[reader])).split())
            assert all(part in text for part in title[name]), (reader, text[:300])
            assert [f for f in FORMULAS.get(name, ()) if f not in text] == [], reader
