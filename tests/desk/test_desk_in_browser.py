"""The desk in real Chromium with the demo content (`load_demo`): each demo account logs in
through the admin's log-in page and lands where its role starts, seeing its own work; the
desk has no WCAG 2.1 AA violation and breaks no Content-Security-Policy."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.loader import ACCOUNTS, load_demo
from press.models import Article
from tests.conftest import ensure_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESK = "/admin/schreibtisch/"
# The demo's articles still at work (demo/data/demo.toml), by headline.
DRAFT = "Bewerbungstraining für Alleinerziehende in Halberstadt"
SENT_BACK = "Weiterbewilligungsantrag künftig auch online"
SENT_BACK_COMMENT = "den Link zum Portal ergänzen"
IN_REVIEW = "Gesundheitsprojekt „Harz in Bewegung“ geht in die zweite Runde"
SCHEDULED = "KoBa Harz und Handwerksbetriebe schließen Ausbildungspartnerschaft"
WAITING_HELP = "Alle Artikel in Prüfung"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo_site(live_server):
    ensure_roles()
    load_demo()
    return live_server


def log_in(context, site, username: str):
    """A page of `context` after logging in as the demo account `username` on the admin's
    log-in page, at wherever the admin then starts; page.errors collects script errors and
    policy reports."""
    password = next(account.password for account in ACCOUNTS if account.username == username)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    # The browser's own favicon probe may fail (the admin's favicon is another item of the
    # issue); any other failed request is an error.
    page.on(
        "response",
        lambda response: (
            page.errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(site.url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def errors_of(page) -> list[str]:
    return [error for error in page.errors if not error.startswith("Failed to load resource")]


def text_of(page, section: str) -> str:
    locator = page.locator(f"section#{section}")
    return locator.inner_text() if locator.count() else ""


@pytest.fixture
def context(chromium):
    context = chromium.new_context(locale="de-DE")
    yield context
    context.close()


def test_redaktion_starts_on_its_desk_with_its_drafts_and_submission(demo_site, context):
    page = log_in(context, demo_site, "redaktion")

    assert page.url == demo_site.url + DESK
    assert page.locator("h1").inner_text() == "Schreibtisch"
    drafts = text_of(page, "meine-entwuerfe")
    assert DRAFT in drafts
    assert SENT_BACK in drafts
    assert SENT_BACK_COMMENT in drafts
    assert "Thomas Brandt" in drafts  # who sent it back
    waiting = text_of(page, "wartet-auf-freigabe")
    assert IN_REVIEW in waiting
    assert WAITING_HELP not in waiting  # only its own submissions
    assert SCHEDULED in text_of(page, "mit-sperrfrist")
    assert not errors_of(page)


def test_freigabe_starts_on_its_desk_with_what_waits_for_it(demo_site, context):
    page = log_in(context, demo_site, "freigabe")

    assert page.url == demo_site.url + DESK
    waiting = text_of(page, "wartet-auf-freigabe")
    assert IN_REVIEW in waiting
    assert "Jana Winkler" in waiting  # who submitted it
    assert DRAFT not in text_of(page, "meine-entwuerfe")  # Jana Winkler's, not Thomas Brandt's
    scheduled = text_of(page, "mit-sperrfrist")
    assert SCHEDULED in scheduled
    newest = Article.objects.published().latest("publish_at")
    assert newest.title in text_of(page, "zuletzt-veroeffentlicht")

    page.get_by_role("link", name="Prüfen und veröffentlichen").first.click()
    page.wait_for_load_state("networkidle")
    assert IN_REVIEW in page.content()  # the review page of the waiting article
    assert not errors_of(page)


def test_the_calendar_shows_the_scheduled_release_on_its_day(demo_site, context):
    page = log_in(context, demo_site, "redaktion")
    article = Article.objects.get(title=SCHEDULED)
    day = article.publish_at.astimezone().date()  # the test process runs in Europe/Berlin

    for view in ("woche", "monat"):
        page.goto(f"{demo_site.url}{DESK}?ansicht={view}&datum={day:%Y-%m-%d}")
        cell = page.locator("table.desk-calendar td").filter(
            has=page.locator(f'time[datetime="{day:%Y-%m-%d}"]')
        )
        assert SCHEDULED in cell.inner_text(), view
        assert "10:00" in cell.inner_text(), view


def test_administration_keeps_the_model_list_with_a_link_to_the_desk(demo_site, context):
    page = log_in(context, demo_site, "verwaltung")

    assert page.url == demo_site.url + "/admin/"
    page.get_by_role("link", name="Zum Schreibtisch").click()
    page.wait_for_load_state("networkidle")
    assert page.url == demo_site.url + DESK
    assert not page.locator("section#meine-entwuerfe").count()  # Administration writes none
    assert SCHEDULED in text_of(page, "mit-sperrfrist")


def test_the_desk_has_no_wcag_21_aa_violations(demo_site, chromium):
    # axe-core is injected as a script, which the admin's policy forbids, rightly.
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    failures = {}
    for username in ("redaktion", "freigabe"):
        page = log_in(context, demo_site, username)
        results = Axe().run(page, context="#content", options=WCAG_21_AA)
        if results.violations_count:
            failures[username] = results.generate_report()
        page.context.clear_cookies()
        page.close()
    context.close()
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())
