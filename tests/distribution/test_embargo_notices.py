"""When an embargo moves or ends before its minute (issue 14): everyone who was sent an advance
copy hears of it — "Sperrfrist geändert" with the new time, or "Meldung zurückgezogen – bitte
nicht verwenden" — and a sent-back or withdrawn article's links stop at once and for good.
Through a real SMTP server and the real worker."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from distribution.models import AccreditedRecipient, Delivery
from press.models import Article

from . import sperrfrist
from .sperrfrist import JOURNALISTS, html_of, mails_to, preview_path, subject_of, text_of

accredited = sperrfrist.accredited
committed = sperrfrist.committed

TITLE = "Neue Zahlen zum Arbeitsmarkt im Landkreis Harz"
CHANGED = "Sperrfrist geändert"
WITHDRAWN = "Meldung zurückgezogen – bitte nicht verwenden"


@pytest.fixture
def sent(make_article, approver, accredited, committed, smtp_server, run_worker):
    """An article scheduled two hours ahead whose advance copies have gone out; returns it
    with each journalist's preview link."""
    article = make_article("in_review", title=TITLE)
    with committed():
        article.publish(by=approver, at=timezone.now() + timedelta(hours=2), advance_copies=True)
    run_worker()
    links = {address: preview_path(mails_to(smtp_server, address)[0]) for address in JOURNALISTS}
    return Article.objects.get(pk=article.pk), links


def notices(inbox, about: str) -> dict:
    """The number of mails about `about` to each journalist."""
    return {address: len(mails_to(inbox, address, about)) for address in JOURNALISTS}


def test_rescheduling_tells_everyone_the_new_time_and_the_link_follows_it(
    client, sent, approver, committed, smtp_server, run_worker
):
    article, links = sent
    later = article.publish_at + timedelta(days=1)
    with committed():
        article.publish(by=approver, at=later)
    run_worker()

    assert notices(smtp_server, CHANGED) == {address: 1 for address in JOURNALISTS}
    message = mails_to(smtp_server, JOURNALISTS[0], CHANGED)[0]
    local = timezone.localtime(later)
    assert f"{local:%d.%m.%Y}" in text_of(message) and f"{local:%H:%M} Uhr" in text_of(message)
    assert subject_of(message).endswith(TITLE)
    # The old minute passes; the link still shows the release until the new one.
    with time_machine.travel(later - timedelta(hours=1)):
        assert client.get(links[JOURNALISTS[0]]).status_code == 200
    with time_machine.travel(later + timedelta(seconds=1)):
        assert client.get(links[JOURNALISTS[0]]).status_code == 302


def test_scheduling_again_at_the_same_minute_is_no_change(
    sent, approver, committed, smtp_server, run_worker
):
    article, _ = sent
    with committed():
        article.publish(by=approver, at=article.publish_at)
    run_worker()
    assert notices(smtp_server, CHANGED) == {address: 0 for address in JOURNALISTS}


def test_publishing_before_the_minute_lifts_the_embargo(
    client, sent, approver, committed, smtp_server, run_worker
):
    article, links = sent
    with committed():
        article.publish(by=approver)
    run_worker()
    assert notices(smtp_server, CHANGED) == {address: 1 for address in JOURNALISTS}
    assert "aufgehoben" in text_of(mails_to(smtp_server, JOURNALISTS[0], CHANGED)[0])
    assert client.get(links[JOURNALISTS[0]]).status_code == 302


def test_withdrawing_before_the_minute_tells_everyone_and_the_links_stop(
    client, sent, approver, committed, smtp_server, run_worker
):
    article, links = sent
    with committed():
        article.withdraw(by=approver, reason="Die Zahlen waren vorläufig.")

    assert [client.get(path).status_code for path in links.values()] == [404, 404]
    run_worker()
    assert notices(smtp_server, WITHDRAWN) == {address: 1 for address in JOURNALISTS}
    message = mails_to(smtp_server, JOURNALISTS[0], WITHDRAWN)[0]
    assert subject_of(message) == f"{WITHDRAWN}: {TITLE}"
    assert text_of(message).startswith("*** MELDUNG ZURÜCKGEZOGEN – BITTE NICHT VERWENDEN ***")


