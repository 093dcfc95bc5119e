"""The parser itself: `ReleaseParser` reads header, sections, body, quotes and contacts of one
release text with the helpers of the other modules; `parse_release()` is its entry point."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _

from .blocks import (
    BULLET,
    CORRECTIONS_HEADING,
    END_MARKER,
    QUOTES_HEADING,
    Chunk,
    continues,
    is_escaped,
    plain_list_lines,
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
    sign_off,
    titled_caption,
)
from .dates import BERLIN, DATELINE_IN_LEAD, Meta, _date_from, date_before_heading, parse_meta_line
from .decoding import normalise
from .names import FUNCTION_WORDS, TERMINAL, _short, name_key, squash
from .quotes import QuoteFinder, parse_quote_line
from .result import KREISBLATT, Block, Contact, Deadline, ParsedRelease, ReleaseFormatError

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
        self._groups_before_meta: int | None = None  # header groups above the first label line
        self._groups_seen = 0  # header groups read so far (for _groups_before_meta)
        self.embargo_time = None  # 'Sperrfrist: 10:00 Uhr' (a datetime.time), on the date

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
        self.result.contacts += parse_contacts(
            contact_lines, self.warnings, self.result.uncertain, self.result.meta_lines
        )
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
            block_groups = self._header_groups(lines, first=not groups and index == 0)
            if block_groups is None:
                break
            if groups and block_groups and not self._header_line_group(block_groups[0]):
                break  # the lead: a short paragraph that ends like a sentence
            groups.extend(block_groups)
            self._groups_seen = len(groups)
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
        if (
            position == 1
            and len(groups) == 2
            and self._groups_before_meta == 2
            and self._kicker_like(groups[1])
            and not self._marked(groups[0])
        ):
            # 'Mehr Stellen in der Pflege' / 'Arbeitsmarkt Februar' / '28.02.2022 | Presseinfo':
            # two short lines above the date line are a headline and its subline, which is kept
            # as the kicker.
            groups = [groups[1], groups[0]]
            self.result.flag(
                "kicker",
                _("Unterzeile „%(text)s“ als Dachzeile übernommen; bitte prüfen.")
                % {"text": _short(_text(groups[0]))},
            )
        title = _text(groups[position])
        if len(title) > MAX_TITLE:
            raise ReleaseFormatError(
                _("Keine Überschrift gefunden (der Text beginnt mit einem langen Absatz).")
            )
        self.result.title = title
        if position:
            self.result.kicker = _text(groups[position - 1])
            for ignored in groups[: position - 1]:
                self.result.flag(
                    "kicker",
                    _("Zeile über der Dachzeile ignoriert: „%(text)s“")
                    % {"text": _short(_text(ignored))},
                )
        return groups[position + 1 :] + blocks[index:]

    def _header_groups(self, lines: list[str], first: bool = False) -> list[list[str]] | None:
        """The text lines of a header block in groups (meta lines split them), or None if the
        block is prose and the header is over. `first`: the block is the top of the text, where
        a date may stand in front of the headline."""
        groups: list[list[str]] = [[]]
        for number, line in enumerate(lines):
            # An escaped line stays escaped here: the groups after the headline are read again.
            meta = None if is_escaped(line) else parse_meta_line(line)
            if meta is None and first and number == 0 and not is_escaped(line):
                meta = date_before_heading(line)
            if meta is not None:
                if self._groups_before_meta is None and meta.kind:
                    # Only a label line ('… | Presseinfo Nr. 12') counts: a date line alone
                    # below two short lines is this office's kicker, headline, date.
                    self._groups_before_meta = self._groups_seen + sum(map(bool, groups))
                # Of a date in front of the headline, only the date is kept as a meta line.
                self._apply(meta, line[: -len(meta.heading)].strip() if meta.heading else line)
                if meta.heading:
                    groups.append([meta.heading])
                    groups.append([])
                    continue
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

    def _apply(self, meta: Meta, line: str) -> None:
        """Takes what the date, label or Sperrfrist line `line` says; `line` is kept in the
        result's `meta_lines`."""
        self.result.meta_lines.append(line)
        if meta.unread_embargo:
            self.result.flag(
                "embargo",
                _("Sperrfrist nicht verstanden: „%(text)s“; bitte von Hand eintragen.")
                % {"text": _short(meta.unread_embargo)},
            )
        if meta.embargo_time and self.embargo_time is None:
            self.embargo_time = meta.embargo_time
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
        last_block: tuple[int, list[str]] | None = None  # (chunks before, lines) of the last one
        for number, lines in enumerate(blocks):
            self.deadline.check()
            if is_escaped(lines[0]) and section == "content":
                content.append(Chunk([unescape(line) for line in lines], literal=True))
                last_block = None
                continue
            # The blocks after this one, as a range: a slice would copy them, for every block.
            following = range(number + 1, len(blocks))
            if section != "contact" and self._contact_starts(lines, blocks, following):
                section = "contact"
                heading = CONTACT_HEADING.match(lines[0])
                if heading:
                    self.result.meta_lines.append(lines[0])
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
                for meta, line in zip(metas, lines, strict=True):
                    self._apply(meta, line)
                continue
            if not following and len(lines) == 1 and (signed := sign_off(lines[0])):
                # 'Pressestelle Agentur für Arbeit Eichbrück | 12.05.2021': a name-only contact.
                name, day = signed
                self.result.meta_lines.append(lines[0])
                if day:
                    self.dates.append(day)
                self.result.contacts.append(Contact(name=name))
                continue
            self.result.meta_lines.extend(line for line in lines if END_MARKER.match(line))
            lines = [line for line in lines if not END_MARKER.match(line)]
            if not lines:
                continue
            previous = content[-1] if content else None
            if (
                previous is not None
                and not previous.is_list
                and previous.lines[-1].endswith(":")
                and not BULLET.match(lines[0])
                and plain_list_lines(lines)
            ):
                # 'Die Zahlen im Überblick:' and then one item per line, the bullets lost.
                content.append(Chunk(lines, plain_list=True))
            else:
                last_block = (len(content), lines)
                content.extend(split_lists(lines))
                continue
            last_block = None
        if last_block is not None:
            start, lines = last_block
            if start == len(content) - 1 and start > 0 and (caption := titled_caption(lines)):
                # A short title over a one-line description, at the end: a photo caption.
                del content[start]
                self.result.captions.append(caption)
                self.result.flag(
                    "captions",
                    _("Als Bildunterschrift gelesen: „%(text)s“; bitte prüfen.")
                    % {"text": _short(caption.text)},
                )
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
                self.result.meta_lines.append(lead[: match.end()].strip())
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
        before = len(self.warnings)
        self.result.quotes = finder.find(texts)
        if len(self.warnings) > before:
            # A quote without a person, an unclosed one, a surname that names nobody for sure.
            self.result.uncertain.add("quotes")

    def _embargo_on_release_date(self, result: ParsedRelease) -> None:
        """'Sperrfrist: 10:00 Uhr' without a date applies on the release date; without one it
        is reported, never dropped."""
        clock = self.embargo_time.strftime("%H:%M")
        if result.date is None:
            result.flag(
                "embargo",
                _("Sperrfrist %(time)s Uhr ohne Datum, und die Mitteilung hat keins; bitte von "
                  "Hand eintragen.")
                % {"time": clock},
            )  # fmt: skip
            return
        result.embargo = datetime.combine(result.date, self.embargo_time, tzinfo=BERLIN)
        result.flag(
            "embargo",
            _("Sperrfrist %(time)s Uhr ohne Datum: gilt am Tag der Mitteilung, %(date)s.")
            % {"time": clock, "date": result.date.strftime("%d.%m.%Y")},
        )

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
            result.flag("date", _("Kein Veröffentlichungsdatum gefunden."))
        if self.embargo_time is not None and result.embargo is None:
            self._embargo_on_release_date(result)
        if len(result.kicker) > MAX_KICKER:
            # Said with its text, which goes to the body: nothing of the file is lost.
            result.flag(
                "kicker",
                _("Dachzeile zu lang; sie steht jetzt am Anfang des Textes: „%(text)s“")
                % {"text": _short(result.kicker)},
            )
            result.blocks.insert(0, Block("p", text=result.kicker))
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
