"""make_pdf.py preview: the page in a real headless Chromium (spreads, refresh after an edit),
and a server that serves nothing but its own routes, on 127.0.0.1 only."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from pressroom.errors import ToolkitError
from pressroom.preview import Server, State
from pressroom.watch import Target

from .conftest import SEED_MD
from .watching import Running, article, publication

#: Where the browser test leaves a picture of the page (PRESSROOM_PREVIEW_SCREENSHOT=FILE.png).
SCREENSHOT = os.environ.get("PRESSROOM_PREVIEW_SCREENSHOT")
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def _spreads(pdf: Path) -> int:
    """Page 1 alone, then two pages a spread."""
    return len(pypdf.PdfReader(pdf).pages) // 2 + 1


@pytest.fixture
def server(seed_pdf: Path) -> Iterator[tuple[Server, State]]:
    state = State()
    state.rebuilt(Target(SEED_MD, seed_pdf, pages=2, builds=1))
    running = Server(state, 0)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running, state
    state.close()
    running.shutdown()
    running.server_close()


def _get(server: Server, target: str, host: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    """One request, its target sent exactly as given (no client-side normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host or f"127.0.0.1:{server.server_port}")
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, body


def test_the_routes_serve_the_build(server: tuple[Server, State]) -> None:
    running, _ = server
    status, page = _get(running, "/")
    assert status == 200 and b"<title>pressroom preview</title>" in page
    status, data = _get(running, "/state")
    (doc,) = json.loads(data)["docs"]
    assert status == 200 and doc["pages"] == 2 and doc["build"] == 1 and doc["direction"] == "rtl"
    status, png = _get(running, "/page/0/1/2.png")
    assert status == 200 and png.startswith(b"\x89PNG")
    status, pdf = _get(running, f"/pdf/0/1/{doc['name']}")
    assert status == 200 and pdf.startswith(b"%PDF-")
    for gone in ("/page/0/1/3.png", "/page/0/1/0.png", "/page/0/2/1.png", "/page/1/1/1.png",
                 "/pdf/0/2/x.pdf"):
        assert _get(running, gone)[0] == 404, gone


@pytest.mark.parametrize("target", [
    "/page/../../etc/passwd", "/page/0/1/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/page/%2e%2e/%2e%2e/etc/passwd", "/page/0/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/etc/passwd",
    "//etc/passwd", "/pdf/0/1/../../../../etc/passwd.pdf", "/pdf/0/1/..%2f..%2f..%2fetc%2fpasswd.pdf",
    "/page/0/1/1.png%00/../../etc/passwd", "/page/0/1/1.png/..", "/state/../../etc/passwd",
    "http://127.0.0.1/etc/passwd", "/..\\..\\etc\\passwd", "/favicon.ico", "/layouts/magazine/tokens.css",
    "/content/kazakhstan-peacekeeping.md", "/./state/..",
])
def test_nothing_outside_the_build_is_served(server: tuple[Server, State], target: str) -> None:
    running, _ = server
    for method in ("GET", "HEAD"):
        status, body = _get(running, target, method=method)
        assert status == 404 and b"root:" not in body, (method, target, body[:80])


def test_absolute_paths_of_the_project_are_not_served(server: tuple[Server, State], seed_pdf: Path) -> None:
    running, _ = server
    for path in (seed_pdf, SEED_MD, Path("/etc/passwd")):
        assert _get(running, str(path.resolve()))[0] == 404


def test_only_requests_addressed_to_127_0_0_1_are_answered(server: tuple[Server, State]) -> None:
    running, _ = server
    assert _get(running, "/state", host="evil.example")[0] == 403
    assert _get(running, "/state", host=f"evil.example:{running.server_port}")[0] == 403
    assert _get(running, "/state", host=f"localhost:{running.server_port}")[0] == 200
    with pytest.raises(ToolkitError, match=r"listens on 127\.0\.0\.1 only, not 0\.0\.0\.0"):
        Server(State(), 0, address="0.0.0.0")


