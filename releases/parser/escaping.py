"""The escape of the release format, for the writer: which kicker, headline, lead and body
blocks `parse_release` would read as something other than text, so that `releases.exporting`
writes them with the escape (`blocks.ESCAPE`) and the round trip gives every text back."""

from __future__ import annotations

from .blocks import (
    CORRECTIONS_HEADING,
    END_MARKER,
    ESCAPE,
    QUOTES_HEADING,
    Chunk,
    continues,
    is_escaped,
    to_block,
)
from .contacts import (
    CONTACT_HEADING,
    caption_of,
    contact_pieces,
    is_contact_field,
    is_contact_heading,
    sign_off,
)
from .dates import DATELINE_IN_LEAD, date_before_heading, parse_meta_line
from .names import squash
from .result import Block


def _reads_as_keyword(lines: list[str]) -> bool:
    """Whether the parser could read the block `lines`, or a line of it, as anything but text:
    a date, label or Sperrfrist line, a contact heading or contact fields, the 'Zitate:'
    heading, a photo caption or credit, an end marker, a dateline before the lead, a sign-off
    line, a date in front of a headline, or an escape of its own."""
    first = lines[0]
    return (
        is_escaped(first)
        or (len(lines) == 1 and sign_off(first) is not None)
        or date_before_heading(first) is not None
        or is_contact_heading(first)
        or bool(CONTACT_HEADING.match(first))
        or bool(QUOTES_HEADING.match(first))
        or bool(CORRECTIONS_HEADING.match(first))
        or caption_of(lines) is not None
        or bool(DATELINE_IN_LEAD.match(squash(" ".join(lines))))
        or any(
            parse_meta_line(line) is not None
            or END_MARKER.match(line)
            or any(is_contact_field(piece) for piece in contact_pieces(line))
            for line in lines
        )
    )


def escape_line(text: str) -> str:
    """`text` (one line: a kicker, headline, lead or 'Zitate:' entry) as the release format
    writes it: with the escape (blocks.ESCAPE) in front if the parser could read it as a
    keyword, else as it is. `parse_release` gives back `text`."""
    return ESCAPE + text if _reads_as_keyword([text]) else text


def escape_body(blocks: list[Block]) -> list[str]:
    """The body blocks as the release format writes them (one string per block, see
    `Block.as_text`), with the escape in front of every block that the parser would otherwise
    read as something else: as a keyword, as a paragraph joined to the one before (a page break)
    or, for a paragraph, as a subheading. A subheading that reads as a keyword comes back as a
    paragraph; every text comes back as it was."""
    written: list[str] = []
    previous: Chunk | None = None
    for block in blocks:
        text = block.as_text()
        lines = text.split("\n")
        chunk = Chunk(list(lines))
        kind = to_block(chunk, is_last=False).kind
        escape = (
            _reads_as_keyword(lines)
            or (previous is not None and continues(previous, chunk))
            or (block.kind == "p" and kind != "p")
            or (block.kind in {"ul", "ol"} and kind != block.kind)
        )
        written.append(ESCAPE + text if escape else text)
        previous = Chunk(list(lines), literal=escape)
    return written
