"""Store parsed press releases as articles: one file, one transaction.

`import_file()` is what the command and the admin upload call: decode, parse, and (unless it is
a dry run) create the article with its quotes, matching press contacts and spokespersons that
exist instead of duplicating them. A file that fails leaves nothing behind; the caller goes on
with the next one.

Every file has a size and a time budget (settings.RELEASE_IMPORT_MAX_BYTES and
RELEASE_IMPORT_MAX_SECONDS, issue 12, item 8): a larger file is refused before it is read, and
one that takes longer to read and store is rolled back, with a message that says which.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from press.models import Article, ArticleEvent, Photo, PressContact, Quote, Spokesperson
from press.renditions import PhotoNotStored

from .matching import find_duplicate, imported_from, match_contact, match_photos
from .parser import (
    BERLIN,
    Block,
    Caption,
    Deadline,
    OverBudgetError,
    ParsedQuote,
    ParsedRelease,
    ReleaseFormatError,
    decode,
    name_key,
    parse_release,
    source_hash,
)
from .word import WordDocument, block_key, is_docx, max_word_bytes, read_docx
from .word_photos import word_photos

logger = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    """What happened to one file."""

    CREATED = "created"
    # Imported before (same content hash), or an article with the same title and date exists
    # (`find_duplicate`) and the editor did not ask to import it anyway: nothing new.
    DUPLICATE = "duplicate"
    PARSED = "parsed"  # dry run
    FAILED = "failed"

    file: str
    status: str
    article: Article | None = None
    parsed: ParsedRelease | None = None
    reason: str = ""  # why it failed
    warnings: list[str] = field(default_factory=list)
    error: Exception | None = None  # the exception that made it fail, if one did
    # An article with the release's title and date that exists already (`find_duplicate`).
    duplicate_of: Article | None = None
    # The text the parser read (a Word file's paragraphs as lines), for the preview.
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.status != self.FAILED

    @property
    def over_budget(self) -> bool:
        """Failed because the file is over its size or time budget."""
        return isinstance(self.error, OverBudgetError)


def max_import_bytes() -> int:
    """The size budget of one release file in bytes (settings.RELEASE_IMPORT_MAX_BYTES)."""
    return settings.RELEASE_IMPORT_MAX_BYTES


def max_file_bytes(name: str) -> int:
    """The size budget of the file called `name`: a Word document's
    (`releases.word.max_word_bytes()`, pictures included) or a text file's."""
    return max_word_bytes() if is_docx(name, b"") else max_import_bytes()


def import_deadline(seconds: float | None = None) -> Deadline:
    """A time budget of `seconds` for one file, by default settings.RELEASE_IMPORT_MAX_SECONDS,
    starting now."""
    return Deadline(settings.RELEASE_IMPORT_MAX_SECONDS if seconds is None else seconds)


def database_ready() -> bool:
    """True if the tables the importer reads and writes exist, i.e. `manage.py migrate` has
    run. One query (the database's list of tables, Django's introspection API)."""
    needed = {model._meta.db_table for model in (Article, Spokesperson, PressContact)}
    return needed <= set(connection.introspection.table_names())


def known_spokesperson_names() -> list[str]:
    """Names the parser may use to resolve 'so Langer'."""
    return list(Spokesperson.objects.values_list("name", flat=True))


