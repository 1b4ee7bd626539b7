"""Issue manifest → one PDF: articles laid out apart (in parallel processes), counted, then
assembled with the cover, the contents, running heads, folios, bookmarks and page labels."""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from pressroom import build, scratch, stopping
from pressroom.errors import LayoutError, StrictError, ToolkitError
from pressroom.layout import cssdiag, foresight, images, render, weasy
from pressroom.layout.weasy import Attachment
from pressroom.limits import DEFAULT_LIMITS, Limits
from pressroom.model import Article, counter_style
from pressroom.pdf import editions
from pressroom.pdf.editions import Edition
from pressroom.pdf.glyphtext import GlyphTexts
from pressroom.project import Project
from pressroom.report import LOGGER, collect_warnings
from pressroom.sources import manifest
from pressroom.sources.manifest import Issue

#: Where the contents and cover lines point before the assembly knows the pages.
LINK_PREFIX = "https://pressroom.invalid/article/"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MONTHS = {
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fa": ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
           "نوامبر", "دسامبر"),
    "ur": ("جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر",
           "نومبر", "دسمبر"),
}


@dataclass(frozen=True)
class Settings:
    """What every part of one issue build shares (sent to worker processes)."""

    project: Project
    layout: str = build.DEFAULT_LAYOUT
    variant: str = editions.DEFAULT_EDITION
    output_intent: Path | None = None
    strict: bool = False
    limits: Limits = DEFAULT_LIMITS
    date: dt.date | None = None  # the issue's, for articles without a date of their own


@dataclass(frozen=True)
class Part:
    """One article laid out for the issue: its PDF (no folios, no running heads) and pages."""

    source: Path
    article: Article
    pdf: bytes
    pages: int  # the article's pages (not counting a leading page left out)
    warnings: tuple[str, ...]
    skip: int = 0  # pages at the start of ``pdf`` that the issue leaves out
    html: str = ""  # what its pages were laid out from (build.html_of)


@dataclass(frozen=True)
class Page:
    """One page of the issue: what it is, and for an article page, whose and which."""

    number: int  # 1-based, the folio
    kind: str  # cover | contents | blank | article
    part: int | None = None
    index: int = 0  # page index inside the part


@dataclass(frozen=True)
class BuiltIssue:
    """What one issue build produced."""

    issue: Issue
    output: Path
    pages: int
    warnings: tuple[str, ...]
    starts: tuple[int, ...]  # each article's first page


PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def digits(number: int | str, lang: str) -> str:
    """A number in the issue's digits (Arabic-Indic for Arabic, extended Arabic-Indic for
    Persian, Urdu and Pashto)."""
    style = counter_style(lang)  # (the digits of the folios, so that labels and folios agree)
    if style == "persian":
        return str(number).translate(PERSIAN_DIGITS)
    return str(number).translate(ARABIC_INDIC) if style == "arabic-indic" else str(number)


def issue_line(issue: Issue) -> str:
    """'العدد ١٢ · أكتوبر ٢٠١٩': the issue's number and date as cover and running heads print them."""
    lang = issue.lang.split("-")[0].lower()
    words = render.words(issue.lang)
    parts = [f"{words['issue']} {digits(issue.number, issue.lang)}"] if issue.number else []
    if issue.date:
        months = MONTHS.get(lang, MONTHS["en"])
        parts.append(f"{months[issue.date.month - 1]} {digits(issue.date.year, issue.lang)}")
    return " · ".join(parts)


