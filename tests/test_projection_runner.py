"""The projection runner: rebuilds reproduce the tables row for row, a failure
mid-batch leaves nothing half-applied and the next run applies each event
exactly once, batch size does not matter, two runners on one database never
apply a batch twice, and idempotency keys hold across a restart."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from api.runtime import Runtime
from domain.application import FactoryLedger
from domain.commands import CommandContext
from domain.errors import Conflict
from domain.ledger.entries import LineInput
from projections import ledger_queries as q
from projections.db import make_engine
from projections.ledger import LedgerProjection
from projections.registry import all_projections
from projections.runner import ProjectionRunner
from projections.tables import ledger_entries, ledger_lines, metadata, projection_tracking
from projections.verify import build, checksums, scratch_engine

Rows = dict[str, list[tuple]]


def D(account, amount):  # noqa: N802
    return LineInput(account, debit=amount)


def C(account, amount):  # noqa: N802
    return LineInput(account, credit=amount)


# -- a quarter of bookkeeping with known figures -------------------------------------
OFFICE_NOV = Decimal("121.20")  # 1.01 + 2.02 + ... + 15.15
OFFICE_DEC = Decimal("348.45")  # 16.16 + ... + 30.30


def book_quarter(app: FactoryLedger) -> None:
    """Three periods: entries, a same-period and a cross-period reversal, a close and
    reopen, a new sub-account, a deactivation and 30 small vouchers (many events).
    Manual vouchers stay off control accounts (1403, 2202, 1122…): fixed assets
    (1601), other payables (2241) and other receivables (1221) stand in."""
    for period in ("2026-10", "2026-11", "2026-12"):
        app.open_period(period)
    app.post_journal_entry(date(2026, 10, 1), "股东投资",
                           [D("1002", "100000"), C("3001", "100000")])
    app.post_journal_entry(date(2026, 10, 8), "采购钢材",
                           [D("1601", "10000.00"), D("22210101", "1300.00"),
                            C("2241", "11300.00")])
    fee = app.post_journal_entry(date(2026, 10, 20), "银行手续费 (重复)",
                                 [D("5603", "50.00"), C("1002", "50.00")])
    app.close_period("2026-10")
    app.post_journal_entry(date(2026, 11, 3), "支付货款",
                           [D("2241", "11300.00"), C("1002", "11300.00")])
    app.reverse_journal_entry(fee.value.entry_id, date(2026, 11, 4))
    wrong = app.post_journal_entry(date(2026, 11, 5), "错账", [D("1221", "999.99"),
                                                              C("5001", "999.99")])
    app.reverse_journal_entry(wrong.value.entry_id, date(2026, 11, 6))
    app.add_account("560211", "办公费")
    for i in range(1, 31):
        day = date(2026, 11 if i <= 15 else 12, 1 + i % 28)
        amount = f"{i}.{i:02d}"
        app.post_journal_entry(day, f"办公用品 {i}", [D("560211", amount), C("1002", amount)])
    app.reopen_period("2026-10", "late freight invoice")
    app.post_journal_entry(date(2026, 10, 31), "运费", [D("1601", "200.00"), C("1002", "200.00")])
    app.close_period("2026-10")
    app.set_account_active("1012", False)


def assert_quarter_figures(engine: Engine) -> None:
    """The trial balance the quarter must show, to the cent."""
    with engine.connect() as conn:
        nov = {r.code: r for r in q.trial_balance(conn, "2026-11", include_zero=True).rows}
        dec = q.trial_balance(conn, "2026-12")
        entries = q.journal_entries(conn, first=1000).entries
    assert (nov["1002"].opening, nov["1002"].debit, nov["1002"].credit) == (
        Decimal("99750.00"), Decimal("0.00"), Decimal("11300.00") - Decimal("50.00") + OFFICE_NOV)
    assert nov["1002"].closing == Decimal("88378.80")
    assert (nov["5603"].opening, nov["5603"].debit, nov["5603"].closing) == (
        Decimal("50.00"), Decimal("-50.00"), Decimal("0.00"))
    assert (nov["1221"].debit, nov["5001"].credit) == (Decimal("0.00"), Decimal("0.00"))
    assert nov["560211"].debit == OFFICE_NOV and nov["5602"].debit == OFFICE_NOV
    assert nov["2241"].closing == Decimal("0.00")
    dec_rows = {r.code: r for r in dec.rows}
    assert dec_rows["560211"].debit == OFFICE_DEC
    assert dec_rows["1002"].closing == Decimal("88378.80") - OFFICE_DEC
    assert dec.balanced and dec.closing_debit == Decimal("100000.00")
    assert len(entries) == 38
    by_period = {p: [e.voucher_seq for e in entries if e.period == p]
                 for p in ("2026-10", "2026-11", "2026-12")}
    assert by_period == {"2026-10": [1, 2, 3, 4], "2026-11": list(range(1, 20)),
                         "2026-12": list(range(1, 16))}


# -- helpers ----------------------------------------------------------------------------
def table_rows(engine: Engine) -> Rows:
    """Every read-model table (tracking included), all rows in primary-key order."""
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in metadata.sorted_tables
        }


def event_count(app: FactoryLedger) -> int:
    return len(app.recorder.select_notifications(start=1, limit=1_000_000))


def clean_build(rt: Runtime, batch_size: int | None = None) -> Rows:
    with scratch_engine(rt.config) as scratch:
        build(rt.app, scratch, until=None, batch_size=batch_size)
        return table_rows(scratch)


class InjectedFailure(OperationalError):
    """A crash mid-batch (the connection dropped): the batch is retried whole
    later, nothing is set aside as a dead letter."""

    def __init__(self, message: str) -> None:
        super().__init__("COMMIT", {}, ConnectionError(message))


class FailingLedgerProjection(LedgerProjection):
    """The ledger projection, failing in batch ``fail_in`` after writing part of it."""

    def __init__(self, fail_in: int, written_fraction: float = 0.5) -> None:
        self.fail_in = fail_in
        self.written_fraction = written_fraction
        self.calls = 0
        self.seen_in_failed_transaction: tuple[int, int] | None = None

    def apply(self, conn, batch):
        self.calls += 1
        if self.calls != self.fail_in:
            return super().apply(conn, batch)
        cut = max(1, int(len(batch) * self.written_fraction))
        super().apply(conn, batch[:cut])
        # Inside the doomed transaction the rows and the new position are there.
        position = conn.execute(
            select(projection_tracking.c.position).where(projection_tracking.c.name == self.name)
        ).scalar_one()
        lines = conn.execute(select(func.count()).select_from(ledger_lines)).scalar_one()
        self.seen_in_failed_transaction = (position, lines)
        raise InjectedFailure(f"crash in batch {self.calls}")


def with_failing_ledger(failing: FailingLedgerProjection) -> list:
    """Every projection of the build, the ledger one replaced by ``failing``."""
    return [failing if p.name == "ledger" else p for p in all_projections()]


def everywhere(position: int) -> dict[str, int]:
    return {p.name: position for p in all_projections()}


@pytest.fixture
def quarter(runtime) -> Runtime:
    book_quarter(runtime.app)
    return runtime


# -- rebuild ------------------------------------------------------------------------------
def test_rebuild_after_reset_reproduces_every_table_row_for_row(quarter):
    rt = quarter
    rt.runner.catch_up()
    live, live_sums = table_rows(rt.engine), checksums(rt.engine)
    assert_quarter_figures(rt.engine)
    assert len(live["ledger_lines"]) == 2 + 3 + 2 + 2 + 2 + 2 + 2 + 60 + 2
    assert dict(live["projection_tracking"]) == everywhere(rt.app.log_position())

    rt.runner.reset()
    assert all(not rows for name, rows in table_rows(rt.engine).items()
               if name != "projection_tracking")
    assert set(rt.runner.positions().values()) == {0}
    rt.runner.catch_up()

    assert table_rows(rt.engine) == live
    assert checksums(rt.engine) == live_sums
    assert_quarter_figures(rt.engine)


def test_batches_of_three_build_the_same_tables_as_one_big_batch(quarter):
    rt = quarter
    rt.runner.catch_up()
    live = table_rows(rt.engine)
    small, big = clean_build(rt, batch_size=3), clean_build(rt, batch_size=100_000)
    assert small == live
    assert big == live


def test_a_later_catch_up_applies_only_the_new_events(quarter):
    rt = quarter
    assert rt.runner.catch_up() == event_count(rt.app)
    rt.app.post_journal_entry(date(2026, 12, 31), "计提折旧", [D("4101", "10.00"),
                                                            C("1602", "10.00")])
    # A voucher number, the entry, and the first use of 4101 and 1602.
    assert rt.runner.catch_up() == 3
    assert rt.runner.catch_up() == 0
    assert table_rows(rt.engine) == clean_build(rt)
    with rt.read() as conn:
        assert q.trial_balance(conn, "2026-12").debit == OFFICE_DEC + Decimal("10.00")


# -- failure mid-batch ----------------------------------------------------------------------
def test_a_failure_mid_batch_leaves_no_partial_rows_and_the_next_run_applies_it_once(quarter):
    rt = quarter
    failing = FailingLedgerProjection(fail_in=3)
    runner = ProjectionRunner(rt.app, rt.engine, with_failing_ledger(failing), batch_size=10)
    assert runner.run_batch() == 10
    assert runner.run_batch() == 10
    before = table_rows(rt.engine)
    ids = [n.id for n in rt.app.recorder.select_notifications(start=1, limit=100)]
    assert runner.positions() == everywhere(ids[19])

    with pytest.raises(InjectedFailure):
        runner.run_batch()

    position_inside, lines_inside = failing.seen_in_failed_transaction
    assert position_inside == ids[29] and lines_inside > len(before["ledger_lines"])
    assert table_rows(rt.engine) == before
    assert runner.positions() == everywhere(ids[19])

    runner.catch_up()  # the failure was a one-off: batch 3 is applied again, once
    assert runner.positions() == everywhere(rt.app.log_position())
    assert table_rows(rt.engine) == clean_build(rt)
    assert_quarter_figures(rt.engine)


def test_failures_in_any_batch_of_any_size_resume_exactly_once(store_kind_quarter):
    rt, reference = store_kind_quarter
    total = event_count(rt.app)

    @settings(max_examples=10, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(batch_size=st.integers(1, 40), data=st.data(),
           fraction=st.floats(0.0, 1.0))
    def run(batch_size, data, fraction):
        batches = -(-total // batch_size)
        fail_in = data.draw(st.integers(1, batches), label="fail_in")
        rt.runner.reset()
        failing = FailingLedgerProjection(fail_in, fraction)
        runner = ProjectionRunner(rt.app, rt.engine, with_failing_ledger(failing),
                                  batch_size=batch_size)
        for _ in range(fail_in - 1):
            assert runner.run_batch() > 0
        before, reached = table_rows(rt.engine), runner.position()
        with pytest.raises(InjectedFailure):
            runner.catch_up()
        assert table_rows(rt.engine) == before
        assert runner.position() == reached
        runner.catch_up()
        assert table_rows(rt.engine) == reference

    run()


@pytest.fixture
def store_kind_quarter(quarter) -> tuple[Runtime, Rows]:
    with scratch_engine(quarter.config) as scratch:
        build(quarter.app, scratch, until=None)
        reference = table_rows(scratch)
    return quarter, reference


# -- a poison event ----------------------------------------------------------------------------
class PoisonedLedgerProjection(LedgerProjection):
    """The ledger projection that writes the events before ``poison`` and then
    fails on it, every time (a handler bug, not a crash)."""

    def __init__(self, poison: int) -> None:
        self.poison = poison

    def apply(self, conn, batch):
        super().apply(conn, [n for n in batch if n.position < self.poison])
        if any(n.position == self.poison for n in batch):
            raise ValueError(f"cannot apply {self.poison}")
        super().apply(conn, [n for n in batch if n.position > self.poison])


class SkippingLedgerProjection(LedgerProjection):
    def __init__(self, skip: int) -> None:
        self.skip = skip

    def apply(self, conn, batch):
        super().apply(conn, [n for n in batch if n.position != self.skip])


@pytest.mark.parametrize("batch_size", [7, 100_000])
def test_a_poison_event_is_set_aside_and_its_partial_rows_rolled_back(quarter, batch_size):
    """The failing batch's partial rows are rolled back (savepoints); every other
    event is applied once; the tables equal a build that never saw the poison."""
    rt = quarter
    poison = next(n.id for n in rt.app.recorder.select_notifications(start=1, limit=1000)
                  if n.topic.endswith("JournalEntry.Posted"))
    with scratch_engine(rt.config) as scratch:
        ProjectionRunner(rt.app, scratch, with_failing_ledger(SkippingLedgerProjection(poison)),
                         batch_size=batch_size).catch_up()
        reference = table_rows(scratch)
    runner = ProjectionRunner(rt.app, rt.engine,
                              with_failing_ledger(PoisonedLedgerProjection(poison)),
                              batch_size=batch_size)
    assert runner.catch_up() == event_count(rt.app)
    live = table_rows(rt.engine)
    (letter,) = live.pop("projection_dead_letters")
    assert letter[:4] == ("ledger", poison, "domain.ledger.entries:JournalEntry.Posted",
                          f"ValueError: cannot apply {poison}")
    assert letter[5] == 1  # attempts
    assert reference.pop("projection_dead_letters") == []
    assert live == reference
    assert runner.positions() == everywhere(rt.app.log_position())


# -- two runners -----------------------------------------------------------------------------
def race(runners: list[ProjectionRunner]) -> tuple[list[int], list[int]]:
    """Let the runners catch up at once; return what each applied and reached."""
    applied, reached = [0] * len(runners), [0] * len(runners)
    errors: list[BaseException] = []
    start = threading.Barrier(len(runners))

    def follow(i: int) -> None:
        try:
            start.wait()
            applied[i] = runners[i].catch_up()
            reached[i] = runners[i].position()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=follow, args=(i,)) for i in range(len(runners))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return applied, reached


def test_two_runners_catching_up_at_once_apply_every_event_exactly_once(quarter):
    rt = quarter
    total = event_count(rt.app)
    reference = clean_build(rt)
    apps = [FactoryLedger(rt.config) for _ in range(2)]
    engines = [make_engine(rt.config) for _ in range(2)]
    try:
        for _ in range(3):
            rt.runner.reset()
            applied, reached = race([
                ProjectionRunner(a, e, all_projections(), batch_size=3)
                for a, e in zip(apps, engines, strict=True)
            ])
            # Each event sits in exactly one committed batch; the loser of a race
            # commits nothing for that batch.
            assert sum(applied) == total, applied
            # Losing a race is no reason to stop: each caught up to the end of the log.
            assert reached == [rt.app.log_position()] * 2, (applied, reached)
            assert rt.runner.positions() == everywhere(rt.app.log_position())
            assert table_rows(rt.engine) == reference
    finally:
        for e in engines:
            e.dispose()
        for a in apps:
            a.close()


# -- idempotency across a restart ---------------------------------------------------------------
def test_idempotency_keys_replay_the_first_result_after_a_restart(store_config):
    first = Runtime(store_config)
    try:
        first.app.open_period("2026-11", ctx=CommandContext(idempotency_key="open-2026-11"))
        posted = first.app.post_journal_entry(
            date(2026, 11, 2), "股东投资", [D("1002", "100000.00"), C("3001", "100000.00")],
            ctx=CommandContext(actor="alice", idempotency_key="scan-0001"),
        )
        reversed_ = first.app.reverse_journal_entry(
            posted.value.entry_id, date(2026, 11, 3), ctx=CommandContext(idempotency_key="rev-1")
        )
        position = first.app.log_position()
    finally:
        first.close()

    second = Runtime(store_config)
    try:
        app = second.app
        again = app.post_journal_entry(
            date(2026, 11, 2), "股东投资", [D("1002", "100000.00"), C("3001", "100000.00")],
            ctx=CommandContext(actor="alice", idempotency_key="scan-0001"),
        )
        assert again.replayed and not posted.replayed
        assert again.value == posted.value
        assert again.value.voucher_no == "记-0001"
        rev_again = app.reverse_journal_entry(
            posted.value.entry_id, date(2026, 11, 3), ctx=CommandContext(idempotency_key="rev-1")
        )
        assert rev_again.replayed and rev_again.value == reversed_.value
        opened = app.open_period("2026-11", ctx=CommandContext(idempotency_key="open-2026-11"))
        assert opened.replayed and opened.value.period == "2026-11"
        assert app.log_position() == position

        # Keys are scoped per actor (see test_ledger_integrity.py): alice reusing
        # her key with other input, or for another command, is a Conflict.
        with pytest.raises(Conflict, match="scan-0001"):
            app.post_journal_entry(
                date(2026, 11, 2), "股东投资", [D("1002", "100000.01"), C("3001", "100000.01")],
                ctx=CommandContext(actor="alice", idempotency_key="scan-0001"),
            )
        with pytest.raises(Conflict, match="scan-0001"):
            app.close_period("2026-11", ctx=CommandContext(actor="alice",
                                                           idempotency_key="scan-0001"))
        assert app.log_position() == position

        assert second.settle(position)
        with second.read() as conn:
            entries = q.journal_entries(conn, first=100).entries
            tb = q.trial_balance(conn, "2026-11", include_zero=True)
            count = conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one()
        assert count == 2
        assert [(e.voucher_no, e.kind, e.total) for e in entries] == [
            ("记-0001", "ordinary", Decimal("100000.00")),
            ("记-0002", "reversal", Decimal("-100000.00")),
        ]
        assert entries[0].command_id == "scan-0001" and entries[0].actor == "alice"
        rows = {r.code: r for r in tb.rows}
        assert (rows["1002"].debit, rows["1002"].closing) == (Decimal("0.00"), Decimal("0.00"))
    finally:
        second.close()
