"""Placeholder pictures for the demo photos, drawn with Pillow: no real person, no real event."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def label_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at `size` px (fonts-dejavu-core, scripts/install-system-packages), which has
    the umlauts of the labels ("Beratungsbüro"); Pillow's own default font has none and draws
    an empty box for "ü". That default only where DejaVu is missing."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def portrait_picture(initials: str, size=(1200, 1600)) -> bytes:
    """A neutral head-and-shoulders silhouette with initials: a stand-in for a real portrait."""
    width, height = size
    image = Image.new("RGB", size, (226, 230, 234))
    draw = ImageDraw.Draw(image)
    silhouette = (150, 160, 172)
    draw.ellipse((width * 0.12, height * 0.62, width * 0.88, height * 1.25), fill=silhouette)
    head = (width * 0.29, height * 0.2, width * 0.71, height * 0.6)
    draw.ellipse(head, fill=silhouette)
    font = label_font(int(width * 0.16))
    centre = ((head[0] + head[2]) / 2, (head[1] + head[3]) / 2)
    draw.text(centre, initials, font=font, fill=(255, 255, 255), anchor="mm")
    return jpeg(image)


def scene_picture(label: str, size=(1600, 1000)) -> bytes:
    """A row of simple gabled shapes under a caption line: a stand-in for an event photo."""
    width, height = size
    image = Image.new("RGB", size, (214, 230, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.78, width, height), fill=(160, 170, 150))
    colours = [(46, 94, 140), (84, 140, 96), (196, 120, 70), (120, 96, 150), (60, 130, 150)]
    stand_width = width / len(colours)
    for number, colour in enumerate(colours):
        left, right = number * stand_width + 30, (number + 1) * stand_width - 30
        top = height * (0.45 + 0.04 * (number % 2))
        draw.rectangle((left, top, right, height * 0.8), fill=colour)
        draw.polygon([(left - 15, top), ((left + right) / 2, top - 110), (right + 15, top)], colour)
    font = label_font(int(height * 0.09))
    draw.text((width / 2, height * 0.16), label, font=font, fill=(30, 40, 50), anchor="mm")
    return jpeg(image)


PICTURES = {"portrait": portrait_picture, "scene": scene_picture}


def picture(kind: str, label: str) -> bytes:
    """The JPEG for a photo of `kind` ("portrait" or "scene") showing `label`."""
    return PICTURES[kind](label)
