"""Fixtures of the log-in security tests."""

from typing import NamedTuple

import pytest


class Notice(NamedTuple):
    """One mail as it arrived: the To header, the subject and the plain-text body."""

    to: str
    subject: str
    body: str


@pytest.fixture
def account_mail(smtp_server, run_worker):
    """account_mail() runs the task worker and returns every mail the (real, aiosmtpd) SMTP
    server has received so far, as `Notice(to, subject, body)`."""

    def sent() -> list[Notice]:
        run_worker()
        return [
            Notice(message["To"], message["Subject"], message.get_body(("plain",)).get_content())
            for message in smtp_server
        ]

    return sent
