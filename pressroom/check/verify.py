"""A PDF → what readers get out of it: text per page, fonts, boxes, images, outline, metadata."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from pressroom.check.pdfread import DEFAULT_LIMITS, Deadline, Limits, first_pages, guard_streams, open_reader

#: pdf.js (Firefox's reader) as Node runs it: this repository's bench/pdfjs, after `npm install`
#: there (nothing else needs Node).
PDFJS = Path(__file__).resolve().parents[2] / "bench" / "pdfjs"
#: Node's heap for pdf.js, in MB: a PDF that needs more is not read by it (the others go on).
PDFJS_HEAP_MB = 1024

#: Invisible marks a search skips (default-ignorable format characters: a word segmenter after
#: UAX #29 reads them as part of the word they stand in, collation-based searches ignore them):
#: the bidi marks, and U+180E, which glyphfold draws before a run of Arabic-Indic digits for
#: pypdf — between the digits and a letter glued to them ("و٤", "و٢٠١٥").
INVISIBLE_MARKS = "\u200e\u200f\u061c\u2063\u180e"
_BIDI_MARKS = re.compile(f"[{INVISIBLE_MARKS}]")
_BIDI_EMBEDDINGS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: A word: letters and digits, and the zero-width non-joiners and joiners inside it (Persian
#: writes "می‌گوید", "چای‌خانه‌ها" with U+200C: one word, which a search finds only whole).
_WORD = re.compile("[^\\W_]+(?:[\u200c\u200d][^\\W_]+)*")


def normalise(text: str) -> str:
    """NFKC, no tatweel, no bidi marks and no embedding or isolate controls: the form words are
    compared in. The controls poppler wraps around every run of another direction are format
    characters, which no viewer shows and which a word segmenter reads as part of the word they
    stand in (UAX #29, WB4), as a search does: "و‪4‬" is the word "و4" as written, "م‪³‬" the unit
    "م³", "‪۱۳۶۰‬‏‌ها" one Persian word. (They were taken for word breaks, and every number joined
    to a letter, "و4", "و2½", "ب٣٠٪", counted as two words in poppler's text, which left an
    article full of them below poppler's goal; a run that poppler glues to the next word, with no
    space between, is read glued, as it shows.)"""
    text = unicodedata.normalize("NFKC", text).replace("\u0640", "")
    return _BIDI_EMBEDDINGS.sub("", _BIDI_MARKS.sub("", text))


def words(text: str) -> list[str]:
    """Letter/digit words of ``text`` after normalisation."""
    return _WORD.findall(normalise(text))


def pdfjs_unavailable() -> str | None:
    """Why pdf.js cannot be run here (no Node, or no pdfjs-dist in bench/pdfjs), or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (PDFJS / "extract.mjs").is_file():
        return f"{PDFJS} is not here (it comes with pressroom's repository)"
    if not (PDFJS / "node_modules" / "pdfjs-dist").is_dir():
        return f"pdfjs-dist is not installed (`npm install` in {PDFJS})"
    return None


@dataclass(frozen=True)
class FontInfo:
    """One font resource as the PDF declares it."""

    name: str
    subtype: str
    embedded: bool

    @property
    def family(self) -> str:
        """The base font name without the subset prefix ('ABCDEF+Amiri' → 'Amiri')."""
        return self.name.split("+", 1)[-1]


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _fonts_of(resources: DictionaryObject, seen: set[int], found: dict[str, FontInfo]) -> None:
    fonts = _resolve(resources.get("/Font")) or {}
    for ref in fonts.values():
        font = _resolve(ref)
        descendants = font.get("/DescendantFonts")
        target = _resolve(_resolve(descendants)[0]) if descendants else font
        descriptor = _resolve(target.get("/FontDescriptor")) or {}
        embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        found[name] = FontInfo(name, str(font.get("/Subtype", "")).lstrip("/"), embedded)
    xobjects = _resolve(resources.get("/XObject")) or {}
    for ref in xobjects.values():
        xobject = _resolve(ref)
        key = id(xobject)
        if key in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(key)
        if "/Resources" in xobject:
            _fonts_of(_resolve(xobject["/Resources"]), seen, found)


@dataclass(frozen=True)
class PlacedImage:
    """An image painted on a page: pixel size and the SHA-256 of its stored bytes."""

    width: int
    height: int
    sha256: str


class PdfReport:
    """Read-only views of one PDF file: its first ``limits.pages`` pages (see pdfread.py; run
    inside ``pdfread.reading`` for the other limits and one-line errors)."""

    def __init__(self, path: Path | str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self.deadline = Deadline(limits.seconds)
        self.reader = open_reader(self.path)
        #: The pages read (at most limits.pages), and how many the document has.
        self.page_objects, self.page_count = first_pages(self.reader, limits.pages, self.path)
        self._guarded = False
        #: The readers texts() could not run, and why ("pdf.js": "node is not installed").
        self.skipped: dict[str, str] = {}

    @property
    def pages(self) -> int:
        return self.page_count

    def fonts(self) -> dict[str, FontInfo]:
        """Every font used on any page (including inside form XObjects), by base name."""
        found: dict[str, FontInfo] = {}
        for page in self.page_objects:
            if "/Resources" in page:
                _fonts_of(_resolve(page["/Resources"]), set(), found)
        return found

    def page_size_mm(self, index: int = 0) -> tuple[float, float]:
        """The page's trim size (TrimBox, else MediaBox) in millimetres."""
        page = self.page_objects[index]
        box = page.trimbox if "/TrimBox" in page else page.mediabox
        return (round(float(box.width) * 25.4 / 72, 1), round(float(box.height) * 25.4 / 72, 1))

    def images_per_page(self) -> list[list[PlacedImage]]:
        """The images each page paints (`Do` of image XObjects, inside forms too)."""
        pages = []
        for page in self.page_objects:
            found = _painted_images(page.get_contents(), _resolve(page.get("/Resources")) or {},
                                    self.reader)
            pages.append([PlacedImage(int(x["/Width"]), int(x["/Height"]),
                                      hashlib.sha256(x.get_data()).hexdigest()) for x in found])
        return pages

    def text_pypdf(self) -> list[str]:
        """Each page's text as pypdf extracts it."""
        texts = []
        for page in self.page_objects:
            self.deadline.check()
            texts.append(page.extract_text() or "")
        return texts

    def text_pdfium(self) -> list[str]:
        """Each page's text as pdfium (Chrome's reader, via pypdfium2) extracts it."""
        import pypdfium2

        document = pypdfium2.PdfDocument(self.path)
        try:
            texts = []
            for index in range(min(len(document), len(self.page_objects))):
                self.deadline.check()
                page = document[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return texts
        finally:
            document.close()

    def text_poppler(self) -> list[str] | None:
        """Each page's text as poppler's pdftotext extracts it; None (and why, in ``skipped``)
        when it is not installed or fails on the file."""
        if shutil.which("pdftotext") is None:
            self.skipped["poppler"] = "pdftotext is not installed (poppler-utils)"
            return None
        read = len(self.page_objects)
        done = self._run(["pdftotext", "-l", str(read), "-enc", "UTF-8", str(self.path), "-"], "poppler")
        if done is None:
            return None
        return done.stdout.decode("utf-8", "replace").split("\f")[:read]

    def text_pdfjs(self) -> list[str] | None:
        """Each page's text as pdf.js extracts it (bench/pdfjs/extract.mjs, one Node process for
        the pages read); None (and why, in ``skipped``) where Node or pdfjs-dist is missing or
        pdf.js cannot read the file."""
        missing = pdfjs_unavailable()
        if missing is not None:
            self.skipped["pdf.js"] = missing
            return None
        done = self._run(["node", f"--max-old-space-size={PDFJS_HEAP_MB}", str(PDFJS / "extract.mjs"),
                          str(self.path), str(len(self.page_objects))], "pdf.js")
        if done is None:
            return None
        try:
            pages = json.loads(done.stdout)
        except ValueError:
            pages = None
        if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
            self.skipped["pdf.js"] = "node gave no page texts"
            return None
        return pages

    def _run(self, command: list[str], reader: str) -> subprocess.CompletedProcess[bytes] | None:
        """A reader's process, within the time left; None (and why, in ``skipped``) when it fails."""
        try:
            done = subprocess.run(command, capture_output=True, timeout=max(self.deadline.remaining(), 0.1),
                                  check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            self.deadline.check()
            self.skipped[reader] = "out of time"
            return None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            why = " ".join(said[-1].split())[:160] if said else f"exit status {done.returncode}"
            self.skipped[reader] = f"{command[0]} could not read it: {why}"
            return None
        return done

    def texts(self, pdfjs: bool = False) -> dict[str, list[str]]:
        """Every available reader's pages: pdfium, pypdf, poppler (when installed) and, with
        ``pdfjs``, pdf.js (where Node has it); ``skipped`` says why one is missing. Every stream
        that draws them is first decoded once under the stream cap, so no reader meets a bomb."""
        if not self._guarded:
            guard_streams(self.page_objects, self.limits, self.deadline, self.path)
            self._guarded = True
        found = {"pdfium": self.text_pdfium(), "pypdf": self.text_pypdf()}
        others = {"poppler": self.text_poppler, "pdf.js": self.text_pdfjs} if pdfjs else \
            {"poppler": self.text_poppler}
        for reader, read in others.items():
            pages = read()
            if pages is not None:
                found[reader] = pages
        return found

    def outline(self) -> list[str]:
        """The titles of the bookmarks, depth first."""
        titles: list[str] = []

        def walk(items) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    titles.append(str(item.title))

        walk(self.reader.outline)
        return titles

    def metadata(self) -> dict[str, str]:
        """The document information dictionary plus the catalog's /Lang."""
        info = {str(k).lstrip("/"): str(v) for k, v in (self.reader.metadata or {}).items()}
        lang = self.reader.trailer["/Root"].get("/Lang")
        if lang is not None:
            info["Lang"] = str(lang)
        return info


def _painted_images(contents, resources: DictionaryObject, reader: pypdf.PdfReader,
                    depth: int = 0) -> list[object]:
    if contents is None or depth > 8:
        return []
    xobjects = _resolve(resources.get("/XObject")) or {}
    found: list[object] = []
    for operands, operator in ContentStream(contents, reader).operations:
        if operator != b"Do" or operands[0] not in xobjects:
            continue
        xobject = _resolve(xobjects[operands[0]])
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            inner = _resolve(xobject.get("/Resources")) or resources
            found += _painted_images(xobject, inner, reader, depth + 1)
    return found
