"""Reports and client timesheets as text and CSV: pure functions from report values to ``str``.

Durations follow the one precision rule of :mod:`vakit.core.report_time` (``h:mm``, or ``h:mm:ss`` for every
figure when any has seconds), so printed rows add up to printed totals. CSV is RFC 4180 (CRLF, a header row,
quoting only where needed); free-text cells (names, tags, descriptions, labels) go through
:func:`vakit.exporters.entries.neutralise` against formula injection (C-31); numeric cells are plain integers
of seconds.

Report CSV columns (:data:`REPORT_COLUMNS`): ``key`` and ``label`` of the row; ``first``/``last`` dates it
covers (day, week, month rows); ``seconds``/``duration`` logged; ``billable_seconds``/``billable``;
``billed_seconds``/``billed`` (after the contract's rounding); ``entries``. Then a row keyed ``total`` and one
keyed ``worked`` (the union of intervals: parallel work once).

Timesheet CSV columns (:data:`SUMMARY_COLUMNS`): ``kind`` (``entry``, ``day total``, ``total``,
``retainer``), ``client``, ``date``, ``start``/``end`` (local ``HH:MM[:SS]`` in the summary's zone, ``24:00``
for the end of a date an entry runs past), ``zone`` (``EST (UTC-05:00)``), ``duration``, ``seconds``,
``billable_seconds``, ``billed_seconds``, ``description``, ``tags``, ``entry`` (the entry's number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vakit.core.clock import fmt_clock, fmt_zone
from vakit.core.periods import local_midnight_utc
from vakit.core.report_time import duration_formatter
from vakit.exporters.entries import neutralise

if TYPE_CHECKING:
    from vakit.core.models import Contract
    from vakit.services.client_summary import ClientSummary, RetainerUse
    from vakit.services.reports import Report, ReportRow

REPORT_COLUMNS = ("key", "label", "first", "last", "seconds", "duration", "billable_seconds", "billable",
                  "billed_seconds", "billed", "entries")
SUMMARY_COLUMNS = ("kind", "client", "date", "start", "end", "zone", "duration", "seconds", "billable_seconds",
                   "billed_seconds", "description", "tags", "entry")


def contract_label(k: Contract, client_name: str | None) -> str:
    """``"#3 Acme · 40.00 GBP/h · up to 15 min per entry"`` (a retainer: its fee and included hours)."""
    from vakit.core.terms_text import rate_text

    terms = rate_text(k) if k.kind != "retainer" else f"retainer {rate_text(k)}"
    rounding = k.rounding.describe()
    return f"#{k.id} {client_name or ''} · {terms} · " + ("no rounding" if rounding == "none" else rounding)


def row_label(r: Report, row: ReportRow) -> str:
    """How a row is named in a table: ``Tue 2025-05-13``; ``2026-W45 Mon 02 Nov – Sun 08 Nov 2026`` (a week cut
    by the period's edge ends ``(part)``); ``November 2026``; the client, tag or contract."""
    if r.by == "day" and row.first:
        return f"{row.first:%a %Y-%m-%d}"
    if r.by == "week" and row.first and row.last:
        head = row.key if r.first_weekday == 0 else "week"
        dates = f"{row.first:%a %d %b %Y}"
        if row.first != row.last:
            dates = f"{row.first:%a %d %b} – {row.last:%a %d %b %Y}"
        return f"{head} {dates}" + (" (part)" if row.partial else "")
    if r.by == "month" and row.first and row.last:
        if row.partial:
            return f"{row.first:%B %Y} ({row.first:%d}–{row.last:%d %b})"
        return f"{row.first:%B %Y}"
    if r.by == "contract" and row.contract is not None:
        return contract_label(row.contract, row.client_name)
    return row.key


def report_formatter(r: Report) -> Callable[[int], str]:
    """The duration format of a whole report (every figure it prints)."""
    values = [r.total, r.billable, r.billed, r.worked]
    for x in r.rows:
        values += [x.seconds, x.billable_seconds, x.billed_seconds]
    return duration_formatter(values)


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def report_csv(r: Report) -> str:
    """The report as CSV (:data:`REPORT_COLUMNS`), then ``total`` and ``worked`` rows."""
    fmt = report_formatter(r)
    out = [list(REPORT_COLUMNS)]
    for x in r.rows:
        out.append([neutralise(x.key), neutralise(row_label(r, x)), x.first.isoformat() if x.first else "",
                    x.last.isoformat() if x.last else "", str(x.seconds), fmt(x.seconds), str(x.billable_seconds),
                    fmt(x.billable_seconds), str(x.billed_seconds), fmt(x.billed_seconds), str(x.entries)])
    first, last = r.period.first.isoformat(), r.period.last.isoformat()
    out.append(["total", "total", first, last, str(r.total), fmt(r.total), str(r.billable), fmt(r.billable),
                str(r.billed), fmt(r.billed), str(r.entries)])
    out.append(["worked", "worked (overlaps once)", first, last, str(r.worked), fmt(r.worked), "", "", "", "", ""])
    return _csv(out)


def span_times(start: int, end: int, day: date, tz: str) -> tuple[str, str, str]:
    """``("09:00", "10:30", "BST (UTC+01:00)")`` for a part of an entry on local ``day``; the end of a part that
    stops at the end of the date (the entry runs on) is ``24:00``; the zone label names both offsets when a
    clock change falls inside: ``CET (UTC+01:00) – CEST (UTC+02:00)``."""
    to = "24:00" if end == local_midnight_utc(day + timedelta(days=1), tz) else fmt_clock(end, tz)
    a, b = fmt_zone(start, tz), fmt_zone(end - 1, tz)
    return fmt_clock(start, tz), to, a if a == b else f"{a} – {b}"


def span_text(start: int, end: int, day: date, tz: str) -> str:
    """``"09:00 – 10:30 BST (UTC+01:00)"``, or with a label at each end when a clock change falls inside:
    ``"01:30 CET (UTC+01:00) – 03:30 CEST (UTC+02:00)"`` (see :func:`span_times`)."""
    a, b, z = span_times(start, end, day, tz)
    if " – " in z:
        za, zb = z.split(" – ")
        return f"{a} {za} – {b} {zb}"
    return f"{a} – {b} {z}"


def summary_formatter(s: ClientSummary) -> Callable[[int], str]:
    """The duration format of a whole timesheet."""
    values = [s.total, s.billable, s.billed, *(r.seconds for r in s.rows), *(u.used for u in s.retainer),
              *(u.included for u in s.retainer), *(u.carried for u in s.retainer)]
    return duration_formatter(values)


def period_text(s: ClientSummary) -> str:
    """``Mon 02 Nov 2026 – Sun 08 Nov 2026 (week 2026-W45)`` or one date."""
    p = s.period
    text = f"{p.first:%a %d %b %Y}" if p.first == p.last else f"{p.first:%a %d %b %Y} – {p.last:%a %d %b %Y}"
    return text + (f" (week {s.week})" if s.week else "")


def retainer_text(u: RetainerUse, fmt: Callable[[int], str]) -> str:
    """``used 18:30 of 25:00 included in November 2026 (to Sun 08 Nov)`` (``of 25:00 included + 3:30 carried``
    for a rollover retainer), and how much over, if over."""
    carried = f" + {fmt(u.carried)} carried" if u.carried else ""
    text = f"used {fmt(u.used)} of {fmt(u.included)} included{carried} in {u.month:%B %Y}"
    if not u.whole_month:
        text += f" (to {u.through:%a %d %b})"
    if u.used > u.included + u.carried:
        text += f"; {fmt(u.used - u.included - u.carried)} over, billed at the overage rate"
    return text


def billed_text(s: ClientSummary, fmt: Callable[[int], str]) -> str:
    """``Billable 12:30 · billed 12:45 (rounded up to 15 min per entry)``, or "" when all time is billable and
    billed as logged."""
    if s.billable == s.total and s.billed == s.billable:
        return ""
    text = f"Billable {fmt(s.billable)}"
    if s.billed != s.billable or s.rounding:
        text += f" · billed {fmt(s.billed)}" + (f" (rounded {s.rounding})" if s.rounding else "")
    return text


def _entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def summary_text(s: ClientSummary) -> str:
    """The timesheet as plain text (LF line ends), to paste into an e-mail: heading, one block per date with
    its entries (time span with the zone label, duration, description, tags) and total, then the period's
    totals and, for a retainer, the month's use of its included hours."""
    fmt = summary_formatter(s)
    tz = s.period.tz
    zone_note = " (the client's zone)" if tz == s.client.tz else ""
    lines = [f"Timesheet: {s.client.name}", f"From: {s.supplier.name}", f"Period: {period_text(s)}",
             f"Times in {tz}{zone_note}", ""]
    spans = [span_text(r.start, r.end, r.day, tz) for r in s.rows]
    tw = max([len(x) for x in spans] + [len("Day total")])
    dw = max(len(fmt(x)) for x in [s.total, *(r.seconds for r in s.rows)])
    totals = dict(s.days)
    day = None
    for r, span in zip(s.rows, spans):
        if r.day != day:
            if day is not None:
                lines += [f"  {'Day total':<{tw}}  {fmt(totals[day]):>{dw}}", ""]
            day = r.day
            lines.append(f"{day:%a %d %b %Y}")
        e = r.view.entry
        extra = [f"[{e.tags}]"] if e.tags else []
        extra += [] if e.billable else ["(non-billable)"]
        text = " ".join([e.description or "—", *extra])
        lines.append(f"  {span:<{tw}}  {fmt(r.seconds):>{dw}}  {text}")
    if day is not None:
        lines += [f"  {'Day total':<{tw}}  {fmt(totals[day]):>{dw}}", ""]
    else:
        lines += ["No time logged in this period.", ""]
    n = len({r.view.entry.id for r in s.rows})
    lines.append(f"Period total: {fmt(s.total)} ({_entries(n)})")
    if billed_text(s, fmt):
        lines.append(billed_text(s, fmt))
    lines += [f"Retainer: {retainer_text(u, fmt)}" for u in s.retainer]
    return "\n".join(lines) + "\n"


def summary_csv(s: ClientSummary) -> str:
    """The timesheet as CSV (:data:`SUMMARY_COLUMNS`): one ``entry`` row per entry and date, a ``day total``
    row after each date, one ``total`` row, then a ``retainer`` row per retainer month."""
    fmt = summary_formatter(s)
    tz, name = s.period.tz, neutralise(s.client.name)
    out = [list(SUMMARY_COLUMNS)]
    totals = dict(s.days)
    bill: dict[date, tuple[int, int]] = {}
    for r in s.rows:
        b = bill.get(r.day, (0, 0))
        bill[r.day] = (b[0] + r.billable, b[1] + r.billed)
    for i, r in enumerate(s.rows):
        e = r.view.entry
        a, b, z = span_times(r.start, r.end, r.day, tz)
        out.append(["entry", name, r.day.isoformat(), a, b, z, fmt(r.seconds), str(r.seconds), str(r.billable),
                    str(r.billed), neutralise(e.description), neutralise(e.tags), str(e.id)])
        if i + 1 == len(s.rows) or s.rows[i + 1].day != r.day:
            d = r.day
            out.append(["day total", name, d.isoformat(), "", "", "", fmt(totals[d]), str(totals[d]),
                        str(bill[d][0]), str(bill[d][1]), "", "", ""])
    n = len({r.view.entry.id for r in s.rows})
    out.append(["total", name, f"{s.period.first.isoformat()}/{s.period.last.isoformat()}", "", "", tz,
                fmt(s.total), str(s.total), str(s.billable), str(s.billed), _entries(n), "", ""])
    for u in s.retainer:
        out.append(["retainer", name, u.month.isoformat(), "", "", "", fmt(u.used), str(u.used), "", "",
                    neutralise(retainer_text(u, fmt)), "", ""])
    return _csv(out)
