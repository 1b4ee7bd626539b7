"""Articles laid out inside an issue pass the layout checks on their own pages (issue 13,
items 2 and 5), as articles on their own do: read on the WeasyPrint boxes each was laid out in
for the issue (without the masthead the issue's running heads replace, on the side it starts).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pytest
from weasyprint import Document

from pressroom import build, issue
from pressroom.project import Project
from pressroom.report import listen

from .checks import faults
from .conftest import FIXTURES, ROOT

#: The demo issue (content/, every article recto) and three small ones of fixtures whose second
#: article starts on a verso (start: any), each with its articles in the manifest's order.
ISSUES = {
    "afaq-2024-03": (ROOT / "content" / "issues" / "afaq-2024-03.yaml",
                     ["kazakhstan-peacekeeping.md", "solar-desert.md", "village-railway.md",
                      "neighbourhood-libraries.md", "newsroom-ai.md"]),
    "poet-issue": (FIXTURES / "poet-issue.yaml", ["poet-house.md", "ferry-captain.md"]),
    # written after the fix, never tuned on
    "sports-issue": (FIXTURES / "sports-issue.yaml", ["relay-altitude.md", "rowing-club.md"]),
    # written after the second, never tuned on
    "science-issue": (FIXTURES / "science-issue.yaml", ["relay-altitude.md", "observatory-night.md"]),
}
#: Articles known to fail a check inside an issue (issue, article) → what checks.faults finds
#: (every check test_balance holds articles to), with the article's pages counted from its
#: first: strict, so that a fix shows.
#: None: rowing-club.md (never tuned on), on a verso (folios 6 to 8), had page 2's first column
#: end more than two lines below the second above its wide photo, the lines after it fitting
#: there (short_columns): the photo is now moved on by them (figures._span_foot_fill).
#: (poet-house.md, laid out without its masthead, had its wide photo miss the foot of its second
#: page and head its third, the second left 21 lines short in each column (short_before_figures,
#: half filled: half_empty_pages did not see it): figures.quality now counts such a page with the
#: holes, and the photo closes the second page with less text above it. relay-altitude.md, never
#: tuned on, did so too, on its own as well, until a photo cropped for such a page that still did
#: not fit was cropped again: test_balance.KNOWN_SHORT_BEFORE_FIGURES.)
#: (relay-altitude.md, in both issues, held nothing but its end paragraph's last three lines on
#: its page 3, its first line alone at the foot of page 2 above the wide photo cropped to that
#: page's foot, as on its own, until a last page of three lines counted as a widow page in
#: figures.quality: WIDOW_LINES.)
#: relay-altitude.md, in both issues: its page 3 holds 2 + 2 lines after the cropped wide photo
#: closing page 2 (checks.thin_last_page), as on its own: test_balance.KNOWN_THIN_PAGES.
KNOWN_IN_ISSUE: dict[tuple[str, str], dict[str, object]] = {
    ("sports-issue", "relay-altitude.md"): {"thin_last_page": [3]},
    ("science-issue", "relay-altitude.md"): {"thin_last_page": [3]},
    # an address's last piece alone on its paragraph's last line, as on their own
    # (test_balance.KNOWN_LONE_LAST_WORDS)
    ("afaq-2024-03", "solar-desert.md"): {
        "lone_last_words": [(2, "https://\u200bsolar\u200b.example\u200b.org/\u200bdata.\u2060")]},
    ("afaq-2024-03", "neighbourhood-libraries.md"): {"lone_last_words": [(2, "@example\u200b.org.\u2060")]},
}


@dataclass(frozen=True)
class InIssue:
    """One article of a built issue: its pages in the issue's PDF (indexes, a blank page put in
    after it counted) and the document it was laid out as there, without a page the issue
    leaves out (a verso's)."""

    first: int  # its first folio
    pages: range
    document: Document


_BUILT: dict[str, dict[str, InIssue]] = {}


def _in_issue(name: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, InIssue]:
    """The issue built once (in this process, so that the documents its articles were laid out
    as can be kept), each article found on its pages by the issue's bookmarks."""
    if name in _BUILT:
        return _BUILT[name]
    path, _ = ISSUES[name]
    output = tmp_path_factory.mktemp("issue") / f"{name}.pdf"
    laid: dict[tuple[Path, str], Document] = {}
    real = build.typeset_and_finish

    def keeping(ctx: build.Context, article, placements=None):
        document, pdf = real(ctx, article, placements)
        laid[(ctx.source.resolve(), ctx.in_issue)] = document
        return document, pdf

    with pytest.MonkeyPatch.context() as patch, listen(lambda record: False):
        patch.setattr(build, "typeset_and_finish", keeping)
        built = issue.build_issue(path, output, settings=issue.Settings(Project(ROOT)), jobs=1)
    found = {}
    ranges = issue.article_pages(output, built.issue)
    for entry, first, (_, pages) in zip(built.issue.articles, built.starts, ranges, strict=True):
        side = "verso" if first % 2 == 0 else "recto"
        document = laid[(entry.source.resolve(), side)]
        skip = 1 if side == "verso" else 0
        view = copy.copy(document)
        view.pages = document.pages[skip:]
        found[entry.source.name] = InIssue(first, pages, view)
    _BUILT[name] = found
    return found


CASES = [(name, article) for name, (_, articles) in ISSUES.items() for article in articles]


@pytest.mark.parametrize(("name", "article"), CASES, ids=[f"{n}:{a}" for n, a in CASES])
def test_an_article_in_an_issue_is_laid_out_as_well_as_on_its_own(name, article, tmp_path_factory):
    articles = _in_issue(name, tmp_path_factory)
    assert list(articles) == ISSUES[name][1]
    laid = articles[article]
    # the document is the article's part of the issue: its pages from its first folio on (and
    # a blank page after them, before an article that must start on a recto)
    assert laid.pages.start == laid.first - 1
    assert len(laid.document.pages) <= len(laid.pages) <= len(laid.document.pages) + 1
    found = faults(laid.document)
    folios = f"article page n is folio {laid.first} + n - 1"
    assert found == KNOWN_IN_ISSUE.get((name, article), {}), (name, article, folios, found)


def test_the_watch_articles_last_photo_in_an_issue(tmp_path, monkeypatch):
    """test_watch's market article (three photos between eight paragraphs, never tuned on) after a
    two-page brief in an issue: its last page sets the second photo at the foot of the first
    column and the third at the top of the second, with the text up to the end mark. Since
    figures._holes (a190a65) filled a hole before a photo alone in its column, the second headed
    the second column and the third was left mid-column two lines before the end (a warning):
    figures.footed now tries the pair so also when the figure after it is left mid-column."""
    from .test_watch import MANIFEST, _article_with_figures, article, publication

    root = publication(tmp_path)
    monkeypatch.chdir(root)
    _article_with_figures(root)
    (root / "content" / "brief.md").write_text(article("مهرجان الشعر", 2), encoding="utf-8")
    (root / "content" / "issues").mkdir()
    manifest = root / "content" / "issues" / "market.yaml"
    manifest.write_text(MANIFEST.replace("[first.md, second.md, third.md]", "[brief.md, market.md]"),
                        encoding="utf-8")
    said = []
    with listen(lambda record: said.append(record.getMessage()) or False):
        issue.build_issue(manifest, tmp_path / "market.pdf", settings=issue.Settings(Project(root)),
                          jobs=1)
    assert not [s for s in said if "could not be set at a column's" in s], said
