"""Edition name (print, screen, archive) → page CSS, write options, finishing steps, preflight: one table."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageCms

from pressroom import __version__
from pressroom.errors import ContentError, LayoutError, ToolkitError
from pressroom.layout import preflight
from pressroom.layout.weasy import Attachment
from pressroom.pdf import finish
from pressroom.pdf.finish import OutputProfile
from pressroom.report import note, warn
from pressroom.sources.content import key_line, read_text

#: Beyond the bleed, where the crop marks are drawn (WeasyPrint draws them in the outer half of
#: its bleed area, so its bleed is made wide enough to keep them clear of the real one).
MARK_AREA_MM = 9.0


@dataclass(frozen=True)
class Edition:
    """What one edition promises: its settings (from which its page CSS and WeasyPrint's write
    options follow: page_css, pdf_options), the steps that finish its PDF, and the checks run
    on its laid-out pages. WeasyPrint's own VARIANTS table pairs each PDF variant with its
    function the same way."""

    name: str
    bleed_mm: float = 0.0
    marks: bool = False
    variant: str | None = None  # WeasyPrint's pdf_variant
    tagged: bool = False
    image_dpi: int | None = None
    attach_sources: bool = False
    finishing: tuple[finish.Step, ...] = ()  # run in order on WeasyPrint's PDF objects
    preflight: tuple[preflight.Check, ...] = ()  # run on the laid-out pages

    @property
    def cmyk(self) -> bool:
        return self.variant is not None and self.variant.startswith("pdf/x")


#: What every edition does to WeasyPrint's PDF first.
_TEXT_AND_VIEW = (finish.text_layer, finish.viewer_preferences, finish.embedded_fonts)

EDITIONS = {
    # PDF/X-4: 3 mm bleed, crop marks outside it, a CMYK output intent; photos checked for print.
    "print": Edition("print", bleed_mm=3.0, marks=True, variant="pdf/x-4",
                     finishing=(*_TEXT_AND_VIEW, finish.bleed_boxes, finish.srgb_default,
                                finish.output_intent, finish.xmp),
                     preflight=(preflight.photo_resolution, preflight.rgb_photos)),
    # RGB, photos downsampled to about 150 ppi at their placed size, tagged, links live.
    "screen": Edition("screen", tagged=True, image_dpi=150, finishing=_TEXT_AND_VIEW),
    # PDF/A-3u: "u" because archivists search and copy: every glyph must map to Unicode, which
    # the text-layer repair guarantees; "3" to attach the source. Tagged, with XMP metadata.
    "archive": Edition("archive", variant="pdf/a-3u", tagged=True, attach_sources=True,
                       finishing=(*_TEXT_AND_VIEW, finish.xmp, finish.unique_attachments)),
}
DEFAULT_EDITION = "print"


def edition(name: str) -> Edition:
    """The edition called ``name``, or an error listing the ones there are."""
    try:
        return EDITIONS[name]
    except KeyError:
        raise ToolkitError(f"unknown variant {name!r} (available: {', '.join(EDITIONS)})") from None


def page_css(chosen: Edition, output_intent: Path | None) -> str:
    """The stylesheet the edition adds to the layout's: bleed, marks, the CMYK profile."""
    # A user stylesheet for WeasyPrint: !important to override the layout's own --bleed token.
    rules = [f":root {{ --bleed: {chosen.bleed_mm}mm !important; }}"]
    if chosen.bleed_mm:
        area = chosen.bleed_mm + (MARK_AREA_MM if chosen.marks else 0)
        marks = " marks: crop;" if chosen.marks else ""
        rules.append(f"@page {{ bleed: {area}mm;{marks} }}")
    if chosen.cmyk and output_intent is not None:
        rules.append(f"@color-profile device-cmyk {{ src: url(\"{output_intent.as_uri()}\"); "
                     "components: cyan, magenta, yellow, black; }")
    return "\n".join(rules)


def build_date(article, chosen: Edition) -> dt.datetime | None:
    """The date the PDF carries: the article's ``date:``, else SOURCE_DATE_EPOCH — never the
    clock, so the same input gives the same bytes. Without either, the screen edition carries no
    date; PDF/X and PDF/A need one, and get 1970-01-01 with a word about it."""
    if article.date is not None:
        day = article.date
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ToolkitError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}") from None
    if chosen.variant is None:
        return None
    say = warn if chosen.attach_sources else note  # an archive without a date is a real gap
    say("no date: (front matter) and no SOURCE_DATE_EPOCH: the PDF is dated 1970-01-01",
        article.path)
    return dt.datetime.fromtimestamp(0, tz=dt.timezone.utc)


def identifier(source_bytes: bytes, chosen: Edition) -> bytes:
    """The permanent half of the PDF's /ID (and the XMP DocumentID): the same article in the
    same edition is the same document, whatever its photos or layout; the other half of /ID
    is the hash of the file's content. Derived from the input, so rebuilds are identical."""
    digest = hashlib.sha256(source_bytes + chosen.name.encode() + __version__.encode())
    return digest.hexdigest()[:32].encode()


