"""Demo content for a local newsroom: one real release, a dozen invented ones, three accounts.

`load_demo()` fills an empty database through the same workflow methods the admin uses, so every
article has a real history (ArticleEvent): who wrote, submitted, published, corrected it. Only the
timestamps of that history are moved back afterwards, so that the archive spans several years.

The real release of 6 October 2017 (demo/data/kreisblatt-2017-10-06.txt) is also the
marker: once it exists, loading again creates nothing. Everything else here (people other than
Claudia Langer, numbers, dates, projects) is invented for the demo.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from press.models import (
    Article,
    ArticleEvent,
    Author,
    LegalPage,
    Photo,
    PressContact,
    Quote,
    Spokesperson,
    Topic,
)
from press.roles import ADMINISTRATION, FREIGABE, REDAKTION

BERLIN = ZoneInfo("Europe/Berlin")
SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "kreisblatt-2017-10-06.txt"
SAMPLE_SLUG = "koba-harz-praesentiert-sich-im-kooperationsausschuss-sgb-ii-beim-bmas"


def berlin(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def squash(text: str) -> str:
    """One line of text from an indented, wrapped source string."""
    return " ".join(text.split())


def to_html(text: str) -> str:
    """Blocks separated by blank lines become paragraphs; a block of '- ' lines becomes a list."""
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.lstrip().startswith("- "):
            items = [squash(item) for item in re.split(r"(?m)^\s*- ", block) if item.strip()]
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
        else:
            html.append(f"<p>{escape(squash(block))}</p>")
    return "".join(html)


# --- accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str
    first_name: str
    last_name: str


ACCOUNTS = (
    DemoAccount(REDAKTION, "redaktion", "Redaktion-Demo-2026", "Jana", "Winkler"),
    DemoAccount(FREIGABE, "freigabe", "Freigabe-Demo-2026", "Thomas", "Brandt"),
    DemoAccount(ADMINISTRATION, "verwaltung", "Verwaltung-Demo-2026", "Petra", "Lindner"),
)


# --- people, topics, photos -------------------------------------------------------------------

PRESS_CONTACT = {
    "label": "Pressestelle KoBa Harz",
    "phone": "03943 58-3234",
    "fax": "03943 58-3040",
    "email": "presse@koba-jobcenter-harz.de",
    "address": "Friedrich-Ebert-Straße 42\n38820 Halberstadt",
}

TOPICS = (
    ("SGB II", "Grundsicherung für Arbeitsuchende: Gesetz, Zahlen, Umsetzung im Landkreis Harz."),
    ("Bund und Land", "Zusammenarbeit mit Bundes- und Landesministerien."),
    ("Bürgergeld", "Leistungen, Anträge und Änderungen beim Bürgergeld."),
    ("Weiterbildung", "Umschulungen, Qualifizierungen und Berufsabschlüsse für Erwachsene."),
    ("Ausbildung", "Wege junger Menschen in eine Berufsausbildung."),
    ("Langzeitarbeitslosigkeit", "Unterstützung für Menschen, die lange ohne Arbeit sind."),
    ("Coaching", "Ganzheitliche Betreuung und Projekte mit Coaching-Ansatz."),
    ("Arbeitgeber", "Angebote des Arbeitgeberservice, Jobmessen, Partnerschaften."),
    ("Service", "Sprechzeiten, Standorte und Erreichbarkeit der KoBa Harz."),
)

WINKLER = "Jana Winkler"
PRESSESTELLE = "Pressestelle KoBa Harz"
# Author name -> username of the demo account the author works with (None: no account).
AUTHORS = {WINKLER: "redaktion", PRESSESTELLE: None}


@dataclass(frozen=True)
class PhotoSpec:
    kind: str  # "portrait" or "scene": which placeholder picture is drawn
    label: str  # initials on the portrait, words on the scene
    caption: str
    alt_text: str
    credit: str = "KoBa Harz"
    usage_rights: str = "Frei für Presseberichte über die KoBa Harz mit Bildnachweis."


PHOTOS = {
    "langer": PhotoSpec(
        kind="portrait",
        label="CL",
        caption="Claudia Langer, Eigenbetriebsleiterin KoBa Harz",
        alt_text=(
            "Platzhalter-Porträt: graue Silhouette von Kopf und Schultern einer Person vor "
            "hellem Hintergrund, auf dem Kopf die Initialen CL."
        ),
    ),
    "jobmesse": PhotoSpec(
        kind="scene",
        label="Jobmesse Harz",
        caption="Jobmesse Harz: Unternehmen aus der Region stellen sich vor (Symbolbild)",
        alt_text=(
            "Platzhaltergrafik: fünf stilisierte Messestände mit spitzen Dächern in Blau, Grün, "
            "Orange, Violett und Türkis, darüber die Aufschrift „Jobmesse Harz“."
        ),
    ),
    "quedlinburg": PhotoSpec(
        kind="scene",
        label="Beratungsbüro Quedlinburg",
        caption="Das neue Beratungsbüro liegt mitten in der Quedlinburger Altstadt (Symbolbild)",
        alt_text=(
            "Platzhaltergrafik: stilisierte Häuserreihe aus fünf Häusern mit spitzen Giebeln in "
            "Blau, Grün, Orange, Violett und Türkis, darüber die Aufschrift „Beratungsbüro "
            "Quedlinburg“."
        ),
    ),
}

LANGER = "Claudia Langer"
LANDRAT = "Dr. Henning Albrecht"
KRUEGER = "Sabine Krüger"
VOGT = "Andreas Vogt"


@dataclass(frozen=True)
class SpokespersonSpec:
    name: str
    function: str
    organisation: str = ""
    portrait: str | None = None  # key in PHOTOS


SPOKESPERSONS = (
    SpokespersonSpec(LANGER, "Eigenbetriebsleiterin", "KoBa Harz", portrait="langer"),
    SpokespersonSpec(LANDRAT, "Landrat des Landkreises Harz"),
    SpokespersonSpec(KRUEGER, "Teamleiterin Arbeitgeberservice", "KoBa Harz"),
    SpokespersonSpec(VOGT, "Projektleiter Familiencoaching", "KoBa Harz"),
)


@dataclass(frozen=True)
class Promotion:
    """A spokesperson's function changes at this point of the timeline. Quotes made before keep
    the old function (Quote.function is stored when the quote is saved)."""

    name: str
    function: str


# --- how an article came to be ------------------------------------------------------------------

WRITE, SUBMIT, RETURN, PUBLISH, CORRECT, WITHDRAW = (
    "write",
    "submit",
    "return",
    "publish",
    "correct",
    "withdraw",
)


@dataclass(frozen=True)
class Step:
    """One workflow step. `at` is when it happened: a datetime, or a timedelta counted from
    today 10:00 (for articles that are still being worked on when the demo is loaded)."""

    action: str
    at: datetime | timedelta
    text: str = ""  # comment, change note or reason for withdrawal
    publish_at: datetime | timedelta | None = None  # for PUBLISH, if not `at` (Sperrfrist)
    fix: tuple[str, str] | None = None  # for CORRECT: (wrong, right) in lead and body


def days(number: float) -> timedelta:
    return timedelta(days=number)


def published(on: datetime) -> tuple[Step, ...]:
    """Written three days before, submitted the day before, published on `on`."""
    return (Step(WRITE, on - days(3)), Step(SUBMIT, on - days(1)), Step(PUBLISH, on))


def corrected(on: datetime, fixed_on: datetime, wrong: str, right: str, note: str):
    return (*published(on), Step(CORRECT, fixed_on, text=note, fix=(wrong, right)))


def withdrawn(on: datetime, withdrawn_on: datetime, reason: str):
    return (*published(on), Step(WITHDRAW, withdrawn_on, text=reason))


def embargoed(days_ahead: int):
    """Approved yesterday, public in `days_ahead` days at 10:00 (Sperrfrist)."""
    return (
        Step(WRITE, days(-2)),
        Step(SUBMIT, days(-1)),
        Step(PUBLISH, days(-1) + timedelta(hours=3), publish_at=days(days_ahead)),
    )


def in_review():
    return (Step(WRITE, days(-2)), Step(SUBMIT, days(-1)))


def sent_back(comment: str):
    return (Step(WRITE, days(-3)), Step(SUBMIT, days(-2)), Step(RETURN, days(-1), text=comment))


def draft():
    return (Step(WRITE, days(-1)),)


@dataclass(frozen=True)
class DemoArticle:
    kind: str
    kicker: str
    title: str
    lead: str  # plain text, may be wrapped
    body: str  # plain text: paragraphs separated by blank lines, '- ' lines for lists
    story: tuple[Step, ...]  # starts with WRITE
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = (WINKLER,)
    quotes: tuple[tuple[str, str], ...] = ()  # (spokesperson name, text)
    photo: str | None = None  # key in PHOTOS


# --- the real release -------------------------------------------------------------------------

# The release quotes Claudia Langer in four quoted passages. We keep them as two quotes, one per
# paragraph: (1) her report to the committee, the passages „Das BMAS … ermöglichen“ and „Ich habe
# darüber berichtet … funktionieren kann.“ joined into one statement; (2) the coaching passage
# from „Ich habe im Vorfeld …“. Its closing quotation mark is missing in the original; we end it
# with her last sentence in the first person („… für die wir hier etwas erreichen können.“),
# before the general conclusion. The body keeps the release text unchanged.
LANGER_QUOTES = (
    squash("""
        Das BMAS als Bundesbehörde ist ziemlich weit von der Basis entfernt. Oftmals ist hier gar
        nicht klar, mit welchen konkreten Alltagsproblemen die Menschen, die sich bei uns im
        Langzeitbezug befinden, tatsächlich zu kämpfen haben und die zunächst durch die Arbeit und
        Unterstützung unserer Mitarbeiter bewältigt werden müssen, um eine Vermittlung auf dem
        Arbeitsmarkt zu ermöglichen. Ich habe darüber berichtet, wie viele kreative Projekte und
        Ideen wir entwickelt haben, um das zu schaffen. Zusätzlich habe ich klar gemacht, dass das
        Ganze nicht ohne eine ausreichende finanzielle Ausstattung funktionieren kann.
    """),
    squash("""
        Ich habe im Vorfeld mit unseren Coaching-Mitarbeitern gesprochen. Der in vielen Projekten
        und jetzt auch im Kerngeschäft eingesetzte Coaching-Ansatz ist ein sehr wirksamer Ansatz,
        mit dem wir bereits einige Erfolge erreichen konnten, die niemand für möglich gehalten hat.
        Die Mitarbeiter steigen hier intensiv in den Alltag der Menschen ein und unterstützen sie
        bei allen erforderlichen Schritten zur Regelung von gesundheitlichen, finanziellen,
        sozialen Problemen von Gesprächen mit Behörden bis zum Packen der Einschulungstüte für die
        Kinder. Meist bedarf es wochenlanger Gespräche und Besuche, um das Vertrauen der Menschen
        für weitere Schritte aus den Problemen heraus, aufzubauen. Langzeitbezug ist mit vielen
        gesundheitlichen Problemen, Ängsten und Vorbehalten gegenüber Dritten und gerade Behörden
        verbunden. Dies bedeutet aber auch im Gegenzug, dass hier viel Arbeit, Zeit und damit auch
        finanzielle Ressourcen erforderlich sind, um weiterhin gute Arbeit leisten zu können. Die
        vielen kleinen und intensiven Schritte sind es aber Wert für jede Familie und jeden
        Menschen, für die wir hier etwas erreichen können.
    """),
)

SENTENCE_ENDS = (".", "!", "?", ":", "“", "\u201d")


@dataclass(frozen=True)
class Release:
    kicker: str
    day: date
    title: str
    lead: str
    paragraphs: list[str]


def read_release(path: Path = SAMPLE_FILE) -> Release:
    """The parts of the sample release: kicker and date, title, first paragraph, the rest."""
    blocks = [squash(b) for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))]
    blocks = [b for b in blocks if b]
    header, title, lead, _portrait_caption, *rest = blocks
    kicker, dateline = header.rsplit(" ", 1)
    text = rest[: rest.index("Pressekontakt KoBa Harz:")]
    return Release(
        kicker=kicker,
        day=datetime.strptime(dateline, "%d.%m.%Y").date(),
        title=title,
        lead=lead,
        paragraphs=rejoin(text),
    )


def rejoin(blocks: list[str]) -> list[str]:
    """Paragraphs from text blocks. A block that stops mid-sentence was cut by a page break of
    the original document and continues in the next one."""
    paragraphs: list[str] = []
    continues = False
    for block in blocks:
        if continues:
            paragraphs[-1] = f"{paragraphs[-1]} {block}"
        else:
            paragraphs.append(block)
        continues = not paragraphs[-1].endswith(SENTENCE_ENDS)
    return paragraphs


def sample_article() -> DemoArticle:
    release = read_release()
    return DemoArticle(
        kind=Article.Kind.KREISBLATT,
        kicker=release.kicker,
        title=release.title,
        lead=release.lead,
        body="\n\n".join(release.paragraphs),
        story=published(datetime.combine(release.day, time(10), tzinfo=BERLIN)),
        topics=("SGB II", "Bund und Land", "Coaching"),
        authors=(PRESSESTELLE,),
        quotes=tuple((LANGER, text) for text in LANGER_QUOTES),
        photo="langer",
    )


# --- the invented articles, in the order they happened -----------------------------------------

TIMELINE: tuple[DemoArticle | Promotion, ...] = (
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Jobmesse Harz",
        title="Jobmesse Harz: Mehr als 80 Arbeitgeber stellen sich in Halberstadt vor",
        lead="""
            Am Samstag, 11. März 2023, lädt die KoBa Harz zur Jobmesse Harz nach Halberstadt ein.
            Von 10 bis 15 Uhr stellen mehr als 80 Unternehmen aus der Region offene Stellen und
            Ausbildungsplätze vor.
        """,
        body="""
            Vertreten sind Betriebe aus Handwerk, Pflege, Logistik, Gastronomie und öffentlichem
            Dienst. Viele von ihnen bringen konkrete Stellenangebote mit und führen an ihren Ständen
            erste Bewerbungsgespräche. Der Eintritt ist frei, eine Anmeldung ist nicht nötig.

            Wer seine Bewerbungsunterlagen vorab prüfen lassen möchte, kann das Bewerbungscafé der
            KoBa Harz nutzen: Bis zum 10. März sehen sich Fachleute in Halberstadt, Wernigerode und
            Quedlinburg Lebensläufe und Anschreiben an und geben Tipps für das Gespräch am
            Messestand.

            Wer für den Messebesuch eine Kinderbetreuung braucht, spricht bitte vorher mit seiner
            Integrationsfachkraft.
        """,
        story=published(berlin(2023, 2, 20)),
        topics=("Arbeitgeber", "Ausbildung"),
        quotes=(
            (
                KRUEGER,
                """
                Viele Betriebe im Harz suchen händeringend Personal. Auf der Jobmesse kommen
                Arbeitgeber und Bewerber ohne Umwege ins Gespräch. Oft wird schon am selben Tag
                ein Termin zum Probearbeiten vereinbart.
                """,
            ),
        ),
        photo="jobmesse",
    ),
    DemoArticle(
        kind=Article.Kind.KREISBLATT,
        kicker="Zuarbeit Kreisblatt",
        title="Bürgergeld: Was sich zum 1. Juli 2023 ändert",
        lead="""
            Zum 1. Juli 2023 tritt die zweite Stufe des Bürgergeld-Gesetzes in Kraft. Die KoBa Harz
            erklärt, was sich für Leistungsberechtigte im Landkreis Harz ändert.
        """,
        body="""
            Mit der Reform soll die Zusammenarbeit zwischen Jobcenter und Leistungsberechtigten
            stärker auf Augenhöhe stattfinden. Außerdem setzt das Gesetz mehr Anreize für
            Weiterbildung und Berufsabschlüsse. Die wichtigsten Änderungen im Überblick:

            - Der Kooperationsplan ersetzt die bisherige Eingliederungsvereinbarung. Er wird
              gemeinsam erarbeitet und in verständlicher Sprache formuliert.
            - Wer eine Weiterbildung mit Berufsabschluss macht, erhält zusätzlich ein
              Weiterbildungsgeld von 150 Euro im Monat.
            - Für die Teilnahme an bestimmten Maßnahmen gibt es einen Bürgergeldbonus von 75 Euro
              im Monat.
            - Schülerinnen und Schüler, Studierende und Auszubildende dürfen mehr von ihrem
              Verdienst behalten; Einkommen aus Ferienjobs wird nicht mehr angerechnet.
            - Wer es besonders schwer hat, eine Arbeit aufzunehmen, kann ganzheitlich begleitet
              werden (Coaching nach § 16k SGB II).

            Die Integrationsfachkräfte der KoBa Harz sprechen die Änderungen in den nächsten
            Beratungsgesprächen an. Wer vorher Fragen hat, erreicht die KoBa Harz zu den
            Sprechzeiten an allen Standorten.
        """,
        story=published(berlin(2023, 6, 23)),
        topics=("Bürgergeld", "SGB II", "Weiterbildung"),
        authors=(PRESSESTELLE,),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Neues Projekt",
        title="Familiencoaching startet in Quedlinburg",
        lead="""
            Mit dem Projekt „Familiencoaching Harz“ begleitet die KoBa Harz ab Oktober Familien in
            Quedlinburg und Umgebung, in denen die Eltern seit Langem ohne Arbeit sind.
        """,
        body="""
            Zwei Coaches besuchen die Familien zu Hause und helfen dort, wo es gerade am
            dringendsten ist: bei Schulden, bei der Suche nach einem Kitaplatz, bei Arztterminen
            oder beim Schriftverkehr mit Behörden. Erst wenn der Alltag wieder trägt, geht es um
            Bewerbungen, Praktika und eine Arbeit.

            Die Teilnahme ist freiwillig. Das Projekt bietet zunächst 30 Plätze und läuft bis Ende
            2025. Es wird aus dem Eingliederungsbudget der KoBa Harz finanziert.

            Interessierte Familien wenden sich an ihre Integrationsfachkraft oder direkt an das
            Projektteam am Standort Quedlinburg.
        """,
        story=published(berlin(2023, 9, 12)),
        topics=("Coaching", "Langzeitarbeitslosigkeit"),
        quotes=(
            (
                VOGT,
                """
                Wir fangen nicht mit dem Lebenslauf an, sondern mit dem, was die Familie gerade am
                meisten belastet. Vertrauen braucht Zeit – aber ohne Vertrauen kommt niemand
                weiter.
                """,
            ),
        ),
    ),
    DemoArticle(
        kind=Article.Kind.NOTICE,
        kicker="Service",
        title="Neue Sprechzeiten am Standort Wernigerode ab 1. Februar",
        lead="""
            Ab Donnerstag, 1. Februar 2024, gelten am Standort Wernigerode neue Sprechzeiten.
            Termine außerhalb der Sprechzeiten sind weiterhin nach Vereinbarung möglich.
        """,
        body="""
            Die neuen Sprechzeiten im Überblick:

            - Montag: 8 bis 12 Uhr
            - Dienstag: 8 bis 12 Uhr und 13 bis 18 Uhr
            - Mittwoch: nur mit Termin
            - Donnerstag: 8 bis 12 Uhr und 13 bis 16 Uhr
            - Freitag: 8 bis 12 Uhr

            Mit dem langen Dienstag kommt die KoBa Harz Berufstätigen entgegen, die ergänzend
            Leistungen erhalten. Der Mittwoch bleibt vereinbarten Beratungsgesprächen vorbehalten,
            damit diese ohne Wartezeit stattfinden können.

            Anträge und Unterlagen können jederzeit in den Briefkasten am Eingang eingeworfen oder
            per Post geschickt werden.
        """,
        story=published(berlin(2024, 1, 22)),
        topics=("Service",),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Weiterbildung",
        title="Landrat besucht Umschulungsprojekt in Wernigerode",
        lead="""
            Landrat Dr. Henning Albrecht hat sich in Wernigerode über ein Umschulungsprojekt der
            KoBa Harz informiert. 14 Frauen und Männer lernen dort einen neuen Beruf in der
            Lagerlogistik.
        """,
        body="""
            Die Teilnehmenden waren vor der Umschulung zum Teil mehrere Jahre ohne Arbeit. In 24
            Monaten erwerben sie bei einem Bildungsträger den Abschluss als Fachkraft für
            Lagerlogistik; die praktischen Teile absolvieren sie in Betrieben aus der Region.
            Während der Umschulung erhalten sie neben dem Bürgergeld ein Weiterbildungsgeld von 150
            Euro im Monat.

            Bei seinem Besuch sprach der Landrat mit Teilnehmenden und Ausbildern über ihre
            Erfahrungen. Mehrere Betriebe haben bereits angekündigt, Absolventinnen und Absolventen
            zu übernehmen.

            Wer sich für eine Umschulung interessiert, kann das im nächsten Beratungsgespräch
            ansprechen. Die Kosten übernimmt die KoBa Harz mit einem Bildungsgutschein.
        """,
        story=published(berlin(2024, 5, 16)),
        topics=("Weiterbildung", "Arbeitgeber"),
        quotes=(
            (
                LANDRAT,
                """
                Jede erfolgreiche Umschulung ist eine doppelte Chance: für die Menschen, die
                wieder Fuß fassen, und für unsere Betriebe, die Fachkräfte dringend brauchen.
                """,
            ),
            (
                KRUEGER,
                """
                Die Betriebe sind von Anfang an dabei. So wissen die Teilnehmenden, wofür sie
                lernen – und die Unternehmen lernen ihre künftigen Mitarbeiter kennen.
                """,
            ),
        ),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Ausbildung",
        title="Ausbildungsstart: 58 junge Menschen aus dem Bürgergeld beginnen eine Lehre",
        lead="""
            Für 58 junge Menschen, deren Familien Bürgergeld beziehen, beginnt in diesen Tagen die
            Ausbildung. Die KoBa Harz hat sie auf dem Weg dorthin begleitet.
        """,
        body="""
            Die neuen Auszubildenden lernen unter anderem Kfz-Mechatronik, Pflege, Einzelhandel
            und Elektronik. Die meisten haben ihren Ausbildungsbetrieb über ein Praktikum gefunden,
            das die KoBa Harz vermittelt hat.

            Damit die Ausbildung nicht am Geld scheitert, prüft die KoBa Harz mit den Jugendlichen,
            welche Unterstützung ihnen zusteht, etwa Berufsausbildungsbeihilfe oder Zuschüsse zu
            den Fahrkosten. Von ihrer Ausbildungsvergütung dürfen Auszubildende in
            Bürgergeld-Familien einen großen Teil behalten.

            Betriebe, die noch Ausbildungsplätze zu besetzen haben, können sich an den
            Arbeitgeberservice der KoBa Harz wenden. Auch nach dem 1. August ist ein
            Ausbildungsbeginn möglich.
        """,
        story=published(berlin(2024, 8, 1)),
        topics=("Ausbildung", "Bürgergeld"),
        quotes=(
            (
                KRUEGER,
                """
                Ein Praktikum sagt mehr als jede Bewerbungsmappe. Wenn ein Betrieb einen jungen
                Menschen eine Woche lang erlebt hat, fällt die Entscheidung oft ganz schnell.
                """,
            ),
        ),
    ),
    DemoArticle(
        kind=Article.Kind.KREISBLATT,
        kicker="Zuarbeit Kreisblatt",
        title="Ein Jahr ganzheitliche Betreuung: Coaching gehört zum Alltag der KoBa Harz",
        lead="""
            Seit gut einem Jahr können Jobcenter Menschen im Bürgergeld ganzheitlich betreuen. Die
            KoBa Harz hat den Coaching-Ansatz, den sie in Projekten erprobt hat, damit in ihr
            Kerngeschäft übernommen.
        """,
        body="""
            Schon 2017 berichtete die KoBa Harz im Kooperationsausschuss SGB II beim
            Bundesarbeitsministerium von ihren Erfahrungen mit Coaching. Seit Juli 2023 ist die
            ganzheitliche Betreuung nach § 16k SGB II fester Bestandteil des Gesetzes.

            Im Landkreis Harz arbeiten inzwischen zwölf Coaches an den Standorten Halberstadt,
            Wernigerode und Quedlinburg. Sie begleiten vor allem Menschen, die seit vielen Jahren
            ohne Arbeit sind und bei denen gesundheitliche, familiäre oder finanzielle Probleme im
            Vordergrund stehen.

            Die Erfahrungen aus dem Projekt „Familiencoaching Harz“ in Quedlinburg sind dabei
            eingeflossen: Die Coaches kommen auf Wunsch nach Hause, begleiten zu Terminen und
            nehmen sich Zeit, bevor es um Bewerbungen geht.
        """,
        story=published(berlin(2024, 11, 8)),
        topics=("Coaching", "Langzeitarbeitslosigkeit", "SGB II"),
        authors=(PRESSESTELLE,),
        quotes=(
            (
                VOGT,
                """
                Manchmal ist der größte Erfolg des Monats, dass jemand wieder einen Termin beim
                Arzt wahrnimmt. Das ist kein Umweg – das ist der Weg in Arbeit.
                """,
            ),
        ),
    ),
    # From here on Sabine Krüger is quoted with her new function; her earlier quotes keep the old.
    Promotion(KRUEGER, "Bereichsleiterin Markt und Integration"),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Jobmesse Harz",
        title="Jobmesse Harz 2025 in Wernigerode: Anmeldung für Aussteller geöffnet",
        lead="""
            Die Jobmesse Harz findet in diesem Jahr am Samstag, 17. Mai 2025, in Wernigerode
            statt. Unternehmen aus der Region können sich ab sofort als Aussteller anmelden.
        """,
        body="""
            Nach dem Erfolg der vergangenen Jahre wechselt die Jobmesse Harz in diesem Jahr nach
            Wernigerode. Am 17. Mai 2025 stellen Unternehmen von 10 bis 15 Uhr offene Stellen,
            Ausbildungsplätze und Praktika vor.

            Die Teilnahme ist für Aussteller kostenfrei. Die KoBa Harz stellt Stand, Tisch und
            Stromanschluss und wirbt in der Region für die Messe. Anmeldeschluss ist der 4. April
            2025.

            Ansprechpartner für Aussteller ist der Arbeitgeberservice der KoBa Harz an den
            Standorten Halberstadt, Wernigerode und Quedlinburg.
        """,
        story=corrected(
            berlin(2025, 3, 10),
            berlin(2025, 3, 11, 9, 30),
            wrong="17. Mai 2025",
            right="10. Mai 2025",
            note=(
                "Die Jobmesse findet am Samstag, 10. Mai 2025, statt – nicht wie zunächst "
                "angegeben am 17. Mai."
            ),
        ),
        topics=("Arbeitgeber",),
        quotes=(
            (
                KRUEGER,
                """
                Die Jobmesse ist für viele Betriebe inzwischen ein fester Termin. Wer hier
                ausstellt, trifft an einem Tag mehr Bewerberinnen und Bewerber als sonst in
                Wochen.
                """,
            ),
        ),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Arbeitsmarkt",
        title="Zahl der Langzeitarbeitslosen im Landkreis Harz deutlich gesunken",
        lead="""
            Im Landkreis Harz waren im Mai 2025 rund zwölf Prozent weniger Menschen
            langzeitarbeitslos als ein Jahr zuvor.
        """,
        body="""
            Nach den Zahlen der KoBa Harz ist die Zahl der Menschen, die seit mehr als einem Jahr
            ohne Arbeit sind, im Vergleich zum Vorjahresmonat deutlich zurückgegangen. Besonders
            stark war der Rückgang bei den über 50-Jährigen.

            Als Gründe nennt die KoBa Harz die gute Nachfrage nach Arbeitskräften in Pflege,
            Logistik und Handwerk sowie die intensivere Betreuung durch Coaching.
        """,
        story=withdrawn(
            berlin(2025, 6, 4),
            berlin(2025, 6, 5, 14),
            reason=(
                "Die Mitteilung beruhte auf einem vorläufigen Datenstand. Die genannten Zahlen "
                "haben sich als fehlerhaft erwiesen und sollten nicht mehr verwendet werden. Eine "
                "berichtigte Mitteilung folgt."
            ),
        ),
        topics=("Langzeitarbeitslosigkeit",),
        authors=(PRESSESTELLE,),
    ),
    DemoArticle(
        kind=Article.Kind.NOTICE,
        kicker="Service",
        title="Zwischen den Feiertagen: Standorte nur vormittags geöffnet",
        lead="""
            Am 29. und 30. Dezember 2025 sind die Standorte der KoBa Harz in Halberstadt,
            Wernigerode und Quedlinburg von 8 bis 12 Uhr geöffnet. Am 31. Dezember bleiben sie
            geschlossen.
        """,
        body="""
            Das Bürgergeld für Januar 2026 wird wie gewohnt rechtzeitig überwiesen. Wer Leistungen
            erhält, muss dafür nichts unternehmen.

            Anträge und Unterlagen können jederzeit in die Briefkästen an den Standorten
            eingeworfen werden. Ab Freitag, 2. Januar 2026, gelten wieder die üblichen
            Sprechzeiten.
        """,
        story=published(berlin(2025, 12, 15)),
        topics=("Service",),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Quedlinburg",
        title="Neues Beratungsbüro in der Quedlinburger Altstadt eröffnet",
        lead="""
            Die KoBa Harz hat in der Quedlinburger Altstadt ein Beratungsbüro eröffnet. Dort
            bekommen Menschen ohne Termin Hilfe bei Anträgen, Bewerbungen und Fragen zum
            Bürgergeld.
        """,
        body="""
            Das Büro ist barrierefrei erreichbar und montags bis donnerstags von 9 bis 15 Uhr
            geöffnet. Zwei Mitarbeiterinnen und ein Mitarbeiter der KoBa Harz beraten dort; einmal
            in der Woche ist zusätzlich die Schuldnerberatung vor Ort.

            Landrat Dr. Henning Albrecht eröffnete das Büro gemeinsam mit Beschäftigten der KoBa
            Harz. Die Räume waren zuvor ein Ladengeschäft; große Fenster und ein Eingang ohne
            Stufen sollen die Schwelle bewusst niedrig halten.

            Der bisherige Standort der KoBa Harz in Quedlinburg bleibt für Termine mit
            Integrationsfachkräften und für die Leistungsabteilung bestehen.
        """,
        story=published(berlin(2026, 2, 9, 11)),
        topics=("Service", "SGB II"),
        quotes=(
            (
                LANDRAT,
                """
                Wer Hilfe braucht, soll sie dort finden, wo er ohnehin unterwegs ist – mitten in
                der Stadt und ohne lange Wege.
                """,
            ),
        ),
        photo="quedlinburg",
    ),
    DemoArticle(
        kind=Article.Kind.KREISBLATT,
        kicker="Zuarbeit Kreisblatt",
        title="Mit 45 noch einmal Azubi: Umschulung als zweite Chance",
        lead="""
            Wer lange ohne Berufsabschluss gearbeitet hat oder lange ohne Arbeit war, kann mit
            Unterstützung der KoBa Harz einen Abschluss nachholen. Immer mehr Menschen im
            Landkreis Harz nutzen diese Möglichkeit.
        """,
        body="""
            Eine Umschulung dauert in der Regel zwei Jahre und endet mit derselben Prüfung vor der
            Kammer wie eine reguläre Ausbildung. Gefragt sind im Harz vor allem Abschlüsse in der
            Pflege, in der Lagerlogistik, im Handwerk und in der Kinderbetreuung.

            Die Kosten der Umschulung übernimmt die KoBa Harz. Wer einen Berufsabschluss anstrebt,
            erhält zusätzlich zum Bürgergeld ein Weiterbildungsgeld von 150 Euro im Monat; für
            bestandene Zwischen- und Abschlussprüfungen gibt es außerdem Prämien.

            Wichtig ist eine gute Vorbereitung: Vor dem Start klären Integrationsfachkraft und
            Teilnehmende gemeinsam, ob der Beruf passt, wie die Kinderbetreuung geregelt ist und
            ob ein Praktikum vorab sinnvoll ist.
        """,
        story=published(berlin(2026, 9, 4)),
        topics=("Weiterbildung", "Bürgergeld"),
        quotes=(
            (
                KRUEGER,
                """
                Niemand ist zu alt für einen Berufsabschluss. Wer mit 45 eine Umschulung beginnt,
                hat noch zwanzig Berufsjahre vor sich – mit deutlich besseren Chancen.
                """,
            ),
        ),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Halberstadt",
        title="Bewerbungstraining für Alleinerziehende in Halberstadt",
        lead="""
            Ein neues Bewerbungstraining der KoBa Harz richtet sich an Alleinerziehende. Die
            Termine liegen so, dass sie mit Kita- und Schulzeiten vereinbar sind.
        """,
        body="""
            Das Training umfasst acht Termine, jeweils dienstags und donnerstags von 9 bis 12 Uhr.
            Die Teilnehmenden erstellen ihre Bewerbungsunterlagen, üben Vorstellungsgespräche und
            erfahren, welche Arbeitgeber in der Region Teilzeit und flexible Arbeitszeiten
            anbieten.

            [Termin des ersten Treffens und Ort noch ergänzen.]
        """,
        story=draft(),
        topics=("Bürgergeld",),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Gesundheit",
        title="Gesundheitsprojekt „Harz in Bewegung“ geht in die zweite Runde",
        lead="""
            Das Projekt „Harz in Bewegung“ hilft Menschen im Bürgergeld, nach längerer Krankheit
            wieder in den Alltag und in Arbeit zu finden. Nach einer erfolgreichen ersten Runde
            startet im Januar eine zweite Gruppe.
        """,
        body="""
            In kleinen Gruppen treffen sich die Teilnehmenden zweimal pro Woche zu Bewegung,
            Ernährungsberatung und Gesprächen über den Umgang mit Stress. Begleitet werden sie von
            einer Sporttherapeutin und einem Coach der KoBa Harz.

            Die Teilnahme ist freiwillig und kostenlos. Interessierte melden sich bei ihrer
            Integrationsfachkraft.
        """,
        story=in_review(),
        topics=("Coaching", "Langzeitarbeitslosigkeit"),
    ),
    DemoArticle(
        kind=Article.Kind.NOTICE,
        kicker="Service",
        title="Weiterbewilligungsantrag künftig auch online",
        lead="""
            Wer Bürgergeld erhält, kann den Weiterbewilligungsantrag ab dem 1. Januar 2027 auch
            online stellen.
        """,
        body="""
            Der Antrag kann dann rund um die Uhr ausgefüllt und zusammen mit den Nachweisen
            hochgeladen werden. Der Antrag auf Papier bleibt weiterhin möglich.

            [Link zum Online-Portal folgt.]
        """,
        story=sent_back(
            "Bitte vor der Freigabe mit der IT klären, ob der 1. Januar 2027 als Starttermin "
            "bestätigt ist, und den Link zum Portal ergänzen."
        ),
        topics=("Bürgergeld", "Service"),
    ),
    DemoArticle(
        kind=Article.Kind.PRESS_RELEASE,
        kicker="Ausbildung",
        title="KoBa Harz und Handwerksbetriebe schließen Ausbildungspartnerschaft",
        lead="""
            Die KoBa Harz und zwölf Handwerksbetriebe aus dem Landkreis Harz haben eine
            Ausbildungspartnerschaft vereinbart. Sie bietet jungen Menschen aus
            Bürgergeld-Familien Praktika, Ausbildungsplätze und eine feste Ansprechperson.
        """,
        body="""
            Die Betriebe aus Halberstadt, Wernigerode, Quedlinburg und Blankenburg stellen jedes
            Jahr Praktikumsplätze zur Verfügung und sagen zu, geeigneten Praktikantinnen und
            Praktikanten einen Ausbildungsplatz anzubieten. Die KoBa Harz begleitet die
            Jugendlichen während der gesamten Ausbildung, auch bei Fragen zu Fahrkosten, Wohnung
            oder Berufsschule.

            Die Vereinbarung wurde heute im Landratsamt in Halberstadt unterzeichnet.
        """,
        story=embargoed(days_ahead=4),
        topics=("Ausbildung", "Arbeitgeber"),
        quotes=(
            (
                LANDRAT,
                """
                Das Handwerk im Harz braucht Nachwuchs, und viele junge Menschen brauchen eine
                Chance. Diese Partnerschaft bringt beides zusammen.
                """,
            ),
        ),
    ),
)


# --- legal pages ----------------------------------------------------------------------------

IMPRESSUM = """
<h2>Anbieter</h2>
<p>KoBa Harz – Kommunale Beschäftigungsagentur Jobcenter Landkreis Harz<br>
Eigenbetrieb des Landkreises Harz<br>Friedrich-Ebert-Straße 42<br>38820 Halberstadt</p>
<p>Die KoBa Harz ist ein Eigenbetrieb des Landkreises Harz, einer Körperschaft des öffentlichen
Rechts. Sie wird durch die Eigenbetriebsleitung vertreten.</p>
<h2>Kontakt</h2>
<p>Telefon: 03943 58-3234<br>Fax: 03943 58-3040<br>
E-Mail: <a href="mailto:presse@koba-jobcenter-harz.de">presse@koba-jobcenter-harz.de</a></p>
<h2>Aufsicht</h2>
<p>Landkreis Harz, Der Landrat, Friedrich-Ebert-Straße 42, 38820 Halberstadt</p>
<h2>Verantwortlich für den Inhalt</h2>
<p>Verantwortlich im Sinne des § 18 Abs. 2 Medienstaatsvertrag ist die Leitung der Pressestelle
der KoBa Harz, Anschrift wie oben.</p>
<h2>Bildnachweise</h2>
<p>Der Bildnachweis steht jeweils direkt am Foto.</p>
<h2>Links auf andere Websites</h2>
<p>Für die Inhalte verlinkter Seiten anderer Anbieter sind deren Betreiber verantwortlich. Beim
Setzen der Links waren keine Rechtsverstöße erkennbar; werden uns solche bekannt, entfernen wir
den Link.</p>
"""

DATENSCHUTZ = """
<h2>Verantwortliche Stelle</h2>
<p>KoBa Harz – Kommunale Beschäftigungsagentur Jobcenter Landkreis Harz, Friedrich-Ebert-Straße
42, 38820 Halberstadt, E-Mail:
<a href="mailto:presse@koba-jobcenter-harz.de">presse@koba-jobcenter-harz.de</a></p>
<p>Die behördliche Datenschutzbeauftragte erreichen Sie unter derselben Anschrift mit dem Zusatz
„Datenschutzbeauftragte“.</p>
<h2>Keine Cookies, kein Tracking, keine Dienste Dritter</h2>
<p>Die öffentlichen Seiten dieses Presseportals setzen keine Cookies und verwenden keine Analyse-
oder Trackingdienste. Sie laden keine Inhalte von anderen Anbietern: keine externen Schriftarten,
Skripte, Karten oder Videos. Ihr Browser verbindet sich beim Besuch nur mit unserem eigenen
Server.</p>
<h2>Server-Protokolle</h2>
<p>Beim Aufruf einer Seite verarbeitet unser Server technisch notwendige Daten: IP-Adresse, Datum
und Uhrzeit, aufgerufene Adresse, übertragene Datenmenge und die Kennung Ihres Browsers. Das ist
erforderlich, um die Seiten auszuliefern und den Betrieb sicher zu halten (Art. 6 Abs. 1 Buchst. e
DSGVO). Die Protokolle werden nach spätestens 14 Tagen gelöscht.</p>
<h2>Redaktionsbereich</h2>
<p>Nur wer sich im geschützten Redaktionsbereich anmeldet, erhält ein technisch notwendiges
Sitzungs-Cookie. Es wird beim Abmelden oder nach Ablauf der Sitzung ungültig
(§ 25 Abs. 2 Nr. 2 TDDDG).</p>
<h2>Kontakt per E-Mail oder Telefon</h2>
<p>Wenn Sie uns schreiben oder anrufen, verarbeiten wir Ihre Angaben nur, um Ihr Anliegen zu
bearbeiten, und löschen sie, wenn sie dafür nicht mehr gebraucht werden und keine
Aufbewahrungspflicht besteht.</p>
<h2>Ihre Rechte</h2>
<ul>
<li>Auskunft über Ihre bei uns gespeicherten Daten (Art. 15 DSGVO)</li>
<li>Berichtigung unrichtiger Daten (Art. 16 DSGVO)</li>
<li>Löschung (Art. 17 DSGVO) und Einschränkung der Verarbeitung (Art. 18 DSGVO)</li>
<li>Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)</li>
</ul>
<p>Sie können sich außerdem bei der Aufsichtsbehörde beschweren: Landesbeauftragter für den
Datenschutz Sachsen-Anhalt, Leiterstraße 9, 39104 Magdeburg.</p>
"""

BARRIEREFREIHEIT = """
<p>Die KoBa Harz ist bemüht, dieses Presseportal barrierefrei zugänglich zu machen. Rechtsgrundlage
sind das Behindertengleichstellungsgesetz Sachsen-Anhalt (BGG LSA) und die
Barrierefreie-Informationstechnik-Verordnung (BITV 2.0), mit denen die Richtlinie (EU) 2016/2102
umgesetzt wird.</p>
<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>
<p>Dieses Angebot ist mit den Anforderungen der BITV 2.0 teilweise vereinbar. Nicht barrierefrei
sind:</p>
<ul>
<li>Einige ältere Fotos im Pressearchiv haben noch keinen aussagekräftigen Alternativtext.</li>
<li>Ältere Beiträge, die aus Textdokumenten übernommen wurden, enthalten Zitate, die nicht als
Zitate ausgezeichnet sind.</li>
</ul>
<h2>Erstellung dieser Erklärung</h2>
<p>Diese Erklärung wurde am {date} auf Grundlage einer Selbstbewertung erstellt.</p>
<h2>Barrieren melden: Kontakt zu den Feedback-Ansprechpartnern</h2>
<p>Ist Ihnen auf diesen Seiten eine Barriere aufgefallen, oder brauchen Sie einen Inhalt in einer
anderen Form? Schreiben Sie uns:</p>
<p>Pressestelle KoBa Harz<br>Friedrich-Ebert-Straße 42<br>38820 Halberstadt<br>
Telefon: 03943 58-3234<br>
E-Mail: <a href="mailto:presse@koba-jobcenter-harz.de">presse@koba-jobcenter-harz.de</a></p>
<h2>Schlichtungsverfahren</h2>
<p>Wenn Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort erhalten, können Sie
sich an die Ombudsstelle für Barrierefreiheit des Landes Sachsen-Anhalt wenden:
<a href="https://www.lf-barrierefreiheit-st.de/ueber-uns/ombudsstelle">Ombudsstelle bei der
Landesfachstelle für Barrierefreiheit</a>. Das Verfahren ist kostenfrei.</p>
"""


def legal_pages(today: date) -> list[dict]:
    return [
        {"kind": LegalPage.Kind.IMPRINT, "title": "Impressum", "body": IMPRESSUM},
        {"kind": LegalPage.Kind.PRIVACY, "title": "Datenschutzerklärung", "body": DATENSCHUTZ},
        {
            "kind": LegalPage.Kind.ACCESSIBILITY,
            "title": "Erklärung zur Barrierefreiheit",
            "body": BARRIEREFREIHEIT.replace("{date}", f"{today:%d.%m.%Y}"),
        },
    ]


# --- placeholder pictures -------------------------------------------------------------------


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def portrait_picture(initials: str, size=(1200, 1600)) -> bytes:
    """A neutral head-and-shoulders silhouette with initials: a stand-in for a real portrait."""
    width, height = size
    image = Image.new("RGB", size, (226, 230, 234))
    draw = ImageDraw.Draw(image)
    silhouette = (150, 160, 172)
    draw.ellipse((width * 0.12, height * 0.62, width * 0.88, height * 1.25), fill=silhouette)
    head = (width * 0.29, height * 0.2, width * 0.71, height * 0.6)
    draw.ellipse(head, fill=silhouette)
    font = ImageFont.load_default(size=int(width * 0.16))
    centre = ((head[0] + head[2]) / 2, (head[1] + head[3]) / 2)
    draw.text(centre, initials, font=font, fill=(255, 255, 255), anchor="mm")
    return jpeg(image)


def scene_picture(label: str, size=(1600, 1000)) -> bytes:
    """A row of simple gabled shapes under a caption line: a stand-in for an event photo."""
    width, height = size
    image = Image.new("RGB", size, (214, 230, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.78, width, height), fill=(160, 170, 150))
    colours = [(46, 94, 140), (84, 140, 96), (196, 120, 70), (120, 96, 150), (60, 130, 150)]
    stand_width = width / len(colours)
    for number, colour in enumerate(colours):
        left, right = number * stand_width + 30, (number + 1) * stand_width - 30
        top = height * (0.45 + 0.04 * (number % 2))
        draw.rectangle((left, top, right, height * 0.8), fill=colour)
        draw.polygon([(left - 15, top), ((left + right) / 2, top - 110), (right + 15, top)], colour)
    font = ImageFont.load_default(size=int(height * 0.09))
    draw.text((width / 2, height * 0.16), label, font=font, fill=(30, 40, 50), anchor="mm")
    return jpeg(image)


def make_photo(key: str, spec: PhotoSpec) -> Photo:
    picture = portrait_picture if spec.kind == "portrait" else scene_picture
    photo = Photo(
        caption=spec.caption,
        credit=spec.credit,
        alt_text=spec.alt_text,
        usage_rights=spec.usage_rights,
    )
    # The name only gives the extension: photo_upload_to() chooses the stored name.
    photo.image.save(f"{key}.jpg", ContentFile(picture(spec.label)), save=False)
    photo.save()
    return photo


# --- loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    account: DemoAccount
    password_works: bool  # False if someone changed the demo password since


@dataclass(frozen=True)
class DemoResult:
    created_articles: int  # 0: the demo content was there already
    logins: list[Login]


@dataclass
class Demo:
    """What the loader has made so far, looked up by name while building the articles."""

    writer: User
    publisher: User
    now: datetime
    contact: PressContact
    topics: dict[str, Topic]
    authors: dict[str, Author]
    photos: dict[str, Photo]
    speakers: dict[str, Spokesperson]

    def when(self, moment: datetime | timedelta) -> datetime:
        if isinstance(moment, timedelta):
            today = timezone.localtime(self.now).replace(hour=10, minute=0, second=0, microsecond=0)
            return today + moment
        return moment


def load_demo(now: datetime | None = None) -> DemoResult:
    """Create the demo accounts if missing and, on a database without the demo, its content."""
    with transaction.atomic():
        users = {account.username: ensure_account(account) for account in ACCOUNTS}
        created = 0
        if not Article.objects.filter(slug=SAMPLE_SLUG).exists():
            created = load_content(users, now or timezone.now())
    logins = [Login(a, users[a.username].check_password(a.password)) for a in ACCOUNTS]
    return DemoResult(created_articles=created, logins=logins)


def ensure_account(account: DemoAccount) -> User:
    """The demo account; an existing one is left as it is."""
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            # example.org is reserved: mail to demo accounts never reaches a real person.
            "email": f"{account.username}@example.org",
            "is_staff": True,
        },
    )
    if created:
        validate_password(account.password, user)
        user.set_password(account.password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=account.role))
    return user


def load_content(users: dict[str, User], now: datetime) -> int:
    """Everything but the accounts. Returns the number of articles created."""
    photos = {key: make_photo(key, spec) for key, spec in PHOTOS.items()}
    demo = Demo(
        writer=users["redaktion"],
        publisher=users["freigabe"],
        now=now,
        contact=ensure_press_contact(),
        topics={name: ensure_topic(name, text) for name, text in TOPICS},
        authors={name: ensure_author(name, users.get(login)) for name, login in AUTHORS.items()},
        photos=photos,
        speakers={spec.name: ensure_spokesperson(spec, photos) for spec in SPOKESPERSONS},
    )
    create_article(sample_article(), demo)
    count = 1
    for entry in TIMELINE:
        if isinstance(entry, Promotion):
            promote(demo.speakers[entry.name], entry.function)
        else:
            create_article(entry, demo)
            count += 1
    for page in legal_pages(timezone.localdate(now)):
        LegalPage.objects.get_or_create(kind=page["kind"], defaults=page)
    return count


def ensure_press_contact() -> PressContact:
    # Only one contact may be the default: an existing default stays one.
    is_default = not PressContact.objects.filter(is_default=True).exists()
    contact, _ = PressContact.objects.get_or_create(
        label=PRESS_CONTACT["label"], defaults={**PRESS_CONTACT, "is_default": is_default}
    )
    return contact


def ensure_topic(name: str, description: str) -> Topic:
    return Topic.objects.get_or_create(name=name, defaults={"description": description})[0]


def ensure_author(name: str, user: User | None) -> Author:
    return Author.objects.get_or_create(name=name, defaults={"user": user})[0]


def ensure_spokesperson(spec: SpokespersonSpec, photos: dict[str, Photo]) -> Spokesperson:
    person, _ = Spokesperson.objects.get_or_create(
        name=spec.name,
        defaults={
            "function": spec.function,
            "organisation": spec.organisation,
            "portrait": photos.get(spec.portrait),
        },
    )
    return person


def promote(person: Spokesperson, function: str) -> None:
    person.function = function
    person.save(update_fields=["function"])


def create_article(spec: DemoArticle, demo: Demo) -> Article:
    article = Article(
        kind=spec.kind,
        kicker=spec.kicker,
        title=squash(spec.title),
        lead=squash(spec.lead),
        body=to_html(spec.body),
        lead_photo=demo.photos.get(spec.photo),
        press_contact=demo.contact,
    )
    first, *rest = spec.story
    take_step(article, first, demo)  # WRITE: the article needs an id before it gets relations
    article.topics.set([demo.topics[name] for name in spec.topics])
    article.authors.set([demo.authors[name] for name in spec.authors])
    for position, (name, text) in enumerate(spec.quotes):
        Quote.objects.create(
            article=article, spokesperson=demo.speakers[name], text=squash(text), position=position
        )
    for step in rest:
        take_step(article, step, demo)
    date_article(article)
    return article


def take_step(article: Article, step: Step, demo: Demo) -> None:
    """Do `step` through the workflow, as the person whose job it is, then date it."""
    STEPS[step.action](article, step, demo)
    # The workflow records the time of loading; the demo's story spans years, so the entry just
    # written gets the time the step is meant to have happened.
    event = article.events.order_by("-id").first()
    ArticleEvent.objects.filter(pk=event.pk).update(at=demo.when(step.at))


def date_article(article: Article) -> None:
    """Align the article's own timestamps with its (backdated) history."""
    events = list(article.events.order_by("at", "id"))

    def last(action: str) -> datetime | None:
        return max((event.at for event in events if event.action == action), default=None)

    Article.objects.filter(pk=article.pk).update(
        created_at=events[0].at,
        updated_at=events[-1].at,
        corrected_at=last(ArticleEvent.Action.CORRECTED),
        withdrawn_at=last(ArticleEvent.Action.WITHDRAWN),
    )
    article.refresh_from_db()


