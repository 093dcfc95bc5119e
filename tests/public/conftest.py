"""Fixtures shared by the tests of the public pages."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from press.models import Quote
from tests.public.titles import HIDDEN, PUBLIC_TITLE


@pytest.fixture(autouse=True)
def _render_log(settings, tmp_path):
    """Every page the page cache has a view render is logged (PUBLIC_CACHE_RENDER_LOG), so
    that a test tells a page answered from the cache by `renders_logged()`, not by its SQL
    alone: a page whose parts are kept (public/fragments.py) renders without a query."""
    settings.PUBLIC_CACHE_RENDER_LOG = str(tmp_path / "renders.log")


def renders_logged() -> int:
    """How many pages the page cache has had rendered in this test so far."""
    log = Path(django_settings.PUBLIC_CACHE_RENDER_LOG)
    return len(log.read_text().splitlines()) if log.exists() else 0


@pytest.fixture
def archive(make_article, spokesperson):
    """One public article and one of every kind that must stay hidden, all on the same topic,
    quoting the same person, containing the same words, in the same month where possible."""
    now = timezone.now()
    public = make_article("published", title=PUBLIC_TITLE, publish_at=now - timedelta(hours=2))
    hidden = {
        "draft": make_article("draft", title=HIDDEN["draft"]),
        "in_review": make_article("in_review", title=HIDDEN["in_review"]),
        "scheduled": make_article(
            "published", title=HIDDEN["scheduled"], publish_at=now + timedelta(hours=1)
        ),
        "withdrawn": make_article(
            "withdrawn", title=HIDDEN["withdrawn"], publish_at=now - timedelta(hours=3)
        ),
    }
    for article in [public, *hidden.values()]:
        Quote.objects.create(article=article, spokesperson=spokesperson, text="Ein Zitat.")
    return public, hidden
