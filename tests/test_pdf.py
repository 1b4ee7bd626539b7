"""End to end on the seed: what a reader of the PDF gets (pypdf and pdfium as two readers)."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from pressroom import build
from pressroom.check.verify import PdfReport, words
from pressroom.sources import content, importer

from .conftest import SEED_MD, SEED_WARNINGS

PHRASES = {
    "title": "التزام كازاخستان بالسلام",
    "deck": "البلاد تبعث قوات للمشاركة في بعثات حفظ السلام المتعددة الجنسيات التابعة للأمم المتحدة",
    "byline": "سلطنات بيرديكيفا",
    "sub-heading": "بروز الكازاخيين كحفظة سلام",
    "credit": "رقيب براين كالهون/الحرس الوطني الأمريكي",
}
READERS = ("text_pypdf", "text_pdfium")


def has_phrase(text: str, phrase: str) -> bool:
    """The phrase's words, consecutively, among the text's words."""
    needle, hay = words(phrase), words(text)
    return any(hay[i:i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def share_found(source_words: list[str], text: str) -> float:
    """Share of the source's words (with their counts) that the extracted text contains."""
    wanted, got = Counter(source_words), Counter(words(text))
    return sum(min(n, got[w]) for w, n in wanted.items()) / sum(wanted.values())


@pytest.fixture(scope="module")
def report(seed_pdf):
    return PdfReport(seed_pdf)


def test_a4_and_at_least_two_pages(report):
    assert report.pages >= 2
    assert all(report.page_size_mm(i) == (210.0, 297.0) for i in range(report.pages))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("part", PHRASES)
def test_parts_in_extracted_text(report, reader, part):
    text = "\n".join(getattr(report, reader)())
    assert has_phrase(text, PHRASES[part]), f"{part} not found by {reader}"


@pytest.mark.parametrize("reader", READERS)
def test_boilerplate_absent(report, reader):
    assert not has_phrase("\n".join(getattr(report, reader)()), "التعليقات مغلقة")


@pytest.mark.parametrize(("reader", "goal"), [("text_pypdf", 0.95), ("text_pdfium", 0.99)])
def test_words_found(report, reader, goal):
    source = words(" ".join(content.load(SEED_MD).text_blocks()))
    assert share_found(source, "\n".join(getattr(report, reader)())) >= goal


def test_both_photos_placed_and_credit_on_its_page(report, project):
    digest = {hashlib.sha256((project.images / name).read_bytes()).hexdigest(): name
              for name in ("180816-Z-BT406-0647_edit.jpg", "180817-Z-ID851-1004-edit.jpg")}
    placed = [[digest.get(image.sha256, "?") for image in page] for page in report.images_per_page()]
    assert sorted(n for page in placed for n in page) == sorted(digest.values())
    credited = next(i for i, page in enumerate(placed) if "180817-Z-ID851-1004-edit.jpg" in page)
    for reader in READERS:
        pages = getattr(report, reader)()
        on = [i for i, text in enumerate(pages) if has_phrase(text, PHRASES["credit"])]
        assert on == [credited], reader


@pytest.mark.parametrize("reader", READERS)
def test_arabic_indic_folios(report, reader):
    for number, text in enumerate(getattr(report, reader)(), start=1):
        tokens = words(text)
        assert "٠١٢٣٤٥٦٧٨٩"[number] in tokens, f"page {number} has no Arabic-Indic folio"
        assert str(number) not in tokens[-3:] + tokens[:3]


def test_metadata_and_outline(report):
    meta = report.metadata()
    assert meta["Title"] == PHRASES["title"]
    assert meta["Author"] == PHRASES["byline"]
    assert meta["Lang"] == "ar"
    assert meta["CreationDate"].startswith("D:20191001")
    assert report.outline() == [PHRASES["title"], PHRASES["sub-heading"]]


def test_same_input_same_bytes(seed_pdf, project, tmp_path, expect_warnings):
    expect_warnings(*SEED_WARNINGS)
    again = tmp_path / "again.pdf"
    build.build(SEED_MD, again, project=project)
    assert again.read_bytes() == seed_pdf.read_bytes()


def test_scraped_seed_builds_directly(seed_txt_pdf, seed_txt):
    report = PdfReport(seed_txt_pdf)
    assert report.pages >= 2 and report.page_size_mm(0) == (210.0, 297.0)
    assert sum(len(p) for p in report.images_per_page()) == 2
    for reader in READERS:
        text = "\n".join(getattr(report, reader)())
        for part in ("title", "deck", "byline", "sub-heading", "credit"):
            assert has_phrase(text, PHRASES[part]), (reader, part)
        assert not has_phrase(text, "التعليقات مغلقة")
    source = words(" ".join(importer.load(seed_txt).text_blocks()))
    assert share_found(source, "\n".join(report.text_pypdf())) >= 0.95
