"""Photos with caption, credit (Bildnachweis) and alternative text, and their renditions.

The original keeps its camera data (EXIF, GPS) and lives in the photos' own storage, which has
no URL (`press.photos.PhotoStorage`). Renditions, the full-size download among them, are
written without metadata next to it and reach readers only through `public.photos`, which asks
`Photo.objects.public()` first: a photo is as public as the articles that use it.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePath, PurePosixPath

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from press.links import link
from press.photos import photo_storage, validate_photo_file
from press.renditions import STORAGE_FAILED, PhotoNotStored, delete_renditions, make_renditions
from press.workflow import published_q

logger = logging.getLogger(__name__)


def photo_upload_to(instance: Photo, filename: str) -> str:
    # Stored names are ours: an uploader's file name never reaches the file system or a URL.
    extension = PurePath(filename).suffix.lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp"}:
        extension = ".jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class PhotoQuerySet(models.QuerySet):
    def public(self) -> PhotoQuerySet:
        """Photos that a public article shows (lead photo or further photo), by the one
        public rule (`press.workflow.published_q`). A portrait that no public article shows,
        or a photo only drafts and embargoed articles use, is not among them."""
        return self.filter(published_q("lead_of__") | published_q("articles__")).distinct()


class Photo(models.Model):
    image = models.ImageField(
        _("Bilddatei"),
        upload_to=photo_upload_to,
        # Outside MEDIA_ROOT and without URLs: the original keeps its GPS position.
        storage=photo_storage,
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

    objects = PhotoQuerySet.as_manager()

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

    def file_url(self, entry: dict) -> str:
        """The address of a rendition (`entry` of `renditions`): `public.photos`' view, which
        serves it only for a public photo, or to staff. The file name carries the rendition's
        random stem, so a replaced image gets new addresses (caches never show the old one)."""
        return link("press:photo_file", pk=self.pk, filename=PurePosixPath(entry["name"]).name)

    def rendition_named(self, filename: str) -> dict | None:
        """The rendition whose file name (the last part of `file_url`) is `filename`; None
        for any other name: the original is never among them."""
        for entry in self.renditions:
            if PurePosixPath(entry["name"]).name == filename:
                return entry
        return None

    def srcset(self, image_format: str) -> str:
        return ", ".join(
            f"{self.file_url(entry)} {entry['width']}w" for entry in self._renditions(image_format)
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def display(self) -> dict:
        """The rendition for `src` (800 px JPEG or the nearest) with its upright size; no URL
        ("") before there are renditions: the original is never shown."""
        candidates = self._renditions("jpeg")
        if not candidates:
            return {"url": "", "width": self.width, "height": self.height}
        entry = min(candidates, key=lambda entry: abs(entry["width"] - 800))
        return {"url": self.file_url(entry), "width": entry["width"], "height": entry["height"]}

    @property
    def thumbnail_url(self) -> str:
        """The smallest JPEG rendition's address (400 px or less), for lists; "" without."""
        candidates = self._renditions("jpeg")
        return self.file_url(min(candidates, key=lambda e: e["width"])) if candidates else ""

    @property
    def download(self) -> dict:
        """Original resolution without metadata, for journalists: {"url", "name" (in the
        photos' storage), "width", "height", "format" ("jpeg" or "png")}; url and name are ""
        before there are renditions. Caption and credit are added when it is downloaded
        through an article (`public.photos`)."""
        for entry in self.renditions:
            if entry.get("download"):
                return {**entry, "url": self.file_url(entry)}
        return {"url": "", "name": "", "width": self.width, "height": self.height, "format": ""}

    @property
    def too_small_for_download(self) -> bool:
        """True when the full-size download's long side is below
        settings.PHOTO_DOWNLOAD_MIN_SIDE (px, default 1500): too small for print."""
        download = self.download
        longest = max(download["width"] or 0, download["height"] or 0)
        return longest < settings.PHOTO_DOWNLOAD_MIN_SIDE
