"""Autocomplete fields that take a request's values as untrusted.

Django's autocomplete widgets (django.contrib.admin.widgets.AutocompleteMixin.optgroups, 5.2)
look the selected values up with `field__in=values` as sent: a form shown again with
`lead_photo=abc` failed with ValueError, and a number beyond the column's range fails in the
database. Here a value that cannot be a key is left out when the widget is drawn; the form
field itself still refuses it with its own message ("Bitte eine gültige Auswahl treffen")."""

from __future__ import annotations

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models


def is_key(field: models.Field, value) -> bool:
    """Whether `value` (a string from the request) can be a key of the objects that the
    relation `field` points to: the target field converts and validates it (type and, for
    integers, the database's range)."""
    remote = field.remote_field.model._meta
    # The same field as AutocompleteMixin.optgroups filters on.
    name = getattr(field.remote_field, "field_name", field.model._meta.pk.attname)
    target = remote.get_field(name)
    try:
        target.run_validators(target.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class KeysOnly:
    """Mixin for an autocomplete widget: only values that can be keys are looked up."""

    def optgroups(self, name, value, attr=None):
        keys = [item for item in value if item in ("", None) or is_key(self.field, item)]
        return super().optgroups(name, keys, attr)


class AutocompleteSelect(KeysOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(KeysOnly, widgets.AutocompleteSelectMultiple):
    pass


class AutocompleteAdminMixin:
    """For a ModelAdmin or inline with `autocomplete_fields`: its fields use the widgets
    above. Mirrors BaseModelAdmin.formfield_for_foreignkey/_for_manytomany, which fill
    `widget` only when no one has."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
