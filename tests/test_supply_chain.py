"""Purchasing, sales and inventory through the use cases: every movement
posts its voucher in the same save, and stock value always equals the GL."""

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.catalog.items import ItemSpec, ItemType
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.handlers import AdjustmentLineInput, CountLineInput, TransferLineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.parties import PartyRole, PartySpec
from projections import inventory_queries as iq
from projections import ledger_queries as lq
from tests.scenes.supply_chain import USCC_SUPPLIER, setup_company

D3, D5, D16 = date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 16)


@pytest.fixture
def co(runtime):
    setup_company(runtime.app)
    return runtime


@pytest.fixture
def co_mem(memory_runtime):
    """The same scene on the in-memory store, for use cases that need no read model."""
    setup_company(memory_runtime.app)
    return memory_runtime


def po1(app, confirm=True, tolerance=None):
    number = app.create_purchase_order("SUP-STEEL", date(2026, 11, 2), [
        OrderLineInput("RM-STEEL", "100", "5.00", D3),
        OrderLineInput("RM-ZINC", "2", "20.00", D3),
        OrderLineInput("RM-BOX", "20", "1.00", D3),
    ], over_receipt_tolerance=tolerance).value.number
    if confirm:
        app.confirm_purchase_order(number)
    return number


def receive_all(app, number):
    return app.receive_purchase_order(number, D3, [
        MoveLineInput(1, "100"), MoveLineInput(2, "2"), MoveLineInput(3, "20")]).value


def entry_lines(rt, entry_id):
    rt.runner.catch_up()
    with rt.read() as conn:
        entry = lq.journal_entry(conn, entry_id)
    return [(ln.account_code, ln.debit, ln.credit) for ln in entry.lines]


def stock(rt, item, warehouse):
    rt.runner.catch_up()
    with rt.read() as conn:
        rows = iq.on_hand(conn, item=item, warehouse=warehouse, include_zero=True)
    return (rows[0].qty, rows[0].value) if rows else (Dec("0"), Dec("0"))


def assert_reconciled(rt):
    rt.runner.catch_up()
    with rt.read() as conn:
        for rec in iq.reconciliation(conn):
            assert rec.difference == 0, rec


def refused(rt, exc_type, call, *args, **kwargs):
    before = rt.app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert rt.app.log_position() == before, "a refused command wrote events"
    return info.value


def test_po1_received_in_full_posts_560_to_raw_materials_against_estimated_payables(co):
    doc = receive_all(co.app, po1(co.app))
    assert doc.number == "GR-000001" and doc.voucher_no == "记-0001"
    assert entry_lines(co, doc.entry_id) == [
        ("1403", Dec("560.00"), Dec("0.00")), ("220202", Dec("0.00"), Dec("560.00"))]
    assert stock(co, "RM-STEEL", "WH-RM") == (Dec("100"), Dec("500.00"))
    assert stock(co, "RM-ZINC", "WH-RM") == (Dec("2"), Dec("40.00"))
    assert stock(co, "RM-BOX", "WH-RM") == (Dec("20"), Dec("20.00"))
    with co.read() as conn:
        assert iq.open_order_lines(conn, "purchase") == []
        card = iq.stock_card(conn, "RM-STEEL").rows
    assert [(r.document, r.voucher_no, r.balance_qty, r.balance_value) for r in card] == [
        ("GR-000001", "记-0001", Dec("100"), Dec("500.00"))]
    assert_reconciled(co)


