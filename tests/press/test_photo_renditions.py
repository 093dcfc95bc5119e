"""Photos get upright, metadata-free renditions when saved; pages use them with srcset."""

from io import BytesIO

import pytest

# As in a running server once the admin has exported a PDF: WeasyPrint, on import, tells Pillow
# to decode truncated files without an error (ImageFile.LOAD_TRUNCATED_IMAGES).
import weasyprint  # noqa: F401
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from PIL import Image

from press.models import Photo
from press.renditions import PhotoNotStored, rendition_widths
from tests.conftest import jpeg_bytes

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def camera_jpeg(width: int, height: int, orientation: int) -> bytes:
    """A JPEG as a phone writes it: pixels sideways, an orientation tag and a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Kamerahersteller"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 53.0, 40.0), 3: "E", 4: (11.0, 2.0, 50.0)}
    return jpeg_bytes(width, height, exif=exif.tobytes())


def open_rendition(entry) -> Image.Image:
    with storages["photos"].open(entry["name"]) as handle:
        image = Image.open(BytesIO(handle.read()))
        image.load()
    return image


def test_renditions_in_webp_and_jpeg_at_standard_widths(make_photo):
    photo = make_photo(width=2000, height=1000)
    sizes = sorted((entry["format"], entry["width"]) for entry in photo.renditions)
    assert sizes == [
        ("jpeg", 400), ("jpeg", 800), ("jpeg", 1600), ("jpeg", 2000),
        ("webp", 400), ("webp", 800), ("webp", 1600),
    ]  # fmt: skip
    for entry in photo.renditions:
        image = open_rendition(entry)
        assert image.size == (entry["width"], entry["height"])
        assert image.format == entry["format"].upper()
        assert entry["height"] == entry["width"] // 2


def test_a_small_photo_is_never_enlarged():
    assert rendition_widths(300) == [300]
    assert rendition_widths(1000) == [400, 800, 1000]
    assert rendition_widths(5000) == [400, 800, 1600]


def test_exif_orientation_is_applied_and_metadata_stripped(make_photo):
    photo = make_photo(data=camera_jpeg(1200, 800, orientation=6))
    original = Image.open(photo.image.path)
    assert original.getexif()[ORIENTATION] == 6  # the archived original is untouched
    for entry in photo.renditions:
        image = open_rendition(entry)
        assert image.width < image.height, "rotated upright"
        exif = image.getexif()
        assert ORIENTATION not in exif and GPS_IFD not in exif and 0x010F not in exif
        assert "exif" not in image.info
    assert photo.download["width"] == 800 and photo.download["height"] == 1200


def test_png_with_transparency_gets_a_lossless_download_and_flat_jpegs(make_photo):
    buffer = BytesIO()
    Image.new("RGBA", (500, 300), (0, 80, 122, 0)).save(buffer, "PNG")
    photo = make_photo(data=buffer.getvalue())
    assert photo.download["format"] == "png"
    jpeg = next(entry for entry in photo.renditions if entry["format"] == "jpeg")
    assert open_rendition(jpeg).mode == "RGB"


def test_replacing_the_image_replaces_the_renditions(make_photo):
    photo = make_photo()
    old_names = [entry["name"] for entry in photo.renditions]
    with transaction.atomic():
        photo.image = ContentFile(jpeg_bytes(600, 600), name="neu.jpg")
        photo.save()
    assert {entry["width"] for entry in photo.renditions} == {400, 600}
    assert not any(storages["photos"].exists(name) for name in old_names)


def test_editing_the_caption_does_not_remake_renditions(make_photo):
    photo = make_photo()
    names = [entry["name"] for entry in photo.renditions]
    photo.refresh_from_db()
    photo.caption = "Neue Bildunterschrift"
    photo.save()
    assert [entry["name"] for entry in photo.renditions] == names


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deleting_a_photo_deletes_its_files(make_photo):
    photo = make_photo()
    names = [photo.image.name] + [entry["name"] for entry in photo.renditions]
    assert all(storages["photos"].exists(name) for name in names)
    photo.delete()
    assert not any(storages["photos"].exists(name) for name in names)


def test_article_page_serves_srcset_sizes_and_lazy_loading_where_it_helps(
    client, make_article, make_photo
):
    lead = make_photo(width=2000, height=1000)
    article = make_article("published", lead_photo=lead)
    further = make_photo(width=900, height=600, alt_text="Das Beratungsbüro von außen")
    article.photos.add(further)
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in content
    assert "-400.webp 400w" in content and "-1600.jpeg 1600w" in content
    assert 'width="800" height="400"' in content
    # The lead photo is above the fold: loading it lazily would only delay it. Further photos
    # below the text load when they come into view.
    lead_img = content.split('alt="Porträt von Claudia Langer"')[1].split(">")[0]
    further_img = content.split('alt="Das Beratungsbüro von außen"')[1].split(">")[0]
    assert 'loading="lazy"' not in lead_img and 'loading="lazy"' in further_img
    assert lead.image.name not in content, "the original with its metadata is never linked"


def png_bytes(image: Image.Image, **save) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG", **save)
    return buffer.getvalue()


def cmyk_jpeg_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # 16-bit grey: 20000 of 65535 is 78 of 255, not white.
        (png_bytes(Image.new("I;16", (300, 200), 20000)), (78, 78, 78)),
        (png_bytes(Image.new("L", (300, 200), 78)), (78, 78, 78)),
        (png_bytes(Image.new("1", (300, 200), 1)), (255, 255, 255)),
        (png_bytes(Image.new("LA", (300, 200), (78, 255))), (78, 78, 78)),
        (png_bytes(Image.new("RGB", (300, 200), (0, 80, 122))), (0, 80, 122)),
        (cmyk_jpeg_bytes(), (255, 0, 0)),
    ],
    ids=["grey-16-bit", "grey", "bilevel", "grey-alpha", "rgb", "cmyk-jpeg"],
)
def test_every_colour_mode_gives_renditions_with_the_right_colours(make_photo, data, expected):
    photo = make_photo(data=data)
    for entry in photo.renditions:
        image = open_rendition(entry)
        assert image.mode in ("RGB", "RGBA"), entry["format"]
        pixel = image.getpixel((image.width // 2, image.height // 2))[:3]
        assert all(abs(got - want) <= 3 for got, want in zip(pixel, expected, strict=True)), (
            entry["format"],
            pixel,
        )


def palette_png_with_a_transparent_colour() -> bytes:
    """Left half in the palette's transparent colour (black), right half red."""
    image = Image.new("P", (400, 200), 0)
    image.putpalette([0, 0, 0, 200, 30, 30])
    image.paste(1, (200, 0, 400, 200))
    return png_bytes(image, transparency=0)


