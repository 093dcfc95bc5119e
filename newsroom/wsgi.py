"""WSGI entry point, e.g. for gunicorn: `gunicorn newsroom.wsgi`. Cached public pages are
answered before Django's request handling (public/wsgi_hits.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from public.wsgi_hits import CachedPageApplication  # noqa: E402 -- needs the apps set up

application = CachedPageApplication(django_application)
