"""Wall-clock figures for the commands a VA runs all day, on ledgers of growing size.

Run:  python benchmarks/bench_cli.py [--sizes 1000,60000] [--repeat 5]

Seeds a ledger with N time entries spread over 2016–2025 for 30 clients (direct SQL, one
transaction), then times `vakit log start`, `vakit log stop`, `vakit log report --month`,
and `vakit invoice create --dry-run` as subprocesses (start-up included), printing the
median and best of the repeats. Nothing here is asserted: figures are for reading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from vakit.core.clock import FixedClock, zone
from vakit.core.models import Profile
from vakit.services.context import Context
from vakit.services.contracts import ContractTerms, add_contract
from vakit.services.ledger import add_client, save_profile
from vakit.store.db import open_ledger


def seed(path: Path, n: int) -> None:
    ctx = Context(open_ledger(path), FixedClock(datetime(2025, 6, 1, tzinfo=zone("UTC"))))
    save_profile(ctx, Profile("Bench VA", "", "", (), "Europe/London", "GBP", "en_GB", "{year}-{seq:04}"))
    ids = []
    for i in range(30):
        ids.append(add_client(ctx, f"Client {i:02d}").id)
        add_contract(ctx, f"Client {i:02d}", ContractTerms(kind="hourly", rate=Decimal("30.00"),
                                                            start_date=date(2016, 1, 1)))
    t0 = int(datetime(2016, 1, 1, tzinfo=zone("UTC")).timestamp())
    span = int(datetime(2025, 5, 31, tzinfo=zone("UTC")).timestamp()) - t0
    step = span // n
    with ctx.ledger.write() as conn:
        conn.executemany(
            "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, created_utc) VALUES"
            " (?, ?, ?, 'Europe/London', 'seeded', 0)",
            [(ids[i % 30], t0 + i * step, t0 + i * step + min(step - 1, 5400)) for i in range(n)])
    ctx.ledger.close()


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "vakit", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"vakit {' '.join(args)} failed: {res.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,60000")
    ap.add_argument("--repeat", type=int, default=5)
    opts = ap.parse_args()
    print(f"{'entries':>8} {'command':<40} {'median s':>9} {'best s':>8}")
    for n in (int(s) for s in opts.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "ledger.sqlite3"
            seed(db, n)
            env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": "2025-06-02T10:00:00+01:00"}
            cases = {
                "log start": (["log", "start", "--client", "Client 07"], ["log", "stop", "--at", "10:00"]),
                "log stop": (["log", "stop"], None),
                "log report --month 2025-05": (["log", "report", "--month", "2025-05"], None),
                "invoice create --dry-run (2025-05)": (["invoice", "create", "--client", "Client 07", "--month",
                                                       "2025-05", "--dry-run"], None),
            }
            for label, (args, _) in cases.items():
                times = []
                for _ in range(opts.repeat):
                    if label == "log start":
                        times.append(timed(args, {**env, "VAKIT_NOW": "2025-06-02T10:00:00+01:00"}))
                        timed(["log", "stop"], {**env, "VAKIT_NOW": "2025-06-02T10:30:00+01:00"})
                        timed(["log", "rm", _last_id(db)], env)
                    elif label == "log stop":
                        timed(["log", "start", "--client", "Client 07"],
                              {**env, "VAKIT_NOW": "2025-06-02T10:00:00+01:00"})
                        times.append(timed(args, {**env, "VAKIT_NOW": "2025-06-02T10:30:00+01:00"}))
                        timed(["log", "rm", _last_id(db)], env)
                    else:
                        times.append(timed(args, env))
                print(f"{n:>8} {label:<40} {statistics.median(times):>9.3f} {min(times):>8.3f}")


def _last_id(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT max(id) FROM time_entries").fetchone()[0])
    finally:
        conn.close()


if __name__ == "__main__":
    main()
