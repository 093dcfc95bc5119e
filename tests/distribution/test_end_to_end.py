"""The distribution list from end to end (issue 14, acceptance), through the public pages, the
task worker and a real SMTP server: subscribe → confirmation mail → confirm → publish → the
release arrives with both parts and both unsubscribe headers → one-click POST to the address
in the header (RFC 8058) → the next release does not arrive."""

import re
from urllib.parse import urlsplit

import pytest

from distribution.models import Subscriber
from press.kinds import Kind

ADDRESS = "petra.sommer@harzkurier.de"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …`: the steps inside count as committed when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def releases(inbox) -> list:
    return [m for m in inbox if str(m["Message-ID"]).strip().startswith("<verteiler.")]


def test_subscribe_confirm_receive_unsubscribe_in_one_click_and_receive_nothing_more(
    client, make_article, approver, committed, smtp_server, run_worker, settings
):
    form = {
        "email": ADDRESS,
        "name": "Petra Sommer",
        "medium": "Harzkurier",
        "scope": "alle",
        "kinds": list(Kind.values),
        "consent": "on",
        "website": "",
    }
    assert client.post("/verteiler/", form).status_code == 302
    run_worker()
    [confirmation] = smtp_server
    text = confirmation.get_body(("plain",)).get_content()
    confirm_url = re.search(r"\S+/verteiler/bestaetigen/\S+/", text).group(0)
    assert client.post(urlsplit(confirm_url).path).status_code == 200
    assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED

    first = make_article("in_review", title="Erste Meldung für den Verteiler")
    with committed():
        first.publish(by=approver)
    run_worker()

    [release] = releases(smtp_server)
    assert release["To"].addresses[0].addr_spec == ADDRESS
    assert "Erste Meldung für den Verteiler" in release["Subject"]
    assert "Erste Meldung" in release.get_body(("plain",)).get_content()
    assert "Erste Meldung" in release.get_body(("html",)).get_content()
    assert release["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    header_url = release["List-Unsubscribe"].strip().strip("<>")
    assert header_url.startswith(settings.SITE_URL)

    # What a mail client does (RFC 8058 §3.2): a POST without cookies or CSRF token.
    one_click = client.__class__(enforce_csrf_checks=True).post(
        urlsplit(header_url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED

    second = make_article("in_review", title="Zweite Meldung")
    with committed():
        second.publish(by=approver)
    run_worker()

    assert len(releases(smtp_server)) == 1
