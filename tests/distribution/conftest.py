"""Shared fixtures of the distribution-list tests: subscribers made through the real
subscription (request, then confirmation), as a journalist would."""

import pytest

from distribution.models import Subscriber
from distribution.subscription import Choices, confirm, request_subscription
from press.kinds import Kind


@pytest.fixture
def make_subscriber(db):
    """make_subscriber(email, *, confirmed=True, topics=None, kinds=None, name="", medium="")
    → Subscriber, requested through the form's path and (unless confirmed=False) confirmed.
    Without `topics` it receives every topic; without `kinds` every kind."""

    def make(
        email: str = "redaktion@harzkurier.de",
        *,
        confirmed: bool = True,
        topics=None,
        kinds=None,
        name: str = "",
        medium: str = "",
    ) -> Subscriber:
        choices = Choices(
            all_topics=not topics,
            topics=list(topics or []),
            kinds=list(kinds or Kind.values),
        )
        request_subscription(email, name=name, medium=medium, choices=choices)
        subscriber = Subscriber.objects.get(email=email.strip().lower())
        if confirmed:
            assert confirm(subscriber)
            subscriber.refresh_from_db()
        return subscriber

    return make


@pytest.fixture
def confirmed_subscriber(make_subscriber):
    return make_subscriber(name="Petra Sommer", medium="Harzkurier")
