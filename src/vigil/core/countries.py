"""The members of the exchange: INTERPOL's member countries plus the General Secretariat.

Country codes are ISO 3166-1 alpha-3, as a passport's MRZ writes them. Membership is derived
from the United Nations membership column that ``country_converter`` ships, adjusted by the
decisions of INTERPOL's General Assembly, because no package lists INTERPOL's membership itself.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

GS = "GS"

# Admitted by the INTERPOL General Assembly though not UN members: Vatican City State, the
# State of Palestine (2017), Curacao and Sint Maarten (2011).
_ADMITTED_NON_UN = frozenset({"VAT", "PSE", "CUW", "SXM"})
# A UN member that is not a member of INTERPOL.
_UN_NOT_MEMBERS = frozenset({"PRK"})


@dataclass(frozen=True, slots=True)
class Member:
    """One participant: a country's National Central Bureau, or the General Secretariat."""

    code: str
    name: str
    kind: str  # "country" | "secretariat"


@cache
def country_table() -> tuple[dict[str, str], ...]:
    """The rows of country_converter's country table (ISO codes, UN membership, regions)."""
    # Read the data file directly: importing country_converter would import pandas, which
    # costs a second on every CLI start for a few columns.
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("country_converter is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    with path.open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh, delimiter="\t"))


def _un_member_codes() -> set[str]:
    return {row["ISO3"] for row in country_table() if (row.get("UNmember") or "").strip()}


def alpha3_code(value: str) -> str:
    """An ISO 3166-1 alpha-3 code in capitals, whatever case it was written in.

    Raises:
        ValueError: not a country's alpha-3 code.
    """
    code = value.strip().upper()
    if alpha2(code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-3 country code")
    return code


@cache
def alpha2(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of an alpha-3 code (phone and IBAN registries use it)."""
    country = pycountry.countries.get(alpha_3=code)
    return None if country is None else str(country.alpha_2)


@cache
def members() -> tuple[Member, ...]:
    """Every member, countries sorted by code, the General Secretariat last."""
    codes = (_un_member_codes() - _UN_NOT_MEMBERS) | _ADMITTED_NON_UN
    countries = []
    for code in sorted(codes):
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise RuntimeError(f"{code} is not an ISO 3166-1 country in pycountry")
        name = getattr(country, "common_name", None) or country.name
        countries.append(Member(code=code, name=name, kind="country"))
    return (*countries, Member(code=GS, name="General Secretariat", kind="secretariat"))


@cache
def member_codes() -> frozenset[str]:
    """The set of member codes, for validation."""
    return frozenset(m.code for m in members())


def is_member(code: str) -> bool:
    """Whether ``code`` names a member of the exchange."""
    return code in member_codes()
