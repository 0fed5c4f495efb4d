"""``systemStatus``: the detail behind /healthz, for admins only: the log
position, every projection's position, the dead letters with their error text
and the worker's last error. /healthz itself tells anyone only a status word
and the lag."""

from __future__ import annotations

import strawberry
from anyio import to_thread
from strawberry.types import Info

from api.graphql.context import context_of, read_key
from api.runtime import SystemStatus as StatusView
from projections.runner import DeadLetter as DeadLetterView


@strawberry.type(description="How far one projection has applied the log.")
class ProjectionStatus:
    name: str
    position: int
    lag: int


@strawberry.type(description="An event a projection could not apply, set aside so the others "
                 "go on; `factoryledger dead-letters retry` applies it again.")
class DeadLetter:
    projection: str
    position: int
    topic: str
    error: str
    failed_at: str
    attempts: int

    @classmethod
    def from_view(cls, v: DeadLetterView) -> DeadLetter:
        return cls(projection=v.projection, position=v.position, topic=v.topic, error=v.error,
                   failed_at=v.failed_at, attempts=v.attempts)


@strawberry.type(description="The read models' health in detail (admin only).")
class SystemStatus:
    status: str = strawberry.field(
        description="ok, degraded (the worker keeps failing), failed (dead letters), rebuilding")
    lag: int
    log_position: int
    following: bool
    rebuilding: bool
    last_error: str | None
    projections: list[ProjectionStatus]
    dead_letters: list[DeadLetter]

    @classmethod
    def from_view(cls, v: StatusView) -> SystemStatus:
        return cls(
            status=v.status, lag=v.lag, log_position=v.log_position, following=v.following,
            rebuilding=v.rebuilding, last_error=v.last_error,
            projections=[ProjectionStatus(name=n, position=p, lag=max(v.log_position - p, 0))
                         for n, p in v.positions.items()],
            dead_letters=[DeadLetter.from_view(d) for d in v.dead_letters],
        )


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Log and projection positions, dead letters and the last "
                      "worker error (admin only).")
    async def system_status(self, info: Info) -> SystemStatus:
        ctx = context_of(info)
        ctx.check_read(read_key(info))  # the admin area of domain/access.py
        return SystemStatus.from_view(await to_thread.run_sync(ctx.runtime.system_status))
