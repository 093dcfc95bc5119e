"""Photo files for the public: renditions on the pages, and the downloads for the press.

A photo's files live where no URL reaches them (`press.photos.PhotoStorage`). This room hands
them out, and only by press's rule: a photo is public while a public article shows it
(`Photo.objects.public()`), an article's downloads while the article is public
(`Article.objects.published()`). Staff with the right to see photos (`press.view_photo`) get
any photo's renditions too, for the preview, with `Cache-Control: private, no-store`; everyone
else gets 404 for them, as for a file that does not exist. The original, with its camera data
and GPS position, is never among the files served.

Downloads are the full-size copy without metadata that `press.renditions` made, with the
caption, credit and usage rights written into it as XMP and IPTC-IIM by exiv2 (`pyexiv2`)
without decoding the picture again, and a file name of date, article and credit
(`download_filename`). "Alle Fotos als ZIP" packs the same files under the same names.

Renditions are sent whole (`_send`), so that the page cache keeps a public one like a page
(public.caching); downloads and the ZIP go through `FileResponse`. Public files may be kept by
browsers and proxies for settings.PHOTO_CACHE_SECONDS, so that a proxy in front of the app can
answer most requests (README, "Deployment").
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from tempfile import SpooledTemporaryFile

import pyexiv2
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from press.models import Article, Photo
from press.renditions import MIME_TYPES
from press.text import german_slugify, xml_text

from .structured_data import absolute_url

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
# IPTC-IIM limits in bytes (IPTC IIM 4.2, dataset 2:105 Headline, 2:110 Credit, 2:116
# Copyright Notice, 2:120 Caption/Abstract, 2:40 Special Instructions); XMP has none.
IIM_LIMITS = {
    "Iptc.Application2.Headline": 256,
    "Iptc.Application2.Credit": 32,
    "Iptc.Application2.Copyright": 128,
    "Iptc.Application2.Caption": 2000,
    "Iptc.Application2.SpecialInstructions": 256,
}
# XMP language alternatives (dc:description, dc:rights, xmpRights:UsageTerms) as pyexiv2 takes
# them: the default language's text.
DEFAULT_LANGUAGE = 'lang="x-default"'
# XMP in a JPEG is one segment of at most 65,535 bytes (JPEG's segment length; exiv2 raises
# RuntimeError beyond it). Caption, credit and title fit with room to spare (their fields hold
# 500, 200 and 300 characters); the usage rights, a text field of any length, are cut to this
# many characters for XMP (at most 20 KB even if every one is escaped as "&amp;").
XMP_USAGE_TERMS_LENGTH = 4000
# IPTC-IIM 1:90 Coded Character Set: ESC % G announces UTF-8 (ISO 2022).
IIM_UTF8 = "\x1b%G"
# A ZIP is built in memory up to this size (bytes), beyond it in a temporary file on disk.
ZIP_IN_MEMORY = 8 * 1024 * 1024


def download_filename(article: Article, photo: Photo, position: int) -> str:
    """The download's file name: date, article slug and credit, ASCII as the site's slugs
    (`press.text.german_slugify`), e.g. "2017-10-06_kreisblatt-jobcenter-harz_foto-koba-harz.jpg";
    the second and later photo of the article (`position`, from 1, in `Article.all_photos`)
    end in "-2", "-3", … so that the names in the ZIP differ. At most about 160 characters."""
    day = article.publication_date
    credit = german_slugify(photo.credit, max_length=60)
    number = f"-{position}" if position > 1 else ""
    extension = EXTENSIONS.get(photo.download["format"], "jpg")
    stem = f"{day:%Y-%m-%d}_{german_slugify(article.slug, max_length=80)}_foto"
    return f"{stem}{'-' + credit if credit else ''}{number}.{extension}"


def _iim(key: str, text: str) -> str:
    """`text` cut to the IIM limit of `key` in UTF-8 bytes, never inside a character."""
    return text.encode()[: IIM_LIMITS[key]].decode(errors="ignore")


def with_metadata(data: bytes, photo: Photo, article: Article) -> bytes:
    """`data` (the photo's stripped JPEG or PNG download) with caption, credit, usage rights
    and the article as XMP (Dublin Core, Photoshop, XMP Rights) and IPTC-IIM, the fields
    photo desks read (IPTC Photo Metadata Standard: Description, Credit Line, Copyright
    Notice, Rights Usage Terms, Headline). The picture is not decoded or re-encoded; nothing
    else is added (no EXIF, no location). Raises RuntimeError from exiv2 for a broken file."""
    # XMP is XML: only what XML 1.0 allows (`xml_text`). exiv2 writes U+FFFE and U+FFFF as
    # they are, and then no reader, exiv2 included, can read the file's metadata.
    caption = xml_text(photo.caption or photo.alt_text)
    credit = xml_text(photo.credit)
    title = xml_text(article.title)
    usage_rights = xml_text(photo.usage_rights)[:XMP_USAGE_TERMS_LENGTH]
    notice = f"Foto: {credit}"
    xmp = {
        "Xmp.dc.description": {DEFAULT_LANGUAGE: caption},
        "Xmp.photoshop.Credit": credit,
        "Xmp.dc.rights": {DEFAULT_LANGUAGE: notice},
        "Xmp.photoshop.Headline": title,
        "Xmp.dc.source": absolute_url(article.get_absolute_url()),
    }
    iptc = {
        "Iptc.Envelope.CharacterSet": IIM_UTF8,
        "Iptc.Application2.Caption": _iim("Iptc.Application2.Caption", caption),
        "Iptc.Application2.Credit": _iim("Iptc.Application2.Credit", credit),
        "Iptc.Application2.Copyright": _iim("Iptc.Application2.Copyright", notice),
        "Iptc.Application2.Headline": _iim("Iptc.Application2.Headline", title),
    }
    if usage_rights:
        xmp["Xmp.xmpRights.UsageTerms"] = {DEFAULT_LANGUAGE: usage_rights}
        iptc["Iptc.Application2.SpecialInstructions"] = _iim(
            "Iptc.Application2.SpecialInstructions", usage_rights
        )
    with pyexiv2.ImageData(data) as image:
        image.modify_xmp(xmp)
        image.modify_iptc(iptc)
        return image.get_bytes()


def _read(photo: Photo) -> bytes:
    name = photo.download["name"]
    if not name:
        raise Http404
    try:
        with photo.image.storage.open(name, "rb") as handle:
            return handle.read()
    except OSError as error:  # gone from the storage: as if it never existed
        raise Http404 from error


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PHOTO_CACHE_SECONDS)
    return response


@require_safe
def photo_file(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    """A rendition (`Photo.file_url`) as it is stored, without metadata: to everyone while a
    public article shows the photo (cacheable), to staff who may see photos otherwise
    (private, no-store), 404 to anyone else, for an unknown name and for the original."""
    photo = get_object_or_404(Photo, pk=pk)
    entry = photo.rendition_named(filename)
    if entry is None:
        raise Http404
    public = Photo.objects.public().filter(pk=pk).exists()
    if not public and not request.user.has_perm("press.view_photo"):
        raise Http404
    response = _send(photo, entry)
    if public:
        return _cacheable(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _send(photo: Photo, entry: dict) -> HttpResponse:
    """The rendition's bytes: streamed by Django, or, with settings.PHOTO_ACCEL_REDIRECT (the
    prefix of an nginx `internal` location on PHOTO_ROOT), handed to nginx by an
    X-Accel-Redirect header after the checks here (nginx documentation, "X-Accel")."""
    content_type = MIME_TYPES[entry["format"]]
    if settings.PHOTO_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PHOTO_ACCEL_REDIRECT + entry["name"]
        return response
    try:
        with photo.image.storage.open(entry["name"], "rb") as handle:
            data = handle.read()
    except OSError as error:  # gone from the storage: as if it never existed
        raise Http404 from error
    # Read whole rather than streamed: a rendition is at most a few hundred kB, and a response
    # with its bytes can be kept by the page cache (public.page_cache.may_store refuses streams).
    # At the release minute the article's photo is requested as often as its page; streamed,
    # each request cost two queries and a file read (issue 17: 211 requests/s against
    # 1,086-1,977 for cached pages, 100 clients).
    return HttpResponse(data, content_type=content_type)


def public_article(year: int, month: int, day: int, slug: str) -> Article:
    """The public article at that address with its photos; Http404 for any other (hidden,
    withdrawn, or under another date: downloads are not redirected)."""
    article = get_object_or_404(
        Article.objects.published().select_related("lead_photo").prefetch_related("photos"),
        slug=slug,
    )
    published = article.publication_date
    if (year, month, day) != (published.year, published.month, published.day):
        raise Http404
    return article


@require_safe
def photo_download(
    request: HttpRequest, year: int, month: int, day: int, slug: str, pk: int
) -> FileResponse:
    """One photo of a public article as an attachment (`download_filename`), with its caption
    and credit embedded (`with_metadata`); 404 for a photo the article does not show."""
    article = public_article(year, month, day, slug)
    for position, photo in enumerate(article.all_photos, start=1):
        if photo.pk == pk:
            data = with_metadata(_read(photo), photo, article)
            name = download_filename(article, photo, position)
            return _cacheable(FileResponse(BytesIO(data), as_attachment=True, filename=name))
    raise Http404


def credits_text(article: Article, names: list[tuple[str, Photo]]) -> str:
    """The "Bildnachweise.txt" of the ZIP: the article, then per file its name, caption,
    credit and usage rights; lines end in CRLF for every text editor."""
    lines = [article.title, absolute_url(article.get_absolute_url()), ""]
    for name, photo in names:
        lines += [name, f"  {photo.caption or photo.alt_text}", f"  Foto: {photo.credit}"]
        if photo.usage_rights:
            lines.append(f"  {photo.usage_rights}")
        lines.append("")
    lines.append("Bei Veröffentlichung bitte den Bildnachweis angeben.")
    return "\r\n".join(lines) + "\r\n"


@require_safe
def photos_zip(request: HttpRequest, year: int, month: int, day: int, slug: str) -> FileResponse:
    """ "Alle Fotos als ZIP": every photo of a public article as `photo_download` gives it,
    under the same names, and "Bildnachweise.txt"; 404 for an article without photos.

    Stored, not compressed (JPEG and PNG do not shrink), one photo in memory at a time, the
    archive in memory up to ZIP_IN_MEMORY bytes and beyond in a temporary file."""
    article = public_article(year, month, day, slug)
    photos = article.all_photos
    if not photos:
        raise Http404
    # Closed by the FileResponse once sent; a temporary file leaves nothing behind.
    archive = SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115
    names = []
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
        for position, photo in enumerate(photos, start=1):
            name = download_filename(article, photo, position)
            bundle.writestr(name, with_metadata(_read(photo), photo, article))
            names.append((name, photo))
        bundle.writestr("Bildnachweise.txt", credits_text(article, names))
    archive.seek(0)
    day_ = article.publication_date
    filename = f"{day_:%Y-%m-%d}_{german_slugify(article.slug, max_length=80)}_fotos.zip"
    return _cacheable(
        FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    )
