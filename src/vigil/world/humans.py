"""The people of the world, and how each country that records one of them writes it down.

A ``Human`` is the truth: one real person. A person record is what one member's police wrote
about that human, in its own way: another romanisation, a typo, the name parts swapped, a given
name missing, a partial birth date, an alias. Ground truth links the records of one human.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from vigil.world.names import PersonName, draw_name, spelling_variants

# Scripts whose names passports transliterate from the original (ICAO Doc 9303 Part 3 tables);
# for the others the state's own romanisation is what the passport carries.
ICAO_TABLE_SCRIPTS = frozenset({"Latn", "Cyrl", "Arab", "Grek"})

TODAY = date(2026, 6, 30)  # the world's "now": fixed, so that a seed gives the same world


@dataclass(slots=True)
class Human:
    """One real person, as only the ground truth knows them."""

    id: str
    name: PersonName
    sex: str
    birth: date
    nationalities: list[str]
    role: str  # organiser, recruiter, transporter, forger, exploiter, money_mule, victim, ...
    network: str | None = None
    minor: bool = False
    documents: list[dict[str, Any]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)


def make_human(
    rng: random.Random, human_id: str, nationality: str, role: str, *, minor: bool = False
) -> Human:
    """A new person of a nationality; about one in twenty holds a second nationality."""
    sex = "F" if rng.random() < _female_share(role, minor) else "M"
    age = rng.randint(3, 17) if minor else _adult_age(rng, role)
    birth = TODAY - timedelta(days=age * 365 + rng.randint(0, 364))
    nationalities = [nationality]
    if rng.random() < 0.05:
        nationalities.append(rng.choice(_SECOND_NATIONALITIES))
    name = draw_name(rng, nationality, sex)
    return Human(human_id, name, sex, birth, nationalities, role, minor=minor)


def _female_share(role: str, minor: bool) -> float:
    # UNODC Global Report 2024: detected victims 39 % women, 22 % girls, 16 % boys, 23 % men.
    if role in ("victim", "missing"):
        return 22 / 38 if minor else 39 / 62
    return 0.25


def _adult_age(rng: random.Random, role: str) -> int:
    if role in ("victim", "missing"):
        return rng.choice((18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 34, 38, 43, 50))
    return rng.randint(21, 62)


_SECOND_NATIONALITIES = ("FRA", "GBR", "USA", "ESP", "ITA", "DEU", "CAN", "TUR", "NLD", "BEL")


def person_record(
    rng: random.Random, human: Human, *, ref: str, owner: str, category: str
) -> dict[str, Any]:
    """What ``owner``'s police record about ``human``, in the import format of persons."""
    record: dict[str, Any] = {
        "ref": ref,
        "owner": owner,
        "category": category,
        "names": _recorded_names(rng, human, owner),
        "birth_date": _recorded_birth(rng, human.birth),
        "sex": human.sex if rng.random() < 0.95 else None,
        "nationalities": _recorded_nationalities(rng, human.nationalities),
        "identifiers": _recorded_documents(rng, human, owner),
        "phones": _some(rng, human.phones, 0.6),
        "emails": _some(rng, human.emails, 0.4),
        "addresses": _some(rng, human.addresses, 0.3),
        "bank_accounts": _some(rng, human.accounts, 0.3),
        "envelope": _envelope(rng, owner, category),
    }
    if human.minor:
        record["minor"] = True
    return record


def _recorded_names(rng: random.Random, human: Human, owner: str) -> list[dict[str, Any]]:
    name = human.name
    names: list[dict[str, Any]] = []
    if owner in human.nationalities and name.script != "Latn":
        names.append(_name_entry("original", name.given, name.family, name.patronymic, name))
    given, family = _latin_form(rng, name)
    given, family = _perturbed(rng, given, family)
    names.append(_name_entry("latin", given, family, name.latin_patronymic, name, script="Latn"))
    if rng.random() < 0.10:
        alias = draw_name(rng, human.nationalities[0], human.sex)
        names.append(
            _name_entry("alias", alias.latin_given, alias.latin_family, None, alias, script="Latn")
        )
    return names


