"""Autocomplete fields that take a request's values as untrusted.

Django 5.2 looks selected values up with `field__in=values` as sent, twice: the autocomplete
widgets when they are drawn (AutocompleteMixin.optgroups: a form shown again with
`lead_photo=abc` failed with ValueError), and ModelMultipleChoiceField when it validates (a
number past 64 bits: SQLite's driver raises OverflowError). Here a value that cannot be a key
is left out when the widget is drawn, and refused by the field with Django's own message
before the database sees it."""

from __future__ import annotations

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models


def is_key(target: models.Field, value) -> bool:
    """Whether `value` (a string from the request) can be a value of the key field `target`:
    it converts and validates it (type and, for integers, the database's range)."""
    try:
        target.run_validators(target.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class KeysOnly:
    """Mixin for an autocomplete widget: only values that can be keys are looked up."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field.model._meta
        # The field AutocompleteMixin.optgroups filters on.
        target = remote.get_field(
            getattr(self.field.remote_field, "field_name", self.field.model._meta.pk.attname)
        )
        keys = [item for item in value if item in ("", None) or is_key(target, item)]
        return super().optgroups(name, keys, attr)


class AutocompleteSelect(KeysOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(KeysOnly, widgets.AutocompleteSelectMultiple):
    pass


class KeysMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that cannot be a key ("invalid_pk_value") before it is looked up."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            meta = self.queryset.model._meta
            target = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
            for item in value:
                if not is_key(target, item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


class AutocompleteAdminMixin:
    """For a ModelAdmin or inline with `autocomplete_fields`: its fields use the widgets
    above, and every many-to-many field the field above. Mirrors
    BaseModelAdmin.formfield_for_foreignkey/_for_manytomany, which fill `widget` only when
    no one has."""

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
        kwargs.setdefault("form_class", KeysMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
