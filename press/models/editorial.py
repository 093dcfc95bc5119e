"""The editorial methods of an article: edit, restore, and the steps of `press.workflow.STEPS`.

`Article` inherits them; they are here so that the article's fields and its workflow read
separately. Each method checks permission and stage, acts in a transaction and appends to the
article's history (`ArticleEvent`); a refusal raises WorkflowError, FourEyesViolation or
PermissionDenied with a sentence that says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from press.sanitize import comparable
from press.workflow import (
    FOUR_EYES,
    STEPS,
    FourEyesViolation,
    State,
    Step,
    WorkflowError,
    require_permission,
)

from .history import ArticleEvent

CHANGE_NOTE_MISSING = _(
    "Eine Korrektur eines öffentlichen Artikels braucht einen Korrekturhinweis; er wird "
    "öffentlich angezeigt."
)
REOPENED_NOTE = _(
    "Der Inhalt wurde nach der Freigabe geändert; der Artikel muss erneut freigegeben werden."
)
ADVANCE_COPIES_NEED_SPERRFRIST = _(
    "Vorab-Exemplare gibt es nur für einen Artikel mit Sperrfrist: bitte einen Zeitpunkt in "
    "der Zukunft angeben."
)
CHANGED_SINCE_REVIEW = _(
    "Der Artikel wurde geändert, seit Sie ihn zur Prüfung geöffnet haben. Bitte prüfen Sie "
    "die neue Fassung, bevor Sie ihn veröffentlichen."
)


class EditorialMixin:
    """The workflow's methods of `Article` (which provides state, stage() and the fields)."""

    def allowed_actions(self, user) -> list[str]:
        """Names of the steps (`press.workflow.STEPS`) `user` may take on this article now."""
        allowed = []
        for step in STEPS.values():
            try:
                self._check_step(step, user)
            except (PermissionDenied, ValidationError):
                continue
            allowed.append(step.name)
        return allowed

    def can_edit(self, user) -> bool:
        try:
            self._check_edit(user)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def can_delete(self, user) -> bool:
        """Who may delete the article now. What has been public is withdrawn, not deleted, and
        only Administration (delete_published_article) deletes it, and anything else; an
        approved, scheduled article only Freigabe (review_article); a draft or an article in
        review its creator or Freigabe."""
        if not (user and user.is_active):
            return False
        if user.has_perm("press.delete_published_article"):
            return True
        if self.pk and self.has_been_public():
            return False
        if not user.has_perm("press.delete_article"):
            return False
        if user.has_perm("press.review_article"):
            return True
        return not self.is_scheduled() and (self.pk is None or self.created_by_id == user.pk)

    # What the public sees of an article's own row; a change to any of them is a correction
    # of a public article and takes a scheduled one back to review. Related content (photos,
    # quotes) is named by the caller of `edit()`, which knows the forms.
    PUBLIC_FIELDS = (
        "kind",
        "kicker",
        "title",
        "slug",
        "lead",
        "body",
        "lead_photo_id",
        "press_contact_id",
    )

    def changed_content(self) -> list[str]:
        """Names of `PUBLIC_FIELDS` whose value differs from the stored row in a way a reader
        could see (`press.sanitize.comparable`); all of them for an unsaved article. One
        query."""
        if self._state.adding or self.pk is None:
            return list(self.PUBLIC_FIELDS)
        stored = type(self).objects.filter(pk=self.pk).values(*self.PUBLIC_FIELDS).first() or {}
        return [
            name
            for name in self.PUBLIC_FIELDS
            if comparable(stored.get(name)) != comparable(getattr(self, name))
        ]

    def edit(
        self,
        *,
        by,
        change_note: str = "",
        related_changes: Iterable[str] = (),
        action: str = "",
        comment: str = "",
        notify_distribution_list: bool = False,
    ) -> list[str]:
        """Save changes made by `by` and record them in the history; returns the names of the
        fields whose public content changed (`changed_content()` plus `related_changes`, e.g.
        "quotes" or "photos").

        - A change of what the public sees of a public article is a correction: it needs a
          public `change_note` (WorkflowError without one), which stays on the article page
          with its date. A save that changes nothing the public sees (topics, authors, or
          CKEditor's re-serialised body) needs none.
        - A scheduled article was approved as it was: a content change takes it back to
          review (history: "nach Änderung erneut in Prüfung"), its Sperrfrist kept as a
          proposal.
        - `action` and `comment` name the history entry of an edit that is not a correction
          (default "bearbeitet"), e.g. a restore.
        - `notify_distribution_list`: the approver's choice "Korrektur an den Verteiler
          senden", kept on the CORRECTED history entry (`ArticleEvent.notify_distribution_list`)
          and ignored for any other kind of save: only a correction is sent to the list.
        """
        self._check_edit(by)
        self._history_user = by
        if self._state.adding:
            self.created_by = by
            self._change_reason = ArticleEvent.Action.CREATED
            self.save()
            self.record(ArticleEvent.Action.CREATED, by=by, from_state="")
            return list(self.PUBLIC_FIELDS)
        changes = [*self.changed_content(), *related_changes]
        if changes and self.needs_change_note():
            if not change_note.strip():
                raise WorkflowError(CHANGE_NOTE_MISSING)
            with transaction.atomic():
                self.change_note = change_note.strip()
                self.corrected_at = timezone.now()
                self._change_reason = ArticleEvent.Action.CORRECTED
                self.save()
                self.record(
                    ArticleEvent.Action.CORRECTED,
                    by=by,
                    comment=self.change_note,
                    notify_distribution_list=notify_distribution_list,
                )
                if action:
                    self.record(action, by=by, comment=comment)
            return changes
        if changes and self.is_scheduled():
            with transaction.atomic():
                from_state = self.state
                self.state = State.IN_REVIEW
                self._change_reason = ArticleEvent.Action.REOPENED
                self.save()
                self.record(
                    ArticleEvent.Action.REOPENED,
                    by=by,
                    comment=comment or str(REOPENED_NOTE),
                    from_state=from_state,
                )
            return changes
        with transaction.atomic():
            action = action or ArticleEvent.Action.EDITED
            self._change_reason = action
            self.save()
            self.record(action, by=by, comment=comment)
        return changes

    # What a restored revision brings back. The slug stays: it is frozen once public.
    RESTORED_FIELDS = (
        "kind",
        "kicker",
        "title",
        "lead",
        "body",
        "lead_photo_id",
        "press_contact_id",
    )

    def restore(self, revision, *, by, change_note: str = "") -> list[str]:
        """Bring back the content of an earlier revision as an edit by `by`: the same rules
        apply (a public article needs a change note), and the history grows instead of being
        rewritten ("aus einer früheren Fassung wiederhergestellt", with the revision's date).
        A lead photo or press contact of the revision that has been deleted since is left
        empty (the default contact then applies); returns a sentence for each."""
        if revision.id != self.pk:
            raise ValueError("revision of another article")
        for name in self.RESTORED_FIELDS:
            setattr(self, name, getattr(revision, name))
        notes = []
        gone = {
            "lead_photo": _("Das Aufmacherfoto dieser Fassung gibt es nicht mehr; es bleibt leer."),
            "press_contact": _(
                "Den Pressekontakt dieser Fassung gibt es nicht mehr; der Standardkontakt gilt."
            ),
        }
        for field, note in gone.items():
            key = getattr(self, f"{field}_id")
            model = self._meta.get_field(field).related_model
            if key is not None and not model.objects.filter(pk=key).exists():
                setattr(self, f"{field}_id", None)
                notes.append(str(note))
        when = formats.date_format(timezone.localtime(revision.history_date), "DATETIME_FORMAT")
        self.edit(
            by=by,
            change_note=change_note,
            action=ArticleEvent.Action.RESTORED,
            comment=gettext("Fassung vom %(date)s") % {"date": when},
        )
        return notes

    def submit(self, *, by, comment: str = "") -> None:
        """Draft → in review."""
        self._take(STEPS["submit"], by, comment)

    def return_to_draft(self, *, by, comment: str) -> None:
        """In review (or scheduled) → draft, with a comment for the writer."""
        self._take(STEPS["return_to_draft"], by, comment, publish_at=None)

    def publish(
        self,
        *,
        by,
        at: datetime | None = None,
        comment: str = "",
        version: int | None = None,
        advance_copies: bool = False,
    ) -> None:
        """Publish now, or at `at` (Sperrfrist). Also reschedules an article not yet due.

        `advance_copies` ("vorab unter Sperrfrist versenden") is kept on the SCHEDULED history
        entry (`ArticleEvent.notify_distribution_list`) for the accredited journalists' list;
        with no Sperrfrist ahead there is nothing to send in advance, and WorkflowError says so.

        `version` is the article's `version` the approver reviewed (the review page carries
        it): if the article has been saved since, WorkflowError (CHANGED_SINCE_REVIEW), so
        that what goes public is exactly what was seen. A copy that is older than the stored
        row is refused by `save()` as well (ConcurrentEditError)."""
        if version is not None and version != self.version:
            # Who may not publish at all, or not this article, hears that reason first.
            self._check_step(STEPS["publish"], by)
            raise WorkflowError(CHANGED_SINCE_REVIEW)
        now = timezone.now()
        at = at or now
        action = ArticleEvent.Action.SCHEDULED if at > now else ArticleEvent.Action.PUBLISHED
        if advance_copies and action != ArticleEvent.Action.SCHEDULED:
            self._check_step(STEPS["publish"], by)
            raise WorkflowError(ADVANCE_COPIES_NEED_SPERRFRIST)
        self._take(
            STEPS["publish"],
            by,
            comment,
            action=action,
            notify_distribution_list=advance_copies,
            publish_at=at,
        )

    def publish_with_original_date(
        self, *, by, comment: str = "", version: int | None = None
    ) -> None:
        """Publish an imported archive release with the date it was released on: at its
        Sperrfrist if the release named one, else at the start of its `release_date`
        (Europe/Berlin). Freigabe's explicit step, recorded in the history with the date;
        the version check is the one of `publish()`."""
        step = STEPS["publish_with_original_date"]
        self._check_step(step, by)
        if version is not None and version != self.version:
            raise WorkflowError(CHANGED_SINCE_REVIEW)
        at = self.publish_at or datetime.combine(
            self.release_date, time(0, 0), tzinfo=timezone.get_current_timezone()
        )
        note = gettext("Mit Originaldatum %(date)s veröffentlicht.") % {
            "date": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")
        }
        action = (
            ArticleEvent.Action.SCHEDULED if at > timezone.now() else ArticleEvent.Action.PUBLISHED
        )
        self._take(
            step, by, " ".join(filter(None, [note, comment.strip()])), action=action, publish_at=at
        )

    def withdraw(self, *, by, reason: str, notify_distribution_list: bool = False) -> None:
        """Published → withdrawn. The reason is shown publicly at the article's address.
        `notify_distribution_list` ("Rücknahme an den Verteiler melden") is kept on the
        WITHDRAWN history entry (`ArticleEvent.notify_distribution_list`)."""
        self._take(
            STEPS["withdraw"],
            by,
            reason,
            notify_distribution_list=notify_distribution_list,
            withdrawal_reason=reason.strip(),
            withdrawn_at=timezone.now(),
        )

    def delete_by(self, user) -> None:
        """Delete, if `user` may: published articles only by Administration."""
        if not self.can_delete(user):
            raise PermissionDenied(
                _("Veröffentlichte Artikel werden zurückgezogen, nicht gelöscht.")
                if self.has_been_public()
                else _("Sie dürfen diesen Artikel nicht löschen.")
            )
        self.delete()

    def record(
        self,
        action: str,
        *,
        by,
        comment: str = "",
        from_state: str | None = None,
        notify_distribution_list: bool = False,
    ) -> ArticleEvent:
        """Append an entry to the article's history. `notify_distribution_list` records the
        approver's choice to tell the distribution list of this step; the press core only keeps
        it (the `distribution` app reacts to the saved entry)."""
        return ArticleEvent.objects.create(
            article=self,
            action=action,
            from_state=self.state if from_state is None else from_state,
            to_state=self.state,
            by=by,
            comment=comment,
            notify_distribution_list=notify_distribution_list,
        )

    def pending_return(self):
        """The ArticleEvent with which Freigabe sent this draft back, while the draft has not
        been submitted again since (its comment says what to change); None otherwise."""
        if self.pk is None or self.state != State.DRAFT:
            return None
        return ArticleEvent.pending_return(ArticleEvent.return_trail().filter(article=self)[:1])

    def editor_ids(self) -> set[int]:
        """Everyone who changed the content since it was last approved (published or
        scheduled), or since it was created: the people the four-eyes rule keeps from
        approving it. One query."""
        if self.pk is None:
            return set()
        return ArticleEvent.editors_since_approval([self.pk])[self.pk]

    def _take(
        self,
        step: Step,
        by,
        comment: str,
        *,
        action: str = "",
        notify_distribution_list: bool = False,
        **changes,
    ) -> None:
        """Take `step` as `by`: check it, then change the state, set `changes` and record the
        event (`action`, by default the step's `records`, with `notify_distribution_list`) in
        one transaction. On failure the instance is left as it was."""
        self._check_step(step, by)
        comment = comment.strip()
        if step.comment_required and not comment:
            raise WorkflowError(step.comment_missing)
        action = action or step.records
        from_state = self.state
        self._history_user = by
        self._change_reason = action
        snapshot = {name: getattr(self, name) for name in [*changes, "state", "version"]}
        try:
            with transaction.atomic():
                for name, value in changes.items():
                    setattr(self, name, value)
                self.state = step.enters
                self.save()
                self.record(
                    action,
                    by=by,
                    comment=comment,
                    from_state=from_state,
                    notify_distribution_list=notify_distribution_list,
                )
        except Exception:
            for name, value in snapshot.items():
                setattr(self, name, value)
            raise

    def _check_step(self, step: Step, user) -> None:
        require_permission(user, step.permission)
        if self.stage() not in step.leaves:
            raise WorkflowError(step.refusal % {"state": self.get_state_display()})
        if step.requires and not getattr(self, step.requires):
            raise WorkflowError(step.requirement_missing)
        if (
            step.four_eyes
            and settings.NEWSROOM_FOUR_EYES
            and self.pk
            and user.pk is not None
            and user.pk in self.editor_ids()
        ):
            raise FourEyesViolation(FOUR_EYES)

    def _check_edit(self, user) -> None:
        if self._state.adding:
            require_permission(user, "add_article")
            if self.state != State.DRAFT:
                raise WorkflowError(_("Neue Artikel beginnen als Entwurf."))
            return
        if self.state == State.WITHDRAWN:
            raise WorkflowError(_("Ein zurückgezogener Artikel kann nicht bearbeitet werden."))
        # Correcting what the public sees is Freigabe's; a scheduled article goes back to
        # review when it changes (`edit()`), so Redaktion may change it.
        require_permission(user, "correct_article" if self.is_public() else "change_article")
