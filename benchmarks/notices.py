"""Notice publication to every member's live stream: time from publish to the last delivery.

``vigil serve`` (1 worker by default) on a fresh, migrated database, one NCB user per member
country (196), a requesting NCB (NGA) and a General Secretariat reviewer. One Server-Sent
Events connection per member country (``GET /api/v1/alerts/stream``, httpx in this process's
event loop) stays open for the whole run. Each round a reviewer publishes a Red Notice that was
requested beforehand (``POST /api/v1/notices/{id}/review``), and the clock runs from the start
of that request (and from its answer) to the first and the last stream delivering the
``notices.published`` alert. Modes, in the same run:

- ``all``: audience "all", so 195 streams must deliver (every country but the owner, which is
  told through its own paths; the General Secretariat sees no "all" record);
- ``one``: audience only FRA, every stream open (one delivery: the baseline);
- ``one, 1 stream``: audience only FRA with only FRA's stream open (measured first).

``all`` and ``one`` alternate round by round, after a random pause (rounds meet the streams'
poll timers at random phases). Per round it also reads when the dispatcher wrote the alerts
(their ``created_at``), the server's CPU time, and the CPU that other processes of the machine
used meanwhile (contention; on PostgreSQL this includes the database server). At the end every
stream must have delivered every alert meant for it exactly once and no other, and the alerts
table must name exactly the members told: otherwise the script exits non-zero. p99 is by
nearest rank: with fewer than 100 rounds it is the slowest round.

Reproduce (prints JSON lines; ``--streams-per-member 2`` for two open streams per member,
``--database postgresql+psycopg://postgres@127.0.0.1:5432/vigil_bench_notices`` for PostgreSQL):

    .venv/bin/python benchmarks/notices.py --rounds 30 --workers 1
    .venv/bin/python benchmarks/notices.py --rounds 30 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import VIGIL, _cpu_seconds, _wait_for
from vigil.access import service as access
from vigil.access.actors import operator
from vigil.access.roles import Role
from vigil.core.countries import GS, members
from vigil.runtime import open_database
from vigil.storage.migrate import upgrade
from vigil.storage.tables import alerts, metadata
from vigil.storage.uow import UnitOfWork

OWNER = "NGA"
SINGLE = "FRA"
GOAL_P99_MS = 1000.0
PERSON = {
    "names": ["Chukwuemeka Okonkwo"],
    "birth_date": "1979-06-14",
    "sex": "M",
    "nationalities": ["NGA"],
    "category": "wanted",
    "audience": {"only": [OWNER]},
}
RED = {
    "type": "red",
    "charges": ["Trafficking in persons for sexual exploitation"],
    "warrant_reference": "FHC/L/123/2026",
    "law": "Trafficking in Persons Act 2015, s. 16",
    "max_penalty_years": 15,
}
DECISION = {"decision": "publish", "reasons": "Compliant with the RPD."}
AUDIENCES: dict[str, Any] = {"all": "all", "one": {"only": [SINGLE]}}


@dataclass
class Users:
    streams: dict[str, str]  # stream ("FRA", or "FRA.2" for a member's second) -> token
    requester: str
    reviewer: str


@dataclass
class Deliveries:
    """What the streams received: notice id -> stream -> arrival times (perf_counter)."""

    seen: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    expected: dict[str, set[str]] = field(default_factory=dict)
    complete: dict[str, asyncio.Event] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def expect(self, notice_id: str, told: set[str]) -> asyncio.Event:
        self.expected[notice_id] = told
        self.complete[notice_id] = asyncio.Event()
        self._check(notice_id)
        return self.complete[notice_id]

    def arrived(self, notice_id: str, stream: str, at: float) -> None:
        self.seen.setdefault(notice_id, {}).setdefault(stream, []).append(at)
        self._check(notice_id)

    def _check(self, notice_id: str) -> None:
        told = self.expected.get(notice_id)
        if told is not None and told <= self.seen.get(notice_id, {}).keys():
            self.complete[notice_id].set()


def database_url(given: str | None, folder: Path) -> str:
    """A fresh SQLite file, or the PostgreSQL database given (created if missing, emptied of
    Vigil's tables)."""
    if given is None:
        return f"sqlite:///{folder / 'vigil.db'}"
    target = sa.make_url(given)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if exists is None:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(given)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return given


def prepare(url: str, per_member: int) -> Users:
    """Migrate; one NCB user per member country (its token for each of the member's streams),
    the requester (OWNER) and a GS reviewer."""
    db = open_database(url, serving=False)
    try:
        upgrade(db)
        with UnitOfWork(db, write=True) as uow:

            def token(member: str, role: Role, name: str) -> str:
                return access.add_user(
                    uow, actor=operator("bench"), member=member, role=role, name=name
                ).token

            users = {
                m.code: token(m.code, Role.NCB, "duty desk") for m in members() if m.code != GS
            }
            requester = token(OWNER, Role.NCB, "requester")
            reviewer = token(GS, Role.REVIEWER, "reviewer")
    finally:
        db.close()
    streams = {
        code if k == 0 else f"{code}.{k + 1}": secret
        for code, secret in users.items()
        for k in range(per_member)
    }
    return Users(streams=streams, requester=requester, reviewer=reviewer)


@contextmanager
def serving(
    url: str, workers: int, data_dir: Path, stream_poll: float | None
) -> Iterator[tuple[str, int]]:
    """``vigil serve`` as production runs it; yields its base URL and process id."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "VIGIL_DATABASE_URL": url,
        "VIGIL_DATA_DIR": str(data_dir),
        "VIGIL_ACCESS_LOG": "0",
        "VIGIL_LOG_LEVEL": "WARNING",
        "PATH": str(Path(sys.executable).parent),
    }
    if stream_poll is not None:
        env["VIGIL_ALERT_STREAM_POLL_SECONDS"] = str(stream_poll)
    command = [VIGIL, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


async def requested_notices(
    control: httpx.AsyncClient, token: str, modes: list[str]
) -> list[tuple[str, str]]:
    """One requested Red Notice per round, made before any stream opens: (mode, notice id)."""
    headers = {"Authorization": f"Bearer {token}"}

    async def post(path: str, body: Any = None) -> dict[str, Any]:
        response = await control.post(path, json=body, headers=headers)
        if response.status_code not in (200, 201):
            raise SystemExit(f"POST {path}: {response.status_code} {response.text}")
        answer: dict[str, Any] = response.json()
        return answer

    person_id = (await post("/api/v1/persons", PERSON))["id"]
    made = []
    for mode in modes:
        body = {**RED, "person_id": person_id, "audience": AUDIENCES[mode.split(",")[0]]}
        notice_id = (await post("/api/v1/notices", body))["id"]
        await post(f"/api/v1/notices/{notice_id}/request")
        made.append((mode, notice_id))
    return made


async def listen(
    client: httpx.AsyncClient,
    stream: str,
    token: str,
    deliveries: Deliveries,
    connected: asyncio.Event,
) -> None:
    """Read one stream until cancelled, noting each published-notice alert."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    try:
        async with client.stream("GET", "/api/v1/alerts/stream", headers=headers) as response:
            if response.status_code != 200:
                raise RuntimeError(f"status {response.status_code}")
            async for line in response.aiter_lines():
                if line.startswith(": connected"):
                    connected.set()
                elif line.startswith("data:"):
                    at = time.perf_counter()
                    alert = json.loads(line[5:])
                    if alert["kind"] == "notices.published":
                        deliveries.arrived(alert["record_id"], stream, at)
        deliveries.broken.append(f"{stream}: the stream ended")
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a broken stream fails the run when it is verified
        deliveries.broken.append(f"{stream}: {exc!r}")


async def open_streams(
    client: httpx.AsyncClient, tokens: dict[str, str], deliveries: Deliveries
) -> list[asyncio.Task[None]]:
    """The streams named in ``tokens``; returns once each has said it is connected."""
    tasks, waits = [], []
    for stream, token in tokens.items():
        connected = asyncio.Event()
        tasks.append(asyncio.create_task(listen(client, stream, token, deliveries, connected)))
        waits.append(asyncio.create_task(connected.wait()))
    _, pending = await asyncio.wait(waits, timeout=60)
    if pending:
        raise SystemExit(f"{len(pending)} streams did not connect in 60 s: {deliveries.broken}")
    return tasks


def member_of(stream: str) -> str:
    return stream.split(".")[0]


def told(mode: str, streams: dict[str, str]) -> set[str]:
    """The streams that must deliver a notice of this mode."""
    if mode == "one, 1 stream":
        return {SINGLE}
    if mode == "one":
        return {s for s in streams if member_of(s) == SINGLE}
    return {s for s in streams if member_of(s) != OWNER}


def _alerts_written(engine: sa.Engine, notice_id: str) -> dict[str, float]:
    """Member -> when the dispatcher wrote its alert (epoch seconds)."""
    query = sa.select(alerts.c.member, alerts.c.created_at).where(
        alerts.c.record_id == notice_id, alerts.c.kind == "notices.published"
    )
    with engine.connect() as conn:
        return {member: at.timestamp() for member, at in conn.execute(query)}


def _machine_busy_seconds() -> float:
    """CPU time every process of the machine has used (from /proc/stat), to show contention."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _, _, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _ms(seconds: float) -> float:
    return round(seconds * 1e3, 1)


def summarise(rounds: list[dict[str, Any]], mode: str, streams_open: int) -> dict[str, Any]:
    """Median, p99 (nearest rank: with under 100 rounds, the slowest) and max of each time."""
    mine = [r for r in rounds if r["mode"] == mode]
    out: dict[str, Any] = {"mode": mode, "rounds": len(mine), "streams_open": streams_open}
    out["recipients"] = mine[0]["recipients"]
    delivered = sum(r["recipients"] for r in mine)
    out["delivered_within_goal"] = round(sum(r["within_goal"] for r in mine) / delivered, 3)
    for key in [k for k in mine[0] if k.endswith("_ms")]:
        values = sorted(r[key] for r in mine)
        p99 = values[max(0, math.ceil(0.99 * len(values)) - 1)]
        out[key] = {"p50": round(statistics.median(values), 1), "p99": p99, "max": values[-1]}
    return out


def verify(deliveries: Deliveries, published: dict[str, str], streams: dict[str, str]) -> None:
    """Every stream delivered each alert meant for it exactly once, and no other."""
    problems = list(deliveries.broken)
    for notice_id, mode in published.items():
        recipients = told(mode, streams)
        seen = deliveries.seen.get(notice_id, {})
        for stream, times in seen.items():
            if stream not in recipients:
                problems.append(f"{stream} got {notice_id} ({mode}), not meant for it")
            elif len(times) != 1:
                problems.append(f"{stream} got {notice_id} ({mode}) {len(times)} times")
        for stream in recipients - seen.keys():
            problems.append(f"{stream} never got {notice_id} ({mode})")
    deliveries_total = sum(len(t) for by in deliveries.seen.values() for t in by.values())
    emit(
        {
            "verified": {
                "notices": len(published),
                "deliveries": deliveries_total,
                "problems": len(problems),
            }
        }
    )
    if problems:
        raise SystemExit("Delivery check failed:\n" + "\n".join(problems[:50]))


async def run(args: argparse.Namespace, url: str, data_dir: Path) -> None:
    users = prepare(url, args.streams_per_member)
    each = args.warmup + args.rounds
    plan = ["one, 1 stream"] * each + ["all", "one"] * each
    engine = sa.create_engine(url)
    deliveries = Deliveries()
    published: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    with serving(url, args.workers, data_dir, args.stream_poll) as (base, pid):
        limits = httpx.Limits(max_connections=len(users.streams) + 10)
        timeout = httpx.Timeout(30.0, read=None)
        async with (
            httpx.AsyncClient(base_url=base, timeout=30.0) as control,
            httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client,
        ):
            notices = await requested_notices(control, users.requester, plan)
            bench = Bench(args, control, engine, users, deliveries, pid, published, results)
            # Phase one: FRA's stream alone; phase two: every member's.
            for batch, tokens, warm in [
                (notices[:each], {SINGLE: users.streams[SINGLE]}, args.warmup),
                (notices[each:], users.streams, 2 * args.warmup),
            ]:
                tasks = await open_streams(client, tokens, deliveries)
                if len(tasks) > 1:
                    await idle(pid, len(tasks), 5.0)
                await bench.rounds(batch, warm)
                await asyncio.sleep(args.settle)  # a late duplicate would arrive meanwhile
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    engine.dispose()
    verify(deliveries, published, users.streams)
    report(results, args.workers, len(users.streams))


@dataclass
class Bench:
    args: argparse.Namespace
    control: httpx.AsyncClient
    engine: sa.Engine
    users: Users
    deliveries: Deliveries
    server_pid: int
    published: dict[str, str]
    results: list[dict[str, Any]]
    # Rounds start at random phases of the streams' poll timers: a fixed pause near the poll
    # period would meet every stream at the same point of its wait, round after round.
    rng: random.Random = field(default_factory=lambda: random.Random(1))

    async def rounds(self, batch: list[tuple[str, str]], warm: int) -> None:
        """Publish each notice in turn; the first ``warm`` rounds are verified, not reported."""
        quiet_since = time.perf_counter()
        for number, (mode, notice_id) in enumerate(batch):
            # Each wake restarts every stream's poll timer: a round that starts about a poll
            # period after the last one meets all their polls at once.
            quiet = _ms(time.perf_counter() - quiet_since)
            result = await self.publish(mode, notice_id)
            quiet_since = time.perf_counter()
            self.published[notice_id] = mode
            if number >= warm:
                self.results.append(result)
                emit({"round": {"workers": self.args.workers, "quiet_before_ms": quiet, **result}})
            await asyncio.sleep(self.args.pause + self.rng.uniform(0, self.args.jitter))

    async def publish(self, mode: str, notice_id: str) -> dict[str, Any]:
        """One round: publish, wait for every delivery, and time each step."""
        recipients = told(mode, self.users.streams)
        done = self.deliveries.expect(notice_id, recipients)
        headers = {"Authorization": f"Bearer {self.users.reviewer}"}
        cpu_before = _cpu_seconds(self.server_pid), _machine_busy_seconds(), time.process_time()
        wall = time.time()
        started = time.perf_counter()
        response = await self.control.post(
            f"/api/v1/notices/{notice_id}/review", json=DECISION, headers=headers
        )
        answered = time.perf_counter()
        if response.status_code != 200 or response.json()["state"] != "published":
            raise SystemExit(f"publish {notice_id}: {response.status_code} {response.text}")
        try:
            await asyncio.wait_for(done.wait(), self.args.timeout)
        except TimeoutError:
            missing = recipients - self.deliveries.seen.get(notice_id, {}).keys()
            late = f"{mode}: {len(missing)} streams got nothing in {self.args.timeout} s"
            raise SystemExit(late) from None
        server_cpu = _cpu_seconds(self.server_pid) - cpu_before[0]
        client_cpu = time.process_time() - cpu_before[2]
        other_cpu = _machine_busy_seconds() - cpu_before[1] - server_cpu - client_cpu
        arrivals = sorted(min(self.deliveries.seen[notice_id][m]) for m in recipients)
        written = _alerts_written(self.engine, notice_id)
        if set(written) != {member_of(s) for s in recipients}:
            raise SystemExit(f"{mode}: alerts written for {sorted(written)}, not those told")
        return {
            "mode": mode,
            "recipients": len(recipients),
            "publish_request_ms": _ms(answered - started),
            "alerts_written_ms": _ms(min(written.values()) - wall),
            "first_from_request_ms": _ms(arrivals[0] - started),
            "median_from_request_ms": _ms(statistics.median(arrivals) - started),
            "last_from_request_ms": _ms(arrivals[-1] - started),
            "last_from_response_ms": _ms(arrivals[-1] - answered),
            "within_goal": sum(at - started < GOAL_P99_MS / 1e3 for at in arrivals),
            "server_cpu_ms": _ms(server_cpu),
            "client_cpu_ms": _ms(client_cpu),
            "other_processes_cpu_ms": _ms(max(0.0, other_cpu)),
        }


async def idle(pid: int, streams: int, seconds: float) -> None:
    """The server's CPU with every stream open and nothing to send (their 2 s polls)."""
    before = _cpu_seconds(pid)
    await asyncio.sleep(seconds)
    share = round((_cpu_seconds(pid) - before) / seconds, 3)
    emit({"idle": {"streams_open": streams, "seconds": seconds, "server_cpu_share": share}})


def report(results: list[dict[str, Any]], workers: int, streams: int) -> None:
    summaries = {
        "one, 1 stream": summarise(results, "one, 1 stream", 1),
        "one": summarise(results, "one", streams),
        "all": summarise(results, "all", streams),
    }
    for summary in summaries.values():
        emit({"summary": {"workers": workers, **summary}})
    fan_out = summaries["all"]["last_from_request_ms"]
    single = summaries["one"]["last_from_request_ms"]
    emit(
        {
            "fan_out": {
                "workers": workers,
                "last_p50_ratio_all_to_one": round(fan_out["p50"] / single["p50"], 2),
                "last_p99_ratio_all_to_one": round(fan_out["p99"] / single["p99"], 2),
                "goal_p99_ms": GOAL_P99_MS,
                "goal_met": fan_out["p99"] < GOAL_P99_MS,
            }
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="Measured rounds per mode.")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured rounds per mode first.")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes.")
    parser.add_argument(
        "--database",
        help="A PostgreSQL URL to use instead of a fresh SQLite file (its tables are dropped).",
    )
    parser.add_argument(
        "--streams-per-member", type=int, default=1, help="Live streams each member keeps open."
    )
    parser.add_argument(
        "--stream-poll",
        type=float,
        help="The server's VIGIL_ALERT_STREAM_POLL_SECONDS (default: the setting's own).",
    )
    parser.add_argument("--pause", type=float, default=0.5, help="Seconds between rounds...")
    parser.add_argument(
        "--jitter", type=float, default=2.0, help="...plus up to this many, drawn at random."
    )
    parser.add_argument("--settle", type=float, default=3.0, help="Seconds before verifying.")
    parser.add_argument("--timeout", type=float, default=30.0, help="Most seconds per round.")
    args = parser.parse_args()
    emit({"machine": machine()})
    emit({"settings": vars(args) | {"database": args.database is not None}})
    with tempfile.TemporaryDirectory(prefix="vigil-notices-") as folder:
        url = database_url(args.database, Path(folder))
        emit({"database": url.split("://")[0]})
        asyncio.run(run(args, url, Path(folder)))


if __name__ == "__main__":
    main()
