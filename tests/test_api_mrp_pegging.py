"""MRP's pegging and expediting through GraphQL, on SQLite and PostgreSQL:
the defects of issue 17, each reproduced with its hand computation.

The bolt-kit factory (tests/scenes/production_api.py) has RM-STEEL 100 kg,
RM-ZINC 2 kg and RM-BOX 20 on hand (safety stock 15 boxes), no lead times;
FG-KIT = SA-BLANK 100 + RM-ZINC 0.1 + RM-BOX 1, SA-BLANK = RM-STEEL 0.05.
MRP runs on Thursday 5 November 2026; the 20th is a Friday.
"""

from __future__ import annotations

from tests.scenes.planning_api import D5, PLANNED, PLANNED_ORDERS, sales_order_1
from tests.scenes.supply_api import (
    CHANGE_ITEM,
    CONFIRM_PO,
    CONFIRM_SO,
    CREATE_ITEM,
    CREATE_PO,
    CREATE_SO,
    command,
)

RUN_MRP = command("runMrp", f"run {{ number plannedOrders {{ {PLANNED} }} "
                  "exceptions { kind ref message date } }")
SETTINGS = command("setPlanningSettings", "settings { expediteHorizonDays }")
RECEIPTS = """query R($run: String, $item: String, $top: String) {
  peggedReceipts(run: $run, item: $item, top: $top) {
    run ref item kind qty due availableOn pegs { demand top qty } } }"""


def order(gql, kind: str, party: str, item: str, qty: str, due: str) -> str:
    create, confirm = (CREATE_SO, CONFIRM_SO) if kind == "sales" else (CREATE_PO, CONFIRM_PO)
    key = "customer" if kind == "sales" else "supplier"
    number = gql.ok(create, {key: party, "orderDate": "2026-11-04", "lines": [
        {"item": item, "qty": qty, "unitPrice": "10.00", "dueDate": due}]})["order"]["number"]
    gql.ok(confirm, {"number": number})
    return number


def pegs(planned: dict) -> list[tuple[str, str, str]]:
    return [(g["demand"], g["top"], g["qty"]) for g in planned["pegs"]]


