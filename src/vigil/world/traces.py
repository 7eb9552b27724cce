"""The traces networks leave: phones, e-mail addresses, streets, bank accounts, vehicles,
online advertisements and money transfers (with laundering hidden among ordinary payments)."""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from schwifty import IBAN
from schwifty.registry import get_iban_spec

from vigil.core.countries import alpha2
from vigil.world.humans import TODAY

# Reporting thresholds that structuring stays just below (EUR 10,000 cash; USD 10,000 CTR).
STRUCTURING_LIMIT = 10_000


@cache
def _region(country: str) -> str | None:
    """The phonenumbers region (ISO alpha-2) of a member, if it has a numbering plan."""
    region = alpha2(country)
    return region if region and phonenumbers.country_code_for_region(region) else None


def phone(rng: random.Random, country: str) -> str | None:
    """A valid mobile number of the country in E.164, from its example number's pattern."""
    region = _region(country)
    if region is None:
        return None
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None:
        return None
    national = str(example.national_number)
    for _ in range(8):
        keep = max(2, len(national) - 6)
        digits = national[:keep] + "".join(rng.choices(string.digits, k=len(national) - keep))
        number = phonenumbers.parse(f"+{example.country_code}{digits}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return phonenumbers.format_number(example, PhoneNumberFormat.E164)


_MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "proton.me", "mail.ru", "yandex.ru")


def email(rng: random.Random, latin_name: str) -> str:
    """A personal mailbox built from a romanised name."""
    base = "".join(c for c in latin_name.lower().replace(" ", ".") if c.isalnum() or c == ".")
    return f"{base or 'user'}{rng.randint(1, 999)}@{rng.choice(_MAIL_DOMAINS)}"


@cache
def _iban_country(country: str) -> str | None:
    code = alpha2(country)
    if code is None:
        return None
    try:
        get_iban_spec(code)
    except (KeyError, ValueError, LookupError):
        return None
    return code


def bank_account(rng: random.Random, country: str) -> str:
    """A valid IBAN where the country uses them, else a local account number."""
    code = _iban_country(country)
    if code is not None:
        try:
            return str(IBAN.random(country_code=code, random=rng))
        except (TypeError, ValueError):
            pass  # schwifty has no bank registry for some IBAN countries: use a local number
    return f"{country}-{''.join(rng.choices(string.digits, k=12))}"


# Ordinary customers per country whose payments surround the networks' own.
ORDINARY_ACCOUNTS = 60


@cache
def ordinary_accounts(seed: int, country: str) -> list[str]:
    """The ordinary account holders of a country, the same for a seed in every process.

    Generating an IBAN costs about a millisecond (schwifty builds it from the bank code's
    pattern), so payments between ordinary people draw from this pool instead.
    """
    rng = random.Random(f"{seed}:accounts:{country}")
    return [bank_account(rng, country) for _ in range(ORDINARY_ACCOUNTS)]


def vehicle(rng: random.Random, country: str) -> str:
    """A registration plate as police write it: country code and plate."""
    plate = (
        "".join(rng.choices(string.ascii_uppercase, k=2))
        + "-"
        + "".join(rng.choices(string.digits, k=3))
        + "-"
        + "".join(rng.choices(string.ascii_uppercase, k=2))
    )
    return f"{country} {plate}"


# A few templates per network: recruitment for work abroad, and travel offers for smuggling.
AD_TEMPLATES = {
    "trafficking": (
        "Work abroad as {job} in {city}! {salary} EUR/month, visa and ticket provided. "
        "Call or WhatsApp {phone}",
        "Agency seeks young women for {job} jobs in {city}. No experience needed, "
        "accommodation included. Contact {phone}",
        "Offre d'emploi: {job} à {city}, salaire {salary} EUR, billet payé. Appelez le {phone}",
        "Se buscan chicas para trabajar de {job} en {city}. Sueldo {salary} EUR. Tel {phone}",
    ),
    "smuggling": (
        "Safe trip to {city}, documents arranged, departure every week. WhatsApp {phone}",
        "رحلة آمنة إلى {city}، نرتب الأوراق. للتواصل واتساب {phone}",
        "Travel to Europe without problems. Guaranteed arrival in {city}. Telegram {phone}",
    ),
}
JOBS = ("waitress", "model", "nanny", "dancer", "cleaner", "farm worker", "hotel staff")


def advertisement(
    rng: random.Random,
    *,
    ref: str,
    owner: str,
    kind: str,
    template: str,
    phone_number: str,
    city: str,
    country: str,
) -> dict[str, Any]:
    """An online ad collected by a member's police, written from the network's template."""
    text = template.format(
        job=rng.choice(JOBS),
        city=city,
        salary=rng.choice((800, 1200, 1500, 2000, 2500)),
        phone=phone_number,
    )
    posted = datetime(TODAY.year, TODAY.month, TODAY.day) - timedelta(
        minutes=rng.randint(0, 525_600)
    )
    return {
        "ref": ref,
        "owner": owner,
        "posted_at": posted.isoformat() + "Z",
        "site": rng.choice(("classifieds.example", "jobs-board.example", "social.example")),
        "text": text,
        "phones": [phone_number],
        "city": city,
        "country": country,
        "image_hashes": [f"{rng.getrandbits(64):016x}" for _ in range(rng.randint(0, 3))],
        "envelope": {"audience": "all", "handling": "H0", "review_by": _review(rng)},
    }


def transfer(
    rng: random.Random,
    *,
    ref: str,
    owner: str,
    source: str,
    target: str,
    amount: float,
    at: datetime,
) -> dict[str, Any]:
    """A money transfer as a financial intelligence unit passes it on."""
    return {
        "ref": ref,
        "owner": owner,
        "at": at.isoformat() + "Z",
        "from_account": source,
        "to_account": target,
        "amount": round(amount, 2),
        "currency": "EUR",
        "channel": rng.choice(("bank_transfer", "money_remitter", "card", "crypto_exchange")),
        "envelope": {"audience": "all", "handling": "H2", "review_by": _review(rng)},
    }


def _review(rng: random.Random) -> str:
    return (TODAY + timedelta(days=rng.randint(365, 3 * 365))).isoformat()
