"""A photo set across the columns that is too tall for the room a page leaves at its foot, where
the text after it is too short to fill that page, is cropped to that room (clipped around its
centre, its image whole in the PDF) rather than sent on to head the next page and leave this one
half empty (issue 13, item 5); ``{.nocrop}`` forbids it."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from pressroom import build
from pressroom.cli import main
from pressroom.layout import figures, weasy
from pressroom.report import listen
from pressroom.sources import content

from .boxes import bottom, classes, find, top, walk
from .checks import half_empty_pages
from .conftest import FIXTURES, ROOT

PT = 72 / 96  # PDF points per CSS px
#: Articles whose wide photo (its caption's words) closes their magazine page 2, cropped; the
#: first two missed that page's foot by a few lines and headed page 3 before (page 2 was left
#: 45% and 51% empty); the third was written after the code (a sports feature, never tuned on)
CROPPED = {"delivery-riders.md": "مطبخ مركزي", "museum-clay.md": "القطع المكسورة",
           "rowing-club.md": "قوارب النادي"}
#: Known to fail, strict: museum-clay.md's page 2 ended with "من مرة:" above its cropped photo,
#: the list it introduces heading page 3; since an introducing paragraph is kept with its block
#: (figures.parted), the section goes to page 3 whole and the photo closes page 2 uncropped,
#: 3 and 8 lines of white above it — the better page (the list's first items above the cropped
#: photo) needs an anchor inside a list, which only a paragraph has (figures._anchor)
KNOWN_UNCROPPED = {"museum-clay.md"}


def _cropped(names: dict[str, str]) -> list:
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="KNOWN_UNCROPPED"))
            if n in KNOWN_UNCROPPED else n for n in names]


def _lay_out(source: Path, project, layout: str = "magazine"):
    with listen(lambda record: False):  # (their missing photo credits, on purpose)
        return build.typeset_article(build.context(source, project, layout=layout), build.load(source))


def _wide(document) -> list[tuple[int, object]]:
    """(page from 0, figure box) of each body figure set across the columns."""
    return [(n, f) for n, page in enumerate(document.pages) for f in find(page, "figure")
            if "wide" in classes(f)]


def _image(figure):
    (image,) = [b for b in walk(figure) if b.element_tag == "img"]
    return image


def _inside(figure) -> list:
    """The block-level boxes inside a figure."""
    return [b for b in walk(figure) if type(b).__name__ not in ("TextBox", "LineBox", "InlineBox")]


def _natural(figure) -> float:
    """The height its photo's box has at its width uncropped: in its file's proportions."""
    width, height = Image.open(ROOT / figure.element.get("data-src")).size
    return _image(figure).width * height / width


@pytest.mark.parametrize("name", _cropped(CROPPED))
def test_a_wide_photo_is_cropped_to_close_page_2(project, name):
    document = _lay_out(FIXTURES / name, project)
    assert half_empty_pages(document) == [], name
    (page, figure), = [(n, f) for n, f in _wide(document) if "cropped" in classes(f)]
    assert page == 1, name  # page 2
    foot = weasy.type_area_foot(document.pages[page])
    line = figures.body_line(weasy.columns(document))
    assert foot - line / 2 <= bottom(figure) <= foot + 0.5, name  # at the foot, above the footnotes
    photo, natural = _image(figure), _natural(figure)
    assert figures.CROP_LEAST * natural - 0.5 <= photo.height < natural - 1, name
    # the credit right under the photo, the caption under it, all on that page inside the figure
    (credit,) = [b for b in _inside(figure) if "credit" in classes(b)]
    (caption,) = [b for b in _inside(figure) if b.element_tag == "figcaption"]
    assert top(photo) + photo.height <= top(credit) <= top(photo) + photo.height + line / 2, name
    assert bottom(credit) <= top(caption) and bottom(caption) <= bottom(figure) + 0.5, name
    # and no text below it on its page
    assert all(ln.bottom <= top(figure) for c in weasy.columns(document) if c.page == page
               for b in c.blocks for ln in b.lines), name


@pytest.mark.parametrize("name", _cropped(CROPPED))
def test_the_pdf_draws_the_whole_photo_clipped_not_squashed(project, tmp_path, name):
    """In the PDF: the photo's image is the file's bytes, drawn in its own proportions and taller
    than the box that shows it (clipped), on the page whose text holds its caption and credit;
    a second build writes the same bytes."""
    source = FIXTURES / name
    out, again = tmp_path / "a.pdf", tmp_path / "b.pdf"
    with listen(lambda record: False):
        assert main([str(source), "-o", str(out)]) == 0
        assert main([str(source), "-o", str(again)]) == 0
    assert out.read_bytes() == again.read_bytes()
    document = _lay_out(source, project)
    (page, figure), = [(n, f) for n, f in _wide(document) if "cropped" in classes(f)]
    shown = _image(figure).height * PT
    src = ROOT / figure.element.get("data-src")
    pdf = pdfium.PdfDocument(out)
    drawn = []
    for obj in pdf[page].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
        left, low, right, high = obj.get_bounds()
        drawn.append((right - left, high - low, obj.get_px_size(), bytes(obj.get_data(decode_simple=False))))
    width, height, pixels, data = max(drawn)  # the widest: the photo across the columns
    assert data == src.read_bytes(), name  # the image whole, as the file has it
    assert pixels == Image.open(src).size
    assert width / height == pytest.approx(pixels[0] / pixels[1], rel=0.005), name  # not squashed
    assert height > shown + 10, name  # drawn taller than the box that shows it: clipped
    pdf.close()
    texts = [p.extract_text() for p in PdfReader(out).pages]
    credit = figure.element.find("p").text
    assert CROPPED[name] in texts[page] and all(CROPPED[name] not in t for t in texts[page + 1:]), name
    assert credit and credit.split(":")[0] in texts[page], name


def test_nocrop_keeps_the_photo_whole_and_sends_it_on(project, tmp_path):
    """``{.nocrop}``: the photo keeps its height and heads page 3, as it did before crops."""
    text = (FIXTURES / "delivery-riders.md").read_text(encoding="utf-8")
    assert text.count(" .wide}") == 1
    source = tmp_path / "delivery-riders.md"
    source.write_text(text.replace(" .wide}", " .wide .nocrop}"), encoding="utf-8")
    document = _lay_out(source, project)
    ((page, figure),) = _wide(document)
    assert "nocrop" in classes(figure) and "cropped" not in classes(figure)
    assert _image(figure).height == pytest.approx(_natural(figure), abs=0.5)
    assert page == 2
    assert half_empty_pages(document) == [2]  # what cropping spares page 2


def test_nocrop_is_a_figure_class(write_article):
    body = "نص.\n\n![أ](images/a.jpg){.wide .nocrop}\n\n![ب](images/b.jpg){.wide}\n"
    article = content.load(write_article(body))
    assert [(f.wide, f.nocrop) for f in article.figures] == [(True, True), (True, False)]


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_photos_that_fit_are_not_cropped(project, layout):
    """The natural size first: a wide photo whose page has room for it, or whose page the text
    after it can fill, keeps its proportions (figures-mixed, figures-interview: two each)."""
    for name in ("figures-mixed.md", "figures-interview.md"):
        document = _lay_out(FIXTURES / name, project, layout)
        for _, figure in _wide(document):
            assert "cropped" not in classes(figure), (name, layout)
            assert _image(figure).height == pytest.approx(_natural(figure), abs=0.5), (name, layout)


def test_a_body_photo_is_trimmed_for_the_lines_a_last_page_would_hold_alone(project, tmp_path):
    """generated-023 (pocket) ended with a page holding its last line alone and had no lead
    photo to trim (a placeholder: the corpus has no image files): its tallest body photo on the
    page before is trimmed around its centre instead, by whole body lines and to no less than
    TRIM_LEAST of its height, and the article ends on that page."""
    from .corpus import generate

    (generated,) = [g for g in generate.corpus(30) if g.name == "generated-023.md"]
    source = tmp_path / generated.name
    source.write_text(generated.text, encoding="utf-8")
    document = _lay_out(source, project, "pocket")
    assert not figures.widow_page(figures.read(document))
    trimmed = [(n, f) for n, page in enumerate(document.pages) for f in find(page, "figure")
               if f.element.get("data-trimmed") is not None]
    assert len(trimmed) == 1, trimmed
    page, figure = trimmed[0]
    assert page == len(document.pages) - 1  # on the page the last lines came back to
    image = _image(figure)
    natural = _natural(figure)
    assert figures.TRIM_LEAST * natural - 0.5 <= image.height < natural - 1
