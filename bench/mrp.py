#!/usr/bin/env python
"""MRP and scheduling benchmark over a synthetic company held in memory.

    bench/mrp.py [--items 10000] [--levels 5] [--demands 20000]
                 [--work-centers 50] [--ops 5000] [--seed 42] [--quick]

No database is involved: ``domain.planning.mrp.plan`` and
``domain.planning.scheduling.schedule`` are pure functions over snapshots, so
the bench builds the snapshot (``domain.planning.model.Snapshot``) directly.

1. company (untimed): ``--items`` items in ``--levels`` BOM levels (finished
   goods at level 0 with 3-6 components from lower levels, semi-finished
   items with 2-5, shared components used at several levels, bought raw
   materials at the bottom), lead times 0-10 working days, some fixed and
   min/multiple lot sizes, some safety stocks, yields 0.95-1; on hand, open
   purchase orders and open work orders (with their component demand);
   ``--demands`` sales order lines and forecasts over 3 months; routings of
   1-4 operations over ``--work-centers`` work centers;
2. MRP (timed): ``plan(snapshot)``, wall clock, best of ``--repeat`` runs
   (default 3) -> ``mrp_seconds``; at the very end one untimed run under
   ``tracemalloc`` -> ``mrp_tracemalloc_peak_mb`` (Python heap allocated by
   the call only);
3. scheduling (timed): ``--ops`` operations from the routings of a seeded
   random sample of the planned work orders, in release-date order (synthetic
   orders only if MRP planned too few), on the work centers (Mon-Fri 08:00-16:00, capacity 1-3),
   ``schedule(..., mode="heuristic")``, wall clock, best of ``--repeat`` ->
   ``schedule_seconds``;
4. ``peak_rss_mb``: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the
   whole process after steps 1-3 (snapshot, three MRP results in turn,
   scheduling); the tracemalloc run comes last because tracing inflates the
   RSS (``peak_rss_incl_tracemalloc_run_mb``).

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the method and the recorded results.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.planning.model import (  # noqa: E402
    Calendar,
    Component,
    Demand,
    PlanItem,
    Snapshot,
    Supply,
)
from domain.planning.mrp import plan  # noqa: E402

TODAY = date(2026, 11, 2)  # a Monday
HORIZON_DAYS = 91  # demand over 3 months
HOLIDAYS = frozenset({date(2026, 12, 25), date(2027, 1, 1)})
TARGETS = {"mrp_seconds": 5.0, "peak_rss_mb": 1024.0, "schedule_seconds": 5.0}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class RoutingOp:
    op_no: int
    work_center: str
    setup_hours: float
    run_hours: float  # per unit


@dataclass
class Company:
    snapshot: Snapshot
    routings: dict[str, tuple[RoutingOp, ...]]
    work_centers: list[tuple[str, int]]  # (code, capacity)
    level_of: dict[str, int]
    stats: dict


def dec(x: float, places: int = 2) -> Decimal:
    return Decimal(f"{x:.{places}f}")


# -- 1. the synthetic company ----------------------------------------------------
def level_sizes(items: int, levels: int) -> list[int]:
    """Items per BOM level 0..levels-1: a pyramid wider at the bottom."""
    if levels == 1:
        return [items]
    weights = [1.0 + 0.35 * lvl for lvl in range(levels - 1)] + [2.2]  # raw level widest
    total = sum(weights)
    sizes = [max(1, int(items * w / total)) for w in weights]
    sizes[-1] += items - sum(sizes)
    return sizes


def build_company(n_items: int, levels: int, n_demands: int, n_wc: int, seed: int) -> Company:
    rng = random.Random(seed)
    sizes = level_sizes(n_items, levels)
    by_level: list[list[str]] = []
    level_of: dict[str, int] = {}
    prefix = {0: "FG"}
    for lvl, size in enumerate(sizes):
        tag = prefix.get(lvl, "RM" if lvl == levels - 1 else f"SA{lvl}")
        codes = [f"{tag}-{i:05d}" for i in range(size)]
        by_level.append(codes)
        for c in codes:
            level_of[c] = lvl
    # Shared components: a pool of low-level items (10 % of levels >= 2) that
    # BOMs at every level above may use, so their low-level code is the deepest use.
    shared = [c for lvl in range(2, levels) for c in by_level[lvl] if rng.random() < 0.10]

    work_centers = [(f"WC-{i:03d}", rng.randint(1, 3)) for i in range(n_wc)]
    items: dict[str, PlanItem] = {}
    routings: dict[str, tuple[RoutingOp, ...]] = {}
    lot_rules = Counter()
    for lvl, codes in enumerate(by_level):
        is_raw = lvl == levels - 1 and levels > 1
        for code in codes:
            components: tuple[Component, ...] = ()
            if not is_raw:
                n_comp = rng.randint(3, 6) if lvl == 0 else rng.randint(2, 5)
                chosen: dict[str, Component] = {}
                while len(chosen) < n_comp:
                    r = rng.random()
                    if r < 0.20 and shared:
                        pick = rng.choice(shared)
                        if level_of[pick] <= lvl:
                            continue
                    elif r < 0.75:  # the next level down
                        pick = rng.choice(by_level[lvl + 1])
                    else:  # any lower level, raw materials included
                        pick = rng.choice(by_level[rng.randint(lvl + 1, levels - 1)])
                    qty_per = rng.choice((1, 1, 1, 2, 2, 3, 4, 0.5, 0.25, 1.5))
                    scrap = dec(rng.choice((0, 0, 0, 0.01, 0.02)))
                    chosen[pick] = Component(pick, dec(qty_per), scrap)
                components = tuple(chosen.values())
                n_ops = rng.randint(1, 4)
                wcs = rng.sample(work_centers, n_ops)
                routings[code] = tuple(
                    RoutingOp(10 * (k + 1), wc, round(rng.uniform(0.1, 1.0), 2),
                              round(rng.uniform(0.0005, 0.005), 5))
                    for k, (wc, _cap) in enumerate(wcs))
            items[code] = PlanItem(code=code, make=not is_raw, components=components)

    # Planning data. Lot sizes are set the way a planner would, from the usage
    # over the horizon (independent demand exploded through the BOMs, ~1.7
    # demand lines per finished item per week): lot-for-lot mostly for finished
    # goods, fixed lots or min/multiple (a few orders per quarter) more often for
    # components and raw materials.
    expected = expected_usage(items, by_level, n_demands)
    for lvl, codes in enumerate(by_level):
        l4l_share = (0.6, 0.3, 0.3, 0.3, 0.2)[min(lvl, 4)] if lvl < levels - 1 else 0.2
        for code in codes:
            item = items[code]
            usage = max(expected.get(code, 0.0), 10.0)
            r = rng.random()
            if r < l4l_share:
                rule, lot, mult = "lot_for_lot", Decimal(0), Decimal(0)
            elif r < l4l_share + (1 - l4l_share) / 2:
                rule, lot, mult = "fixed", nice(usage / rng.randint(3, 8)), Decimal(0)
            else:
                rule = "min_multiple"
                lot = nice(usage / rng.randint(4, 10))
                mult = Decimal(rng.choice((5, 10, 25)))
            lot_rules[rule] += 1
            safety = nice(usage / rng.randint(20, 40)) if rng.random() < 0.25 else Decimal(0)
            yield_factor = dec(rng.uniform(0.95, 1.0), 3) if item.make and rng.random() < 0.4 \
                else Decimal(1)
            items[code] = PlanItem(
                code=code, make=item.make, lead_time_days=rng.randint(0, 10),
                lot_size_rule=rule, lot_size=lot, lot_multiple=mult,
                safety_stock=safety, yield_factor=yield_factor, components=item.components)

    on_hand = {code: Decimal(rng.randint(1, 500)) for code in items if rng.random() < 0.5}

    def some_day(lo: int, hi: int) -> date:
        return TODAY + timedelta(days=rng.randint(lo, hi))

    supplies: list[Supply] = []
    wo_demands: list[Demand] = []
    raw = by_level[-1] if levels > 1 else []
    for i, code in enumerate(rng.sample(raw, len(raw) // 4)):
        for line in range(rng.randint(1, 2)):
            supplies.append(Supply(f"PO-{i:06d}/{line + 1}", code, Decimal(rng.randint(50, 2000)),
                                   some_day(-5, 40), "purchase"))
    make_codes = [c for c in items if items[c].make]
    for i, code in enumerate(rng.sample(make_codes, len(make_codes) // 10)):
        wo = f"WO-{i:06d}"
        qty = Decimal(rng.randint(10, 300))
        due = some_day(-3, 30)
        supplies.append(Supply(wo, code, qty, due, "work_order"))
        # components not yet issued to the open work order
        if rng.random() < 0.6:
            for k, comp in enumerate(items[code].components, start=1):
                wo_demands.append(Demand(f"{wo}/{k}", comp.item, qty * comp.qty_per,
                                         due - timedelta(days=7), "work_order"))

    # Independent demand: 60 % sales order lines, 40 % forecasts, on finished
    # goods (95 %) and service parts (5 %, semi-finished items), over 3 months.
    n_forecast = int(n_demands * 0.4)
    n_sales = n_demands - n_forecast
    finished = by_level[0]
    service = [c for lvl in range(1, levels - 1) for c in by_level[lvl]] or finished

    def demand_item() -> str:
        return rng.choice(finished) if rng.random() < 0.95 else rng.choice(service)

    sales = [Demand(f"SO-{i // 4:06d}/{i % 4 + 1}", demand_item(), Decimal(rng.randint(1, 100)),
                    some_day(-3, HORIZON_DAYS), "sales") for i in range(n_sales)]
    # forecasts: one line per item and week, the 1st-13th week of the horizon
    forecast_keys: set[tuple[str, int]] = set()
    while len(forecast_keys) < n_forecast:
        forecast_keys.add((demand_item(), rng.randint(0, 12)))
    forecasts = [Demand(f"FC:{code}:W{week:02d}", code, Decimal(rng.randint(10, 400)),
                        TODAY + timedelta(days=7 * week + 4), "forecast")
                 for code, week in sorted(forecast_keys)]

    snapshot = Snapshot(today=TODAY, items=items, on_hand=on_hand,
                        demands=tuple(sales + wo_demands), supplies=tuple(supplies),
                        forecasts=tuple(forecasts), calendar=Calendar(holidays=HOLIDAYS))
    stats = {
        "items_per_level": sizes,
        "make_items": len(make_codes),
        "bom_lines": sum(len(i.components) for i in items.values()),
        "shared_components": len(shared),
        "lot_rules": dict(lot_rules),
        "safety_stock_items": sum(1 for i in items.values() if i.safety_stock > 0),
        "on_hand_items": len(on_hand),
        "purchase_lines": sum(1 for s in supplies if s.kind == "purchase"),
        "open_work_orders": sum(1 for s in supplies if s.kind == "work_order"),
        "sales_lines": len(sales),
        "forecast_lines": len(forecasts),
        "wo_component_demands": len(wo_demands),
        "routing_ops": sum(len(r) for r in routings.values()),
    }
    return Company(snapshot, routings, work_centers, level_of, stats)


def nice(x: float) -> Decimal:
    """Round a quantity up to 2 significant digits (250, 1,300, 48)."""
    if x <= 10:
        return Decimal(10)
    magnitude = 10 ** (len(str(int(x))) - 2)
    return Decimal(-(-int(x) // magnitude) * magnitude)


def expected_usage(items: dict[str, PlanItem], by_level: list[list[str]], n_demands: int
                   ) -> dict[str, float]:
    """Rough gross usage over the horizon: independent demand spread evenly on the
    finished goods (mean line 50 to 200 units), exploded level by level."""
    per_fg = n_demands * 120.0 / max(1, len(by_level[0]))
    usage = {code: per_fg for code in by_level[0]}
    for codes in by_level:
        for code in codes:
            for comp in items[code].components:
                usage[comp.item] = usage.get(comp.item, 0.0) + usage.get(code, 0.0) * float(
                    comp.qty_per)
    return usage


# -- 2. MRP ----------------------------------------------------------------------
def time_call(fn, repeat: int):
    """(best seconds, all seconds, last result) over ``repeat`` wall-clock runs."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), times, result


