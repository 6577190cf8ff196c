"""``vakit init`` — create the ledger and the VA's business profile, step by step on a terminal."""

from __future__ import annotations

import sys
from dataclasses import replace

import typer

from vakit.cli.common import console, context, err_console, ledger_path
from vakit.core.errors import InvalidValue
from vakit.core.models import Profile
from vakit.core.text import one_line
from vakit.services.ledger import PROFILE_CHECKS, check_profile, save_profile, update_profile
from vakit.services.onboarding import (
    DEFAULT_PATTERN,
    QUESTIONS,
    Question,
    as_tax_ids,
    changes,
    country_zone_hint,
    default_answer,
    locale_of_country,
    read_answer,
    shown,
)

#: what to type after a first ``vakit init``
NEXT_STEPS = (
    'vakit client add "Northwind Analytics" --tz America/New_York --currency USD --country US',
    'vakit contract add --client "Northwind Analytics" --rate 25.00 --rounding up:6m --terms 15',
    'vakit log start --client "Northwind Analytics" "Inbox triage"',
)


def _old_profile() -> Profile | None:
    """The ledger's profile, or None before the first init (opening nothing that does not exist)."""
    from vakit.core.clock import clock_from_env
    from vakit.services.context import Context
    from vakit.store.db import open_ledger

    if not ledger_path().exists():
        return None
    ledger = open_ledger(ledger_path(), create=False)
    try:
        ctx = Context(ledger, clock_from_env())
        return ctx.profile() if ctx.has_profile() else None
    finally:
        ledger.close()


def _say_refused(exc: InvalidValue, hint: str | None = None) -> None:
    """A refused answer, indented under its question: the reason and how to answer (``hint``, else the error's)."""
    hint = hint or exc.hint
    err_console().print(one_line(f"  {exc.message}" + (f" ({hint})" if hint else "")), soft_wrap=True)


def _ask(q: Question, default: str | None, answers: dict) -> object:
    """Ask one question until its answer passes the field's check; returns the value as stored."""
    while True:
        raw = typer.prompt(q.prompt, default=default if default is not None else (None if q.required else ""),
                           show_default=bool(default))
        try:
            value = PROFILE_CHECKS[q.field](read_answer(q.field, raw))
        except InvalidValue as exc:
            hint = country_zone_hint(answers.get("country", "")) if q.field == "home_tz" else None
            _say_refused(exc, hint)
            continue
        answers[q.field] = raw.strip()
        return value


def _interview(given: dict, old: Profile | None, today) -> Profile:
    """Every question whose option was not given, asked in turn, each answer checked as it is given; the
    defaults are the current profile's values, else what the machine suggests."""
    values: dict = {}
    answers: dict = {}
    for q in QUESTIONS:
        if given.get(q.field) is not None:
            values[q.field] = given[q.field]
            answers[q.field] = shown(q.field, given[q.field])
            continue
        current = shown(q.field, getattr(old, q.field)) if old else None
        values[q.field] = _ask(q, current if old else default_answer(q.field, answers), answers)
    values["pdf_font"] = given["pdf_font"] if given.get("pdf_font") is not None else (old.pdf_font if old else "")
    profile = Profile(**values)
    while True:  # the one check across answers: a GSTIN caps invoice numbers at 16 characters
        try:
            return check_profile(profile, today)
        except InvalidValue as exc:
            _say_refused(exc)
            q = next(q for q in QUESTIONS if q.field == "number_pattern")
            profile = replace(profile, number_pattern=_ask(q, DEFAULT_PATTERN, answers))


def _from_options(given: dict) -> Profile:
    """The profile the options make on a first init (no terminal): every required option missing is named in
    one refusal."""
    missing = [q.option for q in QUESTIONS if q.required and given.get(q.field) is None]
    if missing:
        names = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        raise InvalidValue(f"missing {names}", "stdin is not a terminal, so give them as options, e.g. vakit init "
                           "--name 'Asha Deshpande VA' --tz Asia/Kolkata --currency INR")
    country = given.get("country") or ""
    defaults = {"country": "", "email": "", "address": "", "tax_ids": (), "payment_details": "", "pdf_font": "",
                "locale": locale_of_country(country.strip().upper()) or "en_US", "number_pattern": DEFAULT_PATTERN}
    return Profile(**{**defaults, **{k: v for k, v in given.items() if v is not None}})


