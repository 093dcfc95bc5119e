"""The editorial workflow: each transition allowed and refused per role and per state."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from press.models import Article, ArticleEvent, FourEyesViolation, WorkflowError

ROLES = ["Redaktion", "Freigabe", "Administration", "ohne Rolle", "anonym"]


def run(action: str, article: Article, user) -> None:
    if action == "submit":
        article.submit(by=user)
    elif action == "return_to_draft":
        article.return_to_draft(by=user, comment="Bitte Zahlen prüfen.")
    elif action == "publish":
        article.publish(by=user)
    elif action == "publish_with_original_date":
        article.publish_with_original_date(by=user)
    elif action == "withdraw":
        article.withdraw(by=user, reason="Veraltete Angaben.")
    elif action == "edit":
        article.title = "Geänderte Überschrift"
        article.edit(by=user, change_note="Tippfehler in der Überschrift korrigiert.")
    else:  # pragma: no cover - a typo in the test table
        raise AssertionError(action)


def snapshot(article: Article) -> tuple:
    article = Article.objects.get(pk=article.pk)
    return (
        article.state,
        article.title,
        article.publish_at,
        article.version,
        article.events.count(),
    )


@pytest.fixture
def user_for(users_by_role):
    def pick(role: str):
        return AnonymousUser() if role == "anonym" else users_by_role[role]

    return pick


ROLE_CASES = [
    # action, starting fixture, roles that may do it
    ("submit", "draft_article", {"Redaktion", "Freigabe"}),
    ("edit", "draft_article", {"Redaktion", "Freigabe"}),
    ("edit", "in_review_article", {"Redaktion", "Freigabe"}),
    ("return_to_draft", "in_review_article", {"Freigabe"}),
    ("publish", "in_review_article", {"Freigabe"}),
    ("return_to_draft", "scheduled_article", {"Freigabe"}),
    ("withdraw", "published_article", {"Freigabe"}),
    ("edit", "published_article", {"Freigabe"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "fixture", "allowed_roles"), ROLE_CASES)
def test_transition_is_allowed_exactly_for_its_roles(
    request, user_for, role, action, fixture, allowed_roles
):
    article = request.getfixturevalue(fixture)
    before = snapshot(article)
    user = user_for(role)
    if role in allowed_roles:
        run(action, article, user)
        after = snapshot(article)
        assert after != before
        assert after[4] == before[4] + 1, "every transition adds one history entry"
        event = Article.objects.get(pk=article.pk).events.first()
        assert event.by == user
        assert event.from_state == before[0]
        assert event.to_state == after[0]
    else:
        with pytest.raises(PermissionDenied):
            run(action, article, user)
        assert snapshot(article) == before, "a refused transition changes nothing"


STATE_CASES = [
    # action, fixtures it is illegal from (even for Freigabe)
    (
        "submit",
        ["in_review_article", "published_article", "scheduled_article", "withdrawn_article"],
    ),
    ("return_to_draft", ["draft_article", "published_article", "withdrawn_article"]),
    ("publish", ["published_article", "withdrawn_article"]),
    ("withdraw", ["draft_article", "in_review_article", "withdrawn_article"]),
    ("edit", ["withdrawn_article"]),
]


@pytest.mark.parametrize(
    ("action", "fixture"),
    [(action, fixture) for action, fixtures in STATE_CASES for fixture in fixtures],
)
def test_illegal_transition_raises_a_clear_error_and_changes_nothing(
    request, second_approver, action, fixture
):
    article = request.getfixturevalue(fixture)
    before = snapshot(article)
    with pytest.raises(WorkflowError) as error:
        run(action, article, second_approver)
    assert error.value.messages[0]
    assert snapshot(article) == before
    assert article.state == before[0], "the instance in memory is unchanged too"


def test_submit_moves_a_draft_into_review(draft_article, editor):
    draft_article.submit(by=editor, comment="Bitte bis Freitag freigeben.")
    draft_article.refresh_from_db()
    assert draft_article.state == Article.State.IN_REVIEW
    event = draft_article.events.first()
    assert (event.action, event.comment) == (
        ArticleEvent.Action.SUBMITTED,
        "Bitte bis Freitag freigeben.",
    )


def test_publish_without_a_time_is_public_at_once(in_review_article, approver):
    in_review_article.publish(by=approver)
    assert in_review_article.is_public()
    assert in_review_article.events.first().action == ArticleEvent.Action.PUBLISHED


def test_publish_with_a_future_time_schedules_the_article(in_review_article, approver):
    embargo = timezone.now() + timedelta(hours=3)
    in_review_article.publish(by=approver, at=embargo)
    in_review_article.refresh_from_db()
    assert in_review_article.state == Article.State.PUBLISHED
    assert in_review_article.publish_at == embargo
    assert in_review_article.is_scheduled()
    assert not in_review_article.is_public()
    assert in_review_article.events.first().action == ArticleEvent.Action.SCHEDULED


def test_a_scheduled_article_can_be_rescheduled(scheduled_article, second_approver):
    new_time = timezone.now() + timedelta(days=5)
    scheduled_article.publish(by=second_approver, at=new_time)
    scheduled_article.refresh_from_db()
    assert scheduled_article.publish_at == new_time


def test_return_to_draft_needs_a_comment(in_review_article, approver):
    with pytest.raises(WorkflowError):
        in_review_article.return_to_draft(by=approver, comment="   ")
    assert Article.objects.get(pk=in_review_article.pk).state == Article.State.IN_REVIEW


def test_return_to_draft_records_the_comment_for_the_writer(in_review_article, approver):
    in_review_article.return_to_draft(by=approver, comment="Zitat fehlt.")
    event = in_review_article.events.first()
    assert (event.action, event.comment, event.to_state) == ("returned", "Zitat fehlt.", "draft")


def test_returning_a_scheduled_article_clears_its_embargo(scheduled_article, approver):
    scheduled_article.return_to_draft(by=approver, comment="Termin verschoben.")
    scheduled_article.refresh_from_db()
    assert (scheduled_article.state, scheduled_article.publish_at) == ("draft", None)


def test_withdraw_needs_a_public_reason(published_article, approver):
    with pytest.raises(WorkflowError):
        published_article.withdraw(by=approver, reason="")
    assert Article.objects.get(pk=published_article.pk).is_public()


def test_withdraw_records_reason_and_date(published_article, approver):
    published_article.withdraw(by=approver, reason="Die Veranstaltung fällt aus.")
    published_article.refresh_from_db()
    assert published_article.state == Article.State.WITHDRAWN
    assert published_article.withdrawal_reason == "Die Veranstaltung fällt aus."
    assert published_article.withdrawn_at is not None
    assert not published_article.is_public()
    assert published_article.has_been_public()


def test_correcting_a_public_article_needs_a_change_note(published_article, approver):
    published_article.title = "Neue Überschrift"
    with pytest.raises(WorkflowError):
        published_article.edit(by=approver, change_note="")
    assert Article.objects.get(pk=published_article.pk).title != "Neue Überschrift"


def test_correction_sets_the_public_change_note(published_article, approver):
    published_article.lead = "Berichtigter Vorspann."
    published_article.edit(by=approver, change_note="Datum im Vorspann berichtigt.")
    published_article.refresh_from_db()
    assert published_article.change_note == "Datum im Vorspann berichtigt."
    assert published_article.corrected_at is not None
    assert published_article.is_public()
    assert published_article.events.first().action == ArticleEvent.Action.CORRECTED


def test_new_articles_start_as_drafts_with_a_created_entry(editor, press_contact):
    article = Article(title="Jobmesse in Wernigerode")
    article.edit(by=editor)
    assert article.state == Article.State.DRAFT
    assert article.created_by == editor
    assert article.press_contact == press_contact, "the default press contact is assigned"
    assert [event.action for event in article.events.all()] == ["created"]


def test_administration_cannot_write_articles(administrator):
    with pytest.raises(PermissionDenied):
        Article(title="Ohne Berechtigung").edit(by=administrator)
    assert not Article.objects.exists()


def test_database_refuses_a_published_article_without_date(draft_article):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=draft_article.pk).update(state="published")


def test_deactivated_user_can_no_longer_move_articles(in_review_article, approver):
    approver.is_active = False
    approver.save()
    with pytest.raises(PermissionDenied):
        in_review_article.publish(by=approver)


# --- four-eyes rule ------------------------------------------------------------------------


def test_the_last_editor_may_not_publish(in_review_article, approver):
    in_review_article.lead = "Vom Freigeber geändert."
    in_review_article.edit(by=approver)
    with pytest.raises(FourEyesViolation):
        in_review_article.publish(by=approver)
    assert Article.objects.get(pk=in_review_article.pk).state == Article.State.IN_REVIEW


def test_another_approver_may_publish_after_an_approvers_edit(
    in_review_article, approver, second_approver
):
    in_review_article.lead = "Vom Freigeber geändert."
    in_review_article.edit(by=approver)
    in_review_article.publish(by=second_approver)
    assert in_review_article.is_public()


def test_an_approver_who_wrote_the_article_alone_may_not_publish_it(approver, press_contact):
    article = Article(title="Selbst geschrieben")
    article.edit(by=approver)
    article.submit(by=approver)
    with pytest.raises(FourEyesViolation):
        article.publish(by=approver)


def test_the_four_eyes_rule_can_be_switched_off(settings, approver, press_contact):
    settings.NEWSROOM_FOUR_EYES = False
    article = Article(title="Kleine Meldung")
    article.edit(by=approver)
    article.submit(by=approver)
    article.publish(by=approver)
    assert article.is_public()


def test_four_eyes_rule_blocks_publishing_in_allowed_actions(
    in_review_article, approver, second_approver
):
    in_review_article.lead = "geändert"
    in_review_article.edit(by=approver)
    assert "publish" not in in_review_article.allowed_actions(approver)
    assert "publish" in in_review_article.allowed_actions(second_approver)


# --- deleting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "role", "may_delete"),
    [
        ("draft_article", "Redaktion", True),
        ("draft_article", "Freigabe", True),
        ("published_article", "Redaktion", False),
        ("published_article", "Freigabe", False),
        ("published_article", "Administration", True),
        ("withdrawn_article", "Freigabe", False),
        ("withdrawn_article", "Administration", True),
        ("draft_article", "ohne Rolle", False),
    ],
)
def test_published_articles_are_deleted_only_by_administration(
    request, users_by_role, fixture, role, may_delete
):
    article = request.getfixturevalue(fixture)
    user = users_by_role[role]
    assert article.can_delete(user) is may_delete
    if may_delete:
        article.delete_by(user)
        assert not Article.objects.filter(pk=article.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            article.delete_by(user)
        assert Article.objects.filter(pk=article.pk).exists()


def test_validation_error_is_the_base_of_workflow_errors():
    # Callers (admin, importer) catch ValidationError for every refusal that is about the state.
    assert issubclass(WorkflowError, ValidationError)
    assert issubclass(FourEyesViolation, PermissionDenied)


def test_the_steps_of_the_table_are_what_an_article_offers_and_takes(make_article, approver):
    """press.workflow.STEPS is the one description of the workflow: every step it lists is
    offered exactly from the stages it names (to Freigabe, who holds every step's permission),
    and taking it from each of those stages enters the state it names."""
    from press.workflow import STEPS, Stage

    def article_in(stage: Stage) -> Article:
        # Every article has what any step requires (an imported release's date).
        imported = {"release_date": timezone.localdate() - timedelta(days=400)}
        if stage == Stage.SCHEDULED:
            return make_article(
                "published", publish_at=timezone.now() + timedelta(days=1), **imported
            )
        return make_article("published" if stage == Stage.PUBLIC else stage.value, **imported)

    for stage in Stage:
        article = article_in(stage)
        assert article.stage() == stage
        offered = set(article.allowed_actions(approver))
        assert offered == {name for name, step in STEPS.items() if stage in step.leaves}, stage
    for name, step in STEPS.items():
        for stage in step.leaves:
            article = article_in(stage)
            run(name, article, approver)
            assert article.state == step.enters, (name, stage)
            assert article.events.first().action in {step.records, "scheduled"}


def test_only_a_submitted_article_can_be_published(draft_article, in_review_article, approver):
    with pytest.raises(WorkflowError, match="Nur eingereichte Artikel"):
        draft_article.publish(by=approver)
    in_review_article.return_to_draft(by=approver, comment="[Link folgt] ersetzen.")
    with pytest.raises(WorkflowError):
        in_review_article.publish(by=approver)
    assert not Article.objects.published().exists()


def test_a_writer_deletes_only_their_own_drafts_and_freigabe_the_approved_ones(
    make_article, editor, second_editor, approver, administrator
):
    own, scheduled = (
        make_article("draft"),
        make_article("published", publish_at=timezone.now() + timedelta(days=1)),
    )
    assert own.created_by == editor
    assert not own.can_delete(second_editor)
    with pytest.raises(PermissionDenied):
        own.delete_by(second_editor)
    assert not scheduled.can_delete(editor)
    with pytest.raises(PermissionDenied):
        scheduled.delete_by(editor)
    assert scheduled.can_delete(approver) and scheduled.can_delete(administrator)
    own.delete_by(editor)
    scheduled.delete_by(approver)
    assert not Article.objects.filter(pk__in=[own.pk, scheduled.pk]).exists()
