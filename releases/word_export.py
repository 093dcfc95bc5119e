"""An article as a Word document (.docx, written with python-docx): the release text file's
blocks in the same order (`releases.exporting.export_text`), one paragraph per block with its
lines as line breaks, and the body with its formatting — bold, italic, links, subheadings and
lists — so that `releases.word.read_docx()` reads it back as the same release.

Pictures are not embedded: the photos' originals keep camera data, and journalists get the
photos from the article page's downloads; the caption and credit lines are in the document.
"""

from __future__ import annotations

import io
from html import escape
from html.parser import HTMLParser

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from press.models import Article
from press.sanitize import sanitize_html

from .exporting import body_blocks, export_text
from .parser import escape_body
from .parser.names import squash
from .word import BLOCK_TAGS, HEADING_TAGS, PICTURE_SOURCE, _Block

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_docx(article: Article) -> bytes:
    """The article as .docx bytes (Office Open XML, ECMA-376)."""
    return _document(export_text(article), _rich_blocks(article.body or ""))


def release_text_as_docx(text: str) -> bytes:
    """A release text file (blocks separated by a blank line) as .docx bytes, one paragraph
    per block with its lines as line breaks: the text typed in Word."""
    return _document(text, {})


def _document(text: str, rich: dict[str, _Block]) -> bytes:
    document = docx.Document()
    for block_text in text.strip("\n").split("\n\n"):
        block = rich.get(squash(block_text))
        if block is not None and block.html:
            _write_block(document, block)
            continue
        # A block of several lines (the header: kicker, kind and date, Sperrfrist) is one
        # paragraph with line breaks, as the reader turns them back into lines.
        paragraph = document.add_paragraph()
        for number, line in enumerate(block_text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rich_blocks(body: str) -> dict[str, _Block]:
    """The body's blocks with their HTML, keyed by the text the release file writes for them
    (a link is written there as "text (URL)", so the keys come from the text export's own
    reading of the body, block by block)."""
    html_blocks = [block for block in _Blocks.split(body) if block.text]
    texts = escape_body(body_blocks(body))
    if len(texts) != len(html_blocks):
        # The two readings split the body differently: match what matches by its text.
        return {squash(block.as_text()): block for block in html_blocks}
    return {squash(text): block for text, block in zip(texts, html_blocks, strict=True)}


def _line_break():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _write_block(document, block: _Block) -> None:
    if block.tag in {"ul", "ol"}:
        style = "List Bullet" if block.tag == "ul" else "List Number"
        for item_html in _Items.split(block.html):
            _Runs(document.add_paragraph(style=style)).feed(item_html)
        return
    if block.html.startswith("<h2"):
        paragraph = document.add_heading(level=2)
    else:
        paragraph = document.add_paragraph()
    writer = _Runs(paragraph)
    writer.feed(block.html)
    writer.close()


class _Items(HTMLParser):
    """The inner HTML of each <li> of a list."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.items: list[str] = []
        self.depth = 0

    @classmethod
    def split(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.items

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.depth += 1
            if self.depth == 1:
                self.items.append("")
                return
        if self.depth:
            self.items[-1] += self.get_starttag_text() or ""

    def handle_endtag(self, tag):
        if tag == "li":
            self.depth -= 1
            if self.depth == 0:
                return
        if self.depth:
            self.items[-1] += f"</{tag}>"

    def handle_data(self, data):
        if self.depth:
            self.items[-1] += data.replace("&", "&amp;").replace("<", "&lt;")

    def handle_entityref(self, name):
        if self.depth:
            self.items[-1] += f"&{name};"

    def handle_charref(self, name):
        if self.depth:
            self.items[-1] += f"&#{name};"


class _Runs(HTMLParser):
    """Writes sanitised inline HTML into a python-docx paragraph: strong/b bold, em/i italic,
    a as a hyperlink (w:hyperlink with an external relationship), br as a line break."""

    def __init__(self, paragraph):
        super().__init__(convert_charrefs=True)
        self.paragraph = paragraph
        self.bold = 0
        self.italic = 0
        self.link: str | None = None
        self.hyperlink = None

    def handle_starttag(self, tag, attrs):
        if tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "br":
            self.paragraph._p.append(_line_break())
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href:
                relation = self.paragraph.part.relate_to(
                    href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
                )
                self.hyperlink = OxmlElement("w:hyperlink")
                self.hyperlink.set(qn("r:id"), relation)
                self.paragraph._p.append(self.hyperlink)

    def handle_endtag(self, tag):
        if tag in {"strong", "b"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.hyperlink = None

    def handle_data(self, data):
        if not data:
            return
        if self.hyperlink is not None:
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = data
            run.append(text)
            self.hyperlink.append(run)
            return
        run = self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


class _Blocks(HTMLParser):
    """Splits an article body's HTML into its top-level blocks, each with its own HTML
    (sanitised), its text and, for a list, its items' texts."""

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
            # Text between blocks (the editor writes none, but an old body may): a paragraph.
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
