from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for a local newsroom (`manage.py load_demo`); never for production."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
