"""Rules of the content model beyond the workflow."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from press.models import Photo, PressContact, Quote


def image_upload(
    name: str = "foto.jpg", image_format: str = "JPEG", size=(40, 30)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 80, 122)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_quote_keeps_the_function_held_at_the_time(quote, spokesperson):
    assert quote.function == "Eigenbetriebsleiterin KoBa Harz"
    spokesperson.function = "Landrätin"
    spokesperson.organisation = "Landkreis Harz"
    spokesperson.save()
    quote.refresh_from_db()
    assert quote.attribution == "Claudia Langer, Eigenbetriebsleiterin KoBa Harz"


def test_article_lists_its_quoted_spokespersons(quote, published_article, spokesperson):
    assert list(published_article.spokespersons.all()) == [spokesperson]
    assert list(spokesperson.articles.all()) == [published_article]


def test_quotes_keep_their_order(published_article, spokesperson):
    Quote.objects.create(
        article=published_article, spokesperson=spokesperson, text="Zweites", position=2
    )
    Quote.objects.create(
        article=published_article, spokesperson=spokesperson, text="Erstes", position=1
    )
    assert [q.text for q in published_article.quotes.all()] == ["Erstes", "Zweites"]


def test_only_one_press_contact_is_the_default(press_contact):
    with pytest.raises(IntegrityError), transaction.atomic():
        PressContact.objects.create(label="Zweiter Standard", is_default=True)


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("03943 58-3234", "tel:+49394358" + "3234"),
        ("03943 58 – 3234", "tel:+49394358" + "3234"),
        ("+49 3943 58-3234", "tel:+49394358" + "3234"),
        ("", ""),
    ],
)
def test_press_contact_phone_becomes_a_tel_link(number, uri):
    assert PressContact(label="x", phone=number).phone_uri == uri


def test_a_photo_needs_alt_text_and_credit(db):
    photo = Photo(image=image_upload(), caption="Claudia Langer")
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert {"alt_text", "credit"} <= set(error.value.message_dict)


def test_a_valid_photo_is_stored_under_a_generated_name(db):
    photo = Photo(image=image_upload("Mein Foto (1).JPG"), alt_text="Porträt", credit="KoBa Harz")
    photo.full_clean()
    photo.save()
    assert "Mein Foto" not in photo.image.name
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    assert (photo.width, photo.height) == (40, 30)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>"), "invalid_image"),
        (SimpleUploadedFile("x.jpg", b""), "invalid_image"),
        (image_upload("x.gif", "GIF"), "invalid_format"),
        (
            SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
            "invalid_image",
        ),
    ],
)
def test_photo_upload_is_judged_by_its_content_not_its_name(db, upload, code):
    photo = Photo(image=upload, alt_text="x", credit="x")
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert code in [e.code for e in error.value.error_dict["image"]]


def test_the_editor_offers_only_what_the_sanitiser_keeps():
    config = settings.CKEDITOR_CONFIGS["default"]
    assert config.get("allowedContent") is not True
    assert config.get("fullPage") is False
    assert "ckeditor_uploader" not in settings.INSTALLED_APPS
    buttons = {button for group in config["toolbar_Newsroom"] for button in group}
    assert not buttons & {"Image", "Source", "Table", "Iframe", "Flash", "TextColor", "Font"}
