"""The public site under /presse/, for tests/press/test_links.py."""

from django.urls import include, path

urlpatterns = [path("presse/", include("public.urls"))]
