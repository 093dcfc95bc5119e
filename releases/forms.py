"""The admin's upload form for press releases."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once and cleans each of them."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        # No file at all is cleaned as None, which gives the "required" error.
        return [super(MultipleFileField, self).clean(file, initial) for file in files or [None]]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Dateien"),
        widget=MultipleFileInput(attrs={"accept": ".txt,text/plain"}),
        allow_empty_file=True,  # the importer names an empty file among the results
        help_text=_(
            "Eine oder mehrere Pressemitteilungen als Textdatei (UTF-8 oder Windows-1252). "
            "Sie werden als Entwürfe angelegt; dieselbe Datei zweimal legt nichts Neues an."
        ),
    )
