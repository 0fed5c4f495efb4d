"""Demo company: the bolt-kit month (docs/examples/bolt-kit.md).

Every step runs through the use cases and posts its own vouchers: the
purchase order and its receipt, the supplier's invoice (three-way matched)
and its payment, both work orders (issue, scan reports, completion), the
shipment, the 数电票 sales invoice and the customer's payment, the
electricity bill, the overhead settlement and the month-end close
(结转损益). Only the owner's investment is a plain journal entry. The trial
balance, the statements and the stock come out exactly as in the worked
example; December is opened for you to try things in. Every command carries
an idempotency key: loading twice writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from domain.application import FactoryLedger, Outcome
from domain.catalog.engineering import WorkCenterSpec
from domain.catalog.items import ItemSpec, ItemType, Planning
from domain.clock import MAX_DAYS_AHEAD, MAX_DAYS_BACK
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation
from domain.finance.cash import AllocationInput, ExpenseLineInput
from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
from domain.invoicing.purchase_invoices import PurchaseInvoiceType
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.invoicing.sales_invoices import InvoiceType
from domain.ledger.entries import LineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.parties import PartyRole, PartySpec, uscc_check_char
from domain.production.inputs import (
    BomLineInput,
    MaterialLineInput,
    OperationInput,
    ReportInput,
)

PERIOD = "2026-11"
NEXT_PERIOD = "2026-12"
SUPPLIER_INVOICE = "26332000000012345678"  # the supplier's 数电票 number for PO-1
COMPANY_USCC = "91330100MA2B3C4D5" + uscc_check_char("91330100MA2B3C4D5")
ALREADY_THERE = {"PERIOD_EXISTS", "ITEM_EXISTS", "WAREHOUSE_EXISTS", "PARTY_EXISTS"}


def D(account: str, amount: str, memo: str = "") -> LineInput:  # noqa: N802 - reads like a voucher
    return LineInput(account, debit=amount, memo=memo)


def C(account: str, amount: str, memo: str = "") -> LineInput:  # noqa: N802
    return LineInput(account, credit=amount, memo=memo)


def day(n: int) -> date:
    return date(2026, 11, n)


ITEMS = [
    ItemSpec(
        "RM-STEEL",
        "钢线材 steel wire",
        "kg",
        ItemType.RAW,
        default_warehouse="WH-RM",
        standard_cost=Decimal("5"),
        planning=Planning(lead_time_days=5),
    ),
    ItemSpec(
        "RM-ZINC",
        "镀锌剂 zinc plating agent",
        "kg",
        ItemType.RAW,
        default_warehouse="WH-RM",
        standard_cost=Decimal("20"),
        planning=Planning(lead_time_days=5),
    ),
    ItemSpec(
        "RM-BOX",
        "包装盒 carton",
        "pcs",
        ItemType.RAW,
        default_warehouse="WH-RM",
        standard_cost=Decimal("1"),
        planning=Planning(lead_time_days=3, safety_stock=Decimal("15")),
    ),
    ItemSpec(
        "SA-BLANK",
        "螺栓半成品 bolt blank",
        "pcs",
        ItemType.SEMI_FINISHED,
        default_warehouse="WH-FG",
        planning=Planning(lead_time_days=1),
    ),
    ItemSpec(
        "FG-KIT",
        "镀锌螺栓套装 plated bolt kit",
        "box",
        ItemType.FINISHED,
        default_warehouse="WH-FG",
        tax_code="1080413030000000000",
        tax_short_name="金属制品",
        planning=Planning(lead_time_days=1),
    ),
]

# (key, day, summary, lines): the one voucher no business flow makes.
BOLT_KIT_VOUCHERS: list[tuple[str, int, str, list[LineInput]]] = [
    (
        "step1-invest",
        1,
        "投资者投入资本 owner invests",
        [D("1002", "100000.00"), C("3001", "100000.00")],
    ),
]
VOUCHERS_BY_KEY = {key: (d, summary, lines) for key, d, summary, lines in BOLT_KIT_VOUCHERS}


class _Loader:
    def __init__(self, app: FactoryLedger, actor: str) -> None:
        self.app = app
        self.actor = actor
        self.written = 0

    def run(self, key: str, command: Callable[[CommandContext], Outcome]) -> Outcome | None:
        ctx = CommandContext(actor=self.actor, idempotency_key=f"demo-{key}")
        try:
            outcome = command(ctx)
        except BusinessRuleViolation as exc:
            if exc.code in ALREADY_THERE:
                return None
            raise
        self.written += 0 if outcome.replayed else 1
        return outcome

    def voucher(self, key: str) -> None:
        d, summary, lines = VOUCHERS_BY_KEY[key]
        self.run(key, lambda ctx: self.app.post_journal_entry(day(d), summary, lines, ctx=ctx))


def _demo_window(app: FactoryLedger) -> tuple[int, int] | None:
    """The date window (days back, days ahead) the demo month needs, or None
    when the company's window already covers 1 November to 31 December 2026.

    The demo is a worked example set in November 2026; once the real date
    has moved on, its dates fall outside the default window (366 days back),
    so the demo company widens its own window, as a recorded settings event
    any company could make, instead of faking the clock."""
    settings, today = app.date_settings(), app.today()
    first, last = day(1), date(2026, 12, 31)
    back = max(settings.days_back, (today - first).days)
    ahead = max(settings.days_ahead, (last - today).days)
    if (back, ahead) == (settings.days_back, settings.days_ahead):
        return None
    if back > MAX_DAYS_BACK or ahead > MAX_DAYS_AHEAD:
        raise BusinessRuleViolation(
            "DATE_OUT_OF_RANGE",
            f"the demo month {PERIOD} is too far from today ({today}) for any date window")
    return back, ahead


def load_demo(app: FactoryLedger, actor: str = "demo") -> int:
    """Book the month; return how many commands wrote events (0 when loaded before)."""
    run, voucher = (loader := _Loader(app, actor)).run, loader.voucher
    window = _demo_window(app)
    if window is not None:
        tz = app.date_settings().time_zone
        run(f"window-{window[0]}-{window[1]}",
            lambda ctx: app.set_company_settings(tz, *window, ctx=ctx))
    run("open", lambda ctx: app.open_period(PERIOD, ctx=ctx))
    run(
        "profile",
        lambda ctx: app.set_company_profile(
            "浙江明达紧固件有限公司", COMPANY_USCC,
            address="杭州市余杭区", phone="0571-88886666", bank="中国工商银行杭州余杭支行",
            bank_account="1202020209900123456", ctx=ctx),
    )
    run("wh-rm", lambda ctx: app.create_warehouse("WH-RM", "原料库 raw materials", ["A1"], ctx=ctx))
    run(
        "wh-fg", lambda ctx: app.create_warehouse("WH-FG", "成品库 finished goods", ["F1"], ctx=ctx)
    )
    for spec in ITEMS:
        run(f"item-{spec.code}", lambda ctx, s=spec: app.create_item(s, ctx=ctx))
    run(
        "sup",
        lambda ctx: app.register_party(
            PartySpec(
                "SUP-STEEL",
                "宁波钢材有限公司",
                (PartyRole.SUPPLIER,),
                "91350100M000100Y43",
                address="宁波市北仑区",
                payment_terms_days=30,
            ),
            ctx=ctx,
        ),
    )
    run(
        "cus",
        lambda ctx: app.register_party(
            PartySpec(
                "CUS-HW",
                "杭州五金贸易有限公司",
                (PartyRole.CUSTOMER,),
                "91110000600037341L",
                address="杭州市西湖区",
                payment_terms_days=30,
            ),
            ctx=ctx,
        ),
    )

    voucher("step1-invest")
    # Step 2: PO-1, received in full (estimated, no invoice yet).
    po = run(
        "po1",
        lambda ctx: app.create_purchase_order(
            "SUP-STEEL",
            day(2),
            [
                OrderLineInput("RM-STEEL", "100", "5.00", day(3)),
                OrderLineInput("RM-ZINC", "2", "20.00", day(3)),
                OrderLineInput("RM-BOX", "20", "1.00", day(3)),
            ],
            ctx=ctx,
        ),
    )
    po1 = po.value.number if po else "PO-000001"
    run("po1-confirm", lambda ctx: app.confirm_purchase_order(po1, ctx=ctx))
    gr = run(
        "po1-receipt",
        lambda ctx: app.receive_purchase_order(
            po1,
            day(3),
            [MoveLineInput(1, "100"), MoveLineInput(2, "2"), MoveLineInput(3, "20")],
            ctx=ctx,
        ),
    )
    gr1 = gr.value.number if gr else "GR-000001"
    # Step 3: the supplier's VAT invoice, matched to PO-1 and its receipt, then paid.
    pi = run(
        "step3-invoice",
        lambda ctx: app.record_purchase_invoice(
            "SUP-STEEL", SUPPLIER_INVOICE, day(5), PurchaseInvoiceType.SPECIAL,
            [PurchaseInvoiceLineInput(gr1, 1, "100", "5.00"),
             PurchaseInvoiceLineInput(gr1, 2, "2", "20.00"),
             PurchaseInvoiceLineInput(gr1, 3, "20", "1.00")],
            ctx=ctx),
    )
    payable = f"SUP-STEEL/{pi.value.number}"
    run(
        "step3-payment",
        lambda ctx: app.record_supplier_payment(
            "SUP-STEEL", day(5), "1002", "632.80", [AllocationInput(payable, "632.80")],
            memo="支付 PO-1 货款", ctx=ctx),
    )
    # Step 4: SO-1.
    so = run(
        "so1",
        lambda ctx: app.create_sales_order(
            "CUS-HW", day(4), [OrderLineInput("FG-KIT", "10", "200.00", day(20))], ctx=ctx
        ),
    )
    so1 = so.value.number if so else "SO-000001"
    run("so1-confirm", lambda ctx: app.confirm_sales_order(so1, ctx=ctx))
    # Engineering data (bolt-kit master data).
    for code, name, labor, overhead in (
        ("WC-HEAD", "冷镦机 cold header", "40", "20"),
        ("WC-PLATE", "电镀线 plating line", "30", "50"),
        ("WC-PACK", "包装台 packing bench", "25", "5"),
    ):
        run(
            f"wc-{code}",
            lambda ctx, c=code, n=name, lab=labor, ovh=overhead: app.define_work_center(
                WorkCenterSpec(c, n, 1, Decimal(lab), Decimal(ovh)), ctx=ctx
            ),
        )
    run(
        "bom-blank",
        lambda ctx: app.save_bom(
            "SA-BLANK", "1", date(2026, 1, 1), [BomLineInput("RM-STEEL", "0.05")], ctx=ctx
        ),
    )
    run(
        "bom-kit",
        lambda ctx: app.save_bom(
            "FG-KIT",
            "1",
            date(2026, 1, 1),
            [
                BomLineInput("SA-BLANK", "100"),
                BomLineInput("RM-ZINC", "0.1"),
                BomLineInput("RM-BOX", "1", operation="OP20"),
            ],
            ctx=ctx,
        ),
    )
    run(
        "routing-blank",
        lambda ctx: app.save_routing(
            "SA-BLANK",
            "1",
            date(2026, 1, 1),
            [OperationInput("OP10", "WC-HEAD", "0.002", description="冷镦 cold heading")],
            ctx=ctx,
        ),
    )
    run(
        "routing-kit",
        lambda ctx: app.save_routing(
            "FG-KIT",
            "1",
            date(2026, 1, 1),
            [
                OperationInput("OP10", "WC-PLATE", "0.1", description="电镀 plating"),
                OperationInput("OP20", "WC-PACK", "0.05", description="包装 packing"),
            ],
            ctx=ctx,
        ),
    )
    run("op-zhang", lambda ctx: app.register_operator("OP-ZHANG", "张师傅", ["WC-HEAD"], ctx=ctx))
    run(
        "op-li",
        lambda ctx: app.register_operator("OP-LI", "李师傅", ["WC-PLATE", "WC-PACK"], ctx=ctx),
    )
    # Step 6: WO-1, SA-BLANK x 1,000.
    wo = run("wo1", lambda ctx: app.create_work_order("SA-BLANK", "1000", day(12), day(9), ctx=ctx))
    wo1 = wo.value.number if wo else "WO-000001"
    run("wo1-release", lambda ctx: app.release_work_order(wo1, ctx=ctx))
    run(
        "wo1-issue",
        lambda ctx: app.issue_material(wo1, day(10), [MaterialLineInput(1, "50")], ctx=ctx),
    )
    run(
        "wo1-op10",
        lambda ctx: app.report_by_scan(
            f"{wo1}/OP10",
            day(10),
            ReportInput(good="1000", labor_hours="2.0", operator="OP-ZHANG"),
            ctx=ctx,
        ),
    )
    run("wo1-complete", lambda ctx: app.complete_work_order(wo1, day(11), "1000", ctx=ctx))
    # Step 7: WO-2, FG-KIT x 10.
    wo = run("wo2", lambda ctx: app.create_work_order("FG-KIT", "10", day(15), day(11), ctx=ctx))
    wo2 = wo.value.number if wo else "WO-000002"
    run("wo2-release", lambda ctx: app.release_work_order(wo2, ctx=ctx))
    run(
        "wo2-issue",
        lambda ctx: app.issue_material(
            wo2,
            day(12),
            [MaterialLineInput(1, "1000"), MaterialLineInput(2, "1.0"), MaterialLineInput(3, "10")],
            ctx=ctx,
        ),
    )
    run(
        "wo2-op10",
        lambda ctx: app.report_by_scan(
            f"{wo2}/OP10",
            day(13),
            ReportInput(good="10", labor_hours="1.0", operator="OP-LI"),
            ctx=ctx,
        ),
    )
    run(
        "wo2-op20",
        lambda ctx: app.report_by_scan(
            f"{wo2}/OP20",
            day(13),
            ReportInput(good="10", labor_hours="0.5", operator="OP-LI"),
            ctx=ctx,
        ),
    )
    run("wo2-complete", lambda ctx: app.complete_work_order(wo2, day(14), "10", ctx=ctx))
    run("so1-reserve", lambda ctx: app.reserve_sales_order(so1, ctx=ctx))
    # Step 8: SO-1 shipped at moving average.
    sh = run(
        "so1-ship",
        lambda ctx: app.ship_sales_order(so1, day(16), [MoveLineInput(1, "10")], ctx=ctx),
    )
    sh1 = sh.value.number if sh else "SH-000001"
    # Step 9: the 数电票 for the shipment, then the customer pays it.
    si = run(
        "step9-invoice",
        lambda ctx: app.issue_sales_invoice(
            "CUS-HW", day(16), [InvoiceLineInput(sh1, 1, "10")], InvoiceType.SPECIAL,
            remark=f"{so1}", drawer="王会计", ctx=ctx),
    )
    invoice = si.value.number
    run(
        "step9-receipt",
        lambda ctx: app.record_customer_receipt(
            "CUS-HW", day(20), "1002", "2260.00", [AllocationInput(invoice, "2260.00")],
            memo="收到 SO-1 货款", ctx=ctx),
    )
    # Step 10: electricity for the shop.
    run(
        "step10-electricity",
        lambda ctx: app.record_expense_payment(
            day(25), "1002", [ExpenseLineInput("4101", "100.00", "车间电费 shop electricity")],
            payee="国网杭州供电公司", ctx=ctx),
    )
    # Step 11: under-applied overhead to cost of sales, then 结转损益 and the close.
    run("step11-overhead", lambda ctx: app.settle_overhead(PERIOD, ctx=ctx))
    run("step11-close", lambda ctx: app.close_books(PERIOD, ctx=ctx))
    run("open-next", lambda ctx: app.open_period(NEXT_PERIOD, ctx=ctx))
    return loader.written



# The demo's users, one per role, each signing in to the web console with
# "<role>-demo" (README: "The web console"). Created only on request
# (``factoryledger demo --users``): once a user exists the API is no longer open.
DEMO_ROLES = ("admin", "planner", "storekeeper", "operator", "inspector", "accountant",
              "maintenance", "viewer")


def demo_password(role: str) -> str:
    return f"{role}-demo"


def load_demo_users(app: FactoryLedger, actor: str = "demo") -> int:
    """Create the demo users and set their passwords; return how many changed."""
    from api.web.passwords import hash_password, verify_password
    from domain.users.directory import new_token

    ctx = CommandContext(actor=actor)
    changed = 0
    for role in DEMO_ROLES:
        try:
            app.create_user(role, [role], new_token(), ctx=ctx)
            changed += 1
        except BusinessRuleViolation as exc:
            if exc.code != "USER_EXISTS":
                raise
        if not verify_password(app.password_hash(role), demo_password(role)):
            app.set_user_password(role, hash_password(demo_password(role)), ctx=ctx)
            changed += 1
    return changed


def load_demo_shop_floor(app: FactoryLedger, actor: str = "demo") -> int:
    """Today's work on the shop floor, for the terminal and the factory board
    (``factoryledger demo --shop-floor``): the current month opened if it is
    not (reopened, 反结账, when it is the demo month the demo closed), and three
    work orders released today, the first due today (the board's plan
    attainment), the kit's waiting for its parts (held).
    Loading it again the same day writes nothing."""
    loader = _Loader(app, actor)
    today = app.today()
    stamp_, month = today.isoformat(), f"{today:%Y-%m}"
    loader.run(f"shop-open-{month}", lambda ctx: app.open_period(month, ctx=ctx))
    try:
        loader.run(f"shop-reopen-{month}", lambda ctx: app.reopen_period(
            month, "demo shop floor: today's reports", ctx=ctx))
    except BusinessRuleViolation as exc:
        if exc.code != "PERIOD_OPEN":
            raise
    for n, (item, quantity, days) in enumerate((("SA-BLANK", "500", 0), ("SA-BLANK", "300", 3),
                                                  ("FG-KIT", "20", 3)), 1):
        due = date.fromordinal(today.toordinal() + days)
        made = loader.run(f"shop-{stamp_}-wo{n}", lambda ctx, i=item, q=quantity, d=due:
                          app.create_work_order(i, q, d, today, ctx=ctx))
        if made is not None and not made.replayed:
            number = made.value.number
            loader.run(f"shop-{stamp_}-wo{n}-release",
                       lambda ctx, w=number: app.release_work_order(w, ctx=ctx))
    # Two machines for the board's OEE: the cold header running since midnight,
    # the plating line down waiting for material (待料).
    from zoneinfo import ZoneInfo

    from domain.equipment.machines import EquipmentSpec
    from domain.equipment.oee import MachineState

    midnight = datetime.combine(today, time(0), ZoneInfo(app.date_settings().time_zone))
    for code, name, center, cycle, state, reason in (
            ("HDR-01", "冷镦机1号 cold header 1", "WC-HEAD", "0.002", MachineState.RUNNING, ""),
            ("PLT-01", "电镀线 plating line", "WC-PLATE", "0.1", MachineState.DOWN, "待料")):
        loader.run(f"shop-equipment-{code}", lambda ctx, c=code, n=name, w=center, i=cycle:
                   app.register_equipment(EquipmentSpec(c, n, w, ideal_cycle_hours=Decimal(i)),
                                          ctx=ctx))
        loader.run(f"shop-{stamp_}-{code}-state", lambda ctx, c=code, s=state, r=reason:
                   app.record_equipment_state(c, midnight, s, r, ctx=ctx))
    return loader.written
