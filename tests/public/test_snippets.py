"""Search snippets (public/snippets.py): which words are marked, which passages are shown,
and that the cutter looks closely only at the words that may be hits."""

import pytest
from django.urls import reverse

from public import snippets
from public.search import fold, stem
from public.snippets import lexeme_test, snippet, stem_test, wanted_lexemes

FILLER = " ".join(f"Wort{number}" for number in range(200))


def marks(html: str) -> list[str]:
    return [part.split("</mark>")[0] for part in html.split("<mark>")[1:]]


def test_the_lexemes_of_a_tsquery_are_wanted_unless_negated():
    assert wanted_lexemes("'jobcent' & 'harz'") == ["jobcent", "harz"]
    assert wanted_lexemes("'landkreis' <-> 'harz' | 'burgergeld'") == [
        "landkreis",
        "harz",
        "burgergeld",
    ]
    assert wanted_lexemes("'ausbild' & !'pfleg'") == ["ausbild"]
    assert wanted_lexemes("'ausbild' & !( 'landkreis' <-> 'harz' ) & 'kurs'") == [
        "ausbild",
        "kurs",
    ]
    assert wanted_lexemes("'o''neil'") == ["o'neil"]
    assert wanted_lexemes("") == []


def test_a_lexeme_marks_every_spelling_and_inflection_of_its_word():
    test = lexeme_test(["burgergeld", "strass", "jobcent"])
    html = snippet(
        "Das Bürgergeld und das BÜRGERGELDES Gesetz.",
        "<p>An der Straße liegt das Jobcenter, die Jobcenters auch.</p>",
        test,
    )
    assert marks(html) == ["Bürgergeld", "BÜRGERGELDES", "Straße", "Jobcenter", "Jobcenters"]


def test_a_word_that_only_contains_the_lexeme_is_not_marked():
    # PostgreSQL's lexeme of "Zukunftsjobcenter" is 'zukunftsjobcent': not a hit for 'jobcent'.
    html = snippet("Der Zukunftsjobcenter und das Jobcenter.", "", lexeme_test(["jobcent"]))
    assert marks(html) == ["Jobcenter"]


def test_a_lexeme_of_an_older_snowball_still_marks_its_word():
    # PostgreSQL 15 keeps "bedeutet" whole; snowballstemmer 3 cuts it to "bedeut".
    html = snippet("Was bedeutet das?", "", lexeme_test(["bedeutet"]))
    assert marks(html) == ["bedeutet"]


def test_sqlite_marks_words_that_contain_a_folded_stem():
    test = stem_test([stem(fold("Müllers")), stem(fold("werkstatt"))], fold)
    html = snippet("Frau MUELLER und Frau Müller in der Zukunftswerkstatt.", "", test)
    assert marks(html) == ["MUELLER", "Müller", "Zukunftswerkstatt"]


def test_one_passage_starts_a_little_before_the_first_hit():
    html = snippet(FILLER + " Jobcenter " + FILLER, "", lexeme_test(["jobcent"]))
    words = html.split()
    assert words[0] == "…" and words[-1] == "…"
    assert words[1:11] == [f"Wort{number}" for number in range(190, 200)]
    assert len(words) == 2 + snippets.SNIPPET_WORDS
    assert marks(html) == ["Jobcenter"]


def test_a_second_passage_shows_a_term_the_first_leaves_out():
    text = "Jobcenter " + FILLER + " Harz " + FILLER
    html = snippet(text, "", lexeme_test(["jobcent", "harz"]))
    assert html.startswith("<mark>Jobcenter</mark>")
    assert html.count(" … ") == 1 and html.endswith(" …")
    assert marks(html) == ["Jobcenter", "Harz"]
    assert len(html.split()) == snippets.SNIPPET_WORDS + 2


def test_two_terms_close_together_make_one_passage():
    html = snippet("Das Jobcenter im Harz berät. " + FILLER, "", lexeme_test(["jobcent", "harz"]))
    assert " … " not in html and marks(html) == ["Jobcenter", "Harz"]


def test_without_a_hit_in_the_text_the_snippet_is_its_beginning():
    html = snippet("Erster Satz des Vorspanns.", "<p>" + FILLER + "</p>", lexeme_test(["harz"]))
    assert html.startswith("Erster Satz des Vorspanns. Wort0") and html.endswith(" …")
    assert "<mark>" not in html
    assert snippet("", "", lexeme_test(["harz"])) == ""


def test_the_cutter_looks_closely_only_at_words_that_may_be_hits():
    asked = []
    test = lexeme_test(["jobcent"])
    key = test.key
    test.key = lambda word: asked.append(word) or key(word)
    snippet(FILLER * 20 + " Jobcenter Jobcentern", "", test)
    assert asked == ["Jobcenter", "Jobcentern"]


@pytest.mark.postgres_only
def test_postgres_snippets_mark_what_the_search_found(client, make_article):
    make_article(
        "published",
        title="Beratung",
        lead="",
        body=f"<p>{FILLER}</p><p>Die Jobcenters im Landkreis beraten.</p><p>{FILLER}</p>",
    )
    content = client.get(reverse("press:search"), {"q": "Jobcenter -Pflege"}).content.decode()
    snippet_html = content.split('class="snippet"')[1].split(">", 1)[1].split("</p>")[0]
    assert marks(snippet_html) == ["Jobcenters"]
    assert snippet_html.startswith("… ") and snippet_html.endswith(" …")
