"""sandbox/params.py: integers as HTTP APIs spell them, never a 500 on what int() refuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sandbox.params import ascii_int, is_ascii_digits


def test_only_ascii_decimal_digits_are_integers():
    assert ascii_int("42") == 42 and ascii_int("-3", signed=True) == -3
    for text in ["٣", "1_0", " 1", "+1", "-3", "²", "", "1.0", "0x1f"]:
        assert ascii_int(text) is None, text
        assert not is_ascii_digits(text), text
    assert is_ascii_digits(b"12") and not is_ascii_digits("٣".encode()) and not is_ascii_digits(b"")


def test_a_number_too_long_for_int_is_no_integer_rather_than_an_error():
    assert ascii_int("9" * 5000) is None and ascii_int("-" + "9" * 5000, signed=True) is None
    assert not is_ascii_digits("9" * 5000) and not is_ascii_digits(b"9" * 5000)
    assert ascii_int("9" * 4000) == int("9" * 4000)


@given(st.text(max_size=30))
def test_any_text_either_reads_as_its_ascii_integer_or_not_at_all(text):
    value = ascii_int(text, signed=True)
    digits = text[1:] if text.startswith("-") else text
    spelled = digits != "" and all("0" <= c <= "9" for c in digits)
    assert (value is not None) == spelled
    assert value is None or value == int(text)
