"""The titles in the `archive` fixture, for tests that look for them on public pages."""

HIDDEN = {
    "draft": "Entwurf Sperrvermerk",
    "in_review": "Pruefung Sperrvermerk",
    "scheduled": "Terminiert Sperrvermerk",
    "withdrawn": "Zurueckgezogen Sperrvermerk",
}
PUBLIC_TITLE = "Oeffentlich Sichtbar"
