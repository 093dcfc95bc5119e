"""Sending when an article becomes public (issue 14): one mail to each matching confirmed
subscriber, through the task queue at the article's minute, through a real SMTP server;
plain text and HTML, the list headers of RFC 2369 and RFC 8058, a Message-ID per delivery."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from distribution import sending
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
    photo = make_photo(caption="Übergabe der Bescheide", credit="Anna Weber")
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
        assert f"{url}fotos/" in part  # the download address of the article's page
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


def test_a_rescheduled_article_goes_at_its_new_minute_not_the_old_one(
    release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    first = timezone.now() + SOON
    with committed():
        release.publish(by=approver, at=first)
    with committed():
        release.publish(by=approver, at=first + SOON)

    wait_until(first)
    assert list_mails() == {}

    wait_until(first + SOON)
    assert [len(messages) for messages in list_mails().values()] == [1]


@pytest.mark.parametrize("step", ["return_to_draft", "withdraw"])
def test_an_article_returned_or_withdrawn_before_its_minute_sends_nothing(
    step, release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    publish_at = timezone.now() + SOON
    with committed():
        release.publish(by=approver, at=publish_at)
    with committed():
        if step == "withdraw":
            release.withdraw(by=approver, reason="Zahlen falsch.")
        else:
            release.return_to_draft(by=approver, comment="Bitte überarbeiten.")

    wait_until(publish_at)
    assert list_mails() == {}
    assert not Delivery.objects.exists()


def test_an_article_withdrawn_mid_batch_sends_nothing_more(
    release, approver, committed, list_mails, make_subscriber
):
    reader = make_subscriber("redaktion@harzkurier.de")
    sending.distribute(release, "release", [sending.Recipient(reader.email, reader)])
    release.publish(by=approver)  # not committed: no release task of its own
    release.withdraw(by=approver, reason="Zahlen falsch.")

    assert list_mails() == {}
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED


def test_a_second_distribute_adds_nobody(release, approver, make_subscriber, list_mails):
    release.publish(by=approver)
    make_subscriber("redaktion@harzkurier.de")
    recipients = list(sending.release_recipients(release))

    assert sending.distribute(release, "release", recipients) == 1
    assert sending.distribute(release, "release", recipients) == 0
    assert [len(messages) for messages in list_mails().values()] == [1]
    assert sending.distribute(release, "release", recipients) == 0
    assert Delivery.objects.count() == 1


def test_an_import_published_with_its_original_date_is_not_mailed(
    make_article, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    article = make_article("in_review", title="Archiv: Jahresbilanz 2019")
    article.release_date = (timezone.now() - timedelta(days=400)).date()
    article.save()
    with committed():
        article.publish_with_original_date(by=approver)

    assert article.is_public()
    assert list_mails() == {}


def notices(mails: dict, word: str) -> dict:
    return {
        address: [message for message in messages if word in message["Subject"]]
        for address, messages in mails.items()
        if any(word in message["Subject"] for message in messages)
    }


def test_a_correction_sent_to_the_list_reaches_only_those_who_received_the_release(
    release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    with committed():
        release.publish(by=approver)
    assert list(list_mails()) == ["redaktion@harzkurier.de"]
    make_subscriber("spaeter@mz-web.de")  # joined after the release went out

    release.lead = "Der Landkreis fördert 250 neue Stellen."
    with committed():
        release.edit(
            by=approver, change_note="Zahl der Stellen berichtigt.", notify_distribution_list=True
        )

    corrections = notices(list_mails(), "Korrektur")
    assert list(corrections) == ["redaktion@harzkurier.de"]
    [message] = corrections["redaktion@harzkurier.de"]
    assert "Zahl der Stellen berichtigt." in plain(message)
    assert "250 neue Stellen" in plain(message) and "250 neue Stellen" in html(message)
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"


def test_a_correction_not_sent_to_the_list_mails_nobody(
    release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    with committed():
        release.publish(by=approver)
    list_mails()
    release.lead = "Der Landkreis fördert 250 neue Stellen."
    with committed():
        release.edit(by=approver, change_note="Zahl der Stellen berichtigt.")

    assert notices(list_mails(), "Korrektur") == {}


def test_a_withdrawal_sent_to_the_list_reaches_those_who_received_the_release(
    release, approver, committed, list_mails, make_subscriber
):
    make_subscriber("redaktion@harzkurier.de")
    with committed():
        release.publish(by=approver)
    list_mails()
    left = make_subscriber("gegangen@example.org")
    Delivery.objects.create(article=release, occasion="release", email=left.email, status="sent")
    left.state = left.State.UNSUBSCRIBED
    left.save()

    with committed():
        release.withdraw(by=approver, reason="Falsche Zahlen.", notify_distribution_list=True)

    withdrawals = notices(list_mails(), "Zurückgezogen")
    assert list(withdrawals) == ["redaktion@harzkurier.de"]
    assert "Falsche Zahlen." in plain(withdrawals["redaktion@harzkurier.de"][0])
