"""Sperrfrist (issue 14): an article scheduled with "vorab unter Sperrfrist versenden" reaches
the accredited journalists at once, with the embargo notice and a personal preview link that
works only for its token and only until the minute; the public list, the site, its feeds and
its caches know nothing of it until then. Through a real SMTP server and the real worker."""

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from distribution.models import AccreditedRecipient, Delivery
from press.models import Article

from . import sperrfrist
from .sperrfrist import (
    JOURNALISTS,
    html_of,
    mails_to,
    preview_path,
    subject_of,
    text_of,
)

# The embargo tests' fixtures (tests/distribution/sperrfrist.py).
accredited = sperrfrist.accredited
committed = sperrfrist.committed

TITLE = "Neue Zahlen zum Arbeitsmarkt im Landkreis Harz"
LEAD = "Die Arbeitslosenquote sinkt im Oktober auf 4,7 Prozent."


@pytest.fixture
def embargoed(make_article, make_photo):
    """An article in review with a lead photo, as Freigabe is about to schedule it."""
    return make_article(
        "in_review", title=TITLE, lead=LEAD, lead_photo=make_photo(), kicker="Statistik"
    )


def schedule(article, approver, committed, *, minutes: int = 2, advance: bool = True):
    publish_at = timezone.now() + timedelta(minutes=minutes)
    with committed():
        article.publish(by=approver, at=publish_at, advance_copies=advance)
    return publish_at


def test_advance_copies_arrive_at_once_and_the_public_list_only_at_the_minute(
    client, approver, embargoed, accredited, committed, confirmed_subscriber, smtp_server,
    run_worker,
):  # fmt: skip
    publish_at = schedule(embargoed, approver, committed)
    run_worker()

    # The accredited list has it at once, each person once; the switched-off entry nothing.
    assert [len(mails_to(smtp_server, address)) for address in JOURNALISTS] == [1, 1]
    assert mails_to(smtp_server, "ehemals@example.org") == []
    message = mails_to(smtp_server, JOURNALISTS[0])[0]
    local = timezone.localtime(publish_at)
    day, minute = f"{local:%d.%m.%Y}", f"{local:%H:%M}"
    assert subject_of(message) == f"SPERRFRIST {day} {minute} Uhr – Statistik: {TITLE}"
    # The embargo notice comes first in both parts.
    assert text_of(message).startswith(f"*** SPERRFRIST: {day}, {minute} Uhr ***")
    html = html_of(message)
    assert html.index(f"SPERRFRIST: {day}, {minute} Uhr") < html.index("<h1")
    # Each person's link is their own, and it works.
    paths = {preview_path(mails_to(smtp_server, address)[0]) for address in JOURNALISTS}
    assert len(paths) == 2
    page = client.get(preview_path(message))
    assert page.status_code == 200
    assert TITLE in page.content.decode() and "SPERRFRIST" in page.content.decode()

    # The public list has nothing before the minute, however often the worker runs.
    run_worker()
    assert mails_to(smtp_server, confirmed_subscriber.email, TITLE) == []

    with time_machine.travel(publish_at + timedelta(seconds=1)):
        run_worker()  # one poll after the minute
        (release,) = mails_to(smtp_server, confirmed_subscriber.email, TITLE)
        assert subject_of(release) == f"Statistik: {TITLE}"
        # From the minute on, the personal link leads to the public article.
        response = client.get(preview_path(message))
        assert response.status_code == 302
        assert response["Location"] == Article.objects.get(pk=embargoed.pk).get_absolute_url()
    assert [len(mails_to(smtp_server, address)) for address in JOURNALISTS] == [1, 1]


def test_a_wrong_token_is_not_found(client, approver, embargoed, accredited, committed,
                                    smtp_server, run_worker):  # fmt: skip
    schedule(embargoed, approver, committed)
    run_worker()
    token = preview_path(mails_to(smtp_server, JOURNALISTS[0])[0]).split("/")[-2]
    assert client.get(f"/verteiler/sperrfrist/{token}/").status_code == 200
    for wrong in [token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "a" * 300]:
        assert client.get(f"/verteiler/sperrfrist/{wrong}/").status_code == 404


def test_the_preview_page_is_marked_private_and_never_cached(
    client, approver, editor, embargoed, accredited, committed, smtp_server, run_worker
):
    schedule(embargoed, approver, committed)
    run_worker()
    path = preview_path(mails_to(smtp_server, JOURNALISTS[0])[0])

    response = client.get(path)

    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "Vorab-Exemplar, nur für Sie" in response.content.decode()
    # Nothing kept it: sent back, the article's preview is gone at once.
    with committed():
        Article.objects.get(pk=embargoed.pk).return_to_draft(by=approver, comment="Zahlen prüfen")
    assert client.get(path).status_code == 404


