"""WeasyPrint's own errors (a missing #anchor, an image or stylesheet the sandbox refused) are
warnings naming the article, refused by --strict — never `error:` printed by a build that exits 0."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.errors import display_path

#: What a layout may hold that WeasyPrint reports at ERROR level, and what the warning says.
CASES = {
    "missing anchor": ('<a href="#nowhere">back to the top</a>', r"No anchor #nowhere"),
    "remote image": ('<img src="https://example.com/logo.png" alt="logo">',
                     r"refused to load https://example\.com/logo\.png"),
    "remote stylesheet": ('<link rel="stylesheet" href="https://example.com/x.css">',
                          r"refused to load https://example\.com/x\.css"),
    "missing stylesheet": ('<link rel="stylesheet" href="nowhere.css">', r"nowhere\.css"),
}


def _layout_with(workspace, extra: str) -> None:
    template = workspace.layouts / "magazine" / "article.html.j2"
    text = template.read_text(encoding="utf-8")
    where = "</head>" if extra.startswith("<link") else "<body>"
    template.write_text(text.replace(where, where + extra if where == "<body>" else extra + where, 1),
                        encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_weasyprint_errors_are_warnings_naming_the_article(workspace, write_article, expect_warnings,
                                                           capsys, monkeypatch, case):
    extra, said = CASES[case]
    _layout_with(workspace, extra)
    article = write_article("فقرة قصيرة.", date="2020-01-01")
    monkeypatch.chdir(workspace.root)
    out = workspace.root / "out.pdf"
    expect_warnings(said)

    assert main([str(article), "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert not [line for line in err if line.startswith("error:")], err
    warned = [line for line in err if line.startswith(f"warning: {display_path(article)}: ")]
    assert len(warned) == 1 and re.search(said, warned[0]), err
    assert out.is_file()

    out.unlink()
    assert main([str(article), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"error: {display_path(article)}: 1 warning(s) with --strict"), err
    assert not out.exists()


def test_the_layout_itself_builds_without_weasyprint_errors(workspace, write_article, capsys,
                                                            monkeypatch):
    """The same article with the untouched layout: no warning at all (the cases above add one)."""
    article = write_article("فقرة قصيرة.", date="2020-01-01")
    monkeypatch.chdir(workspace.root)
    assert main([str(article), "-o", str(Path(workspace.root) / "out.pdf"), "--strict"]) == 0
    assert capsys.readouterr().err == ""
