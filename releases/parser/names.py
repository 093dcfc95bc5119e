"""Words and names: tokens of a text, the word lists that tell names from other words, and
persons' names (with titles and roles) as attributions and captions print them."""

from __future__ import annotations

import re
from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a frozenset."""
    return frozenset(text.split())


TERMINAL = tuple(".!?:;…)]“”\"»«'’")
SENTENCE_END = tuple(".!?…")
FUNCTION_WORDS = word_set(
    """der die das dem den des ein eine einer einem einen eines und oder aber sowie mit für von
    vom zu zum zur im in am an auf bei nach aus über unter vor durch gegen ohne um dass wie als
    ist sind war waren hat haben wird werden kann können sich es nicht auch noch so sehr"""
)
# Capitalised words at a sentence start that are never (part of) a person's name.
NOT_NAMES = word_set(
    """Das Die Der Den Dem Des Dazu Dabei Damit Danach Darum Daher Denn Doch Aber Auch Und Oder
    Wir Sie Er Es Ich Ihr Man Ein Eine Einer Im In Am An Auf Bei Mit Für Nach Zum Zur Von Vom
    Unser Unsere Diese Dieser Dieses Jetzt Heute Hier Dort So Wie Was Wer Wenn Weil Als Nun
    Herr Frau Laut Zitat Fazit Motto Thema Projekt Ziel Jobcenter Landkreis Harz KoBa"""
)
TITLES = ("Dr.", "Prof.", "Dipl.-Ing.", "Dipl.-Kfm.", "Dipl.-Päd.", "Dr.-Ing.", "med.", "h.c.")
PARTICLES = frozenset({"von", "van", "de", "zu", "vom", "ter", "da", "di"})
ROLE_SUFFIXES = (
    "leiter", "leiterin", "rat", "rätin", "meister", "meisterin", "sprecher", "sprecherin",
    "chef", "chefin", "direktor", "direktorin", "präsident", "präsidentin", "beauftragte",
    "beauftragter", "minister", "ministerin", "sekretär", "sekretärin", "referent", "referentin",
    "koordinator", "koordinatorin", "berater", "beraterin", "führer", "führerin", "vorsitzende",
    "vorsitzender", "mitarbeiter", "mitarbeiterin", "dezernent", "dezernentin", "manager",
    "managerin", "fachkraft", "teilnehmer", "teilnehmerin", "coach", "trainer", "trainerin",
    "dozent", "dozentin", "vorstand", "inhaber", "inhaberin", "kollegin", "kollege",
)  # fmt: skip
ROLE_WORD = re.compile(r"^[A-ZÄÖÜ][\w-]+$")
INITIAL = re.compile(r"^[A-ZÄÖÜ]$")
NAME_WORD = re.compile(r"^[A-ZÄÖÜ][a-zäöüßéèáàç]+(?:-[A-ZÄÖÜ][a-zäöüßéèáàç]+)*$")
TOKEN = re.compile(
    r"Dipl\.-\w+\.|Dr\.-Ing\.|Prof\.|Dr\.|med\.|h\.c\.|[^\W\d_][\w’'-]*|\d+|[^\s\w]", re.UNICODE
)
PRONOUNS = frozenset({"sie", "er"})
SPEECH_VERBS = word_set(
    """so sagt sagte erklärt erklärte betont betonte ergänzt ergänzte meint meinte berichtet
    berichtete unterstreicht unterstrich erläutert erläuterte hebt hob fügt fügte freut freute
    resümiert resümierte bilanziert bilanzierte fordert forderte appelliert appellierte weiß
    wusste schildert schilderte beschreibt beschrieb bekräftigt bekräftigte bestätigt bestätigte
    kündigt kündigte verspricht versprach fasst fasste mahnt mahnte warnt warnte räumt räumte
    sieht sah fragt fragte antwortet antwortete wünscht wünschte lobt lobte dankt dankte begrüßt
    begrüßte rät riet empfiehlt empfahl verweist verwies stellt stellte zeigt zeigte
    informiert informierte kommentiert kommentierte schreibt schrieb äußert äußerte teilt
    teilte meldet meldete"""
)
FILLERS = word_set(
    """sich dazu hierzu auch weiter abschließend zufrieden erfreut überzeugt die der das den
    dem noch heute nun außerdem zudem ebenfalls"""
)


def is_role_word(word: str) -> bool:
    """True if `word` ends like a function ('Landrat', 'Teamleiterin'), in any case."""
    return word.lower().endswith(ROLE_SUFFIXES)


def words(text: str) -> list[str]:
    """The tokens of `text`: titles ('Dr.', 'Dipl.-Ing.'), words, numbers and single
    punctuation marks."""
    return TOKEN.findall(text)


@dataclass
class NameRef:
    """A person named in an attribution: a full name, a surname, a role ('die Leiterin') or a
    pronoun ('sagt sie'); `role` is a function found before the name ('Landrat Dr. …')."""

    kind: str  # "full", "surname", "role", "pronoun"
    name: str = ""
    role: str = ""


def name_at(tokens: list[str], start: int) -> tuple[NameRef | None, int]:
    """The name whose run of capitalised words begins at tokens[start]; returns it and the index
    after the run."""
    index = start
    run: list[str] = []
    while index < len(tokens):
        token = tokens[index]
        if (
            run
            and INITIAL.match(token)
            and index + 2 < len(tokens)
            and tokens[index + 1] == "."
            and NAME_WORD.match(tokens[index + 2])
        ):
            # 'Tom R. Feldhaus': an initial inside a name (the tokens 'R' and '.').
            run.append(token + ".")
            index += 2
            continue
        is_name_part = (
            token in TITLES
            or NAME_WORD.match(token)
            or (ROLE_WORD.match(token) and is_role_word(token))
            # 'von', 'van', 'de' inside a name, never at its end
            or (
                token in PARTICLES
                and run
                and index + 1 < len(tokens)
                and NAME_WORD.match(tokens[index + 1])
            )
        )
        if not is_name_part:
            break
        run.append(token)
        index += 1
    if not run:
        return None, start
    return ref_from_run(run), index


def ref_from_run(run: list[str]) -> NameRef | None:
    """'Landrat Dr. Henning Albrecht' -> full name 'Dr. Henning Albrecht', role 'Landrat'."""
    if run[0] in {"Herr", "Frau"}:
        run = run[1:]
    roles: list[str] = []
    while run and run[0] not in TITLES and (is_role_word(run[0]) or run[0] in NOT_NAMES):
        if run[0] not in NOT_NAMES:
            roles.append(run[0])
        run = run[1:]
    role = " ".join(roles)
    name_words = [token for token in run if token not in TITLES and token not in PARTICLES]
    if not name_words:
        return NameRef("role", role=role) if role else None
    if any(token in NOT_NAMES for token in name_words):
        return None
    if len(name_words) > 4:
        return None
    if len(name_words) == 1:
        return NameRef("surname", name=name_words[0], role=role)
    return NameRef("full", name=" ".join(run), role=role)


def person_name(text: str) -> str | None:
    """`text` if it is nothing but a person's name ('Dr. Henning Albrecht'), else None."""
    tokens = words(text)
    ref, end = name_at(tokens, 0)
    if ref is None or ref.kind != "full" or ref.role or end != len(tokens):
        return None
    return ref.name


def name_key(name: str) -> str:
    """Comparable form of a person's name: without titles, case and extra spaces."""
    parts = [part for part in name.split() if part not in TITLES]
    return " ".join(parts).casefold()


def squash(text: str) -> str:
    """`text` with every run of whitespace as one space, without leading or trailing space."""
    return " ".join(text.split())


def _short(text: str, length: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
