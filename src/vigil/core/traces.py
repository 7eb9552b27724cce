"""Phone numbers, accounts and sums of money written one way, whoever wrote them.

Records from many members name the same phone or account in many forms ("+44 7400 663616",
"0044-7400663616", "07400 663616" written in London); analysis links records only when the
forms agree, so every domain stores and looks them up in the forms made here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache

import phonenumbers
from babel.numbers import get_currency_precision, list_currencies
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from schwifty.registry import get_iban_spec

from vigil.core.countries import alpha2

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
_ACCOUNT = re.compile(r"^[A-Z0-9]{4,64}$")
_SEPARATORS = re.compile(r"[\s\-./]")


def phone_key(value: str, country: str | None = None) -> str:
    """The number in E.164 (``+447400663616``).

    Args:
        value: the number as written; a national form needs ``country``.
        country: ISO 3166 alpha-3 of the country the number was written in, if known.

    Raises:
        ValueError: not a possible phone number (with the reason).
    """
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    region = alpha2(country) if country else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number ({exc._msg})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def account_key(value: str) -> str:
    """An account identifier without spaces or separators, in capitals.

    An IBAN must pass its check digits (ISO 13616): a mistyped IBAN would never link. Other
    identifiers (national account numbers, card tokens, wallet addresses) are kept as written,
    4 to 64 letters and digits.

    Raises:
        ValueError: an IBAN with wrong check digits or length, or an identifier out of shape.
    """
    key = _SEPARATORS.sub("", value).upper()
    if _IBAN_SHAPE.match(key) and _iban_country(key[:2]):
        try:
            IBAN(key)
        except SchwiftyException as exc:
            raise ValueError(f"{value!r} is not a valid IBAN ({exc})") from None
        return key
    if not _ACCOUNT.match(key):
        raise ValueError(f"{value!r} is not an account: 4 to 64 letters and digits")
    return key


@cache
def _iban_country(code: str) -> bool:
    """Whether accounts of this country (ISO alpha-2) are IBANs."""
    try:
        get_iban_spec(code)
    except (KeyError, SchwiftyException):
        return False
    return True


def currency_code(value: str) -> str:
    """An ISO 4217 currency code in capitals; ``ValueError`` for an unknown one."""
    code = value.strip().upper()
    if code not in _currencies():
        raise ValueError(f"{value!r} is not an ISO 4217 currency")
    return code


def to_minor(amount: Decimal | float | str, currency: str) -> int:
    """The amount in the currency's minor units (cents; none for JPY, mils for BHD).

    Raises:
        ValueError: not a positive number, or finer than the currency's minor unit.
    """
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"{amount!r} is not an amount") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("an amount is a positive number")
    digits = get_currency_precision(currency)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise ValueError(f"{currency} has {digits} decimal places; {amount} has more")
    return int(minor.to_integral_value(ROUND_HALF_EVEN))


def from_minor(minor: int, currency: str) -> Decimal:
    """The amount of ``minor`` units, as the currency writes it (``1234`` EUR -> ``12.34``)."""
    return Decimal(minor).scaleb(-get_currency_precision(currency))


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
