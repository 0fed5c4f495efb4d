#!/usr/bin/env python
"""Ledger benchmark: command throughput and projection rebuild speed, each
against the raw ``eventsourcing`` rate on the same kind of store.

    bench/ledger.py [--store sqlite|postgres] [--entries N] [--quick] [--audit-chain]

One run, on fresh stores (SQLite: temporary files; PostgreSQL: fresh schemas
in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. raw saves: a plain eventsourcing ``Application`` on a separate fresh store
   saves a trivial aggregate, one event per ``save`` -> ``raw_saves_per_s``;
2. commands: N two-line journal entries through
   ``FactoryLedger.post_journal_entry``, each with an idempotency key, random
   leaf accounts and random 2-dp amounts (seeded) -> ``commands_per_s``;
3. first build of the read models (``catch_up``), untimed for the ratio;
4. raw decode: ``recorder.select_notifications`` in big pages +
   ``mapper.to_domain_event`` over the whole log step 2 wrote ->
   ``raw_decode_per_s``;
5. rebuild: ``runner.reset()`` + ``runner.catch_up()`` over the same log ->
   ``rebuild_events_per_s``.

With ``--audit-chain`` step 2 also extends the audit chain after every
command (the serving worker's follower, run in line: an upper bound on its
cost), and a last step times ``audit`` over the whole log ->
``audit_events_per_s``. With ``--follow`` step 2 runs as the server does: a
worker follows the log and each command waits for its read models; the
worker runs the audit chain only with ``--audit-chain``.

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
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402

from api.runtime import Runtime  # noqa: E402
from domain.clock import fixed_clock  # noqa: E402
from domain.commands import CommandContext  # noqa: E402
from domain.ledger.entries import LineInput  # noqa: E402
from domain.store import StoreConfig, parse_database_url  # noqa: E402
from projections.audit_chain import AuditChain, audit  # noqa: E402

PG_URL = os.environ.get(
    "FACTORYLEDGER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
YEAR = 2026
# The benches replay fixed dates in YEAR: the company clock is pinned at its end,
# so every date stays inside the company's date window whenever they run.
BENCH_CLOCK = fixed_clock(datetime(YEAR, 12, 31, 4, tzinfo=UTC))
DECODE_PAGE = 5000
TARGETS = {"command_ratio": 0.7, "rebuild_ratio": 0.5}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# -- fresh stores --------------------------------------------------------------
@contextmanager
def fresh_store(kind: str, tag: str) -> Iterator[StoreConfig]:
    """A new, empty store of the given kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"flbench-{tag}-") as tmp:
            yield parse_database_url(f"sqlite:///{tmp}/{tag}.db")
        return
    import psycopg

    admin = parse_database_url(PG_URL)
    schema = f"bench_{tag}_{uuid.uuid4().hex[:10]}"

    def connect():
        return psycopg.connect(
            host=admin.host, port=admin.port, user=admin.user,
            password=admin.password or None, dbname=admin.dbname,
            connect_timeout=5, autocommit=True,
        )

    with connect() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield parse_database_url(f"{PG_URL}{sep}schema={schema}")
    finally:
        with connect() as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# -- 1. raw eventsourcing saves ------------------------------------------------
class Ping(Aggregate):
    """The cheapest useful aggregate: one small event when created."""

    @event("Created")
    def __init__(self, n: int):
        self.n = n


class RawApp(Application):
    name = "RawBench"


def measure_raw_saves(kind: str, count: int) -> float:
    with fresh_store(kind, "raw") as config:
        app = RawApp(env=config.eventsourcing_env())
        try:
            for n in range(min(50, count)):  # warm up connections and statements
                app.save(Ping(-n))
            started = time.perf_counter()
            for n in range(count):
                app.save(Ping(n))
            elapsed = time.perf_counter() - started
        finally:
            app.close()
    return count / elapsed


# -- 2. commands ---------------------------------------------------------------
def leaf_accounts(app) -> list[str]:
    """Active leaves a manual voucher may post to (control accounts take only documents)."""
    chart = app.chart()
    return sorted(
        code for code, account in chart.accounts.items()
        if account.active and chart.is_leaf(code) and chart.control_of(code) is None
    )


