"""make_pdf.py proof: PNG spreads as the PDF opens, a contact sheet, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pressroom.cli import main
from pressroom.proof import spreads

#: One flat colour per page, distinct enough to tell the pages apart after antialiasing.
COLOURS = [(200, 30, 30), (30, 160, 40), (40, 60, 200), (220, 180, 20), (150, 40, 160),
           (20, 170, 170), (240, 120, 40), (90, 90, 90)]
#: A page of 144 × 216 pt (2 × 3 in), with a TrimBox 18 pt inside a MediaBox that has room for marks.
TRIM = (18, 18, 162, 234)


def coloured_pdf(path: Path, pages: int, *, rtl: bool, labels: bool = False) -> Path:
    """A PDF whose page N is filled with COLOURS[N-1] inside its TrimBox, black outside it."""
    pdf = pikepdf.new()
    for number in range(pages):
        r, g, b = (c / 255 for c in COLOURS[number])
        stream = (f"0 0 0 rg 0 0 180 252 re f {r:.4f} {g:.4f} {b:.4f} rg "
                  f"{TRIM[0]} {TRIM[1]} {TRIM[2] - TRIM[0]} {TRIM[3] - TRIM[1]} re f").encode()
        page = pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 180, 252], TrimBox=list(TRIM),
            Contents=pdf.make_stream(stream), Resources=pikepdf.Dictionary()))
        pdf.pages.append(page)
    if rtl:
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(Direction=pikepdf.Name.R2L)
    if labels:
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(P="cover"),
                                                       1, pikepdf.Dictionary(S=pikepdf.Name.D)])
    pdf.save(path)
    return path


def colour_at(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    return image.convert("RGB").getpixel((x, y))


def near(found: tuple[int, ...], wanted: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 3 for a, b in zip(found, wanted, strict=True))


def test_spread_plan_right_and_left_bound() -> None:
    assert [s.pages for s in spreads(5, rtl=True)] == [(0,), (2, 1), (4, 3)]
    assert [s.pages for s in spreads(6, rtl=True)] == [(0,), (2, 1), (4, 3), (5,)]
    assert [s.pages for s in spreads(5, rtl=False)] == [(0,), (1, 2), (3, 4)]
    assert [s.side for s in spreads(4, rtl=True)] == ["left", "", "right"]
    assert spreads(1, rtl=True)[0].pages == (0,)


def test_right_bound_spreads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = coloured_pdf(tmp_path / "issue.pdf", 6, rtl=True)
    out = tmp_path / "proofs"
    assert main(["proof", str(pdf), "-o", str(out), "--dpi", "72"]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["contact-sheet.png", "spread-01.png", "spread-02.png", "spread-03.png",
                     "spread-04.png"]
    page_w, page_h = TRIM[2] - TRIM[0], TRIM[3] - TRIM[1]  # trimmed, at 72 dpi: 1 px per point
    first = Image.open(out / "spread-01.png")
    assert first.size == (page_w, page_h)
    assert near(colour_at(first, 5, 5), COLOURS[0])  # trimmed: none of the black outside
    for number, (left, right) in ((2, (3, 2)), (3, (5, 4))):
        spread = Image.open(out / f"spread-{number:02d}.png")
        assert spread.size == (2 * page_w, page_h)
        # right-bound: the even page (2k) on the right, the odd page after it on the left
        assert near(colour_at(spread, page_w // 2, page_h // 2), COLOURS[left - 1])
        assert near(colour_at(spread, page_w + page_w // 2, page_h // 2), COLOURS[right - 1])
        assert near(colour_at(spread, 2 * page_w - 2, 2), COLOURS[right - 1])
    last = Image.open(out / "spread-04.png")
    assert last.size == (page_w, page_h) and near(colour_at(last, 5, 5), COLOURS[5])
    sheet = Image.open(out / "contact-sheet.png")
    assert sheet.width > 2 * sheet.height // 2  # one page: four spreads in a row
    colours = {colour_at(sheet, x, y) for x in range(0, sheet.width, 4) for y in range(0, sheet.height, 4)}
    assert all(any(near(c, wanted) for c in colours) for wanted in COLOURS[:6])
    printed = capsys.readouterr().out
    assert "spread-02.png: pages 3 | 2" in printed and "contact-sheet.png: 4 spreads, 6 pages" in printed


def test_left_bound_spreads_and_resolution(tmp_path: Path) -> None:
    pdf = coloured_pdf(tmp_path / "book.pdf", 5, rtl=False, labels=True)
    out = tmp_path / "proofs"
    assert main(["proof", str(pdf), "-o", str(out), "--dpi", "144", "-q"]) == 0
    page_w = 2 * (TRIM[2] - TRIM[0])
    spread = Image.open(out / "spread-02.png")
    assert spread.width == 2 * page_w
    assert near(colour_at(spread, page_w // 2, 40), COLOURS[1])  # page 2 on the left
    assert near(colour_at(spread, page_w + page_w // 2, 40), COLOURS[2])
    assert len(list(out.glob("spread-*.png"))) == 3


def test_a_shorter_proof_leaves_no_stale_spreads(tmp_path: Path) -> None:
    out = tmp_path / "proofs"
    (out).mkdir()
    (out / "notes.txt").write_text("the art director's")
    assert main(["proof", str(coloured_pdf(tmp_path / "a.pdf", 8, rtl=True)), "-o", str(out), "-q",
                 "--dpi", "30"]) == 0
    assert len(list(out.glob("spread-*.png"))) == 5
    assert main(["proof", str(coloured_pdf(tmp_path / "b.pdf", 3, rtl=True)), "-o", str(out), "-q",
                 "--dpi", "30"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["contact-sheet.png", "notes.txt", "spread-01.png",
                                                    "spread-02.png"]


def encrypted(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return path


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.pdf", "no such PDF file"),
    (lambda d: (d / "notes.pdf").write_text("hello") and d / "notes.pdf", "is not a PDF"),
    (lambda d: (d / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<") and d / "cut.pdf", "damaged"),
    (lambda d: encrypted(d / "locked.pdf"), "encrypted"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  make, says: str) -> None:
    pdf = make(tmp_path)
    out = tmp_path / "proofs"
    assert main(["proof", str(pdf), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and pdf.name in err and says in err, err
    assert "Traceback" not in err
    assert not out.exists()


def test_output_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = coloured_pdf(tmp_path / "a.pdf", 2, rtl=True)
    out = tmp_path / "proofs"
    out.write_text("not a folder")
    assert main(["proof", str(pdf), "-o", str(out)]) == 1
    assert "proofs: is a file" in capsys.readouterr().err
    assert out.read_text() == "not a folder"
