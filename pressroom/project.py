"""The project's folders: where content, images, layouts and fonts live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """A project root and the folders a build may read from."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` (the working folder) that has layouts/ and
        fonts/; outside any such folder, the one this package was installed from."""
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
                return cls(folder)
        return cls(Path(__file__).resolve().parent.parent)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def build(self) -> Path:
        return self.root / "build"

    def readable_roots(self, source: Path | None = None) -> tuple[Path, ...]:
        """Folders a build may read: content, images, layouts, fonts, and the source's folder."""
        roots = [self.content, self.images, self.layouts, self.fonts]
        if source is not None:
            roots.append(source.resolve().parent)
        return tuple(r.resolve() for r in roots)


def is_inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """True when ``path`` (resolved, links followed) lies inside one of ``roots``."""
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def is_file(path: Path) -> bool:
    """True when ``path`` is a file; False too when the file system cannot even tell (a name
    too long for it, a loop of links)."""
    try:
        return path.is_file()
    except OSError:
        return False
