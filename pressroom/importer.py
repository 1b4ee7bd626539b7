"""Scraped web-article text → Article (and a list of what was decided), and Article → Markdown.

The scraped shape has one block per line (blank lines are ignored):

    line 1      the title                         التزام كازاخستان بالسلام
    line 2      the deck (standfirst)             البلاد تبعث قوات للمشاركة في بعثات …
    line 3      the byline                        سلطنات بيرديكيفا · By Jane Doe
    then        paragraphs, one a line
                photo lines                       ![alt text](https://…/photo.jpg)

Rules, in the order they are tried on each line after the first three (each is in the
table-driven tests of tests/test_importer.py):

1. Boilerplate is dropped: comment, share, print and "read also" furniture, tag lists and lines
   made only of links, in Arabic and English —
   ``التعليقات مغلقة.`` · ``Comments are closed.`` · ``اقرأ أيضاً: …`` · ``Read more`` ·
   ``الوسوم: سلام، كازاخستان`` · ``Tags: UN, peacekeeping`` · ``Facebook | Twitter | Email``.
2. A photo line becomes a figure; its alt text, when there is one, is the caption.
3. Right after a photo (or after its caption or credit), up to two lines describe it:
   - a credit — ``رقيب براين كالهون/الحرس الوطني الأمريكي`` (rank name/organisation),
     ``تصوير: أحمد علي``, ``صورة: …``, ``Photo by Jane Doe``, ``Photo: U.S. Army``,
     ``U.S. Army photo by Sgt. John Doe``, an agency alone (``رويترز``, ``AFP``,
     ``وكالة الأنباء …``, ``AFP/Getty Images``);
   - a caption — one sentence of at most 30 words ending with a full stop:
     ``جنود كازاخيون خلال تدريب في ألماتي.``; a caption that ends with its credit
     (``… in Almaty. Photo: AFP``) is split in two.
   Anything else ends the photo's lines.
4. A sub-heading is a short line (at most 9 words and 70 characters) that does not end like a
   sentence (no . ! ? ؟ : ، ؛ … or closing quote): ``بروز الكازاخيين كحفظة سلام``. A line that
   looks like a credit but follows no photo is not taken for a sub-heading: it stays a paragraph
   and is reported as unsure.
5. Every other line is a paragraph.

The language is Arabic when Arabic letters outnumber Latin ones, else English. ``parse`` returns
the decisions (title, deck, byline, sub-headings, figures with caption and credit, dropped
boilerplate, and anything unsure) that ``make_pdf.py import`` prints.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .content import read_text
from .errors import ContentError
from .model import Article, Block, Figure, Heading, Paragraph
from .report import info

#: Whole lines that are web furniture (compared case-folded, without trailing . ! : …).
BOILERPLATE = (
    "التعليقات مغلقة", "التعليقات مغلقه", "التعليقات مغلقة حاليا", "أضف تعليقا", "أضف تعليقاً",
    "اترك تعليقا", "اترك تعليقاً", "اترك رداً", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ المزيد",
    "مقالات ذات صلة", "أخبار ذات صلة", "شارك", "شارك المقال", "شارك هذا المقال", "مشاركة", "طباعة",
    "اطبع", "أرسل لصديق", "comments are closed", "comments closed", "leave a reply",
    "leave a comment", "read more", "read also", "related", "related posts", "related articles",
    "share", "share this", "share this article", "share this story", "print", "print this article",
    "email", "e-mail this", "tweet",
)
#: Phrases that give away web furniture left in a PDF's text (what `check` looks for).
TELLTALE_BOILERPLATE = ("التعليقات مغلقة", "اترك تعليقاً", "اقرأ أيضاً", "comments are closed",
                        "leave a reply", "share this article", "print this article")
#: Line openings that mark furniture followed by links or labels (tags, "read also: …").
_BOILERPLATE_PREFIX = re.compile(
    r"^(الوسوم|وسوم|كلمات مفتاحية|كلمات دلالية|التصنيفات|التصنيف|اقرأ أيضاً?|اقرأ المزيد|"
    r"شارك على|شارك عبر|tags|tagged|filed under|categories|category|read also|read more|"
    r"see also|related|share on|share via)\s*[:：]",
    re.IGNORECASE,
)
_SHARE_WORDS = {"facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail",
                "print", "share", "pinterest", "reddit", "فيسبوك", "تويتر", "واتساب", "تلغرام",
                "طباعة", "البريد", "مشاركة", "شارك"}
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)$")
_CREDIT_PREFIX = re.compile(
    r"^\(?(تصوير|صورة|الصورة|الصور|بعدسة|عدسة|المصدر|photo(?:graph)?s?(?:\s+by)?|"
    r"images?|pictures?|credit|source|courtesy(?:\s+of)?)\s*[:：/|-]?\s",
    re.IGNORECASE,
)
_CREDIT_INSIDE = re.compile(r"\b(photo|photograph|image)\s+(by|courtesy)\b|\bcourtesy of\b",
                            re.IGNORECASE)
_AGENCY = re.compile(
    r"(وكالة|رويترز|فرانس برس|أسوشيتد برس|الأناضول|\bAFP\b|\bAP\b|\bEPA\b|Reuters|"
    r"Getty Images|Associated Press|Anadolu|Xinhua|شينخوا)",
    re.IGNORECASE,
)
_CAPTION_THEN_CREDIT = re.compile(
    r"^(?P<caption>.+?[.!؟?])\s+\(?(?P<credit>(?:تصوير|صورة|بعدسة|Photo(?:graph)?(?:\s+by)?|"
    r"Credit|Courtesy(?:\s+of)?)\s*[:：]?\s.+?)\)?$",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", "؟", "…", ":", "،", "؛", "”", '"', "»", ";", ",")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


@dataclass(frozen=True)
class Decision:
    """One thing the importer decided about one line (``unsure`` marks a guess)."""

    line: int
    kind: str
    text: str
    unsure: str = ""


def _fold(line: str) -> str:
    return line.strip().rstrip(".!:：…").strip().casefold()


def is_boilerplate(line: str) -> bool:
    """Web furniture that is not part of the article (rule 1)."""
    text = line.strip()
    if _fold(text) in {b.casefold() for b in BOILERPLATE} or _BOILERPLATE_PREFIX.match(text):
        return True
    without_links = _LINK.sub(" ", text)
    if _LINK.search(text) and not re.sub(r"[\s|,،·•/-]+", "", without_links):
        return True  # a line made only of links: share buttons, tag clouds
    tokens = [t for t in re.split(r"[\s|,،·•/]+", text.casefold()) if t]
    return len(tokens) >= 2 and all(t in _SHARE_WORDS for t in tokens)


def looks_like_credit(line: str) -> bool:
    """A photo credit (rule 3): 'rank name/organisation', 'تصوير: …', 'Photo: …', an agency."""
    text = line.strip().strip("()")
    words = text.split()
    if not words or len(text) > 100:
        return False
    if _CREDIT_PREFIX.match(text) or _CREDIT_INSIDE.search(text):
        return len(words) <= 14
    ends_like_sentence = text.endswith((".", "؟", "?", "!")) and not text.endswith(
        ("Inc.", "Ltd.", "Co."))
    if "/" in text and len(words) <= 10 and not re.search(r"\d", text) and not (
            ends_like_sentence and len(words) > 6):
        return True
    return bool(_AGENCY.search(text)) and len(words) <= 6 and not ends_like_sentence


def looks_like_caption(line: str) -> bool:
    """A caption (rule 3): one sentence of at most 30 words, ending with a full stop."""
    text = line.strip()
    inner_stops = len(re.findall(r"[.!؟?](?=\s)", text))
    return len(text.split()) <= 30 and text.endswith((".", "。", "۔")) and inner_stops == 0


def looks_like_heading(line: str) -> bool:
    """A sub-heading (rule 4): a short line that does not end like a sentence."""
    text = line.strip()
    return (0 < len(text.split()) <= 9 and len(text) <= 70 and not text.endswith(_SENTENCE_END)
            and not _IMAGE.match(text))


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    return "ar" if len(_ARABIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse(text: str, path: Path) -> tuple[Article, list[Decision]]:
    """Scraped text → (Article, the decisions taken on the way). Control characters, which a
    scrape picks up and no page can show, are dropped; tabs become spaces."""
    text = _CONTROL.sub("", text.replace("\t", " "))
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    decisions: list[Decision] = []
    head: list[tuple[int, str]] = []
    while lines and len(head) < 3 and not _IMAGE.match(lines[0][1]) and not is_boilerplate(
            lines[0][1]):
        head.append(lines.pop(0))
    if not head:
        raise ContentError("the article has no title (its first line)", path, 1)
    for (number, value), kind in zip(head, ("title", "deck", "byline"), strict=False):
        decisions.append(Decision(number, kind, value))
    title, deck, byline = [*(value for _, value in head), "", ""][:3]

    blocks: list[Block] = []
    photo_lines = 0  # how many describing lines the last figure may still take
    for number, line in lines:
        if is_boilerplate(line):
            decisions.append(Decision(number, "boilerplate", line))
            photo_lines = 0
            continue
        match = _IMAGE.match(line)
        if match:
            url = match["url"] if "://" in match["url"] else unquote(match["url"])
            blocks.append(Figure(url, match["alt"].strip(), "", number))
            decisions.append(Decision(number, "figure", match["url"]))
            if match["alt"].strip():
                decisions.append(Decision(number, "caption", match["alt"].strip()))
            photo_lines = 2
            continue
        last = blocks[-1] if blocks else None
        if photo_lines and isinstance(last, Figure):
            taken = _describe(last, line, number, decisions)
            if taken is not None:
                blocks[-1] = taken
                photo_lines -= 1
                continue
        photo_lines = 0
        if looks_like_credit(line):
            blocks.append(Paragraph(line, html.escape(line), number))
            decisions.append(Decision(number, "paragraph", line,
                                      "looks like a photo credit but follows no photo"))
        elif looks_like_heading(line):
            blocks.append(Heading(line, 2, number))
            decisions.append(Decision(number, "sub-heading", line))
        else:
            blocks.append(Paragraph(line, html.escape(line), number))
    article = Article(title=title, path=path, deck=deck, byline=byline, lang=detect_lang(text),
                      blocks=tuple(blocks))
    return article, decisions


def _describe(figure: Figure, line: str, number: int, decisions: list[Decision]) -> Figure | None:
    """The figure with ``line`` as its credit or caption, or None when the line is neither."""
    if not figure.credit and looks_like_credit(line):
        decisions.append(Decision(number, "credit", line))
        return Figure(figure.src, figure.caption, line, figure.line)
    if figure.caption:
        return None
    both = _CAPTION_THEN_CREDIT.match(line)
    if both and not figure.credit and looks_like_caption(both["caption"]):
        decisions.append(Decision(number, "caption", both["caption"]))
        decisions.append(Decision(number, "credit", both["credit"]))
        return Figure(figure.src, both["caption"], both["credit"], figure.line)
    if looks_like_caption(line):
        decisions.append(Decision(number, "caption", line))
        return Figure(figure.src, line, figure.credit, figure.line)
    return None


def load(path: Path) -> Article:
    """Read a scraped article; the decisions are logged at info level (shown with -v)."""
    article, decisions = parse(read_text(path), path)
    for decision in decisions:
        if decision.kind != "paragraph" or decision.unsure:
            info(describe(decision), path, decision.line)
    return article


def describe(decision: Decision) -> str:
    """One decision as a line of the import report."""
    unsure = f"  (unsure: {decision.unsure})" if decision.unsure else ""
    return f"{decision.kind}: {decision.text}{unsure}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#!|&])")
_MD_LINE_START = re.compile(r"^(\s*)(-+|\++|[>=]|\d+)([.)]?)(\s|$)")


def md_escape(text: str) -> str:
    """Escape text so that Markdown reads it back exactly."""
    text = _MD_SPECIAL.sub(r"\\\1", text)

    def guard(m: re.Match[str]) -> str:
        if m[2].isdigit():
            return m[1] + m[2] + ("\\" + m[3] if m[3] else "") + m[4]
        return m[1] + "\\" + m[2] + m[3] + m[4]

    return _MD_LINE_START.sub(guard, text)


def _yaml_value(text: str) -> str:
    """A double-quoted YAML scalar that reads back exactly (control characters escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", escaped)
    return f'"{escaped}"'


def to_markdown(article: Article, image_src: dict[str, str] | None = None) -> str:
    """Write an article as Markdown with front matter (the format content.load reads)."""
    image_src = image_src or {}
    lines = ["---"]
    for key in ("title", "deck", "byline", "lang", "section", "publication", "source", "original"):
        value = getattr(article, key)
        if value:
            lines.append(f"{key}: {_yaml_value(value)}")
    if article.date:
        lines.append(f"date: {article.date.isoformat()}")
    if article.keywords:
        lines.append("keywords: [" + ", ".join(_yaml_value(k) for k in article.keywords) + "]")
    lines += ["---", ""]
    for block in article.blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + md_escape(block.text))
        elif isinstance(block, Figure):
            src = image_src.get(block.src, block.src)
            quoted = block.credit.replace("\\", "\\\\").replace('"', '\\"')
            attrs = ([f'credit="{quoted}"'] if block.credit else []) + (
                [".bleed"] if block.bleed else [])
            braces = "{" + " ".join(attrs) + "}" if attrs else ""
            lines.append(f"![{md_escape(block.caption)}](<{src}>){braces}")
        else:
            lines.append(md_escape(block.text))
        lines.append("")
    return "\n".join(lines)