def test_every_level_is_pegged_to_every_sales_order_it_serves_and_so_is_the_purchase_order(
        factory):
    """FG-KIT is made in fixed lots of 30. SO-1 wants 10 kits and SO-2 15, both
    on Friday the 20th; PO-2 brings 100 kg of steel on the 18th.

    FG-KIT: one lot of 30, pegged SO-1 10 and SO-2 15; the 5 the lot adds
    stay pegged to the lot itself (MRP-000001/00001) all the way down.
    RM-BOX: 30 boxes (SO-1 10, SO-2 15, the lot 5) against 20 on hand and a
    safety stock of 15: 25 planned; the 20 on hand serve SO-1 10 and SO-2 10,
    the planned 25 SO-2's other 5, the lot's 5 and the safety stock's 15.
    RM-ZINC: 30 x 0.1 = 3 kg (SO-1 1, SO-2 1.5, the lot 0.5) against 2 on hand:
    1 planned, for SO-2 0.5 and the lot 0.5.
    SA-BLANK: 30 x 100 = 3,000 planned, pegged SO-1 1,000, SO-2 1,500 and the
    lot 500 (before: all 3,000 to SO-2, the larger).
    RM-STEEL: 3,000 x 0.05 = 150 kg (SO-1 50, SO-2 75, the lot 25): the 100 on
    hand serve SO-1 50 and SO-2 50, PO-2 SO-2's other 25 and the lot's 25;
    nothing planned."""
    gql = factory
    gql.ok(CHANGE_ITEM, {"code": "FG-KIT", "planning": {"lotSizeRule": "FIXED",
                                                        "lotSize": "30"}})
    assert sales_order_1(gql) == "SO-000001"
    assert order(gql, "sales", "CUS-HW", "FG-KIT", "15", "2026-11-20") == "SO-000002"
    assert order(gql, "purchase", "SUP-STEEL", "RM-STEEL", "100", "2026-11-18") == "PO-000002"
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    by_item = {p["item"]: p for p in run["plannedOrders"]}
    assert [(p["id"], p["item"], p["qty"], p["needDate"]) for p in run["plannedOrders"]] == [
        ("MRP-000001/00001", "FG-KIT", "30", "2026-11-20"),
        ("MRP-000001/00002", "RM-BOX", "25", "2026-11-20"),
        ("MRP-000001/00003", "RM-ZINC", "1", "2026-11-20"),
        ("MRP-000001/00004", "SA-BLANK", "3000", "2026-11-20")]
    kit = "MRP-000001/00001"
    assert pegs(by_item["FG-KIT"]) == [("SO-000001/1", "SO-000001", "10"),
                                       ("SO-000002/1", "SO-000002", "15")]
    assert pegs(by_item["RM-BOX"]) == [(kit, "SO-000002", "5"), (kit, kit, "5"),
                                       ("SAFETY-STOCK", "SAFETY-STOCK", "15")]
    assert pegs(by_item["RM-ZINC"]) == [(kit, "SO-000002", "0.5"), (kit, kit, "0.5")]
    assert pegs(by_item["SA-BLANK"]) == [(kit, "SO-000001", "1000"), (kit, "SO-000002", "1500"),
                                         (kit, kit, "500")]
    assert run["exceptions"] == []
    serving = {top: [p["item"] for p in gql.gql(PLANNED_ORDERS, {"top": top})["plannedOrders"]]
               for top in ("SO-000001", "SO-000002")}
    assert serving == {"SO-000001": ["FG-KIT", "SA-BLANK"],
                       "SO-000002": ["FG-KIT", "RM-BOX", "RM-ZINC", "SA-BLANK"]}
    receipts = gql.gql(RECEIPTS, {"top": "SO-000002"})["peggedReceipts"]
    assert receipts == [{"run": "MRP-000001", "ref": "PO-000002/1", "item": "RM-STEEL",
                         "kind": "purchase", "qty": "100", "due": "2026-11-18",
                         "availableOn": "2026-11-18",
                         "pegs": [{"demand": "MRP-000001/00004", "top": "SO-000002",
                                   "qty": "25"},
                                  {"demand": "MRP-000001/00004", "top": kit, "qty": "25"}]}]
    assert gql.gql(RECEIPTS, {"top": "SO-000001"})["peggedReceipts"] == []


def nuts(gql) -> None:
    """RM-NUT: bought, 2 working days' lead time, none on hand."""
    gql.ok(CREATE_ITEM, {"code": "RM-NUT", "name": "螺母 nut", "uom": "pcs", "itemType": "RAW",
                         "defaultWarehouse": "WH-RM", "planning": {"leadTimeDays": 2}})


def test_an_expedited_receipt_is_pegged_on_the_day_it_is_pulled_in_to(factory):
    """SO-1 wants 10 nuts on Friday the 20th, SO-2 10 on Monday the 23rd; PO-2
    brings 10 on Wednesday the 25th.

    Netting: on the 20th the projection falls to -10 and PO-2, due 5 days
    later (within the 14-day horizon), is pulled in to the 20th; on the 23rd it
    falls to -10 again with nothing left to pull: a planned order of 10, needed
    on the 23rd, released 2 working days earlier (Thursday 19th).
    Pegging in the same order: SO-1 (20th) to PO-2 (counted on the 20th),
    SO-2 (23rd) to the planned order. (Pegged by PO-2's due date, the 25th, the
    planned order of the 23rd served SO-1 of the 20th and PO-2 SO-2.)"""
    gql = factory
    nuts(gql)
    order(gql, "sales", "CUS-HW", "RM-NUT", "10", "2026-11-20")
    order(gql, "sales", "CUS-HW", "RM-NUT", "10", "2026-11-23")
    order(gql, "purchase", "SUP-STEEL", "RM-NUT", "10", "2026-11-25")
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    (planned,) = run["plannedOrders"]
    assert (planned["qty"], planned["needDate"], planned["releaseDate"], pegs(planned)) == (
        "10", "2026-11-23", "2026-11-19", [("SO-000002/1", "SO-000002", "10")])
    assert run["exceptions"] == [{
        "kind": "expedite", "ref": "PO-000002/1", "date": "2026-11-20",
        "message": "PO-000002/1 (RM-NUT) due 2026-11-25 is needed on 2026-11-20: expedite "
                   "it, 5 days earlier (within the 14-day expedite horizon)"}]
    (receipt,) = gql.gql(RECEIPTS, {"item": "RM-NUT"})["peggedReceipts"]
    assert (receipt["due"], receipt["availableOn"], receipt["pegs"]) == (
        "2026-11-25", "2026-11-20", [{"demand": "SO-000001/1", "top": "SO-000001",
                                      "qty": "10"}])


