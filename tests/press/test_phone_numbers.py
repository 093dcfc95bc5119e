"""Phone numbers as written in German press releases become international numbers (E.164)
for tel: links and vCards: the trunk zero is never part of the number after a country code."""

import pytest

from press.text import international_number, tel_uri


@pytest.mark.parametrize(
    ("written", "international"),
    [
        ("03943 58 – 3234", "+493943583234"),
        ("(03943) 58-3234", "+493943583234"),
        ("+49 3943 58-3234", "+493943583234"),
        ("0049 3943 583234", "+493943583234"),
        ("+49 (0) 3941 12-3456", "+493941123456"),
        ("+49(0)3941/12 34 56", "+493941123456"),
        ("0049 (0) 3941 123456", "+493941123456"),
        ("+49 03941 123456", "+493941123456"),
        ("+44 (0)20 7946 0018", "+442079460018"),
        ("+39 06 6988 0000", "+390669880000"),
        ("(0)3941 123456", "+493941123456"),
        ("keine", ""),
    ],
)
def test_international_number_drops_the_trunk_zero_after_a_country_code(written, international):
    assert international_number(written) == international


def test_tel_uri_of_a_number_with_the_trunk_zero_in_brackets():
    assert tel_uri("+49 (0) 3941 12-3456") == "tel:+493941123456"


def test_only_ascii_digits_make_a_phone_number():
    # "²" and Arabic-Indic digits are digits to Python, not to RFC 3966.
    assert international_number("03943 58²-3234") == "+493943583234"
    assert international_number("٠٣٩٤٣") == ""
    assert tel_uri("²") == ""
