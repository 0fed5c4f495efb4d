#!/usr/bin/env python
"""Order-to-cash benchmark: the whole flow on a fixed workload, so that it
can be compared with other ERPs doing the same work.

    bench/flow.py [--store sqlite|postgres] [--orders N] [--via app|graphql|http]
                  [--more M] [--seed 42]

One run, on a fresh store (SQLite: a temporary file; PostgreSQL: a fresh
schema in FACTORYLEDGER_BENCH_POSTGRES_URL, dropped at the end):

1. master data (untimed, through the application layer in both modes):
   period 2026-11, company profile, 3 warehouses, 3 work centers (cut,
   assemble, inspect), 3 suppliers, 5 customers, 30 raw materials
   (standard cost 1.00-20.00, seeded), 20 finished products, each made of 2
   sub-assemblies (1 and 2 per unit), each sub-assembly of 3 distinct raw
   materials (1, 2 and 3 per unit); every manufactured item has a routing
   OP10 cut / OP20 assemble / OP30 inspect on the 3 work centers;
2. the flow (timed -> ``flow_seconds``; ``commands`` counts its commands):
   a. purchases: one purchase order per raw material for exactly what the N
      orders need, confirmed, received in full and invoiced (three-way match
      at the order price);
   b. N sales orders (seed 42; one random finished product each, quantity
      1-10), one after the other: create and confirm the order; for each
      sub-assembly and then the product a work order, released, its
      material issued in full, OP10/OP20/OP30 reported by scan (good = the
      order quantity, labor hours = run hours), completed; ship; issue the
      sales invoice (专用发票, numbered by the system) for the shipment;
3. reports (timed -> ``reports_seconds``): wait until the read models have
   caught up, then the stock report (存货估值表 for 2026-11 and stock against
   GL per inventory account) and the trial balance; debits = credits and
   stock = GL are checked;
4. MRP: M more orders (default 100, same seed stream) created and confirmed
   with no stock, then one MRP run over the read models (timed ->
   ``mrp_seconds``, including the wait for the read models).

``--via app`` calls the ``FactoryLedger`` use cases directly and reads the
read-model query functions; ``--via graphql`` sends every step of 2-4 as a
GraphQL request through Starlette's ``TestClient`` to the ASGI app in the
same process (no socket); ``--via http`` sends them over real HTTP to a
uvicorn server process on loopback (``--serve``, the flow's pinned clock),
one keep-alive connection. Mutations answer from the command's result and do
not wait for the read models (``consistency: EVENTUAL``); the reports query
waits with ``waitFor``. Each mode runs a ``Runtime`` whose projection worker
follows the log in a thread, as the server does (over HTTP: the server's).

Progress goes to stdout; the LAST line is one JSON object.
See docs/benchmarks.md for the method and the recorded results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
import uuid
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import fresh_store, say  # noqa: E402
from domain.clock import fixed_clock  # noqa: E402

PERIOD = "2026-11"
ENG_FROM = date(2026, 11, 1)
PO_DAY, RECEIPT_DAY, PURCHASE_INVOICE_DAY = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
FIRST_ORDER_DAY, ORDER_DAYS = 5, 20  # flow orders on 5-24 November
MRP_ORDER_DAY, MRP_TODAY = date(2026, 11, 25), date(2026, 11, 26)
# The flow replays November 2026: the company clock is pinned at its end.
FLOW_CLOCK = fixed_clock(datetime(2026, 11, 30, 4, tzinfo=UTC))
CENT = Decimal("0.01")
RAW_COUNT, PRODUCT_COUNT = 30, 20
SA_LINE_QTY = (1, 2, 3)  # each sub-assembly: 3 distinct raw materials
FG_LINE_QTY = {"A": 1, "B": 2}  # each product: sub-assembly A x1, B x2
TAX_CODE = "1080413030000000000"  # 金属制品 (the bolt kit's)
TAX_SHORT_NAME = "金属制品"
# (code, name, labor rate, overhead rate, op, description); run hours per unit below.
WORK_CENTERS = [
    ("WC-CUT", "下料 cutting", "40", "60", "OP10", "cut"),
    ("WC-ASSY", "装配 assembly", "35", "30", "OP20", "assemble"),
    ("WC-INSP", "检验 inspection", "30", "20", "OP30", "inspect"),
]
RUN_HOURS = {"SA": ("0.05", "0.10", "0.02"), "FG": ("0.02", "0.15", "0.05")}
# The seller: name, USCC without its check character, address, phone, bank, account.
COMPANY = (
    "宁波精工紧固件有限公司",
    "91330206MA2JJJJJ9",
    "宁波市北仑区新碶街道",
    "0574-86880000",
    "中国工商银行宁波北仑支行",
    "3901140009000012345",
)
DRAWER = "王会计"
SUPPLIERS = [
    ("SUP-01", "宁波钢材有限公司", "91330200MA2AAAAA1"),
    ("SUP-02", "苏州五金制品有限公司", "91320500MA1BBBBB2"),
    ("SUP-03", "无锡紧固件有限公司", "91320200MA1CCCCC3"),
]
CUSTOMERS = [
    (f"CUS-{i:02d}", name, uscc)
    for i, (name, uscc) in enumerate(
        [
            ("杭州五金贸易有限公司", "91330100MA2DDDDD4"),
            ("上海机电设备有限公司", "91310000MA1EEEEE5"),
            ("南京建材贸易有限公司", "91320100MA1FFFFF6"),
            ("合肥工业配套有限公司", "91340100MA2GGGGG7"),
            ("武汉机械有限公司", "91420100MA4HHHHH8"),
        ],
        start=1,
    )
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the workload (pure, built before any timing) --------------------------------------
@dataclass(frozen=True)
class Order:
    customer: str
    product: str
    qty: int
    day: date
    due: date


@dataclass
class Workload:
    raw_cost: dict[str, Decimal]  # RM-01 -> standard cost
    raw_supplier: dict[str, str]
    sub_bom: dict[str, list[tuple[str, int]]]  # SA-01A -> [(RM, qty per)]
    product_bom: dict[str, list[tuple[str, int]]]  # FG-01 -> [(SA-01A, 1), (SA-01B, 2)]
    price: dict[str, Decimal]  # FG -> sales price ex VAT
    orders: list[Order]
    more: list[Order]
    need: dict[str, int] = field(default_factory=dict)  # raw -> quantity the flow consumes


def workload(orders: int, more: int, seed: int) -> Workload:
    rng = random.Random(seed)
    raws = [f"RM-{i:02d}" for i in range(1, RAW_COUNT + 1)]
    raw_cost = {r: Decimal(rng.randint(100, 2000)) / 100 for r in raws}
    raw_supplier = {r: SUPPLIERS[i % len(SUPPLIERS)][0] for i, r in enumerate(raws)}
    sub_bom, product_bom, price = {}, {}, {}
    for p in range(1, PRODUCT_COUNT + 1):
        fg = f"FG-{p:02d}"
        product_bom[fg] = [(f"SA-{p:02d}{s}", q) for s, q in FG_LINE_QTY.items()]
        material = Decimal(0)
        for sa, per in product_bom[fg]:
            sub_bom[sa] = list(zip(rng.sample(raws, 3), SA_LINE_QTY, strict=True))
            material += per * sum(raw_cost[r] * q for r, q in sub_bom[sa])
        # A list price with a margin over material: 1.6x, whole yuan.
        price[fg] = (material * Decimal("1.6")).quantize(Decimal(1)) + 20

    def order(day: date) -> Order:
        product = f"FG-{rng.randint(1, PRODUCT_COUNT):02d}"
        customer = CUSTOMERS[rng.randrange(len(CUSTOMERS))][0]
        return Order(customer, product, rng.randint(1, 10), day, day + timedelta(days=5))

    flow = [
        order(date(2026, 11, FIRST_ORDER_DAY + i * ORDER_DAYS // orders)) for i in range(orders)
    ]
    extra = [order(MRP_ORDER_DAY) for _ in range(more)]
    w = Workload(raw_cost, raw_supplier, sub_bom, product_bom, price, flow, extra)
    need: dict[str, int] = defaultdict(int)
    for o in flow:
        for sa, per in product_bom[o.product]:
            for raw, q in sub_bom[sa]:
                need[raw] += o.qty * per * q
    w.need = dict(sorted(need.items()))
    return w


# -- 1. master data (application layer, untimed) ---------------------------------------
def setup(app, w: Workload, run: str) -> int:
    from domain.catalog.engineering import WorkCenterSpec
    from domain.catalog.items import ItemSpec, ItemType, Planning
    from domain.commands import CommandContext
    from domain.parties import PartyRole, PartySpec, uscc_check_char
    from domain.production.inputs import BomLineInput, OperationInput

    n = [0]

    def ctx() -> CommandContext:
        n[0] += 1
        return CommandContext(actor="bench", idempotency_key=f"setup-{run}-{n[0]:06d}")

    app.open_period(PERIOD, ctx=ctx())
    set_company_profile(app, ctx())
    for code, name in (
        ("WH-RM", "原料库 raw materials"),
        ("WH-SA", "半成品库 sub-assemblies"),
        ("WH-FG", "成品库 finished goods"),
    ):
        app.create_warehouse(code, name, ["A1"], ctx=ctx())
    for code, name, labor, overhead, _, _ in WORK_CENTERS:
        app.define_work_center(
            WorkCenterSpec(code, name, 2, Decimal(labor), Decimal(overhead)), ctx=ctx()
        )
    for parties, role in ((SUPPLIERS, PartyRole.SUPPLIER), (CUSTOMERS, PartyRole.CUSTOMER)):
        for code, name, uscc17 in parties:
            uscc = uscc17 + uscc_check_char(uscc17)
            app.register_party(PartySpec(code, name, (role,), uscc), ctx=ctx())
    for raw, cost in w.raw_cost.items():
        app.create_item(
            ItemSpec(
                raw,
                f"原材料 raw material {raw[-2:]}",
                "kg",
                ItemType.RAW,
                standard_cost=cost,
                default_warehouse="WH-RM",
                planning=Planning(lead_time_days=5),
            ),
            ctx=ctx(),
        )
    for sa in w.sub_bom:
        app.create_item(
            ItemSpec(
                sa,
                f"组件 sub-assembly {sa[3:]}",
                "pcs",
                ItemType.SEMI_FINISHED,
                default_warehouse="WH-SA",
                planning=Planning(lead_time_days=1),
            ),
            ctx=ctx(),
        )
    for fg in w.product_bom:
        app.create_item(finished_spec(fg), ctx=ctx())
    ops = [(op, code, desc) for code, _, _, _, op, desc in WORK_CENTERS]
    for parent, lines, kind in [
        *((sa, ls, "SA") for sa, ls in w.sub_bom.items()),
        *((fg, ls, "FG") for fg, ls in w.product_bom.items()),
    ]:
        app.save_bom(
            parent, "V1", ENG_FROM, [BomLineInput(comp, str(q)) for comp, q in lines], ctx=ctx()
        )
        app.save_routing(
            parent,
            "V1",
            ENG_FROM,
            [
                OperationInput(op, wc, hours, description=desc)
                for (op, wc, desc), hours in zip(ops, RUN_HOURS[kind], strict=True)
            ],
            ctx=ctx(),
        )
    return n[0]


def finished_spec(code: str):
    from domain.catalog.items import ItemSpec, ItemType, Planning

    return ItemSpec(
        code,
        f"成品 product {code[3:]}",
        "pcs",
        ItemType.FINISHED,
        default_warehouse="WH-FG",
        tax_code=TAX_CODE,
        tax_short_name=TAX_SHORT_NAME,
        spec=f"型号 {code}",
        planning=Planning(lead_time_days=2),
    )


def set_company_profile(app, ctx) -> None:
    """The seller named on every sales invoice."""
    from domain.parties import uscc_check_char

    app.set_company_profile(
        COMPANY[0],
        COMPANY[1] + uscc_check_char(COMPANY[1]),
        address=COMPANY[2],
        phone=COMPANY[3],
        bank=COMPANY[4],
        bank_account=COMPANY[5],
        ctx=ctx,
    )


# -- 2-4. the two ways of driving the flow ----------------------------------------------
class AppDriver:
    """The ``FactoryLedger`` use cases and the read-model query functions."""

    via = "app"

    def __init__(self, rt, run: str) -> None:
        self.rt, self.app, self.run, self.commands = rt, rt.app, run, 0

    def ctx(self):
        from domain.commands import CommandContext

        self.commands += 1
        return CommandContext(actor="bench", idempotency_key=f"flow-{self.run}-{self.commands:07d}")

    def close(self) -> None:
        pass

    # purchasing
    def purchase_order(
        self, supplier: str, day: date, item: str, qty: int, price: Decimal, due: date
    ) -> str:
        from domain.orders import OrderLineInput

        return self.app.create_purchase_order(
            supplier, day, [OrderLineInput(item, str(qty), str(price), due)], ctx=self.ctx()
        ).value.number

    def confirm_purchase_order(self, number: str) -> None:
        self.app.confirm_purchase_order(number, ctx=self.ctx())

    def receive(self, number: str, day: date, qty: int) -> str:
        from domain.orders import MoveLineInput

        return self.app.receive_purchase_order(
            number, day, [MoveLineInput(1, str(qty))], ctx=self.ctx()
        ).value.number

    def purchase_invoice(
        self, supplier: str, number: str, day: date, receipt: str, qty: int, price: Decimal
    ) -> str:
        from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
        from domain.invoicing.purchase_invoices import PurchaseInvoiceType

        return self.app.record_purchase_invoice(
            supplier,
            number,
            day,
            PurchaseInvoiceType.SPECIAL,
            [PurchaseInvoiceLineInput(receipt, 1, str(qty), str(price))],
            ctx=self.ctx(),
        ).value.status

    # sales
    def sales_order(self, o: Order, price: Decimal) -> str:
        from domain.orders import OrderLineInput

        return self.app.create_sales_order(
            o.customer,
            o.day,
            [OrderLineInput(o.product, str(o.qty), str(price), o.due)],
            ctx=self.ctx(),
        ).value.number

    def confirm_sales_order(self, number: str) -> None:
        self.app.confirm_sales_order(number, ctx=self.ctx())

    def ship(self, number: str, day: date, qty: int) -> str:
        from domain.orders import MoveLineInput

        return self.app.ship_sales_order(
            number, day, [MoveLineInput(1, str(qty))], ctx=self.ctx()
        ).value.number

    def sales_invoice(self, customer: str, shipment: str, qty: int, day: date) -> str:
        from domain.invoicing.sales_handlers import InvoiceLineInput
        from domain.invoicing.sales_invoices import InvoiceType

        return self.app.issue_sales_invoice(
            customer,
            day,
            [InvoiceLineInput(shipment, 1, str(qty))],
            InvoiceType.SPECIAL,
            remark=f"出库单 {shipment}",
            drawer=DRAWER,
            ctx=self.ctx(),
        ).value.number

    # production
    def work_order(self, item: str, qty: int, day: date) -> str:
        return self.app.create_work_order(item, str(qty), day, day, ctx=self.ctx()).value.number

    def release(self, number: str) -> str:
        return self.app.release_work_order(number, ctx=self.ctx()).value.status

    def issue(self, number: str, day: date, lines: list[tuple[int, int]]) -> None:
        from domain.production.inputs import MaterialLineInput

        self.app.issue_material(
            number, day, [MaterialLineInput(n, str(q)) for n, q in lines], ctx=self.ctx()
        )

    def report(self, number: str, op: str, day: date, good: int, hours: Decimal) -> None:
        from domain.production.inputs import ReportInput

        self.app.report_by_scan(
            f"{number}/{op}",
            day,
            ReportInput(good=str(good), labor_hours=str(hours)),
            ctx=self.ctx(),
        )

    def complete(self, number: str, day: date, qty: int) -> None:
        self.app.complete_work_order(number, day, str(qty), ctx=self.ctx())

    # reports and planning
    def reports(self) -> dict:
        from projections import inventory_queries as iq
        from projections import ledger_queries as lq

        self.rt.settle(self.app.log_position(), timeout=600)
        caught_up = time.perf_counter()
        with self.rt.read() as conn:
            rows = iq.valuation(conn, iq.period_bounds(PERIOD)[1])
            recon = iq.reconciliation(conn)
            tb = lq.trial_balance(conn, PERIOD)
        return {
            "caught_up": caught_up,
            "stock_rows": len(rows),
            "stock_qty": sum((r.qty for r in rows), Decimal(0)),
            "stock_value": sum((r.value for r in rows), Decimal(0)),
            "stock_vs_gl": sum((abs(r.difference) for r in recon), Decimal(0)),
            "debit": tb.debit,
            "credit": tb.credit,
            "closing_debit": tb.closing_debit,
            "closing_credit": tb.closing_credit,
        }

    def run_mrp(self, today: date) -> int:
        from projections.planning_snapshot import build_snapshot

        if not self.rt.settle(self.app.log_position(), timeout=600):
            raise SystemExit("the read models did not catch up before MRP")
        with self.rt.read() as conn:
            snapshot = build_snapshot(conn, today)
        return self.app.run_mrp(snapshot, ctx=self.ctx()).value.planned


def _mutation(name: str, select: str) -> str:
    title = name[0].upper() + name[1:]
    return (
        f"mutation M($input: {title}Input!) {{ {name}(input: $input) {{ __typename "
        f"... on Error {{ message }} ... on {title}Success {{ logPosition {select} }} }} }}"
    )


class GraphQLDriver(AppDriver):
    """The same steps as GraphQL requests to the ASGI app, in process."""

    via = "graphql"
    # What a client needs back, all answered from the command's own result (no
    # wait for the read models; selecting e.g. ``order { lines }`` would wait).
    DOCS = {
        "createPurchaseOrder": "number",
        "confirmPurchaseOrder": "number",
        "receivePurchaseOrder": "number",
        "createSalesOrder": "number",
        "confirmSalesOrder": "number",
        "shipSalesOrder": "number",
        "createWorkOrder": "number",
        "releaseWorkOrder": "status",
        "issueMaterial": "number",
        "reportByScan": "voucherNo",
        "completeWorkOrder": "number",
        "runMrp": "run { number plannedCount }",
        "recordPurchaseInvoice": "number status",
        "issueSalesInvoice": "number",
    }

    def __init__(self, rt, run: str) -> None:
        super().__init__(rt, run)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Using `httpx`")
            from starlette.testclient import TestClient
        from api.app import create_app

        # As a local client would: a loopback address and Host (open mode and the
        # Host allow-list answer nothing else).
        self.client = TestClient(create_app(rt, graphiql=False), raise_server_exceptions=True,
                                 base_url="http://localhost", client=("127.0.0.1", 50000))
        self.client.__enter__()
        self.position = 0

    def close(self) -> None:
        self.client.__exit__(None, None, None)

    def gql(self, query: str, variables: dict | None = None) -> dict:
        r = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        body = r.json()
        if r.status_code != 200 or body.get("errors"):
            raise SystemExit(f"GraphQL request failed: HTTP {r.status_code} {body}")
        return body["data"]

    def call(self, name: str, **input_) -> dict:
        self.commands += 1
        input_["idempotencyKey"] = f"flow-{self.run}-{self.commands:07d}"
        data = self.gql(_mutation(name, self.DOCS[name]), {"input": input_})[name]
        if not data["__typename"].endswith("Success"):
            raise SystemExit(f"{name} refused: {data}")
        self.position = max(self.position, data["logPosition"])
        return data

    def purchase_order(self, supplier, day, item, qty, price, due) -> str:
        return self.call(
            "createPurchaseOrder",
            supplier=supplier,
            orderDate=day.isoformat(),
            lines=[
                {"item": item, "qty": str(qty), "unitPrice": str(price), "dueDate": due.isoformat()}
            ],
        )["number"]

    def confirm_purchase_order(self, number: str) -> None:
        self.call("confirmPurchaseOrder", number=number)

    def receive(self, number: str, day: date, qty: int) -> str:
        return self.call(
            "receivePurchaseOrder",
            number=number,
            postingDate=day.isoformat(),
            lines=[{"lineNo": 1, "qty": str(qty)}],
        )["number"]

    def purchase_invoice(self, supplier, number, day, receipt, qty, price) -> str:
        return self.call(
            "recordPurchaseInvoice",
            supplier=supplier,
            number=number,
            invoiceDate=day.isoformat(),
            invoiceType="SPECIAL",
            lines=[{"receipt": receipt, "lineNo": 1, "qty": str(qty), "unitPrice": str(price)}],
        )["status"].lower()

    def sales_invoice(self, customer: str, shipment: str, qty: int, day: date) -> str:
        return self.call(
            "issueSalesInvoice",
            customer=customer,
            invoiceDate=day.isoformat(),
            invoiceType="SPECIAL",
            remark=f"出库单 {shipment}",
            drawer=DRAWER,
            lines=[{"shipment": shipment, "lineNo": 1, "qty": str(qty)}],
        )["number"]

    def sales_order(self, o: Order, price: Decimal) -> str:
        return self.call(
            "createSalesOrder",
            customer=o.customer,
            orderDate=o.day.isoformat(),
            lines=[
                {
                    "item": o.product,
                    "qty": str(o.qty),
                    "unitPrice": str(price),
                    "dueDate": o.due.isoformat(),
                }
            ],
        )["number"]

    def confirm_sales_order(self, number: str) -> None:
        self.call("confirmSalesOrder", number=number)

    def ship(self, number: str, day: date, qty: int) -> str:
        return self.call(
            "shipSalesOrder",
            number=number,
            postingDate=day.isoformat(),
            lines=[{"lineNo": 1, "qty": str(qty)}],
        )["number"]

    def work_order(self, item: str, qty: int, day: date) -> str:
        return self.call(
            "createWorkOrder",
            item=item,
            qty=str(qty),
            dueDate=day.isoformat(),
            createdOn=day.isoformat(),
        )["number"]

    def release(self, number: str) -> str:
        return self.call("releaseWorkOrder", number=number)["status"].lower()

    def issue(self, number: str, day: date, lines: list[tuple[int, int]]) -> None:
        self.call(
            "issueMaterial",
            number=number,
            postingDate=day.isoformat(),
            lines=[{"lineNo": n, "qty": str(q)} for n, q in lines],
        )

    def report(self, number: str, op: str, day: date, good: int, hours: Decimal) -> None:
        self.call(
            "reportByScan",
            code=f"{number}/{op}",
            postingDate=day.isoformat(),
            good=str(good),
            laborHours=str(hours),
        )

    def complete(self, number: str, day: date, qty: int) -> None:
        self.call("completeWorkOrder", number=number, postingDate=day.isoformat(), qty=str(qty))

    REPORTS = """query R($period: String!, $waitFor: Int) {
      inventoryValuation(period: $period, waitFor: $waitFor) { total rows { item qty value } }
      inventoryReconciliation(waitFor: $waitFor) { account difference }
      trialBalance(period: $period, waitFor: $waitFor) {
        debit credit closingDebit closingCredit balanced }
    }"""

    def reports(self) -> dict:
        data = self.gql(self.REPORTS, {"period": PERIOD, "waitFor": self.position})
        val, tb = data["inventoryValuation"], data["trialBalance"]
        return {
            "caught_up": None,  # the wait is inside the query
            "stock_rows": len(val["rows"]),
            "stock_qty": sum((Decimal(r["qty"]) for r in val["rows"]), Decimal(0)),
            "stock_value": Decimal(val["total"]),
            "stock_vs_gl": sum(
                (abs(Decimal(r["difference"])) for r in data["inventoryReconciliation"]), Decimal(0)
            ),
            "debit": Decimal(tb["debit"]),
            "credit": Decimal(tb["credit"]),
            "closing_debit": Decimal(tb["closingDebit"]),
            "closing_credit": Decimal(tb["closingCredit"]),
        }

    def run_mrp(self, today: date) -> int:
        return self.call("runMrp", today=today.isoformat())["run"]["plannedCount"]


class HttpDriver(GraphQLDriver):
    """The same GraphQL requests over real HTTP to a server process (uvicorn on
    loopback, its projection worker in that process, as ``make run`` serves),
    one keep-alive connection, one request at a time."""

    via = "http"

    def __init__(self, rt, run: str) -> None:
        AppDriver.__init__(self, rt, run)
        import httpx

        self.server, self.base = start_server(rt.config.url)
        self.client = httpx.Client(base_url=self.base, timeout=60)
        self.position = 0

    def close(self) -> None:
        self.client.close()
        stop_server(self.server)

    def gql(self, query: str, variables: dict | None = None) -> dict:
        r = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        body = r.json()
        if r.status_code != 200 or body.get("errors"):
            raise SystemExit(f"GraphQL request failed: HTTP {r.status_code} {body}")
        return body["data"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str):
    """``bench/flow.py --serve URL PORT`` as a subprocess; returns it and its
    base URL once /healthz answers."""
    import subprocess

    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code in (200, 503):
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 600 s")


def stop_server(proc) -> None:
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def serve(url: str, port: int) -> int:
    """The server process of ``--via http``: the flow's pinned clock (there is
    no environment variable for it), one runtime following the log in-process."""
    import uvicorn

    from api.app import create_app
    from api.runtime import Runtime
    from domain.store import parse_database_url

    rt = Runtime(parse_database_url(url), follow=True, clock=FLOW_CLOCK)
    try:
        uvicorn.run(create_app(rt, graphiql=False), host="127.0.0.1", port=port,
                    log_level="warning", access_log=False)
    finally:
        rt.close()
    return 0


# -- the flow --------------------------------------------------------------------------
def purchases(d: AppDriver, w: Workload) -> None:
    for i, (raw, qty) in enumerate(w.need.items(), start=1):
        supplier, price = w.raw_supplier[raw], w.raw_cost[raw]
        number = d.purchase_order(supplier, PO_DAY, raw, qty, price, RECEIPT_DAY)
        d.confirm_purchase_order(number)
        receipt = d.receive(number, RECEIPT_DAY, qty)
        # The supplier's 数电票 number: 20 digits (year 26, then a serial).
        status = d.purchase_invoice(
            supplier, f"26{i:018d}", PURCHASE_INVOICE_DAY, receipt, qty, price
        )
        if status != "matched":
            raise SystemExit(f"purchase invoice for {receipt} was not matched: {status}")


def make(
    d: AppDriver,
    item: str,
    qty: int,
    day: date,
    lines: list[tuple[str, int]],
    hours: tuple[str, ...],
) -> None:
    """One work order through its whole life: release, issue, 3 reports, complete."""
    number = d.work_order(item, qty, day)
    status = d.release(number)
    if status != "released":
        raise SystemExit(f"{number} ({item} x {qty}) was not released: {status}")
    d.issue(number, day, [(i, qty * per) for i, (_, per) in enumerate(lines, start=1)])
    for (_, _, _, _, op, _), per_unit in zip(WORK_CENTERS, hours, strict=True):
        d.report(number, op, day, qty, Decimal(per_unit) * qty)
    d.complete(number, day, qty)


def sell(d: AppDriver, w: Workload, o: Order) -> None:
    so = d.sales_order(o, w.price[o.product])
    d.confirm_sales_order(so)
    for sa, per in w.product_bom[o.product]:
        make(d, sa, o.qty * per, o.day, w.sub_bom[sa], RUN_HOURS["SA"])
    make(d, o.product, o.qty, o.day, w.product_bom[o.product], RUN_HOURS["FG"])
    shipment = d.ship(so, o.day, o.qty)
    d.sales_invoice(o.customer, shipment, o.qty, o.day)


def run_flow(d: AppDriver, w: Workload) -> dict:
    started = time.perf_counter()
    purchases(d, w)
    purchase_s = time.perf_counter() - started
    purchase_commands = d.commands
    say(
        f"purchases: {len(w.need)} raw materials ordered, received and invoiced, "
        f"{purchase_commands} commands in {purchase_s:.1f} s"
    )
    step = max(1, len(w.orders) // 10)
    t0 = time.perf_counter()
    for i, o in enumerate(w.orders, start=1):
        sell(d, w, o)
        if i % step == 0:
            elapsed = time.perf_counter() - t0
            say(
                f"  {i}/{len(w.orders)} orders to cash "
                f"({i / elapsed:,.2f} orders/s, {(d.commands - purchase_commands) / elapsed:,.1f}"
                " commands/s)"
            )
    flow_s = time.perf_counter() - started
    return {
        "flow_s": flow_s,
        "purchase_s": purchase_s,
        "orders_s": flow_s - purchase_s,
        "commands": d.commands,
        "purchase_commands": purchase_commands,
    }


def run_mrp_phase(d: AppDriver, w: Workload) -> dict:
    before = d.commands
    t0 = time.perf_counter()
    for o in w.more:
        d.confirm_sales_order(d.sales_order(o, w.price[o.product]))
    orders_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    planned = d.run_mrp(MRP_TODAY)
    mrp_s = time.perf_counter() - t1
    return {
        "orders_s": orders_s,
        "mrp_s": mrp_s,
        "planned": planned,
        "commands": d.commands - before,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:  # the server process of --via http
        return serve(argv[1], int(argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--via", choices=("app", "graphql", "http"), default="app")
    parser.add_argument(
        "--more",
        type=int,
        default=100,
        help="orders confirmed without stock before the MRP run (default 100)",
    )
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if args.orders < 1 or args.more < 0:
        parser.error("--orders must be positive and --more not negative")

    from api.runtime import Runtime

    w = workload(args.orders, args.more, args.seed)
    run = uuid.uuid4().hex[:8]
    load_before = os.getloadavg()
    say(
        f"store={args.store} via={args.via} orders={args.orders} more={args.more} "
        f"seed={args.seed}; {len(w.need)} raw materials to buy, "
        f"{sum(o.qty for o in w.orders)} product units to make; load average "
        f"{load_before[0]:.2f}"
    )
    with fresh_store(args.store, "flow") as config:
        # --via http: the server process projects; this one only sets up.
        rt = Runtime(config, follow=args.via != "http", clock=FLOW_CLOCK)
        try:
            t0 = time.perf_counter()
            setup_commands = setup(rt.app, w, run)
            setup_s = time.perf_counter() - t0
            say(f"master data: {setup_commands} commands in {setup_s:.1f} s")
            if args.via == "http":
                rt.runner.catch_up()
            driver = {"graphql": GraphQLDriver, "http": HttpDriver}.get(args.via, AppDriver)(
                rt, run)
            try:
                flow = run_flow(driver, w)
                say(
                    f"flow: {len(w.orders)} orders, {flow['commands']} commands in "
                    f"{flow['flow_s']:.1f} s ({len(w.orders) / flow['flow_s']:.2f} orders/s, "
                    f"{flow['commands'] / flow['flow_s']:.1f} commands/s)"
                )
                t0 = time.perf_counter()
                rep = driver.reports()
                reports_s = time.perf_counter() - t0
                catch_up_s = rep["caught_up"] - t0 if rep["caught_up"] else None
                say(
                    f"reports: {reports_s:.2f} s"
                    + (
                        f" ({catch_up_s:.2f} s waiting for the read models)"
                        if catch_up_s is not None
                        else ""
                    )
                    + f"; stock {rep['stock_rows']} rows, qty {rep['stock_qty']}, value "
                    f"{rep['stock_value']}, stock - GL {rep['stock_vs_gl']}; trial balance "
                    f"debits {rep['debit']} credits {rep['credit']}"
                )
                mrp = run_mrp_phase(driver, w)
                say(
                    f"MRP: {len(w.more)} more orders confirmed in {mrp['orders_s']:.1f} s; "
                    f"one run in {mrp['mrp_s']:.2f} s -> {mrp['planned']} planned orders"
                )
            finally:
                driver.close()
            log_position = rt.app.log_position()
        finally:
            rt.close()
    load_after = os.getloadavg()

    balanced = rep["debit"] == rep["credit"] and rep["closing_debit"] == rep["closing_credit"]
    from importlib.metadata import version

    result = {
        "orders": args.orders,
        "flow_seconds": round(flow["flow_s"], 2),
        "flow_orders_per_s": round(args.orders / flow["flow_s"], 3),
        "commands": flow["commands"],
        "reports_seconds": round(reports_s, 3),
        "mrp_seconds": round(mrp["mrp_s"], 3),
        "planned_orders": mrp["planned"],
        "debits": f"{rep['debit']:.2f}",
        "credits": f"{rep['credit']:.2f}",
        "peak_rss_mb": round(rss_mb(), 1),
        "store": args.store,
        "via": args.via,
        "seed": args.seed,
        "balanced": balanced,
        "commands_per_s": round(flow["commands"] / flow["flow_s"], 1),
        "purchase_seconds": round(flow["purchase_s"], 2),
        "purchase_commands": flow["purchase_commands"],
        "orders_seconds": round(flow["orders_s"], 2),
        "reports_catch_up_seconds": round(catch_up_s, 3) if catch_up_s is not None else None,
        "stock_rows": rep["stock_rows"],
        "stock_qty": f"{rep['stock_qty']}",
        "stock_value": f"{rep['stock_value']:.2f}",
        "stock_minus_gl": f"{rep['stock_vs_gl']:.2f}",
        "closing_debits": f"{rep['closing_debit']:.2f}",
        "closing_credits": f"{rep['closing_credit']:.2f}",
        "more_orders": args.more,
        "more_orders_seconds": round(mrp["orders_s"], 2),
        "setup_commands": setup_commands,
        "setup_seconds": round(setup_s, 2),
        "log_position": log_position,
        "load_average": [round(load_before[0], 2), round(load_after[0], 2)],
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
    }
    print(json.dumps(result), flush=True)
    return 0 if balanced and rep["stock_vs_gl"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
