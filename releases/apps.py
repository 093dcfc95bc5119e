from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    """Press releases as files: the parser, import into drafts, export as text and PDF."""

    name = "releases"
    default_auto_field = "django.db.models.BigAutoField"
