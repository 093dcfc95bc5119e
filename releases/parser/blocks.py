"""Blocks of lines: the text split at blank lines, lists, end markers, paragraphs cut in two
by a page break, and the body blocks (paragraph, subheading, list) they become."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass
class Chunk:
    """A body block before classification: its source lines."""

    lines: list[str]

    @property
    def is_list(self) -> bool:
        """Begins with a bullet, or is two or more lines that are all numbered."""
        if BULLET.match(self.lines[0]):
            return True
        return len(self.lines) >= 2 and all(NUMBERED.match(line) for line in self.lines)

    @property
    def text(self) -> str:
        """The lines as one line, whitespace squashed."""
        return squash(" ".join(self.lines))


def split_lists(lines: list[str]) -> list[Chunk]:
    """'Die Änderungen:' followed by '- …' lines without a blank line: paragraph, then list."""
    if BULLET.match(lines[0]):
        return [Chunk(lines)]
    for index in range(1, len(lines)):
        if BULLET.match(lines[index]) and all(
            BULLET.match(line) or not line[:1].isupper() for line in lines[index:]
        ):
            return [Chunk(lines[:index]), Chunk(lines[index:])]
    return [Chunk(lines)]


def continues(previous: Chunk, following: Chunk) -> bool:
    """A paragraph that a page break of the original document cut in two: the first part stops
    mid-sentence, and the second starts in lower case or the first ends on a word that never
    ends a sentence ('… sind es' / 'aber Wert …')."""
    if previous.is_list or following.is_list:
        return False
    text = previous.text
    if text.endswith(TERMINAL):
        return False
    first = following.text[:1]
    last_word = text.rsplit(None, 1)[-1].lower() if text else ""
    return first.islower() or text.endswith((",", "-")) or last_word in FUNCTION_WORDS


def to_block(chunk: Chunk, is_last: bool) -> Block:
    """The body block a chunk becomes: a list ('ul', 'ol'), a subheading ('h': one short line
    that does not end like a sentence, never the last block) or a paragraph ('p')."""
    if chunk.is_list:
        numbered = not BULLET.match(chunk.lines[0])
        pattern = NUMBERED if numbered else BULLET
        items: list[str] = []
        for line in chunk.lines:
            if match := pattern.match(line):
                items.append(match.group("item").strip())
            elif items:
                items[-1] = f"{items[-1]} {line}"
        return Block("ol" if numbered else "ul", items=[squash(item) for item in items])
    text = chunk.text
    if (
        len(chunk.lines) == 1
        and not is_last
        and len(text) <= 100
        and len(text.split()) <= 12
        and not text.endswith(TERMINAL + (",",))
        and (text[:1].isupper() or text[:1].isdigit())
    ):
        return Block("h", text=text)
    return Block("p", text=text)
