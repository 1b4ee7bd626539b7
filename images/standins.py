"""Seed photo names → stand-in JPEG photos at print resolution (python -m pressroom.standins)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: The seed's photos (file name → a palette suggesting its scene); originals at the seed's URLs.
SEED_PHOTOS = {
    "180816-Z-BT406-0647_edit.jpg": ((196, 214, 226), (214, 190, 150), (96, 104, 72)),
    "180817-Z-ID851-1004-edit.jpg": ((224, 206, 178), (190, 160, 118), (74, 84, 60)),
}
#: The demo issue's photos (content/issues/demo.yaml): the same drawing in other light.
DEMO_PHOTOS = {
    "demo-solar-rows.jpg": ((170, 196, 226), (222, 196, 150), (60, 72, 96)),
    "demo-solar-substation.jpg": ((150, 170, 196), (200, 186, 160), (70, 76, 84)),
    "demo-library-box.jpg": ((232, 214, 186), (176, 140, 104), (120, 60, 48)),
    "demo-library-children.jpg": ((214, 226, 232), (190, 176, 150), (40, 96, 120)),
    "demo-newsroom-desk.jpg": ((120, 128, 150), (90, 96, 110), (36, 40, 52)),
    "demo-railway-station.jpg": ((244, 206, 160), (200, 160, 110), (88, 60, 44)),
    "demo-railway-crossing.jpg": ((206, 222, 236), (170, 180, 120), (76, 96, 58)),
}
#: The demo issue's cover: portrait, just over 300 ppi across an A4 page and its 3 mm bleed.
COVER_PHOTOS = {"demo-cover.jpg": ((236, 176, 120), (204, 150, 96), (70, 52, 46))}
COVER_SIZE = (2600, 3650)
#: 2700 px across is 317 ppi at the widest the magazine layout places a photo: the lead photo
#: run into the print bleed, 216 mm.
SIZE = (2700, 1800)


def _lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_standin(name: str, palette: tuple[tuple[int, int, int], ...], size=SIZE) -> Image.Image:
    """A calm landscape (sky, dunes, figures) with a label saying it is a stand-in."""
    sky, sand, olive = palette
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.55)
    for y in range(height):
        if y < horizon:
            colour = _lerp((250, 250, 246), sky, 1 - y / horizon)
        else:
            colour = _lerp(sand, _lerp(sand, (120, 96, 70), 0.5), (y - horizon) / (height - horizon))
        draw.line([(0, y), (width, y)], fill=colour)
    seed = sum(map(ord, name))
    for layer in range(3):
        phase = seed % 7 + layer * 1.7
        base = horizon + layer * height * 0.09
        points = [(x, base + math.sin(x / width * math.pi * (2 + layer) + phase) * height * 0.04)
                  for x in range(0, width + 40, 40)]
        shade = _lerp(sand, (110, 88, 62), 0.25 + layer * 0.2)
        draw.polygon([*points, (width, height), (0, height)], fill=shade)
    for i in range(7):  # a row of figures in olive uniforms
        x = width * (0.18 + i * 0.1) + (seed * (i + 3)) % 60
        y = horizon + height * 0.18
        scale = 1 + (i % 3) * 0.08
        draw.ellipse([x - 28 * scale, y - 250 * scale, x + 28 * scale, y - 194 * scale],
                     fill=(92, 70, 54))
        draw.rounded_rectangle([x - 55 * scale, y - 196 * scale, x + 55 * scale, y + 60 * scale],
                               radius=30, fill=olive)
    image = image.filter(ImageFilter.GaussianBlur(2))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    label = f"STAND-IN PHOTO  ·  {name}  ·  original at the URL in images/README.md"
    band = int(height * 0.70)  # inside what a wide crop (object-fit: cover) keeps
    draw.rectangle([0, band, width, band + 90], fill=(30, 30, 30))
    draw.text((60, band + 20), label, fill=(240, 240, 240), font=font)
    return image


def main(argv: list[str] | None = None) -> int:
    """Write the seed's and the demo issue's stand-in photos into images/ (or the folder given)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=Path("images"))
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    photos = [(n, p, SIZE) for n, p in {**SEED_PHOTOS, **DEMO_PHOTOS}.items()]
    photos += [(n, p, COVER_SIZE) for n, p in COVER_PHOTOS.items()]
    for name, palette, size in photos:
        path = args.folder / name
        draw_standin(name, palette, size).save(path, "JPEG", quality=88, dpi=(300, 300),
                                                optimize=True)
        print(f"{path}: {size[0]}×{size[1]} px")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
