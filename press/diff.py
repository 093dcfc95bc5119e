"""What changed between two revisions of an article, word by word, for people: the revisions
page and the approver's review page show it.

A revision is a row of `Article.history` (django-simple-history); its quotes, lead photo and
spokespersons are read as they were at that moment (`as_of`). The diff is Python's difflib
(`SequenceMatcher`) over words and the spaces between them, rendered escaped with `<del>` and
`<ins>`; rich text is compared as its text, one paragraph per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from press.models import Photo, Quote, Spokesperson
from press.sanitize import comparable

# Words, runs of spaces and single other characters: a changed comma is shown as such, not as
# a changed word.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
BLOCK_END = re.compile(r"</(?:p|h2|h3|h4|li|blockquote)>|<br\s*/?>", re.I)


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs: its label and the word diff as safe HTML."""

    label: str
    html: SafeString


def body_text(html: str) -> str:
    """A rich-text body as plain text, one block (paragraph, heading, list item) per line."""
    text = strip_tags(BLOCK_END.sub("\n", html or ""))
    lines = (" ".join(line.split()) for line in text.replace("&nbsp;", " ").splitlines())
    return "\n".join(line for line in lines if line)


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old` word by word: removed words in `<del>`, added ones in `<ins>`, all
    text escaped. Linear in practice (difflib without its junk heuristic; bodies are short)."""
    before, after = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def revision_content(revision) -> dict[str, str]:
    """What the public sees of an article in `revision` (a HistoricalArticle, or None for
    "nothing yet"), as labelled plain texts: kicker, title, lead, body, quotes with the
    speaker's name and function, and the lead photo's caption, credit and alternative text,
    each as they were at the revision's moment. A few queries per revision."""
    if revision is None:
        return {}
    moment = revision.history_date
    content = {
        str(_("Dachzeile")): revision.kicker,
        str(_("Überschrift")): revision.title,
        str(_("Vorspann")): revision.lead,
        str(_("Text")): body_text(revision.body),
    }
    quotes = sorted(
        Quote.history.as_of(moment).filter(article_id=revision.id),
        key=lambda quote: (quote.position, quote.id),
    )
    speaker_ids = {quote.spokesperson_id for quote in quotes}
    # Rows saved before their history was kept have none: their present values stand in.
    names = dict(Spokesperson.objects.filter(pk__in=speaker_ids).values_list("pk", "name"))
    names |= {
        person.pk: person.name
        for person in Spokesperson.history.as_of(moment).filter(pk__in=speaker_ids)
    }
    content[str(_("Zitate"))] = "\n".join(
        f"{names.get(quote.spokesperson_id, '?')}"
        f"{', ' + quote.function if quote.function else ''}: {quote.text}"
        for quote in quotes
    )
    photo = None
    if revision.lead_photo_id:
        photo = (
            Photo.history.as_of(moment).filter(pk=revision.lead_photo_id).first()
            or Photo.objects.filter(pk=revision.lead_photo_id).first()
        )
    content[str(_("Aufmacherfoto"))] = (
        "\n".join(
            [
                photo.image.name if photo.image else "",
                photo.caption,
                f"Foto: {photo.credit}",
                photo.alt_text,
            ]
        )
        if photo
        else ""
    )
    return content


def revision_diff(older, newer) -> list[FieldDiff]:
    """The fields that differ between two revisions (either may be None), in reading order,
    each with its word diff. Equal after `comparable()` means unchanged."""
    before, after = revision_content(older), revision_content(newer)
    labels = list(after) or list(before)
    return [
        FieldDiff(label, word_diff(before.get(label, ""), after.get(label, "")))
        for label in labels
        if comparable(before.get(label, "")) != comparable(after.get(label, ""))
    ]
