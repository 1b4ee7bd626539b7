"""What a table's columns hold, for the template: quantities aligned on their decimal separator."""

from __future__ import annotations

import re

from pressroom.model import Cell, Table

_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
#: A cell that opens with a number (its sign, groups, decimal part, percent sign), the unit or
#: words after it left alone: "12.5 مل", "٢٠٫١٪", "1,250". A comma not followed by a group of
#: exactly three digits is a decimal comma ("1,25", as French and German write it), not cut there.
_LEADING_NUMBER = re.compile(
    rf"(?P<sign>[-+\u2212]?)[{_DIGITS}]+(?:[,\u066c][{_DIGITS}]{{3}}(?![{_DIGITS}]))*"
    rf"(?:(?P<point>[.\u066b]|,(?![{_DIGITS}]{{3}}(?![{_DIGITS}])))(?P<fraction>[{_DIGITS}]+))?"
    rf"(?![{_DIGITS}])")
#: What stands in an empty cell of a column of numbers.
_PLACEHOLDERS = {"-", "\u2013", "\u2014", "\u2212", "\u2026", "..."}
#: A table of at least this many columns is dense: its cells are set closer together, so that
#: the width its headings and numbers do not need goes to its columns of words.
DENSE_COLUMNS = 6


#: A table of at least SPAN_COLUMNS columns (a dense one) whose columns' longest cells add up to
#: SPAN_CHARACTERS characters or more (each counted to SPAN_CELL at most: a long cell wraps in any
#: case) needs more than a magazine column: set across the columns unless marked. The tester's
#: 7-column table of phrases wrapped every cell to three or four lines in one column; the
#: 8-column standings (50) and the 7 columns of airline-punctuality.md (66) fit, set closer. Not
#: below six columns: freight-rates.md's five columns of ranges with words ("1,850-2,400 دولار
#: للحاوية"), each range on one line with its words across the page, were read by poppler
#: with the range's numbers swapped ("-1,850 2,400"); mark such a table {.wide} knowingly.
SPAN_COLUMNS = DENSE_COLUMNS
SPAN_CHARACTERS = 90
SPAN_CELL = 30


def spans(table: Table) -> bool:
    """Whether ``table`` is set across the columns: marked {.wide}, or needing more than one."""
    if table.wide:
        return True
    if len(table.header) < SPAN_COLUMNS:
        return False
    widest = [max((len(row[i].text) for row in (table.header, *table.rows) if i < len(row)), default=0)
              for i in range(len(table.header))]
    return sum(min(width, SPAN_CELL) for width in widest) >= SPAN_CHARACTERS


def dense(table: Table) -> bool:
    """Whether ``table`` has so many columns that its cells are set closer together."""
    return len(table.header) >= DENSE_COLUMNS


def _zero(digit: str) -> str:
    """The zero of ``digit``'s set of digits."""
    for zero in ("0", "\u0660", "\u06f0"):
        if ord(zero) <= ord(digit) <= ord(zero) + 9:
            return zero
    return "0"


def decimal_pads(table: Table) -> list[list[str]]:
    """For each body cell, the text whose width it lacks right of its number's last digit to
    align with the others of its column on the decimal separator ("" for none): "10 مل" in a
    column with "7.5 مل" lacks ".0". Only a column whose every filled cell opens with a number
    (a dash for none aside) and one of which has a decimal part is padded; the pad is drawn
    hidden by the layout (the template's ``span.pad``), so no reader extracts it."""
    columns = len(table.header)
    pads = [[""] * columns for _ in table.rows]
    for index in range(columns):
        found: list[tuple[int, re.Match[str]]] = []
        for number, row in enumerate(table.rows):
            cell: Cell | None = row[index] if index < len(row) else None
            text = cell.text.strip() if cell else ""
            if not text or text in _PLACEHOLDERS:
                continue
            match = _LEADING_NUMBER.match(text)
            if not match:
                break
            found.append((number, match))
        else:
            widest = max((len(m["fraction"] or "") for _, m in found), default=0)
            point = next((m["point"] for _, m in found if m["point"]), ".")
            for number, match in found:
                lacks = widest - len(match["fraction"] or "")
                if lacks:
                    zero = _zero(match[0].lstrip("-+\u2212")[0])
                    pads[number][index] = (point if lacks == widest else "") + zero * lacks
    return pads
