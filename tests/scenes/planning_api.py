"""Step 5 of the bolt-kit month through GraphQL as a scene: the first sales
order, the planned orders query and what MRP plans for it
(tests/test_api_planning.py and tests/test_cli_workflows.py)."""

from __future__ import annotations

from tests.scenes.supply_api import CONFIRM_SO, CREATE_SO, SO1_LINES, SupplyApi

D4, D5 = "2026-11-04", "2026-11-05"
PLANNED = "id run item kind qty needDate releaseDate level firmedAs pegs { demand top qty }"
PLANNED_ORDERS = f"""
query P($run: String, $item: String, $kind: String, $top: String, $firmed: Boolean,
        $waitFor: Int) {{
  plannedOrders(run: $run, item: $item, kind: $kind, top: $top, firmed: $firmed,
                waitFor: $waitFor) {{ {PLANNED} }}
}}"""


def sales_order_1(gql: SupplyApi) -> str:
    so = gql.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": D4, "lines": SO1_LINES})
    number = so["order"]["number"]
    gql.ok(CONFIRM_SO, {"number": number})
    return number


def summary(planned: list[dict]) -> list[tuple]:
    return [(p["item"], p["kind"], p["qty"], p["needDate"],
             [(g["demand"], g["top"], g["qty"]) for g in p["pegs"]]) for p in planned]


# What runMrp plans on D5 for SO-000001: (item, kind, qty, need date, pegs).
STEP5 = [
    ("FG-KIT", "make", "10", "2026-11-20", [("SO-000001/1", "SO-000001", "10")]),
    ("RM-BOX", "buy", "5", "2026-11-20", [("SAFETY-STOCK", "SAFETY-STOCK", "5")]),
    ("SA-BLANK", "make", "1000", "2026-11-20", [("MRP-000001/00001", "SO-000001", "1000")]),
]
