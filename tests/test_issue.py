"""A whole issue in one PDF: manifest errors, contents numbers against the printed folios,
page labels, bookmarks, links, boxes, and the same bytes from one process or two."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from pressroom import cli, issue
from pressroom.check.verify import PdfReport
from pressroom.project import Project
from pressroom.sources import manifest

from .conftest import ROOT

INDIC = "٠١٢٣٤٥٦٧٨٩"
FOLIO = re.compile(f"^[{INDIC}]+$")

ARTICLES = {
    "first.md": ("الزراعة في الواحات", "زراعة", "تقرير عن مزارع النخيل في عام 2020 ونسبة 35% من الإنتاج.",
                 "## المياه الجوفية\n\nتعتمد الواحات على الآبار العميقة منذ قرون طويلة."),
    "second.md": ("مهرجان الشعر الشعبي", "ثقافة", "اجتمع الشعراء في المدينة القديمة لثلاثة أيام.", ""),
    "third.md": ("جسر جديد فوق النهر", "", "افتتح الجسر الجديد بطول 1,500 متر أمام السيارات.",
                 "## حركة المرور\n\nتراجعت الزحمة في وسط المدينة بعد الافتتاح."),
}


def _article(title: str, section: str, lead: str, rest: str, paragraphs: int) -> str:
    body = "\n\n".join([lead] + ["يروي سكان المنطقة حكايات كثيرة عن الماضي والحاضر، "
                                 "ويأملون في مستقبل أفضل لأبنائهم وبناتهم في القرى. " * 3] * paragraphs)
    kicker = f"section: {section}\n" if section else ""
    return (f"---\ntitle: {title}\n{kicker}byline: فريق التحرير\ndate: 2024-03-01\n---\n\n"
            f"{body}\n\n{rest}\n")


MANIFEST = """\
publication: مجلة الاختبار
issue: 7
date: 2024-03-01
lang: ar
cover:
  image: images/demo-cover.jpg
  credit: "تصوير: فريق التحرير"
  lines:
    - text: الزراعة في الواحات
      article: first
    - مهرجان الشعر الشعبي وجسر النهر
sections:
  - title: تحقيقات
    articles:
      - ../first.md
      - ../second.md
  - title: مدن
    articles:
      - ../third.md
"""


def _workspace(root: Path) -> Project:
    for name in ("layouts", "fonts", "images"):
        shutil.copytree(ROOT / name, root / name)
    (root / "content" / "issues").mkdir(parents=True)
    for index, (name, fields) in enumerate(ARTICLES.items()):
        (root / "content" / name).write_text(_article(*fields, paragraphs=4 + 14 * (index == 0)),
                                             encoding="utf-8")
    (root / "content" / "issues" / "march.yaml").write_text(MANIFEST, encoding="utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, issue.BuiltIssue]:
    project = _workspace(tmp_path_factory.mktemp("issue"))
    output = project.root / "build" / "march.pdf"
    result = issue.build_issue(project.content / "issues" / "march.yaml", output,
                               settings=issue.Settings(project), jobs=2)
    return project, output, result


def _texts(pdf: Path) -> list[str]:
    return PdfReport(pdf).text_pdfium()


def _printed_folio(text: str) -> str | None:
    """The folio a page prints: its last line, when that is a number alone."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines and FOLIO.match(lines[-1]) else None


def test_contents_numbers_are_the_folios_of_the_title_pages(built):
    _, pdf, result = built
    texts = _texts(pdf)
    contents = texts[1]
    for (title, *_), start in zip(ARTICLES.values(), result.starts, strict=True):
        # the contents print the first folio beside the title...
        listed = re.search(f"([{INDIC}]+)\\s*{title}", contents)
        assert listed, (title, contents)
        # ...and the page that prints that folio is the one that prints the title first
        page = next(i for i, text in enumerate(texts) if _printed_folio(text) == listed[1])
        first_with_title = next(i for i, text in enumerate(texts[2:], start=2) if title in text)
        assert page == first_with_title == start - 1, (title, page, first_with_title)


