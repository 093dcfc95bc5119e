"""Fixtures for import and export: sample files and the same text in every accepted encoding."""

from pathlib import Path

import pytest

from releases.parser import decode, parse_release

SAMPLES = Path(__file__).parent / "samples"
# The office's real release, stored once, with the demo content.
KREISBLATT_SAMPLE = (
    Path(__file__).resolve().parents[2] / "demo" / "data" / "kreisblatt-2017-10-06.txt"
)

# (encoding, line end): what Windows and Linux editors of the press office save.
ENCODINGS = [
    ("utf-8", "\n"),
    ("utf-8", "\r\n"),
    ("utf-8-sig", "\n"),
    ("utf-8-sig", "\r\n"),
    ("cp1252", "\n"),
    ("cp1252", "\r\n"),
]


def encoded(text: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return text.replace("\n", newline).encode(encoding)


def _encoding_id(value: tuple[str, str]) -> str:
    return f"{value[0]}-{'lf' if value[1] == chr(10) else 'crlf'}"


@pytest.fixture(params=ENCODINGS, ids=_encoding_id)
def read(request):
    """read(text, known_names=()) parses `text` after saving it in one of the ENCODINGS."""
    encoding, newline = request.param

    def parse(text: str, known_names=()):
        return parse_release(decode(encoded(text, encoding, newline)), known_names)

    return parse


@pytest.fixture
def sample_bytes() -> bytes:
    return KREISBLATT_SAMPLE.read_bytes()
