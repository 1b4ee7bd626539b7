"""The pipeline's table of contents: source → Article → images → HTML → PDF → file."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import content, finish, images, importer, render, typeset
from .errors import ContentError, OutputError, StrictError
from .model import Article
from .project import Project
from .report import collect_warnings

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


def typeset_article(article: Article, project: Project, layout: str = DEFAULT_LAYOUT):
    """Article → laid-out WeasyPrint document (images resolved, layout filled)."""
    folder = render.layout_folder(project.layouts, layout)
    resolved = images.resolve(article, project)
    html = render.render(article, resolved, folder)
    fetcher = typeset.SandboxFetcher(project.readable_roots(article.path), article.path)
    return typeset.layout(html, folder, project.fonts, fetcher)


def build(source: Path, output: Path, *, project: Project, layout: str = DEFAULT_LAYOUT,
          strict: bool = False) -> Built:
    """Build one source into one PDF, written atomically (a failed build leaves ``output`` as it was)."""
    with collect_warnings(source, project.layouts / layout) as warnings:
        article = load(source)
        document = typeset_article(article, project, layout)
        pdf = typeset.to_pdf(document, finish.repair_text_layer)
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
    """Every article source in a folder, in name order."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES
                  and not p.name.startswith((".", "_")) and p.name.lower() != "readme.md")
