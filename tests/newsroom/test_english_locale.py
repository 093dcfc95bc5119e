"""The English interface: German unless the browser asks for English, on the public pages and
in the admin, and an English catalogue that has a translation for every German string."""

import ast
import gettext
import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
BERLIN = ZoneInfo("Europe/Berlin")


def get(client, url, language=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response, response.content.decode()


# --- the settings ---------------------------------------------------------------------------


def test_german_is_the_default_and_english_is_offered():
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _name in settings.LANGUAGES] == ["de", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert CATALOGUE.parent.parent in [Path(path) for path in settings.LOCALE_PATHS]


# --- the public pages -----------------------------------------------------------------------

GERMAN_HOME = [
    '<html lang="de"',
    "<h1>Pressemitteilungen</h1>",
    "<title>Pressestelle KoBa Harz</title>",
    ">Themen</a>",
    ">Zitatgeber</a>",
    ">Kontakt</a>",
    "Zum Inhalt springen",
    "Impressum",
    "· Pressemitteilung",
]
ENGLISH_HOME = [
    '<html lang="en"',
    "<h1>Press releases</h1>",
    "<title>KoBa Harz Press Office</title>",
    ">Topics</a>",
    ">Spokespeople</a>",
    ">Contact</a>",
    "Skip to content",
    "Legal notice",
    "Municipal Jobcenter of the Landkreis Harz",
    "· Press release",
]


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [(None, "de"), ("de", "de"), ("de-DE,de;q=0.9", "de"), ("fr", "de"), ("en", "en")]
    + [("en-GB,en;q=0.9,de;q=0.5", "en")],
)
def test_home_page_speaks_the_language_the_browser_asks_for(
    client, published_article, accept_language, language
):
    response, content = get(client, reverse("press:index"), accept_language)
    assert response["Content-Language"] == language
    for text in ENGLISH_HOME if language == "en" else GERMAN_HOME:
        assert text in content, text
    if language == "en":
        for text in ["Pressemitteilungen", "Zitatgeber", "Zum Inhalt springen", "Impressum"]:
            assert text not in content, text
    else:
        for text in ["Press releases", "Spokespeople", "Skip to content"]:
            assert text not in content, text
    # The article itself is German in both: only the interface is translated.
    assert published_article.title in content


def test_english_and_german_visitors_each_get_their_own_page_one_after_another(
    client, published_article
):
    """However the public pages are cached, one language's page is never the other's."""
    url = reverse("press:index")
    for language in ["de", "en", "de", "en"]:
        response, content = get(client, url, language)
        assert f'<html lang="{language}"' in content, language
        heading = "<h1>Press releases</h1>" if language == "en" else "<h1>Pressemitteilungen</h1>"
        assert heading in content, language
        assert "Accept-Language" in response.get("Vary", ""), language


@pytest.fixture
def march_article(make_article):
    """Published on 15 March: März and March differ, unlike most months' names."""
    return make_article("published", publish_at=datetime(2024, 3, 15, 10, 30, tzinfo=BERLIN))


def test_article_page_has_english_month_names_and_labels(client, march_article):
    """Dates in each language's own format: "15. März 2024", "March 15, 2024"."""
    url = march_article.get_absolute_url()
    _response, german = get(client, url, "de")
    _response, english = get(client, url, "en")
    assert ">15. März 2024</time>" in german
    assert ">March 15, 2024</time>" in english
    assert "März" not in english
    assert "· Pressemitteilung" in german and "· Press release" in english
    assert "Pressekontakt" in german and "Press contact" in english
    # Content stays as written.
    assert march_article.title in english and march_article.lead in english


def test_archive_headings_and_month_names_in_english(client, march_article):
    url = reverse("press:month", args=[2024, 3])
    _response, german = get(client, url, "de")
    _response, english = get(client, url, "en")
    assert "<h1>Pressemitteilungen März 2024</h1>" in german
    assert "<h1>Press releases March 2024</h1>" in english
    _response, german = get(client, reverse("press:year", args=[2024]), "de")
    _response, english = get(client, reverse("press:year", args=[2024]), "en")
    assert "<h2>Monate 2024</h2>" in german and "<h2>Months in 2024</h2>" in english
    assert ">März</a>" in german and ">March</a>" in english


