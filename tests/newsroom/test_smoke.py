import pytest

from press.models import Article


@pytest.mark.django_db
def test_published_article_fixture_is_public(published_article, draft_article):
    assert list(Article.objects.published()) == [published_article]
