"""What each person wants to be told: every kind is on until that person switches it off."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of workflow e-mail; the label is what the preferences page offers."""

    SUBMITTED = "submitted", _("Ein Artikel wartet auf Ihre Freigabe")
    RETURNED = "returned", _("Ihr Artikel wurde an die Redaktion zurückgegeben")
    PUBLISHED = "published", _("Ihr Artikel wurde veröffentlicht")
    SCHEDULED = "scheduled", _("Ihr Artikel wurde mit Sperrfrist freigegeben")
    WENT_LIVE = "went_live", _("Ein Artikel mit Sperrfrist ist öffentlich geworden")
    WITHDRAWN = "withdrawn", _("Ihr Artikel wurde zurückgezogen")


class NotificationPreference(models.Model):
    """One person's choice for one kind. No row means on (the default); a row records the
    latest choice, on or off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    enabled = models.BooleanField(_("eingeschaltet"), default=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} ({'an' if self.enabled else 'aus'})"

    @classmethod
    def switched_off(cls, user_ids: Iterable[int], kind: str) -> set[int]:
        """Of `user_ids`, those who switched `kind` off. One query."""
        return set(
            cls.objects.filter(user_id__in=list(user_ids), kind=kind, enabled=False).values_list(
                "user_id", flat=True
            )
        )

    @classmethod
    def choices_of(cls, user) -> dict[str, bool]:
        """Every kind with whether `user` wants it ({kind: on}). One query."""
        stored = dict(cls.objects.filter(user=user).values_list("kind", "enabled"))
        return {kind: stored.get(kind, True) for kind in Kind.values}

    @classmethod
    def store(cls, user, choices: dict[str, bool]) -> None:
        """Record `user`'s choice for each kind in `choices` ({kind: on})."""
        for kind, enabled in choices.items():
            cls.objects.update_or_create(user=user, kind=Kind(kind), defaults={"enabled": enabled})
