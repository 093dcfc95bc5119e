"""What the distribution list does when a step of an article's history has been recorded.

- Published or scheduled: the release goes to the matching subscribers at the minute the
  article becomes public (`tasks.release_article`, queued with `run_after`). An import
  published with its original, past date (`Article.publish_with_original_date`) is archive
  material, not news: its publication time lies more than `ARCHIVE_MARGIN` before the step,
  and nothing is sent.
- Corrected or withdrawn, when the approver chose to tell the list
  (`ArticleEvent.notify_distribution_list`): a notice ("correction:<id>", "withdrawal:<id>")
  to everyone who received the release.
- Every step is also handed to `distribution.embargo.on_step(event)` where that module
  defines it (advance copies under embargo and their notices).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from datetime import timedelta

from press.models import ArticleEvent

from . import mails, sending

logger = logging.getLogger("newsroom.mail")

Action = ArticleEvent.Action
# A publication dated this much before the step that made it is a backdated archive entry.
ARCHIVE_MARGIN = timedelta(hours=1)
NOTICES = {Action.CORRECTED: mails.CORRECTION, Action.WITHDRAWN: mails.WITHDRAWAL}


def is_archive(event: ArticleEvent) -> bool:
    """True for a publishing step whose article is dated more than `ARCHIVE_MARGIN` before
    the step (published with its original date): not news, not mailed."""
    publish_at = event.article.publish_at
    return publish_at is not None and publish_at < event.at - ARCHIVE_MARGIN


def expect_release(event: ArticleEvent) -> bool:
    """Queue the release of the publishing or scheduling `event` for its minute; False when
    there is nothing to queue (archive material, no publication time, no deferred tasks for
    a future minute)."""
    from .tasks import release_article

    article = event.article
    if article.state != article.State.PUBLISHED or article.publish_at is None:
        return False  # returned or withdrawn in the same transaction
    if is_archive(event):
        logger.info("article %s published with its original date: not mailed", article.pk)
        return False
    publish_at = article.publish_at
    task = release_article
    if publish_at > event.at:
        if not task.get_backend().supports_defer:
            logger.warning("no deferred tasks: article %s will not be mailed", article.pk)
            return False
        task = task.using(run_after=publish_at)
    task.enqueue(event.pk, publish_at.isoformat())
    return True


def on_step(event_id: int) -> None:
    """React to the history entry `event_id` (an `ArticleEvent` primary key) after its step
    has committed. An entry that is gone is a no-op."""
    event = ArticleEvent.objects.select_related("article").filter(pk=event_id).first()
    if event is None:
        return
    if event.action in ArticleEvent.APPROVAL_ACTIONS:
        expect_release(event)
    elif event.action in NOTICES and event.notify_distribution_list:
        occasion = f"{NOTICES[event.action]}:{event.pk}"
        sending.distribute(event.article, occasion, sending.receivers(event.article))
    # The embargo module is another helper's and may not exist yet; a fault inside it must
    # still show, so its absence is asked, not its ImportError caught.
    if importlib.util.find_spec("distribution.embargo") is None:
        return
    embargo = importlib.import_module("distribution.embargo")
    if hasattr(embargo, "on_step"):
        embargo.on_step(event)
