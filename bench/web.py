#!/usr/bin/env python
"""Web console benchmark: page times on the demo data, and the time from a
scan to the factory board showing it.

    bench/web.py [--requests N] [--scans S]

1. a real server (``tests/web/server.py``: the demo month, its users, today's
   shop floor; ``factoryledger serve`` on SQLite, following the log);
2. page times: one keep-alive ``httpx.Client`` signed in as admin requests each
   main page N times in turn (full server-side render, as a browser gets it;
   static files not counted) -> ``p50_ms`` / ``p95_ms`` per page;
3. scan to board: Debian's Chromium shows ``/board`` (signed in as a viewer);
   S times, a client signed in as an operator posts a report to
   ``/terminal/report`` (as the terminal's script does) and the bench waits
   until the board's progress for that operation shows the new quantity
   (pushed by the board's event stream, nothing reloaded) ->
   ``scan_to_board_ms`` p50 / p95 / max, from the POST leaving to the DOM.

Progress goes to stderr; the LAST line of stdout is one JSON object, with
``cat /proc/loadavg`` before and after. docs/benchmarks.md has the results.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.server import CHROMIUM, serve  # noqa: E402

PAGES = [
    ("home", "/"),
    ("terminal", "/terminal?wc=WC-HEAD"),
    ("terminal dispatch (htmx)", "/terminal/dispatch?wc=WC-HEAD"),
    ("terminal operation (htmx)", "/terminal/operation?code=WO-000003/OP10"),
    ("board", "/board"),
    ("board live part", "/board/live"),
    ("planner: MRP and planned orders", "/planner"),
    ("planner: work orders", "/planner/work-orders"),
    ("planner: schedule (Gantt)", "/planner/schedule"),
    ("storekeeper: stock on hand", "/stores"),
    ("storekeeper: stock card", "/stores/card?item=RM-STEEL"),
    ("accountant: vouchers", "/accounts?period=2026-11"),
    ("accountant: trial balance", "/accounts/trial-balance?period=2026-11"),
    ("accountant: statements", "/accounts/statements?period=2026-11"),
    ("accountant: month-end close", "/accounts/close?period=2026-12"),
    ("inspector: inspection lots", "/inspector"),
    ("maintenance: machines and orders", "/maintenance"),
    ("admin: users", "/admin"),
    ("print: work-order traveller", "/print/work-orders/WO-000004"),
    ("sign-in page", "/login"),
    ("GraphiQL", "/graphql"),
]
CODE = "WO-000004/OP10"


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def signed_in(base: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post("/login", data={"username": user, "password": f"{user}-demo",
                                         "csrf_token": token})
    assert answer.status_code in (200, 303), answer.status_code
    return client


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def page_times(base: str, n: int) -> dict:
    client = signed_in(base, "admin")
    times: dict[str, list[float]] = {name: [] for name, _ in PAGES}
    for _name, path in PAGES:  # warm up: templates compiled, catalogs read
        assert client.get(path, headers={"accept": "text/html"}).status_code == 200, path
    for _ in range(n):
        for name, path in PAGES:
            started = time.perf_counter()
            answer = client.get(path, headers={"accept": "text/html"})
            times[name].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
    client.close()
    return {name: {"p50_ms": round(statistics.median(v), 1),
                   "p95_ms": round(percentile(v, 95), 1)} for name, v in times.items()}


def scan_to_board(base: str, scans: int) -> dict:
    from playwright.sync_api import sync_playwright

    operator = signed_in(base, "operator")
    csrf = re.search(r'data-csrf="([^"]+)"', operator.get("/terminal?wc=WC-HEAD").text).group(1)
    waits: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(base_url=base, viewport={"width": 1440, "height": 900})
        page.goto("/login?next=/board")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", "viewer-demo")
        page.click("button[type=submit]")
        page.wait_for_function("document.getElementById('live-state')?.textContent === '实时'")
        cell = ("document.querySelector(\"#board-orders tr[data-number='WO-000004'] "
                ".op[data-op=OP10] .op-good\").textContent")
        for i in range(scans):
            good = int(page.evaluate(cell).split("/")[0].strip().replace(",", ""))
            started = time.perf_counter()
            answer = operator.post("/terminal/report", headers={"X-CSRF-Token": csrf}, json={
                "key": f"bench-web-{time.time_ns()}-{i}", "code": CODE, "good": "1",
                "operator": "OP-ZHANG", "postingDate": date.today().isoformat()})
            assert answer.json().get("ok"), answer.text
            page.wait_for_function(f"{cell}.startsWith('{good + 1} ')", timeout=30000)
            waits.append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)
        browser.close()
    operator.close()
    return {"scans": scans, "p50_ms": round(statistics.median(waits), 1),
            "p95_ms": round(percentile(waits, 95), 1), "max_ms": round(max(waits), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--scans", type=int, default=20)
    args = parser.parse_args()
    before = loadavg()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp, serve(Path(tmp)) as base:
        log("server up at", base)
        pages = page_times(base, args.requests)
        for name, figures in pages.items():
            log(f"{name:28} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms")
        board = scan_to_board(base, args.scans)
        log(f"scan to board: p50 {board['p50_ms']} ms, p95 {board['p95_ms']} ms, "
            f"max {board['max_ms']} ms over {board['scans']} scans")
    print(json.dumps({"requests_per_page": args.requests, "pages": pages,
                      "scan_to_board": board, "loadavg_before": before,
                      "loadavg_after": loadavg()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
