from __future__ import annotations

import gc
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Officer
from tests.documents.helpers import check
from vigil.access.actors import operator
from vigil.documents import bulk, service, store
from vigil.documents.models import DocumentReportIn
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log, document_reports, records
from vigil.world import documents as world_documents
from vigil.world.humans import TODAY


def _load(db: Database, text: str, fmt: str = "jsonl", **kwargs: object) -> bulk.LoadSummary:
    lines = bulk.read_lines(io.BytesIO(text.encode()), bulk.SourceFormat(fmt))
    options = {"actor": operator(), "as_issuing_states": True, **kwargs}
    return bulk.load(db, lines=lines, **options)  # type: ignore[arg-type]


def _line(number: str, state: str = "FRA", **fields: object) -> str:
    row = {"number": number, "issuing_state": state, "type": "passport", "status": "lost"}
    return json.dumps({**row, **fields})


def _count(db: Database, table: sa.Table = document_reports) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_world_lines_load_with_their_envelope_and_reference(db: Database, fra: Officer) -> None:
    rng = random.Random(3)
    document = {"issuing_state": "FRA", "type": "passport", "number": "12AB34567"}
    row = world_documents.report(rng, document, ref="D1", status="stolen")
    row["truth_holder"] = "H1"
    summary = _load(db, json.dumps(row) + "\n")
    assert (summary.added, summary.refused) == (1, 0), summary.errors
    answer = check(db, fra, number="12AB34567", issuing_state="FRA")
    assert answer.result == "hit"
    report = answer.matches[0].report  # type: ignore[union-attr]
    assert report.envelope.provenance.owner_ref == "D1"
    assert report.reported_on is not None and report.reported_on <= TODAY


def test_bad_lines_are_listed_and_the_rest_loads(db: Database) -> None:
    text = "\n".join(
        [
            _line("A1"),
            "{not json",
            _line("A2", status="misplaced"),
            _line("A3", state="ZZZ"),
            _line("A4", owner="DEU"),
            "[1, 2]",
            _line("A5", audience={"networks": ["no-such-network"]}),
            # Flattening these once stopped the whole load.
            _line("A7", envelope="H0"),
            _line("A8", ref="R8", provenance="the border police"),
            _line("A6"),
        ]
    )
    summary = _load(db, text)
    assert (summary.read, summary.added, summary.refused) == (10, 2, 8)
    assert [e.line for e in summary.errors] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "status" in summary.errors[1].message
    assert "no-such-network" in summary.errors[5].message
    assert "envelope" in summary.errors[6].message
    assert "provenance" in summary.errors[7].message


def test_a_load_run_twice_adds_nothing_the_second_time(db: Database) -> None:
    text = "\n".join(_line(f"N{i}") for i in range(30)) + "\n" + _line("N0")
    first = _load(db, text)
    second = _load(db, text)
    assert (first.added, first.already_present) == (30, 1)
    assert (second.added, second.already_present) == (0, 31)
    assert _count(db) == 30


def test_a_load_gives_its_connection_back_as_the_engine_made_it(db: Database) -> None:
    """The load syncs less and checkpoints later; whoever gets the connection next must not."""
    if db.dialect != "sqlite":
        pytest.skip("SQLite's connection settings")
    from vigil import settings

    def pragmas(raw: Any) -> list[int]:
        names = ("synchronous", "wal_autocheckpoint", "cache_size")
        return [raw.execute(f"PRAGMA {name}").fetchone()[0] for name in names]

    with bulk._load_connection(db) as conn:
        raw = conn.connection.driver_connection
        loading = pragmas(raw)
    assert loading == [1, settings.IMPORT_AUTOCHECKPOINT_PAGES, -settings.IMPORT_CACHE_MB * 1024]
    made = [2, settings.SQLITE_AUTOCHECKPOINT_PAGES, -settings.SQLITE_CACHE_MB * 1024]
    assert pragmas(raw) == made  # the same connection, back in the pool


