"""Image references → files in the project, measured; placeholders and warnings otherwise."""

from __future__ import annotations

import pytest
from PIL import Image

from pressroom.errors import ImageError
from pressroom.layout import images, weasy
from pressroom.limits import Limits
from pressroom.sources import content

SEED_PHOTO = "180816-Z-BT406-0647_edit.jpg"


def _resolve(path, project):
    article = content.load(path)
    return article, images.resolve(article, project)


def test_local_image_measured(write_article, workspace):
    article, found = _resolve(write_article(f'![](images/{SEED_PHOTO}){{credit="x"}}'), workspace)
    image = found[article.figures[0]]
    assert image.path == (workspace.images / SEED_PHOTO).resolve()
    assert (image.width, image.height, image.mode) == (2700, 1800, "RGB")


def test_remote_url_uses_local_copy_by_name(write_article, workspace):
    url = f"https://unipath-magazine.com/wp-content/uploads/2019/10/{SEED_PHOTO}"
    article, found = _resolve(write_article(f'![]({url}){{credit="x"}}'), workspace)
    assert found[article.figures[0]].path.name == SEED_PHOTO


@pytest.mark.parametrize(
    ("src", "warning"),
    [
        ("https://example.org/elsewhere.jpg", r"is remote and there is no local copy"),
        ("images/absent.jpg", r"not found"),
        ("/etc/hostname", r"outside the project"),
        ("../../../../../../etc/hostname", r"outside the project"),
        ("ftp://example.org/x.jpg", r"only files in the project"),
        ("images/" + "ا" * 200 + ".jpg", r"not found"),  # a name too long for the file system
        ("https://example.org/" + "a" * 300 + ".jpg", r"is remote and there is no local copy"),
    ],
)
def test_placeholder_cases(write_article, workspace, expect_warnings, src, warning):
    expect_warnings(r"article\.md:5: image .*" + warning)
    article, found = _resolve(write_article(f'![]({src}){{credit="x"}}'), workspace)
    assert found[article.figures[0]].path is None


def test_missing_credit_warns(write_article, workspace, expect_warnings):
    expect_warnings(rf"article\.md:5: photo images/{SEED_PHOTO} has no credit")
    _resolve(write_article(f"![](images/{SEED_PHOTO})"), workspace)


def test_corrupt_image_is_a_placeholder(write_article, workspace, expect_warnings):
    (workspace.images / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    expect_warnings(r"article\.md:5: image images/broken\.jpg cannot be decoded .*placeholder")
    article, found = _resolve(write_article('![](images/broken.jpg){credit="x"}'), workspace)
    assert found[article.figures[0]].path is None


def test_an_image_over_the_pixel_limit_is_an_error(write_article, workspace):
    Image.new("L", (40, 30)).save(workspace.images / "wide.png")
    article = content.load(write_article('![](images/wide.png){credit="x"}'))
    with pytest.raises(ImageError, match=r"40×30 pixels, over the limit of 0\.001 megapixels"):
        images.resolve(article, workspace, Limits(image_pixels=1000))


def test_standins_are_print_resolution(seed_document, project):
    """Each seed photo has at least 300 ppi at the width the layout gives it."""
    placed = {url.rsplit("/", 1)[-1]: width * 96  # CSS px
              for url, width, _ in weasy.placed_images(seed_document)}
    assert set(placed) == {"180816-Z-BT406-0647_edit.jpg", "180817-Z-ID851-1004-edit.jpg"}
    for name, width_px in placed.items():
        with Image.open(project.images / name) as image:
            ppi = image.width / (width_px / 96)
        assert ppi >= 300, f"{name}: {ppi:.0f} ppi at {width_px / 96 * 25.4:.0f} mm"
