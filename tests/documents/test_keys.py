from __future__ import annotations

import pytest

from vigil.documents.keys import checked_number, member_state, number_key, ocr_key
from vigil.errors import InvalidInput


def test_number_key_drops_separators_and_case() -> None:
    assert number_key(" c01x-00t 47<") == "C01X00T47"


def test_ocr_key_reads_confusable_letters_as_digits() -> None:
    assert ocr_key("C0IXOOT47") == ocr_key("C01X00T47")
    assert ocr_key("B5Z") == "852"


def test_a_number_of_separators_only_is_refused() -> None:
    with pytest.raises(InvalidInput):
        checked_number("--  --")


def test_germany_mrz_code_names_the_member() -> None:
    assert member_state("D") == "DEU"
    assert member_state("fra") == "FRA"


@pytest.mark.parametrize("code", ["UNO", "XXA", "ZZZ", "GS"])
def test_codes_of_no_member_state_are_refused(code: str) -> None:
    with pytest.raises(InvalidInput):
        member_state(code)
