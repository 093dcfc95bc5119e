"""Search snippets ("keyword in context"): a short excerpt of an article's lead and body around
the words a search found, escaped, with those words in <mark>. One cutter for both databases;
only the test of whether a word of the text is a hit differs (`lexeme_test()` on PostgreSQL,
`stem_test()` on SQLite), each asking in the terms its database searched in.

Why not PostgreSQL's ts_headline: it parses the whole document again for every hit shown.
Measured 2026-12-01 (20,000 articles, PostgreSQL 15, a page of 20 hits of 2.7 KB each, one
client): ts_headline with the tag-stripping in SQL took 14–19 ms of the page's 38 ms; this
cutter takes about 2 ms for the same page, most of it in taking the markup out.

What counts as a hit follows the database's own search, so a snippet marks the words that made
an article a hit, with two approximations. PostgreSQL stems with its Snowball version and
this module with snowballstemmer's, which differ on a few endings ("bedeutet" stays whole in
PostgreSQL 15): a word of the text is a hit when either its own form, its stem, or the stem of
the query's lexeme agrees, so a related form ("bedeuten" for "bedeutet") may be marked too.
And a word excluded with a minus sign inside a phrase (`-"Landkreis Harz"`) is marked where it
stands alone. Neither changes which articles are found.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Tags that end a line or a block: they stand between words, so taking the markup out must
# leave a space there ("Gesetzes.</p><p>Im" is "Gesetzes. Im"); inline tags ("Job<em>center
# </em>") leave nothing. The same pattern serves Python and PostgreSQL (ARE) regexes.
BLOCK_TAG_PATTERN = (
    r"</?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th"
    r"|figure|figcaption|section|article|aside|header|footer|address)([\s/][^>]*)?>"
)
BLOCK_TAG = re.compile(BLOCK_TAG_PATTERN, re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
# Characters that change nothing a reader sees inside a word and must not split it: soft
# hyphen, zero-width space, non-joiner and joiner, word joiner, zero-width no-break space (BOM).
# Migration press 0010 removes the same characters from the indexed text on PostgreSQL.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# A character class rather than str.translate(): measured 2026-12-01 on 2 KB of text, the
# regular expression takes 3 µs where translate() with a table takes 170 µs.
INVISIBLE_CHARACTER = re.compile(f"[{INVISIBLE}]")
WORD = re.compile(r"\w+")
SPACE = re.compile(r"\s+")
# A lexeme in the text form of a tsquery, with its quotes doubled inside; "!" and parentheses
# around it. https://www.postgresql.org/docs/15/datatype-textsearch.html#DATATYPE-TSQUERY
TSQUERY_TOKEN = re.compile(r"!|\(|\)|'((?:[^']|'')*)'")
SNIPPET_WORDS = 40

GERMAN = snowballstemmer.stemmer("german")


def without_invisible(text: str) -> str:
    """`text` without the INVISIBLE characters."""
    return INVISIBLE_CHARACTER.sub("", text)


def plain_text(lead: str | None, body_html: str | None) -> str:
    """The lead and the body's text as a reader sees them, one string: markup out (block tags
    leave a space), character references decoded, INVISIBLE characters removed."""
    body = html.unescape(TAG.sub("", BLOCK_TAG.sub(" ", body_html or "")))
    return without_invisible(" ".join(part for part in (lead, body) if part))


@lru_cache(maxsize=65536)
def snowball(word: str) -> str:
    """The German Snowball stem of a lower-case word (snowballstemmer; umlauts come out as
    plain vowels, as in PostgreSQL's `german` configuration)."""
    return GERMAN.stemWord(word)


def wanted_lexemes(tsquery: str) -> list[str]:
    """The lexemes of a tsquery's text form that a hit contains: all but those under a "!",
    directly (`!'pfleg'`) or by a negated group (`!( 'a' <-> 'b' )`)."""
    wanted: list[str] = []
    depth_negated: list[bool] = []  # one entry per open parenthesis: is the group negated?
    negate_next = False
    for match in TSQUERY_TOKEN.finditer(tsquery):
        token = match.group()
        if token == "!":
            negate_next = True
            continue
        if token == "(":
            depth_negated.append(negate_next or any(depth_negated))
        elif token == ")":
            if depth_negated:
                depth_negated.pop()
        elif not negate_next and not any(depth_negated):
            wanted.append(match.group(1).replace("''", "'"))
        negate_next = False
    return wanted


class HitTest:
    """Finds a search's hits in a text: `candidates` is a regular expression that matches, whole,
    every word that may be a hit (and maybe others); `key(word)` says which of the query's
    terms a word is, "" for none. The expression does the scanning, in C: measured 2026-12-01
    on 2.7 KB of text, listing every word took 110 µs, scanning for candidates 20 µs."""

    def __init__(self, candidates: re.Pattern | None, key: Callable[[str], str]):
        self.candidates = candidates
        self.key = key

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """The hits in `text` as (start, end, key), in order; start and end index `text`."""
        if self.candidates is None:
            return []
        found = []
        for match in self.candidates.finditer(text):
            start, end = match.span()
            if start and WORD.match(text, start - 1):
                continue  # inside a word: a stem matches the beginning of a word only
            key = self.key(match.group())
            if key:
                found.append((start, end, key))
        return found


def memoised(key: Callable[[str], str]) -> Callable[[str], str]:
    """`key` remembering its answers for the life of one search's page (words recur)."""
    known: dict[str, str] = {}

    def remembered(word: str) -> str:
        answer = known.get(word)
        if answer is None:
            answer = known[word] = key(word)
        return answer

    return remembered


def spellings(key: str) -> str:
    """A regular expression for the beginnings of words that stem to a lower-case `key`: the
    German Snowball stemmer writes "ß" as "ss" and ä, ö, ü as a, o, u
    (https://snowballstem.org/algorithms/german/stemmer.html)."""
    pattern = re.escape(key).replace("ss", "(?:ss|ß)")
    for vowel, umlaut in (("a", "ä"), ("o", "ö"), ("u", "ü")):
        pattern = pattern.replace(vowel, f"[{vowel}{umlaut}]")
    return pattern


def lexeme_test(lexemes: list[str]) -> HitTest:
    """PostgreSQL: a word is a hit when it stems to one of the query's `lexemes` (see the
    module's docstring for how stemmer versions are bridged); the key is the lexeme."""
    wanted = {lexeme: lexeme for lexeme in lexemes}
    for lexeme in lexemes:
        wanted.setdefault(snowball(lexeme), lexeme)
    keys = sorted((key for key in wanted if WORD.fullmatch(key)), key=len, reverse=True)
    if not keys:
        return HitTest(None, str)

    def key(word: str) -> str:
        lower = word.lower()
        return wanted.get(lower) or wanted.get(snowball(lower), "")

    alternatives = "|".join(spellings(key) for key in keys)
    candidates = re.compile(f"(?i:{alternatives})" + r"\w*")
    return HitTest(candidates, memoised(key))


def stem_test(stems: list[str], fold: Callable[[str], str]) -> HitTest:
    """SQLite: a word is a hit when its folded form contains one of the query's folded
    `stems` anywhere, as the search's LIKE does (public.search.search), so every word is a
    candidate; the key is the stem."""

    def key(word: str) -> str:
        folded = fold(word)
        return next((stem for stem in stems if stem in folded), "")

    return HitTest(WORD if stems else None, memoised(key))


def snippet(lead: str | None, body_html: str | None, test: HitTest,
            words: int = SNIPPET_WORDS) -> SafeString:  # fmt: skip
    """About `words` words of the article's text (`plain_text()`) as escaped HTML, with every
    hit in <mark>: one passage from a little before the first hit, or two of half the length,
    " … " between them, when the first leaves out a term of the query that the text has.
    Without a hit in the text (the article was found by its title, a quote or a spokesperson's
    name), the text's beginning. "… " and " …" show where the text goes on."""
    text = plain_text(lead, body_html)
    hits = test.hits(text)
    passages = choose_passages(text, hits, words)
    result = " … ".join(marked(text, hits, start, end) for start, end in passages)
    if passages and WORD.search(text, 0, passages[0][0]):
        result = "… " + result
    if passages and WORD.search(text, passages[-1][1]):
        result += " …"
    return mark_safe(SPACE.sub(" ", result).strip())


# Characters a word and the space after it take at most, for the stretch of text that
# passage() lists words in: German press text averages about 7.
WORD_WIDTH = 24


def passage(text: str, at: int, length: int) -> tuple[int, int]:
    """The (start, end) in `text` of `length` words, the word at index `at` the
    (length // 4 + 1)-th of them, or fewer where the text ends."""
    before = length // 4
    region = max(0, at - (before + 1) * WORD_WIDTH)
    spans = [match.span() for match in WORD.finditer(text, region, at + length * WORD_WIDTH)]
    if region and spans and spans[0][0] == region and WORD.match(text, region - 1):
        spans.pop(0)  # the stretch began inside a word
    if not spans:
        return at, at
    here = next((index for index, (start, _end) in enumerate(spans) if start >= at), 0)
    first = max(0, here - before)
    last = min(len(spans), first + length) - 1
    return spans[first][0], spans[last][1]


def choose_passages(text: str, hits: list[tuple[int, int, str]],
                    words: int) -> list[tuple[int, int]]:  # fmt: skip
    """The passages to show as (start, end) in `text`: see snippet()."""
    if not WORD.search(text):
        return []
    if not hits:
        return [passage(text, 0, words)]
    first_hit = hits[0][0]
    one = passage(text, first_hit, words)
    shown = {key for start, _end, key in hits if one[0] <= start < one[1]}
    later = next((start for start, _end, key in hits if key not in shown), None)
    if later is None:
        return [one]
    one, two = passage(text, first_hit, words // 2), passage(text, later, words // 2)
    if two[0] <= one[1]:  # they overlap: one passage from the first to the second
        return [(one[0], two[1])]
    return [one, two]


def marked(text: str, hits: list[tuple[int, int, str]], start: int, end: int) -> str:
    """text[start:end], escaped, with the hits in it in <mark>."""
    pieces = []
    position = start
    for hit_start, hit_end, _key in hits:
        if start <= hit_start and hit_end <= end:
            pieces.append(escape(text[position:hit_start]))
            pieces.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
            position = hit_end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)
