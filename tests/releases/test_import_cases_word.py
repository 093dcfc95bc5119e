"""Other offices' layouts in Word (issue 16, acceptance: "your own further cases per kind, in
the text and the Word format"): every import case, written as a .docx, is read exactly as its
text file — once with the text's blocks as paragraphs and their lines as line breaks
(Shift+Enter), once with every line a paragraph of its own (Enter), as people type in Word."""

import io

import docx
import pytest

from releases.parser import ParsedRelease, decode, parse_release
from releases.word import read_docx
from releases.word_export import release_text_as_docx

from .test_import_cases import CASES

# In Word a line typed with Enter is a paragraph of its own, so where the text file's layout
# lives in lines of one block, Word's per-line form says something else: a list without bullet
# marks becomes paragraphs, and a short title line over its caption a paragraph and a caption.
# Nothing is lost (checked below), but the two kinds are read as what Word says.
PER_LINE_DIFFERS = {"16_bildunterschrift", "18_liste-ohne-spiegelstriche"}


def word_file(text: str, *, per_line: bool) -> bytes:
    if not per_line:
        return release_text_as_docx(text)
    document = docx.Document()
    for line in text.strip().split("\n"):
        if line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def reading(parsed: ParsedRelease) -> dict:
    """Everything the importer takes from a release, comparable."""
    return {
        "kind": parsed.kind,
        "kicker": parsed.kicker,
        "title": parsed.title,
        "date": parsed.date,
        "embargo": parsed.embargo,
        "lead": parsed.lead,
        "paragraphs": parsed.paragraphs,
        "quotes": [(q.speaker, q.function, q.text) for q in parsed.quotes],
        "contacts": [(c.name, c.person, c.phone, c.fax, c.email) for c in parsed.contacts],
        "captions": [(c.text, c.credit) for c in parsed.captions],
        "uncertain": parsed.uncertain,
    }


def everything_read(parsed: ParsedRelease) -> str:
    """Every text the importer kept or named: the fields, the lines it read as meta data, and
    its warnings."""
    parts = [parsed.kicker, parsed.title, parsed.lead, *parsed.paragraphs]
    parts += [f"{c.text} {c.credit}" for c in parsed.captions]
    parts += [f"{q.speaker} {q.function} {q.text}" for q in parsed.quotes]
    parts += [" ".join(vars(contact).values()) for contact in parsed.contacts]
    parts += [*getattr(parsed, "meta_lines", []), *parsed.warnings]
    return " ".join(str(part) for part in parts)


# The keyword in front of a credit ("Foto: …", "Bild (…): …") is the format, not the content.
CREDIT_LABELS = {"", "Foto", "Bild"}


def words_of(text: str) -> set[str]:
    return {word.strip('„“"»«()[],.:;!?–-') for word in text.split()} - CREDIT_LABELS


@pytest.mark.parametrize("per_line", [False, True], ids=["line-breaks", "paragraph-per-line"])
@pytest.mark.parametrize(("path", "expected"), CASES, ids=[path.name for path, _ in CASES])
def test_each_case_in_word_is_read_as_its_text_file(path, expected, per_line):
    text = decode(path.read_bytes())
    from_text = parse_release(text)

    from_word = parse_release(read_docx(word_file(text, per_line=per_line)).text)

    if per_line and any(kind in path.name for kind in PER_LINE_DIFFERS):
        # Read differently, but no word of the release is lost.
        assert words_of(text) <= words_of(everything_read(from_word))
        return
    assert reading(from_word) == reading(from_text)
