"""„Meine Benachrichtigungen“ (issue 13, "Notifications"): in the admin, each person switches
each kind of workflow e-mail on or off for themselves; all are on until switched off."""

from django.urls import reverse

URL = "/admin/benachrichtigungen/"


def test_the_page_has_its_address_and_is_linked_from_the_user_tools(client, editor):
    assert reverse("notification_preferences") == URL
    client.force_login(editor)
    index = client.get(reverse("admin:press_article_changelist")).content.decode()
    assert f'href="{URL}"' in index
    assert "Meine Benachrichtigungen" in index


def test_every_kind_starts_switched_on(client, approver):
    client.force_login(approver)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Meine Benachrichtigungen" in page
    for label in [
        "Ein Artikel wartet auf Ihre Freigabe",
        "Ihr Artikel wurde an die Redaktion zurückgegeben",
        "Ihr Artikel wurde veröffentlicht",
        "Ihr Artikel wurde mit Sperrfrist freigegeben",
        "Ein Artikel mit Sperrfrist ist öffentlich geworden",
        "Ihr Artikel wurde zurückgezogen",
    ]:
        assert label in page
    assert page.count("checked") == 6


def test_redaktion_is_not_offered_what_only_reaches_freigabe(client, editor):
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert "Ein Artikel wartet auf Ihre Freigabe" not in page
    assert page.count("checked") == 5


def test_a_kind_switched_off_stays_off_and_no_longer_arrives(
    client, editor, co_author, approver, article, committed, delivered
):
    client.force_login(editor)
    kept = ["published", "scheduled", "went_live", "withdrawn"]
    response = client.post(URL, {kind: "on" for kind in kept})
    assert response.status_code == 302
    assert response["Location"] == URL
    page = client.get(URL).content.decode()
    assert page.count("checked") == 4

    article.submit(by=editor)
    with committed():
        article.return_to_draft(by=approver, comment="Bitte kürzen.")

    assert set(delivered()) == {co_author.email}


def test_switching_on_again_brings_the_mail_back(
    client, editor, approver, article, committed, delivered
):
    client.force_login(editor)
    client.post(URL, {})
    client.post(URL, {"returned": "on"})
    article.submit(by=editor)
    with committed():
        article.return_to_draft(by=approver, comment="Bitte kürzen.")

    assert editor.email in delivered()


def test_each_person_sets_only_their_own(client, editor, second_editor):
    client.force_login(editor)
    client.post(URL, {})
    client.force_login(second_editor)
    assert client.get(URL).content.decode().count("checked") == 5


def test_odd_input_is_no_error(client, editor):
    client.force_login(editor)
    for data in [
        {"returned": ["on", "off", "\x00"]},
        {"returned": "x" * 10_000, "no_such_kind": "on", "user": "1"},
        {"published": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
    ]:
        assert client.post(URL, data).status_code in {200, 302}
    assert client.get(URL + "?kind=%00").status_code == 200


def test_only_staff_reach_the_page(client, editor):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    editor.is_staff = False
    editor.save()
    client.force_login(editor)
    assert client.get(URL).status_code == 302
