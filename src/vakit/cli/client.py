"""``vakit client`` — add, list, show, edit, rm, archive, unarchive."""

from __future__ import annotations

from shlex import quote

import typer

from vakit.cli.common import console, context, err_console
from vakit.cli.helptext import CLIENT, JSON, examples
from vakit.cli.render import client_json, emit_json
from vakit.core.clock import fmt_hm
from vakit.core.models import Client
from vakit.core.text import typed_lines
from vakit.services import client_lookup, ledger

app = typer.Typer(no_args_is_help=True)


EINVOICE_HELP = ("Their invoices are PDF/A-3 with a Factur-X XML (EN 16931) inside; needs the country code and "
                 "pip install 'vakit[einvoice]'. Invoices and credit notes issued from now on carry it.")


def _json(c: Client) -> dict:
    """A client as JSON, with whether it is archived and whether it takes e-invoices."""
    return {**client_json(c), "archived": c.archived, "einvoice": c.einvoice}


def _addr(text: str | None) -> str | None:
    return None if text is None else typed_lines(text)


@app.command("add", epilog=examples(
    'vakit client add "Northwind Analytics" --tz America/New_York --currency USD --locale en_US --country US',
    'vakit client add "Müller & Söhne GmbH" --tz Europe/Berlin --currency EUR --tax-id DE811907980'))
def add(
    name: str = typer.Argument(..., help="Client name, in any script."),
    email: str = typer.Option("", "--email", help="Where their invoices and reminders go, e.g. ap@example.com."),
    address: str = typer.Option("", "--address", help="Postal address (';' or \\n between lines)."),
    country: str = typer.Option("", "--country", help="Country code or name, e.g. US, IN."),
    tz: str = typer.Option(None, "--tz", help="The client's IANA zone (default: yours)."),
    currency: str = typer.Option(None, "--currency", help="ISO 4217 (default: yours)."),
    locale: str = typer.Option(None, "--locale", help="Locale for their invoices, e.g. en_GB."),
    tax_id: str = typer.Option("", "--tax-id", help="Their VAT/GST number."),
    notes: str = typer.Option("", "--notes", help="Your own notes about the client (never printed on invoices)."),
    einvoice: bool = typer.Option(False, "--einvoice", help=EINVOICE_HELP),
) -> None:
    """Add a client."""
    c = ledger.add_client(context(), name, email=email, address=_addr(address), country=country, tz=tz,
                          currency=currency, locale=locale, tax_id=tax_id, notes=notes, einvoice=einvoice)
    console().print(f"Added client #{c.id} {c.name} ({c.tz}, {c.currency}, {c.locale})", markup=False)


@app.command("list", epilog=examples("vakit client list", "vakit client list --all --json"))
def list_(as_json: bool = typer.Option(False, "--json", help=JSON),
          all_: bool = typer.Option(False, "--all", help="Include archived clients (marked).")) -> None:
    """List clients (archived ones only with --all)."""
    clients = client_lookup.list_clients(context(), include_archived=all_)
    if as_json:
        emit_json("clients", [_json(c) for c in clients])
        return
    from rich.table import Table

    t = Table(title="Clients")
    for col in ("#", "name", "zone", "currency", "locale", "country", "email"):
        t.add_column(col)
    for c in clients:
        t.add_row(str(c.id), c.name + (" (archived)" if c.archived else ""), c.tz, c.currency, c.locale, c.country,
                  c.email)
    console().print(t)


def _show_lines(c: Client, contracts: list, now_utc: int) -> list[str]:
    """``vakit client show``: the client's details as ``label: value`` lines, the zone with its UTC offset at
    ``now_utc`` (epoch seconds), address lines under each other, its current contract in one line."""
    from vakit.cli.render_terms import contract_summary, label_lines, zone_text

    contract = "none (add one: vakit contract add --client " + quote(c.name) + " --rate RATE)"
    if contracts:
        contract = contract_summary(contracts[0], c)
        if len(contracts) > 1:
            n = len(contracts) - 1
            contract += f"; {n} other{'s' if n != 1 else ''}: vakit contract show {quote(c.name)}"
    rows = [("client", f"#{c.id}"), ("name", c.name), ("email", c.email or "none"),
            ("address", c.address or "none"), ("country", c.country or "none"), ("zone", zone_text(c.tz, now_utc)),
            ("currency", c.currency), ("locale", c.locale), ("tax ID", c.tax_id or "none"),
            ("notes", c.notes or "none"), ("contract", contract)]
    if c.archived:
        rows.append(("archived", f"yes (vakit client unarchive {quote(c.name)})"))
    if c.einvoice:
        rows.append(("einvoice", "yes, Factur-X EN 16931 in PDF/A-3"))
    return label_lines(rows, 9)


