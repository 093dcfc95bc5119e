"""Articles out: as text in the press office's release format (for the Kreisblatt) and as PDF.

The text is what releases.parser reads: kicker and date, headline, lead, photo captions, body,
contact. Quotes that the body does not show as such (the website prints quotes as separate
blocks) follow in a 'Zitate:' section, so that importing the export gives back the article's
quotes exactly; an article without quotes whose body only looks as if it quoted someone gets
an empty 'Zitate:' section.

Escape (issue 12, item 11): the article's own text must never read as the format's keywords,
or a body line 'Sperrfrist: 1. Januar 2031, 10 Uhr' would become the embargo of the imported
copy, a 'Pressekontakt' block its contact, 'Foto: …' a caption. A kicker, headline, lead, body
block or 'Zitate:' entry that the parser could read as a keyword (a date, label or Sperrfrist
line, a contact heading or contact fields, 'Zitate:', a caption or 'Foto:' credit, an end marker
such as '***', a dateline 'Ort, 6. Oktober 2017 – ' before the lead) or that begins with a
backslash is written with a backslash in front:

    \\Sperrfrist: 1. Januar 2031, 10 Uhr

The parser drops one leading backslash and reads the rest as text; a body block so marked is
also never joined to the block before nor read as a subheading, and a single escaped line is
never a list item, so the exporter marks a paragraph that would otherwise be read so. (A
subheading or a list of one item that reads as a keyword comes back as a paragraph of the same
text.) Ordinary text carries no marks. The rules live in `releases.parser`
(`escape_line`, `escape_body`), next to the recognisers they answer to.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from press.models import Article, Photo, Spokesperson
from press.text import keep_whole

from .parser import (
    KREISBLATT,
    Block,
    ParsedQuote,
    ReleaseFormatError,
    escape_body,
    escape_line,
    german_date,
    kind_label,
    parse_release,
    squash,
)

# WeasyPrint reports every layout step at INFO; a command's output is not the place for that.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# --- body HTML to blocks --------------------------------------------------------------------


class _BodyReader(HTMLParser):
    """Sanitised body HTML (press.sanitize) -> paragraphs, subheadings and lists."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lists: list[Block] = []
        self.parts: list[str] = []
        self.kind = "p"
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"ul", "ol"}:
            self.flush()
            self.lists.append(Block(tag))
        elif tag in {"p", "li", "blockquote"}:
            self.flush()
            self.kind = "p"
        elif tag in {"h2", "h3", "h4"}:
            self.flush()
            self.kind = "h"
        elif tag == "br":
            self.parts.append(" ")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            target = href.removeprefix("mailto:").removeprefix("tel:")
            # Print has no links: the address goes into the text unless the text shows it.
            if href and target not in label:
                self.parts.append(f" ({target})")
        elif tag in {"p", "li", "blockquote", "h2", "h3", "h4"}:
            self.flush()
        elif tag in {"ul", "ol"} and self.lists:
            self.flush()
            block = self.lists.pop()
            if self.lists:  # a nested list is printed as items of the outer one
                self.lists[-1].items.extend(block.items)
            elif block.items:
                self.blocks.append(block)

    def handle_data(self, data):
        self.parts.append(data)

    def flush(self):
        text = squash("".join(self.parts))
        self.parts = []
        if not text:
            return
        if self.lists:
            self.lists[-1].items.append(text)
        else:
            self.blocks.append(Block(self.kind, text=text))
        self.kind = "p"

    def close(self):
        super().close()
        self.flush()
        while self.lists:
            block = self.lists.pop()
            if block.items:
                self.blocks.append(block)


def body_blocks(html: str) -> list[Block]:
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    return reader.blocks


def article_paragraphs(article: Article) -> list[str]:
    """The body as the release format writes it (and ParsedRelease.paragraphs reads it)."""
    return [block.as_text() for block in body_blocks(article.body)]


