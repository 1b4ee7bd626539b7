"""Command line → builds, imports and checks; every ToolkitError becomes one line and exit 1."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import glob
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

# Only what a batch with nothing to build needs is imported here (not WeasyPrint, pikepdf…):
# the rest where it is used.
from pressroom import __version__, batch, files, scaffold, scratch
from pressroom.errors import ContentError, OneLineParser, ToolkitError, display_path
from pressroom.limits import DEFAULT_LIMITS, MEGA, Limits, check_file
from pressroom.project import Project
from pressroom.report import NOTE, WEASY_LOGGER_NAME, WEASY_PROGRESS_LOGGER_NAME, progress, said_once, warn
from pressroom.sources import manifest
from pressroom.stopping import Stopped, stopped_by_signals

#: pressroom.pdf.editions' EDITIONS and DEFAULT_EDITION, named here without importing WeasyPrint
#: (tests/test_batch.py checks that they agree).
EDITIONS = ("archive", "print", "screen")
DEFAULT_EDITION = "print"

USAGE = """\
  make_pdf.py [SOURCE ...] [-o OUT] [--layout NAME] [--variant print|screen|archive]
              [--output-intent FILE.icc] [--strict] [--html FILE.html] [-q | -v]
              [--jobs N] [--force] [--fail-fast] [--scheduler tcp://HOST:8786]
              [--max-pages N] [--max-image-megapixels N] [--max-image-megabytes N]
              [--max-article-bytes N] [--max-paragraph-chars N] [--max-word-chars N]
              [--max-table-rows N] [--max-table-columns N] [--max-credit-chars N]
              [--max-figures N]
      SOURCE: an article (.md, scraped .txt) or an issue manifest (.yaml)
  make_pdf.py import SCRAPED.txt|FOLDER [-o content/NAME.md | -o DIR/] [--force]
              [--date YYYY-MM-DD] [--source-url URL] [--publication NAME] [--max-article-bytes N]
  make_pdf.py check FILE.pdf [--source SOURCE] [--max-pages N] [--max-stream-mb MB]
              [--max-seconds S]
  make_pdf.py proof FILE.pdf -o DIR [--dpi N]
  make_pdf.py watch [SOURCE] [build options]      rebuild what each saved change affects
  make_pdf.py preview [SOURCE] [--port N] [build options]   the same, shown in the browser"""


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


class _Progress(logging.Handler):
    """WeasyPrint's progress (pages laid out, PDF written), shown once a build takes a while."""

    PATIENCE = 3.0  # seconds before a default-verbosity build starts showing progress

    def __init__(self, verbosity: int) -> None:
        super().__init__(level=logging.INFO)
        self.verbosity = verbosity
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        if self.verbosity < 0:
            return
        if self.verbosity == 0 and time.monotonic() - self.started < self.PATIENCE:
            return
        step = progress(record)
        if step and step[0] == "page" and (self.verbosity > 0 or step[1] % 10 == 0):
            print(f"progress: {step[1]} pages laid out", file=sys.stderr, flush=True)
        elif step and step[0] == "pdf":
            print("progress: writing the PDF", file=sys.stderr, flush=True)


@contextmanager
def _logging_to_stderr(verbosity: int) -> Iterator[None]:
    """Print pressroom's and WeasyPrint's messages on stderr while a command runs (-q/-v)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    handler.setLevel({-1: logging.ERROR, 0: NOTE}.get(verbosity, logging.INFO))
    saved = []
    # pypdf reports damage it repairs by itself; a damaged file becomes our own one-line error.
    for name, level in (("pressroom", logging.INFO), (WEASY_LOGGER_NAME, logging.WARNING),
                        ("pypdf", logging.CRITICAL)):
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    progress_logger = logging.getLogger(WEASY_PROGRESS_LOGGER_NAME)
    progress = _Progress(verbosity)
    saved.append((progress_logger, progress_logger.level, progress_logger.propagate))
    progress_logger.addHandler(progress)
    progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False
    try:
        yield
    finally:
        progress_logger.removeHandler(progress)
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_const", const=-1, dest="verbosity",
                        default=0, help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_const", const=1, dest="verbosity",
                        help="also print what each stage decided")


def _positive(kind: type) -> Callable[[str], int | float]:
    """An argparse type: a number of ``kind`` above zero."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"expected a number above zero, not {text!r}")
        return value

    return parse


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number, not {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("--jobs takes 1 or more")
    return jobs


def _article_bytes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-article-bytes", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.article_bytes,
                        help="refuse a larger source file (default: %(default)s bytes)")


def _build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="make_pdf.py", usage=USAGE,
        description="Build magazine PDFs from articles (Markdown with front matter, or scraped "
                    "text). With no SOURCE, every article in content/ becomes build/<slug>.pdf.")
    parser.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                        help="article .md or scraped .txt, or an issue manifest .yaml")
    parser.add_argument("-o", "--output",
                        help="OUT.pdf for one source, or a folder (ending in /) for several")
    parser.add_argument("--layout", default=files.DEFAULT_LAYOUT,
                        help="a folder under layouts/ (default: %(default)s)")
    parser.add_argument("--variant", default=DEFAULT_EDITION, choices=EDITIONS,
                        help="print (PDF/X-4, bleed and crop marks; the default), screen (RGB, "
                             "light, tagged) or archive (PDF/A-3u with the source attached)")
    parser.add_argument("--output-intent", type=Path, metavar="FILE.icc",
                        help="the printer's CMYK profile for the print edition (default: FOGRA39)")
    parser.add_argument("--strict", action="store_true", help="treat every warning as an error")
    parser.add_argument("--html", type=Path, metavar="FILE.html",
                        help="also write the HTML the (one) article's pages were laid out from, "
                             "figures placed, to open in a browser (stylesheets, fonts and photos "
                             "by relative path); for an issue, a folder: front.html and one file "
                             "per article")
    parser.add_argument("--max-pages", type=_positive(int), metavar="N", default=DEFAULT_LIMITS.pages,
                        help="refuse an article that lays out to more pages (default: %(default)s)")
    parser.add_argument("--max-image-megapixels", type=_positive(float), metavar="N",
                        default=DEFAULT_LIMITS.image_pixels / MEGA,
                        help="refuse a photo with more pixels (default: %(default)g million)")
    parser.add_argument("--max-image-megabytes", type=_positive(float), metavar="N",
                        default=DEFAULT_LIMITS.image_bytes / MEGA,
                        help="refuse a photo's file if larger (default: %(default)g MB)")
    parser.add_argument("--jobs", type=_jobs, default=0, metavar="N",
                        help="worker processes that build articles, or lay out an issue's "
                             "articles (default: every core)")
    parser.add_argument("--force", action="store_true",
                        help="build every source, even those whose build record says unchanged")
    parser.add_argument("--fail-fast", action="store_true",
                        help="stop at the first article that fails (default: build the rest)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:8786",
                        help="build on this Dask distributed cluster (pip install 'pressroom[cluster]')")
    _article_bytes_option(parser)
    parser.add_argument("--max-paragraph-chars", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.paragraph_chars,
                        help="refuse a longer paragraph, title, deck or caption (default: "
                             "%(default)s characters)")
    parser.add_argument("--max-word-chars", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.word_chars,
                        help="refuse a longer word (default: %(default)s characters)")
    parser.add_argument("--max-table-rows", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.table_rows,
                        help="refuse a table of more rows (default: %(default)s)")
    parser.add_argument("--max-table-columns", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.table_columns,
                        help="refuse a table of more columns (default: %(default)s)")
    parser.add_argument("--max-credit-chars", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.credit_chars,
                        help="refuse a longer photo credit (default: %(default)s characters)")
    parser.add_argument("--max-figures", type=_positive(int), metavar="N",
                        default=DEFAULT_LIMITS.figures,
                        help="refuse an article of more photos (default: %(default)s)")
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    _common(parser)
    return parser


