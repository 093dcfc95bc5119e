"""The frame of every page (head, header and footer of templates/base.html) is rendered once
per language and process by `{% kept %}` (public/templatetags/public.py), and never serves
one language's or one setting's frame for another."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

from public.templatetags import public as tags

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    tags._kept.clear()
    yield
    tags._kept.clear()


def test_the_frame_is_rendered_once_per_language_and_then_repeated(client, published_article):
    german = client.get("/").content.decode()
    assert {name for name, language, _prefix in tags._kept if language == "de"} == {
        "head", "header", "header-end", "footer",
    }  # fmt: skip
    assert client.get("/").content.decode() == german
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="de"' in german and "Zum Inhalt springen" in german
    assert "Zum Inhalt springen" not in english and "Skip to content" in english
    assert "Zum Inhalt springen" in client.get("/").content.decode()  # German kept apart


def test_what_a_kept_part_shows_is_rendered_once_whatever_the_context_says():
    template = Template('{% load public %}{% kept "probe" %}{{ word }}{% endkept %}')
    with translation.override("de"):
        assert template.render(Context({"word": "erst"})) == "erst"
        assert template.render(Context({"word": "dann"})) == "erst"  # kept: no page variables
    with translation.override("en"):
        assert template.render(Context({"word": "first"})) == "first"


def test_a_changed_setting_forgets_the_kept_parts(client, published_article, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the frame, not the page cache, is under test
    assert "/static/css/site.css" in client.get("/").content.decode()
    with override_settings(STATIC_URL="/assets/"):
        assert "/assets/css/site.css" in client.get("/").content.decode()
    assert "/assets/css/site.css" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "source",
    [
        "{% kept %}x{% endkept %}",
        "{% kept probe %}x{% endkept %}",
        "{% kept 'a' 'b' %}x{% endkept %}",
    ],
)
def test_kept_takes_one_quoted_name(source):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load public %}" + source)
