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
    DateTime,
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
    # The statement line the account feeds by code (a 利润表 其中 line for a P&L
    # account, balance sheet line 14/28/40/45 for others), or NULL.
    Column("statement_line", Integer),
    # A parent that keeps taking postings of its own beside its sub-accounts.
    Column("open_parent", Boolean, nullable=False, server_default="0"),
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

# What each entry changed cash by, per purpose of the 现金流量表 (migration 0016):
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
    # Why it was short-closed (短交关闭), migration 0017.
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
    # Given up by a short-close (qty_micros came down by it), migration 0017.
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
    # a planned purchase: the approved supplier MRP proposes ("" = none)
    Column("supplier", String(40), nullable=False, server_default=""),
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


# -- planning II (migration 0013): settings, working calendars, pegged receipts ---------
planning_settings = Table(
    "planning_settings",
    metadata,
    Column("name", String(20), primary_key=True),  # "company"
    Column("expedite_horizon_days", Integer, nullable=False),
)

working_calendar_days = Table(
    "working_calendar_days",
    metadata,
    Column("scope", String(40), primary_key=True),  # "" the company, else a work center
    Column("day", Date, primary_key=True),
    Column("working", Boolean, nullable=False),  # a working day, or a holiday
)

mrp_receipts = Table(
    "mrp_receipts",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("ref", String(64), primary_key=True),  # "PO-000001/1", "WO-000002"
    Column("item", String(40), nullable=False),
    Column("kind", String(12), nullable=False),  # purchase | work_order
    Column("qty_micros", BigInteger, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("available_date", Date, nullable=False),  # the day MRP counts on it
)

mrp_receipt_pegs = Table(
    "mrp_receipt_pegs",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("ref", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("demand", String(64), nullable=False),
    Column("top", String(64), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Index("ix_mrp_receipt_pegs_top", "top"),
)


# The daily work orders of monthly plans (splitMonthlyPlan): each one's own day.
daily_work_orders = Table(
    "daily_work_orders",
    metadata,
    Column("work_order", String(20), primary_key=True),
    Column("plan", String(20), nullable=False),  # "MP-000001"
    Column("item", String(40), nullable=False),
    Column("day", Date, nullable=False),
)

# Saved schedules (recordSchedule): each run, its slots, late orders, moves, breakdowns.
schedule_runs = Table(
    "schedule_runs",
    metadata,
    Column("number", String(20), primary_key=True),  # "SCH-000001"
    Column("start", DateTime, nullable=False),  # the company's wall clock
    Column("mode", String(10), nullable=False),
    Column("status", String(300), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("based_on", String(20), nullable=False),  # "" unless it repaired that schedule
    Column("actor", String(64), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("position", BigInteger, nullable=False),
)

scheduled_operations = Table(
    "scheduled_operations",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("order_ref", String(32), primary_key=True),  # a work order or a planned order
    Column("op_no", String(10), primary_key=True),
    Column("item", String(40), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("unit", Integer, nullable=False),
    Column("operator", String(40), nullable=False),
    Column("start", DateTime, nullable=False),
    Column("end", DateTime, nullable=False),
    Column("due", Date, nullable=False),
)

schedule_late_orders = Table(
    "schedule_late_orders",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("order_ref", String(32), primary_key=True),
    Column("due", Date, nullable=False),
    Column("finish", DateTime, nullable=False),
    Column("lateness_days", Integer, nullable=False),
    Column("lateness_uh", BigInteger, nullable=False),  # wall-clock hours, millionths
    Column("working_uh", BigInteger, nullable=False),  # working hours, millionths
)

schedule_moves = Table(
    "schedule_moves",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("order_ref", String(32), primary_key=True),
    Column("op_no", String(10), primary_key=True),
    Column("work_center", String(40), nullable=False),
    Column("old_unit", Integer, nullable=False),
    Column("old_start", DateTime, nullable=False),
    Column("old_end", DateTime, nullable=False),
    Column("new_unit", Integer, nullable=False),
    Column("new_start", DateTime, nullable=False),
    Column("new_end", DateTime, nullable=False),
)

schedule_breakdowns = Table(
    "schedule_breakdowns",
    metadata,
    Column("run", String(20), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("work_center", String(40), nullable=False),
    Column("start", DateTime, nullable=False),
    Column("end", DateTime, nullable=False),
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


# -- equipment (migration 0011) -------------------------------------------------------
# Times of states and counts as the company's wall-clock ISO text (the calendar
# matches it) beside their log position; OEE is computed when asked
# (domain/equipment/oee.py), so a late message inside the window just sorts in.

equipment = Table(
    "equipment",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("model", String(60), nullable=False),
    Column("serial", String(60), nullable=False),
    Column("installed_on", Date),
    Column("ideal_cycle_hours", String(40), nullable=False),  # exact decimal text
    Column("shifts", String(400), nullable=False),  # "0 08:00-16:00;…", "" = work center's
    Column("status", String(20), nullable=False),
    Column("spare_parts", String(400), nullable=False),  # "ITEM 2;…"
    Column("state", String(24), nullable=False),  # the newest, "" before any
    Column("reason", String(20), nullable=False),
    Column("state_at", String(32), nullable=False),
    Column("counted_micros", BigInteger, nullable=False),
    Column("good_micros", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
)

equipment_states = Table(
    "equipment_states",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("equipment", String(40), nullable=False),
    Column("at", String(32), nullable=False),  # wall-clock in the company's zone
    Column("state", String(24), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("breakdown", Boolean, nullable=False),
    Column("message_id", String(100), nullable=False),
    Index("ix_equipment_states_equipment_at", "equipment", "at"),
)

equipment_counts = Table(
    "equipment_counts",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("equipment", String(40), nullable=False),
    Column("at", String(32), nullable=False),
    Column("total_micros", BigInteger, nullable=False),
    Column("good_micros", BigInteger, nullable=False),
    Column("message_id", String(100), nullable=False),
    Index("ix_equipment_counts_equipment_at", "equipment", "at"),
)

equipment_alerts = Table(
    "equipment_alerts",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("equipment", String(40), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("kind", String(30), nullable=False),  # equipment_down
    Column("reason", String(20), nullable=False),
    Column("at", String(32), nullable=False),
    Column("message", String(400), nullable=False),
)

downtime_reasons = Table(
    "downtime_reasons",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("breakdown", Boolean, nullable=False),
    Column("seq", Integer, nullable=False),
)

maintenance_plans = Table(
    "maintenance_plans",
    metadata,
    Column("equipment", String(40), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("description", String(200), nullable=False),
    Column("every_days", Integer, nullable=False),
    Column("every_units_micros", BigInteger, nullable=False),
    Column("last_done_on", Date),
    Column("last_done_units_micros", BigInteger, nullable=False),
    Column("open_order", String(20), nullable=False),
)

maintenance_orders = Table(
    "maintenance_orders",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("equipment", String(40), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("plan", String(40), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("description", String(200), nullable=False),
    Column("status", String(10), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("started_on", Date),
    Column("closed_on", Date),
    Column("note", String(200), nullable=False),
    Column("parts_cents", BigInteger, nullable=False),
    Column("labor_uh", BigInteger, nullable=False),
    Column("labor_cents", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    # the window the work will stop the machine (migration 0014), wall clock
    Column("planned_start", String(32), nullable=False, server_default=""),
    Column("planned_end", String(32), nullable=False, server_default=""),
    Index("ix_maintenance_orders_equipment", "equipment"),
)

maintenance_costs = Table(
    "maintenance_costs",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("number", String(20), nullable=False),
    Column("kind", String(10), nullable=False),  # parts | labor
    Column("day", Date, nullable=False),
    Column("document", String(20), nullable=False),
    Column("detail", String(400), nullable=False),  # "RM-BEARING 2 @ WH-RM = 60.00;…"
    Column("hours_uh", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Index("ix_maintenance_costs_number", "number"),
)

equipment_dead_letters = Table(
    "equipment_dead_letters",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("topic", String(300), nullable=False),
    Column("message_id", String(100), nullable=False),
    Column("code", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
)

# -- quality (migration 0012) -----------------------------------------------------------
# Inspection plans by item, stage (incoming | in_process | final), operation and version.
inspection_plans = Table(
    "inspection_plans",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("stage", String(12), primary_key=True),
    Column("operation", String(20), primary_key=True),
    Column("version", String(20), primary_key=True),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),
    Column("method", String(10), nullable=False),  # gb2828 | fixed | full
    Column("aql", String(10), nullable=False),
    Column("level", String(4), nullable=False),
    Column("sample_size", Integer, nullable=False),
    Column("accept", Integer, nullable=False),
    Column("blocks_next", Boolean, nullable=False),
    Column("description", String(200), nullable=False),
)

inspection_characteristics = Table(
    "inspection_characteristics",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("stage", String(12), primary_key=True),
    Column("operation", String(20), primary_key=True),
    Column("version", String(20), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("kind", String(10), nullable=False),  # measured | attribute
    Column("nominal", String(40), nullable=True),
    Column("lower", String(40), nullable=True),
    Column("upper", String(40), nullable=True),
    Column("unit", String(10), nullable=False),
    Column("decimals", Integer, nullable=False),
    Column("defect_codes", String(1100), nullable=False),  # comma-separated
)

inspection_lots = Table(
    "inspection_lots",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("stage", String(12), nullable=False),
    Column("item", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("document", String(20), nullable=False),
    Column("doc_line", Integer, nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("order_no", String(20), nullable=False),
    Column("order_line", Integer, nullable=False),
    Column("operation", String(20), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("reinspects", String(20), nullable=False),
    Column("first_lot", String(20), nullable=False),
    Column("plan_version", String(20), nullable=False),
    Column("code_letter", String(2), nullable=False),
    Column("plan_letter", String(2), nullable=False),
    Column("sample_size", Integer, nullable=False),
    Column("accept", Integer, nullable=False),
    Column("reject", Integer, nullable=False),
    Column("full_inspection", Boolean, nullable=False),
    Column("blocks_next", Boolean, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("status", String(10), nullable=False),  # open | held | closed
    Column("inspected_on", Date, nullable=True),
    Column("nonconformities", Integer, nullable=False),
    Column("defective", Integer, nullable=False),
    Column("computed_verdict", String(10), nullable=False),
    Column("computed_accepted_micros", BigInteger, nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("accepted_micros", BigInteger, nullable=False),
    Column("rejected_micros", BigInteger, nullable=False),
    Column("decided_on", Date, nullable=True),
    Column("overridden", Boolean, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("ncr", String(20), nullable=False),
    Column("release_document", String(20), nullable=False),
    Column("hours_micros", BigInteger, nullable=False),
    Column("appraisal_cents", BigInteger, nullable=False),
    Column("inspector", String(64), nullable=False),
    Column("conceded_micros", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_inspection_lots_status", "status", "stage"),
    Index("ix_inspection_lots_item", "item", "opened_on"),
)

# Measured values per sample unit (SPC reads them) and defect counts per code.
inspection_measurements = Table(
    "inspection_measurements",
    metadata,
    Column("lot", String(20), primary_key=True),
    Column("characteristic", String(20), primary_key=True),
    Column("sample_no", Integer, primary_key=True),
    Column("item", String(40), nullable=False),
    Column("inspected_on", Date, nullable=False),
    Column("value", String(40), nullable=False),
    Column("conforming", Boolean, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_inspection_measurements_item", "item", "characteristic", "position"),
)

inspection_defects = Table(
    "inspection_defects",
    metadata,
    Column("lot", String(20), primary_key=True),
    Column("characteristic", String(20), primary_key=True),
    Column("defect_code", String(20), primary_key=True),
    Column("count", Integer, nullable=False),
)

nonconformances = Table(
    "nonconformances",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("origin", String(12), nullable=False),
    Column("inspection_lot", String(20), nullable=False),
    Column("item", String(40), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("disposed_micros", BigInteger, nullable=False),
    Column("warehouse", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("order_no", String(20), nullable=False),
    Column("operation", String(20), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("defects", String(400), nullable=False),
    Column("description", String(200), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("cost_cents", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_nonconformances_item", "item", "opened_on"),
)

ncr_dispositions = Table(
    "ncr_dispositions",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("qty_micros", BigInteger, nullable=False),
    Column("day", Date, nullable=False),
    Column("cost_cents", BigInteger, nullable=False),
    Column("document", String(20), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("approver", String(100), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("reinspection", String(20), nullable=False),
    Column("origin", String(12), nullable=False),
    Column("item", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("work_center", String(40), nullable=False),
    Column("position", BigInteger, nullable=False),
)

# Units of an operation held from the next one (lots awaiting inspection, rejects).
operation_holds = Table(
    "operation_holds",
    metadata,
    Column("work_order", String(20), primary_key=True),
    Column("operation", String(20), primary_key=True),
    Column("held_by", String(20), primary_key=True),
    Column("qty_micros", BigInteger, nullable=False),
)

supplier_quality = Table(
    "supplier_quality",
    metadata,
    Column("supplier", String(40), primary_key=True),
    Column("lots", Integer, nullable=False),
    Column("accepted_lots", Integer, nullable=False),
    Column("flagged", Boolean, nullable=False),
    # why it is flagged (its rate against the threshold), "" when it is not
    Column("flag_reason", String(300), nullable=False, server_default=""),
)

# Quality's approved supplier list (合格供方名录): per item, rank 1 preferred.
approved_suppliers = Table(
    "approved_suppliers",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("supplier", String(40), nullable=False),
    Column("approved_on", Date, nullable=False),
)

# An item's first inspections and what each finally lost (scrapped or returned).
yield_lots = Table(
    "yield_lots",
    metadata,
    Column("item", String(40), primary_key=True),
    Column("key", String(40), primary_key=True),  # final | incoming | in_process:OP10
    Column("lot", String(20), primary_key=True),
    Column("qty_micros", BigInteger, nullable=False),
    Column("accepted_micros", BigInteger, nullable=False),
    Column("lost_micros", BigInteger, nullable=False),
    Column("day", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
)

# Purchase orders placed with a supplier flagged for quality when they were made.
purchase_order_flags = Table(
    "purchase_order_flags",
    metadata,
    Column("order_no", String(20), primary_key=True),
    Column("supplier", String(40), nullable=False),
    Column("message", String(400), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("reason", String(300), nullable=False, server_default=""),  # the supplier's flag
    Column("flagged_at", String(40), nullable=False, server_default=""),  # order placed at
)

quality_alerts = Table(
    "quality_alerts",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("subject", String(40), nullable=False),
    Column("message", String(400), nullable=False),
    Column("raised_at", String(40), nullable=False),
)

# The fixed-asset register (migration 0015): one row per asset card, with its
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

# Parts of assets disposed of (部分处置): the cost and accumulated depreciation
# that left, so the register as of any date subtracts only those by then.
fixed_asset_parts = Table(
    "fixed_asset_parts",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("asset", String(40), nullable=False),
    Column("disposal_date", Date, nullable=False),
    Column("cost_cents", BigInteger, nullable=False),
    Column("accumulated_cents", BigInteger, nullable=False),
    Column("proceeds_cents", BigInteger, nullable=False),
    Column("proceeds_vat_cents", BigInteger, nullable=False),
    Column("costs_cents", BigInteger, nullable=False),
    Column("gain_cents", BigInteger, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Index("ix_fixed_asset_parts_asset", "asset"),
)
