"""Contracts: the terms a client is billed on, one set in force per client on any date.

A contract is in force from ``start_date`` to ``end_date`` (inclusive; None: open), calendar dates in its
billing zone. Its terms can be corrected (:func:`edit_contract`) while no invoice bills it; once an issued
invoice does, new terms come as a new contract from a date (:func:`add_contract`), which ends the previous
one the day before — or replaces it, when both start on the same day and nothing was billed on the old one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from shlex import quote

from vakit.core.clock import check_zone
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound
from vakit.core.models import Client, Contract
from vakit.core.tax_ids import gstin
from vakit.services.client_lookup import find_client, get_client
from vakit.services.context import Context, writes
from vakit.services.contract_terms import (
    TERM_NAMES,
    ContractTerms,
    contract_columns,
    terms_of,
    today_in,
    without_kind_terms,
)
from vakit.store.codecs import contract_from_row


@dataclass(frozen=True)
class Billed:
    """An invoice (or draft) that bills a contract: ``number`` None for a draft; period dates inclusive."""

    id: int
    status: str
    number: str | None
    period_start: date
    period_end: date

    def name(self) -> str:
        """``"invoice INV/2026-27/001"`` or ``"draft #7"``."""
        return f"invoice {self.number}" if self.status == "issued" else f"draft #{self.id}"


@dataclass(frozen=True)
class Placed:
    """What :func:`add_contract` did: the new ``contract``; the one it ``replaced`` (same first day, nothing
    billed; deleted) and the one it ``ended`` (the day before the new one starts), each None if none."""

    contract: Contract
    replaced: Contract | None = None
    ended: Contract | None = None


def billed_on(ctx: Context, contract_id: int, *, counting: bool = False) -> list[Billed]:
    """The invoices, credit notes and drafts that refer to contract ``contract_id``, by period then id. With
    ``counting``, only those whose time still counts as billed: not credit notes, not void invoices, not ones
    credited in full with their time released to be billed again (whose days may be billed anew)."""
    from vakit.services.late_time import billing_invoice

    only = f" AND {billing_invoice()}" if counting else ""
    rows = ctx.ledger.conn.execute("SELECT id, status, number, period_start, period_end FROM invoices WHERE"
                                   f" contract_id = ?{only} ORDER BY period_start, id", (contract_id,)).fetchall()
    return [Billed(r["id"], r["status"], r["number"], date.fromisoformat(r["period_start"]),
                   date.fromisoformat(r["period_end"])) for r in rows]


def _refuse_overlap(ctx: Context, client: Client, first: date, last: date | None, *, other_than: int | None) -> None:
    """Refuse a contract of ``client`` in force ``first`` … ``last`` (None: open) that would share a day with
    another of its contracts. Raises InvalidValue naming it."""
    row = ctx.ledger.conn.execute(
        "SELECT * FROM contracts WHERE client_id = ? AND id IS NOT ? AND start_date <= ? AND"
        " (end_date IS NULL OR end_date >= ?) ORDER BY start_date LIMIT 1",
        (client.id, other_than, (last or date.max).isoformat(), first.isoformat())).fetchone()
    if row is not None:
        other = contract_from_row(row)
        until = f"until {other.end_date}" if other.end_date else "with no end"
        raise InvalidValue(f"{client.name}'s contract #{other.id} is in force from {other.start_date} {until}; "
                           "contracts of one client may not share a day",
                           f"end it first: vakit contract end {other.id} --on DATE" if other.start_date < first
                           else "choose other dates")


def _refuse_billed_days(ctx: Context, client: Client, first: date, last: date | None, *,
                        other_than: int | None) -> None:
    """Refuse a contract in force ``first`` … ``last`` (None: open) on days an invoice or draft of another of
    the client's contracts already bills. Raises InvalidValue naming the latest such invoice."""
    from vakit.services.late_time import billing_invoice

    row = ctx.ledger.conn.execute(
        "SELECT id, status, number, period_start, period_end FROM invoices WHERE client_id = ? AND"
        f" contract_id IS NOT ? AND period_start <= ? AND period_end >= ? AND {billing_invoice()}"
        " ORDER BY period_end DESC LIMIT 1",
        (client.id, other_than, (last or date.max).isoformat(), first.isoformat())).fetchone()
    if row is None:
        return
    b = Billed(row["id"], row["status"], row["number"], date.fromisoformat(row["period_start"]),
               date.fromisoformat(row["period_end"]))
    hint = "delete the draft first" if b.status == "draft" else "issued invoices are final"
    if b.period_start <= first:
        raise InvalidValue(f"{b.name()} already bills {client.name} up to {b.period_end}; a new contract can start "
                           f"on {b.period_end + timedelta(days=1)} at the earliest", hint)
    raise InvalidValue(f"{b.name()} already bills {client.name} from {b.period_start} to {b.period_end}; "
                       "a contract may not cover those days", hint)


