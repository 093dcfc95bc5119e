"""The admin speaks the editor's language on every page (issue 13, "An admin that speaks German"):
German throughout, with no string that Django or a third-party app leaves in English, and
English throughout for a browser that asks for English.

The walk starts at the admin's start page and follows every admin link it finds, for each role,
so that pages of apps added later are walked too. Each shape of address (numbers replaced) is
visited a few times, not for every object."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter, deque
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import django
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user

DJANGO = Path(django.__file__).parent
PROJECT_CATALOGUE = Path(settings.BASE_DIR) / "locale"

# --- what must not be seen ------------------------------------------------------------------

# Strings Django's own German catalogue leaves English or says in English (Django 5.2), and
# the third-party apps' strings without German translation; found by comparing their catalogues
# with their sources. The German pages must show none of them.
UNTRANSLATED_ELSEWHERE = [
    # django-axes
    "Clean up expired attempts",
    "Access Attempt",
    "Attempt Remaining",
    "Expires At",
    "Locked Out",
    "Not set",
    "Session key hash (sha256)",
    "access attempt expiration",
    # django-otp: models and fields named in English only
    "TOTP device",
    "static device",
    "sent by email",
    "Please select a device.",
    # django-tasks and its database backend
    "Task Result",
    "Tasks Database Backend",
    "Successful",
    "Running",
    "Ready",
    "Failed",
    "enqueued at",
    "finished at",
    "return value",
    "exception class path",
    "worker id",
    # django-simple-history
    "View history",
    # app labels shown when an app has no verbose name, and an anglicism of Django's German
    "Axes",
    "Otp_Totp",
    "Otp_Static",
    "Django_Otp",
    "Simple_History",
    "Staff-Account",
]


def catalogue_entries(path: Path) -> dict[str, list[str]]:
    """{msgid: [msgstr, …]} of a .po file, without the header, obsolete and fuzzy entries."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key, fuzzy = {}, None, False
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, value = line.split(" ", 1)
                entry[key] = ast.literal_eval(value)
        if entry.get("msgid") and not fuzzy:
            entries[entry["msgid"]] = [v for k, v in entry.items() if k.startswith("msgstr")]
    return entries


def django_strings_without_german() -> set[str]:
    """Django's own strings (its English source catalogues) that its German catalogues do not
    translate: new in this version of Django, or left empty by the translators."""
    missing = set()
    for english in DJANGO.glob("**/locale/en/LC_MESSAGES/django.po"):
        german = Path(str(english).replace("/en/", "/de/"))
        translated = {
            msgid
            for msgid, msgstrs in (catalogue_entries(german) if german.exists() else {}).items()
            if all(msgstrs)
        }
        missing |= set(catalogue_entries(english)) - translated
    return missing


PLACEHOLDERS = re.compile(r"%(\(\w+\))?[sdr]")


def english_pattern(msgids) -> re.Pattern:
    """One expression that finds any of `msgids` in a text, its placeholders (%(name)s, %s)
    standing for any words. Strings of one or two words are found only as a whole text (a
    label, a button), longer ones anywhere."""
    alternatives = []
    for msgid in sorted(set(msgids), key=len, reverse=True):
        if len(re.findall(r"[A-Za-z]{3,}", PLACEHOLDERS.sub("", msgid))) < 1:
            continue  # "(%s)", "%(a)s: %(b)s": no words of their own to be found by
        escaped = re.sub(r"%(\\\(\w+\\\))?[sdr]", ".+?", re.escape(msgid))
        short = len(msgid.split()) <= 2
        alternatives.append(f"^{escaped}$" if short else escaped)
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.MULTILINE)


@pytest.fixture(scope="module")
def english_in_german():
    return english_pattern(
        {m for m in django_strings_without_german() if len(m) > 3} | set(UNTRANSLATED_ELSEWHERE)
    )


