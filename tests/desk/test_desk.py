"""The desk (Schreibtisch), the admin's start page of Redaktion and Freigabe: per person and role
what is to do, each entry linked to its next step (issue 13, "Desk")."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from press.models import Article, ArticleEvent, Author, FourEyesViolation
from tests.desk.conftest import DESK, change_url, preview_url, review_url, section

pytestmark = pytest.mark.django_db


def berlin(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def submitted_at(article, moment) -> None:
    ArticleEvent.objects.filter(article=article, action="submitted").update(at=moment)


# --- the start page ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_redaktion_and_freigabe_start_on_the_desk(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == DESK


def test_administration_keeps_the_model_list_with_a_link_to_the_desk(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:auth_user_changelist") in html
    assert f'href="{DESK}"' in html


def test_superusers_keep_the_model_list(client, db):
    client.force_login(User.objects.create_superuser("chefin", "chefin@example.org", "x"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:auth_group_changelist") in response.content.decode()


def test_the_admin_index_keeps_its_address():
    assert reverse("admin:index") == "/admin/"


def test_the_desk_sends_a_visitor_to_the_log_in(client):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_a_role_may_not_open_the_desk(client, outsider):
    client.force_login(outsider)
    assert client.get(DESK).status_code == 403


def test_the_desk_offers_every_admin_area_of_the_person(desk_as, editor):
    html = desk_as(editor)
    assert reverse("admin:press_photo_changelist") in html
    assert reverse("admin:press_article_add") in html
    assert reverse("admin:auth_user_changelist") not in html


# --- Meine Entwürfe ------------------------------------------------------------------------------


def test_my_drafts_are_the_drafts_i_created_or_am_an_author_of(
    desk_as, make_article, editor, second_editor
):
    mine = make_article("draft", title="Von mir angelegt")
    theirs = Article(title="Von der Kollegin, ich schreibe mit")
    theirs.edit(by=second_editor)
    theirs.authors.add(Author.objects.create(name="Redakteurin", user=editor))
    other = Article(title="Nur von der Kollegin")
    other.edit(by=second_editor)
    make_article("in_review", title="Von mir eingereicht")

    drafts = section(desk_as(editor), "meine-entwuerfe")

    assert mine.title in drafts
    assert theirs.title in drafts
    assert other.title not in drafts
    assert "Von mir eingereicht" not in drafts


def test_my_drafts_link_to_their_form_and_preview(desk_as, draft_article, editor):
    drafts = section(desk_as(editor), "meine-entwuerfe")
    assert f'href="{change_url(draft_article)}"' in drafts
    assert f'href="{preview_url(draft_article)}"' in drafts


def test_a_draft_sent_back_shows_the_latest_comment_of_freigabe(
    desk_as, in_review_article, editor, approver
):
    approver.first_name, approver.last_name = "Thomas", "Brandt"
    approver.save()
    in_review_article.return_to_draft(by=approver, comment="Bitte die Zahlen prüfen.")
    in_review_article.submit(by=editor)
    in_review_article.return_to_draft(by=approver, comment="Der Link fehlt noch.")

    drafts = section(desk_as(editor), "meine-entwuerfe")

    assert "Der Link fehlt noch." in drafts
    assert "Bitte die Zahlen prüfen." not in drafts
    assert "Thomas Brandt" in drafts


def test_a_draft_never_sent_back_shows_no_comment(desk_as, draft_article, editor):
    assert "Zurückgegeben" not in section(desk_as(editor), "meine-entwuerfe")


# --- Wartet auf Freigabe ------------------------------------------------------------------------


def test_freigabe_sees_what_waits_oldest_submission_first_with_who_and_when(
    desk_as, make_article, approver, editor
):
    editor.first_name, editor.last_name = "Jana", "Winkler"
    editor.save()
    newer = make_article("in_review", title="Später eingereicht")
    older = make_article("in_review", title="Früher eingereicht")
    submitted_at(newer, timezone.now() - timedelta(hours=1))
    submitted_at(older, berlin(2026, 1, 5, 9, 45))

    waiting = section(desk_as(approver), "wartet-auf-freigabe")

    assert waiting.index(older.title) < waiting.index(newer.title)
    assert "Jana Winkler" in waiting
    assert "09:45" in waiting
    assert f'href="{review_url(older)}"' in waiting


def test_freigabe_is_told_which_articles_the_four_eyes_rule_keeps_from_them(
    desk_as, make_article, approver
):
    edited = make_article("in_review", title="Von der Freigabe mitbearbeitet")
    edited.lead = "Von der Freigabe umgeschrieben."
    edited.edit(by=approver)
    untouched = make_article("in_review", title="Nur von der Redaktion")

    waiting = section(desk_as(approver), "wartet-auf-freigabe")
    rows = {
        title: row
        for row in re.findall(r"<tr.*?</tr>", waiting, re.S)
        for title in [edited.title, untouched.title]
        if title in row
    }

    assert "Vier-Augen-Prinzip" in rows[edited.title]
    assert review_url(edited) not in rows[edited.title]
    assert "Vier-Augen-Prinzip" not in rows[untouched.title]
    assert review_url(untouched) in rows[untouched.title]
    # The mark says what the step itself would say.
    with pytest.raises(FourEyesViolation):
        edited.publish(by=approver)
    untouched.publish(by=approver)


def test_without_the_four_eyes_rule_nothing_is_marked(desk_as, make_article, approver, settings):
    settings.NEWSROOM_FOUR_EYES = False
    edited = make_article("in_review")
    edited.lead = "Von der Freigabe umgeschrieben."
    edited.edit(by=approver)
    waiting = section(desk_as(approver), "wartet-auf-freigabe")
    assert "Vier-Augen-Prinzip" not in waiting
    assert review_url(edited) in waiting


def test_redaktion_sees_its_own_submissions_waiting_without_a_review_link(
    desk_as, make_article, editor, second_editor
):
    mine = make_article("in_review", title="Meine Einreichung")
    theirs = Article(title="Einreichung der Kollegin", lead="Vorspann.")
    theirs.edit(by=second_editor)
    theirs.submit(by=second_editor)

    waiting = section(desk_as(editor), "wartet-auf-freigabe")

    assert mine.title in waiting
    assert theirs.title not in waiting
    assert review_url(mine) not in waiting
    assert preview_url(mine) in waiting


def test_a_scheduled_article_edited_again_waits_since_it_went_back(
    desk_as, scheduled_article, editor, approver
):
    scheduled_article.lead = "Neu geschrieben."
    scheduled_article.edit(by=editor)
    assert scheduled_article.state == Article.State.IN_REVIEW
    assert scheduled_article.title in section(desk_as(approver), "wartet-auf-freigabe")


# --- Mit Sperrfrist --------------------------------------------------------------------------


def in_days(days: int, hour: int, minute: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return berlin(day.year, day.month, day.day, hour, minute)


def test_scheduled_articles_are_listed_soonest_first_with_their_minute_in_berlin(
    desk_as, make_article, editor, published_article, withdrawn_article, in_review_article
):
    later = make_article("published", title="Sperrfrist später", publish_at=in_days(9, 10, 0))
    sooner = make_article("published", title="Sperrfrist bald", publish_at=in_days(3, 7, 45))

    scheduled = section(desk_as(editor), "mit-sperrfrist")
    listed = scheduled.split("<table", 2)[1]  # the list, before the calendar

    assert listed.index(sooner.title) < listed.index(later.title)
    assert "07:45" in listed  # 06:45 or 05:45 in UTC
    for hidden in (published_article, withdrawn_article, in_review_article):
        assert hidden.title not in scheduled
    assert f'href="{preview_url(sooner)}"' in listed


def test_freigabe_reaches_the_publish_page_of_a_scheduled_article(
    desk_as, scheduled_article, approver, editor
):
    assert review_url(scheduled_article) in section(desk_as(approver), "mit-sperrfrist")
    assert review_url(scheduled_article) not in section(desk_as(editor), "mit-sperrfrist")
    assert change_url(scheduled_article) in section(desk_as(editor), "mit-sperrfrist")


def calendar_cell(html: str, day) -> str:
    match = re.search(rf'<td[^>]*>\s*<time datetime="{day:%Y-%m-%d}".*?</td>', html, re.S)
    return match.group(0) if match else ""


def test_the_month_calendar_puts_each_release_on_its_day_at_its_minute(
    desk_as, make_article, editor
):
    moment = in_days(40, 23, 30)  # late in the evening: another day in UTC in winter and summer
    article = make_article("published", title="Im nächsten Monat", publish_at=moment)
    day = moment.date()

    html = desk_as(editor, f"?ansicht=monat&datum={day:%Y-%m-%d}")
    cell = calendar_cell(section(html, "mit-sperrfrist"), day)

    assert article.title in cell
    assert "23:30" in cell
    assert article.title not in calendar_cell(html, day + timedelta(days=1))


def test_the_week_calendar_shows_the_seven_days_from_monday(desk_as, make_article, editor):
    moment = in_days(10, 12, 0)
    article = make_article("published", title="In dieser Woche", publish_at=moment)
    day = moment.date()
    monday = day - timedelta(days=day.weekday())

    html = section(desk_as(editor, f"?ansicht=woche&datum={day:%Y-%m-%d}"), "mit-sperrfrist")
    calendar = html.split('class="desk-calendar', 1)[1]

    shown = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', calendar)
    assert shown == [f"{monday + timedelta(days=n):%Y-%m-%d}" for n in range(7)]
    assert article.title in calendar_cell(calendar, day)


def test_the_calendar_leads_to_the_previous_and_next_month(desk_as, editor):
    html = section(desk_as(editor, "?ansicht=monat&datum=2027-01-15"), "mit-sperrfrist")
    assert "ansicht=monat&amp;datum=2026-12-01" in html
    assert "ansicht=monat&amp;datum=2027-02-01" in html


@pytest.mark.parametrize(
    "query",
    [
        "?ansicht=jahr",
        "?datum=morgen",
        "?datum=2026-02-30",
        "?datum=0001-01-01",
        "?datum=9999-12-31&ansicht=woche",
        "?datum=9999-12-31",
        "?datum=%00",
        "?ansicht=woche&ansicht=monat&datum=2026-01-01&datum=x",
        "?datum=" + "9" * 5000,
    ],
)
def test_odd_calendar_parameters_show_a_calendar_not_an_error(desk_as, editor, query):
    assert 'class="desk-calendar' in desk_as(editor, query)


# --- Zuletzt veröffentlicht ---------------------------------------------------------------------


def test_recently_published_shows_the_ten_newest_public_articles(
    desk_as, editor, make_article, scheduled_article, withdrawn_article
):
    now = timezone.now()
    articles = [
        make_article(
            "published", title=f"Meldung Nummer {n:02}", publish_at=now - timedelta(days=n)
        )
        for n in range(1, 12)
    ]

    recent = section(desk_as(editor), "zuletzt-veroeffentlicht")

    shown = re.findall(r"Meldung Nummer \d\d", recent)
    assert shown == [article.title for article in articles[:10]]
    assert scheduled_article.title not in recent
    assert withdrawn_article.title not in recent
    assert f'href="{articles[0].get_absolute_url()}"' in recent


# --- markup ---------------------------------------------------------------------------------


def test_the_desk_has_no_inline_script_and_every_header_cell_has_a_scope(
    desk_as, approver, make_article, in_review_article, scheduled_article, published_article
):
    make_article("draft", title="Ein Entwurf der Freigabe")
    html = desk_as(approver)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    header_cells = re.findall(r"<th\b[^>]*>", html)
    assert header_cells
    assert all("scope=" in cell for cell in header_cells)
    assert "<h1>" in html and html.count("<h2") >= 4
