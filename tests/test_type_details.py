"""Type details an art director checks (issue 13, point 5): a colon lead-in kept with what it
introduces, no display line ending on a function word, Latin in display text in one face, English
footnote calls raised, a weekday kept with its day's number."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from pressroom import build
from pressroom.check.verify import PdfReport
from pressroom.layout import render, weasy
from pressroom.layout.weasy import page_box
from pressroom.report import collect_warnings

from .boxes import find, text_of, walk
from .conftest import FIXTURES

#: Written after the code, never tuned on: a cycling trip through the Western Desert, its title and
#: deck full of places after prepositions and a team's Latin name, a colon before a quote, a list
#: and a table of days ("الأربعاء 12") in four narrow columns, captions, a footnote, a pull quote.
OASIS = FIXTURES / "oasis-road.md"

_FILLER = ("ونظرت المحكمة في الطعن المقدم من الشركة على الحكم الابتدائي، وراجعت المستندات التي "
           "قدمها الطرفان خلال الجلسات الماضية، واستمعت إلى مرافعة الدفاع.")
#: What a colon paragraph introduces, in Markdown, the tag of the block it becomes, and whether
#: WeasyPrint alone parts the two in the article of the test (a list it keeps with the paragraph
#: before it there).
_INTRODUCED = {
    "quote": ("> إن العقد المبرم بين الطرفين باطل لأنه خالف النظام العام، ولا يجوز الاحتجاج به.",
              "blockquote", True),
    "list": ("- أن العقد باطل منذ توقيعه.\n- أن الشركة تتحمل المصاريف كلها.\n- أن الحكم نهائي.",
             "ul", False),
    "table": ("| البند | المبلغ |\n|---|---|\n| تعويض الشركة | 120 ألف |\n| المصاريف | 15 ألف |",
              "table", True),
}


def _stages(source, project, html_change=None, layout: str = "magazine"):
    ctx = build.context(source, project, layout=layout)
    article = build.load(source)
    resolved = build.resolve_images(ctx, article)
    html = build.render_html(ctx, article, resolved)
    if html_change:
        html = html_change(html)
    with collect_warnings():
        return html, build.lay_out(ctx, article, html, resolved)


def _where(document, text: str, tag: str) -> list[tuple[int, int]]:
    """(column's number in flow order, block's index in it) of each part of the body block of
    ``tag`` holding ``text``."""
    return [(c, b) for c, column in enumerate(weasy.columns(document))
            for b, block in enumerate(column.blocks)
            if block.tag == tag and any(text in line.text for line in block.lines)]


def _unmarked(html: str) -> str:
    return html.replace(' class="lead-in introduces"', "").replace(' class="introduces"', "")


@pytest.mark.parametrize("kind", _INTRODUCED)
def test_a_colon_lead_in_stays_with_what_it_introduces(workspace, write_article, kind):
    """A short article whose two columns are balanced: left to WeasyPrint, the break between
    them fell right after "…قالت المحكمة:", the quote or list it introduces heading the next
    column; marked (render.introduces), the paragraph goes with it."""
    block, tag, parted = _INTRODUCED[kind]
    source = write_article("\n\n".join([_FILLER, _FILLER, "وفي ختام الجلسة قالت المحكمة:", block,
                                        _FILLER, _FILLER]))
    html, document = _stages(source, workspace)
    # a lead-in for the figure placement before a quote or a table (render.kept_introductions)
    assert ('<p class="lead-in introduces"' in html) == (tag != "ul")
    assert re.search(r'<p class="(lead-in )?introduces"', html)
    first = block.lstrip(">- ").split()[1]
    (colon,) = _where(document, "المحكمة:", "p")
    introduced = _where(document, first, tag)
    assert introduced and introduced[0] == (colon[0], colon[1] + 1), (colon, introduced)
    # the case is real: unmarked, the column break parts them
    _, loose = _stages(source, workspace, _unmarked)
    (colon,) = _where(loose, "المحكمة:", "p")
    assert (_where(loose, first, tag)[0][0] == colon[0] + 1) == parted


def test_an_interview_question_and_its_answer_are_set_flush(workspace, write_article):
    """A question (a paragraph wholly in bold) is set flush as a sub-heading is, and so is the
    first paragraph of its answer; the answer's next paragraph is indented, and so is a
    paragraph ending in a colon (marked a lead-in too, before a quote): an interview's questions
    were indented after an answer and flush after a photo or a list."""
    source = write_article("\n\n".join([_FILLER, "**وكيف بدأت الفكرة؟**", _FILLER, _FILLER,
                                        "وقالت المحكمة:", _INTRODUCED["quote"][0], _FILLER]))
    html, document = _stages(source, workspace)
    indents: dict[str, bool] = {}
    for column in weasy.columns(document):
        for block in column.blocks:
            if block.tag == "p" and block.attributes.get("data-b") not in indents:
                indents[block.attributes["data-b"]] = "data-i" in block.attributes
    marks = [indents[k] for k in sorted(indents, key=int)]
    # filler, question, its answer, the answer's next paragraph, the colon, (quote), filler
    assert marks == [False, False, False, True, True, False], marks
    assert '<p class="lead-in">' in html and '<p class="lead-in introduces"' in html


def test_only_a_paragraph_ending_in_a_colon_introduces():
    from pressroom.model import Paragraph, Quote

    assert render.introduces(Paragraph("قالت المحكمة:", ""))
    assert render.introduces(Paragraph('He said: "as follows:"', ""))
    assert not render.introduces(Paragraph("الساعة 10:30 صباحا.", ""))
    assert not render.introduces(Quote("قالت المحكمة:", ""))


def test_function_words_are_bound_to_the_next_word():
    kept = render.keep_particles("رحلة من سيوة إلى واحة الفرافرة مع الدليل", "ar")
    assert kept == ("رحلة من " + render.WORD_JOINER + "سيوة إلى " + render.WORD_JOINER
                    + "واحة الفرافرة مع " + render.WORD_JOINER + "الدليل")
    assert render.release_last_words(str(kept)) == "رحلة من سيوة إلى واحة الفرافرة مع الدليل"
    english = render.keep_particles("Notes from the Nile, and of Cairo", "en")
    joiner = render.WORD_JOINER
    assert english == f"Notes from {joiner}the {joiner}Nile, and {joiner}of {joiner}Cairo"
    # an English word in an Arabic text, an Arabic one in an English text: left alone
    assert render.WORD_JOINER not in render.keep_particles("كتاب Notes of a Son", "ar")
    assert render.keep_particles("Kitab من البحر", "en") == "Kitab من البحر"
    # a word inside a tag, an opening bracket or guillemet before it
    html = Markup("قال <em>في</em> بيته «من أين» (على الطريق)")
    assert str(render.keep_particles(html, "ar")).count(render.WORD_JOINER) == 3


def test_the_last_two_words_of_a_run_in_the_other_direction_are_not_cut():
    """"فريق Desert Riders": bidi.py makes the Latin words one left-to-right span; a joiner after
    their space cut it in two spans, drawn in the Arabic order, "Riders Desert"."""
    assert render.WORD_JOINER not in render.keep_last_words("مراجعة فريق Desert Riders", "ar")
    assert render.WORD_JOINER not in render.keep_last_words("Notes on القاهرة الجديدة", "en")[-20:]
    assert render.keep_last_words("عنوان بين 2008–2014", "ar").count(render.WORD_JOINER) == 1


def _line_ends(document, cls: str | None = None, tag: str | None = None) -> list[str]:
    ends = []
    for page in document.pages:
        for block in find(page, tag=tag, cls=cls):
            for line in (b for b in walk(block) if type(b).__name__ == "LineBox"):
                words = re.sub("[\u2060\u061c\u200b]", "", text_of(line)).split()
                if words:
                    ends.append(words[-1])
    return ends


@pytest.fixture(scope="module")
def oasis(project):
    return _stages(OASIS, project)


def test_no_display_line_ends_on_a_function_word(oasis):
    """Title, deck, headings and captions of the fixture: no line ends on "من" "إلى" "في" "مع"
    "عبر"…"""
    _, document = oasis
    particles = render.PARTICLES["ar"]
    for cls, tag in [("title", None), ("deck", None), (None, "h2"), (None, "figcaption")]:
        ends = _line_ends(document, cls, tag)
        assert ends and not set(ends) & particles, (cls, tag, ends)


def test_a_title_and_a_deck_that_ended_lines_on_a_preposition(workspace, write_article):
    """Left to WeasyPrint, this title ended its second line on "عبر" and the deck its first on
    "من", the place they lead to at the start of the next line."""
    title = "عودة القوافل إلى طريق الملح القديم بين سيوة والفرافرة عبر بحر الرمال"
    source = write_article("نص.", title=title, deck=f"{title} وما بعدها في رحلة طويلة مع دليل من أهل الواحة")
    particles = render.PARTICLES["ar"]
    _, loose = _stages(source, workspace, render.release_last_words)
    assert set(_line_ends(loose, "title")) & particles and set(_line_ends(loose, "deck")) & particles
    _, kept = _stages(source, workspace)
    assert not set(_line_ends(kept, "title") + _line_ends(kept, "deck")) & particles
    assert weasy.overfull_lines(kept, render.KEPT_BLOCKS) == []


def test_bound_words_read_with_a_plain_space(oasis, tmp_path, project):
    """The joiner is invisible to readers: the title's words are extracted with a space between
    them, as the source has them."""
    pdf = tmp_path / "oasis.pdf"
    build.build(OASIS, pdf, project=project)
    texts = PdfReport(pdf).texts()
    for reader in ("pdfium", "pypdf"):
        page = re.sub("[\u200e\u200f\u202a-\u202e\u061c\u2060]", "", texts[reader][0])
        assert "من سيوة" in " ".join(page.split()) or "سيوة من" in " ".join(page.split()), reader
        assert "\u2060" not in texts[reader][0]


def test_latin_in_the_display_face_is_one_face_of_the_line_s_weight(oasis, tmp_path, project):
    """"Desert Riders" in a Kufi title: Noto Kufi has no Latin letters, and the choice is Amiri,
    in the title's weight (Amiri Bold), for the whole run (fonts/README.md: Noto Sans was tried and
    left out for the text layer); no face other than fonts/' is used."""
    pdf = tmp_path / "oasis.pdf"
    build.build(OASIS, pdf, project=project)
    families = {f.family for f in PdfReport(pdf).fonts().values()}
    assert {"Noto-Kufi-Arabic-Bold", "Amiri-Bold"} <= families, families
    _, document = oasis
    (title,) = find(document.pages[0], cls="title")
    latin = [b for b in walk(title) if type(b).__name__ == "TextBox" and re.search("[A-Za-z]", b.text)]
    assert latin and all(b.style["font_weight"] == 700 for b in latin)