def test_so1_shipped_costs_495_at_moving_average(co):
    app = co.app
    app.adjust_stock(date(2026, 11, 14), [AdjustmentLineInput("FG-KIT", "WH-FG", "10", "49.50")],
                     offset_account="400101", reason="stand-in for WO-2 completion")
    so = app.create_sales_order("CUS-HW", date(2026, 11, 4),
                                [OrderLineInput("FG-KIT", "10", "200.00", date(2026, 11, 20))])
    app.confirm_sales_order(so.value.number)
    shipped = app.ship_sales_order(so.value.number, D16, [MoveLineInput(1, "10")]).value
    assert entry_lines(co, shipped.entry_id) == [
        ("5401", Dec("495.00"), Dec("0.00")), ("140501", Dec("0.00"), Dec("495.00"))]
    assert stock(co, "FG-KIT", "WH-FG") == (Dec("0"), Dec("0.00"))
    with co.read() as conn:
        otd = iq.on_time_delivery(conn, "2026-11")[0]
        turnover = iq.inventory_turnover(conn, "2026-11", by_item=True)
    assert (otd.lines_due, otd.lines_on_time, otd.rate) == (1, 1, Dec("1.0000"))
    kit = next(t for t in turnover if t.item == "FG-KIT")
    assert kit.cost_of_sales == Dec("495.00")
    assert_reconciled(co)


def test_partial_receipts_and_the_over_receipt_tolerance(co):
    app = co.app
    number = po1(app, tolerance="0.05")
    app.receive_purchase_order(number, D3, [MoveLineInput(1, "60", location="A2")])
    app.receive_purchase_order(number, D5, [MoveLineInput(1, "45")])  # 105 = 100 + 5%
    exc = refused(co, BusinessRuleViolation, app.receive_purchase_order, number, D5,
                  [MoveLineInput(1, "0.000001")])
    assert exc.code == "OVER_RECEIPT"
    with co.read() as conn:
        co.runner.catch_up()
        bins = iq.bins(conn, item="RM-STEEL")
    assert [(b.location, b.qty) for b in bins] == [("A1", Dec("45")), ("A2", Dec("60"))]


def test_no_over_receipt_by_default(co_mem):
    number = po1(co_mem.app)
    exc = refused(co_mem, BusinessRuleViolation, co_mem.app.receive_purchase_order, number, D3,
                  [MoveLineInput(1, "100.5")])
    assert exc.code == "OVER_RECEIPT" and "100" in exc.message


def test_receipts_against_a_draft_or_cancelled_order_are_refused(co_mem):
    app = co_mem.app
    draft = po1(app, confirm=False)
    exc = refused(co_mem, BusinessRuleViolation, app.receive_purchase_order, draft, D3,
                  [MoveLineInput(1, "1")])
    assert exc.code == "ORDER_NOT_OPEN"
    app.cancel_purchase_order(draft)
    exc = refused(co_mem, BusinessRuleViolation, app.receive_purchase_order, draft, D3,
                  [MoveLineInput(1, "1")])
    assert exc.code == "ORDER_NOT_OPEN" and "cancelled" in exc.message


def test_a_received_order_cannot_be_cancelled_but_open_quantity_can_be_amended(co):
    app = co.app
    number = po1(app)
    app.receive_purchase_order(number, D3, [MoveLineInput(1, "40")])
    assert refused(co, BusinessRuleViolation, app.cancel_purchase_order, number).code == \
        "ORDER_PARTLY_DELIVERED"
    assert refused(co, BusinessRuleViolation, app.amend_purchase_order_line, number, 1,
                   qty="39").code == "BELOW_DELIVERED"
    app.amend_purchase_order_line(number, 1, qty="40")
    co.runner.catch_up()
    with co.read() as conn:
        steel = [ln for ln in iq.open_order_lines(conn, "purchase") if ln.item == "RM-STEEL"]
    assert steel == []


def test_return_to_supplier_at_received_price_and_the_average_adjusts(co):
    app = co.app
    first = po1(app)
    receive_all(app, first)
    second = app.create_purchase_order("SUP-STEEL", D3, [
        OrderLineInput("RM-STEEL", "100", "6.00", D5)]).value.number
    app.confirm_purchase_order(second)
    app.receive_purchase_order(second, D5, [MoveLineInput(1, "100")])
    assert stock(co, "RM-STEEL", "WH-RM") == (Dec("200"), Dec("1100.00"))
    ret = app.return_to_supplier(second, D16, [MoveLineInput(1, "50")]).value
    assert entry_lines(co, ret.entry_id) == [
        ("220202", Dec("300.00"), Dec("0.00")), ("1403", Dec("0.00"), Dec("300.00"))]
    assert stock(co, "RM-STEEL", "WH-RM") == (Dec("150"), Dec("800.00"))
    assert_reconciled(co)


