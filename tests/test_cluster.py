"""Batches on a Dask distributed cluster (a LocalCluster on 127.0.0.1, started and stopped here).

Dask is the optional ``cluster`` extra (``pip install -e ".[test,cluster]"``, as .ci/run does):
where it is not installed, these tests are skipped, and the rest of the suite still runs.
"""

from __future__ import annotations

import os
import re
import threading
import time

import psutil
import pytest

from pressroom.cli import main

from .test_batch import _articles, _pdfs, _summary

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed (the cluster extra) is missing: pip install -e '.[cluster]'")
Client, LocalCluster = distributed.Client, distributed.LocalCluster


@pytest.fixture
def here(workspace, monkeypatch):
    monkeypatch.chdir(workspace.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the client's, applied on the workers
    return workspace


@pytest.fixture
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as local, \
            Client(local, set_as_default=False) as client:
        yield local.scheduler_address, client


def test_cluster_writes_the_bytes_of_a_local_build(here, capsys, cluster):
    address, _ = cluster
    _articles(here.content, 4)
    (here.content / "b.txt").write_text("", encoding="utf-8")
    assert main(["-o", "local/", "--jobs", "1", "-q"]) == 1
    capsys.readouterr()
    assert main(["-o", "remote/", "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert "error: content/b.txt: empty file" in err
    assert _summary(err).startswith("summary: 4 built, 0 unchanged, 1 failed")
    local, remote = _pdfs(here.root / "local"), _pdfs(here.root / "remote")
    assert len(local) == 4 and local == remote
    assert main(["-o", "remote/", "--scheduler", address]) == 1  # its records, like a local build's
    assert _summary(capsys.readouterr().err).startswith("summary: 0 built, 4 unchanged, 1 failed")


def test_a_worker_killed_mid_batch_loses_nothing(here, capsys, cluster):
    address, client = cluster
    _articles(here.content, 6)
    assert main(["-o", "local/", "--jobs", "1", "-q"]) == 0
    result: list[int] = []
    run = threading.Thread(target=lambda: result.append(main(["-o", "remote/", "--scheduler", address])))
    run.start()
    deadline = time.monotonic() + 120
    busy: list[str] = []
    while not busy:
        assert time.monotonic() < deadline, "no worker ever took a task"
        busy = [worker for worker, tasks in client.processing().items() if tasks]
        time.sleep(0.05)
    pids = client.run(os.getpid)
    psutil.Process(pids[busy[0]]).kill()
    run.join(timeout=300)
    assert result == [0]
    err = capsys.readouterr().err
    assert _summary(err).startswith("summary: 6 built, 0 unchanged, 0 failed")
    assert _pdfs(here.root / "remote") == _pdfs(here.root / "local")
    assert not [p for p in (here.root / "remote").rglob("*.part")]
    assert not re.search(r"^Traceback", err, re.M)


def test_workers_with_another_toolkit_are_refused_in_one_line(here, capsys, cluster, monkeypatch):
    """Their PDFs would not be the bytes of a build here: nothing is sent to them."""
    address, _ = cluster
    _articles(here.content, 2)
    monkeypatch.setattr("pressroom.record.__version__", "0.0.0-here")  # the workers' is not
    assert main(["-o", "remote/", "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 2 of the cluster's 2 workers (tcp://127.0.0.1:"), err
    assert len(err.splitlines()) == 1
    assert "run another version of pressroom or of its libraries than this machine" in err
    assert _pdfs(here.root / "remote") == {}


def test_a_workers_messages_name_files_as_the_command_does(here, capsys, cluster, monkeypatch):
    """The workers run in the project's folder (where the cluster was started); the command in
    content/: the error names the file from content/, as a local build's would."""
    address, _ = cluster
    (here.content / "b.txt").write_text("", encoding="utf-8")
    monkeypatch.chdir(here.content)
    assert main(["b.txt", "-o", "../remote/", "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert "error: b.txt: empty file" in err and "content/b.txt" not in err


def test_an_unreachable_scheduler_is_one_line(here, capsys):
    _articles(here.content, 2)
    assert main(["--scheduler", "tcp://127.0.0.1:9", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert err.count("\n") == 1
