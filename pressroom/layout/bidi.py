"""Inline HTML → the same HTML with each opposite-direction run in its own <span class="ltr|rtl">.

WeasyPrint writes each inline box as its own text object, in logical order, while a line of one
box is written left to right in visual order. Readers that rebuild reading order from the content
stream (pypdf) then put a number or a Latin word of an Arabic line on the wrong side of it. Giving
every such run — numbers (2003, 3.5, 1,500, 30%, 2019/10, ٢٠١٩), Latin words and acronyms (UNIFIL,
CTF-150), URLs and e-mail addresses — an inline box of its own makes the stream follow reading
order, with no change to the page: the span carries no style and the bidi algorithm orders the same
characters the same way (the tests compare the laid-out lines with and without it). Spaces stay
outside the spans: moving them inside (before or after the run) was measured and made pypdf worse.
A plus or minus sign before a number goes inside (glyphfold.py then draws it first, so readers
give "-5", not "5-"), which also keeps WeasyPrint from breaking the line between sign and number.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Callable

_LATIN_OR_DIGIT = r"A-Za-z\u00C0-\u024F0-9\u0660-\u0669\u06F0-\u06F9"
_INNER = _LATIN_OR_DIGIT + r".,:/%\u066A\u066B\u066C\u2030\-\u2010\u2011_+'’&#@"
_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"                                 # URLs
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"          # e-mail addresses
    rf"|(?:(?<![\w.,%+\-])[+\-\u2212](?=[0-9\u0660-\u0669\u06F0-\u06F9]))?"  # a sign, …
    rf"[{_LATIN_OR_DIGIT}][{_INNER}]*"                              # a word, number or code …
    rf"(?:[ \u00A0]+[A-Za-z\u00C0-\u024F0-9][{_INNER}]*)*"            # … and the Latin words after it
)
_RTL_RUN = re.compile(
    r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+"
    r"(?:[ \u00A0\u060C\u061B]+[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+)*"
)
_TRAILING = ".,:;!?'’"
#: Zero-width, strong right-to-left (bidi class AL), drawn as nothing and absent from the PDF's
#: text. Inside an Arabic line a number follows Arabic letters, which makes its digits Arabic
#: numbers for the bidi algorithm and its "." "," "%" "/" Arabic-context glyphs for the font
#: (Amiri puts % on the left, draws a rhombic full stop). A span alone would lose that context;
#: the mark at its start keeps it, so the number looks exactly as it did without the span.
ARABIC_LETTER_MARK = "\u061c"
_TAG = re.compile(r"(<[^>]*>)")
_ENTITY = re.compile(r"&#?\w+;")


def escaped(text: str) -> str:
    return html_text.escape(text, quote=False)


def _characters(text: str) -> tuple[str, list[int]]:
    """HTML text (no tags) as the characters it stands for, and where each starts in ``text``
    (one more: its end)."""
    plain: list[str] = []
    starts: list[int] = []
    position = 0
    for entity in [*_ENTITY.finditer(text), None]:
        end = entity.start() if entity else len(text)
        plain.append(text[position:end])
        starts += range(position, end)
        if entity:
            value = html_text.unescape(entity[0])
            plain.append(value)
            starts += [entity.start()] * len(value)
            position = entity.end()
    return "".join(plain), [*starts, len(text)]


def sub_text(html: str, pattern: re.Pattern[str], wrap: Callable[[str], str]) -> str:
    """``html`` with each match of ``pattern`` in its text replaced by ``wrap(match)`` (HTML).

    The text between tags is matched as the characters it stands for, entities read: the "&" of
    "?year=2020&lang=ar" is part of its URL (split at "&amp;", the URL's end was set as three
    right-to-left runs of a line: "ar=lang&year=2020"). The rest is kept as written."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # even items are text, odd items tags
        text = parts[index]
        plain, starts = _characters(text)
        out, last = [], 0
        for match in pattern.finditer(plain):
            out += [text[starts[last]:starts[match.start()]], wrap(match[0])]
            last = match.end()
        parts[index] = "".join([*out, text[starts[last]:]])
    return "".join(parts)


def _wrap(text: str, cls: str) -> str:
    core = text.rstrip(_TRAILING)
    if not core:
        return escaped(text)
    mark = ARABIC_LETTER_MARK if cls == "ltr" and core.lstrip("+-\u2212")[:1].isdigit() else ""
    return f'<span class="{cls}">{mark}{escaped(core)}</span>{escaped(text[len(core):])}'


def isolate_runs(html: str, direction: str) -> str:
    """Wrap the runs that go against ``direction`` ('rtl' or 'ltr') in spans of their own."""
    pattern, cls = (_LTR_RUN, "ltr") if direction == "rtl" else (_RTL_RUN, "rtl")
    return sub_text(html, pattern, lambda text: _wrap(text, cls))
