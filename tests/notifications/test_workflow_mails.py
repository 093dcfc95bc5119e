"""Workflow e-mails (issue 13, "Notifications"): each step of an article tells the people who
have something to do or to know, through the mail queue, never the person who took the step."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mailing.models import SentMail
from press.models import Author
from press.roles import FREIGABE
from tests.conftest import make_user

from .conftest import admin_link, body_of


def workflow_url(article, action):
    return reverse("admin:press_article_workflow", args=[article.pk, action])


def test_a_submitted_article_reaches_the_approver_by_mail(
    client, editor, approver, article, committed, smtp_server, run_worker, settings
):
    editor.first_name, editor.last_name = "Rita", "Redakteurin"
    editor.save()
    client.force_login(editor)
    with committed():
        response = client.post(workflow_url(article, "submit"), {"comment": "Bitte bis Freitag."})
    assert response.status_code == 302
    assert smtp_server == []  # nothing leaves inside the request

    run_worker()

    (message,) = smtp_server
    assert [address.addr_spec for address in message["To"].addresses] == [approver.email]
    assert settings.SITE_NAME in message["Subject"]
    assert article.title in message["Subject"]
    body = body_of(message)
    assert "Rita Redakteurin" in body
    assert "zur Freigabe eingereicht" in body
    assert "Bitte bis Freitag." in body
    assert admin_link(settings, "admin:press_article_workflow", article.pk, "publish") in body
    # The draft has no public address yet; none is given away.
    assert article.slug not in body


@pytest.fixture
def steps(article, editor, approver, second_approver):
    """Each step from the stage before it, as the fixture's people would take it: (how to get
    there, the step, who takes it)."""
    in_review = [lambda: article.submit(by=editor)]
    published = [*in_review, lambda: article.publish(by=approver)]
    return {
        "submitted": ([], lambda: article.submit(by=editor), editor),
        "returned": (
            in_review,
            lambda: article.return_to_draft(by=approver, comment="Die Zahlen im zweiten Absatz."),
            approver,
        ),
        "published": (in_review, lambda: article.publish(by=approver), approver),
        "scheduled": (
            in_review,
            lambda: article.publish(by=approver, at=timezone.now() + timedelta(days=2)),
            approver,
        ),
        "withdrawn": (
            published,
            lambda: article.withdraw(by=second_approver, reason="Falsche Zahlen."),
            second_approver,
        ),
    }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("submitted", {"approver", "second_approver"}),
        ("returned", {"editor", "co_author"}),
        ("published", {"editor", "co_author"}),
        ("scheduled", {"editor", "co_author"}),
        ("withdrawn", {"editor", "co_author"}),
    ],
)
def test_each_step_tells_the_right_people_once(
    kind, expected, steps, committed, delivered, request, administrator
):
    people = {
        name: request.getfixturevalue(name)
        for name in ["editor", "co_author", "approver", "second_approver"]
    }
    before, step, actor = steps[kind]
    for earlier in before:
        earlier()  # not committed: the fixtures' steps send nothing
    with committed():
        step()

    mails = delivered()

    assert set(mails) == {people[name].email for name in expected}
    assert all(len(messages) == 1 for messages in mails.values())
    assert actor.email not in mails
    assert administrator.email not in mails


def test_a_return_carries_the_comment_and_the_link_to_the_draft(
    article, editor, approver, committed, delivered, settings
):
    article.submit(by=editor)
    with committed():
        article.return_to_draft(by=approver, comment="Bitte die Zahlen im zweiten Absatz prüfen.")

    (message,) = delivered()[editor.email]

    assert "zurückgegeben" in message["Subject"]
    body = body_of(message)
    assert "Bitte die Zahlen im zweiten Absatz prüfen." in body
    assert admin_link(settings, "admin:press_article_change", article.pk) in body


def test_a_published_article_mail_links_the_public_page_a_scheduled_one_does_not(
    make_article, editor, approver, committed, delivered, settings
):
    now_public = make_article("in_review", title="Jetzt öffentlich")
    later = make_article("in_review", title="Später öffentlich")
    with committed():
        now_public.publish(by=approver)
        later.publish(by=approver, at=timezone.now() + timedelta(days=1))

    mails = {message["Subject"]: body_of(message) for message in delivered()[editor.email]}

    (public_body,) = [body for subject, body in mails.items() if "Jetzt öffentlich" in subject]
    (scheduled_body,) = [body for subject, body in mails.items() if "Später" in subject]
    assert settings.SITE_URL + now_public.get_absolute_url() in public_body
    assert later.slug not in scheduled_body
    assert admin_link(settings, "admin:press_article_change", later.pk) in scheduled_body


def test_the_person_who_took_the_step_is_not_told_even_as_an_author(
    article, editor, co_author, approver, committed, delivered
):
    article.authors.add(Author.objects.create(name="Peter Pressesprecher", user=approver))
    article.submit(by=editor)
    with committed():
        article.publish(by=approver)

    assert set(delivered()) == {editor.email, co_author.email}


def test_an_author_who_also_created_the_article_is_told_once(
    article, editor, approver, committed, delivered
):
    article.authors.add(Author.objects.create(name="Rita Redakteurin", user=editor))
    article.submit(by=editor)
    with committed():
        article.publish(by=approver)

    assert len(delivered()[editor.email]) == 1


def test_approvers_without_address_inactive_or_without_staff_access_are_not_told(
    article, editor, approver, committed, delivered
):
    User.objects.filter(pk=make_user("ohne_adresse", FREIGABE).pk).update(email="")
    make_user("ausgeschieden", FREIGABE, is_active=False)
    User.objects.filter(pk=make_user("kein_personal", FREIGABE).pk).update(is_staff=False)
    with committed():
        article.submit(by=editor)

    assert set(delivered()) == {approver.email}


def test_a_step_that_is_rolled_back_sends_nothing(article, editor, approver, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        article.submit(by=editor)
        raise RuntimeError("the request failed")
    assert not SentMail.objects.exists()


def test_a_switched_off_kind_is_not_sent_to_that_person(
    article, editor, co_author, approver, committed, delivered
):
    from notifications.models import NotificationPreference

    NotificationPreference.objects.create(user=editor, kind="returned", enabled=False)
    article.submit(by=editor)
    with committed():
        article.return_to_draft(by=approver, comment="Bitte kürzen.")

    assert set(delivered()) == {co_author.email}


def test_a_refused_notification_is_retried_and_then_delivered(
    article, editor, approver, committed, smtp_server, run_worker
):
    smtp_server.refuse(1)
    with committed():
        article.submit(by=editor)

    run_worker()
    assert smtp_server == []
    mail = SentMail.objects.get()
    assert mail.status == SentMail.Status.RETRYING
    assert mail.recipient_list == [approver.email]

    # A minute later, the retry is due.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()

    (message,) = smtp_server
    assert article.title in message["Subject"]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (SentMail.Status.SENT, 2)
