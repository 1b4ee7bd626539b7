"""Two builds in two threads of one process → the same PDFs and the same warnings as one after
the other (no process-wide state: fonts, glyph texts, logging)."""

from __future__ import annotations

import logging
import os
import threading

from pressroom import build
from pressroom.errors import ContentError
from pressroom.layout import weasy
from pressroom.limits import Limits


def test_two_threads_build_what_two_sequential_builds_do(write_article, workspace, tmp_path,
                                                         expect_warnings):
    expect_warnings(r"article-a\.md:\d+: U\+2603 '☃' .* is in no font of fonts/",
                    r"article-a\.md: no date:", r"article-b\.md:\d+: unknown front-matter key")
    first = write_article("أرسلت كازاخستان ☃ قوات للمشاركة في عملية حفظ السلام عام 2003.\n\n"
                          "## عنوان فرعي\n\nوعادت محملة بالخبرة.", name="article-a.md")
    second = write_article("English words, a number 42 and **bold** text.\n\nA second paragraph.",
                           name="article-b.md", title="A second article", lang="en",
                           date="2024-05-01", colour="blue")
    environment = dict(os.environ)

    def run(source, out, results):
        results[source] = build.build(source, out, project=workspace, variant="archive")

    sequential: dict = {}
    for source in (first, second):
        run(source, tmp_path / f"seq-{source.stem}.pdf", sequential)
    threaded: dict = {}
    start = threading.Barrier(2)

    def in_thread(source):
        start.wait()
        run(source, tmp_path / f"thread-{source.stem}.pdf", threaded)

    threads = [threading.Thread(target=in_thread, args=(source,)) for source in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(threaded) == {first, second}, "a build failed in its thread"
    for source in (first, second):
        assert threaded[source].output.read_bytes() == sequential[source].output.read_bytes()
        assert threaded[source].warnings == sequential[source].warnings
        assert all(source.name in message for message in threaded[source].warnings)
    assert len(threaded[first].warnings) == 2 and len(threaded[second].warnings) == 1
    assert dict(os.environ) == environment


def test_a_page_limit_holds_in_its_own_thread_only(write_article, workspace, tmp_path):
    paragraph = "أرسلت كازاخستان قوات للمشاركة في عمليات حفظ السلام وعادت محملة بالخبرة. " * 12
    source = write_article("\n\n".join([paragraph] * 14), name="long.md")
    progress = logging.getLogger(weasy.PROGRESS_LOGGER_NAME)
    level = progress.level
    results: dict = {}
    start = threading.Barrier(2)

    def run(name, limits):
        start.wait()
        try:
            results[name] = build.build(source, tmp_path / f"{name}.pdf", project=workspace,
                                        variant="screen", limits=limits)
        except ContentError as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=("limited", Limits(pages=1))),
               threading.Thread(target=run, args=("free", Limits()))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(results["limited"], ContentError)
    assert "lays out to more than 1 pages" in str(results["limited"])
    assert not (tmp_path / "limited.pdf").exists()
    assert results["free"].pages >= 3
    assert progress.level == level
