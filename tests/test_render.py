"""Article + layout → HTML: opener, figures with caption and credit, placeholders, escaping."""

from __future__ import annotations

import html.parser

import pytest

from pressroom.errors import LayoutError
from pressroom.layout import images, render
from pressroom.layout.bidi import ARABIC_LETTER_MARK
from pressroom.sources import content

from .conftest import SEED_MD


class _Tree(html.parser.HTMLParser):
    """A flat list of (tag, attributes, text inside) good enough to find elements by class."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list] = []
        self.elements: list[list] = []

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in ("img", "meta", "link"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        data = data.replace(ARABIC_LETTER_MARK, "")  # the invisible mark before number runs
        data = data.replace("\u2060", "").replace("\u200b", "")  # invisible joins and breaks
        for element in self.open:
            element[2] += data

    def find(self, cls=None, tag=None):
        return [e for e in self.elements
                if (cls is None or cls in e[1].get("class", "").split()) and (tag is None or e[0] == tag)]


def _render(path, project):
    article = content.load(path)
    resolved = images.resolve(article, project)
    tree = _Tree()
    tree.feed(render.render(article, resolved, project.layouts / "magazine"))
    return article, tree


def test_seed_html(project, expect_warnings):
    expect_warnings("has no credit")
    article, tree = _render(SEED_MD, project)
    (root,) = tree.find(tag="html")
    assert root[1] == {"lang": "ar", "dir": "rtl"}
    assert tree.find("title")[0][2] == article.title
    assert tree.find("deck")[0][2] == article.deck
    assert tree.find("byline")[0][2] == article.byline
    assert tree.find("kicker")[0][2] == "حفظ السلام"
    lead, body_figure = tree.find(tag="figure")
    assert "lead" in lead[1]["class"]
    assert body_figure[1]["data-src"].endswith("180817-Z-ID851-1004-edit.jpg")
    assert "رقيب براين كالهون/الحرس الوطني الأمريكي" in body_figure[2]
    (credit,) = tree.find("credit")
    assert credit[2] == "رقيب براين كالهون/الحرس الوطني الأمريكي"
    assert [e[2] for e in tree.find(tag="h2")] == ["بروز الكازاخيين كحفظة سلام"]
    (end,) = tree.find("end")
    assert end[2].startswith("وساعد 27 مهندساً")
    numbers = [e[2] for e in tree.find("ltr")]
    assert numbers[:3] == ["2003", "2018", "29"], "every number run has its own span"


def test_figure_fields_and_placeholder(write_article, workspace, expect_warnings):
    expect_warnings(r"article\.md:\d+: image images/absent\.jpg not found: placeholder drawn")
    path = write_article(
        "نص.\n\n"
        '![الشرح الأول](images/180816-Z-BT406-0647_edit.jpg){credit="تصوير: ١"}\n\n'
        "نص آخر.\n\n"
        '![الشرح الثاني](images/absent.jpg){credit="تصوير: ٢"}\n'
    )
    _, tree = _render(path, workspace)
    assert len(tree.find(tag="figure")) == 2
    assert tree.find(tag="img")[0][1]["src"] == "pressroom://project/images/180816-Z-BT406-0647_edit.jpg"
    assert "الشرح الأول" in tree.find(tag="figcaption")[0][2]
    (placeholder,) = tree.find("placeholder")
    assert "الصورة غير متوفرة" in placeholder[2]
    assert "الشرح الثاني" in placeholder[2] and "تصوير: ٢" in placeholder[2]
    assert "images/absent.jpg" in placeholder[2]


def test_text_is_escaped(write_article, workspace):
    path = write_article("نص.", title='"<b>عنوان</b>"', deck="'<script>x</script>'")
    article = content.load(path)
    out = render.render(article, {}, workspace.layouts / "magazine")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<b>عنوان" not in out


def test_unknown_layout_lists_available(project):
    with pytest.raises(LayoutError, match=r"unknown layout 'glossy' \(available: magazine, pocket\)"):
        render.layout_folder(project.layouts, "glossy")
    with pytest.raises(LayoutError):
        render.layout_folder(project.layouts, "../layouts/magazine")
