"""The project's folders: where content, images, layouts and fonts live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: What the package carries (pressroom/_data): the layouts, the fonts and a sample publication.
PACKAGED = Path(__file__).resolve().parent / "_data"
#: The folders that make a folder a publication.
MARKERS = ("content", "layouts", "fonts")


@dataclass(frozen=True)
class Project:
    """A publication's root and the folders a build may read from; layouts and fonts may
    come from the package when the publication has none of its own."""

    root: Path
    layouts_folder: Path | None = None  # default: root/layouts
    fonts_folder: Path | None = None  # default: root/fonts
    build_folder: Path | None = None  # default: root/build

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` (the working folder) that has content/,
        layouts/ or fonts/, with the package's layouts and fonts where it has none; outside
        any such folder, the sample publication the package carries, built into ``start``."""
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if any((folder / name).is_dir() for name in MARKERS):
                return cls(folder, *(None if (folder / name).is_dir() else PACKAGED / name
                                     for name in ("layouts", "fonts")))
        return cls(PACKAGED / "sample", PACKAGED / "layouts", PACKAGED / "fonts", start / "build")

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def layouts(self) -> Path:
        return self.layouts_folder or self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.fonts_folder or self.root / "fonts"

    @property
    def build(self) -> Path:
        return self.build_folder or self.root / "build"

    def readable_roots(self, source: Path | None = None) -> tuple[Path, ...]:
        """Folders a build may read: content, images, layouts, fonts, and the source's folder."""
        roots = [self.content, self.images, self.layouts, self.fonts]
        if source is not None:
            roots.append(source.resolve().parent)
        return tuple(r.resolve() for r in roots)


def is_inside(path: Path, roots: tuple[Path, ...], follow_links: bool = True) -> bool:
    """True when ``path`` lies inside one of ``roots``: resolved, links followed, or, without
    ``follow_links``, as it is written (made absolute, ".." taken away, no link followed: a path
    written outside the roots is never looked at on disk), the roots alike."""
    def placed(where: Path) -> Path:
        return where.resolve() if follow_links else Path(os.path.abspath(where))

    found = placed(path)
    return any(found == root or root in found.parents
               for root in (roots if follow_links else map(placed, roots)))


def is_readable(path: Path, roots: tuple[Path, ...]) -> bool:
    """``is_inside`` where the file system cannot even tell is False (a name too long for it, a
    loop of links)."""
    try:
        return is_inside(path, roots)
    except (OSError, RuntimeError):
        return False


def is_file(path: Path) -> bool:
    """True when ``path`` is a file; False too when the file system cannot even tell (a name
    too long for it, a loop of links)."""
    try:
        return path.is_file()
    except OSError:
        return False
