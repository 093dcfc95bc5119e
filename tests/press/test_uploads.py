"""Photo uploads through the admin: the content decides, bad files get a message, never a 500."""

import struct
import zlib
from io import BytesIO

import pytest

# As in a running server once the admin has exported a PDF: WeasyPrint, on import, tells Pillow
# to decode truncated files without an error (ImageFile.LOAD_TRUNCATED_IMAGES).
import weasyprint  # noqa: F401
from django.core.files.storage import storages
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
    photo_files = storages["photos"]
    assert not photo_files.exists("photos") or not any(photo_files.listdir("photos")[1])


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
        with storages["photos"].open(entry["name"]) as handle:
            assert b"<script>" not in handle.read()


def post_photo(client, name: str, data: bytes):
    return client.post(
        reverse("admin:press_photo_add"),
        {
            "image": SimpleUploadedFile(name, data),
            "alt_text": "Beschreibung",
            "credit": "KoBa Harz",
            "caption": "",
            "usage_rights": "",
        },
    )


def stored_files(root) -> list[str]:
    """Every regular file below the media folder `root`, relative to it."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def mpo_bytes(width: int, height: int) -> bytes:
    """A JPEG as many cameras write it: the picture, then an MPF index and a second frame
    (a preview or the other eye of a stereo pair). Pillow opens it as "MPO"."""
    buffer = BytesIO()
    first = Image.new("RGB", (width, height), (200, 30, 30))
    second = Image.new("RGB", (width // 4, height // 4), (30, 30, 200))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def test_a_camera_jpeg_with_a_second_frame_is_accepted_as_a_jpeg(client, editor):
    data = mpo_bytes(900, 600)
    assert Image.open(BytesIO(data)).format == "MPO"
    client.force_login(editor)
    response = post_photo(client, "kamera.jpg", data)
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (900, 600)
    for entry in photo.renditions:
        with storages["photos"].open(entry["name"]) as handle:
            image = Image.open(BytesIO(handle.read()))
            red, green, blue = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert red > 180 and green < 60 and blue < 60, "the first frame, not the second"


# The largest side each output format can encode: WebP 16383 px (libwebp's WEBP_MAX_DIMENSION),
# JPEG 65500 px (libjpeg's JPEG_MAX_DIMENSION); PNG's 2^31 - 1 is beyond the pixel limit.
FORMAT_LIMITS = {"webp": 16383, "jpeg": 65500, "png": 2**31 - 1}


def test_a_very_tall_photo_gets_renditions_within_every_formats_limits(client, editor):
    client.force_login(editor)
    response = post_photo(client, "plakat.jpg", jpeg_bytes(1000, 18000))
    assert response.status_code == 302
    photo = Photo.objects.get()
    formats = {entry["format"] for entry in photo.renditions if not entry.get("download")}
    assert formats == {"webp", "jpeg"}
    for entry in photo.renditions:
        with storages["photos"].open(entry["name"]) as handle:
            image = Image.open(BytesIO(handle.read()))
        assert image.size == (entry["width"], entry["height"])
        assert max(image.size) <= FORMAT_LIMITS[entry["format"]]
        assert abs(image.height / image.width - 18) < 0.1, "the proportions stay"
    assert photo.download["height"] == 18000
    response = client.get(reverse("admin:press_photo_change", args=[photo.pk]))
    assert response.status_code == 200


def test_a_truncated_jpeg_is_refused_with_a_message_and_stores_nothing(client, editor, settings):
    whole = jpeg_bytes(900, 600, quality=95)
    client.force_login(editor)
    response = post_photo(client, "abgebrochen.jpg", whole[: len(whole) // 2])
    assert response.status_code == 200
    assert "unvollständig" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(settings.PHOTO_ROOT) == []


def test_a_media_folder_that_cannot_be_written_gives_a_message_not_an_error(
    client, editor, settings, tmp_path
):
    # A photo folder below a regular file: no one, not even root, can create it.
    (tmp_path / "keine-mappe").write_text("")
    settings.PHOTO_ROOT = tmp_path / "keine-mappe" / "photos"
    client.force_login(editor)
    response = post_photo(client, "foto.jpg", jpeg_bytes(900, 600))
    assert response.status_code == 200
    assert "konnte nicht gespeichert werden" in response.content.decode()
    assert not Photo.objects.exists()


def test_an_upload_whose_renditions_cannot_be_written_leaves_no_files(client, editor, settings):
    # The original can be stored, the renditions' folder cannot be made (a file in its place).
    settings.PHOTO_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.PHOTO_ROOT / "renditions").write_text("")
    client.force_login(editor)
    response = post_photo(client, "foto.jpg", jpeg_bytes(900, 600))
    assert response.status_code == 200
    assert "konnte nicht gespeichert werden" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(settings.PHOTO_ROOT) == ["renditions"]
