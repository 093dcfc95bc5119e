"""Template tags of the public pages: JSON-LD, remembered links, page links, kept parts."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import translation
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


# --- {% kept %} --------------------------------------------------------------------------------

# (name, language, script prefix) -> the rendered part. A few names and languages: no bound.
_kept: dict[tuple[str, str, str], str] = {}


class KeptNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        memo = (self.name, translation.get_language() or "", get_script_prefix())
        try:
            return _kept[memo]
        except KeyError:
            pass
        output = self.nodelist.render(context)
        _kept[memo] = output
        return output


@register.tag
def kept(parser, token) -> KeptNode:
    """{% kept "name" %}…{% endkept %}: the enclosed part rendered once per name, language and
    script prefix in this process, then repeated. Only for parts that depend on nothing else —
    no variable of a page, no row of the database: translations, links, static files (the
    page's frame in templates/base.html). Forgotten when a setting changes (tests).

    Speed trick, kept because it pays: measured 2026-12-01 (20,000 articles on PostgreSQL,
    function calls per uncached request in the worker) the frame of base.html is
    about 1,900 of the article page's 10,800 calls. Raises TemplateSyntaxError without a
    quoted name."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% kept %} takes one quoted name")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], nodelist)


@receiver(setting_changed)
def forget_kept(**kwargs) -> None:
    """A changed setting (SITE_URL, the static files' storage, the URLconf) may change a part."""
    _kept.clear()
