"""Inline HTML → the same HTML with each opposite-direction run in its own <span class="ltr|rtl">
(or, for a text wholly in the other direction, one <span class="other">: isolate_runs).

WeasyPrint writes each inline box as its own text object, in logical order, while a line of one
box is written left to right in visual order. Readers that rebuild reading order from the content
stream (pypdf) then put a number or a Latin word of an Arabic line on the wrong side of it. Giving
every such run — numbers (2003, 3.5, 1,500, 30%, 2019/10, ٢٠١٩), Latin words and acronyms (UNIFIL,
CTF-150), URLs and e-mail addresses — an inline box of its own makes the stream follow reading
order. A number keeps its look: its span carries no style, and the bidi algorithm orders the same
characters the same way (the tests compare the laid-out lines with and without it). A run that an
Arabic reader reads left to right as one piece (``reads_left_to_right``: a phone number, an ISO
date, a code or a Latin phrase) gets ``dir="ltr"`` as well, which WeasyPrint lays out as a box of
its own direction: the bidi algorithm alone drew "+961 1 345 210" in an Arabic line as "210 345 1
961+" (its digits are Arabic numbers after Arabic letters, and the spaces between them go right
to left); a range or a score ("2009-2010", "1-0") keeps the algorithm's order, first number on the
right, where an Arabic reader starts. Spaces stay outside the spans: moving them inside (before
or after the run) was measured and made pypdf worse.
The "@" of a handle and the "#" of a tag in Latin letters go inside too ("@Alhilal_FC",
"#WorldCup": left out, the bidi algorithm set them on the Arabic side, "Alhilal_FC@").
A plus or minus sign before a number goes inside (glyphfold.py then draws it first, so readers
give "-5", not "5-"), which also keeps WeasyPrint from breaking the line between sign and number.
"""

from __future__ import annotations

import html as html_text
import re
import unicodedata
from collections.abc import Callable

#: (with superscript and subscript digits: م³, كم², CO₂; left in the Arabic run, "(م³)" was read
#: ")م(³" by pdfium and pypdf, and no search found "م3")
_LATIN_OR_DIGIT = (r"A-Za-z\u00C0-\u024F0-9\u0660-\u0669\u06F0-\u06F9"
                   r"\u00B2\u00B3\u00B9\u2070-\u2079\u2080-\u2089")
#: Vulgar fractions (½ ¼ ¾ ⅓ ⅔ ⅛…, bidi class ON): inside a run after its number, a mixed number
#: ("1½", "2¼") is one run read left to right; left out, the bidi algorithm set the fraction on
#: the Arabic side of its number, drawn "½1", and pdfium read it so.
_FRACTIONS = r"\u00BC-\u00BE\u2150-\u215E\u2189"
_INNER = _LATIN_OR_DIGIT + _FRACTIONS + r".,:/%\u066A\u066B\u066C\u2030\-\u2010\u2011_+'’&#@"
#: An operator between two operands of a formula that starts with a Latin letter ("E=mc²",
#: "x² + y²", "x - y = 3", "a × b"): cut at it, each operand a run of its own, the operands were
#: drawn right to left ("mc²=E", "y² + x²"), where the bidi algorithm alone keeps the formula
#: left to right. An operand holds no operator (so that a formula is read one way only: with "+"
#: in both, "a+b+…+z!" took time doubling with each term).
_OPERATOR = "[=+\\-\u00D7\u00F7<>\u2212\u2264\u2265\u2260\u2248]"
_OPERAND = _INNER.replace("\\-", "").replace("+", "")
_ATOM = rf"[{_LATIN_OR_DIGIT}][{_OPERAND}]*"
#: A bracketed part of a formula, one level deep, its operands after an operator each: "(x)",
#: "(a+b)", "(n - 1)". Left out, the brackets were neutrals between runs of their own, and
#: "f(x) = 2x + 1" was drawn "1 + 2x = (x)f", "(a+b)² = c" as "c = ²(a+b)".
_GROUP = rf"\((?:[ \u00A0]*{_ATOM}(?:[ \u00A0]*{_OPERATOR}[ \u00A0]*{_ATOM})*[ \u00A0]*)\)"
#: An operand: operands and bracketed parts glued together ("2x", "f(x)", "(a+b)²", "g(t)h(t)",
#: "n(n+1)/2": what may follow a bracketed part is any character of an operand), each bracketed
#: part after an operand or first; written so that a text is cut into them one way only.
_PIECES = rf"(?:{_ATOM}(?:{_GROUP}[{_OPERAND}]*)*|(?:{_GROUP}[{_OPERAND}]*)+)"
#: A bracketed part whose first operand starts with a Latin letter ("(a+b)", "(x - 1)").
_LATIN_GROUP = (rf"\([ \u00A0]*[A-Za-z\u00C0-\u024F][{_OPERAND}]*"
                rf"(?:[ \u00A0]*{_OPERATOR}[ \u00A0]*{_ATOM})*[ \u00A0]*\)")
