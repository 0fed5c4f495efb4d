#!/usr/bin/env python
"""Shop-floor benchmark: scan reports (``reportByScan``) over HTTP against the
real server, from concurrent clients.

    bench/shopfloor.py [--store sqlite|postgres] [--orders N] [--clients C] [--quick]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. setup through the application layer (untimed for the figures, in a child
   process so that its memory does not count as the client's): period
   2026-11, 2 warehouses, 2 raw materials and 1 finished item, opening stock
   (``adjust_stock``) for every order, 3 work centers, a BOM (2 manual lines)
   and a routing OP10/OP20/OP30 on the 3 work centers; then N work orders of
   10 units: ``create_work_order``, ``release_work_order`` and
   ``issue_material`` (both lines in full) each;
2. the real server as a subprocess: ``python -m api.cli serve --host
   127.0.0.1 --port <free> --database <url>`` (uvicorn, following the log);
   the bench waits for ``/healthz`` 200 with lag 0 (setup projected);
3. reporting: C client threads, one keep-alive ``httpx.Client`` each, take
   whole work orders from a shared queue and report OP10, OP20, OP30 in
   order, each in one ``reportByScan`` of the full quantity (good 10, labor
   hours 0.5) with a unique idempotency key. A connection error is retried
   with the same key (as a scanner does) and counted as a retry. A response
   whose union member is not the success type, or that carries top-level
   GraphQL errors or a non-200 status, is an error.
   -> ``reports_per_s`` (successful reports / wall time of the phase),
   ``latency_ms_p50`` / ``latency_ms_p99`` (per HTTP request that got a
   response);
4. ``/healthz`` until lag 0, the server's ``VmHWM`` (-> ``peak_rss_mb``),
   then SIGINT and wait for a clean exit;
5. check: rows of the ``operation_reports`` read model and the WorkOrder
   aggregates' reported good, against the reports the clients saw succeed ->
   ``lost`` (acknowledged but not recorded; must be 0) and ``duplicates``.

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the method and the recorded results.
"""

from __future__ import annotations

import argparse
import json
import platform
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import fresh_store, say  # noqa: E402

PERIOD = "2026-11"
ENG_FROM = date(2026, 11, 1)
CREATED_ON = date(2026, 11, 2)
ISSUED_ON = date(2026, 11, 3)
DUE = date(2026, 11, 30)
POSTING_DATE = "2026-11-10"
WO_QTY = Decimal("10")
LABOR_HOURS = "0.5"
PRODUCT = "FG-BRACKET"
# (code, name, uom, standard cost, qty per product unit, operation consuming it)
MATERIALS = [
    ("RM-STEEL", "钢板 steel sheet", "kg", Decimal("5.00"), Decimal("0.8"), "OP10"),
    ("RM-PAINT", "粉末涂料 powder paint", "kg", Decimal("20.00"), Decimal("0.05"), "OP30"),
]
WORK_CENTERS = [  # code, name, labor rate, overhead rate (CNY/h), operation, run h/unit
    ("WC-CUT", "激光切割 laser cutting", "40", "60", "OP10", "0.02"),
    ("WC-BEND", "折弯 press brake", "35", "30", "OP20", "0.03"),
    ("WC-PAINT", "喷涂线 powder coating", "30", "45", "OP30", "0.01"),
]
OPS = [wc[4] for wc in WORK_CENTERS]
ERROR_TYPES = {"ValidationError", "NotFound", "Conflict", "BusinessRuleViolation",
               "PermissionDenied"}
MAX_CONNECT_RETRIES = 50
SERVER_START_TIMEOUT = 120.0
CATCH_UP_TIMEOUT = 300.0


