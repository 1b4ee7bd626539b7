"""Extracted PDF text (per reader) + the source article → reading-order scores, search results,
named defects, and where each word or number went astray."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from pressroom.check.pdfread import DEFAULT_LIMITS, Limits, reading
from pressroom.check.verify import INVISIBLE_MARKS, PdfReport, normalise, words
from pressroom.errors import display_path
from pressroom.model import Article, Figure
from pressroom.sources.importer import TELLTALE_BOILERPLATE

_ARABIC_LETTERS = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
#: A bracket pair read mirrored in a line of Arabic: ")الناتو(", ")AMM(", ") 12% (", and a pair
#: that a line's end cuts (")وهي" … "مستقلة("): pdfium mirrors every bracket it reads right to
#: left, and the PDF cannot undo it for pdfium alone (the others read a glyph's text as it is).
_MIRRORED = re.compile(r"[)\]}][^()\[\]{}\n]*(?:\n[^()\[\]{}\n]*)?[(\[{]")
#: Guillemets read swapped around Arabic ("»الخطة الجديدة«"), the same way and for the same
#: reason; they are no brackets, and are reported apart.
_SWAPPED = re.compile(r"»[^«»\n]*(?:\n[^«»\n]*)?«")
#: Bidi controls and marks: no reader shows them and a viewer's search skips them, so they
#: join what they stand between (poppler wraps every run in them; glyphfold draws some, and
#: U+180E, default-ignorable as they are, before Arabic-Indic digits for pypdf).
_BIDI_CONTROLS = re.compile(f"[{INVISIBLE_MARKS}\u202a-\u202e\u2066-\u2069]")
#: A word as a viewer's search matches it: letters and digits with their marks (a shadda or a
#: tanween is part of its word: "غيّ ر" is not "غيّر"), and the zero-width non-joiners and
#: joiners inside it ("می‌گوید" is one word; "میگوید" is another).
_SEARCH_LETTER = ("(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4"
                  "\u06e7\u06e8\u06ea-\u06ed])+")
_SEARCH_WORD = re.compile(f"{_SEARCH_LETTER}(?:[\u200c\u200d]{_SEARCH_LETTER})*")
#: Readers that cannot give a zero-width non-joiner or joiner: pdf.js skips every glyph whose
#: text ends with a format character (and a glyph reading as the joiner and a letter reads
#: wrong in pypdf or in the others: glyphfold._joiners_drawn). Their words are compared without
#: joiners on both sides (a search still counts them: it fails), and the words they lose so
#: are named.
DROPS_JOINERS = ("pdf.js",)
_JOINERS = str.maketrans("", "", "\u200c\u200d")


@dataclass(frozen=True)
class Goal:
    """What a reader must reach: share of words (in order, or merely found) and numbers in place."""

    words: float
    numbers: float
    in_order: bool = True


#: The text-layer goals per reader (poppler's column order is its own: it is held to words found).
GOALS = {
    "pdfium": Goal(words=0.995, numbers=1.0),
    "pypdf": Goal(words=0.98, numbers=0.90),
    "poppler": Goal(words=0.97, numbers=0.0, in_order=False),
    "pdf.js": Goal(words=0.90, numbers=0.0),  # where Node and bench/pdfjs's pdfjs-dist are
}


@dataclass(frozen=True)
class Astray:
    """A source word (or number) a reader did not give in its place: the source words on either
    side of it, and the page the reader gave it on (None: nowhere)."""

    word: str
    before: str | None
    after: str | None
    page: int | None

    def describe(self) -> str:
        """«word» between «before» … «after» (page N | not found)."""
        where = f"page {self.page}" if self.page else "not found"
        if self.before and self.after:
            side = f" between «{self.before}» … «{self.after}»"
        elif self.before or self.after:
            side = f" after «{self.before}»" if self.before else f" before «{self.after}»"
        else:
            side = ""
        return f"«{self.word}»{side} ({where})"


@dataclass
class ReaderScore:
    """One reader's result on one PDF."""

    reader: str
    words_in_order: float | None = None
    words_found: float | None = None
    numbers: tuple[int, int] | None = None
    defects: dict[str, list[str]] = field(default_factory=dict)
    #: (source words a whole-word search finds in the NFKC-normalised text, without NFKC, all)
    search: tuple[int, int, int] | None = None
    not_found: list[str] = field(default_factory=list)
    out_of_order: list[Astray] = field(default_factory=list)
    misplaced_numbers: list[Astray] = field(default_factory=list)

    def failures(self, goal: Goal | None) -> list[str]:
        """Why this score misses the goal, and the defects that change words."""
        problems = [f"{name}: {', '.join(self.defects[name][:5])}" for name in WORD_DEFECTS
                    if self.defects.get(name)]
        if goal is None:
            return problems
        share = self.words_in_order if goal.in_order else self.words_found
        if share is not None and share < goal.words:
            kind = "in order" if goal.in_order else "found"
            problems.append(f"words {kind} {share:.1%} < {goal.words:.1%}")
        if self.numbers and self.numbers[1] and self.numbers[0] / self.numbers[1] < goal.numbers:
            problems.append(f"{NUMBERS_IN_PLACE} {self.numbers[0]}/{self.numbers[1]} < {goal.numbers:.0%}")
        return problems


