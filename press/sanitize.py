"""Server-side sanitising of rich text: the one allow-list for every body that is stored."""

import re

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allow-list; scripts, styles and their content are dropped."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


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
