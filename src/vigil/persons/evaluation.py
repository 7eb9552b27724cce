"""How well screening finds people: precision, recall, F1 and recall@10 on labelled sets.

Two kinds of set:

- **The synthetic world's variants** (``truth/same_person.jsonl``): every person record is
  screened (its Latin name, birth date, sex and first nationality, as a border officer would
  type them) against all the others; the records of the same human are the right answers.
  Vigil is measured at the default threshold. Beside it, in the same run, on the same queries:
  rapidfuzz's token-sort ratio of the query against every name of every record (brute force),
  and PostgreSQL's pg_trgm similarity when a PostgreSQL is reachable. Each baseline is given
  the threshold that maximises its own F1, which flatters it.
- **Cross-script pairs** (``persons.cross_script``): a name in another script against a
  gallery of Latin names; skipped when the shared data folder is absent.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from anyascii import anyascii

from vigil.access.envelope import Audience
from vigil.persons import cross_script
from vigil.persons.entries import Entry, entry_of
from vigil.persons.equivalents import NONE, Equivalents
from vigil.persons.equivalents import from_files as equivalents_from_files
from vigil.persons.index import NameIndex
from vigil.persons.matching import identifier_key
from vigil.persons.models import ScreenQuery
from vigil.persons.names import readings
from vigil.persons.screening import Ranked, query_forms, rank
from vigil.persons.screening import threshold_for as _threshold_for

_FAR = date(2100, 1, 1)
_EVERYONE = Audience.everyone()


@dataclass
class Counts:
    """Confusion counts of one system on one set, at one threshold."""

    true_positives: int = 0
    false_positives: int = 0
    positives: int = 0  # right answers there were to find
    found_in_top10: int = 0

    @property
    def precision(self) -> float:
        shown = self.true_positives + self.false_positives
        return self.true_positives / shown if shown else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, **extra: Any) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "recall_at_10": round(self.found_in_top10 / self.positives, 4)
            if self.positives
            else None,
            "positives": self.positives,
            **extra,
        }


# ---- the synthetic world ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorldSet:
    entries: list[Entry]
    truth: dict[str, set[str]]  # record ref -> the refs of the same human's other records
    queries: list[tuple[str, ScreenQuery]]  # (the record queried from, the query)


def read_world(world: Path, *, max_queries: int | None = None, seed: int = 1) -> WorldSet:
    """The world's person records as index entries, its ground truth, and one query per
    record (or a sample of ``max_queries``)."""
    entries: list[Entry] = []
    lines: list[dict[str, Any]] = []
    with (world / "persons.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            lines.append(row)
            entries.append(_entry(row))
    truth: dict[str, set[str]] = {}
    with (world / "truth" / "same_person.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            refs = json.loads(line)["records"]
            for ref in refs:
                truth[ref] = set(refs) - {ref}
    if max_queries is not None and max_queries < len(lines):
        lines = random.Random(seed).sample(lines, max_queries)  # noqa: S311 - a sample
    queries = [(row["ref"], _query(row)) for row in lines]
    return WorldSet(entries, truth, queries)


def sample_queries(world: Path, count: int, seed: int = 1) -> list[ScreenQuery]:
    """Queries made from ``count`` records of the world, as ``read_world`` makes them, without
    building index entries (benchmarks that only need traffic)."""
    with (world / "persons.jsonl").open(encoding="utf-8") as handle:
        lines = handle.readlines()
    chosen = random.Random(seed).sample(lines, min(count, len(lines)))  # noqa: S311 - a sample
    return [_query(json.loads(line)) for line in chosen]


def _entry(row: dict[str, Any]) -> Entry:
    return entry_of(
        record_id=row["ref"],
        owner=row["owner"],
        audience=_EVERYONE,
        review_by=_FAR,
        category=row["category"],
        names=[n["full"] for n in row["names"]],
        birth_date=row.get("birth_date"),
        birth_date_to=None,
        sex=row.get("sex"),
        nationalities=row.get("nationalities") or [],
        identifiers=[identifier_key(i["number"]) for i in row.get("identifiers", [])],
    )


def _query(row: dict[str, Any]) -> ScreenQuery:
    """What an officer would type from this person's passport: the Latin name, the rest, and
    the passport's number where the record holds one."""
    latin = [n for n in row["names"] if n.get("kind") == "latin"]
    name = (latin or row["names"])[0]["full"]
    nationalities = row.get("nationalities") or []
    passports = [i["number"] for i in row.get("identifiers", []) if i.get("type") == "passport"]
    return ScreenQuery(
        name=name,
        birth_date=row.get("birth_date"),
        sex=row.get("sex"),
        nationality=nationalities[0] if nationalities else None,
        document_number=passports[0] if passports else None,
        limit=10,
    )


def world_index(world: WorldSet, equivalents: Equivalents = NONE) -> NameIndex:
    """A name index of every record of the world, reading queries with ``equivalents``."""
    index = NameIndex()
    for entry in world.entries:
        index.put(entry)
    index.equivalents = equivalents
    return index


