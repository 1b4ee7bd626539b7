"""Fuzzing: every input to the importer and the front-matter loader gives an article or our error."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.errors import ContentError
from pressroom.model import Article
from pressroom.sources import content, importer

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
TEXT = st.text(st.one_of(st.characters(), ARABIC, st.sampled_from("\n-:[]()!#*{}\"'/.، ")),
               max_size=400)
LINES = st.lists(st.one_of(
    TEXT,
    st.sampled_from(["---", "...", "![](x.jpg)", "![alt](https://e.org/a.jpg)", "تصوير: أ",
                     "التعليقات مغلقة.", "Tags: a, b", "title: x", "title: [", "date: 2019-13-45",
                     "title: {a: b}", "- list", "## عنوان", "\ufeff", "\r", "colour: red",
                     "? [a, b]\n: c", "!!python/object:os.system x", "1: 2", "<script>x</script>",
                     "date: 2019-02-30", "&amp;",
                     "![](images/" + "a" * 300 + ".jpg)"]),
), max_size=25).map("\n".join)

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _quiet():
    """Warnings (unknown keys, odd lines) are expected here; only exceptions matter."""
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


@FUZZ
@given(LINES)
def test_importer_never_raises_anything_else(text):
    try:
        article, decisions = importer.parse(text, Path("fuzz.txt"))
    except ContentError as error:
        assert str(error).startswith("fuzz.txt")
    else:
        assert isinstance(article, Article) and article.title
        assert all(d.line >= 1 for d in decisions)


@FUZZ
@given(st.one_of(LINES, st.binary(max_size=300).map(lambda b: b.decode("latin-1"))),
       st.booleans())
def test_markdown_loader_never_raises_anything_else(text, as_bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        if as_bytes:
            path.write_bytes(text.encode("latin-1", "replace"))
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            article = content.load(path)
        except ContentError as error:
            assert error.path == path
        else:
            assert article.title


SCRAPED_LINE = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@FUZZ
@given(st.lists(st.one_of(SCRAPED_LINE, st.sampled_from([
    "![](https://e.org/a.jpg)", "![شرح.](x y.jpg)", "تصوير: فلان", "## لا", "---", "&amp; <b>",
    'قال "نعم" \\ لا', "1. واحد", "{credit=x}"])), min_size=1, max_size=8))
def test_markdown_written_by_import_reads_back_the_same(lines):
    """Whatever a scraped article holds, the .md that import writes gives the same article."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            scraped, _ = importer.parse("\n".join(lines), Path(tmp) / "a.txt")
        except ContentError:
            return
        md = Path(tmp) / "a.md"
        md.write_text(importer.to_markdown(scraped), encoding="utf-8")
        again = content.load(md)
        fields = ("title", "deck", "byline", "lang")
        assert [getattr(again, f) for f in fields] == [getattr(scraped, f) for f in fields]
        assert [dataclasses.replace(b, line=None, **({"html": ""} if hasattr(b, "html") else {}))
                for b in again.blocks] == [
            dataclasses.replace(b, line=None, **({"html": ""} if hasattr(b, "html") else {}))
            for b in scraped.blocks]
