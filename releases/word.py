"""Press releases written in Word (.docx, Office Open XML, ECMA-376): read with python-docx,
without an office suite — paragraphs (also in tables), headings, lists, bold, italic, links,
line breaks and pictures.

mammoth (docx → HTML) was tried first and dropped for speed: it parses every part with
minidom, 2.3 s for one document with Word's default styles (350 KB styles.xml) against
0.06 s with python-docx (lxml), which the 1,000-file import budget (`make bench`) cannot pay.

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

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink

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
    return settings.RELEASE_IMPORT_MAX_WORD_BYTES


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
    try:
        blocks = _document_blocks(docx.Document(io.BytesIO(data)), pictures)
    except (
        KeyError,
        ValueError,
        SyntaxError,  # lxml's XMLSyntaxError: a part that is not well-formed XML
        zipfile.BadZipFile,
        OSError,
        PackageNotFoundError,
    ) as error:
        raise ReleaseFormatError(
            _("Die Word-Datei ist beschädigt und kann nicht gelesen werden (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
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


def _document_blocks(document, pictures: list[Picture]) -> list[_Block]:
    """The document's paragraphs (also those in tables) as blocks: consecutive list
    paragraphs of one kind make one list; a paragraph in a heading style (Word's built-in
    "Heading n" and "Title", in every interface language) a heading. Pictures are appended to
    `pictures` and named by index in their paragraph's block."""
    styles = _Styles(document)
    numbering = _Numbering(document, styles)
    blocks: list[_Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            seen = set()
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell appears once per column
                        seen.add(id(cell._tc))
                        _add_paragraphs(blocks, cell.paragraphs, styles, numbering, pictures)
        else:
            _add_paragraphs(blocks, [item], styles, numbering, pictures)
    for block in blocks:
        if block.tag in {"ul", "ol"}:
            items = "".join(f"<li>{item}</li>" for item in block.item_html)
            block.html = sanitize_html(f"<{block.tag}>{items}</{block.tag}>")
            block.text = "\n".join(block.items)
    return blocks


def _add_paragraphs(blocks, paragraphs, styles, numbering, pictures) -> None:
    for paragraph in paragraphs:
        html, text, found = _inline(paragraph, pictures)
        kind = numbering.list_kind(paragraph)
        if kind and text:
            if blocks and blocks[-1].tag == kind:
                blocks[-1].items.append(text)
                blocks[-1].item_html.append(html)
                blocks[-1].pictures.extend(found)
            else:
                blocks.append(_Block(kind, "", text, [text], found, [html]))
            continue
        style = styles.name(paragraph)
        heading = style.startswith("heading") or style == "title"
        tag = "h2" if heading else "p"
        blocks.append(
            _Block(tag, sanitize_html(f"<{tag}>{html}</{tag}>") if text else "", text, [], found)
        )


def _inline(paragraph, pictures: list[Picture]) -> tuple[str, str, list[int]]:
    """(html, text, picture indexes) of one paragraph: runs with bold and italic, links, line
    breaks; the text's lines squashed."""
    html: list[str] = []
    text: list[str] = []
    found: list[int] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            inner = "".join(_run_html(run) for run in item.runs)
            address = item.address + (f"#{item.fragment}" if item.fragment else "")
            html.append(f'<a href="{escape(address)}">{inner}</a>' if item.address else inner)
            text.append(item.text)
            continue
        for relation in item._r.xpath(".//a:blip/@r:embed"):
            part = paragraph.part.related_parts.get(relation)
            if part is None:
                continue
            descriptions = item._r.xpath(".//wp:docPr/@descr")
            alt = squash(descriptions[0]) if descriptions else ""
            pictures.append(Picture(part.blob, part.content_type or "", alt))
            found.append(len(pictures) - 1)
        html.append(_run_html(item))
        text.append(item.text)
    lines = "".join(text).replace("\t", " ").split("\n")
    return "".join(html), "\n".join(squash(line) for line in lines if line.strip()), found


def _run_html(run) -> str:
    content = "<br>".join(escape(line) for line in run.text.replace("\t", " ").split("\n"))
    if not content:
        return ""
    if run.italic:
        content = f"<em>{content}</em>"
    if run.bold:
        content = f"<strong>{content}</strong>"
    return content


class _Styles:
    """The document's paragraph styles by id, read once per document: (lower-case name, the id
    it is based on, its numbering as (id, level) or None).

    python-docx's `paragraph.style` looks for the default style among all styles for every
    paragraph: with Word's 270 built-in styles that was 3 ms a paragraph and most of a Word
    import's time (`make bench`, 1,000 files); this reads them once."""

    def __init__(self, document):
        self.by_id: dict[str, tuple[str, str | None, tuple[str, str] | None]] = {}
        self.default: str | None = None
        for style in document.styles.element.xpath('./w:style[@w:type="paragraph"]'):
            style_id = style.get(qn("w:styleId")) or ""
            name = style.xpath("./w:name/@w:val")
            based_on = style.xpath("./w:basedOn/@w:val")
            number_id = style.xpath("./w:pPr/w:numPr/w:numId/@w:val")
            level = style.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
            numbering = (number_id[0], level[0] if level else "0") if number_id else None
            self.by_id[style_id] = (
                name[0].lower() if name else "",
                based_on[0] if based_on else None,
                numbering,
            )
            if style.get(qn("w:default")) in {"1", "true", "on"}:
                self.default = style_id

    def style_id(self, paragraph) -> str | None:
        properties = paragraph._p.pPr
        if properties is not None and properties.pStyle is not None:
            return properties.pStyle.val
        return self.default

    def name(self, paragraph) -> str:
        """The paragraph style's name, lower case ("heading 1", "list bullet", "normal")."""
        return self.by_id.get(self.style_id(paragraph) or "", ("", None, None))[0]

    def numbering(self, paragraph) -> tuple[str, str] | None:
        """(numbering id, level) of the paragraph's style or the styles it is based on."""
        style_id = self.style_id(paragraph)
        for _step in range(20):  # a loop of basedOn references ends here
            if style_id is None or style_id not in self.by_id:
                return None
            _name, based_on, numbering = self.by_id[style_id]
            if numbering is not None:
                return numbering
            style_id = based_on
        return None


class _Numbering:
    """Whether a paragraph is a list item, and of which kind: Word keeps that in the numbering
    part (ECMA-376 Part 1, §17.9): the paragraph's (or its style's) numbering id and level
    lead to a number format, "bullet" for a bulleted list."""

    def __init__(self, document, styles: _Styles):
        self.styles = styles
        try:
            self.root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None
        self.kinds: dict[tuple[str, str], str] = {}

    def list_kind(self, paragraph) -> str | None:
        properties = self._properties(paragraph)
        if properties is None:
            return None
        number_id, level = properties
        if number_id in {"", "0"}:
            return None  # numbering switched off
        key = (number_id, level)
        if key not in self.kinds:
            self.kinds[key] = self._kind(number_id, level, paragraph)
        return self.kinds[key]

    def _properties(self, paragraph) -> tuple[str, str] | None:
        """(numbering id, level) of the paragraph's own numbering, else of its style's."""
        properties = paragraph._p.pPr
        numbering = properties.numPr if properties is not None else None
        if numbering is not None and numbering.numId is not None:
            level = numbering.ilvl.val if numbering.ilvl is not None else 0
            return str(numbering.numId.val), str(level)
        return self.styles.numbering(paragraph)

    def _kind(self, number_id: str, level: str, paragraph) -> str:
        if self.root is not None:
            abstract = self.root.xpath(f'./w:num[@w:numId="{number_id}"]/w:abstractNumId/@w:val')
            if abstract:
                formats = self.root.xpath(
                    f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]'
                    f'/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
                )
                if formats:
                    return "ul" if formats[0] in {"bullet", "none"} else "ol"
        return "ol" if "number" in self.styles.name(paragraph) else "ul"


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReleaseFormatError(_("Die Datei ist keine lesbare Word-Datei (.docx).")) from error
    if "mimetype" in names and "content.xml" in names:
        # OpenDocument (ISO/IEC 26300): no well-kept library reads it without an office suite
        # (odfpy's last release is from 2020), so it is refused with the way out.
        raise ReleaseFormatError(
            _(
                "OpenDocument-Dateien (.odt) werden nicht gelesen. Bitte in LibreOffice oder Word "
                "als .docx speichern und erneut hochladen."
            )
        )
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
    item_html: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        if self.tag == "ul":
            return "\n".join(f"- {item}" for item in self.items)
        if self.tag == "ol":
            return "\n".join(f"{number}. {item}" for number, item in enumerate(self.items, 1))
        return self.text
