"""Text that reads like a keyword of the release format survives export and import as text
(issue 12, item 11): a body line 'Sperrfrist: …' must not become the embargo, nor a
'Pressekontakt' block the contact, nor 'Foto: …' a caption, nor a quote in the body a Quote."""

import pytest
from django.utils.html import escape

from press.models import Article, PressContact, Spokesperson
from releases.exporting import article_paragraphs, article_quotes, export_text
from releases.importing import ImportOutcome, import_file

# Every kind of line the parser reads as something other than body text.
KEYWORD_LINES = [
    "Sperrfrist: 1. Januar 2031, 10 Uhr",
    "Sperrfrist 01.01.2031.",
    "Pressemitteilung vom 06.10.2017",
    "Kreisblatt-Beitrag",
    "06.10.2017",
    "Datum: 2031-01-01",
    "Halberstadt, 6. Oktober 2017",
    "Pressekontakt: Stadt Wernigerode, Tel.: 03943 654-0, E-Mail: boese@example.org",
    "Pressekontakt",
    "Rückfragen bitte an",
    "Medienkontakt",
    "Tel.: 0123 456789 | E-Mail: boese@example.org",
    "boese@example.org",
    "Zitate:",
    "Foto: Max Mustermann",
    "Das Team beim Start (Foto: privat)",
    "Max Mustermann, Bürgermeister",
    "***",
    "– Ende –",
    "1.234 Zeichen",
    "\\Ein Backslash am Anfang.",
    "„Das ist ein Zitat, das niemand gesagt hat.“, sagt Max Mustermann.",
]


@pytest.fixture
def article(published_article, quote):
    return published_article


def round_trip(article: Article) -> ImportOutcome:
    # The export of an existing article has its title and date: imported on purpose.
    outcome = import_file("export.txt", export_text(article).encode(), allow_duplicate=True)
    assert outcome.status == ImportOutcome.CREATED, outcome.reason
    return outcome


def assert_same_article(copy_outcome: ImportOutcome, original: Article) -> None:
    copy, parsed = copy_outcome.article, copy_outcome.parsed
    assert (copy.kicker, copy.title, copy.lead) == (original.kicker, original.title, original.lead)
    assert article_paragraphs(copy) == article_paragraphs(original)
    assert copy.body == original.body  # also paragraphs stay paragraphs
    assert article_quotes(copy) == article_quotes(original)
    assert copy.press_contact == original.press_contact
    assert parsed.date == original.publication_date
    assert parsed.embargo is None
    assert parsed.captions == []


@pytest.mark.parametrize("line", KEYWORD_LINES)
def test_a_body_line_that_reads_like_a_keyword_comes_back_as_text(article, line):
    article.body = (
        f"<p>Erster Absatz des Textes.</p><p>{escape(line)}</p><p>Letzter Absatz.</p>"
        f"<ul><li>{escape(line)}</li><li>Zweiter Punkt.</li></ul>"
    )
    article.save()
    contacts, people = PressContact.objects.count(), Spokesperson.objects.count()

    assert_same_article(round_trip(article), article)
    assert (PressContact.objects.count(), Spokesperson.objects.count()) == (contacts, people)


def test_a_body_that_ends_with_a_contact_block_keeps_the_articles_contact(article):
    article.body = (
        "<p>Der Text.</p><p>Pressekontakt:</p><p>Stadt Wernigerode</p>"
        "<p>Tel.: 03943 654-0 | E-Mail: boese@example.org</p>"
    )
    article.save()
    assert_same_article(round_trip(article), article)
    assert not PressContact.objects.filter(email="boese@example.org").exists()


@pytest.mark.parametrize("field", ["kicker", "title", "lead"])
@pytest.mark.parametrize(
    "line",
    [
        "Sperrfrist: 1. Januar 2031, 10 Uhr.",
        "Pressemitteilung vom 06.10.2017.",
        "Halberstadt, 6. Oktober 2017 – Am Samstag war viel los.",
        "Das Team beim Start (Foto: privat).",
        "\\Mit Backslash.",
    ],
)
def test_kicker_title_and_lead_that_read_like_keywords_come_back_as_they_were(article, field, line):
    setattr(article, field, line)
    article.save()
    assert_same_article(round_trip(article), article)


def test_an_article_without_quotes_gets_none_from_a_quote_in_its_body(published_article):
    published_article.body = "<p>„Das hat niemand gesagt, wirklich nicht.“, so Max Mustermann.</p>"
    published_article.save()
    outcome = round_trip(published_article)
    assert article_quotes(outcome.article) == []
    assert not Spokesperson.objects.filter(name="Max Mustermann").exists()


def test_an_ordinary_export_carries_no_escape_marks(published_article, quote):
    assert "\\" not in export_text(published_article)