@writes
def _refuse_gst_conflict(ctx: Context, client: Client, taxes: tuple, force: bool) -> None:
    """Refuse GST taxes that contradict where a GST-registered VA's supply to ``client`` takes place
    (:func:`vakit.services.gst.contract_tax_conflict`: IGST between states and abroad, CGST + SGST within one),
    and VAT on a reverse-charged supply (:func:`vakit.services.vat.contract_vat_conflict`), unless ``force``.
    Raises InvalidValue naming the rule."""
    from vakit.services.gst import contract_tax_conflict
    from vakit.services.vat import contract_vat_conflict

    tax_ids = ctx.profile().tax_ids
    why = None if force else (contract_tax_conflict(gstin(tax_ids), client.country, client.tax_id, taxes)
                              or contract_vat_conflict(tax_ids, client.country, client.tax_id, taxes))
    if why:
        raise InvalidValue(why, "give the taxes the rule asks for, or pass --force to keep these")


def add_contract(ctx: Context, client_ref: str, terms: ContractTerms, *, force: bool = False) -> Placed:
    """Add a contract to a client. Hourly needs ``rate``; retainer needs ``monthly_fee``, ``included_seconds``
    and ``overage_rate``. Currency defaults to the client's, billing zone to the VA's home zone. It is in force
    from ``start_date`` (default: today in the billing zone): the client's latest contract ends the day before,
    or, if it starts that same day and nothing is billed on it, is replaced (deleted). The new contract may
    not start before the latest one, nor on days an invoice or draft of the client already bills.

    GST taxes that contradict the place of supply are refused unless ``force`` (:func:`_refuse_gst_conflict`).

    Returns what was done (:class:`Placed`). Raises NotFound (client), InvalidValue (terms, dates, taxes)."""
    client = find_client(ctx, client_ref)
    cols = contract_columns(ctx, client, terms)
    _refuse_gst_conflict(ctx, client, terms.taxes, force)
    start = date.fromisoformat(str(cols["start_date"]))
    end = terms.end_date
    conn = ctx.ledger.conn
    latest_row = conn.execute("SELECT * FROM contracts WHERE client_id = ? ORDER BY start_date DESC, id DESC"
                              " LIMIT 1", (client.id,)).fetchone()
    latest = None if latest_row is None else contract_from_row(latest_row)
    replaced = ended = None
    with ctx.ledger.write() as conn:
        if latest is not None and latest.start_date > start:
            raise InvalidValue(f"{client.name}'s contract #{latest.id} starts {latest.start_date}; "
                               f"a new one must start later", "give --from with a later date")
        if latest is not None and latest.start_date == start:
            billed = billed_on(ctx, latest.id)
            if billed:
                b = billed[0]
                fix = f", or delete the draft first: vakit invoice delete '#{b.id}'" if b.status == "draft" else ""
                raise InvalidValue(f"{client.name}'s contract #{latest.id} starts {start} and {b.name()} bills it; "
                                   f"a new one must start later", f"give --from with a later date{fix}")
            replaced = latest
        cur = conn.execute(  # inserted before the replaced one is deleted, so that its id is not used again
            f"INSERT INTO contracts (client_id, {', '.join(cols)}, created_utc)"
            f" VALUES (?, {', '.join('?' * len(cols))}, ?)", (client.id, *cols.values(), ctx.clock.now_utc()))
        if replaced is not None:
            conn.execute("DELETE FROM contracts WHERE id = ?", (replaced.id,))
        previous = conn.execute(
            "SELECT * FROM contracts WHERE client_id = ? AND start_date < ? AND (end_date IS NULL OR end_date >= ?)"
            " AND id <> ? ORDER BY start_date DESC LIMIT 1",
            (client.id, start.isoformat(), start.isoformat(), cur.lastrowid)).fetchone()
        if previous is not None:  # one contract is in force per client on any date: it ends the day before
            ended = replace(contract_from_row(previous), end_date=start - timedelta(days=1))
            _refuse_lost_instalments(ended, ended.end_date)
            conn.execute("UPDATE contracts SET end_date = ? WHERE id = ?", (ended.end_date.isoformat(), ended.id))
        _refuse_overlap(ctx, client, start, end, other_than=cur.lastrowid)
        _refuse_billed_days(ctx, client, start, end, other_than=cur.lastrowid)
    return Placed(get_contract(ctx, cur.lastrowid), replaced, ended)


