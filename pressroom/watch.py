"""Saved changes → the PDFs they go into, rebuilt by one warm process (make_pdf.py watch).

The process imports the toolkit, reads the fonts' tables and loads the fonts once; each change
rebuilds only the PDFs whose files changed (an article: its source, its photos, its scraped
original; an issue: its manifest and cover, and of its articles only those that changed, the
others' laid-out parts reused). A change under layouts/ or fonts/ rebuilds everything. A build
that fails says its one-line error and leaves the last good PDF as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from pressroom import batch, build, cli, files, issue, record, stopping
from pressroom.errors import ToolkitError, display_path
from pressroom.layout import foresight, images, typeset, weasy
from pressroom.limits import DEFAULT_LIMITS, Limits
from pressroom.pdf.glyphtext import GlyphTexts
from pressroom.project import Project
from pressroom.report import LOGGER, NOTE, listen
from pressroom.sources import manifest
from pressroom.stopping import Stopped

#: Milliseconds without a further change before a burst of changes (an editor's save) is built.
QUIET_MS = 50
#: Milliseconds the system's notifications are waited for at a time (the first wait ends when
#: the watch is on).
IDLE_MS = 300
#: An @font-face rule as written in a layout's stylesheet or template.
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
#: Names of files editors write beside the one they save, never a source, a photo or a layout's
#: (watchfiles' DefaultFilter already knows vim's .x.swp/.swx, x~ backups, emacs' .#x locks,
#: JetBrains' x___jb_tmp___): sed -i's sedXXXXXX, vim's 4913 (its test that the folder takes new
#: files; only that number: images/12345 may be a web photo's copy), emacs' #x# auto-saves, x.tmp,
#: and hidden files (ours among them: the .part of an output being written).
EDITORS_FILES = (r"^sed[0-9A-Za-z]{6}$", r"^4913$", r"^#.*#$", r"\.tmp$", r"^\.")
#: Options of a build that mean nothing to a watch.
NOT_WATCHED = (("scheduler", "--scheduler"), ("fail_fast", "--fail-fast"), ("force", "--force"),
               ("html", "--html"))


@dataclass(frozen=True)
class Options:
    """What every build of the watch is asked to do (a build's options)."""

    layout: str = build.DEFAULT_LAYOUT
    variant: str = build.DEFAULT_EDITION
    output_intent: Path | None = None
    strict: bool = False
    limits: Limits = DEFAULT_LIMITS


@dataclass(eq=False)
class Target:
    """One PDF the watch keeps up to date, and what its last build said."""

    source: Path
    output: Path
    inputs: set[Path] = field(default_factory=set)  # resolved: the files it was made from
    pages: int = 0
    warnings: tuple[str, ...] = ()
    error: str = ""  # the last build's error ("" when it built)
    builds: int = 0  # times its PDF was written by this watch
    seconds: float = 0.0
    laid_out: tuple[Path, ...] = ()  # an issue: the articles its last build laid out again
    reused: int = 0  # an issue: the articles whose parts its last build reused
    direction: str = "rtl"  # the article's or the issue's (how its spreads are bound)

    @property
    def is_issue(self) -> bool:
        return manifest.is_manifest(self.source)


class EditorsFiles(watchfiles.DefaultFilter):
    """watchfiles' DefaultFilter with EDITORS_FILES: False for a file no save of a source, a
    photo, a layout or a font is (its folders looked at from the watched folder it is in)."""

    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns, *EDITORS_FILES)


