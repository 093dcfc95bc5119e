"""Press releases written in Word (.docx, Office Open XML, ECMA-376): read with mammoth, which
turns a document into clean HTML (paragraphs, headings, lists, bold, italic, links, pictures)
without an office suite.

`read_docx()` gives the importer what it needs from one file:

- `text`: the document as a release text file would hold it (one block per paragraph, a blank
  line between blocks, list items as "- …" lines), so that the text parser recognises kicker,
  date, Sperrfrist, headline, lead, quotes, captions and contact exactly as for a `.txt` file;
- `formatted`: for each block, the sanitised HTML Word gave it, keyed by its text
  (`block_key()`), so that the body keeps bold, italic, links and headings where the parser
  puts a block into the body;
- `pictures`: the embedded pictures in document order, each with the text of the paragraphs
  around it, where its caption ("Foto: …", "Bild (…): …") usually is.

A file that is not a readable .docx (an old .doc, a password-protected document — both are
OLE compound files —, a broken archive, a zip bomb) raises `ReleaseFormatError` with a German
sentence for the editor.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import mammoth
from django.conf import settings
from django.utils.translation import gettext as _

from press.sanitize import sanitize_html

from .parser import ReleaseFormatError
from .parser.names import squash

# A ZIP archive (ECMA-376 Part 2, Open Packaging Conventions) starts with a local file header.
ZIP_SIGNATURE = b"PK\x03\x04"
# An OLE compound file (MS-CFB): an old binary .doc, or a password-protected .docx, which Word
# stores encrypted inside such a file (MS-OFFCRYPTO).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The uncompressed size a release's archive may unpack to; a zip bomb is refused before it is
# unpacked. Pictures in full resolution make a 20 MB document at most in practice.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
PICTURE_SOURCE = "word-picture:"

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def max_word_bytes() -> int:
    """The size budget of one Word file in bytes (settings.RELEASE_IMPORT_MAX_WORD_BYTES,
    default 20 MB): larger than a text file's, because the pictures come with it."""
    return getattr(settings, "RELEASE_IMPORT_MAX_WORD_BYTES", 20 * 1024 * 1024)


def is_docx(name: str, data: bytes) -> bool:
    """True for a file the Word reader should read: named .docx, or any file that starts like
    an Office document (ZIP or OLE) whatever its name — never given to the text decoder."""
    return name.lower().endswith((".docx", ".doc", ".docm", ".odt")) or data.startswith(
        (ZIP_SIGNATURE, OLE_SIGNATURE)
    )


@dataclass
class Picture:
    """One picture embedded in the document: its bytes, MIME type, Word's own alternative
    text (empty if the author gave none), and the text of the blocks before and after it."""

    data: bytes
    content_type: str
    alt_text: str = ""
    before: str = ""
    after: str = ""

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/webp": "webp"}.get(self.content_type, "jpg")


