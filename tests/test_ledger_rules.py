"""Ledger rules, each refusal, and voucher numbering, through the use cases."""

from datetime import date
from decimal import Decimal

import pytest

from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, Conflict, NotFound, ValidationError
from domain.ledger.accounts import AccountCategory, Side
from domain.ledger.entries import LineInput
from projections import ledger_queries as q
from tests.scenes.usecases import refused

NOV = date(2026, 11, 10)


def D(account, amount):  # noqa: N802
    return LineInput(account, debit=amount)


def C(account, amount):  # noqa: N802
    return LineInput(account, credit=amount)


@pytest.fixture
def ledger(memory_runtime):
    """November open, on the in-memory store: the rules need no read model."""
    memory_runtime.app.open_period("2026-11")
    return memory_runtime


@pytest.fixture
def ledger_store(runtime):
    """November open on SQLite and PostgreSQL, for tests that read the ledger
    read model back or rest on the store refusing a second idempotency receipt."""
    runtime.app.open_period("2026-11")
    return runtime


def test_balanced_entry_is_posted_with_the_first_voucher_number(ledger):
    out = ledger.app.post_journal_entry(
        NOV, "invest", [D("1002", "100000.00"), C("3001", "100000")])
    assert out.value.voucher_no == "记-0001"
    assert out.value.period == "2026-11"


@pytest.mark.parametrize(
    "lines, error, detail",
    [
        ([D("1002", "100.00"), C("3001", "99.99")], BusinessRuleViolation, "ENTRY_UNBALANCED"),
        ([D("1002", "100.001"), C("3001", "100.001")], ValidationError, "lines.0.debit"),
        ([D("1002", "-5.00"), C("3001", "-5.00")], ValidationError, "lines.0.debit"),
        ([D("1002", "1000000000000.00"), C("3001", "1000000000000.00")], ValidationError,
         "lines.0.debit"),
        ([D("1002", "abc"), C("3001", "1")], ValidationError, "lines.0.debit"),
        ([D("1002", "NaN"), C("3001", "1")], ValidationError, "lines.0.debit"),
        ([D("1002", "0.00"), C("3001", "0.00")], ValidationError, "lines.0"),
        ([LineInput("1002", debit="1", credit="1"), C("3001", "0")], ValidationError, "lines.0"),
        ([D("1002", "1.00")], ValidationError, "lines"),
        ([], ValidationError, "lines"),
        ([D("9999", "1.00"), C("3001", "1.00")], NotFound, "9999"),
        ([D("2202", "1.00"), C("3001", "1.00")], BusinessRuleViolation, "ACCOUNT_NOT_LEAF"),
    ],
    ids=["unbalanced", "three-decimals", "negative", "too-large", "not-a-number", "nan",
         "zero", "both-sides", "one-line", "no-lines", "unknown-account", "non-leaf"],
)
def test_bad_entries_are_refused_and_write_nothing(ledger, lines, error, detail):
    exc = refused(ledger, error, ledger.app.post_journal_entry, NOV, "bad", lines)
    if isinstance(exc, ValidationError):
        assert exc.field == detail
    elif isinstance(exc, BusinessRuleViolation):
        assert exc.code == detail
    else:
        assert exc.key == detail


def test_summary_is_required(ledger):
    exc = refused(ledger, ValidationError, ledger.app.post_journal_entry, NOV, "  ",
                  [D("1002", "1"), C("3001", "1")])
    assert exc.field == "summary"


def test_posting_into_an_unknown_period_is_refused(ledger):
    exc = refused(ledger, NotFound, ledger.app.post_journal_entry, date(2026, 12, 1), "x",
                  [D("1002", "1"), C("3001", "1")])
    assert exc.kind == "Period"


def test_posting_into_a_closed_period_is_refused_until_it_is_reopened(ledger):
    ledger.app.close_period("2026-11")
    exc = refused(ledger, BusinessRuleViolation, ledger.app.post_journal_entry, NOV, "x",
                  [D("1002", "1"), C("3001", "1")])
    assert exc.code == "PERIOD_CLOSED"
    refused(ledger, ValidationError, ledger.app.reopen_period, "2026-11", "")
    ledger.app.reopen_period("2026-11", "late supplier invoice")
    out = ledger.app.post_journal_entry(NOV, "x", [D("1002", "1"), C("3001", "1")])
    assert out.value.voucher_no == "记-0001"


