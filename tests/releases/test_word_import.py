"""Press releases written in Word (issue 16, "Word files"): a .docx is recognised like a text
release, keeps its formatting as sanitised rich text, brings its pictures as photos with the
caption and credit printed next to them, and a broken or protected file is refused with a
sentence and leaves nothing behind."""

import io
import os
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from PIL import Image

from press.models import Article, Photo
from releases.importing import ImportOutcome, import_file
from releases.parser import Deadline
from releases.word import read_docx
from tests.conftest import jpeg_bytes
from tests.releases.admin_preview import IMPORT_URL, preview_data

pytestmark = pytest.mark.django_db


def add_link(paragraph, text: str, url: str) -> None:
    """A hyperlink run, as Word writes it (w:hyperlink with a relationship)."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def release_docx(*, picture: bytes | None = None, caption: str = "", alt_text: str = "") -> bytes:
    """A release as press offices write it in Word: kind, date, headline, lead, formatted body,
    a subheading, a list, a quote, optionally a picture with its caption, and the contact."""
    document = docx.Document()
    document.add_paragraph("Pressemitteilung")
    document.add_paragraph("06.10.2017")
    document.add_paragraph("KoBa Harz öffnet Beratungsbüro in Wernigerode")
    document.add_paragraph(
        "Ab Montag berät die KoBa Harz Arbeitsuchende auch in der Innenstadt von Wernigerode."
    )
    body = document.add_paragraph("Das Büro ist ")
    body.add_run("montags bis donnerstags").bold = True
    body.add_run(" geöffnet, ")
    body.add_run("freitags nach Vereinbarung").italic = True
    body.add_run(". Mehr unter ")
    add_link(body, "koba-jobcenter-harz.de", "https://www.koba-jobcenter-harz.de/")
    body.add_run(".")
    document.add_heading("Was angeboten wird", level=2)
    document.add_paragraph("Beratung zu Bürgergeld", style="List Bullet")
    document.add_paragraph("Hilfe bei Bewerbungen", style="List Bullet")
    document.add_paragraph(
        "„Wir wollen dort sein, wo die Menschen sind“, sagt Claudia Langer, "
        "Eigenbetriebsleiterin der KoBa Harz."
    )
    if picture is not None:
        shape = document.add_picture(io.BytesIO(picture))
        if alt_text:
            shape._inline.docPr.set("descr", alt_text)
        document.add_paragraph(caption)
    document.add_paragraph("Pressekontakt KoBa Harz:")
    document.add_paragraph(
        "Tel.: 03943 58 – 3234 | Fax: 03943 58 – 3040 | E-Mail: presse@koba-jobcenter-harz.de"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def media_files(settings) -> list[Path]:
    """Every file in the media folder and in the photos' own storage (originals)."""
    roots = {Path(settings.MEDIA_ROOT), Path(Photo._meta.get_field("image").storage.location)}
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def test_a_word_release_is_recognised_like_a_text_release(admin_user):
    outcome = import_file("mitteilung.docx", release_docx(), user=admin_user)

    assert outcome.status == ImportOutcome.CREATED, outcome.reason
    article = outcome.article
    assert article.kind == "press_release"
    assert article.title == "KoBa Harz öffnet Beratungsbüro in Wernigerode"
    assert article.release_date.isoformat() == "2017-10-06"
    assert article.lead.startswith("Ab Montag berät die KoBa Harz")
    assert article.press_contact.email == "presse@koba-jobcenter-harz.de"
    (quote,) = article.quotes.all()
    assert quote.spokesperson.name == "Claudia Langer"
    assert quote.text.startswith("Wir wollen dort sein")


