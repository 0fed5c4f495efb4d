"""The planner's pages in a real browser: run MRP, firm a planned order,
release and hold work orders, the Gantt."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in
from tests.web.office_server import base_url  # noqa: F401 - the office pages' own server


def test_a_planner_runs_mrp_and_firms_a_planned_order(new_page):
    page = new_page(TABLET_LANDSCAPE)
    page.set_default_timeout(60000)  # MRP on a shared, busy machine
    sign_in(page, "planner", next_path="/planner")
    page.click("#run-mrp")
    page.wait_for_url(re.compile(r"/planner\?run=MRP-\d+$"))
    run = page.locator("#run-number").inner_text()
    rows = page.locator("#planned tbody tr[data-id]")
    assert rows.count() >= 1
    shot(page, "planner-mrp-tablet")
    first = page.locator("#planned tbody tr[data-kind=make]").first
    planned_id = first.get_attribute("data-id")
    assert planned_id.startswith(run + "/")
    first.locator("button.firm").click()
    page.wait_for_url(re.compile(r"done="))
    order = page.locator("#done").inner_text()
    firmed = page.locator(f"#planned tr[data-id='{planned_id}'] .badge.ok").inner_text()
    assert re.fullmatch(r"WO-\d{6}", firmed)
    assert firmed in order
    page.set_viewport_size(DESKTOP)
    shot(page, "planner-mrp-desktop")


def test_a_planner_holds_and_releases_a_work_order_and_sees_the_gantt(new_page):
    page = new_page(DESKTOP)
    page.set_default_timeout(60000)
    sign_in(page, "planner", next_path="/planner/work-orders")
    released = page.locator("#work-orders tr:has(button.hold)").first
    number = released.get_attribute("data-number")
    released.locator("button.hold").click()
    badge = page.locator(f"#work-orders tr[data-number='{number}'] .badge")
    expect(badge).to_have_text("暂停")
    page.locator(f"#work-orders tr[data-number='{number}'] button.release").click()
    expect(badge).to_have_text("已下达")
    shot(page, "planner-work-orders-desktop")
    page.goto("/planner/schedule")
    assert page.locator("#gantt .g-bar").count() >= 1
    assert page.locator(f"#gantt .g-bar[title^='{number} ']").count() >= 1
    shot(page, "planner-gantt-desktop")
    page.set_viewport_size(TABLET_LANDSCAPE)
    shot(page, "planner-gantt-tablet")
    page.goto("/planner/sales-orders")
    assert page.locator("#sales-orders").inner_text().count("SO-") >= 1
    shot(page, "planner-sales-orders-tablet")
