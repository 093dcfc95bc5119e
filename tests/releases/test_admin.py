"""The admin's import upload and the text and PDF downloads of an article."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from press.models import Article
from releases.exporting import export_text

from .admin_preview import preview_data, upload_and_confirm
from .conftest import KREISBLATT_SAMPLE, SAMPLES

IMPORT_URL = reverse("admin:press_article_import")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.mark.parametrize(
    "role, status",
    [("Redaktion", 200), ("Freigabe", 200), ("Administration", 403), ("ohne Rolle", 403)],
)
def test_only_who_may_add_articles_gets_the_import_page(client, users_by_role, role, status):
    client.force_login(users_by_role[role])
    assert client.get(IMPORT_URL).status_code == status
    changelist = client.get(reverse("admin:press_article_changelist"))
    assert (IMPORT_URL in changelist.content.decode()) == (status == 200)


def test_refused_upload_imports_nothing(client, administrator, press_contact):
    client.force_login(administrator)
    response = client.post(IMPORT_URL, {"files": [upload("a.txt", KREISBLATT_SAMPLE.read_bytes())]})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_upload_lists_created_duplicate_and_failed_files(client, editor, press_contact):
    client.force_login(editor)
    files = [
        upload("kreisblatt.txt", KREISBLATT_SAMPLE.read_bytes()),
        upload("sperrfrist.txt", (SAMPLES / "sperrfrist.txt").read_bytes()),
        upload("leer.txt", b""),
        upload("bild.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ]
    preview, response = upload_and_confirm(client, files)

    # The preview names the files that cannot be read; nothing is created before the confirmation.
    assert "Die Datei ist leer." in preview.text
    assert "Das ist keine Textdatei, sondern PNG" in preview.text
    assert preview.text.count('class="import-failed"') == 2
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="import-created"') == 2
    articles = Article.objects.order_by("pk")
    assert [(a.title, a.state, a.created_by) for a in articles] == [
        ("KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS", "draft", editor),
        ("Projekt „Harz in Bewegung“ startet in Halberstadt", "draft", editor),
    ]
    assert reverse("admin:press_article_change", args=[articles[0].pk]) in page

    again = client.post(IMPORT_URL, {"files": [upload("k.txt", KREISBLATT_SAMPLE.read_bytes())]})
    assert again.content.decode().count('class="import-duplicate"') == 1
    client.post(IMPORT_URL, preview_data(again))
    assert Article.objects.count() == 2


def test_upload_without_a_file_shows_the_form_again(client, editor):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Article.objects.exists()


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [("Redaktion", 200), ("Freigabe", 200), ("Administration", 200), ("ohne Rolle", 403)],
)
def test_text_download_for_who_can_see_the_article(
    client, users_by_role, published_article, role, status
):
    client.force_login(users_by_role[role])
    response = client.get(reverse("admin:press_article_export_txt", args=[published_article.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        day = published_article.publication_date
        assert response["Content-Disposition"] == (
            f'attachment; filename="{day:%Y-%m-%d}-{published_article.slug}.txt"'
        )
        assert response.content.decode("utf-8") == export_text(published_article)


def test_pdf_download_and_links_on_the_article(client, editor, draft_article):
    client.force_login(editor)
    pdf_url = reverse("admin:press_article_export_pdf", args=[draft_article.pk])
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="entwurf-{draft_article.slug}.pdf"' in response["Content-Disposition"]

    page = client.get(reverse("admin:press_article_change", args=[draft_article.pk]))
    assert pdf_url in page.content.decode()
    txt_url = reverse("admin:press_article_export_txt", args=[draft_article.pk])
    assert txt_url in page.content.decode()


def test_downloads_need_a_login(client, published_article):
    response = client.get(reverse("admin:press_article_export_pdf", args=[published_article.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
