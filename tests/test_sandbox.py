"""Hostile content: nothing outside the project is read, nothing remote is fetched or embedded."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time

import pikepdf
import pytest

from pressroom.build import build
from pressroom.check.verify import PdfReport
from pressroom.layout import typeset

from .conftest import ROOT

SECRET = "pressroom-secret-do-not-embed"


@pytest.fixture
def secret_file(tmp_path_factory):
    """A file outside the project whose content must never reach a PDF."""
    folder = tmp_path_factory.mktemp("outside")
    path = folder / "secret.txt"
    path.write_text(SECRET * 20, encoding="utf-8")
    return path


HOSTILE = """\
<link rel="attachment" href="file://{secret}">
<img src="{secret}"> <iframe src="file://{secret}"></iframe> <object data="{secret}"></object>
<script>alert(1)</script> <style>@import url("file://{secret}"); p {{ background: url({secret}) }}</style>

[a link](file://{secret}) and <a href="file://{secret}" rel="attachment">another</a>

![absolute]({secret})

![climbing out](../../../../../../../../{secret_rel})

![file url](file://{secret})

![loopback](http://127.0.0.1:9/photo.jpg)

![link to a secret](images/evil.jpg)
"""


def _no_secret_in(pdf: bytes) -> None:
    """Not in the file, in no decompressed stream, in no attachment, in no reader's text."""
    assert SECRET.encode() not in pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/Names" not in document.Root or "/EmbeddedFiles" not in document.Root.Names
        for page in document.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                assert SECRET.encode() not in obj.read_bytes()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        for pages in PdfReport(handle.name).texts().values():
            assert SECRET not in "".join(pages)


def test_hostile_article_reads_nothing_outside(write_article, workspace, secret_file, tmp_path,
                                               expect_warnings):
    expect_warnings("outside the project", "is remote", "has no credit", "kept as text",
                    "only files in the project can be placed", "raw HTML <link> is not supported",
                    "raw HTML <a> is not supported")
    (workspace.images / "evil.jpg").symlink_to(secret_file)
    body = HOSTILE.format(secret=secret_file, secret_rel=str(secret_file).lstrip("/"))
    out = tmp_path / "hostile.pdf"
    started = time.monotonic()
    build(write_article(body, title="<b>عنوان</b>"), out, project=workspace)
    assert time.monotonic() - started < 60, "nothing waits on a network timeout"
    _no_secret_in(out.read_bytes())


def test_a_remote_photos_local_copy_may_not_lead_outside(write_article, workspace, secret_file,
                                                        tmp_path, expect_warnings):
    expect_warnings(r"its copy images/evil\.jpg leads outside the project: placeholder drawn",
                    "has no credit")
    (workspace.images / "evil.jpg").symlink_to(secret_file)
    out = tmp_path / "remote.pdf"
    build(write_article("![](https://example.org/evil.jpg)"), out, project=workspace)
    _no_secret_in(out.read_bytes())


def test_fetcher_serves_only_project_files_and_data(project, secret_file, expect_warnings):
    expect_warnings("refused to load")
    fetcher = typeset.SandboxFetcher(project.readable_roots())
    font = project.fonts / "Amiri-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read()[:4] == font.read_bytes()[:4]
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (secret_file.as_uri(), "http://127.0.0.1:9/x.jpg", "https://example.org/x.css",
                f"file://{project.root}/../x", "ftp://example.org/x"):
        started = time.monotonic()
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
        assert time.monotonic() - started < 1


def test_a_layout_cannot_reach_outside_either(workspace, write_article, secret_file, tmp_path,
                                              expect_warnings):
    expect_warnings("refused to load")  # once per refusal: WeasyPrint's own follow-up is -v only
    css = workspace.layouts / "magazine" / "print.css"
    css.write_text(f'@import url("file://{secret_file}");\n' + css.read_text(encoding="utf-8")
                   + f'\nhtml {{ background: url("file://{secret_file}") }}\n', encoding="utf-8")
    out = tmp_path / "layout.pdf"
    build(write_article("نص."), out, project=workspace)
    _no_secret_in(out.read_bytes())


def test_no_network_module_is_touched(tmp_path):
    """A whole build in a process where opening any socket fails."""
    guard = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise SystemExit('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "sys.argv = ['make_pdf.py', 'content/kazakhstan-peacekeeping.md', '-o', sys.argv[1], '-q']\n"
        "from pressroom.cli import main\nraise SystemExit(main())\n"
    )
    out = tmp_path / "offline.pdf"
    done = subprocess.run([sys.executable, "-c", guard, str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000
