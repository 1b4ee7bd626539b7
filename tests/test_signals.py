"""Real builds stopped by real signals: no temporary folder and no .part file is left behind, an
existing PDF is kept as it was, and what SIGKILL leaves is removed by the next run (only that).

Each build runs in its own process with its own TMPDIR; a signal is sent on an event the test
sees (the build's font folder appearing) or by the build itself at a chosen call (the moment a
temporary folder or file has just been created, or the write's rename), never after a sleep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from pressroom import record, scratch
from pressroom.check.verify import PdfReport

from .conftest import ROOT, SEED_MD

ISSUE = ROOT / "content" / "issues" / "afaq-2024-03.yaml"

#: Run the command line as make_pdf.py does, with one call (PRESSROOM_TEST_AT: "mkdtemp:N",
#: "mkstemp:N" or "replace:N", its Nth call in this process) sending this process the signal
#: named in PRESSROOM_TEST_SIGNAL: right after the folder or file is created, or just before the
#: write's rename.
SIGNAL_AT = """\
import os, signal, sys, tempfile
name, nth = os.environ["PRESSROOM_TEST_AT"].split(":")
calls = [0]
def wrap(module, name, before):
    real = getattr(module, name)
    def call(*args, **kwargs):
        calls[0] += 1
        fire = calls[0] == int(nth)
        if fire and before:
            os.kill(os.getpid(), getattr(signal, os.environ["PRESSROOM_TEST_SIGNAL"]))
        result = real(*args, **kwargs)
        if fire and not before:
            os.kill(os.getpid(), getattr(signal, os.environ["PRESSROOM_TEST_SIGNAL"]))
        return result
    setattr(module, name, call)
if name == "replace":
    wrap(os, "replace", before=True)
else:
    wrap(tempfile, name, before=False)
from pressroom.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _signals_as_in_a_terminal(ignored: tuple[int, ...]) -> Callable[[], None]:
    """What a build started from a terminal has: SIGINT, SIGTERM and SIGHUP not ignored (a test
    run started in the background or under nohup has some ignored, which its children inherit),
    but for ``ignored``."""

    def reset() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN if signum in ignored else signal.SIG_DFL)

    return reset


