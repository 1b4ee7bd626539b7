"""Two builds in two threads of one process → the same PDFs and the same warnings as one after
the other (no process-wide state: fonts, glyph texts, logging)."""

from __future__ import annotations

import os
import threading

from pressroom import build


def test_two_threads_build_what_two_sequential_builds_do(write_article, workspace, tmp_path,
                                                         expect_warnings):
    expect_warnings(r"article-a\.md: .*\.notdef glyph rendered .*U\+2603",
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