def test_corrected_article_says_updated_on_in_english(client, march_article, approver):
    march_article.lead = "Korrigierter Vorspann."
    march_article.edit(by=approver, change_note="Zahl im Vorspann korrigiert.")
    url = march_article.get_absolute_url()
    _response, german = get(client, url, "de")
    _response, english = get(client, url, "en")
    assert "Aktualisiert am" in german and " Uhr</time>" in german
    assert "Updated on" in english and " (Berlin time)</time>" in english
    assert "Aktualisiert am" not in english and "Uhr" not in english
    assert "Zahl im Vorspann korrigiert." in english


# --- the admin ------------------------------------------------------------------------------


def test_admin_login_page_in_english_and_german(client):
    url = reverse("admin:login")
    _response, german = get(client, url, "de")
    _response, english = get(client, url, "en")
    assert '<html lang="de"' in german
    for text in ["Pressestelle KoBa Harz", "Benutzername", 'value="Anmelden"']:
        assert text in german, text
    assert '<html lang="en"' in english
    for text in ["KoBa Harz Press Office", "Username:", 'value="Log in"']:
        assert text in english, text
    for text in ["Pressestelle KoBa Harz", "Benutzername", "Anmelden", "Passwort"]:
        assert text not in english, text


def test_admin_for_an_editor_in_english(client, editor, draft_article):
    client.force_login(editor)
    # The start page of Redaktion is the desk (desk/views.py).
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    english = response.content.decode()
    assert "<title>Desk | Newsroom</title>" in english and "Schreibtisch" not in english
    _response, english = get(
        client, reverse("admin:press_article_change", args=[draft_article.pk]), "en"
    )
    for text in ["Headline", "Kicker", "Lead", "Submit for approval", "History"]:
        assert text in english, text
    for text in ["Überschrift", "Dachzeile", "Zur Freigabe einreichen"]:
        assert text not in english, text


# --- the catalogue --------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr": [...]};
    the header is the entry with msgid "". Obsolete entries (#~) are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set(), "msgctxt": None, "msgid_plural": None}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, value = line.split(" ", 1)
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entry["msgstr"] = (
                [entry.pop("msgstr")]
                if "msgstr" in entry
                else [entry.pop(f"msgstr[{n}]") for n in range(2) if f"msgstr[{n}]" in entry]
            )
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(CATALOGUE / "django.po")


def describe(entry: dict) -> str:
    return repr(entry["msgid"]) + (f" (context {entry['msgctxt']!r})" if entry["msgctxt"] else "")


def test_every_german_string_has_an_english_translation(catalogue):
    """After `make messages`, a new German string without an English translation fails here;
    so does a translation still marked fuzzy (gettext leaves those out)."""
    messages = [entry for entry in catalogue if entry["msgid"]]
    assert len(messages) > 300
    untranslated = [describe(e) for e in messages if not e["msgstr"] or not all(e["msgstr"])]
    assert not untranslated, f"without English translation: {untranslated}"
    fuzzy = [describe(e) if e["msgid"] else "header" for e in catalogue if "fuzzy" in e["flags"]]
    assert not fuzzy, f"marked fuzzy: {fuzzy}"
    plural = [describe(e) for e in messages if e["msgid_plural"] and len(e["msgstr"]) != 2]
    assert not plural, f"without both English plural forms: {plural}"


PLACEHOLDER = re.compile(r"%\(\w+\)-?\d*[sdif]|%[sdif]|\{\w*\}|<[^>]+>")


def test_translations_keep_placeholders_tags_and_outer_spaces(catalogue):
    for entry in catalogue:
        if not entry["msgid"]:
            continue
        for n, translation in enumerate(entry["msgstr"]):
            source = entry["msgid_plural"] if n and entry["msgid_plural"] else entry["msgid"]
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(source)
            ), describe(entry)
            assert translation[:1].isspace() == source[:1].isspace(), describe(entry)
            assert translation[-1:].isspace() == source[-1:].isspace(), describe(entry)


