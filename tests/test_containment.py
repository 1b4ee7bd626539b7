"""Untrusted articles stay contained (issue 9): attributes, links, `original:`, outputs, limits —
each asserted on the built PDF of every edition (decompressed) or on the files on disk."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from pressroom.check.verify import PdfReport
from pressroom.cli import main

EDITIONS = ("print", "screen", "archive")
SUFFIX = {"print": "", "screen": "-screen", "archive": "-archive"}


@pytest.fixture
def here(workspace, monkeypatch):
    """Run the command line from inside a throw-away project."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(workspace.root)
    return workspace


@pytest.fixture
def secrets(here, tmp_path_factory) -> dict[str, str]:
    """A file with a token of its own everywhere a hostile article might reach for one."""
    outside = tmp_path_factory.mktemp("outside")
    places = {
        "hidden": here.content / ".secret",
        "ssh": here.content / ".ssh" / "id_rsa",
        "content": here.content / "notes.txt",
        "subfolder": here.content / "sub" / "notes.txt",
        "images": here.images / "secret.txt",
        "layouts": here.layouts / "magazine" / "secret.txt",
        "fonts": here.fonts / "secret.txt",
        "outside": outside / "secret.txt",
    }
    tokens = {}
    for name, path in places.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tokens[name] = f"pressroom-token-{name}-{hashlib.sha256(name.encode()).hexdigest()[:12]}"
        path.write_text(tokens[name] * 3 + "\n", encoding="utf-8")
    (here.content / "link.txt").symlink_to(places["outside"])
    tokens["outside-path"] = str(places["outside"])
    return tokens


def _article(folder: Path, body: str, name: str = "a.md", **front: str) -> Path:
    front = {"title": "عنوان", "date": "2020-01-01", **front}
    path = folder / name
    path.write_text("---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n\n"
                    + body + "\n", encoding="utf-8")
    return path


def _build(source: Path, edition: str, *extra: str) -> tuple[int, Path]:
    out = source.parent.parent / "build" / f"{source.stem}{SUFFIX[edition]}.pdf"
    code = main([str(source), "-o", str(out), "--variant", edition, "-q", *extra])
    return code, out


def _decompressed(pdf: Path) -> bytes:
    """The file as `qpdf --qdf --object-streams=disable` writes it: every stream decoded."""
    buffer = io.BytesIO()
    with pikepdf.open(pdf) as document:
        document.save(buffer, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                      stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    return buffer.getvalue()


def _annotations(pdf: Path) -> list[pikepdf.Dictionary]:
    with pikepdf.open(pdf) as document:
        return [dict(annot.items()) for page in document.pages for annot in page.get("/Annots", [])]


def _uris(pdf: Path) -> set[str]:
    return {str(a["/A"]["/URI"]) for a in _annotations(pdf) if "/A" in a and "/URI" in a["/A"]}


def _internal_links(pdf: Path) -> int:
    return sum("/Dest" in a or ("/A" in a and a["/A"].get("/S") == "/GoTo")
               for a in _annotations(pdf))


def _attachments(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return sorted(document.attachments)


def _text(pdf: Path) -> str:
    return "\n".join(PdfReport(pdf).text_pdfium())


def _assert_contained(pdf: Path, secrets: dict[str, str], attached: list[str]) -> None:
    """No token in the decompressed file or in its text, no file attachment annotation, no
    live link but http(s)/mailto, and exactly the attachments the edition adds."""
    data = _decompressed(pdf)
    text = _text(pdf)
    for name, token in secrets.items():
        if name != "outside-path":
            assert token.encode() not in data, f"{name}'s token is in {pdf.name}"
            assert token not in text, f"{name}'s token is in {pdf.name}'s text"
    assert b"/FileAttachment" not in data
    assert all(a.get("/Subtype") != "/FileAttachment" for a in _annotations(pdf))
    assert all(re.match(r"(?i)(https?://|mailto:)", uri) for uri in _uris(pdf)), _uris(pdf)
    for uri in re.findall(rb"/URI\s*\((.*?)\)", data):
        assert re.match(rb"(?i)(https?://|mailto:)", uri), uri
    assert _attachments(pdf) == attached
    assert (b"/EmbeddedFile" in data) == bool(attached)


def _lime_pixels(pdf: Path) -> int:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=0.4).to_pil().convert("RGB")
    finally:
        document.close()
    data = image.tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if data[i + 1] > 200 and data[i] < 90 and data[i + 2] < 90)


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project but build/, by content (links by where they point)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "build":
            continue
        if path.is_symlink():
            found[str(relative)] = os.readlink(path).encode()
        elif path.is_file():
            found[str(relative)] = path.read_bytes()
    return found


