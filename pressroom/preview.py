"""A watch's PDFs → a page on 127.0.0.1 that shows their spreads and refreshes after each rebuild.

Only fixed routes are served, from what the watch built (each PDF as it was when it was
written, its pages rendered to PNG with pdfium, once per build): no part of a URL ever names a
file. The server listens on 127.0.0.1 alone and answers only requests addressed to it there.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pressroom.errors import ToolkitError, display_path
from pressroom.watch import Target, Watcher

DEFAULT_PORT = 8765
#: The one address the preview listens on.
ADDRESS = "127.0.0.1"
#: Pixels per PDF point of the pages' pictures (A4: 950 pixels wide); the page zooms them.
SCALE = 1.6
#: Seconds between two keep-alive comments on the event stream.
KEEP_ALIVE = 15.0

PAGE_ROUTE = re.compile(r"/page/(\d{1,6})/(\d{1,9})/(\d{1,6})\.png")
PDF_ROUTE = re.compile(r"/pdf/(\d{1,6})/(\d{1,9})/([\w.-]{1,200}\.pdf)")


def port(text: str) -> int:
    """An argparse type: a TCP port (0: any free one)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text!r}")
    return value


@dataclass
class Doc:
    """One PDF of the watch as the page shows it: the bytes of its last good build."""

    id: int
    target: Target
    build: int = 0  # the target's build these bytes are from (0: none yet)
    pdf: bytes | None = None
    pages: int = 0
    when: str = ""
    pngs: dict[int, bytes] = field(default_factory=dict)
    said: dict = field(default_factory=dict)  # what the target's last build said
    building: bool = False  # a build of it runs

    def take(self, target: Target) -> None:
        """What the page says of the target's last build (taken when it ends: the watch
        changes the target while the next one runs)."""
        self.target = target
        self.said = {"name": target.output.name, "source": display_path(target.source),
                     "output": display_path(target.output), "direction": target.direction,
                     "warnings": list(target.warnings), "error": target.error,
                     "seconds": round(target.seconds, 2), "laid_out": [p.name for p in target.laid_out],
                     "reused": target.reused}

    def summary(self) -> dict:
        return {"id": self.id, "build": self.build, "pages": self.pages, "when": self.when,
                "building": self.building, **self.said}


class State:
    """What the page shows, updated by the watch (its main thread) and read by the server's."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.counter = 0  # rebuilds so far, failed ones too: the page asks again when it moves
        self.docs: dict[Path, Doc] = {}
        self.closed = False
        self.render_lock = threading.Lock()  # pdfium is not thread-safe
        self.open: dict[int, tuple[int, object]] = {}  # doc id → (build, its PdfDocument)

    def starting(self, target: Target) -> None:
        """A watch listener: the page says that a build of the target runs."""
        with self.changed:
            doc = self.docs.get(target.source.resolve())
            if doc is not None:
                doc.building = True
                self.counter += 1
                self.changed.notify_all()

    def rebuilt(self, target: Target) -> None:
        """A watch listener: take the target's new PDF (or keep the last good one)."""
        pdf = None
        if not target.error or target.builds == 0:
            try:
                pdf = target.output.read_bytes()  # just written; or, after a failed first build,
            except OSError:  # the PDF an earlier run left
                pdf = None
            if pdf is not None and not pdf.startswith(b"%PDF-"):
                pdf = None
        pages = _page_count(pdf) if pdf is not None else 0
        with self.changed:
            doc = self.docs.setdefault(target.source.resolve(), Doc(len(self.docs), target))
            doc.take(target)
            doc.building = False
            if pdf is not None and (doc.pdf is None or not target.error):
                doc.build, doc.pdf, doc.pages, doc.pngs = doc.build + 1, pdf, pages, {}
                doc.when = time.strftime("%H:%M:%S")
            self.counter += 1
            self.changed.notify_all()

    def summary(self) -> dict:
        with self.changed:
            return {"counter": self.counter, "docs": [d.summary() for d in self.docs.values()]}

    def wait(self, seen: int, timeout: float) -> int:
        """The counter, once it differs from ``seen`` (or the timeout passed)."""
        with self.changed:
            self.changed.wait_for(lambda: self.counter != seen or self.closed, timeout)
            return self.counter

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()
        with self.render_lock:
            for _, document in self.open.values():
                document.close()  # type: ignore[attr-defined]
            self.open.clear()

    def _doc(self, doc_id: int, build: int) -> Doc | None:
        for doc in self.docs.values():
            if doc.id == doc_id and doc.build == build and doc.pdf is not None:
                return doc
        return None

    def pdf(self, doc_id: int, build: int) -> bytes | None:
        with self.changed:
            doc = self._doc(doc_id, build)
            return doc.pdf if doc else None

    def png(self, doc_id: int, build: int, page: int) -> bytes | None:
        """Page ``page`` (from 1) of that build of that PDF as a PNG, cropped to its trim box."""
        with self.changed:
            doc = self._doc(doc_id, build)
            if doc is None or not 1 <= page <= doc.pages:
                return None
            if page in doc.pngs:
                return doc.pngs[page]
            pdf = doc.pdf
        with self.render_lock:
            if self.closed:
                return None
            image = _render(self._open(doc_id, build, pdf), page - 1)
        with self.changed:
            if doc.build == build:
                doc.pngs[page] = image
        return image

    def _open(self, doc_id: int, build: int, pdf: bytes | None) -> object:
        import pypdfium2

        held = self.open.get(doc_id)
        if held is None or held[0] != build:
            if held is not None:
                held[1].close()  # type: ignore[attr-defined]
            held = (build, pypdfium2.PdfDocument(pdf))
            self.open[doc_id] = held
        return held[1]


