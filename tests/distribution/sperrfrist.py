"""Helpers of the embargo tests (test_embargo*.py): the accredited list, steps that commit, the
mails that arrived for whom, and the personal preview link in a mail."""

import re
from datetime import date

import pytest

from distribution.models import AccreditedRecipient

PREVIEW_LINK = re.compile(r"https?://[^/\s]+(/verteiler/sperrfrist/[A-Za-z0-9_-]+/)")
JOURNALISTS = ["anna.berg@mz-web.de", "jens.kurz@volksstimme.de"]


@pytest.fixture
def accredited(db, approver):
    """Two active entries of the Vorab-Verteiler and one that the press office switched off."""
    people = [
        AccreditedRecipient.objects.create(
            name=name,
            email=email,
            medium=medium,
            consent="schriftlich",
            consent_on=date(2026, 2, 3),
            added_by=approver,
        )
        for name, email, medium in [
            ("Anna Berg", JOURNALISTS[0], "Mitteldeutsche Zeitung"),
            ("Jens Kurz", JOURNALISTS[1], "Volksstimme"),
        ]
    ]
    AccreditedRecipient.objects.create(
        name="Ehemals Akkreditiert",
        email="ehemals@example.org",
        medium="Eingestellt",
        consent="mündlich",
        consent_on=date(2025, 1, 1),
        active=False,
    )
    return people


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …`: the steps inside count as committed when the block ends, as a
    request's are, so the distribution list reacts to them (events.on_step runs on commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def mails_to(inbox, address: str, about: str = "") -> list:
    """The messages of `inbox` to `address`, only those whose subject names `about` if given
    (a subscriber's confirmation mail is in the inbox too)."""
    return [
        message
        for message in inbox
        if address in str(message["To"]) and about in subject_of(message)
    ]


def subject_of(message) -> str:
    # A subject with non-ASCII characters arrives folded into encoded words (RFC 2047); the
    # parser may keep the fold's space in front.
    return message["Subject"].strip()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def preview_path(message) -> str:
    """The path of the personal preview link in `message`'s plain-text part."""
    return PREVIEW_LINK.search(text_of(message)).group(1)
