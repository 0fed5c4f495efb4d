"""The projections this build runs, by name (``factoryledger rebuild NAME``)."""

from __future__ import annotations

from projections.inventory import InventoryProjection
from projections.ledger import LedgerProjection
from projections.planning import PlanningProjection
from projections.production import ProductionProjection
from projections.runner import Projection


def all_projections() -> list[Projection]:
    return [LedgerProjection(), InventoryProjection(), ProductionProjection(),
            PlanningProjection()]
