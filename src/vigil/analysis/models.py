"""Online advertisements and money transfers as members share them, and what lookups return."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vigil.access.envelope import Envelope, EnvelopeIn
from vigil.core import clock
from vigil.core.countries import alpha3_code
from vigil.core.traces import account_key, currency_code, phone_key, to_minor

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_HASH = re.compile(r"^[0-9a-f]{16}$")


def _utc(value: datetime) -> datetime:
    """A time with its offset, in UTC; one written without is taken as UTC already."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if value > clock.now() + timedelta(days=1):
        raise ValueError("is in the future")
    return value


def _email(value: str) -> str:
    address = value.strip().lower()
    if not _EMAIL.match(address):
        raise ValueError(f"{value!r} is not an e-mail address")
    return address


def _image_hash(value: str) -> str:
    digest = value.strip().lower()
    if not _HASH.match(digest):
        raise ValueError(f"{value!r} is not a 64-bit perceptual hash (16 hexadecimal digits)")
    return digest


When = Annotated[datetime, AfterValidator(_utc)]
Country = Annotated[str, AfterValidator(alpha3_code)]
Email = Annotated[str, AfterValidator(_email)]
ImageHash = Annotated[str, AfterValidator(_image_hash)]
Account = Annotated[str, AfterValidator(account_key)]
Currency = Annotated[str, AfterValidator(currency_code)]


class AdIn(EnvelopeIn):
    """An online advertisement a member recorded: where and when it was posted, its text, and
    the contacts it gives. Phones in a national form are read as numbers of ``country``."""

    model_config = ConfigDict(extra="forbid")

    posted_at: When
    site: str = Field(min_length=1, max_length=200, description="The site or platform.")
    url: str | None = Field(default=None, max_length=2000)
    text: str = Field(min_length=1, max_length=20_000)
    city: str | None = Field(default=None, max_length=120)
    country: Country | None = Field(
        default=None, description="ISO 3166 alpha-3 of the place offered."
    )
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    phones: list[str] = Field(default_factory=list, max_length=20)
    emails: list[Email] = Field(default_factory=list, max_length=20)
    image_hashes: list[ImageHash] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _phones_in_e164(self) -> AdIn:
        keys = [phone_key(p, self.country) for p in self.phones]
        self.phones = list(dict.fromkeys(keys))  # one each, in the ad's order
        return self


class Ad(BaseModel):
    id: str
    envelope: Envelope
    posted_at: When
    site: str
    url: str | None
    text: str
    city: str | None
    country: str | None
    language: str | None
    phones: list[str]
    emails: list[str]
    image_hashes: list[str]


class Channel(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    MONEY_REMITTER = "money_remitter"
    CRYPTO_EXCHANGE = "crypto_exchange"
    CASH_DEPOSIT = "cash_deposit"
    HAWALA = "hawala"
    OTHER = "other"


class TransferIn(EnvelopeIn):
    """A money transfer as a financial intelligence unit passes it on to its NCB."""

    model_config = ConfigDict(extra="forbid")

    at: When
    from_account: Account
    to_account: Account
    amount: Decimal = Field(gt=0, max_digits=18)
    currency: Currency
    channel: Channel
    reference: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _checked(self) -> TransferIn:
        if self.from_account == self.to_account:
            raise ValueError("from_account and to_account are the same account")
        to_minor(self.amount, self.currency)  # more decimals than the currency has
        return self


class Transfer(BaseModel):
    id: str
    envelope: Envelope
    at: When
    from_account: str
    to_account: str
    amount: Decimal
    currency: str
    channel: Channel
    reference: str | None


class Direction(StrEnum):
    IN = "in"
    OUT = "out"
    BOTH = "both"


class Counterparty(BaseModel):
    """Another account that sent money to, or received money from, the one looked at."""

    account: str
    sent: int = Field(description="Transfers from this account to the one looked at.")
    received: int = Field(description="Transfers from the one looked at to this account.")


class Total(BaseModel):
    currency: str
    incoming: Decimal
    outgoing: Decimal


class AccountFlows(BaseModel):
    """What the caller may see of one account: counts, sums by currency, counterparties."""

    account: str
    incoming: int
    outgoing: int
    first_at: datetime | None
    last_at: datetime | None
    totals: list[Total]
    counterparties: list[Counterparty] = Field(description="The most frequent first.")