def _import_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="make_pdf.py import",
        description="Turn a scraped article into an editable Markdown article with front matter.")
    parser.add_argument("source", type=Path, metavar="SCRAPED.txt",
                        help="a scraped file, or a folder: each .txt in it")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write (default: content/<name>.md; for a folder, a folder)")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing Markdown file (it may hold an editor's changes)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="publication date for the archive (default: the file's date line)")
    parser.add_argument("--source-url", metavar="URL",
                        help="where the article was published (default: the file's URL line)")
    parser.add_argument("--publication", metavar="NAME",
                        help="the publication's name (default: the file's 'المصدر:'/'Source:' line)")
    _article_bytes_option(parser)
    _common(parser)
    return parser


def _new_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="make_pdf.py new",
        description="Make DIR a publication: content/ with a sample article, images/, and a copy "
                    "of the layouts to restyle (the fonts stay the package's until DIR has a "
                    "fonts/ folder of its own).")
    parser.add_argument("folder", type=Path, metavar="DIR")
    _common(parser)
    return parser


def _run_new(args: argparse.Namespace) -> int:
    made = scaffold.new(args.folder)
    if args.verbosity >= 0:
        print(f"{display_path(args.folder)}: a new publication "
              f"({', '.join(p.name + '/' for p in made)}); build it with `pressroom` inside it")
    return 0


