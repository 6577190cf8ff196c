"""``vakit schedule book --repeat``, ``cancel --following / --series`` and ``move --following``: recurring calls."""

from __future__ import annotations

from vakit.cli.common import console, context, err_console
from vakit.core.appointments import Appointment
from vakit.core.clock import fmt_local, to_local
from vakit.services import series as series_service
from vakit.services.scheduling import Booking


def _dates(occurrences: list[Appointment], tz: str) -> str:
    """``Mon 13 Oct, Mon 20 Oct … Mon 03 Nov 2025`` (the first three, and the last when there are more)."""
    days = [to_local(a.start_utc, tz) for a in occurrences]
    picked = days[:3] + ([days[-1]] if len(days) > 3 else [])
    form = "%a %d %b" if days[0].year == days[-1].year else "%a %d %b %Y"
    shown = [f"{d:{form}}" for d in picked]
    if len(days) > 4:
        shown.insert(3, "…")
    return ", ".join(shown) + (f" {days[-1]:%Y}" if form == "%a %d %b" else "")


def _show(verb: str, b: series_service.SeriesBooking) -> None:
    from vakit.cli.schedule import _both_clocks
    from vakit.core.recurrence import Rule

    s, occ = b.series, b.occurrences
    live = [a for a in occ if a.status == "CONFIRMED"] or occ
    rule = Rule(s.freq, s.interval, s.count, s.until_utc)
    ids = f"#{occ[0].id}" if len(occ) == 1 else f"#{occ[0].id}–#{occ[-1].id}"
    n = len([a for a in occ if a.status == "CONFIRMED"])
    _both_clocks(verb, Booking(live[0], b.home_tz, b.client_tz),
                 f" — {rule.describe()}, {n} {'occurrence' if n == 1 else 'occurrences'} ({ids})")
    out = console()
    say = lambda text: out.print(text, markup=False, soft_wrap=True)  # noqa: E731
    wall = to_local(live[0].start_utc, s.tz)
    short = " (RFC 5545: a month without that day has no occurrence)" if s.freq == "MONTHLY" and wall.day > 28 else ""
    say(f"  repeats:    {rule.describe()} at {wall:%H:%M} {s.tz} time: {_dates(live, s.tz)}{short}")
    unchecked = [a for a in live if a.start_utc >= b.checked_until]
    if unchecked:
        later = f"{len(unchecked)} later {'occurrence' if len(unchecked) == 1 else 'occurrences'}"
        say(f"  checked for your rules up to {fmt_local(b.checked_until, b.home_tz)} (clashes: all); the {later} "
            "will be checked against the rules when moved")
    say(f"  series UID {s.uid}, SEQUENCE {s.sequence}")
    for whose, other in (("your time", b.home_tz), (f"{s.client_name}'s time", b.client_tz)):
        if other != s.tz and (whose == "your time" or other != b.home_tz):
            _shift_note([a.start_utc for a in live], other, s.tz, whose)


def _shift_note(starts: list[int], other: str, theirs: str, whose: str) -> None:
    """Warn when DST moves the series on another clock (``whose``, in zone ``other``), naming the dates."""
    from vakit.core.zone_gap import wall_shifts

    shifts = wall_shifts(starts, other)
    if not shifts:
        return
    steps = ", ".join(f"{fmt_local(t, other, date=False)} from {fmt_local(t, other)[:15]}" for t, _ in shifts[:4])
    if len(shifts) > 4:
        steps += f", and {len(shifts) - 4} more changes (see vakit schedule list)"
    first_prev = shifts[0][1]
    err_console().print(
        f"vakit: note: the series keeps its time in {theirs}, so in {whose} ({other}) it moves: "
        f"{fmt_local(first_prev, other, date=False)} until {fmt_local(first_prev, other)[:15]}, then {steps} "
        f"({theirs} and {other} do not change their clocks together)", markup=False, soft_wrap=True)


def book_series(client: str, when: str | None, duration: int, title: str, **options) -> None:
    """Book and print a recurring series (see :func:`vakit.services.series.book_series`)."""
    from vakit.core.errors import InvalidValue

    if not when:
        raise InvalidValue("give --at (and optionally --date) for the first occurrence")
    b = series_service.book_series(context(), client, when, duration, title, **options)
    _show("Booked", b)


def cancel_series(ref: str, *, following: bool, series: bool) -> None:
    """Cancel occurrence ``ref`` and the later ones, or the whole series, and say what calendars will see."""
    from vakit.core.errors import InvalidValue

    if following and series:
        raise InvalidValue("give --following or --series, not both")
    s, cancelled = series_service.cancel_series(context(), ref, following=following)
    n = len(cancelled)
    if s.status == "CANCELLED":
        kept = [a for a in series_service.series_occurrences(context(), s.id) if a.outcome]
        what = "the whole series" + (f" ({len(kept)} recorded as done or no-show stay)" if kept else "")
    else:
        what = f"the series now ends on {fmt_local(s.until_utc or 0, s.tz)}"
    console().print(f"Cancelled {n} {'occurrence' if n == 1 else 'occurrences'} of '{s.title}' with "
                    f"{s.client_name} (#{cancelled[0].id}{'' if n == 1 else f'–#{cancelled[-1].id}'}): {what}; "
                    f"series SEQUENCE {s.sequence}", markup=False, soft_wrap=True)


def move_following(ref: str, when: str, **options) -> None:
    """Move occurrence ``ref`` and the later ones and print the series that now holds them."""
    b, old, reset = series_service.move_following(context(), ref, when, **options)
    _show("Moved" if old is None else "Moved the rest into a new series:", b)
    out = console()
    if old is not None:
        out.print(f"  the earlier series (UID {old.uid}) now ends on {fmt_local(old.until_utc or 0, old.tz)}, "
                  f"SEQUENCE {old.sequence}", markup=False, soft_wrap=True)
    kept = sum(1 for a in b.occurrences if a.status == "CANCELLED")
    if kept:
        out.print(f"  {kept} {'occurrence' if kept == 1 else 'occurrences'} cancelled on their own stay cancelled",
                  markup=False, soft_wrap=True)
    if reset:
        out.print(f"  {reset} {'occurrence' if reset == 1 else 'occurrences'} moved on their own now follow the "
                  "series again", markup=False, soft_wrap=True)


def occurrence_line(ctx, a: Appointment) -> str:
    """Two lines for ``schedule show`` of an occurrence: how the series repeats and which occurrence this is,
    and what calendars know it by (the series' UID and SEQUENCE, its RECURRENCE-ID, its own SEQUENCE)."""
    from vakit.core.recurrence import Rule, occurrence_walls

    s = series_service.get_series(ctx, a.series_id)
    rows = series_service.series_occurrences(ctx, s.id)
    n = next(i for i, r in enumerate(rows, 1) if r.id == a.id)
    rule = Rule(s.freq, s.interval, s.count, s.until_utc)
    wall = s.dtstart_local[11:16]
    state = " (the series is cancelled)" if s.status == "CANCELLED" else ""
    walls = {t: w for w, t in occurrence_walls(rule, s.dtstart_local, s.tz)}  # the rule's wall time, as exported
    rid = walls.get(a.recurrence_utc) or to_local(a.recurrence_utc or a.start_utc, s.tz)
    return (f"  repeats:    {rule.describe()} at {wall} {s.tz} time, occurrence {n} of {len(rows)}{state}\n"
            f"  UID {s.uid} (the series, SEQUENCE {s.sequence}), RECURRENCE-ID {rid:%Y%m%dT%H%M%S} {s.tz}, "
            f"SEQUENCE {a.sequence}")
