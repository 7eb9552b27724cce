"""``vigil world``: the synthetic world for the demo, the tests and the benchmarks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli.common import JsonOpt, console, emit_json, reported
from vigil.errors import InvalidInput
from vigil.world.generate import generate
from vigil.world.scale import parse_scale

SCALE_HELP = "tiny, small, medium, large, or a number of person records."
WORKERS_HELP = "Processes to generate with (default: up to 2)."
app = typer.Typer(help="The synthetic world with its ground truth.", no_args_is_help=True)


@app.command("generate")
def generate_world(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the world into.")],
    scale: Annotated[
        str, typer.Option("--scale", help="tiny, small, medium, large or N persons.")
    ] = "small",
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same world.")] = 7,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes (default: up to 2).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the world as JSON Lines (persons, documents, notices, ads, transactions) and truth/."""
    with reported():
        chosen = parse_scale(scale)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, disable=as_json) as bar:
            persons = bar.add_task("persons", total=chosen.persons)
            documents = bar.add_task("documents", total=chosen.documents)
            tasks = {"persons": persons, "documents": documents}

            def advance(kind: str, count: int) -> None:
                if kind in tasks:
                    bar.advance(tasks[kind], count)

            summary = generate(chosen, seed, out, workers=workers, progress=advance)
    if as_json:
        emit_json(
            {"out": str(summary.out), "seed": seed, "scale": chosen.name, "counts": summary.counts}
        )
        return
    for kind, count in sorted(summary.counts.items()):
        console.print(f"{kind:>15}: {count:,}")


# What `world load` imports, in this order: notices after the persons they point at.
_FILES = ("documents.jsonl", "persons.jsonl", "notices.jsonl", "ads.jsonl", "transactions.jsonl")


@app.command("load")
def load_world(
    world: Annotated[Path, typer.Argument(help="A folder written by `vigil world generate`.")],
    workers: Annotated[int | None, typer.Option("--workers", help=WORKERS_HELP)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a world through the services (access rules and audit apply), as the operator
    acting for each record's owner. Loading again adds nothing; a killed load can rerun."""
    from vigil.access.actors import operator
    from vigil.analysis import bulk
    from vigil.cli import analysis, documents, notices, persons
    from vigil.cli.common import database

    with reported():
        if not (world / "world.json").is_file():
            raise InvalidInput(f"{world} holds no world (no world.json).")
        loaded: dict[str, dict[str, float]] = {}
        with database() as db:
            actor = operator("world-load")
            for name in _FILES:
                source = world / name
                start = time.perf_counter()
                if name == "documents.jsonl":
                    summary = documents.load_file(db, actor, source, True, workers)
                elif name == "persons.jsonl":
                    summary = persons.load_file(db, actor, source, True)
                elif name == "notices.jsonl":
                    summary = notices.load_file(db, actor, source, True)
                elif name == "ads.jsonl":
                    summary = analysis.load_file(db, actor, bulk.Kind.ADS, source, True)
                else:
                    summary = analysis.load_file(db, actor, bulk.Kind.TRANSFERS, source, True)
                loaded[name] = {
                    "read": summary.read,
                    "added": summary.added,
                    "already_present": summary.already_present,
                    "refused": summary.refused,
                    "seconds": round(time.perf_counter() - start, 1),
                }
    if as_json:
        emit_json({"loaded": loaded})
        return
    for name, counts in loaded.items():
        console.print(
            f"{name}: {counts['added']:,} added, {counts['already_present']:,} already present, "
            f"{counts['refused']:,} refused ({counts['seconds']:.1f} s)"
        )
