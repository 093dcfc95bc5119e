"""Template filters of the log-in pages."""

from django import template

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (the lockout page); 0 for none."""
    return int(duration.total_seconds() // 60) if duration else 0
