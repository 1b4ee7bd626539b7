"""A formula between dollars ($E = mc^2$) → its text and HTML, or why the layout cannot set it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import escape

from pressroom.layout.bidi import WHOLE_RUN

#: A formula the layout sets: letters, digits, operators and brackets as written, ``^`` and ``_``
#: with one character or a braced group after them as superscript and subscript, braces alone
#: (TeX's grouping) drawn as nothing, "-" as a minus sign. Anything else TeX would read (a
#: backslash command, "&", "#", "%", "~", an unbalanced brace) is not set: ``Formula.problem``.
_NOT_SET = {"\\": "a TeX command", "&": "'&'", "#": "'#'", "%": "'%'", "~": "'~'"}
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
#: How deep braces (and raised or lowered groups) may nest in a formula the layout sets: deeper is
#: a problem, said with a warning (each level is read by a call of its own: 1500 levels were a
#: RecursionError, an "internal error" in the build and a traceback in ``check --source``).
MAX_NESTING = 50


@dataclass(frozen=True)
class Formula:
    """``text``: what a reader of the page reads (raised and lowered parts inline); ``html``: a
    left-to-right span (``class="math"``); ``problem``: why it is not set, or ""."""

    text: str
    html: str
    problem: str = ""


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
    """The index after the brace closing the one at ``start``, or -1."""
    depth = 0
    for index in range(start, len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return index + 1
    return -1


def _braced(source: str, start: int, depth: int) -> tuple[int, str, str, str]:
    """The group whose "{" is at ``start``: (the index after its "}", text, HTML, problem)."""
    end = _group(source, start)
    if end < 0:
        return start, "", "", "a '{' never closed"
    return (end, *_convert(source[start + 1:end - 1], depth + 1))


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


def _convert(source: str, depth: int = 0) -> tuple[str, str, str]:
    """(text, HTML, problem) of a formula's source, ``depth`` groups deep."""
    if depth > MAX_NESTING:
        return "", "", f"braces nested more than {MAX_NESTING} deep"
    text: list[str] = []
    html: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char in _NOT_SET:
            what = _COMMAND.match(source, index) if char == "\\" else None
            return "", "", f"{_NOT_SET[char]} ({what.group()})" if what else _NOT_SET[char]
        if char == "}":
            return "", "", "a '}' never opened"
        if char == "{":
            index, part_text, part_html, problem = _braced(source, index, depth)
        elif char in "^_":
            index += 1
            if index >= len(source) or source[index] in " ^_}":
                return "", "", f"'{char}' without what it raises or lowers"
            if source[index] in _NOT_SET:
                continue  # the next turn names it ("^\alpha": a TeX command (\alpha))
            if source[index] == "{":
                index, part_text, part_html, problem = _braced(source, index, depth)
            else:
                part_text, part_html, problem = _convert(source[index], depth + 1)
                index += 1
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


def formula(source: str) -> Formula:
    """The formula written ``source`` (without its dollars). One the layout cannot set is its
    source as written, left to right, with its problem (the caller warns): never its dollars."""
    source = " ".join(source.split())
    text, html, problem = _convert(source)
    if problem or not text.strip():
        problem = problem or "an empty formula"
        return Formula(source, _span(str(escape(source)), source), problem)
    return Formula(text, _span(html, text), "")


def _span(html: str, text: str) -> str:
    """A formula's left-to-right span; ``whole`` (kept on one line) when it is short enough for
    any line (bidi.WHOLE_RUN), as a phone number is: a longer one may break at its spaces."""
    whole = " whole" if len(text) <= WHOLE_RUN else ""
    return f'<span class="math{whole}" dir="ltr">{html}</span>'
