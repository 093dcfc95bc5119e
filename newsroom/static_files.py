"""Static files the site withholds: collected by no `collectstatic` and served by no one.

django-ckeditor ships CKEditor 4's samples, manual tests and the HTML frames of plugins the
editor does not use (preview, the retired spell checker "wsc") inside its static folder. From
our origin they would run with our cookies, outside the admin's policy and frame protection
(issue 12, item 12). The editor itself needs none of them: its scripts, styles, icons and
language files are JavaScript, CSS and images."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.utils import matches_patterns

# fnmatch patterns on the path below STATIC_URL; `*` also matches "/".
WITHHELD = [
    "ckeditor/*.html",
    "ckeditor/*/samples/*",
    "ckeditor/*/tests/*",
    "ckeditor/*.md",
    "ckeditor/ckeditor/bender-runner.config.json",
    "ckeditor/ckeditor/build-config.js",
]


def is_withheld(path: str) -> bool:
    """Whether the static file at `path` (relative to STATIC_URL, "/" separated, hashed or
    not) is withheld."""
    return matches_patterns(path, WITHHELD)


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of the apps' `static/` folders without the files withheld: neither
    listed (collectstatic, WhiteNoise with WHITENOISE_USE_FINDERS) nor found (runserver,
    WhiteNoise's autorefresh)."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *WITHHELD])

    def find_in_app(self, app, path):
        return None if is_withheld(path) else super().find_in_app(app, path)