def test_period_codes_are_checked(ledger):
    for bad in ("2026-13", "26-11", "2026/11", ""):
        exc = refused(ledger, ValidationError, ledger.app.open_period, bad)
        assert exc.field == "period"
    exc = refused(ledger, BusinessRuleViolation, ledger.app.open_period, "2026-11")
    assert exc.code == "PERIOD_EXISTS"


def test_voucher_numbers_are_per_period_and_gap_free_despite_refusals(ledger):
    ledger.app.open_period("2026-12")
    app = ledger.app
    good = [D("1002", "1.00"), C("3001", "1.00")]
    numbers = [app.post_journal_entry(NOV, "a", good).value.voucher_no]
    with pytest.raises(BusinessRuleViolation):
        app.post_journal_entry(NOV, "bad", [D("1002", "1.00"), C("3001", "2.00")])
    numbers.append(app.post_journal_entry(date(2026, 12, 1), "b", good).value.voucher_no)
    numbers.append(app.post_journal_entry(NOV, "c", good).value.voucher_no)
    assert numbers == ["记-0001", "记-0001", "记-0002"]


def test_reversal_posts_red_amounts_and_nets_turnover(ledger_store):
    app = ledger_store.app
    # Fixed assets and other payables: a manual voucher may not touch a control
    # account (1403, 2202…), see test_control_accounts.py.
    original = app.post_journal_entry(NOV, "wrong", [D("1601", "560.00"), C("2241", "560.00")])
    reversal = app.reverse_journal_entry(original.value.entry_id, date(2026, 11, 12))
    assert reversal.value.voucher_no == "记-0002"
    ledger_store.runner.catch_up()
    with ledger_store.read() as conn:
        entry = q.journal_entry(conn, reversal.value.entry_id)
        tb = q.trial_balance(conn, "2026-11", include_zero=True, leaves_only=True)
        first = q.journal_entry(conn, original.value.entry_id)
    assert [(ln.account_code, ln.debit, ln.credit) for ln in entry.lines] == [
        ("1601", Decimal("-560.00"), Decimal("0.00")),
        ("2241", Decimal("0.00"), Decimal("-560.00")),
    ]
    assert entry.kind == "reversal" and entry.reverses == original.value.entry_id
    assert first.reversed_by == reversal.value.entry_id
    rows = {r.code: r for r in tb.rows}
    assert rows["1601"].debit == Decimal("0.00") and rows["1601"].closing == Decimal("0.00")
    assert tb.debit == tb.credit == Decimal("0.00")


def test_an_entry_can_be_reversed_only_once_and_a_reversal_not_at_all(ledger):
    app = ledger.app
    original = app.post_journal_entry(NOV, "x", [D("1002", "5.00"), C("3001", "5.00")])
    reversal = app.reverse_journal_entry(original.value.entry_id, NOV)
    exc = refused(ledger, BusinessRuleViolation, app.reverse_journal_entry,
                  original.value.entry_id, NOV)
    assert exc.code == "ALREADY_REVERSED"
    exc = refused(ledger, BusinessRuleViolation, app.reverse_journal_entry,
                  reversal.value.entry_id, NOV)
    assert exc.code == "REVERSAL_NOT_REVERSIBLE"


def test_reversal_is_dated_in_an_open_period(ledger):
    app = ledger.app
    original = app.post_journal_entry(NOV, "x", [D("1002", "5.00"), C("3001", "5.00")])
    refused(ledger, NotFound, app.reverse_journal_entry, original.value.entry_id, date(2027, 1, 1))
    refused(ledger, ValidationError, app.reverse_journal_entry, "not-an-id", NOV)
    refused(ledger, NotFound, app.reverse_journal_entry, "6f1c9a52-34d1-4c8e-9a77-2f1b1c0e7a10",
            NOV)


