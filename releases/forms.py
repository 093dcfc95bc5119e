"""The admin's upload form for press releases."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importing import max_file_bytes

# What the file picker offers: text files and Word documents (.docx).
ACCEPTED_TYPES = (
    ".txt,.docx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


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
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}),
        allow_empty_file=True,  # the importer names an empty file among the results
        help_text=_(
            "Eine oder mehrere Pressemitteilungen als Word-Datei (.docx) oder Textdatei (UTF-8 "
            "oder Windows-1252). "
            "Sie werden als Entwürfe angelegt; dieselbe Datei zweimal legt nichts Neues an."
        ),
    )

    def clean_files(self):
        """Refuses the whole upload if one file is over the size budget
        (settings.RELEASE_IMPORT_MAX_BYTES, issue 12, item 8): its size is known before it is
        read, and nothing is imported until the editor has left it out."""
        files = self.cleaned_data["files"]
        errors = [
            forms.ValidationError(
                _(
                    "„%(name)s“ ist zu groß für eine Pressemitteilung (%(size)s; höchstens "
                    "%(limit)s). Bitte nur den Text der Mitteilung als Datei hochladen."
                ),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(max_file_bytes(upload.name)),
                },
            )
            for upload in files
            if upload.size > max_file_bytes(upload.name)
        ]
        if errors:
            raise forms.ValidationError(errors)
        return files
