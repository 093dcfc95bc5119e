"""Quotes in running text: quoted spans, `QuoteFinder`, which assigns them to persons with the
attributions read by `attributions`, and the entries of an explicit 'Zitate:' section."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .attributions import (
    ATTRIBUTION_REACH,
    Attribution,
    attribution_after,
    attribution_before,
    role_at,
    sentence_start,
)
from .names import SENTENCE_END, _short, name_key, person_name, squash, words
from .result import Caption, ParsedQuote

# Opening mark -> the marks that close it. „…“ and »…« are German; “…” English; "…" typewriter.
CLOSERS = {"„": "“”", "»": "«", "“": "”“", '"': '"'}
NESTING = {"„", "»"}  # only these can nest: the closing mark differs from the opening one


@dataclass
class Span:
    """A quoted passage of a paragraph: where its marks are, its text (stripped) and whether
    it is closed."""

    start: int  # index of the opening mark
    end: int  # index of the closing mark (len(text) if unclosed)
    text: str
    closed: bool


def quote_spans(text: str) -> list[Span]:
    """The quoted passages of a paragraph, outermost only, in one pass."""
    spans: list[Span] = []
    index, length = 0, len(text)
    while index < length:
        mark = text[index]
        if mark not in CLOSERS or (mark == '"' and not _opens(text, index)):
            index += 1
            continue
        closers, depth, cursor = CLOSERS[mark], 1, index + 1
        while cursor < length:
            char = text[cursor]
            if mark in NESTING and char == mark:
                depth += 1
            elif char in closers:
                depth -= 1
                if depth == 0:
                    break
            cursor += 1
        closed = cursor < length
        spans.append(Span(index, cursor, text[index + 1 : cursor].strip(), closed))
        index = cursor + 1
    return spans


def _opens(text: str, index: int) -> bool:
    """A typewriter quote opens at the start or after a space/bracket, before a non-space."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([–—-/") and not after.isspace()


@dataclass
class QuoteCandidate:
    """A quoted span of a paragraph with what decides whether it is a quote, and whose."""

    paragraph: int
    span: Span
    attribution: Attribution | None
    sentence_start: bool  # the quote begins a sentence (or the paragraph)
    after_comma: bool  # the quote follows ', ' (a quote split by its attribution)
    gap_before: str  # text between the previous quote of the paragraph and this one


def _word_count(text: str) -> int:
    return len(text.split())


# A role ('sagt die Leiterin') is looked for in the functions of at most this many persons;
# among more, it names nobody for sure, and looking costs O(persons) for every quote.
MAX_ROLE_CANDIDATES = 50


def _by_last_word(names: Iterable[str]) -> dict[str, set[str]]:
    """Names by their last word (the surname)."""
    index: dict[str, set[str]] = {}
    for name in names:
        index.setdefault(name.split()[-1], set()).add(name)
    return index


