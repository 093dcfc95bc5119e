"""Rich text is sanitised on the server before it is stored."""

import re

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


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("<div>A</div><div>B</div>", "<p>A</p><p>B</p>"),
        (
            "<table><tr><td>Montag</td><td>9 bis 12 Uhr</td></tr>"
            "<tr><td>Dienstag</td><td>13 bis 16 Uhr</td></tr></table>",
            "<p>Montag 9 bis 12 Uhr</p><p>Dienstag 13 bis 16 Uhr</p>",
        ),
        ("<section><h1>Titel</h1><div>Text</div></section>", "<h2>Titel</h2><p>Text</p>"),
        ("<h1>Titel</h1><p>Text</p>", "<h2>Titel</h2><p>Text</p>"),
        ("<h5>Klein</h5><h6>Kleiner</h6>", "<h4>Klein</h4><h4>Kleiner</h4>"),
        ("<dl><dt>Ort</dt><dd>Halberstadt</dd></dl>", "<p>Ort</p><p>Halberstadt</p>"),
        ("<div>Zeile<br>Zeile</div>", "<p>Zeile<br>Zeile</p>"),
        ("Text<hr>Mehr", "<p>Text</p><p>Mehr</p>"),
        ("<p>Erster<div>Zweiter</div></p>", "<p>Erster</p><p>Zweiter</p>"),
        ("<ul><li><div>eins</div><div>zwei</div></li></ul>", "<ul><li>eins<br>zwei</li></ul>"),
        (
            "<blockquote><div>A</div><div>B</div></blockquote>",
            "<blockquote><p>A</p><p>B</p></blockquote>",
        ),
        (
            "<div><strong>A</strong> und <em>B</em></div><div>C</div>",
            "<p><strong>A</strong> und <em>B</em></p><p>C</p>",
        ),
        ("<span>Qualifizierungs</span><span>offensive</span>", "Qualifizierungsoffensive"),
        ("<p>a &lt; b &amp; c</p><div>d</div>", "<p>a &lt; b &amp; c</p><p>d</p>"),
    ],
)
def test_removed_blocks_keep_words_and_paragraphs_apart(pasted, stored):
    assert sanitize_html(pasted) == stored


@pytest.mark.parametrize(
    "tag",
    [
        "div", "section", "article", "aside", "header", "footer", "main", "nav", "figure",
        "figcaption", "address", "pre", "dt", "dd", "details", "summary", "center", "fieldset",
        "h1", "h5", "h6", "li", "p", "blockquote",
    ],
)  # fmt: skip
def test_no_two_blocks_glue_their_words(tag):
    cleaned = sanitize_html(f"<{tag}>Gesetzes.</{tag}><{tag}>Im Jahr</{tag}>")
    separated = re.sub(r"</?(?:p|h2|h3|h4|li|ul|ol|blockquote|br)\b[^>]*>", " ", cleaned)
    assert re.sub(r"<[^>]*>", "", separated).split() == ["Gesetzes.", "Im", "Jahr"]


@pytest.mark.parametrize(
    "pasted",
    [
        '<p><img src="foto.jpg"></p><p>Text</p>',
        "<p>&nbsp;</p><p>Text</p>",
        "<p><script>alert(1)</script></p><p>Text</p>",
        "<div>&nbsp;</div><p>Text</p>",
        "<p><br></p><p>Text</p><h2> </h2>",
        "<ul><li><img src=x></li></ul><p>Text</p>",
        '<p><iframe src="https://example.org"></iframe></p><p>Text</p>',
    ],
)
def test_removed_elements_leave_no_empty_paragraph(pasted):
    assert sanitize_html(pasted) == "<p>Text</p>"


def test_deeply_nested_markup_is_sanitised_without_error():
    cleaned = sanitize_html("<div>" * 5000 + "Text" + "</div>" * 5000 + "<p>Ende</p>")
    assert "Text" in cleaned and cleaned.endswith("<p>Ende</p>")


def test_an_empty_inline_element_keeps_the_space_between_words():
    assert sanitize_html("<p>Jobcenter<strong> </strong>Harz</p>") == "<p>Jobcenter Harz</p>"
