#!/usr/bin/env python
"""Month-end reporting benchmark: statements over a year of vouchers.

    bench/close.py [--store sqlite|postgres] [--vouchers N] [--repeat R] [--seed S]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. a company with N (default 100,000) posted vouchers over the 12 periods of
   2026: two- to four-line entries on random leaf accounts (seeded), posted
   month by month through ``post_journal_entry``; each month is closed with
   ``close_books`` (结转损益 and, in December, 3103 -> 3104), as an accountant
   would. Building it is not what is measured (see bench/ledger.py for that);
2. the read models are built (``catch_up``);
3. each report is read R times (default 5) and the median is printed:
   ``trial_balance_ms`` (科目余额表 of December), ``balance_sheet_ms`` and
   ``income_statement_ms`` (of December, from the turnover table),
   ``as_of_balance_sheet_ms`` (June's balance sheet as of the log position
   half-way through the log, from the journal lines), ``xlsx_export_ms``
   (December's balance sheet built and written as XLSX).

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the method and the recorded results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.exports import to_xlsx  # noqa: E402
from api.runtime import Runtime  # noqa: E402
from bench.ledger import BENCH_CLOCK, fresh_store, leaf_accounts, say  # noqa: E402
from domain.commands import CommandContext  # noqa: E402
from domain.ledger.entries import LineInput  # noqa: E402
from projections import ledger_queries as lq  # noqa: E402
from projections import reports  # noqa: E402
from projections import statement_queries as sq  # noqa: E402

YEAR = 2026


def build_company(rt: Runtime, vouchers: int, seed: int) -> tuple[int, float]:
    """Post the year's vouchers and close each month; return (mid-log position, seconds)."""
    app = rt.app
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    # 4101 is left out: overhead settlement is not what this measures.
    accounts = [a for a in leaf_accounts(app) if not a.startswith("4101")]
    started = time.perf_counter()
    mid = 0
    per_month = [vouchers // 12 + (1 if m < vouchers % 12 else 0) for m in range(12)]
    posted = 0
    for month in range(1, 13):
        period = f"{YEAR}-{month:02d}"
        app.open_period(period, ctx=CommandContext(actor="bench", idempotency_key=f"open-{period}"))
        for _ in range(per_month[month - 1]):
            n = rng.choice((2, 2, 2, 3, 4))
            picked = rng.sample(accounts, n)
            amounts = [Decimal(rng.randint(1, 2_000_000)) / 100 for _ in range(n - 1)]
            lines = [LineInput(a, debit=f"{x:.2f}") for a, x in zip(picked, amounts, strict=False)]
            lines.append(LineInput(picked[-1], credit=f"{sum(amounts):.2f}"))
            day = date(YEAR, month, rng.randint(1, 28))
            app.post_journal_entry(day, f"bench voucher {posted}", lines,
                                   ctx=CommandContext(actor="bench",
                                                      idempotency_key=f"v-{run}-{posted}"))
            posted += 1
            if posted == vouchers // 2:
                mid = app.log_position()
            if posted % max(1, vouchers // 10) == 0:
                elapsed = time.perf_counter() - started
                say(f"posted {posted}/{vouchers} ({posted / elapsed:,.0f} vouchers/s)")
        closed = app.close_books(period, ctx=CommandContext(actor="bench",
                                                            idempotency_key=f"close-{period}"))
        say(f"closed {period}: profit {closed.value.profit}")
    return mid, time.perf_counter() - started


def median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--vouchers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    say(f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with fresh_store(args.store, "close") as config:
        rt = Runtime(config, clock=BENCH_CLOCK)
        try:
            mid, build_s = build_company(rt, args.vouchers, args.seed)
            say(f"built {args.vouchers} vouchers in {build_s:.0f} s; projecting")
            started = time.perf_counter()
            rt.runner.catch_up()
            project_s = time.perf_counter() - started
            say(f"read models built in {project_s:.1f} s")
            dec = f"{YEAR}-12"
            with rt.read() as conn:
                tb = lq.trial_balance(conn, dec)
                bs = sq.balance_sheet_of(conn, dec)
                assert tb.balanced and bs.amount(30) == bs.amount(53), "books do not balance"
                figures = {
                    "trial_balance_ms": median_ms(lambda: lq.trial_balance(conn, dec),
                                                  args.repeat),
                    "balance_sheet_ms": median_ms(lambda: sq.balance_sheet_of(conn, dec),
                                                  args.repeat),
                    "income_statement_ms": median_ms(
                        lambda: sq.income_statement_of(conn, dec), args.repeat),
                    "as_of_balance_sheet_ms": median_ms(
                        lambda: sq.balance_sheet_of(conn, f"{YEAR}-06", as_of=mid), args.repeat),
                    "xlsx_export_ms": median_ms(
                        lambda: to_xlsx(reports.balance_sheet(conn, dec)), args.repeat),
                }
            result = {
                "store": args.store,
                "vouchers": args.vouchers,
                "log_positions": rt.app.log_position(),
                "build_seconds": round(build_s, 1),
                "projection_seconds": round(project_s, 1),
                **figures,
                "total_assets": str(bs.amount(30)),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        finally:
            rt.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
