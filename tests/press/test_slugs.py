"""Slugs transliterate German, stay unique and freeze once an article has been public."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from press.models import Article, Topic
from press.text import german_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS",
            "koba-harz-praesentiert-sich-im-kooperationsausschuss-sgb-ii-beim-bmas",
        ),
        (
            "Größere Förderung für Bürgergeld-Empfänger",
            "groessere-foerderung-fuer-buergergeld-empfaenger",
        ),
        ("Straße, Maß & Fuß", "strasse-mass-fuss"),
        ("ÄÖÜ äöü", "aeoeue-aeoeue"),
        ("  Jobmesse 2026: „Chancen“ im Harz!  ", "jobmesse-2026-chancen-im-harz"),
    ],
)
def test_german_slugify_transliterates_umlauts_and_sharp_s(title, slug):
    assert german_slugify(title) == slug


def test_article_slug_comes_from_the_title(draft_article):
    assert draft_article.slug == "neue-foerderprogramme-im-landkreis-harz"


def test_a_second_article_with_the_same_title_gets_a_unique_slug(make_article):
    first = make_article("draft", title="Sprechzeiten zu Ostern")
    second = make_article("draft", title="Sprechzeiten zu Ostern")
    assert (first.slug, second.slug) == ("sprechzeiten-zu-ostern", "sprechzeiten-zu-ostern-2")


def test_slug_can_change_before_the_article_was_public(draft_article, editor):
    draft_article.slug = "neuer-kurzname"
    draft_article.edit(by=editor)
    draft_article.refresh_from_db()
    assert draft_article.slug == "neuer-kurzname"


def test_slug_of_a_scheduled_article_can_still_change(scheduled_article, approver):
    scheduled_article.slug = "anderer-kurzname"
    scheduled_article.edit(by=approver)
    assert Article.objects.get(pk=scheduled_article.pk).slug == "anderer-kurzname"


def test_slug_is_frozen_once_the_article_has_been_public(published_article, approver):
    original = published_article.slug
    published_article.slug = "ganz-anders"
    with pytest.raises(ValidationError):
        published_article.clean()
    with pytest.raises(ValidationError):
        published_article.edit(by=approver, change_note="Adresse geändert")
    assert Article.objects.get(pk=published_article.pk).slug == original


def test_slug_stays_frozen_after_withdrawal(withdrawn_article):
    withdrawn_article.slug = "ganz-anders"
    with pytest.raises(ValidationError):
        withdrawn_article.save()


def test_slug_freezes_when_the_embargo_has_passed(make_article):
    article = make_article("published", publish_at=timezone.now() - timedelta(seconds=1))
    article.slug = "neu"
    with pytest.raises(ValidationError):
        article.save()


def test_topic_slug_is_generated_with_transliteration(db):
    assert Topic.objects.create(name="Bürgergeld & Förderung").slug == "buergergeld-foerderung"
