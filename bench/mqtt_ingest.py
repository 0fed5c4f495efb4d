#!/usr/bin/env python
"""MQTT ingestion benchmark: equipment states and counts through the local
broker into the read models (docs/mqtt.md).

    bench/mqtt_ingest.py [--store sqlite|postgres] [--messages N] [--publishers P]
                         [--equipment E] [--window W] [--url mqtt://127.0.0.1:1883] [--quick]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. setup (untimed): a work center and E machines (CH-001 …), read models
   caught up; a runtime that follows the log, as ``factoryledger
   ingest-mqtt`` runs;
2. the consumer (``api.mqtt_ingest.consume``, in this process, its own
   persistent session under a fresh <company>) and P publishers (aiomqtt,
   QoS 1, each awaiting the broker's PUBACK) publish N messages: per machine
   a timeline one second apart, alternating counts ({"total": 10, "good": 9})
   and states (RUNNING, DOWN 换模, RUNNING, SETUP), each machine on one
   publisher (its order is kept); 1 % are duplicates (a message published
   again, same id and bytes, some 50 messages later) and 0.1 % malformed
   (truncated JSON). The publishers keep at most W messages ahead of the
   consumer (flow control, default 200): a broker drops QoS 1 messages for a client
   beyond its queue limit (Mosquitto's default max_queued_messages is 1,000);
3. a watcher polls the read models' position every 5 ms: latency = the time
   from a message's publish call to the read models showing its event;
4. check: rows of ``equipment_states`` + ``equipment_counts`` against the
   distinct valid messages the broker acknowledged -> ``lost`` (must be 0),
   and ``equipment_dead_letters`` against the malformed ones.

``messages_per_s`` = messages handled (recorded, duplicate or dead-lettered)
/ the time from the first publish to the last handled. Progress goes to
stdout; the LAST line is one JSON object. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import fresh_store, say  # noqa: E402

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 20, 0, 0, tzinfo=CST)
STATES = [("RUNNING", None), ("DOWN", "换模"), ("RUNNING", None), ("SETUP", None)]


def plan_messages(company: str, n: int, machines: int, dup_rate: float, bad_rate: float,
                  seed: int) -> list[tuple[int, str, bytes, str]]:
    """(machine, topic, payload, kind) in publish order; kind: valid, duplicate, malformed."""
    rng = random.Random(seed)
    unique = []
    per_machine: dict[int, int] = {}
    for i in range(n):
        m = i % machines
        k = per_machine.get(m, 0)
        per_machine[m] = k + 1
        code = f"CH-{m + 1:03d}"
        at = (START + timedelta(seconds=k)).isoformat()
        mid = f"{code}-{k:06d}"
        if k % 2 == 0:
            topic = f"factoryledger/{company}/equipment/{code}/count"
            body = {"id": mid, "at": at, "total": 10, "good": 9}
        else:
            state, reason = STATES[(k // 2) % len(STATES)]
            topic = f"factoryledger/{company}/equipment/{code}/state"
            body = {"id": mid, "at": at, "state": state}
            if reason:
                body["reason"] = reason
        unique.append((m, topic, json.dumps(body, ensure_ascii=False).encode(), "valid"))
    out: list[tuple[int, str, bytes, str]] = []
    pending: list[tuple[int, tuple]] = []
    for i, msg in enumerate(unique):
        out.append(msg)
        if rng.random() < dup_rate:
            pending.append((i + 50 * machines, (msg[0], msg[1], msg[2], "duplicate")))
        if rng.random() < bad_rate:
            m = msg[0]
            out.append((m, f"factoryledger/{company}/equipment/CH-{m + 1:03d}/state",
                        b'{"id": "bad-%d", "at": "2026-11-20T08:00:00+08:00", "st' % i,
                        "malformed"))
        while pending and pending[0][0] <= i:
            out.append(pending.pop(0)[1])
    out.extend(p[1] for p in pending)
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def set_up(app, machines: int) -> None:
    from domain.catalog.engineering import WorkCenterSpec
    from domain.equipment.machines import EquipmentSpec

    app.define_work_center(WorkCenterSpec("WC-HEAD", "冷镦机 cold header", machines,
                                          Decimal("40"), Decimal("20")))
    for m in range(machines):
        app.register_equipment(EquipmentSpec(f"CH-{m + 1:03d}", f"冷镦机 {m + 1}号", "WC-HEAD",
                                             ideal_cycle_hours=Decimal("0.002")))


async def run(runtime, args, company: str, messages) -> dict:
    import aiomqtt

    from api.mqtt_ingest import (
        DEAD_LETTERED,
        DUPLICATE,
        RECORDED,
        Stats,
        at_most_every,
        consume,
        forget_session,
        new_client_id,
        parse_url,
    )

    broker = parse_url(args.url)
    published_at: dict[str, float] = {}
    handled = {"n": 0, RECORDED: 0, DUPLICATE: 0, DEAD_LETTERED: 0}
    waiting: list[tuple[int, float]] = []  # (position, publish time) of recorded messages
    latencies: list[float] = []
    acknowledged: set[str] = set()
    published = {"n": 0}
    times = {"first": 0.0, "last": 0.0}
    total = len(messages)
    done = asyncio.Event()
    connected = asyncio.Event()

    poke = at_most_every(0.05, runtime.worker.poke)  # as factoryledger ingest-mqtt does

    def on_handled(h) -> None:
        poke()
        handled["n"] += 1
        handled[h.kind] += 1
        times["last"] = time.perf_counter()
        if h.kind == RECORDED:
            waiting.append((h.position, published_at.get(h.message_id, times["last"])))
        if handled["n"] >= total:
            done.set()

    async def watcher() -> None:
        while not (done.is_set() and not waiting):
            reached = runtime.projected_position()
            now = time.perf_counter()
            keep = []
            for position, sent in waiting:
                if position <= reached:
                    latencies.append((now - sent) * 1000)
                else:
                    keep.append((position, sent))
            waiting[:] = keep
            await asyncio.sleep(0.005)

    async def publisher(k: int) -> None:
        mine = [msg for msg in messages if msg[0] % args.publishers == k]
        sent = 0
        while sent < len(mine):
            try:
                async with aiomqtt.Client(broker.host, broker.port,
                                          identifier=new_client_id("bench-pub")) as client:
                    while sent < len(mine):
                        while published["n"] - handled["n"] >= args.window:
                            await asyncio.sleep(0.001)
                        _m, topic, payload, kind = mine[sent]
                        mid = json.loads(payload)["id"] if kind != "malformed" else ""
                        if mid and kind == "valid":
                            published_at[mid] = time.perf_counter()
                        if not times["first"]:
                            times["first"] = time.perf_counter()
                        published["n"] += 1
                        await client.publish(topic, payload, qos=1)
                        if kind == "valid":
                            acknowledged.add(mid)
                        sent += 1
            except aiomqtt.MqttError as exc:
                say(f"publisher {k}: {exc}; reconnecting")
                await asyncio.sleep(0.5)

    client_id = new_client_id("bench-ingest")
    stats = Stats()
    consumer = asyncio.create_task(consume(runtime.app, args.url, company, client_id=client_id,
                                           on_handled=on_handled,
                                           on_connected=connected.set, stats=stats))
    await asyncio.wait_for(connected.wait(), 30)
    watch = asyncio.create_task(watcher())

    async def progress() -> None:
        while not done.is_set():
            await asyncio.sleep(10)
            elapsed = time.perf_counter() - times["first"] if times["first"] else 0
            say(f"{handled['n']}/{total} handled in {elapsed:.0f} s "
                f"({handled['n'] / elapsed if elapsed else 0:.0f}/s), "
                f"read models at {runtime.projected_position()}")

    reporter = asyncio.create_task(progress())
    await asyncio.gather(*(publisher(k) for k in range(args.publishers)))
    await asyncio.wait_for(done.wait(), args.timeout)
    await asyncio.wait_for(watch, 120)
    reporter.cancel()
    consumer.cancel()
    try:
        await consumer
    except (asyncio.CancelledError, aiomqtt.MqttError):
        pass
    await forget_session(args.url, client_id)
    seconds = times["last"] - times["first"]
    return {"handled": handled, "latencies": latencies, "acknowledged": acknowledged,
            "seconds": seconds, "connections": stats.connections}


def count_rows(runtime) -> tuple[int, int]:
    from sqlalchemy import func, select

    from projections.tables import equipment_counts, equipment_dead_letters, equipment_states

    runtime.runner.catch_up()
    with runtime.read() as conn:
        rows = sum(conn.execute(select(func.count()).select_from(t)).scalar()
                   for t in (equipment_states, equipment_counts))
        dead = conn.execute(select(func.count()).select_from(equipment_dead_letters)).scalar()
    return rows, dead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--equipment", type=int, default=20)
    parser.add_argument("--window", type=int, default=200)
    parser.add_argument("--duplicates", type=float, default=0.01)
    parser.add_argument("--malformed", type=float, default=0.001)
    parser.add_argument("--url", default="mqtt://127.0.0.1:1883")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--quick", action="store_true", help="2,000 messages")
    args = parser.parse_args()
    if args.quick:
        args.messages = 2000

    from api.runtime import Runtime
    from domain.clock import fixed_clock

    company = f"bench{uuid.uuid4().hex[:8]}"
    messages = plan_messages(company, args.messages, args.equipment, args.duplicates,
                             args.malformed, args.seed)
    kinds = {k: sum(1 for m in messages if m[3] == k) for k in ("valid", "duplicate",
                                                                 "malformed")}
    say(f"{len(messages)} messages: {kinds}; store {args.store}; {args.publishers} publishers")
    load_before = os.getloadavg()
    with fresh_store(args.store, "mqtt") as config:
        runtime = Runtime(config, follow=True,
                          clock=fixed_clock(datetime(2026, 11, 21, 4, 0, tzinfo=UTC)))
        try:
            set_up(runtime.app, args.equipment)
            runtime.runner.catch_up()
            out = asyncio.run(run(runtime, args, company, messages))
            rows, dead = count_rows(runtime)
        finally:
            runtime.close()
    load_after = os.getloadavg()
    handled, latencies = out["handled"], out["latencies"]
    lost = len(out["acknowledged"]) - rows
    result = {
        "bench": "mqtt_ingest", "store": args.store, "messages": len(messages),
        "publishers": args.publishers, "equipment": args.equipment, "window": args.window,
        "messages_per_s": round(handled["n"] / out["seconds"], 1) if out["seconds"] else 0,
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else 0,
        "latency_ms_p99": round(percentile(latencies, 0.99), 1),
        "recorded": handled["recorded"], "duplicates_dropped": handled["duplicate"],
        "dead_lettered": handled["dead_lettered"], "lost": lost,
        "expected": kinds, "read_model_rows": rows, "dead_letter_rows": dead,
        "seconds": round(out["seconds"], 1), "load_avg_before": load_before,
        "load_avg_after": load_after, "python": platform.python_version(),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