def test_returning_everything_left_sends_the_residue_to_cost(co):
    app = co.app
    a = app.create_purchase_order("SUP-STEEL", D3, [OrderLineInput("RM-ZINC", "10", "5", D5)])
    b = app.create_purchase_order("SUP-STEEL", D3, [OrderLineInput("RM-ZINC", "10", "1", D5)])
    for po in (a.value.number, b.value.number):
        app.confirm_purchase_order(po)
        app.receive_purchase_order(po, D5, [MoveLineInput(1, "10")])
    # 20 kg worth 60.00; 15 leave at average (45.00): 5 kg worth 15.00 remain.
    app.adjust_stock(D5, [AdjustmentLineInput("RM-ZINC", "WH-RM", "-15")], "5602", "scrapped")
    ret = app.return_to_supplier(a.value.number, D16, [MoveLineInput(1, "5")]).value
    # 5 kg were received at 5.00 = 25.00 of estimated payable; stock held only 15.00.
    assert entry_lines(co, ret.entry_id) == [
        ("220202", Dec("25.00"), Dec("0.00")), ("1403", Dec("0.00"), Dec("15.00")),
        ("5401", Dec("0.00"), Dec("10.00"))]
    assert stock(co, "RM-ZINC", "WH-RM") == (Dec("0"), Dec("0.00"))
    assert_reconciled(co)


def test_confirmed_sales_orders_reserve_stock_and_others_cannot_take_it(co):
    app = co.app
    app.adjust_stock(D3, [AdjustmentLineInput("FG-KIT", "WH-FG", "10", "49.50")], "400101",
                     "opening")
    first = app.create_sales_order("CUS-HW", D3, [OrderLineInput("FG-KIT", "8", "200", D16)])
    second = app.create_sales_order("CUS-HW", D3, [OrderLineInput("FG-KIT", "5", "200", D16)])
    app.confirm_sales_order(first.value.number)
    app.confirm_sales_order(second.value.number)
    co.runner.catch_up()
    with co.read() as conn:
        kit = iq.on_hand(conn, item="FG-KIT")[0]
        lines = {ln.number: ln for ln in iq.open_order_lines(conn, "sales")}
    assert (kit.qty, kit.reserved, kit.available) == (Dec("10"), Dec("10"), Dec("0"))
    assert lines[first.value.number].reserved == Dec("8")
    assert lines[second.value.number].reserved == Dec("2")
    exc = refused(co, BusinessRuleViolation, app.ship_sales_order, second.value.number, D16,
                  [MoveLineInput(1, "3")])
    assert exc.code == "INSUFFICIENT_STOCK"
    assert "FG-KIT" in exc.message and "WH-FG" in exc.message
    assert "available 2" in exc.message and "requested 3" in exc.message
    app.ship_sales_order(first.value.number, D16, [MoveLineInput(1, "8")])
    app.ship_sales_order(second.value.number, D16, [MoveLineInput(1, "2")])
    co.runner.catch_up()
    with co.read() as conn:
        kit = iq.on_hand(conn, item="FG-KIT", include_zero=True)[0]
    assert (kit.qty, kit.reserved, kit.value) == (Dec("0"), Dec("0"), Dec("0.00"))
    assert_reconciled(co)


def test_shipping_beyond_the_order_is_refused(co_mem):
    app = co_mem.app
    app.adjust_stock(D3, [AdjustmentLineInput("FG-KIT", "WH-FG", "20", "49.50")], "400101", "x")
    so = app.create_sales_order("CUS-HW", D3, [OrderLineInput("FG-KIT", "10", "200", D16)])
    app.confirm_sales_order(so.value.number)
    exc = refused(co_mem, BusinessRuleViolation, app.ship_sales_order, so.value.number, D16,
                  [MoveLineInput(1, "11")])
    assert exc.code == "OVER_SHIPMENT"


