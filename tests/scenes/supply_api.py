"""The supply chain through GraphQL: its documents, ``SupplyApi``, and the
bolt-kit master data (``set_up_company``) and PO-1 as plain functions."""

from __future__ import annotations

from tests.scenes.graphql import OPEN_PERIOD, Api, mutation
from tests.scenes.supply_chain import USCC_CUSTOMER, USCC_SUPPLIER

NOV = "2026-11"
ITEM = "code name uom itemType lotTracked standardCost defaultWarehouse taxCode vatRate " \
       "inventoryAccount spec active planning { leadTimeDays lotSizeRule safetyStock }"
WAREHOUSE = "code name active locations { code quarantine }"
PARTY = "code name roles uscc address bank bankAccount paymentTermsDays active"
ORDER = """number kind party partyName orderDate status
    lines { lineNo item qty unitPrice vatRate amount dueDate warehouse delivered returned
            openQty deliveredValue reserved completedOn }"""
ENTRY = "id voucherNo summary total lines { accountCode debit credit }"
DOCUMENT = f"""number kind postingDate party order entryId voucherNo totalValue note
    lines {{ lineNo item warehouse location lot qty value orderLine toWarehouse toLocation }}
    entry {{ {ENTRY} }}"""


def command(name: str, success: str) -> str:
    """A mutation answering ``logPosition replayed`` and ``success`` on success."""
    title = name[0].upper() + name[1:]
    return mutation(name, f"{title}Input", f"{title}Success {{ logPosition replayed {success} }}")


CREATE_ITEM = command("createItem", f"item {{ {ITEM} }}")
CHANGE_ITEM = command("changeItem", f"item {{ {ITEM} }}")
CREATE_WAREHOUSE = command("createWarehouse", f"warehouse {{ {WAREHOUSE} }}")
REGISTER_PARTY = command("registerParty", f"party {{ {PARTY} }}")
CREATE_PO = command("createPurchaseOrder", f"order {{ {ORDER} }}")
CONFIRM_PO = command("confirmPurchaseOrder", f"order {{ {ORDER} }}")
RECEIVE_PO = command("receivePurchaseOrder", f"document {{ {DOCUMENT} }} order {{ {ORDER} }}")
CREATE_SO = command("createSalesOrder", f"order {{ {ORDER} }}")
CONFIRM_SO = command("confirmSalesOrder", f"order {{ {ORDER} }}")
SHIP_SO = command("shipSalesOrder", f"document {{ {DOCUMENT} }} order {{ {ORDER} }}")
COUNT = command("countStock", f"document {{ {DOCUMENT} }}")
ADJUST = command("adjustStock", f"document {{ {DOCUMENT} }}")
ON_HAND = """
query OnHand($item: String, $warehouse: String, $includeZero: Boolean! = false) {
  onHand(item: $item, warehouse: $warehouse, includeZero: $includeZero) {
    item itemName uom warehouse qty value averageCost reserved quarantined available
    bins { location lot qty }
  }
}"""
STOCK_CARD = """
query Card($item: String!, $warehouse: String, $first: Int! = 100, $after: String) {
  stockCard(item: $item, warehouse: $warehouse, first: $first, after: $after) {
    edges { cursor node { logPosition postingDate item warehouse kind documentNumber docLine
                          location lot qty value balanceQty balanceValue entryId voucherNo } }
    pageInfo { hasNextPage endCursor }
  }
}"""
RECONCILIATION = "{ inventoryReconciliation { account stockValue glBalance difference } }"
D3, D4, D14, D16, D20 = "2026-11-03", "2026-11-04", "2026-11-14", "2026-11-16", "2026-11-20"
PO1_LINES = [
    {"item": "RM-STEEL", "qty": "100", "unitPrice": "5.00", "dueDate": D3},
    {"item": "RM-ZINC", "qty": "2", "unitPrice": "20.00", "dueDate": D3},
    {"item": "RM-BOX", "qty": "20", "unitPrice": "1.00", "dueDate": D3},
]
SO1_LINES = [{"item": "FG-KIT", "qty": "10", "unitPrice": "200.00", "dueDate": D20}]
RECEIVE_ALL = [{"lineNo": 1, "qty": "100"}, {"lineNo": 2, "qty": "2"}, {"lineNo": 3, "qty": "20"}]


class SupplyApi(Api):
    def ok(self, query: str, input_: dict, headers: dict | None = None) -> dict:
        result = self.command(query, input_, headers)
        assert result["__typename"].endswith("Success"), result
        return result

    def on_hand(self, **variables) -> list[dict]:
        return self.gql(ON_HAND, variables)["onHand"]

    def stock_card(self, item: str, **variables) -> list[dict]:
        card = self.gql(STOCK_CARD, {"item": item, **variables})["stockCard"]
        return [edge["node"] for edge in card["edges"]]


def set_up_company(api: SupplyApi) -> SupplyApi:
    api.ok(OPEN_PERIOD, {"period": NOV})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-RM", "name": "原料库 raw materials",
                              "locations": ["A1", "A2"]})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-FG", "name": "成品库 finished goods",
                              "locations": ["F1"]})
    for code, name, uom, kind, extra in [
        ("RM-STEEL", "钢线材 steel wire", "kg", "RAW", {}),
        ("RM-ZINC", "镀锌剂 zinc plating agent", "kg", "RAW", {}),
        ("RM-BOX", "包装盒 carton", "pcs", "RAW", {"planning": {"safetyStock": "15"}}),
        ("SA-BLANK", "螺栓半成品 bolt blank", "pcs", "SEMI_FINISHED", {}),
        ("FG-KIT", "镀锌螺栓套装 plated bolt kit", "box", "FINISHED",
         {"taxCode": "1080413030000000000"}),
    ]:
        wh = "WH-RM" if kind == "RAW" else "WH-FG"
        api.ok(CREATE_ITEM, {"code": code, "name": name, "uom": uom, "itemType": kind,
                             "defaultWarehouse": wh, **extra})
    api.ok(REGISTER_PARTY, {"code": "SUP-STEEL", "name": "宁波钢材有限公司",
                            "roles": ["SUPPLIER"], "uscc": USCC_SUPPLIER})
    api.ok(REGISTER_PARTY, {"code": "CUS-HW", "name": "杭州五金贸易有限公司",
                            "roles": ["CUSTOMER"], "uscc": USCC_CUSTOMER})
    return api


def create_po1(api: SupplyApi, **extra) -> str:
    order = api.ok(CREATE_PO, {"supplier": "SUP-STEEL", "orderDate": "2026-11-02",
                               "lines": PO1_LINES, **extra})["order"]
    return order["number"]


def lines_of(entry: dict) -> list[tuple[str, str, str]]:
    return [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in entry["lines"]]
