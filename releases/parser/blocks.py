"""Blocks of lines: the text split at blank lines, lists, end markers, paragraphs cut in two
by a page break, and the body blocks (paragraph, subheading, list) they become.

Everything here is one pass over the lines: a file of 100,000 pieces that each continue the
paragraph before is joined in linear time (issue 12, item 8)."""

from __future__ import annotations

import re

from .names import FUNCTION_WORDS, TERMINAL, squash
from .result import Block

BULLET = re.compile(r"^(?:[-–•*·▪]\s+)(?P<item>.*)$")
NUMBERED = re.compile(r"^\d{1,2}[.)]\s+(?P<item>.*)$")
END_MARKER = re.compile(
    r"^(?:\*{3,}|-{3,}|_{3,}|#{3,}|[–—-]\s*Ende\s*[–—-]|\(?Ende(?: der Pressemitteilung)?\)?"
    r"|\d[\d.]*\s+(?:Zeichen|Anschläge)(?:\s*\(.{0,40}\))?"
    r"|(?:Zeichen|Anschläge)(?:\s*\(.{0,40}\))?\s*:\s*\d[\d.]*)$",
    re.I,
)
QUOTES_HEADING = re.compile(r"^Zitate\s*:?$", re.I)
# The exporter lists an article's public correction notes under this heading; the importer
# reads them as notes, never as text of the article.
CORRECTIONS_HEADING = re.compile(r"^Korrekturen\s*:?$", re.I)

# The escape of the release format (issue 12, item 11): a line that begins with a backslash is
# text. The backslash is dropped; the line is never a keyword (date, label or Sperrfrist line,
# contact, 'Zitate:', caption, end marker), and a block that begins with it is body text of its
# own: not joined to the block before, not a subheading, and, in the lead, not a dateline; an
# escaped single line is a paragraph even if it begins like a list item.
# `releases.exporting` writes it (see `escape_line` and `escape_body` in .parser).
ESCAPE = "\\"


def is_escaped(line: str) -> bool:
    """True if `line` begins with the escape: it is text, not a keyword."""
    return line.startswith(ESCAPE)


def unescape(line: str) -> str:
    """`line` without its escape, if it has one."""
    return line[len(ESCAPE) :] if line.startswith(ESCAPE) else line


