"""Engineering data of the bolt-kit factory (docs/examples/bolt-kit.md),
shared by the production tests, and small helpers to read what they posted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

from domain.catalog.engineering import WorkCenterSpec
from domain.orders import MoveLineInput, OrderLineInput
from domain.production.inputs import BomLineInput, OperationInput
from domain.production.work_orders import work_order_id
from projections import inventory_queries as iq
from projections import ledger_queries as lq
from tests.scenes.supply_chain import setup_company

ENG_FROM = date(2026, 11, 1)

WORK_CENTERS = [
    ("WC-HEAD", "冷镦机 cold header", "40", "20"),
    ("WC-PLATE", "电镀线 plating line", "30", "50"),
    ("WC-PACK", "包装台 packing bench", "25", "5"),
]


def setup_engineering(app) -> None:
    """Work centers, BOMs and routings of the worked example, in force from 1 Nov."""
    for code, name, labor, overhead in WORK_CENTERS:
        app.define_work_center(WorkCenterSpec(code, name, 1, Dec(labor), Dec(overhead)))
    app.save_bom("SA-BLANK", "V1", ENG_FROM, [BomLineInput("RM-STEEL", "0.05")])
    app.save_bom("FG-KIT", "V1", ENG_FROM, [
        BomLineInput("SA-BLANK", "100"),
        BomLineInput("RM-ZINC", "0.1"),
        BomLineInput("RM-BOX", "1"),
    ])
    app.save_routing("SA-BLANK", "V1", ENG_FROM, [OperationInput("OP10", "WC-HEAD", "0.002")])
    app.save_routing("FG-KIT", "V1", ENG_FROM, [
        OperationInput("OP10", "WC-PLATE", "0.1"),
        OperationInput("OP20", "WC-PACK", "0.05"),
    ])


def setup_factory(app) -> None:
    """Master data (supply-chain fixtures) plus the engineering data."""
    setup_company(app)
    setup_engineering(app)


def receive_po1(app, on: date = date(2026, 11, 3)) -> str:
    """Step 2: PO-1 received in full (steel 100 kg @ 5, zinc 2 kg @ 20, box 20 @ 1)."""
    number = app.create_purchase_order("SUP-STEEL", date(2026, 11, 2), [
        OrderLineInput("RM-STEEL", "100", "5.00", on),
        OrderLineInput("RM-ZINC", "2", "20.00", on),
        OrderLineInput("RM-BOX", "20", "1.00", on),
    ]).value.number
    app.confirm_purchase_order(number)
    app.receive_purchase_order(number, on, [
        MoveLineInput(1, "100"), MoveLineInput(2, "2"), MoveLineInput(3, "20")])
    return number


# -- reading back -------------------------------------------------------------------
def work_order(app, number: str):
    """The WorkOrder aggregate (the WIP source until a production read model lands)."""
    return app.repository.get(work_order_id(number))


def wip(app, number: str) -> Dec:
    return work_order(app, number).wip.total


def entry_lines(rt, entry_id: str) -> list[tuple[str, Dec, Dec]]:
    """(account, debit, credit) of a journal entry, in its line order."""
    rt.runner.catch_up()
    with rt.read() as conn:
        entry = lq.journal_entry(conn, entry_id)
    assert entry is not None, entry_id
    return [(ln.account_code, ln.debit, ln.credit) for ln in entry.lines]


def balances(rt, period: str = "2026-11") -> dict[str, Dec]:
    """Closing balance (debit positive) of every leaf account with activity."""
    rt.runner.catch_up()
    with rt.read() as conn:
        tb = lq.trial_balance(conn, period, leaves_only=True, include_zero=True)
    return {r.code: r.closing for r in tb.rows}


def balance(rt, account: str, period: str = "2026-11") -> Dec:
    return balances(rt, period).get(account, Dec("0.00"))


def stock(rt, item: str, warehouse: str | None = None) -> tuple[Dec, Dec]:
    """(qty, value) on hand of an item, over its warehouses unless one is named."""
    rt.runner.catch_up()
    with rt.read() as conn:
        rows = iq.on_hand(conn, item=item, warehouse=warehouse, include_zero=True)
    return (sum((r.qty for r in rows), Dec("0")), sum((r.value for r in rows), Dec("0.00")))


def reconciled(rt) -> dict[str, Dec]:
    """Inventory accounts' differences between stock value and GL (all should be 0)."""
    rt.runner.catch_up()
    with rt.read() as conn:
        return {r.account: r.difference for r in iq.reconciliation(conn)}
