"""Checks on uploaded photos: the file's content decides, never its name."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
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


class PhotoUploadField(forms.ImageField):
    """The admin's upload field: our checks first, with their specific messages (too large,
    too many pixels, wrong format), before Django's generic "not an image"."""

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "size", None):
            validate_photo_file(data)
        return super().to_python(data)
