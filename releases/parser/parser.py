"""The parser itself: `ReleaseParser` reads header, sections, body, quotes and contacts of one
release text with the helpers of the other modules; `parse_release()` is its entry point."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from .blocks import (
    CORRECTIONS_HEADING,
    END_MARKER,
    ESCAPE,
    QUOTES_HEADING,
    Chunk,
    continues,
    is_escaped,
    split_blocks,
    split_lists,
    to_block,
    unescape,
)
from .contacts import (
    CONTACT_HEADING,
    QUOTE_MARKS,
    caption_of,
    contact_pieces,
    is_contact_field,
    is_contact_heading,
    parse_contacts,
)
from .dates import DATELINE_IN_LEAD, Meta, _date_from, parse_meta_line
from .decoding import normalise
from .names import FUNCTION_WORDS, TERMINAL, _short, name_key, squash
from .quotes import QuoteFinder, parse_quote_line
from .result import KREISBLATT, Block, Deadline, ParsedRelease, ReleaseFormatError

MAX_TITLE = 300  # Article.title
MAX_KICKER = 200  # Article.kicker


class ReleaseParser:
    """One release text -> ParsedRelease. Use `parse_release()`."""

    def __init__(
        self, text: str, known_names: Iterable[str] = (), deadline: Deadline | None = None
    ):
        self.deadline = deadline or Deadline()
        self.text = normalise(text)
        self.known_names = list(known_names)
        self.result = ParsedRelease()
        self.kind_from_label: str | None = None
        self.dates: list[date] = []
        self._above_meta: set[int] = set()  # ids of header line groups followed by a date line

    @property
    def warnings(self) -> list[str]:
        """The result's warnings; every step appends to them."""
        return self.result.warnings

    def parse(self) -> ParsedRelease:
        """The parsed release.

        Raises ReleaseFormatError if the text is empty, has no headline or no text after it."""
        blocks = split_blocks(self.text)
        if not blocks:
            raise ReleaseFormatError(_("Die Datei ist leer."))
        rest = self._header(blocks)
        content, quote_lines, contact_lines = self._sections(rest)
        self._body(content)
        self.deadline.check()
        self._quotes(quote_lines)
        self.deadline.check()
        self.result.contacts = parse_contacts(contact_lines, self.warnings)
        self._finish()
        return self.result

    # header: kicker, labels, dates, title

    def _header(self, blocks: list[list[str]]) -> list[list[str]]:
        """Reads kicker, date lines and title from the top; returns the remaining blocks."""
        groups: list[list[str]] = []  # runs of text lines, split by blank lines and meta lines
        index = 0
        while index < len(blocks):
            lines = blocks[index]
            literal = is_escaped(lines[0])
            if not literal and (caption := caption_of(lines, credit_required=True)):
                self.result.captions.append(caption)
                index += 1
                continue
            if not literal and (is_contact_heading(lines[0]) or QUOTES_HEADING.match(lines[0])):
                break
            block_groups = self._header_groups(lines)
            if block_groups is None:
                break
            if groups and block_groups and not self._header_line_group(block_groups[0]):
                break  # the lead: a short paragraph that ends like a sentence
            groups.extend(block_groups)
            index += 1
            if len(groups) >= 3:
                break
        if not groups:
            raise ReleaseFormatError(_("Keine Überschrift gefunden."))
        # Kicker and headline, or headline alone; a third short line on top (a letterhead)
        # only if the kicker is short as well and the last line reads like a headline.
        position = 0
        if len(groups) >= 2 and (self._kicker_like(groups[0]) or self._marked(groups[0])):
            position = 1
            if (
                len(groups) >= 3
                and self._kicker_like(groups[1])
                and not " ".join(groups[2]).endswith(TERMINAL)
                and len(" ".join(groups[2])) <= 200
            ):
                position = 2
        title = _text(groups[position])
        if len(title) > MAX_TITLE:
            raise ReleaseFormatError(
                _("Keine Überschrift gefunden (der Text beginnt mit einem langen Absatz).")
            )
        self.result.title = title
        if position:
            self.result.kicker = _text(groups[position - 1])
            for ignored in groups[: position - 1]:
                self.warnings.append(
                    _("Zeile über der Dachzeile ignoriert: „%(text)s“")
                    % {"text": _short(_text(ignored))}
                )
        return groups[position + 1 :] + blocks[index:]

    def _header_groups(self, lines: list[str]) -> list[list[str]] | None:
        """The text lines of a header block in groups (meta lines split them), or None if the
        block is prose and the header is over."""
        groups: list[list[str]] = [[]]
        for line in lines:
            # An escaped line stays escaped here: the groups after the headline are read again.
            meta = None if is_escaped(line) else parse_meta_line(line)
            if meta is not None:
                self._apply(meta)
                if meta.text:
                    groups.append([meta.text])
                # A line right above a date line is the kicker, however long it is
                # ('Zuarbeit Kreisblatt' / '06.10.2017' in the sample).
                if groups[-1]:
                    self._above_meta.add(id(groups[-1]))
                groups.append([])
                continue
            groups[-1].append(line)
        groups = [group for group in groups if group]
        for group in groups:
            if len(group) > 3 or sum(len(line) for line in group) > MAX_TITLE:
                return None
        result = []
        for group in groups:
            result.extend(self._split_kicker_line(group))
        return result

    def _split_kicker_line(self, group: list[str]) -> list[list[str]]:
        """'Zuarbeit Kreisblatt' directly above the headline, without a blank line."""
        if len(group) >= 2 and self._kicker_like([group[0]]):
            second = group[1][:1]
            if second.isupper() or second.isdigit() or second in QUOTE_MARKS:
                return [[group[0]], group[1:]]
        return [group]

    def _marked(self, group: list[str]) -> bool:
        return len(group) == 1 and id(group) in self._above_meta

    @staticmethod
    def _kicker_like(group: list[str]) -> bool:
        text = " ".join(group)
        last = text.rsplit(None, 1)[-1].lower() if text else ""
        return (
            len(group) == 1
            and len(text) <= 60
            and len(text.split()) <= 6
            and not text.endswith(TERMINAL + (",", "-"))
            and last not in FUNCTION_WORDS
        )

    @staticmethod
    def _header_line_group(group: list[str]) -> bool:
        """Could be a kicker or headline: short, and does not end like a sentence."""
        text = " ".join(group)
        return len(text) <= MAX_TITLE and not text.endswith((".", ";", ","))

    def _apply(self, meta: Meta) -> None:
        if meta.date:
            self.dates.append(meta.date)
        if meta.embargo:
            if self.result.embargo and self.result.embargo != meta.embargo:
                self.warnings.append(_("Mehrere Sperrfristen gefunden; die erste gilt."))
            else:
                self.result.embargo = meta.embargo
        if meta.kind and self.kind_from_label is None:
            self.kind_from_label = meta.kind

    # sections after the headline

    def _sections(self, blocks: list[list[str]]) -> tuple[list[Chunk], list[str] | None, list[str]]:
        """(body chunks, the entries of a 'Zitate:' section or None if there is none, contact
        lines)."""
        content: list[Chunk] = []
        quote_lines: list[str] | None = None
        contact_lines: list[str] = []
        section = "content"
        for number, lines in enumerate(blocks):
            self.deadline.check()
            if is_escaped(lines[0]) and section == "content":
                content.append(Chunk([unescape(line) for line in lines], literal=True))
                continue
            # The blocks after this one, as a range: a slice would copy them, for every block.
            following = range(number + 1, len(blocks))
            if section != "contact" and self._contact_starts(lines, blocks, following):
                section = "contact"
                heading = CONTACT_HEADING.match(lines[0])
                if heading:
                    first = (heading.group("rest") or "").strip()
                    lines = ([first] if first else []) + lines[1:]
            if section == "contact":
                contact_lines.extend(lines)
                continue
            if CORRECTIONS_HEADING.match(lines[0]):
                section = "corrections"
                lines = lines[1:]
            if section == "corrections":
                # One note per block ("Aktualisiert am …: …"), as the exporter writes them.
                if lines:
                    self.result.corrections.append(squash(" ".join(map(unescape, lines))))
                continue
            if QUOTES_HEADING.match(lines[0]):
                section = "quotes"
                quote_lines = [] if quote_lines is None else quote_lines
                lines = lines[1:]
            if section == "quotes":
                # One quote per block; its lines were wrapped.
                if lines:
                    quote_lines.append(" ".join(unescape(line) for line in lines))
                continue
            if caption := caption_of(lines):
                self.result.captions.append(caption)
                continue
            metas = [parse_meta_line(line) for line in lines]
            if all(meta is not None and not meta.text for meta in metas):
                for meta in metas:
                    self._apply(meta)
                continue
            lines = [line for line in lines if not END_MARKER.match(line)]
            if lines:
                content.extend(split_lists(lines))
        return content, quote_lines, contact_lines

    @staticmethod
    def _contact_starts(lines: list[str], blocks: list[list[str]], following: range) -> bool:
        """Whether the contact block begins with `lines`; `following` are the indexes of the
        blocks after it."""
        if is_escaped(lines[0]):
            return False
        if is_contact_heading(lines[0]):
            return True
        # Contact lines without a heading count only at the very end of the text.
        if len(following) > 2:
            return False
        pieces = [piece for line in lines for piece in contact_pieces(line)]
        return (
            bool(pieces)
            and any(is_contact_field(piece) for piece in pieces)
            and all(is_contact_field(p) or len(p) <= 60 for p in pieces)
            and all(
                len(blocks[index]) <= 3 and max(map(len, blocks[index])) <= 120
                for index in following
            )
        )

    # lead and body

    def _body(self, chunks: list[Chunk]) -> None:
        merged: list[Chunk] = []
        for chunk in chunks:
            self.deadline.check()
            if merged and continues(merged[-1], chunk):
                merged[-1].extend(chunk)  # in place: a new list each time would be O(n²)
            else:
                merged.append(chunk)
        if not merged:
            raise ReleaseFormatError(_("Nach der Überschrift folgt kein Text."))
        first, *rest = merged
        if first.is_list:
            self.warnings.append(_("Kein Vorspann: der Text beginnt mit einer Liste."))
            rest = merged
        else:
            lead = first.text
            # 'Halberstadt, 6. Oktober 2017 – Am Samstag …': the dateline gives the date.
            match = None if self.dates or first.literal else DATELINE_IN_LEAD.match(lead)
            if match and (day := _date_from(match)):
                self.dates.append(day)
                lead = lead[match.end() :]
            self.result.lead = lead
        self.result.blocks = [
            to_block(chunk, number == len(rest) - 1) for number, chunk in enumerate(rest)
        ]

    def _quotes(self, section_lines: list[str] | None) -> None:
        finder = QuoteFinder(self.result.captions, self.known_names, self.warnings)
        if section_lines is not None:
            # An explicit 'Zitate:' section (written by the exporter, or by hand) lists the
            # quotes of the release; quotes in the running text are then only text.
            for line in section_lines:
                if quote := parse_quote_line(line):
                    quote.speaker = finder.names.get(name_key(quote.speaker), quote.speaker)
                    self.result.quotes.append(quote)
                else:
                    self.warnings.append(
                        _("Eintrag im Abschnitt „Zitate“ nicht erkannt: „%(text)s“")
                        % {"text": _short(line)}
                    )
            return
        texts = [self.result.lead] if self.result.lead else []
        texts += [block.text for block in self.result.blocks if block.kind == "p"]
        self.result.quotes = finder.find(texts)

    def _finish(self) -> None:
        result = self.result
        if self.dates:
            result.date = self.dates[0]
            if len(set(self.dates)) > 1:
                self.warnings.append(
                    _("Mehrere Datumsangaben gefunden; verwendet wird %(date)s.")
                    % {"date": result.date.strftime("%d.%m.%Y")}
                )
        elif result.embargo:
            result.date = result.embargo.date()
        else:
            self.warnings.append(_("Kein Veröffentlichungsdatum gefunden."))
        if len(result.kicker) > MAX_KICKER:
            self.warnings.append(_("Dachzeile zu lang; sie wird weggelassen."))
            result.kicker = ""
        if self.kind_from_label:
            result.kind = self.kind_from_label
        elif "kreisblatt" in result.kicker.lower():
            result.kind = KREISBLATT
        if not result.contacts:
            self.warnings.append(_("Kein Pressekontakt gefunden; es gilt der Standardkontakt."))


def _text(lines: list[str]) -> str:
    """The lines of a header group as one line, without their escapes."""
    return squash(" ".join(unescape(line) for line in lines))


def _reads_as_keyword(lines: list[str]) -> bool:
    """Whether the parser could read the block `lines`, or a line of it, as anything but text:
    a date, label or Sperrfrist line, a contact heading or contact fields, the 'Zitate:'
    heading, a photo caption or credit, an end marker, a dateline before the lead, or an escape
    of its own."""
    first = lines[0]
    return (
        is_escaped(first)
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


def parse_release(
    text: str, known_names: Iterable[str] = (), *, deadline: Deadline | None = None
) -> ParsedRelease:
    """Parse the text of one release. `known_names` (names of existing spokespersons) help to
    resolve surname-only references ('so Langer') that the text itself does not resolve.
    `deadline` is the time budget of the parse (None: none). The work is linear in the length
    of the text (tests/releases/test_parser_speed.py).

    Raises ReleaseFormatError if the text has no headline or no text after it, and its subclass
    OverBudgetError when the deadline passes."""
    return ReleaseParser(text, known_names, deadline).parse()
