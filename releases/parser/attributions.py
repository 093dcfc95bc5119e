"""Attributions: who a quote is attributed to, read from the words around it. After the
quote ('…“, so Claudia Langer.', '…“, erklärt die Vorsitzende der Geschäftsführung Ilse
Wunderlich.') or in the sentence before its colon ('Claudia Langer, Eigenbetriebsleiterin:',
'Der stellvertretende Leiter des Jobcenters, Tom R. Feldhaus, äußert sich dazu:', 'Der
Kreistag Oberwald schreibt:'); and where a sentence begins and ends.

Pure functions over one paragraph; `quotes.QuoteFinder` decides which person a name means."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import (
    FILLERS,
    NAME_WORD,
    PARTICLES,
    PRONOUNS,
    ROLE_WORD,
    SPEECH_VERBS,
    TITLES,
    TOKEN,
    NameRef,
    is_role_word,
    name_at,
    person_name,
    squash,
    word_set,
    words,
)

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
    article = tokens[index - 1] if skipped else ""
    ref, end = name_at(tokens, index)
    # 'erklärt die Vorsitzende der Geschäftsführung Ilse Wunderlich'
    if (ref is None or ref.kind == "role") and (found := role_phrase_name(tokens, index, article)):
        return found
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


def _function_of(parts: list[str]) -> str:
    """The function printed after a name, from the parts of the sentence after the name's
    comma: 'Leiterin des Jobcenters Wiesental', 'zu der Änderung' -> 'Leiterin des Jobcenters
    Wiesental'. It ends where the sentence goes on in lower case."""
    kept = parts[:1]
    for part in parts[1:]:
        if not part[:1].isupper():
            break
        kept.append(part)
    return ", ".join(kept).strip()


def attribution_before(chunk: str) -> Attribution | None:
    """The text of a sentence before ': „…“': 'Claudia Langer, Eigenbetriebsleiterin' or
    'Dazu sagt Landrat Dr. Henning Albrecht' or 'Claudia Langer erklärt'."""
    chunk = squash(chunk)
    if not chunk or len(chunk) > 200:
        return None
    if ", " in chunk:
        parts = chunk.split(", ")
        if (full := person_name(parts[0])) and len(function := _function_of(parts[1:])) <= 150:
            return Attribution(NameRef("full", name=full), function)
        if found := _apposition_before(parts):
            return found
    tokens = words(chunk)
    for index, token in enumerate(tokens):
        if token.lower() in SPEECH_VERBS and token != "so":
            after, _end = name_at(tokens, index + 1) if index + 1 < len(tokens) else (None, 0)
            if after is not None:
                # 'Dazu sagt Peter Sommer, Teamleiter im Jobcenter Talheim'
                _head, comma, rest = chunk.partition(after.name + ", ")
                return Attribution(after, _function_of(rest.split(", ")) if comma else "")
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
    # 'Landrat Paul Emmerich ist überzeugt, dass …', 'Marta Olszewski weiter': a sentence
    # that begins with the name and goes on in lower case.
    ref, end = name_at(tokens, 0)
    if (
        ref is not None
        and ref.kind == "full"
        and end < len(tokens)
        and tokens[end][:1].islower()
        and tokens[end] not in {"und", "oder", "sowie"}
    ):
        return Attribution(ref)
    return organisation_before(tokens)


# Roles that are adjectives made nouns: 'der Vorsitzende' is 'Vorsitzender' without the article.
ADJECTIVE_ROLES = ("vorsitzende", "beauftragte", "angestellte", "abgeordnete", "bevollmächtigte")


def without_article(words_: list[str]) -> str:
    """A function as it is printed after a name: 'Der stellvertretende Leiter des Jobcenters'
    -> 'stellvertretender Leiter des Jobcenters', 'die Vorsitzende …' -> 'Vorsitzende …'.

    After the masculine article, the adjectives before the role and a role that is an adjective
    made a noun take the ending of the form without article (strong declension, nominative
    singular: Duden, 'Adjektiv: starke Beugung')."""
    if not words_:
        return ""
    article, rest = words_[0].lower(), list(words_[1:])
    if article not in {"der", "die", "das"}:
        return " ".join(words_)
    if article == "der":
        for position, word in enumerate(rest):
            if word[:1].islower() and word.endswith("e"):
                rest[position] = word + "r"
                continue
            if word.lower().endswith(ADJECTIVE_ROLES):
                rest[position] = word + "r"
            break
    return " ".join(rest)


