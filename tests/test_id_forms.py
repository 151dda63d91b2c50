"""The core's one id-minting helper (sandbox/generate.py IdForm): providers declare only the form."""

from __future__ import annotations

import random
import string
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.generate import BASE62, IdForm, random_id, uuid4_text


def test_total_counts_the_prefix_and_length_does_not():
    assert len(IdForm(total=18)(random.Random(1), "reso_")) == 18
    assert len(IdForm(total=18)(random.Random(1), "li_")) == 18
    made = IdForm(24, alphabet=string.digits)(random.Random(1), "dsp_")
    assert made.startswith("dsp_") and len(made) == 28 and made[4:].isdigit()


def test_the_uniform_form_is_random_id_so_ids_stay_the_same():
    assert IdForm(13)(random.Random(7), "revt_") == random_id(random.Random(7), "revt_", 13, BASE62)


def test_bytewise_maps_each_random_byte_into_the_alphabet():
    alphabet = "abc"
    form = IdForm(64, alphabet=alphabet, bytewise=True)
    made = form(random.Random(3), "x")
    expected = "".join(alphabet[b % 3] for b in random.Random(3).randbytes(64))
    assert made == "x" + expected


@pytest.mark.parametrize("kwargs", [{}, {"length": 3, "total": 5}])
def test_exactly_one_of_length_and_total(kwargs):
    with pytest.raises(ValueError):
        IdForm(**kwargs)


@given(st.integers(min_value=0, max_value=2**128 - 1))
def test_uuid4_text_is_the_standard_librarys_version_4_uuid(bits):
    made = uuid.UUID(int=bits, version=4)
    assert uuid4_text(bits) == str(made)
    assert uuid4_text(bits, dashed=False) == made.hex
