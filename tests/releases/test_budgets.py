"""Size and time budgets of one release file (issue 12, item 8): RELEASE_IMPORT_MAX_BYTES and
RELEASE_IMPORT_MAX_SECONDS, in the admin upload, the command and `import_file()`.

The report's files: 105,000 short paragraphs (1.9 MB) killed the gunicorn worker of the admin
upload; 0.4 MB of page-broken words took 600 s."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from press.models import Article
from releases.importing import ImportOutcome, import_file

from .conftest import KREISBLATT_SAMPLE

IMPORT_URL = reverse("admin:press_article_import")
REPORTED_PARAGRAPHS = (
    "Titel\n\nDer Vorspann.\n\n"
    + "".join(f"Absatz {number} mit etwas Text.\n\n" for number in range(105_000))
).encode()
REPORTED_PAGE_BREAKS = ("Titel\n\n" + "text\x0c" * 80_000).encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_default_budgets_fit_a_press_release_and_not_the_reported_files(settings):
    # A release is a few KB; the sample is 4 KB.
    assert 100_000 <= settings.RELEASE_IMPORT_MAX_BYTES < len(REPORTED_PAGE_BREAKS)
    assert 1 <= settings.RELEASE_IMPORT_MAX_SECONDS <= 20  # gunicorn's worker timeout is 30 s


@pytest.mark.parametrize(
    "data", [REPORTED_PARAGRAPHS, REPORTED_PAGE_BREAKS], ids=["1.9MB", "0.4MB"]
)
def test_an_upload_over_the_size_budget_is_a_form_error_and_saves_nothing(
    client, editor, press_contact, data
):
    client.force_login(editor)
    files = [upload("gut.txt", KREISBLATT_SAMPLE.read_bytes()), upload("riesig.txt", data)]
    response = client.post(IMPORT_URL, {"files": files})

    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert any("„riesig.txt“ ist zu groß für eine Pressemitteilung" in error for error in errors)
    assert "zu groß für eine Pressemitteilung" in response.content.decode()
    assert not Article.objects.exists()  # not even the good file: the upload is refused whole


def test_an_upload_over_the_time_budget_is_a_form_error_and_saves_nothing(
    client, editor, press_contact, settings
):
    settings.RELEASE_IMPORT_MAX_SECONDS = 0
    client.force_login(editor)
    sample = KREISBLATT_SAMPLE.read_bytes()
    files = [upload("a.txt", sample), upload("b.txt", sample.replace(b"2017", b"2018"))]
    response = client.post(IMPORT_URL, {"files": files})

    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert errors[0].startswith("„a.txt“: Die Datei braucht zu lange zum Lesen")
    # The budget is that of the whole upload: the next file is not even read.
    assert errors[1].startswith("„b.txt“: Nicht gelesen: die Zeit für diesen Upload ist abgelaufen")
    assert response.content.decode().count('class="import-failed"') == 2
    assert not Article.objects.exists()


def test_import_file_refuses_a_file_over_the_size_budget(db, settings):
    settings.RELEASE_IMPORT_MAX_BYTES = 1000
    outcome = import_file("a.txt", KREISBLATT_SAMPLE.read_bytes())
    assert outcome.status == ImportOutcome.FAILED
    assert outcome.reason.startswith("Die Datei ist zu groß für eine Pressemitteilung")
    assert not Article.objects.exists()


def test_the_command_names_a_file_over_a_budget_and_imports_the_others(
    press_contact, tmp_path, settings
):
    (tmp_path / "gross.txt").write_bytes(REPORTED_PAGE_BREAKS)
    (tmp_path / "gut.txt").write_bytes(KREISBLATT_SAMPLE.read_bytes())
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 Datei"):
        call_command("import_releases", str(tmp_path), stdout=out, stderr=err)
    assert f"FEHLER {tmp_path / 'gross.txt'}: Die Datei ist zu groß für eine Pressemitteilung" in (
        err.getvalue()
    )
    assert "2 Dateien: 1 angelegt, 0 bereits vorhanden, 1 fehlerhaft." in out.getvalue()

    settings.RELEASE_IMPORT_MAX_SECONDS = 0
    (tmp_path / "gross.txt").unlink()
    (tmp_path / "gut.txt").write_bytes(KREISBLATT_SAMPLE.read_bytes() + b"\nNoch ein Satz.\n")
    with pytest.raises(CommandError, match="1 Datei"):
        call_command("import_releases", str(tmp_path), stdout=out, stderr=err)
    assert "Die Datei braucht zu lange zum Lesen" in err.getvalue()
    assert Article.objects.count() == 1
