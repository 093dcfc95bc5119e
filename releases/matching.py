"""What the archive holds already, for an imported release (issue 16): the same file, the same
release by title and date, its press contact and its photos. The importer (releases.importing)
and its preview use these; each is one query, through indexes where the archive can be large."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from press.models import Article, Photo, PressContact
from press.text import international_number

from .parser import BERLIN, Caption, Contact, Deadline, ParsedRelease


def imported_from(digest: str) -> Article | None:
    """The article imported from the file whose `source_hash` is `digest`, or None. The
    condition repeats the one of the unique index unique_import_source (source_hash not
    empty) so that SQLite uses that index: most articles have no source_hash, and SQLite's
    statistics would make it read the whole table."""
    return Article.objects.filter(source_hash=digest).exclude(source_hash="").first()


def find_duplicate(parsed: ParsedRelease) -> Article | None:
    """An existing article (imported or written in the admin) with the release's title (case
    and spacing ignored) and date (its release date or its publication day in Berlin); None if
    the release has no title or no date. One query, through the date indexes (migration press
    0014): the articles of a day are few, whatever the archive's size."""
    if not parsed.title or parsed.date is None:
        return None
    day = datetime.combine(parsed.date, time(0, 0), tzinfo=BERLIN)
    same_day = Q(release_date=parsed.date) | Q(
        publish_at__gte=day, publish_at__lt=day + timedelta(days=1)
    )
    # UPPER on both sides, in the database, rather than `title__iexact` (LIKE on SQLite): it
    # is the expression of the index article_release_date_title on both databases.
    title = Upper(Value(" ".join(parsed.title.split())))
    return (
        Article.objects.alias(upper_title=Upper("title"))
        .filter(same_day, upper_title=title)
        .order_by("pk")
        .first()
    )


def find_contact(contact: Contact, contacts: list[PressContact]) -> PressContact | None:
    """The existing press contact `contact` means: same e-mail, else same phone number, else
    the same name."""
    if contact.email:
        for candidate in contacts:
            if candidate.email and candidate.email.lower() == contact.email.lower():
                return candidate
    number = international_number(contact.phone)
    if len(number) >= 8:
        for candidate in contacts:
            if candidate.phone and international_number(candidate.phone) == number:
                return candidate
    names = {name.casefold() for name in (contact.name, contact.person) if name}
    for candidate in contacts:
        if {candidate.label.casefold(), candidate.person.casefold()} & names:
            return candidate
    return None


def match_contact(contacts: list[Contact], user, warnings: list[str]) -> PressContact | None:
    """The press contact for the article: an existing one if it matches, else a new one. None
    means the default contact (Article.save() assigns it)."""
    if not contacts:
        return None
    if len(contacts) > 1:
        warnings.append(
            _("Mehrere Kontakte im Kontaktblock; zugeordnet wird der erste: %(name)s")
            % {"name": contacts[0].name or contacts[0].email}
        )
    contact = contacts[0]
    existing = list(PressContact.objects.all())
    if found := find_contact(contact, existing):
        return found
    if not (contact.phone or contact.email):
        warnings.append(
            _("Pressekontakt „%(name)s“ unbekannt und ohne Telefon/E-Mail; es gilt der Standard.")
            % {"name": contact.name}
        )
        return None
    if user is not None and not user.has_perm("press.add_presscontact"):
        warnings.append(
            _(
                "Pressekontakt „%(name)s“ ist nicht angelegt, und Sie dürfen keine Pressekontakte "
                "anlegen; es gilt der Standardkontakt."
            )
            % {"name": contact.name or contact.email}
        )
        return None
    created = PressContact.objects.create(
        label=(contact.name or contact.email)[:200],
        person=contact.person[:150],
        phone=contact.phone[:50],
        fax=contact.fax[:50],
        email=contact.email[:254],
        address=contact.address,
    )
    warnings.append(_("Neuer Pressekontakt angelegt: %(name)s") % {"name": created.label})
    return created


def match_photos(
    captions: list[Caption], warnings: list[str], deadline: Deadline | None = None
) -> list[Photo]:
    """Photos of the archive whose caption (and credit) the release prints. A text file has no
    picture, so an unknown caption cannot become a Photo; it is reported. One query per caption;
    past `deadline` it raises OverBudgetError."""
    deadline = deadline or Deadline()
    photos = []
    for caption in captions:
        deadline.check()
        query = Photo.objects.filter(caption=caption.text) if caption.text else Photo.objects.none()
        if caption.credit:
            query = query.filter(credit=caption.credit)
        photo = query.first()
        if photo is None:
            warnings.append(
                _("Kein Foto mit der Bildunterschrift „%(caption)s“ im Archiv; bitte ergänzen.")
                % {"caption": caption.text or caption.credit}
            )
        elif photo not in photos:
            photos.append(photo)
    return photos
