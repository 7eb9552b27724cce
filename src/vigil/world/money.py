"""Money transfers: one laundering pattern per network, hidden among ordinary payments."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from typing import Any

from vigil.world import traces
from vigil.world.chunk import Chunk
from vigil.world.humans import TODAY, Human


def launder(
    rng: random.Random,
    chunk: Chunk,
    network_id: str,
    members: list[Human],
    victims: list[tuple[Human, Any]],
    owner: str,
) -> None:
    """Laundering patterns through the network's accounts, hidden in ordinary payments."""
    accounts = sorted({a for h in members for a in h.accounts})
    if len(accounts) < 2:
        return
    start = datetime(TODAY.year, TODAY.month, TODAY.day) - timedelta(days=rng.randint(30, 700))
    pattern = rng.choice(("fan_in", "fan_out", "pass_through", "structuring"))
    flows = _pattern(rng, pattern, accounts, start, traces.ordinary_accounts(chunk.seed, owner))
    for source, target, amount, at in flows:
        ref = chunk.ref("T")
        chunk.rows["transactions"].append(
            traces.transfer(
                rng, ref=ref, owner=owner, source=source, target=target, amount=amount, at=at
            )
        )
        chunk.rows["laundering"].append(
            {"transaction": ref, "network": network_id, "pattern": pattern}
        )
    for _ in range(len(flows) * 9):  # ordinary payments around them, one in ten is laundering
        ref = chunk.ref("T")
        source, target = rng.sample(traces.ordinary_accounts(chunk.seed, owner), 2)
        at = start + timedelta(minutes=rng.randint(0, 90 * 24 * 60))
        chunk.rows["transactions"].append(
            traces.transfer(
                rng,
                ref=ref,
                owner=owner,
                source=source,
                target=target,
                amount=rng.lognormvariate(5, 1.2),
                at=at,
            )
        )


def _pattern(
    rng: random.Random, pattern: str, accounts: list[str], start: datetime, public: list[str]
) -> list[tuple[str, str, float, datetime]]:
    hub, others = accounts[0], accounts[1:]
    outside = rng.sample(public, rng.randint(4, 12))

    def moment(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    match pattern:
        case "fan_in":  # many small payers into one collector account
            return [
                (src, hub, rng.uniform(200, 900), moment(rng.uniform(0, 240))) for src in outside
            ]
        case "fan_out":  # one account pays out to many
            return [
                (hub, dst, rng.uniform(500, 3000), moment(rng.uniform(0, 72))) for dst in outside
            ]
        case "pass_through":  # money in and straight out again within hours
            amount, hour = rng.uniform(8_000, 40_000), 0.0
            chain = [outside[0], hub, *others, outside[-1]]
            rows: list[tuple[str, str, float, datetime]] = []
            for source, target in itertools.pairwise(chain):
                hour += rng.uniform(0.5, 6)
                amount *= rng.uniform(0.96, 0.995)
                rows.append((source, target, amount, moment(hour)))
            return rows
        case _:  # structuring: repeated deposits just below the reporting threshold
            return [
                (src, hub, traces.STRUCTURING_LIMIT - rng.uniform(50, 900), moment(day * 24.0))
                for day, src in enumerate(rng.choices(outside, k=rng.randint(5, 14)))
            ]
