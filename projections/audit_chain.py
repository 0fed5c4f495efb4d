"""The audit chain: a hash chain over the event log, so that an event row
edited, deleted or inserted through SQL (bypassing the application) is
detected, with its position, also after a rebuild.

For every notification n, in log order::

    leaf_n   = SHA-256(canonical bytes of n: id, originator id, version, topic, state)
    digest_n = SHA-256(digest_prev || leaf_n)
    digest_0 = SHA-256("factoryledger audit chain v1")

A follower beside the projections (``AuditChain.catch_up``) appends one row
(position, leaf, digest) per notification to ``audit_chain``. That table is
not a read model: ``rebuild`` leaves it alone, since it is the memory of what
the log was when the chain first saw each event.

Why a row per position and not only the head: the leaf names the exact row
that changed (every edited row is a finding of its own, not only the first),
a position recorded but gone is a deletion, and a log position at or below
the head that the chain never recorded is an insertion. Gaps in the ids (a
PostgreSQL sequence skips an id when an insert rolls back) are simply never
recorded: a gap is not tampering, but an event that appears later inside a
gap the chain has already passed is an insertion. The digest makes the rows
themselves tamper-evident (each follows from the ones before) and gives one
value that commits to the whole prefix: the period seals (domain/seals.py)
carry it.

Reading is raw (``recorder.select_notifications``): every notification is
chained, also those no projection decodes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.utils import get_topic
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from domain.commands import CommandContext
from domain.errors import DomainError
from domain.ledger.periods import FiscalPeriod, check_period
from domain.seals import PeriodSeal
from projections.tables import audit_chain

log = logging.getLogger(__name__)

GENESIS = hashlib.sha256(b"factoryledger audit chain v1").hexdigest()
SEAL_FORMAT = "factoryledger-seal-v1"
PAGE = 2000
FOLLOW_INTERVAL = 0.25  # seconds between the serving worker's chain passes
CLOSED_TOPIC = get_topic(FiscalPeriod.Closed)
REOPENED_TOPIC = get_topic(FiscalPeriod.Reopened)
SEAL_TOPIC = get_topic(PeriodSeal.Sealed)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# -- the hash rules (pure) -------------------------------------------------------
def canonical(notification: Any) -> bytes:
    """Length-prefixed fields, so no two different rows give the same bytes."""
    parts = (
        str(notification.id).encode(),
        str(notification.originator_id).encode(),
        str(notification.originator_version).encode(),
        (notification.topic or "").encode("utf-8"),
        bytes(notification.state or b""),
    )
    return b"".join(len(p).to_bytes(8, "big") + p for p in parts)


def leaf_of(notification: Any) -> str:
    return hashlib.sha256(canonical(notification)).hexdigest()


def link(previous: str, leaf: str) -> str:
    return hashlib.sha256(bytes.fromhex(previous) + bytes.fromhex(leaf)).hexdigest()


# -- findings and seals ------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    position: int
    kind: str  # edited, deleted, inserted, chain, seal
    detail: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.detail}"


@dataclass(frozen=True)
class Seal:
    """What a company keeps outside the database for a closed month."""

    period: str
    position: int
    digest: str

    def text(self) -> str:
        return json.dumps({"seal": SEAL_FORMAT, "period": self.period,
                           "position": self.position, "digest": self.digest},
                          separators=(",", ":"))

    @classmethod
    def parse(cls, text: str) -> Seal:
        """Read an exported seal; ValueError with one clear line if it is not one."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            raise ValueError(
                "the seal is not JSON (expected the line --export-seal printed)") from None
        if not isinstance(data, dict) or data.get("seal") != SEAL_FORMAT:
            raise ValueError(f"not a {SEAL_FORMAT} seal")
        period, position, digest = data.get("period"), data.get("position"), data.get("digest")
        try:
            period = check_period(period if isinstance(period, str) else "")
        except DomainError:
            raise ValueError(f"the seal's period {period!r} is not a period") from None
        if not isinstance(position, int) or isinstance(position, bool) or position < 1:
            raise ValueError(f"the seal's position {position!r} is not a log position")
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise ValueError("the seal's digest is not 64 lowercase hex digits")
        return cls(period, position, digest)


