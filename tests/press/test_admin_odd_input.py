"""What staff can send the admin does not make it fail (issue 12, item 10): a value that is no
key, a date the time zone cannot hold, an unknown filter answer a form error, a redirect or
404, never 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from press.models import Article

NO_KEYS = ["abc", "-1x", "²", "99999999999999999999", "1.5", "\x00"]


def change_url(article: Article) -> str:
    return reverse("admin:press_article_change", args=[article.pk])


@pytest.mark.parametrize("value", NO_KEYS)
def test_restoring_a_revision_that_is_no_key_is_not_found(client, editor, draft_article, value):
    client.force_login(editor)
    url = reverse("admin:press_article_revisions", args=[draft_article.pk])
    response = client.post(url, {"revision": value, "change_note": "x"})
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.parametrize("value", NO_KEYS)
@pytest.mark.parametrize("field", ["lead_photo", "press_contact", "topics", "authors", "photos"])
def test_an_autocomplete_value_that_is_no_key_is_a_form_error(
    client, editor, draft_article, field, value
):
    client.force_login(editor)
    data = {
        "kind": draft_article.kind,
        "title": "Geänderter Titel",
        "lead": draft_article.lead,
        "body": draft_article.body,
        "loaded_version": draft_article.version,
        field: value,
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(draft_article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get(field)
    draft_article.refresh_from_db()
    assert draft_article.title != "Geänderter Titel"


@pytest.mark.parametrize("value", NO_KEYS)
@pytest.mark.parametrize("field", ["lead_photo", "topics", "press_contact"])
def test_an_add_form_prefilled_with_no_key_shows_nothing_selected(client, editor, field, value):
    client.force_login(editor)
    response = client.get(reverse("admin:press_article_add"), {field: value})
    assert response.status_code == 200
    assert "selected>" not in response.content.decode().split(f'name="{field}"', 1)[1][:500]


def test_a_quote_whose_spokesperson_is_no_key_is_a_form_error(client, editor, draft_article):
    client.force_login(editor)
    data = {
        "kind": draft_article.kind,
        "title": draft_article.title,
        "lead": draft_article.lead,
        "body": draft_article.body,
        "loaded_version": draft_article.version,
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-0-spokesperson": "abc",
        "quotes-0-text": "Ein Zitat.",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(draft_article), data)
    assert response.status_code == 200
    assert not draft_article.quotes.exists()


@pytest.mark.parametrize(
    "dates",
    [
        {"publish_at__year": "1"},
        {"publish_at__year": "0001", "publish_at__month": "1"},
        {"publish_at__year": "1", "publish_at__month": "1", "publish_at__day": "1"},
        {"publish_at__year": "9999", "publish_at__month": "12", "publish_at__day": "31"},
        {"publish_at__year": "9999", "publish_at__month": "12"},
        {"publish_at__year": "abc"},
        {"publish_at__year": "2024", "publish_at__month": "13"},
    ],
)
def test_a_date_the_list_cannot_filter_by_sends_it_back_unfiltered(
    client, approver, published_article, dates
):
    # Year 1 is a filter PostgreSQL can run (it stores year 0 in UTC), SQLite's driver cannot.
    client.force_login(approver)
    response = client.get(reverse("admin:press_article_changelist"), dates)
    if response.status_code == 200:
        assert dates.get("publish_at__year") in ("1", "0001")
    else:
        assert response.status_code == 302 and response["Location"].endswith("?e=1")


ODD_LIST_PARAMETERS = [
    {"p": "abc"},
    {"p": "99999999999999999999"},
    {"o": "abc"},
    {"o": "99.-99"},
    {"q": "\x00"},
    {"q": "-" * 40},
    {"status": "abc"},
    {"kind": "abc"},
    {"topics__id__exact": "abc"},
    {"authors__id__exact": "99999999999999999999"},
    {"id__in": "abc"},
    {"_to_field": "password"},
    {"zzz": "1"},
    {"all": "abc"},
]


@pytest.mark.parametrize("params", ODD_LIST_PARAMETERS)
def test_odd_list_parameters_never_fail_an_admin_list(client, db, params):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chefin", "chefin@example.org", "x"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, params)
        assert response.status_code in (200, 302, 400, 403, 404), f"{url} {params}"


@pytest.mark.parametrize("value", NO_KEYS)
@pytest.mark.parametrize(
    ("url_name", "field", "who"),
    [
        ("admin:press_author_add", "user", "administrator"),
        ("admin:press_spokesperson_add", "portrait", "editor"),
    ],
)
def test_catalogue_forms_prefilled_with_no_key_show_nothing_selected(
    client, request, url_name, field, who, value
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(url_name), {field: value})
    assert response.status_code == 200
