"""A body photo taller, at its width, than a page can hold with its caption (a portrait photo
across the columns) is cropped to the layout's --figure-max-height around its centre, with a
warning naming its file:line (--strict fails), instead of being split across two pages by
WeasyPrint (held-out elements seed 24, pocket: its wide portrait photo ran over a whole page and
its caption onto the next)."""

from __future__ import annotations

import pytest

from pressroom import build
from pressroom.cli import main
from pressroom.layout import weasy
from pressroom.model import Figure
from pressroom.report import listen

from .boxes import find
from .conftest import ROOT
from .corpus import elements

#: The held-out generated article whose wide photo (images/demo-cover.jpg, 2600 × 3650) is taller
#: than either layout's type area at the width of the text.
SEED = 24
TALL = "images/demo-cover.jpg"


def _article(tmp_path):
    generated = elements.article(SEED)
    (tmp_path / "images").symlink_to(ROOT / "images")
    source = tmp_path / generated.name
    source.write_text(generated.text, encoding="utf-8")
    return source


@pytest.mark.parametrize("layout", ["magazine", "pocket"])
def test_no_figure_is_taller_than_the_page_or_split(project, tmp_path, layout):
    source = _article(tmp_path)
    tall = next(b for b in build.load(source).blocks if isinstance(b, Figure) and b.src == TALL)
    said: list[str] = []
    with listen(lambda record: said.append(record.getMessage())
                if record.name.startswith("pressroom") else None):
        document = build.typeset_article(build.context(source, project, layout=layout),
                                         build.load(source))
    pages: dict[str, list[int]] = {}
    for n, page in enumerate(document.pages):
        box = weasy.page_box(page)
        for figure in find(page, "figure"):
            assert figure.margin_height() <= box.height + 0.5, (layout, n, figure.element.get("data-src"))
            pages.setdefault(figure.element.get("data-src"), []).append(n)
    assert all(len(on) == 1 for on in pages.values()), (layout, pages)  # never split
    assert pages[TALL], layout
    warned = [line for line in said if f"photo {TALL} is taller than a page allows" in line]
    assert len(warned) == 1 and f"{source.name}:{tall.line}:" in warned[0], said


def test_a_tall_photo_is_a_warning_and_strict_fails(tmp_path, capsys, expect_warnings, monkeypatch):
    source = _article(tmp_path)
    monkeypatch.chdir(tmp_path)
    expect_warnings(rf"photo {TALL} is taller than a page allows: cropped to \d+ × \d+ mm")
    out = tmp_path / "out.pdf"
    assert main([source.name, "--layout", "pocket", "-o", str(out)]) == 0
    assert f"warning: {source.name}:" in capsys.readouterr().err
    strict = tmp_path / "strict.pdf"
    assert main([source.name, "--layout", "pocket", "-o", str(strict), "--strict"]) == 1
    assert "taller than a page allows" in capsys.readouterr().err
    assert not strict.exists()