def role_at(tokens: list[str], start: int) -> int | None:
    """The index of the role word ('Leiter') at `start`, after at most two lower-case
    adjectives ('stellvertretende'); None if there is none."""
    index = start
    while index < len(tokens) and index - start < 2 and tokens[index][:1].islower():
        if not tokens[index].endswith(("e", "en")):
            return None
        index += 1
    if index < len(tokens) and ROLE_WORD.match(tokens[index]) and is_role_word(tokens[index]):
        return index
    return None


def role_phrase_name(tokens: list[str], start: int, article: str = "") -> Attribution | None:
    """'Vorsitzende der Geschäftsführung Ilse Wunderlich' from tokens[start:]: a role with
    what follows it ('der Geschäftsführung'), then a person's name of two words (with titles
    and initials) before the end of the clause. `article` is the article before the role
    ('der', 'die' or ''). Also 'Leiterin des Jobcenters, Anna Roth': the name after a comma."""
    if role_at(tokens, start) is None:
        return None
    stop = start
    while stop < len(tokens) and stop - start < 14 and tokens[stop] not in CLAUSE_END:
        stop += 1
    if stop - start >= 14:
        return None
    function = ([article] if article else []) + tokens[start:stop]
    if stop + 1 < len(tokens) and tokens[stop] == ",":
        # 'betont die Leiterin des Jobcenters, Anna Roth.'
        ref, end = name_at(tokens, stop + 1)
        ends_clause = end == len(tokens) or tokens[end] in CLAUSE_END
        if ref is not None and ref.kind == "full" and not ref.role and ends_clause:
            return Attribution(ref, without_article(function))
    # The name: the last two name words of the clause, with the titles and initials before.
    first = stop
    names = 0
    while first > start + 1 and names < 2 and NAME_WORD.match(tokens[first - 1]):
        first, names = first - 1, names + 1
    while first > start + 1 and tokens[first - 1] in TITLES:
        first -= 1
    if names < 2:
        return None
    name = " ".join(tokens[first:stop])
    function = ([article] if article else []) + tokens[start:first]
    return Attribution(NameRef("full", name=name), without_article(function))


def _apposition_before(parts: list[str]) -> Attribution | None:
    """'Der stellvertretende Leiter des Jobcenters, Tom R. Feldhaus, äußert sich dazu' (the
    parts of a sentence split at ', '): the function in front of the name."""
    if len(parts) < 2 or not (full := person_name(parts[1])):
        return None
    if len(parts) > 2 and not parts[2][:1].islower():
        return None
    head = words(parts[0])
    start = 1 if head and head[0].lower() in {"der", "die"} else 0
    if len(parts[0]) > 150 or role_at(head, start) is None:
        return None
    return Attribution(NameRef("full", name=full), without_article(parts[0].split()))


# Words that begin the name of an organisation that can be quoted ('Der Kreistag Oberwald
# schreibt …'), and the endings of such words.
ORGANISATIONS = word_set(
    """Kreistag Stadtrat Gemeinderat Landkreis Jobcenter Agentur Bundesagentur Stadt Gemeinde
    Ministerium Landesregierung Bundesregierung Kreisverwaltung Verwaltung Kammer
    Handwerkskammer IHK Verband Verein Pressestelle Fraktion Ausschuss Geschäftsführung Vorstand
    Landratsamt Rathaus Senat Bezirksamt Regionaldirektion Gewerkschaft Unternehmen Initiative"""
)
ORGANISATION_ENDINGS = ("amt", "verband", "kammer", "ministerium", "verwaltung", "behörde")
CLAUSE_END = frozenset(',.;:!?()–—-„“”»«"')


def organisation_before(tokens: list[str]) -> Attribution | None:
    """'Der Kreistag Oberwald schreibt in seiner Stellungnahme': an organisation as the
    speaker, named at the start of the sentence and followed by a verb of saying."""
    index = 1 if tokens and tokens[0] in {"Der", "Die", "Das"} else 0
    if index >= len(tokens):
        return None
    head = tokens[index]
    if head not in ORGANISATIONS and not head.lower().endswith(ORGANISATION_ENDINGS):
        return None
    end = index + 1
    while end < len(tokens) and end - index < 8:
        token = tokens[end]
        if token[:1].isupper():
            end += 1
        elif (
            token in {"für", "der", "des"}
            and end + 1 < len(tokens)
            and tokens[end + 1][:1].isupper()
        ):
            end += 2
        else:
            break
    if end >= len(tokens) or tokens[end].lower() not in SPEECH_VERBS:
        return None
    return Attribution(NameRef("full", name=" ".join(tokens[index:end])))
