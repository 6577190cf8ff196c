"""``vakit profile`` — the VA's business profile as stored (``vakit init`` changes it)."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context, ledger_path

app = typer.Typer(no_args_is_help=True)


def _rows(p, now: int) -> list[tuple[str, str]]:
    from vakit.core.clock import fmt_offset
    from vakit.core.validate import country_name
    from vakit.services.onboarding import shown

    return [
        ("business name", p.business_name),
        ("country", f"{p.country} ({country_name(p.country)})" if p.country else ""),
        ("home zone", f"{p.home_tz} ({fmt_offset(now, p.home_tz)} now)"),
        ("currency", p.currency),
        ("locale", p.locale),
        ("email", p.email),
        ("address", shown("address", p.address)),
        ("tax ids", shown("tax_ids", p.tax_ids)),
        ("payment details", shown("payment_details", p.payment_details)),
        ("invoice numbers", p.number_pattern),
        ("PDF font", p.pdf_font),
        ("ledger", str(ledger_path())),
    ]


@app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="Print it as JSON (the fields as stored).")) -> None:
    """Show your business profile: name, country, home zone, currency, locale, tax ids, invoice numbers.

    Change any of it with vakit init and the option (or vakit init alone on a terminal, step by step).

    Examples:

    \b
      vakit profile show
      vakit profile show --json
    """
    ctx = context()
    p = ctx.profile()
    if as_json:
        from vakit.cli.render import emit_json

        emit_json("profile", {"business_name": p.business_name, "country": p.country, "home_tz": p.home_tz,
                              "currency": p.currency, "locale": p.locale, "email": p.email, "address": p.address,
                              "tax_ids": [{"label": t.label, "value": t.value} for t in p.tax_ids],
                              "payment_details": p.payment_details, "number_pattern": p.number_pattern,
                              "pdf_font": p.pdf_font, "ledger": str(ledger_path())})
        return
    out = console()
    rows = _rows(p, ctx.clock.now_utc())
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        out.print(f"{label.ljust(width)}  {value or 'none'}", soft_wrap=True)
