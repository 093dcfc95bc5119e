"""Workflow e-mails to the press staff: who must act on an article, or should know what
happened to their own, is told by mail (issue 13, "Notifications").

The editorial core does not know this room: `apps.py` listens to the article's history
(`press.models.ArticleEvent`, one row per step) and, once the step's transaction has committed,
`events.notify()` queues one mail per person through the project's one mail pipeline
(`mailing.outbox.send_later`). The minute a scheduled article goes live has no step of its own:
scheduling queues `tasks.announce_went_live` for that minute. Each person switches each kind
off on their own page in the admin (`views.preferences`, `NotificationPreference`). Nothing
here sends mail inside a web request, and nothing here changes an article.
"""