def screened(index: NameIndex, world: WorldSet) -> Iterator[tuple[str, list[Ranked]]]:
    """Each query's ranked candidates, as Vigil screens it against every other record: the
    record it was made from neither competes nor counts among a name's bearers."""
    for ref, query in world.queries:
        forms = query_forms(index, query.name)
        shortlist = index.shortlist(forms, _other_than(ref), query.document_number)
        yield ref, rank(shortlist, query, forms=forms)


def evaluate_vigil(
    world: WorldSet, threshold: float, equivalents: Equivalents = NONE
) -> dict[str, Any]:
    index = world_index(world, equivalents)
    counts = Counts()
    started = time.perf_counter()
    for ref, ranked in screened(index, world):
        right = world.truth.get(ref, set())
        _count(counts, right, [(r.entry.id, r.score) for r in ranked], threshold)
    elapsed = time.perf_counter() - started
    return counts.as_dict(
        threshold=threshold, ms_per_query=round(1000 * elapsed / max(len(world.queries), 1), 2)
    )


def _other_than(ref: str) -> Callable[[Entry], bool]:
    """Every record but the one the query was made from."""
    return lambda entry: entry.id != ref


def _count(
    counts: Counts, right: set[str], ranked: list[tuple[str, float]], threshold: float
) -> None:
    counts.positives += len(right)
    counts.found_in_top10 += len(right & {ref for ref, _ in ranked[:10]})
    for ref, value in ranked:
        if value < threshold:
            break
        if ref in right:
            counts.true_positives += 1
        else:
            counts.false_positives += 1


def evaluate_brute_force(world: WorldSet) -> dict[str, Any]:
    """rapidfuzz token-sort ratio of the query against every name of every record."""
    from rapidfuzz import fuzz, process

    names: list[str] = []
    owners: list[str] = []
    for entry in world.entries:
        for full, _ in entry.names:
            names.append(_folded(full))
            owners.append(entry.id)
    started = time.perf_counter()
    results: list[tuple[set[str], list[tuple[str, float]]]] = []
    for ref, query in world.queries:
        found = process.extract(
            _folded(query.name), names, scorer=fuzz.token_sort_ratio, limit=40, score_cutoff=50
        )
        best: dict[str, float] = {}
        for _, value, position in found:
            owner = owners[position]
            if owner != ref and value / 100 > best.get(owner, 0.0):
                best[owner] = value / 100
        ranked = sorted(best.items(), key=lambda item: -item[1])
        results.append((world.truth.get(ref, set()), ranked))
    elapsed = time.perf_counter() - started
    return _best_threshold(results, elapsed / max(len(world.queries), 1))


