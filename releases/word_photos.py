"""The pictures of a Word file become photos of the archive, each with the caption and credit
printed next to it in the document.

A picture is stored only when the release gives it a credit (a photo without "Foto: …" cannot
be published: press requires the credit) and something to describe it: Word's own alternative
text, else the caption for now — the editor is told to check it. What cannot be stored is
named in a warning, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from press.models import Photo
from press.photos import validate_photo_file

from .parser import Caption, ParsedRelease
from .parser.names import squash
from .word import Picture, WordDocument


def caption_of(picture: Picture, captions: list[Caption]) -> Caption | None:
    """The caption printed right after the picture (else right before it): the first of
    `captions` whose text or credit that paragraph contains."""
    for neighbour in (picture.after, picture.before):
        text = squash(neighbour)
        for caption in captions:
            parts = [part for part in (caption.text, caption.credit) if part]
            if parts and all(squash(part) in text for part in parts):
                return caption
    return None


@contextmanager
def word_photos(
    parsed: ParsedRelease, document: WordDocument | None, warnings: list[str]
) -> Iterator[tuple[list[Photo], list[Caption]]]:
    """Yields (photos, captions): the photos stored from `document`'s pictures, in document
    order, and the release's captions that no picture took (the importer looks those up in the
    archive). Use it around the import's transaction: if the block raises, the stored photos'
    files are deleted again (their rows go with the rollback). Warnings for the editor are
    appended to `warnings`."""
    if document is None or not document.pictures:
        yield [], list(parsed.captions)
        return
    photos: list[Photo] = []
    remaining = list(parsed.captions)
    try:
        for number, picture in enumerate(document.pictures, 1):
            if photo := store_picture(number, picture, remaining, warnings):
                photos.append(photo)
        yield photos, remaining
    except BaseException:
        for photo in photos:
            delete_files(photo)
        raise


def delete_files(photo: Photo) -> None:
    """Delete a photo's original and renditions (its row goes with the rolled-back import)."""
    storage = photo.image.storage
    for name in [photo.image.name, *(entry["name"] for entry in photo.renditions)]:
        storage.delete(name)


def store_picture(
    number: int, picture: Picture, captions: list[Caption], warnings: list[str]
) -> Photo | None:
    """Store the `number`th picture as a photo with the caption of `captions` printed next to
    it (which is then removed from `captions`); None, with a warning, if it cannot be."""
    caption = caption_of(picture, captions)
    if caption is None or not caption.credit:
        warnings.append(
            _(
                "Bild %(number)d der Word-Datei hat keinen Bildnachweis („Foto: …“) und "
                "wurde nicht übernommen; bitte mit Nachweis unter Fotos hochladen."
            )
            % {"number": number}
        )
        return None
    alt_text = picture.alt_text or caption.text
    if not alt_text:
        warnings.append(
            _(
                "Bild %(number)d der Word-Datei hat weder Alternativtext noch "
                "Bildunterschrift und wurde nicht übernommen; bitte unter Fotos hochladen."
            )
            % {"number": number}
        )
        return None
    upload = ContentFile(picture.data, name=f"word-bild-{number}.{picture.extension}")
    try:
        validate_photo_file(upload)
    except ValidationError as error:
        warnings.append(
            _("Bild %(number)d der Word-Datei wurde nicht übernommen: %(reason)s")
            % {"number": number, "reason": " ".join(error.messages)}
        )
        return None
    upload.seek(0)
    photo = Photo(
        image=upload,
        caption=caption.text[:500],
        credit=caption.credit[:200],
        alt_text=alt_text[:300],
    )
    photo.save()
    captions.remove(caption)
    if not picture.alt_text:
        warnings.append(
            _(
                "Bild %(number)d: Alternativtext fehlt in der Word-Datei; vorläufig steht dort "
                "die Bildunterschrift. Bitte beschreiben, was auf dem Bild zu sehen ist."
            )
            % {"number": number}
        )
    return photo
