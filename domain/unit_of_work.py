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

import uuid
from collections.abc import Callable, Sequence
from copy import deepcopy
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


class HotAggregates(Protocol):
    """Aggregates this process last saved and keeps (fiscal periods): a
    command may decide from a copy; the store's version check catches a
    write another process made meanwhile (see ``FactoryLedger._attempt``)."""

    def get(self, agg_id: uuid.UUID) -> Aggregate | None: ...


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
        hot: HotAggregates | None = None,
        posts: bool = True,
        actor: str = "system",
    ) -> None:
        self.repository = repository
        self.actor = actor
        self.ledger = ledger
        self._clock = clock
        self._hot = hot
        self._loaded: dict[uuid.UUID, Aggregate] = {}
        self._order: list[uuid.UUID] = []
        # Ids read from the hot cache: a refusal may come from a stale copy,
        # so the application retries on fresh reads (see _attempt).
        self.hot_reads: list[uuid.UUID] = []
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
        is raised. ``hot``: a copy from the process's hot cache when known."""
        if agg_id in self._loaded:
            return self._loaded[agg_id]
        aggregate = self._hot.get(agg_id) if hot and self._hot is not None else None
        if aggregate is not None:
            self.hot_reads.append(agg_id)
            aggregate = deepcopy(aggregate)
        else:
            try:
                aggregate = self.repository.get(agg_id)
            except AggregateNotFoundError:
                if factory is None:
                    if missing is None:
                        raise
                    raise missing from None
                aggregate = factory()
        return self._keep(aggregate)

    def peek(self, agg_id: uuid.UUID, missing: Exception | None = None) -> Any:
        """The aggregate as stored, to read only (never saved by this command)."""
        if agg_id in self._loaded:
            return self._loaded[agg_id]
        try:
            return self.repository.get(agg_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            if missing is None:
                raise
            raise missing from None

    def exists(self, agg_id: uuid.UUID) -> bool:
        if agg_id in self._loaded:
            return True
        try:
            self.repository.get(agg_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return False
        return True

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
                stored = self.repository.get(CALENDAR_ID, deepcopy_from_cache=False)
            except AggregateNotFoundError:
                self._settings = DateSettings()
            else:
                self._settings = stored.settings
        return self._settings

    def today(self) -> date:
        """The company's date in its time zone (not the server's)."""
        return company_today(self.now(), self.date_settings().time_zone)
