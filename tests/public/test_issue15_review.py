"""Review of issue 15's pages: what a journalist found on the running demo, each as a test.

- Phone numbers and e-mail addresses written in the text of an article or of a legal page
  (Impressum, Leichte Sprache, Gebärdensprache: "Die Telefon·nummer ist: 03943 58-3234") broke
  at their hyphen or space in a narrow column and in the PDF; only the press contact's links
  were kept whole. Now every number and address in rich text stands in <span class="nowrap">
  (press.text.keep_whole), which the site's and the PDF's style sheets keep on one line.
- In the English interface, topic descriptions, functions and topic names were German text
  without lang="de" (WCAG 3.1.2).
- The demo's photo labels lost their umlauts ("Beratungsb□ro").
- The PDF took the visitor's interface language for its labels and dates."""

import re
from io import BytesIO

import lxml.html
import pytest
from pypdf import PdfReader

from demo.loader import CONTENT, load_demo
from demo.pictures import label_font
from press.models import LegalPage
from public.templatetags.public import keep_whole
from releases.exporting import export_pdf
from tests.conftest import ensure_roles

BODY = (
    "<p>Anmeldung unter Tel. 03943 58-3234, aus dem Ausland +49 (0) 3941 12-3456, per Fax "
    "03943&nbsp;58-3040 oder an presse@koba-jobcenter-harz.de. Sprechzeiten 9-12 Uhr, "
    "Förderjahre 2024-2025, Raum 0815.</p>"
)
WHOLE = [
    "03943 58-3234",
    "+49 (0) 3941 12-3456",
    "03943\u00a058-3040",
    "presse@koba-jobcenter-harz.de",
]


def kept_whole(html: str, path: str) -> list[str]:
    """The texts of the <span class="nowrap"> under `path` of the page `html`."""
    return [
        span.text for span in lxml.html.fromstring(html).xpath(f"{path}//span[@class='nowrap']")
    ]


def test_numbers_and_addresses_in_text_are_kept_whole_and_nothing_else(db):
    assert kept_whole(keep_whole(BODY), ".") == WHOLE


def test_tags_and_their_attributes_are_left_as_they_are():
    html = (
        '<p><a href="mailto:presse@koba-jobcenter-harz.de" title="03943 58-3234">'
        "presse@koba-jobcenter-harz.de</a></p>"
    )
    assert keep_whole(html) == (
        '<p><a href="mailto:presse@koba-jobcenter-harz.de" title="03943 58-3234">'
        '<span class="nowrap">presse@koba-jobcenter-harz.de</span></a></p>'
    )


def test_a_number_inside_a_quoted_attribute_value_is_not_touched():
    html = "<p><a href=\"https://example.org/?a>03943 58-3234\" title='x>a@b.de'>Link</a></p>"
    assert keep_whole(html) == html


def test_the_article_page_keeps_numbers_in_its_text_whole(client, make_article):
    article = make_article("published", body=BODY)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert kept_whole(response.content.decode(), "//div[@class='body']") == WHOLE


def test_the_pdf_keeps_numbers_and_addresses_in_its_text_on_one_line(make_article):
    """Paragraphs that put the number at every place of a line: in one of them at least, the
    justified, hyphenated text would break it after "58-" or at its space."""
    paragraphs = "".join(
        f"<p>{'Beratung ' * words}im Büro unter 03943 58-3234 oder "
        "presse@koba-jobcenter-harz.de.</p>"
        for words in range(1, 40)
    )
    article = make_article("published", body=paragraphs)
    reader = PdfReader(BytesIO(export_pdf(article)))
    # Justified lines widen every space, the one inside the number too.
    lines = [
        " ".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()
    ]
    # Every number and address whole on its line (the press contact at the end has them, too).
    assert sum(line.count("03943 58-3234") for line in lines) >= 39
    assert [line for line in lines if line.count("03943") != line.count("03943 58-3")] == []
    assert sum(line.count("presse@koba-jobcenter-harz.de") for line in lines) >= 39
    assert [
        line
        for line in lines
        if line.count("presse@") != line.count("presse@koba-jobcenter-harz.de")
        or line.count("harz.de") != line.count("presse@koba-jobcenter-harz.de")
    ] == []