def test_sending_back_tells_everyone_and_a_new_scheduling_brings_new_links(
    client, sent, approver, editor, committed, smtp_server, run_worker
):
    article, links = sent
    with committed():
        article.return_to_draft(by=approver, comment="Zahlen prüfen.")
    run_worker()
    assert notices(smtp_server, WITHDRAWN) == {address: 1 for address in JOURNALISTS}

    article.submit(by=editor)
    with committed():
        article.publish(by=approver, at=timezone.now() + timedelta(hours=3), advance_copies=True)
    run_worker()
    copies = mails_to(smtp_server, JOURNALISTS[0], "SPERRFRIST")
    assert len(copies) == 2
    fresh = preview_path(copies[-1])
    assert fresh != links[JOURNALISTS[0]]
    assert client.get(links[JOURNALISTS[0]]).status_code == 404  # the old link stays dead
    assert client.get(fresh).status_code == 200


def test_a_change_of_the_approved_text_withdraws_the_advance_copy(
    client, sent, editor, committed, smtp_server, run_worker
):
    article, links = sent
    article.lead = "Geänderte Zahlen."
    with committed():
        article.edit(by=editor)
    run_worker()
    assert notices(smtp_server, WITHDRAWN) == {address: 1 for address in JOURNALISTS}
    assert client.get(links[JOURNALISTS[0]]).status_code == 404


def test_only_who_received_a_copy_hears_of_the_change(
    sent, approver, committed, smtp_server, run_worker
):
    article, _ = sent
    Delivery.objects.filter(email=JOURNALISTS[1]).update(status=Delivery.Status.FAILED)
    AccreditedRecipient.objects.create(
        name="Neu", email="neu@harzkurier.de", medium="Harzkurier", consent="per Mail",
        consent_on=timezone.localdate(),
    )  # fmt: skip
    with committed():
        article.withdraw(by=approver, reason="Termin abgesagt.")
    run_worker()
    assert notices(smtp_server, WITHDRAWN) == {JOURNALISTS[0]: 1, JOURNALISTS[1]: 0}
    assert mails_to(smtp_server, "neu@harzkurier.de") == []


def test_a_withdrawal_after_the_minute_is_no_embargo_notice(
    sent, approver, committed, smtp_server, run_worker
):
    article, _ = sent
    with time_machine.travel(article.publish_at + timedelta(minutes=5)):
        with committed():
            Article.objects.get(pk=article.pk).withdraw(by=approver, reason="Überholt.")
        run_worker()
    assert notices(smtp_server, WITHDRAWN) == {address: 0 for address in JOURNALISTS}


def test_a_correction_after_the_minute_reaches_the_holders_of_advance_copies_when_chosen(
    sent, approver, committed, smtp_server, run_worker
):
    article, _ = sent
    with time_machine.travel(article.publish_at + timedelta(minutes=5)):
        article = Article.objects.get(pk=article.pk)
        article.lead = "Berichtigte Zahlen."
        with committed():
            article.edit(
                by=approver, change_note="Quote berichtigt.", notify_distribution_list=True
            )
        # A later correction without the tick is not sent; the mail shows the text as it is
        # when it is written.
        article.lead = "Noch einmal berichtigt."
        with committed():
            article.edit(by=approver, change_note="Stillschweigend.")
        run_worker()
    assert notices(smtp_server, "Korrektur:") == {address: 1 for address in JOURNALISTS}
    message = mails_to(smtp_server, JOURNALISTS[0], "Korrektur:")[0]
    body = text_of(message)
    assert "Quote berichtigt." in body and "Noch einmal berichtigt." in body
    assert_advance_list_frame(message)


def test_a_withdrawal_after_the_minute_reported_to_the_list_reaches_them(
    sent, approver, committed, smtp_server, run_worker
):
    article, _ = sent
    with time_machine.travel(article.publish_at + timedelta(minutes=5)):
        with committed():
            Article.objects.get(pk=article.pk).withdraw(
                by=approver, reason="Überholt.", notify_distribution_list=True
            )
        run_worker()
    subject = f"Zurückgezogen – bitte nicht verwenden: {TITLE}"
    assert notices(smtp_server, subject) == {address: 1 for address in JOURNALISTS}
    message = mails_to(smtp_server, JOURNALISTS[0], subject)[0]
    assert "Überholt." in text_of(message)
    assert_advance_list_frame(message)


def assert_advance_list_frame(message) -> None:
    """The advance list's footer in both parts, and none of a subscriber's personal links:
    an accredited journalist has no subscription to change."""
    for part in (text_of(message), html_of(message)):
        assert "Empfänger/in des Vorab-Verteilers (Sperrfrist)" in part, part
        assert "Abmelden" not in part and "/verteiler/" not in part, part
