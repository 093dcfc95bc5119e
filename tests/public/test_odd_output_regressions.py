"""Odd texts that once broke a public output, each found by the property test
(tests/public/test_public_output_properties.py) and kept here as a plain example."""

import re
from xml.etree import ElementTree

import pyexiv2
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def xmp_packet(data: bytes) -> bytes:
    return re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", data, re.S).group(0)


def download(client, article, photo):
    day = article.publication_date
    url = reverse(
        "press:photo_download", args=[day.year, day.month, day.day, article.slug, photo.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_photo_download_keeps_readable_metadata_when_its_texts_hold_noncharacters(
    client, make_article, make_photo
):
    """exiv2 wrote U+FFFE and U+FFFF into the XMP as they were: the packet was no XML, and
    exiv2 itself refused to read the file's metadata again."""
    photo = make_photo(
        320,
        240,
        caption="Bildunterschrift\ufffe",
        credit="KoBa\uffff Harz",
        usage_rights="Frei\ufffe für Presseberichte.",
    )
    article = make_article("published", title="Neue\uffff Förderung", lead_photo=photo)
    data = download(client, article, photo)
    ElementTree.fromstring(xmp_packet(data))
    with pyexiv2.ImageData(data) as image:
        xmp = image.read_xmp()
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': "Bildunterschrift"}
    assert xmp["Xmp.photoshop.Credit"] == "KoBa Harz"
    assert xmp["Xmp.photoshop.Headline"] == "Neue Förderung"
    assert xmp["Xmp.xmpRights.UsageTerms"] == {'lang="x-default"': "Frei für Presseberichte."}


def test_a_photo_download_answers_when_the_usage_rights_are_longer_than_a_jpeg_segment(
    client, make_article, make_photo
):
    """The usage rights are a text field of any length; exiv2 raised RuntimeError (a 500) for
    XMP over the 65,535 bytes of a JPEG segment. They are cut to 4,000 characters in XMP."""
    photo = make_photo(320, 240, usage_rights="Nutzung & Weitergabe " * 4000)
    article = make_article("published", lead_photo=photo)
    data = download(client, article, photo)
    ElementTree.fromstring(xmp_packet(data))
    with pyexiv2.ImageData(data) as image:
        terms = image.read_xmp()["Xmp.xmpRights.UsageTerms"]['lang="x-default"']
    assert terms == ("Nutzung & Weitergabe " * 4000)[:4000]