def _say_changes(out, old: Profile, new: Profile) -> None:
    changed = changes(old, new)
    if not changed:
        out.print(one_line(f"Nothing changed in the profile of {old.business_name}"), soft_wrap=True)
    else:
        out.print(one_line(f"Updated the profile of {new.business_name}: {'; '.join(changed)}"), soft_wrap=True)


def init(
    name: str = typer.Option(None, "--name", metavar="TEXT", help="Business name printed on invoices."),
    country: str = typer.Option(None, "--country", metavar="CODE",
                                help="Your country, ISO 3166 two letters (IN, DE, US), printed in the invoices' "
                                     "From block; '' removes it."),
    tz: str = typer.Option(None, "--tz", metavar="ZONE", help="Home time zone (IANA), e.g. Asia/Kolkata."),
    currency: str = typer.Option(None, "--currency", metavar="CODE", help="Home currency (ISO 4217), e.g. INR."),
    locale: str = typer.Option(None, "--locale", metavar="CODE",
                               help="Locale for dates and amounts, e.g. en_IN (default: from the country)."),
    email: str = typer.Option(None, "--email", metavar="ADDRESS", help="Email printed on invoices."),
    address: str = typer.Option(None, "--address", metavar="TEXT",
                                help="Postal address (use \\n or ';' between lines)."),
    tax_id: list[str] = typer.Option(None, "--tax-id", metavar="LABEL=VALUE",
                                     help="A tax id, e.g. GSTIN=27AAAPA1234A1ZT or VAT=DE123456789; repeatable."),
    payment_details: str = typer.Option(None, "--payment-details", metavar="TEXT",
                                        help="How clients pay you, printed on invoices (bank, IBAN, UPI …; "
                                             "';' between lines)."),
    number_pattern: str = typer.Option(None, "--number-pattern", metavar="PATTERN",
                                       help="Invoice numbers, e.g. INV/{fy}/{seq:03} or {year}-{seq:04} "
                                            f"(default {DEFAULT_PATTERN})."),
    pdf_font: str = typer.Option(None, "--pdf-font", metavar="FILE",
                                 help="A .ttf/.otf font for characters vakit's fonts lack (e.g. a CJK font "
                                      "installed on the system); 'none' removes it."),
) -> None:
    """Set up your business profile (creating the ledger); run again to change it.

    On a terminal, `vakit init` asks for each answer not given as an option, with defaults from your machine
    (time zone, locale, and the country and currency they imply), checks each answer as you give it and asks
    again on a bad one. Without a terminal, every missing option is named in one message. Run again, it
    changes what you give and says what changed. Nothing is created until every answer is good.

    Examples:

    \b
      vakit init
      vakit init --name "Asha Deshpande VA" --country IN --tz Asia/Kolkata --currency INR --locale en_IN
      vakit init --payment-details "IBAN DE89 3704 0044 0532 0130 00"
    """
    from vakit.core.clock import clock_from_env

    given = {"business_name": name, "country": country, "home_tz": tz, "currency": currency, "locale": locale,
             "email": email, "tax_ids": as_tax_ids(tax_id), "number_pattern": number_pattern,
             "address": None if address is None else read_answer("address", address),
             "payment_details": None if payment_details is None else read_answer("payment_details", payment_details),
             "pdf_font": None if pdf_font is None else ("" if pdf_font.strip().lower() in ("", "none") else pdf_font)}
    old = _old_profile()
    today = clock_from_env().now().date()
    out = console()
    if sys.stdin.isatty() and (old is None or all(v is None for v in given.values())):
        profile = _interview(given, old, today)
    elif old is not None:  # options change the stored profile, read and written in one transaction
        before, profile = update_profile(context(), given)
        _say_changes(out, before, profile)
        return
    else:
        profile = check_profile(_from_options(given), today)
    if old is not None and not changes(old, profile):
        _say_changes(out, old, profile)
        return
    ctx = context(create=True)
    saved = save_profile(ctx, profile, expected=old)  # refused if another init changed it meanwhile
    if old is not None:
        _say_changes(out, old, saved)
        return
    out.print(one_line(f"Created the profile of {saved.business_name} in {ledger_path()}"), soft_wrap=True)
    out.print(f"home zone {saved.home_tz}, currency {saved.currency}, locale {saved.locale}, "
              f"invoice numbers {saved.number_pattern}", soft_wrap=True)
    if saved.pdf_font:
        out.print(one_line(f"PDFs also use the font {saved.pdf_font}"), soft_wrap=True)
    out.print("Next: add a client, their contract, and start a timer:")
    for step in NEXT_STEPS:
        out.print(f"  {step}", soft_wrap=True)
