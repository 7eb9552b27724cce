"""``vigil ads`` and ``vigil transfers``: the traces networks leave, recorded, loaded in bulk,
and followed by phone number and by account."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from vigil.access.actors import Actor
from vigil.analysis import ads, bulk, transfers
from vigil.analysis.models import AdIn, Direction, TransferIn
from vigil.cli.common import (
    JsonOpt,
    OptionalToken,
    TokenOpt,
    actor_for,
    console,
    database,
    emit_json,
    json_object,
    load_with_progress,
    loading_actor,
    report_load,
    reported,
    validated,
)
from vigil.core.pagination import Page, page_request
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

ads_app = typer.Typer(help="Online advertisements, found by the phones they give.",
                      no_args_is_help=True)  # fmt: skip
transfers_app = typer.Typer(help="Money transfers, followed from account to account.",
                            no_args_is_help=True)  # fmt: skip

FieldsOpt = Annotated[
    str, typer.Option("--fields", help="The record as JSON (see the API's AdIn / TransferIn).")
]
LimitOpt = Annotated[int, typer.Option("--limit")]
CursorOpt = Annotated[str | None, typer.Option("--cursor")]
OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Owning member (alpha-3).")]
SinceOpt = Annotated[datetime | None, typer.Option("--since", help="From this time (UTC).")]
UntilOpt = Annotated[datetime | None, typer.Option("--until", help="Before this time (UTC).")]
AsOwnersOpt = Annotated[
    bool,
    typer.Option("--as-owners", help="Operator only (no token): load each line for its owner."),
]


@ads_app.command("record")
def record_ad(token: TokenOpt, fields: FieldsOpt, as_json: JsonOpt = False) -> None:
    """File an ad for your member (``--fields`` as JSON: posted_at, site, text, phones...);
    prints its id."""
    with reported():
        ad_in = validated(AdIn, json_object(fields))
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = ads.record(uow, actor=actor, ad_in=ad_in)
    _print_made(made.id, made.envelope.title, as_json)


@ads_app.command("show")
def show_ad(ad_id: str, token: TokenOpt) -> None:
    """One ad, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(ads.get(uow, actor=actor, ad_id=ad_id))


