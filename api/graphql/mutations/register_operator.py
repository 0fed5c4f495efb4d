"""registerOperator: a person on the floor with the work centers they may report at.

Registering an existing code sets the qualifications."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import found, result_union
from api.graphql.production_types import Operator
from projections import production_queries as pq


@strawberry.input
class RegisterOperatorInput:
    code: str
    name: str
    work_centers: list[str]
    idempotency_key: str | None = None


@strawberry.type
class RegisterOperatorSuccess:
    operator: Operator
    log_position: int
    replayed: bool


RegisterOperatorResult = result_union("RegisterOperatorResult", RegisterOperatorSuccess)


async def register_operator(
    info: Info, input: RegisterOperatorInput  # noqa: A002
) -> RegisterOperatorResult:
    def build(conn, out):
        views = pq.operator_views(conn, out.value.code)
        return RegisterOperatorSuccess(
            operator=Operator.from_view(found(views[0] if views else None,
                                              f"operator {out.value.code}")),
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.register_operator(input.code, input.name, input.work_centers,
                                               ctx=ctx),
        input.idempotency_key,
        build,
    )
