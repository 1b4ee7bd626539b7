"""Many sources → PDFs in worker processes (or on a Dask cluster), skipping what has not changed."""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import multiprocessing.connection
import os
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

# Not the pipeline (pressroom.build, WeasyPrint): a batch with nothing to build never imports it.
from pressroom import files, record, scratch, stopping
from pressroom.errors import ToolkitError, display_path, shown_from
from pressroom.limits import Limits
from pressroom.project import Project
from pressroom.report import NOTE, note
from pressroom.report import WEASY_PROGRESS_LOGGER_NAME as PROGRESS_LOGGER
from pressroom.stopping import Stopped

#: Articles a worker process builds before it is replaced by a fresh one (memory stays flat:
#: WeasyPrint and Pango keep caches that grow with every document laid out).
TASKS_PER_WORKER = 16
#: Times an article is tried when the process building it dies (killed, out of memory).
ATTEMPTS = 3

LOGGER = logging.getLogger("pressroom")


@dataclass(frozen=True)
class Options:
    """What every article of a batch is built with (all of it goes into the build record)."""

    layout: str
    variant: str
    output_intent: Path | None
    strict: bool
    limits: Limits
    #: the dates of undated articles (editions.build_date); carried so cluster workers agree
    source_date_epoch: str | None


@dataclass(frozen=True)
class Job:
    """One article to build: picklable, absolute paths, so any worker can run it."""

    source: Path
    output: Path
    project: Project
    options: Options
    #: the record's key of everything shared by the batch (toolkit, fonts, layout, options)
    shared: str
    verbosity: int = 0
    html: Path | None = None  # --html: the HTML its pages were laid out from, written there too
    here: Path | None = None  # the command's working folder, which messages name files from


@dataclass(frozen=True)
class Outcome:
    """What became of one job."""

    job: Job
    status: str  # "built" | "unchanged" | "failed"
    pages: int = 0
    #: (level, message) of every record the build logged at the batch's verbosity, in order
    messages: tuple[tuple[int, str], ...] = ()
    error: str = ""
    seconds: float = 0.0

    @property
    def warnings(self) -> int:
        return sum(level >= logging.WARNING for level, _ in self.messages)


# --- in the worker -----------------------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _level(verbosity: int) -> int:
    return {-1: logging.ERROR, 0: NOTE}.get(verbosity, logging.INFO)


def init_worker(verbosity: int) -> None:
    """Start of a worker process: its loggers let through what the batch's verbosity shows (the
    build's records are sent back to the parent, never printed here)."""
    from pressroom.pdf.glyphtext import GlyphTexts

    logging.getLogger("pressroom").setLevel(min(_level(verbosity), logging.WARNING))
    _WORKER["glyph_texts"] = GlyphTexts()  # the fonts' tables read once per worker