# -- 3. scheduling ---------------------------------------------------------------
def build_operations(company: Company, planned, n_ops: int, rng: random.Random):
    """Operations of a sample of the planned work orders, by release date."""
    from domain.planning.scheduling import SchedOperation

    ops = []
    # A seeded random sample of the planned work orders (whole routings), loaded
    # in release-date order: the load spreads over the horizon like the plan's.
    make_orders = [p for p in planned if p.kind == "make"]
    make_orders = sorted(rng.sample(make_orders, min(len(make_orders), n_ops)),
                         key=lambda p: (p.release_date, p.id))
    synthetic = 0
    orders = iter(make_orders)
    while len(ops) < n_ops:
        order = next(orders, None)
        if order is None:  # MRP planned too few: synthetic orders on random routings
            synthetic += 1
            code = rng.choice(list(company.routings))
            order_id, qty = f"SYN-{synthetic:05d}", Decimal(rng.randint(10, 300))
            release = TODAY + timedelta(days=rng.randint(0, 30))
            due = release + timedelta(days=rng.randint(3, 15))
        else:
            code, order_id, qty = order.item, order.id, order.qty
            release, due = max(order.release_date, TODAY), order.need_date
        ready_at = datetime.combine(release, dtime(8, 0))
        for seq, rop in enumerate(company.routings[code], start=1):
            if len(ops) == n_ops:
                break
            hours = min(16.0, max(0.25, rop.setup_hours + float(qty) * rop.run_hours))
            ops.append(SchedOperation(
                order=order_id, op_no=f"{rop.op_no:02d}", seq=seq, work_center=rop.work_center,
                hours=Decimal(f"{hours:.2f}"), due=due,
                material_ready=ready_at if seq == 1 else None))
    return ops, synthetic


