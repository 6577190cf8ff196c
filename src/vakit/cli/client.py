"""``vakit client`` — add, list, show, edit."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context
from vakit.cli.render import client_json, emit_json
from vakit.services import ledger

app = typer.Typer(no_args_is_help=True)


def _addr(text: str | None) -> str | None:
    return None if text is None else text.replace("\\n", "\n").replace(";", "\n")


@app.command("add")
def add(
    name: str = typer.Argument(..., help="Client name, in any script."),
    email: str = typer.Option("", "--email"),
    address: str = typer.Option("", "--address", help="Postal address (';' or \\n between lines)."),
    country: str = typer.Option("", "--country", help="Country code or name, e.g. US, IN."),
    tz: str = typer.Option(None, "--tz", help="The client's IANA zone (default: yours)."),
    currency: str = typer.Option(None, "--currency", help="ISO 4217 (default: yours)."),
    locale: str = typer.Option(None, "--locale", help="Locale for their invoices, e.g. en_GB."),
    tax_id: str = typer.Option("", "--tax-id", help="Their VAT/GST number."),
    notes: str = typer.Option("", "--notes"),
) -> None:
    """Add a client."""
    c = ledger.add_client(context(), name, email=email, address=_addr(address), country=country, tz=tz,
                          currency=currency, locale=locale, tax_id=tax_id, notes=notes)
    console().print(f"Added client #{c.id} {c.name} ({c.tz}, {c.currency}, {c.locale})", markup=False)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """List clients."""
    clients = ledger.list_clients(context())
    if as_json:
        emit_json("clients", [client_json(c) for c in clients])
        return
    from rich.table import Table

    t = Table(title="Clients")
    for col in ("#", "name", "zone", "currency", "locale", "country", "email"):
        t.add_column(col)
    for c in clients:
        t.add_row(str(c.id), c.name, c.tz, c.currency, c.locale, c.country, c.email)
    console().print(t)


@app.command("show")
def show(name: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one client."""
    c = ledger.find_client(context(), name)
    if as_json:
        emit_json("client", client_json(c))
        return
    out = console()
    for k, v in client_json(c).items():
        out.print(f"{k:>9}: {v}", markup=False)


@app.command("edit")
def edit(
    name: str = typer.Argument(...),
    new_name: str = typer.Option(None, "--name"),
    email: str = typer.Option(None, "--email"),
    address: str = typer.Option(None, "--address"),
    country: str = typer.Option(None, "--country"),
    tz: str = typer.Option(None, "--tz"),
    currency: str = typer.Option(None, "--currency"),
    locale: str = typer.Option(None, "--locale"),
    tax_id: str = typer.Option(None, "--tax-id"),
    notes: str = typer.Option(None, "--notes"),
) -> None:
    """Change a client's details (issued invoices keep the details they were issued with)."""
    c = ledger.edit_client(context(), name, name=new_name, email=email, address=_addr(address), country=country,
                           tz=tz, currency=currency, locale=locale, tax_id=tax_id, notes=notes)
    console().print(f"Updated client #{c.id} {c.name}", markup=False)