def test_english_footnote_calls_are_raised_as_superscripts(workspace, write_article):
    """In an English article the call's figure rises to the capitals (its foot near the
    x-height); in an Arabic one it keeps its place."""
    raised = {}
    for lang, text in (("en", "The court ruled[^1] on the appeal."), ("ar", "قالت المحكمة[^1] كلمتها.")):
        source = write_article(f"{text}\n\n[^1]: Note.", name=f"{lang}.md", lang=lang, title="T")
        _, document = _stages(source, workspace)
        for page in document.pages:
            for line in (b for b in walk(page_box(page)) if type(b).__name__ == "LineBox"):
                calls = [b for b in walk(line) if type(b).__name__ == "TextBox"
                         and (b.element_tag or "").endswith("::footnote-call")]
                words = [b for b in walk(line) if type(b).__name__ == "TextBox" and b not in calls]
                if calls and words:
                    size = words[0].style["font_size"]
                    raised[lang] = (words[0].baseline + words[0].position_y
                                    - calls[0].baseline - calls[0].position_y) / size
    # Amiri's figures are 0.63 em tall, its capitals 0.65: the English call (0.7 em) reaches above
    # the capitals; the Arabic call keeps its place (its top below Arabic ascenders)
    assert raised["en"] + 0.7 * 0.627 > 0.646 + 0.05, raised
    assert raised["ar"] + 0.7 * 0.627 < 0.646, raised
    assert raised["en"] >= 1.8 * raised["ar"], raised


def test_a_weekday_keeps_its_day_in_a_narrow_cell(oasis, project):
    """The fixture's table of days in four narrow columns: "الأربعاء 12" on one line of its cell;
    without the joiner, a weekday was set above its number."""
    def days(document) -> list[str]:
        found = []
        for page in document.pages:
            for cell in find(page, tag="td"):
                lines = [re.sub("[\u2060\u061c]", "", text_of(b)).strip() for b in walk(cell)
                         if type(b).__name__ == "LineBox"]
                if any(day in "".join(lines) for day in ("الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")):
                    found.append(lines)
        return found

    html, document = oasis
    kept = days(document)
    assert len(kept) == 5 and all(len(lines) == 1 for lines in kept), kept
    narrow = re.sub(r"(<table[^>]*)>", r'\1 style="width: 40%">', html)
    _, loose = _stages(OASIS, project, lambda h: re.sub(r"(<table[^>]*)>", r'\1 style="width: 40%">',
                                                      h.replace("\u2060", "")))
    assert any(len(lines) > 1 for lines in days(loose))
    _, tight = _stages(OASIS, project, lambda h: narrow)
    assert all(len(lines) == 1 for lines in days(tight))
