"""The forms of the public distribution-list pages: subscribing and changing one's choices."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from distribution.subscription import CONSENT_WORDINGS, CURRENT_WORDING, Choices, public_topics
from press.kinds import Kind

ALL, CHOSEN = "alle", "auswahl"


class TopicsField(forms.ModelMultipleChoiceField):
    """The topics' checkboxes. A value that is no primary key a database can hold (not
    digits, or more than 18 of them: over 64 bits) is refused as an invalid choice before the
    query: SQLite raises OverflowError for an integer over 64 bits, which would be a 500."""

    def _check_values(self, value):
        for key in value:
            text = str(key)
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class ChoicesForm(forms.Form):
    """Name, medium and what to receive: all releases or chosen topics (only topics with
    public articles are offered), and the kinds (press.kinds.Kind)."""

    name = forms.CharField(label=_("Name (freiwillig)"), max_length=200, required=False)
    medium = forms.CharField(
        label=_("Medium (freiwillig)"),
        max_length=200,
        required=False,
        help_text=_("Zeitung, Sender oder Redaktion, für die Sie arbeiten."),
    )
    scope = forms.ChoiceField(
        label=_("Was möchten Sie erhalten?"),
        choices=[(ALL, _("alle Veröffentlichungen")), (CHOSEN, _("nur zu ausgewählten Themen"))],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    topics = TopicsField(
        label=_("Themen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Arten"),
        choices=Kind.choices,
        initial=list(Kind.values),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Art aus.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = public_topics()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == CHOSEN and not cleaned.get("topics"):
            self.add_error("topics", _("Bitte wählen Sie mindestens ein Thema aus."))
        return cleaned

    def choices(self) -> Choices:
        """The cleaned choices (call after is_valid())."""
        chosen = self.cleaned_data["scope"] == CHOSEN
        return Choices(
            all_topics=not chosen,
            topics=list(self.cleaned_data["topics"]) if chosen else [],
            kinds=[kind for kind in Kind.values if kind in self.cleaned_data["kinds"]],
        )


class SubscribeForm(ChoicesForm):
    """/verteiler/: the address, the choices, the consent (current wording), and a honeypot
    field `website` that people do not see and bots fill in."""

    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Bitte bestätigen Sie die Einwilligung, sonst können wir Ihnen nichts senden."
            )
        },
    )
    # The honeypot: hidden from people (and from screen readers, out of the tab order); a
    # value here means a bot. Named like a field bots like to fill.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)

    field_order = ["email", "name", "medium", "scope", "topics", "kinds", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        privacy = format_html(
            '<a href="{}">{}</a>',
            reverse("press:legal", args=["datenschutz"]),
            _("Datenschutzerklärung"),
        )
        self.fields["consent"].label = format_html(
            str(CONSENT_WORDINGS[CURRENT_WORDING]).replace("%(privacy)s", "{}"), privacy
        )
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["medium"].widget.attrs.update(autocomplete="organization")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def is_bot(self) -> bool:
        """True when the honeypot field was filled in (readable before is_valid())."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())


class PreferencesForm(ChoicesForm):
    """The preferences page: the same choices, filled with the subscriber's current ones."""

    @classmethod
    def for_subscriber(cls, subscriber, data=None) -> PreferencesForm:
        initial = {
            "name": subscriber.name,
            "medium": subscriber.medium,
            "scope": ALL if subscriber.all_topics else CHOSEN,
            "topics": list(subscriber.topics.all()),
            "kinds": list(subscriber.kinds),
        }
        return cls(data=data, initial=initial)