@pytest.mark.parametrize("kind", ["impressum", "leichte-sprache", "gebaerdensprache"])
def test_legal_pages_keep_numbers_in_their_text_whole(client, db, kind):
    LegalPage.objects.create(kind=kind, title="Seite", body=BODY)
    response = client.get(f"/{kind}/")
    assert response.status_code == 200
    assert kept_whole(response.content.decode(), "//div[@class='body']") == WHOLE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("kind", "number"),
    [("leichte-sprache", "03943 58-3234"), ("gebaerdensprache", "03943 58-3040")],
)
def test_the_demo_pages_number_stays_on_one_line_in_a_narrow_column(
    live_server, chromium, kind, number
):
    ensure_roles()
    load_demo()
    context = chromium.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/{kind}/", wait_until="networkidle")
    # Narrower than the number: without the rule it would break after "58-" or at the space.
    page.evaluate("document.querySelector('.legal-page .body').style.width = '5rem'")
    element = page.locator(".legal-page .body .nowrap", has_text=number).first
    assert element.evaluate("element => element.getClientRects().length") == 1
    context.close()


# --- German content in the English interface (WCAG 2.1, 3.1.2) -------------------------------
# The article page marked its German content; the topic and spokesperson pages, the topic
# list and the archive's topic navigation showed German descriptions and functions unmarked
# inside the English interface.


def language_of(element) -> str:
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


def english_page(client, url: str):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    html = lxml.html.fromstring(response.content.decode())
    assert html.get("lang") == "en"
    return html


@pytest.fixture
def quoted(published_article, quote, topic, spokesperson):
    topic.description = "Leistungen, Anträge und Änderungen beim Bürgergeld."
    topic.save()
    return topic, spokesperson


def test_topic_and_spokesperson_pages_mark_their_german_text_in_english(client, quoted):
    topic, person = quoted
    html = english_page(client, topic.get_absolute_url())
    [intro] = html.xpath("//p[@class='intro']")
    assert intro.text == topic.description and language_of(intro) == "de"
    [nav_link] = html.xpath(f"//ul[@class='topics']//a[@href='{topic.get_absolute_url()}']")
    assert language_of(nav_link) == "de"
    assert language_of(html.xpath("//aside[@class='archive-nav']/h2")[0]) == "en"

    html = english_page(client, person.get_absolute_url())
    [intro] = html.xpath("//p[@class='intro']")
    assert intro.text == person.function_line and language_of(intro) == "de"


def test_the_topic_and_spokesperson_lists_mark_names_and_functions_german_in_english(
    client, quoted
):
    topic, person = quoted
    html = english_page(client, "/themen/")
    [description] = html.xpath("//ul[@class='index-list']//span[@class='meta']")
    assert description.text == topic.description and language_of(description) == "de"
    [name] = html.xpath(f"//ul[@class='index-list']//a[@href='{topic.get_absolute_url()}']")
    assert language_of(name) == "de"
    assert language_of(html.xpath("//span[@class='count']")[0]) == "en"

    html = english_page(client, "/sprecher/")
    [function] = html.xpath(f"//ul[@class='index-list']/li/span[.='{person.function_line}']")
    assert language_of(function) == "de"


# --- the demo's photos ------------------------------------------------------------------------
# The lead photo of the demo's Quedlinburg article read "Beratungsb□ro": Pillow's default font
# has no umlauts and draws its empty box (the .notdef glyph) instead.


def test_the_demo_photos_font_draws_every_character_of_their_labels():
    labels = "".join(photo["label"] for photo in CONTENT["photos"].values())
    assert "ü" in labels
    font = label_font(90)
    missing = bytes(font.getmask("\ue000"))  # a private-use character: no font has it
    assert [char for char in set(labels) if bytes(font.getmask(char)) == missing] == []


# --- the PDF's language -------------------------------------------------------------------------
# A reader of the English interface got a German release with "Press release · Feb. 9, 2026",
# "Photo:", "Press contact" and "Created on" around it, in a document declared German.


def test_the_pdf_is_german_whatever_the_interface_language(client, make_article, make_photo):
    article = make_article(
        "published", lead_photo=make_photo(caption="Das Büro", credit="Anja Schmidt")
    )
    url = article.get_absolute_url() + "pdf/"
    texts = {}
    for language in ("en", "de"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        reader = PdfReader(BytesIO(response.content))
        texts[language] = "\n".join(page.extract_text() for page in reader.pages)
    english = texts["en"]
    for german in ("Pressemitteilung · ", "Foto: Anja Schmidt", "Pressekontakt", "Erstellt am"):
        assert german in english, german
    for label in ("Press release", "Photo:", "Press contact", "Created on"):
        assert label not in english, label
    # The same document but for the minute it was made.
    made = re.compile(r"Erstellt am [\d.]+, [\d:]+ Uhr")
    assert made.sub("", english) == made.sub("", texts["de"])
