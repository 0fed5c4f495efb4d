#!/usr/bin/env python
"""Inventory benchmark: stock movements through the use cases, projection
rebuild, and the two stock reads (on hand, stock card).

    bench/inventory.py [--store sqlite|postgres] [--moves N] [--quick]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. master data (untimed): 12 periods of 2026, 3 warehouses, 500 items,
   5 suppliers, 5 customers;
2. movements: a seeded plan of N movement lines, made up front against a
   model of the book stock, then run through the application layer ->
   ``moves_per_s`` (movement lines / wall time) and ``commands_per_s``:

   ======================  ===============================================
   purchase receipt        create PO (2-5 lines) + confirm + one receipt
                           of every line: 3 commands, 2-5 moves
   sales shipment          create SO (1-3 lines) + confirm (reserves) +
                           one shipment of every line: 3 commands, 1-3 moves
   transfer                1 line between two warehouses: 1 command, 1 move
   adjustment in / out     1 line, +qty at standard cost or -qty: 1 command,
                           1 move
   count                   1 warehouse, 1-5 lines, every count differs from
                           the book: 1 command, 1-5 moves
   ======================  ===============================================

   A "move" is one document line that changes stock (a transfer line counts
   once although it issues from one stock balance and receives into
   another). Order creation and confirmation are commands but not moves.
   One "hot" item takes a share of the lines so that its stock card has
   1,000+ rows;
3. first build of the read models (``catch_up``, reported, not a target) and
   a check that on hand equals the plan's model for every item/warehouse;
4. rebuild: ``runner.reset()`` + ``runner.catch_up()`` -> ``rebuild_events_per_s``;
5. reads: ``on_hand(item=<random item>)`` many times -> ``onhand_query_ms_p50``;
   ``stock_card(<hot item>, first=1000)`` -> ``stock_card_query_ms_p50``.
   Each sample checks a connection out of the engine's pool, as a request would.

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the method and the recorded results.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.runtime import Runtime  # noqa: E402
from bench.ledger import BENCH_CLOCK, fresh_store, say  # noqa: E402
from domain.catalog.items import ItemSpec, ItemType  # noqa: E402
from domain.commands import CommandContext  # noqa: E402
from domain.inventory.handlers import (  # noqa: E402
    AdjustmentLineInput,
    CountLineInput,
    TransferLineInput,
)
from domain.orders import MoveLineInput, OrderLineInput  # noqa: E402
from domain.parties import PartyRole, PartySpec, uscc_check_char  # noqa: E402
from projections import inventory_queries as iq  # noqa: E402
from projections.tables import stock_moves  # noqa: E402

YEAR = 2026
WAREHOUSES = ("WH-A", "WH-B", "WH-C")
SUPPLIERS = 5
CUSTOMERS = 5
STOCK_CARD_PAGE = 1000
HOT_ROWS_WANTED = 1200  # stock-card rows the hot item should get (>= one page)
# Share of movement lines per kind; operations are drawn so the lines come out so.
LINE_MIX = {"receipt": 0.30, "shipment": 0.25, "transfer": 0.20,
            "adjust_in": 0.07, "adjust_out": 0.13, "count": 0.05}
AVG_LINES = {"receipt": 3.5, "shipment": 2.0, "transfer": 1, "adjust_in": 1,
             "adjust_out": 1, "count": 3.0}


def uscc(n: int) -> str:
    first17 = f"91350100M{n:08d}"
    return first17 + uscc_check_char(first17)


# -- the plan ------------------------------------------------------------------------
@dataclass
class Op:
    kind: str
    day: date
    lines: list  # inputs for the use case (order lines, transfer lines, ...)
    party: str = ""
    warehouse: str = ""  # counts
    moves: int = 0
    commands: int = 1


@dataclass
class Book:
    """What the bench expects on hand, to plan only valid movements."""

    qty: dict[tuple[str, str], int] = field(default_factory=dict)
    stocked: dict[str, list[str]] = field(default_factory=lambda: {w: [] for w in WAREHOUSES})
    _where: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, item: str, wh: str, delta: int) -> None:
        before = self.qty.get((item, wh), 0)
        after = before + delta
        assert after >= 0, (item, wh, before, delta)
        self.qty[(item, wh)] = after
        if before == 0 and after > 0:
            self._where[(item, wh)] = len(self.stocked[wh])
            self.stocked[wh].append(item)
        elif before > 0 and after == 0:  # swap-remove
            lst, i = self.stocked[wh], self._where.pop((item, wh))
            last = lst.pop()
            if last != item:
                lst[i] = last
                self._where[(last, wh)] = i

    def get(self, item: str, wh: str) -> int:
        return self.qty.get((item, wh), 0)


class Planner:
    def __init__(self, rng: random.Random, items: list[str], costs: dict[str, Decimal],
                 moves: int, hot_share: float) -> None:
        self.rng, self.items, self.costs = rng, items, costs
        self.hot = items[0]
        self.hot_share = hot_share
        self.total = moves
        self.book = Book()
        kinds = list(LINE_MIX)
        self.kinds = kinds
        self.weights = [LINE_MIX[k] / AVG_LINES[k] for k in kinds]

    def pick_item(self) -> str:
        if self.rng.random() < self.hot_share:
            return self.hot
        return self.rng.choice(self.items)

    def pick_stocked(self, wh: str) -> str | None:
        if self.rng.random() < self.hot_share and self.book.get(self.hot, wh) > 0:
            return self.hot
        lst = self.book.stocked[wh]
        return self.rng.choice(lst) if lst else None

    def distinct(self, k: int, pick) -> list[str]:
        out: list[str] = []
        for _ in range(k * 3):
            code = pick()
            if code is not None and code not in out:
                out.append(code)
            if len(out) == k:
                break
        return out

    def plan(self) -> list[Op]:
        ops: list[Op] = []
        done = 0
        while done < self.total:
            day = date(YEAR, 1, 1) + timedelta(days=min(363, 364 * done // self.total))
            kind = self.rng.choices(self.kinds, self.weights)[0]
            op = getattr(self, f"_{kind}")(day, self.total - done)
            if op is None:  # nothing on hand to issue yet: stock in instead
                op = self._adjust_in(day, self.total - done)
            ops.append(op)
            done += op.moves
        return ops

    def _receipt(self, day: date, left: int) -> Op:
        codes = self.distinct(min(left, self.rng.randint(2, 5)), self.pick_item)
        lines = []
        for code in codes:
            wh = self.rng.choice(WAREHOUSES)
            qty = self.rng.randint(10, 200)
            price = (self.costs[code] * Decimal(self.rng.randint(90, 110)) / 100).quantize(
                Decimal("0.01"))
            lines.append(OrderLineInput(code, str(qty), str(price), day, warehouse=wh))
            self.book.add(code, wh, qty)
        return Op("receipt", day, lines, party=f"SUP-{self.rng.randint(1, SUPPLIERS):02d}",
                  moves=len(lines), commands=3)

    def _shipment(self, day: date, left: int) -> Op | None:
        wh = self.rng.choice(WAREHOUSES)
        codes = self.distinct(min(left, self.rng.randint(1, 3)), lambda: self.pick_stocked(wh))
        if not codes:
            return None
        lines = []
        for code in codes:
            qty = self.rng.randint(1, min(self.book.get(code, wh), 40))
            price = (self.costs[code] * Decimal("1.4")).quantize(Decimal("0.01"))
            lines.append(OrderLineInput(code, str(qty), str(price), day, warehouse=wh))
            self.book.add(code, wh, -qty)
        return Op("shipment", day, lines, party=f"CUS-{self.rng.randint(1, CUSTOMERS):02d}",
                  moves=len(lines), commands=3)

    def _transfer(self, day: date, left: int) -> Op | None:
        src, dst = self.rng.sample(WAREHOUSES, 2)
        code = self.pick_stocked(src)
        if code is None:
            return None
        qty = self.rng.randint(1, min(self.book.get(code, src), 50))
        self.book.add(code, src, -qty)
        self.book.add(code, dst, qty)
        return Op("transfer", day, [TransferLineInput(code, str(qty), src, dst)], moves=1)

    def _adjust_in(self, day: date, left: int) -> Op:
        code, wh = self.pick_item(), self.rng.choice(WAREHOUSES)
        qty = self.rng.randint(1, 100)
        self.book.add(code, wh, qty)
        return Op("adjust_in", day, [AdjustmentLineInput(code, wh, str(qty))], moves=1)

    def _adjust_out(self, day: date, left: int) -> Op | None:
        wh = self.rng.choice(WAREHOUSES)
        code = self.pick_stocked(wh)
        if code is None:
            return None
        qty = self.rng.randint(1, min(self.book.get(code, wh), 20))
        self.book.add(code, wh, -qty)
        return Op("adjust_out", day, [AdjustmentLineInput(code, wh, str(-qty))], moves=1)

    def _count(self, day: date, left: int) -> Op:
        wh = self.rng.choice(WAREHOUSES)
        codes = self.distinct(min(left, self.rng.randint(1, 5)), self.pick_item)
        lines = []
        for code in codes:
            book = self.book.get(code, wh)
            delta = self.rng.choice((-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))
            if book + delta < 0:
                delta = -delta
            lines.append(CountLineInput(code, str(book + delta)))
            self.book.add(code, wh, delta)
        return Op("count", day, lines, warehouse=wh, moves=len(lines))


# -- running it ------------------------------------------------------------------------
class Driver:
    def __init__(self, app, run: str) -> None:
        self.app, self.run, self.n = app, run, 0

    def ctx(self) -> CommandContext:
        self.n += 1
        return CommandContext(actor="bench", idempotency_key=f"inv-{self.run}-{self.n:08d}")

    def execute(self, op: Op) -> None:
        app = self.app
        if op.kind == "receipt":
            number = app.create_purchase_order(op.party, op.day, op.lines,
                                               ctx=self.ctx()).value.number
            app.confirm_purchase_order(number, ctx=self.ctx())
            app.receive_purchase_order(number, op.day,
                                       [MoveLineInput(i + 1, ln.qty)
                                        for i, ln in enumerate(op.lines)], ctx=self.ctx())
        elif op.kind == "shipment":
            number = app.create_sales_order(op.party, op.day, op.lines,
                                            ctx=self.ctx()).value.number
            app.confirm_sales_order(number, ctx=self.ctx())
            app.ship_sales_order(number, op.day,
                                 [MoveLineInput(i + 1, ln.qty) for i, ln in enumerate(op.lines)],
                                 ctx=self.ctx())
        elif op.kind == "transfer":
            app.transfer_stock(op.day, op.lines, ctx=self.ctx())
        elif op.kind in ("adjust_in", "adjust_out"):
            app.adjust_stock(op.day, op.lines, reason="bench", ctx=self.ctx())
        elif op.kind == "count":
            app.count_stock(op.day, op.warehouse, op.lines, ctx=self.ctx())
        else:  # pragma: no cover
            raise ValueError(op.kind)


def master_data(rt: Runtime, items: int, rng: random.Random) -> tuple[list[str], dict]:
    app = rt.app
    d = Driver(app, "md-" + uuid.uuid4().hex[:8])
    for month in range(1, 13):
        app.open_period(f"{YEAR}-{month:02d}", ctx=d.ctx())
    for wh in WAREHOUSES:
        app.create_warehouse(wh, f"bench warehouse {wh}", ["A1", "A2"], ctx=d.ctx())
    codes, costs = [], {}
    types = (ItemType.RAW, ItemType.RAW, ItemType.SEMI_FINISHED, ItemType.FINISHED,
             ItemType.CONSUMABLE)
    for i in range(items):
        code = f"ITEM-{i:05d}"
        cost = Decimal(rng.randint(50, 50_000)) / 100
        app.create_item(ItemSpec(code, f"bench item {i}", "pcs", types[i % len(types)],
                                 standard_cost=cost, default_warehouse=WAREHOUSES[i % 3]),
                        ctx=d.ctx())
        codes.append(code)
        costs[code] = cost
    for n in range(1, SUPPLIERS + 1):
        app.register_party(PartySpec(f"SUP-{n:02d}", f"bench supplier {n}",
                                     (PartyRole.SUPPLIER,), uscc(n)), ctx=d.ctx())
    for n in range(1, CUSTOMERS + 1):
        app.register_party(PartySpec(f"CUS-{n:02d}", f"bench customer {n}",
                                     (PartyRole.CUSTOMER,), uscc(100 + n)), ctx=d.ctx())
    return codes, costs


def run_moves(rt: Runtime, ops: list[Op], total_moves: int) -> tuple[float, int]:
    driver = Driver(rt.app, uuid.uuid4().hex[:8])
    step = max(1, total_moves // 10)
    done = shown = commands = 0
    started = time.perf_counter()
    for op in ops:
        driver.execute(op)
        done += op.moves
        commands += op.commands
        if done - shown >= step:
            shown = done
            elapsed = time.perf_counter() - started
            say(f"moved {done}/{total_moves} ({done / elapsed:,.0f} moves/s, "
                f"{commands / elapsed:,.0f} commands/s)")
    return time.perf_counter() - started, commands


def check_on_hand(rt: Runtime, book: Book) -> None:
    """The read model agrees with the plan's book, item by item (untimed)."""
    with rt.read() as conn:
        rows = iq.on_hand(conn, include_zero=True)
    got = {(r.item, r.warehouse): r.qty for r in rows}
    bad = [(k, q, got.get(k)) for k, q in book.qty.items() if Decimal(q) != got.get(k, 0)]
    if bad:
        raise SystemExit(f"on hand differs from the plan for {len(bad)} stocks, e.g. {bad[:3]}")


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


