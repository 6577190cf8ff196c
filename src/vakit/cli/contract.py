"""``vakit contract`` — add, list, show, edit, end, rm."""

from __future__ import annotations

import typer

from vakit.cli.common import MAX_ID, console, context
from vakit.cli.helptext import CLIENT, JSON, examples
from vakit.cli.render import contract_json, emit_json
from vakit.cli.render_terms import contract_detail_json, contract_lines, contract_summary, taxes_text
from vakit.core.errors import InvalidValue
from vakit.core.models import Contract
from vakit.core.money import parse_decimal
from vakit.core.no_show import describe_no_show, parse_no_show
from vakit.core.rounding import parse_rounding
from vakit.core.terms_text import rate_text
from vakit.core.validate import parse_hours, parse_tax
from vakit.services import contracts
from vakit.services.client_lookup import get_client
from vakit.services.context import Context
from vakit.services.contract_terms import ContractTerms, today_in
from vakit.store.config_file import resolve

app = typer.Typer(no_args_is_help=True)

_HELP = {
    "kind": "hourly, retainer, daily (a day rate) or fixed (a fee, in instalments).",
    "tax_inclusive": "Prices include the taxes (the invoice shows the tax they contain); default: taxes on top.",
    "rate": "Hourly rate in the contract's currency, e.g. 25.00 (hourly).",
    "fee": "Fee in the contract's currency, e.g. 800.00: monthly (retainer), or the whole fee (fixed).",
    "included_hours": "Hours the monthly fee covers, decimal, e.g. 25 or 7.5 (retainer).",
    "overage_rate": "Rate per hour beyond them in the contract's currency, e.g. 24.00 (retainer).",
    "rounding": "DIRECTION:INCREMENT[:SCOPE]: up:6m, nearest:15m, down:1m or none; the scope per-entry (default), "
                "per-day (each date's time rounded once) or per-line (each invoice line's).",
    "detail": "Invoice lines (hourly): summary (one line, default), per-day, per-task (by description) or "
              "per-entry.",
    "billing_tz": "IANA zone of the billing calendar (its months and days), e.g. Asia/Kolkata (default: yours).",
    "terms": "Payment terms in days (0-365).",
    "tax": '"NAME RATE%", e.g. "CGST 9%"; repeatable.',
    "force": "Keep GST taxes that contradict the place of supply (IGST between states and abroad, CGST + SGST "
             "within one state).",
    "legend": "A line printed on invoices; repeatable.",
    "currency": "ISO 4217 code, e.g. USD (default: the client's).",
    "sac": "Services accounting code for the lines (India GST), e.g. 998599.",
    "day_rate": "Rate for a full day in the contract's currency, e.g. 105.00 (daily).",
    "hours_per_day": "Hours in a full day, decimal, e.g. 8 (daily); part days bill pro rata.",
    "description": "What the contract is for, e.g. 'Executive support' (for you; invoices name the client).",
    "instalment": "A date the fixed fee is billed, YYYY-MM-DD or YYYY-MM-DD=AMOUNT; repeatable (fixed). Dates "
                  "without an amount share what the others leave, the remainder on the last.",
    "rollover_cap": "Most unused included hours carried to later months, e.g. 10 (retainer).",
    "rollover_months": "Months after which carried hours expire (retainer, with --rollover-cap).",
    "no_show": "Bill a no-show: none (default: record only), booked (its booked length) or a fixed length, "
               "e.g. 30m.",
}


def _given(*, kind: str | None = None, rate: str | None = None, fee: str | None = None,
           included_hours: str | None = None, overage_rate: str | None = None, rounding: str | None = None,
           billing_tz: str | None = None, terms: int | None = None, tax: list[str] | None = None,
           legend: list[str] | None = None, currency: str | None = None, description: str | None = None,
           sac: str | None = None, no_show: str | None = None, day_rate: str | None = None,
           hours_per_day: str | None = None, instalment: list[str] | None = None, rollover_cap: str | None = None,
           rollover_months: int | None = None, detail: str | None = None, tax_inclusive: bool | None = None
           ) -> dict[str, object]:
    """The options given on the command line as :class:`~vakit.services.contracts.ContractTerms` fields (an
    option left out is absent). Raises InvalidValue for a value that cannot be read."""
    out: dict[str, object] = {}
    if kind is not None:
        out["kind"] = kind.strip().lower()
    for key, text, what in (("rate", rate, "rate"), ("monthly_fee", fee, "fee"),
                            ("overage_rate", overage_rate, "overage rate"), ("day_rate", day_rate, "day rate")):
        if text is not None:
            out[key] = parse_decimal(text, what)
    for key, text, what in (("included_seconds", included_hours, "included hours"),
                            ("day_seconds", hours_per_day, "hours per day"),
                            ("rollover_cap_seconds", rollover_cap, "rollover cap")):
        if text is not None:
            out[key] = parse_hours(text.strip().removesuffix("h"), what)
    if instalment:
        out["instalments"] = tuple(parse_instalment(x) for x in instalment)
    if rounding is not None:
        out["rounding"] = parse_rounding(rounding)
    if tax:
        out["taxes"] = tuple(parse_tax(t) for t in tax)
    if legend:
        out["legends"] = tuple(legend)
    for key, value in (("billing_tz", billing_tz), ("terms_days", terms), ("currency", currency),
                       ("description", description), ("sac", sac), ("rollover_months", rollover_months),
                       ("line_detail", detail.strip().lower() if detail else None), ("tax_inclusive", tax_inclusive)):
        if value is not None:
            out[key] = value
    if no_show is not None:
        out["no_show"], out["no_show_seconds"] = parse_no_show(no_show)
    return out


