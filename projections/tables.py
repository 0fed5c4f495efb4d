"""Read-model tables (SQLAlchemy Core). Alembic migrations create them; a test
checks that the migrations and these definitions agree.

Money is stored as integer cents (exact on SQLite and PostgreSQL alike);
timestamps from events as ISO text, so a rebuild reproduces them exactly.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

# Events a projection could not apply (migration 0009): the runner sets them
# aside and goes on, so one bad event never stops the read models.
projection_dead_letters = Table(
    "projection_dead_letters",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("topic", String(255), nullable=False),
    Column("error", Text, nullable=False),
    Column("failed_at", String(32), nullable=False),
    Column("attempts", Integer, nullable=False),
)

# The hash chain over the event log (migration 0010, projections/audit_chain.py):
# one row per notification, leaf = SHA-256 of its canonical bytes, digest =
# SHA-256(previous digest || leaf). Not a read model: rebuild, verify and any
# shadow swap must leave it alone (info["rebuilt"] is False), since it is the
# memory of what the log was.
audit_chain = Table(
    "audit_chain",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("leaf", String(64), nullable=False),
    Column("digest", String(64), nullable=False),
    info={"rebuilt": False},
)

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("category", String(20), nullable=False),
    Column("normal_balance", String(6), nullable=False),
    Column("parent_code", String(10)),
    Column("level", Integer, nullable=False),
    Column("is_leaf", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("used", Boolean, nullable=False),
)

ledger_periods = Table(
    "ledger_periods",
    metadata,
    Column("period", String(7), primary_key=True),
    Column("status", String(10), nullable=False),
    Column("voucher_count", Integer, nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("closed_at", String(40)),
    Column("reopen_reason", String(200)),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("period", String(7), nullable=False),
    Column("voucher_seq", Integer, nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("summary", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("reverses", String(36)),
    Column("reversed_by", String(36)),
    Column("total_cents", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("source_kind", String(40)),
    Column("source_id", String(64)),
    Column("source_label", String(200)),
    Column("actor", String(64), nullable=False),
    Column("command_id", String(128), nullable=False),
    Column("correlation_id", String(128), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_ledger_entries_period_seq", "period", "voucher_seq", unique=True),
    Index("ix_ledger_entries_position", "position"),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account_code", String(10), nullable=False),
    Column("debit_cents", BigInteger, nullable=False),
    Column("credit_cents", BigInteger, nullable=False),
    Column("memo", String(200), nullable=False),
    Column("period", String(7), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("voucher_seq", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_ledger_lines_account_period", "account_code", "period"),
)

# What each entry changed cash by, per purpose of the 现金流量表 (migration 0012):
# inflows positive; an entry's rows sum to its net change of 1001/1002/1012.
ledger_cash_flows = Table(
    "ledger_cash_flows",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("item", String(4), primary_key=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("period", String(7), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_ledger_cash_flows_period", "period"),
)

# Turnover per leaf account and period; opening and closing balances are sums
# over earlier periods, so a back-dated posting never needs later rows rewritten.
ledger_turnover = Table(
    "ledger_turnover",
    metadata,
    Column("account_code", String(10), primary_key=True),
    Column("period", String(7), primary_key=True),
    Column("debit_cents", BigInteger, nullable=False),
    Column("credit_cents", BigInteger, nullable=False),
    # The part of the turnover made by closing entries (结转损益, 3103 -> 3104),
    # which the income statement leaves out (migration 0005).
    Column("closing_debit_cents", BigInteger, nullable=False, server_default="0"),
    Column("closing_credit_cents", BigInteger, nullable=False, server_default="0"),
)


# -- supply chain (migration 0002) ---------------------------------------------------
# Quantities are integer millionths (``*_micros``), money integer cents; prices
# and rates of master data are exact decimal text.

items = Table(
    "items",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("uom", String(10), nullable=False),
    Column("item_type", String(20), nullable=False),
    Column("lot_tracked", Boolean, nullable=False),
    Column("standard_cost", String(24), nullable=False),
    Column("default_warehouse", String(40), nullable=False),
    Column("tax_code", String(19), nullable=False),
    Column("vat_rate", String(8), nullable=False),
    Column("inventory_account", String(10), nullable=False),
    Column("spec", String(100), nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("lot_size_rule", String(20), nullable=False),
    Column("lot_size", String(24), nullable=False),
    Column("lot_multiple", String(24), nullable=False),
    Column("safety_stock", String(24), nullable=False),
    Column("scrap_factor", String(24), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("tax_short_name", String(40), nullable=False, server_default=""),  # migration 0006
)

warehouses = Table(
    "warehouses",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("active", Boolean, nullable=False),
)

warehouse_locations = Table(
    "warehouse_locations",
    metadata,
    Column("warehouse", String(40), primary_key=True),
    Column("location", String(40), primary_key=True),
    Column("quarantine", Boolean, nullable=False),
)

parties = Table(
    "parties",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("is_customer", Boolean, nullable=False),
    Column("is_supplier", Boolean, nullable=False),
    Column("uscc", String(18), nullable=False),
    Column("address", String(200), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("bank", String(100), nullable=False),
    Column("bank_account", String(40), nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
)

stock_balances = Table(
    "stock_balances",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("warehouse", String(40), primary_key=True),
    Column("qty_micros", BigInteger, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("reserved_micros", BigInteger, nullable=False),
    Column("quarantine_micros", BigInteger, nullable=False),
)

stock_bins = Table(
    "stock_bins",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("warehouse", String(40), primary_key=True),
    Column("location", String(40), primary_key=True),
    Column("lot", String(40), primary_key=True),
    Column("qty_micros", BigInteger, nullable=False),
)

# The stock card (出入库明细): one row per movement, with the running balance
# of its item in its warehouse, linked to its document and journal entry.
stock_moves = Table(
    "stock_moves",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("item", String(40), nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("document", String(20), nullable=False),
    Column("doc_line", Integer, nullable=False),
    Column("location", String(40), nullable=False),
    Column("to_location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("balance_qty_micros", BigInteger, nullable=False),
    Column("balance_value_cents", BigInteger, nullable=False),
    Column("entry_id", String(36), nullable=False),
    Index("ix_stock_moves_item", "item", "warehouse", "position"),
    Index("ix_stock_moves_date", "posting_date"),
)

stock_documents = Table(
    "stock_documents",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("party", String(40), nullable=False),
    Column("order_no", String(20), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("total_value_cents", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("note", String(200), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_stock_documents_kind_date", "kind", "posting_date"),
)

stock_document_lines = Table(
    "stock_document_lines",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("item", String(40), nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("order_line", Integer, nullable=False),
    Column("to_warehouse", String(40), nullable=False),
    Column("to_location", String(40), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("kind", String(10), nullable=False),  # purchase | sales
    Column("party", String(40), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("position", BigInteger, nullable=False),
    # Why it was short-closed (短交关闭), migration 0013.
    Column("close_reason", String(200), nullable=False, server_default=""),
    Index("ix_orders_kind_status", "kind", "status"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("item", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("unit_price", String(24), nullable=False),
    Column("vat_rate", String(8), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("delivered_micros", BigInteger, nullable=False),
    Column("returned_micros", BigInteger, nullable=False),
    Column("delivered_value_cents", BigInteger, nullable=False),
    Column("returned_value_cents", BigInteger, nullable=False),
    Column("reserved_micros", BigInteger, nullable=False),
    Column("last_delivery", Date),
    Column("completed_on", Date),  # first day the line was delivered in full
    # Given up by a short-close (qty_micros came down by it), migration 0013.
    Column("short_closed_micros", BigInteger, nullable=False, server_default="0"),
    Index("ix_order_lines_item", "item"),
    Index("ix_order_lines_due", "kind", "due_date"),
)


# -- production (migration 0003) ------------------------------------------------------
# Hours are integer millionths of an hour (``*_uh``).

work_centers = Table(
    "work_centers",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("labor_rate", String(24), nullable=False),
    Column("overhead_rate", String(24), nullable=False),
    Column("shifts", String(400), nullable=False),  # "0 08:00-16:00;1 08:00-16:00"
    Column("holidays", String(2000), nullable=False),  # ISO dates, comma-separated
)

operators = Table(
    "operators",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("work_centers", String(400), nullable=False),
)

bom_lines = Table(
    "bom_lines",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("version", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("component", String(40), nullable=False),
    Column("qty_per", String(24), nullable=False),
    Column("scrap_allowance", String(24), nullable=False),
    Column("issue_method", String(10), nullable=False),
    Column("operation", String(10), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
    Index("ix_bom_lines_component", "component"),
)

routing_operations = Table(
    "routing_operations",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("version", String(20), primary_key=True),
    Column("op_no", String(10), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("setup_hours", String(24), nullable=False),
    Column("run_hours_per_unit", String(24), nullable=False),
    Column("description", String(100), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
)

work_orders = Table(
    "work_orders",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("item", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("bom_version", String(20), nullable=False),
    Column("routing_version", String(20), nullable=False),
    Column("status", String(12), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("released_position", BigInteger),
    Column("completed_micros", BigInteger, nullable=False),
    Column("scrapped_micros", BigInteger, nullable=False),
    Column("completed_value_cents", BigInteger, nullable=False),
    Column("material_cents", BigInteger, nullable=False),  # WIP balance by element
    Column("labor_cents", BigInteger, nullable=False),
    Column("overhead_cents", BigInteger, nullable=False),
    Column("variance_cents", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_work_orders_status_due", "status", "due_date"),
    # Period-end overhead differences allocated to the order (migration 0005).
    Column("overhead_allocated_cents", BigInteger, nullable=False, server_default="0"),
)

work_order_materials = Table(
    "work_order_materials",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("component", String(40), nullable=False),
    Column("issue_method", String(10), nullable=False),
    Column("operation", String(10), nullable=False),
    Column("required_micros", BigInteger, nullable=False),
    Column("issued_micros", BigInteger, nullable=False),
    Column("returned_micros", BigInteger, nullable=False),
    Column("issued_value_cents", BigInteger, nullable=False),
    Column("returned_value_cents", BigInteger, nullable=False),
)

work_order_operations = Table(
    "work_order_operations",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("op_no", String(10), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("status", String(10), nullable=False),
    Column("setup_uh", BigInteger, nullable=False),
    Column("run_uh_per_unit", BigInteger, nullable=False),
    Column("good_micros", BigInteger, nullable=False),
    Column("scrap_micros", BigInteger, nullable=False),
    Column("rework_micros", BigInteger, nullable=False),
    Column("labor_uh", BigInteger, nullable=False),
    Column("machine_uh", BigInteger, nullable=False),
    Index("ix_work_order_operations_wc", "work_center"),
)

work_order_shortages = Table(
    "work_order_shortages",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("item", String(40), primary_key=True),
    Column("needed_micros", BigInteger, nullable=False),
    Column("available_micros", BigInteger, nullable=False),
)

operation_reports = Table(
    "operation_reports",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("number", String(20), nullable=False),
    Column("op_no", String(10), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("report_date", Date, nullable=False),
    Column("good_micros", BigInteger, nullable=False),
    Column("scrap_micros", BigInteger, nullable=False),
    Column("rework_micros", BigInteger, nullable=False),
    Column("scrap_reason", String(200), nullable=False),
    Column("labor_uh", BigInteger, nullable=False),
    Column("machine_uh", BigInteger, nullable=False),
    Column("operator", String(40), nullable=False),
    Column("equipment", String(40), nullable=False),
    Column("labor_cents", BigInteger, nullable=False),
    Column("overhead_cents", BigInteger, nullable=False),
    Column("scrap_cost_cents", BigInteger, nullable=False),
    Column("flagged", String(200), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("actor", String(64), nullable=False),
    Index("ix_operation_reports_number", "number"),
    Index("ix_operation_reports_wc_date", "work_center", "report_date"),
)

work_order_completions = Table(
    "work_order_completions",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("number", String(20), nullable=False),
    Column("document", String(20), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("lot", String(40), nullable=False),
    Index("ix_work_order_completions_number", "number"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("subject", String(40), nullable=False),
    Column("message", String(400), nullable=False),
    Column("raised_at", String(40), nullable=False),
)


# -- planning (migration 0004) ------------------------------------------------------

forecasts = Table(
    "forecasts",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("qty_micros", BigInteger, nullable=False),
)

mrp_runs = Table(
    "mrp_runs",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("today", Date, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("planned_count", Integer, nullable=False),
    Column("exception_count", Integer, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("position", BigInteger, nullable=False),
)

planned_orders = Table(
    "planned_orders",
    metadata,
    Column("id", String(32), primary_key=True),  # "MRP-000001/00001"
    Column("run", String(20), nullable=False),
    Column("item", String(40), nullable=False),
    Column("kind", String(6), nullable=False),  # make | buy
    Column("qty_micros", BigInteger, nullable=False),
    Column("need_date", Date, nullable=False),
    Column("release_date", Date, nullable=False),
    Column("level", Integer, nullable=False),
    Column("firmed_as", String(20)),
    Index("ix_planned_orders_run_item", "run", "item"),
)

planned_order_pegs = Table(
    "planned_order_pegs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("demand", String(64), nullable=False),
    Column("top", String(64), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Index("ix_planned_order_pegs_top", "top"),
)

mrp_exceptions = Table(
    "mrp_exceptions",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("item", String(40), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("message", String(300), nullable=False),
    Column("day", Date),
)


# -- sales invoices (migration 0006) -----------------------------------------------------
# The invoice register (blue and red 数电票), their lines with what red invoices
# credited, invoiced quantities of shipment lines, and the seller's profile.
sales_invoices = Table(
    "sales_invoices",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("invoice_type", String(10), nullable=False),  # special | ordinary
    Column("color", String(4), nullable=False),  # blue | red
    Column("blue_number", String(20), nullable=False),
    Column("confirmation_no", String(40), nullable=False),
    Column("red_reason", Integer, nullable=False),  # 0 for blue, else 1-4
    Column("customer", String(40), nullable=False),
    Column("buyer_name", String(100), nullable=False),
    Column("buyer_uscc", String(18), nullable=False),
    Column("seller_name", String(100), nullable=False),
    Column("seller_uscc", String(18), nullable=False),
    Column("invoice_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("amount_in_words", String(80), nullable=False),
    Column("remark", String(300), nullable=False),
    Column("drawer", String(64), nullable=False),
    Column("confirmed", Boolean, nullable=False),
    Column("credited_amount_cents", BigInteger, nullable=False),
    Column("credited_tax_cents", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_sales_invoices_customer", "customer", "invoice_date"),
    Index("ix_sales_invoices_date", "invoice_date"),
    Index("ix_sales_invoices_blue", "blue_number"),
)

sales_invoice_lines = Table(
    "sales_invoice_lines",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("item", String(40), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("tax_code", String(19), nullable=False),
    Column("spec", String(100), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("unit_price", String(24), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("vat_rate", String(8), nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("shipment", String(20), nullable=False),
    Column("shipment_line", Integer, nullable=False),
    Column("order_no", String(20), nullable=False),
    Column("order_line", Integer, nullable=False),
    Column("blue_line", Integer, nullable=False),
    Column("credited_qty_micros", BigInteger, nullable=False),
    Column("credited_amount_cents", BigInteger, nullable=False),
    Column("credited_tax_cents", BigInteger, nullable=False),
    Index("ix_sales_invoice_lines_shipment", "shipment", "shipment_line"),
)

# Invoiced quantity and amount per shipment line (blue invoices, less red
# invoices for 开票有误 that give the quantity back).
sales_billing = Table(
    "sales_billing",
    metadata,
    Column("shipment", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("invoiced_micros", BigInteger, nullable=False),
    Column("invoiced_amount_cents", BigInteger, nullable=False),
)

company_profile = Table(
    "company_profile",
    metadata,
    Column("id", String(10), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("uscc", String(18), nullable=False),
    Column("address", String(200), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("bank", String(100), nullable=False),
    Column("bank_account", String(40), nullable=False),
)


# -- purchase invoices (migration 0007) --------------------------------------------------
# Supplier invoices with their three-way-match status; invoiced quantities of
# receipt lines are the lines of posted (matched or approved) invoices.
purchase_invoices = Table(
    "purchase_invoices",
    metadata,
    Column("supplier", String(40), primary_key=True),
    Column("number", String(20), primary_key=True),
    Column("invoice_date", Date, nullable=False),
    Column("invoice_type", String(10), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("gross_cents", BigInteger, nullable=False),
    Column("estimate_cents", BigInteger, nullable=False),  # 220202 relieved
    Column("price_difference_cents", BigInteger, nullable=False),
    Column("posting_date", Date),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_purchase_invoices_status", "status", "supplier"),
)

purchase_invoice_lines = Table(
    "purchase_invoice_lines",
    metadata,
    Column("supplier", String(40), primary_key=True),
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("receipt", String(20), nullable=False),
    Column("receipt_line", Integer, nullable=False),
    Column("order_no", String(20), nullable=False),
    Column("order_line", Integer, nullable=False),
    Column("item", String(40), nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("unit_price", String(24), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("vat_rate", String(8), nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("posted", Boolean, nullable=False),
    Index("ix_purchase_invoice_lines_receipt", "receipt", "receipt_line"),
)

# Match differences (kind qty, price, tax, vat_rate) of held invoices.
purchase_invoice_differences = Table(
    "purchase_invoice_differences",
    metadata,
    Column("supplier", String(40), primary_key=True),
    Column("number", String(20), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("line_no", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("expected", String(40), nullable=False),
    Column("actual", String(40), nullable=False),
)

# Where each line's price difference went: stock, wip or cost (5401).
purchase_invoice_price_differences = Table(
    "purchase_invoice_price_differences",
    metadata,
    Column("supplier", String(40), primary_key=True),
    Column("number", String(20), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("line_no", Integer, nullable=False),
    Column("target", String(8), nullable=False),
    Column("reference", String(80), nullable=False),
    Column("account", String(10), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
)


# -- cash and open items (migration 0008) ------------------------------------------------
# Every open item (AR/AP sub-ledger) with what is settled of it; its settlements
# by day, so open amounts, aging and statements can be read as of any date.
open_items = Table(
    "open_items",
    metadata,
    Column("item_id", String(36), primary_key=True),
    Column("ledger", String(10), nullable=False),
    Column("account", String(10), nullable=False),
    Column("party", String(40), nullable=False),
    Column("document_kind", String(40), nullable=False),
    Column("document", String(64), nullable=False),
    Column("document_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("settled_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_open_items_ledger_document", "ledger", "document", unique=True),
    Index("ix_open_items_party", "party"),
)

open_item_settlements = Table(
    "open_item_settlements",
    metadata,
    Column("item_id", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True),  # the item's event version
    Column("by_document", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_open_item_settlements_by_document", "by_document"),
)

cash_documents = Table(
    "cash_documents",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("party", String(40), nullable=False),
    Column("bank_account", String(10), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("prepayment_cents", BigInteger, nullable=False),
    Column("vat_cents", BigInteger, nullable=False),
    Column("credit_document", String(64), nullable=False),
    Column("payee", String(100), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("memo", String(200), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_cash_documents_party", "party"),
)

# Allocations (document set) and expense lines (account set) of a cash document.
cash_document_lines = Table(
    "cash_document_lines",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("document", String(64), nullable=False),
    Column("account", String(10), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("memo", String(200), nullable=False),
)

# The fixed-asset register (migration 0011): one row per asset card, with its
# depreciation to date and its disposal, and one row per asset and month
# depreciated (by the month's run or by the disposal in its month).
fixed_assets = Table(
    "fixed_assets",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("category", String(40), nullable=False),
    Column("method", String(30), nullable=False),
    Column("use", String(20), nullable=False),
    Column("expense_account", String(10), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("equipment", String(40), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("acquisition_date", Date, nullable=False),
    Column("cost_cents", BigInteger, nullable=False),
    Column("residual_rate", String(20), nullable=False),
    Column("residual_cents", BigInteger, nullable=False),
    Column("life_months", Integer, nullable=False),
    Column("total_units_micros", BigInteger, nullable=False),
    Column("funding", String(10), nullable=False),
    Column("source", String(100), nullable=False),
    Column("vat_cents", BigInteger, nullable=False),
    Column("opening_cents", BigInteger, nullable=False),
    Column("opening_months", Integer, nullable=False),
    Column("opening_units_micros", BigInteger, nullable=False),
    Column("accumulated_cents", BigInteger, nullable=False),
    Column("months", Integer, nullable=False),
    Column("units_micros", BigInteger, nullable=False),
    Column("through", String(7), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("disposed_on", Date),
    Column("proceeds_cents", BigInteger, nullable=False),
    Column("proceeds_vat_cents", BigInteger, nullable=False),
    Column("costs_cents", BigInteger, nullable=False),
    Column("gain_cents", BigInteger, nullable=False),
    Column("disposal_reason", String(200), nullable=False),
    Column("disposal_entry_id", String(36), nullable=False),
    Column("disposal_voucher_no", String(16), nullable=False),
    Column("position", BigInteger, nullable=False),
)

fixed_asset_depreciation = Table(
    "fixed_asset_depreciation",
    metadata,
    Column("period", String(7), primary_key=True),
    Column("asset", String(40), primary_key=True),
    Column("account", String(10), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("units_micros", BigInteger, nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("by", String(10), nullable=False),  # run or disposal
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_fixed_asset_depreciation_asset", "asset"),
)
