"""Errors a designer can act on: CSS warnings name the file:line to fix (tokens included), font
families fonts/ lacks are warned of, and --html writes what the layout produced."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pytest

from pressroom.cli import main
from pressroom.project import Project

BODY = "فقرة أولى من النص العربي للتجربة، فيها كلمات كثيرة.\n\n## عنوان فرعي\n\nفقرة ثانية."


@pytest.fixture
def here(workspace: Project, monkeypatch: pytest.MonkeyPatch, write_article) -> Project:
    monkeypatch.chdir(workspace.root)
    write_article(BODY, "a.md", deck="سطر تمهيدي قصير", byline="كاتب", lang="ar",
                  date="2024-03-01")
    return workspace


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the file; return the (1-based) line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def build(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    code = main(["content/a.md", "-o", "out/a.pdf", *extra])
    said = capsys.readouterr().err.splitlines()
    return code, [line for line in said if line.startswith(("warning", "error"))]


def test_css_warnings_name_the_file_and_line(here: Project, capsys, expect_warnings) -> None:
    layout = here.layouts / "magazine"
    token_line = edit(layout / "tokens.css", "--size-title: 30pt;", "--size-title: 30pz;")
    used_line = line_of(layout / "print.css", "font-size: var(--size-title)")
    colour_line = edit(layout / "print.css", "  color: var(--ink);\n}", "  color: reddish;\n}")
    unknown_line = edit(layout / "print.css", "body { margin: 0; }", "body { margin: 0; colr: red; }")
    expect_warnings(r"tokens\.css:\d+: invalid value", r"print\.css:\d+: invalid value",
                    r"unknown property colr")
    code, said = build(capsys)
    assert code == 0
    assert said == [
        f"warning: layouts/magazine/print.css:{colour_line}: invalid value for color: reddish",
        f"warning: layouts/magazine/print.css:{unknown_line}: unknown property colr: red",
        f"warning: layouts/magazine/tokens.css:{token_line}: invalid value for font-size: 30pz "
        f"(the token --size-title, used at layouts/magazine/print.css:{used_line})",
    ], said
    assert (here.root / "out" / "a.pdf").is_file()


def test_strict_refuses_a_css_warning(here: Project, capsys, expect_warnings) -> None:
    layout = here.layouts / "magazine"
    token_line = edit(layout / "tokens.css", "--accent: #8c1d18;", "--accent: #8c1d1;")
    expect_warnings(r"tokens\.css:\d+: invalid value for color: #8c1d1 ",
                    r"tokens\.css:\d+: invalid value for background: #8c1d1 ")
    code, said = build(capsys, "--strict")
    assert code == 1
    assert said[-1].startswith("error: content/a.md: ") and "with --strict" in said[-1]
    assert f"the first: layouts/magazine/tokens.css:{token_line}: invalid value for " in said[-1]
    assert not (here.root / "out" / "a.pdf").exists()


def test_a_misspelt_property_is_said_where_it_is_written_not_at_its_token(
        here: Project, capsys, expect_warnings) -> None:
    """A property name misspelt in print.css whose value is a token (`colr: var(--accent)`) is
    the declaration's mistake, not the token's: the warning names print.css and its line (it
    named tokens.css, where --accent is fine), and the value as written."""
    layout = here.layouts / "magazine"
    edit(layout / "print.css", ".byline {\n  font-family: var(--font-display);\n"
                  "  font-size: var(--size-byline);\n  color: var(--accent);",
                  ".byline {\n  font-family: var(--font-display);\n"
                  "  font-size: var(--size-byline);\n  colr: var(--accent);")
    masthead = edit(layout / "print.css", "  font-size: var(--size-masthead);",
                    "  font-size: var(--size-masthead);\n  font-wieght: var(--weight-x);")
    byline = line_of(layout / "print.css", "colr: var(--accent)")
    expect_warnings(r"unknown property colr", r"unknown property font-wieght")
    code, said = build(capsys)
    assert code == 0
    assert sorted(said) == sorted([
        f"warning: layouts/magazine/print.css:{byline}: unknown property colr: var(--accent)",
        f"warning: layouts/magazine/print.css:{masthead + 1}: unknown property font-wieght: "
        "var(--weight-x)",
    ]), said


def test_a_file_the_layout_names_that_is_not_there(here: Project, capsys, expect_warnings) -> None:
    """A stylesheet the template links, a sheet @import'ed and a font file that the layout's
    folder or fonts/ does not have are said as missing files, by their paths (not "refused to
    load …: only the project's files can be used": they are the project's)."""
    layout = here.layouts / "magazine"
    edit(layout / "article.html.j2", '<link rel="stylesheet" href="print.css">',
         '<link rel="stylesheet" href="print.css">\n<link rel="stylesheet" href="extra.css">')
    edit(layout / "print.css", "/* The magazine look", '@import "more.css";\n/* The magazine look')
    edit(layout / "fonts.css", "NotoKufiArabic-Bold.ttf", "NotoKufiArabic-Black.ttf")
    expect_warnings("no file layouts/magazine/extra.css", "no file layouts/magazine/more.css",
                    "no file fonts/NotoKufiArabic-Black.ttf", "Font-face 'Noto Kufi Arabic' cannot be loaded")
    code, said = build(capsys)
    assert code == 0
    assert sorted(said) == sorted([
        f"warning: content/a.md: no file layouts/magazine/{name}.css: the layout names it "
        f"({(layout / name).with_suffix('.css').as_uri()})" for name in ("extra", "more")
    ] + ["warning: content/a.md: no file fonts/NotoKufiArabic-Black.ttf: the layout names it "
         "(pressroom://fonts/NotoKufiArabic-Black.ttf)",
       "warning: content/a.md: layout layouts/magazine: Font-face 'Noto Kufi Arabic' cannot be loaded"]), said


def test_imports_token_chains_and_undeclared_tokens(here: Project, capsys, expect_warnings) -> None:
    """Material written after the code: an @import'ed sheet, a token made of another token, a
    shorthand with two tokens of which one is bad, and a var() naming no token."""
    layout = here.layouts / "magazine"
    (layout / "extra.css").write_text(
        "/* added by a designer */\n:root {\n  --deck-gap: var(--gap-base);\n  --gap-base: 4 mm;\n}\n"
        "article .deck {\n  margin-bottom: var(--deck-gap);\n}\n"
        "article .byline {\n  padding: var(--indent) var(--byline-pad);\n  --byline-pad: lots;\n}\n"
        "article h2 { letter-spacing: var(--kicker-track); }\n", encoding="utf-8")
    edit(layout / "print.css", "/* The magazine look", '@import "extra.css";\n/* The magazine look')
    expect_warnings(r"extra\.css:4: invalid value for margin-bottom", r"extra\.css:11: invalid value",
                    r"extra\.css:13: no token --kicker-track")
    code, said = build(capsys)
    assert code == 0
    assert sorted(said) == sorted([
        "warning: layouts/magazine/extra.css:4: invalid value for margin-bottom: 4 mm "
        "(the token --deck-gap, used at layouts/magazine/extra.css:7)",
        "warning: layouts/magazine/extra.css:11: invalid value for padding: lots "
        "(the token --byline-pad, used at layouts/magazine/extra.css:10)",
        "warning: layouts/magazine/extra.css:13: no token --kicker-track is declared "
        "(letter-spacing: var(--kicker-track))",
    ]), said


def test_rules_media_blocks_and_math(here: Project, capsys, expect_warnings) -> None:
    """More material written after the code: a declaration inside @media, a bad calc(), and a
    whole rule WeasyPrint drops (an unknown page-margin box) are said of their lines too."""
    layout = here.layouts / "magazine"
    text = (layout / "print.css").read_text(encoding="utf-8")
    lines = text.count("\n")
    (layout / "print.css").write_text(
        text + "@media print {\n  .deck { line-height: tall; }\n}\n.byline { width: calc(10mm + red); }\n"
        '@page { @bottom-middle { content: "x"; } }\n', encoding="utf-8")
    expect_warnings("line-height: tall", r"calc\(10mm \+ red\)", "bottom-middle")
    code, said = build(capsys)
    assert code == 0
    assert sorted(said) == sorted([
        f"warning: layouts/magazine/print.css:{lines + 2}: invalid value for line-height: tall",
        f"warning: layouts/magazine/print.css:{lines + 4}: invalid value for width: calc(10mm + red)",
        f"warning: layouts/magazine/print.css:{lines + 5}: Unknown @page rule "
        "<AtRule @bottom-middle … { … }>",
    ]), said


def test_an_issue_and_a_batch_say_a_layout_warning_once(here: Project, capsys, write_article,
                                             expect_warnings) -> None:
    """Every article of an issue is laid out with the same layout: its mistake is said once."""
    layout = here.layouts / "magazine"
    token_line = edit(layout / "tokens.css", "--size-title: 30pt;", "--size-title: 30pz;")
    write_article(BODY, "b.md", lang="ar", date="2024-03-01")
    (here.content / "issues").mkdir()
    (here.content / "issues" / "one.yaml").write_text(
        "publication: آفاق\nissue: 1\ndate: 2024-03-01\nlang: ar\nstart: any\n"
        "articles: [a.md, b.md]\n", encoding="utf-8")
    expect_warnings(r"tokens\.css:\d+: invalid value for font-size: 30pz")
    code = main(["content/issues/one.yaml", "-o", "out/one.pdf", "--jobs", "1"])
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert code == 0 and len(said) == 1, said
    # and a batch of articles (two worker processes)
    code = main(["content/a.md", "content/b.md", "-o", "out/", "--jobs", "2"])
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert code == 0
    assert said == [f"warning: layouts/magazine/tokens.css:{token_line}: invalid value for font-size: "
                    f"30pz (the token --size-title, used at layouts/magazine/print.css:"
                    f"{line_of(layout / 'print.css', 'font-size: var(--size-title)')})"], said


def test_font_family_not_in_fonts(here: Project, capsys, expect_warnings) -> None:
    layout = here.layouts / "magazine"
    display_line = edit(layout / "tokens.css", '--font-display: "Noto Kufi Arabic", "Amiri",',
                        '--font-display: "Noto Naskh Arabic", "Amiri",')
    caption_line = edit(layout / "print.css", "figcaption {\n", "figcaption {\n  font-family: serif;\n") + 1
    expect_warnings("Noto Naskh Arabic", "serif")
    code, said = build(capsys)
    assert code == 0
    assert said == [
        f"warning: layouts/magazine/tokens.css:{display_line}: font family 'Noto Naskh Arabic' is not "
        "in fonts/ (its families: Amiri, Noto Kufi Arabic, Noto Sans Math): another face would be "
        "drawn instead",
        f"warning: layouts/magazine/print.css:{caption_line}: the generic family 'serif' is not "
        "in fonts/ (its families: Amiri, Noto Kufi Arabic, Noto Sans Math): another face would be "
        "drawn instead",
    ], said
    code, said = build(capsys, "--strict", "--force")
    assert code == 1 and "Noto Naskh Arabic" in said[-1]


def test_a_generic_family_the_layout_maps_is_fine(here: Project, capsys) -> None:
    layout = here.layouts / "magazine"
    edit(layout / "fonts.css", "@font-face {", '@font-face { font-family: "serif"; '
         "src: url(pressroom://fonts/Amiri-Regular.ttf); }\n@font-face {")
    edit(layout / "print.css", "figcaption {\n", "figcaption {\n  font-family: serif;\n")
    code, said = build(capsys)
    assert code == 0 and said == []


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.title = ""
        self._in_title = False
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet":
            self.links.append(found["href"] or "")
        if tag == "img":
            self.sources.append(found["src"] or "")
        self._in_title, self._in_style = tag == "title", tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._in_style:
            self.styles.append(data)


def test_html_for_the_browser(here: Project, capsys, write_article) -> None:
    write_article("نص قبل الصورة.\n\n![صفوف الألواح](images/demo-solar-rows.jpg){credit=\"تصوير: سامر\"}"
                  "\n\nنص بعد الصورة.", "a.md", title="الألواح الشمسية في الصحراء", lang="ar",
                  date="2024-03-01")
    out = here.root / "inspect" / "a.html"
    code, said = build(capsys, "--html", "inspect/a.html")
    assert code == 0 and said == []
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    page.close()
    assert page.title == "الألواح الشمسية في الصحراء"
    linked = [(out.parent / unquote(href)).resolve() for href in page.links]
    layout = (here.layouts / "magazine").resolve()
    assert layout / "tokens.css" in linked and layout / "print.css" in linked
    assert all(path.is_file() for path in linked)
    assert [(out.parent / unquote(src)).resolve() for src in page.sources] == [
        (here.images / "demo-solar-rows.jpg").resolve()]
    fonts = [part.split(")")[0].strip('"') for style in page.styles for part in style.split("url(")[1:]]
    assert fonts and all(urlsplit(f).scheme == "" and (out.parent / unquote(f)).is_file() for f in fonts)
    assert "url(pressroom://" not in out.read_text(encoding="utf-8").replace("url(\"", "url(")


def test_html_needs_one_article(here: Project, capsys, write_article) -> None:
    write_article("نص.", "b.md")
    code = main(["content/a.md", "content/b.md", "-o", "out/", "--html", "x.html"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "error: x.html: --html writes the HTML of one article or issue: give one SOURCE")
    assert not (here.root / "x.html").exists() and not (here.root / "out").exists()


def test_an_unknown_justify_value_is_a_warning_naming_its_line(here: Project, capsys,
                                                              expect_warnings) -> None:
    """--justify takes kashida or spaces; a typo (which justifies with spaces) is said where it is
    written, also in a rule of its own, and --strict refuses it."""
    layout = here.layouts / "magazine"
    token_line = edit(layout / "tokens.css", "--justify: kashida;", "--justify: kashidas;")
    rule_line = edit(layout / "print.css", "body { margin: 0; }",
                     "body { margin: 0; }\n.sidebar { --justify: space; }")
    expect_warnings(r"--justify: 'kashidas'", r"--justify: 'space'")
    code, said = build(capsys)
    assert code == 0 and (here.root / "out" / "a.pdf").is_file()
    assert sorted(said) == sorted([
        f"warning: layouts/magazine/tokens.css:{token_line}: --justify: 'kashidas' is neither kashida "
        "nor spaces: its lines are justified with spaces",
        f"warning: layouts/magazine/print.css:{rule_line + 1}: --justify: 'space' is neither kashida "
        "nor spaces: its lines are justified with spaces"]), said
    (here.root / "out" / "a.pdf").unlink()
    code, said = build(capsys, "--strict")
    assert code == 1 and "with --strict" in said[-1] and "--justify: " in said[-1]
    assert not (here.root / "out" / "a.pdf").exists()
    # the two values it takes say nothing
    edit(layout / "tokens.css", "--justify: kashidas;", "--justify: spaces;")
    edit(layout / "print.css", "--justify: space;", "--justify: kashida;")
    code, said = build(capsys, "--strict")
    assert code == 0 and said == [], said


def test_justify_through_a_token(here: Project, capsys, write_article, expect_warnings) -> None:
    """--justify may be set from another token (--justify: var(--mode)): the token's value is
    what counts (no warning that 'var(--mode)' is neither value), and the lines are justified
    as it says; a var() naming no token, or a --justify made of itself, is the stylesheet's
    warning at its line and the build goes on (it stopped on "WeasyPrint broke an assumption")."""
    from pressroom.check import wordspace

    write_article(_MARKET * 6 + "\n\n" + _MARKET * 5, "long.md", lang="ar")
    layout = here.layouts / "magazine"

    def kashidas() -> tuple[int, list[str]]:
        code = main(["content/long.md", "-o", "out/long.pdf", "--force"])
        said = [line for line in capsys.readouterr().err.splitlines()
                if line.startswith(("warning", "error"))]
        assert code == 0, said
        return sum(line.kashidas for line in wordspace.measure(here.root / "out" / "long.pdf")), said

    assert kashidas()[0] > 0  # the magazine's --justify: kashida
    edit(layout / "tokens.css", "--justify: kashida;", "--mode: spaces;\n  --justify: var(--mode);")
    assert kashidas() == (0, [])
    edit(layout / "tokens.css", "--mode: spaces;", "--mode: kashida;")
    drawn, said = kashidas()
    assert drawn > 0 and said == []

    token_line = edit(layout / "tokens.css", "--justify: var(--mode);", "--justify: var(--justify-mode);")
    rule_line = edit(layout / "print.css", "body { margin: 0; }",
                     "body { margin: 0; }\n.body p + p { --justify: var(--justify); }") + 1
    expect_warnings(r"no token --justify-mode is declared", r"no value for --justify")
    drawn, said = kashidas()
    assert drawn > 0  # unset where it is invalid: the default, kashida
    assert sorted(said) == sorted([
        f"warning: layouts/magazine/tokens.css:{token_line}: no token --justify-mode is declared "
        "(--justify: var(--justify-mode))",
        f"warning: layouts/magazine/print.css:{rule_line}: no value for --justify: var(--justify) "
        f"(the token --justify, used at layouts/magazine/print.css:{rule_line})",
    ]), said


#: Material written for these tests (never tuned on): paragraphs, and photos of the project between them.
_MARKET = ("يفتح الباعة دكاكينهم قبل الفجر ويرتبون السلال والأقمشة على الطاولات الخشبية، ثم يأتي "
           "المشترون من القرى المجاورة ومعهم أخبار الحقول والطرق والمدارس. ")


def _with_photos(*photos: str) -> str:
    blocks = []
    for number, photo in enumerate(photos):
        blocks += [_MARKET * (4 + number % 3),
                   f'![صورة رقم {number + 1} من السوق]({photo}){{credit="تصوير: عمر داود"}}']
    return "\n\n".join([*blocks, _MARKET * 5])


def test_html_is_what_the_pages_were_laid_out_from(here: Project, capsys, write_article) -> None:
    """--html writes the HTML of the layout the PDF kept: body blocks numbered, figures moved to
    column tops and bottoms; WeasyPrint lays the written file out to the same pages, each with
    the same photos."""
    from pressroom.layout.weasy import HTML

    write_article(_with_photos("images/demo-railway-station.jpg", "images/demo-library-children.jpg",
                               "images/demo-newsroom-desk.jpg"),
                  "a.md", title="سوق الخميس يعود إلى البلدة القديمة", lang="ar", date="2024-05-02")
    code, said = build(capsys, "--html", "inspect/a.html")
    assert code == 0 and said == []
    out = here.root / "inspect" / "a.html"
    text = out.read_text(encoding="utf-8")
    assert 'data-b="' in text and re.search(r'<figure class="[^"]*\bat-(top|bottom)\b', text), text[-3000:]
    ours = pypdf.PdfReader(here.root / "out" / "a.pdf")
    again = pypdf.PdfReader(_bytes(HTML(filename=str(out)).write_pdf()))
    assert [len(page.images) for page in again.pages] == [len(page.images) for page in ours.pages]
    assert sum(len(page.images) for page in ours.pages) >= 3  # (pypdf may count one twice)


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_html_of_an_issue_is_a_folder(here: Project, capsys, write_article) -> None:
    """For an issue, --html names a folder: front.html (cover and contents, whose entries open
    the articles' files) and one file per article, as each was laid out in the issue."""
    write_article(_with_photos("images/demo-solar-rows.jpg"), "b.md", title="الطاقة في الواحة",
                  lang="ar", date="2024-03-01")
    (here.content / "issues").mkdir()
    manifest = here.content / "issues" / "spring.yaml"
    manifest.write_text("publication: مجلة التجربة\nissue: 3\ndate: 2024-03-01\nlang: ar\n"
                        "articles: [a.md, b.md]\n", encoding="utf-8")
    code = main(["content/issues/spring.yaml", "-o", "out/spring.pdf", "--html", "inspect/spring.html"])
    assert code == 1 and "--html of an issue names a folder" in capsys.readouterr().err
    assert not (here.root / "out").exists() and not (here.root / "inspect").exists()

    code = main(["content/issues/spring.yaml", "-o", "out/spring.pdf", "--html", "inspect/spring"])
    assert code == 0, capsys.readouterr().err
    folder = here.root / "inspect" / "spring"
    assert sorted(p.name for p in folder.iterdir()) == ["01-a.html", "02-b.html", "front.html"]
    front = _Page()
    front.feed((folder / "front.html").read_text(encoding="utf-8"))
    assert "مجلة التجربة" in front.title
    hrefs = re.findall(r'href="([^"]+\.html)"', (folder / "front.html").read_text(encoding="utf-8"))
    assert "01-a.html" in hrefs and "02-b.html" in hrefs, hrefs
    for name, title in (("01-a.html", "عنوان تجريبي"), ("02-b.html", "الطاقة في الواحة")):
        page = _Page()
        text = (folder / name).read_text(encoding="utf-8")
        page.feed(text)
        assert page.title == title and all((folder / unquote(href)).is_file() for href in page.links)
    b = (folder / "02-b.html").read_text(encoding="utf-8")
    assert 'data-b="' in b and "demo-solar-rows.jpg" in b


def test_a_string_set_running_head_is_a_warning_naming_its_line(here: Project, capsys,
                                                                expect_warnings) -> None:
    """A layout made before running heads became running elements (string-set from the title's
    data-title, string() in the margin box) still builds, with a warning at the string-set's line:
    readers extract such a head's numbers and Latin words out of order."""
    layout = here.layouts / "magazine"
    edit(layout / "print.css", "@top-right { content: element(article-title); }",
         "@top-right { content: string(article-title); }")
    line = edit(layout / "print.css", ".running-title { position: running(article-title); }",
                ".title { string-set: article-title attr(data-title); }")
    expect_warnings(r"string-set: a running head")
    code, said = build(capsys)
    assert code == 0 and (here.root / "out" / "a.pdf").is_file()
    assert said == [f"warning: layouts/magazine/print.css:{line}: string-set: a running head set "
                    "from a string is one run of plain text, and PDF readers extract its numbers "
                    "and Latin words out of order; make it a running element written with "
                    "`| runs` (position: running(NAME), and content: element(NAME) in the margin "
                    "box: layouts/README.md)"], said
