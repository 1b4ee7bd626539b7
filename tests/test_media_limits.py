"""Photos decoded before placing, unusual modes printed as they look, metadata without control
characters, and the image and page limits — each checked on the PDF or the files on disk."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from pressroom.cli import main

SEED_PHOTO = "180816-Z-BT406-0647_edit.jpg"
PLACEHOLDER = "الصورة غير متوفرة"  # what the layout prints in a missing photo's frame


@pytest.fixture(autouse=True)
def _in_workspace(workspace, monkeypatch):
    monkeypatch.chdir(workspace.root)


def _figures(*names: str) -> str:
    return "\n\n".join(f'فقرة قصيرة.\n\n![صورة {i}](images/{name}){{credit="تصوير: أحد"}}'
                       for i, name in enumerate(names))


def _png(width: int, height: int, rows: list[bytes], color_type: int, depth: int = 16,
         idat: bytes | None = None) -> bytes:
    """A PNG written by hand (Pillow cannot write 16-bit colour, nor lie about its size)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    pixels = idat if idat is not None else zlib.compress(b"".join(b"\0" + row for row in rows))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def _placed_images(pdf: Path) -> dict[tuple[int, int], Image.Image]:
    """Every photo in the PDF as pdfium draws it (decode arrays, masks and colour spaces
    applied), by its size in pixels."""
    found = {}
    document = pdfium.PdfDocument(pdf)
    for page in document:
        for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
            found[tuple(obj.get_px_size())] = obj.get_bitmap(render=True).to_pil().convert("RGBA")
    document.close()
    return found


def _text(pdf: Path) -> str:
    document = pdfium.PdfDocument(pdf)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text


def _sample(image: Image.Image, x: float, y: float = 0.5) -> tuple[int, ...]:
    return image.getpixel((min(image.width - 1, int(x * image.width)), int(y * image.height)))


# --- broken images become placeholders ------------------------------------------------------

