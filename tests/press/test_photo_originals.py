"""A photo's original keeps its camera data and GPS position, so no URL reaches it: it lives
outside MEDIA_ROOT, the admin links the stripped copy, and everything the public can fetch is
a rendition without location data. A photo that only non-public articles use is not served to
the public at all; staff see it (preview) uncached."""

import importlib
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pyexiv2
import pytest
from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.utils import timezone
from PIL import Image

from press.models import Photo
from releases.exporting import export_pdf
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OCTOBER_6 = timezone.make_aware(timezone.datetime(2017, 10, 6, 10, 0))


def jpeg_with_gps(width: int = 1800, height: int = 1200) -> bytes:
    """A camera's JPEG: EXIF with the place it was taken (Halberstadt, 51.9° N 11.05° E)."""
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 53.0, 45.0)
    gps[3], gps[4] = "E", (11.0, 2.0, 50.0)
    buffer = BytesIO()
    Image.new("RGB", (width, height), "steelblue").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def exif_of(data: bytes) -> dict:
    with pyexiv2.ImageData(data) as image:
        return image.read_exif()


def has_location(data: bytes) -> bool:
    return any("GPS" in key for key in exif_of(data))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def staff_client(client, editor):
    """Logged in through the admin's log-in page, as a browser: with the staff marker."""
    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    return client


@pytest.fixture
def gps_photo(make_photo):
    return make_photo(data=jpeg_with_gps())


@pytest.fixture
def public_article_with_gps_photo(make_article, gps_photo):
    return make_article("published", title="Ortstermin", publish_at=OCTOBER_6, lead_photo=gps_photo)


