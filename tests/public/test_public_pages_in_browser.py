"""The public pages in real Chromium (Debian's package) with the demo content: axe-core finds no
WCAG 2.1 AA violation, nothing is requested from another host, the pages work at 360 px and by
keyboard, and the strict Content-Security-Policy breaks nothing."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from demo.loader import load_demo
from press.models import Article, Spokesperson, Topic
from tests.conftest import ensure_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo_site(live_server):
    ensure_roles()
    load_demo()
    return live_server


@pytest.fixture
def public_pages(demo_site):
    """Name → path of every kind of public page, taken from the demo content."""
    article = Article.objects.published().filter(lead_photo__isnull=False).latest("publish_at")
    topic = Topic.objects.with_public_articles().first()
    spokesperson = Spokesperson.objects.with_public_articles().first()
    return {
        "start": reverse("press:index"),
        "article": article.get_absolute_url(),
        "search results": reverse("press:search") + "?q=Jobcenter",
        "search without hits": reverse("press:search") + "?q=Quastenflosser",
        "topic": topic.get_absolute_url(),
        "spokesperson": spokesperson.get_absolute_url(),
        "year": reverse("press:year", kwargs={"year": article.publish_at.year}),
        "topics": reverse("press:topics"),
        "contacts": reverse("press:contacts"),
        "legal page": reverse("press:legal", args=["barrierefreiheit"]),
        "404": "/gibt-es-nicht/",
    }


@pytest.fixture
def context(chromium):
    context = chromium.new_context(locale="de-DE")
    yield context
    context.close()


def visit(context, url: str):
    """Open url and record every request the page makes and every script error."""
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    response = page.goto(url, wait_until="networkidle")
    page.status = response.status
    return page


def test_public_pages_have_no_wcag_21_aa_violations(demo_site, public_pages, chromium):
    # axe-core is injected as a script, which the site's own policy forbids, rightly.
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    failures = {}
    for name, path in public_pages.items():
        page = visit(context, demo_site.url + path)
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures[name] = results.generate_report()
        page.close()
    context.close()
    assert not failures, "\n\n".join(
        f"{name} ({public_pages[name]}):\n{report}" for name, report in failures.items()
    )


def test_public_pages_request_nothing_from_another_host_and_break_no_policy(
    demo_site, public_pages, context
):
    """With the Content-Security-Policy enforced: every request goes to our own server, no
    script error and no policy violation is reported."""
    own_host = urlsplit(demo_site.url).netloc
    for name, path in public_pages.items():
        page = visit(context, demo_site.url + path)
        assert page.status == (404 if name == "404" else 200), name
        foreign = [url for url in page.requests if urlsplit(url).netloc != own_host]
        assert not foreign, f"{name}: {foreign}"
        assert len(page.requests) > 1, f"{name}: the stylesheet was not even requested"
        # The browser's own favicon probe is the only error a page may cause.
        errors = [text for text in page.errors if "favicon" not in text and "404" not in text]
        assert not errors, f"{name}: {errors}"
        page.close()


def test_pages_are_german_with_landmarks(demo_site, public_pages, context):
    for name, path in public_pages.items():
        page = visit(context, demo_site.url + path)
        assert page.get_attribute("html", "lang") == "de", name
        for landmark in ["header", "nav", "main#main", "footer", "h1"]:
            assert page.locator(landmark).count() >= 1, f"{name}: no {landmark}"
        assert page.locator("main").count() == 1, name
        page.close()


def in_view(box: dict | None) -> bool:
    return bool(box) and box["x"] + box["width"] > 0 and box["y"] + box["height"] > 0


def test_skip_link_is_the_first_stop_is_visible_on_focus_and_leads_to_the_content(
    demo_site, public_pages, context
):
    page = visit(context, demo_site.url + public_pages["article"])
    skip_link = page.locator("a.skip-link")
    assert not in_view(skip_link.bounding_box()), "the skip link shows before anyone needs it"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert in_view(skip_link.bounding_box())
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def focus_indicator(page) -> dict:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow};
        }"""
    )


def test_keyboard_focus_is_visible_on_links_inputs_and_buttons(demo_site, public_pages, context):
    page = visit(context, demo_site.url + public_pages["start"])
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        tag = page.evaluate("() => document.activeElement.tagName")
        indicator = focus_indicator(page)
        visible = (indicator["outline"] != "none" and indicator["width"] >= 2) or (
            indicator["shadow"] != "none"
        )
        assert visible, f"focus on a {tag} is invisible: {indicator}"
        seen.add(tag)
    assert {"A", "INPUT", "BUTTON"} <= seen


@pytest.mark.parametrize("name", ["start", "article", "search results", "contacts", "404"])
def test_pages_fit_a_360_pixel_wide_phone(demo_site, public_pages, chromium, name):
    context = chromium.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    page = visit(context, demo_site.url + public_pages[name])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    context.close()