# 1. Attributes: an allow-list; attachments only from `original:` and the edition itself.

HOSTILE_ATTRIBUTES = """\
Keys: [a](pressroom://source/.ssh/id_rsa){rel="attachment"}
[b](https://example.org/k){rel="attachment" download="k"}
[c](pressroom://source/.secret){rel=attachment} [d](pressroom://project/images/secret.txt){rel="attachment"}
[e](file://{outside}){rel="attachment"}
[f](pressroom://project/layouts/magazine/secret.txt){rel="attachment"}

Styles: [g](https://example.org/){style="display: block; height: 300mm; background: lime" data-x="1"}
`code`{style="font-size: 1e9px" #c1} [h](https://example.org/x){style="letter-spacing: 1e9px"}
[i](https://example.org/y){style="bookmark-label: 'injected'; bookmark-level: 1" class="lead end" #k1}

![صورة](images/absent.jpg){credit="تصوير" style="border: 40mm solid lime" rel="attachment" .bleed .huge}
"""


def test_attributes_are_an_allow_list_in_every_edition(here, secrets, capsys, expect_warnings):
    expect_warnings(r"a\.md:6: link attribute rel dropped", r"a\.md:6: link attributes rel, download",
                    r"a\.md:12: link attributes style, data-x dropped \(allowed: title, id\)",
                    r"a\.md:12: code attribute style dropped \(allowed: id\)",
                    r"a\.md:12: link attributes style, class dropped",
                    r"a\.md:12: link attribute style dropped",
                    r"a\.md:16: figure attributes style, rel dropped",
                    r"a\.md:16: figure class \.huge dropped", "kept as text", "not found")
    source = _article(here.content, HOSTILE_ATTRIBUTES.replace("{outside}", secrets["outside-path"]))
    for edition in EDITIONS:
        code, out = _build(source, edition)
        assert code == 0, capsys.readouterr().err
        _assert_contained(out, secrets, ["a.md"] if edition == "archive" else [])
        assert _lime_pixels(out) == 0, "a style attribute restyled the page"
        assert not any("injected" in title for title in PdfReport(out).outline())
        # the one live link left keeps its text and its target, nothing else
        assert "https://example.org/y" in _uris(out)
        out.unlink()
    assert "Traceback" not in capsys.readouterr().err
    for edition in EDITIONS:
        code, out = _build(source, edition, "--strict")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists()
        assert err.count("\n") == 1 and "a.md:6: link attribute rel dropped" in err, err


def test_a_figure_may_carry_an_id_that_links_point_to(here, capsys, expect_warnings):
    expect_warnings("absent.jpg not found")  # and nothing about the link or its id
    source = _article(here.content, "انظر [الصورة](#photo).\n\n"
                      "![صورة](images/absent.jpg){#photo credit=\"تصوير\"}", lang="ar")
    code, out = _build(source, "screen")
    assert code == 0, capsys.readouterr().err
    assert _internal_links(out) == 1 and _uris(out) == set()


# 2. Links: http, https, mailto and #anchors in the article; everything else is text.

LINKS = """\
Live: [web](https://example.org/a) [plain](http://example.org/b) [mail](mailto:desk@example.org).

Dead: [abs](/etc/passwd) [up](../../etc/passwd) [rel](notes.txt) [file](file:///etc/passwd)

More: [smb](smb://server/share/x) [js](javascript:alert(1)) [proj](pressroom://project/content/notes.txt)
[data](data:text/plain;base64,SGVsbG8=) [ftp](ftp://example.org/x) <file:///etc/hosts>
[nowhere](#missing) [empty]()

Inside: [back](#top){#top}
"""