def test_each_batch_is_one_audit_entry_naming_its_reports(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.settings.IMPORT_BATCH_ROWS", 10)
    _load(db, "\n".join(_line(f"N{i}") for i in range(25)))
    with db.engine.connect() as conn:
        entries = conn.execute(
            sa.select(audit_log).where(audit_log.c.action == "documents.import")
        ).all()
    assert [len(e.record_ids) for e in entries] == [10, 10, 5]


def test_csv_with_holder_and_provenance_columns(db: Database, fra: Officer) -> None:
    text = (
        "number,issuing_state,type,status,holder_surname,owner_ref,audience\n"
        'X100,FRA,id_card,stolen,DUPONT,case-7,"{""except"": [""DEU""]}"\n'
        "X101,FRA,id_card,stolen,,,all,extra\n"
    )
    summary = _load(db, text, "csv")
    assert (summary.added, [e.line for e in summary.errors]) == (1, [3])
    report = check(db, fra, number="X100", issuing_state="FRA").matches[0].report  # type: ignore[union-attr]
    assert report.holder is not None and report.holder.surname == "DUPONT"
    assert report.envelope.audience.codes == ("DEU",)


def test_a_member_loads_only_its_own_documents(db: Database, fra: Officer) -> None:
    lines = bulk.read_lines(io.BytesIO((_line("A1") + "\n" + _line("B1", "DEU")).encode()),
                            bulk.SourceFormat.JSONL)  # fmt: skip
    summary = bulk.load(db, actor=fra.actor, lines=lines)
    assert (summary.added, summary.refused) == (1, 1)
    assert "issuing state" in summary.errors[0].message


def test_workers_load_the_same_as_one_process(db: Database) -> None:
    text = "\n".join(
        _line(f"W{i}", random.Random(i).choice(["FRA", "DEU", "ITA"])) for i in range(300)
    )
    summary = _load(db, text, workers=1)
    assert (summary.added, summary.refused) == (300, 0)
    assert _count(db, records) == 300


def test_a_load_with_workers_gives_the_collector_back_as_it_found_it(db: Database) -> None:
    """While the load writes, the collector waits longer between passes; afterwards the
    process (a command, or whatever called the library) has its own thresholds again."""
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def progress(_: int) -> None:
        seen.append(gc.get_threshold())

    _load(db, _line("G1"), workers=1, progress=progress)
    assert seen == [bulk._LOAD_GC_THRESHOLD]
    assert gc.get_threshold() == before


def test_a_load_killed_half_way_completes_exactly_once_when_run_again(
    db: Database, migrated: str, tmp_path: Path
) -> None:
    total = 6000
    source = tmp_path / "reports.jsonl"
    states = ["FRA", "DEU", "ITA", "ESP", "NGA"]
    source.write_text("\n".join(_line(f"K{i:07d}", states[i % 5]) for i in range(total)) + "\n")
    env = {**os.environ, "VIGIL_DATABASE_URL": migrated, "VIGIL_IMPORT_BATCH_ROWS": "100"}
    vigil = str(Path(sys.executable).parent / "vigil")
    command = [vigil, "documents", "import", str(source),
               "--as-issuing-states", "--workers", "0"]  # fmt: skip
    loader = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _count(db) < total // 10 and time.monotonic() < deadline and loader.poll() is None:
        time.sleep(0.01)
    assert loader.poll() is None, loader.stderr.read() if loader.stderr else ""
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    stored = _count(db)
    assert 0 < stored < total, "the load should have been killed half-way"

    rerun = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["added"] + summary["already_present"] == total
    assert summary["already_present"] == stored
    with db.engine.connect() as conn:
        numbers = list(conn.scalars(sa.select(document_reports.c.number)))
    assert len(numbers) == len(set(numbers)) == total
    assert _count(db, records) == total
    # The first load set the search indexes aside (the table was empty); the rerun built them.
    with db.engine.connect() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("document_reports")}
    assert "ix_document_reports_ocr_key" in names


def test_a_loaded_report_reads_back_whole(db: Database, fra: Officer) -> None:
    """Loads build their rows as tuples, column by column: every field must come back."""
    report_in = DocumentReportIn.model_validate(
        {
            "number": "ab-12 345",
            "issuing_state": "FRA",
            "type": "id_card",
            "status": "lost",
            "reported_on": "2026-01-02",
            "expiry_date": "2030-03-04",
            "holder": {"surname": "MARTIN", "given_names": "LEA", "birth_date": "1990-05-06"},
            "mrz": "I<FRA...",
            "audience": {"except": ["DEU", "ITA"]},
            "handling": "H3",
            "handling_text": "Not to be shared with third states.",
            "review_by": "2028-01-01",
            "provenance": {"source_agency": "Police nationale", "owner_ref": "PN-7",
                           "source_reliability": "B", "information_credibility": "2"},
        }
    )  # fmt: skip
    made = service.new_report(actor=fra.actor, report_in=report_in)
    assert set(store.RECORD_COLUMNS) == {c.name for c in records.c} - {"deleted_at"}
    assert set(store.DOCUMENT_COLUMNS) == {c.name for c in document_reports.c} - {"recovered_by"}
    with db.engine.begin() as conn:
        store.insert_many(conn, store.params_of(conn.dialect, [made]))
    with db.engine.connect() as conn:
        assert store.get(conn, made.id) == made


def test_batches_of_different_sizes_each_store_their_own_rows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch's records and document rows go in whole and matched to each other."""
    monkeypatch.setattr("vigil.settings.IMPORT_BATCH_ROWS", 150)
    total = 400  # batches of 150, 150 and 100 lines, each many pages of rows
    lines = [_line(f"N{i:05d}", ref=f"R{i}", mrz="P<FRA" + "<" * 39) for i in range(total)]
    summary = _load(db, "\n".join(lines), workers=1)
    assert (summary.added, summary.refused) == (total, 0)
    joined = sa.select(records.c.owner_ref, document_reports.c.number).join(
        document_reports, document_reports.c.id == records.c.id
    )
    with db.engine.connect() as conn:
        pairs = {ref: number for ref, number in conn.execute(joined)}
    assert pairs == {f"R{i}": f"N{i:05d}" for i in range(total)}
    assert _count(db, records) == _count(db) == total


def test_a_first_load_skips_a_document_its_earlier_batch_wrote(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.settings.IMPORT_BATCH_ROWS", 10)
    lines = [_line(f"F{i}") for i in range(30)]
    lines[25] = _line("F3")  # the first batch wrote it: asked, found, skipped
    summary = _load(db, "\n".join(lines))
    assert (summary.added, summary.already_present) == (29, 1)
    assert _count(db) == 29
