"""A public photo's renditions are kept by the page cache like a page (issue 17: at the release
minute the article's photo is requested as often as its page), and never outlive the rule that
makes them public."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def get(client, url: str):
    """(response, number of SQL queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.fixture
def shown_photo(make_article, make_photo):
    photo = make_photo(width=1200, height=800, caption="Die Jobmesse", credit="KoBa Harz")
    article = make_article("published", title="Jobmesse im Landkreis", lead_photo=photo)
    return article, photo, photo.file_url(photo.renditions[0])


def test_a_public_rendition_is_answered_from_the_cache_without_sql(client, shown_photo):
    _, _, url = shown_photo
    first, queries = get(client, url)
    assert first.status_code == 200 and queries > 0
    assert not first.streaming
    second, queries = get(client, url)
    assert queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"]


def test_a_withdrawn_articles_photo_is_gone_at_once_though_it_was_cached(
    client, shown_photo, approver
):
    article, _, url = shown_photo
    get(client, url)
    assert get(client, url)[1] == 0  # cached
    article.withdraw(by=approver, reason="Falsche Angaben.")
    assert client.get(url).status_code == 404


def test_staff_previews_of_a_hidden_photo_are_never_kept_for_the_public(client, make_photo, editor):
    photo = make_photo(width=1200, height=800, caption="Noch nicht frei", credit="KoBa Harz")
    url = photo.file_url(photo.renditions[0])
    staff = Client()
    assert staff.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert staff.get(url).status_code == 200
    assert set(staff.get(url)["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert client.get(url).status_code == 404
