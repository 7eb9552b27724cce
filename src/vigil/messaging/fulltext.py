"""SQL of full-text search over messages and reports: one interface, FTS5 on SQLite and a
tsvector with a GIN index on PostgreSQL.

A search ranks its matches by relevance when there are at most ``RANKED_AT_MOST`` of them.
A broader search (a word in thousands of records: "hawala", "vehicle") lists the newest
matches first. Ranking every match of such a word meant reading every one of them: on
1,000,000 records a word in a quarter of them took a second on either database, and on
PostgreSQL a word in 1 % of them still read some 20,000 table pages. Relevance among thousands
of records that share a common word says little; recency is what an analyst sorts such a list
by. Each broad search looks at the newest ``BROAD_WINDOW`` matches at most, so that a member
who may see few of them is not answered by reading the whole index.
"""

from __future__ import annotations

import abc
import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from vigil.storage.tables import records, search_documents

RANKED_AT_MOST = 2_000
BROAD_WINDOW = 20_000
# Matches read at a time, newest first, in a broad search: the first batches cover the first
# page of nearly every search; they grow for a member who may see little.
_FIRST_BATCH = 500
# How far above RANKED_AT_MOST PostgreSQL's estimate of the matches must be to skip counting.
_CLEARLY_BROAD = 4
# The share of a kind's records that PostgreSQL must expect to hold the words for a broad
# search to test every record of each slice rather than go through the full-text index.
_DENSE = 0.05

_WORD = re.compile(r"\w+", re.UNICODE)


def index_text(conn: sa.Connection, record_id: str, kind: str, body: str) -> None:
    """Make a record findable by its words (messages and reports, in any language)."""
    index_texts(conn, [(record_id, kind, body)])


