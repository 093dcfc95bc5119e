"""Photos with caption, credit (Bildnachweis) and alternative text, and their renditions."""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePath

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from press.photos import validate_photo_file
from press.renditions import STORAGE_FAILED, PhotoNotStored, delete_renditions, make_renditions

logger = logging.getLogger(__name__)


def photo_upload_to(instance: Photo, filename: str) -> str:
    # Stored names are ours: an uploader's file name never reaches the file system or a URL.
    extension = PurePath(filename).suffix.lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp"}:
        extension = ".jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Photo(models.Model):
    image = models.ImageField(
        _("Bilddatei"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_photo_file],
        help_text=_("JPEG, PNG oder WebP in Originalauflösung."),
    )
    width = models.PositiveIntegerField(_("Breite (px)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("Höhe (px)"), null=True, editable=False)
    caption = models.CharField(
        _("Bildunterschrift"),
        max_length=500,
        blank=True,
        help_text=_("Z. B. „Claudia Langer, Eigenbetriebsleiterin KoBa Harz“."),
    )
    credit = models.CharField(
        _("Bildnachweis"),
        max_length=200,
        help_text=_("Wird als „Foto: …“ angezeigt, z. B. „KoBa Harz“."),
    )
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=300,
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen "
            "können. Pflichtfeld (Barrierefreiheit)."
        ),
    )
    usage_rights = models.TextField(
        _("Nutzungsrechte"),
        blank=True,
        help_text=_("Wer das Bild wofür verwenden darf, z. B. „Frei für Presseberichte“."),
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    # Made by press.renditions when the image is saved: [{width, height, format, name}, ...].
    renditions = models.JSONField(_("Bildvarianten"), default=list, editable=False)
    # What a revision of an article showed (press.diff); renditions follow the image.
    history = HistoricalRecords(excluded_fields=["renditions"], cascade_delete_history=False)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_alt_text_required"),
            models.CheckConstraint(condition=~Q(credit=""), name="photo_credit_required"),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        """Saving a new or replaced image stores it, makes its renditions
        (`press.renditions`) and keeps the picture's upright size as `width` × `height`
        (a phone's portrait photo is stored sideways with an EXIF orientation).

        All of it or nothing: raises `PhotoNotStored` with a sentence for the form when the
        storage cannot be written or the image breaks; the row is not saved then (its
        transaction rolls back) and no file of it is left behind."""
        stored = getattr(self, "_stored_image_name", None)
        if stored is not None and self.image.name == stored:
            # The same file handed back (the admin form does when only the text changes):
            # Django has just read its size again, without the EXIF orientation.
            self.width, self.height = self._stored_size
        uploading = bool(self.image) and not self.image._committed
        try:
            with transaction.atomic():
                self._save_with_renditions(stored, *args, **kwargs)
        except BaseException as error:
            if uploading and self.image._committed:
                # The new original was written before the failure: it goes too.
                try:
                    self.image.storage.delete(self.image.name)
                except OSError:
                    logger.warning("Photo %s not deleted", self.image.name, exc_info=True)
            if isinstance(error, OSError):
                raise PhotoNotStored(STORAGE_FAILED) from error
            raise

    def _save_with_renditions(self, stored: str | None, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if self.image and (self.image.name != stored or not self.renditions):
            old = self.renditions
            self.renditions, (self.width, self.height) = make_renditions(self)
            super().save(update_fields=["renditions", "width", "height"])
            delete_renditions(self, old)
            self._stored_image_name = self.image.name
            self._stored_size = (self.width, self.height)

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        photo._stored_image_name = photo.__dict__.get("image")
        photo._stored_size = (photo.__dict__.get("width"), photo.__dict__.get("height"))
        return photo

    def _renditions(self, image_format: str) -> list[dict]:
        return [
            entry
            for entry in self.renditions
            if entry["format"] == image_format and not entry.get("download")
        ]

    def srcset(self, image_format: str) -> str:
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(entry['name'])} {entry['width']}w"
            for entry in self._renditions(image_format)
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def display(self) -> dict:
        """The rendition for `src` (800 px JPEG or the nearest) with its upright size; the
        original when there are no renditions yet."""
        candidates = self._renditions("jpeg")
        if not candidates:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        entry = min(candidates, key=lambda entry: abs(entry["width"] - 800))
        return {
            "url": self.image.storage.url(entry["name"]),
            "width": entry["width"],
            "height": entry["height"],
        }

    @property
    def download(self) -> dict:
        """Original resolution without metadata, for journalists."""
        for entry in self.renditions:
            if entry.get("download"):
                return {**entry, "url": self.image.storage.url(entry["name"])}
        return {
            "url": self.image.url,
            "width": self.width,
            "height": self.height,
            "format": PurePath(self.image.name).suffix.lstrip("."),
        }
