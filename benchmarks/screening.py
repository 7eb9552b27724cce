"""Frontline screening (issue 8): one check per traveller, passenger lists, the offline package.

On a world loaded with ``vigil world load`` (documents, persons, notices), measures:

- single checks over HTTP: ``POST /api/v1/screening/check`` (JSON: document number and issuing
  state, name, birth date, nationality, sex) served by ``vigil serve`` with 1 (and 2) worker
  processes, 32 keep-alive clients in a closed loop from a raw-socket client in a child process.
  Baselines on the same server, in alternating rounds: the document check alone
  (``POST /api/v1/documents/check``, the same documents) and name screening alone
  (``POST /api/v1/persons/screen``, the same query the check makes: name, birth date,
  nationality, sex, document number). Each line gives checks/s, p50/p99 and the server's CPU
  per request; the summary gives the medians over rounds and the ratios;
- single checks in process (``screening.check.check`` and its two halves, one caller): wall
  p50/p99 and CPU per call (the CPU survives a shared machine; wall times do not);
- a manifest of 500 travellers: ``screening.check.manifest`` in process, and
  ``POST /api/v1/screening/manifests`` over HTTP, wall time p50/p99 over several runs and CPU
  per manifest; then single checks by the 32 clients while manifests arrive (``http_mixed``);
- the offline package (when ``vigil.screening.offline`` is there): its size, its load at the
  post, a check against it in process, and ``vigil screen --offline`` one process a traveller;
- with ``--profile``, only cProfile over in-process checks (own and cumulative ms per check).

Travellers are border traffic: most are clean, the documents and names of another world's
people (seed 99: other people, the same name pools, so common names still collide); a few per
cent are known: holders of documents reported lost or stolen, and persons under a notice.

Reproduce (prints JSON lines; generates and loads the world when the store is missing):

    .venv/bin/python benchmarks/screening.py --scale small --workers 1 2
    .venv/bin/python benchmarks/screening.py --scale small --profile
    .venv/bin/python benchmarks/screening.py --scale medium --workers 1 2

The store (``--store``, default ``var/bench/screening-SCALE.db``, its name index snapshot in
``screening-SCALE-data/``) is loaded once and reused; ``--reload`` loads it again.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import json
import os
import pstats
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import (
    VIGIL,
    _cpu_seconds,
    _wait_for,
    drive,
    frontline,
    paced_run,
    percentiles,
    timed,
)
from vigil import settings
from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.access.roles import Role
from vigil.documents import checks as documents
from vigil.documents.models import DocumentQuery
from vigil.documents.mrz import parse_mrz
from vigil.persons import screening as persons
from vigil.persons.models import ScreenQuery
from vigil.runtime import open_database
from vigil.screening import check as checking
from vigil.screening.models import ManifestIn, TravellerIn
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.uow import UnitOfWork

CHECK = "/api/v1/screening/check"
DOCUMENT = "/api/v1/documents/check"
SCREEN = "/api/v1/persons/screen"
MANIFEST = "/api/v1/screening/manifests"
_CPU = "server_cpu_ms_per_request"


# ---- the world and its store ---------------------------------------------------------------------


def generate(world: Path, scale: str, seed: int) -> None:
    if (world / "world.json").exists():
        return
    started = time.perf_counter()
    command = [VIGIL, "world", "generate", "--scale", scale, "--seed", str(seed)]
    subprocess.run([*command, "--out", str(world), "--json"], check=True, stdout=subprocess.DEVNULL)
    emit(
        {
            "generate": {
                "scale": scale,
                "seed": seed,
                "seconds": round(time.perf_counter() - started),
            }
        }
    )


def load(world: Path, store: Path, data_dir: Path) -> None:
    """``vigil world load`` into a fresh SQLite store, in a child process, as an operator."""
    for suffix in ("", "-wal", "-shm", ".writer-lock"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{store}"
    db = open_database(url, serving=False)
    upgrade(db)
    db.close()
    started = time.perf_counter()
    done = subprocess.run(
        [VIGIL, "world", "load", str(world), "--json"],
        env=_env(url, data_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    loaded = json.loads(done.stdout)["loaded"]
    emit(
        {
            "load": {
                "seconds": round(time.perf_counter() - started),
                "added": {name: counts["added"] for name, counts in loaded.items()},
                "store_gib": round(store.stat().st_size / 2**30, 2),
            }
        }
    )


def _env(url: str, data_dir: Path) -> dict[str, str]:
    # Other settings for the server may come from this process's environment (VIGIL_...), and
    # the code it runs too (PYTHONPATH: an earlier commit's checkout, side by side).
    chosen = {k: v for k, v in os.environ.items() if k.startswith("VIGIL_") or k == "PYTHONPATH"}
    return {
        **chosen,
        "VIGIL_DATABASE_URL": url,
        "VIGIL_DATA_DIR": str(data_dir),
        "VIGIL_ACCESS_LOG": "0",
        "VIGIL_LOG_LEVEL": "WARNING",
        "PATH": str(Path(sys.executable).parent),
    }


# ---- travellers ----------------------------------------------------------------------------------


def _sample(path: Path, count: int, rng: random.Random, keep: Any) -> list[dict[str, Any]]:
    """``count`` rows of a JSON Lines file that ``keep`` accepts, by reservoir sampling."""
    chosen: list[dict[str, Any]] = []
    seen = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if not keep(row):
                continue
            seen += 1
            if len(chosen) < count:
                chosen.append(row)
            elif (slot := rng.randrange(seen)) < count:
                chosen[slot] = row
    return chosen


def _holder(report: dict[str, Any]) -> dict[str, Any]:
    """A traveller presenting a reported document: the name, birth date, nationality and sex
    printed in its MRZ, typed in as separate fields."""
    read = parse_mrz(report["mrz"], ocr_tolerant=True)
    traveller: dict[str, Any] = {
        "document": {"number": report["number"], "issuing_state": report["issuing_state"]},
        "name": " ".join(p for p in (read.given_names, read.surname) if p),
    }
    if read.birth_date:
        traveller["birth_date"] = read.birth_date.isoformat()
    if len(read.nationality) == 3 and read.nationality.isalpha():
        traveller["nationality"] = read.nationality
    if read.sex in ("M", "F"):
        traveller["sex"] = read.sex
    return traveller


def _person(record: dict[str, Any], spare: dict[str, Any]) -> dict[str, Any]:
    """A person the store holds, with the passport on the record (or another document)."""
    latin = next((n for n in record["names"] if n["kind"] == "latin"), record["names"][0])
    passport = next((i for i in record["identifiers"] if i["type"] == "passport"), None)
    traveller: dict[str, Any] = {
        "document": {"number": passport["number"], "issuing_state": passport["issuing_state"]}
        if passport
        else spare["document"],
        "name": latin["full"],
    }
    if record.get("birth_date"):
        traveller["birth_date"] = record["birth_date"]
    if record.get("nationalities"):
        traveller["nationality"] = record["nationalities"][0]
    if record.get("sex") in ("M", "F"):
        traveller["sex"] = record["sex"]
    return traveller


def travellers(world: Path, other: Path, count: int, known: float) -> list[dict[str, Any]]:
    """Clean travellers from the other world, and ``known`` of them (half holders of reported
    documents, half persons under notices) from the loaded one; shuffled."""
    rng = random.Random(8)
    has_mrz = lambda r: bool(r.get("mrz")) and r["status"] in ("lost", "stolen")  # noqa: E731
    clean = [_holder(r) for r in _sample(other / "documents.jsonl", count, rng, has_mrz)]
    reported = round(count * known / 2)
    holders = [_holder(r) for r in _sample(world / "documents.jsonl", reported, rng, has_mrz)]
    wanted = {json.loads(line)["person_ref"] for line in (world / "notices.jsonl").open()}
    records = _sample(world / "persons.jsonl", reported, rng, lambda r: r["ref"] in wanted)
    noticed = [_person(r, rng.choice(clean)) for r in records]
    chosen = holders + noticed + clean[: count - len(holders) - len(noticed)]
    rng.shuffle(chosen)
    emit(
        {
            "travellers": {
                "count": len(chosen),
                "clean": count - len(holders) - len(noticed),
                "reported_documents": len(holders),
                "persons_under_notices": len(noticed),
            }
        }
    )
    return chosen


def screen_query(traveller: dict[str, Any]) -> dict[str, Any]:
    """The name screening the check makes of a traveller (``check._queries``)."""
    query = {
        k: traveller[k] for k in ("name", "birth_date", "nationality", "sex") if k in traveller
    }
    return {**query, "document_number": traveller["document"]["number"]}


# ---- in process ----------------------------------------------------------------------------------


def in_process(db: Database, actor: Actor, chosen: list[dict[str, Any]], args: Any) -> None:
    """One caller in a loop: the check and its halves; then manifests of ``--manifest`` size."""
    started = time.perf_counter()
    with UnitOfWork(db, write=False) as uow:  # the name index is built (or loaded) here
        persons.screen(uow, actor=actor, query=ScreenQuery(**screen_query(chosen[0])))
    emit({"index_ready": {"seconds": round(time.perf_counter() - started, 1)}})
    sample = chosen[: args.in_process]
    models = [TravellerIn.model_validate(t) for t in sample]

    def whole(traveller: TravellerIn) -> None:
        with UnitOfWork(db, write=False) as uow:
            checking.check(uow, actor=actor, traveller=traveller)

    def document(traveller: dict[str, Any]) -> None:
        with UnitOfWork(db, write=False) as uow:
            documents.check(uow, actor=actor, query=DocumentQuery(**traveller["document"]))

    def name(traveller: dict[str, Any]) -> None:
        with UnitOfWork(db, write=False) as uow:
            persons.screen(uow, actor=actor, query=ScreenQuery(**screen_query(traveller)))

    timed([lambda t=t: whole(t) for t in models[:100]])  # warm the caches
    for what, calls in (
        ("screening.check", [lambda t=t: whole(t) for t in models]),
        ("documents.check", [lambda t=t: document(t) for t in sample]),
        ("persons.screen", [lambda t=t: name(t) for t in sample]),
    ):
        emit({"in_process": {"what": what, "n": len(calls), **_timed_cpu(calls)}})
    rng = random.Random(5)
    walls = []
    cpu = time.process_time()
    for _ in range(args.manifest_runs):
        manifest = ManifestIn.model_validate({"travellers": rng.sample(chosen, args.manifest)})
        began = time.perf_counter()
        with UnitOfWork(db, write=True) as uow:  # as the endpoint: a writing unit of work
            checking.manifest(uow, actor=actor, manifest_in=manifest)
        walls.append(time.perf_counter() - began)
    cpu_ms = (time.process_time() - cpu) * 1e3 / len(walls)
    emit({"manifest_in_process": {"travellers": args.manifest, **_walls(walls, args.manifest),
                                  "cpu_ms_per_manifest": round(cpu_ms)}})  # fmt: skip


def profile(db: Database, actor: Actor, chosen: list[dict[str, Any]], args: Any) -> None:
    """cProfile over in-process checks: the functions taking the most time, by own time and
    by cumulative time, as JSON lines (``--profile``)."""
    models = [TravellerIn.model_validate(t) for t in chosen[: args.in_process]]

    def run(travellers: list[TravellerIn]) -> None:
        for traveller in travellers:
            with UnitOfWork(db, write=False) as uow:
                checking.check(uow, actor=actor, traveller=traveller)

    run(models[:20])  # the name index is built (or loaded) outside the profile
    profiler = cProfile.Profile()
    profiler.runcall(run, models)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    for key in ("tottime", "cumtime"):
        rows = []
        for (file, line, name), (_, calls, own, cumulative, _) in sorted(
            stats.stats.items(),  # type: ignore[attr-defined]
            key=lambda item: -item[1][2 if key == "tottime" else 3],
        )[: args.profile_top]:
            where = f"{Path(file).name}:{line} {name}"
            rows.append({"function": where, "calls": calls, "own_ms_per_check":
                         round(own * 1e3 / len(models), 3), "cumulative_ms_per_check":
                         round(cumulative * 1e3 / len(models), 3)})  # fmt: skip
        emit({"profile": {"by": key, "checks": len(models),
                          "total_ms_per_check": round(total * 1e3 / len(models), 3),
                          "top": rows}})  # fmt: skip


def _timed_cpu(calls: list[Any]) -> dict[str, Any]:
    """Wall p50/p99, and the CPU per call (the machine is shared: CPU says what wall cannot)."""
    cpu = time.process_time()
    spent = timed(calls)
    cpu_ms = (time.process_time() - cpu) * 1e3 / len(calls)
    return {**percentiles(spent), "cpu_ms_per_call": round(cpu_ms, 3)}


def _walls(seconds: list[float], size: int) -> dict[str, Any]:
    """Few runs: p99 between the two slowest (inclusive quantiles never pass the maximum)."""
    ordered = sorted(seconds)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else None
    return {
        "runs": len(ordered),
        "p50_ms": round((cuts[49] if cuts else ordered[0]) * 1e3, 1),
        "p99_ms": round((cuts[98] if cuts else ordered[0]) * 1e3, 1),
        "max_ms": round(ordered[-1] * 1e3, 1),
        "per_traveller_ms": round(statistics.median(ordered) * 1e3 / size, 3),
    }


# ---- over HTTP -----------------------------------------------------------------------------------


def serve(url: str, data_dir: Path, token: str, chosen: list[dict[str, Any]], workers: int,
          args: Any) -> list[dict[str, Any]]:  # fmt: skip
    """One server; alternating rounds of the check and its two baselines; then manifests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(_server_command(args.kind, port, workers), env=_env(url, data_dir))
    label = {"server": args.kind, "server_workers": workers}
    bodies = {
        CHECK: [json.dumps(t).encode() for t in chosen],
        DOCUMENT: [json.dumps(t["document"]).encode() for t in chosen],
        SCREEN: [json.dumps(screen_query(t)).encode() for t in chosen],
    }
    rows = []
    try:
        _wait_for(port)
        started = time.perf_counter()
        with ProcessPoolExecutor(1) as client:
            # Enough parallel first checks that every worker has its name index before the
            # clock starts (loaded from the snapshot, or built, at start-up).
            client.submit(_warm, port, token, bodies[CHECK][: 8 * workers]).result()
            seconds = round(time.perf_counter() - started, 1)
            emit({"http_warm_up": {**label, "seconds": seconds}})
            for turn in range(args.rounds):
                for path in (CHECK, DOCUMENT, SCREEN):
                    before = _cpu_seconds(server.pid)
                    result = client.submit(
                        drive, port, token, bodies[path], args.concurrency, args.seconds, 2.0,
                        path,
                    ).result()  # fmt: skip
                    cpu = _cpu_seconds(server.pid) - before
                    result["server_cpu_ms_per_request"] = round(
                        cpu * 1e3 / max(1, result["requests"]), 2
                    )
                    row = {**label, "round": turn + 1, "path": path, **result,
                           "load_average_1m": os.getloadavg()[0]}  # fmt: skip
                    emit({"http": row})
                    rows.append(row)
            # Sent at fixed rates whatever the answers (open loop), each latency counted from
            # when the request was due: 32 clients in a closed loop wait 32/N s at N answers
            # a second, so only this shows the p99 at a given load.
            # Each run takes the travellers after the last run's: a traveller screened twice
            # finds its readings and comparisons cached, which border traffic, where names
            # seldom repeat within minutes, does not. With ``--rounds 0`` and more travellers
            # than the runs send, every traveller is one the server has not seen.
            offset = 0
            for rate in args.rates:
                turned = bodies[CHECK][offset:] + bodies[CHECK][:offset]
                offset = (offset + int(rate * args.seconds)) % len(bodies[CHECK])
                paced = client.submit(
                    paced_run, port, token, turned, rate, args.seconds, CHECK
                ).result()
                emit({"http_at_rate": {**label, "path": CHECK, **paced}})
            rows.append(_mixed(client, port, token, bodies[CHECK], chosen, workers, args))
            before = _cpu_seconds(server.pid)
            walls = client.submit(_manifests, port, token, chosen, args).result()
            cpu_ms = (_cpu_seconds(server.pid) - before) * 1e3 / (len(walls) + 1)
            emit({"manifest_http": {**label, "travellers": args.manifest,
                                    **_walls(walls, args.manifest),
                                    "server_cpu_ms_per_manifest": round(cpu_ms)}})  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)
    return rows


