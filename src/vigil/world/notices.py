"""Red and Yellow Notices on the world's person records, in the lines ``vigil notices import``
takes (``POST /api/v1/notices/import``): the notice's own fields, ``person_ref`` for its
person, and ``state`` ``published`` with the date the source system published it."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from vigil.world.chunk import CITIES, Chunk
from vigil.world.humans import TODAY, Human

CHARGES = (
    ("trafficking in human beings", "Criminal Code, trafficking in persons", 10),
    ("migrant smuggling", "Law on foreigners, facilitation of illegal entry", 7),
    ("forced labour", "Criminal Code, forced labour", 8),
    ("money laundering", "Criminal Code, laundering of proceeds of crime", 10),
    ("forgery of travel documents", "Criminal Code, forgery of official documents", 5),
)


def red_notice(
    rng: random.Random, chunk: Chunk, owner: str, person: str, human: Human
) -> dict[str, Any]:
    charge, law, years = (
        CHARGES[0 if human.role != "forger" else 4] if rng.random() < 0.6 else rng.choice(CHARGES)
    )
    issued = TODAY - timedelta(days=rng.randint(10, 4 * 365))
    return {
        "ref": chunk.ref("N"),
        "owner": owner,
        "type": "red",
        "person_ref": person,
        "charges": [charge],
        "law": law,
        "max_penalty_years": years + rng.randint(0, 10),
        "warrant_issued_by": f"Investigating judge, {CITIES.get(owner, owner)}",
        "warrant_reference": f"{owner}/{issued.year}/{rng.randint(1000, 99999)}",
        "warrant_date": issued.isoformat(),
        # INTERPOL publishes an extract of a minority of its Red Notices.
        "public_extract": rng.random() < 0.1,
        "state": "published",
        "published_at": issued.isoformat(),
        "envelope": {
            "audience": "all",
            "handling": "H0",
            "review_by": (issued + timedelta(days=5 * 365 - 1)).isoformat(),
        },
    }


def yellow_notice(
    rng: random.Random, chunk: Chunk, owner: str, person: str, human: Human
) -> dict[str, Any]:
    since = TODAY - timedelta(days=rng.randint(5, 3 * 365))
    return {
        "ref": chunk.ref("N"),
        "owner": owner,
        "type": "yellow",
        "person_ref": person,
        "minor": human.minor,
        "missing_since": since.isoformat(),
        "last_seen_place": CITIES.get(owner, owner),
        "circumstances": rng.choice(
            (
                "Left home after answering a job offer abroad; no contact since.",
                "Last seen at the bus station with two unknown adults.",
                "Travelled abroad for seasonal work; family lost contact.",
            )
        ),
        # Families often ask for the appeal to be public.
        "public_extract": rng.random() < 0.3,
        "state": "published",
        "published_at": since.isoformat(),
        "envelope": {
            "audience": "all",
            "handling": "H0",
            "review_by": (since + timedelta(days=5 * 365 - 1)).isoformat(),
        },
    }