def _check_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="make_pdf.py check",
        description="Report what PDF readers get out of FILE.pdf: words in reading order, numbers "
                    "in place, words a search finds and named defects, per reader (pdfium, pypdf, "
                    "poppler's pdftotext when installed, pdf.js where Node and bench/pdfjs's "
                    "pdfjs-dist are; a reader skipped is one line saying why); with -v, each "
                    "word out of order, each "
                    "number out of place and each word a search misses. Exits 1 when a reader "
                    "misses its goal or a defect changes words.")
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf")
    parser.add_argument("--source", type=Path, help="the article the PDF was built from (.md or "
                        ".txt), or the issue manifest (.yaml): each article against its own pages")
    from pressroom.check.pdfread import DEFAULT_LIMITS as limits  # pypdf is only needed by check

    parser.add_argument("--max-pages", type=_positive(int), default=limits.pages, metavar="N",
                        help="read at most the first N pages (default: %(default)s)")
    parser.add_argument("--max-stream-mb", type=_positive(int), default=limits.stream_mb, metavar="MB",
                        help="refuse a stream (page contents, fonts…) that inflates past MB "
                             "megabytes (default: %(default)s)")
    parser.add_argument("--max-seconds", type=_positive(float), default=limits.seconds, metavar="S",
                        help="stop reading after S seconds (default: %(default)g)")
    _common(parser)
    return parser


def _positive(kind: type) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
        return value
    return parse


def _run_check(args: argparse.Namespace) -> int:
    from pressroom import build, issue
    from pressroom.check import fidelity  # pypdf and pdfium are only needed here
    from pressroom.check.pdfread import Limits

    limits = Limits(args.max_pages, args.max_stream_mb, args.max_seconds)
    if args.source is not None and manifest.is_manifest(args.source):
        reports = fidelity.check_parts(args.pdf, issue.article_pages(
            args.pdf, manifest.load(args.source, Project.find())), limits)
    else:
        source = build.load(args.source) if args.source else None
        reports = [fidelity.check(args.pdf, source, limits)]
    ok = all(report.ok for report in reports)
    for report in reports:
        if args.verbosity >= 0 or not report.ok:
            print(report.render(verbose=args.verbosity > 0), end="")
    return 0 if ok else 1


def _outputs(args: argparse.Namespace, sources: list[Path], project: Project) -> list[Path]:
    suffix = "" if args.variant == DEFAULT_EDITION else f"-{args.variant}"
    if args.output is None:
        return [project.build / f"{_stem(s)}{suffix}.pdf" for s in sources]
    out = Path(args.output)
    as_folder = args.output.endswith(("/", "\\")) or out.is_dir()
    if len(sources) > 1 and not as_folder:
        raise ToolkitError("several sources need -o DIR/ (a folder), not a file", out)
    return [out / f"{_stem(s)}{suffix}.pdf" for s in sources] if as_folder else [out]


def _stem(source: Path) -> str:
    """An output's name: the source's stem (an ``issue.yaml``: its folder's name)."""
    return source.parent.name if manifest.is_manifest(source) and source.stem == "issue" else source.stem


def _distinct(sources: list[Path], outputs: list[Path]) -> None:
    """Refuse two sources that would write the same PDF (the second would clobber the first)."""
    seen: dict[Path, Path] = {}
    for source, output in zip(sources, outputs, strict=True):
        key = output.resolve()
        if key in seen:
            raise ToolkitError(f"{display_path(seen[key])} and {display_path(source)} would both "
                               f"write {display_path(output)}: build them to different places",
                               source)
        seen[key] = source


def build_limits(args: argparse.Namespace) -> Limits:
    """The limits a build's --max-… options set."""
    return Limits(pages=args.max_pages, image_pixels=round(args.max_image_megapixels * MEGA),
                  image_bytes=round(args.max_image_megabytes * MEGA),
                  article_bytes=args.max_article_bytes, paragraph_chars=args.max_paragraph_chars,
                  word_chars=args.max_word_chars, table_rows=args.max_table_rows,
                  table_columns=args.max_table_columns, credit_chars=args.max_credit_chars,
                  figures=args.max_figures)


#: The commands ``make_pdf.py`` takes before its options (none: build).
COMMANDS = ("import", "check", "proof", "new", "watch", "preview")
#: What a SOURCE can be: an article (Markdown, scraped text) or an issue manifest.
SOURCE_SUFFIXES = (".md", ".markdown", ".txt", ".yaml", ".yml")


