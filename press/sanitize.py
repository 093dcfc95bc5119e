"""Server-side sanitising of rich text: the one allow-list for every body that is stored.

Text pasted from Word, web pages and office portals arrives in `<div>`s, tables and `<h1>`s
that the allow-list removes. Removing a block's tags alone glues the words of neighbouring
blocks ("Montag9 bis 12 Uhr"), so `sanitize_html()` first turns the layout the allow-list
would lose into the layout it keeps: removed blocks become paragraphs (or line breaks inside
a list item or a paragraph), table rows paragraphs with their cells apart, headings the
nearest kept level; paragraphs that end up empty are dropped. nh3 (html5ever) parses the
input both times; the final nh3 pass alone decides what is safe.

Video is kept only from the own host (the Gebärdensprache page, BITV 2.0 § 4): a `<video>` with
its `<source>`s and caption `<track>`s, whose addresses must be paths on this site or addresses
on SITE_URL (`own_host_path`). A player or file from another host would send every reader's
address there (DSGVO) and is dropped.
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3
from django.conf import settings

MEDIA_TAGS = {"video", "source", "track"}
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote", *MEDIA_TAGS,
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    # No autoplay: a video starts when the reader asks (WCAG 2.1, 1.4.2 and 2.2.2).
    "video": {"controls", "poster", "width", "height", "preload"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
# Addresses the browser loads by itself: on the own host only.
OWN_HOST_ATTRIBUTES = {("video", "poster"), ("source", "src"), ("track", "src")}
# A path on this site. Not "//host/…" (another host), nor whitespace or a backslash anywhere:
# browsers drop tabs and line breaks inside URLs and read "\" as "/" (WHATWG URL Standard),
# so "/\host" and "/<tab>/host" would leave the site, too.
LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\\]*")
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Headings outside the kept levels take the nearest kept one: the page's <h1> is the title.
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4"}
# Blocks of the HTML Living Standard's flow content that the allow-list removes: each one's
# content becomes a paragraph of its own (a line inside a list item, a paragraph or a link).
REMOVED_BLOCKS = {
    "address", "article", "aside", "caption", "center", "dd", "details", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr",
    "legend", "main", "menu", "nav", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr",
}  # fmt: skip
# Table cells stay on their row's line, apart by a space.
CELLS = {"td", "th"}
# Kept elements whose content is a sequence of paragraphs, not of lines.
PARAGRAPH_FLOW = {"blockquote"}
KEPT_BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote"}
# Kept blocks whose content is phrasing only (HTML Living Standard): no blocks inside.
PHRASING = {"p", "h2", "h3", "h4"}
VOID = {"br", "hr", "source", "track"}
# Deeper nesting than this is flattened (its text kept): no page needs it, and the transform
# recurses once per level.
MAX_DEPTH = 100

_BREAK = object()  # a boundary between blocks in a sequence of tokens
TAG = re.compile(r"<[^>]*>")


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allow-list, with the separation between blocks kept;
    scripts, styles and their content are dropped. Never raises on any input text."""
    if not html:
        return ""
    return _clean(
        _keep_separation(_clean(html, ALLOWED_TAGS | set(RENAMED) | REMOVED_BLOCKS | CELLS)),
        ALLOWED_TAGS,
    )


def own_host_path(url: str) -> str | None:
    """`url` as a path on this site, or None if it is not one: "/static/dgs.webm" stays,
    "https://presse.example.org/static/dgs.webm" on SITE_URL becomes "/static/dgs.webm" (so
    it follows the site to a new address); another host, a protocol-relative "//host/…", a
    relative "dgs.webm" and any address with whitespace or a backslash give None."""
    site = settings.SITE_URL.rstrip("/")
    if url.startswith(f"{site}/"):
        url = url[len(site) :]
    return url if LOCAL_PATH.fullmatch(url) else None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's hook for every kept attribute: media addresses only from the own host."""
    if (tag, attribute) in OWN_HOST_ATTRIBUTES:
        return own_host_path(value)
    return value


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class _Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag = tag
        self.attrs = attrs
        self.children: list = []  # of _Element and str (unescaped text)