def test_the_original_keeps_its_location_outside_the_media_folder(gps_photo, settings):
    path = Path(gps_photo.image.path)
    assert path.is_relative_to(settings.PHOTO_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert has_location(path.read_bytes()), "the office keeps the camera's original"
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    with pytest.raises(ValueError):
        gps_photo.image.storage.url(gps_photo.image.name)  # what FieldFile.url calls


def test_nothing_the_public_can_fetch_from_an_article_carries_a_location(
    client, public_article_with_gps_photo, gps_photo
):
    article = public_article_with_gps_photo
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/feed/rss/").content.decode()
    addresses = set(re.findall(r'(?:src|href|content|url)="([^"]*/fotos[^"]*)"', page + feed))
    addresses |= {
        address
        for srcset in re.findall(r'srcset="([^"]*)"', page)
        for address in re.findall(r"(\S+) \d+w", srcset)
    }
    paths = {re.sub(r"^https?://[^/]+", "", address) for address in addresses}
    # Every rendition, the og:image, the feed's enclosure, the download and the ZIP.
    assert len(paths) >= 9 and any(p.endswith(".zip") for p in paths)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        data = body(response)
        if path.endswith(".zip"):
            with zipfile.ZipFile(BytesIO(data)) as bundle:
                members = [bundle.read(n) for n in bundle.namelist() if n.endswith(".jpg")]
            assert members and not any(has_location(member) for member in members)
        elif response["Content-Type"] == "image/jpeg":
            assert not has_location(data), path
            assert "Exif.Image.Make" not in exif_of(data), path
    assert gps_photo.image.name not in page + feed


def test_the_original_is_not_among_the_files_served_even_to_staff(client, editor, gps_photo):
    original = Path(gps_photo.image.name).name
    staff = staff_client(client, editor)
    assert staff.get(f"/fotos/{gps_photo.pk}/{original}").status_code == 404
    assert staff.get(f"/fotos/{gps_photo.pk}/{gps_photo.image.name}").status_code == 404


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn", "none"])
def test_a_photo_that_no_public_article_shows_is_not_served_to_the_public(
    client, make_article, gps_photo, state
):
    if state == "scheduled":
        make_article(
            "published",
            publish_at=timezone.now() + timezone.timedelta(days=1),
            lead_photo=gps_photo,
        )
    elif state != "none":
        make_article(state, publish_at=OCTOBER_6).photos.add(gps_photo)
    urls = [gps_photo.file_url(entry) for entry in gps_photo.renditions]
    assert len(urls) == 7
    assert {client.get(url).status_code for url in urls} == {404}


def test_a_photo_is_served_while_its_article_is_public_and_then_no_more(
    client, make_article, make_photo, approver
):
    photo = make_photo()
    article = make_article("published", publish_at=OCTOBER_6, lead_photo=photo)
    url = photo.display["url"]
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    with Image.open(BytesIO(body(response))) as image:
        assert image.size == (800, 533)
    article.withdraw(by=approver, reason="Falsches Foto.")
    assert client.get(url).status_code == 404


def test_staff_see_a_drafts_photo_in_the_preview_but_no_cache_keeps_it(
    client, editor, make_article, gps_photo
):
    make_article("draft", lead_photo=gps_photo)
    url = gps_photo.display["url"]
    response = staff_client(client, editor).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not has_location(body(response))


def test_the_admin_links_the_stripped_copy_never_the_original(client, editor, gps_photo):
    staff = staff_client(client, editor)
    change = staff.get(f"/admin/press/photo/{gps_photo.pk}/change/").content.decode()
    listing = staff.get("/admin/press/photo/").content.decode()
    history = staff.get(f"/admin/press/photo/{gps_photo.pk}/history/")
    assert history.status_code == 200
    for page in (change, listing, history.content.decode()):
        assert gps_photo.image.name not in page
        assert Path(gps_photo.image.name).name not in page
    assert f'href="{gps_photo.download["url"]}"' in change
    assert "ohne Kameradaten und Standort" in change
    assert f'src="{gps_photo.thumbnail_url}"' in listing and "-400.jpeg" in listing
    copy = staff.get(gps_photo.download["url"])
    assert copy.status_code == 200 and not has_location(body(copy))


def test_the_pdf_shows_the_photo_from_its_new_place_without_camera_data(
    public_article_with_gps_photo, gps_photo
):
    pdf = export_pdf(public_article_with_gps_photo)
    assert b"/DCTDecode" in pdf, "the lead photo is in the PDF"
    assert b"Kamerahersteller" in Path(gps_photo.image.path).read_bytes()
    assert b"Kamerahersteller" not in pdf and b"Exif\x00\x00" not in pdf


def test_the_migration_moves_existing_photo_files_out_of_the_media_folder(make_photo, settings):
    photo = make_photo(data=jpeg_with_gps())
    names = [photo.image.name, *(entry["name"] for entry in photo.renditions)]
    photos = storages["photos"]
    for name in names:  # where they were before: in MEDIA_ROOT
        with photos.open(name) as handle:
            default_storage.save(name, handle)
        photos.delete(name)
    migration = importlib.import_module("press.migrations.0012_photo_files_outside_media")
    migration.move_files(apps, None)
    assert all(photos.exists(name) for name in names)
    assert not any(default_storage.exists(name) for name in names)
    assert Photo.objects.get(pk=photo.pk).download["url"]


def test_a_photo_file_missing_from_the_storage_is_not_found_not_an_error(
    client, public_article_with_gps_photo, gps_photo
):
    gps_photo.image.storage.delete(gps_photo.download["name"])
    article = public_article_with_gps_photo
    assert client.get(gps_photo.download["url"]).status_code == 404
    assert client.get(f"{article.get_absolute_url()}fotos/{gps_photo.pk}/").status_code == 404
    assert client.get(f"{article.get_absolute_url()}fotos.zip").status_code == 404


def test_behind_nginx_the_app_checks_and_nginx_sends_the_rendition(
    client, settings, make_article, make_photo
):
    settings.PHOTO_ACCEL_REDIRECT = "/_fotos/"
    public, hidden = make_photo(), make_photo()
    make_article("published", publish_at=OCTOBER_6, lead_photo=public)
    make_article("draft", lead_photo=hidden)
    entry = public.renditions[0]
    response = client.get(public.file_url(entry))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_fotos/{entry['name']}"
    assert response["Cache-Control"] == "public, max-age=3600"
    response = client.get(hidden.file_url(hidden.renditions[0]))
    assert response.status_code == 404 and not response.has_header("X-Accel-Redirect")


def test_a_read_only_photo_page_links_the_stripped_copy(client, gps_photo):
    """Someone who may only view photos gets Django's read-only page, which would link the
    file's own URL; the original has none, so the page links the copy without metadata."""
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    viewer = make_user("betrachter")
    viewer.user_permissions.add(Permission.objects.get(codename="view_photo"))
    client.force_login(viewer)

    page = client.get(f"/admin/press/photo/{gps_photo.pk}/change/")

    assert page.status_code == 200
    assert f'href="{gps_photo.download["url"]}"' in page.text
    assert Path(gps_photo.image.name).name not in page.text