#: The shipped profile (layouts/profiles/README.md says where it came from).
DEFAULT_PROFILE = ("profiles", "Pressroom-FOGRA39.icc", "FOGRA39")


def output_profile(chosen: Edition, given: Path | None, project) -> OutputProfile | None:
    """The output intent of a CMYK edition: a printer's profile, or the shipped FOGRA39 one."""
    if not chosen.cmyk:
        if given is not None:
            raise ToolkitError(f"--output-intent is for the print edition, not {chosen.name}",
                               given)
        return None
    if given is None:
        folder, filename, name = DEFAULT_PROFILE
        path = project.layouts / folder / filename
        if not path.is_file():
            raise LayoutError("the print edition's CMYK profile is missing", path)
        return OutputProfile(path, name)
    try:
        profile = ImageCms.getOpenProfile(str(given))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ToolkitError(f"not an ICC profile: {exc}", given) from None
    if profile.profile.xcolor_space.strip() != "CMYK" or profile.profile.device_class != "prtr":
        raise ToolkitError("the output intent must be a CMYK printer (output) profile", given)
    name = ImageCms.getProfileDescription(profile).strip() or given.stem
    return OutputProfile(given, name)


def xmp_extras(article) -> dict[str, str | list[str]]:
    """What the XMP packet says beyond WeasyPrint's title, author and dates."""
    extras: dict[str, str | list[str]] = {"language": article.lang}
    if article.source:
        extras["source"] = article.source
    if article.date:
        extras["date"] = article.date.isoformat()
    if article.publication:
        extras["publisher"] = article.publication
    if article.keywords:
        extras["keywords"] = list(article.keywords)
    return extras


def pdf_options(chosen: Edition, doc_id: bytes) -> dict:
    """WeasyPrint's write_pdf options for the edition."""
    return {
        "pdf_variant": chosen.variant,
        "pdf_identifier": doc_id,
        "pdf_tags": chosen.tagged,
        "output_intent": "device-cmyk" if chosen.cmyk else None,
        **image_options(chosen),
    }


def image_options(chosen: Edition) -> dict:
    """How WeasyPrint resamples photos for the edition (read when images load, and on write)."""
    if chosen.image_dpi:
        return {"dpi": chosen.image_dpi, "optimize_images": True, "jpeg_quality": 82}
    return {}


def original_file(article, project, max_bytes: int | None = None) -> Path | None:
    """The file front matter ``original:`` names, checked in every edition: a regular,
    non-hidden file (no link) beside the article, in its originals/ folder or in the project's
    content/originals/ — nothing else, whatever the path says (``..``, links, hidden files)."""
    if not article.original:
        return None
    source = article.path
    line = key_line(read_text(source), "original")
    given = Path(article.original)
    candidate = given if given.is_absolute() else source.parent / given
    folder = source.resolve().parent
    allowed = (folder, folder / "originals", (project.content / "originals").resolve())

    def refuse(why: str) -> ContentError:
        return ContentError(f"original {article.original!r} {why}", source, line)

    if any(part.startswith(".") and part != ".." for part in given.parts) or \
            candidate.name.startswith("."):
        raise refuse("is hidden: the original must be a visible file beside the article")
    try:
        status = candidate.lstat()
    except FileNotFoundError:
        raise refuse("not found (a file beside the article or in content/originals/)") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror}") from None
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISREG(status.st_mode):
        raise refuse("is not a regular file (links and folders are not attached)")
    if candidate.resolve().parent not in allowed:
        raise refuse("must lie beside the article, in its originals/ folder or in "
                     "content/originals/")
    if max_bytes is not None and status.st_size > max_bytes:
        raise refuse(f"is {status.st_size:,} bytes, over the limit of {max_bytes:,} "
                     "(--max-article-bytes)")
    return candidate.resolve()


def source_attachments(source: Path, source_bytes: bytes, article, moment: dt.datetime | None,
                       fetcher, markdown: str | None = None, original: Path | None = None) -> list:
    """The article's source files, to be kept inside the PDF (PDF/A-3 associated files):
    the source itself, ``markdown``, the scraped article as editable Markdown (given for a
    scraped source), and ``original`` (see original_file)."""
    naive = (moment or dt.datetime.fromtimestamp(0, tz=dt.timezone.utc)).replace(tzinfo=None)

    def attach(data: bytes, name: str, description: str, relationship: str = "Source"):
        return Attachment(file_obj=io.BytesIO(data), name=name, description=description,
                          created=naive, modified=naive, relationship=relationship,
                          url_fetcher=fetcher)

    found = [attach(source_bytes, source.name, "The article this PDF was built from")]
    if markdown is not None:
        found.append(attach(markdown.encode("utf-8"), f"{source.stem}.md",
                            "The article as editable Markdown", "Supplement"))
    elif original is not None:
        found.append(attach(original.read_bytes(), original.name,
                            "The scraped text the article was imported from"))
    return found
