"""Issue manifest (YAML) → Issue: the publication, its cover and its ordered articles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from pressroom.errors import ContentError
from pressroom.model import RTL_LANGUAGES, Figure, counter_style
from pressroom.pdf.metatext import clean, is_clean
from pressroom.project import Project, is_file, is_inside
from pressroom.report import warn

#: The manifest's keys, and the cover's; anything else is an error (a typo would lose content).
ISSUE_KEYS = ("publication", "issue", "date", "lang", "title", "start", "cover", "sections",
              "articles")
COVER_KEYS = ("image", "caption", "credit", "lines")
SECTION_KEYS = ("title", "articles")
LINE_KEYS = ("text", "article")
#: Where each article starts: on the next page, or on the next recto (a blank page put in).
STARTS = ("recto", "any")
MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class IssueArticle:
    """One article of the issue: its source and the section it belongs to."""

    source: Path
    section: str = ""
    line: int | None = None


@dataclass(frozen=True)
class CoverLine:
    """A line on the cover that sells an article (and links to it)."""

    text: str
    article: int | None = None  # index into Issue.articles
    line: int | None = None


@dataclass(frozen=True)
class Issue:
    """A whole magazine issue, as its manifest says."""

    path: Path
    publication: str
    number: str
    articles: tuple[IssueArticle, ...]
    date: dt.date | None = None
    lang: str = "ar"
    title: str = ""
    start: str = "recto"
    cover: Figure | None = None
    cover_lines: tuple[CoverLine, ...] = ()

    @property
    def direction(self) -> str:
        return "rtl" if self.lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    @property
    def counter_style(self) -> str:
        """The digits its folios are numbered in (model.counter_style)."""
        return counter_style(self.lang)

    @property
    def slug(self) -> str:
        """The output name: the manifest's stem, or its folder's name for an ``issue.yaml``."""
        return self.path.parent.name if self.path.stem == "issue" else self.path.stem


def is_manifest(path: Path) -> bool:
    """True for a source that is an issue manifest rather than an article."""
    return path.suffix.lower() in MANIFEST_SUFFIXES


def issues_in(content: Path) -> list[Path]:
    """The issue manifests of a project: content/issues/NAME.yaml and content/issues/NAME/issue.yaml."""
    folder = content / "issues"
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and is_manifest(p)
             and not p.name.startswith((".", "_"))]
    found += [p / "issue.yaml" for p in folder.iterdir() if is_file(p / "issue.yaml")]
    return sorted(found)


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


class _Reader:
    """Walks the composed YAML nodes so every error can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, message: str, node: yaml.Node | None = None) -> ContentError:
        return ContentError(message, self.path, _line(node))

    def mapping(self, node: yaml.Node, keys: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping of 'key: value' lines", node)
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in keys:
                raise self.fail(f"unknown key {key!r} in {what} (known: {', '.join(keys)})", key_node)
            if key in found:
                raise self.fail(f"key {key!r} given twice in {what}", key_node)
            found[key] = value_node
        return found

    def text(self, node: yaml.Node | None, key: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(f"'{key}' must be text", node)
        value = node.value.strip()
        if not is_clean(value):  # it reaches the cover, bookmarks, page labels, Info and XMP
            warn(f"control characters left out of '{key}'", self.path, _line(node))
            value = clean(value)
        return value

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"'{key}' must be a list", node)
        return list(node.value)


def load(path: Path, project: Project) -> Issue:
    """Read an issue manifest; every problem is a ContentError naming the manifest and line."""
    from pressroom.sources.content import read_text, yaml_problem  # with Markdown and WeasyPrint

    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, 1)
        raise ContentError(f"not valid YAML: {problem}", path, line) from None
    reader = _Reader(path)
    if root is None:
        raise ContentError("empty manifest", path)
    fields = reader.mapping(root, ISSUE_KEYS, "the manifest")
    publication = reader.text(fields.get("publication"), "publication")
    if not publication:
        raise reader.fail("the issue has no 'publication:' name", fields.get("publication", root))
    number = reader.text(fields.get("issue"), "issue")
    lang = reader.text(fields.get("lang"), "lang") or "ar"
    start = reader.text(fields.get("start"), "start") or "recto"
    if start not in STARTS:
        raise reader.fail(f"'start' must be one of {', '.join(STARTS)}, not {start!r}",
                          fields["start"])
    articles = _articles(reader, fields, project)
    cover, lines = _cover(reader, fields.get("cover"), articles, project)
    return Issue(path=path, publication=publication, number=number, articles=articles,
                 date=_date(reader, fields.get("date")), lang=lang,
                 title=reader.text(fields.get("title"), "title"), start=start, cover=cover,
                 cover_lines=lines)


