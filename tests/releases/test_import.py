"""Storing imported releases (releases.importing) and `manage.py import_releases`."""

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from press.models import Article, ArticleEvent, PressContact, Quote, Spokesperson
from releases import importing as import_service
from releases.importing import ImportOutcome, import_file

from .conftest import KREISBLATT_SAMPLE, SAMPLES, encoded

BERLIN = ZoneInfo("Europe/Berlin")

NEW_CONTACT_RELEASE = """Pressemitteilung vom 01.02.2024

Neuer Kurs in Wernigerode

Ab März gibt es einen neuen Kurs für Berufsrückkehrende.

Rückfragen:
Stadt Wernigerode, Pressestelle
Telefon: 03943 654-0
E-Mail: presse@wernigerode.de
"""


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, ArticleEvent, PressContact, Quote, Spokesperson)
    }


# --- one file ---------------------------------------------------------------------------------


def test_the_sample_becomes_a_draft_with_existing_contact_and_spokesperson(
    press_contact, spokesperson, sample_bytes
):
    outcome = import_file("kreisblatt-2017-10-06.txt", sample_bytes)

    assert outcome.status == ImportOutcome.CREATED
    article = Article.objects.get()
    assert article == outcome.article
    assert article.state == Article.State.DRAFT
    assert article.publish_at is None
    assert article.kind == Article.Kind.KREISBLATT
    assert article.kicker == "Zuarbeit Kreisblatt"
    assert article.title == "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS"
    assert article.lead.startswith("Ende September tagte")
    assert article.body.count("<p>") == 3
    assert "sind es aber Wert" in article.body
    assert len(article.source_hash) == 64
    # "03943 58 – 3234" in the file is the stored "03943 58-3234": matched, not duplicated.
    assert article.press_contact == press_contact
    assert PressContact.objects.count() == 1
    assert Spokesperson.objects.get() == spokesperson
    quotes = list(article.quotes.all())
    assert [quote.spokesperson for quote in quotes] == [spokesperson] * 4
    assert quotes[0].function == "Eigenbetriebsleiterin KoBa Harz"
    event = article.events.get()
    assert (event.action, event.by, event.to_state) == ("created", None, "draft")
    assert "kreisblatt-2017-10-06.txt" in event.comment


def test_unknown_contact_and_spokesperson_are_created_once(press_contact):
    text = NEW_CONTACT_RELEASE.replace(
        "Berufsrückkehrende.",
        "Berufsrückkehrende. „Wir freuen uns auf viele Anmeldungen“, sagt Anna Schmidt, "
        "Kursleiterin.",
    )
    outcome = import_file("kurs.txt", text.encode())

    contact = outcome.article.press_contact
    assert contact != press_contact
    assert (contact.label, contact.phone, contact.email) == (
        "Stadt Wernigerode, Pressestelle",
        "03943 654-0",
        "presse@wernigerode.de",
    )
    person = Spokesperson.objects.get()
    assert (person.name, person.function) == ("Anna Schmidt", "Kursleiterin")

    second = import_file("kurs-2.txt", text.replace("März", "April").encode())
    assert second.article.press_contact == contact
    assert Spokesperson.objects.count() == 1
    assert PressContact.objects.count() == 2


def test_the_admin_upload_imports_as_the_user(editor, press_contact, sample_bytes):
    outcome = import_file("sample.txt", sample_bytes, user=editor)
    assert outcome.status == ImportOutcome.CREATED
    assert outcome.article.created_by == editor
    assert outcome.article.events.get().by == editor


def test_a_user_who_may_not_add_articles_imports_nothing(outsider, press_contact, sample_bytes):
    before = counts()
    outcome = import_file("sample.txt", sample_bytes, user=outsider)
    assert outcome.status == ImportOutcome.FAILED
    assert "Berechtigung" in outcome.reason
    assert counts() == before


def test_publish_keeps_the_release_date(press_contact, sample_bytes):
    article = import_file("sample.txt", sample_bytes, publish=True).article
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    assert article.publish_at == datetime(2017, 10, 6, tzinfo=BERLIN)
    assert article.publication_date.isoformat() == "2017-10-06"
    assert article.is_public()
    assert list(article.events.values_list("action", flat=True)) == ["published", "created"]


