"""Several processes act on the same article at the same moment, as several app servers would:
exactly one step wins, the others are refused, and the history tells exactly what happened.

PostgreSQL only (deselected on SQLite): it is the production database, and the test database
must be shared between processes, which pytest-django's in-memory SQLite is not.
"""

import multiprocessing
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.utils import timezone

from press.models import Article, ArticleEvent

pytestmark = [
    pytest.mark.postgres_only,
    # serialized_rollback: the roles made by data migrations survive the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def step(action: str, article_pk: int, user_pk: int, barrier, results) -> None:
    """In a child process: load the article, wait for the others, then all act at once."""
    connections.close_all()  # never share the parent's connection
    article = Article.objects.get(pk=article_pk)
    user = User.objects.get(pk=user_pk)
    barrier.wait(timeout=30)
    try:
        if action == "publish":
            article.publish(by=user)
        elif action == "publish_reviewed":
            # What this process loaded is what its approver saw on the review page.
            article.publish(by=user, version=article.version)
        elif action == "edit":
            article.body = f"<p>Ungeprüft aus Prozess {multiprocessing.current_process().pid}.</p>"
            article.edit(by=user)
        elif action == "return_to_draft":
            article.return_to_draft(by=user, comment="Bitte überarbeiten.")
        elif action == "withdraw":
            article.withdraw(by=user, reason="Zahlen falsch.")
        elif action == "correct":
            article.lead = f"Korrektur aus Prozess {multiprocessing.current_process().pid}."
            article.edit(by=user, change_note="Vorspann berichtigt.")
        results.put((action, "ok"))
    except Exception as error:  # noqa: BLE001 - the parent checks which errors occurred
        results.put((action, type(error).__name__))
    finally:
        connections.close_all()


def run_at_once(article: Article, actions: list[tuple[str, User]]) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(actions))
    results = context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=step, args=(action, article.pk, user.pk, barrier, results))
        for action, user in actions
    ]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcome


def assert_history_is_a_chain(article: Article) -> None:
    events = list(article.events.order_by("at", "id"))
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state, (before, after)
    assert events[-1].to_state == article.state


def test_concurrent_publish_and_return_from_several_processes(
    make_article, approver, second_approver
):
    article = make_article("in_review", title="Gleichzeitig geprüft")
    events_before = article.events.count()
    outcome = run_at_once(
        article,
        [
            ("publish", approver),
            ("publish", second_approver),
            ("return_to_draft", approver),
            ("return_to_draft", second_approver),
        ],
    )
    winners = [action for action, result in outcome if result == "ok"]
    assert len(winners) == 1, outcome
    assert {result for _, result in outcome} <= {"ok", "ConcurrentEditError", "WorkflowError"}
    article.refresh_from_db()
    assert article.state == ("published" if winners[0] == "publish" else "draft")
    assert article.events.count() == events_before + 1
    assert_history_is_a_chain(article)
    assert article.history.count() == events_before + 1


def test_concurrent_withdraw_and_corrections_from_several_processes(
    make_article, approver, second_approver
):
    article = make_article(
        "published", title="Gleichzeitig korrigiert", publish_at=timezone.now() - timedelta(1)
    )
    events_before = article.events.count()
    outcome = run_at_once(
        article,
        [
            ("withdraw", approver),
            ("withdraw", second_approver),
            ("correct", approver),
            ("correct", second_approver),
        ],
    )
    assert [result for _, result in outcome].count("ok") == 1, outcome
    article.refresh_from_db()
    assert article.state in {"published", "withdrawn"}
    assert article.events.count() == events_before + 1
    last = article.events.order_by("-at", "-id").first()
    if article.state == "withdrawn":
        assert last.action == ArticleEvent.Action.WITHDRAWN
        assert article.withdrawal_reason == "Zahlen falsch."
    else:
        assert last.action == ArticleEvent.Action.CORRECTED
        assert article.lead.startswith("Korrektur aus Prozess")
    assert_history_is_a_chain(article)


def test_edits_racing_a_publish_never_publish_unreviewed_content(
    make_article, editor, second_editor, approver
):
    article = make_article("in_review", title="Während der Prüfung bearbeitet")
    reviewed_body = article.body
    outcome = run_at_once(
        article,
        [("publish_reviewed", approver), ("edit", editor), ("edit", second_editor)],
    )
    assert [result for _, result in outcome].count("ok") == 1, outcome
    assert {result for _, result in outcome} <= {"ok", "ConcurrentEditError"}
    article.refresh_from_db()
    if article.state == "published":
        assert article.body == reviewed_body, "published exactly what was reviewed"
    else:
        assert article.state == "in_review" and article.body.startswith("<p>Ungeprüft")
        assert not Article.objects.published().exists()
    assert_history_is_a_chain(article)