def test_compiled_catalogue_is_up_to_date(catalogue):
    """The .mo file is committed (tests and servers need no gettext): it must say what the
    .po file says, or a translation edited in the .po never shows."""
    with open(CATALOGUE / "django.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for entry in catalogue:
        if not entry["msgid"]:
            continue
        context, msgid, plural = entry["msgctxt"], entry["msgid"], entry["msgid_plural"]
        if plural:
            shown = [
                compiled.npgettext(context, msgid, plural, n)
                if context
                else compiled.ngettext(msgid, plural, n)
                for n in (1, 2)
            ]
        else:
            shown = [compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)]
        if shown != entry["msgstr"]:
            stale.append(describe(entry))
    assert not stale, f"run `make messages` (compilemessages): {stale}"


# Which strings `manage.py makemessages` finds: gettext's calls in Python files, and in
# templates (.html, .txt) whatever Django's templatize() turns into such calls.
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_CALL = re.compile(r"(?<![\w.])(?:_|n?p?gettext)\(")
SKIPPED_DIRECTORIES = {".venv", "node_modules", "__pycache__", "media", "staticfiles", "var"}


def marked_strings(tree: ast.AST, in_fstrings: bool = False) -> set[tuple[str | None, str]]:
    """(context, msgid) of every gettext call with literal strings. xgettext does not look
    inside f-strings, so neither does this unless asked to."""
    inside_fstrings = {
        id(node)
        for fstring in ast.walk(tree)
        if isinstance(fstring, ast.JoinedStr)
        for node in ast.walk(fstring)
    }
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or (id(node) in inside_fstrings) != in_fstrings:
            continue
        function = node.func
        name = getattr(function, "id", None) or getattr(function, "attr", None)
        strings = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        ]
        if name in SINGULAR and strings[:1] and strings[0]:
            found.add((None, strings[0]))
        elif name in WITH_CONTEXT and len(strings) >= 2 and strings[0] and strings[1]:
            found.add((strings[0], strings[1]))
    return found


def calls_in_template(source: str, origin: str):
    code = templatize(source, origin=origin)
    for match in TEMPLATE_CALL.finditer(code):
        end = match.end()
        while True:  # to the parenthesis that closes the call, not one inside its strings
            end = code.index(")", end) + 1
            try:
                yield ast.parse(code[match.start() : end])
                break
            except SyntaxError:
                continue


def project_files(suffixes: set[str]):
    base = Path(settings.BASE_DIR)
    for directory, subdirectories, files in os.walk(base):
        subdirectories[:] = [
            name
            for name in subdirectories
            if not name.startswith(".") and name not in SKIPPED_DIRECTORIES
        ]
        for name in files:
            path = Path(directory, name)
            if path.suffix in suffixes:
                yield path


def strings_marked_in_the_project(in_fstrings: bool = False) -> dict[tuple, str]:
    """{(context, msgid): first file that marks it}."""
    found = {}
    for path in project_files({".py", ".html", ".txt"}):
        source = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".py":
            trees = [ast.parse(source)]
        elif in_fstrings:
            continue
        else:
            trees = calls_in_template(source, str(path))
        relative = str(path.relative_to(settings.BASE_DIR))
        for tree in trees:
            for key in marked_strings(tree, in_fstrings):
                found.setdefault(key, relative)
    return found


def test_every_string_marked_in_the_source_is_in_the_catalogue(catalogue):
    """A string marked for translation but not yet in the catalogue (makemessages not run)
    shows in German on the English pages."""
    known = {(entry["msgctxt"], entry["msgid"]) for entry in catalogue}
    marked = strings_marked_in_the_project()
    assert len(marked) > 300
    missing = sorted(f"{file}: {key[1]!r}" for key, file in marked.items() if key not in known)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_no_string_is_marked_inside_an_f_string():
    hidden = strings_marked_in_the_project(in_fstrings=True)
    assert not hidden, f"makemessages does not see these: {hidden}"
