"""``vakit contract`` — add, list, show."""

from __future__ import annotations

import typer

from vakit.cli.common import MAX_ID, console, context
from vakit.cli.render import contract_json, contract_terms_text, emit_json
from vakit.core.money import parse_decimal
from vakit.core.rounding import parse_rounding
from vakit.core.validate import parse_hours, parse_tax
from vakit.services import ledger

app = typer.Typer(no_args_is_help=True)


@app.command("add")
def add(
    client: str = typer.Option(..., "--client", "-c"),
    kind: str = typer.Option("hourly", "--kind", help="hourly or retainer."),
    rate: str = typer.Option(None, "--rate", help="Hourly rate, e.g. 25.00 (hourly)."),
    fee: str = typer.Option(None, "--fee", help="Monthly fee, e.g. 800.00 (retainer)."),
    included_hours: str = typer.Option(None, "--included-hours", help="Hours the fee covers (retainer)."),
    overage_rate: str = typer.Option(None, "--overage-rate", help="Rate per hour beyond them (retainer)."),
    rounding: str = typer.Option(None, "--rounding", help="up:6m, nearest:15m, down:1m or none (per entry)."),
    billing_tz: str = typer.Option(None, "--billing-tz", help="Zone of the billing calendar (default: yours)."),
    terms: int = typer.Option(14, "--terms", min=0, max=365, help="Payment terms in days (0-365)."),
    tax: list[str] = typer.Option(None, "--tax", help='"NAME RATE%", e.g. "CGST 9%"; repeatable.'),
    legend: list[str] = typer.Option(None, "--legend", help="A line printed on invoices; repeatable."),
    currency: str = typer.Option(None, "--currency", help="ISO 4217 (default: the client's)."),
    description: str = typer.Option("", "--description"),
    sac: str = typer.Option("", "--sac", help="Services accounting code for the lines (India GST), e.g. 998599."),
    from_: str = typer.Option(None, "--from", help="First day in force (default: today); the previous "
                                                   "contract ends the day before."),
) -> None:
    """Add a contract; from its first day it replaces the client's earlier contract."""
    ctx = context()
    start = None
    if from_:
        from vakit.core.clock import zone
        from vakit.core.timeparse import parse_date

        tz = billing_tz or ctx.profile().home_tz
        start = parse_date(from_, today=ctx.clock.now().astimezone(zone(tz)).date())
    terms_ = ledger.ContractTerms(
        kind=kind.strip().lower(),
        rate=parse_decimal(rate, "rate") if rate is not None else None,
        monthly_fee=parse_decimal(fee, "fee") if fee is not None else None,
        included_seconds=parse_hours(included_hours, "included hours") if included_hours is not None else None,
        overage_rate=parse_decimal(overage_rate, "overage rate") if overage_rate is not None else None,
        rounding=parse_rounding(rounding), billing_tz=billing_tz, terms_days=terms,
        taxes=tuple(parse_tax(t) for t in tax or ()), legends=tuple(legend or ()), currency=currency,
        description=description, start_date=start, sac=sac,
    )
    k = ledger.add_contract(ctx, client, terms_)
    name = ledger.get_client(ctx, k.client_id).name
    console().print(f"Added contract #{k.id} for {name} from {k.start_date}: {k.kind}, {contract_terms_text(k)},"
                    f" rounding "
                    f"{k.rounding.describe()}, net {k.terms_days}, taxes "
                    f"{', '.join(t.label() for t in k.taxes) or 'none'}", markup=False)


@app.command("list")
def list_(client: str = typer.Option(None, "--client", "-c"), as_json: bool = typer.Option(False, "--json")) -> None:
    """List contracts."""
    rows = ledger.list_contracts(context(), client)
    if as_json:
        emit_json("contracts", [contract_json(k, c) for c, k in rows])
        return
    from rich.table import Table

    t = Table(title="Contracts")
    for col in ("#", "client", "kind", "terms", "rounding", "billing zone", "net", "taxes", "in force"):
        t.add_column(col)
    for c, k in rows:
        t.add_row(str(k.id), c.name, k.kind, contract_terms_text(k), k.rounding.describe(), k.billing_tz,
                  str(k.terms_days), ", ".join(t_.label() for t_ in k.taxes) or "—",
                  f"{k.start_date} –" + (f" {k.end_date}" if k.end_date else ""))
    console().print(t)


@app.command("show")
def show(contract_id: int = typer.Argument(..., min=1, max=MAX_ID),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one contract."""
    ctx = context()
    k = ledger.get_contract(ctx, contract_id)
    data = contract_json(k, ledger.get_client(ctx, k.client_id))
    if as_json:
        emit_json("contract", data)
        return
    out = console()
    for key, v in data.items():
        out.print(f"{key:>16}: {v}", markup=False)
