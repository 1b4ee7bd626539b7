"""A seed → an Arabic Markdown article holding every element a magazine article may (issue 13).

Written after the layout's code and never tuned on: the sentences, headings, captions and
credits of ``generate.py``, in sections that each hold one or two of a bulleted list, a numbered
list, a table of numbers (ranges, percentages, thousands), a pull quote, a boxed sidebar, a
definition list, a short formula, footnote calls, and photos of the project's ``images/`` in a
column, across the columns (``.wide``) or into the bleed (``.bleed``), with a lead photo or none.
Every photo is there and credited, so a build of one says nothing but what is wrong with it.
The same seed always gives the same article.

    python -m tests.corpus.elements OUT_DIR [--count 20] [--seed 0]
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from .generate import (
    CAPTIONS,
    CREDITS,
    DECKS,
    HEADINGS,
    PEOPLE,
    PLAIN,
    QUOTES,
    SENTENCES,
    TITLES,
    Slots,
    fill,
    write,
)

#: The project's photos (portrait and landscape), every one present.
PHOTOS = ("images/180816-Z-BT406-0647_edit.jpg", "images/180817-Z-ID851-1004-edit.jpg",
          "images/demo-cover.jpg", "images/demo-library-box.jpg", "images/demo-library-children.jpg",
          "images/demo-newsroom-desk.jpg", "images/demo-railway-crossing.jpg",
          "images/demo-railway-station.jpg", "images/demo-solar-rows.jpg",
          "images/demo-solar-substation.jpg")
ITEMS = ("تسجيل {int} أسرة في المرحلة الأولى", "تدريب {int} من {people} على أساسيات {topic}",
         "رفع نسبة التغطية إلى {percent}", "افتتاح مركز جديد في {place} قبل {date}",
         "تخصيص {thousands} دينار للصيانة", "مراجعة النتائج كل {int} أشهر",
         "نشر التقرير على {url}")
ROW_LABELS = ("{place}", "المرحلة الأولى", "المرحلة الثانية", "{commodity}", "الإجمالي", "{year}",
              "المدارس", "العيادات", "الأسر المستفيدة")
COLUMN_HEADS = ("{year}", "المؤشر", "النسبة", "العدد", "التكلفة (دينار)", "الفترة", "التغير",
                "مدة التنفيذ بالأشهر")
CELLS = ("{int}", "{percent}", "{thousands}", "{decimal}", "{small_range}", "{signed_percent}",
         "{arabic_thousands}", "{year_range}")
TERMS = ("{topic}", "{org_short}", "المؤشر المركّب", "خط الأساس", "{commodity}")
SIDEBAR_TITLES = ("ماذا يعني ذلك؟", "بالأرقام", "كيف تشارك؟", "خلفية {year}", "{org_short} في سطور")
FORMULAS = ("$E = mc^2$", "$x_1 + x_2$", "$a^{n+1}$", "$P = 2(a + b)$", "$CO_2$", "$v = d/t$")
#: What a section may hold beside its paragraphs (a column's photo twice: the commonest figure).
KINDS = ("bullets", "numbered", "table", "pull", "sidebar", "definitions", "column", "wide",
         "bleed", "column")


@dataclass(frozen=True)
class Article:
    """One generated article: its file name, Markdown text and the elements it holds."""

    name: str
    text: str
    elements: tuple[str, ...]


def _paragraph(slots: Slots, sentences: int, notes: list[str]) -> str:
    rng = slots.rng
    parts = [fill(rng.choice(SENTENCES), slots) if rng.random() < 0.4 else rng.choice(PLAIN)
             for _ in range(sentences)]
    if rng.random() < 0.15:
        parts[rng.randrange(len(parts))] += f" ويكتب الفريق ذلك هكذا: {rng.choice(FORMULAS)}."
    if rng.random() < 0.2:
        notes.append(fill(rng.choice(SENTENCES), slots))
        parts[-1] = parts[-1].rstrip(".") + f"[^{len(notes)}]."
    return " ".join(parts)


def _figure(slots: Slots, kind: str) -> str:
    rng = slots.rng
    caption = fill(rng.choice(CAPTIONS), slots)
    attrs = [f'credit="{fill(rng.choice(CREDITS), slots)}"']
    if kind in ("wide", "bleed"):
        attrs.append("." + kind)
    return f"![{caption}]({rng.choice(PHOTOS)}){{{' '.join(attrs)}}}"


def _table(slots: Slots) -> str:
    rng = slots.rng
    columns = rng.randint(2, 4)
    heads = [fill(rng.choice(ROW_LABELS[1:3]), slots)] + [fill(rng.choice(COLUMN_HEADS), slots)
                                                          for _ in range(columns - 1)]
    rows = ["| " + " | ".join(heads) + " |", "|---" + "|--:" * (columns - 1) + "|"]
    for _ in range(rng.randint(3, 9)):
        cells = [fill(rng.choice(ROW_LABELS), slots)] + [fill(rng.choice(CELLS), slots)
                                                         for _ in range(columns - 1)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _element(slots: Slots, kind: str, notes: list[str]) -> str:
    rng = slots.rng
    if kind == "bullets":
        return "\n".join("- " + fill(rng.choice(ITEMS), slots) for _ in range(rng.randint(2, 5)))
    if kind == "numbered":
        return "\n".join(f"{n}. " + fill(rng.choice(ITEMS), slots)
                         for n in range(1, rng.randint(3, 6)))
    if kind == "table":
        return _table(slots)
    if kind == "pull":
        return "> " + fill(rng.choice(QUOTES), slots) + " {.pull}"
    if kind == "sidebar":
        body = "\n\n".join(_paragraph(slots, rng.randint(1, 3), notes) for _ in range(rng.randint(1, 2)))
        return f"::: sidebar {fill(rng.choice(SIDEBAR_TITLES), slots)}\n{body}\n:::"
    if kind == "definitions":
        return "\n\n".join(f"{fill(term, slots)}\n: {fill(rng.choice(PLAIN), slots)}"
                           for term in rng.sample(TERMS, rng.randint(2, 3)))
    return _figure(slots, kind)


def article(seed: int) -> Article:
    """The article of ``seed``: front matter, maybe a lead photo, an opening paragraph, then 3–5
    sections of 1–4 paragraphs with one or two elements each, footnotes last."""
    rng = random.Random(f"elements-{seed}")
    slots = Slots(rng)
    front = {"title": fill(rng.choice(TITLES), slots), "deck": fill(rng.choice(DECKS), slots),
             "byline": rng.choice(PEOPLE), "lang": "ar",
             "date": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    blocks: list[str] = []
    notes: list[str] = []
    kinds: list[str] = []
    if rng.random() < 0.7:
        blocks.append(_figure(slots, rng.choice(("column", "bleed"))))
        kinds.append("lead")
    blocks.append(_paragraph(slots, rng.randint(2, 4), notes))
    for _ in range(rng.randint(3, 5)):
        blocks.append("## " + fill(rng.choice(HEADINGS), slots))
        paragraphs = [_paragraph(slots, rng.randint(1, 7), notes) for _ in range(rng.randint(1, 4))]
        for kind in rng.sample(KINDS, rng.randint(1, 2)):
            paragraphs.insert(rng.randint(1, len(paragraphs)), _element(slots, kind, notes))
            kinds.append(kind)
        blocks += paragraphs
    blocks += [f"[^{number}]: {note}" for number, note in enumerate(notes, start=1)]
    head = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()),
            "---", ""]
    return Article(f"elements-{seed:03d}.md", "\n".join(head) + "\n\n".join(blocks) + "\n",
                   tuple(kinds + ["footnotes"] * bool(notes)))


def main(argv: list[str] | None = None) -> int:
    return write(argv, __doc__.splitlines()[0], 20, article)


if __name__ == "__main__":
    raise SystemExit(main())