def _in_order(source: list[str], got: list[str]) -> int:
    """How many of the source's words the text has in the same order (matching blocks)."""
    matcher = SequenceMatcher(None, source, got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def in_order_share(source: list[str], got: list[str], floats: tuple[list[str], ...] = ()) -> float:
    """Share of the source's words found in the same order (longest common subsequence blocks).

    ``floats`` are word runs the layout may place anywhere (a figure's caption, its credit): each
    must read in order within itself, wherever it stands."""
    total = len(source) + sum(len(run) for run in floats)
    if not total:
        return 1.0
    return (_in_order(source, got) + sum(_in_order(run, got) for run in floats)) / total


def found_share(source: list[str], got: list[str]) -> float:
    """Share of the source's words (with their counts) present anywhere in the text."""
    if not source:
        return 1.0
    have = Counter(got)
    return sum(min(n, have[w]) for w, n in Counter(source).items()) / len(source)


def numbers_in_place(blocks: tuple[str, ...], got: list[str]) -> tuple[int, int]:
    """(numbers found between the same neighbouring words as in the source, numbers)."""
    total, misplaced = _numbers(blocks, got)
    return total - len(misplaced), total


def numbers_out_of_place(blocks: tuple[str, ...], pages: list[str], floats: tuple[list[str], ...] = (),
                         notes: tuple[list[str], ...] = (), heads: tuple[list[str], ...] = (),
                         calls: set[str] | frozenset[str] = frozenset()) -> tuple[int, list[Astray]]:
    """(the numbers of the source's ``blocks``, the ones the reader's ``pages`` give between
    other words than their source neighbours, with the page of the reader's first such number).
    A number is in place too where its neighbours are read without what the layout sets between
    them (_without_furniture: folios, running heads ``heads``, footnotes ``notes`` at a page's
    edges, figure texts ``floats``) or without the footnote calls (``calls``: call_words)."""
    got = words("\n".join(pages))
    page_of = [number for number, page in enumerate(pages, 1) for _ in words(page)]
    without = _without_furniture(pages, floats, notes, heads)
    uncalled = [[w for w in seq if w not in calls] for seq in (got, without)] if calls else []
    return _numbers(blocks, got, page_of, (without, *uncalled))


def _numbers(blocks: tuple[str, ...], got: list[str], pages: list[int] | None = None,
             readings: tuple[list[str], ...] = ()) -> tuple[int, list[Astray]]:
    """(numbers, the ones not between their source neighbours, with the page of the reader's
    first such number). ``readings``: the reader's words ``got`` read other ways (without page
    furniture, without footnote calls), where a number between its neighbours is in place
    too."""
    triples, pairs_before, pairs_after = set(), set(), set()
    for seq in (got, *readings):
        triples |= {tuple(seq[i - 1:i + 2]) for i in range(1, len(seq) - 1)}
        pairs_before |= {tuple(seq[i - 1:i + 1]) for i in range(1, len(seq))}
        pairs_after |= {tuple(seq[i:i + 2]) for i in range(len(seq) - 1)}
    first = {}
    for index, token in enumerate(got):
        first.setdefault(token, index)
    total, misplaced = 0, []
    for block in blocks:
        tokens = words(block)
        for i, token in enumerate(tokens):
            if not any(ch.isdigit() for ch in token):
                continue
            total += 1
            before = tokens[i - 1] if i else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if before and after:
                ok = (before, token, after) in triples
            elif before:
                ok = (before, token) in pairs_before
            elif after:
                ok = (token, after) in pairs_after
            else:
                ok = token in got
            if not ok:
                page = pages[first[token]] if pages and token in first else None
                misplaced.append(Astray(token, before, after, page))
    return total, misplaced


#: The digits each CSS counter style numbers footnote calls in (model.counter_style).
_COUNTER_DIGITS = {"decimal": "0123456789", "arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}


def call_words(article: Article) -> set[str]:
    """The words the article's footnote calls read as (the layout numbers them 1, 2, … in the
    article's digits). The source's text has no calls; a reader gives each where it is drawn,
    after its word or number ("بلغ 1,500 ١ متر"), which is no number out of place."""
    digits = _COUNTER_DIGITS.get(article.counter_style, _COUNTER_DIGITS["decimal"])
    return {"".join(digits[int(d)] for d in str(n)) for n in range(1, len(article.footnotes) + 1)}


def _folio(line: str) -> bool:
    """A line that is nothing but a number (a page's folio, at its head or foot)."""
    bare = _BIDI_CONTROLS.sub("", line).strip()
    return bare.isdigit()


def _without_furniture(pages: list[str], floats: tuple[list[str], ...],
                       notes: tuple[list[str], ...] = (), heads: tuple[list[str], ...] = ()) -> list[str]:
    """The reader's words without what stands between a number and its source
    neighbours by layout, not by misreading: each page's folio (its first or last line when that
    is a bare number) and each figure text (a caption or credit set in the column between two lines
    of a paragraph, a missing photo's placeholder). A figure text is taken out where the reader
    gives it whole. At a page's edges only (_page_edges): its running heads (a line that starts or
    ends with the title or the publication, ``heads``: an issue's "آفاق · العدد ٢٧ · أبريل ٢٠٢٥")
    and, at its end, its footnotes (``notes``) with the numbers they are marked with — a paragraph
    that goes on to the next page has them between its two parts; the same words in the body
    stay."""
    got: list[str] = []
    for page in pages:
        got += _page_edges([line for line in page.splitlines() if line.strip()], notes, heads)
    for run in sorted(floats, key=len, reverse=True):
        size = len(run)
        for i in range(len(got) - size + 1) if size else ():
            if got[i:i + size] == run:
                del got[i:i + size]
                break
    return got


def _running_head(line: list[str], heads: tuple[list[str], ...]) -> bool:
    """Whether a line's words start or end with a running head (a run of ``heads``)."""
    return any(run and (line[:len(run)] == run or line[-len(run):] == run) for run in heads)


def _page_edges(lines: list[str], notes: tuple[list[str], ...], heads: tuple[list[str], ...]) -> list[str]:
    """A page's words without its folios and running heads at its start and its end, and the
    footnotes that end it (each with its marker), taken off its end one at a time."""
    rows = [(_folio(line), words(line)) for line in lines]
    while rows and (rows[0][0] or _running_head(rows[0][1], heads)):
        rows.pop(0)
    while rows:
        folio, last = rows[-1]
        if folio or _running_head(last, heads):
            rows.pop()
            continue
        flat = [w for _, row in rows for w in row]
        run = next((run for run in notes if run and flat[-len(run):] == run), None)
        if run is None:
            return flat
        cut = len(run) + (len(flat) > len(run) and flat[-len(run) - 1].isdigit())  # (its marker: "٢.")
        while cut:  # the note's words off the last rows
            folio, last = rows.pop()
            if len(last) > cut:
                rows.append((False, last[:-cut]))
                break
            cut -= len(last)
    return []


def _placeholders(article: Article) -> tuple[list[str], ...]:
    """The words a layout draws for a photo it could not find (its label, the photo's path),
    which the layout places at a column's top with its caption."""
    from pressroom.layout.render import STRINGS

    labels = {strings["missing"] for strings in STRINGS.values()}
    return tuple(words(label) for label in sorted(labels)) + tuple(
        words(block.src) for block in article.blocks if isinstance(block, Figure))


def _out_of_order(source: list[str], got: list[str], pages: list[int]) -> list[Astray]:
    """The source words outside the reader's longest in-order blocks, with the page where the
    matched text before them is (after them, for the first words)."""
    matcher = SequenceMatcher(None, source, got, autojunk=False)
    placed: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        placed.update({block.a + k: block.b + k for k in range(block.size)})
    astray = []
    for index, word in enumerate(source):
        if index in placed:
            continue
        near = [placed[j] for j in range(index - 1, -1, -1) if j in placed][:1] or \
            [placed[j] for j in range(index + 1, len(source)) if j in placed][:1]
        page = pages[near[0]] if near and word in got else None
        astray.append(Astray(word, source[index - 1] if index else None,
                             source[index + 1] if index + 1 < len(source) else None, page))
    return astray


def search_words(text: str, nfkc: bool = True) -> set[str]:
    """The words a whole-word text search finds in extracted text: NFKC-normalised (or not),
    bidi controls and marks dropped, tatweel kept (a word drawn with one is another word)."""
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    return set(_SEARCH_WORD.findall(_BIDI_CONTROLS.sub("", text)))


def source_words(article: Article) -> list[str]:
    """Every distinct word of the article, as a reader would search for it."""
    return list(dict.fromkeys(
        _SEARCH_WORD.findall(_BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", " ".join(
            article.text_blocks()))))))