def import_file(
    name: str,
    data: bytes,
    *,
    user=None,
    publish: bool = False,
    dry_run: bool = False,
    known_names: Iterable[str] | None = None,
    deadline: Deadline | None = None,
    corrections: Mapping[str, object] | None = None,
    allow_duplicate: bool = False,
    database: bool = True,
) -> ImportOutcome:
    """Decode, parse and import one release file within its budgets: `data` of at most
    `max_file_bytes(name)`, read and stored before `deadline` (by default `import_deadline()`).
    Never raises for a bad file: the outcome says what went wrong, and the database is as it was
    before.

    `corrections` are the editor's values from the preview, which replace what the parser read
    (keys of `CORRECTABLE`). A release whose title and date match an existing article
    (`find_duplicate`) is not imported unless `allow_duplicate`; the outcome is DUPLICATE and
    names that article (in a dry run, `duplicate_of` names it).

    `database` False reads the file without the database (a dry run on a database that is not
    migrated, see `database_ready()`): no known names, no duplicate lookup."""
    if not database and not dry_run:
        raise ValueError("Only a dry run can do without the database.")
    deadline = deadline or import_deadline()
    document = None
    try:
        if is_docx(name, data):
            document = read_docx(data)
            text = document.text
        else:
            text = decode(data, max_import_bytes())
        if known_names is None:
            known_names = known_spokesperson_names() if database else []
        names = known_names
        parsed = parse_release(text, names, deadline=deadline)
    except ReleaseFormatError as error:
        return ImportOutcome(name, ImportOutcome.FAILED, reason=str(error), error=error)
    except Exception:
        # A parser bug must not end a whole batch with a traceback: report the file, go on.
        logger.exception("Parsing %s failed", name)
        return ImportOutcome(
            name, ImportOutcome.FAILED, reason=_("Die Datei konnte nicht gelesen werden.")
        )
    if document is not None:
        parsed.warnings.extend(document.warnings)
    for key, value in (corrections or {}).items():
        if key not in CORRECTABLE:
            raise ValueError(f"{key!r} cannot be corrected")
        setattr(parsed, key, value)
    digest = source_hash(text)
    # The same file imported before is reported as a duplicate, in the preview too.
    same_file = imported_from(digest) if database else None
    duplicate = same_file or (find_duplicate(parsed) if database else None)
    if dry_run:
        return ImportOutcome(
            name,
            ImportOutcome.PARSED,
            parsed=parsed,
            warnings=parsed.warnings,
            duplicate_of=duplicate,
            text=text,
        )
    if duplicate is not None and duplicate != same_file and not allow_duplicate:
        return ImportOutcome(
            name,
            ImportOutcome.DUPLICATE,
            article=duplicate,
            parsed=parsed,
            duplicate_of=duplicate,
            reason=_("Ein Artikel mit dieser Überschrift und diesem Datum existiert bereits."),
        )
    if same_file is not None:
        return ImportOutcome(name, ImportOutcome.DUPLICATE, article=same_file, parsed=parsed)
    try:
        article, warnings = import_release(
            parsed,
            source=digest,
            user=user,
            publish=publish,
            filename=name,
            deadline=deadline,
            document=document,
        )
    except IntegrityError as error:
        # Another import stored the same file since the look-up above (unique_import_source).
        existing = imported_from(digest)
        if existing is None:
            return ImportOutcome(name, ImportOutcome.FAILED, parsed=parsed, reason=_reason(error))
        return ImportOutcome(name, ImportOutcome.DUPLICATE, article=existing, parsed=parsed)
    except (ReleaseFormatError, PermissionDenied, ValidationError, DatabaseError) as error:
        return ImportOutcome(
            name, ImportOutcome.FAILED, parsed=parsed, reason=_reason(error), error=error
        )
    except PhotoNotStored as error:
        # A Word file's picture could not be stored (a full disk): the import is rolled back.
        return ImportOutcome(
            name, ImportOutcome.FAILED, parsed=parsed, reason=error.message, error=error
        )
    return ImportOutcome(
        name, ImportOutcome.CREATED, article=article, parsed=parsed, warnings=warnings
    )


# What the editor may correct in the preview: fields of ParsedRelease.
CORRECTABLE = frozenset({"kind", "kicker", "title", "date", "embargo", "lead"})


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("Dafür fehlt Ihnen die Berechtigung.")
    if isinstance(error, DatabaseError):
        return _("Datenbankfehler: %(error)s") % {"error": error}
    return str(error)


def import_release(
    parsed: ParsedRelease,
    *,
    source: str,
    user=None,
    publish: bool = False,
    filename: str = "",
    deadline: Deadline | None = None,
    document: WordDocument | None = None,
) -> tuple[Article, list[str]]:
    """Create the article for `parsed` in one transaction; past `deadline` it raises
    OverBudgetError and the transaction is rolled back.

    Returns (article, warnings). An article imported from the same `source` (content hash)
    makes it raise IntegrityError (the unique index unique_import_source): import_file looks
    that up before, so that a file costs the look-up once, and reports a file that another
    import stored in the meantime as a duplicate. `user` None is a system import (the
    command): no permission checks, history entries without a person. With a user (the admin
    upload) the article is created through Article.edit(), which checks the add_article
    permission."""
    warnings = list(parsed.warnings)
    deadline = deadline or Deadline()
    with transaction.atomic(), word_photos(parsed, document, warnings) as (pictures, captions):
        formatted = document.formatted if document else None
        article, photos = unsaved_article(
            parsed, user, warnings, deadline, pictures, captions, formatted
        )
        article.source_hash = source
        note = _("Import aus „%(file)s“") % {"file": filename} if filename else ""
        if user is None:
            # A system import has no person who could hold add_article; it is recorded as such.
            article.save()
            article.record(ArticleEvent.Action.CREATED, by=None, from_state="", comment=note)
        else:
            article.edit(by=user)
        if len(photos) > 1:
            article.photos.set(photos[1:])
        add_quotes(article, parsed.quotes, user, warnings, deadline)
        if publish:
            publish_imported(article, parsed, by=user, comment=note)
    return article, warnings


