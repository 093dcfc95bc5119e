"""A scheduled article going live at its minute (issue 13, "Notifications"): no step happens
then, so scheduling queues a task for that minute; when it runs it tells the authors and the
approver, if the article is still published at that same minute and now public. A rescheduled,
returned or withdrawn article's old task finds nothing to do."""

import logging
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .conftest import body_of

SOON = timedelta(seconds=2)


def went_live(mails: dict) -> dict:
    """The went-live mails of `mails` (by address), by address."""
    found = {}
    for address, messages in mails.items():
        live = [message for message in messages if "Jetzt öffentlich" in message["Subject"]]
        if live:
            found[address] = live
    return found


def wait_until(moment) -> None:
    """The clock reaches `moment` (a real wait of at most a few seconds)."""
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)


def waiting_tasks() -> list:
    """When the notifications' waiting tasks are due (the distribution list queues its own)."""
    waiting = DBTaskResult.objects.filter(status="READY", task_path__startswith="notifications.")
    return list(waiting.values_list("run_after", flat=True))


def test_the_minute_a_scheduled_article_goes_live_its_authors_and_approver_are_told(
    article, editor, co_author, approver, committed, delivered, settings
):
    article.submit(by=editor)
    publish_at = timezone.now() + SOON
    with committed():
        article.publish(by=approver, at=publish_at)
    assert publish_at in waiting_tasks()

    wait_until(publish_at)
    mails = went_live(delivered())

    assert set(mails) == {editor.email, co_author.email, approver.email}
    assert all(len(messages) == 1 for messages in mails.values())
    body = body_of(mails[approver.email][0])
    assert settings.SITE_URL + article.get_absolute_url() in body


def test_nothing_is_said_before_the_minute(article, editor, approver, committed, delivered):
    article.submit(by=editor)
    publish_at = timezone.now() + timedelta(hours=1)
    with committed():
        article.publish(by=approver, at=publish_at)

    mails = delivered()

    assert went_live(mails) == {}
    assert set(mails) == {article.created_by.email, "mitautorin@koba-jobcenter-harz.de"}
    assert waiting_tasks() == [publish_at]


def test_a_rescheduled_article_sends_nothing_for_its_old_time(
    article, editor, approver, committed, delivered
):
    article.submit(by=editor)
    first = timezone.now() + SOON
    with committed():
        article.publish(by=approver, at=first)
    with committed():
        article.publish(by=approver, at=first + timedelta(hours=1))

    wait_until(first)
    mails = delivered()

    assert went_live(mails) == {}
    assert waiting_tasks() == [first + timedelta(hours=1)]


def test_rescheduled_to_an_earlier_minute_it_is_announced_once(
    article, editor, co_author, approver, committed, delivered
):
    article.submit(by=editor)
    later = timezone.now() + timedelta(hours=1)
    sooner = timezone.now() + SOON
    with committed():
        article.publish(by=approver, at=later)
    with committed():
        article.publish(by=approver, at=sooner)

    wait_until(sooner)
    # Also the old task's hour has come: it must not announce the article a second time.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    mails = went_live(delivered())

    assert set(mails) == {editor.email, co_author.email, approver.email}
    assert all(len(messages) == 1 for messages in mails.values())


def test_a_returned_or_withdrawn_article_is_not_announced_at_its_old_minute(
    make_article, editor, approver, second_approver, committed, delivered
):
    returned = make_article("in_review", title="Zurückgegeben")
    withdrawn = make_article("in_review", title="Zurückgezogen")
    minute = timezone.now() + SOON
    with committed():
        returned.publish(by=approver, at=minute)
        withdrawn.publish(by=approver, at=minute)
    with committed():
        returned.return_to_draft(by=second_approver, comment="Doch noch nicht.")
        withdrawn.withdraw(by=second_approver, reason="Termin abgesagt.")

    wait_until(minute)

    assert went_live(delivered()) == {}
    assert waiting_tasks() == []


def test_a_scheduled_article_changed_afterwards_goes_to_freigabe_and_not_live(
    article, editor, approver, second_approver, committed, delivered
):
    article.submit(by=editor)
    minute = timezone.now() + SOON
    with committed():
        article.publish(by=approver, at=minute)
    article.title = "Neue Förderprogramme im Landkreis Harz (aktualisiert)"
    with committed():
        article.edit(by=editor)  # back to review: approved was the old text

    wait_until(minute)
    mails = delivered()

    assert went_live(mails) == {}
    reopened = [
        message
        for message in mails[second_approver.email]
        if "erneut zur Freigabe" in message["Subject"]
    ]
    assert len(reopened) == 1
    assert editor.email not in {
        address
        for address, messages in mails.items()
        if any("erneut zur Freigabe" in message["Subject"] for message in messages)
    }


def test_a_backend_without_deferred_tasks_still_schedules_and_tells_the_authors(
    article, editor, approver, committed, smtp_server, settings, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    article.submit(by=editor)
    with committed():
        article.publish(by=approver, at=timezone.now() + timedelta(hours=1))

    article.refresh_from_db()
    assert article.is_scheduled()
    assert {
        address.addr_spec for message in smtp_server for address in message["To"].addresses
    } == {
        editor.email,
        "mitautorin@koba-jobcenter-harz.de",
    }
    assert not DBTaskResult.objects.exists()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