def write(article: Article, step: Step, demo: Demo) -> None:
    article.edit(by=demo.writer)


def submit(article: Article, step: Step, demo: Demo) -> None:
    article.submit(by=demo.writer)


def send_back(article: Article, step: Step, demo: Demo) -> None:
    article.return_to_draft(by=demo.publisher, comment=step.text)


def publish(article: Article, step: Step, demo: Demo) -> None:
    # Four-eyes rule: the Redaktion account wrote it, so the Freigabe account publishes it.
    at = demo.when(step.publish_at if step.publish_at is not None else step.at)
    article.publish(by=demo.publisher, at=at)


def correct(article: Article, step: Step, demo: Demo) -> None:
    # Correcting a public article needs the correct_article permission: Freigabe has it.
    wrong, right = step.fix
    article.lead = article.lead.replace(wrong, right)
    article.body = article.body.replace(wrong, right)
    article.edit(by=demo.publisher, change_note=step.text)


def withdraw(article: Article, step: Step, demo: Demo) -> None:
    article.withdraw(by=demo.publisher, reason=step.text)


STEPS: dict[str, Callable[[Article, Step, Demo], None]] = {
    WRITE: write,
    SUBMIT: submit,
    RETURN: send_back,
    PUBLISH: publish,
    CORRECT: correct,
    WITHDRAW: withdraw,
}