def run_job(job: Job) -> Outcome:
    """Build one article (the PDF written atomically, then its build record); every error
    becomes the outcome's one line, and the build's log records travel back with it."""
    from pressroom import build
    from pressroom.pdf.glyphtext import GlyphTexts
    from pressroom.report import listen

    started = time.perf_counter()
    heard: list[tuple[int, str]] = []
    shown = min(_level(job.verbosity), logging.WARNING)  # warnings are counted even when not shown

    def hear(log: logging.LogRecord) -> bool:
        if log.name == PROGRESS_LOGGER:  # WeasyPrint's pages: for a build in the parent's process
            return True
        if log.levelno >= shown:
            heard.append((log.levelno, log.getMessage()))
        return False  # the parent prints it (in order, beside the progress bar)

    glyph_texts = _WORKER.get("glyph_texts")
    try:
        with listen(hear):
            done = build.build(job.source, job.output, project=job.project,
                               layout=job.options.layout, variant=job.options.variant,
                               output_intent=job.options.output_intent,
                               strict=job.options.strict, limits=job.options.limits,
                               glyph_texts=glyph_texts if isinstance(glyph_texts, GlyphTexts) else None,
                               html=job.html)
            record.write(job, done.article, done.pages, heard)
    except ToolkitError as exc:
        return Outcome(job, "failed", messages=tuple(heard), error=str(exc),
                       seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug or a library failure: one line, the batch goes on
        message = str(exc).splitlines()[0] if str(exc) else ""
        return Outcome(job, "failed", messages=tuple(heard),
                       error=f"{display_path(job.source)}: internal error: {type(exc).__name__}: {message}",
                       seconds=time.perf_counter() - started)
    return Outcome(job, "built", done.pages, tuple(heard), seconds=time.perf_counter() - started)


def run_remote(job: Job) -> Outcome:
    """``run_job`` in a worker process or on a cluster worker: its loggers set as a pool
    worker's, the batch's SOURCE_DATE_EPOCH applied (a worker forked from a fork server started
    earlier, or a cluster's, has another environment), so its PDFs are the bytes of a build here."""
    if "glyph_texts" not in _WORKER:
        init_worker(job.verbosity)
    epoch = job.options.source_date_epoch
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    with shown_from(job.here):  # a cluster's worker runs in a folder of its own
        return run_job(job)


# --- in the parent -----------------------------------------------------------------------------

def default_jobs() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_context() -> multiprocessing.context.BaseContext:
    """Worker processes forked from a server that has imported the toolkit once (WeasyPrint's
    import is most of a process's start-up), where there is one; spawned elsewhere. Not forked
    from this process: it may have threads (the progress bar's), whose locks a fork copies."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if _same_package_in_a_fresh_interpreter():
        context.set_forkserver_preload(["pressroom.build"])
    return context


@functools.cache
def _same_package_in_a_fresh_interpreter() -> bool:
    """True when a new interpreter (the fork server, which Python 3.11 starts without this
    process's sys.path) imports this very copy of pressroom; otherwise preloading would give
    the workers another copy (a checkout run as ``python make_pdf.py`` beside an installed one),
    and each worker imports the toolkit itself instead."""
    probe = "import importlib.util as u; s = u.find_spec('pressroom'); print(s.origin if s else '')"
    try:
        found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                               timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found) and Path(found).resolve() == Path(__file__).resolve().parent / "__init__.py"


def _failed(job: Job, error: str) -> Outcome:
    return Outcome(job, "failed", error=error)


def _serve(connection: Connection, verbosity: int) -> None:
    """A worker process: build each job the batch sends, send its outcome back, until it sends
    None or goes away. A signal stops the article being built (its temporary files removed)
    and the process, with exit code 128 + its number; between two articles it is only noted."""
    stopping.worker_init()
    init_worker(verbosity)
    try:
        while (job := connection.recv()) is not None:
            with stopping.task(), scratch.removing_made_folders():
                outcome = run_remote(job)
            connection.send(outcome)
    except (EOFError, OSError):  # the batch has ended (or was killed): nothing to build for
        return


class _Worker:
    """One worker process, the end of its pipe, and how many articles it was given."""

    def __init__(self, context: multiprocessing.context.BaseContext, verbosity: int) -> None:
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, verbosity), daemon=True,
                                       name="pressroom-batch-worker")
        self.process.start()
        theirs.close()
        self.given = 0


class _Pool:
    """Worker processes that each build one article at a time, replaced after TASKS_PER_WORKER.

    Not a ProcessPoolExecutor: a worker that dies there breaks the whole pool (every running
    article started again), and stopping its workers mid-batch races with the replacement of
    one that has reached max_tasks_per_child."""

    def __init__(self, context: multiprocessing.context.BaseContext, verbosity: int) -> None:
        self.context = context
        self.verbosity = verbosity
        self.idle: list[_Worker] = []
        self.busy: dict[_Worker, Job] = {}
        self.retired: list[_Worker] = []  # told to end; joined at the end

    def give(self, job: Job) -> None:
        """Send ``job`` to an idle worker, or to a new one."""
        while self.idle and not self.idle[-1].process.is_alive():
            self.retired.append(self.idle.pop())
        with stopping.held():  # a worker is started and recorded, or not started at all
            worker = self.idle.pop() if self.idle else _Worker(self.context, self.verbosity)
            self.busy[worker] = job
        worker.connection.send(job)
        worker.given += 1

    def wait(self) -> list[tuple[Job, Outcome | int]]:
        """The jobs that ended (at least one): each with its outcome, or with the exit code of
        the worker that died building it."""
        busy = list(self.busy)
        multiprocessing.connection.wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
        ended: list[tuple[Job, Outcome | int]] = []
        for worker in busy:
            try:
                outcome: Outcome | None = worker.connection.recv() if worker.connection.poll() else None
            except (EOFError, OSError):
                outcome = None
            if outcome is None and worker.process.is_alive():
                continue
            job = self.busy.pop(worker)
            if outcome is None:  # it died
                worker.process.join()
                worker.connection.close()
                ended.append((job, worker.process.exitcode or 0))
                continue
            ended.append((job, outcome))
            if worker.given >= TASKS_PER_WORKER:  # a fresh one next time: memory stays flat
                self._retire(worker)
            else:
                self.idle.append(worker)
        return ended

    def _retire(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.connection.send(None)
        worker.connection.close()
        self.retired.append(worker)

    def close(self) -> None:
        """The batch is done: every worker ends."""
        for worker in self.idle:
            self._retire(worker)
        self.idle.clear()
        for worker in self.retired:
            worker.process.join()

    def stop(self) -> None:
        """The batch was stopped: each worker stops where it is, removes its temporary files and
        ends (one still there after stopping.WORKER_GRACE seconds is killed)."""
        workers = [*self.busy, *self.idle, *self.retired]
        for worker in workers:  # an idle one sees the end of its pipe and ends at once
            worker.connection.close()
        stopping.stop_workers([worker.process for worker in workers])


def _died(job: Job, code: int, attempts: Counter[Path], queue: deque[Job]) -> Outcome | None:
    """A worker died building ``job`` with exit ``code``: the run stops when a signal stopped
    it (never built again as if it had crashed); otherwise the job goes back in the queue, or
    after ATTEMPTS, the failed outcome."""
    if code > 128 and code - 128 in stopping.SIGNALS:
        raise Stopped(code - 128)
    attempts[job.source] += 1
    if attempts[job.source] < ATTEMPTS:
        queue.appendleft(job)
        return None
    return _failed(job, f"{display_path(job.source)}: the process building it died {ATTEMPTS} times "
                        "(killed, or out of memory)")


def run_local(jobs: Iterable[Job], workers: int, *, fail_fast: bool = False,
              started: Callable[[Job], None] = lambda job: None) -> Iterator[Outcome]:
    """Outcomes as articles finish, ``workers`` processes at a time (``workers`` 1 and a single
    job: in this process). A worker that dies loses nothing: its article is tried again by a
    fresh one (up to ATTEMPTS times, then it is reported as failed). Stopped by a signal (or
    closed early), it stops its workers, which remove their temporary files."""
    queue = deque(jobs)
    if len(queue) == 1 and workers == 1:
        job = queue.popleft()
        started(job)
        yield run_job(job)
        return
    if not queue:
        return
    pool = _Pool(pool_context(), queue[0].verbosity)
    attempts: Counter[Path] = Counter()
    stopped = False
    try:
        while queue or pool.busy:
            while queue and len(pool.busy) < workers and not stopped:
                job = queue.popleft()
                pool.give(job)
                started(job)
            if not pool.busy:
                break
            for job, ended in pool.wait():
                outcome = _died(job, ended, attempts, queue) if isinstance(ended, int) else ended
                if outcome is None:
                    continue
                if outcome.status == "failed" and fail_fast:
                    stopped = True
                    queue.clear()
                yield outcome
    except BaseException:  # a signal, or the caller stopped reading
        pool.stop()
        raise
    pool.close()


def run_cluster(jobs: Iterable[Job], scheduler: str, *, fail_fast: bool = False) -> Iterator[Outcome]:
    """Outcomes as articles finish on a Dask distributed cluster, one task per article; the
    scheduler gives a dead worker's articles to others."""
    try:
        from distributed import Client, as_completed
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise ToolkitError("--scheduler needs Dask distributed: pip install 'pressroom[cluster]'") from None
    try:
        client = Client(scheduler, timeout=10, set_as_default=False)
    except (OSError, ValueError) as exc:  # refused, timed out, or not an address
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ToolkitError(f"cannot reach the Dask scheduler at {scheduler}: {reason}") from None
    with client:
        _same_toolkit(client)
        todo = list(jobs)
        futures = {}
        for job in todo:
            future = client.submit(run_remote, job, pure=False,
                                   key=f"pressroom-build-{job.output.name}-{os.urandom(6).hex()}")
            futures[future] = job
        pending = as_completed(futures, loop=client.loop)
        for future in pending:
            job = futures[future]
            try:
                outcome = future.result()
            except KilledWorker:
                outcome = _failed(job, f"{display_path(job.source)}: the workers building it died "
                                       "(killed, or out of memory)")
            except Exception as exc:  # the worker could not even run the task
                outcome = _failed(job, f"{display_path(job.source)}: the cluster could not build it: "
                                       f"{type(exc).__name__}: {exc}".splitlines()[0])
            yield outcome
            if outcome.status == "failed" and fail_fast:
                client.cancel([f for f in futures if not f.done()])
                break


def _same_toolkit(client: object) -> None:
    """Refuse, in one line, a cluster whose workers cannot run this toolkit's builds (each
    article would fail alike) or run another version of it or of its libraries (their PDFs
    would not be the bytes of a build here)."""
    try:
        theirs: dict[str, str] = client.run(record.toolkit_key)  # type: ignore[attr-defined]
    except Exception as exc:  # a worker without pressroom cannot even read the function
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ToolkitError(f"the cluster's workers cannot run pressroom ({reason}): install it on "
                           "every worker, the same version as here") from None
    others = sorted(worker for worker, key in theirs.items() if key != record.toolkit_key())
    if others:
        raise ToolkitError(f"{len(others)} of the cluster's {len(theirs)} workers ({others[0]}"
                           f"{', …' if len(others) > 1 else ''}) run another version of pressroom or of "
                           "its libraries than this machine, and would write other bytes: install "
                           "the same versions everywhere")


@dataclass
class Summary:
    """A batch's tally, printed at its end."""

    built: int = 0
    unchanged: int = 0
    warnings: int = 0
    failed: list[str] = field(default_factory=list)
    not_built: int = 0  # left when --fail-fast stopped the batch
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "built":
            self.built += 1
        elif outcome.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed.append(outcome.error)
        self.warnings += outcome.warnings

    def render(self, built: str = "built", unchanged: str = "unchanged") -> str:
        lines = [f"summary: {self.built} {built}, {self.unchanged} {unchanged}, {len(self.failed)} failed, "
                 f"{self.warnings} warning{'s' if self.warnings != 1 else ''}"
                 + (f", {self.not_built} not built (--fail-fast)" if self.not_built else "")
                 + f" ({self.seconds:.1f} s)"]
        # by file name (each error begins with it), not in the order the workers happened to end
        lines += [f"  failed: {error}" for error in sorted(self.failed)]
        return "\n".join(lines) + "\n"


class _Display:
    """What the user sees while a batch runs: one progress bar on a terminal (n/N, the articles
    being built, ETA), otherwise one line per article; errors and warnings as they come."""

    def __init__(self, total: int, verbosity: int) -> None:
        self.total = total
        self.verbosity = verbosity
        self.done = 0
        self.current: dict[Path, str] = {}
        self.notes: set[str] = set()  # a note about the same thing in every article: said once
        self.bar = None
        self.swapped: list[tuple[logging.StreamHandler, object]] = []
        if verbosity >= 0 and total and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("building"), MofNCompleteColumn(), BarColumn(),
                                TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[now]}"),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("build", total=total, now="")
            before = sys.stderr
            self.bar.start()
            # log lines (warnings, errors) go above the bar rather than through it
            for handler in LOGGER.handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is before:
                    self.swapped.append((handler, handler.setStream(sys.stderr)))
        self.lines = verbosity >= 0 and not (self.bar is not None and sys.stdout.isatty())

    def started(self, job: Job) -> None:
        self.current[job.source] = job.source.stem
        self._refresh()

    def finished(self, outcome: Outcome) -> None:
        self.current.pop(outcome.job.source, None)
        self.done += 1
        prefix = f"{display_path(outcome.job.source)}: "
        for level, message in outcome.messages:
            if level == NOTE and message.startswith(prefix):  # said once for the batch
                if message[len(prefix):] in self.notes:
                    continue
                self.notes.add(message[len(prefix):])
            LOGGER.log(level, "%s", message)
        if outcome.status == "failed":
            print(f"error: {outcome.error}", file=sys.stderr, flush=True)
        elif self.lines:
            print(f"[{self.done}/{self.total}] {display_path(outcome.job.output)}: "
                  f"{pages(outcome.pages)} ({display_path(outcome.job.source)})", flush=True)
        self._refresh(advance=1)

    def _refresh(self, advance: int = 0) -> None:
        if self.bar is not None:
            names = ", ".join(self.current.values())
            self.bar.update(self.task, advance=advance, now=names if len(names) < 60 else names[:57] + "…")

    def close(self) -> None:
        for handler, stream in self.swapped:
            handler.setStream(stream)  # type: ignore[arg-type]
        if self.bar is not None:
            self.bar.stop()


def pages(count: int) -> str:
    """"1 page", "2 pages"."""
    return f"{count} page{'' if count == 1 else 's'}"


def say_missing_subsetter(verbosity: int) -> None:
    """Tell a person (a terminal, or -v), never the output a script or a test reads, that builds
    here are slower: WeasyPrint subsets fonts with fontTools. Once per command: a batch says it
    before its first build, an issue build (when no batch ran) before its articles."""
    from pressroom.layout import weasy

    if (verbosity > 0 or sys.stderr.isatty()) and not weasy.has_harfbuzz_subsetter():
        note("HarfBuzz's font subsetter (libharfbuzz-subset) is missing: fonts are subset by "
             "fontTools instead, and builds take about ×1.35 as long")


def _leftovers(outputs: Iterable[Path]) -> None:
    """Remove the temporary files of writes that a killed process left behind."""
    for output in outputs:
        for part in output.parent.glob(f".{output.name}.*.part"):
            part.unlink(missing_ok=True)
        folder = record.path_for(output).parent
        for part in folder.glob(f".{output.name}.json.*.part"):
            part.unlink(missing_ok=True)


def run(sources: list[Path], outputs: list[Path], project: Project, options: Options, *,
        jobs: int = 0, force: bool = False, fail_fast: bool = False, scheduler: str | None = None,
        verbosity: int = 0, html: Path | None = None) -> int:
    """Build every source into its output, skipping the ones whose build record says nothing
    that goes into the PDF changed (``force``: none skipped); print progress and a summary;
    return the exit code (1 when any article failed). ``html`` (one source): where to write the
    HTML its pages were laid out from (the article is built then, whatever its record says)."""
    started = time.perf_counter()
    hashes = record.Hashes()
    shared = record.shared_key(project, options, hashes)
    every = [Job(source.absolute(), output.absolute(), project, options, shared, verbosity,
                 html.absolute() if html is not None and len(sources) == 1 else None, here=Path.cwd())
             for source, output in zip(sources, outputs, strict=True)]
    summary = Summary()
    todo = []
    for job in every:
        kept = None if force or job.html else record.up_to_date(job, hashes)
        if kept is None:
            todo.append(job)
            continue
        count, said = kept
        summary.add(Outcome(job, "unchanged", count, said))
        for level, line in said:  # what its build warned of still holds: said again, as then
            LOGGER.log(level, "%s", line)
        if verbosity > 0 or (verbosity == 0 and len(every) == 1):  # one article: its line says it
            print(f"{display_path(job.output)}: unchanged, {pages(count)} ({display_path(job.source)})"
                  + (f"; {len(said)} warning{'s' if len(said) != 1 else ''} of its build, above"
                     if said else ""))
    if todo:  # the options checked once, for the batch, before any article is built
        from pressroom import build

        build.context(todo[0].source, project, layout=options.layout, variant=options.variant,
                      output_intent=options.output_intent)
    if todo and not scheduler:
        say_missing_subsetter(verbosity)
    display = _Display(len(todo), verbosity)
    outcomes: Iterator[Outcome] = iter(())
    try:
        if scheduler:
            outcomes = run_cluster(todo, scheduler, fail_fast=fail_fast)
        else:
            workers = min(jobs or default_jobs(), len(todo)) or 1
            outcomes = run_local(todo, workers, fail_fast=fail_fast, started=display.started)
        for outcome in outcomes:
            summary.add(outcome)
            display.finished(outcome)
    finally:
        if isinstance(outcomes, Generator):
            outcomes.close()  # stopped by a signal: the workers stop now, before what they left is swept
        display.close()
        _leftovers(job.output for job in todo)
    summary.seconds = time.perf_counter() - started
    summary.not_built = len(every) - summary.built - summary.unchanged - len(summary.failed)
    if verbosity >= 0 and len(every) > 1:  # one article: its line (or its error) says it all
        print(summary.render(), end="", file=sys.stderr, flush=True)
    return 1 if summary.failed else 0


def import_folder(folder: Path, into: Path, force: bool, verbosity: int,
                  import_one: Callable[[Path, Path], None]) -> int:
    """``import`` of every scraped file in ``folder`` into ``into``/<name>.md, going on past
    failures, with a batch's summary (an existing .md is kept unless ``force``); the exit code."""
    from pressroom.report import collect_warnings

    started = time.perf_counter()
    sources = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in
                     files.SCRAPED_SUFFIXES and not p.name.startswith((".", "_")))
    if not sources:
        raise ToolkitError("no scraped text (.txt) to import in this folder", folder)
    if into.exists() and not into.is_dir():
        raise ToolkitError("importing a folder needs -o DIR/ (a folder), not a file", into)
    summary = Summary()
    for source in sources:
        output = into / f"{source.stem}.md"
        if output.exists() and not force:
            summary.unchanged += 1
            if verbosity >= 0:
                print(f"{display_path(output)}: kept: it exists and may hold an editor's changes "
                      "(--force replaces it)")
            continue
        with collect_warnings(source) as warnings:
            try:
                import_one(source, output)
                summary.built += 1
            except ToolkitError as exc:
                summary.failed.append(str(exc))
                print(f"error: {exc}", file=sys.stderr, flush=True)
        summary.warnings += len(warnings)
    summary.seconds = time.perf_counter() - started
    if verbosity >= 0:
        print(summary.render("imported", "kept"), end="", file=sys.stderr, flush=True)
    return 1 if summary.failed else 0