def _lam_alef_swaps(word: str) -> list[str]:
    """The word with one inner "ال" read back as "لا" (how a reversed lam-alef ligature comes out)."""
    return [word[:i] + "لا" + word[i + 2:] for i in range(1, len(word) - 1) if word[i:i + 2] == "ال"]


def defects(text: str, source_words: set[str] | None = None,
            source_text: str = "") -> dict[str, list[str]]:
    """Named defects in extracted text: doubled letters (needs the source's words), reversed
    lam-alef, mirrored brackets and swapped guillemets (not the pairs the source has: "…] وأشار
    … (5G)") and web boilerplate."""
    got = set(words(text))
    known = source_words if source_words is not None else got
    doubled, reversed_lam_alef = [], []
    for word in sorted(got - (source_words or set())):
        if not _ARABIC_LETTERS.search(word):
            continue
        if source_words is not None and any(
                word[i] == word[i + 1] and word[:i] + word[i + 1:] in known
                for i in range(len(word) - 1)) and len(word) > 3:
            doubled.append(word)
        if any(swap in known for swap in _lam_alef_swaps(word)):
            reversed_lam_alef.append(word)
    plain = normalise(text)
    found = {
        "doubled letters": doubled,
        "reversed lam-alef": reversed_lam_alef,
        "mirrored brackets": _pairs(_MIRRORED, plain, source_text),
        "swapped guillemets": _pairs(_SWAPPED, plain, source_text),
        "boilerplate": [b for b in TELLTALE_BOILERPLATE if normalise(b).casefold() in plain.casefold()],
    }
    return {name: items for name, items in found.items() if items}