def test_bold_italic_links_headings_and_lists_stay_rich_text(admin_user):
    article = import_file("mitteilung.docx", release_docx(), user=admin_user).article

    assert "<strong>montags bis donnerstags</strong>" in article.body
    assert "<em>freitags nach Vereinbarung</em>" in article.body
    assert 'href="https://www.koba-jobcenter-harz.de/"' in article.body
    assert "<h2>Was angeboten wird</h2>" in article.body
    assert "<li>Beratung zu Bürgergeld</li><li>Hilfe bei Bewerbungen</li>" in article.body
    # The contact is the article's press contact, not body text.
    assert "03943" not in article.body


def test_markup_typed_into_a_word_paragraph_stays_text():
    document = docx.Document()
    document.add_paragraph("Pressemitteilung")
    document.add_paragraph("Titel der Mitteilung")
    document.add_paragraph("<script>alert(1)</script> & <b>kein Fett</b>")
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_docx(buffer.getvalue())

    html = read.formatted["<script>alert(1)</script> & <b>kein Fett</b>"]
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;kein Fett&lt;/b&gt;</p>"


def test_an_embedded_picture_becomes_the_lead_photo_with_caption_credit_and_alt_text(
    admin_user,
):
    data = release_docx(
        picture=jpeg_bytes(1600, 1000),
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz (Foto: KoBa Harz)",
        alt_text="Claudia Langer am Rednerpult",
    )

    outcome = import_file("mit-bild.docx", data, user=admin_user)

    photo = outcome.article.lead_photo
    assert (photo.caption, photo.credit) == (
        "Claudia Langer, Eigenbetriebsleiterin KoBa Harz",
        "KoBa Harz",
    )
    assert photo.alt_text == "Claudia Langer am Rednerpult"
    assert (photo.width, photo.height) == (1600, 1000)
    with Image.open(photo.image.path) as stored:
        assert stored.getpixel((800, 500)) == pytest.approx((70, 130, 180), abs=3)
    # The caption is the photo's, not a paragraph of the body.
    assert "Eigenbetriebsleiterin KoBa Harz (Foto" not in outcome.article.body


def test_a_picture_without_alt_text_takes_the_caption_for_now_and_is_flagged(admin_user):
    data = release_docx(
        picture=jpeg_bytes(1600, 1000),
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz (Foto: KoBa Harz)",
    )

    outcome = import_file("ohne-alt.docx", data, user=admin_user)

    assert outcome.article.lead_photo.alt_text == "Claudia Langer, Eigenbetriebsleiterin KoBa Harz"
    assert any("Alternativtext fehlt" in warning for warning in outcome.warnings)


def test_a_picture_without_credit_is_named_in_a_warning_and_not_stored(admin_user, settings):
    data = release_docx(picture=jpeg_bytes(800, 600), caption="Das neue Büro von außen.")

    outcome = import_file("ohne-nachweis.docx", data, user=admin_user)

    assert outcome.status == ImportOutcome.CREATED
    assert outcome.article.lead_photo is None
    assert Photo.objects.count() == 0
    assert media_files(settings) == []
    assert any("Bild 1" in w and "Bildnachweis" in w for w in outcome.warnings)


def test_a_failed_import_leaves_no_picture_files_behind(admin_user, settings):
    data = release_docx(
        picture=jpeg_bytes(1600, 1000),
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz (Foto: KoBa Harz)",
    )
    # The import runs out of time after the pictures were stored, inside its transaction.

    class Expiring(Deadline):
        """A deadline that passes once the pictures are stored (the quotes come after)."""

        def __init__(self):
            super().__init__(10)

        def check(self):
            if Photo.objects.exists():
                super().__init__(0)
            super().check()

    outcome = import_file("zu-langsam.docx", data, user=admin_user, deadline=Expiring())

    assert outcome.status == ImportOutcome.FAILED
    assert "zu lange" in outcome.reason
    assert Article.objects.count() == 0
    assert Photo.objects.count() == 0
    assert media_files(settings) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "kennwortgeschützt"),
        (b"PK\x03\x04" + bytes(100), "keine lesbare Word-Datei"),
        (b"kein Word", "keine lesbare Word-Datei"),
    ],
    ids=["password-protected-or-doc", "broken-archive", "not-a-zip"],
)
def test_a_broken_or_protected_file_is_refused_with_a_sentence(admin_user, data, message):
    outcome = import_file("kaputt.docx", data, user=admin_user)

    assert outcome.status == ImportOutcome.FAILED
    assert message in outcome.reason
    assert Article.objects.count() == 0


