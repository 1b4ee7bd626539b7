"""The WeasyPrint/pydyf shapes pressroom relies on (pressroom/weasy.py), one test per accessor:
after a WeasyPrint upgrade, the failures here are the list of broken assumptions."""

from __future__ import annotations

import base64
import inspect
import io
import itertools
import logging
import os
import re
from types import SimpleNamespace

import pydyf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from pressroom import build
from pressroom.layout import typeset, weasy
from pressroom.layout.weasy import WeasyPrintContractError
from pressroom.pdf import fontdates
from pressroom.project import Project

from . import boxes
from .conftest import ROOT

FONTS = ROOT / "fonts"


def _html(body: str, css: str = "") -> str:
    return (f"<html lang='ar' dir='rtl'><head><style>@page {{ size: A5; margin: 1cm }} "
            f"body {{ font-family: Amiri; font-size: 12pt }} {css}</style></head>"
            f"<body>{body}</body></html>")


def _layout(body: str, css: str = "") -> weasy.Document:
    fetcher = typeset.SandboxFetcher((FONTS.resolve(),))
    return typeset.layout(_html(body, css), FONTS, FONTS, fetcher)


def _written(document: weasy.Document, look) -> bytes:
    """Write the document, calling ``look(document, pdf)`` where finishing would run, then taking
    the clock out of its fonts as every build does (without libharfbuzz-subset0, fontTools
    stamps each subset's head.modified: two writes of one layout differed by that alone)."""
    def finish(document: weasy.Document, pdf) -> None:
        if look is not None:
            look(document, pdf)
        fontdates.remove_clock(pdf)

    return typeset.to_pdf(document, finish)


SAMPLE = "<p>السلام عليكم ورحمة الله، عام 2019 في <b>كازاخستان</b>.</p>"


