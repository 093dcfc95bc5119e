"""User accounts, roles and log-in rules in the admin, for Administration.

Administration creates accounts, assigns the three roles (press.roles) and deactivates
accounts; it cannot make anyone a superuser, grant raw permissions or delete accounts.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from press.models import RolePolicy
from press.roles import ROLE_NAMES

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Administration manages accounts and roles, but cannot grant superuser or raw permissions."""

    list_display = ["username", "full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Name"))
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description=_("Rollen"))
    def roles(self, user) -> str:
        return format_html_join(", ", "{}", ((group.name,) for group in user.groups.all()))

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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_NAMES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        """A role gives access to the admin, and no role takes it away: Django lets only staff
        log in there, and a person given a role would otherwise be told the password is wrong."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not user.is_superuser and "groups" in form.cleaned_data:
            has_role = user.groups.filter(name__in=ROLE_NAMES).exists()
            if user.is_staff != has_role:
                user.is_staff = has_role
                user.save(update_fields=["is_staff"])

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