def start_build(source: Path, out: Path, temp: Path, *, at: str = "", name: str = "",
                options: tuple[str, ...] = (), ignored: tuple[int, ...] = ()) -> subprocess.Popen:
    """``source`` built into ``out`` by a new process (a session of its own) whose temporary
    folder is ``temp``; with ``at``, that process sends itself the signal ``name`` there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    if at:
        command = [sys.executable, "-c", SIGNAL_AT]
        env.update(PRESSROOM_TEST_AT=at, PRESSROOM_TEST_SIGNAL=name)
    else:
        command = [sys.executable, str(ROOT / "make_pdf.py")]
    return subprocess.Popen([*command, str(source), "-o", str(out), "-q", *options], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_signals_as_in_a_terminal(ignored))


def wait_for(condition: Callable[[], object], what: str, build: subprocess.Popen,
             seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert build.poll() is None, f"the build ended before {what}: {build.communicate()}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.01)


def ours(temp: Path) -> list[str]:
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(("pressroom-", "weasyprint-")))


def fc_pids(temp: Path) -> set[int]:
    """The processes whose fontconfig folder is in ``temp`` (each lays out an article)."""
    return {int(name.split("-")[3]) for name in ours(temp) if name.startswith("pressroom-fc-")}


def stopped_line(name: str) -> str:
    return "error: interrupted" if name == "SIGINT" else f"error: stopped by {name}"


def gone(pid: int) -> bool:
    """The process has ended (a zombie no one reaps counts as ended: it runs nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except OSError:
        return True


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(a private temporary folder, an output folder, an output PDF already there)."""
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    out.mkdir()
    old = out / "seed.pdf"
    old.write_bytes(b"%PDF- the previous build")
    return temp, out, old


def assert_stopped(build: subprocess.Popen, name: str, places: tuple[Path, Path, Path],
                   timeout: float = 300) -> None:
    temp, out, old = places
    _, err = build.communicate(timeout=timeout)
    assert build.returncode == 128 + getattr(signal, name), err
    assert err.splitlines() == [stopped_line(name)]
    assert ours(temp) == []
    assert _outputs(out) == ["seed.pdf"]  # no .part
    assert old.read_bytes() == b"%PDF- the previous build"


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_layout_leaves_nothing(places, name):
    temp, _, old = places
    build = start_build(SEED_MD, old, temp)
    wait_for(lambda: fc_pids(temp), "the build's font folder", build)
    build.send_signal(getattr(signal, name))
    assert_stopped(build, name, places)


@pytest.mark.parametrize(("at", "name"), [
    ("mkdtemp:1", "SIGTERM"),  # the fontconfig folder, just made
    ("mkdtemp:2", "SIGHUP"),  # WeasyPrint's font folder, just made
    ("mkstemp:1", "SIGINT"),  # the .part file, just made
    ("mkstemp:1", "SIGTERM"),
    ("replace:1", "SIGTERM"),  # the .part file written, not yet renamed
    ("replace:1", "SIGHUP"),
    ("replace:1", "SIGINT"),
])
def test_a_signal_right_after_a_temporary_file_is_made_leaves_nothing(places, at, name):
    temp, _, old = places
    assert_stopped(start_build(SEED_MD, old, temp, at=at, name=name), name, places)


def test_a_signal_the_caller_ignores_stays_ignored(places):
    """nohup: SIGHUP is ignored, and the build goes on to write its PDF."""
    temp, out, old = places
    build = start_build(SEED_MD, old, temp, at="mkstemp:1", name="SIGHUP", ignored=(signal.SIGHUP,))
    _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert err == ""
    assert old.read_bytes().startswith(b"%PDF-1.")
    assert _outputs(out) == ["seed.pdf"]
    assert ours(temp) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_an_issue_build_stopped_stops_its_workers_and_leaves_nothing(places, name):
    """SIGTERM to the build alone (its workers are stopped by it) or SIGINT to the whole process
    group, as Ctrl-C sends it (each worker gets it too)."""
    temp, _, old = places
    build = start_build(ISSUE, old, temp, options=("--jobs", "2"))
    wait_for(lambda: fc_pids(temp) - {build.pid}, "a worker's font folder", build)
    workers = fc_pids(temp) - {build.pid}
    if name == "SIGINT":
        os.killpg(build.pid, signal.SIGINT)
    else:
        build.send_signal(signal.SIGTERM)
    started = time.monotonic()
    assert_stopped(build, name, places)
    assert time.monotonic() - started < 120  # the grace period is 10 s, loaded machine or not
    assert all(gone(pid) for pid in workers), workers


#: Articles of a batch: a few paragraphs each, no two alike, nothing to warn about.
TOPICS = ("المكتبات العامة", "السكك الحديدية", "الطاقة الشمسية", "الأسواق القديمة", "الحدائق",
          "الموانئ", "المدارس الريفية", "المتاحف", "الجسور")


def _batch_articles(content: Path) -> list[Path]:
    paths = []
    for n, topic in enumerate(TOPICS):
        body = "\n\n".join(f"فقرة {k} عن {topic}: " + " ".join([f"جملة عن {topic} رقم {k}."] * 12)
                            for k in range(1, 7))
        path = content / f"b{n}.md"
        path.write_text(f"---\ntitle: {topic}\ndate: 2024-0{n % 9 + 1}-1{n}\n---\n\n{body}\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def start_batch(root: Path, temp: Path, *options: str) -> subprocess.Popen:
    """Every article in ``root``/content/ built into ``root``/build/ by a new process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([sys.executable, str(ROOT / "make_pdf.py"), "-q", *options], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_signals_as_in_a_terminal(()))


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_batch_stopped_stops_its_workers_keeps_what_it_built_and_resumes(workspace, tmp_path, name):
    """A batch of articles in two worker processes, stopped once one article is built and while
    a worker lays out another: SIGTERM to the command alone, or SIGINT to its process group."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    sources = _batch_articles(workspace.content)
    out = workspace.root / "build"
    records = out / record.FOLDER
    batch = start_batch(workspace.root, temp, "--jobs", "2")
    wait_for(lambda: list(records.glob("*.json")) and fc_pids(temp) - {batch.pid},
             "a built article and a worker laying out the next", batch)
    family = psutil.Process(batch.pid).children(recursive=True)  # the fork server and the workers
    workers = fc_pids(temp) - {batch.pid}
    if name == "SIGINT":
        os.killpg(batch.pid, signal.SIGINT)
    else:
        batch.send_signal(signal.SIGTERM)
    started = time.monotonic()
    _, err = batch.communicate(timeout=300)
    assert batch.returncode == 128 + getattr(signal, name), err
    assert err.splitlines() == [stopped_line(name)]
    assert time.monotonic() - started < 120  # the grace period is 10 s, loaded machine or not
    assert workers <= {child.pid for child in family}
    deadline = time.monotonic() + 60  # the fork server ends once it sees its parent gone
    while not all(gone(child.pid) for child in family):
        assert time.monotonic() < deadline, [c.pid for c in family if not gone(c.pid)]
        time.sleep(0.05)
    assert ours(temp) == []
    assert not [p.name for p in out.rglob("*.part")]
    finished = sorted(p.name.removesuffix(".json") for p in records.glob("*.json"))
    assert 1 <= len(finished) < len(sources), finished
    kept = {}
    for pdf in finished:  # each recorded PDF is whole
        assert PdfReport(out / pdf).pages == 1
        kept[pdf] = ((out / pdf).read_bytes(), (out / pdf).stat().st_mtime_ns)

    again = start_batch(workspace.root, temp, "--jobs", "2")
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(f"{s.stem}.pdf" for s in sources)
    assert kept == {n: ((out / n).read_bytes(), (out / n).stat().st_mtime_ns) for n in finished}
    for source in sources:
        assert PdfReport(out / f"{source.stem}.pdf").pages == 1
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
    killed = start_build(SEED_MD, old, temp)
    wait_for(lambda: killed.pid in fc_pids(temp), "the build's font folder", killed)
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

    after = start_build(SEED_MD, out / "again.pdf", temp)
    _, err = after.communicate(timeout=300)
    assert after.returncode == 0, err
    assert ours(temp) == sorted(p.name for p in (running, elsewhere, old_style))
    assert (running / "fonts.conf").is_file()
    assert old.read_bytes() == b"%PDF- the previous build"


def test_a_part_file_sigkill_leaves_is_removed_by_the_next_write_there(places, live_pid):
    temp, out, old = places
    killed = start_build(SEED_MD, old, temp, at="replace:1", name="SIGKILL")
    killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGKILL
    parts = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert len(parts) == 1 and f"-{killed.pid}-" in parts[0], parts
    assert old.read_bytes() == b"%PDF- the previous build"
    machine = scratch._machine()
    running = out / f".other.pdf.pressroom-{machine}-{live_pid}-abcd1234.part"
    not_ours = out / ".notes.txt.abcd1234.part"
    for part in (running, not_ours):
        part.write_bytes(b"half")

    after = start_build(SEED_MD, old, temp)
    _, err = after.communicate(timeout=300)
    assert after.returncode == 0, err
    assert _outputs(out) == sorted([running.name, not_ours.name, "seed.pdf"])
    assert old.read_bytes().startswith(b"%PDF-1.")
    assert ours(temp) == []


def _outputs(folder: Path) -> list[str]:
    """What a build left in its output folder, besides its build records (.pressroom-build/)."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".pressroom-build")
