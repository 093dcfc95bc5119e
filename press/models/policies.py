"""What a role demands at log-in; enforced by the accounts app (accounts/two_factor.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RolePolicy(models.Model):
    """What a role demands at log-in. Administration sets it in the admin."""

    role = models.OneToOneField(
        "auth.Group", verbose_name=_("Rolle"), on_delete=models.CASCADE, related_name="policy"
    )
    requires_two_factor = models.BooleanField(
        _("Zwei-Faktor-Anmeldung erforderlich"),
        default=False,
        help_text=_(
            "Wer diese Rolle hat, muss sich im Admin zusätzlich mit einem Einmalcode aus einer "
            "Authenticator-App anmelden (TOTP) und richtet ihn bei der nächsten Anmeldung ein."
        ),
    )

    class Meta:
        verbose_name = _("Anmelderegel")
        verbose_name_plural = _("Anmelderegeln")
        ordering = ["role__name"]

    def __str__(self) -> str:
        return self.role.name
