"""Links the public pages print many times over, reversed once per process.

A list page prints about a hundred links (its articles, their topics, the navigation), and
Django's reverse() matches the URL patterns anew for each, some 20 µs apiece: a fifth of the
page's time. Where a link leads depends only on the view, its arguments, the URLconf, the
script prefix and the language, never on the database, so the answer is kept for these.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A few hundred topics, spokespersons and navigation links, and the articles being read.
LINKS_KEPT = 10_000


def link(viewname: str, *args, **kwargs) -> str:
    """reverse(viewname, args=args, kwargs=kwargs), remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(
        viewname, args, tuple(kwargs.items()), urlconf, get_script_prefix(), get_language()
    )


@functools.lru_cache(maxsize=LINKS_KEPT)
def _reverse(viewname, args, kwargs, urlconf, script_prefix, language) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)
