"""The article, search, month and withdrawn (410) pages in real Chromium, in German and in
English (issue 15, Pages): axe-core finds no WCAG 2.1 AA violation in either language; the PDF
link downloads the PDF from the public address, the print button opens the print dialogue, the
print layout leaves out topics and the vCard link and shows the address and "Stand"; caption
and credit stand apart; phone numbers and e-mail addresses never break at a hyphen."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from demo.loader import load_demo
from press.models import Article
from press.roles import FREIGABE
from tests.conftest import ensure_roles, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# What the browser sends as Accept-Language, which picks the interface's language.
LOCALES = {"de": "de-DE", "en": "en-GB"}


@pytest.fixture
def site(live_server):
    """The demo archive, one of its articles withdrawn through the workflow."""
    ensure_roles()
    load_demo()
    article = Article.objects.published().filter(lead_photo__isnull=False).latest("publish_at")
    withdrawn = Article.objects.published().exclude(pk=article.pk).earliest("publish_at")
    withdrawn.withdraw(by=make_user("zweite-freigabe", FREIGABE), reason="Zahlen waren veraltet.")
    return {
        "url": live_server.url,
        "article": article,
        "pages": {
            "article": (article.get_absolute_url(), 200),
            "search": (reverse("press:search") + "?q=Jobcenter", 200),
            "month": (
                reverse("press:month", args=[article.publish_at.year, article.publish_at.month]),
                200,
            ),
            "withdrawn": (withdrawn.get_absolute_url(), 410),
        },
    }


def open_page(chromium, url: str, language: str = "de", **options):
    context = chromium.new_context(locale=LOCALES[language], **options)
    page = context.new_page()
    response = page.goto(url, wait_until="networkidle")
    return context, page, response


@pytest.mark.parametrize("language", ["de", "en"])
def test_article_search_month_and_withdrawn_pages_pass_axe_in_both_languages(
    site, chromium, language
):
    failures = {}
    for name, (path, status) in site["pages"].items():
        # axe-core is injected as a script, which the site's own policy rightly forbids.
        context, page, response = open_page(chromium, site["url"] + path, language, bypass_csp=True)
        assert response.status == status, name
        assert page.get_attribute("html", "lang") == language, name
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures[name] = results.generate_report()
        context.close()
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


def test_in_english_the_article_itself_is_marked_german(site, chromium):
    context, page, _response = open_page(chromium, site["url"] + site["pages"]["article"][0], "en")
    language_of = "selector => document.querySelector(selector).closest('[lang]').lang"
    assert page.evaluate(language_of, "html") == "en"
    for selector in ["h1", ".lead", ".body p", "figcaption .caption", ".article-topics a"]:
        assert page.evaluate(language_of, selector) == "de", selector
    assert page.evaluate(language_of, "#press-contact-heading") == "en"
    context.close()


def test_the_pdf_link_downloads_the_pdf_from_the_public_address(site, chromium):
    context, page, _response = open_page(
        chromium, site["url"] + site["pages"]["article"][0], accept_downloads=True
    )
    link = page.get_by_role("link", name="PDF herunterladen")
    with page.expect_response(re.compile(r"/pdf/$")) as answer, page.expect_download() as download:
        link.click()
    expected = site["url"] + site["article"].get_absolute_url() + "pdf/"
    assert answer.value.url == expected
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    assert download.value.url == expected
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(f"-{site['article'].slug}.pdf")
    context.close()


def test_the_print_button_opens_the_print_dialogue(site, chromium):
    """Under the site's own Content-Security-Policy: the button's script is the site's own."""
    context = chromium.new_context(locale="de-DE")
    context.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(site["url"] + site["pages"]["article"][0], wait_until="networkidle")
    button = page.get_by_role("button", name="Drucken")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    assert not [error for error in errors if "favicon" not in error]
    context.close()


def test_the_print_layout_leaves_out_topics_and_vcard_and_shows_address_and_stand(
    site, chromium, settings
):
    context, page, _response = open_page(chromium, site["url"] + site["pages"]["article"][0])
    left_out = [".article-topics", ".vcard-link", ".article-actions"]
    note = page.locator(".print-only")
    assert all(page.locator(selector).is_visible() for selector in left_out)
    assert not note.is_visible()

    page.emulate_media(media="print")
    for selector in left_out:
        assert not page.locator(selector).is_visible(), selector
    assert note.is_visible()
    article = site["article"]
    text = " ".join(note.inner_text().split())
    assert f"Adresse: {settings.SITE_URL}{article.get_absolute_url()}" in text
    as_of = article.corrected_at or article.publish_at
    assert f"Stand: {as_of.astimezone().day}." in text
    assert note.locator("time").get_attribute("datetime")[:10] == (
        as_of.astimezone().date().isoformat()
    )
    context.close()


def test_caption_and_credit_stand_on_lines_of_their_own(site, chromium):
    context, page, _response = open_page(chromium, site["url"] + site["pages"]["article"][0])
    caption = page.locator(".lead-photo figcaption .caption").bounding_box()
    credit = page.locator(".lead-photo figcaption .credit").bounding_box()
    assert credit["y"] >= caption["y"] + caption["height"] - 1
    context.close()


def test_phone_numbers_and_e_mail_addresses_do_not_break_at_hyphens(site, chromium):
    context, page, _response = open_page(
        chromium, site["url"] + site["pages"]["article"][0], viewport={"width": 360, "height": 740}
    )
    # A narrow column, narrower than the address: without the rule the address would break
    # after "koba-".
    page.evaluate("document.querySelector('.press-contact').style.width = '9rem'")
    whole = page.locator(".press-contact").locator("a[href^='mailto:'], a[href^='tel:'], .phone")
    assert whole.count() == 3
    for index in range(whole.count()):
        element = whole.nth(index)
        lines = element.evaluate("element => element.getClientRects().length")
        assert lines == 1, element.inner_text()
    context.close()
