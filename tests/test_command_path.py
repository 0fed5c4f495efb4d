"""The command path (issue #12): the command cache, trusted while no other
process writes, and the group commit, which writes the commands ready at the
same moment in one transaction without ever half-applying one of them."""

import sqlite3
import threading
import time
import uuid
from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.application import FactoryLedger
from domain.catalog.warehouses import warehouse_id
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation
from domain.ledger.entries import LineInput
from domain.ledger.periods import period_id
from domain.store import parse_database_url

DAY = date(2026, 11, 2)


def lines(amount: str) -> list[LineInput]:
    return [LineInput("1002", debit=Dec(amount)), LineInput("3001", credit=Dec(amount))]


def event_count(app: FactoryLedger, agg_id: uuid.UUID) -> int:
    return len(app.recorder.select_events(agg_id))


def run_together(calls, lead=None) -> list:
    """Run the calls in threads started at once (after ``lead``, given a
    moment to start writing first); their results (or errors)."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def one(i, call):
        start.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - asserted by the test
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i, c)) for i, c in enumerate(calls)]
    if lead is not None:
        leader = threading.Thread(target=lead)
        leader.start()
        time.sleep(0.1)
        threads.append(leader)
    for t in threads:
        if t.ident is None:
            t.start()
    for t in threads:
        t.join()
    return results


class Injector:
    """Holds the first group's write back (so the others queue behind it and
    form a group), and fails the insert of the member whose events name
    ``victim`` once in a later group, after its rows are written (inside its
    savepoint)."""

    def __init__(self, app: FactoryLedger, victim: uuid.UUID):
        self.app, self.victim = app, victim
        self.groups: list[list] = []  # per group: (victim?, error) of each member
        self.failed = 0
        write, insert = app._group.write, app.recorder._insert_events

        def slow_write(group):
            if not self.groups:
                time.sleep(0.3)
            write(group)
            self.groups.append([(self.victim in {s.originator_id for s in m.stored},
                                 m.error) for m in group])

        def failing_insert(cursor, stored, **kw):
            positions = insert(cursor, stored, **kw)
            if self.groups and not self.failed and self.victim in {s.originator_id for s in stored}:
                self.failed += 1
                raise sqlite3.IntegrityError("injected")
            return positions

        app._group.write = slow_write
        app.recorder._insert_events = failing_insert


def test_a_failed_member_of_a_group_is_rolled_back_alone_and_retried(sqlite_url):
    app = FactoryLedger(parse_database_url(sqlite_url))
    codes = ["WH-A", "WH-B", "WH-C", "WH-D", "WH-E"]
    inject = Injector(app, warehouse_id("WH-C"))
    results = run_together([lambda c=c: app.create_warehouse(c, f"store {c}") for c in codes],
                           lead=lambda: app.create_warehouse("WH-0", "first"))
    assert [r.value.code for r in results] == codes  # every command succeeded
    assert inject.failed == 1
    # The victim failed inside a group of several: only it was rolled back.
    failed_group = next(g for g in inject.groups if any(e is not None for _, e in g))
    assert len(failed_group) >= 2
    assert [(v, e is None) for v, e in failed_group if v] == [(True, False)]
    assert all(e is None for v, e in failed_group if not v)
    # Retried alone, and written once: each warehouse has its one event.
    assert [event_count(app, warehouse_id(c)) for c in codes] == [1] * 5
    assert app._group.groups < app._group.members  # fewer transactions than commands


def test_a_member_built_on_a_failed_one_fails_too_and_vouchers_stay_gap_free(sqlite_url):
    app = FactoryLedger(parse_database_url(sqlite_url))
    app.open_period("2026-11")
    first = app.post_journal_entry(DAY, "first", lines("1.00")).value
    # Every posting numbers its voucher in the period: each one decides on the
    # previous one's unsaved period, and they are written together.
    results = run_together([lambda i=i: app.post_journal_entry(DAY, f"p{i}", lines("3.00"))
                            for i in range(5)])
    assert all(not isinstance(r, Exception) for r in results), results
    seqs = sorted([first.voucher_seq, *(r.value.voucher_seq for r in results)])
    assert seqs == [1, 2, 3, 4, 5, 6]
    period = app.repository.get(period_id("2026-11"))
    assert period.voucher_count == 6
    assert event_count(app, period_id("2026-11")) == 7  # opened + 6 vouchers, none twice


def test_a_failed_posting_takes_the_ones_built_on_it_down_and_all_are_retried(sqlite_url):
    app = FactoryLedger(parse_database_url(sqlite_url))
    app.open_period("2026-11")
    app.post_journal_entry(DAY, "first", lines("1.00"))
    inject = Injector(app, period_id("2026-11"))
    results = run_together([lambda i=i: app.post_journal_entry(DAY, f"p{i}", lines("1.00"))
                            for i in range(4)],
                           lead=lambda: app.post_journal_entry(DAY, "lead", lines("1.00")))
    assert all(not isinstance(r, Exception) for r in results), results
    assert inject.failed == 1
    failed_group = next(g for g in inject.groups if any(e is not None for _, e in g))
    # The victim and every member after it (all built on its period) failed.
    assert len(failed_group) >= 2 and all(e is not None for _, e in failed_group)
    assert sorted(r.value.voucher_seq for r in results) == [3, 4, 5, 6]
    assert event_count(app, period_id("2026-11")) == 7


def test_an_idempotency_key_replays_in_a_group(sqlite_url):
    app = FactoryLedger(parse_database_url(sqlite_url))
    app.open_period("2026-11")
    ctx = CommandContext(idempotency_key="k-1")
    results = run_together([lambda: app.post_journal_entry(DAY, "once", lines("5.00"), ctx=ctx)
                            for _ in range(4)])
    assert len({r.value.entry_id for r in results}) == 1
    assert sum(1 for r in results if not r.replayed) == 1
    assert app.repository.get(period_id("2026-11")).voucher_count == 1


def test_another_processs_writes_are_seen_by_the_next_command(sqlite_url):
    """Two applications on one file, as two server processes: a command
    decides from its process's cache only while nobody else has written."""
    one = FactoryLedger(parse_database_url(sqlite_url))
    two = FactoryLedger(parse_database_url(sqlite_url))
    one.open_period("2026-11")
    assert one.post_journal_entry(DAY, "a", lines("1.00")).value.voucher_seq == 1
    assert two.post_journal_entry(DAY, "b", lines("1.00")).value.voucher_seq == 2
    # ``one`` cached the period at voucher 1: the head moved, so it reads afresh.
    assert one.post_journal_entry(DAY, "c", lines("1.00")).value.voucher_seq == 3
    two.close_period("2026-11")
    with pytest.raises(BusinessRuleViolation) as refused:
        one.post_journal_entry(DAY, "d", lines("1.00"))
    assert refused.value.code == "PERIOD_CLOSED"
    # A period ``one`` remembered as absent, opened by ``two``, is found.
    with pytest.raises(Exception):  # noqa: B017 - not opened yet
        one.post_journal_entry(date(2026, 12, 1), "e", lines("1.00"))
    two.open_period("2026-12")
    assert one.post_journal_entry(date(2026, 12, 1), "e",
                                  lines("1.00")).value.voucher_seq == 1


