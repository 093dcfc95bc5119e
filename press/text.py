"""Text helpers shared by models, importer and search."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slugify(text: str, max_length: int = 200) -> str:
    """Slug with German transliteration: 'präsentiert' -> 'praesentiert', 'Straße' -> 'strasse'."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))
    return slug[:max_length].strip("-")
