"""Month archives lead to the months before and after and back to their year; a withdrawn
article's 410 page names when it was first published and leads to the overview; e-mail
addresses and phone numbers are marked so that they never break at a hyphen (issue 15, Pages).
How that looks in a browser: test_pages_in_browser_de_en.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, url
    return lxml.html.fromstring(response.content.decode())


def month_nav(html) -> dict[str, tuple[str, str]]:
    """rel (prev, next, or year) -> (href, text) of the month navigation's links."""
    [nav] = html.xpath("//nav[@class='month-nav']")
    return {
        link.get("rel", "year"): (link.get("href"), " ".join(link.text_content().split()))
        for link in nav.xpath(".//a")
    }


@pytest.fixture
def months(make_article):
    """Public articles in December 2023, January, March and May 2024; a draft in February and an
    embargoed article in June, which no navigation may name."""
    for year, month in [(2023, 12), (2024, 1), (2024, 3), (2024, 5)]:
        make_article(
            "published",
            title=f"Meldung {month}/{year}",
            publish_at=datetime(year, month, 10, 9, 0, tzinfo=BERLIN),
        )
    make_article("draft", title="Entwurf im Februar")
    make_article(
        "published",
        title="Sperrfrist im Juni",
        publish_at=timezone.now() + timedelta(days=400),
    )


def test_a_month_leads_to_the_months_before_and_after_and_to_its_year(client, months):
    assert month_nav(page(client, "/2024/03/")) == {
        "prev": ("/2024/01/", "← Januar 2024"),
        "year": ("/2024/", "Alle Meldungen aus 2024"),
        "next": ("/2024/05/", "Mai 2024 →"),
    }


def test_the_month_navigation_crosses_years_and_ends_with_the_archive(client, months):
    assert month_nav(page(client, "/2023/12/")) == {
        "year": ("/2023/", "Alle Meldungen aus 2023"),
        "next": ("/2024/01/", "Januar 2024 →"),
    }
    # May is the newest public month: the embargoed article's month is not offered.
    assert month_nav(page(client, "/2024/05/")) == {
        "prev": ("/2024/03/", "← März 2024"),
        "year": ("/2024/", "Alle Meldungen aus 2024"),
    }


def test_a_month_page_lists_its_years_months_and_marks_its_own(client, months):
    html = page(client, "/2024/03/")
    links = html.xpath("//ul[@class='months']/li/a")
    assert [(link.get("href"), link.text) for link in links] == [
        ("/2024/01/", "Januar"),
        ("/2024/03/", "März"),
        ("/2024/05/", "Mai"),
    ]
    assert [link.get("aria-current") for link in links] == [None, "page", None]
    # The year is where the month belongs, not the page shown.
    [year] = html.xpath("//ul[@class='years']/li/a[@href='/2024/']")
    assert year.get("aria-current") is None
    assert page(client, "/2024/").xpath("//a[@href='/2024/']/@aria-current") == ["page"]


def test_the_withdrawn_page_names_the_first_publication_and_leads_to_the_overview(
    client, make_article
):
    article = make_article(
        "withdrawn",
        title="Falsche Zahl",
        publish_at=datetime(2024, 3, 15, 10, 30, tzinfo=BERLIN),
    )
    html = page(client, article.get_absolute_url(), status=410)
    [published] = html.xpath("//p[contains(., 'Ursprünglich veröffentlicht am')]/time")
    assert published.text == "15. März 2024"
    assert published.get("datetime") == "2024-03-15T10:30:00+01:00"
    withdrawn_on = timezone.localdate(article.withdrawn_at)
    assert f"am {withdrawn_on.day}." in html.xpath("//main/p[1]")[0].text_content()
    assert html.xpath("//main//a[@href='/']")


@pytest.mark.parametrize("where", ["article", "contacts"])
def test_phone_numbers_and_e_mail_addresses_are_kept_whole(client, published_article, where):
    """The stylesheet keeps tel: and mailto: links and .phone on one line (checked in
    Chromium); here: every number and address of the contact is one of them, on the article
    page and on the contacts page."""
    url = published_article.get_absolute_url() if where == "article" else "/kontakt/"
    [contact] = page(client, url).xpath("//*[contains(@class, 'press-contact')]")
    whole = {
        element.text
        for element in contact.xpath(
            ".//a[starts-with(@href, 'tel:') or starts-with(@href, 'mailto:')]"
            " | .//span[@class='phone']"
        )
    }
    assert whole == {"03943 58-3234", "03943 58-3040", "presse@koba-jobcenter-harz.de"}