class PartCache:
    """An issue's laid-out articles, kept between rebuilds (issue.PartsLayout): only the
    articles that changed are laid out again, those laid out in this process with the watch's
    last figure placements (foresight.py), as an article on its own is."""

    def __init__(self, project: Project, placements: foresight.Placements | None = None,
                 glyph_texts: GlyphTexts | None = None) -> None:
        self.project = project
        self.placements = placements
        self.glyph_texts = glyph_texts  # what was read from the fonts (the watch's)
        self.parts: dict[tuple[Path, str, issue.Settings], tuple[issue.Part, frozenset[Path]]] = {}
        self.laid_out: list[Path] = []
        self.reused: list[Path] = []

    def __call__(self, sources: list[Path], settings: issue.Settings, jobs: int, side: str = "recto",
                 say: bool = True) -> list[issue.Part]:
        keys = [(source.resolve(), side, settings) for source in sources]
        missing = [source for source, key in zip(sources, keys, strict=True) if key not in self.parts]
        if missing:
            for part in issue.lay_out_parts(missing, settings, jobs, side, say, self.placements,
                                            self.glyph_texts):
                inputs = frozenset(p.resolve() for p in record.inputs_of(part.source, part.article,
                                                                        self.project))
                self.parts[(part.source.resolve(), side, settings)] = (part, inputs)
            self.laid_out += missing
        for source, key in zip(sources, keys, strict=True):
            if source in missing:
                continue
            self.reused.append(source)
            for message in self.parts[key][0].warnings if say else ():  # said again, for this build
                LOGGER.warning("%s", message, extra={"pressroom_named": True})
        return [self.parts[key][0] for key in keys]

    def inputs(self) -> set[Path]:
        return {path for _, inputs in self.parts.values() for path in inputs}

    def forget(self, changed: set[Path]) -> None:
        """Drop the parts made from a file that changed."""
        for key, (_, inputs) in list(self.parts.items()):
            if inputs & changed:
                del self.parts[key]

    def clear(self) -> None:
        self.parts.clear()