def _pairs(pattern: re.Pattern[str], plain: str, source_text: str) -> list[str]:
    """What ``pattern`` (a closing mark, then an opening one) finds in ``plain`` on lines with
    Arabic letters, as one line, but the pairs the source has: "…] وأشار … (5G)" is a note
    closed and a bracket opened."""
    own = {tuple(words(m)) for m in pattern.findall(normalise(source_text))}
    found = []
    for match in pattern.finditer(plain):
        start = plain.rfind("\n", 0, match.start()) + 1
        end = plain.find("\n", match.end())
        if _ARABIC_LETTERS.search(plain[start:end if end >= 0 else len(plain)]) and \
                tuple(words(match[0])) not in own:
            found.append(" ".join(match[0].split()))
    return found


#: Defects that change words (the others are punctuation or page furniture, reported only).
WORD_DEFECTS = ("doubled letters", "reversed lam-alef", "boilerplate")


def score(reader: str, pages: list[str], article: Article | None = None) -> ReaderScore:
    """Score one reader's extracted pages, against the article when there is one."""
    text = "\n".join(pages)
    if article is None:
        return ReaderScore(reader, defects=defects(text))
    drops = reader in DROPS_JOINERS

    def own(part: str) -> str:  # a text as the reader can give it at best (both sides alike)
        return part.translate(_JOINERS) if drops else part

    got = words(own(text))
    page_of = [number for number, page in enumerate(pages, 1) for _ in words(own(page))]
    blocks = tuple(own(block) for block in article.text_blocks())
    source = words(" ".join(blocks))
    flow = words(own(" ".join(article.text_blocks(figures=False))))
    notes = tuple(words(own(note.text)) for note in article.footnotes if note.text)
    captions = tuple(words(own(caption)) for caption in article.caption_texts())
    heads = tuple(run for run in (words(own(article.title)), words(own(article.publication))) if run)
    placeholders = tuple([own(w) for w in run] for run in _placeholders(article))
    wanted = source_words(article)
    found, plain = search_words(text), search_words(text, nfkc=False)
    total, misplaced = numbers_out_of_place(blocks, [own(page) for page in pages], captions + placeholders,
                                            notes, heads, call_words(article))
    # a running head's words are the page's own: "العدد" of an issue's head is not "العد" doubled
    named = defects(text, {*source, *(word for run in heads for word in run)}, "\n".join(blocks))
    lost = [w for w in wanted if w not in found and w.translate(_JOINERS) != w] if drops else []
    if lost:
        named[f"joiners dropped ({reader} skips them)"] = lost
    return ReaderScore(
        reader,
        words_in_order=in_order_share(flow, got, captions + notes),
        words_found=found_share(source, got),
        numbers=(total - len(misplaced), total),
        defects=named,
        search=(sum(w in found for w in wanted), sum(w in plain for w in wanted), len(wanted)),
        not_found=[w for w in wanted if w not in found],
        out_of_order=_out_of_order(flow, got, page_of),
        misplaced_numbers=misplaced,
    )


