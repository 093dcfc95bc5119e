"""The editorial workflow as data: the states of an article and the steps between them.

An article is in one of four stored states (`State`); what people see and act on is its
`Stage`, which splits "published" by time into "scheduled" (Sperrfrist not reached) and
"public". Each step of `STEPS` says who may take it (a permission of the `press` app), from
which stages, into which state, and what the admin's button and comment field say. The
article's methods (`Article.submit()`, `publish()`, …) and the admin's buttons and forms both
read this table; nothing else decides whether a step may be taken.

This module imports nothing of the project, so that models, admin and tests can all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """What is stored in `Article.state`."""

    DRAFT = "draft", _("Entwurf")
    IN_REVIEW = "in_review", _("In Prüfung")
    PUBLISHED = "published", _("Veröffentlicht")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")


class Stage(models.TextChoices):
    """Where an article stands now: its state, with "published" split by its publication time
    (`Article.stage()`). The admin's status filter offers exactly these."""

    DRAFT = "draft", _("Entwurf")
    IN_REVIEW = "in_review", _("In Prüfung")
    SCHEDULED = "scheduled", _("Mit Sperrfrist")
    PUBLIC = "public", _("Öffentlich")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")


def published_q(prefix: str = "", now: datetime | None = None) -> Q:
    """The public rule: published and due (`publish_at` reached). Everything the public sees
    (lists, search, feeds, sitemaps, topic and spokesperson pages, counts) is filtered by it;
    `prefix` reaches an article through a relation, e.g. "articles__" from a topic or
    "quotes__article__" from a spokesperson. Mirrored for one article by `Article.is_public()`."""
    return Q(
        **{f"{prefix}state": State.PUBLISHED, f"{prefix}publish_at__lte": now or timezone.now()}
    )


def scheduled_q(prefix: str = "", now: datetime | None = None) -> Q:
    """Approved and waiting for its Sperrfrist: published, `publish_at` still ahead."""
    return Q(
        **{f"{prefix}state": State.PUBLISHED, f"{prefix}publish_at__gt": now or timezone.now()}
    )


class WorkflowError(ValidationError):
    """A state change that the workflow does not allow, e.g. withdrawing a draft."""


class FourEyesViolation(PermissionDenied):
    """Someone who changed an article's content since its last approval tried to publish it."""


MISSING_PERMISSION = _("Dafür fehlt Ihnen die Berechtigung.")
FOUR_EYES = _(
    "Vier-Augen-Prinzip: Sie haben den Inhalt dieses Artikels seit der letzten Freigabe "
    "bearbeitet. Eine andere Person muss ihn freigeben."
)


@dataclass(frozen=True)
class Step:
    """One step of the workflow.

    `name` is the `Article` method that takes it; `permission` a codename of the `press` app;
    `leaves` the stages it may start from (any other stage is refused with `refusal`, which
    may name the current state as `%(state)s`); `enters` the state it ends in; `records` the
    action of its history entry (`ArticleEvent.Action`). `comment_label`
    labels the comment field; a step with `comment_required` is refused with `comment_missing`
    when the comment is blank; a step that `requires` an article field is refused with
    `requirement_missing` while that field is empty. `four_eyes` subjects it to the four-eyes rule
    (settings.NEWSROOM_FOUR_EYES): the last editor of the content may not take it.
    """

    name: str
    permission: str
    leaves: frozenset[Stage]
    enters: State
    records: str
    label: Promise
    comment_label: Promise
    refusal: Promise
    comment_required: bool = False
    comment_missing: Promise | str = ""
    four_eyes: bool = False
    # An article field that must be set for the step (e.g. the original date of an imported
    # release); refused with `requirement_missing` otherwise.
    requires: str = ""
    requirement_missing: Promise | str = ""


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            name="submit",
            permission="submit_article",
            leaves=frozenset({Stage.DRAFT}),
            enters=State.IN_REVIEW,
            records="submitted",
            label=_("Zur Freigabe einreichen"),
            comment_label=_("Kommentar für die Freigabe (optional)"),
            refusal=_("Nur Entwürfe können eingereicht werden (Status: %(state)s)."),
        ),
        Step(
            name="return_to_draft",
            permission="review_article",
            leaves=frozenset({Stage.IN_REVIEW, Stage.SCHEDULED}),
            enters=State.DRAFT,
            records="returned",
            label=_("An die Redaktion zurückgeben"),
            comment_label=_("Was muss geändert werden?"),
            refusal=_(
                "Nur Artikel in Prüfung oder mit Sperrfrist gehen an die Redaktion zurück "
                "(Status: %(state)s)."
            ),
            comment_required=True,
            comment_missing=_("Bitte begründen Sie die Rückgabe an die Redaktion."),
        ),
        Step(
            name="publish",
            permission="publish_article",
            # Only what was submitted for review: a draft has not been reviewed by anyone.
            leaves=frozenset({Stage.IN_REVIEW, Stage.SCHEDULED}),
            enters=State.PUBLISHED,
            records="published",
            label=_("Veröffentlichen"),
            comment_label=_("Kommentar (optional)"),
            refusal=_(
                "Nur eingereichte Artikel (in Prüfung oder mit Sperrfrist) können veröffentlicht "
                "werden (Status: %(state)s)."
            ),
            four_eyes=True,
        ),
        Step(
            name="publish_with_original_date",
            permission="publish_article",
            # An archive release keeps the date it had: recorded as such, approved like any
            # other publication (four eyes, only after review).
            leaves=frozenset({Stage.IN_REVIEW}),
            enters=State.PUBLISHED,
            records="published",
            label=_("Mit Originaldatum veröffentlichen"),
            comment_label=_("Kommentar (optional)"),
            refusal=_(
                "Nur eingereichte Artikel (in Prüfung) können veröffentlicht werden "
                "(Status: %(state)s)."
            ),
            four_eyes=True,
            requires="release_date",
            requirement_missing=_(
                "Nur importierte Mitteilungen mit erkanntem Datum können mit ihrem "
                "Originaldatum veröffentlicht werden."
            ),
        ),
        Step(
            name="withdraw",
            permission="withdraw_article",
            leaves=frozenset({Stage.SCHEDULED, Stage.PUBLIC}),
            enters=State.WITHDRAWN,
            records="withdrawn",
            label=_("Zurückziehen"),
            comment_label=_("Öffentlicher Grund der Rücknahme"),
            refusal=_(
                "Nur veröffentlichte Artikel können zurückgezogen werden (Status: %(state)s)."
            ),
            comment_required=True,
            comment_missing=_("Bitte geben Sie einen öffentlichen Grund für die Rücknahme an."),
        ),
    )
}


def require_permission(user, codename: str) -> None:
    """Raise PermissionDenied unless `user` is active and has `press.<codename>`."""
    if not (user and user.is_active and user.has_perm(f"press.{codename}")):
        raise PermissionDenied(MISSING_PERMISSION)