def timed_ms(rt: Runtime, call, samples: int) -> list[float]:
    out = []
    for arg in samples:
        started = time.perf_counter()
        with rt.read() as conn:
            call(conn, arg)
        out.append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--moves", type=int, default=50000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="2000 moves, a few seconds")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--onhand-samples", type=int, default=2000)
    parser.add_argument("--card-samples", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="projection batch size (default: the runner's)")
    args = parser.parse_args(argv)
    moves = 2000 if args.quick else args.moves
    if moves < 1 or args.items < 2:
        parser.error("--moves must be positive and --items at least 2")
    # The hot item gets its 1,000+ stock-card rows at the default size with a
    # 4 % share; small runs raise the share (at most half the lines).
    hot_share = min(0.5, max(0.04, HOT_ROWS_WANTED / moves))

    rng = random.Random(args.seed)
    say(f"store={args.store} moves={moves} items={args.items} warehouses={len(WAREHOUSES)} "
        f"hot_share={hot_share:.2f}")
    with fresh_store(args.store, "inventory") as config:
        rt = Runtime(config, batch_size=args.batch_size, clock=BENCH_CLOCK)
        try:
            started = time.perf_counter()
            items, costs = master_data(rt, args.items, rng)
            say(f"master data: {time.perf_counter() - started:.1f} s")

            planner = Planner(rng, items, costs, moves, hot_share)
            ops = planner.plan()
            mix = Counter()
            for op in ops:
                mix[op.kind] += op.moves
            say("plan: " + ", ".join(f"{k} {v}" for k, v in sorted(mix.items()))
                + f"; {len(ops)} operations")

            start_pos = rt.app.log_position()
            elapsed, commands = run_moves(rt, ops, moves)
            moves_per_s, commands_per_s = moves / elapsed, commands / elapsed
            events = rt.app.log_position()
            say(f"movements: {moves_per_s:,.0f} moves/s, {commands_per_s:,.0f} commands/s; "
                f"{events - start_pos} events written, log holds {events}")

            started = time.perf_counter()
            rt.runner.catch_up()
            first_build_per_s = events / (time.perf_counter() - started)
            say(f"first build: {first_build_per_s:,.0f} events/s")
            check_on_hand(rt, planner.book)
            say("on hand equals the plan's book for every item and warehouse")

            applied, rebuild_per_s = rebuild(rt, events)
            say(f"rebuild (reset + catch_up): {applied} events, {rebuild_per_s:,.0f}/s")
            check_on_hand(rt, planner.book)

            hot = planner.hot
            with rt.read() as conn:
                card_rows = conn.execute(select(func.count()).select_from(stock_moves)
                                         .where(stock_moves.c.item == hot)).scalar()
            say(f"hot item {hot}: {card_rows} stock-card rows")

            qrng = random.Random(args.seed + 1)
            picks = [qrng.choice(items) for _ in range(args.onhand_samples)]
            timed_ms(rt, lambda c, it: iq.on_hand(c, item=it), picks[:50])  # warm up
            onhand = timed_ms(rt, lambda c, it: iq.on_hand(c, item=it), picks)

            def card(conn, _):
                page = iq.stock_card(conn, hot, first=STOCK_CARD_PAGE)
                assert len(page.rows) == min(card_rows, STOCK_CARD_PAGE)

            timed_ms(rt, card, range(5))  # warm up
            cards = timed_ms(rt, card, range(args.card_samples))
            say(f"on_hand(item): p50 {statistics.median(onhand):.2f} ms, "
                f"p95 {pct(onhand, 0.95):.2f} ms over {len(onhand)}")
            say(f"stock_card(hot, first={STOCK_CARD_PAGE}): p50 {statistics.median(cards):.2f} ms,"
                f" p95 {pct(cards, 0.95):.2f} ms over {len(cards)}")
            batch_size = rt.runner.batch_size
        finally:
            rt.close()

    from importlib.metadata import version

    result = {
        "store": args.store,
        "moves": moves,
        "items": args.items,
        "warehouses": len(WAREHOUSES),
        "moves_per_s": round(moves_per_s, 1),
        "commands_per_s": round(commands_per_s, 1),
        "rebuild_events_per_s": round(rebuild_per_s, 1),
        "onhand_query_ms_p50": round(statistics.median(onhand), 3),
        "stock_card_query_ms_p50": round(statistics.median(cards), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "commands": commands,
        "movement_seconds": round(elapsed, 1),
        "mix": dict(sorted(mix.items())),
        "events": events,
        "rebuild_events": applied,
        "first_build_events_per_s": round(first_build_per_s, 1),
        "onhand_query_ms_p95": round(pct(onhand, 0.95), 3),
        "stock_card_query_ms_p95": round(pct(cards, 0.95), 3),
        "stock_card_rows": card_rows,
        "stock_card_page": STOCK_CARD_PAGE,
        "hot_share": round(hot_share, 3),
        "batch_size": batch_size,
        "seed": args.seed,
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "sqlalchemy": version("sqlalchemy"),
        "psycopg": version("psycopg"),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
