"""Purchasing (采购): purchase orders, their receipts and returns to the supplier.

``orders.py`` holds the ``PurchaseOrder`` aggregate and the public lookups
other contexts use (``purchase_order``, ``new_purchase_order`` when planning
firms a planned purchase); ``handlers.py`` the commands."""

from domain.purchasing.orders import (
    PurchaseOrder,
    check_tolerance,
    new_purchase_order,
    purchase_order,
    purchase_order_id,
)

__all__ = ["PurchaseOrder", "check_tolerance", "new_purchase_order", "purchase_order",
           "purchase_order_id"]