def test_the_photos_are_shown_to_the_token_holder_only(
    client, approver, embargoed, accredited, committed, smtp_server, run_worker, make_photo
):
    publish_at = schedule(embargoed, approver, committed)
    run_worker()
    message = mails_to(smtp_server, JOURNALISTS[0])[0]
    path = preview_path(message)
    # The mail's photo links go through the same token.
    assert f"{path}foto/{embargoed.lead_photo.pk}/" in text_of(message)
    page = client.get(path).content.decode()
    sources = re.findall(r'<img src="(/verteiler/sperrfrist/[^"]+)"', page)
    assert len(sources) == 1

    response = client.get(sources[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    # The public address of the photo shows nothing of a non-public article.
    photo = embargoed.lead_photo
    assert client.get(photo.display["url"]).status_code == 404
    # Another token, or a photo the article does not show, is not found.
    token = path.split("/")[-2]
    assert client.get(sources[0].replace(token, "falsch")).status_code == 404
    other = make_photo()
    foreign = sources[0].replace(f"/foto/{photo.pk}/", f"/foto/{other.pk}/")
    assert client.get(foreign).status_code == 404
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        response = client.get(sources[0])
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200


def test_nothing_of_an_embargoed_article_is_public_before_the_minute(
    client, approver, embargoed, accredited, committed, confirmed_subscriber, smtp_server,
    run_worker, topic,
):  # fmt: skip
    schedule(embargoed, approver, committed)
    run_worker()
    assert mails_to(smtp_server, JOURNALISTS[0]), "the advance copy has gone out"
    article = Article.objects.get(pk=embargoed.pk)
    addresses = [
        reverse("press:index"),
        reverse("press:year", args=[timezone.localdate().year]),
        reverse("press:topics"),
        reverse("press:topic", args=[topic.slug]),
        reverse("press:topic_feed", args=[topic.slug]),
        reverse("press:search") + "?q=Arbeitsmarkt",
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:sitemap"),
        reverse("press:news_sitemap"),
        article.get_absolute_url(),
    ]
    for _ in range(2):  # the second time from the page cache, where pages are kept
        for address in addresses:
            response = client.get(address)
            assert TITLE not in response.content.decode(), address
            assert LEAD not in response.content.decode(), address
    assert mails_to(smtp_server, confirmed_subscriber.email, TITLE) == []
    assert not Delivery.objects.filter(occasion="release").exists()


def test_without_the_tick_nobody_gets_an_advance_copy(
    approver, embargoed, accredited, committed, smtp_server, run_worker
):
    schedule(embargoed, approver, committed, advance=False)
    run_worker()
    assert [mails_to(smtp_server, address) for address in JOURNALISTS] == [[], []]


def test_a_person_taken_off_the_list_loses_the_link(
    client, approver, embargoed, accredited, committed, smtp_server, run_worker
):
    schedule(embargoed, approver, committed)
    run_worker()
    path = preview_path(mails_to(smtp_server, JOURNALISTS[0])[0])
    AccreditedRecipient.objects.filter(email=JOURNALISTS[0]).update(active=False)
    assert client.get(path).status_code == 404


def test_a_copy_still_waiting_when_the_article_is_sent_back_is_not_sent(
    approver, embargoed, accredited, committed, smtp_server, run_worker
):
    schedule(embargoed, approver, committed)
    with committed():
        Article.objects.get(pk=embargoed.pk).return_to_draft(by=approver, comment="Noch nicht.")
    run_worker()
    assert [mails_to(smtp_server, address) for address in JOURNALISTS] == [[], []]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"cancelled"}


def test_scheduling_again_sends_a_copy_only_to_who_has_none(
    approver, embargoed, accredited, committed, smtp_server, run_worker
):
    publish_at = schedule(embargoed, approver, committed)
    run_worker()
    AccreditedRecipient.objects.create(
        name="Neu", email="neu@harzkurier.de", medium="Harzkurier", consent="per Mail",
        consent_on=timezone.localdate(),
    )  # fmt: skip
    with committed():
        Article.objects.get(pk=embargoed.pk).publish(
            by=approver, at=publish_at, advance_copies=True
        )
    run_worker()
    assert [len(mails_to(smtp_server, address)) for address in JOURNALISTS] == [1, 1]
    assert len(mails_to(smtp_server, "neu@harzkurier.de")) == 1


def test_a_worker_process_knows_how_to_write_advance_copies_and_notices():
    """The task worker is a process of its own, which never loads the site's URLs: the
    embargo's mails must be known there too, or its copies would be cancelled unsent."""
    script = "from distribution import mails; print(' '.join(sorted(mails.COMPOSERS)))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert {"advance", "embargo-changed", "embargo-withdrawn"} <= set(result.stdout.split())
