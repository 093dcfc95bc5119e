"""The PDF export of an article has a size bound (issue 12, item 9): WeasyPrint lays out about
8 pages (25 KB of text) a second here, and a 2 MB body ran past the worker timeout. An article over
RELEASE_PDF_MAX_BYTES is refused at once with a message; its text export still works."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from releases.exporting import PdfTooLargeError, export_pdf, export_text

PARAGRAPH = (
    "<p>" + "Die KoBa Harz startet im November ein Coaching für Alleinerziehende. " * 8 + "</p>"
)


@pytest.fixture
def long_article(draft_article):
    """The report's article: a body of 2 MB."""
    draft_article.body = PARAGRAPH * (2_000_000 // len(PARAGRAPH))
    draft_article.save()
    return draft_article


def test_a_pdf_of_an_article_over_the_bound_is_refused_at_once(long_article):
    start = time.monotonic()
    with pytest.raises(PdfTooLargeError, match="zu lang für ein PDF"):
        export_pdf(long_article)
    assert time.monotonic() - start < 5
    assert export_text(long_article)  # the text export is not bounded


def test_the_admin_sends_the_editor_back_to_the_article_with_the_reason(
    client, editor, long_article
):
    client.force_login(editor)
    response = client.get(reverse("admin:press_article_export_pdf", args=[long_article.pk]))
    change = reverse("admin:press_article_change", args=[long_article.pk])
    assert response.status_code == 302
    assert response["Location"] == change
    page = client.get(change).content.decode()
    assert "zu lang für ein PDF" in page


def test_an_article_at_the_bound_still_gets_its_pdf(draft_article, settings):
    settings.RELEASE_PDF_MAX_BYTES = 20_000
    draft_article.body = PARAGRAPH * (15_000 // len(PARAGRAPH.encode()))
    draft_article.save()
    assert export_pdf(draft_article).startswith(b"%PDF-")

    settings.RELEASE_PDF_MAX_BYTES = 10_000
    with pytest.raises(PdfTooLargeError):
        export_pdf(draft_article)


def test_the_command_names_the_article_that_is_too_long_for_a_pdf(long_article, tmp_path):
    with pytest.raises(CommandError, match="zu lang für ein PDF"):
        call_command(
            "export_release", str(long_article.pk), "--format", "pdf",
            "--output-dir", str(tmp_path), stdout=StringIO(),
        )  # fmt: skip
