"""Travel documents of the world's people and the reports the issuing states file about them."""

from __future__ import annotations

import itertools
import random
import string
from datetime import date, timedelta
from functools import cache
from typing import Any

from vigil.documents.mrz import make_mrz
from vigil.world.humans import ICAO_TABLE_SCRIPTS, TODAY, Human
from vigil.world.names import PersonName

# The code a state writes in its MRZ where it is not the ISO alpha-3 (Germany writes "D").
MRZ_STATE = {"DEU": "D"}

# Document types, their ICAO document codes and MRZ formats, with their share of SLTD reports.
DOCUMENT_TYPES: dict[str, tuple[str, str, int]] = {
    "passport": ("P", "TD3", 62),
    "id_card": ("I", "TD1", 28),
    "residence_permit": ("IR", "TD1", 4),
    "visa": ("V", "MRVA", 3),
    "travel_document": ("PT", "TD3", 1),
    "blank": ("P", "TD3", 2),
}
# SLTD report statuses and their shares; a blank is always reported as a stolen blank.
STATUSES = (("lost", 55), ("stolen", 32), ("revoked", 7), ("invalidated", 6))

_STATUS_NAMES = [s for s, _ in STATUSES]
_STATUS_CUMULATIVE = list(itertools.accumulate(w for _, w in STATUSES))

_DIGITS = string.digits
_ALNUM = string.ascii_uppercase + string.digits
# Germany's passport numbers avoid letters that OCR confuses with digits.
_DEU = "CFGHJKLMNPRTVWXYZ" + string.digits


def document_number(rng: random.Random, state: str, kind: str) -> str:
    """A number in the style of the state's documents (a few states have their own pattern)."""
    if state == "FRA":
        return "".join(
            rng.choices(_DIGITS, k=2) + rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2)
        ) + "".join(rng.choices(_DIGITS, k=5))
    if state == "DEU":
        return rng.choice("CFGHJK") + "".join(rng.choices(_DEU, k=8))
    if state in ("GBR", "USA", "CAN", "AUS"):
        return "".join(rng.choices(_DIGITS, k=9))
    if kind == "id_card" and rng.random() < 0.3:  # long national numbers continue in TD1 data
        return "".join(rng.choices(_ALNUM, k=12))
    return rng.choice(string.ascii_uppercase) + "".join(rng.choices(_DIGITS, k=rng.choice((7, 8))))


def issue(rng: random.Random, human: Human, kind: str = "passport") -> dict[str, Any]:
    """A document the human's first nationality issued to them, with its MRZ."""
    state = human.nationalities[0]
    issued = TODAY - timedelta(days=rng.randint(30, 9 * 365))
    years = 5 if human.minor else 10
    expiry = (
        issued.replace(year=issued.year + years)
        if not _feb29(issued)
        else issued + timedelta(days=365 * years)
    )
    number = document_number(rng, state, kind)
    code, fmt, _ = DOCUMENT_TYPES[kind]
    surname, given = _mrz_names(human.name)
    mrz = make_mrz(
        format=fmt,
        document_code=code,
        issuing_state=MRZ_STATE.get(state, state),
        document_number=number,
        surname=surname,
        given_names=given,
        nationality=MRZ_STATE.get(state, state),
        birth_date=human.birth,
        sex=human.sex,
        expiry_date=expiry,
    )
    return {
        "type": kind,
        "number": number,
        "issuing_state": state,
        "issued": issued.isoformat(),
        "expiry": expiry.isoformat(),
        "mrz": "\n".join(mrz),
    }


def _feb29(day: date) -> bool:
    return day.month == 2 and day.day == 29


@cache  # ordinary holders come from small name pools: the same name many times
def _mrz_names(name: PersonName) -> tuple[str, str]:
    """Passports transliterate from the original where ICAO has a table, else romanise."""
    if name.script in ICAO_TABLE_SCRIPTS:
        given = " ".join(p for p in (name.given, name.patronymic or "") if p)
        return name.family, given
    given = " ".join(p for p in (name.latin_given, name.latin_patronymic or "") if p)
    return name.latin_family, given


def report(
    rng: random.Random,
    document: dict[str, Any],
    *,
    ref: str,
    status: str | None = None,
    holder: Human | None = None,
) -> dict[str, Any]:
    """The issuing state's report of a document (SLTD: only the issuing state reports)."""
    state = document["issuing_state"]
    chosen = status or rng.choices(_STATUS_NAMES, cum_weights=_STATUS_CUMULATIVE)[0]
    reported = TODAY - timedelta(days=rng.randint(0, 4 * 365))
    row: dict[str, Any] = {
        "ref": ref,
        "owner": state,
        "number": document["number"],
        "issuing_state": state,
        "type": document["type"],
        "status": chosen,
        "reported_on": reported.isoformat(),
        "expiry_date": document.get("expiry"),
        "mrz": document.get("mrz"),
        "envelope": {
            "audience": "all",
            "handling": "H0",
            "review_by": (TODAY + timedelta(days=rng.randint(365, 5 * 365 - 1))).isoformat(),
            "provenance": {"source_agency": f"{state} passport authority"},
        },
    }
    if holder is not None:
        row["truth_holder"] = holder.id  # ground truth: the import ignores truth_ fields
    return row


def blank_report(rng: random.Random, state: str, *, ref: str) -> dict[str, Any]:
    """A blank booklet stolen from the issuing state's stock: a number and no holder."""
    document = {
        "issuing_state": state,
        "type": "blank",
        "number": document_number(rng, state, "passport"),
    }
    return report(rng, document, ref=ref, status="stolen_blank")
