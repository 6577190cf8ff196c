"""``vakit init`` — create the ledger and the VA's business profile."""

from __future__ import annotations

import sys

import typer

from vakit.cli.common import console, context, ledger_path
from vakit.core.errors import InvalidValue
from vakit.core.models import Profile
from vakit.core.text import one_line
from vakit.core.validate import parse_tax_id
from vakit.services.ledger import check_profile, save_profile

_OPTION = {"Business name": "--name", "Home time zone (IANA, e.g. Asia/Kolkata)": "--tz", "Currency": "--currency"}


def _ask(value: str | None, label: str, default: str | None = None, required: bool = True) -> str:
    if value is not None:
        return value
    if sys.stdin.isatty():
        return typer.prompt(label, default=default or ("" if not required else None), show_default=bool(default))
    if default is not None or not required:
        return default or ""
    option = _OPTION.get(label, f"--{label.lower().replace(' ', '-')}")
    raise InvalidValue(f"missing {option}", "give it as an option (stdin is not a terminal)")


def init(
    name: str = typer.Option(None, "--name", help="Business name printed on invoices."),
    address: str = typer.Option(None, "--address", help="Postal address (use \\n or ';' between lines)."),
    email: str = typer.Option(None, "--email"),
    tax_id: list[str] = typer.Option(None, "--tax-id", help="LABEL=VALUE, e.g. GSTIN=27AAAPA1234A1ZT; repeatable."),
    tz: str = typer.Option(None, "--tz", help="Home time zone (IANA), e.g. Asia/Kolkata."),
    currency: str = typer.Option(None, "--currency", help="Home currency (ISO 4217), e.g. INR."),
    locale: str = typer.Option(None, "--locale", help="Locale for formatting, e.g. en_IN."),
    payment_details: str = typer.Option(None, "--payment-details",
                                        help="How clients pay you, printed on invoices (bank, IBAN, UPI …; "
                                             "';' between lines)."),
    number_pattern: str = typer.Option(None, "--number-pattern",
                                       help="Invoice numbers, e.g. INV/{fy}/{seq:03} or {year}-{seq:04}."),
    pdf_font: str = typer.Option(None, "--pdf-font",
                                 help="A .ttf/.otf font for characters vakit's fonts lack (e.g. a CJK font "
                                      "installed on the system); 'none' removes it."),
) -> None:
    """Create the ledger (if needed) and store the business profile; running it again updates the profile.

    Every answer is checked before the ledger is created, so a failed or interrupted first init leaves
    nothing behind (and never removes a ledger another command has written meanwhile)."""
    from vakit.core.clock import clock_from_env
    from vakit.services.context import Context
    from vakit.store.db import open_ledger

    path = ledger_path()
    old = None
    if path.exists():
        ledger = open_ledger(path, create=False)
        try:
            ctx = Context(ledger, clock_from_env())
            old = ctx.profile() if ctx.has_profile() else None
        finally:
            ledger.close()
    profile = Profile(
        business_name=_ask(name, "Business name", old.business_name if old else None),
        address=_ask(address, "Address", old.address if old else "", required=False).replace(";", "\n")
        .replace("\\n", "\n"),
        email=_ask(email, "Email", old.email if old else "", required=False),
        tax_ids=tuple(parse_tax_id(t) for t in tax_id) if tax_id else (old.tax_ids if old else ()),
        home_tz=_ask(tz, "Home time zone (IANA, e.g. Asia/Kolkata)", old.home_tz if old else None),
        currency=_ask(currency, "Currency", old.currency if old else None),
        locale=_ask(locale, "Locale", old.locale if old else "en_US"),
        number_pattern=_ask(number_pattern, "Number pattern", old.number_pattern if old else "INV-{year}-{seq:04}"),
        payment_details=(_ask(payment_details, "Payment details", old.payment_details if old else "",
                              required=False)).replace(";", "\n").replace("\\n", "\n"),
        pdf_font=(old.pdf_font if old else "") if pdf_font is None else
        ("" if pdf_font.strip().lower() in ("", "none") else pdf_font),
    )
    check_profile(profile, clock_from_env().now().date())  # before anything is created
    ctx = context(create=True)
    saved = save_profile(ctx, profile)
    out = console()
    out.print(one_line(f"{'Updated' if old else 'Created'} the profile of {saved.business_name} in {ledger_path()}"))
    out.print(f"home zone {saved.home_tz}, currency {saved.currency}, locale {saved.locale}, "
              f"invoice numbers {saved.number_pattern}")
    if saved.pdf_font:
        out.print(one_line(f"PDFs also use the font {saved.pdf_font}"))
