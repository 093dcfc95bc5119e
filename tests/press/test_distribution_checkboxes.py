"""The approver's choices to tell the distribution list (issue 14), as the press core keeps
them: "vorab unter Sperrfrist versenden" when scheduling, "Korrektur an den Verteiler senden"
when correcting, "Rücknahme an den Verteiler melden" when withdrawing — each on the step's own
history entry (`ArticleEvent.notify_distribution_list`), unticked by default."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Article, ArticleEvent, WorkflowError
from tests.forms import form_data


def workflow_url(article, action):
    return reverse("admin:press_article_workflow", args=[article.pk, action])


def change_url(article):
    return reverse("admin:press_article_change", args=[article.pk])


def in_an_hour() -> str:
    return f"{timezone.localtime() + timedelta(hours=1):%Y-%m-%dT%H:%M}"


def latest_event(article) -> ArticleEvent:
    return article.events.order_by("-at", "-id").first()


def test_scheduling_with_advance_copies_is_kept_on_the_scheduled_entry(
    client, approver, in_review_article
):
    client.force_login(approver)
    page = client.get(workflow_url(in_review_article, "publish")).content.decode()
    assert "vorab unter Sperrfrist versenden" in page
    data = form_data(page)
    data.update(publish_at=in_an_hour(), notify_distribution_list="on")

    response = client.post(workflow_url(in_review_article, "publish"), data)

    assert response.status_code == 302
    event = latest_event(in_review_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.SCHEDULED, True)


def test_scheduling_without_ticking_sends_nothing_in_advance(client, approver, in_review_article):
    client.force_login(approver)
    data = form_data(client.get(workflow_url(in_review_article, "publish")).content.decode())
    data.update(publish_at=in_an_hour())
    assert client.post(workflow_url(in_review_article, "publish"), data).status_code == 302
    event = latest_event(in_review_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.SCHEDULED, False)


def test_advance_copies_without_a_sperrfrist_are_refused_with_a_sentence(
    client, approver, in_review_article
):
    client.force_login(approver)
    data = form_data(client.get(workflow_url(in_review_article, "publish")).content.decode())
    data.update(notify_distribution_list="on")

    response = client.post(workflow_url(in_review_article, "publish"), data)

    assert response.status_code == 200
    assert "nur für einen Artikel mit Sperrfrist" in response.content.decode()
    in_review_article.refresh_from_db()
    assert in_review_article.state == Article.State.IN_REVIEW


def test_the_model_refuses_advance_copies_of_an_immediate_publication(approver, in_review_article):
    with pytest.raises(WorkflowError, match="Sperrfrist"):
        in_review_article.publish(by=approver, advance_copies=True)
    in_review_article.refresh_from_db()
    assert in_review_article.state == Article.State.IN_REVIEW
    assert not in_review_article.events.filter(notify_distribution_list=True).exists()


def test_withdrawal_can_be_reported_to_the_list(client, approver, published_article):
    client.force_login(approver)
    page = client.get(workflow_url(published_article, "withdraw")).content.decode()
    assert "Rücknahme an den Verteiler melden" in page
    response = client.post(
        workflow_url(published_article, "withdraw"),
        {"comment": "Termin abgesagt.", "notify_distribution_list": "on"},
    )
    assert response.status_code == 302
    event = latest_event(published_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.WITHDRAWN, True)


def test_a_withdrawal_is_not_reported_unless_ticked(client, approver, published_article):
    client.force_login(approver)
    client.post(workflow_url(published_article, "withdraw"), {"comment": "Termin abgesagt."})
    event = latest_event(published_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.WITHDRAWN, False)


def test_other_steps_offer_no_distribution_choice(client, approver, editor, draft_article):
    client.force_login(editor)
    page = client.get(workflow_url(draft_article, "submit")).content.decode()
    assert "notify_distribution_list" not in page


def test_a_correction_can_be_sent_to_the_list(client, approver, published_article):
    client.force_login(approver)
    page = client.get(change_url(published_article)).content.decode()
    assert "Korrektur an den Verteiler senden" in page
    data = form_data(page, "article_form")
    data.update(
        lead=["Berichtigter Vorspann."],
        correction_note=["Zahl im Vorspann berichtigt."],
        notify_distribution_list=["on"],
    )

    assert client.post(change_url(published_article), data).status_code == 302

    event = latest_event(published_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.CORRECTED, True)
    assert event.comment == "Zahl im Vorspann berichtigt."


def test_a_correction_is_not_sent_unless_ticked(client, approver, published_article):
    client.force_login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    data.update(lead=["Berichtigter Vorspann."], correction_note=["Berichtigt."])
    assert client.post(change_url(published_article), data).status_code == 302
    event = latest_event(published_article)
    assert (event.action, event.notify_distribution_list) == (ArticleEvent.Action.CORRECTED, False)


def test_ticking_alone_is_no_correction(client, approver, published_article):
    client.force_login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    data.update(notify_distribution_list=["on"])
    assert client.post(change_url(published_article), data).status_code == 302
    assert not published_article.events.filter(action=ArticleEvent.Action.CORRECTED).exists()
    assert not published_article.events.filter(notify_distribution_list=True).exists()


def test_an_article_that_was_never_public_offers_no_correction_mail(client, editor, draft_article):
    client.force_login(editor)
    page = client.get(change_url(draft_article)).content.decode()
    assert "Korrektur an den Verteiler senden" not in page