def _server_command(kind: str, port: int, workers: int) -> list[str]:
    """``vigil serve`` (its supervisor deals connections to the workers in turn), or, as the
    baseline, uvicorn's own workers sharing one listening socket (``vigil serve`` before)."""
    if kind == "vigil":
        return [VIGIL, "serve", "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-m", "uvicorn", "vigil.api.app:create_app", "--factory",
            "--port", str(port), "--workers", str(workers), "--log-level", "warning",
            "--no-access-log", "--timeout-worker-healthcheck", "120"]  # fmt: skip


def _mixed(client: ProcessPoolExecutor, port: int, token: str, bodies: list[bytes],
           chosen: list[dict[str, Any]], workers: int, args: Any) -> dict[str, Any]:  # fmt: skip
    """Single checks by 32 clients while manifests arrive one after another: what a list
    costs the officers at the desks."""
    running = client.submit(drive, port, token, bodies, args.concurrency, args.seconds, 2.0, CHECK)
    lists = argparse.Namespace(manifest=args.manifest, manifest_runs=args.mixed_manifests)
    with ThreadPoolExecutor(1) as sender:
        time.sleep(2.5)  # into the measured window
        walls = sender.submit(_manifests, port, token, chosen, lists).result()
    result = running.result()
    row = {"server": args.kind, "server_workers": workers, "path": f"{CHECK} with manifests",
           **result,
           "manifest_walls_ms": [round(w * 1e3) for w in walls]}  # fmt: skip
    emit({"http_mixed": row})
    return row