def index_texts(conn: sa.Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """``index_text`` for many (record id, kind, text) at once, as a bulk load writes them.
    The search row holds no text: FTS5 keeps its own copy on SQLite, and PostgreSQL keeps the
    tsvector alone ('simple': no stemming, the same for the four languages of the platform)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO search_documents (record_id, kind, tsv) "
            "VALUES (%s, %s, to_tsvector('simple', %s))",
            list(rows),
        )
        return
    conn.execute(search_documents.insert(), [{"record_id": r, "kind": k} for r, k, _ in rows])
    conn.exec_driver_sql(
        "INSERT INTO search_fts (record_id, body) VALUES (?, ?)", [(r, b) for r, _, b in rows]
    )


def search(
    conn: sa.Connection,
    text: str,
    visible: sa.ColumnElement[bool],
    *,
    kinds: Sequence[str],
    limit: int,
) -> list[str]:
    """Ids of up to ``limit`` records of ``kinds`` passing ``visible`` whose words hold every
    word of ``text``: best first when at most ``RANKED_AT_MOST`` records match, else newest
    first (among the newest ``BROAD_WINDOW`` matches)."""
    words = _WORD.findall(text.lower())
    if not words:
        return []
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")  # it costs more than it saves here
        return _PostgreSQL(conn, words, kinds).search(visible, limit)
    return _SQLite(conn, words, kinds).search(visible, limit)


class _Dialect(abc.ABC):
    """The two searches over one dialect's index; subclasses say how to count, rank and read
    the newest matches."""

    def __init__(self, conn: sa.Connection, words: list[str], kinds: Sequence[str]) -> None:
        self.conn = conn
        self.words = words
        self.kinds = list(kinds)

    def search(self, visible: sa.ColumnElement[bool], limit: int) -> list[str]:
        if self.count(RANKED_AT_MOST + 1) <= RANKED_AT_MOST:
            return self.ranked(visible, limit)
        found: list[str] = []
        seen = 0
        for batch in self.newest():
            batch = batch[: BROAD_WINDOW - seen]
            seen += len(batch)
            found += self.keep(batch, visible)
            if len(found) >= limit or seen >= BROAD_WINDOW:
                break
        return found[:limit]

    @abc.abstractmethod
    def count(self, at_most: int) -> int:
        """How many records of the kinds match, counted up to ``at_most``."""

    @abc.abstractmethod
    def ranked(self, visible: sa.ColumnElement[bool], limit: int) -> list[str]:
        """The visible matches of the kinds, best first."""

    @abc.abstractmethod
    def newest(self) -> Iterator[list[str]]:
        """The ids of every match (any kind, any audience), newest first, in growing batches."""

    def keep(self, ids: list[str], visible: sa.ColumnElement[bool]) -> list[str]:
        """Those of ``ids`` of the kinds searched that pass ``visible``, in the same order."""
        allowed = set(
            self.conn.execute(
                sa.select(search_documents.c.record_id)
                .join(records, records.c.id == search_documents.c.record_id)
                .where(visible, search_documents.c.kind.in_(self.kinds),
                       search_documents.c.record_id.in_(ids))
            ).scalars()
        )  # fmt: skip
        return [i for i in ids if i in allowed]


class _SQLite(_Dialect):
    """FTS5: every word as a phrase; rowids grow with each insert, so the newest come first by
    rowid."""

    @property
    def match(self) -> str:
        return " ".join('"' + w.replace('"', "") + '"' for w in self.words)

    def count(self, at_most: int) -> int:
        return int(
            self.conn.execute(
                sa.text("SELECT count(*) FROM (SELECT 1 FROM search_fts "
                        "WHERE search_fts MATCH :match LIMIT :n)"
                        ).bindparams(match=self.match, n=at_most)
            ).scalar_one()
        )  # fmt: skip

    def ranked(self, visible: sa.ColumnElement[bool], limit: int) -> list[str]:
        fts = sa.text("SELECT record_id FROM search_fts WHERE search_fts MATCH :match "
                      "ORDER BY rank").bindparams(match=self.match)  # fmt: skip
        ids = [str(r) for r in self.conn.execute(fts).scalars()]
        return self.keep(ids, visible)[:limit]

    def newest(self) -> Iterator[list[str]]:
        before: int | None = None
        size = _FIRST_BATCH
        while True:
            rows = self.conn.execute(
                sa.text("SELECT rowid, record_id FROM search_fts WHERE search_fts MATCH :match "
                        "AND rowid < :before ORDER BY rowid DESC LIMIT :n"
                        ).bindparams(match=self.match, before=before or 2**62, n=size)
            ).all()  # fmt: skip
            if not rows:
                return
            yield [str(r.record_id) for r in rows]
            before, size = rows[-1].rowid, size * 2


class _PostgreSQL(_Dialect):
    """A tsvector with a GIN index. Record ids grow with time (UUIDv7), so the newest come
    first by id: a broad search takes the newest records of the kinds in slices of growing
    size, bounded along the (kind, record_id) index, and finds each slice's matches. Without
    the slices the planner fetched every match of a common word to sort them."""

    @property
    def query(self) -> sa.ColumnElement[Any]:
        return sa.func.plainto_tsquery(sa.literal_column("'simple'"), " ".join(self.words))

    @property
    def tsv(self) -> sa.ColumnElement[Any]:
        return sa.literal_column("search_documents.tsv")

    def count(self, at_most: int) -> int:
        # The planner's estimate first (from the lexeme statistics ANALYZE keeps): a word it
        # expects in many times more records is broad without visiting thousands of rows to
        # count them. It never decides the other way: an estimate below is checked.
        if self._expected_matches > _CLEARLY_BROAD * at_most:
            return at_most
        matches = (
            sa.select(sa.literal(1))
            .where(search_documents.c.kind.in_(self.kinds), self.tsv.op("@@")(self.query))
            .limit(at_most)
            .subquery()
        )
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(matches)).scalar_one())

    @functools.cached_property
    def _expected_matches(self) -> float:
        return self._estimate("AND tsv @@ plainto_tsquery('simple', %(text)s)")

    @functools.cached_property
    def _dense(self) -> bool:
        """Whether the planner expects the words in more than ``_DENSE`` of the records of the
        kinds. It multiplies the words' frequencies, so that words which come together are
        expected rarer than they are: such a search is taken for a sparse one."""
        return self._expected_matches > _DENSE * self._estimate("")

    def _estimate(self, condition: str) -> float:
        plan = self.conn.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_documents WHERE kind = ANY(%(kinds)s) "
            + condition,
            {"kinds": self.kinds, "text": " ".join(self.words)},
        ).scalar_one()
        return float(plan[0]["Plan"]["Plan Rows"])

    def ranked(self, visible: sa.ColumnElement[bool], limit: int) -> list[str]:
        query = (
            sa.select(search_documents.c.record_id)
            .join(records, records.c.id == search_documents.c.record_id)
            .where(visible, search_documents.c.kind.in_(self.kinds),
                   self.tsv.op("@@")(self.query))
            .order_by(sa.func.ts_rank(self.tsv, self.query).desc(),
                      search_documents.c.record_id.desc())
            .limit(limit)
        )  # fmt: skip
        return [str(r) for r in self.conn.execute(query).scalars()]

    def newest(self) -> Iterator[list[str]]:
        before: str | None = None
        size = _FIRST_BATCH * 10  # records of the kinds, not matches: a word in 1 of 10
        while True:
            start = self._slice_start(before, size)
            yield self._matches_in(start, before)
            if start is None:
                return
            before, size = start, size * 2

    def _slice_start(self, before: str | None, size: int) -> str | None:
        """The id of the ``size``-th newest record of the kinds below ``before``, or None when
        there are fewer: read along the (kind, record_id) index alone."""
        newest = sa.select(search_documents.c.record_id).where(
            search_documents.c.kind.in_(self.kinds)
        )
        if before is not None:
            newest = newest.where(search_documents.c.record_id < before)
        found = self.conn.execute(
            newest.order_by(search_documents.c.record_id.desc()).offset(size - 1).limit(1)
        ).scalar()
        return None if found is None else str(found)

    def _matches_in(self, start: str | None, before: str | None) -> list[str]:
        """The matches with ids from ``start`` up to ``before``, newest first.

        The plan is chosen here, not left to the planner, which expects the words of a
        message to come together as rarely as their frequencies multiplied, and then read
        the whole slice through the table for two common words, or sorted thousands of
        matches of the full-text index. Matches a slice holds few of are found through the
        full-text index intersected with the slice's range of ids (a bitmap AND), so that
        only they are read from the table. A dense word's list in the full-text index holds
        tens of thousands of records; its slice is cheaper read along the (kind, record_id)
        index, testing each row."""
        query = sa.select(search_documents.c.record_id).where(
            search_documents.c.kind.in_(self.kinds), self.tsv.op("@@")(self.query)
        )
        if start is not None:
            query = query.where(search_documents.c.record_id >= start)
        if before is not None:
            query = query.where(search_documents.c.record_id < before)
        avoid = "enable_bitmapscan" if self._dense else "enable_indexscan"
        was = self.conn.exec_driver_sql(f"SHOW {avoid}").scalar_one()
        self.conn.exec_driver_sql(f"SET LOCAL {avoid} = off")
        try:
            ids = self.conn.execute(query.order_by(search_documents.c.record_id.desc()))
            return [str(i) for i in ids.scalars()]
        finally:
            self.conn.exec_driver_sql(f"SET LOCAL {avoid} = {was}")
