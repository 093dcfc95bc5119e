"""Uploads waiting for the editor's confirmation (the import preview, `releases.preview`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """An unguessable key for one pending file: 24 random bytes, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class PendingImport(models.Model):
    """One uploaded release file between the preview and the editor's confirmation.

    The file's bytes are kept in the database, not on one machine's disk, so that the
    confirmation may reach any app server. Only the uploader may confirm it; it is deleted when
    it is imported or discarded, and after settings.RELEASE_IMPORT_PREVIEW_HOURS (default 24)
    at the latest (`releases.preview.discard_stale()`)."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Import in Vorschau")
        verbose_name_plural = _("Importe in Vorschau")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file_name