def _warm(port: int, token: str, bodies: list[bytes]) -> None:
    async def one(body: bytes) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = (
            f"POST {CHECK} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await reader.read()
        writer.close()

    async def all_of() -> None:
        await asyncio.gather(*(one(b) for b in bodies))

    asyncio.run(all_of())


def _manifests(port: int, token: str, chosen: list[dict[str, Any]], args: Any) -> list[float]:
    """One client, one list after another, timed from the request to the last byte read."""
    rng = random.Random(6)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    walls = []
    for run in range(args.manifest_runs + 1):  # the first is a warm-up
        body = {"travellers": rng.sample(chosen, args.manifest), "reference": f"BENCH{run}"}
        began = time.perf_counter()
        connection.request("POST", MANIFEST, json.dumps(body).encode(), headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"manifest: {response.status} {answer[:300]!r}")
        if run:
            walls.append(time.perf_counter() - began)
    connection.close()
    return walls


def summary(rows: list[dict[str, Any]]) -> None:
    """Medians over rounds, per worker count and path; the check's ratios to its baselines."""
    for kind, workers in sorted({(r["server"], r["server_workers"]) for r in rows}):
        medians = {}
        for path in (CHECK, DOCUMENT, SCREEN):
            mine = [
                r
                for r in rows
                if (r["server"], r["server_workers"]) == (kind, workers) and r["path"] == path
            ]
            if mine:
                medians[path] = {
                    key: statistics.median(r[key] for r in mine)
                    for key in ("checks_per_s", "p50_ms", "p99_ms", "server_cpu_ms_per_request")
                }
        if len(medians) < 3:  # no closed-loop rounds (``--rounds 0``)
            continue
        combined, document, name = medians[CHECK], medians[DOCUMENT], medians[SCREEN]
        emit(
            {
                "http_summary": {
                    "server": kind,
                    "server_workers": workers,
                    "medians": medians,
                    "check_over_documents": _ratios(combined, document),
                    "check_over_persons": _ratios(combined, name),
                    "check_cpu_over_sum_of_both": round(
                        combined["server_cpu_ms_per_request"]
                        / (
                            document["server_cpu_ms_per_request"]
                            + name["server_cpu_ms_per_request"]
                        ),
                        2,
                    ),
                }
            }
        )


def _ratios(mine: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    return {key: round(mine[key] / base[key], 2) for key in mine if base[key]}


# ---- the offline package -------------------------------------------------------------------------


def offline(db: Database, chosen: list[dict[str, Any]], args: Any, data_dir: Path) -> None:
    """An NCB exports its member's package; a post loads it and checks travellers against it,
    in process and as ``vigil screen --offline`` (a process per traveller)."""
    try:
        from vigil.screening import offline as package
    except ImportError as exc:
        emit({"offline": {"skipped": f"vigil.screening.offline: {exc}"}})
        return
    with UnitOfWork(db, write=True) as uow:
        made = access.add_user(uow, actor=operator("bench"), member="FRA", role=Role.NCB,
                               name="bench ncb")  # fmt: skip
    with UnitOfWork(db, write=False) as uow:
        ncb = access.authenticate_token(uow, made.token)
    started = time.perf_counter()
    with UnitOfWork(db, write=True) as uow:
        exported = package.export(uow, actor=ncb)
    export_seconds = time.perf_counter() - started
    path = data_dir / "offline-FRA.package"
    path.write_bytes(exported.content)
    rss = _rss_mib()
    started = time.perf_counter()
    copy = package.load([exported.content], exported.key)
    load_seconds = time.perf_counter() - started
    emit(
        {
            "offline_package": {
                "records": exported.records,
                "mib": round(len(exported.content) / 2**20, 2),
                "export_seconds": round(export_seconds, 1),
                "load_seconds": round(load_seconds, 2),
                "load_memory_added_mib": round(_rss_mib() - rss),
            }
        }
    )
    models = [TravellerIn.model_validate(t) for t in chosen[: args.in_process]]
    checks = [lambda t=t: package.check(copy, t, member=copy.member) for t in models]
    timed(checks[:100])
    emit({"offline_check": {"what": "in process", "n": len(checks), **_timed_cpu(checks)}})
    runs = []
    for traveller in chosen[: args.offline_runs]:
        command = [VIGIL, "screen", "--offline", str(path), "--key", exported.key, "--json",
                   "--document", traveller["document"]["number"],
                   "--issuing-state", traveller["document"]["issuing_state"],
                   "--name", traveller["name"]]  # fmt: skip
        for option, field in (("--dob", "birth_date"), ("--nationality", "nationality")):
            if field in traveller:
                command += [option, traveller[field]]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=_env("sqlite://", data_dir))
        runs.append(time.perf_counter() - started)
        if done.returncode not in (0, 10, 11):
            raise RuntimeError(f"vigil screen --offline: {done.stderr[-500:]!r}")
    emit({"offline_check": {"what": "vigil screen --offline, a process each",
                            "n": len(runs), **_walls(runs, 1)}})  # fmt: skip


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- the store, for the scripts that measure on it ---------------------------------------------


def store_arguments(parser: argparse.ArgumentParser, scale: str = "small") -> None:
    """The world and store options of this benchmark, for the scripts that reuse its store."""
    parser.add_argument("--scale", default=scale, help="tiny, small, medium or N persons.")
    parser.add_argument("--world", type=Path, help="Default: var/bench/world-SCALE.")
    parser.add_argument("--others", type=Path, default=Path("var/bench/world-travellers"),
                        help="The world clean travellers come from (small, seed 99).")  # fmt: skip
    parser.add_argument("--store", type=Path, help="Default: var/bench/screening-SCALE.db.")


def world_and_store(args: Any) -> tuple[Path, Path]:
    """The world folder and the store the options name (``store_arguments``)."""
    world = args.world or Path(f"var/bench/world-{args.scale}")
    return world, args.store or Path(f"var/bench/screening-{args.scale}.db")


def loaded_store(args: Any, data_dir: Path | None = None) -> tuple[Path, Path] | None:
    """The world and the store this benchmark loaded, with ``settings.DATA_DIR`` set to the
    store's name index snapshot folder (or ``data_dir``); None, said, when it has none."""
    world, store = world_and_store(args)
    if not store.exists():
        emit({"skipped": f"no store at {store}: run benchmarks/screening.py first"})
        return None
    settings.DATA_DIR = (data_dir or store.with_name(f"{store.stem}-data")).resolve()
    return world, store


# ---- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    store_arguments(parser)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reload", action="store_true", help="Load again into a fresh store.")
    parser.add_argument("--travellers", type=int, default=5_000)
    parser.add_argument("--known", type=float, default=0.03, help="Share of known travellers.")
    parser.add_argument("--in-process", type=int, default=1_000)
    parser.add_argument("--manifest", type=int, default=500)
    parser.add_argument("--manifest-runs", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument(
        "--servers",
        nargs="+",
        choices=["vigil", "uvicorn"],
        default=["vigil"],
        help="uvicorn: its own workers on one shared socket, as the baseline.",
    )
    parser.add_argument("--offline-runs", type=int, default=5)
    parser.add_argument("--mixed-manifests", type=int, default=2)
    parser.add_argument("--only-http", action="store_true")
    parser.add_argument("--rates", type=float, nargs="*", default=[150, 250],
                        help="Also send checks at these rates (open loop).")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="Profile in-process checks.")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args()
    world, store = world_and_store(args)
    data_dir = store.with_name(f"{store.stem}-data").resolve()
    settings.DATA_DIR = data_dir  # the name index snapshot, shared with the servers
    emit(machine())
    emit({"world": {"scale": args.scale, "seed": args.seed, "folder": str(world),
                    "store": str(store)}})  # fmt: skip
    generate(world, args.scale, args.seed)
    generate(args.others, "small", 99)
    if args.reload or not store.exists():
        load(world, store, data_dir)
    chosen = travellers(world, args.others, args.travellers, args.known)
    url = f"sqlite:///{store}"
    actor, token = frontline(url)
    if args.profile:
        db = open_database(url, serving=True)
        try:
            profile(db, actor, chosen, args)
        finally:
            db.close()
        return
    if not args.only_http:
        db = open_database(url, serving=True)
        try:
            in_process(db, actor, chosen, args)
            offline(db, chosen, args, data_dir)
        finally:
            db.close()
    rows = []
    for workers in args.workers:
        # One worker is uvicorn's plain server in both: only several workers differ.
        for kind in args.servers if workers > 1 else ["vigil"]:
            args.kind = kind
            try:
                rows += serve(url, data_dir, token, chosen, workers, args)
            except (ConnectionError, RuntimeError) as exc:  # a server that died: say so, go on
                emit({"http_failed": {"server": kind, "server_workers": workers,
                                      "error": repr(exc)[:300]}})  # fmt: skip
    summary(rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit({"memory": {"benchmark_peak_mib": round(peak)}})


if __name__ == "__main__":
    main()
