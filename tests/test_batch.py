"""Batches: failures mid-batch, summary and exit code, incremental rebuilds, resume after kills."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from PIL import Image

from pressroom import record
from pressroom.check.verify import PdfReport
from pressroom.cli import main

from .conftest import ROOT

BODIES = ["نص قصير عن المكتبات.", "مقال عن السكك الحديدية في القرى.", "الطاقة الشمسية في الصحراء.",
          "غرفة الأخبار والذكاء الاصطناعي.", "حديقة عامة جديدة في المدينة.", "سوق الكتب القديمة."]


@pytest.fixture
def here(workspace, monkeypatch):
    monkeypatch.chdir(workspace.root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return workspace


def _article(folder: Path, name: str, body: str = "نص قصير.", *, image: str = "",
             date: str = "2024-03-01") -> Path:
    figure = f"\n\n![صورة]({image}){{credit=\"تصوير: أحد\"}}\n" if image else ""
    path = folder / name
    path.write_text(f"---\ntitle: عنوان {path.stem}\ndate: {date}\n---\n\n{body}{figure}\n",
                    encoding="utf-8")
    return path


def _articles(folder: Path, count: int) -> list[Path]:
    return [_article(folder, f"a{i}.md", BODIES[i % len(BODIES)]) for i in range(count)]


def _pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def _summary(err: str) -> str:
    found = re.findall(r"^summary: .*$", err, re.M)
    assert len(found) == 1, err
    return found[0]


def test_failures_mid_batch_are_reported_and_the_rest_is_built(here, capsys):
    good = _articles(here.content, 3)
    empty = here.content / "b-empty.txt"
    empty.write_text("", encoding="utf-8")
    broken = here.content / "c-broken.md"
    broken.write_text("---\ntitle: [x\n---\n\nنص.\n", encoding="utf-8")
    sources = [good[0], empty, good[1], broken, good[2]]
    out = here.root / "out"
    assert main([*map(str, sources), "-o", f"{out}/", "--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert sorted(_pdfs(out)) == ["a0.pdf", "a1.pdf", "a2.pdf"]
    assert "error: content/b-empty.txt: empty file" in captured.err
    assert "error: content/c-broken.md:2: front matter is not valid YAML" in captured.err
    assert _summary(captured.err).startswith("summary: 3 built, 0 unchanged, 2 failed, 0 warnings")
    assert [line.split(":")[1] for line in captured.err.splitlines() if line.startswith("  failed: ")] == [
        " content/b-empty.txt", " content/c-broken.md"]  # in name order, however the workers ended
    assert re.search(r"^\[\d/5\] out/a1\.pdf: 1 page \(content/a1\.md\)$", captured.out, re.M)
    assert not [p for p in out.rglob("*.part")]
    for pdf in out.glob("*.pdf"):
        assert PdfReport(pdf).pages == 1


def test_fail_fast_stops_at_the_first_error(here, capsys):
    bad = here.content / "a-empty.md"
    bad.write_text("", encoding="utf-8")
    sources = [bad, *_articles(here.content, 2)]
    out = here.root / "out"
    assert main([*map(str, sources), "-o", f"{out}/", "--jobs", "1", "--fail-fast"]) == 1
    err = capsys.readouterr().err
    assert _pdfs(out) == {}
    assert _summary(err).startswith("summary: 0 built, 0 unchanged, 1 failed, 0 warnings, "
                                    "2 not built (--fail-fast)")


def test_warnings_from_workers_are_printed_naming_their_file(here, capsys, expect_warnings):
    expect_warnings(r"content/a1\.md:\d+: image images/absent\.png not found")
    _articles(here.content, 3)
    _article(here.content, "a1.md", image="images/absent.png")
    assert main(["--jobs", "2"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^warning: content/a1\.md:\d+: image images/absent\.png not found", err, re.M)
    assert _summary(err).startswith("summary: 3 built, 0 unchanged, 0 failed, 1 warning ")
    # a note that every article gives is said once for the batch
    assert err.count("no date") <= 1


def test_an_unchanged_article_says_its_warnings_again(here, capsys, expect_warnings):
    """An editor who runs the build again to see what was wrong is told it again: the warnings
    of the build that made the PDF are kept in its record and said while it is unchanged, counted
    in the batch's summary; gone with the build that no longer says them."""
    expect_warnings(r"content/a1\.md:\d+: image images/absent\.png not found")
    _articles(here.content, 2)
    a1 = _article(here.content, "a1.md", image="images/absent.png")
    assert main(["--jobs", "1"]) == 0
    first = capsys.readouterr().err
    warned = re.findall(r"^warning: content/a1\.md:\d+: image images/absent\.png not found.*$", first, re.M)
    assert len(warned) == 1
    assert main(["--jobs", "1"]) == 0
    again = capsys.readouterr().err
    assert re.findall(r"^warning: .*$", again, re.M) == warned
    assert _summary(again).startswith("summary: 0 built, 2 unchanged, 0 failed, 1 warning ")
    assert main([str(a1)]) == 0  # one article: its line says where the warnings come from
    out = capsys.readouterr()
    assert re.findall(r"^warning: .*$", out.err, re.M) == warned
    assert re.search(r"^\S+: unchanged, 1 page \(content/a1\.md\); 1 warning of its build, above$",
                     out.out, re.M), out.out
    _article(here.content, "a1.md")  # the photo taken out: built again, and nothing to say
    assert main(["--jobs", "1"]) == 0
    assert not re.findall(r"^warning: .*$", capsys.readouterr().err, re.M)
    assert main(["--jobs", "1"]) == 0
    assert not re.findall(r"^warning: .*$", capsys.readouterr().err, re.M)


