"""打印 in a real browser: the traveller of today's WO-000004 carries a QR
code per operation whose text the terminal takes as a scan; a receipt note
and its lot labels print from the local server alone."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in


def test_a_traveller_code_is_what_the_terminal_scans(new_page, base_url):
    page = new_page(DESKTOP)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    sign_in(page, "planner", next_path="/print")
    link = page.locator("#travellers tr", has_text="WO-000004").locator("a")
    assert link.get_attribute("href") == "/print/work-orders/WO-000004"  # a new tab
    page.goto("/print/work-orders/WO-000004")
    expect(page.locator("h1")).to_have_text("工序流转卡")
    op = page.locator("tr.op").first
    code = op.locator(".code").inner_text()
    assert code == "WO-000004/OP10"
    assert op.locator("td.qr svg title").text_content() == code  # segno's inline SVG
    shot(page, "print-traveller-desktop")
    assert hosts == {urlparse(base_url).netloc}  # nothing from another host

    terminal = new_page(TABLET_LANDSCAPE)
    sign_in(terminal, "operator", next_path="/terminal?wc=WC-HEAD")
    terminal.locator("#scan").fill("OP-ZHANG")
    terminal.locator("#scan").press("Enter")
    expect(terminal.locator("#operator")).to_have_text("OP-ZHANG 张师傅")
    terminal.locator("#scan").fill(code)  # as the scanner types the QR code's text
    terminal.locator("#scan").press("Enter")
    expect(terminal.locator("#operation")).to_contain_text("WO-000004")


def test_a_receipt_note_and_its_labels(new_page):
    page = new_page(TABLET_LANDSCAPE)
    sign_in(page, "storekeeper", next_path="/print")
    page.goto("/print/documents/GR-000001")
    expect(page.locator("h1")).to_have_text("采购入库单")
    rows = page.locator("table.lines tbody tr")
    expect(rows).to_have_count(3)  # the demo's PO-1: 100 kg wire, 2 kg zinc, 20 cartons
    expect(rows.nth(0)).to_contain_text("RM-STEEL")
    expect(rows.nth(0)).to_contain_text("500.00")
    expect(page.locator("table.lines .total")).to_have_text("560.00")
    expect(page.locator("table.doc-facts")).to_contain_text("2026年11月3日")
    shot(page, "print-receipt-tablet")
    page.click("text=打印本单的批次标签")
    expect(page.locator(".label")).to_have_count(3)
    box = page.locator(".label").first.bounding_box()
    assert box is not None  # 60 x 40 mm at 96 px an inch
    assert (round(box["width"]), round(box["height"])) == (227, 151)
    shot(page, "print-labels-tablet")


def test_an_operator_may_not_print_stock_documents(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "operator", next_path="/terminal")
    answer = page.goto("/print/documents/GR-000001")
    assert answer is not None and answer.status == 403
