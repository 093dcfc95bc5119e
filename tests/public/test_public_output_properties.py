"""Any text an editor can store, in every text field of a published article, and every public
output of it still answers: no 500, every XML document parses (feeds, sitemaps, the XMP in the
photo downloads), the JSON-LD is JSON, the vCard reads back, the PDF is made; withdrawn, its
page and PDF answer 410 (issue 15, acceptance).

Hypothesis writes the texts: arbitrary Unicode (no lone surrogates, which UTF-8 cannot carry)
mixed with the cases that broke or could break an output: the C0 and C1 controls, Word's
manual line break U+000B, soft hyphen, zero-width and direction marks, the Unicode line and
paragraph separators, BOM, the noncharacters U+FFFE/U+FFFF, combining marks, right-to-left
text, very long words, `]]>`, markup and quotes. Each text is stored the way the admin stores
it: cleaned by the admin form's field (which strips it and refuses NUL, so an editor stores the
text without NUL; a required field left empty gets a word), then saved through the model, so
the sanitiser and the workflow apply.

Each example makes its article inside a transaction that is rolled back, with an empty page
cache, so that no example sees another's rows or pages.
"""

import json
import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

import feedparser
import vobject
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from press.admin.forms import WorkflowForm, correction_note_field
from press.models import Article, PressContact, Quote, Spokesperson, Topic
from press.text import xml_text

# Characters and pieces of text that have broken, or could break, an output.
HARD_CASES = [
    "".join(map(chr, range(0x00, 0x20))),  # C0 controls, NUL and Word's U+000B among them
    "".join(map(chr, range(0x7F, 0xA0))),  # DEL and the C1 controls
    "Erste Zeile\x0bzweite Zeile",  # Word's manual line break
    "Qualifizierungs\u00adoffensive",  # soft hyphen
    "Job\u200bcenter\u200c\u200d\u200e\u200f",  # zero-width space, joiners, direction marks
    "Zeile\u2028Absatz\u2029Ende",  # Unicode line and paragraph separators
    "\ufeffBOM am Anfang",
    "\ufffe\uffff",  # noncharacters XML forbids
    "e\u0301\u0308\u20dd a\u0338\u0489",  # combining marks, stacked
    "مركز التوظيف هارتس \u202eLTR?\u202c עברית",  # right-to-left, with an override
    "Grundsicherungsträgerzusammenarbeitsvereinbarungsdurchführungsverordnung" * 12,
    "]]>",
    "<![CDATA[x]]>",
    "<script>alert(1)</script>",
    "& &amp; &#0; &#x1; &lt; &nbsp",
    "\"'„“‚‘«»`",
    "\U0001f600\U0001f1e9\U0001f1ea",  # astral plane: emoji, flag
    "a;b,c\\d:e",  # vCard's separators
    "\ue000Treffer\ue001",  # private use: once the markers of search snippets
    '-Wort "Phrase OR 100% a_b',  # search syntax and LIKE's wildcards
    "\r\n\r\n\n",
]
# Markup a pasted body brings, besides text.
HTML_CASES = [
    "<p>",
    "</p>",
    "<h1>",
    "<table><tr><td>",
    "<div>",
    "<br>",
    "<ul><li>",
    '<a href="javascript:alert(1)">',
    '<a href="https://example.org/?a=1&b=2">',
    "<!-- Kommentar -->",
    "<style>p{}</style>",
    '<img src=x onerror="alert(1)">',
]
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)))
TEXT = st.lists(st.one_of(st.sampled_from(HARD_CASES), ANY_TEXT), max_size=4).map("".join)
RICH_TEXT = st.lists(st.one_of(st.sampled_from(HARD_CASES + HTML_CASES), ANY_TEXT), max_size=8).map(
    "".join
)
PHOTO_FIELDS = ("caption", "credit", "alt_text", "usage_rights")
# The text fields of a published article and of what it shows, by what holds them.
FIELDS = {
    "article": ("title", "kicker", "lead", "body"),
    "correction": ("lead", "note"),
    "lead_photo": PHOTO_FIELDS,
    "photo": PHOTO_FIELDS,
    "quote": ("text", "function"),
    "spokesperson": ("name", "function", "organisation"),
    "topic": ("name", "description"),
    "contact": ("label", "person", "phone", "fax", "address", "email"),
    "withdrawal": ("reason",),
}
STRATEGIES = {"body": RICH_TEXT, "email": st.one_of(st.emails(), TEXT)}
ARTICLE_TEXTS = st.fixed_dictionaries(
    {
        holder: st.fixed_dictionaries({name: STRATEGIES.get(name, TEXT) for name in names})
        for holder, names in FIELDS.items()
    }
)
# Every field as full as the admin lets it be (a text field with 8,000 characters, which keeps
# the article within the PDF's size bound), of characters that grow when escaped or encoded.
LONGEST = {holder: dict.fromkeys(names, "&\U0001f600" * 4000) for holder, names in FIELDS.items()}
# The marker of markup that must never reach a page as markup.
INJECTED = "<script>alert(1)</script>"


