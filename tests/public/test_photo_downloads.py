"""Downloads for the press: /2017/10/06/<slug>/fotos/<pk>/ gives one photo of a public article
as an attachment named by date, article and credit, with caption and credit in its IPTC and
XMP; /2017/10/06/<slug>/fotos.zip gives all of them. Only public articles have downloads."""

import re
import zipfile
from io import BytesIO

import pyexiv2
import pytest
from django.utils import timezone
from PIL import Image, IptcImagePlugin

from tests.conftest import PASSWORD, jpeg_bytes

pytestmark = pytest.mark.django_db

OCTOBER_6 = timezone.make_aware(timezone.datetime(2017, 10, 6, 10, 0))


def metadata(data: bytes) -> tuple[dict, dict, dict]:
    """(XMP, IPTC, EXIF) of a file as exiv2 reads them."""
    with pyexiv2.ImageData(data) as image:
        return image.read_xmp(), image.read_iptc(), image.read_exif()


def links(content: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', content)


@pytest.fixture
def kreisblatt(make_article, make_photo):
    lead = make_photo(
        width=1800,
        height=1200,
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz",
        credit="KoBa Harz",
        usage_rights="Frei für Presseberichte über die KoBa Harz.",
    )
    further = make_photo(
        width=1600,
        height=1000,
        caption="Das Beratungsbüro in Halberstadt",
        credit="Jürgen Müller / Straßenfoto",
        alt_text="Ein heller Raum mit zwei Schreibtischen",
    )
    article = make_article(
        "published", title="Kreisblatt: Jobcenter Harz", publish_at=OCTOBER_6, lead_photo=lead
    )
    article.photos.add(further)
    return article, lead, further


def test_the_article_page_links_each_download_and_the_zip(client, kreisblatt):
    article, lead, further = kreisblatt
    content = client.get(article.get_absolute_url()).content.decode()
    base = "/2017/10/06/kreisblatt-jobcenter-harz/"
    assert links(content, f"{base}fotos/[0-9]+/") == [
        f"{base}fotos/{lead.pk}/",
        f"{base}fotos/{further.pk}/",
    ]
    assert links(content, f"{base}fotos\\.zip") == [f"{base}fotos.zip"]
    assert "Alle Fotos als ZIP" in content


def test_a_download_is_named_by_date_article_and_credit_in_ascii(client, kreisblatt):
    article, lead, further = kreisblatt
    base = "/2017/10/06/kreisblatt-jobcenter-harz/fotos"
    first = client.get(f"{base}/{lead.pk}/")
    second = client.get(f"{base}/{further.pk}/")
    assert first.status_code == second.status_code == 200
    assert first["Content-Disposition"] == (
        'attachment; filename="2017-10-06_kreisblatt-jobcenter-harz_foto-koba-harz.jpg"'
    )
    # The second photo of the article is numbered; umlauts and ß transliterated as in slugs.
    assert second["Content-Disposition"] == (
        'attachment; filename="2017-10-06_kreisblatt-jobcenter-harz_'
        'foto-juergen-mueller-strassenfoto-2.jpg"'
    )
    assert first["Content-Type"] == "image/jpeg"


def test_caption_credit_and_rights_are_in_the_downloaded_files_metadata(client, kreisblatt):
    article, lead, further = kreisblatt
    response = client.get(f"/2017/10/06/kreisblatt-jobcenter-harz/fotos/{further.pk}/")
    data = b"".join(response.streaming_content)
    xmp, iptc, exif = metadata(data)
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': "Das Beratungsbüro in Halberstadt"}
    assert xmp["Xmp.photoshop.Credit"] == "Jürgen Müller / Straßenfoto"
    assert xmp["Xmp.dc.rights"] == {'lang="x-default"': "Foto: Jürgen Müller / Straßenfoto"}
    assert xmp["Xmp.photoshop.Headline"] == "Kreisblatt: Jobcenter Harz"
    assert xmp["Xmp.dc.source"].endswith("/2017/10/06/kreisblatt-jobcenter-harz/")
    assert iptc["Iptc.Application2.Caption"] == "Das Beratungsbüro in Halberstadt"
    # IIM allows 32 bytes for the credit; the full credit is in the XMP.
    assert iptc["Iptc.Application2.Credit"] == "Jürgen Müller / Straßenfoto"
    assert not any("GPS" in key for key in exif)
    # A second reader (Pillow's IPTC reader) sees UTF-8 text, as the IIM character set says.
    with Image.open(BytesIO(data)) as image:
        info = IptcImagePlugin.getiptcinfo(image)
    assert info[(1, 90)] == b"\x1b%G"
    assert info[(2, 120)].decode() == "Das Beratungsbüro in Halberstadt"

    lead_data = b"".join(
        client.get(f"/2017/10/06/kreisblatt-jobcenter-harz/fotos/{lead.pk}/").streaming_content
    )
    lead_xmp, lead_iptc, _exif = metadata(lead_data)
    assert lead_xmp["Xmp.xmpRights.UsageTerms"] == {
        'lang="x-default"': "Frei für Presseberichte über die KoBa Harz."
    }
    assert lead_iptc["Iptc.Application2.Credit"] == "KoBa Harz"


def test_a_download_has_the_full_size_upright_pixels_of_the_photo(client, make_article, make_photo):
    # A phone photo stored sideways (EXIF orientation 6: turn 90° clockwise to view).
    source = Image.new("RGB", (2000, 1500), "white")
    source.paste((200, 30, 30), (0, 0, 1000, 1500))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = BytesIO()
    source.save(buffer, "JPEG", quality=95, exif=exif)
    photo = make_photo(data=buffer.getvalue())
    article = make_article("published", title="Hochformat", publish_at=OCTOBER_6, lead_photo=photo)
    response = client.get(f"/2017/10/06/{article.slug}/fotos/{photo.pk}/")
    with Image.open(BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (1500, 2000)
        # Turned clockwise, the left half of the stored picture is the top half now.
        top, bottom = image.getpixel((750, 400)), image.getpixel((750, 1600))
    assert top[0] > 150 and top[1] < 80 and top[2] < 80
    assert min(bottom) > 230


def test_the_zip_holds_every_photo_under_its_download_name_with_metadata(client, kreisblatt):
    article, lead, further = kreisblatt
    response = client.get("/2017/10/06/kreisblatt-jobcenter-harz/fotos.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="2017-10-06_kreisblatt-jobcenter-harz_fotos.zip"'
    )
    with zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))) as bundle:
        names = bundle.namelist()
        files = {name: bundle.read(name) for name in names}
    assert names == [
        "2017-10-06_kreisblatt-jobcenter-harz_foto-koba-harz.jpg",
        "2017-10-06_kreisblatt-jobcenter-harz_foto-juergen-mueller-strassenfoto-2.jpg",
        "Bildnachweise.txt",
    ]
    for name, photo in zip(names, (lead, further), strict=False):
        single = client.get(f"/2017/10/06/kreisblatt-jobcenter-harz/fotos/{photo.pk}/")
        assert files[name] == b"".join(single.streaming_content)
        xmp, _iptc, exif = metadata(files[name])
        assert xmp["Xmp.photoshop.Credit"] == photo.credit
        assert not any("GPS" in key for key in exif)
        with Image.open(BytesIO(files[name])) as image:
            assert image.size == (photo.width, photo.height)
    credits = files["Bildnachweise.txt"].decode()
    assert "Foto: Jürgen Müller / Straßenfoto" in credits
    assert "Frei für Presseberichte über die KoBa Harz." in credits


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_a_hidden_article_has_no_downloads(client, make_article, make_photo, state):
    photo = make_photo()
    publish_at = OCTOBER_6
    if state == "scheduled":
        state, publish_at = "published", timezone.now() + timezone.timedelta(days=2)
    article = make_article(state, title="Noch geheim", publish_at=publish_at, lead_photo=photo)
    day = timezone.localdate(article.publish_at or timezone.now())
    base = f"/{day:%Y/%m/%d}/noch-geheim/"
    assert client.get(f"{base}fotos/{photo.pk}/").status_code == 404
    assert client.get(f"{base}fotos.zip").status_code == 404


