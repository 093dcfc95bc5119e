"""Idle sessions: a log-in ends SESSION_COOKIE_AGE seconds after its last request."""

from __future__ import annotations

import time

# How often an active session's expiry is pushed forward: often enough for an idle timeout
# of minutes, rarely enough not to write the session on every request.
RENEW_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """A logged-in session ends SESSION_COOKIE_AGE seconds after its last request: each
    request renews it (at most once a minute). Anonymous visitors get no session at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key and "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= RENEW_EVERY_SECONDS:
                session["_renewed_at"] = now  # modified: saved with a fresh expiry
        return self.get_response(request)

    @staticmethod
    def start(sender, request, user, **kwargs) -> None:
        """user_logged_in receiver: a fresh log-in counts as the first renewal."""
        request.session["_renewed_at"] = int(time.time())