def test_folios_are_continuous_in_arabic_digits_and_match_the_page_labels(built):
    _, pdf, result = built
    texts = _texts(pdf)
    with pikepdf.open(pdf) as document:
        labels = document.Root.PageLabels.Nums
        named = {int(labels[i]): str(labels[i + 1].get("/P", "")) for i in range(0, len(labels), 2)}
    assert named[0] == "الغلاف" and named[1] == "المحتويات"
    assert _printed_folio(texts[0]) is None and _printed_folio(texts[1]) is None
    printed = 0
    for index, text in enumerate(texts[2:], start=2):
        folio = _printed_folio(text)
        assert named[index] == str(index + 1).translate(str.maketrans("0123456789", INDIC))
        if folio is None:  # a blank page put in before an article that starts on a recto
            assert not text.strip(), text
            assert index + 2 in result.starts
            continue
        assert folio == named[index]
        printed += 1
    assert printed >= len(ARTICLES)
    assert all(start % 2 == 1 for start in result.starts)  # every article on a recto


def test_bookmarks_lead_to_the_articles_and_their_subheadings(built):
    _, pdf, result = built
    texts = _texts(pdf)
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        pages = {page.objgen: i for i, page in enumerate(document.pages)}
        (top,) = outline.root
        assert top.title == "مجلة الاختبار · العدد ٧ · مارس ٢٠٢٤"
        items = list(top.children)
        assert items[0].title == "في هذا العدد" and pages[items[0].destination[0].objgen] == 1
        # the manifest's sections, each at its first article's page, its articles under it
        assert [(s.title, len(s.children)) for s in items[1:]] == [("تحقيقات", 2), ("مدن", 1)]
        articles = [a for section in items[1:] for a in section.children]
        for section in items[1:]:
            assert section.destination[0].objgen == section.children[0].destination[0].objgen
        for item, (title, *_), start in zip(articles, ARTICLES.values(), result.starts, strict=True):
            assert item.title == title
            assert pages[item.destination[0].objgen] == start - 1
            for child in item.children:
                assert child.title in texts[pages[child.destination[0].objgen]]
        assert [c.title for c in articles[0].children] == ["المياه الجوفية"]


def test_an_article_in_no_section_sits_under_the_issue_and_is_read_back(tmp_path):
    """A manifest that lists its articles without sections: the articles that name a section
    in their front matter go under it, the one that names none under the issue; check reads
    each article's pages back through either."""
    project = _workspace(tmp_path)
    (project.content / "issues" / "flat.yaml").write_text(
        "publication: P\nstart: any\narticles: [../third.md, ../first.md, ../second.md]\n",
        encoding="utf-8")
    output = tmp_path / "flat.pdf"
    result = issue.build_issue(project.content / "issues" / "flat.yaml", output,
                               settings=issue.Settings(project), jobs=1)
    with pikepdf.open(output) as document, document.open_outline() as outline:
        (top,) = outline.root
        shape = [(item.title, [c.title for c in item.children if c.title in
                               ("الزراعة في الواحات", "مهرجان الشعر الشعبي")]) for item in top.children]
    assert shape[1:] == [("جسر جديد فوق النهر", []), ("زراعة", ["الزراعة في الواحات"]),
                         ("ثقافة", ["مهرجان الشعر الشعبي"])]
    parts = issue.article_pages(output, manifest.load(project.content / "issues" / "flat.yaml", project))
    assert [(a.title, r.start + 1) for a, r in parts] == \
        [("جسر جديد فوق النهر", result.starts[0]), ("الزراعة في الواحات", result.starts[1]),
         ("مهرجان الشعر الشعبي", result.starts[2])]
    assert parts[-1][1].stop == len(PdfReport(output).text_pdfium())


def test_contents_and_cover_lines_link_to_the_first_pages(built):
    _, pdf, result = built
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: i for i, page in enumerate(document.pages)}

        def targets(index: int) -> set[int]:
            annots = document.pages[index].obj.get("/Annots", [])
            assert all("/A" not in a or "/URI" not in a.A for a in annots)  # nothing points outside
            assert not any("pressroom.invalid" in str(a.get("/Contents", "")) for a in annots)
            return {pages[a.Dest[0].objgen] for a in annots if "/Dest" in a}

        assert targets(1) == {s - 1 for s in result.starts}
        assert targets(0) == {result.starts[0] - 1}  # one cover line names its article
        prefs = document.Root.ViewerPreferences
        assert prefs.Direction == "/R2L" and document.Root.PageLayout == "/TwoPageRight"


def test_print_edition_boxes_on_every_page_and_a_cover_photo_in_the_bleed(built):
    _, pdf, _ = built
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            trim, bleed = (list(map(float, page.obj[k])) for k in ("/TrimBox", "/BleedBox"))
            assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == [-8.5, -8.5, 8.5, 8.5]
        assert "/OutputIntents" in document.Root
    images = PdfReport(pdf).images_per_page()
    assert len(images[0]) == 1  # the cover photo