@dataclass
class AuditReport:
    head: int  # the last position the chain recorded
    log_position: int
    checked: int = 0  # chain records compared with the log
    seals: int = 0  # seals in the log found to hold
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


# -- reading ------------------------------------------------------------------------
def notifications(app: Any, start: int = 1, stop: int | None = None,
                  topics: tuple[str, ...] = ()) -> Iterator[Any]:
    """The raw log from ``start`` to ``stop`` (inclusive), in pages."""
    while stop is None or start <= stop:
        page = app.recorder.select_notifications(start=start, limit=PAGE, stop=stop,
                                                 topics=list(topics) if topics else ())
        if not page:
            return
        yield from page
        start = page[-1].id + 1


def chain_rows(engine: Engine, stop: int | None = None) -> Iterator[Any]:
    last = 0
    while True:
        query = select(audit_chain).where(audit_chain.c.position > last)
        if stop is not None:
            query = query.where(audit_chain.c.position <= stop)
        with engine.connect() as conn:
            rows = conn.execute(query.order_by(audit_chain.c.position).limit(PAGE)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].position


def chain_head(engine: Engine) -> tuple[int, str]:
    with engine.connect() as conn:
        row = conn.execute(select(audit_chain.c.position, audit_chain.c.digest)
                           .order_by(audit_chain.c.position.desc()).limit(1)).first()
    return (row.position, row.digest) if row else (0, GENESIS)


def digest_at(app: Any, position: int) -> str:
    """The chain digest at ``position`` recomputed from the log alone."""
    digest = GENESIS
    for n in notifications(app, 1, position):
        digest = link(digest, leaf_of(n))
    return digest


def _describe(n: Any) -> str:
    return f"{n.topic} {n.originator_id} v{n.originator_version}"


def _decode(app: Any, n: Any) -> Any | None:
    try:
        return app.mapper.to_domain_event(n)
    except Exception:  # an unreadable row is reported as edited already
        return None


# -- the follower ---------------------------------------------------------------------
class AuditChain:
    """Extends the chain over new notifications and seals every period close."""

    def __init__(self, app: Any, engine: Engine, batch_size: int = PAGE,
                 min_interval: float = FOLLOW_INTERVAL) -> None:
        self.app = app
        self.engine = engine
        self.batch_size = batch_size
        self.min_interval = min_interval
        self.last_error: str | None = None
        self._last_pass = float("-inf")
        # The head this follower last wrote or read. It can only be stale behind
        # another follower's writes, and then the insert below meets their rows
        # (primary key) and the head is read again: no query per idle poll.
        self._head: tuple[int, str] | None = None

    def head(self) -> tuple[int, str]:
        return chain_head(self.engine)

    def catch_up(self) -> int:
        """Chain every notification after the head; return how many were chained."""
        total = 0
        while True:
            position, digest = self._head or self.head()
            page = self.app.recorder.select_notifications(start=position + 1,
                                                          limit=self.batch_size)
            if not page:
                self._head = (position, digest)
                return total
            rows, closes = [], []
            for n in page:
                leaf = leaf_of(n)
                digest = link(digest, leaf)
                rows.append({"position": n.id, "leaf": leaf, "digest": digest})
                if n.topic == CLOSED_TOPIC:
                    closes.append((n, digest))
            # Seals first: if the chain insert below is lost to a crash, the
            # next run computes the same digests and the store refuses the
            # same seal again, so no close is ever left unsealed.
            for n, at in closes:
                self._seal(n, at)
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(audit_chain), rows)
            except IntegrityError:
                self._head = None
                continue  # another follower chained these positions first
            self._head = (rows[-1]["position"], digest)
            total += len(rows)

    def follow(self) -> None:
        """For the serving worker: catch up, never raise (the error is kept).

        At most one pass per ``min_interval``: under a stream of commands the
        worker calls this after every catch-up, and one pass over many events
        costs one read and one commit instead of one per command. The worker
        polls while idle, so the tail is chained within a poll or two.
        """
        now = time.monotonic()
        if now - self._last_pass < self.min_interval:
            return
        self._last_pass = now
        try:
            self.catch_up()
            self.last_error = None
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("audit chain: %s", self.last_error)

    def _seal(self, closed: Any, digest: str) -> bool:
        event = _decode(self.app, closed)
        period = getattr(event, "period", None)
        if not isinstance(period, str):
            log.warning("audit chain: cannot read the close at position %s", closed.id)
            return False
        seal = PeriodSeal(period=period, position=closed.id, digest=digest)
        meta = CommandContext(actor="system").resolved().meta("seal_period")
        for pending in seal.pending_events:
            object.__setattr__(pending, "meta", meta)
        try:
            self.app.save(seal)
        except StoreIntegrityError:
            return False  # another follower sealed this close first
        return True


