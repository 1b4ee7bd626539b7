"""`make_pdf.py check` on hostile PDFs: encrypted, Flate bombs, huge arrays, 100,000 pages, the time
cap, and damaged or garbage files — an exit code, one stderr line naming the file, bounded memory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.cli import main
from pressroom.errors import display_path

from .conftest import ROOT, SEED_MD

#: Runs the command line and prints the process's peak memory: VmHWM, since getrusage's ru_maxrss
#: starts from the parent's (pytest's) size, which a child inherits across fork and exec.
PROBE = """\
import re, resource, sys
from pressroom.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
try:
    peak = int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1])
except (OSError, TypeError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"maxrss-kb {peak}")
sys.exit(code)
"""


def run_check(*args: str, env: dict[str, str] | None = None, prelude: str = ""):
    """`check` in a fresh process: (exit code, stdout, stderr lines, peak memory in MB, seconds)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", prelude + PROBE, "check", *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    seconds = time.monotonic() - started
    rss = re.search(r"^maxrss-kb (\d+)$", done.stdout, re.M)
    assert rss, (done.stdout, done.stderr)
    return done.returncode, done.stdout, done.stderr.splitlines(), int(rss[1]) / 1024, seconds


def assert_one_error_line(lines: list[str], pdf: Path, *phrases: str) -> None:
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {display_path(pdf)}: "), lines
    for phrase in phrases:
        assert phrase in lines[0], lines


def _page_with(pdf: pikepdf.Pdf, content: bytes, resources: pikepdf.Dictionary) -> None:
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[-1]
    page.Contents = pdf.make_stream(content)
    page.Resources = resources


def _bomb(pdf: pikepdf.Pdf, megabytes: int = 300, fill: bytes = b" ") -> pikepdf.Stream:
    """A stream of about 300 KB that inflates to ``megabytes`` MB (made a megabyte at a time)."""
    squeeze = zlib.compressobj(9)
    chunk = fill * (1 << 20)
    packed = b"".join(squeeze.compress(chunk) for _ in range(megabytes)) + squeeze.flush()
    stream = pikepdf.Stream(pdf, packed)
    stream.Filter = pikepdf.Name.FlateDecode
    return pdf.make_indirect(stream)


def _helvetica(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))


