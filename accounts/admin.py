"""User accounts, roles and log-in rules in the admin, for Administration.

Administration creates accounts, assigns the three roles (press.roles) and deactivates
accounts; it cannot make anyone a superuser, grant raw permissions or delete accounts. Separation
of duties (issue 12, item 4): nobody but a superuser changes their own roles and powers, and
nobody but a superuser sets another person's password (the person uses "Passwort vergessen?");
whoever's roles change is told by e-mail (password changes: accounts.signals).

A new account is an invitation (issue 13): Administration gives name, address and roles, the
person sets the password through a one-time link (accounts.invitations), which can be sent again
from the list ("Einladung erneut senden") or the account's page. No change may leave the site
without an active administrator (accounts.forms.keeps_an_administrator).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from press.models import RolePolicy
from press.roles import ROLE_NAMES

from .forms import InvitationForm, keeps_an_administrator
from .invitations import may_be_invited, send_invitation
from .notices import notify_account
from .signals import CONTACT

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)
# Its pages list a person's backup codes in clear (accounts.backup_codes): nobody else reads them.
admin.site.unregister(StaticDevice)


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The password's summary without the button to the admin's form that sets it."""

    template_name = "accounts/widgets/password_summary.html"


def _only_the_owner_sets_the_password(form_class):
    """`form_class` (a UserChangeForm) whose password field offers no way to set it."""

    class OwnerSetsPasswordForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "password" in self.fields:
                self.fields["password"].widget = PasswordSummaryWidget()
                self.fields["password"].help_text = _(
                    "Das Passwort legt nur die Person selbst fest: mit „Passwort vergessen?“ "
                    "auf der Anmeldeseite erhält sie einen Link per E-Mail."
                )

    return OwnerSetsPasswordForm


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Administration manages accounts and roles, but cannot grant superuser or raw permissions."""

    list_display = ["username", "full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    add_form = InvitationForm
    add_form_template = "accounts/user_add_form.html"
    change_form_template = "accounts/user_change_form.html"
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "first_name", "last_name", "email"]}),
        (_("Rollen"), {"classes": ["wide"], "fields": ["groups"]}),
    ]
    actions = ["resend_invitation"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Name"))
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description=_("Rollen"))
    def roles(self, user) -> str:
        return format_html_join(", ", "{}", ((group.name,) for group in user.groups.all()))

    @staticmethod
    def is_own_account(request: HttpRequest, user) -> bool:
        """Whether `user` is the person using the admin, and not a superuser, who may do all."""
        return user is not None and user.pk == request.user.pk and not request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Staff status follows the roles (save_related), so it is not a box to forget.
        hidden = {"is_superuser", "user_permissions", "is_staff"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # When someone last logged in and since when they are a member are facts the system
        # records, not settings anyone edits.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if self.is_own_account(request, obj):
            # Separation of duties: one's own roles are given by someone else.
            readonly.append("groups")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form = keeps_an_administrator(form)
            if not self.may_set_password(request, obj):
                form = _only_the_owner_sets_the_password(form)
        return form

    def get_urls(self):
        # Before UserAdmin's own: its "<path:object_id>/" would take this address.
        return [
            path(
                "<path:object_id>/einladung/",
                self.admin_site.admin_view(self.invitation_view),
                name="auth_user_invite",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_invite"] = obj is not None and may_be_invited(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def invitation_view(self, request: HttpRequest, object_id: str):
        """`<account>/einladung/`: GET asks whether to send the invitation again, POST sends
        it and returns to the account's page. Only for an account that `may_be_invited`."""
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method == "POST":
            self._send_invitations(request, [user])
            return HttpResponseRedirect(change_url)
        if not may_be_invited(user):
            self._send_invitations(request, [user])  # only the message why not
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "accounts/invitation_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Einladung erneut senden"),
                "opts": self.opts,
                "original": user,
                "change_url": change_url,
            },
        )

    @admin.action(description=_("Einladung erneut senden"), permissions=["change"])
    def resend_invitation(self, request: HttpRequest, queryset) -> None:
        """Send the invitation again to every selected account that has no password yet (a
        link that expired, a mail that got lost); the others are named in a message."""
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        self._send_invitations(request, queryset)

    def _send_invitations(self, request: HttpRequest, users) -> None:
        sent, refused = [], []
        for user in users:
            (sent if send_invitation(user, request.user) else refused).append(user)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Die Einladung an %(names)s ist unterwegs.",
                    "Die Einladungen an %(names)s sind unterwegs.",
                    len(sent),
                )
                % {"names": ", ".join(user.get_username() for user in sent)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                gettext(
                    "Keine Einladung an %(names)s: Eine Einladung geht nur an aktive Konten mit "
                    "E-Mail-Adresse, die noch kein Passwort haben. Wer bereits ein Passwort hat, "
                    "nutzt „Passwort vergessen?“ auf der Anmeldeseite."
                )
                % {"names": ", ".join(user.get_username() for user in refused)},
                messages.WARNING,
            )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_NAMES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    @staticmethod
    def may_set_password(request: HttpRequest, user) -> bool:
        """Only a superuser sets a password in the admin without knowing the old one: anyone
        else who knew another person's new password could act as that person."""
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        """The admin's "set password" page: refused for another person's account; for one's
        own, the form that asks for the old password (so a session left open does not
        suffice to take over the account)."""
        user = self.get_object(request, unquote(id))
        if not self.may_set_password(request, user):
            if user is not None and user.pk == request.user.pk:
                return HttpResponseRedirect(reverse("admin:password_change"))
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_related(self, request, form, formsets, change):
        """A role gives access to the admin, and no role takes it away: Django lets only staff
        log in there, and a person given a role would otherwise be told the password is wrong.
        A person whose roles changed is told (accounts.notices)."""
        user = form.instance
        before = sorted(user.groups.values_list("name", flat=True)) if change else []
        super().save_related(request, form, formsets, change)
        if not user.is_superuser and "groups" in form.cleaned_data:
            has_role = user.groups.filter(name__in=ROLE_NAMES).exists()
            if user.is_staff != has_role:
                user.is_staff = has_role
                user.save(update_fields=["is_staff"])
        after = sorted(user.groups.values_list("name", flat=True))
        if change and before != after:
            self.notify_role_change(request, user, before, after)
        if not change:
            self._send_invitations(request, [user])

    @staticmethod
    def notify_role_change(request: HttpRequest, user, before: list[str], after: list[str]):
        """Tell `user` that `request.user` changed their roles from `before` to `after`
        (role names)."""
        none = gettext("keine")
        notify_account(
            user,
            gettext("Ihre Rollen wurden geändert"),
            gettext(
                "Die Rollen Ihres Kontos „%(username)s“ wurden am %(when)s von %(by)s "
                "geändert.\n\nVorher: %(before)s\nJetzt: %(after)s\n\n%(contact)s"
            )
            % {
                "username": user.get_username(),
                "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
                "by": request.user.get_full_name() or request.user.get_username(),
                "before": ", ".join(before) or none,
                "after": ", ".join(after) or none,
                "contact": CONTACT,
            },
        )

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: their articles and history stay attributed.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ["role", "requires_two_factor"]
    list_editable = ["requires_two_factor"]
    fields = ["role", "requires_two_factor"]
    readonly_fields = ["role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one per role, made by the migration

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["permissions"]