def unsaved_article(
    parsed: ParsedRelease,
    user,
    warnings: list[str],
    deadline: Deadline | None = None,
    pictures: list[Photo] = (),
    captions: list[Caption] | None = None,
    formatted: dict[str, str] | None = None,
) -> tuple[Article, list[Photo]]:
    """(article, photos): a new, unsaved article with the release's text, its press contact
    (an existing one where it matches), lead photo, release date and Sperrfrist (as the
    proposed `publish_at`), and the photos: `pictures` (stored from a Word file, `word_photos`)
    first, then the archive's photos that the other `captions` (default: all the release's)
    name. `formatted` maps a block's text to the HTML of its Word paragraph. What the release
    leaves unsure is appended to `warnings`."""
    article = Article(
        kind=parsed.kind,
        kicker=parsed.kicker,
        title=parsed.title,
        lead=parsed.lead,
        body=body_html(parsed.blocks, formatted),
        press_contact=match_contact(parsed.contacts, user, warnings),
        # Kept on the draft: the release date for "mit Originaldatum veröffentlichen", the
        # Sperrfrist as the proposed publication time that the publish form starts from.
        release_date=parsed.date,
        publish_at=parsed.embargo,
    )
    captions = parsed.captions if captions is None else captions
    photos = list(pictures) + match_photos(captions, warnings, deadline)
    article.lead_photo = photos[0] if photos else None
    return article, photos


def publish_imported(article: Article, parsed: ParsedRelease, *, by, comment: str) -> None:
    """Publish an imported release with its own release date (or Sperrfrist).

    This bypasses Article.publish() on purpose: migrating the old archive is not an editorial
    approval. Those releases were approved and published years ago; the four-eyes rule and the
    publish permission do not apply to copying them, and publish() would date them today."""
    if parsed.embargo:
        at = parsed.embargo
    elif parsed.date:
        # Only the day is known; the start of that day keeps the release date in every zone
        # the site shows it in, and makes a release dated today public at once.
        at = datetime.combine(parsed.date, time(0, 0), tzinfo=BERLIN)
    else:
        raise ReleaseFormatError(
            _("Ohne Veröffentlichungsdatum kann die Mitteilung nicht veröffentlicht werden.")
        )
    from_state = article.state
    article.state = Article.State.PUBLISHED
    article.publish_at = at
    article.save()
    scheduled = at > timezone.now()
    action = ArticleEvent.Action.SCHEDULED if scheduled else ArticleEvent.Action.PUBLISHED
    article.record(action, by=by, from_state=from_state, comment=comment)


def body_html(blocks: list[Block], formatted: dict[str, str] | None = None) -> str:
    """The body as the HTML the editor produces: paragraphs, subheadings, lists. A block whose
    text `formatted` knows (a Word paragraph, `releases.word.block_key`) keeps that HTML, with
    its bold, italic, links and headings (sanitised when the Word file was read)."""
    html = []
    for block in blocks:
        if formatted and (rich := formatted.get(block_key(block.as_text()))):
            html.append(rich)
        elif block.kind in {"ul", "ol"}:
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            html.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "h":
            html.append(f"<h2>{escape(block.text)}</h2>")
        else:
            html.append(f"<p>{escape(block.text)}</p>")
    return "".join(html)


def add_quotes(
    article: Article,
    quotes: list[ParsedQuote],
    user,
    warnings: list[str],
    deadline: Deadline | None = None,
) -> None:
    """Quote rows for the article; each keeps the function the release printed, else the
    spokesperson's current one (as Quote.save() does). Past `deadline` it raises
    OverBudgetError.

    All quotes go in with one INSERT (and one for their history, by `user`): PostgreSQL's
    search trigger then rewrites the article's search column once, not once per quote
    (migration press 0013; 3 ms a rewrite). Being a bulk insert, it sends no post_save; the
    article's own save in the same transaction has already retired the cached pages."""
    deadline = deadline or Deadline()
    people = {name_key(person.name): person for person in Spokesperson.objects.all()}
    rows = []
    for position, parsed in enumerate(quotes):
        deadline.check()
        person = people.get(name_key(parsed.speaker))
        if person is None:
            if len(parsed.speaker) > 150:
                warnings.append(_("Name zu lang: „%(name)s“") % {"name": parsed.speaker[:60]})
                continue
            if user is not None and not user.has_perm("press.add_spokesperson"):
                warnings.append(
                    _("Zitatgeber/in „%(name)s“ nicht angelegt (keine Berechtigung).")
                    % {"name": parsed.speaker}
                )
                continue
            person = Spokesperson.objects.create(
                name=parsed.speaker, function=parsed.function[:200]
            )
            people[name_key(person.name)] = person
        rows.append(
            Quote(
                article=article,
                spokesperson=person,
                text=parsed.text,
                function=parsed.function[:300] or person.function_line[:300],
                position=position,
            )
        )
    if rows:
        bulk_create_with_history(rows, Quote, default_user=user)
