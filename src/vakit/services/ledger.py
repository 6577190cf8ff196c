"""The business profile, clients and contracts (use cases over the store)."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from vakit.core.clock import check_zone, zone
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Client, Contract, Profile, Rounding, Tax
from vakit.core.money import check_currency, check_exact, to_minor
from vakit.core.text import clean_text, nonempty
from vakit.core.validate import check_locale, check_tax_ids
from vakit.services.context import Context, writes
from vakit.services.numbering import check_pattern, format_number
from vakit.store.codecs import client_from_row, contract_from_row
from vakit.store.seals import name_key

CLIENT_FIELDS = ("name", "email", "address", "country", "tz", "currency", "locale", "tax_id", "notes")


def save_profile(ctx: Context, profile: Profile) -> Profile:
    """Create or replace the VA's profile after validating it (:func:`check_profile`). Raises InvalidValue."""
    profile = check_profile(profile, ctx.clock.now().date())
    with ctx.ledger.write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO profile (id, business_name, address, email, tax_ids, home_tz, currency, locale,"
            " number_pattern, payment_details) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (profile.business_name, profile.address, profile.email,
             json.dumps([{"label": t.label, "value": t.value} for t in profile.tax_ids], ensure_ascii=False),
             profile.home_tz, profile.currency, profile.locale, profile.number_pattern, profile.payment_details),
        )
    return profile


def check_profile(profile: Profile, today: date) -> Profile:
    """``profile`` with its texts cleaned, after checking zone, currency, locale, tax ids and number pattern
    (with a GSTIN, numbers of at most 16 characters: CGST Rules 2017, rule 46(b)). Touches no ledger, so
    ``vakit init`` can check every answer before it creates anything. Raises InvalidValue."""
    check_tax_ids(profile.tax_ids)
    profile = replace(
        profile,
        business_name=nonempty(profile.business_name, "name", label="business name"),
        address=clean_text(profile.address, "address"),
        email=clean_text(profile.email, "email"),
        payment_details=clean_text(profile.payment_details, "payment details"),
        home_tz=check_zone(profile.home_tz),
        currency=check_currency(profile.currency),
        locale=check_locale(profile.locale),
        number_pattern=check_pattern(clean_text(profile.number_pattern, "invoice number pattern")),
    )
    if any(t.label.upper() == "GSTIN" for t in profile.tax_ids):  # GST caps numbers at 16 characters
        format_number(profile.number_pattern, today, 1, gst=True)
    return profile


def add_client(ctx: Context, name: str, *, email: str = "", address: str = "", country: str = "",
               tz: str | None = None, currency: str | None = None, locale: str | None = None,
               tax_id: str = "", notes: str = "") -> Client:
    """Add a client; zone, currency and locale default to the profile's. Names are unique whatever their
    case (``Dup`` and ``DUP`` are one client). Raises Conflict for a taken name, InvalidValue for a bad
    zone, currency or locale."""
    name = nonempty(name, "name", label="client name")
    with ctx.ledger.write() as conn:  # the name check and the insert in one transaction
        prof = ctx.profile()
        values = dict(
            name=name, email=clean_text(email, "email"), address=clean_text(address, "address"),
            country=clean_text(country, "country"),
            tz=check_zone(tz or prof.home_tz), currency=check_currency(currency or prof.currency),
            locale=check_locale(locale or prof.locale), tax_id=clean_text(tax_id, "tax id"),
            notes=clean_text(notes, "notes"), name_key=name_key(name),
        )
        _refuse_taken(ctx, name)
        cur = conn.execute(
            f"INSERT INTO clients ({', '.join(values)}, created_utc) VALUES ({', '.join('?' * len(values))}, ?)",
            (*values.values(), ctx.clock.now_utc()),
        )
        return get_client(ctx, cur.lastrowid)


def _refuse_taken(ctx: Context, name: str, *, other_than: int | None = None) -> None:
    row = ctx.ledger.conn.execute("SELECT id, name FROM clients WHERE name_key = ? AND id IS NOT ?",
                                  (name_key(name), other_than)).fetchone()
    if row is not None:
        same = "" if row["name"] == name else f" (as {row['name']!r})"
        raise Conflict(f"a client named {name!r} already exists{same}", "client names are unique whatever their case")


