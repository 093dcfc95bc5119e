"""An anonymous request for a public page is rendered through the middleware such a page
needs (settings.PUBLIC_PAGE_MIDDLEWARE, public.page_cache.public_page_chain), not through
sessions, authentication, two-factor, history, messages and lock-out: it has none of them."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from public.caching import STAFF_COOKIE
from public.page_cache import public_page_chain

pytestmark = pytest.mark.django_db

calls: list[str] = []


class Recording:
    """Middleware that notes what Django's handling calls of it, under its `name`."""

    name = "outer"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        calls.append(f"{self.name} request")
        response = self.get_response(request)
        calls.append(f"{self.name} response")
        return response

    def process_view(self, request, view, args, kwargs):
        calls.append(f"{self.name} view")

    def process_template_response(self, request, response):
        calls.append(f"{self.name} template")
        return response

    def process_exception(self, request, exception):
        calls.append(f"{self.name} {type(exception).__name__}")


class InnerRecording(Recording):
    name = "inner"


def test_a_public_page_is_rendered_without_a_session_or_a_user_lookup(
    client, published_article, editor
):
    client.force_login(editor)  # a staff session, but no staff marker: answered as public
    client.cookies.pop(STAFF_COOKIE, None)
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")
    assert isinstance(response.wsgi_request.user, AnonymousUser)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Language"] == "de"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "sessionid" not in response.cookies


def test_staff_get_the_whole_middleware(client, published_article, editor):
    from tests.conftest import PASSWORD

    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    assert response.wsgi_request.user == editor
    assert hasattr(response.wsgi_request, "session")


def test_the_chain_runs_its_middleware_outermost_first_with_their_hooks(rf, published_article):
    module = __name__
    chain = public_page_chain([f"{module}.Recording", f"{module}.InnerRecording"])
    calls.clear()
    response = chain(rf.get("/"))
    assert response.status_code == 200
    assert calls == [
        "outer request", "inner request", "outer view", "inner view",
        "inner template", "outer template", "inner response", "outer response",
    ]  # fmt: skip
    calls.clear()
    response = chain(rf.get("/themen/gibt-es-nicht/"))
    assert response.status_code == 404
    assert calls[-4:] == ["inner Http404", "outer Http404", "inner response", "outer response"]


def test_the_public_middleware_is_what_follows_the_page_cache_in_the_same_order():
    after_cache = settings.MIDDLEWARE[
        settings.MIDDLEWARE.index("public.page_cache.PublicPageCacheMiddleware") + 1 :
    ]
    assert [path for path in after_cache if path in settings.PUBLIC_PAGE_MIDDLEWARE] == (
        settings.PUBLIC_PAGE_MIDDLEWARE
    )
