"""A non-editable install: `pressroom` builds in an empty folder with the packaged layouts and
fonts, `pressroom new` makes a publication, and a publication's own layouts win."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from .conftest import ROOT


def _tracked(root: Path, copy: Path) -> None:
    """The repository's tracked files (links kept as links), as a fresh clone would have them."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
                           ).stdout.decode().split("\0")
    for name in filter(None, names):
        source, target = root / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A virtualenv (seeing this machine's packages: only the build backend is fetched, as for
    any pip install) with pressroom installed from a copy of the repository, not editable."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the install test needs git and a clone of the repository")
    base = tmp_path_factory.mktemp("install")
    _tracked(ROOT, base / "src")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--no-deps", "--disable-pip-version-check",
                           str(base / "src")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(base / "src")  # nothing may come from the repository any more
    return venv, env


def _run(installed, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    venv, env = installed
    return subprocess.run([str(venv / "bin" / "pressroom"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    venv, env = installed
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import pressroom; print(pressroom.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv)


def test_pressroom_in_an_empty_folder_builds_the_sample(installed, tmp_path):
    done = _run(installed, "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "build" / "kazakhstan-peacekeeping.pdf"
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 2 and "كازاخستان" in reader.pages[0].extract_text()
    fonts = {str(f["/BaseFont"]).split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(name.startswith(("Amiri", "Noto-Kufi", "Noto-Sans-Math")) for name in fonts), fonts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # nothing else written


def test_new_makes_a_publication_whose_own_layouts_win(installed, tmp_path):
    done = _run(installed, "new", "mag", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    publication = tmp_path / "mag"
    assert sorted(p.name for p in publication.iterdir()) == ["content", "images", "layouts"]
    tokens = publication / "layouts" / "magazine" / "tokens.css"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace("--page-size: A4;", "--page-size: A5;"),
                      encoding="utf-8")
    done = _run(installed, "-q", cwd=publication)
    assert done.returncode == 0, done.stderr
    page = pypdf.PdfReader(publication / "build" / "kazakhstan-peacekeeping.pdf").pages[0]
    assert round(float(page.trimbox.width) * 25.4 / 72) == 148  # A5: the publication's layout
    again = _run(installed, "new", "mag", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr.strip() == "error: mag: already exists and is not an empty folder"