#: A formula's first operand: one that starts with a Latin letter ("E", "x²", "f(x)"), with a
#: bracket around one ("(a+b)²"), or a number with a bracketed part glued to it ("70/(1.75)²",
#: "2(x+1)"); a bracketed part only after an operand or first, so that "(CTF-150)", "(WHO)",
#: "(2009-2010)" and "(1.75)" alone are no formula and keep their own runs.
_FIRST = (rf"(?:[A-Za-z\u00C0-\u024F][{_OPERAND}]*(?:{_GROUP}[{_OPERAND}]*)*"
          rf"|{_LATIN_GROUP}[{_OPERAND}]*(?:{_GROUP}[{_OPERAND}]*)*"
          rf"|[0-9][{_OPERAND}]*(?:{_GROUP}[{_OPERAND}]*)+)")
#: A formula: a first operand and an operator and operand after it at least, or a first operand
#: with a bracketed part glued to what is around it ("f(x)", "(a+b)²", "(a+b)/c", "70/(1.75)²").
_FORMULA = (rf"(?:{_FIRST}(?:[ \u00A0]*{_OPERATOR}[ \u00A0]*{_PIECES})+"
            rf"|[A-Za-z\u00C0-\u024F0-9][{_OPERAND}]*(?:{_GROUP}[{_OPERAND}]*)+"
            rf"|{_LATIN_GROUP}(?=[{_OPERAND}]*[{_LATIN_OR_DIGIT}])[{_OPERAND}]+(?:{_GROUP}[{_OPERAND}]*)*)")
#: A bracket glued to an operand on either side: a formula ("f(x)", "70/(1.75)²"), read left to
#: right as written, whatever its characters (reads_left_to_right).
_GLUED_BRACKET = re.compile(rf"[{_LATIN_OR_DIGIT}/]\(|\)[{_LATIN_OR_DIGIT}/]")
_RAISED = r"\u00B2\u00B3\u00B9\u2070-\u2079\u2080-\u2089"
_INDIC = r"\u0660-\u0669\u06F0-\u06F9"
#: An en or figure dash between two digits, in a run: a range or a score ("٣–٢", "2023–2024").
#: Not one without a digit after it ("(1950–)", "منذ 2010– حتى الآن": drawn as a sign, "–1950"),
#: nor before a sign ("-53–-81": each number a run of its own, as before).
_DIGIT = rf"[0-9{_INDIC}]"
_RANGE_DASH = rf"(?:(?<={_DIGIT})[\u2012\u2013](?={_DIGIT}))"
_RUN_REST = rf"(?:[{_INNER}]|{_RANGE_DASH})*"
#: Latin words after a run, each after spaces (or " & "): "Windows 11", "O'Brien & Sons"; and
#: superscript or subscript digits after a space after a digit or a letter ("2025 ³", "CO ²"),
#: and Arabic-Indic digits after a space after a digit ("٢٠٢٥ ٣"). Two runs parted by spaces
#: alone were two spans, the spaces between them a text box that WeasyPrint does not draw (it
#: has nothing but spaces), and pypdf and pdf.js, which take spaces from glyphs, read one
#: number: "2025³" (a search for 2025 found "20253" after NFKC), "٢٠٢٥٣". (Not after a sign:
#: "40% ³" keeps its two spans, read "40%³", two words, as before.)
_WORDS_AFTER = (rf"(?:(?:[ \u00A0]+(?:&[ \u00A0]+)?[A-Za-z\u00C0-\u024F0-9]"
                rf"|(?<=[A-Za-z\u00C0-\u024F0-9{_INDIC}{_RAISED}])[ \u00A0]+[{_RAISED}]"
                rf"|(?<=[0-9{_INDIC}{_RAISED}])[ \u00A0]+[{_INDIC}]"
                rf"|(?<=[0-9{_INDIC}])[ \u00A0]+[{_FRACTIONS}]){_RUN_REST})*")
