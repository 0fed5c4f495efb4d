"""The schema: queries, mutations, subscriptions, the Decimal scalar and error masking."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from api.graphql.cash_queries import CashQuery
from api.graphql.equipment_queries import EquipmentQuery
from api.graphql.errors import ERROR_TYPES, should_mask
from api.graphql.fixed_asset_queries import FixedAssetQuery
from api.graphql.inventory_queries import InventoryQuery
from api.graphql.invoicing_queries import InvoicingQuery
from api.graphql.mutations import Mutation
from api.graphql.planning_queries import PlanningQuery
from api.graphql.production_queries import ProductionQuery
from api.graphql.purchase_invoicing_queries import PurchaseInvoicingQuery
from api.graphql.quality_measures_queries import QualityMeasuresQuery
from api.graphql.quality_queries import QualityQuery
from api.graphql.queries import Query
from api.graphql.scalars import SCALAR_MAP, TextInputCheck
from api.graphql.statement_queries import StatementQuery
from api.graphql.subscriptions import Subscription
from api.graphql.system_queries import SystemQuery
from api.limits import GraphQLLimits

log = logging.getLogger("api.graphql")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log unexpected errors with their traceback (before they are masked);
        a client's bad request is not the server's error."""
        for error in errors:
            if should_mask(error):
                StrawberryLogger.error(error, execution_context)
            else:
                log.debug("GraphQL error: %s", error.message)


schema = Schema(
    query=merge_types("Query", (Query, InventoryQuery, ProductionQuery, PlanningQuery, CashQuery,
                                  StatementQuery, PurchaseInvoicingQuery, InvoicingQuery,
                                  QualityQuery, QualityMeasuresQuery, SystemQuery,
                                  EquipmentQuery, FixedAssetQuery)),
    mutation=Mutation,
    subscription=Subscription,
    types=list(ERROR_TYPES),
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
    extensions=[
        TextInputCheck,  # every String/ID input: no NUL, control chars, surrogates, huge text
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
        # tokens, aliases, depth and cost per operation, from the serving app's limits
        GraphQLLimits,
    ],
)
