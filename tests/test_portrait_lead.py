"""A portrait lead photo (a tester's finding): it was cropped around its centre to the opener's
landscape band, and a face in its top third was cut off. Now a crop keeps a portrait photo's top
(or the author's {focus=…}), with a warning naming file:line and how much of the photo shows; a
lead marked {.portrait} heads the magazine's first column (the text beside it, in the other
column, and on under it); the pocket edition sets any portrait lead narrower than the text,
centred.

The test photo has a marker band of its own colour in each third (magenta at 13–27% of its
height: the face; cyan at the middle; yellow at 80–90%): the PDF is drawn by pdfium and each
marker's pixels are counted on page 1."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from pressroom import build
from pressroom.cli import main
from pressroom.report import listen

from .boxes import MM, bottom, columns, content_area, find, left, right, text_of, top, walk
from .checks import EPS

#: Each marker: its colour and its rows, in shares of the photo's height.
MARKERS = {"top": ((255, 0, 255), 0.13, 0.27), "middle": ((0, 255, 255), 0.45, 0.55),
           "bottom": ((255, 255, 0), 0.80, 0.90)}
DPI = 50
BODY = "\n\n".join(
    "تستيقظ أم نبيل قبل الفجر بساعة وتشعل الحطب تحت الصاج ثم تعجن ما يكفي لثلاثين رغيفاً، "
    "وتقول إنها تعلمت الخبز من أمها حين كانت في الثامنة قبل أن تتعلم القراءة، ولم يتغير في "
    "الوصفة شيء تقريباً منذ ذلك الحين سوى أن الطحين صار يأتي من المطحنة في أكياس كبيرة."
    for _ in range(7))


def _photo(path, width: int, height: int) -> None:
    image = Image.new("RGB", (width, height), (120, 120, 120))
    draw = ImageDraw.Draw(image)
    for colour, start, end in MARKERS.values():
        draw.rectangle([0, round(start * height), width - 1, round(end * height)], fill=colour)
    image.save(path, dpi=(300, 300))


def _seen(pdf, page: int = 0) -> dict[str, int]:
    """How many pixels of each marker's colour page ``page`` shows, drawn by pdfium at DPI."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[page].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    counts = dict.fromkeys(MARKERS, 0)
    for count, (r, g, b) in image.getcolors(image.width * image.height):
        for name, (colour, *_) in MARKERS.items():
            if max(abs(r - colour[0]), abs(g - colour[1]), abs(b - colour[2])) <= 40:
                counts[name] += count
    return counts


def _band(width_px: float, height_px: float, name: str) -> float:
    """A marker's pixels at DPI when a photo drawn ``width_px`` wide (CSS px) shows it whole,
    its whole height drawn ``height_px`` tall."""
    _, start, end = MARKERS[name]
    return width_px * DPI / 96 * (end - start) * height_px * DPI / 96


def _lead(document):
    page = document.pages[0]
    (figure,) = [f for f in find(page, "figure") if "lead" in (f.element.get("class") or "")]
    (image,) = [b for b in walk(figure) if b.element_tag == "img"]
    return page, figure, image


def _build(source, project, layout: str):
    said: list[str] = []
    with listen(lambda record: said.append(record.getMessage())
                if record.name.startswith("pressroom") else None):
        document = build.typeset_article(build.context(source, project, layout=layout),
                                         build.load(source))
    return document, said


def _article(write_article, workspace, attributes: str = "", size=(2000, 3000)) -> str:
    _photo(workspace.images / "portrait.png", *size)
    return write_article(f'![امرأة تفرد العجين على الصاج](images/portrait.png){{credit="تصوير: سلمى '
                         f'حداد"{attributes}}}\n\n{BODY}', lang="ar", byline="سلمى حداد")