def _not_a_command(sources: list[Path], project: Project) -> None:
    """Refuse, before anything is built, a SOURCE that names no file, has no suffix and sits in
    no folder: a command mistyped ("build", "chek"), put after an option ("-v check x.pdf"), or
    an article named without its .md. Otherwise the other sources were built, or -o refused
    ("several sources need -o DIR/"), with no word about it."""
    for source in sources:
        if source.suffix or source.is_file() or len(source.parts) > 1:
            continue
        name = source.name.lower()
        named = sorted(path for path in project.content.glob(f"{glob.escape(source.name)}.*")
                       if path.suffix.lower() in SOURCE_SUFFIXES) if project.content.is_dir() else []
        if name in COMMANDS:
            hint = f"the command comes first, before any option: make_pdf.py {name} …"
        elif name in ("build", "make", "pdf", "render"):
            hint = "make_pdf.py SOURCE builds it (no command needed)"
        elif named:
            hint = f"did you mean {display_path(named[0])}?"
        else:
            near = difflib.get_close_matches(name, COMMANDS, n=1, cutoff=0.75)
            hint = f"did you mean make_pdf.py {near[0]}?" if near else f"commands: {', '.join(COMMANDS)}"
        raise ToolkitError(f"no such file, and not a command: {hint}", source)


def _run_build(args: argparse.Namespace) -> int:
    project = Project.find()
    sources = list(args.sources)
    _not_a_command(sources, project)
    if not sources:
        if not project.content.is_dir():
            raise ContentError("no content/ folder here and no SOURCE given", project.root)
        sources = files.sources_in(project.content) + manifest.issues_in(project.content)
        if not sources:
            raise ContentError("no article (.md or .txt) or issue to build", project.content)
    outputs = _outputs(args, sources, project)
    _distinct(sources, outputs)
    limits = build_limits(args)
    # before anything is built: no source of the run is ever replaced
    files.check_outputs(outputs, project, [*sources, args.output_intent])
    if args.html is not None:
        from pressroom.layout import htmlout

        if len(sources) != 1:
            raise ToolkitError("--html writes the HTML of one article or issue: give one SOURCE",
                               args.html)
        htmlout.check_target(args.html, project, [sources[0], args.output_intent],
                             folder=manifest.is_manifest(sources[0]))
    articles = [(s, o) for s, o in zip(sources, outputs, strict=True) if not manifest.is_manifest(s)]
    code = 0
    if articles:
        options = batch.Options(args.layout, args.variant, args.output_intent, args.strict, limits,
                                os.environ.get("SOURCE_DATE_EPOCH"))
        with said_once(project.layouts):  # a layout's mistake, not each article's
            code = batch.run([s for s, _ in articles], [o for _, o in articles], project, options,
                             jobs=args.jobs, force=args.force, fail_fast=args.fail_fast,
                             scheduler=args.scheduler, verbosity=args.verbosity, html=args.html)
    issues = [(s, o) for s, o in zip(sources, outputs, strict=True) if manifest.is_manifest(s)]
    if issues and not articles:
        batch.say_missing_subsetter(args.verbosity)
    for source, output in issues:
        from pressroom import issue

        settings = issue.Settings(project, args.layout, args.variant, args.output_intent,
                                  args.strict, limits)
        pages = issue.build_issue(source, output, settings=settings, jobs=args.jobs,
                                  html_folder=args.html).pages
        if args.verbosity >= 0:
            print(f"{display_path(output)}: {batch.pages(pages)} ({display_path(source)})")
    return code


def _metadata_options(args: argparse.Namespace) -> dict[str, object]:
    """The archive metadata given on the command line (it wins over the file's lines)."""
    given: dict[str, object] = {}
    if args.date is not None:
        try:
            given["date"] = dt.date.fromisoformat(args.date.strip())
        except ValueError:
            raise ToolkitError(f"--date must be YYYY-MM-DD, not {args.date!r}") from None
    if args.source_url is not None:
        address = urlsplit(args.source_url.strip())
        if address.scheme not in ("http", "https") or not address.netloc or " " in address.geturl():
            raise ToolkitError(f"--source-url must be an http(s):// address, not {args.source_url!r}")
        given["source"] = args.source_url.strip()
    if args.publication is not None:
        if not args.publication.strip():
            raise ToolkitError("--publication must not be empty")
        given["publication"] = args.publication.strip()
    return given


