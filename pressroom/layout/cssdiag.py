"""WeasyPrint's CSS warnings ("at 42:14") and font families → the layout file:line to fix.

WeasyPrint says where a stylesheet went wrong as ``LINE:COL`` of the stylesheet it was parsing,
without naming it, and a value that came through ``var()`` is reported where the ``var()`` is
used, not where the token is written. Here the layout's stylesheets (those the HTML links, their
``@import``s and its ``<style>``) are parsed again with tinycss2, so that each warning names the
file and line to edit: for a ``var()`` substitution, the token's declaration.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from fontTools.ttLib import TTCollection, TTFont

from pressroom.errors import display_path
from pressroom.layout import weasy
from pressroom.report import listen, said_once, warn  # noqa: F401 (said_once: issue.py)

_LINK = re.compile(r"<link\b[^>]*>", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_STYLESHEET = re.compile(r"""\brel\s*=\s*["']?[^"'>]*\bstylesheet\b""", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)
#: "Ignored `name: value` at 3:5, reason." — WeasyPrint's message for a declaration it dropped.
_IGNORED = re.compile(r"^Ignored `([^:`]+):\s*(.*?)` at \d+:\d+, (.*?)\.?$", re.S)
#: The generic families of CSS: in no @font-face, so Pango picks whatever it has for them.
GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui",
                              "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded", "math",
                              "emoji", "fangsong"})


@dataclass(frozen=True)
class Declaration:
    """One declaration of a stylesheet: where its name and each of its value's tokens stand."""

    path: Path
    line: int  # 1-based, in ``path``
    name: str
    value: str
    positions: frozenset[tuple[int, int]]  # (line, column) of every token of the value, as parsed
    first: tuple[int, int]  # the value's first token
    references: tuple[str, ...]  # the custom properties var() names in the value, in order
    start: tuple[int, int]  # the declaration's name, as parsed

    def where(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


@dataclass
class Sheet:
    """A stylesheet of the layout: its file, the line its text starts on there, its declarations."""

    path: Path
    url: str  # as WeasyPrint names it (a file: URL), or "" for a <style> of the page
    offset: int = 0  # lines before the text in ``path`` (a <style> inside a template)
    declarations: list[Declaration] = field(default_factory=list)
    faces: list[tuple[str, str]] = field(default_factory=list)  # (family, src) of each @font-face


def _tokens(nodes) -> Iterator:
    for node in nodes:
        yield node
        content = getattr(node, "arguments", None) or getattr(node, "content", None)
        if isinstance(content, list):
            yield from _tokens(content)


def _references(nodes) -> tuple[str, ...]:
    found = []
    for node in _tokens(nodes):
        if node.type == "function" and node.lower_name == "var":
            names = [t for t in node.arguments if t.type == "ident"]
            if names and names[0].value.startswith("--"):
                found.append(names[0].value)
    return tuple(found)


def _declarations(sheet: Sheet, nodes, parse) -> None:
    for node in parse(nodes):
        if node.type == "declaration":
            value = [t for t in node.value if t.type not in ("whitespace", "comment")]
            positions = frozenset((t.source_line, t.source_column) for t in _tokens(value))
            first = (value[0].source_line, value[0].source_column) if value else (node.source_line, 0)
            sheet.declarations.append(Declaration(
                sheet.path, node.source_line + sheet.offset, node.name if node.name.startswith("--")
                else node.lower_name, tinycss2.serialize(node.value).strip(), positions, first,
                _references(value), (node.source_line, node.source_column)))
        elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
            _rule(sheet, node)


def _rule(sheet: Sheet, rule) -> None:
    if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
        before = len(sheet.declarations)
        _declarations(sheet, rule.content, tinycss2.parse_blocks_contents)
        face = {d.name: d.value for d in sheet.declarations[before:]}
        if "font-family" in face:
            sheet.faces.append((_family_names(face["font-family"])[0][0] if _family_names(
                face["font-family"]) else "", face.get("src", "")))
        del sheet.declarations[before:]  # a face's descriptors are not properties
        return
    if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer"):
        for inner in tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True):
            if inner.type != "error":
                _rule(sheet, inner)
        return
    _declarations(sheet, rule.content, tinycss2.parse_blocks_contents)


