"""The command line: builds, import, one-line errors, --strict, atomic outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pressroom.check.verify import PdfReport
from pressroom.cli import main

from .conftest import ROOT, SEED_MD, SEED_TXT


@pytest.fixture
def here(workspace, monkeypatch):
    """Run the command line from inside a throw-away project."""
    monkeypatch.chdir(workspace.root)
    return workspace


def _article(folder, name="a.md", body="نص قصير.", **front):
    front = {"title": "عنوان", **front}
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n\n" + body + "\n"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_argument_builds_all_content(here, capsys):
    _article(here.content, "one.md")
    _article(here.content, "two.md")
    assert main([]) == 0
    assert sorted(p.name for p in (here.root / "build").glob("*.pdf")) == ["one.pdf", "two.pdf"]
    assert "build/one.pdf: 1 page (content/one.md)" in capsys.readouterr().out


def test_source_and_output(here, tmp_path):
    source = _article(here.content)
    out = tmp_path / "x" / "out.pdf"
    assert main([str(source), "-o", str(out), "-q"]) == 0
    assert PdfReport(out).metadata()["Title"] == "عنوان"


def test_several_sources_to_a_folder(here, tmp_path):
    sources = [str(_article(here.content, f"{n}.md")) for n in ("a", "b")]
    assert main([*sources, "-o", f"{tmp_path}/out/", "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".pressroom-build", "a.pdf", "b.pdf"]


def test_several_sources_need_a_folder(here, capsys):
    sources = [str(_article(here.content, f"{n}.md")) for n in ("a", "b")]
    assert main([*sources, "-o", "one.pdf"]) == 1
    assert "several sources need -o DIR/" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "error: {path}: no such file"),
        ("", "error: {path}: empty file"),
        ("---\ntitle: [x\n---\n", "error: {path}:2: front matter is not valid YAML"),
        ("---\ntitle: x\n", "error: {path}:1: front matter opened with '---' on line 1 is never closed"),
        ("---\nbyline: x\n---\nنص\n", "error: {path}:1: the article has no title"),
    ],
)
def test_bad_input_is_one_line_and_keeps_the_old_output(here, capsys, text, expected):
    path = here.content / "bad.md"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    out = here.root / "out.pdf"
    out.write_bytes(b"%PDF-1.7 previous output")  # an earlier build's PDF
    assert main([str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(expected.format(path="content/bad.md")), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out.read_bytes() == b"%PDF-1.7 previous output"
    assert [p.name for p in here.root.iterdir() if p.name.startswith(".out.pdf")] == []


def test_unknown_layout(here, capsys):
    assert main([str(_article(here.content)), "--layout", "glossy"]) == 1
    assert "unknown layout 'glossy' (available: magazine, pocket)" in capsys.readouterr().err


def test_strict_turns_warnings_into_errors(here, tmp_path, capsys, expect_warnings):
    expect_warnings("not found", "has no credit")
    source = _article(here.content, body="![](images/absent.jpg)")
    out = tmp_path / "strict.pdf"
    assert main([str(source), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "warning: " in err and "error: " in err and "--strict" in err
    assert not out.exists()


def test_warning_without_strict_still_builds(here, tmp_path, capsys, expect_warnings):
    expect_warnings(r"a\.md:\d+: image images/absent\.jpg not found", r"has no credit")
    source = _article(here.content, body="![](images/absent.jpg)")
    assert main([str(source), "-o", str(tmp_path / "ok.pdf")]) == 0
    assert "warning: content/a.md:5: image images/absent.jpg not found" in capsys.readouterr().err


def test_import_writes_markdown(here, capsys):
    scraped = here.content / "seed.txt"
    shutil.copy(SEED_TXT, scraped)
    out = here.content / "seed.md"
    assert main(["import", str(scraped), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "التزام كازاخستان بالسلام"\n')
    assert "![](<images/180817-Z-ID851-1004-edit.jpg>){credit=" in text
    assert "## بروز الكازاخيين كحفظة سلام" in text
    assert 'original: "originals/seed.txt"' in text, "the scraped text is kept for the archive"
    assert (here.content / "originals" / "seed.txt").read_bytes() == SEED_TXT.read_bytes()


def test_make_pdf_entry_point_runs_the_same_main(tmp_path):
    """The thin entry point, as a new user runs it (a real process, exit code and stderr)."""
    out = tmp_path / "seed.pdf"
    done = subprocess.run([sys.executable, "make_pdf.py", str(SEED_MD), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert PdfReport(out).pages >= 2
    bad = subprocess.run([sys.executable, "make_pdf.py", "nope.md"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert (bad.returncode, bad.stderr) == (1, "error: nope.md: no such file\n")


def test_verbose_works_in_a_fresh_process(tmp_path):
    """-v in a new process, where WeasyPrint logs its progress while being imported (a test run
    has imported it long before): the build and `check` print progress, and no traceback."""
    out = tmp_path / "seed.pdf"
    built = subprocess.run([sys.executable, "make_pdf.py", "-v", str(SEED_MD), "-o", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    assert "progress: writing the PDF" in built.stderr
    checked = subprocess.run([sys.executable, "make_pdf.py", "check", str(out), "--source", str(SEED_MD),
                              "-v"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    assert "pdfium" in checked.stdout


def test_progress_is_shown_with_verbose(here, tmp_path, capsys):
    source = _article(here.content, body="\n\n".join(["نص طويل بعض الشيء للاختبار."] * 40))
    assert main([str(source), "-o", str(tmp_path / "p.pdf"), "-v"]) == 0
    err = capsys.readouterr().err
    assert "progress: 1 pages laid out" in err and "progress: writing the PDF" in err


def test_a_50000_character_paragraph_builds(here, tmp_path):
    words = "في عام أرسلت كازاخستان قوات للمشاركة في أول بعثة دولية لحفظ السلام 2003".split()
    body = " ".join(words[i % len(words)] for i in range(50_000 // 5)) + "."
    assert len(body) >= 50_000
    out = tmp_path / "long.pdf"
    assert main([str(_article(here.content, body=body)), "-o", str(out), "-q"]) == 0
    assert PdfReport(out).pages >= 8


def test_two_sources_for_one_pdf_are_refused(here, tmp_path, capsys):
    one = _article(here.content, "story.md")
    other = tmp_path / "elsewhere"
    other.mkdir()
    two = _article(other, "story.md")
    assert main([str(one), str(two), "-o", f"{tmp_path}/out/"]) == 1
    assert "would both write" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_content_folder_prefers_the_edited_markdown(here, capsys):
    _article(here.content, "story.md", title="العنوان المحرر")
    (here.content / "story.txt").write_text("عنوان خام\nمقدمة\nكاتب\nنص.\n", encoding="utf-8")
    assert main([]) == 0
    assert PdfReport(here.root / "build" / "story.pdf").metadata()["Title"] == "العنوان المحرر"
    assert "story.txt: not built: story.md is the edited article" in capsys.readouterr().err


def test_import_does_not_clobber_an_edited_article(here, capsys):
    scraped = here.content / "seed.txt"
    shutil.copy(SEED_TXT, scraped)
    edited = here.content / "seed.md"
    edited.write_text("---\ntitle: edited by hand\n---\n", encoding="utf-8")
    assert main(["import", str(scraped)]) == 1
    assert "use --force to replace it" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8").startswith("---\ntitle: edited by hand")
    assert main(["import", str(scraped), "--force", "-q"]) == 0
    assert "التزام كازاخستان" in edited.read_text(encoding="utf-8")


@pytest.mark.parametrize(("argv", "said"), [
    (["build", "content/a.md", "-o", "out/a.pdf"],
     "build: no such file, and not a command: make_pdf.py SOURCE builds it (no command needed)"),
    (["content/a.md", "build"],
     "build: no such file, and not a command: make_pdf.py SOURCE builds it (no command needed)"),
    (["chek", "out/a.pdf"], "chek: no such file, and not a command: did you mean make_pdf.py check?"),
    (["-v", "check", "out/a.pdf"],
     "check: no such file, and not a command: the command comes first, before any option: "
     "make_pdf.py check …"),
    (["a", "-o", "out/"], "a: no such file, and not a command: did you mean content/a.md?"),
    (["frobnicate"], "frobnicate: no such file, and not a command: commands: import, check, proof, "
                     "new, watch, preview"),
])
def test_a_mistyped_command_is_said_before_anything_is_built(workspace, write_article, monkeypatch,
                                                             capsys, argv, said):
    """`make_pdf.py build content/a.md -o out/a.pdf` built nothing and said "out/a.pdf: several
    sources need -o DIR/"; without -o it built content/a.md and then failed on "build". The build
    folder a first build leaves (build/) is no source either."""
    write_article("نص قصير.", name="a.md")
    (workspace.root / "build").mkdir()
    monkeypatch.chdir(workspace.root)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"error: {said}"]
    assert not (workspace.root / "out").exists() and not list((workspace.root / "build").iterdir())


@pytest.mark.parametrize("argv", [["a.md", "--variant", "x"], ["a.md", "--jobs", "0"],
                                  ["check"], ["import"], ["proof", "x.pdf"], ["a.md", "--nope"]])
def test_a_usage_error_is_one_line(argv, capsys):
    """A mistyped option or a missing argument: one line saying what and where to look (the
    usage is for --help), exit 2, nothing built."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("make_pdf.py") and ": error: " in err and "--help)" in err
