"""Production use cases: engineering data, work orders, material issue and
return, operation reporting (also by scan), completion and close.

Every fact that moves value saves, in one atomic save, the work order, the
stock balances, the stock document and the journal entry its costing rule
makes: issue Dr 400101 / Cr inventory; hours Dr 400101 / Cr 2211 (labor) and
Cr 4101 (overhead applied); completion Dr inventory / Cr 400101.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.engineering import (
    SETTINGS_ID,
    BillOfMaterials,
    BomLine,
    BomVersion,
    CompanySettings,
    IssueMethod,
    Operation,
    Operator,
    ProductionSettings,
    Routing,
    RoutingVersion,
    WorkCenter,
    WorkCenterSpec,
    bom_id,
    check_op_no,
    check_work_center,
    operator_id,
    routing_id,
    work_center_id,
)
from domain.catalog.items import ItemType, check_item_code
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.usecases import (
    CodeResult,
    DocumentResult,
    MoveLineInput,
    _Work,
    numbered_first,
)
from domain.money import parse_quantity, to_decimal
from domain.production.costing import Wip, hours_cost, relief
from domain.production.work_orders import (
    MaterialRequirement,
    OperationProgress,
    OperationStatus,
    Report,
    Shortage,
    WorkOrder,
    parse_scan_code,
    work_order_id,
)

QTY = Decimal("0.000001")
WAGES_PAYABLE = "2211"  # 应付职工薪酬
OVERHEAD_APPLIED = "4101"  # 制造费用
ABNORMAL_LOSS = "5711"  # 营业外支出


@dataclass(frozen=True)
class BomLineInput:
    component: str
    qty_per: Any
    scrap_allowance: Any = "0"
    issue_method: IssueMethod = IssueMethod.MANUAL
    operation: str = ""


@dataclass(frozen=True)
class OperationInput:
    op_no: str
    work_center: str
    run_hours_per_unit: Any
    setup_hours: Any = "0"
    description: str = ""


# A material issue or return line is a move line against a work-order line.
MaterialLineInput = MoveLineInput


@dataclass(frozen=True)
class ReportInput:
    good: Any = "0"
    scrap: Any = "0"
    scrap_reason: str = ""
    rework: Any = "0"
    labor_hours: Any = "0"
    machine_hours: Any = "0"
    operator: str = ""
    equipment: str = ""


@dataclass(frozen=True)
class WorkOrderResult:
    number: str
    status: str


@dataclass(frozen=True)
class ReportResult:
    number: str
    op_no: str
    entry_id: str
    voucher_no: str
    flagged: str


def _hours(value: Any, field: str) -> Decimal:
    hours = to_decimal(value if value is not None else "0", field)
    if hours < 0 or hours > 10_000:
        raise ValidationError(f"{field}: hours must be between 0 and 10000", field)
    if hours != hours.quantize(Decimal("0.0001")):
        raise ValidationError(f"{field}: at most 4 decimal places", field)
    return hours


def _qty0(value: Any, field: str) -> Decimal:
    return parse_quantity(value if value is not None else "0", field, allow_zero=True)


class ProductionUseCases:
    """Mixed into the company Application."""

    # -- engineering data -------------------------------------------------------
    def define_work_center(self, spec: WorkCenterSpec, ctx: CommandContext = CommandContext()):
        def decide():
            checked = check_work_center(spec)
            try:
                wc = self.repository.get(work_center_id(checked.code))
            except AggregateNotFoundError:
                return CodeResult(checked.code), [WorkCenter(checked)]
            wc.change(checked)
            return CodeResult(checked.code), [wc]

        return self._execute("define_work_center", spec, ctx, decide, CodeResult)

    def _work_center(self, code: str, field: str = "workCenter") -> WorkCenter:
        code = check_item_code(code, field)
        try:
            return self.repository.get(work_center_id(code), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound(f"work center {code} does not exist", "WorkCenter", code) from None

    def register_operator(
        self,
        code: str,
        name: str,
        work_centers: Sequence[str],
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            code_ = check_item_code(code)
            if not (name or "").strip():
                raise ValidationError("operator name is required", "name")
            wcs = tuple(
                sorted({self._work_center(w, "workCenters").spec.code for w in work_centers})
            )
            try:
                op = self.repository.get(operator_id(code_))
            except AggregateNotFoundError:
                return CodeResult(code_), [Operator(code_, name.strip(), wcs)]
            op.set_work_centers(wcs)
            return CodeResult(code_), [op]

        return self._execute(
            "register_operator", (code, name, list(work_centers)), ctx, decide, CodeResult
        )

    def set_production_settings(
        self, settings: ProductionSettings, ctx: CommandContext = CommandContext()
    ):
        def decide():
            chart = self.chart()
            for name in (
                "material_variance_account",
                "labor_variance_account",
                "overhead_variance_account",
                "wip_account",
            ):
                chart.check_postable(getattr(settings, name), name)
            try:
                company = self.repository.get(SETTINGS_ID)
            except AggregateNotFoundError:
                company = CompanySettings()
            company.set_production(settings)
            return CodeResult("production"), [company]

        return self._execute("set_production_settings", settings, ctx, decide, CodeResult)

    def production_settings(self) -> ProductionSettings:
        try:
            return self.repository.get(SETTINGS_ID, deepcopy_from_cache=False).production
        except AggregateNotFoundError:
            return ProductionSettings()

    def save_bom(
        self,
        item: str,
        version: str,
        effective_from: date,
        lines: Sequence[BomLineInput],
        effective_to: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """Save a BOM version; a cycle through any version of any component is refused."""

        def decide():
            work = _Work(self)
            parent = self._item(work, item)
            if parent.spec.item_type not in (ItemType.FINISHED, ItemType.SEMI_FINISHED):
                raise BusinessRuleViolation(
                    "NOT_MANUFACTURED",
                    f"item {parent.code} is {parent.spec.item_type.value}; "
                    "only finished and semi-finished items have BOMs",
                )
            ver = (version or "").strip()
            if not ver or len(ver) > 20:
                raise ValidationError("version must be 1-20 characters", "version")
            if not lines:
                raise ValidationError("a BOM needs at least one line", "lines")
            bom_lines = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                comp = self._item(work, ln.component, f"{path}.component")
                if comp.code == parent.code:
                    raise BusinessRuleViolation("BOM_CYCLE", f"{parent.code} cannot contain itself")
                allowance = to_decimal(ln.scrap_allowance or "0", f"{path}.scrapAllowance")
                if not Decimal(0) <= allowance < 1:
                    raise ValidationError(
                        "scrap allowance must be 0 to below 1", f"{path}.scrapAllowance"
                    )
                op = check_op_no(ln.operation, f"{path}.operation") if ln.operation else ""
                bom_lines.append(
                    BomLine(
                        i + 1,
                        comp.code,
                        parse_quantity(ln.qty_per, f"{path}.qtyPer"),
                        allowance,
                        ln.issue_method,
                        op,
                    )
                )
            self._check_no_cycle(parent.code, {ln.component for ln in bom_lines})
            try:
                bom = self.repository.get(bom_id(parent.code))
            except AggregateNotFoundError:
                bom = BillOfMaterials(parent.code)
            bom.save_version(BomVersion(ver, effective_from, effective_to, tuple(bom_lines)))
            return CodeResult(f"{parent.code}@{ver}"), [bom]

        payload = (item, version, effective_from, list(lines), effective_to)
        return self._execute("save_bom", payload, ctx, decide, CodeResult)

    def end_bom_version(
        self, item: str, version: str, effective_to: date, ctx: CommandContext = CommandContext()
    ):
        """Give a BOM version its last day, so a new version can take over."""

        def decide():
            code = check_item_code(item)
            try:
                bom = self.repository.get(bom_id(code))
            except AggregateNotFoundError:
                raise NotFound(f"item {code} has no BOM", "BillOfMaterials", code) from None
            bom.end_version((version or "").strip(), effective_to)
            return CodeResult(f"{code}@{version}"), [bom]

        return self._execute(
            "end_bom_version", (item, version, effective_to), ctx, decide, CodeResult
        )

    def _check_no_cycle(self, parent: str, components: set[str]) -> None:
        """Depth-first through every version of every component's BOM."""
        seen: set[str] = set()
        stack = [(c, (parent, c)) for c in sorted(components)]
        while stack:
            code, path = stack.pop()
            if code == parent:
                raise BusinessRuleViolation("BOM_CYCLE", "BOM cycle: " + " -> ".join(path))
            if code in seen:
                continue
            seen.add(code)
            try:
                bom = self.repository.get(bom_id(code), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                continue
            stack.extend((c, (*path, c)) for c in sorted(bom.components()))

    def save_routing(
        self,
        item: str,
        version: str,
        effective_from: date,
        operations: Sequence[OperationInput],
        effective_to: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            work = _Work(self)
            parent = self._item(work, item)
            ver = (version or "").strip()
            if not ver or len(ver) > 20:
                raise ValidationError("version must be 1-20 characters", "version")
            if not operations:
                raise ValidationError("a routing needs at least one operation", "operations")
            ops = []
            for i, op in enumerate(operations):
                path = f"operations.{i}"
                op_no = check_op_no(op.op_no, f"{path}.opNo")
                if any(o.op_no == op_no for o in ops):
                    raise ValidationError(f"{op_no} appears twice", f"{path}.opNo")
                wc = self._work_center(op.work_center, f"{path}.workCenter")
                ops.append(
                    Operation(
                        op_no,
                        wc.spec.code,
                        _hours(op.setup_hours, f"{path}.setupHours"),
                        _hours(op.run_hours_per_unit, f"{path}.runHoursPerUnit"),
                        (op.description or "").strip(),
                    )
                )
            ops.sort(key=lambda o: int(o.op_no[2:]))
            try:
                routing = self.repository.get(routing_id(parent.code))
            except AggregateNotFoundError:
                routing = Routing(parent.code)
            routing.save_version(RoutingVersion(ver, effective_from, effective_to, tuple(ops)))
            return CodeResult(f"{parent.code}@{ver}"), [routing]

        payload = (item, version, effective_from, list(operations), effective_to)
        return self._execute("save_routing", payload, ctx, decide, CodeResult)

    # -- work orders ---------------------------------------------------------------------
    def _wo(self, work: _Work, number: str) -> WorkOrder:
        number = (number or "").strip().upper()
        return work.get(
            work_order_id(number),
            NotFound(f"work order {number} does not exist", "WorkOrder", number),
        )

    def create_work_order(
        self,
        item: str,
        qty: Any,
        due_date: date,
        created_on: date,
        warehouse: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """Freeze the BOM and routing versions in force on the creation day."""

        def decide():
            work = _Work(self)
            wo = self._new_work_order(work, item, qty, due_date, created_on, warehouse)
            return WorkOrderResult(wo.number, wo.status.value), [*work.changed(), wo]

        payload = (item, qty, due_date, created_on, warehouse)
        return self._execute("create_work_order", payload, ctx, decide, WorkOrderResult)

    def _new_work_order(
        self,
        work: _Work,
        item: str,
        qty: Any,
        due_date: date,
        created_on: date,
        warehouse: str = "",
    ) -> WorkOrder:
        """A numbered work order with the BOM and routing in force on ``created_on``
        (also used when firming planned orders and splitting monthly plans)."""
        product = self._item(work, item)
        quantity = parse_quantity(qty, "qty")
        if not isinstance(due_date, date) or due_date < created_on:
            raise ValidationError("dueDate must be a date on or after the creation day", "dueDate")
        wh = self._warehouse(work, warehouse or product.spec.default_warehouse, "warehouse")
        try:
            bom = self.repository.get(bom_id(product.code), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise BusinessRuleViolation(
                "NO_BOM_IN_FORCE", f"item {product.code} has no BOM"
            ) from None
        try:
            routing = self.repository.get(routing_id(product.code), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise BusinessRuleViolation(
                "NO_ROUTING_IN_FORCE", f"item {product.code} has no routing"
            ) from None
        bom_v, routing_v = bom.in_force(created_on), routing.in_force(created_on)
        first_op = routing_v.operations[0].op_no
        ops = {o.op_no for o in routing_v.operations}
        materials = []
        for ln in bom_v.lines:
            op = ln.operation or first_op
            if op not in ops:
                raise BusinessRuleViolation(
                    "BOM_ROUTING_MISMATCH",
                    f"BOM line {ln.line_no} is consumed at {op}, which routing "
                    f"{routing_v.version} does not have",
                )
            required = (quantity * ln.qty_per * (1 + ln.scrap_allowance)).quantize(QTY)
            materials.append(
                MaterialRequirement(
                    ln.line_no,
                    ln.component,
                    ln.qty_per,
                    ln.scrap_allowance,
                    ln.issue_method,
                    op,
                    required,
                )
            )
        number = self._number(work, "WO")
        wo = WorkOrder(
            number=number,
            item=product.code,
            qty=quantity,
            due_date=due_date,
            warehouse=wh.code,
            bom_version=bom_v.version,
            routing_version=routing_v.version,
            materials=tuple(materials),
            operations=tuple(
                OperationProgress(o.op_no, o.work_center, o.setup_hours, o.run_hours_per_unit)
                for o in routing_v.operations
            ),
            business_day=created_on,
        )
        return wo

    def shortages_of(self, work: _Work, wo: WorkOrder) -> tuple[Shortage, ...]:
        """Components whose outstanding requirement exceeds what is available."""
        short = []
        for line in wo.materials.values():
            if line.outstanding <= 0:
                continue
            comp = self._item(work, line.component)
            wh = comp.spec.default_warehouse or wo.warehouse
            available = max(self._stock(work, comp.code, wh).available, Decimal(0))
            if available < line.outstanding:
                short.append(Shortage(comp.code, line.outstanding, available.quantize(QTY)))
        return tuple(short)

    def release_work_order(self, number: str, ctx: CommandContext = CommandContext()):
        """Release, or hold with the shortage list (物料到库后再排产)."""

        def decide():
            work = _Work(self)
            wo = self._wo(work, number)
            wo.release(self.shortages_of(work, wo))
            changed = [a for a in work.changed() if not _is_new_empty_stock(a)]
            return WorkOrderResult(wo.number, wo.status.value), changed

        return self._execute("release_work_order", number, ctx, decide, WorkOrderResult)

    def hold_work_order(self, number: str, ctx: CommandContext = CommandContext()):
        return self._wo_step("hold_work_order", number, lambda wo: wo.hold(), ctx)

    def cancel_work_order(self, number: str, ctx: CommandContext = CommandContext()):
        return self._wo_step("cancel_work_order", number, lambda wo: wo.cancel(), ctx)

    def start_operation(self, number: str, op_no: str, ctx: CommandContext = CommandContext()):
        return self._operation_step("start_operation", number, op_no, OperationStatus.RUNNING, ctx)

    def pause_operation(self, number: str, op_no: str, ctx: CommandContext = CommandContext()):
        return self._operation_step("pause_operation", number, op_no, OperationStatus.PAUSED, ctx)

    def resume_operation(self, number: str, op_no: str, ctx: CommandContext = CommandContext()):
        return self._operation_step("resume_operation", number, op_no, OperationStatus.RUNNING,
                                    ctx)

    def _operation_step(self, command, number, op_no, status, ctx):
        return self._wo_step(
            command,
            number,
            lambda wo: wo.set_operation_status(check_op_no(op_no, "opNo"), status),
            ctx,
            payload=(number, op_no),
        )

    def _wo_step(self, command, number, change, ctx, payload=None):
        def decide():
            work = _Work(self)
            wo = self._wo(work, number)
            change(wo)
            return WorkOrderResult(wo.number, wo.status.value), work.changed()

        return self._execute(command, payload or number, ctx, decide, WorkOrderResult)

    # -- materials -------------------------------------------------------------------------
    def issue_material(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MaterialLineInput],
        reason: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """生产领料: Dr 400101 / Cr inventory at moving average."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            wo = self._wo(work, number)
            if not lines:
                raise ValidationError("a material issue needs at least one line", "lines")
            voucher = posting.Voucher()
            moves = []
            wip = self.production_settings().wip_account
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                req = wo.check_issue(ln.line_no, qty, reason)
                moves.append(
                    self._issue_component(
                        work,
                        wo,
                        req,
                        qty,
                        posting_date,
                        voucher,
                        wip,
                        i + 1,
                        ln.warehouse,
                        ln.location,
                        ln.lot,
                        path,
                    )
                )
            return self._record_document(
                work,
                DocumentKind.MATERIAL_ISSUE,
                posting_date,
                voucher,
                moves,
                f"生产领料 {wo.number}",
                order=wo.number,
                note=(reason or "").strip()[:200],
                already_moved=True,
            )

        payload = (number, posting_date, list(lines), reason)
        return self._execute("issue_material", payload, ctx, numbered_first(decide), DocumentResult)

    def _issue_component(
        self,
        work,
        wo,
        req,
        qty,
        day,
        voucher,
        wip_account,
        doc_line,
        warehouse="",
        location="",
        lot="",
        path="lines.0",
    ) -> DocumentLine:
        comp = self._item(work, req.component, f"{path}.item")
        wh = self._warehouse(
            work, warehouse or comp.spec.default_warehouse or wo.warehouse, f"{path}.warehouse"
        )
        loc = wh.check_location(location, f"{path}.location")
        lot = self._lot(comp, lot, f"{path}.lot")
        stock = self._stock(work, comp.code, wh.code)
        stock.check_can_issue(qty, loc, lot)
        value = stock.value_of(qty)
        stock.issue(qty, value, loc, lot, day, work.movement(DocumentKind.MATERIAL_ISSUE, doc_line))
        voucher.debit(wip_account, value).credit(comp.inventory_account, value)
        wo.issue_material(req.line_no, qty, value, lot)
        return DocumentLine(
            doc_line, comp.code, wh.code, loc, lot, -qty, -value, order_line=req.line_no
        )

    def return_material(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MaterialLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """退料: unused material back into stock at its issue value."""

        def decide():
            work = _Work(self)
            wo = self._wo(work, number)
            if not lines:
                raise ValidationError("a material return needs at least one line", "lines")
            voucher = posting.Voucher()
            moves = []
            wip = self.production_settings().wip_account
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                req = wo.material(ln.line_no)
                comp = self._item(work, req.component, f"{path}.item")
                wh = self._warehouse(
                    work,
                    ln.warehouse or comp.spec.default_warehouse or wo.warehouse,
                    f"{path}.warehouse",
                )
                loc = wh.check_location(ln.location, f"{path}.location")
                lot = self._lot(comp, ln.lot, f"{path}.lot")
                value = wo.return_material(ln.line_no, qty)
                voucher.debit(comp.inventory_account, value).credit(wip, value)
                moves.append(
                    DocumentLine(
                        i + 1, comp.code, wh.code, loc, lot, qty, value, order_line=ln.line_no
                    )
                )
            return self._record_document(
                work,
                DocumentKind.MATERIAL_RETURN,
                posting_date,
                voucher,
                moves,
                f"生产退料 {wo.number}",
                order=wo.number,
            )

        payload = (number, posting_date, list(lines))
        return self._execute("return_material", payload, ctx, decide, DocumentResult)

    # -- reporting -----------------------------------------------------------------------
    def report_operation(
        self,
        number: str,
        op_no: str,
        posting_date: date,
        report: ReportInput,
        ctx: CommandContext = CommandContext(),
    ):
        """报工: quantities, hours (labor and overhead applied at the work
        center's rates), operator and equipment; backflush lines of the
        operation are issued in the same save."""

        def decide(posts: bool = True):
            return self._report(number, op_no, posting_date, report, posts)

        payload = (number, op_no, posting_date, report)
        return self._execute("report_operation", payload, ctx, numbered_first(decide), ReportResult)

    def report_by_scan(
        self,
        code: str,
        posting_date: date,
        report: ReportInput,
        ctx: CommandContext = CommandContext(),
    ):
        """The scanner's report: ``WO-000123/OP20`` plus quantities (idempotent by key)."""
        number, op_no = parse_scan_code(code)

        def decide(posts: bool = True):
            return self._report(number, op_no, posting_date, report, posts)

        payload = (code.strip().upper(), posting_date, report)
        return self._execute("report_operation", payload, ctx, numbered_first(decide), ReportResult)

    def _report(self, number: str, op_no: str, day: date, rep: ReportInput, posts: bool = True):
        work = _Work(self, posts=posts)
        wo = self._wo(work, number)
        op_no = check_op_no(op_no, "opNo")
        good, scrap = _qty0(rep.good, "good"), _qty0(rep.scrap, "scrap")
        rework = _qty0(rep.rework, "rework")
        labor_h, machine_h = (
            _hours(rep.labor_hours, "laborHours"),
            _hours(rep.machine_hours, "machineHours"),
        )
        if not (good or scrap or rework or labor_h or machine_h):
            raise ValidationError("a report needs a quantity or hours", "good")
        if scrap and not (rep.scrap_reason or "").strip():
            raise ValidationError("scrap needs a reason", "scrapReason")
        op = wo.check_report(op_no, good, scrap)
        wc = self._work_center(op.work_center)
        settings = self.production_settings()
        flagged = self._check_operator(rep.operator, wc.spec.code, settings)
        labor = hours_cost(labor_h, wc.spec.labor_rate)
        overhead = hours_cost(machine_h or labor_h, wc.spec.overhead_rate)
        voucher = posting.Voucher()
        wip = settings.wip_account
        voucher.debit(wip, labor + overhead).credit(WAGES_PAYABLE, labor)
        voucher.credit(OVERHEAD_APPLIED, overhead)
        # Backflush (倒冲) the lines this operation consumes, for what it processed.
        moves = []
        for req in list(wo.materials.values()):
            if (
                req.issue_method is IssueMethod.BACKFLUSH
                and req.operation == op_no
                and good + scrap
            ):
                qty = ((good + scrap) * req.qty_per * (1 + req.scrap_allowance)).quantize(QTY)
                if qty:
                    moves.extend(
                        self._backflush(work, wo, req, qty, day, voucher, wip, len(moves) + 1)
                    )
        scrap_cost = Decimal("0.00")
        if scrap and settings.abnormal_scrap_to_5711:
            # Value the scrapped units like a completion would, after this report's costs.
            # wo.wip already holds this report's backflushed material.
            pending = wo.wip.plus(Wip(labor=labor, overhead=overhead))
            scrap_cost = relief(pending, scrap, wo.units_expected).total
            voucher.debit(ABNORMAL_LOSS, scrap_cost).credit(wip, scrap_cost)
        number_ = wo.number
        entry_id, voucher_no = self._post(
            work,
            voucher,
            day,
            f"{number_} {op_no} 报工 report",
            "operation_report",
            f"{number_}/{op_no}",
            work.entry_id,
        )
        work.check_posted(entry_id)
        if moves:
            self._record_backflush(work, wo, day, moves, entry_id, voucher_no)
        wo.record_report(
            Report(
                op_no,
                good,
                scrap,
                (rep.scrap_reason or "").strip()[:200],
                rework,
                labor_h,
                machine_h,
                (rep.operator or "").strip().upper(),
                (rep.equipment or "").strip()[:40],
                day,
                labor,
                overhead,
                scrap_cost,
                flagged,
                entry_id,
            )
        )
        return ReportResult(number_, op_no, entry_id, voucher_no, flagged), work.changed()

    def _check_operator(self, operator: str, work_center: str, settings: ProductionSettings) -> str:
        code = (operator or "").strip().upper()
        if not code:
            return ""
        try:
            person = self.repository.get(operator_id(code), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound(f"operator {code} does not exist", "Operator", code) from None
        if person.qualified_for(work_center):
            return ""
        if not settings.allow_unqualified_reports:
            raise BusinessRuleViolation(
                "OPERATOR_NOT_QUALIFIED",
                f"operator {code} is not qualified for work center {work_center}",
            )
        return f"operator {code} not qualified for {work_center}"

    def _backflush(self, work, wo, req, qty, day, voucher, wip, doc_line) -> list[DocumentLine]:
        """Issue ``qty`` of a backflush component, lot by lot for lot-tracked ones."""
        comp = self._item(work, req.component)
        wh = self._warehouse(work, comp.spec.default_warehouse or wo.warehouse)
        if not comp.spec.lot_tracked:
            return [self._issue_component(work, wo, req, qty, day, voucher, wip, doc_line, wh.code)]
        stock = self._stock(work, comp.code, wh.code)
        lines, left = [], qty
        loc = wh.default_location
        for key in sorted(k for k in stock.bins if k.startswith(loc + "|")):
            take = min(left, stock.bins[key])
            if take > 0:
                lines.append(
                    self._issue_component(
                        work,
                        wo,
                        req,
                        take,
                        day,
                        voucher,
                        wip,
                        doc_line + len(lines),
                        wh.code,
                        loc,
                        key.split("|", 1)[1],
                    )
                )
                left -= take
            if not left:
                return lines
        stock.check_can_issue(left, loc, "")  # raises INSUFFICIENT_STOCK
        return lines

    def _record_backflush(self, work, wo, day, moves, entry_id, voucher_no) -> None:
        from domain.inventory.documents import StockDocument

        number = work.number  # taken by the first backflush movement
        doc = StockDocument(
            kind=DocumentKind.MATERIAL_ISSUE,
            number=number,
            posting_date=day,
            lines=tuple(moves),
            order=wo.number,
            entry_id=entry_id,
            voucher_no=voucher_no,
            note="倒冲 backflush",
        )
        work.loaded[doc.id] = doc

    # -- completion and close -----------------------------------------------------------
    def complete_work_order(
        self,
        number: str,
        posting_date: date,
        qty: Any,
        warehouse: str = "",
        location: str = "",
        lot: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """完工入库 at actual cost (see domain/production/costing.py for the rule)."""

        def decide():
            work = _Work(self)
            wo = self._wo(work, number)
            quantity = parse_quantity(qty, "qty")
            wo.check_completion(quantity)
            product = self._item(work, wo.item)
            wh = self._warehouse(work, warehouse or wo.warehouse, "warehouse")
            loc = wh.check_location(location, "location")
            lot_ = (lot or "").strip() or (wo.number if product.spec.lot_tracked else "")
            lot_ = self._lot(product, lot_, "lot")
            relieved = relief(wo.wip, quantity, wo.units_expected)
            voucher = posting.Voucher()
            voucher.debit(product.inventory_account, relieved.total)
            voucher.credit(self.production_settings().wip_account, relieved.total)
            genealogy = ",".join(sorted(wo.consumed_lots))
            moves = [
                DocumentLine(
                    1,
                    product.code,
                    wh.code,
                    loc,
                    lot_,
                    quantity,
                    relieved.total,
                    note=f"consumed lots: {genealogy}"[:200] if genealogy else "",
                )
            ]
            result, changed = self._record_document(
                work,
                DocumentKind.COMPLETION,
                posting_date,
                voucher,
                moves,
                f"完工入库 {wo.number}",
                order=wo.number,
            )
            wo.complete(quantity, relieved, lot_, result.number)
            return result, [*changed, wo] if wo not in changed else changed

        payload = (number, posting_date, qty, warehouse, location, lot)
        return self._execute("complete_work_order", payload, ctx, decide, DocumentResult)

    def close_work_order(
        self, number: str, posting_date: date, ctx: CommandContext = CommandContext()
    ):
        """Relieve any WIP remainder as variance: material usage, labor
        efficiency and overhead, to the accounts in the production settings."""

        def decide():
            work = _Work(self)
            wo = self._wo(work, number)
            settings = self.production_settings()
            left = wo.wip
            voucher = posting.Voucher()
            for account, value in (
                (settings.material_variance_account, left.material),
                (settings.labor_variance_account, left.labor),
                (settings.overhead_variance_account, left.overhead),
            ):
                voucher.debit(account, value).credit(settings.wip_account, value)
            entry_id = ""
            if voucher:
                entry_id, _ = self._post(
                    work,
                    voucher,
                    posting_date,
                    f"{wo.number} 关闭 差异 close variance",
                    "work_order_close",
                    wo.number,
                )
            wo.close(left, entry_id)
            return WorkOrderResult(wo.number, wo.status.value), work.changed()

        return self._execute(
            "close_work_order", (number, posting_date), ctx, decide, WorkOrderResult
        )


def _is_new_empty_stock(aggregate: Any) -> bool:
    """A stock balance opened only to read its availability is not saved."""
    from domain.inventory.stock import StockBalance

    return (
        isinstance(aggregate, StockBalance)
        and aggregate.version == 1
        and len(aggregate.pending_events) == 1
    )


__all__ = [
    "ProductionUseCases",
    "BomLineInput",
    "OperationInput",
    "MaterialLineInput",
    "ReportInput",
    "WorkOrderResult",
    "ReportResult",
    "replace",
]
