"""Where name screening goes wrong on a synthetic world: its false positives and misses at the
default threshold, grouped by the evidence that decided them.

Every record is screened against the others as ``vigil eval names`` does (the same queries,
index and ranking). Each weighed pair above the threshold is put in a group by how the birth
dates agree (a full day, a month, a year only, none on one side), how many records bear the
name, and whether the names are spelled the same. The groups with the most false positives
come first, with their precision. Misses are counted by whether the right record was ranked
at all. A sample of the unranked misses is printed with both sides' names.

    .venv/bin/python tools/name_errors.py --world var/world-small

About 3 minutes for the small world on a quick machine; prints plain text.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from vigil import settings
from vigil.persons import equivalents, evaluation
from vigil.persons.matching import Feature

_BEARERS = re.compile(r"(\d+) records bear")


def _group(features: list[Feature]) -> tuple[str, str, str]:
    by_name = {f.feature: f for f in features}
    birth = by_name.get("birth_date")
    dates = "none on one side" if birth is None else birth.verdict or f"weight {birth.weight}"
    name = by_name.get("name")
    said = name.explanation if name is not None else ""
    found = _BEARERS.search(said)
    bearers = int(found.group(1)) if found else 1
    count = "1" if bearers == 1 else "2-4" if bearers < 5 else "5-19" if bearers < 20 else "20+"
    spelling = "same spelling" if "same spelling" in said else "close"
    return dates, count, spelling


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--threshold", type=float, default=settings.SCREEN_THRESHOLD)
    parser.add_argument("--groups", type=int, default=15)
    parser.add_argument("--sample", type=int, default=15)
    parser.add_argument(
        "--equivalents", type=Path, action="append", default=[],
        help="a table of equivalent name parts to read queries with (repeatable)",
    )  # fmt: skip
    args = parser.parse_args()
    world = evaluation.read_world(args.world)
    index = evaluation.world_index(world, equivalents.from_files(args.equivalents))
    asked = dict(world.queries)
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    positives = below = 0
    unranked: list[tuple[str, str]] = []
    for ref, ranked in evaluation.screened(index, world):
        right = world.truth.get(ref, set())
        positives += len(right)
        seen = set()
        for one in ranked:
            seen.add(one.entry.id)
            if one.score < args.threshold:
                below += one.entry.id in right
                continue
            groups[_group(list(one.features))][0 if one.entry.id in right else 1] += 1
        unranked += [(asked[ref].name, missed) for missed in right - seen]
    true_positives = sum(tp for tp, _ in groups.values())
    false_positives = sum(fp for _, fp in groups.values())
    print(f"threshold {args.threshold}: precision "
          f"{true_positives / max(true_positives + false_positives, 1):.4f}, recall "
          f"{true_positives / max(positives, 1):.4f}; {false_positives} false positives, "
          f"{positives - true_positives} misses ({below} ranked below the threshold, "
          f"{len(unranked)} never ranked)")  # fmt: skip
    print("\nbirth dates | bearers of the name | spelling | right | wrong | precision")
    worst = sorted(groups.items(), key=lambda kv: -kv[1][1])[: args.groups]
    for key, (right_ones, wrong) in worst:
        share = right_ones / (right_ones + wrong)
        print(f"{' | '.join(key)} | {right_ones} | {wrong} | {share:.3f}")
    names = {e.id: [n[0] for n in e.names] for e in world.entries}
    print("\nnever ranked (query name -> the right record's names):")
    shown = random.Random(3).sample(unranked, min(args.sample, len(unranked)))
    for asked, missed in shown:
        print(f"{asked!r} -> {names[missed][:3]!r}")
    kinds = Counter(len(names[m]) > 1 for _, m in unranked)
    print(f"\n{kinds[True]} of the unranked records bear more than one name.")


if __name__ == "__main__":
    main()