@pytest.mark.parametrize(("layout", "attributes"), [("magazine", " .portrait"), ("pocket", "")])
def test_a_portrait_lead_photo_shows_its_top_third(workspace, write_article, layout, attributes,
                                                   monkeypatch, capsys):
    """A 2:3 photo: shown whole, marked {.portrait} in the magazine, unmarked in the pocket
    edition (no crop, no warning); its face marker on page 1 as tall as the photo's shape asks."""
    source = _article(write_article, workspace, attributes)
    document, said = _build(source, workspace, layout)
    assert not [s for s in said if "cropped" in s], said
    _, _, image = _lead(document)
    assert image.height / image.width == pytest.approx(1.5, abs=0.02), layout  # its own shape
    monkeypatch.chdir(workspace.root)
    out = workspace.root / f"{layout}.pdf"
    assert main([str(source), "--layout", layout, "-o", str(out)]) == 0, capsys.readouterr().err
    seen = _seen(out)
    for name in MARKERS:  # each third whole (within the antialiased rows at its edges)
        assert seen[name] >= 0.85 * _band(image.width, image.height, name), (layout, name, seen)


def test_an_unmarked_portrait_lead_keeps_the_magazine_band_and_its_top(
        workspace, write_article, monkeypatch, capsys, expect_warnings):
    """Unmarked, the magazine crops a portrait lead to the opener's band keeping its top (it was
    kept around its centre, the face marker cut off), with a warning naming file:line."""
    source = _article(write_article, workspace, size=(2200, 3300))
    expect_warnings(r"lead photo portrait\.png is taller than page 1 allows: cropped to \d+ × 120 mm "
                    r"keeping its top, 4\d% of its height shown .*\{\.portrait\} to set it beside")
    document, _ = _build(source, workspace, "magazine")
    page, _, image = _lead(document)
    x0, _, x1, _ = content_area(page)
    assert image.width == pytest.approx(x1 - x0, abs=1) and image.height <= 120 * MM + EPS
    monkeypatch.chdir(workspace.root)
    out = workspace.root / "band.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    assert re.search(rf"warning: \S*{source.name}:7: lead photo portrait", capsys.readouterr().err)
    seen = _seen(out)
    assert seen["top"] >= 0.85 * _band(image.width, image.width * 1.5, "top"), seen
    assert seen["bottom"] == 0, seen


def test_the_magazine_sets_a_portrait_lead_in_the_first_column_beside_the_text(workspace,
                                                                               write_article):
    source = _article(write_article, workspace, " .portrait")
    document, _ = _build(source, workspace, "magazine")
    page, figure, image = _lead(document)
    first, second = columns(page)[:2]
    x0, _, x1, _ = content_area(page)
    assert image.width == pytest.approx(first.width, abs=1)  # one column wide
    assert right(image) == pytest.approx(x1, abs=1)  # the first column of a right-to-left page
    assert top(figure) == pytest.approx(top(first), abs=1)  # heading it, under the opener
    assert bottom(figure) <= bottom(first) + EPS
    (opener,) = find(page, cls="opener")
    assert bottom(opener) <= top(figure) + EPS  # the title, deck and byline above it
    beside = [line for line in walk(second) if type(line).__name__ == "LineBox" and text_of(line).strip()
              and top(line) < bottom(image) and left(line) >= x0 - EPS]
    assert len(beside) >= 8, len(beside)  # the text in the next column, beside the photo
    under = [line for line in walk(first) if type(line).__name__ == "LineBox"
             and top(line) >= bottom(figure) - EPS and text_of(line).strip()]
    assert under  # and on under it, in its own column


def test_the_pocket_edition_sets_a_portrait_lead_narrower_centred(workspace, write_article):
    source = _article(write_article, workspace)
    document, _ = _build(source, workspace, "pocket")
    page, _, image = _lead(document)
    x0, _, x1, _ = content_area(page)
    assert image.width < 0.75 * (x1 - x0)
    assert image.height == pytest.approx(95 * MM, abs=1)  # --lead-portrait-height
    assert left(image) - x0 == pytest.approx(x1 - right(image), abs=1)  # centred
    (credit,) = find(page, cls="credit")
    assert left(credit) >= left(image) - EPS and right(credit) <= right(image) + EPS  # under it


