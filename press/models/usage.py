"""Content that articles share: a photo (file, caption, credit, alternative text) and a
spokesperson's name are part of what an approver approved in every article that shows them.

A change to them is therefore taken under the article's rule (issue 11): on a public article it
is a correction by Freigabe with a public note, recorded in that article's history; a
scheduled article goes back to review. The function a quote gives stays the one it had at the
article's date (`Quote.function`), so a spokesperson's new function changes no article.

Depends on `articles`, `photos` and `people`; the admin's photo and spokesperson forms call
`check_shared_edit()` while validating and `edit_shared()` to save.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from press.sanitize import comparable
from press.workflow import WorkflowError, published_q, scheduled_q

from .articles import Article
from .people import Spokesperson
from .photos import Photo

# Per model: the fields that articles show, and how an article reaches the object.
SHOWN = {
    Photo: (("image", "caption", "credit", "alt_text"), ("lead_photo", "photos")),
    Spokesperson: (("name",), ("quotes__spokesperson",)),
}
SHARED_NOTE_MISSING = _(
    "Dieser Inhalt erscheint in veröffentlichten Artikeln. Die Änderung ist dort eine Korrektur "
    "und braucht einen öffentlichen Korrekturhinweis."
)


def articles_showing(obj: models.Model) -> models.QuerySet[Article]:
    """The articles that show `obj` (a Photo or Spokesperson), whatever their state."""
    _fields, paths = SHOWN[type(obj)]
    condition = Q()
    for path in paths:
        condition |= Q(**{path: obj})
    return Article.objects.filter(condition).distinct()


def visible_changes(obj: models.Model) -> list[str]:
    """The shown fields of `obj` whose value differs from the stored row as a reader would
    see it (`comparable`); none for an unsaved object."""
    fields, _paths = SHOWN[type(obj)]
    if obj.pk is None or obj._state.adding:
        return []
    stored = type(obj).objects.filter(pk=obj.pk).values(*fields).first() or {}
    return [
        name
        for name in fields
        if comparable(stored.get(name)) != comparable(getattr(obj, name) or "")
    ]


def approved_articles(obj: models.Model) -> list[Article]:
    """The public and scheduled articles that show `obj`: what a change would alter."""
    return list(articles_showing(obj).filter(published_q() | scheduled_q()))


def check_shared_edit(obj: models.Model, *, by, change_note: str = "") -> list[Article]:
    """Whether `by` may save `obj` as it is now; returns the approved articles a change
    alters. Raises WorkflowError without a note when a public article shows a visible change,
    PermissionDenied when `by` may not change one of those articles (a public one needs
    `press.correct_article`, i.e. Freigabe)."""
    if not visible_changes(obj):
        return []
    affected = approved_articles(obj)
    for article in affected:
        article._check_edit(by)
    if any(article.is_public() for article in affected) and not change_note.strip():
        raise WorkflowError(SHARED_NOTE_MISSING)
    return affected


def edit_shared(obj: models.Model, *, by, change_note: str = "") -> list[Article]:
    """Save `obj` (a Photo or Spokesperson) changed by `by` under the articles' rule, in one
    transaction: each public article showing it is corrected with `change_note` (history and
    public note), each scheduled one goes back to review. Returns those articles. Errors as
    `check_shared_edit()`; nothing is saved then."""
    with transaction.atomic():
        affected = check_shared_edit(obj, by=by, change_note=change_note)
        label = "photos" if isinstance(obj, Photo) else "quotes"
        obj.save()
        for article in affected:
            article.edit(by=by, change_note=change_note, related_changes=[label])
    return affected
