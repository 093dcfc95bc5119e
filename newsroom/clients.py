"""Who is asking: the client's address behind the documented reverse proxy, and request limits
per client and per e-mail address, for anything that counts requests (the log-in lockout, the
password reset, the distribution list's subscription form).

Project-wide rather than in a room, so that every room that counts requests uses the same rule
(moved here from accounts.proxy and accounts.passwords for the distribution list, issue 14).

A proxy in front appends the address it received the request from to `X-Forwarded-For`; nginx's
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` sends
`X-Forwarded-For: <whatever the client sent>, <the client's real address>`. Only the entries
that our own proxies appended can be trusted, so with `TRUSTED_PROXY_COUNT = N` the client is
the N-th entry from the right (MDN "X-Forwarded-For", section "Selecting an IP address"); the
entries left of it are the client's own words and are ignored. Nothing here may ever read the
left-most entry.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger("newsroom.security")

# Where no address can be told at all (no REMOTE_ADDR, e.g. a Unix socket without a proxy
# header): one fixed bucket rather than an empty value, which counters would treat as "nobody".
UNKNOWN_ADDRESS = "0.0.0.0"


def _valid(value: str | None) -> str | None:
    """`value` as a normalised IPv4/IPv6 address, or None if it is not one (brackets around an
    IPv6 address are accepted)."""
    value = (value or "").strip().removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as a normalised IP address string.

    With `settings.TRUSTED_PROXY_COUNT = N > 0`, the N-th entry from the right of
    `X-Forwarded-For` (the one our outermost trusted proxy appended); otherwise, or when the
    header is missing, has fewer than N entries, or that entry is not an IP address,
    `REMOTE_ADDR`. Never empty: `UNKNOWN_ADDRESS` if neither gives an address. Also usable as
    django-axes' `AXES_CLIENT_IP_CALLABLE`."""
    remote = _valid(request.META.get("REMOTE_ADDR")) or UNKNOWN_ADDRESS
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < trusted:
        return remote
    return _valid(forwarded[-trusted]) or remote


@dataclass(frozen=True)
class Limits:
    """How many requests one client address (`per_client`) and one e-mail address
    (`per_address`) may make within `window` seconds; `scope` keeps the counters of different
    forms apart ("password-reset", "distribution-subscribe")."""

    scope: str
    per_client: int
    per_address: int
    window: int

    @property
    def minutes(self) -> int:
        """The window in whole minutes (at least 1), for the message to the user."""
        return max(1, self.window // 60)


def _count(key: str, window: int) -> int:
    """Add one request to the counter `key` and return the new count; the counter starts with
    the first request and lasts `window` seconds (one fixed window; `add` then `incr`, atomic
    on Redis and diskcache)."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        # Evicted or expired between add and incr: this request opens a new window.
        cache.set(key, 1, window)
        return 1


def within_limits(request: HttpRequest, email: str, limits: Limits) -> bool:
    """Count this request for its client (`client_ip()`) and for `email` (case-insensitive,
    only a hash of it is kept in the cache) and say whether both are within `limits`. A client
    over its limit is not counted for the address, so that one client cannot use up another
    person's allowance by itself. A cache that cannot be used lets the request through
    (logged): the forms must keep working when the cache is degraded."""
    address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    try:
        if _count(f"{limits.scope}:client:{client_ip(request)}", limits.window) > (
            limits.per_client
        ):
            return False
        return _count(f"{limits.scope}:address:{address}", limits.window) <= limits.per_address
    except Exception:
        logger.warning("%s limits not checked: cache unavailable", limits.scope, exc_info=True)
        return True