# -- checks -------------------------------------------------------------------------
def audit(app: Any, engine: Engine, until: int | None = None) -> AuditReport:
    """Compare the log with the chain up to the chain head (or ``until``).

    Positions the chain has not reached yet are not judged: the follower
    will chain them as they are.
    """
    head, _ = chain_head(engine)
    end = head if until is None else min(until, head)
    report = AuditReport(head=head, log_position=app.log_position())
    recomputed = folded = GENESIS
    closes: dict[int, str] = {}  # position of a close -> digest recomputed there
    log_rows, chained = notifications(app, 1, end), chain_rows(engine, end)
    n, row = next(log_rows, None), next(chained, None)
    while n is not None or row is not None:
        if row is None or (n is not None and n.id < row.position):
            report.findings.append(Finding(n.id, "inserted", (
                f"event inserted: the chain passed this position without it ({_describe(n)})")))
            leaf, n_done, row_done = leaf_of(n), n, None
        elif n is None or row.position < n.id:
            report.findings.append(Finding(row.position, "deleted", (
                "event deleted: the chain recorded it, the log no longer holds it")))
            leaf, n_done, row_done = None, None, row
        else:
            leaf, n_done, row_done = leaf_of(n), n, row
            if leaf != row.leaf:
                report.findings.append(Finding(n.id, "edited", (
                    f"event edited since the chain recorded it ({_describe(n)})")))
        if row_done is not None:
            report.checked += 1
            folded = link(folded, row_done.leaf)
            if folded != row_done.digest:
                report.findings.append(Finding(row_done.position, "chain", (
                    "audit chain record altered: its digest does not follow from the "
                    "records before it")))
                folded = row_done.digest  # report each break once, not every row after it
            row = next(chained, None)
        if n_done is not None:
            recomputed = link(recomputed, leaf)
            _check_seals(app, n_done, recomputed, closes, report)
            n = next(log_rows, None)
    return report


def _check_seals(app: Any, n: Any, recomputed: str, closes: dict[int, str],
                 report: AuditReport) -> None:
    if n.topic == CLOSED_TOPIC:
        closes[n.id] = recomputed
    elif n.topic == SEAL_TOPIC:
        seal = _decode(app, n)
        if seal is None:
            return
        expected = closes.get(seal.position)
        if expected == seal.digest:
            report.seals += 1
        else:
            report.findings.append(Finding(n.id, "seal", (
                f"seal of {seal.period} no longer holds: the log up to position "
                f"{seal.position} does not give the digest it sealed")))


def seals(app: Any, period: str | None = None) -> list[Seal]:
    """Every seal in the log (of one period), oldest first."""
    found = []
    for n in notifications(app, topics=(SEAL_TOPIC,)):
        event = _decode(app, n)
        if event is not None and (period is None or event.period == period):
            found.append(Seal(event.period, event.position, event.digest))
    return found


def latest_seal(app: Any, period: str) -> Seal | None:
    found = seals(app, check_period(period))
    return found[-1] if found else None


def check_seal(app: Any, engine: Engine, seal: Seal) -> list[Finding]:
    """Does the log up to the seal's position still produce its digest?

    Recomputed from the log alone, so it holds against a database whose
    chain table and seal events were rewritten too. When it fails, the chain
    (if it still has its records) names where.
    """
    if digest_at(app, seal.position) == seal.digest:
        return []
    report = audit(app, engine, until=seal.position)
    return [*report.findings, Finding(seal.position, "seal", (
        f"seal of {seal.period} does not hold: the log up to position {seal.position} "
        "no longer gives the sealed digest"))]
