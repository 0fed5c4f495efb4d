"""Stock documents (出入库单): the business fact of each movement.

One aggregate type for receipts, returns, shipments, transfers, counts and
adjustments: each is recorded once, with its lines valued, and never
changes. The stock balances and the journal entry are saved with it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.transcodings import transcoded


@transcoded("DocumentKind")
class DocumentKind(Enum):
    RECEIPT = "receipt"  # 采购入库
    SUPPLIER_RETURN = "supplier_return"  # 采购退货
    SHIPMENT = "shipment"  # 销售出库
    CUSTOMER_RETURN = "customer_return"  # 销售退货
    TRANSFER = "transfer"  # 调拨
    COUNT = "count"  # 盘点
    ADJUSTMENT = "adjustment"  # 库存调整
    MATERIAL_ISSUE = "material_issue"  # 生产领料
    MATERIAL_RETURN = "material_return"  # 生产退料
    COMPLETION = "completion"  # 完工入库
    MAINTENANCE_ISSUE = "maintenance_issue"  # 维修领料 (spare parts to a maintenance order)


PREFIX = {
    DocumentKind.RECEIPT: "GR",
    DocumentKind.SUPPLIER_RETURN: "RS",
    DocumentKind.SHIPMENT: "SH",
    DocumentKind.CUSTOMER_RETURN: "RC",
    DocumentKind.TRANSFER: "TR",
    DocumentKind.COUNT: "PC",
    DocumentKind.ADJUSTMENT: "AJ",
    DocumentKind.MATERIAL_ISSUE: "MI",
    DocumentKind.MATERIAL_RETURN: "MR",
    DocumentKind.COMPLETION: "FG",
    DocumentKind.MAINTENANCE_ISSUE: "MT",
}


@transcoded("DocumentLine")
@dataclass(frozen=True)
class DocumentLine:
    line_no: int
    item: str
    warehouse: str
    location: str
    lot: str
    qty: Decimal  # signed for counts and adjustments (+ in, - out)
    value: Decimal
    order_line: int = 0
    to_warehouse: str = ""
    to_location: str = ""
    note: str = ""


def document_id(number: str) -> uuid.UUID:
    return derived_id("stock-document", number)


class StockDocument(Aggregate):
    @event("Recorded")
    def __init__(
        self,
        kind: DocumentKind,
        number: str,
        posting_date: date,
        lines: tuple[DocumentLine, ...],
        party: str = "",
        order: str = "",
        entry_id: str = "",
        voucher_no: str = "",
        note: str = "",
    ):
        self.kind = kind
        self.number = number
        self.posting_date = posting_date
        self.lines = tuple(lines)
        self.party = party
        self.order = order
        self.entry_id = entry_id
        self.voucher_no = voucher_no
        self.note = note

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return document_id(number)

    @property
    def total_value(self) -> Decimal:
        return sum((ln.value for ln in self.lines), Decimal("0.00"))
