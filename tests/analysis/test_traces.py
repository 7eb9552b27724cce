"""Phones, accounts and sums written one way, whoever wrote them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vigil.core.traces import account_key, currency_code, from_minor, phone_key, to_minor


@pytest.mark.parametrize(
    ("written", "country"),
    [("+44 7400 663616", None), ("0044-7400-663616", None), ("07400 663616", "GBR"),
     ("+44 (0)7400 663616", None)],
)  # fmt: skip
def test_every_form_of_a_phone_is_one_number(written: str, country: str | None) -> None:
    assert phone_key(written, country) == "+447400663616"


@pytest.mark.parametrize("written", ["07400 663616", "call me", "+44 12"])
def test_a_phone_that_cannot_be_read_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        phone_key(written)


def test_an_iban_is_kept_without_spaces_and_must_pass_its_check() -> None:
    assert account_key("gb93 rvbc 3887 0038 6105 78") == "GB93RVBC38870038610578"
    with pytest.raises(ValueError, match="not a valid IBAN"):
        account_key("GB94RVBC38870038610578")


def test_other_accounts_are_kept_as_written_in_capitals() -> None:
    assert account_key("1234-5678-90") == "1234567890"
    assert account_key("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")[:4] == "BC1Q"
    with pytest.raises(ValueError, match="4 to 64"):
        account_key("12")


def test_sums_are_exact_in_each_currency_minor_units() -> None:
    assert to_minor("590.77", "EUR") == 59077
    assert to_minor(Decimal("1500"), "JPY") == 1500
    assert to_minor("1.250", "BHD") == 1250
    assert from_minor(59077, "EUR") == Decimal("590.77")
    with pytest.raises(ValueError, match="2 decimal places"):
        to_minor("1.005", "EUR")
    with pytest.raises(ValueError, match="positive"):
        to_minor("-3", "EUR")
    assert currency_code("eur") == "EUR"
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_code("EURO")
