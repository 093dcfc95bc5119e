"""The admin per role: which pages answer, what the forms do, what stays refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Quote
from tests.forms import form_data
from tests.public.test_public_queries import add_articles


def change_url(article):
    return reverse("admin:press_article_change", args=[article.pk])


def workflow_url(article, action):
    return reverse("admin:press_article_workflow", args=[article.pk, action])


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        (
            "admin:press_article_changelist",
            {"Redaktion": 200, "Freigabe": 200, "Administration": 200, "ohne Rolle": 403},
        ),
        (
            "admin:press_article_add",
            {"Redaktion": 200, "Freigabe": 200, "Administration": 403, "ohne Rolle": 403},
        ),
        (
            "admin:press_photo_add",
            {"Redaktion": 200, "Freigabe": 200, "Administration": 403, "ohne Rolle": 403},
        ),
        (
            "admin:press_topic_add",
            {"Redaktion": 403, "Freigabe": 200, "Administration": 403, "ohne Rolle": 403},
        ),
        (
            "admin:press_presscontact_add",
            {"Redaktion": 403, "Freigabe": 200, "Administration": 403, "ohne Rolle": 403},
        ),
        (
            "admin:auth_user_changelist",
            {"Redaktion": 403, "Freigabe": 403, "Administration": 200, "ohne Rolle": 403},
        ),
        (
            "admin:auth_user_add",
            {"Redaktion": 403, "Freigabe": 403, "Administration": 200, "ohne Rolle": 403},
        ),
        (
            "admin:auth_group_change",
            {"Redaktion": 403, "Freigabe": 403, "Administration": 200, "ohne Rolle": 403},
        ),
        (
            "admin:press_legalpage_add",
            {"Redaktion": 403, "Freigabe": 403, "Administration": 200, "ohne Rolle": 403},
        ),
    ],
)
def test_admin_pages_answer_per_role(login, users_by_role, url_name, expected):
    from django.contrib.auth.models import Group

    args = [Group.objects.get(name="Redaktion").pk] if url_name == "admin:auth_group_change" else []
    for role, status in expected.items():
        response = login(users_by_role[role]).get(reverse(url_name, args=args))
        assert response.status_code == status, f"{role} on {url_name}"


def test_anonymous_visitors_are_sent_to_the_login(client, draft_article):
    for url in [
        reverse("admin:press_article_changelist"),
        change_url(draft_article),
        workflow_url(draft_article, "publish"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_article_change_page_per_state_and_role(
    login, users_by_role, draft_article, published_article, withdrawn_article
):
    # Change page answers for everyone with view rights; editable only where the model allows.
    cases = [
        (draft_article, "Redaktion", True),
        (draft_article, "Freigabe", True),
        (draft_article, "Administration", False),
        (published_article, "Redaktion", False),
        (published_article, "Freigabe", True),
        (withdrawn_article, "Freigabe", False),
    ]
    for article, role, editable in cases:
        response = login(users_by_role[role]).get(change_url(article))
        assert response.status_code == 200
        assert ('name="title"' in response.content.decode()) is editable, (article.state, role)


def test_editor_creates_a_draft_through_the_admin(login, editor, press_contact, topic):
    client = login(editor)
    data = form_data(
        client.get(reverse("admin:press_article_add")).content.decode(), "article_form"
    )
    data.update(
        title=["Jobmesse in Halberstadt"],
        lead=["Über 60 Firmen stellen sich vor."],
        body=["<p>Text</p><script>x()</script>"],
        topics=[str(topic.pk)],
    )
    response = client.post(reverse("admin:press_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="Jobmesse in Halberstadt")
    assert article.state == "draft"
    assert article.body == "<p>Text</p>"
    assert article.created_by == editor
    assert [e.action for e in article.events.all()] == ["created"]


def test_editing_through_the_admin_records_the_edit(login, editor, draft_article):
    client = login(editor)
    data = form_data(client.get(change_url(draft_article)).content.decode(), "article_form")
    data["lead"] = ["Neuer Vorspann."]
    response = client.post(change_url(draft_article), data)
    assert response.status_code == 302
    draft_article.refresh_from_db()
    assert draft_article.lead == "Neuer Vorspann."
    assert draft_article.events.first().action == "edited"


def test_second_of_two_concurrent_admin_edits_is_refused_and_keeps_the_input(
    client, editor, second_editor, draft_article
):
    client.force_login(editor)
    mine = form_data(client.get(change_url(draft_article)).content.decode(), "article_form")
    client.force_login(second_editor)
    theirs = form_data(client.get(change_url(draft_article)).content.decode(), "article_form")

    theirs["title"] = ["Überschrift der Kollegin"]
    assert client.post(change_url(draft_article), theirs).status_code == 302

    client.force_login(editor)
    mine["title"] = ["Meine Überschrift"]
    response = client.post(change_url(draft_article), mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "inzwischen von jemand anderem gespeichert" in page
    assert "Meine Überschrift" in page, "the refused input is shown again, not lost"
    assert Article.objects.get(pk=draft_article.pk).title == "Überschrift der Kollegin"
    # What the colleague changed is shown, word by word …
    assert "Was die andere Person inzwischen geändert hat" in page
    assert "<ins>Kollegin</ins>" in page
    # … and saving the shown form again, after reviewing it, puts this version on top.
    again = form_data(page, "article_form")
    assert again["title"] == ["Meine Überschrift"]
    assert client.post(change_url(draft_article), again).status_code == 302
    assert Article.objects.get(pk=draft_article.pk).title == "Meine Überschrift"


def test_correcting_a_public_article_in_the_admin_needs_a_note(login, approver, published_article):
    client = login(approver)
    data = form_data(client.get(change_url(published_article)).content.decode(), "article_form")
    data["lead"] = ["Berichtigter Vorspann."]
    response = client.post(change_url(published_article), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=published_article.pk).lead != "Berichtigter Vorspann."

    data["correction_note"] = ["Zahl im Vorspann berichtigt."]
    response = client.post(change_url(published_article), data)
    assert response.status_code == 302
    published_article.refresh_from_db()
    assert (published_article.lead, published_article.change_note) == (
        "Berichtigter Vorspann.",
        "Zahl im Vorspann berichtigt.",
    )


def test_editor_cannot_post_changes_to_a_published_article(
    login, editor, approver, published_article
):
    data = form_data(
        login(approver).get(change_url(published_article)).content.decode(), "article_form"
    )
    data["title"] = ["Manipuliert"]
    data["correction_note"] = ["x"]
    response = login(editor).post(change_url(published_article), data)
    assert response.status_code == 403
    assert Article.objects.get(pk=published_article.pk).title != "Manipuliert"


def test_workflow_buttons_show_only_allowed_actions(login, editor, approver, in_review_article):
    editor_page = login(editor).get(change_url(in_review_article)).content.decode()
    assert workflow_url(in_review_article, "publish") not in editor_page
    approver_page = login(approver).get(change_url(in_review_article)).content.decode()
    assert workflow_url(in_review_article, "publish") in approver_page
    assert workflow_url(in_review_article, "return_to_draft") in approver_page


def test_approver_publishes_with_an_embargo_through_the_admin(login, approver, in_review_article):
    embargo = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    response = login(approver).post(
        workflow_url(in_review_article, "publish"),
        {
            "publish_at": embargo.strftime("%Y-%m-%dT%H:%M"),
            "comment": "",
            "version": in_review_article.version,
        },
    )
    assert response.status_code == 302
    in_review_article.refresh_from_db()
    assert in_review_article.publish_at == embargo
    assert in_review_article.is_scheduled()


def test_editor_posting_a_publish_is_refused_and_changes_nothing(login, editor, in_review_article):
    response = login(editor).post(workflow_url(in_review_article, "publish"), {"comment": ""})
    assert response.status_code == 200
    assert "Berechtigung" in response.content.decode()
    assert Article.objects.get(pk=in_review_article.pk).state == "in_review"


def test_return_to_draft_in_the_admin_requires_a_comment(login, approver, in_review_article):
    client = login(approver)
    response = client.post(workflow_url(in_review_article, "return_to_draft"), {"comment": ""})
    assert response.status_code == 200
    assert Article.objects.get(pk=in_review_article.pk).state == "in_review"
    response = client.post(
        workflow_url(in_review_article, "return_to_draft"), {"comment": "Bitte kürzen."}
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=in_review_article.pk).state == "draft"


def test_withdraw_in_the_admin_records_the_public_reason(login, approver, published_article):
    response = login(approver).post(
        workflow_url(published_article, "withdraw"), {"comment": "Termin abgesagt."}
    )
    assert response.status_code == 302
    published_article.refresh_from_db()
    assert (published_article.state, published_article.withdrawal_reason) == (
        "withdrawn",
        "Termin abgesagt.",
    )


def test_history_is_shown_on_the_article(login, approver, published_article):
    page = login(approver).get(change_url(published_article)).content.decode()
    for label in ["angelegt", "zur Freigabe eingereicht", "veröffentlicht"]:
        assert label in page
    assert "redakteurin" in page and "pressesprecher" in page


def test_preview_renders_any_state_as_the_public_would_see_it(login, editor, draft_article):
    response = login(editor).get(reverse("admin:press_article_preview", args=[draft_article.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert draft_article.title in page and "Vorschau" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_is_refused_without_view_rights(login, outsider, draft_article):
    response = login(outsider).get(reverse("admin:press_article_preview", args=[draft_article.pk]))
    assert response.status_code == 403


def test_publishing_from_the_list_without_review_is_not_offered(login, approver, in_review_article):
    """Publishing is of what the approver reviewed on the article's review page."""
    url = reverse("admin:press_article_changelist")
    client = login(approver)
    assert "publish_selected" not in client.get(url).content.decode()
    client.post(url, {"action": "publish_selected", "_selected_action": [in_review_article.pk]})
    assert Article.objects.get(pk=in_review_article.pk).state == "in_review"