def test_a_truncated_word_file_is_refused(admin_user):
    data = release_docx()

    outcome = import_file("halb.docx", data[: len(data) // 2], user=admin_user)

    assert outcome.status == ImportOutcome.FAILED
    assert "Word-Datei" in outcome.reason


def test_a_zip_that_is_not_a_word_document_is_refused(admin_user):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bild.txt", "kein Dokument")

    outcome = import_file("archiv.docx", buffer.getvalue(), user=admin_user)

    assert outcome.status == ImportOutcome.FAILED
    assert "fehlt der Dokumentteil" in outcome.reason


def test_the_command_imports_word_files_from_a_folder(tmp_path):
    (tmp_path / "eins.docx").write_bytes(release_docx())
    (tmp_path / "notiz.pdf").write_bytes(b"%PDF-1.4")

    call_command("import_releases", str(tmp_path), stdout=io.StringIO())

    (article,) = Article.objects.all()
    assert article.title == "KoBa Harz öffnet Beratungsbüro in Wernigerode"


def test_the_admin_upload_takes_a_word_file(client, admin_user, settings):
    client.force_login(admin_user)
    upload = io.BytesIO(release_docx())
    upload.name = "aus-word.docx"

    preview = client.post(IMPORT_URL, {"files": [upload]})

    assert "KoBa Harz öffnet Beratungsbüro in Wernigerode" in preview.text
    assert not Article.objects.exists()
    response = client.post(IMPORT_URL, preview_data(preview))
    assert response.status_code == 200
    assert Article.objects.filter(title="KoBa Harz öffnet Beratungsbüro in Wernigerode").exists()


def test_a_word_file_may_be_larger_than_a_text_file(admin_user, settings):
    settings.RELEASE_IMPORT_MAX_BYTES = 1024
    data = release_docx(
        picture=jpeg_bytes(1600, 1000),
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz (Foto: KoBa Harz)",
    )
    assert len(data) > 1024

    outcome = import_file("gross.docx", data, user=admin_user)

    assert outcome.status == ImportOutcome.CREATED, outcome.reason
    assert os.path.exists(outcome.article.lead_photo.image.path)


def test_an_opendocument_file_is_refused_with_the_way_out(admin_user):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")

    outcome = import_file("mitteilung.odt", buffer.getvalue(), user=admin_user)

    assert outcome.status == ImportOutcome.FAILED
    assert "als .docx speichern" in outcome.reason


def test_a_list_in_a_table_and_a_numbered_list_are_read(admin_user):
    document = docx.Document()
    document.add_paragraph("Pressemitteilung")
    document.add_paragraph("06.10.2017")
    document.add_paragraph("Sprechzeiten der KoBa Harz")
    document.add_paragraph("Die KoBa Harz ändert ihre Sprechzeiten ab November.")
    document.add_paragraph("So geht es:")
    document.add_paragraph("Termin vereinbaren", style="List Number")
    document.add_paragraph("Unterlagen mitbringen", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Halberstadt: Montag bis Donnerstag"
    table.rows[0].cells[1].text = "Wernigerode: Dienstag"
    buffer = io.BytesIO()
    document.save(buffer)

    article = import_file("liste.docx", buffer.getvalue(), user=admin_user).article

    assert "<ol><li>Termin vereinbaren</li><li>Unterlagen mitbringen</li></ol>" in article.body
    assert "Halberstadt: Montag bis Donnerstag" in article.body
    assert "Wernigerode: Dienstag" in article.body