def _run_import(args: argparse.Namespace) -> int:
    given = _metadata_options(args)
    project = Project.find()
    if args.source.is_dir():
        def import_one(source: Path, output: Path) -> None:
            files.check_output(output, project, [source], pdf=False)
            _import(args, given, project, source, output)

        return batch.import_folder(args.source, args.output or project.content, args.force,
                                   args.verbosity, import_one)
    output = args.output or project.content / f"{args.source.stem}.md"
    files.check_output(output, project, [args.source], pdf=False)
    if output.exists() and not args.force:
        raise ToolkitError("exists, and may hold an editor's changes: use --force to replace it",
                           output)
    _import(args, given, project, args.source, output)
    return 0


def _import(args: argparse.Namespace, given: dict[str, object], project: Project, scraped: Path,
            output: Path) -> None:
    """Import one scraped file into ``output`` and say what was decided."""
    from pressroom.build import write_atomically
    from pressroom.layout import images
    from pressroom.sources import importer
    from pressroom.sources.content import read_text

    check_file(scraped, Limits(article_bytes=args.max_article_bytes))
    article, decisions = importer.parse(read_text(scraped), scraped)
    from_file = {d.kind: d for d in decisions if d.kind in given and not d.unsure.endswith("ignored")}
    article = dataclasses.replace(article, **given)  # type: ignore[arg-type]
    local = {f.src: f"images/{copy.name}" for f in article.photos
             if (copy := images.local_copy(f.src, project)) is not None}
    original = _keep_original(scraped, output, project)
    if original:
        article = dataclasses.replace(article, original=original)
    if not article.has_body:
        warn(importer.NO_BODY, scraped)
    write_atomically(output, importer.to_markdown(article, local).encode("utf-8"))
    if args.verbosity >= 0:
        source = display_path(scraped)
        for decision in decisions:
            if decision.kind != "paragraph" or decision.unsure:
                print(f"{source}:{decision.line}: {importer.describe(decision)}")
        for key, value in given.items():
            option = "--source-url" if key == "source" else f"--{key}"
            said = from_file.get(key)
            instead = f", instead of line {said.line}'s {said.text}" if said else ""
            print(f"{source}: {key}: {value} (from {option}{instead})")
        missing = importer.missing_metadata(article)
        if missing:
            options = ", ".join("--source-url" if k == "source" else f"--{k}" for k in missing)
            hint = importer.metadata_hint(article)
            print(f"{source}: metadata: no {', '.join(missing)} in the file  (unsure: give {options}"
                  + (f"; {hint}" if hint else "") + ")")
        paragraphs = sum(type(b).__name__ == "Paragraph" for b in article.blocks)
        lists = sum(type(b).__name__ == "List" for b in article.blocks)
        print(f"{display_path(output)}: written from {source} "
              f"({article.lang}, {paragraphs} paragraphs, " + (f"{lists} lists, " if lists else "")
              + f"{len(article.figures)} figures)")


def _keep_original(source: Path, output: Path, project: Project) -> str:
    """Copy the scraped text beside an article written into content/ (the archive edition
    attaches it); return its path as the article names it, or '' when it stays where it is."""
    from pressroom.build import write_atomically

    content = project.content.resolve()
    target_dir = output.resolve().parent
    if target_dir != content and content not in target_dir.parents:
        return ""
    originals = target_dir / "originals"
    kept = originals / source.name
    if source.resolve() != kept.resolve():
        originals.mkdir(exist_ok=True)
        write_atomically(kept, source.read_bytes())
    return f"originals/{source.name}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 error, 2 usage error, 128 + the signal's
    number when SIGINT, SIGTERM or SIGHUP stopped it: 130, 143, 129)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "import":
        args = _import_parser().parse_args(argv[1:])
        runner = _run_import
    elif argv and argv[0] == "check":
        args = _check_parser().parse_args(argv[1:])
        runner = _run_check
    elif argv and argv[0] == "proof":
        from pressroom import proof  # pdfium and Pillow's drawing only for proofs

        args = proof.parser().parse_args(argv[1:])
        runner = proof.run
    elif argv and argv[0] == "new":
        args = _new_parser().parse_args(argv[1:])
        runner = _run_new
    elif argv and argv[0] in ("watch", "preview"):
        from pressroom import watch  # the watcher and the preview server, only when asked for

        args = watch.parser(argv[0]).parse_args(argv[1:])
        runner = watch.command
    else:
        args = _build_parser().parse_args(argv)
        runner = _run_build
    try:
        with stopped_by_signals(), scratch.removing_made_folders(), _logging_to_stderr(args.verbosity):
            return runner(args)
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except Stopped as exc:
        print("error: interrupted" if exc.name == "SIGINT" else f"error: stopped by {exc.name}",
              file=sys.stderr)
        return 128 + exc.signum


if __name__ == "__main__":
    sys.exit(main())
