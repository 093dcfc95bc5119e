"""The import preview: uploaded files are read first and shown field by field beside their
text, with warnings, uncertain fields and duplicates; the editor corrects or confirms, and only
then the drafts are created.

`stage()` keeps the uploads (`PendingImport`) and reads them as a dry run; `PreviewForm` is the
editor's decision on one file; `confirm()` imports the file with the editor's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from press.kinds import Kind

from .importing import ImportOutcome, import_file, known_spokesperson_names
from .models import PendingImport
from .parser import Deadline, OverBudgetError


def preview_hours() -> int:
    """How long an unconfirmed upload is kept (settings.RELEASE_IMPORT_PREVIEW_HOURS, 24)."""
    return settings.RELEASE_IMPORT_PREVIEW_HOURS


def discard_stale() -> int:
    """Delete uploads older than `preview_hours()`; returns how many went."""
    limit = timezone.now() - timedelta(hours=preview_hours())
    deleted, _by_model = PendingImport.objects.filter(uploaded_at__lt=limit).delete()
    return deleted


class PreviewForm(forms.Form):
    """The editor's decision on one previewed file: import it or not, import it although an
    article with the same title and date exists, and the fields as corrected."""

    token = forms.CharField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("Importieren"), required=False)
    allow_duplicate = forms.BooleanField(label=_("Trotzdem importieren (Dublette)"), required=False)
    kind = forms.ChoiceField(label=_("Art"), choices=Kind.choices)
    kicker = forms.CharField(label=_("Dachzeile"), required=False, max_length=200)
    title = forms.CharField(label=_("Überschrift"), max_length=300)
    date = forms.DateField(
        label=_("Datum der Mitteilung"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    embargo = forms.DateTimeField(
        label=_("Sperrfrist"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    lead = forms.CharField(
        label=_("Vorspann"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    EDITABLE = ("kind", "kicker", "title", "date", "embargo", "lead")

    def editable_fields(self) -> list[forms.BoundField]:
        """The fields of the release the editor may correct, in the page's order."""
        return [self[name] for name in self.EDITABLE]

    def corrections(self) -> dict:
        """The cleaned fields as `import_file(corrections=…)` takes them."""
        return {key: self.cleaned_data[key] for key in self.EDITABLE}


@dataclass
class PreviewRow:
    """One uploaded file in the preview: what the parser read (`outcome`, a dry run), the form
    with the editor's decision, and which fields are uncertain."""

    pending: PendingImport | None
    outcome: ImportOutcome
    form: PreviewForm | None

    @property
    def uncertain(self) -> set[str]:
        parsed = self.outcome.parsed
        return set(getattr(parsed, "uncertain", set())) if parsed else set()


def stage(uploads, user, deadline: Deadline) -> list[PreviewRow]:
    """Keep each upload (`(name, bytes)` pairs) for the uploader and read it as a dry run; a
    file that cannot be read is shown with its reason and not kept. Past `deadline`, the rest
    are reported as not read."""
    discard_stale()
    names = known_spokesperson_names()
    rows: list[PreviewRow] = []
    for number, (name, data) in enumerate(uploads):
        if rows and deadline.expired():
            late = OverBudgetError(
                gettext(
                    "Nicht gelesen: die Zeit für diesen Upload ist abgelaufen. Bitte die Datei "
                    "noch einmal hochladen."
                )
            )
            outcome = ImportOutcome(name, ImportOutcome.FAILED, reason=str(late), error=late)
        else:
            outcome = import_file(name, data, dry_run=True, known_names=names, deadline=deadline)
        if not outcome.ok:
            rows.append(PreviewRow(None, outcome, None))
            continue
        pending = PendingImport.objects.create(user=user, file_name=name[:255], data=data)
        parsed = outcome.parsed
        initial = {
            "token": pending.token,
            "include": outcome.duplicate_of is None,
            "kind": parsed.kind,
            "kicker": parsed.kicker,
            "title": parsed.title,
            "date": parsed.date,
            "embargo": timezone.localtime(parsed.embargo) if parsed.embargo else None,
            "lead": parsed.lead,
        }
        rows.append(PreviewRow(pending, outcome, PreviewForm(initial=initial, prefix=f"f{number}")))
    return rows


def bound_forms(data) -> list[PreviewForm]:
    """The preview's forms as the editor sent them back (prefixes f0, f1, …; `count` in the
    data says how many the page had, at most 1,000)."""
    try:
        count = max(0, min(int(data.get("count", 0)), 1000))
    except (TypeError, ValueError):
        count = 0
    return [PreviewForm(data, prefix=f"f{number}") for number in range(count)]


def included(form: PreviewForm) -> bool:
    """Whether the editor ticked "Importieren" for this file (read before validation)."""
    return form.data.get(form.add_prefix("include")) in {"on", "true", "1"}


def reread(forms: list[PreviewForm], user) -> list[PreviewRow]:
    """The preview again, for forms with errors: each of the user's pending files read again,
    shown with the form as the editor sent it."""
    names = known_spokesperson_names()
    rows = []
    for form in forms:
        token = form.data.get(form.add_prefix("token"), "")
        pending = PendingImport.objects.filter(token=token, user=user).first()
        if pending is None:
            continue
        outcome = import_file(
            pending.file_name, bytes(pending.data), dry_run=True, known_names=names
        )
        rows.append(PreviewRow(pending, outcome, form))
    return rows


def forget(form: PreviewForm, user) -> None:
    """Delete the upload of a form the editor left out."""
    token = form.data.get(form.add_prefix("token"), "")
    PendingImport.objects.filter(token=token, user=user).delete()


def confirm(form: PreviewForm, user, deadline: Deadline) -> ImportOutcome | None:
    """Import the file of a valid `form` with the editor's values, if it is to be included, and
    forget the upload; None if the editor left it out (also forgotten). A token that is not the
    user's (or is gone) gives a failed outcome with a sentence."""
    pending = PendingImport.objects.filter(token=form.cleaned_data["token"], user=user).first()
    if pending is None:
        return ImportOutcome(
            "?",
            ImportOutcome.FAILED,
            reason=str(_("Die Vorschau ist abgelaufen; bitte die Datei noch einmal hochladen.")),
        )
    if not form.cleaned_data["include"]:
        pending.delete()
        return None
    outcome = import_file(
        pending.file_name,
        bytes(pending.data),
        user=user,
        deadline=deadline,
        corrections=form.corrections(),
        allow_duplicate=form.cleaned_data["allow_duplicate"],
    )
    pending.delete()
    return outcome
