"""CKEditor's sample, test and frame HTML pages are neither collected nor served from our origin
(issue 12, item 12); the files the editor needs are."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

WITHHELD = [
    "ckeditor/ckeditor/plugins/preview/preview.html",
    "ckeditor/ckeditor/plugins/wsc/dialogs/ciframe.html",
    "ckeditor/ckeditor/plugins/wsc/dialogs/tmpFrameset.html",
    "ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html",
    "ckeditor/ckeditor/plugins/exportpdf/tests/_helpers/tools.js",
    "ckeditor/ckeditor/README.md",
    "ckeditor/ckeditor/bender-runner.config.json",
]
NEEDED = [
    "ckeditor/ckeditor/ckeditor.js",
    "ckeditor/ckeditor-init.js",
    "ckeditor/ckeditor/config.js",
    "ckeditor/ckeditor/lang/de.js",
    "ckeditor/ckeditor/skins/moono-lisa/editor.css",
    "ckeditor/ckeditor/plugins/link/dialogs/link.js",
    "css/site.css",
]


@pytest.fixture
def collected(tmp_path_factory, settings):
    """STATIC_ROOT after `collectstatic`, as `make serve` runs it."""
    root = tmp_path_factory.mktemp("static")
    settings.STATIC_ROOT = root
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_collectstatic_leaves_out_ckeditors_samples_and_tests(collected):
    collected_files = {str(path.relative_to(collected)) for path in collected.rglob("*")}
    for path in WITHHELD:
        assert path not in collected_files
    assert not [path for path in collected_files if path.endswith(".html")]
    assert not [path for path in collected_files if "/tests/" in path or "/samples/" in path]
    for path in NEEDED:
        assert path in collected_files


@pytest.mark.parametrize("use_finders", [True, False], ids=["development", "production"])
def test_ckeditors_pages_are_not_served(db, settings, collected, use_finders):
    settings.WHITENOISE_USE_FINDERS = use_finders
    settings.WHITENOISE_AUTOREFRESH = use_finders
    client = Client()
    for path in WITHHELD:
        response = client.get("/static/" + path)
        assert response.status_code == 404, path
        assert 'class="skip-link"' in response.content.decode()  # Django's own 404 page
    for path in NEEDED:
        assert client.get("/static/" + path).status_code == 200, path


def test_a_page_left_in_static_root_by_an_older_collectstatic_is_not_served(
    db, settings, collected
):
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    stale = Path(collected) / "ckeditor/ckeditor/samples/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<script>alert(1)</script>")
    assert Client().get("/static/ckeditor/ckeditor/samples/index.html").status_code == 404