def article_quotes(article: Article) -> list[ParsedQuote]:
    return [
        ParsedQuote(speaker=q.spokesperson.name, function=q.function, text=squash(q.text))
        for q in article.quotes.select_related("spokesperson").order_by("position", "id")
    ]


# --- text -----------------------------------------------------------------------------------


def export_text(article: Article) -> str:
    """The article as a release text file (UTF-8, LF)."""
    head = _header(article)
    blocks = [head] if head else []
    blocks.append(escape_line(squash(article.title)))
    if article.lead.strip():
        blocks.append(escape_line(squash(article.lead)))
    if article.lead_photo:
        blocks.append(_caption(article.lead_photo))
    blocks += escape_body(body_blocks(article.body))
    blocks += [_caption(photo) for photo in article.photos.exclude(pk=article.lead_photo_id)]
    contact = _contact(article)
    quotes = article_quotes(article)
    # Quotes the running text shows (with quotation marks and the person) are read back from
    # it; only if that would not give the article's quotes, they are listed. Also with no
    # quotes: an empty section, so that what only looks like a quote in the body stays text.
    draft = _join(blocks + contact)
    names = Spokesperson.objects.values_list("name", flat=True)
    try:
        found = parse_release(draft, names).quotes
    except ReleaseFormatError:
        found = []
    if found != quotes:
        # Format keywords, not UI text: the importer reads them in German.
        blocks.append("Zitate:")
        blocks += [escape_line(_quote_line(quote)) for quote in quotes]
    blocks += _corrections(article)
    return _join(blocks + contact)


def _corrections(article: Article) -> list[str]:
    """'Korrekturen:' and every public correction note with its date, newest first, as the
    article page shows them; the importer reads them as notes, not as text."""
    if not article.corrections:
        return []
    return ["Korrekturen:"] + [
        escape_line(
            f"Aktualisiert am {timezone.localtime(event.at):%d.%m.%Y %H:%M} Uhr: "
            f"{squash(event.comment)}"
        )
        for event in article.corrections
    ]


def _join(blocks: list[str]) -> str:
    return "\n\n".join(block for block in blocks if block) + "\n"


def _header(article: Article) -> str:
    lines = [escape_line(squash(article.kicker))] if article.kicker.strip() else []
    day = article.publication_date
    if article.kind == KREISBLATT and "kreisblatt" in article.kicker.lower():
        # The Kreisblatt's own form (the sample): 'Zuarbeit Kreisblatt' above the bare date.
        if day:
            lines.append(f"{day:%d.%m.%Y}")
    else:
        label = kind_label(article.kind)
        lines.append(f"{label} vom {day:%d.%m.%Y}" if day else label)
    if article.is_scheduled():
        at = timezone.localtime(article.publish_at)
        clock = f"{at.hour}" if at.minute == 0 else f"{at.hour}:{at.minute:02d}"
        lines.append(f"Sperrfrist: {german_date(at.date())}, {clock} Uhr")
    return "\n".join(lines)


def _caption(photo: Photo) -> str:
    credit = f"Foto: {squash(photo.credit)}"
    return f"{squash(photo.caption)}\n{credit}" if photo.caption.strip() else credit


def _quote_line(quote: ParsedQuote) -> str:
    who = f"{quote.speaker}, {quote.function}" if quote.function else quote.speaker
    return f"{who}: „{quote.text}“"


def _contact(article: Article) -> list[str]:
    contact = article.press_contact
    if contact is None:
        return []
    names = "\n".join(squash(name) for name in (contact.label, contact.person) if name.strip())
    fields = []
    if contact.phone:
        fields.append(f"Tel.: {contact.phone}")
    if contact.fax:
        fields.append(f"Fax: {contact.fax}")
    if contact.email:
        fields.append(f"E-Mail: {contact.email}")
    return ["Pressekontakt:", names, " | ".join(fields)]