@pytest.mark.parametrize(("layout", "attributes"), [("magazine", " .portrait"), ("pocket", "")])
def test_a_very_tall_portrait_lead_is_cropped_keeping_its_top_with_a_warning(
        workspace, write_article, layout, attributes, monkeypatch, capsys, expect_warnings):
    source = _article(write_article, workspace, attributes, size=(1000, 3600))  # 1:3.6
    document, said = _build(source, workspace, layout)
    warned = [s for s in said if "lead photo portrait.png is taller than page 1 allows" in s]
    assert len(warned) == 1 and "keeping its top" in warned[0], said
    assert f"{source.name}:" in warned[0] and "of its height shown" in warned[0]
    _, _, image = _lead(document)
    natural = image.width * 3.6
    assert image.height < 0.6 * natural  # cropped (in either layout)
    expect_warnings(r"lead photo portrait\.png is taller than page 1 allows: cropped to \d+ × \d+ mm "
                    r"keeping its top, \d+% of its height shown")
    monkeypatch.chdir(workspace.root)
    out = workspace.root / f"{layout}.pdf"
    assert main([str(source), "--layout", layout, "-o", str(out)]) == 0
    assert re.search(rf"warning: \S*{source.name}:\d+: lead photo portrait", capsys.readouterr().err)
    seen = _seen(out)
    assert seen["top"] >= 0.85 * _band(image.width, natural, "top"), seen  # the face kept whole
    assert seen["bottom"] == 0, seen


def test_focus_bottom_keeps_the_foot_of_the_photo(workspace, write_article, monkeypatch,
                                                  expect_warnings):
    source = _article(write_article, workspace, " .portrait focus=bottom", size=(1000, 3600))
    expect_warnings(r"cropped to \d+ × \d+ mm keeping its bottom")
    document, _ = _build(source, workspace, "magazine")
    _, _, image = _lead(document)
    monkeypatch.chdir(workspace.root)
    out = workspace.root / "bottom.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    seen = _seen(out)
    assert seen["bottom"] >= 0.85 * _band(image.width, image.width * 3.6, "bottom"), seen
    assert seen["top"] == 0, seen


def test_a_portrait_lead_marked_wide_is_the_opener_band_keeping_its_top(workspace, write_article,
                                                                         monkeypatch, expect_warnings):
    """{.wide}: the author wants the band across the page; a crop of a portrait keeps its top."""
    source = _article(write_article, workspace, " .wide", size=(2200, 3300))
    expect_warnings(r"lead photo portrait\.png is taller than page 1 allows: cropped to \d+ × 120 mm "
                    r"keeping its top")
    document, _ = _build(source, workspace, "magazine")
    page, _, image = _lead(document)
    x0, _, x1, _ = content_area(page)
    assert image.width == pytest.approx(x1 - x0, abs=1) and image.height <= 120 * MM + EPS
    monkeypatch.chdir(workspace.root)
    out = workspace.root / "wide.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    seen = _seen(out)
    assert seen["top"] >= 0.85 * _band(image.width, image.width * 1.5, "top"), seen
    assert seen["bottom"] == 0, seen


def test_a_landscape_lead_marked_portrait_heads_the_first_column(workspace, write_article):
    source = _article(write_article, workspace, " .portrait", size=(3000, 2000))
    document, _ = _build(source, workspace, "magazine")
    page, _, image = _lead(document)
    assert image.width == pytest.approx(columns(page)[0].width, abs=1)


def test_an_unknown_focus_is_dropped_with_a_warning(write_article, expect_warnings):
    source = write_article("نص.\n\n![صورة](images/a.jpg){focus=face}\n", lang="ar")
    expect_warnings(r"article\.md:8: focus='face' dropped \(known: top, center, bottom")
    (figure,) = build.load(source).figures
    assert figure.focus == "" and figure.line == 8
    source = write_article("نص.\n\n![صورة](images/a.jpg){focus=\"30%\"}\n", lang="ar", name="b.md")
    assert build.load(source).figures[0].focus == "30%"