def _page_count(pdf: bytes) -> int:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return 0
    try:
        return len(document)
    finally:
        document.close()


def _render(document, index: int) -> bytes:
    """One page as a PNG: what the trim box holds (no crop marks, no bleed)."""
    page = document[index]
    try:
        media = page.get_mediabox()
        trim = page.get_trimbox()
        crop = (max(trim[0] - media[0], 0), max(trim[1] - media[1], 0),
                max(media[2] - trim[2], 0), max(media[3] - trim[3], 0))
        bitmap = page.render(scale=SCALE, crop=crop)
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()
    finally:
        page.close()


class Server(ThreadingHTTPServer):
    """The preview's HTTP server: 127.0.0.1 only."""

    daemon_threads = True  # an open event stream never holds the exit up

    def __init__(self, state: State, port_number: int, address: str = ADDRESS) -> None:
        if address != ADDRESS:
            raise ToolkitError(f"the preview listens on {ADDRESS} only, not {address}")
        self.state = state
        try:
            super().__init__((address, port_number), Handler)
        except OSError as exc:
            raise ToolkitError(f"cannot listen on {address}:{port_number}: {exc.strerror} "
                               "(choose another --port)") from None

    @property
    def url(self) -> str:
        return f"http://{ADDRESS}:{self.server_port}/"