def parse_instalment(text: str):
    """``"2025-04-30"`` or ``"2025-04-30=400.00"`` → ``(date, Decimal or None)``. Raises InvalidValue."""
    from datetime import date

    day, _, amount = text.partition("=")
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        raise InvalidValue(f"could not read instalment {text!r}", "YYYY-MM-DD or YYYY-MM-DD=AMOUNT") from None
    return when, parse_decimal(amount, "instalment") if amount.strip() else None


def _print_contract(ctx: Context, k: Contract, heading: str) -> None:
    out = console()
    out.print(heading, markup=False)
    for line in contract_lines(k, get_client(ctx, k.client_id), contracts.billed_on(ctx, k.id), ctx.clock.now_utc()):
        out.print(line, markup=False)


@app.command("add", epilog=examples(
    'vakit contract add --client "Northwind Analytics" --rate 25.00 --rounding up:6m --terms 15 --from 2026-10-01',
    'vakit contract add -c Harbour --kind retainer --fee 800.00 --included-hours 25 --overage-rate 24.00'))
def add(
    client: str = typer.Option(..., "--client", "-c", help=CLIENT),
    kind: str = typer.Option("hourly", "--kind", help=_HELP["kind"]),
    rate: str = typer.Option(None, "--rate", help=_HELP["rate"]),
    fee: str = typer.Option(None, "--fee", help=_HELP["fee"]),
    included_hours: str = typer.Option(None, "--included-hours", help=_HELP["included_hours"]),
    overage_rate: str = typer.Option(None, "--overage-rate", help=_HELP["overage_rate"]),
    rounding: str = typer.Option(None, "--rounding", help=_HELP["rounding"] + " Default: the rounding setting "
                                 "(vakit config), else none."),
    billing_tz: str = typer.Option(None, "--billing-tz", help=_HELP["billing_tz"]),
    terms: int = typer.Option(None, "--terms", min=0, max=365, help=_HELP["terms"] + " Default: the terms setting "
                              "(vakit config), else 14."),
    tax: list[str] = typer.Option(None, "--tax", help=_HELP["tax"]),
    legend: list[str] = typer.Option(None, "--legend", help=_HELP["legend"]),
    currency: str = typer.Option(None, "--currency", help=_HELP["currency"]),
    description: str = typer.Option("", "--description", help=_HELP["description"]),
    sac: str = typer.Option("", "--sac", help=_HELP["sac"]),
    no_show: str = typer.Option(None, "--no-show", help=_HELP["no_show"]),
    day_rate: str = typer.Option(None, "--day-rate", help=_HELP["day_rate"]),
    hours_per_day: str = typer.Option(None, "--hours-per-day", help=_HELP["hours_per_day"]),
    instalment: list[str] = typer.Option(None, "--instalment", help=_HELP["instalment"]),
    rollover_cap: str = typer.Option(None, "--rollover-cap", help=_HELP["rollover_cap"]),
    rollover_months: int = typer.Option(None, "--rollover-months", help=_HELP["rollover_months"]),
    detail: str = typer.Option(None, "--detail", help=_HELP["detail"]),
    tax_inclusive: bool = typer.Option(False, "--tax-inclusive", help=_HELP["tax_inclusive"]),
    from_: str = typer.Option(None, "--from", help="First day in force, YYYY-MM-DD (default: today); the previous "
                                                   "contract ends the day before, or is replaced if it starts "
                                                   "that same day and nothing was billed on it."),
    force: bool = typer.Option(False, "--force", help=_HELP["force"]),
) -> None:
    """Add a contract; from its first day it replaces the client's earlier contract."""
    ctx = context()
    start = None
    if from_:
        from vakit.core.timeparse import parse_date

        start = parse_date(from_, today=today_in(ctx, billing_tz or ctx.profile().home_tz))
    given = _given(kind=kind, rate=rate, fee=fee, included_hours=included_hours, overage_rate=overage_rate,
                   rounding=resolve("rounding", rounding).value, billing_tz=billing_tz,
                   terms=resolve("terms", terms).value, tax=tax, legend=legend, currency=currency,
                   description=description, sac=sac, no_show=no_show, day_rate=day_rate, hours_per_day=hours_per_day,
                   instalment=instalment, rollover_cap=rollover_cap, rollover_months=rollover_months,
                   detail=detail, tax_inclusive=tax_inclusive or None)
    placed = contracts.add_contract(ctx, client, ContractTerms(**given, start_date=start),  # type: ignore[arg-type]
                                    force=force)
    k = placed.contract
    out = console()
    if placed.replaced is not None:
        out.print(f"Replaced contract #{placed.replaced.id} (nothing was billed on it)", markup=False)
    if placed.ended is not None:
        out.print(f"Contract #{placed.ended.id} now ends {placed.ended.end_date}", markup=False)
    name = get_client(ctx, k.client_id).name
    out.print(f"Added contract #{k.id} for {name} from {k.start_date}: {k.kind}, {rate_text(k)}, rounding "
              f"{k.rounding.describe()}, net {k.terms_days}, taxes {taxes_text(k)}, "
              f"billed in {k.billing_tz}" + (f", no-shows {describe_no_show(k.no_show, k.no_show_seconds)}"
                                             if k.no_show != "none" else ""), markup=False)
    client_tz = get_client(ctx, k.client_id).tz
    if billing_tz is None and client_tz != k.billing_tz:  # the default chosen: say so, and the other choice
        out.print(f"billing calendar: {k.billing_tz}, your zone (days and months of its invoices and timesheets); "
                  f"--billing-tz {client_tz} to bill in the client's calendar", markup=False)


