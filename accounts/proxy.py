"""The client's address behind the documented reverse proxy, for anything that counts per client
(the log-in lockout, rate limits).

A proxy in front appends the address it received the request from to `X-Forwarded-For`; nginx's
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` sends
`X-Forwarded-For: <whatever the client sent>, <the client's real address>`. Only the entries
that our own proxies appended can be trusted, so with `TRUSTED_PROXY_COUNT = N` the client is
the N-th entry from the right (MDN "X-Forwarded-For", section "Selecting an IP address"); the
entries left of it are the client's own words and are ignored. Nothing here may ever read the
left-most entry.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

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
