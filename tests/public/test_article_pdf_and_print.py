"""The article page's "PDF herunterladen" and "Drucken" (issue 15, Pages): the public PDF is the
document the admin exports, only of a public article, kept by the page cache and retired with the
page; the page carries what its print layout needs, and in the English interface the German
article is marked as German (WCAG 3.1.2). What only a browser shows (the click, the print media)
is in test_pages_in_browser_de_en.py."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from press.models import Quote

BERLIN = ZoneInfo("Europe/Berlin")


def pdf_url(article, date=None) -> str:
    day = date or article.publication_date
    return reverse("press:article_pdf", args=[day.year, day.month, day.day, article.slug])


def pdf_text(data: bytes) -> str:
    """The PDF's text, without the footer line that says when it was made."""
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return "\n".join(line for line in text.splitlines() if "Erstellt am" not in line)


def page(client, url: str, language: str = "de"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


@pytest.fixture
def march_article(make_article, make_photo, spokesperson):
    """Published on 15 March 2024 with a lead photo and a quote."""
    article = make_article(
        "published",
        title="Jobcenter berät in der Altstadt",
        publish_at=datetime(2024, 3, 15, 10, 30, tzinfo=BERLIN),
        lead="Ab Montag berät die KoBa Harz auch am Markt.",
        lead_photo=make_photo(caption="Das neue Büro am Markt", credit="Anja Schmidt"),
    )
    Quote.objects.create(
        article=article, spokesperson=spokesperson, text="Das BMAS ist weit von der Basis entfernt."
    )
    return article


# --- the PDF --------------------------------------------------------------------------------


def test_the_article_page_links_its_pdf_and_offers_a_print_button(client, march_article):
    html = page(client, march_article.get_absolute_url())
    [link] = html.xpath("//a[normalize-space()='PDF herunterladen']")
    assert link.get("href") == "/2024/03/15/jobcenter-beraet-in-der-altstadt/pdf/"
    [button] = html.xpath("//button[normalize-space()='Drucken']")
    # Shown by the site's own script, which the Content-Security-Policy allows; without
    # JavaScript a button that does nothing stays hidden.
    assert button.get("type") == "button" and "data-print" in button.attrib
    assert "hidden" in button.attrib
    assert html.xpath("//script[@src='/static/js/print.js']")


def test_the_public_pdf_is_the_document_the_admin_exports(client, editor, march_article, settings):
    response = client.get(pdf_url(march_article))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="2024-03-15-jobcenter-beraet-in-der-altstadt.pdf"'
    )
    assert response["Link"] == (
        f'<{settings.SITE_URL}/2024/03/15/jobcenter-beraet-in-der-altstadt/>; rel="canonical"'
    )
    public = pdf_text(response.content)
    assert "Jobcenter berät in der Altstadt" in public
    assert "Ab Montag berät die KoBa Harz auch am Markt." in public
    assert "Das BMAS ist weit von der Basis entfernt." in public

    office = Client()
    office.force_login(editor)
    export = office.get(reverse("admin:press_article_export_pdf", args=[march_article.pk]))
    assert export["Content-Type"] == "application/pdf"
    assert pdf_text(export.content) == public


def test_the_pdf_shows_caption_and_credit_apart(client, march_article):
    lines = pdf_text(client.get(pdf_url(march_article)).content).splitlines()
    assert "Das neue Büro am Markt" in lines
    assert "Foto: Anja Schmidt" in lines


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled"])
def test_there_is_no_pdf_of_an_article_that_is_not_public(client, archive, state):
    article = archive[1][state]
    day = timezone.localdate(article.publish_at or timezone.now())
    response = client.get(pdf_url(article, day))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_pdf_of_a_withdrawn_article_is_gone_like_its_page(client, archive):
    withdrawn = archive[1]["withdrawn"]
    response = client.get(pdf_url(withdrawn))
    assert response.status_code == 410
    assert "Falsche Zahlen im zweiten Absatz." in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_the_pdf_under_a_wrong_date_redirects_to_the_pdf_at_its_date(client, march_article):
    response = client.get(pdf_url(march_article, march_article.publication_date + timedelta(1)))
    assert response.status_code == 301
    assert response["Location"] == "/2024/03/15/jobcenter-beraet-in-der-altstadt/pdf/"


def test_the_pdf_is_kept_by_the_page_cache_and_a_correction_retires_it(
    client, approver, march_article, django_assert_num_queries
):
    first = client.get(pdf_url(march_article))
    with django_assert_num_queries(0):
        again = client.get(pdf_url(march_article))
    assert again.content == first.content

    march_article.lead = "Ab Dienstag berät die KoBa Harz auch am Markt."
    march_article.edit(by=approver, change_note="Wochentag korrigiert.")
    corrected = pdf_text(client.get(pdf_url(march_article)).content)
    assert "Ab Dienstag berät die KoBa Harz auch am Markt." in corrected
    assert "Wochentag korrigiert." in corrected


def test_an_article_over_the_pdf_size_bound_gets_a_page_instead_of_a_pdf(
    client, march_article, settings
):
    settings.RELEASE_PDF_MAX_BYTES = 20  # the lead alone is longer
    response = client.get(pdf_url(march_article))
    assert response.status_code == 404
    content = response.content.decode()
    assert "zu lang für ein PDF" in content
    assert march_article.get_absolute_url() in content


# --- the print layout's parts and the language of the content -------------------------------


def test_the_page_carries_its_address_and_stand_for_print(
    client, march_article, approver, settings
):
    [note] = page(client, march_article.get_absolute_url()).xpath("//p[@class='print-only']")
    address = f"{settings.SITE_URL}/2024/03/15/jobcenter-beraet-in-der-altstadt/"
    assert f"Adresse: {address}" in " ".join(note.text_content().split())
    assert note.xpath("time")[0].text == "15. März 2024"

    # "Stand" is the day of the latest correction.
    march_article.lead = "Ab Dienstag berät die KoBa Harz auch am Markt."
    march_article.edit(by=approver, change_note="Wochentag korrigiert.")
    [note] = page(client, march_article.get_absolute_url()).xpath("//p[@class='print-only']")
    today = timezone.localdate()
    assert note.xpath("time")[0].get("datetime").startswith(today.isoformat())
    assert "Stand:" in note.text_content()


def test_vcard_link_and_topics_are_marked_for_the_print_layout_to_leave_out(client, march_article):
    html = page(client, march_article.get_absolute_url())
    assert html.xpath("//p[@class='vcard-link']/a[contains(@href, '/vcard/')]")
    assert html.xpath("//section[@class='article-topics']//ul[@class='tags']/li")


def test_in_english_the_german_article_is_marked_german(client, march_article):
    html = page(client, march_article.get_absolute_url(), "en")
    assert html.get("lang") == "en"

    def language_of(element) -> str:
        return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]

    for path in [
        "//h1",
        "//p[@class='lead']",
        "//div[@class='body']/p",
        "//blockquote",
        "//figcaption/span[@class='caption']",
        "//section[@class='article-topics']//li/a",
        "//section[@class='downloads']//li/a",
    ]:
        [element, *_more] = html.xpath(path)
        assert language_of(element) == "de", path
    # The interface around it stays English.
    assert language_of(html.xpath("//h2[@id='press-contact-heading']")[0]) == "en"
    assert language_of(html.xpath("//p[@class='meta']")[0]) == "en"