@app.command("edit", epilog=examples("vakit contract edit 1 --rate 27.50 --rounding nearest:15m",
                                     'vakit contract edit 1 --tax "CGST 9%" --tax "SGST 9%"'))
def edit(
    contract_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The contract's number (see contract list)."),
    kind: str = typer.Option(None, "--kind", help=_HELP["kind"]),
    rate: str = typer.Option(None, "--rate", help=_HELP["rate"]),
    fee: str = typer.Option(None, "--fee", help=_HELP["fee"]),
    included_hours: str = typer.Option(None, "--included-hours", help=_HELP["included_hours"]),
    overage_rate: str = typer.Option(None, "--overage-rate", help=_HELP["overage_rate"]),
    rounding: str = typer.Option(None, "--rounding", help=_HELP["rounding"]),
    billing_tz: str = typer.Option(None, "--billing-tz", help=_HELP["billing_tz"]),
    terms: int = typer.Option(None, "--terms", min=0, max=365, help=_HELP["terms"]),
    tax: list[str] = typer.Option(None, "--tax", help=_HELP["tax"] + " Replaces the contract's taxes."),
    no_taxes: bool = typer.Option(False, "--no-taxes", help="Remove every tax."),
    legend: list[str] = typer.Option(None, "--legend", help=_HELP["legend"] + " Replaces the contract's legends."),
    no_legends: bool = typer.Option(False, "--no-legends", help="Remove every legend."),
    currency: str = typer.Option(None, "--currency", help=_HELP["currency"]),
    description: str = typer.Option(None, "--description", help=_HELP["description"]),
    sac: str = typer.Option(None, "--sac", help=_HELP["sac"]),
    no_show: str = typer.Option(None, "--no-show", help=_HELP["no_show"]),
    day_rate: str = typer.Option(None, "--day-rate", help=_HELP["day_rate"]),
    hours_per_day: str = typer.Option(None, "--hours-per-day", help=_HELP["hours_per_day"]),
    instalment: list[str] = typer.Option(None, "--instalment", help=_HELP["instalment"]),
    rollover_cap: str = typer.Option(None, "--rollover-cap", help=_HELP["rollover_cap"]),
    rollover_months: int = typer.Option(None, "--rollover-months", help=_HELP["rollover_months"]),
    detail: str = typer.Option(None, "--detail", help=_HELP["detail"]),
    tax_inclusive: bool = typer.Option(None, "--tax-inclusive/--tax-exclusive", help=_HELP["tax_inclusive"]),
    from_: str = typer.Option(None, "--from", help="First day in force, YYYY-MM-DD."),
    to: str = typer.Option(None, "--to", help="Last day in force, YYYY-MM-DD, or 'open' for no end."),
    force: bool = typer.Option(False, "--force", help=_HELP["force"]),
) -> None:
    """Correct a contract's terms while no invoice bills it (once one does: contract add --from DATE)."""
    ctx = context()
    changes = _given(kind=kind, rate=rate, fee=fee, included_hours=included_hours, overage_rate=overage_rate,
                     rounding=rounding, billing_tz=billing_tz, terms=terms, tax=tax, legend=legend, currency=currency,
                     description=description, sac=sac, no_show=no_show, day_rate=day_rate,
                     hours_per_day=hours_per_day, instalment=instalment, rollover_cap=rollover_cap,
                     rollover_months=rollover_months, detail=detail, tax_inclusive=tax_inclusive)
    if no_taxes and tax:
        raise InvalidValue("give --tax or --no-taxes, not both")
    if no_legends and legend:
        raise InvalidValue("give --legend or --no-legends, not both")
    if no_taxes:
        changes["taxes"] = ()
    if no_legends:
        changes["legends"] = ()
    if from_ is not None:
        changes["start_date"] = from_
    if to is not None:
        changes["end_date"] = to
    k = contracts.edit_contract(ctx, contract_id, changes, force=force)
    _print_contract(ctx, k, f"Updated contract #{k.id}")