def as_admin_stores(value: str, field: forms.Field) -> str:
    """`value` as the admin form's `field` cleans it; refused (NUL, too long, empty where
    required, not an e-mail address), the text the editor types next: without NUL, cut to the
    field's length, with a word in front. A field that refuses that as well (an e-mail address)
    stays empty, or gets a fixed value when it is required."""
    try:
        return field.clean(value)
    except ValidationError:
        pass
    retyped = ("Text " + value.replace("\x00", ""))[: getattr(field, "max_length", None)]
    try:
        return field.clean(retyped)
    except ValidationError:
        return field.clean("presse@koba-jobcenter-harz.de" if field.required else "")


def stored(model, texts: dict) -> dict:
    """{field name: text} with each text as the admin stores it in `model`'s field."""
    return {
        name: as_admin_stores(value, model._meta.get_field(name).formfield())
        for name, value in texts.items()
    }


def update(instance, texts: dict):
    """Set `texts` on `instance` as the admin would and save it through the model."""
    for name, value in stored(type(instance), texts).items():
        setattr(instance, name, value)
    instance.save()
    return instance


def publish_article(texts, *, editor, approver, photos, contact) -> Article:
    """A public article holding `texts` (ARTICLE_TEXTS) in every text field, made through the
    workflow, with a public correction."""
    lead_photo, photo = photos
    update(lead_photo, texts["lead_photo"])
    update(photo, texts["photo"])
    update(contact, texts["contact"])
    topic = update(Topic(), texts["topic"])
    spokesperson = update(Spokesperson(), texts["spokesperson"])
    article = Article(**stored(Article, texts["article"]), lead_photo=lead_photo)
    article.edit(by=editor)
    article.topics.add(topic)
    article.photos.add(lead_photo, photo)
    update(Quote(article=article, spokesperson=spokesperson), texts["quote"])
    article.submit(by=editor)
    article.publish(by=approver)
    note = as_admin_stores(texts["correction"]["note"], correction_note_field(""))
    article.lead = stored(Article, {"lead": texts["correction"]["lead"] + " korrigiert"})["lead"]
    article.edit(by=approver, change_note=note or "Korrigiert.")
    return article


def public_addresses(article: Article) -> list[tuple[str, dict]]:
    """(path, query) of every public page, feed, sitemap and file that shows something of
    `article`: searches for a word of its title and for the title as typed."""
    day = article.publication_date
    on_day = [day.year, day.month, day.day, article.slug]
    topic = article.topics.get()
    spokesperson = article.spokespersons.get()
    word = next(iter(re.findall(r"\w+", article.title)), "Text")
    search = reverse("press:search")
    photos = [
        reverse("press:photo_download", args=[*on_day, photo.pk]) for photo in article.all_photos
    ]
    return [
        (reverse("press:index"), {}),
        (reverse("press:year", args=[day.year]), {}),
        (reverse("press:month", args=[day.year, day.month]), {}),
        (article.get_absolute_url(), {}),
        (reverse("press:article_pdf", args=on_day), {}),
        *[(path, {}) for path in photos],
        (reverse("press:photos_zip", args=on_day), {}),
        (article.lead_photo.display["url"], {}),
        (reverse("press:topics"), {}),
        (topic.get_absolute_url(), {}),
        (reverse("press:topic_feed", args=[topic.slug]), {}),
        (reverse("press:spokespersons"), {}),
        (spokesperson.get_absolute_url(), {}),
        (reverse("press:contacts"), {}),
        (reverse("press:contact_vcard", args=[article.press_contact_id]), {}),
        (search, {"q": word}),
        (search, {"q": article.title, "thema": topic.slug}),
        (reverse("press:feed_rss"), {}),
        (reverse("press:feed_atom"), {}),
        (reverse("press:sitemap"), {}),
        (reverse("press:news_sitemap"), {}),
        (reverse("press:robots"), {}),
    ]


