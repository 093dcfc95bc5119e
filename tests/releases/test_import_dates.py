"""Imports keep their dates (issue 11, item 3): the release date and the Sperrfrist that the
importer recognises stay on the draft, are shown, pre-fill the publish form, and an archive
release can be published with its original date by Freigabe."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from press.models import Article, ArticleEvent
from releases.importing import import_file
from tests.releases.admin_preview import upload_and_confirm

EMBARGOED = """Pressemitteilung vom 10.01.2027
Sperrfrist: 15. Januar 2027, 10 Uhr

Neue Beratungszeiten im Jobcenter Halberstadt

Ab Februar berät die KoBa Harz auch am Donnerstagabend.

Der Text der Mitteilung.
"""

ARCHIVED = """Pressemitteilung vom 14.03.2024

Jobmesse Harz: Mehr als 80 Arbeitgeber in Wernigerode

Am Samstag öffnet die Jobmesse Harz ihre Türen.

Der Text der Mitteilung.
"""


def workflow_url(article, action):
    return reverse("admin:press_article_workflow", args=[article.pk, action])


def test_the_admin_import_keeps_the_release_date_and_the_sperrfrist(client, editor, press_contact):
    client.force_login(editor)
    preview, confirmed = upload_and_confirm(
        client, [SimpleUploadedFile("sperre.txt", EMBARGOED.encode())]
    )
    page = confirmed.content.decode()
    assert "15. Januar 2027" in preview.text, "shown in the preview"
    article = Article.objects.get()
    berlin = timezone.get_current_timezone()
    assert article.state == Article.State.DRAFT
    assert article.release_date == date(2027, 1, 10)
    assert article.publish_at == datetime(2027, 1, 15, 10, 0, tzinfo=berlin)
    assert "Sperrfrist" in page and "15. Januar 2027" in page, "shown in the import result"
    change = client.get(reverse("admin:press_article_change", args=[article.pk])).content
    assert "10. Januar 2027" in change.decode(), "shown on the article"


def test_the_publish_form_starts_from_the_imported_sperrfrist(
    client, editor, approver, press_contact
):
    outcome = import_file("sperre.txt", EMBARGOED.encode(), user=editor)
    article = outcome.article
    article.submit(by=editor)
    client.force_login(approver)
    page = client.get(workflow_url(article, "publish")).content.decode()
    assert 'value="2027-01-15T10:00"' in page


def test_an_archive_release_is_published_with_its_original_date_by_freigabe(
    client, editor, approver, press_contact
):
    article = import_file("archiv.txt", ARCHIVED.encode(), user=editor).article
    article.submit(by=editor)
    client.force_login(approver)
    page = client.get(workflow_url(article, "publish_with_original_date")).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    response = client.post(
        workflow_url(article, "publish_with_original_date"), {"comment": "", "version": version}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_public()
    assert timezone.localdate(article.publish_at) == date(2024, 3, 14)
    event = article.events.first()
    assert event.action == ArticleEvent.Action.PUBLISHED and event.by == approver
    assert "Originaldatum" in event.comment


def test_publishing_with_the_original_date_needs_an_imported_date(approver, in_review_article):
    from press.workflow import WorkflowError

    assert "publish_with_original_date" not in in_review_article.allowed_actions(approver)
    with pytest.raises(WorkflowError):
        in_review_article.publish_with_original_date(by=approver)


def test_the_original_date_step_keeps_the_four_eyes_rule(editor, approver, press_contact):
    from press.workflow import FourEyesViolation

    article = import_file("archiv.txt", ARCHIVED.encode(), user=approver).article
    article.submit(by=approver)
    with pytest.raises(FourEyesViolation):
        article.publish_with_original_date(by=approver)
    assert not Article.objects.published().exists()


def test_a_draft_with_a_proposed_sperrfrist_is_not_public(editor, press_contact):
    article = import_file("sperre.txt", EMBARGOED.encode(), user=editor).article
    assert not Article.objects.published(now=article.publish_at + timedelta(days=1)).exists()