def _refuse_lost_instalments(k: Contract, last: date) -> None:
    """A fixed-fee contract may not end before an instalment of its fee, which could then never be billed.
    Raises InvalidValue."""
    later = [d for d, _m in k.instalments if d > last]
    if k.kind == "fixed" and later:
        raise InvalidValue(f"contract #{k.id}'s fixed fee has an instalment on {later[0]}, after {last}; it would "
                           "never be billed", f"move the instalments first: vakit contract edit {k.id} --instalment "
                           "DATE ...")


def _date(ctx: Context, value: object, tz: str, what: str) -> date | None:
    """A date given as a :class:`date` or as typed text (read in zone ``tz``; ``open`` is None)."""
    if value is None or isinstance(value, date):
        return value
    from vakit.core.timeparse import parse_date

    text = str(value)
    if what == "end" and text.strip().lower() == "open":
        return None
    return parse_date(text, today=today_in(ctx, tz))


def refuse_if_billed(ctx: Context, k: Contract, client: Client) -> None:
    """Refuse to change contract ``k``'s terms once an invoice bills it: Locked for an issued one (new terms
    come from a date, as a new contract), Conflict for drafts (delete them first, or they show stale terms)."""
    billed = billed_on(ctx, k.id, counting=True)
    issued = [b for b in billed if b.status == "issued"]
    if issued:
        raise Locked(f"contract #{k.id} is billed on {issued[-1].name()} and its terms are final",
                     f"new terms from a date: vakit contract add --client {quote(client.name)} --from DATE ...")
    if billed:
        ids = [f"#{b.id}" for b in billed]
        them = "it" if len(ids) == 1 else "them"
        raise Conflict(f"contract #{k.id} is on draft{'s' if len(ids) > 1 else ''} {', '.join(ids)}",
                       f"delete {them} first: " + ", ".join(f"vakit invoice delete {quote(i)}" for i in ids))