@ads_app.command("search")
def search_ads(
    token: TokenOpt,
    phone: Annotated[str | None, typer.Option("--phone", help="In any written form.")] = None,
    phone_country: Annotated[
        str | None,
        typer.Option("--phone-country", help="Alpha-3 of a phone written in national form."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Alpha-3 of where the ad is placed.")
    ] = None,
    site: Annotated[str | None, typer.Option("--site")] = None,
    owner: OwnerOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 50,
    cursor: CursorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ads you may see, newest recorded first: every ad giving a phone, placed in a country,
    of a site, an owner, or posted in [since, until)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = ads.search(uow, actor=actor, page=page_request(cursor, limit), phone=phone,
                              phone_country=phone_country, country=country, site=site,
                              owner=owner, since=since, until=until)  # fmt: skip
    if as_json:
        _emit_page(page)
        return
    table = Table(Column("id", no_wrap=True), "owner", "posted", "site", "place", "phones",
                  "text")  # fmt: skip
    for ad in page.items:
        table.add_row(
            ad.id, ad.envelope.owner, f"{ad.posted_at:%Y-%m-%d}", escape(ad.site),
            escape(", ".join(p for p in (ad.city, ad.country) if p)), " ".join(ad.phones),
            escape(ad.text[:60]),
        )  # fmt: skip
    _print_table(table, page)


@ads_app.command("import")
def import_ads(
    source: Annotated[Path, typer.Argument(help="JSON Lines of ads, each with its ref.")],
    token: OptionalToken = None,
    as_owners: AsOwnersOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Load ads in bulk: lines already stored (same owner and ref) are skipped, so a killed
    load can rerun."""
    with reported(), database() as db:
        actor = loading_actor(db, token, as_owners, "ads-import")
        summary = load_file(db, actor, bulk.Kind.ADS, source, as_owners)
    report_load(summary, as_json)


@transfers_app.command("record")
def record_transfer(token: TokenOpt, fields: FieldsOpt, as_json: JsonOpt = False) -> None:
    """File a transfer for your member (``--fields`` as JSON: at, from_account, to_account,
    amount, currency, channel); prints its id."""
    with reported():
        transfer_in = validated(TransferIn, json_object(fields))
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = transfers.record(uow, actor=actor, transfer_in=transfer_in)
    _print_made(made.id, made.envelope.title, as_json)


@transfers_app.command("show")
def show_transfer(transfer_id: str, token: TokenOpt) -> None:
    """One transfer, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(transfers.get(uow, actor=actor, transfer_id=transfer_id))


@transfers_app.command("search")
def search_transfers(
    token: TokenOpt,
    account: Annotated[str | None, typer.Option("--account", help="IBAN or other.")] = None,
    direction: Annotated[Direction, typer.Option("--direction")] = Direction.BOTH,
    owner: OwnerOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 50,
    cursor: CursorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Transfers you may see, newest recorded first: into, out of or either side of an
    account, of an owner, or made in [since, until)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = transfers.search(uow, actor=actor, page=page_request(cursor, limit),
                                    account=account, direction=direction, owner=owner,
                                    since=since, until=until)  # fmt: skip
    if as_json:
        _emit_page(page)
        return
    table = Table(Column("id", no_wrap=True), "owner", "at", "from", "to", "amount",
                  "channel")  # fmt: skip
    for t in page.items:
        table.add_row(t.id, t.envelope.owner, f"{t.at:%Y-%m-%d %H:%M}", t.from_account,
                      t.to_account, f"{t.amount} {t.currency}", t.channel.value)  # fmt: skip
    _print_table(table, page)


@transfers_app.command("account")
def account(
    account_id: Annotated[str, typer.Argument(metavar="ACCOUNT", help="IBAN or other.")],
    token: TokenOpt,
    as_json: JsonOpt = False,
) -> None:
    """What you may see of one account's money: transfers in and out, sums, counterparties."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            flows = transfers.flows(uow, actor=actor, account=account_id)
    if as_json:
        emit_json(flows)
        return
    console.print(f"[bold]{flows.account}[/]: {flows.incoming:,} in, {flows.outgoing:,} out")
    if flows.first_at and flows.last_at:
        console.print(f"from {flows.first_at:%Y-%m-%d %H:%M} to {flows.last_at:%Y-%m-%d %H:%M}")
    for total in flows.totals:
        console.print(f"  {total.currency}: {total.incoming} in, {total.outgoing} out")
    table = Table("counterparty", "sent to it", "received from it")
    for c in flows.counterparties:
        table.add_row(c.account, str(c.sent), str(c.received))
    console.print(table)


@transfers_app.command("import")
def import_transfers(
    source: Annotated[Path, typer.Argument(help="JSON Lines of transfers, each with its ref.")],
    token: OptionalToken = None,
    as_owners: AsOwnersOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Load transfers in bulk: lines already stored (same owner and ref) are skipped, so a
    killed load can rerun."""
    with reported(), database() as db:
        actor = loading_actor(db, token, as_owners, "transfers-import")
        summary = load_file(db, actor, bulk.Kind.TRANSFERS, source, as_owners)
    report_load(summary, as_json)


def load_file(
    db: Database, actor: Actor, kind: bulk.Kind, source: Path, as_owners: bool
) -> bulk.LoadSummary:
    """Load one file with a progress bar over its lines (``vigil world load`` uses it too)."""
    return load_with_progress(
        source,
        lambda raw, progress: bulk.load(db, actor=actor, kind=kind, lines=bulk.read_lines(raw),
                                        as_owners=as_owners, progress=progress),
    )  # fmt: skip


def _print_made(record_id: str, title: str, as_json: bool) -> None:
    if as_json:
        emit_json({"id": record_id})
    else:
        console.print(f"recorded: {escape(title)}")
        sys.stdout.write(record_id + "\n")


def _emit_page(page: Page[Any]) -> None:
    emit_json({"items": [i.model_dump(mode="json") for i in page.items],
               "next_cursor": page.next_cursor})  # fmt: skip


def _print_table(table: Table, page: Page[Any]) -> None:
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")
