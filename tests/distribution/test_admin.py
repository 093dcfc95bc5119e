"""The distribution lists in the admin (issue 14): subscribers with their consent history, the
Vorab-Verteiler, and the delivery log per article with "Fehlgeschlagene erneut senden". Only
Freigabe and Administration see addresses; Redaktion sees counts.

The expectations per role are written out here from the issue, not read from the database."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from distribution import sending
from distribution.models import AccreditedRecipient, ConsentRecord, Delivery, Subscriber
from tests.conftest import make_user

ROLES = ["Redaktion", "Freigabe", "Administration", "ohne Rolle"]
# What each role may do: v(iew the list), a(dd), c(hange page), d(elete).
MAY = {
    "subscriber": {"Freigabe": "vc", "Administration": "vcd"},
    "accreditedrecipient": {"Freigabe": "vacd", "Administration": "vacd"},
    # Redaktion's list of deliveries is the counts page; a delivery's own page is closed.
    "delivery": {"Redaktion": "v", "Freigabe": "vc", "Administration": "vc"},
    # The proof of consent: looked at, never added, changed or deleted ("c": its read-only page).
    "consentrecord": {"Freigabe": "vc", "Administration": "vc"},
}
ADDRESS = "petra.sommer@harzkurier.de"
JOURNALIST = "anna.berg@mz-web.de"


def user_for(role: str):
    roles = [] if role == "ohne Rolle" else [role]
    return make_user(f"pruefer-{role.replace(' ', '-').lower()}", *roles)


@pytest.fixture
def logged(make_subscriber, published_article, approver):
    """A subscriber, an accredited journalist and a delivery to each."""
    subscriber = make_subscriber(ADDRESS, name="Petra Sommer", medium="Harzkurier")
    person = AccreditedRecipient.objects.create(
        name="Anna Berg", email=JOURNALIST, medium="MZ", consent="schriftlich",
        consent_on=date(2026, 2, 3), added_by=approver,
    )  # fmt: skip
    sending.distribute(
        published_article,
        "release",
        [sending.Recipient(ADDRESS, subscriber=subscriber)],
    )
    sending.distribute(
        published_article,
        "advance:1",
        [sending.Recipient(JOURNALIST, accredited=person, token="geheim")],
    )
    return {
        "subscriber": subscriber,
        "accreditedrecipient": person,
        "delivery": Delivery,
        "consentrecord": ConsentRecord.objects.filter(subscriber=subscriber).first(),
    }


def admin_url(model: str, view: str, obj=None) -> str:
    name = f"admin:distribution_{model}_{view}"
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(MAY))
def test_each_role_reaches_exactly_what_the_issue_grants(client, logged, role, model):
    client.force_login(user_for(role))
    may = MAY[model].get(role, "")
    obj = logged[model] if model != "delivery" else Delivery.objects.first()
    assert obj is not None
    expected = {
        "v": client.get(admin_url(model, "changelist")).status_code,
        "a": client.get(admin_url(model, "add")).status_code,
        "c": client.get(admin_url(model, "change", obj)).status_code,
        "d": client.get(admin_url(model, "delete", obj)).status_code,
    }
    for letter, status in expected.items():
        allowed = status == 200
        assert allowed == (letter in may), f"{role} {model} {letter}: {status}"


@pytest.mark.parametrize(
    ("role", "sees"), [("Redaktion", False), ("Freigabe", True), ("Administration", True)]
)
def test_only_freigabe_and_administration_see_addresses(client, logged, role, sees):
    client.force_login(user_for(role))
    page = client.get(admin_url("delivery", "changelist")).content.decode()
    assert (ADDRESS in page) is sees
    assert (JOURNALIST in page) is sees
    counts = client.get(reverse("admin:distribution_delivery_counts")).content.decode()
    assert ADDRESS not in counts and JOURNALIST not in counts
    assert "Vorab unter Sperrfrist" in counts and "Mitteilung" in counts
    assert "Bestätigte Abonnent/innen: 1" in counts


def test_the_delivery_log_of_one_article(client, logged, approver, make_article):
    other = make_article("published", title="Andere Meldung", publish_at=timezone.now())
    sending.distribute(other, "release", [sending.Recipient("andere@example.org")])
    client.force_login(approver)
    article_id = Delivery.objects.get(email=ADDRESS).article_id
    page = client.get(
        admin_url("delivery", "changelist") + f"?article__id__exact={article_id}"
    ).content.decode()
    assert ADDRESS in page and JOURNALIST in page
    assert "andere@example.org" not in page


def test_subscribers_are_found_by_address_name_or_medium(client, logged, make_subscriber,
                                                         approver):  # fmt: skip
    make_subscriber("redaktion@volksstimme.de", medium="Volksstimme")
    client.force_login(approver)
    for query in ["harzkurier", "Sommer", "petra.sommer"]:
        page = client.get(admin_url("subscriber", "changelist") + f"?q={query}").content.decode()
        assert ADDRESS in page and "redaktion@volksstimme.de" not in page, query
    page = client.get(admin_url("subscriber", "changelist") + "?state__exact=confirmed")
    assert "redaktion@volksstimme.de" in page.content.decode()


def test_the_consent_history_is_shown_and_cannot_be_changed(client, logged, administrator):
    subscriber = logged["subscriber"]
    client.force_login(administrator)
    page = client.get(admin_url("subscriber", "change", subscriber)).content.decode()
    assert "Einwilligung bestätigt" in page and "Anmeldung angefordert" in page
    assert 'name="consents-0-method"' not in page
    assert 'name="email"' not in page  # the address, too, is the person's own
    before = list(ConsentRecord.objects.values_list("pk", "action", "method"))
    client.post(
        admin_url("subscriber", "change", subscriber),
        {"email": "andere@example.org", "consents-0-method": "gefälscht"},
    )
    assert list(ConsentRecord.objects.values_list("pk", "action", "method")) == before
    subscriber.refresh_from_db()
    assert subscriber.email == ADDRESS


def test_an_unsubscription_on_request_is_recorded_as_such(client, logged, approver):
    subscriber = logged["subscriber"]
    client.force_login(approver)
    response = client.post(
        admin_url("subscriber", "changelist"),
        {"action": "unsubscribe_selected", "_selected_action": [subscriber.pk]},
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    withdrawal = subscriber.consents.filter(action=ConsentRecord.Action.WITHDRAWN).get()
    assert "Verwaltung" in withdrawal.method


def test_adding_a_journalist_to_the_accredited_list_records_who_did(client, approver):
    client.force_login(approver)
    response = client.post(
        admin_url("accreditedrecipient", "add"),
        {
            "name": "Jens Kurz",
            "email": "Jens.Kurz@Volksstimme.de",
            "medium": "Volksstimme",
            "consent": "per E-Mail vom 03.02.2026",
            "consent_on": "03.02.2026",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    person = AccreditedRecipient.objects.get()
    assert (person.email, person.added_by, person.consent_on) == (
        "jens.kurz@volksstimme.de",
        approver,
        date(2026, 2, 3),
    )


def test_an_entry_without_consent_or_medium_is_refused(client, approver):
    client.force_login(approver)
    response = client.post(
        admin_url("accreditedrecipient", "add"),
        {"name": "Ohne", "email": "ohne@example.org", "medium": "", "consent": ""},
    )
    assert response.status_code == 200
    assert not AccreditedRecipient.objects.exists()
    assert response.content.decode().count("Dieses Feld ist zwingend erforderlich.") == 3


def test_failed_deliveries_are_sent_again_on_request(
    client, make_subscriber, published_article, approver, smtp_server, run_worker
):
    subscriber = make_subscriber(ADDRESS)
    run_worker()  # the confirmation mail has gone
    smtp_server.refuse(1, "550 5.1.1 Postfach voll")
    sending.distribute(
        published_article, "release", [sending.Recipient(ADDRESS, subscriber=subscriber)]
    )
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    arrived = len(smtp_server)

    client.force_login(approver)
    response = client.post(
        admin_url("delivery", "changelist"),
        {"action": "resend_failed", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert len(smtp_server) == arrived + 1
    assert published_article.title in smtp_server[-1]["Subject"]


def test_resending_leaves_sent_deliveries_alone(client, logged, approver, smtp_server, run_worker):
    run_worker()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert sent.exists()
    arrived = len(smtp_server)
    client.force_login(approver)
    client.post(
        admin_url("delivery", "changelist"),
        {"action": "resend_failed", "_selected_action": list(sent.values_list("pk", flat=True))},
    )
    run_worker()
    assert len(smtp_server) == arrived


def test_redaktion_cannot_resend(client, logged, editor):
    Delivery.objects.update(status=Delivery.Status.FAILED)
    client.force_login(editor)
    client.post(
        admin_url("delivery", "changelist"),
        {"action": "resend_failed", "_selected_action": [Delivery.objects.first().pk]},
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}


def test_the_counts_page_answers_a_wrong_page_number(client, logged, editor):
    client.force_login(editor)
    for page in ["0", "x", "99999999999999999999", str(timedelta(days=1))]:
        response = client.get(reverse("admin:distribution_delivery_counts") + f"?p={page}")
        assert response.status_code == 200


def test_the_log_offers_the_articles_that_have_deliveries(client, logged, approver, make_article):
    make_article("published", title="Ohne Zustellungen", publish_at=timezone.now())
    client.force_login(approver)
    page = client.get(admin_url("delivery", "changelist")).content.decode()
    article = Delivery.objects.first().article
    assert f"artikel={article.pk}" in page
    assert "Ohne Zustellungen" not in page


def test_the_log_answers_a_wrong_article_filter(client, logged, approver):
    client.force_login(approver)
    for value in ["abc", "99999999999999999999999", "-1", "１"]:
        response = client.get(admin_url("delivery", "changelist") + f"?artikel={value}")
        assert response.status_code == 200, value


@pytest.mark.parametrize("model", ["subscriber", "delivery"])
def test_the_lists_cost_the_same_queries_for_5_and_50_rows(
    client, approver, published_article, topic, model, django_assert_num_queries
):
    def grow(count: int) -> None:
        for number in range(Subscriber.objects.count(), count):
            subscriber = Subscriber.objects.create(
                email=f"person{number}@example.org", state="confirmed", all_topics=False
            )
            subscriber.topics.add(topic)
            sending.distribute(
                published_article, "release", [sending.Recipient(subscriber.email, subscriber)]
            )

    client.force_login(approver)
    url = admin_url(model, "changelist")
    grow(5)
    client.get(url)  # sessions and content types are loaded once
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(50)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