def _browser():
    """Headless Chromium (Debian's) through its chromedriver; no network beyond 127.0.0.1."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = next(filter(None, map(shutil.which, CHROMIUM)), None)
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        # skipped on a machine without them (the README's two commands pass on a fresh machine);
        # .ci/run, which installs them, sets PRESSROOM_REQUIRE_BROWSER: there it fails
        said = ("test_preview's browser tests need Chromium and its driver: apt-get install "
                f"chromium chromium-driver (found: browser {binary}, driver {driver})")
        (pytest.fail if os.environ.get("PRESSROOM_REQUIRE_BROWSER") else pytest.skip)(said)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--window-size=1400,1000",
                 "--proxy-server=http://127.0.0.1:9"):  # anything not on 127.0.0.1 goes nowhere
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def _until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_the_page_shows_the_spreads_and_follows_each_rebuild(tmp_path: Path) -> None:
    root = publication(tmp_path)
    source = root / "content" / "column.md"
    source.write_text(article("عمود الأسبوع", 4), encoding="utf-8")
    output = root / "build" / "column.pdf"
    run = Running(root, "preview", "content/column.md", "--port", "0")
    browser = None
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", run.wait_for("preview: http://127.0.0.1:"))[0]
        run.wait_for("built build/column.pdf")
        browser = _browser()
        browser.get(url)
        body = lambda name: browser.execute_script(f"return document.body.dataset.{name}")  # noqa: E731
        expected = _spreads(output)
        _until(lambda: body("spreads") == str(expected), 30, f"{expected} spreads shown")
        assert len(browser.find_elements("css selector", ".spread")) == expected
        _until(lambda: browser.execute_script(
            "const i = document.querySelector('.spread.shown img');"
            "return i && i.complete && i.naturalWidth > 500"), 30, "the first page's picture")
        build = body("build")
        counter = int(body("counter"))

        source.write_text(article("عمود الأسبوع", 40, word="تحديث"), encoding="utf-8")
        run.wait_for("rebuilt build/column.pdf (content/column.md changed)")
        grown = _spreads(output)
        assert grown > expected
        _until(lambda: body("build") != build and body("spreads") == str(grown), 30,
               f"the page showing the new build's {grown} spreads")
        assert int(body("counter")) > counter
        assert len(browser.find_elements("css selector", ".spread")) == grown

        # right-bound: the second spread has page 3 on the left, page 2 on the right
        browser.find_element("css selector", "body").send_keys("\ue012")  # ArrowLeft: the next spread
        _until(lambda: browser.find_element("id", "where").text == f"spread 2 of {grown}", 10, "flipped")
        shown = browser.find_elements("css selector", ".spread.shown .label")
        assert [label.text for label in shown] == ["3", "2"]
        _until(lambda: browser.execute_script(
            "return [...document.querySelectorAll('.spread.shown img')].every("
            "i => i.complete && i.naturalWidth > 500)"), 30, "the second spread's pictures")
        if SCREENSHOT:
            browser.save_screenshot(SCREENSHOT)
        link = browser.find_element("id", "pdf").get_attribute("href")
        assert link.startswith(url + "pdf/")

        # a broken edit: the error is shown, the last good build stays
        source.write_text("---\ntitle: [\n---\n", encoding="utf-8")
        run.wait_for("error: content/column.md:", stream="err")
        _until(lambda: "front matter is not valid YAML" in browser.find_element("id", "error").text, 30,
               "the error shown")
        assert body("spreads") == str(grown)
        code = run.stop()
    finally:
        if browser is not None:
            browser.quit()
        run.kill()
    assert code == 130, run.seen


def test_the_document_picker_shows_another_documents_spreads(tmp_path: Path) -> None:
    """With no SOURCE every article of content/ is built; the picker (shown when there are
    several) switches the page to another document: its spreads, its pictures, its PDF."""
    from selenium.webdriver.support.ui import Select

    root = publication(tmp_path)
    (root / "content" / "brief.md").write_text(article("خبر قصير", 2), encoding="utf-8")
    (root / "content" / "report.md").write_text(article("تقرير طويل", 30, word="ملحق"), encoding="utf-8")
    run = Running(root, "preview", "--port", "0")
    browser = None
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", run.wait_for("preview: http://127.0.0.1:"))[0]
        run.wait_for("watching")
        counts = {name: _spreads(root / "build" / f"{name}.pdf") for name in ("brief", "report")}
        assert counts["brief"] != counts["report"]
        browser = _browser()
        browser.get(url)
        body = lambda name: browser.execute_script(f"return document.body.dataset.{name}")  # noqa: E731
        shown = lambda: [e for e in browser.find_elements("id", "doc") if e.is_displayed()]  # noqa: E731
        choice = Select(_until(shown, 30, "the document picker shown")[0])
        assert sorted(o.text for o in choice.options) == ["build/brief.pdf", "build/report.pdf"]
        for name in ("report", "brief", "report"):  # there and back
            choice.select_by_visible_text(f"build/{name}.pdf")
            _until(lambda name=name: body("spreads") == str(counts[name])
                   and f"build/{name}.pdf" in browser.find_element("id", "status").text, 30,
                   f"{name}'s {counts[name]} spreads shown")
            assert len(browser.find_elements("css selector", ".spread")) == counts[name]
            _until(lambda: browser.execute_script(
                "const i = document.querySelector('.spread.shown img');"
                "return i && i.complete && i.naturalWidth > 500"), 30, f"{name}'s first page")
            assert browser.find_element("id", "pdf").get_attribute("href").endswith(f"/{name}.pdf")
        code = run.stop()
    finally:
        if browser is not None:
            browser.quit()
        run.kill()
    assert code == 130, run.seen
