"""Sales (销售): sales orders with reservations of available stock, their
shipments and the customer's returns.

``orders.py`` holds the ``SalesOrder`` aggregate and the ``sales_order``
lookup other contexts use; ``handlers.py`` the commands."""

from domain.sales.orders import SalesOrder, reservation_key, sales_order, sales_order_id

__all__ = ["SalesOrder", "reservation_key", "sales_order", "sales_order_id"]
