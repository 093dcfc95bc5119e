"""releases.parser: what the parser reads from a release text, in every accepted encoding."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from releases.parser import ReleaseFormatError, decode, parse_release, source_hash

from .conftest import ENCODINGS, KREISBLATT_SAMPLE, SAMPLES, encoded

BERLIN = ZoneInfo("Europe/Berlin")

CONTACT = """Pressekontakt:
Pressestelle KoBa Harz
Tel.: 03943 58-3234 | Fax: 03943 58-3040 | E-Mail: presse@koba-jobcenter-harz.de"""


def release(*body: str, head: str = "Pressemitteilung vom 06.10.2017") -> str:
    """A release with the given header, headline, lead, body paragraphs and the usual contact."""
    return "\n\n".join(
        [
            head,
            "Neues Angebot für Alleinerziehende in Halberstadt",
            "Die KoBa Harz startet im November ein Coaching für Alleinerziehende. Die Teilnahme "
            "ist freiwillig und kostenlos.",
            *body,
            CONTACT,
        ]
    )


# --- the press office's sample, field by field ------------------------------------------------


def test_the_kreisblatt_sample_is_read_field_by_field(read):
    parsed = read(KREISBLATT_SAMPLE.read_text(encoding="utf-8"))
    data = parsed.as_json("kreisblatt-2017-10-06.txt")

    assert list(data) == [
        "file", "kind", "kicker", "title", "date", "embargo", "lead", "paragraphs", "captions",
        "quotes", "contacts", "warnings", "uncertain", "meta_lines",
    ]  # fmt: skip
    assert data["file"] == "kreisblatt-2017-10-06.txt"
    assert data["kind"] == "kreisblatt"
    assert data["kicker"] == "Zuarbeit Kreisblatt"
    assert data["title"] == "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS"
    assert data["date"] == "2017-10-06"
    assert data["embargo"] is None
    assert data["lead"].startswith("Ende September tagte in Berlin wieder")
    assert data["lead"].endswith("in der Grundsicherung für Arbeitsuchende auf Landesebene.")
    assert len(data["paragraphs"]) == 3
    assert data["paragraphs"][0].startswith("Im Rahmen der Vorstellung eines neuen Bundesprojektes")
    assert data["paragraphs"][1].startswith("Claudia Langer nutzte die Chance")
    # The page break after "sind es" split a paragraph; it is one again.
    assert (
        "Die vielen kleinen und intensiven Schritte sind es aber Wert für jede Familie"
        in (data["paragraphs"][2])
    )
    assert data["paragraphs"][2].endswith("alle Jobcenter in ihrer Arbeit gleichermaßen.")
    assert data["captions"] == [
        {"text": "Claudia Langer, Eigenbetriebsleiterin KoBa Harz", "credit": ""}
    ]
    assert [quote["speaker"] for quote in data["quotes"]] == ["Claudia Langer"] * 4
    assert {quote["function"] for quote in data["quotes"]} == {"Eigenbetriebsleiterin KoBa Harz"}
    texts = [quote["text"] for quote in data["quotes"]]
    assert texts[0].startswith("Das BMAS als Bundesbehörde ist ziemlich weit von der Basis")
    assert texts[0].endswith("um eine Vermittlung auf dem Arbeitsmarkt zu ermöglichen")
    assert texts[1].startswith("Ich habe darüber berichtet")
    assert texts[2] == "Ich habe im Vorfeld mit unseren Coaching-Mitarbeitern gesprochen"
    assert texts[3].startswith("Der in vielen Projekten")
    assert data["contacts"] == [
        {
            "name": "Pressestelle KoBa Harz",
            "person": "",
            "phone": "03943 58 – 3234",
            "fax": "03943 58 – 3040",
            "email": "presse@koba-jobcenter-harz.de",
            "address": "",
            "web": "",
        }
    ]
    # The last quote of the sample is never closed: said, not hidden.
    assert len(data["warnings"]) == 1
    assert "nicht geschlossen" in data["warnings"][0]


def test_the_same_text_in_every_encoding_has_the_same_content_hash():
    text = KREISBLATT_SAMPLE.read_text(encoding="utf-8")
    hashes = {source_hash(decode(encoded(text, *form))) for form in ENCODINGS}
    assert len(hashes) == 1
    assert source_hash(text.replace("Ende September", "Mitte September")) not in hashes


@pytest.mark.parametrize(
    "name, kind, kicker, title, day, embargo",
    [
        (
            "pressemitteilung-vom.txt",
            "press_release",
            "",
            "Jobmesse Harz: Mehr als 80 Arbeitgeber in Wernigerode",
            date(2024, 3, 14),
            None,
        ),
        (
            "sperrfrist.txt",
            "kreisblatt",
            "Zuarbeit Kreisblatt",
            "Projekt „Harz in Bewegung“ startet in Halberstadt",
            date(2009, 2, 26),
            datetime(2009, 2, 26, 10, tzinfo=BERLIN),
        ),
        (
            "iso-datum.txt",
            "notice",
            "",
            "Neue Sprechzeiten in Quedlinburg",
            date(2017, 10, 6),
            None,
        ),
    ],
)
def test_sample_files_give_kind_kicker_title_and_dates(
    read, name, kind, kicker, title, day, embargo
):
    parsed = read((SAMPLES / name).read_text(encoding="utf-8"))
    assert (parsed.kind, parsed.kicker, parsed.title) == (kind, kicker, title)
    assert parsed.date == day
    assert parsed.embargo == embargo
    assert parsed.warnings == [] or name == "pressemitteilung-vom.txt"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        "06.10.2017",
        "6. Oktober 2017",
        "2017-10-06",
        "Pressemitteilung vom 06.10.2017",
        "Pressemitteilung vom 6. Oktober 2017",
        "Halberstadt, 6. Oktober 2017",
        "Zuarbeit Kreisblatt vom 06.10.2017",
    ],
)
def test_the_release_date_is_read_in_every_written_form(read, head):
    parsed = read(release("Ein Absatz mit Text.", head=head))
    assert parsed.date == date(2017, 10, 6)
    assert parsed.title == "Neues Angebot für Alleinerziehende in Halberstadt"
    assert parsed.embargo is None


def test_an_embargo_line_gives_publish_time_in_german_time(read):
    parsed = read(release("Ein Absatz.", head="Sperrfrist: 26. Februar 2009, 10 Uhr"))
    assert parsed.embargo == datetime(2009, 2, 26, 10, 0, tzinfo=BERLIN)
    assert parsed.date == date(2009, 2, 26)


def test_event_dates_in_the_body_are_not_the_release_date(read):
    parsed = read(
        release(
            "Der erste Termin ist am 11. März 2018 um 9 Uhr, der zweite am 18.03.2018.",
            "Anmeldung bis 2018-03-01 im Jobcenter.",
        )
    )
    assert parsed.date == date(2017, 10, 6)
    assert not any("Datum" in warning for warning in parsed.warnings)


def test_a_release_without_a_date_line_has_no_date_even_with_dates_in_the_text(read):
    parsed = read(release("Der Kurs beginnt am 11. März 2018.", head="Zuarbeit Kreisblatt"))
    assert parsed.date is None
    assert parsed.kicker == "Zuarbeit Kreisblatt"
    assert "Kein Veröffentlichungsdatum gefunden." in parsed.warnings


# --- structure --------------------------------------------------------------------------------


def test_kicker_headline_and_lead(read):
    parsed = read(release("Erster Absatz.", head="Zuarbeit Kreisblatt\n06.10.2017"))
    assert parsed.kicker == "Zuarbeit Kreisblatt"
    assert parsed.kind == "kreisblatt"
    assert parsed.title == "Neues Angebot für Alleinerziehende in Halberstadt"
    assert parsed.lead.startswith("Die KoBa Harz startet im November")
    assert parsed.paragraphs == ["Erster Absatz."]


def test_photo_caption_with_credit_is_a_caption_not_a_paragraph(read):
    parsed = read(
        release(
            "Sabine Krüger, Teamleiterin Arbeitgeberservice\nFoto: KoBa Harz/Müller",
            "Der Kurs beginnt im November.",
        )
    )
    assert [(c.text, c.credit) for c in parsed.captions] == [
        ("Sabine Krüger, Teamleiterin Arbeitgeberservice", "KoBa Harz/Müller")
    ]
    assert parsed.paragraphs == ["Der Kurs beginnt im November."]


@pytest.mark.parametrize("page_break", ["\n\n", "\n\f\n", "\n\n\n\n"])
def test_a_paragraph_split_by_a_page_break_is_joined_again(read, page_break):
    parsed = read(
        release(
            "Die Teilnehmenden lernen, wie sie Beruf und Familie" + page_break + "besser "
            "vereinbaren können. Das Angebot läuft ein Jahr.",
            "Ein zweiter Absatz beginnt groß.",
        )
    )
    assert parsed.paragraphs == [
        "Die Teilnehmenden lernen, wie sie Beruf und Familie besser vereinbaren können. Das "
        "Angebot läuft ein Jahr.",
        "Ein zweiter Absatz beginnt groß.",
    ]


# --- quotes -----------------------------------------------------------------------------------

MARKS = [("„", "“"), ('"', '"'), ("“", "”"), ("»", "«")]


@pytest.mark.parametrize("opening, closing", MARKS)
def test_quote_attributed_before_with_name_and_function(read, opening, closing):
    parsed = read(
        release(
            f"Sabine Krüger, Teamleiterin Arbeitgeberservice: {opening}Wer einen Lebenslauf "
            f"mitbringt, kann sofort ein Gespräch führen.{closing}"
        )
    )
    assert [(q.speaker, q.function, q.text) for q in parsed.quotes] == [
        (
            "Sabine Krüger",
            "Teamleiterin Arbeitgeberservice",
            "Wer einen Lebenslauf mitbringt, kann sofort ein Gespräch führen.",
        )
    ]


@pytest.mark.parametrize("opening, closing", MARKS)
@pytest.mark.parametrize("verb", ["so", "erklärt", "sagt"])
def test_quote_attributed_after_the_quote(read, opening, closing, verb):
    parsed = read(
        release(
            f"{opening}Wir nehmen uns für jeden Menschen Zeit{closing}, {verb} Claudia Langer. "
            "Danach ging es um Zahlen."
        )
    )
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("Claudia Langer", "Wir nehmen uns für jeden Menschen Zeit")
    ]


def test_function_after_the_name_belongs_to_the_quote(read):
    parsed = read(
        release(
            "„Jede Umschulung ist eine doppelte Chance“, sagt Dr. Henning Albrecht, Landrat des "
            "Landkreises Harz."
        )
    )
    assert [(q.speaker, q.function) for q in parsed.quotes] == [
        ("Dr. Henning Albrecht", "Landrat des Landkreises Harz")
    ]


def test_surname_only_back_reference_is_resolved_from_the_text(read):
    parsed = read(
        release(
            "„Bewegung hilft im Alltag“, erklärt Thomas Berger, Projektleiter.",
            "„Niemand muss Sportler sein. Wir fangen klein an“, so Berger.",
        )
    )
    assert [(q.speaker, q.function) for q in parsed.quotes] == [
        ("Thomas Berger", "Projektleiter"),
        ("Thomas Berger", "Projektleiter"),
    ]


def test_surname_only_reference_is_resolved_from_known_spokespersons(read):
    parsed = read(
        release("„Niemand wird abgewiesen. Wir haben Zeit“, betont Langer."),
        known_names=["Claudia Langer", "Sabine Krüger"],
    )
    assert [q.speaker for q in parsed.quotes] == ["Claudia Langer"]


def test_an_unknown_surname_is_reported_not_guessed(read):
    parsed = read(release("„Niemand wird abgewiesen. Wir haben Zeit“, betont Langer."))
    assert parsed.quotes == []
    assert any("Langer" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Das sogenannte „Bürgergeld“ ersetzt seit 2023 das Arbeitslosengeld II.",
        "Mit dem Projekt „Harz in Bewegung“ startet ein neues Angebot im Landkreis.",
        "Die Broschüre »Wege in Arbeit« liegt an allen Standorten aus.",
        'Der Workshop "Bewerben mit 50 plus" ist ausgebucht.',
        "Claudia Langer stellte den Film „Neue Wege in den Beruf“ vor.",
    ],
)
def test_scare_quotes_and_titles_are_not_taken_as_quotes(read, sentence):
    parsed = read(release(sentence))
    assert parsed.quotes == []
    assert parsed.paragraphs == [sentence]


# --- contact block ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["Pressekontakt:", "Rückfragen:", "Medienkontakt", "Rückfragen bitte an:"]
)
@pytest.mark.parametrize(
    "fields",
    [
        "Tel.: 03943 58-3234 | Fax: 03943 58-3040 | E-Mail: presse@koba-jobcenter-harz.de",
        "Telefon: 03943 58-3234\nTelefax: 03943 58-3040\nE-Mail: presse@koba-jobcenter-harz.de",
        "Tel. 03943 58-3234 · Fax 03943 58-3040 · presse@koba-jobcenter-harz.de",
    ],
)
def test_the_contact_block_in_its_usual_forms(read, heading, fields):
    text = "\n\n".join(
        [
            "06.10.2017",
            "Neue Sprechzeiten",
            "Ab November gelten neue Sprechzeiten.",
            f"{heading}\nPressestelle KoBa Harz\n{fields}",
        ]
    )
    parsed = read(text)
    assert [(c.name, c.phone, c.fax, c.email) for c in parsed.contacts] == [
        (
            "Pressestelle KoBa Harz",
            "03943 58-3234",
            "03943 58-3040",
            "presse@koba-jobcenter-harz.de",
        )
    ]
    assert parsed.lead == "Ab November gelten neue Sprechzeiten."
    assert parsed.paragraphs == []


# --- files that are not releases --------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "leer"),
        (b" \r\n\r\n\t\n", "leer"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "keine Textdatei"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "keine Textdatei"),
        (bytes(range(256)) * 8, "keine Textdatei"),
        (b"Nur eine Zeile\n", "kein Text"),
        (("Ein langer Absatz ohne Überschrift. " * 12).encode(), "Keine Überschrift"),
    ],
    ids=["empty", "blank", "png", "pdf", "binary", "headline only", "no headline"],
)
def test_files_that_are_no_release_are_refused_with_a_reason(data, reason):
    with pytest.raises(ReleaseFormatError) as error:
        parse_release(decode(data))
    assert reason.lower() in str(error.value).lower()
