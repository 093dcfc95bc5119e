"""Forms of the public pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """/suche/?q=…&jahr=…&thema=…; the choices are the years and topics that have public
    articles, passed in so that the page reads them once."""

    q = forms.CharField(
        label=_("Suchbegriff"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "search-help"}),
        help_text=_("Mehrere Wörter: alle müssen vorkommen. „-Wort“ schließt ein Wort aus."),
    )
    jahr = forms.ChoiceField(label=_("Jahr"), required=False)
    thema = forms.ChoiceField(label=_("Thema"), required=False)

    def __init__(self, *args, topics=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [("", _("alle Jahre"))] + [
            (str(year.year), str(year.year)) for year in years
        ]
        self.fields["thema"].choices = [("", _("alle Themen"))] + [
            (topic.slug, topic.name) for topic in topics
        ]

    @property
    def filters(self) -> list:
        """The fields that narrow a search down, as the template lays them out."""
        return [self["jahr"], self["thema"]]
