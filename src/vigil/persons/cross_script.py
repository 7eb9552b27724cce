"""Cross-script ranking: a name written in Arabic, Cyrillic, Chinese, Korean or Japanese
script, screened against a gallery of Latin names, should find its Latin form first.

The labelled sets come from the shared data folder (``vigil eval names --data``): synonames
(given names across languages, from Wikidata), the watchman cross-script pairs, and the
OpenSanctions alias cluster of one person among the OFAC list's names as decoys.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vigil.access.envelope import Audience
from vigil.persons.entries import Entry, entry_of
from vigil.persons.equivalents import NONE, Equivalents
from vigil.persons.index import NameIndex
from vigil.persons.models import ScreenQuery
from vigil.persons.names import script_of
from vigil.persons.screening import query_forms, rank

SCRIPTS = ("Arab", "Cyrl", "Hani", "Hang", "Jpan")
_FAR = date(2100, 1, 1)
_EVERYONE = Audience.everyone()


@dataclass
class CrossScript:
    """Queries in one script against a gallery of Latin names."""

    queries: dict[str, list[tuple[str, set[str]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    gallery: set[str] = field(default_factory=set)


# Each set's file, under the shared data folder.
FILES = {
    "synonames": Path("synonames") / "synonyms.txt",
    "watchman": Path("watchman-cross-script-pairs") / "cross_script_pairs.csv",
    "opensanctions_aliases": Path("opensanctions-ftm-samples") / "nomenklatura_putin_names.txt",
}


def read(data: Path) -> dict[str, CrossScript]:
    """The labelled cross-script sets found under ``data`` (the shared data folder)."""
    sets: dict[str, CrossScript] = {}
    if (data / FILES["synonames"]).exists():
        sets["synonames"] = _synonames(data / FILES["synonames"])
    if (data / FILES["watchman"]).exists():
        sets["watchman"] = _watchman(data / FILES["watchman"])
    if (data / FILES["opensanctions_aliases"]).exists():
        sets["opensanctions_aliases"] = _alias_cluster(data / FILES["opensanctions_aliases"], data)
    return sets


def _synonames(path: Path) -> CrossScript:
    """Given names: each non-Latin form must find one of its Latin forms among all of them."""
    latin_of: dict[str, set[str]] = defaultdict(set)
    found = CrossScript()
    for line in path.read_text(encoding="utf-8").splitlines():
        latin, _, other = (part.strip() for part in line.partition(","))
        # The left column is not always Latin (the set pairs every script with every other).
        if not latin or not other or script_of(latin) != "Latn":
            continue
        found.gallery.add(latin)
        if script_of(other) in SCRIPTS:
            latin_of[other].add(latin)
    for other, latins in latin_of.items():
        found.queries[script_of(other)].append((other, latins))
    return found


def _watchman(path: Path) -> CrossScript:
    found = CrossScript()
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.startswith("#")):
            query, expected = row[0], row[1]
            found.gallery.add(expected)
            found.queries[script_of(query)].append((query, {expected}))
    return found


def _alias_cluster(path: Path, data: Path) -> CrossScript:
    """One person's names in ~30 scripts against the Latin one, among decoys: the OFAC list's
    names when it is there."""
    found = CrossScript()
    target = "Vladimir Putin"
    found.gallery.add(target)
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and script_of(name) in SCRIPTS:
            found.queries[script_of(name)].append((name, {target}))
    sdn = data / "ofac-sdn-sample" / "sdn.csv"
    if sdn.exists():
        with sdn.open(encoding="latin-1") as handle:
            for row in csv.reader(handle):
                if len(row) > 2 and row[2].strip() == "individual":
                    found.gallery.add(_ofac_name(row[1]))
    return found


def _ofac_name(name: str) -> str:
    """OFAC writes ``FAMILY, Given``: the Latin name as a passport would read."""
    family, _, given = name.partition(",")
    return f"{given.strip()} {family.strip()}".strip().title()


def evaluate(sets: dict[str, CrossScript], equivalents: Equivalents = NONE) -> dict[str, Any]:
    """Share of queries whose right answer ranks first, and within ten, by set and script;
    queries read with ``equivalents``."""
    report: dict[str, Any] = {}
    for label, found in sets.items():
        index = NameIndex()
        for name in sorted(found.gallery):
            index.put(gallery_entry(name))
        index.equivalents = equivalents
        per_script: dict[str, Any] = {}
        for script, queries in sorted(found.queries.items()):
            first = top10 = 0
            for name, right in queries:
                query = ScreenQuery(name=name, limit=10)
                forms = query_forms(index, name)
                shortlist = index.shortlist(forms, _everyone)
                ranked = [r.entry.id for r in rank(shortlist, query, forms=forms)]
                first += bool(ranked) and ranked[0] in right
                top10 += bool(right & set(ranked[:10]))
            per_script[script] = {
                "queries": len(queries),
                "first": round(first / len(queries), 4),
                "top10": round(top10 / len(queries), 4),
            }
        total = sum(s["queries"] for s in per_script.values())
        report[label] = {
            "gallery": len(found.gallery),
            "first": round(sum(s["first"] * s["queries"] for s in per_script.values()) / total, 4)
            if total
            else None,
            "top10": round(sum(s["top10"] * s["queries"] for s in per_script.values()) / total, 4)
            if total
            else None,
            "by_script": per_script,
        }
    return report


def gallery_entry(name: str) -> Entry:
    """A record of ``name`` alone, that anyone may match: a gallery's, to rank names."""
    return entry_of(
        record_id=name,
        owner="GS",
        audience=_EVERYONE,
        review_by=_FAR,
        category="wanted",
        names=[name],
        birth_date=None,
        birth_date_to=None,
        sex=None,
        nationalities=[],
        identifiers=[],
    )


def _everyone(_: Entry) -> bool:
    return True