#: Not the slash that joins a run to an Arabic word ("م³/يوم").
_NOT_JOINED = r"(?!(?<=/)[\u0600-\u06FF])"
_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"                                 # URLs
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"          # e-mail addresses
    rf"|{_FORMULA}"                                                   # a formula, …
    rf"{_WORDS_AFTER}{_NOT_JOINED}"                                   # … and Latin words after it
    rf"|(?:(?<![\w.,%+\-])[+\-\u2212](?=[0-9\u0660-\u0669\u06F0-\u06F9])"  # a sign, …
    r"|(?<![A-Za-z0-9_@#&])[@#](?=[A-Za-z\u00C0-\u024F]))?"  # … or the @ or # of a handle or a tag, …
    rf"[{_LATIN_OR_DIGIT}]{_RUN_REST}"                              # a word, number or code …
    rf"{_WORDS_AFTER}{_NOT_JOINED}"                                   # … and the Latin words after it
)
_RTL_RUN = re.compile(
    r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+"
    r"(?:[ \u00A0\u060C\u061B]+[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+)*"
)
#: What ends a sentence or a clause after a run, and stays outside its span (Arabic's comma,
#: semicolon and question mark too: an address swallows them, and a left-to-right span would
#: then set them on the wrong side of it), and a closing bracket or guillemet it did not open.
_TRAILING = ".,:;!?'’\u060c\u061b\u061f)»"
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


#: A group of ASCII digits (with single joiners inside: 1,500 3.5 2019/10 10:30), and what may
#: stand between two groups of a run that is read as one identifier: spaces, or dashes.
_GROUP = re.compile(r"[0-9]+(?:[,.:/][0-9]+)*")
_SPACED_GROUPS = re.compile(r"[0-9][ \u00a0]+[0-9]")
_DASHES = "-\u2010\u2011"
#: A number and the vulgar fraction after it: a mixed number ("1½", "2 ¼").
_MIXED_NUMBER = re.compile(rf"[0-9{_INDIC}][ \u00a0]*[{_FRACTIONS}]")
#: A phone number's two groups parted by a hyphen: an area or mobile prefix of 2 to 4 digits
#: starting with 0, and a subscriber's number of 5 digits at least ("01-345678", "03-912345").
#: (Either way round: so is it drawn too, and glyphfold.py reads the drawing.)
_TRUNK, _SUBSCRIBER = re.compile(r"0[0-9]{1,3}"), re.compile(r"[0-9]{5,}")
#: The signs that only a formula holds (tex.py sets them for \\sqrt, \\sum…; neutral to the bidi
#: algorithm): a run with one is a formula, set left to right (its span's dir="ltr"), "√2" not
#: "2√" (glyphfold.py read its drawing as a number's, last piece first: every reader had "2√").
#: Not the minus sign (U+2212), which a number of the text may hold ("−5").
_FORMULA_SIGNS = re.compile("[\u2200-\u2211\u2213-\u22ff\u2a00-\u2aff]")


def _phone_pair(groups: list[str], between: list[str]) -> bool:
    """Two groups of digits parted by one hyphen, a prefix and a subscriber's number (_TRUNK,
    _SUBSCRIBER), in either order: a phone number, not a range ("2009-2010") or a score."""
    if len(groups) != 2 or len(between) != 1 or len(between[0]) != 1 or between[0] not in _DASHES:
        return False
    return any(_TRUNK.fullmatch(a) and _SUBSCRIBER.fullmatch(b) for a, b in (groups, groups[::-1]))


def _lettered(text: str) -> bool:
    return any(unicodedata.bidirectional(char) == "L" for char in text)