@dataclass
class CheckReport:
    """Every available reader's score on one PDF, and whether all reach their goals."""

    pdf: Path
    source: Path | None
    scores: list[ReaderScore]
    #: (pages read, pages in the document): check reads at most --max-pages.
    pages: tuple[int, int] | None = None
    #: The readers not run, and why ("pdf.js": "node is not installed").
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.problems().values())

    def problems(self) -> dict[str, list[str]]:
        """Per reader, why it misses its goal (goals apply only with a source)."""
        return {s.reader: s.failures(GOALS.get(s.reader) if self.source else None)
                for s in self.scores}

    def render(self, verbose: bool = False) -> str:
        """The report as the check command prints it; ``verbose`` adds, per reader, each word out
        of order and each number out of place (with its source neighbours and page) and the
        words a search does not find."""
        against = f", against {display_path(self.source)}" if self.source else " (no source)"
        if self.pages and self.pages[0] < self.pages[1]:
            against += (f"; read the first {self.pages[0]} of {self.pages[1]} pages "
                        "(--max-pages raises the cap)")
        lines = [f"{display_path(self.pdf)}{against}",
                 f"{'reader':8} {'in order':>9} {'found':>7} {'numbers':>8} {'search':>9} "
                 f"{'no NFKC':>8}  defects"]
        for s in self.scores:
            order = f"{s.words_in_order:.1%}" if s.words_in_order is not None else "-"
            found = f"{s.words_found:.1%}" if s.words_found is not None else "-"
            numbers = f"{s.numbers[0]}/{s.numbers[1]}" if s.numbers else "-"
            search = f"{s.search[0]}/{s.search[2]}" if s.search else "-"
            plain = f"{s.search[1]}/{s.search[2]}" if s.search else "-"
            named = "; ".join(f"{k} ({len(v)}): {', '.join(v[:3])}" for k, v in s.defects.items())
            lines.append(f"{s.reader:8} {order:>9} {found:>7} {numbers:>8} {search:>9} {plain:>8}"
                         f"  {named or '-'}")
        if self.source and any(s.search for s in self.scores):
            lines.append("search: the source's distinct words a whole-word search finds in the "
                         "text, NFKC-normalised (no NFKC: as extracted, presentation forms kept)")
        lines += [f"{reader}: skipped: {why}" for reader, why in self.skipped.items()]
        for s in self.scores if verbose else ():
            goal = GOALS.get(s.reader)
            if goal is not None and not goal.in_order:
                lines.append(f"{s.reader}: reads columns in an order of its own: words out of order "
                             "not listed")
            else:
                lines += [f"{s.reader}: out of order: {a.describe()}" for a in s.out_of_order]
            lines += [f"{s.reader}: number out of place: {a.describe()}" for a in s.misplaced_numbers]
            if s.not_found:
                lines.append(f"{s.reader}: not found by a search ({len(s.not_found)}): "
                             + ", ".join(s.not_found))
        by_reader = {s.reader: s for s in self.scores}
        for reader, problems in self.problems().items():
            for problem in problems:
                lines.append(f"FAIL {reader}: {problem}")
                if not verbose:  # (verbose listed them all above)
                    lines += _examples(problem, by_reader.get(reader))
        lines.append("ok" if self.ok else "below the goals")
        return "\n".join(lines) + "\n"


