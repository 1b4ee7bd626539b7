"""A formula between dollars ($E = mc^2$) → its text and HTML, or why the layout cannot set it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from markupsafe import escape
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from pressroom.layout.bidi import WHOLE_RUN

#: A formula the layout sets: letters, digits, operators and brackets as written, ``^`` and ``_``
#: with one character or a braced group after them as superscript and subscript, braces alone
#: (TeX's grouping) drawn as nothing, "-" as a minus sign, a TeX command as its sign (``\pi`` π,
#: ``\le`` ≤: pylatexenc's table), ``\frac{a}{b}`` as a/b and ``\sqrt{x}`` as √x (brackets
#: where the parts need them). A command unknown to the table is left out (``Formula.unknown``:
#: the caller warns); anything else TeX would read ("&", "#", "%", "~", an unbalanced brace) is
#: not set: ``Formula.problem``.
_NOT_SET = {"&": "'&'", "#": "'#'", "%": "'%'", "~": "'~'"}
MINUS = "\u2212"
#: The superscript digits every face of the layouts' body font (Amiri) draws: "^2" is set "²", a
#: character, which readers extract in place (a raised box of its own, "2", was read before "E"
#: or on a line of its own by pdfium and poppler). Other raised or lowered figures are a
#: <sup class="figures"> or <sub class="figures">, which the layouts set on the baseline in the
#: font's numerator or denominator forms (readers read them in place too); letters are <sup>/<sub>.
_RAISED = str.maketrans("123", "\u00b9\u00b2\u00b3")
#: Prices read as a formula: a number, then a word ("US$5 and US$ 10" → "5 and US"), or a number
#: ending a sentence ("It was $5.$ Then $6." → "5."); "$3$" is a formula, the digit 3.
#: ("كان $5،$ ثم": Arabic punctuation too). A word is this many letters in a row.
WORD_LETTERS = 2
_MONEY = re.compile(rf"[0-9][0-9.,]*(?:\s+\S*[A-Za-z\u0600-\u06FF]{{{WORD_LETTERS}}}.*|[.,;:،؛])",
                    re.DOTALL)
#: The Arabic script's blocks (Arabic, its Supplement and Extended-A, presentation forms): Persian
#: and Urdu letters (پ چ ژ گ ک ی ے) are in them too. A letter of them makes ``$…$`` text.
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                  (0xFE70, 0xFEFF))
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
#: A command, or a backslash alone at the end.
_ANY_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)?")
#: How deep braces (and raised or lowered groups) may nest in a formula the layout sets: deeper is
#: a problem, said with a warning (each level is read by a call of its own: 1500 levels were a
#: RecursionError, an "internal error" in the build and a traceback in ``check --source``).
MAX_NESTING = 50
#: Commands drawn as nothing: sizes and styles of TeX's own (``\left( x \right)``: the brackets
#: stay), and a negative thin space.
_DRAWN_AS_NOTHING = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
                     "biggl", "biggr", "displaystyle", "textstyle", "limits", "nolimits", "!"}
#: Spaces: one space, as the words of a formula are spaced; a line break (``\\``, in a formula of
#: several lines) too: a formula is set on one line.
_SPACES = {",", ":", ";", " ", "quad", "qquad", "enspace", "thinspace", "\\"}
#: Signs pylatexenc's table lacks or draws as nothing, and escaped characters drawn as themselves.
_EXTRA_SIGNS = {"ne": "≠", "degree": "°", "|": "‖", "{": "{", "}": "}", "%": "%", "&": "&",
                "#": "#", "_": "_", "$": "$"}
#: Commands whose one argument is set as text, as written (its spaces kept).
_TEXT = {"text", "textrm", "textit", "textbf", "mbox"}
#: Commands whose one argument is set as a formula, upright (a function's name: ``\operatorname{sgn}``).
_UPRIGHT = {"mathrm", "operatorname", "mathit", "mathsf", "mathnormal"}
_FRACTIONS = {"frac", "dfrac", "tfrac"}
#: ``\sqrt[3]{x}`` ∛x, ``\sqrt[4]{x}`` ∜x (another index is raised before √).
_ROOTS = {"": "√", "3": "∛", "4": "∜"}


@dataclass(frozen=True)
class Formula:
    """``text``: what a reader of the page reads (raised and lowered parts inline); ``html``: a
    left-to-right span (``class="math"``); ``problem``: why it is not set, or ""; ``unknown``: the
    TeX commands left out of it (none of pylatexenc's), which the caller names in a warning;
    ``source``: as written, its spaces collapsed."""

    text: str
    html: str
    problem: str = ""
    unknown: tuple[str, ...] = field(default=())
    source: str = ""


def is_money(source: str) -> bool:
    """Whether what markdown-it read between two dollars is prices, not a formula ("US$5 and
    US$ 10": "5 and US")."""
    return _MONEY.fullmatch(source.strip()) is not None


def is_text(source: str) -> bool:
    """Whether what markdown-it read between two dollars is text, never a formula: prices
    (``is_money``), or anything holding an Arabic letter ("كلف $5 و$ 10" was a left-to-right
    formula "5 و", its dollars gone, unsaid)."""
    return is_money(source) or any(
        char.isalpha() and any(low <= ord(char) <= high for low, high in _ARABIC_BLOCKS)
        for char in source)


def _group(source: str, start: int) -> int:
    """The index after the brace closing the one at ``start``, or -1 (``x^{\\}}``: the escaped brace
    was counted as the group's end, and "x^{}}" printed)."""
    depth, index = 0, start
    while index < len(source):
        if source[index] == "\\":  # an escaped brace (\{, \}) is a sign, no group's end
            index += 2
            continue
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return index + 1
        index += 1
    return -1


#: (the index after a part of a formula, its text, its HTML, the problem that stops it, or "")
Part = tuple[int, str, str, str]


def _braced(source: str, start: int, depth: int, unknown: list[str]) -> Part:
    """The group whose "{" is at ``start``: (the index after its "}", text, HTML, problem)."""
    end = _group(source, start)
    if end < 0:
        return start, "", "", "a '{' never closed"
    return (end, *_convert(source[start + 1:end - 1], depth + 1, unknown))


def _argument(source: str, index: int, depth: int, unknown: list[str]) -> Part:
    """A command's or a script's argument at ``index`` (spaces before it skipped): a braced group,
    a command, or one character."""
    while index < len(source) and source[index] == " ":
        index += 1
    if index >= len(source) or source[index] in "^_}":
        return index, "", "", "a TeX command without its argument"
    if source[index] == "{":
        return _braced(source, index, depth, unknown)
    if source[index] == "\\":
        return _command(source, index, depth + 1, unknown)
    return (index + 1, *_convert(source[index], depth + 1, unknown))


def _script(char: str, text: str, html: str) -> tuple[str, str]:
    """The text and HTML of what ``^`` raises or ``_`` lowers: "¹²³" as characters (what bidi.py
    and the readers know as typed), other figures a ``class="figures"`` sup or sub, letters a
    plain one."""
    if char == "^" and all(c in "123" for c in text):
        raised = text.translate(_RAISED)
        return raised, raised
    tag = "sup" if char == "^" else "sub"
    figures = ' class="figures"' if text.isascii() and text.isdigit() else ""
    return text, f"<{tag}{figures}>{html}</{tag}>"


#: Commands pylatexenc's table gives a text that is no sign: \today the day of the build (the
#: same source would make another PDF tomorrow), \maketitle a title page's boilerplate.
_NOT_SIGNS = frozenset({"today", "maketitle"})


@cache
def _latex_signs() -> tuple[object, LatexNodes2Text]:
    """pylatexenc's table of commands and its converter, made once."""
    return get_default_latex_context_db(), LatexNodes2Text()


#: Signs of pylatexenc's table that no font of fonts/ draws, as the sign of the same meaning one
#: of them does (Noto Sans Math's script letters, its triangles): a .notdef box never reaches the
#: page. The others no font draws are left out, said (``undrawn``).
_DRAWN_AS = {"\u210f": "\u0127", "\u2113": "\U0001d4c1", "\u2118": "\U0001d4c5", "\u2016": "\u2225",
             "\u2103": "\u00b0C", "\u2126": "\u03a9", "\u25c3": "\u25c1", "\u25b9": "\u25b7",
             "\u25bf": "\u25bd", "\u25b5": "\u25b3", "\u2305": "\u22bc"}


@cache
def _drawable() -> frozenset[int]:
    """The characters some font of the package's fonts/ draws (the layouts' faces)."""
    from pressroom.layout.coverage import characters_in  # (layout reads sources: not at import)
    from pressroom.project import PACKAGED
    return characters_in(PACKAGED / "fonts")


def _drawn(sign: str) -> bool:
    drawable = _drawable()
    return all(ord(char) in drawable or unicodedata.category(char) in ("Zs", "Cf") for char in sign)


def undrawn(command: str) -> bool:
    """Whether ``\\command`` (as written, its backslash first) has a sign no font draws, which is
    left out (said as such, not as a command unknown)."""
    name = command[1:]
    return sign(name) is None and _table_sign(name) is not None


def sign(name: str) -> str | None:
    """What the command ``\\name`` (no argument) draws: pylatexenc's sign for it ("pi" π, "le" ≤,
    "sin" sin, "displaystyle" nothing; one no font draws as _DRAWN_AS gives it), or None for a
    command it does not know, one that takes arguments or one whose sign no font draws."""
    drawn = _table_sign(name)
    if not drawn:
        return drawn
    drawn = "".join(_DRAWN_AS.get(char, char) for char in drawn)
    return drawn if _drawn(drawn) else None


def _table_sign(name: str) -> str | None:
    """The command's sign in pylatexenc's table and ours, whatever font draws it."""
    if name in _EXTRA_SIGNS:
        return _EXTRA_SIGNS[name]
    if name in _NOT_SIGNS:
        return None
    if name in _DRAWN_AS_NOTHING:
        return ""
    if name in _SPACES:
        return " "
    spec = _latex_signs()[0].get_macro_spec(name)
    replacement = getattr(spec, "simplify_repl", None)
    if isinstance(replacement, str) and "%" not in replacement and not set(replacement) & set("\\{}"):
        return replacement  # (not "\\textbackslash": a backslash is never printed)
    return None


def _styled(name: str, text: str) -> str | None:
    """``\\name{text}`` through pylatexenc's one-argument styles (``\\mathbb{R}`` ℝ, ``\\hat{x}``
    x̂), or None when it has none for ``name``."""
    spec = _latex_signs()[0].get_macro_spec(name)
    if spec is None or not callable(getattr(spec, "simplify_repl", None)) or name in _NOT_SIGNS \
            or _arguments(name) not in ("{", None):
        return None  # (\today, \maketitle: a date, a title page's boilerplate)
    try:  # (\href, two arguments that its parser does not know of, crashed pylatexenc)
        styled = _latex_signs()[1].latex_to_text(f"\\{name}{{{text}}}")
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        return None
    return styled if styled and not set(styled) & set("\\{}") and _drawn(styled) else None


@cache
def _arguments(name: str) -> str | None:
    """The arguments pylatexenc's parser reads after ``\name`` ("{": one), None when it knows
    of none."""
    spec = latexwalker.get_default_latex_context_db().get_macro_spec(name)
    return getattr(getattr(spec, "args_parser", None), "argspec", None)


#: A bracketed part of an operand, innermost first ("n(n+1)": its "(n+1)").
_INNERMOST = re.compile(r"\([^()]*\)")


def _bracketed(text: str, html: str, under: bool = False) -> tuple[str, str]:
    """A fraction's or a root's part, in brackets unless it is one operand ("2", "ab", "x²", "π",
    "n(n+1)", "(a+b)", "G M"): no sign outside its own brackets. ``under`` a fraction's line,
    only a number, one letter (raised figures after it: "x²") or a bracketed part goes without
    ("1/(2a)", not "1/2a")."""
    outside = text
    while _INNERMOST.search(outside):
        outside = _INNERMOST.sub("", outside)
    if under:
        alone = text.replace(".", "").isdigit() or len(text.rstrip("¹²³")) == 1 \
            or (text[:1] == "(" and not outside)
    else:  # (spaces between operands are a product, as TeX reads them: "G M")
        alone = all(c.isalnum() or c in ".¹²³ " for c in outside)
    return (text, html) if alone else (f"({text})", f"({html})")


def _command(source: str, index: int, depth: int, unknown: list[str]) -> Part:
    """The command whose backslash is at ``index``: its sign, a fraction, a root, a text, a style;
    an unknown one is left out, its name added to ``unknown``."""
    if depth > MAX_NESTING:
        return index, "", "", f"braces nested more than {MAX_NESTING} deep"
    found = _COMMAND.match(source, index)
    if found is None:
        return index + 1, "", "", "a '\\' at the formula's end"
    name, end = found.group()[1:], found.end()
    if name in _FRACTIONS:
        end, top, top_html, problem = _argument(source, end, depth, unknown)
        if not problem:
            end, bottom, bottom_html, problem = _argument(source, end, depth, unknown)
        if problem:
            return end, "", "", problem
        (top, top_html), (bottom, bottom_html) = (_bracketed(top, top_html),
                                                  _bracketed(bottom, bottom_html, under=True))
        return end, f"{top}/{bottom}", f"{top_html}/{bottom_html}", ""
    if name == "sqrt":
        return _root(source, end, depth, unknown)
    if name in _TEXT | _UPRIGHT:
        start = end
        end, text, html, problem = _argument(source, end, depth, unknown)
        if name in _TEXT and not problem and source[start:end].lstrip().startswith("{"):
            written = source[start:end].strip()[1:-1]  # its spaces at either end kept
            text = " " * written.startswith(" ") + _as_written(written) + " " * written.endswith(" ")
            html = str(escape(text))
        return end, text, html, problem
    drawn = sign(name)
    if drawn is None and _latex_signs()[0].get_macro_spec(name) is not None:
        after, text, _, problem = _argument(source, end, depth, unknown)
        styled = None if problem else _styled(name, text)
        if styled is not None:
            return after, styled, str(escape(styled)), ""
    if drawn is None:
        unknown.append(found.group())
        return end, "", "", ""
    if _is_letter(drawn) and name.isalpha() and _letter_follows(source, end):
        end = _BLANKS.match(source, end).end()  # "\pi r^2": πr², as TeX sets it
    return end, drawn, str(escape(drawn)), ""


#: The spaces at a place in a formula.
_BLANKS = re.compile(r" *")


def _is_letter(drawn: str) -> bool:
    return len(drawn) == 1 and unicodedata.category(drawn).startswith("L")


def _letter_follows(source: str, index: int) -> bool:
    r"""Whether a letter comes next after spaces ("\pi r", "\alpha\beta"): a letter command's
    spaces are TeX's end of its name, not a space on the page; before a sign ("\alpha \le") they
    are kept."""
    at = _BLANKS.match(source, index).end()  # (not a copy of the rest: linear in commands)
    if source[at:at + 1].isascii() and source[at:at + 1].isalnum():
        return True
    following = _COMMAND.match(source, at)
    return following is not None and _is_letter(sign(following.group()[1:]) or "")


def _root(source: str, index: int, depth: int, unknown: list[str]) -> Part:
    """``\\sqrt{x}`` √x, ``\\sqrt{x+1}`` √(x+1), ``\\sqrt[3]{x}`` ∛x; ``index`` after "\\sqrt"."""
    degree = ""
    if source.startswith("[", index):
        close = source.find("]", index)
        if close < 0:
            return index, "", "", "a '[' never closed"
        degree, index = source[index + 1:close].strip(), close + 1
    end, text, html, problem = _argument(source, index, depth, unknown)
    if problem:
        return end, "", "", problem
    text, html = _bracketed(text, html)
    if degree in _ROOTS:
        return end, _ROOTS[degree] + text, _ROOTS[degree] + html, ""
    index_text, index_html, problem = _convert(degree, depth + 1, unknown)
    if problem:
        return end, "", "", problem
    raised_text, raised_html = _script("^", index_text, index_html)
    return end, f"{raised_text}√{text}", f"{raised_html}√{html}", ""


def _convert(source: str, depth: int = 0, unknown: list[str] | None = None) -> tuple[str, str, str]:
    """(text, HTML, problem) of a formula's source, ``depth`` groups deep; the commands it leaves
    out are added to ``unknown``."""
    unknown = [] if unknown is None else unknown
    if depth > MAX_NESTING:
        return "", "", f"braces nested more than {MAX_NESTING} deep"
    text: list[str] = []
    html: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char in _NOT_SET:
            return "", "", _NOT_SET[char]
        if char == "}":
            return "", "", "a '}' never opened"
        if char == "{":
            index, part_text, part_html, problem = _braced(source, index, depth, unknown)
        elif char == "\\":
            index, part_text, part_html, problem = _command(source, index, depth, unknown)
        elif char in "^_":
            index += 1
            if index >= len(source) or source[index] in " ^_}":
                return "", "", f"'{char}' without what it raises or lowers"
            if source[index] in _NOT_SET:
                continue  # the next turn names it ("^&": '&')
            index, part_text, part_html, problem = _argument(source, index, depth, unknown)
            if not problem and not part_text.strip():
                problem = f"'{char}' with nothing to {'raise' if char == '^' else 'lower'} ({{}})"
            if not problem:
                part_text, part_html = _script(char, part_text, part_html)
        else:
            part_text = MINUS if char == "-" else char
            part_html, problem = str(escape(part_text)), ""
            index += 1
        if problem:
            return "", "", problem
        text.append(part_text)
        html.append(part_html)
    return "".join(text), "".join(html), ""


def _as_written(source: str) -> str:
    """A formula the layout cannot set, as written but for its commands and its groups: each
    command as its sign, an unknown one left out (never a backslash on the page), a group's
    braces left out (an escaped one, ``\\{``, is its sign)."""
    return " ".join(_WRITTEN.sub(lambda found: sign(found.group()[1:]) or ""
                                 if found.group().startswith("\\") else "", source).split())


#: A command (or a backslash alone at the end), or a brace of TeX's grouping.
_WRITTEN = re.compile(r"\\(?:[A-Za-z]+|.)?|[{}]")


#: The problem of a formula that draws nothing ("$\\text{}$", "${}$"): left out, said.
EMPTY = "an empty formula"


def formula(source: str) -> Formula:
    """The formula written ``source`` (without its dollars). One the layout cannot set is its
    source as written (``_as_written``), left to right, with its problem (the caller warns):
    never its dollars, never a TeX command."""
    source = " ".join(source.split())
    unknown: list[str] = []
    text, html, problem = _convert(source, 0, unknown)
    text, html = " ".join(text.split()), html.strip()
    if not problem and not (text or unknown):  # ("{}", "\\text{}": nothing to print)
        return Formula("", "", EMPTY, source=source)
    if problem:
        printed = _as_written(source)
        return Formula(printed, _span(str(escape(printed)), printed), problem, source=source)
    return Formula(text, _span(html, text), "", tuple(dict.fromkeys(unknown)), source)


def _span(html: str, text: str) -> str:
    """A formula's left-to-right span; ``whole`` (kept on one line) when it is short enough for
    any line (bidi.WHOLE_RUN), as a phone number is: a longer one may break at its spaces."""
    whole = " whole" if len(text) <= WHOLE_RUN else ""
    return f'<span class="math{whole}" dir="ltr">{html}</span>'
