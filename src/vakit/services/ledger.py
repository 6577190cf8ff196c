"""The business profile and clients (use cases over the store); contracts are in :mod:`vakit.services.contracts`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from shlex import quote

from vakit.core.clock import check_zone
from vakit.core.errors import Conflict, InvalidValue
from vakit.core.models import Client, Profile
from vakit.core.money import check_currency
from vakit.core.tax_ids import check_client_tax_id, gstin
from vakit.core.text import clean_text, name_key, nonempty
from vakit.core.validate import check_country, check_locale, check_tax_ids, client_locale
from vakit.services.client_lookup import find_client, get_client
from vakit.services.context import Context, writes
from vakit.services.numbering import check_pattern, format_number

CLIENT_FIELDS = ("name", "email", "address", "country", "tz", "currency", "locale", "tax_id", "notes", "einvoice")


#: ``save_profile(expected=ANY)``: whatever profile is stored may be replaced
ANY = object()


def _stored_profile(ctx: Context) -> Profile | None:
    return ctx.profile() if ctx.has_profile() else None


def update_profile(ctx: Context, changes: dict) -> tuple[Profile, Profile]:
    """Change some fields of the stored profile (``changes``: :class:`Profile` field → value; None keeps it), read,
    checked and written in one write transaction, so two ``vakit init`` at once both land. Returns (before,
    after); nothing is written when they are equal. Raises InvalidValue, VakitError (no profile yet)."""
    with ctx.ledger.write():
        old = ctx.profile()
        new = check_profile(replace(old, **{k: v for k, v in changes.items() if v is not None}),
                            ctx.clock.now().date())
        if new != old:
            _write_profile(ctx.ledger.conn, new)
    return old, new


def save_profile(ctx: Context, profile: Profile, *, expected: object = ANY) -> Profile:
    """Create or replace the VA's profile after validating it (:func:`check_profile`). With ``expected`` (the
    profile read before an interview, None for none), refuse when the stored one is no longer that: another
    ``vakit init`` changed it meanwhile. Raises InvalidValue, Conflict."""
    profile = check_profile(profile, ctx.clock.now().date())
    with ctx.ledger.write() as conn:
        if expected is not ANY and _stored_profile(ctx) != expected:
            raise Conflict("the profile changed while vakit init was asking (another vakit init?); nothing was saved",
                           "run vakit init again")
        _write_profile(conn, profile)
    return profile


def _write_profile(conn, profile: Profile) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO profile (id, business_name, address, email, tax_ids, home_tz, currency, locale,"
        " number_pattern, payment_details, pdf_font, country) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (profile.business_name, profile.address, profile.email,
         json.dumps([{"label": t.label, "value": t.value} for t in profile.tax_ids], ensure_ascii=False),
         profile.home_tz, profile.currency, profile.locale, profile.number_pattern, profile.payment_details,
         profile.pdf_font, profile.country),
    )


#: one check per profile field (value as typed → value as stored), run on each answer of ``vakit init`` as it is
#: given and on the whole profile before it is saved. Each raises InvalidValue.
PROFILE_CHECKS = {
    "business_name": lambda v: nonempty(v, "name", label="business name"),
    "country": lambda v: check_country(v),
    "home_tz": lambda v: check_zone(v),
    "currency": lambda v: check_currency(v),
    "locale": lambda v: check_locale(v),
    "email": lambda v: clean_text(v, "email"),
    "address": lambda v: clean_text(v, "address"),
    "tax_ids": lambda v: check_tax_ids(v),
    "payment_details": lambda v: clean_text(v, "payment details"),
    "number_pattern": lambda v: check_pattern(clean_text(v, "invoice number pattern")),
    "pdf_font": lambda v: _font(v),
}


def check_profile(profile: Profile, today: date) -> Profile:
    """``profile`` with its texts cleaned, after checking each field (:data:`PROFILE_CHECKS`: zone, currency,
    locale, country, tax ids, number pattern …) and, with a GSTIN, that numbers stay within 16 characters (CGST
    Rules 2017, rule 46(b)). Touches no ledger, so ``vakit init`` can check every answer before it creates
    anything. Raises InvalidValue."""
    profile = replace(profile, **{k: check(getattr(profile, k)) for k, check in PROFILE_CHECKS.items()})
    if gstin(profile.tax_ids):  # GST caps numbers at 16 characters
        format_number(profile.number_pattern, today, 1, gst=True)
    return profile


def _font(path: str) -> str:
    if not path:
        return ""
    from vakit.exporters.fonts import check_font_file

    return check_font_file(path)


def add_client(ctx: Context, name: str, *, email: str = "", address: str = "", country: str = "",
               tz: str | None = None, currency: str | None = None, locale: str | None = None,
               tax_id: str = "", notes: str = "", einvoice: bool = False) -> Client:
    """Add a client; zone and currency default to the profile's, the locale to the VA's language in the client's
    country (:func:`vakit.core.validate.client_locale`). Names are unique whatever their
    case (``Dup`` and ``DUP`` are one client). The tax id is checked by the rules of ``country``
    (:func:`vakit.core.tax_ids.check_client_tax_id`: a GSTIN for India, a VAT number in the EU and the UK).
    ``einvoice``: their invoices carry a Factur-X XML (:func:`vakit.services.einvoice.check_einvoice_client`).
    Raises Conflict for a taken name, InvalidValue for a bad zone, currency, locale or tax id, or an e-invoice
    client vakit cannot make e-invoices for."""
    name = nonempty(name, "name", label="client name")
    with ctx.ledger.write() as conn:  # the name check and the insert in one transaction
        prof = ctx.profile()
        values = dict(
            name=name, email=clean_text(email, "email"), address=clean_text(address, "address"),
            country=clean_text(country, "country"),
            tz=check_zone(tz or prof.home_tz), currency=check_currency(currency or prof.currency),
            locale=check_locale(locale or client_locale(prof.locale, country)),
            tax_id=check_client_tax_id(tax_id, country),
            notes=clean_text(notes, "notes"), name_key=name_key(name), einvoice=int(einvoice),
        )
        if einvoice:
            from vakit.services.einvoice import check_einvoice_client

            check_einvoice_client(values["country"], prof)
        _refuse_taken(ctx, name)
        new_id = _next_client_id(conn)
        conn.execute(
            f"INSERT INTO clients (id, {', '.join(values)}, created_utc) VALUES (?, {', '.join('?' * len(values))},"
            " ?)", (new_id, *values.values(), ctx.clock.now_utc()),
        )
        return get_client(ctx, new_id)


#: meta key holding the highest client id ever removed, so that no id is handed out twice
_CLIENT_ID_HIGH = "client_id_high"


def _next_client_id(conn) -> int:
    """One above every client id ever used (a removed client's id included): a time entry, a journal image or
    an export that names client #N never comes to mean another client."""
    row = conn.execute("SELECT max(coalesce((SELECT max(id) FROM clients), 0), coalesce((SELECT CAST(value AS"
                       " INTEGER) FROM meta WHERE key = ?), 0))", (_CLIENT_ID_HIGH,)).fetchone()
    return row[0] + 1


def _refuse_taken(ctx: Context, name: str, *, other_than: int | None = None) -> None:
    row = ctx.ledger.conn.execute("SELECT id, name FROM clients WHERE name_key = ? AND id IS NOT ?",
                                  (name_key(name), other_than)).fetchone()
    if row is not None:
        same = "" if row["name"] == name else f" (as {row['name']!r})"
        raise Conflict(f"a client named {name!r} already exists{same}", "client names are unique whatever their case")


def edit_client(ctx: Context, ref: str, **changes: str | bool | None) -> Client:
    """Change some fields of a client (None leaves a field as it is); a new tax id or country has the tax id
    checked by that country's rules (:func:`vakit.core.tax_ids.check_client_tax_id`). Raises NotFound,
    Conflict, InvalidValue."""
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
        if "tax_id" in vals or "country" in vals:  # checked by the rules of the country it will have
            vals["tax_id"] = check_client_tax_id(vals.get("tax_id", client.tax_id), vals.get("country", client.country))
        if vals.get("einvoice", client.einvoice):
            from vakit.services.einvoice import check_einvoice_client

            check_einvoice_client(vals.get("country", client.country), ctx.profile())
        if "einvoice" in vals:
            vals["einvoice"] = int(bool(vals["einvoice"]))
        conn.execute(f"UPDATE clients SET {', '.join(f'{k} = ?' for k in vals)} WHERE id = ?",
                     (*vals.values(), client.id))
        return get_client(ctx, client.id)


@dataclass(frozen=True)
class History:
    """What a client's records hold: counts of time entries, appointments, invoices (drafts included),
    payments and contracts, and unbilled billable time (finished entries on no invoice, in seconds)."""

    entries: int
    appointments: int
    invoices: int
    payments: int
    contracts: int
    unbilled_seconds: int = 0
    unbilled_entries: int = 0

    def used(self) -> str:
        """``"3 time entries, 1 invoice"``: the records that keep a client from being removed ("" if none)."""
        parts = [(self.entries, "time entry", "time entries"), (self.appointments, "appointment", "appointments"),
                 (self.invoices, "invoice", "invoices"), (self.payments, "payment", "payments")]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


def client_history(ctx: Context, client: Client) -> History:
    """Counts of what refers to ``client`` (see :class:`History`)."""
    def count(sql: str) -> int:
        return ctx.ledger.conn.execute(sql, (client.id,)).fetchone()[0]

    unbilled = ctx.ledger.conn.execute(
        "SELECT count(*), coalesce(sum(end_utc - start_utc), 0) FROM time_entries WHERE client_id = ? AND"
        " billable = 1 AND invoice_id IS NULL AND end_utc IS NOT NULL", (client.id,)).fetchone()
    return History(count("SELECT count(*) FROM time_entries WHERE client_id = ?"),
                   count("SELECT count(*) FROM appointments WHERE client_id = ?"),
                   count("SELECT count(*) FROM invoices WHERE client_id = ?"),
                   count("SELECT count(*) FROM payments WHERE client_id = ?"),
                   count("SELECT count(*) FROM contracts WHERE client_id = ?"),
                   unbilled_seconds=unbilled[1], unbilled_entries=unbilled[0])


@writes
def remove_client(ctx: Context, ref: str) -> tuple[Client, int]:
    """Delete a client that has no time entries, appointments, invoices or payments, with its contracts
    (none can be billed). Returns the client and how many contracts went with it. Raises NotFound, Conflict
    (it has history: archive it instead)."""
    client = find_client(ctx, ref)
    history = client_history(ctx, client)
    if history.used():
        raise Conflict(f"{client.name} has {history.used()}; a client with history is kept",
                       f"hide it instead: vakit client archive {quote(client.name)}")
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM contracts WHERE client_id = ?", (client.id,))
        conn.execute("DELETE FROM clients WHERE id = ?", (client.id,))
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
                     " max(CAST(value AS INTEGER), excluded.value)", (_CLIENT_ID_HIGH, client.id))
    return client, history.contracts


@writes
def set_archived(ctx: Context, ref: str, archived: bool) -> tuple[Client, History]:
    """Archive a client (hidden from lists and from prefix matching; its whole name and id still find it,
    and its history stays) or bring it back. Returns the client as stored and its :class:`History` (to warn
    about unbilled time, which month-end runs skip for an archived client). Raises NotFound, Conflict (a
    timer runs for it)."""
    client = find_client(ctx, ref)
    if archived:
        running = ctx.ledger.conn.execute("SELECT 1 FROM time_entries WHERE client_id = ? AND end_utc IS NULL",
                                          (client.id,)).fetchone()
        if running is not None:
            raise Conflict(f"a timer is running for {client.name}", "stop it first with 'vakit log stop'")
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE clients SET archived = ? WHERE id = ?", (int(archived), client.id))
    client = get_client(ctx, client.id)
    return client, client_history(ctx, client)
