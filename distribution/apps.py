from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _


def step_recorded(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of an `ArticleEvent`: hand the step to `distribution.events.on_step` once it
    has committed (a step that is rolled back sends nothing), `robust` so that a failure here
    is logged and never undoes the step (Django doc, "Performing actions after commit")."""
    if not created or raw:
        return
    from .events import on_step

    event_id = instance.pk
    transaction.on_commit(lambda: on_step(event_id), robust=True)


class DistributionConfig(AppConfig):
    """The press office's distribution lists: public subscribers and the accredited
    (Vorab-Verteiler) list, and one delivery record per mail."""

    name = "distribution"
    verbose_name = _("Presseverteiler")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from press.models import ArticleEvent

        # The embargo's mails register their composers (mails.COMPOSERS) when the module is
        # imported: in every process, the worker included, not only where the admin loads.
        from . import embargo  # noqa: F401

        post_save.connect(
            step_recorded, sender=ArticleEvent, dispatch_uid="distribution_article_event"
        )
        from .models import AccreditedRecipient, Subscriber
        from .retention import forget_accredited, forget_subscriber

        # A subscriber or an entry of the Vorab-Verteiler, however deleted, leaves no address
        # in the delivery log or the mail log.
        pre_delete.connect(
            forget_accredited, sender=AccreditedRecipient, dispatch_uid="distribution_forget"
        )
        pre_delete.connect(
            forget_subscriber, sender=Subscriber, dispatch_uid="distribution_forget_subscriber"
        )
