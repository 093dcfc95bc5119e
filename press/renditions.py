"""Scaled copies of a photo for the public pages, made with Pillow when the photo is saved.

The uploaded original stays untouched in the archive. What the public gets are renditions:
turned upright by their EXIF orientation and written without any metadata, so that camera
details and GPS positions never leave the office. That includes the full-size download.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

WIDTHS = (400, 800, 1600)
# (format in file names and <source type>, Pillow format, save options)
FORMATS = (
    ("webp", "WEBP", {"quality": 80, "method": 4}),
    ("jpeg", "JPEG", {"quality": 85, "optimize": True, "progressive": True}),
)
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


def rendition_widths(original_width: int) -> list[int]:
    """The standard widths below the original's, and the original's own up to the largest:
    a small image is never blown up."""
    widths = [width for width in WIDTHS if width < original_width]
    widths.append(min(original_width, WIDTHS[-1]))
    return sorted(set(widths))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency becomes white, as on the page."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, pillow_format: str, options: dict) -> bytes:
    buffer = BytesIO()
    # No exif=, no icc_profile with camera data: Pillow writes only what it is given.
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def make_renditions(photo) -> list[dict]:
    """Write the renditions of `photo.image` to its storage and return their descriptions,
    smallest first, one entry per width and format, plus one `download` entry."""
    storage = photo.image.storage
    stem = PurePosixPath(photo.image.name).stem
    folder = f"renditions/{stem[:2]}"
    entries: list[dict] = []
    with photo.image.open("rb") as handle, Image.open(handle) as source:
        source_format = source.format
        upright = ImageOps.exif_transpose(source)
        upright.load()
    for width in rendition_widths(upright.width):
        height = max(1, round(upright.height * width / upright.width))
        scaled = upright.resize((width, height), Image.Resampling.LANCZOS)
        for name, pillow_format, options in FORMATS:
            image = scaled if pillow_format == "WEBP" else _flatten(scaled)
            if pillow_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            path = storage.save(
                f"{folder}/{stem}-{width}.{name}",
                ContentFile(_encode(image, pillow_format, options)),
            )
            entries.append({"width": width, "height": height, "format": name, "name": path})
    # The download: original resolution, upright, without metadata; PNG stays lossless.
    if source_format == "PNG":
        download_format, data = "png", _encode(upright, "PNG", {"optimize": True})
    else:
        download_format = "jpeg"
        data = _encode(_flatten(upright), "JPEG", {"quality": 92})
    path = storage.save(
        f"{folder}/{stem}-original.{'png' if download_format == 'png' else 'jpg'}",
        ContentFile(data),
    )
    entries.append(
        {
            "width": upright.width,
            "height": upright.height,
            "format": download_format,
            "name": path,
            "download": True,
        }
    )
    return entries


def delete_renditions(photo, entries: list[dict] | None = None) -> None:
    storage = photo.image.storage
    for entry in photo.renditions if entries is None else entries:
        storage.delete(entry["name"])


def delete_photo_files(sender, instance, **kwargs) -> None:
    """post_delete receiver: a deleted photo leaves no files behind, even in bulk deletes;
    only once the deletion is committed, so that a rollback keeps the files too."""
    entries, image = list(instance.renditions), instance.image

    def delete_files():
        delete_renditions(instance, entries)
        if image:
            image.storage.delete(image.name)

    transaction.on_commit(delete_files)