def test_sub_accounts_extend_their_parent_code_and_inherit_its_side(ledger):
    app = ledger.app
    app.add_account("100201", "工商银行 ICBC")
    acc = app.account("100201")
    assert (acc.category, acc.normal_balance) == (AccountCategory.ASSET, Side.DEBIT)
    assert not app.chart().is_leaf("1002")
    exc = refused(ledger, BusinessRuleViolation, app.post_journal_entry, NOV, "x",
                  [D("1002", "1"), C("3001", "1")])
    assert exc.code == "ACCOUNT_NOT_LEAF"
    refused(ledger, NotFound, app.add_account, "999901", "orphan")
    refused(ledger, ValidationError, app.add_account, "10020", "odd length")
    refused(ledger, ValidationError, app.add_account, "1002ab", "letters")
    exc = refused(ledger, BusinessRuleViolation, app.add_account, "100201", "again")
    assert exc.code == "ACCOUNT_EXISTS"
    refused(ledger, ValidationError, app.add_account, "6001", "top level without a category")
    app.add_account("6001", "自定义 custom", AccountCategory.ASSET, Side.DEBIT)


def test_an_account_with_postings_cannot_get_sub_accounts(ledger):
    app = ledger.app
    app.post_journal_entry(NOV, "x", [D("1002", "1"), C("3001", "1")])
    exc = refused(ledger, BusinessRuleViolation, app.add_account, "100201", "ICBC")
    assert exc.code == "PARENT_HAS_POSTINGS"


def test_deactivated_accounts_refuse_postings_and_can_be_reactivated(ledger_store):
    app = ledger_store.app
    app.set_account_active("1001", False)
    exc = refused(ledger_store, BusinessRuleViolation, app.post_journal_entry, NOV, "x",
                  [D("1001", "1"), C("3001", "1")])
    assert exc.code == "ACCOUNT_INACTIVE"
    exc = refused(ledger_store, BusinessRuleViolation, app.set_account_active, "1001", False)
    assert exc.code == "ACCOUNT_STATE_UNCHANGED"
    app.set_account_active("1001", True)
    app.post_journal_entry(NOV, "x", [D("1001", "1"), C("3001", "1")])
    ledger_store.runner.catch_up()
    with ledger_store.read() as conn:
        row = q.account(conn, "1001")
    assert row.active and row.used and row.is_leaf


def test_deactivating_a_parent_deactivates_its_sub_accounts(ledger):
    app = ledger.app
    app.set_account_active("2221", False)
    for code in ("2221", "222101", "22210101", "22210102", "222102"):
        assert not app.account(code).active
    exc = refused(ledger, BusinessRuleViolation, app.set_account_active, "22210101", True)
    assert exc.code == "ACCOUNT_INACTIVE"


def test_same_idempotency_key_returns_first_result_and_other_input_conflicts(ledger_store):
    app = ledger_store.app
    ctx = CommandContext(actor="alice", idempotency_key="scan-42")
    first = app.post_journal_entry(NOV, "x", [D("1002", "1.00"), C("3001", "1.00")], ctx=ctx)
    position = app.log_position()
    again = app.post_journal_entry(NOV, "x", [D("1002", "1"), C("3001", Decimal("1.0"))], ctx=ctx)
    assert again.replayed and again.value == first.value
    assert app.log_position() == position
    refused(ledger_store, Conflict, app.post_journal_entry, NOV, "x",
            [D("1002", "2.00"), C("3001", "2.00")], ctx=ctx)
    refused(ledger_store, Conflict, app.close_period, "2026-11", ctx=ctx)


def test_every_event_carries_actor_command_and_correlation_ids(ledger):
    app = ledger.app
    ctx = CommandContext(actor="alice", idempotency_key="k-1", correlation_id="req-7")
    app.post_journal_entry(NOV, "x", [D("1002", "1.00"), C("3001", "1.00")], ctx=ctx)
    notifications = app.recorder.select_notifications(start=1, limit=100)
    metas = [app.mapper.to_domain_event(n).meta for n in notifications]
    assert all({"actor", "command", "command_id", "correlation_id"} <= m.keys() for m in metas)
    mine = [m for m in metas if m["command_id"] == "k-1"]
    assert len(mine) >= 3  # voucher number, entry, receipt (and first use of accounts)
    assert {(m["actor"], m["correlation_id"], m["command"]) for m in mine} == {
        ("alice", "req-7", "post_journal_entry")
    }
