"""``rebuild`` builds into a shadow (a sibling SQLite file or PostgreSQL
schema) and swaps it in at once: queries during the rebuild answer from the
old, complete tables, /healthz says "rebuilding", and batches the live worker
applies before, during or after the shadow build are neither lost nor doubled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from domain.ledger.entries import LineInput
from projections import ledger_queries as q
from projections import rebuild as shadow
from projections.rebuild import RebuildBusy, rebuild, rebuild_in_progress, shadow_location
from projections.runner import ProjectionWorker
from projections.verify import checksums, verify

ENTRIES = '{ journalEntries(period: "2026-11", first: 100) { edges { node { id } } } }'


def post(app, day: int, amount: str):
    lines = [LineInput("1002", debit=amount), LineInput("3001", credit=amount)]
    return app.post_journal_entry(date(2026, 11, day), f"capital {amount}", lines)


def cash(runtime) -> tuple[Decimal, int]:
    """The bank's November debit turnover and the number of journal entries."""
    with runtime.read() as conn:
        tb = q.trial_balance(conn, "2026-11", leaves_only=True)
        entries = len(q.journal_entries(conn, first=500).entries)
    return next(r.debit for r in tb.rows if r.code == "1002"), entries


@pytest.fixture
def books(runtime):
    runtime.app.open_period("2026-11")
    for day in range(1, 13):
        post(runtime.app, day, f"{day}.00")
    runtime.runner.catch_up()
    assert cash(runtime) == (Decimal("78.00"), 12)
    return runtime


def test_queries_during_a_rebuild_answer_from_the_old_complete_tables(books):
    rt = books
    seen: list[tuple[Decimal, int]] = []
    health: list[dict] = []
    served: list[int] = []

    def during(position: int) -> None:
        seen.append(cash(rt))
        if len(seen) == 1:
            assert rebuild_in_progress(rt.config, rt.engine)
            with TestClient(create_app(rt)) as client:
                health.append(client.get("/healthz").json())
                answer = client.post("/graphql", json={"query": ENTRIES}).json()
                served.append(len(answer["data"]["journalEntries"]["edges"]))
            with pytest.raises(RebuildBusy):  # one rebuild at a time
                rebuild(rt.app, rt.engine, rt.config)

    replayed = rebuild(rt.app, rt.engine, rt.config, progress=during, batch_size=3)
    assert replayed == rt.app.log_position()
    assert len(seen) > 5  # queried between many shadow batches
    assert set(seen) == {(Decimal("78.00"), 12)}  # never empty, never partial
    assert health == [{"status": "rebuilding", "lag": 0}]
    assert served == [12]  # the API, too, answers from the old tables
    assert not rebuild_in_progress(rt.config, rt.engine)
    assert cash(rt) == (Decimal("78.00"), 12)
    assert verify(rt).ok


def test_batches_the_live_worker_applies_during_the_rebuild_are_not_lost_nor_doubled(books):
    rt = books
    added: list[int] = []
    worker = ProjectionWorker(rt.runner, poll_seconds=0.05)
    worker.start()
    try:
        def during(position: int) -> None:
            # a command lands and the live worker applies it while the shadow is built
            if len(added) < 3:
                added.append(post(rt.app, 20 + len(added), "1000.00").position)
                assert worker.wait_for(added[-1], timeout=30)
                assert cash(rt) == (Decimal("78.00") + 1000 * len(added), 12 + len(added))

        rebuild(rt.app, rt.engine, rt.config, progress=during, batch_size=4)
        assert worker.wait_for(rt.app.log_position(), timeout=30)
    finally:
        worker.stop()
    assert len(added) == 3
    assert cash(rt) == (Decimal("3078.00"), 15)
    assert verify(rt).ok


def test_a_batch_applied_after_the_shadow_finished_is_applied_again_once(books, monkeypatch):
    """The live tables are ahead of the shadow when the swap comes: the swap
    rewinds the tracking position with the rows, and the next catch-up applies
    those events once on top of the shadow."""
    rt = books
    real_swap = shadow._swap
    ahead = {}

    def swap_after_a_live_batch(engine, config, where, projections, positions):
        post(rt.app, 25, "500.00")
        rt.runner.catch_up()
        ahead["live"] = rt.runner.position()
        ahead["shadow"] = min(positions.values())
        real_swap(engine, config, where, projections, positions)

    monkeypatch.setattr(shadow, "_swap", swap_after_a_live_batch)
    rebuild(rt.app, rt.engine, rt.config)
    assert ahead["live"] > ahead["shadow"]
    assert rt.runner.position() == ahead["shadow"]  # rewound with the rows
    assert cash(rt) == (Decimal("78.00"), 12)  # the shadow's rows, consistent
    rt.runner.catch_up()
    assert cash(rt) == (Decimal("578.00"), 13)  # the late entry once, not twice
    assert verify(rt).ok


def test_rebuilding_one_projection_swaps_only_it_and_builds_what_it_reads(books, monkeypatch):
    rt = books
    before = checksums(rt.engine)
    built: list[list[str]] = []
    real_swap = shadow._swap

    def record(engine, config, where, projections, positions):
        built.append(sorted(positions))
        assert [p.name for p in projections] == ["production"]
        real_swap(engine, config, where, projections, positions)

    monkeypatch.setattr(shadow, "_swap", record)
    rebuild(rt.app, rt.engine, rt.config, ["production"])
    assert built == [["inventory", "production"]]
    assert checksums(rt.engine) == before


def test_the_rebuild_command_leaves_no_shadow_behind(books, store_url):
    result = CliRunner().invoke(cli, ["rebuild", "ledger", "--database", store_url],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "rebuilt ledger: " in result.output
    assert not rebuild_in_progress(books.config, books.engine)
    assert shadow_location(books.config).endswith(
        ".rebuild.db" if books.config.kind == "sqlite" else books.config.schema)
    assert cash(books) == (Decimal("78.00"), 12)


def test_a_shadow_left_by_a_killed_rebuild_is_not_rebuilding_and_is_replaced(books):
    rt = books
    where = shadow_location(rt.config)
    if rt.config.kind == "sqlite":
        with open(where, "wb") as stale:
            stale.write(b"half a shadow")
    else:
        with rt.engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{where}"')
            conn.exec_driver_sql(f'CREATE TABLE "{where}".ledger_entries (junk int)')
    assert not rebuild_in_progress(rt.config, rt.engine)
    with TestClient(create_app(rt)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "lag": 0}
    assert rebuild(rt.app, rt.engine, rt.config) == rt.app.log_position()
    assert cash(rt) == (Decimal("78.00"), 12)
    if rt.config.kind == "sqlite":
        import os

        assert not os.path.exists(where)
    else:
        with rt.engine.connect() as conn:
            assert conn.exec_driver_sql(
                f"SELECT 1 FROM pg_namespace WHERE nspname = '{where}'").first() is None
