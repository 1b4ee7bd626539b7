"""A build process's start-up: WeasyPrint's libraries opened without a compiler run per guessed name,
the same libraries as WeasyPrint's own search, and that search still used where ours is not enough."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="only Linux's library search is shortened")

#: Prints what a fresh process ran and opened: the programs it started and the shared objects of
#: WeasyPrint's libraries mapped into it (after the import the test's PRELUDE makes).
REPORT = """
import json, re
with open("/proc/self/maps") as maps:
    mapped = sorted({line.split()[-1] for line in maps
                     if re.search(r"/lib(gobject|pango|pangoft2|harfbuzz|fontconfig)[-.]", line)})
from weasyprint.text import ffi
print(json.dumps({"ran": ran, "mapped": mapped, "opened": sorted(
    n for n in ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "harfbuzz_vector", "fontconfig",
                "pangoft2") if getattr(ffi, n) is not None)}))
"""

AUDIT = """
import os, sys
ran = []
sys.addaudithook(lambda event, args: event == "subprocess.Popen" and ran.append(
    os.path.basename(str(args[0]))))
"""


def _run(prelude: str) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", AUDIT + prelude + REPORT], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    *said, last = done.stdout.splitlines()
    return json.loads(last), "\n".join(said)


def test_the_toolkit_opens_weasyprints_libraries_without_a_compiler_run():
    ours, said = _run("import pressroom.build\n")
    theirs, _ = _run("import weasyprint\n")  # WeasyPrint's own search
    assert ours["ran"] == ["ldconfig"], ours["ran"]  # the library cache, listed once
    assert {"gcc", "ld"} & set(theirs["ran"]) or not theirs["ran"]  # what it spares (where gcc is)
    assert ours["opened"] == theirs["opened"] and {"pango", "harfbuzz", "pangoft2"} <= set(ours["opened"])
    assert ours["mapped"] == theirs["mapped"] and ours["mapped"]
    assert not said


def test_a_library_only_weasyprints_own_search_finds_is_still_found():
    """Simulated: Pango cannot be opened while the short search answers (a machine where it is
    known by a name WeasyPrint does not try, found by gcc or ld): the attempt is forgotten and
    WeasyPrint's own search opens it, its installation help not printed."""
    refuse = """
import cffi, ctypes.util
original_find, original_open = ctypes.util.find_library, cffi.FFI.dlopen
def dlopen(self, name, *args):
    if "pango" in str(name) and ctypes.util.find_library is not original_find:
        raise OSError(f"cannot open {name} (simulated)")
    return original_open(self, name, *args)
cffi.FFI.dlopen = dlopen
import pressroom.build
from pressroom.layout import weasy
assert weasy._text_ffi is sys.modules["weasyprint.text.ffi"]
"""
    found, said = _run(refuse)
    assert "pango" in found["opened"] and "pangoft2" in found["opened"]
    assert "WeasyPrint could not import" not in said and not said
