"""The admin in real Chromium with the demo content (issue 13, "An admin that ... fits its
screen"): the buttons above an article never cover its headline, at 1280 and at 360 px; the
article list shows all its columns at 1280 px with the menu and the filters open; the article
form loads CKEditor without a console error; the office's icon is shown."""

from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from demo.loader import load_demo
from press.models import Article
from tests.conftest import ensure_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1280, 360]


@pytest.fixture
def demo_site(live_server):
    ensure_roles()
    load_demo()
    return live_server


@pytest.fixture
def open_admin(demo_site, client, chromium):
    """open_admin(username, path, width): a Chromium page of that width, logged in, at
    `path`; page.problems collects console errors and warnings and uncaught exceptions."""
    contexts = []

    def open_page(username: str, path: str, width: int):
        client.force_login(User.objects.get(username=username))
        context = chromium.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": demo_site.url,
                }
            ]
        )
        page = context.new_page()
        page.problems = []
        page.on(
            "console",
            lambda message: (
                page.problems.append(f"{message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(f"exception: {error}"))
        page.goto(demo_site.url + path, wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


def box(locator) -> dict:
    return locator.bounding_box()


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def article_with_most_tools() -> Article:
    """A public article: Vorschau, Fassungen, Als Text, Als PDF, the workflow's steps,
    Geschichte and the public page."""
    return Article.objects.published().order_by("-publish_at").first()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", ["freigabe", "redaktion"])
def test_the_tools_above_an_article_never_cover_its_headline(open_admin, username, width):
    article = article_with_most_tools()
    page = open_admin(username, reverse("admin:press_article_change", args=[article.pk]), width)
    tools = page.locator("#content .object-tools li")
    assert tools.count() >= 5
    headlines = [page.locator("#content h1"), page.locator("#content h2").first]
    for headline in headlines:
        assert headline.is_visible()
    for n in range(tools.count()):
        tool = box(tools.nth(n))
        assert tool["x"] >= 0 and tool["x"] + tool["width"] <= width, tools.nth(n).inner_text()
        for headline in headlines:
            assert not overlap(tool, box(headline)), (
                f"{tools.nth(n).inner_text()!r} covers {headline.inner_text()!r} at {width} px"
            )


def test_the_article_list_shows_all_its_columns_at_1280_px(open_admin):
    page = open_admin("freigabe", reverse("admin:press_article_changelist"), 1280)
    assert page.locator("#nav-sidebar").is_visible(), "the menu is open by default"
    assert page.locator("#changelist-filter").is_visible()
    table = page.locator("#result_list")
    frame = page.locator("#changelist .results")
    assert table.evaluate("t => t.scrollWidth") <= frame.evaluate("f => f.clientWidth")
    right_edge = box(frame)["x"] + box(frame)["width"]
    headings = page.locator("#result_list thead th")
    assert headings.count() >= 6
    for n in range(headings.count()):
        heading = box(headings.nth(n))
        assert heading["x"] + heading["width"] <= right_edge + 1, headings.nth(n).inner_text()
    filters = box(page.locator("#changelist-filter"))
    assert not overlap(box(table), filters)


def test_the_article_form_loads_without_console_errors(open_admin):
    article = article_with_most_tools()
    page = open_admin("freigabe", reverse("admin:press_article_change", args=[article.pk]), 1280)
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    for _ in range(100):
        if page.evaluate("() => CKEDITOR.instances.id_body.status") == "ready":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => CKEDITOR.instances.id_body.status") == "ready"
    assert page.problems == []


def test_a_new_article_form_loads_without_console_errors(open_admin):
    page = open_admin("redaktion", reverse("admin:press_article_add"), 1280)
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    page.wait_for_timeout(300)
    assert page.problems == []


def test_the_admin_shows_the_offices_icon(open_admin):
    page = open_admin("redaktion", reverse("admin:index"), 1280)
    href = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200 and "<svg" in response.text()