def bomb_pdf(path: Path, where: str) -> Path:
    """A one-page PDF whose page contents, form XObject or embedded font is a Flate bomb."""
    pdf = pikepdf.new()
    font = _helvetica(pdf)
    text = b"BT /F1 12 Tf 20 20 Td (bomb) Tj ET"
    if where == "contents":
        _page_with(pdf, b"", pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
        pdf.pages[0].Contents = _bomb(pdf)
    elif where == "form":
        form = _bomb(pdf)
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, 300, 300]
        _page_with(pdf, b"/X1 Do " + text,
                   pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(X1=form)))
    else:  # an embedded TrueType font file, which pdfium loads to read the text
        descriptor = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.Bomb, Flags=32,
            FontBBox=[0, 0, 1000, 1000], ItalicAngle=0, Ascent=800, Descent=-200, CapHeight=700,
            StemV=80, FontFile2=_bomb(pdf, fill=b"\0")))
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name.Bomb,
            FirstChar=32, LastChar=126, Widths=[500] * 95, FontDescriptor=descriptor))
        _page_with(pdf, text, pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
    pdf.save(path, compress_streams=False)
    return path


def many_pages(path: Path, count: int) -> Path:
    """A ``count``-page PDF written directly (one shared content stream, pages in groups of 100):
    pikepdf takes minutes to append 100,000 pages."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    data = b"BT /F1 12 Tf 10 10 Td (page) Tj ET"
    content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
    root = add(b"")
    groups = []
    for start in range(0, count, 100):
        group = add(b"")
        kids = [add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 200] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (group, content, font))
                for _ in range(min(100, count - start))]
        objects[group - 1] = b"<< /Type /Pages /Parent %d 0 R /Count %d /Kids [%s] >>" % (
            root, len(kids), b" ".join(b"%d 0 R" % k for k in kids))
        groups.append(group)
    objects[root - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        count, b" ".join(b"%d 0 R" % g for g in groups))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % root)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture(scope="module")
def hundred_thousand_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return many_pages(tmp_path_factory.mktemp("pages") / "pages.pdf", 100_000)


# --- encryption ---------------------------------------------------------------------------------

@pytest.mark.parametrize("revision", [4, 6], ids=["aes-128", "aes-256"])
def test_aes_encrypted_pdf_without_a_user_password_is_checked(seed_pdf, tmp_path, capsys, revision):
    locked = tmp_path / "aes.pdf"
    with pikepdf.open(seed_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user="", R=revision, aes=True))
    assert main(["check", str(locked), "--source", str(SEED_MD)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^pdfium +100\.0% +100\.0% +23/23", out, re.M), out
    assert re.search(r"^pypdf +\d", out, re.M), out


def test_a_pdf_that_needs_a_password_is_one_line(seed_pdf, tmp_path, capsys):
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(seed_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret", R=6, aes=True))
    assert main(["check", str(locked)]) == 1
    assert_one_error_line(capsys.readouterr().err.splitlines(), locked, "needs a password")


def test_aes_without_the_cryptography_package_is_one_line(seed_pdf, tmp_path):
    """As on a machine where `cryptography` is missing (it is declared: pip installs it)."""
    locked = tmp_path / "aes.pdf"
    with pikepdf.open(seed_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user="", R=6, aes=True))
    code, _, err, _, _ = run_check(str(locked), prelude="import sys; sys.modules['cryptography'] = None\n")
    assert code == 1
    assert_one_error_line(err, locked, "cryptography")


# --- bombs, arrays, pages, time -----------------------------------------------------------------

@pytest.mark.parametrize("where", ["contents", "form", "font"])
def test_a_flate_bomb_is_refused_in_little_memory(tmp_path, where):
    pdf = bomb_pdf(tmp_path / f"bomb-{where}.pdf", where)
    assert pdf.stat().st_size < 400_000
    code, out, err, megabytes, _ = run_check(str(pdf))
    assert code == 1, out
    assert_one_error_line(err, pdf, "inflates past 32 MB", "--max-stream-mb")
    assert megabytes < 200, f"{megabytes:.0f} MB to refuse a 300 MB bomb"


def test_a_line_of_200000_glyphs_is_read(tmp_path, capsys):
    """A 200,000-letter word gives a TJ array of 200,000 elements, as the toolkit writes it
    (pypdf refuses arrays past 100,000 elements unless told otherwise)."""
    pdf = pikepdf.new()
    word = b"[" + b" ".join([b"(w)"] * 200_000) + b"] TJ"
    _page_with(pdf, b"BT /F1 1 Tf 10 10 Td " + word + b" ET",
               pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=_helvetica(pdf))))
    path = tmp_path / "word.pdf"
    pdf.save(path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^pypdf ", out, re.M), out
    from pressroom.check.pdfread import reading
    from pressroom.check.verify import PdfReport

    with reading(path):
        texts = PdfReport(path).texts()
    assert "w" * 200_000 in texts["pypdf"][0].replace(" ", "")
    assert "w" * 200_000 in texts["pdfium"][0].replace(" ", "")


def test_100000_pages_read_only_the_first_2000(hundred_thousand_pages):
    code, out, err, megabytes, seconds = run_check(str(hundred_thousand_pages))
    assert code == 0, (out, err)
    assert err == []
    assert "read the first 2000 of 100000 pages (--max-pages raises the cap)" in out.splitlines()[0]
    assert megabytes < 300, f"{megabytes:.0f} MB"
    assert seconds < 120, f"{seconds:.0f} s"


def test_max_pages_raises_or_lowers_the_cap(hundred_thousand_pages, capsys):
    assert main(["check", str(hundred_thousand_pages), "--max-pages", "7"]) == 0
    assert "read the first 7 of 100000 pages" in capsys.readouterr().out


def test_the_time_cap_stops_reading(hundred_thousand_pages, capsys):
    started = time.monotonic()
    code = main(["check", str(hundred_thousand_pages), "--max-pages", "100000", "--max-seconds", "1"])
    elapsed = time.monotonic() - started
    assert code == 1
    assert_one_error_line(capsys.readouterr().err.splitlines(), hundred_thousand_pages,
                          "still reading after 1 s", "--max-seconds")
    assert elapsed < 20, f"stopped after {elapsed:.1f} s"  # reading them all takes minutes


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowed one
def test_the_time_cap_survives_an_alarm_that_a_finalizer_swallows():
    """Python prints and drops an exception raised while it runs a finalizer (a reader's object
    collected just as the time is up): the alarm comes again until the reading stops."""
    import weakref

    from pressroom.check import pdfread

    class Collected:
        pass

    def busy(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass

    started = time.monotonic()
    with pytest.raises(pdfread._OutOfTime), pdfread._alarm(0.05):
        thing = Collected()
        weakref.finalize(thing, busy, 0.2)  # the first alarm falls inside it
        del thing
        busy(3)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("option", ["--max-pages", "--max-stream-mb", "--max-seconds"])
@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_cap_options_take_positive_numbers(seed_pdf, option, value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(seed_pdf), option, value])
    assert exit_.value.code == 2
    assert option in capsys.readouterr().err


# --- damaged, garbage, empty, truncated, not a PDF ----------------------------------------------

def _mutations(data: bytes) -> dict[str, bytes]:
    start_xref = data.rindex(b"startxref")
    first_stream = data.index(b"stream\n")
    return {
        "empty": b"",
        "one byte": b"%",
        "header only": b"%PDF-1.7\n",
        "text": "مقال عربي\n".encode() * 50,
        "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "truncated to 1%": data[: len(data) // 100],
        "truncated to half": data[: len(data) // 2],
        "truncated before startxref": data[:start_xref],
        "no %%EOF": data[: data.rindex(b"%%EOF")],
        "startxref points nowhere": data[:start_xref] + b"startxref\n99999999\n%%EOF\n",
        "xref zeroed": data[:start_xref - 2000] + b"\0" * 2000 + data[start_xref:],
        "first stream cut": data[: first_stream + 40] + data[first_stream + 4000:],
        "streams garbled": re.sub(rb"stream\n(.{64})", lambda m: b"stream\n" + bytes(reversed(m[1])),
                                  data, flags=re.S),
        "every /Length 0": re.sub(rb"/Length \d+", b"/Length 0", data),
        "every R broken": data.replace(b" 0 R", b" 9 R"),
        "Pages loop": data.replace(b"/Type /Pages", b"/Type /Pages /Kids [1 0 R 2 0 R 3 0 R]", 1),
        "Kids not an array": re.sub(rb"/Kids \[[^\]]*\]", b"/Kids 5", data, count=1),
        "nested arrays": b"%PDF-1.7\n1 0 obj\n" + b"[" * 200_000 + b"]" * 200_000 + b"\nendobj\n",
        "head of one, tail of another": data[: len(data) // 2] + data[len(data) // 3:],
    }


def test_every_damaged_file_is_one_line_or_a_report(seed_pdf, tmp_path, capsys):
    data = seed_pdf.read_bytes()
    for name, mutated in _mutations(data).items():
        path = tmp_path / (re.sub(r"\W+", "-", name) + ".pdf")
        path.write_bytes(mutated)
        code = main(["check", str(path), "--max-seconds", "60"])
        captured = capsys.readouterr()
        assert code in (0, 1), name
        if code == 1 and not captured.out:
            assert_one_error_line(captured.err.splitlines(), path)
        else:
            assert captured.err == "", (name, captured.err)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_not_a_file_is_one_line(tmp_path, capsys, make):
    path = tmp_path / "x.pdf"
    if make == "folder":
        path.mkdir()
    assert main(["check", str(path)]) == 1
    assert_one_error_line(capsys.readouterr().err.splitlines(), path,
                          "no such file" if make == "missing" else "not a file")


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 4096), st.binary(max_size=16)),
                min_size=1, max_size=6))
def test_random_damage_is_one_line_or_a_report(seed_pdf, tmp_path, capsys, edits):
    """Bytes replaced, cut out or inserted anywhere in a real PDF (the seed as built)."""
    data = bytearray(seed_pdf.read_bytes())
    for where, cut, insert in edits:
        at = int(where * len(data))
        data[at:at + cut] = insert
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(data))
    code = main(["check", str(path), "--max-seconds", "60"])
    captured = capsys.readouterr()
    assert code in (0, 1)
    if code == 1 and not captured.out:
        assert_one_error_line(captured.err.splitlines(), path)
    else:
        assert captured.err == "", captured.err


def test_a_failed_goal_names_what_went_astray_without_verbose():
    """"numbers in place 98/103" alone left the reader to guess: the first three numbers out of
    place are named under it, with their source neighbours and page, and how many more -v lists."""
    from pressroom.check.fidelity import Astray, CheckReport, ReaderScore

    astray = [Astray(str(n), "الجولة", "Wydad", 2) for n in range(26, 31)]
    score = ReaderScore("pdfium", words_in_order=1.0, words_found=1.0, numbers=(98, 103),
                        misplaced_numbers=astray)
    text = CheckReport(Path("a.pdf"), Path("a.md"), [score]).render()
    assert "FAIL pdfium: numbers in place 98/103 < 100%\n  «26» between «الجولة» … «Wydad» (page 2)\n" in text
    assert "«28»" in text and "«29»" not in text and "(2 more with -v)" in text
    verbose = CheckReport(Path("a.pdf"), Path("a.md"), [score]).render(verbose=True)
    assert verbose.count("«29»") == 1 and "more with -v" not in verbose
