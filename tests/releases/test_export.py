"""Articles out as release text and as PDF (releases.exporting, `manage.py export_release`)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.loader import load_demo
from press.models import Article, PressContact, Quote, Spokesperson
from releases.exporting import (
    article_paragraphs,
    article_quotes,
    export_pdf,
    export_text,
    render_pdf,
)
from releases.importing import ImportOutcome, import_file
from releases.parser import parse_release
from releases.word_export import export_docx


def test_text_export_is_in_the_release_format(published_article, quote):
    published_article.kicker = "Zuarbeit Kreisblatt"
    published_article.kind = Article.Kind.KREISBLATT
    published_article.save()
    text = export_text(published_article)
    day = published_article.publication_date

    assert text.startswith(f"Zuarbeit Kreisblatt\n{day:%d.%m.%Y}\n\n{published_article.title}\n\n")
    assert "\n\nKurzer Vorspann.\n\nText des Artikels.\n\n" in text
    assert "Claudia Langer, Eigenbetriebsleiterin KoBa Harz: „Das BMAS ist weit von der Basis" in (
        text
    )
    assert text.endswith(
        "Pressekontakt:\n\nPressestelle KoBa Harz\n\n"
        "Tel.: 03943 58-3234 | Fax: 03943 58-3040 | E-Mail: presse@koba-jobcenter-harz.de\n"
    )


def test_a_scheduled_article_exports_its_embargo(scheduled_article):
    text = export_text(scheduled_article)
    parsed = parse_release(text)
    assert "Sperrfrist: " in text
    assert parsed.embargo == scheduled_article.publish_at.replace(second=0, microsecond=0)


def test_lists_and_subheadings_survive_the_round_trip(draft_article):
    draft_article.body = (
        "<p>Die Sprechzeiten:</p><ul><li>Montag: 8 bis 12 Uhr</li><li>Dienstag: 8 bis 18 Uhr</li>"
        "</ul><h2>Online</h2><p>Anträge gehen auch online.</p>"
    )
    draft_article.save()
    parsed = parse_release(export_text(draft_article))
    assert (
        parsed.paragraphs
        == article_paragraphs(draft_article)
        == [
            "Die Sprechzeiten:",
            "- Montag: 8 bis 12 Uhr\n- Dienstag: 8 bis 18 Uhr",
            "Online",
            "Anträge gehen auch online.",
        ]
    )


@pytest.fixture
def demo(db, settings):
    load_demo()
    return list(Article.objects.select_related("press_contact", "lead_photo").order_by("pk"))


EXPORTS = {
    "txt": lambda article: export_text(article).encode(),
    "docx": export_docx,
}


@pytest.mark.parametrize("file_format", sorted(EXPORTS))
def test_import_of_the_export_gives_back_every_demo_article(demo, file_format):
    assert len(demo) >= 10
    contacts = PressContact.objects.count()
    people = Spokesperson.objects.count()
    for original in demo:
        # Its own export is a duplicate of the original by title and date: imported on purpose.
        outcome = import_file(
            f"{original.slug}.{file_format}", EXPORTS[file_format](original), allow_duplicate=True
        )
        assert outcome.status == ImportOutcome.CREATED, (original.title, outcome.reason)
        copy = outcome.article
        assert copy.pk != original.pk
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
    # Everything was matched; nothing was created twice.
    assert PressContact.objects.count() == contacts
    assert Spokesperson.objects.count() == people
    assert Quote.objects.filter(article__in=demo).count() > 0


def test_pdf_is_a_pdf_with_the_article_title(published_article, quote):
    document = render_pdf(published_article)
    assert document.metadata.title == published_article.title
    assert len(document.pages) >= 1
    data = export_pdf(published_article)
    assert data.startswith(b"%PDF-")
    assert len(data) > 1000


# --- the command --------------------------------------------------------------------------------


def test_command_prints_one_article_as_text(published_article):
    out = StringIO()
    call_command("export_release", str(published_article.pk), stdout=out)
    assert out.getvalue() == export_text(published_article)


def test_command_writes_text_and_pdf_files(published_article, draft_article, tmp_path):
    out = StringIO()
    call_command(
        "export_release", published_article.slug, str(draft_article.pk),
        "--output-dir", str(tmp_path), stdout=out,
    )  # fmt: skip
    call_command(
        "export_release", "--all", "--format", "pdf", "--output-dir", str(tmp_path), stdout=out
    )
    day = published_article.publication_date
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == sorted(
        [
            f"{day:%Y-%m-%d}-{published_article.slug}.txt",
            f"{day:%Y-%m-%d}-{published_article.slug}.pdf",
            f"entwurf-{draft_article.slug}.txt",
            f"entwurf-{draft_article.slug}.pdf",
        ]
    )
    text = (tmp_path / f"entwurf-{draft_article.slug}.txt").read_text(encoding="utf-8")
    assert text == export_text(draft_article)
    assert (tmp_path / f"entwurf-{draft_article.slug}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "--all"),
        (["999999"], "gibt es nicht"),
        (["--format", "pdf", "{pk}"], "--output-dir"),
        (["{pk}", "{pk}"], "--output-dir"),
    ],
)
def test_command_refuses_unclear_requests(published_article, args, message):
    args = [arg.format(pk=published_article.pk) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("export_release", *args, stdout=StringIO())


def test_the_text_export_lists_every_correction_and_reimports_without_them(
    approver, published_article
):

    published_article.lead = "Berichtigter Vorspann."
    published_article.edit(by=approver, change_note="Zahl im Vorspann berichtigt.")
    published_article.title += " (ergänzt)"
    published_article.edit(by=approver, change_note="Überschrift ergänzt.")
    text = export_text(published_article)
    section = text.split("Korrekturen:")[1]
    assert section.find("Überschrift ergänzt.") < section.find("Zahl im Vorspann berichtigt.")
    parsed = parse_release(text)
    assert [note.split(": ", 1)[1] for note in parsed.corrections] == [
        "Überschrift ergänzt.",
        "Zahl im Vorspann berichtigt.",
    ]
    assert "berichtigt" not in " ".join(parsed.paragraphs), "notes are not article text"


def test_a_body_line_korrekturen_stays_text_after_export_and_import(editor, draft_article):

    draft_article.body = "<p>Erster Absatz.</p><p>Korrekturen:</p><p>Zweiter Absatz.</p>"
    draft_article.edit(by=editor)
    parsed = parse_release(export_text(draft_article))
    assert parsed.corrections == []
    assert "Korrekturen:" in parsed.paragraphs