def test_transparency_is_kept_in_webp_and_png_and_white_in_jpeg(make_photo):
    photo = make_photo(data=palette_png_with_a_transparent_colour())
    assert {entry["format"] for entry in photo.renditions} == {"webp", "jpeg", "png"}
    for entry in photo.renditions:
        image = open_rendition(entry)
        transparent = image.getpixel((10, image.height // 2))
        red = image.getpixel((image.width - 10, image.height // 2))
        if entry["format"] == "jpeg":
            assert all(value >= 250 for value in transparent), "on white"
        else:
            assert image.mode == "RGBA" and transparent[3] == 0, entry["format"]
        assert red[0] > 180 and red[1] < 60 and red[2] < 60
        if len(red) == 4:
            assert red[3] == 255


def test_the_stored_size_is_the_upright_size(client, editor, make_photo):
    photo = make_photo(data=camera_jpeg(1600, 1000, orientation=6))
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1000, 1600)
    # Editing the text keeps it: the form hands the stored file back to the model.
    client.force_login(editor)
    response = client.post(
        reverse("admin:press_photo_change", args=[photo.pk]),
        {"alt_text": "Beschreibung", "credit": "KoBa Harz", "caption": "Neu", "usage_rights": ""},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Neu" and (photo.width, photo.height) == (1000, 1600)


def test_a_photo_whose_renditions_cannot_be_made_is_not_stored(db, settings):
    # Past the form's checks (here: straight through the model), a file that breaks while the
    # renditions are made leaves neither a row nor a file.
    whole = jpeg_bytes(900, 600, quality=95)
    with pytest.raises(PhotoNotStored):
        Photo.objects.create(
            image=ContentFile(whole[: len(whole) // 2], name="foto.jpg"),
            credit="KoBa Harz",
            alt_text="Beschreibung",
        )
    assert not Photo.objects.exists()
    assert not [path for path in settings.PHOTO_ROOT.rglob("*") if path.is_file()]


def test_a_photo_longer_than_a_jpeg_can_be_gets_renditions_within_each_formats_limit(make_photo):
    # 420 × 70000 px is within the pixel limit; JPEG ends at 65500 px, WebP at 16383 px.
    photo = make_photo(data=png_bytes(Image.new("L", (420, 70000), 90)))
    limits = {"webp": 16383, "jpeg": 65500, "png": 2**31 - 1}
    assert {entry["format"] for entry in photo.renditions} == {"webp", "jpeg", "png"}
    for entry in photo.renditions:
        image = open_rendition(entry)
        assert image.size == (entry["width"], entry["height"])
        assert max(image.size) <= limits[entry["format"]]
        assert image.getpixel((0, image.height // 2))[:3] == (90, 90, 90)
    # Both widths (400 and 420 px) end at each format's limit: one rendition each, not two
    # with the same width in the srcset.
    assert photo.webp_srcset.count(" 98w") == 1 and photo.jpeg_srcset.count(" 393w") == 1
    assert (photo.width, photo.height) == (420, 70000)
    assert (photo.download["width"], photo.download["height"]) == (420, 70000)
