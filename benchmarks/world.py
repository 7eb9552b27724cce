"""How fast the synthetic world generates, and whether memory stays flat as it grows.

Each scale runs ``vigil world generate`` in a fresh process (so peak memory is that run's own:
the parent and its worker processes, read from getrusage of the children), writing into a
temporary folder that is removed afterwards. Prints one JSON line per scale: wall time, person
records and document reports per second, the peak resident memory of the largest process, and
the output size. The baseline is the smallest scale: flat memory means the peak does not grow
with the scale.

With ``--load``, each world is then loaded by ``vigil world load`` into a fresh SQLite store
(migrated first), as ``make run`` loads the demo: the load's wall time, its time per file, and
the generation and load together (issue 3 asks ``small`` to do both in under 2 minutes).

Reproduce:

    .venv/bin/python benchmarks/world.py                    # 20000, small, 200000 persons
    .venv/bin/python benchmarks/world.py --scales small --load
    .venv/bin/python benchmarks/world.py --scales medium    # 1M persons, 10M reports (~10 min)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VIGIL = Path(sys.executable).parent / "vigil"


def run(scale: str, seed: int, load: bool) -> dict[str, object]:
    """Generate one world in a child process and measure it (and its load, with ``load``)."""
    out = Path(tempfile.mkdtemp(prefix="vigil-world-"))
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            [
                str(VIGIL),
                "world",
                "generate",
                "--scale",
                scale,
                "--seed",
                str(seed),
                "--out",
                str(out),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        counts = json.loads(result.stdout)["counts"]
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        loaded = _load(out) if load else {}
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "scale": scale,
        "seconds": round(wall, 1),
        "persons": counts.get("persons", 0),
        "documents": counts.get("documents", 0),
        "persons_per_s": round(counts.get("persons", 0) / wall),
        "documents_per_s": round(counts.get("documents", 0) / wall),
        # ru_maxrss of children is the largest single child's peak, in KiB on Linux.
        "peak_rss_mib": round(max(after.ru_maxrss, before.ru_maxrss) / 1024),
        "output_mib": round(size / 2**20),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        **loaded,
        **({"generate_and_load_s": round(wall + float(loaded["load_s"]), 1)} if loaded else {}),
    }


def _load(world: Path) -> dict[str, object]:
    """Load the world into a new SQLite store in ``world`` (removed with it)."""
    env = {**os.environ, "VIGIL_DATABASE_URL": f"sqlite:///{world / 'vigil.db'}",
           "VIGIL_DATA_DIR": str(world / "data")}  # fmt: skip
    subprocess.run([str(VIGIL), "db", "upgrade"], check=True, capture_output=True, env=env)
    start = time.perf_counter()
    result = subprocess.run([str(VIGIL), "world", "load", str(world), "--json"], check=True,
                            capture_output=True, text=True, env=env)  # fmt: skip
    wall = time.perf_counter() - start
    files = json.loads(result.stdout)["loaded"]
    return {
        "load_s": round(wall, 1),
        "load_s_by_file": {name: counts["seconds"] for name, counts in files.items()},
        "loaded": {name: counts["added"] for name, counts in files.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["20000", "small", "200000"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--load", action="store_true", help="Load each world into SQLite too.")
    args = parser.parse_args()
    machine = {
        "cpus": os.cpu_count(),
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
    }
    print(json.dumps({"machine": machine}), flush=True)
    for scale in args.scales:
        print(json.dumps(run(scale, args.seed, args.load)), flush=True)


if __name__ == "__main__":
    main()