def test_customer_returns_come_back_at_the_cost_they_left_with(co):
    app = co.app
    app.adjust_stock(D3, [AdjustmentLineInput("FG-KIT", "WH-FG", "3", "10.00")], "400101", "x")
    app.adjust_stock(D3, [AdjustmentLineInput("FG-KIT", "WH-FG", "3", "20.00")], "400101", "y")
    so = app.create_sales_order("CUS-HW", D3, [OrderLineInput("FG-KIT", "4", "200", D16)])
    app.confirm_sales_order(so.value.number)
    app.ship_sales_order(so.value.number, D5, [MoveLineInput(1, "4")])  # 4 x 15 = 60.00
    ret = app.return_from_customer(so.value.number, D16, [MoveLineInput(1, "1")]).value
    assert entry_lines(co, ret.entry_id) == [
        ("140501", Dec("15.00"), Dec("0.00")), ("5401", Dec("0.00"), Dec("15.00"))]
    assert stock(co, "FG-KIT", "WH-FG") == (Dec("3"), Dec("45.00"))
    exc = refused(co, BusinessRuleViolation, app.return_from_customer, so.value.number, D16,
                  [MoveLineInput(1, "4")])
    assert exc.code == "RETURN_EXCEEDS_SHIPMENTS"
    assert_reconciled(co)


def test_transfers_move_value_at_average_and_post_nothing(co):
    app = co.app
    receive_all(app, po1(app))
    doc = app.transfer_stock(D5, [TransferLineInput("RM-STEEL", "30", "WH-RM", "WH-FG")]).value
    assert doc.entry_id == ""
    assert stock(co, "RM-STEEL", "WH-RM") == (Dec("70"), Dec("350.00"))
    assert stock(co, "RM-STEEL", "WH-FG") == (Dec("30"), Dec("150.00"))
    app.transfer_stock(D5, [TransferLineInput("RM-STEEL", "10", "WH-RM", "WH-RM", "A1", "A2")])
    with co.read() as conn:
        co.runner.catch_up()
        bins = [(b.warehouse, b.location, b.qty) for b in iq.bins(conn, item="RM-STEEL")]
    assert bins == [("WH-FG", "F1", Dec("30")), ("WH-RM", "A1", Dec("60")),
                    ("WH-RM", "A2", Dec("10"))]
    assert_reconciled(co)


def test_stock_count_gains_and_losses_post_to_1901(co):
    app = co.app
    receive_all(app, po1(app))
    doc = app.count_stock(D16, "WH-RM", [CountLineInput("RM-STEEL", "98"),
                                         CountLineInput("RM-BOX", "21")]).value
    assert entry_lines(co, doc.entry_id) == [
        ("1901", Dec("9.00"), Dec("0.00")), ("1403", Dec("0.00"), Dec("9.00"))]
    assert stock(co, "RM-STEEL", "WH-RM") == (Dec("98"), Dec("490.00"))
    assert stock(co, "RM-BOX", "WH-RM") == (Dec("21"), Dec("21.00"))
    assert_reconciled(co)


def test_moving_average_never_drifts_from_the_ledger(co):
    app = co.app
    po = app.create_purchase_order("SUP-STEEL", D3, [
        OrderLineInput("RM-ZINC", "3", "3.333333", D5)]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, D3, [MoveLineInput(1, "3")])  # 10.00
    values = []
    for _ in range(3):
        doc = app.adjust_stock(D5, [AdjustmentLineInput("RM-ZINC", "WH-RM", "-1")], "5602",
                               "use").value
        values.append(Dec(doc.total_value))
    assert values == [Dec("-3.33"), Dec("-3.34"), Dec("-3.33")]
    assert stock(co, "RM-ZINC", "WH-RM") == (Dec("0"), Dec("0.00"))
    assert_reconciled(co)


