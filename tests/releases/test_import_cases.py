"""Other offices' layouts (issue 16, Layouts): each invented release of import_cases/ (copied from
the shared samples, with what a person expects in expected.json) and a second release of each
kind in import_cases_more/ is read as a person reads it; no line of any of them is lost; what the
importer guesses is flagged and what it cannot place is named in a warning."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from press.models import Quote
from releases.importing import import_file
from releases.parser import ParsedRelease, decode, parse_release

HERE = Path(__file__).parent
FOLDERS = [HERE / "import_cases", HERE / "import_cases_more"]


def _cases() -> list[tuple[Path, dict]]:
    cases = []
    for folder in FOLDERS:
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        cases += [(folder / name, values) for name, values in expected.items()]
    return cases


CASES = _cases()
FILES = sorted(path for folder in FOLDERS for path in folder.glob("*.txt"))


def parse(path: Path) -> ParsedRelease:
    return parse_release(decode(path.read_bytes()))


def _text(value) -> str:
    """expected.json writes a field without a value as null; the parser as ''."""
    return "" if value is None else value


def _picked(items: list, keys: list[str]) -> list[dict]:
    return [{key: _text(getattr(item, key)) for key in keys} for item in items]


def _expected(items: list[dict]) -> list[dict]:
    return [{key: _text(value) for key, value in item.items()} for item in items]


def test_every_case_file_has_its_expected_values_and_every_expectation_its_file():
    assert sorted(path for path, _values in CASES) == FILES


@pytest.mark.parametrize(("path", "expected"), CASES, ids=[path.name for path, _ in CASES])
def test_each_kind_of_layout_is_read_as_a_person_reads_it(path, expected):
    parsed = parse(path)

    for key in ("title", "kicker", "lead"):
        if key in expected:
            assert getattr(parsed, key) == _text(expected[key]), key
    if "date" in expected:
        assert parsed.date is not None and parsed.date.isoformat() == expected["date"]
    if "embargo" in expected:
        assert parsed.embargo is not None
        assert parsed.embargo.strftime("%Y-%m-%dT%H:%M") == expected["embargo"]
    if "quotes" in expected:
        assert _picked(parsed.quotes, ["speaker", "function"]) == _expected(expected["quotes"])
    if "contacts" in expected:
        keys = list(dict.fromkeys(key for item in expected["contacts"] for key in item))
        assert _picked(parsed.contacts, keys) == [
            {key: _text(item.get(key)) for key in keys} for item in expected["contacts"]
        ]
    if "captions" in expected:
        assert _picked(parsed.captions, ["text", "credit"]) == _expected(expected["captions"])
    if "lists" in expected:
        assert [b.items for b in parsed.blocks if b.kind == "ul"] == expected["lists"]
    if "uncertain" in expected:
        assert set(expected["uncertain"]) <= parsed.uncertain


def test_two_short_lines_over_a_date_line_stay_kicker_and_headline():
    # This office's own order: only a label line ('| Presseinfo Nr. 12') below them makes the
    # second line a subline.
    parsed = parse_release("Zuarbeit Kreisblatt\n\nKurzer Titel\n\n06.10.2017\n\nDer Vorspann.\n")

    assert (parsed.kicker, parsed.title) == ("Zuarbeit Kreisblatt", "Kurzer Titel")
    assert "kicker" not in parsed.uncertain


def test_lines_that_lost_their_bullet_marks_stay_separate_items():
    parsed = parse(HERE / "import_cases" / "k18_liste-ohne-spiegelstriche.txt")

    assert [(block.kind, block.text, block.items) for block in parsed.blocks] == [
        ("p", "Die Zahlen im Überblick:", []),
        (
            "ul",
            "",
            [
                "3.905 Menschen arbeitslos gemeldet",
                "Quote sinkt auf 4,1 Prozent",
                "Mehr offene Stellen in der Pflege",
            ],
        ),
    ]


CONTACT_CASES = [path for path, values in CASES if "contacts" in values]


@pytest.mark.parametrize("path", CONTACT_CASES, ids=[path.name for path in CONTACT_CASES])
def test_no_contact_line_stays_in_the_body(path):
    parsed = parse(path)
    body = "\n".join([parsed.lead, *parsed.paragraphs])

    for contact in parsed.contacts:
        for value in (contact.name, contact.phone, contact.fax, contact.email, contact.address):
            assert not value or value not in body


# Field labels of a contact block ('Tel:', 'E-Mail:') and of a caption ('Bild (…):'): structure,
# not content.
LABEL_WORDS = {"tel", "telefon", "telefax", "fax", "e", "mail", "mobil", "bild", "foto"}
WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text)}


def _everything_read(parsed: ParsedRelease) -> set[str]:
    """The words of every field of the result, its warnings and its meta lines."""
    data = parsed.as_json()
    texts = [data["kicker"], data["title"], data["lead"], *data["paragraphs"]]
    texts += [value for caption in data["captions"] for value in caption.values()]
    texts += [value for contact in data["contacts"] for value in contact.values()]
    texts += data["warnings"] + data["meta_lines"]
    return _words("\n".join(texts))


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_no_line_of_a_release_is_lost(path):
    parsed = parse(path)
    read = _everything_read(parsed)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            missing = _words(line) - read - LABEL_WORDS
            assert not missing, f"{line!r}: {sorted(missing)} in no field and no warning"


def test_a_contact_line_the_importer_cannot_place_is_named_in_a_warning():
    parsed = parse_release(
        "Titel der Mitteilung\n\nDer Vorspann der Mitteilung.\n\n"
        "Pressekontakt:\nPressestelle Landkreis Talheim\nAnna Roth\nZimmer 12 im Erdgeschoss\n"
        "Telefon: 03941 123-45\n"
    )

    assert parsed.contacts[0].name == "Pressestelle Landkreis Talheim"
    assert parsed.contacts[0].person == "Anna Roth"
    assert any("„Zimmer 12 im Erdgeschoss“" in warning for warning in parsed.warnings)


def test_a_second_e_mail_of_one_person_is_named_in_a_warning():
    parsed = parse_release(
        "Titel der Mitteilung\n\nDer Vorspann der Mitteilung.\n\n"
        "Pressekontakt:\nAnna Roth\nanna.roth@talheim.example\npresse@talheim.example\n"
    )

    assert parsed.contacts[0].email == "anna.roth@talheim.example"
    assert any("presse@talheim.example" in warning for warning in parsed.warnings)


def test_a_sperrfrist_the_importer_cannot_read_is_named_in_a_warning_and_flagged():
    parsed = parse_release(
        "Sperrfrist: nach Ende der Kreistagssitzung\n\nTitel der Mitteilung\n\n"
        "Pressemitteilung vom 01.03.2024\n\nDer Vorspann der Mitteilung.\n"
    )

    assert parsed.title == "Titel der Mitteilung"
    assert parsed.embargo is None
    assert "embargo" in parsed.uncertain
    assert any("„Sperrfrist: nach Ende der Kreistagssitzung“" in w for w in parsed.warnings)


def test_a_sperrfrist_with_a_time_only_and_no_release_date_is_reported_not_dropped():
    parsed = parse_release("Sperrfrist: 10 Uhr\n\nTitel der Mitteilung\n\nDer Vorspann.\n")

    assert parsed.embargo is None
    assert {"embargo", "date"} <= parsed.uncertain
    assert any("Sperrfrist 10:00 Uhr ohne Datum" in warning for warning in parsed.warnings)


def test_the_dry_run_shows_the_fields_to_check(db, capsys):
    path = HERE / "import_cases" / "k02_presseinfo-zeile.txt"

    call_command("import_releases", "--dry-run", str(path))
    text = capsys.readouterr().out
    call_command("import_releases", "--dry-run", "--json", str(path))
    [data] = json.loads(capsys.readouterr().out)

    assert "Bitte prüfen: Dachzeile" in text
    assert data["uncertain"] == ["kicker"]
    assert data["meta_lines"] == ["28.02.2022 | Presseinfo Nr. 12"]


def test_quotes_of_the_text_are_shown_once_and_a_quote_added_in_the_admin_as_a_block(
    client, press_contact
):
    path = HERE / "import_cases" / "k09_zuschreibung-eigener-absatz.txt"
    outcome = import_file(path.name, path.read_bytes(), publish=True)
    article = outcome.article
    [first, second] = article.quotes.all()
    added = Quote.objects.create(
        article=article,
        spokesperson=first.spokesperson,
        text="Wir danken allen, die mitgeholfen haben.",
        position=2,
    )

    page = client.get(article.get_absolute_url()).content.decode()

    # Recorded as who-said-what, printed once: in the text.
    assert (first.in_text, second.in_text, added.in_text) == (True, True, False)
    assert page.count("Viele Kundinnen und Kunden haben sich frühere Termine gewünscht.") == 1
    assert page.count("Wir testen das Angebot zunächst bis Jahresende.") == 1
    assert page.count('<figure class="quote">') == 1
    assert "„Wir danken allen, die mitgeholfen haben.“</p></blockquote>" in page


def test_a_quote_without_a_person_flags_the_quotes():
    parsed = parse_release(
        "Titel der Mitteilung\n\nDer Vorspann der Mitteilung.\n\n"
        "„Das ist ein Satz, den jemand gesagt hat, aber wer?“ Danach geht es weiter.\n"
    )

    assert parsed.quotes == []
    assert "quotes" in parsed.uncertain
    assert any("Zitat ohne erkennbare Person" in warning for warning in parsed.warnings)


def test_the_press_portal_contact_is_stored_with_its_address(db, press_contact):
    path = HERE / "import_cases" / "k15_firmenkontakt-ansprechpartner.txt"

    article = import_file(path.name, path.read_bytes()).article

    assert article.press_contact.label == "Jobcenter Wiesental"
    assert article.press_contact.address == "Lindenallee 4, 01234 Wiesental"
    assert article.press_contact.phone == "+49 (1234) 500-0"


def test_a_date_with_a_colon_in_front_of_the_headline_is_the_date():
    parsed = parse_release(
        "03.06.2021: Jobcenter Wiesental öffnet neuen Standort\n\nAb Montag ist es offen.\n"
    )

    assert (parsed.title, parsed.date.isoformat()) == (
        "Jobcenter Wiesental öffnet neuen Standort",
        "2021-06-03",
    )


def test_a_role_before_the_name_with_a_comma_gives_the_function():
    parsed = parse_release(
        "Titel der Mitteilung\n\nPressemitteilung vom 01.03.2024\n\nDer Vorspann.\n\n"
        "„Wir freuen uns auf die neuen Räume“, betont der Leiter des Jobcenters, Bernd Kühn.\n"
    )

    assert [(q.speaker, q.function) for q in parsed.quotes] == [
        ("Bernd Kühn", "Leiter des Jobcenters")
    ]