def vm_hwm_mb(pid: int | str = "self") -> float:
    """Peak resident set size of a process (``VmHWM``), in MB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- 1. setup through the application layer (child process) ------------------------------
def setup(url: str, orders: int) -> dict:
    from api.runtime import Runtime
    from domain.catalog.engineering import WorkCenterSpec
    from domain.catalog.items import ItemSpec, ItemType
    from domain.commands import CommandContext
    from domain.inventory.handlers import AdjustmentLineInput
    from domain.production.inputs import BomLineInput, MaterialLineInput, OperationInput
    from domain.store import parse_database_url

    run = uuid.uuid4().hex[:8]
    n = [0]

    def ctx() -> CommandContext:
        n[0] += 1
        return CommandContext(actor="bench", idempotency_key=f"setup-{run}-{n[0]:08d}")

    started = time.perf_counter()
    rt = Runtime(parse_database_url(url))
    try:
        app = rt.app
        app.open_period(PERIOD, ctx=ctx())
        app.create_warehouse("WH-RM", "原料库 raw materials", ["A1"], ctx=ctx())
        app.create_warehouse("WH-FG", "成品库 finished goods", ["F1"], ctx=ctx())
        for code, name, uom, cost, _, _ in MATERIALS:
            app.create_item(ItemSpec(code, name, uom, ItemType.RAW, standard_cost=cost,
                                     default_warehouse="WH-RM"), ctx=ctx())
        app.create_item(ItemSpec(PRODUCT, "安装支架 mounting bracket", "pcs", ItemType.FINISHED,
                                 default_warehouse="WH-FG"), ctx=ctx())
        # Enough stock for every order's full requirement, plus a margin.
        app.adjust_stock(
            ENG_FROM,
            [AdjustmentLineInput(code, "WH-RM", str(per * WO_QTY * orders + 100), cost)
             for code, _, _, cost, per, _ in MATERIALS],
            reason="opening stock for the shop-floor benchmark", ctx=ctx())
        for code, name, labor, overhead, _, _ in WORK_CENTERS:
            app.define_work_center(WorkCenterSpec(code, name, 2, Decimal(labor),
                                                  Decimal(overhead)), ctx=ctx())
        app.save_bom(PRODUCT, "V1", ENG_FROM,
                     [BomLineInput(code, str(per), operation=op)
                      for code, _, _, _, per, op in MATERIALS], ctx=ctx())
        app.save_routing(PRODUCT, "V1", ENG_FROM,
                         [OperationInput(op, code, run_h) for code, _, _, _, op, run_h
                          in WORK_CENTERS], ctx=ctx())
        master_s = time.perf_counter() - started

        numbers = []
        issue = [MaterialLineInput(i + 1, str(per * WO_QTY))
                 for i, (_, _, _, _, per, _) in enumerate(MATERIALS)]
        step = max(1, orders // 5)
        t0 = time.perf_counter()
        for i in range(1, orders + 1):
            number = app.create_work_order(PRODUCT, str(WO_QTY), DUE, CREATED_ON,
                                           ctx=ctx()).value.number
            status = app.release_work_order(number, ctx=ctx()).value.status
            if status != "released":
                raise SystemExit(f"{number} was not released: {status}")
            app.issue_material(number, ISSUED_ON, issue, ctx=ctx())
            numbers.append(number)
            if i % step == 0:
                say(f"  setup: {i}/{orders} work orders created, released and issued "
                    f"({3 * i / (time.perf_counter() - t0):,.0f} commands/s)")
        orders_s = time.perf_counter() - t0
        position = app.log_position()
    finally:
        rt.close()
    return {"numbers": numbers, "commands": n[0], "master_s": round(master_s, 2),
            "orders_s": round(orders_s, 2), "log_position": position,
            "setup_rss_mb": round(vm_hwm_mb(), 1)}


def run_setup_child(url: str, orders: int, out: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--setup-only", url,
           "--orders", str(orders), "--setup-out", str(out)]
    subprocess.run(cmd, cwd=ROOT, check=True)
    return json.loads(out.read_text())


# -- 2. the server ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--database", url],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def health(self, client) -> dict | None:
        import httpx

        try:
            r = client.get(f"{self.base}/healthz", timeout=5)
        except httpx.TransportError:
            return None
        return r.json() if r.status_code == 200 else None

    def wait_caught_up(self, client, timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; "
                                 f"log:\n{self.tail()}")
            h = self.health(client)
            if h and h.get("lag") == 0 and h.get("status") == "ok":
                return h
            time.sleep(0.1)
        raise SystemExit(f"server not caught up ({what}) within {timeout:.0f} s; "
                         f"last health {h}; log:\n{self.tail()}")

    def peak_rss_mb(self) -> float:
        return vm_hwm_mb(self.proc.pid)

    def stop(self, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # uvicorn: graceful shutdown
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                say("server did not stop on SIGINT; terminating")
                self.proc.terminate()
                self.proc.wait(10)
        self.log.close()
        return self.proc.returncode

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# -- 3. the clients -----------------------------------------------------------------------
INTROSPECT = """{ __schema { mutationType { fields { name args { name type { name kind
  ofType { name kind } } } type { name kind possibleTypes { name }
  ofType { name kind possibleTypes { name } } } } } } }"""


def scan_mutation(client, base: str) -> tuple[str, set[str]]:
    """The reportByScan document (with its input type) and its success type(s)."""
    r = client.post(f"{base}/graphql", json={"query": INTROSPECT}, timeout=30)
    r.raise_for_status()
    fields = r.json()["data"]["__schema"]["mutationType"]["fields"]
    field = next((f for f in fields if f["name"] == "reportByScan"), None)
    if field is None:
        raise SystemExit("the server has no reportByScan mutation")
    arg = next(a for a in field["args"] if a["name"] == "input")
    t = arg["type"]
    input_type = (t["ofType"] or {}).get("name") if t["kind"] == "NON_NULL" else t["name"]
    rt = field["type"] if field["type"]["kind"] != "NON_NULL" else field["type"]["ofType"]
    possible = {p["name"] for p in (rt["possibleTypes"] or [])}
    success = possible - ERROR_TYPES
    if not success:
        raise SystemExit(f"reportByScan returns {field['type']}: no success type found")
    document = (f"mutation Scan($input: {input_type}!) {{ reportByScan(input: $input) "
                "{ __typename ... on Error { message } } }")
    return document, success


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.acked: list[tuple[str, str]] = []
        self.errors = 0
        self.error_samples: list[str] = []
        self.retries = 0
        self.answered = 0

    def error(self, text: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(text[:300])


def client_thread(base: str, document: str, success: set[str], work: queue.Queue,
                  stats: Stats, run: str) -> None:
    import httpx

    latencies, acked = [], []
    with httpx.Client(base_url=base, timeout=120) as client:
        while True:
            try:
                number = work.get_nowait()
            except queue.Empty:
                break
            for op in OPS:
                code = f"{number}/{op}"
                body = {"query": document, "variables": {"input": {
                    "code": code, "postingDate": POSTING_DATE, "good": str(WO_QTY),
                    "laborHours": LABOR_HOURS, "idempotencyKey": f"scan-{run}-{code}"}}}
                for attempt in range(MAX_CONNECT_RETRIES + 1):
                    started = time.perf_counter()
                    try:
                        r = client.post("/graphql", json=body)
                    except httpx.TransportError as exc:
                        with stats.lock:
                            stats.retries += 1
                        if attempt == MAX_CONNECT_RETRIES:
                            stats.error(f"{code}: gave up after retries: {exc!r}")
                            break
                        time.sleep(min(1.0, 0.05 * 2 ** attempt))
                        continue
                    latencies.append((time.perf_counter() - started) * 1000)
                    with stats.lock:
                        stats.answered += 1
                    try:
                        payload = r.json()
                    except ValueError:
                        payload = {}
                    data = (payload.get("data") or {}).get("reportByScan") or {}
                    kind = data.get("__typename")
                    if r.status_code == 200 and kind in success and not payload.get("errors"):
                        acked.append((number, op))
                    else:
                        stats.error(f"{code}: HTTP {r.status_code} {kind or ''} "
                                    f"{data.get('message') or payload.get('errors') or r.text}")
                    break
    with stats.lock:
        stats.latencies.extend(latencies)
        stats.acked.extend(acked)


def drive(base: str, numbers: list[str], clients: int, run: str) -> tuple[Stats, float]:
    import httpx

    with httpx.Client(timeout=30) as c:
        document, success = scan_mutation(c, base)
    say(f"mutation: reportByScan -> success type(s) {sorted(success)}")
    work: queue.Queue = queue.Queue()
    for number in numbers:
        work.put(number)
    stats = Stats()
    threads = [threading.Thread(target=client_thread,
                                args=(base, document, success, work, stats, run),
                                name=f"client-{i}") for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    total, step, shown = len(numbers) * len(OPS), max(1, len(numbers) * len(OPS) // 10), 0
    while any(t.is_alive() for t in threads):
        threads[0].join(0.5) if threads[0].is_alive() else time.sleep(0.5)
        if stats.answered - shown >= step:
            shown = stats.answered
            say(f"  {shown}/{total} requests answered "
                f"({shown / (time.perf_counter() - started):,.0f}/s)")
    for t in threads:
        t.join()
    return stats, time.perf_counter() - started


# -- 5. what was recorded ------------------------------------------------------------------
def recorded(url: str, numbers: list[str]) -> dict:
    """Rows of operation_reports and the aggregates' reported good, per (order, op)."""
    from sqlalchemy import func, select

    from api.runtime import Runtime
    from domain.production.work_orders import work_order_id
    from domain.store import parse_database_url
    from projections.tables import operation_reports as t

    rt = Runtime(parse_database_url(url))
    try:
        with rt.read() as conn:
            rows = conn.execute(
                select(t.c.number, t.c.op_no, func.count(), func.sum(t.c.good_micros))
                .group_by(t.c.number, t.c.op_no)).all()
        projected = {(r[0], r[1]): (r[2], r[3]) for r in rows}
        in_aggregates = {}
        for number in numbers:
            wo = rt.app.repository.get(work_order_id(number))
            for op in OPS:
                in_aggregates[(number, op)] = wo.operations[op].good
    finally:
        rt.close()
    return {"projected": projected, "aggregates": in_aggregates}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="50 work orders")
    parser.add_argument("--setup-only", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--setup-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    orders = 50 if args.quick else args.orders
    if orders < 1 or args.clients < 1:
        parser.error("--orders and --clients must be positive")

    if args.setup_only:  # the child process of step 1
        Path(args.setup_out).write_text(json.dumps(setup(args.setup_only, orders)))
        return 0

    run = uuid.uuid4().hex[:8]
    say(f"store={args.store} orders={orders} operations={len(OPS)} clients={args.clients}")
    with fresh_store(args.store, "shopfloor") as config, \
            tempfile.TemporaryDirectory(prefix="flbench-shopfloor-log-") as tmp:
        url = config.url
        started = time.perf_counter()
        info = run_setup_child(url, orders, Path(tmp) / "setup.json")
        numbers = info["numbers"]
        say(f"setup: {info['commands']} commands in {time.perf_counter() - started:.1f} s "
            f"(master+engineering {info['master_s']} s, orders {info['orders_s']} s); "
            f"log position {info['log_position']}")

        import httpx

        server = Server(url, Path(tmp) / "server.log")
        try:
            with httpx.Client() as c:
                t0 = time.perf_counter()
                h = server.wait_caught_up(c, SERVER_START_TIMEOUT, "start")
                say(f"server pid {server.proc.pid} on {server.base}: healthy ({h['status']}, "
                    f"lag {h['lag']}) in {time.perf_counter() - t0:.1f} s")
            rss_before = server.peak_rss_mb()

            stats, elapsed = drive(server.base, numbers, args.clients, run)
            client_rss = vm_hwm_mb()
            reports = len(stats.acked)
            say(f"reporting: {reports} reports acknowledged in {elapsed:.1f} s "
                f"({reports / elapsed:,.1f}/s), {stats.errors} errors, "
                f"{stats.retries} connection retries")
            for sample in stats.error_samples:
                say(f"  error: {sample}")

            with httpx.Client() as c:
                t0 = time.perf_counter()
                h = server.wait_caught_up(c, CATCH_UP_TIMEOUT, "after reporting")
                catch_up_s = time.perf_counter() - t0
            say(f"projections caught up ({h['status']}, lag {h['lag']}) "
                f"{catch_up_s:.1f} s after the last response")
            server_rss = server.peak_rss_mb()
        finally:
            code = server.stop()
        say(f"server stopped (exit status {code}); peak RSS {server_rss:.0f} MB "
            f"({rss_before:.0f} MB before reporting)")
        if code != 0:
            say("server log tail:\n" + server.tail())

        rec = recorded(url, numbers)
        acked = set(stats.acked)
        projected, aggregates = rec["projected"], rec["aggregates"]
        rows = sum(c for c, _ in projected.values())
        full = int(WO_QTY * 1_000_000)
        lost_rows = sorted(k for k in acked if k not in projected)
        lost_aggr = sorted(k for k in acked if aggregates.get(k) != WO_QTY)
        duplicates = sum(c - 1 for c, _ in projected.values() if c > 1)
        wrong_qty = sum(1 for _, g in projected.values() if g != full)
        lost = max(len(lost_rows), len(lost_aggr))
        say(f"recorded: {rows} operation_reports rows for {len(projected)} operations; "
            f"aggregates report full good on "
            f"{sum(1 for v in aggregates.values() if v == WO_QTY)} of {len(aggregates)}; "
            f"lost {lost} (read model {len(lost_rows)}, aggregates {len(lost_aggr)}), "
            f"duplicates {duplicates}, wrong quantity {wrong_qty}")

    lat = sorted(stats.latencies)
    from importlib.metadata import version

    result = {
        "store": args.store,
        "orders": orders,
        "clients": args.clients,
        "reports": reports,
        "reports_per_s": round(reports / elapsed, 1),
        "latency_ms_p50": round(statistics.median(lat), 2) if lat else None,
        "latency_ms_p99": round(lat[min(len(lat) - 1, int(0.99 * len(lat)))], 2) if lat
        else None,
        "errors": stats.errors,
        "lost": lost,
        "peak_rss_mb": round(server_rss, 1),
        "client_peak_rss_mb": round(client_rss, 1),
        "expected_reports": orders * len(OPS),
        "connection_retries": stats.retries,
        "recorded_rows": rows,
        "duplicates": duplicates,
        "reporting_seconds": round(elapsed, 2),
        "catch_up_after_s": round(catch_up_s, 2),
        "latency_ms_max": round(lat[-1], 2) if lat else None,
        "server_exit": code,
        "setup_commands": info["commands"],
        "setup_seconds": round(info["master_s"] + info["orders_s"], 1),
        "python": platform.python_version(),
        "uvicorn": version("uvicorn"),
        "httpx": version("httpx"),
        "strawberry": version("strawberry-graphql"),
    }
    print(json.dumps(result), flush=True)
    return 0 if lost == 0 and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
