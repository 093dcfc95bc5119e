"""An article's history (Verlauf): one row per step, who did it, when, from which state to which."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from press.workflow import State


class JSONList(models.Aggregate):
    """The aggregated values as one JSON array (json_group_array on SQLite, jsonb_agg on
    PostgreSQL), in no particular order."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


class ArticleEvent(models.Model):
    """One line of an article's history: who did what, when, from which state to which."""

    class Action(models.TextChoices):
        CREATED = "created", _("angelegt")
        EDITED = "edited", _("bearbeitet")
        SUBMITTED = "submitted", _("zur Freigabe eingereicht")
        RETURNED = "returned", _("an die Redaktion zurückgegeben")
        PUBLISHED = "published", _("veröffentlicht")
        SCHEDULED = "scheduled", _("mit Sperrfrist freigegeben")
        CORRECTED = "corrected", _("korrigiert")
        RESTORED = "restored", _("aus einer früheren Fassung wiederhergestellt")
        REOPENED = "reopened", _("nach Änderung erneut in Prüfung")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    # Steps that change the content: their people are its editors (the four-eyes rule).
    CONTENT_ACTIONS = (
        Action.CREATED,
        Action.EDITED,
        Action.CORRECTED,
        Action.RESTORED,
        Action.REOPENED,
    )
    # Steps that approve the content as it is: the four-eyes rule looks back to the last one.
    APPROVAL_ACTIONS = (Action.PUBLISHED, Action.SCHEDULED)

    article = models.ForeignKey(
        "press.Article", verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("von Status"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("nach Status"), max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article_events",
    )
    at = models.DateTimeField(_("am"), default=timezone.now)
    comment = models.TextField(_("Kommentar"), blank=True)
    # The approver's choice to tell the distribution list of this step (app `distribution`):
    # for a scheduling, advance copies under embargo to the accredited list; for a correction
    # or a withdrawal, a notice to everyone who received the article. The press core only
    # records the choice; the distribution app reacts to it.
    notify_distribution_list = models.BooleanField(_("an den Verteiler"), default=False)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="event_article_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({timezone.localtime(self.at):%d.%m.%Y %H:%M})"

    def still_goes_live(self, publish_at) -> bool:
        """For a publishing or scheduling step that queued something for the minute
        `publish_at` (an aware datetime): True if this entry is still the article's latest
        approval, the article is still published at that same `publish_at`, and it is public
        now. A rescheduled, returned or withdrawn article answers False: its later step has
        queued its own work, or there is nothing to do. Load the entry with its article
        (`select_related("article")`) when the task runs: one query then."""
        article = self.article
        latest = (
            article.events.filter(action__in=self.APPROVAL_ACTIONS)
            .order_by("-at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        return latest == self.pk and article.publish_at == publish_at and article.is_public()

    @classmethod
    def corrections_q(cls) -> models.QuerySet:
        """The public corrections (their `comment` is the public note), newest first."""
        return cls.objects.filter(action=cls.Action.CORRECTED).only("article_id", "at", "comment")

    @classmethod
    def corrections_as_json(cls) -> models.Subquery:
        """The public corrections of the outer query's article (`OuterRef("pk")`) as one
        column: a JSON array of {"id", "at", "comment"}, None without any. Saves the article
        page a query of its own; `corrections_from_json()` reads it."""
        rows = cls.corrections_q().filter(article=models.OuterRef("pk")).order_by()
        data = JSONList(JSONObject(id="id", at="at", comment="comment"))
        return models.Subquery(rows.values("article").annotate(data=data).values("data"))

    @classmethod
    def corrections_from_json(cls, data: list[dict] | None, article) -> list[ArticleEvent]:
        """`corrections_as_json()`'s column as unsaved-looking events of `article` with `at`
        (aware) and `comment`, newest first as `corrections_q()` orders them. A database
        writes `at` as ISO 8601, with an offset (PostgreSQL) or in UTC without one (SQLite)."""
        events = []
        for row in data or []:
            at = datetime.fromisoformat(row["at"])
            at = at if at.tzinfo else at.replace(tzinfo=UTC)
            events.append(cls(id=row["id"], article=article, at=at, comment=row["comment"]))
        return sorted(events, key=lambda event: (event.at, event.id), reverse=True)

    @classmethod
    def return_trail(cls) -> models.QuerySet:
        """Returns and submissions, newest first, with who: enough to tell whether a draft
        still answers a return (`pending_return()`); prefetchable for many articles."""
        return (
            cls.objects.filter(action__in=[cls.Action.RETURNED, cls.Action.SUBMITTED])
            .select_related("by")
            .order_by("-at", "-id")
        )

    @classmethod
    def pending_return(cls, trail) -> ArticleEvent | None:
        """Of a draft's `return_trail()` (newest first), the return it has not answered by a
        new submission, or None."""
        last = next(iter(trail), None)
        return last if last is not None and last.action == cls.Action.RETURNED else None

    @classmethod
    def editors_since_approval(cls, article_ids) -> dict[int, set[int]]:
        """For many articles in one query: article id → ids of everyone who changed its
        content since it was last approved (published or scheduled), or since it was created.
        The four-eyes rule keeps these people from approving it (`Article.editor_ids()`)."""
        editors: dict[int, set[int]] = {pk: set() for pk in article_ids}
        if not article_ids:
            return editors
        approved: set[int] = set()
        events = (
            cls.objects.filter(
                article_id__in=article_ids,
                action__in=[*cls.CONTENT_ACTIONS, *cls.APPROVAL_ACTIONS],
            )
            .order_by("article_id", "-at", "-id")
            .values_list("article_id", "action", "by_id")
        )
        for article_id, action, by_id in events:
            if article_id in approved:
                continue
            if action in cls.APPROVAL_ACTIONS:
                approved.add(article_id)
            elif by_id is not None:
                editors[article_id].add(by_id)
        return editors
