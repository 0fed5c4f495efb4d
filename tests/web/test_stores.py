"""The storekeeper's pages in a real browser: the planner firms and confirms
a planned purchase, the storekeeper receives it by scanning the item (a lot
on an item not tracked by lot is refused by the command, its message shown),
and the stock and the stock card show it."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in
from tests.web.office_server import base_url  # noqa: F401 - the office pages' own server


def _number(text: str) -> Decimal:
    return Decimal(text.split()[0].replace(",", ""))


def test_a_storekeeper_receives_a_confirmed_purchase_by_scanning(new_page):
    planner = new_page(DESKTOP)
    planner.set_default_timeout(60000)
    sign_in(planner, "planner", next_path="/planner")
    planner.click("#run-mrp")
    planner.wait_for_url(re.compile(r"/planner\?run=MRP-\d+$"))
    steel = planner.locator("#planned tbody tr[data-kind=buy]", has_text="RM-STEEL").first
    planned_id = steel.get_attribute("data-id")
    if steel.locator("input[name=supplier]").count():
        steel.locator("input[name=supplier]").fill("SUP-STEEL")
    steel.locator("button.firm").click()
    row = planner.locator(f"#planned tr[data-id='{planned_id}']")
    expect(row.locator("button.confirm")).to_be_visible()
    order = row.locator(".badge.ok").inner_text()
    assert re.fullmatch(r"PO-\d{6}", order)
    row.locator("button.confirm").click()
    expect(planner.locator(f"#planned tr[data-id='{planned_id}'] button.confirm")).to_have_count(0)

    page = new_page(TABLET_LANDSCAPE)
    page.set_default_timeout(60000)
    sign_in(page, "storekeeper", next_path="/stores")
    before = _number(page.locator("#on-hand tr[data-item='RM-STEEL'][data-warehouse='WH-RM'] td")
                     .nth(2).inner_text())
    assert before == Decimal("50")  # the demo's 50 kg of steel wire
    page.goto("/stores/receive")
    page.select_option("select[name=order]", order)
    page.wait_for_url(re.compile(rf"order={order}"))
    line = page.locator("#lines tr[data-item='RM-STEEL']")
    open_qty = _number(line.locator("td").nth(3).inner_text())
    # The demo opened 2026-12 (the server runs on the real clock; 2026-11 is closed)
    page.fill("input[name=posting_date]", "2026-12-01")
    page.fill("#scan", "rm-steel|lot-7")
    page.press("#scan", "Enter")
    assert line.locator("input[name=lot]").input_value() == "LOT-7"
    assert _number(line.locator("input[name=qty]").input_value()) == open_qty
    shot(page, "stores-receive-tablet")
    page.click("#record")  # steel wire is not tracked by lot: the command refuses
    expect(page.locator("#flash")).to_contain_text("RM-STEEL is not lot-tracked")
    line.locator("input[name=lot]").fill("")
    page.click("#record")
    page.wait_for_url(re.compile(r"done=GR-\d+"))
    page.goto("/stores?item=RM-STEEL")
    after = _number(page.locator("#on-hand tr[data-warehouse='WH-RM'] td").nth(2).inner_text())
    assert after == before + open_qty
    shot(page, "stores-stock-tablet")
    page.goto("/stores/card?item=RM-STEEL&warehouse=WH-RM")
    last = page.locator("#card tbody tr").last.inner_text()
    assert "GR-" in last and f"{after:,f}".rstrip("0").rstrip(".") in last
    if open_qty == 25:  # 25 kg at the standard cost 5.00: 250.00 + 125.00
        assert "125.00" in last and "375.00" in last
    page.set_viewport_size(DESKTOP)
    shot(page, "stores-card-desktop")
    for path, name in (("/stores/moves", "stores-moves"), ("/stores/quarantine",
                                                           "stores-quarantine"),
                       ("/stores/ship", "stores-ship")):
        page.goto(path)
        assert page.locator("#flash").inner_text() == ""
        shot(page, f"{name}-desktop")
