"""The public subscription (/verteiler/): double opt-in through a real SMTP server, the same
answer for every address, the consent history, the preferences and the unsubscribe pages."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from distribution.models import ConsentRecord, Subscriber, address_hash
from distribution.subscription import CONSENT_WORDINGS, CURRENT_WORDING
from mailing.models import SentMail
from press.kinds import Kind
from press.models import Topic

SUBSCRIBE = "/verteiler/"


def form_data(**fields) -> dict:
    data = {
        "email": "Petra.Sommer@Harzkurier.de",
        "name": "Petra Sommer",
        "medium": "Harzkurier",
        "scope": "alle",
        "kinds": list(Kind.values),
        "consent": "on",
        "website": "",
    }
    return data | fields


def link_in(message, name: str) -> str:
    """The path of the personal link `name` ("bestaetigen", "einstellungen", "abmelden") in
    the plain-text part of `message`."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(re.escape(settings.SITE_URL) + rf"(/verteiler/{name}/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def test_the_page_offers_only_topics_with_public_articles_and_the_three_kinds(
    client, published_article, make_article
):
    public = published_article.topics.get()
    hidden = Topic.objects.create(name="Geheime Planung")
    make_article("draft", title="Entwurf").topics.set([hidden])
    scheduled = Topic.objects.create(name="Sperrfristthema")
    make_article(
        "published", title="Später", publish_at=timezone.now() + timedelta(days=1)
    ).topics.set([scheduled])

    page = client.get(SUBSCRIBE).content.decode()

    assert public.name in page
    assert "Geheime Planung" not in page
    assert "Sperrfristthema" not in page
    for label in ["Pressemitteilung", "Kreisblatt-Beitrag", "Meldung"]:
        assert f">{label}</label>" in page


def test_the_consent_checkbox_links_the_privacy_page_with_the_current_wording(client, db):
    page = client.get(SUBSCRIBE).content.decode()

    assert f'<a href="{reverse("press:legal", args=["datenschutz"])}">' in page
    start = str(CONSENT_WORDINGS[CURRENT_WORDING]).split("%(privacy)s")[0]
    assert start[:60] in page
    assert 'type="checkbox" name="consent"' in page


def test_the_public_footer_links_the_subscription_page(client, db):
    assert f'href="{SUBSCRIBE}"' in client.get("/").content.decode()


def test_a_request_is_confirmed_through_the_link_in_the_mail(
    db, smtp_server, run_worker, published_article
):
    client = Client(enforce_csrf_checks=True)  # the forms carry no token and need none
    response = client.post(SUBSCRIBE, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("distribution:requested")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "petra.sommer@harzkurier.de"
    assert subscriber.state == Subscriber.State.PENDING
    assert (subscriber.name, subscriber.medium) == ("Petra Sommer", "Harzkurier")

    run_worker()
    assert len(smtp_server) == 1
    assert smtp_server[0]["To"] == "petra.sommer@harzkurier.de"
    assert "bestätigen" in smtp_server[0]["Subject"]
    confirm_path = link_in(smtp_server[0], "bestaetigen")

    # Opening the link (as a mail scanner would) confirms nothing: a button does.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Anmeldung bestätigen" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.PENDING

    done = client.post(confirm_path)
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED
    assert subscriber.confirmed_at is not None
    history = list(subscriber.consents.order_by("at", "id"))
    assert [(r.action, r.wording_version) for r in history] == [
        (ConsentRecord.Action.REQUESTED, CURRENT_WORDING),
        (ConsentRecord.Action.CONFIRMED, CURRENT_WORDING),
    ]
    assert [r.method for r in history] == [
        "Formular /verteiler/",
        "Link in der Bestätigungsmail",
    ]
    assert {r.email_hash for r in history} == {address_hash("petra.sommer@harzkurier.de")}


def test_a_known_and_an_unknown_address_get_the_same_answer(
    client, make_subscriber, smtp_server, run_worker, topic
):
    known = make_subscriber("bekannt@harzkurier.de", kinds=[Kind.NOTICE])
    SentMail.objects.all().delete()

    answers = [
        client.post(SUBSCRIBE, form_data(email=email))
        for email in ["bekannt@harzkurier.de", "unbekannt@harzkurier.de"]
    ]

    assert [(a.status_code, a["Location"]) for a in answers] == [
        (302, "/verteiler/angefordert/")
    ] * 2
    neutral = client.get(answers[0]["Location"]).content.decode()
    assert "Bitte prüfen Sie Ihr Postfach" in neutral
    # The confirmed address is unchanged (nobody can change another person's choices) ...
    known.refresh_from_db()
    assert known.state == Subscriber.State.CONFIRMED
    assert known.kinds == [Kind.NOTICE]
    assert known.name == ""
    # ... and its owner learns it is already on the list, with the preferences link.
    run_worker()
    mails = {message["To"]: message for message in smtp_server}
    assert "bereits" in mails["bekannt@harzkurier.de"]["Subject"]
    assert link_in(mails["bekannt@harzkurier.de"], "einstellungen") == reverse(
        "distribution:preferences", args=[known.token]
    )
    assert link_in(mails["unbekannt@harzkurier.de"], "bestaetigen")


def test_only_a_confirmed_address_is_confirmed(client, make_subscriber):
    pending = make_subscriber("wartend@harzkurier.de", confirmed=False)
    confirmed = make_subscriber("bestaetigt@harzkurier.de")

    assert set(Subscriber.objects.filter(state=Subscriber.State.CONFIRMED)) == {confirmed}
    assert pending.confirmed_at is None


@pytest.mark.parametrize(
    ("age", "confirmed"),
    [(timedelta(hours=47, minutes=59), True), (timedelta(hours=48, minutes=1), False)],
)
def test_the_confirmation_link_is_valid_for_48_hours(client, make_subscriber, age, confirmed):
    assert settings.DISTRIBUTION_CONFIRMATION_HOURS == 48
    subscriber = make_subscriber(confirmed=False)
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now() - age)
    path = reverse("distribution:confirm", args=[subscriber.token])

    response = client.post(path)

    subscriber.refresh_from_db()
    assert (subscriber.state == Subscriber.State.CONFIRMED) is confirmed
    assert response.status_code == (200 if confirmed else 410)
    if not confirmed:
        assert "Dieser Bestätigungslink gilt nicht mehr" in response.content.decode()
        assert client.get(path).status_code == 410


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": ""}, "Bitte bestätigen Sie die Einwilligung"),
        ({"kinds": []}, "Bitte wählen Sie mindestens eine Art aus."),
        ({"scope": "auswahl"}, "Bitte wählen Sie mindestens ein Thema aus."),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"topics": ["x"], "scope": "auswahl"}, "ist kein gültiger Wert"),
        ({"kinds": ["spam"]}, "Bitte eine gültige Auswahl treffen"),
        ({"name": "Petra\x00Sommer"}, "Nullzeichen sind nicht erlaubt"),
        ({"email": "a" * 300 + "@harzkurier.de"}, "höchstens 254 Zeichen"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(client, db, fields, message):
    response = client.post(SUBSCRIBE, form_data(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_chosen_topics_are_stored(client, published_article):
    topic = published_article.topics.get()

    client.post(
        SUBSCRIBE, form_data(scope="auswahl", topics=[topic.pk], kinds=[Kind.PRESS_RELEASE])
    )

    subscriber = Subscriber.objects.get()
    assert subscriber.all_topics is False
    assert list(subscriber.topics.all()) == [topic]
    assert subscriber.kinds == [Kind.PRESS_RELEASE]


def test_the_preferences_page_changes_the_choices_and_records_it(
    client, confirmed_subscriber, published_article
):
    topic = published_article.topics.get()
    path = reverse("distribution:preferences", args=[confirmed_subscriber.token])
    page = client.get(path)
    assert page.status_code == 200
    assert confirmed_subscriber.email in page.content.decode()

    response = client.post(
        path,
        {"scope": "auswahl", "topics": [topic.pk], "kinds": [Kind.KREISBLATT], "name": "P. S."},
    )

    assert response.status_code == 200
    assert "Ihre Auswahl ist gespeichert." in response.content.decode()
    confirmed_subscriber.refresh_from_db()
    assert (confirmed_subscriber.all_topics, confirmed_subscriber.kinds) == (
        False,
        [Kind.KREISBLATT],
    )
    assert list(confirmed_subscriber.topics.all()) == [topic]
    assert confirmed_subscriber.name == "P. S."
    latest = confirmed_subscriber.consents.first()
    assert (latest.action, latest.wording_version) == (
        ConsentRecord.Action.CHANGED,
        CURRENT_WORDING,
    )


def test_the_preferences_of_an_address_that_left_cannot_be_changed(client, confirmed_subscriber):
    client.post(reverse("distribution:unsubscribe", args=[confirmed_subscriber.token]))
    path = reverse("distribution:preferences", args=[confirmed_subscriber.token])

    response = client.post(path, {"scope": "alle", "kinds": [Kind.NOTICE]})

    assert response.status_code == 410
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.kinds == list(Kind.values)


def test_the_unsubscribe_link_shows_one_button_and_unsubscribes_only_on_post(
    client, confirmed_subscriber
):
    path = reverse("distribution:unsubscribe", args=[confirmed_subscriber.token])

    page = client.get(path).content.decode()

    assert page.count("<button") - 1 == 1  # the site's search button, and this one
    assert f'<form method="post" action="{path}">' in page
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.CONFIRMED

    response = client.post(path)
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.UNSUBSCRIBED
    withdrawal = confirmed_subscriber.consents.first()
    assert (withdrawal.action, withdrawal.method) == (
        ConsentRecord.Action.WITHDRAWN,
        "Abmeldeseite (persönlicher Link)",
    )
    assert withdrawal.wording_version == CURRENT_WORDING  # the consent that was withdrawn


def test_the_one_click_post_unsubscribes_without_csrf_token_and_is_idempotent(
    confirmed_subscriber,
):
    """RFC 8058 §3.1: the mail client POSTs "List-Unsubscribe=One-Click" as a form, with no
    cookie and no token."""
    client = Client(enforce_csrf_checks=True)
    path = reverse("distribution:unsubscribe", args=[confirmed_subscriber.token])

    answers = [
        client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.UNSUBSCRIBED
    withdrawals = confirmed_subscriber.consents.filter(action=ConsentRecord.Action.WITHDRAWN)
    assert [w.method for w in withdrawals] == ["List-Unsubscribe-Post (RFC 8058)"]


@pytest.mark.parametrize("token", ["falsch", "x" * 5000, "%C3%A4%00", "' OR 1=1 --"])
@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_an_unknown_token_is_404_for_get_and_post(client, confirmed_subscriber, name, token):
    path = f"{reverse(f'distribution:{name}', args=['T'])[:-2]}{token}/"

    assert client.get(path).status_code == 404
    answer = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 404
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.CONFIRMED


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_the_personal_pages_are_private_uncached_not_indexed_and_hand_on_no_referer(
    client, make_subscriber, name
):
    subscriber = make_subscriber(confirmed=name != "confirm")
    path = reverse(f"distribution:{name}", args=[subscriber.token])

    response = client.get(path)

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert response["X-Robots-Tag"] == "noindex"
    # A link followed from the page would hand its address, with the token, on as Referer.
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in response.content.decode()
    # Nothing of it is kept by the public page cache: the next answer is made afresh.
    Subscriber.objects.filter(pk=subscriber.pk).update(email="neu@harzkurier.de")
    assert "neu@harzkurier.de" in client.get(path).content.decode()


def test_an_address_that_left_can_subscribe_again_with_a_new_link(client, confirmed_subscriber):
    old_token = confirmed_subscriber.token
    client.post(reverse("distribution:unsubscribe", args=[old_token]))

    client.post(SUBSCRIBE, form_data(email=confirmed_subscriber.email))

    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.PENDING
    assert confirmed_subscriber.token != old_token
    assert client.get(reverse("distribution:unsubscribe", args=[old_token])).status_code == 404


def test_no_page_of_the_subscription_sets_a_cookie(db, published_article):
    """The privacy page promises that the public pages set no cookies."""
    client = Client(enforce_csrf_checks=True)
    answers = [client.get(SUBSCRIBE), client.post(SUBSCRIBE, form_data(consent=""))]
    answers.append(client.post(SUBSCRIBE, form_data()))
    answers.append(client.get(answers[-1]["Location"]))
    token = Subscriber.objects.get().token
    for name in ["confirm", "preferences", "unsubscribe"]:
        path = reverse(f"distribution:{name}", args=[token])
        answers += [client.get(path), client.post(path, {"scope": "alle", "kinds": ["notice"]})]

    assert [a.status_code for a in answers] == [200, 200, 302, 200] + [200] * 6
    assert [dict(a.cookies) for a in answers] == [{}] * len(answers)
    assert not client.cookies


@pytest.mark.parametrize("topics", [1, 15])
def test_the_form_costs_the_same_queries_for_few_and_many_topics(
    client, make_article, topics, django_assert_max_num_queries
):
    article = make_article("published", publish_at=timezone.now() - timedelta(hours=1))
    article.topics.set([Topic.objects.create(name=f"Thema {n}") for n in range(topics)])

    with django_assert_max_num_queries(1):
        page = client.get(SUBSCRIBE).content.decode()

    assert page.count('name="topics"') == topics


@pytest.mark.parametrize("topics", [1, 15])
def test_the_preferences_page_costs_the_same_queries_for_few_and_many_topics(
    client, make_article, make_subscriber, topics, django_assert_max_num_queries
):
    article = make_article("published", publish_at=timezone.now() - timedelta(hours=1))
    article.topics.set([Topic.objects.create(name=f"Thema {n}") for n in range(topics)])
    subscriber = make_subscriber(topics=Topic.objects.all())
    path = reverse("distribution:preferences", args=[subscriber.token])

    with django_assert_max_num_queries(3):
        page = client.get(path).content.decode()

    assert page.count("checked") == topics + 1 + len(Kind.values)