@dataclass
class WordDocument:
    """What `read_docx()` read: see the module docstring."""

    text: str
    formatted: dict[str, str] = field(default_factory=dict)
    pictures: list[Picture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def block_key(text: str) -> str:
    """The key under which a block's formatting is found: its text with whitespace squashed,
    as the text parser gives it back (`Block.as_text()`)."""
    return squash(text)


def read_docx(data: bytes) -> WordDocument:
    """Read a .docx given as bytes. Raises `ReleaseFormatError` (a sentence in German) for a
    file over `max_word_bytes()`, an old .doc or password-protected document, a broken or
    oversized archive, or a document without text."""
    if len(data) > max_word_bytes():
        raise ReleaseFormatError(
            _("Die Word-Datei ist zu groß (höchstens %(mb)d MB).")
            % {"mb": max_word_bytes() // (1024 * 1024)}
        )
    if data.startswith(OLE_SIGNATURE):
        raise ReleaseFormatError(
            _(
                "Die Datei ist kennwortgeschützt oder im alten Word-Format (.doc). Bitte in Word "
                "ohne Kennwort als .docx speichern und erneut hochladen."
            )
        )
    _check_archive(data)
    pictures: list[Picture] = []

    def keep_picture(image) -> dict[str, str]:
        with image.open() as stream:
            content = stream.read()
        pictures.append(Picture(content, image.content_type or "", squash(image.alt_text or "")))
        return {"src": f"{PICTURE_SOURCE}{len(pictures) - 1}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), convert_image=mammoth.images.img_element(keep_picture)
        )
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as error:
        raise ReleaseFormatError(
            _("Die Word-Datei ist beschädigt und kann nicht gelesen werden (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    blocks = _Blocks.split(result.value)
    document = WordDocument(text="", pictures=pictures)
    lines: list[str] = []
    for position, block in enumerate(blocks):
        for index in block.pictures:
            pictures[index].before = blocks[position - 1].text if position else ""
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            pictures[index].after = following.text if following else ""
        if not block.text:
            continue
        lines.append(block.as_text())
        document.formatted[block_key(block.as_text())] = block.html
    document.text = "\n\n".join(lines)
    if not document.text.strip():
        raise ReleaseFormatError(_("Die Word-Datei enthält keinen Text."))
    return document


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReleaseFormatError(_("Die Datei ist keine lesbare Word-Datei (.docx).")) from error
    if "word/document.xml" not in names:
        raise ReleaseFormatError(
            _("Die Datei ist keine Word-Datei (.docx): ihr fehlt der Dokumentteil.")
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReleaseFormatError(_("Die Word-Datei entpackt sich zu einer zu großen Datenmenge."))


@dataclass
class _Block:
    tag: str
    html: str
    text: str
    items: list[str]
    pictures: list[int]

    def as_text(self) -> str:
        if self.tag == "ul":
            return "\n".join(f"- {item}" for item in self.items)
        if self.tag == "ol":
            return "\n".join(f"{number}. {item}" for number, item in enumerate(self.items, 1))
        return self.text


class _Blocks(HTMLParser):
    """Splits mammoth's HTML into its top-level blocks, each with its own HTML (sanitised,
    pictures left out: they become photos), its text and, for a list, its items' texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.depth = 0
        self._reset()

    def _reset(self):
        self.tag, self.html, self.text, self.items, self.pictures = "", [], [], [], []
        self.item: list[str] | None = None

    @classmethod
    def split(cls, html: str) -> list[_Block]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.blocks

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth == 0:
            self.tag = tag if tag in BLOCK_TAGS else "p"
        self.depth += 1
        if tag == "img":
            self.depth -= 1  # a void element
            source = attributes.get("src") or ""
            if source.startswith(PICTURE_SOURCE):
                self.pictures.append(int(source.removeprefix(PICTURE_SOURCE)))
            return
        if tag == "br":
            self.depth -= 1
            self.html.append("<br>")
            # A line break within a paragraph is a line of the release text (a header block
            # of kicker, date and Sperrfrist is often written so).
            self._text("\n")
            return
        if tag == "li":
            self.item = []
        self.html.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag):
        if tag in {"img", "br"}:
            return
        self.depth -= 1
        self.html.append(f"</{tag}>")
        if tag == "li" and self.item is not None:
            self.items.append(squash("".join(self.item)))
            self.item = None
        if self.depth == 0:
            self._finish()

    def handle_data(self, data):
        if self.depth == 0:
            # Text between blocks (mammoth writes none, but a document may): a paragraph.
            if data.strip():
                self.tag, self.html, self.text = "p", [data], [data]
                self._finish()
            return
        self.html.append(escape(data, quote=False))
        self._text(data)

    def _text(self, data: str) -> None:
        self.text.append(data)
        if self.item is not None:
            self.item.append(data)

    def _finish(self):
        tag = self.tag
        text = "\n".join(squash(line) for line in "".join(self.text).split("\n") if line.strip())
        parts = self.html
        if tag in HEADING_TAGS and len(parts) >= 2:
            # The body's subheadings are h2, as the editor makes them.
            parts = ["<h2>", *parts[1:-1], "</h2>"]
        html = sanitize_html("".join(parts)) if text else ""
        self.blocks.append(_Block(tag, html, text, list(self.items), list(self.pictures)))
        self._reset()
