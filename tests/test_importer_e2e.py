"""`make_pdf.py import` end to end: scraped text → .md on disk → PDF text, metadata and warnings."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest

from pressroom.check.verify import PdfReport
from pressroom.cli import main
from pressroom.report import collect_warnings

from .conftest import FIXTURES, ROOT
from .test_pdf import has_phrase

#: Written for these tests: a caption and its credit on one line ("… جبلي. تصوير: سامر خليل"), a
#: caption without a full stop followed by a "rank name/organisation" credit, a line made only of
#: links, a newsletter prompt, a date line, an "المصدر:" line and "comments closed".
SCRAPED = FIXTURES / "credits-scraped.txt"
FIGURES = [("جرافة عسكرية تزيح الثلوج عن طريق جبلي.", "تصوير: سامر خليل"),
           ("سائقو الشاحنات ينتظرون عند نقطة التفتيش الأخيرة قبل القرى",
            "عريف أول ماركو بيانكي/القوة الإيطالية")]
#: Lines of SCRAPED that are furniture: none of their words may reach the PDF.
FURNITURE = ["قوافل الشتاء الماضي", "مخيمات النازحين", "اشترك في نشرتنا البريدية",
             "التعليقات مغلقة", "المصدر", "شباط فبراير 2020"]
SOURCE_URL = "https://example.org/relief/mountain-villages"


def _project_copy(root: Path) -> Path:
    for name in ("layouts", "fonts", "images"):
        shutil.copytree(ROOT / name, root / name)
    (root / "content").mkdir()
    return root


@contextlib.contextmanager
def _inside(folder: Path):
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """SCRAPED imported into a copy of the project, then its .md built (print edition)."""
    root = _project_copy(tmp_path_factory.mktemp("importe2e"))
    with _inside(root), collect_warnings() as warnings:
        code, said, err = _run(["import", str(SCRAPED), "--source-url", SOURCE_URL])
        assert (code, err) == (0, ""), err
        md = root / "content" / "credits-scraped.md"
        code, _, err = _run([str(md), "-o", str(root / "out.pdf")])
        assert code == 0, err
    report = PdfReport(root / "out.pdf")
    return {"said": said, "md": md.read_text(encoding="utf-8"), "warnings": list(warnings),
            "stderr": err, "report": report,
            "texts": {"pypdf": "\n".join(report.text_pypdf()),
                      "pdfium": "\n".join(report.text_pdfium())}}


def test_the_build_warns_about_nothing(imported):
    """Both photos got their credit (one split off its caption's line), so no 'has no credit'."""
    assert imported["warnings"] == []
    assert "warning" not in imported["stderr"]


def test_the_markdown_holds_caption_and_credit_apart(imported):
    md = imported["md"]
    assert ('![جرافة عسكرية تزيح الثلوج عن طريق جبلي.](<images/180816-Z-BT406-0647_edit.jpg>)'
            '{credit="تصوير: سامر خليل"}') in md
    assert ('![سائقو الشاحنات ينتظرون عند نقطة التفتيش الأخيرة قبل القرى]'
            '(<images/180817-Z-ID851-1004-edit.jpg>){credit="عريف أول ماركو بيانكي/القوة الإيطالية"}') in md


@pytest.mark.parametrize("caption, credit", FIGURES)
def test_pdf_text_has_each_caption_beside_its_credit(imported, caption, credit):
    text = imported["texts"]["pypdf"]
    assert has_phrase(text, f"{caption} {credit}") or has_phrase(text, f"{credit} {caption}")


@pytest.mark.parametrize("reader", ["pypdf", "pdfium"])
@pytest.mark.parametrize("furniture", FURNITURE)
def test_no_boilerplate_in_the_pdf(imported, reader, furniture):
    text = imported["texts"][reader]
    assert has_phrase(text, "وقال قائد الوحدة إن فرقه عملت على مدار الساعة"), "the text is read"
    assert not has_phrase(text, furniture)


def test_metadata_from_the_file_and_the_command_line(imported):
    md = imported["md"]
    assert "date: 2020-02-14" in md  # the file's "نُشر في 14 شباط/فبراير 2020"
    assert 'publication: "مجلة الدفاع"' in md  # the file's "المصدر: مجلة الدفاع"
    assert f'source: "{SOURCE_URL}"' in md  # --source-url
    assert imported["report"].metadata()["CreationDate"].startswith("D:20200214")


def test_import_says_each_decision_with_file_and_line(imported):
    said = imported["said"].splitlines()
    name = str(SCRAPED)
    for line in (f"{name}:4: date: 2020-02-14",
                 f"{name}:7: caption: جرافة عسكرية تزيح الثلوج عن طريق جبلي.",
                 f"{name}:7: credit: تصوير: سامر خليل",
                 f"{name}:9: boilerplate: [قوافل الشتاء الماضي](https://example.org/a) · "
                 "[مخيمات النازحين](https://example.org/b)",
                 f"{name}:14: credit: عريف أول ماركو بيانكي/القوة الإيطالية",
                 f"{name}:16: publication: مجلة الدفاع",
                 f"{name}: source: {SOURCE_URL} (from --source-url)"):
        assert line in said


def test_a_photo_without_a_credit_line_warns(workspace, monkeypatch, expect_warnings):
    """The contrast: the same photo with its credit line gone gives the build's warning."""
    expect_warnings(r"bare\.md:\d+: photo images/180816-Z-BT406-0647_edit\.jpg has no credit")
    monkeypatch.chdir(workspace.root)
    scraped = workspace.root / "bare.txt"
    scraped.write_text("قوافل الإغاثة\nمقدمة قصيرة\nليلى حسن\n"
                       "![](https://example.org/180816-Z-BT406-0647_edit.jpg)\n"
                       "جرافة عسكرية تزيح الثلوج عن طريق جبلي.\nفقرة من المقال تكفي لصفحة واحدة.\n",
                       encoding="utf-8")
    code, _, _ = _run(["import", str(scraped)])
    assert code == 0
    code, _, err = _run([str(workspace.content / "bare.md"), "-o", str(workspace.root / "bare.pdf")])
    assert code == 0
    assert "has no credit" in err and "bare.md:" in err


# --- the command line's metadata options ----------------------------------------------------

def _scraped(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "a.txt"
    path.write_text("عنوان المقال\nمقدمة المقال\nكاتب المقال\n" + extra +
                    "فقرة أولى من المقال تكفي لتكون فقرة حقيقية.\n"
                    "![](https://example.org/p.jpg)\nجنود خلال تدريب في ألماتي.\nجون سميث\n"
                    "العودة إلى الوطن\nفقرة ثانية من المقال.\n", encoding="utf-8")
    return path


def test_command_line_metadata_wins_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = _scraped(tmp_path, "تاريخ النشر: 2019-10-02\n")
    md = tmp_path / "a.md"
    code, said, err = _run(["import", str(source), "-o", str(md), "--date", "2019-10-01",
                            "--publication", "يونيباث", "--source-url", "https://unipath-magazine.com/x"])
    assert (code, err) == (0, "")
    text = md.read_text(encoding="utf-8")
    assert "date: 2019-10-01" in text and "2019-10-02" not in text
    assert 'publication: "يونيباث"' in text and 'source: "https://unipath-magazine.com/x"' in text
    assert "a.txt: date: 2019-10-01 (from --date, instead of line 4's 2019-10-02)" in said
    assert "metadata: no" not in said


def test_unsure_decisions_name_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, said, _ = _run(["import", str(_scraped(tmp_path)), "-o", str(tmp_path / "a.md")])
    assert code == 0
    assert "a.txt:7: credit: جون سميث  (unsure: two short lines in a row after the photo" in said
    assert ("a.txt: metadata: no date, source, publication in the file  (unsure: give --date, "
            "--source-url, --publication; the photos come from https://example.org/)") in said


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--date", "2019-13-01", "error: --date must be YYYY-MM-DD, not '2019-13-01'"),
    ("--date", "1 October 2019", "error: --date must be YYYY-MM-DD, not '1 October 2019'"),
    ("--source-url", "unipath-magazine.com", "error: --source-url must be an http(s):// address"),
    ("--publication", " ", "error: --publication must not be empty"),
])
def test_bad_metadata_option_is_one_line_and_writes_nothing(tmp_path, monkeypatch, option, value, message):
    monkeypatch.chdir(tmp_path)
    md = tmp_path / "a.md"
    code, said, err = _run(["import", str(_scraped(tmp_path)), "-o", str(md), option, value])
    assert code == 1 and said == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert not md.exists()


def test_a_photo_whose_name_is_too_long_for_the_disk_imports(tmp_path, monkeypatch):
    """A photo's name longer than a file name may be: looking for its copy in images/ raised
    OSError (File name too long) and `import` ended in a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "images").mkdir()
    source = tmp_path / "a.txt"
    source.write_text("عنوان المقال\nمقدمة المقال\nأحمد علي\nفقرة أولى من المقال تكفي لتكون فقرة.\n"
                      f"https://example.org/{'a' * 300}.jpg\nتصوير: سامي\nفقرة أخيرة.\n", encoding="utf-8")
    code, said, err = _run(["import", str(source), "-o", str(tmp_path / "a.md")])
    assert (code, err) == (0, ""), err
    assert "figure: https://example.org/" in said
