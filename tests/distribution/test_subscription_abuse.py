"""Abuse of the subscription form: limits per e-mail address and per client address (429 with a
German message), a honeypot that bots fill in, and nothing learnt about who is on the list."""

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from distribution.models import ConsentRecord, Subscriber
from mailing.models import SentMail
from press.kinds import Kind

SUBSCRIBE = "/verteiler/"
TOO_MANY = "Zu viele Anmeldeversuche. Bitte versuchen Sie es in 60 Minuten noch einmal."


def form_data(**fields) -> dict:
    data = {"email": "petra.sommer@harzkurier.de", "scope": "alle", "consent": "on"}
    return data | {"kinds": list(Kind.values)} | fields


def test_the_limits_default_to_five_an_hour():
    assert settings.DISTRIBUTION_SUBSCRIBE_LIMIT_PER_ADDRESS == 5
    assert settings.DISTRIBUTION_SUBSCRIBE_LIMIT_PER_CLIENT == 5
    assert settings.DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS == 3600


def test_the_sixth_request_for_one_address_is_refused_with_429(client, db):
    answers = [
        client.post(SUBSCRIBE, form_data(), REMOTE_ADDR=f"192.0.2.{number}")
        for number in range(1, 8)
    ]

    assert [a.status_code for a in answers] == [302] * 5 + [429] * 2
    refused = answers[5]
    assert TOO_MANY in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    # The refused requests sent nothing more.
    assert SentMail.objects.count() == 5


def test_the_sixth_request_from_one_client_is_refused_with_429(client, db):
    answers = [
        client.post(SUBSCRIBE, form_data(email=f"person{number}@harzkurier.de"))
        for number in range(6)
    ]

    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert TOO_MANY in answers[5].content.decode()
    assert not Subscriber.objects.filter(email="person5@harzkurier.de").exists()
    # Another client is not affected.
    other = client.post(SUBSCRIBE, form_data(email="x@harzkurier.de"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_the_limits_come_from_the_settings(client, db, settings):
    settings.DISTRIBUTION_SUBSCRIBE_LIMIT_PER_CLIENT = 2
    settings.DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS = 600

    answers = [
        client.post(SUBSCRIBE, form_data(email=f"p{number}@harzkurier.de")) for number in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "in 10 Minuten" in answers[2].content.decode()
    assert answers[2]["Retry-After"] == "600"


def test_the_client_behind_the_proxy_is_counted_not_the_proxy(client, db, settings):
    """The same rule as the log-in and the password reset (newsroom.clients.client_ip)."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    answers = [
        client.post(
            SUBSCRIBE,
            form_data(email=f"p{number}@harzkurier.de"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
            **proxy,
        )
        for number in range(7)
    ]

    assert {a.status_code for a in answers} == {302}


@pytest.mark.parametrize("valid", [True, False])
def test_a_bot_filling_the_honeypot_gets_the_same_answer_and_nothing_is_stored(client, db, valid):
    fields = {"website": "https://spam.example"}
    if not valid:
        fields["email"] = "kein-mail"

    answer = client.post(SUBSCRIBE, form_data(**fields))
    person = client.post(SUBSCRIBE, form_data(email="echt@harzkurier.de"))

    assert (answer.status_code, answer["Location"]) == (person.status_code, person["Location"])
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["echt@harzkurier.de"]
    assert ConsentRecord.objects.count() == 1
    assert list(SentMail.objects.values_list("recipients", flat=True)) == ["echt@harzkurier.de"]


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(client, db):
    page = client.get(SUBSCRIBE).content.decode()

    hidden = page.split('<div class="visually-hidden" aria-hidden="true">')[1].split("</div>")[0]
    assert 'name="website"' in hidden
    assert 'tabindex="-1"' in hidden
    assert 'autocomplete="off"' in hidden


def test_a_known_and_an_unknown_address_each_get_exactly_one_mail(client, make_subscriber):
    """No enumeration through the mail either: whoever owns the address gets one mail, the
    confirmation or the notice, never none and never two."""
    make_subscriber("bekannt@harzkurier.de")
    SentMail.objects.all().delete()
    DBTaskResult.objects.all().delete()

    for email in ["bekannt@harzkurier.de", "neu@harzkurier.de"]:
        before = DBTaskResult.objects.filter(task_path__endswith="deliver").count()
        answer = client.post(SUBSCRIBE, form_data(email=email))
        assert answer.status_code == 302
        after = DBTaskResult.objects.filter(task_path__endswith="deliver").count()
        assert after - before == 1
    assert SentMail.objects.count() == 2
