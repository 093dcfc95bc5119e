"""A seeded random walk through the workflow (issue 11): random people take random steps —
edit, submit, open the review page, return, publish, schedule, withdraw, correct — and after
every step, whatever the public sees or will see at the Sperrfrist is content that

- someone approved on the review page, exactly as they saw it, who had not changed it since
  its last approval (four eyes), or
- Freigabe corrected on the public article with a public note (their own, noted act).

Nothing is mocked: the model methods are the ones the admin calls.
"""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from press.models import Article, ArticleEvent, ConcurrentEditError
from tests.conftest import make_user

STEPS_PER_WALK = 200
SEEDS = [1, 2, 3]  # three walks of STEPS_PER_WALK: several hundred steps in all


def content(article: Article) -> tuple[str, str, str]:
    return (article.title, article.lead, article.body)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_steps_never_make_unapproved_content_public(db, seed, press_contact):
    rng = random.Random(seed)
    people = [
        make_user(f"redaktion{seed}a", "Redaktion"),
        make_user(f"redaktion{seed}b", "Redaktion"),
        make_user(f"freigabe{seed}a", "Freigabe"),
        make_user(f"freigabe{seed}b", "Freigabe"),
    ]
    writer = people[0]
    article = Article(title="Start", lead="Vorspann", body="<p>Text</p>")
    article.edit(by=writer)

    approved: set[tuple] = set()  # content someone other than its editors approved as seen
    corrected: set[tuple] = set()  # content Freigabe put on a public article with a note
    seen: dict[int, tuple[int, tuple]] = {}  # person → (version, content) on the review page
    taken: list[str] = []

    for number in range(STEPS_PER_WALK):
        step = rng.choice(
            ["edit", "edit", "submit", "submit", "review", "review", "review", "publish",
             "publish", "publish", "schedule", "return", "withdraw", "correct"]
        )  # fmt: skip
        # Mostly Redaktion writes and Freigabe reviews, but anyone may try anything.
        usual = people[:2] if step in ("edit", "submit") else people[2:]
        person = rng.choice(usual) if rng.random() < 0.85 else rng.choice(people)
        current = Article.objects.get(pk=article.pk)
        editors_before = current.editor_ids()
        if step == "correct" and not current.is_public():
            continue  # a correction is of a public article; anything else is an edit
        try:
            if step == "edit" or step == "correct":
                current.body = f"<p>Fassung {number} von {person.username}</p>"
                note = "Berichtigt." if step == "correct" else ""
                current.edit(by=person, change_note=note)
                if current.is_public():
                    corrected.add(content(current))
            elif step == "submit":
                current.submit(by=person)
            elif step == "review":
                seen[person.pk] = (current.version, content(current))
                continue
            elif step in ("publish", "schedule"):
                if person.pk not in seen:
                    continue
                version, reviewed = seen[person.pk]
                at = timezone.now() + timedelta(days=1) if step == "schedule" else None
                current.publish(by=person, at=at, version=version)
                # What went out is exactly what this person saw, and they had not changed it.
                assert content(current) == reviewed, (seed, number)
                assert person.pk not in editors_before, (seed, number)
                approved.add(reviewed)
            elif step == "return":
                current.return_to_draft(by=person, comment="Bitte überarbeiten.")
            elif step == "withdraw":
                current.withdraw(by=person, reason="Überholt.")
        except (PermissionDenied, ValidationError, ConcurrentEditError):
            continue
        taken.append(step)

        stored = Article.objects.get(pk=article.pk)
        # Public now, or public at its Sperrfrist: only approved or noted content.
        if stored.state == Article.State.PUBLISHED:
            assert content(stored) in approved | corrected, (seed, number, taken[-5:])
        if stored.state == Article.State.WITHDRAWN:
            # The end of one article's life; the walk goes on with the next one.
            article = Article(title=f"Neu {number}", lead="Vorspann", body="<p>Text</p>")
            article.edit(by=writer)
            seen.clear()

    # The walk really went through the workflow, approvals and refusals alike.
    assert {"edit", "submit", "return"} <= set(taken), taken
    assert taken.count("publish") + taken.count("schedule") >= 2, taken
    corrections = ArticleEvent.objects.filter(action=ArticleEvent.Action.CORRECTED)
    assert all(event.comment for event in corrections), "every correction has its public note"