def _parse(sheet: Sheet, text: str, layouts: Path, seen: set[Path], out: list[Sheet]) -> None:
    out.append(sheet)
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = next((t for t in rule.prelude if t.type in ("string", "url")), None)
            if target is None and any(t.type == "function" and t.lower_name == "url" for t in rule.prelude):
                function = next(t for t in rule.prelude if t.type == "function")
                target = next((t for t in function.arguments if t.type == "string"), None)
            if target is not None:
                _load(sheet.path.parent / unquote(target.value), layouts, seen, out)
        elif rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
            _rule(sheet, rule)


def _load(path: Path, layouts: Path, seen: set[Path], out: list[Sheet]) -> None:
    resolved = path.resolve()
    if resolved in seen or not path.is_file():
        return
    inside = layouts.resolve()
    if resolved != inside and inside not in resolved.parents:
        return  # the layouts' own files only (the fetcher refuses the rest anyway)
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    _parse(Sheet(path, resolved.as_uri()), text, layouts, seen, out)


@dataclass
class Stylesheets:
    """The stylesheets a page of the layout's HTML uses, in the order WeasyPrint reads them."""

    folder: Path
    sheets: list[Sheet]

    def declarations(self) -> Iterator[Declaration]:
        for sheet in self.sheets:
            yield from sheet.declarations

    def token(self, name: str) -> Declaration | None:
        """The last declaration of a custom property (the one that wins on :root)."""
        found = [d for d in self.declarations() if d.name == name]
        return found[-1] if found else None

    def faces(self) -> set[str]:
        """The @font-face families whose files the layout takes from fonts/ (pressroom://fonts/…)."""
        return {family for sheet in self.sheets for family, src in sheet.faces
                if "pressroom://fonts/" in src or "fonts/" in src}


def _stamp(folder: Path) -> tuple:
    """What the layouts' files are now (names, sizes, times): a parse is reused until it changes."""
    found = []
    for path in sorted(folder.parent.rglob("*")):
        if path.suffix in (".css", ".j2"):
            try:
                status = path.stat()
            except OSError:
                continue
            found.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(found)


def stylesheets(html: str, folder: Path, template: Path | None = None) -> Stylesheets:
    """Parse the stylesheets ``html`` (rendered from a template of ``folder``) links, following
    their ``@import``s inside the layouts folder, and its ``<style>`` elements (said of
    ``template``, at the line they are written on there). A build lays out several times: the
    same head over the same files is parsed once."""
    head = html[:html.find("</head>")] if "</head>" in html else html
    return _stylesheets(head, folder, template, _stamp(folder))


@lru_cache(maxsize=16)
def _stylesheets(html: str, folder: Path, template: Path | None, stamp: tuple) -> Stylesheets:
    layouts = folder.parent
    out: list[Sheet] = []
    seen: set[Path] = set()
    for tag in _LINK.findall(html):
        href = _HREF.search(tag)
        if not _STYLESHEET.search(tag) or href is None:
            continue
        target = next(g for g in href.groups() if g is not None)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue
        _load(folder / unquote(parts.path), layouts, seen, out)
    for match in _STYLE.finditer(html):
        path, written = _template_of(match.group(1), folder, template)
        start = written.find("<style")
        offset = written.count("\n", 0, start) if start >= 0 else 0
        _parse(Sheet(path, "", offset), match.group(1), layouts, seen, out)
    return Stylesheets(folder, out)


def _template_of(style: str, folder: Path, template: Path | None) -> tuple[Path, str]:
    """The template a ``<style>`` was written in (``template``, else the layout's template whose
    text holds the style's first words) and that template's text."""
    start = style.strip()[:20]
    for path in [template] if template else sorted(folder.glob("*.j2")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if template or (start and start in text):
            return path, text
    return folder, ""


# --- turning WeasyPrint's warnings into ones that name the file -----------------------------------

def _sheet_for(diag: Stylesheets, url: str | None) -> list[Sheet]:
    if url is None:
        return diag.sheets
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path)).resolve()
        named = [s for s in diag.sheets if s.url and Path(unquote(urlsplit(s.url).path)) == path]
        if named:
            return named
    return [s for s in diag.sheets if not s.url]  # the page's own <style>, or an edition's CSS


def _token_chain(diag: Stylesheets, name: str) -> Declaration | None:
    """The declaration a token's value is written in, following tokens made of one other token."""
    seen = set()
    token = diag.token(name)
    while token is not None and len(token.references) == 1 and token.name not in seen:
        seen.add(token.name)
        deeper = diag.token(token.references[0])
        if deeper is None:
            break
        token = deeper
    return token


