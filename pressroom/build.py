"""The pipeline's table of contents: source → Article → images → HTML → PDF → file."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import content, editions, finish, images, importer, preflight, render, typeset
from .editions import DEFAULT_EDITION, EDITIONS, Edition
from .errors import ContentError, OutputError, StrictError
from .model import Article
from .project import Project
from .report import collect_warnings, note
from .weasy import Document

MARKDOWN_SUFFIXES = (".md", ".markdown")
SCRAPED_SUFFIXES = (".txt",)
DEFAULT_LAYOUT = "magazine"


@dataclass(frozen=True)
class Built:
    """What one build produced."""

    article: Article
    output: Path
    pages: int
    warnings: tuple[str, ...]


def load(source: Path) -> Article:
    """Read an article from Markdown or scraped text, by the file's suffix."""
    suffix = source.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return content.load(source)
    if suffix in SCRAPED_SUFFIXES:
        return importer.load(source)
    kinds = ", ".join(MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES)
    raise ContentError(f"unknown kind of source (expected {kinds})", source)


def typeset_article(article: Article, project: Project, layout: str = DEFAULT_LAYOUT,
                    chosen: Edition = EDITIONS[DEFAULT_EDITION],
                    profile: editions.OutputProfile | None = None,
                    fetcher: typeset.SandboxFetcher | None = None) -> Document:
    """Article → laid-out WeasyPrint document (images resolved, layout filled, edition applied)."""
    folder = render.layout_folder(project.layouts, layout)
    resolved = images.resolve(article, project)
    html = render.render(article, resolved, folder)
    fetcher = fetcher or fetcher_for(project, article.path, profile)
    document = typeset.layout(html, folder, project.fonts, fetcher,
                              editions.page_css(chosen, profile.path if profile else None),
                              **editions.image_options(chosen))
    preflight.check(document, list(resolved.values()), chosen, article.path)
    return document


def fetcher_for(project: Project, source: Path | None = None,
                profile: editions.OutputProfile | None = None) -> typeset.SandboxFetcher:
    """The one URL fetcher of a build: the project's folders, the source's, and nothing else."""
    roots = project.readable_roots(source)
    if profile is not None:  # a printer's profile named on the command line is trusted
        roots += (profile.path.resolve().parent,)
    return typeset.SandboxFetcher(roots, source, project.root)


def build(source: Path, output: Path, *, project: Project, layout: str = DEFAULT_LAYOUT,
          variant: str = DEFAULT_EDITION, output_intent: Path | None = None,
          strict: bool = False) -> Built:
    """Build one source into one PDF edition, written atomically (a failed build leaves
    ``output`` as it was)."""
    chosen = editions.edition(variant)
    with collect_warnings(source, project.layouts / layout) as warnings:
        article = load(source)
        source_bytes = source.read_bytes()
        profile = editions.output_profile(chosen, output_intent, project)
        fetcher = fetcher_for(project, article.path, profile)
        document = typeset_article(article, project, layout, chosen, profile, fetcher)
        moment = editions.build_date(article, chosen)
        if moment is not None:
            document.metadata.created = document.metadata.modified = finish.iso(moment)
        doc_id = editions.identifier(source_bytes, chosen)
        finishing = finish.Finishing(chosen, article.direction, doc_id.decode(), profile,
                                     editions.xmp_extras(article))
        options = editions.pdf_options(chosen, doc_id)
        if chosen.attach_sources:
            options["attachments"] = editions.source_attachments(
                source, source_bytes, article, moment, fetcher)
        pdf = typeset.to_pdf(document, finishing, **options)
    if strict and warnings:
        raise StrictError(f"{len(warnings)} warning(s) with --strict; the first: {warnings[0]}",
                          source)
    write_atomically(output, pdf)
    return Built(article, output, len(document.pages), tuple(warnings))


def write_atomically(output: Path, data: bytes) -> None:
    """Write ``data`` to ``output`` through a temporary file in the same folder, then rename."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", output) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", output) from None


def sources_in(folder: Path) -> list[Path]:
    """Every article source in a folder, in name order; a scraped .txt that has a Markdown
    article of the same name beside it (what `import` made of it) is left to that one."""
    found = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES
                   and not p.name.startswith((".", "_")) and p.name.lower() != "readme.md")
    edited = {p.stem for p in found if p.suffix.lower() in MARKDOWN_SUFFIXES}
    kept = []
    for path in found:
        if path.suffix.lower() in SCRAPED_SUFFIXES and path.stem in edited:
            note(f"not built: {path.stem}.md is the edited article", path)
        else:
            kept.append(path)
    return kept