def reads_left_to_right(text: str) -> bool:
    """True when a reader of an Arabic line reads the run ``text`` (a match of _LTR_RUN) as one
    left-to-right piece, its first part leftmost: a run that starts with a Latin letter
    (CTF-150, PM2.5, ISO 9001, O'Brien & Sons, an address) or is one word (5G, 128GB), a
    number in groups parted by spaces (a phone number: +961 1 345 210, 9 9 9), and one of three
    groups or more parted by dashes, one of them three digits long at least (03-456-789,
    2019-09-02; not a team's formation, 4-2-4, drawn and read as a score is), a phone number of two
    groups parted by a hyphen, a prefix starting with 0 and a number of five digits at least
    (01-345678: read as a range, it was drawn "345678-01"), and a mixed number (1½, 2 ¼: the
    fraction, a neutral, went to the Arabic side, drawn "½1").

    Not such a run: a number, or numbers and what joins them, which the bidi algorithm sets in
    an Arabic line as Arabic readers read it, the first number on the right ("1-0", "90+2",
    "2009-2010", "4-4-2", "35%", "-5"); a number and the Latin word after it ("128 GB" is drawn "GB
    128"). Arabic-Indic digits are never read left to right as a whole. The answer for a number
    without letters is the same for its characters as written and as the bidi algorithm draws
    them in an Arabic line (numbers left to right, what is between them right to left), so that
    glyphfold.py, which sees only the drawing, tells the two kinds apart as bidi.py did."""
    if _GLUED_BRACKET.search(text) or _FORMULA_SIGNS.search(text):
        return True
    if _lettered(text):
        core = text.lstrip("+-\u2212")
        return not core[:1].isdigit() or not any(char.isspace() for char in core)
    if _SPACED_GROUPS.search(text) or _MIXED_NUMBER.search(text):
        return True
    groups = _GROUP.findall(text)
    between = _GROUP.split(text)[1:-1]
    if _phone_pair(groups, between):
        return True
    return len(groups) >= 3 and max(len(group) for group in groups) >= 3 \
        and all(part and all(c in _DASHES for c in part) for part in between)


def _core(text: str) -> str:
    """``text`` without what ends the sentence or clause after it (_TRAILING); a closing bracket
    stays when the run opens one ("https://x.org/a_(b)")."""
    core = text
    while core and core[-1] in _TRAILING and not (core[-1] == ")" and core.count("(") >= core.count(")")):
        core = core[:-1]
    return core


#: The longest run read left to right that is kept on one line (``keeps_whole``): 20 characters
#: of Amiri at 10.5 pt are about 35 mm of digits, well inside the narrowest column of the shipped
#: layouts; a longer one may break at its spaces, where a line must.
WHOLE_RUN = 20
_ADDRESS_START = re.compile(r"https?://|www\.")


def keeps_whole(text: str) -> bool:
    """True when a run read left to right (``reads_left_to_right``) is kept on one line: a phone
    number broke across two ("+961 1" ending one line, "345 210" starting the next, each read as
    a number of its own), a code at its dash ("CTF-" and "150"). Not an address, which may break
    at ``/ . @ -`` (render.py), not a run longer than WHOLE_RUN characters, which a column
    may not hold, and not words without a digit ("Google Play Services"), which break at their
    spaces as words do: kept whole in a table's narrow cell, it was drawn over the next cell."""
    return (len(text) <= WHOLE_RUN and not _ADDRESS_START.match(text) and "@" not in text
            and (not any(char.isspace() for char in text) or any(char.isdigit() for char in text)))


#: The number glued to the first Latin letter of a run that starts with a number ("22" of "11
#: 22H2", "1,5" of "1,5G"): digits (Arabic numbers after the run's Arabic letter mark) and single
#: common separators between them, which the bidi algorithm sets at the letter's level.
_NUMBER_DIGIT = re.compile(rf"[0-9{_INDIC}{_RAISED}]")
_NUMBER_SEPARATORS = ",.:/\u066B\u066C"
#: The mark put where a run's Latin part starts (_words_marked), which glyphfold finds.
LATIN_PART_MARK = "\u200f"


def _glued_number_start(core: str, end: int) -> int:
    """Where the number glued to ``core[end]`` starts (digits and the separators between them,
    "2" of "22H2", "1,500" of "1,500mAh"), or ``end`` when none is: read back from ``end``, once
    (a pattern anchored there was tried from every position: a 20,000-digit run took 7 s)."""
    start = at = end
    while at > 0 and _NUMBER_DIGIT.match(core[at - 1]):
        at -= 1
        start = at
        if at > 1 and core[at - 1] in _NUMBER_SEPARATORS and _NUMBER_DIGIT.match(core[at - 2]):
            at -= 1
    return start


