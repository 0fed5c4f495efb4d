"""The company's eventsourcing Application: its methods are the use cases.

Each use case reads top to bottom: load aggregates, ask them to decide, save
everything it changed in one atomic ``save``. ``_execute`` wraps every use
case with what the backbone promises: event metadata, idempotency keys, and a
bounded retry when an optimistic-concurrency race is lost.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain import clock as company_clock
from domain import event_topics, transcodings
from domain.access import check_allowed
from domain.clock import (
    CALENDAR_ID,
    Clock,
    CompanyCalendar,
    DateSettings,
    check_business_date,
    company_today,
)
from domain.commands import CommandContext, CommandReceipt, Outcome, fingerprint
from domain.errors import (
    BusinessRuleViolation,
    Conflict,
    DomainError,
    NotFound,
    ValidationError,
)
from domain.finance.cash_usecases import CashUseCases
from domain.inventory.usecases import InventoryUseCases
from domain.invoicing.purchase_usecases import PurchaseInvoicingUseCases
from domain.invoicing.sales_usecases import SalesInvoicingUseCases
from domain.ledger.accounts import (
    CHART_ID,
    Account,
    AccountCategory,
    ChartOfAccounts,
    Side,
    standard_chart,
)
from domain.ledger.entries import (
    EntryKind,
    JournalEntry,
    LineInput,
    SourceRef,
    admit_lines,
    check_summary,
    net_by_account,
    red_lines,
)
from domain.ledger.period_end import PeriodEndUseCases
from domain.ledger.periods import (
    FiscalPeriod,
    PeriodStatus,
    check_period,
    period_id,
    period_of,
    voucher_number,
)
from domain.planning.usecases import PlanningUseCases
from domain.production.usecases import ProductionUseCases
from domain.store import StoreConfig, config_from_env, ensure_sqlite_directory
from domain.users import UsersUseCases
from domain.workflows.monthly_plan import PlanningMonthlyUseCases
from domain.workflows.period_end import OverheadSettlementUseCases

R = TypeVar("R")

# A lost race is retried this many times before the caller sees a Conflict.
# Eight writers hammering one hot stock balance from separate processes lose
# up to a few dozen rounds in a row in the worst case; the jittered backoff is
# capped low (20 ms) so a writer that lost often is not starved by fresh ones.
MAX_ATTEMPTS = 100
MAX_BACKOFF = 0.02


@dataclass(frozen=True)
class AccountResult:
    code: str


@dataclass(frozen=True)
class PeriodResult:
    period: str


@dataclass(frozen=True)
class PostedEntry:
    entry_id: str
    period: str
    voucher_seq: int
    voucher_no: str


class FactoryLedger(
    OverheadSettlementUseCases, PeriodEndUseCases, CashUseCases, SalesInvoicingUseCases,
    PurchaseInvoicingUseCases, PlanningMonthlyUseCases, PlanningUseCases, ProductionUseCases,
    InventoryUseCases, UsersUseCases, Application,
):
    """One company's event store and use cases."""

    name = "FactoryLedger"
    env = {
        # Hot aggregates (periods, the chart, stock balances) stay in memory and
        # are fast-forwarded from the store, so other processes' writes are seen.
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    # A period collects one event per voucher; snapshots keep its load cheap.
    snapshotting_intervals = {FiscalPeriod: 500}

    def __init__(
        self,
        config: StoreConfig | None = None,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
    ):
        # ``clock``: an aware-UTC "now" (tests and fixed-date benchmarks pin it);
        # None reads the real clock (domain.clock.utc_now) at each call.
        self._clock = clock
        self.config = config or config_from_env()
        ensure_sqlite_directory(self.config)
        # Stable topics, aliases of moved classes, class versions (domain/event_topics.py).
        event_topics.install()
        super().__init__(env={**self.config.eventsourcing_env(), **(env or {})})
        self._periods: dict[str, FiscalPeriod] = {}
        self._periods_lock = threading.Lock()
        self._local = threading.local()
        self._writer = threading.RLock()
        self._ensure_chart()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register_all(transcoder)

    # -- infrastructure --------------------------------------------------------
    def log_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _ensure_chart(self) -> None:
        try:
            self.repository.get(CHART_ID, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            chart = ChartOfAccounts(standard_chart())
            _stamp([chart], CommandContext(actor="system").resolved().meta("seed_chart"))
            try:
                self.save(chart)
            except IntegrityError:
                pass  # another process seeded it first

    def _execute(
        self,
        command: str,
        payload: Any,
        ctx: CommandContext,
        decide: Callable[[], tuple[R, Sequence[Any]]],
        result_type: type[R],
    ) -> Outcome[R]:
        """Run ``decide`` and save what it changed, with metadata, idempotency
        and bounded retries. ``decide`` must be free of side effects: it is
        called again after a lost race.

        The idempotency receipt is checked optimistically: its id is derived
        from the key, so the store refuses a second receipt for one key and
        the receipt is read only when the save (or ``decide``) fails. Periods
        may come from this process's cache; a stale one makes the save fail
        (its version is taken) or ``decide`` refuse, and the attempt is then
        repeated on fresh reads, so the outcome is the same as reading first.
        """
        ctx = ctx.resolved()
        check_allowed(command, ctx.roles)
        key = ctx.idempotency_key
        print_ = fingerprint(command, payload) if key else ""
        for attempt in range(MAX_ATTEMPTS):
            # One writer at a time in this process: threads of one server would
            # otherwise race for the same hot aggregates (the period numbering
            # vouchers, a popular stock balance) and burn attempts on retries.
            # Other processes still race optimistically, and retry below.
            with self._writer:
                outcome, lost_race = self._attempt(command, ctx, key, print_, decide,
                                                   result_type)
            if outcome is not None:
                return outcome
            if lost_race:
                time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.001 * 2 ** min(attempt, 10))))
        raise Conflict(
            f"{command} lost {MAX_ATTEMPTS} races for the same records; try again"
        )

    def _attempt(self, command, ctx, key, print_, decide, result_type):
        """One try: (outcome, None) when done; (None, lost_race) to try again."""
        local = self._local
        local.cached_reads = reads = []
        try:
            result, aggregates = decide()
        except DomainError:
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False
            if reads:  # perhaps refused on stale cached state: read afresh
                self._forget_periods(reads)
                return None, False
            raise
        finally:
            local.cached_reads = None
        to_save = list(aggregates)
        if key:
            to_save.append(CommandReceipt(key, command, print_, asdict(result), actor=ctx.actor))
        _stamp(to_save, ctx.meta(command))
        try:
            recordings = self.save(*to_save)
        except IntegrityError:
            # The key was used (replay), or a race was lost: reload and retry.
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False
            self._forget_periods(a.period for a in to_save if isinstance(a, FiscalPeriod))
            return None, not reads
        self._remember_periods(a for a in to_save if isinstance(a, FiscalPeriod))
        position = max((r.notification.id for r in recordings), default=0)
        return Outcome(result, position or self.log_position()), False

    # Periods this process last saved, by code. A command works on a copy; the
    # store's version check catches any write another process made meanwhile.
    def _remember_periods(self, periods: Iterable[FiscalPeriod]) -> None:
        with self._periods_lock:
            for fiscal in periods:
                known = self._periods.get(fiscal.period)
                if known is None or known.version < fiscal.version:
                    self._periods[fiscal.period] = fiscal

    def _forget_periods(self, codes: Iterable[str]) -> None:
        with self._periods_lock:
            for code in codes:
                self._periods.pop(code, None)

    def _receipt(self, actor: str, key: str) -> CommandReceipt | None:
        try:
            return self.repository.get(CommandReceipt.id_for(actor, key),
                                       deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None

    def _replay(
        self, receipt: CommandReceipt, command: str, print_: str, result_type: type[R]
    ) -> Outcome[R]:
        if receipt.command != command or receipt.fingerprint != print_:
            raise Conflict(
                f"idempotency key {receipt.key!r} was already used for a different "
                f"{receipt.command} request"
            )
        # The first result again; its events are at or before the current position.
        return Outcome(result_type(**receipt.result), self.log_position(), replayed=True)

    # -- the company's clock and the business-date gate -------------------------
    def now(self) -> datetime:
        """The current instant (aware UTC), from the injected clock."""
        return (self._clock or company_clock.utc_now)()

    def date_settings(self) -> DateSettings:
        try:
            stored = self.repository.get(CALENDAR_ID, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return DateSettings()
        return stored.settings

    def today(self) -> date:
        """The company's date in its time zone (not the server's local date)."""
        return company_today(self.now(), self.date_settings().time_zone)

    def set_company_settings(
        self,
        time_zone: str,
        days_back: int,
        days_ahead: int,
        ctx: CommandContext = CommandContext(),
    ) -> Outcome[DateSettings]:
        """The company's time zone and the window of business dates it accepts."""
        settings = DateSettings(time_zone, days_back, days_ahead).checked()

        def decide():
            try:
                stored = self.repository.get(CALENDAR_ID)
            except AggregateNotFoundError:
                return settings, [CompanyCalendar(settings)]
            stored.change(settings)
            return settings, [stored]

        return self._execute("set_company_settings", settings, ctx, decide, DateSettings)

    def business_date(self, day: date, field: str = "postingDate",
                      check_period: bool = True) -> date:
        """The one gate of every dated command: ``day`` must be a date within
        the company's window around its today (DATE_OUT_OF_RANGE), in a period
        that was opened (NotFound) and is not closed (PERIOD_CLOSED), like a
        posting. A command that posts nothing (an operation report of
        quantities only, a count without difference) meets the same rules.
        ``check_period=False``: the window only (the caller numbers a voucher
        in the period, which checks it)."""
        settings = self.date_settings()
        today = company_today(self.now(), settings.time_zone)
        check_business_date(day, today, settings, field)
        if not check_period:
            return day
        fiscal = self._period(period_of(day))
        if fiscal.status is not PeriodStatus.OPEN:
            raise BusinessRuleViolation(
                "PERIOD_CLOSED",
                f"{field} {day.isoformat()} is in period {fiscal.period}, which is closed; "
                "date it in an open period or reopen the period",
            )
        return day

    # -- readers the use cases share ------------------------------------------
    def chart(self) -> ChartOfAccounts:
        return self.repository.get(CHART_ID, deepcopy_from_cache=False)

    def _chart_for_change(self) -> ChartOfAccounts:
        return self.repository.get(CHART_ID)

    def _period(self, period: str, cached: bool = True) -> FiscalPeriod:
        """The period to change (a copy); inside a command, from this
        process's cache when known (see ``_execute``)."""
        reads = getattr(self._local, "cached_reads", None) if cached else None
        known = self._periods.get(period) if reads is not None else None
        if known is not None:
            reads.append(period)
            return deepcopy(known)
        try:
            return self.repository.get(period_id(period))
        except AggregateNotFoundError:
            raise NotFound(
                f"period {period} is not open (it was never opened)", "Period", period
            ) from None

    def journal_entry(self, entry_id: uuid.UUID | str) -> JournalEntry:
        try:
            return self.repository.get(_as_uuid(entry_id, "entryId"))
        except AggregateNotFoundError:
            raise NotFound(f"journal entry {entry_id} does not exist", "JournalEntry",
                           str(entry_id)) from None

    # -- chart of accounts ----------------------------------------------------
    def add_account(
        self,
        code: str,
        name: str,
        category: AccountCategory | None = None,
        normal_balance: Side | None = None,
        ctx: CommandContext = CommandContext(),
    ) -> Outcome[AccountResult]:
        def decide():
            chart = self._chart_for_change()
            account = chart.add_account(code, name, category, normal_balance)
            return AccountResult(account.code), [chart]

        payload = (code, name, category, normal_balance)
        return self._execute("add_account", payload, ctx, decide, AccountResult)

    def rename_account(self, code: str, name: str, ctx: CommandContext = CommandContext()):
        def decide():
            chart = self._chart_for_change()
            account = chart.rename_account(code, name)
            return AccountResult(account.code), [chart]

        return self._execute("rename_account", (code, name), ctx, decide, AccountResult)

    def set_account_active(
        self, code: str, active: bool, ctx: CommandContext = CommandContext()
    ) -> Outcome[AccountResult]:
        def decide():
            chart = self._chart_for_change()
            account = chart.set_active(code, active)
            return AccountResult(account.code), [chart]

        return self._execute("set_account_active", (code, active), ctx, decide, AccountResult)

    def set_account_control(
        self, code: str, controlled: bool, ctx: CommandContext = CommandContext()
    ) -> Outcome[AccountResult]:
        """Mark an account as a control account (控制科目): from then on only
        documents post to it. The built-in control accounts cannot be unmarked."""

        def decide():
            chart = self._chart_for_change()
            account = chart.set_controlled(code, bool(controlled))
            return AccountResult(account.code), [chart]

        return self._execute("set_account_control", (code, bool(controlled)), ctx, decide,
                             AccountResult)

    def account(self, code: str) -> Account:
        return self.chart().get(code)

    # -- periods --------------------------------------------------------------
    def open_period(self, period: str, ctx: CommandContext = CommandContext()):
        period = check_period(period)

        def decide():
            try:
                self.repository.get(period_id(period), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return PeriodResult(period), [FiscalPeriod(period)]
            from domain.errors import BusinessRuleViolation

            raise BusinessRuleViolation("PERIOD_EXISTS", f"period {period} is already opened")

        return self._execute("open_period", period, ctx, decide, PeriodResult)

    def close_period(self, period: str, ctx: CommandContext = CommandContext()):
        period = check_period(period)

        def decide():
            fiscal = self._period(period)
            fiscal.close()
            return PeriodResult(period), [fiscal]

        return self._execute("close_period", period, ctx, decide, PeriodResult)

    def reopen_period(self, period: str, reason: str, ctx: CommandContext = CommandContext()):
        period = check_period(period)

        def decide():
            fiscal = self._period(period)
            fiscal.reopen(reason)
            return PeriodResult(period), [fiscal]

        return self._execute("reopen_period", (period, reason), ctx, decide, PeriodResult)

    def period(self, period: str) -> FiscalPeriod:
        return self._period(check_period(period), cached=False)

    # -- journal entries ------------------------------------------------------
    def post_journal_entry(
        self,
        posting_date: date,
        summary: str,
        lines: Sequence[LineInput],
        source: SourceRef | None = None,
        ctx: CommandContext = CommandContext(),
    ) -> Outcome[PostedEntry]:
        summary = check_summary(summary)

        def decide():
            entry, changed = self.prepare_entry(posting_date, summary, lines, source,
                                                manual=True)
            return _posted(entry), changed

        payload = (posting_date, summary, list(lines), source)
        return self._execute("post_journal_entry", payload, ctx, decide, PostedEntry)

    def prepare_entry(
        self,
        posting_date: date,
        summary: str,
        lines: Sequence[LineInput],
        source: SourceRef | None = None,
        kind: EntryKind = EntryKind.ORDINARY,
        red: bool = False,
        fiscal: FiscalPeriod | None = None,
        manual: bool = False,
        entry_id: uuid.UUID | None = None,
    ) -> tuple[JournalEntry, list[Any]]:
        """Admit lines and number the voucher; return the entry and every
        aggregate to save with it. Other use cases (receipts, issues…) call this
        to post in the same atomic save as their business fact."""
        if not isinstance(posting_date, date):
            raise ValidationError("postingDate must be a date", "postingDate")
        # The window here; the closed period when the period numbers the voucher.
        self.business_date(posting_date, "postingDate", check_period=False)
        chart = self.chart()
        admitted = admit_lines(lines, chart)
        if manual:
            # A manual voucher never touches a control account: its balance
            # belongs to a sub-ledger (stock, WIP, open items) and only the
            # documents keeping that sub-ledger post to it.
            for i, line in enumerate(admitted):
                chart.check_manual(line.account, f"lines.{i}.account")
        if red:  # 红字: the same accounts and sides with negative amounts (a red invoice)
            admitted = red_lines(admitted)
        # ``fiscal``: the period copy a caller already decides from (period end).
        if fiscal is None or fiscal.period != period_of(posting_date):
            fiscal = self._period(period_of(posting_date))
        # ``entry_id``: chosen by a caller whose stock movements already name it.
        entry_id = entry_id or uuid.uuid4()
        seq = fiscal.assign_voucher(entry_id, net_by_account(admitted))
        entry = JournalEntry(
            period=fiscal.period,
            voucher_seq=seq,
            posting_date=posting_date,
            summary=summary,
            lines=admitted,
            kind=kind,
            source=source,
            id=entry_id,
        )
        changed: list[Any] = [fiscal, entry]
        used = {line.account for line in admitted}
        if chart.unused_of(used):
            chart = self._chart_for_change()
            chart.mark_used(used)
            changed.append(chart)
        return entry, changed

    def reverse_journal_entry(
        self,
        entry_id: str,
        posting_date: date,
        summary: str | None = None,
        ctx: CommandContext = CommandContext(),
    ) -> Outcome[PostedEntry]:
        def decide():
            original = self.journal_entry(entry_id)
            original.check_reversible()
            _check_document_reversal(original, self.chart())
            if not isinstance(posting_date, date):
                raise ValidationError("postingDate must be a date", "postingDate")
            self.business_date(posting_date, "postingDate", check_period=False)
            fiscal = self._period(period_of(posting_date))
            reversal_id = uuid.uuid4()
            seq = fiscal.assign_voucher(reversal_id, net_by_account(red_lines(original.lines)))
            text = check_summary(
                summary
                or f"冲销 {voucher_number(original.voucher_seq)} ({original.period}) "
                f"{original.summary}"[:200]
            )
            reversal = JournalEntry(
                period=fiscal.period,
                voucher_seq=seq,
                posting_date=posting_date,
                summary=text,
                lines=red_lines(original.lines),
                kind=EntryKind.REVERSAL,
                reverses=original.id,
                source=original.source,
                id=reversal_id,
            )
            original.mark_reversed(reversal_id)
            return _posted(reversal), [fiscal, reversal, original]

        payload = (str(entry_id), posting_date, summary)
        return self._execute("reverse_journal_entry", payload, ctx, decide, PostedEntry)


def _check_document_reversal(original: JournalEntry, chart: ChartOfAccounts) -> None:
    """A voucher a document posted is not reversed by hand when it touches a
    control account: the document (receipt, invoice, issue…) would still
    stand in its sub-ledger while the ledger forgot it. Manual vouchers
    (no source) stay reversible, also old ones on control accounts, since
    reversing them brings the ledger back to its sub-ledger."""
    if original.source is None:
        return
    for line in original.lines:
        if chart.control_of(line.account) is not None:
            account = chart.get(line.account)
            source = original.source
            label = f"{source.kind} {source.label or source.id}".strip()
            raise BusinessRuleViolation(
                "CONTROL_ACCOUNT",
                f"voucher {voucher_number(original.voucher_seq)} ({original.period}) was "
                f"posted by the document {label} and moves control account {line.account} "
                f"{account.name}; correct the document through "
                f"{chart.correction_for(line.account)}, not by reversing its voucher",
            )


def _posted(entry: JournalEntry) -> PostedEntry:
    return PostedEntry(
        entry_id=str(entry.id),
        period=entry.period,
        voucher_seq=entry.voucher_seq,
        voucher_no=voucher_number(entry.voucher_seq),
    )


def _stamp(aggregates: Sequence[Any], meta: dict[str, str]) -> None:
    """Attach the command's metadata to every pending event (stored with it)."""
    for aggregate in aggregates:
        for pending in aggregate.pending_events:
            object.__setattr__(pending, "meta", meta)


def _as_uuid(value: uuid.UUID | str, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not an id", field) from None
