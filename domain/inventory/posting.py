"""Posting rules for stock movements (pure): which accounts a movement hits.

A voucher (domain/ledger/voucher.py) is built as net amounts per account and
printed debits first, so a transfer between two warehouses on the same
account posts nothing.
"""

from __future__ import annotations

from decimal import Decimal

from domain.ledger.voucher import Voucher  # noqa: F401 - the rules below fill one

GOODS_RECEIVED_NOT_INVOICED = "220202"  # 应付账款-暂估应付
COST_OF_SALES = "5401"  # 主营业务成本
PENDING_LOSSES = "1901"  # 待处理财产损溢


def receipt(voucher: Voucher, inventory_account: str, value: Decimal) -> None:
    """Goods received, invoice not yet in: Dr inventory / Cr 220202 at PO price."""
    voucher.debit(inventory_account, value).credit(GOODS_RECEIVED_NOT_INVOICED, value)


def supplier_return(voucher: Voucher, inventory_account: str, stock_value: Decimal,
                    liability_value: Decimal) -> None:
    """Dr 220202 at the received price / Cr inventory at what left stock;
    any residue goes to cost (5401)."""
    voucher.debit(GOODS_RECEIVED_NOT_INVOICED, liability_value)
    voucher.credit(inventory_account, stock_value)
    voucher.credit(COST_OF_SALES, liability_value - stock_value)


def shipment(voucher: Voucher, inventory_account: str, value: Decimal) -> None:
    """Cost of sales at moving average: Dr 5401 / Cr inventory."""
    voucher.debit(COST_OF_SALES, value).credit(inventory_account, value)


def customer_return(voucher: Voucher, inventory_account: str, value: Decimal) -> None:
    """Back into stock at the cost it left with: Dr inventory / Cr 5401."""
    voucher.debit(inventory_account, value).credit(COST_OF_SALES, value)


def count_difference(voucher: Voucher, inventory_account: str, value: Decimal) -> None:
    """盘盈 (value > 0): Dr inventory / Cr 1901; 盘亏 (value < 0): Dr 1901 / Cr inventory."""
    voucher.debit(inventory_account, value).credit(PENDING_LOSSES, value)


def adjustment(voucher: Voucher, inventory_account: str, value: Decimal,
               offset_account: str) -> None:
    """Stock in (value > 0) or out (value < 0) against an offset account."""
    voucher.debit(inventory_account, value).credit(offset_account, value)


def transfer(voucher: Voucher, from_account: str, to_account: str, value: Decimal) -> None:
    voucher.debit(to_account, value).credit(from_account, value)
