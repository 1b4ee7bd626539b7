"""Fonts come only from fonts/: isolated fontconfig, licences beside them, coverage warnings."""

from __future__ import annotations

import subprocess

from fontTools.ttLib import TTFont

from pressroom.build import build
from pressroom.check.verify import PdfReport
from pressroom.layout import typeset
from pressroom.project import Project
from pressroom.sources import content

from .conftest import SEED_MD

OUR_FAMILIES = {"Amiri", "Amiri-Bold", "Noto-Kufi-Arabic", "Noto-Kufi-Arabic-Bold"}


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
    expect_warnings(r"article\.md: layout .*magazine: \.notdef glyph rendered .*漢")
    build(write_article("نص فيه حرف صيني 漢."), tmp_path / "out.pdf", project=workspace)
