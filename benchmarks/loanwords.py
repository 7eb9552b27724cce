"""Foreign names in katakana and hangul (``persons.loanwords``): how often the right Latin
name ranks first with the reading back and without it, side by side in one run, and what the
second reading costs a query.

Two labelled sets from the shared data folder:

- ``countrynames``: opensanctions/countrynames lists each country's names in many languages.
  Its names written in katakana alone or hangul alone are the queries; every Latin name of
  every country is the gallery, and a query is right when the first candidate is a Latin name
  of its country. Country names were not looked at while the rules were written, so this set
  is held out. Many are translations (イギリス for the United Kingdom, 독일 for Germany),
  not transcriptions: no reading finds those, which bounds the figures from above.
- ``opensanctions_aliases``: the queries in katakana and hangul of the alias cluster of
  ``vigil eval names`` (one person's names; OFAC names as decoys).

Needs the shared data folder (``../shared/data``); says so and exits 0 without it.

    .venv/bin/python benchmarks/loanwords.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import percentiles
from vigil.persons import cross_script, names
from vigil.persons.index import NameIndex
from vigil.persons.models import ScreenQuery
from vigil.persons.screening import query_forms, rank

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
COUNTRIES = Path("countrynames-opensanctions") / "data.yaml"
_KANA = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb]+$")
_HANGUL = re.compile(r"^[\uac00-\ud7a3 ]+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'-]+$")

Labelled = tuple[dict[str, str], list[tuple[str, str, str]]]  # gallery name -> label; queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    args = parser.parse_args()
    if not (args.data / COUNTRIES).exists():
        emit({"skipped": f"the shared data set is absent: {args.data / COUNTRIES}"})
        return
    emit(machine())
    sets = {"countrynames": _countries(args.data / COUNTRIES)}
    aliases = _aliases(args.data)
    if aliases is not None:
        sets["opensanctions_aliases"] = aliases
    for label, (gallery, queries) in sets.items():
        index = NameIndex()
        for name in sorted(gallery):
            index.put(cross_script.gallery_entry(name))
        runs = _run(index, gallery, queries)
        for script in sorted({s for _, _, s in queries}):
            emit({
                "set": label, "script": script, "gallery": len(gallery),
                "queries": sum(s == script for _, _, s in queries),
                **{f"first_{side}": run["first"][script] for side, run in runs.items()},
                **{f"top10_{side}": run["top10"][script] for side, run in runs.items()},
            })  # fmt: skip
        ratio = statistics.median(runs["with"]["spent"]) / statistics.median(
            runs["without"]["spent"]
        )
        for side, run in runs.items():
            emit({"set": label, "side": side, **percentiles(run["spent"])})
        emit({"set": label, "median_ratio_with_over_without": round(ratio, 3)})


def _countries(path: Path) -> Labelled:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    gallery: dict[str, str] = {}
    queries: list[tuple[str, str, str]] = []
    for code, variants in data.items():
        if code == "FAIL" or not isinstance(variants, list):
            continue
        for variant in map(str, variants):
            if variant.isascii() and _LATIN.match(variant):
                gallery[variant] = code
            elif _KANA.match(variant):
                queries.append((variant, code, "Jpan"))
            elif _HANGUL.match(variant):
                queries.append((variant, code, "Hang"))
    return gallery, queries


def _aliases(data: Path) -> Labelled | None:
    found = cross_script.read(data).get("opensanctions_aliases")
    if found is None:
        return None
    gallery = {name: name for name in found.gallery}
    queries = [
        (name, next(iter(right)), script)
        for script in ("Jpan", "Hang")
        for name, right in found.queries.get(script, [])
    ]
    return gallery, queries


@contextmanager
def _reading_back(back: bool) -> Iterator[None]:
    """Readings with the foreign reading of katakana and hangul, or without (the baseline);
    read afresh each time, so that neither side finds the other's readings cached."""
    names.readings.cache_clear()
    if back:
        yield
    else:
        with mock.patch.object(names, "_foreign_forms", lambda text, script: []):
            yield


def _run(
    index: NameIndex, gallery: dict[str, str], queries: list[tuple[str, str, str]]
) -> dict[str, dict[str, Any]]:
    """Each query ranked without the reading back and with it, one after the other."""
    runs: dict[str, dict[str, Any]] = {
        side: {"first": {}, "top10": {}, "spent": []} for side in ("without", "with")
    }
    counts: dict[str, int] = {}
    for name, label, script in queries:
        counts[script] = counts.get(script, 0) + 1
        for side, run in runs.items():
            with _reading_back(side == "with"):
                begun = time.perf_counter()
                forms = query_forms(index, name)
                shortlist = index.shortlist(forms, lambda _: True)
                ranked = rank(shortlist, ScreenQuery(name=name, limit=10), forms=forms)
                run["spent"].append(time.perf_counter() - begun)
            labels = [gallery[r.entry.id] for r in ranked]
            run["first"][script] = run["first"].get(script, 0) + (labels[:1] == [label])
            run["top10"][script] = run["top10"].get(script, 0) + (label in labels)
    for run in runs.values():
        for measure in ("first", "top10"):
            run[measure] = {s: round(run[measure][s] / counts[s], 3) for s in counts}
    return runs


if __name__ == "__main__":
    main()
