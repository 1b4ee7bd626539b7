"""Front-matter strings → text fit for the page, the PDF's Info dictionary and its XMP (no controls)."""

from __future__ import annotations

import dataclasses
import re

from pressroom.model import Article
from pressroom.report import warn

#: Line and page breaks, tabs, NEL and the line and paragraph separators: each run becomes one
#: space (a section's U+2028 broke its label on the page in two and reached the bookmarks).
_BREAKS = re.compile(" *[\t\n\v\f\r\x85\u2028\u2029]+ *")
#: What no metadata string may hold: the other C0 and C1 controls and DEL, the bidi embeddings
#: and overrides (U+202A–U+202E: an RLO reversed a bookmark's text; the marks and isolates stay),
#: lone surrogates, U+FFFE/U+FFFF (not XML characters) and the other noncharacters.
_UNFIT = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                              for plane in range(1, 17)) + "]")

#: The Article fields that are metadata: shown on the page and written to Info and XMP.
FIELDS = ("title", "deck", "byline", "lang", "section", "publication", "source")


def clean(text: str) -> str:
    """``text`` without control characters: breaks and tabs become a space, the rest go."""
    return _UNFIT.sub("", _BREAKS.sub(" ", text)).strip()


def is_clean(text: str) -> bool:
    """True when ``clean`` would leave ``text`` as it is."""
    return clean(text) == text


def clean_article(article: Article) -> Article:
    """The article with its front-matter strings cleaned; a warning names each one changed."""
    changes: dict[str, object] = {}
    for name in FIELDS:
        value = getattr(article, name)
        if value and not is_clean(value):
            changes[name] = clean(value)
    if any(not is_clean(k) for k in article.keywords):
        changes["keywords"] = tuple(k for k in map(clean, article.keywords) if k)
    if not changes:
        return article
    warn(f"control characters left out of {', '.join(changes)}", article.path)
    return dataclasses.replace(article, **changes)


def clean_document_metadata(metadata) -> None:
    """Clean the strings WeasyPrint writes to the Info dictionary and its XMP (a last gate:
    they come from the cleaned article through the layout's HTML head)."""
    for name in ("title", "description", "generator", "lang"):
        value = getattr(metadata, name, None)
        if isinstance(value, str):
            setattr(metadata, name, clean(value))
    metadata.authors = [clean(a) for a in metadata.authors if clean(a)]
    metadata.keywords = [clean(k) for k in metadata.keywords if clean(k)]
    metadata.custom = {k: clean(v) if isinstance(v, str) else v for k, v in metadata.custom.items()}


def xml_safe(packet: str) -> str:
    """An XMP packet without the characters XML 1.0 forbids (tab and line breaks stay)."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", packet)
