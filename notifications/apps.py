from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def step_recorded(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of an `ArticleEvent`: tell the people concerned once the step has committed.

    After the commit, because a step that is rolled back must tell nobody, and the recipients
    are read from what was stored. `robust`: a failure here is logged by Django and does not
    undo or fail the step that has already been taken (Django doc, "Database transactions →
    Performing actions after commit")."""
    if not created or raw:
        return
    from .events import notify

    event_id = instance.pk
    # A function with a name, not a partial: Django logs a robust callback's failure by its
    # __qualname__.
    transaction.on_commit(lambda: notify(event_id), robust=True)


class NotificationsConfig(AppConfig):
    """Workflow e-mails to the press staff, with each person's choice of what to receive."""

    name = "notifications"
    verbose_name = _("Benachrichtigungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from press.models import ArticleEvent

        post_save.connect(
            step_recorded, sender=ArticleEvent, dispatch_uid="notifications_article_event"
        )
