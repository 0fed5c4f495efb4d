#!/usr/bin/env python
"""Backdated receipt benchmark: one receipt dated before 100,000 later
movements of the same item, settled without reposting (issue #15).

    bench/backdate.py [--store sqlite|postgres] [--moves N] [--repeat R]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. master data (untimed): November 2026 open, one warehouse, steel wire and a
   bolt blank made of it (BOM, routing), two released work orders, and an
   opening stock of steel on 2 Nov;
2. N later movements of the steel (default 100,000), dated 4-28 Nov, built
   through the use cases but cheaply: documents of 500 lines each (the most a
   stock document takes), one command per document. Every tenth document is
   a material issue to one of the open work orders; the others are stock
   adjustments (``adjust_stock``) alternating 250 lines in, at prices that
   vary, and 250 out (to 5401, like shipments). Every line is one
   ``StockBalance`` movement with its voucher line, exactly as a command of
   one line would make it;
3. the measured command, R times (default 3): a stock adjustment of 100 kg
   at 6.50 dated 3 Nov, i.e. before all N movements -> ``backdate_ms``
   (median, wall time of the whole command: role check, load, decide, save).
   The balance is loaded and cached by the application, as it is in a
   running server; ``cold_backdate_ms`` is the same command on a new
   application instance that first replays the balance's N events from the
   store (what a restart costs once);
4. the proof: stock value = 1403's net (the period's nets, from the
   vouchers) and the work orders' WIP = 400101's net, after every receipt.

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the recorded results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ledger import fresh_store, say  # noqa: E402
from domain.application import FactoryLedger  # noqa: E402
from domain.catalog.engineering import WorkCenterSpec  # noqa: E402
from domain.catalog.items import ItemSpec, ItemType  # noqa: E402
from domain.clock import fixed_clock  # noqa: E402
from domain.inventory.handlers import AdjustmentLineInput  # noqa: E402
from domain.inventory.stock import stock_id  # noqa: E402
from domain.ledger.periods import period_id  # noqa: E402
from domain.production.inputs import BomLineInput, MaterialLineInput, OperationInput  # noqa: E402
from domain.production.work_orders import work_order_id  # noqa: E402

CLOCK = fixed_clock(datetime(2026, 11, 30, 4, tzinfo=UTC))
LINES = 500
STEEL, WH = "RM-STEEL", "WH-RM"


def setup(app: FactoryLedger) -> list[str]:
    app.open_period("2026-11")
    app.create_warehouse(WH, "原料库 raw materials", ["A1"])
    app.create_warehouse("WH-FG", "成品库 finished goods", ["F1"])
    app.create_item(ItemSpec(STEEL, "钢线材 steel wire", "kg", ItemType.RAW,
                             default_warehouse=WH))
    app.create_item(ItemSpec("SA-BLANK", "螺栓半成品 bolt blank", "pcs",
                             ItemType.SEMI_FINISHED, default_warehouse="WH-FG"))
    start = date(2026, 11, 1)
    app.define_work_center(WorkCenterSpec("WC-HEAD", "冷镦机 cold header", 1, Decimal("40"),
                                          Decimal("20")))
    app.save_bom("SA-BLANK", "V1", start, [BomLineInput(STEEL, "0.05")])
    app.save_routing("SA-BLANK", "V1", start, [OperationInput("OP10", "WC-HEAD", "0.002")])
    app.adjust_stock(date(2026, 11, 2), [AdjustmentLineInput(STEEL, WH, "1000000", "5.00")],
                     "1901", "opening stock")
    orders = []
    for _ in range(2):
        wo = app.create_work_order("SA-BLANK", "100000", date(2026, 12, 31),
                                   date(2026, 11, 3)).value.number
        app.release_work_order(wo)
        orders.append(wo)
    return orders


def later_movements(app: FactoryLedger, orders: list[str], moves: int) -> float:
    """``moves`` movement lines dated 4-28 Nov, 500 to a command; seconds taken."""
    started = time.perf_counter()
    docs = max(1, moves // LINES)
    for n in range(docs):
        day = date(2026, 11, 4) + timedelta(days=n * 25 // docs)
        if n % 10 == 9:
            app.issue_material(orders[n % 2], day,
                               [MaterialLineInput(1, "1") for _ in range(LINES)], "bench")
        else:
            price = Decimal("5.00") + Decimal(n % 7) / 10
            app.adjust_stock(day, [
                AdjustmentLineInput(STEEL, WH, "1", str(price)) if i % 2 == 0
                else AdjustmentLineInput(STEEL, WH, "-1") for i in range(LINES)],
                "5401", "bench movements")
        if n % 20 == 19:
            say(f"{(n + 1) * LINES} movements")
    return time.perf_counter() - started


def proof(app: FactoryLedger, orders: list[str]) -> dict[str, str]:
    """Stock value against 1403, WIP against 400101 (the period's nets)."""
    balance = app.repository.get(stock_id(STEEL, WH))
    period = app.repository.get(period_id("2026-11"))
    wip = sum((app.repository.get(work_order_id(n)).wip.total for n in orders),
              Decimal("0.00"))
    return {"stock_qty": str(balance.qty), "stock_value": str(balance.value),
            "gl_1403": str(period.net("1403")), "wip": str(wip),
            "gl_400101": str(period.net("400101"))}


def backdated_receipt(app: FactoryLedger) -> float:
    started = time.perf_counter()
    app.adjust_stock(date(2026, 11, 3), [AdjustmentLineInput(STEEL, WH, "100", "6.50")],
                     "1901", "late receipt, dated 3 Nov")
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--moves", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    say(f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {open('/proc/loadavg').read().strip()}")
    with fresh_store(args.store, "backdate") as config:
        app = FactoryLedger(config, clock=CLOCK)
        orders = setup(app)
        build_s = later_movements(app, orders, args.moves)
        say(f"built {args.moves} later movements in {build_s:.0f} s")
        times = [backdated_receipt(app) for _ in range(args.repeat)]
        warm = proof(app, orders)
        cold_app = FactoryLedger(config, clock=CLOCK)
        cold_ms = backdated_receipt(cold_app)
        cold = proof(cold_app, orders)
        ok = (warm["stock_value"] == warm["gl_1403"] and warm["wip"] == warm["gl_400101"]
              and cold["stock_value"] == cold["gl_1403"] and cold["wip"] == cold["gl_400101"])
        result = {
            "store": args.store,
            "later_movements": args.moves,
            "build_seconds": round(build_s, 1),
            "backdate_ms": round(statistics.median(times), 1),
            "backdate_ms_runs": [round(t, 1) for t in times],
            "cold_backdate_ms": round(cold_ms, 1),
            "balances": cold,
            "balances_hold": ok,
            "loadavg": open("/proc/loadavg").read().split()[:3],
        }
        say(f"backdate_ms {result['backdate_ms']} (target < 1000), cold {cold_ms:.0f} ms; "
            f"stock {cold['stock_value']} = 1403 {cold['gl_1403']}, "
            f"WIP {cold['wip']} = 400101 {cold['gl_400101']}: "
            f"{'hold' if ok else 'DO NOT HOLD'}")
        print(json.dumps(result))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