def post_entries(rt: Runtime, entries: int, seed: int, after=None) -> float:
    app = rt.app
    for month in range(1, 13):
        app.open_period(f"{YEAR}-{month:02d}",
                        ctx=CommandContext(actor="bench", idempotency_key=f"open-{month}"))
    accounts = leaf_accounts(app)
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    # Inputs are made up front so the timed loop is the application's work only.
    inputs = []
    for i in range(entries):
        debit, credit = rng.sample(accounts, 2)
        amount = Decimal(rng.randint(1, 5_000_000)) / 100
        day = date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
        lines = [LineInput(debit, debit=f"{amount:.2f}"), LineInput(credit, credit=f"{amount:.2f}")]
        ctx = CommandContext(actor="bench", idempotency_key=f"bench-{run}-{i:07d}")
        inputs.append((day, f"bench entry {i}", lines, ctx))
    step = max(1, entries // 10)
    started = time.perf_counter()
    for i, (day, summary, lines, ctx) in enumerate(inputs, start=1):
        outcome = app.post_journal_entry(day, summary, lines, ctx=ctx)
        if after is not None:
            after(outcome)
        if i % step == 0:
            elapsed = time.perf_counter() - started
            say(f"posted {i}/{entries} ({i / elapsed:,.0f} commands/s)")
    return entries / (time.perf_counter() - started)


# -- 4. raw read + decode ------------------------------------------------------
def measure_raw_decode(app) -> tuple[int, float]:
    recorder, decode = app.recorder, app.mapper.to_domain_event
    started = time.perf_counter()
    count, start = 0, 1
    while True:
        page = recorder.select_notifications(start=start, limit=DECODE_PAGE)
        if not page:
            break
        for notification in page:
            decode(notification)
        count += len(page)
        start = page[-1].id + 1
    return count, count / (time.perf_counter() - started)


# -- 5. rebuild ----------------------------------------------------------------
def rebuild(rt: Runtime, total: int) -> tuple[int, float]:
    step = max(1, total // 5)
    shown = [0]

    def progress(position: int) -> None:
        if position - shown[0] >= step:
            shown[0] = position
            say(f"  projected to position {position}")

    started = time.perf_counter()
    rt.runner.reset()
    applied = rt.runner.catch_up(progress=progress)
    return applied, applied / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--quick", action="store_true", help="500 entries, a few seconds")
    parser.add_argument("--raw-saves", type=int, default=None,
                        help="single-event saves for the raw rate (default: min(N, 10000))")
    parser.add_argument("--audit-chain", action="store_true",
                        help="chain every notification after each command; time audit")
    parser.add_argument("--follow", action="store_true",
                        help="commands wait for a following worker, as in the server")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="projection batch size (default: the runner's)")
    args = parser.parse_args(argv)
    entries = 500 if args.quick else args.entries
    if entries < 1:
        parser.error("--entries must be positive")
    raw_saves = args.raw_saves or max(200, min(entries, 10000))

    say(f"store={args.store} entries={entries} raw_saves={raw_saves}")
    raw_saves_per_s = measure_raw_saves(args.store, raw_saves)
    say(f"raw eventsourcing: {raw_saves_per_s:,.0f} single-event saves/s")

    with fresh_store(args.store, "ledger") as config:
        rt = Runtime(config, batch_size=args.batch_size, follow=args.follow, clock=BENCH_CLOCK)
        try:
            if args.follow:
                # As the server runs: the worker follows, each command waits for
                # its read models; the audit chain runs in the worker or not at all.
                if not args.audit_chain:
                    rt.worker.followers.clear()
                commands_per_s = post_entries(rt, entries, args.seed, rt.settle)
                rt.worker.stop()
            else:
                chain = AuditChain(rt.app, rt.engine)
                after = (lambda _outcome: chain.catch_up()) if args.audit_chain else None
                commands_per_s = post_entries(rt, entries, args.seed, after)
            events = rt.app.log_position()
            say(f"commands: {commands_per_s:,.0f}/s; log holds {events} notifications")

            started = time.perf_counter()
            rt.runner.catch_up()
            first_build_per_s = events / (time.perf_counter() - started)
            say(f"first build: {first_build_per_s:,.0f} events/s")

            decoded, raw_decode_per_s = measure_raw_decode(rt.app)
            say(f"raw read+decode: {decoded} notifications, {raw_decode_per_s:,.0f}/s")

            applied, rebuild_per_s = rebuild(rt, decoded)
            say(f"rebuild (reset + catch_up): {applied} events, {rebuild_per_s:,.0f}/s")
            batch_size = rt.runner.batch_size
            audit_per_s = None
            if args.audit_chain:
                started = time.perf_counter()
                report = audit(rt.app, rt.engine)
                audit_per_s = report.checked / (time.perf_counter() - started)
                say(f"audit: {report.checked} notifications checked, {audit_per_s:,.0f}/s, "
                    f"ok={report.ok}")
        finally:
            rt.close()

    from importlib.metadata import version

    result = {
        "store": args.store,
        "entries": entries,
        "commands_per_s": round(commands_per_s, 1),
        "raw_saves_per_s": round(raw_saves_per_s, 1),
        "command_ratio": round(commands_per_s / raw_saves_per_s, 3),
        "rebuild_events": applied,
        "rebuild_events_per_s": round(rebuild_per_s, 1),
        "raw_decode_per_s": round(raw_decode_per_s, 1),
        "rebuild_ratio": round(rebuild_per_s / raw_decode_per_s, 3),
        "first_build_events_per_s": round(first_build_per_s, 1),
        "batch_size": batch_size,
        "audit_chain": args.audit_chain,
        "follow": args.follow,
        "audit_events_per_s": round(audit_per_s, 1) if audit_per_s else None,
        "raw_saves": raw_saves,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "sqlalchemy": version("sqlalchemy"),
        "psycopg": version("psycopg"),
    }
    result["targets_met"] = all(result[k] >= v for k, v in TARGETS.items())
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
