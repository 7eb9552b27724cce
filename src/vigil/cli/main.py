"""The ``vigil`` command."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from vigil import settings
from vigil.cli import (
    alerts,
    analysis,
    audit,
    biometrics,
    documents,
    hits,
    messaging,
    mrz,
    notices,
    offline,
    persons,
    records,
    screening,
    users,
    world,
)
from vigil.cli import eval as evaluate
from vigil.cli.common import JsonOpt, console, database, emit_json

app = typer.Typer(
    help="Vigil: police information sharing against trafficking and smuggling.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo accounts and world.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
app.add_typer(records.app, name="records")
app.add_typer(alerts.app, name="alerts")
app.add_typer(demo_app, name="demo")
app.add_typer(world.app, name="world")
app.add_typer(mrz.app, name="mrz")
app.add_typer(documents.app, name="documents")
app.add_typer(persons.app, name="persons")
app.add_typer(notices.app, name="notices")
app.add_typer(biometrics.app, name="biometrics")
app.command("screen")(screening.screen)
app.add_typer(hits.app, name="hits")
app.add_typer(offline.app, name="offline")
app.add_typer(messaging.networks_app, name="networks")
app.add_typer(messaging.messages_app, name="messages")
app.add_typer(messaging.intel_app, name="intel")
app.add_typer(analysis.ads_app, name="ads")
app.add_typer(analysis.transfers_app, name="transfers")
app.add_typer(evaluate.app, name="eval")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations and refresh the member list."""
    from vigil.storage.migrate import upgrade

    with database() as db:
        upgrade(db)
    console.print(f"Database is up to date ({_safe_url(settings.DATABASE_URL)}).")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Server processes (one per core for throughput).")
    ] = 1,
) -> None:
    """Serve the API and the web workspace."""
    from vigil.api.server import serve as run

    # Each worker process builds its own app (database, group writer, dispatcher); they share
    # the store, whose locks keep the audit chain and the outbox right across processes.
    run(host, port, workers)


@demo_app.command("load")
def demo_load(as_json: JsonOpt = False) -> None:
    """Create the demo accounts (once) and print a login for each role."""
    from vigil.demo.accounts import ensure_demo_accounts

    with database() as db:
        logins = ensure_demo_accounts(db, settings.DATA_DIR / "demo-logins.json")
    if as_json:
        emit_json(
            [
                {
                    "login": x.login,
                    "password": x.password,
                    "member": x.member,
                    "role": x.role,
                    "token": x.token,
                }
                for x in logins
            ]
        )
        return
    table = Table(
        "role", "member", "login", "password", title="Demo logins (http://127.0.0.1:8000)"
    )
    for x in logins:
        table.add_row(x.role, x.member, x.login, x.password)
    console.print(table)


def _safe_url(url: str) -> str:
    # Never print a database password.
    from sqlalchemy.engine.url import make_url

    return make_url(url).render_as_string(hide_password=True)
