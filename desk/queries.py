"""What the desk shows, each list in a fixed number of queries however many articles exist.

Two rules of the press room are asked for many articles at once through the bulk forms the
press room offers (`ArticleEvent.return_trail()`/`pending_return()` and
`ArticleEvent.editors_since_approval()`), which the article's own methods use as well, so that
each rule stays written once. Stages come from `press.workflow` (`published()`,
`scheduled()`), so the public rule stays written once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from press.models import Article, ArticleEvent
from press.workflow import State

# How many entries a list shows; the rest is in the admin's article list.
LIMIT = 25
RECENT = 10


@dataclass
class Listing:
    """Up to `limit` entries of a list, and whether there are more (`more`)."""

    entries: list
    more: bool = False

    @classmethod
    def of(cls, queryset, limit: int = LIMIT) -> Listing:
        """The first `limit` rows of `queryset`: one query, one row more to learn whether
        there are more."""
        rows = list(queryset[: limit + 1])
        return cls(entries=rows[:limit], more=len(rows) > limit)


def authored_by(user) -> Q:
    """Articles `user` created or is named an author of (`Author.user`)."""
    authors = Article.authors.through.objects.filter(article=OuterRef("pk"), author__user=user)
    return Q(created_by=user) | Q(Exists(authors))


def drafts_of(user) -> Listing:
    """ "Meine Entwürfe": the drafts `user` created or writes, most recently changed first. A
    draft sent back carries `returned`: the ArticleEvent of the return (comment, by, at), as
    `Article.pending_return()` has it, else None. Three queries."""
    trail = ArticleEvent.return_trail()
    listing = Listing.of(
        Article.objects.filter(authored_by(user), state=State.DRAFT)
        .defer("body")
        .prefetch_related(Prefetch("events", trail, to_attr="return_trail"))
        .order_by("-updated_at", "-pk")
    )
    for article in listing.entries:
        article.returned = ArticleEvent.pending_return(article.return_trail)
    return listing


def awaiting_approval(user) -> Listing:
    """ "Wartet auf Freigabe": the articles in review, the longest waiting first. Everything for
    who may publish, else the person's own submissions. Each carries `submission` (the
    ArticleEvent with which it entered review: submitted, or back in review after a change,
    with `by` and `at`) and `four_eyes` (True when the four-eyes rule keeps `user` from
    approving it, as `publish()` would refuse). Four queries."""
    # The entry into review: from another state into "in review" (an edit during the review
    # stays in review and is no new submission).
    entries = (
        ArticleEvent.objects.filter(article=OuterRef("pk"), to_state=State.IN_REVIEW)
        .exclude(from_state=State.IN_REVIEW)
        .order_by("-at", "-id")
    )
    articles = Article.objects.filter(state=State.IN_REVIEW)
    approver = user.has_perm("press.publish_article")
    if not approver:
        articles = articles.filter(authored_by(user))
    listing = Listing.of(
        articles.defer("body")
        .annotate(
            submitted_at=Subquery(entries.values("at")[:1]),
            submission_id=Subquery(entries.values("id")[:1]),
        )
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    submissions = ArticleEvent.objects.select_related("by").in_bulk(
        [article.submission_id for article in listing.entries if article.submission_id]
    )
    editors = (
        ArticleEvent.editors_since_approval([article.pk for article in listing.entries])
        if approver and settings.NEWSROOM_FOUR_EYES
        else {}
    )
    for article in listing.entries:
        article.submission = submissions.get(article.submission_id)
        article.four_eyes = user.pk in editors.get(article.pk, ())
    return listing


def upcoming() -> Listing:
    """ "Mit Sperrfrist": approved articles waiting for their minute, the soonest first. One
    query (two with more than `LIMIT`)."""
    return Listing.of(Article.objects.scheduled().defer("body").order_by("publish_at", "pk"))


def scheduled_by_day(first: date, last: date) -> dict[date, list[Article]]:
    """The scheduled articles whose minute falls on the days `first` to `last` (inclusive, in
    the site's time zone, Europe/Berlin), by day, each day in order of the minute. One query."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    days: dict[date, list[Article]] = defaultdict(list)
    articles = (
        Article.objects.scheduled()
        .filter(publish_at__gte=start, publish_at__lt=end)
        .only("title", "slug", "state", "publish_at")
        .order_by("publish_at", "pk")
    )
    for article in articles:
        days[timezone.localdate(article.publish_at)].append(article)
    return days


def recently_published(limit: int = RECENT) -> list[Article]:
    """ "Zuletzt veröffentlicht": the newest public articles (published and due). One query."""
    return list(Article.objects.published().defer("body").order_by("-publish_at", "-pk")[:limit])


@dataclass
class Desk:
    """Everything one person's desk shows; a list is None when the person's role has no use
    for it (no drafts for Administration, for instance)."""

    drafts: Listing | None = None
    waiting: Listing | None = None
    approver: bool = False
    upcoming: Listing = field(default_factory=lambda: Listing([]))
    recent: list[Article] = field(default_factory=list)


def desk_for(user) -> Desk:
    """The desk of `user` (who may view articles): what each of their permissions asks them
    to do."""
    approver = user.has_perm("press.publish_article")
    return Desk(
        drafts=drafts_of(user) if user.has_perm("press.add_article") else None,
        waiting=(
            awaiting_approval(user) if approver or user.has_perm("press.submit_article") else None
        ),
        approver=approver,
        upcoming=upcoming(),
        recent=recently_published(),
    )
