"""Build records → which articles must be built again (everything that goes into a PDF, hashed).

One small JSON file per output, in a ``.pressroom-build/`` folder beside the outputs, written
atomically by whoever built the output, right after the PDF: an interrupted batch leaves the
records of every article it finished, and a record never vouches for a PDF that is not there.
An output is up to date when its record names the same source, the same batch-wide key (the
toolkit's code and libraries, the project's folders, the fonts, the layout's files, the options
— the edition, the CMYK profile's path, the limits — and SOURCE_DATE_EPOCH), the same bytes for
every file the article read (the source, each photo candidate in the order they are looked for —
an absent one recorded as absent, so a photo that appears later counts as a change — the
scraped original an archive attaches, and the CMYK profile), and the output's own size and
modification time (a PDF replaced or touched by hand is built again).

Checking a record imports nothing heavy (no WeasyPrint: a run with nothing to build never
loads it) and reads each file once per run, however many articles share it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressroom import __version__
from pressroom.project import Project, is_file, is_readable

if TYPE_CHECKING:
    from pressroom.batch import Job, Options
    from pressroom.model import Article

FOLDER = ".pressroom-build"
FORMAT = 2
#: Libraries whose version changes what a build writes.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pypdf", "pillow",
             "markdown-it-py", "mdit-py-plugins", "pyyaml", "jinja2")


class Hashes:
    """File digests, each file read once (None: the file is absent)."""

    def __init__(self) -> None:
        self.known: dict[Path, str | None] = {}

    def file(self, path: Path) -> str | None:
        if path not in self.known:
            if not is_file(path):  # (missing, or a device or a pipe: never read)
                self.known[path] = None
                return None
            try:
                self.known[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                self.known[path] = None
            except OSError as exc:  # unreadable: never equal to a recorded digest
                self.known[path] = f"unreadable: {exc.strerror}"
        return self.known[path]

    def tree(self, folder: Path, pattern: str = "**/*") -> str:
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            digest.update(f"{path.relative_to(folder).as_posix()}\0{self.file(path)}\0".encode())
        return digest.hexdigest()


def shared_key(project: Project, options: Options, hashes: Hashes) -> str:
    """The part of every article's record that the whole batch shares (the layout's name is
    checked; the other options are, by the first build that needs them)."""
    from pressroom.layout.render import layout_folder  # Jinja's templates: no WeasyPrint

    intent = options.output_intent
    parts: dict[str, Any] = {
        "toolkit": toolkit_key(hashes),
        # where the layouts are says where the default CMYK profile is (its bytes: each record)
        "project": [str(project.root), str(project.layouts), str(project.fonts)],
        "fonts": hashes.tree(project.fonts),
        "layout": hashes.tree(layout_folder(project.layouts, options.layout)),
        "options": repr(dataclasses.replace(options, output_intent=intent and intent.absolute())),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def toolkit_key(hashes: Hashes | None = None) -> str:
    """The toolkit's version and code (every module of the package, and the templates that
    layouts import) and its libraries' versions: what a build here and one on a cluster's
    worker must share to write the same bytes."""
    hashes = hashes or Hashes()
    package = Path(__file__).resolve().parent
    parts = [__version__, hashes.tree(package, "**/*.py"), hashes.tree(package / "templates"),
             {name: _version(name) for name in LIBRARIES}]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def path_for(output: Path) -> Path:
    return output.parent / FOLDER / f"{output.name}.json"


def inputs_of(source: Path, article: Article, project: Project) -> list[Path]:
    """The files an article's PDF was made from, beyond the batch-wide ones and the profile."""
    from pressroom.layout import images

    roots = project.readable_roots(source)
    found = [source]
    for figure in article.photos:
        found += images.candidates(figure.src, source, project)
    if article.original:
        found.append(source.parent / article.original)
    # only what the build may read (it draws a placeholder for a file outside the project)
    return [path for path in dict.fromkeys(found) if is_readable(path, roots)]


def _profile(project: Project, options: Options) -> list[Path]:
    """The CMYK profile of the edition, if it has one (its path is part of the options)."""
    from pressroom.pdf import editions

    profile = editions.output_profile(editions.edition(options.variant), options.output_intent, project)
    return [profile.path.absolute()] if profile else []


def write(job: Job, article: Article, pages: int, said: Sequence[tuple[int, str]] = ()) -> None:
    """Record what ``job``'s output (just written) was made from (in the process that built it),
    and the warnings its build said (``said``: level and line), said again while it is unchanged."""
    hashes = Hashes()
    stat = job.output.stat()
    data = {
        "format": FORMAT,
        "source": str(job.source),
        "shared": job.shared,
        "inputs": {str(p): hashes.file(p) for p in inputs_of(job.source, article, job.project)
                   + _profile(job.project, job.options)},
        "output": {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns},
        "pages": pages,
        "said": [[level, line] for level, line in said if level >= logging.WARNING],
    }
    from pressroom.build import write_atomically

    write_atomically(path_for(job.output), json.dumps(data, ensure_ascii=False, indent=1).encode())


def up_to_date(job: Job, hashes: Hashes) -> tuple[int, tuple[tuple[int, str], ...]] | None:
    """The page count of ``job``'s output and the warnings its build said, when its record says
    nothing that goes into it has changed; None when it must be built."""
    try:
        data = json.loads(path_for(job.output).read_bytes())
        stat = job.output.stat()
        fresh = (data["format"] == FORMAT and data["source"] == str(job.source)
                 and data["shared"] == job.shared
                 and data["output"] == {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
                 and all(hashes.file(Path(p)) == digest for p, digest in data["inputs"].items()))
        said = tuple((int(level), str(line)) for level, line in data.get("said", ()))
        return (int(data["pages"]), said) if fresh else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
