"""No paragraph ends with one word alone on its last line (a runt), in Arabic or English, in either
layout: render.keep_paragraph_end keeps a paragraph's (a quote's, a list item's) last two words
together with an invisible word joiner after the space between them, and checks.lone_last_words
reads the last lines on WeasyPrint's line boxes. Readers still extract a plain space there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from pressroom import build
from pressroom.check.verify import PdfReport, pdfjs_unavailable
from pressroom.layout import render, weasy
from pressroom.project import Project
from pressroom.report import listen

from . import boxes
from .checks import justified_lines, lone_last_words, short_lines
from .conftest import FIXTURES

#: A camel race report written after the code (a register the fixtures lacked), whose paragraphs,
#: a closing guillemet glued to a word among them, and a list item end on a lone word without
#: the joins: (page, the line's text) in each layout.
CAMEL = FIXTURES / "camel-race.md"
RUNTS = {"magazine": [(1, "تسمعهم."), (1, "الشكل»."), (2, "الأحيان")],
         "pocket": [(2, "المالك."), (2, "الشكل»."), (3, "الأشواط.")]}
#: The same pairs as they end their lines with the joins.
PAIRS = {"magazine": ["كأنها تسمعهم.", "من الشكل».", "أغلب الأحيان"],
         "pocket": ["خيام المالك.", "من الشكل».", "في الأشواط."]}
#: An English article scraped from the web: one runt in each layout without the joins.
ENGLISH = FIXTURES / "english-scraped.txt"
#: What no one sees in a reader's text: bidi marks, embedding and isolate controls.
INVISIBLE = re.compile("[\u200e\u200f\u061c\u180e\u202a-\u202e\u2066-\u2069]")


def _lay_out(source: Path, project: Project, layout: str):
    with listen(lambda record: False):
        return build.typeset_article(build.context(source, project, layout=layout), build.load(source))


def _unjoined(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "keep_paragraph_end", lambda text, direction: Markup(text))


def _shown(runts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(page, text.replace("\u2060", "").replace("\u200b", "")) for page, text in runts]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_no_paragraph_ends_on_a_lone_word(project, monkeypatch, layout):
    """camel-race.md: its runts without the joins; none with them, each pair on the last line of
    its paragraph, the same pages and no line of a paragraph left under half its column."""
    with monkeypatch.context() as patched:
        _unjoined(patched)
        loose = _lay_out(CAMEL, project, layout)
    assert _shown(lone_last_words(loose)) == RUNTS[layout]
    document = _lay_out(CAMEL, project, layout)
    assert lone_last_words(document) == []
    assert short_lines(document) == []
    assert len(document.pages) == len(loose.pages)
    lines = [line for _, _, line, last, _ in justified_lines(document) if last]
    lines += [[c for c in item.children if type(c).__name__ == "LineBox"][-1]
              for page in document.pages for item in boxes.walk(weasy.page_box(page))
              if type(item).__name__ == "BlockBox" and item.element_tag == "li"]
    ends = [" ".join(boxes.text_of(line).replace("\u2060", "").split()) for line in lines]
    for pair in PAIRS[layout]:
        assert any(end.endswith(pair) for end in ends), (pair, ends)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_an_english_paragraph_keeps_its_last_words_too(project, monkeypatch, layout):
    with monkeypatch.context() as patched:
        _unjoined(patched)
        loose = _lay_out(ENGLISH, project, layout)
    assert _shown(lone_last_words(loose)) == [(1, "observers.")]
    assert lone_last_words(_lay_out(ENGLISH, project, layout)) == []


@pytest.mark.parametrize(("text", "joined"), [
    ("هذا نص طويل " * 12 + "عن الأسواق القديمة في المدينة.", "في \u2060المدينة."),
    # a closing quote or dash set apart by a space goes with the two words before it
    ("هذا نص طويل " * 12 + "عن الأسواق في «المدينة القديمة »", "«المدينة \u2060القديمة \u2060»"),
    ("The nets are spread on the warm stones " * 4 + "of the old quay.", "old \u2060quay."),
    ("هذا نص طويل " * 12 + "في عام 2024.", "عام \u20602024."),  # a number is no Latin run
    # a number written in groups is one word (bidi.py keeps it one run): no joiner inside it
    ("هذا نص طويل " * 12 + "على الرقم +961 1 234 567.", "الرقم \u2060+961 1 234 567."),
    ("هذا نص طويل " * 12 + "بلغ 1 234 567 دينار.", "567 \u2060دينار."),
    # a slash between letters lets a line break after it: not inside the pair
    ("هذا نص طويل " * 12 + "من كانون الثاني/يناير:", "كانون \u2060الثاني/\u2060يناير:"),
])
def test_the_last_two_words_are_joined(text, joined):
    kept = str(render.keep_paragraph_end(text, "rtl"))
    assert kept.endswith(joined) and kept.count("\u2060") == joined.count("\u2060")
    assert kept.replace("\u2060", "") == str(Markup.escape(text))


@pytest.mark.parametrize("text", [
    "هذا نص طويل " * 12 + "عن مؤسسة Linux Foundation.",  # a Latin run of an Arabic paragraph
    "هذا نص طويل " * 12 + "على https://solar.example.org/data.",  # an address
    "هذا نص طويل " * 12 + "إلى books@example.org.",
    "هذا نص طويل " * 12 + "بالاستراتيجياتِ والاستثنائياتِ.",  # a pair too wide
    "كلمة",
])
def test_what_is_left_as_it_is(text):
    assert "\u2060" not in str(render.keep_paragraph_end(text, "rtl"))


def test_the_joined_words_read_with_a_plain_space(project, tmp_path):
    """The joiner is invisible to readers: each reader extracts the pairs of camel-race.md with a
    space between them (in either order: a right-to-left line may be read backwards), and no
    U+2060, and search finds each word whole."""
    pdf = tmp_path / "camel-race.pdf"
    with listen(lambda record: False):
        build.build(CAMEL, pdf, project=project, layout="pocket")
    texts = PdfReport(pdf).texts(pdfjs=pdfjs_unavailable() is None)
    assert {"pdfium", "pypdf"} <= set(texts)
    for reader, pages in texts.items():
        text = " ".join(INVISIBLE.sub("", "\n".join(pages)).split())
        assert "\u2060" not in text, reader
        for pair in ("كأنها تسمعهم", "من الشكل", "خيام المالك", "في الأشواط"):
            first, second = pair.split()
            assert pair in text or f"{second} {first}" in text, (reader, pair)


def test_a_footnote_is_no_part_of_the_last_word():
    """A paragraph ending in a footnote's call (court-appeal.md: "…في الخارج^[…]."): the note's
    text, set at the page's foot, is not counted in the pair, which was too long and left alone."""
    html = Markup("هذا نص طويل " * 12 + 'نقلت إلى حسابات في الخارج<span class="footnote">بحسب <em>كتاب'
                  "</em> وحدة مكافحة غسل الأموال المؤرخ في 3 شباط.</span>.")
    kept = str(render.keep_paragraph_end(html, "rtl"))
    assert kept.count("\u2060") == 1 and "في \u2060الخارج<span" in kept


