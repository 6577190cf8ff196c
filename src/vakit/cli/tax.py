"""``vakit tax`` — tax rates as dated data: add a rate from a date, list them (:mod:`vakit.services.tax_rates`)."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context
from vakit.cli.helptext import JSON, examples
from vakit.cli.render import emit_json
from vakit.core.errors import InvalidValue

app = typer.Typer(no_args_is_help=True)


@app.command("add", epilog=examples('vakit tax add "VAT 19%" --from 2026-01-01',
                                    'vakit tax add "VAT 0%" --from 2026-01-01 --zero-rated "Export of services"'))
def add(
    rate: str = typer.Argument(..., help='"NAME RATE%", e.g. "VAT 19%" or "GST 18%".'),
    from_: str = typer.Option(..., "--from", help="First day in force (YYYY-MM-DD)."),
    to: str = typer.Option(None, "--to", help="Last day in force, YYYY-MM-DD (default: until a later rate of the "
                           "name)."),
    zero_rated: str = typer.Option(None, "--zero-rated", help="A 0% rate, with the reason printed on invoices."),
    exempt: str = typer.Option(None, "--exempt", help="An exempt 0% rate, with the reason printed on invoices."),
) -> None:
    """Add a tax rate in force from a date; contracts name it with --tax NAME (no percentage).

    Each invoice takes the rate in force on the last day it bills. An open rate of the same name ends the day
    before."""
    from datetime import date

    from vakit.services import tax_rates

    if zero_rated is not None and exempt is not None:
        raise InvalidValue("give --zero-rated or --exempt, not both")

    def day(text: str, what: str) -> date:
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise InvalidValue(f"could not read the {what} date {text!r}", "YYYY-MM-DD") from None

    treatment, reason = ("zero", zero_rated) if zero_rated is not None else \
        ("exempt", exempt) if exempt is not None else ("standard", "")
    added = tax_rates.add_rate(context(), rate, day(from_, "first"), day(to, "last") if to else None,
                               treatment=treatment, reason=reason)
    out = console()
    if added.ended is not None:
        out.print(f"{added.ended.label()} now ends {added.ended.valid_to}", markup=False)
    r = added.rate
    out.print(f"Added {r.label()} in force {r.valid_from} – {r.valid_to or 'open'}", markup=False)


@app.command("list", epilog=examples("vakit tax list", "vakit tax list --json"))
def list_(as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """List the tax rates and the dates they are in force."""
    from vakit.services import tax_rates

    rates = tax_rates.list_rates(context())
    if as_json:
        emit_json("tax_rates", [{"id": r.id, "name": r.name, "percent": str(r.percent),
                                 "from": r.valid_from.isoformat(),
                                 "to": r.valid_to.isoformat() if r.valid_to else None,
                                 "treatment": r.treatment, "reason": r.reason} for r in rates])
        return
    if not rates:
        console().print("No tax rates yet: vakit tax add \"VAT 19%\" --from 2021-01-01")
        return
    from rich.table import Table
    from rich.text import Text

    t = Table(title="Tax rates")
    for col in ("#", "name", "rate", "from", "to", "treatment"):
        t.add_column(col, justify="right" if col in ("#", "rate") else "left")
    for r in rates:
        how = "standard" if r.treatment == "standard" else f"{tax_rates.TREATMENT_WORDS[r.treatment]}: {r.reason}"
        t.add_row(str(r.id), Text(r.name), f"{r.percent.normalize():f}%", str(r.valid_from),
                  str(r.valid_to or "open"), Text(how))
    console().print(t)
