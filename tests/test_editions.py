"""Print, screen and archive editions: each promise read back from the PDF itself."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest
from PIL import Image

from pressroom import build
from pressroom.check import fidelity
from pressroom.check.verify import PdfReport
from pressroom.cli import main
from pressroom.layout import weasy
from pressroom.report import collect_warnings

from .conftest import ROOT, SEED_MD, SEED_WARNINGS

MM = 72 / 25.4
A4 = (0.0, 0.0, 595.2756, 841.8898)
PROFILE = ROOT / "layouts" / "profiles" / "Pressroom-FOGRA39.icc"


@pytest.fixture(scope="module")
def editions(tmp_path_factory, project):
    """The seed in every edition (the print one is the default build's)."""
    folder = tmp_path_factory.mktemp("editions")
    out = {}
    for variant in ("print", "screen", "archive"):
        out[variant] = folder / f"{variant}.pdf"
        with collect_warnings() as warnings:
            build.build(SEED_MD, out[variant], project=project, variant=variant)
        assert all(re.search(SEED_WARNINGS[0], w) for w in warnings), warnings
    return out


def _box(page, name):
    return tuple(round(float(v), 2) for v in page[name])


def test_print_boxes(editions):
    with pikepdf.open(editions["print"]) as pdf:
        for page in pdf.pages:
            trim, bleed, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _box(page, "/MediaBox")
            assert trim == pytest.approx(A4, abs=0.01)
            assert bleed == pytest.approx((-3 * MM, -3 * MM, A4[2] + 3 * MM, A4[3] + 3 * MM), abs=0.01)
            assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM, "room for marks"


def test_crop_marks_are_drawn_outside_the_bleed(editions):
    import pypdfium2

    page = pypdfium2.PdfDocument(editions["print"])[0]
    scale = 100 / 72
    image = page.render(scale=scale, crop=(0, 0, 0, 0)).to_pil().convert("L")
    width = image.width
    media_bleed = (12 - 3) * MM * scale  # from the sheet's edge to the bleed box, in pixels
    trim = 12 * MM * scale

    def dark(box):
        return image.crop(tuple(round(v) for v in box)).getextrema()[0] < 128

    assert dark((0, trim - 2, media_bleed, trim + 2)), "a mark on the trim line, left of the bleed"
    assert dark((width - media_bleed, trim - 2, width, trim + 2))
    assert dark((trim - 2, 0, trim + 2, media_bleed)), "and above it"
    assert not dark((media_bleed + 2, trim + 2, trim - 2, trim + 40)), "nothing inside the bleed"


def test_print_is_pdfx4_with_our_cmyk_intent(editions):
    with pikepdf.open(editions["print"]) as pdf:
        assert pdf.pdf_version == "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == PROFILE.read_bytes()
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert "<pdf:Trapped>False</pdf:Trapped>" in xmp
        assert "<xmp:CreateDate>2019-10-01T00:00:00Z</xmp:CreateDate>" in xmp, "the content's date"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20191001")
        for page in pdf.pages:
            assert "/DefaultRGB" in page.Resources.ColorSpace, "DeviceRGB means sRGB"


def test_the_shipped_profile_is_cmyk_output_and_licensed():
    from PIL import ImageCms

    profile = ImageCms.getOpenProfile(str(PROFILE))
    assert (profile.profile.xcolor_space.strip(), profile.profile.device_class) == ("CMYK", "prtr")
    licence = (PROFILE.parent / "LICENSE-zlib.txt").read_text(encoding="utf-8")
    assert "FOGRA39L.ti3" in licence and "zlib" in licence


def test_a_printers_profile_replaces_ours(tmp_path, project, expect_warnings):
    expect_warnings(*SEED_WARNINGS)
    theirs = tmp_path / "printer.icc"
    shutil.copy(PROFILE, theirs)
    out = tmp_path / "theirs.pdf"
    build.build(SEED_MD, out, project=project, output_intent=theirs)
    with pikepdf.open(out) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier).startswith("Pressroom FOGRA39 (made with")


def test_an_rgb_profile_is_refused(tmp_path, capsys):
    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(weasy.srgb_profile())
    assert main([str(SEED_MD), "-o", str(tmp_path / "x.pdf"), "--output-intent", str(srgb)]) == 1
    assert capsys.readouterr().err == (
        f"error: {srgb}: the output intent must be a CMYK printer (output) profile\n")