def test_a_formula_ending_a_paragraph_is_one_word_bound_to_the_word_before():
    """A paragraph ending in a formula: the joiner went between the formula's own parts ("2 + 2
    ⁠= ⁠4"), or nowhere (a Latin letter in it), and the formula was left alone on the last line."""
    math = '<span class="math whole" dir="ltr">{}</span>'
    for formula in ("2 + 2 = 4", "E = mc²"):
        html = Markup("هذا نص طويل " * 12 + "والنتيجة هي " + math.format(formula) + ".")
        kept = str(render.keep_paragraph_end(html, "rtl"))
        assert kept.endswith("هي \u2060" + math.format(formula) + ".") and kept.count("\u2060") == 1


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_no_paragraph_ends_on_a_formula_alone(workspace, layout):
    """Paragraphs of every length up to a few lines, ending in a formula: none has the formula
    alone on its last line (23 in the magazine, 15 in the pocket layout, before)."""
    words = "تتغير القيم في هذه المعادلة كلما زادت الكتلة أو تغيرت سرعة الضوء المقاسة في المختبر".split()
    paragraphs = [" ".join((words * 4)[:n]) + end for n in range(8, 50)
                  for end in (" والنتيجة $E = mc^2$.", " هي $2 + 2 = 4$.")]
    source = workspace.content / "f.md"
    source.write_text("---\ntitle: عنوان\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    document = _lay_out(source, workspace, layout)
    lasts = [re.sub(r"[\s\u2060]", "", boxes.text_of(line))
             for _, _, line, last, _ in justified_lines(document) if last]
    assert len(lasts) == len(paragraphs)
    assert not [text for text in lasts if text in ("E=mc².", "2+2=4.")]


#: Pairs under PARAGRAPH_END_MAX characters of letters so wide that, kept together, they did not
#: fit a line: the pocket layout broke the first inside its second word, the magazine the second.
WIDE_PAIRS = ("ڪڪڪڪڪڪڪڪڪڪڪڪڪ ڪڪڪڪڪڪڪڪڪڪڪڪڪ.", "ﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲ ﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲﷲ.")


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_a_pair_too_wide_for_a_line_is_not_kept_together(workspace, layout):
    assert all(len(pair) <= render.PARAGRAPH_END_MAX for pair in WIDE_PAIRS)
    source = workspace.content / "w.md"
    source.write_text("---\ntitle: عنوان\n---\n\n" + "\n\n".join(
        "هذا نص طويل " * 8 + pair for pair in WIDE_PAIRS) + "\n", encoding="utf-8")
    document = _lay_out(source, workspace, layout)
    words = {word for _, _, line, _, _ in justified_lines(document)
             for word in boxes.text_of(line).replace("\u2060", "").split()}
    for pair in WIDE_PAIRS:
        assert set(pair.split()) <= words, (pair, sorted(w for w in words if w[:1] in "ڪﷲ"))


#: Everything a body paragraph's last words may end: paragraphs, lists two deep, a definition,
#: a quote, a pull quote, a sidebar holding a list.
EVERY_BLOCK = """فقرة أولى من نص طويل يملأ السطر ويزيد عليه بكلمات أخرى كثيرة حتى يلتف.

- بند أول من قائمة طويلة بكلمات كثيرة تلتف على السطر.
  - بند متداخل من قائمة طويلة بكلمات كثيرة تلتف على السطر.
    - بند أعمق من قائمة طويلة بكلمات كثيرة تلتف على السطر.

المصطلح
: تعريفه الطويل بكلمات كثيرة تلتف على السطر مرة بعد مرة.

> اقتباس طويل بكلمات كثيرة تلتف على السطر مرة بعد مرة.

> اقتباس بارز طويل بكلمات كثيرة تلتف على السطر. {.pull}

::: sidebar إطار
نص الإطار الطويل بكلمات كثيرة تلتف على السطر مرة بعد مرة.

- بند في الإطار بكلمات كثيرة تلتف على السطر مرة بعد مرة.
  - بند متداخل في الإطار بكلمات كثيرة تلتف على السطر.
:::

فقرة أخيرة.
"""


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_the_widest_pair_kept_fits_the_narrowest_line_of_the_layouts(workspace, layout):
    """PARAGRAPH_END_EMS is a bound from the layouts: every paragraph, list item (two levels
    down, in a sidebar too) and definition is at least that wide, in ems of its own text."""
    source = workspace.content / "e.md"
    source.write_text("---\ntitle: عنوان\n---\n\n" + EVERY_BLOCK, encoding="utf-8")
    document = _lay_out(source, workspace, layout)
    widths = [(box.width / box.style["font_size"], box.element_tag)
              for page in document.pages for box in boxes.walk(weasy.page_box(page))
              if type(box).__name__ == "BlockBox" and box.element_tag in ("p", "li", "dd")]
    assert {tag for _, tag in widths} == {"p", "li", "dd"}
    assert min(widths) >= (render.PARAGRAPH_END_EMS, ""), sorted(widths)[:3]