def test_only_web_and_mail_links_are_live(here, secrets, capsys, expect_warnings):
    expect_warnings(*(rf"a\.md:{line}: link to '{re.escape(target)}' kept as text" for line, target in (
        (9, "/etc/passwd"), (9, "../../etc/passwd"), (9, "notes.txt"), (9, "file:///etc/passwd"),
        (11, "smb://server/share/x"), (11, "javascript:alert(1)"),
        (11, "pressroom://project/content/notes.txt"), (11, "data:text/plain;base64,SGVsbG8="),
        (11, "ftp://example.org/x"), (11, "file:///etc/hosts"), (11, ""))),
        r"a\.md:11: link to #missing kept as text: the article has no such id")
    source = _article(here.content, LINKS, lang="en")
    for edition in EDITIONS:
        code, out = _build(source, edition)
        assert code == 0, capsys.readouterr().err
        _assert_contained(out, secrets, ["a.md"] if edition == "archive" else [])
        assert _uris(out) == {"https://example.org/a", "http://example.org/b",
                              "mailto:desk@example.org"}
        assert _internal_links(out) == 1
        text = _text(out)
        for word in ("abs", "up", "rel", "smb", "js", "proj", "data", "ftp", "nowhere", "empty",
                     "file:///etc/hosts"):
            assert word in text, f"the text of a dead link is kept: {word}"
        if edition != "archive":  # which attaches the article, links and all
            assert b"etc/passwd" not in _decompressed(out)


