"""An offline copy's document reports as sorted columns: lookups, increments, the package bytes."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.core.ids import new_id
from vigil.documents.keys import ocr_key
from vigil.errors import Conflict
from vigil.screening import offline, offline_documents
from vigil.screening.offline_documents import DocumentTable, Report


def _row(number: str, state: str = "KEN", status: str = "stolen", kind: str = "passport",
         owner: str | None = None, rid: str | None = None) -> tuple[str, ...]:  # fmt: skip
    return (rid or new_id(), owner or state, state, kind, status, number, ocr_key(number), "")


def _numbers(reports: list[Report]) -> list[str]:
    return sorted(r.number_key for r in reports)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of different widths must join: numbers and keys grow from chunk to chunk.
    monkeypatch.setattr(offline_documents, "_CHUNK", 2)


def test_a_lookup_finds_every_report_under_the_state_and_ocr_key(small_chunks: None) -> None:
    rows = [_row("AK0456721"), _row("AKO456721"), _row("AK0456721", state="NGA"),
            _row("B1"), _row("X123456789012345678901234567890", status="lost")]  # fmt: skip
    table = offline_documents.build(iter(rows))
    assert len(table) == 5
    found = table.find("KEN", ocr_key("AK0456721"))
    assert _numbers(found) == ["AK0456721", "AKO456721"]  # the hit and the possible hit
    assert {r.issuing_state for r in found} == {"KEN"}
    assert table.find("KEN", ocr_key("AK045672")) == []
    assert table.find("FRA", ocr_key("B1")) == []
    (long,) = table.find("KEN", ocr_key("X123456789012345678901234567890"))
    assert long == Report(rows[4][0], "KEN", "KEN", "passport", "lost",
                          "X123456789012345678901234567890")  # fmt: skip


def test_every_id_comes_back_whole() -> None:
    # An id whose bytes end in zeros: numpy's byte strings drop trailing zeros on reading.
    rid = "01a22d5f-78f2-720b-8236-6ce77ef72600"
    table = offline_documents.build([_row("C9", rid=rid)])
    assert table.find("KEN", "C9")[0].id == rid


def test_the_columns_read_back_in_place_from_the_package_bytes(small_chunks: None) -> None:
    table = offline_documents.build([_row(f"N{i}", status="lost") for i in range(7)])
    data = b"prefix" + b"".join(bytes(b) for b in table.buffers()) + b"suffix"
    read, end = DocumentTable.read(table.layout(), data, len(b"prefix"))
    assert data[end:] == b"suffix"
    assert [read.find("KEN", f"N{i}") for i in range(7)] == [
        table.find("KEN", f"N{i}") for i in range(7)
    ]
    assert not read.columns["key"].flags.writeable  # a view of the bytes, not a copy


def test_a_layout_that_names_an_object_column_is_refused() -> None:
    table = offline_documents.build([_row("C9")])
    layout = table.layout()
    layout["columns"][0][1] = "|O"
    with pytest.raises(ValueError, match="not a plain type"):
        DocumentTable.read(layout, b"".join(bytes(b) for b in table.buffers()), 0)


def test_an_increment_keeps_what_stands_and_replaces_what_changed() -> None:
    stays, recovered, updated = _row("A1"), _row("A2"), _row("A3", status="lost")
    table = offline_documents.build([stays, recovered, updated])
    now_stolen = (updated[0], "KEN", "KEN", "passport", "stolen", "A3", "A3", "")
    changed = offline_documents.build([now_stolen, new := _row("A4")])
    kept = table.keeping(offline_documents.ids_column([stays[0], updated[0], new[0]]))
    after = kept.replaced_by(changed)
    assert len(after) == 3
    assert after.find("KEN", "A2") == []
    assert [r.status for r in after.find("KEN", "A3")] == ["stolen"]
    assert after.find("KEN", "A4")[0].id == new[0]
    assert after.find("KEN", "A1")[0].id == stays[0]


def test_tables_whose_names_are_in_another_order_merge() -> None:
    # A post's copy and an increment need not list types and statuses in the same order.
    table = offline_documents.build([_row("A1", kind="visa", status="stolen")])
    reordered = DocumentTable(
        dict(table.columns), tuple(reversed(table.types)), tuple(reversed(table.statuses))
    )  # the same codes now name other values: the last type and status
    other = offline_documents.build([_row("B1", kind="visa", status="lost")])
    merged = other.replaced_by(reordered)
    (a1,) = merged.find("KEN", "A1")
    types, statuses = table.types, table.statuses
    assert (a1.type, a1.status) == (types[-1 - types.index("visa")],
                                    statuses[-1 - statuses.index("stolen")])  # fmt: skip
    (b1,) = merged.find("KEN", ocr_key("B1"))
    assert (b1.type, b1.status) == ("visa", "lost")


def test_an_empty_table_finds_nothing() -> None:
    table = offline_documents.build([])
    assert len(table) == 0 and table.find("KEN", "A1") == []
    assert len(table.replaced_by(offline_documents.build([_row("A1")]))) == 1


def test_a_package_of_the_former_format_is_refused_saying_what_to_do() -> None:
    former = b"VIGIL-OFFLINE-1\n" + bytes(200)
    with pytest.raises(Conflict, match="export a new full package"):
        offline.load([former], "A" * 43 + "=")


def test_a_number_longer_than_any_on_file_is_not_cut_to_fit() -> None:
    # The keys are fixed-width byte strings: a longer query must not match its own prefix.
    table = offline_documents.build([_row("AK045")])
    assert table.find("KEN", ocr_key("AK0456721")) == []
    assert table.find("KEN", ocr_key("AK04")) == []
    assert len(table.find("KEN", ocr_key("AK045"))) == 1


def test_ids_are_found_among_others_exactly() -> None:
    ids = offline_documents.ids_column([new_id() for _ in range(500)])
    others = ids[::3]
    assert (offline_documents.among(ids, others) == np.isin(ids, others)).all()
    # Two ids whose 64-bit halves give the same exclusive or: only the exact one is found.
    a = np.array([b"\x01" * 8 + b"\x02" * 8], dtype="S16")
    b = np.array([b"\x02" * 8 + b"\x01" * 8], dtype="S16")
    assert not offline_documents.among(a, b).any()
    assert offline_documents.among(np.concatenate([a, b]), np.concatenate([b, a])).all()
    assert not offline_documents.among(ids, ids[:0]).any()
