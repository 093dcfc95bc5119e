"""Template filters and tags of the log-in pages."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (the lockout page); 0 for none."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.simple_tag
def site_name() -> str:
    """The site's name (settings.SITE_NAME), for the pages outside the admin's own views,
    which have no `site_header` in their context."""
    return settings.SITE_NAME
