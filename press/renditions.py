"""Scaled copies of a photo for the public pages, made with Pillow when the photo is saved.

The uploaded original stays untouched in the archive. What the public gets are renditions:
turned upright by their EXIF orientation and written without any metadata, so that camera
details and GPS positions never leave the office. That includes the full-size download.

Every rendition is 8-bit RGB, or RGBA where the photo has transparency, whatever colour mode
Pillow opened (16-bit grey, palette, CMYK, ...). Transparency is kept where the format can hold
it (WebP, PNG) and laid on white in JPEG, as on the page. No rendition is larger than its format
can encode (`MAX_SIDE`): a photo that passed the upload checks (`press.photos`) always gets its
renditions; when the storage fails, nothing of it is left behind (`PhotoNotStored`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageMath, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (400, 800, 1600)
# (format in file names and <source type>, Pillow format, save options)
FORMATS = (
    ("webp", "WEBP", {"quality": 80, "method": 4}),
    ("jpeg", "JPEG", {"quality": 85, "optimize": True, "progressive": True}),
)
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
# The longest side each output format can encode, in pixels: libwebp's WEBP_MAX_DIMENSION and
# libjpeg's JPEG_MAX_DIMENSION; PNG's 2^31 - 1 (PNG specification, 11.2.2) is far beyond the
# upload's pixel limit.
MAX_SIDE = {"WEBP": 16383, "JPEG": 65500, "PNG": 2**31 - 1}
# Modes that carry transparency of their own; the others may name a transparent colour in
# `image.info["transparency"]` (PNG's tRNS chunk).
ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}

STORAGE_FAILED = _(
    "Das Foto konnte nicht gespeichert werden: Der Speicher für Bilder ist voll oder nicht "
    "beschreibbar. Bitte später noch einmal versuchen oder die Administration verständigen."
)
PROCESSING_FAILED = _(
    "Das Foto konnte nicht gespeichert werden: Das Bild ließ sich nicht verarbeiten. Bitte die "
    "Originaldatei noch einmal als JPEG oder PNG exportieren und hochladen."
)


class PhotoNotStored(Exception):
    """A photo's file or its renditions could not be written: the storage is full or not
    writable (`STORAGE_FAILED`), or the image broke while it was decoded (`PROCESSING_FAILED`).
    `message` is the sentence for the form; nothing of the photo is left in the storage."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


_STRICT = threading.Lock()


@contextmanager
def strict_decoding() -> Iterator[None]:
    """Pillow refuses truncated files inside this block, whatever the process has set.

    WeasyPrint (the PDF export) sets Pillow's process-wide `ImageFile.LOAD_TRUNCATED_IMAGES`
    to True when it is imported, so that after the first PDF a file cut short would decode
    without an error, its missing part grey. The flag is a module global: one block at a time
    (the lock) sets it back for the block's duration."""
    with _STRICT:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def rendition_widths(original_width: int) -> list[int]:
    """The standard widths below the original's, and the original's own up to the largest:
    a small image is never blown up."""
    widths = [width for width in WIDTHS if width < original_width]
    widths.append(min(original_width, WIDTHS[-1]))
    return sorted(set(widths))


def fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """`size` (width, height in px) scaled down, proportions kept, so that neither side is
    longer than `longest`; unchanged when it fits. Each side is at least 1 px."""
    width, height = size
    scale = min(1.0, longest / width, longest / height)
    if scale == 1.0:
        return size
    return max(1, min(longest, round(width * scale))), max(1, min(longest, round(height * scale)))


def to_rgb(image: Image.Image) -> Image.Image:
    """`image` in 8-bit "RGB", or "RGBA" when it has transparency (an alpha channel, or a
    transparent colour named by PNG's tRNS chunk), from any mode Pillow opens.

    Pillow's own conversion clips 16-bit grey ("I;16", "I") at 255, so that a PNG value of
    20000 of 65535 would come out white: it is scaled to 8 bits here (20000 → 78)."""
    transparency = image.info.get("transparency")
    if image.mode.startswith("I;16") or image.mode == "I":
        wide = image.convert("I")
        grey = wide.point(lambda value: value / 257 + 0.5).convert("L")
        if isinstance(transparency, int):
            opaque = ImageMath.lambda_eval(
                lambda args: (args["grey"] != transparency) * 255, grey=wide
            )
            grey.putalpha(opaque.convert("L"))
            return grey.convert("RGBA")
        return grey.convert("RGB")
    if image.mode == "La":  # premultiplied grey: Pillow converts it only to "LA"
        image = image.convert("LA")
    if image.mode in ALPHA_MODES or transparency is not None:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema() == (255, 255):
            return image.convert("RGB")  # transparency that hides nothing
        return image
    return image if image.mode == "RGB" else image.convert("RGB")