def test_same_links_same_bytes_in_any_folder(tmp_path, project, expect_warnings):
    """Relative links named the checkout's folder in a file:// URI; now they are text."""
    expect_warnings("kept as text")
    outputs = []
    for where in ("one", "two/deeper"):
        root = tmp_path / where
        for name in ("layouts", "fonts", "images"):
            shutil.copytree(project.root / name, root / name)
        (root / "content").mkdir()
        source = _article(root / "content", "[notes](notes.txt) [up](../x.md) [w](https://a.example/)")
        out = root / "a.pdf"
        assert main([str(source), "-o", str(out), "-q"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert str(tmp_path).encode() not in _decompressed(out)


# 3. `original:` only a regular, visible file beside the article or in content/originals/.

@pytest.mark.parametrize(("original", "why"), [
    (".ssh/id_rsa", "is hidden"),
    (".secret", "is hidden"),
    ("originals/../.secret", "is hidden"),
    ("sub/notes.txt", "must lie beside the article"),
    ("../images/secret.txt", "must lie beside the article"),
    ("../layouts/magazine/secret.txt", "must lie beside the article"),
    ("{outside}", "must lie beside the article"),
    ("link.txt", "is not a regular file"),
    ("sub", "is not a regular file"),
    ("absent.txt", "not found"),
])
def test_original_is_checked_in_every_edition(here, secrets, capsys, original, why):
    original = original.format(outside=secrets["outside-path"])
    source = _article(here.content, "نص.", original=original)
    before = _snapshot(here.root)
    for edition in EDITIONS:
        code, out = _build(source, edition)
        err = capsys.readouterr().err
        assert code == 1 and not out.exists()
        assert err.startswith(f"error: content/a.md:4: original {original!r} {why}"), err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert _snapshot(here.root) == before


@pytest.mark.parametrize("original", ["x.txt", "originals/x.txt", "../content/originals/x.txt"])
def test_a_proper_original_is_attached_to_the_archive_only(here, secrets, capsys, original):
    (here.content / "originals").mkdir()
    kept = here.content / ("x.txt" if original == "x.txt" else "originals/x.txt")
    kept.write_text("النص كما جُمع.\n", encoding="utf-8")
    source = _article(here.content, "نص.", original=original)
    for edition in EDITIONS:
        code, out = _build(source, edition)
        assert code == 0, capsys.readouterr().err
        _assert_contained(out, secrets, ["a.md", "x.txt"] if edition == "archive" else [])


# 4. The output is never an input, nor inside fonts/ or layouts/.

def _output_cases(root: Path) -> list[tuple[list[str], str]]:
    photo = sorted((root / "images").glob("*.jpg"))[0].relative_to(root)
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "link.pdf").symlink_to("../content/a.md")
    os.link(root / "content" / "a.md", root / "build" / "hard.pdf")
    return [
        (["content/a.md", "-o", "content/a.md"], "content/a.md: is an input"),
        (["content/a.md", "-o", "content/../content/a.md"], "is an input"),
        (["content/a.md", "-o", "build/link.pdf"], "build/link.pdf: is an input"),
        (["content/a.md", "-o", "build/hard.pdf"], "build/hard.pdf: is an input"),
        (["content/a.md", "-o", "content/originals/x.txt"], "content/originals/x.txt: "),
        (["content/s.txt", "-o", "content/s.txt"], "content/s.txt: is an input"),
        (["content/a.md", "-o", str(photo)], "exists and is not a PDF: not replaced"),
        (["content/a.md", "-o", "content/notes.txt"], "exists and is not a PDF: not replaced"),
        (["content/a.md", "-o", "layouts/magazine/print.css"], "lies inside layouts/"),
        (["content/a.md", "-o", "layouts/new.pdf"], "lies inside layouts/"),
        (["content/a.md", "-o", "fonts/"], "lies inside fonts/"),
        (["content/a.md", "content/s.txt", "-o", "content/"], None),  # a.pdf and s.pdf: fine
        (["content/a.md", "-o", "content/notes.txt/x.pdf"],
         "cannot write here: content/notes.txt is a file, not a folder"),
        (["content/a.md", "-o", "/etc/passwd/x.pdf"], "/etc/passwd is a file, not a folder"),
        (["import", "content/s.txt", "-o", "content/s.txt", "--force"], "is an input"),
        (["import", "content/s.txt", "-o", "content/./sub/../s.txt", "--force"],
         "is an input"),
        (["import", "content/s.txt", "-o", "layouts/magazine/s.md"], "lies inside layouts/"),
    ]


def test_the_output_is_never_an_input(here, secrets, capsys, expect_warnings):
    expect_warnings("no credit")  # the seed text's first photo, built in the one fine case
    (here.content / "originals").mkdir()
    (here.content / "originals" / "x.txt").write_text("النص.\n", encoding="utf-8")
    _article(here.content, "نص.", original="originals/x.txt")
    shutil.copy(Path(__file__).parent / "fixtures" / "seed-scraped.txt", here.content / "s.txt")
    cases = _output_cases(here.root)
    before = _snapshot(here.root)
    for argv, message in cases:
        editions = [[]] if argv[0] == "import" else [["--variant", e] for e in EDITIONS]
        for edition in editions:
            code = main([*argv, *edition, "-q"])
            err = capsys.readouterr().err
            if message is None:
                assert code == 0, err
                continue
            assert code == 1, (argv, edition)
            assert err.startswith("error: ") and message in err, (argv, err)
            assert err.count("\n") == 1 and "Traceback" not in err and "File exists" not in err
    after = _snapshot(here.root)
    for name in ("content/a.pdf", "content/s.pdf", "content/a-screen.pdf", "content/s-screen.pdf",
                 "content/a-archive.pdf", "content/s-archive.pdf"):
        assert after.pop(name).startswith(b"%PDF-")
    after = {name: data for name, data in after.items() if "/.pressroom-build/" not in name}  # records
    assert after == before, "every input is byte-identical"
    assert not [p for p in here.root.rglob("*.part")]


# 5. Limits: article size, paragraph length, word length, for Markdown and scraped text.

def test_article_size_is_limited(here, capsys):
    big = _article(here.content, "نص. " * 400_000, name="big.md")
    scraped = here.content / "big.txt"
    scraped.write_text("عنوان\n" + "نص طويل.\n" * 250_000, encoding="utf-8")
    for source in (big, scraped):
        code, out = _build(source, "print")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists()
        assert re.fullmatch(rf"error: content/{source.name}: the article is [\d,]+ bytes, over the "
                            r"limit of 2,000,000 \(--max-article-bytes raises it\)\n", err), err
    small = _article(here.content, "نص قصير. " * 200, name="small.md")
    code, _ = _build(small, "print", "--max-article-bytes", "1000")
    assert code == 1 and "over the limit of 1,000" in capsys.readouterr().err
    assert _build(small, "print")[0] == 0


def test_paragraph_and_word_lengths_are_limited(here, capsys):
    long_paragraph = ("كلمة " * 200).strip()
    long_word = "ب" * 1_001
    scraped = here.content / "s.txt"
    scraped.write_text(f"عنوان\nمقدمة\nبقلم كاتب\n\nفقرة.\n\n{long_paragraph}\n\nنص {long_word} نص.\n",
                       encoding="utf-8")
    md = _article(here.content, f"فقرة.\n\n{long_paragraph}\n\nنص {long_word} نص.")
    for source, lines in ((md, (8, 10)), (scraped, (7, 9))):
        code, out = _build(source, "print", "--max-paragraph-chars", "500")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists()
        assert err.startswith(f"error: content/{source.name}:{lines[0]}: a paragraph of 999 "
                              "characters, over the limit of 500 (--max-paragraph-chars raises it)")
        code, out = _build(source, "screen")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists()
        assert err.startswith(f"error: content/{source.name}:{lines[1]}: a word of 1,001 "
                              "characters"), err
        assert "over the limit of 1,000 (--max-word-chars raises it)" in err
    title = _article(here.content, "نص.", name="t.md", title="عنوان" + "ا" * 2000)
    code, _ = _build(title, "print")
    assert code == 1 and "t.md:2: a word of 2,005 characters" in capsys.readouterr().err
    huge = _article(here.content, "x" * 200_000, name="huge.md")
    code, _ = _build(huge, "print")
    assert code == 1 and "huge.md:6: a word of 200,000 characters" in capsys.readouterr().err


def test_table_rows_and_photos_are_limited(here, capsys):
    """A table of thousands of rows, or an article of hundreds of photos, was laid out (rows
    split, headers repeated, photos decoded and moved) for minutes before the page limit
    stopped it: refused at once, one line naming file:line, nothing written; the --max-…
    options raise the limits. Scraped text alike."""
    rows = "".join(f"| صف {n} | {n} |\n" for n in range(201))
    table = _article(here.content, f"فقرة.\n\n| البند | القيمة |\n|---|--:|\n{rows}", name="t.md")
    photos = "".join(f"![صورة {n}](images/p{n}.jpg){{credit=\"x\"}}\n\n" for n in range(51))
    figures = _article(here.content, f"فقرة.\n\n{photos}فقرة أخيرة.", name="f.md")
    scraped = here.content / "s.txt"
    scraped.write_text("عنوان\nمقدمة\nبقلم كاتب\n\nفقرة.\n\nالفريق | اللعب | النقاط\n"
                       + "".join(f"فريق {n} | {n} | {n}\n" for n in range(201)), encoding="utf-8")
    for source, message, option in (
            (table, "t.md:8: a table of 201 rows, over the limit of 200", "--max-table-rows"),
            (figures, "f.md:108: more than 50 photos in the article, the limit", "--max-figures"),
            (scraped, "s.txt:7: a table of 201 rows, over the limit of 200", "--max-table-rows")):
        code, out = _build(source, "print")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists(), err
        assert err == f"error: content/{message} ({option} raises it)\n", err
    code, out = _build(table, "screen", "--max-table-rows", "201")
    assert code == 0 and out.is_file(), capsys.readouterr().err


def test_table_columns_a_footnote_s_table_and_credits_are_limited(here, capsys, expect_warnings):
    """A table of hundreds of columns was laid out cell by cell, a table in a footnote (set as
    its text) was not counted at all, and a credit of 1,700 words ran over its page: refused
    before layout, one line naming file:line, nothing written; the --max-… options raise them."""
    expect_warnings(r"n\.md:8: a footnote holds a table, set as its text only",
                    r"w\.md:8: table wider than its column")
    header = "| " + " | ".join(f"ع{n}" for n in range(21)) + " |\n|" + "---|" * 21 + "\n"
    wide = _article(here.content, f"فقرة.\n\n{header}| " + " | ".join("1" * 21) + " |\n", name="w.md")
    rows = "".join(f"    | صف {n} | {n} |\n" for n in range(201))
    noted = _article(here.content, "فقرة[^1].\n\n[^1]: حاشية.\n\n    | البند | القيمة |\n"
                     f"    |---|--:|\n{rows}", name="n.md")
    credit = " ".join(["تصوير أحمد علي"] * 600)
    credited = _article(here.content, f"فقرة.\n\n![صورة](images/demo-solar-rows.jpg){{credit=\"{credit}\"}}",
                        name="c.md")
    for source, message, option in (
            (wide, "w.md:8: a table of 21 columns, over the limit of 20", "--max-table-columns"),
            (noted, "n.md:8: a table of 201 rows, over the limit of 200", "--max-table-rows"),
            (credited, "c.md:8: a photo's credit of 8,999 characters, over the limit of 300",
             "--max-credit-chars")):
        code, out = _build(source, "print")
        err = capsys.readouterr().err
        assert code == 1 and not out.exists(), err
        assert err == f"error: content/{message} ({option} raises it)\n", err
    code, out = _build(wide, "screen", "--max-table-columns", "21")
    assert code == 0 and out.is_file(), capsys.readouterr().err


def test_a_footnotes_text_is_held_to_the_paragraph_and_word_limits(here, capsys):
    """A footnote's text was checked by neither limit (a word of 200,000 characters in a note
    reached the layout)."""
    source = _article(here.content, "فقرة[^1].\n\n[^1]: حاشية " + "ب" * 1001 + ".", name="n.md")
    code, out = _build(source, "print")
    err = capsys.readouterr().err
    assert code == 1 and not out.exists(), err
    assert err.startswith("error: content/n.md:8: a word of 1,002 characters"), err


def test_a_word_wider_than_the_column_is_broken_not_drawn_off_the_page(here, capsys):
    word = "".join("abcdefghijklmnopqrstuvwxyz"[(i * 7) % 26] for i in range(1_500))
    source = _article(here.content, f"نص قبل الكلمة {word} ونص بعدها.")
    code, out = _build(source, "print", "--max-word-chars", "2000")
    assert code == 0, capsys.readouterr().err
    with pikepdf.open(out) as pdf:
        left, right = (float(pdf.pages[0].TrimBox[i]) for i in (0, 2))
    document = pypdfium2.PdfDocument(str(out))
    try:
        found = []
        for page in document:
            text = page.get_textpage()
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if char.isascii() and char.isalpha():
                    x0, _, x1, _ = text.get_charbox(index)
                    assert left - 0.5 <= x0 and x1 <= right + 0.5, (char, x0, x1)
                    found.append(char)
    finally:
        document.close()
    assert "".join(found) == word, "every letter of the word is on the page, in order"


def test_an_image_path_outside_the_project_is_never_read(here, secrets, capsys, monkeypatch,
                                                         expect_warnings):
    """A figure naming a file outside the project (../../…/secret.txt, an absolute path, a link
    in images/ to a file outside, a device) is a placeholder, and nothing of it is read: the
    build's record hashed every file a figure's path could name — /etc/passwd read whole, and
    /dev/zero until the memory ran out (a hostile review)."""
    from pressroom import record

    outside = Path(secrets["outside-path"])
    (here.images / "link.jpg").symlink_to(outside)
    depth = "../" * len(here.content.resolve().parts)
    source = _article(here.content, f"نص أول.\n\n![أ]({depth}{str(outside).lstrip('/')}){{credit=\"x\"}}\n\n"
                      f"![ب]({outside}){{credit=\"x\"}}\n\n![ج](images/link.jpg){{credit=\"x\"}}\n\n"
                      "![د](/dev/zero){credit=\"x\"}\n\n"
                      # (said as the files outside that exist are: which exist is not told)
                      "![هـ](/no/such/photo.jpg){credit=\"x\"}\n\nنص أخير.")
    read: list[Path] = []
    real = Path.read_bytes

    def spy(path: Path) -> bytes:
        read.append(path.resolve())
        if path.resolve() == Path("/dev/zero"):  # (read, it would fill the memory)
            raise OSError("refused")
        return real(path)

    expect_warnings(*[f"image {re.escape(src)} lies outside the project's content and images"
                      for src in (f"{depth}{str(outside).lstrip('/')}", str(outside), "images/link.jpg",
                                  "/dev/zero", "/no/such/photo.jpg")])
    monkeypatch.setattr(Path, "read_bytes", spy)
    code, out = _build(source, "print")
    assert code == 0 and out.is_file()
    assert outside.resolve() not in read and Path("/dev/zero") not in read, read
    (saved,) = (here.root / "build" / record.FOLDER).glob("*.json")
    inputs = json.loads(saved.read_text(encoding="utf-8"))["inputs"]
    roots = here.readable_roots(source)
    assert all(any(Path(p).resolve().is_relative_to(r) for r in roots) for p in inputs), inputs


def test_a_photo_path_outside_the_project_is_never_looked_at(here, secrets, monkeypatch, expect_warnings):
    """Nothing outside the project is even looked at on disk for a photo's path (stat told a
    build, and the build record's inputs, which files exist there): written outside, it is
    said to lie outside, whether a file is there or not."""
    outside = Path(secrets["outside-path"])
    depth = "../" * len(here.content.resolve().parts)
    srcs = [str(outside), str(outside.parent / "none.jpg"), f"{depth}{str(outside).lstrip('/')}",
            f"images/../../{outside.parent.name}/none.jpg"]
    source = _article(here.content, "نص أول.\n\n" + "".join(f"![{n}]({s}){{credit=\"x\"}}\n\n"
                                                           for n, s in enumerate(srcs)) + "نص أخير.")
    looked: list[str] = []
    for name in ("stat", "lstat"):
        real = getattr(os, name)

        def spy(path, *args, real=real, **kwargs):
            if str(outside.parent) in os.fspath(path) or "none.jpg" in os.fspath(path):
                looked.append(os.fspath(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, spy)
    expect_warnings(*[f"image {re.escape(s)} lies outside the project's content and images"
                      for s in srcs])
    code, out = _build(source, "print", "--jobs", "1")
    assert code == 0 and out.is_file()
    assert looked == [], looked


def test_is_inside_as_written_or_with_links_followed(tmp_path):
    """One test of a path inside the readable folders, two readings (images.candidates used its
    own copy for the written one): a link inside a root leading out is inside as written, not
    once followed; a path that ".." takes out of a root is outside either way."""
    from pressroom.project import is_inside

    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "out").symlink_to(outside)
    roots = (root.resolve(),)
    assert is_inside(root / "out" / "x.jpg", roots, follow_links=False)
    assert not is_inside(root / "out" / "x.jpg", roots)
    assert not is_inside(root / ".." / "outside" / "x.jpg", roots, follow_links=False)
    assert not is_inside(root / ".." / "outside" / "x.jpg", roots)
    assert is_inside(root / "a" / ".." / "x.jpg", roots, follow_links=False)


def test_a_chain_of_links_out_of_images_is_followed_to_its_end(here, tmp_path, capsys, expect_warnings):
    """images/a.jpg → images/b.jpg → a file outside the project (a chain, each link inside
    images/ but the last): the photo lies outside, a placeholder, nothing of it on the page."""
    outside = tmp_path / "elsewhere" / "passwd"
    outside.parent.mkdir()
    outside.write_text("root:x:0:0:CHAIN-SECRET-7C1:/root:/bin/sh\n", encoding="utf-8")
    (here.images / "b.jpg").symlink_to(outside)
    (here.images / "a.jpg").symlink_to("b.jpg")
    expect_warnings(r"a\.md:8: image images/a\.jpg lies outside the project's content and images")
    source = _article(here.content, "نص أول.\n\n![أ](images/a.jpg){credit=\"x\"}\n\nنص أخير.")
    code, out = _build(source, "archive")
    assert code == 0 and out.is_file(), capsys.readouterr().err
    assert b"CHAIN-SECRET-7C1" not in _decompressed(out)
    assert "CHAIN-SECRET-7C1" not in _text(out)
