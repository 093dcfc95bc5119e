"""Sending when an article becomes public (issue 14): one mail to each matching confirmed
subscriber, through the task queue at the article's minute, through a real SMTP server;
plain text and HTML, the list headers of RFC 2369 and RFC 8058, a Message-ID per delivery."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from distribution.models import Delivery
from press.models import Quote

SOON = timedelta(seconds=2)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …`: the steps inside count as committed when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def list_mails(smtp_server, run_worker):
    """list_mails() runs the worker and returns the distribution-list mails that have arrived
    so far (not the confirmation mails of the subscriptions), as {address: [message, …]}."""

    def read() -> dict:
        run_worker()
        found = {}
        for message in smtp_server:
            if str(message["Message-ID"]).startswith("<verteiler."):
                found.setdefault(message["To"].addresses[0].addr_spec, []).append(message)
        return found

    return read


def wait_until(moment) -> None:
    """The clock reaches `moment` (a real wait of at most a few seconds)."""
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


@pytest.fixture
def release(make_article, spokesperson, make_photo):
    """An article in review with kicker, quote and photo, ready for Freigabe."""
    article = make_article(
        "in_review",
        title="Neue Förderprogramme im Landkreis Harz",
        kicker="Arbeitsmarkt",
        lead="Der Landkreis fördert 200 neue Stellen.",
        body="<p>Erster Absatz &amp; mehr.</p><h2>Zwischentitel</h2><p>Zweiter Absatz.</p>",
    )
    Quote.objects.create(
        article=article, spokesperson=spokesperson, text="Ein guter Tag für den Harz."
    )
    photo = make_photo(caption="Übergabe der Bescheide", credit="Foto: Anna Weber")
    article.photos.add(photo)
    return article


def test_a_published_article_reaches_each_confirmed_subscriber_once_with_both_parts(
    release, approver, committed, list_mails, make_subscriber, settings
):
    reader = make_subscriber("redaktion@harzkurier.de")
    make_subscriber("offen@example.org", confirmed=False)
    with committed():
        release.publish(by=approver)

    mails = list_mails()

    assert list(mails) == ["redaktion@harzkurier.de"]
    [message] = mails["redaktion@harzkurier.de"]
    # Django folds an encoded subject onto its own line; the parser keeps that space.
    assert message["Subject"].strip() == "Arbeitsmarkt: Neue Förderprogramme im Landkreis Harz"
    text, page = plain(message), html(message)
    url = settings.SITE_URL + release.get_absolute_url()
    for part in (text, page):
        assert "Der Landkreis fördert 200 neue Stellen." in part
        assert "Zweiter Absatz." in part
        assert "Ein guter Tag für den Harz." in part
        assert "Claudia Langer, Eigenbetriebsleiterin" in part
        assert "03943 58-3234" in part
        assert url in part
        assert "Übergabe der Bescheide" in part and "Foto: Anna Weber" in part
    assert "Erster Absatz & mehr." in text
    assert "<h2>Zwischentitel</h2>" in page
    assert "<img" not in page  # readable without images: photos are links
    assert 'style="' in page
    unsubscribe = f"{settings.SITE_URL}/verteiler/abmelden/{reader.token}/"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    delivery = Delivery.objects.get(email=reader.email)
    assert message["Message-ID"].strip() == f"<verteiler.{delivery.pk}@koba-jobcenter-harz.de>"
    assert (delivery.occasion, delivery.status, delivery.attempts) == ("release", "sent", 1)
    assert list_mails() == mails  # a second worker run sends nothing more


def test_nothing_goes_before_the_sperrfrist_minute_and_all_of_it_after(
    release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    publish_at = timezone.now() + SOON
    with committed():
        release.publish(by=approver, at=publish_at)

    assert list_mails() == {}
    assert not Delivery.objects.exists()

    wait_until(publish_at)
    assert list(list_mails()) == ["redaktion@harzkurier.de"]