class Watcher:
    """The targets of one watch, built in this process, and what each change does to them."""

    def __init__(self, project: Project, source: Path | None, options: Options, *,
                 output: str | None = None, jobs: int = 0, verbosity: int = 0) -> None:
        self.project = project
        self.source = source
        self.options = options
        self.output = output
        self.jobs = jobs
        self.verbosity = verbosity
        self.glyph_texts = GlyphTexts()
        self.placements = foresight.Placements()
        self.parts = PartCache(project, self.placements, self.glyph_texts)
        self.shared: str | None = None  # the build records' batch-wide key (record.shared_key)
        self.targets: dict[Path, Target] = {}
        self.outputs: set[Path] = set()  # the targets' outputs, resolved (a change to one is ours)
        self.listeners: list[Callable[[Target], None]] = []  # told when a target's build ends
        self.starting: list[Callable[[Target], None]] = []  # told when it begins
        self.said: set[str] = set()  # notes said once
        self.stop_event = threading.Event()
        self.fonts = ExitStack()
        self.faces: frozenset[tuple[str, str]] | None = None  # under layouts/, as the fonts were loaded
        self.editors_files = EditorsFiles()
        # options checked once, before anything is built (an unknown layout is a usage error)
        build.context(project.content / "watch", project, layout=options.layout,
                      variant=options.variant, output_intent=options.output_intent)
        self._scan()

    # --- the targets -------------------------------------------------------------------------

    def _scan(self) -> list[Target]:
        """The targets: the SOURCE given, or every article and issue in content/ (again after
        files came or went there); returns those that are new."""
        if self.source is not None:
            sources = [self.source]
        elif self.project.content.is_dir():
            with listen(self._hear):
                sources = build.sources_in(self.project.content) + manifest.issues_in(self.project.content)
        else:
            raise ToolkitError("no content/ folder here and no SOURCE given", self.project.root)
        args = argparse.Namespace(variant=self.options.variant, output=self.output)
        outputs = cli._outputs(args, sources, self.project)
        cli._distinct(sources, outputs)
        # every output against every source, each path resolved once (files.check_outputs)
        files.check_outputs(outputs, self.project, [*sources, self.options.output_intent])
        known = {source.resolve() for source in sources}
        for key in [key for key in self.targets if key not in known]:
            gone = self.targets.pop(key)
            self._say(f"{_clock()} {display_path(gone.source)} is gone: no longer built "
                      f"({display_path(gone.output)} left as it was)")
        new = []
        for source, output in zip(sources, outputs, strict=True):
            if source.resolve() not in self.targets:
                target = Target(source, output, {source.resolve()})
                self.targets[source.resolve()] = target
                new.append(target)
        self.outputs = {target.output.resolve() for target in self.targets.values()}
        return new

    def roots(self) -> list[Path]:
        """The folders to watch: content/, images/, layouts/, fonts/, and the SOURCE's own."""
        folders = [self.project.content, self.project.images, self.project.layouts, self.project.fonts]
        if self.source is not None:
            folders.append(self.source.parent)
        found: list[Path] = []
        existing = {f.resolve() for f in folders if f.is_dir()}
        for folder in sorted(existing, key=lambda f: (len(f.parts), str(f))):
            if not any(other == folder or other in folder.parents for other in found):
                found.append(folder)  # a folder inside another is watched with it
        return found

    def _everything(self) -> tuple[Path, ...]:
        """Folders whose every change rebuilds everything."""
        return (self.project.layouts.resolve(), self.project.fonts.resolve())

    def matters(self, path: Path) -> bool:
        """Whether a changed file may go into a PDF: not an editor's temporary file, swap file or
        backup (EditorsFiles), not in a hidden folder, not an output or anything in the build
        folder."""
        where = Path(os.path.abspath(path))  # as named: an emacs lock .#x links to nothing
        inside = Path(path.name)
        for root in self.roots():
            if root in where.parents:
                inside = where.relative_to(root)
                if any(part.startswith(".") for part in inside.parts[:-1]):
                    return False
        if not self.editors_files(watchfiles.Change.modified, str(inside)):
            return False
        resolved = path.resolve()
        build_folder = self.project.build.resolve()
        if resolved == build_folder or build_folder in resolved.parents:
            return False
        return resolved not in self.outputs  # resolved at the scan: one look-up, whatever their number

    # --- building ----------------------------------------------------------------------------

    def start(self) -> None:
        """Build every target once (the watch's first builds)."""
        self.fonts.enter_context(typeset.warm_fonts())
        self.faces = self._faces()
        for target in list(self.targets.values()):
            self.rebuild(target, "")

    def close(self) -> None:
        self.fonts.close()

    def _faces(self) -> frozenset[tuple[str, str]] | None:
        """The @font-face rules written under layouts/ (the folder, the rule), None when one of
        its files cannot be read: the fonts' configurations, which keep every face they were
        given, are made again when these change."""
        found = set()
        try:
            for path in sorted(self.project.layouts.rglob("*")):
                if path.suffix.lower() in (".css", ".j2", ".html", ".htm") and path.is_file():
                    text = path.read_text(encoding="utf-8", errors="replace")
                    found.update((str(path.parent), " ".join(rule.split()))
                                 for rule in FONT_FACE.findall(text))
        except OSError:
            return None
        return frozenset(found)

    def handle(self, changed: Iterable[Path]) -> list[Target]:
        """Rebuild what the changed files go into; returns the targets rebuilt."""
        changed = {path.resolve() for path in changed if self.matters(path)}
        if not changed:
            return []
        everything = [p for p in changed if any(p == r or r in p.parents for r in self._everything())]
        if everything:  # the look changed: the parts are made again
            self.parts.clear()
            self.shared = None
            fonts = self.project.fonts.resolve()
            faces = self._faces()
            if any(p == fonts or fonts in p.parents for p in everything):
                # what was read from the fonts is kept by their bytes' digest: a layout's change
                # keeps it (kashida.py's outlines, the ToUnicode tables), a font's drops the old
                self.glyph_texts = self.parts.glyph_texts = GlyphTexts()
                self.faces = None
            if faces is None or faces != self.faces:  # a configuration keeps the faces it was given
                self.fonts.close()
                self.fonts.enter_context(typeset.warm_fonts())
            self.faces = faces
        else:
            self.parts.forget(changed)
        new: list[Target] = []
        content = self.project.content.resolve()
        in_content = [p for p in changed if content in p.parents]
        if self.source is None and in_content:
            try:
                new = self._scan()
            except ToolkitError as exc:  # two articles that would write one PDF…: said, and on
                self._say(f"{_clock()} error: {exc}", error=True)
        done = []
        for target in list(self.targets.values()):
            because = sorted(everything) or sorted(changed & target.inputs)
            if not because and target.error and target.is_issue:  # an article may have come
                because = sorted(in_content)
            if any(target is n for n in new) or because:
                self.rebuild(target, _names(because))
                done.append(target)
        return done

    def rebuild(self, target: Target, reason: str) -> None:
        """Build one target in this process and say what became of it in one line."""
        started = time.perf_counter()
        for listener in self.starting:
            listener(target)
        try:
            with listen(self._hear):
                if target.is_issue:
                    self._build_issue(target)
                else:
                    self._build_article(target)
            target.error = ""
            target.builds += 1
        except ToolkitError as exc:
            target.error = str(exc)
        except Exception as exc:  # a bug or a library's failure: one line, and the watch goes on
            message = (str(exc).splitlines() or [""])[0]
            target.error = f"{display_path(target.source)}: internal error: {type(exc).__name__}: {message}"
        target.seconds = time.perf_counter() - started
        self._report(target, reason)
        for listener in self.listeners:
            listener(target)

    def _build_article(self, target: Target) -> None:
        options = self.options
        try:
            done = build.build(target.source, target.output, project=self.project,
                               layout=options.layout, variant=options.variant,
                               output_intent=options.output_intent, strict=options.strict,
                               limits=options.limits, glyph_texts=self.glyph_texts,
                               placements=self.placements)
        except ToolkitError:
            target.inputs.add(target.source.resolve())
            raise
        target.inputs = {p.resolve() for p in record.inputs_of(target.source, done.article, self.project)}
        target.pages, target.warnings = done.pages, done.warnings
        target.direction = done.article.direction
        target.laid_out, target.reused = (), 0
        self._record(target, done)

    def _record(self, target: Target, done: build.Built) -> None:
        """The build record a batch writes beside the PDF it built (record.py), so that a later
        `make_pdf.py` with the same options skips what this watch built and nothing changed."""
        options = batch.Options(self.options.layout, self.options.variant, self.options.output_intent,
                                self.options.strict, self.options.limits,
                                os.environ.get("SOURCE_DATE_EPOCH"))
        if self.shared is None:  # the toolkit, the layout's files, the fonts, the options
            self.shared = record.shared_key(self.project, options, record.Hashes())
        record.write(batch.Job(target.source.absolute(), target.output.absolute(), self.project, options,
                               self.shared), done.article, done.pages)

    def _build_issue(self, target: Target) -> None:
        options = self.options
        settings = issue.Settings(self.project, options.layout, options.variant,
                                  options.output_intent, options.strict, options.limits)
        self.parts.laid_out, self.parts.reused = [], []
        try:
            done = issue.build_issue(target.source, target.output, settings=settings, jobs=self.jobs,
                                     lay_out=self.parts)
        except ToolkitError:
            target.inputs.add(target.source.resolve())
            raise
        inputs = {target.source.resolve()}
        cover = done.issue.cover
        if cover is not None:
            inputs |= {p.resolve() for p in images.candidates(cover.src, target.source, self.project)}
        sources = {entry.source.resolve() for entry in done.issue.articles}
        inputs |= sources
        for (source, _, _), (_, part_inputs) in self.parts.parts.items():
            if source in sources:
                inputs |= part_inputs
        target.inputs = inputs
        target.pages, target.warnings = done.pages, done.warnings
        target.direction = done.issue.direction
        target.laid_out = tuple(dict.fromkeys(self.parts.laid_out))
        target.reused = len(set(self.parts.reused) - set(self.parts.laid_out))

    def _hear(self, log: logging.LogRecord) -> bool:
        """While a target builds: warnings wait for its line, a note is said once, WeasyPrint's
        progress only with -v."""
        if log.name == weasy.PROGRESS_LOGGER_NAME:
            return self.verbosity > 0
        if log.levelno >= logging.WARNING:
            return False
        if log.levelno >= NOTE:
            message = log.getMessage()
            if message in self.said:
                return False
            self.said.add(message)
        return True

    # --- saying ------------------------------------------------------------------------------

    def _say(self, line: str, error: bool = False) -> None:
        if self.verbosity >= 0 or error:
            print(line, file=sys.stderr if error else sys.stdout, flush=True)

    def _report(self, target: Target, reason: str) -> None:
        output = display_path(target.output)
        seconds = f"{target.seconds:.2f} s"
        if target.error:
            because = f"{reason} changed; " if reason else ""
            self._say(f"{_clock()} error: {target.error} ({because}{output} left as it was; "
                      f"{seconds})", error=True)
            return
        what = "rebuilt" if reason else "built"
        because = f" ({reason} changed)" if reason else ""
        count = len(target.warnings)
        warned = f"{count} warning{'s' if count != 1 else ''}" if count else "no warnings"
        detail = f"{target.pages} page{'s' if target.pages != 1 else ''}"
        if target.is_issue:
            names = ", ".join(p.name for p in target.laid_out) or "none"
            detail += f"; laid out again: {names}; {target.reused} reused"
        self._say(f"{_clock()} {what} {output}{because}: {detail}; {warned}; {seconds}")
        if self.verbosity >= 0:
            for message in target.warnings:
                print(f"  warning: {message}", file=sys.stderr, flush=True)

    # --- the loop ----------------------------------------------------------------------------

    def changes(self) -> Iterator[set[Path]]:
        """Bursts of saved changes under the watched folders, and an empty set whenever a while
        passes without any: the first comes once the system's notifications are on (a change
        from then on is seen, also while a rebuild runs)."""
        def wanted(change: watchfiles.Change, path: str) -> bool:
            return self.matters(Path(path))

        for found in watchfiles.watch(*self.roots(), watch_filter=wanted, step=QUIET_MS,
                                      rust_timeout=IDLE_MS, yield_on_timeout=True,
                                      stop_event=self.stop_event, raise_interrupt=True):
            yield {Path(path) for _, path in found}

    def run(self, ready: Callable[[], None] = lambda: None) -> int:
        """Build everything, then rebuild on every change until a signal stops the watch
        (exit 128 + its number: 130 for Ctrl-C)."""
        try:
            for number, changed in enumerate(self.changes()):
                if number == 0:  # the notifications are on: what changes while it builds is seen
                    self.start()
                    self._say(f"watching {', '.join(display_path(r) for r in self.roots())} "
                              "(Ctrl-C stops)")
                    ready()
                elif changed:
                    self.handle(changed)
        except (KeyboardInterrupt, Stopped) as exc:
            signum = exc.signum if isinstance(exc, Stopped) else stopping.requested() or signal.SIGINT
            self._say(f"{_clock()} stopped watching", error=True)
            return 128 + signum
        finally:
            self.close()
        return 0


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _names(paths: list[Path], most: int = 2) -> str:
    shown = ", ".join(display_path(p) for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


# --- the command line --------------------------------------------------------------------------

def parser(command: str) -> argparse.ArgumentParser:
    """`watch` and `preview` take a build's options (and one SOURCE or none)."""
    found = cli._build_parser()
    found.prog = f"make_pdf.py {command}"
    found.usage = None
    found.description = (
        "Build SOURCE (an article or an issue manifest; none: every article and issue in "
        "content/), then rebuild what each saved change under content/, images/, layouts/ or "
        "fonts/ affects, in one warm process, until Ctrl-C."
        + (" Show the PDF's spreads on a page at http://127.0.0.1:PORT/ that refreshes itself."
           if command == "preview" else ""))
    if command == "preview":
        from pressroom import preview

        found.add_argument("--port", type=preview.port, default=preview.DEFAULT_PORT,
                           help="the port on 127.0.0.1 (default: %(default)s; 0: any free one)")
    found.set_defaults(command=command)
    return found


def watcher_for(args: argparse.Namespace) -> Watcher:
    if len(args.sources) > 1:
        raise ToolkitError(f"{args.command} takes one SOURCE (an article or an issue manifest), "
                           "or none for every article and issue in content/")
    for name, flag in NOT_WATCHED:
        if getattr(args, name):
            raise ToolkitError(f"{args.command} does not take {flag}")
    options = Options(args.layout, args.variant, args.output_intent, args.strict,
                      cli.build_limits(args))
    return Watcher(Project.find(), args.sources[0] if args.sources else None, options,
                   output=args.output, jobs=args.jobs, verbosity=args.verbosity)


def command(args: argparse.Namespace) -> int:
    """make_pdf.py watch / preview."""
    watcher = watcher_for(args)
    if args.command == "preview":
        from pressroom import preview

        return preview.serve(watcher, args.port)
    return watcher.run()
