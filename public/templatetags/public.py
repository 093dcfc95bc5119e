"""Template tags of the public pages: JSON-LD, remembered links, page links."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from press import links
from public.paging import query_without_page

register = template.Library()

# Phone numbers and e-mail addresses in rich text (article bodies, legal pages), which a
# browser would break at a hyphen or a space ("03943 58-" / "3234", "presse@koba-" /
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


@register.filter
def keep_whole(html: str) -> str:
    """Sanitised HTML (press.sanitize) with every phone number and e-mail address in its text
    wrapped in <span class="nowrap">, which static/css/site.css keeps on one line:
    '<p>Tel. 03943 58-3234</p>' -> '<p>Tel. <span class="nowrap">03943 58-3234</span></p>'.
    Tags and their attributes (href="mailto:…") are left as they are; the text between tags is
    escaped by the sanitiser, so a tag is all that '<' can begin."""
    parts = HTML_TAG.split(str(html))
    for index in range(0, len(parts), 2):  # even parts are text, odd ones tags
        parts[index] = PHONE_OR_EMAIL.sub(_keep_whole, parts[index])
    return mark_safe("".join(parts))


# As django.utils.html.json_script: nothing in the data can close the <script> element.
SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data) -> str:
    """JSON for <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_SAFE))


@register.simple_tag
def link(viewname, *args) -> str:
    """As {% url %}, for the links every public page prints: remembered (press/links.py)."""
    return links.link(viewname, *args)


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """?page=N keeping the other parameters of the request (search terms, filters)."""
    params = query_without_page(context["request"].GET)
    params["page"] = number
    return "?" + params.urlencode()