def test_a_jpeg_cut_to_a_third_is_a_placeholder_with_a_warning(workspace, write_article, capsys,
                                                               expect_warnings, tmp_path):
    photo = (workspace.images / SEED_PHOTO).read_bytes()
    (workspace.images / "cut.jpg").write_bytes(photo[:len(photo) // 3])
    source = write_article(_figures("cut.jpg", SEED_PHOTO))
    expect_warnings(r"article\.md:7: image images/cut\.jpg cannot be decoded .*placeholder")
    out = tmp_path / "cut.pdf"
    assert main([str(source), "-o", str(out)]) == 0
    assert re.search(r"warning: content/article\.md:7: image images/cut\.jpg cannot be decoded",
                     capsys.readouterr().err)
    assert list(_placed_images(out)) == [(2700, 1800)]  # only the whole photo is placed
    # the frame's path is a left-to-right line of a right-to-left page: read with the marks between
    # its parts (glyphfold.py draws them for pdfium) skipped, as searches skip them
    text = re.sub("[\u200e\u200f\u061c\u2063]", "", _text(out))
    assert PLACEHOLDER in text and "images/cut.jpg" in text, text
    strict = tmp_path / "strict.pdf"
    assert main([str(source), "-o", str(strict), "--strict"]) == 1
    assert not strict.exists()


GREY = _png(8, 8, [bytes(16)] * 8, 0)


@pytest.mark.parametrize("name,data", [
    pytest.param("noise.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, id="noise"),
    pytest.param("cut.png", _png(64, 64, [bytes(128)] * 64, 0)[:70], id="cut-png"),
    pytest.param("bad-crc.png", GREY[:41] + bytes([GREY[41] ^ 0xFF]) + GREY[42:], id="bad-crc"),
    pytest.param("empty.gif", b"", id="empty"),
    pytest.param("text.jpg", "ليست صورة".encode(), id="text"),
    pytest.param("drawing.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 9 9\n%%EOF\n",
                 id="eps-never-decoded"),
])
def test_undecodable_images_are_placeholders(workspace, write_article, expect_warnings, tmp_path,
                                             name, data):
    (workspace.images / name).write_bytes(data)
    expect_warnings(rf"article\.md:7: image images/{re.escape(name)} cannot be decoded")
    out = tmp_path / "out.pdf"
    assert main([str(write_article(_figures(name))), "-o", str(out), "-q"]) == 0
    assert _placed_images(out) == {}
    assert PLACEHOLDER in _text(out)


# --- unusual modes print as they look -------------------------------------------------------

def _ramp16(width: int) -> list[int]:
    return [round(x * 65535 / (width - 1)) for x in range(width)]


def _unusual_images(folder: Path) -> dict[str, tuple[tuple[int, int], list]]:
    """Write one image per unusual mode; return name → (size, [(x, expected RGBA) …])."""
    expected = {}
    ramp = Image.new("I;16", (256, 40))
    ramp.putdata([v for _ in range(40) for v in _ramp16(256)])
    ramp.save(folder / "grey16-ramp.png")
    expected["grey16-ramp.png"] = ((256, 40), "ramp")
    Image.new("I;16", (60, 41), 30000).save(folder / "grey16-flat.png")
    expected["grey16-flat.png"] = ((60, 41), [(0.5, (117, 117, 117, 255))])
    rows = [b"".join(struct.pack(">HHH", 65535, 32896, 0) if x < 31 else
                     struct.pack(">HHH", 0, 0, 65535) for x in range(62))] * 42
    (folder / "rgb16.png").write_bytes(_png(62, 42, rows, 2))
    expected["rgb16.png"] = ((62, 42), [(0.2, (255, 128, 0, 255)), (0.8, (0, 0, 255, 255))])
    palette = Image.new("P", (63, 43), 0)
    palette.putpalette([0, 0, 0, 200, 0, 0])
    palette.paste(1, (32, 0, 63, 43))
    palette.save(folder / "palette-transparent.png", transparency=0)
    expected["palette-transparent.png"] = ((63, 43), [(0.2, (None, None, None, 0)),
                                                       (0.8, (200, 0, 0, 255))])
    grey_alpha = Image.new("LA", (64, 44), (90, 255))
    grey_alpha.paste((90, 0), (0, 0, 32, 44))
    grey_alpha.save(folder / "grey-alpha.png")
    expected["grey-alpha.png"] = ((64, 44), [(0.2, (None, None, None, 0)), (0.8, (90, 90, 90, 255))])
    Image.new("CMYK", (65, 45), (0, 0, 0, 255)).save(folder / "cmyk.jpg")
    expected["cmyk.jpg"] = ((65, 45), [(0.5, "dark")])
    Image.new("CMYK", (66, 46), (0, 0, 0, 0)).save(folder / "cmyk.tif")
    expected["cmyk.tif"] = ((66, 46), [(0.5, "light")])
    Image.new("I", (67, 47), 65535 // 2).save(folder / "int32.tif")
    expected["int32.tif"] = ((67, 47), [(0.5, (128, 128, 128, 255))])
    Image.new("F", (68, 48), 0.25).save(folder / "float.tif")
    expected["float.tif"] = ((68, 48), [(0.5, (64, 64, 64, 255))])
    Image.new("RGB", (69, 49), (10, 200, 30)).convert("RGBX").save(folder / "rgbx.tif")
    expected["rgbx.tif"] = ((69, 49), [(0.5, (10, 200, 30, 255))])
    return expected


def _close(got: tuple[int, ...], want: tuple, tolerance: int = 3) -> bool:
    if want == "dark":
        return max(got[:3]) < 80 and got[3] == 255
    if want == "light":
        return min(got[:3]) > 220 and got[3] == 255
    return all(w is None or abs(g - w) <= tolerance for g, w in zip(got, want, strict=True))


def test_unusual_modes_print_as_they_look(workspace, write_article, tmp_path, expect_warnings):
    expect_warnings(r"ppi at its placed size")  # small test images
    expected = _unusual_images(workspace.images)
    out = tmp_path / "modes.pdf"
    assert main([str(write_article(_figures(*expected))), "-o", str(out), "-q"]) == 0
    placed = _placed_images(out)
    for name, (size, samples) in expected.items():
        image = placed[size]
        if samples == "ramp":  # the 16-bit gradient: black to white, not solid black
            row = [_sample(image, x / 32)[0] for x in range(32)]
            assert row[0] <= 8 and row[-1] >= 240, (name, row)
            assert row == sorted(row) and len(set(row)) >= 30, (name, row)
            continue
        for x, want in samples:
            assert _close(_sample(image, x), want), (name, x, _sample(image, x), want)


def test_more_formats_written_after_the_code(workspace, write_article, tmp_path, expect_warnings):
    """Material made after the conversions were written, none of it tuned on: 16-bit grey with
    alpha, 16-bit grey TIFF, GIF and WebP with transparency, BMP, 1-bit, CIELab; a progressive
    JPEG and a GIF cut short."""
    expect_warnings(r"ppi at its placed size",
                    # (ten photos after a line each: the last page a photo and one line, thin)
                    r"article\.md:\d+: the last page \(2\) holds only 1 lines of text beside photo",
                    r"article\.md:\d+: image images/prog-cut\.jpg cannot be decoded",
                    r"article\.md:\d+: image images/cut\.gif cannot be decoded")
    folder, samples = workspace.images, {}
    rows = [b"".join(struct.pack(">HH", round(v), 65535) for v in _ramp16(101))] * 31
    (folder / "grey-alpha16.png").write_bytes(_png(101, 31, rows, 4))
    samples["grey-alpha16.png"] = ((101, 31), "ramp")
    ramp = Image.new("I;16", (102, 32))
    ramp.putdata([v for _ in range(32) for v in _ramp16(102)])
    ramp.save(folder / "grey16.tif")
    samples["grey16.tif"] = ((102, 32), "ramp")
    gif = Image.new("P", (103, 33), 1)
    gif.putpalette([0, 0, 0, 0, 0, 255])
    gif.paste(0, (0, 0, 51, 33))
    gif.save(folder / "half.gif", transparency=0)
    samples["half.gif"] = ((103, 33), [(0.2, (None, None, None, 0)), (0.8, (0, 0, 255, 255))])
    Image.new("RGBA", (104, 34), (0, 128, 0, 255)).save(folder / "green.webp", lossless=True)
    samples["green.webp"] = ((104, 34), [(0.5, (0, 128, 0, 255))])
    Image.new("RGB", (105, 35), (200, 100, 50)).save(folder / "brown.bmp")
    samples["brown.bmp"] = ((105, 35), [(0.5, (200, 100, 50, 255))])
    bits = Image.new("1", (106, 36), 1)
    bits.paste(0, (0, 0, 53, 36))
    bits.save(folder / "bits.png")
    samples["bits.png"] = ((106, 36), [(0.2, (0, 0, 0, 255)), (0.8, (255, 255, 255, 255))])
    Image.new("LAB", (107, 37), (127, 128, 128)).save(folder / "lab.tif")  # L* 50: mid grey
    samples["lab.tif"] = ((107, 37), [(0.5, (119, 119, 119, 255))])
    jpeg = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(jpeg, "JPEG", progressive=True)
    (folder / "prog-cut.jpg").write_bytes(jpeg.getvalue()[:len(jpeg.getvalue()) // 3])
    gif_data = io.BytesIO()
    Image.effect_noise((200, 200), 60).convert("P").save(gif_data, "GIF")
    (folder / "cut.gif").write_bytes(gif_data.getvalue()[:len(gif_data.getvalue()) // 2])
    out = tmp_path / "more.pdf"
    names = [*samples, "prog-cut.jpg", "cut.gif"]
    assert main([str(write_article(_figures(*names))), "-o", str(out), "-q"]) == 0
    placed = _placed_images(out)
    assert len(placed) == len(samples)  # the two cut files are placeholders
    for name, (size, wanted) in samples.items():
        image = placed[size]
        if wanted == "ramp":
            row = [_sample(image, x / 16)[0] for x in range(16)]
            assert row[0] <= 8 and row[-1] >= 230 and row == sorted(row), (name, row)
            continue
        for x, want in wanted:
            assert _close(_sample(image, x), want), (name, x, _sample(image, x), want)


def test_normalized_images_give_the_same_bytes(workspace, write_article, tmp_path, expect_warnings):
    expect_warnings(r"ppi at its placed size")
    _unusual_images(workspace.images)
    source = write_article(_figures("grey16-ramp.png", "cmyk.tif", "float.tif"))
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert main([str(source), "-o", str(first), "-q"]) == 0
    assert main([str(source), "-o", str(second), "-q"]) == 0
    assert first.read_bytes() == second.read_bytes()


# --- trailing bytes -------------------------------------------------------------------------

def test_bytes_after_a_jpegs_end_stay_out_of_the_pdf(workspace, write_article, tmp_path, capsys):
    photo = (workspace.images / SEED_PHOTO).read_bytes()
    padded = photo + b"\0" * (5 * 1024 * 1024) + b"MORE DATA"
    (workspace.images / "padded.jpg").write_bytes(padded)
    out = tmp_path / "padded.pdf"
    assert main([str(write_article(_figures("padded.jpg"))), "-o", str(out)]) == 0
    assert re.search(r"note: content/article\.md:7: image images/padded\.jpg: 5242889 bytes after "
                     r"the end of the image left out", capsys.readouterr().err)
    assert out.stat().st_size < len(photo) + 200_000
    with pikepdf.open(out) as pdf:
        streams = [image.read_raw_bytes() for page in pdf.pages
                   for image in page.get_images().values()]
    assert streams == [photo]  # the JPEG as it was, to its last byte and no further


# --- image limits ---------------------------------------------------------------------------

def _one_line_error(err: str, pattern: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(pattern, lines[0]), err


def test_image_pixel_limit_and_its_option(workspace, write_article, tmp_path, capsys):
    Image.new("L", (3000, 2000), 128).save(workspace.images / "big.png")
    source = write_article(_figures("big.png"))
    out = tmp_path / "out" / "big.pdf"
    assert main([str(source), "-o", str(out), "--max-image-megapixels", "5"]) == 1
    _one_line_error(capsys.readouterr().err,
                    r"error: content/article\.md:7: image images/big\.png is 3000×2000 pixels, "
                    r"over the limit of 5 megapixels \(--max-image-megapixels raises it\)")
    assert not out.parent.exists()
    assert main([str(source), "-o", str(out), "-q"]) == 0  # 6 megapixels: under the default
    assert list(_placed_images(out)) == [(3000, 2000)]


@pytest.mark.parametrize("width,height", [(12_000, 12_000), (40_000, 40_000)])
def test_decompression_bombs_are_refused(workspace, write_article, tmp_path, capsys, width, height):
    """A tiny file that claims 144 million pixels (Pillow's warning) or 1.6 billion (its error)."""
    bomb = _png(width, height, [], 0, depth=1, idat=zlib.compress(b"\0" * 1000))
    (workspace.images / "bomb.png").write_bytes(bomb)
    out = tmp_path / "bomb.pdf"
    assert main([str(write_article(_figures("bomb.png"))), "-o", str(out)]) == 1
    _one_line_error(capsys.readouterr().err,
                    r"error: content/article\.md:7: image images/bomb\.png .*over the limit of "
                    r"100 megapixels \(--max-image-megapixels raises it\)|"
                    r"error: content/article\.md:7: image images/bomb\.png has more pixels than "
                    r"the limit of 100 megapixels \(--max-image-megapixels raises it\)")
    assert not out.exists()


def test_image_byte_limit_and_its_option(workspace, write_article, tmp_path, capsys):
    source = write_article(_figures(SEED_PHOTO))
    out = tmp_path / "seed.pdf"
    assert main([str(source), "-o", str(out), "--max-image-megabytes", "0.1"]) == 1
    _one_line_error(capsys.readouterr().err,
                    rf"error: content/article\.md:7: image images/{re.escape(SEED_PHOTO)} is 104,817 bytes, "
                    r"over the limit of 0\.1 MB \(--max-image-megabytes raises it\)")
    assert not out.exists()
    assert main([str(source), "-o", str(out), "-q", "--max-image-megabytes", "0.2"]) == 0
    assert out.exists()


# --- metadata without control characters ----------------------------------------------------

HOSTILE_FRONT = {
    "title": r'"عنوان\x01 مع\u0085تحكم\x1b[31m"',
    "section": r'"\u202eقسم\u2028خاص\u202c"',
    "byline": r'"كاتب\x07\x7f\u009b\ud800"',
    "deck": r'"مقدمة\x0cهنا\ufffe\uffff"',
    "keywords": r'["كلمة\x02", "\x1bأخرى", "\x00"]',
    "publication": r'"مجلة\x00\x1f"',
    "source": r'"https://example.org/\x01a"',
    "date": "2020-01-02",
}
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ud800-\udfff"
                      "\ufffe\uffff]")


@pytest.mark.parametrize("variant", ["archive", "print"])
def test_metadata_strings_lose_their_control_characters(write_article, tmp_path, expect_warnings,
                                                        variant):
    expect_warnings(r"article\.md: control characters left out of title, deck, byline, "
                    r"section, publication, source, keywords")
    out = tmp_path / f"{variant}.pdf"
    assert main([str(write_article("نص قصير.", **HOSTILE_FRONT)), "-o", str(out),
                 "--variant", variant, "-q"]) == 0
    with pikepdf.open(out) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert info["/Title"] == "عنوان مع تحكم[31m"
    assert info["/Author"] == "كاتب" and info["/Subject"] == "مقدمة هنا"
    assert info["/Keywords"] == "كلمة, أخرى"
    assert not any(CONTROLS.search(value) for value in info.values()), info
    root = ElementTree.fromstring(packet[packet.index("<x:xmpmeta"):packet.index("</x:xmpmeta>") + 12])
    texts = [t for t in root.itertext() if t.strip()]
    assert "عنوان مع تحكم[31m" in texts and "كاتب" in texts
    if variant == "archive":  # what finishing adds to the packet
        assert {"https://example.org/a", "مجلة", "كلمة", "أخرى"} <= set(texts), texts
    assert not CONTROLS.search(packet)


# --- page limit -----------------------------------------------------------------------------

def test_an_article_over_the_page_limit_writes_nothing(write_article, tmp_path, capsys):
    body = "\n\n".join("فقرة طويلة بما يكفي لتملأ سطراً أو سطرين في العمود الواحد. " * 6
                       for _ in range(40))
    source = write_article(body)
    out = tmp_path / "out" / "long.pdf"
    assert main([str(source), "-o", str(out), "--max-pages", "2", "-v"]) == 1
    err = capsys.readouterr().err
    assert "error: content/article.md: the article lays out to more than 2 pages, the limit " \
           "(--max-pages raises it)" in err.splitlines()
    assert "progress: 2 pages laid out" in err and "progress: 3 pages laid out" not in err
    assert "Traceback" not in err and not out.parent.exists()
    assert main([str(source), "-o", str(out)]) == 0
    assert re.search(r"long\.pdf: ([3-9]|\d\d) pages", capsys.readouterr().out)
