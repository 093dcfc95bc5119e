"""Every change to an article is kept as a revision with author and time, viewable and
restorable in the admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from press.models import Article, ArticleEvent, WorkflowError


def test_every_save_through_the_workflow_leaves_a_revision_with_author_and_reason(
    published_article, editor, approver
):
    revisions = list(published_article.history.order_by("history_id"))
    assert [revision.history_change_reason for revision in revisions] == [
        ArticleEvent.Action.CREATED,
        ArticleEvent.Action.SUBMITTED,
        ArticleEvent.Action.PUBLISHED,
    ]
    assert [revision.history_user for revision in revisions] == [editor, editor, approver]
    assert revisions[-1].state == Article.State.PUBLISHED


def test_a_correction_keeps_the_old_text_in_the_history(published_article, approver):
    published_article.lead = "Neuer Vorspann."
    published_article.edit(by=approver, change_note="Vorspann berichtigt.")
    after, before = list(published_article.history.order_by("-history_id"))[:2]
    assert before.lead == "Kurzer Vorspann." and after.lead == "Neuer Vorspann."
    assert after.history_user == approver


def test_restoring_a_revision_is_a_correction_under_the_workflows_rules(
    published_article, approver, editor
):
    original = published_article.history.order_by("history_id").first()
    published_article.title = "Falsche Überschrift"
    published_article.edit(by=approver, change_note="Überschrift geändert.")
    with pytest.raises(WorkflowError):
        published_article.restore(original, by=approver)  # a public article needs a note
    with pytest.raises(PermissionDenied):
        published_article.restore(original, by=editor, change_note="Zurück.")
    published_article.refresh_from_db()
    published_article.restore(original, by=approver, change_note="Überschrift wie zuvor.")
    published_article.refresh_from_db()
    assert published_article.title == original.title != "Falsche Überschrift"
    assert published_article.change_note == "Überschrift wie zuvor."
    assert published_article.history.count() == 5  # nothing rewritten, one more revision


def test_revisions_page_lists_changes_and_restores_in_the_admin(client, draft_article, editor):
    draft_article.title = "Zweite Überschrift"
    draft_article.edit(by=editor)
    client.force_login(editor)
    url = reverse("admin:press_article_revisions", args=[draft_article.pk])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Zweite Überschrift" in content and "Neue Förderprogramme" in content
    assert "Überschrift" in content  # the changed field is named
    first = draft_article.history.order_by("history_id").first()
    response = client.post(url, {"revision": first.history_id})
    assert response.status_code == 302
    draft_article.refresh_from_db()
    assert draft_article.title == "Neue Förderprogramme im Landkreis Harz"


def test_revisions_page_refuses_outsiders(client, draft_article, outsider):
    client.force_login(outsider)
    url = reverse("admin:press_article_revisions", args=[draft_article.pk])
    assert client.get(url).status_code == 403
    first = draft_article.history.first()
    assert client.post(url, {"revision": first.history_id}).status_code == 403


def test_deleting_an_article_keeps_its_history(published_article, administrator):
    pk = published_article.pk
    published_article.delete_by(administrator)
    assert Article.history.filter(id=pk).exists()


def test_restoring_a_revision_whose_lead_photo_was_deleted_leaves_it_empty(
    client, draft_article, editor, approver, make_photo
):
    photo = make_photo()
    draft_article.lead_photo = photo
    draft_article.edit(by=editor)
    with_photo = draft_article.history.order_by("-history_id").first()
    draft_article.lead_photo = None
    draft_article.edit(by=editor)
    photo.delete()
    client.force_login(editor)
    response = client.post(
        reverse("admin:press_article_revisions", args=[draft_article.pk]),
        {"revision": with_photo.history_id},
        follow=True,
    )
    assert response.status_code == 200
    assert "Das Aufmacherfoto dieser Fassung gibt es nicht mehr" in response.content.decode()
    draft_article.refresh_from_db()
    assert draft_article.lead_photo is None
    assert draft_article.events.first().action == ArticleEvent.Action.RESTORED
