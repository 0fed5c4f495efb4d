"""What the sales-invoicing mutations share: reading an invoice back."""

from __future__ import annotations

from sqlalchemy import Connection

from api.graphql.invoicing_types import SalesInvoice
from api.graphql.mutations._common import found
from projections import invoicing_queries as invq


def invoice_of(conn: Connection, number: str) -> SalesInvoice:
    return SalesInvoice.from_view(found(invq.invoice(conn, number), f"sales invoice {number}"))
