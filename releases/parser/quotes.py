"""Quotes in running text: quoted spans, the attributions before or after them
('…“, so Claudia Langer.'), `QuoteFinder`, which assigns quotes to persons, and the entries of
an explicit 'Zitate:' section."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .names import (
    FILLERS,
    NAME_WORD,
    PARTICLES,
    PRONOUNS,
    SENTENCE_END,
    SPEECH_VERBS,
    TITLES,
    TOKEN,
    NameRef,
    _short,
    name_at,
    name_key,
    person_name,
    squash,
    word_set,
    words,
)
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


ABBREVIATIONS = word_set(
    "Dr Prof Nr bzw ca usw vgl z.B d.h Abs St Str Tel Ing Dipl u.a o.ä inkl ggf evtl"
)


def sentence_start(text: str, position: int, floor: int = 0) -> int:
    """Index where the sentence containing `position` begins (not before `floor`)."""
    index = position - 1
    while index > floor:
        char = text[index]
        if char in "!?" and text[index + 1 : index + 2].isspace():
            return index + 1
        if char == "." and text[index + 1 : index + 2].isspace():
            word = _word_before(text, index, floor).lstrip('(„“"»')
            if word and not word.isdigit() and word not in ABBREVIATIONS and len(word) > 1:
                return index + 1
        index -= 1
    return floor


def _word_before(text: str, index: int, floor: int) -> str:
    """The word that ends at `index` (exclusive), not reaching back before `floor`."""
    begin = index
    while begin > floor and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:index]


def _sentence_end(text: str, start: int, limit: int = 200) -> int:
    """Index of the end of the sentence that continues at `start`."""
    stop = min(len(text), start + limit)
    index = start
    while index < stop:
        char = text[index]
        if char in '!?„“”»«"':
            return index
        if char == ".":
            word = _word_before(text, index, start)
            if word not in ABBREVIATIONS and word + "." not in TITLES:
                return index
        index += 1
    return stop


@dataclass
class Attribution:
    """Whom a quote is attributed to (`ref`) and the function printed with the name, if any."""

    ref: NameRef | None = None
    function: str = ""  # "Name, Funktion" at this quote


# How far after a closing quotation mark an attribution is read: 240 characters of tokens up to
# the comma before a function, then at most 200 for the function (`_sentence_end`).
ATTRIBUTION_REACH = 600


def attribution_after(text: str) -> Attribution | None:
    """'“, so Claudia Langer.' / '“, erklärt Sabine Krüger, Teamleiterin …' / '“, sagt sie.'

    Reads at most ATTRIBUTION_REACH characters of `text`."""
    match = re.match(r"\s*(?:,\s*(?:[–—-]\s*)?|[–—-]\s*)", text)
    if match is None:
        return None
    rest = text[match.end() :]
    tokens = words(rest[:240])
    if not tokens or tokens[0].lower() not in SPEECH_VERBS:
        return None
    index = 1
    skipped = 0
    while index < len(tokens) and tokens[index] in FILLERS and skipped < 3:
        index, skipped = index + 1, skipped + 1
    if index < len(tokens) and tokens[index].lower() in PRONOUNS and skipped == 0:
        return Attribution(NameRef("pronoun"))
    ref, end = name_at(tokens, index)
    if ref is None:
        return None
    function = ""
    if end < len(tokens) and tokens[end] == ",":
        # Find the comma in the raw text to keep the function's own spelling.
        consumed = _offset_after_tokens(rest, end + 1)
        function = squash(rest[consumed : _sentence_end(rest, consumed)]).rstrip(",;:–- ")
        if len(function) > 150 or not function:
            function = ""
    return Attribution(ref, function)


def _offset_after_tokens(text: str, count: int) -> int:
    """Character offset in `text` just after its first `count` tokens."""
    position = 0
    for number, match in enumerate(TOKEN.finditer(text)):
        position = match.end()
        if number + 1 >= count:
            break
    return position


def attribution_before(chunk: str) -> Attribution | None:
    """The text of a sentence before ': „…“': 'Claudia Langer, Eigenbetriebsleiterin' or
    'Dazu sagt Landrat Dr. Henning Albrecht' or 'Claudia Langer erklärt'."""
    chunk = squash(chunk)
    if not chunk or len(chunk) > 200:
        return None
    if ", " in chunk:
        name, function = chunk.split(", ", 1)
        if (full := person_name(name)) and len(function) <= 150:
            return Attribution(NameRef("full", name=full), function.strip())
    tokens = words(chunk)
    for index, token in enumerate(tokens):
        if token.lower() in SPEECH_VERBS and token != "so":
            after, _end = name_at(tokens, index + 1) if index + 1 < len(tokens) else (None, 0)
            if after is not None:
                return Attribution(after)
            # 'Die Eigenbetriebsleiterin Claudia Langer betont': the name ends before the verb.
            start = index
            while start > 0 and (
                tokens[start - 1] in TITLES
                or NAME_WORD.match(tokens[start - 1])
                or tokens[start - 1] in PARTICLES
            ):
                start -= 1
            before, end = name_at(tokens, start)
            return Attribution(before) if before is not None and end == index else None
    if full := person_name(chunk):
        return Attribution(NameRef("full", name=full))
    return None


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
        candidates = [self._candidates(number, text) for number, text in enumerate(paragraphs)]
        for paragraph in candidates:
            for candidate in paragraph:
                ref = candidate.attribution.ref if candidate.attribution else None
                if ref is not None and ref.kind == "full":
                    self._remember(ref.name, candidate.attribution.function, ref.role)
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

    def _candidates(self, number: int, text: str) -> list[QuoteCandidate]:
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
