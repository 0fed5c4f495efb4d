#!/usr/bin/env python
"""Scale-out benchmark (PostgreSQL): 1, 2 and 4 API processes plus one
projector process, concurrent clients mixing scans, receipts and shipments.

    bench/scaleout.py [--processes 1,2,4] [--clients 16] [--seconds 60] [--seed 42]

For each process count, on a fresh schema in FACTORYLEDGER_BENCH_POSTGRES_URL:

1. master data as in bench/flow.py (untimed, application layer); then per
   client a purchase order of its own raw material (1,000,000, confirmed), a
   sales order of it (1,000,000, confirmed) and a released work order of
   sub-assembly SA-01A (100,000; its materials received up front);
2. the servers, as ``serve --workers N`` runs them: ``uvicorn
   api.app:create_app --factory --workers N`` with
   FACTORYLEDGER_PROJECTOR=external, beside one ``factoryledger project``;
3. the clients (threads, one keep-alive HTTP connection each) for --seconds:
   each request is, at random, a receipt of 1 on its purchase order, a
   shipment of 1 on its sales order (when it has received more than it
   shipped) or a scan of 1 good on OP10 of its work order. A refusal
   (Conflict after the store's own retries) is sent again with the same
   idempotency key; a command counts once the server confirmed it;
4. checks, once the projector has reached the end of the log: per client,
   the read models' received and shipped quantities and OP10 good equal its
   confirmed counts (nothing lost, nothing doubled); stock against GL 0.00;
   the trial balance balanced; ``verify`` (a replay from the log into a
   scratch schema) gives the same tables.

Prints one line per process count, then a JSON object (the LAST line).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.flow import (  # noqa: E402
    FLOW_CLOCK,
    PERIOD,
    AppDriver,
    Order,
    free_port,
    setup,
    workload,
)
from bench.ledger import fresh_store, say  # noqa: E402

DAY = date(2026, 11, 20)
BIG = 1_000_000
WO_QTY = 100_000
SUB = "SA-01A"

RECEIVE = """mutation R($input: ReceivePurchaseOrderInput!) { receivePurchaseOrder(input: $input) {
  __typename ... on Error { message } ... on ReceivePurchaseOrderSuccess { logPosition } } }"""
SHIP = """mutation S($input: ShipSalesOrderInput!) { shipSalesOrder(input: $input) {
  __typename ... on Error { message } ... on ShipSalesOrderSuccess { logPosition } } }"""
SCAN = """mutation C($input: ReportByScanInput!) { reportByScan(input: $input) {
  __typename ... on Error { message } ... on ReportByScanSuccess { logPosition } } }"""


@dataclass
class Client:
    index: int
    raw: str
    po: str
    so: str
    wo: str
    received: int = 0
    shipped: int = 0
    scanned: int = 0
    resent: int = 0
    position: int = 0
    errors: list[str] = field(default_factory=list)


def prepare(rt, clients: int, run: str) -> list[Client]:
    """Master data, then each client's orders (application layer)."""
    w = workload(1, 0, 42)
    setup(rt.app, w, run)
    d = AppDriver(rt, f"{run}-prep")
    sub_raws = {raw for raw, _ in w.sub_bom[SUB]}
    own = [r for r in sorted(w.raw_cost) if r not in sub_raws]
    if clients > len(own):
        raise SystemExit(f"at most {len(own)} clients (one raw material each)")
    for raw, per in w.sub_bom[SUB]:  # the work orders' materials, up front
        need = per * WO_QTY * clients
        po = d.purchase_order(w.raw_supplier[raw], DAY, raw, need, w.raw_cost[raw], DAY)
        d.confirm_purchase_order(po)
        d.receive(po, DAY, need)
    result = []
    for i in range(clients):
        raw = own[i]
        po = d.purchase_order(w.raw_supplier[raw], DAY, raw, BIG, w.raw_cost[raw], DAY)
        d.confirm_purchase_order(po)
        so = d.sales_order(Order(f"CUS-{i % 5 + 1:02d}", raw, BIG, DAY, DAY), w.raw_cost[raw] * 2)
        d.confirm_sales_order(so)
        wo = d.work_order(SUB, WO_QTY, DAY)
        if d.release(wo) != "released":
            raise SystemExit(f"{wo} was not released")
        result.append(Client(i, raw, po, so, wo))
    return result


def start_servers(url: str, processes: int) -> tuple[list[subprocess.Popen], str]:
    port = free_port()
    env = {**os.environ, "FACTORYLEDGER_DATABASE_URL": url}
    projector = subprocess.Popen([sys.executable, "-m", "api.cli", "project"], env=env,
                                 cwd=ROOT, stderr=subprocess.DEVNULL)
    api = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(processes), "--log-level",
         "warning", "--no-access-log"],
        env={**env, "FACTORYLEDGER_PROJECTOR": "external"}, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 600  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return [api, projector], base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_all([api, projector])
    raise SystemExit("the servers did not start within 600 s")


