"""The account forms of the admin: the invitation (a new account without a password) and the
guard that keeps one active administrator.

The guard's rule (issue 13, Accounts): a change that would leave no active account with the
Administration role, or no active superuser, is refused with a form error, whoever makes it.
Without one, nobody could give roles, invite colleagues or lift a lockout any more, short of the
shell on the server.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from press.roles import ADMINISTRATION

User = get_user_model()


class InvitationForm(forms.ModelForm):
    """The admin's "add account" form: who the person is, the address the invitation goes to,
    and their roles; no password. The account starts with an unusable password
    (`set_unusable_password()`), which only the person replaces, through the invitation
    (accounts.invitations)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "An diese Adresse geht die Einladung mit dem Link, über den die Person ihr Passwort "
            "selbst festlegt (3 Tage gültig)."
        )

    def clean_username(self) -> str:
        """User names differ in more than case, as in Django's own creation form: otherwise
        two people could not tell their log-ins apart."""
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Ein Konto mit diesem Benutzernamen gibt es bereits."), code="unique"
            )
        return username

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


LAST_ADMINISTRATION = _(
    "„%(username)s“ ist das letzte aktive Konto mit der Rolle „Administration“. Geben Sie die "
    "Rolle zuerst einem anderen aktiven Konto, bevor Sie sie hier entziehen oder das Konto "
    "deaktivieren."
)
LAST_SUPERUSER = _(
    "„%(username)s“ ist das letzte aktive Superuser-Konto. Machen Sie zuerst ein anderes aktives "
    "Konto zum Superuser, bevor Sie diesem den Status nehmen oder es deaktivieren."
)


def keeps_an_administrator(form_class):
    """`form_class` (the admin's UserChangeForm) refusing a change that would leave no active
    account with the Administration role, or no active superuser (the module's rule). Fields
    the form does not show (read-only, hidden) keep their stored values."""

    class KeepsAnAdministratorForm(form_class):
        def clean(self):
            cleaned = super().clean()
            user = self.instance  # as stored: the form's values reach it after clean()
            if user.pk is None or not user.is_active:
                return cleaned
            stays_active = cleaned.get("is_active", True)
            administration = user.groups.filter(name=ADMINISTRATION).exists()
            if "groups" in cleaned:
                keeps_role = any(group.name == ADMINISTRATION for group in cleaned["groups"])
            else:
                keeps_role = administration
            others = User.objects.filter(is_active=True).exclude(pk=user.pk)
            if (
                administration
                and not (stays_active and keeps_role)
                and not others.filter(groups__name=ADMINISTRATION).exists()
            ):
                raise forms.ValidationError(
                    LAST_ADMINISTRATION, code="last_administrator", params=self._who(user)
                )
            if (
                user.is_superuser
                and not (stays_active and cleaned.get("is_superuser", True))
                and not others.filter(is_superuser=True).exists()
            ):
                raise forms.ValidationError(
                    LAST_SUPERUSER, code="last_superuser", params=self._who(user)
                )
            return cleaned

        @staticmethod
        def _who(user) -> dict:
            return {"username": user.get_username()}

    return KeepsAnAdministratorForm