def test_cover_photo_fills_the_bleed(built):
    import pypdfium2

    _, pdf, _ = built
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        with pikepdf.open(pdf) as opened:
            bleed = [float(v) for v in opened.pages[0].obj.BleedBox]
        (photo,) = [o for o in page.get_objects(max_depth=4) if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
        left, bottom, right, top = photo.get_bounds()
        assert left <= bleed[0] + 0.5 and bottom <= bleed[1] + 0.5
        assert right >= bleed[2] - 0.5 and top >= bleed[3] - 0.5
    finally:
        document.close()


def test_one_process_and_two_give_the_same_archive(built, tmp_path):
    project, _, _ = built
    source = project.content / "issues" / "march.yaml"
    outputs = []
    for jobs in (1, 2):
        output = tmp_path / f"archive-{jobs}.pdf"
        issue.build_issue(source, output, settings=issue.Settings(project, variant="archive"), jobs=jobs)
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    with pikepdf.open(tmp_path / "archive-1.pdf") as document:
        assert set(document.attachments) == {"march.yaml", *ARTICLES}
        # tagged: the front pages' structure and each article's, joined under one root
        tree = document.Root.StructTreeRoot
        assert [str(element.S) for element in tree.K] == ["/Document"] * (1 + len(ARTICLES))
        keys = {int(k) for k in list(tree.ParentTree.Nums)[::2]}
        assert int(tree.ParentTreeNextKey) == max(keys) + 1
        pages = {page.objgen for page in document.pages}
        tagged = [page for page in document.pages if "/StructParents" in page.obj]
        blank = [text for text in _texts(tmp_path / "archive-1.pdf") if not text.strip()]
        assert blank and len(tagged) == len(document.pages) - len(blank)  # all but blank pages
        assert {int(page.obj.StructParents) for page in tagged} <= keys

        def elements(element):
            yield element
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    yield from elements(kid)

        placed = [e for top in tree.K for e in elements(top) if "/Pg" in e]
        assert placed and all(e.Pg.objgen in pages for e in placed)


def test_make_pdf_builds_every_issue_and_article(built, monkeypatch, capsys):
    project, _, _ = built
    monkeypatch.chdir(project.root)
    assert cli.main(["-q", "--jobs", "1"]) == 0
    assert sorted(p.name for p in (project.root / "build").glob("*.pdf")) == [
        "first.pdf", "march.pdf", "second.pdf", "third.pdf"]


BAD = {
    # said on the line that opens the list, not the next one, where PyYAML notices it
    "not yaml": ("publication: x\narticles: [../first.md\ncover: y\n", 2,
                 "not valid YAML: a '\\[' list is opened here and never closed"),
    "unknown key": ("publication: x\npages: 4\narticles: [../first.md]\n", 2, "unknown key 'pages'"),
    "missing": ("publication: x\narticles:\n  - ../first.md\n  - ../nowhere.md\n", 4, "not found"),
    "twice": ("publication: x\narticles:\n  - ../first.md\n  - ../first.md\n", 4, "already in the issue"),
    "empty": ("publication: x\narticles: []\n", 2, "lists no articles"),
    "no name": ("issue: 3\narticles: [../first.md]\n", 1, "no 'publication:'"),
    "outside": ("publication: x\narticles: [../../../etc/passwd]\n", 2, "outside|not found"),
    "bad date": ("publication: x\ndate: 2024-02-30\narticles: [../first.md]\n", 2, "YYYY-MM-DD"),
    "unknown cover line": ("publication: x\ncover:\n  lines:\n    - text: a\n      article: nope\n"
                           "articles: [../first.md]\n", 5, "not in the issue"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_manifests_are_one_line_naming_the_line(case, tmp_path, monkeypatch, capsys):
    project = _workspace(tmp_path)
    text, line, message = BAD[case]
    path = project.content / "issues" / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert cli.main([str(path), "-o", "out.pdf"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: content/issues/bad.yaml:{line}: "), err
    assert re.search(message, err[0]), err
    assert not (project.root / "out.pdf").exists()


def test_a_failing_article_fails_the_issue_with_its_own_error(tmp_path, monkeypatch, capsys):
    project = _workspace(tmp_path)
    (project.content / "second.md").write_text("---\ndeck: بلا عنوان\n---\n\nنص.\n", encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert cli.main(["content/issues/march.yaml", "-o", "out.pdf", "--jobs", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: content/second.md:1: the article has no title (front matter 'title:')"]
    assert not (project.root / "out.pdf").exists()


def test_issue_manifests_are_found_in_content_issues(tmp_path):
    project = _workspace(tmp_path)
    (project.content / "issues" / "april").mkdir()
    (project.content / "issues" / "april" / "issue.yaml").write_text(
        "publication: x\narticles: [first.md, ../../third.md]\n", encoding="utf-8")
    found = manifest.issues_in(project.content)
    assert [p.relative_to(project.content).as_posix() for p in found] == [
        "issues/april/issue.yaml", "issues/march.yaml"]
    april = manifest.load(found[0], project)
    assert april.slug == "april"
    assert [a.source.name for a in april.articles] == ["first.md", "third.md"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_start_any_lays_a_verso_article_out_for_its_side(tmp_path, jobs, capsys, monkeypatch):
    project = _workspace(tmp_path)
    path = project.content / "issues" / "march.yaml"
    path.write_text(MANIFEST.replace("lang: ar\n", "lang: ar\nstart: any\n"), encoding="utf-8")
    output = tmp_path / "any.pdf"
    result = issue.build_issue(path, output, settings=issue.Settings(project), jobs=jobs)
    texts = _texts(output)
    assert not any(not text.strip() for text in texts)  # no blank page put in
    assert result.starts[0] == 3 and any(start % 2 == 0 for start in result.starts)
    with pikepdf.open(output) as document:
        for number in result.starts:
            # the opener sits inside the mirrored margins of the page it lands on: in a
            # right-to-left issue an odd page is a left-hand page, bound on its right edge
            page = document.pages[number - 1]
            trim = [float(v) for v in page.obj.TrimBox]
            left, right = _text_extent(output, number - 1)
            inner, outer = (trim[2] - right, left - trim[0]) if number % 2 == 1 else (
                left - trim[0], trim[2] - right)
            assert inner > outer + 5, (number, inner, outer)


def _text_extent(pdf: Path, index: int) -> tuple[float, float]:
    """The leftmost and rightmost x of the page's characters (pdfium), in points."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        textpage = document[index].get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
        boxes = [b for b in boxes if b[2] > b[0]]
        return min(b[0] for b in boxes), max(b[2] for b in boxes)
    finally:
        document.close()


def test_nothing_on_the_cover_or_contents_runs_past_the_page(built):
    _, pdf, _ = built
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        with pikepdf.open(pdf) as opened:
            trims = [[float(v) for v in opened.pages[i].obj.TrimBox] for i in (0, 1)]
        for index, (left, bottom, right, top) in enumerate(trims):
            textpage = document[index].get_textpage()
            boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
            boxes = [b for b in boxes if b[2] > b[0]]
            assert boxes
            assert min(b[0] for b in boxes) >= left + 10 and max(b[2] for b in boxes) <= right - 10
            assert min(b[1] for b in boxes) >= bottom + 10 and max(b[3] for b in boxes) <= top - 10
    finally:
        document.close()


def test_every_article_of_the_issue_passes_check_on_its_own_pages(built, monkeypatch, capsys):
    project, pdf, _ = built
    monkeypatch.chdir(project.root)
    assert cli.main(["check", str(pdf), "--source", "content/issues/march.yaml"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert [line.split(", against ")[1] for line in out.splitlines() if ", against " in line] == [
        f"content/{name}" for name in ARTICLES]
    assert out.count("\nok\n") == len(ARTICLES)


def test_a_left_to_right_issue(tmp_path):
    project = _workspace(tmp_path)
    for name in ("one", "two"):
        (project.content / f"{name}.md").write_text(
            f"---\ntitle: The {name} story\nlang: en\nbyline: Staff\n---\n\n"
            + "A quiet paragraph about harbours, trains and libraries in small towns. " * 40
            + "\n\n## Later\n\nMore words.\n", encoding="utf-8")
    path = project.content / "issues" / "en.yaml"
    path.write_text("publication: Horizons\nissue: 3\ndate: 2024-05-01\nlang: en\n"
                    "articles: [one.md, two.md]\n", encoding="utf-8")
    output = tmp_path / "en.pdf"
    result = issue.build_issue(path, output, settings=issue.Settings(project), jobs=1)
    texts = _texts(output)
    assert "In this issue" in texts[1] and "Horizons · Issue 3 · May 2024" in texts[1]
    with pikepdf.open(output) as document:
        assert document.Root.ViewerPreferences.Direction == "/L2R"
        labels = list(document.Root.PageLabels.Nums)
        assert str(labels[1].P) == "Cover" and str(labels[3].P) == "Contents"
        assert labels[5].S == "/D" and int(labels[5].St) == 3
    for number in result.starts:
        assert _printed_folio_latin(texts[number - 1]) == str(number)
        # a left-to-right issue binds an odd (right-hand) page on its left edge
        with pikepdf.open(output) as document:
            trim = [float(v) for v in document.pages[number - 1].obj.TrimBox]
        left, right = _text_extent(output, number - 1)
        assert (left - trim[0]) > (trim[2] - right) + 5


def _printed_folio_latin(text: str) -> str | None:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].isdigit() else None


def test_an_issue_says_the_missing_subsetter_once_to_a_person(tmp_path, capsys, monkeypatch):
    """Without HarfBuzz's subsetter builds are slower: an issue build tells a person (-v) once,
    as an article or a batch does, and says how many pages ("1 page", "12 pages")."""
    project = _workspace(tmp_path)
    monkeypatch.chdir(project.root)
    monkeypatch.setattr("pressroom.layout.weasy.has_harfbuzz_subsetter", lambda: False)
    assert cli.main(["content/issues/march.yaml", "-o", "out.pdf", "-v", "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("HarfBuzz's font subsetter (libharfbuzz-subset) is missing") == 1
    assert re.search(r"^out\.pdf: \d+ pages \(content/issues/march\.yaml\)$", captured.out, re.M)


def test_persian_and_urdu_number_in_their_own_digits():
    """Folios, list items, footnotes and an issue's number and date: ۱۲۳ (extended Arabic-Indic)
    for Persian and Urdu, ١٢٣ for Arabic, 123 otherwise."""
    from pressroom.model import counter_style

    assert [issue.digits(2024, lang) for lang in ("fa", "ur", "fa-IR", "ar", "en")] == \
        ["۲۰۲۴", "۲۰۲۴", "۲۰۲۴", "٢٠٢٤", "2024"]
    assert [counter_style(lang) for lang in ("fa", "ur-PK", "ar", "en")] == \
        ["persian", "persian", "arabic-indic", "decimal"]
    # the folios' digits and the page labels' agree in every language (Hebrew numbers in 0–9)
    for lang in ("he", "ckb", "ug", "FA", "AR-eg", "dv"):
        style = counter_style(lang)
        assert issue.digits(12, lang) == {"persian": "۱۲", "arabic-indic": "١٢", "decimal": "12"}[style]
    assert counter_style("he") == "decimal" and counter_style("ckb") == "arabic-indic"


def test_the_sheets_running_heads_read_in_order(tmp_path):
    """Every page of an article after its first carries the issue's line ("مجلة الاختبار · العدد ٧
    · مارس ٢٠٢٤", on a verso) or the article's title (on a recto), and every reader reads it in
    order, its numbers and Latin words whole: the sheets' heads are running elements with the
    spans of | runs. As strings they were one run of plain text: pypdf read the line backwards
    ("٢٠٢٤ مارس · ٧ العدد · …") and the title "…السهول2024 موسم"."""
    from .test_search import holds_in_order, reader_texts

    project = _workspace(tmp_path)
    title = "موسم 2024 الزراعي: قمح (كم²) وG20"
    (project.content / "first.md").write_text(
        _article(f'"{title}"', "زراعة", "تقرير عن المواسم.", "", paragraphs=30), encoding="utf-8")
    output = tmp_path / "march.pdf"
    result = issue.build_issue(project.content / "issues" / "march.yaml", output,
                               settings=issue.Settings(project), jobs=1)
    line = f"مجلة الاختبار · {issue.issue_line(result.issue)}"
    first, end = result.starts[0], result.starts[1]
    assert end - first >= 3  # a recto and a verso after the opener
    for reader, pages in reader_texts(output).items():
        heads = [holds_in_order(pages[number - 1], title) or holds_in_order(pages[number - 1], line)
                 for number in range(first + 1, end) if re.search(r"\w", pages[number - 1])]
        assert len(heads) >= 2 and all(heads), (reader, heads)
