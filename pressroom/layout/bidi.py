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

import re

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
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


def _wrap(match: re.Match[str], cls: str) -> str:
    text = match[0]
    core = text.rstrip(_TRAILING)
    if not core:
        return text
    mark = ARABIC_LETTER_MARK if cls == "ltr" and core.lstrip("+-\u2212")[:1].isdigit() else ""
    return f'<span class="{cls}">{mark}{core}</span>{text[len(core):]}'


def isolate_runs(html: str, direction: str) -> str:
    """Wrap the runs that go against ``direction`` ('rtl' or 'ltr') in spans of their own."""
    pattern, cls = (_LTR_RUN, "ltr") if direction == "rtl" else (_RTL_RUN, "rtl")
    parts = _MARKUP.split(html)
    for index in range(0, len(parts), 2):  # even items are text, odd items tags and entities
        parts[index] = pattern.sub(lambda m: _wrap(m, cls), parts[index])
    return "".join(parts)