@app.command("show", epilog=examples('vakit client show "Northwind Analytics"', "vakit client show '#1' --json"))
def show(name: str = typer.Argument(..., help=CLIENT),
         as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Show one client: its details, its zone's UTC offset now and its current contract."""
    ctx = context()
    c = client_lookup.find_client(ctx, name)
    if as_json:
        emit_json("client", _json(c))
        return
    from vakit.services.contracts import client_contracts

    out = console()
    for line in _show_lines(c, client_contracts(ctx, c), ctx.clock.now_utc()):
        out.print(line, markup=False)


@app.command("edit", epilog=examples('vakit client edit Northwind --email ap@northwind.example',
                                     'vakit client edit "Northwind Analytics" --name "Northwind Analytics Inc."'))
def edit(
    name: str = typer.Argument(..., help=CLIENT),
    new_name: str = typer.Option(None, "--name", help="A new name, in any script."),
    email: str = typer.Option(None, "--email", help="Where their invoices and reminders go ('' removes it)."),
    address: str = typer.Option(None, "--address", help="Postal address (';' or \\n between lines)."),
    country: str = typer.Option(None, "--country", help="Country code or name, e.g. US, IN."),
    tz: str = typer.Option(None, "--tz", help="The client's IANA zone, e.g. America/New_York."),
    currency: str = typer.Option(None, "--currency", help="ISO 4217 code, e.g. USD."),
    locale: str = typer.Option(None, "--locale", help="Locale for their invoices, e.g. en_GB."),
    tax_id: str = typer.Option(None, "--tax-id", help="Their VAT/GST number ('' removes it)."),
    notes: str = typer.Option(None, "--notes", help="Your own notes about the client (never printed on invoices)."),
    einvoice: bool = typer.Option(None, "--einvoice/--no-einvoice", help=EINVOICE_HELP),
) -> None:
    """Change a client's details (issued invoices keep the details they were issued with)."""
    c = ledger.edit_client(context(), name, name=new_name, email=email, address=_addr(address), country=country,
                           tz=tz, currency=currency, locale=locale, tax_id=tax_id, notes=notes, einvoice=einvoice)
    console().print(f"Updated client #{c.id} {c.name}", markup=False)


@app.command("rm", epilog=examples('vakit client rm "Test Client"'))
def rm(name: str = typer.Argument(..., help=CLIENT)) -> None:
    """Delete a client that has no time entries, appointments, invoices or payments (and its contracts)."""
    c, n = ledger.remove_client(context(), name)
    gone = f" and its {n} contract{'s' if n != 1 else ''}" if n else ""
    console().print(f"Removed client #{c.id} {c.name}{gone}", markup=False)


@app.command("archive", epilog=examples('vakit client archive "Harbour & Finch Ltd"'))
def archive(name: str = typer.Argument(..., help=CLIENT)) -> None:
    """Hide a client from lists and prefix matching; its whole name still finds it and its history stays."""
    c, history = ledger.set_archived(context(), name, True)
    console().print(f"Archived client #{c.id} {c.name}: hidden from lists and prefix matching, its history kept",
                    markup=False)
    if history.unbilled_entries:
        n = history.unbilled_entries
        err_console().print(f"vakit: note: {c.name} has {fmt_hm(history.unbilled_seconds)} h of unbilled billable "
                            f"time ({n} {'entry' if n == 1 else 'entries'}), which 'invoice create --all' skips "
                            f"while the client is archived; bill it with vakit invoice create --client "
                            f"{quote(c.name)} --month YYYY-MM", soft_wrap=True, markup=False)


@app.command("unarchive", epilog=examples('vakit client unarchive "Harbour & Finch Ltd"'))
def unarchive(name: str = typer.Argument(..., help="A client's whole name (any case) or #ID.")) -> None:
    """Bring an archived client back into lists and prefix matching."""
    c, _ = ledger.set_archived(context(), name, False)
    console().print(f"Unarchived client #{c.id} {c.name}", markup=False)