def split_blocks(text: str) -> list[list[str]]:
    """Lines grouped by blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


class Chunk:
    """A body block before classification: its source lines (non-empty and stripped, as
    `normalise` leaves them).

    A chunk grows when a page break cut its paragraph (`extend`); what `is_list` and
    `continues` ask is kept up to date as it grows, so that joining n pieces costs O(n)."""

    def __init__(self, lines: list[str], literal: bool = False, plain_list: bool = False):
        self.lines = lines
        self.literal = literal  # escaped: body text of its own (see ESCAPE)
        self.plain_list = plain_list  # a list whose items lost their bullets, one per line
        self._all_numbered = all(NUMBERED.match(line) for line in lines)

    def __repr__(self) -> str:
        return f"Chunk({self.lines!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Chunk) and self.lines == other.lines

    def extend(self, other: Chunk) -> None:
        """Append the lines of `other`, the rest of the paragraph."""
        self.lines.extend(other.lines)
        self._all_numbered = self._all_numbered and other._all_numbered

    @property
    def is_list(self) -> bool:
        """Begins with a bullet, or is two or more lines that are all numbered; an escaped
        single line is a paragraph ('– Ende –', '1. Preis')."""
        if self.literal and len(self.lines) == 1:
            return False
        if self.plain_list or BULLET.match(self.lines[0]):
            return True
        return len(self.lines) >= 2 and self._all_numbered

    @property
    def text(self) -> str:
        """The lines as one line, whitespace squashed."""
        return squash(" ".join(self.lines))


# The longest line that can be an item of a list without bullets: longer lines are prose that an
# editor wrapped, whose next line may begin with a capitalised noun as well.
MAX_PLAIN_ITEM = 80


def plain_list_lines(lines: list[str]) -> bool:
    """Whether `lines` (two or more) read as the items of a list whose bullet marks were lost
    (copied from Word or a web page): each line short, beginning with a capital letter or a
    digit, none with a bullet or a number ('1. '), and none ending as if the sentence went on
    (',', '-', 'und').

    Only asked for lines after a line that ends with ':' ('Die Zahlen im Überblick:')."""
    if len(lines) < 2:
        return False
    for line in lines:
        last_word = line.rsplit(None, 1)[-1].lower()
        if (
            len(line) > MAX_PLAIN_ITEM
            or not (line[:1].isupper() or line[:1].isdigit())
            or line.endswith((",", "-", ":"))
            or last_word in FUNCTION_WORDS
            or BULLET.match(line)
            or NUMBERED.match(line)
        ):
            return False
    return True


def split_lists(lines: list[str]) -> list[Chunk]:
    """'Die Änderungen:' followed by '- …' lines without a blank line: paragraph, then list.

    The list begins at the first bullet line after which every line is a bullet or does not
    begin with a capital letter (the continuation of an item). Without bullets, a first line
    that ends with ':' followed by lines that `plain_list_lines` accepts is a paragraph and a
    list as well."""
    if BULLET.match(lines[0]):
        return [Chunk(lines)]
    if len(lines) >= 3 and lines[0].endswith(":") and plain_list_lines(lines[1:]):
        return [Chunk(lines[:1]), Chunk(lines[1:], plain_list=True)]
    # One pass from the end: list_tail[i] says whether lines[i:] can all belong to a list.
    list_tail = [True] * (len(lines) + 1)
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        list_tail[index] = list_tail[index + 1] and bool(
            BULLET.match(line) or not line[:1].isupper()
        )
    for index in range(1, len(lines)):
        if list_tail[index] and BULLET.match(lines[index]):
            return [Chunk(lines[:index]), Chunk(lines[index:])]
    return [Chunk(lines)]


def continues(previous: Chunk, following: Chunk) -> bool:
    """A paragraph that a page break of the original document cut in two: the first part stops
    mid-sentence, and the second starts in lower case or the first ends on a word that never
    ends a sentence ('… sind es' / 'aber Wert …')."""
    if previous.is_list or following.is_list or following.literal:
        return False
    # Lines are stripped and never empty: how the text ends is how its last line ends, and
    # how it begins is how its first line begins; the whole text is not needed.
    last_line = previous.lines[-1]
    if last_line.endswith(TERMINAL):
        return False
    first = following.lines[0][:1]
    last_word = last_line.rsplit(None, 1)[-1].lower()
    return first.islower() or last_line.endswith((",", "-")) or last_word in FUNCTION_WORDS


def to_block(chunk: Chunk, is_last: bool) -> Block:
    """The body block a chunk becomes: a list ('ul', 'ol'), a subheading ('h': one short line
    that does not end like a sentence, never the last block) or a paragraph ('p')."""
    if chunk.plain_list:
        return Block("ul", items=[squash(line) for line in chunk.lines])
    if chunk.is_list:
        numbered = not BULLET.match(chunk.lines[0])
        pattern = NUMBERED if numbered else BULLET
        items: list[list[str]] = []  # the lines of each item, joined once at the end
        for line in chunk.lines:
            if match := pattern.match(line):
                items.append([match.group("item").strip()])
            elif items:
                items[-1].append(line)
        return Block("ol" if numbered else "ul", items=[squash(" ".join(item)) for item in items])
    text = chunk.text
    if (
        not chunk.literal
        and len(chunk.lines) == 1
        and not is_last
        and len(text) <= 100
        and len(text.split()) <= 12
        and not text.endswith(TERMINAL + (",",))
        and (text[:1].isupper() or text[:1].isdigit())
    ):
        return Block("h", text=text)
    return Block("p", text=text)
