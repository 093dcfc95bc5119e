"""Full-text search over the public archive, one interface for both databases.

Both search the title, kicker, lead and body, the article's quotes and the names of the quoted
spokespersons; characters that are invisible inside a word (INVISIBLE: soft hyphen, zero-width
space…) are removed from text and query, so "Qualifizierungs&shy;offensive" is found as one word.

PostgreSQL: a stored generated tsvector column (migrations press 0004 and 0010, config `german`;
title and quoted names weighted over kicker and lead over body and quotes; GIN index; the quotes
are copied onto the article row by triggers), `websearch` syntax and ranking. "Jobcenters"
finds "Jobcenter" because both stem to the same lexeme.

SQLite (development, the embedded default): every word of the query must occur in the article,
compared after `fold()`, which ignores case, markup and the spelling of umlauts ("Müller",
"MUELLER"); a query word is cut to its German Snowball stem first, so "Jobcenters" finds
"Jobcenter" here too.

Snippets are cut by public.snippets on both databases, marking the words each database's own
search counts as hits (`add_snippets()`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    Aggregate,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from press.models import Quote

from .paging import PageRows
from .snippets import (
    INVISIBLE,  # noqa: F401 (named by migration press 0010 as this module's)
    TAG,
    WORD,
    lexeme_test,
    snippet,
    stem_test,
    wanted_lexemes,
    without_invisible,
)

FOLD_FUNCTION = "press_fold"
MAX_QUERY_LENGTH = 200
MAX_HITS = 1000
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# What lies between words and phrases: spaces, punctuation, websearch's operators.
BETWEEN_WORDS = re.compile(r'[^\w"]+')


def fold(text: str | None) -> str:
    """Lower case, no markup, umlauts spelt out, other accents dropped: the form in which
    SQLite compares."""
    if not text:
        return ""
    text = without_invisible(html.unescape(TAG.sub(" ", text)))
    text = text.casefold().translate(UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: makes fold() callable from SQLite's SQL, with any number
    of texts (NULLs skipped), which it folds as one, separated by spaces."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FOLD_FUNCTION, -1, fold_texts, deterministic=True)


def fold_texts(*texts: str | None) -> str:
    return fold(" ".join(text for text in texts if text))


def query_words(query: str) -> tuple[list[list[str]], list[str]]:
    """The query in websearch syntax as SQLite can use it, folded: alternatives separated by
    `OR`, each a list of words that must all occur, and the `-word`s that must not."""
    alternatives: list[list[str]] = [[]]
    unwanted: list[str] = []
    for token in query.replace('"', " ").split():
        if token == "OR":
            alternatives.append([])
        elif token.startswith("-") and len(token) > 1:
            unwanted.extend(WORD.findall(fold(token)))
        else:
            alternatives[-1].extend(WORD.findall(fold(token)))
    return [words for words in alternatives if words], unwanted


GERMAN = snowballstemmer.stemmer("german")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The beginning of a folded word that its inflected forms share, in the folded spelling:
    "jobcenters" -> "jobcent", "muellers" -> "muell", "beratungsbueros" -> "beratungsbuer".

    The German Snowball stemmer (snowballstemmer, https://snowballstem.org/algorithms/german/
    stemmer.html) cuts the ending and writes umlauts as plain vowels ("mull"); the folded
    haystack spells them out ("mueller"), so the stem is mapped back onto the word it came from:
    a vowel followed by the "e" of a spelt-out umlaut takes the "e" along. SQLite then looks for
    this beginning as for a word. Only the query's words are stemmed, so a search costs a few
    stemmer calls, whatever the size of the archive."""
    stemmed = GERMAN.stemWord(word)
    position = 0
    for index, char in enumerate(stemmed):
        if position >= len(word) or word[position] != char:
            break  # the stemmer changed more than the ending: keep what matched so far
        position += 1
        spelt_out = word[position : position + 1] == "e" and char in "aou"
        if spelt_out and stemmed[index + 1 : index + 2] not in ("", "e"):
            position += 1
    return word[:position] if position >= 3 else word


def websearch_text(query: str) -> str:
    """The query with at most one minus sign between two words, and that one only where it
    touches the next word ("-Wort", "Hartz-IV"); a minus sign standing alone negates nothing,
    as the search help says and as SQLite reads it.

    Why: PostgreSQL's websearch_to_tsquery reads every minus sign before a word as a NOT and
    stacks them; beyond 32 in a row it fails with "tsquery stack too small" (forty `-` did, on
    PostgreSQL 15). One NOT is all a word needs: "--Wort" excludes the word, as on SQLite."""

    def one_minus(match: re.Match) -> str:
        between = match.group()
        kept = between.replace("-", "")
        return kept + "-" if between.endswith("-") else kept

    return BETWEEN_WORDS.sub(one_minus, query)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


SEARCH_VECTOR = RawSQL('"press_article"."search_vector"', [], output_field=SearchVectorField())
# "name text" of one quote; both columns are NOT NULL, so || needs no COALESCE.
JOINED_QUOTE = Func(
    F("spokesperson__name"), Value(" "), F("text"),
    template="(%(expressions)s)", arg_joiner=" || ", output_field=TextField(),
)  # fmt: skip


class GroupConcat(Aggregate):
    """SQLite's group_concat(text, separator)."""

    function = "group_concat"
    output_field = TextField()


