"""Line breaking and type details on WeasyPrint's boxes: no stranded words, nothing past the box."""

from __future__ import annotations

import random

import pytest

from pressroom import build, weasy

from .boxes import bottom, columns, content_area, left, right, text_of, top, walk

EPS = 0.5  # CSS px

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


def natural_width(line) -> float:
    """A line's width before justification: its text without the added word spacing, and its
    inline blocks (the paragraph indent, the end mark)."""
    width = 0.0
    for box in walk(line):
        kind = type(box).__name__
        if kind == "TextBox":
            spaces = box.text.count(" ") + box.text.count("\u00a0")
            width += box.width - (getattr(box, "justification_spacing", 0) or 0) * spaces
        elif kind in ("InlineBlockBox", "InlineReplacedBox"):
            width += box.margin_width()
    return width


def justified_lines(document):
    """(page number, paragraph text, line, is the paragraph's last line, column width) for
    every line of every justified paragraph fragment, in order."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in walk(page._page_box):
            if (type(box).__name__ != "BlockBox" or box.element_tag != "p"
                    or box.style["text_align_all"] != "justify"):
                continue
            lines = [c for c in box.children if type(c).__name__ == "LineBox"]
            element = box.element
            whole = "".join(element.itertext()).strip()
            for index, line in enumerate(lines):
                ends = index == len(lines) - 1 and _ends_paragraph(line, whole)
                found.append((number, whole, line, ends, box.width))
    return found


def _ends_paragraph(line, whole: str) -> bool:
    tail = "".join(text_of(line).split())
    return "".join(whole.split()).replace("\u061c", "").endswith(tail.replace("\u061c", ""))


def short_lines(document) -> list[tuple[int, str, float]]:
    """(page, line text, natural width / column) of every non-last line under half the column."""
    return [(page, text_of(line), round(natural_width(line) / width, 2))
            for page, _, line, last, width in justified_lines(document)
            if not last and natural_width(line) < width / 2]


def past_the_box(document) -> list[tuple[int, str]]:
    """Lines reaching past their page's content box or their column."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        x0, y0, x1, y1 = content_area(page)
        for column in columns(page):
            for line in (b for b in walk(column) if type(b).__name__ == "LineBox"):
                ink = [b for b in walk(line) if type(b).__name__ == "TextBox"]
                if not ink:
                    continue
                lo, hi = min(left(b) for b in ink), max(right(b) for b in ink)
                outside = lo < max(x0, left(column)) - EPS or hi > min(x1, right(column)) + EPS
                if outside or top(line) < y0 - EPS or bottom(line) > y1 + EPS:
                    found.append((number, text_of(line)))
    return found


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