def test_isolated_font_config_sees_only_our_fonts_and_leaves_the_environment():
    before = {k: os.environ.get(k) for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")}
    seen = []
    with weasy.isolated_font_config(FONTS) as config:
        assert {k: os.environ.get(k) for k in before} == before
        assert isinstance(config, weasy.FontConfiguration)
        document = weasy.HTML(string="<p style='font-family: DejaVu Sans, sans-serif'>abc سلام</p>"
                              ).render(font_config=config)
        _written(document, lambda doc, pdf: seen.extend(weasy.document_fonts(doc)))
    families = {name.split(b"+")[1].split(b"-")[0] for name in seen}
    assert families and families <= {b"Amiri", b"Noto"}, families


def test_font_configuration_init_is_what_the_isolated_one_mirrors():
    assert set(weasy._init_assignments()) == set(weasy.FONT_CONFIGURATION_FIELDS)


def test_page_box():
    document = _layout(SAMPLE)
    assert type(weasy.page_box(document.pages[0])).__name__ == "PageBox"
    with pytest.raises(WeasyPrintContractError, match=r"Page\._page_box: expected a PageBox"):
        weasy.page_box(object())


def test_walk_and_children_reach_the_text_in_document_order():
    document = _layout("<p>أول</p><p>ثان</p>")
    texts = [box.text for box in weasy.walk(weasy.page_box(document.pages[0]))
             if type(box).__name__ == "TextBox"]
    assert texts == ["أول", "ثان"]
    with pytest.raises(WeasyPrintContractError, match=r"boxes\.Box: expected a box"):
        list(weasy.walk("not a box"))


def test_walk_sees_through_absolute_placeholders():
    document = _layout("<div style='position: relative; height: 2cm'>"
                       "<p style='position: absolute; top: 0'>مطلق</p></div><p>تال</p>")
    texts = [box.text for box in weasy.walk(weasy.page_box(document.pages[0]))
             if type(box).__name__ == "TextBox"]
    assert texts == ["مطلق", "تال"]


def test_placed_images_in_inches():
    buffer = io.BytesIO()
    Image.new("RGB", (96, 48), "red").save(buffer, "PNG")
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    document = _layout(f"<p>صورة</p><img src='{src}' style='width: 2in'>")
    assert weasy.placed_images(document) == [(src, pytest.approx(2.0), pytest.approx(1.0))]


def test_realign_rtl_justified_lines():
    """The shift the fix undoes is still there, and the fix still closes it: no run of a
    justified right-to-left line starts left of the line (WeasyPrint 70 put the last run of a
    line that ends where an inline element begins one space past the left edge)."""
    words = " ".join(["كلمة", "طويلة", "جدا"] * 6)
    body = "".join(f"<p>{words[:len(words) - i * 3]} <b>مرة {i}</b> {words}</p>" for i in range(12))
    css = "p { text-align: justify; width: 7cm }"

    def overshoots(document) -> list[float]:
        found = []
        for page in document.pages:
            for line in weasy.walk(weasy.page_box(page)):
                if type(line).__name__ == "LineBox" and line.children:
                    overshoot = line.position_x - min(child.position_x for child in line.children)
                    if overshoot > 0.01:
                        found.append(overshoot)
        return found

    with weasy.isolated_font_config(FONTS) as config:
        plain = weasy.HTML(string=_html(body, css)).render(font_config=config)
    assert overshoots(plain), "WeasyPrint no longer shifts such lines: the fix can go"
    fixed = _layout(body, css)  # typeset.layout applies the fix
    assert overshoots(fixed) == []


def test_share_heading_baselines():
    """A heading cell set on the row's foot whose line holds a glyph its face lacks (drawn by
    the fallback face) still ends a pixel above its neighbours, and the fix still puts it on
    their baseline."""
    body = "<table><tr><th>المنطقة</th><th>المساحة (م²)</th><th>التغير</th></tr><tr><td>1</td></tr></table>"
    css = "th { font-family: 'Noto Kufi Arabic', Amiri; vertical-align: bottom }"

    def baselines(document) -> set[float]:
        cells = [b for page in document.pages for b in weasy.walk(weasy.page_box(page))
                 if type(b).__name__ == "TableCellBox" and b.element_tag == "th"]
        return {round(line.position_y + line.baseline, 2) for cell in cells
                for line in [[b for b in weasy.walk(cell) if type(b).__name__ == "LineBox"][-1]]}

    with weasy.isolated_font_config(FONTS) as config:
        plain = weasy.HTML(string=_html(body, css)).render(font_config=config)
    assert len(baselines(plain)) > 1, "WeasyPrint now sets such cells on one baseline: the fix can go"
    assert len(baselines(_layout(body, css))) == 1


def test_character_lefts_place_each_character_as_drawn():
    """An Arabic word right to left, a number and a left-to-right span left to right, inside the
    box's own extent; the layout dropped again afterwards, as WeasyPrint leaves it."""
    document = _layout("<p>سلام 2019 <span dir='ltr'>+961 1 345</span></p>")
    boxes = [b for b in weasy.walk(weasy.page_box(document.pages[0])) if type(b).__name__ == "TextBox"]
    placed = {box.text: weasy.character_lefts(box) for box in boxes}
    arabic = placed["سلام 2019 "]
    assert "".join(char for char, _ in arabic) == "سلام 2019 "
    xs = dict(arabic)
    assert xs["س"] > xs["ل"] > xs["ا"] > xs["م"] > xs["2"] and xs["2"] < xs["0"] < xs["9"]
    phone = weasy.character_lefts(next(b for b in boxes if b.text == "+961 1 345"))
    assert [x for _, x in phone] == sorted(x for _, x in phone)
    for box in boxes:
        assert all(box.position_x - 0.01 <= x < box.position_x + box.width for _, x in placed[box.text])
        assert getattr(box.pango_layout, "layout", None) is None
    with pytest.raises(WeasyPrintContractError, match=r"boxes\.TextBox: expected a text box"):
        weasy.character_lefts(weasy.page_box(document.pages[0]))


def test_justified_text_is_drawn_as_wide_as_it_was_laid_out():
    """A justified box holding a space Amiri kerns ("درجة كل": the initial kaf over the space)
    is drawn as wide as WeasyPrint laid it out; WeasyPrint's own reactivate draws it wider (the
    kerning lost when Pango shapes each justified word alone), until an upgrade mends it."""
    words = "درجة كل عقد منذ سنوات طويلة، وهامشه كاملاً بين درجة كل صيف وآخر وكل عام تقريباً "
    document = _layout(f"<p style='text-align: justify'>{words * 4}</p>")

    def drawn_width(box, reactivate) -> float:
        reactivate(box.pango_layout, box.style)
        try:
            return sum(info.geometry.width for info, _ in weasy._glyphs(box.pango_layout)) / 1024
        finally:
            box.pango_layout.deactivate()

    boxes = [b for b in weasy.walk(weasy.page_box(document.pages[0]))
             if type(b).__name__ == "TextBox" and b.justification_spacing > 0 and "ة كل" in b.text]
    assert boxes
    for box in boxes:
        assert drawn_width(box, weasy._reactivate) == pytest.approx(box.width, abs=0.05)
    assert any(drawn_width(box, weasy._REACTIVATE) > box.width + 1 for box in boxes), \
        "WeasyPrint now draws justified text with its kerning: the fix can go"
    assert weasy._line_break.Layout.reactivate is weasy._reactivate


def test_joiners_are_found_where_their_empty_glyphs_are_drawn():
    """Each zero-width non-joiner and joiner of a page: its page, its baseline, and the left edge
    of the empty glyph Pango gives it, between the letters it parts (right to left: the left
    edge of the letter before it); a page without one has no entry."""
    document = _layout("<p>می‌گوید</p><p>سلام 2019</p><p>a\u200db</p>")
    found = weasy.joiners(document)
    assert list(found) == [0] and [char for _, _, char in found[0]] == ["\u200c", "\u200d"]
    boxes = [b for b in weasy.walk(weasy.page_box(document.pages[0])) if type(b).__name__ == "TextBox"]
    word = next(box for box in boxes if box.text == "می‌گوید")
    x, y, _ = found[0][0]
    assert y == pytest.approx(word.position_y + word.baseline)
    lefts = weasy.character_lefts(word)
    assert x == pytest.approx(lefts[1][1]) and lefts[3][1] < x < lefts[0][1]
    assert weasy.joiners(_layout("<p>سلام 2019</p>")) == {}


def test_document_fonts_inside_a_finisher():
    found = {}
    _written(_layout(SAMPLE), lambda doc, pdf: found.update(weasy.document_fonts(doc)))
    amiri = [font for name, font in found.items() if b"Amiri" in name]
    assert len(amiri) == 2, found.keys()  # regular and bold
    for font in amiri:
        assert font.name.startswith(b"/") and not font.bitmap and font.index == 0
        assert TTFont(io.BytesIO(font.data))["head"].unitsPerEm > 0
    assert "ك" in "".join(text for font in amiri for text in font.to_unicode.values())
    with pytest.raises(WeasyPrintContractError, match=r"pdf\.fonts\.Font: no attribute"):
        weasy.document_fonts(SimpleNamespace(fonts={"x": object()}))
    with pytest.raises(WeasyPrintContractError, match=r"Document\.fonts: expected a dict"):
        weasy.document_fonts(object())


def test_type0_font_is_a_font_weasyprint_drew_with():
    found = []

    def look(doc, pdf):
        fonts = weasy.document_fonts(doc)
        found.extend(weasy.type0_font(fonts, obj) for obj in pdf.objects
                     if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Type0")

    _written(_layout(SAMPLE), look)
    assert len(found) >= 2 and all(isinstance(weasy.object_number(ref), int) for _, ref in found)
    stranger = pydyf.Dictionary({"Subtype": "/Type0", "BaseFont": b"/ABCDEF+Other"})
    with pytest.raises(WeasyPrintContractError, match=r"Type0 BaseFont is a Document\.fonts name"):
        weasy.type0_font({}, stranger)


def test_font_resource_name_is_what_the_pages_use():
    names: dict[bytes, set] = {}

    def look(doc, pdf):
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Type0":
                names["type0"] = names.get("type0", set()) | {weasy.font_resource_name(obj["BaseFont"])}
        for stream in weasy.content_streams(pdf):
            names["tf"] = names.get("tf", set()) | {
                weasy.tf_resource(line) for line in stream.stream} - {None}

    _written(_layout(SAMPLE), look)
    assert names["type0"] and names["type0"] == names["tf"]
    with pytest.raises(WeasyPrintContractError, match=r"Type0 BaseFont: expected /HASH\+Name"):
        weasy.font_resource_name(b"/Amiri-Regular")


def test_content_stream_operators():
    seen: dict[str, int] = {"TJ": 0, "Tf": 0}

    def look(doc, pdf):
        for stream in weasy.content_streams(pdf):
            for line in stream.stream:
                seen["TJ"] += weasy.tj_operand(line) is not None
                seen["Tf"] += weasy.tf_resource(line) is not None

    _written(_layout(SAMPLE), look)
    assert seen["TJ"] > 0 and seen["Tf"] > 0
    assert weasy.tj_operand(b"[<0001> -20 <0002>] TJ") == b"<0001> -20 <0002>"
    assert weasy.tf_resource(b"/ABCDEF 12 Tf") == b"ABCDEF"
    assert weasy.is_text_rise(b"2.5 Ts") and not weasy.is_text_rise(b"BT")
    assert weasy.tj_operand(b"BT") is None and weasy.tf_resource(b"ET") is None
    with pytest.raises(WeasyPrintContractError, match=r"content stream TJ"):
        weasy.tj_operand(b"<0001>] TJ")
    with pytest.raises(WeasyPrintContractError, match=r"content stream Tf"):
        weasy.tf_resource(b"12 Tf")


def test_references_resolve_to_their_objects():
    resolved = []

    def look(doc, pdf):
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Type0":
                resolved.append(weasy.resolve(pdf, obj["ToUnicode"]))
        resolved.append(weasy.resolve(pdf, "/Identity-H"))

    _written(_layout(SAMPLE), look)
    assert all(isinstance(stream, pydyf.Stream) for stream in resolved[:-1]) and resolved[-1] == "/Identity-H"
    assert weasy.object_number(b"12 0 R") == 12
    with pytest.raises(WeasyPrintContractError, match=r"pydyf reference: expected b'N 0 R'"):
        weasy.object_number(b"12 1 R")
    with pytest.raises(WeasyPrintContractError, match=r"pydyf\.PDF\.objects\[N\]"):
        weasy.resolve(pydyf.PDF(), b"99 0 R")


def test_srgb_profile():
    profile = weasy.srgb_profile()
    assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB "


def test_log_messages_and_loggers():
    weasy.check_loggers()
    steps = []

    class Listen(logging.Handler):
        def emit(self, record):
            steps.append(weasy.progress(record))

    logger = logging.getLogger(weasy.PROGRESS_LOGGER_NAME)
    handler, level = Listen(level=logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        _written(_layout("<p>أ</p><p style='break-before: page'>ب</p>"), None)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert ("page", 1) in steps and ("page", 2) in steps and ("pdf", 0) in steps
    # the HarfBuzz note pressroom turns into -v output is still WeasyPrint's wording
    import inspect

    from weasyprint.pdf import fonts

    record = logging.LogRecord("weasyprint", logging.WARNING, "", 0, "Using fontTools %s", (), None)
    assert not weasy.is_environment_note(record)
    assert weasy._ENVIRONMENT_NOTE in inspect.getsource(fonts)


def test_css_warnings_give_a_position_and_the_stylesheet_being_parsed(tmp_path):
    sheet = tmp_path / "look.css"
    sheet.write_text("p {\n  color: reddish;\n}\nh1 { font-size: var(--big); }\n:root { --big: 3zz; }\n")
    heard = []

    def hear(record):
        if record.levelno >= logging.WARNING:
            heard.append((record.getMessage(), weasy.css_position(record), weasy.css_warning_url()))
        return False

    from pressroom.report import listen

    with listen(hear):
        weasy.HTML(string="<link rel=stylesheet href=look.css><h1>x</h1><p>y</p>",
                   base_url=tmp_path.as_uri() + "/").render()
    parsed, substituted = heard
    # a declaration WeasyPrint drops while parsing: its position, and the sheet's URL on the stack
    assert parsed == ("Ignored `color: reddish` at 2:3, invalid value.", (2, 3), sheet.as_uri())
    # a var() found invalid while styles are computed: the position of the var(), no sheet
    assert substituted == ("Ignored `font-size: 3zz` at 4:17, invalid value.", (4, 17), None)


def test_xmp_packet_of_a_variant():
    packets = []

    def look(doc, pdf):
        packets.append(b"".join(line if isinstance(line, bytes) else str(line).encode()
                                for line in weasy.xmp_packet(pdf).stream))

    document = _layout(SAMPLE)
    document.metadata.modified = "2019-10-01T00:00:00Z"  # PDF/X-4 wants a date
    typeset.to_pdf(document, look, pdf_variant="pdf/x-4")
    # finish.finish_xmp replaces PDF/X-4's random document ID and inserts before </rdf:RDF>
    assert re.search(rb"xmp\.did:[0-9a-f-]{36}", packets[0]) and b"</rdf:RDF>" in packets[0]
    with pytest.raises(WeasyPrintContractError, match=r"PDF catalog /Metadata: no XMP packet"):
        typeset.to_pdf(_layout(SAMPLE), lambda doc, pdf: weasy.xmp_packet(pdf))


def test_columns_give_each_column_its_blocks_lines_and_baselines():
    body = "".join(f"<p data-b='{i}'>{'سطر من النص العربي في عمود ' * 12}</p>" for i in range(8))
    document = _layout(f"<div style='columns: 2; column-gap: 1cm'>{body}</div>",
                       "p { margin: 0; line-height: 20px }")
    found = weasy.columns(document)
    assert len(found) >= 2 and {c.page for c in found} >= {0}
    first, second = found[0], found[1]
    assert first.top == second.top and first.bottom > first.top
    line = first.blocks[0].lines
    assert [round(b.baseline - a.baseline, 3) for a, b in itertools.pairwise(line)] \
        == [20.0] * (len(line) - 1)
    assert all(a.top <= a.baseline <= a.bottom for a in line)
    assert first.blocks[0].attributes["data-b"] == "0" and first.blocks[0].tag == "p"
    assert "سطر" in line[0].text
    assert second.blocks[0].attributes["data-b"] != "0" or len(first.blocks) == 1
    with pytest.raises(WeasyPrintContractError, match=r"Page\._page_box"):
        weasy.columns(SimpleNamespace(pages=[object()]))


def test_a_list_items_marker_is_no_line_of_its_own():
    """A marker set as an inline-block (the layouts' ``li::before``) holds a line box of its own
    inside the item's line, and an outside ``::marker`` is a block beside it: neither is a line
    (they counted each list line twice in every line measure of figures.py and the checks)."""
    items = "".join(f"<li>{'بند من القائمة ' * n}</li>" for n in (1, 2, 12))
    css = ("p, ul, ol { margin: 0; line-height: 20px } li { line-height: 20px }"
           " ul { list-style: none } ul > li::before { content: '•'; display: inline-block;"
           " width: 1.6em }")
    document = _layout(f"<div style='columns: 2'><ul>{items}</ul><ol>{items}</ol></div>", css)
    blocks = {b.tag: b for column in weasy.columns(document) for b in column.blocks}
    for tag in ("ul", "ol"):
        lines = blocks[tag].lines
        height = blocks[tag].border_bottom - blocks[tag].border_top
        assert len(lines) == round(height / 20), (tag, [line.text for line in lines])
        assert len({line.top for line in lines}) == len(lines), tag
    assert blocks["ul"].lines[0].text.startswith("•")


def test_spanning_blocks_between_columns_with_the_page_area_above_footnotes():
    text = "سطر من النص العربي في عمود " * 10
    body = (f"<div style='columns: 2'><p data-b='0'>{text}<span class='note'>حاشية</span></p></div>"
            "<figure data-b='1' style='height: 3cm; margin: 0'></figure>"
            f"<div style='columns: 2'><p data-b='2'>{text}</p></div>")
    document = _layout(body, "p { margin: 0 } .note { float: footnote }")
    (span,) = weasy.spanning(document, "data-b")
    assert span.page == 0 and span.block.tag == "figure" and span.block.attributes["data-b"] == "1"
    assert span.block.border_bottom - span.block.border_top == pytest.approx(3 * 96 / 2.54, abs=0.5)
    box = weasy.page_box(document.pages[0])
    assert span.top == pytest.approx(box.content_box_y())
    assert span.bottom < box.content_box_y() + box.height  # the footnote area is taken off
    assert {b.attributes["data-b"] for c in weasy.columns(document) for b in c.blocks} == {"0", "2"}


def test_wide_tables_name_each_table_reaching_past_the_block_that_holds_it():
    cells = "".join(f"<td style='white-space: nowrap'>{n:,}</td>" for n in range(10**8, 10**8 + 8))
    wide = f"<table><tr>{cells}</tr></table>"
    narrow = "<table><tr><td>١</td><td>٢</td></tr></table>"
    document = _layout(f"<div style='columns: 2'>{narrow}<p>نص</p>{wide}</div>{narrow}")
    (found,) = weasy.wide_tables(document)
    assert found.page == 0 and found.index == 1 and found.excess > 50
    assert weasy.wide_tables(_layout(narrow + narrow)) == []


def test_placed_figures_give_the_photo_and_the_sheet():
    pixel = base64.b64encode(_png()).decode()
    document = _layout(f"<figure class='x' style='margin: 0'><img src='data:image/png;base64,{pixel}' "
                       "style='display: block; width: 4cm; height: 2cm; margin-left: -1cm'></figure>")
    (found,) = weasy.placed_figures(document)
    box = weasy.page_box(document.pages[0])
    left, top, right, bottom = found.photo
    assert found.attributes["class"] == "x" and found.page == 0
    assert right - left == pytest.approx(4 * 96 / 2.54, abs=0.5)
    assert bottom - top == pytest.approx(2 * 96 / 2.54, abs=0.5)
    assert found.sheet == (box.position_x, box.position_y, box.position_x + box.margin_width(),
                           box.position_y + box.margin_height())
    assert found.pixels == (4, 2)  # the image's own size (figures.lifted grows no photo past it)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 2), "red").save(out, "PNG")
    return out.getvalue()


def _loads(name: str | None) -> bool:
    """True when the shared library ``name`` is there and loads (a machine may list one in its
    linker cache that is not there any more)."""
    import ctypes

    if name is None:
        return False
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def test_harfbuzz_subsetter_presence(monkeypatch):
    import ctypes.util

    from weasyprint.text import ffi

    assert weasy.has_harfbuzz_subsetter() == _loads(ctypes.util.find_library("harfbuzz-subset"))
    monkeypatch.delattr(ffi, "harfbuzz_subset")
    with pytest.raises(WeasyPrintContractError, match=r"weasyprint\.text\.ffi\.harfbuzz_subset"):
        weasy.has_harfbuzz_subsetter()


def test_justified_lines_and_the_justify_property():
    """Widened lines with their page, baseline and ends, as the content stream's Tm has them; the
    last line of a paragraph is said to be one; ``--justify`` is read where it is set."""
    text = "السلام عليكم ورحمة الله وبركاته " * 12
    css = "p { text-align: justify; width: 9cm } .spaces { --justify: spaces }"
    document = _layout(f"<p>{text}</p><p class='spaces'>{text}</p><p style='text-align: start'>{text}</p>",
                       css)
    lines = weasy.justified_lines(document)
    assert lines and all(line.direction == "rtl" and line.spacing > 0 for line in lines)
    assert {line.justify for line in lines} == {"", "spaces"}
    assert not any(line.last for line in lines)  # a paragraph's last line is not justified
    positions: set[tuple[float, float]] = set()

    def look(doc, pdf):
        for number, stream in enumerate(weasy.page_streams(pdf)):
            for line in stream.stream:
                moved = weasy.text_matrix_position(line)
                if moved is not None:
                    positions.add((number, round(moved[1], 3)))

    _written(document, look)
    assert {(line.page, round(line.baseline, 3)) for line in lines} <= positions
    lasts = weasy.justified_lines(_layout(f"<p style='text-align-last: justify'>{text}</p>", css))
    assert [line.last for line in lasts] == [False] * (len(lasts) - 1) + [True]


def test_custom_property_font_size_and_moved_text_matrix():
    assert weasy.custom_property({}, "justify") == ""
    with pytest.raises(WeasyPrintContractError, match=r"style\['--justify'\]"):
        weasy.custom_property({"__justify": "kashida"}, "justify")
    assert weasy.font_size(b"/ABCDEF 14 Tf") == 14.0
    assert weasy.moved_text_matrix(b"1 0 0 -1 402.5 757.75 Tm", 2.25) == b"1 0 0 -1 404.75 757.75 Tm"
    with pytest.raises(WeasyPrintContractError, match=r"content stream Tm"):
        weasy.moved_text_matrix(b"402.5 757.75 Tm", 1)
    with pytest.raises(WeasyPrintContractError, match=r"Page /Contents"):
        pdf = pydyf.PDF()
        pdf.add_object(pydyf.Dictionary({"Type": "/Page", "Contents": pydyf.Array()}))
        weasy.page_streams(pdf)


# --- measured lines kept by the font configuration (weasy._split_first_line) ------------------

class _Reading(dict):
    """A computed style that notes every property read from it."""

    def __init__(self, style, seen: set[str]) -> None:
        super().__init__()
        self.style, self.seen, self.font_config = style, seen, style.font_config

    def __getitem__(self, name):
        self.seen.add(name)
        return self.style[name]

    def get(self, name, default=None):
        self.seen.add(name)
        return self.style.get(name, default)


#: Styles that take split_first_line down its every way: hyphenation (automatic and soft
#: hyphens), tabs, letter and word spacing, breaking inside words, decoration, features, a
#: language override, Latin and Arabic, narrow and wide boxes.
LINE_CASES = (
    ("<p lang='en' style='hyphens: auto; width: 2.2cm; font-family: Amiri'>"
     "Extraordinarily incomprehensible characteristically</p>"),
    "<p style='hyphens: manual; width: 1.5cm'>مستشفى\u00adالمدينة\u00adالكبيرة والعاملون فيه</p>",
    "<p style='white-space: pre-wrap; tab-size: 3; width: 3cm'>سلام\tعليكم\tورحمة الله وبركاته</p>",
    ("<p style='letter-spacing: 1px; word-spacing: 3px; text-decoration: underline; "
     "text-align: justify; width: 4cm'>" + "السلام عليكم ورحمة الله وبركاته " * 4 + "</p>"),
    ("<p style='overflow-wrap: anywhere; width: 1cm'>كلمةطويلةجداجدالاتنتهي</p>"
     "<p style='word-break: break-all; width: 1cm'>abcdefghijklmnopqrstu</p>"),
    ("<p style='font-feature-settings: \"liga\" 0; font-variant-numeric: oldstyle-nums; "
     "font-kerning: none; font-language-override: \"ARA\"; font-weight: bold; width: 3cm'>"
     "عام 2019 في كازاخستان ومعه <i>Latin words</i> كذلك</p>"),
    "<p style='white-space: nowrap'>سطر لا ينكسر أبدا مهما طال وطال وطال</p>",
)


def test_split_first_line_reads_only_the_line_style_properties(monkeypatch):
    """The answers are kept by these properties: split_first_line (WeasyPrint 70's and ours)
    must read no other, whichever way the text goes."""
    seen: set[str] = set()
    measure = weasy._measure_first_line
    calls = []

    def reading(text, style, *args, **kwargs):
        calls.append(text)
        return measure(text, _Reading(style, seen), *args, **kwargs)

    weasy.keep_words_before_inline_elements()  # WeasyPrint's layout calls ours (typeset.layout installs it)
    monkeypatch.setattr(weasy, "_measure_first_line", reading)
    for case in LINE_CASES:
        with weasy.isolated_font_config(FONTS) as config:  # a configuration of its own: all measured
            fetcher = typeset.SandboxFetcher((FONTS.resolve(),))
            weasy.HTML(string=_html(case), url_fetcher=fetcher).render(font_config=config)
    assert calls and {"hyphens", "hyphenate_limit_chars", "tab_size", "letter_spacing"} <= seen
    assert seen <= set(weasy.LINE_STYLE_PROPERTIES), seen - set(weasy.LINE_STYLE_PROPERTIES)


def test_measured_lines_are_kept_by_the_configuration_and_give_what_measuring_gives(monkeypatch):
    """A text at a width in a style is measured once per configuration; the layout and the PDF
    are those of a configuration that measured everything; each box gets its own Layout."""
    measured = []
    measure = weasy._measure_first_line
    monkeypatch.setattr(weasy, "_measure_first_line",
                        lambda text, *args, **kwargs: measured.append(text) or measure(text, *args, **kwargs))
    weasy.keep_words_before_inline_elements()
    body = "".join(LINE_CASES)
    with weasy.isolated_font_config(FONTS) as fresh:
        expected = _written(weasy.HTML(string=_html(body)).render(font_config=fresh), None)
    with weasy.isolated_font_config(FONTS) as config:
        first = weasy.HTML(string=_html(body)).render(font_config=config)
        count = len(measured)
        second = weasy.HTML(string=_html(body)).render(font_config=config)
        assert len(measured) == count  # nothing measured again
        assert _written(second, None) == _written(first, None) == expected
        layouts = [box.pango_layout for page in second.pages for box in weasy.walk(weasy.page_box(page))
                   if isinstance(box, weasy.boxes.TextBox)]
        assert layouts and len({id(layout) for layout in layouts}) == len(layouts)
        larger = weasy.HTML(string=_html(body, "p { font-size: 13pt }")).render(font_config=config)
        assert len(measured) > count  # another size: measured
        with weasy.isolated_font_config(FONTS) as other:
            assert _written(larger, None) == _written(
                weasy.HTML(string=_html(body, "p { font-size: 13pt }")).render(font_config=other), None)


def test_a_face_added_to_a_configuration_drops_the_lines_it_measured(tmp_path):
    """A family measured before an @font-face rule named it (with a fallback font) is measured
    again with the face once the rule comes: the layout of a configuration that had the face
    from the start."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "Amiri-Regular.ttf").write_bytes((FONTS / "Amiri-Regular.ttf").read_bytes())
    (tmp_path / "kufi.ttf").write_bytes((FONTS / "NotoKufiArabic-Regular.ttf").read_bytes())
    fetcher = typeset.SandboxFetcher((tmp_path.resolve(),))
    body = "<p style='font-family: Extra; width: 5cm'>" + "السلام عليكم ورحمة الله وبركاته " * 6 + "</p>"
    face = f"@font-face {{ font-family: Extra; src: url({(tmp_path / 'kufi.ttf').as_uri()}) }}"

    def widths(document) -> list[float]:
        return [round(box.width, 3) for page in document.pages
                for box in weasy.walk(weasy.page_box(page)) if isinstance(box, weasy.boxes.TextBox)]

    weasy.keep_words_before_inline_elements()
    with weasy.isolated_font_config(fonts) as config:
        before = widths(weasy.HTML(string=_html(body), url_fetcher=fetcher).render(font_config=config))
        after = widths(weasy.HTML(string=_html(body, face), url_fetcher=fetcher).render(font_config=config))
    with weasy.isolated_font_config(fonts) as fresh:
        expected = widths(weasy.HTML(string=_html(body, face), url_fetcher=fetcher).render(font_config=fresh))
    assert after == expected and after != before


def test_measured_lines_are_forgotten_past_their_budget_of_characters(monkeypatch):
    """A paragraph's keys grow with the square of its length: past the budget what was measured
    is forgotten, and measured again, to the same layout."""
    body = "<p style='width: 6cm'>" + "السلام عليكم ورحمة الله وبركاته " * 40 + "</p>"
    weasy.keep_words_before_inline_elements()
    with weasy.isolated_font_config(FONTS) as fresh:
        expected = _written(weasy.HTML(string=_html(body)).render(font_config=fresh), None)
        kept = fresh.pressroom_lines.characters
    assert kept > 0
    monkeypatch.setattr(weasy, "LINE_CACHE_CHARACTERS", kept // 3)
    with weasy.isolated_font_config(FONTS) as config:
        first = _written(weasy.HTML(string=_html(body)).render(font_config=config), None)
        assert 0 < config.pressroom_lines.characters <= kept // 3
        assert sum(len(key[0]) for key in config.pressroom_lines) == config.pressroom_lines.characters
        second = _written(weasy.HTML(string=_html(body)).render(font_config=config), None)
    assert first == second == expected


def test_a_block_that_starts_a_column_has_no_top_margin():
    """weasy.truncate_margins_at_column_tops (typeset.layout installs it): a heading that starts
    the second column sits at its top; one in mid-column and one marked margin-break: keep keep
    their margin; the wrapper goes over WeasyPrint's own function only."""
    text = "".join(f"<p>{'سطر من النص العربي في عمود ' * 6}</p>" for _ in range(3))
    css = "p { margin: 0; line-height: 20px } h2 { margin: 40px 0 0; line-height: 20px }"
    body = (f"<div style='columns: 2; column-fill: auto; height: 300px'>{text}"
            f"<h2 style='break-before: avoid-column'>أ</h2>{text}<h2 style='break-before: column'>ب</h2>"
            f"{text}</div>")
    heads = {c.blocks[i].lines[0].text: c.blocks[i].border_top - c.top
             for c in weasy.columns(_layout(body, css)) for i in range(len(c.blocks))
             if c.blocks[i].tag == "h2"}
    assert heads["أ"] > 40 and heads["ب"] == pytest.approx(0, abs=0.01)
    kept = body.replace("break-before: column'", "break-before: column; margin-break: keep'")
    heads = {c.blocks[0].lines[0].text: c.blocks[0].border_top - c.top
             for c in weasy.columns(_layout(kept, css)) if c.blocks and c.blocks[0].tag == "h2"}
    assert heads["ب"] == pytest.approx(40, abs=0.01)


def test_balanced_columns_measure_the_next_box_as_it_would_follow_the_text():
    """weasy.truncate_margins_at_column_tops also wraps the balancing's measure of the box that
    would move up into the column before: a figure (photo and caption, not to be split) is
    measured whole, and any box with its top margin, as it would stand after that column's
    text. Measured as WeasyPrint measured it (the photo alone), the columns grew past the least
    height that holds them: blank space below the figure that ends the first column (42 px
    here; on the corpus's generated-000, columns of the page's full height, a photo
    mid-column; its generated-002 needed the margin)."""
    css = ("div.c { columns: 2; column-gap: 20px } figure { margin: 0 0 20px; break-inside: avoid }"
           " h2 { margin: 22px 0 0; height: 20px; font-size: 10px; line-height: 20px;"
           " break-after: avoid }")
    figure = "<figure><div style='height: 210px'></div><div style='height: 36px'></div></figure>"
    body = (f"<div class='c'><div style='height: 240px'></div>{figure}<h2>ب</h2>"
            f"<div style='height: 180px'></div>{figure}</div>")
    first, second = weasy.columns(_layout(body, css))
    assert [b.tag for b in first.blocks] == ["div", "figure"]
    assert [b.tag for b in second.blocks] == ["h2", "div", "figure"]
    assert first.blocks[-1].border_bottom == pytest.approx(first.bottom, abs=1)


def test_columns_know_how_many_columns_their_run_has_and_whether_it_is_balanced():
    """weasy.columns: each column box says how many columns its multi-column box sets side by
    side, also when WeasyPrint made fewer boxes (two lines in three columns: no third box), and
    whether the run is balanced (column-fill)."""
    css = "p { margin: 0; line-height: 20px; orphans: 1; widows: 1 }"
    body = ("<div style='columns: 3; column-gap: 1em'><p>سطر</p><p>سطر</p></div>"
            "<div style='column-width: 40mm; column-gap: 5mm; column-fill: auto'><p>سطر</p></div>")
    columns = weasy.columns(_layout(body, css))
    counts = [column.count for column in columns]
    assert counts[:-1] == [3] * (len(counts) - 1) and 1 <= len(counts) - 1 < 3
    assert counts[-1] == 2  # A5's 128 mm: two columns of 40 mm or more with a 5 mm gap
    assert [column.balanced for column in columns] == [True] * (len(counts) - 1) + [False]


def test_the_column_top_wrapper_goes_over_weasyprints_own_function(monkeypatch):
    monkeypatch.setattr(weasy._block_layout, "resolve_percentages", lambda *args: None)
    with pytest.raises(WeasyPrintContractError, match="resolve_percentages"):
        weasy.truncate_margins_at_column_tops()


def test_the_footnote_balancing_rewrites_weasyprints_own_test(monkeypatch):
    """weasy.balance_columns_above_footnotes (typeset.layout installs it) changes one test of
    WeasyPrint's columns_layout, checked to be there once: a WeasyPrint without it is said."""
    weasy.balance_columns_above_footnotes()
    installed = weasy._block_layout.columns_layout
    assert installed is not weasy._COLUMNS_LAYOUT and weasy._column_layout.columns_layout is installed
    weasy.balance_columns_above_footnotes()
    assert weasy._block_layout.columns_layout is installed  # once
    # its text is the one compiled: a traceback shows its lines, and the check of
    # truncate_margins_at_column_tops, which reads columns_layout's source, reads the patched one
    assert weasy._GROWN_PAST_FOOTNOTES in inspect.getsource(installed)
    assert weasy._DROPPED_WITH_FOOTNOTES in inspect.getsource(installed)
    assert inspect.getsource(installed).startswith("def columns_layout(")
    monkeypatch.setattr(weasy._block_layout, "columns_layout", weasy._COLUMNS_LAYOUT)
    monkeypatch.setattr(weasy._column_layout, "columns_layout", weasy._COLUMNS_LAYOUT)
    monkeypatch.setattr(weasy, "_GROWN_PAST", "                if height > max_columns:\n")
    with pytest.raises(WeasyPrintContractError, match="max_height"):
        weasy.balance_columns_above_footnotes()
    monkeypatch.undo()
    monkeypatch.setattr(weasy._block_layout, "columns_layout", weasy._COLUMNS_LAYOUT)
    monkeypatch.setattr(weasy._column_layout, "columns_layout", weasy._COLUMNS_LAYOUT)
    monkeypatch.setattr(weasy, "_DROPPED", "            if new_child is False:\n")
    with pytest.raises(WeasyPrintContractError, match="drops the columns it drew"):
        weasy.balance_columns_above_footnotes()


def test_the_justified_drawing_wrapper_refuses_a_changed_weasyprint(monkeypatch):
    """weasy.draw_justified_text_as_measured installs _reactivate only over the reactivate it
    was written against: one that no longer sets the text justified, or a set_text that no
    longer justifies by letter spacing on spaces, is said, and nothing is installed."""
    monkeypatch.setattr(weasy._line_break.Layout, "reactivate", weasy._REACTIVATE)
    monkeypatch.setattr(weasy, "_REACTIVATE", lambda self, style: None)
    with pytest.raises(WeasyPrintContractError, match="sets the text justified"):
        weasy.draw_justified_text_as_measured()
    assert weasy._line_break.Layout.reactivate is not weasy._reactivate


def test_a_footnote_stays_with_its_call_when_a_run_of_columns_goes_on_to_the_next_page():
    """One layout of the figure placement (generated article 33, magazine): the final render of
    page 1's run of columns drew the first column, which calls the footnote, could not draw the
    second, and sent the run on to page 2 — keeping the note at the foot of page 1, without its
    call. Page 2 laid it out again with its call, after trial renders that had not measured it,
    moved it on towards page 3 and crashed on the empty footnote area (an IndexError in
    WeasyPrint's _report_footnotes: a crash on an author's article). The dropped columns'
    footnotes are taken back (weasy.balance_columns_above_footnotes): the note is set once, at
    the foot of the page its call is on."""
    project = Project(ROOT)
    html = (ROOT / "tests" / "fixtures" / "footnote-moved-on.html").read_text(encoding="utf-8")
    document = typeset.layout(html, project.layouts / "magazine", project.fonts, build.fetcher_for(project))
    pages = [boxes.text_of(weasy.page_box(page)) for page in document.pages]
    note, call = "وتقع المحطة على ارتفاع", "منظمة الأغذية والزراعة (فاو FAO)"
    assert [text.count(note) for text in pages] == [text.count(call) for text in pages] == [0, 1, 0]
    area = [box for box in weasy.walk(weasy.page_box(document.pages[1]))
            if isinstance(box, weasy.boxes.FootnoteAreaBox)]
    assert [note in boxes.text_of(box) for box in area] == [True]
