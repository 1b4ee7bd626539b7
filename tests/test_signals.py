"""Real builds stopped by real signals: no temporary folder and no .part file is left behind, an
existing PDF is kept as it was, and what SIGKILL leaves is removed by the next run (only that)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pressroom import scratch

from .conftest import ROOT, SEED_MD

#: Run the command line as make_pdf.py does, with os.replace (the write's rename) first sending
#: this process the signal named in PRESSROOM_TEST_SIGNAL: a signal that lands during the write.
DURING_WRITE = """\
import os, signal, sys
_replace = os.replace
def replace(src, dst):
    if str(src).endswith(".part"):
        os.kill(os.getpid(), getattr(signal, os.environ["PRESSROOM_TEST_SIGNAL"]))
    return _replace(src, dst)
os.replace = replace
from pressroom.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start_build(out: Path, temp: Path, *, during_write: str = "") -> subprocess.Popen:
    """The seed built into ``out`` by a new process whose temporary folder is ``temp``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    if during_write:
        command = [sys.executable, "-c", DURING_WRITE]
        env["PRESSROOM_TEST_SIGNAL"] = during_write
    else:
        command = [sys.executable, str(ROOT / "make_pdf.py")]
    return subprocess.Popen([*command, str(SEED_MD), "-o", str(out), "-q"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], object], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.01)


def ours(temp: Path) -> list[str]:
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(("pressroom-", "weasyprint-")))


def fc_folder_of(temp: Path, pid: int) -> bool:
    return any(name.startswith("pressroom-fc-") and f"-{pid}-" in name for name in ours(temp))


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(a private temporary folder, an output folder, an output PDF already there)."""
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    out.mkdir()
    old = out / "seed.pdf"
    old.write_bytes(b"%PDF- the previous build")
    return temp, out, old


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_layout_leaves_nothing(places, name):
    temp, out, old = places
    build = start_build(old, temp)
    wait_for(lambda: any(n.startswith("pressroom-fc-") for n in ours(temp)), "the build's font folder")
    build.send_signal(getattr(signal, name))
    _, err = build.communicate(timeout=120)
    assert build.returncode == 128 + getattr(signal, name), err
    assert err.splitlines() == ["error: interrupted" if name == "SIGINT" else f"error: stopped by {name}"]
    assert ours(temp) == []
    assert sorted(p.name for p in out.iterdir()) == ["seed.pdf"]
    assert old.read_bytes() == b"%PDF- the previous build"


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_the_write_leaves_no_part_file(places, name):
    temp, out, old = places
    build = start_build(old, temp, during_write=name)
    _, err = build.communicate(timeout=180)
    assert build.returncode == 128 + getattr(signal, name), err
    assert sorted(p.name for p in out.iterdir()) == ["seed.pdf"]
    assert old.read_bytes() == b"%PDF- the previous build"
    assert ours(temp) == []


@pytest.fixture
def live_pid():
    """The id of a process that runs for the whole test."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield sleeper.pid
    sleeper.kill()
    sleeper.wait()


def test_what_sigkill_leaves_is_removed_by_the_next_run_and_only_that(places, live_pid):
    temp, out, old = places
    killed = start_build(old, temp)
    wait_for(lambda: fc_folder_of(temp, killed.pid), "the build's font folder")
    killed.kill()
    killed.communicate(timeout=60)
    left = ours(temp)
    assert any(f"-{killed.pid}-" in name for name in left), left  # SIGKILL cannot be caught
    machine = scratch._machine()
    running = temp / f"pressroom-fc-{machine}-{live_pid}-abcd1234"  # another build, still running
    elsewhere = temp / f"pressroom-fc-00000000-{killed.pid}-abcd1234"  # a pid of another machine
    old_style = temp / "pressroom-fc-abcd1234"  # no owner in the name: nobody can tell
    for folder in (running, elsewhere, old_style):
        folder.mkdir()
        (folder / "fonts.conf").write_text("<fontconfig/>")

    after = start_build(out / "again.pdf", temp)
    _, err = after.communicate(timeout=180)
    assert after.returncode == 0, err
    assert ours(temp) == sorted(p.name for p in (running, elsewhere, old_style))
    assert (running / "fonts.conf").is_file()


def test_a_part_file_sigkill_leaves_is_removed_by_the_next_write_there(places, live_pid):
    temp, out, old = places
    killed = start_build(old, temp, during_write="SIGKILL")
    killed.communicate(timeout=180)
    assert killed.returncode == -signal.SIGKILL
    parts = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert len(parts) == 1 and f"-{killed.pid}-" in parts[0], parts
    machine = scratch._machine()
    running = out / f".other.pdf.pressroom-{machine}-{live_pid}-abcd1234.part"
    not_ours = out / ".notes.txt.abcd1234.part"
    for part in (running, not_ours):
        part.write_bytes(b"half")

    after = start_build(old, temp)
    _, err = after.communicate(timeout=180)
    assert after.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == sorted([running.name, not_ours.name, "seed.pdf"])
    assert old.read_bytes().startswith(b"%PDF-1.")
    assert ours(temp) == []
