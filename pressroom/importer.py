"""Scraped web-article text → Article, and Article → an editable Markdown file.

The scraped shape (one block per line, as the seed in shared/seeds):

    line 1   title                      التزام كازاخستان بالسلام
    line 2   deck                       البلاد تبعث قوات للمشاركة …
    line 3   byline                     سلطنات بيرديكيفا
    then     paragraphs, one per line
             photo lines                ![alt](https://…/photo.jpg)  (alt, if any, is the caption)
             after a photo: a caption   a sentence describing it, ending with a full stop
             and/or a credit            رقيب براين كالهون/الحرس الوطني الأمريكي · تصوير: …
             sub-headings               a short line with no sentence punctuation at its end
             boilerplate                التعليقات مغلقة. · Comments are closed. → dropped

A line right after a photo is taken for its credit when it looks like one ("name/organisation",
a "تصوير:"/"Photo:" prefix, an agency); otherwise for a caption when it is a short sentence.
Everything the importer decided is logged at info level (see ``make_pdf.py import``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .content import read_text
from .errors import ContentError
from .model import Article, Block, Figure, Heading, Paragraph
from .report import info

BOILERPLATE = (
    "التعليقات مغلقة",
    "التعليقات مغلقه",
    "comments are closed",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "شارك هذا المقال",
    "طباعة",
    "print this article",
    "share this article",
)
_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)$")
_CREDIT_PREFIX = re.compile(
    r"^(تصوير|صورة|الصورة|بعدسة|photo(?:graph)?(?:\s+by)?|image|credit|courtesy(?: of)?)"
    r"\s*[:：/-]?\s",
    re.IGNORECASE,
)
_AGENCIES = re.compile(
    r"(وكالة|رويترز|\bAFP\b|\bAP\b|Reuters|Getty Images|EPA|Associated Press|أسوشيتد برس)",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", "؟", "…", ":", "،", "؛", "”", '"', "»")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def is_boilerplate(line: str) -> bool:
    """Web furniture that is not part of the article."""
    folded = line.strip().rstrip(".!").strip().lower()
    return any(folded == b.lower() for b in BOILERPLATE)


def looks_like_credit(line: str) -> bool:
    """A photo credit: 'rank name/organisation', 'تصوير: …', 'Photo: …', an agency."""
    text = line.strip()
    if len(text) > 90 or (text.endswith((".", "؟", "?", "!")) and "/" not in text):
        return False
    if _CREDIT_PREFIX.match(text):
        return True
    if "/" in text and len(text.split()) <= 10 and not re.search(r"\d", text):
        return True
    return bool(_AGENCIES.search(text)) and len(text.split()) <= 6


def looks_like_heading(line: str) -> bool:
    """A sub-heading: a short line without sentence punctuation at its end."""
    text = line.strip()
    return 0 < len(text.split()) <= 9 and len(text) <= 70 and not text.endswith(_SENTENCE_END)


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    return "ar" if len(_ARABIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


def load(path: Path) -> Article:
    """Read a scraped article in the shape described above."""
    text = read_text(path)
    numbered = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)]
    numbered = [(n, line) for n, line in numbered if line]
    if not numbered:
        raise ContentError("empty file", path)
    head: list[str] = []
    while numbered and len(head) < 3 and not _IMAGE.match(numbered[0][1]):
        head.append(numbered.pop(0)[1])
    if not head:
        raise ContentError("the article has no title (line 1)", path, 1)
    title, deck, byline = [*head, "", ""][:3]
    info(f"title: {title}", path, 1)
    blocks: list[Block] = []
    after_photo = False
    for number, line in numbered:
        if is_boilerplate(line):
            info(f"dropped boilerplate: {line}", path, number)
            after_photo = False
            continue
        match = _IMAGE.match(line)
        if match:
            blocks.append(Figure(match["url"], match["alt"].strip(), "", number))
            after_photo = True
            continue
        last = blocks[-1] if blocks else None
        if after_photo and isinstance(last, Figure):
            if not last.credit and looks_like_credit(line):
                blocks[-1] = Figure(last.src, last.caption, line, last.line)
                info(f"credit of {last.src}: {line}", path, number)
                continue
            if not last.caption and not last.credit and _is_caption(line):
                blocks[-1] = Figure(last.src, line, last.credit, last.line)
                info(f"caption of {last.src}: {line}", path, number)
                continue
        after_photo = False
        if looks_like_heading(line):
            blocks.append(Heading(line, 2, number))
            info(f"sub-heading: {line}", path, number)
        else:
            blocks.append(Paragraph(line, html.escape(line), number))
    return Article(
        title=title,
        path=path,
        deck=deck,
        byline=byline,
        lang=detect_lang(text),
        blocks=tuple(blocks),
    )


def _is_caption(line: str) -> bool:
    """A caption: one sentence of moderate length, ending with a full stop."""
    return len(line.split()) <= 40 and line.endswith((".", "。", "۔"))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#!|])")
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
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_markdown(article: Article, image_src: dict[str, str] | None = None) -> str:
    """Write an article as Markdown with front matter (the format content.load reads)."""
    image_src = image_src or {}
    lines = ["---"]
    for key in ("title", "deck", "byline", "lang", "section", "publication", "source"):
        value = getattr(article, key)
        if value:
            lines.append(f"{key}: {_yaml_value(value)}")
    if article.date:
        lines.append(f"date: {article.date.isoformat()}")
    lines += ["---", ""]
    for block in article.blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + md_escape(block.text))
        elif isinstance(block, Figure):
            src = image_src.get(block.src, block.src)
            quoted = block.credit.replace("\\", "\\\\").replace('"', '\\"')
            credit = f'{{credit="{quoted}"}}' if block.credit else ""
            lines.append(f"![{md_escape(block.caption)}](<{src}>){credit}")
        else:
            lines.append(md_escape(block.text))
        lines.append("")
    return "\n".join(lines)