def _valid(name: str, value: str) -> bool:
    """Whether WeasyPrint accepts ``name: value`` (parsed alone; its warning kept to ourselves)."""
    refused: list[str] = []

    def hear(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            refused.append(record.getMessage())
            return False
        return True

    with listen(hear):
        weasy.CSS(string=f"x {{ {name}: {value} }}")
    return not refused


def describe(diag: Stylesheets, message: str, position: tuple[int, int], url: str | None
             ) -> tuple[str | None, str]:
    """Where WeasyPrint's ``message`` about ``position`` is to be fixed ("file:line", None when
    it cannot be told), and what to say there."""
    found, text = _declaration_at(diag, message, position, url)
    if found is not None:
        return found.where(), text
    sheets = [s for s in _sheet_for(diag, url) if s.url] if url else []
    if len(sheets) == 1:  # a rule, not a declaration, of the sheet WeasyPrint was parsing
        return f"{display_path(sheets[0].path)}:{position[0] + sheets[0].offset}", text
    return None, text


def _declaration_at(diag: Stylesheets, message: str, position: tuple[int, int], url: str | None
                    ) -> tuple[Declaration | None, str]:
    ignored = _IGNORED.match(message)
    name, value, reason = ignored.groups() if ignored else ("", "", "")
    sheets = _sheet_for(diag, url)
    candidates = [d for s in sheets for d in s.declarations
                  if position == d.start or position in d.positions]
    if name:
        candidates = [d for d in candidates if d.name == name.strip().lower()] or candidates
    used = candidates[0] if candidates else None
    text = (f"{reason} for {name.strip()}: {value}" if reason in ("invalid value", "no value")
            else f"{reason} {name.strip()}: {value}" if reason == "unknown property"
            else f"{reason}: `{name.strip()}: {value}`" if ignored
            else re.sub(r",? at \d+:\d+\.?", "", message).strip())
    if used is not None and reason == "unknown property":
        # the name is the mistake, whatever its value: said where it is written, as written
        # (WeasyPrint's message has the value its tokens gave, which would send the designer
        # to a token that is fine)
        return used, f"{reason} {used.name}: {used.value}"
    if used is None or not used.references or not ignored:
        return used, text
    tokens = [(ref, _token_chain(diag, ref)) for ref in used.references]
    missing = [ref for ref, decl in tokens if decl is None]
    if missing:
        return used, f"no token {', '.join(missing)} is declared ({used.name}: {used.value})"
    culprits = [(ref, decl) for ref, decl in tokens if not _valid(used.name, decl.value)] or tokens
    ref, token = culprits[0]
    return token, (f"{reason} for {used.name}: {token.value} (the token {ref}, used at "
                   f"{used.where()})")


class Namer:
    """Says each WeasyPrint warning about a position in the layout's stylesheets of the file and
    line where the value to fix is written (a token's declaration for a var()), once for each
    place and property, while ``listening`` — around layout, and again around writing the PDF,
    where WeasyPrint computes some styles (a colour) only as it draws."""

    def __init__(self, html: str, folder: Path, template: Path | None = None) -> None:
        self.sheets = stylesheets(html, folder, template)
        self.said: set[str] = set()

    def hear(self, record: logging.LogRecord) -> bool:
        if record.name != weasy.LOGGER_NAME or record.levelno < logging.WARNING:
            return True
        position = weasy.css_position(record)
        if position is None or getattr(record, "pressroom_named", False):
            return True
        place, text = describe(self.sheets, record.getMessage(), position, weasy.css_warning_url())
        if place is None:
            return True
        record.msg = f"{place}: {text}"
        record.args = ()
        record.pressroom_named = True
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        key = f"{place}: {text.split(' (the token')[0]}"
        if key in self.said:
            return False
        self.said.add(key)
        return True

    @contextmanager
    def listening(self) -> Iterator[Stylesheets]:
        with listen(self.hear):
            yield self.sheets


def _family_names(value: str) -> list[tuple[str, bool]]:
    """The families of a font-family value: (name, generic) each."""
    names = []
    groups: list[list] = [[]]
    for token in tinycss2.parse_component_value_list(value):
        if token.type == "literal" and token.value == ",":
            groups.append([])
        elif token.type not in ("whitespace", "comment"):
            groups[-1].append(token)
    for group in groups:
        if len(group) == 1 and group[0].type == "string":
            names.append((group[0].value, False))
        elif group and all(t.type == "ident" for t in group):
            name = " ".join(t.value for t in group)
            names.append((name, len(group) == 1 and name.lower() in GENERIC_FAMILIES))
    return names


#: What fontconfig reads in the fonts folder (it looks in its subfolders too).
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2")


def font_programs(path: Path) -> list[TTFont]:
    """The fonts of one file (several in a collection, .ttc), read lazily; none when fontTools
    cannot read it (an unreadable font is said when WeasyPrint loads it)."""
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            return list(TTCollection(path, lazy=True).fonts)
        return [TTFont(path, lazy=True)]
    except Exception:  # fontTools' many errors
        return []


@cache
def _file_families(path: Path, stamp: tuple[int, int]) -> frozenset[str]:
    """The family names (name IDs 1 and 16) of one font file."""
    found: set[str] = set()
    for font in font_programs(path):
        try:
            found |= {str(record.toUnicode()) for record in font["name"].names if record.nameID in (1, 16)}
        except Exception:  # fontTools' many errors: an unreadable font names no family
            pass
        finally:
            font.close()
    return frozenset(found)


def font_files(fonts: Path) -> list[tuple[Path, tuple[int, int]]]:
    """The font files of ``fonts`` and its subfolders (what the isolated fontconfig knows), each
    with its stamp (modification time, size): what a cache of what is read from it is keyed on."""
    found = []
    for path in sorted(fonts.rglob("*")):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        try:
            status = path.stat()
        except OSError:
            continue
        found.append((path, (status.st_mtime_ns, status.st_size)))
    return found


def families_in(fonts: Path) -> set[str]:
    """The families the font files of ``fonts`` give (which the isolated fontconfig knows)."""
    return set().union(*(_file_families(path, stamp) for path, stamp in font_files(fonts)))


def check_font_families(diag: Stylesheets, fonts: Path) -> None:
    """Warn about each family a font-family (or a token it uses) names that is neither an
    @font-face of the layout taking its file from fonts/ nor the family of a file in fonts/:
    Pango would silently draw it with another face. A generic family (serif, sans-serif…)
    counts as missing unless an @font-face gives that name."""
    faces = {family.lower() for family in diag.faces()}
    known = diag.faces() | families_in(fonts)
    lowered = {family.lower() for family in known}
    said: set[tuple[str, str]] = set()
    for declaration in diag.declarations():
        if declaration.name != "font-family":
            continue
        sources = [declaration]
        for ref in declaration.references:
            token = _token_chain(diag, ref)
            if token is not None:
                sources.append(token)
        for source in sources:
            for family, generic in _family_names(source.value):
                key = (source.where(), family.lower())
                if key in said or family.lower() in (faces if generic else lowered):
                    continue
                said.add(key)
                kind = "the generic family" if generic else "font family"
                warn(f"{kind} {family!r} is not in {fonts.name}/ (its families: "
                     f"{', '.join(sorted(known)) or 'none'}): another face would be drawn instead",
                     source.path, source.line)


#: The values of the layouts' ``--justify`` token (pdf/kashida.py reads it from the boxes).
JUSTIFY_VALUES = ("kashida", "spaces")


def check_tokens(diag: Stylesheets) -> None:
    """Warn about a ``--justify`` token whose value is neither ``kashida`` nor ``spaces`` (a
    typo there would silently justify with spaces), at the file and line where it is written."""
    for declaration in diag.declarations():
        if declaration.name != "--justify":
            continue
        written: Declaration | None = declaration
        if len(declaration.references) == 1:  # --justify: var(--mode): the token's value counts
            written = _token_chain(diag, declaration.references[0])
            if written is None or written.references:
                continue  # a token no rule declares, or a cycle: WeasyPrint's warning says so
        value = written.value.strip()
        if value not in JUSTIFY_VALUES:
            warn(f"--justify: {value!r} is neither {' nor '.join(JUSTIFY_VALUES)}: "
                 "its lines are justified with spaces", written.path, written.line)


def check_running_heads(diag: Stylesheets) -> None:
    """Warn about a ``string-set`` (a layout made before running heads became running elements):
    the margin box draws its string as one run of plain text, whose numbers and Latin words every
    reader but pdf.js extracted out of order ("الزراعي في السهول2024 موسم"). It still builds."""
    for declaration in diag.declarations():
        if declaration.name == "string-set" and declaration.value.strip().lower() != "none":
            warn("string-set: a running head set from a string is one run of plain text, and PDF "
                 "readers extract its numbers and Latin words out of order; make it a running "
                 "element written with `| runs` (position: running(NAME), and content: "
                 "element(NAME) in the margin box: layouts/README.md)",
                 declaration.path, declaration.line)