def test_publish_with_a_future_embargo_schedules(press_contact):
    text = (SAMPLES / "sperrfrist.txt").read_text(encoding="utf-8").replace("2009", "2099")
    article = import_file("sperrfrist.txt", text.encode(), publish=True).article
    assert article.publish_at == datetime(2099, 2, 26, 10, tzinfo=BERLIN)
    assert article.is_scheduled()
    assert not Article.objects.published().exists()


def test_publish_without_a_date_fails_and_leaves_nothing(press_contact):
    text = NEW_CONTACT_RELEASE.replace("Pressemitteilung vom 01.02.2024", "Pressemitteilung")
    before = counts()
    outcome = import_file("ohne-datum.txt", text.encode(), publish=True)
    assert outcome.status == ImportOutcome.FAILED
    assert "Veröffentlichungsdatum" in outcome.reason
    # Not even the new press contact of the file stays.
    assert counts() == before


# --- idempotence and transactions ---------------------------------------------------------------


def test_importing_the_same_file_twice_creates_nothing_new(press_contact, sample_bytes):
    first = import_file("sample.txt", sample_bytes)
    before = counts()
    again = import_file("sample-kopie.txt", sample_bytes)
    # The same text saved elsewhere in Windows-1252 with CRLF is the same release.
    text = sample_bytes.decode("utf-8")
    windows = import_file("sample-ansi.txt", encoded(text, "cp1252", "\r\n"))

    assert (again.status, windows.status) == (ImportOutcome.DUPLICATE, ImportOutcome.DUPLICATE)
    assert again.article == windows.article == first.article
    assert counts() == before


def test_a_file_another_import_stored_since_the_look_up_is_a_duplicate(
    monkeypatch, press_contact, sample_bytes
):
    """Two uploads of one file at once: the second passed the look-up before the first
    committed, so its insert meets the unique index (unique_import_source). Imported "anyway"
    (allow_duplicate), so that the same title and date do not stop it before the insert."""
    first = import_file("sample.txt", sample_bytes).article
    looked_up = []

    def before_the_other_import_committed(digest):
        looked_up.append(digest)
        return None if len(looked_up) == 1 else first

    monkeypatch.setattr(import_service, "imported_from", before_the_other_import_committed)
    before = counts()
    again = import_file("sample-kopie.txt", sample_bytes, allow_duplicate=True)
    assert (again.status, again.article) == (ImportOutcome.DUPLICATE, first)
    assert len(looked_up) == 2  # the look-up, and the one after the rejected insert
    assert counts() == before


def test_a_changed_file_with_the_same_title_and_date_is_a_duplicate_unless_wanted(
    press_contact, sample_bytes
):
    first = import_file("sample.txt", sample_bytes).article
    changed = sample_bytes.replace(b"Ende September", b"Mitte September")

    again = import_file("sample-neu.txt", changed)
    assert (again.status, again.duplicate_of) == (ImportOutcome.DUPLICATE, first)
    assert Article.objects.count() == 1

    wanted = import_file("sample-neu.txt", changed, allow_duplicate=True)
    assert wanted.status == ImportOutcome.CREATED
    assert Article.objects.count() == 2


def test_a_failure_midway_leaves_nothing_behind(monkeypatch, press_contact):
    def broken(*args, **kwargs):
        raise DatabaseError("Verbindung unterbrochen")

    monkeypatch.setattr(import_service, "add_quotes", broken)
    before = counts()
    outcome = import_file("kurs.txt", NEW_CONTACT_RELEASE.encode())
    assert outcome.status == ImportOutcome.FAILED
    assert "Verbindung unterbrochen" in outcome.reason
    assert counts() == before


def test_an_unexpected_parser_error_is_reported_as_a_failed_file(db, monkeypatch, sample_bytes):
    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(import_service, "parse_release", broken)
    outcome = import_file("sample.txt", sample_bytes)
    assert outcome.status == ImportOutcome.FAILED
    assert outcome.reason == "Die Datei konnte nicht gelesen werden."
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "Die Datei ist leer."),
        (b"\x00\x01\x02\x03" * 200, "Das ist keine Textdatei (Binärdaten)."),
        (b"Nur ein Satz ohne alles. " * 20, "Keine Überschrift gefunden"),
    ],
    ids=["empty", "binary", "no headline"],
)
def test_a_bad_file_is_reported_and_leaves_nothing(press_contact, data, reason):
    before = counts()
    outcome = import_file("kaputt.txt", data)
    assert outcome.status == ImportOutcome.FAILED
    assert outcome.reason.startswith(reason)
    assert counts() == before