def lay_out_part(source: Path, settings: Settings, side: str = "recto",
                 placements: foresight.Placements | None = None,
                 glyph_texts: GlyphTexts | None = None) -> Part:
    """One article of the issue → its PDF edition without running heads and folios, through
    the same stages as an article on its own (build.py), dated by the issue if it has no date;
    starting on a verso, it is laid out after a page of its own that the issue leaves out.
    ``placements`` and ``glyph_texts``: a warm process's last figure placements (foresight.py)
    and what it read from the fonts, as for an article."""
    project = settings.project
    with (collect_warnings(source, project.layouts / settings.layout) as warnings,
          images.pixel_limit(settings.limits.image_pixels)):
        article = build.load(source, settings.limits)
        if article.date is None and settings.date is not None:
            article = dataclasses.replace(article, date=settings.date)
        ctx = build.context(source, project, layout=settings.layout, variant=settings.variant,
                            output_intent=settings.output_intent, strict=settings.strict,
                            limits=settings.limits, glyph_texts=glyph_texts, in_issue=side)
        document, pdf = build.typeset_and_finish(ctx, article, placements)
    if settings.strict and warnings:
        raise StrictError(f"{len(warnings)} warning(s) with --strict; the first: {warnings[0]}",
                          source)
    skip = 1 if side == "verso" else 0
    return Part(source, article, pdf, len(document.pages) - skip, tuple(warnings), skip,
                build.html_of(document))


def _part_in_worker(source: Path, settings: Settings, side: str) -> Part:
    """lay_out_part in a worker process: its warnings travel back in the Part, not to stderr."""
    for name in (LOGGER.name, weasy.LOGGER_NAME, weasy.PROGRESS_LOGGER_NAME):
        logger = logging.getLogger(name)
        logger.handlers[:] = [logging.NullHandler()]
        logger.propagate = False
    with stopping.task(), scratch.removing_made_folders():
        return lay_out_part(source, settings, side)