def _latin_form(rng: random.Random, name: PersonName) -> tuple[str, str]:
    """The common romanisation, or another spelling a foreign police would write."""
    if rng.random() < 0.35:
        variants = spelling_variants(rng, name)
        if variants:
            variant = rng.choice(variants)
            given, _, family = variant.rpartition(" ") if " " in variant else ("", "", variant)
            if given:
                return given, family
    return name.latin_given, name.latin_family


def _perturbed(rng: random.Random, given: str, family: str) -> tuple[str, str]:
    """The slips of a busy officer: swapped name parts, a dropped given name, a typo."""
    parts = given.split()
    if len(parts) > 1 and rng.random() < 0.10:
        given = parts[0]
    if rng.random() < 0.07:
        if rng.random() < 0.5:
            family = _typo(rng, family)
        else:
            given = _typo(rng, given)
    if family and rng.random() < 0.08:
        given, family = family, given
    return given, family


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    match rng.randrange(3):
        case 0:  # a letter doubled or dropped
            return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]
        case 1:  # two letters swapped
            return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        case _:  # a letter mistyped
            letter = rng.choice(string.ascii_lowercase)
            return word[:i] + (letter.upper() if word[i].isupper() else letter) + word[i + 1 :]


def _name_entry(
    kind: str,
    given: str,
    family: str,
    patronymic: str | None,
    name: PersonName,
    *,
    script: str | None = None,
) -> dict[str, Any]:
    parts = [given, patronymic or "", family]
    if name.order == "family-given" and kind == "original":
        parts = [family, given]
    full = " ".join(p for p in parts if p)
    entry: dict[str, Any] = {"kind": kind, "full": full, "given": given, "family": family}
    if patronymic:
        entry["patronymic"] = patronymic
    entry["script"] = script or name.script
    return entry


def _recorded_birth(rng: random.Random, birth: date) -> str | None:
    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.15:
        return f"{birth.year:04d}"
    if roll < 0.25:
        return f"{birth.year:04d}-{birth.month:02d}"
    if roll < 0.28 and birth.day <= 12 and birth.day != birth.month:
        return f"{birth.year:04d}-{birth.day:02d}-{birth.month:02d}"  # day and month swapped
    return birth.isoformat()


def _recorded_nationalities(rng: random.Random, nationalities: list[str]) -> list[str]:
    roll = rng.random()
    if roll < 0.10:
        return []
    if roll < 0.15:
        return nationalities[:1]
    return list(nationalities)


def _recorded_documents(rng: random.Random, human: Human, owner: str) -> list[dict[str, str]]:
    chance = 0.7 if owner in human.nationalities else 0.4
    return [
        {"type": d["type"], "number": d["number"], "issuing_state": d["issuing_state"]}
        for d in human.documents
        if rng.random() < chance
    ]


def _some(rng: random.Random, values: list[str], share: float) -> list[str]:
    return [v for v in values if rng.random() < share]


def _envelope(rng: random.Random, owner: str, category: str) -> dict[str, Any]:
    # Victims are restricted to their owner by default; the rest is shared with every member,
    # now and then with a handling code or an excluded member, as owners do.
    audience: Any = {"only": [owner]} if category == "victim" else "all"
    if audience == "all" and rng.random() < 0.03:
        audience = {"except": [rng.choice(_SECOND_NATIONALITIES)]}
        if owner in audience["except"]:
            audience = "all"
    handling = rng.choices(("H0", "H1", "H2"), weights=(85, 10, 5))[0]
    return {
        "audience": audience,
        "handling": handling,
        "review_by": (TODAY + timedelta(days=rng.randint(180, 5 * 365 - 1))).isoformat(),
        "provenance": {
            "source_agency": f"{owner} national police",
            "source_reliability": rng.choices("ABCX", weights=(20, 50, 20, 10))[0],
            "information_credibility": rng.choices("1234", weights=(15, 45, 30, 10))[0],
        },
    }