def evaluate_pg_trgm(world: WorldSet, url: str) -> dict[str, Any]:
    """PostgreSQL pg_trgm ``similarity`` over every name, with a GIN trigram index."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("DROP TABLE IF EXISTS eval_names")
        conn.execute("CREATE TABLE eval_names (ref text, name text)")
        with conn.cursor() as cur, cur.copy("COPY eval_names (ref, name) FROM STDIN") as copy:
            for entry in world.entries:
                for full, _ in entry.names:
                    copy.write_row((entry.id, _folded(full)))
        conn.execute("CREATE INDEX ON eval_names USING gin (name gin_trgm_ops)")
        conn.execute("ANALYZE eval_names")
        conn.execute("SET pg_trgm.similarity_threshold = 0.3")
        started = time.perf_counter()
        results: list[tuple[set[str], list[tuple[str, float]]]] = []
        for ref, query in world.queries:
            rows = conn.execute(
                "SELECT ref, max(similarity(name, %(q)s)) AS s FROM eval_names "
                "WHERE name %% %(q)s AND ref <> %(ref)s GROUP BY ref ORDER BY s DESC LIMIT 40",
                {"q": _folded(query.name), "ref": ref},
            ).fetchall()
            ranked = [(str(r), float(s)) for r, s in rows]
            results.append((world.truth.get(ref, set()), ranked))
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE eval_names")
    return _best_threshold(results, elapsed / max(len(world.queries), 1))


def evaluate_nomenklatura(world: WorldSet, python: str, candidates: int = 40) -> dict[str, Any]:
    """OpenSanctions' logic-v2 matcher, run by ``tools/nomenklatura_baseline.py`` in an
    interpreter of its own, on the first ``candidates`` of Vigil's own shortlist for each
    query (so it is compared as a matcher, given Vigil's candidate generation)."""
    index = world_index(world)
    jobs: list[str] = []
    rights: list[set[str]] = []
    for ref, query in world.queries:
        found = index.shortlist(readings(query.name), _other_than(ref), query.document_number)
        shortlist = found.entries[:candidates]
        job = {
            "query": query.model_dump(exclude_none=True),
            "candidates": [
                {
                    "id": e.id,
                    "names": [full for full, _ in e.names],
                    "birth_date": e.birth_date,
                    "sex": e.sex,
                    "nationalities": list(e.nationalities),
                }
                for e in shortlist
            ],
        }
        jobs.append(json.dumps(job, ensure_ascii=False))
        rights.append(world.truth.get(ref, set()))
    tool = Path(__file__).resolve().parents[3] / "tools" / "nomenklatura_baseline.py"
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - the interpreter the operator named
        [python, str(tool)],
        input="\n".join(jobs) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    results = []
    for right, line in zip(rights, done.stdout.splitlines(), strict=True):
        ranked = sorted(((str(i), float(v)) for i, v in json.loads(line)), key=lambda x: -x[1])
        results.append((right, ranked))
    return _best_threshold(results, elapsed / max(len(jobs), 1))


def _best_threshold(
    results: list[tuple[set[str], list[tuple[str, float]]]], seconds_per_query: float
) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for step in range(30, 100):
        threshold = step / 100
        counts = Counts()
        for right, ranked in results:
            _count(counts, right, ranked, threshold)
        if best is None or counts.f1 > best["f1"]:
            best = counts.as_dict(
                threshold=threshold, ms_per_query=round(1000 * seconds_per_query, 2)
            )
    assert best is not None
    best["threshold_note"] = "the threshold that maximises this baseline's own F1"
    return best


def _folded(name: str) -> str:
    return anyascii(name).lower()


# ---- the whole run --------------------------------------------------------------------------


def run(
    *,
    world: Path | None,
    data: Path | None,
    pg_url: str | None,
    max_queries: int | None,
    threshold: float | None = None,
    nomenklatura: str | None = None,
    equivalent_tables: Sequence[Path] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Every evaluation that the inputs allow, as one report. With ``equivalent_tables``,
    Vigil runs again reading queries with them, beside the run without."""
    report: dict[str, Any] = {}
    tables = equivalents_from_files(equivalent_tables) if equivalent_tables else None
    if world is not None:
        progress(f"reading the world at {world}")
        world_set = read_world(world, max_queries=max_queries)
        cut = threshold if threshold is not None else _threshold_for("")
        progress(f"vigil on {len(world_set.queries)} queries")
        systems: dict[str, Any] = {"vigil": evaluate_vigil(world_set, cut)}
        if tables is not None:
            progress("vigil with the tables of equivalents")
            systems["vigil_with_equivalents"] = evaluate_vigil(world_set, cut, tables)
        progress("brute force (rapidfuzz token-sort ratio)")
        systems["rapidfuzz_token_sort"] = evaluate_brute_force(world_set)
        if pg_url:
            progress("pg_trgm")
            try:
                systems["pg_trgm"] = evaluate_pg_trgm(world_set, pg_url)
            except Exception as exc:
                systems["pg_trgm"] = {"skipped": f"{type(exc).__name__}: {exc}"[:200]}
        if nomenklatura:
            progress("nomenklatura logic-v2")
            try:
                systems["nomenklatura_logic_v2"] = evaluate_nomenklatura(world_set, nomenklatura)
            except (OSError, subprocess.CalledProcessError) as exc:
                systems["nomenklatura_logic_v2"] = {"skipped": str(exc)[:200]}
        report["world"] = {
            "records": len(world_set.entries),
            "queries": len(world_set.queries),
            "systems": systems,
        }
    if data is not None and data.exists():
        progress("cross-script pairs")
        sets = cross_script.read(data)
        report["cross_script"] = cross_script.evaluate(sets)
        if tables is not None:
            progress("cross-script pairs with the tables of equivalents")
            # A set read from one of the tables would only show that the table holds it.
            loaded = {table.resolve() for table in equivalent_tables}
            drawn = {
                label
                for label, path in cross_script.FILES.items()
                if (data / path).resolve() in loaded
            }
            report["cross_script_with_equivalents"] = cross_script.evaluate(
                {label: found for label, found in sets.items() if label not in drawn}, tables
            )
    return report


def _cross_script_results(report: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from (report.get("cross_script") or {}).items()
    for label, result in (report.get("cross_script_with_equivalents") or {}).items():
        yield f"{label} with equivalents", result


def iter_lines(report: dict[str, Any]) -> Iterator[str]:
    """The report as short human-readable lines."""
    world = report.get("world")
    if world:
        yield f"synthetic world: {world['records']} records, {world['queries']} queries"
        for name, result in world["systems"].items():
            if "skipped" in result:
                yield f"  {name:22} skipped: {result['skipped']}"
                continue
            yield (
                f"  {name:22} P {result['precision']:.3f}  R {result['recall']:.3f}  "
                f"F1 {result['f1']:.3f}  R@10 {result['recall_at_10']:.3f}  "
                f"at {result['threshold']:.2f}  {result['ms_per_query']} ms/query"
            )
    for label, result in _cross_script_results(report):
        scripts = ", ".join(
            f"{script} {s['first']:.2f}/{s['top10']:.2f} ({s['queries']})"
            for script, s in result["by_script"].items()
        )
        yield (
            f"cross-script {label} (gallery {result['gallery']}): right answer first "
            f"{result['first']}, in the top 10 {result['top10']}  [first/top 10 by script: "
            f"{scripts}]"
        )
