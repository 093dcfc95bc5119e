"""Mail that leaves the newsroom: the one pipeline for every e-mail the project sends (security
notices, password resets, later the distribution to journalists).

`mailing.outbox.send_later()` records the message (`SentMail`) and puts its delivery on the task
queue (`mailing.tasks.deliver`, Django's tasks API through django-tasks); the worker
(`manage.py db_worker`) sends it over SMTP, retries with back-off and logs the result where
Administration can read it. Nothing here sends mail inside a web request, and this room imports
none of the others: they call it.
"""
