"""Links reversed once per process (press/links.py) lead where Django's reverse() does."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from press.links import link


@pytest.fixture
def script_prefix():
    yield
    set_script_prefix("/")


def test_a_link_is_what_reverse_gives():
    assert link("press:index") == reverse("press:index")
    assert link("press:year", 2017) == reverse("press:year", args=[2017])
    article = {"year": 2017, "month": 10, "day": 6, "slug": "arbeit-im-harz"}
    assert link("press:article", **article) == reverse("press:article", kwargs=article)
    assert link("press:article", **article) == "/2017/10/06/arbeit-im-harz/"


def test_a_link_follows_the_script_prefix_of_the_deployment(script_prefix):
    before = link("press:topics")
    set_script_prefix("/presse/")
    assert link("press:topics") == "/presse" + before


def test_the_link_tag_prints_what_the_url_tag_prints():
    template = Template(
        "{% load public %}{% link 'press:month' 2017 10 %}|{% url 'press:month' 2017 10 %}"
    )
    ours, django = template.render(Context()).split("|")
    assert ours == django == "/2017/10/"


def test_public_addresses_are_the_same_in_every_language(settings):
    """press/links.py keeps links regardless of the language: that is right while no public
    URL pattern is translated."""
    from django.utils import translation

    from public.urls import urlpatterns

    def addresses():
        routes = [str(pattern.pattern) for pattern in urlpatterns]
        return routes, reverse("press:topics"), reverse("press:year", args=[2017])

    german = addresses()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            assert addresses() == german, f"a public address is translated into {language}"


def test_links_follow_a_change_of_url_patterns(settings):
    before = link("press:topics")
    settings.ROOT_URLCONF = "tests.urls_with_prefix"
    assert link("press:topics") == "/presse" + before