def test_quiet_batch_prints_only_errors(here, capsys):
    _articles(here.content, 2)
    (here.content / "b.txt").write_text("", encoding="utf-8")
    assert main(["-q", "--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: content/b.txt: empty file\n"


def _built(capsys, *args: str) -> tuple[int, int]:
    """Build; return (built, unchanged) from the summary (several sources) or the output lines."""
    assert main(list(args)) == 0
    captured = capsys.readouterr()
    summary = re.search(r"^summary: (\d+) built, (\d+) unchanged", captured.err, re.M)
    if summary:
        return int(summary[1]), int(summary[2])
    built = len(re.findall(r"^(?:\[1/1\] )?\S+: \d+ pages? \(", captured.out, re.M))
    unchanged = len(re.findall(r"^\S+: unchanged, \d+ pages? \(", captured.out, re.M))
    assert built + unchanged == 1, captured.out  # one article: one line, built or unchanged
    return built, unchanged


def test_incremental_rebuilds_exactly_what_changed(here, capsys, monkeypatch, expect_warnings):
    expect_warnings(r"content/b\.md:\d+: image images/later\.png not found",
                    r"ppi at its placed size")  # a tiny photo (its lead crop, 92% shown: a note)
    Image.new("RGB", (40, 30), "red").save(here.images / "p.png")
    a = _article(here.content, "a.md", image="images/p.png")
    _article(here.content, "b.md", "نص آخر.", image="images/later.png")
    assert _built(capsys, "--jobs", "2") == (2, 0)
    stamps = {p.name: p.stat().st_mtime_ns for p in (here.root / "build").glob("*.pdf")}
    assert _built(capsys, "--jobs", "2") == (0, 2)
    assert stamps == {p.name: p.stat().st_mtime_ns for p in (here.root / "build").glob("*.pdf")}

    a.write_text(a.read_text(encoding="utf-8").replace("نص قصير", "نص أقصر"), encoding="utf-8")
    assert _built(capsys) == (1, 1)  # the source's bytes
    Image.new("RGB", (40, 30), "blue").save(here.images / "p.png")
    assert _built(capsys) == (1, 1)  # a photo it uses
    Image.new("RGB", (40, 30), "green").save(here.images / "later.png")
    assert _built(capsys) == (1, 1)  # a photo that was missing appears
    (here.root / "build" / "b.pdf").unlink()
    assert _built(capsys) == (1, 1)  # an output removed
    (here.root / "build" / "a.pdf").write_bytes((here.root / "build" / "b.pdf").read_bytes())
    assert _built(capsys) == (1, 1)  # an output replaced
    css = here.layouts / "magazine" / "tokens.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert _built(capsys) == (2, 0)  # a layout file
    (here.fonts / "README.md").write_text("changed\n", encoding="utf-8")
    assert _built(capsys) == (2, 0)  # the fonts folder
    assert _built(capsys, "--max-pages", "400") == (2, 0)  # an option
    assert _built(capsys, "--max-pages", "400") == (0, 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _built(capsys) == (2, 0)  # the date of undated articles
    monkeypatch.setattr(record, "__version__", "99.0")
    assert _built(capsys) == (2, 0)  # the toolkit's version
    assert _built(capsys) == (0, 2)
    assert _built(capsys, "--force") == (2, 0)


def test_edition_and_strict_are_part_of_the_record(here, capsys):
    source = _article(here.content, "a.md")
    out = here.root / "one.pdf"
    assert _built(capsys, str(source), "-o", str(out)) == (1, 0)
    assert _built(capsys, str(source), "-o", str(out)) == (0, 1)
    assert "unchanged" in (main([str(source), "-o", str(out), "-v"]), capsys.readouterr().out)[1]
    assert _built(capsys, str(source), "-o", str(out), "--variant", "archive") == (1, 0)
    assert PdfReport(out).metadata().get("Title") == "عنوان a"
    assert _built(capsys, str(source), "-o", str(out), "--variant", "archive") == (0, 1)
    assert _built(capsys, str(source), "-o", str(out), "--variant", "archive", "--strict") == (1, 0)


def test_same_bytes_from_one_process_and_two(here, capsys, monkeypatch):
    _articles(here.content, 4)
    assert main(["-o", "one/", "--jobs", "1", "-q"]) == 0
    monkeypatch.setattr("pressroom.batch.TASKS_PER_WORKER", 1)  # each worker replaced after one
    assert main(["-o", "two/", "--jobs", "2", "-q"]) == 0
    one, two = _pdfs(here.root / "one"), _pdfs(here.root / "two")
    assert len(one) == 4 and one == two


def _cli(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(ROOT / "make_pdf.py"), *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for(condition, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_resume_after_the_whole_run_is_killed(here):
    _articles(here.content, 6)
    records = here.root / "build" / record.FOLDER
    run = _cli(here.root, "--jobs", "1")
    _wait_for(lambda: len(list(records.glob("*.json"))) >= 2)
    os.killpg(run.pid, signal.SIGKILL)  # the parent, the fork server and the worker
    run.wait(timeout=60)
    finished = {p.name.removesuffix(".json") for p in records.glob("*.json")}
    assert 2 <= len(finished) < 6
    again = _cli(here.root, "--jobs", "2")
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _summary(err).startswith(f"summary: {6 - len(finished)} built, {len(finished)} unchanged, "
                                    "0 failed")
    assert not [p for p in (here.root / "build").rglob("*.part")]
    for pdf in (here.root / "build").glob("*.pdf"):
        assert PdfReport(pdf).pages == 1


def test_a_killed_worker_loses_nothing(here):
    _articles(here.content, 6)
    run = _cli(here.root, "--jobs", "2")
    parent = psutil.Process(run.pid)

    def workers() -> list:
        found = []
        for child in parent.children():
            try:
                if "forkserver" in " ".join(child.cmdline()):
                    found += child.children()
            except psutil.Error:  # a short-lived child that has just ended
                pass
        return found

    _wait_for(lambda: len(workers()) >= 1 and (here.root / "build" / record.FOLDER).is_dir())
    workers()[0].kill()
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert _summary(err).startswith("summary: 6 built, 0 unchanged, 0 failed")
    assert "Traceback" not in err
    assert sorted(p.name for p in (here.root / "build").glob("*.pdf")) == [f"a{i}.pdf" for i in range(6)]
    assert not [p for p in (here.root / "build").rglob("*.part")]


def test_import_a_folder_goes_on_past_failures(here, capsys):
    from .conftest import FIXTURES

    scraped = here.root / "scraped"
    scraped.mkdir()
    for name in ("arabic-scraped.txt", "english-scraped.txt", "credits-scraped.txt"):
        (scraped / name).write_bytes((FIXTURES / name).read_bytes())
    (scraped / "empty.txt").write_text("", encoding="utf-8")
    edited = here.content / "credits-scraped.md"
    edited.write_text("an editor's work\n", encoding="utf-8")
    assert main(["import", str(scraped), "--date", "2020-02-02", "--publication", "مجلة"]) == 1
    err = capsys.readouterr().err
    assert "error: scraped/empty.txt: empty file" in err
    assert _summary(err).startswith("summary: 2 imported, 1 kept, 1 failed")
    assert edited.read_text(encoding="utf-8") == "an editor's work\n"
    for name in ("arabic-scraped.md", "english-scraped.md"):
        text = (here.content / name).read_text(encoding="utf-8")
        assert "date: 2020-02-02" in text and "publication: \"مجلة\"" in text
    assert main(["import", str(scraped), "-q", "--force", "-o", str(here.root / "elsewhere")]) == 1
    assert sorted(p.name for p in (here.root / "elsewhere").glob("*.md")) == [
        "arabic-scraped.md", "credits-scraped.md", "english-scraped.md"]


def test_a_missing_harfbuzz_subsetter_is_said_once(here, capsys, monkeypatch):
    """Said once to a person (-v here; a terminal too), never into a script's stderr."""
    monkeypatch.setattr("pressroom.layout.weasy.has_harfbuzz_subsetter", lambda: False)
    sources = [str(p) for p in _articles(here.content, 2)]
    assert main([*sources, "-o", "out/", "--jobs", "2", "-v", "--force"]) == 0
    err = capsys.readouterr().err
    assert err.count("HarfBuzz's font subsetter (libharfbuzz-subset) is missing") == 1
    assert main([*sources, "-o", "out/", "--jobs", "2", "--force"]) == 0
    assert "HarfBuzz" not in capsys.readouterr().err


@pytest.mark.parametrize("person", ["-v", "a terminal"])
def test_a_single_article_says_the_missing_subsetter_once_to_a_person(here, capsys, monkeypatch, person):
    monkeypatch.setattr("pressroom.layout.weasy.has_harfbuzz_subsetter", lambda: False)
    source = str(_articles(here.content, 1)[0])
    assert main([source, "-o", "one.pdf"]) == 0  # a script's run (no terminal): not a word of it
    assert "HarfBuzz" not in capsys.readouterr().err
    if person == "a terminal":
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main([source, "-o", "one.pdf", "--force", *(["-v"] if person == "-v" else [])]) == 0
    err = capsys.readouterr().err
    assert err.count("HarfBuzz's font subsetter (libharfbuzz-subset) is missing") == 1, err
    assert (here.root / "one.pdf").read_bytes().startswith(b"%PDF-")


def test_a_rerun_with_nothing_to_build_imports_no_pipeline(here, capsys):
    """What makes it take well under a second: no WeasyPrint, pikepdf or pdfium is imported
    (nor the pipeline that imports them) when every record says unchanged."""
    _articles(here.content, 3)
    assert _built(capsys, "--jobs", "2") == (3, 0)
    probe = ("import sys; from pressroom.cli import main; code = main([]); "
             "print(sorted(m for m in ('weasyprint', 'pikepdf', 'pypdfium2', 'pressroom.build') "
             "if m in sys.modules)); sys.exit(code)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run([sys.executable, "-c", probe], cwd=here.root, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
    assert _summary(run.stderr).startswith("summary: 0 built, 3 unchanged, 0 failed")
    (here.content / "a1.md").write_text("---\ntitle: عنوان جديد\n---\n\nنص جديد.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", probe], cwd=here.root, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "['pressroom.build', 'weasyprint']"
    assert _summary(run.stderr).startswith("summary: 1 built, 2 unchanged, 0 failed")


def test_names_kept_apart_from_weasyprint_agree_with_it():
    """The command line and the log know editions and WeasyPrint's loggers by name, so that a
    run with nothing to build need not import them."""
    from pressroom import cli, report
    from pressroom.layout import weasy
    from pressroom.pdf import editions

    assert tuple(sorted(editions.EDITIONS)) == cli.EDITIONS
    assert cli.DEFAULT_EDITION == editions.DEFAULT_EDITION
    assert (report.WEASY_LOGGER_NAME, report.WEASY_PROGRESS_LOGGER_NAME) == (
        weasy.LOGGER_NAME, weasy.PROGRESS_LOGGER_NAME)


def test_the_cmyk_profile_and_the_toolkit_code_force_rebuilds(here, capsys, monkeypatch, tmp_path):
    _articles(here.content, 2)
    profile = here.layouts / "profiles" / "Pressroom-FOGRA39.icc"
    assert _built(capsys) == (2, 0)
    data = bytearray(profile.read_bytes())
    data[24:26] = (int.from_bytes(data[24:26], "big") ^ 1).to_bytes(2, "big")  # its creation year
    profile.write_bytes(bytes(data))
    assert _built(capsys) == (2, 0)  # the default profile's bytes (outside the layout's folder)
    assert _built(capsys) == (0, 2)
    given = tmp_path / "printer.icc"
    given.write_bytes(profile.read_bytes())
    assert _built(capsys, "--output-intent", str(given)) == (2, 0)  # another profile, same bytes
    assert _built(capsys, "--output-intent", str(given)) == (0, 2)
    assert _built(capsys, "--variant", "screen") == (2, 0)
    assert _built(capsys, "--variant", "screen") == (0, 2)

    package = tmp_path / "pressroom"  # a copy of the toolkit's code, as the records see it
    shutil.copytree(Path(record.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(record, "__file__", str(package / "record.py"))
    assert _built(capsys) == (2, 0)  # another copy of the code: rebuilt
    assert _built(capsys) == (0, 2)
    finish = package / "pdf" / "finish.py"  # code in a subpackage counts too
    finish.write_text(finish.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert _built(capsys) == (2, 0)
