"""Template tags of the public pages: JSON-LD, remembered links, page links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from press import links
from press.text import keep_whole as keep_text_whole
from public.paging import query_without_page

register = template.Library()


@register.filter
def keep_whole(html: str) -> str:
    """Sanitised HTML with its phone numbers and e-mail addresses kept on one line
    (`press.text.keep_whole`, <span class="nowrap"> in static/css/site.css)."""
    return mark_safe(keep_text_whole(str(html)))


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