class Handler(BaseHTTPRequestHandler):
    """The fixed routes: /, /state, /events, /page/DOC/BUILD/N.png, /pdf/DOC/BUILD/NAME.pdf."""

    server: Server
    server_version = "pressroom-preview"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is the watch's

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _addressed_here(self) -> bool:
        """The Host a browser sent: this server by its own address (a page of another site that
        had its name point here — DNS rebinding — gets nothing)."""
        host = self.headers.get("Host", "")
        return host in (f"{ADDRESS}:{self.server.server_port}", f"localhost:{self.server.server_port}")

    def _answer(self, body: bool) -> None:
        state = self.server.state
        path = self.path.split("?", 1)[0]  # never unquoted: a route matches as it was sent
        if not self._addressed_here():
            return self._send(HTTPStatus.FORBIDDEN, b"not addressed to this preview\n", "text/plain", body)
        if path == "/":
            return self._send(HTTPStatus.OK, PAGE.encode(), "text/html; charset=utf-8", body)
        if path == "/state":
            data = json.dumps(state.summary(), ensure_ascii=False).encode()
            return self._send(HTTPStatus.OK, data, "application/json", body)
        if path == "/events" and body:
            return self._events()
        found = PAGE_ROUTE.fullmatch(path)
        if found:
            image = state.png(*(int(n) for n in found.groups()))
            if image is not None:
                return self._send(HTTPStatus.OK, image, "image/png", body, cache=True)
        found = PDF_ROUTE.fullmatch(path)
        if found:
            pdf = state.pdf(int(found[1]), int(found[2]))
            if pdf is not None:
                return self._send(HTTPStatus.OK, pdf, "application/pdf", body, cache=True)
        return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=3600, immutable" if cache else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self'; style-src 'unsafe-inline'; "
                         "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: 'build' with the counter whenever a rebuild ends."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not state.closed:
                counter = state.wait(seen, KEEP_ALIVE)
                if state.closed:
                    break
                message = f"event: build\ndata: {counter}\n\n" if counter != seen else ": still here\n\n"
                seen = counter
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def serve(watcher: Watcher, port_number: int) -> int:
    """make_pdf.py preview: the watch in this thread, the page served from another."""
    state = State()
    server = Server(state, port_number)
    watcher.listeners.append(state.rebuilt)
    watcher.starting.append(state.starting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="pressroom-preview", daemon=True)
    thread.start()
    print(f"preview: {server.url} (Ctrl-C stops)", flush=True)
    try:
        return watcher.run()
    finally:
        state.close()
        server.shutdown()
        server.server_close()


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pressroom preview</title>
<style>
  :root { --zoom: 1; --bar: 3.2rem; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #5a5a5a; color: #eee; }
  header { position: sticky; top: 0; z-index: 2; display: flex; gap: .6rem; align-items: center;
           flex-wrap: wrap; min-height: var(--bar); padding: .4rem .8rem; background: #2b2b2b; }
  header button, header select { font: inherit; padding: .2rem .6rem; }
  header a { color: #9cf; }
  #status { flex: 1; }
  #error { display: none; background: #8b1a1a; color: #fff; padding: .5rem .8rem; white-space: pre-wrap; }
  #warnings { margin: 0; padding: .3rem .8rem .3rem 2rem; background: #6b5500; color: #fff; }
  #warnings:empty { display: none; }
  main { padding: 1rem; overflow: auto; }
  .spread { display: none; justify-content: center; gap: 0; }
  .spread.shown { display: flex; }
  .slot { width: calc((100vh - var(--bar) - 4rem) * 0.7071 * var(--zoom)); flex: none; }
  .slot img { display: block; width: 100%; box-shadow: 0 0 .6rem #0008; background: #fff; }
  .slot.empty { visibility: hidden; }
  .label { text-align: center; font-size: 12px; color: #ddd; }
</style>
</head>
<body>
<header>
  <select id="doc" hidden></select>
  <button id="left" title="previous/next spread (arrow keys)">&#9664;</button>
  <span id="where"></span>
  <button id="right" title="previous/next spread (arrow keys)">&#9654;</button>
  <button id="zoom-out" title="zoom out (-)">&minus;</button>
  <button id="fit" title="fit the page (0)">fit</button>
  <button id="zoom-in" title="zoom in (+)">+</button>
  <a id="pdf" target="_blank" rel="noopener">open the PDF</a>
  <span id="status">waiting for the first build&hellip;</span>
</header>
<div id="error"></div>
<ul id="warnings"></ul>
<main id="spreads"></main>
<script>
"use strict";
let state = null, docId = null, index = 0, zoom = 1;
const $ = (id) => document.getElementById(id);

function spreadsOf(pages) {  // page 1 alone, then 2-3, 4-5... (a last even page alone)
  const list = [[1]];
  for (let p = 2; p <= pages; p += 2) list.push(p + 1 <= pages ? [p, p + 1] : [p]);
  return pages ? list : [];
}

function slots(pages, rtl) {  // [left, right]: right-bound (rtl) puts the lower number right
  if (pages.length === 2) return rtl ? [pages[1], pages[0]] : [pages[0], pages[1]];
  const odd = pages[0] % 2 === 1;  // a recto: left of the binding in rtl, right of it in ltr
  return (odd === rtl) ? [pages[0], null] : [null, pages[0]];
}

function current() {
  if (!state || !state.docs.length) return null;
  return state.docs.find((d) => d.id === docId) || state.docs[0];
}

function show() {
  const doc = current();
  const main = $("spreads");
  main.textContent = "";
  document.body.dataset.counter = state ? state.counter : 0;
  if (!doc) return;
  docId = doc.id;
  const rtl = doc.direction === "rtl";
  const list = spreadsOf(doc.pages);
  index = Math.max(0, Math.min(index, list.length - 1));
  list.forEach((pages, i) => {
    const spread = document.createElement("div");
    spread.className = "spread" + (i === index ? " shown" : "");
    spread.dataset.pages = pages.join(",");
    for (const page of slots(pages, rtl)) {
      const slot = document.createElement("div");
      slot.className = "slot" + (page ? "" : " empty");
      if (page) {
        const img = document.createElement("img");
        img.alt = "page " + page;
        img.dataset.src = `/page/${doc.id}/${doc.build}/${page}.png`;
        const label = document.createElement("div");
        label.className = "label";
        label.textContent = page;
        slot.append(img, label);
      }
      spread.append(slot);
    }
    main.append(spread);
  });
  load();
  document.body.dataset.build = doc.build;
  document.body.dataset.spreads = list.length;
  $("where").textContent = list.length ? `spread ${index + 1} of ${list.length}` : "no pages";
  $("pdf").href = doc.build ? `/pdf/${doc.id}/${doc.build}/${doc.name}` : "#";
  const ok = doc.error ? "" : `${doc.pages} pages, built ${doc.when} in ${doc.seconds} s`;
  const issue = doc.laid_out.length ? `; laid out again: ${doc.laid_out.join(", ")}` : "";
  const built = ok ? ok + issue : "last good build " + (doc.when || "none");
  $("status").textContent = `${doc.building ? "rebuilding\u2026 " : ""}${doc.output} \u2014 ${built}`;
  const shown = doc.build ? "the PDF shown is the last good build" : "no PDF to show yet";
  $("error").textContent = doc.error ? `error: ${doc.error}\n(${shown})` : "";
  $("error").style.display = doc.error ? "block" : "none";
  $("warnings").textContent = "";
  for (const warning of doc.warnings) {
    const item = document.createElement("li");
    item.textContent = "warning: " + warning;
    $("warnings").append(item);
  }
  $("left").textContent = "\u25c0"; $("right").textContent = "\u25b6";
}

function load() {  // only the shown spread's pictures are fetched
  for (const img of document.querySelectorAll(".spread.shown img[data-src]")) {
    img.src = img.dataset.src;
    img.removeAttribute("data-src");
  }
}

function go(step) {
  const spreads = document.querySelectorAll(".spread");
  if (!spreads.length) return;
  spreads[index].classList.remove("shown");
  index = Math.max(0, Math.min(index + step, spreads.length - 1));
  spreads[index].classList.add("shown");
  $("where").textContent = `spread ${index + 1} of ${spreads.length}`;
  load();
}

function leftward() { const doc = current(); return doc && doc.direction === "rtl" ? 1 : -1; }
function setZoom(value) {
  zoom = Math.max(0.25, Math.min(value, 6));
  document.documentElement.style.setProperty("--zoom", zoom);
}

async function refresh() {
  const answer = await fetch("/state", {cache: "no-store"});
  state = await answer.json();
  const select = $("doc");
  select.hidden = state.docs.length < 2;
  // the options are made again only when the documents change: made again at each refresh,
  // they closed the list under the designer's pointer (and the browser test's hand)
  const listed = state.docs.map((doc) => `${doc.id} ${doc.output}`).join(";");
  if (select.dataset.listed !== listed) {
    select.dataset.listed = listed;
    select.textContent = "";
    for (const doc of state.docs) {
      select.append(new Option(doc.output, doc.id, false, doc.id === docId));
    }
  }
  show();
}

$("doc").addEventListener("change", (e) => { docId = Number(e.target.value); index = 0; show(); });
$("left").addEventListener("click", () => go(leftward()));
$("right").addEventListener("click", () => go(-leftward()));
$("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
$("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
$("fit").addEventListener("click", () => setZoom(1));
document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "SELECT") return;
  const keys = {ArrowLeft: () => go(leftward()), ArrowRight: () => go(-leftward()),
                PageDown: () => go(1), PageUp: () => go(-1), Home: () => go(-1e6), End: () => go(1e6),
                "+": () => setZoom(zoom * 1.25), "=": () => setZoom(zoom * 1.25),
                "-": () => setZoom(zoom / 1.25), "0": () => setZoom(1)};
  if (keys[e.key]) { keys[e.key](); e.preventDefault(); }
});
const events = new EventSource("/events");
events.addEventListener("build", () => refresh());
refresh();
</script>
</body>
</html>
"""