def build_work_centers(company: Company):
    from domain.catalog.engineering import Shift
    from domain.planning.scheduling import SchedWorkCenter

    shifts = tuple(Shift(weekday, "08:00", "16:00") for weekday in range(5))
    return [SchedWorkCenter(code=code, capacity=cap, shifts=shifts, holidays=HOLIDAYS)
            for code, cap in company.work_centers]


# -- main ------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--levels", type=int, default=5)
    parser.add_argument("--demands", type=int, default=20000)
    parser.add_argument("--work-centers", type=int, default=50)
    parser.add_argument("--ops", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs of plan() and schedule(); the best is reported")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the extra untimed plan() run under tracemalloc")
    parser.add_argument("--quick", action="store_true",
                        help="1,000 items, 2,000 demands, 500 ops, single runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.items, args.demands, args.ops, args.repeat = 1000, 2000, 500, 1
    if args.levels < 2 or args.items < 10 * args.levels:
        parser.error("need --levels >= 2 and at least 10 items per level")

    say(f"items={args.items} levels={args.levels} demands={args.demands} "
        f"work_centers={args.work_centers} ops={args.ops} seed={args.seed} "
        f"repeat={args.repeat}")
    started = time.perf_counter()
    company = build_company(args.items, args.levels, args.demands, args.work_centers, args.seed)
    snap = company.snapshot
    say(f"company built in {time.perf_counter() - started:.1f} s: {company.stats}")
    rss_before_mrp = rss_mb()

    mrp_seconds, mrp_runs, result = time_call(lambda: plan(snap, "PL"), args.repeat)
    rss_after_mrp = rss_mb()
    kinds = Counter(p.kind for p in result.planned)
    exc_kinds = Counter(e.kind for e in result.exceptions)
    llc_max = max(result.low_level_codes.values())
    say(f"MRP: {len(result.planned)} planned orders {dict(kinds)}, "
        f"{len(result.exceptions)} exceptions {dict(exc_kinds)}, max low-level code {llc_max}; "
        f"runs {[round(t, 3) for t in mrp_runs]} s, best {mrp_seconds:.3f} s; "
        f"peak RSS {rss_before_mrp:.0f} MB before, {rss_after_mrp:.0f} MB after")

    schedule_seconds = late_orders = slots = synthetic = sched_runs = sched_orders = None
    n_ops = 0
    try:
        from domain.planning.scheduling import schedule
    except ImportError as exc:
        say(f"scheduling skipped: {exc}")
    else:
        rng = random.Random(args.seed + 1)
        ops, synthetic = build_operations(company, result.planned, args.ops, rng)
        n_ops = len(ops)
        wcs = build_work_centers(company)
        start = datetime.combine(TODAY, dtime(8, 0))
        say(f"scheduling {n_ops} operations ({synthetic} synthetic orders) "
            f"on {len(wcs)} work centers")
        schedule_seconds, sched_runs, sched = time_call(
            lambda: schedule(ops, wcs, start=start, mode="heuristic"), args.repeat)
        slots = len(sched.slots)
        sched_orders = len({op.order for op in ops})
        late_orders = len(sched.late)
        say(f"schedule: {slots} slots, {late_orders} of {sched_orders} orders late; "
            f"runs {[round(t, 3) for t in sched_runs]} s, best {schedule_seconds:.3f} s")

    peak_rss = rss_mb()  # before the tracemalloc run, which inflates the RSS
    tm_peak = None
    if not args.no_tracemalloc:
        prior = result
        result = None
        gc.collect()
        tracemalloc.start()
        result = plan(snap, "PL")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tm_peak = round(peak / 2**20, 1)
        assert len(result.planned) == len(prior.planned)
        del prior
        say(f"tracemalloc peak during one plan(): {tm_peak} MB")

    out = {
        "items": args.items,
        "levels": args.levels,
        "demands": args.demands,
        "planned_orders": len(result.planned),
        "exceptions": len(result.exceptions),
        "mrp_seconds": round(mrp_seconds, 3),
        "schedule_ops": n_ops,
        "schedule_seconds": None if schedule_seconds is None else round(schedule_seconds, 3),
        "late_orders": late_orders,
        "peak_rss_mb": round(peak_rss, 1),
        "peak_rss_incl_tracemalloc_run_mb": round(rss_mb(), 1),
        "timing": f"wall clock, best of {args.repeat}",
        "mrp_runs_s": [round(t, 3) for t in mrp_runs],
        "schedule_runs_s": None if sched_runs is None else [round(t, 3) for t in sched_runs],
        "rss_before_mrp_mb": round(rss_before_mrp, 1),
        "rss_after_mrp_mb": round(rss_after_mrp, 1),
        "mrp_tracemalloc_peak_mb": tm_peak,
        "max_low_level_code": llc_max,
        "planned_make": kinds.get("make", 0),
        "planned_buy": kinds.get("buy", 0),
        "exception_kinds": dict(exc_kinds),
        "schedule_slots": slots,
        "schedule_orders": sched_orders,
        "synthetic_orders": synthetic,
        "work_centers": args.work_centers,
        "seed": args.seed,
        **{k: v for k, v in company.stats.items() if k != "items_per_level"},
        "python": platform.python_version(),
    }
    met = {"mrp_seconds": out["mrp_seconds"] < TARGETS["mrp_seconds"],
           "peak_rss_mb": out["peak_rss_mb"] < TARGETS["peak_rss_mb"],
           "schedule_seconds": schedule_seconds is not None
           and schedule_seconds < TARGETS["schedule_seconds"]}
    out["targets_met"] = all(met.values())
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
