"""A PDF → PNG spreads as it opens (right-bound for /Direction /R2L) and a one-page contact sheet."""

from __future__ import annotations

import argparse
import ctypes
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont, features

from pressroom import build
from pressroom.errors import ContentError, OneLineParser, OutputError, display_path
from pressroom.project import Project

DEFAULT_DPI = 100
#: Enough to read body text on a screen at 100%; a page of A4 at 100 dpi is 827 × 1169 px.
MIN_DPI, MAX_DPI = 20, 600
CONTACT = "contact-sheet.png"
SPREAD = "spread-{:02d}.png"
_SPREAD_NAME = re.compile(r"spread-\d{2,}\.png")
#: A thumbnail page's height on the contact sheet, and the sheet's spreads per row.
THUMB_HEIGHT = 260
PER_ROW = 4
PAPER = (255, 255, 255)
BACKGROUND = (226, 222, 216)
INK = (40, 36, 32)


@dataclass(frozen=True)
class Spread:
    """The pages (0-based) of one spread, from left to right as they lie on the table."""

    pages: tuple[int, ...]
    #: for a page alone: the side of the spine it stands on ("left" or "right")
    side: str = ""


def spreads(count: int, rtl: bool) -> list[Spread]:
    """How ``count`` pages open: page 1 alone, then pairs (3|2, 5|4… right-bound; 2|3, 4|5…
    left-bound), and the last page alone when the count is even. Page 1 is a left page of a
    right-bound publication (a right page of a left-bound one); the last page alone faces it."""
    if count < 1:
        return []
    first = Spread((0,), "left" if rtl else "right")
    found = [first]
    for even in range(1, count, 2):  # 0-based: pages 2, 4, 6… (1-based) and the page after
        pair = (even, even + 1) if even + 1 < count else (even,)
        if len(pair) == 1:
            found.append(Spread(pair, "right" if rtl else "left"))
        else:
            found.append(Spread(tuple(reversed(pair)) if rtl else pair))
    return found


def _open(pdf: Path) -> pdfium.PdfDocument:
    """The PDF, opened by pdfium; a missing, unreadable, damaged or locked file → one line."""
    if not pdf.is_file():
        raise ContentError("no such PDF file" if not pdf.exists() else "is not a file", pdf)
    try:
        with pdf.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", pdf) from None
    if b"%PDF-" not in head:
        raise ContentError("is not a PDF (no %PDF- header)", pdf)
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise ContentError("is encrypted and needs a password: cannot be proofed", pdf) from None
        raise ContentError(f"is damaged and cannot be read ({exc})", pdf) from None
    if len(document) == 0:
        document.close()
        raise ContentError("has no pages", pdf)
    return document


def is_right_to_left(document: pdfium.PdfDocument) -> bool:
    """True when the PDF's /ViewerPreferences say /Direction /R2L."""
    size = pdfium.raw.FPDF_VIEWERREF_GetName(document, b"Direction", None, 0)
    if size <= 0:
        return False
    buffer = ctypes.create_string_buffer(size)
    pdfium.raw.FPDF_VIEWERREF_GetName(document, b"Direction", buffer, size)
    return buffer.value == b"R2L"


def _render(document: pdfium.PdfDocument, index: int, scale: float) -> Image.Image:
    """One page, trimmed (its TrimBox, else its CropBox), at ``scale`` pixels per point."""
    page = document[index]
    try:
        page.set_cropbox(*page.get_trimbox())
        return page.render(scale=scale, fill_color=(*PAPER, 255)).to_pil().convert("RGB")
    finally:
        page.close()


def _spread_image(document: pdfium.PdfDocument, spread: Spread, scale: float) -> Image.Image:
    pages = [_render(document, index, scale) for index in spread.pages]
    width = sum(p.width for p in pages)
    image = Image.new("RGB", (width, max(p.height for p in pages)), PAPER)
    x = 0
    for page in pages:
        image.paste(page, (x, 0))
        x += page.width
    return image


def _label(document: pdfium.PdfDocument, index: int) -> str:
    """A page's printed folio (its /PageLabels entry), else its number."""
    try:
        label = document.get_page_label(index)
    except Exception:  # a damaged label tree: the page's number
        label = ""
    return label or str(index + 1)


