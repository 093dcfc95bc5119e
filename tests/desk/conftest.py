"""Helpers of the desk's tests: the desk's address and its sections as HTML."""

import re

import pytest
from django.urls import reverse

DESK = "/admin/schreibtisch/"


def section(html: str, name: str) -> str:
    """The HTML of the desk's section `name` (its id), or "" when the page has none."""
    match = re.search(rf'<section[^>]*\bid="{name}".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def desk_as(client):
    """desk_as(user, query="") -> the desk's HTML as `user` sees it (asserting 200)."""

    def get(user, query: str = "") -> str:
        client.force_login(user)
        response = client.get(DESK + query)
        assert response.status_code == 200
        return response.content.decode()

    return get


def change_url(article) -> str:
    return reverse("admin:press_article_change", args=[article.pk])


def review_url(article) -> str:
    return reverse("admin:press_article_workflow", args=[article.pk, "publish"])


def preview_url(article) -> str:
    return reverse("admin:press_article_preview", args=[article.pk])
