"""Mutations: one module per use case (its input, success payload and result union)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import strawberry

from api.graphql.context import ConsistencyArgument
from api.graphql.mutations.acquire_fixed_asset import acquire_fixed_asset
from api.graphql.mutations.add_account import add_account
from api.graphql.mutations.add_location import add_location
from api.graphql.mutations.adjust_stock import adjust_stock
from api.graphql.mutations.amend_purchase_order_line import amend_purchase_order_line
from api.graphql.mutations.amend_sales_order_line import amend_sales_order_line
from api.graphql.mutations.apply_prepayment import apply_prepayment
from api.graphql.mutations.apply_safety_stock_recommendation import (
    apply_safety_stock_recommendation,
)
from api.graphql.mutations.apply_yield_recommendation import apply_yield_recommendation
from api.graphql.mutations.approve_purchase_invoice import approve_purchase_invoice
from api.graphql.mutations.approve_suppliers import approve_suppliers
from api.graphql.mutations.cancel_purchase_invoice import cancel_purchase_invoice
from api.graphql.mutations.cancel_purchase_order import cancel_purchase_order
from api.graphql.mutations.cancel_sales_order import cancel_sales_order
from api.graphql.mutations.cancel_work_order import cancel_work_order
from api.graphql.mutations.change_equipment import change_equipment
from api.graphql.mutations.change_item import change_item
from api.graphql.mutations.change_party import change_party
from api.graphql.mutations.close_books import close_books
from api.graphql.mutations.close_maintenance_order import close_maintenance_order
from api.graphql.mutations.close_period import close_period
from api.graphql.mutations.close_work_order import close_work_order
from api.graphql.mutations.complete_work_order import complete_work_order
from api.graphql.mutations.confirm_purchase_order import confirm_purchase_order
from api.graphql.mutations.confirm_sales_invoice import confirm_sales_invoice
from api.graphql.mutations.confirm_sales_order import confirm_sales_order
from api.graphql.mutations.count_stock import count_stock
from api.graphql.mutations.create_item import create_item
from api.graphql.mutations.create_purchase_order import create_purchase_order
from api.graphql.mutations.create_sales_order import create_sales_order
from api.graphql.mutations.create_warehouse import create_warehouse
from api.graphql.mutations.create_work_order import create_work_order
from api.graphql.mutations.credit_customer_return import credit_customer_return
from api.graphql.mutations.deactivate_account import deactivate_account
from api.graphql.mutations.deactivate_item import deactivate_item
from api.graphql.mutations.define_work_center import define_work_center
from api.graphql.mutations.dispose_fixed_asset import dispose_fixed_asset
from api.graphql.mutations.dispose_nonconformance import dispose_nonconformance
from api.graphql.mutations.end_inspection_plan_version import end_inspection_plan_version
from api.graphql.mutations.firm_planned_order import firm_planned_order
from api.graphql.mutations.fixed_asset_revisions import (
    dispose_fixed_asset_part,
    edit_fixed_asset,
    reverse_depreciation_run,
)
from api.graphql.mutations.hold_work_order import hold_work_order
from api.graphql.mutations.install_statement_sub_accounts import (
    install_statement_sub_accounts,
)
from api.graphql.mutations.issue_maintenance_parts import issue_maintenance_parts
from api.graphql.mutations.issue_material import issue_material
from api.graphql.mutations.issue_red_sales_invoice import issue_red_sales_invoice
from api.graphql.mutations.issue_sales_invoice import issue_sales_invoice
from api.graphql.mutations.offset_open_items import offset_open_items
from api.graphql.mutations.open_due_maintenance import open_due_maintenance
from api.graphql.mutations.open_maintenance_order import open_maintenance_order
from api.graphql.mutations.open_period import open_period
from api.graphql.mutations.override_inspection import override_inspection
from api.graphql.mutations.pause_operation import pause_operation
from api.graphql.mutations.plan_maintenance_window import plan_maintenance_window
from api.graphql.mutations.post_journal_entry import post_journal_entry
from api.graphql.mutations.reactivate_account import reactivate_account
from api.graphql.mutations.reactivate_item import reactivate_item
from api.graphql.mutations.receive_purchase_order import receive_purchase_order
from api.graphql.mutations.record_customer_receipt import record_customer_receipt
from api.graphql.mutations.record_equipment_count import record_equipment_count
from api.graphql.mutations.record_equipment_state import record_equipment_state
from api.graphql.mutations.record_expense_payment import record_expense_payment
from api.graphql.mutations.record_inspection import record_inspection
from api.graphql.mutations.record_maintenance_labor import record_maintenance_labor
from api.graphql.mutations.record_purchase_invoice import record_purchase_invoice
from api.graphql.mutations.record_schedule import record_schedule
from api.graphql.mutations.record_supplier_payment import record_supplier_payment
from api.graphql.mutations.register_equipment import register_equipment
from api.graphql.mutations.register_operator import register_operator
from api.graphql.mutations.register_party import register_party
from api.graphql.mutations.release_inspection import release_inspection
from api.graphql.mutations.release_work_order import release_work_order
from api.graphql.mutations.rename_account import rename_account
from api.graphql.mutations.reopen_period import reopen_period
from api.graphql.mutations.report_by_scan import report_by_scan
from api.graphql.mutations.report_operation import report_operation
from api.graphql.mutations.reserve_sales_order import reserve_sales_order
from api.graphql.mutations.resume_operation import resume_operation
from api.graphql.mutations.return_from_customer import return_from_customer
from api.graphql.mutations.return_material import return_material
from api.graphql.mutations.return_to_supplier import return_to_supplier
from api.graphql.mutations.reverse_journal_entry import reverse_journal_entry
from api.graphql.mutations.run_depreciation import run_depreciation
from api.graphql.mutations.run_mrp import run_mrp
from api.graphql.mutations.save_bom import save_bom
from api.graphql.mutations.save_inspection_plan import save_inspection_plan
from api.graphql.mutations.save_routing import save_routing
from api.graphql.mutations.set_account_control import set_account_control
from api.graphql.mutations.set_company_profile import set_company_profile
from api.graphql.mutations.set_company_settings import set_company_settings
from api.graphql.mutations.set_equipment_settings import set_equipment_settings
from api.graphql.mutations.set_forecast import set_forecast
from api.graphql.mutations.set_invoice_match_tolerances import (
    set_invoice_match_tolerances,
)
from api.graphql.mutations.set_maintenance_plan import set_maintenance_plan
from api.graphql.mutations.set_planning_settings import set_planning_settings
from api.graphql.mutations.set_production_settings import set_production_settings
from api.graphql.mutations.set_quality_settings import set_quality_settings
from api.graphql.mutations.set_statement_line import set_statement_line
from api.graphql.mutations.set_viewer_read_areas import set_viewer_read_areas
from api.graphql.mutations.set_working_calendar import set_working_calendar
from api.graphql.mutations.settle_overhead import settle_overhead
from api.graphql.mutations.ship_sales_order import ship_sales_order
from api.graphql.mutations.short_close_purchase_order import short_close_purchase_order
from api.graphql.mutations.short_close_sales_order import short_close_sales_order
from api.graphql.mutations.split_account import split_account
from api.graphql.mutations.split_monthly_plan import split_monthly_plan
from api.graphql.mutations.start_maintenance_order import start_maintenance_order
from api.graphql.mutations.start_operation import start_operation
from api.graphql.mutations.transfer_stock import transfer_stock
from api.graphql.mutations.transfer_vat import transfer_vat
from api.graphql.scalars import TextArguments


def _mutation(resolver: Callable[..., Any]) -> Any:
    """A mutation described by its module's docstring ("name: what it does")."""
    doc = (sys.modules[resolver.__module__].__doc__ or "").strip().splitlines()[0]
    text = doc.split(": ", 1)[-1]
    return strawberry.mutation(resolver=resolver, description=text[:1].upper() + text[1:],
                               # bad text: ValidationError; how long the answer waits
                               extensions=[TextArguments(), ConsistencyArgument()])


