"""Fonts come only from fonts/: isolated fontconfig, licences beside them, coverage warnings."""

from __future__ import annotations

import subprocess

from fontTools.ttLib import TTFont

from pressroom import cli
from pressroom.build import build
from pressroom.check.verify import PdfReport
from pressroom.layout import typeset
from pressroom.project import Project
from pressroom.sources import content

from .conftest import SEED_MD

OUR_FAMILIES = {"Amiri", "Amiri-Bold", "Amiri-Italic", "Amiri-Bold-Italic", "Noto-Kufi-Arabic",
                "Noto-Kufi-Arabic-Bold", "Noto-Sans-Math"}


def test_every_font_has_a_licence(project):
    fonts = sorted(project.fonts.glob("*.ttf"))
    assert fonts
    for font in fonts:
        family = font.stem.split("-")[0]
        licence = project.fonts / f"{family}-OFL.txt"
        assert licence.is_file(), f"{font.name} has no licence file"
        assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")


def test_seed_pdf_fonts_are_ours_and_embedded(seed_pdf):
    fonts = PdfReport(seed_pdf).fonts()
    assert fonts
    assert {f.family for f in fonts.values()} <= OUR_FAMILIES
    assert all(f.embedded for f in fonts.values())


def test_emphasis_is_set_in_the_slanted_faces(write_article, workspace, tmp_path):
    """*…* and ***…*** are drawn with Amiri Slanted and Bold Slanted (they were set upright, in
    the text's own face), and the text around them upright."""
    source = write_article("في رواية *بيت على النهر* وعنوانها بالفرنسية *Un hiver à Raml* و***كلمة***.")
    pdf = tmp_path / "emphasis.pdf"
    build(source, pdf, project=workspace)
    families = {f.family for f in PdfReport(pdf).fonts().values()}
    assert families >= {"Amiri", "Amiri-Italic", "Amiri-Bold-Italic"}, families


def test_system_font_request_gets_our_fonts(tmp_path):
    """A stylesheet asking for system faces (DejaVu is installed here) still gets only ours."""
    project = Project.find()
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    asked = ["DejaVu Sans", "Liberation Serif", "sans-serif", "monospace"]
    html = "".join(f'<p style="font-family: \'{f}\'">Hello عالم {f}</p>' for f in asked)
    fetcher = typeset.SandboxFetcher(project.readable_roots())
    document = typeset.layout(html, project.layouts / "magazine", project.fonts, fetcher)
    out = tmp_path / "system.pdf"
    out.write_bytes(typeset.to_pdf(document))
    families = {f.family for f in PdfReport(out).fonts().values()}
    assert families and families <= OUR_FAMILIES, families
    if "DejaVu" in installed:  # the case that shows isolation works: the face exists on the system
        assert not any("DejaVu" in f for f in families)


def test_display_face_covers_the_seed_headings(project):
    article = content.load(SEED_MD)
    cmap = TTFont(project.fonts / "NotoKufiArabic-Bold.ttf").getBestCmap()
    headings = [article.title, article.section, article.byline, article.publication,
                *(b.text for b in article.blocks if type(b).__name__ == "Heading")]
    missing = {ch for text in headings for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing


def test_uncovered_character_warns(write_article, workspace, tmp_path, expect_warnings):
    """Named once, with its line (WeasyPrint's own warning, without one, is then -v only: the
    conftest fails the test on any warning not expected)."""
    expect_warnings(r"article\.md:5: U\+6F22 '漢' \(CJK UNIFIED IDEOGRAPH-6F22\) is in no font of fonts/",
                    r"article\.md:7: U\+2082 '₂' \(SUBSCRIPT TWO\) is in no font of fonts/")
    source = write_article("نص فيه حرف صيني 漢 مرتين 漢.\n\nوانبعاثات CO₂ وم³.")
    build(source, tmp_path / "out.pdf", project=workspace)
    assert (tmp_path / "out.pdf").exists()


def test_uncovered_character_fails_a_strict_build(write_article, workspace, tmp_path, capsys,
                                                  monkeypatch, expect_warnings):
    expect_warnings("U\\+6F22")
    source = write_article("نص فيه حرف صيني 漢.")
    out = tmp_path / "out.pdf"
    monkeypatch.chdir(workspace.root)
    assert cli.main([str(source), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "article.md:5: U+6F22" in err and "Traceback" not in err
    assert not out.exists()


def test_what_is_never_drawn_is_not_said(write_article, workspace, tmp_path):
    """A variation selector (©️), a combining grapheme joiner, a zero-width joiner: shaped away,
    never an empty box (the conftest fails the test on any warning)."""
    source = write_article("جميع الحقوق محفوظة ©️ للمجلة، وال\u034fكلمة، وهذا\u200dذاك.")
    build(source, tmp_path / "out.pdf", project=workspace)


def test_the_line_named_is_the_first_that_draws_it(write_article, workspace, tmp_path, expect_warnings):
    """Not a front-matter value the layouts do not draw (keywords); an HTML entity counts."""
    expect_warnings(r"article\.md:8: U\+6F22", r"article\.md:10: U\+2603")
    source = write_article("نص عادي.\n\nفيه حرف &#x6F22; هنا.\n\nوثلج ☃ هنا.", keywords="[漢, ☃]")
    build(source, tmp_path / "out.pdf", project=workspace)


def test_a_font_in_a_subfolder_or_a_collection_counts(write_article, workspace, tmp_path):
    """fontconfig reads fonts/'s subfolders and .ttc collections: a character only such a font has
    is drawn, and not said (the conftest fails the test on any warning)."""
    from fontTools.ttLib import TTCollection, TTFont

    from pressroom.layout import coverage

    (workspace.fonts / "extra").mkdir()
    font = TTFont(workspace.fonts / "Amiri-Regular.ttf")
    collection = TTCollection()
    collection.fonts = [font]
    collection.save(workspace.fonts / "extra" / "amiri.ttc")
    assert ord("ش") in coverage.characters_in(workspace.fonts)
    assert all(ord(c) in coverage.characters_in(workspace.fonts / "extra") for c in "شمس")
    assert coverage.characters_in(workspace.fonts / "extra") <= coverage.characters_in(workspace.fonts)