def _words_marked(core: str) -> str:
    """A run that starts with a number and is not read left to right (a number and the Latin
    words after it, "128 GB", "13 Ventura", "11 22H2"), with an Arabic letter mark where its
    Latin part starts, for glyphfold.py.

    The bidi algorithm draws such a run in an Arabic line with its Latin part on the left and
    the number right of it ("GB 128"), as an Arabic reader reads it (number first, from the
    right), but its glyphs in one array, left to right, which is just how a run read left to
    right is drawn ("ISO 9001" and "9001 ISO" alike): glyphfold, which sees only the drawing,
    wrote "GB 128" as it is drawn and every reader read it so. The mark (drawn as nothing, as
    the one before the number) goes right before the part the algorithm sets on the letters'
    level — the first Latin letter and the number glued to it ("22H2") — after the spaces or
    signs it sets right to left: drawn just right of the Latin part, it tells glyphfold where
    the part read last ends (_number_first in glyphfold.py). None is needed when nothing stands
    between the number and its letter ("5G Pro", drawn as read)."""
    first = next((i for i, char in enumerate(core) if unicodedata.bidirectional(char) == "L"), None)
    if first is None:
        return core
    start = _glued_number_start(core, first)
    if start == 0:
        return core
    return core[:start] + LATIN_PART_MARK + core[start:]


_RAISED_AFTER_SPACE = re.compile(rf"[ \u00A0][{_RAISED}]")
#: A range or a score in a run (_RANGE_DASH): kept on one line. A line may break after such a
#: dash (not after a hyphen before a digit), and each number was read as one of its own.
_RANGE = re.compile(_RANGE_DASH)


def _wrap(text: str, cls: str) -> str:
    core = _core(text)
    if not core:
        return escaped(text)
    if cls == "ltr" and reads_left_to_right(core):
        # its own direction: WeasyPrint lays the span's text out left to right, as one piece
        # (and, when short, on one line: the layout's `.ltr.whole { white-space: nowrap }`)
        whole = " whole" if keeps_whole(core) else ""
        return f'<span class="{cls}{whole}" dir="ltr">{escaped(core)}</span>{escaped(text[len(core):])}'
    mark = ARABIC_LETTER_MARK if cls == "ltr" and core.lstrip("+-\u2212")[:1].isdigit() else ""
    # a raised digit after a space ("2024 ³") stays on its number's line: "³" began the next one;
    # a range's or a score's numbers stay on one line
    kept = _RAISED_AFTER_SPACE.search(core) or _RANGE.search(core)
    whole = " whole" if cls == "ltr" and kept and keeps_whole(core) else ""
    inside = _words_marked(core) if mark and _lettered(core) else core
    return f'<span class="{cls}{whole}">{mark}{escaped(inside)}</span>{escaped(text[len(core):])}'


_FOOTNOTE = '<span class="footnote">'
_SPAN = re.compile(r"<span\b[^>]*>|</span>")


def _footnotes(html: str) -> list[tuple[bool, str]]:
    """``html`` cut into its footnotes (``<span class="footnote">…</span>``, set at the page's
    foot, not in the paragraph's line) and the text around them: (is a footnote, part)."""
    parts: list[tuple[bool, str]] = []
    position = 0
    while (start := html.find(_FOOTNOTE, position)) >= 0:
        depth, end = 0, len(html)
        for tag in _SPAN.finditer(html, start):
            depth += -1 if tag[0] == "</span>" else 1
            if depth == 0:
                end = tag.end()
                break
        parts += [(False, html[position:start]), (True, html[start:end])]
        position = end
    return [part for part in [*parts, (False, html[position:])] if part[1]]


def _strong_letters(html: str) -> list[str]:
    """The bidi class of each strong character (L, R, AL) of ``html``'s text, footnotes left out."""
    text = "".join(_characters(part)[0] for note, html_part in _footnotes(html) if not note
                   for part in _TAG.split(html_part)[::2])
    return [kind for char in text if (kind := unicodedata.bidirectional(char)) in ("L", "R", "AL")]


def _strong(html: str) -> set[str]:
    """The strong directions (bidi classes L, R, AL) of the characters of ``html``'s text,
    footnotes left out."""
    return set(_strong_letters(html))


#: An Arabic text in a left-to-right article is in the other direction when it has at least this
#: many times as many Arabic letters as Latin ones (a quote naming a brand, "منصة Netflix").
MOSTLY = 2