def sqlite_haystack() -> Func:
    """SQLite: what a search looks in, folded: the article's texts and its quotes with their
    spokespersons' names, in the same statement (one query per search, whatever the number
    of articles). The fields are arguments of the fold function rather than one concatenation:
    Django's Concat nests a COALESCE per part, and repeated for every word of a query that
    overflows SQLite's parser stack."""
    quotes = (
        Quote.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(text=GroupConcat(JOINED_QUOTE, Value(" ")))
        .values("text")
    )
    fields = ("title", "kicker", "lead", "body")
    return Func(
        *(F(field) for field in fields),
        Subquery(quotes),
        function=FOLD_FUNCTION,
        output_field=TextField(),
    )


class Hits:
    """The articles of a search, at most the MAX_HITS newest matching ones: best first on
    PostgreSQL, newest first on SQLite. `keys` are read in one query (`read_keys()`) or set
    by the caller from where it kept them (public.views.SearchView keeps them per state of the
    archive); a slice is a page's articles, read by their keys in one query (with their body,
    and on PostgreSQL the query's text form `tsquery`, for add_snippets()) only when the page
    is iterated (public.paging.PageRows), so a page whose teasers are kept reads no row."""

    def __init__(self, articles: Callable[[], QuerySet],
                 candidates: Callable[[], QuerySet] | None,
                 tsquery: SearchQuery | None = None):  # fmt: skip
        """`articles`: builds the QuerySet searched; `candidates`: builds the query of the
        keys (PostgreSQL: (key, rank), newest first), None when nothing can match; `tsquery`:
        PostgreSQL's query, None on SQLite. The queries are built only when the keys or rows
        are read, not for a search whose keys and teasers are kept."""
        self.articles = articles
        self.make_candidates = candidates
        self.tsquery = tsquery

    @cached_property
    def candidates(self) -> QuerySet | None:
        """The query of the keys, e.g. to explain() it."""
        return self.make_candidates() if self.make_candidates else None

    def read_keys(self) -> list[int]:
        """The keys of the hits, in the order shown; [] for a query without words."""
        if self.candidates is None:
            return []
        if self.tsquery is None:
            return list(self.candidates)  # SQLite: newest first already
        # PostgreSQL: (key, rank), newest first; sorting keeps that order among equal ranks.
        best_first = sorted(self.candidates, key=lambda hit: -hit[1])
        return [pk for pk, _rank in best_first]

    @cached_property
    def keys(self) -> list[int]:
        return self.read_keys()

    def __len__(self) -> int:
        return len(self.keys)

    def count(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: slice) -> PageRows:
        keys = self.keys[index]
        return PageRows(lambda: self.rows(keys))

    def rows(self, keys: list[int]) -> list:
        """The articles of `keys`, in that order, read in one query (and its prefetches)."""
        if not keys:
            return []
        articles = self.articles().defer(None).filter(pk__in=keys)  # snippets need the body
        if self.tsquery is not None:
            articles = articles.annotate(tsquery=Cast(self.tsquery, TextField()))
        found = articles.in_bulk()
        return [found[key] for key in keys if key in found]


def search(articles: Callable[[], QuerySet], query: str) -> Hits:
    """The articles of the QuerySet `articles()` builds (e.g. `Article.objects.published`)
    matching `query` (the MAX_HITS newest of them), best first on PostgreSQL, newest first on
    SQLite. Nothing is built or read until the hits are (`Hits`)."""
    query = websearch_text(without_invisible(query.strip()[:MAX_QUERY_LENGTH]))
    if uses_postgres():
        search_query = SearchQuery(query, config="german", search_type="websearch")

        def candidates() -> QuerySet:
            # The keys and their rank, read along the date index (a word in every article
            # stops it at the limit); read_keys() orders them.
            return (
                articles()
                .annotate(matches=SEARCH_VECTOR, rank=SearchRank(SEARCH_VECTOR, search_query))
                .filter(matches=search_query)
                .order_by("-publish_at", "-pk")
                .values_list("pk", "rank")[:MAX_HITS]
            )

        return Hits(articles, candidates, search_query)
    alternatives, unwanted = query_words(query)
    if not alternatives:
        return Hits(articles, None)

    def newest() -> QuerySet:
        haystack = sqlite_haystack()
        condition = Q()
        for words in alternatives:
            condition |= Q(*(Q(haystack__contains=stem(word)) for word in words))
        for word in unwanted:
            condition &= ~Q(haystack__contains=stem(word))
        matching = articles().annotate(haystack=haystack).filter(condition)
        return matching.order_by("-publish_at", "-pk").values_list("pk", flat=True)[:MAX_HITS]

    return Hits(articles, newest)


def add_snippets(articles, query: str) -> None:
    """Sets `snippet` (public.snippets.snippet()) on each of a page's `articles`, as read by
    search(), marking what the database's search counted as hits: on PostgreSQL the lexemes of
    the query it parsed (the `tsquery` each row carries), on SQLite the folded stems."""
    articles = list(articles)
    if not articles:
        return
    tsquery = getattr(articles[0], "tsquery", None)
    if tsquery is not None:
        test = lexeme_test(wanted_lexemes(tsquery))
    else:
        alternatives, _unwanted = query_words(query)
        test = stem_test([stem(word) for words in alternatives for word in words], fold)
    for article in articles:
        article.snippet = snippet(article.lead, article.body, test)