def test_a_stale_cached_copy_is_refused_by_the_version_check_and_retried(sqlite_url):
    one = FactoryLedger(parse_database_url(sqlite_url))
    two = FactoryLedger(parse_database_url(sqlite_url))
    one.open_period("2026-11")
    one.post_journal_entry(DAY, "a", lines("1.00"))
    # ``two`` writes after ``one`` checked the head: ``one`` decides on its
    # stale period, the store refuses the version, ``one`` retries.
    sync = one._sync
    calls = []

    def late_write():
        evicted = sync()
        if not calls:
            calls.append(two.post_journal_entry(DAY, "b", lines("1.00")))
        return evicted

    one._sync = late_write
    assert one.post_journal_entry(DAY, "c", lines("1.00")).value.voucher_seq == 3
    assert calls[0].value.voucher_seq == 2


def test_threads_of_one_process_never_race_nor_read_the_store_again(sqlite_url, monkeypatch):
    """Eight threads posting through one application: each decides on the
    cache (the previous one's unsaved period), the group commit writes them,
    and the head moves over this process's own positions in whatever order
    the members finish, so nothing is evicted, reloaded or refused by the
    version check (a regression: a member finishing before the one before it
    left the head behind, the next sync evicted the period as "written by
    someone else", and commands lost races on its reloaded copies)."""
    from domain import unit_of_work

    app = FactoryLedger(parse_database_url(sqlite_url))
    app.open_period("2026-11")
    app.post_journal_entry(DAY, "first", lines("1.00"))
    loads, failures = [], []
    real_load, real_failed = unit_of_work.load, app._unsaved_failed
    monkeypatch.setattr(unit_of_work, "load", lambda r, i: loads.append(i) or real_load(r, i))
    monkeypatch.setattr(app, "_unsaved_failed",
                        lambda p, e: failures.append(e) or real_failed(p, e))

    def client(n: int) -> list:
        return [app.post_journal_entry(DAY, f"c{n} {i}", lines("1.00")).value.voucher_seq
                for i in range(25)]

    results = run_together([lambda n=n: client(n) for n in range(8)])
    assert sorted(s for r in results for s in r) == list(range(2, 202))
    assert (loads, failures) == ([], [])
    assert app._cache.head == app.log_position()
    assert app._group.groups < app._group.members


