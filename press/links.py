"""Links the public pages print many times over, reversed once per process.

Speed trick, kept because it pays. A list page prints about a hundred links (its articles,
their topics, the navigation), and Django's reverse() matches the URL patterns anew for each,
some 20 µs apiece. Measured on 2026-11-30 (20,000 articles on PostgreSQL, per-request A/B of
the CPU time of a page, page cache off): with plain reverse() the index, a deep archive page
and a topic page cost 24–25 % more, the RSS feed 18 %, a search 17 %, an article page 6 %.

Where a link leads depends only on the view, its arguments, the URL patterns and the script
prefix, never on the database, so the answer is kept for these.

The public URL patterns are the same in every language (tests/press/test_links.py), so the language
is not part of the key; reading it, like reading the URLconf, would cost half of what is saved.
"""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# A few hundred topics, spokespersons and navigation links, and the articles being read.
LINKS_KEPT = 10_000


def link(viewname: str, *args, **kwargs) -> str:
    """reverse(viewname, args=args, kwargs=kwargs), remembered."""
    return _reverse(viewname, args, tuple(kwargs.items()), get_script_prefix())


@functools.lru_cache(maxsize=LINKS_KEPT)
def _reverse(viewname, args, kwargs, script_prefix) -> str:
    return reverse(viewname, args=args or None, kwargs=dict(kwargs) or None)


@receiver(setting_changed)
def forget_links(setting, **kwargs) -> None:
    """Tests may route to other URL patterns."""
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
