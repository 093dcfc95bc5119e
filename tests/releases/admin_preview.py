"""Helpers for tests of the admin import: confirm a preview as the editor's browser would."""

from django import forms
from django.urls import reverse

IMPORT_URL = reverse("admin:press_article_import")


def preview_data(response, **changes) -> dict:
    """The POST data of the preview page in `response` as the page shows it (every readable
    file ticked unless it is a duplicate), with `changes` ({"f0-title": "…"}; None removes a
    field, i.e. unticks a box) applied."""
    rows = [row.form for row in response.context["rows"] if row.form is not None]
    data = {"confirm": "1", "count": str(len(rows))}
    for form in rows:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif value not in (None, ""):
                shown = field.widget.format_value(value)
                data[key] = shown[0] if isinstance(shown, list) else shown
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def upload_and_confirm(client, files, **changes):
    """Upload `files`, then confirm the preview (with `changes`); returns both responses."""
    preview = client.post(IMPORT_URL, {"files": files})
    assert preview.status_code == 200
    return preview, client.post(IMPORT_URL, preview_data(preview, **changes))