def check_json_ld(page: str) -> None:
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert script, "no JSON-LD on the article page"
    data = json.loads(script.group(1))
    assert data["@type"] == "NewsArticle"


def check_vcard(card: str, contact: PressContact) -> None:
    """The card reads back with vobject, the label as the organisation, line ends as LF."""
    parsed = vobject.readOne(card)
    label = re.sub(r"\r\n?", "\n", xml_text(contact.label))
    assert parsed.org.value == [label]


def check_xmp(image: bytes) -> None:
    """A photo download carries caption and credit as an XMP packet that parses as XML."""
    packet = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", image, re.S)
    assert packet, "no XMP in the download"
    ElementTree.fromstring(packet.group(0))


def check(url: str, response, article: Article) -> None:
    assert response.status_code == 200, (url, response.status_code)
    content_type = response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "xml" in content_type:
        ElementTree.fromstring(body)
        if "sitemap" not in url:
            feed = feedparser.parse(body)
            assert not feed.bozo, (url, feed.get("bozo_exception"))
    elif content_type.startswith("text/html"):
        page = body.decode()
        assert INJECTED not in page, url
        if url == article.get_absolute_url():
            check_json_ld(page)
    elif content_type.startswith("text/vcard"):
        check_vcard(body.decode(), article.press_contact)
    elif content_type.startswith("text/plain"):
        body.decode()
    elif content_type == "application/pdf":
        assert PdfReader(BytesIO(body), strict=True).pages, url
    elif content_type == "application/zip":
        with zipfile.ZipFile(BytesIO(body)) as bundle:
            for name in bundle.namelist():
                if name.endswith(".txt"):
                    bundle.read(name).decode()
                else:
                    check_xmp(bundle.read(name))
    else:
        assert content_type.startswith("image/"), (url, content_type)
        if "attachment" in response.get("Content-Disposition", ""):
            check_xmp(body)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    # An example takes about a second (the PDF most of it): shrinking a failure would take
    # minutes. The failing example is printed as it was generated.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=ARTICLE_TEXTS)
@example(texts=LONGEST)
def test_every_public_output_answers_and_parses_whatever_text_the_article_holds(
    client, editor, approver, press_contact, make_photo, texts
):
    """Index, archives, article, its PDF, photos and ZIP, topics, spokespersons, contacts and
    vCard, search, feeds, sitemaps and robots.txt; then the withdrawn article's page and PDF."""
    with transaction.atomic():
        cache.clear()
        article = publish_article(
            texts,
            editor=editor,
            approver=approver,
            photos=[make_photo(320, 240), make_photo(240, 320)],
            contact=PressContact.objects.get(pk=press_contact.pk),
        )
        for url, query in public_addresses(article):
            check(url, client.get(url, query), article)
        # Withdrawn, the article's page and PDF say so and why (410); the feeds go on.
        field = WorkflowForm.base_fields["comment"]
        reason = as_admin_stores(texts["withdrawal"]["reason"], field) or "Zurückgezogen."
        article.withdraw(by=approver, reason=reason)
        day = article.publication_date
        on_day = [day.year, day.month, day.day, article.slug]
        for url in [article.get_absolute_url(), reverse("press:article_pdf", args=on_day)]:
            response = client.get(url)
            assert response.status_code == 410, (url, response.status_code)
            assert INJECTED not in response.content.decode()
        for url in [reverse("press:feed_rss"), reverse("press:feed_atom")]:
            check(url, client.get(url), article)
        transaction.set_rollback(True)