@pytest.mark.parametrize(
    ("role", "status"), [("Redaktion", 403), ("Freigabe", 403), ("Administration", 200)]
)
def test_only_administration_reaches_the_delete_page_of_a_published_article(
    login, users_by_role, published_article, role, status
):
    url = reverse("admin:press_article_delete", args=[published_article.pk])
    assert login(users_by_role[role]).get(url).status_code == status


def test_bulk_delete_by_an_editor_leaves_a_published_article(
    login, editor, draft_article, published_article
):
    url = reverse("admin:press_article_changelist")
    login(editor).post(
        url,
        {"action": "delete_selected", "_selected_action": [published_article.pk], "post": "yes"},
    )
    assert Article.objects.filter(pk=published_article.pk).exists()


def test_changelist_query_count_does_not_grow_with_articles(
    login, approver, make_article, django_assert_max_num_queries
):
    client = login(approver)
    for number in range(3):
        make_article("draft", title=f"Artikel {number}")
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("admin:press_article_changelist"))
    for number in range(30):
        make_article("draft", title=f"Weiterer Artikel {number}")
    with django_assert_max_num_queries(15) as large:
        client.get(reverse("admin:press_article_changelist"))
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.postgres_only
def test_the_article_list_reads_its_page_along_an_index_instead_of_sorting_the_archive(
    login, approver, draft_article, topic, spokesperson, make_photo
):
    add_articles(3000, topic=topic, spokesperson=spokesperson, photo=make_photo(), start=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE press_article")
    with CaptureQueriesContext(connection) as queries:
        page = login(approver).get(reverse("admin:press_article_changelist"))
    assert page.status_code == 200
    [rows] = [query["sql"] for query in queries if query["sql"].endswith("LIMIT 50")]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {rows}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Scan using article_work_order" in plan, plan
    assert "Sort" not in plan, plan
    titles = [article.title for article in page.context["cl"].result_list]
    assert titles[0] == draft_article.title and titles[1] == "Jobcenter Meldung 0"


def test_publishing_in_the_past_is_refused_in_the_admin(login, approver, in_review_article):
    past = timezone.localtime(timezone.now() - timedelta(days=30))
    response = login(approver).post(
        workflow_url(in_review_article, "publish"), {"publish_at": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 200
    assert "Vergangenheit" in response.content.decode()
    assert Article.objects.get(pk=in_review_article.pk).state == "in_review"


def test_view_on_site_is_offered_only_for_public_articles(
    client, approver, draft_article, published_article
):
    client.force_login(approver)
    draft_page = client.get(f"/admin/press/article/{draft_article.pk}/change/").content.decode()
    public_page = client.get(
        f"/admin/press/article/{published_article.pk}/change/"
    ).content.decode()
    assert "viewsitelink" not in draft_page
    assert "viewsitelink" in public_page


def test_a_topic_added_in_the_admin_gets_a_german_slug(client, approver):
    """The slug is the model's (ä → ae), not what Django's URLify.js would pre-fill (ä → a)."""
    from press.models import Topic

    client.force_login(approver)
    response = client.post(
        "/admin/press/topic/add/", {"name": "Bürgergeld", "slug": "", "description": ""}
    )
    assert response.status_code == 302
    assert Topic.objects.get(name="Bürgergeld").slug == "buergergeld"
    page = client.get("/admin/press/topic/add/").content.decode()
    assert 'data-prepopulated-fields="[]"' in page  # no URLify.js pre-filling "burgergeld"


def test_a_draft_that_was_never_submitted_cannot_be_published_through_the_admin(
    login, approver, draft_article, in_review_article
):
    client = login(approver)
    assert (
        workflow_url(draft_article, "publish")
        not in client.get(change_url(draft_article)).content.decode()
    )
    page = client.post(workflow_url(draft_article, "publish"), {"comment": ""}).content.decode()
    assert "Nur eingereichte Artikel" in page
    in_review_article.return_to_draft(by=approver, comment="[Link folgt] ersetzen.")
    client.post(
        "/admin/press/article/",
        {
            "action": "publish_selected",
            "_selected_action": [draft_article.pk, in_review_article.pk],
        },
    )
    draft_article.refresh_from_db()
    in_review_article.refresh_from_db()
    assert draft_article.state == in_review_article.state == Article.State.DRAFT
    assert not Article.objects.published().exists()


def test_an_edit_of_the_quotes_alone_also_refuses_an_older_copy(
    client, editor, second_editor, draft_article, spokesperson
):
    Quote.objects.create(article=draft_article, spokesperson=spokesperson, text="Erste Fassung.")
    client.force_login(editor)
    mine = form_data(client.get(change_url(draft_article)).content.decode(), "article_form")
    client.force_login(second_editor)
    theirs = form_data(client.get(change_url(draft_article)).content.decode(), "article_form")

    theirs["quotes-0-text"] = ["Fassung der Kollegin."]
    assert client.post(change_url(draft_article), theirs).status_code == 302
    assert draft_article.events.first().action == "edited"

    client.force_login(editor)
    mine["quotes-0-text"] = ["Meine Fassung."]
    response = client.post(change_url(draft_article), mine)
    assert response.status_code == 200
    assert "inzwischen von jemand anderem gespeichert" in response.content.decode()
    assert list(draft_article.quotes.values_list("text", flat=True)) == ["Fassung der Kollegin."]


# --- the admin around the workflow (issue 11) -------------------------------------------------


def test_the_return_comment_is_shown_at_the_top_of_the_returned_draft(
    login, editor, approver, in_review_article
):
    in_review_article.return_to_draft(by=approver, comment="Bitte [Link folgt] ersetzen.")
    page = login(editor).get(change_url(in_review_article)).content.decode()
    note = page.find("Von der Freigabe zurückgegeben")
    assert note != -1 and "Bitte [Link folgt] ersetzen." in page
    assert note < page.find('name="title"'), "above the form"
    in_review_article.submit(by=editor)
    page = login(editor).get(change_url(in_review_article)).content.decode()
    assert "Von der Freigabe zurückgegeben" not in page, "answered by the new submission"


def test_the_article_list_shows_work_in_progress_first(
    login, editor, published_article, in_review_article, draft_article
):
    page = login(editor).get(reverse("admin:press_article_changelist")).content.decode()
    positions = [page.find(article.title) for article in (draft_article, in_review_article)]
    assert -1 not in positions
    assert max(positions) < page.find(published_article.title)


def test_bulk_delete_with_a_published_article_names_it_and_deletes_nothing(
    login, approver, draft_article, published_article
):
    response = login(approver).post(
        reverse("admin:press_article_changelist"),
        {"action": "delete_selected", "_selected_action": [draft_article.pk, published_article.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert published_article.title in page and "zurückziehen statt löschen" in page
    assert Article.objects.filter(pk__in=[draft_article.pk, published_article.pk]).count() == 2


def test_read_only_rich_text_is_rendered_not_shown_as_html(login, editor, published_article):
    page = login(editor).get(change_url(published_article)).content.decode()
    assert "<p>Text des Artikels.</p>" in page
    assert "&lt;p&gt;Text des Artikels." not in page


def test_the_history_names_people_and_links_to_no_account_page(
    login, editor, approver, in_review_article
):
    editor.first_name, editor.last_name = "Anna", "Schreiber"
    editor.save()
    page = login(editor).get(change_url(in_review_article)).content.decode()
    assert "Anna Schreiber" in page
    assert "/admin/auth/user/" not in page


def test_the_search_field_of_a_list_is_labelled_in_the_language_of_the_page(login, editor, db):
    client = login(editor)
    page = client.get(reverse("admin:press_article_changelist")).content.decode()
    assert '<label for="searchbar"><img src="/static/admin/img/search.svg" alt="Suchen">' in page
    page = client.get(
        reverse("admin:press_article_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'alt="Search"' in page
