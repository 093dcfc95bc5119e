"""Topics and spokespersons added in the admin get the server's German slug (press.text
german_slugify: ä → ae, ß → ss), not what Django's URLify.js would pre-fill (ä → a, ß dropped):
the admin pre-fills nothing and the model fills an empty slug."""

import pytest
from django.conf import settings

from press.models import Spokesperson, Topic


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Förderung für Ältere", "foerderung-fuer-aeltere"),
        ("Straße & Öffnungszeiten", "strasse-oeffnungszeiten"),
    ],
)
def test_a_topic_added_in_the_admin_gets_the_german_slug(client, approver, name, slug):
    client.force_login(approver)
    response = client.post("/admin/press/topic/add/", {"name": name, "slug": "", "description": ""})
    assert response.status_code == 302
    assert Topic.objects.get(name=name).slug == slug


def test_a_spokesperson_added_in_the_admin_gets_the_german_slug(client, approver):
    client.force_login(approver)
    response = client.post(
        "/admin/press/spokesperson/add/",
        {
            "name": "Jürgen Weiß",
            "slug": "",
            "function": "Sprecher",
            "organisation": "",
            "portrait": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Spokesperson.objects.get(name="Jürgen Weiß").slug == "juergen-weiss"


@pytest.mark.parametrize("model", ["topic", "spokesperson"])
def test_the_admin_does_not_prefill_a_slug_of_its_own(client, approver, model):
    client.force_login(approver)
    page = client.get(f"/admin/press/{model}/add/").content.decode()
    assert 'data-prepopulated-fields="[]"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("model", "name", "extra", "slug"),
    [
        ("topic", "Förderung für Ältere", {}, "foerderung-fuer-aeltere"),
        ("spokesperson", "Jürgen Weiß", {"#id_function": "Sprecher"}, "juergen-weiss"),
    ],
)
def test_typing_a_name_in_the_admin_gives_the_german_slug(
    live_server, client, chromium, approver, model, name, extra, slug
):
    client.force_login(approver)
    context = chromium.new_context(locale="de-DE")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/press/{model}/add/")
    page.locator("#id_name").press_sequentially(name)
    assert page.locator("#id_slug").input_value() == ""  # nothing pre-filled by URLify.js
    for selector, value in extra.items():
        page.fill(selector, value)
    page.locator("input[name=_save]").click()
    page.wait_for_url(f"{live_server.url}/admin/press/{model}/")
    context.close()
    model_class = Topic if model == "topic" else Spokesperson
    assert model_class.objects.get(name=name).slug == slug