# --- the command --------------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_releases", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_files_and_folders_as_drafts(press_contact):
    out, _err = run(str(SAMPLES), str(KREISBLATT_SAMPLE))
    assert Article.objects.count() == 4
    assert set(Article.objects.values_list("state", flat=True)) == {"draft"}
    assert "4 Dateien: 4 angelegt, 0 bereits vorhanden, 0 fehlerhaft." in out

    out, _err = run(str(SAMPLES), str(KREISBLATT_SAMPLE))
    assert Article.objects.count() == 4
    assert "4 Dateien: 0 angelegt, 4 bereits vorhanden, 0 fehlerhaft." in out


def test_command_names_bad_files_and_goes_on(press_contact, tmp_path):
    (tmp_path / "leer.txt").write_bytes(b"")
    (tmp_path / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "gut.txt").write_bytes(KREISBLATT_SAMPLE.read_bytes())
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2 Datei"):
        call_command("import_releases", str(tmp_path), stdout=out, stderr=err)
    assert f"FEHLER {tmp_path / 'leer.txt'}: Die Datei ist leer." in err.getvalue()
    assert f"FEHLER {tmp_path / 'bild.txt'}: Das ist keine Textdatei, sondern PNG" in (
        err.getvalue()
    )
    assert "3 Dateien: 1 angelegt, 0 bereits vorhanden, 2 fehlerhaft." in out.getvalue()
    assert Article.objects.get().title.startswith("KoBa Harz präsentiert sich")


def test_command_publish_migrates_an_archive(press_contact):
    run("--publish", str(KREISBLATT_SAMPLE))
    article = Article.objects.get()
    assert article.is_public()
    assert timezone.localdate(article.publish_at).isoformat() == "2017-10-06"


def test_dry_run_json_prints_one_object_per_file_and_saves_nothing(press_contact, tmp_path):
    (tmp_path / "leer.txt").write_bytes(b"")
    before = counts()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_releases",
            "--dry-run",
            "--json",
            str(KREISBLATT_SAMPLE),
            str(SAMPLES / "sperrfrist.txt"),
            str(tmp_path / "leer.txt"),
            stdout=out,
            stderr=err,
        )
    data = json.loads(out.getvalue())
    assert counts() == before
    assert [item["file"] for item in data] == [
        str(KREISBLATT_SAMPLE),
        str(SAMPLES / "sperrfrist.txt"),
        str(tmp_path / "leer.txt"),
    ]
    sample, embargoed, empty = data
    assert set(sample) == {
        "file", "kind", "kicker", "title", "date", "embargo", "lead", "paragraphs", "captions",
        "quotes", "contacts", "warnings", "uncertain", "meta_lines",
    }  # fmt: skip
    assert sample["date"] == "2017-10-06"
    assert sample["quotes"][0]["speaker"] == "Claudia Langer"
    assert sample["contacts"][0]["email"] == "presse@koba-jobcenter-harz.de"
    assert embargoed["embargo"] == "2009-02-26T10:00:00+01:00"
    assert embargoed["quotes"][1] == {
        "speaker": "Thomas Berger",
        "function": "Projektleiter",
        "text": (
            "Wir haben gute Erfahrungen mit kleinen Gruppen gemacht. Niemand muss Sportler sein"
        ),
    }
    assert empty == {"file": str(tmp_path / "leer.txt"), "error": "Die Datei ist leer."}
    assert "3 Dateien: 2 lesbar, 1 fehlerhaft" in err.getvalue()


def test_json_needs_dry_run():
    with pytest.raises(CommandError, match="--dry-run"):
        run("--json", str(KREISBLATT_SAMPLE))


def test_a_missing_path_is_an_error_before_anything_is_imported(press_contact, tmp_path):
    with pytest.raises(CommandError, match="Nicht gefunden"):
        run(str(KREISBLATT_SAMPLE), str(tmp_path / "fehlt.txt"))
    assert not Article.objects.exists()
