"""Who may run which command and read what (DESIGN.md section 8, docs/security.md).

Roles: admin, planner, storekeeper, operator, inspector, accountant, maintenance,
viewer.
An admin may do everything; a viewer only reads. Writes: ``COMMAND_ROLES``,
checked in ``_execute`` whatever the entry point. Reads: every query field and
download belongs to one read area (``READ_AREAS``), and each role reads some
areas (``ROLE_READS``; a viewer reads what the company allows). A query or
download with no row here is refused to everyone, so a new one cannot forget it.
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
    MAINTENANCE = "maintenance"  # equipment register, states, maintenance orders (设备科)
    VIEWER = "viewer"


A, P, S, ACC, OP, QC = (Role.ADMIN, Role.PLANNER, Role.STOREKEEPER, Role.ACCOUNTANT,
                        Role.OPERATOR, Role.INSPECTOR)
MNT = Role.MAINTENANCE

# Command name (as _execute knows it) -> roles allowed besides admin.
COMMAND_ROLES: dict[str, frozenset[Role]] = {
    # general ledger
    "add_account": frozenset({ACC}),
    "rename_account": frozenset({ACC}),
    "set_account_active": frozenset({ACC}),
    "set_account_control": frozenset({ACC}),
    "install_statement_sub_accounts": frozenset({ACC}),
    "set_statement_line": frozenset({ACC}),
    "split_account": frozenset({ACC}),
    "set_company_settings": frozenset({ACC}),
    "open_period": frozenset({ACC}),
    "close_period": frozenset({ACC}),
    "reopen_period": frozenset(),  # 反结账: admin only
    "settle_overhead": frozenset({ACC}),
    "close_books": frozenset({ACC}),
    "transfer_vat": frozenset({ACC}),
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
    "short_close_purchase_order": frozenset({P}),
    "create_sales_order": frozenset({P}),
    "confirm_sales_order": frozenset({P}),
    "reserve_sales_order": frozenset({P, S}),
    "cancel_sales_order": frozenset({P}),
    "amend_sales_order_line": frozenset({P}),
    "short_close_sales_order": frozenset({P}),
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
    "set_planning_settings": frozenset({P}),
    "set_working_calendar": frozenset({P}),
    "record_schedule": frozenset({P}),
    # cash (资金)
    "record_customer_receipt": frozenset({ACC}),
    "record_supplier_payment": frozenset({ACC}),
    "apply_prepayment": frozenset({ACC}),
    "offset_open_items": frozenset({ACC}),
    "record_expense_payment": frozenset({ACC}),
    # fixed assets (固定资产)
    "acquire_fixed_asset": frozenset({ACC}),
    "run_depreciation": frozenset({ACC}),
    "dispose_fixed_asset": frozenset({ACC}),
    "edit_fixed_asset": frozenset({ACC}),
    "dispose_fixed_asset_part": frozenset({ACC}),
    "reverse_depreciation_run": frozenset({ACC}),
    # sales invoices (数电票)
    "set_company_profile": frozenset({ACC}),
    "issue_sales_invoice": frozenset({ACC}),
    "confirm_sales_invoice": frozenset({ACC}),
    "issue_red_sales_invoice": frozenset({ACC}),
    "credit_customer_return": frozenset({ACC}),
    # purchase invoices (three-way match)
    "record_purchase_invoice": frozenset({ACC}),
    "approve_purchase_invoice": frozenset({ACC}),
    "cancel_purchase_invoice": frozenset({ACC}),
    "set_invoice_match_tolerances": frozenset({ACC}),
    # equipment (设备) and maintenance
    "register_equipment": frozenset({MNT}),
    "change_equipment": frozenset({MNT}),
    "set_equipment_settings": frozenset({MNT}),
    "record_equipment_state": frozenset({MNT, OP}),
    "record_equipment_count": frozenset({MNT, OP}),
    "reject_equipment_message": frozenset({MNT}),
    "set_maintenance_plan": frozenset({MNT}),
    "open_maintenance_order": frozenset({MNT, OP}),
    "open_due_maintenance": frozenset({MNT}),
    "plan_maintenance_window": frozenset({MNT, P}),
    "start_maintenance_order": frozenset({MNT}),
    "issue_maintenance_parts": frozenset({MNT, S}),
    "record_maintenance_labor": frozenset({MNT}),
    "close_maintenance_order": frozenset({MNT}),
    "apply_safety_stock_recommendation": frozenset({P}),
    # quality (an override of a computed decision: admin only)
    "save_inspection_plan": frozenset({QC}),
    "end_inspection_plan_version": frozenset({QC}),
    "record_inspection": frozenset({QC}),
    "release_inspection": frozenset({QC}),
    "override_inspection": frozenset(),
    "set_quality_settings": frozenset({ACC}),
    "apply_yield_recommendation": frozenset({P}),
    "approve_suppliers": frozenset({QC}),  # 合格供方名录: quality approves suppliers per item
    "dispose_nonconformance": frozenset({QC}),
    # users and access (admin only)
    "create_user": frozenset(),
    "set_user_roles": frozenset(),
    "issue_token": frozenset(),
    "revoke_token": frozenset(),
    "revoke_token_id": frozenset(),
    "disable_user": frozenset(),
    "enable_user": frozenset(),
    "set_viewer_read_areas": frozenset(),
    "set_user_password": frozenset(),  # the web console's sign-in
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


class ReadArea(StrEnum):
    MASTER_DATA = "master-data"  # items, warehouses, work centers, operators, BOMs, periods
    ORDERS = "orders"  # parties, purchase and sales orders, delivery performance
    STOCK = "stock"  # on hand, stock cards and documents (quantities at cost)
    PRODUCTION = "production"  # work orders, dispatch list, shop KPIs, alerts, live progress
    PLANNING = "planning"  # MRP runs, planned orders, schedules
    COSTING = "costing"  # stock valuation, WIP, cost roll-up, turnover
    LEDGER = "ledger"  # chart, journal, trial balance, account ledgers, statements, reports
    CASH = "cash"  # receipts, payments, open items, aging, party statements (bank and cash)
    INVOICES = "invoices"  # sales and purchase invoices, the company profile, invoice files
    QUALITY = "quality"  # inspection plans and lots, nonconformances, quality measures, recall
    ADMIN = "admin"  # the system's own state (projections, dead letters)


MD, ORD, STK, PRD, PLN, CST, LED, CSH, INV, QUA, ADM = (
    ReadArea.MASTER_DATA, ReadArea.ORDERS, ReadArea.STOCK, ReadArea.PRODUCTION,
    ReadArea.PLANNING, ReadArea.COSTING, ReadArea.LEDGER, ReadArea.CASH, ReadArea.INVOICES,
    ReadArea.QUALITY, ReadArea.ADMIN)

# What a read is -> its area. Root fields (Query, Subscription) by name; a field of
# another type whose resolver reads on its own by "Type.field"; downloads by route.
READ_AREAS: dict[str, ReadArea] = {
    # master data
    "items": MD, "item": MD, "warehouses": MD, "workCenters": MD, "operators": MD,
    "boms": MD, "routings": MD,
    "periods": MD,  # which months are open: every dated command needs to know
    # orders and partners
    "parties": ORD, "purchaseOrders": ORD, "salesOrders": ORD, "order": ORD,
    "openOrderLines": ORD, "onTimeDelivery": ORD,
    # stock
    "onHand": STK, "stockCard": STK, "stockDocuments": STK, "stockDocument": STK,
    "readyToShip": STK,
    # production (MES)
    "workOrders": PRD, "workOrder": PRD, "dispatchList": PRD, "heldWorkOrders": PRD,
    "shopKpis": PRD, "alerts": PRD, "workOrderProgress": PRD,
    "ReportOperationSuccess.workOrder": PRD, "ReportByScanSuccess.workOrder": PRD,
    # equipment (设备): the register, OEE, downtime, maintenance, MQTT messages set aside
    "equipment": PRD, "equipmentOee": PRD, "downtimePareto": PRD, "equipmentReliability": PRD,
    "equipmentAlerts": PRD, "downtimeReasons": PRD, "maintenanceOrders": PRD,
    "maintenanceOrder": PRD, "maintenancePlans": PRD, "equipmentDeadLetters": PRD,
    "safetyStockRecommendation": PLN,  # planning data: what MRP will keep
    # planning
    "mrpRuns": PLN, "mrpRun": PLN, "plannedOrders": PLN, "mrpExceptions": PLN,
    "peggedReceipts": PLN, "planningSettings": PLN, "workingCalendar": PLN,
    "schedule": PLN, "scheduleByWorkCenter": PLN, "reschedule": PLN, "lateOrders": PLN,
    "savedSchedule": PLN,
    "MrpRun.plannedOrders": PLN, "MrpRun.exceptions": PLN,
    # costing
    "inventoryValuation": CST, "inventoryReconciliation": CST, "inventoryTurnover": CST,
    "wipReconciliation": CST, "costRollup": CST, "workOrderBudget": CST,
    # ledger and statements (account ledgers include 2211 应付职工薪酬: salaries)
    "accounts": LED, "account": LED, "journalEntries": LED, "journalEntry": LED,
    "trialBalance": LED, "accountLedger": LED, "balanceSheet": LED, "incomeStatement": LED,
    "annualIncomeStatement": LED,
    "cashFlowStatement": LED, "vatReturn": LED,
    "subledgerReconciliation": LED,
    "fixedAssets": LED, "fixedAsset": LED, "depreciationRuns": LED,
    "fixedAssetReconciliation": LED,
    "StockDocument.entry": LED, "CashDocument.entry": LED, "SalesInvoice.entry": LED,
    "OperationReport.entry": LED, "ReportOperationSuccess.entry": LED,
    "ReportByScanSuccess.entry": LED,
    # mutation payloads' read-model views, read when selected (api/graphql/context.py)
    "PostJournalEntrySuccess.entry": LED,
    "CreatePurchaseOrderSuccess.order": ORD, "ConfirmPurchaseOrderSuccess.order": ORD,
    "CreateSalesOrderSuccess.order": ORD, "ConfirmSalesOrderSuccess.order": ORD,
    "ReceivePurchaseOrderSuccess.order": ORD, "ShipSalesOrderSuccess.order": ORD,
    "ReceivePurchaseOrderSuccess.document": STK, "ShipSalesOrderSuccess.document": STK,
    "IssueMaterialSuccess.document": STK, "CompleteWorkOrderSuccess.document": STK,
    "CreateWorkOrderSuccess.workOrder": PRD, "ReleaseWorkOrderSuccess.workOrder": PRD,
    "ReleaseWorkOrderSuccess.shortages": PRD, "IssueMaterialSuccess.workOrder": PRD,
    "CompleteWorkOrderSuccess.workOrder": PRD,
    "RecordPurchaseInvoiceSuccess.invoice": INV, "IssueSalesInvoiceSuccess.invoice": INV,
    "download:reports": LED,
    # cash and bank (资金)
    "openItems": CSH, "aging": CSH, "partyStatement": CSH, "cashDocuments": CSH,
    "cashDocument": CSH,
    # invoices
    "salesInvoices": INV, "salesInvoice": INV, "uninvoicedShipments": INV,
    "companyProfile": INV, "purchaseInvoices": INV, "purchaseInvoice": INV,
    "uninvoicedReceipts": INV, "SalesInvoice.redInvoices": INV,
    "download:invoices": INV,
    # quality
    "inspectionPlans": QUA, "samplingPlan": QUA, "inspectionLots": QUA, "inspectionLot": QUA,
    "nonconformances": QUA, "nonconformance": QUA, "operationHolds": QUA,
    "supplierFlags": QUA, "qualityAlerts": QUA, "qualityKpis": QUA, "supplierScorecard": QUA,
    "qualityCost": QUA, "spcChart": QUA, "yieldRecommendation": QUA, "traceLot": QUA,
    "recall": QUA, "approvedSuppliers": QUA,
    "Order.qualityFlag": QUA, "Order.supplierFlagged": QUA,  # a purchase order's supplier
    "DisposeNonconformanceSuccess.entry": LED,
    # the system itself: projection positions, dead letters, worker errors
    "systemStatus": ADM,
}

# Role -> areas it reads. Admin reads everything; a viewer reads the company's
# setting (``set_viewer_read_areas``), VIEWER_DEFAULT until an admin sets it.
ROLE_READS: dict[Role, frozenset[ReadArea]] = {
    Role.ADMIN: frozenset(ReadArea),
    Role.ACCOUNTANT: frozenset({MD, ORD, STK, PRD, CST, LED, CSH, INV, QUA}),
    Role.PLANNER: frozenset({MD, ORD, STK, PRD, PLN, QUA}),
    # production: material issues and completions are booked against work orders;
    # quality: what waits in quarantine and why
    Role.STOREKEEPER: frozenset({MD, ORD, STK, PRD, QUA}),
    Role.INSPECTOR: frozenset({MD, STK, PRD, QUA}),
    Role.OPERATOR: frozenset({MD, PRD}),
    # equipment, OEE and maintenance orders read as production; spare parts as stock
    Role.MAINTENANCE: frozenset({MD, STK, PRD}),
}
# What a shop-floor board may show: no money beyond item costs, no partners.
VIEWER_DEFAULT: frozenset[ReadArea] = frozenset({MD, PRD})


def check_read_areas(areas: object) -> frozenset[str]:
    """The areas an admin may give viewers (any but admin)."""
    values = frozenset(str(a).strip().lower() for a in (areas or ()))
    allowed = {a.value for a in ReadArea} - {ADM.value}
    if values - allowed:
        raise ValidationError(f"areas must be some of: {', '.join(sorted(allowed))}; "
                              f"not {', '.join(sorted(values - allowed))}", "areas")
    return values


def readable_areas(roles: frozenset[str] | None,
                   viewer_areas: frozenset[str] = frozenset()) -> frozenset[str] | None:
    """The areas ``roles`` read together; None (everything) in open mode."""
    if roles is None:
        return None
    areas: set[str] = set()
    for role in roles:
        if role == Role.VIEWER.value:
            areas |= viewer_areas
        elif role in Role.__members__.values():
            areas |= {a.value for a in ROLE_READS[Role(role)]}
    return frozenset(areas)


def readers(area: str, viewer_areas: frozenset[str] = frozenset()) -> list[str]:
    """The roles that read ``area``, sorted."""
    names = {r.value for r, areas in ROLE_READS.items() if area in areas}
    if area in viewer_areas:
        names.add(Role.VIEWER.value)
    return sorted(names)


def check_read(what: str, areas: frozenset[str] | None,
               viewer_areas: frozenset[str] = frozenset()) -> None:
    """Refuse with PermissionDenied unless ``areas`` include the area of ``what``.

    A read with no row in READ_AREAS is refused to everyone, open mode included."""
    area = READ_AREAS.get(what)
    if area is None:
        raise PermissionDenied(f"{what} has no read rule: add it to READ_AREAS in "
                               "domain/access.py")
    if areas is not None and area.value not in areas:
        raise PermissionDenied(f"{what} reads {area.value}, which needs one of these roles: "
                               f"{', '.join(readers(area.value, viewer_areas))}")
