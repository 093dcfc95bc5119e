"""No lost update: of two edits from the same version, the second is refused."""

import pytest

from press.models import Article, ConcurrentEditError


def test_second_save_from_a_stale_copy_is_refused(draft_article, editor, second_editor):
    mine = Article.objects.get(pk=draft_article.pk)
    theirs = Article.objects.get(pk=draft_article.pk)

    theirs.title = "Ihre Überschrift"
    theirs.edit(by=second_editor)

    mine.title = "Meine Überschrift"
    with pytest.raises(ConcurrentEditError):
        mine.edit(by=editor)

    stored = Article.objects.get(pk=draft_article.pk)
    assert stored.title == "Ihre Überschrift"
    assert stored.events.filter(action="edited").count() == 1


def test_a_transition_in_between_makes_an_open_edit_stale(in_review_article, editor, approver):
    open_in_editor = Article.objects.get(pk=in_review_article.pk)
    in_review_article.publish(by=approver)
    open_in_editor.title = "Zu spät"
    with pytest.raises(ConcurrentEditError):
        open_in_editor.save()
    assert Article.objects.get(pk=in_review_article.pk).title != "Zu spät"


def test_saves_in_sequence_from_fresh_copies_succeed(draft_article, editor):
    for number in range(3):
        article = Article.objects.get(pk=draft_article.pk)
        article.lead = f"Fassung {number}"
        article.edit(by=editor)
    stored = Article.objects.get(pk=draft_article.pk)
    assert stored.lead == "Fassung 2"
    assert stored.version == draft_article.version + 3
