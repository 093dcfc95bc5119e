"""Fixtures of the workflow e-mails: steps that commit, an article with a second author, and
what the test SMTP server received, by address."""

import pytest
from django.urls import reverse

from press.models import Author
from press.roles import REDAKTION
from tests.conftest import make_user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …`: the steps inside count as committed when the block ends, as a
    request's are, so what waits for the commit runs (pytest-django keeps each test in one
    transaction that is never committed)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def co_author(db):
    """A writer named as the article's author (press.Author with an account)."""
    return make_user("mitautorin", REDAKTION, first_name="Mira", last_name="Mitautorin")


@pytest.fixture
def article(make_article, co_author):
    """A draft created by `editor`, with `co_author` among its authors."""
    article = make_article("draft")
    article.authors.add(Author.objects.create(name="Mira Mitautorin", user=co_author))
    return article


@pytest.fixture
def delivered(smtp_server, run_worker):
    """delivered() runs the worker and returns what has arrived so far, as {address: [message,
    …]} (each message an email.message.EmailMessage)."""

    def read() -> dict:
        run_worker()
        by_address = {}
        for message in smtp_server:
            for address in message["To"].addresses:
                by_address.setdefault(address.addr_spec, []).append(message)
        return by_address

    return read


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def admin_link(settings, name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)
