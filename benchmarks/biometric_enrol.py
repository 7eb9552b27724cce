"""Enrolment throughput through the service, beside the extraction alone (see biometrics.py)."""

from __future__ import annotations

import csv
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from audit import emit
from measure import load, percentiles_ms
from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.access.roles import Role
from vigil.biometrics import faces, fingerprints, service
from vigil.errors import InvalidInput
from vigil.persons import service as persons
from vigil.persons.models import PersonIn
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.uow import UnitOfWork

PRINT_IMAGES = ["probe.png", "matching.png", "nonmatching.png", "wsq-converted.png"]
PRINT_TEMPLATES = ["iso-probe.dat", "iso-matching.dat", "iso-nonmatching.dat"]


def enrol(data: Path, rounds: int) -> None:
    """Each shared photo and print enrolled ``rounds`` times on a person of its own."""
    photos_dir = data / "face-recognition-examples"
    prints_dir = data / "fingerprints-sourceafis-testimages"
    if not (photos_dir / "labels.csv").exists() or not prints_dir.is_dir():
        emit({"enrol": {"skipped": f"no shared data under {data}"}})
        return
    with open(photos_dir / "labels.csv", encoding="utf-8") as handle:
        photos = [(photos_dir / row["file"]).read_bytes() for row in csv.DictReader(handle)]
    images = [(prints_dir / name).read_bytes() for name in PRINT_IMAGES]
    templates = [(prints_dir / name).read_bytes() for name in PRINT_TEMPLATES]
    faces.faces_in(photos[0])  # load the models before the clock starts
    with tempfile.TemporaryDirectory(prefix="vigil-enrol-") as folder:
        db = open_database(f"sqlite:///{folder}/vigil.db", serving=False)
        upgrade(db)
        actor = _ncb(db)

        def face(uow: UnitOfWork, person: str, item: bytes) -> Any:
            return service.enrol_face(
                uow, actor=actor, person_id=person, image=item, media_type="image/jpeg"
            )

        def print_image(uow: UnitOfWork, person: str, item: bytes) -> Any:
            return service.enrol_fingerprint(
                uow, actor=actor, person_id=person, finger=2, image=item
            )

        def print_template(uow: UnitOfWork, person: str, item: bytes) -> Any:
            return service.enrol_fingerprint(
                uow, actor=actor, person_id=person, finger=2, template=item
            )

        runs: list[tuple[str, list[bytes], Callable[..., Any], Callable[[bytes], Any]]] = [
            ("face photos", photos, face, lambda b: faces.one_face(b, strict=True)),
            ("fingerprint images", images, print_image, fingerprints.from_image),
            ("ISO/IEC 19794-2 templates", templates, print_template, fingerprints.from_template),
        ]
        for what, items, call, extract in runs:
            _measure(db, actor, what, items * rounds, call, extract)
        db.close()


def _measure(
    db: Database,
    actor: Actor,
    what: str,
    items: list[bytes],
    call: Callable[..., Any],
    extract: Callable[[bytes], Any],
) -> None:
    enrolled, refused, extracting, cpu, cpu_extracting = [], Counter[str](), [], [], []
    for item in items:
        person = _person(db, actor)
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            with UnitOfWork(db, write=True) as uow:
                call(uow, person, item)
            enrolled.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        except InvalidInput as exc:
            refused[str(exc).split(":")[0][:60]] += 1
            continue
        started, started_cpu = time.perf_counter(), time.process_time()
        extract(item)
        extracting.append(time.perf_counter() - started)
        cpu_extracting.append(time.process_time() - started_cpu)
    line: dict[str, Any] = {"what": what, "tried": len(items), "enrolled": len(enrolled)}
    line["load"] = load()
    if refused:
        line["refused"] = dict(refused)
    if enrolled:
        line |= {
            "per_s": round(len(enrolled) / sum(enrolled), 1),
            "service": percentiles_ms(enrolled) | percentiles_ms(cpu, "cpu_"),
            "baseline_extraction_alone": (
                percentiles_ms(extracting) | percentiles_ms(cpu_extracting, "cpu_")
            ),
            "ratio_service_to_extraction_p50": round(
                float(np.median(enrolled) / np.median(extracting)), 2
            ),
            "per_s_of_cpu": round(len(cpu) / sum(cpu), 1),
        }
    emit({"enrol": line})


def _ncb(db: Database) -> Actor:
    with UnitOfWork(db, write=True) as uow:
        made = access.add_user(
            uow, actor=operator("bench"), member="FRA", role=Role.NCB, name="bench"
        )
    with UnitOfWork(db, write=False) as uow:
        return access.authenticate_token(uow, made.token)


def _person(db: Database, actor: Actor) -> str:
    with UnitOfWork(db, write=True) as uow:
        person = persons.record(
            uow, actor=actor, person_in=PersonIn(names=["Bench Person"], category="wanted")
        )
    return person.id
