"""Order hygiene (issue #15): short-closing sales and purchase orders (MRP
stops planning the rest), customer returns for credit or for replacement and
the red invoice of a return in one step, a lot multiple the lot-size rule
would ignore, and the warning on an item made for sale without its tax code."""

from __future__ import annotations

from decimal import Decimal as Dec

import pytest

from domain.catalog.items import ItemSpec, ItemType, LotSizeRule, Planning
from domain.errors import BusinessRuleViolation, ValidationError
from domain.inventory.handlers import AdjustmentLineInput
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.sales import sales_order_id
from domain.sales.orders import ReturnPurpose
from projections.planning_snapshot import build_snapshot
from tests.scenes.sales_invoices import D, invoicing_setup
from tests.scenes.supply_api import command
from tests.scenes.supply_chain import setup_company

ORDER = "number status closeReason lines { lineNo qty delivered returned openQty shortClosed }"
SHORT_CLOSE_SO = command("shortCloseSalesOrder", f"order {{ {ORDER} }}")
SHORT_CLOSE_PO = command("shortClosePurchaseOrder", f"order {{ {ORDER} }}")
RETURN = command("returnFromCustomer", f"document {{ number note }} order {{ {ORDER} }}")
CREDIT = command("creditCustomerReturn", "invoice { number color amount tax total "
                 "lines { lineNo qty amount tax } } blueInvoice { creditedAmount openTotal }")
CREATE_ITEM = command("createItem", "item { code } warnings")


def stocked(app) -> None:
    """The bolt-kit company with 20 FG-KIT in stock and ready to invoice."""
    setup_company(app)
    invoicing_setup(app)
    app.adjust_stock(D[2], [AdjustmentLineInput("FG-KIT", "WH-FG", "20", "49.50")],
                     offset_account="3001", reason="期初库存 opening stock")


def sales_order(app, qty: str) -> str:
    so = app.create_sales_order("CUS-HW", D[4], [
        OrderLineInput("FG-KIT", qty, "200.00", D[20])]).value.number
    app.confirm_sales_order(so)
    return so


def test_a_short_closed_sales_order_ships_and_plans_no_more(memory_app):
    app = memory_app
    stocked(app)
    so = sales_order(app, "10")
    app.ship_sales_order(so, D[10], [MoveLineInput(1, "6")])
    with pytest.raises(ValidationError):
        app.short_close_sales_order(so, " ")
    app.short_close_sales_order(so, "客户取消余量 customer cancelled the rest", D[12])
    order = app.repository.get(sales_order_id(so))
    line = order.lines[1]
    assert (order.status.value, line.qty, line.open_qty, line.reserved) == (
        "closed", Dec("6"), Dec("0"), Dec("0"))
    with pytest.raises(BusinessRuleViolation) as refused:
        app.ship_sales_order(so, D[13], [MoveLineInput(1, "1")])
    assert refused.value.code == "ORDER_NOT_OPEN"
    with pytest.raises(BusinessRuleViolation) as refused:
        app.short_close_sales_order(so, "again")
    assert refused.value.code == "ORDER_NOT_OPEN"
    untouched = sales_order(app, "3")
    with pytest.raises(BusinessRuleViolation) as refused:
        app.short_close_sales_order(untouched, "nothing shipped")
    assert refused.value.code == "NOTHING_DELIVERED"


def test_returns_for_replacement_reopen_the_line_and_for_credit_do_not(memory_app):
    app = memory_app
    stocked(app)
    swap, credit = sales_order(app, "5"), sales_order(app, "5")
    for so in (swap, credit):
        app.ship_sales_order(so, D[10], [MoveLineInput(1, "5")])
    app.return_from_customer(swap, D[12], [MoveLineInput(1, "1")])  # replacement, as before
    app.return_from_customer(credit, D[12], [MoveLineInput(1, "1")], ReturnPurpose.CREDIT)
    swapped, credited = (app.repository.get(sales_order_id(n)) for n in (swap, credit))
    assert (swapped.status.value, swapped.lines[1].qty, swapped.lines[1].open_qty) == (
        "confirmed", Dec("5"), Dec("1"))
    assert (credited.status.value, credited.lines[1].qty, credited.lines[1].open_qty) == (
        "closed", Dec("4"), Dec("0"))


