"""The public cache's signal receivers (connected in public/apps.py): what retires the cached
pages, and the log-in and log-out that set and delete the staff marker (public/caching.py)."""

from django.db import transaction

from .caching import public_cache
from .tasks import owe_clear


def content_changed(sender, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed for what the public sees: clear at
    once, for whatever else this transaction renders, and again after the commit, for the
    pages that other requests rendered meanwhile from the rows as they were before. A clear
    the cache does not take is queued for the task worker, in the same transaction as the
    change (public/tasks.py). Never raises for the cache, so a failing cache cannot roll a
    save back."""
    if not public_cache.clear():
        owe_clear()
    transaction.on_commit(clear_after_commit)


def clear_after_commit() -> None:
    if not public_cache.clear():
        owe_clear()


def clear_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: a deployment migrates, and its templates may render differently."""
    public_cache.clear()


def staff_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the response sets the staff marker (PublicPageCacheMiddleware)."""
    if request is not None:
        request.staff_marker = True


def staff_logged_out(sender, request, user, **kwargs) -> None:
    """user_logged_out receiver: the response deletes the staff marker."""
    if request is not None:
        request.staff_marker = False
