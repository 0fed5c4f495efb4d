"""The unit of work: what one attempt of one command reads and changes.

A command handler is a plain function ``handle(uow, ...) -> result``: it
loads aggregates through the unit of work, asks them to decide and returns a
result. Everything it loaded and changed, and everything it added, is saved
by the application in one atomic ``save`` (``domain/application.py``), with
the command's metadata, its idempotency receipt and bounded retries.

The unit of work gives a handler:

- repositories: ``get`` (loaded once per command, a copy to change),
  ``peek`` (read only, never saved), ``exists``, ``add`` (a new aggregate);
- the document numbering: ``number`` (gap-free, PO-000001…) and
  ``document`` (a document's number and its voucher's id, taken before its
  first event is made, so no event is changed afterwards);
- the posting helper ``post`` (a voucher in the same save) and the period
  gate ``business_date``, both kept by the ledger (``domain/ledger/gate.py``)
  and given to the unit of work, so this kernel module knows no context;
- the company's clock: ``now``, ``today``, ``date_settings``;
- ``actor``: who runs the command (a sales invoice's drawer defaults to it).

One unit of work serves one attempt: after a lost race the application
makes a fresh one and calls the handler again, so a handler has no side
effect other than what it asks the unit of work to save.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from domain.clock import CALENDAR_ID, DateSettings, company_today
from domain.sequences import DocumentSequence, sequence_id

A = TypeVar("A", bound=Aggregate)


class LedgerGate(Protocol):
    """What the ledger gives every command: the period gate and posting."""

    def business_date(self, uow: UnitOfWork, day: date, field: str,
                      check_period: bool) -> date: ...

    def post(self, uow: UnitOfWork, day: date, summary: str, lines: Sequence[Any],
             source: Any = None, **options: Any) -> Any: ...


# ``CommandCache.get`` of an aggregate known not to be stored.
ABSENT: Any = object()


class CommandCache:
    """The aggregates as this process's commands last loaded or saved them,
    and the ids known not to be stored (settings never saved, a user not yet
    created), trusted without a read while the log's head is where this
    process last saw it (``head``; the application checks it once per attempt
    and evicts what other processes wrote since).

    A command changes the cached aggregate itself (no copy): commands decide
    one at a time in a process (the application's writer lock) and a command
    that fails evicts every aggregate it took (``UnitOfWork.taken``). A stale
    copy (another process wrote after the head check) cannot be saved: the
    store's version check refuses it and the command is retried on a fresh read.
    """

    # How long an aggregate that lost a race is changed on a copy (seconds).
    CONTENDED_FOR = 10.0

    def __init__(self, maxsize: int = 10000) -> None:
        self.maxsize = maxsize
        self.head = 0
        self.lock = threading.Lock()
        self._items: OrderedDict[uuid.UUID, Any] = OrderedDict()
        # Aggregates other processes also write (this one lost a race on them
        # lately), until when: a command changes a copy of them, so a lost
        # race keeps the cached one, brought forward by the next sync, instead
        # of reading a stock balance's whole history again.
        self._contended: dict[uuid.UUID, float] = {}

    def contend(self, ids: Iterable[uuid.UUID]) -> None:
        until = time.monotonic() + self.CONTENDED_FOR
        with self.lock:
            for i in ids:
                self._contended[i] = until
            if len(self._contended) > self.maxsize:
                now = time.monotonic()
                self._contended = {i: t for i, t in self._contended.items() if t > now}

    def contended(self, agg_id: uuid.UUID) -> bool:
        until = self._contended.get(agg_id)
        return until is not None and until > time.monotonic()

    def get(self, agg_id: uuid.UUID) -> Any:
        """The cached aggregate, ``ABSENT``, or None when not known."""
        with self.lock:
            found = self._items.get(agg_id)
            if found is not None:
                self._items.move_to_end(agg_id)
            return found

    def put(self, aggregate: Aggregate) -> None:
        self._set(aggregate.id, aggregate)

    def put_absent(self, agg_id: uuid.UUID) -> None:
        self._set(agg_id, ABSENT)

    def _set(self, agg_id: uuid.UUID, value: Any) -> None:
        with self.lock:
            self._items[agg_id] = value
            self._items.move_to_end(agg_id)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def evict(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Forget ``ids``; returns those that were known."""
        with self.lock:
            return {i for i in ids if self._items.pop(i, None) is not None}

    def clear(self) -> set[uuid.UUID]:
        """Forget everything; returns what was known."""
        with self.lock:
            known = set(self._items)
            self._items.clear()
            return known

    def __len__(self) -> int:
        return len(self._items)


class PostingGuessedWrong(Exception):
    """Movements were made naming a voucher's entry and the voucher came out
    empty (or the other way round): the application runs the command again
    on fresh copies with the right guess (``UnitOfWork.posts``)."""

    def __init__(self, posts: bool) -> None:
        super().__init__(posts)
        self.posts = posts


class UnitOfWork:
    """The aggregates one command attempt touches, each loaded once."""

    def __init__(
        self,
        repository: Repository,
        ledger: LedgerGate,
        clock: Callable[[], datetime],
        cache: CommandCache | None = None,
        posts: bool = True,
        actor: str = "system",
    ) -> None:
        self.repository = repository
        self.actor = actor
        self.ledger = ledger
        self._clock = clock
        self._cache = cache
        self._loaded: dict[uuid.UUID, Aggregate] = {}
        self._order: list[uuid.UUID] = []
        # Ids read from the command cache: a refusal may come from a copy made
        # stale by another process, so the application checks (see _attempt).
        self.cached_reads: list[uuid.UUID] = []
        # Cached aggregates this attempt took to change: evicted if it fails.
        self.taken: list[uuid.UUID] = []
        # Contended cached aggregates this attempt changes a copy of, by id:
        # the cached one stays as it was if the save fails.
        self.pristine: dict[uuid.UUID, Aggregate] = {}
        # Whether the document this command numbers will post a voucher
        # (guessed True; see ``document`` and ``PostingGuessedWrong``).
        self.posts = posts
        self.document_number = ""
        self.entry_id = ""
        self._settings: DateSettings | None = None

    # -- repositories ---------------------------------------------------------------
    def get(self, agg_id: uuid.UUID, missing: Exception | None = None,
            factory: Callable[[], A] | None = None, hot: bool = False) -> Any:
        """The aggregate to change (loaded once; saved if it changed).
        Not stored: ``factory()`` makes it (and it is saved), else ``missing``
        is raised. (``hot`` is kept for callers: every aggregate is cached.)"""
        if agg_id in self._loaded:
            return self._loaded[agg_id]
        try:
            aggregate = self._read(agg_id)
        except AggregateNotFoundError:
            if factory is None:
                if missing is None:
                    raise
                raise missing from None
            aggregate = factory()
        else:
            if self._cache is not None:
                if self._cache.contended(agg_id):
                    self.pristine[agg_id] = aggregate
                    aggregate = copy.deepcopy(aggregate)
                else:
                    self.taken.append(agg_id)
        return self._keep(aggregate)

    def peek(self, agg_id: uuid.UUID, missing: Exception | None = None) -> Any:
        """The aggregate as stored, to read only (never saved by this command)."""
        if agg_id in self._loaded:
            return self._loaded[agg_id]
        try:
            return self._read(agg_id)
        except AggregateNotFoundError:
            if missing is None:
                raise
            raise missing from None

    def exists(self, agg_id: uuid.UUID) -> bool:
        if agg_id in self._loaded:
            return True
        try:
            self._read(agg_id)
        except AggregateNotFoundError:
            return False
        return True

    def _read(self, agg_id: uuid.UUID) -> Any:
        """From the command cache (a command), else the store; a miss is
        remembered either way (an aggregate, or that none is stored)."""
        cache = self._cache
        if cache is None:
            return self.repository.get(agg_id, deepcopy_from_cache=False)
        found = cache.get(agg_id)
        if found is None:
            try:
                found = load(self.repository, agg_id)
            except AggregateNotFoundError:
                cache.put_absent(agg_id)
                raise
            cache.put(found)
        else:
            self.cached_reads.append(agg_id)
            if found is ABSENT:
                raise AggregateNotFoundError(agg_id)
        return found

    def add(self, *aggregates: A) -> A:
        """New (or already loaded) aggregates to save; returns the last one."""
        for aggregate in aggregates:
            self._keep(aggregate)
        return aggregates[-1]

    def _keep(self, aggregate: A) -> A:
        if aggregate.id not in self._loaded:
            self._order.append(aggregate.id)
        self._loaded[aggregate.id] = aggregate
        return aggregate

    def changed(self) -> list[Aggregate]:
        """What to save: every kept aggregate with new events, in load order."""
        return [a for a in (self._loaded[i] for i in self._order) if a.pending_events]

    # -- document numbering -----------------------------------------------------------
    def number(self, prefix: str) -> str:
        """The next number of a document kind (PO-000001), gap-free: taken
        in the same save as the document."""
        seq = self.get(sequence_id(prefix), factory=lambda: DocumentSequence(prefix))
        return seq.take()

    def document(self, prefix: str) -> tuple[str, str]:
        """This command's document number and its voucher's entry id ("" when
        it posts none), taken once, at the first movement that names them."""
        if not self.document_number:
            self.document_number = self.number(prefix)
            self.entry_id = str(uuid.uuid4()) if self.posts else ""
        return self.document_number, self.entry_id

    def check_posted(self, entry_id: str) -> None:
        """The movements named the entry the voucher made (or none when none)."""
        if self.document_number and entry_id != self.entry_id:
            raise PostingGuessedWrong(bool(entry_id))

    # -- the ledger's gate and posting ------------------------------------------------
    def business_date(self, day: date, field: str = "postingDate",
                      check_period: bool = True) -> date:
        """``day`` within the company's window, in an opened period that is not
        closed (``check_period=False``: the window only)."""
        return self.ledger.business_date(self, day, field, check_period)

    def post(self, day: date, summary: str, lines: Sequence[Any], source: Any = None,
             **options: Any) -> Any:
        """A voucher for ``lines`` in this command's save; returns the entry.
        Options: kind, red, manual, entry_id, cash_flows (domain/ledger/gate.py)."""
        return self.ledger.post(self, day, summary, lines, source, **options)

    # -- the company's clock ----------------------------------------------------------
    def now(self) -> datetime:
        return self._clock()

    def date_settings(self) -> DateSettings:
        if self._settings is None:
            try:
                stored = self.peek(CALENDAR_ID)
            except AggregateNotFoundError:
                self._settings = DateSettings()
            else:
                self._settings = stored.settings
        return self._settings

    def today(self) -> date:
        """The company's date in its time zone (not the server's)."""
        return company_today(self.now(), self.date_settings().time_zone)


def load(repository: Repository, agg_id: uuid.UUID) -> Any:
    """The aggregate from the store (its latest snapshot and later events),
    a new object not shared with the library's cache."""
    snapshots = (list(repository.snapshot_store.get(agg_id, desc=True, limit=1))
                 if repository.snapshot_store is not None else [])
    gt = snapshots[0].originator_version if snapshots else None
    aggregate = None
    for item in [*snapshots, *repository.event_store.get(agg_id, gt=gt)]:
        aggregate = item.mutate(aggregate)
    if aggregate is None:
        raise AggregateNotFoundError(agg_id)
    return aggregate
