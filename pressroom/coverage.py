"""Article text + the project's fonts → the characters no font can draw."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from .errors import FontError


@cache
def _cmap(path: Path, mtime: float) -> frozenset[int]:
    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, AssertionError) as exc:
        raise FontError(f"cannot load font: {exc}", path) from None


def covered(fonts: Path) -> frozenset[int]:
    """Every code point some font in ``fonts`` maps."""
    points: set[int] = set()
    for path in sorted(fonts.glob("*.[ot]tf")):
        points |= _cmap(path, path.stat().st_mtime)
    return frozenset(points)


def uncovered(text: str, fonts: Path) -> list[str]:
    """Characters of ``text`` that no font draws (spaces, controls and marks of format aside)."""
    points = covered(fonts)
    missing = {
        ch for ch in text
        if ord(ch) not in points and not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
    }
    return sorted(missing)
