"""``vigil eval``: how well Vigil's matchers do on labelled sets, beside their baselines."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import JsonOpt, console, emit_json, reported
from vigil.persons import evaluation
from vigil.persons.equivalents import TableError
from vigil.world.generate import generate
from vigil.world.scale import parse_scale

app = typer.Typer(help="Evaluate the matchers on labelled sets.", no_args_is_help=True)

DEFAULT_DATA = Path("../shared/data")


@app.command("names")
def names(
    world: Annotated[
        Path | None,
        typer.Option("--world", help="A generated world (default: a tiny one, made now)."),
    ] = None,
    data: Annotated[
        Path, typer.Option("--data", help="The shared data folder (skipped when absent).")
    ] = DEFAULT_DATA,
    pg_url: Annotated[
        str | None,
        typer.Option("--pg", help="PostgreSQL for the pg_trgm baseline (postgresql://...)."),
    ] = None,
    queries: Annotated[
        int | None, typer.Option("--queries", help="Screen a sample of this many records.")
    ] = None,
    nomenklatura: Annotated[
        str | None,
        typer.Option(
            "--nomenklatura",
            help="A Python with nomenklatura installed, for the logic-v2 baseline.",
        ),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Vigil's threshold (default: setting).")
    ] = None,
    equivalents: Annotated[
        list[Path] | None,
        typer.Option(
            "--equivalents",
            help="A table of equivalent name parts (repeat): Vigil runs again reading "
            "queries with them, beside the run without.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Precision, recall, F1 and recall@10 on the synthetic world; cross-script ranking on the
    shared sets; the brute-force and pg_trgm baselines in the same run."""
    with reported(), tempfile.TemporaryDirectory() as scratch:
        if world is None:
            world = Path(scratch) / "world"
            console.print("generating a tiny world (seed 7)...")
            generate(parse_scale("tiny"), 7, world, workers=1)
        if not (world / "persons.jsonl").exists():
            raise typer.BadParameter(f"{world} holds no persons.jsonl", param_hint="--world")
        for table in equivalents or []:
            if not table.is_file():
                raise typer.BadParameter(f"no file {table}", param_hint="--equivalents")
        try:
            report = evaluation.run(
                world=world,
                data=data if data.exists() else None,
                pg_url=pg_url,
                max_queries=queries,
                threshold=threshold,
                nomenklatura=nomenklatura,
                equivalent_tables=equivalents or [],
                progress=lambda message: console.print(f"[dim]{message}[/dim]"),
            )
        except TableError as exc:
            raise typer.BadParameter(str(exc), param_hint="--equivalents") from exc
        if as_json:
            emit_json(report)
            return
        for line in evaluation.iter_lines(report):
            console.print(line, highlight=False, markup=False)
        if not data.exists():
            console.print(f"{data} is absent: cross-script sets skipped.")
