"""Approval is of a revision (issue 11): what goes public is exactly what an approver reviewed,
and a correction is asked for only when the public would see a change."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Article, ArticleEvent, Quote
from press.workflow import FourEyesViolation, WorkflowError
from tests.forms import form_data


def change_url(article):
    return reverse("admin:press_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:press_article_workflow", args=[article.pk, "publish"])


def reviewed_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


# --- the approver publishes what they saw --------------------------------------------------


def test_a_change_while_the_approver_reviews_refuses_the_publication(
    client, editor, approver, in_review_article
):
    client.force_login(approver)
    seen = reviewed_version(client.get(review_url(in_review_article)).content.decode())

    in_review_article.body = "<p>Ungeprüfter Text mit [Link folgt].</p>"
    in_review_article.edit(by=editor)

    response = client.post(review_url(in_review_article), {"comment": "", "version": seen})
    page = response.content.decode()
    assert response.status_code == 200
    assert "geändert, seit Sie ihn zur Prüfung geöffnet haben" in page
    assert not Article.objects.published().exists()
    # The page now shows the new text and carries the new version: approving it is a choice.
    assert "Ungeprüfter" in page and "<ins>" in page
    assert reviewed_version(page) == str(Article.objects.get(pk=in_review_article.pk).version)
    response = client.post(
        review_url(in_review_article), {"comment": "", "version": reviewed_version(page)}
    )
    assert response.status_code == 302
    assert Article.objects.published().get().body == "<p>Ungeprüfter Text mit [Link folgt].</p>"


def test_a_publish_form_without_the_reviewed_version_publishes_nothing(
    client, approver, in_review_article
):
    client.force_login(approver)
    response = client.post(review_url(in_review_article), {"comment": ""})
    assert response.status_code == 200
    assert not Article.objects.published().exists()


def test_publish_with_a_stale_version_is_refused_by_the_model(editor, approver, in_review_article):
    seen = in_review_article.version
    in_review_article.title = "Geänderte Überschrift"
    in_review_article.edit(by=editor)
    with pytest.raises(WorkflowError):
        in_review_article.publish(by=approver, version=seen)
    assert Article.objects.get(pk=in_review_article.pk).state == Article.State.IN_REVIEW


def test_an_old_copy_of_the_article_cannot_publish_over_a_newer_edit(
    editor, approver, in_review_article
):
    approvers_copy = Article.objects.get(pk=in_review_article.pk)
    in_review_article.body = "<p>Neuer, ungeprüfter Text.</p>"
    in_review_article.edit(by=editor)
    with pytest.raises(Exception):  # noqa: B017 - ConcurrentEditError, whatever its base
        approvers_copy.publish(by=approver)
    assert not Article.objects.published().exists()


def test_the_review_page_of_a_new_article_shows_all_of_it_escaped(
    client, approver, second_approver
):
    fresh = Article(title="Neu <b>fett</b>", lead="Vorspann", body="<p>Eins zwei drei</p>")
    fresh.edit(by=approver)
    fresh.submit(by=approver)
    client.force_login(second_approver)
    page = client.get(review_url(fresh)).content.decode()
    assert "noch nie freigegeben" in page
    assert "<ins>Neu &lt;b&gt;fett&lt;/b&gt;</ins>" in page
    assert "<b>fett</b>" not in page


def test_the_review_page_shows_word_changes_since_the_last_approval(
    client, editor, approver, second_approver, scheduled_article
):
    scheduled_article.lead = "Kurzer, berichtigter Vorspann."
    scheduled_article.edit(by=editor)
    client.force_login(second_approver)
    page = client.get(review_url(scheduled_article)).content.decode()
    assert "seit der letzten Freigabe" in page
    assert "Kurzer<ins>, berichtigter</ins> Vorspann." in page
    assert "Überschrift</th>" not in page, "unchanged fields are not listed"


# --- after approval, a change goes back to review -------------------------------------------


def test_editing_a_scheduled_article_takes_it_back_to_review(editor, scheduled_article):
    sperrfrist = scheduled_article.publish_at
    scheduled_article.body = "<p>Nach der Freigabe geändert.</p>"
    scheduled_article.edit(by=editor)
    scheduled_article.refresh_from_db()
    assert scheduled_article.state == Article.State.IN_REVIEW
    assert scheduled_article.publish_at == sperrfrist, "kept as the proposed Sperrfrist"
    assert scheduled_article.events.first().action == ArticleEvent.Action.REOPENED
    # At and after the Sperrfrist it is not public: it was not approved in this form.
    assert not Article.objects.published(now=sperrfrist + timedelta(minutes=1)).exists()


def test_a_save_of_a_scheduled_article_that_changes_nothing_keeps_the_approval(
    editor, scheduled_article
):
    scheduled_article.body = scheduled_article.body.replace("</p>", "</p>\n\n")
    scheduled_article.edit(by=editor)
    assert Article.objects.get(pk=scheduled_article.pk).is_scheduled()


def test_editing_a_scheduled_article_in_the_admin_says_it_is_back_in_review(
    client, editor, scheduled_article
):
    client.force_login(editor)
    data = form_data(client.get(change_url(scheduled_article)).content.decode(), "article_form")
    data["title"] = ["Sperrfrist: Neue Zahlen, korrigiert"]
    response = client.post(change_url(scheduled_article), data, follow=True)
    assert "muss erneut freigegeben werden" in response.content.decode()
    assert Article.objects.get(pk=scheduled_article.pk).state == Article.State.IN_REVIEW


def test_proposed_sperrfrist_is_the_default_of_the_publish_form(
    client, editor, approver, second_approver, scheduled_article
):
    sperrfrist = timezone.localtime(scheduled_article.publish_at)
    scheduled_article.title = "Geändert nach Freigabe"
    scheduled_article.edit(by=editor)
    client.force_login(second_approver)
    page = client.get(review_url(scheduled_article)).content.decode()
    assert f'value="{sperrfrist:%Y-%m-%dT%H:%M}"' in page


# --- four eyes: everyone who changed the content since the last approval -------------------


def test_an_approver_who_changed_the_text_in_review_cannot_publish_it(
    editor, approver, second_approver, in_review_article
):
    in_review_article.lead = "Vom Freigeber umgeschrieben."
    in_review_article.edit(by=approver)
    in_review_article.body = "<p>Danach von der Redaktion ergänzt.</p>"
    in_review_article.edit(by=editor)
    with pytest.raises(FourEyesViolation):
        in_review_article.publish(by=approver)
    in_review_article.publish(by=second_approver)
    assert in_review_article.is_public()


def test_changes_before_the_last_approval_do_not_bar_an_approver(
    editor, approver, second_approver, make_article
):
    article = make_article("in_review", title="Zweimal geprüft")
    article.title = "Zweimal geprüft, vom Freigeber verbessert"
    article.edit(by=approver)
    article.publish(by=second_approver, at=timezone.now() + timedelta(days=1))
    article.return_to_draft(by=second_approver, comment="Bitte Datum ergänzen.")
    article.lead = "Mit Datum."
    article.edit(by=editor)
    article.submit(by=editor)
    assert article.editor_ids() == {editor.pk}
    article.publish(by=approver)
    assert article.is_public()


# --- corrections only for what the public sees ----------------------------------------------


def test_an_unchanged_save_of_a_public_article_needs_no_correction_note(
    client, approver, published_article
):
    client.force_login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    # What CKEditor sends back: the same paragraphs, re-serialised.
    data["body"] = [published_article.body.replace("<p>", "\n<p>").replace("</p>", "</p>\n\n")]
    response = client.post(change_url(published_article), data)
    assert response.status_code == 302
    published_article.refresh_from_db()
    assert published_article.corrected_at is None and published_article.change_note == ""
    assert not published_article.events.filter(action=ArticleEvent.Action.CORRECTED).exists()


def test_adding_a_topic_to_a_public_article_is_no_public_correction(
    client, approver, published_article
):
    from press.models import Topic

    extra = Topic.objects.create(name="Ausbildung")
    client.force_login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    data["topics"] = [*data["topics"], str(extra.pk)]
    response = client.post(change_url(published_article), data)
    assert response.status_code == 302
    published_article.refresh_from_db()
    assert extra in published_article.topics.all()
    assert published_article.corrected_at is None
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Aktualisiert am" not in page


def test_changing_a_quote_of_a_public_article_needs_a_note(
    client, approver, published_article, spokesperson
):
    Quote.objects.create(article=published_article, spokesperson=spokesperson, text="Alt.")
    client.force_login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    data["quotes-0-text"] = ["Neu und anders."]
    response = client.post(change_url(published_article), data)
    assert response.status_code == 200, "refused without a note"
    assert Quote.objects.get().text == "Alt."
    data["correction_note"] = ["Zitat berichtigt."]
    assert client.post(change_url(published_article), data).status_code == 302
    assert Quote.objects.get().text == "Neu und anders."
    assert published_article.events.first().action == ArticleEvent.Action.CORRECTED


def test_every_correction_stays_on_the_article_page_newest_first(
    client, approver, published_article
):
    published_article.lead = "Erste Berichtigung."
    published_article.edit(by=approver, change_note="Zahl im Vorspann berichtigt.")
    published_article.title = published_article.title + " (ergänzt)"
    published_article.edit(by=approver, change_note="Überschrift ergänzt.")
    page = client.get(published_article.get_absolute_url()).content.decode()
    first, second = page.find("Zahl im Vorspann berichtigt."), page.find("Überschrift ergänzt.")
    assert first != -1 and second != -1, "both notes are public"
    assert second < first, "newest first"


def test_the_revisions_page_lists_only_fields_that_really_changed(
    client, approver, published_article
):
    published_article.body = published_article.body.replace("</p>", "</p>\n\n")
    published_article.lead = "Neuer Vorspann."
    published_article.edit(by=approver, change_note="Vorspann berichtigt.")
    client.force_login(approver)
    page = client.get(
        reverse("admin:press_article_revisions", args=[published_article.pk])
    ).content.decode()
    newest_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Vorspann" in newest_row
    assert ">Text<" not in newest_row and "Text," not in newest_row


def test_restoring_records_which_revision_was_restored(editor, draft_article):
    first = draft_article.history.order_by("history_id").first()
    draft_article.title = "Zwischenstand"
    draft_article.edit(by=editor)
    draft_article.restore(first, by=editor)
    event = draft_article.events.first()
    assert event.action == ArticleEvent.Action.RESTORED
    assert event.comment.startswith("Fassung vom ")
    assert Article.objects.get(pk=draft_article.pk).title == first.title


def test_any_two_revisions_can_be_compared_word_by_word(client, editor, draft_article):
    first = draft_article.history.order_by("history_id").first()
    draft_article.title = "Neue <em>Förderprogramme</em> im Landkreis Harz 2027"
    draft_article.edit(by=editor)
    newest = draft_article.history.order_by("-history_id").first()
    client.force_login(editor)
    url = reverse("admin:press_article_revisions", args=[draft_article.pk])
    page = client.get(url, {"a": newest.history_id, "b": first.history_id}).content.decode()
    assert "Vergleich der Fassungen" in page
    assert "<ins>2027</ins>" in page or "<ins> 2027</ins>" in page
    assert "&lt;em&gt;" in page, "rendered escaped"


@pytest.mark.parametrize("query", [{"a": "abc", "b": "1"}, {"a": "999999", "b": "1"}, {"b": ""}])
def test_comparing_unknown_revisions_is_not_found(client, editor, draft_article, query):
    client.force_login(editor)
    url = reverse("admin:press_article_revisions", args=[draft_article.pk])
    assert client.get(url, query).status_code == 404


# --- shared content: photos and spokespersons ------------------------------------------------


def photo_change_url(photo):
    return reverse("admin:press_photo_change", args=[photo.pk])


def photo_form(client, photo) -> dict:
    data = form_data(client.get(photo_change_url(photo)).content.decode(), "photo_form")
    data.pop("image", None)  # no new file: the stored one stays
    return data


def test_redaktion_cannot_change_the_lead_photo_caption_of_a_public_article(
    client, editor, approver, published_article, make_photo
):
    photo = make_photo()
    published_article.lead_photo = photo
    published_article.edit(by=approver, change_note="Foto ergänzt.")
    client.force_login(editor)
    data = photo_form(client, photo)
    data["caption"] = ["Falsche Person"]
    response = client.post(photo_change_url(photo), data)
    assert response.status_code in (200, 403)
    photo.refresh_from_db()
    assert photo.caption != "Falsche Person"
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Falsche Person" not in page


def test_freigabe_changes_a_shared_photo_as_a_correction_of_each_public_article(
    client, approver, published_article, make_photo
):
    photo = make_photo()
    published_article.lead_photo = photo
    published_article.edit(by=approver, change_note="Foto ergänzt.")
    client.force_login(approver)
    data = photo_form(client, photo)
    data["caption"] = ["Claudia Langer (links) mit Gästen"]
    assert client.post(photo_change_url(photo), data).status_code == 200, "a note is required"
    data["correction_note"] = ["Bildunterschrift berichtigt."]
    assert client.post(photo_change_url(photo), data).status_code == 302
    published_article.refresh_from_db()
    event = published_article.events.first()
    assert (event.action, event.comment, event.by) == (
        ArticleEvent.Action.CORRECTED,
        "Bildunterschrift berichtigt.",
        approver,
    )
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Bildunterschrift berichtigt." in page and "mit Gästen" in page


def test_a_shared_photo_change_takes_a_scheduled_article_back_to_review(
    editor, scheduled_article, make_photo
):
    from press.models.usage import edit_shared

    photo = make_photo()
    scheduled_article.photos.add(photo)
    photo.credit = "Unbekannt"
    edit_shared(photo, by=editor)
    scheduled_article.refresh_from_db()
    assert scheduled_article.state == Article.State.IN_REVIEW
    assert scheduled_article.events.first().action == ArticleEvent.Action.REOPENED


def test_a_photo_of_a_public_article_cannot_be_deleted(
    client, administrator, approver, published_article, make_photo
):
    photo = make_photo()
    published_article.photos.add(photo)
    client.force_login(approver)
    url = reverse("admin:press_photo_delete", args=[photo.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert published_article.photos.filter(pk=photo.pk).exists()


def test_renaming_a_quoted_spokesperson_is_a_correction_and_the_quoted_function_stays(
    client, editor, approver, quote
):
    spokesperson, article = quote.spokesperson, quote.article
    function = quote.function
    url = reverse("admin:press_spokesperson_change", args=[spokesperson.pk])
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "spokesperson_form")
    data["name"] = ["Claudia Langer-Schmidt"]
    client.post(url, data)
    spokesperson.refresh_from_db()
    assert spokesperson.name != "Claudia Langer-Schmidt", "Redaktion may not change it"

    client.force_login(approver)
    data["function"] = ["Landrätin"]
    data["correction_note"] = ["Name nach Heirat geändert."]
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.events.first().comment == "Name nach Heirat geändert."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Claudia Langer-Schmidt" in page
    assert function in page and "Landrätin" not in page


def test_a_photo_nobody_publishes_changes_freely(client, editor, make_photo):
    photo = make_photo()
    client.force_login(editor)
    data = photo_form(client, photo)
    data["caption"] = ["Neue Unterschrift"]
    assert client.post(photo_change_url(photo), data).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Neue Unterschrift"
