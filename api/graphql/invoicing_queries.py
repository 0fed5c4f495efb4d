"""Sales-invoicing queries: the invoice register, one invoice, shipment lines
not yet invoiced, and the seller's profile. Merged into the root ``Query``."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.invoicing_types import (
    CompanyProfile,
    InvoiceColor,
    SalesInvoice,
    SalesInvoiceConnection,
    SalesInvoiceStatus,
    UninvoicedShipmentLine,
)
from api.graphql.queries import MAX_PAGE, WaitFor
from domain.ledger.periods import check_period
from projections import invoicing_queries as invq


def _code(value: str | None) -> str | None:
    return (value or "").strip().upper() or None


@strawberry.type
class InvoicingQuery:
    @strawberry.field(description="Sales invoices (销项发票台账) in the order issued; filter by "
                      "customer, period (YYYY-MM of the invoice date), colour, status.")
    async def sales_invoices(
        self,
        info: Info,
        customer: str | None = None,
        period: str | None = None,
        color: InvoiceColor | None = None,
        status: SalesInvoiceStatus | None = None,
        blue_number: str | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> SalesInvoiceConnection:
        if not 1 <= first <= MAX_PAGE:
            raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                             field="first")
        page = await read(info, lambda c: invq.invoices_page(
            c, customer=_code(customer), period=check_period(period) if period else None,
            color=color.value if color else None,
            status=status.value if status else None,
            blue_number=(blue_number or "").strip() or None, first=first, after=after),
            wait_for)
        return SalesInvoiceConnection.from_page(page)

    @strawberry.field(description="One sales invoice by its 20-digit number.")
    async def sales_invoice(self, info: Info, number: str,
                            wait_for: WaitFor = None) -> SalesInvoice | None:
        view = await read(info, lambda c: invq.invoice(c, number.strip()), wait_for)
        return SalesInvoice.from_view(view) if view else None

    @strawberry.field(description="Shipment lines not yet invoiced in full (已发货未开票), "
                      "oldest first; optionally of one customer.")
    async def uninvoiced_shipments(self, info: Info, customer: str | None = None,
                                   wait_for: WaitFor = None) -> list[UninvoicedShipmentLine]:
        views = await read(info, lambda c: invq.uninvoiced_shipments(c, _code(customer)),
                           wait_for)
        return [UninvoicedShipmentLine.from_view(v) for v in views]

    @strawberry.field(description="The seller's profile printed on invoices; null until set.")
    async def company_profile(self, info: Info, wait_for: WaitFor = None
                              ) -> CompanyProfile | None:
        view = await read(info, invq.profile, wait_for)
        return CompanyProfile.from_view(view) if view else None
