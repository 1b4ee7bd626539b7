"""A folder and the command's paths → the sources a run builds and the outputs it may write.

Nothing here imports WeasyPrint: a batch with nothing to build decides all of it and stops.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from pressroom.errors import OutputError, display_path
from pressroom.project import Project, is_inside
from pressroom.report import note

MARKDOWN_SUFFIXES = (".md", ".markdown")
SCRAPED_SUFFIXES = (".txt",)
DEFAULT_LAYOUT = "magazine"


def sources_in(folder: Path) -> list[Path]:
    """Every article source in a folder, in name order; a scraped .txt that has a Markdown
    article of the same name beside it (what `import` made of it) is left to that one."""
    found = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES + SCRAPED_SUFFIXES
                   and not p.name.startswith((".", "_")) and p.name.lower() != "readme.md")
    edited = {p.stem for p in found if p.suffix.lower() in MARKDOWN_SUFFIXES}
    kept = []
    for path in found:
        if path.suffix.lower() in SCRAPED_SUFFIXES and path.stem in edited:
            note(f"not built: {path.stem}.md is the edited article", path)
        else:
            kept.append(path)
    return kept


def check_output(output: Path, project: Project, inputs: Iterable[Path | None], *,
                 pdf: bool = True) -> None:
    """Refuse an output that is one of the ``inputs`` (by any path: ``..``, links, another
    name of the same file), lies inside fonts/ or layouts/, or — for a ``pdf`` — would replace
    an existing file that is not a PDF (an article, a photo, a profile: every input of a build
    is one); and say plainly when the folder it names cannot exist."""
    check_outputs([output], project, inputs, pdf=pdf)


def check_outputs(outputs: Iterable[Path], project: Project, inputs: Iterable[Path | None], *,
                  pdf: bool = True) -> None:
    """``check_output`` of each output against the same inputs, each input resolved once (a
    batch of 10,000 articles: 20,000 look-ups, not 100 million)."""
    by_path: dict[Path, Path] = {}
    by_file: dict[tuple[int, int], Path] = {}
    for given in filter(None, inputs):
        by_path.setdefault(given.resolve(), given)
        try:
            found = given.stat()
        except OSError:
            continue
        by_file.setdefault((found.st_dev, found.st_ino), given)
    guarded = [(folder.name, folder.resolve()) for folder in (project.fonts, project.layouts)]
    for output in outputs:
        target = output.resolve()
        try:
            status: os.stat_result | None = output.stat()
        except OSError:
            status = None  # not there yet (or not reachable: writing says why)
        same = by_path.get(target) or (status and by_file.get((status.st_dev, status.st_ino)))
        if same:
            raise OutputError(f"is an input ({display_path(same)}), which is never "
                              "replaced: choose another output", output)
        for name, folder in guarded:
            if is_inside(target, (folder,)):
                raise OutputError(f"lies inside {name}/, which only holds the project's "
                                  "own files: choose another output", output)
        _check_folder(output)
        if status is None:
            continue
        if stat.S_ISDIR(status.st_mode):
            raise OutputError("is a folder: name a file, or end the folder with / for several "
                              "sources", output)
        if pdf and status.st_size and not _is_pdf(output):
            raise OutputError("exists and is not a PDF: not replaced (remove it, or choose another "
                              "output)", output)


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(1024).lstrip(b"\x00\t\n\f\r ").startswith(b"%PDF-")
    except OSError:
        return False


def _check_folder(output: Path) -> None:
    """The output's folder must be a folder, or creatable: name the file in the way."""
    for parent in Path(os.path.abspath(output)).parents:
        try:
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(f"cannot write here: {display_path(parent)} is a file, "
                                      "not a folder", output)
                return
        except OSError as exc:
            raise OutputError(f"cannot write here: {exc.strerror}", output) from None