@app.command("end", epilog=examples("vakit contract end 2 --on 2026-12-31"))
def end(contract_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The contract's number (see contract list)."),
        on: str = typer.Option(..., "--on", help="Last day in force, YYYY-MM-DD (a date in the contract's billing "
                               "zone).")) -> None:
    """End a contract on a date (not before the last day an invoice of it bills)."""
    ctx = context()
    k = contracts.end_contract(ctx, contract_id, on)
    console().print(f"Contract #{k.id} for {get_client(ctx, k.client_id).name} is in force {k.start_date} – "
                    f"{k.end_date}", markup=False)


@app.command("rm", epilog=examples("vakit contract rm 5"))
def rm(contract_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The contract's number (see contract list).")) \
        -> None:
    """Delete a contract nothing was billed on (a contract it had ended stays ended)."""
    ctx = context()
    k = contracts.remove_contract(ctx, contract_id)
    console().print(f"Removed contract #{k.id} for {get_client(ctx, k.client_id).name}", markup=False)


@app.command("list", epilog=examples("vakit contract list", "vakit contract list --client Northwind --json"))
def list_(client: str = typer.Option(None, "--client", "-c", help="One client's contracts (name, unique prefix or "
                                     "#ID)."),
          all_: bool = typer.Option(False, "--all", help="Include archived clients' contracts."),
          as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """List contracts."""
    rows = contracts.list_contracts(context(), client, include_archived=all_)
    if as_json:
        emit_json("contracts", [contract_json(k, c) for c, k in rows])
        return
    from rich.table import Table

    t = Table(title="Contracts")
    for col in ("#", "client", "kind", "rate or fee", "rounding", "billing zone", "payment", "taxes", "in force"):
        t.add_column(col)
    for c, k in rows:
        t.add_row(str(k.id), c.name + (" (archived)" if c.archived else ""), k.kind, rate_text(k),
                  k.rounding.describe(), k.billing_tz, f"net {k.terms_days}", ", ".join(t_.label() for t_ in k.taxes)
                  or "—", f"{k.start_date} – {k.end_date or 'open'}")
    console().print(t)


@app.command("show", epilog=examples("vakit contract show '#3'", 'vakit contract show "Northwind Analytics" --json'))
def show(contract: str = typer.Argument(..., help="A contract id (3 or #3), or a client: its contract in force "
                                                  "today, else its latest."),
         as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Show one contract: its terms, when it is in force and the invoices that bill it.

    Given a client, its contract in force today, then its other contracts, one line each."""
    ctx = context()
    k, *others = contracts.find_contracts(ctx, contract)
    client = get_client(ctx, k.client_id)
    billed = contracts.billed_on(ctx, k.id)
    if as_json:
        emit_json("contract", contract_detail_json(k, client, billed))
        return
    out = console()
    for line in contract_lines(k, client, billed, ctx.clock.now_utc()):
        out.print(line, markup=False)
    if others:
        out.print(f"\nOther contracts of {client.name} (vakit contract show ID):", markup=False)
        for x in others:
            out.print(f"  {contract_summary(x, client)}", markup=False)