def export_filename(article: Article, extension: str) -> str:
    """'2017-10-06-koba-harz-praesentiert-sich-….txt'; undated articles are marked as drafts."""
    day = article.publication_date
    prefix = f"{day:%Y-%m-%d}" if day else "entwurf"
    return f"{prefix}-{article.slug}.{extension}"


# --- PDF ------------------------------------------------------------------------------------


def _allowed_roots() -> list[Path]:
    roots = [
        settings.MEDIA_ROOT, settings.PHOTO_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS
    ]  # fmt: skip
    return [Path(root).resolve() for root in roots if root]


def _local_fetcher():
    """A WeasyPrint URL fetcher that reads local media and static files and nothing else: a PDF
    is rendered on the server, and a link in an article must not make it fetch from the net."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"Nur lokale Dateien sind erlaubt, nicht {url}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in _allowed_roots()):
                raise ValueError(f"Datei außerhalb von Medien und statischen Dateien: {path}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file"}, allow_redirects=False)


def _photo_uri(photo: Photo | None) -> str:
    # The full-size copy without metadata: the original keeps its GPS position (issue 15).
    if photo is None or not photo.download["name"]:
        return ""
    try:
        path = Path(photo.image.storage.path(photo.download["name"]))
    except NotImplementedError:  # storage without local files: the PDF goes without the photo
        return ""
    return path.resolve().as_uri() if path.exists() else ""


class PdfTooLargeError(ValueError):
    """The article has more text than a PDF is made of (settings.RELEASE_PDF_MAX_BYTES); the
    message says so (German)."""


def pdf_text_size(article: Article) -> int:
    """The bytes (UTF-8) of what the PDF lays out: lead, body HTML and quotes."""
    texts = [article.lead, article.body, *article.quotes.values_list("text", flat=True)]
    return sum(len(text.encode("utf-8")) for text in texts)


def check_pdf_size(article: Article) -> None:
    """Raises PdfTooLargeError if `article` is over the PDF's size bound.

    A bound, not the task queue (issue 12, item 9): WeasyPrint lays out about 8 pages (25 KB)
    a second here, so 100 KB takes about 4 s, well within a request; a release is a few KB, and
    an article of more than 30 pages is not a press release to print but a mistake or an
    attack, for which a message serves the editor better than a download that comes later."""
    size, limit = pdf_text_size(article), settings.RELEASE_PDF_MAX_BYTES
    if size > limit:
        raise PdfTooLargeError(
            _(
                "„%(title)s“ ist zu lang für ein PDF (%(size)s Text; höchstens %(limit)s). Der "
                "Export als Text geht."
            )
            % {"title": article.title, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def render_pdf(article: Article):
    """The laid-out WeasyPrint document of `article` (pages, metadata).

    Raises PdfTooLargeError for an article over settings.RELEASE_PDF_MAX_BYTES."""
    check_pdf_size(article)
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF needs.
    from weasyprint import HTML

    context = {
        "article": article,
        # Phone numbers and e-mail addresses in the text never broken at a hyphen (issue 15).
        "body": keep_whole(article.body),
        "quotes": article.quotes.select_related("spokesperson").order_by("position", "id"),
        "contact": article.press_contact,
        "lead_photo_uri": _photo_uri(article.lead_photo),
        "scheduled": article.is_scheduled(),
        "public": article.is_public(),
        "generated_at": timezone.localtime(),
        "site_name": settings.SITE_NAME,
    }
    # The document is German like the release it carries (<html lang="de">), whatever the
    # language of the interface that asks for it: a reader of the English site gets the same
    # PDF, not "Press contact" and "Feb. 9, 2026" around German text.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("press/article_print.html", context)
    base = Path(settings.MEDIA_ROOT).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=_local_fetcher()).render()


def export_pdf(article: Article) -> bytes:
    """A print-ready A4 PDF of the article.

    Raises PdfTooLargeError for an article over settings.RELEASE_PDF_MAX_BYTES."""
    return render_pdf(article).write_pdf()
