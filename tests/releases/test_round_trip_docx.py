"""Round trip through Word (issue 16): the body's formatting survives the .docx export and import
(every demo article's fields: tests/releases/test_export.py, with the text export), and the
admin and the command offer the Word export."""

import io

import docx
from django.core.management import call_command
from django.urls import reverse

from releases.importing import import_file
from releases.word_export import DOCX_CONTENT_TYPE, export_docx


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