def edit_client(ctx: Context, ref: str, **changes: str | None) -> Client:
    """Change some fields of a client (None leaves a field as it is). Raises NotFound, Conflict, InvalidValue."""
    vals = {k: v for k, v in changes.items() if v is not None}
    unknown = set(vals) - set(CLIENT_FIELDS)
    if unknown:
        raise InvalidValue(f"unknown client field {sorted(unknown)[0]!r}")
    if not vals:
        raise InvalidValue("nothing to change", "give at least one option, e.g. --email")
    for k in ("email", "country", "tax_id", "address", "notes"):
        if k in vals:
            vals[k] = clean_text(vals[k], k.replace("_", " "))
    if "name" in vals:
        vals["name"] = nonempty(vals["name"], "name", label="client name")
        vals["name_key"] = name_key(vals["name"])
    if "tz" in vals:
        check_zone(vals["tz"])
    if "currency" in vals:
        vals["currency"] = check_currency(vals["currency"])
    if "locale" in vals:
        vals["locale"] = check_locale(vals["locale"])
    with ctx.ledger.write() as conn:
        client = find_client(ctx, ref)
        if "name" in vals:
            _refuse_taken(ctx, vals["name"], other_than=client.id)
        conn.execute(f"UPDATE clients SET {', '.join(f'{k} = ?' for k in vals)} WHERE id = ?",
                     (*vals.values(), client.id))
        return get_client(ctx, client.id)


def get_client(ctx: Context, client_id: int) -> Client:
    """The client with this id. Raises NotFound."""
    row = ctx.ledger.conn.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise NotFound(f"no client with id {client_id}")
    return client_from_row(row)


def _find_row(ctx: Context, name: str):
    conn = ctx.ledger.conn
    row = conn.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()
    if row is None:
        row = conn.execute("SELECT * FROM clients WHERE name_key = ?", (name_key(name),)).fetchone()
    return row


def find_client_by_name(ctx: Context, name: str) -> Client | None:
    """The client with exactly this name, or this name in another case (``acme`` for ``Acme``); no
    prefixes, no ids. For names read from files, which must never land on another client. None if absent."""
    row = _find_row(ctx, (name or "").strip())
    return None if row is None else client_from_row(row)


