"""Bytes to text: the encodings a release file may come in, refusal of binary and oversized
files, and the normalised form of a text that its content hash is taken from."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .result import OverBudgetError, ReleaseFormatError

# Larger files are not press releases (logs, exports of whole mailboxes); refuse them early.
# The importer passes its own budget (settings.RELEASE_IMPORT_MAX_BYTES); this is the default
# for callers that read files of their own, such as the demo loader.
MAX_BYTES = 2_000_000

BINARY_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "Word/ZIP"),
    (b"\xd0\xcf\x11\xe0", "Word (.doc)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


def too_large(max_bytes: int) -> OverBudgetError:
    """The error for a file of more than `max_bytes` bytes."""
    return OverBudgetError(
        _("Die Datei ist zu groß für eine Pressemitteilung (höchstens %(limit)s).")
        % {"limit": filesizeformat(max_bytes)}
    )


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The text of a release file: UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252.

    Raises ReleaseFormatError for empty and binary files, and its subclass OverBudgetError for
    files of more than `max_bytes` bytes."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReleaseFormatError(
                _("Das ist keine Textdatei, sondern %(format)s. Bitte als reinen Text speichern.")
                % {"format": name}
            )
    if data.startswith(codecs.BOM_UTF8):
        text = _decode_strict(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(data, "utf-16")
    elif b"\x00" in data:
        raise ReleaseFormatError(_("Das ist keine Textdatei (Binärdaten)."))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: Word and older Windows editors save Windows-1252 ("ANSI").
            text = _decode_strict(data, "cp1252")
    if not text.strip():
        raise ReleaseFormatError(_("Die Datei ist leer."))
    controls = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0
    )
    if controls > max(3, len(text) // 100):
        raise ReleaseFormatError(_("Das ist keine Textdatei (Binärdaten)."))
    return text


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReleaseFormatError(
            _("Unbekannte Zeichenkodierung (weder UTF-8 noch Windows-1252).")
        ) from error


def normalise(text: str) -> str:
    """One spelling of the same text: NFC, LF line ends, no BOM, no trailing spaces, page breaks
    as blank lines. The content hash is taken from this, so a release saved once with CRLF and
    once with LF, or once in UTF-8 and once in Windows-1252, is the same release."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u200b", "")
    text = text.replace("\u00ad", "")  # soft hyphens from word processors
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def source_hash(text: str) -> str:
    """Content hash of a release (64 hex digits, Article.source_hash)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