def test_lot_tracked_items_need_lots_and_are_held_per_lot(co):
    app = co.app
    app.create_item(ItemSpec("RM-WIRE", "铜线 copper wire", "kg", ItemType.RAW,
                             lot_tracked=True, default_warehouse="WH-RM"))
    po = app.create_purchase_order("SUP-STEEL", D3, [OrderLineInput("RM-WIRE", "10", "8", D5)])
    app.confirm_purchase_order(po.value.number)
    exc = refused(co, ValidationError, app.receive_purchase_order, po.value.number, D3,
                  [MoveLineInput(1, "4")])
    assert exc.field == "lines.0.lot"
    app.receive_purchase_order(po.value.number, D3, [MoveLineInput(1, "4", lot="L-001"),
                                                     MoveLineInput(1, "6", lot="L-002")])
    exc = refused(co, BusinessRuleViolation, app.adjust_stock, D5,
                  [AdjustmentLineInput("RM-WIRE", "WH-RM", "-5", lot="L-001")], "5602", "use")
    assert exc.code == "INSUFFICIENT_STOCK" and "lot L-001" in exc.message
    with co.read() as conn:
        co.runner.catch_up()
        assert [(b.lot, b.qty) for b in iq.bins(conn, item="RM-WIRE")] == [
            ("L-001", Dec("4")), ("L-002", Dec("6"))]


def test_quarantined_stock_is_valued_but_not_available(co):
    app = co.app
    po = app.create_purchase_order("SUP-STEEL", D3, [OrderLineInput("RM-BOX", "20", "1", D5)])
    app.confirm_purchase_order(po.value.number)
    app.receive_purchase_order(po.value.number, D3, [MoveLineInput(1, "20", location="QC")])
    co.runner.catch_up()
    with co.read() as conn:
        box = iq.on_hand(conn, item="RM-BOX")[0]
    assert (box.qty, box.value, box.quarantined, box.available) == (
        Dec("20"), Dec("20.00"), Dec("20"), Dec("0"))
    so = app.create_sales_order("CUS-HW", D3, [OrderLineInput("RM-BOX", "5", "2", D16,
                                                              warehouse="WH-RM")]).value.number
    app.confirm_sales_order(so)  # nothing available to reserve
    exc = refused(co, BusinessRuleViolation, app.ship_sales_order, so, D5,
                  [MoveLineInput(1, "1", location="QC")])
    assert exc.code == "STOCK_QUARANTINED"
    exc = refused(co, BusinessRuleViolation, app.ship_sales_order, so, D5, [MoveLineInput(1, "1")])
    assert exc.code == "INSUFFICIENT_STOCK"
    app.transfer_stock(D5, [TransferLineInput("RM-BOX", "20", "WH-RM", "WH-RM", "QC", "A1")])
    co.runner.catch_up()
    with co.read() as conn:
        box = iq.on_hand(conn, item="RM-BOX")[0]
    assert (box.quarantined, box.available) == (Dec("0"), Dec("20"))


@pytest.mark.parametrize("line, exc_type, detail", [
    (OrderLineInput("NOPE", "1", "1", D5), NotFound, "NOPE"),
    (OrderLineInput("RM-BOX", "0", "1", D5), ValidationError, "lines.0.qty"),
    (OrderLineInput("RM-BOX", "-3", "1", D5), ValidationError, "lines.0.qty"),
    (OrderLineInput("RM-BOX", "1.0000001", "1", D5), ValidationError, "lines.0.qty"),
    (OrderLineInput("RM-BOX", "1", "1.0000001", D5), ValidationError, "lines.0.unitPrice"),
    (OrderLineInput("RM-BOX", "1", "-1", D5), ValidationError, "lines.0.unitPrice"),
    (OrderLineInput("RM-BOX", "1", "1", D5, warehouse="WH-NONE"), NotFound, "WH-NONE"),
    (OrderLineInput("RM-BOX", "1", "1", D5, vat_rate="0.17"), ValidationError,
     "lines.0.vatRate"),
    (OrderLineInput("RM-BOX", "1", "1", date(2026, 10, 1)), ValidationError, "lines.0.dueDate"),
], ids=["unknown-item", "zero-qty", "negative-qty", "seven-decimals", "price-decimals",
        "negative-price", "wrong-warehouse", "bad-vat", "due-before-order"])
