"""The demo content of `manage.py load_demo` (demo/loader.py, data in demo/data)."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from demo.loader import ACCOUNTS, CONTENT, DATA, SAMPLE_FILE, SAMPLE_SLUG, load_demo
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
from releases.parser import decode, parse_release

DEMO_MODELS = [
    Article,
    ArticleEvent,
    Author,
    LegalPage,
    Photo,
    PressContact,
    Quote,
    Spokesperson,
    Topic,
    User,
]


@pytest.fixture
def demo(db):
    return load_demo()


@pytest.fixture
def sample(demo):
    return Article.objects.get(slug=SAMPLE_SLUG)


def read(path: Path):
    return parse_release(decode(path.read_bytes()))


def counts():
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


def test_loading_works_on_an_empty_database(db):
    assert not Article.objects.exists()

    result = load_demo()

    assert result.created_articles == Article.objects.count() >= 13
    assert LegalPage.objects.count() == len(LegalPage.Kind) == 5


def test_the_sample_release_is_published_and_public_at_its_exact_address(sample, client):
    assert sample.state == Article.State.PUBLISHED
    assert sample.is_public()
    assert list(Article.objects.published().filter(slug=SAMPLE_SLUG)) == [sample]
    assert sample.get_absolute_url() == f"/2017/10/06/{SAMPLE_SLUG}/"

    page = client.get(sample.get_absolute_url())

    assert page.status_code == 200
    assert "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS" in (
        page.content.decode()
    )


def test_the_sample_release_keeps_kind_kicker_date_title_and_lead(sample):
    assert sample.kind == Article.Kind.KREISBLATT
    assert sample.kicker == "Zuarbeit Kreisblatt"
    assert sample.publication_date == date(2017, 10, 6)
    assert timezone.localtime(sample.publish_at).hour == 10
    assert sample.title == "KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS"
    assert sample.lead.startswith("Ende September tagte in Berlin wieder")
    assert sample.lead.endswith("in der Grundsicherung für Arbeitsuchende auf Landesebene.")


def test_the_sample_body_is_the_release_text_with_the_page_break_rejoined(sample):
    assert sample.body.startswith("<p>Im Rahmen der Vorstellung eines neuen Bundesprojektes")
    assert sample.body.count("<p>") == 3
    assert "Die vielen kleinen und intensiven Schritte sind es aber Wert für jede Familie" in (
        sample.body
    )
    # The quotes stay in the text, as in the release; the contact block is not part of it.
    assert "„Das BMAS als Bundesbehörde ist ziemlich weit von der Basis entfernt." in sample.body
    assert "Pressekontakt" not in sample.body
    assert "Ende September" not in sample.body


def test_the_sample_quotes_claudia_langer_as_eigenbetriebsleiterin_as_the_parser_reads_it(sample):
    quotes = list(sample.quotes.all())

    # The four quoted passages of the release; the last one's closing mark is missing in the
    # original, so it runs to the end of its paragraph.
    assert [quote.text for quote in quotes] == [quote.text for quote in read(SAMPLE_FILE).quotes]
    assert len(quotes) == 4
    assert {quote.spokesperson.name for quote in quotes} == {"Claudia Langer"}
    assert all("Eigenbetriebsleiterin" in quote.function for quote in quotes)
    assert quotes[0].text.startswith("Das BMAS als Bundesbehörde")
    assert quotes[1].text.endswith(
        "nicht ohne eine ausreichende finanzielle Ausstattung funktionieren kann."
    )
    assert quotes[2].text.startswith("Ich habe im Vorfeld mit unseren Coaching-Mitarbeitern")
    assert quotes[0].attribution == "Claudia Langer, Eigenbetriebsleiterin KoBa Harz"


def test_every_sentence_of_the_sample_quotes_is_in_the_release_text(sample):
    for quote in sample.quotes.all():
        for sentence in quote.text.split(". "):
            assert sentence.rstrip(".") in sample.body


def test_the_sample_has_the_press_office_contact_block(sample, client):
    contact = sample.press_contact

    assert contact.label == "Pressestelle KoBa Harz"
    assert contact.phone == "03943 58-3234"
    assert contact.fax == "03943 58-3040"
    assert contact.email == "presse@koba-jobcenter-harz.de"
    assert contact.is_default
    assert "03943 58-3234" in client.get(sample.get_absolute_url()).content.decode()


def test_the_sample_has_a_generated_portrait_with_caption_credit_and_alt_text(sample):
    photo = sample.lead_photo

    assert photo.caption == "Claudia Langer, Eigenbetriebsleiterin KoBa Harz"
    assert photo.credit == "KoBa Harz"
    assert "Porträt" in photo.alt_text
    assert Path(photo.image.path).is_relative_to(Path(settings.PHOTO_ROOT))
    with Image.open(photo.image.path) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 1600))
    assert Spokesperson.objects.get(name="Claudia Langer").portrait == photo


def test_the_sample_has_topics_and_an_author(sample):
    assert {"SGB II", "Bund und Land"} <= {topic.name for topic in sample.topics.all()}
    assert sample.authors.exists()


def test_there_are_articles_in_every_state_and_of_every_kind(demo):
    assert set(Article.objects.values_list("state", flat=True)) == set(Article.State.values)
    assert set(Article.objects.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert Article.objects.published().count() >= 8


def test_the_published_articles_span_several_years(demo):
    years = {article.publication_date.year for article in Article.objects.published()}

    assert {2017, 2023, 2024, 2025, 2026} <= years


def test_one_article_is_scheduled_and_not_public(demo, client):
    scheduled = [a for a in Article.objects.all() if a.is_scheduled()]

    assert len(scheduled) == 1
    assert scheduled[0].publish_at > timezone.now()
    assert scheduled[0] not in Article.objects.published()
    assert client.get(scheduled[0].get_absolute_url()).status_code == 404


def test_one_article_is_withdrawn_with_a_public_reason(demo, client):
    article = Article.objects.get(state=Article.State.WITHDRAWN)

    assert article.withdrawal_reason
    assert article.has_been_public()
    assert article.publish_at < article.withdrawn_at < timezone.now()
    assert client.get(article.get_absolute_url()).status_code == 410


def test_one_article_was_corrected_after_publication_with_a_change_note(demo):
    article = Article.objects.get(corrected_at__isnull=False)

    assert article.is_public()
    assert article.change_note
    assert article.publish_at < article.corrected_at < timezone.now()
    assert "10. Mai 2025" in article.lead and "17. Mai 2025" not in article.body
    assert article.events.filter(action=ArticleEvent.Action.CORRECTED).count() == 1


def test_one_draft_was_returned_with_a_comment(demo):
    returned = ArticleEvent.objects.get(action=ArticleEvent.Action.RETURNED)

    assert returned.article.state == Article.State.DRAFT
    assert returned.comment
    assert returned.by.username == "freigabe"


def test_every_article_went_through_the_workflow_with_four_eyes(demo):
    for article in Article.objects.all():
        created = article.events.get(action=ArticleEvent.Action.CREATED)
        assert created.by.username == "redaktion"
        assert article.created_by.username == "redaktion"
        for event in article.events.filter(action__in=["published", "scheduled"]):
            assert event.by.username == "freigabe"
        times = list(article.events.order_by("id").values_list("at", flat=True))
        assert times == sorted(times), article.title
        assert times[-1] <= timezone.now()


def test_the_history_of_a_past_article_is_dated_to_its_publication(sample):
    published = sample.events.get(action=ArticleEvent.Action.PUBLISHED)

    assert published.at == sample.publish_at
    assert sample.created_at < sample.publish_at


def test_a_quote_keeps_the_function_its_speaker_had_at_the_time(demo):
    speaker = Spokesperson.objects.get(name="Sabine Krüger")
    quotes = Quote.objects.filter(spokesperson=speaker).order_by("article__publish_at")
    functions = [quote.function for quote in quotes]

    assert speaker.function == "Bereichsleiterin Markt und Integration"
    assert functions[0] == "Teamleiterin Arbeitgeberservice KoBa Harz"
    assert functions[-1] == "Bereichsleiterin Markt und Integration KoBa Harz"


def test_loading_twice_creates_no_duplicates(demo):
    before = counts()
    files = sorted(Path(settings.PHOTO_ROOT).rglob("*.jpg"))

    result = load_demo()

    assert result.created_articles == 0
    assert counts() == before
    assert sorted(Path(settings.PHOTO_ROOT).rglob("*.jpg")) == files


@pytest.mark.parametrize(("username", "role"), [(a.username, a.role) for a in ACCOUNTS])
def test_the_demo_users_exist_with_their_role_and_can_log_in(demo, client, username, role):
    account = next(a for a in ACCOUNTS if a.username == username)
    user = User.objects.get(username=username)

    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert client.login(username=username, password=account.password)
    assert client.get("/admin/", follow=True).status_code == 200  # the desk or the model list


def test_the_demo_passwords_pass_the_password_validators(demo):
    for account in ACCOUNTS:
        validate_password(account.password, User.objects.get(username=account.username))


def test_the_command_prints_the_admin_address_and_every_log_in_each_time(db, settings):
    settings.DEBUG = True
    for _ in range(2):
        output = StringIO()
        call_command("load_demo", stdout=output)
        text = output.getvalue()
        assert "http://127.0.0.1:8000/admin/" in text
        for account in ACCOUNTS:
            assert account.role in text
            assert account.username in text
            assert account.password in text
    assert "nichts angelegt" in text


def test_the_command_says_when_a_demo_password_was_changed(demo, settings):
    settings.DEBUG = True
    user = User.objects.get(username="freigabe")
    user.set_password("Ein-ganz-anderes-Passwort-7")
    user.save()
    output = StringIO()

    call_command("load_demo", stdout=output)

    assert "Passwort wurde inzwischen geändert" in output.getvalue()


def test_the_command_refuses_to_run_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()

    call_command("load_demo", "--force", stdout=StringIO())

    assert Article.objects.filter(slug=SAMPLE_SLUG).exists()


def test_the_legal_pages_have_german_content(demo, client):
    pages = {page.kind: page for page in LegalPage.objects.all()}

    assert "Friedrich-Ebert-Straße 42" in pages["impressum"].body
    assert "38820 Halberstadt" in pages["impressum"].body
    assert "keine Cookies" in pages["datenschutz"].body
    assert "BITV 2.0" in pages["barrierefreiheit"].body
    assert "presse@koba-jobcenter-harz.de" in pages["barrierefreiheit"].body
    for kind in pages:
        assert client.get(f"/{kind}/").status_code == 200


def test_the_parser_joins_the_paragraph_the_page_break_of_the_sample_cut():
    paragraphs = read(SAMPLE_FILE).paragraphs

    assert len(paragraphs) == 3
    assert "Schritte sind es aber Wert für jede Familie" in paragraphs[-1]


def test_the_sample_file_is_read_into_its_parts():
    release = read(SAMPLE_FILE)

    assert release.kind == Article.Kind.KREISBLATT
    assert release.kicker == "Zuarbeit Kreisblatt"
    assert release.date == date(2017, 10, 6)
    assert release.lead.startswith("Ende September tagte in Berlin wieder")
    assert [caption.text for caption in release.captions] == [
        "Claudia Langer, Eigenbetriebsleiterin KoBa Harz"
    ]
    assert release.contacts[0].email == "presse@koba-jobcenter-harz.de"


def test_every_release_file_is_one_demo_article_and_the_sample_is_stored_once(demo):
    files = [DATA / spec["file"] for spec in CONTENT["articles"]]

    assert sorted(files) == sorted([SAMPLE_FILE, *(DATA / "releases").glob("*.txt")])
    assert len(set(files)) == len(files) == Article.objects.count()
    for path in files:
        release = read(path)
        article = Article.objects.get(title=release.title)
        assert (article.kind, article.kicker) == (release.kind, release.kicker), path.name
        assert article.quotes.count() == len(release.quotes), path.name
        if release.date:
            assert article.publication_date == release.date, path.name


def test_every_demo_photo_is_used(demo):
    for photo in Photo.objects.all():
        assert Article.objects.filter(lead_photo=photo).exists(), photo.caption