class _Silence(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Nothing logged meanwhile: an article laid out again has said its warnings already."""
    silence = _Silence()
    loggers = [LOGGER, logging.getLogger(weasy.LOGGER_NAME)]
    for logger in loggers:
        logger.addFilter(silence)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(silence)


def lay_out_parts(sources: list[Path], settings: Settings, jobs: int, side: str = "recto",
                  say: bool = True, placements: foresight.Placements | None = None,
                  glyph_texts: GlyphTexts | None = None) -> list[Part]:
    """Articles of the issue, laid out in ``jobs`` processes (1: in this one), starting on
    ``side``; ``say``: log their warnings (once per article and build); ``placements``, ``glyph_texts``:
    a warm process's, for the articles laid out in this one (one article, or ``jobs`` 1)."""
    if jobs <= 1 or len(sources) == 1:
        with contextlib.nullcontext() if say else _quiet():
            return [lay_out_part(s, settings, side, placements, glyph_texts) for s in sources]
    # fork: the workers start with everything this process has imported (a spawned worker
    # would import WeasyPrint again, about a second each); nothing has been laid out yet here
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = concurrent.futures.ProcessPoolExecutor(min(jobs, len(sources)), mp_context=context,
                                                  initializer=stopping.worker_init)
    workers = []
    try:
        futures = [pool.submit(_part_in_worker, source, settings, side) for source in sources]
        workers = list(pool._processes.values())  # all started by the first submit (fork)
        parts = [future.result() for future in futures]
    except BaseException:  # stopped by a signal, or an article failed: the rest is not needed
        workers = workers or list((pool._processes or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        stopping.stop_workers(workers)  # each cleans up; none is waited for past a grace period
        raise
    pool.shutdown()
    for part in parts if say else []:  # said again here, in the order of the issue
        for message in part.warnings:
            LOGGER.warning("%s", message, extra={"pressroom_named": True})
    return parts


#: How an issue's articles get laid out: lay_out_parts, or one that reuses parts laid out before
#: (the watch's: only the articles that changed are laid out again).
PartsLayout = Callable[[list[Path], Settings, int, str, bool], list[Part]]


def plan(issue: Issue, front_pages: int, parts: list[Part]) -> list[Page]:
    """Every page of the issue: the front pages, then each article from its first page (on a
    recto, with a blank page put in before it when needed, if the issue says so)."""
    pages = [Page(1, "cover")] + [Page(n, "contents") for n in range(2, front_pages + 1)]
    for number, part in enumerate(parts):
        if issue.start == "recto" and len(pages) % 2 == 1:  # the next page would be a verso
            pages.append(Page(len(pages) + 1, "blank"))
        base = len(pages)
        pages += [Page(base + 1 + i, "article", number, i) for i in range(part.pages)]
    return pages


def _verso_parts(issue: Issue, settings: Settings, jobs: int, parts: list[Part],
                 first: dict[int, int], lay_out: PartsLayout = lay_out_parts) -> list[Part]:
    """Articles that start on a verso (``start: any``), laid out again for that side: the
    mirrored margins differ, the page count may not (the same text width on both sides)."""
    verso = [number for number, page in first.items() if page % 2 == 0]
    if not verso:
        return parts
    again = lay_out([parts[i].source for i in verso], settings, jobs, "verso", False)
    parts = list(parts)
    for number, part in zip(verso, again, strict=True):
        if part.pages != parts[number].pages:
            raise LayoutError(f"{parts[number].source.name} takes {part.pages} pages on a verso "
                              f"and {parts[number].pages} on a recto: the layout's left and right "
                              "pages must leave the same text width", settings.project.layouts)
        parts[number] = part
    return parts


def sheet_kind(page: Page) -> str:
    """What the page's sheet carries: nothing (plain), the folio (opener), or running heads too."""
    if page.kind != "article":
        return "plain"
    return "opener" if page.index == 0 else "body"


def starts(pages: list[Page]) -> dict[int, int]:
    """Each part's first page number."""
    first: dict[int, int] = {}
    for page in pages:
        if page.kind == "article" and page.part not in first:
            first[page.part] = page.number
    return first


class _Typesetter:
    """Lays out the issue's own pages (front matter, sheets) like an article's."""

    def __init__(self, issue: Issue, settings: Settings) -> None:
        self.issue = issue
        self.ctx = build.context(issue.path, settings.project, layout=settings.layout,
                                 variant=settings.variant, output_intent=settings.output_intent,
                                 strict=settings.strict, limits=settings.limits)
        self.env = render.environment(self.ctx.folder, issue.direction)
        self.cover = self._cover_image()
        self.laid_out = ""  # the HTML of the last pages laid out (build.html_of)

    def _cover_image(self) -> images.ResolvedImage | None:
        if self.issue.cover is None:
            return None
        stand_in = Article(title=self.issue.publication, path=self.issue.path, lang=self.issue.lang,
                           blocks=(self.issue.cover,))
        return build.resolve_images(self.ctx, stand_in)[self.issue.cover]

    def html(self, part: str, **context) -> str:
        return render.fill(self.env, self.ctx.folder, "issue.html.j2", issue=self.issue, part=part,
                           title=title_of(self.issue), issue_line=issue_line(self.issue),
                           words=render.words(self.issue.lang),
                           cover_image=self.cover, link=lambda i: f"{LINK_PREFIX}{i}", **context)

    def pdf(self, html: str, *, attachments: list | None = None,
            cover: bool = False) -> tuple[bytes, int]:
        """The issue's own pages laid out and finished as an article's are (build.lay_out,
        build.finish_pdf), with the issue's date, identifier and metadata."""
        ctx = self.ctx
        stand_in = Article(title=title_of(self.issue), path=self.issue.path, lang=self.issue.lang,
                           date=self.issue.date)
        photos = {self.issue.cover: self.cover} if cover and self.cover else {}
        document = build.lay_out(ctx, stand_in, html, photos)  # preflight: the cover photo
        self.laid_out = build.html_of(document)
        pdf = build.finish_pdf(ctx, stand_in, document, doc_id=identifier(self.issue, ctx.edition),
                               xmp=xmp_extras(self.issue), attachments=attachments or [])
        return pdf, len(document.pages)


def title_of(issue: Issue) -> str:
    """The issue's title in the PDF's metadata and bookmarks."""
    return issue.title or " · ".join(p for p in (issue.publication, issue_line(issue)) if p)


def identifier(issue: Issue, chosen: Edition) -> bytes:
    """The issue's permanent /ID half: from the manifest and its articles' sources."""
    digest = hashlib.sha256(issue.path.read_bytes())
    for article in issue.articles:
        digest.update(article.source.read_bytes())
    return editions.identifier(digest.digest(), chosen)


def xmp_extras(issue: Issue) -> dict[str, str | list[str]]:
    extras: dict[str, str | list[str]] = {"language": issue.lang, "publisher": issue.publication}
    if issue.date:
        extras["date"] = issue.date.isoformat()
    return extras


def sections(issue: Issue, articles: list[Article]) -> list[tuple[str, list[int]]]:
    """The issue's sections in order: each title (the manifest's, else the first article's own;
    "" for none) and the indexes of the articles in a row under it."""
    groups: list[tuple[str, list[int]]] = []
    for number, (entry, article) in enumerate(zip(issue.articles, articles, strict=True)):
        title = entry.section or article.section or ""
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(number)
    return groups


def _contents(issue: Issue, parts: list[Part], first: dict[int, int]) -> list[dict]:
    """The contents page's groups: each section's articles with their first folio."""
    return [{"title": title, "entries": [{
        "index": number, "title": parts[number].article.title, "deck": parts[number].article.deck,
        "byline": parts[number].article.byline, "folio": digits(first.get(number, 0), issue.lang),
    } for number in numbers]} for title, numbers in sections(issue, [p.article for p in parts])]


def _attachments(issue: Issue, typesetter: _Typesetter) -> list[Attachment]:
    """The archive keeps the manifest and every article's source inside the issue's PDF."""
    stand_in = Article(title=issue.publication, path=issue.path, date=issue.date)
    moment = editions.build_date(stand_in, typesetter.ctx.edition) or dt.datetime.fromtimestamp(
        0, dt.timezone.utc)
    naive = moment.replace(tzinfo=None)
    files = [(issue.path, "The issue manifest this PDF was built from")] + [
        (a.source, "An article of the issue, as it was written") for a in issue.articles]
    names: set[str] = set()
    found = []
    for path, description in files:
        name = path.name if path.name not in names else f"{len(names)}-{path.name}"
        names.add(name)
        found.append(Attachment(file_obj=io.BytesIO(path.read_bytes()), name=name,
                                description=description, created=naive, modified=naive,
                                relationship="Source", url_fetcher=typesetter.ctx.fetcher))
    return found


def build_issue(path: Path, output: Path, *, settings: Settings, jobs: int = 0,
                lay_out: PartsLayout = lay_out_parts, html_folder: Path | None = None) -> BuiltIssue:
    """Build an issue manifest into one PDF edition, written atomically (its articles laid out
    by ``lay_out``); ``html_folder``: where to write, after the PDF, the HTML of its front pages and
    of each article as they were laid out (htmlout.write_issue)."""
    project = settings.project
    jobs = jobs or os.cpu_count() or 1
    with (collect_warnings(path, project.layouts / settings.layout) as warnings,
          cssdiag.said_once(project.layouts), images.pixel_limit(settings.limits.image_pixels)):
        issue = manifest.load(path, project)
        settings = dataclasses.replace(settings, date=issue.date)
        parts = lay_out([a.source for a in issue.articles], settings, jobs, "recto", True)
        typesetter = _Typesetter(issue, settings)
        front_count = 2
        for _ in range(3):  # the contents may need more pages once the folios are in
            pages = plan(issue, front_count, parts)
            first = starts(pages)
            html = typesetter.html("front", sections=_contents(issue, parts, first))
            attachments = _attachments(issue, typesetter) if typesetter.ctx.edition.attach_sources else None
            front, count = typesetter.pdf(html, attachments=attachments, cover=True)
            if count == front_count:
                front_html = typesetter.laid_out
                break
            front_count = count
        else:
            raise ToolkitError("the contents do not settle on a page count", path)
        parts = _verso_parts(issue, settings, jobs, parts, starts(pages), lay_out)
        sheets, _ = typesetter.pdf(typesetter.html("sheets", pages=[
            {"kind": sheet_kind(p), "title": parts[p.part].article.title if p.part is not None else ""}
            for p in pages]))
        pdf = assemble(issue, pages, front, sheets, parts)
    if settings.strict and warnings:
        raise StrictError(f"{len(warnings)} warning(s) with --strict; the first: {warnings[0]}", path)
    build.write_atomically(output, pdf)
    if html_folder is not None:
        from pressroom.layout import htmlout

        contexts = [build.context(part.source, project, layout=settings.layout, variant=settings.variant,
                                  output_intent=settings.output_intent, limits=settings.limits,
                                  in_issue="verso" if part.skip else "recto") for part in parts]
        htmlout.write_issue(html_folder, front_html, typesetter.ctx, [(p.source, p.html) for p in parts],
                            contexts, LINK_PREFIX)
    return BuiltIssue(issue, output, len(pages), tuple(warnings),
                      tuple(first[i] for i in range(len(parts))))


def assemble(issue: Issue, pages: list[Page], front: bytes, sheets: bytes, parts: list[Part]) -> bytes:
    """The issue's front pages, then its articles' pages with their sheets stamped over them."""
    out = pikepdf.open(io.BytesIO(front))
    sheet_pdf = pikepdf.open(io.BytesIO(sheets))
    part_pdfs = [pikepdf.open(io.BytesIO(p.pdf)) for p in parts]
    # made indirect and kept alive, so that each sheet is copied once and never mistaken for
    # another (the foreign-object copier remembers object numbers)
    forms = [sheet_pdf.make_indirect(page.as_form_xobject()) for page in sheet_pdf.pages]
    placed: list[list[pikepdf.Page]] = [[] for _ in parts]
    for page in pages[len(out.pages):]:
        if page.kind == "blank":
            out.pages.append(sheet_pdf.pages[page.number - 1])
            _untag(out.pages[-1])
            continue
        out.pages.append(part_pdfs[page.part].pages[page.index + parts[page.part].skip])
        stamp(out, out.pages[-1], out.copy_foreign(forms[page.number - 1]), page.number)
        placed[page.part].append(out.pages[-1])
    first = starts(pages)
    _merge_structure(out, part_pdfs, placed)
    _link_contents(out, first, [part.article.title for part in parts])
    _outline(out, issue, pages, part_pdfs, [p.skip for p in parts], first,
             sections(issue, [part.article for part in parts]))
    _page_labels(out, issue, pages)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def stamp(out: pikepdf.Pdf, page: pikepdf.Page, sheet: pikepdf.Object, number: int) -> None:
    """Draw the sheet over the page one to one (they share their boxes), under a name of its
    own: pages share their resources, and random names would change the bytes every build."""
    resources = page.obj.Resources
    if "/XObject" not in resources:
        resources.XObject = pikepdf.Dictionary()
    name = f"/PressroomSheet{number}"
    resources.XObject[name] = sheet
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    # running heads and folios are page furniture: an artifact in a tagged PDF
    page.contents_add(pikepdf.Stream(out, f"\nQ\n/Artifact BMC\nq\n{name} Do\nQ\nEMC\n".encode()))


def _untag(page: pikepdf.Page) -> None:
    """A page that takes no part in the structure tree (a blank page from the sheets)."""
    if "/StructParents" in page.obj:
        del page.obj["/StructParents"]


def _merge_structure(out: pikepdf.Pdf, part_pdfs: list[pikepdf.Pdf],
                     placed: list[list[pikepdf.Page]]) -> None:
    """Each article's structure tree under the issue's (a tagged edition): its elements become
    children of the issue's root, its parent-tree keys move past the ones already taken."""
    root = out.Root.get("/StructTreeRoot")
    if root is None:  # an untagged edition: its parts are untagged too
        return
    nums = _flat_nums(root.ParentTree)
    taken = [int(nums[i]) for i in range(0, len(nums), 2)]
    offset = max(taken) + 1 if taken else 0
    kids = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    for part, pages in zip(part_pdfs, placed, strict=True):
        own = part.Root.get("/StructTreeRoot")
        if own is None:
            for page in pages:
                _untag(page)
            continue
        tree = out.copy_foreign(own)  # its /Pg references meet the pages already copied
        part_nums = _flat_nums(tree.ParentTree)
        keys = [int(part_nums[i]) for i in range(0, len(part_nums), 2)]
        for i in range(0, len(part_nums), 2):
            nums += [int(part_nums[i]) + offset, part_nums[i + 1]]
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for element in (list(tree.K) if isinstance(tree.K, pikepdf.Array) else [tree.K]):
            element.P = root
            kids.append(element)
        offset += max(keys) + 1 if keys else 0
    root.K = pikepdf.Array(kids)
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = offset


def _flat_nums(tree: pikepdf.Object) -> list:
    """A number tree's key/value pairs, leaves gathered from its kids."""
    if "/Nums" in tree:
        return list(tree.Nums)
    return [item for kid in tree.get("/Kids", []) for item in _flat_nums(kid)]


def _link_contents(out: pikepdf.Pdf, first: dict[int, int], titles: list[str]) -> None:
    """Contents entries and cover lines point at their article's first page (and say which
    article to whoever reads the link's description)."""
    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(LINK_PREFIX):
                continue
            number = int(uri[len(LINK_PREFIX):])
            del annot["/A"]
            annot["/Dest"] = pikepdf.Array([out.pages[first[number] - 1].obj, pikepdf.Name.Fit])
            annot["/Contents"] = pikepdf.String(titles[number])


def _outline(out: pikepdf.Pdf, issue: Issue, pages: list[Page], part_pdfs: list[pikepdf.Pdf],
             skips: list[int], first: dict[int, int], groups: list[tuple[str, list[int]]]) -> None:
    """Bookmarks: the issue, its contents page, then each section (at its first article) with
    its articles under it, each with its sub-headings (an article in no section sits under the
    issue)."""
    words = render.words(issue.lang)
    with out.open_outline() as outline:
        outline.root.clear()
        top = pikepdf.OutlineItem(title_of(issue), 0)
        contents = next((p.number for p in pages if p.kind == "contents"), None)
        if contents:
            top.children.append(pikepdf.OutlineItem(words["contents"], contents - 1))
        marks: list[pikepdf.OutlineItem] = []
        for number, part in enumerate(part_pdfs):
            offset = first[number] - 1
            index = {page.obj.objgen: i - skips[number] for i, page in enumerate(part.pages)}
            with part.open_outline() as own:
                items = list(own.root)
            # WeasyPrint's top bookmark is the article's title (h1): its children are the heads
            titled = items[0] if len(items) == 1 else None
            item = pikepdf.OutlineItem(titled.title if titled else parts_title(part), offset)
            for child in (titled.children if titled else items):
                item.children.append(_moved(child, index, offset))
            marks.append(item)
        for title, numbers in groups:
            if not title:
                top.children.extend(marks[number] for number in numbers)
                continue
            section = pikepdf.OutlineItem(title, first[numbers[0]] - 1)
            section.children.extend(marks[number] for number in numbers)
            top.children.append(section)
        outline.root.append(top)


def parts_title(part: pikepdf.Pdf) -> str:
    return str(part.docinfo.get("/Title", ""))


def _moved(item: pikepdf.OutlineItem, index: dict, offset: int) -> pikepdf.OutlineItem:
    """A part's bookmark, pointing at the same place on the page the issue gives it."""
    destination = item.destination
    page = 0
    top = None
    if isinstance(destination, pikepdf.Array) and len(destination) >= 1:
        page = index.get(destination[0].objgen, 0)
        if len(destination) >= 4 and str(destination[1]) == "/XYZ":
            top = float(destination[3])
    moved = pikepdf.OutlineItem(item.title, offset + page, "XYZ" if top is not None else None,
                                top=top)
    for child in item.children:
        moved.children.append(_moved(child, index, offset))
    return moved


def _page_labels(out: pikepdf.Pdf, issue: Issue, pages: list[Page]) -> None:
    """/PageLabels: viewers show the printed folios (the cover and contents by name)."""
    words = render.words(issue.lang)
    nums: list = []
    for page in pages:
        if page.kind == "cover":
            label = pikepdf.Dictionary(P=pikepdf.String(words["cover"]))
        elif page.kind == "contents":
            label = pikepdf.Dictionary(P=pikepdf.String(words["contents_label"]))
        elif digits(page.number, issue.lang) != str(page.number):  # Arabic, Persian, Urdu digits
            label = pikepdf.Dictionary(P=pikepdf.String(digits(page.number, issue.lang)))
        else:
            label = pikepdf.Dictionary(S=pikepdf.Name.D, St=page.number)
        nums += [page.number - 1, label]
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))



def article_pages(pdf: Path, issue: Issue) -> list[tuple[Article, range]]:
    """Each article of a built issue (its publication the issue's running head, which its pages
    carry) and the pages it holds (page indexes), read back from the
    issue's bookmarks: under the issue's, one per section (sections) holding one per article
    of it, or one per article in no section, in the manifest's order. The PDF is not trusted:
    its bookmarks are walked with a cap and a guard against loops, and must lead to pages in
    increasing order."""
    articles = [build.load(entry.source) for entry in issue.articles]
    groups = sections(issue, articles)
    try:
        with pikepdf.open(pdf) as document:
            pages = {page.objgen: i for i, page in enumerate(document.pages)}
            count = len(document.pages)
            marks = _children(_issue_mark(document), count + 1, pdf)
            shown = sum(1 if title else len(numbers) for title, numbers in groups)
            marks = marks[len(marks) - shown:] if len(marks) >= shown else []
            flat: list[pikepdf.Dictionary] = []
            for title, numbers in groups:
                if not title:
                    flat += marks[:len(numbers)]
                    marks = marks[len(numbers):]
                elif marks:
                    flat += _children(marks.pop(0), count + 1, pdf)
            firsts = [_page_of(item, pages) for item in flat]
    except (pikepdf.PdfError, OSError, ValueError, IndexError, TypeError) as exc:
        raise ToolkitError(f"not an issue this toolkit built: {exc}", pdf) from None
    if None in firsts:
        raise ToolkitError(f"bookmark {firsts.index(None) + 1} under the issue's leads to no page", pdf)
    if len(firsts) != len(issue.articles):
        raise ToolkitError(f"its bookmarks name {len(firsts)} articles, the manifest "
                           f"{len(issue.articles)}", pdf)
    if any(a >= b for a, b in itertools.pairwise(firsts)):
        raise ToolkitError("its articles' bookmarks do not lead to pages in the manifest's order "
                           f"(pages {', '.join(str(f + 1) for f in firsts)})", pdf)
    ends = [*firsts[1:], count]
    # its pages carry the issue's running head, not its own publication's
    return [(dataclasses.replace(article, publication=title_of(issue)), range(first, end))
            for article, first, end in zip(articles, firsts, ends, strict=True)]


def _issue_mark(document: pikepdf.Pdf) -> pikepdf.Dictionary | None:
    """The issue's bookmark: the outline's one top-level bookmark, else None."""
    outlines = document.Root.get("/Outlines")
    top = outlines.get("/First") if isinstance(outlines, pikepdf.Dictionary) else None
    if not isinstance(top, pikepdf.Dictionary) or top.get("/Next") is not None:
        return None
    return top


def _children(mark: object, cap: int, pdf: Path) -> list[pikepdf.Dictionary]:
    """The bookmarks right under ``mark`` (the issue's: its sections and articles; a section's:
    its articles), at most ``cap`` (an issue has no more articles than pages), each once (a
    /Next that loops back ends the list)."""
    if not isinstance(mark, pikepdf.Dictionary):
        return []
    items: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()
    item = mark.get("/First")
    while isinstance(item, pikepdf.Dictionary) and item.objgen not in seen:
        if len(items) == cap:
            raise ToolkitError(f"more bookmarks under the issue's than its {cap - 1} pages", pdf)
        if item.is_indirect:
            seen.add(item.objgen)
        items.append(item)
        item = item.get("/Next")
    return items


def _page_of(item: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> int | None:
    """The page index a bookmark's /Dest leads to, or None (no /Dest, or not a page)."""
    dest = item.get("/Dest")
    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        return pages.get(dest[0].objgen)
    return None