def test_a_receipt_due_beyond_the_expedite_horizon_is_not_pulled_in(factory):
    """SO-1 wants 10 nuts on Friday the 20th; PO-2 brings 10 only on 26 February.

    PO-2 is due 98 days after the need, beyond the company's 14-day horizon: a
    planned order of 10 is needed on the 20th (released Wednesday 18th) and PO-2
    is not needed (cancel); the planned order says why.

    With the horizon set to 3 days and SO-2 for 10 on Monday the 23rd, PO-2
    moved to Wednesday the 25th: on the 20th PO-2 is 5 days away, beyond 3, so
    a planned order covers SO-1; on the 23rd it is 2 days away and is pulled in."""
    gql = factory
    nuts(gql)
    order(gql, "sales", "CUS-HW", "RM-NUT", "10", "2026-11-20")
    order(gql, "purchase", "SUP-STEEL", "RM-NUT", "10", "2027-02-26")
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    (planned,) = run["plannedOrders"]
    assert (planned["id"], planned["qty"], planned["needDate"], planned["releaseDate"]) == (
        "MRP-000001/00001", "10", "2026-11-20", "2026-11-18")
    assert [(x["kind"], x["ref"], x["message"]) for x in run["exceptions"]] == [
        ("beyond_horizon", "MRP-000001/00001",
         "MRP-000001/00001 (RM-NUT) covers the need on 2026-11-20 rather than expediting "
         "PO-000002/1, due 2027-02-26: 98 days later, beyond the 14-day expedite horizon"),
        ("cancel", "PO-000002/1", "PO-000002/1 (RM-NUT) is not needed")]

    settings = gql.ok(SETTINGS, {"expediteHorizonDays": 3})["settings"]
    assert settings == {"expediteHorizonDays": 3}
    assert gql.gql("{ planningSettings { expediteHorizonDays } }")["planningSettings"] == {
        "expediteHorizonDays": 3}
    order(gql, "sales", "CUS-HW", "RM-NUT", "10", "2026-11-23")
    order(gql, "purchase", "SUP-STEEL", "RM-NUT", "10", "2026-11-25")
    gql.ok(command("cancelPurchaseOrder", "order { number }"), {"number": "PO-000002"})
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    assert [(p["qty"], p["needDate"], pegs(p)) for p in run["plannedOrders"]] == [
        ("10", "2026-11-20", [("SO-000001/1", "SO-000001", "10")])]
    assert [(x["kind"], x["ref"], x["message"]) for x in run["exceptions"]] == [
        ("beyond_horizon", "MRP-000002/00001",
         "MRP-000002/00001 (RM-NUT) covers the need on 2026-11-20 rather than expediting "
         "PO-000003/1, due 2026-11-25: 5 days later, beyond the 3-day expedite horizon"),
        ("expedite", "PO-000003/1",
         "PO-000003/1 (RM-NUT) due 2026-11-25 is needed on 2026-11-23: expedite it, 2 days "
         "earlier (within the 3-day expedite horizon)")]
    bad = gql.command(SETTINGS, {"expediteHorizonDays": 400})
    assert (bad["__typename"], bad["field"]) == ("ValidationError", "expediteHorizonDays")
