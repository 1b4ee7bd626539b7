"""Shared fixtures: the project, the seed (built once), small articles, and a warnings guard."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pressroom import build
from pressroom.project import Project
from pressroom.report import WarningCollector, collect_warnings

ROOT = Path(__file__).resolve().parent.parent
SEED_MD = ROOT / "content" / "kazakhstan-peacekeeping.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: A copy of shared/seeds/000_51d052c0e421d229.txt, the scraped seed exactly as it came.
SEED_TXT = FIXTURES / "seed-scraped.txt"

#: The one warning the seed gives: its first photo came without a credit line.
SEED_WARNINGS = [r"photo .*180816-Z-BT406-0647_edit\.jpg has no credit"]


@pytest.fixture(autouse=True)
def no_unexpected_warnings() -> Iterator[list[str]]:
    """Fail any test that logs a warning it did not declare with ``expect_warnings``."""
    recorder = WarningCollector()
    loggers = [logging.getLogger("pressroom"), logging.getLogger("weasyprint")]
    for logger in loggers:
        logger.addHandler(recorder)
    expected: list[str] = []
    yield expected
    for logger in loggers:
        logger.removeHandler(recorder)
    unexpected = [m for m in recorder.messages
                  if not any(re.search(pattern, m) for pattern in expected)]
    assert not unexpected, f"unexpected warnings: {unexpected}"
    missing = [p for p in expected if not any(re.search(p, m) for m in recorder.messages)]
    assert not missing, f"expected warnings not logged: {missing}"


@pytest.fixture
def expect_warnings(no_unexpected_warnings: list[str]) -> Callable[..., None]:
    """Declare warnings (regular expressions) the test expects; each must be logged."""

    def expect(*patterns: str) -> None:
        no_unexpected_warnings.extend(patterns)

    return expect


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def seed_txt() -> Path:
    return SEED_TXT


def _build_once(source: Path, out: Path, project: Project) -> tuple[Path, list[str]]:
    with collect_warnings() as warnings:
        build.build(source, out, project=project)
    return out, list(warnings)


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    """The seed's Markdown article built once with the default layout."""
    out, warnings = _build_once(SEED_MD, tmp_path_factory.mktemp("seed") / "seed.pdf", project)
    assert len(warnings) == len(SEED_WARNINGS), warnings
    assert all(re.search(p, w) for p, w in zip(SEED_WARNINGS, warnings, strict=True)), warnings
    return out


@pytest.fixture(scope="session")
def seed_txt_pdf(tmp_path_factory: pytest.TempPathFactory, project: Project, seed_txt: Path) -> Path:
    """The raw scraped seed built directly."""
    out, warnings = _build_once(seed_txt, tmp_path_factory.mktemp("seedtxt") / "seed.pdf", project)
    assert len(warnings) == 1 and re.search(SEED_WARNINGS[0], warnings[0]), warnings
    return out


@pytest.fixture(scope="session")
def seed_document(project: Project):
    """The seed laid out by WeasyPrint (pages and boxes, no PDF)."""
    with collect_warnings():
        return build.typeset_article(build.context(SEED_MD, project), build.load(SEED_MD))


@pytest.fixture
def workspace(tmp_path: Path, project: Project) -> Project:
    """A throw-away copy of the project (layouts, fonts, images; empty content/)."""
    for name in ("layouts", "fonts", "images"):
        shutil.copytree(project.root / name, tmp_path / name)
    (tmp_path / "content").mkdir()
    return Project(tmp_path)


@pytest.fixture
def write_article(workspace: Project) -> Callable[..., Path]:
    """Write a small Markdown article into the workspace's content/ and return its path."""

    def write(body: str, name: str = "article.md", **front: str) -> Path:
        front = {"title": "عنوان تجريبي", **front}
        lines = ["---", *(f"{k}: {v}" for k, v in front.items()), "---", "", body]
        path = workspace.content / name
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    return write
