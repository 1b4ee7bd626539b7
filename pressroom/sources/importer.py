"""Scraped web-article text → Article (and a list of what was decided), and Article → Markdown.

The scraped shape has one block per line (blank lines are ignored):

    line 1      the title                         التزام كازاخستان بالسلام
    line 2      the deck (standfirst)             البلاد تبعث قوات للمشاركة في بعثات …
    line 3      the byline                        سلطنات بيرديكيفا · By Jane Doe
    then        paragraphs, one a line
                photo lines                       ![alt text](https://…/photo.jpg)
                                                  https://…/photo.jpg (an image's address alone)

A second line marked as a byline (``By …``, ``بقلم …``, ``كتب: …``) is the byline and the article
has no deck; a third line that is long or ends like a sentence is the first paragraph (no byline).
A byline keeps the names only: the word that marks it (``By``, ``Written by``, ``بقلم``, ``كتب:``,
``كتبت:``, ``إعداد:``) is left out, on either line ("كتب: أحمد علي" → "أحمد علي").

Rules, in the order they are tried on each line (each is in the table of
tests/test_importer_cases.py):

1. Metadata is read, not printed (see scrapedmeta.py): a date line (``نُشر في 1 أكتوبر 2019``,
   ``Published: October 1, 2019``, ``2019-10-01``) anywhere; a web address or a labelled name
   (``https://…``, ``المصدر: يونيباث``, ``Source: https://…``) before the body or after it
   (among the last lines, which hold only metadata and boilerplate). The first of each wins.
2. Boilerplate is dropped: comment, share, print, "read also", newsletter and copyright
   furniture, tag lists and lines made only of links or addresses, in Arabic and English —
   ``التعليقات مغلقة.`` · ``Comments are closed.`` · ``اقرأ أيضاً: …`` · ``Read more`` ·
   ``الوسوم: سلام، كازاخستان`` · ``Tags: UN, peacekeeping`` · ``Facebook | Twitter | Email`` ·
   ``[عنوان](https://…) · [عنوان](https://…)`` · ``اشترك في نشرتنا البريدية`` ·
   ``Sign up for our newsletter``. A label alone (``اقرأ أيضاً``, ``Tags``) takes with it the
   next line when that is a headline or a list.
3. A photo line becomes a figure; its alt text, when there is one, is the caption. An image's
   address alone on its line (``https://…/photo.jpg``, ``.jpeg .png .gif .webp .avif .tif``) and
   a linked photo (``[![alt](https://…/photo.jpg)](https://…)``) are photo lines too, and so is
   a line of photos side by side in any of these shapes (``![](a)![](b)``,
   ``[![](a)](p1)[![](b)](p2)``): one figure, a row (above the title: one figure each), the
   caption after the line the row's (else their alt texts), the credit each one's (said as
   unsure). A photo's alt text may hold square brackets in pairs
   and its address round ones (``![… [left] …](https://…/Foo_(1).jpg)``); a malformed photo, a
   space in its address (``![x](https://…/z .jpg)``), is a photo, its address percent-encoded;
   one never closed (``![x](https://…``), or a stray ``![`` beside photos, is left out, said
   with its line. An HTML photo line — ``<img src="…" alt="…">``, in
   single or double quotes, with any other attributes (a lazy photo's ``data-src`` or
   ``srcset``, its ``<noscript>`` copy taken once), a tag over several lines (``<img`` /
   ``src="…"`` / ``alt="…">``, up to 12 lines) read as one, in a ``<figure>`` on one line or
   several (joined when its ``</figure>`` comes within 12 lines and the lines between are its
   tags or its ``<figcaption>``'s text; else its lines stay as they are and the ``<figure>`` tag
   is left out, said), in ``<a>``, ``<p>``, ``<picture>`` — is read so: its ``<figcaption>`` is
   the caption (a credit at its end split off: ``… سوق الحرير. (رويترز)``), else its alt text;
   an ``<img>`` with no photo's address (``data:…``) is left out, said with its line. A photo's
   address is written percent-encoded where it holds what no address holds (spaces, ``<>``,
   ``\\``, brackets, quotes: ``&gt;`` in a ``src``), so that the Markdown reads it back. Raw
   syntax is never printed: an image inside a line of text and HTML tags are left out of the
   line (the text between tags kept; ``<editor>``, no HTML element's name, is prose; tags are
   stripped until none is left, ``<scr<b>ipt>`` too, entities unescaped before, never after,
   and what is left of a tag never closed goes to its ``>`` or the line's end), and a line of
   nothing else is left out, each said as unsure with its line (a warning when the text is built
   as it is, without import).
   Images in other forms are read as ``![alt](url)`` first: one whose brackets a page escaped
   (``![x\\](…)``, ``!\\[x](…)``, ``\\![x](…)``: CommonMark would print it as it is) and a
   reference-style one (``![x][ref]``, ``![x][]``, ``![x]``) with its ``[ref]: url`` line
   (never printed, wherever it stands; reference links ``[text][ref]`` keep their text as any
   link); one whose label is defined nowhere is left out, said with its line. An image inside a
   link beside the link's words (a headline with a site's logo, ``[![logo](…) Headline](…)``)
   is furniture, left out, the link's text kept: the title when it is the first line (a link of
   a headline's length), else as any link's.
   A photo above the title (a page's hero image) is the first figure, the lead photo; after it,
   its credit (a line of a name's length, an agency, or in brackets), or its caption: a line
   followed by such a credit, one ending with it (``… الجمعة. (رويترز)``), or a sentence ending
   with a full stop (no title ends so; said as unsure). A photo right after the title, before
   the deck and byline, is the lead photo too when a head follows it (after its credit, or its
   caption and credit): a line marked as a byline, a line with a name's line after it (deck and
   byline), or a line that does not end like a sentence (the deck, said as unsure: it may be the
   photo's caption); else the head ends at the photo, and the lines after it are its own.
4. Right after a photo, its caption and credit, in that order:
   - a credit — ``تصوير: أحمد علي`` · ``الصورة: …`` · ``تصوير أحمد علي`` · ``Photo by Jane Doe`` ·
     ``Photo: U.S. Army`` · ``U.S. Army photo by Sgt. John Doe`` · rank name/organisation
     (``رقيب أول بحري جون سميث/البحرية الأمريكية``, ``Sgt. Maria Lopez/U.S. Army National Guard``)
     · an agency alone (``رويترز``, ``AFP``, ``Getty Images``, ``وكالة الأنباء الفرنسية``,
     ``AFP/Getty Images``), with or without brackets (``(أحمد علي/رويترز)``);
   - a caption — a line followed by a credit line (up to 40 words), one sentence of at most
     30 words ending with a full stop, or a line too long for a sub-heading that does not end
     like a sentence (unsure);
   - both on one line: a caption that ends with its credit (``… في ألماتي. تصوير: أحمد علي``,
     ``… in Almaty (John Doe/Reuters)``, ``… في ألماتي - رويترز``) is split in two, a photo
     label before the caption left out (``الصورة: جنود في ألماتي (تصوير: أحمد علي)``);
   - two short lines in a row after a photo cannot both be sub-headings: the first is the
     photo's credit (or, with no caption yet and more than four words, its caption), said
     as unsure. A line repeating the alt text is taken as the caption once.
   Anything else ends the photo's lines; a credit ends them too.
5. A sub-heading is a short line (at most 9 words and 70 characters) that does not end like a
   sentence (no . ! ? ؟ : ، ؛ … or closing quote) and has text after it:
   ``بروز الكازاخيين كحفظة سلام``. A short line with nothing after it (a signature) stays a
   paragraph; a line that looks like a credit but follows no photo stays a paragraph (unless it
   is a short "x/y" line: ``Before/After the Storm`` is a sub-heading). All are reported as
   unsure, and so is a sub-heading right after a photo lacking a caption or credit. A short
   question (``لماذا يصمد المرجان؟``) stays a paragraph, reported as unsure: magazines set such
   questions as sub-headings too.
6. Two or more lines in a row that start with a bullet (``•`` ``·`` ``▪`` ``◦`` ``●`` ``-`` ``–``
   ``*``) are a bulleted list; two or more that start with numbers in sequence and a full stop or
   a bracket (``1.`` ``2.`` · ``١)`` ``٢)`` · ``۱-`` ``۲-``) a numbered list, numbered from the
   first (a single such line stays a paragraph).
7. A Markdown table left in the page (a header row between bars, its rule ``|---|``, its rows)
   is a table; so are two or more lines in a row with the same number (two or more) of cells
   between bars and no rule (``Team | Played | Points`` then its rows), the first line the
   header, said as unsure (a single such line stays text).
8. Every other line is a paragraph; ``[text](url)`` links in it keep their text.

The language is Arabic when Arabic letters outnumber Latin ones, else English. ``parse`` returns
the decisions (title, deck, byline, metadata, sub-headings, figures with caption and credit,
dropped boilerplate, and anything unsure) that ``make_pdf.py import`` prints.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from markdown_it.common.html_blocks import block_names

from pressroom.errors import ContentError
from pressroom.model import Article, Block, Cell, Figure, Heading, List, ListItem, Paragraph, Table
from pressroom.report import info, warn
from pressroom.sources import scrapedmeta
from pressroom.sources.content import ROW_MOST, curled, is_number, read_text, row_caption
from pressroom.sources.rawhtml import ELEMENTS, shown

NO_BODY = "no body: nothing after the title, deck and byline is text or a photo; only they are printed"
#: Whole lines that are web furniture (compared case-folded, without trailing . ! : …).
BOILERPLATE = (
    "التعليقات مغلقة", "التعليقات مغلقه", "التعليقات مغلقة حاليا", "أضف تعليقا", "أضف تعليقاً",
    "أضف تعليقك", "اترك تعليقا", "اترك تعليقاً", "اترك رداً", "اترك ردا", "لا توجد تعليقات",
    "إلغاء الرد", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضاً", "اقرأ المزيد",
    "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة", "قد يعجبك أيضاً", "قد يهمك أيضاً",
    "الأكثر قراءة", "شارك", "شارك المقال", "شارك هذا المقال", "شارك الخبر", "مشاركة", "طباعة",
    "اطبع", "اطبع المقال", "أرسل لصديق", "العودة إلى الأعلى", "إعلان", "الوسوم", "وسوم",
    "كلمات مفتاحية", "كلمات دلالية", "comments are closed", "comments closed", "no comments",
    "no comments yet", "leave a reply", "leave a comment", "leave a reply cancel reply",
    "cancel reply", "read more", "read also", "see also", "related", "related posts",
    "related articles", "related stories", "you may also like", "most read", "share",
    "share this", "share this article", "share this story", "share this post", "print",
    "print this article", "print this page", "print friendly, pdf & email", "email",
    "e-mail this", "email this", "tweet", "pin it", "back to top", "advertisement", "sponsored",
    "tags", "tagged", "topics", "skip to main content", "skip to content", "skip to navigation",
    "تخطي إلى المحتوى", "انتقل إلى المحتوى", "تجاوز إلى المحتوى",
)
#: Phrases that give away web furniture left in a PDF's text (what `check` looks for).
TELLTALE_BOILERPLATE = ("التعليقات مغلقة", "اترك تعليقاً", "اقرأ أيضاً", "comments are closed",
                        "leave a reply", "share this article", "print this article")
#: Line openings that mark furniture followed by links or labels (tags, "read also: …").
_BOILERPLATE_PREFIX = re.compile(
    r"^(الوسوم|وسوم|كلمات مفتاحية|كلمات دلالية|التصنيفات|التصنيف|[اإ]قرأ أيضاً?|[اإ]قرأ ايضا|"
    r"اقرأ المزيد|ذات صلة|شارك على|شارك عبر|تابعونا على|تابعنا على|tags|tagged|filed under|"
    r"categories|category|topics|read also|read more|see also|related|more on this|share on|"
    r"share via|follow us on|follow us)\s*[:：|-]",
    re.IGNORECASE,
)
#: Social networks' names (an invitation to follow names one).
_SOCIAL = (r"(?:تويتر|فيسبوك|فيس بوك|إنستغرام|انستغرام|يوتيوب|تلغرام|تيليغرام|واتساب|تيك توك|"
           r"مواقع التواصل|twitter|facebook|instagram|youtube|telegram|whatsapp|tiktok|linkedin|"
           r"social media)")
#: Short lines that are only an invitation to subscribe, follow or click, or a copyright notice
#: ("اشترك"/"تابعنا" are also "took part"/"we followed": the newsletter or network must be named).
_PROMPT = re.compile(
    r"^(?:(?:اشترك|اشتركوا|سجل|سجّل|انضم)\b.*(?:النشرة البريدية|النشرة الإخبارية|نشرتنا|بريدك|"
    r"القائمة البريدية)|(?:subscribe|sign up|join|get)\b.*\b(?:newsletter|inbox|e-?mail updates)|"
    rf"(?:تابعونا|تابعنا|follow us)\b.*{_SOCIAL}|(?:اضغط|انقر) هنا\b|click here\b|"
    r"(?:©|\(c\)|copyright\b)|.*(?:جميع الحقوق محفوظة|all rights reserved))",
    re.IGNORECASE,
)
_COMMENT_COUNT = re.compile(r"^\d+\s+(?:comments?|تعليقات?|تعليق|ردود|رد)$", re.IGNORECASE)
#: Labels that, alone on a line, introduce a list of tags or headlines that is furniture too.
_LEAD_LABELS = {"الوسوم", "وسوم", "كلمات مفتاحية", "كلمات دلالية", "اقرأ أيضا", "اقرأ أيضاً",
                "إقرأ أيضاً", "اقرأ ايضا", "مقالات ذات صلة", "أخبار ذات صلة", "قد يعجبك أيضاً",
                "tags", "tagged", "topics", "read also", "read more", "see also", "related",
                "related posts", "related articles", "related stories", "you may also like"}
_SHARE_WORDS = {"facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail",
                "print", "share", "pinterest", "reddit", "فيسبوك", "تويتر", "واتساب", "تلغرام",
                "طباعة", "البريد", "الإلكتروني", "الالكتروني", "مشاركة", "شارك", "لينكدإن", "إكس",
                "instagram", "messenger", "إنستغرام", "انستغرام", "ماسنجر", "تيليغرام", "tweet",
                "pin", "copy", "link", "نسخ", "الرابط", "انشر"}
#: A share button's verb: a line that joins networks with _SHARE_LINKS needs one ("Share on X";
#: "Twitter to X", "فيسبوك في تويتر" are headings).
_SHARE_VERBS = {"share", "شارك", "مشاركة", "انشر", "tweet"}
#: Words that join share buttons' labels ("Share on X", "شارك عبر واتساب").
_SHARE_LINKS = {"on", "via", "to", "with", "عبر", "على", "في"}


def _url(char: str, lone: bool = False) -> str:
    """One piece of an address, the one definition every pattern reading an address is built
    from (a link's, a photo's, a malformed photo's, a linked photo's link): a character
    (``char``, a class that holds no round bracket), or round brackets in pairs, nested twice
    as in CommonMark ("…/Foo_(a_(b))"); ``lone``: or a "(" that closes nowhere ("…/f(1.jpg")."""
    pair = rf"\((?:{char}|\({char}*\))*\)"
    alone = r"|\(" if lone else ""
    return rf"(?:{char}|{pair}{alone})"


#: An address's characters in a link or a malformed photo (spaces too), and in a well-formed
#: photo's (no white space, no "![": the next photo's start).
_URL_CHAR = r"[^()\[\]]"
_PHOTO_URL_CHAR = r"(?:(?!!\[)[^()\s])"
#: A link in a line of text, ``[text](address)``: its text may hold square brackets in pairs
#: ("[Storm [live]](…)"), its address round brackets in pairs (_url), and no square one (a line
#: of "[ [ …" or "](](…" is read once, not from each "[" to its end).
_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
                   rf"\((?P<url>{_url(_URL_CHAR)}*)\)")
_BARE_URL = re.compile(r"<?(?:https?://|www\.)\S+>?")
#: A photo piece, written once: ``![alt](address "title")``, linked (``[![alt](address)](link)``)
#: or not, or an image's address alone (``https://…/photo.jpg``, in angle brackets or not). Each
#: of the patterns below is built from these parts:
#: - its alt text: escaped characters, square brackets in pairs or a lone "[" (as in CommonMark:
#:   ``![Troops [left] at the base](…)``), and no "![" (the next image's start, which ends it: a
#:   line of "![ ![ …" is read once, not from each "![" to its end);
_ALT = r"(?:[^\[\]\\!]|\\.|!(?!\[)|\[(?:[^\[\]\\!]|\\.|!(?!\[))*\]|\[)*"
#: - its address (and its link's): no white space and no "![" (the next photo's start); round
#:   brackets in pairs, as in CommonMark (``…/Foo_(1).jpg``), or a lone "(" (``…/f(1.jpg``); a ")"
#:   that closes no "(" ends it;
_ADDRESS = rf"{_url(_PHOTO_URL_CHAR, lone=True)}+"
#: - a title after the address (``"…"``), which is dropped;
_TITLE = r"(?:\s+\"[^\"]*\")?"
#: - an image's address alone: its path ending in a photo's extension, before its query (a share
#:   link's "?media=…/x.jpg" and a page's "#photo.png" are no photos; a long line is read once, not
#:   once a dot); its query runs to white space, an angle bracket or the next photo's start.
_BARE = (r"<?(?P<bare>https?://[^\s<>?#\[\]\"'`]+\.(?:jpe?g|png|gif|webp|avif|tiff?)"
         r"(?:[?#](?:(?!\[?!\[)[^\s<>])*)?)>?")


def _image(alt: str = "alt", url: str = "url", address: str = _ADDRESS) -> str:
    """The pattern of ``![alt](address "title")``, its alt text and address in groups named
    ``alt`` and ``url`` ('' for none: a pattern may name a group once)."""
    return (rf"!\[{f'(?P<{alt}>{_ALT})' if alt else _ALT}\]"
            rf"\({f'(?P<{url}>{address})' if url else address}{_TITLE}\)")


#: A photo line (rule 3), as every other shape of photo line is written by ``_photo_line``.
_IMAGE = re.compile(rf"^{_image()}$")
#: Other shapes of a photo line, read as ``![alt](url)``: an image's address alone on its line (a
#: scraper that keeps no Markdown writes it so), and a linked photo (its link dropped).
_BARE_IMAGE = re.compile(rf"^{_BARE}$", re.IGNORECASE)
_LINKED_IMAGE = re.compile(rf"^\[(?P<image>{_image('', '')})\]\((?:{_ADDRESS})?{_TITLE}\)$")
#: One photo of a line of several (``![](a)![](b)``, ``[![](a)](p1)[![](b)](p2)``, two image
#: addresses side by side), read at the line's next piece (``_photo_pieces``).
_PHOTO_AT = re.compile(rf"\s*(?P<piece>\[{_image('', '')}\]\((?:{_ADDRESS})?{_TITLE}\)|{_image('', '')}"
                       rf"|{_BARE})", re.IGNORECASE)


def _loose(link: str) -> str:
    """The pattern of a malformed photo piece, linked or not (a group named ``link`` holds its
    "[", when it is linked): white space in its address (``![x](https://a.b/z .jpg)``), read to
    its ")", round brackets in pairs and no square one (the next photo's "[![" or "!["); its alt
    text and its address in groups named ``alt`` and ``url`` when ``link`` is 'link' ('' for
    none)."""
    address = f"{_url(_URL_CHAR)}*"
    if not link:
        return rf"(?:\[!\[{_ALT}\]\({address}\)\]\({address}\)|!\[{_ALT}\]\({address}\))"
    return rf"(?P<link>\[)?!\[(?P<alt>{_ALT})\]\((?P<url>{address})\)(?(link)\]\({address}\))"


_LOOSE_IMAGE = re.compile(_loose("link"))
#: The end of a linked photo's link, ``](link)``, after a photo in the alt text of a linked one
#: (``[![a ![b](…/b.jpg)](link)``: the photo inside it, the "[![a " before it left out).
_LINK_END = re.compile(rf"\]\({_url(_URL_CHAR, lone=True)}*\)")
#: A photo piece's title in a malformed one, in any of CommonMark's three shapes (dropped).
_LOOSE_TITLE = re.compile(r"(?<!\s)\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\))$")
#: What follows photos on their line when it is text: "![alt]" that opens no image (no "("
#: after it, no other photo after it), and words after it.
_TEXT_AFTER_PHOTOS = re.compile(r"\[?!\[(?P<alt>[^\[\]]*)\](?P<text>.*\w.*)$")
#: An image's syntax that is never closed: its alt text and "](", then no ")".
_OPEN_IMAGE = re.compile(rf"\[?!\[{_ALT}\]\(")
#: Where the next photo piece may start after one that is malformed: "![", "[![", or an image's
#: address after white space.
_PIECE_START = re.compile(r"\[?!\[|(?<=\s)<?https?://", re.IGNORECASE)
_SPACES = re.compile(r"\s*")
#: An image inside a line of text (not a photo line), which is left out of it: well formed (its
#: address may be empty), linked or not, or in a linked one's alt text (_LINK_END); malformed
#: (_LOOSE_IMAGE); or never closed (to the line's end, as a tag never closed).
_INLINE_IMAGE = re.compile(
    rf"\[!\[{_ALT}(?:{_image('', '', f'(?:{_ADDRESS})?')}|{_loose('')}){_LINK_END.pattern}|"
    rf"\[{_image('', '', f'(?:{_ADDRESS})?')}\]\((?:{_ADDRESS})?{_TITLE}\)"
    rf"|{_image('', '', f'(?:{_ADDRESS})?')}|{_loose('')}|{_OPEN_IMAGE.pattern}.*")


#: An image inside a link's text (well formed, its address possibly empty).
_LOGO = re.compile(_image('', '', f'(?:{_ADDRESS})?'))


def _photo_line(line: str) -> str:
    """``line``, written ``![alt](url)`` when it is a photo line of another shape (_BARE_IMAGE,
    _LINKED_IMAGE)."""
    if bare := _BARE_IMAGE.match(line):  # (its brackets escaped: one would end ![](…) early)
        return f"![]({_address(bare['bare'])})"
    if linked := _LINKED_IMAGE.match(line):
        return linked["image"]
    return line


#: What no URL holds as it is (WHATWG), and would end or break ``![](…)`` or ``![](<…>)``.
_NOT_IN_ADDRESS = re.compile(r"[\s<>\\\"'`{}|^\[\]()]")


def _address(url: str) -> str:
    """A photo's address as it is written in ``![](…)``: its brackets, spaces, angle brackets,
    backslashes and quotes percent-encoded (an ``&gt;`` in an ``<img>``'s src, unescaped, would
    end ``![](<…>)`` early)."""
    return _NOT_IN_ADDRESS.sub(lambda m: quote(m[0], safe=""), url)


def _alt(text: str) -> str:
    """Text as an ``![alt](…)``'s alt text (its square brackets escaped; _figure_of reads them
    back)."""
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(text.split()))


class _Piece(NamedTuple):
    """One piece of a line of photos (_piece_at): its kind — "photo" (well formed), "loose" (a
    malformed one whose address is read), "empty" (a malformed one with no address), "open"
    (an image's syntax never closed) or "stray" (a "![" or "[![" opening no image's syntax) —
    its photo line (``![alt](url)``) or what is left out, and where it ends."""

    kind: str
    text: str
    end: int


#: The kinds of pieces that are photos, and those read by a pattern (after which a stray
#: "[![" before them has its link's end).
_PHOTO_KINDS = ("photo", "loose")
_READ_KINDS = ("photo", "loose", "empty")


def _piece_at(line: str, at: int) -> _Piece | None:
    """The photo piece at ``at`` (_Piece), or None when something else is there: a well-formed
    one (_PHOTO_AT); a malformed one (_LOOSE_IMAGE), its address percent-encoded; or a "!["
    never closed or opening nothing, left out to where the next piece may start."""
    if found := _PHOTO_AT.match(line, at):
        return _Piece("photo", _photo_line(found["piece"]), found.end())
    if loose := _LOOSE_IMAGE.match(line, at):
        url = _LOOSE_TITLE.sub("", loose["url"]).strip()
        if len(url) > 1 and url[0] == "<" and url[-1] == ">":  # CommonMark's <address>
            url = url[1:-1].strip()
        return _Piece("loose", f"![{loose['alt']}]({_address(url)})", loose.end()) if url else (
            _Piece("empty", loose[0], loose.end()))
    if not line.startswith(("![", "[!["), at):
        return None
    start = _PIECE_START.search(line, at + (3 if line[at] == "[" else 2))
    end = start.start() if start else len(line)
    return _Piece("open" if _OPEN_IMAGE.match(line, at) else "stray", line[at:end].strip(), end)


def _photo_pieces(line: str) -> tuple[list[str], list[str]]:
    """A line made only of photo pieces and spaces, read piece after piece (_piece_at), once (a
    pattern repeating the piece would backtrack exponentially on image addresses written
    together): its photo lines (each ``![alt](url)``) and the malformed pieces left out. A stray
    "[![" opens a link whose end (_LINK_END) after the next piece goes with it; a stray "!["
    after photos only, with no image's syntax after it, starts the line's text ("![chart](…)
    ![Important] prices rose…": the photos, then the text as a line, the "![" and "]" left out).
    ([], []) when the line is something else, a single well-formed photo (_photo_line reads it)
    or only strays ("![" in a line of text)."""
    pieces: list[_Piece] = []
    at = _SPACES.match(line).end()
    while at < len(line):
        piece = _piece_at(line, at)
        if piece is None:
            return [], []
        if piece.kind == "stray" and pieces and all(p.kind in _PHOTO_KINDS for p in pieces) and (
                "](" not in line[at:]) and not _PIECE_START.search(line, at + 2) and (
                rest := _TEXT_AFTER_PHOTOS.match(line, at)):  # (looked for once a line: linear)
            return [*(p.text for p in pieces), rest["alt"] + rest["text"]], [
                line[at:rest.start("text")].strip()]
        at = piece.end
        if pieces and pieces[-1].kind == "stray" and pieces[-1].text.startswith("[") and (
                piece.kind in _READ_KINDS) and (end_of_link := _LINK_END.match(line, at)):
            at = end_of_link.end()
        pieces.append(piece)
        at = _SPACES.match(line, at).end()
    if all(p.kind == "stray" for p in pieces) or (len(pieces) < 2 and all(p.kind == "photo" for p in pieces)):
        return [], []
    return ([p.text for p in pieces if p.kind in _PHOTO_KINDS],
            [p.text for p in pieces if p.kind not in _PHOTO_KINDS])


def _photo_lines(line: str) -> tuple[list[str], str]:
    """A line's photo lines, each ``![alt](url)``: one (rule 3), several when the line holds only
    photos side by side (a gallery's row), or the photos of an HTML ``<img>``/``<figure>`` line
    (its ``<figcaption>`` their caption, its credit on a line of its own after them); else
    ``[line]``, unchanged. The second item says what was left out of an HTML photo line (an
    ``<img>`` with no photo's address), or is ''."""
    photos, malformed = _photo_pieces(line)
    if photos or malformed:
        return photos, "; ".join(f"a malformed image ({shown(piece)}): left out" for piece in malformed)
    if _HTML_PHOTO_START.match(line) and re.search(r"<img\b", line, re.IGNORECASE):
        reader = _HtmlPhotos(line)
        text, said = _without_raw_syntax(" ".join(reader.text.split()))
        photos = reader.lines()  # (its tags' text, unescaped, stripped of tags until none is left)
        said = "; ".join(why for why in (reader.left_out, said,
                                          reader.tags and "raw HTML in its alt text or caption "
                                          "left out, its text kept") if why)
        if not text:
            return photos, said
        if reader.photos:  # "<p><img …><br>a caption</p>": the photos, then the text as a line
            return [*photos, text], said
    return [_photo_line(line)], ""


#: The tags an HTML photo line may open with (a scraper that keeps a page's HTML for its photos).
_HTML_PHOTO_START = re.compile(r"<(?:figure|img|picture|a|p|div|span|noscript)\b", re.IGNORECASE)


#: An HTML tag: its closing slash, name and attributes (quoted values may hold "<" and ">"). Read
#: by a pattern, not html.parser, whose time grows with the square of a line of unclosed tags
#: ("<img <img …").
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


class _HtmlPhotos:
    """An HTML photo line's photos (``<img>``: src, else data-src or srcset's last), alt texts,
    ``<figcaption>`` and the text outside it (the line's text beside its photos)."""

    def __init__(self, line: str) -> None:
        self.photos: list[tuple[str, str]] = []  # (address, alt text)
        self.caption: list[str] = []
        self.text = ""
        self.left_out = ""
        self.tags = False  # whether tags were taken out of an alt text or the caption
        inside = ""  # "figcaption", or an element whose content is no text (script, style)
        at = 0
        for tag in _TAG_TOKEN.finditer(line):
            self._data(line[at:tag.start()], inside)
            at = tag.end()
            name = tag[2].lower()
            if tag[1] and name == inside:
                inside = ""
            elif not tag[1] and name in ("figcaption", "script", "style"):
                inside = name
            elif not tag[1] and name == "img":
                self._img({m[1].lower(): html.unescape((m[2] or "").strip("\"'")).strip()
                           for m in _ATTRIBUTE.finditer(tag[3])})
        self._data(line[at:], inside)

    def _img(self, given: dict[str, str]) -> None:
        srcset = (given.get("data-srcset") or given.get("srcset") or "").split(",")
        candidates = [given.get("src", ""), given.get("data-src", ""), given.get("data-lazy-src", ""),
                      given.get("data-original", ""), srcset[-1].split()[0] if srcset[-1].split() else ""]
        url = next((("https:" + c if c.startswith("//") else c) for c in candidates
                    if c.startswith(("http://", "https://", "//"))), "")
        if not url:
            self.left_out = ("an <img> with no photo's address (" + (
                shown(given["src"]) if given.get("src") else "no src") + "): left out")
        elif url not in (u for u, _ in self.photos):  # (a lazy photo and its <noscript> copy)
            self.photos.append((url, given.get("alt", "")))

    def _data(self, data: str, inside: str) -> None:
        data = html.unescape(data)
        if inside == "figcaption":
            self.caption.append(data)
        elif not inside:
            self.text += data

    def lines(self) -> list[str]:
        """The photos as photo lines, the caption the last one's alt text and its credit (split
        off it, or all of it when it is only a credit) a line of its own after them."""
        caption = self._untagged(" ".join(self.caption))
        credit = ""
        if caption and looks_like_credit(caption):
            caption, credit = "", caption
        elif caption and (both := split_credit(caption)):
            caption, credit = both
        out = [f"![{_alt(caption if caption and n == len(self.photos) - 1 else self._untagged(alt))}]"
               f"({_address(url)})"
               for n, (url, alt) in enumerate(self.photos)]
        return out + ([credit] if out and credit else [])

    def _untagged(self, text: str) -> str:
        """An alt text or a caption (its entities unescaped: "&lt;b&gt;" is "<b>") without tags."""
        untagged = " ".join(_without_tags(text).split())
        self.tags = self.tags or untagged != " ".join(text.split())
        return untagged

#: A credit's label followed by a colon (or a slash or bar): "تصوير: …", "Photo: …".
_CREDIT_LABEL = re.compile(
    r"^(?:تصوير|الصورة|صورة|الصور|صور|بعدسة|عدسة|المصدر|مصدر الصورة|حقوق الصورة|"
    r"photo(?:graph)?s?(?:\s+credit)?|images?(?:\s+credit)?|pictures?|credits?|source|courtesy)"
    r"\s*[:：|/]\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
#: A credit's label without a colon: "تصوير أحمد علي", "Photo by …", "U.S. Army photo by …".
_CREDIT_BY = re.compile(
    r"^(?:(?P<ar>تصوير|بعدسة|عدسة)\s+|(?:[\w.'’-]+\s+){0,5}(?:photo(?:graph)?s?|images?|pictures?)"
    r"\s+(?:by|courtesy(?:\s+of)?)\s+|(?:photo\s+)?courtesy(?:\s+photo)?(?:\s+of)?\s+)(?P<rest>.+)$",
    re.IGNORECASE,
)
#: Wire services and picture agencies (a credit when a line holds only them).
_AGENCIES = {
    "رويترز", "فرانس برس", "وكالة فرانس برس", "أ ف ب", "أ.ف.ب", "ا ف ب", "أسوشيتد برس",
    "أسوشييتد برس", "الأناضول", "وكالة الأناضول", "شينخوا", "د ب أ", "سبوتنيك", "غيتي",
    "غيتي إيمجز", "جيتي", "إي بي إيه", "وام", "واس", "قنا", "كونا", "بترا", "سانا", "reuters",
    "afp", "ap", "ap photo", "associated press", "epa", "epa-efe", "efe", "getty", "getty images",
    "anadolu", "anadolu agency", "xinhua", "dpa", "shutterstock", "istock", "alamy", "sputnik",
    "tass", "upi", "bloomberg", "nurphoto", "sopa images", "wikimedia commons", "un photo",
    # Arabic newsrooms' shorthand in brackets: (الفرنسية) AFP, (الأوروبية) EPA, (الألمانية) DPA …
    "الفرنسية", "الأوروبية", "الألمانية", "الجزيرة", "الجزيرة نت", "العربية", "بي بي سي",
    "مواقع التواصل", "مواقع التواصل الاجتماعي", "أرشيف", "أرشيفية", "صورة أرشيفية",
    "file photo", "handout", "social media",
}
_AGENCY_NAME = re.compile(r"^(?:وكالة(?:\s+\S+){1,4}|(?:\S+\s+){0,3}(?:news|press)\s+agency)$",
                          re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", "؟", "…", ":", "،", "؛", "”", '"', "»", ";", ",")
_STOPS = (".", "!", "?", "؟", "…")
_ABBREVIATION = re.compile(r"(?:\b[A-Z][A-Za-z]{0,3}|\b(?:[A-Za-z]\.)+[A-Za-z]?|\b[a-z]{1,3})\.$")
_PREPOSITIONS = {"في", "من", "على", "إلى", "الى", "عن", "مع", "منذ", "خلال", "بين", "أن", "إن"}
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_MONTH_WORDS = {m.split()[-1] for m in scrapedmeta.MONTHS}
#: A list item's line: a bullet, or a number (of any script's digits) with "." ")" or "-".
_BULLET_ITEM = re.compile(r"^[•·▪◦●■\-–*]\s+(?P<text>\S.*)$")
_NUMBERED_ITEM = re.compile(r"^(?P<number>[0-9\u0660-\u0669\u06f0-\u06f9]{1,3})\s?[.)\-]\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class Decision:
    """One thing the importer decided about one line (``unsure`` marks a guess)."""

    line: int
    kind: str
    text: str
    unsure: str = ""


def _fold(line: str) -> str:
    return line.strip().rstrip(".!:：…").strip().casefold()


_FOLDED = {b.casefold() for b in BOILERPLATE}


#: A site's menu or breadcrumb trail above the title: three or more short items (one or two
#: words; three when there are four items or more), none a sentence or holding a digit, between
#: bars or arrows: "الرئيسية | أخبار | محليات", "Home › News › Local". "Headline | Section |
#: Site" (a page's title tag) is no menu: its first item is longer.
_MENU_BAR = re.compile(r" [›»>] |\|")
_MENU_ITEMS = 3
_MENU_ITEM_WORDS = 2
_LONG_MENU_ITEMS = 4
_LONG_MENU_ITEM_WORDS = 3


#: A breadcrumb trail's first item, the site's home: below the title only a trail that starts so is
#: one ("Jane Doe | Reuters | London" is a byline).
_HOME = re.compile(r"^\s*(?:الرئيسية|الصفحة الرئيسية|home)\s*(?:[›»>|])", re.IGNORECASE)


def _menu(text: str) -> bool:
    """A site's menu or breadcrumb trail (only ever looked for in the head: above the title, or
    among its deck, byline and date lines)."""
    text = " ".join(text.split())  # one space between words: the split is linear
    if text.startswith("|") or text.endswith("|"):
        return False  # a table's row
    items = [item.strip() for item in _MENU_BAR.split(text)]
    most = _LONG_MENU_ITEM_WORDS if len(items) >= _LONG_MENU_ITEMS else _MENU_ITEM_WORDS
    return len(items) >= _MENU_ITEMS and all(
        item and len(item.split()) <= most and not item.endswith(_STOPS)
        and not any(ch.isdigit() for ch in item) for item in items)


def is_boilerplate(line: str) -> bool:
    """Web furniture that is not part of the article (rule 2)."""
    text = line.strip()
    if _fold(text) in _FOLDED or _BOILERPLATE_PREFIX.match(text) or _COMMENT_COUNT.match(text):
        return True
    if len(text.split()) <= 15 and _PROMPT.match(text):
        return True
    if _IMAGE.match(text) or not ("](" in text or "://" in text or "www." in text or len(text) < 120):
        return False  # a long line with no link is text
    without_links = _BARE_URL.sub(" ", _LINK.sub(" ", text))
    if (_LINK.search(text) or _BARE_URL.search(text)) and not re.sub(r"[\s|,،·•/>»-]+", "",
                                                                     without_links):
        return True  # a line made only of links: share buttons, tag clouds, addresses
    tokens = [t for t in (t.strip(":：.()-–") for t in re.split(r"[\s|,،·•/]+", text.casefold())) if t]
    # "شارك: فيسبوك تويتر", "Share on Facebook | Share on X | Email", "Share 0 Tweet 0 Pin 0"
    buttons = sum(t in _SHARE_WORDS for t in tokens)
    joined = any(t in _SHARE_LINKS for t in tokens)
    return buttons >= 2 and (not joined or any(t in _SHARE_VERBS for t in tokens)) and all(
        t in _SHARE_WORDS or t in _SHARE_LINKS or t.isdigit() for t in tokens)


def _is_list(line: str) -> bool:
    """A list of short items (tags): two or more, separated by commas or bars."""
    items = [i.strip() for i in re.split(r"[,،|·•]", line) if i.strip()]
    return len(items) >= 2 and all(len(i.split()) <= 4 for i in items) and not line.strip().endswith(
        _STOPS)


def _unwrap(text: str) -> str:
    """Text without the brackets that enclose all of it: "(رويترز)" → "رويترز"."""
    text = text.strip()
    while len(text) > 2 and text[0] + text[-1] in ("()", "[]") and text.count(text[0]) == 1:
        text = text[1:-1].strip()
    return text


def _ends_sentence(text: str) -> bool:
    """Ends with a sentence stop that is not an abbreviation's dot (U.S., Sgt., Inc.)."""
    text = text.rstrip("”\"»)'’ ")
    if not text.endswith(_STOPS):
        return False
    return not (text.endswith(".") and _ABBREVIATION.search(text.split()[-1]) and
                not _ARABIC.search(text.split()[-1]))


def _inner_stops(text: str) -> int:
    """Sentence stops inside the text (abbreviations' dots are not stops)."""
    count = 0
    for match in re.finditer(r"(\S+)([.!؟?])(?=\s)", text):
        if match[2] != "." or not _ABBREVIATION.search(match[0]) or _ARABIC.search(match[1]):
            count += 1
    return count


def _agency_only(text: str, named: bool = True) -> bool:
    """Only agencies' names: "رويترز", "AFP/Getty Images", "وكالة الأنباء الفرنسية (أ ف ب)"
    (``named``: also a name that reads as an agency's, "وكالة …", "… News Agency")."""
    text = re.sub(r"\s*\([^()]{1,20}\)$", "", text)  # the agency's initials after its name
    pieces = [p.strip() for p in re.split(r"\s*(?:[/|,،+–—]|\s-\s|\bvia\b|\bعبر\b)\s*", text) if p.strip()]
    return bool(pieces) and all(p.casefold() in _AGENCIES or (named and _AGENCY_NAME.match(p))
                                for p in pieces)


def _slash_credit(text: str) -> bool:
    """'rank name/organisation': two or three short parts around slashes, not a sentence."""
    parts = [p.strip() for p in text.split("/")]
    # a number on its own (a date, a count) marks a sentence; "2nd Class", "MC2" are ranks
    if not 2 <= len(parts) <= 3 or not all(parts) or re.search(r"(?<!\w)\d+(?!\w)|[،,;؛:()\[\]]", text):
        return False
    sizes = [len(p.split()) for p in parts]
    if max(sizes) > 7 or sum(sizes) > 12 or _ends_sentence(text) or _inner_stops(text):
        return False
    seams = [(a.split()[-1], b.split()[0]) for a, b in itertools.pairwise(parts)]
    return not any(a in _MONTH_WORDS or b in _MONTH_WORDS or a.endswith(("و", "and")) or
                   b in ("أو", "or") for a, b in seams)


def looks_like_credit(line: str) -> bool:
    """A photo credit (rule 4): 'تصوير: …', 'Photo by …', 'rank name/organisation', an agency."""
    text = _unwrap(line)
    words = text.split()
    if not words or len(text) > 120 or _BARE_URL.search(text) or _IMAGE.match(text):
        return False
    labelled = _CREDIT_LABEL.match(text)
    if labelled:
        return len(labelled["rest"].split()) <= 14 and not _inner_stops(labelled["rest"])
    by = _CREDIT_BY.match(text)
    if by:
        rest = by["rest"].split()
        if by["ar"]:  # "تصوير X" without a colon: X must read as a name, not a sentence
            return (len(rest) <= 6 and not _PREPOSITIONS & set(rest) and not _ends_sentence(text)
                    and not re.search(r"\d", text))
        return len(words) <= 16 and not _inner_stops(by["rest"]) and not _ends_sentence(text)
    return _agency_only(text) or _slash_credit(text)


#: The most words a name runs to: a credit after a photo above the title, or the first of two
#: short lines after a photo, is taken for a name (a credit) up to this length.
NAME_WORDS = 4


#: The most words and characters of a byline's names without the word that marks them, which
#: tell a head (a deck, then a byline) after a photo under the title from a caption and the body:
#: two names and the word joining them ("Sgt. Maria Lopez and John Doe", "أحمد علي وسارة منصور"),
#: about ten characters a word; a longer line reads as a sentence.
BYLINE_NAME_WORDS = 6
BYLINE_NAME_CHARS = 60


def _name_like(line: str) -> bool:
    """A byline's names without the word that marks them: a short line (BYLINE_NAME_WORDS,
    BYLINE_NAME_CHARS), no sentence, no number, no credit."""
    text = line.strip()
    return (0 < len(text.split()) <= BYLINE_NAME_WORDS and len(text) <= BYLINE_NAME_CHARS
            and not text.endswith(_SENTENCE_END)
            and not re.search(r"\d", text) and not looks_like_credit(text) and not _BARE_URL.search(text))


def _hero_credit(line: str) -> bool:
    """A credit after a photo above the title, where a headline may stand as well ("صور: دمار
    واسع في قرى الجنوب", "Photos: Life after the flood" are the title, not credits): a label and
    a name of four words at most, an agency alone, or a credit in brackets ("(أحمد علي/رويترز)")."""
    text = _unwrap(line)
    if not looks_like_credit(line):
        return False
    labelled = _CREDIT_LABEL.match(text) or _CREDIT_BY.match(text)
    if labelled:
        return len(labelled["rest"].split()) <= NAME_WORDS
    return _agency_only(text, named=False) or line.strip().startswith(("(", "["))


def clean_credit(line: str) -> str:
    """The credit as printed: without the brackets around it."""
    return _unwrap(line)


def split_credit(line: str) -> tuple[str, str] | None:
    """A caption that ends with its credit → (caption, credit): '… في ألماتي. تصوير: أحمد علي',
    '… in Almaty (John Doe/Reuters)', '… في ألماتي - رويترز'; None when the line is not one."""
    text = line.strip()
    cuts: list[tuple[int, int]] = []  # (end of the caption, start of the credit)
    bracket = re.search(r"\s*[(\[][^()\[\]]+[)\]]\.?$", text)
    if bracket:
        cuts.append((bracket.start(), bracket.start()))
    cuts += [(m.start() + 1, m.end()) for m in re.finditer(r"[.!؟?]\s+", text)]
    cuts += [(m.start(), m.end()) for m in re.finditer(r"\s+[-–—|]\s+", text)]
    cuts += [(m.start(), m.start()) for m in re.finditer(
        r"(?<=\s)(?:تصوير|الصورة|صورة|بعدسة|photo(?:graph)?s?|images?|credit)\s*[:：]", text,
        re.IGNORECASE)]
    for end, start in sorted(cuts):
        caption, credit = text[:end].strip(), text[start:].strip().rstrip(".").strip()
        if len(caption.split()) >= 2 and looks_like_credit(credit):
            return caption, clean_credit(credit)
    return None


#: A label that names the photo ("الصورة:", "Photo:"): a credit's ("الصورة: رويترز") or, when the
#: line ends with the credit, its caption's ("الصورة: عمّال يستريحون … (تصوير: حسن داود)").
_PHOTO_LABEL = re.compile(r"^(?:الصورة|صورة|photo|picture|image)\s*[:：]\s*", re.IGNORECASE)


def split_labelled_caption(line: str) -> tuple[str, str] | None:
    """A photo label, a caption and the credit at its end on one line → (caption, credit), the
    label left out: "الصورة: عمّال يستريحون في ظلّ جسر (تصوير: حسن داود)". Read whole as a
    credit, the caption was printed as the credit. A name before the credit ("Photo: John Doe -
    Reuters", NAME_WORDS at most) is no caption: None, and the line stays a credit."""
    text = line.strip()
    label = _PHOTO_LABEL.match(text)
    both = split_credit(text[label.end():]) if label else None
    if both is None or len(both[0].split()) <= NAME_WORDS:
        return None
    return both


def looks_like_caption(line: str, anchored: bool = False) -> bool:
    """A caption (rule 4): one sentence of at most 30 words ending with a full stop; ``anchored``
    (a credit follows): any line of at most 40 words that does not end with a colon."""
    text = line.strip()
    if _IMAGE.match(text) or not text:
        return False
    if anchored:
        return len(text.split()) <= 40 and not text.endswith((":", "：")) and not is_boilerplate(text)
    return (len(text.split()) <= 30 and text.rstrip("”\"»)'’").endswith((".", "。", "۔"))
            and not _inner_stops(text))


def _caption_without_stop(line: str) -> bool:
    """Too long for a sub-heading, too short for a paragraph, and no sentence end: a caption."""
    text = line.strip()
    return (not looks_like_heading(text) and len(text.split()) <= 30 and
            not text.endswith(_SENTENCE_END) and not _IMAGE.match(text))


def looks_like_heading(line: str) -> bool:
    """A sub-heading (rule 5): a short line that does not end like a sentence."""
    text = line.strip()
    return (0 < len(text.split()) <= 9 and len(text) <= 70 and not text.endswith(_SENTENCE_END)
            and not _IMAGE.match(text) and not re.match(r"[a-z]", text)
            and not _BARE_URL.search(text))


#: A line of an interview or a dialogue: "س: …", "Q: …", "— …" (its question is no sub-heading).
_SPOKEN = re.compile(r"^(?:[سج]|[QA]|س\.|ج\.)\s*[:：.\-–—]|^[\-–—]\s")


def _short_question(line: str) -> bool:
    """A sub-heading's length, ending with a question mark ("لماذا يصمد المرجان؟", "…؟!"): a
    paragraph, but magazines set such questions as sub-headings too. An interview's question
    ("س: …") or a line of dialogue ("— …") is not asked about."""
    text = line.strip()
    words = text.rstrip("?؟!").rstrip()
    return (any(mark in text[len(words):] for mark in "?؟") and looks_like_heading(words)
            and not _SPOKEN.match(text))


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, web addresses left out (an Arabic article
    with many photos' addresses is Arabic), else 'en'."""
    text = _BARE_URL.sub(" ", text)
    return "ar" if len(_ARABIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


def _unlink(line: str) -> str:
    """Inline links keep their text: "[الوزير](https://…)" → "الوزير"."""
    return _LINK.sub(lambda m: m["text"], line)


#: The fewest words of a link that is the headline, not a menu's item ("[الرئيسية](/)").
_HEADLINE_WORDS = 3


def _linked_headline(line: str) -> bool:
    """A first line that is one link of a headline's length (a page copied from a list of
    articles): the title, where a line of links elsewhere is furniture."""
    match = _LINK.fullmatch(line.strip())
    return (bool(match) and len(match["text"].split()) >= _HEADLINE_WORDS
            and not is_boilerplate(match["text"]) and not _menu(match["text"]))


#: An HTML tag (an element's: "<editor>" is prose) and an HTML comment, left in a line of text.
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
#: What a scrape picks up that no page shows, left out whole: a terminal's escape sequence
#: ("\x1b[31m": its control character alone left out, "[31m" was printed), a control character,
#: and the bidi embeddings, overrides and isolates of the page's markup (U+202A–202E,
#: U+2066–2069: an override sets the words after it reversed, and a credit line wrapped in them
#: was read as a sub-heading; bidi.py isolates the runs of the text itself).
_UNSEEN = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
                     "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The words that mark a byline ("By", "بقلم", "كتب:").
_BYLINE_WORDS = r"(?:by|written by|بقلم|كتب|كتبت|إعداد|اعداد)\b"
#: A line marked as a byline: such a word, its colon, and a name after them.
_BYLINE_MARK = re.compile(rf"^{_BYLINE_WORDS}\s*[:：]?\s*[^\s:：]", re.IGNORECASE)
#: Such a word alone, without a name: dropped ("كتب:" is neither the deck nor the byline).
_BYLINE_ALONE = re.compile(rf"^{_BYLINE_WORDS}\s*[:：]?\s*$", re.IGNORECASE)
#: The word that marks a byline, with its colon and the spaces after it (not a colon alone).
_BYLINE_LEAD_IN = re.compile(rf"^{_BYLINE_WORDS}\s*[:：]?\s*(?=[^\s:：])", re.IGNORECASE)


def _byline_names(line: str) -> str:
    """A byline without the word that marks it ("كتب: أحمد علي" → "أحمد علي", "By Jane Doe" →
    "Jane Doe"): the layout sets the names alone, in the byline's own face and place (the word,
    printed before them, would read as part of a name)."""
    return _BYLINE_LEAD_IN.sub("", line, count=1)


def _said_byline(line: str, byline: str) -> str:
    """The byline as the import report says it: "أحمد علي ('كتب:' left out)"."""
    word = line[:len(line) - len(byline)].strip()
    return f"{byline} ({word!r} left out)" if word else byline
def _figure_of(match: re.Match[str], number: int, credit: str = "") -> Figure:
    """A photo line's figure (an _IMAGE match on line ``number``): its alt text the caption."""
    url = _address(match["url"]) if "://" in match["url"] else unquote(match["url"])
    return Figure(url, re.sub(r"\\([\\\[\]])", r"\1", match["alt"]).strip(), credit, number)


Lines = list[tuple[int, str]]


class HeadLines(NamedTuple):
    """The caption and credit read after a photo in the head (``_Reader.head_lines``), the index
    of the line after them, and the decisions to take when they are kept."""

    after: int
    caption: str = ""
    credit: str = ""
    said: tuple[Decision, ...] = ()


class _Reader:
    """One pass over a scraped article's lines, keeping the decisions it takes."""

    def __init__(self, lines: Lines, lang: str, addresses: frozenset[int] = frozenset()) -> None:
        self.lines = lines
        self.lang = lang
        self.addresses = addresses  # the numbers of lines that were an image's address alone
        self.decisions: list[Decision] = []
        self.meta: dict[str, tuple[object, int]] = {}
        self.blocks: list[Block] = []
        self.tail = len(lines)  # from here on, only metadata and boilerplate
        self.deck_unsure = ""  # why the deck, after a photo under the title, may be its caption
        while self.tail > 0 and (self._furniture(self.lines[self.tail - 1][1])
                                 or self.lines[self.tail - 1][0] in addresses):
            self.tail -= 1

    def _furniture(self, line: str) -> bool:
        return not _IMAGE.match(line) and (
            is_boilerplate(line) or scrapedmeta.read(line, self.lang) is not None)

    def decide(self, line: int, kind: str, text: str, unsure: str = "") -> None:
        self.decisions.append(Decision(line, kind, text, unsure))

    def text(self, index: int) -> str | None:
        """The line at ``index`` when it may describe a photo (not a photo, not boilerplate)."""
        if index >= len(self.lines):
            return None
        line = self.lines[index][1]
        return None if _IMAGE.match(line) or is_boilerplate(line) else line

    def take_meta(self, index: int, anywhere: bool) -> bool:
        """Read the line at ``index`` as metadata (rule 1); False when it is not metadata here."""
        number, line = self.lines[index]
        found = scrapedmeta.read(line, self.lang)
        if found is None or not (anywhere or (found.date and found.labelled)):
            return False
        for key in ("date", "source", "publication"):
            value = getattr(found, key)
            if not value:
                continue
            if key in self.meta:
                kept, where = self.meta[key]
                if kept != value:
                    self.decide(number, key, str(value), f"line {where} already gave {kept}: ignored")
                continue
            self.meta[key] = (value, number)
            self.decide(number, key, str(value), found.unsure)
        return True

    def head(self) -> tuple[int, str, str, str]:
        """Title, deck and byline; returns the index of the first body line."""
        title = deck = byline = ""
        index = 0
        while index < len(self.lines):
            number, line = self.lines[index]
            if _IMAGE.match(line) and title:
                after = 0 if deck or byline else self.between_title_and_deck(index)
                if not after:
                    break
                index = after
                continue
            if _IMAGE.match(line):
                index = self.hero(index)
                continue
            if self.take_meta(index, anywhere=True):
                index += 1
                continue
            if title and _TABLE_ROW.match(line):
                break  # (a table's row, between bars, is no deck or byline: the body starts)
            if (is_boilerplate(line) and not (not title and _linked_headline(line))) or (
                    title and _BYLINE_ALONE.match(line)) or (_menu(line) and (
                    not title or _HOME.match(line))):
                self.decide(number, "boilerplate", line)
            elif not title:
                title = line
                self.decide(number, "title", line)
            elif not deck and not byline and _BYLINE_MARK.match(line):
                byline = _byline_names(line)
                self.decide(number, "byline", _said_byline(line, byline),
                            "the second line is marked as a byline: no deck")
            elif not deck and not byline:
                deck = line
                self.decide(number, "deck", line, self.deck_unsure)
            elif not byline and len(line.split()) <= 12 and not _ends_sentence(line) and (
                    len(line) <= 100):
                byline = _byline_names(line)
                self.decide(number, "byline", _said_byline(line, byline))
            else:
                if not byline:
                    self.decide(number, "paragraph", line,
                                "too long for a byline: the article has none, this is the first paragraph")
                break
            index += 1
        if not title:
            raise ContentError("the article has no title (its first line)", None, 1)
        return index, title, deck, byline

    def hero(self, index: int) -> int:
        """A photo above the title (a page's hero image), or photos side by side: the first
        figures, with their caption and credit when the lines after them read as such (a credit
        of a name's length, an agency or in brackets; a caption followed by one or ending with
        it; a sentence ending with a full stop, which is no title); returns the index after
        them."""
        return self.lead(index, self.head_lines(self.row(index), hero=True),
                         "above the title: the lead photo")

    def head_lines(self, index: int, hero: bool) -> HeadLines:
        """The caption and credit of a photo in the head, read from line ``index`` on, where a
        title (``hero``) or a deck and byline may stand as well."""
        first, second = self.text(index), self.text(index + 1)
        if first is None:
            return HeadLines(index)
        line = self.lines[index][0]
        if both := split_labelled_caption(first):
            return HeadLines(index + 1, both[0], both[1], (Decision(line, "caption", both[0]),
                                                           Decision(line, "credit", both[1])))
        if _hero_credit(first):
            credit = clean_credit(first)
            return HeadLines(index + 1, "", credit, (Decision(line, "credit", credit),))
        both = split_credit(first)
        if both and second is not None and looks_like_caption(both[0], anchored=True) and (
                _hero_credit(both[1]) or first.rstrip(".").endswith((")", "]"))):
            return HeadLines(index + 1, both[0], both[1], (Decision(line, "caption", both[0]),
                                                           Decision(line, "credit", both[1])))
        if second is not None and self.text(index + 2) is not None and _hero_credit(second) and (
                looks_like_caption(first, anchored=True)) and not looks_like_credit(first):
            credit = clean_credit(second)
            return HeadLines(index + 2, first, credit, (
                Decision(line, "caption", first), Decision(self.lines[index + 1][0], "credit", credit)))
        if hero and second is not None and looks_like_caption(first) and not _BYLINE_MARK.match(second):
            said = (Decision(line, "caption", first,
                             "above the title, ending with a full stop: the photo's caption, not the title"),)
            third = self.text(index + 2)
            if third is not None and self.text(index + 3) is not None and _hero_credit(third):
                credit = clean_credit(third)
                return HeadLines(index + 2, first, credit,
                                 (*said, Decision(self.lines[index + 1][0], "credit", credit)))
            return HeadLines(index + 1, first, "", said)
        return HeadLines(index)

    def lead(self, index: int, read: HeadLines, why: str) -> int:
        """The photos from ``index`` on, side by side, as the first figures (the head's), with
        the caption (the last one's) and credit (each one's) ``read`` after them; returns the
        index after those."""
        figures = []
        for number, match in self.row_photos(index):
            self.decide(number, "figure", match["url"], why)
            figures.append(_figure_of(match, number, read.credit))
        if read.caption:
            figures[-1] = replace(figures[-1], caption=read.caption)
        self.decisions += read.said
        self.blocks += figures
        return read.after

    def between_title_and_deck(self, index: int) -> int:
        """A photo right after the title (before the deck and the byline): the lead photo, the
        head going on after it, when what follows its credit (or caption and credit) reads as a
        head — a line marked as a byline, a line and a name after it, or a line that does not end
        like a sentence (the deck, said as unsure); returns the index after its lines, or 0 when
        the head ends there (the lines after it are its caption and credit, rule 4)."""
        read = self.head_lines(self.row(index), hero=False)
        first, second = self.text(read.after), self.text(read.after + 1)
        if first is None or scrapedmeta.read(first, self.lang) is not None:
            return 0
        named = second is not None and read.after + 2 < len(self.lines) and (
            _BYLINE_MARK.match(second) or _name_like(second))
        open_line = not first.endswith(_SENTENCE_END) and not looks_like_credit(first) and not (
            _BYLINE_MARK.match(first)) and len(first.split()) <= 40
        if not (_BYLINE_MARK.match(first) or named or open_line):
            return 0
        if not _BYLINE_MARK.match(first) and ((open_line and not named) or looks_like_caption(first)):
            self.deck_unsure = "after a photo under the title: it may be the photo's caption"
        return self.lead(index, read, "between the title and the deck: the lead photo")

    def body(self, index: int) -> None:
        """Rules 1–6 on every line after the head."""
        while index < len(self.lines):
            number, line = self.lines[index]
            at_edge = not self.blocks or index >= self.tail
            if self.take_meta(index, anywhere=at_edge):
                index += 1
                continue
            if is_boilerplate(line):
                self.decide(number, "boilerplate", line)
                if _fold(line) in _LEAD_LABELS:
                    # its list or headline; all of its headlines when nothing but furniture follows
                    # them ("اقرأ أيضاً" and three headlines above the comments' notice)
                    end = index + 1
                    while end < self.tail and self._listed(end):
                        end += 1
                    stop = end if end >= self.tail else min(end, index + 2)
                    for at in range(index + 1, stop):
                        self.decide(self.lines[at][0], "boilerplate", self.lines[at][1])
                    index = stop
                else:
                    index += 1
                continue
            match = _IMAGE.match(line)
            if match and index >= self.tail and number in self.addresses:
                # a page's share image after the text, before its source line: not the article's
                self.decide(number, "boilerplate", line, "an image's address after the text")
                index += 1
                continue
            if match:
                index = self.photos(index)
                continue
            listed = self.list_at(index) or self.table_at(index) or self.bar_table_at(index)
            if listed:
                index = listed
                continue
            self.text_line(index, _unlink(line))
            index += 1

    def _listed(self, index: int) -> bool:
        """Whether the line at ``index`` may be an item of what a label ("اقرأ أيضاً") heads: a list
        item or a headline."""
        line = self.lines[index][1]
        return _is_list(line) or looks_like_heading(_unlink(line))

    def row(self, index: int) -> int:
        """The index after the photos side by side from ``index`` on (one line's photos)."""
        end = index + 1
        while end < min(len(self.lines), index + ROW_MOST) and self.lines[end][0] == self.lines[index][0] \
                and _IMAGE.match(self.lines[end][1]):
            end += 1
        return end  # (ROW_MOST at most: the rest of the line's photos are the next row)

    def row_photos(self, index: int) -> list[tuple[int, re.Match[str]]]:
        """The photos side by side from ``index`` on (``row``): each one's line number and its
        ``![alt](url)`` read."""
        found = []
        for number, line in self.lines[index:self.row(index)]:
            match = _IMAGE.match(line)
            assert match is not None  # row holds photo lines only
            found.append((number, match))
        return found

    def photos(self, index: int) -> int:
        """Rules 3 and 4: the photo at ``index``, or the photos side by side on one line, one
        figure (a row), with the caption and credit after them: the caption is the row's (else
        their alt texts, those given, in order), the credit each one's; returns the index after
        them."""
        end = self.row(index)
        figures = []
        for at, (number, match) in enumerate(self.row_photos(index), start=index):
            figures.append(_figure_of(match, number))
            self.decide(number, "figure", match["url"], "" if end == index + 1 or at > index else (
                f"{end - index} photos on one line: one figure, a row; the caption after them is "
                "the row's, the credit each one's"))
            if figures[-1].caption:
                self.decide(number, "caption", figures[-1].caption)
        alts = row_caption([figure.caption for figure in figures])
        after = self.describe(replace(figures[0], caption=alts), end)
        if len(figures) > 1:
            first = self.blocks.pop()
            assert isinstance(first, Figure)  # (describe adds the figure it describes)
            self.blocks.append(replace(first, nocrop=True, row=tuple(
                replace(figure, caption="", credit=first.credit) for figure in figures[1:])))
        return after

    def list_at(self, index: int) -> int:
        """Rule 6: the list that starts at line ``index`` (two items or more) added to the
        blocks; returns the index after it, or 0 when no list starts there."""
        items: list[str] = []
        ordered = bool(_NUMBERED_ITEM.match(self.lines[index][1]))
        start = 0
        for at in range(index, self.tail):
            line = self.lines[at][1]
            match = (_NUMBERED_ITEM if ordered else _BULLET_ITEM).match(line)
            if match is None or is_boilerplate(line) or _IMAGE.match(line):
                break
            if ordered:
                number = int(match["number"])  # (int reads every script's decimal digits)
                if items and number != start + len(items):
                    break
                if not items:
                    start = number
            items.append(_unlink(match["text"]))
        if len(items) < 2:
            return 0
        number = self.lines[index][0]
        self.blocks.append(List(tuple(ListItem(t, html.escape(t)) for t in items), ordered,
                                start if ordered else 1, number))
        dashes = not ordered and self.lines[index][1][0] in "-–"
        self.decide(number, "list", f"{len(items)} {'numbered' if ordered else 'bulleted'} items",
                    "lines starting with a dash: if they are dialogue, not a list, make them "
                    "paragraphs (remove the '- ')" if dashes else "")
        return index + len(items)

    def table_at(self, index: int) -> int:
        """A Markdown table left in the page's text (a header row of cells between bars, a row
        of dashes, its rows on the lines after) added to the blocks; returns the index after
        it, or 0 when none starts there. Its rows were sub-headings, "|---|---|" printed."""
        if index + 1 >= self.tail:
            return 0
        (number, first), (_, rule) = self.lines[index], self.lines[index + 1]
        aligns = _table_rule(rule)
        header = _table_cells(first)
        if not header or aligns is None or len(aligns) != len(header):
            return 0
        rows: list[list[str]] = []
        ragged: list[int] = []  # (the lines of rows with more or fewer cells than the header)
        at = index + 2
        while at < self.tail and (cells := _table_cells(self.lines[at][1])) and _table_rule(
                self.lines[at][1]) is None:
            rows.append((cells + [""] * len(header))[:len(header)])
            if len(cells) != len(header):
                ragged.append(self.lines[at][0])
            at += 1
        self.table(number, header, aligns, rows,
                   f"rows on lines {', '.join(map(str, ragged))} have more or fewer cells than the "
                   "header: cut or filled with empty cells" if ragged else "")
        return at

    def bar_table_at(self, index: int) -> int:
        """Two lines or more in a row with the same number (two or more) of cells between bars,
        and no rule under the first ("Team | Played | Points" then its rows): a table, the first
        line its header, said as unsure; returns the index after it, or 0 when none starts there
        (a single such line stays text)."""
        header = _bar_cells(self.lines[index][1])
        if len(header) < 2 or not all(header):
            return 0
        rows: list[list[str]] = []
        at = index + 1
        while at < self.tail and self.lines[at][0] == self.lines[at - 1][0] + 1 and len(
                cells := _bar_cells(self.lines[at][1])) == len(header) and not is_boilerplate(
                self.lines[at][1]):  # (a blank line ends it)
            rows.append(cells)
            at += 1
        if not rows:
            return 0
        self.table(self.lines[index][0], header, [""] * len(header), rows,
                   "lines of cells between bars with no rule (|---|) under the first: read as a "
                   "table, the first line its header")
        return at

    def table(self, number: int, header: list[str], aligns: list[str], rows: list[list[str]],
              unsure: str) -> None:
        """A table added to the blocks (a column of numbers aligned as numbers), and said."""
        numeric = [any(r[i] for r in rows) and all(is_number(r[i]) for r in rows if r[i])
                   for i in range(len(header))]
        self.blocks.append(Table(
            tuple(Cell(t, html.escape(t), a, n) for t, a, n in zip(header, aligns, numeric, strict=True)),
            tuple(tuple(Cell(t, html.escape(t), a, is_number(t)) for t, a in zip(r, aligns, strict=True))
                  for r in rows), number))
        self.decide(number, "table", f"{len(rows)} rows of {len(header)} columns", unsure)

    def paragraph(self, line: str, number: int) -> None:
        """A paragraph of the line's text, its straight double quotes curled (content.curled)."""
        text = curled(line, self.lang)
        self.blocks.append(Paragraph(text, html.escape(text), number))

    def text_line(self, index: int, line: str) -> None:
        """Rules 5 and 6: a sub-heading or a paragraph."""
        number = self.lines[index][0]
        last = self.blocks[-1] if self.blocks else None
        if looks_like_credit(line) and not (looks_like_heading(line) and _slash_credit(_unwrap(line))):
            self.paragraph(line, number)
            self.decide(number, "paragraph", line, "looks like a photo credit but follows no photo")
        elif looks_like_credit(line) and index + 1 < self.tail:
            self.blocks.append(Heading(line, 2, number))  # "Before/After the Storm"
            self.decide(number, "sub-heading", line,
                        "reads like a 'name/organisation' credit, but follows no photo")
        elif looks_like_heading(line) and index + 1 >= self.tail:
            self.paragraph(line, number)
            self.decide(number, "paragraph", line, "a short line with no text after it: not a sub-heading")
        elif looks_like_heading(line):
            self.blocks.append(Heading(line, 2, number))
            unsure = ""
            if isinstance(last, Heading):
                unsure = "right after another sub-heading"
            elif isinstance(last, Figure) and not (last.caption and last.credit):
                unsure = ("right after a photo without a " + ("credit" if last.caption else "caption")
                          + ": it may be the photo's")
            self.decide(number, "sub-heading", line, unsure)
        else:
            self.paragraph(line, number)
            if _short_question(line) and index + 1 < self.tail:
                self.decide(number, "paragraph", line,
                            "a short question on a line of its own: make it '## …' if it is a sub-heading")

    def describe(self, figure: Figure, index: int) -> int:
        """Rule 4: the caption and credit after a photo; returns the index after them."""
        caption, credit = figure.caption, ""
        first = self.text(index)
        if first is not None and caption and first.strip() == caption:
            self.decide(self.lines[index][0], "caption", first, "")
            index += 1
            first = self.text(index)
        second = self.text(index + 1)
        if first is None:
            pass
        elif both := split_labelled_caption(first):
            caption, credit = both
            self.decide(self.lines[index][0], "caption", caption)
            self.decide(self.lines[index][0], "credit", credit)
            index += 1
        elif looks_like_credit(first):
            credit = clean_credit(first)
            self.decide(self.lines[index][0], "credit", credit)
            index += 1
        elif (both := split_credit(first)) and looks_like_caption(both[0], anchored=True):
            caption, credit = both
            self.decide(self.lines[index][0], "caption", caption)
            self.decide(self.lines[index][0], "credit", credit)
            index += 1
        elif second is not None and looks_like_credit(second) and looks_like_caption(first, True):
            replaced = f"instead of the alt text {figure.caption!r}" if figure.caption else ""
            caption, credit = first, clean_credit(second)
            self.decide(self.lines[index][0], "caption", caption, replaced)
            self.decide(self.lines[index + 1][0], "credit", credit)
            index += 2
        else:
            from_alt = bool(caption)
            if not caption and (looks_like_caption(first) or _caption_without_stop(first)):
                caption, from_alt = first, False
                sure = looks_like_caption(first)
                self.decide(self.lines[index][0], "caption", caption,
                            "" if sure else "no full stop, but too long for a sub-heading")
                index += 1
            caption, credit, index = self._stacked(caption, from_alt, index)
        self.blocks.append(replace(figure, caption=caption, credit=credit))
        return index

    def _stacked(self, caption: str, from_alt: bool, index: int) -> tuple[str, str, int]:
        """Two short lines in a row after a photo cannot both be sub-headings: the first is the
        photo's credit when it is a name's length (four words at most) or the photo already has
        a caption line, else its caption (before an alt text)."""
        line, after = self.text(index), self.text(index + 1)
        if line is None or after is None or not (looks_like_heading(line) and looks_like_heading(after)):
            return caption, "", index
        number = self.lines[index][0]
        why = "two short lines in a row after the photo: the second is taken as a sub-heading"
        if (caption and not from_alt) or len(line.split()) <= NAME_WORDS:
            self.decide(number, "credit", line, why)
            return caption, line, index + 1
        self.decide(number, "caption", line, why + (f"; instead of the alt text {caption!r}"
                                                      if caption else ""))
        return line, "", index + 1


#: What is left of an element's tag that is no whole tag ("<img src='…'" with no ">", or one
#: with a "<" in it), to its ">" or the line's end.
_BROKEN_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?![A-Za-z0-9-])[^>]*>?")
#: The most passes of tag stripping (each takes the innermost tags of "<scr<b>ipt>" away).
_STRIP_PASSES = 16


def _without_tags(text: str) -> str:
    """``text`` without HTML elements' tags, stripped until none is left: a pass leaves
    "<scr<b>ipt>" as "<script>", the next takes it away; then what is left of a tag that is no
    whole one (_BROKEN_TAG; or of tags nested deeper than _STRIP_PASSES, no page's) goes too, so
    that none is printed."""
    def strip(m: re.Match[str]) -> str:
        name = m[1].lower()
        if name not in ELEMENTS:
            return m[0]  # prose: "<editor>"
        return " " if name in block_names or name == "br" else ""

    for _ in range(_STRIP_PASSES):
        stripped = _HTML_TAG.sub(strip, text)
        if stripped == text:
            break
        text = stripped
    return _BROKEN_TAG.sub(strip, text)


def _without_raw_syntax(line: str) -> tuple[str, str]:
    """A line of text without the raw syntax a page left in it, which is never printed: an image
    inside it (not a photo line) and HTML tags (the text between them kept; a tag whose name is
    no HTML element's, "<editor>", is prose); ('', why) when no text is left, (line, '') when
    there was none."""
    text = _without_tags(_HTML_COMMENT.sub(" ", _INLINE_IMAGE.sub(" ", line)))
    if text == line:
        return line, ""
    text = " ".join(text.split())
    what = " and ".join((["an image inside a line of text"] if _INLINE_IMAGE.search(line) else [])
                        + (["raw HTML"] if " ".join(_INLINE_IMAGE.sub(" ", line).split()) != text else []))
    if not re.search(r"\w", text):
        return "", f"{what}: no photo and no text, left out"
    return text, f"{what} left out of the line, its text kept"


#: An HTML tag or <figure> over several lines: the most lines and characters it is read across.
_FIGURE_LINES = 12
_TAG_CHARS = 4096
#: An element's tag opening a line.
_TAG_START = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _joined_tags(lines: Lines) -> Lines:
    """An HTML tag written over several lines (pretty-printed: ``<img`` / ``src="…"`` /
    ``alt="…">``), joined into one line (numbered as its first) up to its ``>``, so that it is
    read as a tag (an ``<img>`` a photo line); a tag whose ``>`` never comes is left as it is."""
    out: Lines = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        start = _TAG_START.match(line)
        if start and start[1].lower() in ELEMENTS and len(line) < _TAG_CHARS \
                and not _TAG_TOKEN.match(line):
            joined, end = line, None
            for at in range(index + 1, min(len(lines), index + _FIGURE_LINES)):
                joined += " " + lines[at][1]
                if len(joined) > _TAG_CHARS:
                    break
                if _TAG_TOKEN.match(joined):
                    end = at
                    break
            if end is not None:
                out.append((number, joined))
                index = end + 1
                continue
        out.append((number, line))
        index += 1
    return out


def _figure_markup(lines: list[str]) -> bool:
    """Whether the lines inside a ``<figure>`` are its markup: each a tag's line, or the text of
    its ``<figcaption>`` (not a heading, a list or paragraphs a ``<figure>`` never closed ran on
    into)."""
    caption = False
    for line in lines:
        if not line.startswith("<") and not caption:
            return False
        for tag in re.finditer(r"<(/?)figcaption\b", line, re.IGNORECASE):
            caption = not tag[1]
    return True


def _joined_figures(lines: Lines) -> Lines:
    """An HTML ``<figure>`` written over several lines, joined into one line (numbered as its
    first), so that it is read as one photo line: only when its ``</figure>`` comes (within
    _FIGURE_LINES) and the lines between are its markup (_figure_markup); else its lines are
    left as they are (the ``<figure>`` tag left out, said)."""
    out: Lines = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        if re.match(r"<figure\b", line, re.IGNORECASE) and not re.search(r"</figure\s*>", line, re.I):
            end = next((at for at in range(index + 1, min(len(lines), index + _FIGURE_LINES))
                        if re.search(r"</figure\s*>", lines[at][1], re.IGNORECASE)), None)
            if end is not None and _figure_markup([text for _, text in lines[index + 1:end + 1]]):
                out.append((number, " ".join(text for _, text in lines[index:end + 1])))
                index = end + 1
                continue
        out.append((number, line))
        index += 1
    return out


#: A link reference definition on a line of its own (``[label]: address "title"``), as
#: CommonMark writes one; a footnote's (``[^1]: …``) is none.
_DEFINITION = re.compile(r"^\[(?P<label>(?!\^)(?=[^\[\]]*?[^\[\]\s])[^\[\]]*)\]:\s*(?:<(?P<angled>[^<>\n]*)>|"
                         r"(?P<url>\S+))(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*$")
#: A reference-style image: ``![alt][label]``, ``![alt][]`` (its alt text the label) or
#: ``![alt]`` alone (a shortcut: read only when its label is defined).
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\](?:\[(?P<label>[^\[\]]*)\]|(?![(\[]))")
#: A reference-style link, ``[text][label]`` or ``[text][]`` (not an image's: no "!" before).
_REFERENCE_LINK = re.compile(r"(?<![!\\])\[(?P<text>[^\[\]]*)\]\[(?P<label>[^\[\]]*)\]")
#: An image whose brackets a page escaped (``![x\](…)``, ``!\[x](…)``, ``\![x](…)``): CommonMark
#: prints it as it is; its alt text holds no bracket, and "(" or "[" follows it.
_ESCAPED_IMAGE = re.compile(r"(?:\\!\\?\[|!\\\[)(?P<alt>[^\[\]\n]*?)\\?\](?=[(\[])"
                            r"|!\[(?P<alt2>[^\[\]\n]*?)\\\](?=[(\[])")


def _label(text: str) -> str:
    """A reference's label as CommonMark matches it: case-folded, its white space one space."""
    return " ".join(text.split()).casefold()


def _definitions(lines: Lines) -> tuple[Lines, dict[str, str], list[Decision]]:
    """The lines that are no link reference definition, the definitions (label → address; the
    first of a label wins, as in CommonMark) and what was said of them (never printed)."""
    kept: Lines = []
    found: dict[str, str] = {}
    said: list[Decision] = []
    used = {_label(m["label"] or m.groupdict().get("alt") or m.groupdict().get("text") or "")
            for _, line in lines if "]" in line and not _DEFINITION.match(line)
            for pattern in (_REFERENCE_IMAGE, _REFERENCE_LINK) for m in pattern.finditer(line)}
    for number, line in lines:
        match = _DEFINITION.match(line)
        if match is None or _label(match["label"]) not in used:
            kept.append((number, line))  # (a source list, "[1]: https://…", that nothing refers to)
            continue
        url = match["url"] if match["angled"] is None else match["angled"].strip()
        if not re.search(r"/|\w\.\w", url):
            kept.append((number, line))  # "[Note]: important": text, no address
            continue
        found.setdefault(_label(match["label"]), url)
        said.append(Decision(number, "reference", f"[{match['label']}]: {url}"))
    return kept, found, said


def _image_forms(line: str, definitions: dict[str, str]) -> tuple[str, list[str]]:
    """A line with its images in other forms written ``![alt](url)``: one whose brackets were
    escaped, a reference-style one whose label is defined (one whose label is not is left out
    of the line, and returned); reference-style links become ``[text](url)`` (their text is
    kept as any link's)."""
    if "\\" in line:
        line = _ESCAPED_IMAGE.sub(lambda m: f"![{m['alt'] if m['alt'] is not None else m['alt2']}]", line)
    if "][" not in line and not definitions:
        return line, []
    undefined: list[str] = []

    def image(match: re.Match[str]) -> str:
        label = match["alt"] if match["label"] is None or not match["label"].strip() else match["label"]
        url = definitions.get(_label(label))
        if url is not None:
            return f"![{match['alt']}]({_address(url)})"
        if match["label"] is None:
            return match[0]  # "![Important]" with no definition: text, as it was
        undefined.append(match[0])
        return " "

    def link(match: re.Match[str]) -> str:
        label = match["label"] if match["label"].strip() else match["text"]
        url = definitions.get(_label(label))
        return match[0] if url is None else f"[{match['text']}]({_address(url)})"

    line = _REFERENCE_LINK.sub(link, _REFERENCE_IMAGE.sub(image, line))
    return (" ".join(line.split()) if undefined else line), undefined


def _logo_links(line: str) -> tuple[str, list[str]]:
    """A line with the images taken out of the links whose text holds words beside them (a
    linked headline with a site's logo: "[![logo](…) Headline](…)"), and the images taken out
    (furniture); a link holding only a photo (a linked photo) is left as it is."""
    if "[![" not in line and "![" not in line:
        return line, []
    logos: list[str] = []

    def without(match: re.Match[str]) -> str:
        text = match["text"]
        found = [m[0] for m in _LOGO.finditer(text)]
        words = " ".join(_LOGO.sub(" ", text).split())
        if not found or not re.search(r"\w", words) or match.string[match.start() - 1:match.start()] == "!":
            return match[0]  # (no logo, only a photo, or an image's own alt text: no link)
        logos.extend(found)
        return f"[{words}]({match['url']})"

    return _LINK.sub(without, line), logos


def _reference_said(line: int, undefined: list[str]) -> Decision:
    """What is said of the reference-style images on ``line`` whose labels are defined nowhere."""
    labels = [(found["label"] or found["alt"]) if (found := _REFERENCE_IMAGE.match(piece)) else piece
              for piece in undefined]
    return Decision(line, "left out", " ".join(undefined),
                    f"a reference-style image whose {', '.join(f'[{label}]' for label in labels)} is "
                    "defined nowhere (no '[label]: address' line): left out")


def _controls_said(text: str) -> Decision | None:
    """What is said of the control characters in ``text`` (a scrape picks them up; no page can
    show them): how many, which, on the line of the first; None when there are none."""
    found = _UNSEEN.search(text)
    if found is None:
        return None
    every = _UNSEEN.findall(text)
    names = ", ".join(sorted({f"U+{ord(c[0]):04X}" for c in every})[:4])
    return Decision(text.count("\n", 0, found.start()) + 1, "left out",
                    f"{len(every)} control or bidi formatting character{'s' if len(every) > 1 else ''}"
                    f" or escape sequence{'s' if len(every) > 1 else ''} ({names}), which print nothing"
                    " or reorder the words after them")


def parse(text: str, path: Path) -> tuple[Article, list[Decision]]:
    """Scraped text → (Article, the decisions taken on the way). Control characters, which a
    scrape picks up and no page can show, are dropped, said; tabs become spaces."""
    controls = _controls_said(text.replace("\t", " "))
    text = _UNSEEN.sub("", text.replace("\t", " "))
    raw = _joined_figures(_joined_tags([(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)
                                        if line.strip()]))
    raw, definitions, left_out = _definitions(raw)
    left_out += [controls] if controls else []
    lines: Lines = []
    for n, line in raw:
        line, undefined = _image_forms(line, definitions)
        if undefined:
            left_out.append(_reference_said(n, undefined))
        line, logos = _logo_links(line)
        left_out += [Decision(n, "boilerplate", logo, "an image inside a link beside its text: a "
                              "logo or an icon, left out (the link's text kept)") for logo in logos]
        if not line.strip():
            continue
        photos, said = _photo_lines(line)
        if len(photos) == 1 and not _IMAGE.match(photos[0]):
            text, said = _without_raw_syntax(line)
            photos = [text] if text else []
        lines += [(n, photo) for photo in photos]
        if said:
            left_out.append(Decision(n, "left out", line, said))
    addresses = frozenset(n for n, line in raw if _BARE_IMAGE.match(line) or (
        _photo_pieces(line)[0] and all(_BARE_IMAGE.match(piece) for piece in line.split())))
    lang = detect_lang(text)
    reader = _Reader(lines, lang, addresses)
    reader.decisions += left_out
    try:
        index, title, deck, byline = reader.head()
    except ContentError as error:
        raise ContentError(error.message, path, 1) from None
    reader.body(index)
    meta = {key: value for key, (value, _) in reader.meta.items()}
    # links in the head keep their text, as in the body: the front matter's text is no Markdown
    title, deck, byline = _unlink(title), _unlink(deck), _unlink(byline)
    article = Article(title=title, path=path, deck=deck, byline=byline, lang=lang,
                      blocks=tuple(reader.blocks), date=meta.get("date"),  # type: ignore[arg-type]
                      source=str(meta.get("source", "")), publication=str(meta.get("publication", "")))
    return article, sorted(reader.decisions, key=lambda decision: decision.line)


def missing_metadata(article: Article) -> list[str]:
    """The archive metadata the article lacks: 'date', 'source', 'publication'."""
    return [key for key in ("date", "source", "publication") if not getattr(article, key)]


def metadata_hint(article: Article) -> str:
    """What the photos' addresses suggest about the missing metadata ('' when nothing)."""
    return scrapedmeta.photo_hint([f.src for f in article.photos])


def load(path: Path) -> Article:
    """Read a scraped article; the decisions are logged at info level (shown with -v), but what
    was left out of it as raw syntax (an HTML tag, an <img> with no photo's address) is a
    warning, as in Markdown (--strict fails)."""
    article, decisions = parse(read_text(path), path)
    for decision in decisions:
        if decision.kind == "left out":
            warn(describe(decision), path, decision.line)
        elif decision.kind != "paragraph" or decision.unsure:
            info(describe(decision), path, decision.line)
    if not article.has_body:
        warn(NO_BODY, path)
    return article


def describe(decision: Decision) -> str:
    """One decision as a line of the import report."""
    unsure = f"  (unsure: {decision.unsure})" if decision.unsure else ""
    return f"{decision.kind}: {decision.text}{unsure}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#!|&~$])")  # ~: strikethrough, $: math (content.py)
_MD_LINE_START = re.compile(r"^(\s*)(-+|\++|[>=:]|\d+)([.)]?)(\s|$)")  # ":": a definition
_MD_CONTAINER = re.compile(r"^(\s*)(?=:::)")  # ::: opens a pull quote or sidebar (content.py)


def md_escape(text: str) -> str:
    """Escape text so that Markdown reads it back exactly."""
    text = _MD_SPECIAL.sub(r"\\\1", text)

    def guard(m: re.Match[str]) -> str:
        if m[2].isdigit():
            return m[1] + m[2] + ("\\" + m[3] if m[3] else "") + m[4]
        return m[1] + "\\" + m[2] + m[3] + m[4]

    return _MD_CONTAINER.sub(r"\1\\", _MD_LINE_START.sub(guard, text))


def _yaml_value(text: str) -> str:
    """A double-quoted YAML scalar that reads back exactly (control characters escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", escaped)
    return f'"{escaped}"'


def _destination(src: str) -> str:
    """A photo's address as written in ``![](<…>)``, read back the same (content._figure): what
    would end or break it (``<``, ``>``, ``\\``, white space) percent-encoded, a file's path
    (unquoted when read) its ``%`` too, and an ``&`` that would be read as an entity escaped."""
    src = re.sub(r"[\s<>\\]" if "://" in src else r"[\s<>\\%]", lambda m: quote(m[0], safe=""), src)
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", src)


#: A table's row as a page leaves it: cells between bars ("| أ | ب |"; "\\|" is a bar in a cell).
_TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
_TABLE_SPLIT = re.compile(r"(?<!\\)\|")
#: A table's rule under its header: dashes between bars, a colon marking the side aligned to.
_TABLE_DASHES = re.compile(r"\s*(:?)-+(:?)\s*")


def _table_cells(line: str) -> list[str]:
    """A table row's cells' text (links keep their text), or [] when the line is no row."""
    match = _TABLE_ROW.match(line)
    if match is None:
        return []
    return [_unlink(cell.strip().replace("\\|", "|")) for cell in _TABLE_SPLIT.split(match["cells"])]


def _bar_cells(line: str) -> list[str]:
    """The cells of a line of cells between bars, written with or without bars at its ends
    ("Reds | 10 | 22"), or [] when it holds no bar, no text, or is a photo line or a table's
    rule."""
    if not _TABLE_SPLIT.search(line) or _IMAGE.match(line) or _table_rule(line) is not None:
        return []
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = [_unlink(cell.strip().replace("\\|", "|")) for cell in _TABLE_SPLIT.split(inner)]
    return cells if any(cells) else []


def _table_rule(line: str) -> list[str] | None:
    """The alignment of each column ("left", "right", "center" or "") of a table's rule."""
    cells = _table_cells(line)
    found = [_TABLE_DASHES.fullmatch(cell) for cell in cells]
    if not cells or not all(found):
        return None
    sides = {(":", ""): "left", ("", ":"): "right", (":", ":"): "center"}
    return [sides.get((m[1], m[2]), "") for m in found if m]


def _table_markdown(table: Table) -> list[str]:
    """A table as Markdown reads it back (content._table): its bars in cells escaped."""
    rule = {"left": ":--", "right": "--:", "center": ":-:"}
    def row(cells: tuple[Cell, ...]) -> str:
        return "| " + " | ".join(md_escape(c.text) for c in cells) + " |"

    return [row(table.header), "|" + "|".join(rule.get(c.align, "---") for c in table.header) + "|",
            *(row(cells) for cells in table.rows)]


def _photo_markdown(photo: Figure, src: str, caption: str) -> str:
    """A photo as Markdown reads it back (content._figure): ``![caption](<src>){credit="…"}``."""
    quoted = re.sub(r'([\\"{}])', r"\\\1", photo.credit)
    attrs = ([f'credit="{quoted}"'] if photo.credit else []) + ([".bleed"] if photo.bleed else [])
    braces = "{" + " ".join(attrs) + "}" if attrs else ""
    return f"![{md_escape(caption)}](<{_destination(src)}>){braces}"


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
    previous: Block | None = None
    alternate = False
    for block in article.blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + md_escape(block.text))
        elif isinstance(block, Figure):  # (a row's photos on one line: one figure, its caption the first's)
            lines.append(" ".join(_photo_markdown(photo, image_src.get(photo.src, photo.src),
                                                  block.caption if photo is block else "")
                                  for photo in block.photos))
        elif isinstance(block, Table):
            lines += _table_markdown(block)
        elif isinstance(block, List):
            # (a list right after one of its kind takes the other marker: Markdown would join them)
            other = isinstance(previous, List) and previous.ordered == block.ordered and not alternate
            alternate = other
            marker = (")" if other else ".") if block.ordered else ("*" if other else "-")
            lines += [(f"{block.start + n}{marker} " if block.ordered else f"{marker} ")
                      + md_escape(item.text) for n, item in enumerate(block.items)]
        else:
            lines.append(md_escape(block.text))
        lines.append("")
        alternate = alternate and isinstance(block, List)
        previous = block
    return "\n".join(lines)