def test_snapshots_are_taken_from_the_decided_aggregate_as_of_their_version(sqlite_url):
    """A snapshot falls due when an aggregate reaches a multiple of its
    interval; it is encoded from the aggregate as the command decided it (no
    read back from the store) and equals the replay of its events."""
    from domain.ledger.periods import FiscalPeriod
    from domain.unit_of_work import load

    app = FactoryLedger(parse_database_url(sqlite_url))
    app.snapshotting_intervals = {FiscalPeriod: 3}
    app.open_period("2026-11")
    results = run_together([lambda i=i: app.post_journal_entry(DAY, f"p{i}", lines("1.00"))
                            for i in range(7)])
    assert all(not isinstance(r, Exception) for r in results), results
    pid = period_id("2026-11")
    taken = [s.originator_version for s in app.snapshots.get(pid)]
    assert taken == [3, 6]
    replayed = None
    for stored in app.repository.event_store.get(pid, lte=6):
        replayed = stored.mutate(replayed)
    snapshot = list(app.snapshots.get(pid, desc=True, limit=1))[0]
    assert vars(snapshot.mutate(None)) == vars(replayed)
    assert load(app.repository, pid).voucher_count == 7


def test_a_command_that_keeps_losing_decides_under_the_write_lock(pg_url, monkeypatch):
    """PostgreSQL: after EXCLUSIVE_AFTER lost races a command takes the events
    table's write lock, then syncs, decides and writes in that transaction;
    here from the first round, on two applications posting at once (as two
    server processes): vouchers stay gap-free and nothing is lost or doubled."""
    from domain import application

    monkeypatch.setattr(application, "EXCLUSIVE_AFTER", 0)
    one = FactoryLedger(parse_database_url(pg_url))
    two = FactoryLedger(parse_database_url(pg_url))
    one.open_period("2026-11")
    ctx = CommandContext(idempotency_key="twice")
    calls = [lambda a=a, i=i: a.post_journal_entry(DAY, f"{i}", lines("1.00"))
             for i in range(6) for a in (one, two)]
    calls += [lambda: one.post_journal_entry(DAY, "k", lines("2.00"), ctx=ctx),
              lambda: one.post_journal_entry(DAY, "k", lines("2.00"), ctx=ctx)]
    results = run_together(calls)
    assert all(not isinstance(r, Exception) for r in results), results
    seqs = sorted({r.value.voucher_seq for r in results})
    assert seqs == list(range(1, 14))
    assert sum(1 for r in results[12:] if r.replayed) == 1
    assert two.repository.get(period_id("2026-11")).voucher_count == 13
    assert event_count(two, period_id("2026-11")) == 14
    one.close()
    two.close()
