"""Full-text search on both databases: a narrow search ranked best first, a broad one newest
first, both within what the member may see; the broad window bounds the work."""

from __future__ import annotations

import pytest

from tests.conftest import make_record, make_user
from vigil.access.envelope import Audience
from vigil.messaging import fulltext
from vigil.records import store as records_store
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork


def _index(db: Database, texts: list[tuple[str, Audience | None]], kind: str = "message"
           ) -> list[str]:  # fmt: skip
    """Records in the order given (ids grow with time), each with its searchable text."""
    owner = make_user(db, "FRA")
    ids = []
    for text, audience in texts:
        record = make_record(db, owner, audience=audience, kind=kind)
        with UnitOfWork(db, write=True) as uow:
            fulltext.index_text(uow.conn, record.id, kind, text)
        ids.append(record.id)
    return ids


def _search(db: Database, member: str, text: str, limit: int = 10, kind: str = "message"
            ) -> list[str]:  # fmt: skip
    actor = make_user(db, member).actor
    with UnitOfWork(db, write=False) as uow:
        visible = records_store.visible_clause(actor)
        return fulltext.search(uow.conn, text, visible, kinds=[kind], limit=limit)


def test_a_narrow_search_ranks_the_best_match_first(db: Database) -> None:
    ids = _index(db, [("hawala broker in Agadez", None),
                      ("hawala hawala hawala broker", None),
                      ("a truck to Sabratha", None)])  # fmt: skip
    assert _search(db, "DEU", "hawala")[0] == ids[1]
    assert set(_search(db, "DEU", "hawala broker")) == {ids[0], ids[1]}
    assert _search(db, "DEU", "agadez sabratha") == []


def test_a_broad_search_lists_the_newest_visible_matches_first(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "RANKED_AT_MOST", 3)
    monkeypatch.setattr(fulltext, "_FIRST_BATCH", 2)  # several batches, on both databases
    own = Audience.only("FRA")
    texts = [(f"vehicle number {i}", own if i % 3 == 0 else None) for i in range(12)]
    ids = _index(db, texts)
    everyone = [i for n, i in enumerate(ids) if n % 3]
    assert _search(db, "DEU", "vehicle", limit=5) == everyone[::-1][:5]
    assert _search(db, "FRA", "vehicle", limit=4) == ids[::-1][:4]
    assert _search(db, "DEU", "vehicle", limit=50) == everyone[::-1]
    assert _search(db, "DEU", "vehicle", kind="intel_report") == []


def test_a_broad_search_reads_the_newest_window_of_matches_only(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "RANKED_AT_MOST", 2)
    monkeypatch.setattr(fulltext, "BROAD_WINDOW", 4)
    monkeypatch.setattr(fulltext, "_FIRST_BATCH", 2)
    ids = _index(db, [("vehicle old", None)] + [("vehicle new", Audience.only("FRA"))] * 6)
    # The one match DEU may see is older than the newest window: a broad search stops there.
    assert _search(db, "DEU", "vehicle") == []
    assert _search(db, "DEU", "vehicle old") == [ids[0]]  # narrow: every match is looked at


@pytest.mark.parametrize("dense", [0.0, 2.0], ids=["every row tested", "full-text index"])
def test_a_broad_search_finds_sparse_matches_across_slices_of_one_kind(
    db: Database, monkeypatch: pytest.MonkeyPatch, dense: float
) -> None:
    monkeypatch.setattr(fulltext, "_DENSE", dense)  # PostgreSQL: both ways of reading a slice
    monkeypatch.setattr(fulltext, "RANKED_AT_MOST", 2)
    monkeypatch.setattr(fulltext, "_FIRST_BATCH", 1)  # PostgreSQL: slices of 10, 20, 40 records
    messages, reports = [], []
    for i in range(36):
        text = f"vehicle seized at the port, case {i}" if i % 5 == 0 else f"routine case {i}"
        messages += _index(db, [(text, None)])
        reports += _index(db, [(f"vehicle seized, report {i}", None)], kind="intel_report")
    matches = [m for n, m in enumerate(messages) if n % 5 == 0]
    assert _search(db, "DEU", "seized vehicle", limit=50) == matches[::-1]
    assert _search(db, "DEU", "seized vehicle", limit=3) == matches[::-1][:3]
    assert _search(db, "DEU", "vehicle seized", limit=50, kind="intel_report") == reports[::-1]
