"""Text rules of the press office: German slugs, German phone numbers and text fit for XML.

Used by the models, the importer and the public pages alike, so that each rule is written once.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
# Characters XML 1.0 forbids (production 2, Char: https://www.w3.org/TR/xml/#charsets): the C0
# controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF. Word's manual line break
# (U+000B, vertical tab) and the page break (U+000C, form feed) stand for line ends.
XML_LINE_BREAKS = re.compile("[\x0b\x0c]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Telephone numbers written the German way are national: 0 + area code (ITU-T E.164, +49).
COUNTRY_CODE = "49"
# "+49 (0) 3941 …", "+44 (0)20 …": the trunk prefix in brackets after a country code, a hint
# for callers from inside the country that is not part of the international number.
TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")


def german_slugify(text: str, max_length: int = 200) -> str:
    """Slug with German transliteration: 'präsentiert' -> 'praesentiert', 'Straße' -> 'strasse'."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))
    return slug[:max_length].strip("-")


def xml_text(text: str) -> str:
    """`text` with only characters XML 1.0 allows: U+000B and U+000C become a line feed, the
    other forbidden characters are dropped; everything else stays as it is.
    'Erste Zeile' U+000B 'zweite' U+0000 -> 'Erste Zeile\\nzweite'. The one rule for every XML and
    JSON-LD the project writes (feeds, sitemaps, structured data): Django's XML writer raises
    UnserializableContentError on these characters, a 500 for the reader."""
    return XML_FORBIDDEN.sub("", XML_LINE_BREAKS.sub("\n", text))


def unique_slug(model: type[models.Model], text: str, instance_pk=None, max_length=200) -> str:
    """A German slug for `text` that no other row of `model` uses (suffix -2, -3, …)."""
    base = german_slugify(text, max_length=max_length - 4) or "eintrag"
    others = (
        model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    )
    candidate, number = base, 2
    while others.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def international_number(number: str) -> str:
    """A phone number as written in Germany in international form (E.164 without spaces):
    '03943 58 – 3234', '+49 3943 58-3234' and '0049 3943 583234' all give '+493943583234'.
    The trunk zero is dropped after a country code: written in brackets for any country
    ('+49 (0) 3941 12-3456', '+44 (0)20 7946 0018'), and after +49 in any case, because no
    German number begins with 0 after the country code (E.164; Bundesnetzagentur's numbering
    plan), while e.g. Italian numbers do ('+39 06 …' stays). '' when there are no digits."""
    if number.lstrip().startswith(("+", "00")):
        number = TRUNK_ZERO.sub("", number)
    # ASCII digits only: str.isdigit() also takes "²" or Arabic-Indic digits, which no
    # tel: URI (RFC 3966) or vCard TEL may carry.
    digits = "".join(char for char in number if char in "0123456789+")
    digits = digits[:1] + digits[1:].replace("+", "")
    if not digits.strip("+"):
        return ""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = f"+{COUNTRY_CODE}{digits[1:]}"
    german = f"+{COUNTRY_CODE}"
    if digits.startswith(german):
        digits = german + digits.removeprefix(german).lstrip("0")
    return digits


def tel_uri(number: str) -> str:
    """'tel:+493943583234' for a German phone number (RFC 3966), '' for none."""
    international = international_number(number)
    return f"tel:{international}" if international else ""


# Phone numbers and e-mail addresses in rich text (article bodies, legal pages), which a
# browser or the PDF would break at a hyphen or a space ("03943 58-" / "3234", "presse@koba-" /
# "jobcenter-harz.de"). A number begins with 0 or a country code ("+49 (0) 3941 12-3456") and
# has six digits or more; dates ("2024-2025") and times ("9-12 Uhr") do not begin with 0.
# The sanitiser may write a non-breaking space as "&nbsp;" or "&#160;".
SEPARATOR = r"(?:[ \u00a0/()\u2013-]|&nbsp;|&#160;)"
PHONE_OR_EMAIL = re.compile(
    rf"(?<![\w+@.-])(?:(?:\+\d{{1,3}}(?:{SEPARATOR}?\(0\))?|0)(?:\d|{SEPARATOR})*\d"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w@-])"
)
# A tag, with ">" inside a quoted attribute value read as part of the value.
HTML_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")


def _keep_whole(match: re.Match) -> str:
    text = match.group()
    if "@" not in text and sum(char.isdigit() for char in text) < 6:
        return text
    return f'<span class="nowrap">{text}</span>'


def keep_whole(html: str) -> str:
    """Sanitised HTML (press.sanitize) with every phone number and e-mail address in its text
    wrapped in <span class="nowrap">, which the site's and the PDF's style sheets keep on one
    line:
    '<p>Tel. 03943 58-3234</p>' -> '<p>Tel. <span class="nowrap">03943 58-3234</span></p>'.
    Tags and their attributes (href="mailto:…") are left as they are; the text between tags is
    escaped by the sanitiser, so a tag is all that '<' can begin."""
    parts = HTML_TAG.split(str(html))
    for index in range(0, len(parts), 2):  # even parts are text, odd ones tags
        parts[index] = PHONE_OR_EMAIL.sub(_keep_whole, parts[index])
    return "".join(parts)
