"""The package's sample publication → a new publication folder (content/, images/, layouts/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pressroom.errors import OutputError
from pressroom.project import PACKAGED

#: What a new publication gets: its own content and photos (the sample article) and its own
#: copy of the layouts to restyle; the fonts stay the package's until it has a fonts/ folder.
COPIED = (("content", PACKAGED / "sample" / "content"), ("images", PACKAGED / "sample" / "images"),
          ("layouts", PACKAGED / "layouts"))


def new(folder: Path) -> list[Path]:
    """Make ``folder`` a publication; refuse a folder that already holds anything."""
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise OutputError("already exists and is not an empty folder", folder)
        folder.mkdir(parents=True, exist_ok=True)
        made = []
        for name, origin in COPIED:
            shutil.copytree(origin, folder / name)  # links in the package become files
            made.append(folder / name)
    except OSError as exc:
        raise OutputError(f"cannot make a publication here: {exc.strerror}", folder) from None
    return made
