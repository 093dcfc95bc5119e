"""The distribution list's tasks (django-tasks, database backend, worked by
`manage.py db_worker`).

- `release_article`: queued for the minute an article becomes public (at once, or its
  Sperrfrist: `run_after`); when it runs, it writes the release's deliveries to every matching
  subscriber, but only if the step that queued it still holds (`ArticleEvent.still_goes_live`:
  still the latest approval, same publication time, public now). A rescheduled article's
  new scheduling has queued its own task for the new minute; a returned or withdrawn one
  sends nothing.
- `send_deliveries`: sends the deliveries of one occasion (`sending.run_batch`).
"""

from __future__ import annotations

import logging

from django.utils.dateparse import parse_datetime
from django_tasks import task

from press.models import ArticleEvent

from . import mails, sending

logger = logging.getLogger("newsroom.mail")


@task()
def release_article(event_id: int, publish_at: str) -> int:
    """Send the article of the publishing or scheduling history entry `event_id` to the
    subscribers whose choices match, if it went public at `publish_at` (ISO 8601, as queued)
    and nothing has changed since; returns how many deliveries were new (0: nothing to do)."""
    event = ArticleEvent.objects.select_related("article").filter(pk=event_id).first()
    if event is None or not event.still_goes_live(parse_datetime(publish_at)):
        return 0
    article = event.article
    return sending.distribute(article, mails.RELEASE, sending.release_recipients(article))


@task()
def send_deliveries(article_id: int, occasion: str) -> int:
    """Send what is claimable of (`article_id`, `occasion`) within the rate and queue the
    rest; returns how many mails were sent (`sending.run_batch`)."""
    return sending.run_batch(article_id, occasion)