@writes
def edit_contract(ctx: Context, contract_id: int, changes: Mapping[str, object], *, force: bool = False
                  ) -> Contract:
    """Change some terms of a contract that no invoice or draft bills yet. ``changes`` maps
    :class:`ContractTerms` field names to new values; ``start_date``/``end_date`` may be typed text, read in
    the contract's billing zone (``end_date`` ``"open"``: no end). A change of kind drops the other kind's
    terms. The result passes the same checks as :func:`add_contract`, and may not share a day with another
    contract of the client nor reach into days an invoice of the client bills; new taxes pass the GST rule
    unless ``force`` (:func:`_refuse_gst_conflict`).

    Raises NotFound, InvalidValue (terms, dates, taxes, nothing to change), Locked (an issued invoice bills it),
    Conflict (a draft bills it)."""
    unknown = set(changes) - TERM_NAMES
    if unknown:
        raise InvalidValue(f"unknown contract term {sorted(unknown)[0]!r}")
    if not changes:
        raise InvalidValue("nothing to change", "give at least one option, e.g. --rate")
    k = get_contract(ctx, contract_id)
    client = get_client(ctx, k.client_id)
    refuse_if_billed(ctx, k, client)
    base = terms_of(k)
    if changes.get("kind", k.kind) != k.kind:
        base = without_kind_terms(base)
    elif k.kind == "fixed" and "instalments" not in changes and {"monthly_fee", "start_date"} & set(changes):
        # a new fee or first day re-splits the instalments on their dates; the default one moves with the start
        default = len(k.instalments) == 1 and k.instalments[0][0] == k.start_date
        base = replace(base, instalments=() if default else tuple((d, None) for d, _m in k.instalments))
    vals = dict(changes)
    tz = str(vals.get("billing_tz") or k.billing_tz)
    for key, what in (("start_date", "start"), ("end_date", "end")):
        if key in vals:
            vals[key] = _date(ctx, vals[key], check_zone(tz), what)
    if vals.get("start_date", k.start_date) is None:
        raise InvalidValue("a contract needs a first day")
    edited = replace(base, **vals)  # type: ignore[arg-type]
    cols = contract_columns(ctx, client, edited)
    if "taxes" in vals:
        _refuse_gst_conflict(ctx, client, edited.taxes, force)
    first = date.fromisoformat(str(cols["start_date"]))
    last = None if cols["end_date"] is None else date.fromisoformat(str(cols["end_date"]))
    _refuse_overlap(ctx, client, first, last, other_than=k.id)
    _refuse_billed_days(ctx, client, first, last, other_than=k.id)
    with ctx.ledger.write() as conn:
        conn.execute(f"UPDATE contracts SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                     (*cols.values(), k.id))
    return get_contract(ctx, k.id)


@writes
def end_contract(ctx: Context, contract_id: int, on: date | str) -> Contract:
    """Set the last day a contract is in force (a date, or typed text read in its billing zone). It may not
    be before the contract starts nor before the last day an invoice or draft of it bills; a later end may
    not reach into the client's next contract. Raises NotFound, InvalidValue."""
    k = get_contract(ctx, contract_id)
    client = get_client(ctx, k.client_id)
    last = _date(ctx, on, k.billing_tz, "day")
    if last is None:
        raise InvalidValue("give the last day the contract is in force, e.g. --on 2026-12-31")
    if last < k.start_date:
        raise InvalidValue(f"contract #{k.id} starts on {k.start_date}; it cannot end before that ({last})")
    billed = billed_on(ctx, k.id, counting=True)
    if billed and max(b.period_end for b in billed) > last:
        b = max(billed, key=lambda x: x.period_end)
        raise InvalidValue(f"{b.name()} bills contract #{k.id} up to {b.period_end}; it can end on "
                           f"{b.period_end} at the earliest",
                           "delete the draft first" if b.status == "draft" else "issued invoices are final")
    _refuse_overlap(ctx, client, k.start_date, last, other_than=k.id)
    _refuse_lost_instalments(k, last)
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE contracts SET end_date = ? WHERE id = ?", (last.isoformat(), k.id))
    return get_contract(ctx, k.id)


@writes
def remove_contract(ctx: Context, contract_id: int) -> Contract:
    """Delete a contract no invoice or draft bills (one added by mistake). A contract it had ended stays
    ended. Raises NotFound, Conflict (something bills it: end it instead)."""
    k = get_contract(ctx, contract_id)
    billed = billed_on(ctx, k.id)
    if billed:
        drafts = ", ".join(f"vakit invoice delete {quote(f'#{b.id}')}" for b in billed)
        also = f"; or delete the draft{'s' if len(billed) > 1 else ''} first: {drafts}" if all(
            b.status == "draft" for b in billed) else ""
        raise Conflict(f"contract #{k.id} is billed on {billed[-1].name()}; a billed contract is kept",
                       f"end it instead: vakit contract end {k.id} --on DATE{also}")
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM contracts WHERE id = ?", (k.id,))
    return k


def get_contract(ctx: Context, contract_id: int) -> Contract:
    """The contract with this id. Raises NotFound."""
    row = ctx.ledger.conn.execute("SELECT * FROM contracts WHERE id = ?", (contract_id,)).fetchone()
    if row is None:
        raise NotFound(f"no contract with id {contract_id}", "see 'vakit contract list'")
    return contract_from_row(row)


def find_contract(ctx: Context, ref: str) -> Contract:
    """A contract by id (``3`` or ``#3``), or by client (any reference :func:`find_client` takes): the
    client's contract in force today in its billing zone, else its latest. Raises NotFound."""
    return find_contracts(ctx, ref)[0]


def find_contracts(ctx: Context, ref: str) -> list[Contract]:
    """The contracts ``ref`` names: a contract id (``3`` or ``#3``) names one; a client (any reference
    :func:`find_client` takes) names all of its contracts, the one in force today in its billing zone (else
    its latest) first, then the others latest first. Never empty. Raises NotFound."""
    ref = (ref or "").strip()
    digits = ref.removeprefix("#")
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        return [get_contract(ctx, int(digits))]
    client = find_client(ctx, ref)
    contracts = client_contracts(ctx, client)
    if not contracts:
        raise NotFound(f"{client.name} has no contract",
                       f"add one: vakit contract add --client {quote(client.name)} --rate RATE")
    return contracts


def client_contracts(ctx: Context, client: Client) -> list[Contract]:
    """All of ``client``'s contracts: the one in force today in its billing zone (else the latest) first, then
    the others latest first; empty when it has none."""
    rows = ctx.ledger.conn.execute("SELECT * FROM contracts WHERE client_id = ? ORDER BY start_date DESC, id DESC",
                                   (client.id,)).fetchall()
    contracts = [contract_from_row(r) for r in rows]
    for k in contracts:
        today = today_in(ctx, k.billing_tz)
        if k.covers(today, today):
            return [k] + [x for x in contracts if x is not k]
    return contracts


def list_contracts(ctx: Context, client_ref: str | None = None, *,
                   include_archived: bool = False) -> list[tuple[Client, Contract]]:
    """Contracts with their clients, by client name then id: one client's (archived or not), or every
    client's (archived clients' only with ``include_archived``)."""
    sql = "SELECT c.* FROM contracts c JOIN clients k ON k.id = c.client_id"
    args: tuple = ()
    if client_ref:
        sql += " WHERE c.client_id = ?"
        args = (find_client(ctx, client_ref).id,)
    elif not include_archived:
        sql += " WHERE k.archived = 0"
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
