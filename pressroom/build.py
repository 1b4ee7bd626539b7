"""The pipeline's table of contents: source → Article → images → HTML → PDF → file."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.errors import ContentError, OutputError, StrictError
from pressroom.files import DEFAULT_LAYOUT, MARKDOWN_SUFFIXES, SCRAPED_SUFFIXES, check_output
from pressroom.files import sources_in as sources_in  # re-exported (files.py: no WeasyPrint)
from pressroom.layout import (
    coverage,
    figures,
    foresight,
    images,
    links,
    outcome,
    preflight,
    render,
    typeset,
    weasy,
)
from pressroom.layout.weasy import Document
from pressroom.limits import DEFAULT_LIMITS, Limits, check_article, check_file, page_limit, too_many_pages
from pressroom.model import Article, Figure
from pressroom.pdf import editions, finish, metatext
from pressroom.pdf.editions import DEFAULT_EDITION, Edition
from pressroom.pdf.glyphtext import GlyphTexts
from pressroom.project import Project
from pressroom.report import NOTE, collect_warnings, info, listen, warn
from pressroom.scratch import part_file
from pressroom.sources import content, importer
from pressroom.stopping import held

#: At most this many layouts more to put body figures at column tops and bottoms (figures.py).
FIGURE_PASSES = 4
#: At most this many layouts more to balance the columns of the last page, and as many for the
#: runs of columns above photos across the columns (figures.rebalanced), each time they are
#: balanced: after the first passes, again when figures.refilled, headed, opened, introduced or
#: kept_lines changed the layout kept, and once the last page is made anew (figures.trimmed).
REBALANCE_PASSES = 8
#: At most this many figures tried at the foot of the column before the one they head, the next
#: figure heading it (figures.footed), each laid out twice at most.
FOOTED_TRIES = 2
#: The most placements figures.recombined gives that are tried.
RECOMBINED_TRIES = 4
#: The most placements figures.ended gives that are tried.
ENDED_TRIES = 3
#: At most this many layouts of each placement figures.introduced gives, the figure it moved
#: kept where it put it while the others move to where the text puts them.
INTRODUCED_PASSES = 3


@dataclass(frozen=True)
class Built:
    """What one build produced."""

    article: Article
    output: Path
    pages: int
    warnings: tuple[str, ...]


def load(source: Path, within: Limits = DEFAULT_LIMITS) -> Article:
    """Stage 1: read an article from Markdown or scraped text, by the file's suffix (its
    front-matter strings without control characters: metatext.py), within the limits on its
    size, paragraphs and words (limits.py)."""
    suffix = source.suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES:
        kinds = ", ".join(MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES)
        raise ContentError(f"unknown kind of source (expected {kinds})", source)
    check_file(source, within)
    article = (content.load if suffix in MARKDOWN_SUFFIXES else importer.load)(source)
    check_article(article, within)
    return metatext.clean_article(article)


@dataclass(frozen=True)
class Context:
    """What one build of one source is asked to do, decided before anything is read: the
    project, the layout, the edition and its CMYK profile, the one URL fetcher, --strict, the
    limits.
    Frozen, so the stages below can be called alone, in any process, with the same answers."""

    project: Project
    source: Path
    layout: str
    folder: Path  # the layout's folder (checked to exist)
    edition: Edition
    profile: editions.OutputProfile | None
    fetcher: typeset.SandboxFetcher
    strict: bool = False
    limits: Limits = DEFAULT_LIMITS
    #: each font's cmap and GSUB tables, read once for whoever holds it (pass one to many builds)
    glyph_texts: GlyphTexts = field(default_factory=GlyphTexts)
    #: a part of an issue ("recto" or "verso": the side it starts on): no running heads or
    #: folios, nothing attached; "" for an article on its own
    in_issue: str = ""


def context(source: Path, project: Project, *, layout: str = DEFAULT_LAYOUT,
            variant: str | Edition = DEFAULT_EDITION, output_intent: Path | None = None,
            strict: bool = False, limits: Limits = DEFAULT_LIMITS,
            glyph_texts: GlyphTexts | None = None,
            in_issue: str = "") -> Context:
    """The build context of ``source`` (an unknown edition, layout or profile is an error here)."""
    chosen = variant if isinstance(variant, Edition) else editions.edition(variant)
    profile = editions.output_profile(chosen, output_intent, project)
    return Context(project, source, layout, render.layout_folder(project.layouts, layout), chosen,
                   profile, fetcher_for(project, source, profile), strict, limits,
                   glyph_texts or GlyphTexts(), in_issue)


def resolve_images(ctx: Context, article: Article) -> dict[Figure, images.ResolvedImage]:
    """Stage 2: find, decode and measure every figure's photo (placeholders for missing or
    broken ones, errors over a limit); the fetcher serves WeasyPrint the bytes checked here."""
    resolved = images.resolve(article, ctx.project, ctx.limits)
    ctx.fetcher.serve({image.url: image.data for image in resolved.values() if image.path})
    return resolved


def render_html(ctx: Context, article: Article, resolved: dict[Figure, images.ResolvedImage], *,
                isolate: bool = True) -> str:
    """Stage 3: the layout's template filled with the article (``isolate``: see bidi.py); a
    character of its text that no font of fonts/ draws is a warning (coverage.py)."""
    coverage.check_coverage(article, ctx.project.fonts)
    return render.render(article, resolved, ctx.folder, isolate=isolate, in_issue=ctx.in_issue)


#: The HTML each laid-out document was laid out from (html_of).
_HTML: weakref.WeakKeyDictionary[Document, str] = weakref.WeakKeyDictionary()


def html_of(document: Document) -> str:
    """The HTML ``document`` was laid out from: the layout's, with the body's blocks numbered
    and its figures where the pass that made ``document`` put them (what --html writes)."""
    return _HTML[document]


def _pages(ctx: Context, article: Article, html: str) -> Document:
    with page_limit(ctx.limits.pages, article.path), images.pixel_limit(ctx.limits.image_pixels):
        document = typeset.layout(html, ctx.folder, ctx.project.fonts, ctx.fetcher,
                                  editions.page_css(ctx.edition,
                                                    ctx.profile.path if ctx.profile else None),
                                  **editions.image_options(ctx.edition))
    if len(document.pages) > ctx.limits.pages:
        raise too_many_pages(ctx.limits.pages, article.path)
    links.contain(document, article.path)
    _HTML[document] = html
    return document


def lay_out(ctx: Context, article: Article, html: str,
            resolved: dict[Figure, images.ResolvedImage],
            placements: foresight.Placements | None = None,
            ahead: foresight.Ahead | None = None) -> Document:
    """Stage 4: HTML → laid-out pages, with the edition's page CSS, then its preflight; more
    pages than the limit is an error, raised as layout starts the page after it. A title or
    deck whose last two words, kept together, do not fit a line is laid out again without; body
    figures are then moved to column tops and bottoms (place_figures). ``placements``: a warm
    process's, whose last placement is tried beside the natural layout (foresight.py), and
    ``ahead`` (the build's next step) done with the document while that layout runs."""
    html = figures.number_blocks(html)

    def natural(html: str) -> tuple[Document, bool, foresight.First]:
        document = _pages(ctx, article, html)
        released = bool(weasy.overfull_lines(document, render.KEPT_BLOCKS))
        if released:
            html = render.release_last_words(html)
            document = _pages(ctx, article, html)
        return document, released, first_placement(html, document)

    def passes(placement: figures.Placement) -> Document:
        return place_from(ctx, article, placement)

    document = placements.lay_out(ctx, article, html, natural, passes, ahead) if placements else None
    if document is None:
        document, released, first = natural(html)
        if placements is not None:
            placements.remember(ctx, released, first)
        if first is not None:
            document = passes(first.copy())
    preflight.check(document, list(resolved.values()), ctx.edition.preflight, article.path)
    preflight.tables_fit(document, article, article.path)
    lead = article.figures[0] if article.figures else None
    preflight.lead_photo_fits(document, lead, resolved.get(lead) if lead else None, article.path)
    body = [f for f in article.figures if f is not lead and resolved.get(f) and resolved[f].path]
    preflight.body_photos_bleed(document, body, article.path)
    preflight.body_photos_fit(document, body, article.path, resolved)
    outcome.say(figures.read(document), article, article.path)
    return document


def place_figures(ctx: Context, article: Article, html: str, document: Document) -> Document:
    """Stage 4, continued: lay out again, at most FIGURE_PASSES times, with each body figure
    padded to whole body lines and moved to the nearest column top or bottom (never after the
    end mark) from where it fell, keeping the best of those layouts (figures.quality); then a
    figure heading a column of an unbalanced last page is tried at the top of the page's first
    column and of the column before. A figure marked wide or bleed goes to the top or bottom of
    a page, a bleeding one runs off the side of the spread its page is on, and a block whose
    height is not whole lines gets the bottom margin that puts the text after it back on the
    grid. ``html`` is numbered by figures.number_blocks. The first
    layout said all there is to say about the article: the passes repeat none of its warnings."""
    placement = first_placement(html, document)
    return document if placement is None else place_from(ctx, article, placement)


def first_placement(html: str, document: Document) -> figures.Placement | None:
    """The placement the passes begin with: every body figure moved from where it fell in
    ``document``, the natural layout of ``html``; None when nothing is to move or pad, the
    last page's columns end within two lines (else the passes try a column break in its text)
    and the last page holds more than a line or two alone (else the lead photo is trimmed)."""
    placement = figures.Placement(html)
    laid = figures.read(document)
    if not figures.replace(placement, laid) and not figures.rebalanced(placement, laid) \
            and not figures.rebalanced(placement, laid, above_spans=True) \
            and not figures.trimmed(placement, laid) and not figures.carried(placement, laid):
        return None  # nothing to move or pad, nothing to balance, no line alone to bring back
    return placement


def place_from(ctx: Context, article: Article, placement: figures.Placement) -> Document:
    """place_figures' passes from its first placement (changed as they go)."""
    direction = placement.direction()
    laid: figures.Laid | None = None
    best: tuple[tuple, Document, figures.Laid, figures.Placement] | None = None
    tried: set[tuple] = set()
    #: each layout laid out (its placement, its misplaced figures), for figures.recombined
    history: list[tuple[figures.Placement, set[int]]] = []

    def lay_out(placement: figures.Placement, balancing: bool = False,
                within: tuple | Callable[[tuple], bool] | None = None) -> tuple[tuple, figures.Laid]:
        nonlocal best
        tried.add(placement.key())
        document = _pages(ctx, article, placement.render())
        laid = figures.read(document)
        quality = figures.quality(laid, direction)
        history.append((placement.copy(), set(figures.unplaced(laid, direction))))
        # (balancing the last page's columns moves text between them: never onto a page more;
        # ``within``: kept only if no worse than that in all but the last page's lines, or if
        # it says so of the layout's quality)
        if best is None or (quality < best[0] and not (balancing and quality[-1] > best[0][-1])
                            and (within is None or (within(quality) if callable(within)
                                                    else figures.no_worse(quality, within)))):
            best = (quality, document, laid, placement.copy())
        return quality, laid

    def settled(candidate: figures.Placement, times: int = 2,
                within: tuple | Callable[[tuple], bool] | None = None) -> None:
        """``candidate`` laid out (unless tried), then once more (up to ``times`` in all) with its
        figures moved to where the text now puts them (figures.replace), when that moves any;
        ``within``: lay_out's."""
        for _ in range(times):
            if candidate.key() in tried:
                break
            _, moved = lay_out(candidate, within=within)
            if not figures.replace(candidate, moved):
                break

    with listen(lambda record: record.levelno < NOTE):
        for _ in range(FIGURE_PASSES):
            if laid is not None and (not figures.replace(placement, laid) or placement.key() in tried):
                break  # (the first placement is given)
            _, laid = lay_out(placement)
        assert best is not None
        if best[0][1]:  # figures still misplaced: moved one at a time from the best placement
            placement, laid = best[3].copy(), best[2]
            for _ in range(FIGURE_PASSES):
                if not figures.replace(placement, laid, one_at_a_time=True) or placement.key() in tried:
                    break
                _, laid = lay_out(placement)
        if best[0][1]:  # still misplaced: each figure where another layout set it well, the
            # others kept (figures.recombined); a column's figure a line short of its column's
            # foot dropped to it (figures.dropped)
            unplaced = set(figures.unplaced(best[2], direction))
            for candidate in figures.recombined(best[3], unplaced, list(history))[:RECOMBINED_TRIES]:
                settled(candidate)
            for candidate in figures.dropped(best[3], best[2]):
                settled(candidate)
            # one across the columns with nothing under it, short of its page's foot: dropped
            # to it (figures.floored), kept only if it leaves no more pages half empty, no widow
            # or thin last page and no page more (elements-028's magazine photo dropped to page 4's foot
            # sent two lines on to a page 5 of their own)
            ends = best[0]
            for candidate in figures.floored(best[3], best[2]):
                settled(candidate, within=lambda quality: figures.same_ends(quality, ends))
            # one across the columns closing the article at its last page's foot (figures.closed)
            # one that falls after the end mark heading the page after, the end after it
            # (figures.ended)
            for candidate in figures.ended(best[3], best[2])[:ENDED_TRIES]:
                settled(candidate)
            for candidate in figures.closed(best[3], best[2]):
                settled(candidate, 3)  # (padded, then dropped to the foot: replace)
        if best[3].closing and (best[0][0] or best[0][1]):
            # the top of the last page failed a figure that falls after the end mark (a page
            # left half empty, a figure misplaced): the last resort, closing the article at the
            # last page's foot
            closed = best[3].copy()
            closed.anchors.update(closed.closing)
            settled(closed)  # (its figures padded or dropped to the foot)

        def rebalance() -> None:
            """The best layout's last page balanced (its figures across the columns tried on the
            page before, figures.backed), then each run of columns that WeasyPrint
            balances above a photo across the columns, each with passes of its own
            (figures.rebalanced)."""
            # the last page's figures across the columns at the top or foot of the page before
            # (figures.backed), kept only if no worse in any count before the last page's lines
            # (delivery-riders.md's uncroppable photo so headed page 2 above a column 10 lines
            # short, off the grid)
            ends = best[0]
            for moved in figures.backed(best[3], best[2]):
                settled(moved, within=lambda quality: figures.no_worse(quality, ends)
                        and quality[-1] <= ends[-1])
            for above_spans in (False, True):
                left = REBALANCE_PASSES
                balancing = best[3]
                for moved in figures.rebalanced(best[3], best[2], above_spans):
                    # the placement, then once more with the figures it moved put back; a photo
                    # across the columns made whole again below the run it balances
                    # (figures._uncropped) is then dropped to the page's foot by a third
                    steps = 2 + (moved.crops.keys() != balancing.crops.keys())
                    for _ in range(steps):
                        if left == 0 or moved.key() in tried:
                            break
                        left -= 1
                        quality, laid = lay_out(moved, balancing=True)
                        if quality[figures.IMBALANCE] >= best[0][figures.IMBALANCE] \
                                or quality[-1] > best[0][-1] or not figures.replace(moved, laid):
                            break  # no better balanced, a page more (never kept), or nothing to put back

        rebalance()
        # a figure heading a column after one left short, the figure after it after the end
        # mark or heading a column so too: the one at the foot of the column before, the other
        # heading the next (figures.footed)
        for footed in figures.footed(best[3], best[2])[:FOOTED_TRIES]:
            settled(footed)
        # a figure across the columns dropped to a page's foot below a hole no text fills: its
        # photo grown into the hole, or the figure heading that page (figures.lifted)
        for lifted in figures.lifted(best[3], best[2]):
            settled(lifted)
        # one sent to a page's foot that heads the next after that page stopped short: heading
        # it after the text that fills that page (figures.refilled)
        # (kept only if no worse in any count: emptier pages filled by misplacing a figure are not)
        within = best[0]
        kept = best[3].key()
        for refilled in figures.refilled(best[3], best[2]):
            settled(refilled, 4, within=within)  # (its column figures moved where the text puts them)
        # such a figure that a column's figure before it keeps from heading its page: that one
        # closing the page before, the other heading the page (figures.headed)
        for headed in figures.headed(best[3], best[2]):
            settled(headed)
        # a body sent on from the opener's page though it leaves room (a table that did not fit
        # there): its first column figure closing that page alone in its last column (figures.opened)
        for opened in figures.opened(best[3], best[2]):
            settled(opened)
        # a figure between a paragraph ending in a colon and what it introduces: before that
        # paragraph instead, which goes on with its block (figures.introduced)
        # (kept there while the others move to where the text then puts them: filling the page
        # before with the text it introduces would part them again)
        for introduced in figures.introduced(best[3], best[2]):
            pinned = {n: at for n, at in introduced.anchors.items() if best[3].anchors.get(n) != at}
            for _ in range(INTRODUCED_PASSES):
                if introduced.key() in tried:
                    break
                _, laid = lay_out(introduced)
                if not figures.replace(introduced, laid):
                    break
                introduced.anchors.update(pinned)
        # a figure that cuts a paragraph into a part of one line, an orphan above it or a
        # widow below: before that paragraph, or two lines before its end (figures.kept_lines)
        for whole in figures.kept_lines(best[3], best[2]):
            settled(whole)
        if best[3].key() != kept:  # (the pages after the one changed are laid out anew: a
            # figure across the columns they drop below a hole is lifted as above; and the last
            # page balanced again: saj-bread.md's magazine page 3, refilled, held a wide photo
            # and a row set after their text on page 2 beside 5 lines, 3 lines apart)
            for lifted in figures.lifted(best[3], best[2]):
                settled(lifted)
            rebalance()
        # the last page holds a figure beside a handful of lines: that figure moved back to the
        # page before, its text displaced there filling the last page (figures.pulled)
        for pulled in figures.pulled(best[3], best[2]):
            settled(pulled)
            if not (best[0][figures.WIDOW] or best[0][figures.THIN]):
                break
        # the last page holds a handful of lines in its columns after a page that a photo across
        # the columns closes: that photo grown by a line more each time, each column above it
        # giving the last page a line (figures.thickened), until that page holds more
        # (kept only if it leaves no page, figure or column worse: a hole above that photo, where
        # the lines it takes were not replaced, is no better than the last page's handful)
        within = best[0]
        for thickened in figures.thickened(best[3], best[2]):
            settled(thickened, within=within)
            if not (best[0][figures.WIDOW] or best[0][figures.THIN]):
                break
        # the last page holds a line or two alone: first the text as it falls, its figures where
        # the text put them (the passes' padding and grid margins can add the lines that make
        # that page: weather-signs.md, pocket, fits one page so), then the lead photo trimmed by
        # a line more each time, until they come back
        if best[0][figures.WIDOW] or best[0][figures.THIN]:
            bare = figures.Placement(best[3].html)
            if bare.key() not in tried:
                lay_out(bare)
        untrimmed = best[3].key()
        for trimmed in figures.trimmed(best[3], best[2]):
            settled(trimmed)
            if not (best[0][figures.WIDOW] or best[0][figures.THIN]):
                break
        # still a line or two alone, no photo to trim for them: they come with the end of the
        # page before (figures.carried)
        if best[0][figures.WIDOW]:
            for carried in figures.carried(best[3], best[2]):
                if carried.key() not in tried:
                    lay_out(carried)
        if best[3].key() != untrimmed:  # (a last page made anew, balanced as the first was:
            rebalance()                 # elements-018 magazine's columns 10 lines apart)
    _say_unplaced(article, best[3], best[2])
    _say_cropped(article, best[3], best[2])
    return best[1]


def _say_unplaced(article: Article, placement: figures.Placement, laid: figures.Laid) -> None:
    """Warn about each body figure the passes left where it does not belong (mid-column,
    mid-page, after the end mark), naming its photo's line."""
    lead = article.figures[0] if article.figures else None
    body = [b for b in article.blocks if isinstance(b, Figure) and b is not lead]
    numbers = placement.figures()
    if len(body) != len(numbers):
        return  # not the template's figures (a layout of its own): nothing to name them by
    spanning = placement.spanning()
    for number, why in sorted(figures.unplaced(laid, placement.direction()).items()):
        figure = body[numbers.index(number)]
        goal = "the top or the foot of a page" if number in spanning else "a column's top or foot"
        warn(f"photo {figure.src} could not be set at {goal} ({why} in the kept layout)",
             article.path, figure.line)


def _say_cropped(article: Article, placement: figures.Placement, laid: figures.Laid) -> None:
    """Say (with -v) which photo across the columns was cropped to the room a page left at its
    foot, and to what share of its height."""
    lead = article.figures[0] if article.figures else None
    body = [b for b in article.blocks if isinstance(b, Figure) and b is not lead]
    numbers = placement.figures()
    if len(body) != len(numbers):
        return
    pages = {int(span.block.attributes[figures.BLOCK]): span.page for span in laid.spans
             if "cropped" in span.block.attributes.get("class", "").split()}
    for number, height in sorted(placement.crops.items()):
        natural = placement.photos.get(number)
        if number in pages and natural:
            figure = body[numbers.index(number)]
            info(f"photo {figure.src} cropped to {height / natural:.0%} of its height to close "
                 f"page {pages[number] + 1}", article.path, figure.line)


def typeset_article(ctx: Context, article: Article,
                    placements: foresight.Placements | None = None,
                    ahead: foresight.Ahead | None = None) -> Document:
    """Stages 2–4: Article → laid-out WeasyPrint document (images resolved, layout filled,
    edition applied); the article's ``original:`` is checked here in every edition, though only
    the archive attaches it."""
    editions.original_file(article, ctx.project, ctx.limits.article_bytes)
    resolved = resolve_images(ctx, article)
    return lay_out(ctx, article, render_html(ctx, article, resolved), resolved, placements, ahead)


def typeset_and_finish(ctx: Context, article: Article,
                       placements: foresight.Placements | None = None) -> tuple[Document, bytes]:
    """Stages 2–5: the laid-out document and its PDF bytes; with a warm process's
    ``placements``, the PDF is finished while the natural layout runs beside, when it can be
    (foresight.py)."""
    if placements is None:
        document = typeset_article(ctx, article)
        return document, finish_pdf(ctx, article, document)
    document = typeset_article(ctx, article, placements,
                               ahead=lambda laid: finish_pdf(ctx, article, laid))
    return document, placements.finish(document, lambda: finish_pdf(ctx, article, document))


def finish_pdf(ctx: Context, article: Article, document: Document, *,
               doc_id: bytes | None = None, xmp: dict[str, str | list[str]] | None = None,
               attachments: list | None = None) -> bytes:
    """Stage 5: the laid-out document → the edition's PDF bytes (dates and identifier from the
    input, the finishing steps, the source attached where the edition keeps it). Pages that are
    not an article's (an issue's own) give their own ``doc_id``, ``xmp`` and ``attachments``."""
    metatext.clean_document_metadata(document.metadata)  # Info and XMP: no control characters
    moment = editions.build_date(article, ctx.edition)
    if moment is not None:
        document.metadata.created = document.metadata.modified = finish.iso(moment)
    source_bytes = ctx.source.read_bytes() if doc_id is None or attachments is None else b""
    doc_id = doc_id or editions.identifier(source_bytes, ctx.edition)
    finishing = finish.Finishing(ctx.edition.finishing, article.direction, doc_id.decode(),
                                 ctx.edition.bleed_mm, ctx.profile,
                                 editions.xmp_extras(article) if xmp is None else xmp,
                                 ctx.glyph_texts)
    options = editions.pdf_options(ctx.edition, doc_id)
    if attachments:
        options["attachments"] = attachments
    elif attachments is None and ctx.edition.attach_sources and not ctx.in_issue:
        # an issue attaches every source itself
        scraped = ctx.source.suffix.lower() in SCRAPED_SUFFIXES
        options["attachments"] = editions.source_attachments(
            ctx.source, source_bytes, article, moment, ctx.fetcher,
            importer.to_markdown(article) if scraped else None,
            editions.original_file(article, ctx.project, ctx.limits.article_bytes))
    with images.pixel_limit(ctx.limits.image_pixels):  # WeasyPrint decodes photos as it writes
        return typeset.to_pdf(document, finishing, **options)


def fetcher_for(project: Project, source: Path | None = None,
                profile: editions.OutputProfile | None = None) -> typeset.SandboxFetcher:
    """The one URL fetcher of a build: the project's folders, the source's, and nothing else."""
    roots = project.readable_roots(source)
    if profile is not None:  # a printer's profile named on the command line is trusted
        roots += (profile.path.resolve().parent,)
    return typeset.SandboxFetcher(roots, source, project.root, project.fonts, project.images)


def build(source: Path, output: Path, *, project: Project, layout: str = DEFAULT_LAYOUT,
          variant: str = DEFAULT_EDITION, output_intent: Path | None = None,
          strict: bool = False, limits: Limits = DEFAULT_LIMITS,
          glyph_texts: GlyphTexts | None = None,
          placements: foresight.Placements | None = None, html: Path | None = None) -> Built:
    """Build one source into one PDF edition, written atomically (a failed build leaves
    ``output`` as it was, and no input is ever replaced): load → resolve images → render → lay
    out → finish → write. Nothing is shared with other builds but ``glyph_texts`` (fonts read
    once, when given) and ``placements`` (a warm process's last figure placements). ``html``:
    also write there, after the PDF, the HTML its pages were laid out from, for a browser
    (htmlout.py)."""
    chosen = editions.edition(variant)
    with collect_warnings(source, project.layouts / layout) as warnings:
        article = load(source, limits)
        original = editions.original_file(article, project, limits.article_bytes)
        check_output(output, project, [source, original, output_intent])
        ctx = context(source, project, layout=layout, variant=chosen, output_intent=output_intent,
                      strict=strict, limits=limits, glyph_texts=glyph_texts)
        document, pdf = typeset_and_finish(ctx, article, placements)
        if html is not None:
            from pressroom.layout import htmlout

            page = htmlout.for_browser(html_of(document), ctx, html)
    if strict and warnings:
        raise StrictError(f"{len(warnings)} warning(s) with --strict; the first: {warnings[0]}",
                          source)
    write_atomically(output, pdf)
    if html is not None:
        write_atomically(html, page.encode("utf-8"))
    return Built(article, output, len(document.pages), tuple(warnings))


def write_atomically(output: Path, data: bytes) -> None:
    """Stage 6: write ``data`` to ``output`` through a temporary file in the same folder, then rename
    (the file is named for this process: the next write there removes those of dead processes).
    A signal that stops the run (stopping.py) on the way removes the file; none comes between its
    creation and this function taking it over."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", output) from None
    tmp: str | None = None
    try:
        with held():
            fd, tmp = part_file(output)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except BaseException as exc:  # an OSError, or stopped by a signal: no .part left
        with held():
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            where = "cannot write" if tmp is not None else "cannot write here"
            raise OutputError(f"{where}: {exc.strerror}", output) from None
        raise
