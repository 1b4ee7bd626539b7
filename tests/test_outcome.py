"""What the kept layout could not do well is a warning naming file:line, and --strict an error
(outcome.py): a page after the opener's more than half empty, figures out of source order, a
thin last page, each by the measure the layout ranks its layouts by and the checks test."""

from __future__ import annotations

import re
import shutil

import pytest

from pressroom import build
from pressroom.cli import main
from pressroom.errors import where
from pressroom.layout import figures, outcome
from pressroom.model import Figure
from pressroom.report import listen

from .checks import figure_order, half_empty_pages, thin_last_page
from .conftest import FIXTURES, ROOT
from .corpus import elements
from .test_balance import KNOWN_THIN_PAGES

#: A fixture whose last page is known to be thin (test_balance.KNOWN_THIN_PAGES): 4 + 2 lines on
#: magazine page 2, no photo at all (so the warning names the file only).
THIN = ("court-appeal.md", "magazine")
#: A generated article known to leave a page more than half empty: elements-020 (a seed past the
#: corpus's, test_elements_corpus.SEEDS), pocket page 3, the layout finding no better.
HALF_EMPTY = (20, "pocket")


@pytest.fixture
def here(workspace, monkeypatch):
    """Run the command line from inside a throw-away project."""
    monkeypatch.chdir(workspace.root)
    return workspace


def _one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, err
    return errors[0]


def test_a_thin_last_page_is_a_warning_and_strict_fails(here, tmp_path, capsys, expect_warnings):
    assert THIN in KNOWN_THIN_PAGES  # (mended: take another from that table)
    source = here.content / THIN[0]
    shutil.copy(FIXTURES / THIN[0], source)
    page = KNOWN_THIN_PAGES[THIN][0]
    said = rf"the last page \({page}\) holds only \d+ lines of text \(the layout found no better\)"
    expect_warnings(said)
    out = tmp_path / "thin.pdf"
    assert main([str(source), "--layout", THIN[1], "-o", str(out)]) == 0
    assert re.search(rf"^warning: content/{THIN[0]}: {said}$", capsys.readouterr().err, re.M)
    assert out.exists()
    strict = tmp_path / "strict.pdf"
    assert main([str(source), "--layout", THIN[1], "-o", str(strict), "--strict"]) == 1
    error = _one_error(capsys.readouterr().err)
    assert "--strict" in error and "the last page" in error, error
    assert not strict.exists()


