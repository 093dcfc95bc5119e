"""Rich text is sanitised on the server before it is stored."""

import pytest

from press.models import Article, LegalPage
from press.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hallo</p><script>alert(1)</script>", "alert"),
        ('<p onclick="alert(1)">Hallo</p>', "onclick"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">Link</a>', "javascript"),
        ('<a href="JaVaScRiPt:alert(1)">Link</a>', "alert"),
        ('<a href="data:text/html,<script>alert(1)</script>">Link</a>', "data:"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
        ('<iframe src="https://example.org"></iframe>', "iframe"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
        ("<style>body{display:none}</style><p>x</p>", "display"),
        ("<!--<script>alert(1)</script>--><p>x</p>", "<!--"),
        ('<form action="https://evil.example"><input name="x"></form>', "form"),
        ('<p><a href="http://x" target="_blank" onmouseover="x()">a</a></p>', "onmouseover"),
    ],
)
def test_sanitiser_removes_dangerous_markup(dirty, forbidden):
    assert forbidden.lower() not in sanitize_html(dirty).lower()


@pytest.mark.parametrize(
    "clean",
    [
        "<p>Absatz mit <strong>fett</strong> und <em>kursiv</em>.</p>",
        "<h2>Zwischenüberschrift</h2>",
        "<ul><li>eins</li></ul><ol><li>zwei</li></ol>",
        "<blockquote><p>Zitat</p></blockquote>",
        "<p>Zeile<br>Zeile</p>",
    ],
)
def test_sanitiser_keeps_the_allowed_markup(clean):
    assert sanitize_html(clean) == clean


@pytest.mark.parametrize(
    "href",
    [
        "https://www.kreis-hz.de/",
        "http://example.org",
        "mailto:presse@koba-jobcenter-harz.de",
        "tel:+49394358",
    ],
)
def test_sanitiser_keeps_links_with_safe_schemes(href):
    cleaned = sanitize_html(f'<a href="{href}">Link</a>')
    assert f'href="{href}"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_article_body_is_sanitised_when_saved(editor, press_contact):
    article = Article(title="Test", body='<p onclick="x()">Text</p><script>alert(1)</script>')
    article.edit(by=editor)
    article.refresh_from_db()
    assert article.body == "<p>Text</p>"


def test_legal_page_body_is_sanitised_when_saved(db):
    page = LegalPage.objects.create(
        kind="impressum", title="Impressum", body="<p>ok</p><script>x</script>"
    )
    page.refresh_from_db()
    assert page.body == "<p>ok</p>"