def other_direction(html: str, direction: str) -> str | None:
    """'ltr' or 'rtl' when the text of ``html`` (its footnotes aside) is wholly in the direction
    other than ``direction`` — it has strong characters, none of ``direction``'s; in an English
    article, an Arabic text with MOSTLY times as many Arabic letters as Latin ones — else None. Not
    a number and the Latin word after it alone ("128 GB" in a table cell), which keeps the order
    it has in a line of the article (drawn "GB 128" in Arabic, as bidi.py sets it in running
    text)."""
    letters = _strong_letters(html)
    strong = set(letters)
    other = "ltr" if direction == "rtl" else "rtl"
    arabic = sum(kind != "L" for kind in letters)
    if other == "rtl" and arabic and arabic >= MOSTLY * (len(letters) - arabic):
        # an Arabic paragraph of an English article with a Latin word in it: cut into runs, it was
        # laid out left to right, its runs in the wrong order wherever a bracket, quote or number
        # parted them ("سيعرض على منصة (وهو الثالث) قال المخرج" for "قال المخرج (وهو الثالث)
        # سيعرض على منصة"), and every reader read it so; its Latin words get spans of their own
        # inside it, as in an Arabic article
        return other
    if not strong or not strong <= ({"L"} if other == "ltr" else {"R", "AL"}):
        return None
    plain = "".join(_characters(part)[0] for part in _TAG.split(html)[::2]).strip()
    if other == "ltr" and _LTR_RUN.fullmatch(plain) and not reads_left_to_right(_core(plain)):
        return None
    return other


#: An inline code span (content.py: ``<code>``, its text escaped, no markup inside).
_CODE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)", re.DOTALL)
#: Where a long code span may break, without a hyphen, as an address does (render.py): after a
#: dot, slash (``//`` as one) or underscore, and after an opening bracket that does not close at once.
_CODE_BREAK = re.compile(r"(//|[./_]|\((?!\)))(?=.)")
#: A break opportunity that draws nothing and that no reader extracts (addresses in render.py, long
#: code spans here; tests/test_linebreak.py).
ZERO_WIDTH_SPACE = "\u200b"


def _code_run(inner: str) -> str:
    """The text of a code span in Latin letters as one left-to-right run (``<span class="ltr"
    dir="ltr">``), its brackets and dots included, with break opportunities (_CODE_BREAK) when
    it is too long to keep whole. Cut into runs, "navigator.credentials.create()" was
    "navigator.credentials.create" and "()", a neutral pair that went to the Arabic side of it
    (drawn "()navigator.credentials.create"), and being one word, it could not break and left
    the line before it justified with wide gaps."""
    text = _characters(inner)[0]
    if keeps_whole(text):
        return f'<span class="ltr whole" dir="ltr">{inner}</span>'
    broken = _CODE_BREAK.sub(lambda found: found[0] + ZERO_WIDTH_SPACE, text)
    return f'<span class="ltr" dir="ltr">{escaped(broken)}</span>'


def _runs(html: str, pattern: re.Pattern[str], cls: str) -> str:
    """``html`` with each match of ``pattern`` wrapped (_wrap) in a span of class ``cls``, and,
    for left-to-right runs, each code span with Latin letters and no right-to-left ones one run
    of its own, whole (_code_run)."""
    def wrapped(part: str) -> str:
        return sub_text(part, pattern, lambda text: _wrap(text, cls))

    if cls != "ltr" or "<code" not in html:
        return wrapped(html)
    out, last = [], 0
    for code in _CODE.finditer(html):
        kinds = {unicodedata.bidirectional(char) for char in _characters(code[2])[0]}
        if "L" not in kinds or kinds & {"R", "AL"}:
            continue
        out += [wrapped(html[last:code.start()]), code[1], _code_run(code[2]), code[3]]
        last = code.end()
    return "".join([*out, wrapped(html[last:])])


def isolate_runs(html: str, direction: str) -> str:
    """Wrap the runs that go against ``direction`` ('rtl' or 'ltr') in spans of their own.

    A text wholly in the other direction (an English caption or quote in an Arabic article, an
    Arabic one in an English article) is one span of its own direction, ``class="other"``: its
    words, quotes and full stop in the order its reader reads them, its lines broken as anywhere
    else. Cut into runs, the neutrals between them took the article's direction ('Actors perform
    "The Scale" among…' was drawn 'among… "The Scale" Actors perform'). Inside an Arabic one,
    numbers and Latin runs still get their spans (a phone number is read left to right there
    too). Its footnotes keep the article's direction and runs."""
    pattern, cls = (_LTR_RUN, "ltr") if direction == "rtl" else (_RTL_RUN, "rtl")
    other = other_direction(html, direction)
    if other is None:
        return _runs(html, pattern, cls)
    out = []
    for note, part in _footnotes(html):
        if note:
            part = part.replace(_FOOTNOTE, f'<span class="footnote" dir="{direction}">', 1)
            out.append(_runs(part, pattern, cls))
        else:
            inner = _runs(part, _LTR_RUN, "ltr") if other == "rtl" else part
            out.append(f'<span class="other" dir="{other}">{inner}</span>')
    return "".join(out)
