"""The end mark ■ closes the article's last content whatever it is: a paragraph, a table, a list,
a quote, a sidebar, a paragraph with a footnote; not a pull quote, which repeats the text (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import build
from pressroom.layout import weasy
from pressroom.report import collect_warnings

from .boxes import classes, page_box, walk

OPENING = ("حين وصلنا إلى القرية في الصباح الباكر، كان السوق قد بدأ يمتلئ بالباعة والمشترين، "
           "وكانت رائحة الخبز تملأ الأزقة الضيقة بين البيوت القديمة.\n\n"
           "ويقول أحد الباعة إن السوق لم يعرف مثل هذا الإقبال منذ سنوات طويلة، وإن الناس "
           "عادوا يشترون من المزارعين مباشرة بعد أن أغلقت المتاجر الكبيرة أبوابها.\n\n")

#: (what the article ends with, its Markdown, the words the end mark must follow)
ENDINGS = [
    ("table", "| الصنف | السعر |\n|---|--:|\n| خبز | 3 |\n| عسل الجبل | 45 |\n", "45"),
    ("nested list", "- التمر\n- العسل\n- الصوف:\n  - المغزول\n  - الخام من الجبل\n", "الخام من الجبل"),
    ("numbered list", "1. الوصول\n2. التسوق\n3. العودة قبل الغروب\n", "العودة قبل الغروب"),
    ("quote", "> السوق قلب القرية، وإذا توقف توقفت الحياة فيها كلها.\n", "كلها."),
    ("sidebar", "::: sidebar السوق في أرقام\nيفتح السوق كل جمعة.\n\nويضم ستين بسطة من القرى المجاورة.\n:::\n",
     "المجاورة."),
    ("footnote", "وانتهت جولتنا عند المسجد الكبير قبيل الظهر[^1].\n\n[^1]: بحسب دليل البلدية.\n",
     "الظهر\u2009١."),  # after the footnote's call
    ("pull quote after the text", "وانتهت جولتنا عند المسجد الكبير قبيل الظهر.\n\n"
     "> السوق قلب القرية. {.pull}\n", "الظهر."),
    ("definition list", "البسطة\n: طاولة البائع في السوق.\n\nالجمعة\n: يوم السوق.\n: ويوم العطلة.\n",
     "العطلة."),
    ("formula", "وحساب الربح بسيط: $p = s - c$\n", "p = s − c"),
]


def _marks(document) -> list:
    """The lines (LineBox) that hold an end mark, in document order."""
    found = []
    for page in document.pages:
        for line in walk(page_box(page)):
            if type(line).__name__ != "LineBox":
                continue
            for box in walk(line):
                tag = box.element_tag or ""
                if tag.endswith("::after") and ("closes" in classes(box)
                                                or (tag == "p::after" and "end" in classes(box))):
                    found.append(line)
    return found


def _text(line) -> str:
    """A line's text, without the word joiner that keeps the end mark with the last word."""
    return "".join(b.text for b in walk(line) if type(b).__name__ == "TextBox").replace("\u2060", "")


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
@pytest.mark.parametrize(("kind", "ending", "last_words"), ENDINGS, ids=[e[0] for e in ENDINGS])
def test_the_end_mark_closes_the_last_content(kind, ending, last_words, layout, project, tmp_path):
    source = tmp_path / "ending.md"
    source.write_text(f"---\ntitle: جولة في سوق القرية\nlang: ar\n---\n\n{OPENING}{ending}",
                      encoding="utf-8")
    with collect_warnings() as warnings:
        document = build.typeset_article(build.context(source, project, layout=layout),
                                         build.load(source))
    assert not warnings, warnings
    marks = _marks(document)
    assert len(marks) == 1, (kind, [_text(m) for m in marks])
    assert _text(marks[0]).rstrip().endswith(last_words), (kind, _text(marks[0]))
    # and it is the body's last line: after it in the flow, only what is set within it (a list
    # marker, a footnote call) or a pull quote
    mark = marks[0]
    flow = [(column.page, block, line) for column in weasy.columns(document) for block in column.blocks
            for line in block.lines]
    page = next(n for n, page in enumerate(document.pages) if any(b is mark for b in walk(page_box(page))))
    within = [i for i, (p, _, line) in enumerate(flow) if p == page
              and abs(line.top - mark.position_y) < 0.5 and line.text.replace("\u2060", "") == _text(mark)]
    assert within, kind
    after = [(block.tag, line.text) for p, block, line in flow[within[0]:]
             if not (p == page and line.top >= mark.position_y - 0.5
                     and line.bottom <= mark.position_y + mark.height + 0.5)
             and "pull" not in block.attributes.get("class", "").split()]
    assert after == [], (kind, after)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
@pytest.mark.parametrize(("name", "last_words"), [
    ("travel-khan.md", "فنادق ومطاعم"),  # written before this code: a table last
    ("garden-roofs.md", "لا بعد ذلك."),  # written after it, never tuned on: a list last
    ("obit-physicist.md", "تجربي."),  # an obituary written after the code: the mark was alone
    ("dig-diary.md", "أن أرى."),  # a field diary written after the page fill, never tuned on
])
def test_the_fixtures_end_mark_follows_their_last_words(name, last_words, layout, project) -> None:
    source = Path(__file__).parent / "fixtures" / name
    with collect_warnings():
        document = build.typeset_article(build.context(source, project, layout=layout),
                                         build.load(source))
    (mark,) = _marks(document)
    assert last_words in _text(mark)  # (on the mark's own line: never a line of the mark alone)


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_the_end_mark_is_never_alone_on_its_line(layout, project, tmp_path):
    """The end mark goes with the last word (a word joiner before it): with a word more each time,
    the last line ends at every width of the column, and the mark had lines of its own (an
    obituary written after the code ended "…خافي من ألا تجربي." then ■ alone)."""
    words = ("ويقول الباعة إن السوق عاد يمتلئ كل جمعة بالناس من القرى المجاورة والمدن البعيدة "
             "حتى ساعة متأخرة من الليل").split()
    alone = []
    for count in range(len(words) * 3):  # the last word a letter longer each time, then a word more
        last = words[count // 3 % len(words)] + "ـ" * (count % 3)
        source = tmp_path / f"ending-{count}.md"
        source.write_text(f"---\ntitle: جولة في سوق القرية\nlang: ar\n---\n\n{OPENING}"
                          f"{' '.join(words[:count // 3])} {last}.\n", encoding="utf-8")
        with collect_warnings():
            document = build.typeset_article(build.context(source, project, layout=layout),
                                             build.load(source))
        (mark,) = _marks(document)
        if not _text(mark).strip():
            alone.append(count)
    assert alone == []
