"""Checks on uploaded photos (the file's content decides, never its name), and where their
files are kept.

A photo's files (the original with its camera data and GPS position, and the renditions made
from it) live in their own storage, `storages["photos"]` (`PhotoStorage`: a directory outside
MEDIA_ROOT), which has no URL: the web server that serves media never reaches them, and
nothing can link them by mistake. The public gets renditions only through `public.photos`,
which serves a photo's files only while a public article uses it.
"""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.utils.translation import gettext_lazy as _
from PIL import Image

from press.renditions import strict_decoding, upright

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# What Pillow calls a JPEG with an MPF index and further frames (CIPA DC-007), as many cameras
# write it: a JPEG to every other program, whose first frame is the picture.
JPEG_VARIANTS = {"MPO"}
MAX_UPLOAD_BYTES = getattr(settings, "PHOTO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
MAX_PIXELS = getattr(settings, "PHOTO_MAX_PIXELS", 60_000_000)


def validate_photo_file(upload) -> None:
    """Accept JPEG (also as MPO), PNG and WebP as Pillow reads them, within size and pixel
    limits, and only when the whole picture decodes, EXIF orientation included: a file cut
    short passes Pillow's `verify()` and would break only when the renditions are made.
    Raises `ValidationError` with a sentence for the form. A file already stored (a FieldFile
    that is committed) was checked when it came: saving a photo's caption or credit must not
    re-read it (its file is closed by then)."""
    if getattr(upload, "_committed", False):
        return
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(mb)d MB)."),
            params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        with strict_decoding():
            upload.seek(0)
            with Image.open(upload) as image:
                _check_header(image)
                image.verify()  # the container: chunks and their checksums
            upload.seek(0)
            with Image.open(upload) as image:
                # Every byte of the picture decoded, turned and converted as for the
                # renditions: what passes here, press.renditions can make.
                upright(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("Das Bild ist zu groß zum Verarbeiten."), code="decompression_bomb"
        ) from error
    except Image.UnidentifiedImageError as error:
        raise ValidationError(
            _("Die Datei ist kein lesbares Bild (JPEG, PNG oder WebP)."), code="invalid_image"
        ) from error
    except Exception as error:
        raise ValidationError(
            _(
                "Das Bild ist unvollständig oder beschädigt und lässt sich nicht ganz lesen. "
                "Bitte die Originaldatei noch einmal exportieren und hochladen."
            ),
            code="broken_image",
        ) from error
    finally:
        if position is not None:
            upload.seek(position)


def _check_header(image: Image.Image) -> None:
    """Format and pixel count, from the header alone, before anything is decoded."""
    if image.format not in ALLOWED_FORMATS | JPEG_VARIANTS:
        raise ValidationError(
            _("Nur JPEG, PNG und WebP sind erlaubt, nicht %(format)s."),
            params={"format": image.format},
            code="invalid_format",
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("Das Bild hat zu viele Bildpunkte (%(w)d × %(h)d)."),
            params={"w": width, "h": height},
            code="too_many_pixels",
        )


class PhotoStorage(FileSystemStorage):
    """The photos' files in settings.PHOTO_ROOT (read at each use, so that tests and settings
    can move it), a directory outside MEDIA_ROOT. `url()` raises ValueError: a photo's file
    has no address of its own; `Photo` links its renditions to `public.photos`' view."""

    @property
    def base_location(self):
        return settings.PHOTO_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Photo files have no URL of their own (press.photos.PhotoStorage).")


def photo_storage():
    """The storage of photos' files, `storages["photos"]` (settings.STORAGES): called when the
    field is used, so that the setting decides (a private S3 bucket in production, or
    `PhotoStorage`)."""
    return storages["photos"]


class StrippedCopyLink:
    """What the admin's file field shows for a stored photo instead of the original: the
    full-size copy without metadata (`Photo.download`), which staff may open."""

    def __init__(self, photo):
        self.url = photo.download["url"]

    def __str__(self) -> str:
        return str(_("Foto in voller Größe (ohne Kameradaten und Standort)"))


class PhotoFileInput(forms.ClearableFileInput):
    """Django's file input, but "Derzeit:" links the stripped full-size copy: the original
    with its GPS position has no URL (issue 15)."""

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None) and getattr(value, "instance", None))

    def format_value(self, value):
        if self.is_initial(value) and value.instance.renditions:
            return StrippedCopyLink(value.instance)
        return None


class PhotoUploadField(forms.ImageField):
    """The admin's upload field: our checks first, with their specific messages (too large,
    too many pixels, wrong format), before Django's generic "not an image"."""

    widget = PhotoFileInput

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "size", None):
            validate_photo_file(data)
        return super().to_python(data)
