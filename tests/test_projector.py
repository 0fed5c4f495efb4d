"""Projections off the command path (issue #12): mutations answer without
waiting for the read models unless the client asks; the projector process
(``factoryledger project``) resumes exactly once after kill -9; two API
processes on PostgreSQL lose and double nothing under contention."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from starlette.testclient import TestClient

import api.runtime as runtime_module
from api.app import create_app
from api.runtime import Runtime
from domain.ledger.entries import LineInput
from domain.store import parse_database_url
from projections.tables import ledger_entries
from projections.verify import verify
from tests.scenes.graphql import INVEST, NOV, Api

ROOT = Path(__file__).resolve().parent.parent
BARE_POST = """mutation P($input: PostJournalEntryInput!, $c: Consistency) {
  postJournalEntry(input: $input, consistency: $c) {
    __typename ... on Error { message } ... on PostJournalEntrySuccess { logPosition } } }"""
POST_WITH_ENTRY = """mutation P($input: PostJournalEntryInput!) {
  postJournalEntry(input: $input) {
    __typename ... on PostJournalEntrySuccess { logPosition entry { voucherNo } } } }"""
DEBITS = """{ trialBalance(period: "2026-11") { debit } }"""


def entry(summary: str = "投资者投入资本", key: str | None = None) -> dict:
    input_ = {"postingDate": "2026-11-02", "summary": summary, "lines": INVEST}
    return {**input_, "idempotencyKey": key} if key else input_


def entries(rt) -> int:
    with rt.read() as conn:
        return conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one()


def test_a_mutation_answers_from_the_command_without_waiting(store_config, monkeypatch):
    """Another process would project (none runs): the mutation still answers at
    once from its own result; a field only the read models hold waits for its
    position and, not reached, says ProjectionLag (the command stays recorded)."""
    monkeypatch.setattr(runtime_module, "READ_YOUR_WRITES_TIMEOUT", 0.3)
    rt = Runtime(store_config, external_projector=True)
    try:
        rt.app.open_period(NOV)
        with TestClient(create_app(rt)) as client:
            api = Api(client, rt)
            done = api.gql(BARE_POST, {"input": entry()})["postJournalEntry"]
            assert done["__typename"] == "PostJournalEntrySuccess"
            assert done["logPosition"] == rt.app.log_position()
            assert rt.runner.position() < done["logPosition"]  # it did not wait
            (error,) = api.errors(POST_WITH_ENTRY, {"input": entry()})
            assert error["extensions"]["type"] == "ProjectionLag"
            assert f"waitFor: {rt.app.log_position()}" in error["message"]
            rt.runner.catch_up()
            assert api.gql(DEBITS)["trialBalance"]["debit"] == "200000.00"  # both, once
    finally:
        rt.close()


def test_read_your_writes_when_asked_from_another_process_projector(store_config):
    """The API runtime does not project; a projector (here a second runtime
    following the log, as ``factoryledger project`` does) does. READ_YOUR_WRITES
    answers once the stored positions show the command: the next query, with
    no waitFor, sees it, every time."""
    projector = Runtime(store_config, follow=True)
    rt = Runtime(store_config, external_projector=True, migrate_first=False)
    try:
        rt.app.open_period(NOV)
        with TestClient(create_app(rt)) as client:
            api = Api(client, rt)
            for n in range(1, 6):
                done = api.gql(BARE_POST, {"input": entry(), "c": "READ_YOUR_WRITES"})
                assert done["postJournalEntry"]["__typename"] == "PostJournalEntrySuccess"
                debit = Decimal(api.gql(DEBITS)["trialBalance"]["debit"])
                assert debit == Decimal("100000.00") * n
    finally:
        rt.close()
        projector.close()


def _project(url: str) -> subprocess.Popen:
    env = {**os.environ, "FACTORYLEDGER_DATABASE_URL": url}
    return subprocess.Popen([sys.executable, "-m", "api.cli", "project", "--poll", "0.05"],
                            env=env, cwd=ROOT, stderr=subprocess.DEVNULL)


def _until(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_projector_process_resumes_exactly_once_after_kill_9(store_url):
    """kill -9 while it follows a stream of commands; restarted, it goes on from
    its last committed batch: every entry counted once, and the read models
    equal a fresh replay of the log (verify)."""
    rt = Runtime(parse_database_url(store_url), batch_size=7)
    try:
        rt.app.open_period(NOV)
        lines = [LineInput("1002", debit="1.00"), LineInput("3001", credit="1.00")]

        def post(n: int) -> None:
            for i in range(n):
                rt.app.post_journal_entry(date(2026, 11, 2), f"entry {i}", lines)

        post(40)
        projector = _project(store_url)
        try:
            _until(lambda: rt.runner.position() > 0)  # it is following
            post(40)  # while it follows
            projector.send_signal(signal.SIGKILL)
            projector.wait(timeout=30)
        finally:
            if projector.poll() is None:
                projector.kill()
        stopped_at = rt.runner.position()
        post(40)
        projector = _project(store_url)
        try:
            _until(lambda: rt.runner.position() == rt.app.log_position())
        finally:
            projector.terminate()
            projector.wait(timeout=30)
        assert stopped_at < rt.app.log_position()
        assert entries(rt) == 120
        with rt.read() as conn:
            from projections import ledger_queries as lq

            assert lq.trial_balance(conn, NOV).debit == Decimal("120.00")
        assert verify(rt).ok
    finally:
        rt.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_api_processes_lose_and_double_nothing_under_contention(pg_url):
    """Two uvicorn worker processes and one projector on PostgreSQL; 8 clients
    post at once (one voucher sequence, one period: contended), each command
    sent again with its key until confirmed. The read models hold exactly the
    confirmed entries, once each, and equal a replay."""
    import httpx

    rt = Runtime(parse_database_url(pg_url))
    try:
        rt.app.open_period(NOV)
        port = _free_port()
        env = {**os.environ, "FACTORYLEDGER_DATABASE_URL": pg_url}
        projector = _project(pg_url)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(port), "--workers", "2", "--log-level", "warning"],
            env={**env, "FACTORYLEDGER_PROJECTOR": "external"}, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            def up() -> bool:
                try:
                    return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            _until(up)
            confirmed: list[int] = []
            served_by: set[str] = set()

            def client(c: int) -> None:
                with httpx.Client(base_url=base, timeout=60) as http:
                    for i in range(6):
                        input_ = entry(f"client {c} entry {i}", key=f"c{c}-{i}")
                        for _ in range(20):
                            r = http.post("/graphql", json={"query": BARE_POST,
                                                            "variables": {"input": input_}})
                            answer = r.json()["data"]["postJournalEntry"]
                            if answer["__typename"] == "PostJournalEntrySuccess":
                                confirmed.append(answer["logPosition"])
                                break
                        served_by.add(r.headers.get("server", ""))

            threads = [threading.Thread(target=client, args=(c,)) for c in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(confirmed) == 48
            _until(lambda: rt.runner.position() >= max(confirmed))
        finally:
            server.terminate()
            projector.terminate()
            server.wait(timeout=30)
            projector.wait(timeout=30)
        assert entries(rt) == 48
        with rt.read() as conn:
            from projections import ledger_queries as lq

            tb = lq.trial_balance(conn, NOV)
            vouchers = conn.execute(select(ledger_entries.c.voucher_no)).scalars().all()
        assert tb.debit == tb.credit == Decimal("100000.00") * 48
        assert len(set(vouchers)) == 48  # one voucher each, none given twice
        assert verify(rt).ok
    finally:
        rt.close()