class _TreeBuilder(HTMLParser):
    """html5ever's serialisation (every element closed) -> a tree of _Element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("", [])
        self.stack: list[_Element | None] = [self.root]  # None: a level flattened by MAX_DEPTH

    def _parent(self) -> _Element:
        return next(item for item in reversed(self.stack) if item is not None)

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, attrs)
        if tag in VOID:
            self._parent().children.append(element)
        elif len(self.stack) > MAX_DEPTH:
            self.stack.append(None)
        else:
            self._parent().children.append(element)
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self._parent().children.append(_Element(tag, attrs))

    def handle_endtag(self, tag):
        if tag in VOID or len(self.stack) == 1:
            return
        self.stack.pop()

    def handle_data(self, data):
        self._parent().children.append(data)


def _keep_separation(html: str) -> str:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _content(builder.root.children, paragraphs=True)


def _tokens(children: list, *, phrasing: bool = False) -> list:
    """Escaped inline HTML strings, rendered kept blocks (as 1-tuples) and _BREAK markers.
    In `phrasing` content (a paragraph, a heading) a kept block counts as a removed one."""
    tokens: list = []
    for child in children:
        if isinstance(child, str):
            tokens.append(escape(child, quote=False))
        elif child.tag == "br":
            tokens.append("<br>")
        elif child.tag == "video":
            tokens.append((_render_video(child),))
        elif child.tag in MEDIA_TAGS:
            continue  # a <source> or <track> outside a <video> means nothing
        elif child.tag in CELLS:
            tokens += [*_tokens(child.children, phrasing=phrasing), " "]
        elif child.tag in REMOVED_BLOCKS or (phrasing and _kept_block(child)):
            tokens += [_BREAK, *_tokens(child.children, phrasing=phrasing), _BREAK]
        elif _kept_block(child):
            tokens.append((_render_block(child),))
        elif child.tag in ALLOWED_TAGS:
            tokens += _wrap_inline(child, _tokens(child.children, phrasing=phrasing))
        else:
            tokens += _tokens(child.children, phrasing=phrasing)
    return tokens


def _render_video(element: _Element) -> str:
    """The <video> with its <source>s and <track>s that kept their address and, for browsers
    that cannot play it, its text; other elements inside are reduced to their text."""

    def inner(children: list) -> str:
        parts = []
        for child in children:
            if isinstance(child, str):
                parts.append(escape(child, quote=False))
            elif child.tag in {"source", "track"}:
                # Without its address (dropped for another host) it would only be noise.
                if dict(child.attrs).get("src"):
                    parts.append(_start_tag(child.tag, child))
            else:
                parts.append(inner(child.children))
        return "".join(parts)

    return f"{_start_tag('video', element)}{inner(element.children)}</video>"


def _has_content(html: str) -> bool:
    """Text, or a video (text is escaped here, so "<video" can only be the element)."""
    return bool(TAG.sub("", html).strip()) or "<video" in html


def _kept_block(element: _Element) -> bool:
    return RENAMED.get(element.tag, element.tag) in KEPT_BLOCKS


def _start_tag(tag: str, element: _Element) -> str:
    attrs = "".join(f' {name}="{escape(value or "")}"' for name, value in element.attrs)
    return f"<{tag}{attrs}>"


def _wrap_inline(element: _Element, tokens: list) -> list:
    """An inline element (<strong>, <em>, <a>) around each run of inline content in `tokens`:
    a block inside a link or emphasis ends it and starts it again after, as browsers do. A run
    without text keeps its whitespace but loses the element."""
    wrapped: list = []
    run: list[str] = []

    def end_run():
        text = "".join(run)
        run.clear()
        if TAG.sub("", text).strip():
            wrapped.append(f"{_start_tag(element.tag, element)}{text}</{element.tag}>")
        elif text:
            wrapped.append(text)

    for token in tokens:
        if isinstance(token, str):
            run.append(token)
        else:
            end_run()
            wrapped.append(token)
    end_run()
    return wrapped


def _render_block(element: _Element) -> str:
    """The kept block with its content, or "" if it has no text left."""
    tag = RENAMED.get(element.tag, element.tag)
    inner = _content(element.children, paragraphs=tag in PARAGRAPH_FLOW, phrasing=tag in PHRASING)
    if not _has_content(inner):
        return ""
    return f"{_start_tag(tag, element)}{inner}</{tag}>"


def _content(children: list, *, paragraphs: bool, phrasing: bool = False) -> str:
    """The children as HTML. Where removed blocks left boundaries, each run of inline content
    between them becomes a paragraph (`paragraphs`) or a line of its own."""
    tokens = _tokens(children, phrasing=phrasing)
    if not any(token is _BREAK or isinstance(token, tuple) for token in tokens):
        return "".join(tokens)
    parts: list[str] = []
    run: list[str] = []
    line_before = False  # a line was written since the last kept block: the next needs a <br>

    def end_run():
        nonlocal line_before
        text = "".join(run)
        run.clear()
        if not TAG.sub("", text).strip():
            # Layout whitespace between blocks stays as it was; a run of only &nbsp; or <br>
            # would be an empty paragraph.
            if not text.strip(" \t\n\r\f"):
                parts.append(text)
            return
        if paragraphs:
            parts.append(f"<p>{text.strip()}</p>")
        else:
            parts.append(("<br>" if line_before else "") + text.strip())
            line_before = True

    for token in tokens:
        if token is _BREAK:
            end_run()
        elif isinstance(token, tuple):
            end_run()
            parts.append(token[0])
            line_before = False
        else:
            run.append(token)
    end_run()
    return "".join(parts)


# Tags after or before which whitespace is layout, not content: CKEditor re-serialises a body
# with "\n\n" between paragraphs, and a reader sees no difference.
BLOCK_EDGE = re.compile(r"\s*(</?(?:p|h2|h3|h4|ul|ol|li|blockquote|br)\b[^>]*>)\s*")
SPACES = re.compile(r"\s+")


def comparable(value) -> str:
    """`value` (a text, a rich-text body or any field value) in the form in which two values
    that a reader cannot tell apart are equal: sanitised like a stored body, line endings,
    non-breaking spaces and runs of whitespace as one space, none around block tags. Used to
    decide whether a save changed what the public sees (a correction needs a note only then)
    and which fields a revision really changed."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = sanitize_html(text)
    text = SPACES.sub(" ", text.replace("&nbsp;", " ").replace("\xa0", " "))
    return BLOCK_EDGE.sub(r"\1", text).strip()
