"""A link's URL → live link (http, https, mailto), #anchor in the article, or plain text."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from pressroom.layout.weasy import Document
from pressroom.report import warn

#: The only schemes that become link annotations; everything else (file paths, file:, smb:,
#: javascript:, data:, pressroom:…) would name something on the reader's or the builder's machine.
LIVE_SCHEMES = ("http", "https", "mailto")


def is_live(url: str) -> bool:
    """True when ``url`` may become a link annotation: http(s) with a host, or mailto."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            return bool(parts.hostname)
    except ValueError:  # "http://[::1" and the like
        return False
    return scheme == "mailto" and bool(parts.path)


def anchor_name(url: str) -> str | None:
    """The anchor an in-article link points to (``#name`` → ``name``), or None."""
    return unquote(url[1:]) if url.startswith("#") and len(url) > 1 else None


def shown(url: str, limit: int = 80) -> str:
    """A URL as messages quote it: on one line, and not endless."""
    flat = "".join(c if c.isprintable() else "?" for c in url)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def contain(document: Document, source: Path | None) -> None:
    """The last word on a laid-out document: only live links and in-document anchors stay, and
    no attachment but the ones the edition adds (whatever the layout or the HTML asked for).
    ``Page.links`` and ``metadata.attachments`` are WeasyPrint's documented API."""
    for page in document.pages:
        kept = []
        for link in page.links:
            kind, target = link[0], link[1]
            if kind == "internal" or (kind == "external" and is_live(target)):
                kept.append(link)
            else:
                warn(f"{kind} link to {shown(str(target))} removed: only http(s), mailto and "
                     "anchors in the article are links", source)
        page.links[:] = kept
    if document.metadata.attachments:
        warn("attachments asked for by the HTML were left out: only the archive edition "
             "attaches the article's own files", source)
        document.metadata.attachments.clear()