class QuoteFinder:
    """Finds quotes in the lead and body paragraphs and attributes them to persons.

    Two passes: the first collects every full name (with functions) the text attributes or
    captions, so that 'so Langer' can be resolved even before the full name is printed. The
    second looks names up in indexes, so that both are linear in the number of quotes."""

    def __init__(self, captions: list[Caption], known_names: Iterable[str], warnings: list[str]):
        self.warnings = warnings
        self.known = list(dict.fromkeys(squash(name) for name in known_names if name))
        self.known_by_surname = _by_last_word(self.known)
        self.functions: dict[str, str] = {}  # name key -> function from "Name, Funktion"
        self.roles: dict[str, str] = {}  # name key -> role before the name ('Landrat')
        self.names: dict[str, str] = {}  # name key -> name as printed first
        self.names_by_surname: dict[str, set[str]] = {}  # filled after the first pass
        self.described: dict[str, str] = {}  # name key -> role or function, after it too
        self.by_role: dict[str, str | None] = {}  # role -> the one person it names
        for caption in captions:
            if ", " in caption.text:
                name, function = caption.text.split(", ", 1)
                if full := person_name(name):
                    self._remember(full, function.strip())

    def _remember(self, name: str, function: str = "", role: str = "") -> None:
        key = name_key(name)
        self.names.setdefault(key, name)
        if function:
            self.functions.setdefault(key, function)
        if role:
            self.roles.setdefault(key, role)

    def find(self, paragraphs: list[str]) -> list[ParsedQuote]:
        """The quotes of `paragraphs` (the lead first, then the body paragraphs) in order, each
        with its speaker; statements without a speaker, ambiguous or unknown surnames and
        unclosed quotation marks are reported in `warnings`."""
        candidates = [
            self._candidates(number, text, paragraphs[number - 1] if number else "")
            for number, text in enumerate(paragraphs)
        ]
        for paragraph in candidates:
            for candidate in paragraph:
                ref = candidate.attribution.ref if candidate.attribution else None
                if ref is not None and ref.kind == "full":
                    self._remember(ref.name, candidate.attribution.function, ref.role)
        self._appositions(paragraphs)
        self.names_by_surname = _by_last_word(self.names.values())
        self.described = {**self.roles, **self.functions}
        quotes: list[ParsedQuote] = []
        last_speaker: str | None = None
        carried: str | None = None  # speaker of a quote left open at the end of a paragraph
        for number, paragraph in enumerate(candidates):
            current = carried
            carried = None
            resolved: list[str | None] = []
            for candidate in paragraph:
                speaker = self._resolve(candidate, last_speaker)
                if speaker is None and current and self._continues(candidate):
                    speaker = current
                resolved.append(speaker)
                if speaker:
                    current = last_speaker = speaker
            # '„A.“ „B“, sagt X.': an unattributed quote right before X's quote is X's as well.
            for index in range(len(paragraph) - 2, -1, -1):
                if (
                    resolved[index] is None
                    and resolved[index + 1]
                    and not paragraph[index + 1].gap_before.strip()
                    and self._statement(paragraph[index])
                ):
                    resolved[index] = resolved[index + 1]
            for candidate, speaker in zip(paragraph, resolved, strict=True):
                if speaker is None:
                    if self._statement(candidate) and _word_count(candidate.span.text) >= 6:
                        self.warnings.append(
                            _("Zitat ohne erkennbare Person in Absatz %(number)d: „%(text)s“")
                            % {"number": number + 1, "text": _short(candidate.span.text)}
                        )
                    continue
                if not candidate.span.closed:
                    self.warnings.append(
                        _(
                            "Anführungszeichen nicht geschlossen in Absatz %(number)d; das Zitat "
                            "reicht bis zum Absatzende: „%(text)s“"
                        )
                        % {"number": number + 1, "text": _short(candidate.span.text)}
                    )
                    carried = speaker
                quotes.append(
                    ParsedQuote(
                        speaker=speaker,
                        function=self._function(speaker, candidate.attribution),
                        text=squash(candidate.span.text),
                    )
                )
        return quotes

    def _appositions(self, paragraphs: list[str]) -> None:
        """'… unterzeichneten Jonas Brettschneider, Leiter der Agentur für Arbeit Grünfelden,
        und …': the function of a quoted person from the apposition that introduced them,
        for persons the attributions give none. Looks for at most MAX_ROLE_CANDIDATES names,
        so the work stays linear in the length of the text."""
        wanted = [
            name
            for key, name in self.names.items()
            if key not in self.functions and key not in self.roles
        ][:MAX_ROLE_CANDIDATES]
        for name in wanted:
            needle = name + ", "
            for text in paragraphs:
                at = text.find(needle)
                if at < 0:
                    continue
                start = at + len(needle)
                stop = start
                while stop < len(text) and stop - start <= 150 and text[stop] not in ',.;:(„“"':
                    stop += 1
                phrase = text[start:stop].strip()
                tokens = words(phrase)
                if (
                    stop - start <= 150
                    and tokens
                    and role_at(tokens, 0) is not None
                    and text[stop : stop + 1] in {",", ".", ":"}
                ):
                    self.functions[name_key(name)] = phrase
                    break

    def _candidates(self, number: int, text: str, previous: str = "") -> list[QuoteCandidate]:
        """The quoted spans of paragraph `number` (`text`) with their attributions; `previous`
        is the paragraph before, whose last sentence may attribute a quote that opens this
        one ('Marta Olszewski, Leiterin …, zu der Änderung:')."""
        result = []
        previous_end = 0
        for span in quote_spans(text):
            attribution = None
            if _word_count(span.text) >= 2:
                before = text[previous_end : span.start]
                if before.rstrip().endswith(":"):
                    colon = previous_end + len(before.rstrip()) - 1
                    begin = sentence_start(text, colon, previous_end)
                    attribution = attribution_before(text[begin:colon])
                elif not result and not before.strip() and previous.endswith(":"):
                    begin = sentence_start(previous, len(previous) - 1)
                    attribution = attribution_before(previous[begin:-1])
                if attribution is None and span.closed:
                    # Only the next few hundred characters: the rest of the paragraph, copied
                    # for every quote, made a paragraph of n quotes cost O(n²).
                    after = text[span.end + 1 : span.end + 1 + ATTRIBUTION_REACH]
                    attribution = attribution_after(after)
            head = text[previous_end : span.start].rstrip()
            result.append(
                QuoteCandidate(
                    paragraph=number,
                    span=span,
                    attribution=attribution,
                    sentence_start=not head or head.endswith(SENTENCE_END + ("“", "”", "«")),
                    after_comma=head.endswith(","),
                    gap_before=text[previous_end : span.start] if result else "x",
                )
            )
            previous_end = min(len(text), span.end + 1)
        return result

    def _statement(self, candidate: QuoteCandidate) -> bool:
        """Looks like something said, not a title or a scare quote: at least three words, ends
        like a sentence, starts one (or follows the comma of a split quote)."""
        text = candidate.span.text
        return (
            _word_count(text) >= 3
            and (text.endswith(SENTENCE_END) or not candidate.span.closed)
            and (candidate.sentence_start or candidate.after_comma)
        )

    def _continues(self, candidate: QuoteCandidate) -> bool:
        if candidate.attribution is not None:
            return False
        if candidate.after_comma and _word_count(candidate.span.text) >= 3:
            return len(candidate.gap_before) <= 120
        return self._statement(candidate)

    def _resolve(self, candidate: QuoteCandidate, last_speaker: str | None) -> str | None:
        attribution = candidate.attribution
        if attribution is None or attribution.ref is None:
            return None
        ref = attribution.ref
        if ref.kind == "full":
            return self.names.get(name_key(ref.name), ref.name)
        if ref.kind == "pronoun":
            return last_speaker
        if ref.kind == "surname":
            return self._by_surname(ref.name)
        if ref.kind == "role":
            return self._by_role(ref.role)
        return None

    def _by_surname(self, surname: str) -> str | None:
        for pool in (self.names_by_surname, self.known_by_surname):
            matches = set(pool.get(surname, ()))
            if len(matches) == 1:
                return matches.pop()
            if len(matches) > 1:
                self.warnings.append(
                    _("„%(surname)s“ ist nicht eindeutig (%(names)s); Zitat nicht zugeordnet.")
                    % {"surname": surname, "names": ", ".join(sorted(matches))}
                )
                return None
        self.warnings.append(
            _("„%(surname)s“: keine Person mit diesem Nachnamen im Text; Zitat nicht zugeordnet.")
            % {"surname": surname}
        )
        return None

    def _by_role(self, role: str) -> str | None:
        wanted = role.casefold()
        if wanted not in self.by_role:
            described = self.described
            matches = (
                {self.names[key] for key, text in described.items() if wanted in text.casefold()}
                if wanted and len(described) <= MAX_ROLE_CANDIDATES
                else set()
            )
            self.by_role[wanted] = matches.pop() if len(matches) == 1 else None
        return self.by_role[wanted]

    def _function(self, speaker: str, attribution: Attribution | None) -> str:
        if attribution is not None and attribution.function:
            return attribution.function
        key = name_key(speaker)
        if key in self.functions:
            return self.functions[key]
        if attribution is not None and attribution.ref is not None and attribution.ref.role:
            return attribution.ref.role
        return self.roles.get(key, "")


def parse_quote_line(text: str) -> ParsedQuote | None:
    """One entry of a 'Zitate:' section: 'Name, Funktion: „Text“'."""
    text = squash(text)
    match = re.search(r":\s*([„»“\"])", text)
    if match is None:
        return None
    head, mark = text[: match.start()], match.group(1)
    body = text[match.end() :]
    closers = CLOSERS[mark]
    if body and body[-1] in closers:
        body = body[:-1]
    name, _comma, function = head.partition(", ")
    # The section is explicit, so any name is taken, also 'Pressestelle KoBa Harz'.
    if not name.strip() or len(name) > 150 or not body.strip():
        return None
    return ParsedQuote(speaker=name.strip(), function=function.strip(), text=body.strip())