def find_client(ctx: Context, ref: str) -> Client:
    """A client by exact name, case-insensitive name, unique name prefix, or ``#id``/numeric id.

    Raises NotFound, naming close matches."""
    ref = (ref or "").strip()
    row = _find_row(ctx, ref)
    if row is None and ref:
        # a unique prefix is enough: "Northwind" for "Northwind Analytics"
        key = name_key(ref)
        rows = ctx.ledger.conn.execute("SELECT * FROM clients WHERE substr(name_key, 1, ?) = ? LIMIT 2",
                                       (len(key), key)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None and re.fullmatch(r"#?[0-9]{1,18}", ref):
        row = ctx.ledger.conn.execute("SELECT * FROM clients WHERE id = ?", (int(ref.lstrip("#")),)).fetchone()
    if row is None:
        names = [r[0] for r in ctx.ledger.conn.execute("SELECT name FROM clients")]
        close = difflib.get_close_matches(ref, names, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else "see 'vakit client list'"
        raise NotFound(f"no client named {ref!r}", hint)
    return client_from_row(row)


def list_clients(ctx: Context, *, include_archived: bool = False) -> list[Client]:
    """All clients by name."""
    sql = "SELECT * FROM clients" + ("" if include_archived else " WHERE archived = 0") + " ORDER BY name"
    return [client_from_row(r) for r in ctx.ledger.conn.execute(sql)]


@dataclass(frozen=True)
class ContractTerms:
    """Terms typed for a new contract, before validation. Money as Decimal major units."""

    kind: str
    rate: Decimal | None = None
    monthly_fee: Decimal | None = None
    included_seconds: int | None = None
    overage_rate: Decimal | None = None
    rounding: Rounding = Rounding()
    billing_tz: str | None = None
    terms_days: int = 14
    taxes: tuple[Tax, ...] = ()
    legends: tuple[str, ...] = ()
    currency: str | None = None
    description: str = ""
    start_date: date | None = None
    sac: str = ""


@writes
def add_contract(ctx: Context, client_ref: str, terms: ContractTerms) -> Contract:
    """Add a contract to a client. Hourly needs ``rate``; retainer needs ``monthly_fee``,
    ``included_seconds`` and ``overage_rate``. Currency defaults to the client's, billing zone
    to the VA's home zone. It is in force from ``start_date`` (default: today in the billing zone);
    the client's current contract ends the day before, so one set of terms applies on any date.
    Raises NotFound, InvalidValue (also for a start on or before the current contract's start)."""
    client = find_client(ctx, client_ref)
    prof = ctx.profile()
    currency = check_currency(terms.currency or client.currency)
    billing_tz = check_zone(terms.billing_tz or prof.home_tz)
    if terms.terms_days < 0 or terms.terms_days > 365:
        raise InvalidValue(f"payment terms of {terms.terms_days} days are out of range (0-365)")
    fee_minor = None
    if terms.kind == "hourly":
        if terms.rate is None:
            raise InvalidValue("an hourly contract needs --rate")
        if terms.monthly_fee is not None or terms.included_seconds is not None or terms.overage_rate is not None:
            raise InvalidValue("--fee, --included-hours and --overage-rate belong to retainer contracts")
    elif terms.kind == "retainer":
        missing = [n for n, v in (("--fee", terms.monthly_fee), ("--included-hours", terms.included_seconds),
                                  ("--overage-rate", terms.overage_rate)) if v is None]
        if missing:
            raise InvalidValue(f"a retainer contract needs {', '.join(missing)}")
        if terms.rate is not None:
            raise InvalidValue("a retainer contract takes --overage-rate, not --rate")
        fee_minor = to_minor(check_exact(terms.monthly_fee, currency, "fee"), currency)
    else:
        raise InvalidValue(f"unknown contract kind {terms.kind!r}", "use hourly or retainer")
    for v, what in ((terms.rate, "rate"), (terms.monthly_fee, "fee"), (terms.overage_rate, "overage rate")):
        if v is not None and v < 0:
            raise InvalidValue(f"{what} must not be negative (got {v})")
    if terms.included_seconds is not None and terms.included_seconds < 0:
        raise InvalidValue("included hours must not be negative")
    for legend in terms.legends:
        clean_text(legend, "legend")
    clean_text(terms.description, "description")
    names = [t.name.lower() for t in terms.taxes]
    if len(set(names)) != len(names):
        raise InvalidValue("each tax may be named once per contract")
    start = terms.start_date or ctx.clock.now().astimezone(zone(billing_tz)).date()
    current = ctx.ledger.conn.execute("SELECT * FROM contracts WHERE client_id = ? AND end_date IS NULL",
                                      (client.id,)).fetchone()
    if current is not None and date.fromisoformat(current["start_date"]) >= start:
        raise InvalidValue(f"{client.name}'s contract #{current['id']} starts {current['start_date']}; "
                           f"a new one must start later", "give --from with a later date")
    billed = ctx.ledger.conn.execute(
        "SELECT id, status, number, period_end FROM invoices WHERE client_id = ? AND period_end >= ?"
        " ORDER BY period_end DESC", (client.id, start.isoformat())).fetchone()
    if billed is not None:
        what = f"invoice {billed['number']}" if billed["status"] == "issued" else f"draft #{billed['id']}"
        after = date.fromisoformat(billed["period_end"]) + timedelta(days=1)
        raise InvalidValue(f"{what} already bills {client.name} up to {billed['period_end']}; "
                           f"a new contract can start on {after} at the earliest",
                           "delete the draft first" if billed["status"] == "draft" else "issued invoices are final")
    with ctx.ledger.write() as conn:
        # one contract is in force per client on any date: the current one ends the day before
        conn.execute("UPDATE contracts SET end_date = ? WHERE client_id = ? AND end_date IS NULL",
                     ((start - timedelta(days=1)).isoformat(), client.id))
        cur = conn.execute(
            "INSERT INTO contracts (client_id, kind, currency, rate, monthly_fee_minor, included_seconds,"
            " overage_rate, rounding_increment, rounding_direction, rounding_scope, billing_tz, terms_days, taxes,"
            " legends, description, sac, start_date, created_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (client.id, terms.kind, currency, None if terms.rate is None else str(terms.rate), fee_minor,
             terms.included_seconds, None if terms.overage_rate is None else str(terms.overage_rate),
             terms.rounding.increment, terms.rounding.direction, terms.rounding.scope, billing_tz, terms.terms_days,
             json.dumps([{"name": t.name, "percent": str(t.percent)} for t in terms.taxes], ensure_ascii=False),
             json.dumps(list(terms.legends), ensure_ascii=False), terms.description,
             clean_text(terms.sac, "SAC code"), start.isoformat(),
             ctx.clock.now_utc()),
        )
    return get_contract(ctx, cur.lastrowid)


def get_contract(ctx: Context, contract_id: int) -> Contract:
    """The contract with this id. Raises NotFound."""
    row = ctx.ledger.conn.execute("SELECT * FROM contracts WHERE id = ?", (contract_id,)).fetchone()
    if row is None:
        raise NotFound(f"no contract with id {contract_id}")
    return contract_from_row(row)


def list_contracts(ctx: Context, client_ref: str | None = None) -> list[tuple[Client, Contract]]:
    """Contracts with their clients, optionally of one client, by client name then id."""
    sql = "SELECT c.* FROM contracts c JOIN clients k ON k.id = c.client_id"
    args: tuple = ()
    if client_ref:
        sql += " WHERE c.client_id = ?"
        args = (find_client(ctx, client_ref).id,)
    sql += " ORDER BY k.name, c.id"
    out = []
    for row in ctx.ledger.conn.execute(sql, args).fetchall():
        contract = contract_from_row(row)
        out.append((get_client(ctx, contract.client_id), contract))
    return out


def contracts_in_force(ctx: Context, client: Client, first: date, last: date) -> list[Contract]:
    """The client's contracts in force on any day of ``first`` … ``last``, oldest first."""
    rows = ctx.ledger.conn.execute(
        "SELECT * FROM contracts WHERE client_id = ? AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)"
        " ORDER BY start_date", (client.id, last.isoformat(), first.isoformat())).fetchall()
    return [contract_from_row(r) for r in rows]
