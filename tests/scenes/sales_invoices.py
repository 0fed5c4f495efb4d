"""The bolt-kit factory ready to invoice: its profile as seller, the tax short
name on FG-KIT, and shipments made either by the worked month's production
(steps 2-8) or, for the rule tests, from stock put in by an adjustment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

from domain.catalog.items import ItemSpec, ItemType
from domain.finance.open_items import Ledger, open_item_id
from domain.inventory.handlers import AdjustmentLineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.parties import PartyRole, PartySpec
from domain.production.inputs import MaterialLineInput, ReportInput
from tests.scenes.production import receive_po1, setup_factory
from tests.scenes.supply_chain import setup_company

D = {n: date(2026, 11, n) for n in range(1, 31)}
# The factory's own 统一社会信用代码 (Ningbo, Zhejiang: province code 33).
USCC_SELLER = "91330200MA2H0C1X5K"
USCC_OTHER_CUSTOMER = "91440300MA5F00001A"
SELLER = ("宁波紧固件制造有限公司", USCC_SELLER, "浙江省宁波市北仑区新碶街道1号",
          "0574-86880000", "中国工商银行宁波北仑支行", "3901110009000012345")


def invoicing_setup(app) -> None:
    """What invoicing needs beyond the supply-chain master data."""
    app.set_company_profile(*SELLER)
    app.change_item("FG-KIT", {"tax_short_name": "金属制品", "spec": "M8x30"})


def bolt_kit_shipped(app) -> str:
    """The worked month through step 8 (SO-1's 10 FG-KIT shipped at 495.00);
    returns the shipment number."""
    setup_factory(app)
    invoicing_setup(app)
    receive_po1(app)
    so = app.create_sales_order("CUS-HW", D[4], [
        OrderLineInput("FG-KIT", "10", "200.00", D[20])]).value.number
    app.confirm_sales_order(so)
    wo1 = app.create_work_order("SA-BLANK", "1000", D[10], D[6]).value.number
    app.release_work_order(wo1)
    app.issue_material(wo1, D[6], [MaterialLineInput(1, "50")])
    app.report_operation(wo1, "OP10", D[10], ReportInput(good="1000", labor_hours="2.0"))
    app.complete_work_order(wo1, D[10], "1000", "WH-FG")
    wo2 = app.create_work_order("FG-KIT", "10", D[13], D[12]).value.number
    app.release_work_order(wo2)
    app.issue_material(wo2, D[12], [MaterialLineInput(1, "1000"), MaterialLineInput(2, "1.0"),
                                    MaterialLineInput(3, "10")])
    app.report_operation(wo2, "OP10", D[13], ReportInput(good="10", labor_hours="1.0"))
    app.report_operation(wo2, "OP20", D[13], ReportInput(good="10", labor_hours="0.5"))
    app.complete_work_order(wo2, D[13], "10")
    return app.ship_sales_order(so, D[15], [MoveLineInput(1, "10")]).value.number


def trading_company(app) -> None:
    """Master data, the seller profile, a second product and a second customer,
    and finished goods put into stock (no production needed for rule tests)."""
    setup_company(app)
    invoicing_setup(app)
    app.create_item(ItemSpec("FG-NUT", "镀锌螺母 plated nut", "kg", ItemType.FINISHED,
                             default_warehouse="WH-FG", tax_code="1080413030000000000",
                             tax_short_name="金属制品", vat_rate=Dec("0.13")))
    app.register_party(PartySpec("CUS-SZ", "深圳机电有限公司", (PartyRole.CUSTOMER,),
                                 USCC_OTHER_CUSTOMER, payment_terms_days=60))
    app.adjust_stock(D[2], [AdjustmentLineInput("FG-KIT", "WH-FG", "100", "49.50"),
                            AdjustmentLineInput("FG-NUT", "WH-FG", "100", "10.00")],
                     offset_account="3001", reason="期初库存 opening stock")


def sales_order(app, customer: str = "CUS-HW", lines=(("FG-KIT", "10", "200.00"),)) -> str:
    number = app.create_sales_order(customer, D[4], [
        OrderLineInput(item, qty, price, D[20]) for item, qty, price in lines]).value.number
    app.confirm_sales_order(number)
    return number


def ship(app, order: str, *qtys: str, day: int = 15) -> str:
    """Ship ``qtys[i]`` of order line i+1 (blank: skip the line)."""
    return app.ship_sales_order(order, D[day], [
        MoveLineInput(i + 1, q) for i, q in enumerate(qtys) if q]).value.number


def open_item(app, number: str):
    return app.repository.get(open_item_id(Ledger.RECEIVABLE, number))
