"""Abstract hero pictures for the demo stories, drawn with Pillow at load time
(no image files are shipped or borrowed). Deterministic: the same story always
gets the same picture."""

import io
import math
import random

from PIL import Image, ImageDraw

HERO_SIZE = (1600, 900)


def abstract_hero(palette, motif, *, seed, size=HERO_SIZE):
    """A JPEG (bytes): a vertical gradient from palette[0] to palette[1], with
    a motif ("barrier", "circles", "waves" or "stripes") in palette[2]."""
    top, bottom, accent = palette
    picture = _gradient(top, bottom, size)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # Not for security: a fixed seed so that a story's picture never changes.
    rng = random.Random(seed)  # noqa: S311
    MOTIFS[motif](draw, size, accent, rng)
    picture = Image.alpha_composite(picture, overlay).convert("RGB")
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=85, progressive=True, optimize=True)
    return output.getvalue()


def _gradient(top, bottom, size):
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(
        Image.new("RGBA", size, (*bottom, 255)), Image.new("RGBA", size, (*top, 255)), mask
    )


def _with_alpha(colour, alpha):
    return (*colour, alpha)


def _barrier(draw, size, accent, rng):
    width, height = size
    horizon = int(height * 0.55)
    for band in range(7):
        y = horizon + band * 38 + rng.randint(-6, 6)
        draw.rectangle((0, y, width, y + 10), fill=_with_alpha(accent, 40 + band * 8))
    gap = width // 14
    for column in range(1, 14):
        x = column * gap
        top = horizon - rng.randint(140, 220)
        draw.rectangle((x - 9, top, x + 9, height - 120), fill=_with_alpha(accent, 150))


def _circles(draw, size, accent, rng):
    width, height = size
    for _ in range(14):
        radius = rng.randint(80, 320)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=_with_alpha(accent, rng.randint(25, 70)),
        )


def _waves(draw, size, accent, rng):
    width, height = size
    for layer in range(6):
        base = height * (0.35 + layer * 0.11)
        amplitude = rng.randint(20, 60)
        phase = rng.random() * math.tau
        points = [
            (x, base + amplitude * math.sin(phase + x / width * math.tau * 1.5))
            for x in range(0, width + 40, 40)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=_with_alpha(accent, 28))
        draw.line(points, fill=_with_alpha(accent, 120), width=4)


def _stripes(draw, size, accent, rng):
    width, height = size
    stripe = rng.randint(90, 140)
    for offset in range(-height, width, stripe * 2):
        draw.polygon(
            [
                (offset, height),
                (offset + stripe, height),
                (offset + stripe + height, 0),
                (offset + height, 0),
            ],
            fill=_with_alpha(accent, 45),
        )


MOTIFS = {"barrier": _barrier, "circles": _circles, "waves": _waves, "stripes": _stripes}
