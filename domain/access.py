"""Who may run which command (DESIGN.md section 8).

Roles: admin, planner, storekeeper, operator, inspector, accountant, viewer.
An admin may do everything; a viewer only reads. The rule lives here, in one
table, and every use case is checked against it in ``_execute`` whatever the
entry point (GraphQL today, other adapters later).
"""

from __future__ import annotations

from enum import StrEnum

from domain.errors import PermissionDenied, ValidationError


class Role(StrEnum):
    ADMIN = "admin"
    PLANNER = "planner"
    STOREKEEPER = "storekeeper"
    OPERATOR = "operator"
    INSPECTOR = "inspector"
    ACCOUNTANT = "accountant"
    VIEWER = "viewer"


A, P, S, ACC, OP = Role.ADMIN, Role.PLANNER, Role.STOREKEEPER, Role.ACCOUNTANT, Role.OPERATOR

# Command name (as _execute knows it) -> roles allowed besides admin.
COMMAND_ROLES: dict[str, frozenset[Role]] = {
    # general ledger
    "add_account": frozenset({ACC}),
    "rename_account": frozenset({ACC}),
    "set_account_active": frozenset({ACC}),
    "set_account_control": frozenset({ACC}),
    "set_company_settings": frozenset({ACC}),
    "open_period": frozenset({ACC}),
    "close_period": frozenset({ACC}),
    "reopen_period": frozenset(),  # 反结账: admin only
    "settle_overhead": frozenset({ACC}),
    "close_books": frozenset({ACC}),
    "post_journal_entry": frozenset({ACC}),
    "reverse_journal_entry": frozenset({ACC}),
    # master data
    "create_item": frozenset({P}),
    "change_item": frozenset({P, ACC}),
    "set_item_active": frozenset({P}),
    "create_warehouse": frozenset({S}),
    "add_location": frozenset({S}),
    "register_party": frozenset({P, ACC}),
    "change_party": frozenset({P, ACC}),
    # purchasing and sales
    "create_purchase_order": frozenset({P}),
    "confirm_purchase_order": frozenset({P}),
    "cancel_purchase_order": frozenset({P}),
    "amend_purchase_order_line": frozenset({P}),
    "create_sales_order": frozenset({P}),
    "confirm_sales_order": frozenset({P}),
    "reserve_sales_order": frozenset({P, S}),
    "cancel_sales_order": frozenset({P}),
    "amend_sales_order_line": frozenset({P}),
    # stock movements
    "receive_purchase_order": frozenset({S}),
    "return_to_supplier": frozenset({S}),
    "ship_sales_order": frozenset({S}),
    "return_from_customer": frozenset({S}),
    "transfer_stock": frozenset({S}),
    "count_stock": frozenset({S}),
    "adjust_stock": frozenset({S, ACC}),
    # engineering and production
    "define_work_center": frozenset({P}),
    "register_operator": frozenset({P}),
    "set_production_settings": frozenset({ACC}),
    "save_bom": frozenset({P}),
    "save_routing": frozenset({P}),
    "end_bom_version": frozenset({P}),
    "create_work_order": frozenset({P}),
    "release_work_order": frozenset({P}),
    "hold_work_order": frozenset({P}),
    "cancel_work_order": frozenset({P}),
    "start_operation": frozenset({P, OP}),
    "pause_operation": frozenset({P, OP}),
    "resume_operation": frozenset({P, OP}),
    "issue_material": frozenset({S}),
    "return_material": frozenset({S}),
    "report_operation": frozenset({OP, P}),
    "complete_work_order": frozenset({S, OP}),
    "close_work_order": frozenset({P, ACC}),
    # planning
    "set_forecast": frozenset({P}),
    "run_mrp": frozenset({P}),
    "firm_planned_order": frozenset({P}),
    "split_monthly_plan": frozenset({P}),
    "record_schedule": frozenset({P}),
    # cash (资金)
    "record_customer_receipt": frozenset({ACC}),
    "record_supplier_payment": frozenset({ACC}),
    "apply_prepayment": frozenset({ACC}),
    "offset_open_items": frozenset({ACC}),
    "record_expense_payment": frozenset({ACC}),
    # sales invoices (数电票)
    "set_company_profile": frozenset({ACC}),
    "issue_sales_invoice": frozenset({ACC}),
    "confirm_sales_invoice": frozenset({ACC}),
    "issue_red_sales_invoice": frozenset({ACC}),
    # purchase invoices (three-way match)
    "record_purchase_invoice": frozenset({ACC}),
    "approve_purchase_invoice": frozenset({ACC}),
    "cancel_purchase_invoice": frozenset({ACC}),
    "set_invoice_match_tolerances": frozenset({ACC}),
    # users
    "create_user": frozenset(),
    "set_user_roles": frozenset(),
    "issue_token": frozenset(),
    "revoke_token": frozenset(),
}


def check_roles(roles: object) -> frozenset[str]:
    values = frozenset(str(r) for r in roles) if roles else frozenset()
    unknown = values - {r.value for r in Role}
    if unknown or not values:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(f"roles must be some of: {allowed}", "roles")
    return values


def check_allowed(command: str, roles: frozenset[str] | None) -> None:
    """Refuse with PermissionDenied unless one of ``roles`` may run ``command``."""
    if roles is None or Role.ADMIN.value in roles:
        return
    allowed = {r.value for r in COMMAND_ROLES.get(command, frozenset())}
    if not roles & allowed:
        needed = ", ".join(sorted(allowed | {"admin"}))
        raise PermissionDenied(f"{command} needs one of these roles: {needed}")


def can_read(roles: frozenset[str] | None) -> bool:
    return roles is None or bool(roles)
