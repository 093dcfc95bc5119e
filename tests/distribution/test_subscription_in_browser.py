"""The subscription pages in real Chromium: a journalist subscribes, confirms, changes the
choices and leaves, by keyboard and mouse alike; axe-core finds no WCAG 2.1 AA violation on
any of the pages (also with error messages shown), and every request goes to our own server."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from distribution.models import Subscriber

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def site(live_server, make_article):
    make_article("published", publish_at=timezone.now() - timezone.timedelta(hours=1))
    return live_server


@pytest.fixture
def page(chromium, site):
    # axe-core is injected as a script, which the site's own policy forbids, rightly.
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def check(page, name: str, failures: dict) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        failures[name] = results.generate_report()


def test_subscribing_confirming_changing_and_leaving_in_the_browser(page, site):
    failures = {}
    page.goto(site.url + "/verteiler/")
    check(page, "form", failures)

    page.click("button:has-text('Anmelden')")  # empty: the messages, in German
    assert "Dieses Feld ist zwingend erforderlich." in page.content()
    check(page, "form with errors", failures)

    page.fill("input[name=email]", "petra.sommer@harzkurier.de")
    page.fill("input[name=medium]", "Harzkurier")
    page.check("input[name=scope][value=auswahl]")
    page.check("input[name=topics]")
    page.check("input[name=consent]")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url + "/verteiler/angefordert/")
    assert "Bitte prüfen Sie Ihr Postfach" in page.content()
    check(page, "requested", failures)

    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING
    assert subscriber.topics.count() == 1
    page.goto(f"{site.url}/verteiler/bestaetigen/{subscriber.token}/")
    check(page, "confirm", failures)
    page.click("button:has-text('Anmeldung bestätigen')")
    assert "Anmeldung bestätigt" in page.content()
    check(page, "confirmed", failures)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED

    page.click("text=Auswahl ändern")
    check(page, "preferences", failures)
    page.check("input[name=scope][value=alle]")
    page.click("button:has-text('Auswahl speichern')")
    assert "Ihre Auswahl ist gespeichert." in page.content()
    subscriber.refresh_from_db()
    assert subscriber.all_topics

    page.click("text=Vom Presseverteiler abmelden")
    check(page, "unsubscribe", failures)
    page.click("main button:has-text('Abmelden')")
    assert "Sie sind abgemeldet" in page.content()
    check(page, "unsubscribed", failures)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED

    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())
    own_host = urlsplit(site.url).netloc
    assert page.requests
    assert [url for url in page.requests if urlsplit(url).netloc != own_host] == []
    assert page.errors == []


def test_the_form_works_without_javascript(chromium, site):
    context = chromium.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/verteiler/")
    page.fill("input[name=email]", "ohne-js@harzkurier.de")
    page.check("input[name=consent]")
    page.click("button:has-text('Anmelden')")
    page.wait_for_url(site.url + "/verteiler/angefordert/")
    subscriber = Subscriber.objects.get()
    page.goto(f"{site.url}/verteiler/abmelden/{subscriber.token}/")
    page.click("main button:has-text('Abmelden')")
    assert "Sie sind abgemeldet" in page.content()
    context.close()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
