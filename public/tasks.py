"""The clear that a failing cache could not take. A change saved while the shared cache fails
(Redis gone, a full cache directory) cannot move the archive's state on
(`PublicCache.clear()`); the process that saved remembers it (`clear_owed`), but the other
workers would go on serving the retired pages from the shared cache once it is back, and a
restart would forget it. So the receiver also queues `settle_owed_clear` in the same
transaction as the change (django-tasks, database backend): the task worker moves the state
on as soon as the cache takes it, whichever process saved and whatever restarted meanwhile.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks import task

from .caching import RETRY_SECONDS, public_cache

logger = logging.getLogger(__name__)

# While the cache still fails, the task tries again after RETRY_SECONDS, then longer, up to
# this: after the cache is back, pages of before the change are served at most this long.
SETTLE_AT_MOST_EVERY = timedelta(seconds=10)


def owe_clear() -> None:
    """Queue `settle_owed_clear` (at once) for a change the cache could not be told of. In a
    savepoint: where the queue cannot be written (its table not migrated yet, say), the
    change still goes through, and only this process remembers the clear."""
    try:
        with transaction.atomic():
            settle_owed_clear.enqueue(1)
    except DatabaseError as error:
        logger.warning("An owed clear of the public cache could not be queued: %s", error)


@task()
def settle_owed_clear(attempt: int) -> bool:
    """Move the public archive's state on for a change saved while the shared cache failed
    (the `attempt`th try, from 1). True once done; while the cache still fails, it queues
    itself again RETRY_SECONDS × attempt later (at most SETTLE_AT_MOST_EVERY) and returns
    False."""
    if public_cache.clear():
        return True
    if not settle_owed_clear.get_backend().supports_defer:
        logger.warning("Public cache unavailable and no deferred tasks: a clear is owed")
        return False
    delay = min(timedelta(seconds=RETRY_SECONDS * attempt), SETTLE_AT_MOST_EVERY)
    logger.info("Public cache still unavailable, an owed clear is tried again in %s", delay)
    settle_owed_clear.using(run_after=timezone.now() + delay).enqueue(attempt + 1)
    return False
