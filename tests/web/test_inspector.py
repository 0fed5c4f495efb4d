"""质检 in a real browser: an inspector finds 10 crushed cartons in the 100
received today (every unit inspected, Ac 0: the lot is sorted), the 90 good
ones leave quarantine, the 10 open a nonconformance report and go back to the
supplier (tests/web/scene_office.py receives them)."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in


def figure(page, selector: str) -> Decimal:
    return Decimal(page.locator(selector).inner_text().replace(",", ""))


def test_an_inspector_rejects_ten_of_a_hundred_cartons(new_page):
    page = new_page(TABLET_LANDSCAPE)
    sign_in(page, "inspector", next_path="/inspector")
    row = page.locator("#lots tr", has_text="IL-000001")
    expect(row).to_contain_text("RM-BOX")
    expect(row).to_contain_text("100")
    row.locator("a").click()
    expect(page.locator("#lot-status")).to_have_text("待检")
    stock = page.locator("#stock tr[data-warehouse=WH-RM]")
    on_hand = figure(page, "#stock tr[data-warehouse=WH-RM] .on-hand")
    assert figure(page, "#stock tr[data-warehouse=WH-RM] .quarantined") == Decimal(150)
    shot(page, "inspector-lot-tablet")

    page.fill("input[name='d:LOOK:CRUSH']", "10")
    page.click("#record button.primary")
    expect(page.locator("#lot-status")).to_have_text("已关闭")
    expect(page.locator("#lot-accepted")).to_have_text("90")
    expect(page.locator("#lot-rejected")).to_have_text("10")
    # The 90 went from quarantine to A1 in the same warehouse; the 10 wait there.
    expect(stock.locator(".quarantined")).to_have_text("60")  # 10 rejected + IL-000002
    assert figure(page, "#stock tr[data-warehouse=WH-RM] .on-hand") == on_hand
    ncr = page.locator("#lot-ncr a").inner_text()
    assert ncr.startswith("NCR-")

    page.click("#lot-ncr a")
    expect(page.locator("#ncr-open")).to_have_text("10")
    page.select_option("#dispose select[name=kind]", "RETURN_TO_SUPPLIER")
    page.fill("#dispose input[name=reason]", "压损 crushed in transit")
    page.click("#dispose button.primary")
    expect(page.locator("#ncr-open")).to_have_text("0")
    expect(page.locator("#dispositions")).to_contain_text("退供应商")
    shot(page, "inspector-ncr-tablet")

    page.goto("/inspector?status=closed")
    page.locator("#lots tr", has_text="IL-000001").locator("a").click()
    expect(stock.locator(".quarantined")).to_have_text("50")  # IL-000002 waits
    assert figure(page, "#stock tr[data-warehouse=WH-RM] .on-hand") == on_hand - 10


def test_an_admin_overrides_a_held_decision(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "admin", next_path="/inspector/lots/IL-000002")
    page.fill("input[name='d:LOOK:DIRT']", "5")
    page.check("#record input[name=hold]")
    page.click("#record button.primary")
    expect(page.locator("#lot-status")).to_have_text("待评审")
    expect(page.locator("#computed")).to_have_text("拒收")  # 5 nonconformities > Ac 0
    page.fill("#override input[name=acceptedQty]", "48")
    page.fill("#override input[name=reason]", "3 cleaned, 2 dirty")
    page.click("#override button")
    expect(page.locator("#lot-status")).to_have_text("已关闭")
    expect(page.locator("#lot-accepted")).to_have_text("48")
    expect(page.locator("#lot-rejected")).to_have_text("2")
    expect(page.locator("#result")).to_contain_text("3 cleaned, 2 dirty")


def test_the_inspection_page_in_english_at_desktop_size(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "inspector", next_path="/inspector")
    page.goto("/inspector?lang=en&status=all")
    expect(page.locator("h1")).to_have_text("Inspection")
    shot(page, "inspector-desktop-en")


def test_an_operator_may_not_record_an_inspection(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "operator", next_path="/terminal")
    answer = page.goto("/inspector")
    assert answer is not None and answer.status == 403