def test_a_photo_the_article_does_not_show_is_not_downloaded_through_it(
    client, kreisblatt, make_photo
):
    other = make_photo()
    response = client.get(f"/2017/10/06/kreisblatt-jobcenter-harz/fotos/{other.pk}/")
    assert response.status_code == 404
    assert client.get("/2017/10/07/kreisblatt-jobcenter-harz/fotos.zip").status_code == 404


def test_public_downloads_are_cacheable(client, kreisblatt):
    _article, lead, _further = kreisblatt
    for url in (
        f"/2017/10/06/kreisblatt-jobcenter-harz/fotos/{lead.pk}/",
        "/2017/10/06/kreisblatt-jobcenter-harz/fotos.zip",
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and "max-age=3600" in cache_control


def test_the_admin_warns_when_a_photo_is_too_small_for_the_press(client, editor, make_photo):
    small, large = make_photo(width=1400, height=900), make_photo(width=1500, height=1000)
    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    page = client.get(f"/admin/press/photo/{small.pk}/change/").content.decode()
    assert "für den Download an die Presse zu klein: 1400 × 900 px" in page
    assert "mindestens 1500 px" in page
    assert "zu klein" not in client.get(f"/admin/press/photo/{large.pk}/change/").content.decode()
    listing = client.get("/admin/press/photo/").content.decode()
    assert listing.count('class="photo-too-small"') == 1


def test_the_minimum_size_for_downloads_is_a_setting(client, editor, make_photo, settings):
    settings.PHOTO_DOWNLOAD_MIN_SIDE = 1000
    photo = make_photo(width=1200, height=800)
    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert "zu klein" not in client.get(f"/admin/press/photo/{photo.pk}/change/").content.decode()
    settings.PHOTO_DOWNLOAD_MIN_SIDE = 1201
    assert (
        "mindestens 1201 px"
        in client.get(f"/admin/press/photo/{photo.pk}/change/").content.decode()
    )


def test_a_png_is_downloaded_as_png_with_its_metadata(client, make_article, make_photo):
    buffer = BytesIO()
    Image.new("RGBA", (1600, 900), (10, 20, 30, 128)).save(buffer, "PNG")
    photo = make_photo(data=buffer.getvalue(), credit="Landkreis Harz")
    article = make_article("published", title="Grafik", publish_at=OCTOBER_6, lead_photo=photo)
    response = client.get(f"/2017/10/06/{article.slug}/fotos/{photo.pk}/")
    assert response["Content-Disposition"].endswith('_foto-landkreis-harz.png"')
    data = b"".join(response.streaming_content)
    assert metadata(data)[0]["Xmp.photoshop.Credit"] == "Landkreis Harz"
    with Image.open(BytesIO(data)) as image:
        assert (image.format, image.mode, image.getpixel((5, 5))) == (
            "PNG",
            "RGBA",
            (10, 20, 30, 128),
        )


def test_a_jpeg_download_is_not_encoded_again(client, make_article, make_photo):
    photo = make_photo(data=jpeg_bytes(1600, 1000, color="seagreen"))
    article = make_article("published", title="Grün", publish_at=OCTOBER_6, lead_photo=photo)
    data = b"".join(client.get(f"/2017/10/06/{article.slug}/fotos/{photo.pk}/").streaming_content)
    with photo.image.storage.open(photo.download["name"]) as handle:
        stored = handle.read()
    # Same pixels, bit for bit, as the stored copy: only metadata was added.
    with Image.open(BytesIO(data)) as got, Image.open(BytesIO(stored)) as want:
        assert got.tobytes() == want.tobytes()


def test_a_long_credit_is_cut_to_what_iptc_holds_and_kept_whole_in_xmp(
    client, make_article, make_photo
):
    credit = "Landkreis Harz – Bildstelle Jürgen Müller"  # 45 bytes in UTF-8
    photo = make_photo(credit=credit)
    article = make_article("published", title="Lang", publish_at=OCTOBER_6, lead_photo=photo)
    data = b"".join(client.get(f"/2017/10/06/{article.slug}/fotos/{photo.pk}/").streaming_content)
    xmp, iptc, _exif = metadata(data)
    assert xmp["Xmp.photoshop.Credit"] == credit
    # IPTC IIM 2:110 Credit holds 32 bytes; the 32nd is half of "ü": cut before it.
    assert iptc["Iptc.Application2.Credit"] == "Landkreis Harz – Bildstelle J"