def stop_all(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def drive(base: str, c: Client, until: float, seed: int, run: str) -> None:
    import httpx

    rng = random.Random(seed * 1000 + c.index)
    n = 0
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            n += 1
            key = f"so-{run}-{c.index}-{n}"
            choice = rng.random()
            if choice < 1 / 3 and c.received > c.shipped:
                name, doc = "shipSalesOrder", SHIP
                data = {"number": c.so, "postingDate": DAY.isoformat(),
                        "lines": [{"lineNo": 1, "qty": "1"}]}
            elif choice < 2 / 3:
                name, doc = "receivePurchaseOrder", RECEIVE
                data = {"number": c.po, "postingDate": DAY.isoformat(),
                        "lines": [{"lineNo": 1, "qty": "1"}]}
            else:
                name, doc = "reportByScan", SCAN
                data = {"code": f"{c.wo}/OP10", "postingDate": DAY.isoformat(), "good": "1",
                        "laborHours": "0.05"}
            data["idempotencyKey"] = key
            for _attempt in range(20):  # the same key: done at most once
                r = http.post("/graphql", json={"query": doc, "variables": {"input": data}})
                body = r.json()
                answer = (body.get("data") or {}).get(name) or {}
                if answer.get("__typename", "").endswith("Success"):
                    c.position = max(c.position, answer["logPosition"])
                    if name == "shipSalesOrder":
                        c.shipped += 1
                    elif name == "receivePurchaseOrder":
                        c.received += 1
                    else:
                        c.scanned += 1
                    break
                c.resent += 1
                if answer.get("__typename") != "Conflict" and len(c.errors) < 5:
                    c.errors.append(f"{name}: {answer or body.get('errors')}")
            else:
                raise SystemExit(f"client {c.index}: {name} refused 20 times: {c.errors}")


def check(rt, clients: list[Client]) -> dict:
    from projections import inventory_queries as iq
    from projections import ledger_queries as lq
    from projections import production_queries as pq
    from projections.verify import verify

    if not rt.settle(rt.app.log_position(), timeout=600):
        raise SystemExit("the projector did not reach the end of the log")
    lost_or_doubled = []
    with rt.read() as conn:
        for c in clients:
            got_in = iq.order(conn, c.po).lines[0].delivered
            got_out = iq.order(conn, c.so).lines[0].delivered
            ops = {op.op_no: op.good for op in pq.work_order(conn, c.wo).operations}
            if (got_in, got_out, ops["OP10"]) != (c.received, c.shipped, c.scanned):
                lost_or_doubled.append((c.index, (c.received, c.shipped, c.scanned),
                                        (str(got_in), str(got_out), str(ops["OP10"]))))
        recon = sum((abs(r.difference) for r in iq.reconciliation(conn)), Decimal(0))
        tb = lq.trial_balance(conn, PERIOD)
    report = verify(rt)
    return {"mismatches": lost_or_doubled, "stock_minus_gl": f"{recon:.2f}",
            "balanced": tb.debit == tb.credit and tb.closing_debit == tb.closing_credit,
            "debits": f"{tb.debit:.2f}", "verify_ok": report.ok}


def one(processes: int, clients: int, seconds: float, seed: int) -> dict:
    from api.runtime import Runtime

    run = uuid.uuid4().hex[:8]
    with fresh_store("postgres", "scaleout") as config:
        rt = Runtime(config, clock=FLOW_CLOCK)
        try:
            cs = prepare(rt, clients, run)
            rt.runner.catch_up()
            procs, base = start_servers(config.url, processes)
            try:
                load = os.getloadavg()[0]
                t0 = time.monotonic()
                threads = [threading.Thread(target=drive, args=(base, c, t0 + seconds, seed, run))
                           for c in cs]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.monotonic() - t0
                result = check(rt, cs)
            finally:
                stop_all(procs)
        finally:
            rt.close()
    confirmed = sum(c.received + c.shipped + c.scanned for c in cs)
    result.update({
        "processes": processes, "clients": clients, "seconds": round(elapsed, 1),
        "confirmed": confirmed, "commands_per_s": round(confirmed / elapsed, 1),
        "receipts": sum(c.received for c in cs), "shipments": sum(c.shipped for c in cs),
        "scans": sum(c.scanned for c in cs), "resent": sum(c.resent for c in cs),
        "errors": [e for c in cs for e in c.errors][:5], "load_average": round(load, 2),
    })
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    counts = [int(p) for p in args.processes.split(",")]
    results = []
    for n in counts:
        r = one(n, args.clients, args.seconds, args.seed)
        results.append(r)
        say(f"{n} API process(es) + 1 projector, {args.clients} clients, {r['seconds']} s: "
            f"{r['confirmed']} commands ({r['commands_per_s']}/s; {r['receipts']} receipts, "
            f"{r['shipments']} shipments, {r['scans']} scans, {r['resent']} resent); "
            f"mismatches {len(r['mismatches'])}, stock - GL {r['stock_minus_gl']}, "
            f"balanced {r['balanced']}, verify {'ok' if r['verify_ok'] else 'FAILED'}; "
            f"load {r['load_average']}")
    base = results[0]["commands_per_s"] or 1
    ok = all(not r["mismatches"] and r["stock_minus_gl"] == "0.00" and r["balanced"]
             and r["verify_ok"] for r in results)
    print(json.dumps({"runs": results,
                      "speedup": {r["processes"]: round(r["commands_per_s"] / base, 2)
                                  for r in results},
                      "ok": ok, "load_average": os.getloadavg()[0]}), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
