"""Draw static/img/og-default.png, the picture a link to the site shows when shared (Open
Graph's 1200x630), from the logo's two rings and the site's name in its colours.

Run again after changing the name or the colours: python manage.py make_share_image
"""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BRAND = "#5b2a86"  # --brand in static/css/site.css
RING_LEFT, RING_RIGHT = "#ffffff", "#ffd27a"  # the logo's rings (static/img/logo.svg)
LEFT = 96
# Debian's fonts (fonts-dejavu-core, fonts-liberation) draw å, ä and ö; Pillow's own cannot.
FONTS = {
    "bold": ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
    "regular": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]


def _candidates(weight: str) -> Iterator[Path]:
    for directory in FONT_DIRS:
        for name in FONTS[weight]:
            yield directory / name


def font(weight: str, text: str, size: int) -> ImageFont.FreeTypeFont:
    """The first installed font of the weight, as large as `size` but narrow enough to fit."""
    path = next((path for path in _candidates(weight) if path.exists()), None)
    if path is None:
        raise FileNotFoundError("No font with å, ä and ö found: install fonts-dejavu-core.")
    while size > 12:
        face = ImageFont.truetype(str(path), size)
        if face.getlength(text) <= WIDTH - 2 * LEFT:
            return face
        size -= 2
    return face


def draw(path: Path) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    pen = ImageDraw.Draw(image)
    # The logo: two overlapping rings, scaled from its 32-pixel grid (r 9, centres 11 and 21).
    scale, top = 9, 90
    for centre_x, colour in ((11, RING_LEFT), (21, RING_RIGHT)):
        x, y, radius = 80 + centre_x * scale, top + 16 * scale, 9 * scale
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), outline=colour, width=27)
    pen.text(
        (LEFT, 370), settings.SITE_NAME, font=font("bold", settings.SITE_NAME, 88), fill="#fff"
    )
    tagline = f"Förslag och initiativ för livskvalitet i {settings.CITY_NAME}"
    pen.text((LEFT, 500), tagline, font=font("regular", tagline, 40), fill=RING_RIGHT)
    image.save(path, format="PNG", optimize=True)


class Command(BaseCommand):
    help = "Draw the picture shown when a link to the site is shared (static/img/og-default.png)."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "static" / "img" / "og-default.png"
        draw(path)
        self.stdout.write(f"Wrote {path}")
