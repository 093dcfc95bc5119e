"""Photo uploads through the admin: the content decides, bad files get a message, never a 500."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from press.models import Photo
from tests.conftest import jpeg_bytes


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's shape
    without the memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def gif_html_polyglot() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "GIF")
    return buffer.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("portrait.jpg", gif_html_polyglot(), "Nur JPEG, PNG und WebP"),
        ("logo.svg", SVG, "kein lesbares Bild"),
        ("logo.jpg", SVG, "kein lesbares Bild"),
        ("bombe.png", png_claiming(30_000, 30_000), "zu groß zum Verarbeiten"),
        ("riesig.png", png_claiming(9_000, 8_000), "zu viele Bildpunkte"),
        ("leer.jpg", b"", "leer"),
        ("seite.jpg", b"<!DOCTYPE html><html><body>Hallo</body></html>", "kein lesbares Bild"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
    client, editor, name, content, message
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:press_photo_add"),
        {
            "image": SimpleUploadedFile(name, content),
            "alt_text": "Beschreibung",
            "credit": "KoBa Harz",
            "caption": "",
            "usage_rights": "",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()
    assert not default_storage.exists("photos") or not any(default_storage.listdir("photos")[1])


def test_an_oversized_file_is_refused_before_it_is_read(client, editor, settings, monkeypatch):
    monkeypatch.setattr("press.photos.MAX_UPLOAD_BYTES", 1000)
    client.force_login(editor)
    response = client.post(
        reverse("admin:press_photo_add"),
        {
            "image": SimpleUploadedFile("gross.jpg", jpeg_bytes(400, 400)),
            "alt_text": "Beschreibung",
            "credit": "KoBa Harz",
        },
    )
    assert response.status_code == 200
    assert "zu groß" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_good_upload_gets_our_name_and_clean_renditions(client, editor):
    client.force_login(editor)
    data = jpeg_bytes(900, 600) + b"<script>alert(1)</script>"  # JPEG with a tail
    response = client.post(
        reverse("admin:press_photo_add"),
        {
            "image": SimpleUploadedFile("../../etc/passwd<script>.php.jpg", data),
            "alt_text": "Beschreibung",
            "credit": "KoBa Harz",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert "passwd" not in photo.image.name and "script" not in photo.image.name
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    for entry in photo.renditions:
        with default_storage.open(entry["name"]) as handle:
            assert b"<script>" not in handle.read()
