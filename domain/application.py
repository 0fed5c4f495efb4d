"""The company's eventsourcing Application: its methods are the use cases.

Each use case reads top to bottom: load aggregates, ask them to decide, save
everything it changed in one atomic ``save``. ``_execute`` wraps every use
case with what the backbone promises: event metadata, idempotency keys, and a
bounded retry when an optimistic-concurrency race is lost.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain import clock as company_clock
from domain import event_topics, transcodings
from domain.access import check_allowed
from domain.clock import Clock, DateSettings
from domain.command_table import COMMANDS, READERS, Command
from domain.commands import CommandContext, CommandReceipt, Outcome, fingerprint
from domain.errors import Conflict, DomainError
from domain.inventory.stock import StockBalance
from domain.ledger.accounts import CHART_ID, ChartOfAccounts, standard_chart
from domain.ledger.gate import Ledger
from domain.ledger.periods import FiscalPeriod
from domain.sequences import DocumentSequence
from domain.store import (
    EarlierMemberFailed,
    GroupCommit,
    GroupMember,
    StoreConfig,
    config_from_env,
    ensure_sqlite_directory,
    is_integrity_error,
    postgres_member,
)
from domain.unit_of_work import ABSENT, CommandCache, PostingGuessedWrong, UnitOfWork
from domain.users.directory import AccessSettings, ApiToken, Principal, User, UserDirectory
from domain.users.handlers import authenticate as authenticate_user

R = TypeVar("R")
log = logging.getLogger(__name__)

# A lost race is retried this many times before the caller sees a Conflict.
# Eight writers hammering one hot stock balance from separate processes lose
# up to a few dozen rounds in a row in the worst case; the jittered backoff is
# capped low (20 ms) so a writer that lost often is not starved by fresh ones.
MAX_ATTEMPTS = 100
MAX_BACKOFF = 0.02
# After this many lost races a command takes the events table's write lock
# before deciding (PostgreSQL; ``FactoryLedger._run_exclusive``).
EXCLUSIVE_AFTER = 5
# Above this many events written by other processes since this one last
# looked, the command cache is dropped rather than evicted entry by entry.
SYNC_LIMIT = 2000
# What a principal is made of (``authenticate`` remembers principals until one changes).
# Compared by exact type: isinstance against an aggregate class goes through
# typing's protocol check (eventsourcing's metaclass), 15 us a call.
USER_TYPES = frozenset({User, UserDirectory, ApiToken, AccessSettings})


class FactoryLedger(Application):
    """One company's event store and use cases."""

    name = "FactoryLedger"
    env = {
        # Hot aggregates (periods, the chart, stock balances) stay in memory and
        # are fast-forwarded from the store, so other processes' writes are seen.
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    # Aggregates that grow with use (a period: one event per voucher; a stock
    # balance: one per movement; a numbering: one per document) are snapshotted,
    # so loading one stays cheap whatever its age.
    snapshotting_intervals = {FiscalPeriod: 500, DocumentSequence: 500, StockBalance: 500}

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
        # What commands read and changed, trusted while no other process writes
        # (see ``_sync``); readers keep the library's fast-forwarded cache.
        self._cache = CommandCache()
        self._sync_lock = threading.Lock()
        # Log positions this process wrote beyond the cache's head (see _wrote).
        self._own_positions: set[int] = set()
        # Saves waiting for their group commit, by the ids of what they change.
        self._unsaved: dict[Any, PendingSave] = {}
        self._group = GroupCommit(self.recorder, on_written=self._wrote)
        self._exclusive_ok = type(self.recorder).__module__.endswith("postgres")
        # Principals by (token, fallback actor), valid while the stamp is unchanged.
        self._principals: dict[Any, tuple[int, Principal]] = {}
        self._users_stamp = 0
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

        def attempt(reads: list[Any], taken: list[Any],
                    pristine: dict[Any, Any]) -> tuple[Any, list[Any]]:
            posts = True
            for _ in range(3):
                uow = self.unit_of_work(posts, reads, actor=ctx.actor)
                uow.taken = taken
                pristine.clear()
                uow.pristine = pristine
                try:
                    return command.handler(uow, *args, **kwargs), uow.changed()
                except PostingGuessedWrong as wrong:
                    # A document's voucher came out empty (a count without
                    # value): its movements must name no entry; decide again
                    # on fresh reads (this try changed cached aggregates).
                    self._cache.evict(taken)
                    taken.clear()
                    posts = wrong.posts
            raise RuntimeError(f"{command.name}: a document cannot decide whether it posts")

        return self._run(command.name, payload, ctx, attempt, command.result_type)

    def authenticate(self, token: str | None, fallback_actor: str = "anonymous") -> Principal:
        """Who a request acts as (``domain/users/handlers.py``), remembered per
        token until a user, token or access setting changes here or anything
        is written by another process: a request costs one max-id read, not
        two to four event-store reads."""
        key = (token, fallback_actor)
        stamp_ = self._users_stamp
        known = self._principals.get(key)
        if (known is not None and known[0] == stamp_
                and self.log_position() == self._cache.head):
            return known[1]
        with self._writer:  # commands change cached users in place
            self._sync()
            stamp_ = self._users_stamp
            principal = authenticate_user(self.unit_of_work(cached_reads=[]), token,
                                          fallback_actor)
        if len(self._principals) > 10000:
            self._principals.clear()
        self._principals[key] = (stamp_, principal)
        return principal

    def read(self, reader: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """A reader from the command table, on a unit of work never saved."""
        return reader(self.unit_of_work(), *args, **kwargs)

    def unit_of_work(self, posts: bool = True, cached_reads: list[Any] | None = None,
                     actor: str = "system") -> UnitOfWork:
        """A fresh unit of work; ``cached_reads`` (inside a command) lets it
        decide from the command cache and records which entries it used;
        ``actor``: who runs the command."""
        uow = UnitOfWork(self.repository, self._gate, self.now,
                         self._cache if cached_reads is not None else None, posts, actor)
        if cached_reads is not None:
            uow.cached_reads = cached_reads
        return uow

    def _run(
        self,
        command: str,
        payload: Any,
        ctx: CommandContext,
        attempt: Callable[[list[Any], list[Any], dict[Any, Any]], tuple[R, list[Any]]],
        result_type: type[R],
    ) -> Outcome[R]:
        """Run ``attempt`` and save what it changed, with metadata, idempotency
        and bounded retries. ``attempt`` must be free of side effects: it is
        called again after a lost race.

        The idempotency receipt is checked optimistically: its id is derived
        from the key, so the store refuses a second receipt for one key and
        the receipt is read only when the save (or the handler) fails. Periods
        come from this process's command cache (``_sync``); a stale one makes
        the save fail (its version is taken) or the handler refuse, and the
        attempt is then repeated on fresh reads, so the outcome is the same as
        reading first.
        """
        ctx = ctx.resolved()
        check_allowed(command, ctx.roles)
        key = ctx.idempotency_key
        print_ = fingerprint(command, payload) if key else ""
        for round_ in range(MAX_ATTEMPTS):
            # One command decides at a time in this process (deciding reads the
            # command cache and changes it in place; it does no I/O but one
            # max-id read), then waits outside the lock for its group commit,
            # while the next one decides, on top of its unsaved state when it
            # needs the same aggregates (a period numbering vouchers, a popular
            # stock balance): no lost races between threads of one server.
            # Other processes still race optimistically, and retry below.
            if round_ >= EXCLUSIVE_AFTER and self._exclusive_ok:
                outcome, lost_race = self._run_exclusive(command, ctx, key, print_,
                                                         attempt, result_type)
                if outcome is not None:
                    return outcome
                continue
            with self._writer:
                outcome, lost_race, pending = self._decide(command, ctx, key, print_,
                                                           attempt, result_type)
            if pending is not None:
                outcome, lost_race = self._commit(pending, command, ctx, key, print_,
                                                  result_type)
            if outcome is not None:
                return outcome
            if lost_race:
                time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.001 * 2 ** min(round_, 10))))
        raise Conflict(
            f"{command} lost {MAX_ATTEMPTS} races for the same records; try again"
        )

    def _run_exclusive(self, command, ctx, key, print_, attempt, result_type):
        """One try that cannot lose a race (PostgreSQL, after EXCLUSIVE_AFTER
        lost ones): the events table's write lock is taken first (what every
        insert takes, so no other process or thread can write meanwhile), then
        the command syncs, decides and writes in that transaction. Optimistic
        retries alone let a process that just won keep winning (its cache is
        current, the loser's needs a sync each time): this bounds a loser's
        wait. This process's other commands wait on ``_writer`` meanwhile; a
        decision built on one of their unsaved saves is not written here (it
        could be written before them) and is tried again the usual way."""
        pending = None
        with self._writer:
            try:
                with (self.recorder.datastore.get_connection() as conn, conn.transaction()):
                    with conn.cursor() as cursor:
                        self.recorder._lock_table(cursor)
                    outcome, lost_race, pending = self._decide(
                        command, ctx, key, print_, attempt, result_type, submit=False)
                    if pending is None:
                        return outcome, lost_race
                    if pending.member.after:
                        pending.member.error = EarlierMemberFailed()
                    else:
                        GroupCommit._member(pending.member, lambda: postgres_member(
                            self.recorder, conn, pending.member.stored))
            except Exception as exc:  # noqa: BLE001 - the transaction failed: the member did
                if pending is None:
                    raise
                pending.member.error, pending.member.positions = exc, ()
            pending.member.done = True
            if pending.member.error is None and pending.member.positions:
                self._wrote(list(pending.member.positions))
            return self._commit(pending, command, ctx, key, print_, result_type)

    def _decide(self, command, ctx, key, print_, attempt, result_type, submit=True):
        """One try, up to its save: (outcome, False, None) when done without
        writing (a replay); (None, lost_race, None) to try again; (None, False,
        pending) when its events wait for the group commit."""
        reads: list[Any] = []
        taken: list[Any] = []
        pristine: dict[Any, Any] = {}
        self._sync()
        try:
            result, to_save = attempt(reads, taken, pristine)
        except DomainError:
            self._cache.evict(taken)  # perhaps changed before the refusal
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False, None
            if reads and (stale := self._sync() & set(reads)):
                # Refused on a copy another process had changed: read afresh.
                self._cache.contend(stale)
                return None, False, None
            raise
        except BaseException:
            self._cache.evict(taken)
            raise
        if key:
            to_save.append(CommandReceipt(key, command, print_, asdict(result), actor=ctx.actor))
        stamp(to_save, ctx.meta(command))
        try:
            collected = ProcessingEvent()
            # ProcessingEvent.collect_events, without its isinstance checks
            # against runtime protocols (a third of a posting's decide time).
            for aggregate in to_save:
                collected.events.extend(aggregate.collect_events())
                collected.aggregates[aggregate.id] = aggregate
            stored = [self.mapper.to_stored_event(e) for e in collected.events]
            snapshots = self._snapshots_due(collected)
        except BaseException:
            self._cache.evict([*taken, *(a.id for a in to_save)])
            raise
        # Built on another command's unsaved state: fails if that one does.
        after = list({id(p): p for i in reads if (p := self._unsaved.get(i)) is not None}
                     .values())
        if any(type(a) in USER_TYPES for a in to_save):
            self._users_stamp += 1  # again when written (see _commit)
        # A copy's original is kept if it is as stored (not another command's
        # unsaved state, which fails with it).
        kept = {i: a for i, a in pristine.items() if i not in self._unsaved}
        pending = PendingSave(GroupMember(stored, [p.member for p in after]), collected,
                              to_save, taken, result, kept, snapshots)
        for aggregate in to_save:
            if type(aggregate) is not CommandReceipt:
                self._cache.put(aggregate)
                self._unsaved[aggregate.id] = pending
        if submit:
            self._group.submit(pending.member)
        return None, False, pending

    def _commit(self, pending, command, ctx, key, print_, result_type):
        """Wait for the group commit of ``pending``: (outcome, False) when
        written or replayed, (None, lost_race) to decide again."""
        self._group.wait(pending.member)
        error = pending.member.error
        with self._writer:
            if any(type(a) in USER_TYPES for a in pending.saved):
                self._users_stamp += 1
            for aggregate in pending.saved:
                if self._unsaved.get(aggregate.id) is pending:
                    del self._unsaved[aggregate.id]
            if error is None:
                self._saved(pending.saved, pending.member.positions)
            else:
                self._unsaved_failed(pending, error)
        if error is None:
            positions = pending.member.positions
            if positions:
                self._put_snapshots(pending.snapshots)
            return Outcome(pending.result, max(positions, default=0) or self.log_position()), False
        if not isinstance(error, EarlierMemberFailed):
            if not is_integrity_error(error):
                raise error
            # The key was used (replay), or a race was lost: reload and retry.
            if key:
                earlier = self._receipt(ctx.actor, key)
                if earlier is not None:
                    return self._replay(earlier, command, print_, result_type), False
        # Backed off either way: another process took the version (a stale
        # cache is the same race, seen later), and a writer retrying at once
        # keeps losing to the one it just lost to.
        return None, not isinstance(error, EarlierMemberFailed)

    # -- snapshots ------------------------------------------------------------------------
    def _snapshots_due(self, collected: ProcessingEvent) -> list[Any]:
        """The snapshots this command's save makes due (an aggregate of
        ``snapshotting_intervals`` reaching a multiple of its interval),
        taken from the aggregate as decided and encoded now, before the next
        command changes it: written after the save, without reading the
        aggregate back from the store (the library's ``take_snapshot``, 30 ms
        for a period of 500 vouchers). A multiple passed in the middle of a
        command's events is taken the library's way (``(id, version)``)."""
        if self.snapshots is None:
            return []
        due: list[Any] = []
        for agg_id, aggregate in collected.aggregates.items():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is None:
                continue
            versions = [e.originator_version for e in collected.events
                        if e.originator_id == agg_id and e.originator_version % interval == 0]
            if not versions:
                continue
            if versions[-1] == aggregate.version:
                snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
                due.append(self.snapshots.mapper.to_stored_event(snapshot_class.take(aggregate)))
            else:
                due.append((agg_id, versions[-1]))
        return due

    def _put_snapshots(self, due: Sequence[Any]) -> None:
        """Write the snapshots of a saved command; a failure loses only the
        shortcut (the next multiple takes one), never the command."""
        for item in due:
            try:
                if isinstance(item, tuple):
                    self.take_snapshot(*item)
                else:
                    self.snapshots.recorder.insert_events([item])
            except Exception:  # noqa: BLE001 - logged; the command is saved
                log.warning("snapshot not written", exc_info=True)

    # -- the command cache ------------------------------------------------------------
    def _unsaved_failed(self, pending: PendingSave, error: BaseException) -> None:
        """A save failed: what it changed in place is forgotten; a contended
        aggregate it changed a copy of gets its original back (``_sync`` brings
        it forward); on a lost race, what it saved is contended from now on."""
        forget = list(pending.taken)
        for aggregate in pending.saved:
            original = pending.pristine.get(aggregate.id)
            if original is not None and self._cache.get(aggregate.id) is aggregate:
                self._cache.put(original)
            else:
                forget.append(aggregate.id)
        self._cache.evict(forget)
        if is_integrity_error(error):
            self._cache.contend([a.id for a in pending.saved
                                 if type(a) is not CommandReceipt])

    def _sync(self) -> set[Any]:
        """Bring the command cache up to the log's head (with ``_writer``
        held): the events other processes wrote since this one last looked
        are applied to the cached aggregates they follow on (one read for all
        of them; none when nothing was written); an aggregate they do not
        follow on is evicted. Returns the ids changed either way."""
        head = self.log_position()
        with self._sync_lock:
            known = self._cache.head
            if head <= known:  # (lower: this process saved since the read)
                return set()
            if head - known > SYNC_LIMIT:  # too much to go through
                changed = self._cache.clear()
            else:
                changed = set()
                written = self.recorder.select_notifications(known + 1, head - known,
                                                             stop=head)
                for n in written:
                    cached = self._cache.get(n.originator_id)
                    if cached is None:
                        continue
                    if n.id in self._own_positions or (
                            cached is not ABSENT and cached.version >= n.originator_version):
                        # Written by this process (perhaps just now, by the group
                        # commit): the cached one has it. (Were that version
                        # another process's, this one's unsaved state on it fails
                        # to save, and is forgotten then.)
                        continue
                    changed.add(n.originator_id)
                    if (cached is ABSENT or n.originator_id in self._unsaved
                            or cached.version + 1 != n.originator_version):
                        self._cache.evict([n.originator_id])
                        continue
                    try:
                        self.mapper.to_domain_event(n).mutate(cached)
                    except Exception:  # noqa: BLE001 - read it afresh instead
                        self._cache.evict([n.originator_id])
            self._cache.head = head
            self._own_positions = {p for p in self._own_positions if p > head}
            self._users_stamp += 1  # another process wrote: perhaps a user
            return changed

    def _wrote(self, positions: Sequence[int]) -> None:
        """This process wrote the events at ``positions`` (its cache holds
        them): the head moves over them once they are contiguous with it (the
        members of a group finish in any order); until then ``_sync`` skips
        them, so they never evict what this process cached."""
        with self._sync_lock:
            own = self._own_positions
            own.update(positions)
            head = self._cache.head
            while head + 1 in own:
                head += 1
                own.discard(head)
            self._cache.head = head

    def _saved(self, aggregates: Sequence[Any], positions: Sequence[int]) -> None:
        """After a command's save (its events at ``positions``, see
        ``_wrote``): drop a copy of what it saved that is older (read from the
        store while the save waited)."""
        for aggregate in aggregates:
            known = self._cache.get(aggregate.id)
            if known is ABSENT or (known is not None and known.version < aggregate.version):
                self._cache.evict([aggregate.id])

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


@dataclass
class PendingSave:
    """A decided command waiting for its group commit."""

    member: GroupMember
    collected: ProcessingEvent
    saved: list[Any]
    taken: list[Any]
    result: Any
    # Originals of the contended aggregates it changed copies of (by id).
    pristine: dict[Any, Any]
    # Snapshots to write once saved (see FactoryLedger._snapshots_due).
    snapshots: list[Any]


def stamp(aggregates: Sequence[Any], meta: dict[str, str]) -> None:
    """Attach the command's metadata to every pending event (stored with it)."""
    for aggregate in aggregates:
        for pending in aggregate.pending_events:
            object.__setattr__(pending, "meta", meta)