# German names that are also content: the press contact of the tests is called so.
PROPER_NAMES = {"Pressestelle KoBa Harz"}
# Django 5.2 joins this lazy text with a plain string in a class body
# (AdminPasswordChangeForm.usable_password_help_text), which translates it once, on import, in
# the site's language; a superuser's password page shows it in German in both languages.
TRANSLATED_ON_IMPORT = {
    "Whether the user will be able to authenticate using a password or not. If disabled, they "
    "may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
}


@pytest.fixture(scope="module")
def german_in_english():
    """The project's German strings that English shows otherwise (locale/en) and the German
    words the project gives the third-party strings (locale/de); found only as whole texts,
    since articles are German in both languages."""
    strings = set()
    for msgid, msgstrs in catalogue_entries(PROJECT_CATALOGUE / "en/LC_MESSAGES/django.po").items():
        if msgstrs and msgstrs[0] != msgid and len(msgid) > 3 and "%" not in msgid:
            strings.add(msgid)
    german = PROJECT_CATALOGUE / "de/LC_MESSAGES/django.po"
    for msgid, msgstrs in (catalogue_entries(german) if german.exists() else {}).items():
        if msgid in TRANSLATED_ON_IMPORT:
            continue
        strings |= {
            s for s in msgstrs if s and s.lower() != msgid.lower() and "%" not in s and len(s) > 3
        }
    strings -= PROPER_NAMES
    escaped = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True))
    return re.compile(f"^(?:{escaped})$", re.MULTILINE)


# --- what a person sees ---------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The texts of a page a person reads or hears: text between tags outside <script>,
    <style> and <template>, and the attributes shown or read out (title, alt, placeholder,
    aria-label, the value of a button). One text per line; links found on the way."""

    SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style", "template"}:
            self.hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name, value in attrs:
            if value and name in self.SHOWN_ATTRIBUTES:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def read_page(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


# --- the walk -------------------------------------------------------------------------------

# The permissions a superuser assigns to a group or an account ("Anmeldeschutz | Zugriffsversuch |
# Can add access attempt"): Django stores their names in the database, in English, when it
# creates them ("Can add …"), so no catalogue reaches them. Only superusers see them: roles
# and what they may do are set by the migrations, not in the admin.
STORED_PERMISSION_NAME = re.compile(r"^.+ \| .+ \| Can (add|change|delete|view) ")

SKIPPED = re.compile(
    r"/logout/|/jsi18n/|/preview/|/r/\d+/|/autocomplete/"  # not pages of the admin's own design
)
VISITS_PER_SHAPE = 3


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def walk_admin(client, start: list[str]):
    """Yield (path, response) for every admin page reachable from `start` by links, each
    address shape at most VISITS_PER_SHAPE times; query strings (filters, sorting) are not
    followed."""
    admin_root = reverse("admin:index")
    queue, seen = deque(start), set(start)
    shapes = Counter(shape(path) for path in start)
    while queue:
        path = queue.popleft()
        response = client.get(path)
        yield path, response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in read_page(response.content.decode()).links:
            target = urlsplit(urljoin(path, href))
            link = target.path
            if (
                target.netloc
                or target.query
                or not link.startswith(admin_root)
                or SKIPPED.search(link)
                or link in seen
                or shapes[shape(link)] >= VISITS_PER_SHAPE
            ):
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            queue.append(link)


@pytest.fixture
def every_kind_of_object(
    make_article,
    published_article,
    quote,
    make_photo,
    outsider,
    editor,
):
    """At least one object of each model the admin shows, so that each change form is seen."""
    make_article("draft", title="Entwurf für den Rundgang")
    make_article("in_review", title="Prüfung für den Rundgang")
    make_article("published", title="Sperrfrist für den Rundgang")
    make_article(
        "withdrawn",
        title="Zurückgezogen für den Rundgang",
        publish_at=timezone.now() - timedelta(days=3),
    )
    make_photo()
    AccessAttempt.objects.create(
        username=editor.username,
        ip_address="192.0.2.1",
        user_agent="Mozilla/5.0",
        failures_since_start=2,
        get_data="",
        post_data="",
        http_accept="text/html",
        path_info="/admin/login/",
    )
    TOTPDevice.objects.create(user=outsider, name="Smartphone von Jana", confirmed=True)


def check_walk(
    client, start, forbidden: re.Pattern, language: str, min_pages: int = 10
) -> list[str]:
    """Walk the admin and return one line per finding: an error status, or a text in the
    wrong language, or "Django"."""
    findings, pages = [], 0
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    client.defaults.update(headers)
    for path, response in walk_admin(client, start):
        pages += 1
        if response.status_code >= 400 and response.status_code != 403:
            findings.append(f"{path}: status {response.status_code}")
        if "html" not in response.get("Content-Type", "") or response.status_code in (301, 302):
            continue
        text = "\n".join(
            line
            for line in read_page(response.content.decode()).texts
            if not STORED_PERMISSION_NAME.match(line)
        )
        for match in forbidden.finditer(text):
            findings.append(f"{path}: {match.group(0)!r}")
        for line in text.splitlines():
            if "Django" in line:
                findings.append(f"{path}: {line!r}")
    assert pages >= min_pages, f"the walk found only {pages} admin pages"
    return sorted(set(findings))


@pytest.fixture
def superuser(db):
    """The installation's first account (createsuperuser): it sees every app's pages."""
    return make_user("einrichtung", is_superuser=True)


ROLES = ["editor", "approver", "administrator", "superuser"]


def start_pages() -> list[str]:
    """The start page, and the pages of one's own account that no menu links."""
    return [reverse("admin:index"), reverse("two_factor_setup")]


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_is_german_for_each_role(
    client, request, role, every_kind_of_object, english_in_german
):
    client.force_login(request.getfixturevalue(role))
    findings = check_walk(client, start_pages(), english_in_german, "de")
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_is_english_for_each_role_when_asked(
    client, request, role, every_kind_of_object, german_in_english
):
    client.force_login(request.getfixturevalue(role))
    findings = check_walk(client, start_pages(), german_in_english, "en")
    assert not findings, "\n".join(findings)


