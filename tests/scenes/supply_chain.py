"""Master data of the bolt-kit factory, shared by the supply-chain tests."""

from datetime import date

from domain.catalog.items import ItemSpec, ItemType, Planning
from domain.parties import PartyRole, PartySpec

NOV = date(2026, 11, 1)
# Valid 统一社会信用代码 (check characters computed per GB 32100-2015).
USCC_SUPPLIER = "91350100M000100Y43"
USCC_CUSTOMER = "91110000600037341L"


def setup_company(app) -> None:
    app.open_period("2026-11")
    app.create_warehouse("WH-RM", "原料库 raw materials", ["A1", "A2"])
    app.create_warehouse("WH-FG", "成品库 finished goods", ["F1"])
    for code, name, uom, kind, extra in [
        ("RM-STEEL", "钢线材 steel wire", "kg", ItemType.RAW, {}),
        ("RM-ZINC", "镀锌剂 zinc plating agent", "kg", ItemType.RAW, {}),
        ("RM-BOX", "包装盒 carton", "pcs", ItemType.RAW,
         {"planning": Planning(safety_stock=__import__("decimal").Decimal("15"))}),
        ("SA-BLANK", "螺栓半成品 bolt blank", "pcs", ItemType.SEMI_FINISHED, {}),
        ("FG-KIT", "镀锌螺栓套装 plated bolt kit", "box", ItemType.FINISHED,
         {"tax_code": "1080413030000000000"}),
    ]:
        wh = "WH-FG" if kind in (ItemType.FINISHED, ItemType.SEMI_FINISHED) else "WH-RM"
        app.create_item(ItemSpec(code, name, uom, kind, default_warehouse=wh, **extra))
    app.register_party(PartySpec("SUP-STEEL", "宁波钢材有限公司", (PartyRole.SUPPLIER,),
                                 USCC_SUPPLIER))
    app.register_party(PartySpec("CUS-HW", "杭州五金贸易有限公司", (PartyRole.CUSTOMER,),
                                 USCC_CUSTOMER))
