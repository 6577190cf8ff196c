"""Receivables seen per client: aging buckets, payment reminders and statements of account.

Everything is in the documents' own currency (vakit never converts) and in the VA's home calendar
for "today". A statement lists invoices (+), credit notes and voids (−) and money received (−), one line
each, with the running balance; a negative balance is money the client has in credit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Statement, StatementLine
from vakit.core.models import Client
from vakit.core.money import format_money
from vakit.services.client_lookup import find_client
from vakit.services.context import Context
from vakit.services.issuing import home_today
from vakit.services.receivables import Standing, list_standings

#: aging buckets by days overdue: (label, lowest, highest) — "current" is not yet due (0 or fewer days)
BUCKETS = (("current", None, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))


def bucket_of(days_overdue: int) -> str:
    """The aging bucket of a balance ``days_overdue`` days past its due date (0: not overdue)."""
    for label, lo, hi in BUCKETS:
        if (lo is None or days_overdue >= lo) and (hi is None or days_overdue <= hi):
            return label
    raise AssertionError(days_overdue)  # pragma: no cover - the buckets cover every integer


@dataclass
class AgingRow:
    """What one client owes in one currency, minor units per bucket (keys of :data:`BUCKETS`) and in total."""

    client: str
    currency: str
    locale: str
    buckets: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in BUCKETS})
    total: int = 0
    invoices: int = 0
    credit: int = 0  # the client's unapplied credit in this currency, which may settle part of the total


def aging(ctx: Context) -> list[AgingRow]:
    """Open balances of issued invoices per client and currency, bucketed by days overdue on today's home date,
    with the client's unapplied credit in that currency beside them. Sorted by client, then currency; clients
    owing nothing are left out."""
    from vakit.services.receivables import client_credit

    rows: dict[tuple[str, str], AgingRow] = {}
    for s in list_standings(ctx, status="unpaid"):
        inv = s.invoice
        row = rows.setdefault((inv.customer.name, inv.currency), AgingRow(inv.customer.name, inv.currency,
                                                                          inv.locale))
        row.buckets[bucket_of(s.days_overdue)] += s.balance_minor
        row.total += s.balance_minor
        row.invoices += 1
        row.credit = client_credit(ctx, inv.client_id, inv.currency)
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0].casefold(), k[1]))]


@dataclass(frozen=True)
class Reminder:
    """A payment reminder ready to send: recipient, subject and plain-text body."""

    standing: Standing
    to: str
    subject: str
    body: str


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def reminders(ctx: Context) -> list[Reminder]:
    """One reminder per issued invoice with a balance that is due today or overdue (today in the VA's home
    zone): number, issue date, amount due, days overdue, payment details. Oldest due date first."""
    profile = ctx.profile()
    today = home_today(ctx)
    out = []
    due = [s for s in list_standings(ctx, status="unpaid") if s.invoice.due_date <= today]
    for s in sorted(due, key=lambda s: (s.invoice.due_date, s.invoice.id)):
        inv = s.invoice

        def money(minor: int, inv=inv) -> str:  # with the code: "$" is the dollar of many countries
            return f"{format_money(minor, inv.currency, inv.locale)} {inv.currency}"

        owed = money(s.balance_minor)
        when = (f"is due today, {_day(inv.due_date)}" if s.days_overdue == 0 else
                f"was due on {_day(inv.due_date)} and is {s.days_overdue} day{'s' if s.days_overdue != 1 else ''} "
                "overdue")
        subject = (f"Invoice {inv.number}: {owed} due today" if s.days_overdue == 0 else
                   f"Reminder: invoice {inv.number}, {owed} overdue")
        settled = [f"received so far: {money(s.paid_minor)}"] if s.paid_minor else []
        if s.credited_minor:
            notes = ", ".join(r[0] for r in ctx.ledger.conn.execute(
                "SELECT number FROM invoices WHERE kind = 'credit_note' AND refers_to = ? ORDER BY seq", (inv.id,)))
            settled.append(f"credited: {money(s.credited_minor)} by {notes}")
        lines = [f"Dear {inv.customer.name},", "",
                 f"Invoice {inv.number} of {_day(inv.issue_date)} for {money(inv.total_minor)} {when}.",
                 f"Amount due: {owed}" + (f" ({'; '.join(settled)})" if settled else "") + "."]
        if inv.payment_details:
            lines += ["", "Payment details:", inv.payment_details]
        lines += ["", "If you have already paid, thank you, and please ignore this reminder.", "", "Kind regards,",
                  profile.business_name]
        out.append(Reminder(s, inv.customer.email, subject, "\n".join(lines) + "\n"))
    return out


def reminder_eml(r: Reminder, sender: str, now) -> bytes:
    """A reminder as an RFC 5322 message (``.eml``) a mail program opens ready to send: From, To, Subject,
    Date (``now``, an aware datetime), ``X-Unsent: 1`` (open as a draft) and a UTF-8 plain-text body."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    msg = EmailMessage()
    if sender:
        msg["From"] = sender
    if r.to:
        msg["To"] = r.to
    msg["Subject"] = r.subject
    msg["Date"] = format_datetime(now)
    msg["X-Unsent"] = "1"  # mail programs (Outlook, Apple Mail) open it as a draft to send
    msg.set_content(r.body)
    return bytes(msg)