def upright(source: Image.Image) -> Image.Image:
    """The picture of `source` (just opened) decoded in full, turned upright by its EXIF
    orientation and in "RGB" or "RGBA" (`to_rgb`). Raises Pillow's errors (OSError,
    ValueError, ...) for a file that does not decode; call it inside `strict_decoding()`."""
    return to_rgb(ImageOps.exif_transpose(source))


def on_white(image: Image.Image) -> Image.Image:
    """An "RGB" or "RGBA" image as "RGB" for JPEG: transparency laid on white, as on the
    page."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image: Image.Image, pillow_format: str, options: dict) -> bytes:
    buffer = BytesIO()
    # No exif=, no icc_profile with camera data: Pillow writes only what it is given.
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def _resized(image: Image.Image, size: tuple[int, int], cache: dict) -> Image.Image:
    if size == image.size:
        return image
    if size not in cache:
        # Pillow resizes "RGBA" premultiplied: transparent pixels lend no colour to the edge.
        cache[size] = image.resize(size, Image.Resampling.LANCZOS)
    return cache[size]


def _renditions(picture: Image.Image, source_format: str):
    """(file name suffix, data, entry) of each rendition of the upright "RGB"/"RGBA" image, in
    memory, one at a time."""
    cache: dict = {}
    made: set[tuple[str, tuple[int, int]]] = set()
    for width in rendition_widths(picture.width):
        height = max(1, round(picture.height * width / picture.width))
        for name, pillow_format, options in FORMATS:
            size = fit((width, height), MAX_SIDE[pillow_format])
            if (name, size) in made:
                continue  # a very long picture: several widths end at the format's limit
            made.add((name, size))
            image = _resized(picture, size, cache)
            if pillow_format == "JPEG":
                image = on_white(image)
            entry = {"width": size[0], "height": size[1], "format": name}
            yield f"{size[0]}.{name}", _encode(image, pillow_format, options), entry
    # The download: original resolution, upright, without metadata. Lossless PNG for a PNG and
    # for anything transparent (its transparency kept); otherwise JPEG.
    if source_format == "PNG" or picture.mode == "RGBA":
        size = fit(picture.size, MAX_SIDE["PNG"])
        data = _encode(_resized(picture, size, cache), "PNG", {"optimize": True})
        suffix, download_format = "original.png", "png"
    else:
        size = fit(picture.size, MAX_SIDE["JPEG"])
        data = _encode(on_white(_resized(picture, size, cache)), "JPEG", {"quality": 92})
        suffix, download_format = "original.jpg", "jpeg"
    entry = {"width": size[0], "height": size[1], "format": download_format, "download": True}
    yield suffix, data, entry


def make_renditions(photo) -> tuple[list[dict], tuple[int, int]]:
    """Write the renditions of `photo.image` to its storage. Returns their descriptions,
    smallest first, one entry per width and format, plus one `download` entry, and the
    picture's upright size (width, height in px).

    Raises `PhotoNotStored` when the image cannot be decoded or the storage cannot be written;
    the renditions written until then are deleted again."""
    storage = photo.image.storage
    stem = PurePosixPath(photo.image.name).stem
    folder = f"renditions/{stem[:2]}"
    entries: list[dict] = []
    try:
        with strict_decoding(), photo.image.open("rb") as handle, Image.open(handle) as source:
            source_format = source.format
            picture = upright(source)
        for suffix, data, entry in _renditions(picture, source_format):
            try:
                entry["name"] = storage.save(f"{folder}/{stem}-{suffix}", ContentFile(data))
            except OSError as error:
                raise PhotoNotStored(STORAGE_FAILED) from error
            entries.append(entry)
    except BaseException as error:
        logger.warning("Renditions of %s not made", photo.image.name, exc_info=True)
        delete_renditions(photo, entries)
        if isinstance(error, (OSError, ValueError, MemoryError, Image.DecompressionBombError)):
            raise PhotoNotStored(PROCESSING_FAILED) from error
        raise
    return entries, picture.size


def delete_renditions(photo, entries: list[dict] | None = None) -> None:
    """Delete the files of `entries` (default: the photo's renditions); one that cannot be
    deleted is logged and left, so that the others still go."""
    storage = photo.image.storage
    for entry in photo.renditions if entries is None else entries:
        try:
            storage.delete(entry["name"])
        except OSError:
            logger.warning("Rendition %s not deleted", entry["name"], exc_info=True)


def delete_photo_files(sender, instance, **kwargs) -> None:
    """post_delete receiver: a deleted photo leaves no files behind, even in bulk deletes;
    only once the deletion is committed, so that a rollback keeps the files too."""
    entries, image = list(instance.renditions), instance.image

    def delete_files():
        delete_renditions(instance, entries)
        if image:
            image.storage.delete(image.name)

    transaction.on_commit(delete_files)
