"""``vigil world``: the synthetic world for the demo, the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli.common import JsonOpt, console, emit_json, reported
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
