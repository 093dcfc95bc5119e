"""The consent history of an address can be looked up in the admin ("Einwilligungsnachweise")
by the whole address, also after the address was erased and after SECRET_KEY was rotated
(DSGVO Art. 7(1): the controller must be able to demonstrate consent)."""

from django.test import override_settings
from django.urls import reverse

from distribution.models import ConsentRecord, address_hash
from distribution.retention import erase
from distribution.subscription import unsubscribe

CHANGELIST = "admin:distribution_consentrecord_changelist"


def found(client, address: str) -> list[int]:
    """The records the changelist shows for the search `address`, by pk."""
    response = client.get(reverse(CHANGELIST), {"q": address})
    assert response.status_code == 200
    return sorted(record.pk for record in response.context["cl"].result_list)


def test_the_history_of_an_erased_address_is_found_by_the_address(
    client, make_subscriber, approver
):
    petra = make_subscriber("petra.sommer@harzkurier.de")
    make_subscriber("anna.berg@mz-web.de")
    unsubscribe(petra, method="Link")
    erase(petra)
    client.force_login(approver)

    history = found(client, "  Petra.Sommer@Harzkurier.de ")

    petras = ConsentRecord.objects.filter(email_hash=address_hash("petra.sommer@harzkurier.de"))
    assert history == sorted(petras.values_list("pk", flat=True))
    actions = set(petras.values_list("action", flat=True))
    assert actions == {"requested", "confirmed", "withdrawn", "erased"}
    page = client.get(reverse(CHANGELIST), {"q": "petra.sommer@harzkurier.de"}).content.decode()
    assert "gelöscht (nur als Prüfsumme)" in page
    assert "petra.sommer@harzkurier.de" not in page.replace('value="petra.sommer', "")
    assert found(client, "unbekannt@harzkurier.de") == []


def test_after_a_change_of_secret_key_the_older_history_is_still_found(
    client, make_subscriber, approver
):
    with override_settings(SECRET_KEY="the-key-of-last-year-" * 3):
        make_subscriber("petra.sommer@harzkurier.de")
    older = sorted(ConsentRecord.objects.values_list("pk", flat=True))

    with override_settings(
        SECRET_KEY="the-key-of-this-year-" * 3,
        SECRET_KEY_FALLBACKS=["the-key-of-last-year-" * 3],
    ):
        client.force_login(approver)  # the session is signed with the key, too
        assert found(client, "petra.sommer@harzkurier.de") == older
    with override_settings(SECRET_KEY="the-key-of-this-year-" * 3, SECRET_KEY_FALLBACKS=[]):
        client.force_login(approver)
        assert found(client, "petra.sommer@harzkurier.de") == []
