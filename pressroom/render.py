"""Article + layout → HTML string (Jinja2: strict undefined, autoescape on)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import __version__
from .bidi import isolate_runs
from .errors import LayoutError
from .images import ResolvedImage
from .model import Article, Figure, Heading, Paragraph, Quote

TEMPLATE = "article.html.j2"

#: Words the layout prints itself, by language.
STRINGS = {
    "ar": {"missing": "الصورة غير متوفرة", "photo": "صورة"},
    "en": {"missing": "Image not available", "photo": "Photo"},
}


def available_layouts(layouts: Path) -> list[str]:
    """Names of the folders under layouts/ that hold an article template."""
    if not layouts.is_dir():
        return []
    return sorted(p.parent.name for p in layouts.glob(f"*/{TEMPLATE}"))


def layout_folder(layouts: Path, name: str) -> Path:
    """The folder of layout ``name``, or a LayoutError listing the ones there are."""
    folder = layouts / name
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / TEMPLATE).is_file():
        names = ", ".join(available_layouts(layouts)) or "none"
        raise LayoutError(f"unknown layout {name!r} (available: {names})", layouts)
    return folder


def render(article: Article, images: dict[Figure, ResolvedImage], folder: Path, *,
           isolate: bool = True) -> str:
    """Fill the layout's template with the article (``isolate``: see bidi.py; off only to compare)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    def runs(value: str) -> Markup:
        html = value if isinstance(value, Markup) else escape(value)
        return Markup(isolate_runs(str(html), article.direction) if isolate else html)

    env.filters["runs"] = runs
    env.tests.update(
        figure=lambda b: isinstance(b, Figure),
        heading=lambda b: isinstance(b, Heading),
        quote=lambda b: isinstance(b, Quote),
        paragraph=lambda b: isinstance(b, Paragraph),
    )
    figures = article.figures
    lead = figures[0] if figures else None
    body = [b for b in article.blocks if b is not lead]
    text_blocks = [b for b in body if isinstance(b, (Paragraph, Quote))]
    try:
        template = env.get_template(TEMPLATE)
        return template.render(
            article=article,
            images=images,
            lead=lead,
            body=body,
            end_block=text_blocks[-1] if text_blocks else None,
            strings=STRINGS,
            version=__version__,
        )
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(f"template error: {exc.message}", exc.filename or folder,
                          exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise LayoutError(f"template error: {exc}", folder / TEMPLATE) from None
