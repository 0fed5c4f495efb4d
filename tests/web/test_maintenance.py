"""设备维护 in a real browser: a breakdown of the air compressor opens a
corrective order; the maintenance technician starts it, books 2 hours (at
the default 50.00 an hour: 100.00), completes it and sets the machine running
again (tests/web/scene_office.py registers CMP-01)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in


def test_a_breakdown_is_repaired_through_its_maintenance_order(new_page):
    page = new_page(TABLET_LANDSCAPE)
    sign_in(page, "maintenance", next_path="/maintenance")
    machine = page.locator("#equipment tr[data-equipment=CMP-01]")
    expect(machine.locator(".state")).to_have_text("运行")
    machine.locator("select[name=state]").select_option("DOWN")
    machine.locator("select[name=reason]").select_option("故障")
    machine.locator("button").click()
    expect(machine.locator(".state")).to_have_text("停机")
    expect(machine.locator(".reason")).to_have_text("故障")
    order = page.locator("#orders tr", has_text="CMP-01")
    expect(order).to_contain_text("故障维修")  # corrective, opened by the breakdown
    expect(order.locator(".status")).to_have_text("待开工")
    shot(page, "maintenance-tablet")

    order.locator("a").click()
    page.click("#start button")
    expect(page.locator("#order-status")).to_have_text("维修中")
    page.fill("#labor input[name=hours]", "2")
    page.click("#labor button")
    expect(page.locator("#order-labor")).to_have_text("2 h · 100.00")
    page.fill("#close input[name=note]", "更换皮带 belt replaced")
    page.click("#close button")
    expect(page.locator("#order-status")).to_have_text("已完工")

    page.goto("/maintenance")
    machine.locator("select[name=state]").select_option("RUNNING")
    machine.locator("button").click()
    expect(machine.locator(".state")).to_have_text("运行")
    expect(page.locator("#orders tr", has_text="CMP-01")).to_have_count(0)  # none open


def test_maintenance_in_english_at_desktop_size(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "maintenance", next_path="/maintenance")
    page.goto("/maintenance?lang=en&status=all")
    expect(page.locator("h1")).to_have_text("Maintenance")
    shot(page, "maintenance-desktop-en")


def test_an_inspector_sees_the_machines_but_may_not_change_them(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "inspector", next_path="/maintenance")  # inspectors read production
    expect(page.locator("#equipment tr[data-equipment=CMP-01]")).to_be_visible()
    expect(page.locator("form.state-form")).to_have_count(0)
    answer = page.request.post("/maintenance/state", form={
        "equipment": "CMP-01", "state": "DOWN", "reason": "故障"},
        headers={"X-CSRF-Token": page.evaluate("flCsrf()")})
    assert answer.status == 403
    assert "maintenance" in answer.text()  # the roles that may
