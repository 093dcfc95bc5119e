"""The minute a scheduled article goes live. No step of the workflow happens then, so
scheduling (`ArticleEvent.Action.SCHEDULED`) queues `announce_went_live` to run at that
minute (django-tasks: `Task.using(run_after=…)`, which the database backend supports).

When it runs, it announces the article only if nothing has happened since: the article is
still published at that same `publish_at`, is public now, and the scheduling that queued the
task is still its latest approval. A rescheduled, returned or withdrawn article's old task
finds nothing to do; the new scheduling has queued its own.
"""

from __future__ import annotations

import logging

from django.utils.dateparse import parse_datetime
from django_tasks import task

from press.models import ArticleEvent

from .events import WENT_LIVE, tell

logger = logging.getLogger("newsroom.mail")


def expect_going_live(event: ArticleEvent) -> None:
    """Queue `announce_went_live` for the minute the article of the scheduling `event` goes
    public. A backend that cannot defer tasks (e.g. django-tasks' ImmediateBackend) gets none:
    the moment is then not announced, which is logged."""
    publish_at = event.article.publish_at
    if not announce_went_live.get_backend().supports_defer:
        logger.info("no deferred tasks: article %s going live is not announced", event.article_id)
        return
    announce_went_live.using(run_after=publish_at).enqueue(event.pk, publish_at.isoformat())


@task()
def announce_went_live(event_id: int, publish_at: str) -> int:
    """Tell the authors and the approver that the article scheduled by the history entry
    `event_id` has gone public at `publish_at` (ISO 8601, as queued), if it still has; returns
    how many mails were queued (0 when there is nothing to announce)."""
    event = ArticleEvent.objects.select_related("article", "by").filter(pk=event_id).first()
    if event is None or not event.still_goes_live(parse_datetime(publish_at)):
        return 0
    # Nobody took this step: the clock did. The approver is told too.
    return tell(WENT_LIVE, event, actor_id=None)