def test_preflight_warns_about_low_resolution(write_article, workspace, tmp_path, capsys,
                                              expect_warnings, monkeypatch):
    monkeypatch.chdir(workspace.root)
    expect_warnings(r"photo small\.jpg is \d+ ppi at its placed size \(216 × 105 mm\); print wants 300")
    Image.new("RGB", (600, 400), "olive").save(workspace.images / "small.jpg")
    source = write_article('![صورة صغيرة.](images/small.jpg){credit="تصوير: فلان" .bleed}')
    build.build(source, tmp_path / "small.pdf", project=workspace)
    assert main([str(source), "-o", str(tmp_path / "strict.pdf"), "--strict"]) == 1
    assert not (tmp_path / "strict.pdf").exists()
    err = capsys.readouterr().err
    assert err.count("photos are RGB: PDF/X-4 allows that") == 1, "said once"


def test_archive_is_pdfa3u_tagged_with_metadata(editions):
    with pikepdf.open(editions["archive"]) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "ar"
        for expected in ("التزام كازاخستان بالسلام", "سلطنات بيرديكيفا",
                         "<dc:language><rdf:Bag><rdf:li>ar</rdf:li>",
                         "<dc:source>https://unipath-magazine.com/</dc:source>",
                         "<rdf:li>2019-10-01</rdf:li>", "<rdf:li>حفظ السلام</rdf:li>"):
            assert expected in xmp


def test_archive_carries_its_sources(editions):
    expected = {
        "kazakhstan-peacekeeping.md": SEED_MD.read_bytes(),
        "kazakhstan-peacekeeping.txt": (SEED_MD.parent / "originals" /
                                        "kazakhstan-peacekeeping.txt").read_bytes(),
    }
    with pikepdf.open(editions["archive"]) as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        assert files == expected
        relations = {str(spec.AFRelationship) for spec in pdf.Root.AF}
        assert relations == {"/Source"} and len(pdf.Root.AF) == 2


def test_archive_rebuild_is_byte_identical(editions, tmp_path, project, expect_warnings):
    expect_warnings(*SEED_WARNINGS)
    again = tmp_path / "again.pdf"
    build.build(SEED_MD, again, project=project, variant="archive")
    assert again.read_bytes() == editions["archive"].read_bytes()


def test_dates_come_from_source_date_epoch(write_article, tmp_path, workspace, monkeypatch):
    source = write_article("نص.")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    build.build(source, first, project=workspace, variant="archive")
    build.build(source, second, project=workspace, variant="archive")
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        assert "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>" in (
            pdf.Root.Metadata.read_bytes().decode())


def test_screen_is_light_rgb_and_tagged(editions):
    with pikepdf.open(editions["screen"]) as pdf:
        assert "/OutputIntents" not in pdf.Root
        page = pdf.pages[0]
        assert _box(page, "/MediaBox") == pytest.approx(A4, abs=0.01)
        assert "/StructTreeRoot" in pdf.Root
    widths = [image.width for page in PdfReport(editions["screen"]).images_per_page() for image in page]
    # about 150 ppi where the layout places them: the 210 mm lead, the 83 mm column photo
    assert sorted(widths) == pytest.approx([83 / 25.4 * 150, 210 / 25.4 * 150], rel=0.05)
    assert editions["screen"].stat().st_size < editions["print"].stat().st_size


def test_links_are_live_on_screen(write_article, workspace, tmp_path):
    out = tmp_path / "links.pdf"
    build.build(write_article("انظر [موقع الأمم المتحدة](https://www.un.org/ar)."), out,
                project=workspace, variant="screen")
    with pikepdf.open(out) as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[0].get("/Annots", []) if "/A" in a]
        assert uris == ["https://www.un.org/ar"]


