"""Round trip through Word (issue 16): every demo article exported as .docx and imported again
gives the same title, date, kicker, lead, paragraphs, quotes and contact, and keeps the body's
formatting."""

import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.loader import load_demo
from press.models import Article, PressContact, Spokesperson
from releases.exporting import article_paragraphs, article_quotes
from releases.importing import ImportOutcome, import_file
from releases.word_export import DOCX_CONTENT_TYPE, export_docx


@pytest.fixture
def demo(db):
    load_demo()
    return list(Article.objects.select_related("press_contact", "lead_photo").order_by("pk"))


def test_import_of_the_word_export_gives_back_every_demo_article(demo):
    assert len(demo) >= 10
    contacts = PressContact.objects.count()
    people = Spokesperson.objects.count()
    for original in demo:
        outcome = import_file(f"{original.slug}.docx", export_docx(original), allow_duplicate=True)
        assert outcome.status == ImportOutcome.CREATED, (original.title, outcome.reason)
        copy = outcome.article
        assert (copy.title, copy.kicker, copy.kind) == (
            original.title,
            original.kicker,
            original.kind,
        )
        assert outcome.parsed.date == original.publication_date, original.title
        assert copy.lead == " ".join(original.lead.split()), original.title
        assert article_paragraphs(copy) == article_paragraphs(original), original.title
        assert article_quotes(copy) == article_quotes(original), original.title
        assert copy.press_contact == original.press_contact, original.title
    assert PressContact.objects.count() == contacts
    assert Spokesperson.objects.count() == people


def test_formatting_survives_the_word_round_trip(draft_article):
    draft_article.body = (
        "<p>Geöffnet <strong>montags</strong> und <em>donnerstags</em>, siehe "
        '<a href="https://www.koba-jobcenter-harz.de/">unsere Seite</a>.</p>'
        "<h2>Angebote</h2><ul><li>Beratung</li><li>Bewerbung &amp; Coaching</li></ul>"
        "<ol><li>Termin holen</li><li>Unterlagen mitbringen</li></ol>"
    )
    draft_article.save()

    copy = import_file("kopie.docx", export_docx(draft_article)).article

    assert "<strong>montags</strong>" in copy.body
    assert "<em>donnerstags</em>" in copy.body
    assert '<a href="https://www.koba-jobcenter-harz.de/"' in copy.body
    assert ">unsere Seite</a>." in copy.body
    assert "<h2>Angebote</h2>" in copy.body
    assert "<ul><li>Beratung</li><li>Bewerbung &amp; Coaching</li></ul>" in copy.body
    assert "<ol><li>Termin holen</li><li>Unterlagen mitbringen</li></ol>" in copy.body


def test_the_word_export_is_a_word_document_with_the_headline(published_article):
    document = docx.Document(io.BytesIO(export_docx(published_article)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert published_article.title in texts


def test_the_admin_offers_the_word_export(client, editor, draft_article):
    client.force_login(editor)
    response = client.get(reverse("admin:press_article_export_docx", args=[draft_article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.docx"')
    change = client.get(reverse("admin:press_article_change", args=[draft_article.pk]))
    assert reverse("admin:press_article_export_docx", args=[draft_article.pk]) in change.text


def test_the_command_writes_word_files(published_article, tmp_path):
    call_command(
        "export_release",
        str(published_article.pk),
        "--format",
        "docx",
        "--output-dir",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    (written,) = tmp_path.glob("*.docx")
    document = docx.Document(str(written))
    assert published_article.title in [paragraph.text for paragraph in document.paragraphs]
