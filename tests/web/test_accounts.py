"""The accountant's pages in a real browser: the demo month's trial balance,
a voucher entered with the live balance check, the guided month-end close
(its preview, then the close) and the balance sheet downloaded as XLSX and
CSV with the figures asserted.

Demo month 2026-11 (tests/test_period_end.py): turnover 110,678.10 each side,
total assets 101,807.20. The test's server has no shop floor (which would
reopen the current month), so November stays closed. The demo opened
2026-12: the accountant posts 50.00 of 管理费用 paid from the bank there
(Dr 5602 / Cr 1002) and closes it (year end: 结转损益 then the
year's profit 1,497.50 - 50.00 = 1,447.50 to 利润分配): total assets
101,807.20 - 50.00 = 101,757.20.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in
from tests.web.office_server import own_server  # noqa: F401


@pytest.fixture(scope="module")
def base_url(own_server):  # noqa: F811 - closing a month: a server of its own
    return own_server


def test_an_accountant_posts_a_voucher_closes_the_month_and_downloads_the_balance_sheet(
        new_page, base_url):  # noqa: F811
    page = new_page(DESKTOP)
    page.set_default_timeout(60000)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "accountant", next_path="/accounts/trial-balance")
    page.goto("/accounts/trial-balance?period=2026-11")
    assert page.locator("#total-debit").inner_text() == "110,678.10"
    assert page.locator("#total-credit").inner_text() == "110,678.10"
    shot(page, "accounts-trial-balance-desktop")
    page.goto("/accounts/statements?period=2026-11")
    assert page.locator("#balance-sheet tr[data-line='30'] td").nth(2).inner_text() == "101,807.20"
    shot(page, "accounts-statements-desktop")

    page.goto("/accounts/vouchers/new")
    period = "2026-12"  # the demo opened it; the server's clock is the real one
    page.fill("input[name=posting_date]", "2026-12-01")
    page.fill("input[name=summary]", "办公用品 office supplies")
    page.locator("input[name=account]").nth(0).fill("5602")
    page.locator("input[name=debit]").nth(0).fill("50")
    page.locator("input[name=account]").nth(1).fill("1002")
    page.locator("input[name=credit]").nth(1).fill("49.99")
    expect(page.locator("#post")).to_be_disabled()
    assert page.locator("#balance").inner_text() == "借贷不平，差额 0.01"
    page.locator("input[name=credit]").nth(1).fill("50.00")
    expect(page.locator("#post")).to_be_enabled()
    assert page.locator("#total-debit").inner_text() == "50.00"
    shot(page, "accounts-voucher-desktop")
    page.click("#post")
    page.wait_for_url(re.compile(r"/accounts\?period=.*done="))
    voucher = page.locator("#done").inner_text()
    assert re.search(r"记-\d{4}", voucher)

    page.goto(f"/accounts/close?period={period}")
    assert page.locator("#period-status").inner_text() == "未结账"
    transfer = page.locator("#step-close table.preview").first.inner_text()
    assert "5602 管理费用" in transfer and "50.00" in transfer and "3103 本年利润" in transfer
    # December: the year's profit, 1,497.50 from November less the 50.00, to 利润分配
    carry = page.locator("#step-close .carry").inner_text()
    assert "3104" in carry and "1,447.50" in carry
    page.set_viewport_size(TABLET_LANDSCAPE)
    shot(page, "accounts-close-tablet")
    page.click("#close-books")
    expect(page.locator("#period-status")).to_have_text("已结账")
    assert page.locator("#step-close table.preview").count() == 0  # nothing left to transfer

    with page.expect_download() as download:
        page.click("#close-bs-xlsx")
    xlsx = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "资产总计" in strings
    assert "<v>101757.2</v>" in sheet
    csv = page.request.get(f"{base_url}/accounts/download?name=balance-sheet&format=csv"
                           f"&period={period}").body().decode("utf-8-sig").splitlines()
    assert "30,资产总计,101757.20,0.00" in csv
    assert "51,未分配利润,1447.50,0.00" in csv


def test_the_accountant_pages_render_at_tablet_and_desktop(new_page):
    page = new_page(TABLET_LANDSCAPE)
    page.set_default_timeout(60000)
    sign_in(page, "accountant", next_path="/accounts")
    page.goto("/accounts?period=2026-11")
    assert page.locator("#vouchers tr[data-voucher]").count() >= 17
    shot(page, "accounts-vouchers-tablet")
    page.goto("/accounts/ledger?account=1002&period=2026-11")
    assert "101,527.20" in page.locator("#ledger tr.total").last.inner_text()
    shot(page, "accounts-ledger-tablet")
    page.goto("/accounts/invoices")
    assert page.locator("#invoices").inner_text().count("26330000000000000001") == 1
    shot(page, "accounts-invoices-tablet")
    page.goto("/accounts/aging?ledger=receivable")
    shot(page, "accounts-aging-tablet")
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/invoices/26330000000000000001")
    assert "2,260.00" in page.content() or "2260.00" in page.content()
    shot(page, "accounts-invoice-print-desktop")
