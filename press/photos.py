"""Checks on uploaded photos: the file's content decides, never its name."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_UPLOAD_BYTES = getattr(settings, "PHOTO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
MAX_PIXELS = getattr(settings, "PHOTO_MAX_PIXELS", 60_000_000)


def validate_photo_file(upload) -> None:
    """Accept JPEG, PNG and WebP as Pillow reads them, within size and pixel limits. A file
    already stored (a FieldFile that is committed) was checked when it came: saving a photo's
    caption or credit must not re-read it (its file is closed by then)."""
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
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Das Bild hat zu viele Bildpunkte (%(w)d × %(h)d)."),
                    params={"w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("Das Bild ist zu groß zum Verarbeiten."), code="decompression_bomb"
        ) from error
    except Exception as error:
        raise ValidationError(
            _("Die Datei ist kein lesbares Bild (JPEG, PNG oder WebP)."), code="invalid_image"
        ) from error
    finally:
        if position is not None:
            upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Nur JPEG, PNG und WebP sind erlaubt, nicht %(format)s."),
            params={"format": image_format},
            code="invalid_format",
        )


class PhotoUploadField(forms.ImageField):
    """The admin's upload field: our checks first, with their specific messages (too large,
    too many pixels, wrong format), before Django's generic "not an image"."""

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "size", None):
            validate_photo_file(data)
        return super().to_python(data)