ANONYMOUS_PAGES = ["admin:login", "admin_password_reset"]


def test_the_pages_before_log_in_are_german(client, db, english_in_german):
    findings = check_walk(
        client, [reverse(name) for name in ANONYMOUS_PAGES], english_in_german, "de", min_pages=2
    )
    assert not findings, "\n".join(findings)


def test_a_failed_log_in_is_told_in_german(client, editor, english_in_german):
    response = client.post(
        reverse("admin:login"), {"username": editor.username, "password": "falsch"}
    )
    assert response.status_code == 200
    text = "\n".join(read_page(response.content.decode()).texts)
    assert "Bitte geben Sie Benutzername und Passwort richtig ein." in text
    assert not english_in_german.search(text) and "Django" not in text


# --- what the admin's scripts say -----------------------------------------------------------

SCRIPT_STRING = re.compile(r"""\b(?:gettext|ngettext)\(\s*(['"])(.+?)(?<!\\)\1""")


def strings_of_the_admins_scripts() -> set[str]:
    """The strings Django's admin scripts translate (gettext('…'), ngettext('…', …))."""
    strings = set()
    for script in (DJANGO / "contrib/admin/static/admin/js").glob("*.js"):
        for match in SCRIPT_STRING.finditer(script.read_text(encoding="utf-8")):
            strings.add(match.group(2).replace("\\'", "'").replace('\\"', '"'))
    return strings


def script_catalogue(client, language: str) -> dict:
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    source = response.content.decode()
    start = source.index("const newcatalog = ") + len("const newcatalog = ")
    return json.JSONDecoder().raw_decode(source[start:])[0]


def test_the_admins_scripts_speak_german(client, editor):
    """The selector for groups and permissions ("Alle Gruppen auswählen"), the calendar and
    the other widgets of the admin say everything in German."""
    client.force_login(editor)
    catalogue = script_catalogue(client, "de")
    used = strings_of_the_admins_scripts()
    assert len(used) > 30
    missing = sorted(msgid for msgid in used if not catalogue.get(msgid))
    assert not missing, f"without German translation: {missing}"
