"""Purchase-invoice queries: invoices by supplier and status, one invoice with
its lines, differences and price-difference shares, and a supplier's receipt
lines still to be invoiced. Merged into the root ``Query`` by the schema."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.purchase_invoicing_types import (
    PurchaseInvoice,
    PurchaseInvoiceStatusEnum,
    UninvoicedReceiptLine,
)
from api.graphql.queries import MAX_PAGE, WaitFor
from projections import purchase_invoicing_queries as pq


def _detail(conn, views: list[pq.PurchaseInvoiceView]) -> list[pq.PurchaseInvoiceView]:
    return [pq.purchase_invoice(conn, v.supplier, v.number) for v in views]


@strawberry.type
class PurchaseInvoicingQuery:
    @strawberry.field(description="Purchase invoices newest first; filter by supplier and "
                      "status (held ones list their differences).")
    async def purchase_invoices(
        self,
        info: Info,
        supplier: str | None = None,
        status: PurchaseInvoiceStatusEnum | None = None,
        first: int = 50,
        wait_for: WaitFor = None,
    ) -> list[PurchaseInvoice]:
        if not 1 <= first <= MAX_PAGE:
            raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                             field="first")
        views = await read(info, lambda c: _detail(c, pq.purchase_invoices_list(
            c, supplier=supplier, status=status.value if status else None, limit=first)),
            wait_for)
        return [PurchaseInvoice.from_view(v) for v in views]

    @strawberry.field(description="One purchase invoice by supplier and 20-digit number; "
                      "null if there is none.")
    async def purchase_invoice(self, info: Info, supplier: str, number: str,
                               wait_for: WaitFor = None) -> PurchaseInvoice | None:
        view = await read(info, lambda c: pq.purchase_invoice(c, supplier, number), wait_for)
        return PurchaseInvoice.from_view(view) if view else None

    @strawberry.field(description="A supplier's receipt lines not yet invoiced in full.")
    async def uninvoiced_receipts(self, info: Info, supplier: str,
                                  wait_for: WaitFor = None) -> list[UninvoicedReceiptLine]:
        views = await read(info, lambda c: pq.uninvoiced_receipts(c, supplier), wait_for)
        return [UninvoicedReceiptLine.from_view(v) for v in views]