def test_a_lot_multiple_the_rule_ignores_is_refused(memory_app):
    app = memory_app
    setup_company(app)
    for rule, extra, field in [
        (LotSizeRule.LOT_FOR_LOT, {"lot_multiple": Dec("12")}, "planning.lotMultiple"),
        (LotSizeRule.FIXED, {"lot_size": Dec("50"), "lot_multiple": Dec("12")},
         "planning.lotMultiple"),
        (LotSizeRule.LOT_FOR_LOT, {"lot_size": Dec("50")}, "planning.lotSize"),
    ]:
        with pytest.raises(ValidationError) as refused:
            app.create_item(ItemSpec("RM-NUT", "螺母", "pcs", ItemType.RAW,
                                     planning=Planning(lot_size_rule=rule, **extra)))
        assert refused.value.field == field
    app.create_item(ItemSpec("RM-NUT", "螺母", "pcs", ItemType.RAW, planning=Planning(
        lot_size_rule=LotSizeRule.MIN_MULTIPLE, lot_size=Dec("100"), lot_multiple=Dec("12"))))
    with pytest.raises(ValidationError):
        app.change_item("RM-BOX", {"planning": Planning(lot_multiple=Dec("5"))})


def test_an_item_made_for_sale_without_its_tax_code_is_warned_about(memory_app):
    app = memory_app
    setup_company(app)
    bare = app.create_item(ItemSpec("FG-BOLT", "螺栓", "box", ItemType.FINISHED)).value
    assert bare.warnings == [
        "item FG-BOLT is made for sale but has no 税收分类编码 taxCode and no 税收分类简称 "
        "taxShortName: a sales invoice (数电票) naming it is refused until changeItem sets "
        "them"]
    ready = app.create_item(ItemSpec("FG-NUT", "螺母", "box", ItemType.FINISHED,
                                     tax_code="1080413030000000000",
                                     tax_short_name="金属制品")).value
    raw = app.create_item(ItemSpec("RM-WIRE", "线材", "kg", ItemType.RAW)).value
    assert ready.warnings == raw.warnings == []


@pytest.fixture
def gq(api):
    stocked(api.runtime.app)
    return api


def test_short_closes_and_a_credited_return_through_graphql(gq):
    app = gq.runtime.app
    so = sales_order(app, "10")
    shipment = app.ship_sales_order(so, D[10], [MoveLineInput(1, "6")]).value.number
    po = app.create_purchase_order("SUP-STEEL", D[3], [
        OrderLineInput("RM-STEEL", "100", "5.00", D[20])]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, D[5], [MoveLineInput(1, "60")])

    closed = gq.ok(SHORT_CLOSE_SO, {"number": so, "reason": "客户取消余量",
                                     "closingDate": "2026-11-12"})["order"]
    assert (closed["status"], closed["closeReason"]) == ("CLOSED", "客户取消余量")
    assert closed["lines"] == [{"lineNo": 1, "qty": "6", "delivered": "6", "returned": "0",
                                "openQty": "0", "shortClosed": "4"}]
    closed = gq.ok(SHORT_CLOSE_PO, {"number": po, "reason": "供应商停产 discontinued",
                                     "closingDate": "2026-11-12"})["order"]
    assert closed["lines"][0] == {"lineNo": 1, "qty": "60", "delivered": "60", "returned": "0",
                                  "openQty": "0", "shortClosed": "40"}
    with gq.runtime.read() as conn:
        snapshot = build_snapshot(conn, D[12])
    assert [d for d in snapshot.demands if d.item == "FG-KIT"] == []
    assert [s for s in snapshot.supplies if s.item == "RM-STEEL"] == []

    # 6 shipped, invoiced, 2 come back for credit and are credited in one step.
    invoice = app.issue_sales_invoice("CUS-HW", D[14], [
        InvoiceLineInput(shipment, 1, "6")]).value.number
    back = gq.ok(RETURN, {"number": so, "postingDate": "2026-11-16", "purpose": "CREDIT",
                          "lines": [{"lineNo": 1, "qty": "2"}]})
    assert (back["document"]["note"], back["order"]["status"]) == ("退货退款 for credit",
                                                                   "CLOSED")
    assert back["order"]["lines"][0]["qty"] == "4"
    red = gq.ok(CREDIT, {"returnNumber": back["document"]["number"], "blueNumber": invoice,
                         "confirmationNo": "2026111600001", "invoiceDate": "2026-11-16"})
    assert (red["invoice"]["color"], red["invoice"]["amount"], red["invoice"]["tax"],
            red["invoice"]["total"]) == ("RED", "-400.00", "-52.00", "-452.00")
    assert red["invoice"]["lines"] == [{"lineNo": 1, "qty": "-2", "amount": "-400.00",
                                        "tax": "-52.00"}]
    assert red["blueInvoice"]["openTotal"] == "904.00"  # 1,356.00 - 452.00
    again = gq.refused(CREDIT.replace("logPosition replayed", "logPosition"), {
        "returnNumber": back["document"]["number"], "blueNumber": invoice,
        "confirmationNo": "2026111600002", "invoiceDate": "2026-11-16"})
    assert again["code"] == "ALREADY_INVOICED"  # a return is credited once
    warned = gq.ok(CREATE_ITEM, {"code": "FG-BOLT", "name": "螺栓", "uom": "box",
                                 "itemType": "FINISHED"})
    assert len(warned["warnings"]) == 1
