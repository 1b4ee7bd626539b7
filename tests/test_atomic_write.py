"""A rebuild replaces the output whole: never written in place, never left half-written."""

from __future__ import annotations

import errno
import os

from pressroom.cli import main


def test_a_rebuild_replaces_the_file_instead_of_writing_into_it(write_article, tmp_path):
    """A viewer that has the old PDF open (here: a second link to it) keeps reading the old
    bytes whole; the output is a new file with the new bytes."""
    folder = tmp_path / "build"
    out = folder / "out.pdf"
    assert main([str(write_article("نص المقال الأول.", name="one.md")), "-o", str(out), "-q"]) == 0
    old = out.read_bytes()
    os.link(out, folder / "held-open.pdf")
    assert main([str(write_article("نص آخر مختلف تماما.", name="two.md")), "-o", str(out), "-q"]) == 0
    assert (folder / "held-open.pdf").read_bytes() == old
    assert out.read_bytes() != old
    assert os.stat(out).st_ino != os.stat(folder / "held-open.pdf").st_ino
    assert _left(folder) == ["held-open.pdf", "out.pdf"]


def test_a_write_that_fails_at_the_end_leaves_the_old_output(write_article, tmp_path, monkeypatch,
                                                             capsys):
    """The disk fills up (or the process is stopped) as the PDF is put in place: the old PDF is
    still there, byte for byte, with no partial file beside it, and the error is one line."""
    out = tmp_path / "build" / "out.pdf"
    assert main([str(write_article("نص المقال الأول.", name="one.md")), "-o", str(out), "-q"]) == 0
    old = out.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "rename", full)
    capsys.readouterr()
    assert main([str(write_article("نص آخر مختلف تماما.", name="two.md")), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: ") and "No space left" in err and err.count("\n") == 1, err
    assert out.read_bytes() == old
    assert _left(out.parent) == ["out.pdf"]


def _left(folder) -> list[str]:
    """What a build left in its output folder, besides its build records (.pressroom-build/)."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".pressroom-build")