#: How failed goals start (ReaderScore.failures), by which _examples tells what to name.
NUMBERS_IN_PLACE = "numbers in place"
WORDS_IN_ORDER = "words in order"
#: How many of the words or numbers behind a failed goal the report names without -v.
_EXAMPLES = 3


def _examples(problem: str, score: ReaderScore | None) -> list[str]:
    """The first few words or numbers behind a failed goal, so that a FAIL says what went
    astray; -v lists every one."""
    if score is None:
        return []
    astray = (score.misplaced_numbers if problem.startswith(NUMBERS_IN_PLACE)
              else score.out_of_order if problem.startswith(WORDS_IN_ORDER) else [])
    more = [f"  ({len(astray) - _EXAMPLES} more with -v)"] if len(astray) > _EXAMPLES else []
    return [f"  {a.describe()}" for a in astray[:_EXAMPLES]] + more


def check(pdf: Path, article: Article | None = None, limits: Limits = DEFAULT_LIMITS) -> CheckReport:
    """Score every available reader's text of ``pdf``, read within ``limits``."""
    texts, pages, skipped = read_texts(pdf, limits)
    scores = [score(reader, pages, article) for reader, pages in texts.items()]
    return CheckReport(pdf, article.path if article else None, scores, pages, skipped)


def check_parts(pdf: Path, parts: list[tuple[Article, range]],
                limits: Limits = DEFAULT_LIMITS) -> list[CheckReport]:
    """Score each article of a PDF that holds several (an issue) on its own pages."""
    texts, read, skipped = read_texts(pdf, limits)
    return [CheckReport(pdf, article.path,
                        [score(reader, [pages[i] for i in span if i < len(pages)], article)
                         for reader, pages in texts.items()], read, skipped)
            for article, span in parts]


def read_texts(pdf: Path, limits: Limits = DEFAULT_LIMITS
               ) -> tuple[dict[str, list[str]], tuple[int, int], dict[str, str]]:
    """Every available reader's text of ``pdf`` (pdf.js too, where Node has it), page by page (the
    first ``limits.pages``), (pages read, pages in the document), and the readers skipped with
    why; a file that cannot be read is one ContentError naming it."""
    with reading(pdf, limits):
        report = PdfReport(pdf, limits)
        texts = report.texts(pdfjs=True)
        return texts, (len(report.page_objects), report.page_count), report.skipped