def _movements(ctx: Context, client: Client) -> list[tuple[date, int, str, str, str, str, int]]:
    """(day, order, currency, kind, ref, description, signed amount) of every document and payment."""
    conn = ctx.ledger.conn
    out = []
    for s in list_standings(ctx, client.id):
        inv = s.invoice
        if inv.status != "issued":
            continue
        if inv.kind == "credit_note":
            out.append((inv.issue_date, inv.id, inv.currency, "credit note", inv.number,
                        f"against {inv.refers_number}" + (f": {inv.reason}" if inv.reason else ""), -inv.total_minor))
            continue
        what = f"{inv.period_start} – {inv.period_end}, due {inv.due_date}"
        out.append((inv.issue_date, inv.id, inv.currency, "invoice", inv.number, what, inv.total_minor))
    for inv_id, day, reason in conn.execute("SELECT e.invoice_id, e.event_date, e.reason FROM invoice_events e JOIN"
                                            " invoices i ON i.id = e.invoice_id WHERE i.client_id = ? AND e.event ="
                                            " 'void'", (client.id,)).fetchall():
        row = conn.execute("SELECT number, currency, total_minor FROM invoices WHERE id = ?", (inv_id,)).fetchone()
        out.append((date.fromisoformat(day), inv_id, row[1], "void", row[0], reason, -row[2]))
    for pid, inv_num, cur, amount, day, method, ref in conn.execute(
            "SELECT p.id, i.number, p.currency, p.amount_minor, p.paid_date, p.method, p.reference FROM payments p"
            " LEFT JOIN invoices i ON i.id = p.invoice_id WHERE p.client_id = ? ORDER BY p.id", (client.id,)):
        detail = ", ".join(x for x in (method, ref) if x)
        if inv_num is not None:
            kind, what = "payment", detail
        elif amount > 0:
            kind, what = "credit held", "received on account" + (f" ({detail})" if detail else "")
        else:
            kind, what = "credit applied", f"to {ref}"
        out.append((date.fromisoformat(day), 10**12 + pid, cur, kind, inv_num or "", what, -amount))
    return sorted(out, key=lambda m: (m[0], m[1]))


def statement(ctx: Context, client_ref: str, first: date | None = None, last: date | None = None
              ) -> list[Statement]:
    """The client's statement of account, one per currency it was invoiced or paid in, from ``first`` (None:
    from the beginning; earlier movements make the opening balance) to ``last`` (default today, home zone).
    Raises NotFound (client), InvalidValue (``first`` after ``last``, nothing to show)."""
    client = find_client(ctx, client_ref)
    last = last or home_today(ctx)
    if first is not None and first > last:
        raise InvalidValue(f"the statement would start ({first}) after it ends ({last})")
    out: dict[str, Statement] = {}
    for day, _order, cur, kind, ref, what, amount in _movements(ctx, client):
        if day > last:
            continue
        st = out.setdefault(cur, Statement(client, cur, client.locale, first, last))
        if first is not None and day < first:
            st.opening_minor += amount
            continue
        if kind == "invoice":
            st.invoiced_minor += amount
        elif kind in ("credit note", "void"):
            st.credited_minor -= amount
        else:
            st.received_minor -= amount
        st.lines.append(StatementLine(day, kind, ref, what, amount, st.opening_minor + st.invoiced_minor -
                                      st.credited_minor - st.received_minor))
    if not out:
        raise InvalidValue(f"{client.name} has no issued invoices or payments up to {last}")
    return [out[c] for c in sorted(out)]