@pytest.mark.parametrize("variant", ["print", "screen", "archive"])
def test_every_edition_reads_right_to_left(editions, variant):
    with pikepdf.open(editions[variant]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == "/R2L"
        assert pdf.Root.PageLayout == "/TwoPageRight", "page 1 alone, then 3|2, 5|4…"


def test_a_left_to_right_article_reads_left_to_right(write_article, workspace, tmp_path):
    out = tmp_path / "en.pdf"
    build.build(write_article("Some text.", lang="en", title="A title"), out, project=workspace)
    with pikepdf.open(out) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == "/L2R"


@pytest.mark.parametrize("variant", ["print", "screen", "archive"])
def test_text_layer_as_faithful_in_every_edition(editions, variant):
    article = build.load(SEED_MD)
    texts = PdfReport(editions[variant]).texts()
    for reader in ("pdfium", "pypdf"):
        score = fidelity.score(reader, texts[reader], article)
        assert score.failures(fidelity.GOALS[reader]) == [], (variant, reader)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("variant", ["print", "screen", "archive"])
def test_qpdf_finds_nothing_wrong(editions, variant):
    done = subprocess.run(["qpdf", "--check", str(editions[variant])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def test_variant_names_the_default_output(monkeypatch, project, capsys, tmp_path,
                                          expect_warnings):
    expect_warnings(*SEED_WARNINGS)
    monkeypatch.chdir(tmp_path)
    for name in ("layouts", "fonts", "images", "content"):
        shutil.copytree(project.root / name, tmp_path / name)
    assert main(["--variant", "screen", "-q"]) == 0
    assert (tmp_path / "build" / "kazakhstan-peacekeeping-screen.pdf").is_file()


def test_a_font_not_embedded_is_an_error():
    import pydyf

    from pressroom.errors import OutputError
    from pressroom.pdf.finish import require_embedded_fonts

    pdf = pydyf.PDF()
    pdf.add_object(pydyf.Dictionary({"Type": "/FontDescriptor", "FontName": "/Missing"}))
    with pytest.raises(OutputError, match="is not embedded"):
        require_embedded_fonts(pdf)


def test_a_wide_photo_cropped_to_its_box_is_judged_by_its_height(write_article, workspace, tmp_path,
                                                                 expect_warnings):
    """3000 px across is 353 ppi over 216 mm, but 1000 px stretched over 105 mm is 242."""
    expect_warnings(r"photo wide\.jpg is 242 ppi at its placed size \(216 × 105 mm\)")
    Image.new("RGB", (3000, 1000), "olive").save(workspace.images / "wide.jpg")
    build.build(write_article('![عريضة.](images/wide.jpg){credit="تصوير: فلان" .bleed}',
                              date="2020-01-01"), tmp_path / "wide.pdf", project=workspace)


def test_a_missing_profile_is_a_one_line_error(workspace, write_article, tmp_path):
    from pressroom.errors import LayoutError

    (workspace.layouts / "profiles" / "Pressroom-FOGRA39.icc").unlink()
    with pytest.raises(LayoutError, match="CMYK profile is missing"):
        build.build(write_article("نص.", date="2020-01-01"), tmp_path / "x.pdf", project=workspace)


def test_output_intent_is_for_print_only(tmp_path, capsys):
    assert main([str(SEED_MD), "-o", str(tmp_path / "s.pdf"), "--variant", "screen",
                 "--output-intent", str(PROFILE)]) == 1
    assert "--output-intent is for the print edition, not screen" in capsys.readouterr().err


def test_same_bytes_wherever_the_project_lies(tmp_path, project, expect_warnings):
    """Two checkouts in different folders build the same PDF (nothing names the folder)."""
    expect_warnings(*SEED_WARNINGS)
    outputs = []
    for where in ("one", "two/deeper"):
        root = tmp_path / where
        for name in ("layouts", "fonts", "images", "content"):
            shutil.copytree(project.root / name, root / name)
        out = root / "seed.pdf"
        build.build(root / "content" / SEED_MD.name, out, project=type(project)(root))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_an_undated_article_is_dated_1970_not_now(write_article, workspace, tmp_path, capsys,
                                                  monkeypatch):
    import os

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(workspace.root)
    source = write_article("نص.")
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert main([str(source), "-o", str(first)]) == 0
    os.utime(source, (2_000_000_000, 2_000_000_000))  # a new checkout: a new mtime
    assert main([str(source), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "no date: (front matter) and no SOURCE_DATE_EPOCH: the PDF is dated 1970-01-01" in (
        capsys.readouterr().err)
    with pikepdf.open(first) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:19700101")