def test_bad_order_lines_are_refused_and_write_nothing(co_mem, line, exc_type, detail):
    exc = refused(co_mem, exc_type, co_mem.app.create_purchase_order, "SUP-STEEL", D3, [line])
    assert (exc.field if isinstance(exc, ValidationError) else exc.key) == detail


def test_orders_need_the_right_kind_of_party(co_mem):
    exc = refused(co_mem, BusinessRuleViolation, co_mem.app.create_purchase_order, "CUS-HW", D3,
                  [OrderLineInput("RM-BOX", "1", "1", D5)])
    assert exc.code == "WRONG_PARTY_ROLE"
    refused(co_mem, NotFound, co_mem.app.create_sales_order, "NOBODY", D3,
            [OrderLineInput("FG-KIT", "1", "1", D5)])


def test_invalid_unified_social_credit_codes_are_refused(co_mem):
    for bad in ("91350100M000100Y44", "91350100M000100Y4", "9135O100M000100Y43", ""):
        exc = refused(co_mem, ValidationError, co_mem.app.register_party,
                      PartySpec("SUP-X", "某公司", (PartyRole.SUPPLIER,), bad))
        assert exc.field == "uscc"
    co_mem.app.register_party(PartySpec("SUP-X", "某公司", (PartyRole.SUPPLIER,), USCC_SUPPLIER))


def test_movements_into_a_closed_period_are_refused(co_mem):
    app = co_mem.app
    po = po1(app)
    app.close_period("2026-11")
    exc = refused(co_mem, BusinessRuleViolation, app.receive_purchase_order, po, D3,
                  [MoveLineInput(1, "1")])
    assert exc.code == "PERIOD_CLOSED"


def test_item_master_changes_are_events_and_used_items_are_deactivated_not_deleted(co):
    app = co.app
    app.change_item("RM-BOX", {"name": "纸箱 carton", "standard_cost": Dec("1.05")})
    refused(co, ValidationError, app.change_item, "RM-BOX", {"code": "X"})
    app.set_item_active("RM-BOX", False)
    exc = refused(co, BusinessRuleViolation, app.create_purchase_order, "SUP-STEEL", D3,
                  [OrderLineInput("RM-BOX", "1", "1", D5)])
    assert exc.code == "ITEM_INACTIVE"
    co.runner.catch_up()
    with co.read() as conn:
        row = next(r for r in iq.item_rows(conn) if r.code == "RM-BOX")
    assert (row.name, row.standard_cost, row.active) == ("纸箱 carton", "1.050000", False)
    assert refused(co, BusinessRuleViolation, app.create_item,
                   ItemSpec("RM-BOX", "dup", "pcs", ItemType.RAW)).code == "ITEM_EXISTS"


def test_on_time_delivery_counts_lines_shipped_in_full_by_their_due_date(co):
    app = co.app
    app.adjust_stock(D3, [AdjustmentLineInput("FG-KIT", "WH-FG", "20", "49.50")], "400101", "x")
    so = app.create_sales_order("CUS-HW", D3, [
        OrderLineInput("FG-KIT", "5", "200", date(2026, 11, 10)),
        OrderLineInput("FG-KIT", "5", "200", date(2026, 11, 12)),
        OrderLineInput("FG-KIT", "5", "200", date(2026, 12, 5))]).value.number
    app.confirm_sales_order(so)
    app.ship_sales_order(so, date(2026, 11, 9), [MoveLineInput(1, "5"), MoveLineInput(2, "3")])
    app.ship_sales_order(so, date(2026, 11, 14), [MoveLineInput(2, "2")])  # late
    co.runner.catch_up()
    with co.read() as conn:
        otd = iq.on_time_delivery(conn, "2026-11")[0]
        per_customer = iq.on_time_delivery(conn, "2026-11", by_customer=True)
    assert (otd.lines_due, otd.lines_on_time, otd.rate) == (2, 1, Dec("0.5000"))
    assert [(o.customer, o.rate) for o in per_customer] == [("CUS-HW", Dec("0.5000"))]
