"""Articles → plain WeasyPrint's PDFs of the same documents: our HTML, page stylesheet, image
options, fonts and photos (the baseline both benchmarks time).

    python bench/plain.py JOBS.json

``plain_jobs`` (imported by bench/bench.py and bench/batch.py) writes, for each article, the HTML
our layout makes of it (beside the layout's stylesheets, so relative URLs resolve) and a job list;
run as a script, this file builds them all in one process, one after the other, with
``HTML(...).write_pdf()`` and a URL fetcher that serves the ``pressroom://`` fonts and photos as
the same bytes our build embeds — no isolated fontconfig, no figure placement passes, no
finishing, no records, no atomic write.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plain_jobs(folder: Path, out: Path, sources: list[Path] | None = None) -> Path:
    """The job list (written in ``out``) for the articles ``sources`` (every Markdown article
    in content/ when None) of the project ``folder``; the photos served are copied into
    ``out``. Remove the pages with ``remove_pages`` when done."""
    import logging

    sys.path.insert(0, str(ROOT))
    from pressroom import build
    from pressroom.pdf import editions
    from pressroom.project import Project

    logging.disable(logging.WARNING)
    project = Project(folder.resolve())
    served = out / "served"
    served.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for font in project.fonts.iterdir():
        files[f"pressroom://fonts/{font.name}"] = str(font)
    jobs: list[dict] = []
    try:
        for source in sources if sources is not None else sorted(project.content.glob("*.md")):
            ctx, article = build.context(source.resolve(), project), build.load(source)
            resolved = build.resolve_images(ctx, article)
            html = build.render_html(ctx, article, resolved)
            for image in resolved.values():
                if image.url and image.data:
                    path = served / f"{len(files)}.img"
                    path.write_bytes(image.data)
                    files[image.url] = str(path)
            page = ctx.folder / f".bench-{source.stem}.html"
            jobs.append({"html": str(page), "pdf": str(out / f"{source.stem}.pdf"),
                         "css": editions.page_css(ctx.edition, ctx.profile.path if ctx.profile else None),
                         "options": editions.image_options(ctx.edition)})
            page.write_text(html, encoding="utf-8")
    except BaseException:
        for job in jobs:
            Path(job["html"]).unlink(missing_ok=True)
        raise
    missing = {url for job in jobs for url in _pressroom_urls(Path(job["html"]).read_text("utf-8"))
               if url not in files}
    if missing:
        raise SystemExit(f"bench: plain WeasyPrint would miss {sorted(missing)[:3]}")
    listing = out / "jobs.json"
    listing.write_text(json.dumps({"files": files, "jobs": jobs}), encoding="utf-8")
    return listing


def remove_pages(listing: Path) -> None:
    """The HTML pages ``plain_jobs`` wrote beside the layouts (not left for a build's record)."""
    for job in json.loads(listing.read_text(encoding="utf-8"))["jobs"]:
        Path(job["html"]).unlink(missing_ok=True)


def _pressroom_urls(html: str) -> set[str]:
    return set(re.findall(r"pressroom://[^\"')\s]+", html))


def main(listing: Path) -> None:
    """Plain WeasyPrint over the jobs of ``plain_jobs``, in this process, one after the other."""
    import weasyprint
    import weasyprint.urls

    data = json.loads(listing.read_text(encoding="utf-8"))
    files: dict[str, str] = data["files"]

    class Fetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> weasyprint.urls.URLFetcherResponse:
            if url in files:
                return weasyprint.urls.URLFetcherResponse(url, Path(files[url]).read_bytes())
            return super().fetch(url, headers)

    fetch = Fetcher()
    for job in data["jobs"]:
        css = [weasyprint.CSS(string=job["css"], url_fetcher=fetch)] if job["css"] else []
        weasyprint.HTML(filename=job["html"], url_fetcher=fetch).write_pdf(
            job["pdf"], stylesheets=css, **job["options"])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
