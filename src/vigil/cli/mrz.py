"""``vigil mrz``: read and write ICAO Doc 9303 machine readable zones."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from vigil.cli.common import console, emit_json, reported
from vigil.documents.mrz import make_mrz, parse_mrz
from vigil.errors import InvalidInput

app = typer.Typer(help="Machine readable zones of travel documents.", no_args_is_help=True)


@app.command("parse")
def parse(
    lines: Annotated[list[str], typer.Argument(help="The MRZ lines (2 or 3), or - for stdin.")],
    ocr: Annotated[bool, typer.Option("--ocr", help="Correct common OCR confusions.")] = False,
) -> None:
    """Print the MRZ's fields as JSON; exit 1 naming the failing field when it does not hold."""
    text = sys.stdin.read() if lines == ["-"] else "\n".join(lines)
    with reported():
        parsed = parse_mrz(text, ocr_tolerant=ocr)
    emit_json(parsed)
    for error in parsed.errors:
        console.print(
            f"[red]invalid {error.field}[/red] (line {error.line}, position {error.position}): "
            f"{error.message}"
        )
    if not parsed.valid:
        raise typer.Exit(1)


@app.command("make")
def make(
    number: Annotated[str, typer.Option("--number", help="Document number.")],
    state: Annotated[str, typer.Option("--state", help="Issuing state (alpha-3, or D).")],
    surname: Annotated[str, typer.Option("--surname")],
    given: Annotated[str, typer.Option("--given", help="Given names.")],
    birth: Annotated[str, typer.Option("--birth", help="YYYY-MM-DD.")],
    expiry: Annotated[str, typer.Option("--expiry", help="YYYY-MM-DD.")],
    sex: Annotated[str, typer.Option("--sex", help="M, F or X.")] = "X",
    nationality: Annotated[str | None, typer.Option("--nationality")] = None,
    format: Annotated[str, typer.Option("--format", help="TD1, TD2, TD3, MRVA, MRVB.")] = "TD3",
    code: Annotated[str, typer.Option("--code", help="Document code (P, I, V...).")] = "P",
    optional: Annotated[str, typer.Option("--optional", help="Optional data.")] = "",
) -> None:
    """Write an MRZ with every check digit; prints its lines."""
    with reported():
        lines = make_mrz(
            format=format.upper(),
            document_code=code.upper(),
            issuing_state=state.upper(),
            document_number=number.upper(),
            surname=surname,
            given_names=given,
            nationality=(nationality or state).upper(),
            birth_date=_date("--birth", birth),
            sex=sex.upper(),
            expiry_date=_date("--expiry", expiry),
            optional_data=optional,
        )
    print("\n".join(lines))


def _date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option} takes a date as YYYY-MM-DD, not {value!r}.") from None
