"""„Meine Benachrichtigungen“: the logged-in person switches each kind of workflow mail on or
off for themselves (`NotificationPreference`). Routed at /admin/benachrichtigungen/ behind the
admin's own log-in check (newsroom/urls.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Kind, NotificationPreference

HELP = {
    Kind.SUBMITTED: _("Jemand reicht einen Artikel ein, oder ein Artikel mit Sperrfrist wurde "
                      "geändert und muss erneut freigegeben werden."),
    Kind.RETURNED: _("Die Freigabe gibt einen Artikel, den Sie angelegt haben oder als "
                     "Autor/in zeichnen, mit einem Kommentar an die Redaktion zurück."),
    Kind.PUBLISHED: _("Ihr Artikel ist sofort veröffentlicht worden."),
    Kind.SCHEDULED: _("Ihr Artikel ist freigegeben und wird zum Sperrfrist-Zeitpunkt öffentlich."),
    Kind.WENT_LIVE: _("Die Sperrfrist eines Artikels, den Sie geschrieben oder freigegeben "
                      "haben, ist abgelaufen; er ist jetzt öffentlich."),
    Kind.WITHDRAWN: _("Ihr Artikel ist zurückgezogen worden."),
}  # fmt: skip


def offered_kinds(user) -> list[str]:
    """The kinds that can reach `user`: submissions only reach those who may publish."""
    return [
        kind
        for kind in Kind.values
        if kind != Kind.SUBMITTED or user.has_perm("press.publish_article")
    ]


class PreferencesForm(forms.Form):
    """One checkbox per kind in `kinds`; checked means "send it to me"."""

    def __init__(self, kinds: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.BooleanField(
                label=Kind(kind).label, required=False, help_text=HELP[kind]
            )


def preferences(request: HttpRequest) -> HttpResponse:
    """Show the person's choices (all on until switched off); a POST stores them and comes
    back here. Fields of kinds not offered, and any other field, are ignored."""
    kinds = offered_kinds(request.user)
    current = NotificationPreference.choices_of(request.user)
    form = PreferencesForm(
        kinds,
        # An unbound form for a GET; a POST with every box unchecked is still a POST.
        request.POST if request.method == "POST" else None,
        initial={kind: current[kind] for kind in kinds},
    )
    if request.method == "POST" and form.is_valid():
        NotificationPreference.store(request.user, form.cleaned_data)
        messages.success(request, gettext("Ihre Benachrichtigungen sind gespeichert."))
        return HttpResponseRedirect(request.path)
    return TemplateResponse(
        request,
        "admin/notifications/preferences.html",
        {
            **admin.site.each_context(request),
            "title": gettext("Meine Benachrichtigungen"),
            "form": form,
            "email": request.user.email,
        },
    )