@strawberry.type
class Mutation:
    add_account = _mutation(add_account)
    rename_account = _mutation(rename_account)
    deactivate_account = _mutation(deactivate_account)
    set_account_control = _mutation(set_account_control)
    install_statement_sub_accounts = _mutation(install_statement_sub_accounts)
    set_statement_line = _mutation(set_statement_line)
    split_account = _mutation(split_account)
    set_company_settings = _mutation(set_company_settings)
    reactivate_account = _mutation(reactivate_account)
    open_period = _mutation(open_period)
    close_period = _mutation(close_period)
    reopen_period = _mutation(reopen_period)
    post_journal_entry = _mutation(post_journal_entry)
    reverse_journal_entry = _mutation(reverse_journal_entry)
    # period end
    settle_overhead = _mutation(settle_overhead)
    close_books = _mutation(close_books)
    transfer_vat = _mutation(transfer_vat)
    # supply chain
    create_item = _mutation(create_item)
    change_item = _mutation(change_item)
    deactivate_item = _mutation(deactivate_item)
    reactivate_item = _mutation(reactivate_item)
    create_warehouse = _mutation(create_warehouse)
    add_location = _mutation(add_location)
    register_party = _mutation(register_party)
    change_party = _mutation(change_party)
    create_purchase_order = _mutation(create_purchase_order)
    confirm_purchase_order = _mutation(confirm_purchase_order)
    cancel_purchase_order = _mutation(cancel_purchase_order)
    amend_purchase_order_line = _mutation(amend_purchase_order_line)
    short_close_purchase_order = _mutation(short_close_purchase_order)
    receive_purchase_order = _mutation(receive_purchase_order)
    return_to_supplier = _mutation(return_to_supplier)
    create_sales_order = _mutation(create_sales_order)
    confirm_sales_order = _mutation(confirm_sales_order)
    reserve_sales_order = _mutation(reserve_sales_order)
    cancel_sales_order = _mutation(cancel_sales_order)
    amend_sales_order_line = _mutation(amend_sales_order_line)
    short_close_sales_order = _mutation(short_close_sales_order)
    ship_sales_order = _mutation(ship_sales_order)
    return_from_customer = _mutation(return_from_customer)
    transfer_stock = _mutation(transfer_stock)
    count_stock = _mutation(count_stock)
    adjust_stock = _mutation(adjust_stock)
    # purchase invoices (three-way match)
    record_purchase_invoice = _mutation(record_purchase_invoice)
    approve_purchase_invoice = _mutation(approve_purchase_invoice)
    cancel_purchase_invoice = _mutation(cancel_purchase_invoice)
    set_invoice_match_tolerances = _mutation(set_invoice_match_tolerances)
    # cash (资金)
    record_customer_receipt = _mutation(record_customer_receipt)
    record_supplier_payment = _mutation(record_supplier_payment)
    apply_prepayment = _mutation(apply_prepayment)
    offset_open_items = _mutation(offset_open_items)
    record_expense_payment = _mutation(record_expense_payment)
    # fixed assets (固定资产)
    acquire_fixed_asset = _mutation(acquire_fixed_asset)
    run_depreciation = _mutation(run_depreciation)
    dispose_fixed_asset = _mutation(dispose_fixed_asset)
    edit_fixed_asset = _mutation(edit_fixed_asset)
    dispose_fixed_asset_part = _mutation(dispose_fixed_asset_part)
    reverse_depreciation_run = _mutation(reverse_depreciation_run)
    # production (MES)
    define_work_center = _mutation(define_work_center)
    register_operator = _mutation(register_operator)
    set_production_settings = _mutation(set_production_settings)
    save_bom = _mutation(save_bom)
    save_routing = _mutation(save_routing)
    create_work_order = _mutation(create_work_order)
    release_work_order = _mutation(release_work_order)
    hold_work_order = _mutation(hold_work_order)
    cancel_work_order = _mutation(cancel_work_order)
    start_operation = _mutation(start_operation)
    pause_operation = _mutation(pause_operation)
    resume_operation = _mutation(resume_operation)
    issue_material = _mutation(issue_material)
    return_material = _mutation(return_material)
    report_operation = _mutation(report_operation)
    report_by_scan = _mutation(report_by_scan)
    complete_work_order = _mutation(complete_work_order)
    close_work_order = _mutation(close_work_order)
    # planning
    set_forecast = _mutation(set_forecast)
    run_mrp = _mutation(run_mrp)
    firm_planned_order = _mutation(firm_planned_order)
    split_monthly_plan = _mutation(split_monthly_plan)
    set_planning_settings = _mutation(set_planning_settings)
    set_working_calendar = _mutation(set_working_calendar)
    record_schedule = _mutation(record_schedule)
    # sales invoices (数电票)
    set_company_profile = _mutation(set_company_profile)
    issue_sales_invoice = _mutation(issue_sales_invoice)
    confirm_sales_invoice = _mutation(confirm_sales_invoice)
    issue_red_sales_invoice = _mutation(issue_red_sales_invoice)
    # quality
    save_inspection_plan = _mutation(save_inspection_plan)
    end_inspection_plan_version = _mutation(end_inspection_plan_version)
    record_inspection = _mutation(record_inspection)
    release_inspection = _mutation(release_inspection)
    override_inspection = _mutation(override_inspection)
    dispose_nonconformance = _mutation(dispose_nonconformance)
    set_quality_settings = _mutation(set_quality_settings)
    apply_yield_recommendation = _mutation(apply_yield_recommendation)
    credit_customer_return = _mutation(credit_customer_return)
    approve_suppliers = _mutation(approve_suppliers)
    # access
    set_viewer_read_areas = _mutation(set_viewer_read_areas)
    # equipment (设备)
    register_equipment = _mutation(register_equipment)
    change_equipment = _mutation(change_equipment)
    set_equipment_settings = _mutation(set_equipment_settings)
    record_equipment_state = _mutation(record_equipment_state)
    record_equipment_count = _mutation(record_equipment_count)
    set_maintenance_plan = _mutation(set_maintenance_plan)
    open_maintenance_order = _mutation(open_maintenance_order)
    open_due_maintenance = _mutation(open_due_maintenance)
    start_maintenance_order = _mutation(start_maintenance_order)
    plan_maintenance_window = _mutation(plan_maintenance_window)
    issue_maintenance_parts = _mutation(issue_maintenance_parts)
    record_maintenance_labor = _mutation(record_maintenance_labor)
    close_maintenance_order = _mutation(close_maintenance_order)
    apply_safety_stock_recommendation = _mutation(apply_safety_stock_recommendation)
