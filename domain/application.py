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
from dataclasses import asdict
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain import clock as company_clock
from domain import event_topics, transcodings
from domain.access import check_allowed
from domain.clock import Clock, DateSettings
from domain.command_table import COMMANDS, READERS, Command
from domain.commands import CommandContext, CommandReceipt, Outcome, fingerprint
from domain.errors import Conflict, DomainError
from domain.ledger.accounts import CHART_ID, ChartOfAccounts, standard_chart
from domain.ledger.gate import Ledger
from domain.ledger.periods import FiscalPeriod
from domain.store import StoreConfig, config_from_env, ensure_sqlite_directory
from domain.unit_of_work import PostingGuessedWrong, UnitOfWork

R = TypeVar("R")

# A lost race is retried this many times before the caller sees a Conflict.
# Eight writers hammering one hot stock balance from separate processes lose
# up to a few dozen rounds in a row in the worst case; the jittered backoff is
# capped low (20 ms) so a writer that lost often is not starved by fresh ones.
MAX_ATTEMPTS = 100
MAX_BACKOFF = 0.02
# Aggregates a command may decide from a cached copy (see ``_remember``).
HOT_TYPES = (FiscalPeriod,)


class FactoryLedger(Application):
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
        self._hot: dict[uuid.UUID, Any] = {}
        self._hot_lock = threading.Lock()
        self._gate = Ledger()
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
            # A new company has the 利润表's 其中 sub-accounts from the start.
            chart.install_statement_sub_accounts()
            stamp([chart], CommandContext(actor="system").resolved().meta("seed_chart"))
            try:
                self.save(chart)
            except IntegrityError:
                pass  # another process seeded it first

    # -- running commands ------------------------------------------------------------
    def __getattr__(self, name: str) -> Callable[..., Any]:
        """``ledger.receive_purchase_order(...)`` runs the command of that name
        from the command table (``ctx=`` gives who runs it); a reader's name
        reads. Everything else is a missing attribute."""
        command = COMMANDS.get(name)
        if command is not None:
            return partial(self.execute, name)
        reader = READERS.get(name)
        if reader is not None:
            return partial(self.read, reader)
        raise AttributeError(f"{type(self).__name__} has no command or reader {name!r}")

    def execute(self, name: str, *args: Any, ctx: CommandContext = CommandContext(),
                **kwargs: Any) -> Outcome[Any]:
        """Run the command ``name`` of the command table with its handler's
        arguments and save what it changed (see ``_run``)."""
        return self.run(COMMANDS[name], *args, ctx=ctx, **kwargs)

    def run(self, command: Command, *args: Any, ctx: CommandContext = CommandContext(),
            **kwargs: Any) -> Outcome[Any]:
        """Run a command (``domain.command_table.as_command(handler)``)."""
        payload = command.payload(args, kwargs)

        def attempt(reads: list[Any]) -> tuple[Any, list[Any]]:
            posts = True
            for _ in range(3):
                uow = self.unit_of_work(posts, reads, actor=ctx.actor)
                try:
                    return command.handler(uow, *args, **kwargs), uow.changed()
                except PostingGuessedWrong as wrong:
                    # A document's voucher came out empty (a count without
                    # value): its movements must name no entry; decide again.
                    posts = wrong.posts
            raise RuntimeError(f"{command.name}: a document cannot decide whether it posts")

        return self._run(command.name, payload, ctx, attempt, command.result_type)

    def read(self, reader: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """A reader from the command table, on a unit of work never saved."""
        return reader(self.unit_of_work(), *args, **kwargs)

    def unit_of_work(self, posts: bool = True, hot_reads: list[Any] | None = None,
                     actor: str = "system") -> UnitOfWork:
        """A fresh unit of work; ``hot_reads`` (inside a command) lets it decide
        from copies of the hot aggregates and records which it used; ``actor``:
        who runs the command."""
        uow = UnitOfWork(self.repository, self._gate, self.now,
                         self._hot if hot_reads is not None else None, posts, actor)
        if hot_reads is not None:
            uow.hot_reads = hot_reads
        return uow

    def _run(
        self,
        command: str,
        payload: Any,
        ctx: CommandContext,
        attempt: Callable[[list[Any]], tuple[R, list[Any]]],
        result_type: type[R],
    ) -> Outcome[R]:
        """Run ``attempt`` and save what it changed, with metadata, idempotency
        and bounded retries. ``attempt`` must be free of side effects: it is
        called again after a lost race.

        The idempotency receipt is checked optimistically: its id is derived
        from the key, so the store refuses a second receipt for one key and
        the receipt is read only when the save (or the handler) fails. Periods
        may come from this process's hot cache; a stale one makes the save fail
        (its version is taken) or the handler refuse, and the attempt is then
        repeated on fresh reads, so the outcome is the same as reading first.
        """
        ctx = ctx.resolved()
        check_allowed(command, ctx.roles)
        key = ctx.idempotency_key
        print_ = fingerprint(command, payload) if key else ""
        for round_ in range(MAX_ATTEMPTS):
            # One writer at a time in this process: threads of one server would
            # otherwise race for the same hot aggregates (the period numbering
            # vouchers, a popular stock balance) and burn attempts on retries.
            # Other processes still race optimistically, and retry below.
            with self._writer:
                outcome, lost_race = self._attempt(command, ctx, key, print_, attempt,
                                                   result_type)
            if outcome is not None:
                return outcome
            if lost_race:
                time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.001 * 2 ** min(round_, 10))))
        raise Conflict(
            f"{command} lost {MAX_ATTEMPTS} races for the same records; try again"
        )

    def _attempt(self, command, ctx, key, print_, attempt, result_type):
        """One try: (outcome, None) when done; (None, lost_race) to try again."""
        reads: list[Any] = []
        try:
            result, to_save = attempt(reads)
        except DomainError:
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False
            if reads:  # perhaps refused on stale cached state: read afresh
                self._forget(reads)
                return None, False
            raise
        if key:
            to_save.append(CommandReceipt(key, command, print_, asdict(result), actor=ctx.actor))
        stamp(to_save, ctx.meta(command))
        try:
            recordings = self.save(*to_save)
        except IntegrityError:
            # The key was used (replay), or a race was lost: reload and retry.
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False
            self._forget(a.id for a in to_save if isinstance(a, HOT_TYPES))
            return None, not reads
        self._remember(a for a in to_save if isinstance(a, HOT_TYPES))
        position = max((r.notification.id for r in recordings), default=0)
        return Outcome(result, position or self.log_position()), False

    # Hot aggregates this process last saved, by id. A command works on a copy;
    # the store's version check catches any write another process made meanwhile.
    def _remember(self, aggregates: Iterable[Any]) -> None:
        with self._hot_lock:
            for aggregate in aggregates:
                known = self._hot.get(aggregate.id)
                if known is None or known.version < aggregate.version:
                    self._hot[aggregate.id] = aggregate

    def _forget(self, ids: Iterable[Any]) -> None:
        with self._hot_lock:
            for agg_id in ids:
                self._hot.pop(agg_id, None)

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

    # -- the company's clock ------------------------------------------------------------
    def now(self) -> datetime:
        """The current instant (aware UTC), from the injected clock."""
        return (self._clock or company_clock.utc_now)()

    def date_settings(self) -> DateSettings:
        return self.unit_of_work().date_settings()

    def today(self) -> date:
        """The company's date in its time zone (not the server's local date)."""
        return self.unit_of_work().today()


def stamp(aggregates: Sequence[Any], meta: dict[str, str]) -> None:
    """Attach the command's metadata to every pending event (stored with it)."""
    for aggregate in aggregates:
        for pending in aggregate.pending_events:
            object.__setattr__(pending, "meta", meta)