def test_a_half_empty_page_is_a_warning_and_strict_fails(here, tmp_path, capsys, expect_warnings):
    seed, layout = HALF_EMPTY
    generated = elements.article(seed)
    source = here.content / generated.name
    source.write_text(generated.text, encoding="utf-8")
    expect_warnings(r"is \d+% empty and is not the article's last page")
    out = tmp_path / "half.pdf"
    assert main([str(source), "--layout", layout, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    warned = [int(n) for n in re.findall(
        rf"^warning: content/{generated.name}(?::\d+)?: page (\d+) is \d+% empty", err, re.M)]
    with listen(lambda record: False):
        document = build.typeset_article(build.context(source, here, layout=layout),
                                         build.load(source))
    assert warned and warned == half_empty_pages(document), err  # one measure: the check's
    strict = tmp_path / "strict.pdf"
    assert main([str(source), "--layout", layout, "-o", str(strict), "--strict"]) == 1
    assert "--strict" in _one_error(capsys.readouterr().err)
    assert not strict.exists()


def test_figures_out_of_order_are_named_by_their_lines(project, tmp_path, expect_warnings):
    """Not blind: a photo essay (written for this test) laid out with its second photo moved by
    hand before its first: the warning names the photo set too early by its line, and the one it
    overtook; the check sees the same order."""
    (tmp_path / "images").symlink_to(ROOT / "images")
    source = tmp_path / "market-lanes.md"
    source.write_text("\n".join([
        "---", "title: أزقة السوق القديم", "lang: ar", "---", "",
        '![مدخل السوق](images/demo-cover.jpg){credit="تصوير: هالة"}', "",
        "يبدأ السوق القديم عند البوابة الحجرية، وتتفرع منه أزقة ضيقة لا تتسع إلا لعربة واحدة. "
        * 3, "",
        '![زقاق العطارين](images/demo-library-box.jpg){credit="تصوير: هالة"}', "",
        "في زقاق العطارين تختلط روائح القرفة والهيل والزعتر، ويزن الباعة البهارات بموازين "
        "نحاسية ورثوها عن آبائهم. " * 4, "",
        '![سوق النحاسين](images/demo-newsroom-desk.jpg){credit="تصوير: هالة"}', "",
        "أما النحاسون فيطرقون الأواني منذ الصباح، ولا يتوقف صوت المطارق إلا عند الأذان. " * 4,
        ""]), encoding="utf-8")
    article = build.load(source)
    first, second = [b for b in article.blocks if isinstance(b, Figure)][1:]
    ctx = build.context(source, project)
    with listen(lambda record: False):
        html = figures.number_blocks(build.render_html(ctx, article, build.resolve_images(ctx, article)))
    placement = figures.Placement(html)
    _, blocks, _ = placement.blocks()
    a, b = placement.figures()
    swapped = html.replace(blocks[a], "\0").replace(blocks[b], blocks[a]).replace("\0", blocks[b])
    with listen(lambda record: False):
        document = build._pages(ctx, article, swapped)
    assert figure_order(document) == [b, a]
    expect_warnings(rf"market-lanes\.md:{second.line}: photo {second.src} is set before photo "
                    rf"{first.src} \(line {first.line}\), which comes earlier in the text")
    outcome.say(figures.read(document), article, source)


def test_out_of_order_names_each_figure_set_too_early():
    assert outcome.out_of_order([1, 6, 11, 3, 8, 13, 16]) == {6: 3, 11: 3}
    assert outcome.out_of_order([1, 3, 6, 11, 8, 13]) == {11: 8}
    assert outcome.out_of_order([1, 3, 6]) == {}


@pytest.mark.parametrize("name", [THIN[0], "oil-mill-photos.md"])
def test_a_thin_last_page_is_measured_as_the_check_measures_it(project, expect_warnings, name):
    """The warning's thin page is figures.thin, which the placement ranks by; the check
    (checks.thin_last_page) sees the same page. oil-mill-photos.md (a photo story written after
    this code): its last page follows the wide photo closing the page before, which the warning
    names by its line."""
    source = FIXTURES / name
    expect_warnings(r"the last page \(\d+\) holds only")
    said: list[str] = []
    with listen(lambda record: said.append(record.getMessage()) or True):
        document = build.typeset_article(build.context(source, project, layout="magazine"),
                                         build.load(source))
    pages = [int(n) for line in said for n in re.findall(r"the last page \((\d+)\)", line)]
    assert pages == thin_last_page(document) == KNOWN_THIN_PAGES[(name, "magazine")]
    assert figures.thin(figures.read(document))
    if name == THIN[0]:
        assert next(line for line in said if "the last page" in line).startswith(where(source))
        return
    article = build.load(source)
    (line,) = [line for line in said if "the last page" in line]
    file = re.escape(where(source).removesuffix(": "))
    named = re.match(rf"{file}:(\d+): .* after photo (\S+) closing page (\d+) ", line)
    assert named, line
    photo = [f for f in article.figures if f.line == int(named[1])]
    assert photo and photo[0].src == named[2] and int(named[3]) == pages[0] - 1, line


def test_a_last_page_of_a_photo_and_two_lines_is_thin_and_the_photo_pulled_back(project, expect_warnings):
    """village-railway.md (magazine) ended on a page of its column photo and the last two lines,
    the rest of the page empty, which no measure saw (a last page holding a figure was skipped).
    Laid out so again (the photo before the last paragraph's second line, its first closing page
    1), it is a widow page to the layout, a thin page to the check and a warning naming the
    photo; built, the photo closes page 1's second column (figures.pulled) and the last page
    holds the text displaced there."""
    source = ROOT / "content" / "village-railway.md"
    article = build.load(source)
    photo = [b for b in article.blocks if isinstance(b, Figure)][1]
    ctx = build.context(source, project)
    with listen(lambda record: False):
        html = figures.number_blocks(build.render_html(ctx, article, build.resolve_images(ctx, article)))
        natural = figures.read(build._pages(ctx, article, html))
    placement = figures.Placement(html)
    (number,) = placement.figures()
    last = max(int(b.attributes[figures.BLOCK]) for c in natural.columns for b in c.blocks if b.tag == "p")
    second = sorted(s.offset for s in figures.spots(natural.columns).values() if s.block == last)[1]
    placement.anchors[number] = (last, second, "top")
    with listen(lambda record: False):
        document = build._pages(ctx, article, placement.render())
    laid = figures.read(document)
    assert laid.pages == 2 and figures.last_figures(laid) == [number]
    assert figures.widow_page(laid) and figures.last_page_lines(laid) == 2
    assert thin_last_page(document) == [2]
    expect_warnings(rf"village-railway\.md:{photo.line}: the last page \(2\) holds only 2 lines of "
                    rf"text beside photo {re.escape(photo.src)} \(the layout found no better\)")
    outcome.say(laid, article, source)
    said: list[str] = []
    with listen(lambda record: said.append(record.getMessage())
                if record.name.startswith("pressroom") else None):
        document = build.typeset_article(ctx, build.load(source))
    laid = figures.read(document)
    assert not figures.thin(laid) and thin_last_page(document) == [], said
    assert not [line for line in said if "the last page" in line], said
    assert laid.pages == 2 and not figures.last_figures(laid)
    assert figures.last_page_lines(laid) >= 4 * figures.THIN_LINES