def _font(fonts: Path, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The labels' face: the first regular font of fonts/ (shaped by Raqm when Pillow has it)."""
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for path in sorted(fonts.glob("*-Regular.[ot]tf")) + sorted(fonts.glob("*.[ot]tf")):
        try:
            return ImageFont.truetype(str(path), size, layout_engine=layout)
        except OSError:
            continue
    return ImageFont.load_default()


def contact_sheet(thumbs: list[tuple[Image.Image, Spread, list[str]]], rtl: bool,
                  fonts: Path) -> Image.Image:
    """All spreads as thumbnails, PER_ROW to a row (right to left for a right-bound PDF), each
    page's folio under it; a page alone stands on its side of the spine."""
    page_width = max((t.width // len(s.pages) for t, s, _ in thumbs), default=1)
    cell_w, label_h, gap = 2 * page_width, 34, 18
    cell_h = max(t.height for t, _, _ in thumbs) + label_h
    per_row = min(PER_ROW, len(thumbs))
    rows = math.ceil(len(thumbs) / per_row)
    sheet = Image.new("RGB", (per_row * cell_w + (per_row + 1) * gap, rows * cell_h + (rows + 1) * gap),
                      BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _font(fonts, 18)
    shaped = {"direction": "rtl"} if rtl and features.check("raqm") else {}
    for number, (thumb, spread, labels) in enumerate(thumbs):
        row, column = divmod(number, per_row)
        if rtl:
            column = per_row - 1 - column
        x0 = gap + column * (cell_w + gap)
        y0 = gap + row * (cell_h + gap)
        x = x0 + (cell_w - thumb.width) // 2
        if spread.side == "left":
            x = x0 + cell_w // 2 - thumb.width
        elif spread.side == "right":
            x = x0 + cell_w // 2
        sheet.paste(thumb, (x, y0))
        draw.rectangle((x - 1, y0 - 1, x + thumb.width, y0 + thumb.height), outline=(150, 144, 136))
        half = thumb.width // len(labels)
        for index, label in enumerate(labels):  # each folio under its own page
            draw.text((x + index * half + half // 2, y0 + thumb.height + 6), label, font=font,
                      fill=INK, anchor="ma", **shaped)
    return sheet


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def proof(pdf: Path, folder: Path, *, dpi: int = DEFAULT_DPI, project: Project | None = None
          ) -> list[tuple[Path, str]]:
    """Write ``folder``/spread-NN.png for every spread of ``pdf`` and ``folder``/contact-sheet.png;
    each file atomically, stale spreads of an earlier, longer proof removed. Return (file, what
    it shows). A bad PDF or folder is an error before anything is written."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise OutputError(f"--dpi must be between {MIN_DPI} and {MAX_DPI}, not {dpi}", pdf)
    project = project or Project.find()
    document = _open(pdf)
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError("is a file, not a folder: proofs go into a folder", folder)
        build.check_output(folder / CONTACT, project, [pdf], pdf=False)
        rtl = is_right_to_left(document)
        plan = spreads(len(document), rtl)
        written: list[tuple[Path, str]] = []
        thumbs = []
        for number, spread in enumerate(plan, 1):
            image = _spread_image(document, spread, dpi / 72)
            labels = [_label(document, i) for i in spread.pages]
            target = folder / SPREAD.format(number)
            build.write_atomically(target, _png(image))
            pages = " | ".join(str(i + 1) for i in spread.pages)
            written.append((target, f"page{'s' if len(spread.pages) > 1 else ''} {pages}"))
            scale = THUMB_HEIGHT / image.height
            thumbs.append((image.resize((max(1, round(image.width * scale)), THUMB_HEIGHT),
                                        Image.Resampling.LANCZOS), spread, labels))
        sheet = folder / CONTACT
        build.write_atomically(sheet, _png(contact_sheet(thumbs, rtl, project.fonts)))
        written.append((sheet, f"{len(plan)} spreads, {len(document)} pages"))
    finally:
        document.close()
    for stale in folder.glob("spread-*.png"):
        if _SPREAD_NAME.fullmatch(stale.name) and stale not in {path for path, _ in written}:
            stale.unlink(missing_ok=True)
    return written


def describe(pdf: Path, written: list[tuple[Path, str]]) -> list[str]:
    """What the command prints: one line per file written."""
    return [f"{display_path(path)}: {what} ({display_path(pdf)})" for path, what in written]


def parser() -> argparse.ArgumentParser:
    """The `proof` command's options."""
    parser = OneLineParser(
        prog="make_pdf.py proof",
        description="Render FILE.pdf as it opens — page 1 alone, then spreads (3|2, 5|4… for a "
                    "right-to-left PDF) — into DIR/spread-NN.png, and all of them as thumbnails "
                    "with their folios on DIR/contact-sheet.png, for reviewers without a PDF viewer.")
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="the folder to write the PNG files into")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                        help=f"pixels per inch of the spreads ({MIN_DPI}–{MAX_DPI}; default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_const", const=-1, dest="verbosity", default=0,
                        help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_const", const=1, dest="verbosity")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run `proof`: write the files, say which."""
    written = proof(args.pdf, args.output, dpi=args.dpi)
    if args.verbosity >= 0:
        print("\n".join(describe(args.pdf, written)))
    return 0
