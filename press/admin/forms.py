"""Forms of the editors' admin: the article form (with its stale-copy guard and the public
correction note), the workflow step form (from `press.workflow.STEPS`) and the photo form."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from press.models import CHANGE_NOTE_MISSING, STALE_COPY, Article, Photo, Spokesperson
from press.models.editorial import ADVANCE_COPIES_NEED_SPERRFRIST
from press.models.usage import check_shared_edit, edit_shared
from press.photos import PhotoUploadField
from press.sanitize import comparable
from press.workflow import MISSING_PERMISSION, STEPS

STALE_COPY_ADVICE = _(
    "Ihre Eingaben sind erhalten. Oben sehen Sie, was die andere Person geändert hat; prüfen "
    "Sie beides und speichern Sie erneut, um Ihre Fassung darüber zu legen."
)


def correction_note_field(help_text) -> forms.CharField:
    """The public correction note (Korrekturhinweis) that a change of what the public sees
    needs; optional as a field, required by the form's or the model's rule."""
    return forms.CharField(
        label=_("Korrekturhinweis (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


def distribution_list_field(label, help_text) -> forms.BooleanField:
    """The approver's choice to tell the distribution list of a step (stored as
    `ArticleEvent.notify_distribution_list`); unticked by default: mail to journalists is sent
    only when someone decides so."""
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The revision (history row) the form was loaded from: a refused save shows the changes
    # made since then (`conflict`).
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_note = correction_note_field(
        _(
            "Pflicht, wenn sich ändert, was die Öffentlichkeit sieht (Text, Fotos, Zitate, "
            "Kontakt); nicht bei Themen oder Autor/innen. Erscheint mit Datum als "
            "„Aktualisiert am …“ unter der Überschrift; frühere Hinweise bleiben stehen."
        )
    )
    notify_distribution_list = distribution_list_field(
        _("Korrektur an den Verteiler senden"),
        _(
            "Alle, die den Artikel per E-Mail erhalten haben, bekommen die Korrektur mit dem "
            "Korrekturhinweis."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "kind", "kicker", "title", "slug", "lead", "body", "lead_photo", "photos",
            "topics", "authors", "press_contact",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"style": "width: 100%; max-width: 48em"}),
            "kicker": forms.TextInput(attrs={"style": "width: 100%; max-width: 30em"}),
        }

    # The form's fields whose change the public sees (a correction of a public article). The
    # quotes are the admin's inline; it names them in `inline_changes` before validation.
    PUBLIC_FIELDS = (
        "kind", "kicker", "title", "slug", "lead", "body", "lead_photo", "photos", "press_contact",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        self.conflict: dict | None = None
        if self.instance.pk:
            self.fields["loaded_revision"].initial = self.latest_revision_id()
        self.inline_changes: list[str] = []
        if not self.instance.needs_change_note():
            del self.fields["correction_note"]
            del self.fields["notify_distribution_list"]

    def latest_revision_id(self) -> int | None:
        """The newest history row of the article: the revision this form shows."""
        return (
            self.instance.history.order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
        )

    def real_changes(self) -> list[str]:
        """The names of the fields whose value really changed (`press.sanitize.comparable`:
        CKEditor's re-serialised body is no change), the inline's names included."""
        changed = []
        for name in self.changed_data:
            if name in (
                "loaded_version",
                "loaded_revision",
                "correction_note",
                "notify_distribution_list",
            ):
                continue
            field = self.fields[name]
            if isinstance(field, forms.CharField):
                initial = self.get_initial_for_field(field, name)
                if comparable(initial) == comparable(self.cleaned_data.get(name)):
                    continue
            changed.append(name)
        return changed + self.inline_changes

    def public_changes(self) -> list[str]:
        """Of `real_changes()`, what the public sees of the article."""
        return [
            name
            for name in self.real_changes()
            if name in self.PUBLIC_FIELDS or name in self.inline_changes
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            loaded = cleaned.get("loaded_version") or self.instance.version
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current and current[0] != loaded:
                # Shown again with the other person's changes; saving this form once more
                # is a deliberate save on top of the newer version.
                self.conflict = {
                    "loaded_revision": cleaned.get("loaded_revision"),
                    "current_revision": self.latest_revision_id(),
                }
                self.data = self.data.copy()
                self.data["loaded_version"] = current[0]
                self.data["loaded_revision"] = self.conflict["current_revision"]
                raise ValidationError(f"{STALE_COPY} {STALE_COPY_ADVICE}", code="stale")
            # The model's conditional UPDATE guards the moment between this check and the save.
            self.instance.version = loaded
        if (
            "correction_note" in self.fields
            and not cleaned.get("correction_note", "").strip()
            and self.public_changes()
        ):
            self.add_error("correction_note", CHANGE_NOTE_MISSING)
        return cleaned


class WorkflowForm(forms.Form):
    """The comment (and for publishing, the Sperrfrist) of one step of `STEPS`, labelled as
    the table says."""

    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publish_at = forms.DateTimeField(
        label=_("Veröffentlichen am (Sperrfrist)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leer lassen, um sofort zu veröffentlichen. Zeit in Europe/Berlin."),
    )

    # The article's version the approver reviewed on this page: publishing publishes exactly
    # that (`Article.publish(version=…)`).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Publishing with a Sperrfrist: advance copies to the accredited journalists; withdrawing:
    # a notice to everyone who received the article. Labelled per step in __init__.
    notify_distribution_list = distribution_list_field("", "")
    DISTRIBUTION_CHOICES = {
        "publish": (
            _("vorab unter Sperrfrist versenden"),
            _(
                "Nur mit Sperrfrist: Der Vorab-Verteiler (akkreditierte Journalist/innen) "
                "erhält die Meldung sofort, mit Sperrfristhinweis und einem persönlichen Link "
                "zur Vorschau."
            ),
        ),
        "withdraw": (
            _("Rücknahme an den Verteiler melden"),
            _("Alle, die den Artikel per E-Mail erhalten haben, erfahren von der Rücknahme."),
        ),
    }

    def __init__(self, action: str, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = STEPS[action]
        self.fields["comment"].label = self.step.comment_label
        self.fields["comment"].required = self.step.comment_required
        if action != "publish":
            del self.fields["publish_at"]
        if action in self.DISTRIBUTION_CHOICES:
            field = self.fields["notify_distribution_list"]
            field.label, field.help_text = self.DISTRIBUTION_CHOICES[action]
        else:
            del self.fields["notify_distribution_list"]
        if action not in ("publish", "publish_with_original_date"):
            del self.fields["version"]
        elif article is not None:
            self.fields["version"].initial = article.version
        # A Sperrfrist proposed by the writer or the import is the default.
        proposed = article.publish_at if article else None
        if action == "publish" and proposed and proposed > timezone.now():
            self.fields["publish_at"].initial = timezone.localtime(proposed)

    @property
    def title(self):
        return self.step.label

    def clean_publish_at(self):
        publish_at = self.cleaned_data.get("publish_at")
        # Backdating would slip an approval into the archive's past; only imports may do that.
        if publish_at and publish_at < timezone.now() - timedelta(minutes=1):
            raise ValidationError(_("Der Zeitpunkt liegt in der Vergangenheit."), code="past")
        return publish_at

    def clean(self):
        cleaned = super().clean()
        if (
            self.step.name == "publish"
            and cleaned.get("notify_distribution_list")
            and "publish_at" not in self.errors
            and not (cleaned.get("publish_at") and cleaned["publish_at"] > timezone.now())
        ):
            self.add_error("notify_distribution_list", ADVANCE_COPIES_NEED_SPERRFRIST)
        return cleaned

    def step_arguments(self) -> dict:
        """The keyword arguments of the article's method for this step, from the form."""
        comment = self.cleaned_data["comment"]
        notify = bool(self.cleaned_data.get("notify_distribution_list"))
        if self.step.name == "withdraw":
            return {"reason": comment, "notify_distribution_list": notify}
        arguments = {"comment": comment}
        if self.step.name == "publish":
            arguments["at"] = self.cleaned_data.get("publish_at")
            arguments["advance_copies"] = notify
        if "version" in self.fields:
            # Required to publish from the form: a page without it reviewed nothing.
            arguments["version"] = self.cleaned_data.get("version") or -1
        return arguments


class SharedContentForm(forms.ModelForm):
    """A form of content that articles share (a photo, a spokesperson): changing what
    approved articles show follows their rule (`press.models.usage`). The admin sets `user`;
    a public correction note is asked for when a public article shows the object."""

    user = None

    correction_note = correction_note_field(
        _(
            "Pflicht, wenn veröffentlichte Artikel diesen Inhalt zeigen: erscheint dort als "
            "„Aktualisiert am …“. Artikel mit Sperrfrist gehen zurück in die Prüfung."
        )
    )

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the input
        if self.errors or self.user is None:
            return
        try:
            check_shared_edit(
                self.instance,
                by=self.user,
                change_note=self.cleaned_data.get("correction_note", ""),
            )
        except (PermissionDenied, ValidationError) as error:
            messages = getattr(error, "messages", None) or [str(error) or MISSING_PERMISSION]
            self.add_error(None, " ".join(str(message) for message in messages))

    def save_shared(self, obj) -> list[Article]:
        """Save `obj` (this form's instance) under the articles' rule (`edit_shared()`)."""
        return edit_shared(
            obj, by=self.user, change_note=self.cleaned_data.get("correction_note", "")
        )


class SpokespersonForm(SharedContentForm):
    class Meta:
        model = Spokesperson
        fields = ["name", "slug", "function", "organisation", "portrait"]


class PhotoForm(SharedContentForm):
    """A photo's file and texts. `not_stored` is set by the admin when saving this very input
    failed (`press.renditions.PhotoNotStored`): the form then shows that sentence at the file
    field and is not valid."""

    image = PhotoUploadField(
        label=_("Bilddatei"), help_text=_("JPEG, PNG oder WebP in Originalauflösung.")
    )
    not_stored = None

    def clean(self):
        cleaned_data = super().clean()
        if self.not_stored:
            self.add_error("image", self.not_stored)
        return cleaned_data

    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit", "usage_rights"]