def _date(reader: _Reader, node: yaml.Node | None) -> dt.date | None:
    value = reader.text(node, "date")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise reader.fail(f"'date' must be YYYY-MM-DD, not {value!r}", node) from None


def _articles(reader: _Reader, fields: dict[str, yaml.Node],
              project: Project) -> tuple[IssueArticle, ...]:
    if ("sections" in fields) == ("articles" in fields):
        raise reader.fail("give the articles either as 'articles:' or grouped in 'sections:', "
                          "one of the two", fields.get("sections"))
    groups: list[tuple[str, yaml.Node]] = []
    if "articles" in fields:
        groups.append(("", fields["articles"]))
    else:
        for section in reader.sequence(fields["sections"], "sections"):
            keys = reader.mapping(section, SECTION_KEYS, "a section")
            if "articles" not in keys:
                raise reader.fail("a section without 'articles:'", section)
            groups.append((reader.text(keys.get("title"), "title"), keys["articles"]))
    found: list[IssueArticle] = []
    seen: dict[Path, int] = {}
    for section, node in groups:
        for item in reader.sequence(node, "articles"):
            name = reader.text(item, "articles")
            if not name:
                raise reader.fail("an empty article entry", item)
            source = _source(reader, name, item, project)
            key = source.resolve()
            if key in seen:
                raise reader.fail(f"{name} is already in the issue (line {seen[key]})", item)
            seen[key] = _line(item) or 0
            found.append(IssueArticle(source, section, _line(item)))
    if not found:
        raise reader.fail("the issue lists no articles", fields.get("articles") or fields.get("sections"))
    return tuple(found)


def _source(reader: _Reader, name: str, node: yaml.Node, project: Project) -> Path:
    """An article named by the manifest: beside the manifest or in content/, never outside."""
    relative = Path(name)
    candidates = [reader.path.parent / relative, project.content / relative]
    roots = (project.content.resolve(), reader.path.resolve().parent)
    for candidate in candidates:
        if is_file(candidate):
            if not is_inside(candidate, roots):
                raise reader.fail(f"article {name} lies outside the project's content", node)
            if _is_hidden(candidate.resolve(), roots):
                raise reader.fail(f"article {name} is a hidden file: an issue's articles are "
                                  "visible files", node)
            if is_manifest(candidate):
                raise reader.fail(f"{name} is an issue manifest, not an article", node)
            return candidate
    raise reader.fail(f"article {name} not found (looked beside the manifest and in content/)", node)


def _is_hidden(resolved: Path, roots: tuple[Path, ...]) -> bool:
    """True when a name on the way from the root holding ``resolved`` to it starts with a dot
    (.secret.txt, .git/notes.md): hidden files are never an issue's articles."""
    inside = [resolved.relative_to(r) for r in roots if r == resolved or r in resolved.parents]
    return any(part.startswith(".") for part in min(inside, key=lambda p: len(p.parts)).parts)


def _cover(reader: _Reader, node: yaml.Node | None, articles: tuple[IssueArticle, ...],
           project: Project) -> tuple[Figure | None, tuple[CoverLine, ...]]:
    if node is None:
        return None, ()
    keys = reader.mapping(node, COVER_KEYS, "the cover")
    image = reader.text(keys.get("image"), "image")
    figure = Figure(image, reader.text(keys.get("caption"), "caption"),
                    reader.text(keys.get("credit"), "credit"), _line(keys.get("image"))) if image else None
    lines: list[CoverLine] = []
    stems = {a.source.stem: i for i, a in enumerate(articles)}
    for item in reader.sequence(keys["lines"], "lines") if "lines" in keys else []:
        if isinstance(item, yaml.ScalarNode):
            lines.append(CoverLine(reader.text(item, "lines"), None, _line(item)))
            continue
        line_keys = reader.mapping(item, LINE_KEYS, "a cover line")
        target = reader.text(line_keys.get("article"), "article")
        if target and Path(target).stem not in stems:
            raise reader.fail(f"cover line names {target!r}, which is not in the issue",
                              line_keys["article"])
        text = reader.text(line_keys.get("text"), "text")
        if not text:
            raise reader.fail("a cover line without 'text:'", item)
        lines.append(CoverLine(text, stems[Path(target).stem] if target else None, _line(item)))
    return figure, tuple(lines)

