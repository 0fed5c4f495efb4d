"""saveBom: a new version of an item's bill of materials (物料清单).

A cycle through any version of any component is refused."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import BomLineInput, bom_of
from api.graphql.production_types import Bom


@strawberry.input
class SaveBomInput:
    item: str
    version: str
    effective_from: date
    lines: list[BomLineInput]
    effective_to: date | None = None
    idempotency_key: str | None = None


@strawberry.type
class SaveBomSuccess:
    bom: Bom
    log_position: int
    replayed: bool


SaveBomResult = result_union("SaveBomResult", SaveBomSuccess)


async def save_bom(info: Info, input: SaveBomInput) -> SaveBomResult:  # noqa: A002
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.save_bom(input.item, input.version, input.effective_from, lines,
                                      input.effective_to, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SaveBomSuccess(
            bom=bom_of(conn, out.value.code), log_position=out.position, replayed=out.replayed),
    )
