"""Hostile issue manifests: what an untrusted author's manifest must never get into the PDF."""

from __future__ import annotations

import re
import shutil
import xml.dom.minidom
from pathlib import Path

import pikepdf
import pytest

from pressroom import cli

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "HOSTILE-TOKEN-5F3A"
ARTICLE = "---\ntitle: مقالة قصيرة\ndate: 2024-03-01\n---\n\nفقرة أولى قصيرة عن المدينة.\n"


def _project(root: Path) -> Path:
    for name in ("layouts", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    (root / "images").mkdir()
    (root / "content" / "issues").mkdir(parents=True)
    (root / "content" / "short.md").write_text(ARTICLE, encoding="utf-8")
    return root


def _decompressed(pdf: Path) -> bytes:
    with pikepdf.open(pdf) as doc:
        return b"".join(obj.read_bytes() if isinstance(obj, pikepdf.Stream) else b""
                        for obj in doc.objects) + pdf.read_bytes()


HIDDEN = {
    "hidden file": ("../.notes.txt", ".notes.txt"),
    "hidden folder": ("../.drafts/notes.md", ".drafts/notes.md"),
    "visible link to a hidden file": ("../visible.md", None),
}


@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_an_issue_never_takes_a_hidden_file_as_an_article(case, tmp_path, monkeypatch, capsys):
    root = _project(tmp_path)
    named, _ = HIDDEN[case]
    secret = f"---\ntitle: {TOKEN}\n---\n\n{TOKEN} secret line.\n"
    (root / "content" / ".notes.txt").write_text(f"{TOKEN}\n\n{TOKEN} secret paragraph.\n",
                                                 encoding="utf-8")
    (root / "content" / ".drafts").mkdir()
    (root / "content" / ".drafts" / "notes.md").write_text(secret, encoding="utf-8")
    (root / "content" / ".hidden.md").write_text(secret, encoding="utf-8")
    (root / "content" / "visible.md").symlink_to(root / "content" / ".hidden.md")
    manifest = root / "content" / "issues" / "x.yaml"
    manifest.write_text(f"publication: P\narticles:\n  - ../short.md\n  - {named}\n", encoding="utf-8")
    monkeypatch.chdir(root)
    for edition in ("print", "screen", "archive"):
        assert cli.main([str(manifest), "-o", "out.pdf", "--jobs", "1", "--variant", edition]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: content/issues/x.yaml:4: "), err
        assert "hidden" in err[0], err
        assert not (root / "out.pdf").exists()


def test_control_characters_in_a_manifest_reach_no_bookmark_label_or_metadata(
        tmp_path, monkeypatch, capsys, expect_warnings):
    root = _project(tmp_path)
    manifest = root / "content" / "issues" / "x.yaml"
    manifest.write_text(
        'publication: "Pub\\u0007lish\\u001b[31m"\nissue: "7\\u0000"\ntitle: "Ti\\u0085tle\\u009b"\n'
        'date: 2024-03-01\ncover:\n  lines:\n'
        '    - text: "Li\\u0008ne"\n      article: short\narticles: [../short.md]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    expect_warnings(r"x\.yaml:1: control characters left out of 'publication'",
                    r"x\.yaml:2: control characters left out of 'issue'",
                    r"x\.yaml:3: control characters left out of 'title'",
                    r"x\.yaml:7: control characters left out of 'text'")
    assert cli.main([str(manifest), "-o", "out.pdf", "--jobs", "1", "--variant", "archive"]) == 0
    controls = re.compile("[\x00-\x1f\x7f-\x9f]")
    with pikepdf.open(root / "out.pdf") as pdf:
        titles: list[str] = []
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                titles.append(item.title)
                stack.extend(item.children)
        labels = [str(v.get("/P", "")) for v in list(pdf.Root.PageLabels.Nums)[1::2]]
        info = [str(v) for v in pdf.docinfo.values()]
        xmp = pdf.Root.Metadata.read_bytes()
    assert "Ti tle" in titles, titles  # NEL is a break: a space
    for text in titles + labels + info:
        assert not controls.search(text), repr(text)
    xml.dom.minidom.parseString(xmp)
    assert not controls.search(xmp.decode("utf-8").replace("\n", "").replace("\t", "")), xmp
    capsys.readouterr()
    assert cli.main([str(manifest), "-o", "strict.pdf", "--jobs", "1", "--strict"]) == 1
    assert not (root / "strict.pdf").exists()


@pytest.fixture(scope="module")
def small_issue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A two-article issue built once: its folder and its PDF."""
    root = _project(tmp_path_factory.mktemp("hostile-issue"))
    (root / "content" / "other.md").write_text(ARTICLE.replace("مقالة قصيرة", "مقالة أخرى"),
                                               encoding="utf-8")
    manifest = root / "content" / "issues" / "x.yaml"
    manifest.write_text("publication: P\nstart: any\narticles: [../short.md, ../other.md]\n",
                        encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert cli.main([str(manifest), "-o", "x.pdf", "--jobs", "1", "-q", "--variant", "screen"]) == 0
    return root, root / "x.pdf"


def _craft(pdf: Path, out: Path, change) -> Path:
    with pikepdf.open(pdf) as doc:
        change(doc)
        doc.save(out)
    return out


def _articles_mark(doc: pikepdf.Pdf) -> pikepdf.Dictionary:
    return doc.Root.Outlines.First.Last  # the issue's last article


def _loop(doc: pikepdf.Pdf) -> None:
    top = doc.Root.Outlines.First
    top.Last.Next = top.First  # ends the walk: the issue checks as it is


def _many(doc: pikepdf.Pdf) -> None:
    with doc.open_outline() as outline:
        for index in range(100_000):
            outline.root[0].children.append(pikepdf.OutlineItem(f"b{index}", 0))


def _not_a_page(doc: pikepdf.Pdf) -> None:
    _articles_mark(doc).Dest = pikepdf.Array([12345, pikepdf.Name.Fit])


def _backwards(doc: pikepdf.Pdf) -> None:
    top = doc.Root.Outlines.First
    top.Last.Dest = pikepdf.Array([doc.pages[0].obj, pikepdf.Name.Fit])


CRAFTED = {
    "a loop of bookmarks": (_loop, None),
    "100,000 bookmarks": (_many, "more bookmarks under the issue's than its"),
    "a destination that is no page": (_not_a_page, "leads to no page"),
    "articles out of order": (_backwards, "do not lead to pages in the manifest's order"),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_check_trusts_no_crafted_issue_bookmarks(case, small_issue, tmp_path, monkeypatch, capsys):
    root, pdf = small_issue
    change, message = CRAFTED[case]
    crafted = _craft(pdf, tmp_path / "crafted.pdf", change)
    monkeypatch.chdir(root)
    assert cli.main(["check", str(pdf), "--source", "content/issues/x.yaml", "-q"]) == 0
    capsys.readouterr()
    if message is None:
        assert cli.main(["check", str(crafted), "--source", "content/issues/x.yaml", "-q"]) == 0
        assert not capsys.readouterr().err
        return
    assert cli.main(["check", str(crafted), "--source", "content/issues/x.yaml"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {crafted}: ") and message in err[0], err
    assert "Traceback" not in captured.err and not captured.out
